"""``fund demo``: the whole programme, end to end, in a fresh SQLite database.

Donations bring the fund to 100,000,000 yuan; every county league gets its working
funds for 2019 and 2020; county leagues import application sheets (a few rows typed
wrong, reported by line and column, corrected and imported again); finance reviews,
refuses some with reasons and approves the rest (two approvals above 50,000 yuan,
never by the submitter); counties bring matching money or counter-guarantees; loans,
guarantees and grants are paid out with their schedules; borrowers repay month by
month, some late, a few never (claims, recoveries, write-offs); the books are closed
every month end; finally the ledger is verified and the statements are written.

Everything goes through the same services the ``fund`` commands use, under the same
rules, and is drawn from one seed: the same seed gives the same database and the same
statements, byte for byte.
"""

from __future__ import annotations

import random
from datetime import date
from pathlib import Path

from fundcore.demo import counties, intake, people, servicing, statements
from fundcore.demo.run import (
    ADMIN,
    AUDITOR,
    CASHIER,
    DONATIONS,
    REVIEWERS,
    START,
    WORKING_FUNDS,
    DemoConfig,
    DemoResult,
    Progress,
    Run,
    month_end,
    quiet,
)
from fundcore.demo.timeline import Timeline
from fundcore.domain.errors import InputError
from fundcore.services import donations, operators, registry, setup, working_funds
from fundcore.store import pii, pii_key, schema
from fundcore.store.db import create_sqlite_file, make_engine
from fundcore.store.verify import verify


def run(config: DemoConfig, progress: Progress = quiet) -> DemoResult:
    """Run the programme in ``config.out/fund.db`` (which must not exist yet)."""
    config.check()
    config.out.mkdir(parents=True, exist_ok=True)
    db = config.out / "fund.db"
    if db.exists():
        raise InputError("demo.exists", path=str(db))
    last = month_end(config.months - 1)
    create_sqlite_file(db)  # mode 0600, as fund init makes fund.db
    engine = make_engine(f"sqlite:///{db}")
    # the demo's own personal-data key, beside its fund.db whatever FUNDCORE_PII_KEY says
    pii.attach(engine, Path(f"{db}{pii_key.SUFFIX}"))
    pii.ensure_key(engine)
    seeds = random.Random(config.seed)
    names = ("register", "ids", *intake.STREAMS, *servicing.STREAMS)
    streams = {name: random.Random(seeds.randrange(2**32)) for name in names}
    demo = Run(
        config,
        engine,
        Timeline(last),
        DemoResult(db, START, last),
        counties.sample(config.counties, streams["register"]),
        progress,
        streams,
        people.Registry(streams["ids"]),
    )
    try:
        _set_up(demo)
        _schedule(demo)
        handlers = {
            "donation": lambda day, batch: _donations(demo, batch),
            "working_funds": lambda day, batch: _working_funds(demo, day, batch),
            **intake.handlers(demo),
        }
        with progress("programme", config.months) as bar:
            demo.timeline.run({**handlers, **servicing.handlers(demo, bar)})
        _finish(demo)
    finally:
        engine.dispose()
    return demo.result


def _set_up(demo: Run) -> None:
    schema.upgrade(demo.engine)
    with demo.uow() as uow:
        setup.load_reference_data(uow.conn, ADMIN)
        registry.import_register(uow.conn, ADMIN, demo.register, "fund demo")
        admin = operators.authorise(uow.conn, ADMIN, "operators.add")
        for name in (CASHIER, *REVIEWERS):
            operators.add(uow.conn, admin, name, "finance")
        operators.add(uow.conn, admin, AUDITOR, "auditor")
        for county in demo.register:
            operators.add(uow.conn, admin, intake.league(county.code), "county", county.code)
        uow.commit()


def _schedule(demo: Run) -> None:
    tl = demo.timeline
    for day, donor, yuan, purpose in DONATIONS:
        tl.at(
            day,
            "donation",
            donations.DonationIn(
                yuan * 100,
                donor,
                day,
                ref=f"DON-{day:%Y%m%d}",
                purpose=purpose if purpose != "foundation" else None,
                foundation_match=purpose == "foundation",
            ),
        )
    for day, year in WORKING_FUNDS:
        tl.at(day, "working_funds", year)
    intake.schedule(demo, START)
    for m in range(demo.config.months):
        tl.at(month_end(m), "close")


def _donations(demo: Run, batch: list[donations.DonationIn]) -> None:
    with demo.uow() as uow:
        for d in batch:
            donations.record(uow.conn, CASHIER, d)
            demo.counts["donations"] += 1
            demo.counts["donated_fen"] += d.amount_fen
        uow.commit()


def _working_funds(demo: Run, day: date, years: list[int]) -> None:
    with demo.uow() as uow:
        for year in years:
            out = working_funds.pay(uow.conn, CASHIER, year, day)
            demo.counts["working_fund_payments"] += out.paid
        uow.commit()


def _finish(demo: Run) -> None:
    with demo.engine.connect() as conn:
        report = verify(conn)
    demo.result.ledger_ok = report.ok
    demo.result.ledger_entries = report.entries
    demo.result.head_hash = report.head_hash
    if not report.ok:
        demo.result.surprises += [f"ledger: {p.code} {p.params}" for p in report.problems]
    with demo.progress("statements", 3) as bar:
        demo.result.statements = statements.compute(demo, AUDITOR, bar)
