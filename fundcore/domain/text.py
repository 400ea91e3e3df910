"""Text that enters the permanent record: names, refs, memos, reasons.

What goes into a hash-chained memo or an audit record stays there for ever, so text
that would make it read other than it is, is refused at the door: control characters
(``\\x01``, ANSI escapes, newlines: category Cc), format characters (Cf: the bidi
overrides and isolates such as U+202E, zero-width spaces and joiners, U+FEFF), line
and paragraph separators (Zl, Zp). The refusal names the field and the character's
code point, so a person can find it in a sheet. (A lone surrogate, what a terminal in
another encoding gives, is refused at the command line with its own message.)
"""

from __future__ import annotations

import unicodedata

from fundcore.domain.errors import InputError

#: Unicode categories refused in any text the fund records
REFUSED = frozenset({"Cc", "Cf", "Zl", "Zp"})


def first_bad_char(value: str) -> tuple[int, str] | None:
    """The position (from 1) and code point (``U+202E``) of the first refused character."""
    for i, ch in enumerate(value, start=1):
        if unicodedata.category(ch) in REFUSED:
            return i, f"U+{ord(ch):04X}"
    return None


def check_text(field: str, value: str) -> str:
    """``value`` unchanged if it holds no refused character; else InputError naming
    ``field``, the character's code point and its position."""
    bad = first_bad_char(value)
    if bad is not None:
        raise InputError("text.bad_char", field=field, char=bad[1], position=bad[0])
    return value
