"""Closing a December posts the 期末结转: one visible entry dated 12-31 moving every
income and expense balance into net assets (restricted income into 3102, the rest into
3101); the next year opens with income and expenses at zero, net assets up by the
year's surplus, the trial balance still balanced, and the statements unchanged."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import Engine, select

from fundcore.domain import chart
from fundcore.domain.terms import EntryKind
from fundcore.statements import financial
from fundcore.statements.fund import fund_statement
from fundcore.store import journal
from fundcore.store.models import JournalEntry
from tests.cli.helpers import Typed, ok, refused
from tests.conftest import Fund
from tests.factories import disbursed, setup_fund

MONTHS_2019 = [f"2019-{m:02d}" for m in range(6, 13)]
INCOME_EXPENSE = ("income", "expense")


@pytest.fixture
def fund(engine: Engine, db_url: str) -> Typed:
    """A 2019 with unrestricted and restricted donations, a loan, a grant, working funds."""
    setup_fund(engine)
    disbursed(engine, 1, "loan")
    disbursed(engine, 2, "grant", yuan=20_000)
    typed = Typed(Fund(db_url))
    gift = "--amount 8000 --donor 某基金会 --date 2019-03-01 --restricted 助学"
    ok(typed(f"donations record {gift} --as fin1"))
    ok(typed("working-funds pay --year 2019 --date 2019-07-01 --as fin1"))
    return typed


def _balances(engine: Engine, on: date) -> dict[str, journal.BalanceRow]:
    with engine.connect() as conn:
        return {b.code: b for b in journal.balances(conn, on)}


def _statement(engine: Engine, start: date, end: date):  # noqa: ANN202 - a FundStatement
    with engine.connect() as conn:
        return fund_statement(conn, "fin1", start, end)


def _close_2019(fund: Typed) -> None:
    for month in MONTHS_2019:
        ok(fund(f"period close {month} --as fin1"))


def _year_end_entries(engine: Engine) -> list[JournalEntry]:
    with engine.connect() as conn:
        return list(
            conn.execute(
                select(JournalEntry).where(JournalEntry.kind == EntryKind.YEAR_END_CLOSE)
            ).all()
        )


def test_closing_december_moves_the_year_into_net_assets(engine: Engine, fund: Typed) -> None:
    year = (date(2019, 1, 1), date(2019, 12, 31))
    _close_2019_but_december(fund)
    before = _balances(engine, date(2019, 12, 31))
    unrestricted, restricted = financial.net_assets(list(before.values()))
    surplus_u = sum(
        b.credit_fen - b.debit_fen
        for b in before.values()
        if b.type in INCOME_EXPENSE and b.code != chart.DONATIONS_RESTRICTED
    )
    surplus_r = before[chart.DONATIONS_RESTRICTED].credit_fen
    # the restricted gift alone: the loan's matching is the county's money, never income
    assert surplus_r == 800_000 and surplus_u != 0
    stmt_before = _statement(engine, *year)

    doc = json.loads(ok(fund("--json period close 2019-12 --as fin1")).stdout)

    [entry] = _year_end_entries(engine)
    assert (doc["year_end_seq"], entry.business_date) == (entry.seq, date(2019, 12, 31))
    after = _balances(engine, date(2019, 12, 31))
    assert all(b.debit_fen == b.credit_fen for b in after.values() if b.type in INCOME_EXPENSE)
    moved_u = after[chart.NET_ASSETS_UNRESTRICTED].balance_fen
    moved_r = after[chart.NET_ASSETS_RESTRICTED].balance_fen
    net_u_before = before[chart.NET_ASSETS_UNRESTRICTED].balance_fen
    net_r_before = before[chart.NET_ASSETS_RESTRICTED].balance_fen
    assert (moved_u - net_u_before, moved_r - net_r_before) == (surplus_u, surplus_r)
    assert financial.net_assets(list(after.values())) == (unrestricted, restricted)
    assert sum(b.debit_fen for b in after.values()) == sum(b.credit_fen for b in after.values())
    # the year's statement says the same after the close: activities, net assets, cash
    stmt_after = _statement(engine, *year)
    assert stmt_after.activities == stmt_before.activities
    assert stmt_after.activities.change_in_net_assets.total_fen == surplus_u + surplus_r
    assert stmt_after.balance_sheet.total_net_assets == stmt_before.balance_sheet.total_net_assets
    assert stmt_after.cash_flows == stmt_before.cash_flows


def _released_2019(engine: Engine) -> int:
    """What 2019's grant and working funds released of the restricted 800,000 (the gift,
    restricted to the programme as a whole, which they serve; matching is no income)."""
    activities = _statement(engine, date(2019, 1, 1), date(2019, 12, 31)).activities
    released = activities.restrictions_released.unrestricted_fen
    assert released == min(800_000, activities.total_expenses.total_fen) > 0
    assert activities.restrictions_released.restricted_fen == -released
    return released


def _close_2019_but_december(fund: Typed) -> None:
    for month in MONTHS_2019[:-1]:
        ok(fund(f"period close {month} --as fin1"))


def test_2020_opens_with_income_and_expenses_at_zero(engine: Engine, fund: Typed) -> None:
    _close_2019(fund)
    ok(fund("donations record --amount 500 --donor 某公司 --date 2020-01-10 --as fin1"))
    stmt = _statement(engine, date(2020, 1, 1), date(2020, 1, 31))
    opening = _balances(engine, date(2019, 12, 31))
    assert all(b.balance_fen == 0 for b in opening.values() if b.type in INCOME_EXPENSE)
    sheet = stmt.balance_sheet
    assert sheet.total_assets.opening_fen == sheet.total_liabilities_and_net_assets.opening_fen
    assert sheet.total_assets.closing_fen == sheet.total_liabilities_and_net_assets.closing_fen
    # 2020's activities are 2020's only: the one donation
    assert stmt.activities.total_income.total_fen == 50_000
    assert stmt.activities.total_expenses.total_fen == 0
    by_code = {ln.code: ln for ln in sheet.net_assets}
    released = _released_2019(engine)
    # 800,000 of restricted gifts (matching pledges are no longer income), less what 2019
    # spent of them
    assert by_code[chart.NET_ASSETS_RESTRICTED].opening_fen == 800_000 - released
    assert opening[chart.NET_ASSETS_RESTRICTED].balance_fen == 800_000 - released


def test_the_cash_flow_statement_never_sees_the_closing_entry(engine: Engine, fund: Typed) -> None:
    _close_2019(fund)
    stmt = _statement(engine, date(2019, 12, 1), date(2019, 12, 31))
    labels = [x.label_en for x in stmt.cash_flows.inflows + stmt.cash_flows.outflows]
    assert EntryKind.YEAR_END_CLOSE.value not in labels
    bank = _balances(engine, date(2019, 12, 31))[chart.BANK]
    assert stmt.cash_flows.closing_cash_fen == bank.debit_fen - bank.credit_fen


def test_reopening_december_undoes_the_closing_and_closing_again_redoes_it(
    engine: Engine, fund: Typed
) -> None:
    _close_2019(fund)
    year = (date(2019, 1, 1), date(2019, 12, 31))
    activities = _statement(engine, *year).activities
    ok(fund("period reopen 2019-12 --reason 补记捐赠 --approver fin2 --as root"))
    reopened = _balances(engine, date(2019, 12, 31))
    assert reopened[chart.DONATIONS_RESTRICTED].balance_fen == 800_000
    # what is left on 3102 is the release, posted there directly (no income to close)
    assert reopened[chart.NET_ASSETS_RESTRICTED].balance_fen == -_released_2019(engine)
    assert _statement(engine, *year).activities == activities
    ok(fund("donations record --amount 100 --donor 某公司 --date 2019-12-20 --as fin1"))
    ok(fund("period close 2019-12 --as fin1"))
    assert len(_year_end_entries(engine)) == 3  # the closing, its undoing, the new closing
    closed = _balances(engine, date(2019, 12, 31))
    assert all(b.balance_fen == 0 for b in closed.values() if b.type in INCOME_EXPENSE)
    assert _statement(engine, *year).activities.total_income.total_fen == (
        activities.total_income.total_fen + 10_000
    )


def test_the_closing_entry_is_not_reversed_by_hand(engine: Engine, fund: Typed) -> None:
    _close_2019(fund)
    [entry] = _year_end_entries(engine)
    refused(
        fund(f"ledger reverse {entry.seq} --date 2020-01-02 --reason x --as fin1"),
        "period.reverse_year_end",
        seq=entry.seq,
        month="2019-12",
    )
