"""The desk's REST API, in process: every route, every filter, bad parameters, security headers."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from sitrep.adapters.store import MemoryStore, SQLiteStore
from sitrep.adapters.store.base import Store
from sitrep.api import build_app, create_app
from sitrep.api.app import content_security_policy, loopback_hosts
from sitrep.api.moderation import field_named_in
from sitrep.pipeline import Pipeline
from sitrep.records import DocumentStatus, Page
from tests.test_api_fixtures import (
    HOSTILE_COMMENT,
    HOSTILE_SENTENCE,
    INSULT,
    TOKEN,
    Client,
    desk_documents,
    desk_settings,
    fill,
)

OCCURRED = ["h2", "h1", "u4", "u3", "s3", "u2", "u1", "s1", "s2", "u9"]  # newest first


@pytest.fixture(params=["memory", "sqlite"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    s: Store = MemoryStore() if request.param == "memory" else SQLiteStore(tmp_path / "desk.db")
    with s:
        yield fill(s)


@pytest.fixture
def client(store: Store) -> Client:
    return Client(build_app(store, settings=desk_settings()), token=TOKEN)


def ids(response: Any) -> list[str]:
    assert response.status_code == 200, response.text
    return [e["event_id"] for e in response.json()["items"]]


def bad(response: Any, parameter: str, status: int = 400) -> str:
    """Assert a clear 4xx naming ``parameter``; return the message."""
    assert response.status_code == status, response.text
    body = response.json()
    assert body["parameter"] == parameter
    assert parameter in body["detail"]
    return str(body["detail"])


# -- /events ---------------------------------------------------------------------------------


def test_events_default_to_occurred_newest_first_undated_last(client: Client) -> None:
    response = client.get("/api/v1/events")
    assert ids(response) == OCCURRED
    body = response.json()
    assert body["total"] == len(OCCURRED)
    assert body["next_cursor"] is None
    assert body["limit"] == 100


def test_event_json_carries_acled_fields_and_sources(client: Client) -> None:
    item = client.get("/api/v1/events", params={"actor": "coalition"}).json()["items"][0]
    assert item["event_id"] == "s1"
    assert item["event_date"] == "2024-03-01"
    assert item["modality"] == "occurred"
    assert item["sources"][0]["url"] == "https://news.example/doc-syria"
    assert item["sources"][0]["attribution"] == ["Monitoring group"]
    assert "parts" not in item["sources"][0] or item["sources"][0]["parts"] is None


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"since": "2024-03-05"}, ["h2", "h1", "u4", "u3"]),
        ({"until": "2024-03-02"}, ["s1", "s2"]),
        ({"since": "2024-03-03", "until": "2024-03-04"}, ["s3", "u2", "u1"]),
        ({"country": "ukraine"}, ["u4", "u3", "u2", "u1", "u9"]),
        ({"country": "ng"}, ["h2", "h1"]),
        ({"admin1": "KHARKIV"}, ["u4", "u3", "u2", "u1"]),
        ({"event_type": "Battles"}, ["s3", "u9"]),
        ({"event_type": ["battles", "Protests"]}, ["h2", "s3", "u9"]),
        ({"sub_event_type": "Armed clash"}, ["s3", "u9"]),
        ({"sub_event_type": "air/drone strike"}, ["s1", "s2"]),
        ({"actor": "russia"}, ["u4", "u3", "u2", "u1"]),
        ({"modality": "planned"}, ["s4"]),
        ({"modality": "all", "country": "syria"}, ["s4", "s3", "s1", "s2"]),
        ({"modality": "ALL", "event_type": "Strategic developments"}, ["s4"]),
        ({"min_confidence": "0.85"}, ["u4"]),
        ({"bbox": "35,49,37,51"}, ["u4", "u3", "u2", "u1"]),
        ({"bbox": "13,11,14,12"}, ["h2", "h1"]),
        ({"bbox": "170,-10,-170,10"}, []),
        ({"q": "CITADEL"}, ["s3"]),
        ({"q": "monitoring group"}, ["s1"]),
        ({"q": "<script>"}, ["h1"]),
        ({"document_id": "doc-hostile"}, ["h2", "h1"]),
        ({"country": "syria", "since": "2024-03-02", "event_type": "Battles"}, ["s3"]),
        ({"event_type": ""}, OCCURRED),
    ],
)
def test_event_filters(client: Client, params: dict[str, Any], expected: list[str]) -> None:
    response = client.get("/api/v1/events", params=params)
    assert ids(response) == expected
    assert response.json()["total"] == len(expected)


def test_event_type_filter_does_not_match_a_sub_type_of_that_name(client: Client) -> None:
    # The store's own event_type matches sub-types too; the API's does not.
    assert ids(client.get("/api/v1/events", params={"event_type": "Armed clash"})) == []


def test_cursor_pagination_walks_every_event_once_in_order(client: Client) -> None:
    seen: list[str] = []
    cursor = None
    pages = 0
    while True:
        params: dict[str, Any] = {"limit": 3}
        if cursor:
            params["cursor"] = cursor
        body = client.get("/api/v1/events", params=params).json()
        assert body["total"] == len(OCCURRED)
        seen += [e["event_id"] for e in body["items"]]
        cursor = body["next_cursor"]
        pages += 1
        if cursor is None:
            break
    assert seen == OCCURRED
    assert pages == 4


def test_cursor_is_opaque_and_bound_to_its_filters(client: Client) -> None:
    body = client.get("/api/v1/events", params={"limit": 2}).json()
    cursor = body["next_cursor"]
    assert isinstance(cursor, str)
    assert "s3" not in cursor  # not a plain id or offset
    message = bad(
        client.get("/api/v1/events", params={"limit": 2, "cursor": cursor, "q": "x"}), "cursor"
    )
    assert "other filters" in message
    bad(client.get("/api/v1/events", params={"cursor": "not-a-cursor"}), "cursor")
    bad(client.get("/api/v1/events", params={"cursor": "eyJrIjpbMV0sImYiOiJ4In0"}), "cursor")


@pytest.mark.parametrize(
    ("params", "parameter"),
    [
        ({"limit": 0}, "limit"),
        ({"limit": 501}, "limit"),
        ({"limit": "ten"}, "limit"),
        ({"since": "yesterday"}, "since"),
        ({"until": "2024-13-01"}, "until"),
        ({"since": "2024-03-05", "until": "2024-03-01"}, "since"),
        ({"min_confidence": "1.5"}, "min_confidence"),
        ({"min_confidence": "high"}, "min_confidence"),
        ({"modality": "rumoured"}, "modality"),
        ({"bbox": "1,2,3"}, "bbox"),
        ({"bbox": "a,b,c,d"}, "bbox"),
        ({"bbox": "0,10,1,5"}, "bbox"),
        ({"bbox": "0,-91,1,5"}, "bbox"),
        ({"bbox": "-181,0,1,5"}, "bbox"),
        ({"bbox": "nan,0,1,5"}, "bbox"),
        ({"q": "x" * 201}, "q"),
    ],
)
def test_bad_event_parameters_answer_400_naming_the_parameter(
    client: Client, params: dict[str, Any], parameter: str
) -> None:
    bad(client.get("/api/v1/events", params=params), parameter)


def test_event_detail_has_all_sources_with_marked_parts(client: Client) -> None:
    response = client.get("/api/v1/events/s1")
    assert response.status_code == 200
    event = response.json()
    source = event["sources"][0]
    assert "".join(p["text"] for p in source["parts"]) == source["sentence"]
    marked = {(p["kind"], p["text"]) for p in source["parts"] if p["kind"]}
    assert ("actor", "US-led coalition") in marked
    assert ("actor", "Islamic State") in marked
    assert ("location", "Riverside Village") in marked
    assert ("date", "March 1") in marked
    assert ("attribution", "Monitoring group") in marked
    assert any(kind == "fatalities" for kind, _ in marked)
    assert source["start"] == 0 and source["end"] == len(source["sentence"])


def test_event_detail_finds_any_modality_and_404s_unknown_ids(client: Client) -> None:
    assert client.get("/api/v1/events/s4").json()["modality"] == "planned"
    response = client.get("/api/v1/events/nope")
    assert response.status_code == 404
    assert "nope" in response.json()["detail"]


def test_hostile_sentence_comes_back_verbatim_as_json_text(client: Client) -> None:
    source = client.get("/api/v1/events/h1").json()["sources"][0]
    assert source["sentence"] == HOSTILE_SENTENCE
    assert "".join(p["text"] for p in source["parts"]) == HOSTILE_SENTENCE


# -- /aggregates -----------------------------------------------------------------------------


def test_aggregates_by_day_count_events_and_known_fatalities(client: Client) -> None:
    body = client.get("/api/v1/aggregates", params={"by": "day"}).json()
    assert body["by"] == "day"
    assert body["total_events"] == len(OCCURRED)
    buckets = {b["key"]: b for b in body["buckets"]}
    assert [b["key"] for b in body["buckets"]][-1] is None  # undated last
    assert buckets["2024-03-01"] == {
        "key": "2024-03-01",
        "events": 2,
        "fatalities": 3,
        "fatalities_unknown": 1,
    }
    assert sum(b["events"] for b in body["buckets"]) == len(OCCURRED)


def test_aggregates_by_week_type_and_admin1(client: Client) -> None:
    weeks = client.get("/api/v1/aggregates", params={"by": "week"}).json()["buckets"]
    assert [w["key"] for w in weeks] == ["2024-02-26", "2024-03-04", None]
    assert [w["events"] for w in weeks] == [3, 6, 1]  # Feb 26-Mar 3: s1, s2, u1
    types = client.get("/api/v1/aggregates", params={"by": "event_type"}).json()["buckets"]
    assert types[0]["key"] == "Explosions/Remote violence"
    assert types[0]["events"] == 6
    regions = client.get("/api/v1/aggregates", params={"by": "admin1", "country": "ukraine"}).json()
    assert regions["buckets"] == [
        {"key": "Kharkiv", "events": 4, "fatalities": 10, "fatalities_unknown": 0},
        {"key": None, "events": 1, "fatalities": 0, "fatalities_unknown": 1},
    ]


def test_aggregates_need_a_valid_by(client: Client) -> None:
    bad(client.get("/api/v1/aggregates"), "by")
    bad(client.get("/api/v1/aggregates", params={"by": "month"}), "by")
    bad(client.get("/api/v1/aggregates", params={"by": "day", "bbox": "x"}), "bbox")


# -- /documents ------------------------------------------------------------------------------


def test_documents_list_newest_first_with_counts(client: Client) -> None:
    body = client.get("/api/v1/documents").json()
    assert [d["id"] for d in body["items"]] == ["doc-hostile", "doc-ukraine", "doc-syria"]
    first = body["items"][0]
    assert first["n_comments"] == 3
    assert first["n_events"] == 2
    assert first["status"] == "ok"
    assert "text" not in first
    assert body["total"] == 3


def test_documents_paginate_with_a_cursor(client: Client) -> None:
    page1 = client.get("/api/v1/documents", params={"limit": 2}).json()
    page2 = client.get(
        "/api/v1/documents", params={"limit": 2, "cursor": page1["next_cursor"]}
    ).json()
    assert [d["id"] for d in page1["items"] + page2["items"]] == [
        "doc-hostile",
        "doc-ukraine",
        "doc-syria",
    ]
    assert page2["next_cursor"] is None
    bad(client.get("/api/v1/documents", params={"limit": 0}), "limit")
    bad(client.get("/api/v1/documents", params={"cursor": "zz"}), "cursor")


def test_document_detail_has_segments_comments_and_events(client: Client) -> None:
    body = client.get("/api/v1/documents/doc-hostile").json()
    assert body["text"].startswith("Headline")
    assert [s["kind"] for s in body["segments"]] == ["headline", "body", "comment"]
    assert [c["position"] for c in body["comments"]] == [0, 1, 2]
    assert body["comments"][1]["text"] == HOSTILE_COMMENT
    assert body["comments"][1]["screening"]["decision"] == "remove"
    assert body["comments"][1]["status"] == "remove"
    assert body["comments"][1]["decision"] is None
    unscreened = client.get("/api/v1/documents/doc-syria").json()["comments"][0]
    assert unscreened["screening"] is None and unscreened["status"] is None
    assert sorted(e["event_id"] for e in body["events"]) == ["h1", "h2"]
    assert client.get("/api/v1/documents/missing").status_code == 404


# -- /comments -------------------------------------------------------------------------------

QUEUE = [("doc-hostile", 1), ("doc-hostile", 0), ("doc-hostile", 2), ("doc-syria", 0)]


def keys(response: Any) -> list[tuple[str, int]]:
    assert response.status_code == 200, response.text
    return [(c["document_id"], c["position"]) for c in response.json()["items"]]


def decide(client: Client, document_id: str, position: int, decision: str, **body: Any) -> Any:
    return client.post(
        f"/api/v1/comments/{document_id}/{position}/decision",
        json={"decision": decision, "moderator": "Mina", **body},
    )


def test_comments_list_worst_first_with_screening_and_status(client: Client) -> None:
    response = client.get("/api/v1/comments")
    # remove, then ok by toxicity (highest first), then the unscreened comment.
    assert keys(response) == QUEUE
    hostile, first, _, unscreened = response.json()["items"]
    assert hostile["text"] == HOSTILE_COMMENT
    assert hostile["status"] == "remove"
    assert hostile["decision"] is None
    assert hostile["screening"]["decision"] == "remove"
    assert hostile["screening"]["scores"]["toxicity"] == pytest.approx(0.9)
    label, start, end, text = INSULT
    assert hostile["screening"]["spans"] == [
        {"label": label, "start": start, "end": end, "text": text}
    ]
    assert HOSTILE_COMMENT[start:end] == "idiots"
    assert hostile["screening"]["model"] == "test-model"
    assert (hostile["start"], hostile["end"], hostile["reply_to"]) == (53, 100, 0)
    assert first["status"] == "ok"
    assert unscreened["screening"] is None and unscreened["status"] is None
    only = client.get("/api/v1/comments", params={"document_id": "doc-syria"}).json()
    assert [c["text"] for c in only["items"]] == ["Nice comment"]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"status": "remove"}, [("doc-hostile", 1)]),
        ({"status": "ok"}, [("doc-hostile", 0), ("doc-hostile", 2)]),
        ({"status": "review"}, []),
        ({"screening": "ok"}, [("doc-hostile", 0), ("doc-hostile", 2)]),
        ({"undecided": "true"}, QUEUE),
        ({"document_id": "doc-ukraine"}, []),
        ({"document_id": "doc-hostile", "status": "remove"}, [("doc-hostile", 1)]),
    ],
)
def test_comment_filters(client: Client, params: dict[str, Any], expected: list[Any]) -> None:
    response = client.get("/api/v1/comments", params=params)
    assert keys(response) == expected
    assert response.json()["total"] == len(expected)


def test_comments_paginate(client: Client) -> None:
    page1 = client.get("/api/v1/comments", params={"limit": 3}).json()
    assert page1["total"] == 4
    page2 = client.get("/api/v1/comments", params={"limit": 3, "cursor": page1["next_cursor"]})
    assert keys(page2) == [("doc-syria", 0)]
    assert page2.json()["next_cursor"] is None
    bad(client.get("/api/v1/comments", params={"limit": 1000}), "limit")
    bad(client.get("/api/v1/comments", params={"screening": "maybe"}), "screening")
    bad(client.get("/api/v1/comments", params={"status": "banned"}), "status")
    bad(client.get("/api/v1/comments", params={"cursor": "zz"}), "cursor")
    # A cursor is bound to the filters it was issued for.
    elsewhere = {"limit": 3, "status": "ok", "cursor": page1["next_cursor"]}
    bad(client.get("/api/v1/comments", params=elsewhere), "cursor")


def test_deciding_while_paging_an_undecided_queue_skips_nothing(client: Client) -> None:
    page1 = client.get("/api/v1/comments", params={"undecided": "true", "limit": 2})
    assert keys(page1) == QUEUE[:2]
    for document_id, position in QUEUE[:2]:
        assert decide(client, document_id, position, "review").status_code == 201
    page2 = client.get(
        "/api/v1/comments",
        params={"undecided": "true", "limit": 2, "cursor": page1.json()["next_cursor"]},
    )
    # An offset would now skip two comments: the decided ones left the queue.
    assert keys(page2) == QUEUE[2:]


def test_a_decision_is_stored_and_overrides_the_screening(client: Client) -> None:
    response = decide(client, "doc-hostile", 1, "ok", note="quoting, not abuse")
    assert response.status_code == 201, response.text
    body = response.json()
    assert (body["document_id"], body["position"]) == ("doc-hostile", 1)
    saved = body["decision"]
    assert saved["decision"] == "ok" and saved["moderator"] == "Mina"
    assert saved["note"] == "quoting, not abuse"
    decided_at = datetime.fromisoformat(saved["decided_at"])
    assert decided_at.utcoffset() == timedelta(0)
    assert abs(datetime.now(UTC) - decided_at) < timedelta(minutes=5)

    assert keys(client.get("/api/v1/comments", params={"status": "remove"})) == []
    # The overrides: the machine said remove, the moderator ok.
    overrides = client.get("/api/v1/comments", params={"screening": "remove", "status": "ok"})
    assert keys(overrides) == [("doc-hostile", 1)]
    row = overrides.json()["items"][0]
    assert row["status"] == "ok"
    assert row["screening"]["decision"] == "remove"
    assert row["decision"] == saved
    undecided = client.get("/api/v1/comments", params={"undecided": "true"})
    assert ("doc-hostile", 1) not in keys(undecided)
    assert undecided.json()["total"] == 3
    document = client.get("/api/v1/documents/doc-hostile").json()
    assert document["comments"][1]["decision"] == saved
    assert document["comments"][1]["status"] == "ok"
    assert document["comments"][0]["decision"] is None

    # A later decision replaces it; an unscreened comment gets the moderator's as its status.
    assert decide(client, "doc-hostile", 1, "remove").json()["decision"]["note"] is None
    assert decide(client, "doc-syria", 0, "review").status_code == 201
    queue = client.get("/api/v1/comments").json()["items"]
    assert [(c["document_id"], c["position"], c["status"]) for c in queue] == [
        ("doc-hostile", 1, "remove"),
        ("doc-syria", 0, "review"),
        ("doc-hostile", 0, "ok"),
        ("doc-hostile", 2, "ok"),
    ]


def test_a_decision_survives_saving_the_document_again(store: Store) -> None:
    client = Client(build_app(store, settings=desk_settings()), token=TOKEN)
    assert decide(client, "doc-hostile", 2, "remove").status_code == 201
    store.save_document(desk_documents()[2])  # a re-run of the pipeline
    body = client.get("/api/v1/comments", params={"status": "remove"}).json()
    assert [(c["position"], (c["decision"] or {}).get("decision")) for c in body["items"]] == [
        (1, None),
        (2, "remove"),
    ]


def test_decision_validation(client: Client) -> None:
    url = "/api/v1/comments/doc-hostile/1/decision"
    bad(client.post(url, json={"decision": "ban", "moderator": "m"}), "decision", 422)
    bad(client.post(url, json={"decision": "ok"}), "moderator", 422)
    bad(client.post(url, json={"decision": "ok", "moderator": ""}), "moderator", 422)
    bad(client.post(url, json={"decision": "ok", "moderator": "m" * 201}), "moderator", 422)
    bad(
        client.post(url, json={"decision": "ok", "moderator": "m", "note": "n" * 10_001}),
        "note",
        422,
    )
    bad(client.post("/api/v1/comments/doc-hostile/one/decision", json={}), "position", 400)
    response = client.post(
        url,
        content="decision=ok&moderator=m",
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert response.status_code == 415
    missing = decide(client, "nope", 0, "ok")
    assert missing.status_code == 404
    assert "nope" in missing.json()["detail"]
    no_comment = decide(client, "doc-hostile", 7, "ok")
    assert no_comment.status_code == 404
    assert "7" in no_comment.json()["detail"]
    # Nothing was stored by the refusals.
    assert client.get("/api/v1/comments", params={"undecided": "true"}).json()["total"] == 4


def test_decisions_need_the_write_token(store: Store) -> None:
    app = build_app(store, settings=desk_settings())
    assert decide(Client(app), "doc-hostile", 1, "ok").status_code == 401
    assert (
        decide(Client(app, token="wrong-token-0123456789"), "doc-hostile", 1, "ok").status_code
        == 401
    )
    assert decide(Client(build_app(store), token=TOKEN), "doc-hostile", 1, "ok").status_code == 403
    assert Client(app).get("/api/v1/comments", params={"undecided": "true"}).json()["total"] == 4


@pytest.mark.parametrize(
    ("message", "field"),
    [
        ("decision must be one of ok, review, remove, not 'ban'", "decision"),
        ("moderator name is longer than 200 characters", "moderator"),
        ("moderation note is longer than 10000 characters", "note"),
        ("decided_at 2024-01-01T00:00:00 has no time zone; give UTC", None),
    ],
)
def test_store_refusals_name_the_body_field(message: str, field: str | None) -> None:
    assert field_named_in(message) == field


# -- POST /pages -----------------------------------------------------------------------------


class FakeStage:
    """Stands in for the whole pipeline: Page -> Document with the desk's first document."""

    name = "fake"
    requires: tuple[str, ...] = ()
    produces: tuple[str, ...] = ("segments",)

    def setup(self) -> None:
        pass

    def __call__(self, batch: Sequence[Page]) -> list[Any]:
        from dataclasses import replace

        template = desk_documents()[0]
        out = []
        for page in batch:
            if page.text and "explode" in page.text:
                raise ValueError("the fake stage fails on purpose")
            events = tuple(
                replace(e, sources=tuple(replace(s, document_id=page.id) for s in e.sources))
                for e in template.events
            )
            out.append(
                replace(template, id=page.id, origin=page.origin, url=page.url, events=events)
            )
        return out


