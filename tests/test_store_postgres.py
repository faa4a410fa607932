"""PostgresStore beyond the shared contract: text codec, migrations, indexes, COPY, errors.

The contract itself (tests/test_store.py, tests/test_moderation_store.py) runs on PostgreSQL
through their "postgres" parameter; these tests need the server too and skip without one.
"""

from __future__ import annotations

import contextlib
import sys
import threading
from collections.abc import Iterator
from dataclasses import replace
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sitrep.adapters.store import MemoryStore, open_store
from sitrep.adapters.store.base import CommentQuery, EventQuery, Store, UnknownCommentError
from sitrep.errors import ConfigError, StoreError
from sitrep.records import Comment, Decision, Event, Failure
from tests import pg
from tests.test_moderation_store import WHEN, comment_queries, queue_comments
from tests.test_store import queries
from tests.test_store_factories import (
    HOSTILE,
    events,
    make_document,
    make_event,
    make_source,
)

psycopg = pytest.importorskip("psycopg", reason="psycopg is not installed")

from sitrep.adapters.store.postgres import (  # noqa: E402
    PostgresStore,
    decode_text,
    encode_text,
    redact_url,
)
from sitrep.adapters.store.postgres_migrations import LATEST_VERSION, MIGRATIONS  # noqa: E402


@pytest.fixture(scope="session")
def postgres_url() -> str:
    """The session's server (SITREP_TEST_POSTGRES_URL or a throwaway one); skips without."""
    return pg.server_url()


@pytest.fixture
def schema_url(postgres_url: str) -> Iterator[str]:
    """A URL on a fresh, empty schema, dropped after the test."""
    url = pg.fresh_url()
    yield url
    pg.drop_schema(url)


@pytest.fixture
def store(schema_url: str) -> Iterator[PostgresStore]:
    with PostgresStore(schema_url) as s:
        yield s


def ids(found: list[Event]) -> list[str]:
    return [e.event_id for e in found]


# -- the text codec (no code but PostgreSQL's own rules: runs without a server) -------------------

tricky = st.text(
    st.sampled_from(["\x00", "\x01", "\x02", "\x03", "a", "ß", "☠"]) | st.characters(), max_size=12
)


@given(text=tricky)
def test_codec_round_trips_and_never_writes_nul(text: str) -> None:
    encoded = encode_text(text)
    assert "\x00" not in encoded
    assert decode_text(encoded) == text


@given(a=tricky, b=tricky)
def test_codec_keeps_substrings_and_order(a: str, b: str) -> None:
    assert (a in b) == (encode_text(a) in encode_text(b))
    assert (a < b) == (encode_text(a) < encode_text(b))


def test_codec_leaves_ordinary_text_alone() -> None:
    assert encode_text("Weiße Rose ☠ 'x'") == "Weiße Rose ☠ 'x'"


@pytest.mark.parametrize(
    "url",
    [
        "postgresql://ann:s3cr%21t@db.example:5433/sitrep",
        "postgres://ann:s3cr%21t@db.example/sitrep?sslmode=require",
    ],
)
def test_redacted_urls_hide_the_password(url: str) -> None:
    assert "s3cr" not in redact_url(url)
    assert "ann:***@db.example" in redact_url(url)


# -- opening ---------------------------------------------------------------------------------------


def test_open_store_opens_postgresql_urls(schema_url: str) -> None:
    for url in (schema_url, schema_url.replace("postgresql://", "postgresql+psycopg://", 1)):
        with open_store(url) as s:
            assert isinstance(s, PostgresStore)
            assert s.schema_version() == LATEST_VERSION


def test_unreachable_server_is_a_config_error_naming_host_and_port() -> None:
    with socket_bound() as port:  # a port nothing listens on
        url = f"postgresql://ann:hunter2secret@127.0.0.1:{port}/sitrep?connect_timeout=3"
        with pytest.raises(ConfigError, match=f"127.0.0.1:{port}") as err:
            open_store(url)
    assert "hunter2secret" not in str(err.value)
    assert "hunter2secret" not in repr(err.value.__cause__)


def test_wrong_password_never_echoes_it(postgres_url: str) -> None:
    # The test server trusts loopback, so this only checks the password stays out of errors.
    url = postgres_url.replace("/sitrep_test", "/no_such_database_xyz").replace(
        "://sitrep@", "://sitrep:hunter2secret@"
    )
    with pytest.raises(ConfigError, match="no_such_database_xyz") as err:
        open_store(url)
    assert "hunter2secret" not in str(err.value)


def test_missing_psycopg_is_a_config_error_saying_how_to_install(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "sitrep.adapters.store.postgres", None)
    with pytest.raises(ConfigError, match=r"psycopg.*pip install 'sitrep\[postgres\]'"):
        open_store("postgresql://ann@127.0.0.1:1/sitrep")


