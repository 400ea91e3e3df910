"""What a demo run is: its configuration, its result, and the state carried from one
business event to the next (``Run``), shared by the demo's intake, servicing and
statements without importing the programme that drives them.
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

from fundcore.demo import counties, people
from fundcore.demo.timeline import Timeline
from fundcore.domain.counties import CountyRow
from fundcore.domain.errors import InputError
from fundcore.store.uow import UnitOfWork

START = date(2019, 1, 1)
ADMIN, CASHIER, REVIEWERS, AUDITOR = "admin", "cashier", ("reviewer1", "reviewer2"), "auditor"
#: (date, donor, yuan, purpose code, "foundation" for the Foundation's own 配捐, or None):
#: 100,000,000 yuan in all [000 五(一)]; each restricted gift is spent on its purpose, so
#: restricted net assets fall as grants, working funds, write-offs and provisions are made
DONATIONS = (
    (date(2019, 1, 15), "联合劝募（首期）", 29_000_000, None),
    (date(2019, 2, 20), "配捐（中国青年创业就业基金会）", 20_000_000, "foundation"),
    (date(2019, 3, 1), "县域青年工作专项捐赠", 1_000_000, "working_funds"),
    (date(2019, 3, 18), "爱心企业联合捐赠", 25_000_000, "loan"),
    (date(2019, 4, 22), "联合劝募（二期）", 15_000_000, "guarantee"),
    (date(2019, 5, 20), "社会公众网络募捐", 10_000_000, "grant"),
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
