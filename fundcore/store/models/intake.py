"""Intake: applicants (one per person, found by resident ID), applications, batches.

An application belongs to one county and carries that county's own reference; the
pair (county, ref) is unique, which is what makes re-importing a sheet a no-op.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from fundcore.domain.terms import ApplicationStatus, Instrument
from fundcore.store.models.base import Base, IdType
from fundcore.store.pii import BLIND_LENGTH, Sealed, SealedText

INSTRUMENTS = tuple(i.value for i in Instrument)
STATUSES = tuple(s.value for s in ApplicationStatus)


class Applicant(Base):
    """A young entrepreneur; the same person across counties and imports."""

    __tablename__ = "applicants"
    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    #: 18-character resident ID (GB 11643), validated; never shown unmasked; stored
    #: encrypted (``store.pii``), found by ``id_number_hmac`` (the unique constraint of
    #: the plain-text days stays: ciphertexts never repeat, and SQLite could drop it only
    #: by rebuilding a table others refer to)
    id_number: Mapped[str] = mapped_column(Sealed("applicants.id_number"), unique=True)
    #: keyed hash of the ID number: one applicant per person, and how one is found
    id_number_hmac: Mapped[str] = mapped_column(String(BLIND_LENGTH))
    name: Mapped[str] = mapped_column(String(50))
    birth_date: Mapped[date] = mapped_column(Date)
    gender: Mapped[str] = mapped_column(String(1))
    created_on: Mapped[date] = mapped_column(Date)
    created_by: Mapped[str] = mapped_column(String(64))
    __table_args__ = (
        CheckConstraint("gender IN ('M','F')", name="gender"),
        Index("ix_applicants_id_number_hmac", "id_number_hmac", unique=True),
    )


class IntakeBatch(Base):
    """One import of an application sheet: who, which file (hash), what came of it."""

    __tablename__ = "intake_batches"
    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    operator: Mapped[str] = mapped_column(String(64))
    source: Mapped[str] = mapped_column(String(255))
    sha256: Mapped[str] = mapped_column(String(64))
    business_date: Mapped[date] = mapped_column(Date)
    rows_taken: Mapped[int] = mapped_column(Integer)
    rows_unchanged: Mapped[int] = mapped_column(Integer)
    rows_bad: Mapped[int] = mapped_column(Integer)
    recorded_at: Mapped[datetime] = mapped_column(DateTime)


class Application(Base):
    """A request for a guarantee, an interest-free loan or a grant."""

    __tablename__ = "applications"
    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    county_code: Mapped[str] = mapped_column(String(6), ForeignKey("counties.code"), index=True)
    #: the county's own reference for the application
    ref: Mapped[str] = mapped_column(String(64))
    applicant_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("applicants.id"), index=True)
    instrument: Mapped[str] = mapped_column(String(16))
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    term_months: Mapped[int | None] = mapped_column(Integer)
    project_name: Mapped[str] = mapped_column(String(200))
    project_type: Mapped[str | None] = mapped_column(String(40))
    industry: Mapped[str | None] = mapped_column(String(40))
    bank: Mapped[str | None] = mapped_column(String(100))
    #: 'counter-guarantee' or 'matching' as declared
    local_support: Mapped[str | None] = mapped_column(String(24))
    #: the leader is from a registered poor household (建档立卡贫困户), as declared
    registered_poor: Mapped[bool] = mapped_column(Boolean)
    #: mobile number, stored encrypted (``store.pii``)
    phone: Mapped[str] = mapped_column(Sealed("applications.phone"))
    status: Mapped[str] = mapped_column(String(16))
    submitted_on: Mapped[date] = mapped_column(Date)
    submitted_by: Mapped[str] = mapped_column(String(64))
    batch_id: Mapped[int | None] = mapped_column(BigInteger, ForeignKey("intake_batches.id"))
    #: the policy version the application was screened under
    policy_version: Mapped[int] = mapped_column(Integer)
    #: hash of the submitted content, to tell a replay from a changed row
    content_hash: Mapped[str] = mapped_column(String(64))
    #: the applicant's household register (户口簿户号), as declared; related parties
    #: share one (the concentration limits count their guarantees together)
    household_ref: Mapped[str | None] = mapped_column(String(40), index=True)
    #: the project's enterprise (统一社会信用代码), as declared; related parties share one
    enterprise_code: Mapped[str | None] = mapped_column(String(18), index=True)
    __table_args__ = (
        UniqueConstraint("county_code", "ref", name="uq_applications_county_ref"),
        CheckConstraint("instrument IN ('guarantee','loan','grant')", name="instrument"),
        CheckConstraint(
            "status IN ('submitted','approved','rejected','returned','withdrawn')", name="status"
        ),
        CheckConstraint("amount_fen > 0", name="amount_positive"),
        CheckConstraint(
            "local_support IS NULL OR local_support IN ('counter-guarantee','matching')",
            name="local_support",
        ),
        Index("ix_applications_queue", "status", "registered_poor", "submitted_on", "id"),
    )


class ApplicationEmployee(Base):
    """A poor-household youth the project employs (the employment rule counts these)."""

    __tablename__ = "application_employees"
    application_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("applications.id"), primary_key=True
    )
    #: the youth's resident ID, stored encrypted (``store.pii``; in the key of the
    #: plain-text days, which SQLite could change only by rebuilding the table)
    id_number: Mapped[str] = mapped_column(
        Sealed("application_employees.id_number"), primary_key=True
    )
    #: keyed hash of the ID number: one row per youth and project, and how "one youth
    #: on two projects" is found
    id_number_hmac: Mapped[str] = mapped_column(String(BLIND_LENGTH), index=True)
    __table_args__ = (
        Index("uq_application_employees_youth", "application_id", "id_number_hmac", unique=True),
    )


class ApplicationAmendment(Base):
    """A returned application's correction by its county (append-only): who, when, the
    policy version it was screened again under, the fields changed, and the whole
    content as it was before, so no earlier version of an application is lost."""

    __tablename__ = "application_amendments"
    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    application_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("applications.id"), index=True
    )
    #: the application's county, which a county league's database role is limited to
    county_code: Mapped[str] = mapped_column(String(6), ForeignKey("counties.code"))
    business_date: Mapped[date] = mapped_column(Date)
    operator: Mapped[str] = mapped_column(String(64))
    recorded_at: Mapped[datetime] = mapped_column(DateTime)
    #: the policy version the amended application was screened under
    policy_version: Mapped[int] = mapped_column(Integer)
    #: JSON {field: [before, after]} in the sheet's field names (ID and phone numbers
    #: masked)
    changes: Mapped[str] = mapped_column(Text)
    #: JSON of the whole content before the amendment, in the sheet's field names;
    #: stored encrypted (``store.pii``: it holds the ID and phone numbers)
    before: Mapped[str] = mapped_column(SealedText("application_amendments.before"))
    #: the content hash before the amendment (``applications.content_hash`` then)
    before_hash: Mapped[str] = mapped_column(String(64))
