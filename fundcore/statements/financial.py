"""The three financial statements, from the ledger's kept totals (never its lines).

- Balance sheet (资产负债表): every account as of the day before the period (opening)
  and as of its last day (closing), from ``account_daily`` through ``journal.balances``.
- Statement of activities (业务活动表): the period's movement of each income and
  expense account; restricted donation income (4101.02 and its purposes' sub-accounts)
  in the restricted column; the release from restriction (限定性净资产转为非限定性净资产)
  is what the period debited to 3102 and its sub-accounts other than by closing.
- Cash flows (现金流量表): the period's debits and credits of the bank account (1002)
  by business event kind, from ``account_kind_daily``.

Income and expenses are closed into net assets only when finance closes a December
(the 期末结转 entry, kind ``close.year_end``); until then they accumulate, so the
balance sheet presents net assets as the net-asset accounts plus what has accumulated
in income and expenses not yet closed:

    unrestricted = 3101 + unrestricted income − all expenses
    restricted   = 3102 + restricted income (4101.02), sub-accounts included

The closing entry only moves balances between these accounts, so the sum is the same
before and after it: a year closed with the entry and one not closed give the same net
assets. The statement of activities leaves the closing entry out of the period's
movement (it is no income or expense of the year, only its transfer), and the cash
flows never see it: it moves no cash.

With every account counted once and the trial balance at zero, total assets equal
total liabilities plus net assets exactly, at both dates. Expenses all fall in the
unrestricted column; what they spent of restricted money moves from the restricted to
the unrestricted column on the release line (``domain.purposes``), as does matching
received through the fund when it is passed on (D 3102 / C 3101), so each column's
change is its income less its expenses plus or minus the release: what left 3102 and
its purpose sub-accounts in the period other than by the year-end close.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import Connection, func, select

from fundcore.domain import chart, purposes
from fundcore.domain.terms import EntryKind
from fundcore.statements.model import (
    AccountLine,
    ActivityLine,
    ActivityTotal,
    BalanceSheet,
    BalanceTotal,
    CashFlowLine,
    CashFlows,
    MonthPoint,
    StatementOfActivities,
)
from fundcore.store import journal
from fundcore.store.journal import BalanceRow
from fundcore.store.models import AccountKindDaily
from fundcore.store.tables import table_of

_kind_daily = table_of(AccountKindDaily)
# the donations restricted to a purpose (4101.02 and its sub-accounts) and local matching
# paid into the fund (4201.02); 3102 and its purpose sub-accounts
RESTRICTED_INCOME = purposes.RESTRICTED_INCOME | chart.RESTRICTED_INCOME
RESTRICTED_NET_ASSETS = purposes.RESTRICTED_NET_ASSETS

#: cash-flow lines by event kind: (inflow zh, inflow en, outflow zh, outflow en),
#: in the order the statement lists them; an unknown kind is shown by its code, last
CASH_KINDS: dict[str, tuple[str, str, str, str]] = {
    EntryKind.DONATION: ("收到的捐赠", "Donations received", "退回的捐赠", "Donations returned"),
    EntryKind.MATCHING_RECEIPT: (
        "收到的地方配套资金",
        "Local matching funds received",
        "退回的地方配套资金",
        "Local matching funds returned",
    ),
    EntryKind.MATCHING_PASS_ON: (
        "转付地方配套资金（冲回）",
        "Local matching funds passed on (reversed)",
        "转付给项目的地方配套资金",
        "Local matching funds passed on to projects",
    ),
    EntryKind.REPAYMENT: (
        "收回的免息借款本金",
        "Interest-free loan principal repaid",
        "退回的还款",
        "Repayments returned",
    ),
    EntryKind.DEPOSIT_RELEASE: (
        "收回的担保保证金",
        "Guarantee deposits released",
        "担保保证金（冲回）",
        "Guarantee deposits (reversed)",
    ),
    EntryKind.RECOVERY_BORROWER: (
        "向借款人追偿收回",
        "Recovered from borrowers",
        "追偿款（冲回）",
        "Recoveries (reversed)",
    ),
    EntryKind.RECOVERY_COUNTY: (
        "县政府反担保代偿收回",
        "Recovered from county counter-guarantees",
        "反担保回收（冲回）",
        "County recoveries (reversed)",
    ),
    EntryKind.DISBURSE_LOAN: (
        "收回的免息借款放款（冲回）",
        "Loan pay-outs (reversed)",
        "发放的免息借款",
        "Interest-free loans paid out",
    ),
    EntryKind.DISBURSE_GUARANTEE: (
        "存出保证金（冲回）",
        "Guarantee deposits placed (reversed)",
        "存出的担保保证金",
        "Guarantee deposits placed",
    ),
    EntryKind.DISBURSE_GRANT: (
        "小额资助（冲回）",
        "Micro-grants (reversed)",
        "支付的小额资助",
        "Micro-grants paid",
    ),
    EntryKind.WORKING_FUNDS: (
        "县级工作经费（冲回）",
        "County working funds (reversed)",
        "拨付的县级团委工作经费",
        "County league working funds paid",
    ),
    EntryKind.CLAIM: (
        "代偿款（冲回）",
        "Claims (reversed)",
        "支付的代偿款",
        "Guarantee claims paid",
    ),
    EntryKind.REVERSAL: ("冲销分录转回", "Reversing entries", "冲销分录转出", "Reversing entries"),
    # --- countyshare ---
    EntryKind.SUBSIDY_PAYMENT: (
        "贴息（冲回）",
        "Interest subsidies (reversed)",
        "支付给合作银行的贴息",
        "Interest subsidies paid to banks",
    ),
}
DISBURSE_KINDS = (EntryKind.DISBURSE_LOAN, EntryKind.DISBURSE_GUARANTEE, EntryKind.DISBURSE_GRANT)
COLLECT_KINDS = (EntryKind.REPAYMENT, EntryKind.RECOVERY_BORROWER, EntryKind.RECOVERY_COUNTY)


def opening_and_closing(
    conn: Connection, period_from: date, period_to: date
) -> tuple[list[BalanceRow], list[BalanceRow]]:
    """Every account as of the day before the period and as of its last day."""
    opening = journal.balances(conn, period_from - timedelta(days=1))
    closing = journal.balances(conn, period_to)
    return opening, closing


def _debit_side(row: BalanceRow) -> int:
    return row.debit_fen - row.credit_fen


def _credit_side(row: BalanceRow) -> int:
    return row.credit_fen - row.debit_fen


def net_assets(rows: Sequence[BalanceRow]) -> tuple[int, int]:
    """(unrestricted, restricted) net assets, income and expenses not yet closed."""
    unrestricted = restricted = 0
    for r in rows:
        if r.code in RESTRICTED_NET_ASSETS or r.code in RESTRICTED_INCOME:
            restricted += _credit_side(r)
        elif r.type in ("net_assets", "income", "expense"):
            unrestricted += _credit_side(r)
    return unrestricted, restricted


def balance_sheet(opening: Sequence[BalanceRow], closing: Sequence[BalanceRow]) -> BalanceSheet:
    pairs = list(zip(opening, closing, strict=True))
    assets = tuple(
        AccountLine(c.code, c.name_zh, c.name_en, _debit_side(o), _debit_side(c))
        for o, c in pairs
        if c.type == "asset"
    )
    liabilities = tuple(
        AccountLine(c.code, c.name_zh, c.name_en, _credit_side(o), _credit_side(c))
        for o, c in pairs
        if c.type == "liability"
    )
    net = _net_asset_lines(opening, closing)
    total_liabilities = _total(liabilities)
    total_net = _total(net)
    return BalanceSheet(
        assets=assets,
        liabilities=liabilities,
        net_assets=net,
        total_assets=_total(assets),
        total_liabilities=total_liabilities,
        total_net_assets=total_net,
        total_liabilities_and_net_assets=BalanceTotal(
            total_liabilities.opening_fen + total_net.opening_fen,
            total_liabilities.closing_fen + total_net.closing_fen,
        ),
    )


def _net_asset_lines(
    opening: Sequence[BalanceRow], closing: Sequence[BalanceRow]
) -> tuple[AccountLine, AccountLine]:
    """The two net-asset lines, each with the income and expenses not yet closed into it."""
    (open_u, open_r), (close_u, close_r) = net_assets(opening), net_assets(closing)
    names = {r.code: r for r in closing}
    unrestricted, restricted = (
        names[chart.NET_ASSETS_UNRESTRICTED],
        names[chart.NET_ASSETS_RESTRICTED],
    )
    return (
        AccountLine(
            unrestricted.code,
            f"{unrestricted.name_zh}（含未结转收支）",
            f"{unrestricted.name_en} (with income less expenses not yet closed)",
            open_u,
            close_u,
        ),
        AccountLine(
            restricted.code,
            f"{restricted.name_zh}（含限定性捐赠收入）",
            f"{restricted.name_en} (with restricted donation income)",
            open_r,
            close_r,
        ),
    )


def _total(lines: Sequence[AccountLine]) -> BalanceTotal:
    return BalanceTotal(sum(x.opening_fen for x in lines), sum(x.closing_fen for x in lines))


def year_end_moves(conn: Connection, period_from: date, period_to: date) -> dict[str, int]:
    """Debit less credit the 期末结转 entries dated in the period put on each account."""
    k = _kind_daily.c
    rows = conn.execute(
        select(k.account_code, func.sum(k.debit_fen), func.sum(k.credit_fen))
        .where(
            k.kind == EntryKind.YEAR_END_CLOSE,
            k.business_date >= period_from,
            k.business_date <= period_to,
        )
        .group_by(k.account_code)
    ).all()
    return {code: int(d or 0) - int(c or 0) for code, d, c in rows}


def activities(
    opening: Sequence[BalanceRow],
    closing: Sequence[BalanceRow],
    closed: dict[str, int] | None = None,
) -> StatementOfActivities:
    """The period's income and expenses: closing less opening, account by account,
    less what a 期末结转 in the period moved (``closed``: ``year_end_moves``)."""
    closed = closed or {}
    income: list[ActivityLine] = []
    expenses: list[ActivityLine] = []
    release = 0
    for o, c in zip(opening, closing, strict=True):
        if c.code in RESTRICTED_NET_ASSETS:
            release += _debit_side(c) - _debit_side(o) - closed.get(c.code, 0)
        elif c.type == "income":
            moved = _credit_side(c) - _credit_side(o) + closed.get(c.code, 0)
            restricted = moved if c.code in RESTRICTED_INCOME else 0
            line = ActivityLine(c.name_zh, c.name_en, moved - restricted, restricted, moved, c.code)
            income.append(line)
        elif c.type == "expense":
            moved = _debit_side(c) - _debit_side(o) - closed.get(c.code, 0)
            expenses.append(ActivityLine(c.name_zh, c.name_en, moved, 0, moved, c.code))
    total_income, total_expenses = _sum_lines(income), _sum_lines(expenses)
    released = ActivityTotal(release, -release, 0)
    change = ActivityTotal(
        total_income.unrestricted_fen - total_expenses.unrestricted_fen + release,
        total_income.restricted_fen - total_expenses.restricted_fen - release,
        total_income.total_fen - total_expenses.total_fen,
    )
    return StatementOfActivities(
        tuple(income), tuple(expenses), total_income, total_expenses, released, change
    )


def _sum_lines(lines: Sequence[ActivityLine]) -> ActivityTotal:
    return ActivityTotal(
        sum(x.unrestricted_fen for x in lines),
        sum(x.restricted_fen for x in lines),
        sum(x.total_fen for x in lines),
    )


@dataclass(frozen=True, slots=True)
class BankFlow:
    """The bank account's debits (cash in) and credits (cash out) for one entry kind."""

    kind: str
    debit_fen: int
    credit_fen: int


