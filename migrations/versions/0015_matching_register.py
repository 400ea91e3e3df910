"""matching register: 1:1 matching kept off the ledger, in the local-support register

Revision ID: 0015_matching_register
Revises: 0016_county_share
Create Date: 2026-12-04

Local 1:1 matching is the county's money put into the young person's project, not the
fund's (DOMAIN.md §4): its pledge (the facility's ``matching_required_fen``) and its
receipts (``local_support`` rows) are a register with no journal entry. The register
gains who paid (``paid_by``), whether the money came through the fund's own account
(``through_fund``: then it is government grant income when received) and the day the
fund passed such money on to its project (``passed_on``).

The old postings (pledge D 1214 / C 4101.02 at approval, receipt D 1002 / C 1214) are
not touched here: a reversal is a journal entry (hash chain, kept totals, audit) dated
in the open period and made by a named operator, which a schema migration can neither
date (no clock) nor attribute. ``fund local-support migrate --date D --as FINANCE``
posts them; until it has, ``fund ledger verify`` reports 1214's balance.

PostgreSQL: finance may now update ``local_support`` (to record the pass-on day); the
row-level policies (0006) already cover the table.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from migrations.chart_rows import add_accounts, drop_unused_accounts

revision = "0015_matching_register"
down_revision = "0016_county_share"
#: the accounts matching paid into the fund's account uses (a database with its chart
#: gets them here; ``fund init`` loads them into a new one)
_ACCOUNTS = (
    ("4201.02", "政府补助收入—限定性（地方配套资金）",
     "Government grant income, restricted (local matching funds)", "income", "C"),
    ("5101.05", "业务活动成本—转付地方配套资金", "Programme costs, local matching funds passed on",
     "expense", "D"),
)  # fmt: skip
branch_labels = None
depends_on = None

_COLUMNS = ("paid_by", "through_fund", "passed_on")


def upgrade() -> None:
    with op.batch_alter_table("local_support") as batch:
        batch.add_column(sa.Column("paid_by", sa.String(length=100), nullable=True))
        batch.add_column(
            sa.Column("through_fund", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch.add_column(sa.Column("passed_on", sa.Date(), nullable=True))
    if op.get_bind().dialect.name == "postgresql":
        op.execute("GRANT UPDATE ON local_support TO fundcore_finance")
    add_accounts(op.get_bind(), _ACCOUNTS)


def downgrade() -> None:
    drop_unused_accounts(op.get_bind(), [row[0] for row in _ACCOUNTS])
    if op.get_bind().dialect.name == "postgresql":
        op.execute("REVOKE UPDATE ON local_support FROM fundcore_finance")
    # not batch mode: on SQLite that recreates the table; drop plain columns in place
    for column in reversed(_COLUMNS):
        op.execute(f"ALTER TABLE local_support DROP COLUMN {column}")
