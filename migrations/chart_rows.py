"""Accounts a migration adds to a database that already has its chart.

``fund init`` loads the whole chart into a new database, but ``fund db upgrade`` does
not, so a migration that brings new accounts into use adds them itself (with their
kept balance row), and on downgrade removes those no journal line uses: an account
with lines stays, since the journal is append-only and its lines must still verify.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa

#: (code, name zh, name en, type, normal side)
AccountRow = tuple[str, str, str, str, str]


def add_accounts(conn: sa.Connection, rows: Sequence[AccountRow]) -> None:
    """Insert the accounts not there yet; nothing on a database without its chart."""
    if not conn.scalar(sa.text("SELECT count(*) FROM accounts")):
        return  # ``fund init`` loads all of the chart
    known = set(conn.scalars(sa.text("SELECT code FROM accounts")))
    for code, zh, en, kind, side in rows:
        if code in known:
            continue
        conn.execute(
            sa.text(
                "INSERT INTO accounts (code, name_zh, name_en, type, normal_side) "
                "VALUES (:code, :zh, :en, :kind, :side)"
            ),
            {"code": code, "zh": zh, "en": en, "kind": kind, "side": side},
        )
        conn.execute(
            sa.text(
                "INSERT INTO account_balances (account_code, debit_fen, credit_fen) "
                "VALUES (:code, 0, 0)"
            ),
            {"code": code},
        )


def drop_unused_accounts(conn: sa.Connection, codes: Sequence[str]) -> None:
    """Remove those of ``codes`` that no journal line uses, with their kept totals."""
    used = set(conn.scalars(sa.text("SELECT DISTINCT account_code FROM journal_lines")))
    unused = [code for code in codes if code not in used]
    if not unused:
        return
    bound = sa.bindparam("codes", expanding=True)
    for table in ("account_kind_daily", "account_daily", "account_balances", "accounts"):
        column = "code" if table == "accounts" else "account_code"
        conn.execute(
            sa.text(f"DELETE FROM {table} WHERE {column} IN :codes").bindparams(bound),
            {"codes": unused},
        )
