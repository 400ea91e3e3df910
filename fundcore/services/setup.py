"""Setting a fund up: the reference data ``fund init`` loads, and who may change the schema.

``load_reference_data`` adds what is missing (chart of accounts, the ledger's head, the
default policy, the first admin) and never changes what is there. ``guard``: once a
database has operators, only an admin upgrades its schema or copies it whole.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, Engine, func, insert, select, update

from fundcore.domain import chart
from fundcore.domain.ledger import GENESIS_HASH
from fundcore.domain.policy import DEFAULT_EFFECTIVE_FROM, Policy
from fundcore.services.operators import authorise, bootstrap_admin
from fundcore.store import audit
from fundcore.store.clock import utcnow
from fundcore.store.models import (
    Account,
    AccountBalance,
    LedgerHead,
    Operator,
    PolicyVersion,
)
from fundcore.store.schema import current
from fundcore.store.tables import table_of
from fundcore.store.uow import UnitOfWork


@dataclass(frozen=True, slots=True)
class InitResult:
    accounts_added: int
    policy_loaded: bool
    admin_created: bool


def load_reference_data(conn: Connection, admin: str | None = None) -> InitResult:
    """Chart of accounts, ledger head, default policy, first admin: each only if missing."""
    added = _load_chart(conn)
    if conn.scalar(select(LedgerHead.id)) is None:
        conn.execute(insert(table_of(LedgerHead)).values(id=1, last_seq=0, last_hash=GENESIS_HASH))
    policy = False
    if not conn.scalar(select(func.count()).select_from(PolicyVersion)):
        conn.execute(
            insert(table_of(PolicyVersion)).values(
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
    acc = table_of(Account)
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
            insert(table_of(AccountBalance)).values(account_code=a.code, debit_fen=0, credit_fen=0)
        )
        added += 1
    return added


def guard(engine: Engine, operator: str | None, action: str = "db.upgrade") -> None:
    """Once a database has operators, only an admin changes its schema or copies it whole.

    A new, empty database has no one to ask: ``fund init --admin`` creates the first admin.
    """

    with UnitOfWork(engine, write=False) as uow:
        if current(uow.conn) is None:
            return
        if not uow.conn.scalar(select(func.count()).select_from(Operator)):
            return
        authorise(uow.conn, operator, action)
