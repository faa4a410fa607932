"""The default store: one SQLite file (stdlib sqlite3), WAL mode, schema by migrations.

SQL here only ever binds values as parameters; the column names it assembles come from the
fixed tuples in sitrep.records (EVENT_FIELDS) and this module, never from input.
"""

from __future__ import annotations

import json
import re
import sqlite3
import threading
from collections.abc import Collection, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from types import TracebackType
from typing import Any, Self

from sitrep.adapters.store.base import (
    ALL_COMMENTS,
    DEFAULT_QUERY,
    Bucket,
    Cluster,
    CommentQuery,
    CommentRow,
    DocumentSummary,
    EventQuery,
    GroupBy,
    Moderation,
    effective_decision,
    fold,
    group_by,
    new_moderation,
    order_buckets,
    toxicity_of,
    unknown_comment,
)
from sitrep.adapters.store.deletion import DeletionReport, component, unknown_document
from sitrep.adapters.store.migrations import apply_migrations, current_version
from sitrep.errors import ConfigError, StoreError
from sitrep.fuse import FusedEvent, SearchWindow, fuse_events
from sitrep.records import (
    EVENT_FIELDS,
    Comment,
    Decision,
    Document,
    DocumentStatus,
    Event,
    Failure,
    GeoReason,
    Modality,
    Screening,
    Segment,
    SegmentKind,
    Source,
)

_IDENTIFIER = re.compile(r"[a-z_][a-z0-9_]*")
if not all(_IDENTIFIER.fullmatch(name) for name in EVENT_FIELDS):  # pragma: no cover
    raise StoreError("records.EVENT_FIELDS holds a name that is not a plain SQL identifier")

# The folded copies that equality filters compare (migration 5), and the field each folds:
# plain columns, so the composite indexes over them answer counts and aggregates alone
# (docs/decisions/0014-query-pushdown.md).
_FOLDS = (
    ("country_fold", "country"),
    ("iso_fold", "iso"),
    ("event_type_fold", "event_type"),
    ("sub_event_type_fold", "sub_event_type"),
    ("modality_fold", "modality"),
    ("admin1_fold", "admin1"),
)
_STORED = (*EVENT_FIELDS, *(column for column, _ in _FOLDS))
_EVENT_COLUMNS = ", ".join(EVENT_FIELDS)
_STORED_COLUMNS = ", ".join(_STORED)
_UPSERT_EVENT = (
    f"INSERT INTO events ({_STORED_COLUMNS}) VALUES ({', '.join('?' for _ in _STORED)}) "
    "ON CONFLICT (event_id) DO UPDATE SET "
    + ", ".join(f"{name} = excluded.{name}" for name in _STORED if name != "event_id")
)
_SELECT_EVENTS = f"SELECT {', '.join('e.' + name for name in EVENT_FIELDS)} FROM events e"
# Newest first, undated last, then by id: SQLite sorts NULL below every date, so DESC puts the
# undated last, and the order is the events_order index's (migration 5).
_ORDER_EVENTS = " ORDER BY e.event_date DESC, e.event_id"
# The fused view: every cluster's reconciled row, and every event in no cluster as it is.
_FUSED_VIEW = (
    f"SELECT {_STORED_COLUMNS} FROM fused_events UNION ALL SELECT {_STORED_COLUMNS} FROM events "
    "WHERE event_id NOT IN (SELECT event_id FROM event_clusters)"
)
_SELECT_FUSED = f"SELECT {', '.join('e.' + name for name in EVENT_FIELDS)} FROM ({_FUSED_VIEW}) e"
_SELECT_SOURCES = (
    'SELECT event_id, document_id, url, published, section, sentence, "start", "end", '
    "attribution, extractor FROM event_sources "
    "WHERE event_id IN (SELECT value FROM json_each(?)) "
    'ORDER BY event_id, position, document_id, "start", "end"'
)
_SELECT_FUSED_SOURCES = _SELECT_SOURCES.replace("FROM event_sources", "FROM fused_sources")
_INSERT_FUSED = (
    f"INSERT INTO fused_events ({_STORED_COLUMNS}) VALUES ({', '.join('?' for _ in _STORED)})"
)
_INSERT_FUSED_SOURCE = (
    'INSERT INTO fused_sources (event_id, document_id, "start", "end", position, url, '
    "published, section, sentence, attribution, extractor) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
    'ON CONFLICT (event_id, document_id, "start", "end") DO NOTHING'
)
_COMMENT_COLUMNS = (
    'c.document_id, c.ordinal, c.position, c.text, c."start", c."end", c.author, c.reply_to, '
    "c.timestamp, c.decision, c.scores, c.spans, c.model"
)
_SELECT_QUEUE = (
    f"SELECT {_COMMENT_COLUMNS}, m.decision AS m_decision, m.moderator, m.note, m.decided_at "
    "FROM comments c LEFT JOIN moderation m "
    "ON m.document_id = c.document_id AND m.position = c.position"
)
# The order of Store.comments; base.comment_sort_key is the same order for MemoryStore.
_ORDER_QUEUE = (
    " ORDER BY CASE COALESCE(m.decision, c.decision) WHEN 'remove' THEN 0 WHEN 'review' THEN 1 "
    "WHEN 'ok' THEN 2 ELSE 3 END, c.toxicity IS NULL, c.toxicity DESC, c.document_id, c.ordinal"
)
_BUSY_TIMEOUT_MS = 5000
# "+k" for names: group in a temporary B-tree rather than walk an index in the name's order,
# which the planner picks for a whole-table aggregate and which reads every row; dates keep
# the covering indexes' date order.
_GROUP_BY = {
    GroupBy.DAY: "k",
    GroupBy.WEEK: "k",
    GroupBy.EVENT_TYPE: "+k",
    GroupBy.ADMIN1: "+k",
}
_GROUP_COLUMNS = {
    GroupBy.DAY: "e.event_date",
    GroupBy.WEEK: "e.event_date",
    GroupBy.EVENT_TYPE: "e.event_type",
    GroupBy.ADMIN1: "e.admin1",
}


