"""What every command shares: --db, --as, --json and --lang, and how results print.

The four options are accepted both before the subcommand (``fund --db X ledger
verify``) and after it (``fund ledger verify --db X``); a value given on the command
line wins over the environment (FUNDCORE_DB, FUNDCORE_OPERATOR, FUNDCORE_LANG).
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click
from sqlalchemy import Engine

from fundcore.domain.errors import FundError
from fundcore.store import schema
from fundcore.store.anchors import Place, place_for
from fundcore.store.db import (
    check_sqlite_file,
    check_url,
    create_sqlite_file,
    make_engine,
    resolve_url,
)
from fundcore.store.paths import sqlite_file

F = TypeVar("F", bound=Callable[..., Any])

_OPTIONS = {
    "db": ("--db", "FUNDCORE_DB", "Database URL (default: SQLite file fund.db here)."),
    "operator": ("--as", "FUNDCORE_OPERATOR", "The operator acting."),
    "json": ("--json", None, "Print one JSON document on stdout."),
    "lang": ("--lang", "FUNDCORE_LANG", "Language of messages: zh (default) or en."),
}


def _store(name: str) -> Callable[[click.Context, click.Parameter, Any], None]:
    def callback(ctx: click.Context, _param: click.Parameter, value: Any) -> None:
        if value not in (None, False):
            ctx.meta[f"fund.{name}"] = value

    return callback


def common_options(fn: F) -> F:
    """Add --db, --as, --json and --lang to a group or command."""
    for name, (flag, _env, help_) in reversed(_OPTIONS.items()):
        kwargs: dict[str, Any] = {"expose_value": False, "callback": _store(name), "help": help_}
        if name == "json":
            kwargs.update(is_flag=True, default=False)
        elif name == "lang":
            kwargs.update(type=click.Choice(["zh", "en"]), default=None)
        else:
            kwargs.update(default=None, metavar="NAME" if name == "operator" else "URL")
        fn = click.option(flag, f"fund_{name}", is_eager=True, **kwargs)(fn)
    return fn


def _setting(name: str) -> Any:
    ctx = click.get_current_context()
    value = ctx.meta.get(f"fund.{name}")
    env = _OPTIONS[name][1]
    if value is None and env:
        value = os.environ.get(env) or None
    return value


def lang() -> str:
    value = _setting("lang")
    return value if value in ("zh", "en") else "zh"


def want_json() -> bool:
    return bool(_setting("json"))


def operator() -> str | None:
    value = _setting("operator")
    return None if value is None else str(value)


def db_url() -> str:
    """The --db URL, refused if it is no URL or names a database fundcore does not run on."""
    url = resolve_url(_setting("db"))
    check_url(url)
    return url


def engine(*, require_schema: bool = True, create: bool = True) -> Engine:
    """The engine for --db; refuses a database that was never initialised or is behind.

    Only ``init`` and ``db upgrade`` may create a missing SQLite file (mode 0600); the
    read-only schema commands (``create=False``) look at an empty in-memory database
    instead. An existing SQLite file that is empty or not SQLite's is refused by every
    command: it is a damaged database, not a new one.
    """
    url = db_url()
    path = sqlite_file(url)
    if path is not None and not path.exists():
        if require_schema:
            raise FundError("db.not_initialised")
        if not create:
            return make_engine("sqlite://")
        create_sqlite_file(path)
    elif path is not None:
        check_sqlite_file(path)
    eng = make_engine(url)
    if require_schema:
        with eng.connect() as conn:
            if schema.current(conn) != schema.head_revision():
                raise FundError("db.not_initialised")
    return eng


def database_file() -> Path | None:
    """The SQLite file --db names (None for PostgreSQL): what no output may overwrite."""
    return sqlite_file(db_url())


def anchor_place() -> Place:
    """Where the signing key and the anchors file are: FUNDCORE_SIGNING_KEY and
    FUNDCORE_ANCHORS, else (SQLite) ``fund.db.signing-key`` and ``fund.db.anchors``."""
    return place_for(
        database_file(),
        os.environ.get("FUNDCORE_SIGNING_KEY") or None,
        os.environ.get("FUNDCORE_ANCHORS") or None,
    )


def emit(doc: dict[str, Any] | list[Any], human: str | Callable[[], str]) -> None:
    """Print ``doc`` as JSON with --json, else the human text."""
    if want_json():
        click.echo(json.dumps(doc, ensure_ascii=False, indent=2, default=str))
    else:
        click.echo(human() if callable(human) else human)


def t(zh: str, en: str) -> str:
    """Pick the text for the current language."""
    return en if lang() == "en" else zh
