"""``fund ledger journal|account|balances`` and ``fund audit list``: the books and the log.

Each prints an aligned table (the default), writes CSV or XLSX to ``--out`` (the same
output-path rules as the statements: never the database or its companions, an existing
file only with ``--force``), or with ``--json`` prints the table's columns and rows,
amounts in fen.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import click

from cli import context
from cli.context import common_options, emit, t
from cli.ledger_cmds import ledger_group
from cli.statements_cmds import _need_out, _produce
from cli.table import render
from cli.types import DATE
from fundcore.statements import export
from fundcore.statements.audit_trail import audit_list
from fundcore.statements.books import account_balances, account_book, journal_book
from fundcore.store.uow import UnitOfWork

_from = click.option("--from", "start", required=True, type=DATE, help="First business date.")
_to = click.option("--to", "end", required=True, type=DATE, help="Last business date.")
_format = click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "csv", "xlsx"]),
    default="text",
    show_default=True,
    help="A table on the screen, a CSV file or an XLSX workbook (--out).",
)
_out = click.option(
    "--out", type=click.Path(dir_okay=False, path_type=Path), help="The file to write."
)
_force = click.option("--force", is_flag=True, help="Replace --out if it exists.")


def _show(read: Callable[..., export.Table], fmt: str, out: Path | None, force: bool) -> None:
    """Read the table in a read-only unit of work (``read(conn, lang)``), then print it or
    write it to --out."""
    lang = context.lang()
    if fmt != "text":
        out = _need_out(out, force, fmt)
    with UnitOfWork(context.engine(), write=False) as uow:
        table = read(uow.conn, lang)
    if fmt == "text":
        headers, rows, right = export.text_table(table, lang)
        title = table.title_en if lang == "en" else table.title_zh
        emit(export.json_table(table, lang), lambda: title + "\n" + render(headers, rows, right))
        return
    assert out is not None
    writer = export.write_csv if fmt == "csv" else export.write_xlsx
    files = _produce(out, force, lambda path: writer([table], path, lang))
    emit(
        {"ok": True, "files": [str(f) for f in files], "rows": len(table.rows)},
        "\n".join(t(f"已写入 {f}", f"written {f}") for f in files),
    )


@ledger_group.command("journal")
@_from
@_to
@_format
@_out
@_force
@common_options
def journal_cmd(start: date, end: date, fmt: str, out: Path | None, force: bool) -> None:
    """序时账: every entry's lines dated in the period, in order (finance, auditor, admin).

    Example: fund ledger journal --from 2019-01-01 --to 2019-12-31 --format xlsx --out j.xlsx
    """
    _show(
        lambda conn, lang: journal_book(conn, context.operator(), start, end, lang), fmt, out, force
    )


@ledger_group.command("account")
@click.argument("code")
@_from
@_to
@_format
@_out
@_force
@common_options
def account_cmd(code: str, start: date, end: date, fmt: str, out: Path | None, force: bool) -> None:
    """明细账: one account's lines with the running balance (借/贷), from the opening
    balance to the closing one.

    Example: fund ledger account 1211 --from 2019-01-01 --to 2019-03-31
    """
    _show(
        lambda conn, lang: account_book(conn, context.operator(), code, start, end, lang),
        fmt,
        out,
        force,
    )


@ledger_group.command("balances")
@_from
@_to
@_format
@_out
@_force
@common_options
def balances_cmd(start: date, end: date, fmt: str, out: Path | None, force: bool) -> None:
    """科目余额表: each account's opening balance, the period's debits and credits and the
    closing balance, in debit and credit columns whose totals agree.

    Example: fund ledger balances --from 2019-01-01 --to 2019-12-31 --format csv --out b.csv
    """
    _show(
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
@_format
@_out
@_force
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
    _show(
        lambda conn, _lang: audit_list(conn, context.operator(), start, end, by=by, kind=kind),
        fmt,
        out,
        force,
    )


def register(group: click.Group) -> None:
    group.add_command(audit_group)