def fake_pipeline(values: dict[str, Any]) -> Pipeline:
    return Pipeline([FakeStage()])


def test_submitted_page_is_processed_stored_and_answered(store: Store) -> None:
    client = Client(
        build_app(store, settings=desk_settings(), pipeline_factory=fake_pipeline), token=TOKEN
    )
    response = client.post(
        "/api/v1/pages",
        json={"text": "A page.", "url": "https://news.example/new", "published": "2024-03-02"},
    )
    assert response.status_code == 201, response.text
    body = response.json()
    page = Page(origin="api", text="A page.", url="https://news.example/new")
    assert body["document_id"] == page.id
    assert body["status"] == "ok"
    assert len(body["events"]) == 4
    assert body["failures"] == []
    stored = client.get(f"/api/v1/documents/{page.id}").json()
    assert stored["url"] == "https://news.example/new"
    assert stored["origin"] == "api:https://news.example/new"


def test_a_page_the_pipeline_fails_on_is_stored_as_a_failure(store: Store) -> None:
    client = Client(
        build_app(store, settings=desk_settings(), pipeline_factory=fake_pipeline), token=TOKEN
    )
    body = client.post("/api/v1/pages", json={"text": "explode"}).json()
    assert body["status"] is None
    assert body["failures"][0]["stage"] == "fake"
    assert store.failures()[0].error == "ValueError"


