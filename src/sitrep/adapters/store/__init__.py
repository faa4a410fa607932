"""Stores: where documents, events and failures are kept; ``open_store`` picks one by URL."""

from __future__ import annotations

from sitrep.adapters.store.base import DocumentSummary, EventQuery, Store
from sitrep.adapters.store.memory import MemoryStore
from sitrep.adapters.store.sqlite import SQLiteStore
from sitrep.errors import ConfigError

__all__ = ["DocumentSummary", "EventQuery", "MemoryStore", "SQLiteStore", "Store", "open_store"]

_ACCEPTED = (
    "sqlite:///relative/path.db, sqlite:////absolute/path.db, sqlite:///:memory:, memory:// "
    "or postgresql://user@host:port/dbname"
)


def open_store(url: str) -> Store:
    """Open the store a database URL names.

    Args:
        url: "sqlite:///relative/path.db", "sqlite:////absolute/path.db", "sqlite:///:memory:"
            or "memory://" (an in-memory fake), or a PostgreSQL URL
            "postgresql://user:password@host:port/dbname" (needs psycopg: the postgres extra).

    Raises:
        ConfigError: the URL names no store this version supports, psycopg is not
            installed, or the PostgreSQL server cannot be reached.
    """
    if url == "memory://":
        return MemoryStore()
    if url.startswith("sqlite:///"):
        # As in SQLAlchemy: three slashes then the path, so a fourth slash makes it absolute.
        path = url.removeprefix("sqlite:///")
        if not path:
            raise ConfigError(f"database URL {url!r} names no file; use {_ACCEPTED}")
        return SQLiteStore(path)
    if url.startswith(("postgresql:", "postgres:", "postgresql+")):
        return _open_postgres(url)
    raise ConfigError(f"unsupported database URL {url!r}; use {_ACCEPTED}")


def _open_postgres(url: str) -> Store:
    """Open a PostgresStore; psycopg is imported only when one is asked for."""
    try:
        from sitrep.adapters.store.postgres import PostgresStore
    except ImportError as e:
        raise ConfigError(
            f"PostgreSQL needs psycopg 3, which is not installed ({e}); install it with "
            "pip install 'sitrep[postgres]' (or pip install 'psycopg[binary]>=3.2,<4')"
        ) from None
    return PostgresStore(url)
