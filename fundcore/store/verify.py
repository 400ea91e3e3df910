"""End-to-end verification of the ledger, for auditors.

Walks the journal in chain order and recomputes every hash from the stored content,
so an edit (a changed amount, account, date, memo), a deleted entry, or two entries
swapped through raw SQL shows as the first entry whose hash or link no longer holds.
Then checks the chain's end against ``ledger_head`` (an end short of the head is named
as missing entries at the end), each entry's lines (missing, unbalanced, or not adding
up to its recorded total), the kept balances against the lines, that the trial balance
is zero, and that the control accounts agree with the facility rows they summarise
(``store.reconcile``).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, Connection, Row, Table, case, func, select
from sqlalchemy.exc import DBAPIError

from fundcore.domain.audit_chain import GENESIS as AUDIT_GENESIS
from fundcore.domain.audit_chain import AuditFields, audit_hash
from fundcore.domain.ledger import GENESIS_HASH, EntryDraft, Line, entry_hash
from fundcore.store import reconcile
from fundcore.store.journal import head, kept_line_count
from fundcore.store.models import (
    AccountBalance,
    AccountDaily,
    AccountKindDaily,
    AuditRecord,
    JournalEntry,
    JournalLine,
    LedgerHead,
)
from fundcore.store.tables import table_of

_entries = table_of(JournalEntry)
_lines = table_of(JournalLine)
CHUNK = 5_000
MAX_PROBLEMS = 20


@dataclass(frozen=True, slots=True)
class Problem:
    code: str
    params: dict[str, object]


@dataclass
class Report:
    entries: int = 0
    lines: int = 0
    head_seq: int = 0
    head_hash: str = GENESIS_HASH
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def add(self, code: str, **params: object) -> None:
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(Problem(code, params))


def verify(conn: Connection) -> Report:
    """Every check; the report's first problem names the first broken entry.

    On SQLite the file itself comes first (``PRAGMA integrity_check``): a damaged file
    is reported as such and nothing in it is read further, since what its broken pages
    hold can be neither trusted nor always read.
    """
    report = Report()
    if not _file_intact(conn, report):
        return report
    report.head_seq, report.head_hash = head(conn)
    _check_chain(conn, report)
    _check_kept_balances(conn, report)
    _check_subledgers(conn, report)
    _check_audit_chain(conn, report)
    return report


def _file_intact(conn: Connection, report: Report) -> bool:
    """SQLite's own check of the file's pages and indexes (PostgreSQL: nothing to do)."""
    if conn.dialect.name != "sqlite":
        return True
    try:
        found = [str(r[0]) for r in conn.exec_driver_sql("PRAGMA integrity_check").all()]
    except DBAPIError as err:  # too damaged even to be checked
        found = [str(err.orig).strip() or type(err.orig).__name__]
    if found == ["ok"]:
        return True
    report.add("verify.file_damaged", count=len(found), detail=found[0])
    return False


@dataclass(frozen=True, slots=True)
class StoredEntry:
    """An entry as the database holds it: its place in the chain and what it posted.

    Taken as stored, never normalised, so that an edit made through raw SQL is what
    the recomputed hash sees.
    """

    seq: int
    prev_hash: str
    hash: str
    total_fen: int
    draft: EntryDraft


def _stored(row: Row[Any], lines: list[Line]) -> StoredEntry:
    draft = EntryDraft(
        business_date=row.business_date,
        kind=row.kind,
        operator=row.operator,
        lines=tuple(lines),
        object_type=row.object_type,
        object_id=row.object_id,
        memo=row.memo,
        reverses_seq=row.reverses_seq,
    )
    return StoredEntry(row.seq, row.prev_hash, row.hash, row.total_fen, draft)


def _stored_entries(conn: Connection) -> Iterator[StoredEntry]:
    """Entries in seq order with their lines, read in chunks to bound memory."""
    last = 0
    while True:
        rows = conn.execute(
            select(_entries).where(_entries.c.seq > last).order_by(_entries.c.seq).limit(CHUNK)
        ).all()
        if not rows:
            return
        lines: dict[int, list[Line]] = {r.seq: [] for r in rows}
        for seq, acct, side, amt in conn.execute(
            select(_lines.c.entry_seq, _lines.c.account_code, _lines.c.side, _lines.c.amount_fen)
            .where(_lines.c.entry_seq > last, _lines.c.entry_seq <= rows[-1].seq)
            .order_by(_lines.c.entry_seq, _lines.c.line_no)
        ):
            lines.setdefault(seq, []).append(Line(acct, side, amt))
        for r in rows:
            yield _stored(r, lines[r.seq])
        last = rows[-1].seq


def _check_chain(conn: Connection, report: Report) -> None:
    expected_seq, prev = 1, GENESIS_HASH
    for entry in _stored_entries(conn):
        lines = entry.draft.lines
        report.entries += 1
        report.lines += len(lines)
        if entry.seq != expected_seq:
            report.add("verify.missing_entry", seq=expected_seq, next=entry.seq)
        elif entry.prev_hash != prev:
            report.add("verify.broken_link", seq=entry.seq)
        if entry_hash(entry.seq, entry.prev_hash, entry.draft) != entry.hash:
            report.add("verify.altered_entry", seq=entry.seq)
        _check_entry_totals(entry, report)
        expected_seq, prev = entry.seq + 1, entry.hash
    _check_end(expected_seq - 1, prev, report)
    kept = kept_line_count(conn)
    if kept != report.lines:
        report.add("verify.line_count_mismatch", kept=kept, counted=report.lines)


def _check_end(last: int, last_hash: str, report: Report) -> None:
    """The chain must end where ``ledger_head`` says: an end short of the head means the
    last entries were deleted (named as such, not as an imbalance)."""
    if last < report.head_seq:
        report.add("verify.missing_tail", seq=last, head_seq=report.head_seq, first=last + 1)
    elif last != report.head_seq or last_hash != report.head_hash:
        report.add("verify.head_mismatch", seq=last, head_seq=report.head_seq)


def _check_entry_totals(entry: StoredEntry, report: Report) -> None:
    """An entry's lines: there, balanced, and adding up to the total it records.

    Each fault is named for what it is: lines gone (an entry emptied is a deletion,
    not an imbalance of 0 against 0), sides that differ, or a recorded total that
    differs from balanced lines.
    """
    lines = entry.draft.lines
    debits = sum(ln.amount_fen for ln in lines if ln.side == "D")
    credits = sum(ln.amount_fen for ln in lines if ln.side == "C")
    if not lines:
        report.add("verify.lines_missing", seq=entry.seq, total=entry.total_fen)
    elif len(lines) < 2 or debits != credits:
        report.add("verify.unbalanced_entry", seq=entry.seq, debit=debits, credit=credits)
    elif debits != entry.total_fen:
        report.add("verify.total_mismatch", seq=entry.seq, lines=debits, total=entry.total_fen)


#: debit and credit sums keyed by the grouping columns' values
Totals = dict[tuple[Any, ...], tuple[int, int]]


def _line_totals(conn: Connection, *keys: ColumnElement[Any]) -> Totals:
    d = func.sum(case((_lines.c.side == "D", _lines.c.amount_fen), else_=0))
    c = func.sum(case((_lines.c.side == "C", _lines.c.amount_fen), else_=0))
    src = _lines.join(_entries, _entries.c.seq == _lines.c.entry_seq)
    rows = conn.execute(select(*keys, d, c).select_from(src).group_by(*keys))
    return {tuple(r[:-2]): (int(r[-2]), int(r[-1])) for r in rows}


def _kept_totals(conn: Connection, table: Table, *keys: str) -> Totals:
    """A kept table's non-zero sums keyed by ``keys``."""
    return {
        tuple(r._mapping[k] for k in keys): (r.debit_fen, r.credit_fen)
        for r in conn.execute(select(table)).all()
        if r.debit_fen or r.credit_fen
    }


