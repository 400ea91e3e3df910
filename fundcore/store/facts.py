"""Dated facts of a facility's life, written beside the state the facility row keeps.

The facility row and its instalments say how things stand *now*; what a figure as of
an earlier day needs is *when* each change happened. Two kinds of record carry that:
what each repayment paid of each instalment (``repayment_allocations``) and the other
events (``facility_events``: a schedule version in force from a date, a default found,
a claim and the county's share of it, a write-off and its undoing). Both are
append-only and written in bulk in the same unit of work as the change they date.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from datetime import date

from sqlalchemy import Connection

from fundcore.domain.repayments import Due, paid_of
from fundcore.domain.terms import FacilityEventKind
from fundcore.store.bulk import insert_rows
from fundcore.store.models import FacilityEvent, RepaymentAllocation
from fundcore.store.tables import table_of

_alloc = table_of(RepaymentAllocation)
_events = table_of(FacilityEvent)


@dataclass(frozen=True, slots=True)
class Event:
    """One facility event; ``version`` only for a schedule coming into force,
    ``paid_out_on`` only for a pay-out cancelled (the day it had been paid)."""

    facility_id: int
    kind: FacilityEventKind
    business_date: date
    amount_fen: int = 0
    version: int | None = None
    paid_out_on: date | None = None


def record_events(conn: Connection, events: Iterable[Event]) -> None:
    insert_rows(conn, _events, [asdict(e) for e in events])


def allocation_rows(
    ref: str, fid: int, version: int, on: date, before: Sequence[Due], after: Sequence[Due]
) -> list[dict[str, object]]:
    """The allocation rows of one repayment: what it paid of each instalment it touched."""
    return [
        {
            "repayment_ref": ref,
            "version": version,
            "no": d.no,
            "facility_id": fid,
            "business_date": on,
            "due_date": d.due_date,
            "principal_fen": principal,
            "interest_fen": interest,
        }
        for d, principal, interest in paid_of(before, after)
    ]


def record_allocations(conn: Connection, rows: list[dict[str, object]]) -> None:
    insert_rows(conn, _alloc, rows)
