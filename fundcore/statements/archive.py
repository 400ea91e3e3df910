"""A youth's record (创业档案): who they are, what they asked for, what was decided and
given.

One applicant's applications, decisions and facilities: a handful of rows, so per-row
work is fine here. Every personal identifier leaves this module masked
(``fundcore.domain.identity``); the facilities themselves are ``statements.records``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Connection, func, select

from fundcore.domain.errors import NotFound
from fundcore.domain.identity import mask_id, parse_resident_id
from fundcore.domain.terms import ApplicationStatus, FacilityStatus, Instrument, Role
from fundcore.services.operators import Actor
from fundcore.statements.model import ApplicationRow, FacilityRow, SupportRow
from fundcore.store import pii
from fundcore.store.models import (
    Applicant,
    Application,
    ApplicationEmployee,
    County,
    Decision,
    Facility,
)
from fundcore.store.tables import table_of

_fac = table_of(Facility)
_apps = table_of(Application)
_people = table_of(Applicant)
_dec = table_of(Decision)
_emp = table_of(ApplicationEmployee)
_counties = table_of(County)
#: decisions whose note is the reason shown to the youth
_EXPLAINED = ("reject", "return", "cancel", "withdraw")
SUPPORT_TEXT = {
    Instrument.LOAN: ("免息借款放款", "Interest-free loan paid out"),
    Instrument.GUARANTEE: (
        "贷款担保出保（担保本金）",
        "Loan guarantee issued (guaranteed principal)",
    ),
    Instrument.GRANT: ("小额资助拨付", "Micro-grant paid"),
}


@dataclass(frozen=True, slots=True)
class PersonOnFile:
    """The applicant's own identifiers, unmasked: the caller masks what it shows."""

    name: str
    id_number: str


@dataclass(frozen=True, slots=True)
class ApplicationOnFile:
    """One of the person's applications, with its county and the facility it became."""

    id: int
    submitted_on: date
    instrument: Instrument
    amount_fen: int
    status: ApplicationStatus
    policy_version: int
    county_code: str
    phone: str
    registered_poor: bool
    county_name: str
    province: str
    approved_fen: int | None


@dataclass(frozen=True, slots=True)
class LastDecision:
    """The latest decision on an application."""

    action: str
    note: str
    business_date: date
    policy_version: int


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
        where = _people.c.id_number_hmac == pii.blind(conn, number)  # stored encrypted
        shown = mask_id(number)
    stmt = select(_people.c.id).select_from(
        _people.join(_apps, _apps.c.applicant_id == _people.c.id)
    )
    if actor.role == Role.COUNTY:
        stmt = stmt.where(_apps.c.county_code == actor.county_code)
    person = conn.scalar(stmt.where(where).limit(1))
    if person is None:
        raise NotFound("archive.not_found", who=shown)
    return int(person)


def applicant(conn: Connection, person: int) -> PersonOnFile:
    row = conn.execute(
        select(_people.c.name, _people.c.id_number).where(_people.c.id == person)
    ).one()
    return PersonOnFile(row.name, row.id_number)


def person_applications(conn: Connection, actor: Actor, person: int) -> list[ApplicationOnFile]:
    """The person's applications (a county sees those of its county), by id."""
    a = _apps.c
    stmt = (
        select(
            a.id,
            a.submitted_on,
            a.instrument,
            a.amount_fen,
            a.status,
            a.policy_version,
            a.county_code,
            a.phone,
            a.registered_poor,
            _counties.c.name.label("county_name"),
            _counties.c.province,
            _fac.c.principal_fen.label("approved_fen"),
        )  # fmt: skip
        .select_from(
            _apps.join(_counties, _counties.c.code == a.county_code).outerjoin(
                _fac, _fac.c.id == a.id
            )
        )
        .where(a.applicant_id == person)
        .order_by(a.id)
    )
    if actor.role == Role.COUNTY:
        stmt = stmt.where(a.county_code == actor.county_code)
    return [
        ApplicationOnFile(
            **{
                **r._mapping,
                "instrument": Instrument(r.instrument),
                "status": ApplicationStatus(r.status),
            }
        )
        for r in conn.execute(stmt)
    ]


def _last_decisions(conn: Connection, ids: Sequence[int]) -> dict[int, LastDecision]:
    last: dict[int, LastDecision] = {}
    for d in conn.execute(
        select(_dec).where(_dec.c.application_id.in_(list(ids))).order_by(_dec.c.id)
    ).all():
        last[d.application_id] = LastDecision(d.action, d.note, d.business_date, d.policy_version)
    return last


def application_rows(
    conn: Connection, apps: Sequence[ApplicationOnFile]
) -> tuple[ApplicationRow, ...]:
    last = _last_decisions(conn, [a.id for a in apps])
    return tuple(_application_row(a, last.get(a.id)) for a in apps)


def _application_row(a: ApplicationOnFile, d: LastDecision | None) -> ApplicationRow:
    """What was asked and decided; a cancelled approval shows as cancelled."""
    decision: str = a.status
    if d is not None and d.action == "cancel":
        decision = FacilityStatus.CANCELLED
    note = d.note if d is not None and d.action in _EXPLAINED else ""
    return ApplicationRow(
        application_id=str(a.id),
        submitted_on=a.submitted_on,
        instrument=a.instrument,
        requested_fen=a.amount_fen,
        decision=decision,
        decided_on=d.business_date if d is not None else None,
        approved_fen=a.approved_fen if decision == ApplicationStatus.APPROVED else None,
        policy_version=str(d.policy_version if d is not None else a.policy_version),
        reason_zh=note,
        reason_en="",
    )


def support_rows(facilities: Sequence[FacilityRow]) -> tuple[SupportRow, ...]:
    """Money the person received: each facility paid out, at principal."""
    out = []
    for f in facilities:
        if f.disbursed_on is None:
            continue
        zh, en = SUPPORT_TEXT[Instrument(f.instrument)]
        out.append(
            SupportRow(f.disbursed_on, f.instrument, f"{zh} #{f.facility_id}",
                       f"{en} #{f.facility_id}", f.principal_fen)
        )  # fmt: skip
    return tuple(sorted(out, key=lambda s: (s.on, s.description_zh)))


def employed_count(conn: Connection, app_ids: Sequence[int]) -> int:
    """Poor-household youth employed by the person's approved (not cancelled) projects."""
    return int(
        conn.scalar(
            select(func.count(func.distinct(_emp.c.id_number_hmac)))
            .select_from(_emp.join(_fac, _fac.c.id == _emp.c.application_id))
            .where(
                _emp.c.application_id.in_(list(app_ids)),
                _fac.c.status != FacilityStatus.CANCELLED,
            )
        )
        or 0
    )
