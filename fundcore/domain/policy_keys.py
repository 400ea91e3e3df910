"""Every policy figure as an admin types it: its kind, unit, allowed values and meaning.

One table, ``KEYS``, is the source of truth for both ``fund policy set KEY=VALUE``
(``parse_setting``) and ``fund policy show --keys``. Text keys take the words the code
that reads them accepts (``domain.schedules`` for ``loan_frequency`` and ``bank_method``,
``domain.repayments`` for ``prepayment_order``), or their Chinese names.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass

from fundcore.domain.errors import InputError
from fundcore.domain.money import parse_yuan
from fundcore.domain.policy import Policy
from fundcore.domain.terms import Instrument, LocalSupportKind

Pair = tuple[str, str]

#: the longest grace a guaranteed bank loan may have, by policy or per facility: a
#: year of interest only leaves at least a year of repayment in the shortest term (24)
BANK_GRACE_MAX_MONTHS = 12

#: kind -> (unit zh, unit en)
UNITS: dict[str, Pair] = {
    "fen": ("元（存为分）", "yuan (stored in fen)"),
    "bp": ("基点，1% = 100", "basis points, 1% = 100"),
    "months": ("月", "months"),
    "days": ("天", "days"),
    "age": ("周岁", "years of age"),
    "people": ("人", "people"),
    "times": ("倍", "times"),
    "int": ("", ""),
    "flag": ("", ""),
    "choice": ("", ""),
    "choices": ("", ""),
    "years": ("年份", "calendar years"),
}


@dataclass(frozen=True, slots=True)
class PolicyKey:
    """One settable figure. ``choices`` are (stored word, zh name, en name)."""

    name: str
    kind: str
    meaning: Pair
    choices: tuple[tuple[str, str, str], ...] = ()
    minimum: int = 0
    #: the figure may be 无 / none (no limit)
    optional: bool = False
    #: the largest whole number allowed (None: no bound but the database's)
    maximum: int | None = None

    @property
    def unit(self) -> Pair:
        return UNITS[self.kind]

    def allowed(self, lang: str = "zh") -> str:
        """What may be typed, in the user's language."""
        en = lang == "en"
        if self.kind in ("choice", "choices"):
            return self._choices_text(en)
        if self.kind == "flag":
            return "yes/no" if en else "是/否"
        if self.kind == "fen":
            least = ("> 0" if en else "大于 0") if self.minimum else ("≥ 0" if en else "不小于 0")
            text = (
                f"an amount in yuan {least}, e.g. 10万" if en else f"{least} 的金额（元），如 10万"
            )
        elif self.kind == "years":
            text = (
                "years, comma-separated, e.g. 2019,2020" if en else "逗号分隔的年份，如 2019,2020"
            )
        else:
            unit = self.unit[1 if en else 0]
            text = self._range_text(en)
            if unit:
                text += f" ({unit})" if en else f"（{unit}）"
        if self.optional:
            text += ", or none (no limit)" if en else "，或 无（不设限）"
        return text

    def _range_text(self, en: bool) -> str:
        lo, hi = self.minimum, self.maximum
        if hi is None:
            return f"a whole number ≥ {lo}" if en else f"不小于 {lo} 的整数"
        return f"a whole number from {lo} to {hi}" if en else f"{lo} 到 {hi} 之间的整数"

    def _choices_text(self, en: bool) -> str:
        if en:
            words = [w if e == w else f"{w} ({e})" for w, _z, e in self.choices]
            text = ", ".join(words)
            many = self.kind == "choices"
            return f"one or more of {text}, comma-separated" if many else f"one of {text}"
        text = "、".join(f"{w}（{z}）" for w, z, _e in self.choices)
        return f"{text} 中的一项或多项，逗号分隔" if self.kind == "choices" else f"{text} 之一"


def _k(
    name: str,
    kind: str,
    zh: str,
    en: str,
    *,
    choices: tuple[tuple[str, str, str], ...] = (),
    minimum: int = 0,
    optional: bool = False,
    maximum: int | None = None,
) -> PolicyKey:
    return PolicyKey(name, kind, (zh, en), choices, minimum, optional, maximum)


