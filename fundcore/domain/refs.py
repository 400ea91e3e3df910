"""References that make outside submissions idempotent (a bank's, a donor's, a county's)."""

from __future__ import annotations

from fundcore.domain.errors import InputError

MAX_REF = 64


def check_ref(ref: str | None, *, required: bool = True) -> str | None:
    """The reference stripped: at most 64 characters, and not blank when required."""
    ref = (ref or "").strip()
    if not ref:
        if required:
            raise InputError("ref.needed")
        return None
    if len(ref) > MAX_REF:
        raise InputError("ref.too_long", length=len(ref), max=MAX_REF)
    return ref
