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
from collections import Counter
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from dateutil.relativedelta import relativedelta
from sqlalchemy import Engine

from fundcore.demo import counties, intake, people, servicing, statements
from fundcore.demo.timeline import Timeline
from fundcore.domain.counties import CountyRow
from fundcore.domain.errors import InputError
from fundcore.services import donations, operators, registry, working_funds
from fundcore.store import schema
from fundcore.store.db import make_engine
from fundcore.store.uow import UnitOfWork
from fundcore.store.verify import verify

START = date(2019, 1, 1)
ADMIN, CASHIER, REVIEWERS, AUDITOR = "admin", "cashier", ("reviewer1", "reviewer2"), "auditor"
#: (date, donor, yuan, restricted purpose or None): 100,000,000 yuan in all [000 五(一)]
DONATIONS = (
    (date(2019, 1, 15), "联合劝募（首期）", 30_000_000, None),
    (date(2019, 2, 20), "配捐（中国青年创业就业基金会）", 20_000_000, "深度贫困地区青年创业就业"),
    (date(2019, 3, 18), "爱心企业联合捐赠", 25_000_000, "深度贫困地区青年创业就业"),
    (date(2019, 4, 22), "联合劝募（二期）", 15_000_000, None),
    (date(2019, 5, 20), "社会公众网络募捐", 10_000_000, None),
)
WORKING_FUNDS = ((date(2019, 3, 15), 2019), (date(2020, 3, 16), 2020))
Bar = Callable[[int], None]
Progress = Callable[[str, int], AbstractContextManager[Bar]]


def quiet(_label: str, _total: int) -> AbstractContextManager[Bar]:
    return nullcontext(lambda _n: None)


@dataclass(frozen=True)
class DemoConfig:
    out: Path
    counties: int = 24
    youth: int = 2_000
    months: int = 36
    seed: int = 2019
    lang: str = "zh"

    def check(self) -> None:
        for what, value, low, high in (
            ("--counties", self.counties, 1, counties.PROGRAMME_COUNTIES),
            ("--youth", self.youth, 10, 200_000),
            ("--months", self.months, 6, 60),
        ):
            if not low <= value <= high:
                raise InputError("demo.bad_size", what=what, low=low, high=high)


@dataclass
class DemoResult:
    database: Path
    first_day: date
    last_day: date
    counts: Counter = field(default_factory=Counter)
    #: every bad sheet row, as the county league was told (line, column, reason)
    import_problems: list[str] = field(default_factory=list)
    #: anything refused that the demo did not mean to be refused (should stay empty)
    surprises: list[str] = field(default_factory=list)
    #: the statements to render (kind, model, file), computed as the auditor reads them
    statements: list[Any] = field(default_factory=list)
    ledger_ok: bool = False
    ledger_entries: int = 0
    head_hash: str = ""


@dataclass
class Run:
    """What a demo run carries from one event to the next."""

    config: DemoConfig
    engine: Engine
    timeline: Timeline
    result: DemoResult
    register: list[CountyRow]
    progress: Progress
    #: one random stream per concern, so a change in one leaves the others as they were
    streams: dict[str, random.Random]
    ids: people.Registry
    cashier: str = CASHIER
    reviewers: tuple[str, str] = REVIEWERS
    defaulted: set[int] = field(default_factory=set)

    def uow(self) -> UnitOfWork:
        return UnitOfWork(self.engine)

    @property
    def counts(self) -> Counter:
        return self.result.counts


def month_end(m: int) -> date:
    return START + relativedelta(months=m, day=31)


def run(config: DemoConfig, progress: Progress = quiet) -> DemoResult:
    """Run the programme in ``config.out/fund.db`` (which must not exist yet)."""
    config.check()
    config.out.mkdir(parents=True, exist_ok=True)
    db = config.out / "fund.db"
    if db.exists():
        raise InputError("demo.exists", path=str(db))
    last = month_end(config.months - 1)
    engine = make_engine(f"sqlite:///{db}")
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
        schema.load_reference_data(uow.conn, ADMIN)
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
            donations.DonationIn(yuan * 100, donor, day, purpose, f"DON-{day:%Y%m}"),
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
