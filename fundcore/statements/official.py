"""The three statements in the official forms, filled from the ledger's kept totals by the
mapping table of ``fundcore.domain.official_forms`` (which holds every line; this module
only adds up what the table says).

- 会民非01表 资产负债表: every account's balance at 年初 (the day before 1 January of the
  year of the period's last day) and 期末 (the period's last day), on the line the table
  gives it. Income and expense accounts not yet closed by a 期末结转 sit on the net-asset
  line of their column, as in ``statements.financial``.
- 会民非02表 业务活动表: the movement of every income, expense and net-asset account,
  without the 期末结转 entries (a transfer, not income), for the period (本月数 or 本期数)
  and for the year through its last day (本年累计数), each 非限定性 / 限定性 / 合计. What
  moves the net-asset accounts directly (releasing a restriction: D 3102 / C 3101) is
  line 40.
- 会民非03表 现金流量表: the cash accounts' (line 1 of 01) debits and credits by entry
  kind, each kind on the inflow and outflow lines the table gives it, for the period and
  for the same days a year earlier.

An account the table does not place, or a kind that moves cash without a cash line, is
refused (``Unmapped``): a figure is never left out of a statement silently.
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from fractions import Fraction

from sqlalchemy import Connection, func, select

from fundcore.domain import official_forms as forms
from fundcore.domain.errors import IntegrityBroken
from fundcore.domain.money import BP, ratio_bp, round_half_up
from fundcore.domain.official_forms import Form, Standard
from fundcore.statements.model.official import (
    CharityRatios,
    FormColumn,
    FormRow,
    OfficialForm,
    OfficialStatements,
    RatioCheck,
)
from fundcore.store import journal
from fundcore.store.models import AccountDaily, AccountKindDaily
from fundcore.store.tables import table_of

_kind_daily = table_of(AccountKindDaily)
_daily = table_of(AccountDaily)

#: (debit, credit) per account code, or per entry kind
Sides = Mapping[str, tuple[int, int]]


class Unmapped(IntegrityBroken):
    """An account or entry kind the official mapping has no line for: the statement is
    refused (exit 1, naming it) rather than made without its figures."""

    def __str__(self) -> str:
        return f"{self.code}: {self.params}"


# --- reading the kept totals -----------------------------------------------------------


def balances(conn: Connection, on: date) -> tuple[dict[str, tuple[int, int]], dict[str, str]]:
    """Every account's (debit, credit) totals as of ``on``, and its type."""
    rows = journal.balances(conn, on)
    return {r.code: (r.debit_fen, r.credit_fen) for r in rows}, {r.code: r.type for r in rows}


def movements(conn: Connection, start: date, end: date, leave_out: frozenset[str]) -> Sides:
    """(debit, credit) of each account over [start, end], without entries of ``leave_out``."""
    k = _kind_daily.c
    rows = conn.execute(
        select(k.account_code, func.sum(k.debit_fen), func.sum(k.credit_fen))
        .where(k.business_date >= start, k.business_date <= end, k.kind.not_in(leave_out))
        .group_by(k.account_code)
    ).all()
    return {code: (int(d or 0), int(c or 0)) for code, d, c in rows}


def cash_by_kind(conn: Connection, start: date, end: date, cash_accounts: set[str]) -> Sides:
    """(debit, credit) of the cash accounts over [start, end], by entry kind."""
    k = _kind_daily.c
    rows = conn.execute(
        select(k.kind, func.sum(k.debit_fen), func.sum(k.credit_fen))
        .where(
            k.business_date >= start,
            k.business_date <= end,
            k.account_code.in_(sorted(cash_accounts)),
        )
        .group_by(k.kind)
    ).all()
    return {kind: (int(d or 0), int(c or 0)) for kind, d, c in rows}


def first_day(conn: Connection) -> date | None:
    """The earliest business date on which anything was posted."""
    found: date | None = conn.scalar(select(func.min(_daily.c.business_date)))
    return found


# --- filling a form (pure) -------------------------------------------------------------


def place(std: Standard, code: str) -> forms.AccountPlace:
    try:
        return std.accounts[code]
    except KeyError:
        raise Unmapped("statement.unmapped_account", account=code, standard=std.code) from None


def complete(form: Form, items: Mapping[int, int]) -> dict[int, int]:
    """Every numbered line's figure: the mapped items, then each total from its lines
    (a total may come before the lines it adds: 业务活动成本 over its 其中 lines)."""
    lines = {x.line: x for x in form.lines if x.line}
    out: dict[int, int] = {}

    def value(n: int) -> int:
        if n not in out:
            x = lines[n]
            if x.sums or x.minus:
                out[n] = sum(map(value, x.sums)) - sum(map(value, x.minus))
            else:
                out[n] = items.get(n, 0)
        return out[n]

    for n in lines:
        value(n)
    return out


