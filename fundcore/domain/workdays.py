"""China's official working-day calendar, for moving due dates off days off.

Each year the State Council publishes which days are off (放假) and which weekend days
are worked instead (调休上班); a due date that falls on a day off moves to the next
working day (民法典 Art. 203). Three sources answer "is this a working day", in order:

1. the override table the caller loads from the database: admins type each year's
   notice in (``parse_holiday_notice``), so a new year works before any package release
   and a wrong package entry can be corrected day by day;
2. the ``chinese_calendar`` package, which knows the published years (2004-2026 in the
   version pinned today) and raises ``NotImplementedError`` for others;
3. weekends only, for a year neither knows. That answer is a guess, so every such year is
   recorded in ``WorkCalendar.fallback_years`` for the caller to print a visible warning.

A table entry wins for its own day only; a day the table does not list is answered by
the package when it knows the year, else by the weekday. This matters because a notice
reaches across New Year (the 2023 notice lists 2022-12-31): one entry must not turn the
rest of a year the package knows into plain weekends.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Mapping
from datetime import date, datetime, timedelta

import chinese_calendar

from fundcore import messages
from fundcore.domain.errors import InputError

MESSAGES: dict[str, tuple[str, str]] = {
    "calendar.empty": (
        "节假日安排没有任何日期：请按“日期,类型,名称”逐行填写",
        "the holiday notice lists no dates: write one 'date,kind,name' row per line",
    ),
    "calendar.bad_header": (
        "节假日安排第 {line} 行应为表头“日期,类型,名称”（或 date,kind,name）：{text}",
        "line {line} of the holiday notice should be the header 'date,kind,name' "
        "(or 日期,类型,名称): {text}",
    ),
    "calendar.bad_row": (
        "节假日安排第 {line} 行有误（{reason:term}）：{text}",
        "line {line} of the holiday notice is wrong ({reason:term}): {text}",
    ),
    "calendar.no_workday": (
        "自 {start} 起连续 {days} 天都不是工作日：请检查导入的节假日安排",
        "no working day in the {days} days from {start}: check the imported holiday notices",
    ),
}

#: the ``reason`` of ``calendar.bad_row``: stable keys, readable even untranslated,
#: for ``fundcore.messages.TERMS`` (the template renders them with ``{reason:term}``)
REASONS: dict[str, tuple[str, str]] = {
    "missing-cell": ("缺少日期或类型", "date or kind missing"),
    "extra-cell": ("列数多于表头", "more cells than the header"),
    "not-a-date": (
        "日期应为 2027-10-01 或 2027-10-01~2027-10-07",
        "date must be like 2027-10-01 or 2027-10-01~2027-10-07",
    ),
    "unknown-kind": (
        "类型应为 放假/休 或 上班/班",
        "kind must be holiday/放假/休 or workday/上班/班",
    ),
    "reversed-range": ("日期区间的结束早于开始", "the range ends before it starts"),
    "range-too-long": ("日期区间超过 31 天", "the range is longer than 31 days"),
    "range-for-workday": (
        "调休上班日须逐日填写，不能用区间",
        "adjusted working days are listed one by one, not as a range",
    ),
    "repeated-date": ("该日期已在前面出现过", "this date is already listed above"),
}

MAX_RUN_OFF = 21
"""Longest run of consecutive days off ``next_workday`` accepts before refusing.

The longest national run so far is 10 days (Spring Festival 2020, extended to 2 February).
Keeping the bound under 28 days also proves that shifted monthly due dates never collide:
a date moves by at most 21 days and the next anchor is at least 28 days later.
"""

MAX_RANGE_DAYS = 31
"""Longest holiday block one notice row may give; a longer one is a typo, not a holiday."""

_HOLIDAY_KINDS = frozenset({"holiday", "放假", "休"})
_WORKDAY_KINDS = frozenset({"workday", "上班", "班"})
_HEADERS = {
    "date": "date",
    "日期": "date",
    "kind": "kind",
    "类型": "kind",
    "name": "name",
    "名称": "name",
}
_ISO_DAY = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_RANGE_SEPARATORS = re.compile(r"\s*(?:~|〜|至)\s*")


class WorkCalendar:
    """Working days from an override table, then ``chinese_calendar``, then weekends.

    ``overrides`` maps a date to True (working day, e.g. 调休上班) or False (day off). A
    year counts as known to the table if the table has any entry in it. The instance is
    cheap to build and holds no connection: load the table, build one per run.
    """

    def __init__(self, overrides: Mapping[date, bool] | None = None) -> None:
        self.overrides: dict[date, bool] = {
            _as_date(d): bool(w) for d, w in (overrides or {}).items()
        }
        self._table_years = frozenset(d.year for d in self.overrides)
        #: years answered by the weekends-only guess; callers should warn about them
        self.fallback_years: set[int] = set()
        #: answers already given (a batch of schedules asks about the same days again)
        self._answers: dict[date, bool] = {}

    def is_workday(self, d: date) -> bool:
        """Whether ``d`` is a working day; records ``d.year`` if only a guess could say."""
        d = _as_date(d)
        answer = self._answers.get(d)
        if answer is None:
            answer = self._answers[d] = self._is_workday(d)
        return answer

    def _is_workday(self, d: date) -> bool:
        listed = self.overrides.get(d)
        if listed is not None:
            return listed
        package = _package_is_workday(d)
        if package is not None:
            return package
        if d.year not in self._table_years:
            self.fallback_years.add(d.year)
        return d.weekday() < 5

    def known(self, d: date) -> bool:
        """Whether the table or the package knows ``d``'s year (so no guess is involved)."""
        d = _as_date(d)
        return d.year in self._table_years or _package_is_workday(d) is not None

    def next_workday(self, d: date) -> date:
        """``d`` if it is a working day, else the first working day after it.

        Refuses (``InputError`` ``calendar.no_workday``) a run of more than ``MAX_RUN_OFF``
        days off, which only a mistyped notice can produce.
        """
        d = _as_date(d)
        for offset in range(MAX_RUN_OFF + 1):
            day = d + timedelta(days=offset)
            if self.is_workday(day):
                return day
        raise InputError("calendar.no_workday", start=d.isoformat(), days=MAX_RUN_OFF + 1)


