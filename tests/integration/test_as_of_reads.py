"""``fund capacity --date D`` and ``fund applications list --as-of D``: figures and
statuses as they stood on D, whatever was recorded after D (issue 13, item 5).

One programme through the CLI: a donation, applications of two counties, approvals,
local support, pay-outs and repayments up to D = 2019-06-30; then after D a policy
change, a donation, approvals, pay-outs, a cancel, a rejection and repayments (one
paying a guarantee's bank loan off). What is read as of D before the later activity is
read again after it, and compared with figures worked out by hand.
"""

from __future__ import annotations

import json
import random
import shlex
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from fundcore.intake.register import SAMPLE_REGISTER
from fundcore.messages import render
from fundcore.services import capacity, capacity_view
from fundcore.services.policy import in_force
from fundcore.store.db import make_engine
from fundcore.store.models import Application
from fundcore.store.uow import UnitOfWork
from tests.conftest import Fund
from tests.factories import application_row, write_csv

LINGQIU, PINGLU = "140224", "141126"
SUBMITTED = date(2019, 6, 1)
D = "2019-06-30"
YUAN = 100  # fen


class Books:
    """``fund`` as typed, plus the ids of the applications by their letter."""

    def __init__(self, fund: Fund, tmp_path: Path) -> None:
        self.fund = fund
        self.tmp = tmp_path
        self.ids: dict[str, int] = {}

    def __call__(self, line: str) -> Any:
        """Run one command line; it must succeed. Returns its JSON if it asked for it."""
        r = self.fund(*shlex.split(line))
        assert r.exit_code == 0, (line, r.output)
        return json.loads(r.stdout) if line.startswith("--json") else r.stdout

    def submit(self, who: str, county: str, rows: dict[str, tuple[str, str, str]]) -> None:
        """Applications by letter: (instrument, amount in yuan, local support)."""
        sheet = []
        for n, (kind, amount, support) in enumerate(rows.values(), len(self.ids) + 1):
            row = application_row(random.Random(n), n, county, SUBMITTED, kind)
            row.update(amount=amount, local_support=support, term_months="24")
            sheet.append(row)
        path = write_csv(self.tmp / f"{who}-{len(self.ids)}.csv", sheet)
        doc = self(f"--json applications import {path} --date {SUBMITTED} --as {who}")
        assert not doc["errors"], doc["errors"]
        self.ids.update(zip(rows, (t["id"] for t in doc["taken"]), strict=True))

    def capacity(self, on: str = D) -> dict[str, Any]:
        return self(f"--json capacity --date {on} --as aud")

    def statuses(self, extra: str = "", who: str = "fin1") -> dict[str, str]:
        """Letter -> status of ``applications list`` (``extra`` options added)."""
        letters = {i: k for k, i in self.ids.items()}
        doc = self(f"--json applications list {extra} --as {who}")
        return {letters[a["id"]]: a["status"] for a in doc}


LOAN, GUARANTEE = "免息借款", "担保贷款"
MATCHING, COUNTER = "1:1配资", "反担保"


def _up_to_d(b: Books) -> None:
    """Everything dated on or before D."""
    b("policy set reserve_floor_fen=10万 --effective 2019-01-01 --as root")
    b("donations record --amount 200万 --donor 某公司 --date 2019-01-02 --as fin1")
    b.submit(
        "lq",
        LINGQIU,
        {
            "A": (LOAN, "30000", MATCHING),  # paid out by D, repaid in part before and after
            "G": (GUARANTEE, "50000", COUNTER),  # issued by D, bank loan paid off after D
            "B": (LOAN, "40000", COUNTER),  # approved by D, paid out after D
            "E": (LOAN, "20000", MATCHING),  # approved by D, cancelled after D
            "H": (GUARANTEE, "20000", COUNTER),  # approved by D, issued after D
            "C": (LOAN, "10000", COUNTER),  # approved after D
            "R": (LOAN, "10000", COUNTER),  # rejected after D
            "T": (LOAN, "10000", COUNTER),  # returned by D
            "W": (LOAN, "80000", COUNTER),  # two approvals: one by D, the second after
        },
    )
    b.submit("px", PINGLU, {"P": (LOAN, "10000", COUNTER)})  # another county, approved by D
    for letter in "AGBEHP":
        b(f"approve {b.ids[letter]} --date 2019-06-02 --as fin1")
    b(f"return {b.ids['T']} --reason 缺材料 --date 2019-06-15 --as fin1")
    b(f"approve {b.ids['W']} --date 2019-06-20 --as fin1")
    b(
        f"local-support record {b.ids['A']} --kind matching --amount 30000"
        " --date 2019-06-03 --as fin1"
    )
    for letter, amount in (("G", "50000"), ("B", "40000"), ("H", "20000")):
        b(
            f"local-support record {b.ids[letter]} --kind counter-guarantee --amount {amount}"
            f" --guarantor 县人民政府 --ref CG-{letter} --date 2019-06-03 --as fin1"
        )
    b(f"disburse {b.ids['A']} --date 2019-06-10 --as fin2")
    b(f"disburse {b.ids['G']} --bank 某银行 --rate 4.75 --date 2019-06-10 --as fin2")
    b(f"repay {b.ids['A']} --amount 1000 --date 2019-06-25 --ref A-1 --as fin1")
    b(f"repay {b.ids['G']} --amount 20000 --date 2019-06-20 --ref G-1 --prepay --as fin1")


