"""Issue 16.2: ``--out`` never overwrites the database, its files, a backup or an anchors file.

Golden CLI tests on SQLite (the files protected are SQLite's): every statement command
and the application template refuse the live database, its ``-wal``/``-shm``, a file
named after it beside it (an anchors file), any SQLite database (a backup), also
through a symlink or a hard link; an existing file is replaced only with ``--force``;
a refusal leaves every file as it was and writes no half file. ``fund demo --force``
replaces only a folder the demo made, and checks its arguments before deleting.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli.main import fund as fund_cli
from fundcore.domain.errors import InputError
from fundcore.store import paths
from tests.cli.helpers import Typed, donate, ok
from tests.conftest import Fund

PERIOD = "--from 2019-01-01 --to 2019-12-31"


@pytest.fixture
def books(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Typed:
    """A SQLite fund in tmp_path (the working folder), with root, alice and one donation."""
    monkeypatch.chdir(tmp_path)
    typed = Typed(Fund("sqlite:///fund.db"))
    ok(typed("init --admin root"))
    ok(typed("operators add alice --role finance --as root"))
    donate(typed)
    return typed


def _refused(result, stderr: str) -> None:  # noqa: ANN001
    assert result.exit_code == 1, result.output
    assert result.stdout == ""
    assert result.stderr == stderr


def _files(folder: Path) -> dict[str, bytes]:
    """Every file but the database's own (SQLite checkpoints its WAL into it at will),
    and the database's ledger head and size of journal, which no refusal may change."""
    files = {
        p.name: p.read_bytes()
        for p in sorted(folder.iterdir())
        if p.is_file() and not p.name.startswith("fund.db")
    }
    db = folder / "fund.db"
    if db.exists() and db.read_bytes().startswith(paths.SQLITE_HEADER):
        doc = json.loads(Typed(Fund(f"sqlite:///{db}"))("--json ledger verify").stdout)
        files["fund.db"] = f"{doc['ok']} {doc['entries']} {doc['head_hash']}".encode()
    return files


STATEMENTS = [
    f"statement fund {PERIOD}",
    f"statement fund {PERIOD} --format xlsx",
    f"statement county 522631 {PERIOD}",
    "statement facility 1",
    "archive 1",
]


CASES = [(c, "fund.db") for c in STATEMENTS] + [
    (STATEMENTS[0], t) for t in ("fund.db-wal", "./fund.db-shm", "fund.db.anchors")
]


@pytest.mark.parametrize(("command", "target"), CASES)
def test_no_statement_is_written_over_the_database_or_its_files(
    books: Typed, tmp_path: Path, command: str, target: str
) -> None:
    before = _files(tmp_path)
    result = books(f"{command} --out {target} --force --as alice")
    _refused(
        result,
        f"不能写到 {Path(target)}：它是数据库 fund.db 本身或其附属文件（-wal、-shm、锚点等）；"
        "请换一个输出文件\n",
    )
    assert _files(tmp_path) == before


def test_the_database_is_seen_through_links_in_english(books: Typed, tmp_path: Path) -> None:
    (tmp_path / "soft.pdf").symlink_to(tmp_path / "fund.db")
    os.link(tmp_path / "fund.db", tmp_path / "hard.pdf")
    before = _files(tmp_path)
    for name in ("soft.pdf", "hard.pdf"):
        result = books(f"--lang en statement fund {PERIOD} --out {name} --force --as alice")
        _refused(
            result,
            f"cannot write to {name}: it is the database fund.db or one of its files (-wal, "
            "-shm, anchors…); choose another output file\n",
        )
    assert _files(tmp_path) == before


def test_a_backup_is_never_overwritten(books: Typed, tmp_path: Path) -> None:
    ok(books("backup keep.db --as root"))
    kept = (tmp_path / "keep.db").read_bytes()
    texts = {
        "zh": "不能覆盖 keep.db：它是一个数据库文件（备份或另一个基金的数据库）；"
        "请换一个输出文件\n",
        "en": "will not overwrite keep.db: it is a database file (a backup or another "
        "fund's database); choose another output file\n",
    }
    suffix = {
        "zh": "keep.db：文件类型应为 .csv / .xlsx\n",
        "en": "keep.db: the file type must be .csv / .xlsx\n",
    }
    for lang, text in texts.items():
        _refused(
            books(f"--lang {lang} statement facility 1 --out keep.db --force --as alice"), text
        )
        _refused(books(f"--lang {lang} applications template keep.db --force"), suffix[lang])
    assert (tmp_path / "keep.db").read_bytes() == kept


def test_an_existing_file_is_replaced_only_with_force(books: Typed, tmp_path: Path) -> None:
    (tmp_path / "s.pdf").write_bytes(b"mine")
    (tmp_path / "t.xlsx").write_bytes(b"mine")
    _refused(
        books(f"statement fund {PERIOD} --out s.pdf --as alice"),
        "s.pdf 已存在：换一个文件名，或加 --force 替换\n",
    )
    _refused(
        books("--lang en applications template t.xlsx"),
        "t.xlsx exists: choose another name, or add --force to replace it\n",
    )
    assert (tmp_path / "s.pdf").read_bytes() == b"mine"
    ok(books(f"statement fund {PERIOD} --out s.pdf --force --as alice"))
    assert (tmp_path / "s.pdf").read_bytes().startswith(b"%PDF")
    ok(books("applications template t.xlsx --force"))
    assert (tmp_path / "t.xlsx").read_bytes().startswith(b"PK")


