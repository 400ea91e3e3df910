"""Schedules as stored: built under the policy, dated by China's working-day calendar.

The pure builders live in ``schedules``; this module decides which builder a facility
gets (policy: frequency, grace, the bank's method, the interest subsidy, whether due
dates shift), loads the holiday table an admin imported into a ``WorkCalendar``, writes
a schedule version with each instalment's unshifted anchor date, re-dates not-yet-due
instalments when a new year's holiday notice arrives, and restructures (a new version
over the principal still owed; the old version is kept, inactive). A restructured
facility is aged again as of the restructuring's date in the same unit of work, by the
as-of computation the statements use (``store.as_of``), so that its status and days past
due are right at once rather than at the next day close.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from dateutil.relativedelta import relativedelta
from sqlalchemy import Connection, bindparam, insert, select, update

from fundcore.domain import schedules
from fundcore.domain.errors import NotFound, RuleBroken
from fundcore.domain.periods import month_of
from fundcore.domain.policy import Policy
from fundcore.domain.postings.repayment import FACILITY
from fundcore.domain.terms import SERVICED, FacilityEventKind, Instrument
from fundcore.domain.workdays import WorkCalendar
from fundcore.services.operators import authorise
from fundcore.services.policy import in_force
from fundcore.store import as_of, audit, facts, journal
from fundcore.store.bulk import insert_rows
from fundcore.store.models import Facility, Holiday, Instalment
from fundcore.store.rows import FacilityRow
from fundcore.store.tables import table_of

# declarative models type ``__table__`` as a FromClause; these are Tables
_fac = table_of(Facility)
_inst = table_of(Instalment)
_hol = table_of(Holiday)
INSERT_CHUNK = 20_000


class Scheduled(Protocol):
    """What a schedule is built from: the facility's terms (a ``FacilityRow``, or the
    pay-out's view of one with the bank's rate)."""

    @property
    def id(self) -> int: ...
    @property
    def instrument(self) -> str: ...
    @property
    def principal_fen(self) -> int: ...
    @property
    def term_months(self) -> int | None: ...
    @property
    def annual_rate_bp(self) -> int | None: ...
    @property
    def grace_months(self) -> int: ...


@dataclass(frozen=True, slots=True)
class Planned:
    """One instalment to store: the plan's, with its unshifted anchor date."""

    no: int
    due_date: date
    anchor_date: date
    principal_fen: int
    interest_fen: int
    subsidy_fen: int


#: schedules already built in one run, by their terms (see ``planned``)
Memo = dict[tuple[object, ...], list[Planned]]


def load_calendar(conn: Connection) -> WorkCalendar:
    """The working-day calendar with every holiday notice an admin imported."""
    rows = conn.execute(select(_hol.c.day, _hol.c.is_workday)).all()
    return WorkCalendar({day: bool(is_workday) for day, is_workday in rows})


def build(
    fac: Scheduled,
    start: date,
    policy: Policy,
    calendar: WorkCalendar | None,
    principal_fen: int | None = None,
    term_months: int | None = None,
    pause_months: int = 0,
) -> list[schedules.Instalment]:
    """The schedule a facility gets under ``policy`` from ``start``."""
    principal = principal_fen if principal_fen is not None else fac.principal_fen
    term = term_months if term_months is not None else fac.term_months
    if term is None:
        raise ValueError(f"facility {fac.id} has no term to schedule")
    if fac.instrument == Instrument.GUARANTEE:
        rate_bp = fac.annual_rate_bp or 0
        if term_months is None:  # the first schedule: the grace fixed at approval, in the term
            term, pause_months = term - fac.grace_months, fac.grace_months
        return _bank_schedule(principal, rate_bp, start, term, pause_months, policy, calendar)
    frequency = schedules.as_frequency(policy.loan_frequency)
    if pause_months:
        return schedules.reschedule(
            principal,
            start,
            term,
            pause_months=pause_months,
            frequency=frequency,
            calendar=calendar,
        )
    return schedules.loan_schedule(
        principal,
        term,
        start,
        frequency=frequency,
        grace_months=policy.loan_grace_months,
        calendar=calendar,
    )


def _bank_schedule(
    principal_fen: int,
    annual_rate_bp: int,
    start: date,
    term_months: int,
    pause_months: int,
    policy: Policy,
    calendar: WorkCalendar | None,
) -> list[schedules.Instalment]:
    """A guaranteed bank loan's schedule: the bank's method, the policy's interest subsidy."""
    return schedules.reschedule(
        principal_fen,
        start,
        term_months,
        pause_months=pause_months,
        annual_rate_bp=annual_rate_bp,
        method=schedules.as_method(policy.bank_method),
        subsidy_bp=policy.interest_subsidy_bp,
        calendar=calendar,
    )


