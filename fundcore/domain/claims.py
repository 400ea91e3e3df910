"""What a claim (代偿) covers, and what is still to recover after it (追偿).

A claim pays the bank what the guarantee agreement covers: the coverage share of the
principal still outstanding and, where the policy under which the guarantee was approved
says so (``claim_covers_interest``), the same share of the overdue interest (interest of
the instalments due by the claim date that the borrower has not paid; no penalty
interest). A claim of less than that is principal first.

The whole claim, interest included, is owed back (the guarantor steps into the bank's
rights for what it paid, 民法典 Art. 700); the county's counter-guarantee share of it by
the county government, the rest by the borrower; each less what was recovered from it.
A write-off of the borrower leaves the county's share owed: the county's debt is
written off only on its own (``county_written_off_fen``). A defaulted interest-free
loan's county share, once called, is owed by the county in the same way.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from fundcore.domain.money import share_fen
from fundcore.domain.terms import FacilityStatus, RecoverySource


@dataclass(frozen=True, slots=True)
class Receivables:
    """(from the borrower, from the county) still to recover, in fen."""

    borrower_fen: int
    county_fen: int

    def owed_by(self, source: RecoverySource) -> int:
        return self.borrower_fen if source == RecoverySource.BORROWER else self.county_fen

    @property
    def total_fen(self) -> int:
        return self.borrower_fen + self.county_fen


def receivables(
    status: str,
    claim_paid_fen: int,
    county_share_fen: int,
    recovered_borrower_fen: int,
    recovered_county_fen: int,
    county_written_off_fen: int = 0,
) -> Receivables:
    """What the borrower and the county still owe the fund after a claim (for a loan,
    the borrower's figure is 0: a loan's borrower owes on its schedule); never negative."""
    county = max(county_share_fen - recovered_county_fen - county_written_off_fen, 0)
    if status == FacilityStatus.WRITTEN_OFF:
        return Receivables(0, county)
    borrower = claim_paid_fen - county_share_fen - recovered_borrower_fen if claim_paid_fen else 0
    return Receivables(max(borrower, 0), county)


@dataclass(frozen=True, slots=True)
class Cover:
    """What a claim on one guarantee may pay the bank, in fen."""

    coverage_bp: int
    covers_interest: bool
    #: the coverage share of the principal outstanding
    principal_fen: int
    #: the coverage share of the overdue interest, if the agreement covers it; else 0
    interest_fen: int
    #: the borrower's overdue interest, covered or not (what the bank is owed)
    overdue_interest_fen: int

    @property
    def total_fen(self) -> int:
        return self.principal_fen + self.interest_fen

    def split(self, amount_fen: int) -> tuple[int, int]:
        """(principal, interest) of a claim of ``amount_fen`` (at most ``total_fen``):
        the covered principal first, the rest interest."""
        principal = min(amount_fen, self.principal_fen)
        return principal, amount_fen - principal


def cover(
    outstanding_fen: int, overdue_interest_fen: int, coverage_bp: int, covers_interest: bool
) -> Cover:
    """The coverage share (half-up to the fen) of the principal and, if covered, of the
    overdue interest, each rounded on its own as the claim states them."""
    interest = share_fen(overdue_interest_fen, coverage_bp) if covers_interest else 0
    return Cover(
        coverage_bp,
        covers_interest,
        share_fen(outstanding_fen, coverage_bp),
        interest,
        overdue_interest_fen,
    )


def overdue_interest(instalments: Iterable[tuple[date, int, int]], on: date) -> int:
    """Unpaid interest of the instalments due on or before ``on``, given each one's
    (due date, interest, interest paid)."""
    return sum(max(i - paid, 0) for due, i, paid in instalments if due <= on)