def _after_d(b: Books) -> None:
    """Activity dated after D, of every kind that moves a capacity figure or a status."""
    b("policy set reserve_floor_fen=20万 leverage_cap_x=5 --effective 2019-07-01 --as root")
    b("donations record --amount 50万 --donor 某基金会 --date 2019-07-01 --as fin1")
    b(f"approve {b.ids['C']} --date 2019-07-02 --as fin1")
    b(f"approve {b.ids['W']} --date 2019-07-02 --as fin2")
    b(f"reject {b.ids['R']} --reason 项目不实 --date 2019-07-01 --as fin1")
    b(f"disburse {b.ids['B']} --date 2019-07-03 --as fin2")
    b(f"disburse {b.ids['H']} --bank 某银行 --rate 4.75 --date 2019-07-03 --as fin2")
    b(f"cancel {b.ids['E']} --reason 项目取消 --date 2019-07-05 --as fin1")
    b(f"repay {b.ids['A']} --amount 2000 --date 2019-07-10 --ref A-2 --as fin1")
    b(f"repay {b.ids['G']} --amount 30000 --date 2019-07-05 --ref G-2 --prepay --as fin1")


@pytest.fixture
def books(cli: Fund, tmp_path: Path) -> Books:
    cli("init", "--admin", "root")
    b = Books(cli, tmp_path)
    b(f"counties import {SAMPLE_REGISTER} --as root")
    b(f"operators add lq --role county --county {LINGQIU} --as root")
    b(f"operators add px --role county --county {PINGLU} --as root")
    for name, role in (("fin1", "finance"), ("fin2", "finance"), ("aud", "auditor")):
        b(f"operators add {name} --role {role} --as root")
    _up_to_d(b)
    return b


# --- capacity --date D ---------------------------------------------------------------


def test_capacity_as_of_d_is_the_hand_computed_figures(books: Books) -> None:
    # A's matching went into its project, not the fund's bank, and was never income
    # (DOMAIN.md §4): bank = the donation, A's pay-out, G's 20% deposit, A's first
    # repayment; net assets = the donation alone
    bank = 2_000_000 - 30_000 - 10_000 + 1_000
    net_assets = 2_000_000
    committed = 40_000 + 20_000 + 10_000 + 4_000  # B, E and P in full, H's 20% deposit
    exposure = (50_000 - 20_000) + 20_000  # G on what its bank loan owed, H reserved
    available = bank - committed - 100_000
    cash_room = available * 5  # deposits at 20%, full coverage
    assert cash_room < net_assets * 10 - exposure
    assert books.capacity() == {
        "as_of": D,
        "bank_fen": bank * YUAN,
        "commitments_fen": committed * YUAN,
        "reserve_fen": 100_000 * YUAN,
        "available_fen": available * YUAN,
        "net_assets_fen": net_assets * YUAN,
        "exposure_fen": exposure * YUAN,
        "leverage_cap_x": 10,
        "exposure_cap_fen": net_assets * 10 * YUAN,
        "held_fen": 0,
        "leverage_room_fen": (net_assets * 10 - exposure) * YUAN,
        "cash_room_fen": cash_room * YUAN,
        "guarantee_room_fen": cash_room * YUAN,
        "binding": "cash",
    }


def test_capacity_as_of_d_is_unchanged_by_what_came_after(books: Books) -> None:
    before = (books.capacity(), books.capacity("2019-06-09"), books("capacity --date 2019-06-30"))
    _after_d(books)
    after = (books.capacity(), books.capacity("2019-06-09"), books("capacity --date 2019-06-30"))
    assert after == before
    later = books.capacity("2019-07-31")
    assert later != before[0]
    assert (later["reserve_fen"], later["leverage_cap_x"]) == (200_000 * YUAN, 5)


def test_capacity_text_says_as_of_which_day(books: Books) -> None:
    lines = books(f"capacity --date {D} --as aud").splitlines()
    assert lines[0] == f"可承诺额度（截至 {D}）"
    assert lines[1] == "银行存款: ¥1,961,000.00"
    assert lines[2] == "未放款承诺: ¥74,000.00"
    en = books(f"capacity --date {D} --lang en --as aud").splitlines()
    assert en[0] == f"capacity as of {D}"


