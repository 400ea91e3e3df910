"""Decisions and money out, through the CLI as finance staff use it."""

from __future__ import annotations

import json
import random
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from fundcore.intake.register import SAMPLE_REGISTER
from fundcore.messages import render
from fundcore.store.db import make_engine
from fundcore.store.models import Facility, Instalment
from tests.conftest import Fund, snapshot
from tests.factories import application_row, write_csv

ON = date(2019, 6, 1)
LINGQIU = "140224"


@pytest.fixture
def fund(cli: Fund) -> Fund:
    cli("init", "--admin", "root")
    cli("counties", "import", str(SAMPLE_REGISTER), "--as", "root")
    cli("operators", "add", "lq", "--role", "county", "--county", LINGQIU, "--as", "root")
    for name in ("fin1", "fin2", "fin3"):
        cli("operators", "add", name, "--role", "finance", "--as", "root")
    return cli


def _submit(fund: Fund, tmp_path: Path, rows: list[dict[str, str]], who: str = "lq") -> list[int]:
    path = write_csv(tmp_path / f"s{random.random()}.csv", rows)
    doc = json.loads(
        fund(
            "--json", "applications", "import", str(path), "--date", ON.isoformat(), "--as", who
        ).stdout
    )
    assert not doc["errors"], doc["errors"]
    return [t["id"] for t in doc["taken"]]


def _loan(n: int, amount: str = "30000", support: str = "1:1配资") -> dict[str, str]:
    row = application_row(random.Random(n), n, LINGQIU, ON, "免息借款")
    row.update(amount=amount, local_support=support, term_months="24")
    return row


def _donate(fund: Fund, amount: str = "1亿") -> None:
    assert (
        fund(
            "donations",
            "record",
            "--amount",
            amount,
            "--donor",
            "d",
            "--date",
            "2019-01-02",
            "--as",
            "fin1",
        ).exit_code
        == 0
    )


def _facility(fund: Fund, fid: int) -> object:
    engine = make_engine(fund.url)
    with engine.connect() as conn:
        row = conn.execute(select(Facility.__table__).where(Facility.id == fid)).first()
    engine.dispose()
    return row


def refused(fund: Fund, args: list[str], code: str, **params: object) -> None:
    engine = make_engine(fund.url)
    before = snapshot(engine)
    r = fund("--lang", "en", *args)
    assert r.exit_code == 1, r.stdout
    assert r.stderr.splitlines()[0] == render(code, params, "en")
    assert snapshot(engine) == before
    engine.dispose()


def test_the_submitter_cannot_approve(fund: Fund, tmp_path: Path) -> None:
    _donate(fund)
    (app_id,) = _submit(fund, tmp_path, [_loan(1)], who="fin1")
    refused(
        fund,
        ["approve", str(app_id), "--date", "2019-06-02", "--as", "fin1"],
        "decision.maker_checker",
        id=app_id,
        name="fin1",
    )
    assert fund("approve", str(app_id), "--date", "2019-06-02", "--as", "fin2").exit_code == 0


def test_only_finance_decides(fund: Fund, tmp_path: Path) -> None:
    (app_id,) = _submit(fund, tmp_path, [_loan(1)])
    for who, role in (("lq", "county"), ("root", "admin")):
        refused(
            fund,
            ["approve", str(app_id), "--date", "2019-06-02", "--as", who],
            "operator.role_refused",
            name=who,
            role=role,
            action="decisions.decide",
        )


def test_above_threshold_needs_two_different_finance_operators(fund: Fund, tmp_path: Path):
    _donate(fund)
    (app_id,) = _submit(fund, tmp_path, [_loan(1, amount="80000")])
    first = json.loads(
        fund("--json", "approve", str(app_id), "--date", "2019-06-02", "--as", "fin1").stdout
    )
    assert first["status"] == "awaiting_second_approval"
    assert _facility(fund, app_id) is None
    refused(
        fund,
        ["approve", str(app_id), "--date", "2019-06-02", "--as", "fin1"],
        "decision.already_approved_by",
        id=app_id,
        name="fin1",
    )
    second = json.loads(
        fund("--json", "approve", str(app_id), "--date", "2019-06-03", "--as", "fin2").stdout
    )
    assert second["status"] == "approved"
    assert _facility(fund, app_id).committed_fen == 8_000_000


