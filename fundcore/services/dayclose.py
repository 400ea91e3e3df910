"""Day close: ageing, overdue and default, and the guarantee loss provision, through a date.

Set-based: one aggregate over the unpaid instalments of the schedules in force (a
partial index keeps it to the unpaid ones) finds each facility's oldest unpaid due
date; one UPDATE resets every serviced facility, and a bulk UPDATE marks the overdue
ones. Each facility remembers the date it was closed through, and each run leaves a
``day_closes`` row, so a failed run can simply be run again and a second run for the
same date changes nothing. A run across a gap of months closes each month end first,
each from the dated facts as of its day; the facility rows are aged once, at the last.

Portfolio at risk (PAR30/PAR90) is the standard microfinance measure: the outstanding
principal of facilities with any instalment more than 30 (90) days past due, divided by
all outstanding principal.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from dateutil.relativedelta import relativedelta
from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Connection,
    and_,
    bindparam,
    case,
    func,
    insert,
    literal,
    or_,
    select,
    union_all,
    update,
)

from fundcore.domain import chart
from fundcore.domain.money import ratio_bp
from fundcore.domain.policy import Policy
from fundcore.domain.postings.provision import DAY_CLOSE, ProvisionReview, provision_top_up
from fundcore.domain.terms import SERVICED, FacilityEventKind, FacilityStatus
from fundcore.services import allowance, capacity, claims, subsidies
from fundcore.services.operators import authorise
from fundcore.services.policy import in_force
from fundcore.store import as_of, audit, facts, journal
from fundcore.store.bulk import chunks
from fundcore.store.clock import utcnow
from fundcore.store.models import DayClose, Facility, FacilityEvent, Instalment
from fundcore.store.tables import table_of

# declarative models type ``__table__`` as a FromClause; these are Tables
_fac = table_of(Facility)
_inst = table_of(Instalment)
_close = table_of(DayClose)
_ev = table_of(FacilityEvent)


@dataclass(frozen=True, slots=True)
class CloseResult:
    business_date: date
    facilities: int
    overdue: int
    defaulted: int
    outstanding_fen: int
    par30_fen: int
    par90_fen: int
    provision_fen: int

    @property
    def par30_bp(self) -> int | None:
        return ratio_bp(self.par30_fen, self.outstanding_fen) if self.outstanding_fen else None

    @property
    def par90_bp(self) -> int | None:
        return ratio_bp(self.par90_fen, self.outstanding_fen) if self.outstanding_fen else None


def dates_to_close(last: date | None, first_activity: date | None, through: date) -> list[date]:
    """Every month end after the last close and before ``through``, then ``through``."""
    if last is not None and through <= last:
        return []
    start = last or first_activity
    if start is None:
        return [through]

    out: list[date] = []
    month_end = start + relativedelta(day=31)
    if last is not None and month_end <= last:
        month_end = (start + relativedelta(months=1)) + relativedelta(day=31)
    while month_end < through:
        out.append(month_end)
        month_end = (month_end + relativedelta(days=1)) + relativedelta(day=31)
    return out + [through]


def close_through(conn: Connection, operator: str | None, through: date) -> list[CloseResult]:
    """Close every pending month end and then ``through``; [] if already closed through it."""
    actor = authorise(conn, operator, "day_close.run")
    capacity.lock_fund(conn)
    last = conn.scalar(select(func.max(_close.c.business_date)))
    first = conn.scalar(select(func.min(_fac.c.disbursed_on)))
    days = dates_to_close(last, first, through)
    results = [
        _close_one(conn, actor.name, day, in_force(conn, day).policy, day == days[-1])
        for day in days
    ]
    if results:
        audit.record(
            conn,
            actor.name,
            "day_close.run",
            object_type=DAY_CLOSE,
            object_id=through.isoformat(),
            business_date=through,
            closes=len(results),
        )
    return results


def _close_one(
    conn: Connection, operator: str, day: date, policy: Policy, latest: bool
) -> CloseResult:
    """Age every facility serviced on ``day`` as it stood that day (a close in arrears
    sees what a close on time would have), top up the provision, record the close.

    One pass over the facilities as of ``day`` gives both the late ones and the close's
    figures with the guarantee exposure (a default found now is already a default in
    the figures, so recording it afterwards changes none of them). The facility rows
    keep the ageing of the ``latest`` close only: the as-of reads of earlier days come
    from dated facts, so a catch-up over many month ends rewrites them once, not at
    every month end."""
    marks, figures, exposure = _one_pass(conn, day, policy)
    new = _record_defaults(conn, day, marks)
    if policy.county_claim_at_default:
        owed = {m.facility_id: m.outstanding_fen for m in marks if m.facility_id in new}
        claims.county_shares_at_default(conn, operator, day, owed)
    if latest:
        _reset_serviced(conn, day)
        if marks:
            _mark_late(conn, marks)
    provision = _top_up_provision(conn, operator, day, policy, exposure)
    subsidies.accrue(conn, operator, day)
    if day == day + relativedelta(day=31):
        allowance.review(conn, operator, day, policy)
    result = CloseResult(day, *figures, provision)
    _record_close(conn, operator, result)
    return result


@dataclass(frozen=True, slots=True)
class _Late:
    """A facility found late by the day close: how many days, and what that makes it."""

    facility_id: int
    days_past_due: int
    status: FacilityStatus
    #: principal outstanding on the day (what a county share of it is called on)
    outstanding_fen: int = 0


def _one_pass(
    conn: Connection, day: date, policy: Policy
) -> tuple[list[_Late], tuple[int, int, int, int, int, int], int]:
    """The facilities as of ``day``, computed once (a CTE read twice), for:

    - the late ones: serviced on ``day`` with an instalment of the schedule then in force
      due before ``day`` whose principal was not fully paid on ``day``, aged from the
      oldest;
    - the close's figures over every facility serviced on ``day``, on what it owed that
      day — (count, overdue, defaulted, outstanding, PAR30, PAR90) — and the exposure on
      ``day`` of the guarantees issued by then, which the provision covers."""
    t = as_of.facilities_on_cte(conn, day, policy.default_after_days)
    dpd, out, serviced = t.c.days_past_due, t.c.outstanding_fen, t.c.status.in_(SERVICED)

    def total(cond: ColumnElement[bool], value: ColumnElement[int] | int) -> ColumnElement[int]:
        return func.coalesce(func.sum(case((cond, value), else_=0)), 0)

    zero = literal(0, BigInteger)
    late = select(literal(0).label("part"), t.c.id, dpd, t.c.status, out, *[zero] * 6).where(
        serviced, dpd > 0
    )
    figures = select(
        literal(1),
        zero,
        literal(0),
        literal(""),
        total(serviced, 1),
        total(and_(serviced, dpd > 0), 1),
        total(t.c.status == FacilityStatus.DEFAULTED, 1),
        total(serviced, out),
        total(and_(serviced, dpd > 30), out),
        total(and_(serviced, dpd > 90), out),
        total(t.c.disbursed_on.is_not(None), t.c.exposure_fen),
    )
    marks: list[_Late] = []
    found = (0, 0, 0, 0, 0, 0, 0)
    for part, fid, days, status, *sums in conn.execute(union_all(late, figures)):
        if part == 0:
            marks.append(_Late(int(fid), int(days), FacilityStatus(status), int(sums[0])))
        else:
            found = tuple(int(v) for v in sums)  # type: ignore[assignment]
    n, overdue, defaulted, outstanding, par30, par90, exposure = found
    return marks, (n, overdue, defaulted, outstanding, par30, par90), exposure


def _record_defaults(conn: Connection, day: date, marks: list[_Late]) -> set[int]:
    """The dated fact of each default this close finds for the first time (from the
    facts, not the facility row, which a catch-up updates only at its last close);
    the facilities so found."""
    found = [m.facility_id for m in marks if m.status == FacilityStatus.DEFAULTED]
    new = set(found)
    for part in chunks(found):
        new -= set(
            conn.scalars(
                select(_ev.c.facility_id).where(
                    _ev.c.facility_id.in_(part), _ev.c.kind == FacilityEventKind.DEFAULT
                )
            )
        )
    events = (facts.Event(f, FacilityEventKind.DEFAULT, day) for f in sorted(new))
    facts.record_events(conn, events)
    return new


def _reset_serviced(conn: Connection, day: date) -> None:
    """Every facility serviced by ``day``: not late (overdue back to current) until marked;
    closed through ``day``. Default is sticky: only a restructuring or payment moves it."""
    serviced = and_(_fac.c.status.in_(SERVICED), _fac.c.disbursed_on <= day)
    conn.execute(
        update(_fac)
        .where(serviced)
        .values(
            days_past_due=0,
            closed_through=day,
            status=case(
                (_fac.c.status == FacilityStatus.OVERDUE, FacilityStatus.CURRENT),
                else_=_fac.c.status,
            ),
        )
    )


def _mark_late(conn: Connection, marks: list[_Late]) -> None:
    """Days past due and overdue or defaulted status (a default stays a default)."""
    conn.execute(
        update(_fac)
        .where(_fac.c.id == bindparam("fid"), or_(*(_fac.c.status == s for s in SERVICED)))
        .values(
            days_past_due=bindparam("dpd"),
            status=case(
                (_fac.c.status == FacilityStatus.DEFAULTED, FacilityStatus.DEFAULTED),
                else_=bindparam("st"),
            ),
        ),
        [{"fid": m.facility_id, "dpd": m.days_past_due, "st": m.status} for m in marks],
    )


def _record_close(conn: Connection, operator: str, result: CloseResult) -> None:
    """The ``day_closes`` row that says the date is closed, with its figures."""
    conn.execute(
        insert(_close).values(
            business_date=result.business_date,
            facilities=result.facilities,
            overdue=result.overdue,
            defaulted=result.defaulted,
            outstanding_fen=result.outstanding_fen,
            par30_fen=result.par30_fen,
            par90_fen=result.par90_fen,
            provision_fen=result.provision_fen,
            operator=operator,
            recorded_at=utcnow(),
        )
    )


def _top_up_provision(
    conn: Connection, operator: str, day: date, policy: Policy, exposure: int
) -> int:
    """Keep 担保赔偿准备 at least the policy share of the guarantee exposure on ``day``."""
    held = next(
        r.balance_fen
        for r in journal.balances(conn, day)
        if r.code == chart.GUARANTEE_LOSS_PROVISION
    )
    review = ProvisionReview(day, operator, exposure, policy.provision_bp, held)
    entry = provision_top_up(review)
    if entry is not None:
        journal.post(conn, entry)
    return review.after_fen
