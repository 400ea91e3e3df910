"""Submitting applications, singly or a sheet at a time, and looking at the queue.

Submission is set-based: one look-up of the register, of existing applications and of
existing applicants per batch, then bulk inserts. A row is taken only if every field
and every eligibility rule passes; a (county, ref) already submitted with the same
content is unchanged, with different content it is refused. A county operator submits
and sees only its own county.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import Connection, and_, insert, or_, select

from fundcore.domain.eligibility import Candidate, Facts, failures, screen
from fundcore.domain.terms import OPEN, ApplicationStatus
from fundcore.intake.application import ApplicationIn, parse_application
from fundcore.intake.sheet import Sheet
from fundcore.services.operators import Actor, authorise
from fundcore.services.policy import in_force
from fundcore.services.registry import known_codes
from fundcore.store import audit
from fundcore.store.bulk import chunks
from fundcore.store.clock import utcnow
from fundcore.store.models import Applicant, Application, ApplicationEmployee, Facility, IntakeBatch

_apps = Application.__table__
_applicants = Applicant.__table__
_employees = ApplicationEmployee.__table__
#: a facility in one of these states is still open for the person who holds it
_fac = Facility.__table__


def open_applications():  # type: ignore[no-untyped-def]
    """Applications (outer-joined to facilities) that keep their instrument open."""
    return (
        select(_apps.c.id, _apps.c.applicant_id, _apps.c.instrument)
        .select_from(_apps.outerjoin(_fac, _fac.c.id == _apps.c.id))
        .where(
            or_(
                _apps.c.status.in_(("submitted", "returned")),
                and_(_apps.c.status == ApplicationStatus.APPROVED, _fac.c.status.in_(OPEN)),
            )
        )
    )


@dataclass(frozen=True, slots=True)
class RowProblem:
    line: int | None
    column: str | None
    code: str
    params: dict[str, object]


@dataclass
class SubmitReport:
    taken: list[tuple[int | None, str, int]] = field(default_factory=list)
    unchanged: list[tuple[int | None, str, int]] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    batch_id: int | None = None
    policy_version: int | None = None

    @property
    def bad_lines(self) -> int:
        return len({p.line for p in self.problems})


@dataclass
class _Known:
    """What the database holds for the rows of one batch, each looked up once."""

    counties: set[str]
    apps: dict[tuple[str, str], tuple[int, str]]
    #: id number -> (applicant id, name)
    applicants: dict[str, tuple[int, str]]
    #: id number -> instruments held open, including rows taken earlier in this batch
    open_instruments: dict[str, set[str]]


def parse_sheet(sheet: Sheet) -> tuple[list[tuple[int, ApplicationIn]], list[RowProblem]]:
    """A sheet's rows as applications (with their lines), and every field problem of the
    rows that are not: what ``submit`` takes, and what to report beside its own."""
    parsed: list[tuple[int, ApplicationIn]] = []
    problems: list[RowProblem] = []
    for row in sheet.rows:
        app, errors = parse_application(row.values)
        problems += [RowProblem(row.line, e.column, e.code, e.params) for e in errors]
        if app is not None:
            parsed.append((row.line, app))
    return parsed, problems


def submit(
    conn: Connection,
    operator: str | None,
    rows: Sequence[tuple[int | None, ApplicationIn]],
    business_date: date,
    *,
    source: str | None = None,
    sha256: str | None = None,
    progress: Callable[[int], None] | None = None,
) -> SubmitReport:
    """Screen and store the rows that pass; report the rest (line, column, reason)."""
    actor = authorise(conn, operator, "applications.submit")
    policy = in_force(conn, business_date)
    known = _look_up(conn, [a for _, a in rows])
    report = SubmitReport(policy_version=policy.version)
    accepted: list[tuple[int | None, ApplicationIn]] = []
    seen: dict[tuple[str, str], str] = {}
    for n, (line, app) in enumerate(rows, start=1):
        digest = app.content_hash()
        problems = _check_row(actor, app, digest, known, seen, business_date, policy.policy)
        key = (app.county_code, app.ref)
        if problems is None:
            report.unchanged.append((line, app.ref, known.apps[key][0]))
        elif problems:
            report.problems.extend(RowProblem(line, c, code, p) for c, code, p in problems)
        else:
            accepted.append((line, app))
            seen[key] = digest
            known.open_instruments.setdefault(app.applicant.number, set()).add(app.instrument)
        if progress and n % 100 == 0:
            progress(100)
    if progress:
        progress(len(rows) % 100)
    if accepted:
        report.batch_id = _write(
            conn,
            actor,
            accepted,
            known,
            business_date,
            policy.version,
            report,
            source,
            sha256,
            seen,
        )
    return report


def _look_up(conn: Connection, apps: Sequence[ApplicationIn]) -> _Known:
    keys = sorted({(a.county_code, a.ref) for a in apps})
    numbers = sorted({a.applicant.number for a in apps})
    existing_apps: dict[tuple[str, str], tuple[int, str]] = {}
    for code, ref, app_id, digest in _by_keys(conn, keys, _apps.c.id, _apps.c.content_hash):
        existing_apps[(code, ref)] = (app_id, digest)
    people: dict[str, tuple[int, str]] = {}
    # locked, so two sheets naming one person at once are screened one after the other
    for chunk in chunks(numbers):
        stmt = (
            select(_applicants.c.id_number, _applicants.c.id, _applicants.c.name)
            .where(_applicants.c.id_number.in_(chunk))
            .with_for_update()
        )
        for number, pid, name in conn.execute(stmt):
            people[number] = (pid, name)
    number_of = {pid: number for number, (pid, _) in people.items()}
    open_by_person: dict[str, set[str]] = {}
    for chunk in chunks(sorted(number_of)):
        stmt = open_applications().where(_apps.c.applicant_id.in_(chunk))
        for _, pid, instrument in conn.execute(stmt):
            open_by_person.setdefault(number_of[pid], set()).add(instrument)
    codes = known_codes(conn, {a.county_code for a in apps})
    return _Known(codes, existing_apps, people, open_by_person)


Issue = tuple[str | None, str, dict[str, object]]


def _check_row(
    actor: Actor,
    app: ApplicationIn,
    digest: str,
    known: _Known,
    seen: dict[tuple[str, str], str],
    on: date,
    policy: object,
) -> list[Issue] | None:
    """Problems of one row (``digest`` its content hash); an empty list to take it; None
    when it is already in, unchanged."""
    if actor.role == "county" and app.county_code != actor.county_code:
        return [("county_code", "intake.other_county", {"code": app.county_code})]
    key = (app.county_code, app.ref)
    if key in seen:
        return [
            (
                "ref",
                "intake.duplicate_in_file" if seen[key] != digest else "intake.repeated_in_file",
                {"ref": app.ref},
            )
        ]
    if key in known.apps:
        if known.apps[key][1] == digest:
            return None
        return [("ref", "intake.ref_changed", {"ref": app.ref})]
    holder = known.applicants.get(app.applicant.number)
    if holder and holder[1] != app.name:
        return [("name", "intake.name_mismatch", {})]
    facts = Facts(
        county_known=app.county_code in known.counties,
        open_instruments=frozenset(known.open_instruments.get(app.applicant.number, ())),
    )
    results = screen(candidate(app, on), policy, facts)  # type: ignore[arg-type]
    return [(r.column, r.code, r.params) for r in failures(results)]


def candidate(app: ApplicationIn, on: date) -> Candidate:
    return Candidate(
        instrument=app.instrument,
        amount_fen=app.amount_fen,
        term_months=app.term_months,
        county_code=app.county_code,
        local_support=app.local_support,
        registered_poor=app.registered_poor,
        applicant=app.applicant,
        employed=app.employed,
        submitted_on=on,
    )


def _write(
    conn: Connection,
    actor: Actor,
    accepted: list[tuple[int | None, ApplicationIn]],
    known: _Known,
    on: date,
    policy_version: int,
    report: SubmitReport,
    source: str | None,
    sha256: str | None,
    digests: dict[tuple[str, str], str],
) -> int:
    """Bulk-insert the batch, its new applicants, applications (``digests``: their content
    hashes, by county and ref) and employees."""
    batch = {
        "operator": actor.name,
        "source": (source or "fund apply")[:255],
        "sha256": sha256 or "",
        "business_date": on,
        "rows_taken": len(accepted),
        "rows_unchanged": len(report.unchanged),
        "rows_bad": report.bad_lines,
        "recorded_at": utcnow(),
    }
    batch_id = conn.execute(insert(IntakeBatch.__table__), batch).inserted_primary_key[0]
    _insert_new_applicants(conn, actor, [a for _, a in accepted], known, on)
    new_ids = conn.scalars(
        insert(_apps).returning(_apps.c.id, sort_by_parameter_order=True),
        [
            _application_row(a, known.applicants[a.applicant.number][0], actor, on, batch_id)
            | {"policy_version": policy_version, "content_hash": digests[(a.county_code, a.ref)]}
            for _, a in accepted
        ],
    ).all()
    ids = dict(zip([(a.county_code, a.ref) for _, a in accepted], new_ids, strict=True))
    employees = [
        {"application_id": ids[(a.county_code, a.ref)], "id_number": number}
        for _, a in accepted
        for number in sorted({e.number for e in a.employed})
    ]
    if employees:
        conn.execute(insert(_employees), employees)
    report.taken = [(line, a.ref, ids[(a.county_code, a.ref)]) for line, a in accepted]
    audit.record(
        conn,
        actor.name,
        "applications.submit",
        object_type="intake_batch",
        object_id=batch_id,
        business_date=on,
        source=source,
        taken=len(accepted),
        unchanged=len(report.unchanged),
        bad_rows=report.bad_lines,
    )
    return batch_id


def _insert_new_applicants(
    conn: Connection, actor: Actor, apps: list[ApplicationIn], known: _Known, on: date
) -> None:
    new = {a.applicant.number: a for a in apps if a.applicant.number not in known.applicants}
    if not new:
        return
    new_ids = conn.scalars(
        insert(_applicants).returning(_applicants.c.id, sort_by_parameter_order=True),
        [
            {
                "id_number": n,
                "name": a.name,
                "birth_date": a.applicant.birth_date,
                "gender": a.applicant.gender,
                "created_on": on,
                "created_by": actor.name,
            }
            for n, a in new.items()
        ],
    ).all()
    for (number, a), pid in zip(new.items(), new_ids, strict=True):
        known.applicants[number] = (pid, a.name)


def _by_keys(conn: Connection, keys: Sequence[tuple[str, str]], *columns) -> list[tuple]:  # type: ignore[no-untyped-def]
    """Rows of ``columns`` for the (county, ref) keys given, county by county.

    One county and a list of refs per query, so the (county_code, ref) index is searched;
    a row-value ``IN`` of pairs makes SQLite scan the whole index on every call.
    """
    refs: dict[str, list[str]] = {}
    for code, ref in keys:
        refs.setdefault(code, []).append(ref)
    out: list[tuple] = []
    for code in sorted(refs):
        for chunk in chunks(sorted(set(refs[code]))):
            stmt = select(_apps.c.county_code, _apps.c.ref, *columns).where(
                _apps.c.county_code == code, _apps.c.ref.in_(chunk)
            )
            out += [tuple(r) for r in conn.execute(stmt)]
    return out


def _application_row(
    a: ApplicationIn, applicant_id: int, actor: Actor, on: date, batch_id: int
) -> dict[str, object]:
    return {
        "county_code": a.county_code,
        "ref": a.ref,
        "applicant_id": applicant_id,
        "instrument": a.instrument,
        "amount_fen": a.amount_fen,
        "term_months": a.term_months,
        "project_name": a.project_name,
        "project_type": a.project_type,
        "industry": a.industry,
        "bank": a.bank,
        "local_support": a.local_support,
        "registered_poor": a.registered_poor,
        "phone": a.phone,
        "status": "submitted",
        "submitted_on": on,
        "submitted_by": actor.name,
        "batch_id": batch_id,
    }
