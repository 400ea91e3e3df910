"""Every facility as it stood at the end of a day D, from dated facts, in one query.

The facility row and its instalments keep the *current* state, for the commands that
change it. A statement, a catch-up day close, ``capacity --date`` and ``schedule
--as-of`` need the state on an earlier day, and derive it here from records that
carry their business date, never from "as recorded now":

- approved by D (``approved_on``), cancelled by D (the cancel decision's date), paid
  out by D (``disbursed_on``, or a pay-out made by D whose cancel is dated after D:
  a ``payout_cancel`` event keeps the date it was paid);
- principal owed at D: the principal less what was repaid by D — the repayments dated
  by D, or today's repaid total less those dated after D, whichever range of the index
  on the repayments' dates is shorter;
- claims, the county's share of them, write-offs (less their undoing), defaults found
  by a day close, and schedule versions in force: ``facility_events`` up to D;
  recoveries up to D;
- ageing at D: the oldest due date before D of an instalment of the schedule in force
  at D whose principal was not fully paid at D. What was paid of an instalment at D is
  today's figure less what ``repayment_allocations`` dated after D paid of it, plus
  what undos dated after D took back of it (a repayment's own allocations); only
  three small sets of instalments can be unpaid at D and due before it — those unpaid
  now, those paid late after D (a partial index of late allocations), and the retired
  schedules of facilities restructured (or whose pay-out was cancelled) after D — so
  nothing scans every schedule.

Status at D follows from these facts in a fixed order (cancelled, written off, claimed,
approved, paid for a grant, repaid, defaulted, overdue, current). A default is sticky
as the day close keeps it: once found (an event) it stays until repaid, claimed or
written off. The cost is O(facilities + the shorter side of the repayments around D +
late instalments).
"""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta
from typing import Any

from sqlalchemy import (
    CTE,
    BigInteger,
    Connection,
    Integer,
    Select,
    Subquery,
    and_,
    case,
    cast,
    func,
    literal,
    literal_column,
    or_,
    select,
    union,
    union_all,
)
from sqlalchemy.sql import ColumnElement, exists

from fundcore.domain.decisions import Action
from fundcore.domain.money import BP
from fundcore.domain.terms import (
    EXPOSED,
    SERVICED,
    FacilityEventKind,
    FacilityStatus,
    Instrument,
)
from fundcore.store.models import (
    Decision,
    Facility,
    FacilityEvent,
    Instalment,
    Recovery,
    Repayment,
    RepaymentAllocation,
    RepaymentUndo,
)
from fundcore.store.rows import FacilityRow
from fundcore.store.tables import table_of

_fac = table_of(Facility)
_inst = table_of(Instalment)
_rep = table_of(Repayment)
_alloc = table_of(RepaymentAllocation)
_undo = table_of(RepaymentUndo)
_ev = table_of(FacilityEvent)
_dec = table_of(Decision)
_rec = table_of(Recovery)
_Kind = FacilityEventKind


def _sum(value: ColumnElement[int]) -> ColumnElement[int]:
    """SUM as a bigint (PostgreSQL sums bigints as numeric, which Python sees as Decimal)."""
    return cast(func.sum(value), BigInteger)


def _sum_if(cond: ColumnElement[bool], value: ColumnElement[int] | int) -> ColumnElement[int]:
    return func.coalesce(_sum(case((cond, value), else_=0)), 0)


def _repaid(conn: Connection, day: date) -> tuple[Subquery, bool]:
    """Principal repaid per facility on one side of ``day``, and whether it is the side
    after it: after ``day`` when ``day`` lies in the later half of the repayments' dates
    (then owed = principal − repaid now + repaid after), else by ``day`` (owed =
    principal − repaid by then) — whichever range of the date index is shorter.

    Grouped by ``facility_id + 0`` so that SQLite reads the covering index on the dates
    rather than walking the facility index (to save a sort) and every repayment's row."""
    r = _rep.c
    first, last = conn.execute(select(func.min(r.business_date), func.max(r.business_date))).one()
    after = first is None or (day - first) >= (last - day)
    key = r.facility_id + literal_column("0")  # the same text in SELECT and GROUP BY
    side = r.business_date > day if after else r.business_date <= day
    paid = (
        select(cast(key, BigInteger).label("facility_id"), _sum(r.principal_fen).label("fen"))
        .where(side)
        .group_by(key)
    )
    u = _undo.c
    undone = select(u.facility_id, -_sum(u.principal_fen)).where(
        u.business_date > day if after else u.business_date <= day
    )
    both = union_all(paid, undone.group_by(u.facility_id)).subquery("paid_and_undone")
    repaid = (
        select(both.c.facility_id, _sum(both.c.fen).label("repaid_fen"))
        .group_by(both.c.facility_id)
        .subquery("repaid")
    )
    return repaid, after


