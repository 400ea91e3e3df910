"""county share: county receivables kept apart from the borrower's, the interest subsidy

Revision ID: 0016_county_share
Revises: 0012_amendments
Create Date: 2026-12-04

``facilities.county_written_off_fen``: the county's counter-guarantee share is now
written off only on its own, so a facility keeps what of it was written off. Until now
a write-off took the county's share with the borrower's: for every facility written off
so, that share (less what the county paid back) is recorded as written off, so the
counter-guarantee receivable (1213) still agrees with the rows; nothing in the ledger
moves.

``subsidy_accruals``: each guaranteed instalment's interest subsidy (贴息) accrued at
the day close that passed its due date, and the payment to the bank that settled it.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016_county_share"
down_revision = "0012_amendments"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("facilities") as batch:
        batch.add_column(
            sa.Column("county_written_off_fen", sa.BigInteger(), nullable=False, server_default="0")
        )
    op.execute(
        "UPDATE facilities SET county_written_off_fen = county_share_fen - recovered_county_fen "
        "WHERE status = 'written_off' AND county_share_fen > recovered_county_fen"
    )
    op.create_table(
        "subsidy_accruals",
        sa.Column("facility_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("version", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("no", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("bank", sa.String(length=100), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("amount_fen", sa.BigInteger(), nullable=False),
        sa.Column("accrued_on", sa.Date(), nullable=False),
        sa.Column("accrual_seq", sa.BigInteger(), nullable=False),
        sa.Column("paid_on", sa.Date(), nullable=True),
        sa.Column("paid_seq", sa.BigInteger(), nullable=True),
        sa.CheckConstraint("amount_fen > 0", name=op.f("ck_subsidy_accruals_amount_positive")),
        sa.ForeignKeyConstraint(
            ["facility_id"],
            ["facilities.id"],
            name=op.f("fk_subsidy_accruals_facility_id_facilities"),
        ),
        sa.PrimaryKeyConstraint("facility_id", "version", "no", name=op.f("pk_subsidy_accruals")),
    )
    op.create_index("ix_subsidy_accruals_bank_due", "subsidy_accruals", ["bank", "due_date"])
    if op.get_bind().dialect.name == "postgresql":
        _grants()


def _grants() -> None:
    staff = "fundcore_finance, fundcore_auditor, fundcore_admin"
    table = "subsidy_accruals"
    op.execute(f"GRANT SELECT ON {table} TO {staff}")
    op.execute(f"GRANT INSERT, UPDATE ON {table} TO fundcore_finance")


def downgrade() -> None:
    op.drop_index("ix_subsidy_accruals_bank_due", table_name="subsidy_accruals")
    op.drop_table("subsidy_accruals")
    # not batch mode: on SQLite that recreates ``facilities``, which the tables referring
    # to it forbid; both databases drop a plain column in place (SQLite since 3.35)
    op.execute("ALTER TABLE facilities DROP COLUMN county_written_off_fen")