class SQLiteStore:
    """A Store in one SQLite file (or ``":memory:"``).

    Args:
        path: the database file; created, with its schema, when missing. Its folder must exist.
    """

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        try:
            # Autocommit mode: transactions are explicit (BEGIN IMMEDIATE ... COMMIT).
            conn = sqlite3.connect(
                self.path,
                timeout=_BUSY_TIMEOUT_MS / 1000,
                isolation_level=None,
                check_same_thread=False,
            )
        except sqlite3.Error as e:
            raise StoreError(
                f"cannot open the SQLite database {self.path!r}: {e}; "
                "check that its folder exists and is writable"
            ) from e
        self._conn = conn
        # API servers call the store from worker threads: one lock serialises the connection.
        self._lock = threading.RLock()
        try:
            conn.row_factory = sqlite3.Row
            conn.create_function("sitrep_fold", 1, fold, deterministic=True)
            conn.execute("PRAGMA foreign_keys = ON")
            conn.execute(f"PRAGMA busy_timeout = {_BUSY_TIMEOUT_MS}")
            if self.path != ":memory:":
                conn.execute("PRAGMA journal_mode = WAL")
                # With WAL, NORMAL is crash-safe; only the last commit may be lost on power cut.
                conn.execute("PRAGMA synchronous = NORMAL")
            apply_migrations(conn)
        except sqlite3.Error as e:
            conn.close()
            raise StoreError(f"cannot use the SQLite database {self.path!r}: {e}") from e
        except StoreError:
            conn.close()
            raise

    def __repr__(self) -> str:
        return f"SQLiteStore({self.path!r})"

    # -- context manager -------------------------------------------------------------------

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
        """Close the connection; closing twice is harmless."""
        with self._lock:
            self._conn.close()

    # -- plumbing --------------------------------------------------------------------------

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        """Run the block in one write transaction: all of it is committed, or none."""
        with self._lock:
            try:
                self._conn.execute("BEGIN IMMEDIATE")
                try:
                    yield self._conn
                except BaseException:
                    self._conn.execute("ROLLBACK")
                    raise
                self._conn.execute("COMMIT")
            except sqlite3.Error as e:
                raise StoreError(f"SQLite database {self.path!r}: {e}") from e

    @contextmanager
    def _snapshot(self) -> Iterator[None]:
        """Run the block's reads in one read transaction: one snapshot of the database."""
        with self._lock:
            try:
                self._conn.execute("BEGIN")
            except sqlite3.Error as e:
                raise StoreError(f"SQLite database {self.path!r}: {e}") from e
            try:
                yield
            finally:
                # A read transaction has nothing to keep: ending it can only release locks.
                self._conn.execute("ROLLBACK")

    def _read(self, sql: str, params: Sequence[Any] = ()) -> list[sqlite3.Row]:
        with self._lock:
            try:
                return self._conn.execute(sql, params).fetchall()
            except sqlite3.Error as e:
                raise StoreError(f"SQLite database {self.path!r}: {e}") from e

    # -- writes ----------------------------------------------------------------------------

    def save_document(self, document: Document) -> None:
        """Insert or replace a document with its segments, comments and events, atomically.

        Only the source rows that cite this document are replaced: another document's report
        of the same event stays. An event that no document and no source refers to any more
        is deleted.
        """
        d = document
        with self._transaction() as c:
            c.execute(
                "INSERT INTO documents (id, origin, text, url, published, published_source, "
                "headline, language, language_score, status, status_reason) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (id) DO UPDATE SET origin = excluded.origin, text = excluded.text, "
                "url = excluded.url, published = excluded.published, "
                "published_source = excluded.published_source, headline = excluded.headline, "
                "language = excluded.language, language_score = excluded.language_score, "
                "status = excluded.status, status_reason = excluded.status_reason",
                (
                    d.id,
                    d.origin,
                    d.text,
                    d.url,
                    _iso(d.published),
                    d.published_source,
                    d.headline,
                    d.language,
                    d.language_score,
                    d.status.value,
                    d.status_reason,
                ),
            )
            c.execute("DELETE FROM segments WHERE document_id = ?", (d.id,))
            c.executemany(
                'INSERT INTO segments (document_id, position, kind, "start", "end", text) '
                "VALUES (?, ?, ?, ?, ?, ?)",
                [(d.id, i, s.kind.value, s.start, s.end, s.text) for i, s in enumerate(d.segments)],
            )
            c.execute("DELETE FROM comments WHERE document_id = ?", (d.id,))
            # Only the comments and their machine screening are replaced: the moderation
            # table, keyed by (document_id, position), is never written here.
            c.executemany(
                'INSERT INTO comments (document_id, ordinal, position, text, "start", "end", '
                "author, reply_to, timestamp, decision, scores, spans, model, toxicity) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [_comment_row(d.id, i, m) for i, m in enumerate(d.comments)],
            )
            previous = [
                row[0]
                for row in c.execute(
                    "SELECT event_id FROM document_events WHERE document_id = ?", (d.id,)
                )
            ]
            c.execute("DELETE FROM document_events WHERE document_id = ?", (d.id,))
            c.execute("DELETE FROM event_sources WHERE document_id = ?", (d.id,))
            for position, event in enumerate(d.events):
                c.execute(_UPSERT_EVENT, _event_row(event))
                c.execute(
                    "INSERT INTO document_events (document_id, position, event_id) "
                    "VALUES (?, ?, ?)",
                    (d.id, position, event.event_id),
                )
                c.executemany(
                    'INSERT INTO event_sources (event_id, document_id, "start", "end", '
                    "position, url, published, section, sentence, attribution, extractor) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                    'ON CONFLICT (event_id, document_id, "start", "end") DO UPDATE SET '
                    "position = excluded.position, url = excluded.url, "
                    "published = excluded.published, section = excluded.section, "
                    "sentence = excluded.sentence, attribution = excluded.attribution, "
                    "extractor = excluded.extractor",
                    [_source_row(event.event_id, i, s) for i, s in enumerate(event.sources)],
                )
            c.executemany(
                "DELETE FROM events WHERE event_id = ? "
                "AND NOT EXISTS (SELECT 1 FROM event_sources s WHERE s.event_id = events.event_id) "
                "AND NOT EXISTS "
                "(SELECT 1 FROM document_events x WHERE x.event_id = events.event_id)",
                [(event_id,) for event_id in sorted(set(previous))],
            )

    def save_failure(self, failure: Failure) -> None:
        """Insert or replace a failure, keyed by (stage, record_id)."""
        f = failure
        with self._transaction() as c:
            c.execute(
                "INSERT INTO failures (stage, record_id, origin, error, message) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT (stage, record_id) DO UPDATE SET "
                "origin = excluded.origin, error = excluded.error, message = excluded.message",
                (f.stage, f.record_id, f.origin, f.error, f.message),
            )

    # -- reads -----------------------------------------------------------------------------

    def has_document(self, document_id: str) -> bool:
        """Return True when a document with this id is stored."""
        return bool(self._read("SELECT 1 FROM documents WHERE id = ?", (document_id,)))

    def get_document(self, document_id: str) -> Document | None:
        """Return a stored document with its segments, comments and events (no nlp_doc)."""
        with self._lock:
            rows = self._read("SELECT * FROM documents WHERE id = ?", (document_id,))
            if not rows:
                return None
            r = rows[0]
            segments = tuple(
                Segment(kind=SegmentKind(s["kind"]), start=s["start"], end=s["end"], text=s["text"])
                for s in self._read(
                    'SELECT kind, "start", "end", text FROM segments WHERE document_id = ? '
                    "ORDER BY position",
                    (document_id,),
                )
            )
            comments = tuple(
                _comment(m)
                for m in self._read(
                    f"SELECT {_COMMENT_COLUMNS} FROM comments c WHERE c.document_id = ? "
                    "ORDER BY c.ordinal",
                    (document_id,),
                )
            )
            event_rows = self._read(
                f"{_SELECT_EVENTS} JOIN document_events x ON x.event_id = e.event_id "
                "WHERE x.document_id = ? ORDER BY x.position",
                (document_id,),
            )
            events = self._with_sources(event_rows)
        return Document(
            id=r["id"],
            origin=r["origin"],
            text=r["text"],
            url=r["url"],
            published=_date(r["published"]),
            published_source=r["published_source"],
            headline=r["headline"],
            segments=segments,
            comments=comments,
            language=r["language"],
            language_score=r["language_score"],
            status=DocumentStatus(r["status"]),
            status_reason=r["status_reason"],
            events=events,
        )

    def events(self, query: EventQuery = DEFAULT_QUERY) -> list[Event]:
        """Return matching events, newest first (undated last), then by event_id.

        Two steps: the page's ids from the indexes alone (only their keys are sorted), then
        those rows with their sources, all in one read transaction.
        """
        table = f"({_FUSED_VIEW})" if query.fused else "events"
        branches = _branches(query)
        keys = " UNION ALL ".join(
            f"SELECT e.event_id, e.event_date FROM {table} e{where}" for where, _ in branches
        )
        # LIMIT -1 is SQLite's "no limit".
        limit = -1 if query.limit is None else query.limit
        params = [p for _, branch in branches for p in branch]
        select = _SELECT_FUSED if query.fused else _SELECT_EVENTS
        with self._snapshot():
            ids = [
                r[0]
                for r in self._read(
                    f"SELECT event_id FROM ({keys}) e{_ORDER_EVENTS} LIMIT ? OFFSET ?",
                    [*params, limit, query.offset],
                )
            ]
            if not ids:
                return []
            rows = self._read(
                f"{select} WHERE e.event_id IN (SELECT value FROM json_each(?))",
                (json.dumps(ids),),
            )
            found = {r["event_id"]: r for r in rows}
            return list(self._with_sources([found[i] for i in ids], fused=query.fused))

    def count_events(self, query: EventQuery = DEFAULT_QUERY) -> int:
        """Return how many events match, ignoring the query's limit, offset and after."""
        table = f"({_FUSED_VIEW})" if query.fused else "events"
        branches = _branches(replace(query, after=None))
        union = " UNION ALL ".join(f"SELECT 1 FROM {table} e{where}" for where, _ in branches)
        params = [p for _, branch in branches for p in branch]
        return int(self._read(f"SELECT count(*) FROM ({union})", params)[0][0])

    def aggregate_events(self, query: EventQuery = DEFAULT_QUERY, *, by: str) -> list[Bucket]:
        """Count the matching events and their known fatalities per group, in SQL."""
        grouping = group_by(by)
        table = f"({_FUSED_VIEW})" if query.fused else "events"
        branches = _branches(replace(query, after=None))
        # Weeks are grouped by day here and rolled up to Mondays by order_buckets.
        column = _GROUP_COLUMNS[grouping]
        union = " UNION ALL ".join(
            f"SELECT {column} AS k, e.fatalities AS f FROM {table} e{where}"
            for where, _ in branches
        )
        params = [p for _, branch in branches for p in branch]
        rows = self._read(
            "SELECT k, count(*) AS n, coalesce(sum(f), 0) AS deaths, "
            f"count(*) - count(f) AS unknown FROM ({union}) GROUP BY {_GROUP_BY[grouping]}",
            params,
        )
        return order_buckets(
            ((r["k"], r["n"], r["deaths"], r["unknown"]) for r in rows), by=grouping
        )

    def documents(self, *, limit: int | None = None, offset: int = 0) -> list[DocumentSummary]:
        """Return document summaries, newest publication first (undated last), then by id."""
        if (limit is not None and limit < 0) or offset < 0:
            raise ConfigError(f"limit and offset must be 0 or more, not {limit} and {offset}")
        rows = self._read(
            "SELECT d.id, d.origin, d.url, d.published, d.headline, d.language, d.status, "
            "d.status_reason, "
            "(SELECT count(*) FROM segments s WHERE s.document_id = d.id) AS n_segments, "
            "(SELECT count(*) FROM comments m WHERE m.document_id = d.id) AS n_comments, "
            "(SELECT count(DISTINCT x.event_id) FROM document_events x "
            "WHERE x.document_id = d.id) AS n_events "
            "FROM documents d ORDER BY d.published IS NULL, d.published DESC, d.id "
            "LIMIT ? OFFSET ?",
            (-1 if limit is None else limit, offset),
        )
        return [
            DocumentSummary(
                id=r["id"],
                origin=r["origin"],
                url=r["url"],
                published=_date(r["published"]),
                headline=r["headline"],
                language=r["language"],
                status=DocumentStatus(r["status"]),
                status_reason=r["status_reason"],
                n_segments=r["n_segments"],
                n_comments=r["n_comments"],
                n_events=r["n_events"],
            )
            for r in rows
        ]

    def failures(self) -> list[Failure]:
        """Return every stored failure, ordered by stage then record_id."""
        return [
            Failure(
                stage=r["stage"],
                record_id=r["record_id"],
                origin=r["origin"],
                error=r["error"],
                message=r["message"],
            )
            for r in self._read(
                "SELECT stage, record_id, origin, error, message FROM failures "
                "ORDER BY stage, record_id"
            )
        ]

    def comments(self, query: CommentQuery = ALL_COMMENTS) -> list[CommentRow]:
        """Return the matching comments of the moderation queue, worst first."""
        where, params = _comment_where(query)
        limit = -1 if query.limit is None else query.limit
        rows = self._read(
            f"{_SELECT_QUEUE}{where}{_ORDER_QUEUE} LIMIT ? OFFSET ?",
            [*params, limit, query.offset],
        )
        return [_comment_row_of(r) for r in rows]

    def count_comments(self, query: CommentQuery = ALL_COMMENTS) -> int:
        """Return how many comments match, ignoring the query's limit and offset."""
        where, params = _comment_where(query)
        sql = (
            "SELECT count(*) FROM comments c LEFT JOIN moderation m "
            f"ON m.document_id = c.document_id AND m.position = c.position{where}"
        )
        return int(self._read(sql, params)[0][0])

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
        with self._transaction() as c:
            found = c.execute(
                "SELECT 1 FROM comments WHERE document_id = ? AND position = ? LIMIT 1",
                (document_id, position),
            ).fetchone()
            if found is None:
                raise unknown_comment(document_id, position)
            c.execute(
                "INSERT INTO moderation (document_id, position, decision, moderator, note, "
                "decided_at) VALUES (?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (document_id, position) DO UPDATE SET "
                "decision = excluded.decision, moderator = excluded.moderator, "
                "note = excluded.note, decided_at = excluded.decided_at",
                (
                    document_id,
                    position,
                    record.decision.value,
                    moderator,
                    note,
                    record.decided_at.isoformat(),
                ),
            )
        return record

    def schema_version(self) -> int:
        """Return the number of the last schema migration applied."""
        with self._lock:
            return current_version(self._conn)

    def _with_sources(
        self, rows: Sequence[sqlite3.Row], *, fused: bool = False
    ) -> tuple[Event, ...]:
        """Turn event rows into Events carrying their sources (one query per source table).

        Args:
            fused: the rows come from the fused view: cluster rows take fused_sources.
        """
        events = [_event(r) for r in rows]
        if not events:
            return ()
        ids = json.dumps(sorted({e.event_id for e in events}))
        sources: dict[str, list[Source]] = {}
        for s in self._read(_SELECT_SOURCES, (ids,)):
            sources.setdefault(s["event_id"], []).append(_source(s))
        if fused:
            # A cluster id is never an event id (a hash of a different payload).
            for s in self._read(_SELECT_FUSED_SOURCES, (ids,)):
                sources.setdefault(s["event_id"], []).append(_source(s))
        return tuple(replace(e, sources=tuple(sources.get(e.event_id, ()))) for e in events)

    # -- fusion ----------------------------------------------------------------------------

    def candidate_events(self, window: SearchWindow) -> list[Event]:
        """Return the per-document events in ``window`` (``fuse.in_window``), by event_id."""
        sql = (
            f"{_SELECT_EVENTS} WHERE e.event_type = ? AND e.iso = ? "
            "AND e.event_date >= ? AND e.event_date <= ?"
        )
        params: list[Any] = [
            window.event_type,
            window.iso,
            window.since.isoformat(),
            window.until.isoformat(),
        ]
        if window.bbox is not None:
            sql += (
                " AND (e.latitude IS NULL OR e.longitude IS NULL OR e.geo_precision IS NULL "
                "OR e.geo_precision NOT IN (1, 2) OR (e.longitude BETWEEN ? AND ? "
                "AND e.latitude BETWEEN ? AND ?))"
            )
            min_lon, min_lat, max_lon, max_lat = window.bbox
            params += [min_lon, max_lon, min_lat, max_lat]
        with self._lock:
            return list(self._with_sources(self._read(sql + " ORDER BY e.event_id", params)))

    def events_by_id(self, event_ids: Collection[str]) -> list[Event]:
        """Return the stored per-document events with these ids (unknown ids skipped), by id."""
        sql = (
            f"{_SELECT_EVENTS} WHERE e.event_id IN (SELECT value FROM json_each(?)) "
            "ORDER BY e.event_id"
        )
        with self._lock:
            rows = self._read(sql, (json.dumps(sorted(set(event_ids))),))
            return list(self._with_sources(rows))

    def clusters(
        self, *, event_ids: Collection[str] = (), document_ids: Collection[str] = ()
    ) -> list[Cluster]:
        """Return the clusters with a member in ``event_ids`` or a source citing a document."""
        if event_ids or document_ids:
            found = (
                "SELECT cluster_id FROM event_clusters "
                "WHERE event_id IN (SELECT value FROM json_each(?)) "
                "UNION SELECT event_id FROM fused_sources "
                "WHERE document_id IN (SELECT value FROM json_each(?))"
            )
            params: tuple[Any, ...] = (
                json.dumps(sorted(set(event_ids))),
                json.dumps(sorted(set(document_ids))),
            )
        else:
            found, params = "SELECT event_id FROM fused_events", ()
        rows = self._read(
            f"SELECT f.event_id AS cluster_id, m.event_id AS member FROM fused_events f "
            f"LEFT JOIN event_clusters m ON m.cluster_id = f.event_id "
            f"WHERE f.event_id IN ({found}) ORDER BY f.event_id, m.event_id",
            params,
        )
        members: dict[str, list[str]] = {}
        for r in rows:
            listed = members.setdefault(r["cluster_id"], [])
            if r["member"] is not None:
                listed.append(r["member"])
        return [Cluster(cid, tuple(ids)) for cid, ids in members.items()]

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
        stored = [f for f in fused if len(f.members) > 1]
        with self._transaction() as c:
            dropped = set(clusters) | {f.cluster_id for f in stored}
            dropped |= {
                row[0]
                for row in c.execute(
                    "SELECT cluster_id FROM event_clusters "
                    "WHERE event_id IN (SELECT value FROM json_each(?))",
                    (json.dumps(sorted(set(events))),),
                )
            }
            self._write_clusters(c, stored, dropped=dropped)

    def clear_clusters(self) -> None:
        """Delete every cluster (the per-document events stay)."""
        with self._transaction() as c:
            c.execute("DELETE FROM fused_events")

    def delete_document(self, document_id: str) -> DeletionReport:
        """Delete a document and everything derived from it, in one transaction.

        The steps are docs/decisions/0015-data-rights.md's; the fusion reads run inside the
        transaction (same connection), so no other writer sees the store half-way.

        Raises:
            UnknownDocumentError: no document and no failure is stored under the id.
        """
        d = document_id
        with self._transaction() as c:
            found = c.execute("SELECT 1 FROM documents WHERE id = ?", (d,)).fetchone()
            failed = c.execute("SELECT 1 FROM failures WHERE record_id = ?", (d,)).fetchone()
            if found is None and failed is None:
                raise unknown_document(d)
            own = {
                str(row[0])
                for row in c.execute(
                    "SELECT event_id FROM document_events WHERE document_id = ? "
                    "UNION SELECT event_id FROM event_sources WHERE document_id = ?",
                    (d, d),
                )
            }
            affected = self.clusters(document_ids=[d], event_ids=own)
            members = {m for cluster in affected for m in cluster.members}
            before = component(self.candidate_events, self.events_by_id(own | members))
            dropped = {cluster.cluster_id for cluster in affected}
            dropped |= self._clusters_of(c, before.keys())
            # Children first, so each count is of rows deleted here, not by a cascade.
            counts = {
                table: c.execute(f"DELETE FROM {table} WHERE {column} = ?", (d,)).rowcount
                for table, column in (
                    ("segments", "document_id"),
                    ("comments", "document_id"),
                    ("moderation", "document_id"),
                    ("failures", "record_id"),
                    ("event_sources", "document_id"),
                    ("document_events", "document_id"),
                    ("documents", "id"),
                )
            }
            deleted = c.execute(
                "DELETE FROM events WHERE event_id IN (SELECT value FROM json_each(?)) "
                "AND NOT EXISTS (SELECT 1 FROM event_sources s WHERE s.event_id = events.event_id) "
                "AND NOT EXISTS "
                "(SELECT 1 FROM document_events x WHERE x.event_id = events.event_id)",
                (json.dumps(sorted(own)),),
            ).rowcount
            after = component(self.candidate_events, self.events_by_id(before.keys()))
            dropped |= self._clusters_of(c, after.keys())
            fused = [f for f in fuse_events(list(after.values())) if len(f.members) > 1]
            self._write_clusters(c, fused, dropped=dropped)
        return DeletionReport(
            document_id=d,
            documents=counts["documents"],
            segments=counts["segments"],
            comments=counts["comments"],
            moderation=counts["moderation"],
            failures=counts["failures"],
            sources=counts["event_sources"],
            events=deleted,
            events_kept=len(own) - deleted,
            clusters_removed=len(dropped - {f.cluster_id for f in fused}),
            clusters_rebuilt=len(fused),
        )

    def _clusters_of(self, c: sqlite3.Connection, event_ids: Collection[str]) -> set[str]:
        """Return the clusters with a member in ``event_ids`` (inside a transaction)."""
        return {
            str(row[0])
            for row in c.execute(
                "SELECT DISTINCT cluster_id FROM event_clusters "
                "WHERE event_id IN (SELECT value FROM json_each(?))",
                (json.dumps(sorted(event_ids)),),
            )
        }

    def _write_clusters(
        self, c: sqlite3.Connection, stored: Sequence[FusedEvent], *, dropped: Collection[str]
    ) -> None:
        """Drop the clusters ``dropped`` and store ``stored``, inside the caller's transaction.

        ``replace_clusters`` without its own transaction (SQLite's do not nest).

        Raises:
            StoreError: a member is not a stored event, or belongs to a cluster kept.
        """
        # ON DELETE CASCADE takes the sources and memberships with them.
        c.execute(
            "DELETE FROM fused_events WHERE event_id IN (SELECT value FROM json_each(?))",
            (json.dumps(sorted(dropped)),),
        )
        for f in stored:
            c.execute(_INSERT_FUSED, _event_row(f.event))
            c.executemany(
                _INSERT_FUSED_SOURCE,
                [_source_row(f.cluster_id, i, s) for i, s in enumerate(f.event.sources)],
            )
            for member in f.members:
                try:
                    c.execute(
                        "INSERT INTO event_clusters (event_id, cluster_id) VALUES (?, ?)",
                        (member, f.cluster_id),
                    )
                except sqlite3.IntegrityError as e:
                    raise StoreError(
                        f"cannot put event {member!r} in cluster {f.cluster_id}: {e} "
                        "(unknown event, or it belongs to a cluster that is kept)"
                    ) from e


