"""The programme's vocabulary as types: instruments, statuses, kinds, roles.

Each is a ``StrEnum``, so a member *is* its stored text (``Instrument.GUARANTEE ==
"guarantee"``) and goes into the database, JSON and the hash chain's canonical form
unchanged. Every set of statuses that a rule speaks of is defined here, once: which
facilities are exposed to a guarantee, which are serviced, which are open.
DOMAIN.md gives the Chinese words; ``fundcore.messages.terms`` shows them to users.
"""

from __future__ import annotations

from enum import StrEnum


class Instrument(StrEnum):
    """The three kinds of support (DOMAIN.md §1)."""

    GUARANTEE = "guarantee"  # 贷款担保
    LOAN = "loan"  # 免息借款
    GRANT = "grant"  # 小额资助


class ApplicationStatus(StrEnum):
    SUBMITTED = "submitted"
    APPROVED = "approved"
    REJECTED = "rejected"
    RETURNED = "returned"
    WITHDRAWN = "withdrawn"


class FacilityStatus(StrEnum):
    """A facility's life: approved → paid out (current/overdue/defaulted, or paid for a
    grant) → repaid, claimed, written off; or cancelled before pay-out."""

    APPROVED = "approved"
    CANCELLED = "cancelled"
    CURRENT = "current"
    OVERDUE = "overdue"
    REPAID = "repaid"
    DEFAULTED = "defaulted"
    CLAIMED = "claimed"
    WRITTEN_OFF = "written_off"
    PAID = "paid"
    CLOSED = "closed"


#: paid out and being repaid: ageing, repayments and the day close apply
SERVICED: tuple[FacilityStatus, ...] = (
    FacilityStatus.CURRENT,
    FacilityStatus.OVERDUE,
    FacilityStatus.DEFAULTED,
)
#: holding the fund's commitment or guarantee exposure: approved, or serviced
EXPOSED: tuple[FacilityStatus, ...] = (FacilityStatus.APPROVED, *SERVICED)
#: not yet finished with: an application behind one of these is still open
OPEN: tuple[FacilityStatus, ...] = (*EXPOSED, FacilityStatus.CLAIMED)


class FacilityEventKind(StrEnum):
    """A dated fact of a facility's life other than a repayment (``facility_events``)."""

    SCHEDULE = "schedule"
    DEFAULT = "default"
    CLAIM = "claim"
    COUNTY_SHARE = "county_share"
    WRITE_OFF = "write_off"
    WRITE_OFF_UNDO = "write_off_undo"
    PAYOUT_CANCEL = "payout_cancel"


class LocalSupportKind(StrEnum):
    """地方配套: the county's 1:1 matching money, or its government's counter-guarantee."""

    MATCHING = "matching"
    COUNTER_GUARANTEE = "counter-guarantee"


class RecoverySource(StrEnum):
    BORROWER = "borrower"
    COUNTY = "county"


class Role(StrEnum):
    COUNTY = "county"
    FINANCE = "finance"
    AUDITOR = "auditor"
    ADMIN = "admin"


class EntryKind(StrEnum):
    """What a journal entry records; the cash-flow statement groups by it."""

    DONATION = "donation"
    MATCHING_PLEDGE = "matching.pledge"
    MATCHING_RECEIPT = "matching.receipt"
    MATCHING_PASS_ON = "matching.pass_on"
    DISBURSE_LOAN = "disburse.loan"
    DISBURSE_GUARANTEE = "disburse.guarantee"
    DISBURSE_GRANT = "disburse.grant"
    WORKING_FUNDS = "working_funds"
    REPAYMENT = "repayment"
    DEPOSIT_RELEASE = "deposit.release"
    PROVISION = "provision"
    CLAIM = "claim"
    CLAIM_COUNTY_SHARE = "claim.county_share"
    RECOVERY_BORROWER = "recovery.borrower"
    RECOVERY_COUNTY = "recovery.county"
    WRITE_OFF = "write_off"
    REVERSAL = "reversal"
    YEAR_END_CLOSE = "close.year_end"
    # --- countyshare ---
    #: the county's counter-guarantee share of a defaulted interest-free loan, called
    LOAN_COUNTY_SHARE = "loan.county_share"
    #: the county's receivable written off on its own (never with the borrower's)
    WRITE_OFF_COUNTY = "write_off.county"
    #: the month-end review of the loan-loss allowance (坏账准备)
    ALLOWANCE = "allowance"
    #: interest subsidies (贴息) accrued at a day close, for one bank
    SUBSIDY_ACCRUAL = "subsidy.accrual"
    #: interest subsidies paid to one bank
    SUBSIDY_PAYMENT = "subsidy.payment"

    @classmethod
    def disbursement(cls, instrument: Instrument) -> EntryKind:
        """The pay-out entry's kind for an instrument."""
        return cls(f"disburse.{instrument}")

    @classmethod
    def recovery(cls, source: RecoverySource) -> EntryKind:
        return cls(f"recovery.{source}")


class PeriodStatus(StrEnum):
    """A month finance has closed, or one closed and then reopened."""

    CLOSED = "closed"
    OPEN = "open"
