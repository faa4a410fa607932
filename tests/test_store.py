"""The store contract: every test runs on SQLiteStore, MemoryStore and PostgresStore alike."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sitrep.adapters.store import MemoryStore, SQLiteStore, Store
from sitrep.adapters.store.base import BBox, Bucket, EventQuery, GroupBy, bucket_events
from sitrep.adapters.store.migrations import LATEST_VERSION
from sitrep.errors import ConfigError
from sitrep.records import Document, DocumentStatus, Event, Failure, Modality
from tests.pg import new_postgres_store
from tests.test_store_factories import (
    HOSTILE,
    documents,
    events,
    make_document,
    make_event,
    make_source,
)

STORES = ["memory", "sqlite", "postgres"]


def new_store(kind: str, tmp_path: Path | None = None) -> Store:
    if kind == "memory":
        return MemoryStore()
    if kind == "postgres":
        # A fresh schema of the session's server (tests/pg.py); skips when there is none.
        # Property tests (no tmp_path) make a store per example: they reuse emptied schemas.
        return new_postgres_store(reuse=tmp_path is None)
    return SQLiteStore(tmp_path / "contract.db" if tmp_path is not None else ":memory:")


@pytest.fixture(params=STORES)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    s = new_store(request.param, tmp_path)
    with s:
        yield s


def ids(found: list[Event]) -> list[str]:
    return [e.event_id for e in found]


# -- documents -------------------------------------------------------------------------------


def test_save_then_get_returns_the_same_document(store: Store) -> None:
    doc = make_document("doc-a", make_event("e1"), make_event("e2", event_date=None))
    store.save_document(doc)
    assert store.has_document("doc-a")
    assert store.get_document("doc-a") == doc


def test_unknown_document_is_absent(store: Store) -> None:
    assert not store.has_document("nope")
    assert store.get_document("nope") is None


def test_get_document_drops_nlp_doc_and_mentions(store: Store) -> None:
    store.save_document(replace(make_document("doc-a"), nlp_doc=object()))
    got = store.get_document("doc-a")
    assert got is not None
    assert got.nlp_doc is None
    assert got.mentions == ()


def test_resaving_a_document_replaces_its_parts(store: Store) -> None:
    store.save_document(make_document("doc-a", make_event("e1"), make_event("e2")))
    smaller = make_document(
        "doc-a", make_event("e2", fatalities=9), headline="New", segments=(), comments=()
    )
    store.save_document(smaller)
    assert store.get_document("doc-a") == smaller
    assert ids(store.events(EventQuery())) == ["e2"]
    assert store.events(EventQuery())[0].fatalities == 9


def test_saving_twice_changes_nothing(store: Store) -> None:
    doc = make_document("doc-a", make_event("e1"))
    store.save_document(doc)
    store.save_document(doc)
    assert store.get_document("doc-a") == doc
    assert store.count_events() == 1
    assert store.events()[0].sources == doc.events[0].sources


def test_documents_lists_summaries_newest_first(store: Store) -> None:
    store.save_document(make_document("old", make_event("e1"), published=date(2017, 1, 1)))
    store.save_document(make_document("undated", published=None, comments=()))
    store.save_document(make_document("new", published=date(2019, 1, 1)))
    summaries = store.documents()
    assert [s.id for s in summaries] == ["new", "old", "undated"]
    old = summaries[1]
    assert (old.n_segments, old.n_comments, old.n_events) == (3, 1, 1)
    assert old.status is DocumentStatus.OK
    assert summaries[2].n_comments == 0
    assert [s.id for s in store.documents(limit=1, offset=1)] == ["old"]


def test_negative_paging_is_a_config_error(store: Store) -> None:
    with pytest.raises(ConfigError):
        store.documents(limit=-1)
    with pytest.raises(ConfigError):
        EventQuery(offset=-1)


# -- events shared by documents ----------------------------------------------------------------


def test_same_event_from_two_documents_keeps_both_sources(store: Store) -> None:
    store.save_document(make_document("doc-a", make_event("e1")))
    b_event = make_event("e1", sources=(make_source("doc-b", start=5, end=50),))
    store.save_document(make_document("doc-b", b_event))
    [event] = store.events()
    assert [s.document_id for s in event.sources] == ["doc-a", "doc-b"]


def test_resaving_one_document_replaces_only_its_sources(store: Store) -> None:
    store.save_document(make_document("doc-a", make_event("e1")))
    store.save_document(
        make_document("doc-b", make_event("e1", sources=(make_source("doc-b", start=5),)))
    )
    moved = make_event("e1", sources=(make_source("doc-a", start=99, end=120),))
    store.save_document(make_document("doc-a", moved))
    [event] = store.events()
    assert sorted((s.document_id, s.start) for s in event.sources) == [("doc-a", 99), ("doc-b", 5)]


def test_event_dropped_by_one_document_stays_while_another_reports_it(store: Store) -> None:
    store.save_document(make_document("doc-a", make_event("e1")))
    store.save_document(make_document("doc-b", make_event("e1", sources=(make_source("doc-b"),))))
    store.save_document(make_document("doc-a"))
    [event] = store.events()
    assert [s.document_id for s in event.sources] == ["doc-b"]


def test_event_left_without_sources_is_deleted(store: Store) -> None:
    store.save_document(make_document("doc-a", make_event("e1"), make_event("e2")))
    store.save_document(make_document("doc-a", make_event("e2")))
    assert ids(store.events()) == ["e2"]
    assert store.count_events(EventQuery(modality=None)) == 1


# -- failures --------------------------------------------------------------------------------


def test_failures_upsert_by_stage_and_record(store: Store) -> None:
    store.save_failure(Failure("read", "r2", "b.html", "InputError", "empty"))
    store.save_failure(Failure("read", "r1", "a.html", "InputError", "binary"))
    store.save_failure(Failure("read", "r1", "a.html", "InputError", "too large"))
    store.save_failure(Failure("nlp", "r1", "a.html", "StageError", "boom"))
    assert store.failures() == [
        Failure("nlp", "r1", "a.html", "StageError", "boom"),
        Failure("read", "r1", "a.html", "InputError", "too large"),
        Failure("read", "r2", "b.html", "InputError", "empty"),
    ]


# -- queries ---------------------------------------------------------------------------------


@pytest.fixture
def filled(store: Store) -> Store:
    store.save_document(
        make_document(
            "doc-a",
            make_event("a-syria", event_date=date(2018, 8, 22)),
            make_event(
                "b-ukraine",
                event_date=date(2022, 3, 1),
                country="Ukraine",
                iso="UA",
                event_type="Battles",
                sub_event_type="Armed clash",
                actor1="Military Forces of Russia (2000-)",
                actor2="Military Forces of Ukraine (2019-)",
                assoc_actor_2="Territorial Defence; Volunteers",
                admin1="Kyiv City",
                latitude=50.45,
                longitude=30.52,
                notes="Shelling in Kyiv.",
                confidence=0.9,
            ),
            make_event(
                "c-undated",
                event_date=None,
                country="Åland Islands",
                iso="AX",
                admin1=None,
                latitude=None,
                longitude=None,
            ),
            make_event("d-planned", modality=Modality.PLANNED, event_date=date(2018, 9, 1)),
        )
    )
    store.save_document(
        make_document(
            "doc-b",
            make_event(
                "e-kenya",
                event_date=date(2018, 8, 22),
                country="Kenya",
                iso="KE",
                event_type="Protests",
                sub_event_type="Protest with intervention",
                actor1="Protesters (Kenya)",
                actor2="Police Forces of Kenya (2013-2022)",
                fatalities=None,
                latitude=-1.29,
                longitude=36.82,
                sources=(make_source("doc-b", sentence="Police fired TEAR GAS at marchers."),),
            ),
        )
    )
    return store


def test_events_are_newest_first_undated_last_then_by_id(filled: Store) -> None:
    assert ids(filled.events()) == ["b-ukraine", "a-syria", "e-kenya", "c-undated"]


def test_modality_defaults_to_occurred_and_none_means_all(filled: Store) -> None:
    assert "d-planned" not in ids(filled.events())
    assert ids(filled.events(EventQuery(modality="PLANNED"))) == ["d-planned"]
    assert len(filled.events(EventQuery(modality=None))) == 5


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (EventQuery(since=date(2018, 8, 23)), ["b-ukraine"]),
        (EventQuery(until=date(2018, 8, 22)), ["a-syria", "e-kenya"]),
        (EventQuery(since=date(2018, 8, 22), until=date(2018, 8, 22)), ["a-syria", "e-kenya"]),
        (EventQuery(country="syria"), ["a-syria"]),
        (EventQuery(country="ke"), ["e-kenya"]),
        (EventQuery(country="ÅLAND ISLANDS"), ["c-undated"]),
        (EventQuery(country="Syr"), []),
        (EventQuery(event_type="battles"), ["b-ukraine"]),
        (EventQuery(event_type="protest WITH intervention"), ["e-kenya"]),
        (EventQuery(actor="russia"), ["b-ukraine"]),
        (EventQuery(actor="VOLUNTEERS"), ["b-ukraine"]),
        (EventQuery(actor="police forces"), ["e-kenya"]),
        (EventQuery(actor="nobody"), []),
        (EventQuery(document_id="doc-b"), ["e-kenya"]),
        (EventQuery(document_id="doc-a", country="Syria"), ["a-syria"]),
        (EventQuery(limit=2), ["b-ukraine", "a-syria"]),
        (EventQuery(limit=2, offset=2), ["e-kenya", "c-undated"]),
        (EventQuery(offset=3), ["c-undated"]),
        (EventQuery(limit=0), []),
    ],
)
def test_each_filter(filled: Store, query: EventQuery, expected: list[str]) -> None:
    assert ids(filled.events(query)) == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (EventQuery(admin1="DEIR-EZ-ZOR"), ["a-syria", "e-kenya"]),
        (EventQuery(admin1="Deir"), []),
        (EventQuery(event_types=("battles",)), ["b-ukraine"]),
        (EventQuery(event_types=("Battles", "PROTESTS")), ["b-ukraine", "e-kenya"]),
        # Exact types: a sub-event type name is not an event type.
        (EventQuery(event_types=("Armed clash",)), []),
        (
            EventQuery(sub_event_types=("armed CLASH", "Air/drone strike")),
            ["b-ukraine", "a-syria", "c-undated"],
        ),
        (EventQuery(min_confidence=0.85), ["b-ukraine"]),
        (EventQuery(min_confidence=0.8), ["b-ukraine", "a-syria", "e-kenya", "c-undated"]),
        (EventQuery(bbox=BBox(30, 40, 40, 55)), ["b-ukraine"]),
        (EventQuery(bbox=BBox(-180, -90, 180, 90)), ["b-ukraine", "a-syria", "e-kenya"]),
        # Across the antimeridian: west edge east of the east edge.
        (EventQuery(bbox=BBox(170, -90, -170, 90)), []),
        (EventQuery(bbox=BBox(40, -90, 31, 90)), ["b-ukraine", "a-syria"]),
        (EventQuery(q="KYIV"), ["b-ukraine"]),  # notes
        (EventQuery(q="tear gas"), ["e-kenya"]),  # a source's sentence
        (EventQuery(q="  "), ["b-ukraine", "a-syria", "e-kenya", "c-undated"]),
        (EventQuery(q="%"), []),
        (EventQuery(after=(date(2022, 3, 1), "b-ukraine")), ["a-syria", "e-kenya", "c-undated"]),
        (EventQuery(after=(date(2018, 8, 22), "a-syria")), ["e-kenya", "c-undated"]),
        (EventQuery(after=(date(2018, 8, 22), "e-kenya")), ["c-undated"]),
        (EventQuery(after=(None, "c-undated")), []),
        (EventQuery(after=(None, "a")), ["c-undated"]),
        (EventQuery(after=(date(2018, 8, 22), "a-syria"), limit=1), ["e-kenya"]),
        (
            EventQuery(
                country="sy", admin1="deir-ez-zor", event_types=("Explosions/Remote violence",)
            ),
            ["a-syria"],
        ),
    ],
)
def test_each_desk_filter(filled: Store, query: EventQuery, expected: list[str]) -> None:
    assert ids(filled.events(query)) == expected


def test_count_ignores_the_cursor(filled: Store) -> None:
    assert filled.count_events(EventQuery(after=(date(2018, 8, 22), "a-syria"))) == 4


def test_keyset_pages_walk_every_event_once(filled: Store) -> None:
    seen: list[Event] = []
    after = None
    for _ in range(10):
        page = filled.events(EventQuery(modality=None, limit=2, after=after))
        if not page:
            break
        seen += page
        last = page[-1]
        after = (last.event_date, last.event_id)
    assert ids(seen) == ids(filled.events(EventQuery(modality=None)))


@pytest.mark.parametrize("by", list(GroupBy))
def test_aggregates_match_the_events(filled: Store, by: GroupBy) -> None:
    for query in (
        EventQuery(),
        EventQuery(modality=None),
        EventQuery(country="Syria", modality=None),
    ):
        assert filled.aggregate_events(query, by=by) == bucket_events(filled.events(query), by=by)


def test_aggregates_by_type_and_day(filled: Store) -> None:
    assert filled.aggregate_events(EventQuery(modality=None), by="event_type") == [
        Bucket("Explosions/Remote violence", 3, 9, 0),
        Bucket("Battles", 1, 3, 0),
        Bucket("Protests", 1, 0, 1),
    ]
    assert filled.aggregate_events(EventQuery(), by="day") == [
        Bucket("2018-08-22", 2, 3, 1),
        Bucket("2022-03-01", 1, 3, 0),
        Bucket(None, 1, 3, 0),
    ]
    assert filled.aggregate_events(EventQuery(country="nowhere"), by="week") == []
    with pytest.raises(ConfigError, match="by must be one of"):
        filled.aggregate_events(EventQuery(), by="month")


def test_case_folding_goes_beyond_ascii(store: Store) -> None:
    store.save_document(make_document("doc-a", make_event("e1", actor2="Weiße Rose", iso="ΣΥ")))
    assert ids(store.events(EventQuery(actor="WEISSE ROSE"))) == ["e1"]
    assert ids(store.events(EventQuery(country="συ"))) == ["e1"]


def test_count_ignores_limit_and_offset(filled: Store) -> None:
    assert filled.count_events(EventQuery(limit=1, offset=1)) == 4
    assert filled.count_events(EventQuery(country="Syria", modality=None)) == 2


def test_events_carry_their_sources(filled: Store) -> None:
    [kenya] = filled.events(EventQuery(country="Kenya"))
    assert kenya.sources == (make_source("doc-b", sentence="Police fired TEAR GAS at marchers."),)


# -- hostile text ----------------------------------------------------------------------------


def test_hostile_text_is_stored_and_matched_literally(store: Store) -> None:
    event = make_event(
        "e1",
        actor1=HOSTILE,
        notes=HOSTILE,
        country=HOSTILE,
        sources=(make_source("doc-a", sentence=HOSTILE, attribution=(HOSTILE, "x")),),
    )
    store.save_document(make_document("doc-a", event, text=HOSTILE, headline=HOSTILE))
    assert store.get_document("doc-a") == make_document(
        "doc-a", event, text=HOSTILE, headline=HOSTILE
    )
    assert ids(store.events(EventQuery(actor="'); DROP TABLE events; --"))) == ["e1"]
    assert ids(store.events(EventQuery(country=HOSTILE))) == ["e1"]
    # LIKE wildcards in a query are text, not patterns.
    assert ids(store.events(EventQuery(actor="%"))) == ["e1"]
    assert ids(store.events(EventQuery(actor="_x_"))) == []
    assert store.count_events() == 1


# -- schema and lifecycle --------------------------------------------------------------------


def test_stores_satisfy_the_protocol(store: Store) -> None:
    assert isinstance(store, Store)


def test_schema_version_is_the_latest(store: Store) -> None:
    assert store.schema_version() == LATEST_VERSION


@pytest.mark.parametrize("kind", STORES)
def test_stores_are_context_managers_that_close(kind: str) -> None:
    with new_store(kind) as s:
        s.save_document(make_document("doc-a"))
    with pytest.raises(Exception, match="closed"):
        s.has_document("doc-a")


# -- property tests --------------------------------------------------------------------------


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(doc=documents)
@pytest.mark.parametrize("kind", STORES)
def test_any_document_round_trips(kind: str, doc: Document) -> None:
    with new_store(kind) as s:
        s.save_document(doc)
        assert s.get_document(doc.id) == doc


@settings(max_examples=60, deadline=None)
@given(event=events)
@pytest.mark.parametrize("kind", STORES)
def test_any_event_round_trips_through_store_and_json(kind: str, event: Event) -> None:
    with new_store(kind) as s:
        s.save_document(make_document("doc-a", event))
        [stored] = s.events(EventQuery(modality=None))
    assert stored == event
    assert json.loads(json.dumps(stored.to_dict())) == event.to_dict()


queries = st.builds(
    EventQuery,
    since=st.none() | st.dates(min_value=date(2017, 1, 1), max_value=date(2023, 1, 1)),
    until=st.none() | st.dates(min_value=date(2017, 1, 1), max_value=date(2023, 1, 1)),
    country=st.none() | st.sampled_from(["sy", "Syria", "ua", "ß", "SS", "İ", ""]),
    event_type=st.none() | st.sampled_from(["battles", "Armed clash", "x"]),
    actor=st.none() | st.sampled_from(["a", "ß", "SS", "%", "", "forces"]),
    modality=st.none() | st.sampled_from(["occurred", "PLANNED"]),
    document_id=st.none() | st.sampled_from(["doc-a", "doc-b"]),
    limit=st.none() | st.integers(min_value=0, max_value=4),
    offset=st.integers(min_value=0, max_value=3),
    admin1=st.none() | st.sampled_from(["Deir-ez-Zor", "ß", "SS", ""]),
    event_types=st.lists(st.sampled_from(["battles", "Riots", "ß", "x"]), max_size=2),
    sub_event_types=st.lists(st.sampled_from(["armed clash", "Attack", "İ"]), max_size=2),
    min_confidence=st.none() | st.floats(min_value=0, max_value=1),
    bbox=st.none()
    | st.builds(
        BBox,
        st.floats(min_value=-180, max_value=180),
        st.floats(min_value=-90, max_value=0),
        st.floats(min_value=-180, max_value=180),
        st.floats(min_value=0, max_value=90),
    ),
    q=st.none() | st.sampled_from(["a", "ß", "SS", "%", " ", "river", "\x00"]),
    after=st.none()
    | st.tuples(
        st.none() | st.dates(min_value=date(2017, 1, 1), max_value=date(2023, 1, 1)),
        st.sampled_from(["", "a", "m", "z"]),
    ),
)


@settings(max_examples=80, deadline=None)
@given(
    batch=st.lists(events, min_size=1, max_size=6, unique_by=lambda e: e.event_id),
    query=queries,
)
def test_memory_and_sqlite_answer_every_query_alike(batch: list[Event], query: EventQuery) -> None:
    with MemoryStore() as memory, SQLiteStore(":memory:") as sqlite:
        for s in (memory, sqlite):
            s.save_document(make_document("doc-a", *batch[::2]))
            s.save_document(make_document("doc-b", *batch[1::2]))
        assert memory.events(query) == sqlite.events(query)
        assert memory.count_events(query) == sqlite.count_events(query)
        assert memory.documents() == sqlite.documents()
        for by in GroupBy:
            assert memory.aggregate_events(query, by=by) == sqlite.aggregate_events(query, by=by)
