"""The schema's life: Alembic migrations to head, and the reference data ``init`` loads.

Migrations are the only way the schema changes (no ``create_all`` outside the tests
of the migrations themselves). ``check`` compares the models with the database that
the migrations produced, so a model changed without its migration is caught.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, func, insert, select, update

import migrations
from fundcore.domain import chart
from fundcore.domain.ledger import GENESIS_HASH
from fundcore.domain.policy import DEFAULT_EFFECTIVE_FROM, Policy
from fundcore.services.operators import bootstrap_admin
from fundcore.store import audit
from fundcore.store.clock import utcnow
from fundcore.store.models import Account, AccountBalance, Base, LedgerHead, PolicyVersion


def alembic_config(conn: Connection | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(Path(migrations.__file__).parent))
    cfg.attributes["connection"] = conn
    return cfg


def upgrade(engine: Engine, revision: str = "head") -> None:
    with engine.begin() as conn:
        command.upgrade(alembic_config(conn), revision)


def current(conn: Connection) -> str | None:
    return MigrationContext.configure(conn).get_current_revision()


def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


@dataclass(frozen=True)
class CheckResult:
    current: str | None
    head: str | None
    diffs: list[str]

    @property
    def ok(self) -> bool:
        return self.current == self.head and not self.diffs


def check(conn: Connection) -> CheckResult:
    """Is the database at head, and do the models agree with what the migrations built?"""
    ctx = MigrationContext.configure(conn, opts={"compare_type": True})
    diffs = [repr(d) for d in compare_metadata(ctx, Base.metadata)]
    return CheckResult(current(conn), head_revision(), diffs)


@dataclass(frozen=True)
class InitResult:
    accounts_added: int
    policy_loaded: bool
    admin_created: bool


def load_reference_data(conn: Connection, admin: str | None = None) -> InitResult:
    """Chart of accounts, ledger head, default policy, first admin: each only if missing."""
    added = _load_chart(conn)
    if conn.scalar(select(LedgerHead.id)) is None:
        conn.execute(insert(LedgerHead.__table__).values(id=1, last_seq=0, last_hash=GENESIS_HASH))
    policy = False
    if not conn.scalar(select(func.count()).select_from(PolicyVersion)):
        conn.execute(
            insert(PolicyVersion.__table__).values(
                version=1,
                effective_from=DEFAULT_EFFECTIVE_FROM,
                body=Policy().to_json(),
                created_by="fund init",
                recorded_at=utcnow(),
            )
        )
        policy = True
    created = bootstrap_admin(conn, admin) if admin else False
    if added or policy:
        audit.record(conn, admin or "fund init", "init", accounts_added=added, policy=policy)
    return InitResult(added, policy, created)


def _load_chart(conn: Connection) -> int:
    acc = Account.__table__
    known = set(conn.scalars(select(acc.c.code)))
    added = 0
    for a in chart.CHART:
        values = a._asdict()
        if a.code in known:
            conn.execute(
                update(acc).where(acc.c.code == a.code).values(name_zh=a.name_zh, name_en=a.name_en)
            )
            continue
        conn.execute(insert(acc).values(values))
        conn.execute(
            insert(AccountBalance.__table__).values(account_code=a.code, debit_fen=0, credit_fen=0)
        )
        added += 1
    return added


def guard(engine: Engine, operator: str | None, action: str = "db.upgrade") -> None:
    """Once a database has operators, only an admin changes its schema or copies it whole.

    A new, empty database has no one to ask: ``fund init --admin`` creates the first admin.
    """
    from fundcore.services.operators import authorise
    from fundcore.store.models import Operator
    from fundcore.store.uow import UnitOfWork

    with UnitOfWork(engine, write=False) as uow:
        if current(uow.conn) is None:
            return
        if not uow.conn.scalar(select(func.count()).select_from(Operator)):
            return
        authorise(uow.conn, operator, action)
