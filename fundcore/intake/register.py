"""Reading the official county register (CSV: code, name, province, category;
prefecture optional), GBK or UTF-8. The whole file is checked before anything is written
(``services.registry`` writes it).
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from pathlib import Path

from fundcore.domain.counties import CountyRow, valid_code
from fundcore.domain.errors import InputError

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_CATEGORIES = {
    "national": "national",
    "国家级贫困县": "national",
    "国家级": "national",
    "provincial": "provincial",
    "省级深度贫困县": "provincial",
    "省级": "provincial",
}
_HEADERS = {
    "code": ("code", "县代码", "代码", "区划代码"),
    "name": ("name", "县名", "名称", "县"),
    "province": ("province", "省份", "省"),
    "prefecture": ("prefecture", "地市", "市"),
    "category": ("category", "类别", "类型"),
}
SAMPLE_REGISTER = Path(__file__).parent.parent / "data" / "counties-sample.csv"


def parse_register(data: bytes) -> list[CountyRow]:
    """Every row of a register file, or InputError naming the first bad row and field."""
    text = _decode(data)
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, None)
        if not header:
            raise InputError("register.empty")
        where = _locate(header)
        rows: dict[str, CountyRow] = {}
        for line, cells in enumerate(reader, start=2):
            if not any(c.strip() for c in cells):
                continue
            row = _row(line, cells, where)
            if row.code in rows:
                raise InputError("register.duplicate", line=line, code=row.code)
            rows[row.code] = row
    except csv.Error as err:
        raise InputError("register.unreadable", line=reader.line_num, detail=str(err)) from None
    if not rows:
        raise InputError("register.empty")
    return list(rows.values())


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InputError("register.encoding")


def _norm(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip()


def _locate(header: list[str]) -> dict[str, int]:
    found = {_norm(h).lower(): i for i, h in enumerate(header)}
    where: dict[str, int] = {}
    for key, names in _HEADERS.items():
        for name in names:
            if name in found:
                where[key] = found[name]
                break
        else:
            if key != "prefecture":
                raise InputError("register.missing_column", column=key)
    return where


def _row(line: int, cells: list[str], where: dict[str, int]) -> CountyRow:
    def cell(key: str) -> str:
        i = where.get(key)
        return _norm(cells[i]) if i is not None and i < len(cells) else ""

    code = cell("code").removesuffix(".0")
    if not valid_code(code):
        raise InputError("register.bad_code", line=line, code=code)
    for key, limit, required in (
        ("name", 80, True),
        ("province", 40, True),
        ("prefecture", 80, False),
    ):
        value = cell(key)
        if (required and not value) or len(value) > limit or _CONTROL.search(value):
            raise InputError("register.bad_field", line=line, column=key)
    category = _CATEGORIES.get(cell("category").lower())
    if category is None:
        raise InputError("register.bad_category", line=line, value=cell("category"))
    return CountyRow(code, cell("name"), cell("province"), cell("prefecture") or None, category)
