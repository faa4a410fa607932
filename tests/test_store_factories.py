"""Record factories and Hypothesis strategies shared by the store and export tests (no tests)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from hypothesis import strategies as st

from sitrep.records import (
    Comment,
    Document,
    DocumentStatus,
    Event,
    GeoReason,
    Modality,
    Segment,
    SegmentKind,
    Source,
)

HOSTILE = 'Robert\'); DROP TABLE events; -- [bold red]x[/] "quoted" %_ \\ ☠ \x00 end'


def make_source(document_id: str = "doc-a", **overrides: Any) -> Source:
    fields: dict[str, Any] = {
        "document_id": document_id,
        "url": f"https://news.example/{document_id}",
        "published": date(2018, 8, 24),
        "section": "article",
        "sentence": "Warplanes struck positions near the river, killing 3 fighters.",
        "start": 10,
        "end": 72,
        "attribution": ("Monitoring group",),
        "extractor": "rules-0.1",
    }
    fields.update(overrides)
    return Source(**fields)


def make_event(event_id: str = "e1", **overrides: Any) -> Event:
    fields: dict[str, Any] = {
        "event_id": event_id,
        "event_date": date(2018, 8, 22),
        "time_precision": 1,
        "event_type": "Explosions/Remote violence",
        "sub_event_type": "Air/drone strike",
        "actor1": "Military Forces of the United States (2017-2021)",
        "assoc_actor_1": None,
        "inter1": 8,
        "actor2": "Islamic State (Syria)",
        "assoc_actor_2": None,
        "inter2": 2,
        "interaction": 28,
        "country": "Syria",
        "iso": "SY",
        "admin1": "Deir-ez-Zor",
        "admin2": "Abu Kamal",
        "admin3": None,
        "location": "Riverside Village",
        "latitude": 34.45,
        "longitude": 40.93,
        "geo_precision": 1,
        "fatalities": 3,
        "source": "Example News",
        "notes": "On 22 August 2018, warplanes struck positions.",
        "plover_type": "ASSAULT",
        "cameo_code": "19",
        "modality": Modality.OCCURRED,
        "confidence": 0.8,
        "date_resolved_from": date(2018, 8, 24),
        "year_from_reference": True,
        "geo_reason": GeoReason.EXACT,
        "sources": (make_source("doc-a"),),
    }
    fields.update(overrides)
    return Event(**fields)


def make_document(document_id: str = "doc-a", *events: Event, **overrides: Any) -> Document:
    text = "Headline\nBody text here.\nNice comment"
    fields: dict[str, Any] = {
        "id": document_id,
        "origin": f"pages/{document_id}.txt",
        "text": text,
        "url": f"https://news.example/{document_id}",
        "published": date(2018, 8, 24),
        "published_source": "user",
        "headline": "Headline",
        "segments": (
            Segment(SegmentKind.HEADLINE, 0, 8, "Headline"),
            Segment(SegmentKind.BODY, 9, 24, "Body text here."),
            Segment(SegmentKind.COMMENT, 25, 37, "Nice comment"),
        ),
        "comments": (Comment(position=0, text="Nice comment", start=25, end=37, author="Ann"),),
        "language": "en",
        "language_score": 0.97,
        "status": DocumentStatus.OK,
        "status_reason": None,
        "events": events,
    }
    fields.update(overrides)
    return Document(**fields)


def with_sources(event: Event, *sources: Source) -> Event:
    return replace(event, sources=sources)


# -- Hypothesis strategies -----------------------------------------------------------------

# Any text a page can hold, minus lone surrogates (decoded text never has them).
texts = st.text(st.characters(exclude_categories=["Cs"]), max_size=40)
optional_texts = st.none() | texts
optional_ints = st.none() | st.integers(min_value=0, max_value=10**9)
optional_dates = st.none() | st.dates()

sources = st.builds(
    Source,
    document_id=st.sampled_from(["doc-a", "doc-b", "doc-ü"]),
    url=optional_texts,
    published=optional_dates,
    section=st.sampled_from(["article"]),
    sentence=texts,
    start=st.integers(min_value=0, max_value=10**6),
    end=st.integers(min_value=0, max_value=10**6),
    attribution=st.lists(texts, max_size=3).map(tuple),
    extractor=texts,
)

events = st.builds(
    Event,
    event_id=st.text("0123456789abcdef", min_size=16, max_size=16),
    event_date=optional_dates,
    time_precision=st.none() | st.integers(min_value=1, max_value=3),
    event_type=texts,
    sub_event_type=texts,
    actor1=optional_texts,
    assoc_actor_1=optional_texts,
    inter1=st.none() | st.integers(min_value=1, max_value=8),
    actor2=optional_texts,
    assoc_actor_2=optional_texts,
    inter2=st.none() | st.integers(min_value=1, max_value=8),
    interaction=st.none() | st.integers(min_value=10, max_value=88),
    country=optional_texts,
    iso=st.none() | st.sampled_from(["SY", "sy", "UA", "NG", "KE", "XK"]),
    admin1=optional_texts,
    admin2=optional_texts,
    admin3=optional_texts,
    location=optional_texts,
    latitude=st.none() | st.floats(min_value=-90, max_value=90),
    longitude=st.none() | st.floats(min_value=-180, max_value=180),
    geo_precision=st.none() | st.integers(min_value=1, max_value=3),
    fatalities=optional_ints,
    source=optional_texts,
    notes=optional_texts,
    plover_type=optional_texts,
    cameo_code=optional_texts,
    modality=st.sampled_from(Modality),
    confidence=st.floats(min_value=0, max_value=1),
    date_resolved_from=optional_dates,
    year_from_reference=st.booleans(),
    geo_reason=st.none() | st.sampled_from(GeoReason),
    sources=st.lists(sources, max_size=3, unique_by=lambda s: (s.document_id, s.start, s.end)).map(
        tuple
    ),
)

segments = st.builds(
    Segment,
    kind=st.sampled_from(SegmentKind),
    start=st.integers(min_value=0, max_value=10**6),
    end=st.integers(min_value=0, max_value=10**6),
    text=texts,
)

comments = st.builds(
    Comment,
    position=st.integers(min_value=0, max_value=1000),
    text=texts,
    start=st.integers(min_value=0, max_value=10**6),
    end=st.integers(min_value=0, max_value=10**6),
    author=optional_texts,
    reply_to=st.none() | st.integers(min_value=0, max_value=1000),
    timestamp=optional_texts,
)

documents = st.builds(
    Document,
    id=st.text("0123456789abcdef", min_size=16, max_size=16),
    origin=texts,
    text=texts,
    url=optional_texts,
    published=optional_dates,
    published_source=st.none() | st.sampled_from(["record", "user", "html"]),
    headline=optional_texts,
    segments=st.lists(segments, max_size=4).map(tuple),
    comments=st.lists(comments, max_size=4).map(tuple),
    language=st.none() | st.sampled_from(["en", "fr", "ar"]),
    language_score=st.none() | st.floats(min_value=0, max_value=1),
    status=st.sampled_from(DocumentStatus),
    status_reason=optional_texts,
    events=st.lists(events, max_size=4, unique_by=lambda e: e.event_id).map(tuple),
)
