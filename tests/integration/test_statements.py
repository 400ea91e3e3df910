"""Statements through the CLI: every figure in the PDFs and exports reconciles.

One fund (``statement_fund.build``) per backend; every statement kind is rendered in
Chinese and English through ``fund statement …``/``fund archive``, its text extracted
with pdfplumber and compared with ``fund ledger trial-balance`` and with direct queries
on the facilities and the day close. Personal identifiers must appear masked only.
"""

from __future__ import annotations

import csv
import json
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pdfplumber
import pytest
from openpyxl import load_workbook
from sqlalchemy import Engine, func, select

from fundcore.domain.identity import mask_id, mask_phone
from fundcore.domain.money import capital, format_fen, format_plain, share_fen
from fundcore.store import clock
from fundcore.store.models import DayClose, Facility, JournalEntry, JournalLine, LocalSupport
from tests.conftest import Fund, init_db, pg_schema_url, snapshot
from tests.integration.statement_fund import LAST_CLOSE, Built, build

FROM, TO = "2020-01-01", "2020-06-30"
SERVICED = ("current", "overdue", "defaulted")
AMOUNT = re.compile(r"-?¥[\d,]+\.\d{2}")


@dataclass
class World:
    engine: Engine
    fund: Fund
    built: Built
    out: Path
    files: dict[str, Path]

    def run(self, *args: str) -> str:
        r = self.fund(*args)
        assert r.exit_code == 0, (args, r.output)
        return r.stdout


def _statements(w: World) -> None:
    ids = w.built.ids
    jobs = {
        "fund": ["statement", "fund", "--from", FROM, "--to", TO],
        "county": ["statement", "county", "410225", "--from", "2019-01-01", "--to", TO],
        "guarantee": ["statement", "facility", str(ids["guar_bad"])],
        "loan": ["statement", "facility", str(ids["loan_late81"])],
        "archive": ["archive", str(ids["loan_person"])],
    }
    for name, args in jobs.items():
        for lang in ("zh", "en"):
            path = w.out / f"{name}-{lang}.pdf"
            w.run("--lang", lang, *args, "--out", str(path), "--as", "audrey")
            w.files[f"{name}-{lang}"] = path
    w.run("statement", "fund", "--from", FROM, "--to", TO, "--format", "csv",
          "--out", str(w.out / "fund.csv"), "--as", "audrey")  # fmt: skip
    w.run("--lang", "en", "statement", "fund", "--from", FROM, "--to", TO, "--format", "xlsx",
          "--out", str(w.out / "fund.xlsx"), "--as", "audrey")  # fmt: skip
    w.run("statement", "county", "410225", "--from", FROM, "--to", TO, "--format", "csv",
          "--out", str(w.out / "county.csv"), "--as", "audrey")  # fmt: skip


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def world(request: pytest.FixtureRequest, tmp_path_factory) -> Iterator[World]:  # noqa: ANN001
    clock.set_clock(lambda: datetime(2026, 1, 1, 12, 0, 0))
    out = tmp_path_factory.mktemp(f"statements-{request.param}")
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
    w = World(engine, Fund(url), build(engine), out, {})
    _statements(w)
    yield w
    engine.dispose()


# --- reading the documents back -----------------------------------------------------------


_TEXT: dict[Path, str] = {}


def text(path: Path) -> str:
    if path not in _TEXT:
        with pdfplumber.open(path) as pdf:
            _TEXT[path] = "\n".join(page.extract_text() or "" for page in pdf.pages)
    return _TEXT[path]


def amounts(doc: str, label: str) -> list[str]:
    """The amounts (with ¥) on the first line that starts with ``label`` and has any: the
    official forms (会民非01-03表) print their figures in yuan without the sign, so this
    reads the account-level tables under them."""
    for line in doc.splitlines():
        if line.startswith(label) and AMOUNT.search(line[len(label) :]):
            return AMOUNT.findall(line[len(label) :])
    raise AssertionError(f"no line starts with {label!r}")


def cells(doc: str, label: str) -> list[str]:
    """The words after ``label`` on the first line that starts with it."""
    for line in doc.splitlines():
        if line.startswith(label):
            return line[len(label) :].split()
    raise AssertionError(f"no line starts with {label!r}")


