"""The demo's folder: the demo marks a folder it makes its fund in, and replaces only such.

``fund demo --out DIR --force`` deletes the fund of an earlier demo in DIR. Before
anything is deleted every argument is checked, and DIR must carry the demo's marker
file: a folder holding a fund the demo did not make (a real ``fund.db``) is refused.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from fundcore.demo.run import DemoConfig
from fundcore.domain.errors import InputError
from fundcore.store import paths, pii_key

#: the file the demo leaves in a folder it made its fund in
MARKER = ".fundcore-demo"
_MARKER_TEXT = (
    "This folder and its fund.db were made by `fund demo`; "
    "`fund demo --out <this folder> --force` may replace them.\n"
)


def prepare(config: DemoConfig, force: bool) -> None:
    """Check the arguments, clear an earlier demo's fund if forced, and mark the folder."""
    config.check()
    out = config.out
    if out.exists() and not out.is_dir():
        raise InputError("demo.not_folder", path=str(out))
    database = out / "fund.db"
    earlier = [p for p in _database_files(database) if p.exists()]
    if earlier and not force:
        raise InputError("demo.exists", path=str(database))
    if force:
        _clear(out, earlier)
    out.mkdir(parents=True, exist_ok=True)
    (out / MARKER).write_text(_MARKER_TEXT, encoding="utf-8")


def is_demo_folder(out: Path) -> bool:
    return (out / MARKER).is_file()


def _database_files(database: Path) -> list[Path]:
    """The demo fund's files: its database, SQLite's companions, its personal-data key."""
    suffixes = ("", *paths.COMPANIONS, pii_key.SUFFIX)
    return [Path(f"{database}{suffix}") for suffix in suffixes]


def _clear(out: Path, earlier: list[Path]) -> None:
    """Delete an earlier demo's database and sheets — only in a folder the demo made."""
    sheets = out / "sheets"
    if not earlier and not sheets.exists():
        return
    if not is_demo_folder(out):
        raise InputError("demo.not_ours", path=str(out))
    for path in earlier:
        path.unlink(missing_ok=True)
    shutil.rmtree(sheets, ignore_errors=True)
