"""One facility as the statements show it: its schedule, payments and balance, and
facilities in a list.

These read one facility's instalments and payments (a handful of rows, so per-row work
is fine here), or a county's or a person's facilities in one query. Every personal
identifier leaves this module masked (``fundcore.domain.identity``); a youth's own
record is ``fundcore.statements.archive``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Self

from sqlalchemy import Connection, Row, and_, case, func, select
from sqlalchemy.sql import ColumnElement

from fundcore.domain.errors import NotFound
from fundcore.domain.identity import mask_name
from fundcore.domain.terms import SERVICED, FacilityStatus, Instrument, RecoverySource, Role
from fundcore.services.claims import receivables_of
from fundcore.services.operators import Actor
from fundcore.statements.model import (
    FacilityBalance,
    FacilityRow,
    PaymentRow,
    ScheduleRow,
    ScheduleTotal,
)
from fundcore.statements.portfolio import facilities_on
from fundcore.store import as_of, rows
from fundcore.store.models import (
    Applicant,
    Application,
    County,
    Facility,
    Instalment,
    Recovery,
    Repayment,
    RepaymentUndo,
)
from fundcore.store.tables import table_of

_fac = table_of(Facility)
_inst = table_of(Instalment)
_rep = table_of(Repayment)
_undo = table_of(RepaymentUndo)
_rec = table_of(Recovery)
_apps = table_of(Application)
_people = table_of(Applicant)
_counties = table_of(County)

#: what a schedule row's ``status`` says (see ``_row_status``)
PAID, PARTIAL, OVERDUE, DUE, NOT_DUE = "paid", "partial", "overdue", "due", ""


@dataclass(frozen=True, slots=True)
class FacilityOnFile:
    """A facility with who holds it and where: what one facility's statement reads."""

    facility: rows.FacilityRow
    person_name: str
    id_number: str
    phone: str
    registered_poor: bool
    county_name: str
    province: str

    @classmethod
    def from_row(cls, row: Row[Any]) -> Self:
        return cls(
            facility=rows.FacilityRow.from_row(row),
            person_name=row.person_name,
            id_number=row.id_number,
            phone=row.phone,
            registered_poor=row.registered_poor,
            county_name=row.county_name,
            province=row.province,
        )


def load_facility(conn: Connection, actor: Actor, facility_id: int) -> FacilityOnFile:
    """The facility, its applicant and application; a county sees only its own."""
    row = conn.execute(
        select(
            _fac,
            _people.c.name.label("person_name"),
            _people.c.id_number,
            _apps.c.phone,
            _apps.c.registered_poor,
            _counties.c.name.label("county_name"),
            _counties.c.province,
        )
        .select_from(
            _fac.join(_people, _people.c.id == _fac.c.applicant_id)
            .join(_apps, _apps.c.id == _fac.c.id)
            .join(_counties, _counties.c.code == _fac.c.county_code)
        )
        .where(_fac.c.id == facility_id)
    ).first()
    if row is None or (actor.role == Role.COUNTY and row.county_code != actor.county_code):
        raise NotFound("facility.not_found", id=facility_id)
    return FacilityOnFile.from_row(row)


@dataclass(frozen=True, slots=True)
class FacilityThen:
    """A facility as it stood at the end of a day: its row then, the instalments of the
    schedule version then in force with what had been paid by then, and its arrears."""

    facility: rows.FacilityRow
    instalments: tuple[rows.InstalmentRow, ...]
    arrears_fen: int


def facility_then(
    conn: Connection, fac: rows.FacilityRow, day: date, default_after_days: int
) -> FacilityThen | None:
    """The facility at the end of ``day`` from its dated facts; None before its approval."""
    found = as_of.facility_row_on(conn, fac, day, default_after_days)
    if found is None:
        return None
    then, arrears = found
    instalments = as_of.schedule_on(conn, fac.id, then.schedule_version, day)
    return FacilityThen(then, tuple(rows.InstalmentRow(*r) for r in instalments), arrears)


def facility_arrears(conn: Connection, fac: rows.FacilityRow) -> int:
    """Principal due before the facility's last day close and still unpaid."""
    if fac.status not in SERVICED or fac.closed_through is None:
        return 0
    due = _inst.c.principal_fen - _inst.c.paid_principal_fen
    return int(
        conn.scalar(
            select(func.coalesce(func.sum(due), 0)).where(
                _inst.c.facility_id == fac.id,
                _inst.c.active,
                _inst.c.paid_principal_fen < _inst.c.principal_fen,
                _inst.c.due_date < fac.closed_through,
            )
        )
        or 0
    )


