"""Backup and restore of the embedded SQLite database, with SQLite's online backup API.

The backup is a consistent copy taken while other commands may still be running (the
API copies pages under the database's own locks). A restore refuses a file whose ledger
does not verify, then copies it over the target and verifies the result again.
PostgreSQL is backed up with its own tools: ``pg_dump -Fc`` and ``pg_restore`` (README).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy.engine import make_url

from fundcore.domain.errors import InputError, IntegrityBroken, RuleBroken
from fundcore.services import setup
from fundcore.store.db import make_engine
from fundcore.store.uow import UnitOfWork
from fundcore.store.verify import Report, verify


def sqlite_path(url: str) -> Path:
    parsed = make_url(url)
    if (
        parsed.get_backend_name() != "sqlite"
        or not parsed.database
        or parsed.database == ":memory:"
    ):
        raise RuleBroken("backup.sqlite_only")
    return Path(parsed.database)


def _verify_file(path: Path) -> Report:
    engine = make_engine(f"sqlite:///{path}")
    try:
        with UnitOfWork(engine, write=False) as uow:
            return verify(uow.conn)
    finally:
        engine.dispose()


def _guard(path: Path, operator: str | None) -> None:
    """Only an admin of the database copies it whole or replaces it."""
    engine = make_engine(f"sqlite:///{path}")
    try:
        setup.guard(engine, operator, "db.backup")
    finally:
        engine.dispose()


def backup(url: str, target: Path, operator: str | None = None) -> Report:
    """Copy the database at ``url`` into ``target`` (which must not exist); verify the copy."""
    source = sqlite_path(url)
    if not source.exists():
        raise RuleBroken("db.not_initialised")
    _guard(source, operator)
    if target.exists():
        raise InputError("backup.exists", file=str(target))
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    report = _verify_file(target)
    if not report.ok:
        target.unlink()
        raise IntegrityBroken("backup.broken", file=str(target))
    return report


def restore(url: str, backup_file: Path, operator: str | None = None) -> Report:
    """Replace the database at ``url`` with ``backup_file`` after verifying both ends.

    An existing database is replaced only by one of its admins; restoring where there is
    no database yet (a new machine) is governed by the file system's permissions.
    """
    target = sqlite_path(url)
    if target.exists():
        _guard(target, operator)
    if not backup_file.exists():
        raise InputError("backup.missing", file=str(backup_file))
    if not _verify_file(backup_file).ok:
        raise IntegrityBroken("backup.broken", file=str(backup_file))
    with sqlite3.connect(backup_file) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    report = _verify_file(target)
    if not report.ok:
        raise IntegrityBroken("backup.restore_failed", file=str(target))
    return report
