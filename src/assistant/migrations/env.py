"""Alembic's environment: migrations run on the connection ``assistant.schema`` hands over, in its transaction."""

from __future__ import annotations

from alembic import context
from sqlalchemy.engine import Connection

from assistant.feedback import metadata

connection: Connection = context.config.attributes["connection"]
# SQLite cannot ALTER most things: batch mode copies the table instead.
context.configure(connection=connection, target_metadata=metadata, render_as_batch=connection.dialect.name == "sqlite")
with context.begin_transaction():
    context.run_migrations()
