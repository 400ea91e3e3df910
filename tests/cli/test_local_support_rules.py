"""Local support that holds (issue 14 item 6), through the CLI as finance staff use it.

A counter-guarantee of ¥0.01 unlocked an ¥80,000 guarantee. Now a counter-guarantee
names its guarantor and document ref and covers at least the policy's minimum share of
the principal (``counter_guarantee_min_bp``, 50%), else it is refused with the figures;
one recorded before the rule (¥0.01) no longer unlocks the pay-out. Matching reaches 1:1
of what the policy says it matches (``guarantee_matching_basis``: the bank loan by
default, or the guarantee deposit), and the output says which.
"""

from __future__ import annotations

import random
from datetime import date

import pytest
from sqlalchemy import Engine, insert

from fundcore.intake.register import SAMPLE_REGISTER
from fundcore.store.db import make_engine
from fundcore.store.models import LocalSupport
from tests.cli.helpers import Typed, as_json, ok, refused, refused_unchanged
from tests.conftest import Fund
from tests.factories import resident_id

DISBURSE = "disburse 1 --date 2019-06-10 --bank 农商银行 --rate 4.75 --as fin2"


def apply_line(n: int, amount: str, support: str, extra: str = "") -> str:
    """``fund apply`` for a registered-poor youth of 灵丘县 (140224): a guarantee."""
    number = resident_id(random.Random(n), "140224", date(1995, 1, 1))
    return (
        f"apply --ref A{n} --name 张{n} --id-number {number} --phone 1381234{n:04d} "
        f"--county 140224 --registered-poor 是 --project-name 农场{n} --instrument guarantee "
        f"--amount {amount} --term 36 --bank 农商银行 --local-support {support} {extra} "
        "--date 2019-06-01 --as lq"
    )


def ready_fund(fund: Typed, donation: str = "1000000") -> Typed:
    """Initialised: the sample register, county league lq (灵丘县), finance fin1/fin2."""
    ok(fund("init --admin root"))
    ok(fund(f"counties import {SAMPLE_REGISTER} --as root"))
    ok(fund("operators add lq --role county --county 140224 --as root"))
    for name in ("fin1", "fin2"):
        ok(fund(f"operators add {name} --role finance --as root"))
    ok(fund(f"donations record --amount {donation} --donor d --date 2019-01-02 --as fin1"))
    return fund


def approved(fund: Typed, n: int, amount: str, support: str, extra: str = "") -> str:
    """Submitted and approved on 2019-06-02 (by fin1, and fin2 above ¥50,000); the last
    approval's output, in English."""
    ok(fund(apply_line(n, amount, support, extra)))
    out = ok(fund(f"--lang en approve {n} --date 2019-06-02 --as fin1")).stdout
    if int(amount) > 50_000:
        out = ok(fund(f"--lang en approve {n} --date 2019-06-02 --as fin2")).stdout
    return out


@pytest.fixture
def fund(sqlite_url: str) -> Typed:
    return ready_fund(Typed(Fund(sqlite_url)))


@pytest.fixture
def eng(fund: Typed) -> Engine:
    return make_engine(fund.url)


def test_a_counter_guarantee_must_cover_the_minimum_share(fund: Typed, eng: Engine) -> None:
    approved(fund, 1, "80000", "反担保")
    record = "local-support record 1 --kind counter-guarantee --date 2019-06-03 --as fin1"
    by = "--guarantor 灵丘县人民政府 --ref 灵政函[2019]12号"
    figures = {"principal": 8_000_000, "min": 5_000, "least": 4_000_000}
    refused_unchanged(
        fund, eng, f"{record} --amount 0.01 {by}", "support.counter_too_small", "zh",
        amount=1, share=0, **figures,
    )  # fmt: skip
    refused_unchanged(
        fund, eng, f"{record} --amount 39999.99 {by}", "support.counter_too_small", "zh",
        amount=3_999_999, share=4_999, **figures,
    )  # fmt: skip
    refused_unchanged(fund, eng, f"{record} --amount 40000 --ref R", "support.guarantor_needed")
    line = f"{record} --amount 40000 --guarantor 灵丘县人民政府"
    refused_unchanged(fund, eng, line, "support.counter_ref_needed")
    out = ok(fund(f"--lang en {record} --amount 40000 {by}")).stdout
    assert "covering 50% of the principal ¥80,000.00 (at least 50%)" in out
    assert "by 灵丘县人民政府" in out
    ok(fund(DISBURSE))


