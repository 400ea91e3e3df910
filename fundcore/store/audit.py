"""The audit trail: every write leaves a record of who, what, when and for which date.

Records are chained (``fundcore.domain.audit_chain``): each one's hash covers the one
before, and the ledger head keeps the count and the last hash. Writing locks the head
row (as posting does), so records chain in the order their ids are given, one writer
at a time; the database's triggers refuse UPDATE and DELETE of them.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from sqlalchemy import Connection, select, update

from fundcore.domain.audit_chain import AuditFields, audit_hash
from fundcore.domain.errors import RuleBroken
from fundcore.store.bulk import insert_rows
from fundcore.store.clock import utcnow
from fundcore.store.models import AuditRecord, LedgerHead
from fundcore.store.tables import table_of

_head = table_of(LedgerHead)


def record(
    conn: Connection,
    operator: str,
    action: str,
    *,
    object_type: str | None = None,
    object_id: object = None,
    business_date: date | None = None,
    **details: object,
) -> None:
    """Write one audit record in the caller's transaction."""
    record_many(conn, operator, action, [(object_type, object_id, business_date, details)])


def record_many(
    conn: Connection,
    operator: str,
    action: str,
    items: list[tuple[str | None, object, date | None, dict[str, object]]],
) -> None:
    """Write one audit record per item (object type, object id, business date, details)
    in one statement: what a batch writes for the events it carried out one by one."""
    if not items:
        return
    head = conn.execute(
        select(_head.c.audit_count, _head.c.audit_hash).where(_head.c.id == 1).with_for_update()
    ).first()
    if head is None:
        raise RuleBroken("ledger.not_initialised")
    now = utcnow()
    prev = head.audit_hash
    rows = []
    for object_type, object_id, business_date, details in items:
        fields = AuditFields(
            now,
            operator,
            action,
            object_type,
            None if object_id is None else str(object_id),
            business_date,
            json.dumps(details, ensure_ascii=False, sort_keys=True, default=str),
        )
        digest = audit_hash(prev, fields)
        rows.append(
            {
                "recorded_at": fields.recorded_at,
                "operator": fields.operator,
                "action": fields.action,
                "object_type": fields.object_type,
                "object_id": fields.object_id,
                "business_date": fields.business_date,
                "details": fields.details,
                "prev_hash": prev,
                "hash": digest,
            }
        )
        prev = digest
    insert_rows(conn, table_of(AuditRecord), rows)
    conn.execute(
        update(_head)
        .where(_head.c.id == 1)
        .values(audit_count=_head.c.audit_count + len(rows), audit_hash=prev)
    )


#: where a connection keeps the records to be written whether or not its work commits
_REGARDLESS = "fundcore.audit_regardless"
Regardless = list[tuple[str, str, dict[str, Any]]]


def record_regardless(conn: Connection, operator: str, action: str, **fields: Any) -> None:
    """An audit record written whether or not the caller's transaction commits (what a
    refused or dry-run command must still tell the admin): kept on the connection, and
    written by the unit of work in a transaction of its own once the caller's has ended
    (``store.uow``). Same arguments as ``record``."""
    conn.info.setdefault(_REGARDLESS, []).append((operator, action, fields))


def take_regardless(conn: Connection) -> Regardless:
    """The records ``record_regardless`` kept on ``conn``, taken off it."""
    kept: Regardless = conn.info.pop(_REGARDLESS, [])
    return kept


def write_regardless(conn: Connection, kept: Regardless) -> None:
    for operator, action, fields in kept:
        record(conn, operator, action, **fields)
