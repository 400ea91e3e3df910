"""fundcore.intake.sheet: sheets read the same whatever Excel, WPS or a county did to them.

Every file here is generated in ``tmp_path``: CSVs in the encodings Chinese Excel writes, and
workbooks written with openpyxl, some patched afterwards to hold what openpyxl cannot write
itself (exact 18-digit integers, formulas with a cached value), as other programs do.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fundcore.domain.errors import InputError
from fundcore.intake import sheet as sheet_module
from fundcore.intake.sheet import (
    APPLICATION_COLUMNS,
    MAX_CELL,
    MESSAGES,
    Column,
    Sheet,
    neutralise_formula,
    read_sheet,
    write_template,
)

ZH = [column.zh for column in APPLICATION_COLUMNS]
EN = [column.en for column in APPLICATION_COLUMNS]
KEYS = [column.key for column in APPLICATION_COLUMNS]
ID_1 = "410881199001011234"
ID_2 = "11010519491231002X"
ROW_1 = [
    "HN-001",
    "张三",
    ID_1,
    "13812345678",
    "410881",
    "是",
    "张三家庭农场",
    "家庭农场",
    "设施农业",
    "担保贷款",
    "50000",
    "12",
    "中国农业银行",
    "反担保",
    f"{ID_2};{ID_1}",
    "410881-0012",
    "91350100M000100Y43",
]
ROW_2 = [
    "HN-002",
    "李四",
    ID_2,
    "13900001111",
    "410881",
    "否",
    "乡村车间",
    "",
    "",
    "小额资助",
    "2.5万",
    "",
    "",
    "",
    "",
    "",
    "",
]
EXPECTED = [dict(zip(KEYS, ROW_1, strict=True)), dict(zip(KEYS, ROW_2, strict=True))]
HYPOTHESIS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def write_csv(path: Path, rows: list[list[str]], encoding: str = "utf-8", delimiter=",") -> Path:
    buffer = io.StringIO(newline="")
    csv.writer(buffer, delimiter=delimiter).writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def write_xlsx(path: Path, rows: list[list[object]]) -> Path:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    book.save(path)
    return path


def patch_sheet_xml(path: Path, pattern: str, replacement: str) -> None:
    """Rewrite the first worksheet's XML, as a program other than openpyxl would write it."""
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    xml = parts["xl/worksheets/sheet1.xml"].decode()
    patched, count = re.subn(pattern, replacement, xml)
    assert count == 1, (pattern, xml)
    parts["xl/worksheets/sheet1.xml"] = patched.encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)


def values(sheet: Sheet) -> list[dict[str, str]]:
    return [row.values for row in sheet.rows]


def refused(path: Path, code: str, **kwargs: object) -> InputError:
    """The InputError read_sheet raises, checked to be ``code`` and to render in both languages."""
    with pytest.raises(InputError) as caught:
        read_sheet(path, **kwargs)
    error = caught.value
    assert error.code == code
    zh, en = MESSAGES[code]
    assert "{" not in zh.format(**error.params) and "{" not in en.format(**error.params)
    return error


# --- same rows from every kind of file ----------------------------------------------


@pytest.mark.parametrize(
    ("encoding", "recorded"),
    [
        ("utf-8", "utf-8"),
        ("utf-8-sig", "utf-8-sig"),
        ("gb18030", "gb18030"),
        ("gbk", "gb18030"),
        ("utf-16", "utf-16"),
    ],
)
def test_csv_in_each_encoding_gives_the_same_rows(
    tmp_path: Path, encoding: str, recorded: str
) -> None:
    path = write_csv(tmp_path / "apps.csv", [ZH, ROW_1, ROW_2], encoding)
    sheet = read_sheet(path)
    assert values(sheet) == EXPECTED
    assert [row.line for row in sheet.rows] == [2, 3]
    assert sheet.encoding == recorded
    assert sheet.headers == dict(zip(KEYS, ZH, strict=True))
    assert len(sheet.source_sha256) == 64


