"""Intake as county leagues use it: registers, sheets, bad rows, re-imports, isolation."""

from __future__ import annotations

import json
import random
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import Engine, func, select

from fundcore.intake.register import SAMPLE_REGISTER
from fundcore.intake.sheet import APPLICATION_COLUMNS
from fundcore.messages import render
from fundcore.store.db import make_engine
from fundcore.store.models import Applicant, Application, County
from tests.conftest import SHARED, Fund, snapshot
from tests.factories import application_row, write_csv, youth_id

ON = date(2019, 6, 1)
LINGQIU, SHILOU = "140224", "141126"


@pytest.fixture
def fund(cli: Fund) -> Fund:
    """An initialised fund with the sample register, a county league and finance staff."""
    assert cli("init", "--admin", "root").exit_code == 0
    assert cli("counties", "import", str(SAMPLE_REGISTER), "--as", "root").exit_code == 0
    for args in (
        ("lq", "--role", "county", "--county", LINGQIU),
        ("sl", "--role", "county", "--county", SHILOU),
        ("fin", "--role", "finance"),
        ("aud", "--role", "auditor"),
    ):
        assert cli("operators", "add", *args, "--as", "root").exit_code == 0
    return cli


def _count(url: str, model: type) -> int:
    engine = make_engine(url)
    with engine.connect() as conn:
        n = conn.scalar(select(func.count()).select_from(model))
    engine.dispose()
    return int(n or 0)


def _rows(n: int, county: str = LINGQIU, seed: int = 7) -> list[dict[str, str]]:
    rng = random.Random(seed)
    kinds = ["免息借款", "担保贷款", "小额资助"]
    return [application_row(rng, i, county, ON, kinds[i % 3]) for i in range(n)]


def _import(fund: Fund, path: Path, *extra: str, who: str = "lq"):  # noqa: ANN202
    return fund(
        "--json", "applications", "import", str(path), "--date", ON.isoformat(), "--as", who, *extra
    )


def test_counties_import_then_reimport_updates_never_duplicates(fund: Fund, tmp_path: Path):
    text = SAMPLE_REGISTER.read_text(encoding="utf-8").replace("灵丘县", "灵丘")
    changed = tmp_path / "register.csv"
    changed.write_text(text, encoding="gb18030")
    r = fund("--json", "counties", "import", str(changed), "--as", "root")
    assert json.loads(r.stdout) == {"ok": True, "added": 0, "updated": 1, "unchanged": 31}
    assert _count(fund.url, County) == 32


def test_counties_import_refuses_a_bad_code_naming_the_line(fund: Fund, tmp_path: Path):
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "code,name,province,category\n140224,灵丘县,山西省,national\n1402,某县,山西省,national\n",
        encoding="utf-8",
    )
    engine = make_engine(fund.url)
    before = snapshot(engine)
    r = fund("--lang", "en", "counties", "import", str(bad), "--as", "root")
    assert r.exit_code == 1
    assert r.stderr.strip() == render("register.bad_code", {"line": 3, "code": "1402"}, "en")
    assert snapshot(engine) == before


@pytest.mark.skipif(
    not (SHARED / "data" / "counties-832.csv").exists(),
    reason="../shared/data/counties-832.csv is not beside the project",
)
def test_the_832_national_counties_import(fund: Fund) -> None:
    r = fund(
        "--json", "counties", "import", str(SHARED / "data" / "counties-832.csv"), "--as", "root"
    )
    doc = json.loads(r.stdout)
    assert doc["added"] + doc["unchanged"] + doc["updated"] == 832
    assert _count(fund.url, County) == 832
    r = fund("--json", "counties", "list", "--province", "山西省")
    assert len(json.loads(r.stdout)) == 36


def test_200_rows_with_15_bad_ones_take_exactly_185(fund: Fund, tmp_path: Path) -> None:
    rows = _rows(200)
    rng = random.Random(3)
    bad = {
        5: ("id_number", rows[5]["id_number"][:-1] + "Z", "id.chars"),
        12: ("amount", "-300", "money.negative"),
        19: ("amount", "1.234", "money.too_precise"),
        26: ("amount", "500000", "rule.amount.fail"),
        33: ("phone", "1234", "phone.invalid"),
        40: ("county_code", "999999", "rule.county.fail_of"),
        47: ("county_code", SHILOU, "intake.other_county"),
        54: ("name", "", "intake.required"),
        61: ("registered_poor", "也许", "intake.bad_choice"),
        68: ("instrument", "股权投资", "intake.bad_choice"),
        75: ("term_months", "12", "rule.term.fail"),
        82: ("local_support", "", "rule.local_support.fail"),
        89: ("id_number", youth_id(rng, LINGQIU, ON, 45, 50), "rule.age.fail"),
        96: ("employed_poor_ids", "", "rule.employment.fail"),
        103: ("term_months", "三年", "intake.bad_term"),
    }
    for i, (key, value, _) in bad.items():
        rows[i][key] = value
        if key == "employed_poor_ids":
            rows[i]["registered_poor"] = "否"
        if key in ("term_months", "local_support"):
            rows[i]["instrument"], rows[i]["bank"] = "免息借款", ""
    r = _import(fund, write_csv(tmp_path / "apps.csv", rows))
    assert r.exit_code == 1
    doc = json.loads(r.stdout)
    assert len(doc["taken"]) == 185
    got = {(e["line"], e["column"], e["code"]) for e in doc["errors"]}
    want = {(i + 2, key, code) for i, (key, _, code) in bad.items()}
    # six digits not in the register are also not the operator's county: both are said
    want.add((42, "county_code", "intake.other_county"))
    assert got == want
    assert _count(fund.url, Application) == 185


