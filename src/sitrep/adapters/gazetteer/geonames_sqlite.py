"""Full GeoNames dumps as an on-disk SQLite index: every village, river and mountain, offline.

``import_geonames`` streams GeoNames' own files (``allCountries.txt`` or per-country ``SY.txt``,
also zipped; ``alternateNamesV2.txt``; ``admin1CodesASCII.txt``; ``admin2Codes.txt``) into one
SQLite file in batches, in constant memory; ``GeoNamesSqliteGazetteer`` answers lookups from it
without loading it (opening takes milliseconds; SQLite's page cache holds what is read).

Names are indexed by the phonetic key of sitrep.placenames, each row keeping its light key, as
the packaged gazetteer does; a clustered B-tree on the key, not FTS5: the geocoder looks up
whole-name keys ("dirzur"), which FTS5's word tokens and ranking would not serve better, and
FTS5 would store every name a second time (docs/decisions/0003-geocoding.md).
"""

from __future__ import annotations

import io
import itertools
import logging
import os
import sqlite3
import threading
import time
import zipfile
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from sitrep.adapters.gazetteer.base import Candidate, country_candidate
from sitrep.adapters.gazetteer.packaged import _usable_alternate
from sitrep.errors import ConfigError, InputError
from sitrep.placenames import NORMALIZATION_VERSION, light_key, phonetic_key, strip_feature_words

log = logging.getLogger(__name__)
_light_key: Callable[[str], str] = light_key.__wrapped__

# Bumped whenever the tables or what goes into them change: an index of another format is
# refused with a message saying to re-import.
FORMAT_VERSION = "1"
SIGNATURE = f"geonames-sqlite-format{FORMAT_VERSION}-keys{NORMALIZATION_VERSION}"
BATCH_ROWS = 20_000
# Feature classes imported by default: populated places, admin areas, water, terrain, areas
# and spots (camps, bases, airports, checkpoints). Roads (R), vegetation (V) and undersea (U)
# features only grow the index.
DEFAULT_CLASSES = "PAHTLS"
COUNTRY_CODES = frozenset({"PCLI", "PCL", "PCLD", "PCLF", "PCLS", "PCLIX", "TERR"})
# alternateNamesV2 "languages" that are codes or links, not names.
_NOT_LANGUAGES = frozenset(
    {"link", "wkdt", "post", "iata", "icao", "faac", "tcid", "unlc", "abbr", "fr_1793"}
)
# Name kinds: a country matches only its main name or an English alternate (never one of the
# hundreds of foreign spellings, which collide with words).
MAIN, ALTERNATE, ENGLISH = 0, 1, 2

