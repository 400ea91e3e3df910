"""References that make outside submissions idempotent (a bank's, a donor's, a county's).

A ref is one key however it is typed: it is normalised (NFKC, so full-width ``ＤＵＰ-1``
is ``DUP-1``), trimmed and case-folded (kept in capitals), so ``DUP-1``, ``dup-1`` and
``ＤＵＰ-1`` are one ref and a replay typed differently is still a replay. Control,
bidi and zero-width characters are refused (``domain.text``), and a ref that is given
must not be blank: a blank ``--ref`` silently meaning "no ref" would post twice.
"""

from __future__ import annotations

import unicodedata

from fundcore.domain.errors import InputError
from fundcore.domain.text import check_text

MAX_REF = 64


def normalise_ref(ref: str) -> str:
    """The ref's one form: NFKC, trimmed, case-folded (in capitals, composed again so
    that the form is a fixed point: normalising it twice gives it back)."""
    folded = unicodedata.normalize("NFKC", ref).strip().casefold().upper()
    return unicodedata.normalize("NFKC", folded)


def check_ref(ref: str | None, *, required: bool = True, field: str = "ref") -> str | None:
    """The reference normalised: at most 64 characters, no refused character, and not
    blank when required (None only when not required and not given at all)."""
    if ref is None and not required:
        return None
    check_text(field, ref or "")
    ref = normalise_ref(ref or "")
    if not ref:
        raise InputError("ref.needed")
    if len(ref) > MAX_REF:
        raise InputError("ref.too_long", length=len(ref), max=MAX_REF)
    return ref
