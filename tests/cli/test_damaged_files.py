"""Issue 16.3 and 17.13: a damaged or empty database file is noticed; files are made 0600.

SQLite only (``PRAGMA integrity_check`` and file modes are the SQLite file's). The attack
of the issue: 4 KB overwritten in the middle of ``fund.db`` passed ``ledger verify``,
``backup`` and ``restore``. A zero-byte ``fund.db`` was taken as a new fund, on which
``init --admin`` made a new admin.
"""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from tests.cli.helpers import Typed, donate, ok
from tests.conftest import Fund

ZH_DAMAGED = "数据库文件未通过 SQLite 完整性检查（PRAGMA integrity_check，"
EN_DAMAGED = "the database file fails SQLite's integrity check (PRAGMA integrity_check, "


@pytest.fixture
def books(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Typed:
    monkeypatch.chdir(tmp_path)
    typed = Typed(Fund("sqlite:///fund.db"))
    ok(typed("init --admin root"))
    ok(typed("operators add alice --role finance --as root"))
    for day in range(1, 25):
        donate(typed, "1000", on=f"2019-03-{day:02d}")
    return typed


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _overwrite_middle(path: Path) -> None:
    """4 KB of the middle page of ``path`` replaced by other bytes, as in the attack."""
    size = path.stat().st_size
    with path.open("r+b") as fh:
        fh.seek(size // 2 // 4096 * 4096)
        fh.write(bytes(range(256)) * 16)


def _damaged_copy(books: Typed, tmp_path: Path) -> Path:
    ok(books("backup copy.db --as root"))
    copy = tmp_path / "copy.db"
    _overwrite_middle(copy)
    return copy


def test_init_makes_the_database_and_its_journal_0600(tmp_path: Path) -> None:
    ok(Typed(Fund(f"sqlite:///{tmp_path / 'fund.db'}"))("init --admin root"))
    made = sorted(p.name for p in tmp_path.iterdir())
    assert "fund.db" in made
    assert {p.name: _mode(p) for p in tmp_path.iterdir()} == {name: 0o600 for name in made}


def test_a_backup_is_made_0600_and_only_once_it_verifies(books: Typed, tmp_path: Path) -> None:
    ok(books("backup b.db --as root"))
    assert _mode(tmp_path / "b.db") == 0o600
    assert not [p for p in tmp_path.iterdir() if p.suffix == ".tmp"]


def test_verify_names_a_physically_damaged_file(books: Typed, tmp_path: Path) -> None:
    copy = _damaged_copy(books, tmp_path)
    damaged = Typed(Fund(f"sqlite:///{copy}"))
    for lang, start in (("zh", ZH_DAMAGED), ("en", EN_DAMAGED)):
        result = damaged(f"--lang {lang} --json ledger verify")
        assert result.exit_code == 1, result.output
        assert result.stderr.startswith(start), result.stderr
        assert "fund restore" in result.stderr and "Traceback" not in result.output
        problems = [p["code"] for p in json.loads(result.stdout)["problems"]]
        assert problems == ["verify.file_damaged"]


def test_backup_refuses_a_damaged_database_and_writes_nothing(books: Typed, tmp_path: Path) -> None:
    copy = _damaged_copy(books, tmp_path)
    result = Typed(Fund(f"sqlite:///{copy}"))("--lang en backup b2.db --as root")
    assert result.exit_code == 1, result.output
    lines = result.stderr.splitlines()
    assert lines[0] in (
        f"the database does not verify, no backup made (no file written): {copy}",
        # pages too broken for SQLite's backup API to read at all
        "the database file is damaged and cannot be read (database disk image is "
        "malformed); run fund ledger verify and restore a backup with fund restore",
    )
    assert not (tmp_path / "b2.db").exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".b2.db")]


def test_restore_refuses_a_damaged_backup(books: Typed, tmp_path: Path) -> None:
    copy = _damaged_copy(books, tmp_path)
    before = (tmp_path / "fund.db").read_bytes()
    result = books(f"restore {copy} --yes --as root")
    assert result.exit_code == 1, result.output
    assert result.stderr.splitlines()[0] == f"备份文件未通过账簿校验，不能使用：{copy}"
    assert result.stderr.splitlines()[1].startswith(ZH_DAMAGED)
    assert (tmp_path / "fund.db").read_bytes() == before


ZH_EMPTY = (
    "数据库文件是空的（0 字节），不是新的基金，可能已损坏：fund.db；请把它移走（留作检查），"
    "再用 fund restore 从备份恢复，或确属新建时用 fund init 新建\n"
)
EN_EMPTY = (
    "the database file is empty (0 bytes): not a new fund, it may be damaged: fund.db; move "
    "it aside (keep it for inspection), then restore a backup with fund restore, or run "
    "fund init if a new fund is meant\n"
)


EVERY_KIND = [
    "init --admin mallory", "db upgrade --as root", "db current", "ledger verify",
    "operators list", "backup b2.db --as root", "restore b.db --yes --as root",
]  # fmt: skip


def test_a_zero_byte_database_is_refused_by_every_command(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    fund = Typed(Fund("sqlite:///fund.db"))
    ok(fund("init --admin root"))
    ok(fund("backup b.db --as root"))
    (tmp_path / "fund.db").write_bytes(b"")
    for command in EVERY_KIND:
        for lang, text in (("zh", ZH_EMPTY), ("en", EN_EMPTY)):
            result = fund(f"--lang {lang} {command}")
            assert (result.exit_code, result.stdout, result.stderr) == (1, "", text), command
    assert (tmp_path / "fund.db").read_bytes() == b""
    assert not (tmp_path / "b2.db").exists()


def test_a_file_that_is_not_sqlite_is_refused(tmp_path: Path) -> None:
    (tmp_path / "notes.db").write_text("not a database\n")
    result = Typed(Fund(f"sqlite:///{tmp_path / 'notes.db'}"))("--lang en init --admin root")
    assert (result.exit_code, result.stderr) == (
        1,
        f"not a SQLite database file (wrong header), it may be damaged: {tmp_path}/notes.db\n",
    )
