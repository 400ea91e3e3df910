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

from fundcore.domain.eligibility import (
    CANDIDATE_FIELDS,
    Candidate,
    Facts,
    RuleResult,
    failures,
    screen_known,
)
from fundcore.domain.identity import ResidentId, mask_id
from fundcore.domain.policy import Policy
from fundcore.domain.terms import ApplicationStatus, Role
from fundcore.intake.application import (
    ApplicationIn,
    ParsedRow,
    candidate_fields,
    read_application,
)
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


class Unparsed(NamedTuple):
    """A row with bad cells: its line, the ``Candidate`` fields of its good cells, and
    its applicant's name, if given, so the rules that can still be evaluated are."""

    line: int | None
    known: dict[str, object]
    name: str | None

    @classmethod
    def of(cls, line: int | None, row: ParsedRow) -> Unparsed:
        name = row.fields.get("name")
        return cls(line, candidate_fields(row), name if isinstance(name, str) else None)


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
    #: rows naming a person only other counties have submitted for: (line, id number)
    elsewhere: list[tuple[int | None, str]] = field(default_factory=list)
    #: what was ignored in rows otherwise taken (superfluous cells, repeated rows)
    notes: list[Problem] = field(default_factory=list)

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
    #: the line each accepted (county, ref) came from, named when a row repeats it
    lines: dict[tuple[str, str], int | None] = field(default_factory=dict)


@dataclass
class ParsedSheet:
    """A sheet read row by row: the applications, the field problems and notes of every
    row, and the rows with bad cells, still to be screened by the rules they allow."""

    parsed: list[Numbered] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    notes: list[Problem] = field(default_factory=list)
    unparsed: list[Unparsed] = field(default_factory=list)


def read_sheet_rows(sheet: Sheet) -> ParsedSheet:
    """Every row of ``sheet`` parsed: what ``submit`` takes, and what to report beside."""
    out = ParsedSheet()
    for line_row in sheet.rows:
        row = read_application(line_row.values)
        line = line_row.line
        out.problems += [Problem(line, e.column, e.code, e.params) for e in row.errors]
        out.notes += [Problem(line, n.column, n.code, n.params) for n in row.notes]
        if row.app is not None:
            out.parsed.append(Numbered(line, row.app))
        else:
            out.unparsed.append(Unparsed.of(line, row))
    return out


def parse_sheet(sheet: Sheet) -> tuple[list[Numbered], list[Problem]]:
    """A sheet's rows as applications (with their lines), and every field problem of the
    rows that are not (their rule problems are ``read_sheet_rows`` and ``submit``'s)."""
    out = read_sheet_rows(sheet)
    return out.parsed, out.problems


def submit(
    conn: Connection,
    operator: str | None,
    rows: Sequence[tuple[int | None, ApplicationIn]],
    business_date: date,
    *,
    source: str | None = None,
    sha256: str | None = None,
    progress: Callable[[int], None] | None = None,
    unparsed: Sequence[Unparsed] = (),
) -> SubmitReport:
    """Screen and store the rows that pass; report the rest (line, column, reason).

    ``unparsed`` rows (bad cells, never taken) are screened by every rule their good
    cells allow, so their problems are reported in one pass with the field problems.
    """
    actor = authorise(conn, operator, "applications.submit")
    policy = in_force(conn, business_date)
    numbered = [Numbered(line, app) for line, app in rows]
    known = look_up(conn, [n.app for n in numbered], also=[u.known for u in unparsed])
    report = SubmitReport(policy_version=policy.version)
    screened = _Screened(pii.cipher(conn).content_hash)
    for bad in unparsed:
        found = _screen_unparsed(actor, bad, known, business_date, policy.policy)
        applicant = bad.known.get("applicant")
        if found and found[0].code == "intake.person_elsewhere" and applicant is not None:
            report.elsewhere.append((bad.line, applicant.number))  # type: ignore[attr-defined]
        report.problems += found
    for done, row in enumerate(numbered, start=1):
        _screen_row(actor, row, known, screened, report, business_date, policy.policy)
        if progress and done % 100 == 0:
            progress(100)
    if progress:
        progress(len(numbered) % 100)
    _log_elsewhere(conn, actor, report.elsewhere, business_date)
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
    if screened.digests.get(key) == digest:  # the same row again: harmless, ignored
        first = screened.lines[key]
        report.notes.append(
            Problem(row.line, "ref", "intake.repeated_ignored", {"ref": app.ref, "first": first})
        )
        return
    problems = _check_row(actor, row, digest, known, screened.digests, on, policy)
    if problems and problems[0].code == "intake.person_elsewhere":
        report.elsewhere.append((row.line, app.applicant.number))
    if problems is None:
        report.unchanged.append(Taken(row.line, app.ref, known.apps[key].id))
    elif problems:
        report.problems.extend(problems)
    else:
        screened.accepted.append(row)
        screened.digests[key] = digest
        screened.lines[key] = row.line
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
    fields = _known_of(app)
    if actor.role == Role.COUNTY and app.county_code != actor.county_code:
        return _screened(actor, line, fields, None, None, known, on, policy, other_county=True)
    key = (app.county_code, app.ref)
    if key in seen:  # the same content again is a note, the caller's (``_screen_row``)
        return [Problem(line, "ref", "intake.duplicate_in_file", {"ref": app.ref})]
    if key in known.apps:
        if known.apps[key].content_hash == digest:
            return None
        return [Problem(line, "ref", "intake.ref_changed", {"ref": app.ref})]
    return _screened(actor, line, fields, app.applicant.number, app.name, known, on, policy)


