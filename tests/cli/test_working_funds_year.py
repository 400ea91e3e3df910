"""A year's county working funds are dated within that year (issue 14, item 12).

The rule is "dated within the year paid for" (1 January to 31 December of ``--year``):
there is no policy key for a programme's other rule, so none is read. A refusal names
the year and the date and writes nothing.
"""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from tests.cli.helpers import Typed, add_county, as_json, donate, refused_unchanged


@pytest.fixture
def books(ready: Typed, eng: Engine) -> Typed:
    add_county(eng)
    donate(ready, "500000", on="2019-03-01")
    return ready


@pytest.mark.parametrize(
    ("year", "on"), [(2020, "2019-12-31"), (2019, "2020-01-01"), (2019, "2021-06-30")]
)
def test_funds_dated_outside_their_year_are_refused(
    books: Typed, eng: Engine, year: int, on: str
) -> None:
    refused_unchanged(
        books,
        eng,
        f"working-funds pay --year {year} --date {on} --as alice",
        "working_funds.date_outside_year",
        year=year,
        date=on,
        first=f"{year}-01-01",
        last=f"{year}-12-31",
    )


def test_the_refusal_names_the_year_and_the_date_in_english(books: Typed, eng: Engine) -> None:
    result = refused_unchanged(
        books,
        eng,
        "--lang en working-funds pay --year 2020 --date 2019-12-31 --as alice",
        "working_funds.date_outside_year",
        "en",
        year=2020,
        date="2019-12-31",
        first="2020-01-01",
        last="2020-12-31",
    )
    assert "2020" in result.stderr and "2019-12-31" in result.stderr


@pytest.mark.parametrize(("year", "on"), [(2019, "2019-12-31"), (2020, "2020-01-01")])
def test_funds_dated_within_their_year_are_paid(books: Typed, year: int, on: str) -> None:
    doc = as_json(books(f"--json working-funds pay --year {year} --date {on} --as alice"))
    assert (doc["year"], doc["paid"]) == (year, 1)
    assert doc["total"] == "10000.00"
