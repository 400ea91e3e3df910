"""The month-end review of the loan-loss allowance (坏账准备) on interest-free loans.

Run by the day close at every month end it passes (a catch-up over months reviews each
month end as it stood): the loans serviced that day are aged into the buckets of
``domain.allowance`` from the same as-of figures the statements read (so the buckets
agree with the portfolio's overdue columns), and the allowance (1231) is brought to
the target the policy's rates give, as one entry (``postings.allowance``).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Connection, and_, case, func, select

from fundcore.domain import chart
from fundcore.domain.allowance import BUCKET_LIMITS, target_fen
from fundcore.domain.policy import Policy, allowance_rates
from fundcore.domain.postings.allowance import AllowanceReview, allowance_adjustment
from fundcore.domain.terms import SERVICED, Instrument
from fundcore.store import as_of, journal


def buckets_on(conn: Connection, day: date, default_after_days: int) -> tuple[int, ...]:
    """Loans receivable at the end of ``day`` in each ageing bucket, in fen."""
    t = as_of.facilities_on(conn, day, default_after_days)
    loans = and_(t.c.instrument == Instrument.LOAN, t.c.status.in_(SERVICED))
    dpd = t.c.days_past_due
    lows = (0, *(limit + 1 for limit in BUCKET_LIMITS))
    highs = (*BUCKET_LIMITS, None)
    sums = []
    for low, high in zip(lows, highs, strict=True):
        cond = and_(loans, dpd >= low) if high is None else and_(loans, dpd >= low, dpd <= high)
        sums.append(func.coalesce(func.sum(case((cond, t.c.outstanding_fen), else_=0)), 0))
    row = conn.execute(select(*sums)).one()
    return tuple(int(v) for v in row)


def review(conn: Connection, operator: str, day: date, policy: Policy) -> int:
    """Bring the allowance to its target on ``day``; what it holds after."""
    buckets = buckets_on(conn, day, policy.default_after_days)
    held = next(
        r.balance_fen for r in journal.balances(conn, day) if r.code == chart.LOAN_LOSS_ALLOWANCE
    )
    target = target_fen(buckets, allowance_rates(policy))
    entry = allowance_adjustment(AllowanceReview(day, operator, buckets, target, held))
    if entry is not None:
        journal.post(conn, entry)
    return target
