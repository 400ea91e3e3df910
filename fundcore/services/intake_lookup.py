"""What the database already holds for a batch of submissions, each looked up once.

Screening a sheet needs, for its rows: the applications already stored under their
(county, ref), the applicants already stored under their ID numbers (locked, so two
sheets naming one person are screened one after the other), the instruments each of
them holds open, and which of the counties named are in the register.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from sqlalchemy import Connection, Select, and_, or_, select

from fundcore.domain.identity import ResidentId
from fundcore.domain.terms import OPEN, ApplicationStatus
from fundcore.intake.application import ApplicationIn
from fundcore.services.registry import known_codes, register_size
from fundcore.store import pii
from fundcore.store.bulk import chunks
from fundcore.store.models import Applicant, Application, ApplicationEmployee, Facility
from fundcore.store.tables import table_of

# declarative ``__table__`` is typed as any FromClause; these are the mapped Tables
_apps = table_of(Application)
_applicants = table_of(Applicant)
_fac = table_of(Facility)
_emp = table_of(ApplicationEmployee)

#: an application in one of these states keeps its instrument open for the applicant
_PENDING = (ApplicationStatus.SUBMITTED, ApplicationStatus.RETURNED)


def open_applications() -> Select[tuple[int, int, str]]:
    """Applications (outer-joined to facilities) that keep their instrument open: still
    pending, or approved with a facility not yet finished with (``OPEN``)."""
    return (
        select(_apps.c.id, _apps.c.applicant_id, _apps.c.instrument)
        .select_from(_apps.outerjoin(_fac, _fac.c.id == _apps.c.id))
        .where(
            or_(
                _apps.c.status.in_(_PENDING),
                and_(_apps.c.status == ApplicationStatus.APPROVED, _fac.c.status.in_(OPEN)),
            )
        )
    )


@dataclass(frozen=True, slots=True)
class StoredApp:
    """An application already stored under a (county, ref): its id and content hash."""

    id: int
    content_hash: str


@dataclass(frozen=True, slots=True)
class Person:
    """An applicant already stored under an ID number, and the counties that submitted
    for them (a county league learns nothing of a person only other counties know)."""

    id: int
    name: str
    counties: frozenset[str] = frozenset()


@dataclass
class Known:
    """What the database holds for the rows of one batch, each looked up once."""

    counties: set[str]
    apps: dict[tuple[str, str], StoredApp]
    #: id number -> the applicant stored (rows taken in this batch added as written)
    applicants: dict[str, Person]
    #: id number -> instruments held open, including rows taken earlier in this batch
    open_instruments: dict[str, set[str]]
    #: employed youth's id number -> (county, ref) of an open project counting them,
    #: including rows taken earlier in this batch
    employed_open: dict[str, tuple[str, str]] = field(default_factory=dict)
    #: how many counties the register holds (a code not in it is told so)
    register_size: int | None = None


def look_up(
    conn: Connection,
    apps: Sequence[ApplicationIn],
    *,
    also: Sequence[Mapping[str, object]] = (),
) -> Known:
    """The stored applications, applicants, open instruments and counties a batch names.

    ``also``: the ``Candidate`` fields known of rows with bad cells, whose counties,
    applicants and employed youth are looked up too, for the rules still screening them.
    """
    numbers = {a.applicant.number for a in apps}
    counties = {a.county_code for a in apps}
    employed = {e.number for a in apps for e in a.employed}
    for known in also:
        if isinstance(code := known.get("county_code"), str):
            counties.add(code)
        if isinstance(applicant := known.get("applicant"), ResidentId):
            numbers.add(applicant.number)
        if isinstance(youth := known.get("employed"), tuple):
            employed.update(e.number for e in youth if isinstance(e, ResidentId))
    people = _people(conn, sorted(numbers))
    return Known(
        counties=known_codes(conn, counties),
        apps=_stored_apps(conn, sorted({(a.county_code, a.ref) for a in apps})),
        applicants=people,
        open_instruments=_open_instruments(conn, people),
        employed_open=employed_open(conn, sorted(employed)),
        register_size=register_size(conn),
    )


def employed_open(
    conn: Connection, numbers: Sequence[str], *, besides: int | None = None
) -> dict[str, tuple[str, str]]:
    """Employed youth's ID number -> (county, ref) of an open application counting them
    (``besides`` one left out): what intake and an amendment screen against."""
    out: dict[str, tuple[str, str]] = {}
    for number, projects in open_projects_employing(conn, numbers).items():
        others = [(county, ref) for app_id, county, ref in projects if app_id != besides]
        if others:
            out[number] = others[0]
    return out


def open_projects_employing(
    conn: Connection, numbers: Sequence[str], *, approved_only: bool = False
) -> dict[str, list[tuple[int, str, str]]]:
    """Employed youth's ID number -> (id, county, ref) of each open application counting
    them, oldest first; with ``approved_only``, only the approved ones with an open
    facility (at approval, where the pending ones wait their turn)."""
    stmt = open_applications().add_columns(_apps.c.county_code, _apps.c.ref, _emp.c.id_number_hmac)
    stmt = stmt.join(_emp, _emp.c.application_id == _apps.c.id).order_by(_apps.c.id)
    if approved_only:
        stmt = stmt.where(_apps.c.status == ApplicationStatus.APPROVED)
    number_of = _blinded(conn, numbers)
    out: dict[str, list[tuple[int, str, str]]] = {}
    for chunk in chunks(sorted(number_of)):
        for row in conn.execute(stmt.where(_emp.c.id_number_hmac.in_(chunk))):
            number = number_of[row.id_number_hmac]
            out.setdefault(number, []).append((row.id, row.county_code, row.ref))
    return out


def _blinded(conn: Connection, numbers: Sequence[str]) -> dict[str, str]:
    """Keyed hash -> ID number, for the numbers given: how stored ID numbers are found
    (they are stored encrypted, ``store.pii``)."""
    if not numbers:
        return {}
    blind = pii.cipher(conn).blind
    return {blind(n): n for n in numbers}


def _people(conn: Connection, numbers: Sequence[str]) -> dict[str, Person]:
    """The applicants stored under these ID numbers, locked, so two sheets naming one
    person at once are screened one after the other."""
    people: dict[str, Person] = {}
    number_of = _blinded(conn, numbers)
    for chunk in chunks(sorted(number_of)):
        stmt = (
            select(_applicants.c.id_number_hmac, _applicants.c.id, _applicants.c.name)
            .where(_applicants.c.id_number_hmac.in_(chunk))
            .with_for_update()
        )
        for digest, pid, name in conn.execute(stmt):
            people[number_of[digest]] = Person(pid, name)
    return _with_counties(conn, people)


def _with_counties(conn: Connection, people: dict[str, Person]) -> dict[str, Person]:
    """Each person with the counties whose applications name them."""
    number_of = {person.id: number for number, person in people.items()}
    counties: dict[int, set[str]] = {}
    for chunk in chunks(sorted(number_of)):
        stmt = (
            select(_apps.c.applicant_id, _apps.c.county_code)
            .where(_apps.c.applicant_id.in_(chunk))
            .distinct()
        )
        for pid, code in conn.execute(stmt):
            counties.setdefault(pid, set()).add(code)
    return {
        number: Person(p.id, p.name, frozenset(counties.get(p.id, ())))
        for number, p in people.items()
    }


def _open_instruments(conn: Connection, people: dict[str, Person]) -> dict[str, set[str]]:
    """ID number -> the instruments its holder has open."""
    number_of = {person.id: number for number, person in people.items()}
    open_by_person: dict[str, set[str]] = {}
    for chunk in chunks(sorted(number_of)):
        stmt = open_applications().where(_apps.c.applicant_id.in_(chunk))
        for _, pid, instrument in conn.execute(stmt):
            open_by_person.setdefault(number_of[pid], set()).add(instrument)
    return open_by_person


def _stored_apps(
    conn: Connection, keys: Sequence[tuple[str, str]]
) -> dict[tuple[str, str], StoredApp]:
    """The applications stored under the (county, ref) keys given, county by county.

    One county and a list of refs per query, so the (county_code, ref) index is searched;
    a row-value ``IN`` of pairs makes SQLite scan the whole index on every call.
    """
    refs: dict[str, list[str]] = {}
    for code, ref in keys:
        refs.setdefault(code, []).append(ref)
    out: dict[tuple[str, str], StoredApp] = {}
    for code in sorted(refs):
        for chunk in chunks(sorted(set(refs[code]))):
            stmt = select(_apps.c.ref, _apps.c.id, _apps.c.content_hash).where(
                _apps.c.county_code == code, _apps.c.ref.in_(chunk)
            )
            for ref, app_id, digest in conn.execute(stmt):
                out[(code, ref)] = StoredApp(app_id, digest)
    return out