_SCHEMA = """
CREATE TABLE meta(name TEXT PRIMARY KEY, value TEXT) WITHOUT ROWID;
CREATE TABLE features(
    id INTEGER PRIMARY KEY, name TEXT NOT NULL, lat REAL NOT NULL, lon REAL NOT NULL,
    fclass TEXT, fcode TEXT, cc TEXT, a1 TEXT, a2 TEXT, a3 TEXT, population INTEGER);
CREATE TABLE names(key TEXT NOT NULL, light TEXT NOT NULL, id INTEGER NOT NULL,
    label TEXT NOT NULL, kind INTEGER NOT NULL);
CREATE TABLE admin1(code TEXT PRIMARY KEY, name TEXT, geonameid INTEGER) WITHOUT ROWID;
CREATE TABLE admin2(code TEXT PRIMARY KEY, name TEXT, geonameid INTEGER) WITHOUT ROWID;
CREATE TABLE admin3(code TEXT PRIMARY KEY, name TEXT, geonameid INTEGER) WITHOUT ROWID;
CREATE TABLE countries(iso TEXT PRIMARY KEY, geonameid INTEGER, name TEXT, lat REAL, lon REAL,
    population INTEGER) WITHOUT ROWID;
"""
# Built after the bulk load: one sort instead of a B-tree insert per name.
_INDEXES = """
CREATE INDEX names_key ON names(key);
CREATE INDEX features_fcode ON features(fcode);
"""
_FINISH = """
INSERT OR IGNORE INTO admin1(code, name, geonameid)
    SELECT cc || '.' || a1, name, id FROM features WHERE fcode = 'ADM1';
INSERT OR IGNORE INTO admin2(code, name, geonameid)
    SELECT cc || '.' || a1 || '.' || a2, name, id FROM features WHERE fcode = 'ADM2';
INSERT OR IGNORE INTO admin3(code, name, geonameid)
    SELECT cc || '.' || a1 || '.' || a2 || '.' || a3, name, id FROM features WHERE fcode = 'ADM3';
INSERT OR IGNORE INTO countries(iso, geonameid, name, lat, lon, population)
    SELECT cc, id, name, lat, lon, population FROM features
    WHERE fcode IN ('PCLI', 'PCL', 'PCLD', 'PCLF', 'PCLS', 'PCLIX', 'TERR')
    ORDER BY CASE fcode WHEN 'PCLI' THEN 0 ELSE 1 END, population DESC;
-- Country-level events go on the capital, as ACLED does (decision 0003).
UPDATE countries SET
    lat = (SELECT lat FROM features WHERE fcode = 'PPLC' AND cc = countries.iso
           ORDER BY population DESC LIMIT 1),
    lon = (SELECT lon FROM features WHERE fcode = 'PPLC' AND cc = countries.iso
           ORDER BY population DESC LIMIT 1)
    WHERE EXISTS (SELECT 1 FROM features WHERE fcode = 'PPLC' AND cc = countries.iso);
"""

FeatureRow = tuple[int, str, float, float, str, str, str, str, str, str, int]
NameRow = tuple[str, str, int, str, int]


@dataclass
class ImportReport:
    """What an import read and wrote."""

    path: Path
    features: int = 0
    names: int = 0
    admin_codes: int = 0
    skipped_lines: int = 0
    files: list[str] = field(default_factory=list)
    seconds: float = 0.0
    bytes: int = 0


def _name_rows(geonameid: int, labels: Iterable[tuple[str, int]]) -> list[NameRow]:
    """One row per distinct light key of ``labels`` (the first label written that way)."""
    rows: list[NameRow] = []
    seen: set[str] = set()
    for label, kind in labels:
        light = _light_key(label)
        if not light or light in seen:
            continue
        seen.add(light)
        rows.append((phonetic_key(light), light, geonameid, label, kind))
    return rows


def _int(text: str) -> int:
    return int(text) if text.lstrip("-").isdigit() else 0


def _parse_feature(fields: Sequence[str], classes: str) -> tuple[FeatureRow, list[NameRow]] | None:
    """One line of a GeoNames dump (19 columns) → the feature row and its name rows."""
    if len(fields) < 15 or not fields[0].isdigit():
        raise ValueError("not a GeoNames feature line")
    fclass = fields[6]
    if fclass not in classes:
        return None
    geonameid = int(fields[0])
    lat, lon = float(fields[4]), float(fields[5])
    row: FeatureRow = (
        geonameid,
        fields[1],
        lat,
        lon,
        fclass,
        fields[7],
        fields[8],
        fields[10],
        fields[11],
        fields[12],
        _int(fields[14]),
    )
    labels = [(fields[1], MAIN), (fields[2], MAIN)]
    labels += [(n, ALTERNATE) for n in fields[3].split(",") if _usable_alternate(n)]
    return row, _name_rows(geonameid, labels)


def _parse_alternate(fields: Sequence[str]) -> NameRow | None:
    """One line of alternateNamesV2 (10 columns) or the older alternateNames (8) → a name row."""
    if len(fields) < 4 or not (fields[0].isdigit() and fields[1].isdigit()):
        raise ValueError("not an alternate-names line")
    language, name = fields[2], fields[3]
    if language in _NOT_LANGUAGES or not _usable_alternate(name):
        return None
    rows = _name_rows(int(fields[1]), [(name, ENGLISH if language == "en" else ALTERNATE)])
    return rows[0] if rows else None


