"""The store protocol, its query and summary records, and the filter rules every store shares.

A store keeps documents (with their segments, comments and events) and failures. Events
are keyed by their content-hash ``event_id``: the same event reported by two documents is
one row with the sources of both (docs/decisions/0006-store.md). Moderators' decisions on
comments are kept apart, keyed by (document_id, comment position), and outlive any re-run
(docs/decisions/0007-comments-and-moderation.md).
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from types import TracebackType
from typing import Any, Protocol, Self, TypeVar, runtime_checkable

from sitrep.adapters.store.deletion import DeletionReport
from sitrep.errors import ConfigError, StoreError
from sitrep.fuse import FusedEvent, SearchWindow
from sitrep.records import Decision, Document, DocumentStatus, Event, Failure, Screening

# Longest moderator name and note kept: enough for a name and a paragraph, never a page.
MAX_MODERATOR_CHARS = 200
MAX_NOTE_CHARS = 10_000


@dataclass(frozen=True)
class BBox:
    """A longitude/latitude box, west-south-east-north (GeoJSON's bbox order)."""

    min_lon: float
    min_lat: float
    max_lon: float
    max_lat: float

    def contains(self, lon: float, lat: float) -> bool:
        """Return True when the point is inside (edges included); boxes may cross 180°."""
        if not self.min_lat <= lat <= self.max_lat:
            return False
        if self.min_lon <= self.max_lon:
            return self.min_lon <= lon <= self.max_lon
        # A box across the antimeridian: west edge east of the east edge (RFC 7946 §5.2).
        return lon >= self.min_lon or lon <= self.max_lon


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
        fused: one reconciled row per cluster of reports of the same event, with all their
            sources (an event in no cluster is its own row); False: one row per report
            (docs/decisions/0011-fusion.md).
        admin1: a first-level region name, case-insensitive.
        event_types / sub_event_types: exact event types (sub-event types), case-insensitive;
            an event matches when it has any of them. Empty: any.
        min_confidence: least ``confidence``.
        bbox: only placed events inside the box (unplaced events never match it).
        q: text searched, case-insensitive, in ``notes`` and the sources' sentences; blank
            means no search.
        after: a keyset cursor, the (event_date, event_id) of the last row of the previous
            page: only rows after it in the list order; ``count_events`` ignores it
            (docs/decisions/0014-query-pushdown.md).
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
    fused: bool = False
    admin1: str | None = None
    event_types: tuple[str, ...] = ()
    sub_event_types: tuple[str, ...] = ()
    min_confidence: float | None = None
    bbox: BBox | None = None
    q: str | None = None
    after: tuple[date | None, str] | None = None

    def __post_init__(self) -> None:
        if self.limit is not None and self.limit < 0:
            raise ConfigError(f"limit must be 0 or more, not {self.limit}")
        if self.offset < 0:
            raise ConfigError(f"offset must be 0 or more, not {self.offset}")
        if self.min_confidence is not None and not math.isfinite(self.min_confidence):
            raise ConfigError(f"min_confidence must be a number, not {self.min_confidence}")
        # Lists are accepted and kept as tuples: the query stays hashable.
        object.__setattr__(self, "event_types", tuple(self.event_types))
        object.__setattr__(self, "sub_event_types", tuple(self.sub_event_types))

    def needle(self) -> str | None:
        """Return the folded text ``q`` searches for, None when there is no search."""
        if self.q is None or not self.q.strip():
            return None
        return fold(self.q.strip())


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


@dataclass(frozen=True)
class Cluster:
    """A stored cluster of reports of one event: its id and its members' event ids (sorted)."""

    cluster_id: str
    members: tuple[str, ...]


class UnknownCommentError(StoreError):
    """A moderation decision names a comment the store does not hold."""


@dataclass(frozen=True)
class Moderation:
    """A moderator's decision on one comment; it survives every re-run of the pipeline.

    Args:
        position: the comment's ``Comment.position`` in its document.
        moderator / note: who decided and why; None when not given.
        decided_at: when, timezone-aware (stores keep UTC).
    """

    document_id: str
    position: int
    decision: Decision
    moderator: str | None
    note: str | None
    decided_at: datetime


@dataclass(frozen=True)
class CommentQuery:
    """Which comments of the moderation queue to return.

    Args:
        status: the effective decision ("ok" | "review" | "remove"): the moderator's when
            there is one, else the screening's. Unscreened, undecided comments never match.
        machine: the screening's own decision, whatever a moderator decided since.
        moderated: True for comments a moderator decided, False for the others.
        screened: True for screened comments, False for unscreened ones (not English).
        document_id: only this document's comments.
        limit / offset: a page of the ordered result; ``count_comments`` ignores both.
    """

    status: str | None = None
    machine: str | None = None
    moderated: bool | None = None
    screened: bool | None = None
    document_id: str | None = None
    limit: int | None = None
    offset: int = 0

    def __post_init__(self) -> None:
        for name in ("status", "machine"):
            value = getattr(self, name)
            if value is not None:
                object.__setattr__(self, name, decision_of(value, what=f"comment {name}"))
        if self.limit is not None and self.limit < 0:
            raise ConfigError(f"limit must be 0 or more, not {self.limit}")
        if self.offset < 0:
            raise ConfigError(f"offset must be 0 or more, not {self.offset}")


ALL_COMMENTS = CommentQuery()


@dataclass(frozen=True)
class CommentRow:
    """One comment of the moderation queue, with its screening and moderator's decision.

    Args:
        screening: None when the comment was not screened.
        moderation: None until a moderator decides.
        decision: the effective decision: the moderator's, else the screening's, else None.
    """

    document_id: str
    position: int
    author: str | None
    text: str
    screening: Screening | None
    moderation: Moderation | None
    decision: Decision | None

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dict (enums as strings, time as ISO 8601)."""
        s, m = self.screening, self.moderation
        return {
            "document_id": self.document_id,
            "position": self.position,
            "author": self.author,
            "text": self.text,
            "decision": self.decision.value if self.decision is not None else None,
            "screening": None
            if s is None
            else {
                "decision": s.decision.value,
                "scores": dict(s.scores),
                "spans": [
                    {"label": label, "start": start, "end": end, "text": text}
                    for label, start, end, text in s.spans
                ],
                "model": s.model,
            },
            "moderation": None
            if m is None
            else {
                "decision": m.decision.value,
                "moderator": m.moderator,
                "note": m.note,
                "decided_at": m.decided_at.isoformat(),
            },
        }


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
        """Return how many events match, ignoring the query's limit, offset and after."""
        ...

    def aggregate_events(self, query: EventQuery = DEFAULT_QUERY, *, by: str) -> list[Bucket]:
        """Count the matching events and their known fatalities per group (``order_buckets``).

        Args:
            by: "day", "week" (its Monday), "event_type" or "admin1" (a GroupBy).

        Raises:
            ConfigError: ``by`` names no grouping.
        """
        ...

    def documents(self, *, limit: int | None = None, offset: int = 0) -> list[DocumentSummary]:
        """Return document summaries, newest publication first (undated last), then by id."""
        ...

    def failures(self) -> list[Failure]:
        """Return every stored failure, ordered by stage then record_id."""
        ...

    def comments(self, query: CommentQuery = ALL_COMMENTS) -> list[CommentRow]:
        """Return the matching comments of the moderation queue, worst first.

        Ordered by effective decision (remove, review, ok, none), then toxicity (highest
        first, unscreened last), then document id and the comments' order on the page.
        """
        ...

    def count_comments(self, query: CommentQuery = ALL_COMMENTS) -> int:
        """Return how many comments match, ignoring the query's limit and offset."""
        ...

    def save_moderation(
        self,
        document_id: str,
        position: int,
        *,
        decision: str,
        moderator: str | None = None,
        note: str | None = None,
        decided_at: datetime | None = None,
    ) -> Moderation:
        """Record (or replace) a moderator's decision on a stored comment and return it.

        Saving the document again never touches it.

        Raises:
            ConfigError: ``decision`` is not "ok", "review" or "remove", or a text is too long.
            UnknownCommentError: the store holds no comment ``position`` of ``document_id``.
        """
        ...

    def candidate_events(self, window: SearchWindow) -> list[Event]:
        """Return the per-document events in ``window`` (``fuse.in_window``), by event_id."""
        ...

    def events_by_id(self, event_ids: Collection[str]) -> list[Event]:
        """Return the stored per-document events with these ids (unknown ids skipped), by id."""
        ...

    def clusters(
        self, *, event_ids: Collection[str] = (), document_ids: Collection[str] = ()
    ) -> list[Cluster]:
        """Return the stored clusters with a member in ``event_ids`` or a source citing one of
        ``document_ids`` (both empty: every cluster), by cluster_id."""
        ...

    def replace_clusters(
        self,
        fused: Sequence[FusedEvent],
        *,
        events: Collection[str],
        clusters: Collection[str] = (),
    ) -> None:
        """Atomically re-cluster the events ``events``.

        Deletes the clusters named in ``clusters`` and every cluster with a member in
        ``events``, then stores each FusedEvent of two or more members (its reconciled row,
        sources and memberships). A singleton is not stored: an event in no cluster is its own.

        Raises:
            StoreError: a member is not a stored event, or belongs to a cluster kept.
        """
        ...

    def clear_clusters(self) -> None:
        """Delete every cluster (the per-document events stay)."""
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

    def delete_document(self, document_id: str) -> DeletionReport:
        """Delete a document and everything derived from it, in one transaction.

        Removes its segments, comments, moderators' decisions, failures, the source rows
        citing it and every event left with no source; re-fuses the clusters its reports
        touched (docs/decisions/0015-data-rights.md).

        Raises:
            UnknownDocumentError: no document and no failure is stored under the id.
        """
        ...


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
    if query.document_id is not None and query.document_id not in document_ids:
        return False
    return matches_more(event, query)


def matches_more(event: Event, query: EventQuery) -> bool:
    """Return True when ``event`` passes the desk's filters: admin1, exact types, confidence,
    box, text and cursor (``q`` reads ``event.sources``)."""
    if query.admin1 is not None and fold(event.admin1) != fold(query.admin1):
        return False
    if query.event_types and fold(event.event_type) not in {fold(t) for t in query.event_types}:
        return False
    if query.sub_event_types and fold(event.sub_event_type) not in {
        fold(t) for t in query.sub_event_types
    }:
        return False
    if query.min_confidence is not None and event.confidence < query.min_confidence:
        return False
    if query.bbox is not None and (
        event.latitude is None
        or event.longitude is None
        or not query.bbox.contains(event.longitude, event.latitude)
    ):
        return False
    needle = query.needle()
    if needle is not None:
        texts = (event.notes, *(s.sentence for s in event.sources))
        if not any(needle in (fold(t) or "") for t in texts if t is not None):
            return False
    return query.after is None or sort_key(event) > after_key(query.after)


def after_key(after: tuple[date | None, str]) -> tuple[bool, int, str]:
    """Return the ``sort_key`` of a row with this (event_date, event_id)."""
    day, event_id = after
    return (day is None, -day.toordinal() if day is not None else 0, event_id)


def sort_key(event: Event) -> tuple[bool, int, str]:
    """Return the key that orders events newest first, undated last, then by event_id."""
    ordinal = event.event_date.toordinal() if event.event_date is not None else 0
    return (event.event_date is None, -ordinal, event.event_id)


class GroupBy(StrEnum):
    """What ``Store.aggregate_events`` groups by."""

    DAY = "day"
    WEEK = "week"
    EVENT_TYPE = "event_type"
    ADMIN1 = "admin1"


@dataclass(frozen=True)
class Bucket:
    """One group: its key (None for events without one), events and known fatalities.

    Args:
        fatalities: the sum over events whose count is known (unknown counts add nothing).
        fatalities_unknown: how many events of the group have no known count.
    """

    key: str | None
    events: int
    fatalities: int
    fatalities_unknown: int


def group_by(by: str) -> GroupBy:
    """Return ``by`` as a GroupBy; raise ConfigError naming the accepted ones."""
    try:
        return GroupBy(by)
    except ValueError:
        accepted = ", ".join(g.value for g in GroupBy)
        raise ConfigError(f"by must be one of {accepted}, not {by!r}") from None


def group_key(event: Event, by: GroupBy) -> str | None:
    """Return the group of ``event``: ISO day, ISO week's Monday, type or admin1."""
    if by in (GroupBy.DAY, GroupBy.WEEK):
        return event.event_date.isoformat() if event.event_date is not None else None
    return event.event_type if by is GroupBy.EVENT_TYPE else event.admin1


def monday_of(day: str) -> str:
    """Return the ISO date of the Monday starting the week of ISO date ``day``."""
    d = date.fromisoformat(day)
    return (d - timedelta(days=d.weekday())).isoformat()


def order_buckets(
    groups: Iterable[tuple[str | None, int, int, int]], *, by: GroupBy
) -> list[Bucket]:
    """Merge (key, events, fatalities, unknown) groups into the buckets of ``by``, in order.

    Stores group weeks by day (``group_key``); this rolls days up to their Monday, so every
    store shares one definition of a week. Days and weeks come in date order, types and
    regions by count (most first) then name; the group without a key comes last.
    """
    merged: dict[str | None, list[int]] = {}
    for key, n, deaths, unknown in groups:
        if key is not None and by is GroupBy.WEEK:
            key = monday_of(key)
        totals = merged.setdefault(key, [0, 0, 0])
        totals[0] += n
        totals[1] += deaths
        totals[2] += unknown
    keys = [k for k in merged if k is not None]
    if by in (GroupBy.DAY, GroupBy.WEEK):
        keys.sort()
    else:
        keys.sort(key=lambda k: (-merged[k][0], k))
    ordered: list[str | None] = [*keys, *([None] if None in merged else [])]
    return [Bucket(k, *merged[k]) for k in ordered]


def bucket_events(events: Iterable[Event], *, by: GroupBy) -> list[Bucket]:
    """Return the buckets of ``events`` (what a store's ``aggregate_events`` answers)."""
    return order_buckets(
        (
            (
                group_key(e, by),
                1,
                e.fatalities if e.fatalities is not None else 0,
                int(e.fatalities is None),
            )
            for e in events
        ),
        by=by,
    )


def summary_sort_key(summary: DocumentSummary) -> tuple[bool, int, str]:
    """Return the key that orders documents newest first, undated last, then by id."""
    ordinal = summary.published.toordinal() if summary.published is not None else 0
    return (summary.published is None, -ordinal, summary.id)


T = TypeVar("T")


def page(items: list[T], *, limit: int | None, offset: int) -> list[T]:
    """Return the slice ``offset``..``offset + limit`` of ``items``."""
    end = None if limit is None else offset + limit
    return items[offset:end]


def decision_of(value: str, *, what: str = "decision") -> Decision:
    """Return ``value`` as a Decision; raise ConfigError naming the accepted ones."""
    try:
        return Decision(value)
    except ValueError:
        accepted = ", ".join(d.value for d in Decision)
        raise ConfigError(f"{what} must be one of {accepted}, not {value!r}") from None


def new_moderation(
    document_id: str,
    position: int,
    *,
    decision: str,
    moderator: str | None,
    note: str | None,
    decided_at: datetime | None,
) -> Moderation:
    """Validate a moderator's decision and return it as a record (time in UTC, default now).

    Raises:
        ConfigError: a bad decision, an over-long moderator or note, or a naive time.
    """
    if moderator is not None and len(moderator) > MAX_MODERATOR_CHARS:
        raise ConfigError(f"moderator name is longer than {MAX_MODERATOR_CHARS} characters")
    if note is not None and len(note) > MAX_NOTE_CHARS:
        raise ConfigError(f"moderation note is longer than {MAX_NOTE_CHARS} characters")
    when = decided_at if decided_at is not None else datetime.now(UTC)
    if when.tzinfo is None or when.utcoffset() is None:
        raise ConfigError(f"decided_at {when.isoformat()} has no time zone; give UTC")
    return Moderation(
        document_id=document_id,
        position=position,
        decision=decision_of(decision),
        moderator=moderator,
        note=note,
        decided_at=when.astimezone(UTC),
    )


def unknown_comment(document_id: str, position: int) -> UnknownCommentError:
    """Return the error for a decision on a comment the store does not hold."""
    return UnknownCommentError(
        f"no comment at position {position} of document {document_id!r}; "
        f"list them with `sitrep comments --document {document_id}`"
    )


def effective_decision(
    screening: Screening | None, moderation: Moderation | None
) -> Decision | None:
    """Return the moderator's decision when there is one, else the screening's, else None."""
    if moderation is not None:
        return moderation.decision
    return screening.decision if screening is not None else None


def toxicity_of(screening: Screening | None) -> float | None:
    """Return a screening's toxicity score (the queue's order); None when absent."""
    if screening is None:
        return None
    try:
        return screening.score("toxicity")
    except KeyError:
        return None


def comment_matches(row: CommentRow, query: CommentQuery) -> bool:
    """Return True when ``row`` passes every filter of ``query`` (SQLiteStore mirrors it)."""
    if query.status is not None and row.decision != query.status:
        return False
    if query.machine is not None and (
        row.screening is None or row.screening.decision != query.machine
    ):
        return False
    if query.moderated is not None and (row.moderation is not None) != query.moderated:
        return False
    if query.screened is not None and (row.screening is not None) != query.screened:
        return False
    return query.document_id is None or row.document_id == query.document_id


# Worst first; unscreened and undecided comments last.
DECISION_RANK: dict[Decision | None, int] = {
    Decision.REMOVE: 0,
    Decision.REVIEW: 1,
    Decision.OK: 2,
    None: 3,
}


def comment_sort_key(row: CommentRow, ordinal: int) -> tuple[int, bool, float, str, int]:
    """Return the key that orders the queue (see ``Store.comments``).

    Args:
        ordinal: the comment's index in its document's comments (positions may repeat).
    """
    toxicity = toxicity_of(row.screening)
    return (
        DECISION_RANK[row.decision],
        toxicity is None,
        -toxicity if toxicity is not None else 0.0,
        row.document_id,
        ordinal,
    )
