"""The three financial statements: 资产负债表, 业务活动表, 现金流量表."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class AccountLine:
    code: str
    name_zh: str
    name_en: str
    opening_fen: int
    closing_fen: int


@dataclass(frozen=True, slots=True)
class BalanceTotal:
    opening_fen: int
    closing_fen: int


@dataclass(frozen=True, slots=True)
class BalanceSheet:
    """资产负债表 at ``period_from`` (opening) and ``period_to`` (closing)."""

    assets: tuple[AccountLine, ...]
    liabilities: tuple[AccountLine, ...]
    net_assets: tuple[AccountLine, ...]
    total_assets: BalanceTotal
    total_liabilities: BalanceTotal
    total_net_assets: BalanceTotal
    total_liabilities_and_net_assets: BalanceTotal


@dataclass(frozen=True, slots=True)
class ActivityLine:
    name_zh: str
    name_en: str
    unrestricted_fen: int
    restricted_fen: int
    total_fen: int
    code: str = ""


@dataclass(frozen=True, slots=True)
class ActivityTotal:
    unrestricted_fen: int
    restricted_fen: int
    total_fen: int


@dataclass(frozen=True, slots=True)
class StatementOfActivities:
    """业务活动表: income and expenses in the unrestricted / restricted columns."""

    income: tuple[ActivityLine, ...]
    expenses: tuple[ActivityLine, ...]
    total_income: ActivityTotal
    total_expenses: ActivityTotal
    restrictions_released: ActivityTotal
    """限定性净资产转为非限定性净资产 (unrestricted +x, restricted -x)."""
    change_in_net_assets: ActivityTotal


@dataclass(frozen=True, slots=True)
class CashFlowLine:
    name_zh: str
    name_en: str
    amount_fen: int


@dataclass(frozen=True, slots=True)
class CashFlows:
    """现金流量表: opening cash, flows in and out over the period, closing cash."""

    opening_cash_fen: int
    inflows: tuple[CashFlowLine, ...]
    outflows: tuple[CashFlowLine, ...]
    total_inflows_fen: int
    total_outflows_fen: int
    net_change_fen: int
    closing_cash_fen: int