@pytest.mark.parametrize(
    ("payload", "status", "parameter"),
    [
        ({"text": "a", "html": "<p>a</p>"}, 422, "body"),
        ({}, 422, "body"),
        ({"text": "   "}, 422, "body"),
        ({"text": "a", "url": "javascript:alert(1)"}, 422, "url"),
        ({"text": "a", "url": "ftp://x.example/a"}, 422, "url"),
        ({"text": "a", "published": "last week"}, 422, "published"),
        ({"text": "a", "extra": 1}, 422, "extra"),
        ({"text": "x" * 2000}, 413, "body"),
    ],
)
def test_bad_pages_are_refused_clearly(
    store: Store, payload: dict[str, Any], status: int, parameter: str
) -> None:
    settings = desk_settings(**{"read.max_bytes": 1000})
    client = Client(
        build_app(store, settings=settings, pipeline_factory=fake_pipeline), token=TOKEN
    )
    response = client.post("/api/v1/pages", json=payload)
    assert response.status_code == status, response.text
    assert response.json()["detail"].startswith(parameter)
    assert response.json()["parameter"] == parameter


def test_writes_must_send_json(client: Client) -> None:
    response = client.post(
        "/api/v1/pages", content="text=a", headers={"content-type": "text/plain"}
    )
    assert response.status_code == 415
    assert "application/json" in response.json()["detail"]


