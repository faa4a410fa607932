"""The PostgreSQL schema as numbered migrations, and the code that applies them.

Version N here holds what SQLite's migration N holds (sitrep.adapters.store.migrations), so
``schema_version()`` means the same on both. The ``schema_migrations`` table lists the ones
applied; opening a store applies the missing ones under an advisory lock (two processes
opening a new database at once do not race), each in its own transaction. Never edit a
released migration: add the next one.

Differences from SQLite, on purpose: dates are ``date``, times ``timestamptz``, flags
``boolean``; ids and every column the store orders by are ``COLLATE "C"`` (code-point order,
as Python sorts); case-insensitive filters read ``*_fold`` columns that the store fills with
``str.casefold`` (PostgreSQL's ``lower()`` is not casefold: "ß" stays "ß").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, LiteralString

import psycopg
from psycopg import sql

from sitrep.errors import StoreError


@dataclass(frozen=True)
class Migration:
    """One schema step."""

    version: int
    name: str
    statements: tuple[LiteralString, ...]


_TABLES = (
    """CREATE TABLE documents (
        id text COLLATE "C" PRIMARY KEY,
        origin text NOT NULL,
        text text NOT NULL,
        url text,
        published date,
        published_source text,
        headline text,
        language text,
        language_score double precision,
        status text NOT NULL,
        status_reason text
    )""",
    """CREATE TABLE segments (
        document_id text COLLATE "C" NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        position integer NOT NULL,
        kind text NOT NULL,
        "start" bigint NOT NULL,
        "end" bigint NOT NULL,
        text text NOT NULL,
        PRIMARY KEY (document_id, position)
    )""",
    """CREATE TABLE comments (
        document_id text COLLATE "C" NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        ordinal integer NOT NULL,
        position bigint NOT NULL,
        text text NOT NULL,
        "start" bigint NOT NULL,
        "end" bigint NOT NULL,
        author text,
        reply_to bigint,
        timestamp text,
        PRIMARY KEY (document_id, ordinal)
    )""",
    """CREATE TABLE events (
        event_id text COLLATE "C" PRIMARY KEY,
        event_date date,
        time_precision integer,
        event_type text NOT NULL,
        sub_event_type text NOT NULL,
        actor1 text,
        assoc_actor_1 text,
        inter1 integer,
        actor2 text,
        assoc_actor_2 text,
        inter2 integer,
        interaction integer,
        country text,
        iso text,
        admin1 text,
        admin2 text,
        admin3 text,
        location text,
        latitude double precision,
        longitude double precision,
        geo_precision integer,
        fatalities bigint,
        source text,
        notes text,
        plover_type text,
        cameo_code text,
        modality text NOT NULL,
        confidence double precision NOT NULL,
        date_resolved_from date,
        year_from_reference boolean NOT NULL,
        geo_reason text,
        country_fold text,
        iso_fold text,
        event_type_fold text NOT NULL,
        sub_event_type_fold text NOT NULL,
        modality_fold text NOT NULL,
        actor1_fold text,
        actor2_fold text,
        assoc_actor_1_fold text,
        assoc_actor_2_fold text
    )""",
    """CREATE TABLE document_events (
        document_id text COLLATE "C" NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        position integer NOT NULL,
        event_id text COLLATE "C" NOT NULL REFERENCES events(event_id) ON DELETE CASCADE,
        PRIMARY KEY (document_id, position)
    )""",
    # No foreign key on document_id: a fused event may cite a document this store never saw.
    """CREATE TABLE event_sources (
        event_id text COLLATE "C" NOT NULL REFERENCES events(event_id) ON DELETE CASCADE,
        document_id text COLLATE "C" NOT NULL,
        "start" bigint NOT NULL,
        "end" bigint NOT NULL,
        position integer NOT NULL,
        url text,
        published date,
        section text NOT NULL,
        sentence text NOT NULL,
        attribution text NOT NULL,
        extractor text NOT NULL,
        PRIMARY KEY (event_id, document_id, "start", "end")
    )""",
    """CREATE TABLE failures (
        stage text COLLATE "C" NOT NULL,
        record_id text COLLATE "C" NOT NULL,
        origin text NOT NULL,
        error text NOT NULL,
        message text NOT NULL,
        PRIMARY KEY (stage, record_id)
    )""",
)

# The API's filters: dates (range and the default order), country/iso, type/sub-type,
# modality, document, confidence and the bounding box. Actor filters are substring matches:
# trigram indexes serve them where the pg_trgm extension can be had (see _trigram_indexes).
_INDEXES = (
    "CREATE INDEX events_order ON events (event_date DESC NULLS LAST, event_id)",
    "CREATE INDEX events_country ON events (country_fold)",
    "CREATE INDEX events_iso ON events (iso_fold)",
    "CREATE INDEX events_event_type ON events (event_type_fold)",
    "CREATE INDEX events_sub_event_type ON events (sub_event_type_fold)",
    "CREATE INDEX events_modality ON events (modality_fold)",
    "CREATE INDEX events_confidence ON events (confidence)",
    "CREATE INDEX events_lat_lon ON events (latitude, longitude)",
    "CREATE INDEX event_sources_document_id ON event_sources (document_id)",
    "CREATE INDEX document_events_event_id ON document_events (event_id)",
    "CREATE INDEX documents_published ON documents (published DESC NULLS LAST, id)",
)

_MODERATION = (
    "ALTER TABLE comments ADD COLUMN decision text",
    "ALTER TABLE comments ADD COLUMN scores text",  # JSON [[label, score], ...], ASCII
    "ALTER TABLE comments ADD COLUMN spans text",  # JSON [[label, start, end, text], ...]
    "ALTER TABLE comments ADD COLUMN model text",
    "ALTER TABLE comments ADD COLUMN toxicity double precision",
    # No foreign key: a decision outlives the re-saves that delete and re-insert comments.
    """CREATE TABLE moderation (
        document_id text COLLATE "C" NOT NULL,
        position bigint NOT NULL,
        decision text NOT NULL CHECK (decision IN ('ok', 'review', 'remove')),
        moderator text,
        note text,
        decided_at timestamptz NOT NULL,
        PRIMARY KEY (document_id, position)
    )""",
    "CREATE INDEX comments_decision ON comments (decision)",
    "CREATE INDEX moderation_decision ON moderation (decision)",
)

# Fusion, as SQLite's migration 4: fused_events copies events' columns, keys and indexes
# (the fold columns and trigram indexes included), fused_sources event_sources'.
_FUSION = (
    "CREATE TABLE fused_events (LIKE events INCLUDING ALL)",
    "CREATE TABLE fused_sources (LIKE event_sources INCLUDING ALL)",
    "ALTER TABLE fused_sources ADD FOREIGN KEY (event_id) "
    "REFERENCES fused_events(event_id) ON DELETE CASCADE",
    """CREATE TABLE event_clusters (
        event_id text COLLATE "C" PRIMARY KEY REFERENCES events(event_id) ON DELETE CASCADE,
        cluster_id text COLLATE "C" NOT NULL
            REFERENCES fused_events(event_id) ON DELETE CASCADE
    )""",
    "CREATE INDEX event_clusters_cluster_id ON event_clusters (cluster_id)",
    "CREATE INDEX events_fusion_candidates ON events (event_type, iso, event_date)",
)

# The desk's filters in SQL (docs/decisions/0014-query-pushdown.md), as SQLite's migration 5:
# folded copies of admin1, notes and source sentences (filled for existing rows by
# _fill_folds), and the indexes the filters and aggregates read.
_PUSHDOWN = (
    "ALTER TABLE events ADD COLUMN admin1_fold text, ADD COLUMN notes_fold text",
    "ALTER TABLE fused_events ADD COLUMN admin1_fold text, ADD COLUMN notes_fold text",
    "ALTER TABLE event_sources ADD COLUMN sentence_fold text",
    "ALTER TABLE fused_sources ADD COLUMN sentence_fold text",
    "CREATE INDEX events_admin1 ON events (admin1_fold)",
    "CREATE INDEX fused_events_admin1 ON fused_events (admin1_fold)",
    "CREATE INDEX events_country_date ON events (country_fold, event_date)",
    "CREATE INDEX events_iso_date ON events (iso_fold, event_date)",
    "CREATE INDEX events_type_date ON events (event_type_fold, event_date)",
)

MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "tables", _TABLES),
    Migration(2, "indexes", _INDEXES),
    Migration(3, "comment screening and moderation", _MODERATION),
    Migration(4, "fusion clusters", _FUSION),
    Migration(5, "desk filters in SQL", _PUSHDOWN),
)

LATEST_VERSION = MIGRATIONS[-1].version

_ACTOR_FOLDS = ("actor1_fold", "actor2_fold", "assoc_actor_1_fold", "assoc_actor_2_fold")


def current_version(conn: psycopg.Connection[Any]) -> int:
    """Return the number of the last migration applied in the connection's schema (0: none)."""
    found = conn.execute("SELECT to_regclass('schema_migrations') IS NOT NULL").fetchone()
    if found is None or not found[0]:
        return 0
    row = conn.execute("SELECT coalesce(max(version), 0) FROM schema_migrations").fetchone()
    return int(row[0]) if row is not None else 0


