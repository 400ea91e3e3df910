"""Donation purposes (捐赠限定用途) and what restricted money may pay for.

A restricted donation is the donor's money for one purpose until it is spent on it
(民间非营利组织会计制度: 限定性净资产 … 转为非限定性净资产). The purposes are data,
``PURPOSES`` below: each names its restricted net-asset and income sub-accounts, the
accounts its money goes out to, and the accounts that hold it while it is lent or placed.

**Sub-accounts, not a dimension on journal lines.** Each purpose has its own
sub-accounts of 3102 and 4101.02 (``3102.01`` 限定性净资产—担保贷款 …): the journal
keeps its one shape (account, side, amount) and hash, the trial balance shows every
purpose's balance by itself, and a statement that wants the restricted total sums the
codes starting 3102 / 4101.02. The parents themselves are the programme-wide purpose
(项目通用: restricted to this fund's programme, any of its purposes): that is where every
restricted gift recorded before purposes existed already sits, so no history is
re-posted, and a gift "for the programme" needs no narrower bucket.

**The rules** (``PurposeBook``, applied by ``store.journal.post_many`` to every entry):

- *Drawing*: money paid out to a purpose (a loan, a guarantee deposit, a grant, working
  funds: the entry credits the bank and debits one of the purpose's ``drawn_by``
  accounts) may use that purpose's restricted cash, programme-wide restricted money and
  unrestricted money, never another purpose's restricted cash. A purpose's restricted
  cash is its restricted net assets less what of it is lent or placed (``held``):
  a loan or deposit paid from a purpose stays its restricted asset and comes back to
  it when repaid, with no entry of its own. Refused with the figures otherwise.
- *Releasing* (the hook): any entry whose expense accounts are debited on balance is
  charged to the purpose found from its lines (``purpose_of``: its expense account, or
  the purpose's asset, allowance or provision it touches), or to the programme when no
  purpose owns any of its accounts. The restriction is released by the expense, as far
  as the purpose's restricted net assets go and then the programme-wide ones: D 3102.xx
  (or 3102) / C 3101, added to the same entry. So a new expense account (a loan-loss
  allowance against 1211/1231, an interest subsidy) is released with no code of its
  own; to charge it to a particular purpose, list the account in that purpose's
  ``expenses`` or ``holds``.
- Write-offs and provision top-ups are charged and released but never refused: the
  loss has already happened, and refusing to record it would hide it.
- Reversals and the year-end close are left as they are: a reversal flips the release
  lines with the rest, and closing moves income and expense only.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

from fundcore.domain import chart
from fundcore.domain.errors import InputError, RuleBroken
from fundcore.domain.ledger import EntryDraft, Line, credit, debit
from fundcore.domain.terms import EntryKind

#: the programme-wide purpose: 3102 and 4101.02 themselves
PROGRAMME = "programme"


@dataclass(frozen=True, slots=True)
class Purpose:
    """One purpose restricted money can be given for."""

    code: str
    name_zh: str
    name_en: str
    #: suffix of its sub-accounts (``3102.<suffix>``, ``4101.02.<suffix>``); "" = the parents
    suffix: str
    #: accounts a pay-out to the purpose debits (the check applies to these)
    drawn_by: tuple[str, ...] = ()
    #: expense accounts charged to it
    expenses: tuple[str, ...] = ()
    #: assets holding its money while lent or placed (debit side)
    held: tuple[str, ...] = ()
    #: its allowance and provision accounts: an expense against one is charged to it
    holds: tuple[str, ...] = ()

    @property
    def net_assets(self) -> str:
        return _sub(chart.NET_ASSETS_RESTRICTED, self.suffix)

    @property
    def income(self) -> str:
        return _sub(chart.DONATIONS_RESTRICTED, self.suffix)

    @property
    def accounts(self) -> tuple[str, ...]:
        """Every account that says an entry concerns this purpose."""
        return self.drawn_by + self.expenses + self.held + self.holds


def _sub(parent: str, suffix: str) -> str:
    return f"{parent}.{suffix}" if suffix else parent


PURPOSES: tuple[Purpose, ...] = (
    Purpose(
        "guarantee",
        "担保贷款",
        "Loan guarantees",
        "01",
        drawn_by=(chart.GUARANTEE_DEPOSITS,),
        expenses=(chart.PROVISION_EXPENSE,),
        held=(
            chart.GUARANTEE_DEPOSITS,
            chart.CLAIMS_RECEIVABLE,
            chart.COUNTER_GUARANTEE_RECEIVABLE,
        ),
        holds=(chart.GUARANTEE_LOSS_PROVISION,),
    ),
    Purpose(
        "loan",
        "免息借款",
        "Interest-free loans",
        "02",
        drawn_by=(chart.LOANS_RECEIVABLE,),
        held=(chart.LOANS_RECEIVABLE,),
        holds=(chart.LOAN_LOSS_ALLOWANCE,),
    ),
    Purpose(
        "grant",
        "小额资助",
        "Micro-grants",
        "03",
        drawn_by=(chart.PROGRAMME_GRANTS,),
        expenses=(chart.PROGRAMME_GRANTS,),
    ),
    Purpose(
        "working_funds",
        "工作经费",
        "County working funds",
        "04",
        drawn_by=(chart.PROGRAMME_WORKING_FUNDS,),
        expenses=(chart.PROGRAMME_WORKING_FUNDS,),
    ),
    Purpose(PROGRAMME, "项目通用", "The programme as a whole", ""),
)
BY_CODE: dict[str, Purpose] = {p.code: p for p in PURPOSES}
SPECIFIC: tuple[Purpose, ...] = tuple(p for p in PURPOSES if p.suffix)
_EXPENSE = frozenset(a.code for a in chart.CHART if a.type == "expense")
RESTRICTED_NET_ASSETS = frozenset(p.net_assets for p in PURPOSES)
RESTRICTED_INCOME = frozenset(p.income for p in PURPOSES)
#: every account the book reads
ACCOUNTS = frozenset(
    {chart.BANK, *RESTRICTED_NET_ASSETS, *RESTRICTED_INCOME} | {a for p in PURPOSES for a in p.held}
)


def parse(text: str) -> Purpose:
    """A purpose by its code or its Chinese or English name; InputError naming the choices."""
    key = text.strip()
    for p in PURPOSES:
        if key.lower() in (p.code, p.name_en.lower()) or key == p.name_zh:
            return p
    choices = ", ".join(f"{p.code} ({p.name_zh})" for p in PURPOSES)
    raise InputError("purpose.unknown", text=text, choices=choices)


def purpose_of(lines: Iterable[Line]) -> Purpose | None:
    """The specific purpose an entry concerns, from its accounts; None if none owns one."""
    codes = {ln.account for ln in lines}
    for p in SPECIFIC:
        if codes & set(p.expenses):
            return p
    for p in SPECIFIC:
        if codes & set(p.accounts):
            return p
    return None


def _net(lines: Iterable[Line], accounts: Iterable[str]) -> int:
    """Debits less credits of ``lines`` on ``accounts``."""
    wanted = set(accounts)
    return sum(
        ln.amount_fen if ln.side == "D" else -ln.amount_fen for ln in lines if ln.account in wanted
    )


class PurposeBook:
    """Running balances of the accounts purposes are kept in, charging entries as they come.

    ``balances`` maps an account to debits less credits; the book updates it with every
    entry it charges, so a batch sees its own earlier entries.
    """

    def __init__(self, balances: Mapping[str, int]) -> None:
        self.bal: dict[str, int] = {a: int(balances.get(a, 0)) for a in ACCOUNTS}

    def restricted(self, p: Purpose) -> int:
        """The purpose's restricted net assets (its 3102 and 4101.02 accounts, credit side)."""
        return -(self.bal[p.net_assets] + self.bal[p.income])

    def restricted_cash(self, p: Purpose) -> int:
        """What of the purpose's restricted net assets is not lent or placed."""
        return max(0, self.restricted(p) - sum(self.bal[a] for a in p.held))

    def available(self, p: Purpose) -> tuple[int, int]:
        """(its own restricted cash, other money it may use: bank less others' restricted cash)."""
        others = sum(self.restricted_cash(q) for q in SPECIFIC if q is not p)
        own = self.restricted_cash(p)
        return own, max(0, self.bal[chart.BANK] - others - own)

    def charge(self, draft: EntryDraft) -> EntryDraft:
        """Check the entry's draw on a purpose and add its release; update the balances."""
        if draft.reverses_seq is None and not _touches(draft, RESTRICTED_NET_ASSETS):
            purpose = purpose_of(draft.lines)
            if purpose is not None:
                self._check_draw(purpose, draft)
            draft = self._with_release(purpose, draft)
        for ln in draft.lines:
            if ln.account in self.bal:
                self.bal[ln.account] += ln.amount_fen if ln.side == "D" else -ln.amount_fen
        return draft

    def _check_draw(self, p: Purpose, draft: EntryDraft) -> None:
        paid = -_net(draft.lines, (chart.BANK,))
        if paid <= 0 or _net(draft.lines, p.drawn_by) <= 0:
            return
        own, other = self.available(p)
        if paid > own + other:
            raise RuleBroken(
                "purpose.short",
                purpose=p.code,
                need=paid,
                own=own,
                other=other,
                available=own + other,
            )

    def _with_release(self, p: Purpose | None, draft: EntryDraft) -> EntryDraft:
        expense = _spent(draft)
        if expense <= 0:
            return draft
        lines: list[Line] = []
        for source in (p, BY_CODE[PROGRAMME]) if p else (BY_CODE[PROGRAMME],):
            take = min(expense, max(0, self.restricted(source)))
            if take:
                lines.append(debit(source.net_assets, take))
                expense -= take
        released = sum(ln.amount_fen for ln in lines)
        if not released:
            return draft
        lines.append(credit(chart.NET_ASSETS_UNRESTRICTED, released))
        return replace(draft, lines=draft.lines + tuple(lines))


