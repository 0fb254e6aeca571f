"""Case edits made through the web service (plans and positions set or removed), replayed at start.

Revision ID: 0003_case_edit
Revises: 0002_web
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_case_edit"
down_revision = "0002_web"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "case_edit",
        sa.Column("seq", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("case_id", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("key", sa.String(400), nullable=False),
        sa.Column("content", sa.Text, nullable=True),
        sa.Column("author", sa.String(200), nullable=False, server_default=""),
        sa.Column("created", sa.BigInteger, nullable=False),
    )
    op.create_index("ix_case_edit_case_id", "case_edit", ["case_id"])


def downgrade() -> None:
    op.drop_index("ix_case_edit_case_id", table_name="case_edit")
    op.drop_table("case_edit")
