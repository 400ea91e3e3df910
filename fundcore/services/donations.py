"""Money in: donations (社会捐赠), restricted to a purpose or not, and the Foundation's
own matching donation (配捐, ``foundation_match``: other income, never restricted; see
``domain.postings.donations``).

A purpose is one of ``domain.purposes`` (by code or name); ``restricted_purpose`` is
the donor's own words, kept as a note. Words without a purpose restrict the gift to the
programme as a whole, as every restricted gift was before purposes were data.

Recording is idempotent by the donor's or bank's reference: the same ``ref`` with the
same particulars is the same donation (a no-op that says so); the same ``ref`` with
different particulars is refused, since one of the two must be a mistake.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Connection, insert, select

from fundcore.domain import purposes
from fundcore.domain.errors import InputError
from fundcore.domain.postings.donations import Donation, donation_entry
from fundcore.domain.refs import check_ref
from fundcore.domain.replay import check_replay
from fundcore.domain.terms import EntryKind
from fundcore.domain.text import check_text
from fundcore.services.operators import authorise
from fundcore.store import audit
from fundcore.store.journal import post
from fundcore.store.models import Donation as DonationModel
from fundcore.store.models import JournalEntry
from fundcore.store.tables import table_of

_donations = table_of(DonationModel)


@dataclass(frozen=True, slots=True)
class DonationIn:
    amount_fen: int
    donor: str
    business_date: date
    restricted_purpose: str | None = None
    ref: str | None = None
    #: a purpose's code or name (``domain.purposes``); None: unrestricted (or words only)
    purpose: str | None = None
    foundation_match: bool = False


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
        existing = _replay(conn, d.ref, d)
        if existing is not None:
            return existing
    new_id = _insert(conn, actor.name, d)
    facts = Donation(
        new_id,
        d.amount_fen,
        d.donor,
        d.business_date,
        d.restricted_purpose,
        d.purpose,
        d.foundation_match,
    )
    entry = post(conn, donation_entry(facts, actor.name))
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
        purpose=d.purpose,
        foundation_match=d.foundation_match,
        entry_seq=entry.seq,
    )
    return DonationOut(new_id, entry.seq, True)


def _insert(conn: Connection, operator: str, d: DonationIn) -> int:
    """Store the donation; its new id."""
    result = conn.execute(
        insert(_donations).values(
            ref=d.ref,
            donor=d.donor,
            amount_fen=d.amount_fen,
            business_date=d.business_date,
            restricted_purpose=d.restricted_purpose,
            purpose=d.purpose,
            foundation_match=d.foundation_match,
            operator=operator,
        )
    )
    key = result.inserted_primary_key
    assert key is not None  # a single-row INSERT always reports its key
    return int(key[0])


def _clean(d: DonationIn) -> DonationIn:
    donor = check_text("donor", d.donor).strip()
    if not donor or len(donor) > 200:
        raise InputError("donation.bad_donor")
    purpose = check_text("restricted", d.restricted_purpose or "").strip() or None
    if purpose and len(purpose) > 200:
        raise InputError("donation.bad_purpose")
    ref = check_ref(d.ref, required=False)  # given, it must not be blank
    if d.amount_fen <= 0:
        raise InputError("money.not_positive", text=str(d.amount_fen))
    code = purposes.parse(d.purpose).code if d.purpose is not None else None
    if d.foundation_match and (code or purpose):
        raise InputError("donation.foundation_match_restricted")
    if purpose and code is None:
        code = purposes.PROGRAMME
    return DonationIn(d.amount_fen, donor, d.business_date, purpose, ref, code, d.foundation_match)


def _replay(conn: Connection, ref: str, d: DonationIn) -> DonationOut | None:
    """The donation already recorded under ``ref``, if the particulars agree."""
    row = conn.execute(select(_donations).where(_donations.c.ref == ref)).first()
    if row is None:
        return None
    recorded = {
        "amount": row.amount_fen,
        "donor": row.donor,
        "date": row.business_date,
        "restricted": row.restricted_purpose,
        "purpose": row.purpose,
        "foundation_match": bool(row.foundation_match),
    }
    given = {
        "amount": d.amount_fen,
        "donor": d.donor,
        "date": d.business_date,
        "restricted": d.restricted_purpose,
        "purpose": d.purpose,
        "foundation_match": d.foundation_match,
    }
    check_replay("donation.ref_differs", ref, recorded, given)
    seq = conn.scalar(
        select(JournalEntry.seq).where(
            JournalEntry.object_type == "donation",
            JournalEntry.object_id == str(row.id),
            JournalEntry.kind == EntryKind.DONATION,
        )
    )
    if seq is None:
        raise LookupError(f"donation {row.id} has no entry")  # the journal is broken
    return DonationOut(int(row.id), seq, False)
