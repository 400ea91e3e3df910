"""``fund operators add|list``: who may act, and every refusal of ``add``."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import Engine

from tests.cli.helpers import Typed, add_county, as_json, ok, refused, refused_unchanged
from tests.conftest import snapshot

# PostgreSQL login roles are server-wide: one worker runs every test that makes them
pytestmark = pytest.mark.xdist_group("server_roles")

# --- success -----------------------------------------------------------------


def test_admin_adds_a_finance_operator(ready: Typed) -> None:
    assert ok(ready("operators add bob --role finance --as root")).stdout == (
        "已添加操作员 bob（finance）\n"
    )
    bob = {"name": "bob", "role": "finance", "county_code": None, "active": True}
    assert bob in as_json(ready("--json operators list"))


def test_add_operator_json(ready: Typed) -> None:
    doc = as_json(ready("operators add bob --role auditor --as root --json"))
    assert doc == {"ok": True, "name": "bob", "role": "auditor", "county": None}


def test_add_operator_in_english(ready: Typed) -> None:
    result = ok(ready("operators add bob --role admin --as root --lang en"))
    assert result.stdout == "added operator bob (admin)\n"


def test_admin_adds_a_county_operator_for_a_county_in_the_register(
    ready: Typed, eng: Engine
) -> None:
    add_county(eng, "522631")
    doc = as_json(ready("--json operators add liping --role county --county 522631 --as root"))
    assert doc == {"ok": True, "name": "liping", "role": "county", "county": "522631"}
    listed = {o["name"]: o for o in as_json(ready("--json operators list"))}
    assert listed["liping"]["county_code"] == "522631"
    table = {ln.split()[0]: ln.split()[1:] for ln in ready("operators list").stdout.splitlines()}
    assert table["liping"] == ["county", "522631", "在用"]


def test_operators_list_is_an_aligned_table(ready: Typed) -> None:
    lines = ok(ready("operators list")).stdout.splitlines()
    assert lines[0].split() == ["名称", "角色", "县", "状态"]
    assert set(lines[1]) <= {"-", " "}
    assert [ln.split() for ln in lines[2:]] == [
        ["alice", "finance", "在用"],
        ["audrey", "auditor", "在用"],
        ["root", "admin", "在用"],
    ]


def test_operators_list_in_english(ready: Typed) -> None:
    lines = ok(ready("operators list --lang en")).stdout.splitlines()
    assert lines[0].split() == ["name", "role", "county", "status"]
    assert lines[-1].split() == ["root", "admin", "active"]


def test_operators_list_json_is_sorted_by_name(ready: Typed) -> None:
    doc = as_json(ready("operators list --json"))
    assert [o["name"] for o in doc] == ["alice", "audrey", "root"]
    assert all(o["active"] is True for o in doc)


def test_operator_env_var_works_in_place_of_as(ready: Typed) -> None:
    result = ready("operators add bob --role finance", env={"FUNDCORE_OPERATOR": "root"})
    assert ok(result).stdout == "已添加操作员 bob（finance）\n"


def test_a_later_init_admin_adds_no_operator(ready: Typed, eng: Engine) -> None:
    before = snapshot(eng)
    refused_unchanged(ready, eng, "init --admin mallory", "operator.missing")
    ok(ready("init --admin mallory --as root"))
    assert snapshot(eng) == before


# --- refusals ----------------------------------------------------------------


def test_add_without_as_is_refused(ready: Typed, eng: Engine) -> None:
    refused_unchanged(ready, eng, "operators add bob --role finance", "operator.missing")


def test_add_without_as_message_literally(ready: Typed) -> None:
    result = ready("operators add bob --role finance")
    assert result.stderr == "未指定操作员：请使用 --as 或环境变量 FUNDCORE_OPERATOR\n"
    result = ready("operators add bob --role finance --lang en")
    assert result.stderr == "no operator given: use --as or FUNDCORE_OPERATOR\n"


def test_add_by_an_unknown_operator_is_refused(ready: Typed, eng: Engine) -> None:
    line = "operators add bob --role finance --as ghost"
    refused_unchanged(ready, eng, line, "operator.unknown", name="ghost")


@pytest.mark.parametrize(("actor", "role"), [("alice", "finance"), ("audrey", "auditor")])
def test_only_an_admin_adds_operators(ready: Typed, eng: Engine, actor: str, role: str) -> None:
    line = f"operators add bob --role admin --as {actor}"
    params = {"name": actor, "role": role, "action": "operators.add"}
    refused_unchanged(ready, eng, line, "operator.role_refused", **params)


def test_finance_adding_an_operator_message_in_english(ready: Typed) -> None:
    result = ready("operators add bob --role admin --as alice --lang en")
    params = {"name": "alice", "role": "finance", "action": "operators.add"}
    refused(result, "operator.role_refused", "en", **params)
    assert result.stderr == "operator alice (role finance) may not do operators.add\n"


def test_a_county_operator_needs_a_county(ready: Typed, eng: Engine) -> None:
    line = "operators add bob --role county --as root"
    refused_unchanged(ready, eng, line, "operator.county_needed")


def test_only_a_county_operator_takes_a_county(ready: Typed, eng: Engine) -> None:
    add_county(eng, "522631")
    line = "operators add bob --role finance --county 522631 --as root"
    refused_unchanged(ready, eng, line, "operator.county_only")


def test_an_unknown_county_is_refused(ready: Typed, eng: Engine) -> None:
    line = "operators add bob --role county --county 999999 --as root"
    result = refused_unchanged(ready, eng, line, "county.unknown", code="999999")
    assert result.stderr == "县代码不在名录中：999999\n"


def test_an_unknown_county_in_english(ready: Typed) -> None:
    result = ready("operators add bob --role county --county 999999 --as root --lang en")
    refused(result, "county.unknown", "en", code="999999")


def test_a_duplicate_operator_is_refused(ready: Typed, eng: Engine) -> None:
    line = "operators add alice --role auditor --as root"
    result = refused_unchanged(ready, eng, line, "operator.exists", name="alice")
    assert result.stderr == "操作员已存在：alice\n"


def test_a_duplicate_operator_message_in_english(ready: Typed) -> None:
    result = ready("operators add alice --role finance --as root --lang en")
    refused(result, "operator.exists", "en", name="alice")
    assert result.stderr == "operator already exists: alice\n"


def test_an_invalid_operator_name_is_refused(ready: Typed, eng: Engine) -> None:
    line = "operators add 'a b' --role finance --as root"
    refused_unchanged(ready, eng, line, "operator.bad_name", name="a b")


def test_a_refusal_with_json_prints_the_error_code(ready: Typed, eng: Engine) -> None:
    before = snapshot(eng)
    result = ready("--json operators add alice --role finance --as root")
    assert result.exit_code == 1
    doc = json.loads(result.stdout)
    assert doc["ok"] is False
    assert [e["code"] for e in doc["errors"]] == ["operator.exists"]
    assert snapshot(eng) == before
