"""Every policy key is settable with its own type (issue 14 item 2).

``fund policy set KEY=VALUE --date D`` takes text keys (``bank_method``,
``loan_frequency``, ``prepayment_order``) with the words the schedule and repayment code
accept; ``fund policy show --keys`` lists every field of ``Policy`` with its type, unit,
allowed values and meaning; a bad value is refused naming the key, the value and what is
allowed, and writes nothing; a new version may not take effect on or before a day on
which decisions were taken under the version in force, nor in a closed month.
"""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest
from sqlalchemy import Engine, select

from fundcore.domain.policy import Policy
from fundcore.domain.policy_keys import KEYS
from fundcore.store.models import Decision
from tests.cli.helpers import Typed, as_json, ok, refused, refused_unchanged
from tests.conftest import Fund
from tests.factories import disbursed, setup_fund

FIELDS = [f.name for f in dataclasses.fields(Policy)]


@pytest.fixture
def fund(engine: Engine, db_url: str) -> Typed:
    """``fund`` on an initialised database (admin ``root``)."""
    return Typed(Fund(db_url))


def test_keys_lists_every_field_of_the_policy(fund: Typed) -> None:
    doc = as_json(fund("--json policy show --keys"))
    assert [k["name"] for k in doc] == FIELDS
    for k in doc:
        assert k["type"] and k["allowed"] and k["meaning"], k
    # each field is described by the table, not guessed from its name
    assert sorted(KEYS) == sorted(FIELDS)
    human = ok(fund("policy show --keys")).stdout
    for name in FIELDS:
        assert f"\n{name}  [" in f"\n{human}", name
    assert (
        "等额本金" in human and "equal principal" in ok(fund("--lang en policy show --keys")).stdout
    )


def test_text_keys_offer_the_words_their_code_accepts(fund: Typed) -> None:
    keys = {k["name"]: k for k in as_json(fund("--json policy show --keys"))}
    assert keys["bank_method"]["choices"] == ["annuity", "equal_principal"]
    assert keys["loan_frequency"]["choices"] == ["monthly", "quarterly", "bullet"]
    assert keys["prepayment_order"]["choices"] == ["last", "next"]
    for name in FIELDS:
        default = getattr(Policy(), name)
        if isinstance(default, str):
            assert keys[name]["type"] == "choice" and default in keys[name]["choices"], name


@pytest.mark.parametrize(
    ("setting", "key", "stored"),
    [
        ("bank_method=annuity", "bank_method", "annuity"),
        ("bank_method=equal_principal", "bank_method", "equal_principal"),
        ("bank_method=等额本金", "bank_method", "equal_principal"),
        ("loan_frequency=quarterly", "loan_frequency", "quarterly"),
        ("loan_frequency=bullet", "loan_frequency", "bullet"),
        ("prepayment_order=next", "prepayment_order", "next"),
        ("shift_due_dates=否", "shift_due_dates", False),
        ("county_concentration_bp=3000", "county_concentration_bp", 3000),
        ("instruments=loan,grant", "instruments", ["loan", "grant"]),
    ],
)
def test_a_text_key_is_set_and_in_force_from_its_date(
    fund: Typed, setting: str, key: str, stored: object
) -> None:
    ok(fund(f"policy set {setting} --date 2019-03-01 --as root"))
    assert as_json(fund("--json policy show --on 2019-03-01"))[0][key] == stored
    before = as_json(fund("--json policy show --on 2019-02-28"))[0]
    assert (
        before["version"] == 1
        and before[key] == as_json(fund("--json policy show --version 1"))[0][key]
    )


def test_a_guarantee_paid_out_after_bank_method_is_set_repays_equal_principal(
    fund: Typed, engine: Engine
) -> None:
    setup_fund(engine)
    ok(fund("policy set bank_method=等额本金 loan_frequency=quarterly --date 2019-06-01 --as root"))
    guarantee = disbursed(engine, 1, "guarantee", yuan=24_000, term=24)
    loan = disbursed(engine, 2, "loan", yuan=24_000, term=24)
    rows = as_json(fund(f"--json schedule {guarantee} --as fin1"))["instalments"]
    assert len(rows) == 24
    assert {r["principal_fen"] for r in rows} == {100_000}  # 24,000 yuan / 24, every month
    interest = [r["interest_fen"] for r in rows]
    assert interest == sorted(interest, reverse=True) and interest[0] > interest[-1]
    quarters = as_json(fund(f"--json schedule {loan} --as fin1"))["instalments"]
    assert [r["principal_fen"] for r in quarters] == [300_000] * 8