def test_the_policy_sets_the_minimum_share(fund: Typed, eng: Engine) -> None:
    ok(fund("policy set counter_guarantee_min_bp=8000 --effective 2019-05-01 --as root"))
    approved(fund, 1, "50000", "反担保")
    line = (
        "local-support record 1 --kind counter-guarantee --amount 25000 "
        "--guarantor 灵丘县人民政府 --ref CG-1 --date 2019-06-03 --as fin1"
    )
    refused_unchanged(
        fund, eng, line, "support.counter_too_small", "zh",
        amount=2_500_000, principal=5_000_000, share=5_000, min=8_000, least=4_000_000,
    )  # fmt: skip
    ok(fund(line.replace("25000", "40000")))


def test_a_tiny_counter_guarantee_already_on_record_does_not_unlock_the_payout(
    fund: Typed, eng: Engine
) -> None:
    approved(fund, 1, "80000", "反担保")
    with eng.begin() as conn:  # as the code before the rule recorded it
        conn.execute(
            insert(LocalSupport.__table__).values(
                facility_id=1, kind="counter-guarantee", amount_fen=1, operator="fin1",
                business_date=date(2019, 6, 3), guarantor="灵丘县人民政府", share_bp=0,
            )
        )  # fmt: skip
    refused_unchanged(
        fund, eng, DISBURSE, "disburse.counter_guarantee_short", "zh",
        id=1, amount=1, principal=8_000_000, share=0, min=5_000, least=4_000_000,
    )  # fmt: skip


def test_a_guarantees_matching_is_one_to_one_of_the_bank_loan_by_default(fund: Typed) -> None:
    out = approved(fund, 1, "50000", "1:1配资")
    assert "matching of ¥50,000.00 to be received (the bank loan's principal ¥50,000.00)" in out
    record = "local-support record 1 --kind matching --date 2019-06-03 --as fin1"
    out = ok(fund(f"--lang en {record} --amount 10000 --ref M-1")).stdout
    assert "¥10,000.00 of ¥50,000.00 (matching the bank loan's principal ¥50,000.00)" in out
    refused(
        fund(f"--lang en {DISBURSE}"), "disburse.no_local_support", "en",
        id=1, kind="matching", received=1_000_000, required=5_000_000, basis="bank_loan",
        base=5_000_000,
    )  # fmt: skip
    ok(fund(f"{record} --amount 40000 --ref M-2"))
    ok(fund(DISBURSE))


def test_the_policy_may_match_the_guarantee_deposit_instead(fund: Typed) -> None:
    ok(fund("policy set guarantee_matching_basis=deposit --effective 2019-05-01 --as root"))
    out = approved(fund, 1, "50000", "1:1配资")
    # the deposit is 20% of the principal: ¥10,000, matched 1:1
    assert "matching of ¥10,000.00 to be received (the guarantee deposit ¥10,000.00)" in out
    record = "local-support record 1 --kind matching --date 2019-06-03 --as fin1"
    refused(
        fund(f"--lang en {record} --amount 10000.01 --ref M-1"), "support.matching_exceeds", "en",
        amount=1_000_001, received=0, required=1_000_000,
    )  # fmt: skip
    doc = as_json(fund(f"--json {record} --amount 10000 --ref M-1"))
    assert (doc["basis"], doc["base"], doc["required"]) == ("deposit", "10000.00", "10000.00")
    ok(fund(DISBURSE))
