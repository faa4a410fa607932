"""Typed records that flow between stages.

    Page ──segment──▶ Document(article, comments) ──events──▶ Mention ──geocode──▶ Event
                                                                           │
                                                   every Event keeps its Sources (sentence + span)

All records are frozen: a stage returns a new record (``dataclasses.replace``) instead of
mutating one. Missing values are ``None``, never ``0``, ``""`` or ``"NULL"``.
Character spans always point into ``Document.text``.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any


def hash_id(*parts: object, length: int = 16) -> str:
    """Return a stable content-hash id, so that a re-run upserts instead of duplicating."""
    payload = json.dumps([str(p) if p is not None else None for p in parts], ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:length]


class SegmentKind(StrEnum):
    """What a stretch of page text is."""

    HEADLINE = "headline"
    BODY = "body"
    BOILERPLATE = "boilerplate"
    COMMENT = "comment"
    COMMENT_AUTHOR = "comment_author"


class DocumentStatus(StrEnum):
    """Where a document stands after the pipeline."""

    PENDING = "pending"
    OK = "ok"
    NO_BODY = "no_body"
    UNSUPPORTED_LANGUAGE = "unsupported_language"
    FAILED = "failed"


class Modality(StrEnum):
    """Whether a reported event happened, per the text."""

    OCCURRED = "occurred"
    PLANNED = "planned"
    CLAIMED = "claimed"
    DENIED = "denied"
    ESTIMATE = "estimate"


class GeoReason(StrEnum):
    """Why a place was (or was not) chosen; kept on the record so a choice is explainable."""

    EXACT = "exact"  # the named place was found
    NEAR = "near"  # "near X" / part of X
    ENCLOSING = "enclosing"  # the named place is unknown; a larger place the text names was used
    REGION = "region"  # only an admin area (admin1/admin2) is known
    COUNTRY = "country"  # only the country is known
    NOT_FOUND = "not_found"  # not in the gazetteer: the name alone (no point), or abstain
    NO_LOCATION = "no_location"  # the text names no place at all


@dataclass(frozen=True)
class Page:
    """One raw input page, as read from a file, a JSON Lines record or a crawl.

    Args:
        origin: where it came from, for error messages ("examples/a.html", "feed.jsonl:17").
        html / text: exactly one is usually set; both may be when a record carries both.
        published: the publication date, if the record or the user gave one.
        published_source: "record" | "html" | "crawl" | "user" | None.
    """

    origin: str
    html: str | None = None
    text: str | None = None
    url: str | None = None
    published: date | None = None
    published_source: str | None = None

    @property
    def id(self) -> str:
        """Content hash of the page: same content (and url) → same id."""
        return hash_id(self.url, self.html, self.text)


@dataclass(frozen=True)
class Segment:
    """A stretch of a document's text and what it is."""

    kind: SegmentKind
    start: int
    end: int
    text: str


class Decision(StrEnum):
    """Where a comment goes in the moderation queue."""

    OK = "ok"
    REVIEW = "review"
    REMOVE = "remove"


@dataclass(frozen=True)
class Screening:
    """The abuse screening of one comment (made by sitrep.screen, defined here for records).

    Args:
        scores: (label, score in [0, 1]) for every label the screener scores, in its order.
        spans: (label, start, end, text) of every lexicon hit, offsets into ``Comment.text``.
        decision: "ok" | "review" | "remove".
        model: the model version that produced it (artifact + lexicon).
    """

    scores: tuple[tuple[str, float], ...]
    spans: tuple[tuple[str, int, int, str], ...]
    decision: Decision
    model: str

    def score(self, label: str) -> float:
        """Return the score of one label; raises KeyError for an unknown label."""
        for name, value in self.scores:
            if name == label:
                return value
        raise KeyError(label)


@dataclass(frozen=True)
class Comment:
    """One reader comment. Comments never yield events.

    Args:
        screening: its abuse screening; None when it was not screened (e.g. not English).
    """

    position: int
    text: str
    start: int
    end: int
    author: str | None = None
    reply_to: int | None = None
    timestamp: str | None = None
    screening: Screening | None = None


@dataclass(frozen=True)
class Actor:
    """An actor as named in the text and as normalised through the actor dictionary."""

    text: str
    name: str  # canonical name (the dictionary's), or the text itself when unknown
    inter: int | None = None  # ACLED inter code 1..8
    country: str | None = None  # ISO 3166-1 alpha-2 where the actor belongs to one state
    known: bool = False  # True when found in the dictionary


@dataclass(frozen=True)
class Place:
    """A resolved place with ACLED geography."""

    location: str  # the name ACLED would write in "location"
    country: str | None
    iso: str | None  # ISO 3166-1 alpha-2
    admin1: str | None
    admin2: str | None
    admin3: str | None
    latitude: float | None
    longitude: float | None
    geo_precision: int | None  # 1 named place, 2 near/part of, 3 region
    geonameid: int | None = None
    feature: str | None = None  # "city", "admin1", "country", "overlay"...


