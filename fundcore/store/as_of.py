"""Facility figures as of a past day D, for a day close run in arrears.

The facility row and its instalments keep the *current* state. A facility with no
repayment dated after D looks at D exactly as it does now, so its cached figures are
used as they are (a close on time reads nothing else). Only facilities repaid after D
are rebuilt from dated facts, set-based: outstanding principal is today's plus the
principal repaid after D; the oldest unpaid instalment is found by filling the
principal repaid by D over the schedule in force as the allocation does (a
recursive CTE over the repayments, a running sum over the instalments).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Connection,
    Select,
    Subquery,
    and_,
    case,
    cast,
    func,
    literal,
    or_,
    select,
)

from fundcore.domain.money import BP
from fundcore.domain.terms import SERVICED, FacilityStatus, Instrument
from fundcore.store.bulk import chunks
from fundcore.store.models import Facility, Instalment, Repayment
from fundcore.store.tables import table_of

_fac = table_of(Facility)
_inst = table_of(Instalment)
_rep = table_of(Repayment)


@dataclass(frozen=True, slots=True)
class RepaidLater:
    """A facility serviced at D that was repaid after D: what it owed at D."""

    facility_id: int
    status: FacilityStatus
    outstanding_fen: int
    exposure_fen: int


def repaid_after(conn: Connection, day: date) -> dict[int, RepaidLater]:
    """Facilities paid out by ``day`` and serviced then, with principal repaid after it."""
    later = _later_principal(day)
    owed = _fac.c.outstanding_fen + later.c.after_fen
    exposure = (owed * _fac.c.coverage_bp + BP // 2) // BP
    rows = conn.execute(
        select(_fac.c.id, _fac.c.status, _fac.c.instrument, owed, exposure)
        .join(later, later.c.facility_id == _fac.c.id)
        .where(
            _fac.c.disbursed_on <= day,
            _fac.c.status.in_((*SERVICED, FacilityStatus.REPAID)),
        )
    ).all()
    return {
        fid: RepaidLater(
            fid,
            FacilityStatus(st),
            int(out),
            int(exp) if inst == Instrument.GUARANTEE else 0,
        )
        for fid, st, inst, out, exp in rows
    }


def oldest_unpaid(
    conn: Connection, day: date, later: set[int], order: str
) -> list[tuple[int, date]]:
    """(facility, oldest due date before ``day`` of principal unpaid at ``day``)."""
    now = conn.execute(
        select(_inst.c.facility_id, func.min(_inst.c.due_date))
        .where(
            _inst.c.active,
            _inst.c.paid_principal_fen < _inst.c.principal_fen,
            _inst.c.due_date < day,
        )
        .group_by(_inst.c.facility_id)
    ).all()
    out = [(int(fid), due) for fid, due in now if fid not in later]
    for part in chunks(sorted(later)):
        out.extend((int(fid), due) for fid, due in conn.execute(_rebuilt(day, part, order)).all())
    return out


def _rebuilt(day: date, ids: Sequence[int], order: str) -> Select[tuple[int, date]]:
    """Oldest unpaid due date at ``day`` of these facilities, on their schedule in force.

    Repayments fill principal as ``domain.repayments.allocate`` does, in date order:
    what was due by a repayment's date oldest first (a front fill ``a``), the rest the
    last instalments first (a back fill ``b``; with ``order='next'`` the front fill
    goes on). Replayed per repayment by a recursive CTE over all facilities at once."""
    fill = _fill(day, ids, order)
    running = (
        select(
            _inst.c.facility_id,
            _inst.c.due_date,
            _inst.c.principal_fen,
            func.sum(_inst.c.principal_fen)
            .over(partition_by=_inst.c.facility_id, order_by=_inst.c.no)
            .label("through_fen"),
            func.sum(_inst.c.principal_fen)
            .over(partition_by=_inst.c.facility_id)
            .label("total_fen"),
        )
        .where(_inst.c.active, _inst.c.facility_id.in_(ids))
        .subquery()
    )
    r = running.c
    return (
        select(r.facility_id, func.min(r.due_date))
        .join(fill, fill.c.facility_id == r.facility_id)
        .where(
            r.due_date < day,
            r.through_fen > fill.c.a,
            r.total_fen - r.through_fen + r.principal_fen > fill.c.b,
        )
        .group_by(r.facility_id)
    )


def _fill(day: date, ids: Sequence[int], order: str) -> Subquery:
    """Per facility the front and back fill of principal after its repayments by ``day``."""
    due_by = (
        select(func.coalesce(func.sum(_inst.c.principal_fen), 0))
        .where(
            _inst.c.facility_id == _rep.c.facility_id,
            _inst.c.active,
            _inst.c.due_date <= _rep.c.business_date,
        )
        .scalar_subquery()
    )
    k = func.row_number().over(
        partition_by=_rep.c.facility_id, order_by=(_rep.c.business_date, _rep.c.id)
    )
    reps = (
        select(
            _rep.c.facility_id, _rep.c.principal_fen.label("p"), due_by.label("due"), k.label("k")
        )
        .where(_rep.c.business_date <= day, _rep.c.facility_id.in_(ids))
        .cte("reps")
    )
    totals = (
        select(_inst.c.facility_id, func.sum(_inst.c.principal_fen).label("t"))
        .where(_inst.c.active, _inst.c.facility_id.in_(ids))
        .group_by(_inst.c.facility_id)
        .subquery()
    )
    zero = literal(0, BigInteger)
    s = select(
        totals.c.facility_id, literal(0).label("k"), zero.label("a"), zero.label("b"), totals.c.t
    ).cte("fill", recursive=True)
    room = _least(reps.c.due, s.c.t - s.c.b) - s.c.a
    front = _least(reps.c.p, case((room > 0, room), else_=0)) if order == "last" else reps.c.p
    s = s.union_all(
        select(
            s.c.facility_id,
            s.c.k + 1,
            cast(s.c.a + front, BigInteger),
            cast(s.c.b + reps.c.p - front, BigInteger),
            s.c.t,
        ).join(reps, and_(reps.c.facility_id == s.c.facility_id, reps.c.k == s.c.k + 1))
    )
    return (
        select(s.c.facility_id, func.max(s.c.a).label("a"), func.max(s.c.b).label("b"))
        .group_by(s.c.facility_id)
        .subquery()
    )


def _least(x: ColumnElement[int], y: ColumnElement[int]) -> ColumnElement[int]:
    return case((x < y, x), else_=y)


def _later_principal(day: date) -> Subquery:
    return (
        select(_rep.c.facility_id, func.sum(_rep.c.principal_fen).label("after_fen"))
        .where(_rep.c.business_date > day)
        .group_by(_rep.c.facility_id)
        .subquery()
    )


def serviced_on(day: date) -> Subquery:
    """The facilities serviced now and paid out by ``day``, with their ageing (as the
    close of ``day`` just left it) and the principal they owed on ``day``."""
    later = _later_principal(day)
    return (
        select(
            _fac.c.id,
            _fac.c.instrument,
            _fac.c.status,
            _fac.c.days_past_due,
            (_fac.c.outstanding_fen + func.coalesce(later.c.after_fen, 0)).label("owed_fen"),
        )
        .outerjoin(later, later.c.facility_id == _fac.c.id)
        .where(_fac.c.status.in_(SERVICED), _fac.c.disbursed_on <= day)
        .subquery()
    )


def guarantee_exposure(conn: Connection, day: date) -> int:
    """The guarantee exposure on ``day``: guarantees issued by then, on what their bank
    loans still owed then (today's cached exposure where nothing was repaid since)."""
    later = _later_principal(day)
    owed = _fac.c.outstanding_fen + later.c.after_fen
    exposure = case(
        (later.c.after_fen.is_(None), _fac.c.exposure_fen),
        else_=(owed * _fac.c.coverage_bp + BP // 2) // BP,
    )
    alive = or_(
        _fac.c.status.in_(SERVICED),
        and_(_fac.c.status == FacilityStatus.REPAID, later.c.after_fen.is_not(None)),
    )
    total = conn.scalar(
        select(func.coalesce(func.sum(exposure), 0))
        .select_from(_fac.outerjoin(later, later.c.facility_id == _fac.c.id))
        .where(_fac.c.instrument == Instrument.GUARANTEE, _fac.c.disbursed_on <= day, alive)
    )
    return int(total or 0)
