"""A bank's repayment file: one row per repayment (facility, ref, amount, date).

Read with the same tolerant sheet reader as applications (UTF-8 or GBK CSV, xlsx), and
checked cell by cell so that every bad row is reported with its line and column.
"""

from __future__ import annotations

from pathlib import Path

from fundcore.domain.dates import parse_date
from fundcore.domain.errors import InputError
from fundcore.domain.money import parse_yuan
from fundcore.domain.repayments import RepaymentIn
from fundcore.intake.columns import Column
from fundcore.intake.sheet import read_sheet

REPAYMENT_COLUMNS = (
    Column("facility", "业务编号", "facility", True, aliases=("借款编号", "facility_id")),
    Column("ref", "流水号", "ref", True, aliases=("交易流水号", "reference"), text=True),
    Column("amount", "金额", "amount", True, aliases=("还款金额",)),
    Column("date", "日期", "date", True, aliases=("还款日期", "交易日期")),
)

RowError = tuple[int, str, str, dict[str, object]]


def _facility(text: str) -> int:
    text = text.removesuffix(".0")
    if not text.isdigit() or len(text) > 18:
        raise InputError("bankfile.bad_facility", value=text[:20])
    return int(text)


def _ref(text: str) -> str:
    if len(text) > 64:
        raise InputError("bankfile.bad_ref")
    return text


def read_repayments(path: Path) -> tuple[list[RepaymentIn], list[RowError]]:
    """The repayments of a bank file and the problems of its bad rows."""
    sheet = read_sheet(path, REPAYMENT_COLUMNS)
    items: list[RepaymentIn] = []
    problems: list[RowError] = []
    parsers = {"facility": _facility, "ref": _ref, "amount": parse_yuan, "date": parse_date}
    for row in sheet.rows:
        values: dict[str, object] = {}
        for key, parse in parsers.items():
            raw = row.values.get(key, "").strip()
            try:
                if not raw:
                    raise InputError("intake.required")
                values[key] = parse(raw)
            except InputError as err:
                problems.append((row.line, key, err.code, err.params))
        if len(values) == len(parsers):
            items.append(
                RepaymentIn(
                    values["facility"], values["amount"], values["date"], values["ref"], row.line
                )
            )  # type: ignore[arg-type]
    return items, problems