def _spent(draft: EntryDraft) -> int:
    """What an entry spends, for its release from restriction: its net expense, except

    - the month-end review of the loan-loss allowance (``allowance``) spends nothing: it
      is an estimate that goes up and down from month to month (a release at each rise
      would never be undone at a fall);
    - a loan's write-off spends what it takes from the allowance as well as its expense:
      that is when the restricted loan is lost."""
    if draft.kind == EntryKind.ALLOWANCE:
        return 0
    spent = _net(draft.lines, _EXPENSE)
    if draft.kind == EntryKind.WRITE_OFF:
        spent += max(0, _net(draft.lines, (chart.LOAN_LOSS_ALLOWANCE,)))
    return spent


def _touches(draft: EntryDraft, accounts: frozenset[str]) -> bool:
    return any(ln.account in accounts for ln in draft.lines)


def concerns(draft: EntryDraft) -> bool:
    """Whether the book has anything to do with the entry (a cheap test for bulk posting)."""
    return any(ln.account in ACCOUNTS or ln.account in _EXPENSE for ln in draft.lines)


def income_account(purpose: Purpose | None) -> str:
    """Where a donation for ``purpose`` (None: unrestricted) is credited."""
    return purpose.income if purpose else chart.DONATIONS_UNRESTRICTED


def release_total(lines: Iterable[Line]) -> int:
    """What the lines release from restriction: their debits less credits on 3102 accounts."""
    return _net(lines, RESTRICTED_NET_ASSETS)