def test_xlsx_gives_the_same_rows_as_csv(tmp_path: Path) -> None:
    numeric_1 = [*ROW_1]
    numeric_1[3] = 13812345678  # phone typed as a number
    numeric_1[4] = 410881  # county code typed as a number
    numeric_1[10] = 50000.0  # amount as Excel stores it
    numeric_1[11] = 12
    numeric_2 = [*ROW_2]
    numeric_2[2] = 110105194912310020  # placeholder, patched below to the exact integer
    numeric_2[10] = "=25000*2"  # formula, given a cached value below
    numeric_2[11] = "=1+1"  # formula never calculated: no cached value
    path = write_xlsx(tmp_path / "apps.xlsx", [ZH, numeric_1, numeric_2])
    # openpyxl writes numbers with 16 digits; other programs write an int exactly.
    patch_sheet_xml(path, r'(<c r="C3"[^>]*>)<v>[^<]*</v>', r"\1<v>410881199001011234</v>")
    patch_sheet_xml(path, r"<f>25000\*2</f><v\s*/?>(?:</v>)?", "<f>25000*2</f><v>50000</v>")

    sheet = read_sheet(path)

    expected_2 = {**EXPECTED[1], "id_number": ID_1, "amount": "50000"}
    assert values(sheet) == [EXPECTED[0], expected_2]
    assert [row.line for row in sheet.rows] == [2, 3]
    assert sheet.encoding == "xlsx"

    csv_rows = [ROW_1, [*ROW_2[:2], ID_1, *ROW_2[3:10], "50000", *ROW_2[11:]]]
    from_csv = read_sheet(write_csv(tmp_path / "apps.csv", [ZH, *csv_rows], "gbk"))
    assert values(from_csv) == values(sheet)


def test_xlsx_id_stored_as_float_keeps_what_excel_showed(tmp_path: Path) -> None:
    """18 digits do not fit in a double: the cell keeps Excel's text for validation to refuse."""
    row: list[object] = [*ROW_1]
    row[2] = 4.10881199001011e17  # as saved by Excel after someone typed the ID as a number
    row[14] = 410881199001011234  # openpyxl itself writes this with 16 significant digits
    path = write_xlsx(tmp_path / "apps.xlsx", [ZH, row])
    got = read_sheet(path).rows[0].values
    assert got["id_number"] == "4.10881199001011E+17"
    assert got["employed_poor_ids"] == "4.10881199001011E+17"


def test_xlsx_cell_types(tmp_path: Path) -> None:
    row: list[object] = [*ROW_1]
    row[6] = datetime(2024, 3, 5)
    row[7] = date(2024, 3, 6)
    row[8] = datetime(2024, 3, 5, 14, 30)
    row[10] = 2500.5
    row[11] = 0.1 + 0.2  # Excel shows 15 significant digits: 0.3
    row[12] = True
    path = write_xlsx(tmp_path / "apps.xlsx", [ZH, row])
    got = read_sheet(path).rows[0].values
    assert got["project_name"] == "2024-03-05"
    assert got["project_type"] == "2024-03-06"
    assert got["industry"] == "2024-03-05T14:30:00"
    assert got["amount"] == "2500.5"
    assert got["term_months"] == "0.3"
    assert got["bank"] == "TRUE"


def test_english_headers(tmp_path: Path) -> None:
    sheet = read_sheet(write_csv(tmp_path / "apps.csv", [EN, ROW_1, ROW_2]))
    assert values(sheet) == EXPECTED
    assert sheet.headers["id_number"] == "id_number"


def test_header_spellings(tmp_path: Path) -> None:
    headers = [*EN]
    headers[0] = " REF "
    headers[1] = "*姓名"  # a county's own template marking required columns
    headers[2] = "ID Number"
    headers[3] = "手 机 号"
    headers[4] = "ｃｏｕｎｔｙ＿ｃｏｄｅ"
    headers[11] = "期限（月）"
    headers.append("备注")  # unknown columns are ignored
    rows = [headers, [*ROW_1, "请尽快审批"]]
    sheet = read_sheet(write_csv(tmp_path / "apps.csv", rows))
    assert values(sheet) == EXPECTED[:1]
    assert sheet.headers["ref"] == "REF"
    assert sheet.headers["term_months"] == "期限（月）"
    assert "备注" not in sheet.headers.values()


@pytest.mark.parametrize("header", ["期限(月)", "期限（月）", "期限", "term_months", "Term Months"])
def test_term_header_spellings(tmp_path: Path, header: str) -> None:
    headers = [*ZH]
    headers[11] = header
    sheet = read_sheet(write_csv(tmp_path / "apps.csv", [headers, ROW_1]))
    assert sheet.rows[0].values["term_months"] == "12"
    assert sheet.headers["term_months"] == header


