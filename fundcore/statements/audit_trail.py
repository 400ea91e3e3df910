"""The audit log as an auditor reads it: who did what, when, to which object, for which date.

Filtered by the day a record was made (``recorded_at``, UTC: the log is the wall-clock
trail of acts, unlike the ledger, which is dated by business date), by operator and by
the kind of act (``repayments`` matches ``repayments.record``; a full action name
matches itself). The business date each act was for is a column of its own.

Readable by finance, auditors and admins (``audit.read``); never by a county league,
since the log names every county's applicants' records.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlalchemy import Connection, or_, select

from fundcore.statements.common import begin_period_statement
from fundcore.statements.export import COUNT, TEXT, Table, Value
from fundcore.store.models import AuditRecord
from fundcore.store.tables import table_of

_audit = table_of(AuditRecord)

AUDIT_COLUMNS = (
    ("序号", "No.", COUNT),
    ("记录时间(UTC)", "Recorded (UTC)", TEXT),
    ("经办人", "Operator", TEXT),
    ("操作", "Action", TEXT),
    ("对象类型", "Object type", TEXT),
    ("对象", "Object", TEXT),
    ("业务日期", "Business date", TEXT),
    ("详情", "Details", TEXT),
)


def audit_list(
    conn: Connection,
    operator: str | None,
    start: date,
    end: date,
    *,
    by: str | None = None,
    kind: str | None = None,
) -> Table:
    """The records made on days [start, end], oldest first."""
    begin_period_statement(conn, operator, "audit.read", start, end)
    query = select(_audit).where(
        _audit.c.recorded_at >= datetime.combine(start, time()),
        _audit.c.recorded_at < datetime.combine(end + timedelta(days=1), time()),
    )
    if by:
        query = query.where(_audit.c.operator == by)
    if kind:
        query = query.where(
            or_(_audit.c.action == kind, _audit.c.action.startswith(f"{kind}.", autoescape=True))
        )
    rows = conn.execute(query.order_by(_audit.c.id)).all()
    body: tuple[tuple[Value, ...], ...] = tuple(
        (
            r.id,
            r.recorded_at.isoformat(sep=" "),
            r.operator,
            r.action,
            r.object_type,
            r.object_id,
            r.business_date.isoformat() if r.business_date else None,
            r.details,
        )
        for r in rows
    )
    return Table("audit", "操作日志", "Audit log", AUDIT_COLUMNS, body)
