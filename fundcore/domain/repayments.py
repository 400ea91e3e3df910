"""Repayments as values, and how a payment is applied to what is due.

``RepaymentIn`` is what a borrower (or a bank file's row) says was paid; ``allocate``
applies it to a facility's unpaid instalments, oldest due first, then the rest either
ahead (the next instalments, in order) or, as an explicit prepayment, to the last
instalments, without touching the instalments it was given.

Invariant: a payment that is not a prepayment pays instalments strictly in order (no
instalment is paid while an earlier one still owes), so an instalment paid ahead in
full is never overdue, and what a borrower pays early counts first for what falls due
next.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date

from fundcore.domain.errors import FundError


@dataclass(frozen=True, slots=True)
class RepaymentIn:
    """One repayment: the facility, the amount in fen, the business date and the bank's
    reference that makes it idempotent; ``line`` is the file's line, when it came in one;
    ``prepay`` when the borrower asked that what is beyond the amount due shorten the
    term (``fund repay --prepay``)."""

    facility_id: int
    amount_fen: int
    business_date: date
    ref: str
    line: int | None = None
    prepay: bool = False


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


#: ``prepayment_order`` values: beyond what is due, pay ahead in order, or shorten the term
AHEAD, SHORTEN = "next", "last"


def allocate(plan: Sequence[Due], amount_fen: int, on: date, order: str) -> Allocation:
    """Apply ``amount_fen`` paid ``on`` a date to ``plan`` (instalments in order).

    What is due by then is paid oldest first, each instalment's interest before its
    principal. The rest, with ``order`` ``"next"`` (``AHEAD``), pays the next
    instalments in order as they are scheduled (interest, then principal): paid ahead.
    With ``"last"`` (``SHORTEN``: an explicit prepayment, or the policy's
    ``prepayment_order`` chosen so) it prepays principal of the last instalments first,
    shortening the term. More than is owed is refused (``repay.more_than_owed``).
    """
    after = list(plan)
    due_now = [k for k, d in enumerate(after) if d.due_date <= on]
    future = [k for k, d in enumerate(after) if d.due_date > on]
    left, principal, interest = _pay_in_full(after, due_now, amount_fen)
    if order == SHORTEN:
        for k in reversed(future):
            d = after[k]
            pay_p = min(left, d.principal_fen - d.paid_principal_fen)
            after[k] = d.paying(pay_p)
            left -= pay_p
            principal += pay_p
    else:
        left, ahead_p, ahead_i = _pay_in_full(after, future, left)
        principal, interest = principal + ahead_p, interest + ahead_i
    if left:
        raise FundError("repay.more_than_owed", amount=amount_fen, owed=amount_fen - left)
    return Allocation(principal, interest, tuple(after))


def _pay_in_full(after: list[Due], ks: Sequence[int], amount_fen: int) -> tuple[int, int, int]:
    """Pay the instalments ``ks`` of ``after`` in order, each interest then principal, in
    place; (what is left, principal paid, interest paid)."""
    left = amount_fen
    principal = interest = 0
    for k in ks:
        d = after[k]
        pay_i = min(left, d.interest_fen - d.paid_interest_fen)
        pay_p = min(left - pay_i, d.principal_fen - d.paid_principal_fen)
        after[k] = d.paying(pay_p, pay_i)
        left -= pay_i + pay_p
        principal, interest = principal + pay_p, interest + pay_i
    return left, principal, interest


def paid_of(before: Sequence[Due], after: Sequence[Due]) -> list[tuple[Due, int, int]]:
    """What an allocation paid of each instalment it touched: (the instalment as it was,
    principal, interest). Kept as dated facts, so that what was paid by any day is known."""
    return [
        (b, a.paid_principal_fen - b.paid_principal_fen, a.paid_interest_fen - b.paid_interest_fen)
        for b, a in zip(before, after, strict=True)
        if a != b
    ]
