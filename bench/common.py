"""Timing helpers shared by the benchmarks."""

from __future__ import annotations

import resource
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")
SHARED_COUNTIES = Path(__file__).resolve().parents[2] / "shared" / "data" / "counties-832.csv"


@contextmanager
def timer(results: dict[str, float], name: str) -> Iterator[None]:
    start = time.perf_counter()
    yield
    results[name] = time.perf_counter() - start


def best_of(n: int, fn: Callable[[], T]) -> float:
    """The fastest of n runs (the least disturbed by the rest of the machine)."""
    times = []
    for _ in range(n):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def registered_fund(url: str, roles: dict[str, str]):  # noqa: ANN201
    """A migrated fund at ``url`` with the 832 counties registered and these operators
    (name -> role); its engine."""
    from fundcore.domain.counties import CountyRow
    from fundcore.services import operators, registry, setup
    from fundcore.store import pii, schema
    from fundcore.store.db import make_engine
    from fundcore.store.uow import UnitOfWork

    engine = make_engine(url)
    pii.ensure_key(engine)
    schema.upgrade(engine)
    with UnitOfWork(engine) as uow:
        setup.load_reference_data(uow.conn, "root")
        rows = [CountyRow(c, n, p, None, "national") for c, n, p in county_codes()]
        registry.import_register(uow.conn, "root", rows, "bench")
        for name, role in roles.items():
            operators.add(uow.conn, None, name, role)
        uow.commit()
    return engine


def county_codes(limit: int | None = None) -> list[tuple[str, str, str]]:
    """(code, name, province) of the 832 counties, or of the shipped sample without shared/."""
    from fundcore.intake.register import SAMPLE_REGISTER

    path = SHARED_COUNTIES if SHARED_COUNTIES.exists() else SAMPLE_REGISTER
    rows = [line.split(",") for line in path.read_text(encoding="utf-8").splitlines()[1:]]
    return [(r[0], r[1], r[2]) for r in rows][:limit]
