"""The demo's servicing: how borrowers repay, month by month, and what follows a default.

Each borrower gets a habit when the money goes out: most pay every instalment on its due
date; some pay some instalments days or weeks late; a few pay everything off early; some
miss a month or two and then catch up at once; and a few stop paying. The bank's
weekly file of repayments is recorded in one batch. Every month end the books are
closed (ageing, overdue, default after 90 days, the guarantee loss provision). A
defaulted guarantee is claimed (代偿), the county's counter-guarantee share and part of
the borrower's debt are recovered, and what is left is written off; a defaulted
interest-free loan is written off after four months.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from dateutil.relativedelta import relativedelta
from sqlalchemy import Connection, select

from fundcore.domain.money import share_fen
from fundcore.services import claims, dayclose, repayments
from fundcore.store.models import Facility, Instalment

if TYPE_CHECKING:
    from fundcore.demo.run import Run

STREAMS = ("habits", "recoveries")
#: (habit, share of borrowers)
HABITS = (("prompt", 0.80), ("late", 0.09), ("prepay", 0.03), ("catch_up", 0.04), ("stop", 0.04))
WRITE_OFF_REASON = {
    "guarantee": "代偿后追偿无果，经审批核销",
    "loan": "借款人长期失联，经审批核销",
}
_fac = Facility.__table__
_inst = Instalment.__table__

#: one instalment as the borrower sees it: (no, due date, principal, interest)
Due = tuple[int, date, int, int]


def schedules(conn: Connection, ids: list[int]) -> dict[int, list[Due]]:
    out: dict[int, list[Due]] = defaultdict(list)
    for i in range(0, len(ids), 500):
        stmt = (
            select(
                _inst.c.facility_id,
                _inst.c.no,
                _inst.c.due_date,
                _inst.c.principal_fen,
                _inst.c.interest_fen,
            )
            .where(_inst.c.facility_id.in_(ids[i : i + 500]), _inst.c.active)
            .order_by(_inst.c.facility_id, _inst.c.no)
        )
        for fid, *due in conn.execute(stmt):
            out[fid].append(tuple(due))
    return out


def bank_file_day(day: date) -> date:
    """The bank reports a week's repayments on Friday (on the month end, if sooner)."""
    friday = day + timedelta(days=(4 - day.weekday()) % 7)
    return min(friday, day + relativedelta(day=31))


def habit(draw: float) -> str:
    for name, share in HABITS:
        if draw < share:
            return name
        draw -= share
    return HABITS[-1][0]


def plan_payments(demo: Run, fac: dict, plan: list[Due]) -> None:
    """Queue the borrower's repayments (as the bank will report them) by habit."""
    rng = demo.streams["habits"]
    kind = habit(rng.random())
    demo.counts[f"habit:{kind}"] += 1
    n = len(plan)
    turn = rng.randint(3, max(3, n - 3))
    fid = fac["id"]

    def pay(no: int, day: date, amount: int, tag: str = "") -> None:
        ref = f"R{fid}-{no:02d}{tag}"
        item = repayments.RepaymentIn(fid, amount, day, ref, prepay=tag == "P")
        demo.timeline.at(bank_file_day(day), "repayment", item)

    gap, missed = rng.choice((1, 2)), 0
    for no, due, principal, interest in plan:
        owed = principal + interest
        if kind == "stop" and no >= turn:
            return
        if kind == "prepay" and no == turn:
            pay(no, due, owed + sum(p for _, _, p, _ in plan[no:]), "P")
            return
        if kind == "catch_up" and turn <= no < turn + gap:
            missed += owed
            continue
        if missed:
            pay(no, due + timedelta(days=rng.randint(0, 3)), owed + missed, "C")
            missed = 0
            continue
        late = kind == "late" and rng.random() < 0.35
        pay(no, due + timedelta(days=rng.randint(3, 40) if late else 0), owed)


