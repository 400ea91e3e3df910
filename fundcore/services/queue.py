"""Looking at applications: the review queue, one application, every rule's verdict.

Views carry identifiers masked (410881********1234, 138****5678): the whole numbers
never leave the core on a read path. A county operator sees only its own county; an
application of another county is reported as not found, so its existence leaks nothing.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Self

from sqlalchemy import (
    ColumnElement,
    Connection,
    Row,
    Select,
    Subquery,
    and_,
    case,
    func,
    literal,
    select,
)

from fundcore.domain.decisions import Action, approvals_needed, approvers_since_submission
from fundcore.domain.eligibility import Facts, RuleResult, screen
from fundcore.domain.errors import NotFound, NotPermitted
from fundcore.domain.identity import ResidentId, mask_id, mask_phone, parse_resident_id
from fundcore.domain.policy import PolicyInForce
from fundcore.domain.terms import ApplicationStatus, Instrument, LocalSupportKind, Role
from fundcore.intake.application import ApplicationIn
from fundcore.intake.cells import neutralise_formula
from fundcore.services.applications import candidate
from fundcore.services.intake_lookup import open_applications, open_projects_employing
from fundcore.services.operators import Actor, authorise
from fundcore.services.policy import by_version
from fundcore.services.registry import known_codes
from fundcore.store.bulk import chunks
from fundcore.store.models import (
    Applicant,
    Application,
    ApplicationEmployee,
    County,
    Decision,
    Facility,
)
from fundcore.store.tables import table_of

# declarative ``__table__`` is typed as any FromClause; these are the mapped Tables
_apps = table_of(Application)
_people = table_of(Applicant)
_emp = table_of(ApplicationEmployee)
_counties = table_of(County)
_dec = table_of(Decision)
_fac = table_of(Facility)


@dataclass(frozen=True, slots=True)
class StoredApplication:
    """One row of ``applications`` with its applicant's name and ID number and its
    county's name (see ``models.Application`` for what each field means)."""

    id: int
    county_code: str
    ref: str
    applicant_id: int
    instrument: Instrument
    amount_fen: int
    term_months: int | None
    project_name: str
    project_type: str | None
    industry: str | None
    bank: str | None
    local_support: LocalSupportKind | None
    registered_poor: bool
    phone: str
    status: ApplicationStatus
    submitted_on: date
    submitted_by: str
    batch_id: int | None
    policy_version: int
    content_hash: str
    name: str
    id_number: str
    county_name: str

    @classmethod
    def from_row(cls, row: Row[Any]) -> Self:
        """From a Core row of ``_select()``; stored words become their terms."""
        values = dict(row._mapping)
        kept = {f.name: values[f.name] for f in dataclasses.fields(cls)}
        kept["instrument"] = Instrument(kept["instrument"])
        kept["status"] = ApplicationStatus(kept["status"])
        if kept["local_support"] is not None:
            kept["local_support"] = LocalSupportKind(kept["local_support"])
        return cls(**kept)


@dataclass(frozen=True, slots=True)
class ApplicationView:
    id: int
    county_code: str
    county_name: str
    ref: str
    name: str
    id_number_masked: str
    phone_masked: str
    instrument: Instrument
    amount_fen: int
    term_months: int | None
    registered_poor: bool
    status: ApplicationStatus
    submitted_on: date
    project_name: str
    project_type: str | None
    industry: str | None
    bank: str | None
    local_support: LocalSupportKind | None
    policy_version: int
    submitted_by: str
    employed_masked: tuple[str, ...] = ()
    #: a submitted application part-way through its approvals: how many it has had
    #: since it was last (re)submitted, of how many it needs (0, 0 otherwise)
    approvals: int = 0
    approvals_needed: int = 0


