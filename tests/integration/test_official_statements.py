"""Acceptance: the official forms (会民非01/02/03表) as ``fund statement fund --format json``
gives them, recomputed here from the raw ``journal_lines`` with this test's own SQL.

The small statement fund (tests/integration/statement_fund.py) with 2019 closed month
by month, so its 期末结转 is in the journal; then, on SQLite and on PostgreSQL:

- every figure of every line of the three forms, in every column, equals what this
  test sums from the journal lines (the mapping table places the accounts; the sums,
  the sides, the 期末结转 left out of the activities and the totals are this test's);
- total assets are the asset accounts, net assets the net-asset, income and expense
  accounts, cash's net increase the bank account's change — straight from the lines;
- every amount, ratio and multiple the PDF prints is a figure of the JSON document;
- ``--out FILE`` writes the same document as stdout; county and facility statements
  have theirs; CSV and XLSX still work.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pdfplumber
import pytest
from sqlalchemy import Engine, text

from fundcore.domain import official_forms as forms
from fundcore.store import clock
from tests.conftest import Fund, init_db, pg_schema_url
from tests.integration.statement_fund import Built, build

STD = forms.STANDARD_2004
PERIODS = (("2020-01-01", "2020-06-30"), ("2019-01-01", "2019-12-31"), ("2019-06-01", "2019-06-30"))


@dataclass
class World:
    engine: Engine
    fund: Fund
    built: Built
    out: Path

    def run(self, *args: str) -> str:
        r = self.fund(*args)
        assert r.exit_code == 0, (args, r.output)
        return r.stdout

    def statement(self, start: str, end: str) -> dict[str, Any]:
        doc = json.loads(self.run("statement", "fund", "--from", start, "--to", end,
                                  "--format", "json", "--as", "audrey"))  # fmt: skip
        assert doc["statement"] == "fund" and doc["format"] == "fundcore.statement/1"
        return doc


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def world(request: pytest.FixtureRequest, tmp_path_factory) -> Iterator[World]:  # noqa: ANN001
    clock.set_clock(lambda: datetime(2026, 1, 1, 12, 0, 0))
    out = tmp_path_factory.mktemp(f"official-{request.param}")
    try:
        if request.param == "sqlite":
            yield from _world(f"sqlite:///{out / 'fund.db'}", out)
        else:
            with pg_schema_url() as url:
                yield from _world(url, out)
    finally:
        clock.set_clock(None)


def _world(url: str, out: Path) -> Iterator[World]:
    engine = init_db(url)
    w = World(engine, Fund(url), build(engine), out)
    for month in range(1, 13):
        w.run("period", "close", f"2019-{month:02d}", "--as", "fin1")
    yield w
    engine.dispose()


# --- this test's own sums over the journal lines ------------------------------------------

_LINES = """
SELECT l.account_code AS code, e.kind AS kind,
       SUM(CASE WHEN l.side = 'D' THEN l.amount_fen ELSE 0 END) AS debit,
       SUM(CASE WHEN l.side = 'C' THEN l.amount_fen ELSE 0 END) AS credit
