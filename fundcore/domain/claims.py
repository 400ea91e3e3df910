"""What is still to recover on a claimed guarantee (追偿), from the borrower and the county.

The whole claim is owed back; the county's counter-guarantee share of it by the county
government, the rest by the borrower; each less what was recovered from it. Once written
off nothing is left to recover: the write-off takes both at once.
"""

from __future__ import annotations

from dataclasses import dataclass

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
) -> Receivables:
    """What the borrower and the county still owe the fund after a claim; never negative."""
    if status == FacilityStatus.WRITTEN_OFF:
        return Receivables(0, 0)
    borrower = claim_paid_fen - county_share_fen - recovered_borrower_fen
    county = county_share_fen - recovered_county_fen
    return Receivables(max(borrower, 0), max(county, 0))
