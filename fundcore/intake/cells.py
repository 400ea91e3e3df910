"""One cell's text: cleaned as the user meant it on the way in, made safe on the way out.

Cells are folded only where folding cannot change what the user meant (full-width forms,
odd spaces, invisible characters). Where Excel has already lost information (an 18-digit
number stored as a float) the cell keeps the text Excel showed, so validation refuses it
instead of this module guessing the lost digits. On the way out, text a spreadsheet
would run as a formula is neutralised.
"""

from __future__ import annotations

import functools
import math
import re
import unicodedata
from collections.abc import Callable
from datetime import date, datetime, time, timedelta

MAX_CELL = 2_000
"""Longest cell kept; longer text is cut here and left for validation to refuse by length."""


def excel_text(value: object) -> str:
    """A cell value as the text Excel shows for it, before cleaning.

    Integers are written without ``.0`` (``50000.0`` → ``50000``). Floats get Excel's
    own 15 significant digits, so an 18-digit ID typed as a number comes back as
    ``4.10881199001011E+17``, which ID validation refuses, instead of digits invented
    to fill the three Excel lost. A formula never calculated has no value to give and
    reads as empty: a formula cell without a cached value (written by a program, never
    opened in Excel; openpyxl gives None) and a text cell starting with ``=`` (a formula
    typed into a text-formatted cell, which Excel shows but never calculates). Dates
    become ISO text.
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return _float_text(value)
    if isinstance(value, datetime):
        if value.time() == time(0):
            return value.date().isoformat()
        return value.isoformat(timespec="seconds")
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, timedelta):
        return str(value)
    text = str(value)
    return "" if text.startswith("=") else text


def _float_text(value: float) -> str:
    """Excel's General display at full width: 15 significant digits, no trailing zeros."""
    if not math.isfinite(value):
        return str(value)
    text = f"{value:.15G}"
    return "0" if text == "-0" else text


def header_key(text: str) -> str:
    """A header reduced to what identifies it: NFKC, no spaces or underscores, any case.

    Full NFKC is safe here, unlike in cells, because the result is only compared with
    known names. ``期限（月）`` meets ``期限(月)``, ``ID Number`` meets ``id_number``, and a
    ``*`` marking a required column in a county's own template is ignored.
    """
    text = unicodedata.normalize("NFKC", "".join(map(_visible, text)))
    return re.sub(r"[\s_*]+", "", text).casefold()


_FOLDED = ("<wide>", "<narrow>", "<noBreak>")


def clean(text: str, *, fold: bool = True) -> str:
    """Cell text as the user meant it: folded, trimmed, one space between words.

    Full-width forms (``１２３``, ``Ｘ``, ``（``, ``；``, the ideographic space) fold to
    ASCII as NFKC would, but other compatibility characters are kept: NFKC reads ``5²``
    as ``52`` and ``①`` as ``1``, a guess validation should refuse rather than accept.
    Invisible characters (zero-width spaces and joiners, BOMs, direction marks, soft
    hyphens, control characters) are dropped: they are pasted in from web pages and
    chat apps, cannot be seen in Excel and would make a correct ID number fail.
    Whitespace runs, line breaks inside a cell included, become one space. The result
    is cut at ``MAX_CELL`` characters.
    """
    if not (text.isascii() and text.isprintable()):
        text = text.translate(_FOLD_TABLE if fold else _VISIBLE_TABLE)
        if not text.isascii():
            text = unicodedata.normalize("NFC", text)  # CJK compatibility ideographs
    return " ".join(text.split())[:MAX_CELL]  # str.split's whitespace is regex \s


@functools.cache
def _visible(char: str) -> str:
    """``char``, or '' when it is a control or format character (but whitespace stays)."""
    if char.isspace() or unicodedata.category(char) not in ("Cc", "Cf"):
        return char
    return ""


@functools.cache
def _folded(char: str) -> str:
    """``_visible(char)`` in its NFKC form when that only changes its width."""
    if char.isascii():
        return _visible(char)
    tag = unicodedata.decomposition(char).split(" ", 1)[0]
    return unicodedata.normalize("NFKC", char) if tag in _FOLDED else _visible(char)


class _CharTable(dict[int, str]):
    """A ``str.translate`` table filled on first sight of each character, so a sheet's
    cells are mapped in C rather than one Python call per character."""

    def __init__(self, map_char: Callable[[str], str]) -> None:
        super().__init__()
        self._map_char = map_char

    def __missing__(self, code: int) -> str:
        self[code] = value = self._map_char(chr(code))
        return value


_FOLD_TABLE = _CharTable(_folded)
_VISIBLE_TABLE = _CharTable(_visible)

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NEGATIVE = re.compile(r"-[0-9]+(?:,[0-9]{3})*(?:\.[0-9]+)?")


def neutralise_formula(text: str) -> str:
    """``text`` made safe for a CSV or sheet cell that a person will open in Excel.

    A cell starting with ``=``, ``+``, ``-``, ``@``, tab or CR may be run as a formula
    (CSV injection: an applicant's name ``=HYPERLINK(...)`` would run on the finance
    officer's desk), so it gets a leading ``'``, which Excel shows as text. A plain
    negative number such as ``-12.50`` or ``-1,234.00`` is left alone: it is data, and
    Excel reads it as the number it is.
    """
    if text.startswith(_FORMULA_START) and not _PLAIN_NEGATIVE.fullmatch(text):
        return "'" + text
    return text
