"""CSV export with ACLED's column names and order, then sitrep's own columns.

The first columns are ACLED's export columns in ACLED's order (codebook, 2023 columns), so a
file can go where ACLED data goes; a column sitrep cannot fill (region, source_scale, tags,
timestamp) is left empty, never guessed. ``iso`` is ACLED's numeric ISO 3166 code (sitrep's
records carry alpha-2). Dates are ISO 8601. Missing values are empty cells.

Multi-valued cells: ``source_urls`` joins a sitrep event's source URLs with a space (URLs
contain none) and ``source_sentences`` joins its sentences with a newline (a quoted cell
may hold one, RFC 4180).
"""

from __future__ import annotations

import csv
import functools
from collections.abc import Iterable
from typing import TextIO

import pycountry

from sitrep.errors import ConfigError
from sitrep.records import Event

ACLED_COLUMNS: tuple[str, ...] = (
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "disorder_type",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "inter1",
    "actor2",
    "assoc_actor_2",
    "inter2",
    "interaction",
    "civilian_targeting",
    "iso",
    "region",
    "country",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "source_scale",
    "notes",
    "fatalities",
    "tags",
    "timestamp",
)

SITREP_COLUMNS: tuple[str, ...] = (
    "plover_type",
    "cameo_code",
    "modality",
    "confidence",
    "date_resolved_from",
    "year_from_reference",
    "geo_reason",
    "source_urls",
    "source_sentences",
)

COLUMNS: tuple[str, ...] = ACLED_COLUMNS + SITREP_COLUMNS

Cell = str | int | float | None

# ACLED's value of civilian_targeting; the column is empty otherwise.
_CIVILIAN_TARGETING = "Civilian targeting"
_CIVILIANS_INTER = 7  # ACLED inter code of civilians
# Leading characters that make spreadsheet programs evaluate a cell (OWASP "CSV injection").
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def event_row(event: Event) -> dict[str, Cell]:
    """Return the CSV cells of an event, keyed by COLUMNS."""
    e = event
    row: dict[str, Cell] = {
        "event_id_cnty": e.event_id,
        "event_date": e.event_date.isoformat() if e.event_date is not None else None,
        "year": e.event_date.year if e.event_date is not None else None,
        "time_precision": e.time_precision,
        "disorder_type": disorder_type(e.event_type, e.sub_event_type),
        "event_type": e.event_type,
        "sub_event_type": e.sub_event_type,
        "actor1": e.actor1,
        "assoc_actor_1": e.assoc_actor_1,
        "inter1": e.inter1,
        "actor2": e.actor2,
        "assoc_actor_2": e.assoc_actor_2,
        "inter2": e.inter2,
        "interaction": e.interaction,
        "civilian_targeting": _CIVILIAN_TARGETING if targets_civilians(e) else None,
        "iso": iso_numeric(e.iso),
        "region": None,
        "country": e.country,
        "admin1": e.admin1,
        "admin2": e.admin2,
        "admin3": e.admin3,
        "location": e.location,
        "latitude": e.latitude,
        "longitude": e.longitude,
        "geo_precision": e.geo_precision,
        "source": e.source,
        "source_scale": None,
        "notes": e.notes,
        "fatalities": e.fatalities,
        "tags": None,
        "timestamp": None,
        "plover_type": e.plover_type,
        "cameo_code": e.cameo_code,
        "modality": e.modality.value,
        "confidence": e.confidence,
        "date_resolved_from": (
            e.date_resolved_from.isoformat() if e.date_resolved_from is not None else None
        ),
        "year_from_reference": "true" if e.year_from_reference else "false",
        "geo_reason": e.geo_reason.value if e.geo_reason is not None else None,
        "source_urls": " ".join(_unique(s.url for s in e.sources if s.url)) or None,
        "source_sentences": "\n".join(_unique(s.sentence for s in e.sources)) or None,
    }
    return row


def write_csv(events: Iterable[Event], out: TextIO, *, spreadsheet_safe: bool = False) -> int:
    """Write a header and one row per event to ``out``; return how many rows were written.

    Args:
        out: a text stream opened with ``newline=""`` (the csv module writes CRLF itself).
        spreadsheet_safe: prefix text cells that a spreadsheet would run as a formula
            ("=", "+", "-", "@") with an apostrophe. Off by default: it changes the data.
    """
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    n = 0
    for event in events:
        row = event_row(event)
        writer.writerow([_cell(row[c], spreadsheet_safe=spreadsheet_safe) for c in COLUMNS])
        n += 1
    return n


def disorder_type(event_type: str, sub_event_type: str) -> str | None:
    """Return ACLED's disorder type of an event type, or None when it is not ACLED's."""
    try:
        # Imported here so that exports work in a tree where the taxonomy is absent or broken.
        from sitrep import taxonomy
    except ImportError:
        return None
    try:
        return taxonomy.disorder_type(event_type, sub_event_type)
    except ConfigError:
        return None


def targets_civilians(event: Event) -> bool:
    """Return True when civilians are the target, as ACLED's civilian_targeting means it."""
    if event.event_type == "Violence against civilians":
        return True
    return event.event_type == "Explosions/Remote violence" and _CIVILIANS_INTER in (
        event.inter1,
        event.inter2,
    )


@functools.lru_cache(maxsize=512)
def iso_numeric(alpha_2: str | None) -> int | None:
    """Return the numeric ISO 3166-1 code of an alpha-2 code (ACLED's ``iso``), or None."""
    if not alpha_2:
        return None
    country = pycountry.countries.get(alpha_2=alpha_2)
    return int(country.numeric) if country is not None else None


def _cell(value: Cell, *, spreadsheet_safe: bool) -> Cell:
    if spreadsheet_safe and isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _unique(values: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(values))
