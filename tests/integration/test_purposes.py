"""Donation purposes through the CLI, on both databases: a gift lands on its purpose's
sub-account; a pay-out may use its own purpose's restricted money, the programme's and
unrestricted money, never another purpose's; spending releases the restriction (D 3102.xx
/ C 3101) in the same entry; loans stay restricted; the Foundation's own 配捐 is other
income; and migration 0014 gives existing restricted gifts the programme-wide purpose."""

from __future__ import annotations

import json
from datetime import date

import pytest
from alembic import command
from sqlalchemy import Engine, func, select

from fundcore.domain import chart, purposes
from fundcore.domain.terms import EntryKind
from fundcore.messages import render
from fundcore.statements.fund import fund_statement
from fundcore.store import schema
from fundcore.store.models import Account, County, Donation, JournalEntry, JournalLine
from tests.conftest import Fund, snapshot
from tests.factories import disbursed, setup_fund

Posted = list[tuple[str, str, int]]


@pytest.fixture
def fund(engine: Engine) -> Fund:
    """A fund with one fen of unrestricted money: every pay-out needs a restricted gift."""
    setup_fund(engine, donation_fen=1)
    return Fund(engine.url.render_as_string(hide_password=False))


def _ok(fund: Fund, *args: str) -> dict:
    r = fund(*args, "--as", "fin1", "--json")
    assert r.exit_code == 0, r.stderr
    return json.loads(r.stdout)


def _give(fund: Fund, yuan: int, *how: str, on: str = "2019-05-01") -> dict:
    return _ok(fund, "donations", "record", "--amount", str(yuan), "--donor", "某公司",
               "--date", on, *how)  # fmt: skip


def _balances(fund: Fund) -> dict[str, int]:
    doc = json.loads(fund("--json", "ledger", "trial-balance").stdout)
    assert doc["balanced"]
    return {a["code"]: a["balance_fen"] for a in doc["accounts"]}


def _lines(engine: Engine, kind: str) -> Posted:
    """The lines of the last entry of ``kind``."""
    with engine.connect() as conn:
        seq = conn.scalar(select(func.max(JournalEntry.seq)).where(JournalEntry.kind == kind))
        rows = conn.execute(
            select(JournalLine.account_code, JournalLine.side, JournalLine.amount_fen)
            .where(JournalLine.entry_seq == seq)
            .order_by(JournalLine.line_no)
        ).all()
    return [tuple(r) for r in rows]


def _refused(fund: Fund, engine: Engine, args: list[str], code: str, **params: object) -> None:
    before = snapshot(engine)
    r = fund("--lang", "en", *args, "--as", "fin1")
    assert r.exit_code == 1, r.stdout
    assert r.stderr.splitlines() == [render(code, params, "en")]
    assert snapshot(engine) == before


def test_a_gift_for_a_purpose_lands_on_its_sub_account(fund: Fund) -> None:
    _give(fund, 1_000, "--purpose", "小额资助")
    _give(fund, 2_000, "--purpose", "loan", "--restricted", "返乡青年免息借款", on="2019-05-02")
    _give(fund, 300, "--restricted", "助学", on="2019-05-03")  # words only: the programme's
    b = _balances(fund)
    assert (b["4101.02.03"], b["4101.02.02"], b["4101.02"]) == (100_000, 200_000, 30_000)
    assert b["4101.01"] == 1


def test_the_foundations_own_match_is_other_income_not_a_donation(fund: Fund) -> None:
    _give(fund, 5_000, "--foundation-match")
    b = _balances(fund)
    assert b[chart.FOUNDATION_MATCH] == 500_000
    assert b["4101.01"] == 1 and b["4101.02"] == 0


CHOICES = ", ".join(f"{p.code} ({p.name_zh})" for p in purposes.PURPOSES)
MATCH_RESTRICTED = "donation.foundation_match_restricted"


@pytest.mark.parametrize(
    ("how", "code", "params"),
    [
        (["--purpose", "助学"], "purpose.unknown", {"text": "助学", "choices": CHOICES}),
        (["--foundation-match", "--purpose", "grant"], MATCH_RESTRICTED, {}),
        (["--foundation-match", "--restricted", "助学"], MATCH_RESTRICTED, {}),
    ],
)
def test_a_bad_purpose_is_refused_and_nothing_is_written(
    fund: Fund, engine: Engine, how: list[str], code: str, params: dict
) -> None:
    args = ["donations", "record", "--amount", "100", "--donor", "某公司", "--date", "2019-05-01"]
    _refused(fund, engine, [*args, *how], code, **params)


def test_a_grant_releases_its_restriction_in_its_own_entry(fund: Fund, engine: Engine) -> None:
    _give(fund, 30_000, "--purpose", "grant")
    disbursed(engine, 1, "grant", yuan=20_000)
    assert _lines(engine, EntryKind.DISBURSE_GRANT) == [
        ("5101.01", "D", 2_000_000),
        ("1002", "C", 2_000_000),
        ("3102.03", "D", 2_000_000),
        ("3101", "C", 2_000_000),
    ]
    with engine.connect() as conn:
        stmt = fund_statement(conn, "fin1", date(2019, 1, 1), date(2019, 12, 31))
    released = stmt.activities.restrictions_released
    assert (released.unrestricted_fen, released.restricted_fen) == (2_000_000, -2_000_000)
    net = {ln.code: ln.closing_fen for ln in stmt.balance_sheet.net_assets}
    assert net["3102"] == 1_000_000  # 30,000 given, 20,000 spent on it
    change = stmt.activities.change_in_net_assets
    assert (change.restricted_fen, change.unrestricted_fen) == (
        1_000_000,
        -2_000_000 + 2_000_000 + 1,
    )


