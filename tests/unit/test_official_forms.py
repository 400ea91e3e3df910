"""The official forms' mapping table is complete for the chart, and the forms add up.

The table (fundcore.domain.official_forms) places every account of the chart and every
entry kind; an account or kind added later without a place fails here by name, and the
builder refuses it at run time rather than leave its figure out of a statement.
"""

from __future__ import annotations

from datetime import date
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fundcore.domain import official_forms as forms
from fundcore.domain.chart import CHART
from fundcore.domain.money import ratio_bp
from fundcore.domain.terms import EntryKind
from fundcore.statements import official
from fundcore.statements.portfolio import bp
from reports import formats

STD = forms.STANDARD_2004
TYPES = {a.code: a.type for a in CHART}


def _numbered(form: forms.Form) -> dict[int, forms.FormLine]:
    return {x.line: x for x in form.lines if x.line}


@pytest.mark.parametrize("account", [a.code for a in CHART], ids=str)
def test_every_account_of_the_chart_has_a_line_on_each_form_it_belongs_to(account: str):
    place = STD.accounts.get(account)
    assert place is not None, f"account {account} is not mapped in {STD.code}: add it"
    balance = _numbered(STD.balance)
    assert place.balance_line in balance and not balance[place.balance_line].sums
    kind = TYPES[account]
    if kind in ("asset", "liability"):
        assert place.activity_line is None
        side = balance[place.balance_line].side
        assert side == ("D" if kind == "asset" else "C"), (account, side)
    else:
        activity = _numbered(STD.activities)
        assert place.activity_line in activity, account
        assert not activity[place.activity_line].sums or place.activity_line == 40
        assert place.balance_line in (101, 105)
        assert place.restricted == (place.balance_line == 105)


def test_the_table_places_no_account_the_chart_does_not_have():
    assert set(STD.accounts) == {a.code for a in CHART}


@pytest.mark.parametrize("kind", [k.value for k in EntryKind], ids=str)
def test_every_entry_kind_has_cash_lines_or_is_known_to_move_no_cash(kind: str):
    assert (kind in STD.cash_kinds) != (kind in STD.non_cash), kind
    if kind in STD.cash_kinds:
        lines = _numbered(STD.cash)
        inflow, outflow = STD.cash_kinds[kind]
        assert inflow in lines and outflow in lines
        assert not lines[inflow].sums and not lines[outflow].sums


@pytest.mark.parametrize("form", [STD.balance, STD.activities, STD.cash], ids=lambda f: f.code)
def test_line_numbers_are_unique_rising_and_totals_add_lines_of_the_form(form: forms.Form):
    numbers = [x.line for x in form.lines if x.line]
    assert numbers == sorted(set(numbers))
    for x in form.lines:
        for n in (*x.sums, *x.minus):
            assert n in numbers and n != x.line, (form.code, x.line, n)


def test_an_unmapped_account_is_refused_by_name_not_dropped():
    books = _books({"1002": (100, 0), "9999": (0, 100)})
    with pytest.raises(official.Unmapped, match="9999"):
        official.assemble(STD, books)


def test_cash_from_a_kind_that_never_moves_cash_or_an_unknown_kind_is_refused():
    for kind in ("write_off", "subsidy.pay.new"):
        books = _books({}, cash={kind: (100, 0)})
        with pytest.raises(official.Unmapped, match=kind):
            official.assemble(STD, books)


def _books(closing, cash=None, moves=None, earlier=None, start=date(2025, 1, 1)):
    zero = {code: (0, 0) for code in TYPES}
    return official.Books(
        period_from=start,
        period_to=date(2025, 12, 31),
        types=TYPES,
        opening=zero,
        closing=zero | closing,
        period_moves=moves if moves is not None else closing,
        year_moves=moves if moves is not None else closing,
        earlier_years=earlier or {},
        cash_period=cash or {},
        cash_prior={},
    )


# a balanced set of account totals: amounts on random accounts, 3101 takes the difference
_amounts = st.dictionaries(
    st.sampled_from([a.code for a in CHART if a.code != "3101"]),
    st.tuples(st.integers(0, 10**12), st.integers(0, 10**12)),
    max_size=len(CHART),
)