def _select() -> Select[Any]:
    """Applications with their applicant's name and ID number and their county's name."""
    return select(
        _apps, _people.c.name, _people.c.id_number, _counties.c.name.label("county_name")
    ).select_from(
        _apps.join(_people, _people.c.id == _apps.c.applicant_id).join(
            _counties, _counties.c.code == _apps.c.county_code
        )
    )


def _view(r: StoredApplication, employed: tuple[str, ...] = ()) -> ApplicationView:
    """What people and exports see: identifiers masked, text that a spreadsheet would
    run as a formula (=, +, -, @) neutralised."""
    safe = neutralise_formula
    return ApplicationView(
        r.id,
        r.county_code,
        safe(r.county_name),
        safe(r.ref),
        safe(r.name),
        mask_id(r.id_number),
        mask_phone(r.phone),
        r.instrument,
        r.amount_fen,
        r.term_months,
        r.registered_poor,
        r.status,
        r.submitted_on,
        safe(r.project_name),
        r.project_type,
        r.industry,
        safe(r.bank) if r.bank else r.bank,
        r.local_support,
        r.policy_version,
        r.submitted_by,
        tuple(mask_id(n) for n in employed),
    )


def _county_scope(actor: Actor, county: str | None) -> str | None:
    if actor.role != Role.COUNTY:
        return county
    if county and county != actor.county_code:
        raise NotPermitted("intake.not_your_county", code=county)
    return actor.county_code


def list_applications(
    conn: Connection,
    operator: str | None,
    *,
    status: str | None = None,
    county: str | None = None,
    limit: int | None = None,
    as_of: date | None = None,
) -> list[ApplicationView]:
    """Applications in queue order: registered-poor-led first, then by submission.

    With ``as_of`` D: the applications submitted on or before D, each with its status
    as of D (``status_as_of``), which ``status`` then filters on."""
    actor = authorise(conn, operator, "applications.read")
    county = _county_scope(actor, county)
    stmt, status_col = (_select(), _apps.c.status) if as_of is None else _select_as_of(as_of)
    stmt = stmt.order_by(_apps.c.registered_poor.desc(), _apps.c.submitted_on, _apps.c.id)
    if status:
        stmt = stmt.where(status_col == status)
    if county:
        stmt = stmt.where(_apps.c.county_code == county)
    if limit:
        stmt = stmt.limit(limit)
    views = [_view(StoredApplication.from_row(r)) for r in conn.execute(stmt)]
    return with_approvals(conn, views, as_of)


def with_approvals(
    conn: Connection, views: list[ApplicationView], as_of: date | None = None
) -> list[ApplicationView]:
    """The views, each submitted one that has had some but not all of its approvals
    (as of ``as_of``, if given) carrying how many of how many: "已批准 1/2"."""
    waiting = [v for v in views if v.status == ApplicationStatus.SUBMITTED]
    history: dict[int, list[tuple[str, str, int]]] = {}
    for chunk in chunks([v.id for v in waiting]):
        stmt = select(_dec.c.application_id, _dec.c.action, _dec.c.operator, _dec.c.policy_version)
        stmt = stmt.where(_dec.c.application_id.in_(chunk))
        if as_of is not None:
            stmt = stmt.where(_dec.c.business_date <= as_of)
        for app_id, action, operator, version in conn.execute(
            stmt.order_by(_dec.c.business_date, _dec.c.id)
        ):
            history.setdefault(app_id, []).append((action, operator, version))
    policies: dict[int, PolicyInForce] = {}
    out: list[ApplicationView] = []
    for v in views:
        steps = history.get(v.id, [])
        approvers = approvers_since_submission((a, o) for a, o, _ in steps)
        if approvers:
            version = steps[-1][2]
            if version not in policies:
                policies[version] = by_version(conn, version)
            needed = approvals_needed(v.amount_fen, policies[version].policy)
            if len(approvers) < needed:
                v = dataclasses.replace(v, approvals=len(approvers), approvals_needed=needed)
        out.append(v)
    return out