def trial_balance(w: World, as_of: str | None = None) -> dict[str, dict]:
    args = ["--json", "ledger", "trial-balance"] + (["--as-of", as_of] if as_of else [])
    doc = json.loads(w.run(*args))
    assert doc["balanced"]
    return {a["code"]: a for a in doc["accounts"]}


def facilities(w: World) -> list:
    with w.engine.connect() as conn:
        return conn.execute(select(Facility.__table__).order_by(Facility.id)).all()


# --- the balance sheet, activities and cash flows ------------------------------------------


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_balance_sheet_matches_the_trial_balance_at_both_dates(world: World, lang: str) -> None:
    doc = text(world.files[f"fund-{lang}"])
    closing, opening = trial_balance(world, TO), trial_balance(world, "2019-12-31")
    assets = 0
    for code, acc in closing.items():
        if acc["type"] != "asset":
            continue
        signed = acc["debit_fen"] - acc["credit_fen"]
        before = opening[code]["debit_fen"] - opening[code]["credit_fen"]
        assert amounts(doc, f"{code} ") == [format_fen(before, lang), format_fen(signed, lang)]
        assets += signed
    label = "资产总计" if lang == "zh" else "Total assets"
    assert amounts(doc, label)[-1] == format_fen(assets, lang)
    both = "负债和净资产总计" if lang == "zh" else "Total liabilities and net assets"
    assert amounts(doc, both)[-1] == format_fen(assets, lang)
    provision = closing["2411"]["credit_fen"] - closing["2411"]["debit_fen"]
    assert amounts(doc, "2411 ")[-1] == format_fen(provision, lang)


def test_net_assets_are_the_net_asset_accounts_plus_unclosed_income_less_expenses(world: World):
    tb = trial_balance(world, TO)
    credit = {c: a["credit_fen"] - a["debit_fen"] for c, a in tb.items()}
    unrestricted = sum(v for c, v in credit.items() if tb[c]["type"] in ("income", "expense"))
    unrestricted += credit["3101"] - credit["4101.02"]
    doc = text(world.files["fund-zh"])
    assert amounts(doc, "3101 ")[-1] == format_fen(unrestricted, "zh")
    assert amounts(doc, "3102 ")[-1] == format_fen(credit["3102"] + credit["4101.02"], "zh")


def test_activities_are_the_period_movements_and_explain_the_change_in_net_assets(world: World):
    doc = text(world.files["fund-zh"])
    before, after = trial_balance(world, "2019-12-31"), trial_balance(world, TO)
    # the loan written off in January 2020 (24,000 yuan, half counter-guaranteed: that half
    # is the county's debt) draws on the allowance, the rest to 管理费用
    with world.engine.connect() as conn:
        lines = conn.execute(
            select(JournalLine.account_code, JournalLine.side, JournalLine.amount_fen)
            .join(JournalEntry, JournalEntry.seq == JournalLine.entry_seq)
            .where(
                JournalEntry.kind == "write_off", JournalEntry.business_date > date(2019, 12, 31)
            )
        ).all()
    assert sum(n for _, side, n in lines if side == "D") == 1_200_000
    assert {a for a, side, _ in lines if side == "D"} <= {"1231", "5201.01"}
    assert after["5401.01"]["debit_fen"] == before["5401.01"]["debit_fen"]
    bad = after["5201.01"]["balance_fen"] - before["5201.01"]["balance_fen"]
    assert amounts(doc, "5201.01 ") == [format_fen(bad, "zh"), "¥0.00", format_fen(bad, "zh")]
    net_before = amounts(doc, "净资产合计 ")  # key figure first, then the balance sheet row
    sheet = [line for line in doc.splitlines() if line.startswith("净资产合计 ¥")][-1]
    opening, closing = AMOUNT.findall(sheet)
    assert net_before
    change = amounts(doc, "四、净资产变动额")[-1]
    assert _fen(change) == _fen(closing) - _fen(opening)


def _fen(shown: str) -> int:
    return int(shown.replace("¥", "").replace(",", "").replace(".", ""))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_cash_flows_run_from_the_opening_to_the_closing_bank_balance(world: World, lang: str):
    doc = text(world.files[f"fund-{lang}"])
    bank = trial_balance(world, TO)["1002"]["balance_fen"]
    bank_before = trial_balance(world, "2019-12-31")["1002"]["balance_fen"]
    labels = {
        "zh": ("期初现金余额", "现金流入小计", "现金流出小计", "期末现金余额"),
        "en": ("Cash at beginning", "Total inflows", "Total outflows", "Cash at end of period"),
    }[lang]
    opening, ins, outs, closing = (_fen(amounts(doc, label)[-1]) for label in labels)
    assert (opening, closing) == (bank_before, bank)
    assert opening + ins - outs == closing
    assert "本次" in doc or "not re-verified" in doc