def _screen_unparsed(
    actor: Actor, row: Unparsed, known: Known, on: date, policy: Policy
) -> list[Problem]:
    """The problems of a row with bad cells beyond them: every check its good cells allow."""
    county = row.known.get("county_code")
    other = actor.role == Role.COUNTY and county is not None and county != actor.county_code
    applicant = row.known.get("applicant")
    number = applicant.number if isinstance(applicant, ResidentId) else None
    return _screened(
        actor, row.line, row.known, number, row.name, known, on, policy, other_county=other
    )


def _screened(
    actor: Actor,
    line: int | None,
    fields: dict[str, object],
    number: str | None,
    name: str | None,
    known: Known,
    on: date,
    policy: Policy,
    *,
    other_county: bool = False,
) -> list[Problem]:
    """The problems of a row's known ``fields``: another county's (the rules that read
    only the row itself, so nothing stored elsewhere is told), or a name that differs
    from the one the ID number is registered under, and every rule that fails.

    All are reported together, so a county secretary fixes the row in one pass; but a
    person only other counties have submitted for is that one problem alone, so the
    county learns neither the name registered nor what the person holds open.
    """
    county = fields.get("county_code")
    problems: list[Problem] = []
    if other_county:
        problems.append(Problem(line, "county_code", "intake.other_county", {"code": county}))
        facts = Facts(county_known=county in known.counties, register_size=known.register_size)
    else:
        holder = known.applicants.get(number) if number else None
        if holder and _only_elsewhere(actor, holder):
            return [Problem(line, "id_number", "intake.person_elsewhere", {})]
        if holder and name is not None and holder.name != name:
            problems.append(Problem(line, "name", "intake.name_mismatch", {}))
        facts = Facts(
            county_known=county in known.counties,
            open_instruments=frozenset(known.open_instruments.get(number or "", ())),
            employed_elsewhere=known.employed_open,
            register_size=known.register_size,
        )
    results: list[RuleResult] = screen_known(fields, on, policy, facts)
    return problems + [Problem(line, r.column, r.code, r.params) for r in failures(results)]


def _known_of(app: ApplicationIn) -> dict[str, object]:
    """Every ``Candidate`` field of a parsed application (all its cells were good)."""
    c = candidate(app, date.min)
    return {name: getattr(c, name) for name in CANDIDATE_FIELDS}


def _only_elsewhere(actor: Actor, holder: Person) -> bool:
    """A county league naming a person only other counties have submitted for learns
    nothing of them: not the name registered, not what they hold open (issue 16)."""
    return (
        actor.role == Role.COUNTY
        and bool(holder.counties)
        and actor.county_code not in holder.counties
    )


def _log_elsewhere(
    conn: Connection, actor: Actor, rows: list[tuple[int | None, str]], on: date
) -> None:
    """Tell the admin, in the audit trail, of each such row, even if nothing is kept
    (a refused ``fund apply``, a ``--dry-run``)."""
    for line, number in rows:
        audit.record_regardless(
            conn, actor.name, "intake.person_elsewhere", object_type="applicant",
            business_date=on, county=actor.county_code, line=line, id_number=mask_id(number),
        )  # fmt: skip


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
