"""``fund progress``: the programme's targets and how far the fund has got, as of a day."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from cli import context
from cli.context import common_options
from cli.tables_out import show, table_force, table_format, table_out
from cli.types import DATE
from fundcore.statements.progress import progress, progress_tables


@click.command("progress")
@click.option(
    "--as-of",
    "as_of",
    type=DATE,
    help="The figures at the end of this business date (default: the last day closed).",
)
@click.option("--county", help="One county (a county league: its own).")
@table_format
@table_out
@table_force
@common_options
def progress_cmd(
    as_of: date | None, county: str | None, fmt: str, out: Path | None, force: bool
) -> None:
    """Money raised, youth supported, poor people reached and working funds paid, against
    the programme's targets (policy data), by province and county.

    Example: fund progress --as-of 2020-12-31 --as cashier
    """
    show(
        lambda conn, lang: progress_tables(progress(conn, context.operator(), as_of, county), lang),
        fmt,
        out,
        force,
    )


def register(group: click.Group) -> None:
    group.add_command(progress_cmd)
