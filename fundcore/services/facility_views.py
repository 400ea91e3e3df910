"""What a facility looks like to whoever may read it: its schedule in force, now or as
it stood at the end of a past day (the version then in force, what had been paid by then),
or any earlier version a restructuring replaced (``--version N``), with the days each
version was in force (from the dated ``schedule`` facts).

A read, not a write: the operator must be known and may read applications; a county
league sees only its own county's facilities (another county's is "not found", so a
league cannot learn which ids exist elsewhere).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Connection, select

from fundcore.domain.errors import NotFound, RuleBroken
from fundcore.domain.terms import FacilityEventKind, FacilityStatus, Role
from fundcore.services.operators import Actor, authorise
from fundcore.services.policy import in_force_or_first
from fundcore.store import as_of as store_as_of
from fundcore.store.models import Facility, FacilityEvent, Instalment
from fundcore.store.rows import FacilityRow, InstalmentRow, active_instalments
from fundcore.store.tables import table_of

_facilities = table_of(Facility)
_events = table_of(FacilityEvent)
_inst = table_of(Instalment)


@dataclass(frozen=True, slots=True)
class ScheduleView:
    """A facility's schedule in force (oldest first) and its state, now or at ``as_of``."""

    facility: FacilityRow
    instalments: tuple[InstalmentRow, ...]
    status: FacilityStatus
    outstanding_fen: int
    version: int
    as_of: date | None = None
    #: the version in force at the time shown (``version`` is an earlier one if not equal)
    in_force: int = 0
    #: when ``version`` came into force and, if replaced since, when it was
    from_date: date | None = None
    until: date | None = None


def schedule(
    conn: Connection,
    operator: str | None,
    facility_id: int,
    as_of: date | None = None,
    version: int | None = None,
) -> ScheduleView:
    """The schedule of a facility the operator may see: in force now, or at the end of
    ``as_of`` (refused for a day before its approval); ``version`` shows that version
    instead of the one in force (refused if the facility never had it)."""
    actor = authorise(conn, operator, "applications.read")
    fac = _visible_facility(conn, actor, facility_id)
    if as_of is None:
        status, outstanding, in_force = fac.status, fac.outstanding_fen, fac.schedule_version
    else:
        limit = in_force_or_first(conn, as_of).policy.default_after_days
        found = store_as_of.facility_row_on(conn, fac, as_of, limit)
        if found is None:
            raise RuleBroken("schedule.not_yet_approved", id=facility_id, date=as_of.isoformat())
        then = found[0]
        status, outstanding, in_force = then.status, then.outstanding_fen, then.schedule_version
    shown = in_force if version is None else version
    starts = _version_starts(conn, facility_id)
    _check_version(facility_id, version, starts, as_of)
    rows = _instalments(conn, facility_id, shown, as_of, latest=version is None)
    until = starts.get(shown + 1)
    if as_of is not None and until is not None and until > as_of:
        until = None  # not yet replaced then: a past day's view never shows what came later
    return ScheduleView(
        fac, rows, status, outstanding, shown, as_of, in_force, starts.get(shown), until
    )


def _check_version(
    facility_id: int, version: int | None, starts: dict[int, date], as_of: date | None
) -> None:
    """A version asked for must be one the facility has had (by ``as_of``, if given)."""
    if version is None:
        return
    if version not in starts:
        raise NotFound(
            "schedule.no_such_version",
            id=facility_id,
            version=version,
            latest=max(starts, default=0),
        )
    if as_of is not None and starts[version] > as_of:
        raise RuleBroken(
            "schedule.version_not_yet",
            id=facility_id,
            version=version,
            date=starts[version].isoformat(),
            as_of=as_of.isoformat(),
        )


def _instalments(
    conn: Connection, facility_id: int, version: int, as_of: date | None, latest: bool
) -> tuple[InstalmentRow, ...]:
    """The instalments shown: paid by the end of ``as_of``, or as they stand now."""
    if as_of is not None:
        found = store_as_of.schedule_on(conn, facility_id, version, as_of)
        return tuple(InstalmentRow(*r) for r in found)
    if latest:
        return tuple(active_instalments(conn, facility_id))
    return _version_instalments(conn, facility_id, version)


def _version_starts(conn: Connection, facility_id: int) -> dict[int, date]:
    """Each schedule version of the facility and the day it came into force."""
    e = _events.c
    found = conn.execute(
        select(e.version, e.business_date).where(
            e.facility_id == facility_id, e.kind == FacilityEventKind.SCHEDULE
        )
    ).all()
    return {int(v): d for v, d in found if v is not None}


def _version_instalments(
    conn: Connection, facility_id: int, version: int
) -> tuple[InstalmentRow, ...]:
    """One version's instalments with what was paid of each (of a replaced version: what
    had been paid of it when it was replaced)."""
    i = _inst.c
    found = conn.execute(
        select(i.no, i.due_date, i.principal_fen, i.interest_fen, i.subsidy_fen,
               i.paid_principal_fen, i.paid_interest_fen)
        .where(i.facility_id == facility_id, i.version == version)
        .order_by(i.no)
    ).all()  # fmt: skip
    return tuple(InstalmentRow(*r) for r in found)


def _visible_facility(conn: Connection, actor: Actor, facility_id: int) -> FacilityRow:
    """The facility, unless it does not exist or lies in another county than a league's."""
    row = conn.execute(select(_facilities).where(_facilities.c.id == facility_id)).first()
    if row is None or (actor.role == Role.COUNTY and row.county_code != actor.county_code):
        raise NotFound("facility.not_found", id=facility_id)
    return FacilityRow.from_row(row)