def write_version(
    conn: Connection, fac: Scheduled, version: int, start: date, policy: Policy, **kwargs: int
) -> tuple[int, tuple[int, ...]]:
    """Store one schedule version (anchors from the same plan built without shifting).

    Returns the number of instalments and the years whose holidays are not known (their
    due dates only avoid weekends), for the caller to warn about.
    """
    counts, unknown = write_versions(conn, [(fac, version, start)], policy, **kwargs)
    return counts[0], unknown


def planned(
    fac: Scheduled,
    start: date,
    policy: Policy,
    calendar: WorkCalendar | None,
    memo: Memo | None = None,
    **kwargs: int,
) -> list[Planned]:
    """The instalments to store for ``fac``: the plan, each with its unshifted anchor.

    A schedule is a pure function of its terms, so a batch that pays out many facilities
    on the same terms (same instrument, principal, term, rate and start) builds it once
    (``memo``, kept by the caller for one calendar and one policy).
    """
    key = (
        fac.instrument,
        fac.principal_fen,
        fac.term_months,
        fac.annual_rate_bp,
        fac.grace_months,
        start,
        tuple(sorted(kwargs.items())),
    )
    if memo is not None and key in memo:
        return memo[key]
    plan = build(fac, start, policy, calendar, **kwargs)
    anchors = build(fac, start, policy, None, **kwargs)
    rows = [
        Planned(i.no, i.due_date, a.due_date, i.principal_fen, i.interest_fen, i.subsidy_fen)
        for i, a in zip(plan, anchors, strict=True)
    ]
    if memo is not None:
        memo[key] = rows
    return rows


def write_versions(
    conn: Connection,
    items: Sequence[tuple[Scheduled, int, date]],
    policy: Policy,
    **kwargs: int,
) -> tuple[list[int], tuple[int, ...]]:
    """Store a schedule version for each (facility, version, start), in one bulk insert.

    Returns the number of instalments of each and the years whose holidays are unknown.
    """
    calendar = load_calendar(conn) if policy.shift_due_dates else None
    memo: Memo = {}
    counts: list[int] = []
    rows: list[dict[str, object]] = []
    for fac, version, start in items:
        plan = planned(fac, start, policy, calendar, memo, **kwargs)
        counts.append(len(plan))
        rows.extend(_instalment_row(fac.id, version, p) for p in plan)
        if len(rows) >= INSERT_CHUNK:  # bounded memory for a run of many thousand
            insert_rows(conn, _inst, rows)
            rows = []
    insert_rows(conn, _inst, rows)
    facts.record_events(
        conn,
        (
            facts.Event(fac.id, FacilityEventKind.SCHEDULE, start, version=version)
            for (fac, version, start), n in zip(items, counts, strict=True)
            if n
        ),
    )
    return counts, tuple(sorted(calendar.fallback_years)) if calendar else ()


def _instalment_row(facility_id: int, version: int, p: Planned) -> dict[str, object]:
    return {
        "facility_id": facility_id,
        "version": version,
        "no": p.no,
        "due_date": p.due_date,
        "anchor_date": p.anchor_date,
        "principal_fen": p.principal_fen,
        "interest_fen": p.interest_fen,
        "subsidy_fen": p.subsidy_fen,
    }


@dataclass(frozen=True, slots=True)
class CalendarImport:
    days: int
    years: tuple[int, ...]
    redated: int


def import_notice(
    conn: Connection, operator: str | None, rows: list[tuple[date, bool, str]], as_of: date
) -> CalendarImport:
    """Load a State Council holiday notice and re-date instalments not yet due (admin)."""
    actor = authorise(conn, operator, "calendar.import")
    days = {d: (work, name) for d, work, name in rows}
    existing = set(conn.scalars(select(_hol.c.day).where(_hol.c.day.in_(sorted(days)))))
    conn.execute(
        insert(_hol),
        [
            {"day": d, "is_workday": w, "name": n[:40], "loaded_by": actor.name}
            for d, (w, n) in sorted(days.items())
            if d not in existing
        ],
    )
    for d in sorted(existing):
        conn.execute(
            update(_hol)
            .where(_hol.c.day == d)
            .values(is_workday=days[d][0], name=days[d][1][:40], loaded_by=actor.name)
        )
    years = tuple(sorted({d.year for d in days}))
    redated = _redate(conn, years, as_of) if in_force(conn, as_of).policy.shift_due_dates else 0
    audit.record(
        conn,
        actor.name,
        "calendar.import",
        object_type="calendar",
        object_id=",".join(map(str, years)),
        business_date=as_of,
        days=len(days),
        redated=redated,
    )
    return CalendarImport(len(days), years, redated)


