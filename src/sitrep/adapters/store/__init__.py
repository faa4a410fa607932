"""Stores: where documents, events and failures are kept; ``open_store`` picks one by URL."""

from __future__ import annotations

from sitrep.adapters.store.base import DocumentSummary, EventQuery, Store
from sitrep.adapters.store.memory import MemoryStore
from sitrep.adapters.store.sqlite import SQLiteStore
from sitrep.errors import ConfigError

__all__ = ["DocumentSummary", "EventQuery", "MemoryStore", "SQLiteStore", "Store", "open_store"]

_ACCEPTED = (
    "sqlite:///relative/path.db, sqlite:////absolute/path.db, sqlite:///:memory: or memory://"
)


def open_store(url: str) -> Store:
    """Open the store a database URL names.

    Args:
        url: "sqlite:///relative/path.db", "sqlite:////absolute/path.db", "sqlite:///:memory:"
            or "memory://" (an in-memory fake).

    Raises:
        ConfigError: the URL names no store this version supports.
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
        raise ConfigError(
            f"database URL {url!r}: PostgreSQL support is not available yet in this version; "
            "use sqlite:///PATH (a file next to you) instead"
        )
    raise ConfigError(f"unsupported database URL {url!r}; use {_ACCEPTED}")