def test_working_funds_may_not_spend_a_gift_for_grants(fund: Fund, engine: Engine) -> None:
    _give(fund, 1_000_000, "--purpose", "grant")
    with engine.connect() as conn:
        counties = conn.scalar(select(func.count()).select_from(County))
    args = ["working-funds", "pay", "--year", "2019", "--date", "2019-07-01"]
    # refused at the first county's payment (10,000 yuan), and so the whole run
    _refused(fund, engine, args, "purpose.short", purpose="working_funds",
             need=1_000_000, own=0, other=1, available=1)  # fmt: skip
    _give(fund, 10_000 * counties, "--purpose", "工作经费", on="2019-06-01")
    _ok(fund, *args)
    b = _balances(fund)
    assert b["3102.04"] == -counties * 1_000_000  # released as paid
    assert b["4101.02.03"] == 100_000_000  # the grant gift untouched


def test_a_loan_stays_restricted_and_its_write_off_releases_it(fund: Fund, engine: Engine) -> None:
    _give(fund, 100_000, "--purpose", "loan")
    fid = disbursed(engine, 1, yuan=24_000, support="反担保")
    assert _lines(engine, EntryKind.DISBURSE_LOAN) == [
        ("1211", "D", 2_400_000),
        ("1002", "C", 2_400_000),
    ]
    _ok(fund, "close-day", "--through", "2019-12-31")
    # the county's counter-guaranteed half went to 1213 at default; the borrower's half is
    # written off, against the allowance the month ends built (which released nothing,
    # being an estimate) and the rest as a bad debt: all of it released from the loans
    _ok(fund, "write-off", str(fid), "--reason", "无力偿还", "--date", "2020-01-02")
    assert _lines(engine, EntryKind.WRITE_OFF) == [
        ("1231", "D", 600_000),
        ("5201.01", "D", 600_000),
        ("1211", "C", 1_200_000),
        ("3102.02", "D", 1_200_000),
        ("3101", "C", 1_200_000),
    ]
    assert _lines(engine, EntryKind.ALLOWANCE)  # the month ends built it ...
    assert {a for a, _, _ in _lines(engine, EntryKind.ALLOWANCE)} == {"1231", "5201.01"}
    _ok(fund, "write-off", str(fid), "--undo", "--reason", "误核销", "--date", "2020-01-03")
    b = _balances(fund)
    assert (b["3102.02"], b["4101.02.02"]) == (0, 10_000_000)  # the undoing restored it
    assert fund("ledger", "verify").exit_code == 0


def test_the_guarantee_provision_is_released_from_guarantees(fund: Fund, engine: Engine) -> None:
    _give(fund, 1_000_000, "--purpose", "guarantee")
    disbursed(engine, 1, kind="guarantee", yuan=50_000, term=36, support="反担保")
    _ok(fund, "close-day", "--through", "2019-07-31")
    lines = _lines(engine, EntryKind.PROVISION)
    assert lines[2:] == [("3102.01", "D", lines[0][2]), ("3101", "C", lines[0][2])]


def test_existing_restricted_gifts_get_the_programme_purpose(engine: Engine) -> None:
    """Down to 0012 and up again: the gift already on a purpose account keeps its account
    (its lines must still verify), and each donation's purpose is read back from what its
    entry credited, a gift restricted only in words (as before purposes) the programme's."""
    fund = Fund(engine.url.render_as_string(hide_password=False))
    setup_fund(engine)
    _give(fund, 100, "--purpose", "grant")
    _give(fund, 200, "--foundation-match", on="2019-05-02")
    _give(fund, 300, "--purpose", "programme", on="2019-05-03")
    _give(fund, 400, "--restricted", "小额资助", on="2019-05-04")  # as the old code posted it
    with engine.begin() as conn:
        command.downgrade(schema.alembic_config(conn), "0012_amendments")
        assert set(conn.scalars(select(Account.code).where(Account.code.like("4101.02.%")))) == {
            "4101.02.03"
        }
    schema.upgrade(engine)
    with engine.connect() as conn:
        rows = conn.execute(
            select(Donation.ref, Donation.purpose, Donation.foundation_match).order_by(Donation.id)
        ).all()
        accounts = set(conn.scalars(select(Account.code)))
        assert schema.check(conn).ok
    assert [tuple(r) for r in rows] == [
        (None, None, False),
        (None, "grant", False),  # read back from what its entry credited
        (None, None, True),
        (None, "programme", False),
        (None, "programme", False),  # words only: the programme's, where its lines are
    ]
    assert {a.code for a in chart.CHART} <= accounts  # the purpose accounts came back
    assert fund("ledger", "verify").exit_code == 0
