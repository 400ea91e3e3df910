"""The batch-import rule, once for every import: what a mode keeps of an import's writes.

Table-driven: each case is a mode and whether the file had a bad row, ending in whether
the good row's write survives the command's commit.
"""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, func, select

from fundcore.domain.counties import CountyRow
from fundcore.domain.errors import InputError
from fundcore.intake.batch import Problem, in_file_order
from fundcore.services import registry
from fundcore.services.batch import Batch, Mode, run
from fundcore.store.models import County
from fundcore.store.uow import UnitOfWork

_ROW = CountyRow("140224", "灵丘县", "山西省", "大同市", "national")
_BAD = Problem(3, "code", "register.bad_code", {"line": 3, "code": "1402"})


def _counties(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.scalar(select(func.count()).select_from(County)) or 0)


@pytest.mark.parametrize(
    ("mode", "bad_row", "kept"),
    [
        (Mode(), False, True),
        (Mode(), True, True),  # the good rows are taken, the bad ones reported
        (Mode(dry_run=True), False, False),
        (Mode(dry_run=True), True, False),
        (Mode(all_or_nothing=True), False, True),
        (Mode(all_or_nothing=True), True, False),
        (Mode(dry_run=True, all_or_nothing=True), False, False),
    ],
)
def test_a_mode_keeps_an_imports_writes_or_none(
    engine: Engine, mode: Mode, bad_row: bool, kept: bool
) -> None:
    before = _counties(engine)
    with UnitOfWork(engine) as uow:

        def step() -> Batch[str, str]:
            registry.import_register(uow.conn, "root", [_ROW], "test")
            return Batch(("140224",), (), (_BAD,) if bad_row else ())

        report = run(uow.conn, mode, step)
        uow.commit()  # the command commits either way: the rule is the protocol's
    assert report.written is kept
    assert report.taken == (("140224",) if kept else ())
    assert report.would_take == (() if kept else ("140224",))
    assert report.refused is (not kept and not mode.dry_run)
    assert _counties(engine) == before + (1 if kept else 0)


def test_a_failing_import_writes_nothing_and_leaves_the_unit_usable(engine: Engine) -> None:
    before = _counties(engine)
    with UnitOfWork(engine) as uow:

        def step() -> Batch[str, str]:
            registry.import_register(uow.conn, "root", [_ROW], "test")
            raise InputError("register.empty")

        with pytest.raises(InputError):
            run(uow.conn, Mode(), step)
        registry.import_register(uow.conn, "root", [_ROW], "again")
        uow.commit()
    assert _counties(engine) == before + 1


def test_problems_are_reported_in_file_order_keeping_a_lines_own_order() -> None:
    found = [Problem(9, "a", "x", {}), Problem(None, "b", "y", {}), Problem(2, "c", "z", {})]
    found.append(Problem(9, "d", "w", {}))
    assert [p.column for p in in_file_order(found)] == ["b", "c", "a", "d"]