def test_monthly_chart_figures_are_the_cash_flow_lines(world: World) -> None:
    from fundcore.statements.fund import fund_statement
    from fundcore.store.uow import UnitOfWork

    with UnitOfWork(world.engine, write=False) as uow:
        stmt = fund_statement(uow.conn, "audrey", date(2020, 1, 1), date(2020, 6, 30))
    inflows = {f.name_en: f.amount_fen for f in stmt.cash_flows.inflows}
    collected = sum(m.repaid_fen for m in stmt.months)
    assert [m.month for m in stmt.months] == [f"2020-{m:02d}" for m in range(1, 7)]
    assert collected == sum(
        inflows.get(k, 0)
        for k in (
            "Interest-free loan principal repaid",
            "Recovered from borrowers",
            "Recovered from county counter-guarantees",
        )
    )
    assert sum(m.disbursed_fen for m in stmt.months) == 0  # nothing paid out in 2020


# --- the portfolio -------------------------------------------------------------------------


def test_outstanding_equals_the_sum_over_facilities_and_the_ledger(world: World) -> None:
    rows = facilities(world)
    outstanding = sum(f.outstanding_fen for f in rows if f.status in SERVICED)
    loans = sum(f.outstanding_fen for f in rows if f.instrument == "loan")
    tb = trial_balance(world)
    assert loans == tb["1211"]["balance_fen"]
    for lang in ("zh", "en"):
        doc = text(world.files[f"fund-{lang}"])
        label = "在贷（在保）余额" if lang == "zh" else "Outstanding balance"
        line = [x for x in doc.splitlines() if x.startswith(label) and "—" in x][0]
        guarantee, loan, total = AMOUNT.findall(line)  # the portfolio row: grants show —
        assert (_fen(loan), _fen(total)) == (loans, outstanding)
        assert capital(outstanding) in doc.replace("\n", "").replace(" ", "")


