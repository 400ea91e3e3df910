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

from fundcore.domain.terms import FacilityStatus, Instrument


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

    @classmethod
    def from_row(cls, row: Any) -> Self:
        """From a Core row of ``select(facilities)`` (or any mapping with the columns)."""
        values = dict(row._mapping) if hasattr(row, "_mapping") else dict(row)
        fields = {f.name for f in dataclasses.fields(cls)}
        kept = {k: v for k, v in values.items() if k in fields}
        kept["instrument"] = Instrument(kept["instrument"])
        kept["status"] = FacilityStatus(kept["status"])
        return cls(**kept)
