"""closed periods

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02

Finance closes months in order; once a month is closed nothing dated in it may be
posted. A reopen (admin with a finance approver) keeps the row with who and why.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "periods",
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("status", sa.String(length=8), nullable=False),
        sa.Column("closed_by", sa.String(length=64), nullable=False),
        sa.Column("closed_at", sa.DateTime(), nullable=False),
        sa.Column("year_end_seq", sa.BigInteger(), nullable=True),
        sa.Column("reopened_by", sa.String(length=64), nullable=True),
        sa.Column("reopened_at", sa.DateTime(), nullable=True),
        sa.Column("approved_by", sa.String(length=64), nullable=True),
        sa.Column("reason", sa.String(length=500), nullable=True),
        sa.CheckConstraint("status IN ('closed', 'open')", name=op.f("ck_periods_status_known")),
        sa.PrimaryKeyConstraint("month", name=op.f("pk_periods")),
    )
    if op.get_bind().dialect.name == "postgresql":
        # every poster reads it (the journal refuses closed months); finance closes,
        # an admin reopens
        op.execute(
            "GRANT SELECT ON periods TO fundcore_county, fundcore_finance, "
            "fundcore_auditor, fundcore_admin"
        )
        op.execute("GRANT INSERT, UPDATE ON periods TO fundcore_finance, fundcore_admin")


def downgrade() -> None:
    op.drop_table("periods")
