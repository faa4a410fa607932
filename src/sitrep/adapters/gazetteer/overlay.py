"""A team's own places (camps, checkpoints, fronts, river banks) from a CSV or JSON file.

The overlay is searched before any gazetteer (``LayeredGazetteer``): what a team knows about
its area beats GeoNames. Each entry carries the ACLED precision to assign, so "the eastern
bank of the Euphrates" drawn as a box is a precision-3 area, a checkpoint a precision-1 point.
The format is documented in docs/geocoding.md; tests/data/geonames/overlay.csv is an example.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from sitrep.adapters.gazetteer.base import Candidate
from sitrep.errors import ConfigError
from sitrep.placenames import light_key, normalize_name

# The feature type an entry names → GeoNames' feature class, so that explanations and the
# geocoder treat a camp like a spot and a river like water.
FEATURE_CLASSES: Mapping[str, str] = {
    **dict.fromkeys(("village", "town", "city", "neighbourhood", "neighborhood", "quarter"), "P"),
    **dict.fromkeys(("river", "canal", "stream", "lake", "wadi", "bank"), "H"),
    **dict.fromkeys(("mountain", "hill", "valley", "plain", "desert", "island"), "T"),
    **dict.fromkeys(
        ("camp", "checkpoint", "base", "airbase", "airport", "crossing", "bridge", "dam", "port"),
        "S",
    ),
}
AREA_CLASS = "L"  # fronts, zones, districts a team draws: any type not listed above


@dataclass(frozen=True)
class OverlayEntry:
    """One place or area of an overlay file, as read (before it becomes Candidates)."""

    name: str
    country: str
    latitude: float
    longitude: float
    precision: int
    feature: str
    aliases: tuple[str, ...] = ()
    admin1: str | None = None
    admin2: str | None = None
    radius_km: float | None = None


def _without_the(text: str) -> str:
    text = " ".join(text.split())
    return text[4:] if text[:4].casefold() == "the " else text


def _floats(value: Any, where: str, what: str) -> list[float]:
    if isinstance(value, str):
        value = [v for v in value.replace(";", ",").replace(" ", ",").split(",") if v]
    if not isinstance(value, list):
        raise ConfigError(f"{where}: {what} must be a list of numbers")
    try:
        return [float(v) for v in value]
    except (TypeError, ValueError) as e:
        raise ConfigError(f"{where}: {what} must be numbers ({e})") from e


def _polygon(value: Any, where: str) -> list[tuple[float, float]]:
    """[[lon, lat], ...] (JSON) or "lon lat; lon lat; ..." (CSV) → vertices."""
    if isinstance(value, str):
        pairs: list[Any] = [p.split() for p in value.split(";") if p.strip()]
    else:
        pairs = value if isinstance(value, list) else []
    points = [tuple(_floats(list(p), where, "polygon vertex")) for p in pairs]
    if len(points) < 3 or any(len(p) != 2 for p in points):
        raise ConfigError(f"{where}: polygon needs at least 3 [lon, lat] vertices")
    return [(p[0], p[1]) for p in points]


def _centroid(points: Sequence[tuple[float, float]]) -> tuple[float, float]:
    """The area centroid (lat, lon) of a small polygon (shoelace; vertex mean if degenerate)."""
    area = cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(points, [*points[1:], points[0]], strict=True):
        cross = x0 * y1 - x1 * y0
        area += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    if abs(area) < 1e-12:
        return (sum(p[1] for p in points) / len(points), sum(p[0] for p in points) / len(points))
    return (cy / (3 * area), cx / (3 * area))


def _text(record: Mapping[str, Any], key: str) -> str | None:
    value = record.get(key)
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def parse_entry(record: Mapping[str, Any], where: str) -> OverlayEntry:
    """Validate one overlay record (a JSON object or a CSV row) into an entry.

    Raises:
        ConfigError: a required field is missing or a value is invalid; the message names
            the file and record.
    """
    name = _text(record, "name")
    country = _text(record, "country")
    if name is None:
        raise ConfigError(f"{where}: 'name' is required")
    if country is None or len(country) != 2 or not country.isalpha():
        raise ConfigError(f"{where}: 'country' must be an ISO 3166-1 alpha-2 code such as SY")
    aliases_value = record.get("aliases") or ()
    if isinstance(aliases_value, str):
        aliases_value = aliases_value.split("|")
    aliases = tuple(a.strip() for a in aliases_value if str(a).strip())
    lat, lon = _text(record, "latitude"), _text(record, "longitude")
    bbox, polygon = record.get("bbox"), record.get("polygon")
    radius = _text(record, "radius_km")
    area = bool(bbox or polygon or radius)
    if bbox:
        west, south, east, north = _floats(bbox, where, "bbox (west, south, east, north)")
        latitude, longitude = (south + north) / 2, (west + east) / 2
    elif polygon:
        latitude, longitude = _centroid(_polygon(polygon, where))
    elif lat is not None and lon is not None:
        latitude, longitude = _floats([lat, lon], where, "latitude/longitude")
    else:
        raise ConfigError(f"{where}: give latitude and longitude, a bbox or a polygon")
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        raise ConfigError(f"{where}: coordinates {latitude}, {longitude} are out of range")
    precision_text = _text(record, "precision")
    precision = int(precision_text) if precision_text and precision_text.isdigit() else None
    if precision_text is not None and precision not in (1, 2, 3):
        raise ConfigError(f"{where}: precision must be 1, 2 or 3, not {precision_text!r}")
    radius_km = _floats([radius], where, "radius_km")[0] if radius is not None else None
    return OverlayEntry(
        name=name,
        country=country.upper(),
        latitude=round(latitude, 6),
        longitude=round(longitude, 6),
        # A drawn area is "part of a region" unless the team says otherwise.
        precision=precision if precision is not None else (2 if area else 1),
        feature=(_text(record, "feature") or ("area" if area else "place")).casefold(),
        aliases=aliases,
        admin1=_text(record, "admin1"),
        admin2=_text(record, "admin2"),
        radius_km=radius_km,
    )


def read_overlay(path: str | Path) -> list[OverlayEntry]:
    """Read an overlay file: CSV with a header row, or JSON (a list, or {"places": [...]}).

    Raises:
        ConfigError: the file is missing, unreadable, or an entry is invalid.
    """
    source = Path(path)
    try:
        text = source.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as e:
        raise ConfigError(f"overlay file {source} cannot be read ({e}); see geocode.overlay") from e
    if source.suffix.lower() == ".json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as e:
            raise ConfigError(f"overlay file {source} is not valid JSON: {e}") from e
        records = data.get("places") if isinstance(data, dict) else data
        if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
            raise ConfigError(
                f"overlay file {source}: expected a list of objects or {{'places': [...]}}"
            )
        return [parse_entry(r, f"{source} entry {i + 1}") for i, r in enumerate(records)]
    rows = csv.DictReader(text.splitlines())
    if rows.fieldnames is None or "name" not in rows.fieldnames:
        raise ConfigError(
            f"overlay file {source}: a CSV header with at least name, country is needed"
        )
    return [parse_entry(row, f"{source} line {i + 2}") for i, row in enumerate(rows)]


def _feature_class(feature: str) -> str:
    return FEATURE_CLASSES.get(feature, AREA_CLASS)


def _candidate(entry: OverlayEntry, label: str) -> Candidate:
    import pycountry

    record = pycountry.countries.get(alpha_2=entry.country)
    country = str(getattr(record, "common_name", None) or record.name) if record else entry.country
    return Candidate(
        geonameid=None,
        name=entry.name,
        latitude=entry.latitude,
        longitude=entry.longitude,
        country_code=entry.country,
        country=country,
        admin1=entry.admin1,
        admin2=entry.admin2,
        feature_class=_feature_class(entry.feature),
        feature_code=entry.feature,
        population=0,
        matched_name=label,
        precision=entry.precision,
        source="overlay",
    )


class OverlayGazetteer:
    """Gazetteer over a team's overlay entries: places (class P) and features (the rest).

    Args:
        entries: the entries (``read_overlay``), or use ``OverlayGazetteer.from_file``.
    """

    def __init__(self, entries: Sequence[OverlayEntry]) -> None:
        self.entries = tuple(entries)
        self._index: dict[str, list[Candidate]] = {}
        for entry in self.entries:
            base = _candidate(entry, entry.name)
            for label in dict.fromkeys((entry.name, *entry.aliases)):
                key = normalize_name(_without_the(label))
                if key:
                    self._index.setdefault(key, []).append(replace(base, matched_name=label))

    @classmethod
    def from_file(cls, path: str | Path) -> OverlayGazetteer:
        """Read ``path`` (CSV or JSON) into an overlay gazetteer."""
        return cls(read_overlay(path))

    def _lookup(self, name: str, country: str | None) -> list[Candidate]:
        probe = _without_the(name)
        light = light_key(probe)
        found: dict[int, Candidate] = {}
        for cand in self._index.get(normalize_name(probe), []):
            if country is not None and cand.country_code != country.upper():
                continue
            ident = hash((cand.name, cand.latitude, cand.longitude))
            written = light_key(_without_the(cand.matched_name)) == light
            if ident not in found or written:
                found[ident] = cand
        return sorted(
            found.values(), key=lambda c: light_key(_without_the(c.matched_name)) != light
        )

    def candidates(self, name: str, *, country: str | None = None) -> list[Candidate]:
        """Overlay places of class P (villages, quarters) matching ``name``."""
        return [c for c in self._lookup(name, country) if c.feature_class == "P"]

    def admin_areas(self, name: str, *, country: str | None = None) -> list[Candidate]:
        """None: an overlay does not redefine first-level areas."""
        return []

    def features(self, name: str, *, country: str | None = None) -> list[Candidate]:
        """Overlay camps, checkpoints, fronts, banks and other areas matching ``name``."""
        return [c for c in self._lookup(name, country) if c.feature_class != "P"]

    def country(self, name: str) -> Candidate | None:
        """None: countries come from the gazetteers."""
        return None

    def country_by_code(self, iso: str) -> Candidate | None:
        """None: countries come from the gazetteers."""
        return None
