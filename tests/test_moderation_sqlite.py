"""SQLite specifics of comment screening and moderation: migration 3, dumps, constraints."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from sitrep.adapters.store import SQLiteStore
from sitrep.adapters.store.base import CommentQuery
from sitrep.adapters.store.migrations import LATEST_VERSION, apply_migrations
from sitrep.records import Decision
from tests.test_moderation_store import queue_document
from tests.test_store_factories import make_document
from tests.test_store_sqlite import dump, raw

WHEN = datetime(2024, 5, 1, 12, 30, tzinfo=UTC)


def test_a_version_2_database_upgrades_with_its_comments_unscreened(tmp_path: Path) -> None:
    db = tmp_path / "v2.db"
    conn = raw(db)
    assert apply_migrations(conn, target=2) == 2
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute(
        "INSERT INTO documents (id, origin, text, status) VALUES ('doc-a', 'a.txt', 'x', 'ok')"
    )
    conn.execute(
        'INSERT INTO comments (document_id, ordinal, position, text, "start", "end") '
        "VALUES ('doc-a', 0, 0, 'Old comment', 0, 11)"
    )
    conn.close()
    with SQLiteStore(db) as store:
        assert store.schema_version() == LATEST_VERSION
        document = store.get_document("doc-a")
        assert document is not None and document.comments[0].screening is None
        [row] = store.comments()
        assert row.decision is None and row.text == "Old comment"
        store.save_moderation("doc-a", 0, decision="review", decided_at=WHEN)
        assert store.comments()[0].decision is Decision.REVIEW


def test_resaving_leaves_an_identical_dump_moderation_included(tmp_path: Path) -> None:
    db = tmp_path / "m.db"
    doc = queue_document()
    with SQLiteStore(db) as store:
        store.save_document(doc)
        store.save_moderation("doc-a", 1, decision="remove", moderator="Ann", decided_at=WHEN)
    before = dump(db)
    assert any('INSERT INTO "moderation"' in line for line in before)
    with SQLiteStore(db) as store:
        store.save_document(doc)
    assert dump(db) == before


def test_the_schema_refuses_a_decision_that_is_not_one(tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    with SQLiteStore(db) as store:
        store.save_document(make_document("doc-a"))
    conn = raw(db)
    with pytest.raises(sqlite3.IntegrityError):
        conn.execute(
            "INSERT INTO moderation (document_id, position, decision, decided_at) "
            "VALUES ('doc-a', 0, 'delete', '2024-01-01T00:00:00+00:00')"
        )
    conn.close()


def test_machine_filter_uses_its_index(tmp_path: Path) -> None:
    with SQLiteStore(tmp_path / "i.db") as store:
        plan = store._conn.execute(
            "EXPLAIN QUERY PLAN SELECT * FROM comments WHERE decision = 'remove'"
        )
        assert "comments_decision" in " ".join(str(tuple(r)) for r in plan)
        assert store.comments(CommentQuery(machine="remove")) == []
