"""Finance decides: approve (maker-checker, two approvals above a threshold), reject,
return to the county, and cancel an approval before any money has left.

Approval re-runs every eligibility rule under the policy in force on the decision
date, then reserves the facility's commitment under the fund lock, so two finance
operators approving at once can never together over-commit the fund. Each decision is
an append-only record of who, when, the policy version and the rule results seen.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Connection, insert, select, update

from fundcore import audit, capacity, chart, journal
from fundcore.clock import utcnow
from fundcore.eligibility import RuleResult, failures
from fundcore.errors import Conflict, InputError, NotPermitted, RuleBroken
from fundcore.ledger import EntryDraft, credit, debit
from fundcore.models import Application, Decision, Facility, JournalEntry
from fundcore.operators import Actor, authorise
from fundcore.policy import Policy, PolicyInForce, in_force
from fundcore.queue import load_for_decision, screen_application

_apps = Application.__table__
_dec = Decision.__table__
_fac = Facility.__table__


@dataclass(frozen=True, slots=True)
class Outcome:
    application_id: int
    status: str  # 'approved', 'awaiting_second_approval', 'rejected', 'returned', 'cancelled'
    approvals: int = 0
    needed: int = 0


def _half_up(amount_fen: int, bp: int) -> int:
    """amount x bp / 10,000, rounded half up to the fen, in integers."""
    return (amount_fen * bp + 5_000) // 10_000


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
    rules = [
        {"rule": r.rule, "passed": r.passed, "code": r.code, "params": r.params} for r in results
    ]
    conn.execute(
        insert(_dec).values(
            application_id=app_id,
            action=action,
            operator=actor.name,
            business_date=on,
            recorded_at=utcnow(),
            policy_version=version,
            note=note,
            rules=json.dumps(rules, ensure_ascii=False, default=str),
        )
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


def _approvals_since_submission(conn: Connection, app_id: int) -> list[str]:
    """Operators who approved since the application was last (re)submitted."""
    rows = conn.execute(
        select(_dec.c.action, _dec.c.operator)
        .where(_dec.c.application_id == app_id)
        .order_by(_dec.c.id)
    ).all()
    names: list[str] = []
    for action, operator in rows:
        names = [] if action in ("return", "reject", "cancel") else names
        if action == "approve":
            names.append(operator)
    return names


def approve(
    conn: Connection, operator: str | None, app_id: int, on: date, note: str = ""
) -> Outcome:
    actor = authorise(conn, operator, "decisions.decide")
    capacity.lock_fund(conn)
    row = load_for_decision(conn, app_id)
    if row.status != "submitted":
        raise RuleBroken("decision.not_submitted", id=app_id, status=row.status)
    if row.submitted_by == actor.name:
        raise NotPermitted("decision.maker_checker", id=app_id, name=actor.name)
    if on < row.submitted_on:
        raise RuleBroken("decision.before_submission", date=row.submitted_on.isoformat())
    policy = in_force(conn, on)
    results = screen_application(conn, row, on, policy)
    failed = failures(results)
    if failed:
        first, *rest = failed
        raise RuleBroken(first.code, **first.params).also([(r.code, r.params) for r in rest])
    prior = _approvals_since_submission(conn, app_id)
    if actor.name in prior:
        raise Conflict("decision.already_approved_by", id=app_id, name=actor.name)
    needed = 2 if row.amount_fen > policy.policy.two_approvals_above_fen else 1
    if len(prior) + 1 < needed:
        _record(conn, app_id, "approve", actor, on, policy.version, results, note)
        return Outcome(app_id, "awaiting_second_approval", len(prior) + 1, needed)
    _open_facility(conn, row, policy, on, actor.name)

    conn.execute(update(_apps).where(_apps.c.id == app_id).values(status="approved"))
    _record(conn, app_id, "approve", actor, on, policy.version, results, note)
    return Outcome(app_id, "approved", len(prior) + 1, needed)


def commitment(instrument: str, principal_fen: int, p: Policy) -> tuple[int, int, int]:
    """(cash reserved, guarantee exposure, deposit) an approval takes from the fund."""
    if instrument == "guarantee":
        deposit = _half_up(principal_fen, p.guarantee_deposit_bp)
        return deposit, _half_up(principal_fen, p.guarantee_coverage_bp), deposit
    return principal_fen, 0, 0


def _open_facility(
    conn: Connection, row: object, policy: PolicyInForce, on: date, approver: str
) -> None:
    p = policy.policy
    cash, exposure, deposit = commitment(row.instrument, row.amount_fen, p)
    capacity.check_room(conn, p, cash, exposure, row.county_code)
    matching = 0
    if row.instrument != "grant" and row.local_support == "matching":
        matching = _half_up(row.amount_fen, p.matching_ratio_bp)
    conn.execute(
        insert(_fac).values(
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
        )
    )
    if matching:
        journal.post(
            conn,
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
            ),
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
