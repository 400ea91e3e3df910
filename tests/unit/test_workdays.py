"""fundcore.domain.workdays: the official calendar, the override table, the fallback and notices.

Expected days come from the State Council notices themselves (国办发明电 2018 No. 15 for
2019, 2019 No. 16 and the 2020-01-26 extension for 2020, 2020 No. 27 for 2021), written
out here by hand, not read back from ``chinese_calendar``.
"""

from __future__ import annotations

import string
from datetime import date, datetime, timedelta

import chinese_calendar
import pytest
from hypothesis import given
from hypothesis import strategies as st

from fundcore import messages
from fundcore.domain.errors import InputError
from fundcore.domain.workdays import (
    MAX_RUN_OFF,
    MESSAGES,
    REASONS,
    WorkCalendar,
    parse_holiday_notice,
)

NOTICE_2027 = """\
日期,类型,名称
2027-01-01,放假,元旦
2027-02-05~2027-02-11,放假,春节
2027-02-20,班,春节调休
2027-10-01~2027-10-07,休,国庆节
2027-09-26,上班,国庆节调休
2027-10-09,上班,国庆节调休
"""
"""A made-up 2027 notice in the usual shape: the real one is not published yet."""


def package_knows(year: int) -> bool:
    try:
        chinese_calendar.is_workday(date(year, 6, 1))
    except NotImplementedError:
        return False
    return True


def d(text: str) -> date:
    return date.fromisoformat(text)


# --- the official calendar 2019-2021 -----------------------------------------------------


OFFICIAL = {
    # 2019 National Day: 1-7 October off; Sunday 29 September and Saturday 12 October worked
    "2019-09-29": True,
    "2019-09-30": True,
    **{f"2019-10-0{day}": False for day in range(1, 8)},
    "2019-10-08": True,
    "2019-10-12": True,
    "2019-10-13": False,
    # 2020 Spring Festival 24-30 January, extended by the State Council to 2 February
    "2020-01-19": True,
    **{f"2020-01-{day}": False for day in range(24, 32)},
    "2020-02-01": False,
    "2020-02-02": False,
    "2020-02-03": True,
    # 2021 Spring Festival 11-17 February; Sunday 7 and Saturday 20 February worked
    "2021-02-07": True,
    **{f"2021-02-{day}": False for day in range(11, 18)},
    "2021-02-18": True,
    "2021-02-20": True,
    # 2021 Labour Day 1-5 May; Sunday 25 April and Saturday 8 May worked
    "2021-04-25": True,
    **{f"2021-05-0{day}": False for day in range(1, 6)},
    "2021-05-06": True,
    "2021-05-08": True,
    "2021-05-09": False,
}


@pytest.mark.parametrize(("day", "working"), sorted(OFFICIAL.items()))
def test_official_notices_2019_to_2021(day: str, working: bool) -> None:
    calendar = WorkCalendar()
    assert calendar.is_workday(d(day)) is working
    assert calendar.known(d(day))
    assert calendar.fallback_years == set()


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        ("2019-09-29", "2019-09-29"),  # a worked Sunday is its own next working day
        ("2019-10-01", "2019-10-08"),
        ("2019-10-05", "2019-10-08"),
        ("2019-10-12", "2019-10-12"),
        ("2019-10-13", "2019-10-14"),
        ("2020-01-24", "2020-02-03"),  # the extended Spring Festival
        ("2020-02-01", "2020-02-03"),
        ("2021-02-10", "2021-02-10"),
        ("2021-02-11", "2021-02-18"),
        ("2021-05-01", "2021-05-06"),
    ],
)
def test_next_workday(day: str, expected: str) -> None:
    assert WorkCalendar().next_workday(d(day)) == d(expected)


# --- the fallback and the override table --------------------------------------------------


@pytest.mark.parametrize("year", [2027, 2099])
def test_unknown_year_falls_back_to_weekends_and_is_recorded(year: int) -> None:
    if package_knows(year):
        pytest.skip(f"chinese_calendar now knows {year}; 2099 still covers the fallback")
    calendar = WorkCalendar()
    oct_1 = date(year, 10, 1)
    assert not calendar.known(oct_1)
    assert calendar.fallback_years == set()  # asking whether it is known is no guess
    assert calendar.is_workday(oct_1) is (oct_1.weekday() < 5)
    assert calendar.fallback_years == {year}
    saturday = oct_1 + timedelta(days=(5 - oct_1.weekday()) % 7)
    assert calendar.next_workday(saturday) == saturday + timedelta(days=2)


