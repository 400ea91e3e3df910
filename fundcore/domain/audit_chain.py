"""The audit trail's hash chain: each record's hash covers the one before it.

Audit records are append-only (the database's triggers refuse UPDATE and DELETE, as
for the journal), and chained so that a record deleted or edited behind those
triggers shows in ``fund ledger verify``: a record removed from the middle breaks the
next one's link, one removed from the end leaves the chain shorter than the count
and hash the ledger head keeps. Pure: the canonical form and its SHA-256.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date, datetime

GENESIS = "0" * 64


@dataclass(frozen=True, slots=True)
class AuditFields:
    """What one audit record says, as stored."""

    recorded_at: datetime
    operator: str
    action: str
    object_type: str | None
    object_id: str | None
    business_date: date | None
    details: str


def audit_hash(prev_hash: str, r: AuditFields) -> str:
    """SHA-256 of the record's canonical form, which includes the previous hash."""
    form = [
        "fundcore-audit-v1",
        prev_hash,
        r.recorded_at.isoformat(sep=" ", timespec="microseconds"),
        r.operator,
        r.action,
        r.object_type,
        r.object_id,
        None if r.business_date is None else r.business_date.isoformat(),
        r.details,
    ]
    text = json.dumps(form, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