def _branches(query: EventQuery) -> list[tuple[str, list[Any]]]:
    """Return WHERE clauses (with parameters) whose disjoint union is the query's answer.

    A country matches a name or an ISO code. One OR over two columns makes SQLite read every
    candidate row; two branches, one per column (the second without the first's rows), are
    each answered by their own composite index: docs/decisions/0014-query-pushdown.md.
    """
    if query.country is None:
        return [_where(query)]
    where, params = _where(replace(query, country=None))
    joiner = " AND " if where else " WHERE "
    wanted = fold(query.country)
    return [
        (f"{where}{joiner}e.country_fold = ?", [*params, wanted]),
        (f"{where}{joiner}e.iso_fold = ? AND e.country_fold IS NOT ?", [*params, wanted, wanted]),
    ]


def _where(query: EventQuery) -> tuple[str, list[Any]]:
    """Translate a query into a WHERE clause and its parameters (semantics: base.matches)."""
    clauses: list[str] = []
    params: list[Any] = []
    if query.since is not None:
        clauses.append("e.event_date >= ?")
        params.append(query.since.isoformat())
    if query.until is not None:
        clauses.append("e.event_date <= ?")
        params.append(query.until.isoformat())
    if query.country is not None:
        clauses.append("(e.country_fold = ? OR e.iso_fold = ?)")
        params += [fold(query.country)] * 2
    if query.event_type is not None:
        clauses.append("(e.event_type_fold = ? OR e.sub_event_type_fold = ?)")
        params += [fold(query.event_type)] * 2
    if query.actor is not None:
        clauses.append(
            "(instr(sitrep_fold(e.actor1), ?) > 0 OR instr(sitrep_fold(e.actor2), ?) > 0 "
            "OR instr(sitrep_fold(e.assoc_actor_1), ?) > 0 "
            "OR instr(sitrep_fold(e.assoc_actor_2), ?) > 0)"
        )
        params += [fold(query.actor)] * 4
    if query.modality is not None:
        clauses.append("e.modality_fold = ?")
        params.append(fold(query.modality))
    if query.document_id is not None:
        clauses.append(
            "(EXISTS (SELECT 1 FROM event_sources s "
            "WHERE s.event_id = e.event_id AND s.document_id = ?) "
            "OR EXISTS (SELECT 1 FROM document_events x "
            "WHERE x.event_id = e.event_id AND x.document_id = ?)"
            + (
                " OR EXISTS (SELECT 1 FROM fused_sources f "
                "WHERE f.event_id = e.event_id AND f.document_id = ?))"
                if query.fused
                else ")"
            )
        )
        params += [query.document_id] * (3 if query.fused else 2)
    _where_more(query, clauses, params)
    where = (" WHERE " + " AND ".join(clauses)) if clauses else ""
    return where, params


