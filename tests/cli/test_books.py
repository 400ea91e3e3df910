"""The books an auditor asks for: ``fund ledger journal|account|balances``, ``fund audit list``,
and the trial balance's debit and credit balances."""

from __future__ import annotations

import csv
from pathlib import Path

from openpyxl import load_workbook
from sqlalchemy import Engine

from tests.cli.helpers import Typed, add_county, as_json, donate, ok, refused, refused_unchanged


def _books(ready: Typed) -> None:
    """Two gifts in March and April 2019, the first reversed in May, and a third in June."""
    donate(ready, "500000", on="2019-03-01")
    donate(ready, "1000.50", on="2019-04-02")
    ok(ready("ledger reverse 1 --date 2019-05-06 --reason 金额录错 --as alice"))
    donate(ready, "200000", on="2019-06-03")


def _rows(doc: dict) -> list[dict]:
    return doc["rows"]


# --- 科目余额表 ------------------------------------------------------------------------------


def test_account_balances_open_move_and_close_per_account(ready: Typed) -> None:
    _books(ready)
    doc = as_json(ready("--json ledger balances --from 2019-04-01 --to 2019-05-31 --as audrey"))
    rows = {r["account"]: r for r in _rows(doc)}
    # the bank opened April with the first gift, took the second, gave the first back
    assert rows["1002"] == {
        "account": "1002",
        "account_name": "银行存款",
        "opening_debit_fen": 50_000_000,
        "opening_credit_fen": 0,
        "period_debits_fen": 100_050,
        "period_credits_fen": 50_000_000,
        "closing_debit_fen": 100_050,
        "closing_credit_fen": 0,
    }
    # income is a credit balance: in the credit columns
    assert rows["4101.01"]["opening_credit_fen"] == 50_000_000
    assert rows["4101.01"]["closing_credit_fen"] == 100_050
    assert rows["4101.01"]["closing_debit_fen"] == 0
    total = _rows(doc)[-1]
    assert total["account_name"] == "合计"
    for stage in ("opening", "closing"):
        assert total[f"{stage}_debit_fen"] == total[f"{stage}_credit_fen"]
    # the second gift (100,050) and the reversal of the first (50万) on each side
    assert total["period_debits_fen"] == total["period_credits_fen"] == 50_100_050


def test_account_balances_columns_agree_and_leave_out_idle_accounts(ready: Typed) -> None:
    _books(ready)
    doc = as_json(ready("--json ledger balances --from 2019-01-01 --to 2019-12-31 --as audrey"))
    rows = _rows(doc)
    assert [r["account"] for r in rows[:-1]] == ["1002", "4101.01"]
    total = rows[-1]
    # four gifts' worth of movement: 50万 + 1000.50 + 20万 in, 50万 back out, on each side
    moved = 50_000_000 + 100_050 + 20_000_000 + 50_000_000
    assert total["period_debits_fen"] == total["period_credits_fen"] == moved
    assert total["closing_debit_fen"] == total["closing_credit_fen"] == 20_100_050
    assert (total["opening_debit_fen"], total["opening_credit_fen"]) == (0, 0)


def test_account_balances_as_text_in_both_languages(ready: Typed) -> None:
    _books(ready)
    zh = ok(ready("ledger balances --from 2019-01-01 --to 2019-12-31 --as audrey")).stdout
    lines = zh.splitlines()
    assert lines[0] == "科目余额表"
    assert lines[1].split() == [
        "科目代码", "科目名称", "期初借方", "期初贷方",
        "本期借方", "本期贷方", "期末借方", "期末贷方",
    ]  # fmt: skip
    assert lines[-1].split() == ["合计", "0.00", "0.00", "1201000.50", "1201000.50",
                                 "201000.50", "201000.50"]  # fmt: skip
    en = ok(ready("--lang en ledger balances --from 2019-01-01 --to 2019-12-31 --as audrey"))
    assert en.stdout.splitlines()[0] == "Account balances"
    assert en.stdout.splitlines()[-1].split()[0] == "Total"


# --- 明细账 ----------------------------------------------------------------------------------


