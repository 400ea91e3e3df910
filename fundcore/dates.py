"""Business dates typed by users: strictly ISO YYYY-MM-DD."""

from __future__ import annotations

import re
from datetime import date

from fundcore.errors import InputError

_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def parse_date(text: str) -> date:
    """A business date, strictly YYYY-MM-DD; InputError('date.invalid') otherwise."""
    text = text.strip()
    try:
        if not _ISO.match(text):
            raise ValueError(text)
        return date.fromisoformat(text)
    except ValueError:
        raise InputError("date.invalid", text=text) from None
