"""What is wrong with a row of a file someone sent: the one shape every import reports.

An application sheet, a bank's repayment file and the county register are all read the
same way: every problem is kept as data (never raised one at a time), naming the line
as the user's file numbers it (the header row is line 1, as Excel shows it) and the
column by its key, so that a message can name it by the header the user's file gave it.
Problems are reported in file order, so the user can fix a file from top to bottom.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from fundcore.domain.errors import FundError


@dataclass(frozen=True, slots=True)
class Problem:
    """One problem of one row: ``line`` None for the options of a single command."""

    line: int | None
    column: str | None
    code: str
    params: dict[str, object]

    @classmethod
    def of(cls, err: FundError, line: int | None, column: str | None) -> Problem:
        """A refusal of one row's value, as a problem of that line and column."""
        return cls(line, column, err.code, err.params)


def in_file_order(problems: Iterable[Problem]) -> tuple[Problem, ...]:
    """Problems by line (stable: a line's problems keep the order they were found in)."""
    return tuple(sorted(problems, key=lambda p: p.line or 0))


def bad_lines(problems: Iterable[Problem]) -> int:
    """How many lines have at least one problem."""
    return len({p.line for p in problems})
