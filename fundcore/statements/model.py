"""What a statement shows: frozen values that the core fills and ``reports/`` draws.

A statement is data before it is a document. The queries that build these values do
every sum and every ratio; the renderers in ``reports/`` only lay the values out, so a
figure in a PDF is always a figure the core computed and can be checked against the
ledger. That is why totals are fields here and never derived by the reader.

Conventions, one per suffix, so a field says its unit:

- ``*_fen``: an amount in integer fen (may be negative only for a contra account such as
  the loan loss allowance, or for a change);
- ``*_bp``: a ratio in basis points (1% = 100 bp), ``None`` when it is undefined because
  its denominator is zero;
- ``*_x100``: a multiple times 100 (leverage 3.5× is 350), ``None`` when undefined;
- ``*_count``: a number of things; ``*_on``/``*_date``/``period_*``: a ``datetime.date``;
- ``*_zh``/``*_en``: the same text in Chinese and English (the renderer picks one);
- ``instrument``, ``status``, ``decision``, ``kind``: stable codes that the renderer
  translates (``"guarantee"``, ``"loan"``, ``"grant"``; ``"current"``, ``"overdue"`` ...).

A field typed ``int | None`` holding ``None`` prints as ``—`` ("not applicable", e.g.
claims paid for a micro-grant). Sequences are tuples in display order: the renderer
never sorts, filters or totals them. Personal identifiers arrive already masked.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from fundcore.domain.terms import Instrument

GUARANTEE = Instrument.GUARANTEE
LOAN = Instrument.LOAN
GRANT = Instrument.GRANT
INSTRUMENTS = (GUARANTEE, LOAN, GRANT)
TOTAL = "total"
"""``instrument`` of a portfolio total row."""


# --- header ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Parameter:
    """One generation parameter, e.g. (数据截至, As of, 2025-12-31)."""

    label_zh: str
    label_en: str
    value: str


@dataclass(frozen=True, slots=True)
class Scope:
    """What the statement covers: kind 'fund' | 'province' | 'county' | 'facility' | 'person'.

    ``code`` is the county code, facility id or archive id ('' for the whole fund).
    """

    kind: str
    code: str
    name_zh: str
    name_en: str


@dataclass(frozen=True, slots=True)
class StatementHeader:
    foundation_name_zh: str
    foundation_name_en: str
    fund_name_zh: str
    fund_name_en: str
    period_from: date
    period_to: date
    scope: Scope
    parameters: tuple[Parameter, ...]
    reproduce_command: str
    document_no: str = ""


@dataclass(frozen=True, slots=True)
class KeyFigure:
    """A headline amount, printed with its RMB capital form (人民币大写)."""

    label_zh: str
    label_en: str
    amount_fen: int


# --- the three financial statements --------------------------------------------------


@dataclass(frozen=True, slots=True)
class AccountLine:
    code: str
    name_zh: str
    name_en: str
    opening_fen: int
    closing_fen: int


@dataclass(frozen=True, slots=True)
class BalanceTotal:
    opening_fen: int
    closing_fen: int


@dataclass(frozen=True, slots=True)
class BalanceSheet:
    """资产负债表 at ``period_from`` (opening) and ``period_to`` (closing)."""

    assets: tuple[AccountLine, ...]
    liabilities: tuple[AccountLine, ...]
    net_assets: tuple[AccountLine, ...]
    total_assets: BalanceTotal
    total_liabilities: BalanceTotal
    total_net_assets: BalanceTotal
    total_liabilities_and_net_assets: BalanceTotal


@dataclass(frozen=True, slots=True)
class ActivityLine:
    name_zh: str
    name_en: str
    unrestricted_fen: int
    restricted_fen: int
    total_fen: int
    code: str = ""


@dataclass(frozen=True, slots=True)
class ActivityTotal:
    unrestricted_fen: int
    restricted_fen: int
    total_fen: int


@dataclass(frozen=True, slots=True)
class StatementOfActivities:
    """业务活动表: income and expenses in the unrestricted / restricted columns."""

    income: tuple[ActivityLine, ...]
    expenses: tuple[ActivityLine, ...]
    total_income: ActivityTotal
    total_expenses: ActivityTotal
    restrictions_released: ActivityTotal
    """限定性净资产转为非限定性净资产 (unrestricted +x, restricted -x)."""
    change_in_net_assets: ActivityTotal


@dataclass(frozen=True, slots=True)
class CashFlowLine:
    name_zh: str
    name_en: str
    amount_fen: int


@dataclass(frozen=True, slots=True)
class CashFlows:
    """现金流量表: opening cash, flows in and out over the period, closing cash."""

    opening_cash_fen: int
    inflows: tuple[CashFlowLine, ...]
    outflows: tuple[CashFlowLine, ...]
    total_inflows_fen: int
    total_outflows_fen: int
    net_change_fen: int
    closing_cash_fen: int


# --- portfolio and leverage -----------------------------------------------------------


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
    """cap_x × net assets − exposure: how much more may be guaranteed."""
    largest_exposure_fen: int | None = None
    largest_exposure_bp: int | None = None
    """The largest single guaranteed party, as a share of net assets."""
    concentration_cap_bp: int | None = None


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


@dataclass(frozen=True, slots=True)
class IntegrityBlock:
    """The ledger as verified when the statement was made (see fundcore.store.verify)."""

    entry_count: int
    line_count: int
    total_debit_fen: int
    total_credit_fen: int
    trial_balance_fen: int
    head_seq: int
    head_hash: str
    verified: bool
    hash_scheme: str = ""
    problems: tuple[str, ...] = ()
    #: False when this run did not re-verify the chain (then ``verified`` says nothing)
    checked: bool = True


# --- facilities and people ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FacilityRow:
    """One facility in a list (county statement, archive)."""

    facility_id: str
    borrower_masked: str
    instrument: str
    status: str
    principal_fen: int
    disbursed_on: date | None
    outstanding_fen: int | None
    overdue_fen: int | None
    days_overdue: int


@dataclass(frozen=True, slots=True)
class WorkingFundRow:
    """County working funds (县级团委青年创业工作经费) paid to the county league."""

    year: int
    paid_on: date | None
    amount_fen: int
    reference: str


@dataclass(frozen=True, slots=True)
class ScheduleRow:
    no: int
    due_date: date
    principal_fen: int
    interest_fen: int
    subsidy_fen: int
    paid_fen: int
    outstanding_after_fen: int
    status: str = ""
    """'paid' | 'partial' | 'overdue' | 'due' | '' (not yet due)."""


@dataclass(frozen=True, slots=True)
class ScheduleTotal:
    principal_fen: int
    interest_fen: int
    subsidy_fen: int
    paid_fen: int


@dataclass(frozen=True, slots=True)
class PaymentRow:
    paid_on: date
    ref: str
    amount_fen: int
    applied_principal_fen: int
    facility_id: str = ""


@dataclass(frozen=True, slots=True)
class FacilityBalance:
    principal_outstanding_fen: int
    overdue_fen: int
    days_overdue: int
    next_due_on: date | None
    next_due_fen: int | None


# --- the documents -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FundStatement:
    header: StatementHeader
    key_figures: tuple[KeyFigure, ...]
    balance_sheet: BalanceSheet
    activities: StatementOfActivities
    cash_flows: CashFlows
    portfolio: tuple[PortfolioRow, ...]
    portfolio_total: PortfolioRow
    guarantee: GuaranteeBlock
    leverage: tuple[LeverageRow, ...]
    leverage_total: LeverageRow
    beneficiaries: tuple[BeneficiaryRow, ...]
    provinces: tuple[RegionRow, ...]
    province_total: RegionRow
    counties: tuple[RegionRow, ...]
    county_total: RegionRow
    months: tuple[MonthPoint, ...]
    integrity: IntegrityBlock


@dataclass(frozen=True, slots=True)
class CountyStatement:
    """The fund statement's programme sections for one county (it keeps no ledger)."""

    header: StatementHeader
    county: RegionRow
    key_figures: tuple[KeyFigure, ...]
    portfolio: tuple[PortfolioRow, ...]
    portfolio_total: PortfolioRow
    guarantee: GuaranteeBlock | None
    leverage: LeverageRow
    beneficiaries: tuple[BeneficiaryRow, ...]
    working_funds: tuple[WorkingFundRow, ...]
    working_funds_total_fen: int
    facilities: tuple[FacilityRow, ...]
    months: tuple[MonthPoint, ...]
    integrity: IntegrityBlock


