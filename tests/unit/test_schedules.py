"""fundcore.domain.schedules: due dates, interest-free loans, bank loans, subsidy, restructuring.

Bank figures are checked three ways: the figure a Chinese bank calculator shows for the
reference loan, an independent Decimal recomputation of every rounding, and
numpy_financial (floats, so a test oracle only) within bounds derived from the rounding.
Holiday shifts are checked against dates worked out by hand from the State Council
notices, not against what ``WorkCalendar`` itself says.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction

import chinese_calendar
import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from fundcore.domain.errors import InputError
from fundcore.domain.schedules import (
    Instalment,
    annuity_payment,
    bank_loan_schedule,
    due_dates,
    equal_principal,
    interest_only_months,
    loan_schedule,
    monthly_rate,
    outstanding_on,
    reschedule,
    round_half_up,
)
from fundcore.domain.workdays import MAX_RUN_OFF, WorkCalendar, parse_holiday_notice

FREQUENCIES = ("monthly", "quarterly", "bullet")
PRINCIPALS = st.integers(min_value=100, max_value=10_000_000)  # 1 yuan to 10万 yuan


def d(text: str) -> date:
    return date.fromisoformat(text)


def dates(schedule: list[Instalment]) -> list[date]:
    return [i.due_date for i in schedule]


def principal(schedule: list[Instalment]) -> int:
    return sum(i.principal_fen for i in schedule)


def all_int(schedule: list[Instalment]) -> bool:
    return all(
        type(value) is int
        for i in schedule
        for value in (i.no, i.principal_fen, i.interest_fen, i.subsidy_fen)
    )


def package_knows(year: int) -> bool:
    try:
        chinese_calendar.is_workday(date(year, 6, 1))
    except NotImplementedError:
        return False
    return True


# --- due dates ---------------------------------------------------------------------------


def test_month_ends_are_kept_from_31_january() -> None:
    assert dates(loan_schedule(1200, 4, d("2019-01-31"))) == [
        d("2019-02-28"),
        d("2019-03-31"),
        d("2019-04-30"),
        d("2019-05-31"),
    ]
    assert dates(loan_schedule(1200, 2, d("2020-01-31")))[0] == d("2020-02-29")


def test_31_january_shifted_with_the_anchor_driving_the_next_date() -> None:
    # 2020-02-29 is a Saturday: paid Monday 2 March, yet March is due 31 March, not 2 April
    schedule = loan_schedule(1200, 3, d("2020-01-31"), calendar=WorkCalendar())
    assert dates(schedule) == [d("2020-03-02"), d("2020-03-31"), d("2020-04-30")]
    schedule = loan_schedule(1200, 12, d("2019-01-31"), calendar=WorkCalendar())
    assert dates(schedule) == [
        d("2019-02-28"),  # Thursday after the Spring Festival block (4-10 February)
        d("2019-04-01"),  # 31 March is a Sunday
        d("2019-04-30"),  # Tuesday; Labour Day 2019 is 1-4 May
        d("2019-05-31"),
        d("2019-07-01"),  # 30 June is a Sunday
        d("2019-07-31"),
        d("2019-09-02"),  # 31 August is a Saturday
        d("2019-09-30"),  # Monday before National Day: a working day
        d("2019-10-31"),
        d("2019-12-02"),  # 30 November is a Saturday
        d("2019-12-31"),  # Tuesday; New Year's Day 2020 is the 1st only
        d("2020-02-03"),  # 31 January 2020: inside the extended Spring Festival
    ]


def test_schedule_from_31_august_2019_across_the_official_holidays() -> None:
    schedule = loan_schedule(1_000_000, 12, d("2019-08-31"), calendar=WorkCalendar())
    assert dates(schedule) == [
        d("2019-09-30"),  # Monday: worked, the holiday starts on 1 October
        d("2019-10-31"),
        d("2019-12-02"),
        d("2019-12-31"),
        d("2020-02-03"),  # Spring Festival 2020 extended to Sunday 2 February
        d("2020-03-02"),
        d("2020-03-31"),
        d("2020-04-30"),  # Thursday before Labour Day 2020 (1-5 May)
        d("2020-06-01"),  # 31 May is a Sunday
        d("2020-06-30"),
        d("2020-07-31"),
        d("2020-08-31"),
    ]


@pytest.mark.parametrize(
    ("start", "first_due"),
    [
        ("2019-08-29", "2019-09-29"),  # a Sunday worked before National Day: not moved
        ("2019-09-01", "2019-10-08"),  # 1 October: after the 1-7 October holiday
        ("2019-09-12", "2019-10-12"),  # a Saturday worked after National Day: not moved
        ("2019-12-24", "2020-02-03"),  # 24 January 2020: eve of the extended Spring Festival
        ("2021-01-07", "2021-02-07"),  # a Sunday worked before Spring Festival 2021
        ("2021-01-11", "2021-02-18"),  # 11 February 2021: Spring Festival eve, off to the 17th
        ("2021-01-20", "2021-02-20"),  # a Saturday worked after Spring Festival 2021
        ("2021-03-25", "2021-04-25"),  # a Sunday worked before Labour Day 2021
        ("2021-04-01", "2021-05-06"),  # 1-5 May 2021 off
        ("2021-04-08", "2021-05-08"),  # a Saturday worked after Labour Day 2021
    ],
)
def test_first_due_date_against_the_2019_to_2021_notices(start: str, first_due: str) -> None:
    schedule = loan_schedule(2_400_000, 24, d(start), calendar=WorkCalendar())
    assert schedule[0].due_date == d(first_due)
    unshifted = loan_schedule(2_400_000, 24, d(start))
    assert schedule[1].due_date >= unshifted[1].due_date  # the anchor, not the shift, drives


def test_2027_falls_back_to_weekends_and_says_so() -> None:
    if package_knows(2027):
        pytest.skip("chinese_calendar now knows 2027")
    calendar = WorkCalendar()
    schedule = loan_schedule(2_400_000, 24, d("2027-01-31"), calendar=calendar)
    assert all(i.due_date.weekday() < 5 for i in schedule)
    assert schedule[0].due_date == d("2027-03-01")  # 28 February 2027 is a Sunday
    assert {2027, 2028, 2029} <= calendar.fallback_years
    october = loan_schedule(2_400_000, 24, d("2027-09-01"), calendar=calendar)
    assert october[0].due_date == d("2027-10-01")  # a Friday: the guess knows no holiday


def test_2027_notice_table_shifts_by_the_notice() -> None:
    notice = (
        "date,kind,name\n"
        "2027-10-01~2027-10-07,holiday,National Day\n"
        "2027-09-26,workday,National Day swap\n"
        "2027-10-09,workday,National Day swap\n"
    )
    table = {day: working for day, working, _ in parse_holiday_notice(notice)}
    calendar = WorkCalendar(table)
    schedule = loan_schedule(2_400_000, 24, d("2027-08-01"), calendar=calendar)
    assert schedule[1].due_date == d("2027-10-08")
    schedule = loan_schedule(2_400_000, 24, d("2027-08-09"), calendar=calendar)
    assert schedule[1].due_date == d("2027-10-09")  # a worked Saturday
    schedule = loan_schedule(2_400_000, 24, d("2027-08-26"), calendar=calendar)
    assert schedule[0].due_date == d("2027-09-26")  # a worked Sunday
    assert 2027 not in calendar.fallback_years


def test_anchors_are_always_at_least_28_days_apart() -> None:
    """The half of the no-collision proof that is about dates: the other half is
    ``MAX_RUN_OFF`` < 28, so a shifted date always stays before the next anchor."""
    assert MAX_RUN_OFF < 28
    start = d("2024-01-01")
    for offset in range(4 * 366):
        anchors = due_dates(start + timedelta(days=offset), range(1, 50))
        assert min((b - a).days for a, b in zip(anchors, anchors[1:], strict=False)) >= 28


@settings(max_examples=200, deadline=None)
@given(
    start=st.dates(min_value=date(2030, 1, 1), max_value=date(2080, 12, 31)),
    blocks=st.lists(
        st.tuples(st.integers(0, 1200), st.integers(1, MAX_RUN_OFF)), min_size=1, max_size=60
    ),
    frequency=st.sampled_from(FREQUENCIES),
)
def test_shifted_dates_never_collide_under_any_table(
    start: date, blocks: list[tuple[int, int]], frequency: str
) -> None:
    table = {start + timedelta(days=at + i): False for at, length in blocks for i in range(length)}
    try:
        schedule = loan_schedule(
            100_000, 36, start, frequency=frequency, calendar=WorkCalendar(table)
        )
    except InputError as refused:  # blocks that touch make a run no notice could
        assert refused.code == "calendar.no_workday"
        return
    days = dates(schedule)
    assert all(a < b for a, b in zip(days, days[1:], strict=False))
    assert not any(table.get(day) is False for day in days)


def test_due_dates_refuse_bad_offsets_and_datetimes() -> None:
    with pytest.raises(ValueError):
        due_dates(d("2024-01-01"), [1, 1])
    with pytest.raises(ValueError):
        due_dates(d("2024-01-01"), [0, 1])
    with pytest.raises(TypeError):
        due_dates(datetime(2024, 1, 1), [1])  # type: ignore[arg-type]


# --- interest-free loans -----------------------------------------------------------------


def test_equal_principal_keeps_its_old_shape() -> None:
    schedule = equal_principal(1_000_000, 3, d("2024-01-31"))
    assert schedule == [
        Instalment(1, d("2024-02-29"), 333_333),
        Instalment(2, d("2024-03-31"), 333_333),
        Instalment(3, d("2024-04-30"), 333_334),
    ]
    with pytest.raises(ValueError):
        equal_principal(0, 3, d("2024-01-31"))
    with pytest.raises(ValueError):
        equal_principal(100, 0, d("2024-01-31"))


def test_frequencies_and_grace() -> None:
    start = d("2024-03-15")
    monthly = loan_schedule(3_600_000, 36, start)
    assert len(monthly) == 36 and {i.principal_fen for i in monthly} == {100_000}
    quarterly = loan_schedule(3_600_000, 36, start, frequency="quarterly")
    assert dates(quarterly) == [start + relativedelta(months=3 * k) for k in range(1, 13)]
    assert [i.no for i in quarterly] == list(range(1, 13))
    bullet = loan_schedule(3_600_000, 36, start, frequency="bullet", grace_months=6)
    assert bullet == [Instalment(1, d("2027-03-15"), 3_600_000)]
    graced = loan_schedule(3_600_000, 36, start, grace_months=6)
    assert len(graced) == 30 and graced[0].due_date == d("2024-10-15")
    assert graced[-1].due_date == d("2027-03-15") and principal(graced) == 3_600_000
    graced_q = loan_schedule(3_600_000, 36, start, frequency="quarterly", grace_months=6)
    assert dates(graced_q)[0] == d("2024-12-15") and len(graced_q) == 10


@pytest.mark.parametrize(
    ("term", "frequency", "grace"),
    [(25, "quarterly", 0), (36, "quarterly", 2), (36, "monthly", 36), (24, "monthly", -1)],
)
def test_terms_that_do_not_fit_are_refused(term: int, frequency: str, grace: int) -> None:
    with pytest.raises(ValueError):
        loan_schedule(100_000, term, d("2024-01-01"), frequency=frequency, grace_months=grace)


def test_bad_arguments_are_refused() -> None:
    with pytest.raises(ValueError):
        loan_schedule(100_000, 24, d("2024-01-01"), frequency="weekly")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        loan_schedule(1000.0, 24, d("2024-01-01"))  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        bank_loan_schedule(100_000, 4.75, 24, d("2024-01-01"))  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        bank_loan_schedule(100_000, -1, 24, d("2024-01-01"))
    with pytest.raises(ValueError):
        bank_loan_schedule(100_000, 475, 24, d("2024-01-01"), subsidy_bp=10_001)
    with pytest.raises(ValueError):
        bank_loan_schedule(100_000, 475, 24, d("2024-01-01"), method="balloon")  # type: ignore[arg-type]


def test_remainder_goes_on_the_last_instalment_which_is_never_short() -> None:
    """The trap: rounding each share (round(100/36) = 3) overpays by 8 fen and leaves the
    last instalment at -5; flooring and putting the remainder last cannot."""
    schedule = loan_schedule(100, 36, d("2024-01-01"))
    assert [i.principal_fen for i in schedule] == [2] * 35 + [30]
    quarterly = loan_schedule(1_000_001, 24, d("2024-01-01"), frequency="quarterly")
    assert [i.principal_fen for i in quarterly] == [125_000] * 7 + [125_001]


@st.composite
def loan_terms(draw: st.DrawFn) -> tuple[int, str, int]:
    frequency = draw(st.sampled_from(FREQUENCIES))
    term = draw(st.integers(24, 36))
    grace = draw(st.integers(0, 6))
    assume(frequency != "quarterly" or (term - grace) % 3 == 0)
    return term, frequency, grace


def _check_loan(schedule: list[Instalment], amount: int, start: date, how: tuple) -> None:
    term, frequency, grace = how
    step = {"monthly": 1, "quarterly": 3, "bullet": term - grace}[frequency]
    assert len(schedule) == (term - grace) // step
    assert principal(schedule) == amount and all_int(schedule)
    assert [i.no for i in schedule] == list(range(1, len(schedule) + 1))
    parts = [i.principal_fen for i in schedule]
    assert len(set(parts[:-1])) <= 1 and parts[-1] >= parts[0] and parts[-1] - parts[0] < len(parts)
    assert all(i.interest_fen == 0 == i.subsidy_fen for i in schedule)
    days = dates(schedule)
    assert all(a < b for a, b in zip(days, days[1:], strict=False))
    anchors = [start + relativedelta(months=grace + step * k) for k in range(1, len(days) + 1)]
    assert all(
        0 <= (day - anchor).days <= MAX_RUN_OFF for day, anchor in zip(days, anchors, strict=True)
    )


@settings(max_examples=300, deadline=None)
@given(
    amount=PRINCIPALS,
    how=loan_terms(),
    start=st.dates(min_value=date(2004, 1, 1), max_value=date(2023, 12, 31)),
    shift=st.booleans(),
)
def test_loans_in_known_years(amount: int, how: tuple, start: date, shift: bool) -> None:
    calendar = WorkCalendar() if shift else None
    term, frequency, grace = how
    schedule = loan_schedule(
        amount, term, start, frequency=frequency, grace_months=grace, calendar=calendar
    )
    _check_loan(schedule, amount, start, how)
    if calendar is not None:
        assert all(chinese_calendar.is_workday(i.due_date) for i in schedule)
        assert calendar.fallback_years == set()
    else:
        assert dates(schedule)[-1] == start + relativedelta(months=term)


@settings(max_examples=200, deadline=None)
@given(
    amount=PRINCIPALS,
    how=loan_terms(),
    start=st.dates(min_value=date(2030, 1, 1), max_value=date(2090, 12, 31)),
)
def test_loans_under_the_weekend_fallback(amount: int, how: tuple, start: date) -> None:
    calendar = WorkCalendar()
    term, frequency, grace = how
    schedule = loan_schedule(
        amount, term, start, frequency=frequency, grace_months=grace, calendar=calendar
    )
    _check_loan(schedule, amount, start, how)
    assert all(i.due_date.weekday() < 5 for i in schedule)
    assert {i.due_date.year for i in schedule} <= calendar.fallback_years


# --- bank loans ----------------------------------------------------------------------------


def test_reference_annuity_100k_36_months_4_75() -> None:
    """100,000 yuan over 36 months at 4.75% a year: bank calculators show 2,985.88 a month."""
    schedule = bank_loan_schedule(10_000_000, 475, 36, d("2024-01-15"))
    payments = [i.principal_fen + i.interest_fen for i in schedule]
    assert payments[:-1] == [298_588] * 35
    assert payments[-1] == 298_580  # the last takes the principal left: 8 fen less here
    assert schedule[0].interest_fen == 39_583  # 100,000 × 4.75% / 12 = 395.833…
    assert schedule[0].principal_fen == 259_005
    assert principal(schedule) == 10_000_000
    assert sum(i.interest_fen for i in schedule) == 749_160
    assert annuity_payment(10_000_000, monthly_rate(475), 36) == 298_588


def _decimal_half_up(numerator: int, denominator: int) -> int:
    """An independent rounding: Decimal division at 60 digits, then ROUND_HALF_UP."""
    with localcontext() as context:
        context.prec = 60
        value = Decimal(numerator) / Decimal(denominator)
        return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _check_bank(schedule: list[Instalment], amount: int, rate_bp: int, subsidy_bp: int) -> None:
    assert principal(schedule) == amount and all_int(schedule)
    balance = amount
    for i in schedule:
        assert 0 <= i.principal_fen <= balance
        assert i.interest_fen == _decimal_half_up(balance * rate_bp, 120_000)
        assert i.subsidy_fen == _decimal_half_up(i.interest_fen * subsidy_bp, 10_000)
        balance -= i.principal_fen
    assert balance == 0


@settings(max_examples=300, deadline=None)
@given(
    amount=PRINCIPALS,
    rate_bp=st.integers(0, 2400),
    term=st.integers(1, 360),
    subsidy_bp=st.sampled_from([0, 2500, 5000, 10_000]),
)
def test_annuity_sums_to_principal_for_any_rate_and_term(
    amount: int, rate_bp: int, term: int, subsidy_bp: int
) -> None:
    schedule = bank_loan_schedule(amount, rate_bp, term, d("2024-01-31"), subsidy_bp=subsidy_bp)
    assert len(schedule) == term
    _check_bank(schedule, amount, rate_bp, subsidy_bp)
    if rate_bp:
        payment = annuity_payment(amount, monthly_rate(rate_bp), term)
        balance = amount
        for i in schedule[:-1]:
            # every month but the last pays the rounded annuity, unless a tiny loan ran out
            assert i.principal_fen + i.interest_fen == payment or i.principal_fen == balance
            balance -= i.principal_fen


@settings(max_examples=200, deadline=None)
@given(amount=PRINCIPALS, rate_bp=st.integers(0, 2400), term=st.integers(1, 360))
def test_bank_equal_principal(amount: int, rate_bp: int, term: int) -> None:
    schedule = bank_loan_schedule(amount, rate_bp, term, d("2024-01-31"), method="equal_principal")
    _check_bank(schedule, amount, rate_bp, 0)
    assert [i.principal_fen for i in schedule] == [
        i.principal_fen for i in loan_schedule(amount, term, d("2024-01-31"))
    ]


@settings(max_examples=40, deadline=None)
@given(
    # 1,000 yuan up: below that a month's principal may round to nothing at high rates
    amount=st.integers(min_value=100_000, max_value=10_000_000),
    rate_bp=st.integers(0, 2400),
    term=st.integers(2, 60),
    grace=st.integers(1, 12),
    method=st.sampled_from(["annuity", "equal_principal"]),
    subsidy_bp=st.sampled_from([0, 5000]),
)
def test_grace_months_are_interest_only_then_the_method_over_the_rest(
    amount: int, rate_bp: int, term: int, grace: int, method: str, subsidy_bp: int
) -> None:
    """A grace of N months: N instalments of a month's interest on the whole principal and
    no principal, then the method's schedule of the remaining months, due on the same
    dates, summing to the principal; the term (and the maturity) unchanged."""
    assume(grace < term)
    start = d("2024-01-31")
    schedule = bank_loan_schedule(
        amount, rate_bp, term, start, method=method, subsidy_bp=subsidy_bp, grace_months=grace
    )
    assert len(schedule) == term and dates(schedule) == due_dates(start, range(1, term + 1))
    _check_bank(schedule, amount, rate_bp, subsidy_bp)
    month = _decimal_half_up(amount * rate_bp, 120_000)
    assert all((i.principal_fen, i.interest_fen) == (0, month) for i in schedule[:grace])
    assert interest_only_months(i.principal_fen for i in schedule) == grace
    rest = bank_loan_schedule(amount, rate_bp, term - grace, start, method=method)
    assert [i.principal_fen for i in schedule[grace:]] == [i.principal_fen for i in rest]


def test_bank_equal_principal_by_hand() -> None:
    schedule = bank_loan_schedule(
        10_000_000, 475, 36, d("2024-01-15"), method="equal_principal", subsidy_bp=5000
    )
    assert schedule[0] == Instalment(1, d("2024-02-15"), 277_777, 39_583, 19_792)  # 19,791.5 ↑
    assert schedule[1] == Instalment(2, d("2024-03-15"), 277_777, 38_484, 19_242)  # 38,483.8
    assert schedule[-1].principal_fen == 277_805  # 277,777 + the 28 fen remainder


@pytest.mark.parametrize("method", ["annuity", "equal_principal"])
def test_zero_rate_is_equal_principal_without_interest(method: str) -> None:
    schedule = bank_loan_schedule(1_000_000, 0, 36, d("2024-01-31"), method=method, subsidy_bp=5000)
    assert schedule == loan_schedule(1_000_000, 36, d("2024-01-31"))


def test_high_rate_long_term_last_payment_absorbs_the_carried_rounding() -> None:
    schedule = bank_loan_schedule(10_000_000, 2400, 360, d("2024-01-31"))
    _check_bank(schedule, 10_000_000, 2400, 0)
    # 12.74 yuan at 24% over 30 years: the rounded-up payment clears it early; the tail is
    # zero instead of a negative last instalment
    tiny = bank_loan_schedule(1274, 2400, 360, d("2024-01-31"))
    _check_bank(tiny, 1274, 2400, 0)
    assert tiny[-1].principal_fen == 0 == tiny[-1].interest_fen


def test_subsidy_shares() -> None:
    full = bank_loan_schedule(10_000_000, 475, 36, d("2024-01-15"), subsidy_bp=10_000)
    assert all(i.subsidy_fen == i.interest_fen for i in full)
    none = bank_loan_schedule(10_000_000, 475, 36, d("2024-01-15"))
    assert all(i.subsidy_fen == 0 for i in none)


def test_bank_loan_due_dates_shift_like_loans() -> None:
    schedule = bank_loan_schedule(10_000_000, 475, 12, d("2019-09-01"), calendar=WorkCalendar())
    assert schedule[0].due_date == d("2019-10-08")
    plain = bank_loan_schedule(10_000_000, 475, 12, d("2019-09-01"))
    assert [i.interest_fen for i in schedule] == [i.interest_fen for i in plain]  # per month


# --- numpy_financial as an oracle ----------------------------------------------------------


def test_reference_loan_against_numpy_financial() -> None:
    npf = pytest.importorskip("numpy_financial")
    amount, rate_bp, term = 10_000_000, 475, 36
    schedule = bank_loan_schedule(amount, rate_bp, term, d("2024-01-15"))
    rate = rate_bp / 120_000
    assert abs(298_588 - -npf.pmt(rate, term, amount)) <= 0.5
    for k, i in enumerate(schedule[:-1], start=1):
        assert abs(i.interest_fen - -npf.ipmt(rate, k, term, amount)) <= 1
        assert abs(i.principal_fen - -npf.ppmt(rate, k, term, amount)) <= 1
    assert abs(schedule[-1].principal_fen - -npf.ppmt(rate, term, term, amount)) <= 10
    assert principal(schedule) == amount


@settings(max_examples=150, deadline=None)
@given(
    amount=st.integers(1_000_000, 10_000_000),  # the programme's 1万-10万 yuan
    rate_bp=st.integers(1, 2400),
    term=st.integers(1, 120),
)
def test_annuity_against_numpy_financial(amount: int, rate_bp: int, term: int) -> None:
    """Within what rounding allows: the payment within half a fen; month k's interest
    within 1/2 fen of rounding plus r × the balance drift, which is at most
    ((1+r)^(k-1) - 1)/r fen (each month adds at most 1/2 fen of payment rounding and 1/2
    of interest rounding, and the drift earns interest); principal adds the payment's
    half fen. At the programme's terms and rates that is within about 1 fen a month."""
    npf = pytest.importorskip("numpy_financial")
    schedule = bank_loan_schedule(amount, rate_bp, term, d("2024-01-31"))
    rate = rate_bp / 120_000
    payment = schedule[0].principal_fen + schedule[0].interest_fen
    assert abs(payment - -npf.pmt(rate, term, amount)) <= 0.5 + 1e-6
    for k, i in enumerate(schedule, start=1):
        drift = (1 + rate) ** (k - 1) - 1  # r × the drift bound
        slack = 1e-9 * amount  # float error of the oracle, far below a fen
        assert abs(i.interest_fen - -npf.ipmt(rate, k, term, amount)) <= 0.5 + drift + slack
        if k < term:
            assert abs(i.principal_fen - -npf.ppmt(rate, k, term, amount)) <= 1 + drift + slack
    total_paid = sum(i.principal_fen + i.interest_fen for i in schedule)
    assert principal(schedule) == amount
    assert (
        total_paid == payment * (term - 1) + schedule[-1].principal_fen + schedule[-1].interest_fen
    )


