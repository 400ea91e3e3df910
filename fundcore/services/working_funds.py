"""County working funds (县级团委青年创业工作经费): 10,000 yuan a year to every county
league in the register, for the programme's years [000 三(一)1]. Paying a year twice
pays nothing more: each (county, year) is paid once, enforced by its primary key.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Connection, and_, func, insert, select

from fundcore.domain import chart
from fundcore.domain.errors import RuleBroken
from fundcore.domain.ledger import EntryDraft, credit, debit
from fundcore.services import capacity
from fundcore.services.operators import authorise
from fundcore.services.policy import in_force
from fundcore.store import audit, journal
from fundcore.store.models import County, WorkingFundPayment

_pay = WorkingFundPayment.__table__
_counties = County.__table__


@dataclass(frozen=True, slots=True)
class WorkingFundsOut:
    year: int
    paid: int
    already: int
    total_fen: int


def pay(conn: Connection, operator: str | None, year: int, on: date) -> WorkingFundsOut:
    actor = authorise(conn, operator, "working_funds.pay")
    policy = in_force(conn, on).policy
    if year not in policy.working_fund_years:
        raise RuleBroken(
            "working_funds.year", year=year, years=", ".join(map(str, policy.working_fund_years))
        )
    capacity.lock_fund(conn)
    unpaid = list(
        conn.scalars(
            select(_counties.c.code)
            .select_from(
                _counties.outerjoin(
                    _pay, and_(_pay.c.county_code == _counties.c.code, _pay.c.year == year)
                )
            )
            .where(_pay.c.county_code.is_(None))
            .order_by(_counties.c.code)
        )
    )
    already = int(
        conn.scalar(select(func.count()).select_from(_pay).where(_pay.c.year == year)) or 0
    )
    amount = policy.working_fund_per_county_fen
    total = amount * len(unpaid)
    if unpaid:
        capacity.check_room(conn, policy, total, 0, "")
        journal.post_many(
            conn,
            [
                EntryDraft(
                    on,
                    "working_funds",
                    actor.name,
                    (debit(chart.PROGRAMME_WORKING_FUNDS, amount), credit(chart.BANK, amount)),
                    object_type="working_fund",
                    object_id=f"{code}/{year}",
                )
                for code in unpaid
            ],
        )
        conn.execute(
            insert(_pay),
            [
                {
                    "county_code": c,
                    "year": year,
                    "amount_fen": amount,
                    "business_date": on,
                    "operator": actor.name,
                }
                for c in unpaid
            ],
        )
        audit.record(
            conn,
            actor.name,
            "working_funds.pay",
            object_type="working_funds",
            object_id=year,
            business_date=on,
            paid=len(unpaid),
            total_fen=total,
        )

    return WorkingFundsOut(year, len(unpaid), already, total)
