"""A day close run in arrears over several month ends tells the truth of each day.

Each scenario is built twice, in two databases: once closing every month end on time
(each event recorded, then the month ends up to the next event closed), once recording
everything first and closing in arrears. Every ``day_closes`` row, every provision
entry and the facilities' cached ageing must be the same.
"""

from __future__ import annotations

from datetime import date

import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, select

from fundcore.store.models import DayClose, Facility, FacilityEvent, JournalEntry, JournalLine
from tests.conftest import PG_SKIP, PG_URL, Fund, fresh_engine
from tests.factories import disbursed, setup_fund

LAST = date(2019, 12, 31)


def _cli(engine: Engine) -> Fund:
    return Fund(engine.url.render_as_string(hide_password=False))


def _repay(fund: Fund, fid: int, on: date, fen: int, ref: str) -> None:
    amount = f"{fen // 100}.{fen % 100:02d}"
    r = fund(
        "repay",
        str(fid),
        "--amount",
        amount,
        "--date",
        on.isoformat(),
        "--ref",
        ref,
        "--as",
        "fin1",
    )
    assert r.exit_code == 0, r.stderr


def _close(fund: Fund, through: date) -> None:
    r = fund("close-day", "--through", through.isoformat(), "--as", "fin1")
    assert r.exit_code == 0, r.stderr


def _figures(engine: Engine) -> dict[str, list[tuple]]:
    """What a close leaves: its rows, its provision entries, the facilities' ageing and
    their dated events (a default recorded once, on the month end it was first found)."""
    c, f, ev = DayClose, Facility, FacilityEvent
    with engine.connect() as conn:
        closes = conn.execute(
            select(
                c.business_date,
                c.facilities,
                c.overdue,
                c.defaulted,
                c.outstanding_fen,
                c.par30_fen,
                c.par90_fen,
                c.provision_fen,
            ).order_by(c.business_date)
        ).all()
        provisions = conn.execute(
            select(
                JournalEntry.business_date,
                JournalLine.account_code,
                JournalLine.side,
                JournalLine.amount_fen,
            )
            .join(JournalLine, JournalLine.entry_seq == JournalEntry.seq)
            .where(JournalEntry.kind == "provision")
            .order_by(JournalEntry.business_date, JournalLine.account_code)
        ).all()
        facilities = conn.execute(
            select(
                f.id, f.status, f.days_past_due, f.closed_through, f.outstanding_fen, f.exposure_fen
            ).order_by(f.id)
        ).all()
        events = conn.execute(
            select(ev.facility_id, ev.kind, ev.business_date, ev.amount_fen).order_by(
                ev.facility_id, ev.business_date, ev.kind
            )
        ).all()
    return {
        "closes": list(closes),
        "provisions": list(provisions),
        "facilities": list(facilities),
        "events": list(events),
    }


def _month_ends(first: date, last: date) -> list[date]:
    out, day = [], first + relativedelta(day=31)
    while day <= last:
        out.append(day)
        day = day + relativedelta(days=1) + relativedelta(day=31)
    return out


def _run(engine: Engine, events: list[tuple[date, object]], on_time: bool) -> dict:
    """Set up a fund, apply ``events`` (date, callable) in date order, closing each month
    end as it passes when ``on_time``, else once at the end through ``LAST``."""
    setup_fund(engine)
    fund = _cli(engine)
    pending = _month_ends(date(2019, 6, 10), LAST) if on_time else []
    for on, act in sorted(events, key=lambda e: e[0]):
        while pending and pending[0] < on:
            _close(fund, pending.pop(0))
        act(engine, fund)  # type: ignore[operator]
    _close(fund, LAST)
    return _figures(engine)


def _both(backend: str, events: list[tuple[date, object]]) -> tuple[dict, dict]:
    with fresh_engine(backend) as a, fresh_engine(backend) as b:
        return _run(a, events, on_time=True), _run(b, events, on_time=False)


def _loan_events(repayments: list[tuple[date, int]]) -> list[tuple[date, object]]:
    events: list[tuple[date, object]] = [
        (date(2019, 6, 10), lambda e, f: disbursed(e, 1, yuan=30_000, term=24))
    ]
    for k, (on, fen) in enumerate(repayments):
        events.append((on, lambda e, f, on=on, fen=fen, k=k: _repay(f, 1, on, fen, f"R-{k}")))
    return events


BACKENDS = [
    "sqlite",
    pytest.param("postgresql", marks=pytest.mark.skipif(not PG_URL, reason=PG_SKIP)),
]


@pytest.mark.parametrize("backend", BACKENDS)
def test_month_ends_in_arrears_show_what_was_owed_each_day(backend: str) -> None:
    repayments = [
        (date(2019, 8, 28), 125_000),
        (date(2019, 9, 29), 125_000),
        (date(2019, 10, 28), 124_999),
    ]
    on_time, arrears = _both(backend, _loan_events(repayments))
    assert arrears == on_time
    by_day = {row[0]: row for row in arrears["closes"]}
    assert by_day[date(2019, 7, 31)][4] == 3_000_000
    assert by_day[date(2019, 8, 31)][4] == 2_875_000
    assert by_day[date(2019, 7, 31)][2] == 1  # 07-10 not paid by 07-31
    assert by_day[LAST][4] == 2_625_001


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_default_found_in_arrears_is_recorded_once_on_its_month_end(backend: str) -> None:
    """Never paid: the loan turns default at one month end of the catch-up and stays so;
    the catch-up records that one default, dated as a close on time would have."""
    on_time, arrears = _both(backend, _loan_events([]))
    assert arrears == on_time
    defaults = [e for e in arrears["events"] if e[1] == "default"]
    assert len(defaults) == 1
    first_default = defaults[0][2]
    assert date(2019, 7, 31) < first_default < LAST
    by_day = {row[0]: row for row in arrears["closes"]}
    assert [d for d, row in by_day.items() if row[3]] == [
        d for d in sorted(by_day) if d >= first_default
    ]
    (facility,) = arrears["facilities"]
    assert (facility[1], facility[3]) == ("defaulted", LAST)


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_past_provision_is_on_that_days_guarantee_exposure(backend: str) -> None:
    events: list[tuple[date, object]] = [
        (date(2019, 6, 10), lambda e, f: disbursed(e, 1, yuan=30_000, term=24)),
        (
            date(2019, 9, 5),
            lambda e, f: disbursed(
                e, 2, kind="guarantee", yuan=100_000, term=24, on=date(2019, 9, 5)
            ),
        ),
        (date(2019, 11, 20), lambda e, f: _repay(f, 2, date(2019, 11, 20), 5_000_000, "G-1")),
    ]
    on_time, arrears = _both(backend, events)
    assert arrears == on_time
    provisions = {row[0]: row[7] for row in arrears["closes"]}
    assert provisions[date(2019, 8, 31)] == 0
    assert provisions[date(2019, 9, 30)] > 0


repayment = st.tuples(
    st.dates(min_value=date(2019, 6, 11), max_value=LAST),
    st.integers(min_value=1, max_value=300_000),
)


@pytest.mark.parametrize("backend", BACKENDS)
@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(st.lists(repayment, max_size=6))
def test_closing_in_arrears_equals_closing_on_time(backend: str, repayments: list) -> None:
    total, kept = 0, []
    for on, fen in sorted(repayments):
        if total + fen <= 3_000_000:
            total += fen
            kept.append((on, fen))
    on_time, arrears = _both(backend, _loan_events(kept))
    assert arrears == on_time
