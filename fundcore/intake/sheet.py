"""Application sheets: the spreadsheets county youth leagues send in, read into clean rows.

The files come from county offices: Excel or WPS workbooks, CSVs saved by Chinese Excel in
GB18030, headers in Chinese or English, full-width digits typed with a Chinese input method,
ID numbers Excel has turned into floats, trailing rows that only look empty, a title row
above the headers. This module turns such a file into text cells keyed by column and says
which line each came from; whether a cell is a valid ID number or amount is the importer's
judgement, not this module's. It refuses only files it cannot read at all, and always with
an ``InputError`` whose code is in ``MESSAGES``: a bad file is the user's to fix, never a
crash.

How a cell's text is cleaned is ``intake.cells``; the columns are ``intake.columns``;
the empty sheet to fill in is ``intake.template``. Their public names are importable
from here too, where the callers of one "sheet" module have always found them.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import itertools
import re
import warnings
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from fundcore import messages
from fundcore.domain.errors import InputError
from fundcore.intake.cells import MAX_CELL, clean, excel_text, header_key, neutralise_formula
from fundcore.intake.columns import APPLICATION_COLUMNS, Column
from fundcore.intake.template import write_template

__all__ = [
    "APPLICATION_COLUMNS",
    "MAX_BYTES",
    "MAX_CELL",
    "MAX_ROWS",
    "MESSAGES",
    "Column",
    "Sheet",
    "SheetRow",
    "neutralise_formula",
    "read_sheet",
    "write_template",
]

MESSAGES: dict[str, tuple[str, str]] = {
    "sheet.unreadable": (
        "无法读取文件 {file}：{detail}",
        "cannot read the file {file}: {detail}",
    ),
    "sheet.xls_unsupported": (
        "不支持旧版 Excel 97-2003 格式（.xls）：{file}。请在 Excel 或 WPS 中“另存为” "
        "Excel 工作簿（.xlsx）或 CSV 后再导入",
        "old Excel 97-2003 files (.xls) are not supported: {file}. Open it in Excel or WPS "
        "and save it as an Excel workbook (.xlsx) or as CSV, then import that",
    ),
    "sheet.unknown_format": (
        "不支持的文件类型“{suffix}”：{file}。请使用 Excel 工作簿（.xlsx）或 CSV（.csv）",
        "unsupported file type '{suffix}': {file}. Use an Excel workbook (.xlsx) or CSV (.csv)",
    ),
    "sheet.too_large": (
        "文件超过 {limit_mb} MB 上限：{file}。请分成几个文件导入",
        "the file is larger than the {limit_mb} MB limit: {file}. Split it into several files",
    ),
    "sheet.too_many_rows": (
        "数据超过 {limit} 行上限：{file}。请分成几个文件导入",
        "more than {limit} data rows: {file}. Split it into several files",
    ),
    "sheet.empty": (
        "文件中没有数据行（第一行应为表头，其后每行一份申请）：{file}",
        "the file has no data rows (headers in the first row, then one application a row): {file}",
    ),
    "sheet.encoding": (
        "无法识别文件的字符编码（第 {line} 行附近有无法识别的字符）：{file}。"
        "请用 Excel 另存为“CSV UTF-8”或 .xlsx 后再导入",
        "cannot tell the file's character encoding (unreadable characters near line {line}): "
        "{file}. Save it from Excel as 'CSV UTF-8' or as .xlsx and import that",
    ),
    "sheet.corrupt": (
        "文件已损坏或格式不正确，无法读取：{file}。请在 Excel 或 WPS 中打开确认后重新保存",
        "the file is damaged or not in the format its name says: {file}. Open it in Excel "
        "or WPS, check it and save it again",
    ),
    "sheet.missing_column": (
        "缺少必填列：{zh}（英文表头：{en}）",
        "missing required column: {en} (Chinese header: {zh})",
    ),
    "sheet.duplicate_column": (
        "列“{zh}”（{en}）出现了两次：{first} 列“{first_header}”和 {second} 列"
        "“{second_header}”。请删除其中一列",
        "column {en} ({zh}) appears twice: column {first} '{first_header}' and column "
        "{second} '{second_header}'. Delete one of them",
    ),
}

MAX_BYTES = 20 * 1024 * 1024
"""Largest file read: far above 20,000 applications, small enough to hold in memory."""
MAX_ROWS = 20_000
"""Most data rows in one file: more than any county sends at once; more is a mistake."""
_HEADER_SEARCH = 10


@dataclass(frozen=True)
class SheetRow:
    """One data row: ``line`` is the row number Excel shows (the header row is line 1)."""

    line: int
    values: dict[str, str]


@dataclass(frozen=True)
class Sheet:
    """The rows of a file, the headers as the user wrote them, and what was read.

    ``headers`` maps each key found to its header text so that messages can name a
    column the way the user's file does; a key missing from it was not in the file
    (its values are ''). ``encoding`` is the text encoding of a CSV, or ``'xlsx'``;
    ``source_sha256`` identifies the exact bytes imported, for the audit trail.
    """

    rows: list[SheetRow]
    headers: dict[str, str]
    encoding: str
    source_sha256: str


# --- reading ------------------------------------------------------------------------

_CSV_SUFFIXES = (".csv", ".txt")
_XLSX_SUFFIXES = (".xlsx", ".xlsm")
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Excel 97-2003, often renamed to .xlsx


def read_sheet(path: Path, columns: Sequence[Column] = APPLICATION_COLUMNS) -> Sheet:
    """Read an application sheet (``.csv``/``.txt`` or ``.xlsx``) into clean rows.

    The format follows the extension, except that the content wins when it is
    unmistakable: an old ``.xls`` renamed to ``.xlsx`` is refused as ``.xls``, and an
    xlsx saved under ``.csv`` is read as the workbook it is. The header row is the first
    non-empty row, or the first of the next few that names a known column (a title row
    above the headers is common). Rows whose known columns are all empty are skipped
    but keep every later row's true line number.

    Raises ``InputError`` only, with a ``sheet.*`` code from ``MESSAGES``.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".xls":
        raise InputError("sheet.xls_unsupported", file=path.name)
    if suffix not in _CSV_SUFFIXES + _XLSX_SUFFIXES:
        raise InputError("sheet.unknown_format", file=path.name, suffix=path.suffix)
    data = _read_bytes(path)
    digest = hashlib.sha256(data).hexdigest()
    if data.startswith(_OLE_MAGIC):
        raise InputError("sheet.xls_unsupported", file=path.name)
    if not data:
        raise InputError("sheet.empty", file=path.name)
    if suffix in _XLSX_SUFFIXES or data.startswith(_ZIP_MAGIC):
        encoding = "xlsx"
        rows, finish = _xlsx_rows(data, path.name)
    else:
        text, encoding = _decode(data, path.name)
        rows, finish = _csv_rows(text, path.name), _nothing
    try:
        headers, result = _collect(rows, columns, path.name)
    finally:
        finish()
    return Sheet(rows=result, headers=headers, encoding=encoding, source_sha256=digest)


