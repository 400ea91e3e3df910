"""The loan-loss allowance (坏账准备) on interest-free loans receivable, by ageing.

At each month-end close the loans receivable (1211: what the borrowers still owe, the
county's called share excluded — that is the county's debt, on 1213) are aged into
buckets by days past due, and each bucket is allowed for at its policy rate (policy
data: ``loan_allowance_*_bp``). The allowance is then brought to that target, up or
down, against 管理费用 (the standard's place for bad debts); a write-off draws on it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from fundcore.domain.money import share_fen

#: the upper bound (days past due, inclusive) of each bucket but the last, which is open
BUCKET_LIMITS: tuple[int, ...] = (0, 30, 90, 180)


def bucket_of(days_past_due: int) -> int:
    """The bucket (0 = current … 4 = over 180 days) a loan of that many days falls in."""
    for k, limit in enumerate(BUCKET_LIMITS):
        if days_past_due <= limit:
            return k
    return len(BUCKET_LIMITS)


def by_bucket(loans: Iterable[tuple[int, int]]) -> tuple[int, ...]:
    """The receivable (fen) in each bucket, from each loan's (days past due, receivable)."""
    sums = [0] * (len(BUCKET_LIMITS) + 1)
    for dpd, fen in loans:
        sums[bucket_of(dpd)] += fen
    return tuple(sums)


def target_fen(buckets: Sequence[int], rates_bp: Sequence[int]) -> int:
    """The allowance the buckets call for: each bucket's rate of it, half-up to the fen."""
    if len(buckets) != len(rates_bp):
        raise ValueError(f"{len(buckets)} buckets but {len(rates_bp)} rates")
    return sum(share_fen(fen, bp) for fen, bp in zip(buckets, rates_bp, strict=True))