_SUPPORT = (
    (LocalSupportKind.COUNTER_GUARANTEE.value, "反担保", "counter-guarantee"),
    (LocalSupportKind.MATCHING.value, "1:1配资", "matching funds"),
)
_INSTRUMENTS = (
    (Instrument.GUARANTEE.value, "贷款担保", "loan guarantee"),
    (Instrument.LOAN.value, "免息借款", "interest-free loan"),
    (Instrument.GRANT.value, "小额资助", "micro-grant"),
)

KEYS: dict[str, PolicyKey] = {
    k.name: k
    for k in (
        _k(
            "amount_min_fen",
            "fen",
            "单笔申请金额下限",
            "smallest amount one may apply for",
            minimum=1,
        ),
        _k(
            "amount_max_fen",
            "fen",
            "单笔申请金额上限",
            "largest amount one may apply for",
            minimum=1,
        ),
        _k("term_min_months", "months", "期限下限", "shortest term", minimum=1),
        _k("term_max_months", "months", "期限上限", "longest term", minimum=1),
        _k("grant_max_fen", "fen", "小额资助单笔上限", "largest micro-grant"),
        _k(
            "local_support_kinds",
            "choices",
            "认可的地方配套方式",
            "the local support accepted",
            choices=_SUPPORT,
        ),
        _k("matching_ratio_bp", "bp", "配资比例（10000 即 1:1）", "matching ratio (10000 = 1:1)"),
        _k(
            "min_poor_youth_employed",
            "people",
            "项目至少带动就业的贫困家庭青年人数",
            "poor-household youth a project must employ, at least",
        ),
        _k("age_min", "age", "申请人年龄下限", "youngest applicant"),
        _k("age_max", "age", "申请人年龄上限", "oldest applicant"),
        _k("employee_age_min", "age", "受雇贫困青年年龄下限", "youngest poor youth employed"),
        _k("employee_age_max", "age", "受雇贫困青年年龄上限", "oldest poor youth employed"),
        _k(
            "two_approvals_above_fen",
            "fen",
            "超过此金额须两名财务审批",
            "above this amount two finance approvals are needed",
        ),
        _k("reserve_floor_fen", "fen", "资金池最低留存", "the pool's reserve floor"),
        _k(
            "leverage_cap_x",
            "times",
            "担保责任余额不超过净资产的倍数",
            "guarantee exposure cap, as a multiple of net assets",
        ),
        _k(
            "county_concentration_bp",
            "bp",
            "单县担保余额占比上限",
            "one county's share of exposure, at most",
            optional=True,
        ),
        _k(
            "guarantee_deposit_bp",
            "bp",
            "担保保证金比例（存入合作银行）",
            "guarantee deposit placed with the bank, share of principal",
        ),
        _k("guarantee_coverage_bp", "bp", "担保责任比例", "share of the loan the guarantee covers"),
        _k(
            "default_after_days",
            "days",
            "逾期多少天转为违约",
            "days overdue after which a facility defaults",
            minimum=1,
        ),
        _k(
            "provision_bp",
            "bp",
            "担保赔偿准备金比例（占担保责任余额）",
            "claims provision, share of guarantee exposure",
        ),
        _k("interest_subsidy_bp", "bp", "贴息比例", "interest subsidy, share of the interest"),
        _k(
            "working_fund_per_county_fen",
            "fen",
            "每县每年工作经费",
            "working funds per county and year",
        ),
        _k(
            "working_fund_years",
            "years",
            "拨付工作经费的年份",
            "the years working funds are paid for",
        ),
        _k(
            "shift_due_dates",
            "flag",
            "还款日遇节假日顺延至下一工作日",
            "due dates on a holiday move to the next working day",
        ),
        _k(
            "prepayment_order",
            "choice",
            "提前还款冲减的期次",
            "which instalments a prepayment reduces",
            choices=(
                ("last", "从最后一期起冲减，缩短期限", "the last ones first, shortening the term"),
                ("next", "冲减紧接的各期", "the next ones in order"),
            ),
        ),
        _k(
            "loan_frequency",
            "choice",
            "免息借款还款频率",
            "interest-free loans: how often repaid",
            choices=(
                ("monthly", "按月", "monthly"),
                ("quarterly", "按季", "quarterly"),
                ("bullet", "到期一次还本", "all at the end"),
            ),
        ),
        _k(
            "loan_grace_months",
            "months",
            "免息借款宽限期（月）",
            "interest-free loans: grace months",
        ),
        _k(
            "bank_method",
            "choice",
            "担保贷款的银行还款方式",
            "the bank's repayment method for guaranteed loans",
            choices=(
                ("annuity", "等额本息", "equal instalments"),
                ("equal_principal", "等额本金", "equal principal"),
            ),
        ),
        _k(
            "bank_grace_months",
            "months",
            "担保贷款宽限期：开头只付利息的月数（含在期限内），批准时固定到业务上",
            "guaranteed loans: interest-only months at the start (within the term), "
            "fixed on the facility at approval",
            maximum=BANK_GRACE_MAX_MONTHS,
        ),
        _k(
            "claim_covers_interest",
            "flag",
            "代偿是否包括逾期利息（乘担保责任比例）；否则只代偿本金",
            "whether a claim also pays the overdue interest (times the coverage share); "
            "otherwise principal only",
        ),
        _k(
            "restructure_max_term_months",
            "months",
            "重组后还款计划自放款起最长月数",
            "a restructured schedule ends within this many months of the pay-out",
            minimum=1,
        ),
        _k(
            "instruments",
            "choices",
            "开办的业务品种",
            "the instruments offered",
            choices=_INSTRUMENTS,
        ),
        _k(
            "counter_guarantee_min_bp",
            "bp",
            "反担保至少覆盖本金的比例",
            "a counter-guarantee covers at least this share of the principal",
        ),
        _k(
            "guarantee_matching_basis",
            "choice",
            "担保贷款的1:1配资所配的对象",
            "what a guarantee's 1:1 matching matches",
            choices=(
                ("bank_loan", "银行贷款本金", "the bank loan's principal"),
                ("deposit", "基金存出的担保保证金", "the guarantee deposit the fund places"),
            ),
        ),
        _k(
            "borrower_concentration_bp",
            "bp",
            "单一借款人担保责任余额占净资产比例上限",
            "guarantee exposure to one borrower, share of net assets, at most",
            optional=True,
        ),
        _k(
            "related_concentration_bp",
            "bp",
            "借款人及其关联方（同一户籍或同一企业）担保责任余额占净资产比例上限",
            "exposure to a borrower and related parties (same household or enterprise), "
            "share of net assets, at most",
            optional=True,
        ),
        _k(
            "employee_one_project",
            "flag",
            "一名带动就业的贫困青年同一时间只计入一个在办项目",
            "an employed poor youth counts for one open project at a time",
        ),
        # --- progress ---
        _k("target_raised_fen", "fen", "筹资目标（基金规模）", "target: money raised for the fund"),
        _k("target_youth", "people", "目标：扶持创业青年人数", "target: youth supported"),
        _k(
            "target_poor_people",
            "people",
            "目标：带动建档立卡贫困人口人数",
            "target: registered-poor people reached",
        ),
        _k(
            "target_county_leagues",
            "int",
            "目标：获拨工作经费的县级团委数",
            "target: county leagues given working funds",
        ),
        # --- countyshare ---
        _k(
            "county_claim_at_default",
            "flag",
            "免息借款违约时，县政府反担保份额自动转为应收县政府款（否：以 fund claims county 转）",
            "a defaulted loan's county counter-guarantee share becomes receivable from the "
            "county at once (no: by fund claims county)",
        ),
        _k(
            "loan_allowance_current_bp",
            "bp",
            "免息借款坏账准备比例：未逾期",
            "loan-loss allowance, share of loans not past due",
            maximum=10_000,
        ),
        _k(
            "loan_allowance_1_30_bp",
            "bp",
            "免息借款坏账准备比例：逾期1-30天",
            "loan-loss allowance, share of loans 1-30 days past due",
            maximum=10_000,
        ),
        _k(
            "loan_allowance_31_90_bp",
            "bp",
            "免息借款坏账准备比例：逾期31-90天",
            "loan-loss allowance, share of loans 31-90 days past due",
            maximum=10_000,
        ),
        _k(
            "loan_allowance_91_180_bp",
            "bp",
            "免息借款坏账准备比例：逾期91-180天",
            "loan-loss allowance, share of loans 91-180 days past due",
            maximum=10_000,
        ),
        _k(
            "loan_allowance_over_180_bp",
            "bp",
            "免息借款坏账准备比例：逾期180天以上",
            "loan-loss allowance, share of loans over 180 days past due",
            maximum=10_000,
        ),
    )
}


