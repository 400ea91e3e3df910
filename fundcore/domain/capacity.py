"""What the fund can honour, as a rule over its figures (no database here).

Checked for every commitment an approval reserves:
- available cash = bank − undisbursed commitments − reserve floor must cover its cash;
- guarantee leverage: exposure after it ≤ leverage cap × net assets;
- county concentration (if the policy sets one): a county's exposure after it ≤ its
  share (bp, rounded down) of net assets;
- borrower concentration (融资担保公司监督管理条例): exposure to one borrower after it ≤
  its share of net assets (10%), and to the borrower with its related parties ≤ theirs
  (15%). Related parties are those whose application declared the same household
  register or the same enterprise as one of the borrower's applications.

The guarantee room shown (``guarantee_room``) is the smaller of two limits: the
net-asset multiple (cap × net assets − exposure) and cash, since every new guarantee
needs its deposit paid: available cash ÷ deposit rate × coverage (at a 20% deposit and
full coverage, ¥119.9M of cash supports at most ¥599.5M of new guarantee liability).
A refusal is a ``RuleBroken`` carrying the figures, so the person sees why. The service
reads the figures under the fund lock and spends them commitment by commitment.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from enum import StrEnum

from fundcore import messages
from fundcore.domain.errors import RuleBroken
from fundcore.domain.identity import mask_id
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
    #: the policy's deposit and coverage rates, for the cash limit on new guarantees
    deposit_bp: int = 0
    coverage_bp: int = 10_000
    #: matching money in the bank on its way to a project: not the fund's to commit
    held_fen: int = 0

    @property
    def available_fen(self) -> int:
        """Bank balance less undisbursed commitments, the reserve floor and matching
        money held for its project."""
        return self.bank_fen - self.commitments_fen - self.reserve_fen - self.held_fen

    @property
    def leverage_limit_fen(self) -> int:
        """The most guarantee exposure the fund may carry: cap × net assets."""
        return self.net_assets_fen * self.leverage_cap_x


class Binding(StrEnum):
    """Which limit holds the guarantee room down (its word is shown as a term)."""

    NET_ASSETS = "room.net_assets"
    CASH = "room.cash"


@dataclass(frozen=True, slots=True)
class GuaranteeRoom:
    """New guarantee liability the fund may still take on, and the two limits on it.

    ``cash_fen`` is None when the policy places no deposit (cash then limits nothing)."""

    leverage_fen: int
    cash_fen: int | None
    room_fen: int
    binding: Binding


def cash_room_fen(available_fen: int, deposit_bp: int, coverage_bp: int) -> int | None:
    """The guarantee liability whose deposits the available cash can pay: a guarantee of
    principal P needs P × deposit in cash and carries P × coverage of liability, so cash
    C supports C × coverage ÷ deposit, rounded down (a limit). None without a deposit."""
    if deposit_bp <= 0:
        return None
    return max(available_fen, 0) * coverage_bp // deposit_bp


def guarantee_room(cap: Capacity) -> GuaranteeRoom:
    """min(net-asset multiple room, cash room), naming the limit that binds (the cash
    when the two are equal: it is the one spent first)."""
    leverage = max(cap.leverage_limit_fen - cap.exposure_fen, 0)
    cash = cash_room_fen(cap.available_fen, cap.deposit_bp, cap.coverage_bp)
    if cash is not None and cash <= leverage:
        return GuaranteeRoom(leverage, cash, cash, Binding.CASH)
    return GuaranteeRoom(leverage, cash, leverage, Binding.NET_ASSETS)


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
    """A concentration limit (a county's, a borrower's): its share of net assets,
    rounded down (a limit), and none when net assets are not positive."""
    return max(net_assets_fen, 0) * concentration_bp // BP


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


@dataclass(frozen=True, slots=True)
class Party:
    """A facility carrying guarantee exposure, as the borrower limits see it: whose it is,
    what its application declared (household register, enterprise), its county's ref."""

    facility_id: int
    applicant_id: int
    household: str | None
    enterprise: str | None
    ref: str
    exposure_fen: int = 0

    def shown(self) -> str:
        """How a refusal names it: the facility and its ref masked."""
        return f"#{self.facility_id} {mask_id(self.ref)}"


@dataclass(frozen=True, slots=True)
class Concentration:
    """The policy's borrower limits, in bp of net assets (None: no limit)."""

    borrower_bp: int | None
    related_bp: int | None


class Book:
    """The exposed facilities an approval's borrower limits look at, found by borrower,
    household register and enterprise (so a batch of approvals stays linear)."""

    def __init__(self, parties: Iterable[Party] = ()) -> None:
        self._by: dict[tuple[str, object], dict[int, Party]] = {}
        for p in parties:
            self.add(p)

    def add(self, p: Party) -> None:
        for key in (("applicant", p.applicant_id), ("household", p.household)):
            self._put(key, p)
        self._put(("enterprise", p.enterprise), p)

    def _put(self, key: tuple[str, object], p: Party) -> None:
        if key[1] is not None:
            self._by.setdefault(key, {})[p.facility_id] = p

    def _of(self, kind: str, value: object) -> list[Party]:
        return list(self._by.get((kind, value), {}).values())

    def related_to(self, new: Party) -> tuple[list[Party], list[Party]]:
        """The borrower's own facilities, and its related parties' ones: those declared
        with a household register or an enterprise that the new application or one of
        the borrower's own declared."""
        own = self._of("applicant", new.applicant_id)
        others: dict[int, Party] = {}
        for p in (new, *own):
            for q in (*self._of("household", p.household), *self._of("enterprise", p.enterprise)):
                if q.applicant_id != new.applicant_id:
                    others[q.facility_id] = q
        return own, sorted(others.values(), key=lambda q: q.facility_id)


def check_concentration(new: Party, book: Book, net_assets_fen: int, limits: Concentration) -> None:
    """Refuse exposure to one borrower, or to it with its related parties, beyond the
    policy's shares of net assets; the refusal names the facilities counted."""
    own, others = book.related_to(new)
    for code, bp, counted in (
        ("capacity.borrower", limits.borrower_bp, own),
        ("capacity.related", limits.related_bp, sorted(own + others, key=_by_id)),
    ):
        if bp is None:
            continue
        limit = county_limit_fen(net_assets_fen, bp)
        current = sum(p.exposure_fen for p in counted)
        if current + new.exposure_fen > limit:
            raise RuleBroken(
                code,
                exposure=current,
                new=new.exposure_fen,
                net_assets=net_assets_fen,
                share=bp,
                limit=limit,
                facilities="、".join(p.shown() for p in counted) or "—",
            )


def _by_id(p: Party) -> int:
    return p.facility_id


def format_bp(bp: int) -> str:
    """Basis points as a percentage: 1000 → 10%, 1250 → 12.5%, 5 → 0.05%."""
    whole, rest = divmod(bp, 100)
    return f"{whole}.{rest:02d}".rstrip("0").rstrip(".") + "%"


def _bp_field(value: object, lang: str) -> str:
    """``{x:bp}`` in a message: integer basis points as a percentage."""
    if not isinstance(value, int) or isinstance(value, bool):
        raise ValueError(f"not bp: {value!r}")
    return format_bp(value)


messages.register_format("bp", _bp_field)
