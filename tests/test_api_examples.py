"""The API over the real example pages, processed by the real pipeline (slow: loads spaCy)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from sitrep.adapters.store import SQLiteStore
from sitrep.api import build_app
from sitrep.process import process_paths
from sitrep.settings import Settings
from tests.test_api_fixtures import TOKEN, Client, desk_settings

ROOT = Path(__file__).resolve().parent.parent
WORKED_EXAMPLE = ROOT / "examples" / "coalition-strikes-deir-ezzor.txt"


@pytest.mark.slow
def test_api_serves_what_the_pipeline_stored_and_processes_a_submitted_page(
    tmp_path: Path,
) -> None:
    with SQLiteStore(tmp_path / "examples.db") as store:
        summary = process_paths(
            [ROOT / "examples"], settings=Settings(), store=store, published=date(2018, 8, 23)
        )
        client = Client(build_app(store, settings=desk_settings()), token=TOKEN)
        body = client.get("/api/v1/events", params={"modality": "all", "limit": 500}).json()
        assert body["total"] == store.count_events(store_query_all()) > 0
        assert {e["event_id"] for e in body["items"]} == {e.event_id for e in summary.events}
        # Every event's sentence is marked and rebuilt exactly.
        for item in body["items"]:
            detail = client.get(f"/api/v1/events/{item['event_id']}").json()
            for source in detail["sources"]:
                assert "".join(p["text"] for p in source["parts"]) == source["sentence"]
        days = client.get("/api/v1/aggregates", params={"by": "day", "modality": "all"}).json()
        assert sum(b["events"] for b in days["buckets"]) == body["total"]
        comments = client.get("/api/v1/comments", params={"limit": 500}).json()
        assert comments["total"] >= 4  # the worked example's reader comments

        text = WORKED_EXAMPLE.read_text(encoding="utf-8")
        response = client.post(
            "/api/v1/pages",
            json={"text": text, "url": "https://news.example/deir", "published": "2018-08-23"},
        )
        assert response.status_code == 201, response.text
        result = response.json()
        assert result["status"] == "ok"
        assert result["events"]  # the coalition strike, at least
        assert all(s["section"] == "article" for e in result["events"] for s in e["sources"])
        stored = client.get(f"/api/v1/documents/{result['document_id']}").json()
        assert len(stored["comments"]) >= 4
        assert {e["event_id"] for e in stored["events"]} == {
            e["event_id"] for e in result["events"]
        }


def store_query_all():  # type: ignore[no-untyped-def]
    from sitrep.adapters.store.base import EventQuery

    return EventQuery(modality=None)
