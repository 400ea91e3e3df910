"""The only place fundcore reads the wall clock.

Business dates are always given by the user. The wall clock is used for one thing:
the time an audit record was written. Tests fix it with ``set_clock``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime


def _system_now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None, microsecond=0)


_now: Callable[[], datetime] = _system_now


def utcnow() -> datetime:
    """Naive UTC time of recording (seconds precision)."""
    return _now()


def set_clock(fn: Callable[[], datetime] | None) -> None:
    """Replace the clock (tests); ``None`` restores the system clock."""
    global _now
    _now = fn or _system_now
