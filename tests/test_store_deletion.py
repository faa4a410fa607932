"""Deleting a document with everything derived from it, on memory, SQLite and PostgreSQL.

The contract (docs/decisions/0015-data-rights.md): after ``delete_document`` no table holds
anything of the document, other documents keep their events (a shared event keeps its other
sources), clusters are what a rebuild without the document gives, and processing the page
again restores the store as it was.
"""

from __future__ import annotations

import sqlite3
import sys
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sitrep.adapters.store import MemoryStore, SQLiteStore, Store
from sitrep.adapters.store.base import CommentQuery, EventQuery
from sitrep.adapters.store.deletion import DeletionReport, UnknownDocumentError
from sitrep.errors import StoreError
from sitrep.fuse_store import fuse_documents, rebuild_clusters
from sitrep.records import Document, Event, Failure
from tests.test_store import STORES, new_store
from tests.test_store_factories import make_document, make_event, make_source

# Distinctive strings: a dump of the store holding any of them still holds the document.
GONE = "doc-gone-5e1f"
GONE_SENTENCE = "Zeppelins shelled the quarry at dawn, killing 4 miners."
GONE_COMMENT = "A comment only the gone page has"


@pytest.fixture(params=STORES)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    s = new_store(request.param, tmp_path)
    with s:
        yield s


def report(event_id: str, doc: str, **overrides: Any) -> Event:
    """A report of the pool's strike from page ``doc`` (compatible with the others)."""
    sentence = overrides.pop("sentence", f"Warplanes struck the river bank ({doc}).")
    source = make_source(doc, url=f"https://{doc}.example/a", attribution=(), sentence=sentence)
    return make_event(event_id, sources=(source,), **overrides)


def page(doc: str, *events: Event, **overrides: Any) -> Document:
    return make_document(doc, *events, **overrides)


def gone_page() -> Document:
    """The page to delete: a report fused with two others, one event it shares, a comment."""
    comment = replace(make_document().comments[0], text=GONE_COMMENT)
    return page(
        GONE,
        report("gone-strike", GONE, fatalities=4, sentence=GONE_SENTENCE),
        shared_event(GONE),
        report(
            "gone-only",
            GONE,
            event_date=date(2018, 3, 1),
            location="Quarry",
            sentence=GONE_SENTENCE,
        ),
        comments=(comment,),
    )


def shared_event(doc: str) -> Event:
    """One event id that two pages report (the same sentence found in both)."""
    return make_event(
        "shared",
        event_date=date(2018, 5, 5),
        location="Bridge",
        sources=(make_source(doc, url=f"https://{doc}.example/a"),),
    )


def fill(store: Store) -> None:
    """Four pages, fused: the gone page, two that report its strike, one that shares."""
    store.save_document(gone_page())
    store.save_document(page("two", report("two-strike", "two", fatalities=5)))
    store.save_document(page("three", report("three-strike", "three")))
    store.save_document(page("four", shared_event("four"), report("four-other", "four")))
    store.save_failure(Failure("nlp", GONE, f"pages/{GONE}.txt", "StageTimeout", "too slow"))
    store.save_failure(Failure("nlp", "four", "pages/four.txt", "StageTimeout", "too slow"))
    store.save_moderation(GONE, 0, decision="remove", moderator="mod", note="spam")
    fuse_documents(store, [GONE, "two", "three", "four"])


def state(store: Store) -> tuple[Any, ...]:
    """Everything a store answers, through the protocol."""
    summaries = store.documents()
    return (
        summaries,
        [store.get_document(s.id) for s in summaries],
        store.events(EventQuery(modality=None)),
        store.events(EventQuery(modality=None, fused=True)),
        [(c.cluster_id, c.members) for c in store.clusters()],
        store.comments(),
        store.failures(),
    )


