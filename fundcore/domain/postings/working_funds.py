"""What a year's county working funds post (县级团委青年创业工作经费).

Each county league in the register is paid its year's amount once: programme working
funds against the bank, one entry per county, belonging to ``<county>/<year>``.
A year's funds are paid within that year: a payment dated in another year would put
one year's money in another year's books.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from fundcore.domain import chart
from fundcore.domain.errors import RuleBroken
from fundcore.domain.ledger import EntryDraft, credit, debit
from fundcore.domain.terms import EntryKind


@dataclass(frozen=True, slots=True)
class WorkingFundPayment:
    county_code: str
    year: int
    amount_fen: int


def check_dated_in_year(year: int, on: date) -> None:
    """A year's working funds are dated within that year (1 January to 31 December)."""
    if on.year != year:
        raise RuleBroken(
            "working_funds.date_outside_year",
            year=year,
            date=on.isoformat(),
            first=date(year, 1, 1).isoformat(),
            last=date(year, 12, 31).isoformat(),
        )


def working_funds_entry(p: WorkingFundPayment, on: date, operator: str) -> EntryDraft:
    """Programme working funds debited, bank credited, for the county's year."""
    return EntryDraft(
        on,
        EntryKind.WORKING_FUNDS,
        operator,
        (debit(chart.PROGRAMME_WORKING_FUNDS, p.amount_fen), credit(chart.BANK, p.amount_fen)),
        object_type="working_fund",
        object_id=f"{p.county_code}/{p.year}",
    )
