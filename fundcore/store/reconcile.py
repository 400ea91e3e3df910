"""Sub-ledgers against their control accounts: the facility rows against the ledger.

The facility rows keep the state now (outstanding, deposit, claims, recoveries,
commitment); the ledger keeps the money. Every business event moves both in one
transaction, so they agree, account by account:

- 1211 loans receivable = outstanding of the interest-free loans being serviced
  (current, overdue, defaulted);
- 1031 guarantee deposits placed = the deposits of the guarantees being serviced;
- 1212 claims receivable = per claimed guarantee, the claim paid less the county's
  share less what the borrower paid back (a write-off takes it to nil); 1213
  counter-guarantee receivable = per facility (a claimed guarantee, a defaulted loan
  whose share was called), the county's share less what the county paid back less what
  of it was written off on its own (the borrower's write-off leaves it);
- 2411 guarantee loss provision = the day closes' top-ups less what write-offs drew;
- 1231 loan-loss allowance = the month-end reviews less what loan write-offs drew;
- 2209.01 subsidies payable = per bank, the subsidies accrued less those paid
  (``subsidy_accruals``);
- commitments (no account: what capacity reserves) = approved − paid out − cancelled,
  the pay-outs read from the journal;
- 1214 matching receivable = nil: matching is the county's money, kept in the
  local-support register, never the fund's asset (the old pledges and receipts are
  reversed by ``fund local-support migrate``).

Each figure is one grouped query; for an account that does not agree, the first
facility (lowest id) whose own journal lines (entries with object_type 'facility'
and its id) differ from its row is named. The posting recipes in
``fundcore.domain.postings`` say which account each step moves.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Connection, and_, case, exists, func, select

from fundcore.domain import chart
from fundcore.domain.postings.provision import DAY_CLOSE
from fundcore.domain.postings.repayment import FACILITY
from fundcore.domain.terms import SERVICED, EntryKind, FacilityStatus, Instrument
from fundcore.store.models import (
    AccountBalance,
    DayClose,
    Facility,
    JournalEntry,
    JournalLine,
    SubsidyAccrual,
)
from fundcore.store.tables import table_of

_fac = table_of(Facility)
_entries = table_of(JournalEntry)
_lines = table_of(JournalLine)
_balances = table_of(AccountBalance)
_closes = table_of(DayClose)
_acc = table_of(SubsidyAccrual)

COMMITMENTS = "commitments"
#: control accounts kept on the credit side (the rest are assets, on the debit side)
_CREDIT_NORMAL = frozenset(
    {chart.GUARANTEE_LOSS_PROVISION, chart.LOAN_LOSS_ALLOWANCE, chart.SUBSIDY_PAYABLE}
)
PAYOUT_KINDS = tuple(EntryKind.disbursement(i) for i in Instrument)


@dataclass(frozen=True, slots=True)
class Mismatch:
    """A control account that disagrees with its facility rows.

    ``ledger_fen`` is the ledger's figure (for commitments: approved − paid out −
    cancelled), ``records_fen`` the rows' (for commitments: the kept commitments).
    ``facility_id`` is the first facility whose own figures differ (None if none does:
    the difference is in lines that belong to no facility); ``facility_ledger_fen`` and
    ``facility_records_fen`` are that facility's two figures.
    """

    account: str
    ledger_fen: int
    records_fen: int
    facility_id: int | None = None
    facility_ledger_fen: int = 0
    facility_records_fen: int = 0


#: per facility: account -> figure
PerFacility = dict[int, dict[str, int]]


def _row_figures() -> dict[str, ColumnElement[Any]]:
    """What each facility row says each account holds for it."""
    f = _fac.c
    serviced = f.status.in_(SERVICED)
    claimed = and_(f.instrument == Instrument.GUARANTEE, f.status == FacilityStatus.CLAIMED)
    return {
        chart.LOANS_RECEIVABLE: case(
            (and_(f.instrument == Instrument.LOAN, serviced), f.outstanding_fen), else_=0
        ),
        chart.GUARANTEE_DEPOSITS: case(
            (and_(f.instrument == Instrument.GUARANTEE, serviced), f.deposit_fen), else_=0
        ),
        chart.CLAIMS_RECEIVABLE: case(
            (claimed, f.claim_paid_fen - f.county_share_fen - f.recovered_borrower_fen), else_=0
        ),
        chart.COUNTER_GUARANTEE_RECEIVABLE: f.county_share_fen
        - f.recovered_county_fen
        - f.county_written_off_fen,
    }


ROW_ACCOUNTS = tuple(_row_figures())
JOURNAL_ACCOUNTS = (
    *ROW_ACCOUNTS,
    chart.GUARANTEE_LOSS_PROVISION,
    chart.LOAN_LOSS_ALLOWANCE,
    chart.SUBSIDY_PAYABLE,
)


def reconcile(conn: Connection) -> list[Mismatch]:
    """Every control account that disagrees with its sub-ledger, in account order."""
    rows, written_off, commitments = _facility_rows(conn)
    journal = _facility_journal(conn)
    ledger = _ledger_balances(conn)
    out: list[Mismatch] = []
    for account in ROW_ACCOUNTS:
        mine = {fid: figs.get(account, 0) for fid, figs in rows.items()}
        theirs = {fid: figs.get(account, 0) for fid, figs in journal.items()}
        out += _compare(account, ledger.get(account, 0), sum(mine.values()), theirs, mine)
    out += _provision(conn, ledger, journal, written_off | _county_written_off(conn))
    out += _reviewed(
        conn, chart.LOAN_LOSS_ALLOWANCE, EntryKind.ALLOWANCE, ledger, journal, written_off
    )
    out += _subsidies(conn, ledger)
    out += _commitments(conn, commitments)
    out += _retired(conn)
    return out


def _retired(conn: Connection) -> list[Mismatch]:
    """1214 holds nothing: no facility record says the fund is owed matching money."""
    account = chart.MATCHING_RECEIVABLE
    row = conn.execute(
        select(_balances.c.debit_fen, _balances.c.credit_fen).where(
            _balances.c.account_code == account
        )
    ).first()
    held = 0 if row is None else int(row.debit_fen) - int(row.credit_fen)
    return [Mismatch(account, held, 0)] if held else []


def _compare(
    account: str, ledger_fen: int, records_fen: int, theirs: dict[int, int], mine: dict[int, int]
) -> list[Mismatch]:
    """One mismatch if the totals or any facility differ, naming the first facility."""
    first = next(
        (fid for fid in sorted(set(theirs) | set(mine)) if theirs.get(fid, 0) != mine.get(fid, 0)),
        None,
    )
    if ledger_fen == records_fen and first is None:
        return []
    if first is None:
        return [Mismatch(account, ledger_fen, records_fen)]
    return [
        Mismatch(account, ledger_fen, records_fen, first, theirs.get(first, 0), mine.get(first, 0))
    ]


def _facility_rows(conn: Connection) -> tuple[PerFacility, set[int], dict[int, tuple[int, int]]]:
    """Each facility's row figures, the ids written off, and (kept, due) commitments."""
    figures = _row_figures()
    f = _fac.c
    approved_commitment = case(
        (f.instrument == Instrument.GUARANTEE, f.deposit_fen), else_=f.principal_fen
    )
    stmt = select(f.id, f.status, f.committed_fen, approved_commitment, *figures.values()).order_by(
        f.id
    )
    rows: PerFacility = {}
    written_off: set[int] = set()
    commitments: dict[int, tuple[int, int]] = {}
    for fid, status, committed, approved, *values in conn.execute(stmt):
        rows[fid] = {a: int(v) for a, v in zip(figures, values, strict=True) if v}
        if status == FacilityStatus.WRITTEN_OFF:
            written_off.add(fid)
        due = int(approved) if status == FacilityStatus.APPROVED else 0
        commitments[fid] = (int(committed), due)
    return rows, written_off, commitments


