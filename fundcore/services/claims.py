"""When a guaranteed loan defaults: the claim paid to the bank (代偿), recoveries (追偿)
from the borrower and from the county government's counter-guarantee, and the write-off
of what cannot be recovered, against the guarantee loss provision. A defaulted
interest-free loan is written off likewise. Every step is one balanced entry.

A claim is paid from the guarantee deposit first, then from cash; the county's share of
the claim (its counter-guarantee) becomes a receivable from the county government. It
pays what the guarantee covers (``domain.claims.cover``): the coverage share of the
principal outstanding and, where the policy the guarantee was approved under says so,
of the overdue interest; without an amount, all of that.

A defaulted interest-free loan with a county counter-guarantee has the county's share
of its principal outstanding called (``call_county_share``): at the day close that
finds the default (policy ``county_claim_at_default``) or by ``fund claims county``. A
write-off takes only what the borrower owes; what the county owes is written off on
its own (``write_off_county``), with its own reason.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Connection, insert, select, update

from fundcore.domain import chart
from fundcore.domain import claims as owed
from fundcore.domain.errors import InputError, NotFound, RuleBroken
from fundcore.domain.ledger import EntryDraft
from fundcore.domain.postings.claims import (
    ClaimPaid,
    ClaimSplit,
    CountyWrittenOff,
    GuaranteeWrittenOff,
    LoanCountyShare,
    LoanWrittenOff,
    Recovered,
    claim,
    county_write_off,
    guarantee_write_off,
    loan_county_share,
    loan_write_off,
    recovery,
)
from fundcore.domain.postings.repayment import FACILITY
from fundcore.domain.refs import check_ref
from fundcore.domain.replay import check_replay
from fundcore.domain.terms import (
    EntryKind,
    FacilityEventKind,
    FacilityStatus,
    Instrument,
    LocalSupportKind,
    RecoverySource,
)
from fundcore.domain.text import check_text
from fundcore.services import capacity
from fundcore.services.operators import authorise
from fundcore.services.policy import by_version
from fundcore.store import audit, facts, journal
from fundcore.store.models import Facility, JournalEntry, LocalSupport, Recovery
from fundcore.store.rows import FacilityRow, active_instalments
from fundcore.store.tables import table_of

# declarative models type ``__table__`` as a FromClause; these are Tables
_fac = table_of(Facility)
_rec = table_of(Recovery)
_ls = table_of(LocalSupport)

#: the facility column that counts what each source has paid back
_RECOVERED_COLUMN: dict[RecoverySource, str] = {
    RecoverySource.BORROWER: "recovered_borrower_fen",
    RecoverySource.COUNTY: "recovered_county_fen",
}


@dataclass(frozen=True, slots=True)
class ClaimOut:
    facility_id: int
    amount_fen: int
    from_deposit_fen: int
    from_cash_fen: int
    county_share_fen: int
    entry_seq: int
    #: of ``amount_fen``: principal and the overdue interest paid to the bank
    principal_fen: int
    interest_fen: int
    #: what the guarantee covered (coverage share, whether interest, the overdue interest)
    cover: owed.Cover


def _locked(conn: Connection, fid: int) -> FacilityRow:
    """The facility, locked after the fund (the lock order every money path keeps)."""
    capacity.lock_fund(conn)
    row = conn.execute(select(_fac).where(_fac.c.id == fid).with_for_update()).first()
    if row is None:
        raise NotFound("facility.not_found", id=fid)
    return FacilityRow.from_row(row)


def _held(conn: Connection, account: str) -> int:
    """An account's balance now, on its normal side."""
    return next(r.balance_fen for r in journal.balances(conn) if r.code == account)


