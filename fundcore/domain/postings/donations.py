"""Money in from a donor (社会捐赠): the bank against donation income.

A donation given for a purpose is restricted income (限定性捐赠收入) on that purpose's
sub-account (``domain.purposes``), one without is unrestricted; the entry belongs to the
donation and its memo names the donor (and the purpose, when there is one).

The Foundation's own matching donation (配捐) is not a donor's gift: it is the
Foundation moving its own money into this fund. It is credited to a separate income
line, 其他收入—基金会配捐 (4901.01), rather than posted straight to net assets: the
statement of activities then still explains every change in net assets (income less
expenses), and the money stays visible there, while 捐赠收入 — what donors gave, which
the Charity Law ratios and a donor report read — no longer counts it. It is always
unrestricted: a restriction is made by whoever provides the money (资产提供者), and the
Foundation earmarking its own money for its own fund is a designation, not one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from fundcore.domain import chart, purposes
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
    #: the purpose's code (``domain.purposes``); None: unrestricted
    purpose: str | None = None
    foundation_match: bool = False

    @property
    def income_account(self) -> str:
        if self.foundation_match:
            return chart.FOUNDATION_MATCH
        # a purpose given only in words (as before purposes were data) is the programme's
        code = self.purpose or (purposes.PROGRAMME if self.restricted_purpose else None)
        return purposes.income_account(purposes.BY_CODE[code] if code else None)


def donation_entry(d: Donation, operator: str) -> EntryDraft:
    """Bank debited, the donation's income account credited, by the amount given."""
    income = d.income_account
    return EntryDraft(
        business_date=d.business_date,
        kind=EntryKind.DONATION,
        operator=operator,
        lines=(debit(chart.BANK, d.amount_fen), credit(income, d.amount_fen)),
        object_type="donation",
        object_id=str(d.donation_id),
        memo=" / ".join(x for x in (d.donor, d.restricted_purpose, d.purpose) if x),
    )
