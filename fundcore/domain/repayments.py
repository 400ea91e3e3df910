"""Repayments as values, and how a payment is applied to what is due.

``RepaymentIn`` is what a borrower (or a bank file's row) says was paid; ``allocate``
applies it to a facility's unpaid instalments, oldest due first, the rest as a
prepayment, without touching the instalments it was given.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date

from fundcore.domain.errors import FundError


@dataclass(frozen=True, slots=True)
class RepaymentIn:
    """One repayment: the facility, the amount in fen, the business date and the bank's
    reference that makes it idempotent; ``line`` is the file's line, when it came in one."""

    facility_id: int
    amount_fen: int
    business_date: date
    ref: str
    line: int | None = None


@dataclass(frozen=True, slots=True)
class Due:
    """One instalment not yet fully paid: what it asks for and what has been paid of it."""

    no: int
    due_date: date
    principal_fen: int
    interest_fen: int
    paid_principal_fen: int
    paid_interest_fen: int

    @property
    def owed_fen(self) -> int:
        return (
            self.principal_fen
            - self.paid_principal_fen
            + self.interest_fen
            - self.paid_interest_fen
        )

    def paying(self, principal_fen: int, interest_fen: int = 0) -> Due:
        """This instalment with a further payment applied."""
        return replace(
            self,
            paid_principal_fen=self.paid_principal_fen + principal_fen,
            paid_interest_fen=self.paid_interest_fen + interest_fen,
        )


@dataclass(frozen=True, slots=True)
class Allocation:
    """A repayment applied to a plan: the principal and interest it paid, the plan after."""

    principal_fen: int
    interest_fen: int
    plan: tuple[Due, ...]


def allocate(plan: Sequence[Due], amount_fen: int, on: date, order: str) -> Allocation:
    """Apply ``amount_fen`` paid ``on`` a date to ``plan`` (instalments in order).

    What is due by then is paid oldest first, each instalment's interest before its
    principal; the rest prepays principal of the instalments not yet due, the last ones
    first when ``order`` is ``"last"`` (policy ``prepayment_order``), else the next ones.
    More than is owed is refused (``repay.more_than_owed``).
    """
    left = amount_fen
    after = list(plan)
    due_now = [k for k, d in enumerate(after) if d.due_date <= on]
    future = [k for k, d in enumerate(after) if d.due_date > on]
    principal = interest = 0
    for k in due_now:
        d = after[k]
        pay_i = min(left, d.interest_fen - d.paid_interest_fen)
        pay_p = min(left - pay_i, d.principal_fen - d.paid_principal_fen)
        after[k] = d.paying(pay_p, pay_i)
        left -= pay_i + pay_p
        principal, interest = principal + pay_p, interest + pay_i
    for k in reversed(future) if order == "last" else future:
        d = after[k]
        pay_p = min(left, d.principal_fen - d.paid_principal_fen)
        after[k] = d.paying(pay_p)
        left -= pay_p
        principal += pay_p
    if left:
        raise FundError("repay.more_than_owed", amount=amount_fen, owed=amount_fen - left)
    return Allocation(principal, interest, tuple(after))


def paid_of(before: Sequence[Due], after: Sequence[Due]) -> list[tuple[Due, int, int]]:
    """What an allocation paid of each instalment it touched: (the instalment as it was,
    principal, interest). Kept as dated facts, so that what was paid by any day is known."""
    return [
        (b, a.paid_principal_fen - b.paid_principal_fen, a.paid_interest_fen - b.paid_interest_fen)
        for b, a in zip(before, after, strict=True)
        if a != b
    ]
