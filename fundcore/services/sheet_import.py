"""Importing a county's application sheet under the batch protocol (``services.batch``).

Every row is parsed and screened, a row with bad cells too by every rule its good cells
allow; the field problems of the sheet and the screening problems of its rows are
reported together in file order, and so are the notes of what was ignored; the mode
then decides whether the rows taken are kept.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from datetime import date

from sqlalchemy import Connection

from fundcore.intake.batch import in_file_order
from fundcore.intake.sheet import Sheet
from fundcore.services import applications
from fundcore.services.applications import Taken
from fundcore.services.batch import Batch, BatchReport, Mode, run

#: given the number of rows to screen, a context giving the function told of each step
Progress = Callable[[int], AbstractContextManager[Callable[[int], None]]]


def import_sheet(
    conn: Connection,
    operator: str | None,
    sheet: Sheet,
    business_date: date,
    mode: Mode,
    *,
    source: str,
    progress: Progress | None = None,
) -> BatchReport[Taken, Taken]:
    """Import ``sheet`` (read from the file named ``source``) as of ``business_date``."""
    rows = applications.read_sheet_rows(sheet)

    def step() -> Batch[Taken, Taken]:
        with (progress or _silent)(len(rows.parsed)) as tick:
            report = applications.submit(
                conn,
                operator,
                rows.parsed,
                business_date,
                source=source,
                sha256=sheet.source_sha256,
                progress=tick,
                unparsed=rows.unparsed,
            )
        return Batch(
            tuple(report.taken),
            tuple(report.unchanged),
            in_file_order(rows.problems + report.problems),
            report.batch_id,
            in_file_order(rows.notes + report.notes),
        )

    return run(conn, mode, step)


@contextlib.contextmanager
def _silent(_rows: int) -> Iterator[Callable[[int], None]]:
    """No progress shown."""
    yield lambda _done: None
