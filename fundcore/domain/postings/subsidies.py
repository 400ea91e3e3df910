"""What the interest subsidy (贴息) posts: accrued at each due date, paid to each bank.

The subsidised part of a guaranteed bank loan's instalment interest is the fund's to
pay the bank (the borrower owes only the rest). At the day close that passes the due
date it is accrued as a programme cost (业务活动成本—贴息, 5101.04) against a payable to
the bank (2209.01), one entry per bank and close; ``fund subsidies pay`` settles a
bank's payable through a date from the bank account, one entry per bank and period.
Each entry belongs to the bank (object type ``subsidy``, the bank's name as its id), so
the payable is reconciled bank by bank against the accrual records.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from fundcore.domain import chart
from fundcore.domain.ledger import EntryDraft, credit, debit
from fundcore.domain.terms import EntryKind

#: the business object subsidy entries belong to: the bank
SUBSIDY = "subsidy"


@dataclass(frozen=True, slots=True)
class SubsidyAccrued:
    """The subsidies of one bank's instalments that fell due by a close's date."""

    bank: str
    business_date: date
    operator: str
    amount_fen: int
    instalments: int


def subsidy_accrual(fact: SubsidyAccrued) -> EntryDraft:
    """Programme cost against the payable to the bank."""
    return EntryDraft(
        fact.business_date,
        EntryKind.SUBSIDY_ACCRUAL,
        fact.operator,
        (
            debit(chart.PROGRAMME_SUBSIDIES, fact.amount_fen),
            credit(chart.SUBSIDY_PAYABLE, fact.amount_fen),
        ),
        object_type=SUBSIDY,
        object_id=fact.bank,
        memo=f"{fact.instalments} instalments due by {fact.business_date.isoformat()}",
    )


@dataclass(frozen=True, slots=True)
class SubsidyPaid:
    """A bank paid its accrued subsidies of the instalments due by ``through``."""

    bank: str
    business_date: date
    operator: str
    amount_fen: int
    through: date


def subsidy_payment(fact: SubsidyPaid) -> EntryDraft:
    """The payable to the bank against the bank account."""
    return EntryDraft(
        fact.business_date,
        EntryKind.SUBSIDY_PAYMENT,
        fact.operator,
        (debit(chart.SUBSIDY_PAYABLE, fact.amount_fen), credit(chart.BANK, fact.amount_fen)),
        object_type=SUBSIDY,
        object_id=fact.bank,
        memo=f"through {fact.through.isoformat()}",
    )
