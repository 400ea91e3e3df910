"""The four documents: the fund's statement, a county's, a facility's, a youth's archive."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from fundcore.statements.model.accounts import (
    BalanceSheet,
    CashFlows,
    StatementOfActivities,
)
from fundcore.statements.model.facilities import (
    FacilityBalance,
    FacilityRow,
    PaymentRow,
    ScheduleRow,
    ScheduleTotal,
    WorkingFundRow,
)
from fundcore.statements.model.header import (
    IntegrityBlock,
    KeyFigure,
    StatementHeader,
)
from fundcore.statements.model.official import OfficialStatements
from fundcore.statements.model.people import (
    ApplicationRow,
    Person,
    SupportRow,
)
from fundcore.statements.model.programme import (
    BeneficiaryRow,
    GuaranteeBlock,
    LeverageRow,
    MonthPoint,
    PortfolioRow,
    RegionRow,
)


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
    #: the three statements in their official forms and the Charity Law ratios
    official: OfficialStatements


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
