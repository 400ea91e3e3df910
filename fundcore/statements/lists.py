"""The lists a finance officer works from every day (issue 17 item 5).

``facilities``: every loan, guarantee and grant with its balance and status, now (at
its last day close) or as it stood at the end of a day; ``collections`` (催收清单): those
overdue on a day, most days overdue first. Both by county and status; a county league
sees only its own county (asking for another is not permitted, whatever the code).
Read through the same queries as the statements, so a list and a statement of the same
day agree.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Connection

from fundcore.domain.errors import NotPermitted
from fundcore.domain.terms import Role
from fundcore.services.operators import authorise
from fundcore.statements import records
from fundcore.statements.model import FacilityRow


def facilities(
    conn: Connection,
    operator: str | None,
    *,
    county: str | None = None,
    status: str | None = None,
    as_of: date | None = None,
) -> tuple[FacilityRow, ...]:
    """The facilities the operator may see, by id: of ``county``, in ``status``, at the
    end of ``as_of`` (those approved by then) or as they stand now."""
    actor = authorise(conn, operator, "applications.read")
    if actor.role == Role.COUNTY:
        if county is not None and county != actor.county_code:
            raise NotPermitted("intake.not_your_county", code=county)
        county = actor.county_code
    found = records.facility_rows(conn, county=county, day=as_of)
    return tuple(r for r in found if status is None or r.status == status)


def collections(
    conn: Connection, operator: str | None, as_of: date, *, county: str | None = None
) -> tuple[FacilityRow, ...]:
    """The facilities overdue at the end of ``as_of``: most days overdue first, then the
    larger amount overdue, then by id."""
    found = facilities(conn, operator, county=county, as_of=as_of)
    late = [r for r in found if (r.overdue_fen or 0) > 0 and r.days_overdue > 0]
    return tuple(
        sorted(late, key=lambda r: (-r.days_overdue, -(r.overdue_fen or 0), int(r.facility_id)))
    )
