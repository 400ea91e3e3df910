"""Posting to and reading from the journal, with Core statements.

Posting is set-based so that batch paths (imports, disbursement runs, day close,
the demo) can post thousands of entries in one statement per table: the hashes are
chained in Python, then lines, entries and kept balances are written in bulk.
``ledger_head`` is locked first (``FOR UPDATE`` on PostgreSQL; on SQLite the write
unit of work already holds the database's write lock), which keeps the hash chain
linear when several processes post at once.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Connection, Executable, Table, bindparam, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.sql.base import ReadOnlyColumnCollection
from sqlalchemy.sql.elements import KeyedColumnElement

from fundcore.domain import purposes
from fundcore.domain.errors import Conflict, NotFound, RuleBroken
from fundcore.domain.ledger import (
    GENESIS_HASH,
    EntryDraft,
    Line,
    PostedEntry,
    check_entry,
    entry_hash,
    reversal_of,
)
from fundcore.domain.periods import month_of
from fundcore.domain.terms import EntryKind, PeriodStatus
from fundcore.store.bulk import insert_rows
from fundcore.store.models import (
    Account,
    AccountBalance,
    AccountDaily,
    AccountKindDaily,
    JournalEntry,
    JournalLine,
    LedgerHead,
    Period,
)
from fundcore.store.tables import table_of

_head = table_of(LedgerHead)
_entries = table_of(JournalEntry)
_lines = table_of(JournalLine)
_balances = table_of(AccountBalance)
_daily = table_of(AccountDaily)
_kind_daily = table_of(AccountKindDaily)
_periods = table_of(Period)


def post(conn: Connection, draft: EntryDraft) -> PostedEntry:
    """Post one entry; see ``post_many``."""
    return post_many(conn, [draft])[0]


def post_many(conn: Connection, drafts: Sequence[EntryDraft]) -> list[PostedEntry]:
    """Post entries in order, in the caller's transaction; all or none."""
    if not drafts:
        return []
    for draft in drafts:
        check_entry(draft)
    seq, prev = lock_head(conn)
    drafts = charge_purposes(conn, drafts)
    _check_accounts(conn, {ln.account for d in drafts for ln in d.lines})
    refuse_closed_months(conn, {month_of(d.business_date) for d in drafts})
    posted: list[PostedEntry] = []
    for draft in drafts:
        seq += 1
        digest = entry_hash(seq, prev, draft)
        posted.append(PostedEntry(seq, digest, prev, draft))
        prev = digest
    _insert_entries(conn, posted)
    _add_to_kept_balances(conn, posted)
    conn.execute(
        update(_head)
        .where(_head.c.id == 1)
        .values(
            last_seq=seq,
            last_hash=prev,
            line_count=_head.c.line_count + sum(len(d.lines) for d in drafts),
        )
    )
    return posted


def charge_purposes(conn: Connection, drafts: Sequence[EntryDraft]) -> list[EntryDraft]:
    """The one place restricted money is charged (``domain.purposes``): every entry that
    pays out to a purpose is checked against what that purpose may draw on, and every
    entry with expense lines gets its release from restriction (D 3102.xx / C 3101)
    added, whoever posts it. Balances are read under the ledger head's lock, so two
    posters never both spend the same restricted money."""
    if not any(purposes.concerns(d) for d in drafts):
        return list(drafts)
    rows = conn.execute(
        select(_balances.c.account_code, _balances.c.debit_fen - _balances.c.credit_fen).where(
            _balances.c.account_code.in_(sorted(purposes.ACCOUNTS))
        )
    ).all()
    book = purposes.PurposeBook({code: int(net) for code, net in rows})
    charged = [book.charge(d) for d in drafts]
    for draft in charged:
        check_entry(draft)
    return charged


def _check_accounts(conn: Connection, codes: set[str]) -> None:
    known = set(conn.scalars(select(Account.code).where(Account.code.in_(codes))))
    unknown = sorted(codes - known)
    if unknown:
        raise NotFound("ledger.unknown_account", account=unknown[0])


