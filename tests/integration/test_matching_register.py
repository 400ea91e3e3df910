"""Local 1:1 matching kept off the ledger (DOMAIN.md §4), through the CLI on both databases.

Matching is the county's money put into the young person's project: the approval and
the receipt post nothing, the register keeps it (committed, received, by whom, ref).
Matching paid into the fund's own account is government grant income when received
and a programme cost when passed on. The old postings (1214) are reversed by
``fund local-support migrate`` in an open month.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from alembic import command
from sqlalchemy import func, select, text

from fundcore.domain import chart
from fundcore.domain.ledger import EntryDraft, credit, debit
from fundcore.domain.postings.local_support import MIGRATION_MEMO
from fundcore.domain.terms import EntryKind
from fundcore.statements.fund import fund_statement
from fundcore.store import journal, schema
from fundcore.store.db import make_engine
from fundcore.store.models import JournalEntry, LocalSupport
from tests.conftest import Fund, snapshot
from tests.integration.test_decisions import _donate, _loan, _submit, fund, refused

__all__ = ["fund"]  # the fixture, shared with the decisions tests

PLEDGE = 3_000_000  # a 30,000-yuan loan, 1:1


def _tb(fund: Fund) -> dict[str, int]:
    doc = json.loads(fund("--json", "ledger", "trial-balance").stdout)
    return {a["code"]: a["balance_fen"] for a in doc["accounts"]}


def _entries(fund: Fund) -> int:
    engine = make_engine(fund.url)
    with engine.connect() as conn:
        n = int(conn.scalar(select(func.count()).select_from(JournalEntry)) or 0)
    engine.dispose()
    return n


def _capacity(fund: Fund, on: str) -> dict[str, object]:
    r = fund("--json", "capacity", "--date", on, "--as", "fin1")
    assert r.exit_code == 0, r.stderr
    doc: dict[str, object] = json.loads(r.stdout)
    return doc


def _record(fund: Fund, fid: int, amount: str, on: str, ref: str, *extra: str) -> dict:
    args = ["--json", "local-support", "record", str(fid), "--kind", "matching"]
    r = fund(*args, "--amount", amount, "--date", on, "--ref", ref, *extra, "--as", "fin1")
    assert r.exit_code == 0, r.stderr
    doc: dict = json.loads(r.stdout)
    return doc


def _approved_loan(fund: Fund, tmp_path: Path) -> int:
    _donate(fund)
    (fid,) = _submit(fund, tmp_path, [_loan(1)])
    assert fund("approve", str(fid), "--date", "2019-06-02", "--as", "fin1").exit_code == 0
    return fid


def test_approval_and_receipt_post_nothing_and_leave_net_assets_and_room(
    fund: Fund, tmp_path: Path
) -> None:
    _donate(fund)
    before_cap = _capacity(fund, "2019-06-01")
    (fid,) = _submit(fund, tmp_path, [_loan(1)])
    entries = _entries(fund)
    assert fund("approve", str(fid), "--date", "2019-06-02", "--as", "fin1").exit_code == 0
    assert _entries(fund) == entries  # no pledge entry
    doc = _record(fund, fid, "30000", "2019-06-05", "M-1", "--paid-by", "灵丘县财政局")
    assert (doc["received"], doc["required"], doc["through_fund"]) == (
        "30000.00",
        "30000.00",
        False,
    )
    assert doc["paid_by"] == "灵丘县财政局"
    assert _entries(fund) == entries  # no receipt entry
    tb = _tb(fund)
    assert tb["1214"] == 0 and tb["4101.02"] == 0 and tb["1002"] == 10_000_000_000
    cap = _capacity(fund, "2019-06-05")
    # net assets and the multiple room are the donation's alone; the loan's cash is reserved
    assert cap["net_assets_fen"] == before_cap["net_assets_fen"] == 10_000_000_000
    assert cap["leverage_room_fen"] == before_cap["leverage_room_fen"]
    assert cap["available_fen"] == before_cap["available_fen"] - PLEDGE  # type: ignore[operator]
    engine = make_engine(fund.url)
    with engine.connect() as conn:
        row = conn.execute(select(LocalSupport.__table__)).one()
    engine.dispose()
    assert (row.amount_fen, row.paid_by, row.through_fund, row.ref) == (
        PLEDGE,
        "灵丘县财政局",
        False,
        "M-1",
    )
    r = fund("disburse", str(fid), "--date", "2019-06-10", "--as", "fin2")
    assert r.exit_code == 0, r.stderr
    assert fund("ledger", "verify").exit_code == 0


def test_matching_through_the_fund_is_grant_income_held_then_passed_on(
    fund: Fund, tmp_path: Path
) -> None:
    fid = _approved_loan(fund, tmp_path)
    doc = _record(fund, fid, "30000", "2019-06-05", "M-9", "--through-fund")
    assert doc["through_fund"] is True
    tb = _tb(fund)
    assert (tb["1002"], tb["4201.02"]) == (10_000_000_000 + PLEDGE, PLEDGE)
    held = _capacity(fund, "2019-06-05")
    assert held["held_fen"] == PLEDGE
    # the project's money in the bank is not the fund's to commit
    assert held["available_fen"] == 10_000_000_000 - PLEDGE  # bank − commitment − held
    # the restriction shows as restricted income until passed on
    zh = fund("local-support", "pass-on", str(doc["id"]), "--date", "2019-06-04", "--as", "fin1")
    assert zh.exit_code == 1 and "2019-06-05" in zh.stderr
    r = fund(
        "--json", "local-support", "pass-on", str(doc["id"]), "--date", "2019-06-08", "--as", "fin1"
    )
    assert r.exit_code == 0, r.stderr
    out = json.loads(r.stdout)
    assert (out["amount"], out["facility"]) == ("30000.00", fid)
    tb = _tb(fund)
    assert (tb["1002"], tb["5101.05"], tb["3102"], tb["3101"]) == (
        10_000_000_000,
        PLEDGE,
        -PLEDGE,
        PLEDGE,
    )
    after = _capacity(fund, "2019-06-08")
    assert after["held_fen"] == 0 and after["available_fen"] == 10_000_000_000 - PLEDGE
    assert _capacity(fund, "2019-06-06")["held_fen"] == PLEDGE  # as of a day before
    refused(
        fund,
        ["local-support", "pass-on", str(doc["id"]), "--date", "2019-06-09", "--as", "fin1"],
        "support.already_passed_on",
        id=doc["id"],
        date="2019-06-08",
    )
    assert fund("ledger", "verify").exit_code == 0


def test_only_matching_received_through_the_fund_is_passed_on(fund: Fund, tmp_path: Path) -> None:
    fid = _approved_loan(fund, tmp_path)
    doc = _record(fund, fid, "10000", "2019-06-05", "M-2")
    args = ["local-support", "pass-on", str(doc["id"]), "--date", "2019-06-08", "--as", "fin1"]
    refused(fund, args, "support.not_through_fund", id=doc["id"])
    missing = ["local-support", "pass-on", "999", "--date", "2019-06-08", "--as", "fin1"]
    refused(fund, missing, "support.not_found", id=999)
    r = fund("local-support", "pass-on", str(doc["id"]), "--date", "2019-06-08", "--as", "fin1")
    assert "不是经基金账户收到的配套资金" in r.stderr  # Chinese by default


def test_a_register_record_in_a_closed_month_is_refused(fund: Fund, tmp_path: Path) -> None:
    fid = _approved_loan(fund, tmp_path)
    for month in ("2019-01", "2019-02", "2019-03", "2019-04", "2019-05", "2019-06"):
        assert fund("period", "close", month, "--as", "fin1").exit_code == 0, month
    args = [
        "local-support",
        "record",
        str(fid),
        "--kind",
        "matching",
        "--amount",
        "100",
        "--date",
        "2019-06-20",
        "--ref",
        "M-3",
        "--as",
        "fin1",
    ]
    refused(fund, args, "period.closed", month="2019-06")


def _old_books(fund: Fund, fid: int) -> None:
    """What the old rule posted for the facility: its pledge at approval and a receipt."""
    engine = make_engine(fund.url)
    with engine.begin() as conn:
        for kind, lines in (
            (
                EntryKind.MATCHING_PLEDGE,
                (
                    debit(chart.MATCHING_RECEIVABLE, PLEDGE),
                    credit(chart.DONATIONS_RESTRICTED, PLEDGE),
                ),
            ),
            (
                EntryKind.MATCHING_RECEIPT,
                (debit(chart.BANK, 1_000_000), credit(chart.MATCHING_RECEIVABLE, 1_000_000)),
            ),
        ):
            draft = EntryDraft(date(2019, 6, 2), kind, "fin1", lines, "facility", str(fid))
            journal.post(conn, draft)
    engine.dispose()


def test_migrate_reverses_the_old_postings_once_in_an_open_month(
    fund: Fund, tmp_path: Path
) -> None:
    fid = _approved_loan(fund, tmp_path)
    _old_books(fund, fid)
    r = fund("--lang", "en", "ledger", "verify")
    assert r.exit_code == 1 and "still holds" in r.output
    engine = make_engine(fund.url)
    with engine.connect() as conn:
        pledge = conn.scalar(
            select(JournalEntry.seq).where(JournalEntry.kind == EntryKind.MATCHING_PLEDGE)
        )
    engine.dispose()
    alone = ["ledger", "reverse", str(pledge), "--date", "2019-06-20", "--reason", "x"]
    refused(
        fund,
        [*alone, "--as", "fin1"],
        "ledger.reverse_use_command",
        seq=pledge,
        kind=EntryKind.MATCHING_PLEDGE,
        object=f"facility {fid}",
        command="fund local-support migrate --date …",
    )
    for month in ("2019-01", "2019-02", "2019-03", "2019-04", "2019-05", "2019-06"):
        assert fund("period", "close", month, "--as", "fin1").exit_code == 0, month
    june = fund(
        "--json",
        "statement",
        "fund",
        "--from",
        "2019-06-01",
        "--to",
        "2019-06-30",
        "--format",
        "csv",
        "--out",
        str(tmp_path / "june.csv"),
        "--as",
        "fin1",
    )
    assert june.exit_code == 0, june.stderr
    refused(
        fund,
        ["local-support", "migrate", "--date", "2019-06-30", "--as", "fin1"],
        "period.closed",
        month="2019-06",
    )
    as_county = ["local-support", "migrate", "--date", "2019-07-01", "--as", "lq"]
    refused(
        fund,
        as_county,
        "operator.role_refused",
        name="lq",
        role="county",
        action="local_support.record",
    )
    r = fund("--json", "local-support", "migrate", "--date", "2019-07-01", "--as", "fin1")
    assert r.exit_code == 0, r.stderr
    doc = json.loads(r.stdout)
    assert (doc["pledges"], doc["pledged"], doc["receipts"], doc["received"]) == (
        1,
        "30000.00",
        1,
        "10000.00",
    )
    engine = make_engine(fund.url)
    with engine.connect() as conn:
        undo = conn.execute(
            select(JournalEntry.business_date, JournalEntry.memo, JournalEntry.reverses_seq).where(
                JournalEntry.seq.in_(doc["entries"])
            )
        ).all()
        june_tb = {b.code: b.balance_fen for b in journal.balances(conn, date(2019, 6, 30))}
    engine.dispose()
    assert {(d, m) for d, m, _ in undo} == {(date(2019, 7, 1), MIGRATION_MEMO)}
    assert all(s is not None for _, _, s in undo)
    assert june_tb["1214"] == PLEDGE - 1_000_000  # the closed month is as it was
    tb = _tb(fund)
    assert (tb["1214"], tb["4101.02"], tb["1002"]) == (0, 0, 10_000_000_000)
    assert fund("ledger", "verify").exit_code == 0
    before = snapshot(make_engine(fund.url))
    again = json.loads(
        fund("--json", "local-support", "migrate", "--date", "2019-07-02", "--as", "fin1").stdout
    )
    assert (again["pledges"], again["receipts"], again["entries"]) == (0, 0, [])
    assert snapshot(make_engine(fund.url)) == before
    # the approval can still be cancelled: the reversed pledge is not reversed twice
    r = fund("cancel", str(fid), "--reason", "项目取消", "--date", "2019-07-03", "--as", "fin1")
    assert r.exit_code == 0, r.stderr


def test_the_register_migration_downgrades_and_upgrades_keeping_the_rows(
    fund: Fund, tmp_path: Path
) -> None:
    fid = _approved_loan(fund, tmp_path)
    _record(fund, fid, "10000", "2019-06-05", "M-5", "--paid-by", "县财政局")
    engine = make_engine(fund.url)
    with engine.begin() as conn:
        command.downgrade(schema.alembic_config(conn), "0012_amendments")
    with engine.connect() as conn:
        kept = conn.execute(text("SELECT facility_id, amount_fen, ref FROM local_support")).all()
    assert [tuple(r) for r in kept] == [(fid, 1_000_000, "M-5")]
    schema.upgrade(engine)
    with engine.connect() as conn:
        assert schema.check(conn).ok
        row = conn.execute(select(LocalSupport.__table__)).one()
    engine.dispose()
    assert (row.paid_by, row.through_fund, row.passed_on) == (None, False, None)


def test_cancel_is_refused_only_while_the_fund_holds_the_countys_money(
    fund: Fund, tmp_path: Path
) -> None:
    _donate(fund)
    kept, held = _submit(fund, tmp_path, [_loan(1), _loan(2)])
    for fid in (kept, held):
        assert fund("approve", str(fid), "--date", "2019-06-02", "--as", "fin1").exit_code == 0
    _record(fund, kept, "10000", "2019-06-05", "M-6")
    _record(fund, held, "10000", "2019-06-05", "M-7", "--through-fund")
    cancel = ["cancel", str(held), "--reason", "项目取消", "--date", "2019-06-06", "--as", "fin1"]
    refused(fund, cancel, "decision.matching_received", id=held)
    r = fund("cancel", str(kept), "--reason", "项目取消", "--date", "2019-06-06", "--as", "fin1")
    assert r.exit_code == 0, r.stderr
    assert _entries(fund) == 2  # the donation and the receipt through the fund


def test_matching_passed_on_is_income_and_cost_with_its_restriction_released(
    fund: Fund, tmp_path: Path
) -> None:
    fid = _approved_loan(fund, tmp_path)
    doc = _record(fund, fid, "30000", "2019-06-05", "M-8", "--through-fund")
    args = ["local-support", "pass-on", str(doc["id"]), "--date", "2019-06-08", "--as", "fin1"]
    assert fund(*args).exit_code == 0
    engine = make_engine(fund.url)
    with engine.connect() as conn:
        stmt = fund_statement(conn, "fin1", date(2019, 6, 1), date(2019, 6, 30))
    engine.dispose()
    acts = stmt.activities
    income = {x.code: x for x in acts.income}
    expenses = {x.code: x for x in acts.expenses}
    assert (income["4201.02"].restricted_fen, income["4201.02"].unrestricted_fen) == (PLEDGE, 0)
    assert expenses["5101.05"].unrestricted_fen == PLEDGE
    released = acts.restrictions_released
    assert (released.unrestricted_fen, released.restricted_fen) == (PLEDGE, -PLEDGE)
    # money in and out for the project: net assets, either column, do not move
    assert (
        acts.change_in_net_assets.unrestricted_fen,
        acts.change_in_net_assets.restricted_fen,
    ) == (
        0,
        0,
    )
    sheet = {x.code: x for x in stmt.balance_sheet.net_assets}
    assert sheet["3102"].closing_fen == sheet["3102"].opening_fen
