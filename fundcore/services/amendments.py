"""A returned application is back with its county league: corrected and resubmitted,
or withdrawn.

``amend`` takes the sheet's own field names (``amount=30000``, or ``金额=30000``), rebuilds
the application from its stored content with those fields changed, checks every field
and screens it again under the policy in force on the amendment's business date, all of
its problems at once. Taken, it keeps the content as it was in an append-only
``application_amendments`` row, updates the application and sends it back to the review
queue with a dated ``resubmit`` decision (its approvals start again). ``withdraw`` ends a
pending application with a dated ``withdraw`` decision and a reason, which frees its
applicant (and its employed youth) to be named again.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Protocol

from sqlalchemy import Connection, delete, func, insert, select, update

from fundcore.domain.decisions import Action
from fundcore.domain.eligibility import Facts, failures, screen
from fundcore.domain.errors import InputError, NotFound, RuleBroken
from fundcore.domain.identity import mask_id, mask_phone
from fundcore.domain.money import format_plain
from fundcore.domain.terms import ApplicationStatus, Role
from fundcore.domain.text import check_text
from fundcore.intake.application import ApplicationIn, parse_application
from fundcore.intake.batch import Problem
from fundcore.intake.columns import APPLICATION_COLUMNS
from fundcore.services.applications import candidate
from fundcore.services.decision_records import record_decision
from fundcore.services.intake_lookup import employed_open, open_applications
from fundcore.services.operators import Actor, authorise
from fundcore.services.policy import in_force
from fundcore.services.queue import StoredApplication, load_for_decision
from fundcore.services.registry import known_codes
from fundcore.store import audit, pii
from fundcore.store.clock import utcnow
from fundcore.store.models import (
    Application,
    ApplicationAmendment,
    ApplicationEmployee,
    Decision,
)
from fundcore.store.tables import table_of

_apps = table_of(Application)
_amend = table_of(ApplicationAmendment)
_emp = table_of(ApplicationEmployee)
_dec = table_of(Decision)

#: what identifies an application and its person: corrected by withdrawing it and
#: submitting a new one, never by an amendment
FIXED = ("ref", "county_code", "id_number", "name")
#: sheet header (either language, any accepted spelling) -> field name
_FIELDS = {
    spelling: c.key for c in APPLICATION_COLUMNS for spelling in (c.key, c.zh, c.en, *c.aliases)
}


@dataclass
class AmendReport:
    """What ``amend`` did: the fields changed, or every problem (nothing written)."""

    application_id: int
    changed: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    policy_version: int | None = None


def parse_assignments(pairs: Sequence[str]) -> tuple[dict[str, str], list[Problem]]:
    """``field=value`` words as the sheet's field names and the values typed, or a
    problem for each word that is not one (no ``=``, an unknown or fixed field, a field
    given twice)."""
    values: dict[str, str] = {}
    problems: list[Problem] = []
    for pair in pairs:
        name, sep, value = pair.partition("=")
        key = _FIELDS.get(name.strip())
        if not sep or key is None:
            problems.append(Problem(None, None, "amend.bad_field", {"text": pair[:60]}))
        elif key in FIXED:
            problems.append(Problem(None, key, "amend.fixed_field", {}))
        elif key in values:
            problems.append(Problem(None, key, "amend.field_twice", {}))
        else:
            values[key] = value.strip()
    if not pairs:
        problems.append(Problem(None, None, "amend.nothing_given", {}))
    return values, problems


def amend(
    conn: Connection, operator: str | None, app_id: int, pairs: Sequence[str], on: date
) -> AmendReport:
    """Correct a returned application (``field=value`` words) and submit it again;
    every problem at once."""
    actor = authorise(conn, operator, "applications.amend")
    changes, problems = parse_assignments(pairs)
    if problems:
        return AmendReport(app_id, problems=problems)
    stored = _pending(conn, actor, app_id, (ApplicationStatus.RETURNED,), on, "amend.not_returned")
    report = AmendReport(app_id)
    employed = _employed(conn, app_id)
    before = _sheet_values(stored, employed)
    app, errors = parse_application({**before, **changes})
    if app is None:
        report.problems = [Problem(None, e.column, e.code, e.params) for e in errors]
        return report
    was, now = _content(_as_stored(before)), _content(app)
    report.changed = [k for k in now if now[k] != was[k]]
    if not report.changed:
        report.problems = [Problem(None, None, "amend.nothing_changed", {})]
        return report
    policy = in_force(conn, on)
    results = screen(candidate(app, on), policy.policy, _facts(conn, stored, app))
    report.problems = [Problem(None, r.column, r.code, r.params) for r in failures(results)]
    if report.problems:
        return report
    report.policy_version = policy.version
    changed = {k: [_shown(k, was[k]), _shown(k, now[k])] for k in report.changed}
    amendment = _record(conn, actor, stored, before, changed, report, on)
    _update(conn, app_id, app, policy.version)
    record_decision(conn, app_id, Action.RESUBMIT, actor, on, policy.version, results, "")
    audit.record(
        conn,
        actor.name,
        "applications.amend",
        object_type="application",
        object_id=app_id,
        business_date=on,
        amendment=amendment,
        fields=report.changed,
    )
    return report


@dataclass(frozen=True, slots=True)
class AmendmentView:
    """One amendment as shown: when, by whom, each field changed (before, after)."""

    business_date: date
    operator: str
    changes: dict[str, list[str]]


def history(conn: Connection, app_id: int) -> list[AmendmentView]:
    """An application's amendments, oldest first (ID numbers in them already masked);
    the caller has already been allowed to see the application."""
    rows = conn.execute(
        select(_amend.c.business_date, _amend.c.operator, _amend.c.changes)
        .where(_amend.c.application_id == app_id)
        .order_by(_amend.c.id)
    )
    return [AmendmentView(r.business_date, r.operator, json.loads(r.changes)) for r in rows]


def withdraw(conn: Connection, operator: str | None, app_id: int, on: date, reason: str) -> None:
    """End a pending (submitted or returned) application; its applicant may apply again."""
    actor = authorise(conn, operator, "applications.withdraw")
    reason = check_text("reason", reason).strip()
    if not reason:
        raise InputError("decision.reason_needed")
    pending = (ApplicationStatus.SUBMITTED, ApplicationStatus.RETURNED)
    _pending(conn, actor, app_id, pending, on, "withdraw.not_pending")
    conn.execute(
        update(_apps).where(_apps.c.id == app_id).values(status=ApplicationStatus.WITHDRAWN)
    )
    policy = in_force(conn, on)
    record_decision(conn, app_id, Action.WITHDRAW, actor, on, policy.version, [], reason)


def _pending(
    conn: Connection,
    actor: Actor,
    app_id: int,
    statuses: tuple[ApplicationStatus, ...],
    on: date,
    refusal: str,
) -> StoredApplication:
    """The application (locked), if the actor may see it, it is in one of ``statuses``
    and ``on`` is not before its submission or its last decision."""
    stored = load_for_decision(conn, app_id)
    if actor.role == Role.COUNTY and stored.county_code != actor.county_code:
        raise NotFound("intake.no_such_application", id=app_id)
    if stored.status not in statuses:
        raise RuleBroken(refusal, id=app_id, status=stored.status)
    last = conn.scalar(
        select(func.max(_dec.c.business_date)).where(_dec.c.application_id == app_id)
    )
    latest = max(stored.submitted_on, last) if last is not None else stored.submitted_on
    if on < latest:
        raise RuleBroken("amend.before_last", id=app_id, date=latest.isoformat())
    return stored


def _employed(conn: Connection, app_id: int) -> list[str]:
    """The ID numbers an application employs, in order (sorted here: they are stored
    encrypted, so the database cannot order them)."""
    return sorted(conn.scalars(select(_emp.c.id_number).where(_emp.c.application_id == app_id)))


class _Amendable(Protocol):
    """What a stored application and a parsed one both carry of the amendable fields
    (read-only, as both are frozen)."""

    @property
    def phone(self) -> str: ...

    @property
    def registered_poor(self) -> bool: ...

    @property
    def project_name(self) -> str: ...

    @property
    def project_type(self) -> str | None: ...

    @property
    def industry(self) -> str | None: ...

    @property
    def instrument(self) -> Any: ...

    @property
    def amount_fen(self) -> int: ...

    @property
    def term_months(self) -> int | None: ...

    @property
    def bank(self) -> str | None: ...

    @property
    def local_support(self) -> Any: ...


def _sheet_values(r: StoredApplication, employed: Sequence[str]) -> dict[str, str]:
    """A stored application as the sheet row that would submit it (stored words, which
    the sheet's parsers take as they take the Chinese names)."""
    identity = {"ref": r.ref, "name": r.name, "id_number": r.id_number}
    return identity | {"county_code": r.county_code} | _amendable(r, employed)


def _content(app: ApplicationIn) -> dict[str, str]:
    """The amendable fields of an application, as comparable text."""
    return _amendable(app, sorted({e.number for e in app.employed}))


def _amendable(app: _Amendable, employed: Sequence[str]) -> dict[str, str]:
    """The fields an amendment may change, as the sheet's text."""
    return {
        "phone": app.phone,
        "registered_poor": "1" if app.registered_poor else "0",
        "project_name": app.project_name,
        "project_type": app.project_type or "",
        "industry": app.industry or "",
        "instrument": str(app.instrument),
        "amount": format_plain(app.amount_fen),
        "term_months": str(app.term_months) if app.term_months is not None else "",
        "bank": app.bank or "",
        "local_support": str(app.local_support) if app.local_support else "",
        "employed_poor_ids": ";".join(employed),
    }


def _facts(conn: Connection, stored: StoredApplication, app: ApplicationIn) -> Facts:
    """What the rules need from the database, the application itself left out."""
    opened = open_applications().subquery()
    instruments = frozenset(
        conn.scalars(
            select(opened.c.instrument).where(
                opened.c.applicant_id == stored.applicant_id, opened.c.id != stored.id
            )
        )
    )
    numbers = sorted({e.number for e in app.employed})
    return Facts(
        county_known=bool(known_codes(conn, {stored.county_code})),
        open_instruments=instruments,
        employed_elsewhere=employed_open(conn, numbers, besides=stored.id),
    )


def _as_stored(values: Mapping[str, str]) -> ApplicationIn:
    """The stored content, parsed as it was when it was taken."""
    app, errors = parse_application(values)
    if app is None:  # it passed these very checks when it was taken
        raise AssertionError(f"stored application no longer parses: {errors}")
    return app


def _record(
    conn: Connection,
    actor: Actor,
    stored: StoredApplication,
    before: Mapping[str, str],
    changed: Mapping[str, list[str]],
    report: AmendReport,
    on: date,
) -> int:
    """The append-only amendment row: the whole content before, the fields changed
    (ID numbers masked), who and when; its id."""
    row = {
        "application_id": stored.id,
        "county_code": stored.county_code,
        "business_date": on,
        "operator": actor.name,
        "recorded_at": utcnow(),
        "policy_version": report.policy_version,
        "changes": json.dumps(changed, ensure_ascii=False, sort_keys=True),
        "before": json.dumps(dict(before), ensure_ascii=False, sort_keys=True),
        "before_hash": stored.content_hash,
    }
    key = conn.execute(insert(_amend), row).inserted_primary_key
    assert key is not None  # an INSERT of one row has its primary key
    return int(key[0])


def _shown(key: str, value: str) -> str:
    """A field's value as an amendment records it: ID and phone numbers masked."""
    if key == "phone" and value:
        return mask_phone(value)
    if key != "employed_poor_ids" or not value:
        return value
    return ";".join(mask_id(n) for n in value.split(";"))


def _update(conn: Connection, app_id: int, app: ApplicationIn, version: int) -> None:
    """The application's current content, back in the queue as submitted."""
    conn.execute(
        update(_apps)
        .where(_apps.c.id == app_id)
        .values(
            phone=app.phone,
            registered_poor=app.registered_poor,
            project_name=app.project_name,
            project_type=app.project_type,
            industry=app.industry,
            instrument=app.instrument,
            amount_fen=app.amount_fen,
            term_months=app.term_months,
            bank=app.bank,
            local_support=app.local_support,
            status=ApplicationStatus.SUBMITTED,
            policy_version=version,
            content_hash=pii.cipher(conn).content_hash(app.content_hash()),
        )
    )
    conn.execute(delete(_emp).where(_emp.c.application_id == app_id))
    blind = pii.cipher(conn).blind
    employees = [
        {"application_id": app_id, "id_number": n, "id_number_hmac": blind(n)}
        for n in sorted({e.number for e in app.employed})
    ]
    if employees:
        conn.execute(insert(_emp), employees)
