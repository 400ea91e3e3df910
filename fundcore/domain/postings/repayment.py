"""What a repayment posts: an interest-free loan's principal comes back to the bank; a
guaranteed bank loan's repayment moves no fund money, but once the bank loan is fully
repaid the guarantee deposit placed with the bank comes back (保证金退还).

Interest on a guaranteed bank loan is the bank's, never the fund's, so nothing here
posts interest.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from fundcore.domain import chart
from fundcore.domain.ledger import EntryDraft, credit, debit
from fundcore.domain.terms import EntryKind

#: the business object every servicing entry belongs to
FACILITY = "facility"


@dataclass(frozen=True, slots=True)
class LoanRepaid:
    """Principal of an interest-free loan repaid on ``business_date`` under bank ``ref``."""

    facility_id: int
    business_date: date
    operator: str
    principal_fen: int
    ref: str


@dataclass(frozen=True, slots=True)
class DepositReleased:
    """A guarantee deposit returned by the bank; ``memo`` is the repayment's ref, if any."""

    facility_id: int
    business_date: date
    operator: str
    deposit_fen: int
    memo: str = ""


def loan_repayment(fact: LoanRepaid) -> EntryDraft:
    """Bank against loans receivable, for the principal repaid."""
    return EntryDraft(
        fact.business_date,
        EntryKind.REPAYMENT,
        fact.operator,
        (debit(chart.BANK, fact.principal_fen), credit(chart.LOANS_RECEIVABLE, fact.principal_fen)),
        object_type=FACILITY,
        object_id=str(fact.facility_id),
        memo=fact.ref,
    )


def deposit_release(fact: DepositReleased) -> EntryDraft:
    """Bank against guarantee deposits placed, for the whole deposit."""
    return EntryDraft(
        fact.business_date,
        EntryKind.DEPOSIT_RELEASE,
        fact.operator,
        (debit(chart.BANK, fact.deposit_fen), credit(chart.GUARANTEE_DEPOSITS, fact.deposit_fen)),
        object_type=FACILITY,
        object_id=str(fact.facility_id),
        memo=fact.memo,
    )
