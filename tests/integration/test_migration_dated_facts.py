"""Migration 0009 carries an existing fund's history over into dated facts.

A fund is run through the services at head (which write allocations and events as
they go); the migration is then taken back to 0008 and applied again, so that its
backfill must rebuild from the older records what the services wrote: every
allocation of every repayment, the schedule versions, claims, county shares,
write-offs and their undoing.
"""

from __future__ import annotations

from alembic import command
from sqlalchemy import Engine, select

from fundcore.store import schema
from fundcore.store.models import FacilityEvent, RepaymentAllocation
from tests.conftest import Fund
from tests.factories import disbursed, setup_fund


def _ok(fund: Fund, *args: str) -> None:
    r = fund(*args, "--as", "fin1", "--json")
    assert r.exit_code == 0, r.stderr


def _facts(engine: Engine) -> tuple[list[tuple], list[tuple]]:
    a, e = RepaymentAllocation, FacilityEvent
    with engine.connect() as conn:
        allocations = conn.execute(
            select(a.repayment_ref, a.version, a.no, a.facility_id, a.business_date,
                   a.due_date, a.principal_fen, a.interest_fen)
            .order_by(a.repayment_ref, a.version, a.no)
        ).all()  # fmt: skip
        events = conn.execute(
            select(e.facility_id, e.kind, e.business_date, e.amount_fen, e.version)
            .where(e.kind != "default")
            .order_by(e.facility_id, e.kind, e.business_date, e.amount_fen)
        ).all()
    return [tuple(r) for r in allocations], [tuple(r) for r in events]


def _history(engine: Engine, cli: Fund) -> None:
    setup_fund(engine)
    loan = disbursed(engine, 1, yuan=24_000, term=24)
    ahead = disbursed(engine, 2, yuan=24_000, term=24)
    guarantee = disbursed(engine, 3, kind="guarantee", yuan=100_000, term=24)
    written = disbursed(engine, 4, yuan=24_000, term=24)
    for k, (fid, on, amount) in enumerate(
        [
            (loan, "2019-07-10", "1000.00"),
            (loan, "2019-08-25", "1500.00"),  # late, and a little ahead
            (ahead, "2019-07-01", "5000.00"),  # before anything was due: prepaid
            (guarantee, "2019-07-10", "3000.00"),
        ]
    ):
        _ok(cli, "repay", str(fid), "--amount", amount, "--date", on, "--ref", f"R-{k}")
    _ok(cli, "close-day", "--through", "2019-09-30")
    _ok(cli, "restructure", str(loan), "--term", "18", "--reason", "flood", "--date", "2019-10-09")
    _ok(cli, "repay", str(loan), "--amount", "800.00", "--date", "2019-11-11", "--ref", "R-9")
    _ok(cli, "close-day", "--through", "2020-01-31")
    _ok(cli, "claims", "pay", str(guarantee), "--amount", "50000", "--date", "2020-02-10")
    _ok(cli, "write-off", str(written), "--reason", "gone", "--date", "2020-02-11")
    _ok(cli, "write-off", str(written), "--undo", "--reason", "found", "--date", "2020-02-12")


def test_the_backfill_rebuilds_what_the_services_wrote(engine: Engine, cli: Fund) -> None:
    _history(engine, cli)
    written = _facts(engine)
    kinds = {e[1] for e in written[1]}
    assert {"schedule", "claim", "write_off", "write_off_undo"} <= kinds
    assert any(e[4] == 2 for e in written[1])  # the restructuring's version
    with engine.begin() as conn:
        command.downgrade(schema.alembic_config(conn), "0008")
    schema.upgrade(engine)
    assert _facts(engine) == written
    with engine.connect() as conn:
        defaults = conn.execute(
            select(FacilityEvent.facility_id).where(FacilityEvent.kind == "default")
        ).all()
        assert schema.check(conn).ok
    assert defaults  # the facility left in default is dated by its last close
