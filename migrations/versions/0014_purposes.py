"""purposes: restricted donations carry a purpose; the Foundation's own matching donation

Revision ID: 0014_purposes
Revises: 0012_amendments
Create Date: 2026-12-04

``donations.purpose`` names the purpose a restricted gift is for (``fundcore.domain.
purposes``: guarantee, loan, grant, working_funds, programme) and ``donations.
foundation_match`` marks the Foundation's own 配捐, which is other income (4901.01).
Each purpose has its own sub-accounts of 3102 and 4101.02; they and 4901.01 are added
to a database that already holds the chart (a new one gets them from ``fund init``).

Existing restricted donations get the purpose ``programme`` (项目通用), whatever words
their donor used: their journal lines already sit on 3102 / 4101.02 themselves, which
are now the programme-wide purpose, and the journal is append-only, so this is the one
purpose that agrees with the books without re-posting history; it is also the widest
restriction still true to a gift made to this fund. The donor's words stay in
``restricted_purpose``. No existing Foundation match is recognised: its donor name is
free text, so a past 配捐 stays donation income as it was posted.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014_purposes"
down_revision = "0012_amendments"
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
     "income"),
    *((f"3102.{s}", f"限定性净资产—{zh}", f"Restricted net assets, {en}", "net_assets")
      for s, zh, en in _PURPOSES),
    *((f"4101.02.{s}", f"捐赠收入—限定性—{zh}", f"Donation income, restricted, {en}", "income")
      for s, zh, en in _PURPOSES),
)  # fmt: skip
_CODES = tuple(a[0] for a in _ACCOUNTS)


def upgrade() -> None:
    op.add_column("donations", sa.Column("purpose", sa.String(length=32), nullable=True))
    op.add_column(
        "donations",
        sa.Column("foundation_match", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    op.execute("UPDATE donations SET purpose = 'programme' WHERE restricted_purpose IS NOT NULL")
    conn = op.get_bind()
    if not conn.scalar(sa.text("SELECT count(*) FROM accounts")):
        return  # a database without its chart yet: ``fund init`` loads all of it
    known = set(conn.scalars(sa.text("SELECT code FROM accounts")))
    for code, zh, en, kind in _ACCOUNTS:
        if code in known:
            continue
        conn.execute(
            sa.text(
                "INSERT INTO accounts (code, name_zh, name_en, type, normal_side) "
                "VALUES (:code, :zh, :en, :kind, 'C')"
            ),
            {"code": code, "zh": zh, "en": en, "kind": kind},
        )
        conn.execute(
            sa.text(
                "INSERT INTO account_balances (account_code, debit_fen, credit_fen) "
                "VALUES (:code, 0, 0)"
            ),
            {"code": code},
        )


def downgrade() -> None:
    conn = op.get_bind()
    codes = sa.bindparam("codes", expanding=True)
    used = conn.scalar(
        sa.text("SELECT count(*) FROM journal_lines WHERE account_code IN :codes").bindparams(
            codes
        ),
        {"codes": list(_CODES)},
    )
    if used:
        raise RuntimeError(
            "cannot downgrade 0014_purposes: the journal has lines on purpose accounts "
            "(the journal is append-only, so they cannot be removed)"
        )
    for table in ("account_kind_daily", "account_daily", "account_balances"):
        conn.execute(
            sa.text(f"DELETE FROM {table} WHERE account_code IN :codes").bindparams(codes),
            {"codes": list(_CODES)},
        )
    conn.execute(
        sa.text("DELETE FROM accounts WHERE code IN :codes").bindparams(codes),
        {"codes": list(_CODES)},
    )
    if conn.dialect.name == "sqlite":
        op.execute("ALTER TABLE donations DROP COLUMN foundation_match")
        op.execute("ALTER TABLE donations DROP COLUMN purpose")
    else:
        op.drop_column("donations", "foundation_match")
        op.drop_column("donations", "purpose")
