"""The SQLite schema as numbered migrations, and the code that applies them.

The database's ``PRAGMA user_version`` is the number of the last migration applied (and the
``meta`` table repeats it for readers that do not know pragmas). Opening a store applies the
missing ones, each in its own transaction, so an old database upgrades in place and a current
one is left untouched. Never edit a released migration: add the next one.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from sitrep.errors import StoreError


@dataclass(frozen=True)
class Migration:
    """One schema step."""

    version: int
    name: str
    statements: tuple[str, ...]


# Child tables are WITHOUT ROWID, clustered on their primary key: a dump lists rows in key
# order whatever order they were saved in, so re-saving a document yields the same dump.
_TABLES = (
    """CREATE TABLE meta (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
    ) WITHOUT ROWID""",
    """CREATE TABLE documents (
        id TEXT PRIMARY KEY,
        origin TEXT NOT NULL,
        text TEXT NOT NULL,
        url TEXT,
        published TEXT,
        published_source TEXT,
        headline TEXT,
        language TEXT,
        language_score REAL,
        status TEXT NOT NULL,
        status_reason TEXT
    ) WITHOUT ROWID""",
    """CREATE TABLE segments (
        document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        kind TEXT NOT NULL,
        "start" INTEGER NOT NULL,
        "end" INTEGER NOT NULL,
        text TEXT NOT NULL,
        PRIMARY KEY (document_id, position)
    ) WITHOUT ROWID""",
    # ``ordinal`` is the comment's index in Document.comments; ``position`` is the page's own.
    """CREATE TABLE comments (
        document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        ordinal INTEGER NOT NULL,
        position INTEGER NOT NULL,
        text TEXT NOT NULL,
        "start" INTEGER NOT NULL,
        "end" INTEGER NOT NULL,
        author TEXT,
        reply_to INTEGER,
        timestamp TEXT,
        PRIMARY KEY (document_id, ordinal)
    ) WITHOUT ROWID""",
    """CREATE TABLE events (
        event_id TEXT PRIMARY KEY,
        event_date TEXT,
        time_precision INTEGER,
        event_type TEXT NOT NULL,
        sub_event_type TEXT NOT NULL,
        actor1 TEXT,
        assoc_actor_1 TEXT,
        inter1 INTEGER,
        actor2 TEXT,
        assoc_actor_2 TEXT,
        inter2 INTEGER,
        interaction INTEGER,
        country TEXT,
        iso TEXT,
        admin1 TEXT,
        admin2 TEXT,
        admin3 TEXT,
        location TEXT,
        latitude REAL,
        longitude REAL,
        geo_precision INTEGER,
        fatalities INTEGER,
        source TEXT,
        notes TEXT,
        plover_type TEXT,
        cameo_code TEXT,
        modality TEXT NOT NULL,
        confidence REAL NOT NULL,
        date_resolved_from TEXT,
        year_from_reference INTEGER NOT NULL,
        geo_reason TEXT
    ) WITHOUT ROWID""",
    # Which events each document reported, in its order (an event may have no source rows
    # and still belong to a document).
    """CREATE TABLE document_events (
        document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        event_id TEXT NOT NULL REFERENCES events(event_id) ON DELETE CASCADE,
        PRIMARY KEY (document_id, position)
    ) WITHOUT ROWID""",
    # A source row belongs to the document it cites (document_id): re-saving that document
    # replaces its rows and leaves other documents' reports of the same event alone. No
    # foreign key on document_id: a fused event may cite a document this store never saw.
    """CREATE TABLE event_sources (
        event_id TEXT NOT NULL REFERENCES events(event_id) ON DELETE CASCADE,
        document_id TEXT NOT NULL,
        "start" INTEGER NOT NULL,
        "end" INTEGER NOT NULL,
        position INTEGER NOT NULL,
        url TEXT,
        published TEXT,
        section TEXT NOT NULL,
        sentence TEXT NOT NULL,
        attribution TEXT NOT NULL,
        extractor TEXT NOT NULL,
        PRIMARY KEY (event_id, document_id, "start", "end")
    ) WITHOUT ROWID""",
    """CREATE TABLE failures (
        stage TEXT NOT NULL,
        record_id TEXT NOT NULL,
        origin TEXT NOT NULL,
        error TEXT NOT NULL,
        message TEXT NOT NULL,
        PRIMARY KEY (stage, record_id)
    ) WITHOUT ROWID""",
)

# Case-insensitive filters compare sitrep_fold(column) (str.casefold, registered on every
# connection by SQLiteStore), so the expression indexes below serve them. Actor filters are
# substring matches, which no index serves; the plain actor indexes serve exact lookups.
_INDEXES = (
    "CREATE INDEX events_event_date ON events (event_date)",
    "CREATE INDEX events_country ON events (sitrep_fold(country))",
    "CREATE INDEX events_iso ON events (sitrep_fold(iso))",
    "CREATE INDEX events_event_type ON events (sitrep_fold(event_type))",
    "CREATE INDEX events_sub_event_type ON events (sitrep_fold(sub_event_type))",
    "CREATE INDEX events_modality ON events (sitrep_fold(modality))",
    "CREATE INDEX events_actor1 ON events (actor1)",
    "CREATE INDEX events_actor2 ON events (actor2)",
    "CREATE INDEX event_sources_document_id ON event_sources (document_id)",
    "CREATE INDEX document_events_event_id ON document_events (event_id)",
    "CREATE INDEX documents_published ON documents (published)",
)

# Comment screening lives on the comment row (replaced with it on every save); moderators'
# decisions live in their own table, keyed by (document_id, position), which no save
# touches: document ids are content hashes, so re-processing a page finds its decisions again.
# No foreign key on moderation: the comments it points to are deleted and re-inserted by every
# save, and a decision must outlive even a re-segmentation that drops its comment.
_MODERATION = (
    "ALTER TABLE comments ADD COLUMN decision TEXT",
    "ALTER TABLE comments ADD COLUMN scores TEXT",  # JSON object label -> score, in order
    "ALTER TABLE comments ADD COLUMN spans TEXT",  # JSON [[label, start, end, text], ...]
    "ALTER TABLE comments ADD COLUMN model TEXT",
    "ALTER TABLE comments ADD COLUMN toxicity REAL",  # the queue's order, bound exactly
    """CREATE TABLE moderation (
        document_id TEXT NOT NULL,
        position INTEGER NOT NULL,
        decision TEXT NOT NULL CHECK (decision IN ('ok', 'review', 'remove')),
        moderator TEXT,
        note TEXT,
        decided_at TEXT NOT NULL,
        PRIMARY KEY (document_id, position)
    ) WITHOUT ROWID""",
    "CREATE INDEX comments_decision ON comments (decision)",
    "CREATE INDEX moderation_decision ON moderation (decision)",
)

# Fusion (docs/decisions/0011-fusion.md): per-document events stay as they are; a cluster of
# two or more of them gets a reconciled row in fused_events (same columns, event_id = the
# cluster id), the union of their sources in fused_sources, and one event_clusters row per
# member. Deleting a member event drops its membership (the cluster row waits for the next
# fusion pass, which finds it through fused_sources.document_id).
_FUSION = (
    """CREATE TABLE fused_events (
        event_id TEXT PRIMARY KEY,
        event_date TEXT,
        time_precision INTEGER,
        event_type TEXT NOT NULL,
        sub_event_type TEXT NOT NULL,
        actor1 TEXT,
        assoc_actor_1 TEXT,
        inter1 INTEGER,
        actor2 TEXT,
        assoc_actor_2 TEXT,
        inter2 INTEGER,
        interaction INTEGER,
        country TEXT,
        iso TEXT,
        admin1 TEXT,
        admin2 TEXT,
        admin3 TEXT,
        location TEXT,
        latitude REAL,
        longitude REAL,
        geo_precision INTEGER,
        fatalities INTEGER,
        source TEXT,
        notes TEXT,
        plover_type TEXT,
        cameo_code TEXT,
        modality TEXT NOT NULL,
        confidence REAL NOT NULL,
        date_resolved_from TEXT,
        year_from_reference INTEGER NOT NULL,
        geo_reason TEXT
    ) WITHOUT ROWID""",
    """CREATE TABLE fused_sources (
        event_id TEXT NOT NULL REFERENCES fused_events(event_id) ON DELETE CASCADE,
        document_id TEXT NOT NULL,
        "start" INTEGER NOT NULL,
        "end" INTEGER NOT NULL,
        position INTEGER NOT NULL,
        url TEXT,
        published TEXT,
        section TEXT NOT NULL,
        sentence TEXT NOT NULL,
        attribution TEXT NOT NULL,
        extractor TEXT NOT NULL,
        PRIMARY KEY (event_id, document_id, "start", "end")
    ) WITHOUT ROWID""",
    """CREATE TABLE event_clusters (
        event_id TEXT PRIMARY KEY REFERENCES events(event_id) ON DELETE CASCADE,
        cluster_id TEXT NOT NULL REFERENCES fused_events(event_id) ON DELETE CASCADE
    ) WITHOUT ROWID""",
    "CREATE INDEX event_clusters_cluster_id ON event_clusters (cluster_id)",
    "CREATE INDEX fused_sources_document_id ON fused_sources (document_id)",
    "CREATE INDEX fused_events_event_date ON fused_events (event_date)",
    # The candidate search of incremental fusion: one type, one country, a date range.
    "CREATE INDEX events_fusion_candidates ON events (event_type, iso, event_date)",
)

# The desk's filters in SQL (docs/decisions/0014-query-pushdown.md). Equality filters compare
# plain folded copies (filled here through sitrep_fold, which the store registers before
# migrating), not sitrep_fold(column): SQLite 3.40 cannot answer from an index on an
# expression without reading the row, and a count over a country's year then reads 40,000
# rows. The composite indexes below hold every column the common filters, counts and
# aggregates read, so those are answered from the index alone; the expression indexes they
# replace are dropped.
_FOLD_COLUMNS = ("country", "iso", "event_type", "sub_event_type", "modality", "admin1")
_PUSHDOWN = (
    *(
        f"ALTER TABLE {table} ADD COLUMN {column}_fold TEXT"
        for table in ("events", "fused_events")
        for column in _FOLD_COLUMNS
    ),
    *(
        f"UPDATE {table} SET "
        + ", ".join(f"{column}_fold = sitrep_fold({column})" for column in _FOLD_COLUMNS)
        for table in ("events", "fused_events")
    ),
    "DROP INDEX events_country",
    "DROP INDEX events_iso",
    "DROP INDEX events_event_type",
    "DROP INDEX events_sub_event_type",
    "DROP INDEX events_modality",
    # Country (by name or code) with the default modality, a date range, a type: lists,
    # counts and the aggregates (by day, week, type, admin1) of one country.
    "CREATE INDEX events_country_date ON events "
    "(country_fold, modality_fold, event_date, event_type_fold, event_type, admin1, fatalities)",
    # country_fold too: the ISO branch leaves out the rows the name branch counted.
    "CREATE INDEX events_iso_date ON events (iso_fold, modality_fold, event_date, "
    "event_type_fold, event_type, admin1, fatalities, country_fold)",
    # A type with a date range, a box and a least confidence (the map's filters).
    "CREATE INDEX events_type_date ON events "
    "(event_type_fold, modality_fold, event_date, latitude, longitude, confidence)",
    "CREATE INDEX events_sub_type_date ON events (sub_event_type_fold, modality_fold, event_date)",
    "CREATE INDEX events_admin1_date ON events (admin1_fold, modality_fold, event_date)",
    # No filter but the modality: the desk's first page, its count and whole-database
    # aggregates.
    "CREATE INDEX events_modality_date ON events "
    "(modality_fold, event_date, event_type, admin1, fatalities)",
    "CREATE INDEX fused_events_country ON fused_events (country_fold)",
    "CREATE INDEX fused_events_iso ON fused_events (iso_fold)",
)

MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "tables", _TABLES),
    Migration(2, "indexes", _INDEXES),
    Migration(3, "comment screening and moderation", _MODERATION),
    Migration(4, "fusion clusters", _FUSION),
    Migration(5, "desk filters in SQL", _PUSHDOWN),
)

LATEST_VERSION = MIGRATIONS[-1].version


def current_version(conn: sqlite3.Connection) -> int:
    """Return the number of the last migration applied to ``conn``'s database."""
    row = conn.execute("PRAGMA user_version").fetchone()
    return int(row[0])


def apply_migrations(conn: sqlite3.Connection, *, target: int = LATEST_VERSION) -> int:
    """Apply the migrations ``conn`` lacks, up to ``target``; return the resulting version.

    ``conn`` must be in autocommit mode (isolation_level=None): each migration runs in its own
    explicit transaction.

    Raises:
        StoreError: the database is newer than this sitrep, or a migration failed.
    """
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
            conn.execute("BEGIN IMMEDIATE")
            for statement in migration.statements:
                conn.execute(statement)
            conn.execute(
                "INSERT INTO meta (key, value) VALUES ('schema_version', ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (str(migration.version),),
            )
            # PRAGMA takes no bound parameters; the value is our own int constant.
            conn.execute(f"PRAGMA user_version = {int(migration.version)}")
            conn.execute("COMMIT")
        except sqlite3.Error as e:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise StoreError(
                f"could not apply schema migration {migration.version} ({migration.name}): {e}"
            ) from e
        version = migration.version
    return version
