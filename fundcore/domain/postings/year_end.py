"""期末结转: at year end every income and expense account is closed into net assets.

In the spirit of 民间非营利组织会计制度, restricted income (限定性收入) is carried
into restricted net assets (each purpose's 4101.02.xx into its 3102.xx, the
programme's 4101.02 into 3102) and unrestricted income and every expense into
unrestricted net assets (3101). One entry does it all, dated 12-31, so the closing is
a visible journal entry; accounts with a zero balance take no line, and the two
net-asset lines are netted per account.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from fundcore.domain import chart
from fundcore.domain.ledger import EntryDraft, Line, credit, debit
from fundcore.domain.terms import EntryKind

CLOSED_TYPES = ("income", "expense")


@dataclass(frozen=True, slots=True)
class AccountTotal:
    """An account's debit and credit totals as of the year end."""

    code: str
    type: str
    debit_fen: int
    credit_fen: int


def net_asset_account(code: str) -> str:
    """Where an income or expense account closes to."""
    if code.startswith(f"{chart.DONATIONS_RESTRICTED}."):  # a purpose's: its own 3102.xx
        return chart.NET_ASSETS_RESTRICTED + code[len(chart.DONATIONS_RESTRICTED) :]
    if code in chart.RESTRICTED_INCOME:
        return chart.NET_ASSETS_RESTRICTED
    return chart.NET_ASSETS_UNRESTRICTED


def year_end_entry(year: int, totals: list[AccountTotal], operator: str) -> EntryDraft | None:
    """The closing entry for ``year``; None when no income or expense account has a balance."""
    lines: list[Line] = []
    into: dict[str, int] = {}  # net-asset account -> credit amount (negative: debit)
    for t in sorted(totals, key=lambda a: a.code):
        if t.type not in CLOSED_TYPES:
            continue
        net_debit = t.debit_fen - t.credit_fen
        if net_debit == 0:
            continue
        # the account is brought to zero by the opposite side of its balance
        lines.append(credit(t.code, net_debit) if net_debit > 0 else debit(t.code, -net_debit))
        target = net_asset_account(t.code)
        into[target] = into.get(target, 0) - net_debit
    if not lines:
        return None
    for code in sorted(into):
        amount = into[code]
        if amount:
            lines.append(credit(code, amount) if amount > 0 else debit(code, -amount))
    return EntryDraft(
        business_date=date(year, 12, 31),
        kind=EntryKind.YEAR_END_CLOSE,
        operator=operator,
        lines=tuple(lines),
        object_type="period",
        object_id=f"{year:04d}-12",
        memo=f"{year} 期末结转",
    )