def _row_status(r: rows.InstalmentRow, closed: date | None, next_seen: bool, serviced: bool) -> str:
    """paid, overdue (due before the last day close), partial, due (the next one) or ''.

    Once a facility is no longer serviced (repaid, claimed, written off) what it did not
    pay is no longer due on the schedule: such rows are left blank.
    """
    # the borrower owes the interest less the subsidy (贴息), which the fund pays the bank
    if (
        r.paid_principal_fen >= r.principal_fen
        and r.paid_interest_fen >= r.interest_fen - r.subsidy_fen
    ):
        return PAID
    if not serviced:
        return PARTIAL if r.paid_fen else NOT_DUE
    if closed is not None and r.due_date < closed:
        return OVERDUE
    if r.paid_fen:
        return PARTIAL
    return NOT_DUE if next_seen else DUE


def schedule(
    conn: Connection,
    fac: rows.FacilityRow,
    instalments: Sequence[rows.InstalmentRow] | None = None,
) -> tuple[tuple[ScheduleRow, ...], ScheduleTotal]:
    """The schedule in force, with what was paid on each instalment (``instalments``:
    those of the version in force on a past day, with what was paid by then)."""
    if instalments is None:
        instalments = rows.active_instalments(conn, fac.id)
    left = sum(r.principal_fen for r in instalments)
    out: list[ScheduleRow] = []
    next_seen = False
    serviced = fac.status in SERVICED
    for r in instalments:
        left -= r.principal_fen
        state = _row_status(r, fac.closed_through, next_seen, serviced)
        next_seen = next_seen or state in (DUE, PARTIAL)
        out.append(
            ScheduleRow(r.no, r.due_date, r.principal_fen, r.interest_fen, r.subsidy_fen,
                        r.paid_fen, left, state)
        )  # fmt: skip
    total = ScheduleTotal(
        sum(r.principal_fen for r in out),
        sum(r.interest_fen for r in out),
        sum(r.subsidy_fen for r in out),
        sum(r.paid_fen for r in out),
    )
    return tuple(out), total


def payments(
    conn: Connection,
    facility_ids: Sequence[int],
    *,
    borrower_only: bool = False,
    label: bool = False,
) -> tuple[PaymentRow, ...]:
    """Repayments and recoveries of the facilities, by date (then facility and ref).

    A recovery is applied in full to what the claim left owing, so its applied principal
    is its amount. ``borrower_only`` leaves out what the county paid; ``label`` names
    each payment's facility (the archive lists several facilities' payments).
    """
    ids = list(facility_ids)
    reps = conn.execute(
        select(_rep.c.business_date, _rep.c.facility_id, _rep.c.ref, _rep.c.amount_fen,
               _rep.c.principal_fen).where(_rep.c.facility_id.in_(ids))
    ).all()  # fmt: skip
    # a repayment undone shows again on its undo day, taken back (negative)
    undone = conn.execute(
        select(_undo.c.business_date, _undo.c.facility_id, _undo.c.ref, -_undo.c.amount_fen,
               -_undo.c.principal_fen).where(_undo.c.facility_id.in_(ids))
    ).all()  # fmt: skip
    recs = select(
        _rec.c.business_date, _rec.c.facility_id, _rec.c.ref, _rec.c.amount_fen, _rec.c.amount_fen
    ).where(_rec.c.facility_id.in_(ids))
    if borrower_only:
        recs = recs.where(_rec.c.source == RecoverySource.BORROWER)
    found = sorted([*reps, *undone, *conn.execute(recs).all()], key=lambda r: (r[0], r[1], r[2]))
    return tuple(
        PaymentRow(day, ref, amount, principal, str(fid) if label else "")
        for day, fid, ref, amount, principal in found
    )


def serviced_only(status: str, value: int) -> int:
    """``value`` (days past due, arrears) for a facility still serviced, else 0: ageing
    stops once a facility is repaid, claimed or written off."""
    return value if status in SERVICED else 0


