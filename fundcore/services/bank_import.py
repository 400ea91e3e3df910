"""Importing a bank's repayment file under the batch protocol (``services.batch``).

``repayments.repay_many`` allocates and posts the file's repayments; the cell problems
of the file and the refusals of its rows are reported together in file order, and the
mode decides whether what was posted is kept.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Connection

from fundcore.domain.repayments import RepaymentIn
from fundcore.intake.batch import Problem, in_file_order
from fundcore.services import repayments
from fundcore.services.batch import Batch, BatchReport, Mode, run

#: a repayment applied, with the principal and the interest it paid (fen)
Applied = tuple[RepaymentIn, int, int]


def import_repayments(
    conn: Connection,
    operator: str | None,
    items: Sequence[RepaymentIn],
    problems: Sequence[Problem],
    mode: Mode,
) -> BatchReport[Applied, RepaymentIn]:
    """Record the repayments read from a bank file; ``problems``: its bad rows' cells."""

    def step() -> Batch[Applied, RepaymentIn]:
        report = repayments.repay_many(conn, operator, items)
        refused = [Problem.of(err, item.line, "ref") for item, err in report.problems]
        return Batch(
            tuple(report.applied), tuple(report.replayed), in_file_order([*problems, *refused])
        )

    return run(conn, mode, step)
