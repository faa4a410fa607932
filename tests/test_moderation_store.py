"""The store contract for screened comments and moderation, on every store (STORES) alike."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sitrep.adapters.store import MemoryStore, SQLiteStore, Store
from sitrep.adapters.store.base import (
    MAX_NOTE_CHARS,
    CommentQuery,
    CommentRow,
    UnknownCommentError,
)
from sitrep.errors import ConfigError, StoreError
from sitrep.records import Comment, Decision, Document, Screening
from tests.test_store import STORES, new_store
from tests.test_store_factories import HOSTILE, make_document, texts

WHEN = datetime(2024, 5, 1, 12, 30, tzinfo=UTC)


@pytest.fixture(params=STORES)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    s = new_store(request.param, tmp_path)
    with s:
        yield s


def screening(decision: Decision, toxicity: float, *spans: tuple[str, int, int, str]) -> Screening:
    scores = (("toxicity", toxicity), ("severe_toxicity", toxicity / 2), ("insult", 0.1))
    return Screening(scores=scores, spans=spans, decision=decision, model="test-model+lex-1")


def comment(
    position: int, text: str, found: Screening | None, author: str | None = None
) -> Comment:
    return Comment(
        position=position, text=text, start=0, end=len(text), author=author, screening=found
    )


def queue_document(doc_id: str = "doc-a", **overrides: object) -> Document:
    """A document with four comments: remove, review, ok and one unscreened."""
    comments = (
        comment(0, "Thanks for the report.", screening(Decision.OK, 0.05), author="Ann"),
        comment(1, "You moron.", screening(Decision.REVIEW, 0.7, ("insult", 4, 9, "moron"))),
        comment(2, "Die, scum.", screening(Decision.REMOVE, 0.95, ("threat", 0, 3, "Die"))),
        comment(3, "Merci beaucoup.", None),
    )
    return make_document(doc_id, comments=comments, **overrides)


def keys(rows: list[CommentRow]) -> list[tuple[str, int]]:
    return [(r.document_id, r.position) for r in rows]


# -- screened comments round-trip ------------------------------------------------------------


def test_get_document_returns_comments_with_their_screening(store: Store) -> None:
    doc = queue_document()
    store.save_document(doc)
    assert store.get_document("doc-a") == doc
    got = store.get_document("doc-a")
    assert got is not None and got.comments[1].screening == doc.comments[1].screening
    assert got.comments[3].screening is None


def test_a_resave_replaces_the_machine_screening(store: Store) -> None:
    store.save_document(queue_document())
    rescreened = queue_document()
    changed = replace(rescreened.comments[1], screening=screening(Decision.OK, 0.1))
    rescreened = replace(rescreened, comments=(rescreened.comments[0], changed))
    store.save_document(rescreened)
    assert store.get_document("doc-a") == rescreened
    assert [r.decision for r in store.comments()] == [Decision.OK, Decision.OK]


# -- the queue -------------------------------------------------------------------------------


def test_queue_is_worst_first_then_toxicity_then_document(store: Store) -> None:
    store.save_document(queue_document("doc-b"))
    store.save_document(queue_document("doc-a"))
    rows = store.comments()
    assert [r.decision for r in rows] == [
        Decision.REMOVE,
        Decision.REMOVE,
        Decision.REVIEW,
        Decision.REVIEW,
        Decision.OK,
        Decision.OK,
        None,
        None,
    ]
    assert keys(rows)[:2] == [("doc-a", 2), ("doc-b", 2)]
    assert store.count_comments() == 8


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (CommentQuery(status="remove"), [("doc-a", 2)]),
        (CommentQuery(status=Decision.REVIEW), [("doc-a", 1)]),
        (CommentQuery(machine="ok"), [("doc-a", 0)]),
        (CommentQuery(screened=False), [("doc-a", 3)]),
        (CommentQuery(moderated=True), []),
        (CommentQuery(document_id="doc-x"), []),
        (CommentQuery(limit=2, offset=1), [("doc-a", 1), ("doc-a", 0)]),
        (CommentQuery(limit=0), []),
    ],
)
def test_each_comment_filter(store: Store, query: CommentQuery, expected: list[object]) -> None:
    store.save_document(queue_document())
    assert keys(store.comments(query)) == expected


def test_bad_queries_are_config_errors() -> None:
    with pytest.raises(ConfigError, match="ok, review, remove"):
        CommentQuery(status="delete")
    with pytest.raises(ConfigError):
        CommentQuery(machine="OK")
    with pytest.raises(ConfigError):
        CommentQuery(offset=-1)


def test_rows_serialise_to_json(store: Store) -> None:
    store.save_document(queue_document())
    store.save_moderation("doc-a", 1, decision="ok", moderator="Bo", note="fair", decided_at=WHEN)
    rows = [json.loads(json.dumps(r.to_dict())) for r in store.comments()]
    review = next(r for r in rows if r["position"] == 1)
    assert review["decision"] == "ok"
    assert review["screening"]["decision"] == "review"
    assert review["screening"]["scores"]["toxicity"] == 0.7
    assert review["screening"]["spans"] == [
        {"label": "insult", "start": 4, "end": 9, "text": "moron"}
    ]
    assert review["moderation"] == {
        "decision": "ok",
        "moderator": "Bo",
        "note": "fair",
        "decided_at": "2024-05-01T12:30:00+00:00",
    }
    assert next(r for r in rows if r["position"] == 3)["screening"] is None


# -- moderation ------------------------------------------------------------------------------


def test_a_moderator_overrides_the_machine(store: Store) -> None:
    store.save_document(queue_document())
    saved = store.save_moderation("doc-a", 2, decision="ok", moderator="Ann", note=None)
    assert saved.decision is Decision.OK and saved.decided_at.tzinfo is not None
    [row] = store.comments(CommentQuery(moderated=True))
    assert row.position == 2 and row.decision is Decision.OK
    assert row.screening is not None and row.screening.decision is Decision.REMOVE
    assert row.moderation == saved
    assert keys(store.comments(CommentQuery(status="remove"))) == []
    assert keys(store.comments(CommentQuery(machine="remove", status="ok"))) == [("doc-a", 2)]
    assert store.count_comments(CommentQuery(moderated=False)) == 3


def test_a_moderator_can_decide_on_an_unscreened_comment(store: Store) -> None:
    store.save_document(queue_document())
    store.save_moderation("doc-a", 3, decision="remove", decided_at=WHEN)
    [row] = store.comments(CommentQuery(screened=False))
    assert row.decision is Decision.REMOVE and row.screening is None
    assert row.moderation is not None
    assert (row.moderation.moderator, row.moderation.note) == (None, None)


def test_a_later_decision_replaces_the_earlier(store: Store) -> None:
    store.save_document(queue_document())
    store.save_moderation("doc-a", 1, decision="remove", moderator="Ann", decided_at=WHEN)
    later = WHEN + timedelta(hours=1)
    store.save_moderation("doc-a", 1, decision="ok", moderator="Bo", note="n", decided_at=later)
    [row] = store.comments(CommentQuery(moderated=True))
    assert row.moderation is not None
    assert (row.moderation.decision, row.moderation.moderator) == (Decision.OK, "Bo")
    assert row.moderation.decided_at == later


def test_resaving_the_document_keeps_moderation(store: Store) -> None:
    doc = queue_document()
    store.save_document(doc)
    store.save_moderation("doc-a", 1, decision="remove", moderator="Ann", decided_at=WHEN)
    store.save_document(doc)
    store.save_document(replace(doc, comments=doc.comments[:1]))  # comment 1 gone...
    assert store.count_comments(CommentQuery(moderated=True)) == 0
    store.save_document(doc)  # ...and back: so is its decision
    [row] = store.comments(CommentQuery(moderated=True))
    assert row.position == 1 and row.decision is Decision.REMOVE
    assert row.moderation is not None and row.moderation.decided_at == WHEN


def test_decided_at_is_kept_in_utc(store: Store) -> None:
    store.save_document(queue_document())
    plus_two = datetime(2024, 5, 1, 14, 30, tzinfo=timezone(timedelta(hours=2)))
    saved = store.save_moderation("doc-a", 0, decision="ok", decided_at=plus_two)
    assert saved.decided_at == WHEN and saved.decided_at.utcoffset() == timedelta(0)
    [row] = store.comments(CommentQuery(moderated=True))
    assert row.moderation == saved


@pytest.mark.parametrize(("doc_id", "position"), [("doc-a", 9), ("nope", 0), (HOSTILE, 0)])
def test_deciding_on_a_missing_comment_names_it(store: Store, doc_id: str, position: int) -> None:
    store.save_document(queue_document())
    with pytest.raises(UnknownCommentError, match=f"position {position} of document") as err:
        store.save_moderation(doc_id, position, decision="ok")
    assert repr(doc_id) in str(err.value)
    assert isinstance(err.value, StoreError)
    assert store.count_comments(CommentQuery(moderated=True)) == 0


def test_bad_decisions_are_refused_before_anything_is_written(store: Store) -> None:
    store.save_document(queue_document())
    with pytest.raises(ConfigError, match="ok, review, remove"):
        store.save_moderation("doc-a", 0, decision="delete")
    with pytest.raises(ConfigError, match="time zone"):
        store.save_moderation("doc-a", 0, decision="ok", decided_at=datetime(2024, 5, 1))
    with pytest.raises(ConfigError, match="note"):
        store.save_moderation("doc-a", 0, decision="ok", note="x" * (MAX_NOTE_CHARS + 1))
    assert store.count_comments(CommentQuery(moderated=True)) == 0


def test_hostile_text_is_kept_and_matched_literally(store: Store) -> None:
    hostile = screening(Decision.REVIEW, 0.6, ("insult", 0, len(HOSTILE), HOSTILE))
    doc = queue_document(HOSTILE)
    doc = replace(doc, comments=(comment(0, HOSTILE, hostile, author=HOSTILE),))
    store.save_document(doc)
    store.save_moderation(HOSTILE, 0, decision="remove", moderator=HOSTILE, note=HOSTILE)
    assert store.get_document(HOSTILE) == doc
    [row] = store.comments(CommentQuery(document_id=HOSTILE, status="remove"))
    assert row.text == row.author == HOSTILE
    assert row.moderation is not None and row.moderation.note == HOSTILE
    assert row.screening == hostile
    assert store.comments(CommentQuery(document_id="%")) == []


# -- property tests: any screening round-trips; both stores answer alike ------------------------

labels = st.sampled_from(["toxicity", "insult", "threat", "identity_attack", "ß", HOSTILE])
screenings = st.builds(
    Screening,
    scores=st.dictionaries(labels, st.floats(0, 1), max_size=4).map(lambda d: tuple(d.items())),
    spans=st.lists(
        st.tuples(labels, st.integers(0, 10**6), st.integers(0, 10**6), texts), max_size=3
    ).map(tuple),
    decision=st.sampled_from(Decision),
    model=texts,
)
queue_comments = st.lists(
    st.builds(
        Comment,
        position=st.integers(0, 5),
        text=texts,
        start=st.integers(0, 100),
        end=st.integers(0, 100),
        author=st.none() | texts,
        screening=st.none() | screenings,
    ),
    max_size=5,
).map(tuple)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(comments=queue_comments)
@pytest.mark.parametrize("kind", STORES)
def test_any_screened_comment_round_trips(kind: str, comments: tuple[Comment, ...]) -> None:
    doc = make_document("doc-a", comments=comments)
    with new_store(kind) as s:
        s.save_document(doc)
        assert s.get_document("doc-a") == doc


comment_queries = st.builds(
    CommentQuery,
    status=st.none() | st.sampled_from(Decision),
    machine=st.none() | st.sampled_from(Decision),
    moderated=st.none() | st.booleans(),
    screened=st.none() | st.booleans(),
    document_id=st.none() | st.sampled_from(["doc-a", "doc-b"]),
    limit=st.none() | st.integers(0, 4),
    offset=st.integers(0, 3),
)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
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
def test_memory_and_sqlite_answer_every_comment_query_alike(
    a: tuple[Comment, ...],
    b: tuple[Comment, ...],
    decisions: list[tuple[str, int, Decision]],
    query: CommentQuery,
) -> None:
    with MemoryStore() as memory, SQLiteStore(":memory:") as sqlite:
        for s in (memory, sqlite):
            s.save_document(make_document("doc-a", comments=a))
            s.save_document(make_document("doc-b", comments=b))
            for doc_id, position, decision in decisions:
                # Hypothesis names comments that may not exist: those must be refused.
                with contextlib.suppress(UnknownCommentError):
                    s.save_moderation(doc_id, position, decision=decision, decided_at=WHEN)
        assert memory.comments(query) == sqlite.comments(query)
        assert memory.count_comments(query) == sqlite.count_comments(query)
