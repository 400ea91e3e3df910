"""The empty application sheet a county league fills in: headers, formats, drop-downs.

``write_template`` writes it as CSV (headers only) or as an Excel workbook that keeps
an 18-digit ID number as text and offers each fixed choice as a drop-down list.
"""

from __future__ import annotations

import csv
import unicodedata
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from fundcore.intake.columns import APPLICATION_COLUMNS, Column

if TYPE_CHECKING:  # openpyxl is imported only when a workbook is written
    from openpyxl.worksheet.datavalidation import DataValidation
    from openpyxl.worksheet.worksheet import Worksheet

_TEMPLATE_ROWS = 1000
"""Rows of a template given text format and drop-down lists (data rows 2 to 1001)."""
_WIDTHS = {
    "id_number": 22,
    "employed_poor_ids": 44,
    "project_name": 28,
    "project_type": 22,
    "industry": 24,
    "bank": 20,
}


def write_template(
    path: Path, lang: str = "zh", columns: Sequence[Column] = APPLICATION_COLUMNS
) -> None:
    """Write an empty application sheet with headers in ``lang`` ('zh' or 'en').

    ``.csv``: the header row only, UTF-8 with a BOM, because Chinese Excel reads a CSV
    without one as GBK and shows the headers garbled. ``.xlsx``: bold frozen headers,
    columns wide enough to read, long-digit columns pre-formatted as text so Excel keeps
    all 18 digits of an ID number, a drop-down list on every column with fixed choices,
    and a second sheet (说明/Notes) listing each column, whether it is required and its
    allowed values. Raises ``ValueError`` for another language or file type (a caller's
    mistake, not the user's).
    """
    if lang not in ("zh", "en"):
        raise ValueError(f"unsupported language: {lang!r}")
    path = Path(path)
    headers = [column.zh if lang == "zh" else column.en for column in columns]
    suffix = path.suffix.lower()
    if suffix == ".csv":
        with path.open("w", encoding="utf-8-sig", newline="") as handle:
            csv.writer(handle).writerow(headers)
    elif suffix == ".xlsx":
        _write_xlsx_template(path, lang, columns, headers)
    else:
        raise ValueError(f"templates are .csv or .xlsx, not {path.suffix!r}")


def _write_xlsx_template(
    path: Path, lang: str, columns: Sequence[Column], headers: list[str]
) -> None:
    """The workbook behind ``write_template``: the form sheet, then the notes sheet."""
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

    zh = lang == "zh"
    book = Workbook()
    sheet = book.active
    assert isinstance(sheet, Worksheet)  # a new workbook's one sheet is a worksheet
    sheet.title = "申请表" if zh else "Applications"
    sheet.append(headers)
    sheet.freeze_panes = "A2"
    for index, (column, header) in enumerate(zip(columns, headers, strict=True), start=1):
        _form_column(sheet, index, column, header, zh)
    _notes_sheet(book.create_sheet("说明" if zh else "Notes"), columns, zh)
    book.save(path)


def _form_column(sheet: Worksheet, index: int, column: Column, header: str, zh: bool) -> None:
    """One column of the form: bold header, a readable width, text format, drop-down."""
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    letter = get_column_letter(index)
    last = _TEMPLATE_ROWS + 1
    sheet.cell(row=1, column=index).font = Font(bold=True)
    width = max(_WIDTHS.get(column.key, 12), _display_width(header) + 4)
    sheet.column_dimensions[letter].width = width
    if column.text:
        for row in range(2, last + 1):
            sheet.cell(row=row, column=index).number_format = "@"
    if column.choices_zh:
        validation = _choice_list(column, zh)
        validation.add(f"{letter}2:{letter}{last}")
        sheet.add_data_validation(validation)


def _choice_list(column: Column, zh: bool) -> DataValidation:
    """The drop-down list of a column with fixed choices, refusing anything else."""
    from openpyxl.worksheet.datavalidation import DataValidation

    formula = '"' + ",".join(column.choices_zh) + '"'
    if len(formula) > 255:  # Excel's limit for an inline list
        raise ValueError(f"choices of {column.key} are too long for a drop-down list")
    return DataValidation(
        type="list",
        formula1=formula,
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="无效的值" if zh else "Invalid value",
        error=("请从下拉列表中选择：" if zh else "Choose from the list: ")
        + " / ".join(column.choices_zh),
    )


def _notes_sheet(notes: Worksheet, columns: Sequence[Column], zh: bool) -> None:
    """The 说明/Notes sheet: each column, whether it is required, what it allows."""
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    if zh:
        notes.append(["列名", "英文列名", "是否必填", "可选值", "说明"])
    else:
        notes.append(["Column", "Chinese header", "Required", "Allowed values", "Notes"])
    for column in columns:
        notes.append(_note(column, zh))
    for index, width in enumerate((24, 24, 10, 60, 36), start=1):
        notes.column_dimensions[get_column_letter(index)].width = width
        notes.cell(row=1, column=index).font = Font(bold=True)
    for row in notes.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")


_TEXT_REMARK_EN = "text: do not let Excel make it a number"


def _note(column: Column, zh: bool) -> list[str]:
    """A column's row of the notes sheet, in the template's language."""
    required = ("是" if zh else "yes") if column.required else ("否" if zh else "no")
    remark = ""
    if column.text:
        remark = "文本格式，勿让 Excel 转成数字" if zh else _TEXT_REMARK_EN
    return [
        column.zh if zh else column.en,
        column.en if zh else column.zh,
        required,
        " / ".join(column.choices_zh),
        remark,
    ]


def _display_width(text: str) -> int:
    """Width in Excel character units: a CJK (wide) character takes two."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)
