"""Finance decides: approve (maker-checker, two approvals above a threshold), reject,
return to the county, and cancel an approval before any money has left.

Approval re-runs every eligibility rule under the policy in force on the decision
date, then reserves the facility's commitment under the fund lock, so two finance
operators approving at once can never together over-commit the fund. Each decision is
an append-only record of who, when, the policy version and the rule results seen.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import Connection, bindparam, insert, select, update

from fundcore.domain import chart
from fundcore.domain.eligibility import RuleResult, failures
from fundcore.domain.errors import (
    Conflict,
    FundError,
    InputError,
    NotFound,
    NotPermitted,
    RuleBroken,
)
from fundcore.domain.ledger import EntryDraft, credit, debit
from fundcore.domain.money import share_fen
from fundcore.domain.policy import Policy, PolicyInForce
from fundcore.services import capacity
from fundcore.services.operators import Actor, authorise
from fundcore.services.policy import in_force
from fundcore.services.queue import (
    load_for_decision,
    load_many_for_decision,
    screen_application,
    screen_many,
)
from fundcore.store import audit, journal
from fundcore.store.bulk import CHUNK
from fundcore.store.clock import utcnow
from fundcore.store.models import Application, Decision, Facility, JournalEntry

_apps = Application.__table__
_dec = Decision.__table__
_fac = Facility.__table__


@dataclass(frozen=True, slots=True)
class Outcome:
    application_id: int
    status: str  # 'approved', 'awaiting_second_approval', 'rejected', 'returned', 'cancelled'
    approvals: int = 0
    needed: int = 0


def _decision_row(
    app_id: int,
    action: str,
    actor: Actor,
    on: date,
    version: int,
    results: list[RuleResult],
    note: str,
) -> dict[str, object]:
    rules = [
        {"rule": r.rule, "passed": r.passed, "code": r.code, "params": r.params} for r in results
    ]
    return {
        "application_id": app_id,
        "action": action,
        "operator": actor.name,
        "business_date": on,
        "recorded_at": utcnow(),
        "policy_version": version,
        "note": note,
        "rules": json.dumps(rules, ensure_ascii=False, default=str),
    }


def _record(
    conn: Connection,
    app_id: int,
    action: str,
    actor: Actor,
    on: date,
    version: int,
    results: list[RuleResult],
    note: str,
) -> None:
    conn.execute(
        insert(_dec).values(_decision_row(app_id, action, actor, on, version, results, note))
    )
    audit.record(
        conn,
        actor.name,
        f"applications.{action}",
        object_type="application",
        object_id=app_id,
        business_date=on,
        note=note,
    )


def _approvals_since_submission(conn: Connection, app_ids: Sequence[int]) -> dict[int, list[str]]:
    """Operators who approved each application since it was last (re)submitted."""
    names: dict[int, list[str]] = {i: [] for i in app_ids}
    ordered = sorted(set(app_ids))
    for i in range(0, len(ordered), CHUNK):
        rows = conn.execute(
            select(_dec.c.application_id, _dec.c.action, _dec.c.operator)
            .where(_dec.c.application_id.in_(ordered[i : i + CHUNK]))
            .order_by(_dec.c.id)
        ).all()
        for app_id, action, operator in rows:
            if action in ("return", "reject", "cancel"):
                names[app_id] = []
            if action == "approve":
                names[app_id].append(operator)
    return names


@dataclass
class DecideReport:
    """What a batch of approvals did: an outcome per application, or its refusal."""

    outcomes: list[Outcome] = field(default_factory=list)
    problems: list[tuple[int, FundError]] = field(default_factory=list)


def approve(
    conn: Connection, operator: str | None, app_id: int, on: date, note: str = ""
) -> Outcome:
    report = approve_many(conn, operator, [app_id], on, note)
    if report.problems:
        raise report.problems[0][1]
    return report.outcomes[0]


def approve_many(
    conn: Connection, operator: str | None, app_ids: Sequence[int], on: date, note: str = ""
) -> DecideReport:
    """Approve applications in one transaction, each under the same rules as ``approve``:
    maker-checker, every eligibility rule re-run, the fund's room checked under the lock
    (each approval sees the commitments of those before it). A refused one is reported
    and the others go ahead; the caller decides whether to commit."""
    actor = authorise(conn, operator, "decisions.decide")
    capacity.lock_fund(conn)
    rows = load_many_for_decision(conn, app_ids)
    policy = in_force(conn, on)
    screened = screen_many(conn, [r for r in rows.values() if r.status == "submitted"], on, policy)
    prior = _approvals_since_submission(conn, list(rows))
    room = capacity.Room(conn, policy.policy)
    batch = _Batch()
    report = DecideReport()
    for app_id in app_ids:
        try:
            report.outcomes.append(
                _approve_one(rows, app_id, actor, on, policy, screened, prior, room, batch, note)
            )
        except FundError as err:
            report.problems.append((app_id, err))
    batch.write(conn, actor, on)
    return report


@dataclass
class _Batch:
    decisions: list[dict[str, object]] = field(default_factory=list)
    facilities: list[dict[str, object]] = field(default_factory=list)
    approved: list[int] = field(default_factory=list)
    pledges: list[EntryDraft] = field(default_factory=list)
    audits: list[tuple[str | None, object, date | None, dict[str, object]]] = field(
        default_factory=list
    )

    def write(self, conn: Connection, actor: Actor, on: date) -> None:
        if self.facilities:
            conn.execute(insert(_fac), self.facilities)
        if self.approved:
            conn.execute(
                update(_apps).where(_apps.c.id == bindparam("aid")).values(status="approved"),
                [{"aid": i} for i in self.approved],
            )
        if self.pledges:
            journal.post_many(conn, self.pledges)
        if self.decisions:
            conn.execute(insert(_dec), self.decisions)
        audit.record_many(conn, actor.name, "applications.approve", self.audits)


def _approve_one(
    rows: dict[int, object],
    app_id: int,
    actor: Actor,
    on: date,
    policy: PolicyInForce,
    screened: dict[int, list[RuleResult]],
    prior: dict[int, list[str]],
    room: capacity.Room,
    batch: _Batch,
    note: str,
) -> Outcome:
    row = rows.get(app_id)
    if row is None:
        raise NotFound("intake.no_such_application", id=app_id)
    if row.status != "submitted" or app_id in batch.approved:
        status = "approved" if app_id in batch.approved else row.status
        raise RuleBroken("decision.not_submitted", id=app_id, status=status)
    if row.submitted_by == actor.name:
        raise NotPermitted("decision.maker_checker", id=app_id, name=actor.name)
    if on < row.submitted_on:
        raise RuleBroken("decision.before_submission", date=row.submitted_on.isoformat())
    results = screened[app_id]
    failed = failures(results)
    if failed:
        first, *rest = failed
        raise RuleBroken(first.code, **first.params).also([(r.code, r.params) for r in rest])
    before = prior[app_id]
    if actor.name in before:
        raise Conflict("decision.already_approved_by", id=app_id, name=actor.name)
    needed = 2 if row.amount_fen > policy.policy.two_approvals_above_fen else 1
    if len(before) + 1 >= needed:
        _open_facility(row, policy, on, actor.name, room, batch)
        batch.approved.append(app_id)
    before.append(actor.name)
    batch.decisions.append(
        _decision_row(app_id, "approve", actor, on, policy.version, results, note)
    )
    batch.audits.append(("application", app_id, on, {"note": note}))
    if len(before) < needed:
        return Outcome(app_id, "awaiting_second_approval", len(before), needed)
    return Outcome(app_id, "approved", len(before), needed)


def commitment(instrument: str, principal_fen: int, p: Policy) -> tuple[int, int, int]:
    """(cash reserved, guarantee exposure, deposit) an approval takes from the fund."""
    if instrument == "guarantee":
        deposit = share_fen(principal_fen, p.guarantee_deposit_bp)
        return deposit, share_fen(principal_fen, p.guarantee_coverage_bp), deposit
    return principal_fen, 0, 0


def _open_facility(
    row: object,
    policy: PolicyInForce,
    on: date,
    approver: str,
    room: capacity.Room,
    batch: _Batch,
) -> None:
    p = policy.policy
    cash, exposure, deposit = commitment(row.instrument, row.amount_fen, p)
    room.take(cash, exposure, row.county_code)
    matching = 0
    if row.instrument != "grant" and row.local_support == "matching":
        matching = share_fen(row.amount_fen, p.matching_ratio_bp)
    batch.facilities.append(
        dict(
            id=row.id,
            instrument=row.instrument,
            county_code=row.county_code,
            applicant_id=row.applicant_id,
            principal_fen=row.amount_fen,
            term_months=row.term_months,
            status="approved",
            approved_on=on,
            policy_version=policy.version,
            committed_fen=cash,
            local_support_kind=None if row.instrument == "grant" else row.local_support,
            matching_required_fen=matching,
            bank=row.bank,
            deposit_bp=p.guarantee_deposit_bp if row.instrument == "guarantee" else 0,
            deposit_fen=deposit,
            coverage_bp=p.guarantee_coverage_bp if row.instrument == "guarantee" else 0,
            exposure_fen=exposure,
            annual_rate_bp=None,
            disbursed_on=None,
        )
    )
    if matching:
        room.add_net_assets(matching)
        batch.pledges.append(
            EntryDraft(
                on,
                "matching.pledge",
                approver,
                (
                    debit(chart.MATCHING_RECEIVABLE, matching),
                    credit(chart.DONATIONS_RESTRICTED, matching),
                ),
                object_type="facility",
                object_id=str(row.id),
                memo="1:1 matching pledged by the county",
            )
        )


def reject(
    conn: Connection,
    operator: str | None,
    app_id: int,
    on: date,
    reason: str,
    action: str = "reject",
) -> Outcome:
    """Reject (or, with action='return', return to the county for more information)."""
    actor = authorise(conn, operator, "decisions.decide")
    reason = reason.strip()
    if not reason:
        raise InputError("decision.reason_needed")
    row = load_for_decision(conn, app_id)
    if row.status != "submitted":
        raise RuleBroken("decision.not_submitted", id=app_id, status=row.status)
    status = "rejected" if action == "reject" else "returned"
    policy = in_force(conn, on)
    results = screen_application(conn, row, on, policy)
    conn.execute(update(_apps).where(_apps.c.id == app_id).values(status=status))
    _record(conn, app_id, action, actor, on, policy.version, results, reason)
    return Outcome(app_id, status)


def cancel(conn: Connection, operator: str | None, app_id: int, on: date, reason: str) -> Outcome:
    """Cancel an approval before disbursement; its commitment is released."""
    actor = authorise(conn, operator, "decisions.decide")
    reason = reason.strip()
    if not reason:
        raise InputError("decision.reason_needed")
    capacity.lock_fund(conn)
    fac = conn.execute(select(_fac).where(_fac.c.id == app_id).with_for_update()).first()
    if fac is None or fac.status != "approved":
        raise RuleBroken(
            "decision.not_cancellable", id=app_id, status=fac.status if fac else "none"
        )
    pledge = conn.scalar(
        select(JournalEntry.seq).where(
            JournalEntry.object_type == "facility",
            JournalEntry.object_id == str(app_id),
            JournalEntry.kind == "matching.pledge",
        )
    )
    received = conn.scalar(
        select(JournalEntry.seq).where(
            JournalEntry.object_type == "facility",
            JournalEntry.object_id == str(app_id),
            JournalEntry.kind == "matching.receipt",
        )
    )
    if received is not None:
        raise RuleBroken("decision.matching_received", id=app_id)
    if pledge is not None:
        journal.reverse(conn, pledge, on, actor.name, f"approval cancelled: {reason}")
    conn.execute(
        update(_fac)
        .where(_fac.c.id == app_id)
        .values(status="cancelled", committed_fen=0, exposure_fen=0)
    )
    policy = in_force(conn, on)
    _record(conn, app_id, "cancel", actor, on, policy.version, [], reason)
    return Outcome(app_id, "cancelled")
