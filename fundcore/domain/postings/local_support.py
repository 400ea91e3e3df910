"""What local support posts: the county's matching money arriving (配套资金到账).

The pledge was recognised at approval (``postings.decisions``); its receipt moves it
from matching receivable into the bank. A counter-guarantee (反担保) posts nothing: it
is a promise on record, drawn on only if a guarantee is claimed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from fundcore.domain import chart
from fundcore.domain.ledger import EntryDraft, credit, debit
from fundcore.domain.terms import EntryKind


@dataclass(frozen=True, slots=True)
class MatchingReceipt:
    facility_id: int
    amount_fen: int
    business_date: date
    ref: str | None = None


def receipt_entry(r: MatchingReceipt, operator: str) -> EntryDraft:
    """Bank debited, matching receivable credited; the memo carries the bank's ref."""
    return EntryDraft(
        r.business_date,
        EntryKind.MATCHING_RECEIPT,
        operator,
        (debit(chart.BANK, r.amount_fen), credit(chart.MATCHING_RECEIVABLE, r.amount_fen)),
        object_type="facility",
        object_id=str(r.facility_id),
        memo=f"matching receipt {r.ref or ''}",
    )
