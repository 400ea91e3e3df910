"""A repayment undone by its ref, dated on the undo day.

``fund repay --undo REF --date D --reason …`` takes back, from D on, what the repayment
paid: its entry is reversed on D (bank against loans receivable; for a guaranteed bank
loan whose last repayment released the deposit, that release), the instalments it paid
are unpaid again by what it paid of each (its allocations), and the facility owes that
principal again — ``repaid`` becomes ``current``, and the next day close finds what is
due or overdue. All in one transaction, audited with the reason.

The repayment and its allocations stay as they were made, dated on their own day; a
``repayment_undos`` row dated D is the undo. So anything read as of a day before D
(a statement, ``fund schedule ID --as-of``, PAR, a catch-up day close) still shows the
repayment; from D on it is gone.

Undos go in reverse order: only a facility's latest repayment not yet undone may be
undone. A later repayment was allocated over what the earlier ones had left unpaid,
so undoing an earlier one under it would leave the later one's allocation wrong; undo
the later ones first (newest first), then the one meant, then record again what
should stand. Also refused: a repayment already undone, one allocated to a schedule
since restructured, a facility no longer serviced or repaid (claimed, written off),
and D in a closed month, before the repayment, or on or before the facility's last
day close.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Connection, exists, select, update

from fundcore.domain.errors import Conflict, InputError, NotFound, RuleBroken
from fundcore.domain.money import share_fen
from fundcore.domain.periods import month_of
from fundcore.domain.postings.repayment import FACILITY
from fundcore.domain.refs import check_ref
from fundcore.domain.terms import (
    SERVICED,
    EntryKind,
    FacilityEventKind,
    FacilityStatus,
    Instrument,
)
from fundcore.services import capacity
from fundcore.services.operators import authorise
from fundcore.store import audit, journal
from fundcore.store.bulk import update_rows
from fundcore.store.clock import utcnow
from fundcore.store.models import (
    Facility,
    FacilityEvent,
    Instalment,
    JournalEntry,
    Repayment,
    RepaymentAllocation,
    RepaymentUndo,
)
from fundcore.store.rows import FacilityRow
from fundcore.store.tables import table_of

_fac = table_of(Facility)
_inst = table_of(Instalment)
_rep = table_of(Repayment)
_alloc = table_of(RepaymentAllocation)
_undo = table_of(RepaymentUndo)
_entries = table_of(JournalEntry)
_ev = table_of(FacilityEvent)

#: what a repayment may be undone on: still being repaid, or repaid by it
UNDOABLE = (*SERVICED, FacilityStatus.REPAID)


@dataclass(frozen=True, slots=True)
class UndoOut:
    ref: str
    facility_id: int
    amount_fen: int
    principal_fen: int
    #: the reversals posted (none for a guaranteed loan's repayment that released nothing)
    entry_seqs: tuple[int, ...]


def undo_repayment(
    conn: Connection,
    operator: str | None,
    ref: str,
    on: date,
    reason: str,
    facility_id: int | None = None,
) -> UndoOut:
    """Undo repayment ``ref`` from ``on`` (finance); ``facility_id``, if given, must be its."""
    actor = authorise(conn, operator, "repayments.record")
    ref = check_ref(ref) or ""
    reason = reason.strip()
    if not reason:
        raise InputError("correction.reason_needed")
    capacity.lock_fund(conn)  # lock order: the fund, then the facility (as repayments do)
    rep = conn.execute(select(_rep).where(_rep.c.ref == ref)).first()
    if rep is None:
        raise NotFound("repay.undo_not_found", ref=ref)
    if facility_id is not None and facility_id != rep.facility_id:
        raise InputError("repay.undo_other_facility", ref=ref, id=facility_id, of=rep.facility_id)
    fac = _undoable(conn, rep, on)
    seqs = _reverse_entries(conn, fac.id, ref, on, actor.name, reason)
    _unpay_instalments(conn, fac, ref)
    defaulted = conn.scalar(
        select(exists().where(_ev.c.facility_id == fac.id, _ev.c.kind == FacilityEventKind.DEFAULT))
    )
    values = _owed_again(fac, rep, seqs, bool(defaulted))
    conn.execute(update(_fac).where(_fac.c.id == fac.id).values(values))
    conn.execute(
        _undo.insert().values(
            ref=ref,
            facility_id=fac.id,
            business_date=on,
            amount_fen=rep.amount_fen,
            principal_fen=rep.principal_fen,
            interest_fen=rep.interest_fen,
            reason=reason,
            operator=actor.name,
            recorded_at=utcnow(),
        )
    )
    audit.record(
        conn,
        actor.name,
        "repayments.undo",
        object_type="repayment",
        object_id=ref,
        business_date=on,
        facility_id=fac.id,
        reason=reason,
        principal_fen=int(rep.principal_fen),
        entry_seqs=[s for s, _ in seqs],
    )
    return UndoOut(
        ref, fac.id, int(rep.amount_fen), int(rep.principal_fen), tuple(s for s, _ in seqs)
    )


def _undoable(conn: Connection, rep: object, on: date) -> FacilityRow:
    """The repayment's facility, locked, if the repayment can be undone on ``on``."""
    ref, fid, paid_on = rep.ref, rep.facility_id, rep.business_date  # type: ignore[attr-defined]
    undone = conn.scalar(select(_undo.c.business_date).where(_undo.c.ref == ref))
    if undone is not None:
        raise Conflict("repay.already_undone", ref=ref, date=undone.isoformat())
    if journal.closed_months(conn, {month_of(on)}):
        raise RuleBroken("period.closed", month=month_of(on))
    if on < paid_on:
        raise RuleBroken("repay.undo_before_repayment", ref=ref, date=paid_on.isoformat())
    row = conn.execute(select(_fac).where(_fac.c.id == fid).with_for_update()).first()
    assert row is not None  # the repayment's foreign key
    fac = FacilityRow.from_row(row)
    if fac.status not in UNDOABLE:
        raise RuleBroken("repay.undo_not_serviced", ref=ref, id=fid, status=fac.status)
    if fac.closed_through is not None and on <= fac.closed_through:
        raise RuleBroken("repay.undo_books_closed", date=fac.closed_through.isoformat())
    latest = conn.scalar(
        select(_rep.c.ref)
        .where(_rep.c.facility_id == fid, ~exists().where(_undo.c.ref == _rep.c.ref))
        .order_by(_rep.c.business_date.desc(), _rep.c.id.desc())
        .limit(1)
    )
    if latest != ref:
        raise RuleBroken("repay.undo_later_first", ref=ref, later=latest)
    retired = conn.scalar(
        select(_alloc.c.version).where(
            _alloc.c.repayment_ref == ref, _alloc.c.version != fac.schedule_version
        )
    )
    if retired is not None:
        raise RuleBroken("repay.undo_restructured", ref=ref, version=retired)
    return fac


