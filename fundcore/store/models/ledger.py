"""The double-entry ledger's tables.

The journal (``journal_entries`` and ``journal_lines``) is append-only: database
triggers refuse UPDATE and DELETE, and an entry is only accepted when its lines are
already there and balance (see the first migration). ``account_balances`` and
``account_daily`` are kept totals, so a trial balance costs O(accounts) and an as-of
balance O(accounts x days), never O(lines). ``ledger_head`` holds the end of the hash
chain and is the lock that keeps the chain linear.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from fundcore.domain.audit_chain import GENESIS
from fundcore.store.models.base import Base


class Account(Base):
    """One account of the chart (民间非营利组织会计制度 in spirit)."""

    __tablename__ = "accounts"
    code: Mapped[str] = mapped_column(String(16), primary_key=True)
    name_zh: Mapped[str] = mapped_column(String(80))
    name_en: Mapped[str] = mapped_column(String(120))
    #: asset, liability, net_assets, income or expense
    type: Mapped[str] = mapped_column(String(16))
    #: 'D' or 'C': the side on which a positive balance sits
    normal_side: Mapped[str] = mapped_column(String(1))
    __table_args__ = (
        CheckConstraint("normal_side IN ('D','C')", name="normal_side"),
        CheckConstraint(
            "type IN ('asset','liability','net_assets','income','expense')", name="type"
        ),
    )


class LedgerHead(Base):
    """The single row naming the last entry of the hash chain."""

    __tablename__ = "ledger_head"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    last_seq: Mapped[int] = mapped_column(BigInteger)
    last_hash: Mapped[str] = mapped_column(String(64))
    #: journal lines posted so far, kept so a statement need not count millions of them
    line_count: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    #: audit records written so far and the last one's hash (``store.audit``), so that
    #: records deleted from the end of the audit trail show in ``verify``
    audit_count: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    audit_hash: Mapped[str] = mapped_column(String(64), default=GENESIS, server_default=GENESIS)
    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)


class JournalEntry(Base):
    """A posted journal entry; its ``hash`` chains it to the entry before."""

    __tablename__ = "journal_entries"
    #: position in the chain, 1, 2, 3 ... with no gaps
    seq: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    business_date: Mapped[date] = mapped_column(Date)
    #: the business event, e.g. 'donation', 'reversal'
    kind: Mapped[str] = mapped_column(String(40))
    operator: Mapped[str] = mapped_column(String(64))
    object_type: Mapped[str | None] = mapped_column(String(32))
    object_id: Mapped[str | None] = mapped_column(String(64))
    memo: Mapped[str] = mapped_column(Text, default="")
    #: the entry this one reverses (a correction), at most one reversal each
    reverses_seq: Mapped[int | None] = mapped_column(
        BigInteger, ForeignKey("journal_entries.seq"), unique=True
    )
    #: sum of the debit lines (= sum of the credit lines)
    total_fen: Mapped[int] = mapped_column(BigInteger)
    line_count: Mapped[int] = mapped_column(Integer)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)
    __table_args__ = (
        CheckConstraint("total_fen > 0", name="total_positive"),
        CheckConstraint("line_count >= 2", name="two_lines"),
        Index("ix_journal_entries_object", "object_type", "object_id"),
        # the ledger as of a date (a statement's integrity block) read from the index alone
        Index("ix_journal_entries_date_seq", "business_date", "seq", "line_count"),
    )


class JournalLine(Base):
    """One debit or credit of an entry; inserted before its entry (deferred FK)."""

    __tablename__ = "journal_lines"
    entry_seq: Mapped[int] = mapped_column(
        BigInteger,
        ForeignKey("journal_entries.seq", deferrable=True, initially="DEFERRED"),
        primary_key=True,
        autoincrement=False,
    )
    line_no: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    account_code: Mapped[str] = mapped_column(String(16), ForeignKey("accounts.code"), index=True)
    side: Mapped[str] = mapped_column(String(1))
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    __table_args__ = (
        CheckConstraint("side IN ('D','C')", name="side"),
        CheckConstraint("amount_fen > 0", name="amount_positive"),
    )


class AccountBalance(Base):
    """Kept running totals of an account's debits and credits."""

    __tablename__ = "account_balances"
    account_code: Mapped[str] = mapped_column(
        String(16), ForeignKey("accounts.code"), primary_key=True
    )
    debit_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    credit_fen: Mapped[int] = mapped_column(BigInteger, default=0)


class AccountKindDaily(Base):
    """Kept totals per account, business event kind and date: what cash flows and the
    monthly charts read, so a statement never scans the journal."""

    __tablename__ = "account_kind_daily"
    account_code: Mapped[str] = mapped_column(
        String(16), ForeignKey("accounts.code"), primary_key=True
    )
    kind: Mapped[str] = mapped_column(String(40), primary_key=True)
    business_date: Mapped[date] = mapped_column(Date, primary_key=True)
    debit_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    credit_fen: Mapped[int] = mapped_column(BigInteger, default=0)


class AccountDaily(Base):
    """Kept totals of an account's debits and credits per business date."""

    __tablename__ = "account_daily"
    account_code: Mapped[str] = mapped_column(
        String(16), ForeignKey("accounts.code"), primary_key=True
    )
    business_date: Mapped[date] = mapped_column(Date, primary_key=True)
    debit_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    credit_fen: Mapped[int] = mapped_column(BigInteger, default=0)