def test_missing_optional_columns_read_as_empty(tmp_path: Path) -> None:
    required = [c for c in APPLICATION_COLUMNS if c.required]
    rows = [[c.zh for c in required], [ROW_1[KEYS.index(c.key)] for c in required]]
    sheet = read_sheet(write_csv(tmp_path / "apps.csv", rows))
    assert set(sheet.headers) == {c.key for c in required}
    assert sheet.rows[0].values["bank"] == ""
    assert set(sheet.rows[0].values) == set(KEYS)


@pytest.mark.parametrize("delimiter", ["\t", ";"])
def test_delimiter_is_sniffed(tmp_path: Path, delimiter: str) -> None:
    path = write_csv(tmp_path / "apps.txt", [ZH, ROW_1, ROW_2], delimiter=delimiter)
    assert values(read_sheet(path)) == EXPECTED


# --- cleaning -----------------------------------------------------------------------


def test_full_width_and_odd_spaces_are_normalised(tmp_path: Path) -> None:
    row = [
        "ＨＮ－００１",
        "\u3000张三\u3000",
        "４１０８８１\u200b１９９００１０１１２３４",
        "\ufeff138 1234 5678",
        "410881\u00a0",
        " 是 ",
        "张三\u3000\u3000家庭\n农场",
        "家庭农场",
        "设施农业",
        "担保贷款",
        "５００００",
        "１２",
        "中国农业银行",
        "反担保",
        f"{ID_2}；{ID_1}",
    ]
    got = read_sheet(write_csv(tmp_path / "apps.csv", [ZH, row])).rows[0].values
    assert got["ref"] == "HN-001"
    assert got["name"] == "张三"
    assert got["id_number"] == ID_1
    assert got["phone"] == "138 1234 5678"
    assert got["county_code"] == "410881"
    assert got["project_name"] == "张三 家庭 农场"
    assert got["amount"] == "50000"
    assert got["employed_poor_ids"] == f"{ID_2};{ID_1}"


def test_compatibility_characters_that_change_meaning_are_kept(tmp_path: Path) -> None:
    """NFKC would read 5² as 52 and ① as 1; validation must see them and refuse."""
    row = [*ROW_1]
    row[10] = "5²万"
    row[11] = "①"
    got = read_sheet(write_csv(tmp_path / "apps.csv", [ZH, row])).rows[0].values
    assert got["amount"] == "5²万"
    assert got["term_months"] == "①"


def test_long_cell_is_cut_not_refused(tmp_path: Path) -> None:
    row = [*ROW_1]
    row[6] = "长" * (MAX_CELL + 500)
    got = read_sheet(write_csv(tmp_path / "apps.csv", [ZH, row])).rows[0].values
    assert got["project_name"] == "长" * MAX_CELL


def test_empty_rows_are_skipped_with_true_line_numbers(tmp_path: Path) -> None:
    blank = [""] * len(ZH)
    rows = [[], ZH, ROW_1, blank, [" ", "\u3000"], ROW_2, blank, blank, [], blank]
    sheet = read_sheet(write_csv(tmp_path / "apps.csv", rows))
    assert values(sheet) == EXPECTED
    assert [row.line for row in sheet.rows] == [3, 6]

    book = openpyxl.Workbook()
    sheet_xlsx = book.active
    for column, header in enumerate(ZH, start=1):
        sheet_xlsx.cell(row=2, column=column, value=header)
    for column, text in enumerate(ROW_1, start=1):
        sheet_xlsx.cell(row=3, column=column, value=text)
    for column, text in enumerate(ROW_2, start=1):
        sheet_xlsx.cell(row=7, column=column, value=text or None)
    sheet_xlsx.cell(row=5, column=1, value="   ")
    sheet_xlsx.cell(row=40, column=2).number_format = "@"  # formatted but empty
    book.save(tmp_path / "apps.xlsx")
    sheet = read_sheet(tmp_path / "apps.xlsx")
    assert values(sheet) == EXPECTED
    assert [row.line for row in sheet.rows] == [3, 7]


def test_row_with_only_unknown_columns_is_skipped(tmp_path: Path) -> None:
    rows = [[*ZH, "备注"], ROW_1, [*[""] * len(ZH), "以下为补报"], ROW_2]
    sheet = read_sheet(write_csv(tmp_path / "apps.csv", rows))
    assert [row.line for row in sheet.rows] == [2, 4]


