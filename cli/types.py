"""Click parameter types for the edges: amounts in yuan and ISO business dates."""

from __future__ import annotations

from datetime import date
from typing import Any

import click

from fundcore.domain.dates import parse_date
from fundcore.domain.money import parse_yuan


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


#: an application, facility or entry number: a positive 64-bit integer, so a number no
#: record can have is a usage error rather than a database fault
RECORD_ID = click.IntRange(1, 2**63 - 1)
