"""Event filters, keyset cursors and aggregates: the desk's queries, shared by API and CLI.

Every filter, the cursor and the aggregates are evaluated by the store (SQL on SQLite and
PostgreSQL): this module parses and checks parameters, turns an ``EventFilter`` into the
store's ``EventQuery``, and encodes cursors (docs/decisions/0014-query-pushdown.md).
``matches_filter``, ``paginate`` and ``aggregate_events`` keep the same rules for lists
already in memory.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, replace
from datetime import date
from typing import Generic, TypeVar

# BBox, Bucket, GroupBy and group_key moved to the store (it evaluates them now); they are
# re-exported here for the callers that import them from this module.
from sitrep.adapters.store.base import BBox as BBox
from sitrep.adapters.store.base import Bucket as Bucket
from sitrep.adapters.store.base import EventQuery, Store, bucket_events, matches_more, sort_key
from sitrep.adapters.store.base import GroupBy as GroupBy
from sitrep.adapters.store.base import group_key as group_key
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
    """Return the store query of a filter: every filter is the store's to evaluate."""
    f = event_filter
    return EventQuery(
        since=f.since,
        until=f.until,
        country=f.country,
        actor=f.actor,
        modality=f.modality,
        document_id=f.document_id,
        admin1=f.admin1,
        event_types=f.event_types,
        sub_event_types=f.sub_event_types,
        min_confidence=f.min_confidence,
        bbox=f.bbox,
        q=f.q,
    )


def matches_filter(event: Event, event_filter: EventFilter) -> bool:
    """Return True when ``event`` passes the desk's own filters (the store's rules, in Python)."""
    return matches_more(event, store_query(event_filter))


def find_events(store: Store, event_filter: EventFilter) -> list[Event]:
    """Return every event matching ``event_filter``, newest first (undated last), then by id."""
    return store.events(store_query(event_filter))


def find_page(
    store: Store, event_filter: EventFilter, *, limit: int, cursor: str | None
) -> Paged[Event]:
    """Return the page of matching events that follows ``cursor``, counted and keyset-paged
    by the store (no offset: deep pages cost what the first does)."""
    if not 1 <= limit <= MAX_LIMIT:
        raise InvalidParameter("limit", f"must be between 1 and {MAX_LIMIT}, not {limit}")
    fingerprint = event_filter.fingerprint()
    query = store_query(event_filter)
    after = None
    if cursor is not None:
        after = after_of(decode_cursor(cursor, fingerprint=fingerprint, like=_EVENT_KEY))
    # One row more than the page: its presence says whether there is a next page.
    rows = store.events(replace(query, after=after, limit=limit + 1))
    items = rows[:limit]
    more = len(rows) > limit
    next_cursor = encode_cursor(sort_key(items[-1]), fingerprint=fingerprint) if more else None
    return Paged(items=items, total=store.count_events(query), next_cursor=next_cursor)


def find_buckets(store: Store, event_filter: EventFilter, *, by: GroupBy) -> list[Bucket]:
    """Return the store's aggregate of the matching events (grouped in SQL)."""
    return store.aggregate_events(store_query(event_filter), by=by)


# The types of an event's sort key (base.sort_key): what an events cursor must hold.
_EVENT_KEY = (False, 0, "")


def after_of(key: SortKey) -> tuple[date | None, str]:
    """Return the (event_date, event_id) a decoded events cursor resumes after.

    Raises:
        InvalidParameter: the key names no possible date.
    """
    undated, negative_ordinal, event_id = key
    if undated:
        return (None, str(event_id))
    try:
        return (date.fromordinal(-int(negative_ordinal)), str(event_id))
    except (ValueError, OverflowError):
        raise InvalidParameter(
            "cursor", "not a cursor this API issued; start again without it"
        ) from None


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


def aggregate_events(events: Iterable[Event], *, by: GroupBy) -> list[Bucket]:
    """Count events and fatalities per group (``Store.aggregate_events``' rules, in Python).

    Days and weeks come in date order, types and regions by count (most first) then name;
    the group of events without a key (undated, no admin1) comes last.
    """
    return bucket_events(events, by=by)