def _facility_journal(conn: Connection) -> PerFacility:
    """Each facility's own lines on the control accounts, net on the normal side."""
    d = func.sum(case((_lines.c.side == "D", _lines.c.amount_fen), else_=0))
    c = func.sum(case((_lines.c.side == "C", _lines.c.amount_fen), else_=0))
    stmt = (
        select(_entries.c.object_id, _lines.c.account_code, d, c)
        .select_from(_lines.join(_entries, _entries.c.seq == _lines.c.entry_seq))
        .where(_entries.c.object_type == FACILITY, _lines.c.account_code.in_(JOURNAL_ACCOUNTS))
        .group_by(_entries.c.object_id, _lines.c.account_code)
    )
    out: PerFacility = defaultdict(dict)
    for object_id, account, dr, cr in conn.execute(stmt):
        fid = _facility_id(object_id)
        if fid is None:
            continue
        net = int(cr) - int(dr) if account in _CREDIT_NORMAL else int(dr) - int(cr)
        if net:
            out[fid][account] = net
    return out


def _facility_id(object_id: str | None) -> int | None:
    try:
        return int(object_id or "")
    except ValueError:
        return None


def _ledger_balances(conn: Connection) -> dict[str, int]:
    """The kept balances of the control accounts, on their normal sides."""
    out: dict[str, int] = {}
    for code, dr, cr in conn.execute(
        select(_balances.c.account_code, _balances.c.debit_fen, _balances.c.credit_fen).where(
            _balances.c.account_code.in_(JOURNAL_ACCOUNTS)
        )
    ):
        out[code] = int(cr) - int(dr) if code in _CREDIT_NORMAL else int(dr) - int(cr)
    return out