def dump(store: Store) -> str:
    """Every row of every table (SQL stores) or every dict (MemoryStore), as text."""
    if isinstance(store, MemoryStore):
        return repr(vars(store))
    if isinstance(store, SQLiteStore):
        conn = sqlite3.connect(store.path)
        try:
            return "\n".join(conn.iterdump())
        finally:
            conn.close()
    import psycopg

    url = store.url  # type: ignore[attr-defined]
    with psycopg.connect(url) as conn:
        tables = [
            str(row[0])
            for row in conn.execute(
                "SELECT table_name FROM information_schema.tables "
                "WHERE table_schema = current_schema() ORDER BY table_name"
            )
        ]
        from psycopg import sql

        return "\n".join(
            repr(conn.execute(sql.SQL("SELECT * FROM {}").format(sql.Identifier(t))).fetchall())
            for t in tables
        )


# -- the contract -------------------------------------------------------------------------------


def test_deletion_leaves_nothing_of_the_document(store: Store) -> None:
    fill(store)
    before = dump(store)
    assert GONE in before and GONE_SENTENCE in before and GONE_COMMENT in before
    assert "gone-only" in before and "spam" in before

    deleted = store.delete_document(GONE)

    assert deleted == DeletionReport(
        document_id=GONE,
        documents=1,
        segments=3,
        comments=1,
        moderation=1,
        failures=1,
        sources=3,
        events=2,
        events_kept=1,
        clusters_removed=0,
        clusters_rebuilt=1,
    )
    after = dump(store)
    for trace in (GONE, GONE_SENTENCE, GONE_COMMENT, "gone-strike", "gone-only", "spam"):
        assert trace not in after, trace
    assert not store.has_document(GONE)
    assert store.get_document(GONE) is None
    assert store.events(EventQuery(document_id=GONE, modality=None)) == []
    assert store.events(EventQuery(document_id=GONE, modality=None, fused=True)) == []
    assert store.clusters(document_ids=[GONE]) == []
    assert store.comments(CommentQuery(document_id=GONE)) == []
    assert [f.record_id for f in store.failures()] == ["four"]
    assert store.events_by_id(["gone-strike", "gone-only"]) == []


def test_other_documents_keep_their_events_and_shared_sources(store: Store) -> None:
    fill(store)
    store.delete_document(GONE)
    [shared] = store.events_by_id(["shared"])
    assert [s.document_id for s in shared.sources] == ["four"]
    four = store.get_document("four")
    assert four is not None and [e.event_id for e in four.events] == ["shared", "four-other"]
    assert {e.event_id for e in store.events(EventQuery(modality=None))} == {
        "shared",
        "two-strike",
        "three-strike",
        "four-other",
    }
    assert [f.record_id for f in store.failures()] == ["four"]


def test_clusters_are_those_of_a_rebuild_without_the_document(store: Store, tmp_path: Path) -> None:
    fill(store)
    assert any("gone-strike" in c.members for c in store.clusters())
    store.delete_document(GONE)
    assert all(
        GONE not in {s.document_id for s in e.sources}
        for e in store.events(EventQuery(modality=None, fused=True))
    )
    kept = (
        [(c.cluster_id, c.members) for c in store.clusters()],
        store.events(EventQuery(modality=None, fused=True)),
    )
    rebuild_clusters(store)
    assert kept == (
        [(c.cluster_id, c.members) for c in store.clusters()],
        store.events(EventQuery(modality=None, fused=True)),
    )
    assert kept[0], "the other reports of the strike still form a cluster"


def test_a_cluster_left_with_one_report_disappears(store: Store) -> None:
    store.save_document(page("one", report("a", "one")))
    store.save_document(page("two", report("b", "two", fatalities=1)))
    fuse_documents(store, ["one", "two"])
    assert len(store.clusters()) == 1
    deleted = store.delete_document("two")
    assert (deleted.clusters_removed, deleted.clusters_rebuilt) == (1, 0)
    assert store.clusters() == []
    [row] = store.events(EventQuery(fused=True))
    assert row.event_id == "a" and [s.document_id for s in row.sources] == ["one"]


