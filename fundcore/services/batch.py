"""The batch-import protocol: every row checked, then all taken, the good ones, or none.

Sheets of applications, banks' repayment files and the county register are imported
the same way. The whole file is checked and every problem reported; then the mode
decides what is kept: a dry run keeps nothing, ``all_or_nothing`` keeps nothing when
any row is bad, otherwise every good row is taken. The rule is applied here, once: the
import's writes happen inside a savepoint that is released or rolled back, so a dry
run or a refusal writes nothing whichever command runs it (the command still commits
its unit of work, which then holds nothing of the import).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from sqlalchemy import Connection

from fundcore.intake.batch import Problem, bad_lines

T = TypeVar("T")
U = TypeVar("U")


@dataclass(frozen=True, slots=True)
class Mode:
    """How an import treats bad rows: check only, or take nothing unless all are good."""

    dry_run: bool = False
    all_or_nothing: bool = False

    def keeps(self, problems: tuple[Problem, ...]) -> bool:
        """Whether an import with these problems keeps what it wrote."""
        return not self.dry_run and not (self.all_or_nothing and bool(problems))


@dataclass(frozen=True, slots=True)
class Batch(Generic[T, U]):
    """What one import did before the mode was applied: rows accepted (``T``), rows
    already there unchanged (``U``, a replay), problems in file order."""

    accepted: tuple[T, ...]
    unchanged: tuple[U, ...]
    problems: tuple[Problem, ...]
    batch_id: int | None = None
    #: what was ignored in rows still taken (superfluous cells, a row repeated)
    notes: tuple[Problem, ...] = ()


@dataclass(frozen=True, slots=True)
class BatchReport(Generic[T, U]):
    """A finished import: ``written`` says whether the accepted rows were kept."""

    mode: Mode
    written: bool
    accepted: tuple[T, ...]
    unchanged: tuple[U, ...]
    problems: tuple[Problem, ...]
    batch_id: int | None = None
    notes: tuple[Problem, ...] = ()

    @property
    def taken(self) -> tuple[T, ...]:
        """The rows recorded (none when nothing was written)."""
        return self.accepted if self.written else ()

    @property
    def would_take(self) -> tuple[T, ...]:
        """The rows a dry run or a refused import would have recorded."""
        return () if self.written else self.accepted

    @property
    def refused(self) -> bool:
        """Nothing written because of bad rows (``all_or_nothing``), not a dry run."""
        return not self.written and not self.mode.dry_run and bool(self.problems)

    @property
    def bad_lines(self) -> int:
        return bad_lines(self.problems)


def run(conn: Connection, mode: Mode, step: Callable[[], Batch[T, U]]) -> BatchReport[T, U]:
    """Run an import's ``step`` in a savepoint and keep its writes only if ``mode`` does."""
    savepoint = conn.begin_nested()
    try:
        batch = step()
    except BaseException:
        savepoint.rollback()
        raise
    written = mode.keeps(batch.problems)
    if written:
        savepoint.commit()
    else:
        savepoint.rollback()
    return BatchReport(
        mode,
        written,
        batch.accepted,
        batch.unchanged,
        batch.problems,
        batch.batch_id,
        batch.notes,
    )