def _reverse_entries(
    conn: Connection, fid: int, ref: str, on: date, operator: str, reason: str
) -> list[tuple[int, str]]:
    """Reverse the repayment's entries (its ref is their memo): (reversal seq, kind)."""
    rev = _entries.alias("rev")
    found = conn.execute(
        select(_entries.c.seq, _entries.c.kind)
        .where(
            _entries.c.object_type == FACILITY,
            _entries.c.object_id == str(fid),
            _entries.c.memo == ref,
            _entries.c.kind.in_((EntryKind.REPAYMENT, EntryKind.DEPOSIT_RELEASE)),
            ~exists().where(rev.c.reverses_seq == _entries.c.seq),
        )
        .order_by(_entries.c.seq)
    ).all()
    memo = f"{ref}: {reason}"[:500]
    return [(journal.reverse(conn, seq, on, operator, memo).seq, kind) for seq, kind in found]


def _unpay_instalments(conn: Connection, fac: FacilityRow, ref: str) -> None:
    """Each instalment the repayment paid is unpaid again by what it paid of it."""
    a, i = _alloc.c, _inst.c
    rows = conn.execute(
        select(
            i.no,
            i.paid_principal_fen - a.principal_fen,
            i.paid_interest_fen - a.interest_fen,
        )
        .select_from(
            _alloc.join(
                _inst,
                (i.facility_id == a.facility_id) & (i.version == a.version) & (i.no == a.no),
            )
        )
        .where(a.repayment_ref == ref, a.version == fac.schedule_version)
    ).all()
    update_rows(
        conn,
        _inst,
        ("facility_id", "no"),
        [
            {"facility_id": fac.id, "no": no, "paid_principal_fen": p, "paid_interest_fen": n}
            for no, p, n in rows
        ],
        only_active=True,
    )


def _owed_again(
    fac: FacilityRow, rep: object, seqs: list[tuple[int, str]], defaulted: bool
) -> dict[str, object]:
    """The facility owes the principal again; a repaid one is current until the day
    close ages it (defaulted, if a default was ever found: a default is sticky until
    repaid); a guarantee's released deposit is placed again."""
    principal = int(rep.principal_fen)  # type: ignore[attr-defined]
    outstanding = fac.outstanding_fen + principal
    values: dict[str, object] = {
        "outstanding_fen": outstanding,
        "repaid_fen": fac.repaid_fen - principal,
    }
    if fac.status == FacilityStatus.REPAID and outstanding > 0:
        values["status"] = FacilityStatus.DEFAULTED if defaulted else FacilityStatus.CURRENT
    if fac.instrument == Instrument.GUARANTEE:
        values["exposure_fen"] = share_fen(outstanding, fac.coverage_bp)
        if any(kind == EntryKind.DEPOSIT_RELEASE for _, kind in seqs):
            values["deposit_fen"] = share_fen(fac.principal_fen, fac.deposit_bp)
    return values