# -- page, security, info, schema --------------------------------------------------------------


def test_index_and_static_files_are_served(client: Client) -> None:
    index = client.get("/")
    assert index.status_code == 200
    assert index.headers["content-type"].startswith("text/html")
    for src in ("/static/app.js", "/static/app.css", "/static/vendor/leaflet/leaflet.js"):
        assert src in index.text
        assert client.get(src).status_code == 200
    atlas = client.get("/static/vendor/world-atlas/countries-50m.json")
    assert atlas.status_code == 200
    assert atlas.json()["type"] == "Topology"


def test_every_response_has_strict_security_headers(client: Client) -> None:
    for url in ("/", "/api/v1/events", "/static/app.js", "/api/v1/events/nope"):
        headers = client.get(url).headers
        csp = headers["content-security-policy"]
        assert "default-src 'self'" in csp
        assert "script-src 'self'" in csp
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
        assert "img-src 'self' data:" in csp
        assert "frame-ancestors 'none'" in csp
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "no-referrer"


def test_online_tiles_widen_only_img_src() -> None:
    csp = content_security_policy(tiles_url="https://{s}.tiles.example.org/{z}/{x}/{y}.png")
    assert "img-src 'self' data: https://*.tiles.example.org;" in csp
    assert "connect-src 'self'" in csp
    assert content_security_policy(tiles_url="javascript:x") == content_security_policy()