def _provision(
    conn: Connection, ledger: dict[str, int], journal: PerFacility, written_off: set[int]
) -> list[Mismatch]:
    """2411: the recorded day closes' top-ups less the draws of facilities written off.

    Only a written-off facility may hold a draw on the provision (an undone write-off
    nets to nil); a top-up counts when its day close is on record.
    """
    return _reviewed(
        conn, chart.GUARANTEE_LOSS_PROVISION, EntryKind.PROVISION, ledger, journal, written_off
    )


def _reviewed(
    conn: Connection,
    account: str,
    kind: EntryKind,
    ledger: dict[str, int],
    journal: PerFacility,
    written_off: set[int],
) -> list[Mismatch]:
    """An account the day closes review (2411, 1231): their entries of ``kind`` on it,
    while their close is on record, plus the draws of the facilities written off."""
    recorded = exists().where(
        _closes.c.business_date == _entries.c.business_date,
    )
    topped_up = conn.scalar(
        select(
            func.coalesce(
                func.sum(
                    case((_lines.c.side == "C", _lines.c.amount_fen), else_=-_lines.c.amount_fen)
                ),
                0,
            )
        )
        .select_from(_lines.join(_entries, _entries.c.seq == _lines.c.entry_seq))
        .where(
            _entries.c.kind == kind,
            _entries.c.object_type == DAY_CLOSE,
            _lines.c.account_code == account,
            recorded,
        )
    )
    theirs = {fid: figs[account] for fid, figs in journal.items() if account in figs}
    mine = {fid: theirs[fid] for fid in theirs if fid in written_off}
    records = int(topped_up or 0) + sum(mine.values())
    return _compare(account, ledger.get(account, 0), records, theirs, mine)


def _county_written_off(conn: Connection) -> set[int]:
    """Facilities whose county share was written off (a guarantee's draws on 2411)."""
    return set(conn.scalars(select(_fac.c.id).where(_fac.c.county_written_off_fen > 0)))


def _subsidies(conn: Connection, ledger: dict[str, int]) -> list[Mismatch]:
    """2209.01 against the accruals not yet paid, bank by bank (no facility to name: a
    bank that differs makes the whole account a mismatch)."""
    account = chart.SUBSIDY_PAYABLE
    a = _acc.c
    kept: dict[str, int] = {
        str(bank): int(fen)
        for bank, fen in conn.execute(
            select(a.bank, func.sum(a.amount_fen)).where(a.paid_seq.is_(None)).group_by(a.bank)
        )
    }
    d = func.sum(case((_lines.c.side == "D", _lines.c.amount_fen), else_=0))
    c = func.sum(case((_lines.c.side == "C", _lines.c.amount_fen), else_=0))
    posted: dict[str, int] = {
        str(bank): int(cr) - int(dr)
        for bank, dr, cr in conn.execute(
            select(_entries.c.object_id, d, c)
            .select_from(_lines.join(_entries, _entries.c.seq == _lines.c.entry_seq))
            .where(_lines.c.account_code == account)
            .group_by(_entries.c.object_id)
        )
    }
    records = sum(kept.values())
    differs = any(kept.get(b, 0) != posted.get(b, 0) for b in set(kept) | set(posted))
    if ledger.get(account, 0) == records and not differs:
        return []
    return [Mismatch(account, ledger.get(account, 0), records)]


def _commitments(conn: Connection, kept: dict[int, tuple[int, int]]) -> list[Mismatch]:
    """What capacity reserves (the rows) against approved − paid out − cancelled."""
    paid = _paid_out(conn)
    due = {fid: (0 if fid in paid else d) for fid, (_, d) in kept.items()}
    rows = {fid: k for fid, (k, _) in kept.items()}
    return _compare(COMMITMENTS, sum(due.values()), sum(rows.values()), due, rows)


def _paid_out(conn: Connection) -> set[int]:
    """Facilities with a pay-out entry in the journal that no reversal undid."""
    rev = _entries.alias("rev")
    stmt = select(_entries.c.object_id).where(
        _entries.c.kind.in_(PAYOUT_KINDS),
        _entries.c.object_type == FACILITY,
        ~exists().where(rev.c.reverses_seq == _entries.c.seq),
    )
    return {fid for fid in map(_facility_id, conn.scalars(stmt)) if fid is not None}


def as_params(m: Mismatch) -> tuple[str, dict[str, object]]:
    """A mismatch as a verify problem: its code and parameters."""
    params: dict[str, object] = {
        "account": m.account,
        "ledger": m.ledger_fen,
        "records": m.records_fen,
    }
    if m.account == chart.MATCHING_RECEIVABLE:
        return "verify.subledger_matching", params
    if m.facility_id is None:
        return "verify.subledger_unowned", params
    params.update(
        facility=m.facility_id,
        facility_ledger=m.facility_ledger_fen,
        facility_records=m.facility_records_fen,
    )
    return "verify.subledger_mismatch", params
