"""Realistic people and application rows: resident IDs that pass GB 11643, mobile numbers,
names, projects, and the sheet rows a county league would type.

Everything is drawn from a ``random.Random`` the caller seeds, so the same seed always
gives the same people. ``Registry`` remembers every ID number handed out, so a run of a
hundred thousand youth never gives two of them the same number by chance.
"""

from __future__ import annotations

import csv
import random
from collections.abc import Iterable
from datetime import date, timedelta
from pathlib import Path

from fundcore.domain.identity import check_digit
from fundcore.intake.sheet import APPLICATION_COLUMNS

SURNAMES = (
    "王李张刘陈杨赵黄周吴徐孙马朱胡郭何林罗高郑梁谢宋唐韩冯邓曹彭曾田萧潘袁蒋蔡余杜叶"
    "程苏魏吕丁任卢姚沈钟姜崔谭陆范汪廖石金韦贾夏付方邹熊白孟秦邱侯江尹薛闫段雷龙黎史"
    "陶贺毛郝顾龚邵万覃武钱戴严莫孔向常汤康易乔赖文"
)
GIVEN = (
    "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超霞平刚桂兰辉玲华飞鹏波斌宇浩凯健俊帆帅旭宁"
    "龙林欣玉萍红娥梅莉兵海燕雪琴云峰亮成建国志文慧晓东丹阳春鑫"
)
PROJECTS = {
    "家庭农场": ["香菇种植", "高山蔬菜种植", "土鸡养殖", "生态猪养殖", "中药材种植", "食用菌大棚"],
    "农民合作社": ["核桃种植合作社", "花椒合作社", "肉牛养殖合作社", "茶叶合作社", "苹果合作社"],
    "农业社会化服务组织": ["农机代耕服务", "植保飞防服务", "冷链仓储服务"],
    "手工作坊": ["手工刺绣", "民族银饰加工", "竹编工艺", "土陶制作"],
    "乡村车间": ["服装加工车间", "电子元件组装车间", "假发加工车间"],
    "小微企业": ["电商助农店铺", "农家乐民宿", "乡村快递驿站", "农产品直播带货"],
}
INDUSTRY_OF = {
    "家庭农场": ["规模种养业", "设施农业"],
    "农民合作社": ["规模种养业", "农产品加工业"],
    "农业社会化服务组织": ["设施农业", "农产品流通与电子商务"],
    "手工作坊": ["民俗民族工艺产业"],
    "乡村车间": ["农产品加工业", "民俗民族工艺产业"],
    "小微企业": ["农产品流通与电子商务", "休闲农业与乡村旅游"],
}
BANKS = ("农商银行", "邮储银行", "农业银行", "村镇银行")


def resident_id(rng: random.Random, region: str, born: date) -> str:
    body = f"{region}{born:%Y%m%d}{rng.randrange(1000):03d}"
    return body + check_digit(body)


def youth_id(rng: random.Random, region: str, on: date, lo: int = 20, hi: int = 33) -> str:
    born = on - timedelta(days=rng.randint(lo * 366, hi * 365))
    return resident_id(rng, region, born)


def phone(rng: random.Random) -> str:
    return f"1{rng.choice('3456789')}{rng.randrange(10**9):09d}"


def person_name(rng: random.Random) -> str:
    given = rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.7 else "")
    return rng.choice(SURNAMES) + given


def application_row(
    rng: random.Random, n: int, county: str, on: date, instrument: str = "免息借款"
) -> dict[str, str]:
    """One valid row (Chinese values) keyed by column key: the tests' simple row."""
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
        "household_ref": "",
        "enterprise_code": "",
    }


