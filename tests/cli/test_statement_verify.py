"""``fund statement … --verify`` on a ledger that fails its verification (issue 14, item 11).

A failed verification is exit 1 with the reasons and no file: nothing is written, and an
existing ``--out`` file is left as it was. ``--allow-unverified`` issues the statement
anyway, and then every page of the PDF says the ledger failed. On an intact ledger
``--verify`` is exit 0 as before.
"""

from __future__ import annotations

from pathlib import Path

import pdfplumber
import pytest
from sqlalchemy import Engine

from fundcore.messages import render
from reports.labels import t as label
from tests.cli.helpers import Typed, add_county, as_json, donate, ok
from tests.factories import tamper

PERIOD = "--from 2019-01-01 --to 2019-12-31"


def notice(lang: str = "zh") -> str:
    """What every page of a statement drawn from a ledger that failed says."""
    return label("unverified_every_page", lang)


def _pages(path: Path) -> list[str]:
    """Each page's text, lines joined (a long line may wrap in extraction)."""
    with pdfplumber.open(path) as pdf:
        return [(page.extract_text() or "").replace("\n", "") for page in pdf.pages]


@pytest.fixture
def books(ready: Typed) -> Typed:
    donate(ready, "500000", on="2019-03-01")
    donate(ready, "20000", on="2019-04-01")
    return ready


def _tampered(eng: Engine) -> None:
    tamper(eng, "UPDATE journal_entries SET memo = 'someone else' WHERE seq = 1")


def test_intact_ledger_verify_writes_the_statement(books: Typed, tmp_path: Path) -> None:
    out = tmp_path / "fund.pdf"
    doc = as_json(books(f"--json statement fund {PERIOD} --verify --out {out} --as audrey"))
    assert doc["verified"] is True and doc["problems"] == []
    pages = _pages(out)
    assert all(notice() not in page for page in pages)


@pytest.mark.parametrize("fmt", ["pdf", "csv", "xlsx"])
def test_tampered_ledger_verify_exits_1_and_writes_nothing(
    books: Typed, eng: Engine, tmp_path: Path, fmt: str
) -> None:
    _tampered(eng)
    where = tmp_path / "out"
    where.mkdir()
    out = where / f"fund.{fmt}"
    result = books(f"--lang en statement fund {PERIOD} --verify --format {fmt} --out {out} "
                   "--as audrey")  # fmt: skip
    assert result.exit_code == 1, result.output
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert lines[0] == render("statement.unverified", {"count": len(lines) - 1}, "en")
    altered = render("verify.altered_entry", {"seq": 1}, "en")
    assert lines[1] == render("statement.unverified_problem", {"problem": altered}, "en")
    assert list(where.iterdir()) == []  # no file of any name (CSV would write several)


def test_an_existing_out_file_is_left_untouched(books: Typed, eng: Engine, tmp_path: Path) -> None:
    out = tmp_path / "fund.pdf"
    ok(books(f"statement fund {PERIOD} --out {out} --as audrey"))
    before = out.read_bytes()
    _tampered(eng)
    result = books(f"statement fund {PERIOD} --verify --out {out} --force --as audrey")
    assert result.exit_code == 1, result.output
    assert "--allow-unverified" in result.stderr.splitlines()[0]
    assert out.read_bytes() == before


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_allow_unverified_writes_and_every_page_says_so(
    books: Typed, eng: Engine, tmp_path: Path, lang: str
) -> None:
    _tampered(eng)
    out = tmp_path / "fund.pdf"
    doc = as_json(books(f"--json --lang {lang} statement fund {PERIOD} --verify "
                        f"--allow-unverified --out {out} --as audrey"))  # fmt: skip
    assert doc["verified"] is False and doc["problems"]
    pages = _pages(out)
    assert len(pages) > 1
    for number, page in enumerate(pages, start=1):
        assert notice(lang) in page, (number, page[-300:])
    assert render("verify.altered_entry", {"seq": 1}, lang) in "".join(pages)
    # the command printed for reproducing the statement says it was asked for regardless
    assert "--allow-unverified" in "".join(pages)


def test_the_county_statement_refuses_too(books: Typed, eng: Engine, tmp_path: Path) -> None:
    add_county(eng)
    _tampered(eng)
    out = tmp_path / "county.pdf"
    county = books(f"statement county 522631 {PERIOD} --verify --out {out} --as audrey")
    assert county.exit_code == 1, county.output
    lines = county.stderr.splitlines()
    assert lines[0] == render("statement.unverified", {"count": len(lines) - 1}, "zh")
    assert not out.exists()
    ok(books(f"statement county 522631 {PERIOD} --verify --allow-unverified --out {out} "
             "--as audrey"))  # fmt: skip
    assert all(notice() in page for page in _pages(out))


def test_without_verify_a_tampered_ledger_is_not_checked(
    books: Typed, eng: Engine, tmp_path: Path
) -> None:
    _tampered(eng)
    out = tmp_path / "fund.pdf"
    doc = as_json(books(f"--json statement fund {PERIOD} --out {out} --as audrey"))
    assert doc["checked"] is False
    assert all(notice() not in page for page in _pages(out))
