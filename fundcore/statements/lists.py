"""The lists a finance officer works from every day (issue 17 item 5).

``facilities``: every loan, guarantee and grant with its balance and status, now (at
its last day close) or as it stood at the end of a day; ``collections`` (催收清单): those
overdue on a day, most days overdue first. Both by county and status; a county league
sees only its own county (asking for another is not permitted, whatever the code).
Read through the same queries as the statements, so a list and a statement of the same
day agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Connection, select

from fundcore.domain.errors import NotPermitted
from fundcore.domain.identity import mask_name
from fundcore.domain.terms import SERVICED, Role
from fundcore.services.operators import Actor, authorise
from fundcore.statements import common, records
from fundcore.statements.model import FacilityRow
from fundcore.store.models import Applicant, Donation, Facility, Instalment
from fundcore.store.tables import table_of

_donations = table_of(Donation)
_fac = table_of(Facility)
_inst = table_of(Instalment)
_people = table_of(Applicant)


@dataclass(frozen=True, slots=True)
class DueRow:
    """An instalment coming due that is not yet paid in full: what a county league
    reminds its borrower of."""

    facility_id: int
    county_code: str
    borrower_masked: str
    instrument: str
    no: int
    due_date: date
    due_fen: int


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
    county = _county_of(actor, county)
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


def dues(
    conn: Connection,
    operator: str | None,
    start: date,
    end: date,
    *,
    county: str | None = None,
) -> tuple[DueRow, ...]:
    """The instalments of the schedules in force falling due from ``start`` to ``end``
    (both included) and not yet paid in full, by due date, of facilities still serviced:
    the reminders a county league sends."""
    common.check_period(start, end)
    actor = authorise(conn, operator, "applications.read")
    county = _county_of(actor, county)
    i, f = _inst.c, _fac.c
    stmt = (
        select(
            f.id, f.county_code, f.instrument, _people.c.name, i.no, i.due_date,
            (i.principal_fen - i.paid_principal_fen + i.interest_fen - i.paid_interest_fen)
            .label("due_fen"),
        )
        .select_from(_inst.join(_fac, _fac.c.id == i.facility_id)
                     .join(_people, _people.c.id == f.applicant_id))
        .where(i.active, i.due_date >= start, i.due_date <= end, f.status.in_(SERVICED))
        .order_by(i.due_date, f.id, i.no)
    )  # fmt: skip
    if county is not None:
        stmt = stmt.where(f.county_code == county)
    return tuple(
        DueRow(r.id, r.county_code, mask_name(r.name), r.instrument, r.no, r.due_date, due)
        for r in conn.execute(stmt)
        if (due := int(r.due_fen)) > 0
    )


@dataclass(frozen=True, slots=True)
class DonationRow:
    """A donation as listed: ``purpose`` the purpose it is restricted to (None:
    unrestricted), ``words`` the donor's own words for the restriction, and whether it
    is the Foundation's own matching donation."""

    id: int
    business_date: date
    donor: str
    amount_fen: int
    ref: str | None
    purpose: str | None
    words: str | None
    foundation_match: bool


def donations(
    conn: Connection,
    operator: str | None,
    *,
    start: date | None = None,
    end: date | None = None,
) -> tuple[DonationRow, ...]:
    """The donations dated from ``start`` to ``end`` (either open), by date then id."""
    authorise(conn, operator, "statements.fund")
    if start is not None and end is not None:
        common.check_period(start, end)
    d = _donations.c
    stmt = select(_donations).order_by(d.business_date, d.id)
    if start is not None:
        stmt = stmt.where(d.business_date >= start)
    if end is not None:
        stmt = stmt.where(d.business_date <= end)
    return tuple(
        DonationRow(
            r.id,
            r.business_date,
            r.donor,
            r.amount_fen,
            r.ref,
            r.purpose,
            r.restricted_purpose,
            bool(r.foundation_match),
        )
        for r in conn.execute(stmt)
    )


@dataclass(frozen=True, slots=True)
class ClaimRow:
    """A guarantee the fund has paid a claim on: what it paid the bank, the county's
    counter-guarantee share, and what has come back from the borrower and the county."""

    facility_id: int
    county_code: str
    borrower_masked: str
    status: str
    claim_paid_fen: int
    county_share_fen: int
    recovered_borrower_fen: int
    recovered_county_fen: int


def claims(
    conn: Connection, operator: str | None, *, county: str | None = None
) -> tuple[ClaimRow, ...]:
    """Every guarantee with a claim paid, as it stands now, by facility id."""
    actor = authorise(conn, operator, "applications.read")
    county = _county_of(actor, county)
    f = _fac.c
    stmt = (
        select(_fac, _people.c.name.label("person_name"))
        .select_from(_fac.join(_people, _people.c.id == f.applicant_id))
        .where(f.claim_paid_fen > 0)
        .order_by(f.id)
    )
    if county is not None:
        stmt = stmt.where(f.county_code == county)
    return tuple(
        ClaimRow(
            r.id,
            r.county_code,
            mask_name(r.person_name),
            r.status,
            r.claim_paid_fen,
            r.county_share_fen,
            r.recovered_borrower_fen,
            r.recovered_county_fen,
        )
        for r in conn.execute(stmt)
    )


def _county_of(actor: Actor, county: str | None) -> str | None:
    """The county to list: a county league's own (another is not permitted)."""
    if actor.role != Role.COUNTY:
        return county
    if county is not None and county != actor.county_code:
        raise NotPermitted("intake.not_your_county", code=county)
    return actor.county_code
