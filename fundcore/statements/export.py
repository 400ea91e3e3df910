"""Statement tables as CSV or XLSX: the portfolio, provinces, counties and facilities.

The exports carry the figures the statement model holds, nothing recomputed: amounts in
yuan (exact ``Decimal`` in XLSX, ``12345.67`` text in CSV), ratios in percent with two
decimals, counts as integers, ``None`` as an empty cell. Every text cell passes
``fundcore.intake.sheet.neutralise_formula`` (CSV injection) and personal identifiers arrive
already masked. Output is deterministic: CSV is plain text, and the XLSX workbook gets
fixed document dates and fixed zip entry times, so the same statement gives the same
bytes.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from pathlib import Path

from fundcore.domain.money import format_plain
from fundcore.intake.sheet import neutralise_formula
from fundcore.messages import term
from fundcore.statements.model import FacilityRow, PortfolioRow, RegionRow

_FIXED_TIME = datetime(2000, 1, 1)
_ZIP_TIME = (2000, 1, 1, 0, 0, 0)
_MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")
AMOUNT, PERCENT, COUNT, TEXT = "amount", "percent", "count", "text"
#: what a table cell holds before it is written: fen, basis points, a count, text, or
#: nothing (an empty cell)
Value = int | str | None


@dataclass(frozen=True, slots=True)
class Table:
    name: str
    """File suffix / sheet key: 'portfolio', 'provinces', 'counties', 'facilities'."""
    title_zh: str
    title_en: str
    columns: tuple[tuple[str, str, str], ...]
    """(header zh, header en, kind) per column; kind is AMOUNT, PERCENT, COUNT or TEXT."""
    rows: tuple[tuple[Value, ...], ...]


def _label(code: str, lang: str) -> str:
    return ("合计" if lang == "zh" else "Total") if code == "total" else term(code, lang)


#: the portfolio table's columns: (header zh, header en, kind)
PORTFOLIO_COLUMNS = (
    ("业务品种", "Instrument", TEXT),
    ("获批笔数", "Approved (number)", COUNT),
    ("获批金额", "Approved (amount)", AMOUNT),
    ("放款（出保）笔数", "Disbursed / issued (number)", COUNT),
    ("放款（出保）金额", "Disbursed / issued (amount)", AMOUNT),
    ("在贷（在保）笔数", "Outstanding (number)", COUNT),
    ("在贷（在保）余额", "Outstanding balance", AMOUNT),
    ("逾期1-30天", "Overdue 1-30 days", AMOUNT),
    ("逾期31-90天", "Overdue 31-90 days", AMOUNT),
    ("逾期90天以上", "Overdue over 90 days", AMOUNT),
    ("PAR30(%)", "PAR30 (%)", PERCENT),
    ("PAR90(%)", "PAR90 (%)", PERCENT),
    ("违约笔数", "Defaults (number)", COUNT),
    ("代偿支出", "Claims paid", AMOUNT),
    ("代偿率(%)", "Claim rate (%)", PERCENT),
    ("追偿回收", "Recoveries", AMOUNT),
    ("核销", "Write-offs", AMOUNT),
)


def portfolio_table(rows: Sequence[PortfolioRow], grand: PortfolioRow, lang: str) -> Table:
    body = tuple(_portfolio_figures(r, lang) for r in (*rows, grand))
    return Table("portfolio", "业务组合", "Portfolio", PORTFOLIO_COLUMNS, body)


def _portfolio_figures(r: PortfolioRow, lang: str) -> tuple[Value, ...]:
    return (
        _label(r.instrument, lang),
        r.approved_count,
        r.approved_fen,
        r.disbursed_count,
        r.disbursed_fen,
        r.outstanding_count,
        r.outstanding_fen,
        r.overdue_1_30_fen,
        r.overdue_31_90_fen,
        r.overdue_over_90_fen,
        r.par30_bp,
        r.par90_bp,
        r.defaults_count,
        r.claims_paid_fen,
        r.claim_rate_bp,
        r.recoveries_fen,
        r.write_offs_fen,
    )


def region_table(rows: Sequence[RegionRow], grand: RegionRow, lang: str, *, county: bool) -> Table:
    names = (
        (("省份", "Province", TEXT), ("县代码", "County code", TEXT), ("县", "County", TEXT))
        if county
        else (("省份", "Province", TEXT), ("代码", "Code", TEXT))
    )
    columns = names + (
        ("获批笔数", "Approved", COUNT),
        ("放款笔数", "Disbursed", COUNT),
        ("放款金额", "Amount disbursed", AMOUNT),
        ("在贷（在保）余额", "Outstanding", AMOUNT),
        ("逾期金额", "Overdue", AMOUNT),
        ("逾期30天以上余额", "Balance >30 days overdue", AMOUNT),
        ("PAR30(%)", "PAR30 (%)", PERCENT),
        ("代偿支出", "Claims paid", AMOUNT),
        ("支持青年（人）", "Youth supported", COUNT),
    )

    def pick(zh: str, en: str) -> str:
        return zh if lang == "zh" or not en else en

    body: list[tuple[Value, ...]] = []
    for r in rows:
        name = pick(r.name_zh, r.name_en)
        body.append(
            ((pick(r.parent_zh, r.parent_en), r.code, name) if county else (name, r.code))
            + _region_figures(r)
        )
    total = "合计" if lang == "zh" else "Total"
    body.append(((total, "", "") if county else (total, "")) + _region_figures(grand))
    key = "counties" if county else "provinces"
    title = ("分县情况", "By county") if county else ("分省情况", "By province")
    return Table(key, *title, columns, tuple(body))


def _region_figures(r: RegionRow) -> tuple[Value, ...]:
    return (
        r.approved_count,
        r.disbursed_count,
        r.disbursed_fen,
        r.outstanding_fen,
        r.overdue_fen,
        r.at_risk_30_fen,
        r.par30_bp,
        r.claims_paid_fen,
        r.youth_supported_count,
    )


def facility_table(rows: Sequence[FacilityRow], lang: str) -> Table:
    columns = (
        ("编号", "Facility", TEXT),
        ("借款人", "Borrower", TEXT),
        ("业务品种", "Instrument", TEXT),
        ("状态", "Status", TEXT),
        ("本金", "Principal", AMOUNT),
        ("放款日", "Disbursed on", TEXT),
        ("余额", "Outstanding", AMOUNT),
        ("逾期金额", "Overdue", AMOUNT),
        ("逾期天数", "Days overdue", COUNT),
    )
    body = tuple(
        (
            r.facility_id,
            r.borrower_masked,
            term(r.instrument, lang),
            term(r.status, lang),
            r.principal_fen,
            r.disbursed_on.isoformat() if r.disbursed_on else None,
            r.outstanding_fen,
            r.overdue_fen,
            r.days_overdue,
        )
        for r in rows
    )
    return Table("facilities", "业务明细", "Facilities", columns, body)


# --- cells -------------------------------------------------------------------------------


def _cell(value: Value, kind: str) -> Decimal | int | str | None:
    """A cell as XLSX wants it: Decimal yuan or percent, int count, safe text, or None."""
    if value is None:
        return None
    if kind == AMOUNT:
        return Decimal(value).scaleb(-2)
    if kind == PERCENT:
        return Decimal(value).scaleb(-2)
    if kind == COUNT:
        return int(value)
    return neutralise_formula(str(value))


def _text(value: Value, kind: str) -> str:
    if value is None:
        return ""
    if kind in (AMOUNT, PERCENT):
        return format_plain(int(value))
    return str(_cell(value, kind))


def _headers(table: Table, lang: str) -> list[str]:
    return [zh if lang == "zh" else en for zh, en, _ in table.columns]


# --- files ---------------------------------------------------------------------------------


def write_csv(tables: Sequence[Table], out: Path, lang: str) -> list[Path]:
    """One UTF-8 (with BOM, for Excel) CSV per table: ``<stem>-<table>.csv`` beside ``out``."""
    written = []
    for table in tables:
        path = out.with_name(f"{out.stem}-{table.name}.csv")
        path.write_bytes(_csv_bytes(table, lang))
        written.append(path)
    return written


def _csv_bytes(table: Table, lang: str) -> bytes:
    """The table as CSV text, UTF-8 with a BOM (so Excel reads the Chinese right)."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(_headers(table, lang))
    kinds = [k for _, _, k in table.columns]
    for row in table.rows:
        writer.writerow([_text(v, k) for v, k in zip(row, kinds, strict=True)])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def write_xlsx(tables: Sequence[Table], out: Path, lang: str) -> list[Path]:
    """One workbook, a sheet per table, amounts formatted ``#,##0.00``."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    wb.remove(wb.worksheets[0])  # the empty sheet a new workbook starts with
    for table in tables:
        sheet = wb.create_sheet(table.title_zh if lang == "zh" else table.title_en)
        sheet.append(_headers(table, lang))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        kinds = [k for _, _, k in table.columns]
        for row in table.rows:
            sheet.append([_cell(v, k) for v, k in zip(row, kinds, strict=True)])
        for col, kind in enumerate(kinds, start=1):
            if kind in (AMOUNT, PERCENT):
                for (cell,) in sheet.iter_rows(min_row=2, min_col=col, max_col=col):
                    cell.number_format = "#,##0.00"
        sheet.freeze_panes = "A2"
    wb.properties.creator = "fundcore"
    wb.properties.created = _FIXED_TIME
    wb.properties.modified = _FIXED_TIME
    buf = io.BytesIO()
    wb.save(buf)
    out.write_bytes(_fixed_zip(buf.getvalue()))
    return [out]


def _fixed_zip(data: bytes) -> bytes:
    """The same zip with every entry dated 2000-01-01 and the document's "modified" date
    (which openpyxl sets to the wall clock when saving) fixed, so equal content is equal
    bytes."""
    src = zipfile.ZipFile(io.BytesIO(data))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = _MODIFIED.sub(rb"\g<1>2000-01-01T00:00:00Z\g<2>", content)
            fixed = zipfile.ZipInfo(info.filename, date_time=_ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            dst.writestr(fixed, content)
    return buf.getvalue()


def text_table(table: Table, lang: str) -> tuple[list[str], list[list[str]], set[int]]:
    """A table as plain text cells: (headers, rows, indices of right-aligned columns)."""
    kinds = [k for _, _, k in table.columns]
    rows = [[_text(v, k) for v, k in zip(row, kinds, strict=True)] for row in table.rows]
    right = {i for i, k in enumerate(kinds) if k != TEXT}
    return _headers(table, lang), rows, right


def json_table(table: Table, lang: str) -> dict[str, object]:
    """A table as JSON: named columns with their kind, rows as objects; amounts in fen
    (``*_fen`` keys beside the column's header), text as stored, nothing formatted."""
    keys = [_json_key(en, kind) for _, en, kind in table.columns]
    return {
        "table": table.name,
        "title": table.title_en if lang == "en" else table.title_zh,
        "columns": [
            {"key": key, "header": zh if lang == "zh" else en, "kind": kind}
            for key, (zh, en, kind) in zip(keys, table.columns, strict=True)
        ],
        "rows": [dict(zip(keys, row, strict=True)) for row in table.rows],
    }


def _json_key(header_en: str, kind: str) -> str:
    """``Opening debit`` -> ``opening_debit_fen``: snake case, with the unit of a figure."""
    name = re.sub(r"[^a-z0-9]+", "_", header_en.lower()).strip("_")
    return name + {AMOUNT: "_fen", PERCENT: "_bp"}.get(kind, "")


# --- daily ---
def write_table_csv(table: Table, out: Path, lang: str) -> list[Path]:
    """One table as ``out`` itself (UTF-8 with BOM, for Excel): a list's export."""
    out.write_bytes(_csv_bytes(table, lang))
    return [out]
