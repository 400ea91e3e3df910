"""Repayment schedules: pure functions from principal, term and start date to instalments.

Due dates step by calendar months from the start date, each computed from the start
(not from the previous due date) with python-dateutil, so 31 January gives 28 or 29
February and then 31 March again. Instalments always sum exactly to the principal:
the remainder fen of an uneven division goes on the last instalment.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from dateutil.relativedelta import relativedelta


@dataclass(frozen=True, slots=True)
class Instalment:
    no: int
    due_date: date
    principal_fen: int
    interest_fen: int = 0
    subsidy_fen: int = 0


def monthly_due_dates(start: date, count: int, first_after_months: int = 1) -> list[date]:
    """``count`` dates one calendar month apart, the first ``first_after_months`` after start."""
    return [start + relativedelta(months=first_after_months + i) for i in range(count)]


def equal_principal(principal_fen: int, term_months: int, start: date) -> list[Instalment]:
    """Equal monthly principal; the last instalment carries the remainder fen."""
    if principal_fen <= 0 or term_months <= 0:
        raise ValueError("principal and term must be positive")
    base, remainder = divmod(principal_fen, term_months)
    dates = monthly_due_dates(start, term_months)
    return [
        Instalment(i + 1, d, base + (remainder if i == term_months - 1 else 0))
        for i, d in enumerate(dates)
    ]
