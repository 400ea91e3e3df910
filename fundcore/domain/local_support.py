"""Local leverage (地方配套) as rules: when a facility's declared support is in place.

A grant needs none. A loan or guarantee backed by 1:1 matching is paid out once the
matching received reaches the amount pledged; one backed by the county government's
counter-guarantee (反担保), once the counter-guarantee is on record. A counter-guarantee
covers a share of the principal, in basis points rounded down (it never overstates).
"""

from __future__ import annotations

from fundcore.domain.money import BP
from fundcore.domain.terms import Instrument, LocalSupportKind


def support_in_place(
    instrument: Instrument | str,
    declared_kind: str | None,
    matching_required_fen: int,
    matching_fen: int,
    counter_fen: int,
) -> bool:
    """Is the declared support there, given the amounts received of each kind?"""
    if instrument == Instrument.GRANT:
        return True
    if declared_kind == LocalSupportKind.MATCHING:
        return matching_fen >= matching_required_fen
    return counter_fen > 0


def counter_share_bp(amount_fen: int, principal_fen: int) -> int:
    """The share of the principal a counter-guarantee of ``amount_fen`` covers."""
    return amount_fen * BP // principal_fen
