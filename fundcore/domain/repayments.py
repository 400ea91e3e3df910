"""Repayments as values: what a borrower (or a bank file's row) says was paid."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True, slots=True)
class RepaymentIn:
    """One repayment: the facility, the amount in fen, the business date and the bank's
    reference that makes it idempotent; ``line`` is the file's line, when it came in one."""

    facility_id: int
    amount_fen: int
    business_date: date
    ref: str
    line: int | None = None
