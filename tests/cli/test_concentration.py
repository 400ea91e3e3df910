"""Concentration limits of the financing-guarantee rules (issue 14 item 9), via the CLI.

Guarantee exposure to one borrower ≤ 10% of net assets (``borrower_concentration_bp``),
to a borrower and its related parties ≤ 15% (``related_concentration_bp``); related
parties declare the same household register (户口簿户号) or the same enterprise
(统一社会信用代码) on their applications. Checked at approval under the fund lock; a
refusal names the limit, the figures and the facilities counted (refs masked).
"""

from __future__ import annotations

import json
import random
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine

from fundcore.domain.policy_keys import KEYS
from fundcore.store.db import make_engine
from tests.cli.helpers import Typed, ok, refused, refused_unchanged
from tests.cli.test_local_support_rules import apply_line, approved, ready_fund
from tests.conftest import Fund
from tests.factories import application_row, write_csv

HOUSEHOLD = "--household-ref 140224-0012"
ENTERPRISE = "91350100M000100Y43"


@pytest.fixture
def small(sqlite_url: str) -> Typed:
    """A fund of ¥500,000 net assets (SQLite)."""
    return ready_fund(Typed(Fund(sqlite_url)), "500000")


def test_exposure_to_one_borrower_is_held_to_its_share_of_net_assets(small: Typed) -> None:
    eng = make_engine(small.url)
    ok(small(apply_line(1, "80000", "反担保")))
    ok(small("approve 1 --date 2019-06-02 --as fin1"))
    refused_unchanged(
        small, eng, "approve 1 --date 2019-06-02 --as fin2", "capacity.borrower", "zh",
        exposure=0, new=8_000_000, net_assets=50_000_000, share=1_000, limit=5_000_000,
        facilities="—",
    )  # fmt: skip
    limits = "borrower_concentration_bp=2000 related_concentration_bp=无"
    ok(small(f"policy set {limits} --effective 2019-06-03 --as root"))
    ok(small("approve 1 --date 2019-06-03 --as fin2"))


def test_a_borrower_and_related_parties_are_held_together(cli: Fund, tmp_path: Path) -> None:
    fund = ready_fund(Typed(cli))  # ¥1,000,000: 10% is ¥100,000, 15% is ¥150,000
    eng = make_engine(cli.url)
    approved(fund, 1, "80000", "反担保", HOUSEHOLD)
    approved(fund, 2, "60000", "反担保", f"{HOUSEHOLD} --enterprise-code {ENTERPRISE}")
    # related to #2 by the enterprise only: ¥60,000 + ¥20,000 is within 15%
    approved(fund, 3, "20000", "反担保", f"--enterprise-code {ENTERPRISE}")
    row = application_row(random.Random(4), 4, "140224", date(2019, 6, 1), "担保贷款")
    row.update(amount="20000", local_support="反担保", household_ref="140224-0012")
    sheet = write_csv(tmp_path / "sheet.csv", [row])
    taken = json.loads(
        ok(fund(f"--json applications import {sheet} --date 2019-06-01 --as lq")).stdout
    )["taken"]
    line = f"--lang en approve {taken[0]['id']} --date 2019-06-02 --as fin1"
    refused_unchanged(
        fund, eng, line, "capacity.related", "en",
        exposure=14_000_000, new=2_000_000, net_assets=100_000_000, share=1_500,
        limit=15_000_000, facilities="#1 **、#2 **",
    )  # fmt: skip


def test_related_party_fields_are_checked_on_input(small: Typed) -> None:
    eng = make_engine(small.url)
    bad = ENTERPRISE[:-1] + "4"
    result = small(apply_line(1, "30000", "反担保", f"--enterprise-code {bad}"))
    assert result.exit_code == 1 and "--enterprise-code: 统一社会信用代码应为18位" in result.stderr
    result = small(apply_line(1, "30000", "反担保", "--household-ref 户号一"))
    assert result.exit_code == 1 and "--household-ref: 户口簿户号应为" in result.stderr
    assert _applications(eng) == 0


def _applications(eng: Engine) -> int:
    with eng.connect() as conn:
        return len(conn.exec_driver_sql("SELECT id FROM applications").all())


def test_the_limits_are_policy_keys(small: Typed) -> None:
    keys = {k["name"]: k for k in json.loads(ok(small("--json policy show --keys")).stdout)}
    assert keys["guarantee_matching_basis"]["choices"] == ["bank_loan", "deposit"]
    for name in ("borrower_concentration_bp", "related_concentration_bp"):
        assert keys[name]["type"] == "bp", keys[name]
    basis = KEYS["guarantee_matching_basis"]
    refused(
        small("--lang en policy set guarantee_matching_basis=cash --effective 2019-07-01 "
              "--as root"),
        "policy.bad_value", "en",
        name="guarantee_matching_basis", value="cash",
        allowed_zh=basis.allowed("zh"), allowed_en=basis.allowed("en"),
    )  # fmt: skip
