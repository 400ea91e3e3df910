"""A mapped class's ``Table``, typed as one.

SQLAlchemy's declarative base types ``__table__`` as a ``FromClause``, which ``insert``,
``update`` and ``bulk`` do not accept; every mapped class here is a plain table, so
this says so once, checked at import.
"""

from __future__ import annotations

from sqlalchemy import Table

from fundcore.store.models import Base


def table_of(model: type[Base]) -> Table:
    """The ``Table`` a declarative model is mapped to."""
    table = model.__table__
    if not isinstance(table, Table):
        raise TypeError(f"{model.__name__} is not mapped to a plain table")
    return table