def _kind_of(first: str) -> str:
    """Which GeoNames file a line comes from, by its shape (per-country zips reuse names)."""
    fields = first.rstrip("\r\n").split("\t")
    if len(fields) == 19 and fields[0].isdigit():
        return "features"
    if len(fields) in (8, 10) and fields[0].isdigit() and fields[1].isdigit():
        return "alternates"
    if len(fields) == 4 and fields[3].strip().isdigit():
        dots = fields[0].count(".")
        if dots == 1:
            return "admin1"
        if dots == 2:
            return "admin2"
    return ""


@contextmanager
def _open_text(path: Path) -> Iterator[Sequence[tuple[str, IO[str]]]]:
    """The text streams in ``path``: the file itself, or each .txt member of a .zip."""
    if path.suffix.lower() != ".zip":
        with open(path, encoding="utf-8", newline="") as handle:
            yield [(path.name, handle)]
        return
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile as e:
        raise InputError(f"{path} is not a zip file: {e}") from e
    with archive:
        members = [
            m for m in archive.namelist() if m.endswith(".txt") and "readme" not in m.casefold()
        ]
        streams = [
            (f"{path.name}:{m}", io.TextIOWrapper(archive.open(m), encoding="utf-8", newline=""))
            for m in members
        ]
        try:
            yield streams
        finally:
            for _, stream in streams:
                stream.close()


def _first_line(stream: IO[str]) -> tuple[str, list[str]]:
    """Peek: the kind of file and the lines read to find it (comments and blanks skipped)."""
    read: list[str] = []
    for line in stream:
        read.append(line)
        if line.strip() and not line.startswith("#"):
            return _kind_of(line), read
    return "", read


def _parse_chunk(kind: str, classes: str, lines: Sequence[str]) -> _Parsed:
    """Parse a chunk of feature or alternate-name lines (in a worker process when parallel)."""
    features: list[FeatureRow] = []
    names: list[NameRow] = []
    skipped = 0
    for line in lines:
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.rstrip("\r\n").split("\t")
        try:
            if kind == "features":
                parsed = _parse_feature(fields, classes)
                if parsed is not None:
                    features.append(parsed[0])
                    names.extend(parsed[1])
            else:
                name = _parse_alternate(fields)
                if name is not None:
                    names.append(name)
        except ValueError:
            # A malformed line is skipped, not fatal: dumps are large and hand-edited slices
            # happen; the report counts them.
            skipped += 1
    return features, names, skipped


_Parsed = tuple[list[FeatureRow], list[NameRow], int]


def _chunks(lines: Iterable[str], size: int) -> Iterator[list[str]]:
    chunk: list[str] = []
    for line in lines:
        chunk.append(line)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


