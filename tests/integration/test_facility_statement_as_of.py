"""``fund statement facility ID --as-of D``: one facility as it stood at the end of D.

A facility statement taken on a day and one taken later "as of" that day must be the
same statement: the schedule version then in force, what had been paid by then, the
status, arrears and balance then — whatever happened after (repayments, a
restructuring, a claim).
"""

from __future__ import annotations

import json
from datetime import date

import pdfplumber
from sqlalchemy import Engine

from fundcore.statements.model import FacilityStatement
from fundcore.statements.person import facility_statement
from fundcore.store.uow import UnitOfWork
from tests.conftest import Fund, snapshot
from tests.factories import disbursed, setup_fund


def _ok(fund: Fund, *args: str) -> dict:
    r = fund(*args, "--json")
    assert r.exit_code == 0, r.stderr
    return json.loads(r.stdout) if r.stdout.strip() else {}


def _statement(engine: Engine, fid: int, as_of: date | None = None) -> FacilityStatement:
    with UnitOfWork(engine, write=False) as uow:
        return facility_statement(uow.conn, "fin1", fid, as_of=as_of)


def test_a_loan_as_of_a_past_day_is_the_statement_that_day_gave(engine: Engine, cli: Fund) -> None:
    setup_fund(engine)
    fid = disbursed(engine, 1, yuan=24_000, term=24)  # ¥1,000.00 a month from 2019-07
    _ok(cli, "repay", str(fid), "--amount", "1000", "--date", "2019-07-10", "--ref", "R-1",
        "--as", "fin1")  # fmt: skip
    _ok(cli, "close-day", "--through", "2019-08-31", "--as", "fin1")  # 08-10 unpaid
    then = _statement(engine, fid)
    assert then.header.period_to == date(2019, 8, 31)
    assert then.status == "overdue" and then.balance.overdue_fen == 100_000

    _ok(cli, "repay", str(fid), "--amount", "2000", "--date", "2019-09-05", "--ref", "R-2",
        "--as", "fin1")  # fmt: skip
    _ok(cli, "restructure", str(fid), "--term", "20", "--reason", "flood",
        "--date", "2019-10-15", "--as", "fin1")  # fmt: skip
    _ok(cli, "close-day", "--through", "2019-12-31", "--as", "fin1")
    now = _statement(engine, fid)
    assert now.schedule != then.schedule and len(now.payments) == 2

    assert _statement(engine, fid, date(2019, 8, 31)) == then


def test_a_guarantee_as_of_before_its_claim_shows_the_default_then(
    engine: Engine, cli: Fund
) -> None:
    setup_fund(engine)
    fid = disbursed(engine, 1, kind="guarantee", yuan=100_000, term=24)
    _ok(cli, "close-day", "--through", "2020-01-31", "--as", "fin1")  # never paid
    then = _statement(engine, fid)
    assert then.status == "defaulted" and then.balance.overdue_fen > 0
    _ok(cli, "claims", "pay", str(fid), "--amount", "50000", "--date", "2020-02-10",
        "--as", "fin1")  # fmt: skip
    assert _statement(engine, fid).status == "claimed"
    assert _statement(engine, fid, date(2020, 1, 31)) == then


def test_the_cli_writes_the_past_day_and_refuses_a_day_before_approval(
    engine: Engine, cli: Fund, tmp_path
) -> None:
    setup_fund(engine)
    fid = disbursed(engine, 1, yuan=24_000, term=24)
    _ok(cli, "repay", str(fid), "--amount", "1000", "--date", "2019-07-10", "--ref", "R-1",
        "--as", "fin1")  # fmt: skip
    _ok(cli, "repay", str(fid), "--amount", "1000", "--date", "2019-08-10", "--ref", "R-2",
        "--as", "fin1")  # fmt: skip
    out = tmp_path / "f.pdf"
    r = cli("statement", "facility", str(fid), "--as-of", "2019-07-31", "--out", str(out),
            "--as", "fin1", "--lang", "en")  # fmt: skip
    assert r.exit_code == 0, r.stderr
    with pdfplumber.open(out) as pdf:
        text = "\n".join(page.extract_text() or "" for page in pdf.pages)
    assert "--as-of 2019-07-31" in text and "R-1" in text and "R-2" not in text
    assert "23,000.00" in text  # outstanding at 07-31, before the second payment

    before = snapshot(engine)
    r = cli("statement", "facility", str(fid), "--as-of", "2018-12-31", "--out",
            str(tmp_path / "g.pdf"), "--as", "fin1", "--lang", "en")  # fmt: skip
    assert r.exit_code == 1 and "not yet approved on 2018-12-31" in r.stderr
    assert not (tmp_path / "g.pdf").exists() and snapshot(engine) == before
