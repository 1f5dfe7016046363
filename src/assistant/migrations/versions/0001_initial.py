"""The feedback schema as issue 9 created it: questions, votes, meta.

Revision ID: 0001
Revises:
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision: str | None = None
branch_labels = None
depends_on = None
# Creating tables in an empty database disturbs no running server.
online_safe = True


def upgrade() -> None:
    """Create the three tables and the questions' indexes."""
    op.create_table(
        "questions",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("asked_at", sa.DateTime, nullable=False),
        sa.Column("question", sa.Text, nullable=False),
        sa.Column("answered", sa.Boolean, nullable=False),
        sa.Column("reason", sa.String(20), nullable=False),
        sa.Column("answer", sa.Text, nullable=False),
        sa.Column("top_score", sa.Float, nullable=True),
        sa.Column("support", sa.Float, nullable=False),
        sa.Column("cited", sa.Text, nullable=False),
        sa.Column("latency_ms", sa.Float, nullable=False),
        sa.Column("client", sa.String(64), nullable=False),
    )
    op.create_index("ix_questions_asked_at", "questions", ["asked_at"])
    op.create_index("ix_questions_client_asked_at", "questions", ["client", "asked_at"])
    op.create_table(
        "votes",
        sa.Column("question_id", sa.String(36), sa.ForeignKey("questions.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("helpful", sa.Boolean, nullable=False),
        sa.Column("comment", sa.Text, nullable=True),
        sa.Column("voted_at", sa.DateTime, nullable=False),
    )
    op.create_table(
        "meta",
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("value", sa.Text, nullable=False),
    )


def downgrade() -> None:
    """Drop the three tables."""
    op.drop_table("meta")
    op.drop_table("votes")
    op.drop_index("ix_questions_client_asked_at", "questions")
    op.drop_index("ix_questions_asked_at", "questions")
    op.drop_table("questions")
