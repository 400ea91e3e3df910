"""One facility and one person: the schedule, payments, balance, and a youth's record.

These read one facility's instalments and payments, or one applicant's applications,
decisions and facilities: a handful of rows each, so per-row work is fine here. Every
personal identifier leaves this module masked (``fundcore.domain.identity``).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import Connection, case, func, select

from fundcore.domain.errors import NotFound
from fundcore.domain.identity import mask_id, mask_name, parse_resident_id
from fundcore.domain.terms import SERVICED
from fundcore.services.claims import receivables
from fundcore.services.operators import Actor
from fundcore.statements.model import (
    ApplicationRow,
    FacilityBalance,
    FacilityRow,
    PaymentRow,
    ScheduleRow,
    ScheduleTotal,
    SupportRow,
)
from fundcore.statements.portfolio import arrears, late
from fundcore.store.models import (
    Applicant,
    Application,
    ApplicationEmployee,
    County,
    Decision,
    Facility,
    Instalment,
    Recovery,
    Repayment,
)

_fac = Facility.__table__
_inst = Instalment.__table__
_rep = Repayment.__table__
_rec = Recovery.__table__
_apps = Application.__table__
_people = Applicant.__table__
_dec = Decision.__table__
_emp = ApplicationEmployee.__table__
_counties = County.__table__
_DECIDED = {
    "approve": "approved",
    "reject": "rejected",
    "return": "returned",
    "cancel": "cancelled",
}
SUPPORT_TEXT = {
    "loan": ("免息借款放款", "Interest-free loan paid out"),
    "guarantee": ("贷款担保出保（担保本金）", "Loan guarantee issued (guaranteed principal)"),
    "grant": ("小额资助拨付", "Micro-grant paid"),
}


def load_facility(conn: Connection, actor: Actor, facility_id: int) -> dict:
    """The facility, its applicant and application; a county sees only its own."""
    row = (
        conn.execute(
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
        )
        .mappings()
        .first()
    )
    if row is None or (actor.role == "county" and row["county_code"] != actor.county_code):
        raise NotFound("facility.not_found", id=facility_id)
    return dict(row)


def facility_arrears(conn: Connection, fac: dict) -> int:
    """Principal due before the facility's last day close and still unpaid."""
    if fac["status"] not in SERVICED or fac["closed_through"] is None:
        return 0
    due = _inst.c.principal_fen - _inst.c.paid_principal_fen
    return int(
        conn.scalar(
            select(func.coalesce(func.sum(due), 0)).where(
                _inst.c.facility_id == fac["id"],
                _inst.c.active,
                _inst.c.paid_principal_fen < _inst.c.principal_fen,
                _inst.c.due_date < fac["closed_through"],
            )
        )
        or 0
    )


def _row_status(r: object, closed: date | None, next_seen: bool, serviced: bool) -> str:
    """paid, overdue (due before the last day close), partial, due (the next one) or ''.

    Once a facility is no longer serviced (repaid, claimed, written off) what it did not
    pay is no longer due on the schedule: such rows are left blank.
    """
    if r.paid_principal_fen >= r.principal_fen and r.paid_interest_fen >= r.interest_fen:
        return "paid"
    if not serviced:
        return "partial" if r.paid_principal_fen or r.paid_interest_fen else ""
    if closed is not None and r.due_date < closed:
        return "overdue"
    if r.paid_principal_fen or r.paid_interest_fen:
        return "partial"
    return "" if next_seen else "due"


