"""Corrections: a posted entry is never changed, it is reversed by a new entry.

``fund ledger reverse`` corrects only a *free-standing* entry: one whose business
event keeps no record of its own beside the ledger that the books are read from.
An entry that belongs to a business event with its own records (a facility's
pay-out, repayment, claim, recovery or write-off; a matching pledge or receipt; a
county's working funds; a day close's provision top-up) is corrected only through
that event's own command, which moves the records and the ledger together
(DOMAIN.md §4: the state change and its entry go in one transaction). Reversing
the entry alone would leave, say, 1211 at one figure and the loans' outstanding at
another — which ``ledger verify`` now reports.

Per kind (``terms.EntryKind``):

- ``donation``: allowed. The donations row is a receipt kept for idempotency (its
  ref); no figure is read from it, the books read the ledger, so the reversal *is*
  the correction of a mis-recorded gift.
- ``matching.pledge`` and a ``matching.receipt`` on 1214: posted only by the old rule
  (matching is now the county's money, kept in the local-support register off the
  ledger); refused; ``fund local-support migrate --date D`` reverses them all, with a
  note (``fund cancel ID`` before pay-out also reverses a pledge with its approval).
- ``write_off``: refused; ``fund write-off ID --undo`` reverses it and restores the
  facility (``claims.undo_write_off`` posts that reversal through the journal itself).
- ``disburse.*``, ``repayment``, ``deposit.release``, ``claim``,
  ``claim.county_share``, ``recovery.*``, ``matching.receipt`` (matching paid into the
  fund's account), ``matching.pass_on``: refused; they move a facility's outstanding,
  deposit, receivables or local-support register, and only their own commands may
  change those.
- ``working_funds``: refused; the county's payment row is what the statements read.
- ``provision``: refused; the provision is set by the day close.
- ``reversal`` and ``close.year_end``: refused by the journal itself (a reversal is
  not reversed, it is posted again; a year-end close is undone by reopening December).

Anything else (a kind this module does not know) is refused: only what is known to
stand alone may be reversed alone.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Connection

from fundcore.domain.errors import InputError, RuleBroken
from fundcore.domain.ledger import EntryDraft, PostedEntry
from fundcore.domain.terms import EntryKind
from fundcore.services.operators import authorise
from fundcore.store import audit, journal

#: entries ``ledger reverse`` may correct on their own
FREE_STANDING: frozenset[str] = frozenset({EntryKind.DONATION})
#: refused here with their own messages by ``journal.reverse``
JOURNAL_RULES: frozenset[str] = frozenset({EntryKind.REVERSAL, EntryKind.YEAR_END_CLOSE})
#: business entries whose event has a command that corrects it: kind -> that command
BY_COMMAND: dict[str, str] = {
    EntryKind.WRITE_OFF: "fund write-off {id} --undo --reason …",
    EntryKind.MATCHING_PLEDGE: "fund local-support migrate --date …",
}


def reverse_entry(
    conn: Connection, operator: str | None, seq: int, business_date: date, reason: str
) -> PostedEntry:
    """Post the reversal of entry ``seq`` (finance), with the reason in memo and audit."""
    actor = authorise(conn, operator, "ledger.reverse")
    reason = reason.strip()
    if not reason:
        raise InputError("ledger.reason_needed")
    refuse_business_entry(seq, journal.load_entry(conn, seq))
    posted = journal.reverse(conn, seq, business_date, actor.name, reason)
    audit.record(
        conn,
        actor.name,
        "ledger.reverse",
        object_type="entry",
        object_id=seq,
        business_date=business_date,
        reversal_seq=posted.seq,
        reason=reason,
    )
    return posted


def refuse_business_entry(seq: int, entry: EntryDraft) -> None:
    """Refuse an entry that belongs to a business event, naming its kind and what to use."""
    if entry.kind in FREE_STANDING or entry.kind in JOURNAL_RULES:
        return
    obj = f"{entry.object_type or '-'} {entry.object_id or ''}".strip()
    command = BY_COMMAND.get(entry.kind)
    if command is not None:
        raise RuleBroken(
            "ledger.reverse_use_command",
            seq=seq,
            kind=entry.kind,
            object=obj,
            command=command.format(id=entry.object_id),
        )
    raise RuleBroken("ledger.reverse_business_entry", seq=seq, kind=entry.kind, object=obj)