class _Writer:
    """Batched inserts into an index being built; big files parsed by a pool of processes.

    Computing the name keys is ~80% of an import's CPU time, so feature and alternate-name
    chunks go to ``workers`` processes while this one inserts. At most ``2 × workers`` chunks
    are in flight, so memory stays bounded however large the file.
    """

    def __init__(
        self, conn: sqlite3.Connection, report: ImportReport, classes: str, workers: int
    ) -> None:
        self.conn, self.report, self.classes, self.workers = conn, report, classes, workers
        self._pool: Any = None

    def close(self) -> None:
        if self._pool is not None:
            self._pool.close()
            self._pool.join()
            self._pool = None

    def write(self, parsed: _Parsed) -> None:
        features, names, skipped = parsed
        if features:
            self.conn.executemany(
                "INSERT OR REPLACE INTO features VALUES (?,?,?,?,?,?,?,?,?,?,?)", features
            )
        if names:
            self.conn.executemany("INSERT INTO names VALUES (?,?,?,?,?)", names)
        self.report.features += len(features)
        self.report.names += len(names)
        self.report.skipped_lines += skipped

    def add_admin_line(self, kind: str, line: str) -> None:
        if not line.strip() or line.startswith("#"):
            return
        fields = line.rstrip("\r\n").split("\t")
        if len(fields) < 4 or not fields[3].strip().isdigit():
            self.report.skipped_lines += 1
            return
        self.conn.execute(
            f"INSERT OR REPLACE INTO {kind} VALUES (?, ?, ?)",
            (fields[0], fields[1], int(fields[3])),
        )
        self.report.admin_codes += 1

    def _pool_for(self) -> Any:
        if self._pool is None:
            import multiprocessing

            self._pool = multiprocessing.get_context().Pool(self.workers)
        return self._pool

    def add_rows(self, kind: str, lines: Iterable[str]) -> None:
        chunks = _chunks(lines, BATCH_ROWS)
        first = next(chunks, None)
        if first is None:
            return
        # The first chunk here: a small file (a slice, one country) never starts a pool.
        self.write(_parse_chunk(kind, self.classes, first))
        if self.workers <= 1:
            for chunk in chunks:
                self.write(_parse_chunk(kind, self.classes, chunk))
            return
        pending: deque[Any] = deque()
        for chunk in chunks:
            task = self._pool_for().apply_async(_parse_chunk, (kind, self.classes, chunk))
            pending.append(task)
            while len(pending) >= 2 * self.workers:
                self.write(pending.popleft().get())
        while pending:
            self.write(pending.popleft().get())

    def add_stream(self, label: str, stream: IO[str], *, required: bool) -> None:
        kind, head = _first_line(stream)
        if not kind:
            if required:
                raise InputError(
                    f"{label} is not a GeoNames file sitrep reads (a dump such as SY.txt or "
                    "allCountries.txt, alternateNamesV2.txt, admin1CodesASCII.txt, admin2Codes.txt)"
                )
            log.info("skipping %s: not a GeoNames data file", label)
            return
        self.report.files.append(f"{label} ({kind})")
        lines = itertools.chain(head, stream)
        if kind in ("features", "alternates"):
            self.add_rows(kind, lines)
        else:
            for line in lines:
                self.add_admin_line(kind, line)


def import_geonames(
    paths: Sequence[str | Path],
    index: str | Path,
    *,
    classes: str = DEFAULT_CLASSES,
    progress: Callable[[str], None] | None = None,
    workers: int | None = None,
) -> ImportReport:
    """Build the SQLite index at ``index`` from GeoNames files (replacing any index there).

    Streams every file in batches (constant memory), writes a temporary file beside
    ``index`` and renames it into place at the end, so a reader never sees half an index.
    Lines of big files are parsed by ``workers`` processes while this one writes.

    Args:
        paths: GeoNames dumps (``allCountries.txt``, ``SY.txt``, ``.zip``),
            ``alternateNamesV2.txt``, ``admin1CodesASCII.txt``, ``admin2Codes.txt``; the kind
            of each file is read from its lines, not its name.
        index: the SQLite file to write.
        classes: GeoNames feature classes to keep (default "PAHTLS").
        progress: called with each file's label as it is read.
        workers: parsing processes (default: the CPUs, at most 8); 1 parses in this process.

    Raises:
        InputError: a file is missing or is not a GeoNames file.
    """
    started = time.perf_counter()
    target = Path(index)
    files = [Path(p) for p in paths]
    for path in files:
        if not path.is_file():
            raise InputError(
                f"{path} does not exist (download it with `sitrep gazetteer download`)"
            )
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f"{target.name}.{os.getpid()}.tmp")
    tmp.unlink(missing_ok=True)
    report = ImportReport(path=target)
    conn = sqlite3.connect(tmp)
    try:
        conn.executescript(
            "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA cache_size=-65536;" + _SCHEMA
        )
        count = workers if workers is not None else min(os.cpu_count() or 1, 8)
        writer = _Writer(conn, report, classes.upper(), max(1, count))
        try:
            for path in files:
                with _open_text(path) as streams:
                    for label, stream in streams:
                        if progress is not None:
                            progress(label)
                        writer.add_stream(label, stream, required=path.suffix.lower() != ".zip")
        finally:
            writer.close()
        conn.executescript(_INDEXES + _FINISH)
        conn.execute("INSERT INTO meta VALUES ('signature', ?)", (SIGNATURE,))
        conn.execute("INSERT INTO meta VALUES ('files', ?)", ("; ".join(report.files),))
        conn.commit()
    except BaseException:
        conn.close()
        tmp.unlink(missing_ok=True)
        raise
    conn.close()
    os.replace(tmp, target)
    report.seconds = time.perf_counter() - started
    report.bytes = target.stat().st_size
    return report


