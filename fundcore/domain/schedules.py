"""Repayment schedules: pure functions from principal, term and start date to instalments.

Due dates step by calendar months from the start date, each computed from the start
(not from the previous due date) with python-dateutil, so 31 January gives 28 or 29
February and then 31 March again: a month without the due day ends on its last day
(民法典 Art. 202-203). When policy asks for it, a ``WorkCalendar`` moves a due date that
is not a working day to the next working day; the unshifted date (the anchor) still
drives the following ones, so one holiday never drags the rest of the schedule.

Amounts are int fen throughout; rates are exact ``Fraction``s built from basis points, and
every rounding is half-up to the fen (四舍五入, as Chinese bank calculators show it), in
one helper. Instalments always sum exactly to the principal: where principal does not
divide evenly the remainder fen go on the last instalment, so no instalment but the last
is ever more than the others and the last is never short (at most ``count - 1`` fen
more). Interest is per period (a month of the balance), not per day, so moving a due
date to the next working day never changes an amount.

Restructuring never edits a schedule: it is a new schedule version over the principal
still owed, from the restructuring date, optionally with pause months first
(``reschedule``). Instalments of a new version are numbered from 1 again.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from fractions import Fraction
from typing import Literal

from dateutil.relativedelta import relativedelta

from fundcore.domain.money import BP, round_half_up
from fundcore.domain.workdays import WorkCalendar

Frequency = Literal["monthly", "quarterly", "bullet"]
Method = Literal["annuity", "equal_principal"]

_STEP_MONTHS: dict[str, int] = {"monthly": 1, "quarterly": 3}


#: the policy's words for each, as the builders' literal types
_FREQUENCIES: dict[str, Frequency] = {
    "monthly": "monthly",
    "quarterly": "quarterly",
    "bullet": "bullet",
}
_METHODS: dict[str, Method] = {"annuity": "annuity", "equal_principal": "equal_principal"}


def as_frequency(text: str) -> Frequency:
    """A policy's repayment frequency as the builders take it; ``ValueError`` if unknown."""
    if text not in _FREQUENCIES:
        raise ValueError(f"unknown frequency: {text!r}")
    return _FREQUENCIES[text]


def as_method(text: str) -> Method:
    """A policy's bank repayment method as the builders take it; ``ValueError`` if unknown."""
    if text not in _METHODS:
        raise ValueError(f"unknown method: {text!r}")
    return _METHODS[text]


@dataclass(frozen=True, slots=True)
class Instalment:
    no: int
    due_date: date
    principal_fen: int
    interest_fen: int = 0
    subsidy_fen: int = 0


# --- due dates -------------------------------------------------------------------------


def monthly_due_dates(start: date, count: int, first_after_months: int = 1) -> list[date]:
    """``count`` dates one calendar month apart, the first ``first_after_months`` after start."""
    return [start + relativedelta(months=first_after_months + i) for i in range(count)]


def due_dates(
    start: date, months: Sequence[int], calendar: WorkCalendar | None = None
) -> list[date]:
    """The due dates ``months[i]`` calendar months after ``start``, shifted if a calendar is given.

    Each date is computed from ``start`` so month ends are kept (31 Jan, 28/29 Feb,
    31 Mar). With ``calendar``, a date that is not a working day moves to the next working
    day. Strict increase is guaranteed, not hoped for: anchors are at least 28 days apart
    and ``WorkCalendar.next_workday`` refuses runs of more than ``MAX_RUN_OFF`` (21) days
    off, so a shifted date stays before the next anchor; the check below only guards that
    reasoning.
    """
    if isinstance(start, datetime) or not isinstance(start, date):
        raise TypeError(f"start must be a datetime.date, got {type(start).__name__}")
    if any(m <= 0 for m in months) or any(b <= a for a, b in zip(months, months[1:], strict=False)):
        raise ValueError(f"month offsets must be positive and increasing: {list(months)}")
    anchors = [start + relativedelta(months=m) for m in months]
    if calendar is None:
        return anchors
    shifted = [calendar.next_workday(anchor) for anchor in anchors]
    for earlier, later in zip(shifted, shifted[1:], strict=False):
        if later <= earlier:
            raise ValueError(f"shifted due dates collide: {earlier} and {later}")
    return shifted


# --- interest-free loans ---------------------------------------------------------------


