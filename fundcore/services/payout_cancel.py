"""A pay-out made in error, cancelled: the money back and the facility approved again.

``fund disburse ID --cancel --date D --reason …`` reverses the pay-out entry on D (the
cash comes back to the bank: a loan's receivable, a guarantee's deposit, a grant's
programme cost), and in the same transaction moves the facility's records back: it is
``approved`` again, owing nothing, with its schedule retired (kept, inactive, for the
days it was in force) and the approval's commitment restored — what the approval
reserved is reserved again, so the facility can be paid out correctly later, or its
approval cancelled with ``fund cancel`` (which then releases the commitment). The
sub-ledger reconciliation reads it so: a reversed pay-out is no pay-out.

Figures as of a day before D still show the pay-out (a ``payout_cancel`` event dated
D keeps the day it was paid), so a closed month never changes; D itself must lie in
an open month, on or after the pay-out, and after the facility's last day close.

Refused once anything happened on the pay-out that the cancel cannot take back: a
repayment not undone (undo those first, ``fund repay --undo``), a default found, a
claim or a write-off.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Connection, exists, select, update

from fundcore.domain.errors import InputError, NotFound, RuleBroken
from fundcore.domain.periods import month_of
from fundcore.domain.postings.repayment import FACILITY
from fundcore.domain.terms import EntryKind, FacilityEventKind, FacilityStatus, Instrument
from fundcore.services import capacity
from fundcore.services.operators import authorise
from fundcore.store import audit, facts, journal
from fundcore.store.models import Facility, Instalment, JournalEntry, Repayment, RepaymentUndo
from fundcore.store.rows import FacilityRow
from fundcore.store.tables import table_of

_fac = table_of(Facility)
_inst = table_of(Instalment)
_entries = table_of(JournalEntry)
_rep = table_of(Repayment)
_undo = table_of(RepaymentUndo)

#: what a pay-out may be cancelled from: paid out, nothing else happened on it yet
CANCELLABLE = (FacilityStatus.CURRENT, FacilityStatus.OVERDUE, FacilityStatus.PAID)


@dataclass(frozen=True, slots=True)
class CancelOut:
    facility_id: int
    instrument: Instrument
    cash_fen: int
    #: the reversal's seq
    entry_seq: int
    #: the commitment reserved again
    committed_fen: int


def cancel_payout(
    conn: Connection, operator: str | None, facility_id: int, on: date, reason: str
) -> CancelOut:
    """Cancel the facility's pay-out on ``on`` (finance), with the reason audited."""
    actor = authorise(conn, operator, "facilities.disburse")
    reason = reason.strip()
    if not reason:
        raise InputError("correction.reason_needed")
    capacity.lock_fund(conn)  # the commitment comes back: under the same lock as pay-outs
    fac = _cancellable(conn, facility_id, on)
    seq = _payout_seq(conn, fac.id)
    back = journal.reverse(conn, seq, on, actor.name, reason)
    cash = committed = _cash(fac)
    facts.record_events(
        conn,
        [
            facts.Event(
                fac.id, FacilityEventKind.PAYOUT_CANCEL, on, cash, paid_out_on=fac.disbursed_on
            )
        ],
    )
    conn.execute(
        update(_inst)
        .where(_inst.c.facility_id == fac.id, _inst.c.version == fac.schedule_version)
        .values(active=False)
    )
    conn.execute(update(_fac).where(_fac.c.id == fac.id).values(_approved_again(fac, committed)))
    audit.record(
        conn,
        actor.name,
        "facilities.cancel_payout",
        object_type=FACILITY,
        object_id=fac.id,
        business_date=on,
        reason=reason,
        entry_seq=back.seq,
        cancelled_seq=seq,
        paid_out_on=fac.disbursed_on.isoformat() if fac.disbursed_on else None,
        cash_fen=cash,
    )
    return CancelOut(fac.id, fac.instrument, cash, back.seq, committed)


def _cancellable(conn: Connection, facility_id: int, on: date) -> FacilityRow:
    """The facility, locked, if its pay-out can be cancelled on ``on``; else why not."""
    row = conn.execute(select(_fac).where(_fac.c.id == facility_id).with_for_update()).first()
    if row is None:
        raise NotFound("facility.not_found", id=facility_id)
    fac = FacilityRow.from_row(row)
    if journal.closed_months(conn, {month_of(on)}):
        raise RuleBroken("period.closed", month=month_of(on))
    if fac.status not in CANCELLABLE or fac.disbursed_on is None:
        raise RuleBroken("payout_cancel.not_cancellable", id=fac.id, status=fac.status)
    if on < fac.disbursed_on:
        raise RuleBroken("payout_cancel.before_payout", date=fac.disbursed_on.isoformat())
    if fac.closed_through is not None and on <= fac.closed_through:
        raise RuleBroken("payout_cancel.books_closed", date=fac.closed_through.isoformat())
    repaid = conn.scalar(
        select(_rep.c.ref)
        .where(_rep.c.facility_id == fac.id, ~exists().where(_undo.c.ref == _rep.c.ref))
        .order_by(_rep.c.business_date.desc(), _rep.c.id.desc())
        .limit(1)
    )
    if repaid is not None:
        raise RuleBroken("payout_cancel.repaid", id=fac.id, ref=repaid)
    return fac


def _payout_seq(conn: Connection, facility_id: int) -> int:
    """The facility's pay-out entry that no reversal has undone (there is one while it
    is paid out)."""
    rev = _entries.alias("rev")
    seq = conn.scalar(
        select(_entries.c.seq)
        .where(
            _entries.c.object_type == FACILITY,
            _entries.c.object_id == str(facility_id),
            _entries.c.kind.in_([EntryKind.disbursement(i) for i in Instrument]),
            ~exists().where(rev.c.reverses_seq == _entries.c.seq),
        )
        .order_by(_entries.c.seq.desc())
        .limit(1)
    )
    if seq is None:  # paid out on the rows but not in the ledger: verify reports it
        raise RuleBroken("payout_cancel.no_entry", id=facility_id)
    return int(seq)


def _cash(fac: FacilityRow) -> int:
    """What the pay-out took from the bank, and what the approval reserved: a
    guarantee's deposit, a loan's or a grant's principal."""
    return fac.deposit_fen if fac.instrument == Instrument.GUARANTEE else fac.principal_fen


def _approved_again(fac: FacilityRow, committed_fen: int) -> dict[str, object]:
    """The facility's columns as approved, the commitment reserved again; the next
    pay-out writes the next schedule version (the cancelled one stays, inactive)."""
    scheduled = fac.instrument != Instrument.GRANT
    return {
        "status": FacilityStatus.APPROVED,
        "committed_fen": committed_fen,
        "disbursed_on": None,
        "outstanding_fen": 0,
        "repaid_fen": 0,
        "days_past_due": 0,
        "schedule_version": fac.schedule_version + 1 if scheduled else fac.schedule_version,
    }
