"""What every statement shares: the header, the generation parameters, the period check
and the ledger's integrity block (its head, kept totals, and a full re-verification only
when asked for, since that reads the whole journal).

Everything in the header, the document number and the integrity block is stated as of
the period's last day, never as the ledger stands when the statement is made: the
ledger's figures are those of the entries dated on or before that day. Once every month
of the period is closed nothing dated in it can be posted (``journal.post_many``), so
those figures are fixed and the statement produced again later, after any further
activity, is the same to the byte. The header says whether the period is closed
(``period_state``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Connection, func, select, text

from fundcore.domain.errors import InputError
from fundcore.domain.ledger import GENESIS_HASH, HASH_SCHEME
from fundcore.domain.periods import month_of, next_month
from fundcore.domain.policy import PolicyInForce
from fundcore.messages import render
from fundcore.services.operators import Actor, authorise
from fundcore.services.policy import in_force_or_first
from fundcore.statements.model import (
    IntegrityBlock,
    Parameter,
    PeriodState,
    Scope,
    StatementHeader,
)
from fundcore.store import journal
from fundcore.store.models import AccountDaily, JournalEntry
from fundcore.store.tables import table_of
from fundcore.store.verify import verify

FOUNDATION = ("中国青年创业就业基金会", "China Youth Entrepreneurship and Employment Foundation")
FUND = (
    "深度贫困地区青年创业就业公益基金",
    "Youth Entrepreneurship and Employment Fund for Deeply Poor Areas",
)


def for_reports(conn: Connection) -> None:
    """Settings for this read's transaction: on PostgreSQL, no JIT compilation.

    The statements' aggregates have many CASE expressions and correlated subqueries, so
    their cost estimates pass ``jit_above_cost`` although they run in well under a second;
    compiling them took longer than running them (about 0.5 s of 1 s at 100,000
    facilities). ``SET LOCAL`` ends with the transaction and changes no data.
    """
    if conn.dialect.name == "postgresql":
        conn.execute(text("SET LOCAL jit = off"))


def check_period(period_from: date, period_to: date) -> None:
    if period_from > period_to:
        raise InputError(
            "statement.bad_period", start=period_from.isoformat(), end=period_to.isoformat()
        )


def begin_period_statement(
    conn: Connection, operator: str | None, action: str, period_from: date, period_to: date
) -> Actor:
    """What every statement of a period starts with: the operator authorised for
    ``action``, the reporting transaction's settings, and a period that runs forwards."""
    actor = authorise(conn, operator, action)
    for_reports(conn)
    check_period(period_from, period_to)
    return actor


def policy_on(conn: Connection, on: date) -> PolicyInForce:
    """The policy in force on ``on`` (the first one for a date before any)."""
    return in_force_or_first(conn, on)


@dataclass(frozen=True, slots=True)
class LedgerAt:
    """The journal as of a business date: the entries dated on or before it."""

    entries: int
    lines: int
    debit_fen: int
    credit_fen: int
    #: the highest sequence number among those entries (0 when there are none) and its hash
    seq: int
    hash: str


def ledger_as_of(conn: Connection, on: date) -> LedgerAt:
    """The entries dated on or before ``on``: count, lines, kept totals, highest entry.

    Entries dated after ``on`` are left out even when posted earlier, so the figures of a
    closed period's last day never move. The debit and credit totals come from the kept
    daily totals (O(accounts × days)); the count and the highest entry from one range of
    the index on (date, seq, lines), never the entries' rows or their lines. Kept for the
    connection: a statement's header and integrity block ask for the same day.
    """
    key = ("ledger_as_of", on)
    if key in conn.info:
        found: LedgerAt = conn.info[key]
        return found
    ent = table_of(JournalEntry)
    entries, lines, seq = conn.execute(
        select(
            func.count(), func.coalesce(func.sum(ent.c.line_count), 0), func.max(ent.c.seq)
        ).where(ent.c.business_date <= on)
    ).one()
    daily = table_of(AccountDaily)
    debit, credit = conn.execute(
        select(
            func.coalesce(func.sum(daily.c.debit_fen), 0),
            func.coalesce(func.sum(daily.c.credit_fen), 0),
        ).where(daily.c.business_date <= on)
    ).one()
    digest = GENESIS_HASH
    if seq is not None:
        digest = conn.scalar(select(ent.c.hash).where(ent.c.seq == seq)) or GENESIS_HASH
    at = LedgerAt(int(entries), int(lines), int(debit), int(credit), int(seq or 0), digest)
    conn.info[key] = at
    return at