def status_as_of(day: date) -> tuple[ColumnElement[str], Subquery, Subquery]:
    """Each application's status at the end of ``day``, from the decisions dated by then:
    the latest one (by date, then as recorded) rejected, returned or withdrew it (a
    resubmission after a return puts it back in the queue), or its facility
    was opened by then (the last approval it needed; a later cancel leaves the
    application approved, the facility cancelled), or else it was still submitted
    (awaiting its first or second approval). Returns the status expression and the two
    subqueries (latest decision, facility approval) to outer-join on the application id."""
    latest = (
        select(
            _dec.c.application_id,
            _dec.c.action,
            func.row_number()
            .over(
                partition_by=_dec.c.application_id,
                order_by=(_dec.c.business_date.desc(), _dec.c.id.desc()),
            )
            .label("rn"),
        )
        .where(_dec.c.business_date <= day)
        .subquery("latest")
    )
    opened = select(_fac.c.id).where(_fac.c.approved_on <= day).subquery("opened")
    status = case(
        (latest.c.action == Action.REJECT, literal(ApplicationStatus.REJECTED.value)),
        (latest.c.action == Action.RETURN, literal(ApplicationStatus.RETURNED.value)),
        (latest.c.action == Action.WITHDRAW, literal(ApplicationStatus.WITHDRAWN.value)),
        (opened.c.id.is_not(None), literal(ApplicationStatus.APPROVED.value)),
        else_=literal(ApplicationStatus.SUBMITTED.value),
    )
    return status, latest, opened


def _select_as_of(day: date) -> tuple[Select[Any], ColumnElement[str]]:
    """``_select()`` of the applications submitted by ``day``, with their status then."""
    status, latest, opened = status_as_of(day)
    kept = [c for c in _apps.c if c.name != "status"]
    stmt = (
        select(*kept, status.label("status"), _people.c.name, _people.c.id_number)
        .add_columns(_counties.c.name.label("county_name"))
        .select_from(
            _apps.join(_people, _people.c.id == _apps.c.applicant_id)
            .join(_counties, _counties.c.code == _apps.c.county_code)
            .outerjoin(latest, and_(latest.c.application_id == _apps.c.id, latest.c.rn == 1))
            .outerjoin(opened, opened.c.id == _apps.c.id)
        )
        .where(_apps.c.submitted_on <= day)
    )
    return stmt, status


def _load(conn: Connection, actor: Actor, app_id: int) -> StoredApplication:
    row = conn.execute(_select().where(_apps.c.id == app_id)).first()
    if row is None or (actor.role == Role.COUNTY and row.county_code != actor.county_code):
        raise NotFound("intake.no_such_application", id=app_id)
    return StoredApplication.from_row(row)


def show(conn: Connection, operator: str | None, app_id: int) -> ApplicationView:
    actor = authorise(conn, operator, "applications.read")
    stored = _load(conn, actor, app_id)
    # sorted here: stored encrypted, the numbers cannot be ordered by the database
    employed = tuple(
        sorted(conn.scalars(select(_emp.c.id_number).where(_emp.c.application_id == app_id)))
    )
    return with_approvals(conn, [_view(stored, employed)])[0]


def review(conn: Connection, operator: str | None, app_id: int) -> list[RuleResult]:
    """Every rule's verdict now, under the policy the application was screened by."""
    actor = authorise(conn, operator, "applications.read")
    stored = _load(conn, actor, app_id)
    policy = by_version(conn, stored.policy_version)
    return screen_application(conn, stored, stored.submitted_on, policy)


def screen_application(
    conn: Connection, row: StoredApplication, on: date, policy: PolicyInForce
) -> list[RuleResult]:
    """Run the rules on a stored application (its own openness excluded)."""
    return screen_many(conn, [row], on, policy)[row.id]


