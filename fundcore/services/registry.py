"""The county register: the 865 counties whose youth the programme serves.

Keyed by the 6-digit division code: re-importing updates names and never duplicates.
The file is read and checked by ``intake.register`` (a register with one bad row is
refused whole); this module stores and lists it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Row, func, insert, select, update

from fundcore.domain.counties import CountyRow
from fundcore.services.batch import Batch, BatchReport, Mode, run
from fundcore.services.operators import authorise
from fundcore.store import audit
from fundcore.store.bulk import chunks
from fundcore.store.models import County
from fundcore.store.tables import table_of

# declarative ``__table__`` is typed as any FromClause; it is the mapped Table
_counties = table_of(County)

#: the register is all or nothing: the whole of it describes the programme's counties
REGISTER_MODE = Mode(all_or_nothing=True)


@dataclass(frozen=True, slots=True)
class RegisterImport:
    added: int
    updated: int
    unchanged: int


@dataclass(frozen=True, slots=True)
class CountyChange:
    """A county of the register file that was new (``added``) or differed (updated)."""

    row: CountyRow
    added: bool


def import_counties(
    conn: Connection, operator: str | None, rows: list[CountyRow], source: str
) -> BatchReport[CountyChange, CountyRow]:
    """``import_register`` under the batch protocol: what changed, what was unchanged."""

    def step() -> Batch[CountyChange, CountyRow]:
        changes, unchanged = _import(conn, operator, rows, source)
        return Batch(tuple(changes), tuple(unchanged), ())

    return run(conn, REGISTER_MODE, step)


def import_register(
    conn: Connection, operator: str | None, rows: list[CountyRow], source: str
) -> RegisterImport:
    """Add new counties and update changed ones, in one transaction (admin)."""
    changes, unchanged = _import(conn, operator, rows, source)
    added = sum(change.added for change in changes)
    return RegisterImport(added, len(changes) - added, len(unchanged))


def _import(
    conn: Connection, operator: str | None, rows: list[CountyRow], source: str
) -> tuple[list[CountyChange], list[CountyRow]]:
    """Write the register's new and changed counties, audited; the changes and the rest."""
    actor = authorise(conn, operator, "counties.import")
    existing = {r.code: _county(r) for r in conn.execute(select(_counties))}
    new = [r for r in rows if r.code not in existing]
    changed = [r for r in rows if r.code in existing and existing[r.code] != r]
    if new:
        conn.execute(insert(_counties), [as_dict(r) for r in new])
    for r in changed:
        conn.execute(update(_counties).where(_counties.c.code == r.code).values(as_dict(r)))
    audit.record(
        conn,
        actor.name,
        "counties.import",
        object_type="register",
        object_id=source,
        added=len(new),
        updated=len(changed),
        unchanged=len(rows) - len(new) - len(changed),
    )
    touched = {r.code for r in new} | {r.code for r in changed}
    changes = [CountyChange(r, True) for r in new] + [CountyChange(r, False) for r in changed]
    return changes, [r for r in rows if r.code not in touched]


def as_dict(r: CountyRow) -> dict[str, str | None]:
    return {
        "code": r.code,
        "name": r.name,
        "province": r.province,
        "prefecture": r.prefecture,
        "category": r.category,
    }


def _county(row: Row[Any]) -> CountyRow:
    """A stored county (a Core row of ``counties``) as a ``CountyRow``."""
    m = row._mapping
    return CountyRow(m["code"], m["name"], m["province"], m["prefecture"], m["category"])


def list_counties(conn: Connection, province: str | None = None) -> list[CountyRow]:
    stmt = select(_counties).order_by(_counties.c.code)
    if province:
        stmt = stmt.where(_counties.c.province == province)
    return [_county(r) for r in conn.execute(stmt)]


def register_size(conn: Connection) -> int:
    """How many counties the register holds (832 national ones, or a sample)."""
    return int(conn.scalar(select(func.count()).select_from(_counties)) or 0)


def known_codes(conn: Connection, among: Iterable[str] | None = None) -> set[str]:
    """The register's county codes; only those ``among`` the codes given, if given (a
    sheet names one county: no need to read all 865)."""
    stmt = select(_counties.c.code)
    if among is None:
        return set(conn.scalars(stmt))
    return {
        code
        for chunk in chunks(sorted(set(among)))
        for code in conn.scalars(stmt.where(_counties.c.code.in_(chunk)))
    }
