"""Decisions and money out: decisions, facilities, local support, schedules, working funds.

A facility shares its id with the application it was approved from, so a user follows
one number from submission to the last repayment. Decisions are append-only facts;
a facility's state moves forward by new decisions and ledger entries.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    false,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from fundcore.domain.terms import FacilityStatus
from fundcore.store.models.base import Base, IdType

FACILITY_STATUSES = tuple(s.value for s in FacilityStatus)


class Decision(Base):
    """One decision on an application (append-only): who, when, under which policy."""

    __tablename__ = "decisions"
    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    application_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("applications.id"), index=True
    )
    #: approve, reject, return or cancel (finance); resubmit (an amendment by the county
    #: sends a returned application back for review) or withdraw (the county's)
    action: Mapped[str] = mapped_column(String(16))
    operator: Mapped[str] = mapped_column(String(64))
    business_date: Mapped[date] = mapped_column(Date)
    recorded_at: Mapped[datetime] = mapped_column(DateTime)
    policy_version: Mapped[int] = mapped_column(Integer)
    #: JSON list of the rule results the decider saw
    rules: Mapped[str] = mapped_column(Text, default="[]")
    note: Mapped[str] = mapped_column(Text, default="")
    __table_args__ = (
        CheckConstraint(
            "action IN ('approve','reject','return','cancel','resubmit','withdraw')",
            name="action",
        ),
    )


class Facility(Base):
    """An approved guarantee, loan or grant, from commitment to closing."""

    __tablename__ = "facilities"
    id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("applications.id"), primary_key=True, autoincrement=False
    )
    instrument: Mapped[str] = mapped_column(String(16))
    county_code: Mapped[str] = mapped_column(String(6), ForeignKey("counties.code"), index=True)
    applicant_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("applicants.id"), index=True)
    principal_fen: Mapped[int] = mapped_column(BigInteger)
    term_months: Mapped[int | None] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16), index=True)
    approved_on: Mapped[date] = mapped_column(Date)
    policy_version: Mapped[int] = mapped_column(Integer)
    #: cash reserved for this facility until it is paid out (0 after)
    committed_fen: Mapped[int] = mapped_column(BigInteger)
    local_support_kind: Mapped[str | None] = mapped_column(String(24))
    #: matching the county must bring (1:1 by default); 0 without matching
    matching_required_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    bank: Mapped[str | None] = mapped_column(String(100))
    #: the bank loan's annual rate, in hundredths of a percent (4.75% = 475)
    annual_rate_bp: Mapped[int | None] = mapped_column(Integer)
    deposit_bp: Mapped[int] = mapped_column(Integer, default=0)
    deposit_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    coverage_bp: Mapped[int] = mapped_column(Integer, default=0)
    #: a guarantee's bank loan: interest-only months at its start (within the term),
    #: fixed at approval (policy ``bank_grace_months`` or the approval's override);
    #: 0 for loans and grants (an interest-free loan's grace is the policy's at pay-out)
    grace_months: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    #: contingent guarantee exposure (担保责任余额) now; reserved from approval
    exposure_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    disbursed_on: Mapped[date | None] = mapped_column(Date)
    #: the schedule version in force (a restructuring adds a version)
    schedule_version: Mapped[int] = mapped_column(Integer, default=1)
    #: principal still owed (for guarantees: on the bank loan)
    outstanding_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    repaid_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    written_off_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    #: ageing as of ``closed_through`` (day close)
    days_past_due: Mapped[int] = mapped_column(Integer, default=0)
    closed_through: Mapped[date | None] = mapped_column(Date)
    #: guarantee claims: paid to the bank, the county's counter-guarantee share,
    #: and what has come back from the borrower and the county
    claim_paid_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    county_share_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    recovered_borrower_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    recovered_county_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    #: of the county's share, what was written off on its own (never with the borrower)
    county_written_off_fen: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    __table_args__ = (
        CheckConstraint("instrument IN ('guarantee','loan','grant')", name="instrument"),
        CheckConstraint("principal_fen > 0", name="principal_positive"),
        CheckConstraint("committed_fen >= 0 AND exposure_fen >= 0", name="non_negative"),
        CheckConstraint(
            "status IN (" + ",".join(f"'{s}'" for s in FACILITY_STATUSES) + ")", name="status"
        ),
    )


class LocalSupport(Base):
    """Local leverage received: matching money or a county counter-guarantee."""

    __tablename__ = "local_support"
    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    facility_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("facilities.id"), index=True)
    kind: Mapped[str] = mapped_column(String(24))
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    business_date: Mapped[date] = mapped_column(Date)
    ref: Mapped[str | None] = mapped_column(String(64), unique=True)
    #: for counter-guarantees: who guarantees (the county government) and what share
    guarantor: Mapped[str | None] = mapped_column(String(100))
    share_bp: Mapped[int | None] = mapped_column(Integer)
    operator: Mapped[str] = mapped_column(String(64))
    # --- matching ---
    #: matching: who paid it (e.g. 灵丘县财政局), as the register records it
    paid_by: Mapped[str | None] = mapped_column(String(100))
    #: matching paid into the fund's own bank account (government grant income), not
    #: straight into the project; and the day the fund passed it on to the project
    through_fund: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    passed_on: Mapped[date | None] = mapped_column(Date)
    __table_args__ = (
        CheckConstraint("kind IN ('matching','counter-guarantee')", name="kind"),
        CheckConstraint("amount_fen > 0", name="amount_positive"),
    )


class Instalment(Base):
    """One due date of a schedule; a new schedule version keeps the old rows."""

    __tablename__ = "instalments"
    facility_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("facilities.id"), primary_key=True, autoincrement=False
    )
    version: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    no: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    due_date: Mapped[date] = mapped_column(Date)
    #: the due date before any shift to a working day; re-dating starts from it
    anchor_date: Mapped[date] = mapped_column(Date)
    principal_fen: Mapped[int] = mapped_column(BigInteger)
    interest_fen: Mapped[int] = mapped_column(BigInteger, default=0)

    subsidy_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    paid_principal_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    paid_interest_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    #: False once a restructuring replaced this schedule version
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    __table_args__ = (
        Index("ix_instalments_due", "due_date"),
        # what a day close scans: instalments of the schedule in force not yet paid
        Index(
            "ix_instalments_unpaid",
            "due_date",
            "facility_id",
            sqlite_where=text("active AND paid_principal_fen < principal_fen"),
            postgresql_where=text("active AND paid_principal_fen < principal_fen"),
        ),
    )


class Repayment(Base):
    """Money a borrower repaid (a loan) or a bank reported repaid (a guaranteed loan)."""

    __tablename__ = "repayments"
    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    facility_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("facilities.id"), index=True)
    ref: Mapped[str] = mapped_column(String(64), unique=True)
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    principal_fen: Mapped[int] = mapped_column(BigInteger)
    interest_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    business_date: Mapped[date] = mapped_column(Date)
    operator: Mapped[str] = mapped_column(String(64))
    __table_args__ = (
        CheckConstraint("amount_fen > 0", name="amount_positive"),
        # what an as-of figure reads: the principal repaid after (or by) a date
        Index("ix_repayments_date", "business_date", "facility_id", "principal_fen"),
    )


class RepaymentAllocation(Base):
    """What one repayment paid of one instalment: the allocation, kept as a dated fact.

    The instalment keeps what has been paid of it *now*; these rows say *when*, so what
    was paid of it by any day D is today's figure less what was allocated after D. The
    due date is copied so that late payments (dated after the instalment fell due) can
    be found through a small partial index without reading the schedules.
    """

    __tablename__ = "repayment_allocations"
    repayment_ref: Mapped[str] = mapped_column(
        String(64), ForeignKey("repayments.ref"), primary_key=True
    )
    version: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    no: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    facility_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("facilities.id"), index=True)
    business_date: Mapped[date] = mapped_column(Date)
    due_date: Mapped[date] = mapped_column(Date)
    principal_fen: Mapped[int] = mapped_column(BigInteger)
    interest_fen: Mapped[int] = mapped_column(BigInteger)
    __table_args__ = (
        CheckConstraint("principal_fen >= 0 AND interest_fen >= 0", name="non_negative"),
        Index("ix_repayment_allocations_date", "business_date"),
        # paid after the instalment fell due: the only ones that change past ageing
        Index(
            "ix_repayment_allocations_late",
            "due_date",
            "business_date",
            sqlite_where=text("business_date > due_date"),
            postgresql_where=text("business_date > due_date"),
        ),
    )


class RepaymentUndo(Base):
    """A repayment undone by its ref, from ``business_date`` on (append-only).

    The repayment and its allocations stay, dated as they were made; the undo takes
    back from its own date exactly what they paid (its figures are the repayment's).
    So what had been paid by a day D is what was paid by D less the undos dated by D.
    """

    __tablename__ = "repayment_undos"
    ref: Mapped[str] = mapped_column(String(64), ForeignKey("repayments.ref"), primary_key=True)
    facility_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("facilities.id"), index=True)
    business_date: Mapped[date] = mapped_column(Date)
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    principal_fen: Mapped[int] = mapped_column(BigInteger)
    interest_fen: Mapped[int] = mapped_column(BigInteger)
    reason: Mapped[str] = mapped_column(Text)
    operator: Mapped[str] = mapped_column(String(64))
    recorded_at: Mapped[datetime] = mapped_column(DateTime)
    __table_args__ = (Index("ix_repayment_undos_date", "business_date"),)


class FacilityEvent(Base):
    """A dated fact of a facility's life other than a repayment (append-only).

    ``schedule``: a schedule version came into force (version 1 at pay-out, a new one at
    a restructuring); ``default``: a day close found it in default; ``claim``: the claim
    paid to the bank; ``county_share``: the county's counter-guarantee share of it;
    ``write_off`` and ``write_off_undo``: a write-off and its reversal; ``payout_cancel``:
    a pay-out cancelled (``paid_out_on`` keeps the date it was paid). Figures as of a
    date are sums and maxima over these up to the date; the facility row keeps only
    the state now.
    """

    __tablename__ = "facility_events"
    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    facility_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("facilities.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    business_date: Mapped[date] = mapped_column(Date)
    amount_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    #: the schedule version (``schedule`` events)
    version: Mapped[int | None] = mapped_column(Integer)
    #: the date of the pay-out a ``payout_cancel`` cancelled: paid out from it until the
    #: cancel's own date
    paid_out_on: Mapped[date | None] = mapped_column(Date)
    __table_args__ = (
        CheckConstraint(
            "kind IN ('schedule','default','claim','county_share','write_off','write_off_undo',"
            "'payout_cancel')",
            name="kind",
        ),
        CheckConstraint("amount_fen >= 0", name="amount_non_negative"),
        Index("ix_facility_events_kind_date", "kind", "business_date"),
    )


class Recovery(Base):
    """Money recovered after a claim or a default, from the borrower or the county."""

    __tablename__ = "recoveries"
    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    facility_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("facilities.id"), index=True)
    ref: Mapped[str] = mapped_column(String(64), unique=True)
    source: Mapped[str] = mapped_column(String(16))
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    business_date: Mapped[date] = mapped_column(Date)
    operator: Mapped[str] = mapped_column(String(64))
    __table_args__ = (
        CheckConstraint("amount_fen > 0", name="amount_positive"),
        CheckConstraint("source IN ('borrower','county')", name="source"),
    )


class DayClose(Base):
    """One run of the day close through a business date, with what it found."""

    __tablename__ = "day_closes"
    business_date: Mapped[date] = mapped_column(Date, primary_key=True)
    facilities: Mapped[int] = mapped_column(Integer)
    overdue: Mapped[int] = mapped_column(Integer)
    defaulted: Mapped[int] = mapped_column(Integer)
    outstanding_fen: Mapped[int] = mapped_column(BigInteger)
    par30_fen: Mapped[int] = mapped_column(BigInteger)
    par90_fen: Mapped[int] = mapped_column(BigInteger)
    provision_fen: Mapped[int] = mapped_column(BigInteger)
    operator: Mapped[str] = mapped_column(String(64))
    recorded_at: Mapped[datetime] = mapped_column(DateTime)


class Holiday(Base):
    """A day of the State Council's holiday notice: off, or an adjusted working day."""

    __tablename__ = "holidays"
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    is_workday: Mapped[bool] = mapped_column(Boolean)
    name: Mapped[str] = mapped_column(String(40))
    loaded_by: Mapped[str] = mapped_column(String(64))


class WorkingFundPayment(Base):
    """County working funds (县级团委青年创业工作经费): once per county per year."""

    __tablename__ = "working_fund_payments"
    county_code: Mapped[str] = mapped_column(
        String(6), ForeignKey("counties.code"), primary_key=True
    )
    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    business_date: Mapped[date] = mapped_column(Date)
    operator: Mapped[str] = mapped_column(String(64))


# --- countyshare ---
class SubsidyAccrual(Base):
    """The interest subsidy (贴息) of one instalment of a guaranteed bank loan, accrued
    at the day close that passed its due date as owed by the fund to the bank, and the
    payment that settled it (``paid_on`` and ``paid_seq`` empty until then). The
    payable to the banks (2209.01) is reconciled against these rows, bank by bank."""

    __tablename__ = "subsidy_accruals"
    facility_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("facilities.id"), primary_key=True, autoincrement=False
    )
    version: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    no: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    bank: Mapped[str] = mapped_column(String(100))
    due_date: Mapped[date] = mapped_column(Date)
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    #: the day close that accrued it, and its entry
    accrued_on: Mapped[date] = mapped_column(Date)
    accrual_seq: Mapped[int] = mapped_column(BigInteger)
    paid_on: Mapped[date | None] = mapped_column(Date)
    paid_seq: Mapped[int | None] = mapped_column(BigInteger)
    __table_args__ = (
        CheckConstraint("amount_fen > 0", name="amount_positive"),
        Index("ix_subsidy_accruals_bank_due", "bank", "due_date"),
    )
