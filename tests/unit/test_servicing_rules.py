"""Servicing rules with no database: applying a payment to instalments (oldest due
first, then a prepayment), ageing buckets and default, and what is left to recover."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fundcore.domain.ageing import bucket, days_past_due, late_status
from fundcore.domain.claims import receivables
from fundcore.domain.errors import FundError
from fundcore.domain.repayments import Due, allocate
from fundcore.domain.terms import FacilityStatus, RecoverySource


def plan3(paid: tuple[tuple[int, int], ...] = ((0, 0), (0, 0), (0, 0))) -> tuple[Due, ...]:
    """Three monthly instalments of 100 principal and 10 interest, paid as given."""
    days = (date(2020, 1, 31), date(2020, 2, 29), date(2020, 3, 31))
    return tuple(
        Due(n + 1, d, 100, 10, pp, pi)
        for n, (d, (pp, pi)) in enumerate(zip(days, paid, strict=True))
    )


def paid(plan: tuple[Due, ...]) -> list[tuple[int, int]]:
    return [(d.paid_principal_fen, d.paid_interest_fen) for d in plan]


@pytest.mark.parametrize(
    ("amount", "on", "order", "principal", "interest", "after"),
    [
        (110, date(2020, 1, 31), "last", 100, 10, [(100, 10), (0, 0), (0, 0)]),
        (50, date(2020, 1, 31), "last", 40, 10, [(40, 10), (0, 0), (0, 0)]),
        (5, date(2020, 2, 29), "last", 0, 5, [(0, 5), (0, 0), (0, 0)]),
        (230, date(2020, 2, 29), "last", 210, 20, [(100, 10), (100, 10), (10, 0)]),
        (250, date(2020, 1, 15), "last", 250, 0, [(50, 0), (100, 0), (100, 0)]),
        (250, date(2020, 1, 15), "next", 220, 30, [(100, 10), (100, 10), (20, 10)]),
        (120, date(2020, 1, 31), "next", 100, 20, [(100, 10), (0, 10), (0, 0)]),
        (220, date(2020, 1, 31), "next", 200, 20, [(100, 10), (100, 10), (0, 0)]),
        (330, date(2020, 3, 31), "last", 300, 30, [(100, 10), (100, 10), (100, 10)]),
        (0, date(2020, 3, 31), "last", 0, 0, [(0, 0), (0, 0), (0, 0)]),
    ],
    ids=[
        "one-due",
        "interest-first",
        "interest-only-part",
        "two-due-then-prepay-last",
        "prepay-last-first",
        "ahead-in-order",
        "due-then-ahead-interest-first",
        "due-then-next-in-full",
        "all",
        "nothing",
    ],
)
def test_a_payment_pays_what_is_due_oldest_first_then_prepays(
    amount: int,
    on: date,
    order: str,
    principal: int,
    interest: int,
    after: list[tuple[int, int]],
) -> None:
    before = plan3()
    applied = allocate(before, amount, on, order)
    assert (applied.principal_fen, applied.interest_fen) == (principal, interest)
    assert paid(applied.plan) == after
    assert paid(before) == [(0, 0)] * 3  # the plan given is not touched


def test_a_part_paid_instalment_takes_only_what_it_still_asks() -> None:
    applied = allocate(plan3(((60, 10), (0, 0), (0, 0))), 60, date(2020, 2, 29), "last")
    assert (applied.principal_fen, applied.interest_fen) == (50, 10)
    assert paid(applied.plan) == [(100, 10), (10, 10), (0, 0)]


@pytest.mark.parametrize(
    ("amount", "on", "owed"),
    [
        (331, date(2020, 3, 31), 330),
        (301, date(2020, 1, 1), 300),  # nothing due yet: only principal can be prepaid
        (1, date(2020, 1, 1), None),
    ],
)
def test_more_than_is_owed_is_refused(amount: int, on: date, owed: int | None) -> None:
    if owed is None:
        allocate(plan3(), amount, on, "last")
        return
    with pytest.raises(FundError) as err:
        allocate(plan3(), amount, on, "last")
    assert err.value.code == "repay.more_than_owed"
    assert err.value.params == {"amount": amount, "owed": owed}


def test_paid_ahead_may_pay_every_instalment_as_scheduled_and_no_more() -> None:
    assert allocate(plan3(), 330, date(2020, 1, 1), "next").principal_fen == 300
    with pytest.raises(FundError) as err:
        allocate(plan3(), 331, date(2020, 1, 1), "next")
    assert err.value.params == {"amount": 331, "owed": 330}


@given(
    st.integers(min_value=0, max_value=330),
    st.dates(min_value=date(2019, 12, 1), max_value=date(2020, 5, 1)),
    st.sampled_from(["last", "next"]),
)
def test_whatever_is_accepted_is_applied_in_full_and_never_overpays(
    amount: int, on: date, order: str
) -> None:
    try:
        applied = allocate(plan3(), amount, on, order)
    except FundError:
        ahead = 110 if order == "next" else 100
        assert amount > sum(110 if d.due_date <= on else ahead for d in plan3())
        return
    assert applied.principal_fen + applied.interest_fen == amount
    for d in applied.plan:
        assert 0 <= d.paid_principal_fen <= d.principal_fen
        assert 0 <= d.paid_interest_fen <= d.interest_fen
        if d.due_date > on and order == "last":
            assert d.paid_interest_fen == 0  # a prepayment pays no interest ahead
    if order == "next":  # paid in order: nothing is paid of one while an earlier one owes
        owed = [d.owed_fen > 0 for d in applied.plan]
        touched = [d.paid_principal_fen + d.paid_interest_fen > 0 for d in applied.plan]
        for k in range(1, 3):
            assert not (owed[k - 1] and touched[k])


@pytest.mark.parametrize(
    ("dpd", "name"),
    [(-3, "current"), (0, "current"), (1, "1-30"), (30, "1-30"), (31, "31-90"), (90, "31-90")]
    + [(91, "90+"), (400, "90+")],
)
def test_ageing_buckets(dpd: int, name: str) -> None:
    assert bucket(dpd) == name


@pytest.mark.parametrize(
    ("dpd", "after", "status"),
    [
        (1, 90, FacilityStatus.OVERDUE),
        (90, 90, FacilityStatus.OVERDUE),
        (91, 90, FacilityStatus.DEFAULTED),
        (31, 30, FacilityStatus.DEFAULTED),
    ],
)
def test_late_past_the_policys_days_is_default(
    dpd: int, after: int, status: FacilityStatus
) -> None:
    assert late_status(dpd, after) == status


def test_days_past_due_count_from_the_oldest_unpaid_due_date() -> None:
    assert days_past_due(date(2020, 1, 31), date(2020, 3, 1)) == 30
    assert days_past_due(date(2020, 2, 29), date(2020, 2, 29)) == 0


@pytest.mark.parametrize(
    ("status", "claim", "share", "back_b", "back_c", "left"),
    [
        ("claimed", 100_000, 40_000, 0, 0, (60_000, 40_000)),
        ("claimed", 100_000, 40_000, 60_000, 10_000, (0, 30_000)),
        ("claimed", 100_000, 0, 70_000, 0, (30_000, 0)),
        ("claimed", 100_000, 40_000, 65_000, 0, (0, 40_000)),  # never below nothing
        # the borrower's write-off leaves the county's share owed (its own write-off)
        ("written_off", 100_000, 40_000, 0, 0, (0, 40_000)),
    ],
)
def test_what_is_left_to_recover_after_a_claim(
    status: str, claim: int, share: int, back_b: int, back_c: int, left: tuple[int, int]
) -> None:
    r = receivables(status, claim, share, back_b, back_c)
    assert (r.borrower_fen, r.county_fen) == left
    assert r.owed_by(RecoverySource.BORROWER) == left[0]
    assert r.owed_by(RecoverySource.COUNTY) == left[1]
    assert r.total_fen == sum(left)