def _events(day: date) -> Subquery:
    """Claims, county shares, write-offs (net of undoing) and defaults up to ``day``."""
    k, amount = _ev.c.kind, _ev.c.amount_fen
    written = _sum_if(k == _Kind.WRITE_OFF, amount) - _sum_if(k == _Kind.WRITE_OFF_UNDO, amount)
    return (
        select(
            _ev.c.facility_id,
            _sum_if(k == _Kind.CLAIM, amount).label("claim_fen"),
            _sum_if(k == _Kind.CLAIM, 1).label("claims"),
            _sum_if(k == _Kind.COUNTY_SHARE, amount).label("county_share_fen"),
            written.label("written_off_fen"),
            _sum_if(k == _Kind.DEFAULT, 1).label("defaults"),
        )
        .where(_ev.c.business_date <= day, _ev.c.kind != _Kind.SCHEDULE)
        .group_by(_ev.c.facility_id)
        .subquery("events")
    )


def _recovered(day: date) -> Subquery:
    source = _rec.c.source
    return (
        select(
            _rec.c.facility_id,
            _sum_if(source == "borrower", _rec.c.amount_fen).label("borrower_fen"),
            _sum_if(source == "county", _rec.c.amount_fen).label("county_fen"),
        )
        .where(_rec.c.business_date <= day)
        .group_by(_rec.c.facility_id)
        .subquery("recovered")
    )


def _cancelled(day: date) -> Subquery:
    return (
        select(_dec.c.application_id.label("facility_id"))
        .where(_dec.c.action == Action.CANCEL, _dec.c.business_date <= day)
        .group_by(_dec.c.application_id)
        .subquery("cancelled")
    )


def payouts_cancelled_after(day: date) -> Subquery:
    """Per facility, a pay-out made by ``day`` and cancelled after it (its date): paid
    out at the end of ``day`` all the same, as the closed books then said."""
    e = _ev.c
    return (
        select(e.facility_id, func.max(e.paid_out_on).label("paid_out_on"))
        .where(e.kind == _Kind.PAYOUT_CANCEL, e.business_date > day, e.paid_out_on <= day)
        .group_by(e.facility_id)
        .subquery("payouts_cancelled_after")
    )


def paid_out_by(
    day: date, facility_id: ColumnElement[int], disbursed_on: ColumnElement[date]
) -> ColumnElement[bool]:
    """The facility (its id and ``disbursed_on`` columns) was paid out at the end of
    ``day``: paid out by then and still, or by then and cancelled only after it."""
    e = _ev.c
    cancelled_later = exists().where(
        e.facility_id == facility_id,
        e.kind == _Kind.PAYOUT_CANCEL,
        e.business_date > day,
        e.paid_out_on <= day,
    )
    return or_(and_(disbursed_on.is_not(None), disbursed_on <= day), cancelled_later)


def version_at(day: date) -> Subquery:
    """The schedule version in force at the end of ``day``, per facility."""
    return (
        select(_ev.c.facility_id, func.max(_ev.c.version).label("version"))
        .where(_ev.c.kind == _Kind.SCHEDULE, _ev.c.business_date <= day)
        .group_by(_ev.c.facility_id)
        .subquery("version_at")
    )


def paid_late_after(day: date) -> Subquery:
    """Principal paid after ``day`` of instalments already due before it, per instalment."""
    a = _alloc.c
    paid = select(a.facility_id, a.version, a.no, a.principal_fen.label("fen")).where(
        a.business_date > a.due_date,  # the partial index of late allocations
        a.due_date < day,
        a.business_date > day,
        a.principal_fen > 0,
    )
    undone = _undone_after(day, a.due_date < day).subquery("undone")
    back = select(undone.c.facility_id, undone.c.version, undone.c.no, undone.c.fen)
    both = union_all(paid, back).subquery("late_and_undone")
    return (
        select(both.c.facility_id, both.c.version, both.c.no, _sum(both.c.fen).label("late_fen"))
        .group_by(both.c.facility_id, both.c.version, both.c.no)
        .subquery("paid_late_after")
    )