def bank_by_kind(conn: Connection, period_from: date, period_to: date) -> list[BankFlow]:
    """The bank account's flows over the period, by event kind."""
    k = _kind_daily.c
    rows = conn.execute(
        select(k.kind, func.sum(k.debit_fen), func.sum(k.credit_fen))
        .where(
            k.account_code == chart.BANK,
            k.business_date >= period_from,
            k.business_date <= period_to,
        )
        .group_by(k.kind)
        .order_by(k.kind)
    ).all()
    return [BankFlow(kind, int(d or 0), int(c or 0)) for kind, d, c in rows]


def _kind_order(kind: str) -> tuple[int, str]:
    order = list(CASH_KINDS)
    return (order.index(kind), "") if kind in order else (len(order), kind)


def cash_flows(
    conn: Connection, period_from: date, period_to: date, opening_cash_fen: int
) -> CashFlows:
    """Opening cash, the period's flows by kind (gross, in and out), closing cash."""
    flows = sorted(bank_by_kind(conn, period_from, period_to), key=lambda f: _kind_order(f.kind))
    inflows, outflows = [], []
    for f in flows:
        in_zh, in_en, out_zh, out_en = CASH_KINDS.get(f.kind, (f.kind,) * 4)
        if f.debit_fen:
            inflows.append(CashFlowLine(in_zh, in_en, f.debit_fen))
        if f.credit_fen:
            outflows.append(CashFlowLine(out_zh, out_en, f.credit_fen))
    total_in = sum(x.amount_fen for x in inflows)
    total_out = sum(x.amount_fen for x in outflows)
    return CashFlows(
        opening_cash_fen=opening_cash_fen,
        inflows=tuple(inflows),
        outflows=tuple(outflows),
        total_inflows_fen=total_in,
        total_outflows_fen=total_out,
        net_change_fen=total_in - total_out,
        closing_cash_fen=opening_cash_fen + total_in - total_out,
    )