def loan_schedule(
    principal_fen: int,
    term_months: int,
    start: date,
    *,
    frequency: Frequency = "monthly",
    grace_months: int = 0,
    calendar: WorkCalendar | None = None,
) -> list[Instalment]:
    """An interest-free loan repaid in equal principal instalments.

    ``term_months`` is the whole term, grace included: no principal is due in the first
    ``grace_months``, then equal instalments every month or every three months end at the
    maturity ``start + term_months``; a bullet loan repays everything at maturity (grace
    changes nothing for it). Quarterly needs ``term_months - grace_months`` divisible by
    3 so the last quarter ends at maturity; anything else is refused with ``ValueError``
    (a policy check should have refused the application earlier).
    """
    _require_positive(principal_fen=principal_fen, term_months=term_months)
    _require_int(grace_months=grace_months)
    if not 0 <= grace_months < term_months:
        raise ValueError(f"grace must be 0 to term-1 months, got {grace_months} of {term_months}")
    if frequency == "bullet":
        offsets = [term_months]
    elif frequency in _STEP_MONTHS:
        step, span = _STEP_MONTHS[frequency], term_months - grace_months
        if span % step:
            raise ValueError(
                f"{frequency} repayment needs term minus grace divisible by {step}, got {span}"
            )
        offsets = list(range(grace_months + step, term_months + 1, step))
    else:
        raise ValueError(f"unknown frequency: {frequency!r}")
    dates = due_dates(start, offsets, calendar)
    parts = _equal_parts(principal_fen, len(offsets))
    return [Instalment(i + 1, d, p) for i, (d, p) in enumerate(zip(dates, parts, strict=True))]


def equal_principal(principal_fen: int, term_months: int, start: date) -> list[Instalment]:
    """Equal monthly principal; the last instalment carries the remainder fen."""
    return loan_schedule(principal_fen, term_months, start)


# --- bank loans behind guarantees ------------------------------------------------------


def bank_loan_schedule(
    principal_fen: int,
    annual_rate_bp: int,
    term_months: int,
    start: date,
    *,
    method: Method = "annuity",
    subsidy_bp: int = 0,
    grace_months: int = 0,
    calendar: WorkCalendar | None = None,
) -> list[Instalment]:
    """A guaranteed bank loan repaid monthly: 等额本息 (annuity) or 等额本金 (equal principal).

    ``annual_rate_bp`` is in hundredths of a percent (4.75% a year = 475); the monthly
    rate is exactly a twelfth of it. Each month's interest is the balance times the
    monthly rate, rounded half-up to the fen.

    Annuity: the payment P·r(1+r)^n/((1+r)^n-1) is rounded half-up to the fen, as bank
    calculators show it; each month the principal part is payment minus interest, and
    the last month takes all the principal left, so its payment may differ from the
    others by the rounding carried through the term (a few fen at usual rates; more at
    very high rates over decades). A principal part never exceeds the balance: should the
    carried rounding pay a tiny loan off early (12.74 yuan at 24% over 30 years), the
    months after it are zero rather than the last one negative. At 0% a
    year the payment formula divides by zero, and the annuity is then simply equal
    principal with no interest, which is what is built.

    Equal principal: principal as in ``loan_schedule`` (remainder on the last month),
    interest on the balance before each payment.

    ``subsidy_bp`` (贴息) is the share of each month's interest a government fund pays,
    in basis points (50% = 5000), rounded half-up per instalment. ``grace_months`` are
    interest-only months at the start (the term includes them): the grace period fixed
    on the facility at approval (policy ``bank_grace_months``), or a restructuring's
    pause (``reschedule``). The remaining ``term_months - grace_months`` months amortise
    by ``method`` over the whole principal, so instalments still sum to it.
    """
    _check_bank_terms(principal_fen, annual_rate_bp, term_months, method, subsidy_bp, grace_months)
    rate = monthly_rate(annual_rate_bp)
    periods = term_months - grace_months
    if method == "annuity" and rate:
        principal_parts = _annuity_principal(principal_fen, rate, periods)
    else:
        principal_parts = _equal_parts(principal_fen, periods)
    dates = due_dates(start, range(1, term_months + 1), calendar)
    parts = [0] * grace_months + principal_parts
    return _with_interest(principal_fen, rate, subsidy_bp, dates, parts)


def _with_interest(
    principal_fen: int, rate: Fraction, subsidy_bp: int, dates: list[date], parts: list[int]
) -> list[Instalment]:
    """Instalments of ``parts``, each with a month's interest on the balance before it
    (half-up to the fen) and the subsidised share of that interest."""
    instalments: list[Instalment] = []
    balance = principal_fen
    for no, (due, part) in enumerate(zip(dates, parts, strict=True)):
        interest = round_half_up(balance * rate)
        subsidy = round_half_up(Fraction(interest * subsidy_bp, BP))
        instalments.append(Instalment(no + 1, due, part, interest, subsidy))
        balance -= part
    return instalments


def _check_bank_terms(
    principal_fen: int,
    annual_rate_bp: int,
    term_months: int,
    method: str,
    subsidy_bp: int,
    grace_months: int,
) -> None:
    """Refuse terms no bank loan has (``ValueError``): a policy check comes first."""
    _require_positive(principal_fen=principal_fen, term_months=term_months)
    _require_int(annual_rate_bp=annual_rate_bp, subsidy_bp=subsidy_bp, grace_months=grace_months)
    if annual_rate_bp < 0:
        raise ValueError(f"rate must not be negative, got {annual_rate_bp} bp")
    if not 0 <= subsidy_bp <= BP:
        raise ValueError(f"subsidy must be 0 to {BP} bp of the interest, got {subsidy_bp}")
    if not 0 <= grace_months < term_months:
        raise ValueError(f"grace must be 0 to term-1 months, got {grace_months} of {term_months}")
    as_method(method)