def test_account_ledger_runs_the_balance_with_its_side(ready: Typed) -> None:
    _books(ready)
    doc = as_json(ready("--json ledger account 1002 --from 2019-04-01 --to 2019-12-31 --as audrey"))
    rows = _rows(doc)
    assert rows[0]["memo"] == "期初余额"
    assert (rows[0]["side"], rows[0]["balance_fen"]) == ("借", 50_000_000)
    movements = [(r["entry"], r["debit_fen"], r["credit_fen"], r["side"], r["balance_fen"])
                 for r in rows[1:-1]]  # fmt: skip
    assert movements == [
        (2, 100_050, None, "借", 50_100_050),
        (3, None, 50_000_000, "借", 100_050),
        (4, 20_000_000, None, "借", 20_100_050),
    ]
    closing = rows[-1]
    assert closing["memo"] == "本期合计"
    assert (closing["debit_fen"], closing["credit_fen"]) == (20_100_050, 50_000_000)
    assert (closing["side"], closing["balance_fen"]) == ("借", 20_100_050)


def test_account_ledger_of_an_income_account_is_on_the_credit_side(ready: Typed) -> None:
    _books(ready)
    doc = as_json(
        ready("--json ledger account 4101.01 --from 2019-01-01 --to 2019-04-30 --as audrey")
    )
    rows = _rows(doc)
    assert (rows[0]["side"], rows[0]["balance_fen"]) == ("平", 0)
    assert (rows[-1]["side"], rows[-1]["balance_fen"]) == ("贷", 50_100_050)


def test_account_ledger_of_an_unknown_account_is_refused(ready: Typed) -> None:
    refused(
        ready("ledger account 9999 --from 2019-01-01 --to 2019-12-31 --as audrey"),
        "ledger.unknown_account",
        account="9999",
    )


# --- 序时账 ----------------------------------------------------------------------------------


def test_journal_lists_every_line_in_date_order_with_totals(ready: Typed) -> None:
    _books(ready)
    doc = as_json(ready("--json ledger journal --from 2019-04-01 --to 2019-05-31 --as audrey"))
    rows = _rows(doc)
    assert [(r["date"], r["entry"], r["account"]) for r in rows[:-1]] == [
        ("2019-04-02", 2, "1002"),
        ("2019-04-02", 2, "4101.01"),
        ("2019-05-06", 3, "1002"),
        ("2019-05-06", 3, "4101.01"),
    ]
    assert rows[2]["kind"] == "冲销"
    assert (rows[2]["debit_fen"], rows[2]["credit_fen"]) == (None, 50_000_000)
    assert rows[0]["operator"] == "alice"
    assert (rows[-1]["debit_fen"], rows[-1]["credit_fen"]) == (50_100_050, 50_100_050)


def test_journal_of_an_empty_period_is_only_the_total(ready: Typed) -> None:
    _books(ready)
    doc = as_json(ready("--json ledger journal --from 2018-01-01 --to 2018-12-31 --as audrey"))
    assert _rows(doc) == [
        {"date": "", "entry": None, "kind": "", "memo": "合计", "account": "", "account_name": "",
         "debit_fen": 0, "credit_fen": 0, "operator": ""}
    ]  # fmt: skip


def test_a_period_that_runs_backwards_is_refused(ready: Typed) -> None:
    refused(
        ready("ledger journal --from 2019-12-31 --to 2019-01-01 --as audrey"),
        "statement.bad_period",
        start="2019-12-31",
        end="2019-01-01",
    )


# --- files ---------------------------------------------------------------------------------


def test_journal_as_csv_and_xlsx(ready: Typed, tmp_path: Path) -> None:
    _books(ready)
    out = tmp_path / "j.csv"
    year = "--from 2019-01-01 --to 2019-12-31"
    ok(ready(f"ledger journal {year} --format csv --out {out} --as audrey"))
    written = tmp_path / "j-journal.csv"
    with written.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0][:3] == ["日期", "凭证号", "业务"]
    assert len(rows) == 1 + 8 + 1  # header, four two-line entries, total
    assert rows[-1][6:8] == ["1201000.50", "1201000.50"]
    book = tmp_path / "j.xlsx"
    ok(ready(f"ledger journal {year} --format xlsx --out {book} --as audrey"))
    sheet = load_workbook(book).active
    assert sheet.title == "序时账"
    assert sheet.max_row == 10


