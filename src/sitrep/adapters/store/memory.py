"""An in-memory Store with SQLiteStore's semantics: the fake that other parts' tests use."""

from __future__ import annotations

import threading
from collections.abc import Collection, Iterable, Sequence
from dataclasses import replace
from datetime import datetime
from types import TracebackType
from typing import Self

from sitrep.adapters.store.base import (
    ALL_COMMENTS,
    DEFAULT_QUERY,
    Bucket,
    Cluster,
    CommentQuery,
    CommentRow,
    DocumentSummary,
    EventQuery,
    Moderation,
    bucket_events,
    comment_matches,
    comment_sort_key,
    effective_decision,
    group_by,
    matches,
    new_moderation,
    page,
    sort_key,
    summary_sort_key,
    unknown_comment,
)
from sitrep.adapters.store.deletion import DeletionReport, component, unknown_document
from sitrep.adapters.store.migrations import LATEST_VERSION
from sitrep.errors import ConfigError, StoreError
from sitrep.fuse import FusedEvent, SearchWindow, fuse_events, in_window
from sitrep.records import Document, Event, Failure, Source

# A source is identified within its event by the document it cites and its span (the
# primary key of SQLite's event_sources).
_SourceKey = tuple[str, int, int]
_QueueKey = tuple[int, bool, float, str, int]