def pay_claim(
    conn: Connection, operator: str | None, fid: int, amount: int | None, on: date
) -> ClaimOut:
    """Pay the bank for a defaulted guarantee (deposit first, then cash): ``amount``, or
    without one everything the guarantee covers."""
    actor = authorise(conn, operator, "claims.pay")
    fac = _locked(conn, fid)
    if fac.instrument != Instrument.GUARANTEE or fac.status != FacilityStatus.DEFAULTED:
        raise RuleBroken("claim.not_defaulted_guarantee", id=fid, status=fac.status)
    covered = _cover(conn, fac, on)
    amount = covered.total_fen if amount is None else amount
    if amount > covered.total_fen:
        raise RuleBroken(
            "claim.more_than_covered",
            amount=amount,
            covered=covered.total_fen,
            principal=covered.principal_fen,
            interest=covered.interest_fen,
        )
    principal, interest = covered.split(amount)
    county_bp = _county_share_bp(conn, fid)
    fact = ClaimPaid(fid, on, actor.name, amount, fac.deposit_fen, county_bp, interest)
    split = fact.split
    bank = _held(conn, chart.BANK)
    if split.from_cash_fen > bank:
        raise RuleBroken("disburse.no_cash", need=split.from_cash_fen, bank=bank)
    seq = journal.post_many(conn, claim(fact))[0].seq
    _mark_claimed(conn, fid, split)
    events = [facts.Event(fid, FacilityEventKind.CLAIM, on, split.amount_fen)]
    if split.county_share_fen:
        events.append(facts.Event(fid, FacilityEventKind.COUNTY_SHARE, on, split.county_share_fen))
    facts.record_events(conn, events)
    audit.record(
        conn,
        actor.name,
        "claims.pay",
        object_type=FACILITY,
        object_id=fid,
        business_date=on,
        amount_fen=amount,
        principal_fen=principal,
        interest_fen=interest,
        coverage_bp=covered.coverage_bp,
        covers_interest=covered.covers_interest,
        from_deposit_fen=split.from_deposit_fen,
        county_share_fen=split.county_share_fen,
        entry_seq=seq,
    )
    out = (split.from_deposit_fen, split.from_cash_fen, split.county_share_fen)
    return ClaimOut(fid, amount, *out, seq, principal, interest, covered)


def _cover(conn: Connection, fac: FacilityRow, on: date) -> owed.Cover:
    """What the guarantee covers on ``on``: its coverage share of the principal owed and,
    if the policy it was approved under says so, of the interest overdue by then."""
    covers_interest = by_version(conn, fac.policy_version).policy.claim_covers_interest
    plan = active_instalments(conn, fac.id)
    overdue = owed.overdue_interest(
        # the borrower's interest: the subsidy is the fund's own to pay the bank
        ((i.due_date, i.interest_fen - i.subsidy_fen, i.paid_interest_fen) for i in plan),
        on,
    )
    return owed.cover(fac.outstanding_fen, overdue, fac.coverage_bp, covers_interest)


def _county_share_bp(conn: Connection, fid: int) -> int:
    """The county government's counter-guarantee share of a claim, if it gave one."""
    share = conn.scalar(
        select(_ls.c.share_bp).where(
            _ls.c.facility_id == fid, _ls.c.kind == LocalSupportKind.COUNTER_GUARANTEE
        )
    )
    return int(share or 0)


def _mark_claimed(conn: Connection, fid: int, split: ClaimSplit) -> None:
    """Claimed: nothing outstanding or exposed any more, the deposit used or back."""
    conn.execute(
        update(_fac)
        .where(_fac.c.id == fid)
        .values(
            status=FacilityStatus.CLAIMED,
            claim_paid_fen=split.amount_fen,
            county_share_fen=split.county_share_fen,
            exposure_fen=0,
            deposit_fen=0,
            outstanding_fen=0,
        )
    )


def receivables(fac: Mapping[str, Any]) -> tuple[int, int]:
    """(from the borrower, from the county) still to recover on a claimed guarantee,
    for a facility row as a mapping (see ``fundcore.domain.claims.receivables``)."""
    left = owed.receivables(
        fac["status"],
        fac["claim_paid_fen"],
        fac["county_share_fen"],
        fac["recovered_borrower_fen"],
        fac["recovered_county_fen"],
        fac.get("county_written_off_fen", 0),
    )
    return left.borrower_fen, left.county_fen


def receivables_of(fac: FacilityRow) -> owed.Receivables:
    """What is still to recover on a claimed guarantee, from the borrower and the county."""
    return owed.receivables(
        fac.status,
        fac.claim_paid_fen,
        fac.county_share_fen,
        fac.recovered_borrower_fen,
        fac.recovered_county_fen,
        fac.county_written_off_fen,
    )


