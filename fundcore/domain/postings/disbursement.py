"""Money out at pay-out (放款): one entry per facility, bank credited.

- interest-free loan (免息借款): loans receivable debited by the principal;
- guarantee (贷款担保): the deposit placed with the bank (存出保证金) debited; the bank
  loan itself is the bank's, so only the deposit leaves the fund;
- micro-grant (小额资助): programme cost debited by the principal, and the grant is paid.

A loan or guarantee becomes ``current`` (being repaid); a grant becomes ``paid``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from fundcore.domain import chart
from fundcore.domain.ledger import EntryDraft, Line, credit, debit
from fundcore.domain.terms import EntryKind, FacilityStatus, Instrument

#: the account debited at pay-out, by instrument
_DEBITED = {
    Instrument.LOAN: chart.LOANS_RECEIVABLE,
    Instrument.GUARANTEE: chart.GUARANTEE_DEPOSITS,
    Instrument.GRANT: chart.PROGRAMME_GRANTS,
}


@dataclass(frozen=True, slots=True)
class Payout:
    """What paying out one facility moves: its instrument, principal and deposit."""

    facility_id: int
    instrument: Instrument
    principal_fen: int
    deposit_fen: int = 0

    @property
    def cash_fen(self) -> int:
        """What leaves the bank: the deposit for a guarantee, else the principal."""
        if self.instrument == Instrument.GUARANTEE:
            return self.deposit_fen
        return self.principal_fen

    @property
    def status_after(self) -> FacilityStatus:
        """A grant is done once paid; a loan or guarantee is then being repaid."""
        if self.instrument == Instrument.GRANT:
            return FacilityStatus.PAID
        return FacilityStatus.CURRENT

    @property
    def outstanding_fen(self) -> int:
        """What is owed after pay-out: the principal, except for a grant (nothing)."""
        return 0 if self.instrument == Instrument.GRANT else self.principal_fen

    @property
    def lines(self) -> tuple[Line, ...]:
        return (debit(_DEBITED[self.instrument], self.cash_fen), credit(chart.BANK, self.cash_fen))


def payout_entry(p: Payout, on: date, operator: str) -> EntryDraft:
    """The pay-out entry (``disburse.<instrument>``), belonging to the facility."""
    return EntryDraft(
        on,
        EntryKind.disbursement(p.instrument),
        operator,
        p.lines,
        object_type="facility",
        object_id=str(p.facility_id),
    )