def test_fallback_years_collect_every_guessed_year() -> None:
    calendar = WorkCalendar()
    calendar.is_workday(date(2026, 10, 1))
    calendar.next_workday(date(2099, 1, 3))
    calendar.next_workday(date(2100, 1, 2))
    assert calendar.fallback_years == {2099, 2100}


def test_notice_table_makes_2027_known_and_decides_it() -> None:
    table = {day: working for day, working, _ in parse_holiday_notice(NOTICE_2027)}
    calendar = WorkCalendar(table)
    assert calendar.known(d("2027-06-01"))
    assert not calendar.is_workday(d("2027-10-01"))  # a Friday, off by the notice
    assert calendar.is_workday(d("2027-09-26"))  # a Sunday, worked by the notice
    assert calendar.is_workday(d("2027-10-09"))  # a Saturday, worked by the notice
    assert not calendar.is_workday(d("2027-10-10"))  # an ordinary Sunday
    assert calendar.is_workday(d("2027-10-11"))  # an ordinary Monday
    assert calendar.next_workday(d("2027-10-01")) == d("2027-10-08")
    assert calendar.next_workday(d("2027-02-05")) == d("2027-02-12")
    assert calendar.fallback_years == set()


def test_table_overrides_the_package_day_by_day_only() -> None:
    # one entry in 2019 (as a notice reaching across New Year would make) must not turn
    # the rest of 2019, which the package knows, into plain weekends
    calendar = WorkCalendar({d("2019-10-01"): True})
    assert calendar.is_workday(d("2019-10-01"))
    assert not calendar.is_workday(d("2019-10-02"))
    assert calendar.is_workday(d("2019-09-29"))


def test_a_run_of_days_off_longer_than_any_notice_is_refused() -> None:
    start = d("2027-03-01")
    table = {start + timedelta(days=i): False for i in range(MAX_RUN_OFF + 1)}
    with pytest.raises(InputError) as refused:
        WorkCalendar(table).next_workday(start)
    assert refused.value.code == "calendar.no_workday"
    table.pop(start + timedelta(days=MAX_RUN_OFF))
    assert WorkCalendar(table).next_workday(start) == start + timedelta(days=MAX_RUN_OFF)


def test_datetimes_are_refused() -> None:
    with pytest.raises(TypeError):
        WorkCalendar().is_workday(datetime(2019, 10, 1, 9, 0))  # type: ignore[arg-type]


@given(st.dates(min_value=date(2004, 1, 1), max_value=date(2026, 12, 31)))
def test_agrees_with_the_package_where_it_knows(day: date) -> None:
    calendar = WorkCalendar()
    assert calendar.is_workday(day) is chinese_calendar.is_workday(day)
    nxt = calendar.next_workday(day)
    assert nxt >= day and chinese_calendar.is_workday(nxt)
    assert all(not chinese_calendar.is_workday(day + timedelta(i)) for i in range((nxt - day).days))


# --- parsing notices ------------------------------------------------------------------


def test_parse_english_headers_ranges_and_kinds() -> None:
    text = (
        "\ufeffdate,kind,name\n\n2027-10-01~2027-10-03,holiday,National Day\n2027-9-26,WORKDAY,\n"
    )
    assert parse_holiday_notice(text) == [
        (d("2027-10-01"), False, "National Day"),
        (d("2027-10-02"), False, "National Day"),
        (d("2027-10-03"), False, "National Day"),
        (d("2027-09-26"), True, ""),
    ]


def test_parse_folds_full_width_input_and_any_column_order() -> None:
    text = "类型，日期\n放假，２０２７－１０－０１～２０２７－１０－０２\n班,2027-10-09 \n"
    assert parse_holiday_notice(text) == [
        (d("2027-10-01"), False, ""),
        (d("2027-10-02"), False, ""),
        (d("2027-10-09"), True, ""),
    ]


