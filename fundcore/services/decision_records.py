"""Decisions as stored: the application a decision reads, the append-only decision
record, and the facility an approval opens, each a typed value converted at the edge.

Every decision (approve, reject, return, cancel) is a new ``decisions`` row naming the
operator, the business date, the policy version and the rule results seen; nothing is
updated in place, so who approved an application since it was last (re)submitted is
read from its history.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Self

from sqlalchemy import Connection, insert, select

from fundcore.domain.decisions import Action, approvers_since_submission
from fundcore.domain.eligibility import RuleResult
from fundcore.domain.periods import month_of
from fundcore.domain.terms import ApplicationStatus, FacilityStatus, Instrument
from fundcore.services.operators import Actor
from fundcore.store import audit, journal
from fundcore.store.bulk import chunks
from fundcore.store.clock import utcnow
from fundcore.store.models import Decision
from fundcore.store.tables import table_of

_dec = table_of(Decision)


@dataclass(frozen=True, slots=True)
class Pending:
    """An application as a decision reads it (from the row the queue loads)."""

    id: int
    status: ApplicationStatus
    submitted_by: str
    submitted_on: date
    instrument: Instrument
    county_code: str
    applicant_id: int
    amount_fen: int
    term_months: int | None
    bank: str | None
    local_support: str | None

    @classmethod
    def of(cls, row: object) -> Self:
        """From a Core row, or any value with these attributes, converted once."""
        values = {f.name: getattr(row, f.name) for f in dataclasses.fields(cls)}
        values["status"] = ApplicationStatus(values["status"])
        values["instrument"] = Instrument(values["instrument"])
        return cls(**values)


@dataclass(frozen=True, slots=True)
class DecisionRecord:
    """One append-only row of ``decisions``: who decided what, when, under which policy
    version, with the rule results seen (JSON)."""

    application_id: int
    action: Action
    operator: str
    business_date: date
    recorded_at: datetime
    policy_version: int
    note: str
    rules: str


@dataclass(frozen=True, slots=True)
class ApprovedFacility:
    """The facility an approval opens: its commitment reserved, not yet paid out."""

    id: int
    instrument: Instrument
    county_code: str
    applicant_id: int
    principal_fen: int
    term_months: int | None
    status: FacilityStatus
    approved_on: date
    policy_version: int
    committed_fen: int
    local_support_kind: str | None
    matching_required_fen: int
    bank: str | None
    deposit_bp: int
    deposit_fen: int
    coverage_bp: int
    exposure_fen: int
    grace_months: int = 0
    annual_rate_bp: int | None = None
    disbursed_on: date | None = None


def columns(value: DecisionRecord | ApprovedFacility) -> dict[str, object]:
    """A record's values by column name, for an INSERT."""
    return {f.name: getattr(value, f.name) for f in dataclasses.fields(value)}


def decision_record(
    app_id: int,
    action: Action,
    actor: Actor,
    on: date,
    version: int,
    results: list[RuleResult],
    note: str,
) -> DecisionRecord:
    rules = [
        {"rule": r.rule, "passed": r.passed, "code": r.code, "params": r.params} for r in results
    ]
    return DecisionRecord(
        application_id=app_id,
        action=action,
        operator=actor.name,
        business_date=on,
        recorded_at=utcnow(),
        policy_version=version,
        note=note,
        rules=json.dumps(rules, ensure_ascii=False, default=str),
    )


def record_decision(
    conn: Connection,
    app_id: int,
    action: Action,
    actor: Actor,
    on: date,
    version: int,
    results: list[RuleResult],
    note: str,
) -> None:
    journal.refuse_closed_months(conn, {month_of(on)})  # a decision is a dated fact
    row = decision_record(app_id, action, actor, on, version, results, note)
    conn.execute(insert(_dec).values(columns(row)))
    audit.record(
        conn,
        actor.name,
        f"applications.{action}",
        object_type="application",
        object_id=app_id,
        business_date=on,
        note=note,
    )


def approvals_since_submission_of(conn: Connection, app_ids: Sequence[int]) -> dict[int, list[str]]:
    """Operators who approved each application since it was last (re)submitted."""
    history: dict[int, list[tuple[str, str]]] = {i: [] for i in app_ids}
    for chunk in chunks(sorted(set(app_ids))):
        rows = conn.execute(
            select(_dec.c.application_id, _dec.c.action, _dec.c.operator)
            .where(_dec.c.application_id.in_(chunk))
            .order_by(_dec.c.id)
        ).all()
        for app_id, action, operator in rows:
            history[app_id].append((action, operator))
    return {i: approvers_since_submission(h) for i, h in history.items()}
