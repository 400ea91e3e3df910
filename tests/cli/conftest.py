"""Fixtures for the CLI tests: ``fund`` typed as at a prompt, on each backend.

``fund`` runs on an empty database; ``ready`` on one set up the way a user would:
``fund init --admin root``, then ``alice`` (finance) and ``audrey`` (auditor) added by
root. ``eng`` is an engine on the same database, for ``snapshot`` and for the odd row
no command creates yet (a county in the register).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine

from fundcore.store.db import make_engine
from tests.cli.helpers import Typed, ok
from tests.conftest import Fund


@pytest.fixture
def fund(cli: Fund) -> Typed:
    """``fund`` on an empty database (not initialised)."""
    return Typed(cli)


@pytest.fixture
def ready(fund: Typed) -> Typed:
    """``fund`` on an initialised database with root (admin), alice (finance), audrey (auditor)."""
    ok(fund("init --admin root"))
    ok(fund("operators add alice --role finance --as root"))
    ok(fund("operators add audrey --role auditor --as root"))
    return fund


@pytest.fixture
def eng(cli: Fund) -> Iterator[Engine]:
    """An engine on the same database (connects lazily, so it creates no SQLite file)."""
    engine = make_engine(cli.url)
    yield engine
    engine.dispose()