# --- restructuring and outstanding -----------------------------------------------------------


def test_reschedule_an_interest_free_loan_with_a_pause() -> None:
    original = loan_schedule(2_400_000, 24, d("2024-01-31"))
    remaining = outstanding_on(original, d("2024-11-30"))
    assert remaining == 1_400_000  # 10 of 24 monthly 100,000-fen instalments were due
    new = reschedule(remaining, d("2024-11-30"), 12, pause_months=3)
    assert len(new) == 12 and new[0].no == 1
    assert new[0].due_date == d("2025-03-30") and new[-1].due_date == d("2026-02-28")
    assert principal(new) == 1_400_000 and {i.principal_fen for i in new[:-1]} == {116_666}
    assert new[-1].principal_fen == 116_674


def test_reschedule_a_zero_rate_loan() -> None:
    """The trap: a 0% annuity divides by zero if the formula is used blindly."""
    new = reschedule(1_000_001, d("2025-01-31"), 10, pause_months=2, annual_rate_bp=0)
    assert len(new) == 12 and principal(new) == 1_000_001
    assert [i.principal_fen for i in new[:2]] == [0, 0]
    assert all(i.interest_fen == 0 == i.subsidy_fen for i in new)
    assert [i.principal_fen for i in new[2:]] == [100_000] * 9 + [100_001]
    assert new[0].due_date == d("2025-02-28")