def _nothing() -> None:
    """Nothing to release: CSV rows come from text already in memory."""


def _read_bytes(path: Path) -> bytes:
    """The whole file, refused before reading when it is over ``MAX_BYTES``."""
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    except OSError as exc:
        raise InputError("sheet.unreadable", file=path.name, detail=exc.strerror or exc) from exc
    if len(data) > MAX_BYTES:
        raise InputError("sheet.too_large", file=path.name, limit_mb=MAX_BYTES // 2**20)
    return data


def _decode(data: bytes, name: str) -> tuple[str, str]:
    """Text and encoding name: UTF-16 if it has a BOM, else UTF-8 (±BOM), else GB18030.

    Chinese Excel saves "CSV" in the ANSI code page (GBK, which GB18030 extends) and
    "CSV UTF-8" with a BOM; "Unicode text" is UTF-16 with a BOM. UTF-8 is tried before
    GB18030 because valid UTF-8 Chinese is practically never also valid GB18030 text
    that means something, while the reverse order would misread UTF-8 files.
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        candidates: tuple[str, ...] = ("utf-16",)
    elif data.startswith(b"\xef\xbb\xbf"):
        candidates = ("utf-8-sig",)
    else:
        candidates = ("utf-8", "gb18030")
    furthest = 0
    for encoding in candidates:
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError as exc:
            furthest = max(furthest, exc.start)
    # The encoding that read furthest is most likely the file's: name the line it broke on.
    raise InputError("sheet.encoding", file=name, line=data[:furthest].count(b"\n") + 1)


def _sniff_delimiter(text: str) -> str:
    """The delimiter among ``,`` tab and ``;`` used most on the first lines; ``,`` on a tie.

    ``csv.Sniffer`` guesses from any punctuation and is thrown off by Chinese text; the
    three candidates are what Excel writes (``;`` in locales with a decimal comma, tab
    for "Unicode text"). Quoted text is left out of the count.
    """
    lines = [line for line in text[:65536].splitlines() if line.strip()][:5]
    sample = re.sub(r'"[^"]*"', "", "\n".join(lines))
    counts = {delimiter: sample.count(delimiter) for delimiter in (",", "\t", ";")}
    best = max(counts, key=lambda delimiter: counts[delimiter])
    return best if counts[best] > counts[","] else ","


def _csv_rows(text: str, name: str) -> Iterator[tuple[int, list[str]]]:
    """(line, raw cells) for each record; a quoted cell may span lines but is one row.

    Line numbers count records, as Excel numbers the rows of a CSV it opens.
    """
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_sniff_delimiter(text))
    line = 0
    try:
        for line, record in enumerate(reader, start=1):
            yield line, record
    except csv.Error as exc:  # a field over csv's size limit, a stray quote in strict mode
        raise InputError("sheet.corrupt", file=name, detail=f"line {line + 1}: {exc}") from exc


def _xlsx_rows(
    data: bytes, name: str
) -> tuple[Iterator[tuple[int, list[str]]], Callable[[], None]]:
    """(line, cell texts) of the first worksheet, and a function that closes the workbook.

    Read-only mode streams rows, so a large sheet does not load at once; ``data_only``
    gives a formula's cached value (the number the user saw), never the formula.
    Dimensions are reset because some programs write wrong ones, and read-only mode
    would otherwise cut rows and columns to them. Any failure inside openpyxl means
    the file is not a readable workbook: it becomes ``sheet.corrupt``.
    """
    from openpyxl import load_workbook

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # BadZipFile, KeyError, XML errors... all "not a workbook"
        raise InputError("sheet.corrupt", file=name, detail=repr(exc)) from exc

    def rows() -> Iterator[tuple[int, list[str]]]:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                if not book.worksheets:
                    return
                sheet = book.worksheets[0]
                sheet.reset_dimensions()
                for line, values in enumerate(sheet.iter_rows(values_only=True), start=1):
                    yield line, [excel_text(value) for value in values]
        except Exception as exc:  # a damaged part discovered only while streaming
            raise InputError("sheet.corrupt", file=name, detail=repr(exc)) from exc

    def finish() -> None:
        with contextlib.suppress(Exception):  # closing must not hide the real answer
            book.close()

    return rows(), finish


def _collect(
    rows: Iterable[tuple[int, list[str]]], columns: Sequence[Column], name: str
) -> tuple[dict[str, str], list[SheetRow]]:
    """Find the header row, map its cells to columns, then clean every data row."""
    lookup = _header_lookup(columns)
    iterator = iter(rows)
    skipped: list[tuple[int, list[str]]] = []
    found: tuple[int, list[str]] | None = None
    for line, cells in iterator:
        if not any(clean(cell) for cell in cells):
            continue
        if any(header_key(cell) in lookup for cell in cells):
            found = (line, cells)
            break
        skipped.append((line, cells))
        if len(skipped) >= _HEADER_SEARCH:
            break
    if found is None:  # no row names a column: the first non-empty row is the header
        if not skipped:
            raise InputError("sheet.empty", file=name)
        found, iterator = skipped[0], itertools.chain(skipped[1:], iterator)
    positions, headers = _map_headers(found[1], columns, lookup)
    nowhere = 1 << 30  # the position of a column the sheet lacks: past every row's end
    order = [(column.key, positions.get(column.key, nowhere)) for column in columns]
    result: list[SheetRow] = []
    for line, cells in iterator:
        width = len(cells)
        values = {key: clean(cells[at]) if at < width else "" for key, at in order}
        if not any(values.values()):
            continue
        if len(result) >= MAX_ROWS:
            raise InputError("sheet.too_many_rows", file=name, limit=MAX_ROWS)
        result.append(SheetRow(line=line, values=values))
    if not result:
        raise InputError("sheet.empty", file=name)
    return headers, result


def _header_lookup(columns: Sequence[Column]) -> dict[str, str]:
    """Normalised header spelling → key, for every name and alias of every column."""
    lookup: dict[str, str] = {}
    for column in columns:
        for spelling in (column.zh, column.en, *column.aliases):
            lookup.setdefault(header_key(spelling), column.key)
    return lookup


def _map_headers(
    cells: list[str], columns: Sequence[Column], lookup: dict[str, str]
) -> tuple[dict[str, int], dict[str, str]]:
    """Position and header text of each known column; refuse duplicates and missing ones."""
    by_key = {column.key: column for column in columns}
    positions: dict[str, int] = {}
    headers: dict[str, str] = {}
    for index, cell in enumerate(cells):
        key = lookup.get(header_key(cell))
        if key is None:
            continue
        header = clean(cell, fold=False)
        if key in positions:
            column = by_key[key]
            raise InputError(
                "sheet.duplicate_column",
                zh=column.zh,
                en=column.en,
                first=_column_letter(positions[key]),
                first_header=headers[key],
                second=_column_letter(index),
                second_header=header,
            )
        positions[key] = index
        headers[key] = header
    missing = [column for column in columns if column.required and column.key not in positions]
    if missing:
        raise InputError(
            "sheet.missing_column",
            zh="、".join(column.zh for column in missing),
            en=", ".join(column.en for column in missing),
            keys=[column.key for column in missing],
        )
    return positions, headers


def _column_letter(index: int) -> str:
    """Excel's letter for a 0-based column position (0 → A, 26 → AA)."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


messages.register(MESSAGES)
