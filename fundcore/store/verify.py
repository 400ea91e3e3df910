"""End-to-end verification of the ledger, for auditors.

Walks the journal in chain order and recomputes every hash from the stored content,
so an edit (a changed amount, account, date, memo), a deleted entry, or two entries
swapped through raw SQL shows as the first entry whose hash or link no longer holds.
Then checks the chain's end against ``ledger_head``, each entry's balance, the kept
balances against the lines, and that the trial balance is zero.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from sqlalchemy import Connection, case, func, select

from fundcore.domain.ledger import GENESIS_HASH, EntryDraft, Line, entry_hash
from fundcore.store.journal import head, kept_line_count
from fundcore.store.models import (
    AccountBalance,
    AccountDaily,
    AccountKindDaily,
    JournalEntry,
    JournalLine,
)

_entries = JournalEntry.__table__
_lines = JournalLine.__table__
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
    """Every check; the report's first problem names the first broken entry."""
    report = Report()
    report.head_seq, report.head_hash = head(conn)
    _check_chain(conn, report)
    _check_kept_balances(conn, report)
    return report


def _stored_entries(conn: Connection) -> Iterator[tuple[object, list[Line]]]:
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
            yield r, lines[r.seq]
        last = rows[-1].seq


def _check_chain(conn: Connection, report: Report) -> None:
    expected_seq, prev = 1, GENESIS_HASH
    for row, lines in _stored_entries(conn):
        report.entries += 1
        report.lines += len(lines)
        if row.seq != expected_seq:
            report.add("verify.missing_entry", seq=expected_seq, next=row.seq)
        elif row.prev_hash != prev:
            report.add("verify.broken_link", seq=row.seq)
        draft = _draft(row, lines)
        if entry_hash(row.seq, row.prev_hash, draft) != row.hash:
            report.add("verify.altered_entry", seq=row.seq)
        _check_entry_totals(row, lines, report)
        expected_seq, prev = row.seq + 1, row.hash
    if expected_seq - 1 != report.head_seq or prev != report.head_hash:
        report.add("verify.head_mismatch", seq=expected_seq - 1, head_seq=report.head_seq)
    kept = kept_line_count(conn)
    if kept != report.lines:
        report.add("verify.line_count_mismatch", kept=kept, counted=report.lines)


def _draft(row: object, lines: list[Line]) -> EntryDraft:
    return EntryDraft(
        business_date=row.business_date,
        kind=row.kind,
        operator=row.operator,
        lines=tuple(lines),
        object_type=row.object_type,
        object_id=row.object_id,
        memo=row.memo,
        reverses_seq=row.reverses_seq,
    )


def _check_entry_totals(row: object, lines: list[Line], report: Report) -> None:
    debits = sum(ln.amount_fen for ln in lines if ln.side == "D")
    credits = sum(ln.amount_fen for ln in lines if ln.side == "C")
    if len(lines) < 2 or debits != credits or debits != row.total_fen:
        report.add("verify.unbalanced_entry", seq=row.seq, debit=debits, credit=credits)


def _line_totals(conn: Connection, *keys: object) -> dict[tuple, tuple[int, int]]:
    d = func.sum(case((_lines.c.side == "D", _lines.c.amount_fen), else_=0))
    c = func.sum(case((_lines.c.side == "C", _lines.c.amount_fen), else_=0))
    src = _lines.join(_entries, _entries.c.seq == _lines.c.entry_seq)
    rows = conn.execute(select(*keys, d, c).select_from(src).group_by(*keys))
    return {tuple(r[:-2]): (int(r[-2]), int(r[-1])) for r in rows}


def _check_kept_balances(conn: Connection, report: Report) -> None:
    bal, daily = AccountBalance.__table__, AccountDaily.__table__
    from_lines = _line_totals(conn, _lines.c.account_code)
    kept = {
        (r.account_code,): (r.debit_fen, r.credit_fen)
        for r in conn.execute(select(bal)).all()
        if r.debit_fen or r.credit_fen
    }
    for key in sorted(set(from_lines) | set(kept)):
        if from_lines.get(key, (0, 0)) != kept.get(key, (0, 0)):
            report.add("verify.balance_mismatch", account=key[0])
    daily_lines = _line_totals(conn, _lines.c.account_code, _entries.c.business_date)
    daily_kept = {
        (r.account_code, r.business_date): (r.debit_fen, r.credit_fen)
        for r in conn.execute(select(daily)).all()
        if r.debit_fen or r.credit_fen
    }
    for key in sorted(set(daily_lines) | set(daily_kept)):
        if daily_lines.get(key, (0, 0)) != daily_kept.get(key, (0, 0)):
            report.add("verify.daily_mismatch", account=key[0], date=key[1].isoformat())
            break
    kind_lines = _line_totals(
        conn, _lines.c.account_code, _entries.c.kind, _entries.c.business_date
    )
    kind_kept = {
        (r.account_code, r.kind, r.business_date): (r.debit_fen, r.credit_fen)
        for r in conn.execute(select(AccountKindDaily.__table__)).all()
        if r.debit_fen or r.credit_fen
    }
    for key in sorted(set(kind_lines) | set(kind_kept)):
        if kind_lines.get(key, (0, 0)) != kind_kept.get(key, (0, 0)):
            report.add("verify.daily_mismatch", account=key[0], date=key[2].isoformat())
            break
    total_d = sum(d for d, _ in kept.values())
    total_c = sum(c for _, c in kept.values())
    if total_d != total_c:
        report.add("verify.trial_balance", debit=total_d, credit=total_c)
