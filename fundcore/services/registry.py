"""The county register: the 865 counties whose youth the programme serves.

Keyed by the 6-digit division code: re-importing updates names and never duplicates.
The file is read and checked by ``intake.register``; this module stores and lists it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import Connection, insert, select, update

from fundcore.domain.counties import CountyRow
from fundcore.services.operators import authorise
from fundcore.store import audit
from fundcore.store.models import County

_counties = County.__table__


@dataclass(frozen=True, slots=True)
class RegisterImport:
    added: int
    updated: int
    unchanged: int


def import_register(
    conn: Connection, operator: str | None, rows: list[CountyRow], source: str
) -> RegisterImport:
    """Add new counties and update changed ones, in one transaction (admin)."""
    actor = authorise(conn, operator, "counties.import")
    existing = {r.code: r for r in conn.execute(select(_counties)).all()}
    new = [r for r in rows if r.code not in existing]
    changed = [r for r in rows if r.code in existing and _differs(existing[r.code], r)]
    if new:
        conn.execute(insert(_counties), [as_dict(r) for r in new])
    for r in changed:
        conn.execute(update(_counties).where(_counties.c.code == r.code).values(as_dict(r)))
    result = RegisterImport(len(new), len(changed), len(rows) - len(new) - len(changed))
    audit.record(
        conn,
        actor.name,
        "counties.import",
        object_type="register",
        object_id=source,
        added=result.added,
        updated=result.updated,
        unchanged=result.unchanged,
    )
    return result


def as_dict(r: CountyRow) -> dict[str, str | None]:
    return {
        "code": r.code,
        "name": r.name,
        "province": r.province,
        "prefecture": r.prefecture,
        "category": r.category,
    }


def _differs(old: object, new: CountyRow) -> bool:
    return any(getattr(old, k) != v for k, v in as_dict(new).items())


def list_counties(conn: Connection, province: str | None = None) -> list[CountyRow]:
    stmt = select(_counties).order_by(_counties.c.code)
    if province:
        stmt = stmt.where(_counties.c.province == province)
    return [
        CountyRow(r.code, r.name, r.province, r.prefecture, r.category) for r in conn.execute(stmt)
    ]


def known_codes(conn: Connection, among: Iterable[str] | None = None) -> set[str]:
    """The register's county codes; only those ``among`` the codes given, if given (a
    sheet names one county: no need to read all 865)."""
    stmt = select(_counties.c.code)
    if among is None:
        return set(conn.scalars(stmt))
    wanted = sorted(set(among))
    return {
        c
        for i in range(0, len(wanted), 500)
        for c in conn.scalars(stmt.where(_counties.c.code.in_(wanted[i : i + 500])))
    }