def _where_more(query: EventQuery, clauses: list[str], params: list[Any]) -> None:
    """Add the desk's filters (semantics: base.matches_more) to ``clauses`` and ``params``."""
    if query.admin1 is not None:
        clauses.append("e.admin1_fold = ?")
        params.append(fold(query.admin1))
    for column, names in (
        ("event_type", query.event_types),
        ("sub_event_type", query.sub_event_types),
    ):
        if names:
            folded = sorted({n.casefold() for n in names})
            clauses.append(f"e.{column}_fold IN ({', '.join('?' for _ in folded)})")
            params += folded
    if query.min_confidence is not None:
        clauses.append("e.confidence >= ?")
        params.append(query.min_confidence)
    if query.bbox is not None:
        box = query.bbox
        clauses.append("e.latitude BETWEEN ? AND ?")
        params += [box.min_lat, box.max_lat]
        if box.min_lon <= box.max_lon:
            clauses.append("e.longitude BETWEEN ? AND ?")
        else:  # across the antimeridian
            clauses.append("(e.longitude >= ? OR e.longitude <= ?)")
        params += [box.min_lon, box.max_lon]
    needle = query.needle()
    if needle is not None:
        # A scan (no index serves a substring of folded text): docs/decisions/0014.
        sources = (
            "SELECT 1 FROM {} s WHERE s.event_id = e.event_id "
            "AND instr(sitrep_fold(s.sentence), ?) > 0"
        )
        clauses.append(
            "(instr(sitrep_fold(e.notes), ?) > 0 "
            f"OR EXISTS ({sources.format('event_sources')})"
            + (f" OR EXISTS ({sources.format('fused_sources')}))" if query.fused else ")")
        )
        params += [needle] * (3 if query.fused else 2)
    if query.after is not None:
        day, event_id = query.after
        if day is None:
            clauses.append("(e.event_date IS NULL AND e.event_id > ?)")
            params.append(event_id)
        else:
            clauses.append(
                "(e.event_date < ? OR (e.event_date = ? AND e.event_id > ?) "
                "OR e.event_date IS NULL)"
            )
            params += [day.isoformat(), day.isoformat(), event_id]


