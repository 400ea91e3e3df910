"""One unit of work per command: one connection, one transaction, all or nothing.

The ORM session (for one-thing-at-a-time commands) and Core statements (for batch
paths) share the same connection and transaction, so a command's state change, its
journal entry and its audit record commit together or not at all. On SQLite a
writing unit takes the write lock at BEGIN (``BEGIN IMMEDIATE``) so that two
commands never both read and then collide on write.
"""

from __future__ import annotations

from types import TracebackType

from sqlalchemy import Connection, Engine
from sqlalchemy.orm import Session

from fundcore.store import audit
from fundcore.store.db import refresh_statistics


class UnitOfWork:
    """Use as ``with UnitOfWork(engine) as uow: ...; uow.commit()``; rolls back otherwise."""

    conn: Connection
    session: Session

    def __init__(self, engine: Engine, *, write: bool = True) -> None:
        self.engine = engine
        self.write = write
        self._committed = False

    def __enter__(self) -> UnitOfWork:
        self.conn = self.engine.connect()
        if self.write and self.engine.dialect.name == "sqlite":
            self.conn.execution_options(sqlite_begin="IMMEDIATE")
        self._tx = self.conn.begin()
        self.session = Session(bind=self.conn, expire_on_commit=False, autoflush=True)
        return self

    def commit(self) -> None:
        if not self.write:
            raise RuntimeError("a read-only unit of work cannot commit")
        self.session.flush()
        self._tx.commit()
        self._committed = True
        refresh_statistics(self.conn)

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            if not self._committed and self._tx.is_active:
                self._tx.rollback()
        finally:
            kept = audit.take_regardless(self.conn)
            self.session.close()
            self.conn.close()
        if kept:  # what a refused or dry-run command must still tell the admin
            with UnitOfWork(self.engine) as uow:
                audit.write_regardless(uow.conn, kept)
                uow.commit()
