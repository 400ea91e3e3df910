"""Money in from a donor (社会捐赠): the bank against donation income.

A donation given for a purpose is restricted income (限定性捐赠收入), one without is
unrestricted; the entry belongs to the donation and its memo names the donor (and the
purpose, when there is one).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from fundcore.domain import chart
from fundcore.domain.ledger import EntryDraft, credit, debit
from fundcore.domain.terms import EntryKind


@dataclass(frozen=True, slots=True)
class Donation:
    """A recorded donation, as the ledger needs it."""

    donation_id: int
    amount_fen: int
    donor: str
    business_date: date
    restricted_purpose: str | None = None


def donation_entry(d: Donation, operator: str) -> EntryDraft:
    """Bank debited, restricted or unrestricted donations credited, by the amount given."""
    income = chart.DONATIONS_RESTRICTED if d.restricted_purpose else chart.DONATIONS_UNRESTRICTED
    return EntryDraft(
        business_date=d.business_date,
        kind=EntryKind.DONATION,
        operator=operator,
        lines=(debit(chart.BANK, d.amount_fen), credit(income, d.amount_fen)),
        object_type="donation",
        object_id=str(d.donation_id),
        memo=d.donor if not d.restricted_purpose else f"{d.donor} / {d.restricted_purpose}",
    )
