"""Who may act, proven: operator tokens, failed attempts, settings, database roles."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from fundcore.store.models.base import Base, IdType


class OperatorToken(Base):
    """An admin-issued secret, stored only as a salted scrypt hash."""

    __tablename__ = "operator_tokens"
    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    #: the public part of the token, to find its hash without scanning them all
    token_id: Mapped[str] = mapped_column(String(24), unique=True)
    operator: Mapped[str] = mapped_column(String(64), ForeignKey("operators.name"), index=True)
    salt: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(128))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    created_by: Mapped[str] = mapped_column(String(64))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime)
    revoked_by: Mapped[str | None] = mapped_column(String(64))


class AuthFailure(Base):
    """A failed attempt to act as an operator (kept even though the command wrote nothing)."""

    __tablename__ = "auth_failures"
    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    recorded_at: Mapped[datetime] = mapped_column(DateTime)
    operator: Mapped[str] = mapped_column(String(64))
    reason: Mapped[str] = mapped_column(String(40))


class Setting(Base):
    """A switch of the installation, e.g. whether tokens are required."""

    __tablename__ = "settings"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(String(200))


class DbRoleCounty(Base):
    """On PostgreSQL: the county a county league's login role may see (row-level security)."""

    __tablename__ = "db_role_counties"
    role_name: Mapped[str] = mapped_column(String(63), primary_key=True)
    county_code: Mapped[str] = mapped_column(String(6), ForeignKey("counties.code"))
