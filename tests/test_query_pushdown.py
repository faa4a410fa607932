"""The desk's filters in the store: CLI, API and store answer alike (docs/decisions/0014)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from sitrep.adapters.store import SQLiteStore
from sitrep.adapters.store.base import BBox, EventQuery
from sitrep.api.queries import (
    EventFilter,
    InvalidParameter,
    after_of,
    encode_cursor,
    find_page,
    store_query,
)
from sitrep.cli import main
from tests.test_store_factories import make_document, make_event, make_source


@pytest.fixture
def db(tmp_path: Path) -> str:
    path = tmp_path / "desk.db"
    with SQLiteStore(path) as store:
        store.save_document(
            make_document(
                "doc-a",
                make_event("e1", admin1="Idlib", latitude=35.9, longitude=36.6, confidence=0.9),
                make_event("e2", admin1="Idlib", latitude=35.9, longitude=36.6, confidence=0.4),
                make_event(
                    "e3",
                    event_date=date(2018, 8, 23),
                    admin1="Aleppo",
                    sources=(make_source("doc-a", sentence="A market was shelled."),),
                ),
            )
        )
    return f"sqlite:///{path}"


def event_ids(db: str, *options: str) -> list[str]:
    result = CliRunner().invoke(main, ["events", "--db", db, "--format", "jsonl", *options])
    assert result.exit_code == 0, result.output
    return [json.loads(line)["event_id"] for line in result.stdout.splitlines() if line]


def test_cli_takes_the_desk_filters(db: str) -> None:
    assert event_ids(db, "--admin1", "IDLIB") == ["e1", "e2"]
    assert event_ids(db, "--admin1", "idlib", "--min-confidence", "0.5") == ["e1"]
    assert event_ids(db, "--bbox", "36,35,37,36.5", "--no-fused") == ["e1", "e2"]
    assert event_ids(db, "--text", "MARKET") == ["e3"]


def test_cli_refuses_a_bad_box(db: str) -> None:
    result = CliRunner().invoke(main, ["events", "--db", db, "--bbox", "1,2,3"])
    assert result.exit_code == 2
    assert "minlon,minlat,maxlon,maxlat" in result.output


def test_cli_and_api_share_the_query(db: str) -> None:
    box = BBox(36, 35, 37, 36.5)
    wanted = EventFilter(admin1="Idlib", bbox=box, min_confidence=0.5, q="warplanes")
    with SQLiteStore(db.removeprefix("sqlite:///")) as store:
        page = find_page(store, wanted, limit=10, cursor=None)
        assert [e.event_id for e in page.items] == ["e1"]
        assert store_query(wanted) == EventQuery(
            admin1="Idlib", bbox=box, min_confidence=0.5, q="warplanes"
        )
    assert event_ids(
        db,
        "--admin1",
        "Idlib",
        "--bbox",
        "36,35,37,36.5",
        "--min-confidence",
        "0.5",
        "--text",
        "warplanes",
    ) == ["e1"]


def test_a_cursor_resumes_after_its_row_without_an_offset(db: str) -> None:
    wanted = EventFilter()
    with SQLiteStore(db.removeprefix("sqlite:///")) as store:
        first = find_page(store, wanted, limit=1, cursor=None)
        assert [e.event_id for e in first.items] == ["e3"]
        assert first.total == 3 and first.next_cursor is not None
        second = find_page(store, wanted, limit=5, cursor=first.next_cursor)
        assert [e.event_id for e in second.items] == ["e1", "e2"]
        assert second.total == 3 and second.next_cursor is None


def test_a_cursor_naming_no_date_is_refused() -> None:
    with pytest.raises(InvalidParameter, match="cursor"):
        after_of((False, 10**9, "e1"))
    assert after_of((True, 0, "e1")) == (None, "e1")
    assert encode_cursor((False, -1, "x"), fingerprint="f")  # a usable key encodes
