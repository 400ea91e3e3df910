"""Realistic test data: valid resident IDs, phones and application rows."""

from __future__ import annotations

import csv
import random
from datetime import date, timedelta
from pathlib import Path

from fundcore.identity import check_digit
from fundcore.sheet import APPLICATION_COLUMNS

SAMPLE_COUNTIES = ["140224", "141126", "141124", "410225", "520203", "530622"]


def resident_id(rng: random.Random, region: str, born: date) -> str:
    body = f"{region}{born:%Y%m%d}{rng.randrange(1000):03d}"
    return body + check_digit(body)


def youth_id(rng: random.Random, region: str, on: date, lo: int = 20, hi: int = 33) -> str:
    born = on - timedelta(days=rng.randint(lo * 366, hi * 365))
    return resident_id(rng, region, born)


def phone(rng: random.Random) -> str:
    return f"1{rng.choice('3456789')}{rng.randrange(10**9):09d}"


def application_row(
    rng: random.Random, n: int, county: str, on: date, instrument: str = "免息借款"
) -> dict[str, str]:
    """One valid row (Chinese values) keyed by column key."""
    poor = rng.random() < 0.4
    employed = "" if poor else ";".join(youth_id(rng, county, on) for _ in range(2))
    is_grant = instrument == "小额资助"
    return {
        "ref": f"{county}-{n:05d}",
        "name": rng.choice("王李张刘陈杨赵黄周吴") + rng.choice(["伟", "芳", "娜", "强", "磊"]),
        "id_number": youth_id(rng, county, on),
        "phone": phone(rng),
        "county_code": county,
        "registered_poor": "是" if poor else "否",
        "project_name": rng.choice(["香菇种植", "土鸡养殖", "电商助农", "手工刺绣"]),
        "project_type": "家庭农场",
        "industry": "规模种养业",
        "instrument": instrument,
        "amount": "5000" if is_grant else rng.choice(["30000", "5万", "100,000.00", "20000"]),
        "term_months": "" if is_grant else rng.choice(["24", "36"]),
        "bank": "农商银行" if instrument == "担保贷款" else "",
        "local_support": "" if is_grant else rng.choice(["反担保", "1:1配资"]),
        "employed_poor_ids": employed,
    }


def write_csv(
    path: Path, rows: list[dict[str, str]], encoding: str = "utf-8", lang: str = "zh"
) -> Path:
    with path.open("w", encoding=encoding, newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow([c.zh if lang == "zh" else c.en for c in APPLICATION_COLUMNS])
        for r in rows:
            writer.writerow([r.get(c.key, "") for c in APPLICATION_COLUMNS])
    return path
