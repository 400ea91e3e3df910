"""The books an auditor asks for: 序时账, 明细账 and 科目余额表, for a period of business dates.

Each is read from the journal as it stands for the dates asked (entries are never
changed, so a closed period reads the same every time) and returned as an
``export.Table``, so the command can print it, write CSV or XLSX, or give JSON from the
same rows. Balances carry their side (借 / 贷 / 平) rather than a signed figure, as a
Chinese ledger is read: in the account balances table (the six-column 科目余额表) the
debit and credit columns of the opening balances, the movements and the closing balances
each sum to the same total in a ledger that balances.

Who may read them: finance, auditors and admins (``ledger.read``). A county league
does not see the whole fund's journal; its own county's figures are in its statement.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Connection, Row, func, select

from fundcore.domain.errors import NotFound
from fundcore.messages import term
from fundcore.statements.common import begin_period_statement
from fundcore.statements.export import AMOUNT, COUNT, TEXT, Table, Value
from fundcore.store.models import Account, AccountDaily, JournalEntry, JournalLine
from fundcore.store.tables import table_of

_acc = table_of(Account)
_daily = table_of(AccountDaily)
_entries = table_of(JournalEntry)
_lines = table_of(JournalLine)

_SIDE = {"D": ("借", "Dr"), "C": ("贷", "Cr"), "": ("平", "—")}


@dataclass(frozen=True, slots=True)
class Totals:
    """Debits and credits of one account over some dates (fen)."""

    debit_fen: int = 0
    credit_fen: int = 0

    @property
    def net_fen(self) -> int:
        """Debits less credits: positive is a debit balance, negative a credit balance."""
        return self.debit_fen - self.credit_fen


def side_of(net_fen: int) -> str:
    """'D' for a debit balance, 'C' for a credit balance, '' for none."""
    return "D" if net_fen > 0 else "C" if net_fen < 0 else ""


def side_word(net_fen: int, lang: str) -> str:
    zh, en = _SIDE[side_of(net_fen)]
    return en if lang == "en" else zh


def _name(row: object, lang: str) -> str:
    return str(row.name_en if lang == "en" else row.name_zh)  # type: ignore[attr-defined]


# --- 序时账 -------------------------------------------------------------------------------

JOURNAL_COLUMNS = (
    ("日期", "Date", TEXT),
    ("凭证号", "Entry", COUNT),
    ("业务", "Kind", TEXT),
    ("摘要", "Memo", TEXT),
    ("科目代码", "Account", TEXT),
    ("科目名称", "Account name", TEXT),
    ("借方", "Debit", AMOUNT),
    ("贷方", "Credit", AMOUNT),
    ("经办人", "Operator", TEXT),
)


def journal_book(
    conn: Connection, operator: str | None, start: date, end: date, lang: str
) -> Table:
    """Every line of every entry dated in [start, end], by date, then entry, then line."""
    begin_period_statement(conn, operator, "ledger.read", start, end)
    rows = conn.execute(
        select(
            _entries.c.business_date,
            _entries.c.seq,
            _entries.c.kind,
            _entries.c.memo,
            _lines.c.account_code,
            _acc.c.name_zh,
            _acc.c.name_en,
            _lines.c.side,
            _lines.c.amount_fen,
            _entries.c.operator,
        )
        .select_from(
            _entries.join(_lines, _lines.c.entry_seq == _entries.c.seq).join(
                _acc, _acc.c.code == _lines.c.account_code
            )
        )
        .where(_entries.c.business_date.between(start, end))
        .order_by(_entries.c.business_date, _entries.c.seq, _lines.c.line_no)
    ).all()
    body: list[tuple[Value, ...]] = [
        (
            r.business_date.isoformat(),
            r.seq,
            term(r.kind, lang),
            r.memo,
            r.account_code,
            _name(r, lang),
            int(r.amount_fen) if r.side == "D" else None,
            int(r.amount_fen) if r.side == "C" else None,
            r.operator,
        )
        for r in rows
    ]
    debit = sum(int(r.amount_fen) for r in rows if r.side == "D")
    credit = sum(int(r.amount_fen) for r in rows if r.side == "C")
    body.append(("", None, "", _total(lang), "", "", debit, credit, ""))
    return Table("journal", "序时账", "Journal", JOURNAL_COLUMNS, tuple(body))


def _total(lang: str) -> str:
    return "Total" if lang == "en" else "合计"


# --- 明细账 -------------------------------------------------------------------------------

ACCOUNT_COLUMNS = (
    ("日期", "Date", TEXT),
    ("凭证号", "Entry", COUNT),
    ("业务", "Kind", TEXT),
    ("摘要", "Memo", TEXT),
    ("借方", "Debit", AMOUNT),
    ("贷方", "Credit", AMOUNT),
    ("方向", "Side", TEXT),
    ("余额", "Balance", AMOUNT),
)


def account_book(
    conn: Connection, operator: str | None, code: str, start: date, end: date, lang: str
) -> Table:
    """One account's lines dated in [start, end] with the running balance, between its
    opening balance (end of the day before ``start``) and its closing balance."""
    begin_period_statement(conn, operator, "ledger.read", start, end)
    account = conn.execute(select(_acc).where(_acc.c.code == code)).first()
    if account is None:
        raise NotFound("ledger.unknown_account", account=code)
    opening = _totals_before(conn, start, code).get(code, Totals())
    lines = conn.execute(
        select(
            _entries.c.business_date,
            _entries.c.seq,
            _entries.c.kind,
            _entries.c.memo,
            _lines.c.side,
            _lines.c.amount_fen,
        )
        .select_from(_entries.join(_lines, _lines.c.entry_seq == _entries.c.seq))
        .where(_lines.c.account_code == code, _entries.c.business_date.between(start, end))
        .order_by(_entries.c.business_date, _entries.c.seq, _lines.c.line_no)
    ).all()
    net = opening.net_fen
    body: list[tuple[Value, ...]] = [
        (start.isoformat(), None, "", _words("期初余额", "Opening balance", lang), None, None)
        + _balance(net, lang)
    ]
    debit = credit = 0
    for r in lines:
        amount = int(r.amount_fen)
        if r.side == "D":
            debit += amount
            net += amount
        else:
            credit += amount
            net -= amount
        body.append(
            (
                r.business_date.isoformat(),
                r.seq,
                term(r.kind, lang),
                r.memo,
                amount if r.side == "D" else None,
                amount if r.side == "C" else None,
            )
            + _balance(net, lang)
        )
    body.append(
        (end.isoformat(), None, "", _words("本期合计", "Period total", lang), debit, credit)
        + _balance(net, lang)
    )
    title = (f"明细账 {code} {account.name_zh}", f"Ledger {code} {account.name_en}")
    return Table(f"account-{code}", *title, ACCOUNT_COLUMNS, tuple(body))


def _balance(net_fen: int, lang: str) -> tuple[Value, Value]:
    return (side_word(net_fen, lang), abs(net_fen))


def _words(zh: str, en: str, lang: str) -> str:
    return en if lang == "en" else zh


# --- 科目余额表 ---------------------------------------------------------------------------

BALANCES_COLUMNS = (
    ("科目代码", "Account", TEXT),
    ("科目名称", "Account name", TEXT),
    ("期初借方", "Opening debit", AMOUNT),
    ("期初贷方", "Opening credit", AMOUNT),
    ("本期借方", "Period debits", AMOUNT),
    ("本期贷方", "Period credits", AMOUNT),
    ("期末借方", "Closing debit", AMOUNT),
    ("期末贷方", "Closing credit", AMOUNT),
)


@dataclass(frozen=True, slots=True)
class AccountPeriod:
    """One account over a period: its balance before, its movements, its balance after."""

    code: str
    name_zh: str
    name_en: str
    opening: Totals
    movement: Totals

    @property
    def closing_net_fen(self) -> int:
        return self.opening.net_fen + self.movement.net_fen


def account_periods(conn: Connection, start: date, end: date) -> list[AccountPeriod]:
    """Every account with its opening net, period debits and credits (kept daily
    balances, so this reads O(accounts × days), not the journal)."""
    before = _totals_before(conn, start)
    during = _totals(
        conn.execute(
            select(
                _daily.c.account_code,
                func.sum(_daily.c.debit_fen),
                func.sum(_daily.c.credit_fen),
            )
            .where(_daily.c.business_date.between(start, end))
            .group_by(_daily.c.account_code)
        )
    )
    accounts = conn.execute(
        select(_acc.c.code, _acc.c.name_zh, _acc.c.name_en).order_by(_acc.c.code)
    ).all()
    return [
        AccountPeriod(
            a.code,
            a.name_zh,
            a.name_en,
            before.get(a.code, Totals()),
            during.get(a.code, Totals()),
        )
        for a in accounts
    ]


def account_balances(
    conn: Connection, operator: str | None, start: date, end: date, lang: str
) -> Table:
    """The 科目余额表 of [start, end]: accounts with no balance and no movement are left
    out; the last row totals each column (debit columns equal credit columns)."""
    begin_period_statement(conn, operator, "ledger.read", start, end)
    body: list[tuple[Value, ...]] = []
    sums = [0] * 6
    for p in account_periods(conn, start, end):
        if not (p.opening.net_fen or p.movement.debit_fen or p.movement.credit_fen):
            continue
        figures = (
            *split_balance(p.opening.net_fen),
            p.movement.debit_fen,
            p.movement.credit_fen,
            *split_balance(p.closing_net_fen),
        )
        sums = [s + f for s, f in zip(sums, figures, strict=True)]
        body.append((p.code, p.name_en if lang == "en" else p.name_zh, *figures))
    body.append(("", _total(lang), *sums))
    return Table("balances", "科目余额表", "Account balances", BALANCES_COLUMNS, tuple(body))


def split_balance(net_fen: int) -> tuple[int, int]:
    """A net balance as (debit, credit) columns, the other one zero."""
    return (net_fen, 0) if net_fen >= 0 else (0, -net_fen)


def _totals_before(conn: Connection, start: date, code: str | None = None) -> dict[str, Totals]:
    """Each account's totals dated before ``start`` (only ``code``'s, if given)."""
    query = select(
        _daily.c.account_code, func.sum(_daily.c.debit_fen), func.sum(_daily.c.credit_fen)
    ).where(_daily.c.business_date < start)
    if code is not None:
        query = query.where(_daily.c.account_code == code)
    return _totals(conn.execute(query.group_by(_daily.c.account_code)))


def _totals(rows: Iterable[Row[tuple[str, int | None, int | None]]]) -> dict[str, Totals]:
    return {str(r[0]): Totals(int(r[1] or 0), int(r[2] or 0)) for r in rows}
