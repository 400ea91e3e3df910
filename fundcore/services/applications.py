"""Submitting applications, singly or a sheet at a time.

Submission is set-based: one look-up of the register, of existing applications and of
existing applicants per batch, then bulk inserts. A row is taken only if every field
and every eligibility rule passes; a (county, ref) already submitted with the same
content is unchanged, with different content it is refused. A county operator submits
and sees only its own county. Whether a sheet's good rows are kept is the batch
protocol's (``services.sheet_import``); this module screens and writes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple

from sqlalchemy import Connection, insert

from fundcore.domain.eligibility import Candidate, Facts, failures, screen
from fundcore.domain.policy import Policy
from fundcore.domain.terms import ApplicationStatus, Role
from fundcore.intake.application import ApplicationIn, parse_application
from fundcore.intake.batch import Problem, bad_lines
from fundcore.intake.sheet import Sheet
from fundcore.services.intake_lookup import Known, Person, look_up
from fundcore.services.intake_lookup import open_applications as open_applications  # its old home
from fundcore.services.operators import Actor, authorise
from fundcore.services.policy import in_force
from fundcore.store import audit, pii
from fundcore.store.clock import utcnow
from fundcore.store.models import Applicant, Application, ApplicationEmployee, IntakeBatch
from fundcore.store.tables import table_of

# declarative ``__table__`` is typed as any FromClause; these are the mapped Tables
_apps = table_of(Application)
_applicants = table_of(Applicant)
_employees = table_of(ApplicationEmployee)
_batches = table_of(IntakeBatch)


class Numbered(NamedTuple):
    """An application with the sheet line it came from (None: typed at ``fund apply``)."""

    line: int | None
    app: ApplicationIn


class Taken(NamedTuple):
    """A row stored (or found stored, unchanged): its line, the county's ref, the id."""

    line: int | None
    ref: str
    id: int


@dataclass
class SubmitReport:
    """What ``submit`` did: rows taken, rows already in unchanged, problems of the rest."""

    taken: list[Taken] = field(default_factory=list)
    unchanged: list[Taken] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    batch_id: int | None = None
    policy_version: int | None = None

    @property
    def bad_lines(self) -> int:
        return bad_lines(self.problems)


@dataclass
class _Screened:
    """A batch after screening: the rows to write, with their content hashes."""

    #: the content hash as stored, keyed (``store.pii``): so the stored hash tells
    #: nothing of the ID and phone numbers in the content
    keyed: Callable[[str], str]
    accepted: list[Numbered] = field(default_factory=list)
    digests: dict[tuple[str, str], str] = field(default_factory=dict)


def parse_sheet(sheet: Sheet) -> tuple[list[Numbered], list[Problem]]:
    """A sheet's rows as applications (with their lines), and every field problem of the
    rows that are not: what ``submit`` takes, and what to report beside its own."""
    parsed: list[Numbered] = []
    problems: list[Problem] = []
    for row in sheet.rows:
        app, errors = parse_application(row.values)
        problems += [Problem(row.line, e.column, e.code, e.params) for e in errors]
        if app is not None:
            parsed.append(Numbered(row.line, app))
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
    numbered = [Numbered(line, app) for line, app in rows]
    known = look_up(conn, [n.app for n in numbered])
    report = SubmitReport(policy_version=policy.version)
    screened = _Screened(pii.cipher(conn).content_hash)
    for done, row in enumerate(numbered, start=1):
        _screen_row(actor, row, known, screened, report, business_date, policy.policy)
        if progress and done % 100 == 0:
            progress(100)
    if progress:
        progress(len(numbered) % 100)
    if screened.accepted:
        report.batch_id = _write(
            conn, actor, screened, known, business_date, policy.version, report, source, sha256
        )
    return report


def _screen_row(
    actor: Actor,
    row: Numbered,
    known: Known,
    screened: _Screened,
    report: SubmitReport,
    on: date,
    policy: Policy,
) -> None:
    """Screen one row: unchanged, refused (its problems reported) or accepted."""
    app = row.app
    digest = screened.keyed(app.content_hash())
    key = (app.county_code, app.ref)
    problems = _check_row(actor, row, digest, known, screened.digests, on, policy)
    if problems is None:
        report.unchanged.append(Taken(row.line, app.ref, known.apps[key].id))
    elif problems:
        report.problems.extend(problems)
    else:
        screened.accepted.append(row)
        screened.digests[key] = digest
        known.open_instruments.setdefault(app.applicant.number, set()).add(app.instrument)
        for e in app.employed:
            known.employed_open.setdefault(e.number, key)