def key_of(name: str) -> PolicyKey:
    """The key table's entry for a Policy field; ``policy.unknown_setting`` for any other."""
    known = {f.name for f in dataclasses.fields(Policy)}
    if name not in known:
        raise InputError("policy.unknown_setting", name=name)
    return KEYS.get(name) or _inferred(name)


def _inferred(name: str) -> PolicyKey:
    """A field the table does not list yet (a test insists it does), typed by its default
    and its name's suffix, so that it can still be set."""
    default = getattr(Policy(), name)
    if isinstance(default, bool):
        kind = "flag"
    elif isinstance(default, tuple):
        kind = "years"
    else:
        suffix = name.rsplit("_", 1)[-1]
        kind = {"fen": "fen", "bp": "bp", "months": "months", "days": "days"}.get(suffix, "int")
    return PolicyKey(name, kind, (name, name), optional=default is None)


def parse_setting(name: str, text: str) -> object:
    """A policy figure typed by an admin, as its key's kind says; ``policy.bad_value``
    naming the key, the value and what is allowed, for anything else."""
    key = key_of(name)
    try:
        return _parse(key, text.strip())
    except (KeyError, ValueError, InputError):
        raise InputError(
            "policy.bad_value",
            name=name,
            value=text,
            allowed_zh=key.allowed("zh"),
            allowed_en=key.allowed("en"),
        ) from None


