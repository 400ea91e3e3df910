"""Issue 16 item 6: no existence oracle across counties.

A county league submitting the ID number of a person only another county has submitted
for learns nothing of them — not the name registered, not what they hold open — only
that the person cannot be accepted from this county and to contact the Foundation;
also with ``--dry-run``. The admin finds each such attempt in the audit trail.
"""

from __future__ import annotations

import json
import random
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from fundcore.domain.identity import mask_id
from fundcore.messages import render
from fundcore.services import operators
from fundcore.store.uow import UnitOfWork
from tests.cli.helpers import Typed, ok
from tests.conftest import Fund
from tests.factories import application_row, setup_fund, write_csv

ON = date(2019, 6, 1)
LQ, XX = "140224", "141123"  # 灵丘县 and 兴县


def _other_county_row(n: int, **extra: str) -> dict[str, str]:
    row = application_row(random.Random(n), n, LQ, ON, "免息借款")
    row.update(registered_poor="是", employed_poor_ids="", amount="30000", term_months="24")
    return row | extra


@pytest.fixture
def two_counties(engine: Engine, db_url: str, tmp_path: Path) -> tuple[Typed, dict[str, str]]:
    setup_fund(engine)
    with UnitOfWork(engine) as uow:
        operators.add(uow.conn, None, "xx", "county", XX)
        uow.commit()
    fund = Typed(Fund(db_url))
    first = _other_county_row(1)
    path = write_csv(tmp_path / "lq.csv", [first], lang="en")
    ok(fund(f"applications import {path} --date {ON} --as lq"))
    return fund, first


def _as_xx(first: dict[str, str], **extra: str) -> dict[str, str]:
    row = application_row(random.Random(7), 7, XX, ON, "免息借款")
    row.update(registered_poor="是", employed_poor_ids="", amount="30000", term_months="24")
    return row | {"id_number": first["id_number"]} | extra


def _notices(engine: Engine) -> list[dict[str, object]]:
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT operator, details FROM audit_log "
                "WHERE action = 'intake.person_elsewhere' ORDER BY id"
            )
        ).all()
    return [{"operator": op, **json.loads(details)} for op, details in rows]


@pytest.mark.parametrize("same_name", [False, True])
@pytest.mark.parametrize("dry_run", [False, True])
def test_a_person_of_another_county_is_only_refused(
    two_counties: tuple[Typed, dict[str, str]],
    engine: Engine,
    tmp_path: Path,
    same_name: bool,
    dry_run: bool,
) -> None:
    fund, first = two_counties
    row = _as_xx(first, name=first["name"] if same_name else "钱某")
    path = write_csv(tmp_path / "xx.csv", [row], lang="en")
    flag = " --dry-run" if dry_run else ""
    result = fund(f"--lang en applications import {path} --date {ON} --as xx{flag}")
    assert result.exit_code == 1
    told = render("intake.person_elsewhere", {}, "en")
    assert [ln.split("]", 1)[1].lstrip(": ") for ln in result.stderr.splitlines()] == [told]
    assert first["name"] not in result.output
    assert "different name" not in result.output and "open" not in result.output
    assert _notices(engine) == [
        {
            "operator": "xx",
            "county": XX,
            "line": 2,
            "id_number": mask_id(first["id_number"]),
        }
    ]


def test_fund_apply_says_the_same_and_is_logged(
    two_counties: tuple[Typed, dict[str, str]], engine: Engine
) -> None:
    fund, first = two_counties
    line = (
        f"--lang en apply --ref XX-1 --name 钱某 --id-number {first['id_number']} "
        f"--phone 13800138000 --county {XX} --registered-poor 是 --project-name 香菇种植 "
        f"--instrument loan --amount 3万 --term 24 --local-support matching --date {ON} --as xx"
    )
    result = fund(line)
    assert result.exit_code == 1
    assert render("intake.person_elsewhere", {}, "en") in result.stderr
    assert first["name"] not in result.output
    assert [n["line"] for n in _notices(engine)] == [None]


def test_the_county_that_knows_the_person_still_hears_the_reasons(
    two_counties: tuple[Typed, dict[str, str]], tmp_path: Path
) -> None:
    fund, first = two_counties
    row = _other_county_row(2, id_number=first["id_number"], name="钱某")
    path = write_csv(tmp_path / "lq2.csv", [row], lang="en")
    result = fund(f"--lang en applications import {path} --date {ON} --as lq")
    assert result.exit_code == 1
    assert render("intake.name_mismatch", {}, "en") in result.stderr
