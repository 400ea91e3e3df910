"""The counties a demo or a benchmark runs in.

The programme's 865 counties are the 832 national poverty counties and 33 provincial
deep-poverty counties; the official register is the user's to import (``fund counties
import``), so fundcore ships only a small real sample (``fundcore/data/counties-sample.csv``,
32 national poverty counties). The demo draws from that sample, or from a register file it
is given (the benchmark passes ../shared/data/counties-832.csv). Past the register's size
it adds placeholder counties, category ``provincial``, named 示例省级深度贫困县NN so that
nobody mistakes them for real ones; their codes are valid-looking county codes that no
real county of the list uses.
"""

from __future__ import annotations

import random
from pathlib import Path

from fundcore.domain.counties import CountyRow, valid_code
from fundcore.intake.register import SAMPLE_REGISTER, parse_register

PROGRAMME_COUNTIES = 865
#: provinces with provincial deep-poverty counties, for the placeholders
_PLACEHOLDER_PROVINCES = (
    ("13", "河北省"),
    ("14", "山西省"),
    ("15", "内蒙古自治区"),
    ("51", "四川省"),
    ("52", "贵州省"),
    ("53", "云南省"),
    ("62", "甘肃省"),
    ("63", "青海省"),
    ("65", "新疆维吾尔自治区"),
)


def national(register: Path | None = None) -> list[CountyRow]:
    """The real counties of ``register`` (default: the shipped sample)."""
    return parse_register((register or SAMPLE_REGISTER).read_bytes())


def placeholders(count: int, taken: set[str]) -> list[CountyRow]:
    """``count`` placeholder provincial counties with codes unused by ``taken``."""
    out: list[CountyRow] = []
    n = 0
    while len(out) < count:
        prefix, province = _PLACEHOLDER_PROVINCES[n % len(_PLACEHOLDER_PROVINCES)]
        code = f"{prefix}{90 + n // 90:02d}{n % 90 + 10:02d}"
        n += 1
        if code in taken or not valid_code(code):
            continue
        taken.add(code)
        name = f"示例省级深度贫困县{len(out) + 1:02d}"
        out.append(CountyRow(code, name, province, None, "provincial"))
    return out


def programme(count: int = PROGRAMME_COUNTIES, register: Path | None = None) -> list[CountyRow]:
    """The first ``count`` counties: all of the register's, then placeholders."""
    rows = national(register)
    extra = placeholders(max(count - len(rows), 0), {r.code for r in rows})
    return (rows + extra)[:count]


def sample(count: int, rng: random.Random, register: Path | None = None) -> list[CountyRow]:
    """``count`` counties drawn from the register (sorted by code); past its size, all."""
    rows = national(register)
    if count >= len(rows):
        return programme(count, register)
    return sorted(rng.sample(rows, count), key=lambda r: r.code)
