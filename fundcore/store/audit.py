"""The audit trail: every write leaves a record of who, what, when and for which date."""

from __future__ import annotations

import json
from datetime import date

from sqlalchemy import Connection

from fundcore.store.bulk import insert_rows
from fundcore.store.clock import utcnow
from fundcore.store.models import AuditRecord
from fundcore.store.tables import table_of


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
    now = utcnow()
    insert_rows(
        conn,
        table_of(AuditRecord),
        [
            {
                "recorded_at": now,
                "operator": operator,
                "action": action,
                "object_type": object_type,
                "object_id": None if object_id is None else str(object_id),
                "business_date": business_date,
                "details": json.dumps(details, ensure_ascii=False, sort_keys=True, default=str),
            }
            for object_type, object_id, business_date, details in items
        ],
    )
