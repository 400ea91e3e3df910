"""Local leverage (地方配套) as rules: what a facility's declared support must reach.

A grant needs none. A loan or guarantee backed by 1:1 matching is paid out once the
matching received reaches the amount pledged, which is the policy's ratio of what the
matching matches: a loan's principal; for a guarantee, the policy's basis — the bank
loan's principal (default: the programme sizes a guarantee by the loan it backs, 1-10万)
or the guarantee deposit the fund places. One backed by the county government's
counter-guarantee (反担保) is paid out once a counter-guarantee covering at least the
policy's minimum share of the principal is on record. A share is in basis points
rounded down, so it never overstates what a counter-guarantee covers.
"""

from __future__ import annotations

from enum import StrEnum

from fundcore.domain.errors import RuleBroken
from fundcore.domain.money import BP, share_fen
from fundcore.domain.policy import Policy
from fundcore.domain.terms import Instrument, LocalSupportKind


class MatchingBasis(StrEnum):
    """What 1:1 matching matches (its word is shown as a term)."""

    BANK_LOAN = "bank_loan"  # a guarantee: the bank loan's principal
    DEPOSIT = "deposit"  # a guarantee: the deposit the fund places with the bank
    PRINCIPAL = "principal"  # an interest-free loan: its principal


def matching_basis(instrument: Instrument | str, p: Policy) -> MatchingBasis:
    """What the matching of a facility of ``instrument`` matches under policy ``p``."""
    if instrument == Instrument.GUARANTEE:
        return MatchingBasis(p.guarantee_matching_basis)
    return MatchingBasis.PRINCIPAL


def matching_base_fen(basis: MatchingBasis, principal_fen: int, deposit_fen: int) -> int:
    """The amount the matching is a ratio of."""
    return deposit_fen if basis == MatchingBasis.DEPOSIT else principal_fen


def matching_required_fen(
    instrument: Instrument | str,
    declared_kind: str | None,
    principal_fen: int,
    deposit_fen: int,
    p: Policy,
) -> int:
    """The matching a county must bring: the policy's ratio (1:1) of the basis; none for
    a grant or for support declared as a counter-guarantee."""
    if instrument == Instrument.GRANT or declared_kind != LocalSupportKind.MATCHING:
        return 0
    base = matching_base_fen(matching_basis(instrument, p), principal_fen, deposit_fen)
    return share_fen(base, p.matching_ratio_bp)


def support_in_place(
    instrument: Instrument | str,
    declared_kind: str | None,
    matching_required_fen: int,
    matching_fen: int,
    counter_share_bp: int,
    counter_min_bp: int,
) -> bool:
    """Is the declared support there, given the matching received and the share of the
    principal the counter-guarantee on record covers (0 without one)?"""
    if instrument == Instrument.GRANT:
        return True
    if declared_kind == LocalSupportKind.MATCHING:
        return matching_fen >= matching_required_fen
    return counter_share_bp > 0 and counter_share_bp >= counter_min_bp


def counter_share_bp(amount_fen: int, principal_fen: int) -> int:
    """The share of the principal a counter-guarantee of ``amount_fen`` covers."""
    return amount_fen * BP // principal_fen


def counter_least_fen(principal_fen: int, min_bp: int) -> int:
    """The smallest counter-guarantee that covers ``min_bp`` of the principal (rounded up,
    since its share is rounded down)."""
    return -(-principal_fen * min_bp // BP)


def check_counter_share(amount_fen: int, principal_fen: int, min_bp: int) -> int:
    """The share a counter-guarantee of ``amount_fen`` covers, or ``support.counter_too_small``
    with the figures when that is below the policy's minimum (or nothing at all)."""
    share = counter_share_bp(amount_fen, principal_fen)
    if share < min_bp or share == 0:
        raise RuleBroken(
            "support.counter_too_small",
            amount=amount_fen,
            principal=principal_fen,
            share=share,
            min=min_bp,
            least=max(counter_least_fen(principal_fen, min_bp), 1),
        )
    return share
