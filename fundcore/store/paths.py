"""Where a file fundcore is asked to write (``--out``, a backup) may go, and how it is written.

The rule, for every output: it never lands on the live database's own files — the
database, its ``-wal``, ``-shm`` and ``-journal``, or any file beside it named after it
(``fund.db.anchors``, ``fund.db.signing-key``, ``fund.db.bak``…) — nor on any SQLite
database at all (a backup, another fund), nor on an anchors file or a private key
wherever they are kept (recognised by how they start). Paths are compared resolved
(``os.path.realpath``) and, where the file exists, by identity (``os.path.samefile``),
so neither a symlink nor a hard link gets round it. An existing file is replaced only
when the user said ``--force``.

A file is written under a temporary name in the same directory and moved into place
with ``os.replace``, so a failure leaves the old file or none, never half of one.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy.engine import make_url

from fundcore.domain.errors import InputError

#: the first 16 bytes of every SQLite database file
SQLITE_HEADER = b"SQLite format 3\x00"
#: files SQLite keeps beside a database while it is in use
COMPANIONS = ("-wal", "-shm", "-journal")
#: how the files that anchor the ledger start, wherever they are kept: an anchors file
#: (``store.anchors``) and the PEM private key that signs it (``store.keys``)
ANCHOR_HEADERS = (b'{"fundcore_anchors"', b"-----BEGIN PRIVATE KEY-----")


def sqlite_file(url: str) -> Path | None:
    """The file a SQLite URL names (None for PostgreSQL or an in-memory database)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database)


def is_sqlite_file(path: Path) -> bool:
    """True if ``path`` is a file that starts as a SQLite database does."""
    try:
        with path.open("rb") as fh:
            return fh.read(len(SQLITE_HEADER)) == SQLITE_HEADER
    except OSError:
        return False


def _same(a: Path, b: Path) -> bool:
    if os.path.realpath(a) == os.path.realpath(b):
        return True
    try:
        return os.path.samefile(a, b)
    except OSError:  # one of them does not exist: the resolved paths said it all
        return False


def _belongs_to_database(path: Path, database: Path) -> bool:
    """``path`` is the database, one of its companions, or a file named after it beside it."""
    if any(_same(path, Path(f"{database}{suffix}")) for suffix in ("", *COMPANIONS)):
        return True
    real, db = Path(os.path.realpath(path)), Path(os.path.realpath(database))
    rest = real.name[len(db.name) :]
    return real.parent == db.parent and real.name.startswith(db.name) and rest[:1] in ("-", ".")


def refuse_protected(path: Path, database: Path | None) -> None:
    """Refuse ``path`` as an output if it is the database's or any SQLite database."""
    if database is not None and _belongs_to_database(path, database):
        raise InputError("out.database", file=str(path), database=str(database))
    if path.is_file() and is_sqlite_file(path):
        raise InputError("out.sqlite", file=str(path))
    if path.is_file() and _starts_with(path, ANCHOR_HEADERS):
        raise InputError("out.anchors", file=str(path))


def _starts_with(path: Path, heads: tuple[bytes, ...]) -> bool:
    try:
        with path.open("rb") as fh:
            start = fh.read(max(len(h) for h in heads))
    except OSError:
        return False
    return any(start.startswith(h) for h in heads)


def check_target(path: Path, database: Path | None, *, force: bool) -> None:
    """``path`` may be written: not protected, its folder exists, and it is new or forced."""
    check_place(path, database)
    if path.exists() and not force:
        raise InputError("out.exists", file=str(path))


def check_place(path: Path, database: Path | None) -> None:
    """``path`` is not protected, is no folder, and its folder exists and may be written."""
    refuse_protected(path, database)
    if path.is_dir():
        raise InputError("out.is_dir", file=str(path))
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise InputError("out.no_folder", folder=str(folder), file=str(path))
    if not os.access(folder, os.W_OK):
        raise InputError("out.not_writable", folder=str(folder))


@contextmanager
def written(out: Path, database: Path | None, *, force: bool) -> Iterator[Path]:
    """The path to write ``out`` at; on success every file written there is moved into place.

    The body writes ``out``'s name (and may write siblings of it, as the CSV export does)
    in a private folder beside ``out``; each file made is checked with ``check_target``
    and then moved over its target with ``os.replace``. On any failure nothing moves.
    """
    check_place(out, database)
    folder = out.parent if str(out.parent) else Path(".")
    staging = Path(tempfile.mkdtemp(prefix=".fund-out-", dir=folder))
    try:
        yield staging / out.name
        moves = [(made, folder / made.name) for made in sorted(staging.iterdir())]
        for _, target in moves:
            check_target(target, database, force=force)
        for made, target in moves:
            os.replace(made, target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def private_temp(beside: Path) -> Path:
    """A new empty file readable by its owner only (0600), in ``beside``'s folder."""
    folder = beside.parent if str(beside.parent) else Path(".")
    fd, name = tempfile.mkstemp(prefix=f".{beside.name}.", suffix=".tmp", dir=folder)
    os.close(fd)
    return Path(name)


def put_new(made: Path, target: Path) -> None:
    """Move ``made`` to ``target``, which must not exist (refused if it appeared meanwhile)."""
    try:
        os.link(made, target)
    except FileExistsError:
        raise InputError("out.exists", file=str(target)) from None
    except OSError:  # a file system without hard links: check, then move
        if target.exists():
            raise InputError("out.exists", file=str(target)) from None
        os.replace(made, target)
        return
    made.unlink()