FROM journal_lines l JOIN journal_entries e ON e.seq = l.entry_seq
WHERE e.business_date >= :start AND e.business_date <= :end
GROUP BY l.account_code, e.kind
"""


def _sums(engine: Engine, start: date, end: date) -> list[tuple[str, str, int, int]]:
    with engine.connect() as conn:
        rows = conn.execute(text(_LINES), {"start": start, "end": end}).all()
    return [(r.code, r.kind, int(r.debit), int(r.credit)) for r in rows]


def _types(engine: Engine) -> dict[str, str]:
    with engine.connect() as conn:
        return dict(conn.execute(text("SELECT code, type FROM accounts")).all())


def _expect(form: forms.Form, items: dict[int, int]) -> dict[int, int]:
    """Every line: the items, and each total as the form defines it."""
    lines = {x.line: x for x in form.lines if x.line}

    def value(n: int) -> int:
        x = lines[n]
        if x.sums or x.minus:
            return sum(value(m) for m in x.sums) - sum(value(m) for m in x.minus)
        return items.get(n, 0)

    return {n: value(n) for n in lines}


def balance_sheet(engine: Engine, on: date) -> tuple[dict[int, int], dict[str, int]]:
    """01's lines as of ``on`` and, for the identities, each account type's net."""
    types, items, by_type = _types(engine), {}, {}
    for code, _kind, debit, credit in _sums(engine, date(1900, 1, 1), on):
        kind = types[code]
        net = debit - credit if kind in ("asset", "expense") else credit - debit
        by_type[kind] = by_type.get(kind, 0) + net
        line = STD.accounts[code].balance_line
        signed = net if kind != "expense" else -net  # an expense lowers net assets
        items[line] = items.get(line, 0) + signed
    return _expect(STD.balance, items), by_type


def activities(engine: Engine, start: date, end: date) -> dict[str, dict[int, int]]:
    """02's lines in each column, without the 期末结转 entries."""
    types = _types(engine)
    cols: dict[str, dict[int, int]] = {"unrestricted": {}, "restricted": {}}
    for code, kind, debit, credit in _sums(engine, start, end):
        if kind == "close.year_end" or types[code] in ("asset", "liability"):
            continue
        net = debit - credit if types[code] == "expense" else credit - debit
        place = STD.accounts[code]
        col = cols["restricted" if place.restricted else "unrestricted"]
        col[place.activity_line] = col.get(place.activity_line, 0) + net
    u, r = (
        _expect(STD.activities, cols["unrestricted"]),
        _expect(STD.activities, cols["restricted"]),
    )
    return {"unrestricted": u, "restricted": r, "total": {n: u[n] + r[n] for n in u}}


def cash(engine: Engine, start: date, end: date) -> dict[int, int]:
    items: dict[int, int] = {}
    for code, kind, debit, credit in _sums(engine, start, end):
        if STD.accounts[code].balance_line != 1:
            continue
        inflow, outflow = STD.cash_kinds[kind]
        items[inflow] = items.get(inflow, 0) + debit
        items[outflow] = items.get(outflow, 0) + credit
    return _expect(STD.cash, items)


def year_ago(day: date) -> date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day.replace(year=day.year - 1, day=28)


def figures(doc: dict[str, Any], code: str) -> dict[tuple[int, str], int]:
    """(line, column key) -> figure, for every numbered line of a form in the JSON."""
    form = doc[code]
    keys = [c["key"] for c in form["columns"]]
    return {(x["line"], k): x[k] for x in form["lines"] if x["line"] for k in keys}


# --- the forms against the journal lines ---------------------------------------------------


@pytest.mark.parametrize("period", PERIODS, ids="-".join)
def test_every_figure_of_the_three_forms_is_the_journal_lines_summed(world: World, period):
    start, end = (date.fromisoformat(x) for x in period)
    doc = world.statement(*period)
    year_start = date(end.year, 1, 1)

    sheet = figures(doc, "会民非01表")
    opening, _ = balance_sheet(world.engine, year_start - timedelta(days=1))
    closing, _ = balance_sheet(world.engine, end)
    assert sheet == {(n, "opening_fen"): v for n, v in opening.items()} | {
        (n, "closing_fen"): v for n, v in closing.items()
    }

    acts = figures(doc, "会民非02表")
    expected = {}
    for when, (a, b) in (("period", (start, end)), ("year", (year_start, end))):
        for col, lines in activities(world.engine, a, b).items():
            expected |= {(n, f"{when}_{col}_fen"): v for n, v in lines.items()}
    assert acts == expected

    flows = figures(doc, "会民非03表")
    now, before = cash(world.engine, start, end), cash(world.engine, year_ago(start), year_ago(end))
    assert flows == {(n, "period_fen"): v for n, v in now.items()} | {
        (n, "prior_fen"): v for n, v in before.items()
    }