def record_recovery(
    conn: Connection,
    operator: str | None,
    fid: int,
    amount: int,
    on: date,
    ref: str,
    source: str = RecoverySource.BORROWER,
) -> tuple[int, bool]:
    """Money recovered on a claimed guarantee (borrower or county); idempotent by ref.

    Returns the recovery's id and whether it was recorded now (False for a replay)."""
    actor = authorise(conn, operator, "recoveries.record")
    ref = check_ref(ref) or ""  # required: a blank ref is refused
    fact = Recovered(fid, on, actor.name, RecoverySource(source), amount, ref)
    replayed = _replayed_recovery(conn, fact)
    if replayed is not None:
        return replayed, False
    fac = _locked(conn, fid)
    # the county's share stays owed whatever becomes of the borrower's debt
    by_county = fact.source == RecoverySource.COUNTY and fac.county_share_fen > 0
    if fac.status != FacilityStatus.CLAIMED and not by_county:
        raise RuleBroken("recovery.not_claimed", id=fid, status=fac.status)
    still_owed = receivables_of(fac).owed_by(fact.source)
    if amount > still_owed:
        raise RuleBroken("recovery.more_than_owed", amount=amount, owed=still_owed)
    entry = journal.post(conn, recovery(fact))
    new_id = _store_recovery(conn, fac, fact)
    audit.record(
        conn,
        actor.name,
        "recoveries.record",
        object_type=FACILITY,
        object_id=fid,
        business_date=on,
        amount_fen=amount,
        source=fact.source,
        ref=ref,
        entry_seq=entry.seq,
    )
    return new_id, True


def _replayed_recovery(conn: Connection, fact: Recovered) -> int | None:
    """The id of the recovery already recorded under the ref, if the fact replays it."""
    existing = conn.execute(select(_rec).where(_rec.c.ref == fact.ref)).first()
    if existing is None:
        return None
    given = {
        "facility_id": fact.facility_id,
        "amount_fen": fact.amount_fen,
        "business_date": fact.business_date,
        "source": fact.source,
    }
    check_replay("repay.ref_differs", fact.ref, existing._asdict(), given)
    return int(existing.id)


def _store_recovery(conn: Connection, fac: FacilityRow, fact: Recovered) -> int:
    """The recovery's row, and the facility's count of what its source paid back."""
    new_id = conn.execute(
        insert(_rec).values(
            facility_id=fact.facility_id,
            ref=fact.ref,
            source=fact.source,
            amount_fen=fact.amount_fen,
            business_date=fact.business_date,
            operator=fact.operator,
        )
    ).inserted_primary_key
    assert new_id is not None  # a single-row insert always reports its key
    column = _RECOVERED_COLUMN[fact.source]
    recovered = getattr(fac, column) + fact.amount_fen
    conn.execute(update(_fac).where(_fac.c.id == fac.id).values({column: recovered}))
    return int(new_id[0])


def write_off(
    conn: Connection, operator: str | None, fid: int, on: date, reason: str
) -> tuple[int, int]:
    """Write off what cannot be recovered; (amount, entry seq)."""
    actor = authorise(conn, operator, "write_offs.record")
    if not check_text("reason", reason).strip():
        raise InputError("decision.reason_needed")
    fac = _locked(conn, fid)
    fact = _write_off_fact(conn, fac, on, actor.name, reason.strip())
    if fact.amount_fen <= 0:
        raise RuleBroken("write_off.nothing_left", id=fid)
    entry = journal.post(conn, _write_off_entry(fact))
    facts.record_events(conn, [facts.Event(fid, FacilityEventKind.WRITE_OFF, on, fact.amount_fen)])
    values: dict[str, object] = {}
    if isinstance(fact, LoanWrittenOff):
        values["outstanding_fen"] = 0
    conn.execute(
        update(_fac)
        .where(_fac.c.id == fid)
        .values(
            status=FacilityStatus.WRITTEN_OFF,
            written_off_fen=fac.written_off_fen + fact.amount_fen,
            **values,
        )
    )
    audit.record(
        conn,
        actor.name,
        "write_offs.record",
        object_type=FACILITY,
        object_id=fid,
        business_date=on,
        amount_fen=fact.amount_fen,
        reason=reason,
        entry_seq=entry.seq,
    )
    return fact.amount_fen, entry.seq


