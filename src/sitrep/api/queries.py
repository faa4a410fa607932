"""Event filters, keyset cursors and aggregates over lists of events: shared by API and CLI.

The store's ``EventQuery`` covers dates, country, type, actor, modality and document; the
filters it lacks (admin1, exact event and sub-event type, bounding box, least confidence,
text search) are applied here, in Python, to what the store returns. They are plain
functions on events so that they can move into the stores (as SQL) without changing the
callers: docs/decisions/0008-desk.md.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import Generic, TypeVar

from sitrep.adapters.store.base import EventQuery, Store, fold, sort_key
from sitrep.errors import ConfigError
from sitrep.records import Event, Modality

MAX_LIMIT = 500
DEFAULT_LIMIT = 100
MAX_QUERY_CHARS = 200

# "all" asks for every modality; any other value must be one of Modality's.
ALL_MODALITIES = "all"


class InvalidParameter(ConfigError):
    """A query parameter is wrong; ``parameter`` names it (the API answers 400 with it)."""

    def __init__(self, parameter: str, message: str) -> None:
        super().__init__(f"{parameter}: {message}")
        self.parameter = parameter
        self.detail = message


@dataclass(frozen=True)
class BBox:
    """A longitude/latitude box, west-south-east-north (GeoJSON's bbox order)."""

    min_lon: float
    min_lat: float
    max_lon: float
    max_lat: float

    def contains(self, lon: float, lat: float) -> bool:
        """Return True when the point is inside (edges included); boxes may cross 180°."""
        if not self.min_lat <= lat <= self.max_lat:
            return False
        if self.min_lon <= self.max_lon:
            return self.min_lon <= lon <= self.max_lon
        # A box across the antimeridian: west edge east of the east edge (RFC 7946 §5.2).
        return lon >= self.min_lon or lon <= self.max_lon


@dataclass(frozen=True)
class EventFilter:
    """Every filter the desk offers; ``None`` (or empty) means "any".

    Args:
        event_types / sub_event_types: exact ACLED names, case-insensitive; any of them.
        country: a country name or ISO 3166-1 alpha-2 code, case-insensitive.
        admin1: a first-level region name, case-insensitive.
        actor: a case-insensitive substring of actor1, actor2 or an associated actor.
        modality: one of Modality's values; None for every modality.
        min_confidence: least ``confidence``, 0..1.
        bbox: only placed events inside this box (unplaced events never match it).
        q: case-insensitive text searched in notes and source sentences.
        document_id: only events a document reported.
    """

    since: date | None = None
    until: date | None = None
    country: str | None = None
    admin1: str | None = None
    event_types: tuple[str, ...] = ()
    sub_event_types: tuple[str, ...] = ()
    actor: str | None = None
    modality: str | None = Modality.OCCURRED.value
    min_confidence: float | None = None
    bbox: BBox | None = None
    q: str | None = None
    document_id: str | None = None

    def __post_init__(self) -> None:
        if self.since is not None and self.until is not None and self.since > self.until:
            raise InvalidParameter("since", f"{self.since} is after until ({self.until})")
        if self.min_confidence is not None and not 0.0 <= self.min_confidence <= 1.0:
            raise InvalidParameter(
                "min_confidence", f"must be between 0 and 1, not {self.min_confidence}"
            )
        if self.modality is not None and self.modality not in _MODALITIES:
            raise InvalidParameter(
                "modality",
                f"{self.modality!r} is not one of {', '.join(sorted(_MODALITIES))} or 'all'",
            )
        if self.q is not None and len(self.q) > MAX_QUERY_CHARS:
            raise InvalidParameter("q", f"at most {MAX_QUERY_CHARS} characters")

    def fingerprint(self) -> str:
        """Return a short hash of the filter, bound into cursors so they cannot cross queries."""
        payload = json.dumps(asdict(self), default=str, sort_keys=True)
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:12]


_MODALITIES = frozenset(m.value for m in Modality)


def parse_modality(text: str | None) -> str | None:
    """Return the modality a parameter names ("all" → None, meaning every one)."""
    if text is None:
        return Modality.OCCURRED.value
    value = text.strip().lower()
    if value == ALL_MODALITIES:
        return None
    if value not in _MODALITIES:
        raise InvalidParameter(
            "modality", f"{text!r} is not one of {', '.join(sorted(_MODALITIES))} or 'all'"
        )
    return value