def apply_migrations(conn: psycopg.Connection[Any], *, target: int = LATEST_VERSION) -> int:
    """Apply the migrations the current schema lacks, up to ``target``; return its version.

    ``conn`` must be in autocommit mode: each migration runs in its own transaction.

    Raises:
        StoreError: the schema is newer than this sitrep, or a migration failed.
    """
    # A session lock keyed by schema: concurrent openers wait, then find the work done.
    lock = "SELECT pg_advisory_lock(hashtextextended('sitrep.migrate.' || current_schema(), 0))"
    unlock = "SELECT pg_advisory_unlock(hashtextextended('sitrep.migrate.' || current_schema(), 0))"
    conn.execute(lock)
    try:
        conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations ("
            "version integer PRIMARY KEY, name text NOT NULL, "
            "applied_at timestamptz NOT NULL DEFAULT now())"
        )
        version = current_version(conn)
        if version > LATEST_VERSION:
            raise StoreError(
                f"the database has schema version {version}, newer than this sitrep supports "
                f"({LATEST_VERSION}); upgrade sitrep to open it"
            )
        for migration in MIGRATIONS:
            if migration.version <= version or migration.version > target:
                continue
            try:
                with conn.transaction():
                    for statement in migration.statements:
                        conn.execute(statement)
                    if migration.version == 2:
                        _trigram_indexes(conn)
                    if migration.version == 5:
                        _fill_folds(conn)
                    conn.execute(
                        "INSERT INTO schema_migrations (version, name) VALUES (%s, %s)",
                        (migration.version, migration.name),
                    )
            except psycopg.Error as e:
                raise StoreError(
                    f"could not apply schema migration {migration.version} ({migration.name}): {e}"
                ) from e
            version = migration.version
        return version
    finally:
        if not conn.closed:
            conn.execute(unlock)


