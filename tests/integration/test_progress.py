"""``fund progress``: the programme's targets (policy data) and the figures as of a day,
checked against the records read here with SQL of their own."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import Engine, text

from fundcore.store import clock
from tests.conftest import Fund, init_db, pg_schema_url
from tests.integration.statement_fund import LAST_CLOSE, PAID_OUT, Built, build


@dataclass
class World:
    engine: Engine
    fund: Fund
    built: Built

    def json(self, *args: str) -> dict:
        r = self.fund("--json", "progress", *args)
        assert r.exit_code == 0, r.output
        return json.loads(r.stdout)

    def scalar(self, sql: str, **params: object) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(text(sql), params).scalar() or 0)


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def world(request: pytest.FixtureRequest, tmp_path_factory) -> Iterator[World]:  # noqa: ANN001
    clock.set_clock(lambda: datetime(2026, 1, 1, 12, 0, 0))
    try:
        if request.param == "sqlite":
            url = f"sqlite:///{tmp_path_factory.mktemp('progress') / 'fund.db'}"
            yield from _world(url)
        else:
            with pg_schema_url() as url:
                yield from _world(url)
    finally:
        clock.set_clock(None)


def _world(url: str) -> Iterator[World]:
    engine = init_db(url)
    w = World(engine, Fund(url), build(engine))
    yield w
    engine.dispose()


def _goals(doc: dict) -> dict[str, dict]:
    return {row["measure"]: row for row in doc["tables"][0]["rows"]}


def _raised_from_lines(w: World, day: date) -> int:
    """Donations (4101*) and the Foundation's 配捐 (4901.01) net of reversals, from the
    journal lines themselves."""
    return w.scalar(
        "SELECT SUM(CASE WHEN l.side = 'C' THEN l.amount_fen ELSE -l.amount_fen END) "
        "FROM journal_lines l JOIN journal_entries e ON e.seq = l.entry_seq "
        "WHERE (l.account_code LIKE '4101%' OR l.account_code = '4901.01') "
        "AND e.kind <> 'close.year_end' "
        "AND e.business_date <= :day",
        day=day,
    )


def test_the_goals_against_the_policy_targets(world: World) -> None:
    doc = world.json("--as-of", LAST_CLOSE.isoformat(), "--as", "audrey")
    assert doc["tables"][0]["title"] == f"目标完成情况（截至 {LAST_CLOSE}）"
    goals = _goals(doc)
    raised = _raised_from_lines(world, LAST_CLOSE)
    assert raised > 5_000_000  # the gift of 5万, its reversed mistake nets to nothing
    assert goals["筹集资金"]["actual"] == f"¥{raised / 100:,.2f}"
    assert goals["筹集资金"]["target"] == "¥100,000,000.00"
    youth = world.scalar(
        "SELECT COUNT(DISTINCT applicant_id) FROM facilities WHERE disbursed_on <= :day",
        day=LAST_CLOSE,
    )
    assert youth == 11
    assert goals["支持青年创业（人）"]["actual"] == "11"
    assert goals["支持青年创业（人）"]["target"] == "100000"
    assert goals["支持青年创业（人）"]["achieved_bp"] == 11 * 10_000 // 100_000
    leaders = world.scalar(
        "SELECT COUNT(*) FROM facilities f JOIN applications a ON a.id = f.id "
        "WHERE a.registered_poor AND f.disbursed_on <= :day",
        day=LAST_CLOSE,
    )
    employed = world.scalar(
        "SELECT COUNT(DISTINCT e.id_number_hmac) FROM application_employees e "
        "JOIN facilities f ON f.id = e.application_id WHERE f.disbursed_on <= :day",
        day=LAST_CLOSE,
    )
    assert employed > 0
    assert goals["带动建档立卡贫困人口（人）"]["actual"] == str(leaders + employed)
    assert goals["获拨工作经费的县级团委（个）"]["actual"] == str(
        world.scalar("SELECT COUNT(DISTINCT county_code) FROM working_fund_payments")
    )
    assert goals["获拨工作经费的县级团委（个）"]["target"] == "865"


def test_the_targets_are_policy_data(world: World) -> None:
    r = world.fund("policy", "show", "--keys", "--as", "audrey")
    assert r.exit_code == 0, r.output
    assert "target_youth" in r.stdout and "target_raised_fen" in r.stdout


def test_before_the_first_pay_out_nobody_was_supported_yet(world: World) -> None:
    goals = _goals(world.json("--as-of", "2019-06-09", "--as", "audrey"))
    assert goals["支持青年创业（人）"]["actual"] == "0"
    assert goals["带动建档立卡贫困人口（人）"]["actual"] == "0"
    assert (
        goals["筹集资金"]["actual"] == f"¥{_raised_from_lines(world, date(2019, 6, 9)) / 100:,.2f}"
    )
    on_the_day = _goals(world.json("--as-of", PAID_OUT.isoformat(), "--as", "audrey"))
    assert int(on_the_day["支持青年创业（人）"]["actual"]) > 0


def test_without_as_of_it_is_the_last_day_closed(world: World) -> None:
    doc = world.json("--as", "audrey")
    assert doc["tables"][0]["title"] == f"目标完成情况（截至 {LAST_CLOSE}）"


def test_counties_add_up_to_provinces_and_the_total(world: World) -> None:
    doc = world.json("--as-of", LAST_CLOSE.isoformat(), "--as", "audrey")
    _, provinces, counties = doc["tables"]
    assert [t["table"] for t in doc["tables"]] == ["goals", "provinces", "counties"]
    keys = [c["key"] for c in counties["columns"]][2:]
    for table in (provinces, counties):
        body, total = table["rows"][:-1], table["rows"][-1]
        assert total["place"] == "合计"
        for key in keys:
            assert total[key] == sum(r[key] for r in body), key
    assert provinces["rows"][-1] == {**counties["rows"][-1]}
    by_code = {r["code"]: r for r in counties["rows"][:-1]}
    assert by_code["410225"]["place"] == "河南省兰考县"
    youth = _goals(doc)["支持青年创业（人）"]["actual"]
    assert str(counties["rows"][-1]["youth_supported"]) == youth


def test_a_county_league_sees_its_own_county_and_no_money_raised(world: World) -> None:
    doc = world.json("--county", "410225", "--as-of", LAST_CLOSE.isoformat(), "--as", "lk")
    goals = _goals(doc)
    assert "筹集资金" not in goals
    assert goals["支持青年创业（人）"]["target"] is None
    assert [r["code"] for r in doc["tables"][2]["rows"][:-1]] == ["410225"]
    youth = world.scalar(
        "SELECT COUNT(DISTINCT applicant_id) FROM facilities "
        "WHERE county_code = '410225' AND disbursed_on <= :day",
        day=LAST_CLOSE,
    )
    assert goals["支持青年创业（人）"]["actual"] == str(youth)


def test_a_county_league_may_not_see_another_county_or_the_whole_fund(world: World) -> None:
    other = world.fund("progress", "--county", "140224", "--as", "lk")
    assert other.exit_code == 1
    assert other.stderr.strip() == "无权查看县 140224 的进展：县级团委只能查看本县"
    whole = world.fund("--lang", "en", "progress", "--as", "lk")
    assert whole.exit_code == 1
    assert "may not do statements.fund" in whole.stderr


def test_progress_in_english_and_as_xlsx(world: World, tmp_path: Path) -> None:
    r = world.fund("--lang", "en", "progress", "--as-of", "2020-06-30", "--as", "audrey")
    assert r.exit_code == 0, r.output
    assert r.stdout.splitlines()[0] == "Targets (as of 2020-06-30)"
    assert "Registered-poor people reached" in r.stdout
    out = tmp_path / "p.xlsx"
    r = world.fund("progress", "--as-of", "2020-06-30", "--format", "xlsx", "--out", str(out),
                   "--as", "audrey")  # fmt: skip
    assert r.exit_code == 0, r.output
    assert load_workbook(out).sheetnames == [
        "目标完成情况（截至 2020-06-30）",
        "分省情况",
        "分县情况",
    ]


def test_the_foundations_own_match_is_money_raised(world: World) -> None:
    day = "2020-07-01"
    before = _goals(world.json("--as-of", day, "--as", "audrey"))["筹集资金"]["actual"]
    r = world.fund("donations", "record", "--amount", "20000", "--donor", "中国青年创业就业基金会",
                   "--foundation-match", "--date", day, "--as", "fin1")  # fmt: skip
    assert r.exit_code == 0, r.output
    after = _goals(world.json("--as-of", day, "--as", "audrey"))["筹集资金"]["actual"]
    as_fen = [int(x.replace("¥", "").replace(",", "").replace(".", "")) for x in (before, after)]
    assert as_fen[1] - as_fen[0] == 2_000_000
    assert after == f"¥{_raised_from_lines(world, date(2020, 7, 1)) / 100:,.2f}"