def parse_bbox(text: str) -> BBox:
    """Parse "minlon,minlat,maxlon,maxlat" into a BBox.

    Raises:
        InvalidParameter: not four numbers, or out of the WGS 84 ranges, or south above north.
    """
    parts = text.split(",")
    if len(parts) != 4:
        raise InvalidParameter("bbox", f"expected minlon,minlat,maxlon,maxlat, not {text!r}")
    try:
        min_lon, min_lat, max_lon, max_lat = (float(p) for p in parts)
    except ValueError:
        raise InvalidParameter("bbox", f"expected four numbers, not {text!r}") from None
    values = (min_lon, min_lat, max_lon, max_lat)
    if any(v != v or v in (float("inf"), float("-inf")) for v in values):
        raise InvalidParameter("bbox", "coordinates must be finite numbers")
    if not (-180 <= min_lon <= 180 and -180 <= max_lon <= 180):
        raise InvalidParameter("bbox", "longitudes must be between -180 and 180")
    if not (-90 <= min_lat <= 90 and -90 <= max_lat <= 90):
        raise InvalidParameter("bbox", "latitudes must be between -90 and 90")
    if min_lat > max_lat:
        raise InvalidParameter("bbox", f"minlat {min_lat} is above maxlat {max_lat}")
    return BBox(min_lon, min_lat, max_lon, max_lat)


def store_query(event_filter: EventFilter) -> EventQuery:
    """Return the part of a filter the store evaluates itself (the rest: ``matches_filter``)."""
    f = event_filter
    # The store's event_type matches a type or a sub-type; narrowing by it is only safe
    # when exactly one name is asked for (matches_filter then checks which field matched).
    only_type = f.event_types[0] if len(f.event_types) == 1 else None
    return EventQuery(
        since=f.since,
        until=f.until,
        country=f.country,
        event_type=only_type,
        actor=f.actor,
        modality=f.modality,
        document_id=f.document_id,
    )


def matches_filter(event: Event, event_filter: EventFilter) -> bool:
    """Return True when ``event`` passes the filters the store does not evaluate."""
    f = event_filter
    if f.event_types and fold(event.event_type) not in {fold(t) for t in f.event_types}:
        return False
    if f.sub_event_types and fold(event.sub_event_type) not in {fold(t) for t in f.sub_event_types}:
        return False
    if f.admin1 is not None and fold(event.admin1) != fold(f.admin1):
        return False
    if f.min_confidence is not None and event.confidence < f.min_confidence:
        return False
    if f.bbox is not None and (
        event.latitude is None
        or event.longitude is None
        or not f.bbox.contains(event.longitude, event.latitude)
    ):
        return False
    if f.q is not None and f.q.strip():
        needle = f.q.strip().casefold()
        texts = [event.notes or "", *(s.sentence for s in event.sources)]
        if not any(needle in t.casefold() for t in texts):
            return False
    return True


def find_events(store: Store, event_filter: EventFilter) -> list[Event]:
    """Return every event matching ``event_filter``, newest first (undated last), then by id."""
    return [e for e in store.events(store_query(event_filter)) if matches_filter(e, event_filter)]


# -- cursors ------------------------------------------------------------------------------------

T = TypeVar("T")
SortKey = tuple[bool | int | float | str, ...]


@dataclass(frozen=True)
class Paged(Generic[T]):
    """One page of a keyset-paginated result."""

    items: list[T]
    total: int
    next_cursor: str | None