def test_approval_beyond_available_cash_is_refused_with_the_figures(fund: Fund, tmp_path: Path):
    _donate(fund, "50000")
    ids = _submit(fund, tmp_path, [_loan(1), _loan(2)])
    assert fund("approve", str(ids[0]), "--date", "2019-06-02", "--as", "fin1").exit_code == 0
    refused(
        fund,
        ["approve", str(ids[1]), "--date", "2019-06-02", "--as", "fin1"],
        "capacity.cash",
        need=3_000_000,
        available=2_000_000,
        bank=5_000_000,
        committed=3_000_000,
        reserve=0,
    )


def test_cancelling_an_approval_releases_its_commitment(fund: Fund, tmp_path: Path) -> None:
    _donate(fund, "50000")
    ids = _submit(fund, tmp_path, [_loan(1), _loan(2)])
    fund("approve", str(ids[0]), "--date", "2019-06-02", "--as", "fin1")
    r = fund(
        "cancel",
        str(ids[0]),
        "--reason",
        "withdrawn by county",
        "--date",
        "2019-06-03",
        "--as",
        "fin2",
    )
    assert r.exit_code == 0, r.stderr
    assert _facility(fund, ids[0]).status == "cancelled"
    assert fund("approve", str(ids[1]), "--date", "2019-06-04", "--as", "fin1").exit_code == 0
    assert fund("ledger", "verify").exit_code == 0


def test_disbursement_waits_for_matching_to_reach_one_to_one(fund: Fund, tmp_path: Path):
    _donate(fund)
    (app_id,) = _submit(fund, tmp_path, [_loan(1)])
    fund("approve", str(app_id), "--date", "2019-06-02", "--as", "fin1")
    disburse = ["disburse", str(app_id), "--date", "2019-06-10", "--as", "fin2"]
    refused(
        fund,
        disburse,
        "disburse.no_local_support",
        id=app_id,
        kind="matching",
        received=0,
        required=3_000_000,
        basis="principal",
        base=3_000_000,
    )
    fund(
        "local-support",
        "record",
        str(app_id),
        "--kind",
        "matching",
        "--amount",
        "10000",
        "--date",
        "2019-06-05",
        "--ref",
        "M-1",
        "--as",
        "fin1",
    )
    refused(
        fund,
        disburse,
        "disburse.no_local_support",
        id=app_id,
        kind="matching",
        received=1_000_000,
        required=3_000_000,
        basis="principal",
        base=3_000_000,
    )
    fund(
        "local-support",
        "record",
        str(app_id),
        "--kind",
        "matching",
        "--amount",
        "20000",
        "--date",
        "2019-06-06",
        "--ref",
        "M-2",
        "--as",
        "fin1",
    )
    r = fund("--json", *disburse)
    assert r.exit_code == 0, r.stderr
    assert json.loads(r.stdout)["instalments"] == 24
    fac = _facility(fund, app_id)
    assert (fac.status, fac.committed_fen, fac.disbursed_on) == ("current", 0, date(2019, 6, 10))
    engine = make_engine(fund.url)
    with engine.connect() as conn:
        total = sum(
            conn.scalars(select(Instalment.principal_fen).where(Instalment.facility_id == app_id))
        )
    assert total == 3_000_000
    tb = json.loads(fund("--json", "ledger", "trial-balance").stdout)
    bal = {a["code"]: a["balance_fen"] for a in tb["accounts"]}
    assert bal["1211"] == 3_000_000 and bal["1214"] == 0
    # the county's matching went into the project, not the fund's bank (DOMAIN.md §4)
    assert bal["1002"] == 10_000_000_000 - 3_000_000


def test_matching_beyond_the_pledge_is_refused(fund: Fund, tmp_path: Path) -> None:
    _donate(fund)
    (app_id,) = _submit(fund, tmp_path, [_loan(1)])
    fund("approve", str(app_id), "--date", "2019-06-02", "--as", "fin1")
    refused(
        fund,
        [
            "local-support",
            "record",
            str(app_id),
            "--kind",
            "matching",
            "--amount",
            "30000.01",
            "--date",
            "2019-06-05",
            "--as",
            "fin1",
        ],
        "support.matching_exceeds",
        amount=3_000_001,
        received=0,
        required=3_000_000,
    )


