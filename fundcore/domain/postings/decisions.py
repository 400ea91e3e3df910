"""What an approval posts: the county's 1:1 matching pledge (地方配套承诺).

When a loan or guarantee backed by matching money is approved, the county's promise is
recognised at once: matching receivable against restricted donations, so the fund's net
assets (and its guarantee leverage room) grow by the pledge. Cancelling the approval
reverses this entry (``ledger.reversal_of``); a pledge already received cannot be.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from fundcore.domain import chart
from fundcore.domain.ledger import EntryDraft, credit, debit
from fundcore.domain.terms import EntryKind

PLEDGE_MEMO = "1:1 matching pledged by the county"


@dataclass(frozen=True, slots=True)
class MatchingPledge:
    facility_id: int
    amount_fen: int


def pledge_entry(p: MatchingPledge, on: date, operator: str) -> EntryDraft:
    """Matching receivable debited, restricted donations credited, for the facility."""
    return EntryDraft(
        on,
        EntryKind.MATCHING_PLEDGE,
        operator,
        (
            debit(chart.MATCHING_RECEIVABLE, p.amount_fen),
            credit(chart.DONATIONS_RESTRICTED, p.amount_fen),
        ),
        object_type="facility",
        object_id=str(p.facility_id),
        memo=PLEDGE_MEMO,
    )


def pledge_reversal_memo(reason: str) -> str:
    """The memo of the reversal that undoes a pledge when its approval is cancelled."""
    return f"approval cancelled: {reason}"
