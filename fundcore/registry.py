"""The county register: the 865 counties whose youth the programme serves.

Imported from the official list (CSV: code, name, province, category; prefecture
optional). Keyed by the 6-digit division code: re-importing updates names and never
duplicates. The whole file is checked before anything is written.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Connection, insert, select, update

from fundcore import audit
from fundcore.errors import InputError
from fundcore.models import County
from fundcore.operators import authorise

_counties = County.__table__
_CODE = re.compile(r"^\d{6}$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
PROVINCE_PREFIXES = frozenset(
    {
        "11",
        "12",
        "13",
        "14",
        "15",
        "21",
        "22",
        "23",
        "31",
        "32",
        "33",
        "34",
        "35",
        "36",
        "37",
        "41",
        "42",
        "43",
        "44",
        "45",
        "46",
        "50",
        "51",
        "52",
        "53",
        "54",
        "61",
        "62",
        "63",
        "64",
        "65",
    }
)
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
SAMPLE_REGISTER = Path(__file__).with_name("data") / "counties-sample.csv"


@dataclass(frozen=True, slots=True)
class CountyRow:
    code: str
    name: str
    province: str
    prefecture: str | None
    category: str


@dataclass(frozen=True, slots=True)
class RegisterImport:
    added: int
    updated: int
    unchanged: int


def valid_code(code: str) -> bool:
    """A county-level division code: six digits, a province prefix, not a prefecture's."""
    return bool(_CODE.match(code)) and code[:2] in PROVINCE_PREFIXES and code[4:] != "00"


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


def import_register(
    conn: Connection, operator: str | None, rows: list[CountyRow], source: str
) -> RegisterImport:
    """Add new counties and update changed ones, in one transaction (admin)."""
    actor = authorise(conn, operator, "counties.import")
    existing = {r.code: r for r in conn.execute(select(_counties)).all()}
    new = [r for r in rows if r.code not in existing]
    changed = [r for r in rows if r.code in existing and _differs(existing[r.code], r)]
    if new:
        conn.execute(insert(_counties), [as_dict(r) for r in new])
    for r in changed:
        conn.execute(update(_counties).where(_counties.c.code == r.code).values(as_dict(r)))
    result = RegisterImport(len(new), len(changed), len(rows) - len(new) - len(changed))
    audit.record(
        conn,
        actor.name,
        "counties.import",
        object_type="register",
        object_id=source,
        added=result.added,
        updated=result.updated,
        unchanged=result.unchanged,
    )
    return result


def as_dict(r: CountyRow) -> dict[str, str | None]:
    return {
        "code": r.code,
        "name": r.name,
        "province": r.province,
        "prefecture": r.prefecture,
        "category": r.category,
    }


def _differs(old: object, new: CountyRow) -> bool:
    return any(getattr(old, k) != v for k, v in as_dict(new).items())


def list_counties(conn: Connection, province: str | None = None) -> list[CountyRow]:
    stmt = select(_counties).order_by(_counties.c.code)
    if province:
        stmt = stmt.where(_counties.c.province == province)
    return [
        CountyRow(r.code, r.name, r.province, r.prefecture, r.category) for r in conn.execute(stmt)
    ]


def known_codes(conn: Connection, among: Iterable[str] | None = None) -> set[str]:
    """The register's county codes; only those ``among`` the codes given, if given (a
    sheet names one county: no need to read all 865)."""
    stmt = select(_counties.c.code)
    if among is None:
        return set(conn.scalars(stmt))
    wanted = sorted(set(among))
    return {
        c
        for i in range(0, len(wanted), 500)
        for c in conn.scalars(stmt.where(_counties.c.code.in_(wanted[i : i + 500])))
    }
