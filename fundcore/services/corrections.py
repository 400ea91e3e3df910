"""Corrections: a posted entry is never changed, it is reversed by a new entry."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Connection

from fundcore.domain.errors import InputError
from fundcore.domain.ledger import PostedEntry
from fundcore.services.operators import authorise
from fundcore.store import audit, journal


def reverse_entry(
    conn: Connection, operator: str | None, seq: int, business_date: date, reason: str
) -> PostedEntry:
    """Post the reversal of entry ``seq`` (finance), with the reason in memo and audit."""
    actor = authorise(conn, operator, "ledger.reverse")
    reason = reason.strip()
    if not reason:
        raise InputError("ledger.reason_needed")
    posted = journal.reverse(conn, seq, business_date, actor.name, reason)
    audit.record(
        conn,
        actor.name,
        "ledger.reverse",
        object_type="entry",
        object_id=seq,
        business_date=business_date,
        reversal_seq=posted.seq,
        reason=reason,
    )
    return posted