def head_seq_as_of(conn: Connection, on: date) -> int:
    """The highest sequence number among entries dated on or before ``on`` (0 if none):
    what a document number names, so that it too is fixed once the period is closed."""
    return ledger_as_of(conn, on).seq


def integrity_block(
    conn: Connection,
    verify_chain: bool,
    lang: str,
    problems: tuple[str, ...] = (),
    *,
    as_of: date,
) -> IntegrityBlock:
    """The ledger as of ``as_of`` (see ``ledger_as_of``) and, only if asked, a full
    re-verification.

    The re-verification reads the whole chain as it stands at generation, up to the
    current head: it proves the entries counted here are intact and chained. Only its
    verdict and problems are shown (not the current head or counts), so a closed
    period's statement stays the same while the chain stays intact.
    """
    at = ledger_as_of(conn, as_of)
    if verify_chain:
        report = verify(conn)
        verified = report.ok
        found = tuple(render(p.code, p.params, lang) for p in report.problems)
    else:
        verified, found = False, ()
    return IntegrityBlock(
        entry_count=at.entries,
        line_count=at.lines,
        total_debit_fen=at.debit_fen,
        total_credit_fen=at.credit_fen,
        trial_balance_fen=at.debit_fen - at.credit_fen,
        head_seq=at.seq,
        head_hash=at.hash,
        verified=verified,
        hash_scheme=HASH_SCHEME,
        problems=problems + found,
        checked=verify_chain,
        as_of=as_of,
    )


def months_of(period_from: date, period_to: date) -> list[str]:
    """The months ('YYYY-MM') the period touches, in order."""
    out, month, last = [], month_of(period_from), month_of(period_to)
    while month <= last:
        out.append(month)
        month = next_month(month)
    return out


def period_state(conn: Connection, period_from: date, period_to: date) -> PeriodState:
    """Closed when every month of the period is closed; otherwise its first open month."""
    months = months_of(period_from, period_to)
    closed = journal.closed_months(conn, set(months))
    still_open = [m for m in months if m not in closed]
    return PeriodState(not still_open, still_open[0] if still_open else "")


def header(
    conn: Connection,
    scope: Scope,
    period: tuple[date, date],
    parameters: list[Parameter],
    command: str,
    document_no: str,
) -> StatementHeader:
    """The header of a statement over ``period``, with whether the period is closed."""
    return StatementHeader(
        foundation_name_zh=FOUNDATION[0],
        foundation_name_en=FOUNDATION[1],
        fund_name_zh=FUND[0],
        fund_name_en=FUND[1],
        period_from=period[0],
        period_to=period[1],
        scope=scope,
        parameters=tuple(parameters),
        reproduce_command=command,
        document_no=document_no,
        period_state=period_state(conn, *period),
    )


def parameters(actor: Actor, as_of: date, policy: int | None) -> list[Parameter]:
    """数据截至 the period's last day (every figure is stated as of it), the policy in
    force then, and who generated the statement."""
    out = [Parameter("数据截至", "As of", as_of.isoformat())]
    if policy is not None:
        out.append(Parameter("政策版本", "Policy version", str(policy)))
    out.append(Parameter("生成人", "Generated by", actor.name))
    return out
