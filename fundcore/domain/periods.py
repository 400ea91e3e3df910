"""Accounting periods: calendar months, keyed 'YYYY-MM', closed in order.

Pure rules only: parsing a month a user typed, the month a date falls in, the month
after, and which month may be closed or reopened next.
"""

from __future__ import annotations

import calendar
import re
from datetime import date

from fundcore import messages
from fundcore.domain.dates import EARLIEST, LATEST
from fundcore.domain.errors import InputError, RuleBroken

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def parse_month(text: str) -> str:
    """A month, strictly YYYY-MM within the programme's dates; InputError otherwise."""
    text = text.strip()
    m = _MONTH.match(text)
    if m is None or not 1 <= int(m.group(2)) <= 12:
        raise InputError("period.bad_month", text=text)
    if not EARLIEST.year <= int(m.group(1)) <= LATEST.year:
        raise InputError("period.bad_month", text=text)
    return text


def month_of(day: date) -> str:
    """The month a business date falls in."""
    return f"{day.year:04d}-{day.month:02d}"


def first_day(month: str) -> date:
    return date(int(month[:4]), int(month[5:7]), 1)


def last_day(month: str) -> date:
    year, mon = int(month[:4]), int(month[5:7])
    return date(year, mon, calendar.monthrange(year, mon)[1])


def next_month(month: str) -> str:
    year, mon = int(month[:4]), int(month[5:7])
    return f"{year + 1:04d}-01" if mon == 12 else f"{year:04d}-{mon + 1:02d}"


def is_december(month: str) -> bool:
    return month.endswith("-12")


def check_close(month: str, latest_closed: str | None) -> None:
    """The first close may be any month; after that only the month after the latest."""
    if latest_closed is None:
        return
    if month <= latest_closed:
        raise RuleBroken("period.already_closed", month=month)
    expected = next_month(latest_closed)
    if month != expected:
        raise RuleBroken("period.out_of_order", month=month, expected=expected)


def check_reopen(month: str, latest_closed: str | None) -> None:
    """Only the latest closed month may be reopened."""
    if latest_closed is None or month > latest_closed:
        raise RuleBroken("period.not_closed", month=month)
    if month != latest_closed:
        raise RuleBroken("period.not_latest", month=month, latest=latest_closed)


MESSAGES: dict[str, tuple[str, str]] = {
    "period.bad_month": (
        "月份无效：{text}（应为 YYYY-MM）",
        "invalid month: {text} (expected YYYY-MM)",
    ),
    "period.closed": (
        "{month} 已结账，不能再记入该月的业务；更正请以冲销分录记入第一个未结账日",
        "{month} is closed: nothing dated in it may be posted; correct it with a reversal"
        " dated in the first open day",
    ),
    "period.already_closed": ("{month} 已结账", "{month} is already closed"),
    "period.out_of_order": (
        "月份须按顺序结账：下一个可结账的月份是 {expected}，不是 {month}",
        "months close in order: the next month to close is {expected}, not {month}",
    ),
    "period.not_closed": ("{month} 未结账", "{month} is not closed"),
    "period.not_latest": (
        "只能反结账最近结账的月份 {latest}，不是 {month}",
        "only the latest closed month ({latest}) may be reopened, not {month}",
    ),
    "period.reverse_year_end": (
        "分录 #{seq} 是 {month} 的期末结转，只能通过反结账 {month} 撤销",
        "entry #{seq} is the year-end closing of {month}: only reopening {month} undoes it",
    ),
    "period.reason_needed": ("反结账须说明理由（--reason）", "a reopen needs a reason (--reason)"),
    "period.approver_needed": (
        "反结账须由另一位在职的财务人员批准：{name} 不符合",
        "a reopen needs another, active finance operator's approval: {name} is not one",
    ),
}

messages.register(MESSAGES)