def _write_off_fact(
    conn: Connection, fac: FacilityRow, on: date, operator: str, reason: str
) -> GuaranteeWrittenOff | LoanWrittenOff:
    """What a write-off takes: a claimed guarantee's receivables, or a defaulted loan."""
    if fac.status == FacilityStatus.CLAIMED:
        left = receivables_of(fac)
        held = _held(conn, chart.GUARANTEE_LOSS_PROVISION)
        # the borrower's debt only: the county's share is written off on its own
        return GuaranteeWrittenOff(fac.id, on, operator, reason, left.borrower_fen, 0, held)
    if fac.instrument == Instrument.LOAN and fac.status == FacilityStatus.DEFAULTED:
        held = _held(conn, chart.LOAN_LOSS_ALLOWANCE)
        return LoanWrittenOff(fac.id, on, operator, reason, fac.outstanding_fen, held)
    raise RuleBroken("write_off.not_allowed", id=fac.id, status=fac.status)


def _write_off_entry(fact: GuaranteeWrittenOff | LoanWrittenOff) -> EntryDraft:
    if isinstance(fact, GuaranteeWrittenOff):
        return guarantee_write_off(fact)
    return loan_write_off(fact)


def undo_write_off(conn: Connection, operator: str | None, fid: int, on: date, reason: str) -> int:
    """Reverse a facility's write-off (its entry is reversed, its state restored)."""
    actor = authorise(conn, operator, "write_offs.record")
    fac = _locked(conn, fid)
    if fac.status != FacilityStatus.WRITTEN_OFF:
        raise RuleBroken("write_off.none_to_undo", id=fid, status=fac.status)
    seq = _write_off_seq(conn, fid)
    if seq is None:
        raise RuleBroken("write_off.none_to_undo", id=fid, status=fac.status)
    back = journal.reverse(conn, seq, on, actor.name, reason)
    undone = facts.Event(fid, FacilityEventKind.WRITE_OFF_UNDO, on, fac.written_off_fen)
    facts.record_events(conn, [undone])
    restored: dict[str, object] = {"written_off_fen": 0}
    if fac.instrument == Instrument.GUARANTEE:
        restored["status"] = FacilityStatus.CLAIMED
    else:
        restored.update(status=FacilityStatus.DEFAULTED, outstanding_fen=fac.written_off_fen)
    conn.execute(update(_fac).where(_fac.c.id == fid).values(restored))
    audit.record(
        conn,
        actor.name,
        "write_offs.undo",
        object_type=FACILITY,
        object_id=fid,
        business_date=on,
        reason=reason,
        entry_seq=back.seq,
    )
    return back.seq


def _write_off_seq(conn: Connection, fid: int) -> int | None:
    """The facility's latest write-off entry (the one an undo reverses)."""
    seq = conn.scalar(
        select(JournalEntry.seq)
        .where(
            JournalEntry.object_type == FACILITY,
            JournalEntry.object_id == str(fid),
            JournalEntry.kind == EntryKind.WRITE_OFF,
        )
        .order_by(JournalEntry.seq.desc())
        .limit(1)
    )
    return seq


# --- countyshare ---


@dataclass(frozen=True, slots=True)
class CountyShareOut:
    facility_id: int
    share_bp: int
    amount_fen: int
    entry_seq: int


def call_county_share(conn: Connection, operator: str | None, fid: int, on: date) -> CountyShareOut:
    """``fund claims county``: a defaulted interest-free loan's county counter-guarantee
    share of the principal outstanding becomes a receivable from the county."""
    actor = authorise(conn, operator, "claims.pay")
    fac = _locked(conn, fid)
    if fac.instrument != Instrument.LOAN or fac.status != FacilityStatus.DEFAULTED:
        raise RuleBroken("county_claim.not_defaulted_loan", id=fid, status=fac.status)
    if fac.county_share_fen:
        raise RuleBroken("county_claim.already", id=fid, amount=fac.county_share_fen)
    share_bp = _county_share_bp(conn, fid)
    if not share_bp:
        raise RuleBroken("county_claim.no_counter_guarantee", id=fid)
    fact = LoanCountyShare(fid, on, actor.name, fac.outstanding_fen, share_bp)
    seq = post_county_shares(conn, [(fac, fact)])[0]
    audit.record(
        conn,
        actor.name,
        "claims.county",
        object_type=FACILITY,
        object_id=fid,
        business_date=on,
        amount_fen=fact.amount_fen,
        share_bp=share_bp,
        entry_seq=seq,
    )
    return CountyShareOut(fid, share_bp, fact.amount_fen, seq)


