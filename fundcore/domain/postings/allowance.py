"""What the month-end close posts for the loan-loss allowance (坏账准备, 1231).

The allowance is brought to its target (``domain.allowance``) either way: a shortfall
is charged to 管理费用—坏账损失 (5201.01) against 1231, an excess is released back the
other way, so the allowance always states the month-end estimate of what the loans
receivable will not bring back.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from fundcore.domain import chart
from fundcore.domain.ledger import EntryDraft, credit, debit
from fundcore.domain.postings.provision import DAY_CLOSE
from fundcore.domain.terms import EntryKind


@dataclass(frozen=True, slots=True)
class AllowanceReview:
    """A month end's look at the allowance: the receivable by bucket, target, balance."""

    business_date: date
    operator: str
    buckets_fen: tuple[int, ...]
    target_fen: int
    held_fen: int

    @property
    def change_fen(self) -> int:
        """What the review adds (positive) or releases (negative)."""
        return self.target_fen - self.held_fen


def allowance_adjustment(review: AllowanceReview) -> EntryDraft | None:
    """Expense against the allowance for a shortfall, the reverse for an excess; None
    when the allowance already holds its target."""
    change = review.change_fen
    if change == 0:
        return None
    amount = abs(change)
    if change > 0:
        lines = (debit(chart.BAD_DEBTS, amount), credit(chart.LOAN_LOSS_ALLOWANCE, amount))
    else:
        lines = (debit(chart.LOAN_LOSS_ALLOWANCE, amount), credit(chart.BAD_DEBTS, amount))
    buckets = "/".join(str(b) for b in review.buckets_fen)
    return EntryDraft(
        review.business_date,
        EntryKind.ALLOWANCE,
        review.operator,
        lines,
        object_type=DAY_CLOSE,
        object_id=review.business_date.isoformat(),
        memo=f"allowance to {review.target_fen} fen on buckets {buckets}",
    )