def _comment_where(query: CommentQuery) -> tuple[str, list[Any]]:
    """Translate a comment query into a WHERE clause (semantics: base.comment_matches)."""
    clauses: list[str] = []
    params: list[Any] = []
    if query.status is not None:
        clauses.append("COALESCE(m.decision, c.decision) = ?")
        params.append(str(query.status))
    if query.machine is not None:
        clauses.append("c.decision = ?")
        params.append(str(query.machine))
    if query.moderated is not None:
        clauses.append("m.decision IS NOT NULL" if query.moderated else "m.decision IS NULL")
    if query.screened is not None:
        clauses.append("c.decision IS NOT NULL" if query.screened else "c.decision IS NULL")
    if query.document_id is not None:
        clauses.append("c.document_id = ?")
        params.append(query.document_id)
    where = (" WHERE " + " AND ".join(clauses)) if clauses else ""
    return where, params


def _comment_row(document_id: str, ordinal: int, m: Comment) -> tuple[Any, ...]:
    """Return the comments-table row of a comment, screening columns NULL when unscreened."""
    s = m.screening
    screening: tuple[Any, ...] = (None, None, None, None, None)
    if s is not None:
        screening = (
            s.decision.value,
            json.dumps([list(pair) for pair in s.scores], ensure_ascii=False),
            json.dumps([list(span) for span in s.spans], ensure_ascii=False),
            s.model,
            toxicity_of(s),
        )
    return (
        document_id,
        ordinal,
        m.position,
        m.text,
        m.start,
        m.end,
        m.author,
        m.reply_to,
        m.timestamp,
        *screening,
    )


