"""``fund schedule --as-of D`` and the statements' facility figures as of a past day.

What a user sees for a past day must not change when later things happen: repayments,
a restructuring (a new schedule version), a default and a claim, a write-off.
"""

from __future__ import annotations

import json
from datetime import date

from sqlalchemy import Engine

from fundcore.statements.fund import fund_statement
from fundcore.store.uow import UnitOfWork
from tests.conftest import Fund
from tests.factories import disbursed, setup_fund


def _ok(fund: Fund, *args: str) -> dict:
    r = fund(*args, "--json")
    assert r.exit_code == 0, r.stderr
    return json.loads(r.stdout)


def _repay(fund: Fund, fid: int, on: str, amount: str, ref: str) -> None:
    _ok(fund, "repay", str(fid), "--amount", amount, "--date", on, "--ref", ref, "--as", "fin1")


def _schedule(fund: Fund, fid: int, as_of: str) -> dict:
    return _ok(fund, "schedule", str(fid), "--as-of", as_of, "--as", "fin1")


def test_a_past_schedule_shows_what_was_paid_then_on_the_version_then(
    engine: Engine, cli: Fund
) -> None:
    setup_fund(engine)
    fid = disbursed(engine, 1, yuan=24_000, term=24)  # ¥1,000.00 a month from 2019-07
    _repay(cli, fid, "2019-07-10", "1000.00", "R-1")
    _repay(cli, fid, "2019-08-20", "1000.00", "R-2")  # ten days late
    before = _schedule(cli, fid, "2019-08-15")
    assert before["as_of"] == "2019-08-15" and before["version"] == 1
    assert before["status"] == "overdue" and before["outstanding_fen"] == 2_300_000
    paid = [i["paid_principal_fen"] for i in before["instalments"]]
    assert paid[:3] == [100_000, 0, 0]

    _ok(cli, "close-day", "--through", "2019-09-30", "--as", "fin1")
    _ok(cli, "restructure", str(fid), "--term", "20", "--reason", "flood",
        "--date", "2019-10-15", "--as", "fin1")  # fmt: skip
    _repay(cli, fid, "2019-11-20", "500.00", "R-3")
    now = _ok(cli, "schedule", str(fid), "--as", "fin1")
    assert now["version"] == 2 and len(now["instalments"]) == 20

    assert _schedule(cli, fid, "2019-08-15") == before
    after_restructure = _schedule(cli, fid, "2019-10-31")
    assert after_restructure["version"] == 2
    assert sum(i["paid_principal_fen"] for i in after_restructure["instalments"]) == 0
    assert _schedule(cli, fid, "2019-11-30")["outstanding_fen"] == 2_200_000 - 50_000


def test_a_past_statement_keeps_a_guarantee_claimed_later_as_it_then_stood(
    engine: Engine, cli: Fund
) -> None:
    setup_fund(engine)
    fid = disbursed(engine, 1, kind="guarantee", yuan=100_000, term=24)

    def figures() -> tuple[int | None, int | None, int, int]:
        with UnitOfWork(engine, write=False) as uow:
            s = fund_statement(uow.conn, "fin1", date(2019, 8, 1), date(2019, 8, 31))
        g = next(r for r in s.portfolio if r.instrument == "guarantee")
        return g.outstanding_fen, g.claims_paid_fen, s.guarantee.exposure_fen, g.defaults_count or 0

    august = figures()
    assert august[0] == 10_000_000 and august[1] == 0 and august[3] == 0
    _ok(cli, "close-day", "--through", "2020-01-31", "--as", "fin1")  # in default by then
    _ok(cli, "claims", "pay", str(fid), "--amount", "50000", "--date", "2020-02-10",
        "--as", "fin1")  # fmt: skip
    assert figures() == august
