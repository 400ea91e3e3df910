"""The programme's figures: portfolio per instrument, guarantee exposure, local leverage,
beneficiaries, regions and months.
"""

from __future__ import annotations

from dataclasses import dataclass

from fundcore.domain.terms import Instrument

GUARANTEE = Instrument.GUARANTEE
LOAN = Instrument.LOAN
GRANT = Instrument.GRANT
INSTRUMENTS = (GUARANTEE, LOAN, GRANT)
TOTAL = "total"
"""``instrument`` of a portfolio total row."""


@dataclass(frozen=True, slots=True)
class PortfolioRow:
    """One instrument's portfolio (``instrument`` in INSTRUMENTS, or TOTAL).

    For guarantees "disbursed" means issued (bank loan drawn) and amounts are guaranteed
    principal; ``None`` marks a figure that does not apply (a grant has no balance).
    """

    instrument: str
    approved_count: int
    approved_fen: int
    disbursed_count: int
    disbursed_fen: int
    outstanding_count: int | None
    outstanding_fen: int | None
    overdue_1_30_fen: int | None
    overdue_31_90_fen: int | None
    overdue_over_90_fen: int | None
    par30_bp: int | None
    par90_bp: int | None
    defaults_count: int | None
    claims_paid_fen: int | None
    claim_rate_bp: int | None
    """代偿率: claims paid ÷ (claims paid + guaranteed principal released on repayment),
    since the programme began (see ``fundcore.statements.portfolio``)."""
    recoveries_fen: int | None
    write_offs_fen: int | None


@dataclass(frozen=True, slots=True)
class GuaranteeBlock:
    """Contingent exposure (担保责任余额) against net assets and the policy caps."""

    exposure_fen: int
    deposits_placed_fen: int
    net_assets_fen: int
    leverage_x100: int | None
    cap_x: int
    loss_provision_fen: int | None = None
    headroom_fen: int | None = None
    """How much more may be guaranteed: the smaller of cap_x × net assets − exposure (for
    a county, its concentration cap) and the liability whose deposits the fund's
    available cash can pay (``cash_room_fen``); ``binding`` names the one that binds."""
    largest_exposure_fen: int | None = None
    largest_exposure_bp: int | None = None
    """The largest single guaranteed party, as a share of net assets."""
    concentration_cap_bp: int | None = None
    # --- matching ---
    cash_room_fen: int | None = None
    """New guarantee liability the available cash can pay deposits for."""
    binding: str | None = None
    """``domain.capacity.Binding``: which limit holds ``headroom_fen`` down."""


@dataclass(frozen=True, slots=True)
class LeverageRow:
    """Local leverage for a province or county: matching funds and counter-guarantees.

    In a total row the code and names are ignored (the renderer writes 合计 / Total).
    """

    code: str
    name_zh: str
    name_en: str
    matching_committed_fen: int
    matching_received_fen: int
    received_bp: int | None
    counter_guarantee_count: int
    counter_guarantee_fen: int
    # --- matching ---
    fund_money_fen: int = 0
    """The fund's own money paid out there: loans' and grants' principal, guarantee
    deposits placed."""
    local_per_fund_x100: int | None = None
    """撬动: matching received (the county's money, off the fund's books) per yuan of the
    fund's money, times 100 (None while the fund has paid out nothing there)."""


@dataclass(frozen=True, slots=True)
class BeneficiaryRow:
    """An outcome against its programme target (target ``None`` when there is none)."""

    label_zh: str
    label_en: str
    actual: int
    target: int | None
    achieved_bp: int | None = None


@dataclass(frozen=True, slots=True)
class RegionRow:
    """A province or county. ``parent_*`` is the province of a county ('' for a province).

    In a total row the code and names are ignored (the renderer writes 合计 / Total).
    """

    code: str
    name_zh: str
    name_en: str
    parent_zh: str
    parent_en: str
    approved_count: int
    disbursed_count: int
    disbursed_fen: int
    outstanding_fen: int
    overdue_fen: int
    at_risk_30_fen: int
    """Outstanding balance of facilities more than 30 days overdue (PAR30 numerator)."""
    par30_bp: int | None
    claims_paid_fen: int
    youth_supported_count: int


@dataclass(frozen=True, slots=True)
class MonthPoint:
    month: str
    """'YYYY-MM'."""
    disbursed_fen: int
    repaid_fen: int
