"""Alembic migrations of the feedback database (applied by ``assistant db upgrade`` and at start-up when safe)."""