def encode_cursor(key: SortKey, *, fingerprint: str) -> str:
    """Return the opaque cursor that resumes after the row whose sort key is ``key``."""
    raw = json.dumps({"k": list(key), "f": fingerprint}, separators=(",", ":")).encode("utf-8")
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def decode_cursor(cursor: str, *, fingerprint: str, like: SortKey | None = None) -> SortKey:
    """Return the sort key a cursor resumes after.

    Args:
        like: a key of the rows being paged, whose field types the cursor's must have
            (None when there are no rows to compare with).

    Raises:
        InvalidParameter: the cursor is malformed, or was issued for other filters.
    """
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        payload = json.loads(raw)
        key = tuple(payload["k"])
        issued_for = payload["f"]
    except (binascii.Error, ValueError, KeyError, TypeError, UnicodeDecodeError):
        raise InvalidParameter(
            "cursor", "not a cursor this API issued; start again without it"
        ) from None
    if like is not None and (
        len(key) != len(like) or any(type(a) is not type(b) for a, b in zip(key, like, strict=True))
    ):
        raise InvalidParameter("cursor", "not a cursor this API issued; start again without it")
    if issued_for != fingerprint:
        raise InvalidParameter("cursor", "was issued for other filters; start again without it")
    return key


def paginate(
    rows: Sequence[T],
    *,
    key: Callable[[T], SortKey],
    limit: int,
    cursor: str | None,
    fingerprint: str,
) -> Paged[T]:
    """Return the page of ``rows`` (sorted by ``key``) that follows ``cursor``.

    A keyset cursor (the last row's sort key), not an offset: rows stored while a client
    pages never shift the pages it has not read yet.
    """
    if not 1 <= limit <= MAX_LIMIT:
        raise InvalidParameter("limit", f"must be between 1 and {MAX_LIMIT}, not {limit}")
    ordered = sorted(rows, key=key)
    if cursor is not None:
        like = key(ordered[0]) if ordered else None
        after = decode_cursor(cursor, fingerprint=fingerprint, like=like)
        ordered = [r for r in ordered if key(r) > after]
    items = ordered[:limit]
    more = len(ordered) > limit
    next_cursor = encode_cursor(key(items[-1]), fingerprint=fingerprint) if more else None
    return Paged(items=items, total=len(rows), next_cursor=next_cursor)


def page_events(
    events: Sequence[Event], *, limit: int, cursor: str | None, fingerprint: str
) -> Paged[Event]:
    """Return a page of events, newest first (undated last), then by event_id."""
    return paginate(events, key=sort_key, limit=limit, cursor=cursor, fingerprint=fingerprint)


# -- aggregates --------------------------------------------------------------------------------


class GroupBy(StrEnum):
    """What ``aggregate_events`` groups by."""

    DAY = "day"
    WEEK = "week"
    EVENT_TYPE = "event_type"
    ADMIN1 = "admin1"


@dataclass(frozen=True)
class Bucket:
    """One group: its key (None for events without one), events and known fatalities.

    Args:
        fatalities: the sum over events whose count is known (unknown counts add nothing).
        fatalities_unknown: how many events of the group have no known count.
    """

    key: str | None
    events: int
    fatalities: int
    fatalities_unknown: int


def group_key(event: Event, by: GroupBy) -> str | None:
    """Return the group of ``event``: ISO day, ISO week's Monday, type or admin1."""
    if by is GroupBy.DAY:
        return event.event_date.isoformat() if event.event_date is not None else None
    if by is GroupBy.WEEK:
        if event.event_date is None:
            return None
        monday = event.event_date - timedelta(days=event.event_date.weekday())
        return monday.isoformat()
    if by is GroupBy.EVENT_TYPE:
        return event.event_type
    return event.admin1


def aggregate_events(events: Iterable[Event], *, by: GroupBy) -> list[Bucket]:
    """Count events and fatalities per group.

    Days and weeks come in date order, types and regions by count (most first) then name;
    the group of events without a key (undated, no admin1) comes last.
    """
    counts: Counter[str | None] = Counter()
    deaths: Counter[str | None] = Counter()
    unknown: Counter[str | None] = Counter()
    for event in events:
        key = group_key(event, by)
        counts[key] += 1
        if event.fatalities is None:
            unknown[key] += 1
        else:
            deaths[key] += event.fatalities
    keys = [k for k in counts if k is not None]
    if by in (GroupBy.DAY, GroupBy.WEEK):
        keys.sort()
    else:
        keys.sort(key=lambda k: (-counts[k], k))
    ordered: list[str | None] = [*keys, *([None] if None in counts else [])]
    return [
        Bucket(key=k, events=counts[k], fatalities=deaths[k], fatalities_unknown=unknown[k])
        for k in ordered
    ]