class MemoryStore:
    """A Store kept in dicts; nothing survives ``close()``."""

    def __init__(self) -> None:
        self._documents: dict[str, Document] = {}
        self._document_events: dict[str, list[str]] = {}
        self._events: dict[str, Event] = {}
        self._sources: dict[str, dict[_SourceKey, tuple[int, Source]]] = {}
        self._failures: dict[tuple[str, str], Failure] = {}
        # Keyed by (document_id, comment position); save_document never touches it.
        self._moderation: dict[tuple[str, int], Moderation] = {}
        # Fusion: the reconciled row (with its sources) of each cluster, and who is in which.
        self._fused: dict[str, Event] = {}
        self._cluster_of: dict[str, str] = {}
        self._lock = threading.RLock()
        self._closed = False

    def __repr__(self) -> str:
        return "MemoryStore()"

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Drop everything; closing twice is harmless."""
        with self._lock:
            self._closed = True
            self._documents.clear()
            self._document_events.clear()
            self._events.clear()
            self._sources.clear()
            self._failures.clear()
            self._moderation.clear()
            self._fused.clear()
            self._cluster_of.clear()

    def _check_open(self) -> None:
        if self._closed:
            raise StoreError("the memory store is closed")

    def save_document(self, document: Document) -> None:
        """Insert or replace a document with its segments, comments and events."""
        with self._lock:
            self._check_open()
            d = document
            self._documents[d.id] = replace(d, events=(), mentions=(), nlp_doc=None)
            previous = self._document_events.pop(d.id, [])
            for keyed in self._sources.values():
                for key in [k for k in keyed if k[0] == d.id]:
                    del keyed[key]
            self._document_events[d.id] = [e.event_id for e in d.events]
            for event in d.events:
                self._events[event.event_id] = replace(event, sources=())
                keyed = self._sources.setdefault(event.event_id, {})
                for position, source in enumerate(event.sources):
                    keyed[(source.document_id, source.start, source.end)] = (position, source)
            referenced = {i for ids in self._document_events.values() for i in ids}
            for event_id in set(previous):
                if event_id not in referenced and not self._sources.get(event_id):
                    self._events.pop(event_id, None)
                    self._sources.pop(event_id, None)
                    # As SQL's ON DELETE CASCADE: the membership goes, the cluster row stays
                    # until fusion runs again.
                    self._cluster_of.pop(event_id, None)

    def save_failure(self, failure: Failure) -> None:
        """Insert or replace a failure, keyed by (stage, record_id)."""
        with self._lock:
            self._check_open()
            self._failures[(failure.stage, failure.record_id)] = failure

    def has_document(self, document_id: str) -> bool:
        """Return True when a document with this id is stored."""
        with self._lock:
            self._check_open()
            return document_id in self._documents

    def get_document(self, document_id: str) -> Document | None:
        """Return a stored document with its segments, comments and events (no nlp_doc)."""
        with self._lock:
            self._check_open()
            document = self._documents.get(document_id)
            if document is None:
                return None
            events = tuple(self._event(i) for i in self._document_events.get(document_id, []))
            return replace(document, events=events)

    def events(self, query: EventQuery = DEFAULT_QUERY) -> list[Event]:
        """Return matching events, newest first (undated last), then by event_id."""
        with self._lock:
            self._check_open()
            found = sorted(self._matching(query), key=sort_key)
            return [
                e if query.fused else self._event(e.event_id)
                for e in page(found, limit=query.limit, offset=query.offset)
            ]

    def count_events(self, query: EventQuery = DEFAULT_QUERY) -> int:
        """Return how many events match, ignoring the query's limit, offset and after."""
        with self._lock:
            self._check_open()
            return len(self._matching(replace(query, after=None)))

    def aggregate_events(self, query: EventQuery = DEFAULT_QUERY, *, by: str) -> list[Bucket]:
        """Count the matching events and their known fatalities per group (``by``)."""
        grouping = group_by(by)
        with self._lock:
            self._check_open()
            return bucket_events(self._matching(replace(query, after=None)), by=grouping)

    def documents(self, *, limit: int | None = None, offset: int = 0) -> list[DocumentSummary]:
        """Return document summaries, newest publication first (undated last), then by id."""
        if (limit is not None and limit < 0) or offset < 0:
            raise ConfigError(f"limit and offset must be 0 or more, not {limit} and {offset}")
        with self._lock:
            self._check_open()
            summaries = sorted(
                (
                    DocumentSummary(
                        id=d.id,
                        origin=d.origin,
                        url=d.url,
                        published=d.published,
                        headline=d.headline,
                        language=d.language,
                        status=d.status,
                        status_reason=d.status_reason,
                        n_segments=len(d.segments),
                        n_comments=len(d.comments),
                        n_events=len(set(self._document_events.get(d.id, []))),
                    )
                    for d in self._documents.values()
                ),
                key=summary_sort_key,
            )
            return page(summaries, limit=limit, offset=offset)

    def failures(self) -> list[Failure]:
        """Return every stored failure, ordered by stage then record_id."""
        with self._lock:
            self._check_open()
            return [self._failures[k] for k in sorted(self._failures)]

    def comments(self, query: CommentQuery = ALL_COMMENTS) -> list[CommentRow]:
        """Return the matching comments of the moderation queue, worst first."""
        with self._lock:
            self._check_open()
            found = self._queue(query)
            return [row for row, _ in page(found, limit=query.limit, offset=query.offset)]

    def count_comments(self, query: CommentQuery = ALL_COMMENTS) -> int:
        """Return how many comments match, ignoring the query's limit and offset."""
        with self._lock:
            self._check_open()
            return len(self._queue(query))

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
        """Record (or replace) a moderator's decision on a stored comment and return it."""
        record = new_moderation(
            document_id,
            position,
            decision=decision,
            moderator=moderator,
            note=note,
            decided_at=decided_at,
        )
        with self._lock:
            self._check_open()
            document = self._documents.get(document_id)
            if document is None or all(c.position != position for c in document.comments):
                raise unknown_comment(document_id, position)
            self._moderation[(document_id, position)] = record
        return record

    def _queue(self, query: CommentQuery) -> list[tuple[CommentRow, _QueueKey]]:
        """Return the matching rows with their sort keys, in the queue's order."""
        found: list[tuple[CommentRow, _QueueKey]] = []
        for document in self._documents.values():
            for ordinal, c in enumerate(document.comments):
                moderation = self._moderation.get((document.id, c.position))
                row = CommentRow(
                    document_id=document.id,
                    position=c.position,
                    author=c.author,
                    text=c.text,
                    screening=c.screening,
                    moderation=moderation,
                    decision=effective_decision(c.screening, moderation),
                )
                if comment_matches(row, query):
                    found.append((row, comment_sort_key(row, ordinal)))
        found.sort(key=lambda pair: pair[1])
        return found

    def schema_version(self) -> int:
        """Return the schema version this store mimics (SQLiteStore's latest)."""
        return LATEST_VERSION

    def candidate_events(self, window: SearchWindow) -> list[Event]:
        """Return the per-document events in ``window`` (``fuse.in_window``), by event_id."""
        with self._lock:
            self._check_open()
            found = [e for e in self._events.values() if in_window(e, window)]
            return [self._event(e.event_id) for e in sorted(found, key=lambda e: e.event_id)]

    def events_by_id(self, event_ids: Collection[str]) -> list[Event]:
        """Return the stored per-document events with these ids (unknown ids skipped), by id."""
        with self._lock:
            self._check_open()
            return [self._event(i) for i in sorted(set(event_ids)) if i in self._events]

    def clusters(
        self, *, event_ids: Collection[str] = (), document_ids: Collection[str] = ()
    ) -> list[Cluster]:
        """Return the clusters with a member in ``event_ids`` or a source citing a document."""
        with self._lock:
            self._check_open()
            members = self._members()
            wanted_events, wanted_docs = set(event_ids), set(document_ids)
            every = not wanted_events and not wanted_docs
            found = [
                cid
                for cid, row in self._fused.items()
                if every
                or not wanted_events.isdisjoint(members.get(cid, ()))
                or any(s.document_id in wanted_docs for s in row.sources)
            ]
            return [Cluster(cid, tuple(sorted(members.get(cid, ())))) for cid in sorted(found)]

    def replace_clusters(
        self,
        fused: Sequence[FusedEvent],
        *,
        events: Collection[str],
        clusters: Collection[str] = (),
    ) -> None:
        """Atomically re-cluster ``events``: drop their clusters and the named, store ``fused``.

        Raises:
            StoreError: a member is not a stored event, or belongs to a cluster kept.
        """
        with self._lock:
            self._check_open()
            stored = [f for f in fused if len(f.members) > 1]
            changing = set(events)
            dropped = set(clusters) | {
                self._cluster_of[i] for i in changing if i in self._cluster_of
            }
            dropped |= {f.cluster_id for f in stored}
            for f in stored:
                for member in f.members:
                    if member not in self._events:
                        raise StoreError(f"cluster {f.cluster_id} names unknown event {member!r}")
                    owner = self._cluster_of.get(member)
                    if owner is not None and owner not in dropped:
                        raise StoreError(f"event {member!r} is in cluster {owner}, which is kept")
            for cid in dropped:
                self._fused.pop(cid, None)
            self._cluster_of = {i: c for i, c in self._cluster_of.items() if c not in dropped}
            for f in stored:
                self._fused[f.cluster_id] = f.event
                for member in f.members:
                    self._cluster_of[member] = f.cluster_id

    def clear_clusters(self) -> None:
        """Delete every cluster (the per-document events stay)."""
        with self._lock:
            self._check_open()
            self._fused.clear()
            self._cluster_of.clear()

    def _members(self) -> dict[str, list[str]]:
        members: dict[str, list[str]] = {}
        for event_id, cid in self._cluster_of.items():
            members.setdefault(cid, []).append(event_id)
        return members

    def _matching(self, query: EventQuery) -> list[Event]:
        if query.fused:
            rows = [
                *self._fused.values(),
                *(self._event(i) for i in self._events if i not in self._cluster_of),
            ]
            return [
                e for e in rows if matches(e, query, document_ids=frozenset(self._reporters_of(e)))
            ]
        reporters: dict[str, set[str]] = {}
        for document_id, ids in self._document_events.items():
            for event_id in ids:
                reporters.setdefault(event_id, set()).add(document_id)
        for event_id, keyed in self._sources.items():
            reporters.setdefault(event_id, set()).update(k[0] for k in keyed)
        # Stored rows carry no sources; a text search reads their sentences.
        stored: Iterable[Event] = (
            (self._event(i) for i in self._events) if query.needle() else self._events.values()
        )
        return [
            e
            for e in stored
            if matches(e, query, document_ids=frozenset(reporters.get(e.event_id, ())))
        ]

    def _reporters_of(self, event: Event) -> set[str]:
        """The documents that reported a fused-view row (its sources; a raw event's savers)."""
        found = {s.document_id for s in event.sources}
        if event.event_id in self._events:
            found |= {d for d, ids in self._document_events.items() if event.event_id in ids}
            found |= {k[0] for k in self._sources.get(event.event_id, {})}
        return found

    def _event(self, event_id: str) -> Event:
        """Return a stored event with its sources, in SQLiteStore's source order."""
        keyed = self._sources.get(event_id, {})
        ordered = sorted(keyed.items(), key=lambda kv: (kv[1][0], kv[0]))
        return replace(self._events[event_id], sources=tuple(s for _, (_, s) in ordered))

    def delete_document(self, document_id: str) -> DeletionReport:
        """Delete a document and everything derived from it; all of it, or nothing.

        Raises:
            UnknownDocumentError: no document and no failure is stored under the id.
        """
        with self._lock:
            self._check_open()
            # A snapshot stands in for a transaction's rollback: the fake is small.
            saved = self._snapshot()
            try:
                return self._delete_document(document_id)
            except BaseException:
                self._restore(saved)
                raise

    def _delete_document(self, document_id: str) -> DeletionReport:
        """The steps of docs/decisions/0015-data-rights.md, in SQLiteStore's order."""
        d = document_id
        document = self._documents.get(d)
        failures = [k for k in self._failures if k[1] == d]
        if document is None and not failures:
            raise unknown_document(d)
        own = set(self._document_events.get(d, ())) | {
            i for i, keyed in self._sources.items() if any(k[0] == d for k in keyed)
        }
        affected = {c.cluster_id: c for c in self.clusters(document_ids=[d], event_ids=own)}
        members = {m for c in affected.values() for m in c.members}
        before = component(self.candidate_events, self.events_by_id(own | members))
        dropped = set(affected) | {self._cluster_of[i] for i in before if i in self._cluster_of}
        sources = 0
        for keyed in self._sources.values():
            cited = [k for k in keyed if k[0] == d]
            sources += len(cited)
            for key in cited:
                del keyed[key]
        moderation = [k for k in self._moderation if k[0] == d]
        for decided in moderation:
            del self._moderation[decided]
        for failed in failures:
            del self._failures[failed]
        self._documents.pop(d, None)
        self._document_events.pop(d, None)
        referenced = {i for ids in self._document_events.values() for i in ids}
        deleted = [i for i in sorted(own) if i not in referenced and not self._sources.get(i)]
        for event_id in deleted:
            self._events.pop(event_id, None)
            self._sources.pop(event_id, None)
            self._cluster_of.pop(event_id, None)
        after = component(self.candidate_events, self.events_by_id(before.keys()))
        dropped |= {self._cluster_of[i] for i in after if i in self._cluster_of}
        fused = [f for f in fuse_events(list(after.values())) if len(f.members) > 1]
        self.replace_clusters(fused, events=before.keys() | after.keys(), clusters=dropped)
        return DeletionReport(
            document_id=d,
            documents=int(document is not None),
            segments=len(document.segments) if document is not None else 0,
            comments=len(document.comments) if document is not None else 0,
            moderation=len(moderation),
            failures=len(failures),
            sources=sources,
            events=len(deleted),
            events_kept=len(own) - len(deleted),
            clusters_removed=len(dropped - {f.cluster_id for f in fused}),
            clusters_rebuilt=len(fused),
        )

    def _snapshot(self) -> _Tables:
        """Copy every table (deep enough that no later write reaches the copy)."""
        return (
            dict(self._documents),
            {k: list(v) for k, v in self._document_events.items()},
            dict(self._events),
            {k: dict(v) for k, v in self._sources.items()},
            dict(self._failures),
            dict(self._moderation),
            dict(self._fused),
            dict(self._cluster_of),
        )

    def _restore(self, saved: _Tables) -> None:
        """Put back the tables of a ``_snapshot``."""
        (
            self._documents,
            self._document_events,
            self._events,
            self._sources,
            self._failures,
            self._moderation,
            self._fused,
            self._cluster_of,
        ) = saved


# Every table of a MemoryStore, as ``_snapshot`` copies them.
_Tables = tuple[
    dict[str, Document],
    dict[str, list[str]],
    dict[str, Event],
    dict[str, dict[_SourceKey, tuple[int, Source]]],
    dict[tuple[str, str], Failure],
    dict[tuple[str, int], Moderation],
    dict[str, Event],
    dict[str, str],
]
