"""Local leverage (地方配套): 1:1 matching money from the county, or the county
government's counter-guarantee (反担保). A guarantee or loan is paid out only once its
declared support is in place: matching received up to the pledged amount, or a
counter-guarantee recorded with its guarantor and the share it covers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Connection, func, insert, select

from fundcore import audit, chart, journal
from fundcore.errors import Conflict, InputError, NotFound, RuleBroken
from fundcore.ledger import EntryDraft, credit, debit
from fundcore.models import County, Facility, LocalSupport
from fundcore.operators import authorise

_ls = LocalSupport.__table__
_fac = Facility.__table__


@dataclass(frozen=True, slots=True)
class SupportIn:
    facility_id: int
    kind: str
    amount_fen: int
    business_date: date
    ref: str | None = None
    guarantor: str | None = None


@dataclass(frozen=True, slots=True)
class SupportOut:
    id: int
    created: bool
    received_fen: int
    required_fen: int


def received(conn: Connection, facility_id: int, kind: str) -> int:
    return int(
        conn.scalar(
            select(func.coalesce(func.sum(_ls.c.amount_fen), 0)).where(
                _ls.c.facility_id == facility_id, _ls.c.kind == kind
            )
        )
        or 0
    )


def in_place(conn: Connection, fac: object) -> bool:
    """Is the facility's declared local support there (grants need none)?"""
    if fac.instrument == "grant":
        return True
    if fac.local_support_kind == "matching":
        return received(conn, fac.id, "matching") >= fac.matching_required_fen
    return received(conn, fac.id, "counter-guarantee") > 0


def record(conn: Connection, operator: str | None, s: SupportIn) -> SupportOut:
    actor = authorise(conn, operator, "local_support.record")
    fac = conn.execute(select(_fac).where(_fac.c.id == s.facility_id)).first()
    if fac is None:
        raise NotFound("facility.not_found", id=s.facility_id)
    if fac.status == "cancelled" or fac.instrument == "grant":
        raise RuleBroken("support.not_applicable", id=s.facility_id, status=fac.status)
    if s.kind != fac.local_support_kind:
        raise RuleBroken("support.kind_differs", kind=s.kind, declared=fac.local_support_kind)
    ref = (s.ref or "").strip() or None
    if ref:
        replay = _replay(conn, s, ref)
        if replay is not None:
            return replay
    if s.kind == "matching":
        return _matching(conn, actor.name, fac, s, ref)
    return _counter_guarantee(conn, actor.name, fac, s, ref)


def _replay(conn: Connection, s: SupportIn, ref: str) -> SupportOut | None:
    row = conn.execute(select(_ls).where(_ls.c.ref == ref)).first()
    if row is None:
        return None
    given = (s.facility_id, s.kind, s.amount_fen, s.business_date)
    if (row.facility_id, row.kind, row.amount_fen, row.business_date) != given:
        raise Conflict("support.ref_differs", ref=ref)
    fac = conn.execute(select(_fac).where(_fac.c.id == s.facility_id)).one()
    return SupportOut(
        row.id,
        False,
        received(conn, s.facility_id, s.kind),
        fac.matching_required_fen if s.kind == "matching" else fac.principal_fen,
    )


def _insert(
    conn: Connection,
    operator: str,
    s: SupportIn,
    ref: str | None,
    guarantor: str | None = None,
    share_bp: int | None = None,
) -> int:
    return conn.execute(
        insert(_ls).values(
            facility_id=s.facility_id,
            kind=s.kind,
            amount_fen=s.amount_fen,
            business_date=s.business_date,
            ref=ref,
            guarantor=guarantor,
            share_bp=share_bp,
            operator=operator,
        )
    ).inserted_primary_key[0]


def _matching(
    conn: Connection, operator: str, fac: object, s: SupportIn, ref: str | None
) -> SupportOut:
    so_far = received(conn, fac.id, "matching")
    if so_far + s.amount_fen > fac.matching_required_fen:
        raise RuleBroken(
            "support.matching_exceeds",
            amount=s.amount_fen,
            received=so_far,
            required=fac.matching_required_fen,
        )
    new_id = _insert(conn, operator, s, ref)
    entry = journal.post(
        conn,
        EntryDraft(
            s.business_date,
            "matching.receipt",
            operator,
            (debit(chart.BANK, s.amount_fen), credit(chart.MATCHING_RECEIVABLE, s.amount_fen)),
            object_type="facility",
            object_id=str(fac.id),
            memo=f"matching receipt {ref or ''}",
        ),
    )
    audit.record(
        conn,
        operator,
        "local_support.matching",
        object_type="facility",
        object_id=fac.id,
        business_date=s.business_date,
        amount_fen=s.amount_fen,
        ref=ref,
        entry_seq=entry.seq,
    )
    return SupportOut(new_id, True, so_far + s.amount_fen, fac.matching_required_fen)


def _counter_guarantee(
    conn: Connection, operator: str, fac: object, s: SupportIn, ref: str | None
) -> SupportOut:
    if s.amount_fen > fac.principal_fen:
        raise RuleBroken(
            "support.counter_exceeds", amount=s.amount_fen, principal=fac.principal_fen
        )
    if received(conn, fac.id, "counter-guarantee"):
        raise Conflict("support.counter_exists", id=fac.id)
    guarantor = (s.guarantor or "").strip()
    if not guarantor:
        county = conn.scalar(select(County.name).where(County.code == fac.county_code))
        guarantor = f"{county}人民政府"
    if len(guarantor) > 100:
        raise InputError("support.bad_guarantor")
    share_bp = s.amount_fen * 10_000 // fac.principal_fen
    new_id = _insert(conn, operator, s, ref, guarantor, share_bp)
    audit.record(
        conn,
        operator,
        "local_support.counter_guarantee",
        object_type="facility",
        object_id=fac.id,
        business_date=s.business_date,
        amount_fen=s.amount_fen,
        guarantor=guarantor,
        share_bp=share_bp,
        ref=ref,
    )
    return SupportOut(new_id, True, s.amount_fen, fac.principal_fen)
