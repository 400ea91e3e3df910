"""What a facility looks like to whoever may read it: its schedule in force, now or as
it stood at the end of a past day (the version then in force, what had been paid by then).

A read, not a write: the operator must be known and may read applications; a county
league sees only its own county's facilities (another county's is "not found", so a
league cannot learn which ids exist elsewhere).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Connection, select

from fundcore.domain.errors import NotFound, RuleBroken
from fundcore.domain.terms import FacilityStatus, Role
from fundcore.services.operators import Actor, authorise
from fundcore.services.policy import in_force_or_first
from fundcore.store import as_of as store_as_of
from fundcore.store.models import Facility
from fundcore.store.rows import FacilityRow, InstalmentRow, active_instalments
from fundcore.store.tables import table_of

_facilities = table_of(Facility)


@dataclass(frozen=True, slots=True)
class ScheduleView:
    """A facility's schedule in force (oldest first) and its state, now or at ``as_of``."""

    facility: FacilityRow
    instalments: tuple[InstalmentRow, ...]
    status: FacilityStatus
    outstanding_fen: int
    version: int
    as_of: date | None = None


def schedule(
    conn: Connection, operator: str | None, facility_id: int, as_of: date | None = None
) -> ScheduleView:
    """The schedule of a facility the operator may see: in force now, or at the end of
    ``as_of`` (refused for a day before its approval)."""
    actor = authorise(conn, operator, "applications.read")
    fac = _visible_facility(conn, actor, facility_id)
    if as_of is None:
        rows = tuple(active_instalments(conn, facility_id))
        return ScheduleView(fac, rows, fac.status, fac.outstanding_fen, fac.schedule_version)
    limit = in_force_or_first(conn, as_of).policy.default_after_days
    then = store_as_of.facility_on(conn, facility_id, as_of, limit)
    if then is None:
        raise RuleBroken("schedule.not_yet_approved", id=facility_id, date=as_of.isoformat())
    status, outstanding, version = then
    found = store_as_of.schedule_on(conn, facility_id, version, as_of)
    return ScheduleView(
        fac, tuple(InstalmentRow(*r) for r in found), status, outstanding, version, as_of
    )


def _visible_facility(conn: Connection, actor: Actor, facility_id: int) -> FacilityRow:
    """The facility, unless it does not exist or lies in another county than a league's."""
    row = conn.execute(select(_facilities).where(_facilities.c.id == facility_id)).first()
    if row is None or (actor.role == Role.COUNTY and row.county_code != actor.county_code):
        raise NotFound("facility.not_found", id=facility_id)
    return FacilityRow.from_row(row)
