"""Finance decides: approve (maker-checker, two approvals above a threshold), reject,
return to the county, and cancel an approval before any money has left.

Approval re-runs every eligibility rule under the policy in force on the decision
date, then reserves the facility's commitment under the fund lock, so two finance
operators approving at once can never together over-commit the fund. Each decision is
an append-only record of who, when, the policy version and the rule results seen.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date

from sqlalchemy import Connection, bindparam, exists, insert, select, update
from sqlalchemy.orm import aliased

from fundcore.domain.capacity import commitment
from fundcore.domain.decisions import (
    Action,
    OutcomeStatus,
    approvals_needed,
    grace_months,
    matching_pledged_fen,
)
from fundcore.domain.eligibility import RuleResult, failures
from fundcore.domain.errors import (
    Conflict,
    FundError,
    InputError,
    NotFound,
    NotPermitted,
    RuleBroken,
)
from fundcore.domain.local_support import matching_base_fen, matching_basis
from fundcore.domain.periods import month_of
from fundcore.domain.policy import PolicyInForce
from fundcore.domain.terms import ApplicationStatus, EntryKind, FacilityStatus, Instrument
from fundcore.domain.text import check_text
from fundcore.services import capacity
from fundcore.services.decision_records import (
    ApprovedFacility,
    DecisionRecord,
    Pending,
    approvals_since_submission_of,
    columns,
    decision_record,
    record_decision,
)
from fundcore.services.operators import Actor, authorise
from fundcore.services.policy import in_force
from fundcore.services.queue import (
    load_for_decision,
    load_many_for_decision,
    screen_application,
    screen_many,
)
from fundcore.store import audit, journal
from fundcore.store.models import Application, Decision, Facility, JournalEntry
from fundcore.store.rows import FacilityRow
from fundcore.store.tables import table_of

_apps = table_of(Application)
_dec = table_of(Decision)
_fac = table_of(Facility)
_Audit = tuple[str | None, object, date | None, dict[str, object]]


@dataclass(frozen=True, slots=True)
class Outcome:
    application_id: int
    status: OutcomeStatus
    approvals: int = 0
    needed: int = 0
    #: the county's matching the opened facility waits for, and what it is 1:1 of
    matching_fen: int = 0
    matching_basis: str | None = None
    matching_base_fen: int = 0


@dataclass
class DecideReport:
    """What a batch of approvals did: an outcome per application, or its refusal."""

    outcomes: list[Outcome] = field(default_factory=list)
    problems: list[tuple[int, FundError]] = field(default_factory=list)


def approve(
    conn: Connection,
    operator: str | None,
    app_id: int,
    on: date,
    note: str = "",
    grace: int | None = None,
) -> Outcome:
    """Approve one application; ``grace`` overrides the policy's ``bank_grace_months``
    for the guarantee it opens (only on the approval that opens it)."""
    report = approve_many(conn, operator, [app_id], on, note, grace)
    if report.problems:
        raise report.problems[0][1]
    return report.outcomes[0]


@dataclass(frozen=True, slots=True)
class _Approving:
    """What every approval of one batch is decided against, read once under the lock."""

    actor: Actor
    on: date
    policy: PolicyInForce
    rows: dict[int, Pending]
    screened: dict[int, list[RuleResult]]
    #: who approved each application so far (kept up to date as the batch approves)
    prior: dict[int, list[str]]
    room: capacity.Room
    note: str
    #: the approval's grace months for the guarantees it opens (None: the policy's)
    grace: int | None = None


def approve_many(
    conn: Connection,
    operator: str | None,
    app_ids: Sequence[int],
    on: date,
    note: str = "",
    grace: int | None = None,
) -> DecideReport:
    """Approve applications in one transaction, each under the same rules as ``approve``:
    maker-checker, every eligibility rule re-run, the fund's room checked under the lock
    (each approval sees the commitments of those before it). A refused one is reported
    and the others go ahead; the caller decides whether to commit."""
    actor = authorise(conn, operator, "decisions.decide")
    capacity.lock_fund(conn)
    loaded = load_many_for_decision(conn, app_ids)
    rows = {i: Pending.of(r) for i, r in loaded.items()}
    policy = in_force(conn, on)
    submitted = [loaded[i] for i, r in rows.items() if r.status == ApplicationStatus.SUBMITTED]
    screened = screen_many(conn, submitted, on, policy)
    prior = approvals_since_submission_of(conn, list(rows))
    room = capacity.Room(conn, policy.policy, list(rows))
    ctx = _Approving(actor, on, policy, rows, screened, prior, room, note, grace)
    batch = _Batch()
    report = DecideReport()
    for app_id in app_ids:
        try:
            report.outcomes.append(_approve_one(ctx, batch, app_id))
        except FundError as err:
            report.problems.append((app_id, err))
    batch.write(conn, actor, on)
    return report


@dataclass
class _Batch:
    decisions: list[DecisionRecord] = field(default_factory=list)
    facilities: list[ApprovedFacility] = field(default_factory=list)
    approved: list[int] = field(default_factory=list)
    audits: list[_Audit] = field(default_factory=list)

    def write(self, conn: Connection, actor: Actor, on: date) -> None:
        journal.refuse_closed_months(conn, {month_of(on)})  # a decision is a dated fact
        if self.facilities:
            conn.execute(insert(_fac), [columns(f) for f in self.facilities])
        if self.approved:
            conn.execute(
                update(_apps)
                .where(_apps.c.id == bindparam("aid"))
                .values(status=ApplicationStatus.APPROVED),
                [{"aid": i} for i in self.approved],
            )
        if self.decisions:
            conn.execute(insert(_dec), [columns(d) for d in self.decisions])
        audit.record_many(conn, actor.name, "applications.approve", self.audits)


def _approve_one(ctx: _Approving, batch: _Batch, app_id: int) -> Outcome:
    """One approval of the batch: checked, recorded, and the facility opened if it is
    the last approval needed."""
    row = _approvable(ctx, batch, app_id)
    results = ctx.screened[app_id]
    failed = failures(results)
    if failed:
        first, *rest = failed
        raise RuleBroken(first.code, **first.params).also([(r.code, r.params) for r in rest])
    before = ctx.prior[app_id]
    if ctx.actor.name in before:
        raise Conflict("decision.already_approved_by", id=app_id, name=ctx.actor.name)
    needed = approvals_needed(row.amount_fen, ctx.policy.policy)
    if ctx.grace is not None and len(before) + 1 < needed:
        raise RuleBroken(
            "decision.grace_on_opening_approval", id=app_id, approval=len(before) + 1, needed=needed
        )
    opened: ApprovedFacility | None = None
    if len(before) + 1 >= needed:
        opened = _open_facility(row, ctx, batch)
        batch.approved.append(app_id)
    before.append(ctx.actor.name)
    batch.decisions.append(
        decision_record(
            app_id, Action.APPROVE, ctx.actor, ctx.on, ctx.policy.version, results, ctx.note
        )
    )
    batch.audits.append(("application", app_id, ctx.on, {"note": ctx.note}))
    if opened is None:
        return Outcome(app_id, OutcomeStatus.AWAITING_SECOND_APPROVAL, len(before), needed)
    out = Outcome(app_id, OutcomeStatus.APPROVED, len(before), needed)
    if not opened.matching_required_fen:
        return out
    basis = matching_basis(opened.instrument, ctx.policy.policy)
    base = matching_base_fen(basis, opened.principal_fen, opened.deposit_fen)
    return replace(
        out, matching_fen=opened.matching_required_fen, matching_basis=basis, matching_base_fen=base
    )


def _approvable(ctx: _Approving, batch: _Batch, app_id: int) -> Pending:
    """The application, if it is submitted (and not approved already in this batch),
    submitted by someone else (maker-checker), and on or before the decision date."""
    row = ctx.rows.get(app_id)
    if row is None:
        raise NotFound("intake.no_such_application", id=app_id)
    if row.status != ApplicationStatus.SUBMITTED or app_id in batch.approved:
        status = ApplicationStatus.APPROVED if app_id in batch.approved else row.status
        raise RuleBroken("decision.not_submitted", id=app_id, status=status)
    if row.submitted_by == ctx.actor.name:
        raise NotPermitted("decision.maker_checker", id=app_id, name=ctx.actor.name)
    if ctx.on < row.submitted_on:
        raise RuleBroken("decision.before_submission", date=row.submitted_on.isoformat())
    return row


def _open_facility(row: Pending, ctx: _Approving, batch: _Batch) -> ApprovedFacility:
    """Reserve the commitment (or refuse it: cash, leverage, county and borrower limits)
    and open the facility. The county's matching it waits for is recorded on the
    facility (the local-support register's commitment) and posts nothing: it is the
    county's money, not the fund's, so it raises neither net assets nor the room."""
    p = ctx.policy.policy
    grace = grace_months(row.id, row.instrument, row.term_months, p, ctx.grace)
    c = commitment(row.instrument, row.amount_fen, p)
    ctx.room.take(c.cash_fen, c.exposure_fen, row.county_code, row.id)
    matching = matching_pledged_fen(
        row.instrument, row.local_support, row.amount_fen, c.deposit_fen, p
    )
    guarantee = row.instrument == Instrument.GUARANTEE
    fac = ApprovedFacility(
        id=row.id,
        instrument=row.instrument,
        county_code=row.county_code,
        applicant_id=row.applicant_id,
        principal_fen=row.amount_fen,
        term_months=row.term_months,
        status=FacilityStatus.APPROVED,
        approved_on=ctx.on,
        policy_version=ctx.policy.version,
        committed_fen=c.cash_fen,
        local_support_kind=None if row.instrument == Instrument.GRANT else row.local_support,
        matching_required_fen=matching,
        bank=row.bank,
        deposit_bp=p.guarantee_deposit_bp if guarantee else 0,
        deposit_fen=c.deposit_fen,
        coverage_bp=p.guarantee_coverage_bp if guarantee else 0,
        exposure_fen=c.exposure_fen,
        grace_months=grace,
    )
    batch.facilities.append(fac)
    return fac


def reject(
    conn: Connection,
    operator: str | None,
    app_id: int,
    on: date,
    reason: str,
    action: str = Action.REJECT,
) -> Outcome:
    """Reject (or, with action='return', return to the county for more information)."""
    actor = authorise(conn, operator, "decisions.decide")
    reason = check_text("reason", reason).strip()
    if not reason:
        raise InputError("decision.reason_needed")
    loaded = load_for_decision(conn, app_id)
    row = Pending.of(loaded)
    if row.status != ApplicationStatus.SUBMITTED:
        raise RuleBroken("decision.not_submitted", id=app_id, status=row.status)
    rejecting = action == Action.REJECT
    status = OutcomeStatus.REJECTED if rejecting else OutcomeStatus.RETURNED
    policy = in_force(conn, on)
    results = screen_application(conn, loaded, on, policy)
    conn.execute(update(_apps).where(_apps.c.id == app_id).values(status=status))
    record_decision(conn, app_id, Action(action), actor, on, policy.version, results, reason)
    return Outcome(app_id, status)


def cancel(conn: Connection, operator: str | None, app_id: int, on: date, reason: str) -> Outcome:
    """Cancel an approval before disbursement; its commitment is released."""
    actor = authorise(conn, operator, "decisions.decide")
    reason = check_text("reason", reason).strip()
    if not reason:
        raise InputError("decision.reason_needed")
    capacity.lock_fund(conn)
    row = conn.execute(select(_fac).where(_fac.c.id == app_id).with_for_update()).first()
    fac = FacilityRow.from_row(row) if row is not None else None
    if fac is None or fac.status != FacilityStatus.APPROVED:
        raise RuleBroken(
            "decision.not_cancellable", id=app_id, status=fac.status if fac else "none"
        )
    if _entry_of(conn, app_id, EntryKind.MATCHING_RECEIPT) is not None:
        raise RuleBroken("decision.matching_received", id=app_id)
    pledge = _entry_of(conn, app_id, EntryKind.MATCHING_PLEDGE)
    if pledge is not None:  # a pledge booked before matching left the ledger
        journal.reverse(conn, pledge, on, actor.name, f"approval cancelled: {reason}")
    conn.execute(
        update(_fac)
        .where(_fac.c.id == app_id)
        .values(status=FacilityStatus.CANCELLED, committed_fen=0, exposure_fen=0)
    )
    policy = in_force(conn, on)
    record_decision(conn, app_id, Action.CANCEL, actor, on, policy.version, [], reason)
    return Outcome(app_id, OutcomeStatus.CANCELLED)


def _entry_of(conn: Connection, facility_id: int, kind: EntryKind) -> int | None:
    """The seq of the facility's entry of ``kind`` that no reversal undid, if any (an old
    matching pledge or receipt the migration reversed counts no more)."""
    undone = aliased(JournalEntry)
    return conn.scalar(
        select(JournalEntry.seq).where(
            JournalEntry.object_type == "facility",
            JournalEntry.object_id == str(facility_id),
            JournalEntry.kind == kind,
            ~exists().where(undone.reverses_seq == JournalEntry.seq),
        )
    )
