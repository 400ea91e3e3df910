"""Business dates typed by users: strictly ISO YYYY-MM-DD."""

from __future__ import annotations

import re
from datetime import date

from fundcore.domain.errors import InputError

_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")
#: business dates of this programme; anything outside is a typo, not a date to act on
EARLIEST, LATEST = date(2000, 1, 1), date(2099, 12, 31)


def parse_date(text: str) -> date:
    """A business date, strictly YYYY-MM-DD; InputError('date.invalid') otherwise."""
    text = text.strip()
    try:
        if not _ISO.match(text):
            raise ValueError(text)
        day = date.fromisoformat(text)
    except ValueError:
        raise InputError("date.invalid", text=text) from None
    if not EARLIEST <= day <= LATEST:
        raise InputError(
            "date.out_of_range", text=text, low=EARLIEST.isoformat(), high=LATEST.isoformat()
        )
    return day