@dataclass(frozen=True)
class GeocodeResult:
    """A geocoding answer: a place, or an explicit abstention, and why."""

    place: Place | None
    reason: GeoReason
    query: str | None = None
    candidates: int = 0
    note: str | None = None


@dataclass(frozen=True)
class Source:
    """One report of an event: which document, which sentence, which span."""

    document_id: str
    url: str | None
    published: date | None
    section: str  # "article" (events never come from "comment")
    sentence: str
    start: int
    end: int
    attribution: tuple[str, ...] = ()  # publisher → cited source chain, e.g. ("SOHR",)
    extractor: str = ""


@dataclass(frozen=True)
class Mention:
    """An event as one sentence reports it, before geocoding."""

    document_id: str
    event_type: str
    sub_event_type: str
    sentence: str
    start: int
    end: int
    trigger: str  # the words that made it an event
    actor1: Actor | None = None
    actor2: Actor | None = None
    assoc_actor_1: tuple[Actor, ...] = ()
    assoc_actor_2: tuple[Actor, ...] = ()
    location_text: str | None = None  # the place phrase the sentence gives
    location_hints: tuple[str, ...] = ()  # larger areas the sentence/article names
    # The place phrase is a place by its frame or tag (not a person/organisation guess): a
    # row names it even when the gazetteer cannot place it (stages/locations.PlacePhrases).
    location_named: bool = False
    event_date: date | None = None
    time_precision: int | None = None  # 1 day, 2 week, 3 month
    date_text: str | None = None
    date_resolved_from: date | None = None
    year_from_reference: bool = False
    fatalities: int | None = None
    fatalities_known: bool = False
    modality: Modality = Modality.OCCURRED
    attribution: tuple[str, ...] = ()
    confidence: float = 0.5


@dataclass(frozen=True)
class Event:
    """One event row. Field names follow ACLED where ACLED has one."""

    event_id: str
    event_date: date | None
    time_precision: int | None
    event_type: str
    sub_event_type: str
    actor1: str | None
    assoc_actor_1: str | None
    inter1: int | None
    actor2: str | None
    assoc_actor_2: str | None
    inter2: int | None
    interaction: int | None
    country: str | None
    iso: str | None
    admin1: str | None
    admin2: str | None
    admin3: str | None
    location: str | None
    latitude: float | None
    longitude: float | None
    geo_precision: int | None
    fatalities: int | None
    source: str | None
    notes: str | None
    plover_type: str | None
    cameo_code: str | None
    modality: Modality
    confidence: float
    date_resolved_from: date | None
    year_from_reference: bool
    geo_reason: GeoReason | None
    sources: tuple[Source, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dict (dates as ISO strings, sources as dicts)."""
        out: dict[str, Any] = {}
        for name in EVENT_FIELDS:
            value = getattr(self, name)
            out[name] = _jsonable(value)
        out["sources"] = [
            {k: _jsonable(getattr(s, k)) for k in SOURCE_FIELDS} for s in self.sources
        ]
        return out


@dataclass(frozen=True)
class Failure:
    """A record that a stage could not handle; stored, never lost."""

    stage: str
    record_id: str
    origin: str
    error: str  # exception class name
    message: str


@dataclass(frozen=True)
class Document:
    """A page after segmentation, enriched stage by stage."""

    id: str
    origin: str
    text: str
    url: str | None = None
    published: date | None = None
    published_source: str | None = None
    headline: str | None = None
    segments: tuple[Segment, ...] = ()
    comments: tuple[Comment, ...] = ()
    language: str | None = None
    language_score: float | None = None
    status: DocumentStatus = DocumentStatus.PENDING
    status_reason: str | None = None
    mentions: tuple[Mention, ...] = ()
    events: tuple[Event, ...] = ()
    # The parsed spaCy Doc of the body, handed from the nlp stage to the extractors;
    # never stored and not part of equality.
    nlp_doc: Any = field(default=None, compare=False, repr=False)

    def body_segments(self) -> tuple[Segment, ...]:
        """The segments that may yield events (body only)."""
        return tuple(s for s in self.segments if s.kind is SegmentKind.BODY)


EVENT_FIELDS: tuple[str, ...] = (
    "event_id",
    "event_date",
    "time_precision",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "inter1",
    "actor2",
    "assoc_actor_2",
    "inter2",
    "interaction",
    "country",
    "iso",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "fatalities",
    "source",
    "notes",
    "plover_type",
    "cameo_code",
    "modality",
    "confidence",
    "date_resolved_from",
    "year_from_reference",
    "geo_reason",
)

SOURCE_FIELDS: tuple[str, ...] = (
    "document_id",
    "url",
    "published",
    "section",
    "sentence",
    "start",
    "end",
    "attribution",
    "extractor",
)


def _jsonable(value: object) -> object:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, StrEnum):
        return value.value
    if isinstance(value, tuple):
        return [_jsonable(v) for v in value]
    return value