def test_a_file_format_needs_out_and_never_replaces_the_database(
    ready: Typed, tmp_path: Path, eng: Engine
) -> None:
    _books(ready)
    refused(
        ready("ledger balances --from 2019-01-01 --to 2019-12-31 --format xlsx --as audrey"),
        "statement.out_needed",
    )
    existing = tmp_path / "b.xlsx"
    existing.write_bytes(b"keep")
    result = ready(f"ledger balances --from 2019-01-01 --to 2019-12-31 --format xlsx "
                   f"--out {existing} --as audrey")  # fmt: skip
    assert result.exit_code == 1
    assert existing.read_bytes() == b"keep"


# --- who may read -----------------------------------------------------------------------


def test_a_county_league_may_not_read_the_books_or_the_log(ready: Typed, eng: Engine) -> None:
    _books(ready)
    add_county(eng)
    ok(ready("operators add league --role county --county 522631 --as root"))
    for line in (
        "ledger journal --from 2019-01-01 --to 2019-12-31",
        "ledger account 1002 --from 2019-01-01 --to 2019-12-31",
        "ledger balances --from 2019-01-01 --to 2019-12-31",
        "audit list --from 2026-01-01 --to 2026-12-31",
    ):
        action = "audit.read" if line.startswith("audit") else "ledger.read"
        refused_unchanged(
            ready, eng, f"{line} --as league", "operator.role_refused",
            name="league", role="county", action=action,
        )  # fmt: skip


# --- 操作日志 --------------------------------------------------------------------------------


def test_audit_list_by_day_operator_and_kind(ready: Typed) -> None:
    _books(ready)
    # the tests' clock is fixed (tests/conftest.py): every record is made on that day
    doc = as_json(ready("--json audit list --from 2026-01-01 --to 2026-01-01 --as audrey"))
    actions = [r["action"] for r in _rows(doc)]
    assert "init" in actions and actions.count("operators.add") == 3  # root, alice, audrey
    assert actions.count("donations.record") == 3
    gifts = as_json(
        ready("--json audit list --from 2026-01-01 --to 2026-01-01 --kind donations --as audrey")
    )
    assert {r["action"] for r in _rows(gifts)} == {"donations.record"}
    assert {r["business_date"] for r in _rows(gifts)} == {"2019-03-01", "2019-04-02", "2019-06-03"}
    mine = as_json(
        ready("--json audit list --from 2026-01-01 --to 2026-01-01 --operator root --as audrey")
    )
    assert {r["operator"] for r in _rows(mine)} == {"root"}
    # a kind is a whole word of the action: "donation" is not "donations"
    none = as_json(
        ready("--json audit list --from 2026-01-01 --to 2026-01-01 --kind donation --as audrey")
    )
    assert _rows(none) == []


def test_audit_list_outside_the_days_recorded_is_empty(ready: Typed) -> None:
    _books(ready)
    doc = as_json(ready("--json audit list --from 2025-01-01 --to 2025-12-31 --as audrey"))
    assert _rows(doc) == []


# --- the trial balance's sides ------------------------------------------------------------


def test_trial_balance_puts_each_balance_on_its_side_and_the_sides_agree(ready: Typed) -> None:
    _books(ready)
    lines = ok(ready("ledger trial-balance")).stdout.splitlines()
    assert lines[1].split() == ["科目", "名称", "借方发生额", "贷方发生额", "借方余额", "贷方余额"]
    rows = {ln.split()[0]: ln.split()[1:] for ln in lines[3:-2]}
    assert rows["1002"] == ["银行存款", "¥701,000.50", "¥500,000.00", "¥201,000.50"]
    assert rows["4101.01"] == ["捐赠收入—非限定性", "¥500,000.00", "¥701,000.50", "¥201,000.50"]
    assert lines[-2].split()[0] == "合计"
    assert lines[-2].split()[-2] == lines[-2].split()[-1]
    assert lines[-1] == "借贷平衡"
    doc = as_json(ready("--json ledger trial-balance"))
    assert doc["debit_balances_fen"] == doc["credit_balances_fen"] == 20_100_050
    sides = {a["code"]: a["balance_side"] for a in doc["accounts"]}
    assert (sides["1002"], sides["4101.01"], sides["1211"]) == ("D", "C", None)