# (table, key columns, (fold column, folded column), ...) of migration 5.
_NEW_FOLDS: tuple[tuple[LiteralString, LiteralString, tuple[tuple[str, str], ...]], ...] = (
    ("events", "event_id", (("admin1_fold", "admin1"), ("notes_fold", "notes"))),
    ("fused_events", "event_id", (("admin1_fold", "admin1"), ("notes_fold", "notes"))),
    ("event_sources", 'event_id, document_id, "start", "end"', (("sentence_fold", "sentence"),)),
    ("fused_sources", 'event_id, document_id, "start", "end"', (("sentence_fold", "sentence"),)),
)


def _fill_folds(conn: psycopg.Connection[Any]) -> None:
    """Fill migration 5's folded columns of the rows already stored (``str.casefold``).

    The stored text is folded as it is: casefold maps U+0001 and U+0002 (the NUL codec's
    letters, postgres.encode_text) to themselves and never produces them, so folding the
    encoded text equals encoding the folded text.
    """
    for table, key, folds in _NEW_FOLDS:
        n_keys = key.count(",") + 1
        sources = [column for _, column in folds]
        select = sql.SQL("SELECT {key}, {cols} FROM {table}").format(
            key=sql.SQL(key),
            cols=sql.SQL(", ").join(sql.Identifier(c) for c in sources),
            table=sql.Identifier(table),
        )
        update = sql.SQL("UPDATE {table} SET {sets} WHERE ({key}) = ({marks})").format(
            table=sql.Identifier(table),
            sets=sql.SQL(", ").join(
                sql.SQL("{} = %s").format(sql.Identifier(fold)) for fold, _ in folds
            ),
            key=sql.SQL(key),
            marks=sql.SQL(", ").join(sql.Placeholder() for _ in range(n_keys)),
        )
        with conn.cursor() as read, conn.cursor() as write:
            read.execute(select)
            while rows := read.fetchmany(5000):
                write.executemany(
                    update,
                    [
                        (
                            *(v.casefold() if v is not None else None for v in row[n_keys:]),
                            *row[:n_keys],
                        )
                        for row in rows
                    ],
                )


def _trigram_indexes(conn: psycopg.Connection[Any]) -> None:
    """Index the actor columns for substring search when pg_trgm is (or can be) installed.

    Optional: creating an extension needs rights a store's role may lack; without it actor
    filters scan, as on SQLite.
    """
    schema = _trgm_schema(conn)
    if schema is None:
        try:
            with conn.transaction():  # a savepoint: a refusal must not undo the migration
                conn.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        except psycopg.Error:
            return
        schema = _trgm_schema(conn)
        if schema is None:  # pragma: no cover - created but not listed
            return
    opclass = sql.SQL("{}.gin_trgm_ops").format(sql.Identifier(schema))
    for column in _ACTOR_FOLDS:
        conn.execute(
            sql.SQL("CREATE INDEX {} ON events USING gin ({} {})").format(
                sql.Identifier(f"events_{column}_trgm"), sql.Identifier(column), opclass
            )
        )


def _trgm_schema(conn: psycopg.Connection[Any]) -> str | None:
    """Return the schema pg_trgm is installed in, or None."""
    row = conn.execute(
        "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace "
        "WHERE e.extname = 'pg_trgm'"
    ).fetchone()
    return str(row[0]) if row is not None else None