@pytest.mark.parametrize("period", PERIODS, ids="-".join)
def test_the_forms_totals_are_the_account_types_and_cash_the_bank_account(world: World, period):
    start, end = (date.fromisoformat(x) for x in period)
    doc = world.statement(*period)
    sheet, flows = figures(doc, "会民非01表"), figures(doc, "会民非03表")
    _, by_type = balance_sheet(world.engine, end)
    assert sheet[60, "closing_fen"] == by_type.get("asset", 0)
    assert sheet[100, "closing_fen"] == by_type.get("liability", 0)
    net = by_type.get("net_assets", 0) + by_type.get("income", 0) - by_type.get("expense", 0)
    assert sheet[110, "closing_fen"] == net
    assert sheet[60, "closing_fen"] == sheet[120, "closing_fen"]
    bank_then, _ = balance_sheet(world.engine, start - timedelta(days=1))
    bank_now, _ = balance_sheet(world.engine, end)
    assert flows[61, "period_fen"] == bank_now[1] - bank_then[1]
    # the activities explain the year's change in net assets (the 期末结转 only moves it)
    acts = figures(doc, "会民非02表")
    assert acts[45, "year_total_fen"] == sheet[110, "closing_fen"] - sheet[110, "opening_fen"]


def test_the_year_end_close_is_in_the_journal_and_not_in_the_activities(world: World):
    with world.engine.connect() as conn:
        closes = conn.execute(
            text("SELECT COUNT(*) FROM journal_entries WHERE kind = 'close.year_end'")
        ).scalar_one()
    assert closes == 1
    doc = world.statement("2019-01-01", "2019-12-31")
    acts = figures(doc, "会民非02表")
    assert acts[11, "year_total_fen"] > 0 and acts[35, "year_total_fen"] > 0
    assert acts[12, "year_total_fen"] == sum(acts[n, "year_total_fen"] for n in (13, 14, 15, 16))
    assert acts[40, "year_total_fen"] == 0  # nothing released in this fund yet


def test_charity_ratios_are_the_years_activities(world: World):
    doc = world.statement("2020-01-01", "2020-06-30")
    year = figures(doc, "会民非02表")
    last = figures(world.statement("2019-01-01", "2019-12-31"), "会民非02表")
    r = doc["charity_ratios"]
    assert r["year"] == 2020 and r["through"] == "2020-06-30"
    assert r["spending_fen"] == year[12, "year_total_fen"]
    assert r["management_fen"] == year[21, "year_total_fen"]
    assert r["total_expenses_fen"] == year[35, "year_total_fen"]
    assert r["previous_income_fen"] == last[11, "year_total_fen"]
    assert r["average_years"] == [2019]  # the fund began in 2019
    previous = r["checks"][0]
    whole = previous["denominator_fen"]
    assert previous["met"] == (previous["numerator_fen"] * 10 >= 7 * whole)
    assert previous["ratio_bp"] == (previous["numerator_fen"] * 20_000 + whole) // (2 * whole)


# --- the PDF prints what the JSON holds -----------------------------------------------------

#: a figure as printed (not part of an account code such as 4101.01)
_FIGURE = re.compile(r"(?<![\d.])(-?)¥?(\d{1,3}(?:,\d{3})*\.\d{2})(%|×)?")


