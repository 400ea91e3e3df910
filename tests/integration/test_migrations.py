"""Migrations build the schema the models describe, on both databases."""

from __future__ import annotations

from sqlalchemy import Engine

from fundcore.store import schema
from fundcore.store.db import make_engine


def test_upgrade_from_empty_to_head_then_check_is_clean(db_url: str) -> None:
    engine = make_engine(db_url)
    with engine.connect() as conn:
        assert schema.current(conn) is None
        assert not schema.check(conn).ok
    schema.upgrade(engine)
    with engine.connect() as conn:
        result = schema.check(conn)
    assert result.current == schema.head_revision()
    assert result.diffs == []
    assert result.ok


def test_upgrade_twice_changes_nothing(engine: Engine) -> None:
    schema.upgrade(engine)
    with engine.connect() as conn:
        assert schema.check(conn).ok