def test_capacity_as_of_after_the_last_fact_is_today_s_capacity(books: Books) -> None:
    """With nothing dated after the day, the as-of figures are the live ones approvals
    are checked against (the kept facility state and kept balances)."""
    _after_d(books)
    day = date(2019, 12, 31)
    engine = make_engine(books.fund.url)
    try:
        with UnitOfWork(engine, write=False) as uow:
            policy = in_force(uow.conn, day).policy
            live = capacity.capacity(uow.conn, policy)
            view = capacity_view.capacity_on(uow.conn, day)
    finally:
        engine.dispose()
    assert view.capacity == live
    assert live.commitments_fen == (10_000 + 80_000 + 10_000) * YUAN  # C, W, P not paid out
    assert live.exposure_fen == 20_000 * YUAN  # H; G's bank loan is paid off


def test_capacity_before_any_money_is_zero_but_the_policy(books: Books) -> None:
    doc = books.capacity("2019-01-01")
    assert doc["reserve_fen"] == 100_000 * YUAN
    assert (doc["bank_fen"], doc["commitments_fen"], doc["exposure_fen"]) == (0, 0, 0)
    assert doc["net_assets_fen"] == 0


# --- applications list --as-of D -----------------------------------------------------


def test_statuses_as_of_d_come_from_the_decisions_dated_by_then(books: Books) -> None:
    at_d = {
        **dict.fromkeys("AGBEHP", "approved"),
        **dict.fromkeys("CRW", "submitted"),  # W has one of its two approvals
        "T": "returned",
    }
    assert books.statuses(f"--as-of {D}") == at_d
    _after_d(books)
    assert books.statuses(f"--as-of {D}") == at_d
    assert books.statuses("--as-of 2019-06-01") == dict.fromkeys(at_d, "submitted")
    assert books.statuses("--as-of 2019-05-31") == {}
    later = {**at_d, "C": "approved", "W": "approved", "R": "rejected"}
    assert books.statuses("--as-of 2019-07-31") == later
    # once nothing is dated after it, the as-of status is the stored one (E stays
    # approved: the cancel ends its facility, not the application)
    assert books.statuses() == later


def test_status_filters_on_the_status_as_of_d(books: Books) -> None:
    _after_d(books)
    assert set(books.statuses(f"--status submitted --as-of {D}")) == set("CRW")
    assert set(books.statuses(f"--status approved --as-of {D}")) == set("AGBEHP")
    assert set(books.statuses("--status submitted")) == set()
    assert set(books.statuses(f"--status rejected --as-of {D}")) == set()
    first_two = books.statuses(f"--status approved --as-of {D} --limit 2")
    assert len(first_two) == 2 and set(first_two) <= set("AGBEHP")


def test_a_county_operator_sees_only_its_county_as_of_d(books: Books) -> None:
    _after_d(books)
    mine = books.statuses(f"--as-of {D}", who="lq")
    assert set(mine) == set("AGBEHCRTW")
    assert books.statuses(f"--as-of {D}", who="px") == {"P": "approved"}
    assert books.statuses(f"--as-of {D} --county {PINGLU}", who="fin1") == {"P": "approved"}
    r = books.fund(*shlex.split(f"applications list --as-of {D} --county {PINGLU} --as lq"))
    assert r.exit_code == 1
    assert r.stderr.splitlines() == [render("intake.not_your_county", {"code": PINGLU}, "zh")]


def test_list_text_says_as_of_which_day(books: Books) -> None:
    out = books(f"applications list --status submitted --as-of {D} --as fin1")
    assert out.splitlines()[-1] == f"共 3 件（截至 {D}）"
    en = books(f"applications list --as-of {D} --lang en --as fin1")
    assert en.splitlines()[-1] == f"10 applications as of {D}"


def test_the_stored_rows_are_not_what_the_as_of_list_reads(books: Books) -> None:
    """The as-of status is derived from the decisions, not copied from the row: the
    rows now say approved/rejected for C, W and R, the list as of D says submitted."""
    _after_d(books)
    engine = make_engine(books.fund.url)
    try:
        with engine.connect() as conn:
            stored = dict(
                conn.execute(
                    select(Application.id, Application.status).where(
                        Application.id.in_([books.ids[k] for k in "CRW"])
                    )
                ).all()
            )
    finally:
        engine.dispose()
    assert sorted(stored.values()) == ["approved", "approved", "rejected"]
    at_d = books.statuses(f"--as-of {D}")
    assert [at_d[k] for k in "CRW"] == ["submitted"] * 3
