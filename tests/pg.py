"""A PostgreSQL server for the store tests: one per session, a fresh schema per store.

The server is SITREP_TEST_POSTGRES_URL when set (a database the tests may create schemas in),
else a throwaway cluster that scripts/start-postgres.sh starts on loopback, stopped at exit.
Without either, the PostgreSQL tests skip, naming the package to install (CI installs it).
"""

from __future__ import annotations

import atexit
import glob
import os
import shutil
import subprocess
import tempfile
import threading
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest

from sitrep.adapters.store.base import Store

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "start-postgres.sh"
ENV = "SITREP_TEST_POSTGRES_URL"
# Read at import: the autouse fixture in conftest.py hides SITREP_* variables from each test.
_ENV_URL = os.environ.get(ENV)
_MISSING = (
    f"no PostgreSQL server: set {ENV}=postgresql://... or install Debian's `postgresql` "
    "package (apt-get install -y postgresql) so scripts/start-postgres.sh can start one"
)

_lock = threading.Lock()
_state: dict[str, str | None] = {}
_schemas: list[str] = []


def _have_binaries() -> bool:
    return bool(
        glob.glob("/usr/lib/postgresql/*/bin/initdb")
        or (shutil.which("initdb") and shutil.which("pg_ctl"))
    )


def _start() -> str | None:
    """Start a throwaway server; return its URL, None when no binaries or it fails."""
    if not _have_binaries() or (shutil.which("runuser") is None and os.geteuid() == 0):
        return None
    workdir = tempfile.mkdtemp(prefix="sitrep-pg-")
    result = subprocess.run(
        [str(SCRIPT), "--fast"],
        env={**os.environ, "SITREP_PG_DIR": workdir},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    if result.returncode != 0:
        shutil.rmtree(workdir, ignore_errors=True)
        _state["error"] = result.stderr.strip()
        return None
    atexit.register(
        subprocess.run, [str(SCRIPT), "--stop", workdir], capture_output=True, check=False
    )
    return result.stdout.strip().splitlines()[-1]


def server_url() -> str:
    """Return the test server's URL, starting it on first use; skip the test when none."""
    pytest.importorskip(
        "psycopg", reason="psycopg is not installed: pip install 'sitrep[postgres]'"
    )
    with _lock:
        if "url" not in _state:
            _state["url"] = _ENV_URL or _start()
            if _state["url"] is not None:
                atexit.register(_drop_schemas)
                _share_trigrams(_state["url"])
        url = _state["url"]
    if url is None:
        error = _state.get("error")
        pytest.skip(_MISSING + (f" (start-postgres.sh said: {error})" if error else ""))
    return url


def _share_trigrams(url: str) -> None:
    """Install pg_trgm once in the default schema, so no test's schema owns (and drops) it."""
    import psycopg

    try:
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except psycopg.Error:
        pass  # without rights: each store then goes without trigram indexes


def new_postgres_store(*, reuse: bool = False) -> Store:
    """Return a PostgresStore on a fresh schema, dropped when the store closes.

    Args:
        reuse: take a schema an earlier store emptied (TRUNCATE) instead of a new one, and
            empty it again on close: for property tests that make a store per example.
    """
    pytest.importorskip(
        "psycopg", reason="psycopg is not installed: pip install 'sitrep[postgres]'"
    )
    from sitrep.adapters.store.postgres import PostgresStore

    class SchemaStore(PostgresStore):
        def close(self) -> None:
            if self._conn.closed:
                return
            if reuse:
                self._conn.execute(_EMPTY)
                super().close()
                _free.append(self.url)
            else:
                super().close()
                drop_schema(self.url)

    url = _free.pop() if reuse and _free else fresh_url()
    return SchemaStore(url)


# DELETE, not TRUNCATE: on a few rows it is many times faster.
_EMPTY = "; ".join(
    f"DELETE FROM {table}"
    for table in (
        "fused_events",  # its sources and memberships go by cascade
        "moderation",
        "failures",
        "event_sources",
        "document_events",
        "events",
        "comments",
        "segments",
        "documents",
    )
)
_free: list[str] = []


def fresh_url() -> str:
    """Return a URL whose search path is a new, empty schema of the test server."""
    import psycopg
    from psycopg import sql

    base = server_url()
    schema = f"sitrep_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(schema)))
    _schemas.append(schema)
    separator = "&" if "?" in base else "?"
    return f"{base}{separator}options={quote(f'-csearch_path={schema}')}"


def drop_schema(url: str) -> None:
    """Drop the schema ``fresh_url`` made for ``url`` (DROP SCHEMA ... CASCADE)."""
    import psycopg
    from psycopg import sql

    schema = next((s for s in _schemas if s in url), None)
    if schema is None:
        return
    with psycopg.connect(server_url(), autocommit=True) as conn:
        conn.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(schema)))
    _schemas.remove(schema)


def _drop_schemas() -> None:
    """Drop the schemas tests left (a store made outside a fixture), on an outside server."""
    if not _schemas or _ENV_URL is None:
        return
    import psycopg
    from psycopg import sql

    with psycopg.connect(_ENV_URL, autocommit=True) as conn:
        for schema in _schemas:
            conn.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(schema)))
