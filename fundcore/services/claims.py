"""When a guaranteed loan defaults: the claim paid to the bank (代偿), recoveries (追偿)
from the borrower and from the county government's counter-guarantee, and the write-off
of what cannot be recovered, against the guarantee loss provision. A defaulted
interest-free loan is written off likewise. Every step is one balanced entry.

A claim is paid from the guarantee deposit first, then from cash; the county's share of
the claim (its counter-guarantee) becomes a receivable from the county government.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Connection, insert, select, update

from fundcore.domain import chart
from fundcore.domain.errors import InputError, NotFound, RuleBroken
from fundcore.domain.ledger import EntryDraft, Line, credit, debit
from fundcore.domain.money import share_fen
from fundcore.domain.refs import check_ref
from fundcore.domain.replay import check_replay
from fundcore.services import capacity
from fundcore.services.operators import authorise
from fundcore.store import audit, journal
from fundcore.store.models import Facility, JournalEntry, LocalSupport, Recovery

_fac = Facility.__table__
_rec = Recovery.__table__
_ls = LocalSupport.__table__


@dataclass(frozen=True, slots=True)
class ClaimOut:
    facility_id: int
    amount_fen: int
    from_deposit_fen: int
    from_cash_fen: int
    county_share_fen: int
    entry_seq: int


def _locked(conn: Connection, fid: int) -> dict:
    capacity.lock_fund(conn)
    row = conn.execute(select(_fac).where(_fac.c.id == fid).with_for_update()).mappings().first()
    if row is None:
        raise NotFound("facility.not_found", id=fid)
    return dict(row)


def pay_claim(conn: Connection, operator: str | None, fid: int, amount: int, on: date) -> ClaimOut:
    """Pay the bank for a defaulted guarantee (deposit first, then cash)."""
    actor = authorise(conn, operator, "claims.pay")
    fac = _locked(conn, fid)
    if fac["instrument"] != "guarantee" or fac["status"] != "defaulted":
        raise RuleBroken("claim.not_defaulted_guarantee", id=fid, status=fac["status"])
    covered = share_fen(fac["outstanding_fen"], fac["coverage_bp"])
    if amount > covered:
        raise RuleBroken("claim.more_than_covered", amount=amount, covered=covered)
    from_deposit = min(fac["deposit_fen"], amount)
    from_cash = amount - from_deposit
    bank = next(r.balance_fen for r in journal.balances(conn) if r.code == chart.BANK)
    if from_cash > bank:
        raise RuleBroken("disburse.no_cash", need=from_cash, bank=bank)
    share_bp = (
        conn.scalar(
            select(_ls.c.share_bp).where(
                _ls.c.facility_id == fid, _ls.c.kind == "counter-guarantee"
            )
        )
        or 0
    )
    county = share_fen(amount, share_bp)
    lines: list[Line] = [debit(chart.CLAIMS_RECEIVABLE, amount)]
    lines += [credit(chart.GUARANTEE_DEPOSITS, from_deposit)] if from_deposit else []
    lines += [credit(chart.BANK, from_cash)] if from_cash else []
    drafts = [
        EntryDraft(
            on,
            "claim",
            actor.name,
            tuple(lines),
            object_type="facility",
            object_id=str(fid),
            memo="代偿 paid to the bank",
        )
    ]
    if county:
        drafts.append(
            EntryDraft(
                on,
                "claim.county_share",
                actor.name,
                (
                    debit(chart.COUNTER_GUARANTEE_RECEIVABLE, county),
                    credit(chart.CLAIMS_RECEIVABLE, county),
                ),
                object_type="facility",
                object_id=str(fid),
                memo=f"counter-guarantee share {share_bp} bp",
            )
        )
    rest = fac["deposit_fen"] - from_deposit
    if rest:
        drafts.append(
            EntryDraft(
                on,
                "deposit.release",
                actor.name,
                (debit(chart.BANK, rest), credit(chart.GUARANTEE_DEPOSITS, rest)),
                object_type="facility",
                object_id=str(fid),
            )
        )
    posted = journal.post_many(conn, drafts)
    conn.execute(
        update(_fac)
        .where(_fac.c.id == fid)
        .values(
            status="claimed",
            claim_paid_fen=amount,
            county_share_fen=county,
            exposure_fen=0,
            deposit_fen=0,
            outstanding_fen=0,
        )
    )
    audit.record(
        conn,
        actor.name,
        "claims.pay",
        object_type="facility",
        object_id=fid,
        business_date=on,
        amount_fen=amount,
        from_deposit_fen=from_deposit,
        county_share_fen=county,
        entry_seq=posted[0].seq,
    )
    return ClaimOut(fid, amount, from_deposit, from_cash, county, posted[0].seq)


def receivables(fac: dict) -> tuple[int, int]:
    """(from the borrower, from the county) still to recover on a claimed guarantee.

    Once written off nothing is left to recover: the write-off takes both at once.
    """
    if fac["status"] == "written_off":
        return 0, 0
    borrower = fac["claim_paid_fen"] - fac["county_share_fen"] - fac["recovered_borrower_fen"]
    county = fac["county_share_fen"] - fac["recovered_county_fen"]
    return max(borrower, 0), max(county, 0)


def record_recovery(
    conn: Connection,
    operator: str | None,
    fid: int,
    amount: int,
    on: date,
    ref: str,
    source: str = "borrower",
) -> tuple[int, bool]:
    """Money recovered on a claimed guarantee (borrower or county); idempotent by ref."""
    actor = authorise(conn, operator, "recoveries.record")
    ref = check_ref(ref)
    existing = conn.execute(select(_rec).where(_rec.c.ref == ref)).first()
    if existing is not None:
        given = {"facility_id": fid, "amount_fen": amount, "business_date": on, "source": source}
        check_replay("repay.ref_differs", ref, existing._asdict(), given)
        return existing.id, False
    fac = _locked(conn, fid)
    if fac["status"] != "claimed":
        raise RuleBroken("recovery.not_claimed", id=fid, status=fac["status"])
    borrower, county = receivables(fac)
    owed = borrower if source == "borrower" else county
    if amount > owed:
        raise RuleBroken("recovery.more_than_owed", amount=amount, owed=owed)
    account = (
        chart.CLAIMS_RECEIVABLE if source == "borrower" else chart.COUNTER_GUARANTEE_RECEIVABLE
    )
    entry = journal.post(
        conn,
        EntryDraft(
            on,
            f"recovery.{source}",
            actor.name,
            (debit(chart.BANK, amount), credit(account, amount)),
            object_type="facility",
            object_id=str(fid),
            memo=ref,
        ),
    )
    new_id = conn.execute(
        insert(_rec).values(
            facility_id=fid,
            ref=ref,
            source=source,
            amount_fen=amount,
            business_date=on,
            operator=actor.name,
        )
    ).inserted_primary_key[0]
    column = "recovered_borrower_fen" if source == "borrower" else "recovered_county_fen"
    conn.execute(update(_fac).where(_fac.c.id == fid).values({column: fac[column] + amount}))
    audit.record(
        conn,
        actor.name,
        "recoveries.record",
        object_type="facility",
        object_id=fid,
        business_date=on,
        amount_fen=amount,
        source=source,
        ref=ref,
        entry_seq=entry.seq,
    )
    return new_id, True


def write_off(
    conn: Connection, operator: str | None, fid: int, on: date, reason: str
) -> tuple[int, int]:
    """Write off what cannot be recovered; (amount, entry seq)."""
    actor = authorise(conn, operator, "write_offs.record")
    if not reason.strip():
        raise InputError("decision.reason_needed")
    fac = _locked(conn, fid)
    if fac["status"] == "claimed":
        borrower, county = receivables(fac)
        lines = [credit(chart.CLAIMS_RECEIVABLE, borrower)] if borrower else []
        lines += [credit(chart.COUNTER_GUARANTEE_RECEIVABLE, county)] if county else []
        amount = borrower + county
        held = next(
            r.balance_fen
            for r in journal.balances(conn)
            if r.code == chart.GUARANTEE_LOSS_PROVISION
        )
        from_provision = min(max(held, 0), amount)
        debits = [debit(chart.GUARANTEE_LOSS_PROVISION, from_provision)] if from_provision else []
        if amount > from_provision:
            debits.append(debit(chart.WRITE_OFF_LOSSES, amount - from_provision))
        lines = debits + lines
        values: dict[str, int] = {}
    elif fac["instrument"] == "loan" and fac["status"] == "defaulted":
        amount = fac["outstanding_fen"]
        lines = [debit(chart.WRITE_OFF_LOSSES, amount), credit(chart.LOANS_RECEIVABLE, amount)]
        values = {"outstanding_fen": 0}
    else:
        raise RuleBroken("write_off.not_allowed", id=fid, status=fac["status"])
    if amount <= 0:
        raise RuleBroken("write_off.nothing_left", id=fid)
    entry = journal.post(
        conn,
        EntryDraft(
            on,
            "write_off",
            actor.name,
            tuple(lines),
            object_type="facility",
            object_id=str(fid),
            memo=reason.strip(),
        ),
    )
    conn.execute(
        update(_fac)
        .where(_fac.c.id == fid)
        .values(status="written_off", written_off_fen=fac["written_off_fen"] + amount, **values)
    )
    audit.record(
        conn,
        actor.name,
        "write_offs.record",
        object_type="facility",
        object_id=fid,
        business_date=on,
        amount_fen=amount,
        reason=reason,
        entry_seq=entry.seq,
    )
    return amount, entry.seq


def undo_write_off(conn: Connection, operator: str | None, fid: int, on: date, reason: str) -> int:
    """Reverse a facility's write-off (its entry is reversed, its state restored)."""
    actor = authorise(conn, operator, "write_offs.record")
    fac = _locked(conn, fid)
    if fac["status"] != "written_off":
        raise RuleBroken("write_off.none_to_undo", id=fid, status=fac["status"])
    seq = conn.scalar(
        select(JournalEntry.seq)
        .where(
            JournalEntry.object_type == "facility",
            JournalEntry.object_id == str(fid),
            JournalEntry.kind == "write_off",
        )
        .order_by(JournalEntry.seq.desc())
        .limit(1)
    )
    back = journal.reverse(conn, seq, on, actor.name, reason)
    restored: dict[str, object] = {"written_off_fen": 0}
    if fac["instrument"] == "guarantee":
        restored["status"] = "claimed"
    else:
        restored.update(status="defaulted", outstanding_fen=fac["written_off_fen"])
    conn.execute(update(_fac).where(_fac.c.id == fid).values(restored))
    audit.record(
        conn,
        actor.name,
        "write_offs.undo",
        object_type="facility",
        object_id=fid,
        business_date=on,
        reason=reason,
        entry_seq=back.seq,
    )
    return back.seq
