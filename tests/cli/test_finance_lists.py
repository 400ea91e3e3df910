"""Issue 17 item 5: the lists a finance officer works from (facilities, collections).

Text, ``--json`` and CSV/XLSX export; filters by county, status and day; a county league
sees its own county only.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import Engine

from tests.cli.helpers import Typed
from tests.conftest import Fund, init_db, snapshot
from tests.factories import setup_fund

OTHER = "141126"  # 石楼县, in the register, not lq's


@pytest.fixture
def serviced(sqlite_url: str) -> tuple[Typed, Engine, list[int]]:
    """Two loans paid out on 2019-06-10 (their first instalment due in July), one of them
    paying July and August ahead in July; the day closed through 2019-08-31."""
    from tests.factories import disbursed

    eng = init_db(sqlite_url)
    setup_fund(eng)
    ids = [disbursed(eng, 1, yuan=24_000), disbursed(eng, 2, yuan=36_000)]
    fund = Typed(Fund(sqlite_url))
    assert fund(f"repay {ids[0]} --amount 2000 --date 2019-07-10 --ref R1 --as fin1").exit_code == 0
    assert fund("close-day --through 2019-08-31 --as fin1").exit_code == 0
    yield fund, eng, ids
    eng.dispose()


def test_facilities_list_text_json_and_filters(serviced: tuple[Typed, Engine, list[int]]) -> None:
    fund, _, ids = serviced
    doc = json.loads(fund("--json facilities list --as fin1").stdout)
    assert [d["id"] for d in doc] == ids
    assert {d["instrument"] for d in doc} == {"loan"}
    assert all(d["borrower"].count("*") >= 1 for d in doc)  # masked
    overdue = json.loads(fund("--json facilities list --status overdue --as fin1").stdout)
    assert [d["id"] for d in overdue] == [ids[1]]
    assert overdue[0]["overdue_fen"] > 0 and overdue[0]["days_overdue"] > 0
    # as it stood before anything was due: none overdue, both current
    then = json.loads(fund("--json facilities list --as-of 2019-06-30 --as fin1").stdout)
    assert {d["status"] for d in then} == {"current"}
    zh = fund("facilities list --as fin1")
    assert zh.exit_code == 0 and zh.stdout.splitlines()[0].split()[:4] == [
        "编号", "借款人", "业务品种", "状态"
    ]  # fmt: skip
    en = fund("--lang en facilities list --status overdue --as fin1")
    assert en.stdout.splitlines()[0].split()[:4] == ["id", "borrower", "instrument", "status"]
    assert len(en.stdout.splitlines()) == 3  # headers, rule, the one overdue


def test_collections_list_is_the_overdue_on_a_day_and_exports(
    serviced: tuple[Typed, Engine, list[int]], tmp_path: Path
) -> None:
    fund, eng, ids = serviced
    doc = json.loads(fund("--json collections list --as-of 2019-08-31 --as fin1").stdout)
    assert [d["id"] for d in doc] == [ids[1]]
    assert json.loads(fund("--json collections list --as-of 2019-06-30 --as fin1").stdout) == []
    out = tmp_path / "催收清单.csv"
    r = fund(f"collections list --as-of 2019-08-31 --out {out} --as fin1")
    assert (r.exit_code, r.stdout) == (0, f"已写出 1 行：{out}\n")
    lines = out.read_text("utf-8-sig").splitlines()
    assert lines[0].startswith("编号,借款人,业务品种,状态") and len(lines) == 2
    xlsx = tmp_path / "list.xlsx"
    assert fund(f"--lang en facilities list --out {xlsx} --as fin1").stdout == (
        f"2 rows written: {xlsx}\n"
    )
    from openpyxl import load_workbook

    sheet = load_workbook(xlsx).worksheets[0]
    assert sheet.max_row >= 3
    before = snapshot(eng)
    r = fund(f"facilities list --out {tmp_path / 'x.txt'} --as fin1")
    assert r.exit_code == 1 and snapshot(eng) == before


def test_a_county_league_lists_only_its_own_county(
    serviced: tuple[Typed, Engine, list[int]],
) -> None:
    fund, _, ids = serviced
    mine = json.loads(fund("--json facilities list --as lq").stdout)
    assert [d["id"] for d in mine] == ids  # the factory's loans are lq's county
    r = fund(f"facilities list --county {OTHER} --as lq")
    assert (r.exit_code, r.stderr) == (1, f"无权查看其他县（{OTHER}）\n")


def test_dues_list_names_the_instalments_not_yet_paid(
    serviced: tuple[Typed, Engine, list[int]], tmp_path: Path
) -> None:
    """August: the first loan paid it ahead in July, the second owes its instalment."""
    fund, _, ids = serviced
    doc = json.loads(fund("--json dues list --from 2019-08-01 --to 2019-08-31 --as fin1").stdout)
    assert [(d["id"], d["no"], d["county"]) for d in doc] == [(ids[1], 2, "140224")]
    assert doc[0]["due_fen"] == 150_000  # 36,000 over 24 months
    sept = json.loads(fund("--json dues list --from 2019-09-01 --to 2019-09-30 --as lq").stdout)
    assert [d["id"] for d in sept] == ids
    r = fund("--lang en dues list --from 2019-09-30 --to 2019-09-01 --as fin1")
    assert (r.exit_code, r.stderr) == (
        1,
        "invalid period: the start 2019-09-30 is after the end 2019-09-01\n",
    )
    out = tmp_path / "到期.xlsx"
    r = fund(f"dues list --from 2019-09-01 --to 2019-09-30 --out {out} --as fin1")
    assert (r.exit_code, r.stdout) == (0, f"已写出 2 行：{out}\n")


def test_donations_list_with_the_restricted_purpose(sqlite_url: str, tmp_path: Path) -> None:
    eng = init_db(sqlite_url)
    setup_fund(eng)  # 100,000,000 yuan from "donor" on 2019-01-02
    fund = Typed(Fund(sqlite_url))
    line = "donations record --amount 5万 --donor 某公司 --date 2019-03-01 --ref D2 --as fin1"
    assert fund(f"{line} --restricted 助学").exit_code == 0
    doc = json.loads(fund("--json donations list --as fin1").stdout)
    # the donor's words alone restrict the gift to the programme as a whole
    assert [(d["donor"], d["amount_fen"], d["purpose"], d["words"]) for d in doc] == [
        ("donor", 10_000_000_000, None, None),
        ("某公司", 5_000_000, "项目通用", "助学"),
    ]
    march = json.loads(fund("--json donations list --from 2019-02-01 --as fin1").stdout)
    assert [d["ref"] for d in march] == ["D2"]
    text = fund("--lang en donations list --to 2019-01-31 --as fin1").stdout.splitlines()
    assert text[0].split() == [
        "Id",
        "Date",
        "Donor",
        "Amount",
        "Ref",
        "Restricted",
        "purpose",
        "Donor's",
        "words",
        "Foundation's",
        "match",
    ]
    assert len(text) == 3
    r = fund("donations list --as lq")  # a county league reads no fund-wide money
    assert r.exit_code == 1
    eng.dispose()


def test_claims_list_after_a_claim(sqlite_url: str) -> None:
    from tests.factories import disbursed

    eng = init_db(sqlite_url)
    setup_fund(eng)
    fund = Typed(Fund(sqlite_url))
    fid = disbursed(eng, 1, kind="guarantee", yuan=50_000, term=36, support="反担保")
    assert json.loads(fund("--json claims list --as fin1").stdout) == []
    assert fund("close-day --through 2019-12-31 --as fin1").exit_code == 0
    assert fund(f"claims pay {fid} --date 2020-01-05 --as fin1").exit_code == 0
    doc = json.loads(fund("--json claims list --as fin1").stdout)
    assert [(d["id"], d["claim_paid_fen"], d["county"]) for d in doc] == [
        (fid, 5_000_000, "140224")
    ]
    assert doc[0]["county_share_fen"] > 0 and doc[0]["recovered_borrower_fen"] == 0
    assert json.loads(fund("--json claims list --as lq").stdout) == doc
    r = fund(f"claims list --county {OTHER} --as lq")
    assert (r.exit_code, r.stderr) == (1, f"无权查看其他县（{OTHER}）\n")
    eng.dispose()