def test_parse_the_2027_notice() -> None:
    rows = parse_holiday_notice(NOTICE_2027)
    assert len(rows) == 1 + 7 + 1 + 7 + 2
    assert (d("2027-02-20"), True, "春节调休") in rows


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        ("2027-10-01", "missing-cell"),
        (",holiday,x", "missing-cell"),
        ("2027-10-01,holiday,x,extra", "extra-cell"),
        ("2027/10/01,holiday,x", "not-a-date"),
        ("2027-02-30,holiday,x", "not-a-date"),
        ("20271001,holiday,x", "not-a-date"),
        ("2027-10-01~2027-10-03~2027-10-05,holiday,x", "not-a-date"),
        ("2027-10-01,vacation,x", "unknown-kind"),
        ("2027-10-07~2027-10-01,holiday,x", "reversed-range"),
        ("2027-01-01~2027-03-01,holiday,x", "range-too-long"),
        ("2027-09-25~2027-09-26,workday,x", "range-for-workday"),
        ("2027-10-03,上班,x", "repeated-date"),
    ],
)
def test_bad_rows_are_refused_with_their_line(row: str, reason: str) -> None:
    text = f"date,kind,name\n2027-10-01~2027-10-07,holiday,国庆节\n\n{row}\n"
    with pytest.raises(InputError) as refused:
        parse_holiday_notice(text)
    assert refused.value.code == "calendar.bad_row"
    assert refused.value.params == {"line": 4, "reason": reason, "text": row}
    assert reason in REASONS


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "calendar.empty"),
        ("\n  \n", "calendar.empty"),
        ("date,kind,name\n", "calendar.empty"),
        ("2027-10-01,holiday,x\n", "calendar.bad_header"),
        ("date,name\n2027-10-01,x\n", "calendar.bad_header"),
        ("date,kind,kind\n", "calendar.bad_header"),
        ("date,kind,note\n", "calendar.bad_header"),
    ],
)
def test_bad_notices_are_refused(text: str, code: str) -> None:
    with pytest.raises(InputError) as refused:
        parse_holiday_notice(text)
    assert refused.value.code == code


def test_trailing_empty_header_cells_are_ignored() -> None:
    assert parse_holiday_notice("date,kind,name,,\n2027-10-01,holiday,x,,\n") == [
        (d("2027-10-01"), False, "x")
    ]


@given(st.text(alphabet="0123456789-~,放假班上休holidaywork日期类型名称date,kind\n ", max_size=120))
def test_any_text_parses_or_is_refused_with_a_known_code(text: str) -> None:
    try:
        rows = parse_holiday_notice(text)
    except InputError as refused:
        assert refused.code in MESSAGES
        if refused.code == "calendar.bad_row":
            assert refused.params["reason"] in REASONS
    else:
        assert len({day for day, _, _ in rows}) == len(rows)


# --- messages ---------------------------------------------------------------------------


class _Reasons(string.Formatter):
    """``{reason:term}`` as fundcore.messages renders it once REASONS are among its TERMS."""

    def __init__(self, lang: str) -> None:
        self.lang = lang

    def format_field(self, value: object, format_spec: str) -> str:
        if format_spec == "term":
            return REASONS[str(value)][self.lang == "en"]
        return super().format_field(value, format_spec)


def rendered(code: str, params: dict[str, object], lang: str) -> str:
    """The message a user would read: from the merged catalogue once it holds our codes."""
    if code in messages.CATALOG and all(k in messages.TERMS for k in REASONS):
        return messages.render(code, params, lang)
    zh, en = MESSAGES[code]
    return _Reasons(lang).format(en if lang == "en" else zh, **params)


def test_messages_have_both_languages_and_render() -> None:
    params = {
        "line": 4,
        "reason": "not-a-date",
        "text": "2027/10/01,放假",
        "start": "x",
        "days": 22,
    }
    assert {code.split(".")[0] for code in MESSAGES} == {"calendar"}
    for code in MESSAGES:
        zh, en = rendered(code, params, "zh"), rendered(code, params, "en")
        assert zh != en and "{" not in zh + en
    assert "第 4 行" in rendered("calendar.bad_row", params, "zh")
    assert "2027-10-01~2027-10-07" in rendered("calendar.bad_row", params, "en")
    for zh, en in REASONS.values():
        assert zh and en and zh != en