def test_par_and_buckets_equal_a_direct_computation_and_the_day_close(world: World) -> None:
    rows = [f for f in facilities(world) if f.status in SERVICED]
    outstanding = sum(f.outstanding_fen for f in rows)
    at_risk_30 = sum(f.outstanding_fen for f in rows if f.days_past_due > 30)
    at_risk_90 = sum(f.outstanding_fen for f in rows if f.days_past_due > 90)
    one_to_30 = sum(f.outstanding_fen for f in rows if 1 <= f.days_past_due <= 30)
    assert at_risk_30 and one_to_30  # the fund has both kinds of arrears
    with world.engine.connect() as conn:
        close = conn.execute(
            select(DayClose.__table__).where(DayClose.business_date == LAST_CLOSE)
        ).one()
    assert (close.outstanding_fen, close.par30_fen, close.par90_fen) == (
        outstanding,
        at_risk_30,
        at_risk_90,
    )
    doc = text(world.files["fund-zh"])
    par30 = Decimal((at_risk_30 * 20_000 + outstanding) // (2 * outstanding)).scaleb(-2)  # half up
    assert cells(doc, "PAR30（逾期30天以上风险率）")[-1] == f"{par30:.2f}%"
    assert amounts(doc, "逾期1-30天")[-1] == format_fen(one_to_30, "zh")
    assert amounts(doc, "逾期90天以上")[-1] == format_fen(at_risk_90, "zh")


def test_claims_recoveries_and_claim_rate(world: World) -> None:
    rows = facilities(world)
    claims = sum(f.claim_paid_fen for f in rows)
    released = sum(f.principal_fen for f in rows if f.instrument == "guarantee" and
                   f.status == "repaid")  # fmt: skip
    recovered = sum(f.recovered_borrower_fen + f.recovered_county_fen for f in rows)
    doc = text(world.files["fund-zh"])
    assert amounts(doc, "代偿支出")[-1] == format_fen(claims, "zh")
    assert amounts(doc, "追偿回收")[-1] == format_fen(recovered, "zh")
    rate = Decimal(claims * 10_000 // (claims + released)).scaleb(-2)
    assert cells(doc, "代偿率")[0] == f"{rate:.2f}%"
    tb = trial_balance(world)
    assert tb["1212"]["balance_fen"] == 4_000_000 - 2_000_000 - 500_000  # borrower still owes


def test_guarantee_block_and_local_leverage_reconcile_to_the_ledger(world: World) -> None:
    tb = trial_balance(world)
    doc = text(world.files["fund-zh"])
    assert amounts(doc, "存出保证金 ")[-1] == format_fen(tb["1031"]["balance_fen"], "zh")
    rows = facilities(world)
    live = [f for f in rows if f.status != "cancelled"]
    committed = sum(f.matching_required_fen for f in live)
    with world.engine.connect() as conn:
        ls = LocalSupport.__table__
        received = int(
            conn.scalar(select(func.sum(ls.c.amount_fen)).where(ls.c.kind == "matching"))
        )
        counters = conn.scalar(select(func.count()).where(ls.c.kind == "counter-guarantee"))
    # matching is the county's money: in the register and the leverage block, never on
    # the ledger (DOMAIN.md §4); the fund's own money paid out is what it levers
    assert tb["1214"]["balance_fen"] == 0
    paid = [f for f in rows if f.disbursed_on is not None and f.disbursed_on <= date(2020, 6, 30)]
    own = sum(
        share_fen(f.principal_fen, f.deposit_bp) if f.instrument == "guarantee" else f.principal_fen
        for f in paid
    )
    total = [x for x in doc.splitlines() if x.startswith("合计 ") and "%" in x][0]
    assert AMOUNT.findall(total)[:2] == [format_fen(committed, "zh"), format_fen(received, "zh")]
    assert AMOUNT.findall(total)[-1] == format_fen(own, "zh")
    assert total.split()[-4] == str(counters)
    # multiples, like percentages, are half up at the precision printed
    lever = (Decimal(received) / own).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    assert total.split()[-1] == f"{lever}×"


def test_province_and_county_tables_add_up(world: World) -> None:
    doc = text(world.files["fund-zh"])
    outstanding = sum(f.outstanding_fen for f in facilities(world) if f.status in SERVICED)
    totals = [x for x in doc.splitlines() if x.startswith("合计 11 11 ")]
    assert len(totals) == 2  # provinces and counties
    for line in totals:
        assert AMOUNT.findall(line)[1] == format_fen(outstanding, "zh")
    assert "140000" in doc and "410225 兰考县" in doc


# --- determinism, integrity, masking ---------------------------------------------------------


@pytest.mark.parametrize("name", ["fund", "county", "guarantee", "archive"])
def test_same_database_and_arguments_give_identical_bytes(world: World, name: str) -> None:
    first = world.files[f"{name}-zh"]
    kept = world.out / f"{name}-first.pdf"
    shutil.copy(first, kept)
    args = {
        "fund": ["statement", "fund", "--from", FROM, "--to", TO],
        "county": ["statement", "county", "410225", "--from", "2019-01-01", "--to", TO],
        "guarantee": ["statement", "facility", str(world.built.ids["guar_bad"])],
        "archive": ["archive", str(world.built.ids["loan_person"])],
    }[name]
    before = snapshot(world.engine)
    world.run("--lang", "zh", *args, "--out", str(first), "--force", "--as", "audrey")
    assert first.read_bytes() == kept.read_bytes()
    assert snapshot(world.engine) == before  # a statement writes nothing


def test_integrity_block_names_the_head_and_verifies_only_when_asked(world: World) -> None:
    verify = json.loads(world.run("--json", "ledger", "verify"))
    doc = text(world.files["fund-zh"])
    assert verify["head_hash"] in doc
    assert cells(doc, "记账凭证（分录）数") == [str(verify["entries"])]
    assert cells(doc, "分录行数") == [str(verify["lines"])]
    flat = doc.replace("\n", "")
    assert "本次未重新校验哈希链" in flat and "未通过" not in flat
    assert "fund statement fund --from 2020-01-01 --to 2020-06-30" in doc
    path = world.out / "verified.pdf"
    out = json.loads(world.run("--json", "statement", "fund", "--from", FROM, "--to", TO,
                               "--verify", "--out", str(path), "--as", "audrey"))  # fmt: skip
    assert out["verified"] is True and out["problems"] == []
    assert "通过：哈希链完整，借贷平衡" in text(path)


def _exports(world: World) -> list[Path]:
    return sorted(world.out.glob("*.csv")) + sorted(world.out.glob("*.xlsx"))


def test_no_full_identifier_appears_in_any_document_or_export(world: World) -> None:
    secrets = set(world.built.id_numbers) | set(world.built.phones)
    assert len(secrets) > 20
    contents = [text(p) for p in world.files.values()]
    contents += [p.read_text(encoding="utf-8-sig") for p in world.out.glob("*.csv")]
    for book in world.out.glob("*.xlsx"):
        wb = load_workbook(book)
        contents += [str(c.value) for ws in wb for row in ws.iter_rows() for c in row]
    archive = json.loads(world.run("--json", "archive", world.built.person_id_number,
                                   "--as", "audrey"))  # fmt: skip
    contents.append(json.dumps(archive, ensure_ascii=False))
    joined = "\n".join(contents)
    for secret in secrets:
        assert secret not in joined
    assert mask_id(world.built.person_id_number) in text(world.files["archive-zh"])
    assert mask_phone(world.built.person_phone) in text(world.files["archive-en"])
    assert archive["person"]["id_masked"] == mask_id(world.built.person_id_number)


def test_archive_found_by_resident_id_lists_every_application_and_payment(world: World):
    path = world.out / "by-id.pdf"
    world.run("archive", world.built.person_id_number, "--out", str(path), "--as", "audrey")
    doc = text(path)
    ids = world.built.ids
    for key in ("person_rejected", "person_returned", "loan_person"):
        assert re.search(rf"^{ids[key]} 2019-0", doc, re.M), key
    assert "项目计划不完整" in doc and "请补充营业执照" in doc
    assert f"fund archive {ids['person_rejected']} --out" in doc  # never the ID number
    assert amounts(doc, "合计")[0] == format_fen(12 * 100_000, "zh")  # twelve repayments


def test_facility_statement_schedule_payments_and_balance(world: World) -> None:
    doc = text(world.files["loan-zh"])
    fid = world.built.ids["loan_late81"]
    fac = next(f for f in facilities(world) if f.id == fid)
    assert amounts(doc, "剩余本金")[0] == format_fen(fac.outstanding_fen, "zh")
    assert cells(doc, "逾期天数") == [str(fac.days_past_due)]
    assert amounts(doc, "逾期金额")[0] == format_fen(300_000, "zh")  # three instalments
    assert capital(fac.outstanding_fen) in doc.replace("\n", "")
    assert len(re.findall(r"^\d+ 20\d\d-\d\d-\d\d .* 逾期$", doc, re.M)) == 3
    guarantee = text(world.files["guarantee-en"])
    assert "RC-1" in guarantee and "RC-2" in guarantee
    assert "Balance at 2020-06-30 ¥15,000.00" in guarantee  # the borrower's claim receivable


# --- exports ---------------------------------------------------------------------------------


def test_csv_and_xlsx_exports_carry_the_statement_figures(world: World) -> None:
    outstanding = sum(f.outstanding_fen for f in facilities(world) if f.status in SERVICED)
    with (world.out / "fund-portfolio.csv").open(encoding="utf-8-sig") as fh:
        portfolio = list(csv.DictReader(fh))
    assert [r["业务品种"] for r in portfolio] == ["担保贷款", "免息借款", "小额资助", "合计"]
    assert portfolio[-1]["在贷（在保）余额"] == format_plain(outstanding)
    assert portfolio[2]["在贷（在保）余额"] == ""  # a grant has no balance
    with (world.out / "fund-counties.csv").open(encoding="utf-8-sig") as fh:
        counties = list(csv.DictReader(fh))
    assert counties[-1]["在贷（在保）余额"] == format_plain(outstanding)
    assert sum(int(r["获批笔数"]) for r in counties[:-1]) == int(counties[-1]["获批笔数"])
    with (world.out / "county-facilities.csv").open(encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(fh))
    assert {r["借款人"][1:] for r in rows} == {"*"}  # masked names only
    wb = load_workbook(world.out / "fund.xlsx")
    assert wb.sheetnames == ["Portfolio", "By province", "By county"]
    last = [c.value for c in list(wb["Portfolio"].iter_rows())[-1]]
    assert last[0] == "Total" and Decimal(str(last[6])) == Decimal(outstanding).scaleb(-2)
    again = world.out / "again.xlsx"
    world.run("--lang", "en", "statement", "fund", "--from", FROM, "--to", TO, "--format",
              "xlsx", "--out", str(again), "--as", "audrey")  # fmt: skip
    assert again.read_bytes() == (world.out / "fund.xlsx").read_bytes()


# --- who may read what -------------------------------------------------------------------------


def test_a_county_league_reads_its_own_county_only(world: World) -> None:
    own = world.out / "own.pdf"
    world.run("statement", "county", "410225", "--from", FROM, "--to", TO, "--out", str(own),
              "--as", "lk")  # fmt: skip
    before = snapshot(world.engine)
    other = world.fund("--lang", "en", "statement", "county", "140224", "--from", FROM, "--to",
                       TO, "--out", str(world.out / "x.pdf"), "--as", "lk")  # fmt: skip
    # not permitted, as for any code but its own (not "not in the register")
    assert other.exit_code == 1 and "may not look at another county (140224)" in other.stderr
    fac = world.fund("--lang", "en", "statement", "facility", str(world.built.ids["guar_bad"]),
                     "--out", str(world.out / "y.pdf"), "--as", "lk")  # fmt: skip
    assert fac.exit_code == 1 and "no such facility" in fac.stderr
    whole = world.fund("statement", "fund", "--from", FROM, "--to", TO, "--out",
                       str(world.out / "z.pdf"), "--as", "lk")  # fmt: skip
    assert whole.exit_code == 1
    assert snapshot(world.engine) == before
    assert not (world.out / "x.pdf").exists() and not (world.out / "z.pdf").exists()


def test_a_bad_period_is_refused(world: World) -> None:
    r = world.fund("--lang", "en", "statement", "fund", "--from", TO, "--to", FROM, "--out",
                   str(world.out / "bad.pdf"), "--as", "audrey")  # fmt: skip
    assert r.exit_code == 1
    assert r.stderr.strip() == "invalid period: the start 2020-06-30 is after the end 2020-01-01"


def test_county_statement_figures_are_the_county_facilities(world: World) -> None:
    rows = [f for f in facilities(world) if f.county_code == "410225"]
    outstanding = sum(f.outstanding_fen for f in rows if f.status in SERVICED)
    paid_out = sum(f.principal_fen for f in rows if f.disbursed_on is not None)
    for lang in ("zh", "en"):
        doc = text(world.files[f"county-{lang}"])
        label = ("在贷（在保）余额", "放款（出保）金额") if lang == "zh" else (
            "Outstanding balance", "Amount disbursed / issued")  # fmt: skip
        assert amounts(doc, label[0])[0] == format_fen(outstanding, lang)
        assert amounts(doc, label[1])[0] == format_fen(paid_out, lang)
        assert format_fen(1_000_000, lang) in doc  # the 2019 working funds
        for f in rows:
            assert re.search(rf"^{f.id} \S", doc, re.M), f.id
    other = [f.id for f in facilities(world) if f.county_code != "410225"]
    assert not re.search(rf"^{other[0]} \S+\* ", text(world.files["county-zh"]), re.M)


def test_an_empty_fund_has_statements_too(engine: Engine, tmp_path: Path) -> None:
    from fundcore.intake import register
    from fundcore.services import operators, registry
    from fundcore.store.uow import UnitOfWork

    with UnitOfWork(engine) as uow:
        registry.import_register(
            uow.conn, "root", register.parse_register(register.SAMPLE_REGISTER.read_bytes()), "t"
        )
        operators.add(uow.conn, None, "audrey", "auditor")
        uow.commit()
    fund = Fund(engine.url.render_as_string(hide_password=False))
    for args in (
        ["statement", "fund", "--from", FROM, "--to", TO],
        ["statement", "county", "140224", "--from", FROM, "--to", TO],
    ):
        out = tmp_path / f"{args[1]}.pdf"
        r = fund(*args, "--out", str(out), "--as", "audrey")
        assert r.exit_code == 0, r.output
        doc = text(out)
        assert "¥0.00" in doc and "零元整" in doc
