"""county share: county receivables kept apart from the borrower's, the interest subsidy

Revision ID: 0016_county_share
Revises: 0013_corrections
Create Date: 2026-12-04

``facilities.county_written_off_fen``: the county's counter-guarantee share is now
written off only on its own, so a facility keeps what of it was written off. Until now
a write-off took the county's share with the borrower's: for every facility written off
so, that share (less what the county paid back) is recorded as written off, so the
counter-guarantee receivable (1213) still agrees with the rows; nothing in the ledger
moves.

``subsidy_accruals``: each guaranteed instalment's interest subsidy (贴息) accrued at
the day close that passed its due date, and the payment to the bank that settled it.

The accounts these use (2209.01 应付银行贴息, 5101.04 贴息, 5201.01 坏账损失) are added to a
database that already has its chart, and dropped again on downgrade if no line uses them.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from migrations.chart_rows import add_accounts, drop_unused_accounts

revision = "0016_county_share"
_ACCOUNTS = (
    ("2209.01", "其他应付款—应付银行贴息", "Other payables, interest subsidies due to banks",
     "liability", "C"),
    ("5101.04", "业务活动成本—贴息", "Programme costs, interest subsidies", "expense", "D"),
    ("5201.01", "管理费用—坏账损失", "Management expenses, bad debts", "expense", "D"),
)  # fmt: skip
down_revision = "0013_corrections"
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
    add_accounts(op.get_bind(), _ACCOUNTS)
    if op.get_bind().dialect.name == "postgresql":
        _grants()


def _grants() -> None:
    staff = "fundcore_finance, fundcore_auditor, fundcore_admin"
    table = "subsidy_accruals"
    op.execute(f"GRANT SELECT ON {table} TO {staff}")
    op.execute(f"GRANT INSERT, UPDATE ON {table} TO fundcore_finance")


def downgrade() -> None:
    drop_unused_accounts(op.get_bind(), [row[0] for row in _ACCOUNTS])
    op.drop_index("ix_subsidy_accruals_bank_due", table_name="subsidy_accruals")
    op.drop_table("subsidy_accruals")
    # not batch mode: on SQLite that recreates ``facilities``, which the tables referring
    # to it forbid; both databases drop a plain column in place (SQLite since 3.35)
    op.execute("ALTER TABLE facilities DROP COLUMN county_written_off_fen")