def _redate(conn: Connection, years: tuple[int, ...], as_of: date) -> int:
    """Move not-yet-due instalments anchored in ``years`` to their working day."""
    calendar = load_calendar(conn)
    low, high = date(years[0], 1, 1), date(years[-1], 12, 31)
    rows = conn.execute(
        select(
            _inst.c.facility_id, _inst.c.version, _inst.c.no, _inst.c.anchor_date, _inst.c.due_date
        ).where(
            _inst.c.active,
            _inst.c.due_date > as_of,
            _inst.c.anchor_date >= low,
            _inst.c.anchor_date <= high,
        )
    ).all()
    moves = [
        {"f": f, "v": v, "n": n, "d": calendar.next_workday(a)}
        for f, v, n, a, due in rows
        if calendar.next_workday(a) != due
    ]
    moves = [m for m in moves if m["d"] > as_of]
    if moves:
        conn.execute(
            update(_inst)
            .where(
                _inst.c.facility_id == bindparam("f"),
                _inst.c.version == bindparam("v"),
                _inst.c.no == bindparam("n"),
            )
            .values(due_date=bindparam("d")),
            moves,
        )
    return len(moves)


def restructure(
    conn: Connection,
    operator: str | None,
    fid: int,
    on: date,
    term_months: int,
    pause_months: int = 0,
    reason: str = "",
) -> int:
    """A new schedule version over what is still owed; returns the new version number."""
    actor = authorise(conn, operator, "schedules.restructure")
    journal.refuse_closed_months(conn, {month_of(on)})  # a new version is a dated fact
    fac = _restructurable(conn, fid, on)
    policy = in_force(conn, on).policy
    _check_maturity(fac, on, term_months, pause_months, policy)
    version, n = _new_version(conn, fac, on, policy, term_months, pause_months)
    _age_on(conn, fid, on, policy)
    audit.record(
        conn,
        actor.name,
        "schedules.restructure",
        object_type=FACILITY,
        object_id=fid,
        business_date=on,
        version=version,
        instalments=n,
        term_months=term_months,
        pause_months=pause_months,
        reason=reason,
    )
    return version


def _new_version(
    conn: Connection,
    fac: FacilityRow,
    on: date,
    policy: Policy,
    term_months: int,
    pause_months: int,
) -> tuple[int, int]:
    """Retire the schedule in force and store the next version over the principal owed;
    (the new version, its number of instalments)."""
    version = fac.schedule_version + 1
    conn.execute(
        update(_inst)
        .where(_inst.c.facility_id == fac.id, _inst.c.version == fac.schedule_version)
        .values(active=False)
    )
    n, _ = write_version(
        conn,
        fac,
        version,
        on,
        policy,
        principal_fen=fac.outstanding_fen,
        term_months=term_months,
        pause_months=pause_months,
    )
    conn.execute(update(_fac).where(_fac.c.id == fac.id).values(schedule_version=version))
    return version, n


def _age_on(conn: Connection, fid: int, on: date, policy: Policy) -> None:
    """The facility's status and days past due as of ``on`` under the schedule now in
    force, as a day close on ``on`` would find them (a default already found stays)."""
    t = as_of.facilities_on(conn, on, policy.default_after_days)
    status, days = conn.execute(select(t.c.status, t.c.days_past_due).where(t.c.id == fid)).one()
    if status in SERVICED:
        conn.execute(update(_fac).where(_fac.c.id == fid).values(status=status, days_past_due=days))


def _restructurable(conn: Connection, fid: int, on: date) -> FacilityRow:
    """The facility, locked, if it is being repaid, owes principal and is open on ``on``."""
    row = conn.execute(select(_fac).where(_fac.c.id == fid).with_for_update()).first()
    if row is None:
        raise NotFound("facility.not_found", id=fid)
    fac = FacilityRow.from_row(row)
    if fac.status not in SERVICED or fac.outstanding_fen <= 0:
        raise RuleBroken("restructure.not_serviced", id=fid, status=fac.status)
    if fac.closed_through is not None and on <= fac.closed_through:
        raise RuleBroken("repay.books_closed", date=fac.closed_through.isoformat())
    return fac


def _check_maturity(
    fac: FacilityRow, on: date, term_months: int, pause_months: int, policy: Policy
) -> None:
    """The new maturity may not be later than the policy's limit from the pay-out."""
    maturity = on + relativedelta(months=pause_months + term_months)
    assert fac.disbursed_on is not None  # a serviced facility has been paid out
    limit = fac.disbursed_on + relativedelta(months=policy.restructure_max_term_months)
    if term_months < 1 or maturity > limit:
        raise RuleBroken(
            "restructure.too_long",
            maturity=maturity.isoformat(),
            limit=limit.isoformat(),
            months=policy.restructure_max_term_months,
        )
