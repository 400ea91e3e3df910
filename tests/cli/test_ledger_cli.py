"""``fund ledger trial-balance|verify|reverse`` and where the global options may go."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from sqlalchemy import Engine, text

from cli.main import fund as fund_group
from cli.table import width
from fundcore.domain import chart
from tests.cli.helpers import (
    Typed,
    as_json,
    balances,
    donate,
    entries,
    ok,
    refused,
    refused_unchanged,
)


def reverse(seq: int, on: str = "2019-03-02") -> str:
    return f"ledger reverse {seq} --date {on} --reason 金额录错"


# --- trial balance -------------------------------------------------------------


def test_trial_balance_of_a_new_ledger_is_all_zero(ready: Typed) -> None:
    doc = as_json(ready("--json ledger trial-balance"))
    assert doc["as_of"] is None
    assert len(doc["accounts"]) == len(chart.CHART)
    assert (doc["total_debit_fen"], doc["total_credit_fen"], doc["balanced"]) == (0, 0, True)


def test_trial_balance_shows_the_donation_and_equal_totals(ready: Typed) -> None:
    donate(ready, "50万")
    lines = ok(ready("ledger trial-balance")).stdout.splitlines()
    assert lines[0] == "试算平衡表"
    assert lines[1].split() == ["科目", "名称", "借方发生额", "贷方发生额", "借方余额", "贷方余额"]
    rows = {ln.split()[0]: ln.split()[1:] for ln in lines[3:-2]}
    # the bank's balance sits on the debit side, the income's on the credit side
    assert rows["1002"] == ["银行存款", "¥500,000.00", "¥0.00", "¥500,000.00"]
    assert rows["4101.01"] == ["捐赠收入—非限定性", "¥0.00", "¥500,000.00", "¥500,000.00"]
    assert rows["4101.02"] == ["捐赠收入—限定性", "¥0.00", "¥0.00"]
    assert lines[-2].split() == ["合计"] + ["¥500,000.00"] * 4
    assert lines[-1] == "借贷平衡"


def test_trial_balance_columns_are_aligned_in_display_width(ready: Typed) -> None:
    donate(ready, "50万")
    lines = ok(ready("ledger trial-balance")).stdout.splitlines()[1:-1]
    header, rule, total = lines[0], lines[1], lines[-1]
    full = width(rule)
    assert width(header) == width(total) == full
    # a row ends at its last figure: the full width with a credit balance, one column
    # (and its gap) short with a debit balance, two with none
    credit, debit = (len(col) + 2 for col in rule.split()[-1:-3:-1])
    assert {width(ln) for ln in lines[2:-1]} <= {full, full - credit, full - credit - debit}


def test_trial_balance_json_totals_are_equal(ready: Typed) -> None:
    donate(ready, "500000")
    donate(ready, "1000.50", "--restricted 助学")
    doc = as_json(ready("ledger trial-balance --json"))
    assert doc["total_debit_fen"] == doc["total_credit_fen"] == 50_100_050
    assert doc["balanced"] is True
    bank = next(a for a in doc["accounts"] if a["code"] == "1002")
    assert bank == {
        "code": "1002",
        "name": "银行存款",
        "type": "asset",
        "debit_fen": 50_100_050,
        "credit_fen": 0,
        "balance_fen": 50_100_050,
        "balance": "501000.50",
        "balance_side": "D",
    }


def test_trial_balance_in_english(ready: Typed) -> None:
    donate(ready, "500000")
    lines = ok(ready("ledger trial-balance --lang en")).stdout.splitlines()
    assert lines[0] == "Trial balance"
    assert lines[1].split() == ["account", "name", "debits", "credits", "debit", "balance",
                                "credit", "balance"]  # fmt: skip
    bank = next(ln for ln in lines if ln.startswith("1002"))
    assert bank.split() == ["1002", "Bank", "deposits", "¥500,000.00", "¥0.00", "¥500,000.00"]
    assert lines[-2].split() == ["total"] + ["¥500,000.00"] * 4
    assert lines[-1] == "debits equal credits"


def test_trial_balance_as_of_before_the_first_donation_is_zero(ready: Typed) -> None:
    donate(ready, "500000", on="2019-03-01")
    acc = balances(ready, "--as-of 2019-02-28")
    assert all(a["debit_fen"] == a["credit_fen"] == 0 for a in acc.values())
    lines = ok(ready("ledger trial-balance --as-of 2019-02-28")).stdout.splitlines()
    assert lines[0] == "试算平衡表（截至 2019-02-28）"
    assert lines[-2].split() == ["合计"] + ["¥0.00"] * 4


def test_trial_balance_as_of_includes_that_day(ready: Typed) -> None:
    donate(ready, "500000", on="2019-03-01")
    donate(ready, "1000", on="2019-04-01")
    doc = as_json(ready("--json ledger trial-balance --as-of 2019-03-01"))
    assert doc["as_of"] == "2019-03-01"
    assert doc["total_debit_fen"] == doc["total_credit_fen"] == 50_000_000
    assert balances(ready)["1002"]["balance_fen"] == 50_100_000


def test_trial_balance_refuses_a_bad_as_of_date(ready: Typed) -> None:
    result = ready("ledger trial-balance --as-of 2019-02-30")
    refused(result, "date.invalid", text="2019-02-30")


# --- verify --------------------------------------------------------------------


def test_verify_a_new_ledger(ready: Typed) -> None:
    out = ok(ready("ledger verify")).stdout
    assert out == f"账簿完整: 分录 0 条，分录行 0 行，链头 #0 {'0' * 64}\n"


def test_verify_after_a_donation(ready: Typed) -> None:
    donate(ready)
    out = ok(ready("ledger verify")).stdout
    assert out.startswith("账簿完整: 分录 1 条，分录行 2 行，链头 #1 ")


def test_verify_json(ready: Typed) -> None:
    donate(ready)
    doc = as_json(ready("ledger verify --json"))
    assert (doc["ok"], doc["entries"], doc["lines"], doc["head_seq"]) == (True, 1, 2, 1)
    assert len(doc["head_hash"]) == 64
    assert doc["problems"] == []


def test_verify_in_english(ready: Typed) -> None:
    donate(ready)
    out = ok(ready("ledger verify --lang en")).stdout
    assert out.startswith("ledger intact: 1 entries, 2 lines, head #1 ")


def test_verify_exits_1_when_a_kept_balance_was_tampered_with(ready: Typed, eng: Engine) -> None:
    donate(ready)
    with eng.begin() as conn:
        conn.execute(text("UPDATE account_balances SET debit_fen = 1 WHERE account_code = '1002'"))
    result = ready("ledger verify")
    assert result.exit_code == 1
    assert result.stdout.startswith("账簿已损坏: ")
    assert "科目 1002 的余额与分录合计不符" in result.stderr.splitlines()
    doc = json.loads(ready("--json ledger verify").stdout)
    assert doc["ok"] is False
    assert {"code": "verify.balance_mismatch", "account": "1002"} in doc["problems"]


# --- reverse -------------------------------------------------------------------


def test_finance_reverses_an_entry(ready: Typed) -> None:
    donate(ready)
    assert ok(ready(f"{reverse(1)} --as alice")).stdout == "已冲销分录 #1，冲销分录 #2\n"


def test_reverse_json_and_english(ready: Typed) -> None:
    donate(ready)
    donate(ready)
    doc = as_json(ready(f"{reverse(1)} --as alice --json"))
    assert doc == {"ok": True, "reversed": 1, "entry_seq": 3}
    result = ok(ready(f"{reverse(2)} --as alice --lang en"))
    assert result.stdout == "reversed entry #2 by entry #4\n"


def test_after_reversal_the_bank_is_back_to_zero_and_the_ledger_verifies(ready: Typed) -> None:
    donate(ready, "500000")
    ok(ready(f"{reverse(1)} --as alice"))
    acc = balances(ready)
    assert acc["1002"]["balance_fen"] == 0
    assert acc["4101.01"]["balance_fen"] == 0
    assert acc["1002"]["debit_fen"] == acc["1002"]["credit_fen"] == 50_000_000
    assert ok(ready("ledger verify")).stdout.startswith("账簿完整: 分录 2 条，分录行 4 行")
    assert balances(ready, "--as-of 2019-03-01")["1002"]["balance_fen"] == 50_000_000


def test_reversal_on_the_original_date_is_allowed(ready: Typed) -> None:
    donate(ready, on="2019-03-01")
    ok(ready(f"{reverse(1, '2019-03-01')} --as alice"))


def test_reversal_by_the_env_operator(ready: Typed) -> None:
    donate(ready)
    ok(ready(reverse(1), env={"FUNDCORE_OPERATOR": "alice"}))
    assert entries(ready) == 2


def test_reversing_a_nonexistent_entry_is_refused(ready: Typed, eng: Engine) -> None:
    donate(ready)
    line = f"{reverse(9)} --as alice"
    result = refused_unchanged(ready, eng, line, "ledger.no_such_entry", seq=9)
    assert result.stderr == "分录不存在：#9\n"


def test_reversing_a_seq_beyond_any_integer_column_says_no_such_entry(
    ready: Typed, eng: Engine
) -> None:
    seq = 10**20
    line = f"{reverse(seq)} --as alice"
    refused_unchanged(ready, eng, line, "ledger.no_such_entry", seq=seq)


def test_reversing_twice_is_refused(ready: Typed, eng: Engine) -> None:
    donate(ready)
    ok(ready(f"{reverse(1)} --as alice"))
    line = f"{reverse(1)} --as alice"
    result = refused_unchanged(ready, eng, line, "ledger.already_reversed", seq=1, by=2)
    assert result.stderr == "分录 #1 已被 #2 冲销\n"


def test_reversing_twice_in_english(ready: Typed) -> None:
    donate(ready)
    ok(ready(f"{reverse(1)} --as alice"))
    result = ready(f"{reverse(1)} --as alice --lang en")
    refused(result, "ledger.already_reversed", "en", seq=1, by=2)
    assert result.stderr == "entry #1 was already reversed by #2\n"


def test_reversing_a_reversal_is_refused(ready: Typed, eng: Engine) -> None:
    donate(ready)
    ok(ready(f"{reverse(1)} --as alice"))
    refused_unchanged(ready, eng, f"{reverse(2)} --as alice", "ledger.reverse_a_reversal", seq=2)


def test_reversal_dated_before_the_original_is_refused(ready: Typed, eng: Engine) -> None:
    donate(ready, on="2019-03-01")
    line = f"{reverse(1, '2019-02-28')} --as alice"
    params = {"seq": 1, "date": "2019-03-01"}
    result = refused_unchanged(ready, eng, line, "ledger.reversal_before_original", **params)
    assert result.stderr == "冲销日期不能早于原分录日期 2019-03-01（#1）\n"


def test_reversal_needs_a_reason(ready: Typed, eng: Engine) -> None:
    donate(ready)
    line = "ledger reverse 1 --date 2019-03-02 --reason ' ' --as alice"
    refused_unchanged(ready, eng, line, "ledger.reason_needed")


def test_reversal_with_a_bad_date_is_refused(ready: Typed, eng: Engine) -> None:
    donate(ready)
    line = f"{reverse(1, '2019-02-30')} --as alice"
    refused_unchanged(ready, eng, line, "date.invalid", text="2019-02-30")


def test_reverse_without_as_is_refused(ready: Typed, eng: Engine) -> None:
    donate(ready)
    refused_unchanged(ready, eng, reverse(1), "operator.missing")


@pytest.mark.parametrize(("actor", "role"), [("audrey", "auditor"), ("root", "admin")])
def test_only_finance_reverses_entries(ready: Typed, eng: Engine, actor: str, role: str) -> None:
    donate(ready)
    params = {"name": actor, "role": role, "action": "ledger.reverse"}
    refused_unchanged(ready, eng, f"{reverse(1)} --as {actor}", "operator.role_refused", **params)


# --- global options before or after the subcommand -------------------------------


def test_lang_before_between_or_after_the_subcommand(ready: Typed) -> None:
    donate(ready)
    before = ok(ready("--lang en ledger verify")).stdout
    between = ok(ready("ledger --lang en verify")).stdout
    after = ok(ready("ledger verify --lang en")).stdout
    assert before == between == after
    assert before.startswith("ledger intact")


def test_json_before_or_after_the_subcommand(ready: Typed) -> None:
    donate(ready)
    assert as_json(ready("--json ledger trial-balance")) == as_json(
        ready("ledger trial-balance --json")
    )


def test_as_before_the_subcommand(ready: Typed) -> None:
    result = ready("--as alice donations record --amount 100 --donor X --date 2019-03-01")
    assert ok(result).stdout == "已记录捐赠 #1：¥100.00，分录 #1\n"


def test_lang_after_the_subcommand_applies_to_refusals(ready: Typed, eng: Engine) -> None:
    line = f"{reverse(7)} --as alice --lang en"
    refused_unchanged(ready, eng, line, "ledger.no_such_entry", "en", seq=7)


def test_db_after_the_subcommand(ready: Typed) -> None:
    donate(ready)
    args = ["ledger", "verify", "--json", "--db", ready.url]
    result = CliRunner().invoke(fund_group, args, env={}, catch_exceptions=False)
    assert json.loads(ok(result).stdout)["entries"] == 1


def test_db_from_the_environment(ready: Typed) -> None:
    env = {"FUNDCORE_DB": ready.url}
    result = CliRunner().invoke(fund_group, ["--json", "ledger", "verify"], env=env)
    assert json.loads(ok(result).stdout)["entries"] == 0
