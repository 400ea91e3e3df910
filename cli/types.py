"""Click parameter types for the edges: amounts in yuan and ISO business dates."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import click

from fundcore.errors import InputError
from fundcore.money import parse_yuan

_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def parse_date(text: str) -> date:
    """A business date, strictly YYYY-MM-DD."""
    text = text.strip()
    try:
        if not _ISO.match(text):
            raise ValueError(text)
        return date.fromisoformat(text)
    except ValueError:
        raise InputError("date.invalid", text=text) from None


class Yuan(click.ParamType):
    """An amount typed in yuan, returned as integer fen (refusals exit 1, not 2)."""

    name = "yuan"

    def convert(self, value: Any, param: Any, ctx: Any) -> int:
        return value if isinstance(value, int) else parse_yuan(str(value))


class IsoDate(click.ParamType):
    name = "YYYY-MM-DD"

    def convert(self, value: Any, param: Any, ctx: Any) -> date:
        return value if isinstance(value, date) else parse_date(str(value))


YUAN = Yuan()
DATE = IsoDate()
