"""Ageing: how late a facility is, which bucket that puts it in, and when it defaults.

Days past due count from the oldest instalment whose principal is not fully paid, to
the day closed. Any day late is overdue; more than the policy's ``default_after_days``
is default (违约), which the day close never takes back by itself.
"""

from __future__ import annotations

from datetime import date

from fundcore.domain.terms import FacilityStatus


def days_past_due(oldest_unpaid_due: date, day: date) -> int:
    """Days from the oldest unpaid due date to the day closed."""
    return (day - oldest_unpaid_due).days


def bucket(days_past_due: int) -> str:
    """current, 1-30, 31-90 or 90+."""
    if days_past_due <= 0:
        return "current"
    if days_past_due <= 30:
        return "1-30"
    return "31-90" if days_past_due <= 90 else "90+"


def late_status(days_past_due: int, default_after_days: int) -> FacilityStatus:
    """The status of a facility this many days late: defaulted past the policy's limit."""
    if days_past_due > default_after_days:
        return FacilityStatus.DEFAULTED
    return FacilityStatus.OVERDUE
