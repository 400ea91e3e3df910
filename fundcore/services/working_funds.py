"""County working funds (县级团委青年创业工作经费): 10,000 yuan a year to every county
league in the register, for the programme's years [000 三(一)1]. Paying a year twice
pays nothing more: each (county, year) is paid once, enforced by its primary key.
A year's funds are dated within that year (``check_dated_in_year``), checked before
anything is read or written.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Connection, and_, func, insert, select

from fundcore.domain.errors import RuleBroken
from fundcore.domain.policy import Policy
from fundcore.domain.postings.working_funds import (
    WorkingFundPayment,
    check_dated_in_year,
    working_funds_entry,
)
from fundcore.services import capacity
from fundcore.services.operators import authorise
from fundcore.services.policy import in_force
from fundcore.store import audit, journal
from fundcore.store.models import County
from fundcore.store.models import WorkingFundPayment as PaymentModel
from fundcore.store.tables import table_of

_pay = table_of(PaymentModel)
_counties = table_of(County)


@dataclass(frozen=True, slots=True)
class WorkingFundsOut:
    year: int
    paid: int
    already: int
    total_fen: int


def pay(conn: Connection, operator: str | None, year: int, on: date) -> WorkingFundsOut:
    """Pay the year's working funds to every county not yet paid for it (finance)."""
    actor = authorise(conn, operator, "working_funds.pay")
    check_dated_in_year(year, on)
    policy = in_force(conn, on).policy
    if year not in policy.working_fund_years:
        raise RuleBroken(
            "working_funds.year", year=year, years=", ".join(map(str, policy.working_fund_years))
        )
    capacity.lock_fund(conn)
    unpaid = _unpaid(conn, year)
    already = int(
        conn.scalar(select(func.count()).select_from(_pay).where(_pay.c.year == year)) or 0
    )
    payments = [WorkingFundPayment(c, year, policy.working_fund_per_county_fen) for c in unpaid]
    total = sum(p.amount_fen for p in payments)
    if payments:
        _write(conn, actor.name, policy, year, payments, on)
    return WorkingFundsOut(year, len(payments), already, total)


def _unpaid(conn: Connection, year: int) -> list[str]:
    """The codes of the counties in the register not yet paid for ``year``, in order."""
    paid = and_(_pay.c.county_code == _counties.c.code, _pay.c.year == year)
    return list(
        conn.scalars(
            select(_counties.c.code)
            .select_from(_counties.outerjoin(_pay, paid))
            .where(_pay.c.county_code.is_(None))
            .order_by(_counties.c.code)
        )
    )


def _write(
    conn: Connection,
    operator: str,
    policy: Policy,
    year: int,
    payments: list[WorkingFundPayment],
    on: date,
) -> None:
    """Check the cash, post an entry per county, store the payments, audit the run."""
    total = sum(p.amount_fen for p in payments)
    capacity.check_room(conn, policy, total, 0, "")
    journal.post_many(conn, [working_funds_entry(p, on, operator) for p in payments])
    conn.execute(
        insert(_pay),
        [
            {
                "county_code": p.county_code,
                "year": p.year,
                "amount_fen": p.amount_fen,
                "business_date": on,
                "operator": operator,
            }
            for p in payments
        ],
    )
    audit.record(
        conn,
        operator,
        "working_funds.pay",
        object_type="working_funds",
        object_id=year,
        business_date=on,
        paid=len(payments),
        total_fen=total,
    )