def screen_many(
    conn: Connection, rows: Sequence[StoredApplication], on: date, policy: PolicyInForce
) -> dict[int, list[RuleResult]]:
    """``screen_application`` for many stored applications, with one query per table."""
    employed = _employed(conn, [r.id for r in rows])
    open_of = _open_of(conn, sorted({r.applicant_id for r in rows}))
    numbers = sorted({n for ns in employed.values() for n in ns})
    approved = open_projects_employing(conn, numbers, approved_only=True)
    codes = known_codes(conn)
    out: dict[int, list[RuleResult]] = {}
    for row in rows:
        others = frozenset(i for a, i in open_of.get(row.applicant_id, ()) if a != row.id)
        elsewhere = _elsewhere(row.id, employed.get(row.id, ()), approved)
        facts = Facts(row.county_code in codes, others, elsewhere, register_size=len(codes))
        app = _stored(row, tuple(parse_resident_id(n) for n in employed.get(row.id, ())))
        out[row.id] = screen(candidate(app, on), policy.policy, facts)
    return out


def _elsewhere(
    app_id: int, numbers: Sequence[str], approved: dict[str, list[tuple[int, str, str]]]
) -> dict[str, tuple[str, str]]:
    """Of one application's employed youth, those an approved open project other than
    itself already counts, with that project's (county, ref)."""
    out: dict[str, tuple[str, str]] = {}
    for number in numbers:
        others = [(c, r) for i, c, r in approved.get(number, ()) if i != app_id]
        if others:
            out[number] = others[0]
    return out


def _employed(conn: Connection, app_ids: Sequence[int]) -> dict[int, list[str]]:
    """Application id -> the ID numbers of the poor-household youth it employs."""
    employed: dict[int, list[str]] = {}
    for chunk in chunks(app_ids):
        for app_id, number in conn.execute(
            select(_emp.c.application_id, _emp.c.id_number).where(_emp.c.application_id.in_(chunk))
        ):
            employed.setdefault(app_id, []).append(number)
    return employed


def _open_of(conn: Connection, holders: Sequence[int]) -> dict[int, list[tuple[int, str]]]:
    """Applicant id -> (application id, instrument) of each application it holds open."""
    opened = open_applications().subquery()
    open_of: dict[int, list[tuple[int, str]]] = {}
    for chunk in chunks(holders):
        for app_id, person, instrument in conn.execute(
            select(opened.c.id, opened.c.applicant_id, opened.c.instrument).where(
                opened.c.applicant_id.in_(chunk)
            )
        ):
            open_of.setdefault(person, []).append((app_id, instrument))
    return open_of


def _stored(row: StoredApplication, employed: tuple[ResidentId, ...]) -> ApplicationIn:
    """A stored application as the rules see a submitted one."""
    return ApplicationIn(
        row.ref,
        row.name,
        parse_resident_id(row.id_number),
        row.phone,
        row.county_code,
        row.registered_poor,
        row.project_name,
        row.project_type,
        row.industry,
        row.instrument,
        row.amount_fen,
        row.term_months,
        row.bank,
        row.local_support,
        employed,
    )


def load_for_decision(conn: Connection, app_id: int) -> StoredApplication:
    """The application row with its applicant, for a decision (locked on PostgreSQL)."""
    row = conn.execute(_select().where(_apps.c.id == app_id).with_for_update(of=_apps)).first()
    if row is None:
        raise NotFound("intake.no_such_application", id=app_id)
    return StoredApplication.from_row(row)


def load_many_for_decision(
    conn: Connection, app_ids: Sequence[int]
) -> dict[int, StoredApplication]:
    """``load_for_decision`` for many: the rows found, by id (absent ids are missing)."""
    out: dict[int, StoredApplication] = {}
    for chunk in chunks(sorted(set(app_ids))):
        stmt = _select().where(_apps.c.id.in_(chunk)).with_for_update(of=_apps)
        for row in conn.execute(stmt):
            out[row.id] = StoredApplication.from_row(row)
    return out
