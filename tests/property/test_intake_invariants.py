"""Sheets with random corruptions never raise, never half-write, and re-import is a no-op."""

from __future__ import annotations

import json
import random
import tempfile
from datetime import date
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from fundcore.intake.register import SAMPLE_REGISTER
from fundcore.intake.sheet import APPLICATION_COLUMNS
from fundcore.store.models import Application, ApplicationEmployee
from tests.conftest import Fund, fresh_engine, snapshot
from tests.factories import application_row, write_csv

ON = date(2019, 6, 1)
KEYS = [c.key for c in APPLICATION_COLUMNS]
junk = st.one_of(
    st.text(max_size=30),
    st.sampled_from(
        [
            "",
            "-1",
            "1e9",
            "=cmd|' /C calc'!A0",
            "是",
            "否",
            "１２３",
            "5万万",
            "140224",
            "999999",
            "NaN",
            "0",
            "100000000",
            "；；",
            "x" * 300,
        ]
    ),
)
corruption = st.tuples(st.integers(0, 24), st.sampled_from(KEYS), junk)


def _fund(engine) -> Fund:  # noqa: ANN001
    fund = Fund(engine.url.render_as_string(hide_password=False))
    fund("counties", "import", str(SAMPLE_REGISTER), "--as", "root")
    fund("operators", "add", "lq", "--role", "county", "--county", "140224", "--as", "root")
    return fund


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(0, 10**6),
    corruptions=st.lists(corruption, max_size=12),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "gb18030"]),
)
def test_corrupted_sheets_never_raise_or_half_write(
    seed: int,
    corruptions: list,  # noqa: ANN001
    encoding: str,
) -> None:
    rng = random.Random(seed)
    rows = [
        application_row(rng, i, "140224", ON, rng.choice(["免息借款", "担保贷款", "小额资助"]))
        for i in range(25)
    ]
    for i, key, value in corruptions:
        rows[i][key] = value
    with fresh_engine("sqlite") as engine, tempfile.TemporaryDirectory() as tmp:
        fund = _fund(engine)
        try:
            path = write_csv(Path(tmp) / "sheet.csv", rows, encoding=encoding)
        except UnicodeEncodeError:
            path = write_csv(Path(tmp) / "sheet.csv", rows, encoding="utf-8")
        args = ("--json", "applications", "import", str(path), "--date", "2019-06-01", "--as", "lq")
        first = fund(*args)
        assert first.exit_code in (0, 1), first.stderr
        doc = json.loads(
            first.stdout.splitlines()[-1] if not first.stdout.startswith("{\n") else first.stdout
        )
        with engine.connect() as conn:
            stored = set(conn.scalars(select(Application.ref)))
            orphans = conn.scalar(
                select(func.count())
                .select_from(ApplicationEmployee)
                .where(ApplicationEmployee.application_id.not_in(select(Application.id)))
            )
        taken = doc.get("taken", [])
        assert stored == {t["ref"] for t in taken}
        assert orphans == 0
        before = snapshot(engine)
        second = fund(*args)
        assert second.exit_code == first.exit_code
        assert snapshot(engine) == before
        if doc.get("ok") is not None and "taken" in doc:
            assert json.loads(second.stdout)["taken"] == []