def test_title_row_above_headers(tmp_path: Path) -> None:
    rows = [
        ["某县青年创业项目申请汇总表"],
        ["填报单位：某县团委", "", "日期：2024-03-01"],
        ZH,
        ROW_1,
    ]
    sheet = read_sheet(write_csv(tmp_path / "apps.csv", rows))
    assert values(sheet) == EXPECTED[:1]
    assert sheet.rows[0].line == 4


def test_quoted_line_break_stays_in_one_row(tmp_path: Path) -> None:
    row = [*ROW_1]
    row[6] = "张三\n家庭农场"
    sheet = read_sheet(write_csv(tmp_path / "apps.csv", [ZH, row, ROW_2]))
    assert sheet.rows[0].values["project_name"] == "张三 家庭农场"
    assert [r.line for r in sheet.rows] == [2, 3]  # rows as Excel numbers them


def test_custom_columns(tmp_path: Path) -> None:
    columns = (Column("a", "甲", "alpha", True), Column("b", "乙", "beta", False))
    sheet = read_sheet(write_csv(tmp_path / "x.csv", [["beta", "甲"], ["2", "1"]]), columns)
    assert values(sheet) == [{"a": "1", "b": "2"}]


# --- refusals -----------------------------------------------------------------------


def test_missing_required_column(tmp_path: Path) -> None:
    headers = [h for h in ZH if h not in ("身份证号", "金额")]
    error = refused(write_csv(tmp_path / "apps.csv", [headers, ROW_1]), "sheet.missing_column")
    assert "身份证号" in error.params["zh"] and "金额" in error.params["zh"]
    assert "id_number" in error.params["en"] and "amount" in error.params["en"]


def test_headers_not_found_at_all(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "apps.csv", [["a", "b"], ["1", "2"]])
    refused(path, "sheet.missing_column")


def test_duplicate_column(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "apps.csv", [[*ZH, "Name"], [*ROW_1, "张三"]])
    error = refused(path, "sheet.duplicate_column")
    assert error.params["zh"] == "姓名"
    assert (error.params["first"], error.params["second"]) == ("B", "R")
    assert error.params["second_header"] == "Name"


def test_xls_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "apps.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
    refused(path, "sheet.xls_unsupported")
    renamed = tmp_path / "apps.xlsx"
    renamed.write_bytes(path.read_bytes())
    refused(renamed, "sheet.xls_unsupported")


@pytest.mark.parametrize("name", ["apps.pdf", "apps", "apps.numbers"])
def test_unknown_format(tmp_path: Path, name: str) -> None:
    path = write_csv(tmp_path / name, [ZH, ROW_1])
    refused(path, "sheet.unknown_format")


def test_xlsx_saved_as_csv_is_read_as_xlsx(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "apps.xlsx", [ZH, ROW_1])
    renamed = tmp_path / "apps.csv"
    renamed.write_bytes(path.read_bytes())
    assert values(read_sheet(renamed)) == EXPECTED[:1]