def monthly_rate(annual_rate_bp: int) -> Fraction:
    """The exact monthly rate: a twelfth of the annual rate given in basis points."""
    return Fraction(annual_rate_bp, 12 * BP)


def annuity_payment(principal_fen: int, rate: Fraction, periods: int) -> int:
    """The 等额本息 monthly payment in fen, rounded half-up; ``rate`` must be positive."""
    growth = (1 + rate) ** periods
    return round_half_up(principal_fen * rate * growth / (growth - 1))


def _annuity_principal(principal_fen: int, rate: Fraction, periods: int) -> list[int]:
    """Principal parts of an annuity: payment minus that month's interest, rest at the end.

    Interest is recomputed here from the same balances ``bank_loan_schedule`` walks, so
    the caller's interest and these parts add up to the payment in every month but the
    last.
    """
    payment = annuity_payment(principal_fen, rate, periods)
    parts: list[int] = []
    balance = principal_fen
    for _ in range(periods - 1):
        part = min(payment - round_half_up(balance * rate), balance)
        parts.append(part)
        balance -= part
    return [*parts, balance]


# --- restructuring and reading a schedule ----------------------------------------------


def reschedule(
    remaining_principal_fen: int,
    from_date: date,
    term_months: int,
    *,
    pause_months: int = 0,
    annual_rate_bp: int | None = None,
    frequency: Frequency = "monthly",
    method: Method = "annuity",
    subsidy_bp: int = 0,
    calendar: WorkCalendar | None = None,
) -> list[Instalment]:
    """A new schedule version over the principal still owed after a restructuring.

    Restructuring does not edit the old schedule: the caller closes it and records this
    one, built from ``from_date`` over ``remaining_principal_fen`` (the principal actually
    unpaid, from the ledger, not ``outstanding_on`` the old plan). ``pause_months`` come
    first with no principal due, then ``term_months`` of repayment, so the new maturity is
    ``from_date + pause_months + term_months``. Without ``annual_rate_bp`` it is an
    interest-free loan (``loan_schedule`` with the pause as grace); with it a bank loan
    (``bank_loan_schedule``, monthly only, interest still due during the pause; 0% works).
    """
    _require_int(pause_months=pause_months, term_months=term_months)
    if pause_months < 0:
        raise ValueError(f"pause must not be negative, got {pause_months}")
    _require_positive(term_months=term_months)
    if annual_rate_bp is None:
        return _reschedule_loan(
            remaining_principal_fen, from_date, term_months, pause_months, frequency, calendar
        )
    if frequency != "monthly":
        raise ValueError(f"bank loans are repaid monthly, got {frequency!r}")
    return bank_loan_schedule(
        remaining_principal_fen,
        annual_rate_bp,
        pause_months + term_months,
        from_date,
        method=method,
        subsidy_bp=subsidy_bp,
        grace_months=pause_months,
        calendar=calendar,
    )


def _reschedule_loan(
    remaining_principal_fen: int,
    from_date: date,
    term_months: int,
    pause_months: int,
    frequency: Frequency,
    calendar: WorkCalendar | None,
) -> list[Instalment]:
    """An interest-free loan's new version: the pause is grace within the whole term."""
    return loan_schedule(
        remaining_principal_fen,
        pause_months + term_months,
        from_date,
        frequency=frequency,
        grace_months=pause_months,
        calendar=calendar,
    )


def interest_only_months(principal_parts: Iterable[int]) -> int:
    """How many instalments at the start ask for no principal (a grace period or a
    restructuring's pause: interest only, or nothing at 0%), given each one's principal."""
    count = 0
    for part in principal_parts:
        if part:
            break
        count += 1
    return count


def outstanding_on(instalments: Iterable[Instalment], day: date) -> int:
    """Scheduled principal still outstanding after every instalment due on or before ``day``.

    This is the plan, not what was paid: arrears are the ledger's to tell.
    """
    return sum(i.principal_fen for i in instalments if i.due_date > day)


# --- arithmetic ------------------------------------------------------------------------


def _equal_parts(total: int, count: int) -> list[int]:
    """``count`` equal integer parts of ``total``; the remainder goes on the last one."""
    base, remainder = divmod(total, count)
    return [base] * (count - 1) + [base + remainder]


def _require_int(**values: object) -> None:
    """Refuse floats (and bools) where whole numbers are expected: a programming error."""
    for name, value in values.items():
        if not isinstance(value, int) or isinstance(value, bool):
            raise TypeError(f"{name} must be an int, got {type(value).__name__}")


def _require_positive(**values: int) -> None:
    _require_int(**values)
    for name, value in values.items():
        if value <= 0:
            raise ValueError(f"{name} must be positive, got {value}")
