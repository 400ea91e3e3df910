"""Issue 17, items 1-3: a county sheet as a league secretary sends it.

Superfluous but harmless cells are ignored with a note, not refused; a bad row shows
every problem at once (its bad cells and every rule its good cells allow); messages say
what is really wrong. Golden: the exact stdout, stderr and exit code, in both languages.
"""

from __future__ import annotations

import json
import random
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine

from fundcore.domain.identity import mask_id
from tests.cli.helpers import Typed
from tests.conftest import Fund, init_db, snapshot
from tests.factories import application_row, setup_fund, write_csv, youth_id

ON = date(2019, 6, 1)
LQ = "140224"  # 灵丘县, the county of operator lq
OTHER = "141126"  # 石楼县, in the register, not lq's


@pytest.fixture
def lite(sqlite_url: str) -> tuple[Typed, Engine]:
    eng = init_db(sqlite_url)
    setup_fund(eng)
    yield Typed(Fund(sqlite_url)), eng
    eng.dispose()


def _loan(n: int, **extra: str) -> dict[str, str]:
    """A loan to someone from a registered poor household: valid as it stands."""
    row = application_row(random.Random(n), n, LQ, ON, "免息借款")
    row.update(registered_poor="是", employed_poor_ids="", amount="30000", term_months="24")
    row.update(local_support="1:1配资")
    return row | extra


def _import(fund: Typed, path: Path, lang: str, operator: str = "lq", *flags: str):
    return fund(
        f"--lang {lang} applications import {path} --date {ON} --as {operator} " + " ".join(flags)
    )


@pytest.mark.parametrize(
    ("lang", "notes", "summary"),
    [
        (
            "zh",
            [
                "第 2 行 [合作银行]（提示）：合作银行仅用于担保贷款，免息借款不需要，已忽略",
                "第 3 行 [合作银行]（提示）：合作银行仅用于担保贷款，免息借款不需要，已忽略",
                "第 4 行 [合作银行]（提示）：合作银行仅用于担保贷款，小额资助不需要，已忽略",
            ],
            "共 4 行：接收 4，未变 0，错误 0，提示 3",
        ),
        (
            "en",
            [
                "line 2 [bank] (note): a partner bank applies to guarantees only; ignored for "
                "this interest-free loan",
                "line 3 [bank] (note): a partner bank applies to guarantees only; ignored for "
                "this interest-free loan",
                "line 4 [bank] (note): a partner bank applies to guarantees only; ignored for "
                "this micro-grant",
            ],
            "4 rows: 4 taken, 0 unchanged, 0 bad, 3 with notes",
        ),
    ],
)
def test_a_partner_bank_on_every_row_is_ignored_with_a_note(
    lite: tuple[Typed, Engine], tmp_path: Path, lang: str, notes: list[str], summary: str
) -> None:
    fund, _ = lite
    grant = application_row(random.Random(3), 3, LQ, ON, "小额资助") | {"bank": "农商银行"}
    guarantee = application_row(random.Random(4), 4, LQ, ON, "担保贷款")
    rows = [_loan(1, bank="农商银行"), _loan(2, bank="农商银行"), grant, guarantee]
    path = write_csv(tmp_path / "s.csv", rows, lang=lang)
    r = _import(fund, path, lang)
    assert (r.exit_code, r.stdout, r.stderr.splitlines()) == (0, summary + "\n", notes)
    listed = json.loads(fund("--json applications list --as lq").stdout)
    assert len(listed) == 4
    # the bank is dropped where it does not apply, kept on the guarantee
    shown = {
        a["ref"]: json.loads(fund(f"--json applications show {a['id']} --as lq").stdout)
        for a in listed
    }
    assert [s.get("bank") for s in shown.values()].count("农商银行") == 1


ONE_PASS = {
    "zh": [
        "第 2 行 [手机号]：无法识别的手机号码：***45（应为以13-19开头的11位号码，可带 +86）",
        "第 2 行 [县代码]：不能为其他县（141126）提交申请",
        "第 2 行 [期限(月)]：期限 12 个月不在 24–36 个月之间",
        "第 2 行 [带动贫困青年身份证号]：非建档立卡贫困户负责人须带动至少 1 名贫困家庭青年就业，"
        "有效的只有 0 名",
        "第 3 行 [县代码]：县代码 999999 不在县名录中（名录现有 32 个县）",
        "第 4 行 [身份证号]：身份证号码被 Excel 存成了数字（4.****************17），末几位已丢失："
        "请把这一列设为“文本”格式，再重新输入完整的18位号码",
        "第 6 行 [编号]（提示）：与第 5 行完全相同（编号 140224-00004），已忽略",
    ],
    "en": [
        "line 2 [phone]: not a mainland mobile number: ***45 (11 digits starting 13-19, "
        "+86 allowed)",
        "line 2 [county_code]: may not submit for another county (141126)",
        "line 2 [term_months]: term 12 months is outside 24–36 months",
        "line 2 [employed_poor_ids]: a leader not from a registered poor household must employ "
        "at least 1 poor-household youth; 0 valid",
        "line 3 [county_code]: county 999999 is not in the register of programme counties "
        "(it holds 32)",
        "line 4 [id_number]: Excel stored the ID number as a number (4.****************17) and "
        "lost its last digits: format the column as Text, then type the full 18 characters again",
        "line 6 [ref] (note): the same as line 5 (ref 140224-00004); ignored",
    ],
}
SUMMARY = {
    "zh": "共 5 行：接收 1，未变 0，错误 3，提示 1",
    "en": "5 rows: 1 taken, 0 unchanged, 3 bad, 1 with notes",
}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_problem_of_a_row_in_one_pass(
    lite: tuple[Typed, Engine], tmp_path: Path, lang: str
) -> None:
    """A bad phone cell no longer hides the row's other problems: another county's code,
    a 12-month term, no poor youth employed. Six digits not in the register are said to
    be so (with what it holds); an ID Excel made a number says how to fix the column; an
    identical row repeated is ignored with a note."""
    fund, _ = lite
    rows = [
        _loan(1, phone="12345", term_months="12", registered_poor="否", county_code=OTHER),
        _loan(2, county_code="999999"),
        _loan(3, id_number="4.10881199001011E+17"),
        _loan(4),
        _loan(4),
    ]
    path = write_csv(tmp_path / "s.csv", rows, lang=lang)
    r = _import(fund, path, lang, "fin1")  # finance may submit for any county
    assert (r.exit_code, r.stdout, r.stderr.splitlines()) == (
        1,
        SUMMARY[lang] + "\n",
        [line for line in ONE_PASS[lang] if "141126" not in line],
    )


