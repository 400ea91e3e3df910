"""The programme's rules as data: the figures of a policy version, and their checks.

Every figure of DOMAIN.md §2 lives here, not in code. A policy version is in force
from its effective date (``services.policy`` stores and finds them); decisions record
the version they used, and a new version never rewrites what was decided under an older one.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from fundcore.domain.errors import RuleBroken
from fundcore.domain.terms import Instrument, LocalSupportKind

DEFAULT_EFFECTIVE_FROM = date(2019, 1, 1)


@dataclass(frozen=True, slots=True)
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
    local_support_kinds: tuple[str, ...] = (
        LocalSupportKind.COUNTER_GUARANTEE,
        LocalSupportKind.MATCHING,
    )
    matching_ratio_bp: int = 10_000
    # [000 三(五)1] 须至少带动1-2名贫困家庭青年就业
    min_poor_youth_employed: int = 1
    age_min: int = 18
    age_max: int = 35
    # the poor-household youth a project employs: of working age and youth
    employee_age_min: int = 16
    employee_age_max: int = 35
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
    # [000 三(一)1] 撥付 2019、2020 年 2 年
    working_fund_years: tuple[int, ...] = (2019, 2020)
    shift_due_dates: bool = True
    # what is paid beyond what is due: 'next' instalments in order (paid ahead), or the
    # 'last' ones first (every such payment shortens the term); `repay --prepay` is 'last'
    prepayment_order: str = "next"
    # interest-free loans: 'monthly', 'quarterly' or 'bullet', after grace months
    loan_frequency: str = "monthly"
    loan_grace_months: int = 0
    # the cooperating bank's method for the loans behind guarantees: 等额本息 or 等额本金
    bank_method: str = "annuity"
    # interest-only months at the start of a guaranteed bank loan (the term includes them),
    # then the bank's method over the rest; fixed on the facility at approval
    bank_grace_months: int = 0
    # whether a claim (代偿) also pays the bank the overdue interest, times the coverage
    # share. The seeds are silent; DOMAIN.md measures the guarantee liability (exposure,
    # leverage, provision) on principal only, so by default a claim covers principal only
    claim_covers_interest: bool = False
    # a restructured schedule must end within this many months of the pay-out
    restructure_max_term_months: int = 48

    instruments: tuple[str, ...] = field(
        default=(Instrument.GUARANTEE, Instrument.LOAN, Instrument.GRANT)
    )
    # [000 三(五)1] 反担保: a counter-guarantee covers at least this share of the principal
    counter_guarantee_min_bp: int = 5_000
    # [000 三(五)1] 1:1配资 of a guarantee matches 'bank_loan' (the guaranteed loan's
    # principal, the support the programme sizes at 1-10万) or 'deposit' (the guarantee
    # deposit the fund places with the bank); a loan's matching matches its principal
    guarantee_matching_basis: str = "bank_loan"
    # 融资担保公司监督管理条例: exposure to one guaranteed party <= 10% of net assets,
    # to it and its related parties <= 15% (None: no limit)
    borrower_concentration_bp: int | None = 1_000
    related_concentration_bp: int | None = 1_500
    # an employed poor-household youth counts for one open project at a time
    employee_one_project: bool = True
    # --- progress ---
    # [000 一(二), 五(一)] what the programme set out to do: a fund of at least 1亿元,
    # 10万 youth supported in their business, at least 百万 registered-poor people lifted,
    # and every one of the 865 county leagues funded
    target_raised_fen: int = 10_000_000_000
    target_youth: int = 100_000
    target_poor_people: int = 1_000_000
    target_county_leagues: int = 865
    # --- countyshare ---
    # a counter-guaranteed interest-free loan's county share becomes a receivable from
    # the county when the day close finds the loan in default (否: by `fund claims county`)
    county_claim_at_default: bool = True
    # 坏账准备 on interest-free loans receivable, by days past due at a month-end close
    # (current, 1-30, 31-90, 91-180, over 180): the share of the receivable allowed for
    loan_allowance_current_bp: int = 100
    loan_allowance_1_30_bp: int = 500
    loan_allowance_31_90_bp: int = 2_000
    loan_allowance_91_180_bp: int = 5_000
    loan_allowance_over_180_bp: int = 10_000

    def to_json(self) -> str:
        return json.dumps(dataclasses.asdict(self), ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> Policy:
        data = json.loads(text)
        known = {f.name for f in dataclasses.fields(cls)}
        # JSON values of the known figures; ``check_policy`` judges them as a whole
        values: dict[str, Any] = {
            k: tuple(v) if isinstance(v, list) else v for k, v in data.items() if k in known
        }
        return cls(**values)


def with_settings(policy: Policy, settings: Mapping[str, object]) -> Policy:
    """``policy`` with the named figures changed, as ``policy_keys.parse_setting`` typed them.

    The names are the policy's own (``parse_setting`` refuses any other); whether the new
    figures make sense together is ``check_policy``'s to say.
    """
    changes: dict[str, Any] = dict(settings)
    return dataclasses.replace(policy, **changes)


#: the loan-loss allowance rates by ageing bucket, youngest first (``allowance_rates``)
ALLOWANCE_KEYS = (
    "loan_allowance_current_bp",
    "loan_allowance_1_30_bp",
    "loan_allowance_31_90_bp",
    "loan_allowance_91_180_bp",
    "loan_allowance_over_180_bp",
)


def allowance_rates(p: Policy) -> tuple[int, ...]:
    """The allowance rate (bp) of each ageing bucket, as ``domain.allowance`` buckets them."""
    return tuple(int(getattr(p, name)) for name in ALLOWANCE_KEYS)


@dataclass(frozen=True, slots=True)
class PolicyInForce:
    version: int
    effective_from: date
    policy: Policy


def check_policy(p: Policy) -> None:
    if p.amount_min_fen > p.amount_max_fen or p.amount_min_fen <= 0:
        raise RuleBroken("policy.inconsistent", detail="amount_min_fen / amount_max_fen")
    if p.term_min_months > p.term_max_months or p.term_min_months <= 0:
        raise RuleBroken("policy.inconsistent", detail="term_min_months / term_max_months")
    if p.age_min > p.age_max:
        raise RuleBroken("policy.inconsistent", detail="age_min / age_max")
    if p.bank_grace_months >= p.term_min_months:
        raise RuleBroken("policy.inconsistent", detail="bank_grace_months / term_min_months")
    if not 0 <= p.counter_guarantee_min_bp <= 10_000:
        raise RuleBroken("policy.inconsistent", detail="counter_guarantee_min_bp")
    for name in ALLOWANCE_KEYS:
        if not 0 <= getattr(p, name) <= 10_000:
            raise RuleBroken("policy.inconsistent", detail=name)
    unknown = set(p.local_support_kinds) - set(LocalSupportKind)
    if unknown:
        raise RuleBroken("policy.inconsistent", detail=f"local_support_kinds {sorted(unknown)}")
