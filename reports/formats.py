"""Figures as text: amounts, ratios, multiples, counts and dates, for one language.

Only formatting lives here, never arithmetic: ratios arrive in basis points and are
printed by moving the decimal point of an exact ``Decimal``, as ``fundcore.domain.money``
prints fen. ``None`` (undefined or not applicable) prints as an em dash.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from fundcore.domain.money import capital, format_count, format_fen

DASH = "—"
_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)  # not strftime('%B'), which follows the process locale


def amount(fen: int | None, lang: str) -> str:
    """``¥25,000.00`` (via fundcore.domain.money.format_fen), or ``—`` for None."""
    return DASH if fen is None else format_fen(fen, lang)


def figure(fen: int | None, lang: str) -> str:
    """An amount on an official form (单位：元): grouped, two decimals, no currency sign."""
    return DASH if fen is None else format_fen(fen, lang).replace("¥", "")


def in_words(fen: int | None) -> str:
    """RMB capital form of an amount (``负`` before a negative one), or ``—``."""
    if fen is None:
        return DASH
    return f"负{capital(abs(fen))}" if fen < 0 else capital(fen)


def percent(bp: int | None) -> str:
    """Basis points as a percentage with two decimals: 1234 → ``12.34%``."""
    if bp is None:
        return DASH
    return f"{Decimal(bp).scaleb(-2):.2f}%"


def multiple(x100: int | None) -> str:
    """A multiple kept times 100: 350 → ``3.50×``."""
    if x100 is None:
        return DASH
    return f"{Decimal(x100).scaleb(-2):.2f}×"


def count(value: int | None, lang: str) -> str:
    """A count with the locale's thousands grouping: ``12,345``."""
    if value is None:
        return DASH
    return format_count(value, lang)


def day(value: date | None) -> str:
    """ISO date ``2025-12-31``: unambiguous in both languages and sorts as text."""
    return DASH if value is None else value.isoformat()


def long_day(value: date, lang: str) -> str:
    """A date for prose: ``2025年12月31日`` / ``31 December 2025``."""
    if lang == "zh":
        return f"{value.year}年{value.month}月{value.day}日"
    return f"{value.day} {_MONTHS[value.month - 1]} {value.year}"
