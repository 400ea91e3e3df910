"""Local leverage (地方配套): 1:1 matching money from the county, or the county
government's counter-guarantee (反担保). A guarantee or loan is paid out only once its
declared support is in place: matching received up to the pledged amount, or a
counter-guarantee recorded with its guarantor and the share it covers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date

from sqlalchemy import Connection, func, insert, select

from fundcore.domain import chart
from fundcore.domain.errors import Conflict, FundError, InputError, NotFound, RuleBroken
from fundcore.domain.ledger import EntryDraft, credit, debit
from fundcore.domain.refs import check_ref
from fundcore.domain.replay import check_replay
from fundcore.services import capacity
from fundcore.services.operators import authorise
from fundcore.store import audit, journal
from fundcore.store.bulk import CHUNK
from fundcore.store.models import County, Facility, LocalSupport

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
    return supported(
        fac, received(conn, fac.id, "matching"), received(conn, fac.id, "counter-guarantee")
    )


def supported(fac: object, matching_fen: int, counter_fen: int) -> bool:
    """The rule of ``in_place`` over amounts already summed (for a batch)."""
    if fac.instrument == "grant":
        return True
    if fac.local_support_kind == "matching":
        return matching_fen >= fac.matching_required_fen
    return counter_fen > 0


def record(conn: Connection, operator: str | None, s: SupportIn) -> SupportOut:
    report = record_many(conn, operator, [s])
    if report.problems:
        raise report.problems[0][1]
    return report.recorded[0]


@dataclass
class SupportReport:
    recorded: list[SupportOut] = field(default_factory=list)
    problems: list[tuple[SupportIn, FundError]] = field(default_factory=list)


@dataclass
class _State:
    """What the database holds for a batch, looked up once, kept up to date in memory."""

    facilities: dict[int, dict]
    received: dict[tuple[int, str], int]
    refs: dict[str, dict]
    counties: dict[str, str]
    next_id: int = 0
    rows: list[dict] = field(default_factory=list)
    entries: list[EntryDraft] = field(default_factory=list)
    audits: list[tuple[str, dict]] = field(default_factory=list)


def record_many(
    conn: Connection, operator: str | None, items: Sequence[SupportIn]
) -> SupportReport:
    """Record local support for many facilities in one transaction, each under the rules
    of ``record``; a refused item is reported and the others go ahead."""
    actor = authorise(conn, operator, "local_support.record")
    capacity.lock_fund(conn)  # lock order: the fund, then facilities
    state = _load(conn, items)
    report = SupportReport()
    done: list[tuple[SupportOut, dict]] = []
    for s in items:
        try:
            done.append(_one(state, actor.name, s))
        except FundError as err:
            report.problems.append((s, err))
    _write(conn, actor.name, state)
    report.recorded = [replace(out, id=row["id"]) for out, row in done]
    return report


def _load(conn: Connection, items: Sequence[SupportIn]) -> _State:
    ids = sorted({s.facility_id for s in items})
    refs = sorted({r for s in items if (r := (s.ref or "").strip())})
    facs: dict[int, dict] = {}
    got: dict[tuple[int, str], int] = {}
    known: dict[str, dict] = {}
    for i in range(0, len(ids), CHUNK):
        chunk = ids[i : i + CHUNK]
        for row in conn.execute(select(_fac).where(_fac.c.id.in_(chunk))).mappings():
            facs[row["id"]] = dict(row)
        stmt = (
            select(_ls.c.facility_id, _ls.c.kind, func.sum(_ls.c.amount_fen))
            .where(_ls.c.facility_id.in_(chunk))
            .group_by(_ls.c.facility_id, _ls.c.kind)
        )
        got.update({(f, k): int(v) for f, k, v in conn.execute(stmt)})
    for i in range(0, len(refs), CHUNK):
        stmt = select(_ls).where(_ls.c.ref.in_(refs[i : i + CHUNK]))
        known.update({r["ref"]: dict(r) for r in conn.execute(stmt).mappings()})
    codes = sorted({f["county_code"] for f in facs.values()})
    names = dict(conn.execute(select(County.code, County.name).where(County.code.in_(codes))).all())
    return _State(facs, got, known, names)


def _one(state: _State, operator: str, s: SupportIn) -> tuple[SupportOut, dict]:
    fac = state.facilities.get(s.facility_id)
    if fac is None:
        raise NotFound("facility.not_found", id=s.facility_id)
    if fac["status"] == "cancelled" or fac["instrument"] == "grant":
        raise RuleBroken("support.not_applicable", id=s.facility_id, status=fac["status"])
    if s.kind != fac["local_support_kind"]:
        raise RuleBroken("support.kind_differs", kind=s.kind, declared=fac["local_support_kind"])
    ref = check_ref(s.ref, required=False)
    if ref and ref in state.refs:
        return _replay(state, s, ref)
    if s.kind == "matching":
        return _matching(state, operator, fac, s, ref)
    return _counter_guarantee(state, operator, fac, s, ref)


def _replay(state: _State, s: SupportIn, ref: str) -> tuple[SupportOut, dict]:
    row = state.refs[ref]
    given = {
        "facility_id": s.facility_id,
        "kind": s.kind,
        "amount_fen": s.amount_fen,
        "business_date": s.business_date,
    }
    check_replay("support.ref_differs", ref, row, given)
    fac = state.facilities[s.facility_id]
    required = fac["matching_required_fen"] if s.kind == "matching" else fac["principal_fen"]
    return SupportOut(0, False, state.received.get((s.facility_id, s.kind), 0), required), row


def _add(
    state: _State,
    operator: str,
    s: SupportIn,
    ref: str | None,
    guarantor: str | None = None,
    share_bp: int | None = None,
) -> dict:
    row = {
        "facility_id": s.facility_id,
        "kind": s.kind,
        "amount_fen": s.amount_fen,
        "business_date": s.business_date,
        "ref": ref,
        "guarantor": guarantor,
        "share_bp": share_bp,
        "operator": operator,
    }
    state.rows.append(row)
    key = (s.facility_id, s.kind)
    state.received[key] = state.received.get(key, 0) + s.amount_fen
    if ref:
        state.refs[ref] = row
    return row


def _matching(
    state: _State, operator: str, fac: dict, s: SupportIn, ref: str | None
) -> tuple[SupportOut, dict]:
    so_far = state.received.get((fac["id"], "matching"), 0)
    if so_far + s.amount_fen > fac["matching_required_fen"]:
        raise RuleBroken(
            "support.matching_exceeds",
            amount=s.amount_fen,
            received=so_far,
            required=fac["matching_required_fen"],
        )
    row = _add(state, operator, s, ref)
    state.entries.append(
        EntryDraft(
            s.business_date,
            "matching.receipt",
            operator,
            (debit(chart.BANK, s.amount_fen), credit(chart.MATCHING_RECEIVABLE, s.amount_fen)),
            object_type="facility",
            object_id=str(fac["id"]),
            memo=f"matching receipt {ref or ''}",
        )
    )
    state.audits.append(("local_support.matching", row))
    return SupportOut(0, True, so_far + s.amount_fen, fac["matching_required_fen"]), row


def _counter_guarantee(
    state: _State, operator: str, fac: dict, s: SupportIn, ref: str | None
) -> tuple[SupportOut, dict]:
    if s.amount_fen > fac["principal_fen"]:
        raise RuleBroken(
            "support.counter_exceeds", amount=s.amount_fen, principal=fac["principal_fen"]
        )
    if state.received.get((fac["id"], "counter-guarantee"), 0):
        raise Conflict("support.counter_exists", id=fac["id"])
    guarantor = (s.guarantor or "").strip() or f"{state.counties.get(fac['county_code'])}人民政府"
    if len(guarantor) > 100:
        raise InputError("support.bad_guarantor")
    share_bp = s.amount_fen * 10_000 // fac["principal_fen"]
    row = _add(state, operator, s, ref, guarantor, share_bp)
    state.audits.append(("local_support.counter_guarantee", row))
    return SupportOut(0, True, s.amount_fen, fac["principal_fen"]), row


def _write(conn: Connection, operator: str, state: _State) -> None:
    """Insert the new rows (their ids set on them), their entries and audit records."""
    if not state.rows:
        return
    stmt = insert(_ls).returning(_ls.c.id, sort_by_parameter_order=True)
    ids = list(conn.scalars(stmt, [{k: v for k, v in r.items() if k != "id"} for r in state.rows]))
    for row, new_id in zip(state.rows, ids, strict=True):
        row["id"] = new_id
    seqs = iter(p.seq for p in journal.post_many(conn, state.entries))
    for action in ("local_support.matching", "local_support.counter_guarantee"):
        items = []
        for kind, row in state.audits:
            if kind != action:
                continue
            details: dict[str, object] = {"amount_fen": row["amount_fen"], "ref": row["ref"]}
            if action == "local_support.matching":
                details["entry_seq"] = next(seqs)
            else:
                details.update(guarantor=row["guarantor"], share_bp=row["share_bp"])
            items.append(("facility", row["facility_id"], row["business_date"], details))
        audit.record_many(conn, operator, action, items)