def test_reschedule_a_bank_loan_pays_interest_during_the_pause() -> None:
    new = reschedule(
        10_000_000, d("2025-01-15"), 36, pause_months=3, annual_rate_bp=475, subsidy_bp=5000
    )
    assert len(new) == 39
    assert [(i.principal_fen, i.interest_fen, i.subsidy_fen) for i in new[:3]] == [
        (0, 39_583, 19_792)
    ] * 3
    assert [i.principal_fen + i.interest_fen for i in new[3:-1]] == [298_588] * 35
    _check_bank(new, 10_000_000, 475, 5000)
    with pytest.raises(ValueError):
        reschedule(10_000_000, d("2025-01-15"), 36, annual_rate_bp=475, frequency="quarterly")
    with pytest.raises(ValueError):
        reschedule(10_000_000, d("2025-01-15"), 36, pause_months=-1)
    with pytest.raises(ValueError):
        reschedule(0, d("2025-01-15"), 36)


def test_reschedule_quarterly_counts_repayment_months_after_the_pause() -> None:
    new = reschedule(900_000, d("2025-01-15"), 12, pause_months=2, frequency="quarterly")
    assert dates(new) == [d("2025-06-15"), d("2025-09-15"), d("2025-12-15"), d("2026-03-15")]


def test_outstanding_on() -> None:
    schedule = loan_schedule(100, 3, d("2024-01-31"), calendar=WorkCalendar())
    assert dates(schedule) == [d("2024-02-29"), d("2024-04-01"), d("2024-04-30")]
    assert outstanding_on(schedule, d("2024-02-28")) == 100
    assert outstanding_on(schedule, d("2024-02-29")) == 67
    assert outstanding_on(schedule, d("2024-03-31")) == 67  # the shifted date counts
    assert outstanding_on(schedule, d("2024-04-01")) == 34
    assert outstanding_on(schedule, d("2030-01-01")) == 0
    assert outstanding_on([], d("2024-01-01")) == 0


# --- rounding ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "rounded"),
    [
        (Fraction(1, 2), 1),
        (Fraction(3, 2), 2),
        (Fraction(5, 2), 3),  # half-up, not banker's rounding
        (Fraction(2499, 1000), 2),
        (Fraction(2501, 1000), 3),
        (Fraction(0), 0),
        (7, 7),
    ],
)
def test_round_half_up(value: Fraction | int, rounded: int) -> None:
    assert round_half_up(value) == rounded


@given(st.integers(0, 10**12), st.integers(1, 10**6))
def test_round_half_up_agrees_with_decimal(numerator: int, denominator: int) -> None:
    assert round_half_up(Fraction(numerator, denominator)) == _decimal_half_up(
        numerator, denominator
    )