def test_repr_hides_the_password(schema_url: str) -> None:
    url = schema_url.replace("://sitrep@", "://sitrep:hunter2secret@")
    with PostgresStore(url) as s:
        assert "hunter2secret" not in repr(s)


def test_a_closed_store_says_so(store: PostgresStore) -> None:
    store.close()
    store.close()
    with pytest.raises(StoreError, match="closed"):
        store.events()


# -- migrations --------------------------------------------------------------------------------


def test_migrations_are_recorded_and_not_reapplied(schema_url: str) -> None:
    with PostgresStore(schema_url) as s:
        s.save_document(make_document("doc-a", make_event("e1")))
    with PostgresStore(schema_url) as s:  # a second open finds the schema current
        assert s.get_document("doc-a") is not None
    with psycopg.connect(schema_url) as conn:
        rows = conn.execute("SELECT version, name FROM schema_migrations ORDER BY 1").fetchall()
    assert rows == [(m.version, m.name) for m in MIGRATIONS]


def test_a_newer_schema_is_refused(schema_url: str) -> None:
    PostgresStore(schema_url).close()
    with psycopg.connect(schema_url, autocommit=True) as conn:
        conn.execute("INSERT INTO schema_migrations (version, name) VALUES (99, 'future')")
    with pytest.raises(StoreError, match="newer than this sitrep"):
        PostgresStore(schema_url)


