"""What the fund can honour, as a rule over its figures (no database here).

Three limits, checked for every commitment an approval reserves:
- available cash = bank − undisbursed commitments − reserve floor must cover its cash;
- guarantee leverage: exposure after it ≤ leverage cap × net assets;
- county concentration (if the policy sets one): a county's exposure after it ≤ its
  share (bp, rounded down) of net assets.
A refusal is a ``RuleBroken`` carrying the figures, so the person sees why. The service
reads the figures under the fund lock and spends them commitment by commitment.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from fundcore.domain.errors import RuleBroken
from fundcore.domain.money import BP, share_fen
from fundcore.domain.policy import Policy
from fundcore.domain.terms import Instrument


@dataclass(frozen=True, slots=True)
class Capacity:
    bank_fen: int
    commitments_fen: int
    reserve_fen: int
    net_assets_fen: int
    exposure_fen: int
    leverage_cap_x: int

    @property
    def available_fen(self) -> int:
        """Bank balance less undisbursed commitments less the reserve floor."""
        return self.bank_fen - self.commitments_fen - self.reserve_fen

    @property
    def leverage_limit_fen(self) -> int:
        """The most guarantee exposure the fund may carry: cap × net assets."""
        return self.net_assets_fen * self.leverage_cap_x


@dataclass(frozen=True, slots=True)
class Commitment:
    """What an approval takes from the fund: cash reserved, guarantee exposure, deposit."""

    cash_fen: int
    exposure_fen: int
    deposit_fen: int


def commitment(instrument: Instrument | str, principal_fen: int, p: Policy) -> Commitment:
    """A guarantee reserves its deposit and is exposed by its coverage; a loan or grant
    reserves its principal and carries no exposure."""
    if instrument == Instrument.GUARANTEE:
        deposit = share_fen(principal_fen, p.guarantee_deposit_bp)
        return Commitment(deposit, share_fen(principal_fen, p.guarantee_coverage_bp), deposit)
    return Commitment(principal_fen, 0, 0)


def check_cash(cap: Capacity, cash_fen: int) -> None:
    if cash_fen > cap.available_fen:
        raise RuleBroken(
            "capacity.cash",
            need=cash_fen,
            available=cap.available_fen,
            bank=cap.bank_fen,
            committed=cap.commitments_fen,
            reserve=cap.reserve_fen,
        )


def check_leverage(cap: Capacity, exposure_fen: int) -> None:
    limit = cap.leverage_limit_fen
    if cap.exposure_fen + exposure_fen > limit:
        raise RuleBroken(
            "capacity.leverage",
            exposure=cap.exposure_fen,
            new=exposure_fen,
            net_assets=cap.net_assets_fen,
            cap=cap.leverage_cap_x,
            limit=limit,
        )


def county_limit_fen(net_assets_fen: int, concentration_bp: int) -> int:
    """A county's exposure limit: its share of net assets, rounded down (a limit)."""
    return net_assets_fen * concentration_bp // BP


def check_county(county_code: str, current_fen: int, exposure_fen: int, limit_fen: int) -> None:
    if current_fen + exposure_fen > limit_fen:
        raise RuleBroken(
            "capacity.county",
            county=county_code,
            exposure=current_fen,
            new=exposure_fen,
            limit=limit_fen,
        )


def reserved(cap: Capacity, cash_fen: int, exposure_fen: int) -> Capacity:
    """The figures once a commitment is reserved (checked first by the ``check_*``)."""
    return replace(
        cap,
        commitments_fen=cap.commitments_fen + cash_fen,
        exposure_fen=cap.exposure_fen + exposure_fen,
    )
