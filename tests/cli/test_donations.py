"""``fund donations record``: posting, idempotency by --ref, and every refusal."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import Engine

from tests.cli.helpers import (
    Typed,
    add_county,
    as_json,
    balances,
    donate,
    entries,
    ok,
    refused,
    refused_unchanged,
)
from tests.conftest import snapshot

GIFT = "donations record --amount 500000 --donor 某公司 --date 2019-03-01"


def gift(amount: str = "500000", on: str = "2019-03-01") -> str:
    return f"donations record --amount '{amount}' --donor 某公司 --date {on}"


# --- success -----------------------------------------------------------------


def test_finance_records_a_donation(ready: Typed) -> None:
    assert ok(ready(f"{GIFT} --as alice")).stdout == "已记录捐赠 #1：¥500,000.00，分录 #1\n"


def test_record_donation_json(ready: Typed) -> None:
    doc = as_json(ready(f"{GIFT} --as alice --ref D1 --json"))
    assert doc == {
        "ok": True,
        "created": True,
        "id": 1,
        "entry_seq": 1,
        "amount": "500000.00",
        "amount_fen": 50_000_000,
    }


def test_record_donation_in_english(ready: Typed) -> None:
    result = ok(ready(f"{GIFT} --as alice --lang en"))
    assert result.stdout == "recorded donation #1: ¥500,000.00, entry #1\n"


@pytest.mark.parametrize("typed", ["500000", "50万", "500,000.00", "¥500000", "50万元"])
def test_amount_forms_all_mean_the_same_yuan(ready: Typed, typed: str) -> None:
    assert as_json(ready(f"{gift(typed)} --as alice --json"))["amount_fen"] == 50_000_000


def test_amount_with_fen_is_kept_exactly(ready: Typed) -> None:
    assert "¥25,000.50" in donate(ready, "25000.50").stdout


def test_unrestricted_donation_lands_on_4101_01(ready: Typed) -> None:
    donate(ready, "500000")
    acc = balances(ready)
    assert acc["1002"]["debit_fen"] == 50_000_000
    assert acc["4101.01"]["credit_fen"] == 50_000_000
    assert acc["4101.02"]["credit_fen"] == 0


def test_restricted_donation_lands_on_4101_02(ready: Typed) -> None:
    donate(ready, "2000", "--restricted 助学")
    acc = balances(ready)
    assert acc["1002"]["debit_fen"] == 200_000
    assert acc["4101.02"]["credit_fen"] == 200_000
    assert acc["4101.01"]["credit_fen"] == 0


def test_operator_env_var_works_in_place_of_as(ready: Typed) -> None:
    result = ready(GIFT, env={"FUNDCORE_OPERATOR": "alice"})
    assert ok(result).stdout == "已记录捐赠 #1：¥500,000.00，分录 #1\n"


def test_as_on_the_command_line_wins_over_the_env_var(ready: Typed) -> None:
    ok(ready(f"{GIFT} --as alice", env={"FUNDCORE_OPERATOR": "audrey"}))


def test_lang_env_var_gives_english(ready: Typed) -> None:
    result = ready(f"{GIFT} --as alice", env={"FUNDCORE_LANG": "en"})
    assert ok(result).stdout.startswith("recorded donation #1")


def test_without_ref_the_same_donation_twice_is_two_donations(ready: Typed) -> None:
    donate(ready)
    assert donate(ready).stdout == "已记录捐赠 #2：¥500,000.00，分录 #2\n"
    assert entries(ready) == 2


# --- idempotency by --ref ------------------------------------------------------


def test_same_ref_same_fields_posts_nothing_again(ready: Typed, eng: Engine) -> None:
    donate(ready, "500000", "--ref D1")
    before = snapshot(eng)
    result = ok(ready(f"{GIFT} --as alice --ref D1"))
    assert result.stdout == "参考号 D1 已记录为捐赠 #1，未重复记账\n"
    assert snapshot(eng) == before
    assert entries(ready) == 1


def test_same_ref_replay_json_and_english(ready: Typed) -> None:
    donate(ready, "500000", "--ref D1")
    doc = as_json(ready(f"{GIFT} --as alice --ref D1 --json"))
    assert (doc["created"], doc["id"], doc["entry_seq"]) == (False, 1, 1)
    result = ok(ready(f"{GIFT} --as alice --ref D1 --lang en"))
    assert result.stdout == "ref D1 is already donation #1; nothing posted again\n"


def test_same_ref_with_a_different_amount_is_refused(ready: Typed, eng: Engine) -> None:
    donate(ready, "500000", "--ref D1")
    line = f"{gift('1000')} --as alice --ref D1"
    result = refused_unchanged(ready, eng, line, "donation.ref_differs", ref="D1", field="amount")
    assert result.stderr == "参考号 D1 已记录过一笔捐赠，但金额不同；同一参考号只能对应一笔捐赠\n"
    assert entries(ready) == 1


def test_same_ref_with_a_different_amount_in_english(ready: Typed) -> None:
    donate(ready, "500000", "--ref D1")
    result = ready(f"{gift('1000')} --as alice --ref D1 --lang en")
    refused(result, "donation.ref_differs", "en", ref="D1", field="amount")
    said = "ref D1 was already recorded with a different amount; one ref is one donation\n"
    assert result.stderr == said


@pytest.mark.parametrize(
    ("line", "field"),
    [
        (f"{gift(on='2019-03-02')} --ref D1", "date"),
        (f"{GIFT} --ref D1 --restricted 助学", "restricted"),
        ("donations record --amount 500000 --donor 另一公司 --date 2019-03-01 --ref D1", "donor"),
    ],
    ids=["date", "restricted", "donor"],
)
def test_same_ref_with_another_differing_field_is_refused(
    ready: Typed, eng: Engine, line: str, field: str
) -> None:
    donate(ready, "500000", "--ref D1")
    params = {"ref": "D1", "field": field}
    refused_unchanged(ready, eng, f"{line} --as alice", "donation.ref_differs", **params)


# --- refusals: amounts and dates ----------------------------------------------


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("-5", "money.negative"),
        ("1.234", "money.too_precise"),
        ("abc", "money.invalid"),
        ("0", "money.not_positive"),
        ("", "money.empty"),
    ],
    ids=["negative", "three-decimals", "not-a-number", "zero", "empty"],
)
def test_bad_amount_is_refused(ready: Typed, eng: Engine, typed: str, code: str) -> None:
    refused_unchanged(ready, eng, f"{gift(typed)} --as alice", code, text=typed)


def test_bad_amount_messages_literally_in_chinese(ready: Typed) -> None:
    assert ready(f"{gift('-5')} --as alice").stderr == "金额不能为负数：-5\n"
    too_precise = "金额最多精确到分（元后两位小数）：1.234\n"
    assert ready(f"{gift('1.234')} --as alice").stderr == too_precise
    assert ready(f"{gift('0')} --as alice").stderr == "金额必须大于零：0\n"
    assert ready(f"{gift('')} --as alice").stderr == "请输入金额\n"


def test_bad_amount_messages_in_english(ready: Typed) -> None:
    result = ready(f"{gift('abc')} --as alice --lang en")
    refused(result, "money.invalid", "en", text="abc")
    assert result.stderr == "not an amount: abc (e.g. 25000, 25,000.00, 2.5万)\n"
    result = ready(f"{gift('-5')} --as alice --lang en")
    refused(result, "money.negative", "en", text="-5")
    assert result.stderr == "amount must not be negative: -5\n"


@pytest.mark.parametrize("typed", ["2019-02-30", "20190301"], ids=["no-such-day", "not-iso"])
def test_bad_date_is_refused(ready: Typed, eng: Engine, typed: str) -> None:
    refused_unchanged(ready, eng, f"{gift(on=typed)} --as alice", "date.invalid", text=typed)


def test_bad_date_messages_literally(ready: Typed) -> None:
    result = ready(f"{gift(on='2019-02-30')} --as alice")
    assert result.stderr == "日期无效：2019-02-30（应为 YYYY-MM-DD）\n"
    result = ready(f"{gift(on='20190301')} --as alice --lang en")
    assert result.stderr == "invalid date: 20190301 (use YYYY-MM-DD)\n"


def test_blank_donor_is_refused(ready: Typed, eng: Engine) -> None:
    line = "donations record --amount 5 --donor ' ' --date 2019-03-01 --as alice"
    refused_unchanged(ready, eng, line, "donation.bad_donor")


# --- refusals: who may record --------------------------------------------------


def test_record_without_as_is_refused(ready: Typed, eng: Engine) -> None:
    refused_unchanged(ready, eng, GIFT, "operator.missing")


def test_record_by_an_unknown_operator_is_refused(ready: Typed, eng: Engine) -> None:
    result = refused_unchanged(ready, eng, f"{GIFT} --as ghost", "operator.unknown", name="ghost")
    assert result.stderr == "操作员不存在或已停用：ghost\n"


def test_unknown_operator_in_english(ready: Typed) -> None:
    result = refused(ready(f"{GIFT} --as ghost --lang en"), "operator.unknown", "en", name="ghost")
    assert result.stderr == "unknown or inactive operator: ghost\n"


@pytest.mark.parametrize(("actor", "role"), [("audrey", "auditor"), ("root", "admin")])
def test_only_finance_records_donations(ready: Typed, eng: Engine, actor: str, role: str) -> None:
    params = {"name": actor, "role": role, "action": "donations.record"}
    refused_unchanged(ready, eng, f"{GIFT} --as {actor}", "operator.role_refused", **params)


def test_a_county_operator_may_not_record_donations(ready: Typed, eng: Engine) -> None:
    add_county(eng, "522631")
    ok(ready("operators add liping --role county --county 522631 --as root"))
    params = {"name": "liping", "role": "county", "action": "donations.record"}
    result = refused_unchanged(ready, eng, f"{GIFT} --as liping", "operator.role_refused", **params)
    assert result.stderr == "操作员 liping（角色 county）无权执行 donations.record\n"


def test_wrong_role_with_json_prints_the_error_document(ready: Typed, eng: Engine) -> None:
    before = snapshot(eng)
    result = ready(f"{GIFT} --as audrey --json")
    assert result.exit_code == 1
    doc = json.loads(result.stdout)
    assert doc["ok"] is False
    assert doc["errors"][0]["code"] == "operator.role_refused"
    assert doc["errors"][0]["message"] == result.stderr.strip()
    assert snapshot(eng) == before
