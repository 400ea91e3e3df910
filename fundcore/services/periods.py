"""Closing, listing and reopening accounting months.

A close runs the day close through the month's last day first, so the month's ageing
and provision are in before it is frozen; closing a December also posts the 期末结转.
From then on the journal refuses anything dated in the month (``journal.post_many``).
Only the latest closed month may be reopened, by an admin with a finance approver.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, Row, func, insert, select, update

from fundcore.domain import periods as rules
from fundcore.domain.errors import NotPermitted, RuleBroken
from fundcore.domain.ledger import reversal_of
from fundcore.domain.postings.year_end import AccountTotal, year_end_entry
from fundcore.domain.terms import EntryKind, PeriodStatus, Role
from fundcore.domain.text import check_text
from fundcore.services import dayclose
from fundcore.services.operators import authorise
from fundcore.store import audit, journal
from fundcore.store.clock import utcnow
from fundcore.store.models import Operator, Period
from fundcore.store.tables import table_of

_periods = table_of(Period)
_ops = table_of(Operator)


@dataclass(frozen=True, slots=True)
class PeriodRow:
    """A month as recorded: closed, or closed and reopened."""

    month: str
    status: PeriodStatus
    closed_by: str
    closed_at: datetime
    year_end_seq: int | None
    reopened_by: str | None
    reopened_at: datetime | None
    approved_by: str | None
    reason: str | None

    @classmethod
    def from_row(cls, row: Row[Any]) -> PeriodRow:
        m = row._mapping
        return cls(
            m["month"],
            PeriodStatus(m["status"]),
            m["closed_by"],
            m["closed_at"],
            m["year_end_seq"],
            m["reopened_by"],
            m["reopened_at"],
            m["approved_by"],
            m["reason"],
        )


@dataclass(frozen=True, slots=True)
class Closed:
    month: str
    day_closes: int
    year_end_seq: int | None
    #: the month's last day, and the chain's head once closed (what the close anchors)
    through: date
    head_seq: int
    head_hash: str


def latest_closed(conn: Connection) -> str | None:
    """The latest month whose status is closed."""
    month = conn.scalar(
        select(func.max(_periods.c.month)).where(_periods.c.status == PeriodStatus.CLOSED)
    )
    return None if month is None else str(month)


def list_periods(conn: Connection) -> list[PeriodRow]:
    """Every month ever closed, in order."""
    rows = conn.execute(select(_periods).order_by(_periods.c.month)).all()
    return [PeriodRow.from_row(r) for r in rows]


def close(conn: Connection, operator: str | None, month_text: str) -> Closed:
    """Close a month (finance): day close through its end, the 结转 in December, frozen."""
    actor = authorise(conn, operator, "periods.close")
    month = rules.parse_month(month_text)
    journal.lock_head(conn)  # one close at a time: the order check and the write together
    rules.check_close(month, latest_closed(conn))
    through = rules.last_day(month)
    closes = dayclose.close_through(conn, actor.name, through)
    seq = _post_year_end(conn, actor.name, month) if rules.is_december(month) else None
    _record_close(conn, actor.name, month, seq)
    audit.record(
        conn,
        actor.name,
        "periods.close",
        object_type="period",
        object_id=month,
        business_date=through,
        day_closes=len(closes),
        year_end_seq=seq,
    )
    head_seq, head_hash = journal.head(conn)
    return Closed(month, len(closes), seq, through, head_seq, head_hash)


def _post_year_end(conn: Connection, operator: str, month: str) -> int | None:
    """Post the year's 期末结转 from the income and expense balances at 12-31."""
    totals = [
        AccountTotal(b.code, b.type, b.debit_fen, b.credit_fen)
        for b in journal.balances(conn, rules.last_day(month))
    ]
    draft = year_end_entry(int(month[:4]), totals, operator)
    return None if draft is None else journal.post(conn, draft).seq


def _record_close(conn: Connection, operator: str, month: str, seq: int | None) -> None:
    values = {
        "status": PeriodStatus.CLOSED,
        "closed_by": operator,
        "closed_at": utcnow(),
        "year_end_seq": seq,
        "reopened_by": None,
        "reopened_at": None,
        "approved_by": None,
        "reason": None,
    }
    known = conn.scalar(select(_periods.c.month).where(_periods.c.month == month))
    if known is None:
        conn.execute(insert(_periods).values(month=month, **values))
    else:
        conn.execute(update(_periods).where(_periods.c.month == month).values(**values))


def reopen(
    conn: Connection, operator: str | None, month_text: str, reason: str, approver: str
) -> PeriodRow:
    """Reopen the latest closed month (admin, approved by another active finance operator).

    A December's 期末结转 is reversed with it, so closing the year again posts it afresh.
    """
    actor = authorise(conn, operator, "periods.reopen")
    month = rules.parse_month(month_text)
    if not check_text("reason", reason).strip():
        raise RuleBroken("period.reason_needed")
    _check_approver(conn, actor.name, approver)
    journal.lock_head(conn)
    rules.check_reopen(month, latest_closed(conn))
    seq = _mark_reopened(conn, month, actor.name, approver, reason.strip())
    if seq is not None:
        _undo_year_end(conn, seq, actor.name, month)
    audit.record(
        conn,
        actor.name,
        "periods.reopen",
        object_type="period",
        object_id=month,
        business_date=rules.last_day(month),
        approved_by=approver,
        reason=reason.strip(),
    )
    return next(p for p in list_periods(conn) if p.month == month)


def _mark_reopened(
    conn: Connection, month: str, operator: str, approver: str, reason: str
) -> int | None:
    """Record who reopened the month, who approved and why; its 结转 entry, if any."""
    seq = conn.scalar(select(_periods.c.year_end_seq).where(_periods.c.month == month))
    conn.execute(
        update(_periods)
        .where(_periods.c.month == month)
        .values(
            status=PeriodStatus.OPEN,
            reopened_by=operator,
            reopened_at=utcnow(),
            approved_by=approver,
            reason=reason,
        )
    )
    return None if seq is None else int(seq)


def _undo_year_end(conn: Connection, seq: int, operator: str, month: str) -> None:
    """Post the 结转's mirror, dated 12-31 and of the same kind, so that the year's
    statement of activities leaves both out (``financial.year_end_moves``)."""
    undo = reversal_of(seq, journal.load_entry(conn, seq), rules.last_day(month), operator, "")
    journal.post(conn, replace(undo, kind=EntryKind.YEAR_END_CLOSE, memo=f"{month} 反结账"))


def _check_approver(conn: Connection, actor: str, approver: str) -> None:
    row = conn.execute(select(_ops.c.role, _ops.c.active).where(_ops.c.name == approver)).first()
    if approver == actor or row is None or not row.active or row.role != Role.FINANCE:
        raise NotPermitted("period.approver_needed", name=approver)