def post_county_shares(
    conn: Connection, called: list[tuple[FacilityRow, LoanCountyShare]]
) -> list[int]:
    """Post each loan's county share, with its dated fact, and move it off the loan: the
    loan now owes only the borrower's part (all of it called: nothing, so repaid)."""
    called = [(fac, fact) for fac, fact in called if fact.amount_fen > 0]
    if not called:
        return []
    posted = journal.post_many(conn, [loan_county_share(fact) for _, fact in called])
    facts.record_events(
        conn,
        [
            facts.Event(fac.id, FacilityEventKind.COUNTY_SHARE, fact.business_date, fact.amount_fen)
            for fac, fact in called
        ],
    )
    for fac, fact in called:
        left = fac.outstanding_fen - fact.amount_fen
        values: dict[str, object] = {"county_share_fen": fact.amount_fen, "outstanding_fen": left}
        if left == 0:
            values.update(status=FacilityStatus.REPAID, days_past_due=0)
        conn.execute(update(_fac).where(_fac.c.id == fac.id).values(values))
    return [p.seq for p in posted]


def county_shares_at_default(
    conn: Connection, operator: str, on: date, defaulted: dict[int, int]
) -> int:
    """The day close's call of the county shares of the loans it found in default on
    ``on``, given each one's principal outstanding then; how many were called."""
    if not defaulted:
        return 0
    shares: dict[int, int] = {
        int(fid): int(bp)
        for fid, bp in conn.execute(
            select(_ls.c.facility_id, _ls.c.share_bp).where(
                _ls.c.facility_id.in_(sorted(defaulted)),
                _ls.c.kind == LocalSupportKind.COUNTER_GUARANTEE,
                _ls.c.share_bp > 0,
            )
        )
    }
    if not shares:
        return 0
    rows = conn.execute(
        select(_fac).where(
            _fac.c.id.in_(sorted(shares)),
            _fac.c.instrument == Instrument.LOAN,
            _fac.c.county_share_fen == 0,
        )
    ).all()
    called = []
    for row in rows:
        fac = FacilityRow.from_row(row)
        owed_then = min(defaulted[fac.id], fac.outstanding_fen)
        called.append((fac, LoanCountyShare(fac.id, on, operator, owed_then, int(shares[fac.id]))))
    return len(post_county_shares(conn, called))


def write_off_county(
    conn: Connection, operator: str | None, fid: int, on: date, reason: str
) -> tuple[int, int]:
    """Write off what the county still owes on a facility, on its own; (amount, seq)."""
    actor = authorise(conn, operator, "write_offs.record")
    if not reason.strip():
        raise InputError("decision.reason_needed")
    fac = _locked(conn, fid)
    left = receivables_of(fac).county_fen
    if left <= 0:
        raise RuleBroken("write_off.county_nothing", id=fid)
    guarantee = fac.instrument == Instrument.GUARANTEE
    held = _held(conn, chart.GUARANTEE_LOSS_PROVISION) if guarantee else 0
    fact = CountyWrittenOff(fid, on, actor.name, reason.strip(), left, guarantee, held)
    entry = journal.post(conn, county_write_off(fact))
    conn.execute(
        update(_fac)
        .where(_fac.c.id == fid)
        .values(county_written_off_fen=fac.county_written_off_fen + left)
    )
    audit.record(
        conn,
        actor.name,
        "write_offs.county",
        object_type=FACILITY,
        object_id=fid,
        business_date=on,
        amount_fen=left,
        reason=reason,
        entry_seq=entry.seq,
    )
    return left, entry.seq
