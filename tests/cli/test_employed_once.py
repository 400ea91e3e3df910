"""An employed poor youth counts for one open project at a time (issue 14 item 8).

Per policy (``employee_one_project``, on by default) a youth already counted by another
open project is refused at intake (sheet and ``fund apply``), with that project's county
and ref masked, beside every other problem of the row; and again at approval, against
the projects approved since. The applicant never counts as their own employee.
"""

from __future__ import annotations

import json
import random
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine

from fundcore.domain.identity import mask_id
from tests.cli.helpers import Typed, as_json, ok
from tests.conftest import Fund, init_db, snapshot
from tests.factories import application_row, setup_fund, write_csv, youth_id

ON = date(2019, 6, 1)
LQ = "140224"
YOUTH = youth_id(random.Random(99), LQ, ON)


def _row(n: int, employed: str = YOUTH, **extra: str) -> dict[str, str]:
    """A loan led by someone not from a poor household, employing ``employed``."""
    row = application_row(random.Random(n), n, LQ, ON, "免息借款")
    row.update(
        registered_poor="否",
        amount="30000",
        term_months="24",
        local_support="1:1配资",
        employed_poor_ids=employed,
    )
    return row | extra


def _import(fund: Typed, tmp_path: Path, rows: list[dict[str, str]], on: date = ON):
    path = write_csv(tmp_path / f"s{random.random()}.csv", rows, lang="en")
    return fund(f"--lang en --json applications import {path} --date {on} --as lq")


@pytest.fixture
def lite(sqlite_url: str) -> tuple[Typed, Engine]:
    eng = init_db(sqlite_url)
    setup_fund(eng)
    yield Typed(Fund(sqlite_url)), eng
    eng.dispose()


def test_second_project_naming_the_same_youth_is_refused(
    engine: Engine, db_url: str, tmp_path: Path
) -> None:
    setup_fund(engine)
    fund = Typed(Fund(db_url))
    first = _row(1)
    ok(_import(fund, tmp_path, [first]))
    # in a later sheet, and twice within one sheet: each refused with all its problems
    before = snapshot(engine)
    r = _import(fund, tmp_path, [_row(2, amount="500000"), _row(3, employed=f"{YOUTH};{YOUTH}")])
    assert r.exit_code == 1
    lines = r.stderr.splitlines()
    taken = f"{mask_id(YOUTH)} ↔ {LQ}/{mask_id(first['ref'])}"
    assert [ln.split("]")[0] for ln in lines] == [
        "line 2 [amount",
        "line 2 [employed_poor_ids",
        "line 3 [employed_poor_ids",
    ]
    assert all(taken in ln for ln in lines[1:]), lines
    assert YOUTH not in r.stderr and first["ref"] not in r.stderr
    assert snapshot(engine) == before
    # two rows of one sheet naming a new youth: the first is taken, the second refused
    other = youth_id(random.Random(5), LQ, ON)
    doc = json.loads(
        _import(fund, tmp_path, [_row(4, employed=other), _row(5, employed=other)]).stdout
    )
    assert [t["line"] for t in doc["taken"]] == [2]
    assert [(e["line"], e["column"]) for e in doc["errors"]] == [(3, "employed_poor_ids")]


def test_fund_apply_ignores_the_applicant_among_the_employed_with_a_note(lite) -> None:
    """Listing oneself among the youth employed is superfluous, not wrong: the applicant
    is never counted there. The row is taken without them, and a note says so."""
    fund, eng = lite
    me = youth_id(random.Random(3), LQ, ON)
    r = fund(
        f"--lang en apply --ref A1 --name 王伟 --id-number {me} --phone 13800138000 "
        f"--county {LQ} --registered-poor 否 --project-name 香菇 --instrument loan "
        f"--amount 30000 --term 24 --local-support matching --employed {me};{YOUTH} "
        f"--date {ON} --as lq"
    )
    assert r.exit_code == 0, r.stderr
    assert r.stderr.splitlines() == [
        "note: --employed: the applicant is never counted among the youth employed; "
        "ignored in this column"
    ]
    review = as_json(fund("--json review 1 --as fin1"))
    assert review["eligible"]


def test_fund_apply_alone_as_own_employee_is_refused_for_employing_nobody(lite) -> None:
    fund, eng = lite
    me = youth_id(random.Random(3), LQ, ON)
    before = snapshot(eng)
    r = fund(
        f"apply --ref A1 --name 王伟 --id-number {me} --phone 13800138000 "
        f"--county {LQ} --registered-poor 否 --project-name 香菇 --instrument loan "
        f"--amount 30000 --term 24 --local-support matching --employed {me} "
        f"--date {ON} --as lq"
    )
    assert r.exit_code == 1
    assert r.stderr.splitlines() == [
        "提示：--employed：申请人本人不计入带动就业的贫困青年，已从该列忽略",
        "--employed: 非建档立卡贫困户负责人须带动至少 1 名贫困家庭青年就业，有效的只有 0 名",
    ]
    assert snapshot(eng) == before


def test_policy_off_lets_a_youth_count_twice_and_approval_checks_again(
    lite, tmp_path: Path
) -> None:
    fund, eng = lite
    ok(fund("policy set employee_one_project=否 --effective 2019-01-01 --as root"))
    doc = as_json(_import(fund, tmp_path, [_row(1), _row(2)]))
    first, second = (t["id"] for t in doc["taken"])
    ok(fund(f"approve {first} --date 2019-06-02 --as fin1"))
    ok(fund("policy set employee_one_project=是 --effective 2019-06-03 --as root"))
    # the first was approved since the second came in: the second is refused
    before = snapshot(eng)
    r = fund(f"--lang en approve {second} --date 2019-06-04 --as fin1")
    assert r.exit_code == 1
    ref = _row(1)["ref"]
    assert f"{mask_id(YOUTH)} ↔ {LQ}/{mask_id(ref)}" in r.stderr, r.stderr
    assert snapshot(eng) == before
    review = as_json(fund(f"--json review {second} --as fin1"))
    assert review["eligible"]  # under the policy it came in under
    # the first approval cancelled, the youth is free for the second
    ok(fund(f"cancel {first} --reason 放弃 --date 2019-06-04 --as fin2"))
    ok(fund(f"approve {second} --date 2019-06-04 --as fin1"))


def test_a_withdrawn_project_frees_its_youth(lite, tmp_path: Path) -> None:
    fund, _ = lite
    (first,) = (t["id"] for t in as_json(_import(fund, tmp_path, [_row(1)]))["taken"])
    assert _import(fund, tmp_path, [_row(2)]).exit_code == 1
    ok(fund(f"applications withdraw {first} --reason 项目取消 --date 2019-06-02 --as lq"))
    ok(_import(fund, tmp_path, [_row(2)], date(2019, 6, 2)))
