"""Issue 16.8 and 17.12: what a user gets wrong is told in one clear line, never "internal error".

Each case was an ``内部错误`` (a Python exception's text) on main: a lone surrogate in
an argument (bytes that were not UTF-8) gave ``UnicodeEncodeError``; a facility number
beyond 64 bits ``OverflowError``; ``applications template t.txt`` ``ValueError``;
``--db mysql://x`` ``ModuleNotFoundError``. Now: a reason naming the problem, exit 1
(2 for click's own range check), nothing written.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from fundcore.store.db import make_engine
from tests.cli.helpers import Typed, ok
from tests.conftest import Fund, snapshot


@pytest.fixture
def books(sqlite_url: str) -> Typed:
    typed = Typed(Fund(sqlite_url))
    ok(typed("init --admin root"))
    ok(typed("operators add alice --role finance --as root"))
    return typed


def _line(result, code: int = 1) -> str:  # noqa: ANN001
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output and "内部错误" not in result.output
    return result.stderr


def test_a_lone_surrogate_in_an_argument_is_named(books: Typed) -> None:
    engine = make_engine(books.url)
    before = snapshot(engine)
    args = ["donations", "record", "--amount", "100", "--donor", "某\udcff公司",
            "--date", "2019-01-01", "--as", "alice"]  # fmt: skip
    assert _line(books.cli(*args)) == (
        "--donor 含有无法编码的字符 U+DCFF（终端或文件的编码不是 UTF-8？），未写入任何内容\n"
    )
    clean = [a.replace("\udcff", "") for a in args]
    assert _line(books.cli("--lang", "en", *clean, "--ref=x\udce9")) == (
        "--ref holds a character that cannot be encoded, U+DCE9 (is the terminal or file not "
        "UTF-8?); nothing written\n"
    )
    assert snapshot(engine) == before
    engine.dispose()


def test_a_record_number_beyond_64_bits_is_a_usage_error(books: Typed) -> None:
    line = "statement facility 99999999999999999999999 --out x.pdf --as alice"
    result = books(f"--lang en {line}")
    assert "99999999999999999999999 is not in the range 1<=x<=9223372036854775807" in _line(
        result, 2
    )
    # click's own usage errors are in the user's language, Chinese by default
    result = books(line)
    assert "99999999999999999999999 不在范围 1<=x<=9223372036854775807 内" in _line(result, 2)


def test_a_template_of_another_type_is_refused(books: Typed, tmp_path: Path) -> None:
    out = tmp_path / "t.txt"
    assert _line(books(f"applications template {out}")) == f"{out}：文件类型应为 .csv / .xlsx\n"
    assert _line(books(f"--lang en applications template {out}")) == (
        f"{out}: the file type must be .csv / .xlsx\n"
    )
    assert not out.exists()


@pytest.mark.parametrize(
    ("url", "zh", "en"),
    [
        (
            "mysql://x",
            "不支持的数据库：mysql://x（只支持 SQLite 与 PostgreSQL：sqlite:///文件 或 "
            "postgresql+psycopg://…）",
            "unsupported database: mysql://x (only SQLite and PostgreSQL: sqlite:///FILE or "
            "postgresql+psycopg://…)",
        ),
        (
            "postgresql://u:secret@h/x",
            "缺少数据库驱动 psycopg2，无法连接 postgresql://u:***@h/x；PostgreSQL 请用 "
            "postgresql+psycopg://…",
            "the database driver psycopg2 is not installed, cannot open "
            "postgresql://u:***@h/x; for PostgreSQL use postgresql+psycopg://…",
        ),
        (
            "fund.db",
            "数据库地址无效：fund.db（应为 sqlite:///文件 或 postgresql+psycopg://…）",
            "invalid database URL: fund.db (use sqlite:///FILE or postgresql+psycopg://…)",
        ),
    ],
)
def test_a_database_url_fundcore_cannot_use_is_named(url: str, zh: str, en: str) -> None:
    if url.startswith("postgresql://"):
        try:
            import psycopg2  # noqa: F401
        except ImportError:
            pass
        else:
            pytest.skip("psycopg2 is installed here")
    fund = Typed(Fund(url))
    assert _line(fund("ledger verify")) == zh + "\n"
    assert _line(fund("--lang en init --admin root")) == en + "\n"


def test_a_number_too_large_deep_inside_is_one_line(
    books: Typed, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What main printed for ``statement facility 99999999999999999999999`` as an
    ``内部错误``, had any other path hit it: now a reason, exit 1."""
    from cli import ledger_cmds

    def too_large(*_args: object) -> None:
        raise OverflowError("Python int too large to convert to SQLite INTEGER")

    monkeypatch.setattr(ledger_cmds, "reverse_entry", too_large)
    line = "ledger reverse 5 --date 2019-01-02 --reason x --as alice"
    assert _line(books(line)) == (
        "输入的数值过大，无法处理，未写入任何内容（Python int too large to convert to SQLite "
        "INTEGER）\n"
    )
    assert _line(books(f"--lang en {line}")) == (
        "a number given is too large to handle; nothing written (Python int too large to "
        "convert to SQLite INTEGER)\n"
    )
