"""What an application declares about its related parties: the applicant's household
register (户口簿户号) and the project's enterprise (统一社会信用代码, GB 32100-2015).

Applicants who declare the same household register or the same enterprise are related
parties; the concentration limits count their guarantees together. Both are optional:
an application that declares neither is related to no one but its own borrower.
"""

from __future__ import annotations

import re

from fundcore.domain.errors import InputError

_HOUSEHOLD = re.compile(r"^[0-9A-Z-]{4,40}$")
#: the 31 characters of a unified social credit code, in the order of their values
CREDIT_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def parse_household_ref(value: str) -> str:
    """A household register number: 4-40 digits, letters or hyphens (upper-cased)."""
    text = value.strip().upper().removesuffix(".0")
    if not _HOUSEHOLD.match(text):
        raise InputError("intake.bad_household_ref", value=value[:40])
    return text


def credit_check_char(first17: str) -> str:
    """The check character of a unified social credit code's first 17 characters."""
    total = sum(CREDIT_CHARS.index(c) * w for c, w in zip(first17, _WEIGHTS, strict=True))
    return CREDIT_CHARS[(31 - total % 31) % 31]


def parse_enterprise_code(value: str) -> str:
    """An 18-character unified social credit code, its check character verified."""
    text = value.strip().upper()
    if (
        len(text) != 18
        or any(c not in CREDIT_CHARS for c in text)
        or credit_check_char(text[:17]) != text[17]
    ):
        raise InputError("intake.bad_enterprise_code", value=value[:40])
    return text
