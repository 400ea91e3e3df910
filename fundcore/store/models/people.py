"""Who acts: operators, the county register they may be bound to, the audit trail."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from fundcore.store.models.base import Base, IdType


class County(Base):
    """A county of the programme (national or provincial poverty county)."""

    __tablename__ = "counties"
    code: Mapped[str] = mapped_column(String(6), primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    province: Mapped[str] = mapped_column(String(40), index=True)
    prefecture: Mapped[str | None] = mapped_column(String(80))
    #: 'national' (国家级贫困县) or 'provincial' (省级深度贫困县)
    category: Mapped[str] = mapped_column(String(16))
    __table_args__ = (CheckConstraint("category IN ('national','provincial')", name="category"),)


class Operator(Base):
    """A person who acts on the fund, with one role (and a county for county leagues)."""

    __tablename__ = "operators"
    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    role: Mapped[str] = mapped_column(String(16))
    county_code: Mapped[str | None] = mapped_column(String(6), ForeignKey("counties.code"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    __table_args__ = (
        CheckConstraint("role IN ('county','finance','auditor','admin')", name="role"),
        CheckConstraint(
            "(role = 'county') = (county_code IS NOT NULL)", name="county_iff_county_role"
        ),
    )


class AuditRecord(Base):
    """Who did what, when (wall clock) and for which business date."""

    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    recorded_at: Mapped[datetime] = mapped_column(DateTime)
    operator: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(64))
    object_type: Mapped[str | None] = mapped_column(String(32))
    object_id: Mapped[str | None] = mapped_column(String(64))
    business_date: Mapped[date | None] = mapped_column(Date)
    #: JSON object with the particulars
    details: Mapped[str] = mapped_column(Text, default="{}")
    #: the hash chain of the audit trail (``fundcore.domain.audit_chain``)
    prev_hash: Mapped[str | None] = mapped_column(String(64))
    hash: Mapped[str | None] = mapped_column(String(64))
    __table_args__ = (Index("ix_audit_log_object", "object_type", "object_id"),)