class Registry:
    """Hands out resident ID numbers, each at most once."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.used: set[str] = set()

    def youth(self, region: str, on: date, lo: int = 20, hi: int = 33) -> str:
        while True:
            number = youth_id(self.rng, region, on, lo, hi)
            if number not in self.used:
                self.used.add(number)
                return number


#: (instrument in Chinese, share of applications, amounts in yuan to choose from)
MIX: tuple[tuple[str, float, tuple[int, ...]], ...] = (
    ("担保贷款", 0.46, (30_000, 50_000, 50_000, 80_000, 100_000)),
    ("免息借款", 0.46, (10_000, 20_000, 30_000, 30_000, 50_000)),
    ("小额资助", 0.08, (5_000, 10_000, 15_000, 20_000)),
)


def realistic_row(
    rng: random.Random,
    ids: Registry,
    ref: str,
    county: str,
    on: date,
    *,
    term_months: int | None = None,
) -> dict[str, str]:
    """One valid application as a county league types it (Chinese values)."""
    draw, instrument, amounts = rng.random(), MIX[-1][0], MIX[-1][2]
    for name, share, choices in MIX:
        if draw < share:
            instrument, amounts = name, choices
            break
        draw -= share
    poor = rng.random() < 0.45
    kind = rng.choice(sorted(PROJECTS))
    employed = (
        "" if poor else ";".join(ids.youth(county, on, 17, 30) for _ in range(rng.randint(1, 3)))
    )
    is_grant = instrument == "小额资助"
    term = term_months or rng.choice((24, 36, 36, 36))
    return {
        "ref": ref,
        "name": person_name(rng),
        "id_number": ids.youth(county, on),
        "phone": phone(rng),
        "county_code": county,
        "registered_poor": "是" if poor else "否",
        "project_name": rng.choice(PROJECTS[kind]),
        "project_type": kind,
        "industry": rng.choice(INDUSTRY_OF[kind]),
        "instrument": instrument,
        "amount": _written(rng, rng.choice(amounts)),
        "term_months": "" if is_grant else str(term),
        "bank": rng.choice(BANKS) if instrument == "担保贷款" else "",
        "local_support": "" if is_grant else rng.choice(["反担保", "1:1配资"]),
        "employed_poor_ids": employed,
        "household_ref": "",
        "enterprise_code": "",
    }


def _written(rng: random.Random, yuan: int) -> str:
    """An amount as people write it: 50000, 5万, 50,000.00."""
    style = rng.random()
    if style < 0.3 and yuan % 10_000 == 0:
        return f"{yuan // 10_000}万"
    if style < 0.5:
        return f"{yuan:,}.00"
    return str(yuan)


#: mistakes a county league makes in a sheet: (what goes wrong, can it be fixed by retyping)
MISTAKES = (
    ("id_typo", True),
    ("phone_short", True),
    ("amount_too_high", True),
    ("no_local_support", True),
    ("too_old", False),
    ("no_poor_youth", False),
)


def with_mistake(rng: random.Random, row: dict[str, str], mistake: str) -> dict[str, str]:
    """The same row with one realistic mistake in it."""
    bad = dict(row)
    if mistake == "id_typo":
        n = bad["id_number"]
        i = rng.randrange(6, 16)
        while n[i] == n[i + 1]:
            i = rng.randrange(6, 16)
        bad["id_number"] = n[:i] + n[i + 1] + n[i] + n[i + 2 :]
    elif mistake == "phone_short":
        bad["phone"] = bad["phone"][:10]
    elif mistake == "amount_too_high":
        bad["amount"] = "15万" if bad["instrument"] != "小额资助" else "50000"
    elif mistake == "no_local_support":
        bad["local_support"] = ""
        if bad["instrument"] == "小额资助":
            bad["instrument"], bad["term_months"] = "免息借款", "36"
    elif mistake == "too_old":
        born = date(1975 + rng.randrange(5), rng.randint(1, 12), rng.randint(1, 28))
        bad["id_number"] = resident_id(rng, bad["county_code"], born)
    elif mistake == "no_poor_youth":
        bad["registered_poor"], bad["employed_poor_ids"] = "否", ""
    return bad


def write_sheet(path: Path, rows: Iterable[dict[str, str]], encoding: str = "utf-8") -> Path:
    """An application sheet as CSV with the Chinese headers."""
    with path.open("w", encoding=encoding, newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow([c.zh for c in APPLICATION_COLUMNS])
        for r in rows:
            writer.writerow([r.get(c.key, "") for c in APPLICATION_COLUMNS])
    return path