def test_a_county_league_sees_another_countys_code_with_the_rest(
    lite: tuple[Typed, Engine], tmp_path: Path
) -> None:
    fund, eng = lite
    rows = [
        _loan(1, phone="12345", term_months="12", registered_poor="否", county_code=OTHER),
        _loan(2, county_code="999999"),
    ]
    before = snapshot(eng)
    r = _import(fund, write_csv(tmp_path / "s.csv", rows), "zh", "lq", "--dry-run")
    assert (r.exit_code, r.stdout, r.stderr.splitlines()) == (
        1,
        "试运行，未写入：共 2 行：可接收 0，未变 0，错误 2\n",
        ONE_PASS["zh"][:4]
        + [
            "第 3 行 [县代码]：不能为其他县（999999）提交申请",
            "第 3 行 [县代码]：县代码 999999 不在县名录中（名录现有 32 个县）",
        ],
    )
    assert snapshot(eng) == before


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("zh", "县代码应为6位数字（县级行政区划代码）：14022"),
        ("en", "a county code is 6 digits (the county's division code): 14022"),
    ],
)
def test_a_code_that_is_not_six_digits_says_so(
    lite: tuple[Typed, Engine], lang: str, said: str
) -> None:
    fund, eng = lite
    me = youth_id(random.Random(5), LQ, ON)
    before = snapshot(eng)
    r = fund(
        f"--lang {lang} apply --ref A1 --name 王伟 --id-number {me} --phone 13800138000 "
        "--county 14022 --registered-poor 是 --project-name 香菇 --instrument loan "
        f"--amount 30000 --term 24 --local-support matching --date {ON} --as fin1"
    )
    assert (r.exit_code, r.stdout, r.stderr) == (1, "", f"--county: {said}\n")
    assert snapshot(eng) == before
    assert mask_id(me) not in r.stderr


@pytest.mark.parametrize(
    ("lang", "lines"),
    [
        (
            "zh",
            [
                "第 3 行 [还款金额]：无法识别的金额：abc（示例：25000、25,000.00、2.5万）",
                "第 4 行 [交易流水号]：业务不存在：#999",
            ],
        ),
        (
            "en",
            [
                "line 3 [还款金额]: not an amount: abc (e.g. 25000, 25,000.00, 2.5万)",
                "line 4 [交易流水号]: no such facility: #999",
            ],
        ),
    ],
)
def test_bank_file_problems_name_the_files_own_headers(
    sqlite_url: str, tmp_path: Path, lang: str, lines: list[str]
) -> None:
    from tests.factories import disbursed

    eng = init_db(sqlite_url)
    setup_fund(eng)
    fid = disbursed(eng, 1, yuan=24_000)
    fund = Typed(Fund(sqlite_url))
    path = tmp_path / "bank.csv"
    path.write_text(
        "借款编号,交易流水号,还款金额,交易日期\n"
        f"{fid},T-1,1000,2019-07-10\n"
        f"{fid},T-2,abc,2019-08-10\n"
        "999,T-3,1000,2019-08-10\n",
        encoding="gbk",
    )
    r = fund(f"--lang {lang} repayments import {path} --dry-run --as fin1")
    assert r.exit_code == 1
    assert r.stderr.splitlines() == lines
    eng.dispose()


@pytest.mark.parametrize("code", [OTHER, "999999"])
def test_a_county_league_asking_for_another_countys_statement_is_not_permitted(
    lite: tuple[Typed, Engine], tmp_path: Path, code: str
) -> None:
    """The same answer for a county in the register and for a code that is not: it may
    not look, which tells nothing of what the register holds."""
    fund, _ = lite
    out = tmp_path / "c.pdf"
    for lang, said in (
        ("zh", f"无权查看其他县（{code}）"),
        ("en", f"may not look at another county ({code})"),
    ):
        r = fund(
            f"--lang {lang} statement county {code} --from 2019-06-01 --to 2019-06-30 "
            f"--out {out} --as lq"
        )
        assert (r.exit_code, r.stdout, r.stderr) == (1, "", said + "\n")
        assert not out.exists()
