"""Repayments: applied to the oldest instalment due first, idempotent by reference.

A repayment dated D pays what is due on or before D, oldest first (for a bank loan:
each instalment's interest, then its principal); anything beyond is a prepayment that
reduces the last instalments (policy ``prepayment_order='last'``) or the next ones.
More than is owed is refused. The same ref with the same particulars is a no-op that
says so; the same ref with different particulars is refused.

Batch-shaped: ``repay_many`` loads the facilities, their instalments and the refs of a
whole bank file with one query each, allocates in memory, then writes in bulk. A loan
repayment posts bank against loans receivable; a guaranteed bank loan's repayment moves
no fund money but lowers the exposure, and its last one releases the deposit.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import Connection, or_, select

from fundcore.domain import chart
from fundcore.domain.errors import FundError
from fundcore.domain.ledger import EntryDraft, credit, debit
from fundcore.domain.money import share_fen
from fundcore.domain.refs import check_ref
from fundcore.domain.repayments import RepaymentIn
from fundcore.domain.replay import check_replay
from fundcore.domain.terms import SERVICED
from fundcore.services import capacity
from fundcore.services.operators import authorise
from fundcore.services.policy import in_force
from fundcore.store import audit, journal
from fundcore.store.bulk import CHUNK, insert_rows, update_rows
from fundcore.store.models import Facility, Instalment, Repayment

_fac = Facility.__table__
_inst = Instalment.__table__
_rep = Repayment.__table__


@dataclass
class RepayReport:
    applied: list[tuple[RepaymentIn, int, int]] = field(default_factory=list)
    replayed: list[RepaymentIn] = field(default_factory=list)
    problems: list[tuple[RepaymentIn, FundError]] = field(default_factory=list)


@dataclass
class _Due:
    """One instalment's state while a batch is allocated."""

    no: int
    due_date: date
    principal: int
    interest: int
    paid_principal: int
    paid_interest: int
    #: paid amounts as loaded, to write back only the instalments a batch changed
    loaded: tuple[int, int] = (0, 0)

    def __post_init__(self) -> None:
        self.loaded = (self.paid_principal, self.paid_interest)

    @property
    def changed(self) -> bool:
        return (self.paid_principal, self.paid_interest) != self.loaded

    @property
    def owed(self) -> int:
        return self.principal - self.paid_principal + self.interest - self.paid_interest


def allocate(plan: list[_Due], amount: int, on: date, order: str) -> tuple[int, int]:
    """Apply ``amount`` to the plan in place; (principal, interest) applied. Raises if too much."""
    left = amount
    principal = interest = 0
    for d in (d for d in plan if d.due_date <= on):
        pay_i = min(left, d.interest - d.paid_interest)
        d.paid_interest += pay_i
        pay_p = min(left - pay_i, d.principal - d.paid_principal)
        d.paid_principal += pay_p
        left -= pay_i + pay_p
        principal, interest = principal + pay_p, interest + pay_i
    future = [d for d in plan if d.due_date > on]
    for d in reversed(future) if order == "last" else future:
        pay_p = min(left, d.principal - d.paid_principal)
        d.paid_principal += pay_p
        left -= pay_p
        principal += pay_p
    if left:
        raise FundError("repay.more_than_owed", amount=amount, owed=amount - left)
    return principal, interest


