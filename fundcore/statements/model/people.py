"""A youth as the archive shows them: the person, their applications, the support received."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True, slots=True)
class Person:
    name_masked: str
    id_masked: str
    phone_masked: str
    county_code: str
    county_name_zh: str
    county_name_en: str
    province_name_zh: str
    province_name_en: str
    poor_household: bool
    """From a registered poor household (建档立卡贫困户)."""
    poor_youth_employed_count: int


@dataclass(frozen=True, slots=True)
class ApplicationRow:
    application_id: str
    submitted_on: date
    instrument: str
    requested_fen: int
    decision: str
    """'submitted' (pending) | 'approved' | 'rejected' | 'returned' | 'withdrawn'."""
    decided_on: date | None
    approved_fen: int | None
    policy_version: str
    reason_zh: str = ""
    reason_en: str = ""


@dataclass(frozen=True, slots=True)
class SupportRow:
    """Support received: money (amount) or not (training, mentoring: amount ``None``)."""

    on: date
    kind: str
    description_zh: str
    description_en: str
    amount_fen: int | None
