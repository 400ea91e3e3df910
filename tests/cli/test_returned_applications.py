"""A returned application is back with its county (issue 14 item 7).

The county league corrects it (``fund applications amend ID field=value … --date D``),
which screens it again under the policy in force on D, keeps the earlier content and
puts it back in the review queue; or withdraws it (``fund applications withdraw ID
--reason``), which lets its applicant apply again. A half-approved application shows
"已批准 1/2" in ``applications show`` and ``list``.
"""

from __future__ import annotations

import json
import random
from datetime import date

import pytest
from sqlalchemy import Engine, select

from fundcore.messages import render
from fundcore.store.models import ApplicationAmendment, AuditRecord, Decision
from tests.cli.helpers import Typed, as_json, ok, refused, refused_unchanged
from tests.conftest import Fund, init_db, snapshot
from tests.factories import setup_fund, youth_id

ON = date(2019, 6, 1)
LQ = "140224"


def _apply(fund: Typed, ref: str, person: str, amount: str = "30000", **extra: str) -> int:
    """lq submits a registered-poor-led interest-free loan on ON; its id."""
    line = (
        f"--json apply --ref {ref} --name 王伟 --id-number {person} --phone 13800138000 "
        f"--county {LQ} --registered-poor 是 --project-name 香菇种植 --instrument loan "
        f"--amount {amount} --term 24 --local-support matching --date {ON} --as lq"
    )
    line += "".join(f" --{k.replace('_', '-')} {v}" for k, v in extra.items())
    return int(as_json(fund(line))["id"])


def _returned(fund: Typed, ref: str = "R1", amount: str = "30000") -> int:
    app_id = _apply(fund, ref, youth_id(random.Random(ref), LQ, ON), amount)
    ok(fund(f"return {app_id} --reason 请补充营业执照 --date 2019-06-05 --as fin1"))
    return app_id


def _shown(fund: Typed, app_id: int, extra: str = "--as fin1") -> dict:
    return as_json(fund(f"--json applications show {app_id} {extra}"))


@pytest.fixture
def both(engine: Engine, db_url: str) -> tuple[Typed, Engine]:
    setup_fund(engine)
    return Typed(Fund(db_url)), engine


@pytest.fixture
def fund(sqlite_url: str) -> tuple[Typed, Engine]:
    eng = init_db(sqlite_url)
    setup_fund(eng)
    yield Typed(Fund(sqlite_url)), eng
    eng.dispose()


def test_amended_application_is_screened_again_kept_and_approvable(both) -> None:
    fund, eng = both
    app_id = _returned(fund)
    refused(
        fund(f"approve {app_id} --date 2019-06-06 --as fin2"),
        "decision.not_submitted",
        id=app_id,
        status="returned",
    )
    out = ok(
        fund(f"applications amend {app_id} 金额=40000 term_months=36 --date 2019-06-10 --as lq")
    )
    assert "重新提交" in out.stdout
    shown = _shown(fund, app_id)
    assert (shown["status"], shown["amount_fen"], shown["term_months"]) == (
        "submitted",
        4_000_000,
        36,
    )
    with eng.connect() as conn:
        (amendment,) = conn.execute(select(ApplicationAmendment.__table__)).all()
        actions = conn.scalars(select(Decision.action).order_by(Decision.id)).all()
        audited = conn.scalars(select(AuditRecord.action)).all()
    assert json.loads(amendment.before)["amount"] == "30000.00"
    assert json.loads(amendment.changes) == {
        "amount": ["30000.00", "40000.00"],
        "term_months": ["24", "36"],
    }
    assert (amendment.operator, amendment.business_date) == ("lq", date(2019, 6, 10))
    assert actions == ["return", "resubmit"]
    assert shown["amendments"] == [
        {"date": "2019-06-10", "operator": "lq", "changes": json.loads(amendment.changes)}
    ]
    text = ok(fund(f"applications show {app_id} --as lq")).stdout
    assert "修改: 2019-06-10 lq 金额 30000.00 → 40000.00; 期限(月) 24 → 36" in text
    assert "applications.amend" in audited
    ok(fund(f"approve {app_id} --date 2019-06-11 --as fin1"))
    assert _shown(fund, app_id)["status"] == "approved"
    # as of a date, the status then: returned on the 5th, back in the queue on the 10th
    states = {
        day: as_json(fund(f"--json applications list --as-of {day} --as fin1"))[0]["status"]
        for day in ("2019-06-07", "2019-06-10", "2019-06-11")
    }
    assert states == {"2019-06-07": "returned", "2019-06-10": "submitted", "2019-06-11": "approved"}