def test_processing_the_page_again_restores_the_store(store: Store) -> None:
    fill(store)
    # Moderators' decisions and failures are not the page's: re-processing cannot bring
    # them back, so they are left out of the comparison.
    expected = _without_decisions(state(store))
    store.delete_document(GONE)
    assert _without_decisions(state(store)) != expected
    store.save_document(gone_page())
    store.save_failure(Failure("nlp", GONE, f"pages/{GONE}.txt", "StageTimeout", "too slow"))
    fuse_documents(store, [GONE])
    assert _without_decisions(state(store)) == expected


def _without_decisions(found: tuple[Any, ...]) -> tuple[Any, ...]:
    comments = [replace(row, moderation=None, decision=None) for row in found[5]]
    return (*found[:5], comments, found[6])


def test_an_unknown_document_is_a_store_error_naming_it(store: Store) -> None:
    fill(store)
    expected = state(store)
    with pytest.raises(UnknownDocumentError, match="no-such-page") as raised:
        store.delete_document("no-such-page")
    assert isinstance(raised.value, StoreError)
    assert state(store) == expected


def test_a_failed_page_without_a_document_can_be_deleted(store: Store) -> None:
    store.save_failure(Failure("read", "page-x", "pages/x.html", "InputError", "binary"))
    deleted = store.delete_document("page-x")
    assert (deleted.documents, deleted.failures) == (0, 1)
    assert store.failures() == []
    with pytest.raises(UnknownDocumentError):
        store.delete_document("page-x")


def test_a_deletion_that_fails_half_way_changes_nothing(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    fill(store)
    expected = state(store)

    def broken(*args: object, **kwargs: object) -> list[object]:
        raise StoreError("injected fault after the rows were deleted")

    monkeypatch.setattr(sys.modules[type(store).__mro__[-2].__module__], "fuse_events", broken)
    with pytest.raises(StoreError, match="injected"):
        store.delete_document(GONE)
    monkeypatch.undo()
    assert state(store) == expected


def test_sqlite_dump_is_identical_after_delete_and_reprocess(tmp_path: Path) -> None:
    with SQLiteStore(tmp_path / "d.db") as store:
        store.save_document(page("one", report("a", "one")))
        store.save_document(page("two", report("b", "two", fatalities=2), shared_event("two")))
        store.save_document(page("three", shared_event("three")))
        fuse_documents(store, ["one", "two", "three"])
        before = dump(store)
        store.delete_document("two")
        assert dump(store) != before
        store.save_document(page("two", report("b", "two", fatalities=2), shared_event("two")))
        fuse_documents(store, ["two"])
        assert dump(store) == before


# -- deleting equals never saving ----------------------------------------------------------------


def _pool() -> dict[str, list[Event]]:
    """Pages of a few strikes, near misses and a month-level summary; p1 has two reports."""
    near = {"latitude": 34.50, "longitude": 40.93}
    return {
        "p1": [
            report("a1", "p1"),
            report(
                "d2", "p1", latitude=34.82, sub_event_type=("Shelling/artillery/missile attack")
            ),
        ],
        "p2": [report("a2", "p2", **near, fatalities=5)],
        "p3": [report("a3", "p3", geo_precision=2, latitude=34.6)],
        "p4": [report("b1", "p4", event_date=date(2018, 8, 23))],
        "p5": [report("b2", "p5", event_date=date(2018, 8, 23), **near)],
        "p6": [report("c1", "p6", event_date=date(2018, 8, 10), time_precision=3)],
        "p7": [report("d1", "p7", latitude=34.81)],
    }


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    kind=st.sampled_from(["memory", "sqlite"]),
    deleted=st.lists(st.sampled_from(sorted(_pool())), unique=True, max_size=4),
)
def test_deleting_pages_equals_never_saving_them(kind: str, deleted: list[str]) -> None:
    pool = _pool()
    with new_store(kind) as store, new_store(kind) as never:
        for doc, events in pool.items():
            store.save_document(page(doc, *events))
            if doc not in deleted:
                never.save_document(page(doc, *events))
        fuse_documents(store, list(pool))
        fuse_documents(never, [d for d in pool if d not in deleted])
        for doc in deleted:
            store.delete_document(doc)
        assert state(store) == state(never)
