"""``fund init``, ``fund db upgrade|current|check``, a database never initialised, usage errors."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import Engine

from fundcore.domain import chart
from fundcore.messages import render
from fundcore.store import pii_key, schema
from fundcore.store.paths import sqlite_file
from tests.cli.helpers import Typed, as_json, nothing_created, ok, refused
from tests.conftest import Fund, snapshot

HEAD = schema.head_revision()
ACCOUNTS = len(chart.CHART)


def test_the_code_has_a_head_revision() -> None:
    assert HEAD is not None
    assert HEAD >= "0001"


# --- fund init ---------------------------------------------------------------


def test_init_creates_the_database_and_the_first_admin(fund: Typed) -> None:
    out = ok(fund("init --admin root")).stdout
    assert f"数据库已就绪（版本 {HEAD}）：{fund.url}" in out
    assert f"已载入会计科目 {ACCOUNTS} 个" in out
    assert "已载入默认政策（第1版）" in out
    assert "已创建首位管理员：root" in out
    operators = as_json(fund("--json operators list"))
    assert operators == [{"name": "root", "role": "admin", "county_code": None, "active": True}]


def test_init_json_reports_what_it_loaded(fund: Typed) -> None:
    doc = as_json(fund("init --admin root --json"))
    db = sqlite_file(fund.url)  # the anchors' signing key is made beside a SQLite fund.db
    key = pii_key.key_path(fund.url)
    assert doc == {
        "ok": True,
        "revision": HEAD,
        "accounts_added": ACCOUNTS,
        "policy_loaded": True,
        "admin_created": True,
        "signing_key": None if db is None else f"{db}.signing-key",
        "pii_key_made": str(key),
    }
    assert key is not None and key.is_file()
    assert as_json(fund("init --json --as root"))["pii_key_made"] is None  # made once


def test_init_speaks_english_with_lang_en(fund: Typed) -> None:
    out = ok(fund("init --admin root --lang en")).stdout
    assert f"database ready (revision {HEAD})" in out
    assert f"loaded {ACCOUNTS} accounts" in out
    assert "loaded the default policy (version 1)" in out
    assert "created the first admin: root" in out


def test_init_again_changes_nothing_and_creates_no_second_admin(fund: Typed, eng: Engine) -> None:
    ok(fund("init --admin root"))
    before = snapshot(eng)
    out = ok(fund("init --admin eve --as root")).stdout
    assert "已有操作员，未创建管理员；请由现有管理员用 fund operators add 添加" in out
    assert "已载入会计科目" not in out
    assert snapshot(eng) == before
    doc = as_json(fund("--json init --admin eve --as root"))
    assert (doc["accounts_added"], doc["policy_loaded"], doc["admin_created"]) == (0, False, False)


def test_init_without_admin_leaves_the_first_admin_for_later(fund: Typed) -> None:
    assert as_json(fund("--json init"))["admin_created"] is False
    assert as_json(fund("--json operators list")) == []
    assert "已创建首位管理员：root" in ok(fund("init --admin root")).stdout


def test_init_refuses_an_invalid_admin_name(fund: Typed) -> None:
    refused(fund("init --admin 'a b'"), "operator.bad_name", name="a b")


def test_refused_init_writes_nothing(fund: Typed) -> None:
    refused(fund("init --admin 'a b'"), "operator.bad_name", name="a b")
    assert nothing_created(fund.url)


def test_init_can_be_run_again_after_a_refused_init(fund: Typed) -> None:
    assert fund("init --admin 'a b'").exit_code == 1
    assert "已创建首位管理员：root" in ok(fund("init --admin root")).stdout
    assert ok(fund("ledger verify")).stdout.startswith("账簿完整")


# --- fund db ---------------------------------------------------------------


def test_db_current_shows_the_head_revision(fund: Typed) -> None:
    ok(fund("init"))
    assert ok(fund("db current")).stdout == f"当前版本 {HEAD}，最新 {HEAD}\n"
    assert as_json(fund("db current --json")) == {"current": HEAD, "head": HEAD}
    assert ok(fund("db current --lang en")).stdout == f"current {HEAD}, head {HEAD}\n"


def test_db_current_on_an_empty_database_says_none(fund: Typed) -> None:
    assert ok(fund("db current")).stdout == f"当前版本 无，最新 {HEAD}\n"
    assert as_json(fund("--json db current")) == {"current": None, "head": HEAD}


def test_db_check_passes_on_an_initialised_database(fund: Typed) -> None:
    ok(fund("init"))
    assert ok(fund("db check")).stdout == f"模型与迁移一致（版本 {HEAD}）\n"
    assert as_json(fund("db check --json")) == {"ok": True, "revision": HEAD}


def test_db_check_fails_on_an_empty_database(fund: Typed) -> None:
    result = fund("db check")
    assert result.exit_code == 1
    assert result.stdout == ""
    first = result.stderr.splitlines()[0]
    assert first.startswith("数据库版本 ")
    assert first.endswith(f"不是最新 {HEAD}")


def test_db_check_json_on_an_empty_database_lists_the_differences(fund: Typed) -> None:
    result = fund("--json db check")
    assert result.exit_code == 1
    doc = json.loads(result.stdout)
    assert (doc["ok"], doc["current"], doc["head"]) == (False, None, HEAD)
    assert doc["diffs"]


def test_db_check_on_a_missing_sqlite_file_creates_no_file(sqlite_url: str) -> None:
    assert Typed(Fund(sqlite_url))("db check").exit_code == 1
    assert nothing_created(sqlite_url)


def test_db_upgrade_migrates_an_empty_database_to_head(fund: Typed) -> None:
    assert ok(fund("db upgrade")).stdout == f"已升级到 {HEAD}\n"
    assert as_json(fund("db upgrade --json")) == {"ok": True, "revision": HEAD}
    assert ok(fund("db current")).stdout == f"当前版本 {HEAD}，最新 {HEAD}\n"


# --- a database that was never initialised ----------------------------------

NEVER_INITIALISED = [
    "ledger verify",
    "ledger trial-balance",
    "operators list",
    "operators add alice --role finance --as root",
    "donations record --amount 500 --donor X --date 2019-03-01 --as alice",
    "ledger reverse 1 --date 2019-03-01 --reason 错 --as alice",
]


@pytest.mark.parametrize("line", NEVER_INITIALISED, ids=lambda line: line.split(" --")[0])
def test_commands_on_a_database_never_initialised_are_refused(fund: Typed, line: str) -> None:
    refused(fund(line), "db.not_initialised")
    assert nothing_created(fund.url)


def test_never_initialised_message_literally(fund: Typed) -> None:
    assert fund("ledger verify").stderr == "数据库尚未初始化或版本过旧：请运行 fund init\n"
    result = refused(fund("ledger verify --lang en"), "db.not_initialised", "en")
    assert result.stderr == "the database is not initialised or out of date: run fund init\n"


def test_never_initialised_with_json_prints_the_error_document(fund: Typed) -> None:
    result = fund("--json ledger trial-balance")
    assert result.exit_code == 1
    message = render("db.not_initialised", {}, "zh")
    assert json.loads(result.stdout) == {
        "ok": False,
        "errors": [{"code": "db.not_initialised", "message": message}],
    }
    assert result.stderr.splitlines() == [message]
    assert nothing_created(fund.url)


# --- usage errors are click's: exit 2 ---------------------------------------


@pytest.mark.parametrize(
    ("line", "says"),
    [
        ("--lang en ledger nonsense", "No such command 'nonsense'"),
        ("--lang en donations record --amount 5", "Missing option '--donor'"),
        ("--lang en operators add bob --role boss --as root", "Invalid value for '--role'"),
        ("--lang en ledger reverse x --date 2019-03-01 --reason r", "'x' is not a valid integer"),
        ("ledger verify --lang fr", "'--lang' 的值无效"),
        ("--lang en ledger verify --bogus", "No such option '--bogus'"),
        ("donations record --amount 5", "缺少选项 '--donor'"),
    ],
    ids=[
        "unknown-command",
        "missing-option",
        "bad-role",
        "bad-seq",
        "bad-lang",
        "bad-option",
        "missing-option-zh",
    ],
)
def test_usage_error_exits_2(fund: Typed, eng: Engine, line: str, says: str) -> None:
    ok(fund("init --admin root"))
    before = snapshot(eng)
    result = fund(line)
    assert result.exit_code == 2
    assert says in result.stderr
    assert "Traceback" not in result.output
    assert snapshot(eng) == before
