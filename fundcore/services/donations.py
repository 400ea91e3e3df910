"""Money in: donations (社会捐赠), restricted to a purpose or not.

Recording is idempotent by the donor's or bank's reference: the same ``ref`` with the
same particulars is the same donation (a no-op that says so); the same ``ref`` with
different particulars is refused, since one of the two must be a mistake.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Connection, insert, select

from fundcore.domain import chart
from fundcore.domain.errors import InputError
from fundcore.domain.ledger import EntryDraft, credit, debit
from fundcore.domain.replay import check_replay
from fundcore.services.operators import authorise
from fundcore.store import audit
from fundcore.store.journal import post
from fundcore.store.models import Donation, JournalEntry

_donations = Donation.__table__


@dataclass(frozen=True, slots=True)
class DonationIn:
    amount_fen: int
    donor: str
    business_date: date
    restricted_purpose: str | None = None
    ref: str | None = None


@dataclass(frozen=True, slots=True)
class DonationOut:
    id: int
    entry_seq: int
    created: bool


def record(conn: Connection, operator: str | None, d: DonationIn) -> DonationOut:
    """Record a donation and post it: bank against (restricted or unrestricted) income."""
    actor = authorise(conn, operator, "donations.record")
    d = _clean(d)
    if d.ref is not None:
        existing = _replay(conn, d)
        if existing is not None:
            return existing
    new_id = conn.execute(
        insert(_donations).values(
            ref=d.ref,
            donor=d.donor,
            amount_fen=d.amount_fen,
            business_date=d.business_date,
            restricted_purpose=d.restricted_purpose,
            operator=actor.name,
        )
    ).inserted_primary_key[0]
    income = chart.DONATIONS_RESTRICTED if d.restricted_purpose else chart.DONATIONS_UNRESTRICTED
    entry = post(
        conn,
        EntryDraft(
            business_date=d.business_date,
            kind="donation",
            operator=actor.name,
            lines=(debit(chart.BANK, d.amount_fen), credit(income, d.amount_fen)),
            object_type="donation",
            object_id=str(new_id),
            memo=d.donor if not d.restricted_purpose else f"{d.donor} / {d.restricted_purpose}",
        ),
    )
    audit.record(
        conn,
        actor.name,
        "donations.record",
        object_type="donation",
        object_id=new_id,
        business_date=d.business_date,
        amount_fen=d.amount_fen,
        ref=d.ref,
        restricted=d.restricted_purpose,
        entry_seq=entry.seq,
    )
    return DonationOut(new_id, entry.seq, True)


def _clean(d: DonationIn) -> DonationIn:
    donor = d.donor.strip()
    if not donor or len(donor) > 200:
        raise InputError("donation.bad_donor")
    purpose = (d.restricted_purpose or "").strip() or None
    if purpose and len(purpose) > 200:
        raise InputError("donation.bad_purpose")
    ref = (d.ref or "").strip() or None
    if ref and len(ref) > 64:
        raise InputError("donation.bad_ref")
    if d.amount_fen <= 0:
        raise InputError("money.not_positive", text=str(d.amount_fen))
    return DonationIn(d.amount_fen, donor, d.business_date, purpose, ref)


def _replay(conn: Connection, d: DonationIn) -> DonationOut | None:
    """The donation already recorded under ``d.ref``, if the particulars agree."""
    row = conn.execute(select(_donations).where(_donations.c.ref == d.ref)).first()
    if row is None:
        return None
    recorded = {
        "amount": row.amount_fen,
        "donor": row.donor,
        "date": row.business_date,
        "restricted": row.restricted_purpose,
    }
    given = {
        "amount": d.amount_fen,
        "donor": d.donor,
        "date": d.business_date,
        "restricted": d.restricted_purpose,
    }
    check_replay("donation.ref_differs", d.ref, recorded, given)
    seq = conn.scalar(
        select(JournalEntry.seq).where(
            JournalEntry.object_type == "donation",
            JournalEntry.object_id == str(row.id),
            JournalEntry.kind == "donation",
        )
    )
    return DonationOut(row.id, seq, False)
