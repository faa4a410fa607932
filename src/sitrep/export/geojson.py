"""GeoJSON export: an RFC 7946 FeatureCollection of event points.

The collection carries an ``attribution`` foreign member (RFC 7946 §6.1): the generator, the
rule that events come from the pages they cite (each feature's ``properties.sources``), and
GeoNames' CC BY credit (docs/decisions/0015-data-rights.md).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any, TextIO

from sitrep.export.attribution import attribution
from sitrep.records import Event


def event_feature(event: Event) -> dict[str, Any]:
    """Return the GeoJSON Feature of an event: a [lon, lat] Point, or null geometry if unplaced."""
    geometry: dict[str, Any] | None = None
    if event.latitude is not None and event.longitude is not None:
        # RFC 7946 §3.1.1: longitude first.
        geometry = {"type": "Point", "coordinates": [event.longitude, event.latitude]}
    return {
        "type": "Feature",
        "id": event.event_id,
        "geometry": geometry,
        "properties": event.to_dict(),
    }


def to_feature_collection(events: Iterable[Event]) -> dict[str, Any]:
    """Return the FeatureCollection of ``events``, with its attribution."""
    return {
        "type": "FeatureCollection",
        "attribution": attribution(),
        "features": [event_feature(e) for e in events],
    }


def write_geojson(events: Iterable[Event], out: TextIO) -> int:
    """Write a FeatureCollection of ``events`` to ``out``; return how many features it holds."""
    collection = to_feature_collection(events)
    # allow_nan=False: NaN is not JSON, and RFC 7946 readers reject it.
    json.dump(collection, out, ensure_ascii=False, allow_nan=False)
    out.write("\n")
    return len(collection["features"])
