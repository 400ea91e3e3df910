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

The package keeps the values by what they describe (``header``, ``accounts``,
``programme``, ``facilities``, ``people``, ``documents``) and re-exports every name
here, so that ``reports/`` imports what it draws from one place.
"""

from __future__ import annotations

from fundcore.statements.model.accounts import (
    AccountLine,
    ActivityLine,
    ActivityTotal,
    BalanceSheet,
    BalanceTotal,
    CashFlowLine,
    CashFlows,
    StatementOfActivities,
)
from fundcore.statements.model.documents import (
    ArchiveStatement,
    CountyStatement,
    FacilityStatement,
    FundStatement,
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
    Parameter,
    PeriodState,
    Scope,
    StatementHeader,
)
from fundcore.statements.model.official import (
    CharityRatios,
    FormColumn,
    FormRow,
    OfficialForm,
    OfficialStatements,
    RatioCheck,
)
from fundcore.statements.model.people import (
    ApplicationRow,
    Person,
    SupportRow,
)
from fundcore.statements.model.programme import (
    GRANT,
    GUARANTEE,
    INSTRUMENTS,
    LOAN,
    TOTAL,
    BeneficiaryRow,
    GuaranteeBlock,
    LeverageRow,
    MonthPoint,
    PortfolioRow,
    RegionRow,
)

__all__ = [
    "CharityRatios",
    "FormColumn",
    "FormRow",
    "OfficialForm",
    "OfficialStatements",
    "RatioCheck",
    "AccountLine",
    "ActivityLine",
    "ActivityTotal",
    "ApplicationRow",
    "ArchiveStatement",
    "BalanceSheet",
    "BalanceTotal",
    "BeneficiaryRow",
    "CashFlowLine",
    "CashFlows",
    "CountyStatement",
    "FacilityBalance",
    "FacilityRow",
    "FacilityStatement",
    "FundStatement",
    "GRANT",
    "GUARANTEE",
    "GuaranteeBlock",
    "INSTRUMENTS",
    "IntegrityBlock",
    "KeyFigure",
    "LOAN",
    "LeverageRow",
    "MonthPoint",
    "Parameter",
    "PaymentRow",
    "PeriodState",
    "Person",
    "PortfolioRow",
    "RegionRow",
    "ScheduleRow",
    "ScheduleTotal",
    "Scope",
    "StatementHeader",
    "StatementOfActivities",
    "SupportRow",
    "TOTAL",
    "WorkingFundRow",
]
