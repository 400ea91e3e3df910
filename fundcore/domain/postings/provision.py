"""What the day close posts for the guarantee loss provision (担保赔偿准备).

The provision is kept at no less than the policy's share of the guarantee exposure:
when the target is above what it holds, the difference is expensed into it. It is never
released by the day close; write-offs draw on it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from fundcore.domain import chart
from fundcore.domain.ledger import EntryDraft, credit, debit
from fundcore.domain.money import share_fen
from fundcore.domain.terms import EntryKind

#: the business object a provision entry belongs to: the day close of its date
DAY_CLOSE = "day_close"


@dataclass(frozen=True, slots=True)
class ProvisionReview:
    """The day close's look at the provision: the exposure, the policy share, the balance."""

    business_date: date
    operator: str
    exposure_fen: int
    provision_bp: int
    held_fen: int

    @property
    def target_fen(self) -> int:
        return share_fen(self.exposure_fen, self.provision_bp)

    @property
    def after_fen(self) -> int:
        """What the provision holds after the review: the target, if it was short."""
        return max(self.target_fen, self.held_fen)


def provision_top_up(review: ProvisionReview) -> EntryDraft | None:
    """Expense against the provision for what it lacks of its target; None if nothing."""
    target = review.target_fen
    short = target - review.held_fen
    if short <= 0:
        return None
    return EntryDraft(
        review.business_date,
        EntryKind.PROVISION,
        review.operator,
        (debit(chart.PROVISION_EXPENSE, short), credit(chart.GUARANTEE_LOSS_PROVISION, short)),
        object_type=DAY_CLOSE,
        object_id=review.business_date.isoformat(),
        memo=f"top-up to {target} fen on exposure {review.exposure_fen}",
    )
