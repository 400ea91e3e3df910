"""Policy versions as stored: the one in force on a date, the history, a new version.

The figures themselves and their checks are ``fundcore.domain.policy``.
"""

from __future__ import annotations

import functools
from datetime import date, timedelta

from sqlalchemy import Connection, func, insert, select

from fundcore.domain.errors import NotFound, RuleBroken
from fundcore.domain.periods import month_of
from fundcore.domain.policy import Policy, PolicyInForce, check_policy, with_settings
from fundcore.services.operators import authorise
from fundcore.store import audit, journal
from fundcore.store.clock import utcnow
from fundcore.store.models import Decision, PolicyVersion
from fundcore.store.tables import table_of

_versions = table_of(PolicyVersion)
_decisions = table_of(Decision)
#: decision ids a refusal names before it only counts the rest
_NAMED = 10


@functools.lru_cache(maxsize=64)
def _parsed(body: str) -> Policy:
    """A stored version's policy; parsed once per process (Policy is frozen), since every
    sheet a county submits and every batch asks which version is in force."""
    return Policy.from_json(body)


def in_force(conn: Connection, on: date) -> PolicyInForce:
    """The newest version effective on or before ``on``."""
    row = conn.execute(
        select(_versions)
        .where(_versions.c.effective_from <= on)
        .order_by(_versions.c.effective_from.desc(), _versions.c.version.desc())
        .limit(1)
    ).first()
    if row is None:
        raise RuleBroken("policy.none_in_force", date=on.isoformat())
    return PolicyInForce(row.version, row.effective_from, _parsed(row.body))


def in_force_or_first(conn: Connection, on: date) -> PolicyInForce:
    """The version in force on ``on``, or the first one for a day before any: what a read
    as of an early day (a statement, a schedule) states its figures under."""
    try:
        return in_force(conn, on)
    except RuleBroken:
        return history(conn)[0]


def by_version(conn: Connection, version: int) -> PolicyInForce:
    row = conn.execute(select(_versions).where(_versions.c.version == version)).first()
    if row is None:
        raise NotFound("policy.no_such_version", version=version)
    return PolicyInForce(row.version, row.effective_from, _parsed(row.body))


def history(conn: Connection) -> list[PolicyInForce]:
    rows = conn.execute(select(_versions).order_by(_versions.c.version)).all()
    return [PolicyInForce(r.version, r.effective_from, _parsed(r.body)) for r in rows]


def add_version(
    conn: Connection, operator: str | None, effective_from: date, settings: dict[str, object]
) -> PolicyInForce:
    """A new version: the newest one with ``settings`` changed, in force from the date (admin)."""
    actor = authorise(conn, operator, "policy.update")
    versions = history(conn)
    latest = versions[-1]
    if effective_from < latest.effective_from:
        raise RuleBroken(
            "policy.effective_before_latest",
            date=latest.effective_from.isoformat(),
            version=latest.version,
        )
    journal.refuse_closed_months(conn, {month_of(effective_from)})
    _refuse_decided_from(conn, latest.version, effective_from)
    policy = with_settings(latest.policy, settings)
    check_policy(policy)
    version = latest.version + 1
    conn.execute(
        insert(_versions).values(
            version=version,
            effective_from=effective_from,
            body=policy.to_json(),
            created_by=actor.name,
            recorded_at=utcnow(),
        )
    )
    audit.record(
        conn,
        actor.name,
        "policy.update",
        object_type="policy",
        object_id=version,
        business_date=effective_from,
        **{k: str(v) for k, v in settings.items()},
    )
    return PolicyInForce(version, effective_from, policy)


def _refuse_decided_from(conn: Connection, version: int, effective_from: date) -> None:
    """Refuse a new version from a day on or before which decisions were already taken
    under ``version`` (the one in force then): they would no longer match it."""
    decided = (_decisions.c.policy_version == version) & (
        _decisions.c.business_date >= effective_from
    )
    count, latest = conn.execute(
        select(func.count(), func.max(_decisions.c.business_date)).where(decided)
    ).one()
    if not count:
        return
    ids = conn.scalars(
        select(_decisions.c.id).where(decided).order_by(_decisions.c.id).limit(_NAMED)
    ).all()
    named = ", ".join(f"#{i}" for i in ids) + (" …" if count > len(ids) else "")
    raise RuleBroken(
        "policy.decided_under_in_force",
        version=version,
        count=count,
        ids=named,
        date=effective_from.isoformat(),
        latest=latest.isoformat(),
        earliest=(latest + timedelta(days=1)).isoformat(),
    )
