"""The columns of an application sheet: key, header in both languages, allowed values.

One definition serves reading (headers are matched against every spelling here), the
template writer (headers, drop-down lists, text-formatted columns) and the exports.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    """One column of a sheet: its key, its header in both languages, and what it allows.

    ``aliases`` are further header spellings accepted on import (never written);
    ``text`` marks columns of long digit strings that a template must format as text,
    or Excel turns an 18-digit ID number into a float and loses its last digits.
    """

    key: str
    zh: str
    en: str
    required: bool
    choices_zh: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    text: bool = False


APPLICATION_COLUMNS: tuple[Column, ...] = (
    Column("ref", "编号", "ref", True, text=True),
    Column("name", "姓名", "name", True),
    Column("id_number", "身份证号", "id_number", True, text=True),
    Column("phone", "手机号", "phone", True, text=True),
    Column("county_code", "县代码", "county_code", True, text=True),
    Column("registered_poor", "建档立卡贫困户", "registered_poor", True, ("是", "否")),
    Column("project_name", "项目名称", "project_name", True),
    Column(
        "project_type",
        "项目类型",
        "project_type",
        False,
        ("家庭农场", "农民合作社", "农业社会化服务组织", "手工作坊", "乡村车间", "小微企业"),
    ),
    Column(
        "industry",
        "产业",
        "industry",
        False,
        (
            "设施农业",
            "规模种养业",
            "农产品加工业",
            "民俗民族工艺产业",
            "休闲农业与乡村旅游",
            "农产品流通与电子商务",
        ),
    ),
    Column("instrument", "支持方式", "instrument", True, ("担保贷款", "免息借款", "小额资助")),
    Column("amount", "金额", "amount", True),
    Column("term_months", "期限(月)", "term_months", False, aliases=("期限",)),
    Column("bank", "合作银行", "bank", False),
    Column("local_support", "地方配套", "local_support", False, ("反担保", "1:1配资")),
    Column("employed_poor_ids", "带动贫困青年身份证号", "employed_poor_ids", False, text=True),
    # related parties (concentration limits): same household register or same enterprise
    Column("household_ref", "户口簿户号", "household_ref", False, text=True),
    Column("enterprise_code", "统一社会信用代码", "enterprise_code", False, text=True),
)
