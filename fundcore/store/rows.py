"""Rows as typed values: what a service reads from a table, converted once at the edge.

A SQLAlchemy ``Row`` is typed ``Any`` and a ``dict`` row is typed by nothing; services
pass these frozen values instead, so mypy knows every field and a change of state is a
new value (``dataclasses.replace``), never an edit in place.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date
from typing import Any, Self

from sqlalchemy import Connection, select

from fundcore.domain.terms import FacilityStatus, Instrument
from fundcore.store.models import Instalment
from fundcore.store.tables import table_of


@dataclass(frozen=True, slots=True)
class FacilityRow:
    """One row of ``facilities`` (see ``models.Facility`` for what each field means)."""

    id: int
    instrument: Instrument
    county_code: str
    applicant_id: int
    principal_fen: int
    term_months: int | None
    status: FacilityStatus
    approved_on: date
    policy_version: int
    committed_fen: int
    local_support_kind: str | None
    matching_required_fen: int
    bank: str | None
    annual_rate_bp: int | None
    deposit_bp: int
    deposit_fen: int
    coverage_bp: int
    grace_months: int
    exposure_fen: int
    disbursed_on: date | None
    schedule_version: int
    outstanding_fen: int
    repaid_fen: int
    written_off_fen: int
    days_past_due: int
    closed_through: date | None
    claim_paid_fen: int
    county_share_fen: int
    recovered_borrower_fen: int
    recovered_county_fen: int
    county_written_off_fen: int = 0

    @classmethod
    def from_row(cls, row: Any) -> Self:
        """From a Core row of ``select(facilities)`` (or any mapping with the columns)."""
        values = dict(row._mapping) if hasattr(row, "_mapping") else dict(row)
        fields = {f.name for f in dataclasses.fields(cls)}
        kept = {k: v for k, v in values.items() if k in fields}
        kept["instrument"] = Instrument(kept["instrument"])
        kept["status"] = FacilityStatus(kept["status"])
        return cls(**kept)


@dataclass(frozen=True, slots=True)
class InstalmentRow:
    """An instalment of the schedule in force, with what was paid on it."""

    no: int
    due_date: date
    principal_fen: int
    interest_fen: int
    subsidy_fen: int
    paid_principal_fen: int
    paid_interest_fen: int

    @property
    def paid_fen(self) -> int:
        return self.paid_principal_fen + self.paid_interest_fen


def active_instalments(conn: Connection, facility_id: int) -> list[InstalmentRow]:
    """The schedule in force of one facility, first instalment first."""
    inst = table_of(Instalment)
    found = conn.execute(
        select(*(inst.c[f.name] for f in dataclasses.fields(InstalmentRow)))
        .where(inst.c.facility_id == facility_id, inst.c.active)
        .order_by(inst.c.no)
    ).all()
    return [InstalmentRow(**r._mapping) for r in found]