_SELECT = """
SELECT f.id, f.name, f.lat, f.lon, f.fclass, f.fcode, f.cc, f.population, n.light, n.label,
    a1.name, a2.name, a3.name
FROM names AS n JOIN features AS f ON f.id = n.id
LEFT JOIN admin1 AS a1 ON a1.code = f.cc || '.' || f.a1
LEFT JOIN admin2 AS a2 ON a2.code = f.cc || '.' || f.a1 || '.' || f.a2
LEFT JOIN admin3 AS a3 ON a3.code = f.cc || '.' || f.a1 || '.' || f.a2 || '.' || f.a3
WHERE n.key = ?
"""
# A very common name key ("alqarya", "the village") can match thousands of rows: the
# geocoder ranks far fewer.
MAX_ROWS = 2_000


class GeoNamesSqliteGazetteer:
    """Gazetteer over an index built by ``import_geonames`` (``sitrep gazetteer import``).

    Opens the file read-only; lookups are SQL queries on the name key, so memory stays at
    SQLite's page cache whatever the index size. Thread-safe (one lock per connection).

    Args:
        path: the index file.

    Raises:
        ConfigError: the file is missing, not an index, or of another format version.
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        if not self.path.is_file():
            raise ConfigError(
                f"GeoNames index {self.path} does not exist; build it with "
                "`sitrep gazetteer import FILE... --index PATH` (setting geocode.index)"
            )
        uri = f"{self.path.resolve().as_uri()}?mode=ro"
        try:
            self._conn = sqlite3.connect(uri, uri=True, check_same_thread=False)
            found = self._conn.execute("SELECT value FROM meta WHERE name = 'signature'").fetchone()
        except sqlite3.Error as e:
            raise ConfigError(
                f"{self.path} is not a sitrep GeoNames index ({e}); re-import it"
            ) from e
        if found is None or found[0] != SIGNATURE:
            self._conn.close()
            raise ConfigError(
                f"{self.path} was built by another sitrep version ({found[0] if found else None!r}"
                f", expected {SIGNATURE!r}); re-run `sitrep gazetteer import`"
            )
        self._lock = threading.Lock()
        self._countries: dict[str, Candidate] = {}
        self._other_names: dict[str, str] = {}
        for iso, geonameid, name, lat, lon, population in self._conn.execute(
            "SELECT iso, geonameid, name, lat, lon, population FROM countries"
        ):
            self._countries[iso] = country_candidate(
                iso, geonameid, name, lat, lon, population, source="geonames"
            )

    def close(self) -> None:
        """Close the database connection."""
        self._conn.close()

    def _country_name(self, iso: str) -> str:
        found = self._countries.get(iso)
        if found is not None:
            return found.name
        named = self._other_names.get(iso)
        if named is None:
            # Memoised: a common key can bring back thousands of rows of one country.
            import pycountry

            record = pycountry.countries.get(alpha_2=iso)
            named = str(getattr(record, "common_name", None) or record.name) if record else iso
            self._other_names[iso] = named
        return named

    def _query(self, name: str, country: str | None, where: str) -> list[Candidate]:
        light = light_key(name)
        if not light:
            return []
        sql = _SELECT + where
        args: tuple[str, ...] = (phonetic_key(light),)
        if country is not None:
            sql += " AND f.cc = ?"
            args += (country.upper(),)
        with self._lock:
            rows = self._conn.execute(sql + f" LIMIT {MAX_ROWS}", args).fetchall()
        return _best_per_feature(rows, light, self._country_name)

    def candidates(self, name: str, *, country: str | None = None) -> list[Candidate]:
        """Populated places (class P) matching ``name``: same spelling, preferred, population."""
        return self._query(name, country, " AND f.fclass = 'P'")

    def admin_areas(self, name: str, *, country: str | None = None) -> list[Candidate]:
        """ADM1 areas matching ``name`` or ``name`` without its feature word ("X province")."""
        found = self._query(name, country, " AND f.fcode = 'ADM1'")
        core = strip_feature_words(name)[0]
        if not found and core != name:
            found = self._query(core, country, " AND f.fcode = 'ADM1'")
        return found

    def features(self, name: str, *, country: str | None = None) -> list[Candidate]:
        """Lower admin areas, water, terrain, areas and spots matching ``name``."""
        codes = ", ".join(f"'{c}'" for c in sorted(COUNTRY_CODES | {"ADM1"}))
        return self._query(name, country, f" AND f.fclass != 'P' AND f.fcode NOT IN ({codes})")

    def country(self, name: str) -> Candidate | None:
        """The country whose main or English name is spelled ``name`` (light key, never sound)."""
        light = light_key(name)
        if not light:
            return None
        codes = ", ".join(f"'{c}'" for c in sorted(COUNTRY_CODES))
        with self._lock:
            row = self._conn.execute(
                f"SELECT f.cc FROM names AS n JOIN features AS f ON f.id = n.id WHERE n.key = ? "
                f"AND n.light = ? AND n.kind != {ALTERNATE} AND f.fcode IN ({codes}) "
                "ORDER BY f.population DESC LIMIT 1",
                (phonetic_key(light), light),
            ).fetchone()
        if row is None or row[0] not in self._countries:
            return None
        found = self._countries[row[0]]
        return Candidate(**{**_fields(found), "matched_name": name})

    def country_by_code(self, iso: str) -> Candidate | None:
        """The country with ISO 3166-1 alpha-2 code ``iso``, if the index holds it."""
        return self._countries.get(iso.upper())


def _fields(cand: Candidate) -> dict[str, Any]:
    return {name: getattr(cand, name) for name in Candidate.__dataclass_fields__}


def _best_per_feature(
    rows: Sequence[Sequence[Any]], light: str, country_name: Callable[[str], str]
) -> list[Candidate]:
    """One candidate per feature, reporting the label written like the query if any."""
    best: dict[int, tuple[tuple[bool, bool], Sequence[Any]]] = {}
    for row in rows:
        rank = (row[8] == light, row[9] == row[1])
        if row[0] not in best or rank > best[row[0]][0]:
            best[row[0]] = (rank, row)
    found = []
    for _, row in best.values():
        fcode = row[5]
        found.append(
            Candidate(
                geonameid=row[0],
                name=row[1],
                latitude=row[2],
                longitude=row[3],
                country_code=row[6],
                country=country_name(row[6]),
                # An admin area is inside itself: an ADM1 row reports its own name.
                admin1=row[1] if fcode == "ADM1" else row[10],
                admin2=row[11],
                admin3=row[12],
                feature_class=row[4],
                feature_code=fcode,
                population=row[7] or 0,
                matched_name=row[9],
                source="geonames",
            )
        )
    found.sort(
        key=lambda c: (light_key(c.matched_name) != light, not c.is_main_name, -c.population)
    )
    return found