def _undone_after(day: date, *where: ColumnElement[bool]) -> Select[Any]:
    """What undos dated after ``day`` took back of each instalment, as negative principal
    (and interest): the allocations of the repayments they undid. Few rows: an undo is
    a correction, and ``repayment_undos`` is read by its date first."""
    a, u = _alloc.c, _undo.c
    return (
        select(
            a.facility_id,
            a.version,
            a.no,
            (-a.principal_fen).label("fen"),
            (-a.interest_fen).label("interest_fen"),
        )
        .select_from(_undo.join(_alloc, a.repayment_ref == u.ref))
        .where(u.business_date > day, *where)
    )


def _unpaid_in_force() -> ColumnElement[bool]:
    """Instalments of a schedule in force with principal unpaid, written as the partial
    index ``ix_instalments_unpaid`` is (SQLite uses a partial index only for a WHERE
    that repeats its terms; SQLAlchemy would write ``active = 1``)."""
    return and_(
        literal_column("instalments.active"), _inst.c.paid_principal_fen < _inst.c.principal_fen
    )


def _candidates(day: date, late: Subquery) -> Subquery:
    """The only instalments that can be due before ``day`` and unpaid at it, with their
    figures: unpaid now (the partial index), paid late after ``day``, or of a schedule
    retired by a restructuring after ``day``. Never a scan of every schedule."""
    i = _inst.c
    cols = (i.facility_id, i.version, i.no, i.due_date, i.principal_fen, i.paid_principal_fen)
    restructured_later = select(_ev.c.facility_id).where(
        _ev.c.kind.in_((_Kind.SCHEDULE, _Kind.PAYOUT_CANCEL)), _ev.c.business_date > day
    )
    paid_late = select(*cols).select_from(
        late.join(
            _inst,
            and_(
                i.facility_id == late.c.facility_id,
                i.version == late.c.version,
                i.no == late.c.no,
            ),
        )
    )
    return union(
        select(*cols).where(_unpaid_in_force(), i.due_date < day),
        paid_late,
        select(*cols).where(
            i.facility_id.in_(restructured_later),
            ~i.active,
            i.paid_principal_fen < i.principal_fen,
            i.due_date < day,
        ),
    ).subquery("candidates")


def arrears_on(day: date) -> Subquery:
    """Per facility late at ``day``: its oldest unpaid due date before ``day`` and the
    principal of its instalments due before ``day`` unpaid at it (the arrears)."""
    late = paid_late_after(day)
    cand = _candidates(day, late)
    c = cand.c
    ver = version_at(day)
    unpaid = c.principal_fen - c.paid_principal_fen + func.coalesce(late.c.late_fen, 0)
    in_force = func.coalesce(ver.c.version, _fac.c.schedule_version)
    src = (
        cand.join(_fac, _fac.c.id == c.facility_id)
        .outerjoin(ver, ver.c.facility_id == c.facility_id)
        .outerjoin(
            late,
            and_(
                late.c.facility_id == c.facility_id,
                late.c.version == c.version,
                late.c.no == c.no,
            ),
        )
    )
    return (
        select(
            c.facility_id,
            func.min(c.due_date).label("oldest_due"),
            _sum(unpaid).label("arrears_fen"),
        )
        .select_from(src)
        .where(c.version == in_force, unpaid > 0)
        .group_by(c.facility_id)
        .subquery("arrears")
    )


def days_before(conn: Connection, day: date, earlier: ColumnElement[date]) -> ColumnElement[int]:
    """Whole days from ``earlier`` to ``day``, in the database's own date arithmetic."""
    if conn.dialect.name == "postgresql":
        return cast(literal(day) - earlier, Integer)
    return cast(func.julianday(literal(day.isoformat())) - func.julianday(earlier), Integer)


def facilities_on(
    conn: Connection, day: date, default_after_days: int, *, county: str | None = None
) -> Subquery:
    """Every facility approved by ``day``, as it stood at the end of ``day`` (see
    ``_facilities_select``), to select from once."""
    return _facilities_select(conn, day, default_after_days, county).subquery("facilities_on")


def facilities_on_cte(
    conn: Connection, day: date, default_after_days: int, *, county: str | None = None
) -> CTE:
    """The same as a common table expression, for one query that reads it more than once
    (both databases materialise a CTE used twice, so it is computed once)."""
    return _facilities_select(conn, day, default_after_days, county).cte("facilities_on")


