"""The database as a whole: setting it up, moving its schema to head, asking its revision.

These use cases work on the engine, not in a caller's unit of work: a migration is DDL
that Alembic runs in a transaction of its own, and ``fund init`` loads the reference
data only once the schema exists. Like ``backup``, they therefore finish their own
transactions. Once a database has operators, only an admin may change its schema
(``setup.guard``).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine

from fundcore.services import setup
from fundcore.store import pii, schema
from fundcore.store.uow import UnitOfWork


@dataclass(frozen=True, slots=True)
class Initialised:
    """The schema's revision after ``fund init``, and what reference data was added."""

    revision: str | None
    accounts_added: int
    policy_loaded: bool
    admin_created: bool
    #: the personal-data key file made by this init (None: it was there already)
    pii_key_made: str | None = None


@dataclass(frozen=True, slots=True)
class Revisions:
    """Where the database's schema is, and where the code's migrations end."""

    current: str | None
    head: str | None


def initialise(engine: Engine, operator: str | None, admin: str | None) -> Initialised:
    """The personal-data key if there is none yet (``store.pii``), schema to head, then
    the reference data that is missing (the first admin only while there is no
    operator). The caller has checked ``admin``'s name already."""
    setup.guard(engine, operator)
    made = pii.ensure_key(engine)
    schema.upgrade(engine)
    with UnitOfWork(engine) as uow:
        loaded = setup.load_reference_data(uow.conn, admin)
        uow.commit()
    return Initialised(
        revision(engine),
        loaded.accounts_added,
        loaded.policy_loaded,
        loaded.admin_created,
        str(made) if made else None,
    )


def upgrade(engine: Engine, operator: str | None) -> str | None:
    """Run the migrations to head (an admin's work once there are operators)."""
    setup.guard(engine, operator)
    schema.upgrade(engine)
    return revision(engine)


def revision(engine: Engine) -> str | None:
    """The database's schema revision (None for a database never migrated)."""
    with engine.connect() as conn:
        return schema.current(conn)


def revisions(engine: Engine) -> Revisions:
    """The database's revision beside the code's head: is an upgrade due?"""
    return Revisions(revision(engine), schema.head_revision())


def check(engine: Engine) -> schema.CheckResult:
    """Is the database at head, and do the models agree with the migrations?"""
    with engine.connect() as conn:
        return schema.check(conn)
