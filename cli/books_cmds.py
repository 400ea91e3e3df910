"""``fund ledger journal|account|balances`` and ``fund audit list``: the books and the log.

Each prints an aligned table (the default), writes CSV or XLSX to ``--out`` (the same
output-path rules as the statements: never the database or its companions, an existing
file only with ``--force``), or with ``--json`` prints the table's columns and rows,
amounts in fen.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from cli import context
from cli.context import common_options
from cli.ledger_cmds import ledger_group
from cli.tables_out import show, table_force, table_format, table_out
from cli.types import DATE
from fundcore.statements.audit_trail import audit_list
from fundcore.statements.books import account_balances, account_book, journal_book

_from = click.option("--from", "start", required=True, type=DATE, help="First business date.")
_to = click.option("--to", "end", required=True, type=DATE, help="Last business date.")


@ledger_group.command("journal")
@_from
@_to
@table_format
@table_out
@table_force
@common_options
def journal_cmd(start: date, end: date, fmt: str, out: Path | None, force: bool) -> None:
    """序时账: every entry's lines dated in the period, in order (finance, auditor, admin).

    Example: fund ledger journal --from 2019-01-01 --to 2019-12-31 --format xlsx --out j.xlsx
    """
    show(
        lambda conn, lang: journal_book(conn, context.operator(), start, end, lang), fmt, out, force
    )


@ledger_group.command("account")
@click.argument("code")
@_from
@_to
@table_format
@table_out
@table_force
@common_options
def account_cmd(code: str, start: date, end: date, fmt: str, out: Path | None, force: bool) -> None:
    """明细账: one account's lines with the running balance (借/贷), from the opening
    balance to the closing one.

    Example: fund ledger account 1211 --from 2019-01-01 --to 2019-03-31
    """
    show(
        lambda conn, lang: account_book(conn, context.operator(), code, start, end, lang),
        fmt,
        out,
        force,
    )


@ledger_group.command("balances")
@_from
@_to
@table_format
@table_out
@table_force
@common_options
def balances_cmd(start: date, end: date, fmt: str, out: Path | None, force: bool) -> None:
    """科目余额表: each account's opening balance, the period's debits and credits and the
    closing balance, in debit and credit columns whose totals agree.

    Example: fund ledger balances --from 2019-01-01 --to 2019-12-31 --format csv --out b.csv
    """
    show(
        lambda conn, lang: account_balances(conn, context.operator(), start, end, lang),
        fmt,
        out,
        force,
    )


@click.group("audit")
@common_options
def audit_group() -> None:
    """The audit log: who did what, when (finance, auditor, admin)."""


@audit_group.command("list")
@click.option("--from", "start", required=True, type=DATE, help="First day recorded (UTC).")
@click.option("--to", "end", required=True, type=DATE, help="Last day recorded (UTC).")
@click.option("--operator", "by", help="Only this operator's acts.")
@click.option("--kind", help="Only this kind of act (e.g. repayments, decisions.decide).")
@table_format
@table_out
@table_force
@common_options
def audit_list_cmd(
    start: date,
    end: date,
    by: str | None,
    kind: str | None,
    fmt: str,
    out: Path | None,
    force: bool,
) -> None:
    """The records made on the days given, oldest first.

    Example: fund audit list --from 2026-12-01 --to 2026-12-31 --kind decisions
    """
    show(
        lambda conn, _lang: audit_list(conn, context.operator(), start, end, by=by, kind=kind),
        fmt,
        out,
        force,
    )


def register(group: click.Group) -> None:
    group.add_command(audit_group)
