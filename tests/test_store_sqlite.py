"""SQLiteStore specifics: migrations, pragmas, idempotent dumps, atomicity, open_store URLs."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from sitrep.adapters.store import MemoryStore, SQLiteStore, open_store
from sitrep.adapters.store.base import EventQuery, fold
from sitrep.adapters.store.migrations import LATEST_VERSION, MIGRATIONS, apply_migrations
from sitrep.errors import ConfigError, StoreError
from sitrep.records import Failure
from tests.test_store_factories import make_document, make_event, make_source


def dump(path: Path) -> list[str]:
    conn = sqlite3.connect(path)
    conn.create_function("sitrep_fold", 1, fold, deterministic=True)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def raw(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.create_function("sitrep_fold", 1, fold, deterministic=True)
    return conn


# -- idempotence -----------------------------------------------------------------------------


def test_saving_a_document_twice_leaves_an_identical_dump(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    doc = make_document("doc-a", make_event("e1"), make_event("e2", event_date=None))
    with SQLiteStore(db) as store:
        store.save_document(doc)
        store.save_failure(Failure("read", "r1", "a.html", "InputError", "empty"))
    before = dump(db)
    with SQLiteStore(db) as store:
        store.save_document(doc)
        store.save_failure(Failure("read", "r1", "a.html", "InputError", "empty"))
    assert dump(db) == before
    assert any('INSERT INTO "events"' in line for line in before)


def test_dump_does_not_depend_on_save_order(tmp_path: Path) -> None:
    a = make_document("doc-a", make_event("e1"))
    b = make_document("doc-b", make_event("e1", sources=(make_source("doc-b"),)), make_event("e3"))
    with SQLiteStore(tmp_path / "ab.db") as store:
        store.save_document(a)
        store.save_document(b)
    with SQLiteStore(tmp_path / "ba.db") as store:
        store.save_document(b)
        store.save_document(a)
        store.save_document(b)
    assert dump(tmp_path / "ab.db") == dump(tmp_path / "ba.db")


# -- schema ----------------------------------------------------------------------------------


def test_a_new_database_gets_every_migration_and_reopens_unchanged(tmp_path: Path) -> None:
    db = tmp_path / "new.db"
    with SQLiteStore(db) as store:
        assert store.schema_version() == LATEST_VERSION
    first = dump(db)
    with SQLiteStore(db) as store:
        assert store.schema_version() == LATEST_VERSION
    assert dump(db) == first
    conn = raw(db)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == LATEST_VERSION
    assert conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone() == (
        str(LATEST_VERSION),
    )
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"documents", "segments", "comments", "events", "event_sources", "failures"} <= tables
    assert apply_migrations(conn) == LATEST_VERSION
    conn.close()


def test_an_old_database_is_upgraded_in_place(tmp_path: Path) -> None:
    db = tmp_path / "old.db"
    conn = raw(db)
    assert apply_migrations(conn, target=1) == 1
    indexes = "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name LIKE 'events_%'"
    assert conn.execute(indexes).fetchone() == (0,)
    conn.close()
    with SQLiteStore(db) as store:
        assert store.schema_version() == LATEST_VERSION == MIGRATIONS[-1].version
    conn = raw(db)
    assert conn.execute(indexes).fetchone()[0] >= 5
    conn.close()


def test_a_newer_database_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "future.db"
    conn = raw(db)
    conn.execute(f"PRAGMA user_version = {LATEST_VERSION + 1}")
    conn.close()
    with pytest.raises(StoreError, match="upgrade sitrep"):
        SQLiteStore(db)


def test_pragmas_wal_and_foreign_keys(tmp_path: Path) -> None:
    with SQLiteStore(tmp_path / "p.db") as store:
        conn = store._conn
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert conn.execute("PRAGMA busy_timeout").fetchone()[0] > 0


@pytest.mark.parametrize(
    ("where", "index"),
    [
        ("country_fold = 'syria' AND modality_fold = 'occurred'", "events_country_date"),
        ("iso_fold = 'sy' AND modality_fold = 'occurred'", "events_iso_date"),
        ("event_type_fold = 'battles'", "events_type_date"),
        ("sub_event_type_fold = 'armed clash'", "events_sub_type_date"),
        ("admin1_fold = 'deir-ez-zor'", "events_admin1_date"),
        ("modality_fold = 'occurred'", "events_modality_date"),
        ("event_date >= '2018-01-01'", "events_event_date"),
    ],
)
def test_filters_use_their_index(tmp_path: Path, where: str, index: str) -> None:
    with SQLiteStore(tmp_path / "i.db") as store:
        plan = store._conn.execute(f"EXPLAIN QUERY PLAN SELECT * FROM events WHERE {where}")
        assert index in " ".join(str(tuple(r)) for r in plan)


# -- atomicity -------------------------------------------------------------------------------


def test_a_failed_save_leaves_the_previous_version(tmp_path: Path) -> None:
    with SQLiteStore(tmp_path / "a.db") as store:
        good = make_document("doc-a", make_event("e1"))
        store.save_document(good)
        # A NOT NULL column given None fails half-way through the save.
        bad = make_document("doc-a", make_event("e2", sources=(make_source(sentence=None),)))
        with pytest.raises(StoreError):
            store.save_document(bad)
        assert store.get_document("doc-a") == good
        assert store.count_events() == 1


def test_hostile_text_leaves_the_schema_intact(tmp_path: Path) -> None:
    db = tmp_path / "h.db"
    with SQLiteStore(db) as store:
        evil = "x'); DROP TABLE events; --"
        store.save_document(make_document(evil, make_event(evil, actor1=evil), origin=evil))
        assert store.has_document(evil)
        assert [e.event_id for e in store.events(EventQuery(actor=evil))] == [evil]
    conn = raw(db)
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert "events" in tables
    conn.close()


# -- open_store ------------------------------------------------------------------------------


def test_open_store_relative_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "data").mkdir()
    with open_store("sqlite:///data/rel.db") as store:
        assert isinstance(store, SQLiteStore)
        store.save_document(make_document("doc-a"))
    assert (tmp_path / "data" / "rel.db").exists()


def test_open_store_absolute_path(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'abs.db'}"
    assert url.startswith("sqlite:////")
    with open_store(url) as store:
        assert isinstance(store, SQLiteStore)
    assert (tmp_path / "abs.db").exists()


def test_open_store_memory_forms() -> None:
    with open_store("sqlite:///:memory:") as store:
        assert isinstance(store, SQLiteStore)
        store.save_document(make_document("doc-a"))
        assert store.has_document("doc-a")
    with open_store("memory://") as store:
        assert isinstance(store, MemoryStore)


@pytest.mark.parametrize("url", ["mysql://x/y", "sitrep.db", "sqlite:///", "sqlite://x.db", ""])
def test_open_store_rejects_other_urls(url: str) -> None:
    with pytest.raises(ConfigError, match="sqlite:///") as info:
        open_store(url)
    assert repr(url) in str(info.value)


def test_open_store_in_a_missing_folder_says_so(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="folder exists"):
        open_store(f"sqlite:///{tmp_path / 'nope' / 'x.db'}")