def _differing(counted: Totals, kept: Totals) -> list[tuple[Any, ...]]:
    """Keys whose sums differ, in order (a key missing on one side counts as zero)."""
    return [
        key
        for key in sorted(set(counted) | set(kept))
        if counted.get(key, (0, 0)) != kept.get(key, (0, 0))
    ]


def _check_kept_balances(conn: Connection, report: Report) -> None:
    kept = _kept_totals(conn, table_of(AccountBalance), "account_code")
    for key in _differing(_line_totals(conn, _lines.c.account_code), kept):
        report.add("verify.balance_mismatch", account=key[0])
    _check_daily(conn, report)
    total_d = sum(d for d, _ in kept.values())
    total_c = sum(c for _, c in kept.values())
    if total_d != total_c:
        report.add("verify.trial_balance", debit=total_d, credit=total_c)


def _check_daily(conn: Connection, report: Report) -> None:
    """The kept daily totals, per account and per account and kind; the first miss of each."""
    daily = _differing(
        _line_totals(conn, _lines.c.account_code, _entries.c.business_date),
        _kept_totals(conn, table_of(AccountDaily), "account_code", "business_date"),
    )
    if daily:
        report.add("verify.daily_mismatch", account=daily[0][0], date=daily[0][1].isoformat())
    by_kind = _differing(
        _line_totals(conn, _lines.c.account_code, _entries.c.kind, _entries.c.business_date),
        _kept_totals(conn, table_of(AccountKindDaily), "account_code", "kind", "business_date"),
    )
    if by_kind:
        report.add("verify.daily_mismatch", account=by_kind[0][0], date=by_kind[0][2].isoformat())


def _check_subledgers(conn: Connection, report: Report) -> None:
    """The control accounts against the facility rows (``store.reconcile``)."""
    for mismatch in reconcile.reconcile(conn):
        code, params = reconcile.as_params(mismatch)
        report.add(code, **params)


def _check_audit_chain(conn: Connection, report: Report) -> None:
    """The audit trail's chain (``domain.audit_chain``): every record's hash and link,
    then its end against the count and hash the ledger head keeps (records deleted
    from the end leave the chain short of them)."""
    audit = table_of(AuditRecord)
    last_id, prev, count = 0, AUDIT_GENESIS, 0
    while True:
        rows = conn.execute(
            select(audit).where(audit.c.id > last_id).order_by(audit.c.id).limit(CHUNK)
        ).all()
        for r in rows:
            count += 1
            fields = AuditFields(
                r.recorded_at, r.operator, r.action, r.object_type, r.object_id,
                r.business_date, r.details,
            )  # fmt: skip
            if r.prev_hash != prev:
                report.add("verify.audit_broken_link", id=r.id)
            if r.hash != audit_hash(r.prev_hash or "", fields):
                report.add("verify.audit_altered", id=r.id)
            prev = r.hash or ""
        if len(rows) < CHUNK:
            break
        last_id = rows[-1].id
    h = table_of(LedgerHead)
    kept = conn.execute(select(h.c.audit_count, h.c.audit_hash)).first()
    kept_count, kept_hash = (0, AUDIT_GENESIS) if kept is None else (kept[0], kept[1])
    if count < kept_count:
        report.add("verify.audit_missing_tail", counted=count, kept=kept_count)
    elif count != kept_count or prev != kept_hash:
        report.add("verify.audit_head_mismatch", counted=count, kept=kept_count)
