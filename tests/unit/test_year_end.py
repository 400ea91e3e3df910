"""期末结转: a table of balances at 12-31 gives exactly these lines."""

from __future__ import annotations

from datetime import date

from fundcore.domain import chart
from fundcore.domain.ledger import Line, check_entry
from fundcore.domain.postings.year_end import AccountTotal, year_end_entry
from fundcore.domain.terms import EntryKind


def _t(code: str, debit: int, credit: int) -> AccountTotal:
    kind = {a.code: a.type for a in chart.CHART}[code]
    return AccountTotal(code, kind, debit, credit)


def test_income_and_expenses_close_into_restricted_and_unrestricted_net_assets() -> None:
    totals = [
        _t(chart.BANK, 900_000, 100_000),  # not closed: an asset
        _t(chart.DONATIONS_UNRESTRICTED, 0, 500_000),
        _t(chart.DONATIONS_RESTRICTED, 0, 300_000),
        _t(chart.PROGRAMME_GRANTS, 120_000, 0),
        _t(chart.PROGRAMME_WORKING_FUNDS, 50_000, 10_000),
        _t(chart.PROVISION_EXPENSE, 0, 0),  # zero: no line
        _t(chart.WRITE_OFF_LOSSES, 7_000, 0),
    ]
    entry = year_end_entry(2019, totals, "fin1")
    assert entry is not None
    assert (entry.business_date, entry.kind, entry.object_id) == (
        date(2019, 12, 31),
        EntryKind.YEAR_END_CLOSE,
        "2019-12",
    )
    assert entry.lines == (
        Line(chart.DONATIONS_UNRESTRICTED, "D", 500_000),
        Line(chart.DONATIONS_RESTRICTED, "D", 300_000),
        Line(chart.PROGRAMME_GRANTS, "C", 120_000),
        Line(chart.PROGRAMME_WORKING_FUNDS, "C", 40_000),
        Line(chart.WRITE_OFF_LOSSES, "C", 7_000),
        Line(chart.NET_ASSETS_UNRESTRICTED, "C", 500_000 - 120_000 - 40_000 - 7_000),
        Line(chart.NET_ASSETS_RESTRICTED, "C", 300_000),
    )
    check_entry(entry)


def test_a_deficit_debits_unrestricted_net_assets() -> None:
    totals = [_t(chart.DONATIONS_UNRESTRICTED, 0, 1_000), _t(chart.PROGRAMME_GRANTS, 5_000, 0)]
    entry = year_end_entry(2020, totals, "fin1")
    assert entry is not None
    assert entry.lines == (
        Line(chart.DONATIONS_UNRESTRICTED, "D", 1_000),
        Line(chart.PROGRAMME_GRANTS, "C", 5_000),
        Line(chart.NET_ASSETS_UNRESTRICTED, "D", 4_000),
    )
    check_entry(entry)


def test_income_equal_to_expenses_leaves_net_assets_without_a_line() -> None:
    totals = [_t(chart.DONATIONS_UNRESTRICTED, 0, 2_000), _t(chart.PROGRAMME_GRANTS, 2_000, 0)]
    entry = year_end_entry(2020, totals, "fin1")
    assert entry is not None
    assert [ln.account for ln in entry.lines] == [
        chart.DONATIONS_UNRESTRICTED,
        chart.PROGRAMME_GRANTS,
    ]
    check_entry(entry)


def test_no_balances_no_entry() -> None:
    totals = [_t(chart.DONATIONS_UNRESTRICTED, 700, 700), _t(chart.BANK, 5, 0)]
    assert year_end_entry(2020, totals, "fin1") is None
