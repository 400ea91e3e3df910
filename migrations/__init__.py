"""Alembic migrations of the fundcore schema (run by ``fund init`` / ``fund db upgrade``)."""
