"""Fusion in the stores: the cluster contract on memory, SQLite and PostgreSQL, incremental
fusion (sitrep.fuse_store) equal to a rebuild whatever the arrival order, and the CLI."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sitrep.adapters.store import SQLiteStore, Store
from sitrep.adapters.store.base import EventQuery
from sitrep.errors import StoreError
from sitrep.fuse import fuse_events, search_window
from sitrep.fuse_store import fuse_documents, rebuild_clusters
from sitrep.records import Document, Event
from tests.test_store import STORES, new_store
from tests.test_store_factories import make_document, make_event, make_source


@pytest.fixture(params=STORES)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    s = new_store(request.param, tmp_path)
    with s:
        yield s


def report(event_id: str, doc: str, **overrides: object) -> Event:
    source = make_source(doc, url=f"https://{doc}.example/a", attribution=())
    return make_event(event_id, sources=(source,), **overrides)


def page(doc: str, *events: Event) -> Document:
    return make_document(doc, *events)


def stored_clusters(store: Store) -> set[frozenset[str]]:
    return {frozenset(c.members) for c in store.clusters()}


# -- the store contract -------------------------------------------------------------------------


def test_fused_view_lists_a_cluster_once_with_every_source(store: Store) -> None:
    a, b = report("a", "one"), report("b", "two", fatalities=5)
    lone = report("z", "three", event_date=date(2019, 1, 1))
    store.save_document(page("one", a))
    store.save_document(page("two", b))
    store.save_document(page("three", lone))
    [fused] = [f for f in fuse_events([a, b, lone]) if len(f.members) > 1]
    store.replace_clusters(fuse_events([a, b, lone]), events=["a", "b", "z"])
    rows = store.events(EventQuery(fused=True))
    assert [e.event_id for e in rows] == ["z", fused.cluster_id]
    assert rows[1] == fused.event
    assert {s.document_id for s in rows[1].sources} == {"one", "two"}
    assert store.count_events(EventQuery(fused=True)) == 2
    # The per-report view is unchanged.
    assert sorted(e.event_id for e in store.events()) == ["a", "b", "z"]
    # A document filter finds the cluster through any of its reports.
    found = store.events(EventQuery(fused=True, document_id="two"))
    assert [e.event_id for e in found] == [fused.cluster_id]
    assert store.clusters(document_ids=["one"])[0].members == ("a", "b")
    assert store.clusters(event_ids=["z"]) == []


def test_replacing_clusters_drops_the_old_ones(store: Store) -> None:
    a, b, c = report("a", "one"), report("b", "two"), report("c", "three")
    for doc, e in (("one", a), ("two", b), ("three", c)):
        store.save_document(page(doc, e))
    store.replace_clusters(fuse_events([a, b]), events=["a", "b"])
    assert stored_clusters(store) == {frozenset({"a", "b"})}
    store.replace_clusters(fuse_events([a, b, c]), events=["a", "b", "c"])
    assert stored_clusters(store) == {frozenset({"a", "b", "c"})}
    assert store.count_events(EventQuery(fused=True)) == 1
    store.clear_clusters()
    assert store.clusters() == []
    assert store.count_events(EventQuery(fused=True)) == 3


def test_a_cluster_of_unknown_events_is_refused(store: Store) -> None:
    a, b = report("a", "one"), report("b", "two")
    store.save_document(page("one", a))
    with pytest.raises(StoreError):
        store.replace_clusters(fuse_events([a, b]), events=["a", "b"])
    assert store.clusters() == []


def test_candidate_search_is_by_type_country_date_and_box(store: Store) -> None:
    a = report("a", "one")
    events = [
        report("near", "two", latitude=34.5, longitude=40.9),
        report("far", "three", latitude=36.5, longitude=40.9),
        report("region", "four", latitude=36.5, longitude=38.0, geo_precision=3),
        report("late", "five", event_date=date(2018, 12, 1)),
        report("clash", "six", event_type="Battles", sub_event_type="Armed clash"),
        report("kenya", "seven", iso="KE"),
    ]
    for e in events:
        store.save_document(page(e.sources[0].document_id, e))
    window = search_window(a)
    assert window is not None
    found = store.candidate_events(window)
    assert [e.event_id for e in found] == ["near", "region"]
    assert found[0].sources == events[0].sources
    assert [e.event_id for e in store.events_by_id(["far", "nope", "near"])] == ["far", "near"]


def test_deleting_a_member_event_drops_its_membership(store: Store) -> None:
    a, b = report("a", "one"), report("b", "two")
    store.save_document(page("one", a))
    store.save_document(page("two", b))
    store.replace_clusters(fuse_events([a, b]), events=["a", "b"])
    store.save_document(page("one"))  # re-processed: no event any more
    [cluster] = store.clusters(document_ids=["one"])
    assert cluster.members == ("b",)


# -- incremental fusion -------------------------------------------------------------------------


def test_process_style_fusion_merges_and_unmerges(store: Store) -> None:
    store.save_document(page("one", report("a", "one")))
    fuse_documents(store, ["one"])
    assert store.clusters() == []
    store.save_document(page("two", report("b", "two", fatalities=1)))
    report_ = fuse_documents(store, ["two"])
    assert (report_.clusters, report_.merged) == (1, 2)
    assert stored_clusters(store) == {frozenset({"a", "b"})}
    [row] = store.events(EventQuery(fused=True))
    assert row.fatalities == 1 and len(row.sources) == 2
    # Re-processing page two into another day takes its report out of the cluster.
    store.save_document(page("two", report("b2", "two", event_date=date(2018, 8, 25))))
    fuse_documents(store, ["two"])
    assert store.clusters() == []
    assert store.count_events(EventQuery(fused=True)) == 2


def _pool() -> list[Event]:
    """Reports of three strikes, near misses and a month-level summary, across 7 pages."""
    near = {"latitude": 34.50, "longitude": 40.93}
    return [
        report("a1", "p1"),
        report("a2", "p2", **near, fatalities=5),
        report("a3", "p3", geo_precision=2, latitude=34.6),
        report("b1", "p4", event_date=date(2018, 8, 23)),
        report("b2", "p5", event_date=date(2018, 8, 23), **near),
        report("c1", "p6", event_date=date(2018, 8, 10), time_precision=3),
        report("d1", "p7", latitude=34.81),
        report("d2", "p1", latitude=34.82, sub_event_type="Shelling/artillery/missile attack"),
    ]


def _pages(events: list[Event]) -> dict[str, list[Event]]:
    by_doc: dict[str, list[Event]] = {}
    for e in events:
        by_doc.setdefault(e.sources[0].document_id, []).append(e)
    return by_doc


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(order=st.permutations(list(_pages(_pool()))), batch=st.integers(1, 3))
def test_incremental_equals_rebuild_in_any_arrival_order(order: list[str], batch: int) -> None:
    pages = _pages(_pool())
    with SQLiteStore(":memory:") as store:
        for start in range(0, len(order), batch):
            docs = order[start : start + batch]
            for doc in docs:
                store.save_document(page(doc, *pages[doc]))
            fuse_documents(store, docs)
        incremental = {(c.cluster_id, c.members) for c in store.clusters()}
        rows = store.events(EventQuery(fused=True))
        rebuild_clusters(store)
        assert {(c.cluster_id, c.members) for c in store.clusters()} == incremental
        assert store.events(EventQuery(fused=True)) == rows
    assert incremental  # the pool does merge


@pytest.mark.parametrize("kind", STORES)
def test_incremental_equals_rebuild_on_every_store(kind: str, tmp_path: Path) -> None:
    pages = _pages(_pool())
    with new_store(kind, tmp_path) as store:
        for doc in sorted(pages, reverse=True):
            store.save_document(page(doc, *pages[doc]))
            fuse_documents(store, [doc])
        incremental = stored_clusters(store)
        rebuild_clusters(store)
        assert stored_clusters(store) == incremental
        assert any(c >= {"a1", "a2", "a3"} for c in incremental)
        assert all(len(c) > 1 for c in incremental)
        # Re-saving every page unchanged and fusing again changes nothing.
        for doc in sorted(pages):
            store.save_document(page(doc, *pages[doc]))
        fuse_documents(store, list(pages))
        assert stored_clusters(store) == incremental


def test_sources_are_never_lost() -> None:
    pool = _pool()
    fused = fuse_events(pool)
    kept = {(s.document_id, s.start, s.end) for f in fused for s in f.event.sources}
    assert kept == {(s.document_id, s.start, s.end) for e in pool for s in e.sources}
    assert sorted(m for f in fused for m in f.members) == sorted(e.event_id for e in pool)


# -- command line -------------------------------------------------------------------------------


def test_cli_fuse_and_events_fused(tmp_path: Path) -> None:
    from sitrep.cli import main

    db = f"sqlite:///{tmp_path / 'f.db'}"
    with SQLiteStore(tmp_path / "f.db") as store:
        store.save_document(page("one", report("a", "one")))
        store.save_document(page("two", replace(report("b", "two"), fatalities=1)))
    runner = CliRunner()
    before = runner.invoke(main, ["events", "--db", db, "--format", "jsonl"])
    assert before.exit_code == 0, before.output
    assert len(before.output.splitlines()) == 2  # not fused yet
    result = runner.invoke(main, ["fuse", "--db", db])
    assert result.exit_code == 0, result.output
    assert "1 events reported by several pages" in result.output
    fused = runner.invoke(main, ["events", "--db", db, "--format", "jsonl"])
    assert len(fused.output.splitlines()) == 1
    raw = runner.invoke(main, ["events", "--db", db, "--format", "jsonl", "--no-fused"])
    assert len(raw.output.splitlines()) == 2
    rebuilt = runner.invoke(main, ["fuse", "--db", db, "--rebuild"])
    assert rebuilt.exit_code == 0 and "2 reports" in rebuilt.output


@pytest.mark.slow
def test_written_pages_fuse_with_high_precision() -> None:
    """The real pipeline on tests/data/fusion (bench/fusion_eval.py): floors below today's."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "fusion_eval", Path(__file__).resolve().parent.parent / "bench" / "fusion_eval.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    result = module.score_pages(4)
    assert result["incremental_equals_rebuild"] is True
    assert result["page_pairs"]["precision"] >= 0.95
    assert result["page_pairs"]["recall"] >= 0.6
    assert result["false_merges"] == []