def handlers(demo: Run, bar: Any) -> dict[str, Any]:
    return {
        "repayment": lambda day, batch: _repay(demo, batch),
        "close": lambda day, _batch: _close(demo, day, bar),
        "claim": lambda day, batch: _claim(demo, day, batch),
        "recovery": lambda day, batch: _recover(demo, day, batch),
        "write_off": lambda day, batch: _write_off(demo, day, batch),
    }


def _repay(demo: Run, batch: list[repayments.RepaymentIn]) -> None:
    with demo.uow() as uow:
        report = repayments.repay_many(uow.conn, demo.cashier, batch)
        uow.commit()
    demo.counts["repayments"] += len(report.applied)
    demo.counts["repaid_fen"] += sum(i.amount_fen for i, _, _ in report.applied)
    demo.result.surprises += [f"repay {i.ref}: {e}" for i, e in report.problems]


def _close(demo: Run, day: date, bar: Any) -> None:
    with demo.uow() as uow:
        closes = dayclose.close_through(uow.conn, demo.cashier, day)
        defaulted = uow.conn.execute(
            select(_fac.c.id, _fac.c.instrument).where(_fac.c.status == "defaulted")
        ).all()
        uow.commit()
    demo.counts["day_closes"] += len(closes)
    for fid, instrument in defaulted:
        if fid in demo.defaulted:
            continue
        demo.defaulted.add(fid)
        demo.counts[f"defaulted:{instrument}"] += 1
        if instrument == "guarantee":
            demo.timeline.at(day + timedelta(days=10), "claim", fid)
        else:
            demo.timeline.at(day + timedelta(days=120), "write_off", (fid, "loan"))
    bar(1)


def _claim(demo: Run, day: date, batch: list[int]) -> None:
    rng = demo.streams["recoveries"]
    with demo.uow() as uow:
        for fid in batch:
            fac = uow.conn.execute(select(_fac).where(_fac.c.id == fid)).mappings().one()
            covered = share_fen(fac["outstanding_fen"], fac["coverage_bp"])
            out = claims.pay_claim(uow.conn, demo.cashier, fid, covered, day)
            demo.counts["claims"] += 1
            demo.counts["claimed_fen"] += out.amount_fen
            if out.county_share_fen:
                county = (fid, out.county_share_fen, "county")
                demo.timeline.at(day + timedelta(days=rng.randint(30, 60)), "recovery", county)
            borrower = out.amount_fen - out.county_share_fen
            if borrower and rng.random() < 0.4:
                part = borrower * rng.randint(20, 60) // 100
                when = day + timedelta(days=rng.randint(60, 150))
                demo.timeline.at(when, "recovery", (fid, part, "borrower"))
            demo.timeline.at(day + timedelta(days=240), "write_off", (fid, "guarantee"))
        uow.commit()


def _recover(demo: Run, day: date, batch: list[tuple[int, int, str]]) -> None:
    with demo.uow() as uow:
        for fid, amount, source in batch:
            ref = f"REC-{fid}-{source}"
            claims.record_recovery(uow.conn, demo.cashier, fid, amount, day, ref, source)
            demo.counts[f"recoveries:{source}"] += 1
            demo.counts["recovered_fen"] += amount
        uow.commit()


def _write_off(demo: Run, day: date, batch: list[tuple[int, str]]) -> None:
    with demo.uow() as uow:
        for fid, instrument in batch:
            fac = uow.conn.execute(select(_fac).where(_fac.c.id == fid)).mappings().one()
            if fac["status"] not in ("claimed", "defaulted") or (
                fac["status"] == "claimed" and claims.receivables(dict(fac))[0] == 0
            ):
                continue  # caught up, or recovered from the borrower in full, meanwhile
            amount, _ = claims.write_off(
                uow.conn, demo.cashier, fid, day, WRITE_OFF_REASON[instrument]
            )
            demo.counts["write_offs"] += 1
            demo.counts["written_off_fen"] += amount
        uow.commit()
