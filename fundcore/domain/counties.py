"""Counties as the programme knows them: a division code's shape, a register row.

Pure: which codes can be county-level divisions at all. Whether a code is *in* the
register is a question for the store (``services.registry``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_CODE = re.compile(r"^\d{6}$")
PROVINCE_PREFIXES = frozenset(
    {
        "11",
        "12",
        "13",
        "14",
        "15",
        "21",
        "22",
        "23",
        "31",
        "32",
        "33",
        "34",
        "35",
        "36",
        "37",
        "41",
        "42",
        "43",
        "44",
        "45",
        "46",
        "50",
        "51",
        "52",
        "53",
        "54",
        "61",
        "62",
        "63",
        "64",
        "65",
    }
)


@dataclass(frozen=True, slots=True)
class CountyRow:
    code: str
    name: str
    province: str
    prefecture: str | None
    category: str


def valid_code(code: str) -> bool:
    """A county-level division code: six digits, a province prefix, not a prefecture's."""
    return bool(_CODE.match(code)) and code[:2] in PROVINCE_PREFIXES and code[4:] != "00"
