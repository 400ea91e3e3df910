"""Backup and restore of the embedded SQLite database, with SQLite's online backup API.

The backup is a consistent copy taken while other commands may still be running (the
API copies pages under the database's own locks), made in a private file (mode 0600)
beside the target and put in place only once it verifies — SQLite's integrity check of
the file included, so a damaged database gives no backup. A restore refuses a file that
does not verify, then copies it over the target and verifies the result again.
PostgreSQL is backed up with its own tools: ``pg_dump -Fc`` and ``pg_restore`` (README).
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from fundcore.domain.errors import FundError, InputError, IntegrityBroken, RuleBroken
from fundcore.services import setup
from fundcore.store import paths
from fundcore.store.db import check_sqlite_file, create_sqlite_file, make_engine
from fundcore.store.uow import UnitOfWork
from fundcore.store.verify import Report, verify


def sqlite_path(url: str) -> Path:
    path = paths.sqlite_file(url)
    if path is None:
        raise RuleBroken("backup.sqlite_only")
    return path


def _verify_file(path: Path) -> Report:
    engine = make_engine(f"sqlite:///{path}")
    try:
        with UnitOfWork(engine, write=False) as uow:
            return verify(uow.conn)
    except sqlite3.DatabaseError as err:
        raise IntegrityBroken("db.damaged", detail=str(err)) from None
    finally:
        engine.dispose()


def _refuse_broken(code: str, file: Path, report: Report) -> FundError:
    """The refusal of a file that does not verify, with each problem found on a line."""
    return IntegrityBroken(code, file=str(file)).also([(p.code, p.params) for p in report.problems])


def _copy(source: Path, target: Path) -> None:
    try:
        with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
            src.backup(dst)
    except sqlite3.DatabaseError as err:  # pages SQLite cannot read
        raise IntegrityBroken("db.damaged", detail=str(err)) from None


def _guard(path: Path, operator: str | None) -> None:
    """Only an admin of the database copies it whole or replaces it."""
    engine = make_engine(f"sqlite:///{path}")
    try:
        setup.guard(engine, operator, "db.backup")
    finally:
        engine.dispose()


def backup(url: str, target: Path, operator: str | None = None) -> Report:
    """Copy the database at ``url`` into ``target`` (which must not exist); verify the copy.

    The copy is made in a private temporary file beside ``target`` and moved there only
    once it verifies, so a refused backup leaves nothing behind.
    """
    source = sqlite_path(url)
    if not source.exists():
        raise RuleBroken("db.not_initialised")
    check_sqlite_file(source)
    paths.check_place(target, source)
    if target.exists():
        raise InputError("backup.exists", file=str(target))
    _guard(source, operator)
    made = paths.private_temp(target)
    try:
        _copy(source, made)
        report = _verify_file(made)
        if not report.ok:
            raise _refuse_broken("backup.source_broken", source, report)
        paths.put_new(made, target)
    finally:
        for suffix in ("", *paths.COMPANIONS):
            Path(f"{made}{suffix}").unlink(missing_ok=True)
    return report


def restore(url: str, backup_file: Path, operator: str | None = None) -> Report:
    """Replace the database at ``url`` with ``backup_file`` after verifying both ends.

    An existing database is replaced only by one of its admins; restoring where there is
    no database yet (a new machine) is governed by the file system's permissions.
    """
    target = sqlite_path(url)
    if target.exists():
        check_sqlite_file(target)
        _guard(target, operator)
    if not backup_file.exists():
        raise InputError("backup.missing", file=str(backup_file))
    if target.exists() and os.path.samefile(target, backup_file):
        raise InputError("backup.same_file", file=str(backup_file))
    if not paths.is_sqlite_file(backup_file):
        raise IntegrityBroken("backup.not_sqlite", file=str(backup_file))
    checked = _verify_file(backup_file)
    if not checked.ok:
        raise _refuse_broken("backup.broken", backup_file, checked)
    if not target.exists():
        create_sqlite_file(target)
    _copy(backup_file, target)
    report = _verify_file(target)
    if not report.ok:
        raise IntegrityBroken("backup.restore_failed", file=str(target))
    return report