def _comment(row: sqlite3.Row) -> Comment:
    """Return the Comment, with its screening, of a comments-table row."""
    screening = None
    if row["decision"] is not None:
        screening = Screening(
            scores=tuple((str(label), float(v)) for label, v in json.loads(row["scores"])),
            spans=tuple(
                (str(label), int(start), int(end), str(text))
                for label, start, end, text in json.loads(row["spans"])
            ),
            decision=Decision(row["decision"]),
            model=row["model"],
        )
    return Comment(
        position=row["position"],
        text=row["text"],
        start=row["start"],
        end=row["end"],
        author=row["author"],
        reply_to=row["reply_to"],
        timestamp=row["timestamp"],
        screening=screening,
    )


def _comment_row_of(row: sqlite3.Row) -> CommentRow:
    """Return the queue row of a comments-join-moderation row."""
    comment = _comment(row)
    moderation = None
    if row["m_decision"] is not None:
        moderation = Moderation(
            document_id=row["document_id"],
            position=row["position"],
            decision=Decision(row["m_decision"]),
            moderator=row["moderator"],
            note=row["note"],
            decided_at=datetime.fromisoformat(row["decided_at"]),
        )
    return CommentRow(
        document_id=row["document_id"],
        position=comment.position,
        author=comment.author,
        text=comment.text,
        screening=comment.screening,
        moderation=moderation,
        decision=effective_decision(comment.screening, moderation),
    )


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value is not None else None