def test_web_page_code_never_writes_html() -> None:
    static = Path(__file__).resolve().parent.parent / "src/sitrep/api/static"
    code = (static / "app.js").read_text(encoding="utf-8")
    for sink in (
        "innerHTML",
        "outerHTML",
        "insertAdjacentHTML",
        "document.write",
        "eval(",
        "new Function",
    ):
        assert sink not in code, sink
    html = (static / "index.html").read_text(encoding="utf-8")
    assert "style=" not in html and "onclick" not in html
    assert "<script>" not in html  # only <script src=...>
    assert not re.search(r"(src|href)=\"(https?:)?//", html)  # nothing from the network


def test_info_reports_tiles_and_abilities(store: Store) -> None:
    client = Client(build_app(store, tiles_url="https://tiles.example/{z}/{x}/{y}.png"))
    body = client.get("/api/v1/info").json()
    assert body["api"] == "v1"
    assert body["tiles_url"] == "https://tiles.example/{z}/{x}/{y}.png"
    assert body["moderation"] is True
    assert body["screening"] is True
    assert body["writes"] is False  # no serve.token: decisions are refused
    assert Client(build_app(store, settings=desk_settings())).get("/api/v1/info").json()["writes"]
    assert body["schema_version"] >= 1


def test_host_guard_refuses_foreign_host_headers(store: Store) -> None:
    app = build_app(store, allowed_hosts=loopback_hosts("127.0.0.1"))
    assert Client(app, host="127.0.0.1:8000").get("/api/v1/info").status_code == 200
    assert Client(app, host="evil.example").get("/api/v1/info").status_code == 400
    assert loopback_hosts("0.0.0.0") is None
    assert loopback_hosts("localhost") is not None


