"""The programme's rules as data: a versioned policy.

Every figure of DOMAIN.md §2 lives here, not in code. A policy version is in force
from its effective date; decisions record the version they used, and a new version
never rewrites what was decided under an older one.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field
from datetime import date

DEFAULT_EFFECTIVE_FROM = date(2019, 1, 1)


@dataclass(frozen=True)
class Policy:
    """Programme figures. Amounts in fen, ratios in basis points (1% = 100 bp)."""

    # [000 三(五)1] 额度1-10万元, 为期2-3年
    amount_min_fen: int = 1_000_000
    amount_max_fen: int = 10_000_000
    term_min_months: int = 24
    term_max_months: int = 36
    # Grants are not sized in the seeds; a ceiling the Foundation sets.
    grant_max_fen: int = 2_000_000
    # [000 三(五)1] 反担保 or 1:1 配资
    local_support_kinds: tuple[str, ...] = ("counter-guarantee", "matching")
    matching_ratio_bp: int = 10_000
    # [000 三(五)1] 须至少带动1-2名贫困家庭青年就业
    min_poor_youth_employed: int = 1
    age_min: int = 18
    age_max: int = 35
    # maker-checker: two finance approvals above this amount
    two_approvals_above_fen: int = 5_000_000
    reserve_floor_fen: int = 0
    # 融资担保公司监督管理条例: exposure <= 10x net assets
    leverage_cap_x: int = 10
    county_concentration_bp: int | None = None
    guarantee_deposit_bp: int = 2_000
    guarantee_coverage_bp: int = 10_000
    default_after_days: int = 90
    # 担保赔偿准备金 >= 1% of guarantee liability
    provision_bp: int = 100
    interest_subsidy_bp: int = 0
    working_fund_per_county_fen: int = 1_000_000
    shift_due_dates: bool = True
    instruments: tuple[str, ...] = field(default=("guarantee", "loan", "grant"))

    def to_json(self) -> str:
        return json.dumps(dataclasses.asdict(self), ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> Policy:
        data = json.loads(text)
        known = {f.name for f in dataclasses.fields(cls)}
        values = {k: tuple(v) if isinstance(v, list) else v for k, v in data.items() if k in known}
        return cls(**values)