def repay_many(
    conn: Connection, operator: str | None, items: Sequence[RepaymentIn], on: date | None = None
) -> RepayReport:
    """Apply a batch of repayments (e.g. a bank's file) in one transaction."""
    actor = authorise(conn, operator, "repayments.record")
    capacity.lock_fund(conn)  # lock order: the fund, then facilities (as day close does)
    report = RepayReport()
    if not items:
        return report
    order = in_force(conn, on or max(i.business_date for i in items)).policy.prepayment_order
    facs = _facilities(conn, {i.facility_id for i in items})
    plans = _plans(conn, items, set(facs))
    seen = _existing_refs(conn, [i.ref for i in items])
    touched: dict[int, list[_Due]] = {}
    rows, entries = [], []
    for item in sorted(items, key=lambda i: (i.business_date, i.line or 0)):
        try:
            result = _one(item, facs, plans, seen, order)
        except FundError as err:
            report.problems.append((item, err))
            continue
        if result is None:
            report.replayed.append(item)
            continue
        principal, interest = result
        touched[item.facility_id] = plans[item.facility_id]
        seen[item.ref] = (item.facility_id, item.amount_fen, item.business_date)
        rows.append(
            {
                "facility_id": item.facility_id,
                "ref": item.ref,
                "amount_fen": item.amount_fen,
                "principal_fen": principal,
                "interest_fen": interest,
                "business_date": item.business_date,
                "operator": actor.name,
            }
        )
        entries += _entries(facs[item.facility_id], item, principal, actor.name)
        report.applied.append((item, principal, interest))
    if rows:
        _write(conn, rows, entries, touched, facs, actor.name)
    return report


def _one(
    item: RepaymentIn,
    facs: dict[int, dict],
    plans: dict[int, list[_Due]],
    seen: dict[str, tuple[int, int, date]],
    order: str,
) -> tuple[int, int] | None:
    check_ref(item.ref)
    if item.ref in seen:
        facility_id, amount_fen, business_date = seen[item.ref]
        recorded = {"facility_id": facility_id, "amount_fen": amount_fen, "on": business_date}
        given = {
            "facility_id": item.facility_id,
            "amount_fen": item.amount_fen,
            "on": item.business_date,
        }
        check_replay("repay.ref_differs", item.ref, recorded, given)
        return None
    fac = facs.get(item.facility_id)
    if fac is None:
        raise FundError("facility.not_found", id=item.facility_id)
    if fac["status"] not in SERVICED:
        raise FundError("repay.not_serviced", id=item.facility_id, status=fac["status"])
    if item.business_date < fac["disbursed_on"]:
        raise FundError("repay.before_disbursement", date=fac["disbursed_on"].isoformat())
    closed = fac["closed_through"]
    if closed is not None and item.business_date <= closed:
        raise FundError("repay.books_closed", date=closed.isoformat())
    plan = plans[item.facility_id]
    snapshot = [(d.paid_principal, d.paid_interest) for d in plan]
    try:
        principal, interest = allocate(plan, item.amount_fen, item.business_date, order)
    except FundError:
        for d, (pp, pi) in zip(plan, snapshot, strict=True):
            d.paid_principal, d.paid_interest = pp, pi
        raise
    fac["outstanding_fen"] -= principal
    fac["repaid_fen"] += principal
    return principal, interest


def _entries(fac: dict, item: RepaymentIn, principal: int, operator: str) -> list[EntryDraft]:
    """Loan: bank against loans receivable. Guarantee: the deposit back when fully repaid."""
    ref = dict(object_type="facility", object_id=str(item.facility_id), memo=item.ref)
    if fac["instrument"] == "loan" and principal:
        return [
            EntryDraft(
                item.business_date,
                "repayment",
                operator,
                (debit(chart.BANK, principal), credit(chart.LOANS_RECEIVABLE, principal)),
                **ref,
            )
        ]
    if fac["instrument"] == "guarantee" and fac["outstanding_fen"] == 0 and fac["deposit_fen"]:
        deposit, fac["deposit_released"] = fac["deposit_fen"], True
        return [
            EntryDraft(
                item.business_date,
                "deposit.release",
                operator,
                (debit(chart.BANK, deposit), credit(chart.GUARANTEE_DEPOSITS, deposit)),
                **ref,
            )
        ]
    return []