def _package_is_workday(d: date) -> bool | None:
    """``chinese_calendar``'s answer, or None for a year it does not know."""
    try:
        return bool(chinese_calendar.is_workday(d))
    except NotImplementedError:
        return None


def _as_date(d: date) -> date:
    """Refuse a datetime: it never equals a date, so a table lookup would silently miss."""
    if isinstance(d, datetime) or not isinstance(d, date):
        raise TypeError(f"expected a datetime.date, got {type(d).__name__}")
    return d


def parse_holiday_notice(text: str) -> list[tuple[date, bool, str]]:
    """Read the CSV an admin types from the State Council holiday notice.

    The notice (国务院办公厅关于…部分节假日安排的通知) is prose; an admin copies it as::

        date,kind,name                      日期,类型,名称
        2027-10-01~2027-10-07,holiday,国庆节   2027-10-01~2027-10-07,放假,国庆节
        2027-09-26,workday,国庆节调休          2027-09-26,上班,国庆节调休

    Returns one ``(day, is_workday, name)`` per day, ranges expanded, in notice order.
    Headers may be English or Chinese and in any order (``name`` may be left out); kinds
    are ``holiday``/``放假``/``休`` (day off) or ``workday``/``上班``/``班`` (调休上班); a
    holiday block may be a range ``start~end`` (also ``～``, ``〜`` or ``至``). Text typed
    with a Chinese input method is folded first (full-width digits, ``，``, ``～``). Blank
    lines are skipped. Anything else is refused with ``InputError("calendar.bad_row",
    line=N, reason=KEY, text=ROW)`` (``KEY`` in ``REASONS``), because a wrong day off
    silently moves every due date near it. Whether a listed day really differs from the
    usual week is not checked: a table entry may also restate or correct the package.
    """
    lines = unicodedata.normalize("NFKC", text.removeprefix("\ufeff")).splitlines()
    numbered = [(n, line) for n, line in enumerate(lines, start=1) if line.strip()]
    if not numbered:
        raise InputError("calendar.empty")
    header_line, header_text = numbered[0]
    columns = _header(header_line, header_text)
    rows: list[tuple[date, bool, str]] = []
    seen: set[date] = set()
    for line, raw in numbered[1:]:
        for day, working, name in _row(line, raw, columns):
            if day in seen:
                raise InputError("calendar.bad_row", line=line, reason="repeated-date", text=raw)
            seen.add(day)
            rows.append((day, working, name))
    if not rows:
        raise InputError("calendar.empty")
    return rows


def _cells(raw: str) -> list[str]:
    return [cell.strip() for cell in next(csv.reader([raw]))]


def _header(line: int, raw: str) -> list[str]:
    """Column roles from the header row: date and kind required, name optional, each once.

    Trailing empty cells (a spreadsheet saved as CSV adds them) are ignored.
    """
    cells = _cells(raw)
    while cells and not cells[-1]:
        cells.pop()
    columns = [_HEADERS.get(cell.lower(), "") for cell in cells]
    if "" in columns or len(set(columns)) != len(columns) or not {"date", "kind"} <= set(columns):
        raise InputError("calendar.bad_header", line=line, text=raw)
    return columns


def _row(line: int, raw: str, columns: list[str]) -> list[tuple[date, bool, str]]:
    """The days one notice row gives, or a ``calendar.bad_row`` refusal."""

    def refuse(reason: str) -> InputError:
        return InputError("calendar.bad_row", line=line, reason=reason, text=raw)

    cells = _cells(raw)
    if len(cells) > len(columns) and any(cells[len(columns) :]):
        raise refuse("extra-cell")
    values = dict(zip(columns, cells, strict=False))
    when, kind, name = values.get("date", ""), values.get("kind", ""), values.get("name", "")
    if not when or not kind:
        raise refuse("missing-cell")
    if kind.lower() in _HOLIDAY_KINDS:
        working = False
    elif kind.lower() in _WORKDAY_KINDS:
        working = True
    else:
        raise refuse("unknown-kind")
    ends = _RANGE_SEPARATORS.split(when)
    if len(ends) > 2:
        raise refuse("not-a-date")
    first, last = (_day(end) for end in (ends[0], ends[-1]))
    if first is None or last is None:
        raise refuse("not-a-date")
    if len(ends) == 2 and working:
        raise refuse("range-for-workday")
    if last < first:
        raise refuse("reversed-range")
    span = (last - first).days + 1
    if span > MAX_RANGE_DAYS:
        raise refuse("range-too-long")
    return [(first + timedelta(days=i), working, name) for i in range(span)]


def _day(text: str) -> date | None:
    """An ISO day (month and day may drop their leading zero), or None."""
    match = _ISO_DAY.fullmatch(text)
    if match is None:
        return None
    try:
        return date(*(int(part) for part in match.groups()))
    except ValueError:
        return None


messages.register(MESSAGES)
messages.register_terms(REASONS)