def balance_items(std: Standard, totals: Sides) -> dict[int, int]:
    """Each balance-sheet line's sum of its accounts, read on the line's side."""
    sides = {x.line: x.side for x in std.balance.lines if x.line}
    items: dict[int, int] = {}
    for code, (debit, credit) in totals.items():
        line = place(std, code).balance_line
        net = debit - credit if sides[line] == "D" else credit - debit
        items[line] = items.get(line, 0) + net
    return items


def activity_items(
    std: Standard, moved: Sides, types: Mapping[str, str]
) -> tuple[dict[int, int], dict[int, int]]:
    """(unrestricted, restricted) items of 02: income and net assets on their credit side,
    expenses on their debit side; assets and liabilities have no line there."""
    columns: tuple[dict[int, int], dict[int, int]] = ({}, {})
    for code, (debit, credit) in moved.items():
        where = place(std, code)
        if where.activity_line is None:
            continue
        net = debit - credit if types.get(code) == "expense" else credit - debit
        column = columns[1 if where.restricted else 0]
        column[where.activity_line] = column.get(where.activity_line, 0) + net
    return columns


def cash_items(std: Standard, by_kind: Sides) -> dict[int, int]:
    """Each kind's cash in on its inflow line and cash out on its outflow line."""
    items: dict[int, int] = {}
    for kind, (debit, credit) in sorted(by_kind.items()):
        if not debit and not credit:
            continue
        if kind not in std.cash_kinds:
            raise Unmapped("statement.unmapped_kind", kind=kind, standard=std.code)
        in_line, out_line = std.cash_kinds[kind]
        items[in_line] = items.get(in_line, 0) + debit
        items[out_line] = items.get(out_line, 0) + credit
    return items


def _role(line: forms.FormLine) -> str:
    if not line.line:
        return "heading"
    if line.detail:
        return "detail"
    return "total" if line.sums or line.minus else "item"


def official_form(
    std: Standard,
    form: Form,
    columns: tuple[FormColumn, ...],
    figures: tuple[Mapping[int, int], ...],
) -> OfficialForm:
    """The form's rows with a figure from each of ``figures`` (one per column)."""
    rows = tuple(
        FormRow(
            x.line,
            x.name_zh,
            x.name_en,
            _role(x),
            tuple(f.get(x.line, 0) for f in figures) if x.line else (),
        )
        for x in form.lines
    )
    return OfficialForm(
        form.code, form.code_en, form.name_zh, form.name_en, std.code, std.name_en, columns, rows
    )


def three(
    form: Form, unrestricted: Mapping[int, int], restricted: Mapping[int, int]
) -> tuple[dict[int, int], dict[int, int], dict[int, int]]:
    """非限定性, 限定性 and 合计 of a 02 form, each completed (totals of their column)."""
    u, r = complete(form, unrestricted), complete(form, restricted)
    return u, r, {k: u[k] + r.get(k, 0) for k in u}


# --- the statements --------------------------------------------------------------------


def year_ago(day: date) -> date:
    """The same day a year earlier (28 February for a 29th)."""
    last = calendar.monthrange(day.year - 1, day.month)[1]
    return date(day.year - 1, day.month, min(day.day, last))


def _single_month(start: date, end: date) -> bool:
    last = calendar.monthrange(end.year, end.month)[1]
    return (start.year, start.month, start.day) == (end.year, end.month, 1) and end.day == last


@dataclass(frozen=True, slots=True)
class Books:
    """What the official statements are made of, read from the kept totals: account
    (debit, credit) totals at 年初 and 期末, account movements without the 期末结转 for
    the period, the year to date and each earlier year of the ratios, and the cash
    accounts' flows by entry kind for the period and a year earlier."""

    period_from: date
    period_to: date
    types: Mapping[str, str]
    opening: Sides
    closing: Sides
    period_moves: Sides
    year_moves: Sides
    earlier_years: Mapping[int, Sides]
    cash_period: Sides
    cash_prior: Sides


def read_books(
    conn: Connection, period_from: date, period_to: date, std: Standard = forms.CURRENT
) -> Books:
    year_start = date(period_to.year, 1, 1)
    opening, types = balances(conn, year_start - timedelta(days=1))
    closing, _ = balances(conn, period_to)
    began = first_day(conn)
    earlier = {
        y: _moved(conn, std, date(y, 1, 1), date(y, 12, 31))
        for y in range(period_to.year - forms.AVERAGE_YEARS, period_to.year)
        if began is not None and y >= began.year
    }
    cash_accounts = {c for c, p in std.accounts.items() if p.balance_line == 1}
    return Books(
        period_from,
        period_to,
        types,
        opening,
        closing,
        _moved(conn, std, period_from, period_to),
        _moved(conn, std, year_start, period_to),
        earlier,
        cash_by_kind(conn, period_from, period_to, cash_accounts),
        cash_by_kind(conn, year_ago(period_from), year_ago(period_to), cash_accounts),
    )


