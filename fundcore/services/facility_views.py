"""What a facility looks like to whoever may read it: its schedule in force.

A read, not a write: the operator must be known and may read applications; a county
league sees only its own county's facilities (another county's is "not found", so a
league cannot learn which ids exist elsewhere).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Self

from sqlalchemy import Connection, select

from fundcore.domain.errors import NotFound
from fundcore.domain.terms import Role
from fundcore.services.operators import Actor, authorise
from fundcore.store.models import Facility, Instalment
from fundcore.store.rows import FacilityRow

_facilities = Facility.__table__
_instalments = Instalment.__table__


@dataclass(frozen=True, slots=True)
class InstalmentLine:
    """One due date of the schedule in force, with the principal paid against it."""

    no: int
    due_date: date
    principal_fen: int
    interest_fen: int
    subsidy_fen: int
    paid_principal_fen: int

    @classmethod
    def from_row(cls, row: Any) -> Self:
        return cls(
            no=row.no,
            due_date=row.due_date,
            principal_fen=row.principal_fen,
            interest_fen=row.interest_fen,
            subsidy_fen=row.subsidy_fen,
            paid_principal_fen=row.paid_principal_fen,
        )


@dataclass(frozen=True, slots=True)
class ScheduleView:
    """A facility and its active instalments, oldest first."""

    facility: FacilityRow
    instalments: tuple[InstalmentLine, ...]


def schedule(conn: Connection, operator: str | None, facility_id: int) -> ScheduleView:
    """The schedule in force of a facility the operator may see."""
    actor = authorise(conn, operator, "applications.read")
    facility = _visible_facility(conn, actor, facility_id)
    rows = conn.execute(
        select(_instalments)
        .where(_instalments.c.facility_id == facility_id, _instalments.c.active)
        .order_by(_instalments.c.no)
    ).all()
    return ScheduleView(facility, tuple(InstalmentLine.from_row(r) for r in rows))


def _visible_facility(conn: Connection, actor: Actor, facility_id: int) -> FacilityRow:
    """The facility, unless it does not exist or lies in another county than a league's."""
    row = conn.execute(select(_facilities).where(_facilities.c.id == facility_id)).first()
    if row is None or (actor.role == Role.COUNTY and row.county_code != actor.county_code):
        raise NotFound("facility.not_found", id=facility_id)
    return FacilityRow.from_row(row)
