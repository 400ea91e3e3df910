"""A county's month-by-month figures, from its facilities, repayments and recoveries.

The fund's monthly chart reads the bank account's kept totals by kind
(``statements.financial.months``), but the ledger keeps no totals by county. A county's
chart therefore shows principal: facilities paid out or issued (for a guarantee, the
bank loan's principal) and principal collected (repayments, including those a bank
reports on a guaranteed loan, and recoveries). Each series is one GROUP BY business
date over one county's rows, folded into months.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Connection, func, select

from fundcore.domain.terms import FacilityEventKind
from fundcore.statements.financial import month_keys
from fundcore.statements.model import MonthPoint
from fundcore.store.models import Facility, FacilityEvent, Recovery, Repayment, RepaymentUndo
from fundcore.store.tables import table_of

_fac = table_of(Facility)
_rep = table_of(Repayment)
_rec = table_of(Recovery)
_ev = table_of(FacilityEvent)
_undo = table_of(RepaymentUndo)


def county_months(
    conn: Connection, county_code: str, period_from: date, period_to: date
) -> tuple[MonthPoint, ...]:
    """Principal paid out and principal collected in the county, month by month."""
    out = {key: [0, 0] for key in month_keys(period_from, period_to)}
    paid_out = (
        select(_fac.c.disbursed_on, func.sum(_fac.c.principal_fen))
        .where(
            _fac.c.county_code == county_code,
            _fac.c.disbursed_on >= period_from,
            _fac.c.disbursed_on <= period_to,
        )
        .group_by(_fac.c.disbursed_on)
    )
    for day, amount in conn.execute(paid_out):
        out[f"{day:%Y-%m}"][0] += int(amount)
    for day, amount in _cancelled_payouts(conn, county_code):
        if period_from <= day <= period_to:
            out[f"{day:%Y-%m}"][0] += amount
    # a repayment undone is taken back (negative) in the month of its undo
    collections = (
        (_rep, _rep.c.principal_fen),
        (_rec, _rec.c.amount_fen),
        (_undo, -_undo.c.principal_fen),
    )
    for table, column in collections:
        collected = (
            select(table.c.business_date, func.sum(column))
            .select_from(table.join(_fac, _fac.c.id == table.c.facility_id))
            .where(
                _fac.c.county_code == county_code,
                table.c.business_date >= period_from,
                table.c.business_date <= period_to,
            )
            .group_by(table.c.business_date)
        )
        for day, amount in conn.execute(collected):
            out[f"{day:%Y-%m}"][1] += int(amount)
    return tuple(MonthPoint(key, paid, got) for key, (paid, got) in out.items())


def _cancelled_payouts(conn: Connection, county_code: str) -> list[tuple[date, int]]:
    """A pay-out cancelled stays paid out in its own month (a closed month never changes)
    and is taken back in the month of its cancel: (day, principal) for both."""
    ev = _ev.c
    rows = conn.execute(
        select(ev.paid_out_on, ev.business_date, _fac.c.principal_fen)
        .select_from(_ev.join(_fac, _fac.c.id == ev.facility_id))
        .where(_fac.c.county_code == county_code, ev.kind == FacilityEventKind.PAYOUT_CANCEL)
    )
    out: list[tuple[date, int]] = []
    for paid_on, cancelled_on, principal in rows:
        out += [(paid_on, int(principal)), (cancelled_on, -int(principal))]
    return out
