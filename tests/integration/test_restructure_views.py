"""Restructuring (issue 14, item 4): ``fund schedule ID --version N`` shows an earlier
schedule version, and a restructured facility's status and days past due are right at
once (aged as of the restructuring's date), not only after the next day close."""

from __future__ import annotations

import json

from sqlalchemy import Engine, select

from fundcore.messages import render
from fundcore.store.models import Facility
from tests.conftest import Fund, init_db, snapshot
from tests.factories import disbursed, setup_fund


def _ok(fund: Fund, *args: str) -> dict:
    r = fund("--json", *args)
    assert r.exit_code == 0, r.stderr
    return json.loads(r.stdout)


def _late_then_restructured(engine: Engine) -> tuple[Fund, int]:
    """A ¥24,000 loan (¥1,000 a month from 2019-07-10) unpaid, found overdue at the
    August close, restructured over 20 months on 2019-09-05 after one payment."""
    setup_fund(engine)
    fund = Fund(engine.url.render_as_string(hide_password=False))
    fid = disbursed(engine, 1, yuan=24_000, term=24)
    _ok(fund, "repay", str(fid), "--amount", "1000", "--date", "2019-07-20",
        "--ref", "R-1", "--as", "fin1")  # fmt: skip
    closed = _ok(fund, "close-day", "--through", "2019-08-31", "--as", "fin1")["closed"]
    assert closed[-1]["overdue"] == 1
    _ok(fund, "restructure", str(fid), "--term", "20", "--reason", "flood",
        "--date", "2019-09-05", "--as", "fin1")  # fmt: skip
    return fund, fid


def test_a_restructured_facility_is_current_at_once(engine: Engine) -> None:
    fund, fid = _late_then_restructured(engine)
    with engine.connect() as conn:
        row = conn.execute(select(Facility.__table__).where(Facility.id == fid)).one()
    assert (row.status, row.days_past_due) == ("current", 0)
    now = _ok(fund, "schedule", str(fid), "--as", "fin1")
    then = _ok(fund, "schedule", str(fid), "--as-of", "2019-09-05", "--as", "fin1")
    assert now["status"] == then["status"] == "current"
    assert now["version"] == then["version"] == 2


def test_schedule_version_shows_the_version_a_restructuring_replaced(sqlite_url: str) -> None:
    engine = init_db(sqlite_url)
    fund, fid = _late_then_restructured(engine)
    old = _ok(fund, "schedule", str(fid), "--version", "1", "--as", "fin1")
    assert (old["version"], old["in_force_version"]) == (1, 2)
    assert (old["version_from"], old["version_until"]) == ("2019-06-10", "2019-09-05")
    assert len(old["instalments"]) == 24
    assert [i["paid_principal_fen"] for i in old["instalments"][:2]] == [100_000, 0]
    new = _ok(fund, "schedule", str(fid), "--version", "2", "--as", "fin1")
    assert new == _ok(fund, "schedule", str(fid), "--as", "fin1")
    assert len(new["instalments"]) == 20
    assert sum(i["principal_fen"] for i in new["instalments"]) == 2_300_000
    text = fund("--lang", "en", "schedule", str(fid), "--version", "1", "--as", "fin1").stdout
    assert "schedule version 1 (in force 2019-06-10 to 2019-09-05; version 2 in force now)" in text
    before_payment = _ok(
        fund, "schedule", str(fid), "--version", "1", "--as-of", "2019-07-15", "--as", "fin1"
    )
    assert before_payment["instalments"][0]["paid_principal_fen"] == 0


def test_a_version_the_facility_never_had_is_refused(sqlite_url: str) -> None:
    engine = init_db(sqlite_url)
    fund, fid = _late_then_restructured(engine)
    before = snapshot(engine)
    for args, code, params in [
        (["--version", "3"], "schedule.no_such_version", {"id": fid, "version": 3, "latest": 2}),
        (
            ["--version", "2", "--as-of", "2019-08-31"],
            "schedule.version_not_yet",
            {"id": fid, "version": 2, "date": "2019-09-05", "as_of": "2019-08-31"},
        ),
    ]:
        r = fund("--lang", "en", "schedule", str(fid), *args, "--as", "fin1")
        assert r.exit_code == 1 and r.stderr.splitlines()[0] == render(code, params, "en")
    assert fund("schedule", str(fid), "--version", "0", "--as", "fin1").exit_code == 2
    assert snapshot(engine) == before