def test_gbk_csv_and_xlsx_with_chinese_headers_import_the_same(
    fund: Fund, tmp_path: Path, db_url: str
) -> None:
    rows = _rows(30)
    csv_path = write_csv(tmp_path / "gbk.csv", rows, encoding="gbk")
    xlsx_path = tmp_path / "sheet.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append([c.zh for c in APPLICATION_COLUMNS])
    for r in rows:
        ws.append([r[c.key] for c in APPLICATION_COLUMNS])
    ws.append([])
    wb.save(xlsx_path)
    first = json.loads(_import(fund, csv_path).stdout)
    assert len(first["taken"]) == 30
    second = json.loads(_import(fund, xlsx_path).stdout)
    assert second["taken"] == [] and len(second["unchanged"]) == 30


def test_reimport_changes_nothing_and_dry_run_writes_nothing(fund: Fund, tmp_path: Path):
    path = write_csv(tmp_path / "apps.csv", _rows(40))
    engine = make_engine(fund.url)
    before = snapshot(engine)
    dry = json.loads(_import(fund, path, "--dry-run").stdout)
    assert dry["taken"] == [] and dry["written"] is False
    assert [w["line"] for w in dry["would_take"]] == list(range(2, 42))
    assert snapshot(engine) == before
    assert len(json.loads(_import(fund, path).stdout)["taken"]) == 40
    after_first = snapshot(engine)
    again = json.loads(_import(fund, path).stdout)
    assert again["taken"] == [] and len(again["unchanged"]) == 40
    assert snapshot(engine) == after_first


def test_all_or_nothing_takes_nothing_when_a_row_is_bad(fund: Fund, tmp_path: Path) -> None:
    rows = _rows(10)
    rows[4]["amount"] = "abc"
    engine = make_engine(fund.url)
    before = snapshot(engine)
    r = _import(fund, write_csv(tmp_path / "a.csv", rows), "--all-or-nothing")
    assert r.exit_code == 1
    assert snapshot(engine) == before
    doc = json.loads(r.stdout)  # nothing reported as taken, no rolled-back ids
    assert doc["taken"] == [] and doc["batch_id"] is None and doc["written"] is False
    assert [w["line"] for w in doc["would_take"]] == [2, 3, 4, 5, 7, 8, 9, 10, 11]
    assert [e["line"] for e in doc["errors"]] == [6]


def test_a_changed_row_with_a_submitted_ref_is_refused(fund: Fund, tmp_path: Path) -> None:
    rows = _rows(3)
    _import(fund, write_csv(tmp_path / "a.csv", rows))
    rows[1]["amount"] = "60000"
    doc = json.loads(_import(fund, write_csv(tmp_path / "b.csv", rows)).stdout)
    assert [(e["line"], e["code"]) for e in doc["errors"]] == [(3, "intake.ref_changed")]


def test_one_person_is_one_applicant_and_holds_one_open_loan(fund: Fund, tmp_path: Path):
    rows = _rows(2)
    rows[1] = dict(rows[0], ref="OTHER-1")
    doc = json.loads(_import(fund, write_csv(tmp_path / "a.csv", rows)).stdout)
    assert [e["code"] for e in doc["errors"]] == ["rule.no_open.fail"]
    assert _count(fund.url, Applicant) == 1


def test_county_operator_sees_only_its_county(fund: Fund, tmp_path: Path) -> None:
    _import(fund, write_csv(tmp_path / "lq.csv", _rows(3)))
    _import(fund, write_csv(tmp_path / "sl.csv", _rows(2, SHILOU, seed=9)), who="sl")
    assert len(json.loads(fund("--json", "applications", "list", "--as", "sl").stdout)) == 2
    assert len(json.loads(fund("--json", "applications", "list", "--as", "fin").stdout)) == 5
    lq_id = json.loads(fund("--json", "applications", "list", "--as", "lq").stdout)[0]["id"]
    for cmd in (("applications", "show", str(lq_id)), ("review", str(lq_id))):
        r = fund("--lang", "en", *cmd, "--as", "sl")
        assert r.exit_code == 1
        assert r.stderr.strip() == render("intake.no_such_application", {"id": lq_id}, "en")
    r = fund("applications", "list", "--county", LINGQIU, "--as", "sl")
    assert r.exit_code == 1