def balance(
    conn: Connection,
    fac: rows.FacilityRow,
    schedule_rows: Sequence[ScheduleRow],
    arrears_fen: int | None = None,
) -> FacilityBalance:
    """Outstanding, overdue and next due; ``arrears_fen`` when known as of a past day."""
    nxt = None
    if fac.status in SERVICED:
        nxt = next((r for r in schedule_rows if r.status in (DUE, PARTIAL)), None)
    return FacilityBalance(
        principal_outstanding_fen=fac.outstanding_fen,
        overdue_fen=facility_arrears(conn, fac) if arrears_fen is None else arrears_fen,
        days_overdue=serviced_only(fac.status, fac.days_past_due),
        next_due_on=nxt.due_date if nxt else None,
        next_due_fen=(nxt.principal_fen + nxt.interest_fen - nxt.subsidy_fen - nxt.paid_fen)
        if nxt
        else None,
    )


def balance_due(fac: rows.FacilityRow) -> int:
    """What is owed on the facility: principal outstanding, or after a claim what the
    borrower and the county still owe the fund."""
    if fac.status == FacilityStatus.CLAIMED:
        return receivables_of(fac).total_fen
    # a loan's called county share is still owed to the fund, by the county
    return fac.outstanding_fen + receivables_of(fac).county_fen


def _arrears_now() -> ColumnElement:
    """A late facility's arrears now: principal of instalments due before its last day
    close and still unpaid (a correlated subquery on its own instalments, through the
    primary key; in a CASE rather than WHERE so that PostgreSQL does not range over
    the partial index of every unpaid instalment for each facility)."""
    i = _inst.c
    unpaid = and_(
        i.active, i.paid_principal_fen < i.principal_fen, i.due_date < _fac.c.closed_through
    )
    due = case((unpaid, i.principal_fen - i.paid_principal_fen), else_=0)
    late = and_(
        _fac.c.status.in_(SERVICED), _fac.c.disbursed_on.is_not(None), _fac.c.days_past_due > 0
    )
    owed = select(func.coalesce(func.sum(due), 0)).where(i.facility_id == _fac.c.id)
    return case((late, owed.scalar_subquery()), else_=0)


def facility_rows(
    conn: Connection,
    *,
    county: str | None = None,
    ids: Sequence[int] | None = None,
    day: date | None = None,
) -> tuple[FacilityRow, ...]:
    """The facilities of a county or with these ids (by id): masked borrower, balance,
    arrears and days past due — at the end of ``day`` (those approved by then), or as
    they stand now (at their last day close) without one."""
    if day is not None:
        return _rows_on(conn, day, county, ids)
    where = [_fac.c.county_code == county] if county is not None else []
    where += [_fac.c.id.in_(list(ids))] if ids is not None else []
    found = conn.execute(
        select(_fac, _people.c.name.label("person_name"), _arrears_now().label("arrears_fen"))
        .select_from(_fac.join(_people, _people.c.id == _fac.c.applicant_id))
        .where(*where)
        .order_by(_fac.c.id)
    ).all()
    return tuple(
        _listed(rows.FacilityRow.from_row(r), r.person_name, int(r.arrears_fen), r.days_past_due)
        for r in found
    )


def _rows_on(
    conn: Connection, day: date, county: str | None, ids: Sequence[int] | None
) -> tuple[FacilityRow, ...]:
    t = facilities_on(conn, day, county=county)
    stmt = (
        select(t, _people.c.name.label("person_name"))
        .select_from(t.join(_people, _people.c.id == t.c.applicant_id))
        .order_by(t.c.id)
    )
    if ids is not None:
        stmt = stmt.where(t.c.id.in_(list(ids)))
    return tuple(
        FacilityRow(
            facility_id=str(r.id),
            borrower_masked=mask_name(r.person_name),
            instrument=r.instrument,
            status=r.status,
            principal_fen=r.principal_fen,
            disbursed_on=r.disbursed_on,
            outstanding_fen=None if r.instrument == Instrument.GRANT else r.outstanding_fen,
            overdue_fen=None if r.instrument == Instrument.GRANT else r.arrears_fen,
            days_overdue=r.days_past_due,
        )
        for r in conn.execute(stmt)
    )


def _listed(
    fac: rows.FacilityRow, person_name: str, arrears_fen: int, days_past_due: int
) -> FacilityRow:
    """A facility as a list shows it (a grant has no balance or arrears)."""
    grant = fac.instrument == Instrument.GRANT
    return FacilityRow(
        facility_id=str(fac.id),
        borrower_masked=mask_name(person_name),
        instrument=fac.instrument,
        status=fac.status,
        principal_fen=fac.principal_fen,
        disbursed_on=fac.disbursed_on,
        outstanding_fen=None if grant else fac.outstanding_fen,
        overdue_fen=None if grant else arrears_fen,
        days_overdue=serviced_only(fac.status, days_past_due),
    )
