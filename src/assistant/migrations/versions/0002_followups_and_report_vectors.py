"""Follow-up questions and the report's stored vectors: ``questions.resolved_question`` and ``report_gists``.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision: str | None = "0001"
branch_labels = None
depends_on = None
# A nullable column and a new table: servers of the previous version neither read nor write them.
online_safe = True


def upgrade() -> None:
    """Add the resolved form of a follow-up and the table of the report's vectors."""
    inspector = sa.inspect(op.get_bind())
    # A database a pre-migration server of this round opened may have either already.
    if "resolved_question" not in {c["name"] for c in inspector.get_columns("questions")}:
        op.add_column("questions", sa.Column("resolved_question", sa.Text, nullable=True))
    if not inspector.has_table("report_gists"):
        op.create_table(
            "report_gists",
            sa.Column("key", sa.String(64), primary_key=True),
            sa.Column("vector", sa.LargeBinary, nullable=False),
            sa.Column("stored_at", sa.DateTime, nullable=False),
        )
        op.create_index("ix_report_gists_stored_at", "report_gists", ["stored_at"])


def downgrade() -> None:
    """Drop the report's vectors and the resolved form."""
    op.drop_index("ix_report_gists_stored_at", "report_gists")
    op.drop_table("report_gists")
    with op.batch_alter_table("questions") as batch:
        batch.drop_column("resolved_question")