def _ints(value: Any) -> set[int]:
    if isinstance(value, bool):
        return set()
    if isinstance(value, int):
        return {value}
    if isinstance(value, dict):
        return set().union(*map(_ints, value.values())) if value else set()
    if isinstance(value, list):
        return set().union(*map(_ints, value)) if value else set()
    return set()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_figure_the_pdf_prints_is_in_the_json(world: World, lang: str):
    pdf = world.out / f"fund-{lang}.pdf"
    world.run("--lang", lang, "statement", "fund", "--from", "2019-01-01", "--to", "2019-12-31",
              "--out", str(pdf), "--force", "--as", "audrey")  # fmt: skip
    doc = world.statement("2019-01-01", "2019-12-31")
    known = _ints(doc)
    with pdfplumber.open(pdf) as f:
        printed = "\n".join(page.extract_text() or "" for page in f.pages)
    found = [m for m in _FIGURE.finditer(printed)]
    assert len(found) > 200
    missing = []
    for m in found:
        value = int(Decimal(m.group(2).replace(",", "")) * 100) * (-1 if m.group(1) else 1)
        if value not in known:
            missing.append(m.group(0))
    assert not missing, missing[:20]
    for code in ("会民非01表", "会民非02表", "会民非03表") if lang == "zh" else ("Form NPO-01",):
        assert code in printed
    assert ("慈善活动支出" if lang == "zh" else "Charitable spending") in printed


def test_json_to_a_file_is_the_same_document_and_other_statements_have_theirs(world: World):
    out = world.out / "fund.json"
    stdout = world.run("statement", "fund", "--from", "2020-01-01", "--to", "2020-06-30",
                       "--format", "json", "--as", "audrey")  # fmt: skip
    world.run("statement", "fund", "--from", "2020-01-01", "--to", "2020-06-30",
              "--format", "json", "--out", str(out), "--force", "--as", "audrey")  # fmt: skip
    written, shown = json.loads(out.read_text(encoding="utf-8")), json.loads(stdout)
    assert "--out" in written["header"].pop("reproduce_command")  # the command differs, only
    shown["header"].pop("reproduce_command")
    assert written == shown
    args = ("--from", "2019-01-01", "--to", "2020-06-30", "--format", "json", "--as", "audrey")
    county = json.loads(world.run("statement", "county", "410225", *args))
    assert county["statement"] == "county" and county["county"]["code"] == "410225"
    fid = str(world.built.ids["loan_late81"])
    facility = json.loads(world.run("statement", "facility", fid, "--format", "json",
                                    "--as", "audrey"))  # fmt: skip
    assert facility["statement"] == "facility" and facility["facility_id"]
    assert facility["schedule"] and all("due_date" in x for x in facility["schedule"])
    for fmt in ("csv", "xlsx"):
        world.run("statement", "fund", "--from", "2020-01-01", "--to", "2020-06-30",
                  "--format", fmt, "--out", str(world.out / f"t.{fmt}"), "--force",
                  "--as", "audrey")  # fmt: skip


def test_region_par30_is_half_up_at_the_basis_point(world: World):
    doc = world.statement("2020-01-01", "2020-06-30")
    rows = [*doc["provinces"], *doc["counties"], doc["province_total"]]
    assert any(r["outstanding_fen"] for r in rows)
    for r in rows:
        if r["outstanding_fen"]:
            part, whole = r["at_risk_30_fen"], r["outstanding_fen"]
            assert r["par30_bp"] == (part * 20_000 + whole) // (2 * whole), r


def test_an_account_without_a_line_stops_the_statement_naming_it(engine: Engine, tmp_path: Path):
    """An account added to the chart without a place on the forms: exit 1, the account
    named, nothing written (a figure is never left out of the statements silently)."""
    from fundcore.services import operators
    from fundcore.store.uow import UnitOfWork

    with UnitOfWork(engine) as uow:
        operators.add(uow.conn, None, "audrey", "auditor")
        uow.conn.execute(
            text(
                "INSERT INTO accounts (code, name_zh, name_en, type, normal_side) "
                "VALUES ('2209', '其他应付款', 'Other payables', 'liability', 'C')"
            )
        )
        uow.commit()
    fund = Fund(engine.url.render_as_string(hide_password=False))
    out = tmp_path / "f.pdf"
    for lang, word in (("zh", "未映射"), ("en", "has no line")):
        r = fund("--lang", lang, "statement", "fund", "--from", "2025-01-01", "--to",
                 "2025-12-31", "--out", str(out), "--as", "audrey")  # fmt: skip
        assert r.exit_code == 1, r.output
        assert "2209" in r.output and word in r.output
        assert not out.exists()
