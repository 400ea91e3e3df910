"""Sustained concurrent load on PostgreSQL."""
