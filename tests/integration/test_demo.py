"""``fund demo`` as a user runs it: a small programme end to end, deterministic by seed."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from dateutil.relativedelta import relativedelta
from sqlalchemy import text

from cli.main import fund
from fundcore.domain.allowance import target_fen
from fundcore.domain.chart import (
    COUNTER_GUARANTEE_RECEIVABLE,
    GUARANTEE_DEPOSITS,
    LOAN_LOSS_ALLOWANCE,
    LOANS_RECEIVABLE,
)
from fundcore.domain.policy import allowance_rates
from fundcore.services import allowance
from fundcore.statements.common import policy_on
from fundcore.statements.fund import fund_statement
from fundcore.store.db import make_engine
from fundcore.store.uow import UnitOfWork
from fundcore.store.verify import verify

SMALL = ["--counties", "4", "--youth", "150", "--months", "15", "--seed", "7"]


def _demo(out: Path, *extra: str) -> dict:
    result = CliRunner().invoke(
        fund, ["demo", *SMALL, "--out", str(out), "--json", *extra], catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def two_runs(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict, dict]:
    base = tmp_path_factory.mktemp("demo")
    return _demo(base / "one"), _demo(base / "two")


def test_the_same_seed_gives_the_same_statements_byte_for_byte(two_runs) -> None:  # noqa: ANN001
    one, two = two_runs
    assert [Path(p).name for p in one["statements"]] == [Path(p).name for p in two["statements"]]
    assert len(one["statements"]) == 3
    for a, b in zip(one["statements"], two["statements"], strict=True):
        assert Path(a).read_bytes()[:5] == b"%PDF-"
        assert Path(a).read_bytes() == Path(b).read_bytes(), a
    assert one["head_hash"] == two["head_hash"]
    assert one["counts"] == two["counts"]


def test_the_ledger_verifies_and_the_programme_happened(two_runs) -> None:  # noqa: ANN001
    one, _ = two_runs
    assert one["ok"] and one["ledger_ok"] and not one["surprises"]
    counts = one["counts"]
    assert counts["donated_fen"] == 100_000_000 * 100
    assert counts["working_fund_payments"] == 2 * 4
    assert counts["approved"] > 100 and counts["refused"] > 0
    assert counts["paid:guarantee"] and counts["paid:loan"] and counts["paid:grant"]
    assert counts["repayments"] > 1000 and counts["day_closes"] == 15
    engine = make_engine(f"sqlite:///{one['database']}")
    with UnitOfWork(engine, write=False) as uow:
        report = verify(uow.conn)
    engine.dispose()
    assert report.ok and report.head_hash == one["head_hash"]


def test_bad_rows_are_reported_by_line_and_column(two_runs) -> None:  # noqa: ANN001
    one, _ = two_runs
    assert one["bad_rows"] > 0
    lines = Path(one["import_problems"]).read_text(encoding="utf-8").splitlines()
    assert len(lines) == one["bad_rows"]
    assert all(" 第 " in line and " 行 [" in line for line in lines)


def test_an_existing_demo_is_not_overwritten_without_force(tmp_path: Path) -> None:
    (tmp_path / "fund.db").write_bytes(b"")
    result = CliRunner().invoke(fund, ["demo", *SMALL, "--out", str(tmp_path)])
    assert result.exit_code == 1
    assert "--force" in result.stderr
    result = CliRunner().invoke(fund, ["demo", "--months", "3", "--out", str(tmp_path / "x")])
    assert result.exit_code == 1 and "--months" in result.stderr


def _month_ends(first: date, last: date) -> list[date]:
    out, day = [], first + relativedelta(day=31)
    while day <= last:
        out.append(day)
        day = (day + relativedelta(days=1)) + relativedelta(day=31)
    return out


def test_every_period_states_its_portfolio_as_of_its_end_and_agrees_with_its_books(
    two_runs,  # noqa: ANN001
) -> None:
    """Issue 13's acceptance on the demo: each statement's portfolio block is as of its
    period's last day, and agrees to the fen with its own balance sheet — loans
    outstanding with 1211, guarantee deposits with 1031 — for every month and year."""
    one, _ = two_runs
    engine = make_engine(f"sqlite:///{one['database']}")
    first, last = (date.fromisoformat(d) for d in one["period"])
    periods = [(d + relativedelta(day=1), d) for d in _month_ends(first, last)]
    years = range(first.year, last.year + 1)
    periods += [(date(y, 1, 1), min(date(y, 12, 31), last)) for y in years]
    seen = set()
    with UnitOfWork(engine, write=False) as uow:
        for start, end in periods:
            s = fund_statement(uow.conn, "auditor", start, end)
            closing = {r.code: r.closing_fen for r in (*s.balance_sheet.assets,)}
            loans = next(r for r in s.portfolio if r.instrument == "loan")
            assert loans.outstanding_fen == closing[LOANS_RECEIVABLE], end
            assert s.guarantee.deposits_placed_fen == closing[GUARANTEE_DEPOSITS], end
            seen.add((s.portfolio_total.disbursed_count, s.portfolio_total.outstanding_fen))
    engine.dispose()
    assert len(seen) > len(periods) // 2  # the figures move with the date


# --- countyshare ---
#: long enough for counter-guaranteed loans to default (the small run has none yet)
LONGER = ["--counties", "4", "--youth", "300", "--months", "24", "--seed", "7"]


def test_the_demo_shows_county_shares_as_receivables_and_the_allowance(
    tmp_path: Path,
) -> None:
    """Issue 19's acceptance on the demo: the county shares of defaulted counter-guaranteed
    loans are receivable from the counties (1213, not written off with the borrowers), and
    the loan-loss allowance at the last month end is the policy's rates of the loans by
    ageing bucket; both are on the balance sheet and in the key figures."""
    result = CliRunner().invoke(
        fund, ["demo", *LONGER, "--out", str(tmp_path / "d"), "--json"], catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    run = json.loads(result.stdout)
    assert run["ledger_ok"] and not run["surprises"]
    engine = make_engine(f"sqlite:///{run['database']}")
    first, last = (date.fromisoformat(d) for d in run["period"])
    with UnitOfWork(engine, write=False) as uow:
        conn = uow.conn
        called = conn.execute(
            text(
                "SELECT f.id, f.county_share_fen - f.recovered_county_fen"
                " - f.county_written_off_fen FROM facilities f JOIN journal_entries e"
                " ON e.object_id = CAST(f.id AS TEXT) AND e.kind = 'loan.county_share'"
            )
        ).all()
        s = fund_statement(uow.conn, "auditor", first, last)
        policy = policy_on(conn, last).policy
        buckets = allowance.buckets_on(conn, last, policy.default_after_days)
    engine.dispose()
    assert called and sum(owed for _, owed in called) > 0
    closing = {r.code: r.closing_fen for r in s.balance_sheet.assets}
    assert closing[COUNTER_GUARANTEE_RECEIVABLE] >= sum(owed for _, owed in called)
    target = target_fen(buckets, allowance_rates(policy))
    assert target > 0 and closing[LOAN_LOSS_ALLOWANCE] == -target  # a contra asset
    figures = {k.label_en: k.amount_fen for k in s.key_figures}
    assert figures["Receivable from counties (counter-guarantees)"] == closing["1213"]
    assert figures["Loan-loss allowance (interest-free loans)"] == target
