"""What a facility looks like to whoever may read it: its schedule in force.

A read, not a write: the operator must be known and may read applications; a county
league sees only its own county's facilities (another county's is "not found", so a
league cannot learn which ids exist elsewhere).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, select

from fundcore.domain.errors import NotFound
from fundcore.domain.terms import Role
from fundcore.services.operators import Actor, authorise
from fundcore.store.models import Facility
from fundcore.store.rows import FacilityRow, InstalmentRow, active_instalments
from fundcore.store.tables import table_of

_facilities = table_of(Facility)


@dataclass(frozen=True, slots=True)
class ScheduleView:
    """A facility and its active instalments, oldest first."""

    facility: FacilityRow
    instalments: tuple[InstalmentRow, ...]


def schedule(conn: Connection, operator: str | None, facility_id: int) -> ScheduleView:
    """The schedule in force of a facility the operator may see."""
    actor = authorise(conn, operator, "applications.read")
    facility = _visible_facility(conn, actor, facility_id)
    return ScheduleView(facility, tuple(active_instalments(conn, facility_id)))


def _visible_facility(conn: Connection, actor: Actor, facility_id: int) -> FacilityRow:
    """The facility, unless it does not exist or lies in another county than a league's."""
    row = conn.execute(select(_facilities).where(_facilities.c.id == facility_id)).first()
    if row is None or (actor.role == Role.COUNTY and row.county_code != actor.county_code):
        raise NotFound("facility.not_found", id=facility_id)
    return FacilityRow.from_row(row)
