"""Accounting periods: the months finance has closed, and their reopening."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, CheckConstraint, DateTime, String
from sqlalchemy.orm import Mapped, mapped_column

from fundcore.store.models.base import Base


class Period(Base):
    """A month once closed: nothing dated in it may be posted while ``status`` is closed.

    A reopened month keeps its row (status 'open') with who reopened it, who approved
    and why; closing it again overwrites the close fields, and the audit log keeps both.
    """

    __tablename__ = "periods"
    #: 'YYYY-MM'
    month: Mapped[str] = mapped_column(String(7), primary_key=True)
    status: Mapped[str] = mapped_column(String(8))
    closed_by: Mapped[str] = mapped_column(String(64))
    closed_at: Mapped[datetime] = mapped_column(DateTime)
    #: the 期末结转 entry a December close posted
    year_end_seq: Mapped[int | None] = mapped_column(BigInteger)
    reopened_by: Mapped[str | None] = mapped_column(String(64))
    reopened_at: Mapped[datetime | None] = mapped_column(DateTime)
    approved_by: Mapped[str | None] = mapped_column(String(64))
    reason: Mapped[str | None] = mapped_column(String(500))
    __table_args__ = (CheckConstraint("status IN ('closed', 'open')", name="status_known"),)
