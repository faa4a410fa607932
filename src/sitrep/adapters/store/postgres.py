"""A Store on PostgreSQL (psycopg 3): SQLiteStore's semantics, for many writers and readers.

SQL here only ever binds values as parameters; the column names it assembles come from the
fixed tuples in sitrep.records (EVENT_FIELDS) and this module, never from input.

Two things PostgreSQL does differently are handled in Python, so every answer equals
SQLiteStore's (docs/decisions/0010-postgres.md):

- Text may not hold NUL. Every text value is written through ``encode_text``, which spells
  U+0000..U+0002 as four-character runs of U+0001/U+0002 (a comma-free code): the mapping is
  reversible, keeps code-point order, and keeps substring matches exact.
- ``lower()`` is not ``str.casefold``. Case-insensitive filters compare ``*_fold`` columns
  the store fills with ``base.fold``.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Collection, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, datetime
from types import TracebackType
from typing import Any, LiteralString, Self

import psycopg
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict
from psycopg.rows import dict_row

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
from sitrep.adapters.store.postgres_migrations import apply_migrations, current_version
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

Row = dict[str, Any]

_IDENTIFIER = re.compile(r"[a-z_][a-z0-9_]*")
if not all(_IDENTIFIER.fullmatch(name) for name in EVENT_FIELDS):  # pragma: no cover
    raise StoreError("records.EVENT_FIELDS holds a name that is not a plain SQL identifier")

# The folded copies that case-insensitive filters compare, and the field each folds.
_FOLDS = (
    ("country_fold", "country"),
    ("iso_fold", "iso"),
    ("event_type_fold", "event_type"),
    ("sub_event_type_fold", "sub_event_type"),
    ("modality_fold", "modality"),
    ("actor1_fold", "actor1"),
    ("actor2_fold", "actor2"),
    ("assoc_actor_1_fold", "assoc_actor_1"),
    ("assoc_actor_2_fold", "assoc_actor_2"),
    ("admin1_fold", "admin1"),  # migration 5
    ("notes_fold", "notes"),  # migration 5
)
_EVENT_COLUMNS = (*EVENT_FIELDS, *(column for column, _ in _FOLDS))


def _names(columns: Iterable[str], prefix: str = "") -> sql.Composed:
    return sql.SQL(", ").join(sql.SQL(prefix) + sql.Identifier(c) for c in columns)


_SELECT_EVENTS = sql.SQL("SELECT {} FROM events e").format(_names(EVENT_FIELDS, "e."))
_ORDER_EVENTS = sql.SQL(" ORDER BY e.event_date DESC NULLS LAST, e.event_id")
# The fused view: every cluster's reconciled row, and every event in no cluster as it is.
_FUSED_VIEW = sql.SQL(
    "(SELECT {cols} FROM fused_events UNION ALL SELECT {cols} FROM events "
    "WHERE event_id NOT IN (SELECT event_id FROM event_clusters))"
).format(cols=_names(_EVENT_COLUMNS))
_SELECT_FUSED = sql.SQL("SELECT {} FROM {} e").format(_names(EVENT_FIELDS, "e."), _FUSED_VIEW)
_INSERT_FUSED = sql.SQL("INSERT INTO fused_events ({}) VALUES ({})").format(
    _names(_EVENT_COLUMNS), sql.SQL(", ").join(sql.Placeholder() for _ in _EVENT_COLUMNS)
)
# Rendered once (identifiers only, no values): composing 40 names per save costs a millisecond.
_COPY_STAGED_EVENTS = (
    sql.SQL("COPY sitrep_staged_events ({}) FROM STDIN").format(_names(_EVENT_COLUMNS)).as_bytes()
)
# The staged rows are deleted as they are read: the table is empty for the next save.
_UPSERT_STAGED_EVENTS = (
    sql.SQL(
        "WITH staged AS (DELETE FROM sitrep_staged_events RETURNING *) "
        "INSERT INTO events ({cols}) SELECT {cols} FROM staged "
        "ON CONFLICT (event_id) DO UPDATE SET {updates}"
    )
    .format(
        cols=_names(_EVENT_COLUMNS),
        updates=sql.SQL(", ").join(
            sql.SQL("{0} = excluded.{0}").format(sql.Identifier(c))
            for c in _EVENT_COLUMNS
            if c != "event_id"
        ),
    )
    .as_bytes()
)
_SOURCE_COLUMNS: LiteralString = (
    'event_id, document_id, "start", "end", position, url, published, section, sentence, '
    "attribution, extractor"
)
# Written with the sentence folded for text search (migration 5); read without it.
_SOURCE_WRITE_COLUMNS: LiteralString = _SOURCE_COLUMNS + ", sentence_fold"
_SELECT_SOURCES: LiteralString = (
    f"SELECT {_SOURCE_COLUMNS} FROM event_sources WHERE event_id = ANY(%s) "
    'ORDER BY event_id, position, document_id, "start", "end"'
)
_SELECT_FUSED_SOURCES: LiteralString = (
    f"SELECT {_SOURCE_COLUMNS} FROM fused_sources WHERE event_id = ANY(%s) "
    'ORDER BY event_id, position, document_id, "start", "end"'
)
_COMMENT_COLUMNS: LiteralString = (
    'c.document_id, c.ordinal, c.position, c.text, c."start", c."end", c.author, c.reply_to, '
    "c.timestamp, c.decision, c.scores, c.spans, c.model"
)
_SELECT_QUEUE: LiteralString = (
    f"SELECT {_COMMENT_COLUMNS}, m.decision AS m_decision, m.moderator, m.note, m.decided_at "
    "FROM comments c LEFT JOIN moderation m "
    "ON m.document_id = c.document_id AND m.position = c.position"
)
# The order of Store.comments; base.comment_sort_key is the same order for MemoryStore.
_ORDER_QUEUE: LiteralString = (
    " ORDER BY CASE COALESCE(m.decision, c.decision) WHEN 'remove' THEN 0 WHEN 'review' THEN 1 "
    "WHEN 'ok' THEN 2 ELSE 3 END, c.toxicity IS NULL, c.toxicity DESC, c.document_id, c.ordinal"
)
# Staging tables for the upserts (COPY cannot resolve conflicts): one per connection,
# emptied by the statement that reads them (a rollback empties them too). Not ON COMMIT DELETE
# ROWS: that truncates them at every commit, which cost more than the whole save.
_STAGING = (
    "CREATE TEMP TABLE IF NOT EXISTS sitrep_staged_events (LIKE events INCLUDING DEFAULTS)",
    "CREATE TEMP TABLE IF NOT EXISTS sitrep_staged_sources (LIKE event_sources INCLUDING DEFAULTS)",
)
_CONNECT_TIMEOUT_S = 10
_GROUP_COLUMNS: dict[GroupBy, LiteralString] = {
    GroupBy.DAY: "e.event_date",
    GroupBy.WEEK: "e.event_date",
    GroupBy.EVENT_TYPE: "e.event_type",
    GroupBy.ADMIN1: "e.admin1",
}
_BY_DATE = (GroupBy.DAY, GroupBy.WEEK)

# -- text codec: PostgreSQL text cannot hold NUL ---------------------------------------------

# U+0000..U+0002 become a^i b^(4-i) over a = U+0001, b = U+0002: all the same length, each
# starting with a and ending with b, so no code word appears across two others (comma-free):
# substring tests on encoded text give the same answers as on the original, and code-point
# order is kept because the code words sort as the characters they stand for, below U+0003.
_CODE = {"\x00": "\x01\x01\x01\x02", "\x01": "\x01\x01\x02\x02", "\x02": "\x01\x02\x02\x02"}
_DECODE = {word: char for char, word in _CODE.items()}
_SPECIAL = re.compile("[\x00-\x02]")
_WORD = re.compile("[\x01\x02]{4}")


def encode_text(text: str) -> str:
    """Return ``text`` with U+0000..U+0002 spelled so PostgreSQL can store it."""
    if _SPECIAL.search(text) is None:
        return text
    return _SPECIAL.sub(lambda m: _CODE[m.group()], text)


def decode_text(text: str) -> str:
    """Return the text ``encode_text`` was given."""
    if "\x01" not in text and "\x02" not in text:
        return text
    return _WORD.sub(lambda m: _DECODE[m.group()], text)


def _enc(value: Any) -> Any:
    return encode_text(value) if isinstance(value, str) else value


def _dec(row: Row) -> Row:
    return {k: decode_text(v) if isinstance(v, str) else v for k, v in row.items()}


def _like_pattern(needle: str) -> str:
    """Return a LIKE pattern matching ``needle`` anywhere, its wildcards taken literally."""
    escaped = needle.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def redact_url(url: str) -> str:
    """Return ``url`` with any password replaced by ``***``."""
    return re.sub(r"(://[^:/@?#]*:)[^@/?#]*@", r"\1***@", url)


class PostgresStore:
    """A Store in a PostgreSQL database (or one schema of it).

    Args:
        url: a libpq URL, ``postgresql://user:password@host:port/dbname``. Its tables go in
            the first schema of the search path (``?options=-csearch_path%3Dsitrep`` picks
            one); they are created, with the indexes, when missing.

    Raises:
        ConfigError: the server cannot be reached or refuses the login.
        StoreError: the schema cannot be created or is newer than this sitrep.
    """

    def __init__(self, url: str) -> None:
        self.url = url
        conninfo = _conninfo(url)
        params = conninfo_to_dict(conninfo)
        extra: dict[str, Any] = {}
        if "connect_timeout" not in params:
            extra["connect_timeout"] = _CONNECT_TIMEOUT_S
        try:
            conn = psycopg.connect(conninfo, autocommit=True, **extra)
        except psycopg.Error as e:
            raise ConfigError(_connect_error(params, e)) from None
        self._conn: psycopg.Connection[Any] = conn
        # API servers call the store from worker threads: one lock serialises the connection.
        self._lock = threading.RLock()
        self._staging = False  # the staging tables exist on this connection
        try:
            conn.execute("SET TIME ZONE 'UTC'")
            apply_migrations(conn)
        except psycopg.Error as e:
            conn.close()
            raise StoreError(f"cannot use the PostgreSQL database {redact_url(url)}: {e}") from e
        except StoreError:
            conn.close()
            raise

    def __repr__(self) -> str:
        return f"PostgresStore({redact_url(self.url)!r})"

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
    def _transaction(self, *, read_only: bool = False) -> Iterator[psycopg.Connection[Any]]:
        """Run the block in one transaction: all of it is committed, or none."""
        with self._lock:
            try:
                with self._conn.transaction():
                    if read_only:
                        # One snapshot for the block's statements (an event and its sources).
                        self._conn.execute(
                            "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY"
                        )
                    yield self._conn
            except psycopg.Error as e:
                raise StoreError(f"PostgreSQL database {redact_url(self.url)}: {e}") from e

    def _read(
        self, query: sql.Composed | sql.SQL | LiteralString, params: Sequence[Any] = ()
    ) -> list[Row]:
        with self._lock:
            try:
                with self._conn.cursor(row_factory=dict_row) as cur:
                    return [_dec(r) for r in cur.execute(query, params).fetchall()]
            except psycopg.Error as e:
                raise StoreError(f"PostgreSQL database {redact_url(self.url)}: {e}") from e

    # -- writes ----------------------------------------------------------------------------

    def save_document(self, document: Document) -> None:
        """Insert or replace a document with its segments, comments and events, atomically.

        Only the source rows that cite this document are replaced: another document's report
        of the same event stays. An event that no document and no source refers to any more
        is deleted. Segments, comments and the event rows go in by COPY.
        """
        d = document
        doc_id = encode_text(d.id)
        with self._transaction() as c:
            if not self._staging:
                for statement in _STAGING:
                    c.execute(statement)
            # The upsert locks the document's row: saves of one document queue here.
            c.execute(
                "INSERT INTO documents (id, origin, text, url, published, published_source, "
                "headline, language, language_score, status, status_reason) "
                "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s) "
                "ON CONFLICT (id) DO UPDATE SET origin = excluded.origin, text = excluded.text, "
                "url = excluded.url, published = excluded.published, "
                "published_source = excluded.published_source, headline = excluded.headline, "
                "language = excluded.language, language_score = excluded.language_score, "
                "status = excluded.status, status_reason = excluded.status_reason",
                [
                    _enc(v)
                    for v in (
                        d.id,
                        d.origin,
                        d.text,
                        d.url,
                        d.published,
                        d.published_source,
                        d.headline,
                        d.language,
                        d.language_score,
                        d.status.value,
                        d.status_reason,
                    )
                ],
            )
            # One round trip clears the document's parts and returns the events it reported.
            # Only the comments and their machine screening are replaced: the moderation
            # table, keyed by (document_id, position), is never written here.
            previous = [
                str(row[0])
                for row in c.execute(
                    "WITH seg AS (DELETE FROM segments WHERE document_id = %(d)s), "
                    "com AS (DELETE FROM comments WHERE document_id = %(d)s), "
                    "src AS (DELETE FROM event_sources WHERE document_id = %(d)s) "
                    "DELETE FROM document_events WHERE document_id = %(d)s RETURNING event_id",
                    {"d": doc_id},
                )
            ]
            events = {encode_text(e.event_id): e for e in d.events}  # the last save of an id wins
            # Saves of different documents may share events: lock their ids in one order
            # (no deadlock), so a save that drops an event cannot race one that reports it.
            c.execute(
                "SELECT count(pg_advisory_xact_lock(k)) FROM (SELECT DISTINCT "
                "hashtextextended('sitrep.event.' || i, 0) AS k FROM unnest(%s::text[]) i "
                "ORDER BY k) s",
                (sorted({*previous, *events}),),
            )
            _copy(
                c,
                'COPY segments (document_id, position, kind, "start", "end", text) FROM STDIN',
                ((d.id, i, s.kind.value, s.start, s.end, s.text) for i, s in enumerate(d.segments)),
            )
            _copy(
                c,
                'COPY comments (document_id, ordinal, position, text, "start", "end", author, '
                "reply_to, timestamp, decision, scores, spans, model, toxicity) FROM STDIN",
                (_comment_row(d.id, i, m) for i, m in enumerate(d.comments)),
            )
            if events:
                _copy(c, _COPY_STAGED_EVENTS, (_event_row(e) for e in events.values()))
                c.execute(_UPSERT_STAGED_EVENTS)
                _copy(
                    c,
                    "COPY document_events (document_id, position, event_id) FROM STDIN",
                    ((d.id, i, e.event_id) for i, e in enumerate(d.events)),
                )
                sources: dict[tuple[str, str, int, int], tuple[Any, ...]] = {}
                for event in d.events:
                    for i, s in enumerate(event.sources):
                        # As SQLite's upsert: a repeated (event, document, span) keeps the last.
                        sources[(event.event_id, s.document_id, s.start, s.end)] = _source_row(
                            event.event_id, i, s
                        )
                if sources:
                    _copy(
                        c,
                        f"COPY sitrep_staged_sources ({_SOURCE_WRITE_COLUMNS}) FROM STDIN",
                        sources.values(),
                    )
                    c.execute(
                        "WITH staged AS (DELETE FROM sitrep_staged_sources RETURNING *) "
                        f"INSERT INTO event_sources ({_SOURCE_WRITE_COLUMNS}) "
                        f"SELECT {_SOURCE_WRITE_COLUMNS} FROM staged "
                        'ON CONFLICT (event_id, document_id, "start", "end") DO UPDATE SET '
                        "position = excluded.position, url = excluded.url, "
                        "published = excluded.published, section = excluded.section, "
                        "sentence = excluded.sentence, attribution = excluded.attribution, "
                        "extractor = excluded.extractor, sentence_fold = excluded.sentence_fold"
                    )
            if previous:
                c.execute(
                    "DELETE FROM events e WHERE e.event_id = ANY(%s) "
                    "AND NOT EXISTS "
                    "(SELECT 1 FROM event_sources s WHERE s.event_id = e.event_id) "
                    "AND NOT EXISTS "
                    "(SELECT 1 FROM document_events x WHERE x.event_id = e.event_id)",
                    (sorted(set(previous)),),
                )
        self._staging = True  # committed with the save (a rollback would have undone them)

    def save_failure(self, failure: Failure) -> None:
        """Insert or replace a failure, keyed by (stage, record_id)."""
        f = failure
        with self._transaction() as c:
            c.execute(
                "INSERT INTO failures (stage, record_id, origin, error, message) "
                "VALUES (%s, %s, %s, %s, %s) ON CONFLICT (stage, record_id) DO UPDATE SET "
                "origin = excluded.origin, error = excluded.error, message = excluded.message",
                [_enc(v) for v in (f.stage, f.record_id, f.origin, f.error, f.message)],
            )

    # -- reads -----------------------------------------------------------------------------

    def has_document(self, document_id: str) -> bool:
        """Return True when a document with this id is stored."""
        return bool(
            self._read("SELECT 1 FROM documents WHERE id = %s", (encode_text(document_id),))
        )

    def get_document(self, document_id: str) -> Document | None:
        """Return a stored document with its segments, comments and events (no nlp_doc)."""
        key = (encode_text(document_id),)
        with self._transaction(read_only=True):
            rows = self._read("SELECT * FROM documents WHERE id = %s", key)
            if not rows:
                return None
            r = rows[0]
            segments = tuple(
                Segment(kind=SegmentKind(s["kind"]), start=s["start"], end=s["end"], text=s["text"])
                for s in self._read(
                    'SELECT kind, "start", "end", text FROM segments WHERE document_id = %s '
                    "ORDER BY position",
                    key,
                )
            )
            comments = tuple(
                _comment(m)
                for m in self._read(
                    f"SELECT {_COMMENT_COLUMNS} FROM comments c WHERE c.document_id = %s "
                    "ORDER BY c.ordinal",
                    key,
                )
            )
            event_rows = self._read(
                _SELECT_EVENTS
                + sql.SQL(
                    " JOIN document_events x ON x.event_id = e.event_id "
                    "WHERE x.document_id = %s ORDER BY x.position"
                ),
                key,
            )
            events = self._with_sources(event_rows)
        return Document(
            id=r["id"],
            origin=r["origin"],
            text=r["text"],
            url=r["url"],
            published=r["published"],
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
        """Return matching events, newest first (undated last), then by event_id."""
        where, params = _where(query)
        select = _SELECT_FUSED if query.fused else _SELECT_EVENTS
        statement = select + where + _ORDER_EVENTS + sql.SQL(" LIMIT %s OFFSET %s")
        with self._transaction(read_only=True):
            rows = self._read(statement, [*params, query.limit, query.offset])
            return list(self._with_sources(rows, fused=query.fused))

    def count_events(self, query: EventQuery = DEFAULT_QUERY) -> int:
        """Return how many events match, ignoring the query's limit, offset and after."""
        where, params = _where(replace(query, after=None))
        table = _FUSED_VIEW if query.fused else sql.SQL("events")
        rows = self._read(sql.SQL("SELECT count(*) AS n FROM {} e").format(table) + where, params)
        return int(rows[0]["n"])

    def aggregate_events(self, query: EventQuery = DEFAULT_QUERY, *, by: str) -> list[Bucket]:
        """Count the matching events and their known fatalities per group, in SQL."""
        grouping = group_by(by)
        where, params = _where(replace(query, after=None))
        table = _FUSED_VIEW if query.fused else sql.SQL("events")
        # Weeks are grouped by day here and rolled up to Mondays by order_buckets.
        column = sql.SQL(_GROUP_COLUMNS[grouping])
        statement = (
            sql.SQL(
                "SELECT {col} AS k, count(*) AS n, coalesce(sum(e.fatalities), 0) AS deaths, "
                "count(*) - count(e.fatalities) AS unknown FROM {table} e"
            ).format(col=column, table=table)
            + where
            + sql.SQL(" GROUP BY {}").format(column)
        )
        rows = self._read(statement, params)
        return order_buckets(
            (
                (
                    r["k"].isoformat() if grouping in _BY_DATE and r["k"] is not None else r["k"],
                    int(r["n"]),
                    int(r["deaths"]),
                    int(r["unknown"]),
                )
                for r in rows
            ),
            by=grouping,
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
            "FROM documents d ORDER BY d.published DESC NULLS LAST, d.id "
            "LIMIT %s OFFSET %s",
            (limit, offset),
        )
        return [
            DocumentSummary(
                id=r["id"],
                origin=r["origin"],
                url=r["url"],
                published=r["published"],
                headline=r["headline"],
                language=r["language"],
                status=DocumentStatus(r["status"]),
                status_reason=r["status_reason"],
                n_segments=int(r["n_segments"]),
                n_comments=int(r["n_comments"]),
                n_events=int(r["n_events"]),
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
        rows = self._read(
            sql.SQL(_SELECT_QUEUE) + where + sql.SQL(_ORDER_QUEUE + " LIMIT %s OFFSET %s"),
            [*params, query.limit, query.offset],
        )
        return [_comment_row_of(r) for r in rows]

    def count_comments(self, query: CommentQuery = ALL_COMMENTS) -> int:
        """Return how many comments match, ignoring the query's limit and offset."""
        where, params = _comment_where(query)
        statement = (
            sql.SQL(
                "SELECT count(*) AS n FROM comments c LEFT JOIN moderation m "
                "ON m.document_id = c.document_id AND m.position = c.position"
            )
            + where
        )
        return int(self._read(statement, params)[0]["n"])

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
        key = encode_text(document_id)
        with self._transaction() as c:
            found = c.execute(
                "SELECT 1 FROM comments WHERE document_id = %s AND position = %s LIMIT 1",
                (key, position),
            ).fetchone()
            if found is None:
                raise unknown_comment(document_id, position)
            c.execute(
                "INSERT INTO moderation (document_id, position, decision, moderator, note, "
                "decided_at) VALUES (%s, %s, %s, %s, %s, %s) "
                "ON CONFLICT (document_id, position) DO UPDATE SET "
                "decision = excluded.decision, moderator = excluded.moderator, "
                "note = excluded.note, decided_at = excluded.decided_at",
                (
                    key,
                    position,
                    record.decision.value,
                    _enc(moderator),
                    _enc(note),
                    record.decided_at,
                ),
            )
        return record

    def schema_version(self) -> int:
        """Return the number of the last schema migration applied."""
        with self._lock:
            try:
                return current_version(self._conn)
            except psycopg.Error as e:
                raise StoreError(f"PostgreSQL database {redact_url(self.url)}: {e}") from e

    def _with_sources(self, rows: Sequence[Row], *, fused: bool = False) -> tuple[Event, ...]:
        """Turn event rows into Events carrying their sources (one query per source table).

        Args:
            fused: the rows come from the fused view: cluster rows take fused_sources.
        """
        events = [_event(r) for r in rows]
        if not events:
            return ()
        ids = sorted({encode_text(e.event_id) for e in events})
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
        with self._transaction(read_only=True):
            return self._candidates_now(window)

    def events_by_id(self, event_ids: Collection[str]) -> list[Event]:
        """Return the stored per-document events with these ids (unknown ids skipped), by id."""
        statement = _SELECT_EVENTS + sql.SQL(" WHERE e.event_id = ANY(%s) ORDER BY e.event_id")
        ids = sorted({encode_text(i) for i in event_ids})
        with self._transaction(read_only=True):
            return list(self._with_sources(self._read(statement, (ids,))))

    def clusters(
        self, *, event_ids: Collection[str] = (), document_ids: Collection[str] = ()
    ) -> list[Cluster]:
        """Return the clusters with a member in ``event_ids`` or a source citing a document."""
        found: LiteralString = "SELECT event_id FROM fused_events"
        params: tuple[Any, ...] = ()
        if event_ids or document_ids:
            found = (
                "SELECT cluster_id FROM event_clusters WHERE event_id = ANY(%s) "
                "UNION SELECT event_id FROM fused_sources WHERE document_id = ANY(%s)"
            )
            params = (
                sorted({encode_text(i) for i in event_ids}),
                sorted({encode_text(i) for i in document_ids}),
            )
        rows = self._read(
            "SELECT f.event_id AS cluster_id, m.event_id AS member FROM fused_events f "
            "LEFT JOIN event_clusters m ON m.cluster_id = f.event_id "
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
            # Fusion passes of concurrent writers queue here: each sees the other's clusters.
            c.execute("SELECT pg_advisory_xact_lock(hashtextextended('sitrep.fuse', 0))")
            dropped = {encode_text(i) for i in clusters} | {
                encode_text(f.cluster_id) for f in stored
            }
            dropped |= {
                str(row[0])
                for row in c.execute(
                    "SELECT cluster_id FROM event_clusters WHERE event_id = ANY(%s)",
                    (sorted({encode_text(i) for i in events}),),
                )
            }
            # ON DELETE CASCADE takes the sources and memberships with them.
            c.execute("DELETE FROM fused_events WHERE event_id = ANY(%s)", (sorted(dropped),))
            for f in stored:
                c.execute(_INSERT_FUSED, [_enc(v) for v in _event_row(f.event)])
                sources = {
                    (s.document_id, s.start, s.end): _source_row(f.cluster_id, i, s)
                    for i, s in reversed(list(enumerate(f.event.sources)))
                }
                with c.cursor() as cur:
                    cur.executemany(
                        f"INSERT INTO fused_sources ({_SOURCE_WRITE_COLUMNS}) "
                        "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
                        [[_enc(v) for v in row] for row in sources.values()],
                    )
                try:
                    with c.transaction(), c.cursor() as cur:
                        cur.executemany(
                            "INSERT INTO event_clusters (event_id, cluster_id) VALUES (%s, %s)",
                            [(encode_text(m), encode_text(f.cluster_id)) for m in f.members],
                        )
                except psycopg.errors.IntegrityError as e:
                    raise StoreError(
                        f"cannot put the members of cluster {f.cluster_id} in it: {e} "
                        "(unknown event, or one belongs to a cluster that is kept)"
                    ) from e

    def clear_clusters(self) -> None:
        """Delete every cluster (the per-document events stay)."""
        with self._transaction() as c:
            c.execute("DELETE FROM fused_events")

    def delete_document(self, document_id: str) -> DeletionReport:
        """Delete a document and everything derived from it, in one transaction.

        The steps are docs/decisions/0015-data-rights.md's. It holds the fusion lock (fusion
        passes queue behind it), the document's row and its events' locks (saves that report
        them queue), so the clusters it re-fuses cannot change under it.

        Raises:
            UnknownDocumentError: no document and no failure is stored under the id.
        """
        d = document_id
        key = encode_text(d)
        with self._transaction() as c:
            c.execute("SELECT pg_advisory_xact_lock(hashtextextended('sitrep.fuse', 0))")
            found = c.execute("SELECT 1 FROM documents WHERE id = %s FOR UPDATE", (key,))
            document = found.fetchone()
            failed = c.execute("SELECT 1 FROM failures WHERE record_id = %s LIMIT 1", (key,))
            if document is None and failed.fetchone() is None:
                raise unknown_document(d)
            own = {
                decode_text(str(row[0]))
                for row in c.execute(
                    "SELECT event_id FROM document_events WHERE document_id = %(d)s "
                    "UNION SELECT event_id FROM event_sources WHERE document_id = %(d)s",
                    {"d": key},
                )
            }
            own_keys = sorted({encode_text(i) for i in own})
            # save_document's event locks, in the same order: no deadlock with a save.
            c.execute(
                "SELECT count(pg_advisory_xact_lock(k)) FROM (SELECT DISTINCT "
                "hashtextextended('sitrep.event.' || i, 0) AS k FROM unnest(%s::text[]) i "
                "ORDER BY k) s",
                (own_keys,),
            )
            affected = self.clusters(document_ids=[d], event_ids=own)
            members = {m for cluster in affected for m in cluster.members}
            before = component(self._candidates_now, self._events_now(own | members))
            dropped = {cluster.cluster_id for cluster in affected}
            dropped |= self._clusters_now(before.keys())
            # Children first, so each count is of rows deleted here, not by a cascade.
            counts: dict[str, int] = {}
            for table, column in (
                ("segments", "document_id"),
                ("comments", "document_id"),
                ("moderation", "document_id"),
                ("failures", "record_id"),
                ("event_sources", "document_id"),
                ("document_events", "document_id"),
                ("documents", "id"),
            ):
                statement = sql.SQL("DELETE FROM {} WHERE {} = %s").format(
                    sql.Identifier(table), sql.Identifier(column)
                )
                counts[table] = c.execute(statement, (key,)).rowcount
            deleted = c.execute(
                "DELETE FROM events e WHERE e.event_id = ANY(%s) "
                "AND NOT EXISTS (SELECT 1 FROM event_sources s WHERE s.event_id = e.event_id) "
                "AND NOT EXISTS (SELECT 1 FROM document_events x WHERE x.event_id = e.event_id)",
                (own_keys,),
            ).rowcount
            after = component(self._candidates_now, self._events_now(before.keys()))
            dropped |= self._clusters_now(after.keys())
            fused = [f for f in fuse_events(list(after.values())) if len(f.members) > 1]
            # Nested: psycopg makes it a savepoint of this transaction.
            self.replace_clusters(fused, events=before.keys() | after.keys(), clusters=dropped)
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

    def _candidates_now(self, window: SearchWindow) -> list[Event]:
        """``candidate_events`` inside the caller's transaction (its own is read-only)."""
        clauses: LiteralString = (
            " WHERE e.event_type = %s AND e.iso = %s AND e.event_date >= %s AND e.event_date <= %s"
        )
        params: list[Any] = [
            encode_text(window.event_type),
            encode_text(window.iso),
            window.since,
            window.until,
        ]
        if window.bbox is not None:
            clauses += (
                " AND (e.latitude IS NULL OR e.longitude IS NULL OR e.geo_precision IS NULL "
                "OR e.geo_precision NOT IN (1, 2) OR (e.longitude BETWEEN %s AND %s "
                "AND e.latitude BETWEEN %s AND %s))"
            )
            min_lon, min_lat, max_lon, max_lat = window.bbox
            params += [min_lon, max_lon, min_lat, max_lat]
        statement = _SELECT_EVENTS + sql.SQL(clauses + " ORDER BY e.event_id")
        return list(self._with_sources(self._read(statement, params)))

    def _events_now(self, event_ids: Collection[str]) -> list[Event]:
        """``events_by_id`` inside the caller's transaction (its own is read-only)."""
        statement = _SELECT_EVENTS + sql.SQL(" WHERE e.event_id = ANY(%s) ORDER BY e.event_id")
        ids = sorted({encode_text(i) for i in event_ids})
        return list(self._with_sources(self._read(statement, (ids,))))

    def _clusters_now(self, event_ids: Collection[str]) -> set[str]:
        """Return the clusters with a member in ``event_ids``."""
        rows = self._read(
            "SELECT DISTINCT cluster_id FROM event_clusters WHERE event_id = ANY(%s)",
            (sorted({encode_text(i) for i in event_ids}),),
        )
        return {str(r["cluster_id"]) for r in rows}


# -- module helpers ----------------------------------------------------------------------------


def _conninfo(url: str) -> str:
    """Return the libpq URL of a store URL (SQLAlchemy's ``postgresql+driver://`` accepted)."""
    scheme, sep, rest = url.partition("://")
    if not sep or scheme.split("+")[0] not in ("postgresql", "postgres"):
        raise ConfigError(f"not a PostgreSQL URL: {redact_url(url)!r}")
    return f"postgresql://{rest}"


def _connect_error(params: dict[str, Any], error: psycopg.Error) -> str:
    """Return why a connection failed, naming host:port, never the password."""
    host = params.get("host") or params.get("hostaddr") or "localhost"
    port = params.get("port") or "5432"
    message = str(error).strip()
    password = params.get("password")
    if password:
        message = message.replace(str(password), "***")
    user = params.get("user")
    who = f" as {user}" if user else ""
    database = params.get("dbname")
    db = f", database {database}" if database else ""
    return (
        f"cannot connect to PostgreSQL at {host}:{port}{who}{db}: {message}; "
        "check that the server runs there and the URL's user, password and database"
    )


def _copy(
    c: psycopg.Connection[Any],
    statement: bytes | LiteralString,
    rows: Iterable[Sequence[Any]],
) -> None:
    """COPY ``rows`` (text encoded here) into a table; nothing when there are none."""
    encoded = [[_enc(v) for v in row] for row in rows]
    if not encoded:
        return
    with c.cursor() as cur, cur.copy(statement) as copy:
        for row in encoded:
            copy.write_row(row)


def _where(query: EventQuery) -> tuple[sql.Composed | sql.SQL, list[Any]]:
    """Translate a query into a WHERE clause and its parameters (semantics: base.matches)."""
    clauses: list[LiteralString] = []
    params: list[Any] = []
    if query.since is not None:
        clauses.append("e.event_date >= %s")
        params.append(query.since)
    if query.until is not None:
        clauses.append("e.event_date <= %s")
        params.append(query.until)
    if query.country is not None:
        clauses.append("(e.country_fold = %s OR e.iso_fold = %s)")
        params += [_folded(query.country)] * 2
    if query.event_type is not None:
        clauses.append("(e.event_type_fold = %s OR e.sub_event_type_fold = %s)")
        params += [_folded(query.event_type)] * 2
    if query.actor is not None:
        # LIKE, not strpos: the trigram indexes serve LIKE '%...%'.
        clauses.append(
            "(e.actor1_fold LIKE %s OR e.actor2_fold LIKE %s "
            "OR e.assoc_actor_1_fold LIKE %s OR e.assoc_actor_2_fold LIKE %s)"
        )
        params += [_like_pattern(_folded(query.actor))] * 4
    if query.modality is not None:
        clauses.append("e.modality_fold = %s")
        params.append(_folded(query.modality))
    if query.document_id is not None:
        if query.fused:
            clauses.append(
                "(EXISTS (SELECT 1 FROM event_sources s "
                "WHERE s.event_id = e.event_id AND s.document_id = %s) "
                "OR EXISTS (SELECT 1 FROM document_events x "
                "WHERE x.event_id = e.event_id AND x.document_id = %s) "
                "OR EXISTS (SELECT 1 FROM fused_sources f "
                "WHERE f.event_id = e.event_id AND f.document_id = %s))"
            )
        else:
            clauses.append(
                "(EXISTS (SELECT 1 FROM event_sources s "
                "WHERE s.event_id = e.event_id AND s.document_id = %s) "
                "OR EXISTS (SELECT 1 FROM document_events x "
                "WHERE x.event_id = e.event_id AND x.document_id = %s))"
            )
        params += [encode_text(query.document_id)] * (3 if query.fused else 2)
    _where_more(query, clauses, params)
    if not clauses:
        return sql.SQL(""), params
    return sql.SQL(" WHERE ") + sql.SQL(" AND ").join(sql.SQL(c) for c in clauses), params


def _where_more(query: EventQuery, clauses: list[LiteralString], params: list[Any]) -> None:
    """Add the desk's filters (semantics: base.matches_more) to ``clauses`` and ``params``."""
    if query.admin1 is not None:
        clauses.append("e.admin1_fold = %s")
        params.append(_folded(query.admin1))
    if query.event_types:
        clauses.append("e.event_type_fold = ANY(%s)")
        params.append(sorted({_folded(t) for t in query.event_types}))
    if query.sub_event_types:
        clauses.append("e.sub_event_type_fold = ANY(%s)")
        params.append(sorted({_folded(t) for t in query.sub_event_types}))
    if query.min_confidence is not None:
        clauses.append("e.confidence >= %s")
        params.append(query.min_confidence)
    if query.bbox is not None:
        box = query.bbox
        clauses.append("e.latitude BETWEEN %s AND %s")
        params += [box.min_lat, box.max_lat]
        if box.min_lon <= box.max_lon:
            clauses.append("e.longitude BETWEEN %s AND %s")
        else:  # across the antimeridian
            clauses.append("(e.longitude >= %s OR e.longitude <= %s)")
        params += [box.min_lon, box.max_lon]
    needle = query.needle()
    if needle is not None:
        # strpos on the folded copies: a scan, as on SQLite (docs/decisions/0014).
        if query.fused:
            clauses.append(
                "(strpos(e.notes_fold, %s) > 0 OR EXISTS (SELECT 1 FROM event_sources s "
                "WHERE s.event_id = e.event_id AND strpos(s.sentence_fold, %s) > 0) "
                "OR EXISTS (SELECT 1 FROM fused_sources s "
                "WHERE s.event_id = e.event_id AND strpos(s.sentence_fold, %s) > 0))"
            )
        else:
            clauses.append(
                "(strpos(e.notes_fold, %s) > 0 OR EXISTS (SELECT 1 FROM event_sources s "
                "WHERE s.event_id = e.event_id AND strpos(s.sentence_fold, %s) > 0))"
            )
        params += [encode_text(needle)] * (3 if query.fused else 2)
    if query.after is not None:
        day, event_id = query.after
        if day is None:
            clauses.append("(e.event_date IS NULL AND e.event_id > %s)")
            params.append(encode_text(event_id))
        else:
            clauses.append(
                "(e.event_date < %s OR (e.event_date = %s AND e.event_id > %s) "
                "OR e.event_date IS NULL)"
            )
            params += [day, day, encode_text(event_id)]


def _folded(text: str) -> str:
    return encode_text(text.casefold())


def _comment_where(query: CommentQuery) -> tuple[sql.Composed | sql.SQL, list[Any]]:
    """Translate a comment query into a WHERE clause (semantics: base.comment_matches)."""
    clauses: list[LiteralString] = []
    params: list[Any] = []
    if query.status is not None:
        clauses.append("COALESCE(m.decision, c.decision) = %s")
        params.append(str(query.status))
    if query.machine is not None:
        clauses.append("c.decision = %s")
        params.append(str(query.machine))
    if query.moderated is not None:
        clauses.append("m.decision IS NOT NULL" if query.moderated else "m.decision IS NULL")
    if query.screened is not None:
        clauses.append("c.decision IS NOT NULL" if query.screened else "c.decision IS NULL")
    if query.document_id is not None:
        clauses.append("c.document_id = %s")
        params.append(encode_text(query.document_id))
    if not clauses:
        return sql.SQL(""), params
    return sql.SQL(" WHERE ") + sql.SQL(" AND ").join(sql.SQL(c) for c in clauses), params


def _comment_row(document_id: str, ordinal: int, m: Comment) -> tuple[Any, ...]:
    """Return the comments-table row of a comment, screening columns NULL when unscreened."""
    s = m.screening
    screening: tuple[Any, ...] = (None, None, None, None, None)
    if s is not None:
        # ensure_ascii: the JSON holds no NUL, so it needs no text encoding.
        screening = (
            s.decision.value,
            json.dumps([list(pair) for pair in s.scores]),
            json.dumps([list(span) for span in s.spans]),
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


def _comment(row: Row) -> Comment:
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


def _comment_row_of(row: Row) -> CommentRow:
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
            decided_at=row["decided_at"].astimezone(UTC),
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


def _event_row(event: Event) -> tuple[Any, ...]:
    """Return the events-table row of ``event``, in _EVENT_COLUMNS order."""
    values: list[Any] = []
    for name in EVENT_FIELDS:
        value = getattr(event, name)
        if isinstance(value, Modality | GeoReason):
            value = value.value
        values.append(value)
    for _, name in _FOLDS:
        value = getattr(event, name)
        values.append(fold(value.value if isinstance(value, Modality) else value))
    return tuple(values)


def _event(row: Row) -> Event:
    """Return the Event (without sources) of an events-table row."""
    fields: dict[str, Any] = {name: row[name] for name in EVENT_FIELDS}
    fields["modality"] = Modality(fields["modality"])
    reason = fields["geo_reason"]
    fields["geo_reason"] = GeoReason(reason) if reason is not None else None
    return Event(**fields)


def _source_row(event_id: str, position: int, s: Source) -> tuple[Any, ...]:
    """Return a source's row in _SOURCE_WRITE_COLUMNS order."""
    return (
        event_id,
        s.document_id,
        s.start,
        s.end,
        position,
        s.url,
        s.published,
        s.section,
        s.sentence,
        json.dumps(list(s.attribution)),
        s.extractor,
        fold(s.sentence),
    )


def _source(row: Row) -> Source:
    return Source(
        document_id=row["document_id"],
        url=row["url"],
        published=row["published"],
        section=row["section"],
        sentence=row["sentence"],
        start=row["start"],
        end=row["end"],
        attribution=tuple(json.loads(row["attribution"])),
        extractor=row["extractor"],
    )
