"""A facility as the statements show it: in a list, its schedule, payments and balance;
and a county's working funds.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


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
