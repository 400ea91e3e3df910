"""The pure rules of accounting months: parsing, order of closes, which may reopen."""

from __future__ import annotations

from datetime import date

import pytest

from fundcore.domain import periods
from fundcore.domain.errors import InputError, RuleBroken


@pytest.mark.parametrize(
    "text", ["2019-13", "2019-00", "2019-1", "19-01", "2019/01", "1999-12", ""]
)
def test_a_month_is_strictly_yyyy_mm(text: str) -> None:
    with pytest.raises(InputError) as err:
        periods.parse_month(text)
    assert err.value.code == "period.bad_month"


def test_parse_month_keeps_a_good_month() -> None:
    assert periods.parse_month(" 2019-07 ") == "2019-07"


@pytest.mark.parametrize(
    ("day", "month"),
    [
        (date(2019, 1, 1), "2019-01"),
        (date(2019, 12, 31), "2019-12"),
        (date(2020, 2, 29), "2020-02"),
    ],
)
def test_month_of(day: date, month: str) -> None:
    assert periods.month_of(day) == month


def test_first_and_last_day_and_next_month() -> None:
    assert periods.first_day("2020-02") == date(2020, 2, 1)
    assert periods.last_day("2020-02") == date(2020, 2, 29)
    assert periods.last_day("2019-02") == date(2019, 2, 28)
    assert periods.next_month("2019-11") == "2019-12"
    assert periods.next_month("2019-12") == "2020-01"
    assert periods.is_december("2019-12") and not periods.is_december("2019-11")


def test_the_first_close_may_be_any_month_then_only_the_next() -> None:
    periods.check_close("2019-07", None)
    periods.check_close("2020-01", "2019-12")
    with pytest.raises(RuleBroken) as err:
        periods.check_close("2020-02", "2019-12")
    assert (err.value.code, err.value.params) == (
        "period.out_of_order",
        {"month": "2020-02", "expected": "2020-01"},
    )
    with pytest.raises(RuleBroken) as err:
        periods.check_close("2019-05", "2019-12")
    assert err.value.code == "period.already_closed"


def test_only_the_latest_closed_month_reopens() -> None:
    periods.check_reopen("2019-12", "2019-12")
    with pytest.raises(RuleBroken) as err:
        periods.check_reopen("2019-11", "2019-12")
    assert err.value.params == {"month": "2019-11", "latest": "2019-12"}
    for latest in (None, "2019-11"):
        with pytest.raises(RuleBroken) as err:
            periods.check_reopen("2019-12", latest)
        assert err.value.code == "period.not_closed"
