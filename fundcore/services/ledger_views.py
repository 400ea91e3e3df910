"""The ledger as an accountant reads it: the trial balance.

Every account's debits and credits (from the kept balances, or summed to the end of a
business date), and the two totals, which are equal in a ledger that balances.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Connection

from fundcore.store.journal import BalanceRow, balances


@dataclass(frozen=True, slots=True)
class TrialBalance:
    """The accounts in code order, and the totals of their debits and credits."""

    as_of: date | None
    accounts: tuple[BalanceRow, ...]
    total_debit_fen: int
    total_credit_fen: int

    @property
    def balanced(self) -> bool:
        return self.total_debit_fen == self.total_credit_fen

    @property
    def debit_balances_fen(self) -> int:
        """The accounts' debit balances added up: equal to their credit balances' sum."""
        return sum(max(r.debit_fen - r.credit_fen, 0) for r in self.accounts)

    @property
    def credit_balances_fen(self) -> int:
        return sum(max(r.credit_fen - r.debit_fen, 0) for r in self.accounts)

    @property
    def difference_fen(self) -> int:
        """Debits less credits: zero in a ledger that balances."""
        return self.total_debit_fen - self.total_credit_fen


def trial_balance(conn: Connection, as_of: date | None = None) -> TrialBalance:
    """The trial balance now, or at the end of ``as_of``. Open to every reader."""
    rows = tuple(balances(conn, as_of))
    return TrialBalance(
        as_of,
        rows,
        sum(r.debit_fen for r in rows),
        sum(r.credit_fen for r in rows),
    )