def _facilities_select(
    conn: Connection, day: date, default_after_days: int, county: str | None
) -> Select[Any]:
    """Every facility approved by ``day``, as it stood at the end of ``day``.

    Columns named as the facility table's (``status``, ``disbursed_on`` — NULL if not
    yet paid out at ``day`` — ``outstanding_fen``, ``days_past_due``, ``exposure_fen``,
    ``deposit_fen``, ``claim_paid_fen`` …) so that an aggregate over facilities reads
    the same over this; plus ``arrears_fen``, the principal due and unpaid at ``day``.
    """
    f = _fac.c
    (repaid, after), ev, rec = _repaid(conn, day), _events(day), _recovered(day)
    cancelled, late = _cancelled(day), arrears_on(day)
    cancelled_later = payouts_cancelled_after(day)
    paid_on = func.coalesce(
        case((f.disbursed_on <= day, f.disbursed_on), else_=None), cancelled_later.c.paid_out_on
    )
    paid_out = paid_on.is_not(None)
    side = func.coalesce(repaid.c.repaid_fen, 0)
    owed = f.principal_fen - f.repaid_fen + side if after else f.principal_fen - side
    # a loan's county share, once called, is the county's debt (1213), not the borrower's
    called = case(
        (f.instrument == Instrument.LOAN, func.coalesce(ev.c.county_share_fen, 0)), else_=0
    )
    owed = owed - called
    bound = day - timedelta(days=default_after_days)
    status = case(
        (cancelled.c.facility_id.is_not(None), FacilityStatus.CANCELLED.value),
        (func.coalesce(ev.c.written_off_fen, 0) > 0, FacilityStatus.WRITTEN_OFF.value),
        (func.coalesce(ev.c.claims, 0) > 0, FacilityStatus.CLAIMED.value),
        (~paid_out, FacilityStatus.APPROVED.value),
        (f.instrument == Instrument.GRANT, FacilityStatus.PAID.value),
        (owed <= 0, FacilityStatus.REPAID.value),
        (
            or_(func.coalesce(ev.c.defaults, 0) > 0, late.c.oldest_due < bound),
            FacilityStatus.DEFAULTED.value,
        ),
        (late.c.oldest_due.is_not(None), FacilityStatus.OVERDUE.value),
        else_=FacilityStatus.CURRENT.value,
    )
    src = (
        _fac.outerjoin(repaid, repaid.c.facility_id == f.id)
        .outerjoin(ev, ev.c.facility_id == f.id)
        .outerjoin(rec, rec.c.facility_id == f.id)
        .outerjoin(cancelled, cancelled.c.facility_id == f.id)
        .outerjoin(late, late.c.facility_id == f.id)
        .outerjoin(cancelled_later, cancelled_later.c.facility_id == f.id)
    )
    inner = (
        select(
            f.id,
            f.instrument,
            f.county_code,
            f.applicant_id,
            f.principal_fen,
            f.approved_on,
            f.coverage_bp,
            f.deposit_bp,
            f.local_support_kind,
            f.matching_required_fen,
            paid_on.label("disbursed_on"),
            status.label("status"),
            owed.label("owed_fen"),
            late.c.oldest_due,
            func.coalesce(late.c.arrears_fen, 0).label("late_fen"),
            func.coalesce(ev.c.claim_fen, 0).label("claim_paid_fen"),
            func.coalesce(ev.c.county_share_fen, 0).label("county_share_fen"),
            func.coalesce(ev.c.written_off_fen, 0).label("written_off_fen"),
            func.coalesce(rec.c.borrower_fen, 0).label("recovered_borrower_fen"),
            func.coalesce(rec.c.county_fen, 0).label("recovered_county_fen"),
        )
        .select_from(src)
        .where(f.approved_on <= day)
    )
    if county is not None:
        inner = inner.where(f.county_code == county)
    return _derived(conn, day, inner.subquery("facts"))


