"""purposes: restricted donations carry a purpose; the Foundation's own matching donation

Revision ID: 0014_purposes
Revises: 0018_audit_chain
Create Date: 2026-12-04

``donations.purpose`` names the purpose a restricted gift is for (``fundcore.domain.
purposes``: guarantee, loan, grant, working_funds, programme) and ``donations.
foundation_match`` marks the Foundation's own 配捐, which is other income (4901.01).
Each purpose has its own sub-accounts of 3102 and 4101.02; they and 4901.01 are added
to a database that already holds the chart (a new one gets them from ``fund init``).

A donation's purpose is read from what its journal entry credited: 4101.02.xx is that
purpose, 4901.01 a Foundation match, and 4101.02 itself ``programme`` (项目通用). So
every restricted donation from before purposes, whatever words its donor used, gets
``programme``: its lines already sit on 3102 / 4101.02, now the programme-wide purpose,
and the journal is append-only, so that is the one purpose that agrees with the books
without re-posting history; it is also the widest restriction still true to a gift made
to this fund. The donor's words stay in ``restricted_purpose``. A past 配捐 recorded as a
donation stays donation income as it was posted (its donor name is free text). A
database taken down to 0012 and up again gets back what it had: downgrading keeps any
purpose account the journal already uses.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from migrations.chart_rows import add_accounts, drop_unused_accounts

revision = "0014_purposes"
down_revision = "0018_audit_chain"
branch_labels = None
depends_on = None

_PURPOSES = (
    ("01", "担保贷款", "loan guarantees"),
    ("02", "免息借款", "interest-free loans"),
    ("03", "小额资助", "micro-grants"),
    ("04", "工作经费", "county working funds"),
)
_ACCOUNTS = (
    ("4901.01", "其他收入—基金会配捐", "Other income, the Foundation's own matching donation",
     "income", "C"),
    *((f"3102.{s}", f"限定性净资产—{zh}", f"Restricted net assets, {en}", "net_assets", "C")
      for s, zh, en in _PURPOSES),
    *((f"4101.02.{s}", f"捐赠收入—限定性—{zh}", f"Donation income, restricted, {en}", "income",
       "C") for s, zh, en in _PURPOSES),
)  # fmt: skip
_CODES = tuple(a[0] for a in _ACCOUNTS)
_CODE_OF = {"01": "guarantee", "02": "loan", "03": "grant", "04": "working_funds"}


def upgrade() -> None:
    op.add_column("donations", sa.Column("purpose", sa.String(length=32), nullable=True))
    op.add_column(
        "donations",
        sa.Column("foundation_match", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    conn = op.get_bind()
    # a donation's purpose is what its entry credited (see above)
    credited = (
        "(SELECT l.account_code FROM journal_lines l JOIN journal_entries e "
        "ON e.seq = l.entry_seq WHERE e.kind = 'donation' AND e.object_type = 'donation' "
        "AND e.object_id = CAST(donations.id AS VARCHAR(20)) AND l.side = 'C' "
        "AND e.reverses_seq IS NULL ORDER BY e.seq LIMIT 1)"
    )
    cases = " ".join(f"WHEN '4101.02.{s}' THEN '{code}'" for s, code in _CODE_OF.items())
    conn.execute(
        sa.text(
            f"UPDATE donations SET purpose = CASE {credited} "
            f"WHEN '4101.02' THEN 'programme' {cases} END"
        )
    )
    conn.execute(
        sa.text(f"UPDATE donations SET foundation_match = :yes WHERE {credited} = '4901.01'"),
        {"yes": True},
    )
    add_accounts(conn, _ACCOUNTS)


def downgrade() -> None:
    """Drop the columns, and the new accounts no journal line uses: an account that has
    lines stays (the journal is append-only; the lines and their hashes must still verify)."""
    conn = op.get_bind()
    drop_unused_accounts(conn, _CODES)
    if conn.dialect.name == "sqlite":
        op.execute("ALTER TABLE donations DROP COLUMN foundation_match")
        op.execute("ALTER TABLE donations DROP COLUMN purpose")
    else:
        op.drop_column("donations", "foundation_match")
        op.drop_column("donations", "purpose")
