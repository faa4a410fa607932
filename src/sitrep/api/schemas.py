"""The API's JSON shapes (pydantic models): they document the OpenAPI schema and check replies.

Field names are the records' (sitrep.records); missing values are null, never 0 or "".
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from sitrep.adapters.store.base import MAX_MODERATOR_CHARS, MAX_NOTE_CHARS


class _Out(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ErrorOut(_Out):
    """An error: what is wrong and, for a bad parameter, its name."""

    detail: str
    parameter: str | None = None


class PartOut(_Out):
    """A stretch of a source sentence; kind: actor, location, date, fatalities, attribution."""

    text: str
    kind: str | None


class SourceOut(_Out):
    """One report of an event: the document, its sentence and the sentence's span."""

    document_id: str
    url: str | None
    published: date | None
    section: str
    sentence: str
    start: int = Field(description="Offset of the sentence in the document's text.")
    end: int
    attribution: list[str] = Field(description="The cited source chain, publisher first.")
    extractor: str
    parts: list[PartOut] | None = Field(
        default=None,
        description="The sentence cut into parts, the event's words marked "
        "(GET /api/v1/events/{event_id} only).",
    )


class EventOut(_Out):
    """One event row (ACLED's field names where ACLED has one) with its sources."""

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
    modality: str
    confidence: float
    date_resolved_from: date | None
    year_from_reference: bool
    geo_reason: str | None
    sources: list[SourceOut]


class EventList(_Out):
    """A page of events; pass ``next_cursor`` back as ``cursor`` for the next one."""

    items: list[EventOut]
    total: int = Field(description="How many events match the filters, over all pages.")
    limit: int
    next_cursor: str | None = Field(description="Null on the last page.")


class BucketOut(_Out):
    """One group of events: its key (null: undated or no region), counts and fatalities."""

    key: str | None
    events: int
    fatalities: int = Field(description="Sum of the known fatality counts.")
    fatalities_unknown: int = Field(description="Events of the group with no known count.")


class AggregateOut(_Out):
    """Events and fatalities grouped by day, week (its Monday), event type or admin1."""

    by: str
    total_events: int
    buckets: list[BucketOut]


class SegmentOut(_Out):
    """A stretch of a document's text and what it is."""

    kind: str
    start: int
    end: int
    text: str


class SpanOut(_Out):
    """A stretch of a comment that a screening rule fired on."""

    label: str
    start: int
    end: int
    text: str


class ScreeningOut(_Out):
    """The abuse screening of a comment (English comments; the screen stage makes it)."""

    decision: Literal["ok", "review", "remove"]
    scores: dict[str, float] = Field(description="Score of every label the screener has, 0..1.")
    spans: list[SpanOut] = Field(
        description="What the screening's rules fired on; offsets count the Unicode code "
        "points of the comment's text."
    )
    model: str


class DecisionOut(_Out):
    """A moderator's decision on a comment."""

    decision: Literal["ok", "review", "remove"]
    moderator: str | None
    note: str | None
    decided_at: str = Field(description="ISO 8601 UTC time.")


class CommentOut(_Out):
    """A reader comment with its screening, moderator's decision and effective decision."""

    document_id: str
    position: int
    text: str
    start: int | None = Field(description="Offset in the document's text (null: gone since).")
    end: int | None
    author: str | None
    reply_to: int | None
    timestamp: str | None
    status: Literal["ok", "review", "remove"] | None = Field(
        description="The effective decision: the moderator's, else the screening's; null "
        "for an unscreened comment no moderator decided."
    )
    screening: ScreeningOut | None = Field(
        description="Null when the comment was not screened (not English)."
    )
    decision: DecisionOut | None = Field(description="Null until a moderator decides.")


class CommentList(_Out):
    """A page of the moderation queue, worst first."""

    items: list[CommentOut]
    total: int
    limit: int
    next_cursor: str | None


class DocumentSummaryOut(_Out):
    """One stored document without its text."""

    id: str
    origin: str
    url: str | None
    published: date | None
    headline: str | None
    language: str | None
    status: str
    status_reason: str | None
    n_segments: int
    n_comments: int
    n_events: int


class DocumentList(_Out):
    """A page of documents, newest publication first."""

    items: list[DocumentSummaryOut]
    total: int
    limit: int
    next_cursor: str | None


class DocumentOut(_Out):
    """A stored document with its text, segments, comments and events."""

    id: str
    origin: str
    url: str | None
    published: date | None
    published_source: str | None
    headline: str | None
    language: str | None
    language_score: float | None
    status: str
    status_reason: str | None
    text: str
    segments: list[SegmentOut]
    comments: list[CommentOut]
    events: list[EventOut]


class PageIn(BaseModel):
    """A page to process: plain text or HTML (one of them), with its url and date if known."""

    model_config = ConfigDict(extra="forbid")

    text: str | None = Field(default=None, description="The page as plain text.")
    html: str | None = Field(default=None, description="The page as HTML.")
    url: str | None = Field(default=None, description="Where the page was published (http/https).")
    published: date | None = Field(
        default=None, description="Publication date; dates without a year resolve against it."
    )


class FailureOut(_Out):
    """A stage that could not handle the page."""

    stage: str
    record_id: str
    origin: str
    error: str
    message: str


class PageResult(_Out):
    """What processing a submitted page gave."""

    document_id: str
    status: str | None = Field(description="Null when the page failed before segmentation.")
    status_reason: str | None
    events: list[EventOut]
    failures: list[FailureOut]


class DecisionIn(BaseModel):
    """A moderator's decision on one comment."""

    model_config = ConfigDict(extra="forbid")

    decision: Literal["ok", "review", "remove"]
    moderator: str = Field(min_length=1, max_length=MAX_MODERATOR_CHARS)
    note: str | None = Field(default=None, max_length=MAX_NOTE_CHARS)


class DecisionResult(_Out):
    """A stored decision."""

    document_id: str
    position: int
    decision: DecisionOut


class InfoOut(_Out):
    """What the web page needs to know about this server."""

    version: str
    api: str
    schema_version: int
    tiles_url: str | None = Field(description="Online map tiles, when enabled; null: offline.")
    tiles_attribution: str | None
    moderation: bool = Field(
        description="True: the store keeps moderators' decisions (every store does; "
        "recording one is a write)."
    )
    screening: bool = Field(description="True: the store keeps comment screenings.")
    writes: bool = Field(
        description="True when the server accepts writes (serve.token is set; send it as a "
        "bearer token)."
    )


class DeletionOut(_Out):
    """What deleting a document removed (docs/decisions/0015-data-rights.md)."""

    document_id: str
    documents: int = Field(description="1, or 0 when only failures were stored under the id.")
    segments: int
    comments: int
    moderation: int = Field(description="Moderators' decisions on its comments.")
    failures: int
    sources: int = Field(description="Source rows that cited the document.")
    events: int = Field(description="Events deleted, left with no source.")
    events_kept: int = Field(description="Its events kept: another document reports them.")
    clusters_removed: int = Field(description="Clusters the re-fusion no longer forms.")
    clusters_rebuilt: int = Field(description="Clusters the re-fusion stored.")
