"""Journal entries as values, and the rules every entry obeys.

Pure: no database here. An ``EntryDraft`` is what a business event wants to post;
``check_entry`` refuses anything that is not a balanced entry of at least two
positive lines; ``entry_hash`` is the chained hash over the entry's canonical form,
so that any edit, deletion or reordering of the journal shows when it is verified.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from fundcore.domain.errors import RuleBroken
from fundcore.domain.terms import EntryKind
from fundcore.domain.text import check_text

Side = Literal["D", "C"]
GENESIS_HASH = "0" * 64
HASH_SCHEME = "fundcore-entry-v1"


@dataclass(frozen=True, slots=True)
class Line:
    """One debit (``D``) or credit (``C``) of a positive amount to an account."""

    account: str
    side: Side
    amount_fen: int


def debit(account: str, amount_fen: int) -> Line:
    return Line(account, "D", amount_fen)


def credit(account: str, amount_fen: int) -> Line:
    return Line(account, "C", amount_fen)


@dataclass(frozen=True, slots=True)
class EntryDraft:
    """What a business event posts: a dated, attributed, balanced set of lines."""

    business_date: date
    kind: str
    operator: str
    lines: tuple[Line, ...]
    object_type: str | None = None
    object_id: str | None = None
    memo: str = ""
    reverses_seq: int | None = None

    @property
    def total_fen(self) -> int:
        return sum(ln.amount_fen for ln in self.lines if ln.side == "D")


@dataclass(frozen=True, slots=True)
class PostedEntry:
    seq: int
    hash: str
    prev_hash: str
    draft: EntryDraft = field(repr=False)


def check_entry(draft: EntryDraft) -> None:
    """Refuse an entry that has fewer than two lines, a non-positive line, or doesn't balance,
    or whose memo holds a control, bidi or zero-width character (``domain.text``): the
    memo is in the hash chain for ever, so every path that builds one is held to it."""
    check_text("memo", draft.memo)
    if len(draft.lines) < 2:
        raise RuleBroken("ledger.too_few_lines", kind=draft.kind)
    for ln in draft.lines:
        if ln.side not in ("D", "C"):
            raise RuleBroken("ledger.bad_side", side=ln.side)
        if not isinstance(ln.amount_fen, int) or isinstance(ln.amount_fen, bool):
            raise RuleBroken("ledger.amount_not_integer", account=ln.account)
        if ln.amount_fen <= 0:
            raise RuleBroken("ledger.amount_not_positive", account=ln.account)
    debits = draft.total_fen
    credits = sum(ln.amount_fen for ln in draft.lines if ln.side == "C")
    if debits != credits:
        raise RuleBroken("ledger.unbalanced", debit=debits, credit=credits)


def reversal_of(
    seq: int, original: EntryDraft, business_date: date, operator: str, memo: str
) -> EntryDraft:
    """The entry that undoes ``original``: the same lines on the opposite sides."""
    flipped = tuple(
        Line(ln.account, "C" if ln.side == "D" else "D", ln.amount_fen) for ln in original.lines
    )
    return EntryDraft(
        business_date=business_date,
        kind=EntryKind.REVERSAL,
        operator=operator,
        lines=flipped,
        object_type=original.object_type,
        object_id=original.object_id,
        memo=memo,
        reverses_seq=seq,
    )


def canonical_form(seq: int, prev_hash: str, draft: EntryDraft) -> bytes:
    """The bytes an entry's hash covers: every field, its lines in order, its place."""
    doc = [
        HASH_SCHEME,
        seq,
        prev_hash,
        draft.business_date.isoformat(),
        draft.kind,
        draft.operator,
        draft.object_type,
        draft.object_id,
        draft.memo,
        draft.reverses_seq,
        [[ln.account, ln.side, ln.amount_fen] for ln in draft.lines],
    ]
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def entry_hash(seq: int, prev_hash: str, draft: EntryDraft) -> str:
    """SHA-256 of the canonical form, which includes the previous entry's hash."""
    return hashlib.sha256(canonical_form(seq, prev_hash, draft)).hexdigest()
