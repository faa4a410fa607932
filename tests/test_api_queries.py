"""Query helpers shared by the API and CLI: bbox, filters, cursors, aggregates, highlighting."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sitrep.adapters.store.base import sort_key
from sitrep.api.highlight import highlight_sentence
from sitrep.api.queries import (
    MAX_LIMIT,
    BBox,
    EventFilter,
    GroupBy,
    InvalidParameter,
    aggregate_events,
    decode_cursor,
    encode_cursor,
    matches_filter,
    page_events,
    parse_bbox,
    parse_modality,
    store_query,
)
from tests.test_store_factories import events, make_event, make_source


def test_parse_bbox_and_antimeridian_boxes() -> None:
    box = parse_bbox("35, 49,37,51")
    assert box == BBox(35, 49, 37, 51)
    assert box.contains(36, 50) and not box.contains(38, 50)
    pacific = parse_bbox("170,-10,-170,10")
    assert pacific.contains(179, 0) and pacific.contains(-175, 0) and not pacific.contains(0, 0)


@pytest.mark.parametrize("text", ["", "1,2,3", "1,2,3,4,5", "a,1,2,3", "0,5,1,4", "0,0,1,inf"])
def test_parse_bbox_refuses_bad_boxes(text: str) -> None:
    with pytest.raises(InvalidParameter) as info:
        parse_bbox(text)
    assert info.value.parameter == "bbox"


def test_modality_all_means_every_one() -> None:
    assert parse_modality(None) == "occurred"
    assert parse_modality(" All ") is None
    assert parse_modality("PLANNED") == "planned"
    with pytest.raises(InvalidParameter):
        parse_modality("rumour")


def test_filter_checks_its_own_values() -> None:
    with pytest.raises(InvalidParameter, match="since"):
        EventFilter(since=date(2024, 2, 1), until=date(2024, 1, 1))
    with pytest.raises(InvalidParameter, match="min_confidence"):
        EventFilter(min_confidence=-0.1)


def test_store_query_carries_every_filter() -> None:
    box = BBox(35, 49, 37, 51)
    query = store_query(
        EventFilter(
            admin1="Idlib",
            event_types=("Battles", "Riots"),
            sub_event_types=("Attack",),
            min_confidence=0.5,
            bbox=box,
            q="market",
        )
    )
    assert (query.admin1, query.event_types, query.sub_event_types) == (
        "Idlib",
        ("Battles", "Riots"),
        ("Attack",),
    )
    assert (query.min_confidence, query.bbox, query.q) == (0.5, box, "market")
    # The exact types, never the store's type-or-sub-type match.
    assert query.event_type is None


def test_matches_filter_on_unplaced_and_text() -> None:
    unplaced = make_event(latitude=None, longitude=None)
    assert not matches_filter(unplaced, EventFilter(bbox=BBox(-180, -90, 180, 90)))
    noted = make_event(notes=None, sources=(make_source(sentence="Shelling hit the MARKET."),))
    assert matches_filter(noted, EventFilter(q="market"))
    assert not matches_filter(noted, EventFilter(q="airport"))


@given(st.lists(events, max_size=12, unique_by=lambda e: e.event_id), st.integers(1, 5))
def test_cursor_pages_cover_every_event_once_in_order(found: list, limit: int) -> None:
    seen = []
    cursor = None
    for _ in range(len(found) + 1):
        page = page_events(found, limit=limit, cursor=cursor, fingerprint="f")
        seen += page.items
        cursor = page.next_cursor
        if cursor is None:
            break
    assert [e.event_id for e in seen] == [e.event_id for e in sorted(found, key=sort_key)]


def test_cursor_round_trip_and_limits() -> None:
    key = (False, -738000, "abc")
    assert decode_cursor(encode_cursor(key, fingerprint="f"), fingerprint="f", like=key) == key
    with pytest.raises(InvalidParameter, match="other filters"):
        decode_cursor(encode_cursor(key, fingerprint="f"), fingerprint="g")
    with pytest.raises(InvalidParameter, match="limit"):
        page_events([], limit=MAX_LIMIT + 1, cursor=None, fingerprint="f")


@given(st.lists(events, max_size=15))
def test_aggregates_add_up(found: list) -> None:
    for by in GroupBy:
        buckets = aggregate_events(found, by=by)
        assert sum(b.events for b in buckets) == len(found)
        assert sum(b.fatalities for b in buckets) == sum(e.fatalities or 0 for e in found)
        assert sum(b.fatalities_unknown for b in buckets) == sum(
            e.fatalities is None for e in found
        )
        keys = [b.key for b in buckets]
        assert None not in keys[:-1]


def test_weeks_start_on_monday() -> None:
    sunday = make_event("a", event_date=date(2024, 3, 10))
    monday = make_event("b", event_date=date(2024, 3, 11))
    keys = [b.key for b in aggregate_events([sunday, monday], by=GroupBy.WEEK)]
    assert keys == ["2024-03-04", "2024-03-11"]


@given(events, st.text(max_size=80))
def test_highlight_parts_always_rebuild_the_sentence(event, sentence: str) -> None:  # type: ignore[no-untyped-def]
    source = make_source(sentence=sentence)
    parts = highlight_sentence(event, source)
    assert "".join(p.text for p in parts) == sentence


def test_highlight_marks_dates_in_several_spellings() -> None:
    event = make_event(event_date=date(2018, 8, 22), actor1="SDF", actor2=None)
    for text in ("August 22", "22 August 2018", "Aug. 22", "Wednesday", "2018-08-22"):
        source = make_source(sentence=f"The SDF advanced on {text}.", published=None)
        marked = {(p.kind, p.text) for p in highlight_sentence(event, source) if p.kind}
        assert ("date", text) in marked or ("date", f"on {text}") in marked, text
        assert ("actor", "SDF") in marked
    yesterday = make_source(sentence="Clashes erupted yesterday.", published=date(2018, 8, 23))
    assert ("date", "yesterday") in {(p.kind, p.text) for p in highlight_sentence(event, yesterday)}


def test_highlight_does_not_mark_inside_words() -> None:
    event = replace(make_event(), actor1="IS", actor2=None, location=None, admin1=None, admin2=None)
    source = make_source(sentence="This island is calm; IS fighters left.", attribution=())
    marked = [p.text for p in highlight_sentence(event, source) if p.kind == "actor"]
    # Whole words only, and a short acronym keeps its case: not "This", "island" or "is".
    assert marked == ["IS"]
