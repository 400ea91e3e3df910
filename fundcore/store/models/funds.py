"""Money in and the rules it is managed by: donations and policy versions."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, Boolean, CheckConstraint, Date, DateTime, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.sql import false

from fundcore.store.models.base import Base, IdType


class Donation(Base):
    """A donation received; ``ref`` makes recording it idempotent.

    Its journal entry points back at it (object_type 'donation', object_id = id).
    """

    __tablename__ = "donations"
    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    ref: Mapped[str | None] = mapped_column(String(64), unique=True)
    donor: Mapped[str] = mapped_column(String(200))
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    business_date: Mapped[date] = mapped_column(Date)
    #: the purpose a restricted donation is limited to; None when unrestricted
    restricted_purpose: Mapped[str | None] = mapped_column(String(200))
    # --- restricted ---
    #: the purpose's code (``fundcore.domain.purposes``); None when unrestricted
    purpose: Mapped[str | None] = mapped_column(String(32))
    #: the Foundation's own matching donation (配捐): other income, never restricted
    foundation_match: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    operator: Mapped[str] = mapped_column(String(64))
    __table_args__ = (CheckConstraint("amount_fen > 0", name="amount_positive"),)


class PolicyVersion(Base):
    """One version of the programme policy, in force from ``effective_from``."""

    __tablename__ = "policy_versions"
    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    version: Mapped[int] = mapped_column(Integer, unique=True)
    effective_from: Mapped[date] = mapped_column(Date)
    #: JSON object of the policy figures (fundcore.domain.policy.Policy)
    body: Mapped[str] = mapped_column(Text)
    created_by: Mapped[str] = mapped_column(String(64))
    recorded_at: Mapped[datetime] = mapped_column(DateTime)