def closed_months(conn: Connection, months: set[str]) -> set[str]:
    """Which of ``months`` ('YYYY-MM') are closed, in one query: every month up to the
    latest one closed. Months close in order and only the latest may be reopened, so a
    month before the first one closed is closed with it (its figures are the opening
    balances of every closed month after it)."""
    if not months:
        return set()
    latest = conn.scalar(
        select(func.max(_periods.c.month)).where(_periods.c.status == PeriodStatus.CLOSED)
    )
    return {m for m in months if latest is not None and m <= latest}


def refuse_closed_months(conn: Connection, months: set[str]) -> None:
    """Refuse anything dated in a closed month, naming the earliest one."""
    closed = closed_months(conn, months)
    if closed:
        raise RuleBroken("period.closed", month=min(closed))


def lock_head(conn: Connection) -> tuple[int, str]:
    """Lock the ledger head (one poster at a time); its (last seq, last hash)."""
    row = conn.execute(
        select(_head.c.last_seq, _head.c.last_hash).where(_head.c.id == 1).with_for_update()
    ).first()
    if row is None:
        raise RuleBroken("ledger.not_initialised")
    return row.last_seq, row.last_hash


def _insert_entries(conn: Connection, posted: list[PostedEntry]) -> None:
    """Lines first, then entries: the database checks each entry against its lines."""
    line_rows = [
        {
            "entry_seq": p.seq,
            "line_no": i,
            "account_code": ln.account,
            "side": ln.side,
            "amount_fen": ln.amount_fen,
        }
        for p in posted
        for i, ln in enumerate(p.draft.lines, start=1)
    ]
    entry_rows = [
        {
            "seq": p.seq,
            "business_date": p.draft.business_date,
            "kind": p.draft.kind,
            "operator": p.draft.operator,
            "object_type": p.draft.object_type,
            "object_id": p.draft.object_id,
            "memo": p.draft.memo,
            "reverses_seq": p.draft.reverses_seq,
            "total_fen": p.draft.total_fen,
            "line_count": len(p.draft.lines),
            "prev_hash": p.prev_hash,
            "hash": p.hash,
        }
        for p in posted
    ]
    insert_rows(conn, _lines, line_rows)  # COPY on PostgreSQL; the triggers still fire
    insert_rows(conn, _entries, entry_rows)


def _add_to_kept_balances(conn: Connection, posted: list[PostedEntry]) -> None:
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    daily: dict[tuple[str, date], list[int]] = defaultdict(lambda: [0, 0])
    by_kind: dict[tuple[str, str, date], list[int]] = defaultdict(lambda: [0, 0])
    for p in posted:
        for ln in p.draft.lines:
            col = 0 if ln.side == "D" else 1
            totals[ln.account][col] += ln.amount_fen
            daily[(ln.account, p.draft.business_date)][col] += ln.amount_fen
            by_kind[(ln.account, p.draft.kind, p.draft.business_date)][col] += ln.amount_fen
    conn.execute(
        update(_balances)
        .where(_balances.c.account_code == bindparam("code"))
        .values(
            debit_fen=_balances.c.debit_fen + bindparam("d"),
            credit_fen=_balances.c.credit_fen + bindparam("c"),
        ),
        [{"code": a, "d": d, "c": c} for a, (d, c) in sorted(totals.items())],
    )
    _upsert(conn, _daily, ("account_code", "business_date"), daily)
    _upsert(conn, _kind_daily, ("account_code", "kind", "business_date"), by_kind)


def _upsert(
    conn: Connection, table: Table, keys: tuple[str, ...], sums: dict[tuple, list[int]]
) -> None:
    """Add debit and credit sums to kept rows keyed by ``keys`` (inserting new keys)."""
    rows = [
        {**dict(zip(keys, key, strict=True)), "debit_fen": dr, "credit_fen": cr}
        for key, (dr, cr) in sorted(sums.items())
    ]
    conn.execute(_adding_upsert(conn.dialect.name, table, keys), rows)


def _adding_upsert(dialect: str, table: Table, keys: tuple[str, ...]) -> Executable:
    """``INSERT … ON CONFLICT (keys) DO UPDATE`` adding the new sums to the kept ones.

    The two dialects' inserts are distinct types with the same ``on_conflict_do_update``.
    """
    index = [table.c[k] for k in keys]
    if dialect == "postgresql":
        pg = postgresql.insert(table)
        return pg.on_conflict_do_update(index_elements=index, set_=_added(table, pg.excluded))
    lite = sqlite.insert(table)
    return lite.on_conflict_do_update(index_elements=index, set_=_added(table, lite.excluded))