def statements(
    conn: Connection, period_from: date, period_to: date, std: Standard = forms.CURRENT
) -> OfficialStatements:
    """The three official forms for the period and the Charity Law ratios of its year."""
    return assemble(std, read_books(conn, period_from, period_to, std))


def assemble(std: Standard, books: Books) -> OfficialStatements:
    """The forms filled from ``books`` by the mapping of ``std`` (pure: no database)."""
    sheet = official_form(
        std,
        std.balance,
        (
            FormColumn("opening_fen", "年初数", "Start of year"),
            FormColumn("closing_fen", "期末数", "End of period"),
        ),
        (
            complete(std.balance, balance_items(std, books.opening)),
            complete(std.balance, balance_items(std, books.closing)),
        ),
    )
    period = three(std.activities, *activity_items(std, books.period_moves, books.types))
    year = three(std.activities, *activity_items(std, books.year_moves, books.types))
    month = _single_month(books.period_from, books.period_to)
    first = ("本月数", "this month") if month else ("本期数", "period")
    acts = official_form(
        std,
        std.activities,
        tuple(
            FormColumn(f"{when}_{col}_fen", f"{zh} {czh}", f"{en}, {cen}")
            for when, zh, en in (("period", *first), ("year", "本年累计数", "year to date"))
            for col, czh, cen in (
                ("unrestricted", "非限定性", "unrestricted"),
                ("restricted", "限定性", "restricted"),
                ("total", "合计", "total"),
            )
        ),
        (*period, *year),
    )
    cash = official_form(
        std,
        std.cash,
        (
            FormColumn("period_fen", "本期金额", "This period"),
            FormColumn("prior_fen", "上年同期金额", "Same period last year"),
        ),
        tuple(
            complete(std.cash, cash_items(std, flows))
            for flows in (books.cash_period, books.cash_prior)
        ),
    )
    return OfficialStatements(
        std.code,
        std.name_zh,
        std.name_en,
        sheet,
        acts,
        cash,
        charity_ratios(std, books, year[2]),
    )


def _moved(conn: Connection, std: Standard, start: date, end: date) -> Sides:
    return movements(conn, start, end, std.not_released)


def charity_ratios(std: Standard, books: Books, year: Mapping[int, int]) -> CharityRatios:
    """慈善活动支出 (业务活动成本, line 12) of the year through the period's last day
    (``year``: the 合计 column of 本年累计数) against 70% of the previous year's total
    income (line 11) and of the average of up to three previous years (those since the
    fund's first posting); 管理费用 (line 21) against 10% of the year's total expenses
    (line 35)."""
    spending, management, expenses = year[12], year[21], year[35]
    incomes = {
        y: three(std.activities, *activity_items(std, moves, books.types))[2][11]
        for y, moves in sorted(books.earlier_years.items())
    }
    years = tuple(incomes)
    previous = incomes.get(books.period_to.year - 1, 0)
    average = round_half_up(Fraction(sum(incomes.values()), len(incomes))) if incomes else 0
    n = len(years) or forms.AVERAGE_YEARS
    checks = (
        _at_least("spending_previous", "慈善活动支出 ÷ 上年总收入",
                  "Charitable spending ÷ last year's income", spending, previous),
        _at_least("spending_average", f"慈善活动支出 ÷ 前{n}年收入平均数",
                  "Charitable spending ÷ average income of the previous years",
                  spending, average),
        _at_most("management", "管理费用 ÷ 当年总支出", "Management expenses ÷ total expenses",
                 management, expenses),
    )  # fmt: skip
    return CharityRatios(
        books.period_to.year,
        books.period_to,
        spending,
        management,
        expenses,
        previous,
        average,
        years,
        checks,
    )


def _at_least(key: str, zh: str, en: str, part: int, whole: int) -> RatioCheck:
    limit = forms.CHARITY_SPENDING_MIN_BP
    met = None if whole <= 0 else part * BP >= limit * whole
    return RatioCheck(key, zh, en, part, whole, ratio_bp(part, whole), limit, "at_least", met)


def _at_most(key: str, zh: str, en: str, part: int, whole: int) -> RatioCheck:
    limit = forms.MANAGEMENT_MAX_BP
    met = None if whole <= 0 else part * BP <= limit * whole
    return RatioCheck(key, zh, en, part, whole, ratio_bp(part, whole), limit, "at_most", met)