def test_csv_files_are_each_checked_and_written_whole(books: Typed, tmp_path: Path) -> None:
    ok(books(f"statement fund {PERIOD} --format csv --out s.csv --as alice"))
    made = sorted(p.name for p in tmp_path.glob("s-*.csv"))
    assert made == ["s-counties.csv", "s-portfolio.csv", "s-provinces.csv"]
    before = _files(tmp_path)
    _refused(
        books(f"statement fund {PERIOD} --format csv --out s.csv --as alice"),
        "s-counties.csv 已存在：换一个文件名，或加 --force 替换\n",
    )
    assert _files(tmp_path) == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".fund-out-")]


def test_a_failed_render_leaves_no_half_file(
    books: Typed, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import reports

    def half(_stmt: object, path: Path, _lang: str) -> None:
        Path(path).write_bytes(b"%PDF-half")
        raise OSError("disk full")

    monkeypatch.setattr(reports, "render_fund_statement", half)
    (tmp_path / "s.pdf").write_bytes(b"old")
    result = books(f"statement fund {PERIOD} --out s.pdf --force --as alice")
    assert result.exit_code == 1 and "disk full" in result.stderr
    assert (tmp_path / "s.pdf").read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith("fund.db")) == [
        "s.pdf"
    ]


def test_a_missing_output_folder_is_named(books: Typed) -> None:
    """17.12: was ``内部错误…FileNotFoundError``."""
    _refused(
        books(f"statement fund {PERIOD} --out /nonexistent/dir/x.pdf --as alice"),
        "输出文件夹不存在：/nonexistent/dir（未写出 /nonexistent/dir/x.pdf）\n",
    )
    _refused(
        books("--lang en applications template /nonexistent/dir/t.csv"),
        "the output folder does not exist: /nonexistent/dir (/nonexistent/dir/t.csv not written)\n",
    )


def test_the_rule_compares_resolved_paths(tmp_path: Path) -> None:
    db = tmp_path / "fund.db"
    db.write_bytes(paths.SQLITE_HEADER)
    (tmp_path / "sub").mkdir()
    for name in ("fund.db", "sub/../fund.db", "fund.db-journal", "fund.db.anchors"):
        with pytest.raises(InputError) as refused:
            paths.refuse_protected(tmp_path / name, db)
        assert refused.value.code == "out.database"
    for name in ("fund.dbx", "other.pdf", "sub/fund.db.pdf"):
        paths.refuse_protected(tmp_path / name, db)  # not the database's


# --- fund demo --out DIR --force ----------------------------------------------------------


def _demo(*args: str) -> object:
    return CliRunner().invoke(fund_cli, ["demo", *args], catch_exceptions=False)


def test_demo_force_refuses_a_folder_holding_a_real_fund(books: Typed, tmp_path: Path) -> None:
    (tmp_path / "sheets").mkdir()
    (tmp_path / "sheets" / "mine.csv").write_text("mine")
    before = _files(tmp_path)
    for lang, text in [
        ("zh", f"{tmp_path} 中的数据库或申请表不是演示建立的（没有演示标记文件 .fundcore-demo）："
               "--force 只替换演示自己的目录，未删除任何内容；请换一个 --out 目录\n"),
        ("en", f"{tmp_path} holds a database or sheets the demo did not make (no "
               ".fundcore-demo marker): --force replaces only the demo's own folder, nothing "
               "was deleted; choose another --out folder\n"),
    ]:  # fmt: skip
        result = _demo("--lang", lang, "--out", str(tmp_path), "--force")
        _refused(result, text)  # type: ignore[arg-type]
    assert _files(tmp_path) == before
    assert (tmp_path / "sheets" / "mine.csv").read_text() == "mine"
    assert not (tmp_path / ".fundcore-demo").exists()


def test_demo_checks_its_arguments_before_deleting_anything(tmp_path: Path) -> None:
    out = tmp_path / "demo"
    out.mkdir()
    (out / ".fundcore-demo").write_text("made by fund demo\n")
    (out / "fund.db").write_bytes(paths.SQLITE_HEADER)
    result = _demo("--months", "3", "--out", str(out), "--force")
    _refused(result, "演示规模无效：--months 应在 6 到 60 之间\n")  # type: ignore[arg-type]
    assert (out / "fund.db").read_bytes() == paths.SQLITE_HEADER


def test_demo_marks_the_folder_it_makes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from fundcore.demo import programme  # imported by ``fund demo`` when it runs

    def stop(config: object, _progress: object) -> None:
        raise OSError("stopped after the folder was prepared")

    monkeypatch.setattr(programme, "run", stop)
    out = tmp_path / "demo"
    result = _demo("--out", str(out))
    assert result.exit_code == 1  # type: ignore[attr-defined]
    assert (out / ".fundcore-demo").is_file()
    (out / "fund.db").write_bytes(b"an earlier demo's database")
    (out / "sheets").mkdir()
    result = _demo("--out", str(out), "--force")
    assert result.exit_code == 1  # type: ignore[attr-defined]
    assert not (out / "fund.db").exists() and not (out / "sheets").exists()
