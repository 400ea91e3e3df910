"""Repayments: applied to the oldest instalment due first, idempotent by reference.

A repayment dated D pays what is due on or before D, oldest first (for a bank loan:
each instalment's interest, then its principal); anything beyond pays the next
instalments ahead, in order, so that paying early never leaves a borrower overdue. Only
an explicit prepayment (``RepaymentIn.prepay``, ``fund repay --prepay``) or a policy
whose ``prepayment_order`` is ``last`` makes the rest shorten the term (the last
instalments first). More than is owed is refused. The same ref with the same
particulars is a no-op that says so; the same ref with different particulars is refused.

Batch-shaped: ``repay_many`` loads the facilities, their instalments and the refs of a
whole bank file with one query each, allocates in memory, then writes in bulk. A loan
repayment posts bank against loans receivable; a guaranteed bank loan's repayment moves
no fund money but lowers the exposure, and its last one releases the deposit.

What a guaranteed bank loan's borrower owes of each instalment's interest is the
interest less its subsidy (贴息), which the fund pays the bank (``services.subsidies``):
paying principal + interest − subsidy settles an instalment. An interest-free loan
whose county share was called owes only the borrower's part (``outstanding_fen``): a
payment beyond it is refused.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date

from sqlalchemy import Connection, or_, select

from fundcore.domain.errors import FundError
from fundcore.domain.ledger import EntryDraft
from fundcore.domain.money import share_fen
from fundcore.domain.periods import month_of
from fundcore.domain.postings.repayment import (
    DepositReleased,
    LoanRepaid,
    deposit_release,
    loan_repayment,
)
from fundcore.domain.refs import check_ref, normalise_ref
from fundcore.domain.repayments import SHORTEN, Allocation, Due, RepaymentIn, allocate
from fundcore.domain.replay import check_replay
from fundcore.domain.terms import SERVICED, FacilityStatus, Instrument
from fundcore.services import capacity
from fundcore.services.operators import authorise
from fundcore.services.policy import in_force
from fundcore.store import audit, facts, journal
from fundcore.store.bulk import chunks, insert_rows, update_rows
from fundcore.store.models import Facility, Instalment, Repayment
from fundcore.store.rows import FacilityRow
from fundcore.store.tables import table_of

# declarative models type ``__table__`` as a FromClause; these are Tables
_fac = table_of(Facility)
_inst = table_of(Instalment)
_rep = table_of(Repayment)


@dataclass
class RepayReport:
    """What a batch did: each repayment applied (with its principal and interest), each
    unchanged replay, and each one refused with why."""

    applied: list[tuple[RepaymentIn, int, int]] = field(default_factory=list)
    replayed: list[RepaymentIn] = field(default_factory=list)
    problems: list[tuple[RepaymentIn, FundError]] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class _Recorded:
    """A repayment ref already recorded: what it was for, to hold a replay against."""

    facility_id: int
    amount_fen: int
    business_date: date


@dataclass
class _Batch:
    """A batch's state while it is allocated: facilities and plans as they become, the
    plans as loaded (to write back only the instalments that changed), the refs seen."""

    facs: dict[int, FacilityRow]
    loaded: dict[int, tuple[Due, ...]]
    seen: dict[str, _Recorded]
    order: str
    plans: dict[int, tuple[Due, ...]] = field(default_factory=dict)
    applied: list[tuple[RepaymentIn, Allocation]] = field(default_factory=list)
    entries: list[EntryDraft] = field(default_factory=list)
    #: facilities in the order a repayment was first applied to them
    touched: dict[int, None] = field(default_factory=dict)
    released: set[int] = field(default_factory=set)
    #: what each repayment paid of each instalment, as dated facts
    allocations: list[dict[str, object]] = field(default_factory=list)
    #: the closed months among the batch's dates (nothing may be dated in them)
    closed: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        self.plans = dict(self.loaded)


def repay_many(
    conn: Connection, operator: str | None, items: Sequence[RepaymentIn], on: date | None = None
) -> RepayReport:
    """Apply a batch of repayments (e.g. a bank's file) in one transaction."""
    actor = authorise(conn, operator, "repayments.record")
    capacity.lock_fund(conn)  # lock order: the fund, then facilities (as day close does)
    report = RepayReport()
    if not items:
        return report
    items = [replace(i, ref=normalise_ref(i.ref)) for i in items]  # checked row by row
    facs = _facilities(conn, {i.facility_id for i in items})
    batch = _Batch(
        facs=facs,
        loaded=_plans(conn, items, set(facs)),
        seen=_existing_refs(conn, [i.ref for i in items]),
        order=in_force(conn, on or max(i.business_date for i in items)).policy.prepayment_order,
        closed=journal.closed_months(conn, {month_of(i.business_date) for i in items}),
    )
    for item in sorted(items, key=lambda i: (i.business_date, i.line or 0)):
        try:
            applied = _apply(batch, item, actor.name)
        except FundError as err:
            report.problems.append((item, err))
            continue
        if applied is None:
            report.replayed.append(item)
        else:
            report.applied.append((item, applied.principal_fen, applied.interest_fen))
    if batch.applied:
        _write(conn, batch, actor.name)
    return report


def _apply(batch: _Batch, item: RepaymentIn, operator: str) -> Allocation | None:
    """One repayment into the batch; None for an unchanged replay."""
    check_ref(item.ref)
    if item.ref in batch.seen:
        _check_replay(batch.seen[item.ref], item)
        return None
    fac = _serviced(batch.facs.get(item.facility_id), item, batch.closed)
    plan = batch.plans.get(fac.id, ())
    order = SHORTEN if item.prepay else batch.order
    applied = allocate(plan, item.amount_fen, item.business_date, order)
    if applied.principal_fen > fac.outstanding_fen:
        owed = item.amount_fen - applied.principal_fen + fac.outstanding_fen
        raise FundError("repay.more_than_owed", amount=item.amount_fen, owed=owed)
    fac = replace(
        fac,
        outstanding_fen=fac.outstanding_fen - applied.principal_fen,
        repaid_fen=fac.repaid_fen + applied.principal_fen,
    )
    batch.facs[fac.id] = fac
    batch.plans[fac.id] = applied.plan
    batch.allocations += facts.allocation_rows(
        item.ref, fac.id, fac.schedule_version, item.business_date, plan, applied.plan
    )
    batch.seen[item.ref] = _Recorded(item.facility_id, item.amount_fen, item.business_date)
    batch.touched[fac.id] = None
    batch.applied.append((item, applied))
    batch.entries += _entries(batch, fac, item, applied.principal_fen, operator)
    return applied


def _check_replay(recorded: _Recorded, item: RepaymentIn) -> None:
    check_replay(
        "repay.ref_differs",
        item.ref,
        {
            "facility_id": recorded.facility_id,
            "amount_fen": recorded.amount_fen,
            "on": recorded.business_date,
        },
        {"facility_id": item.facility_id, "amount_fen": item.amount_fen, "on": item.business_date},
    )


def _serviced(fac: FacilityRow | None, item: RepaymentIn, periods: set[str]) -> FacilityRow:
    """The facility, if a repayment dated as ``item`` can be applied to it."""
    if month_of(item.business_date) in periods:
        raise FundError("period.closed", month=month_of(item.business_date))
    if fac is None:
        raise FundError("facility.not_found", id=item.facility_id)
    if fac.status not in SERVICED or fac.disbursed_on is None:
        raise FundError("repay.not_serviced", id=item.facility_id, status=fac.status)
    if item.business_date < fac.disbursed_on:
        raise FundError("repay.before_disbursement", date=fac.disbursed_on.isoformat())
    closed = fac.closed_through
    if closed is not None and item.business_date <= closed:
        raise FundError("repay.books_closed", date=closed.isoformat())
    return fac


def _entries(
    batch: _Batch, fac: FacilityRow, item: RepaymentIn, principal_fen: int, operator: str
) -> list[EntryDraft]:
    """Loan: bank against loans receivable. Guarantee: the deposit back when fully repaid."""
    if fac.instrument == Instrument.LOAN and principal_fen:
        repaid = LoanRepaid(fac.id, item.business_date, operator, principal_fen, item.ref)
        return [loan_repayment(repaid)]
    if fac.instrument == Instrument.GUARANTEE and fac.outstanding_fen == 0 and fac.deposit_fen:
        batch.released.add(fac.id)
        back = DepositReleased(fac.id, item.business_date, operator, fac.deposit_fen, item.ref)
        return [deposit_release(back)]
    return []


def _facilities(conn: Connection, ids: set[int]) -> dict[int, FacilityRow]:
    out: dict[int, FacilityRow] = {}
    for part in chunks(sorted(ids)):
        stmt = select(_fac).where(_fac.c.id.in_(part)).with_for_update()
        for row in conn.execute(stmt):
            fac = FacilityRow.from_row(row)
            out[fac.id] = fac
    return out


def _plans(
    conn: Connection, items: Sequence[RepaymentIn], ids: set[int]
) -> dict[int, tuple[Due, ...]]:
    """The instalments a batch can touch, per facility: those not yet fully paid.

    Paid instalments take nothing, so they are left out. A repayment of what is due
    takes only instalments due by its date, so first only those due by the batch's last
    date are read; a facility whose repayments in the batch come to more than what was
    due by its first one may prepay, and gets its whole unpaid plan read.
    """
    horizon = max(i.business_date for i in items)
    plans = _unpaid(conn, sorted(ids), horizon)
    first: dict[int, date] = {}
    total: dict[int, int] = defaultdict(int)
    for i in items:
        if i.facility_id in ids:
            first[i.facility_id] = min(first.get(i.facility_id, i.business_date), i.business_date)
            total[i.facility_id] += i.amount_fen
    more = [
        fid
        for fid, amount in total.items()
        if amount > sum(d.owed_fen for d in plans.get(fid, ()) if d.due_date <= first[fid])
    ]
    plans.update(_unpaid(conn, sorted(more), None))
    return plans


def _unpaid(
    conn: Connection, ordered: list[int], horizon: date | None
) -> dict[int, tuple[Due, ...]]:
    plans: dict[int, list[Due]] = defaultdict(list)
    # the borrower's interest: the instalment's less the subsidy the fund pays the bank
    borrower_interest = _inst.c.interest_fen - _inst.c.subsidy_fen
    unpaid = or_(
        _inst.c.paid_principal_fen < _inst.c.principal_fen,
        _inst.c.paid_interest_fen < borrower_interest,
    )
    for part in chunks(ordered):
        stmt = (
            select(
                _inst.c.facility_id,
                _inst.c.no,
                _inst.c.due_date,
                _inst.c.principal_fen,
                borrower_interest,
                _inst.c.paid_principal_fen,
                _inst.c.paid_interest_fen,
            )
            .where(_inst.c.facility_id.in_(part), _inst.c.active, unpaid)
            .order_by(_inst.c.facility_id, _inst.c.no)
        )
        if horizon is not None:
            stmt = stmt.where(_inst.c.due_date <= horizon)
        for fid, *rest in conn.execute(stmt):
            plans[fid].append(Due(*rest))
    return {fid: tuple(plan) for fid, plan in plans.items()}


def _existing_refs(conn: Connection, refs: list[str]) -> dict[str, _Recorded]:
    out: dict[str, _Recorded] = {}
    for part in chunks(sorted(set(refs))):
        stmt = select(
            _rep.c.ref, _rep.c.facility_id, _rep.c.amount_fen, _rep.c.business_date
        ).where(_rep.c.ref.in_(part))
        for ref, fid, amount, day in conn.execute(stmt):
            out[ref] = _Recorded(fid, amount, day)
    return out


def _write(conn: Connection, batch: _Batch, operator: str) -> None:
    """The repayments, the instalments they changed, their entries, the facilities."""
    insert_rows(conn, _rep, [_repayment_row(item, a, operator) for item, a in batch.applied])
    facts.record_allocations(conn, batch.allocations)
    update_rows(conn, _inst, ("facility_id", "no"), _paid_rows(batch), only_active=True)
    journal.post_many(conn, batch.entries)
    facilities = [_facility_values(batch.facs[fid], fid in batch.released) for fid in batch.touched]
    update_rows(conn, _fac, ("id",), facilities)
    items = [item for item, _ in batch.applied]
    audit.record(
        conn,
        operator,
        "repayments.record",
        object_type="repayments",
        object_id=items[0].ref,
        business_date=max(i.business_date for i in items),
        count=len(items),
        total_fen=sum(i.amount_fen for i in items),
    )


def _repayment_row(item: RepaymentIn, applied: Allocation, operator: str) -> dict[str, object]:
    return {
        "facility_id": item.facility_id,
        "ref": item.ref,
        "amount_fen": item.amount_fen,
        "principal_fen": applied.principal_fen,
        "interest_fen": applied.interest_fen,
        "business_date": item.business_date,
        "operator": operator,
    }


def _paid_rows(batch: _Batch) -> list[dict[str, object]]:
    """The instalments whose paid amounts the batch changed, with their new amounts."""
    return [
        {
            "facility_id": fid,
            "no": after.no,
            "paid_principal_fen": after.paid_principal_fen,
            "paid_interest_fen": after.paid_interest_fen,
        }
        for fid in batch.touched
        for before, after in zip(batch.loaded.get(fid, ()), batch.plans[fid], strict=True)
        if after != before
    ]


def _facility_values(fac: FacilityRow, deposit_released: bool) -> dict[str, object]:
    """A repaid facility's new figures; fully repaid, it is ``repaid``."""
    exposure = (
        share_fen(fac.outstanding_fen, fac.coverage_bp)
        if fac.instrument == Instrument.GUARANTEE
        else 0
    )
    return {
        "id": fac.id,
        "outstanding_fen": fac.outstanding_fen,
        "repaid_fen": fac.repaid_fen,
        "exposure_fen": exposure,
        "status": FacilityStatus.REPAID if fac.outstanding_fen == 0 else fac.status,
        "deposit_fen": 0 if deposit_released else fac.deposit_fen,
    }