def test_guarantee_places_the_deposit_and_starts_the_exposure(fund: Fund, tmp_path: Path):
    _donate(fund)
    row = application_row(random.Random(5), 5, LINGQIU, ON, "担保贷款")
    row.update(amount="50000", local_support="反担保", term_months="36")
    (app_id,) = _submit(fund, tmp_path, [row])
    fund("approve", str(app_id), "--date", "2019-06-02", "--as", "fin1")
    disburse = ["disburse", str(app_id), "--date", "2019-06-10", "--as", "fin2"]
    refused(
        fund,
        disburse,
        "disburse.counter_guarantee_short",
        id=app_id,
        amount=0,
        principal=5_000_000,
        share=0,
        min=5_000,
        least=2_500_000,
    )
    assert (
        fund(
            "local-support",
            "record",
            str(app_id),
            "--kind",
            "counter-guarantee",
            "--amount",
            "25000",
            "--guarantor",
            "灵丘县人民政府",
            "--ref",
            "灵政函[2019]3号",
            "--date",
            "2019-06-05",
            "--as",
            "fin1",
        ).exit_code
        == 0
    )
    refused(fund, disburse, "disburse.rate_needed")
    assert fund(*disburse, "--rate", "4.75").exit_code == 0
    fac = _facility(fund, app_id)
    assert (fac.deposit_fen, fac.exposure_fen, fac.annual_rate_bp) == (1_000_000, 5_000_000, 475)
    bal = {
        a["code"]: a["balance_fen"]
        for a in json.loads(fund("--json", "ledger", "trial-balance").stdout)["accounts"]
    }
    assert bal["1031"] == 1_000_000
    cap = json.loads(fund("--json", "capacity", "--date", "2019-06-10").stdout)
    assert cap["exposure_fen"] == 5_000_000


def test_grant_is_paid_as_programme_cost(fund: Fund, tmp_path: Path) -> None:
    _donate(fund)
    row = application_row(random.Random(6), 6, LINGQIU, ON, "小额资助")
    (app_id,) = _submit(fund, tmp_path, [row])
    fund("approve", str(app_id), "--date", "2019-06-02", "--as", "fin1")
    assert fund("disburse", str(app_id), "--date", "2019-06-03", "--as", "fin2").exit_code == 0
    assert _facility(fund, app_id).status == "paid"
    bal = {
        a["code"]: a["balance_fen"]
        for a in json.loads(fund("--json", "ledger", "trial-balance").stdout)["accounts"]
    }
    assert bal["5101.01"] == 500_000


def test_reject_and_return_need_a_reason_and_end_the_review(fund: Fund, tmp_path: Path):
    ids = _submit(fund, tmp_path, [_loan(1), _loan(2)])
    assert (
        fund(
            "reject", str(ids[0]), "--reason", "项目不实", "--date", "2019-06-02", "--as", "fin1"
        ).exit_code
        == 0
    )
    assert (
        fund(
            "return",
            str(ids[1]),
            "--reason",
            "请补充营业执照",
            "--date",
            "2019-06-02",
            "--as",
            "fin1",
        ).exit_code
        == 0
    )
    statuses = {
        a["id"]: a["status"]
        for a in json.loads(fund("--json", "applications", "list", "--as", "fin1").stdout)
    }
    assert statuses == {ids[0]: "rejected", ids[1]: "returned"}
    refused(
        fund,
        ["approve", str(ids[0]), "--date", "2019-06-03", "--as", "fin2"],
        "decision.not_submitted",
        id=ids[0],
        status="rejected",
    )


def test_working_funds_pay_every_county_once(fund: Fund) -> None:
    _donate(fund)
    first = json.loads(
        fund(
            "--json",
            "working-funds",
            "pay",
            "--year",
            "2019",
            "--date",
            "2019-03-01",
            "--as",
            "fin1",
        ).stdout
    )
    assert (first["paid"], first["total"]) == (32, "320000.00")
    engine = make_engine(fund.url)
    before = snapshot(engine)
    again = json.loads(
        fund(
            "--json",
            "working-funds",
            "pay",
            "--year",
            "2019",
            "--date",
            "2019-03-02",
            "--as",
            "fin1",
        ).stdout
    )
    assert (again["paid"], again["already_paid"]) == (0, 32)
    assert snapshot(engine) == before
    refused(
        fund,
        ["working-funds", "pay", "--year", "2021", "--date", "2021-03-01", "--as", "fin1"],
        "working_funds.year",
        year=2021,
        years="2019, 2020",
    )


def test_queue_puts_registered_poor_first(fund: Fund, tmp_path: Path) -> None:
    rows = [_loan(i) for i in range(6)]
    for i, row in enumerate(rows):
        if i % 2:
            row["registered_poor"] = "是"

    _submit(fund, tmp_path, rows)
    queue = json.loads(
        fund("--json", "applications", "list", "--status", "submitted", "--as", "fin1").stdout
    )
    flags = [a["registered_poor"] for a in queue]
    assert flags == sorted(flags, reverse=True)