def _check_row(
    actor: Actor,
    row: Numbered,
    digest: str,
    known: Known,
    seen: dict[tuple[str, str], str],
    on: date,
    policy: Policy,
) -> list[Problem] | None:
    """Problems of one row (``digest`` its content hash); an empty list to take it; None
    when it is already in, unchanged."""
    app, line = row.app, row.line
    if actor.role == Role.COUNTY and app.county_code != actor.county_code:
        return [Problem(line, "county_code", "intake.other_county", {"code": app.county_code})]
    key = (app.county_code, app.ref)
    if key in seen:
        code = "intake.duplicate_in_file" if seen[key] != digest else "intake.repeated_in_file"
        return [Problem(line, "ref", code, {"ref": app.ref})]
    if key in known.apps:
        if known.apps[key].content_hash == digest:
            return None
        return [Problem(line, "ref", "intake.ref_changed", {"ref": app.ref})]
    holder = known.applicants.get(app.applicant.number)
    if holder and holder.name != app.name:
        return [Problem(line, "name", "intake.name_mismatch", {})]
    facts = Facts(
        county_known=app.county_code in known.counties,
        open_instruments=frozenset(known.open_instruments.get(app.applicant.number, ())),
        employed_elsewhere=known.employed_open,
    )
    results = screen(candidate(app, on), policy, facts)
    return [Problem(line, r.column, r.code, r.params) for r in failures(results)]


def candidate(app: ApplicationIn, on: date) -> Candidate:
    """What the eligibility rules look at, for an application submitted ``on``."""
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
    screened: _Screened,
    known: Known,
    on: date,
    policy_version: int,
    report: SubmitReport,
    source: str | None,
    sha256: str | None,
) -> int:
    """Bulk-insert the batch, its new applicants, applications and employees; audit it."""
    accepted = screened.accepted
    batch_id = _insert_batch(conn, actor, len(accepted), report, on, source, sha256)
    _insert_new_applicants(conn, actor, [row.app for row in accepted], known, on)
    ids = _insert_applications(conn, actor, screened, known, on, policy_version, batch_id)
    _insert_employees(conn, [row.app for row in accepted], ids)
    report.taken = [
        Taken(row.line, row.app.ref, ids[(row.app.county_code, row.app.ref)]) for row in accepted
    ]
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


def _insert_batch(
    conn: Connection,
    actor: Actor,
    taken: int,
    report: SubmitReport,
    on: date,
    source: str | None,
    sha256: str | None,
) -> int:
    """The intake batch row: who sent what file, and how many of its rows were taken."""
    batch = {
        "operator": actor.name,
        "source": (source or "fund apply")[:255],
        "sha256": sha256 or "",
        "business_date": on,
        "rows_taken": taken,
        "rows_unchanged": len(report.unchanged),
        "rows_bad": report.bad_lines,
        "recorded_at": utcnow(),
    }
    key = conn.execute(insert(_batches), batch).inserted_primary_key
    assert key is not None  # an INSERT of one row has its primary key
    return int(key[0])


def _insert_applications(
    conn: Connection,
    actor: Actor,
    screened: _Screened,
    known: Known,
    on: date,
    policy_version: int,
    batch_id: int,
) -> dict[tuple[str, str], int]:
    """Insert the accepted applications; their new ids by (county, ref)."""
    keys = [(row.app.county_code, row.app.ref) for row in screened.accepted]
    new_ids = conn.scalars(
        insert(_apps).returning(_apps.c.id, sort_by_parameter_order=True),
        [
            _application_row(
                row.app, known.applicants[row.app.applicant.number].id, actor, on, batch_id
            )
            | {"policy_version": policy_version, "content_hash": screened.digests[key]}
            for row, key in zip(screened.accepted, keys, strict=True)
        ],
    ).all()
    return dict(zip(keys, new_ids, strict=True))


def _insert_employees(
    conn: Connection, apps: list[ApplicationIn], ids: dict[tuple[str, str], int]
) -> None:
    """The poor-household youth each application employs, one row per ID number."""
    blind = pii.cipher(conn).blind
    employees = [
        {
            "application_id": ids[(a.county_code, a.ref)],
            "id_number": number,
            "id_number_hmac": blind(number),
        }
        for a in apps
        for number in sorted({e.number for e in a.employed})
    ]
    if employees:
        conn.execute(insert(_employees), employees)


def _insert_new_applicants(
    conn: Connection, actor: Actor, apps: list[ApplicationIn], known: Known, on: date
) -> None:
    """Store the applicants not yet known (first row of each wins) and learn their ids."""
    new = {a.applicant.number: a for a in apps if a.applicant.number not in known.applicants}
    if not new:
        return
    blind = pii.cipher(conn).blind
    new_ids = conn.scalars(
        insert(_applicants).returning(_applicants.c.id, sort_by_parameter_order=True),
        [
            {
                "id_number": n,
                "id_number_hmac": blind(n),
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
        known.applicants[number] = Person(pid, a.name)


def _application_row(
    a: ApplicationIn, applicant_id: int, actor: Actor, on: date, batch_id: int
) -> dict[str, object]:
    """The ``applications`` row of a submitted application (status: submitted)."""
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
        "household_ref": a.household_ref,
        "enterprise_code": a.enterprise_code,
        "registered_poor": a.registered_poor,
        "phone": a.phone,
        "status": ApplicationStatus.SUBMITTED,
        "submitted_on": on,
        "submitted_by": actor.name,
        "batch_id": batch_id,
    }