BAD = [
    ("bank_method", "annuityx"),
    ("bank_method", "等额"),
    ("loan_frequency", "weekly"),
    ("prepayment_order", "first"),
    ("instruments", "loan,foo"),
    ("local_support_kinds", "matching,matching"),
    ("shift_due_dates", "maybe"),
    ("default_after_days", "-1"),
    ("default_after_days", "0"),
    ("leverage_cap_x", "10x"),
    ("amount_max_fen", "abc"),
    ("working_fund_years", "2019,,2020"),
]


@pytest.mark.parametrize(("key", "value"), BAD)
def test_a_bad_value_is_refused_naming_key_value_and_allowed_and_writes_nothing(
    fund: Typed, engine: Engine, key: str, value: str
) -> None:
    allowed = {"allowed_zh": KEYS[key].allowed("zh"), "allowed_en": KEYS[key].allowed("en")}
    line = f"policy set {key}={value} --date 2019-03-01 --as root"
    result = refused_unchanged(
        fund, engine, line, "policy.bad_value", name=key, value=value, **allowed
    )
    assert key in result.stderr and value in result.stderr
    en = refused(fund(f"--lang en {line}"), "policy.bad_value", "en", name=key, value=value,
                 **allowed)  # fmt: skip
    assert "expected" in en.stderr


def test_the_allowed_words_are_in_the_refusal(fund: Typed) -> None:
    result = fund("policy set bank_method=bullet --date 2019-03-01 --as root")
    assert result.exit_code == 1
    assert "annuity" in result.stderr and "equal_principal" in result.stderr


def _decision_ids(engine: Engine) -> list[int]:
    with engine.connect() as conn:
        return list(conn.scalars(select(Decision.id).order_by(Decision.id)))


@pytest.mark.parametrize("on", ["2019-06-02", "2019-06-01", "2019-01-01"])
def test_a_version_on_or_before_a_day_decisions_were_taken_under_it_is_refused(
    fund: Typed, engine: Engine, on: str
) -> None:
    setup_fund(engine)
    disbursed(engine, 1, "loan", approve_on=date(2019, 6, 1))
    disbursed(engine, 2, "loan", approve_on=date(2019, 6, 2))
    ids = _decision_ids(engine)
    assert len(ids) == 2
    line = f"policy set bank_method=equal_principal --date {on} --as root"
    refused_unchanged(fund, engine, line, "policy.decided_under_in_force",
                      version=1, count=len(ids) if on != "2019-06-02" else 1,
                      ids=", ".join(f"#{i}" for i in (ids if on != "2019-06-02" else ids[1:])),
                      date=on, latest="2019-06-02", earliest="2019-06-03")  # fmt: skip


def test_a_version_after_the_last_decision_is_taken_and_the_next_is_judged_on_its_own(
    fund: Typed, engine: Engine
) -> None:
    setup_fund(engine)
    disbursed(engine, 1, "loan", approve_on=date(2019, 6, 2))
    ok(fund("policy set bank_method=equal_principal --date 2019-06-03 --as root"))
    # the decision of 06-02 was taken under version 1, not 2: version 3 may follow
    ok(fund("policy set loan_frequency=quarterly --date 2019-06-03 --as root"))
    disbursed(engine, 2, "loan", approve_on=date(2019, 6, 5))
    last = _decision_ids(engine)[-1]
    refused_unchanged(fund, engine, "policy set prepayment_order=next --date 2019-06-04 --as root",
                      "policy.decided_under_in_force", version=3, count=1, ids=f"#{last}",
                      date="2019-06-04", latest="2019-06-05", earliest="2019-06-06")  # fmt: skip
    assert [v["version"] for v in as_json(fund("--json policy show"))] == [1, 2, 3]


def test_a_version_inside_a_closed_month_is_still_refused(fund: Typed, engine: Engine) -> None:
    setup_fund(engine)
    ok(fund("period close 2019-01 --as fin1"))
    line = "policy set bank_method=equal_principal --date 2019-01-20 --as root"
    refused_unchanged(fund, engine, line, "period.closed", month="2019-01")
    ok(fund("policy set bank_method=equal_principal --date 2019-02-01 --as root"))


def test_many_decisions_are_counted_and_the_first_ones_named(fund: Typed, engine: Engine) -> None:
    setup_fund(engine)
    for n in range(12):
        disbursed(engine, n + 1, "loan", yuan=10_000, approve_on=date(2019, 6, 2))
    ids = _decision_ids(engine)
    result = fund("policy set bank_method=equal_principal --date 2019-05-01 --as root")
    assert result.exit_code == 1
    assert "12" in result.stderr and f"#{ids[0]}" in result.stderr
    assert f"#{ids[-1]}" not in result.stderr and "…" in result.stderr