def month_keys(period_from: date, period_to: date) -> list[str]:
    """'YYYY-MM' of every month the period touches, in order."""
    keys, year, month = [], period_from.year, period_from.month
    while (year, month) <= (period_to.year, period_to.month):
        keys.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return keys


def months(conn: Connection, period_from: date, period_to: date) -> tuple[MonthPoint, ...]:
    """Cash paid out by disbursements and cash collected (repayments and recoveries),
    month by month, from the bank account's kept totals by kind and day."""
    k = _kind_daily.c
    rows = conn.execute(
        select(k.business_date, k.kind, k.debit_fen, k.credit_fen)
        .where(
            k.account_code == chart.BANK,
            k.kind.in_(DISBURSE_KINDS + COLLECT_KINDS),
            k.business_date >= period_from,
            k.business_date <= period_to,
        )
        .order_by(k.business_date, k.kind)
    ).all()
    out = {key: [0, 0] for key in month_keys(period_from, period_to)}
    for day, kind, debit, credit in rows:
        cell = out[f"{day.year:04d}-{day.month:02d}"]
        if kind in DISBURSE_KINDS:
            cell[0] += int(credit) - int(debit)
        else:
            cell[1] += int(debit) - int(credit)
    return tuple(MonthPoint(key, paid, got) for key, (paid, got) in out.items())
