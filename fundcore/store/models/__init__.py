"""All mapped tables; importing this module registers them on ``Base.metadata``."""

from fundcore.store.models.base import Base
from fundcore.store.models.facilities import (
    DayClose,
    Decision,
    Facility,
    FacilityEvent,
    Holiday,
    Instalment,
    LocalSupport,
    Recovery,
    Repayment,
    RepaymentAllocation,
    RepaymentUndo,
    SubsidyAccrual,
    WorkingFundPayment,
)
from fundcore.store.models.funds import Donation, PolicyVersion
from fundcore.store.models.intake import (
    Applicant,
    Application,
    ApplicationAmendment,
    ApplicationEmployee,
    IntakeBatch,
)
from fundcore.store.models.ledger import (
    Account,
    AccountBalance,
    AccountDaily,
    AccountKindDaily,
    JournalEntry,
    JournalLine,
    LedgerHead,
)
from fundcore.store.models.people import AuditRecord, County, Operator
from fundcore.store.models.periods import Period
from fundcore.store.models.security import AuthFailure, DbRoleCounty, OperatorToken, Setting

__all__ = [
    "Account",
    "AccountBalance",
    "AccountDaily",
    "AccountKindDaily",
    "Applicant",
    "Application",
    "ApplicationAmendment",
    "ApplicationEmployee",
    "AuditRecord",
    "AuthFailure",
    "DbRoleCounty",
    "OperatorToken",
    "Setting",
    "SubsidyAccrual",
    "Base",
    "County",
    "DayClose",
    "Holiday",
    "Recovery",
    "Repayment",
    "RepaymentAllocation",
    "RepaymentUndo",
    "Decision",
    "Donation",
    "Facility",
    "FacilityEvent",
    "Instalment",
    "LocalSupport",
    "WorkingFundPayment",
    "IntakeBatch",
    "JournalEntry",
    "JournalLine",
    "LedgerHead",
    "Operator",
    "Period",
    "PolicyVersion",
]