def _derived(conn: Connection, day: date, t: Subquery) -> Select[Any]:
    """The figures that follow from a facility's status at ``day``."""
    c = t.c
    serviced = c.status.in_(SERVICED)
    guarantee = c.instrument == Instrument.GUARANTEE
    covered = case((c.disbursed_on.is_(None), c.principal_fen), else_=c.owed_fen)
    return select(
        c.id,
        c.instrument,
        c.county_code,
        c.applicant_id,
        c.principal_fen,
        c.approved_on,
        c.disbursed_on,
        c.status,
        c.coverage_bp,
        c.local_support_kind,
        c.matching_required_fen,
        c.claim_paid_fen,
        c.county_share_fen,
        c.written_off_fen,
        c.recovered_borrower_fen,
        c.recovered_county_fen,
        c.oldest_due,
        c.owed_fen,
        case((serviced, c.owed_fen), else_=0).label("outstanding_fen"),
        case(
            (and_(serviced, c.oldest_due.is_not(None)), days_before(conn, day, c.oldest_due)),
            else_=0,
        ).label("days_past_due"),
        case((serviced, c.late_fen), else_=0).label("arrears_fen"),
        case(
            (and_(guarantee, c.status.in_(EXPOSED)), (covered * c.coverage_bp + BP // 2) // BP),
            else_=0,
        ).label("exposure_fen"),
        case(
            (and_(guarantee, serviced), (c.principal_fen * c.deposit_bp + BP // 2) // BP),
            else_=0,
        ).label("deposit_fen"),
    )


def _called(fac: FacilityRow, row: Any) -> int:
    """A loan's county share called by the day (owed by the county, not repaid)."""
    return int(row.county_share_fen) if fac.instrument == Instrument.LOAN else 0


def facility_row_on(
    conn: Connection, fac: FacilityRow, day: date, default_after_days: int
) -> tuple[FacilityRow, int] | None:
    """The facility row as it stood at the end of ``day`` — status, balances, ageing,
    claims and recoveries, the schedule version in force, closed through ``day`` — and
    its arrears then; None if it was not yet approved then. For one facility's
    statement, so that it reads as a close on that day would have left it."""
    t = facilities_on(conn, day, default_after_days, county=fac.county_code)
    ver = version_at(day)
    row = conn.execute(
        select(t, func.coalesce(ver.c.version, fac.schedule_version).label("version"))
        .select_from(t.outerjoin(ver, ver.c.facility_id == t.c.id))
        .where(t.c.id == fac.id)
    ).first()
    if row is None:
        return None
    then = dataclasses.replace(
        fac,
        status=FacilityStatus(row.status),
        disbursed_on=row.disbursed_on,
        schedule_version=int(row.version),
        outstanding_fen=int(row.outstanding_fen),
        repaid_fen=fac.principal_fen - int(row.owed_fen) - _called(fac, row)
        if row.disbursed_on
        else 0,
        written_off_fen=int(row.written_off_fen),
        days_past_due=int(row.days_past_due),
        closed_through=day,
        exposure_fen=int(row.exposure_fen),
        deposit_fen=int(row.deposit_fen),
        claim_paid_fen=int(row.claim_paid_fen),
        county_share_fen=int(row.county_share_fen),
        recovered_borrower_fen=int(row.recovered_borrower_fen),
        recovered_county_fen=int(row.recovered_county_fen),
    )
    return then, int(row.arrears_fen)


def schedule_on(
    conn: Connection, facility_id: int, version: int, day: date
) -> list[tuple[int, date, int, int, int, int, int]]:
    """The instalments of one schedule version with what had been paid of each by the end
    of ``day``: (no, due, principal, interest, subsidy, paid principal, paid interest)."""
    a = _alloc.c
    paid = select(a.no, a.principal_fen.label("p"), a.interest_fen.label("i")).where(
        a.facility_id == facility_id, a.version == version, a.business_date > day
    )
    undone = _undone_after(day, a.facility_id == facility_id, a.version == version).subquery()
    both = union_all(paid, select(undone.c.no, undone.c.fen, undone.c.interest_fen)).subquery()
    after = (
        select(both.c.no, _sum(both.c.p).label("p"), _sum(both.c.i).label("i"))
        .group_by(both.c.no)
        .subquery("after")
    )
    i = _inst.c
    rows = conn.execute(
        select(
            i.no,
            i.due_date,
            i.principal_fen,
            i.interest_fen,
            i.subsidy_fen,
            i.paid_principal_fen - func.coalesce(after.c.p, 0),
            i.paid_interest_fen - func.coalesce(after.c.i, 0),
        )
        .select_from(_inst.outerjoin(after, after.c.no == i.no))
        .where(i.facility_id == facility_id, i.version == version)
        .order_by(i.no)
    ).all()
    return [(int(r[0]), r[1], *(int(v) for v in r[2:])) for r in rows]


def guarantee_exposure(conn: Connection, day: date) -> int:
    """The guarantee exposure on ``day``, reserved from approval: guarantees approved and
    not yet issued at principal × coverage, issued ones at what their bank loans still
    owed that day × coverage (``exposure_fen`` of ``facilities_on``)."""
    # a default changes no exposure (defaulted guarantees stay exposed until claimed)
    t = facilities_on(conn, day, 0)
    total = conn.scalar(select(func.coalesce(func.sum(t.c.exposure_fen), 0)))
    return int(total or 0)
