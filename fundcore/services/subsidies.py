"""The interest subsidy (贴息): accrued at each due date, paid to each bank.

A guaranteed bank loan's instalment carries ``subsidy_fen``, the share of its interest
a policy says the fund pays for the borrower (``interest_subsidy_bp``). The borrower
owes the bank the interest less that (``services.repayments`` reads it so); the fund
owes the bank the rest from the due date. Every day close accrues the subsidies of the
instalments that fell due since the close before, of the schedules in force, on the
guarantees paid out by then and not claimed before the due date (after a claim the
bank is paid off and charges no interest), one entry per bank; ``pay`` settles what a
bank was owed through a date, one entry per bank and period. The ``subsidy_accruals``
rows are the sub-ledger of the payable (2209.01).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Connection, and_, exists, func, select, update

from fundcore.domain import chart
from fundcore.domain.errors import InputError, RuleBroken
from fundcore.domain.postings.subsidies import (
    SubsidyAccrued,
    SubsidyPaid,
    subsidy_accrual,
    subsidy_payment,
)
from fundcore.domain.terms import FacilityEventKind, FacilityStatus, Instrument
from fundcore.services import capacity
from fundcore.services.operators import authorise
from fundcore.store import audit, journal
from fundcore.store.bulk import insert_rows
from fundcore.store.models import DayClose, Facility, FacilityEvent, Instalment, SubsidyAccrual
from fundcore.store.tables import table_of

_fac = table_of(Facility)
_inst = table_of(Instalment)
_ev = table_of(FacilityEvent)
_acc = table_of(SubsidyAccrual)
_close = table_of(DayClose)


def accrue(conn: Connection, operator: str, day: date) -> int:
    """Accrue the subsidies that fell due after the last close and by ``day``; the
    amount accrued (0 if none)."""
    since = conn.scalar(
        select(func.max(_close.c.business_date)).where(_close.c.business_date < day)
    )
    i, f = _inst.c, _fac.c
    claimed_before = exists().where(
        _ev.c.facility_id == i.facility_id,
        _ev.c.kind == FacilityEventKind.CLAIM,
        _ev.c.business_date < i.due_date,
    )
    accrued = exists().where(
        _acc.c.facility_id == i.facility_id, _acc.c.version == i.version, _acc.c.no == i.no
    )
    stmt = (
        select(i.facility_id, i.version, i.no, i.due_date, i.subsidy_fen, f.bank)
        .select_from(_inst.join(_fac, f.id == i.facility_id))
        .where(
            f.instrument == Instrument.GUARANTEE,
            f.status != FacilityStatus.CANCELLED,
            f.disbursed_on.is_not(None),
            f.disbursed_on <= i.due_date,
            i.active,
            i.subsidy_fen > 0,
            i.due_date <= day,
            ~claimed_before,
            ~accrued,
        )
        .order_by(f.bank, i.facility_id, i.no)
    )
    if since is not None:
        stmt = stmt.where(i.due_date > since)
    by_bank: dict[str, list[dict[str, object]]] = defaultdict(list)
    for fid, version, no, due, amount, bank in conn.execute(stmt):
        row = {"facility_id": fid, "version": version, "no": no, "due_date": due}
        by_bank[bank or ""].append({**row, "amount_fen": int(amount)})
    total = 0
    for bank in sorted(by_bank):
        rows = by_bank[bank]
        amount = sum(int(r["amount_fen"]) for r in rows)  # type: ignore[call-overload]
        fact = SubsidyAccrued(bank, day, operator, amount, len(rows))
        seq = journal.post(conn, subsidy_accrual(fact)).seq
        insert_rows(
            conn,
            _acc,
            [{**r, "bank": bank, "accrued_on": day, "accrual_seq": seq} for r in rows],
        )
        total += amount
    return total


@dataclass(frozen=True, slots=True)
class SubsidyPayment:
    bank: str
    through: date
    business_date: date
    amount_fen: int
    instalments: int
    entry_seq: int


def pay(
    conn: Connection, operator: str | None, bank: str, through: date, on: date | None = None
) -> SubsidyPayment:
    """``fund subsidies pay``: pay ``bank`` the subsidies accrued for the instalments due
    by ``through`` and not yet paid, dated ``on`` (``through`` without it), one entry."""
    actor = authorise(conn, operator, "subsidies.pay")
    bank = bank.strip()
    if not bank:
        raise InputError("subsidy.bank_needed")
    on = on or through
    if on < through:
        raise InputError(
            "subsidy.paid_before_through", on=on.isoformat(), through=through.isoformat()
        )
    capacity.lock_fund(conn)
    owed = and_(_acc.c.bank == bank, _acc.c.due_date <= through, _acc.c.paid_seq.is_(None))
    amount, count = conn.execute(
        select(func.coalesce(func.sum(_acc.c.amount_fen), 0), func.count()).where(owed)
    ).one()
    if not count:
        raise RuleBroken("subsidy.nothing_to_pay", bank=bank, through=through.isoformat())
    cash = next(r.balance_fen for r in journal.balances(conn) if r.code == chart.BANK)
    if int(amount) > cash:
        raise RuleBroken("disburse.no_cash", need=int(amount), bank=cash)
    fact = SubsidyPaid(bank, on, actor.name, int(amount), through)
    seq = journal.post(conn, subsidy_payment(fact)).seq
    conn.execute(update(_acc).where(owed).values(paid_on=on, paid_seq=seq))
    audit.record(
        conn,
        actor.name,
        "subsidies.pay",
        object_type="subsidy",
        object_id=bank,
        business_date=on,
        amount_fen=int(amount),
        through=through.isoformat(),
        instalments=int(count),
        entry_seq=seq,
    )
    return SubsidyPayment(bank, through, on, int(amount), int(count), seq)