def test_concurrent_first_opens_migrate_once(schema_url: str) -> None:
    errors: list[BaseException] = []

    def open_one() -> None:
        try:
            PostgresStore(schema_url).close()
        except BaseException as e:  # collected for the assertion below
            errors.append(e)

    threads = [threading.Thread(target=open_one) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with psycopg.connect(schema_url) as conn:
        [(n,)] = conn.execute("SELECT count(*) FROM schema_migrations").fetchall()
    assert n == LATEST_VERSION


def test_filters_have_indexes_that_serve_them(store: PostgresStore, schema_url: str) -> None:
    store.save_document(make_document("doc-a", make_event("e1"), make_event("e2", actor1="Z")))
    with psycopg.connect(schema_url) as conn:
        names = {
            r[0]
            for r in conn.execute(
                "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema()"
            )
        }
        conn.execute("SET enable_seqscan = off")  # a tiny table: make the planner show its index
        plans = {
            column: "\n".join(
                r[0]
                for r in conn.execute(f"EXPLAIN SELECT event_id FROM events WHERE {column} = 'x'")
            )
            for column in ("country_fold", "iso_fold", "event_type_fold", "modality_fold")
        }
    for index in (
        "events_order",
        "events_country",
        "events_iso",
        "events_event_type",
        "events_sub_event_type",
        "events_modality",
        "events_confidence",
        "events_lat_lon",
        "event_sources_document_id",
        "document_events_event_id",
        "documents_published",
    ):
        assert index in names
    assert {"events_actor1_fold_trgm", "events_assoc_actor_2_fold_trgm"} <= names
    for column, plan in plans.items():
        assert "Index" in plan, (column, plan)


# -- semantics the contract suites do not reach ----------------------------------------------------


def test_nul_and_codec_characters_round_trip_and_match(store: PostgresStore) -> None:
    odd = "a\x00b\x01c\x02d\x01\x02\x01\x02"
    event = make_event("e1", actor1=odd, country=odd, notes=odd)
    doc = make_document(odd, event, text=odd, headline=odd)
    store.save_document(doc)
    assert store.get_document(odd) == doc
    assert ids(store.events(EventQuery(actor="\x00B\x01"))) == ["e1"]
    assert ids(store.events(EventQuery(actor="\x02\x01\x02\x01"))) == []
    assert ids(store.events(EventQuery(country=odd.upper(), document_id=odd))) == ["e1"]


def test_casefold_not_lower_decides_matches(store: Store) -> None:
    store.save_document(
        make_document("doc-a", make_event("e1", actor1="Straße Guards", country="ΣΊΣΥΦΟΣ"))
    )
    assert ids(store.events(EventQuery(actor="STRASSE"))) == ["e1"]
    assert ids(store.events(EventQuery(country="σίσυφος"))) == ["e1"]  # final sigma too


def test_a_failed_save_changes_nothing_and_the_next_one_works(store: PostgresStore) -> None:
    good = make_document("doc-a", make_event("e1"))
    store.save_document(good)
    too_big = make_event("e2", inter1=10**12)  # over PostgreSQL's integer: COPY fails
    with pytest.raises(StoreError):
        store.save_document(make_document("doc-a", make_event("e1", fatalities=7), too_big))
    assert store.get_document("doc-a") == good
    again = make_document("doc-a", make_event("e3"))
    store.save_document(again)
    assert store.get_document("doc-a") == again
    assert ids(store.events()) == ["e3"]


def test_large_documents_go_in_by_copy(store: PostgresStore) -> None:
    many = tuple(
        make_event(
            f"e{i:04d}",
            event_date=date(2020, 1, 1 + i % 28),
            sources=(make_source("doc-a", start=i, end=i + 5),),
        )
        for i in range(400)
    )
    doc = make_document("doc-a", *many, segments=make_document().segments * 100)
    store.save_document(doc)
    assert store.get_document("doc-a") == doc
    assert store.count_events() == 400
    assert len(store.events(EventQuery(since=date(2020, 1, 28)))) == 14


def test_repeated_ids_in_one_document_keep_the_last_like_sqlite(store: PostgresStore) -> None:
    first = make_event("e1", fatalities=1)
    last = make_event("e1", fatalities=2, sources=(make_source("doc-a"), make_source("doc-a")))
    store.save_document(make_document("doc-a", first, last))
    [event] = store.events()
    assert event.fatalities == 2
    assert event.sources == (make_source("doc-a"),)


def test_two_writers_sharing_an_event_keep_both_reports(schema_url: str) -> None:
    PostgresStore(schema_url).close()
    errors: list[BaseException] = []

    def write(doc_id: str) -> None:
        try:
            with PostgresStore(schema_url) as s:
                for round_ in range(15):
                    source = make_source(doc_id, start=round_)
                    s.save_document(make_document(doc_id, make_event("shared", sources=(source,))))
        except BaseException as e:  # collected for the assertion below
            errors.append(e)

    threads = [threading.Thread(target=write, args=(d,)) for d in ("doc-a", "doc-b", "doc-c")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with PostgresStore(schema_url) as s:
        [event] = s.events()
        assert sorted((x.document_id, x.start) for x in event.sources) == [
            ("doc-a", 14),
            ("doc-b", 14),
            ("doc-c", 14),
        ]


def test_hostile_text_never_reaches_sql(store: PostgresStore, schema_url: str) -> None:
    store.save_document(make_document(HOSTILE, make_event("e1", actor1=HOSTILE)))
    store.save_failure(Failure("read", HOSTILE, HOSTILE, "InputError", HOSTILE))
    assert store.failures() == [Failure("read", HOSTILE, HOSTILE, "InputError", HOSTILE)]
    assert ids(store.events(EventQuery(actor=HOSTILE, document_id=HOSTILE))) == ["e1"]
    with psycopg.connect(schema_url) as conn:
        [(n,)] = conn.execute("SELECT count(*) FROM events").fetchall()
    assert n == 1


# -- PostgreSQL answers as MemoryStore does (the reference semantics) ------------------------------


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    batch=st.lists(events, min_size=1, max_size=6, unique_by=lambda e: e.event_id),
    query=queries,
)
def test_memory_and_postgres_answer_every_query_alike(
    batch: list[Event], query: EventQuery
) -> None:
    with MemoryStore() as memory, pg.new_postgres_store(reuse=True) as postgres_store:
        for s in (memory, postgres_store):
            s.save_document(make_document("doc-a", *batch[::2]))
            s.save_document(make_document("doc-b", *batch[1::2]))
        assert memory.events(query) == postgres_store.events(query)
        assert memory.count_events(query) == postgres_store.count_events(query)
        assert memory.documents() == postgres_store.documents()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    a=queue_comments,
    b=queue_comments,
    decisions=st.lists(
        st.tuples(
            st.sampled_from(["doc-a", "doc-b"]), st.integers(0, 5), st.sampled_from(Decision)
        ),
        max_size=6,
    ),
    query=comment_queries,
)
def test_memory_and_postgres_answer_every_comment_query_alike(
    a: tuple[Comment, ...],
    b: tuple[Comment, ...],
    decisions: list[tuple[str, int, Decision]],
    query: CommentQuery,
) -> None:
    with MemoryStore() as memory, pg.new_postgres_store(reuse=True) as postgres_store:
        for s in (memory, postgres_store):
            s.save_document(replace(make_document("doc-a"), comments=a))
            s.save_document(replace(make_document("doc-b"), comments=b))
            for doc_id, position, decision in decisions:
                with contextlib.suppress(UnknownCommentError):
                    s.save_moderation(doc_id, position, decision=decision, decided_at=WHEN)
        assert memory.comments(query) == postgres_store.comments(query)
        assert memory.count_comments(query) == postgres_store.count_comments(query)


# -- helpers ---------------------------------------------------------------------------------------


@contextlib.contextmanager
def socket_bound() -> Iterator[int]:
    """Hold a loopback port that accepts no connections (bound, never listening)."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        yield int(s.getsockname()[1])
