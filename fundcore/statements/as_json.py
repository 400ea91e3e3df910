"""A statement as data (``fund statement … --format json``): every figure the PDF prints.

The document is the statement model itself, field by field (``dataclasses.asdict``), with
dates as ISO text; the three official statements are keyed by their form (``会民非01表``,
``会民非02表``, ``会民非03表``), each a list of its lines with the line number (行次), the
item and one ``*_fen`` figure per column, so a script checks a line without parsing a
PDF. Amounts are integer fen, ratios integer basis points, as everywhere in the model.
Keys come out in a fixed order, so the same statement gives the same bytes.
"""

from __future__ import annotations

import dataclasses
import json
from datetime import date
from typing import Any

from fundcore.statements.model import (
    ArchiveStatement,
    CountyStatement,
    FacilityStatement,
    FundStatement,
    OfficialForm,
)

FORMAT = "fundcore.statement/1"


def plain(value: Any) -> Any:
    """Dates as ISO text, tuples as lists: a JSON value."""
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    return value


def form(f: OfficialForm) -> dict[str, Any]:
    """One official form: its names, the standard, its columns and every line."""
    lines = []
    for r in f.rows:
        line: dict[str, Any] = {
            "line": r.line or None,
            "item": r.name_zh,
            "item_en": r.name_en,
            "role": r.role,
        }
        line.update({c.key: v for c, v in zip(f.columns, r.values_fen, strict=False)})
        lines.append(line)
    return {
        "form": f.code,
        "form_en": f.code_en,
        "name": f.name_zh,
        "name_en": f.name_en,
        "standard": f.standard_zh,
        "standard_en": f.standard_en,
        "columns": [dataclasses.asdict(c) for c in f.columns],
        "lines": lines,
    }


def document(
    stmt: FundStatement | CountyStatement | FacilityStatement | ArchiveStatement, kind: str
) -> dict[str, Any]:
    """The statement as one JSON object: ``format``, ``statement``, then its fields."""
    out: dict[str, Any] = {"format": FORMAT, "statement": kind}
    for name, value in dataclasses.asdict(stmt).items():
        if name != "official":
            out[name] = plain(value)
    official = getattr(stmt, "official", None)
    if official is not None:
        out["official_standard"] = {
            "code": official.standard_code,
            "name": official.standard_zh,
            "name_en": official.standard_en,
        }
        for f in (official.balance_sheet, official.activities, official.cash_flows):
            out[f.code] = form(f)
        out["charity_ratios"] = plain(dataclasses.asdict(official.charity))
    return out


def dumps(doc: dict[str, Any]) -> str:
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
