"""Local leverage (地方配套): 1:1 matching money from the county, or the county
government's counter-guarantee (反担保). A guarantee or loan is paid out only once its
declared support is in place: matching received up to the pledged amount (the policy's
ratio of its basis: a loan's principal; a guarantee's bank loan or deposit, as the
policy says), or a counter-guarantee recorded with its guarantor, its document ref and
a share of the principal of at least the policy's minimum. The policy is the version
the facility was approved under: what the approval required does not change after it.

Matching is the county's money put into the project, not the fund's (DOMAIN.md §4): it
is kept here, in the local-support register (committed on the facility, received here,
by whom, the evidence ref), and posts no journal entry. Only money a county really pays
into the fund's own account (``through_fund``) is booked: government grant income when
received, a programme cost when passed on to the project (``pass_on``); until then it
is held for the project and not counted as cash the fund may commit. ``migrate`` takes
out the postings the old rule made (matching receivable 1214).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any, Self

from sqlalchemy import Connection, exists, func, insert, select, update

from fundcore.domain import chart
from fundcore.domain.errors import Conflict, FundError, InputError, NotFound, RuleBroken
from fundcore.domain.ledger import EntryDraft
from fundcore.domain.local_support import (
    MatchingBasis,
    check_counter_share,
    counter_least_fen,
    counter_share_bp,
    matching_base_fen,
    matching_basis,
    support_in_place,
)
from fundcore.domain.periods import month_of
from fundcore.domain.policy import Policy
from fundcore.domain.postings.local_support import (
    MIGRATION_MEMO,
    MatchingThroughFund,
    grant_receipt_entry,
    pass_on_entry,
)
from fundcore.domain.refs import check_ref, normalise_ref
from fundcore.domain.replay import check_replay
from fundcore.domain.terms import EntryKind, FacilityStatus, Instrument, LocalSupportKind
from fundcore.domain.text import check_text
from fundcore.services import capacity
from fundcore.services.operators import authorise
from fundcore.services.policy import by_version
from fundcore.store import audit, journal
from fundcore.store.bulk import chunks
from fundcore.store.models import Facility, JournalEntry, JournalLine, LocalSupport
from fundcore.store.rows import FacilityRow
from fundcore.store.tables import table_of

_ls = table_of(LocalSupport)
_fac = table_of(Facility)
_entries = table_of(JournalEntry)
_lines = table_of(JournalLine)
_MATCHING_AUDIT = "local_support.matching"
_COUNTER_AUDIT = "local_support.counter_guarantee"


@dataclass(frozen=True, slots=True)
class SupportIn:
    facility_id: int
    kind: str  # a ``LocalSupportKind``
    amount_fen: int
    business_date: date
    ref: str | None = None
    guarantor: str | None = None
    #: matching: who paid it, and whether it came through the fund's own bank account
    paid_by: str | None = None
    through_fund: bool = False


@dataclass(frozen=True, slots=True)
class SupportOut:
    id: int
    created: bool
    received_fen: int
    required_fen: int
    #: matching: what it is 1:1 of, and that amount
    basis: MatchingBasis | None = None
    base_fen: int = 0
    #: a counter-guarantee: its guarantor, the share it covers, the policy's minimum
    guarantor: str | None = None
    share_bp: int | None = None
    min_bp: int | None = None
    #: matching: who paid, through the fund's account or not, and its entry if posted
    paid_by: str | None = None
    through_fund: bool = False


@dataclass(frozen=True, slots=True)
class SupportRecord:
    """One row of ``local_support``; ``id`` is None until it is inserted."""

    facility_id: int
    kind: str
    amount_fen: int
    business_date: date
    ref: str | None
    guarantor: str | None
    share_bp: int | None
    operator: str
    id: int | None = None
    paid_by: str | None = None
    through_fund: bool = False
    passed_on: date | None = None

    @classmethod
    def from_row(cls, row: Any) -> Self:
        """From a Core row of ``select(local_support)``."""
        return cls(**row._mapping)

    def columns(self) -> dict[str, object]:
        """The values to insert (the id is the database's)."""
        return {
            "facility_id": self.facility_id,
            "kind": self.kind,
            "amount_fen": self.amount_fen,
            "business_date": self.business_date,
            "ref": self.ref,
            "guarantor": self.guarantor,
            "share_bp": self.share_bp,
            "operator": self.operator,
            "paid_by": self.paid_by,
            "through_fund": self.through_fund,
            "passed_on": self.passed_on,
        }


def received(conn: Connection, facility_id: int, kind: str) -> int:
    return int(
        conn.scalar(
            select(func.coalesce(func.sum(_ls.c.amount_fen), 0)).where(
                _ls.c.facility_id == facility_id, _ls.c.kind == kind
            )
        )
        or 0
    )


def approval_policies(conn: Connection, facs: Iterable[FacilityRow]) -> dict[int, Policy]:
    """The policy each facility was approved under, by version."""
    return {v: by_version(conn, v).policy for v in sorted({f.policy_version for f in facs})}


def in_place(conn: Connection, fac: FacilityRow) -> bool:
    """Is the facility's declared local support there (grants need none)?"""
    policy = approval_policies(conn, [fac])[fac.policy_version]
    return supported(
        fac,
        received(conn, fac.id, LocalSupportKind.MATCHING),
        received(conn, fac.id, LocalSupportKind.COUNTER_GUARANTEE),
        policy,
    )


def supported(fac: FacilityRow, matching_fen: int, counter_fen: int, policy: Policy) -> bool:
    """The rule of ``in_place`` over amounts already summed (for a batch), under the
    policy the facility was approved under."""
    return support_in_place(
        fac.instrument,
        fac.local_support_kind,
        fac.matching_required_fen,
        matching_fen,
        counter_share_bp(counter_fen, fac.principal_fen),
        policy.counter_guarantee_min_bp,
    )


def check_in_place(fac: FacilityRow, matching_fen: int, counter_fen: int, policy: Policy) -> None:
    """Refuse a pay-out whose local support is not in place, with the figures: the
    matching received against what it must reach (and its basis), or the counter-
    guarantee's share against the policy's minimum."""
    if supported(fac, matching_fen, counter_fen, policy):
        return
    if fac.local_support_kind == LocalSupportKind.COUNTER_GUARANTEE:
        raise RuleBroken(
            "disburse.counter_guarantee_short",
            id=fac.id,
            amount=counter_fen,
            principal=fac.principal_fen,
            share=counter_share_bp(counter_fen, fac.principal_fen),
            min=policy.counter_guarantee_min_bp,
            least=max(counter_least_fen(fac.principal_fen, policy.counter_guarantee_min_bp), 1),
        )
    basis = matching_basis(fac.instrument, policy)
    raise RuleBroken(
        "disburse.no_local_support",
        id=fac.id,
        kind=fac.local_support_kind or "",
        received=matching_fen,
        required=fac.matching_required_fen,
        basis=basis,
        base=matching_base_fen(basis, fac.principal_fen, fac.deposit_fen),
    )


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
    """What the database holds for a batch, looked up once, kept up to date in memory.

    ``records`` holds every local-support record the batch speaks of: those found by
    ref, then those it adds (whose positions are in ``new``); ``refs`` and ``audits``
    point into it by position, so a record's id can be filled in once inserted."""

    facilities: dict[int, FacilityRow]
    received: dict[tuple[int, str], int]
    records: list[SupportRecord]
    refs: dict[str, int]
    policies: dict[int, Policy]
    closed: set[str] = field(default_factory=set)
    new: list[int] = field(default_factory=list)
    entries: list[EntryDraft] = field(default_factory=list)
    audits: list[tuple[str, int]] = field(default_factory=list)
    #: positions of the records whose receipt posts an entry (through the fund), in order
    posting: list[int] = field(default_factory=list)


def record_many(
    conn: Connection, operator: str | None, items: Sequence[SupportIn]
) -> SupportReport:
    """Record local support for many facilities in one transaction, each under the rules
    of ``record``; a refused item is reported and the others go ahead."""
    actor = authorise(conn, operator, "local_support.record")
    capacity.lock_fund(conn)  # lock order: the fund, then facilities
    state = _load(conn, items)
    report = SupportReport()
    done: list[tuple[SupportOut, int]] = []
    for s in items:
        try:
            done.append(_one(state, actor.name, s))
        except FundError as err:
            report.problems.append((s, err))
    _write(conn, actor.name, state)
    report.recorded = [replace(out, id=state.records[at].id or 0) for out, at in done]
    return report


def _load(conn: Connection, items: Sequence[SupportIn]) -> _State:
    ids = sorted({s.facility_id for s in items})
    refs = sorted({normalise_ref(s.ref) for s in items if s.ref is not None})
    facs: dict[int, FacilityRow] = {}
    got: dict[tuple[int, str], int] = {}
    known: list[SupportRecord] = []
    for chunk in chunks(ids):
        for row in conn.execute(select(_fac).where(_fac.c.id.in_(chunk))):
            fac = FacilityRow.from_row(row)
            facs[fac.id] = fac
        stmt = (
            select(_ls.c.facility_id, _ls.c.kind, func.sum(_ls.c.amount_fen))
            .where(_ls.c.facility_id.in_(chunk))
            .group_by(_ls.c.facility_id, _ls.c.kind)
        )
        got.update({(f, k): int(v) for f, k, v in conn.execute(stmt)})
    for some_refs in chunks(refs):
        stmt = select(_ls).where(_ls.c.ref.in_(some_refs))
        known.extend(SupportRecord.from_row(r) for r in conn.execute(stmt))
    by_ref = {r.ref: at for at, r in enumerate(known) if r.ref is not None}
    closed = journal.closed_months(conn, {month_of(s.business_date) for s in items})
    return _State(facs, got, known, by_ref, approval_policies(conn, facs.values()), set(closed))


def _one(state: _State, operator: str, s: SupportIn) -> tuple[SupportOut, int]:
    fac = state.facilities.get(s.facility_id)
    if fac is None:
        raise NotFound("facility.not_found", id=s.facility_id)
    if fac.status == FacilityStatus.CANCELLED or fac.instrument == Instrument.GRANT:
        raise RuleBroken("support.not_applicable", id=s.facility_id, status=fac.status)
    if s.kind != fac.local_support_kind:
        raise RuleBroken("support.kind_differs", kind=s.kind, declared=fac.local_support_kind)
    ref = check_ref(s.ref, required=False)
    if ref and ref in state.refs:
        return _replay(state, s, ref)
    if month_of(s.business_date) in state.closed:  # the register is dated facts too
        raise RuleBroken("period.closed", month=month_of(s.business_date))
    if s.kind == LocalSupportKind.MATCHING:
        return _matching(state, operator, fac, s, ref)
    return _counter_guarantee(state, operator, fac, s, ref)


def _replay(state: _State, s: SupportIn, ref: str) -> tuple[SupportOut, int]:
    at = state.refs[ref]
    row = state.records[at]
    recorded = {
        "facility_id": row.facility_id,
        "kind": row.kind,
        "amount_fen": row.amount_fen,
        "business_date": row.business_date,
        "through_fund": row.through_fund,
    }
    given = {
        "facility_id": s.facility_id,
        "kind": s.kind,
        "amount_fen": s.amount_fen,
        "business_date": s.business_date,
        "through_fund": s.through_fund,
    }
    check_replay("support.ref_differs", ref, recorded, given)
    return _out(state, state.facilities[s.facility_id], row, created=False), at


def _out(state: _State, fac: FacilityRow, row: SupportRecord, created: bool) -> SupportOut:
    """What recording ``row`` (or finding it recorded) comes to for the facility."""
    got = state.received.get((fac.id, row.kind), 0)
    policy = state.policies[fac.policy_version]
    if row.kind == LocalSupportKind.MATCHING:
        basis = matching_basis(fac.instrument, policy)
        base = matching_base_fen(basis, fac.principal_fen, fac.deposit_fen)
        return SupportOut(
            0,
            created,
            got,
            fac.matching_required_fen,
            basis,
            base,
            paid_by=row.paid_by,
            through_fund=row.through_fund,
        )
    return SupportOut(
        0,
        created,
        got,
        fac.principal_fen,
        guarantor=row.guarantor,
        share_bp=row.share_bp,
        min_bp=policy.counter_guarantee_min_bp,
    )


def _add(state: _State, audit_action: str, row: SupportRecord) -> int:
    """Keep a new record for the batch's insert; its position in ``state.records``."""
    at = len(state.records)
    state.records.append(row)
    state.new.append(at)
    state.audits.append((audit_action, at))
    key = (row.facility_id, row.kind)
    state.received[key] = state.received.get(key, 0) + row.amount_fen
    if row.ref:
        state.refs[row.ref] = at
    return at


def _matching(
    state: _State, operator: str, fac: FacilityRow, s: SupportIn, ref: str | None
) -> tuple[SupportOut, int]:
    so_far = state.received.get((fac.id, LocalSupportKind.MATCHING), 0)
    if so_far + s.amount_fen > fac.matching_required_fen:
        raise RuleBroken(
            "support.matching_exceeds",
            amount=s.amount_fen,
            received=so_far,
            required=fac.matching_required_fen,
        )
    paid_by = _paid_by(s.paid_by)
    row = SupportRecord(
        s.facility_id,
        s.kind,
        s.amount_fen,
        s.business_date,
        ref,
        None,
        None,
        operator,
        paid_by=paid_by,
        through_fund=s.through_fund,
    )
    at = _add(state, _MATCHING_AUDIT, row)
    if s.through_fund:
        receipt = MatchingThroughFund(fac.id, s.amount_fen, s.business_date, ref)
        state.entries.append(grant_receipt_entry(receipt, operator))
        state.posting.append(at)
    return _out(state, fac, row, created=True), at


def _paid_by(text: str | None) -> str | None:
    """Who paid the matching, as the register keeps it (at most 100 characters)."""
    name = (text or "").strip()
    if len(name) > 100:
        raise InputError("support.bad_paid_by")
    return name or None


def _counter_guarantee(
    state: _State, operator: str, fac: FacilityRow, s: SupportIn, ref: str | None
) -> tuple[SupportOut, int]:
    if s.amount_fen > fac.principal_fen:
        raise RuleBroken(
            "support.counter_exceeds", amount=s.amount_fen, principal=fac.principal_fen
        )
    if state.received.get((fac.id, LocalSupportKind.COUNTER_GUARANTEE), 0):
        raise Conflict("support.counter_exists", id=fac.id)
    guarantor = check_text("guarantor", s.guarantor or "").strip()
    if not guarantor:
        raise InputError("support.guarantor_needed")
    if len(guarantor) > 100:
        raise InputError("support.bad_guarantor")
    if ref is None:
        raise InputError("support.counter_ref_needed")
    policy = state.policies[fac.policy_version]
    share_bp = check_counter_share(s.amount_fen, fac.principal_fen, policy.counter_guarantee_min_bp)
    row = SupportRecord(
        s.facility_id, s.kind, s.amount_fen, s.business_date, ref, guarantor, share_bp, operator
    )
    at = _add(state, _COUNTER_AUDIT, row)
    return _out(state, fac, row, created=True), at


def _write(conn: Connection, operator: str, state: _State) -> None:
    """Insert the new records (their ids filled in), their entries and audit records."""
    if not state.new:
        return
    stmt = insert(_ls).returning(_ls.c.id, sort_by_parameter_order=True)
    ids = list(conn.scalars(stmt, [state.records[at].columns() for at in state.new]))
    for at, new_id in zip(state.new, ids, strict=True):
        state.records[at] = replace(state.records[at], id=new_id)
    posted = journal.post_many(conn, state.entries) if state.entries else []
    seq_of = dict(zip(state.posting, (p.seq for p in posted), strict=True))
    for action in (_MATCHING_AUDIT, _COUNTER_AUDIT):
        items: list[tuple[str | None, object, date | None, dict[str, object]]] = []
        for kind, at in state.audits:
            if kind != action:
                continue
            row = state.records[at]
            details: dict[str, object] = {"amount_fen": row.amount_fen, "ref": row.ref}
            if action == _MATCHING_AUDIT:
                details.update(paid_by=row.paid_by, through_fund=row.through_fund)
                if at in seq_of:
                    details["entry_seq"] = seq_of[at]
            else:
                details.update(guarantor=row.guarantor, share_bp=row.share_bp)
            items.append(("facility", row.facility_id, row.business_date, details))
        audit.record_many(conn, operator, action, items)


@dataclass(frozen=True, slots=True)
class PassedOn:
    support_id: int
    facility_id: int
    amount_fen: int
    entry_seq: int


def pass_on(conn: Connection, operator: str | None, support_id: int, on: date) -> PassedOn:
    """The fund passes matching money it received through its own account on to the
    project: a programme cost, the bank credited, the restriction released. Only a
    receipt recorded ``through_fund``, once, on or after the day it was received."""
    actor = authorise(conn, operator, "local_support.record")
    capacity.lock_fund(conn)
    found = conn.execute(select(_ls).where(_ls.c.id == support_id).with_for_update()).first()
    if found is None:
        raise NotFound("support.not_found", id=support_id)
    row = SupportRecord.from_row(found)
    if row.kind != LocalSupportKind.MATCHING or not row.through_fund:
        raise RuleBroken("support.not_through_fund", id=support_id)
    if row.passed_on is not None:
        raise Conflict("support.already_passed_on", id=support_id, date=row.passed_on.isoformat())
    if on < row.business_date:
        raise RuleBroken(
            "support.pass_on_before_receipt", id=support_id, date=row.business_date.isoformat()
        )
    money = MatchingThroughFund(row.facility_id, row.amount_fen, on, row.ref)
    posted = journal.post(conn, pass_on_entry(money, actor.name))
    conn.execute(update(_ls).where(_ls.c.id == support_id).values(passed_on=on))
    details: dict[str, object] = {
        "support_id": support_id,
        "amount_fen": row.amount_fen,
        "entry_seq": posted.seq,
    }
    audit.record_many(
        conn, actor.name, "local_support.pass_on", [("facility", row.facility_id, on, details)]
    )
    return PassedOn(support_id, row.facility_id, row.amount_fen, posted.seq)


@dataclass(frozen=True, slots=True)
class Migrated:
    """What ``migrate`` reversed: how many old pledges and receipts, and their totals."""

    pledges: int
    pledged_fen: int
    receipts: int
    received_fen: int
    seqs: tuple[int, ...]


def old_postings(conn: Connection) -> list[tuple[int, str, int]]:
    """Every entry the old rule posted on matching receivable (1214) that no reversal
    undid: (seq, kind, amount on 1214), in seq order."""
    undone = _entries.alias("undone")
    stmt = (
        select(_entries.c.seq, _entries.c.kind, func.sum(_lines.c.amount_fen))
        .select_from(_entries.join(_lines, _lines.c.entry_seq == _entries.c.seq))
        .where(
            _lines.c.account_code == chart.MATCHING_RECEIVABLE,
            _entries.c.reverses_seq.is_(None),
            ~exists().where(undone.c.reverses_seq == _entries.c.seq),
        )
        .group_by(_entries.c.seq, _entries.c.kind)
        .order_by(_entries.c.seq)
    )
    return [(int(seq), str(kind), int(amount)) for seq, kind, amount in conn.execute(stmt)]


def migrate(conn: Connection, operator: str | None, on: date) -> Migrated:
    """Take the old matching postings out of the books: each old pledge (D 1214 / C
    4101.02) and receipt (D 1002 / C 1214) is reversed by an entry dated ``on`` (which
    must be in an open month: closed months never change) with a note saying why. The
    register rows stay: they are the record. Running it again finds nothing to do."""
    actor = authorise(conn, operator, "local_support.record")
    capacity.lock_fund(conn)
    journal.refuse_closed_months(conn, {month_of(on)})
    found = old_postings(conn)
    seqs: list[int] = []
    counts = {EntryKind.MATCHING_PLEDGE: [0, 0], EntryKind.MATCHING_RECEIPT: [0, 0]}
    for seq, kind, amount in found:
        posted = journal.reverse(conn, seq, max(on, _dated(conn, seq)), actor.name, MIGRATION_MEMO)
        seqs.append(posted.seq)
        tally = counts.setdefault(EntryKind(kind), [0, 0])
        tally[0] += 1
        tally[1] += amount
    if seqs:
        audit.record(conn, actor.name, "local_support.migrate", business_date=on, reversed=seqs)
    pledges, receipts = counts[EntryKind.MATCHING_PLEDGE], counts[EntryKind.MATCHING_RECEIPT]
    return Migrated(pledges[0], pledges[1], receipts[0], receipts[1], tuple(seqs))


def _dated(conn: Connection, seq: int) -> date:
    day: date | None = conn.scalar(select(_entries.c.business_date).where(_entries.c.seq == seq))
    assert day is not None
    return day