def test_truncated_xlsx(tmp_path: Path) -> None:
    data = write_xlsx(tmp_path / "full.xlsx", [ZH, ROW_1]).read_bytes()
    path = tmp_path / "apps.xlsx"
    path.write_bytes(data[: len(data) // 2])
    refused(path, "sheet.corrupt")


def test_csv_renamed_xlsx_is_corrupt(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "apps.xlsx", [ZH, ROW_1])
    refused(path, "sheet.corrupt")


def test_random_bytes(tmp_path: Path) -> None:
    undecodable = b"\xff\x80\x81\xfe" * 64
    path = tmp_path / "apps.csv"
    path.write_bytes(undecodable)
    refused(path, "sheet.encoding")
    path = tmp_path / "apps.xlsx"
    path.write_bytes(undecodable)
    refused(path, "sheet.corrupt")


def test_one_bad_byte_names_its_line(tmp_path: Path) -> None:
    data = bytearray(write_csv(tmp_path / "apps.csv", [ZH, ROW_1, ROW_2], "gbk").read_bytes())
    data[data.index("李四".encode("gbk"))] = 0xFF
    (tmp_path / "apps.csv").write_bytes(bytes(data))
    assert refused(tmp_path / "apps.csv", "sheet.encoding").params["line"] == 3


@pytest.mark.parametrize("name", ["apps.csv", "apps.xlsx"])
def test_empty_file(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(b"")
    refused(path, "sheet.empty")


def test_blank_csv_is_empty(tmp_path: Path) -> None:
    path = tmp_path / "apps.csv"
    path.write_bytes(b"\xef\xbb\xbf\r\n,,,\r\n\r\n")
    refused(path, "sheet.empty")


@pytest.mark.parametrize("name", ["apps.csv", "apps.xlsx"])
def test_headers_only_is_empty(tmp_path: Path, name: str) -> None:
    write_template(tmp_path / name)
    refused(tmp_path / name, "sheet.empty")


def test_missing_file(tmp_path: Path) -> None:
    refused(tmp_path / "nowhere.csv", "sheet.unreadable")
    refused(tmp_path, "sheet.unknown_format")  # a directory has no known extension
    folder = tmp_path / "folder.csv"
    folder.mkdir()
    refused(folder, "sheet.unreadable")


def test_too_large(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sheet_module, "MAX_BYTES", 1000)
    path = write_csv(tmp_path / "apps.csv", [ZH, *[ROW_1] * 20])
    error = refused(path, "sheet.too_large")
    assert error.params["file"] == "apps.csv"


def test_too_large_default_is_20_mb() -> None:
    assert sheet_module.MAX_BYTES == 20 * 1024 * 1024
    assert sheet_module.MAX_ROWS == 20_000


def test_too_many_rows(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sheet_module, "MAX_ROWS", 3)
    path = write_csv(tmp_path / "apps.csv", [ZH, ROW_1, ROW_2, ROW_1])
    assert len(read_sheet(path).rows) == 3
    path = write_csv(tmp_path / "apps.csv", [ZH, ROW_1, ROW_2, ROW_1, ROW_2, [""] * 15])
    refused(path, "sheet.too_many_rows")


def test_every_message_has_both_languages() -> None:
    for code, (zh, en) in MESSAGES.items():
        assert code.startswith("sheet.")
        assert zh and en and zh != en


# --- never anything but InputError -------------------------------------------------


def _valid_csv() -> bytes:
    buffer = io.StringIO(newline="")
    csv.writer(buffer).writerows([ZH, ROW_1, ROW_2])
    return buffer.getvalue().encode("gb18030")


def _valid_xlsx() -> bytes:
    buffer = io.BytesIO()
    book = openpyxl.Workbook()
    for row in (ZH, ROW_1, ROW_2):
        book.active.append(row)
    book.save(buffer)
    return buffer.getvalue()


VALID_CSV = _valid_csv()
VALID_XLSX = _valid_xlsx()


def _read_or_refuse(path: Path, data: bytes) -> None:
    path.write_bytes(data)
    try:
        read_sheet(path)
    except InputError as error:
        assert error.code in MESSAGES


@HYPOTHESIS
@given(data=st.binary(max_size=2000), suffix=st.sampled_from([".csv", ".xlsx", ".txt"]))
def test_random_bytes_only_raise_input_error(tmp_path: Path, data: bytes, suffix: str) -> None:
    _read_or_refuse(tmp_path / f"random{suffix}", data)


@HYPOTHESIS
@given(source=st.sampled_from(["csv", "xlsx"]), cut=st.floats(0, 1))
def test_truncations_only_raise_input_error(tmp_path: Path, source: str, cut: float) -> None:
    data = VALID_CSV if source == "csv" else VALID_XLSX
    _read_or_refuse(tmp_path / f"cut.{source}", data[: int(len(data) * cut)])


@HYPOTHESIS
@given(
    source=st.sampled_from(["csv", "xlsx"]),
    edits=st.lists(st.tuples(st.floats(0, 1), st.integers(0, 255)), min_size=1, max_size=8),
)
def test_corrupted_bytes_only_raise_input_error(
    tmp_path: Path, source: str, edits: list[tuple[float, int]]
) -> None:
    data = bytearray(VALID_CSV if source == "csv" else VALID_XLSX)
    for where, byte in edits:
        data[min(int(len(data) * where), len(data) - 1)] = byte
    _read_or_refuse(tmp_path / f"bad.{source}", bytes(data))


@HYPOTHESIS
@given(cells=st.lists(st.lists(st.text(max_size=30), max_size=17), max_size=6))
def test_any_cell_text_only_raises_input_error(tmp_path: Path, cells: list[list[str]]) -> None:
    buffer = io.StringIO(newline="")
    csv.writer(buffer).writerows([ZH, *cells])
    _read_or_refuse(tmp_path / "cells.csv", buffer.getvalue().encode("utf-8", "surrogatepass"))


# --- templates ----------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_template_round_trips(tmp_path: Path, lang: str, suffix: str) -> None:
    path = tmp_path / f"template{suffix}"
    write_template(path, lang)
    if suffix == ".csv":
        with path.open("a", encoding="utf-8", newline="") as handle:
            csv.writer(handle).writerow(ROW_1)
    else:
        book = openpyxl.load_workbook(path)
        for column, text in enumerate(ROW_1, start=1):
            book.worksheets[0].cell(row=2, column=column, value=text)
        book.save(path)
    sheet = read_sheet(path)
    assert values(sheet) == EXPECTED[:1]
    assert sheet.rows[0].line == 2
    assert list(sheet.headers.values()) == (ZH if lang == "zh" else EN)


def test_csv_template_has_bom_and_headers_only(tmp_path: Path) -> None:
    write_template(tmp_path / "t.csv")
    data = (tmp_path / "t.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    assert data[3:].decode() == ",".join(ZH) + "\r\n"


@pytest.mark.parametrize(("lang", "notes"), [("zh", "说明"), ("en", "Notes")])
def test_xlsx_template_helps_the_user(tmp_path: Path, lang: str, notes: str) -> None:
    write_template(tmp_path / "t.xlsx", lang)
    book = openpyxl.load_workbook(tmp_path / "t.xlsx")
    form = book.worksheets[0]
    headers = ZH if lang == "zh" else EN
    assert [cell.value for cell in form[1]] == headers
    assert all(cell.font.bold for cell in form[1])
    assert form.freeze_panes == "A2"
    for key in ("ref", "id_number", "phone", "county_code", "employed_poor_ids"):
        letter = openpyxl.utils.get_column_letter(KEYS.index(key) + 1)
        assert form[f"{letter}2"].number_format == "@"
        assert form[f"{letter}1001"].number_format == "@"
    assert form.column_dimensions["C"].width >= 20  # 18 digits readable
    lists = {
        str(validation.sqref): validation.formula1
        for validation in form.data_validations.dataValidation
    }
    assert lists == {
        "F2:F1001": '"是,否"',
        "H2:H1001": '"家庭农场,农民合作社,农业社会化服务组织,手工作坊,乡村车间,小微企业"',
        "I2:I1001": '"设施农业,规模种养业,农产品加工业,民俗民族工艺产业,休闲农业与乡村旅游,'
        '农产品流通与电子商务"',
        "J2:J1001": '"担保贷款,免息借款,小额资助"',
        "N2:N1001": '"反担保,1:1配资"',
    }
    assert all(v.type == "list" for v in form.data_validations.dataValidation)
    sheet_notes = book[notes]
    listed = list(sheet_notes.iter_rows(min_row=2, values_only=True))
    assert [row[0] for row in listed] == headers
    required = {"zh": ("是", "否"), "en": ("yes", "no")}[lang]
    assert [row[2] == required[0] for row in listed] == [c.required for c in APPLICATION_COLUMNS]
    assert listed[KEYS.index("instrument")][3] == "担保贷款 / 免息借款 / 小额资助"


def test_template_refuses_unknown_language_or_format(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        write_template(tmp_path / "t.csv", "fr")
    with pytest.raises(ValueError):
        write_template(tmp_path / "t.xls")


# --- export -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "safe"),
    [
        ('=HYPERLINK("http://x","点击")', '\'=HYPERLINK("http://x","点击")'),
        ("=1+1", "'=1+1"),
        ("+86 138 1234 5678", "'+86 138 1234 5678"),
        ("-2+3", "'-2+3"),
        ("-cmd|' /C calc'!A0", "'-cmd|' /C calc'!A0"),
        ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1+1", "'\r=1+1"),
        ("-", "'-"),
        ("-12.50", "-12.50"),
        ("-12", "-12"),
        ("-1,234.00", "-1,234.00"),
        ("12.50", "12.50"),
        ("张三", "张三"),
        ("a=b", "a=b"),
        ("", ""),
        ("'=1", "'=1"),
    ],
)
def test_neutralise_formula(text: str, safe: str) -> None:
    assert neutralise_formula(text) == safe