def _parse(key: PolicyKey, text: str) -> object:
    if key.optional and text.lower() in ("none", "无", ""):
        return None
    if key.kind == "flag":
        return _FLAGS[text.lower()]
    if key.kind == "choice":
        return _choice(key, text)
    if key.kind == "choices":
        return _items(text, lambda item: _choice(key, item))
    if key.kind == "years":
        return _items(text, lambda item: _whole(item, 1900, 2200))
    if key.kind == "fen":
        return parse_yuan(text, allow_zero=key.minimum == 0)
    return _whole(text, key.minimum, 2**31 - 1 if key.maximum is None else key.maximum)


def _choice(key: PolicyKey, text: str) -> str:
    for word, zh, en in key.choices:
        if text.lower() in (word, en.lower()) or text == zh:
            return word
    raise ValueError(text)


def _items(text: str, one: Callable[[str], object]) -> tuple[object, ...]:
    items = [p.strip() for p in text.replace("，", ",").replace("、", ",").split(",")]
    if not all(items):
        raise ValueError(text)
    parsed = tuple(one(i) for i in items)
    if len(set(parsed)) != len(parsed):
        raise ValueError(text)
    return parsed


def _whole(text: str, lo: int, hi: int) -> int:
    if not text.isascii() or not text.isdigit():
        raise ValueError(text)
    value = int(text)
    if not lo <= value <= hi:
        raise ValueError(text)
    return value


_FLAGS = {
    "是": True,
    "否": False,
    "yes": True,
    "no": False,
    "true": True,
    "false": False,
    "1": True,
    "0": False,
}


def all_keys() -> list[PolicyKey]:
    """Every Policy field's key, in the dataclass's order."""
    return [key_of(f.name) for f in dataclasses.fields(Policy)]