def test_identifiers_are_masked_in_every_human_and_json_output(fund: Fund, tmp_path: Path):
    rows = _rows(3)
    _import(fund, write_csv(tmp_path / "a.csv", rows))
    outputs = [
        fund("applications", "list", "--as", "fin").stdout,
        fund("--json", "applications", "list", "--as", "fin").stdout,
    ]
    for app_id in (1, 2, 3):
        outputs.append(fund("applications", "show", str(app_id), "--as", "fin").stdout)
        outputs.append(fund("--json", "applications", "show", str(app_id), "--as", "fin").stdout)
    text = "\n".join(outputs)
    for r in rows:
        assert r["id_number"] not in text and r["phone"] not in text
        assert r["id_number"][:6] + "********" + r["id_number"][-4:] in text
    for e in rows[0]["employed_poor_ids"].split(";") if rows[0]["employed_poor_ids"] else []:
        assert e not in text


def test_apply_one_application_and_review_it(fund: Fund) -> None:
    row = _rows(1)[0]
    args = [
        "apply",
        "--ref",
        "A-1",
        "--name",
        row["name"],
        "--id-number",
        row["id_number"],
        "--phone",
        row["phone"],
        "--county",
        LINGQIU,
        "--registered-poor",
        "是",
        "--project-name",
        "香菇",
        "--instrument",
        "loan",
        "--amount",
        "3万",
        "--term",
        "36",
        "--local-support",
        "matching",
        "--date",
        ON.isoformat(),
        "--as",
        "lq",
    ]
    r = fund("--json", *args)
    assert r.exit_code == 0, r.stderr
    app_id = json.loads(r.stdout)["id"]
    review = json.loads(fund("--json", "review", str(app_id), "--as", "fin").stdout)
    assert review["eligible"] is True and len(review["rules"]) == 9
    again = fund("--json", *args)
    assert json.loads(again.stdout)["created"] is False


def test_apply_refusal_names_each_field_and_writes_nothing(fund: Fund) -> None:
    engine: Engine = make_engine(fund.url)
    before = snapshot(engine)
    r = fund(
        "--lang",
        "en",
        "apply",
        "--ref",
        "A-2",
        "--name",
        "王伟",
        "--id-number",
        "110105194912310021",
        "--phone",
        "12345",
        "--county",
        LINGQIU,
        "--project-name",
        "x",
        "--instrument",
        "loan",
        "--amount",
        "3万",
        "--date",
        ON.isoformat(),
        "--as",
        "lq",
    )
    assert r.exit_code == 1
    lines = r.stderr.strip().splitlines()
    # the field problems, then (in one pass) the rules the good fields still allow: a
    # loan with no term and no local support declared
    assert [line.split(":", 1)[0] for line in lines] == [
        "--id-number",
        "--phone",
        "--term",
        "--local-support",
    ]
    assert snapshot(engine) == before


def test_policy_change_affects_only_later_submissions(fund: Fund, tmp_path: Path) -> None:
    rows = _rows(6)
    _import(fund, write_csv(tmp_path / "a.csv", rows[:3]))
    r = fund("policy", "set", "amount_max_fen=2万", "--effective", "2019-07-01", "--as", "root")
    assert r.exit_code == 0, r.stderr
    for row in rows[3:]:
        row["amount"] = "30000"
        row["instrument"] = "免息借款"
        row["term_months"], row["local_support"], row["bank"] = "36", "反担保", ""
    late = fund(
        "--json",
        "applications",
        "import",
        str(write_csv(tmp_path / "b.csv", rows[3:])),
        "--date",
        "2019-07-02",
        "--as",
        "lq",
    )
    assert {e["code"] for e in json.loads(late.stdout)["errors"]} == {"rule.amount.fail"}
    early = json.loads(fund("--json", "applications", "list", "--as", "fin").stdout)
    assert {a["policy_version"] for a in early} == {1}
    assert json.loads(fund("--json", "review", "1", "--as", "fin").stdout)["eligible"]


def test_template_is_a_sheet_the_import_reads(fund: Fund, tmp_path: Path) -> None:
    for name in ("t.xlsx", "t.csv"):
        path = tmp_path / name
        assert fund("applications", "template", str(path)).exit_code == 0
        r = _import(fund, path)
        assert r.exit_code == 1 and "sheet.empty" in r.stdout
