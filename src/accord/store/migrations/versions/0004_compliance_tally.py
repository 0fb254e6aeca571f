"""The compliance board kept up to date on append: one tally per obligation, and how far the ledger is tallied.

Revision ID: 0004_compliance_tally
Revises: 0003_case_edit
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_compliance_tally"
down_revision = "0003_case_edit"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "compliance_tally",
        sa.Column("obligation", sa.String(300), primary_key=True),
        sa.Column("agreement", sa.String(300), nullable=False),
        sa.Column("state", sa.Text, nullable=False),
    )
    op.create_table(
        "compliance_mark",
        sa.Column("id", sa.SmallInteger, primary_key=True, autoincrement=False),
        sa.Column("size", sa.BigInteger, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("compliance_mark")
    op.drop_table("compliance_tally")
