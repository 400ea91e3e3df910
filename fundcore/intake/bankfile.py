"""A bank's repayment file: one row per repayment (facility, ref, amount, date, and an
optional 提前还款 (prepay) flag: 是 when what is beyond the amount due shortens the term).

Read with the same tolerant sheet reader as applications (UTF-8 or GBK CSV, xlsx), and
checked cell by cell so that every bad row is reported with its line and column.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TypeVar

from fundcore.domain.dates import parse_date
from fundcore.domain.errors import InputError
from fundcore.domain.money import parse_yuan
from fundcore.domain.repayments import RepaymentIn
from fundcore.intake.application import FLAG_NAMES
from fundcore.intake.batch import Problem
from fundcore.intake.columns import Column
from fundcore.intake.sheet import SheetRow, read_sheet

REPAYMENT_COLUMNS = (
    Column("facility", "业务编号", "facility", True, aliases=("借款编号", "facility_id")),
    Column("ref", "流水号", "ref", True, aliases=("交易流水号", "reference"), text=True),
    Column("amount", "金额", "amount", True, aliases=("还款金额",)),
    Column("date", "日期", "date", True, aliases=("还款日期", "交易日期")),
    Column("prepay", "提前还款", "prepay", False, ("是", "否"), aliases=("提前还款缩短期限",)),
)

V = TypeVar("V")


def _facility(text: str) -> int:
    text = text.removesuffix(".0")
    if not text.isdigit() or len(text) > 18:
        raise InputError("bankfile.bad_facility", value=text[:20])
    return int(text)


def _ref(text: str) -> str:
    if len(text) > 64:
        raise InputError("bankfile.bad_ref")
    return text


def _prepay(text: str) -> bool:
    flag = FLAG_NAMES.get(text.lower())
    if flag is None:
        raise InputError("bankfile.bad_prepay", value=text[:20])
    return flag


@dataclass(frozen=True, slots=True)
class RepaymentFile:
    """A bank file read: its repayments, the problems of its bad rows, and the headers
    the file gave each column (by key), so that messages name columns as the bank does."""

    items: list[RepaymentIn]
    problems: list[Problem]
    headers: dict[str, str]

    def header(self, key: str | None, lang: str) -> str:
        """The column ``key`` as the file heads it, else by its name in ``lang``."""
        if key is None:
            return ""
        if key in self.headers:
            return self.headers[key]
        column = _BY_KEY.get(key)
        if column is None:
            return key
        return column.en if lang == "en" else column.zh


_BY_KEY = {column.key: column for column in REPAYMENT_COLUMNS}


def read_repayments(path: Path) -> tuple[list[RepaymentIn], list[Problem]]:
    """The repayments of a bank file and the problems of its bad rows."""
    read = read_repayment_file(path)
    return read.items, read.problems


def read_repayment_file(path: Path) -> RepaymentFile:
    """A bank file's repayments, the problems of its bad rows, and its headers."""
    sheet = read_sheet(path, REPAYMENT_COLUMNS)
    items: list[RepaymentIn] = []
    problems: list[Problem] = []
    for row in sheet.rows:
        item, found = _repayment(row)
        problems += found
        if item is not None:
            items.append(item)
    return RepaymentFile(items, problems, sheet.headers)


def _repayment(row: SheetRow) -> tuple[RepaymentIn | None, list[Problem]]:
    """One row's repayment, or every problem of its cells (each column checked)."""
    facility = _cell(row, "facility", _facility)
    ref = _cell(row, "ref", _ref)
    amount = _cell(row, "amount", parse_yuan)
    on = _cell(row, "date", parse_date)
    prepay = _cell(row, "prepay", _prepay) if row.values.get("prepay", "").strip() else False
    problems = [v for v in (facility, ref, amount, on, prepay) if isinstance(v, Problem)]
    if problems:
        return None, problems
    assert isinstance(facility, int) and isinstance(amount, int)  # no Problem among them
    assert isinstance(on, date) and isinstance(ref, str) and isinstance(prepay, bool)
    return RepaymentIn(facility, amount, on, ref, row.line, prepay), []


def _cell(row: SheetRow, key: str, parse: Callable[[str], V]) -> V | Problem:
    """A cell's value, or the problem with it (an empty cell is a missing value)."""
    raw = row.values.get(key, "").strip()
    try:
        if not raw:
            raise InputError("intake.required")
        return parse(raw)
    except InputError as err:
        return Problem.of(err, row.line, key)
