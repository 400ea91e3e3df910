"""Running ``fund`` as typed, and the assertions the CLI tests share."""

from __future__ import annotations

import json
import shlex
from pathlib import Path
from typing import Any

from click.testing import Result
from sqlalchemy import Engine, insert, inspect, select
from sqlalchemy.engine import make_url

from fundcore.messages import render
from fundcore.store.db import make_engine
from fundcore.store.models import County
from tests.conftest import Fund, snapshot


class Typed:
    """``fund`` given one command line, split as a shell would (``--db`` is added first)."""

    def __init__(self, cli: Fund) -> None:
        self.cli = cli
        self.url = cli.url

    def __call__(self, line: str, env: dict[str, str] | None = None) -> Result:
        return self.cli(*shlex.split(line), env=env)


def ok(result: Result) -> Result:
    """The command succeeded; returns it for further checks."""
    assert result.exit_code == 0, result.output
    return result


def as_json(result: Result) -> Any:
    """The one JSON document a successful --json command printed."""
    return json.loads(ok(result).stdout)


def refused(result: Result, code: str, lang: str = "zh", /, **params: object) -> Result:
    """Exit 1, nothing on stdout, and exactly the rendered message as the one stderr line."""
    expected = render(code, params, lang)
    assert result.exit_code == 1, (result.exit_code, result.output)
    assert result.stdout == "", result.stdout
    assert result.stderr.splitlines() == [expected], (result.stderr, expected)
    assert "Traceback" not in result.output, result.output
    return result


def refused_unchanged(
    fund: Typed, eng: Engine, line: str, code: str, lang: str = "zh", /, **params: object
) -> Result:
    """``fund line`` is refused with ``code`` and not one row of the database changed."""
    before = snapshot(eng)
    result = refused(fund(line), code, lang, **params)
    assert snapshot(eng) == before, "a refused command changed the database"
    return result


def donate(fund: Typed, amount: str = "500000", extra: str = "", on: str = "2019-03-01") -> Result:
    """alice records a donation from 某公司; it must succeed."""
    line = f"donations record --amount {amount} --donor 某公司 --date {on} --as alice {extra}"
    return ok(fund(line))


def balances(fund: Typed, extra: str = "") -> dict[str, dict[str, Any]]:
    """The trial balance's accounts by code, from --json."""
    doc = as_json(fund(f"--json ledger trial-balance {extra}"))
    return {a["code"]: a for a in doc["accounts"]}


def entries(fund: Typed) -> int:
    """How many journal entries ``ledger verify`` counts."""
    return as_json(fund("--json ledger verify"))["entries"]


def add_county(eng: Engine, code: str = "522631", name: str = "黎平县") -> None:
    """Put a county in the register (a no-op if it is there already)."""
    with eng.begin() as conn:
        if conn.scalar(select(County.code).where(County.code == code)) is not None:
            return
        row = {"code": code, "name": name, "province": "贵州省",
               "prefecture": "黔东南苗族侗族自治州", "category": "national"}  # fmt: skip
        conn.execute(insert(County.__table__).values(row))


def nothing_created(url: str) -> bool:
    """No SQLite file on disk, or no table in the PostgreSQL schema."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return not Path(parsed.database or "").exists()
    engine = make_engine(url)
    try:
        return inspect(engine).get_table_names() == []
    finally:
        engine.dispose()