def test_create_app_opens_the_store_url(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'desk.db'}"
    with SQLiteStore(tmp_path / "desk.db") as s:
        fill(s)
    client = Client(create_app(url))
    assert client.get("/api/v1/events").json()["total"] == len(OCCURRED)


def test_openapi_schema_lists_every_route(client: Client) -> None:
    schema = client.get("/api/v1/openapi.json").json()
    paths = schema["paths"]
    expected = {
        ("get", "/api/v1/events"),
        ("get", "/api/v1/events/{event_id}"),
        ("get", "/api/v1/aggregates"),
        ("get", "/api/v1/documents"),
        ("get", "/api/v1/documents/{document_id}"),
        ("delete", "/api/v1/documents/{document_id}"),
        ("get", "/api/v1/comments"),
        ("post", "/api/v1/comments/{document_id}/{position}/decision"),
        ("post", "/api/v1/pages"),
        ("get", "/api/v1/info"),
    }
    found = {(method, path) for path, item in paths.items() for method in item}
    assert found == expected
    event_params = {p["name"] for p in paths["/api/v1/events"]["get"]["parameters"]}
    assert event_params == {
        "since",
        "until",
        "country",
        "admin1",
        "event_type",
        "sub_event_type",
        "actor",
        "modality",
        "min_confidence",
        "bbox",
        "q",
        "document_id",
        "limit",
        "cursor",
    }


def test_undated_events_have_null_dates_not_zero(client: Client) -> None:
    item = client.get("/api/v1/events", params={"country": "UA", "admin1": None}).json()["items"][
        -1
    ]
    assert item["event_id"] == "u9"
    assert item["event_date"] is None
    assert item["latitude"] is None and item["fatalities"] is None


def test_document_status_is_reported_for_unprocessed_pages(store: Store) -> None:
    from dataclasses import replace

    doc = replace(
        desk_documents()[0],
        id="doc-fr",
        status=DocumentStatus.UNSUPPORTED_LANGUAGE,
        status_reason="fr",
        events=(),
        published=date(2020, 1, 1),
    )
    store.save_document(doc)
    body = Client(build_app(store)).get("/api/v1/documents/doc-fr").json()
    assert body["status"] == "unsupported_language"
    assert body["status_reason"] == "fr"