def _event_row(event: Event) -> tuple[Any, ...]:
    """Return the events-table row of ``event``: EVENT_FIELDS, then the _FOLDS."""
    values: list[Any] = []
    for name in EVENT_FIELDS:
        value = getattr(event, name)
        if isinstance(value, date):
            value = value.isoformat()
        elif isinstance(value, Modality | GeoReason):
            value = value.value
        elif isinstance(value, bool):
            value = int(value)
        values.append(value)
    for _, name in _FOLDS:
        value = getattr(event, name)
        values.append(fold(value.value if isinstance(value, Modality) else value))
    return tuple(values)


def _event(row: sqlite3.Row) -> Event:
    """Return the Event (without sources) of an events-table row."""
    fields: dict[str, Any] = {name: row[name] for name in EVENT_FIELDS}
    fields["event_date"] = _date(fields["event_date"])
    fields["date_resolved_from"] = _date(fields["date_resolved_from"])
    fields["modality"] = Modality(fields["modality"])
    reason = fields["geo_reason"]
    fields["geo_reason"] = GeoReason(reason) if reason is not None else None
    fields["year_from_reference"] = bool(fields["year_from_reference"])
    return Event(**fields)


def _source_row(event_id: str, position: int, s: Source) -> tuple[Any, ...]:
    return (
        event_id,
        s.document_id,
        s.start,
        s.end,
        position,
        s.url,
        _iso(s.published),
        s.section,
        s.sentence,
        json.dumps(list(s.attribution), ensure_ascii=False),
        s.extractor,
    )


def _source(row: sqlite3.Row) -> Source:
    return Source(
        document_id=row["document_id"],
        url=row["url"],
        published=_date(row["published"]),
        section=row["section"],
        sentence=row["sentence"],
        start=row["start"],
        end=row["end"],
        attribution=tuple(json.loads(row["attribution"])),
        extractor=row["extractor"],
    )