def _added(
    table: Table, excluded: ReadOnlyColumnCollection[str, KeyedColumnElement[Any]]
) -> dict[str, Any]:
    return {
        "debit_fen": table.c.debit_fen + excluded.debit_fen,
        "credit_fen": table.c.credit_fen + excluded.credit_fen,
    }


def load_entry(conn: Connection, seq: int) -> EntryDraft:
    """An entry as posted, lines in order; NotFound if there is none."""
    if not 1 <= seq < 2**63:
        raise NotFound("ledger.no_such_entry", seq=seq)
    row = conn.execute(select(_entries).where(_entries.c.seq == seq)).first()
    if row is None:
        raise NotFound("ledger.no_such_entry", seq=seq)
    lines = conn.execute(
        select(_lines.c.account_code, _lines.c.side, _lines.c.amount_fen)
        .where(_lines.c.entry_seq == seq)
        .order_by(_lines.c.line_no)
    ).all()
    return EntryDraft(
        business_date=row.business_date,
        kind=row.kind,
        operator=row.operator,
        lines=tuple(Line(a, s, amt) for a, s, amt in lines),
        object_type=row.object_type,
        object_id=row.object_id,
        memo=row.memo,
        reverses_seq=row.reverses_seq,
    )


def reverse(
    conn: Connection, seq: int, business_date: date, operator: str, memo: str
) -> PostedEntry:
    """Correct entry ``seq`` by posting its reversal; each entry is reversed at most once."""
    original = load_entry(conn, seq)
    if original.reverses_seq is not None:
        raise RuleBroken("ledger.reverse_a_reversal", seq=seq)
    if original.kind == EntryKind.YEAR_END_CLOSE:  # undone only by reopening the December
        raise RuleBroken("period.reverse_year_end", seq=seq, month=original.object_id)
    if business_date < original.business_date:
        raise RuleBroken(
            "ledger.reversal_before_original", seq=seq, date=original.business_date.isoformat()
        )
    already = conn.scalar(select(_entries.c.seq).where(_entries.c.reverses_seq == seq))
    if already is not None:
        raise Conflict("ledger.already_reversed", seq=seq, by=already)
    return post(conn, reversal_of(seq, original, business_date, operator, memo))


@dataclass(frozen=True, slots=True)
class BalanceRow:
    code: str
    name_zh: str
    name_en: str
    type: str
    normal_side: str
    debit_fen: int
    credit_fen: int

    @property
    def balance_fen(self) -> int:
        """Balance on the account's normal side (negative if it sits on the other)."""
        net = self.debit_fen - self.credit_fen
        return net if self.normal_side == "D" else -net


def balances(conn: Connection, as_of: date | None = None) -> list[BalanceRow]:
    """Every account's debit and credit totals, from kept balances (O(accounts))."""
    if as_of is None:
        src = select(
            _balances.c.account_code,
            _balances.c.debit_fen.label("d"),
            _balances.c.credit_fen.label("c"),
        ).subquery()
    else:
        src = (
            select(
                _daily.c.account_code,
                func.sum(_daily.c.debit_fen).label("d"),
                func.sum(_daily.c.credit_fen).label("c"),
            )
            .where(_daily.c.business_date <= as_of)
            .group_by(_daily.c.account_code)
            .subquery()
        )
    acc = table_of(Account)
    rows = conn.execute(
        select(acc, func.coalesce(src.c.d, 0), func.coalesce(src.c.c, 0))
        .select_from(acc.outerjoin(src, src.c.account_code == acc.c.code))
        .order_by(acc.c.code)
    ).all()
    return [
        BalanceRow(r.code, r.name_zh, r.name_en, r.type, r.normal_side, int(r[5]), int(r[6]))
        for r in rows
    ]


def head(conn: Connection) -> tuple[int, str]:
    """(last seq, last hash) of the chain, as the engine recorded it."""
    row = conn.execute(select(_head.c.last_seq, _head.c.last_hash)).first()
    return (row.last_seq, row.last_hash) if row else (0, GENESIS_HASH)


def kept_line_count(conn: Connection) -> int:
    """Journal lines posted, as the head keeps the count (``verify`` checks it)."""
    return int(conn.scalar(select(_head.c.line_count)) or 0)
