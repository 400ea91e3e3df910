"""Printing or writing the tables a read command returns (the books, the audit log,
progress): one shape for all of them.

A table is printed aligned (the default), written as CSV (a file per table) or one XLSX
workbook to ``--out`` under the statements' output-path rules (never the database or
its companions; an existing file only with ``--force``), or with ``--json`` given as
columns and rows, amounts in fen: one table as one document, several as ``tables``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import click

from cli import context
from cli.context import emit, t
from cli.statements_cmds import _need_out, _produce
from cli.table import render
from fundcore.statements import export
from fundcore.store.uow import UnitOfWork

table_format = click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "csv", "xlsx"]),
    default="text",
    show_default=True,
    help="A table on the screen, CSV files or an XLSX workbook (--out).",
)
table_out = click.option(
    "--out", type=click.Path(dir_okay=False, path_type=Path), help="The file to write."
)
table_force = click.option("--force", is_flag=True, help="Replace --out if it exists.")

Read = Callable[..., "export.Table | list[export.Table]"]


def show(read: Read, fmt: str, out: Path | None, force: bool) -> None:
    """Read the tables in a read-only unit of work (``read(conn, lang)``), then print
    them or write them to --out."""
    lang = context.lang()
    if fmt != "text":
        out = _need_out(out, force, fmt)
    with UnitOfWork(context.engine(), write=False) as uow:
        found = read(uow.conn, lang)
    tables = found if isinstance(found, list) else [found]
    if fmt == "text":
        doc = (
            export.json_table(tables[0], lang)
            if len(tables) == 1
            else {"tables": [export.json_table(x, lang) for x in tables]}
        )
        emit(doc, lambda: "\n\n".join(_text(x, lang) for x in tables))
        return
    assert out is not None
    writer = export.write_csv if fmt == "csv" else export.write_xlsx
    files = _produce(out, force, lambda path: writer(tables, path, lang))
    emit(
        {"ok": True, "files": [str(f) for f in files], "rows": sum(len(x.rows) for x in tables)},
        "\n".join(t(f"已写入 {f}", f"written {f}") for f in files),
    )


def _text(table: export.Table, lang: str) -> str:
    headers, rows, right = export.text_table(table, lang)
    title = table.title_en if lang == "en" else table.title_zh
    return title + "\n" + render(headers, rows, right)