@settings(max_examples=200, deadline=None)
@given(_amounts)
def test_total_assets_equal_liabilities_and_net_assets_and_activities_explain_the_change(totals):
    debit = sum(d for d, _ in totals.values())
    credit = sum(c for _, c in totals.values())
    closing = dict(totals)
    closing["3101"] = (0, debit - credit) if debit >= credit else (credit - debit, 0)
    moves = {c: v for c, v in closing.items() if TYPES[c] in ("income", "expense")}
    stmt = official.assemble(STD, _books(closing, moves=moves))
    sheet, acts = stmt.balance_sheet, stmt.activities
    for column in ("opening_fen", "closing_fen"):
        assert sheet.value(60, column) == sheet.value(120, column)
    # with nothing before the year, the year's change in net assets is its closing net assets
    # less what sits directly in 3101/3102 and 3102's purpose sub-accounts (no movement of
    # theirs was given)
    direct = sum(c - d for code, (d, c) in closing.items() if code.startswith(("3101", "3102")))
    assert acts.value(45, "year_total_fen") == sheet.value(110, "closing_fen") - direct
    for when in ("period", "year"):
        u, r, t = (
            acts.value(45, f"{when}_{c}_fen") for c in ("unrestricted", "restricted", "total")
        )
        assert u + r == t


def test_a_release_moves_net_assets_between_the_columns_and_leaves_the_total():
    moves = {"3102": (5_000, 0), "3101": (0, 5_000), "5101.01": (5_000, 0)}
    stmt = official.assemble(STD, _books({}, moves=moves))
    acts = stmt.activities
    assert acts.value(40, "period_unrestricted_fen") == 5_000
    assert acts.value(40, "period_restricted_fen") == -5_000
    assert acts.value(40, "period_total_fen") == 0
    assert acts.value(45, "period_unrestricted_fen") == 0  # spent 5,000, released 5,000
    assert acts.value(45, "period_restricted_fen") == -5_000
    assert acts.value(12, "period_total_fen") == 5_000 == acts.value(13, "period_total_fen")


def test_cash_lines_and_the_net_increase():
    cash = {"donation": (1_000_000, 2_000), "disburse.grant": (0, 300_000), "repayment": (50, 0)}
    form = official.assemble(STD, _books({}, cash=cash)).cash_flows
    assert form.value(1, "period_fen") == 1_000_000
    assert form.value(14, "period_fen") == 300_000
    assert form.value(19, "period_fen") == 2_000
    assert form.value(8, "period_fen") == 50
    assert form.value(24, "period_fen") == 1_000_050 - 302_000
    assert form.value(61, "period_fen") == form.value(24, "period_fen")


def test_charity_ratios_measure_spending_and_management_against_the_law():
    moves = {"5101.01": (700, 0), "5401.01": (300, 0)}
    earlier = {
        2022: {"4101.01": (0, 600)},
        2023: {"4101.01": (0, 900)},
        2024: {"4101.02": (0, 1_000)},
    }
    ratios = official.assemble(STD, _books({}, moves=moves, earlier=earlier)).charity
    assert (ratios.spending_fen, ratios.total_expenses_fen, ratios.management_fen) == (
        700,
        1_000,
        0,
    )
    assert ratios.previous_income_fen == 1_000 and ratios.average_years == (2022, 2023, 2024)
    assert ratios.average_income_fen == 833  # 2,500 / 3, half up
    previous, average, management = ratios.checks
    assert (previous.ratio_bp, previous.met) == (7_000, True)  # exactly 70%: met
    assert (average.ratio_bp, average.met) == (8_403, True)
    assert (management.ratio_bp, management.met) == (0, True)
    none = official.assemble(STD, _books({}, moves=moves)).charity
    assert none.checks[0].met is None and none.checks[0].ratio_bp is None


def test_spending_below_seventy_percent_is_not_met():
    ratios = official.assemble(
        STD, _books({}, moves={"5101.02": (699, 0)}, earlier={2024: {"4101.01": (0, 1_000)}})
    ).charity
    assert (ratios.checks[0].ratio_bp, ratios.checks[0].met) == (6_990, False)


# --- percentages half up at the printed precision -----------------------------------------


def test_par30_of_2_2092_percent_prints_2_21_not_2_20():
    assert bp(22_092, 1_000_000) == 221
    assert formats.percent(bp(22_092, 1_000_000)) == "2.21%"
    assert formats.percent(bp(22_050, 1_000_000)) == "2.21%"  # a half goes up
    assert formats.percent(bp(22_049, 1_000_000)) == "2.20%"


@given(st.integers(0, 10**15), st.integers(1, 10**15))
def test_ratio_bp_is_the_nearest_basis_point_halves_up(part: int, whole: int):
    exact = Fraction(part * 10_000, whole)
    got = ratio_bp(part, whole)
    assert got is not None
    assert exact - Fraction(1, 2) < got <= exact + Fraction(1, 2)
    assert got == int(exact + Fraction(1, 2))