def _facilities(conn: Connection, ids: set[int]) -> dict[int, dict]:
    out: dict[int, dict] = {}
    ordered = sorted(ids)
    for i in range(0, len(ordered), CHUNK):
        stmt = select(_fac).where(_fac.c.id.in_(ordered[i : i + CHUNK])).with_for_update()
        for row in conn.execute(stmt).mappings():
            out[row["id"]] = dict(row)
    return out


def _plans(conn: Connection, items: Sequence[RepaymentIn], ids: set[int]) -> dict[int, list[_Due]]:
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
        if amount > sum(d.owed for d in plans.get(fid, ()) if d.due_date <= first[fid])
    ]
    plans.update(_unpaid(conn, sorted(more), None))
    return plans


def _unpaid(conn: Connection, ordered: list[int], horizon: date | None) -> dict[int, list[_Due]]:
    plans: dict[int, list[_Due]] = defaultdict(list)
    unpaid = or_(
        _inst.c.paid_principal_fen < _inst.c.principal_fen,
        _inst.c.paid_interest_fen < _inst.c.interest_fen,
    )
    for i in range(0, len(ordered), CHUNK):
        stmt = (
            select(
                _inst.c.facility_id,
                _inst.c.no,
                _inst.c.due_date,
                _inst.c.principal_fen,
                _inst.c.interest_fen,
                _inst.c.paid_principal_fen,
                _inst.c.paid_interest_fen,
            )
            .where(_inst.c.facility_id.in_(ordered[i : i + CHUNK]), _inst.c.active, unpaid)
            .order_by(_inst.c.facility_id, _inst.c.no)
        )
        if horizon is not None:
            stmt = stmt.where(_inst.c.due_date <= horizon)
        for fid, *rest in conn.execute(stmt):
            plans[fid].append(_Due(*rest))
    return plans


def _existing_refs(conn: Connection, refs: list[str]) -> dict[str, tuple[int, int, date]]:
    out: dict[str, tuple[int, int, date]] = {}
    unique = sorted(set(refs))
    for i in range(0, len(unique), CHUNK):
        stmt = select(
            _rep.c.ref, _rep.c.facility_id, _rep.c.amount_fen, _rep.c.business_date
        ).where(_rep.c.ref.in_(unique[i : i + CHUNK]))
        for ref, fid, amount, day in conn.execute(stmt):
            out[ref] = (fid, amount, day)
    return out


def _write(
    conn: Connection,
    rows: list[dict],
    entries: list[EntryDraft],
    touched: dict[int, list[_Due]],
    facs: dict[int, dict],
    operator: str,
) -> None:
    insert_rows(conn, _rep, rows)
    paid = [
        {
            "facility_id": fid,
            "no": d.no,
            "paid_principal_fen": d.paid_principal,
            "paid_interest_fen": d.paid_interest,
        }
        for fid, plan in touched.items()
        for d in plan
        if d.changed
    ]
    update_rows(conn, _inst, ("facility_id", "no"), paid, only_active=True)
    journal.post_many(conn, entries)
    update_rows(conn, _fac, ("id",), [_facility_values(facs[fid]) for fid in touched])
    audit.record(
        conn,
        operator,
        "repayments.record",
        object_type="repayments",
        object_id=rows[0]["ref"],
        business_date=max(r["business_date"] for r in rows),
        count=len(rows),
        total_fen=sum(r["amount_fen"] for r in rows),
    )


def _facility_values(fac: dict) -> dict[str, object]:
    done = fac["outstanding_fen"] == 0
    exposure = (
        share_fen(fac["outstanding_fen"], fac["coverage_bp"])
        if fac["instrument"] == "guarantee"
        else 0
    )
    return {
        "id": fac["id"],
        "outstanding_fen": fac["outstanding_fen"],
        "repaid_fen": fac["repaid_fen"],
        "exposure_fen": exposure,
        "status": "repaid" if done else fac["status"],
        "deposit_fen": 0 if fac.get("deposit_released") else fac["deposit_fen"],
    }
