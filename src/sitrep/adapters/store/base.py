"""The store protocol, its query and summary records, and the filter rules every store shares.

A store keeps documents (with their segments, comments and events) and failures. Events
are keyed by their content-hash ``event_id``: the same event reported by two documents is
one row with the sources of both (docs/decisions/0006-store.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from types import TracebackType
from typing import Protocol, Self, TypeVar, runtime_checkable

from sitrep.errors import ConfigError
from sitrep.records import Document, DocumentStatus, Event, Failure


@dataclass(frozen=True)
class EventQuery:
    """Which events to return.

    Args:
        since / until: inclusive bounds on ``event_date``; events with no date never match them.
        country: a country name or ISO 3166-1 alpha-2 code, case-insensitive.
        event_type: an ACLED event type or sub-event type, case-insensitive.
        actor: a case-insensitive substring of actor1, actor2 or an associated actor.
        modality: "occurred" by default; None returns every modality.
        document_id: only the events a document reported.
        limit / offset: a page of the ordered result; ``count_events`` ignores both.
    """

    since: date | None = None
    until: date | None = None
    country: str | None = None
    event_type: str | None = None
    actor: str | None = None
    modality: str | None = "occurred"
    document_id: str | None = None
    limit: int | None = None
    offset: int = 0

    def __post_init__(self) -> None:
        if self.limit is not None and self.limit < 0:
            raise ConfigError(f"limit must be 0 or more, not {self.limit}")
        if self.offset < 0:
            raise ConfigError(f"offset must be 0 or more, not {self.offset}")


# The default query (every dated or undated event that occurred); frozen, so safe to share.
DEFAULT_QUERY = EventQuery()


@dataclass(frozen=True)
class DocumentSummary:
    """One stored document, without its text: what ``sitrep documents`` lists."""

    id: str
    origin: str
    url: str | None
    published: date | None
    headline: str | None
    language: str | None
    status: DocumentStatus
    status_reason: str | None
    n_segments: int
    n_comments: int
    n_events: int


@runtime_checkable
class Store(Protocol):
    """Where documents, events and failures are kept."""

    def save_document(self, document: Document) -> None:
        """Insert or replace a document with its segments, comments and events, atomically."""
        ...

    def save_failure(self, failure: Failure) -> None:
        """Insert or replace a failure, keyed by (stage, record_id)."""
        ...

    def has_document(self, document_id: str) -> bool:
        """Return True when a document with this id is stored."""
        ...

    def get_document(self, document_id: str) -> Document | None:
        """Return a stored document with its segments, comments and events (no nlp_doc)."""
        ...

    def events(self, query: EventQuery = DEFAULT_QUERY) -> list[Event]:
        """Return matching events, newest first (undated last), then by event_id."""
        ...

    def count_events(self, query: EventQuery = DEFAULT_QUERY) -> int:
        """Return how many events match, ignoring the query's limit and offset."""
        ...

    def documents(self, *, limit: int | None = None, offset: int = 0) -> list[DocumentSummary]:
        """Return document summaries, newest publication first (undated last), then by id."""
        ...

    def failures(self) -> list[Failure]:
        """Return every stored failure, ordered by stage then record_id."""
        ...

    def schema_version(self) -> int:
        """Return the version of the store's schema."""
        ...

    def close(self) -> None:
        """Release the store's resources; the store is unusable afterwards."""
        ...

    def __enter__(self) -> Self: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...


def fold(text: str | None) -> str | None:
    """Return ``text`` case-folded for comparison (every store compares through this)."""
    return text.casefold() if text is not None else None


def matches(event: Event, query: EventQuery, *, document_ids: frozenset[str]) -> bool:
    """Return True when ``event`` passes every filter of ``query``.

    The reference semantics of a query: MemoryStore filters with it, SQLiteStore translates
    it into SQL, and the contract tests hold both to the same answers.

    Args:
        document_ids: the documents that reported the event (saved it or are cited by it).
    """
    if query.since is not None and (event.event_date is None or event.event_date < query.since):
        return False
    if query.until is not None and (event.event_date is None or event.event_date > query.until):
        return False
    if query.country is not None:
        wanted = fold(query.country)
        if wanted not in (fold(event.country), fold(event.iso)):
            return False
    if query.event_type is not None:
        wanted = fold(query.event_type)
        if wanted not in (fold(event.event_type), fold(event.sub_event_type)):
            return False
    if query.actor is not None:
        needle = fold(query.actor) or ""
        names = (event.actor1, event.actor2, event.assoc_actor_1, event.assoc_actor_2)
        if not any(needle in (fold(n) or "") for n in names if n is not None):
            return False
    if query.modality is not None and fold(query.modality) != fold(event.modality.value):
        return False
    return query.document_id is None or query.document_id in document_ids


def sort_key(event: Event) -> tuple[bool, int, str]:
    """Return the key that orders events newest first, undated last, then by event_id."""
    ordinal = event.event_date.toordinal() if event.event_date is not None else 0
    return (event.event_date is None, -ordinal, event.event_id)


def summary_sort_key(summary: DocumentSummary) -> tuple[bool, int, str]:
    """Return the key that orders documents newest first, undated last, then by id."""
    ordinal = summary.published.toordinal() if summary.published is not None else 0
    return (summary.published is None, -ordinal, summary.id)


T = TypeVar("T")


def page(items: list[T], *, limit: int | None, offset: int) -> list[T]:
    """Return the slice ``offset``..``offset + limit`` of ``items``."""
    end = None if limit is None else offset + limit
    return items[offset:end]