def test_amendment_is_screened_under_the_policy_in_force_on_its_date(fund) -> None:
    fund, eng = fund
    app_id = _returned(fund)
    ok(fund("policy set amount_max_fen=5万 --effective 2019-06-08 --as root"))
    # 60,000 was allowed when it was submitted; not on the amendment's date
    before = snapshot(eng)
    r = fund(f"applications amend {app_id} amount=60000 --date 2019-06-10 --as lq")
    reason = render("rule.amount.fail", {"amount": 6_000_000, "min": 1_000_000, "max": 5_000_000})
    assert (r.exit_code, r.stderr) == (1, f"金额: {reason}\n")
    assert snapshot(eng) == before
    ok(fund(f"applications amend {app_id} amount=45000 --date 2019-06-10 --as lq"))
    assert _shown(fund, app_id)["policy_version"] == 2


def test_bad_amendments_report_every_problem_and_write_nothing(fund) -> None:
    fund, eng = fund
    app_id = _returned(fund)
    ok(fund("operators add sl --role county --county 141126 --as root"))
    before = snapshot(eng)
    r = fund(
        f"--lang en applications amend {app_id} amount=abc phone=123 --date 2019-06-10 --as lq"
    )
    assert r.exit_code == 1 and r.stdout == ""
    lines = r.stderr.splitlines()
    assert sorted(line.split(":")[0] for line in lines) == ["amount", "phone"], lines
    r = fund(
        f"--lang en applications amend {app_id} 身份证号=1 colour=red --date 2019-06-10 --as lq"
    )
    assert r.exit_code == 1 and len(r.stderr.splitlines()) == 2, r.stderr
    assert "withdraw and submit anew" in r.stderr and "“colour=red”" in r.stderr
    refused(
        fund(f"applications amend {app_id} amount=30000 --date 2019-06-10 --as lq"),
        "amend.nothing_changed",
    )
    refused(
        fund(f"applications amend {app_id} amount=40000 --date 2019-06-04 --as lq"),
        "amend.before_last",
        id=app_id,
        date="2019-06-05",
    )
    # only its own county league amends it, and only once it is returned
    refused(
        fund(f"applications amend {app_id} amount=40000 --date 2019-06-10 --as sl"),
        "intake.no_such_application",
        id=app_id,
    )
    r = fund(f"applications amend {app_id} amount=40000 --date 2019-06-10 --as fin1")
    assert r.exit_code == 1, r.output
    assert snapshot(eng) == before
    other = _apply(fund, "R2", youth_id(random.Random(2), LQ, ON))
    refused(
        fund(f"applications amend {other} amount=40000 --date 2019-06-10 --as lq"),
        "amend.not_returned",
        id=other,
        status="submitted",
    )


def test_withdrawal_frees_the_applicant_to_apply_again(fund) -> None:
    fund, eng = fund
    person = youth_id(random.Random(7), LQ, ON)
    app_id = _apply(fund, "W1", person)
    ok(fund(f"return {app_id} --reason 缺材料 --date 2019-06-05 --as fin1"))
    again = (
        f"apply --ref W2 --name 王伟 --id-number {person} --phone 13800138000 --county {LQ} "
        f"--registered-poor 是 --project-name 香菇种植 --instrument loan --amount 30000 --term 24 "
        f"--local-support matching --date 2019-06-20 --as lq"
    )
    r = fund(again)
    assert r.exit_code == 1 and "已有未结的同类业务" in r.stderr
    refused_unchanged(
        fund,
        eng,
        f"applications withdraw {app_id} --reason '' --date 2019-06-06 --as lq",
        "decision.reason_needed",
    )
    ok(fund(f"applications withdraw {app_id} --reason 申请人放弃 --date 2019-06-06 --as lq"))
    assert _shown(fund, app_id)["status"] == "withdrawn"
    refused(
        fund(f"applications withdraw {app_id} --reason x --date 2019-06-07 --as lq"),
        "withdraw.not_pending",
        id=app_id,
        status="withdrawn",
    )
    ok(fund(again))
    listed = as_json(fund("--json applications list --as-of 2019-06-05 --as fin1"))
    assert [a["status"] for a in listed] == ["returned"]
    listed = as_json(fund("--json applications list --status withdrawn --as-of 2019-06-06 --as lq"))
    assert [a["id"] for a in listed] == [app_id]


def test_half_approved_application_shows_approved_one_of_two(fund) -> None:
    fund, _ = fund
    app_id = _apply(fund, "H1", youth_id(random.Random(9), LQ, ON), amount="80000")
    ok(fund(f"approve {app_id} --date 2019-06-02 --as fin1"))
    assert f"#{app_id}  已批准 1/2" in ok(fund(f"applications show {app_id} --as lq")).stdout
    assert "approved 1/2" in ok(fund("--lang en applications list --as fin1")).stdout
    shown = _shown(fund, app_id)
    assert (shown["status"], shown["approvals"], shown["approvals_needed"]) == ("submitted", 1, 2)
    # before the first approval's date it had none; after the second it is approved
    assert "1/2" not in ok(fund("applications list --as-of 2019-06-01 --as fin1")).stdout
    ok(fund(f"approve {app_id} --date 2019-06-03 --as fin2"))
    shown = _shown(fund, app_id)
    assert (shown["status"], shown["approvals"]) == ("approved", 0)