@dataclass(frozen=True, slots=True)
class FacilityStatement:
    header: StatementHeader
    facility_id: str
    borrower_name: str
    """As it may be shown (masked by the caller if policy says so)."""
    borrower_id_masked: str
    borrower_phone_masked: str
    county_code: str
    county_name_zh: str
    county_name_en: str
    instrument: str
    status: str
    principal_fen: int
    rate_bp: int
    subsidy_bp: int | None
    term_months: int
    approved_on: date
    disbursed_on: date | None
    maturity_on: date | None
    lender_zh: str
    """The cooperating bank of a guarantee ('' for a direct loan)."""
    lender_en: str
    coverage_bp: int | None
    schedule: tuple[ScheduleRow, ...]
    schedule_total: ScheduleTotal
    payments: tuple[PaymentRow, ...]
    payments_total_fen: int
    balance: FacilityBalance
    balance_fen: int
    """The balance printed with its capital form (normally the principal outstanding)."""
    integrity: IntegrityBlock


@dataclass(frozen=True, slots=True)
class Person:
    name_masked: str
    id_masked: str
    phone_masked: str
    county_code: str
    county_name_zh: str
    county_name_en: str
    province_name_zh: str
    province_name_en: str
    poor_household: bool
    """From a registered poor household (建档立卡贫困户)."""
    poor_youth_employed_count: int


@dataclass(frozen=True, slots=True)
class ApplicationRow:
    application_id: str
    submitted_on: date
    instrument: str
    requested_fen: int
    decision: str
    """'submitted' (pending) | 'approved' | 'rejected' | 'returned' | 'withdrawn'."""
    decided_on: date | None
    approved_fen: int | None
    policy_version: str
    reason_zh: str = ""
    reason_en: str = ""


@dataclass(frozen=True, slots=True)
class SupportRow:
    """Support received: money (amount) or not (training, mentoring: amount ``None``)."""

    on: date
    kind: str
    description_zh: str
    description_en: str
    amount_fen: int | None


@dataclass(frozen=True, slots=True)
class ArchiveStatement:
    """A youth's 创业档案: who, what was asked and decided, what was given and repaid."""

    header: StatementHeader
    person: Person
    applications: tuple[ApplicationRow, ...]
    facilities: tuple[FacilityRow, ...]
    payments: tuple[PaymentRow, ...]
    payments_total_fen: int
    support: tuple[SupportRow, ...]
    support_total_fen: int
    integrity: IntegrityBlock