def schedule(conn: Connection, fac: dict) -> tuple[tuple[ScheduleRow, ...], ScheduleTotal]:
    """The schedule in force, with what was paid on each instalment."""
    rows = conn.execute(
        select(_inst).where(_inst.c.facility_id == fac["id"], _inst.c.active).order_by(_inst.c.no)
    ).all()
    left = sum(r.principal_fen for r in rows)
    out: list[ScheduleRow] = []
    next_seen = False
    serviced = fac["status"] in SERVICED
    for r in rows:
        left -= r.principal_fen
        state = _row_status(r, fac["closed_through"], next_seen, serviced)
        next_seen = next_seen or state in ("due", "partial")
        paid = r.paid_principal_fen + r.paid_interest_fen
        out.append(
            ScheduleRow(r.no, r.due_date, r.principal_fen, r.interest_fen, r.subsidy_fen, paid,
                        left, state)
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
    recs = select(
        _rec.c.business_date, _rec.c.facility_id, _rec.c.ref, _rec.c.amount_fen, _rec.c.amount_fen
    ).where(_rec.c.facility_id.in_(ids))
    if borrower_only:
        recs = recs.where(_rec.c.source == "borrower")
    rows = sorted([*reps, *conn.execute(recs).all()], key=lambda r: (r[0], r[1], r[2]))
    return tuple(
        PaymentRow(day, ref, amount, principal, str(fid) if label else "")
        for day, fid, ref, amount, principal in rows
    )


def serviced_only(status: str, value: int) -> int:
    """``value`` (days past due, arrears) for a facility still serviced, else 0: ageing
    stops once a facility is repaid, claimed or written off."""
    return value if status in SERVICED else 0


def balance(conn: Connection, fac: dict, rows: Sequence[ScheduleRow]) -> FacilityBalance:
    nxt = None
    if fac["status"] in SERVICED:
        nxt = next((r for r in rows if r.status in ("due", "partial")), None)
    return FacilityBalance(
        principal_outstanding_fen=fac["outstanding_fen"],
        overdue_fen=facility_arrears(conn, fac),
        days_overdue=serviced_only(fac["status"], fac["days_past_due"]),
        next_due_on=nxt.due_date if nxt else None,
        next_due_fen=(nxt.principal_fen + nxt.interest_fen - nxt.paid_fen) if nxt else None,
    )


def balance_due(fac: dict) -> int:
    """What is owed on the facility: principal outstanding, or after a claim what the
    borrower and the county still owe the fund (``fundcore.services.claims.receivables``)."""
    if fac["status"] == "claimed":
        return sum(receivables(fac))
    return fac["outstanding_fen"]


# --- the person ---------------------------------------------------------------------------


def find_person(conn: Connection, actor: Actor, id_or_person: str) -> int:
    """The applicant named by an application/facility id or a resident ID number."""
    text = id_or_person.strip()
    if text.isdigit() and len(text) < 18:
        where = _apps.c.id == int(text)
        shown = f"#{text}"
    else:
        try:
            number = parse_resident_id(text).number
        except Exception:  # noqa: BLE001 - any malformed input is simply not found
            raise NotFound("archive.not_found", who=mask_id(text)) from None
        where = _people.c.id_number == number
        shown = mask_id(number)
    stmt = select(_people.c.id).select_from(
        _people.join(_apps, _apps.c.applicant_id == _people.c.id)
    )
    if actor.role == "county":
        stmt = stmt.where(_apps.c.county_code == actor.county_code)
    person = conn.scalar(stmt.where(where).limit(1))
    if person is None:
        raise NotFound("archive.not_found", who=shown)
    return int(person)


def applicant(conn: Connection, person: int) -> object:
    return conn.execute(select(_people).where(_people.c.id == person)).one()


def person_applications(conn: Connection, actor: Actor, person: int) -> list[dict]:
    """The person's applications (a county sees those of its county), by id."""
    stmt = (
        select(
            _apps,
            _counties.c.name.label("county_name"),
            _counties.c.province,
            _fac.c.principal_fen.label("approved_fen"),
            _fac.c.status.label("facility_status"),
        )
        .select_from(
            _apps.join(_counties, _counties.c.code == _apps.c.county_code).outerjoin(
                _fac, _fac.c.id == _apps.c.id
            )
        )
        .where(_apps.c.applicant_id == person)
        .order_by(_apps.c.id)
    )
    if actor.role == "county":
        stmt = stmt.where(_apps.c.county_code == actor.county_code)
    return [dict(r) for r in conn.execute(stmt).mappings()]


def application_rows(conn: Connection, apps: Sequence[dict]) -> tuple[ApplicationRow, ...]:
    ids = [a["id"] for a in apps]
    last: dict[int, object] = {}
    for d in conn.execute(
        select(_dec).where(_dec.c.application_id.in_(ids)).order_by(_dec.c.id)
    ).all():
        last[d.application_id] = d
    out = []
    for a in apps:
        d = last.get(a["id"])
        decision = a["status"]
        if d is not None and d.action == "cancel":
            decision = _DECIDED["cancel"]
        note = d.note if d is not None and d.action in ("reject", "return", "cancel") else ""
        out.append(
            ApplicationRow(
                application_id=str(a["id"]),
                submitted_on=a["submitted_on"],
                instrument=a["instrument"],
                requested_fen=a["amount_fen"],
                decision=decision,
                decided_on=d.business_date if d is not None else None,
                approved_fen=a["approved_fen"] if decision == "approved" else None,
                policy_version=str(d.policy_version if d is not None else a["policy_version"]),
                reason_zh=note,
                reason_en="",
            )
        )
    return tuple(out)


def facility_rows(
    conn: Connection,
    *,
    county: str | None = None,
    ids: Sequence[int] | None = None,
) -> tuple[FacilityRow, ...]:
    """The facilities of a county or with these ids (by id): masked borrower, balance,
    arrears and days past due."""
    where = [_fac.c.county_code == county] if county is not None else []
    where += [_fac.c.id.in_(list(ids))] if ids is not None else []
    late_fen = case((late(), arrears()), else_=0).label("arrears_fen")
    rows = conn.execute(
        select(_fac, _people.c.name.label("person_name"), late_fen)
        .select_from(_fac.join(_people, _people.c.id == _fac.c.applicant_id))
        .where(*where)
        .order_by(_fac.c.id)
    ).mappings()
    out = []
    for r in rows:
        grant = r["instrument"] == "grant"
        out.append(
            FacilityRow(
                facility_id=str(r["id"]),
                borrower_masked=mask_name(r["person_name"]),
                instrument=r["instrument"],
                status=r["status"],
                principal_fen=r["principal_fen"],
                disbursed_on=r["disbursed_on"],
                outstanding_fen=None if grant else r["outstanding_fen"],
                overdue_fen=None if grant else int(r["arrears_fen"]),
                days_overdue=serviced_only(r["status"], r["days_past_due"]),
            )
        )
    return tuple(out)


def support_rows(facilities: Sequence[FacilityRow]) -> tuple[SupportRow, ...]:
    """Money the person received: each facility paid out, at principal."""
    out = []
    for f in facilities:
        if f.disbursed_on is None:
            continue
        zh, en = SUPPORT_TEXT[f.instrument]
        out.append(
            SupportRow(f.disbursed_on, f.instrument, f"{zh} #{f.facility_id}",
                       f"{en} #{f.facility_id}", f.principal_fen)
        )  # fmt: skip
    return tuple(sorted(out, key=lambda s: (s.on, s.description_zh)))


def employed_count(conn: Connection, app_ids: Sequence[int]) -> int:
    """Poor-household youth employed by the person's approved (not cancelled) projects."""
    return int(
        conn.scalar(
            select(func.count(func.distinct(_emp.c.id_number)))
            .select_from(_emp.join(_fac, _fac.c.id == _emp.c.application_id))
            .where(_emp.c.application_id.in_(list(app_ids)), _fac.c.status != "cancelled")
        )
        or 0
    )
