"""Fusion: reports of the same event from different pages become one event with every source.

Pure functions over Events (no store, no I/O); sitrep.fuse_store runs them against a store.
The rules, and why, are in docs/decisions/0011-fusion.md. In short:

- two reports are *compatible* when they have the same modality, the same event type and
  compatible sub-types, overlapping date intervals (from time_precision), places within a
  distance set by the coarser geo precision (1: 10 km, 2: 25 km, 3: same admin1), no two
  different known actors, and come from different documents (or repeat each other exactly);
- clusters are built greedily in a canonical order, a report joining the first cluster all of
  whose members it is compatible with (complete linkage): the result depends on the set of
  reports only, never on the order they arrived in;
- each cluster of two or more reports gets a reconciled row (``reconcile``) whose id is a
  content hash of its earliest report, and the union of the sources of all of them.
"""

from __future__ import annotations

import calendar
import math
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from sitrep.records import Event, Source, hash_id

# Sub-types that different outlets use for the same happening (docs/decisions/0011-fusion.md).
# Within each group, later names are the more specific reading (they add a detail: an
# intervention, a suicide bomber): a tie in reconciliation goes to the later one.
COMPATIBLE_SUB_TYPES: tuple[tuple[str, ...], ...] = (
    ("Armed clash", "Government regains territory"),
    ("Armed clash", "Non-state actor overtakes territory"),
    ("Shelling/artillery/missile attack", "Air/drone strike"),
    ("Remote explosive/landmine/IED", "Suicide bomb"),
    ("Grenade", "Remote explosive/landmine/IED"),
    ("Peaceful protest", "Protest with intervention", "Excessive force against protesters"),
    ("Violent demonstration", "Mob violence"),
)

# Confidence never reaches certainty, however many outlets agree.
CONFIDENCE_CAP = 0.99

# The widest date interval a report can have (a month): candidate searches pad by it.
MAX_DATE_SPREAD_DAYS = 31


@dataclass(frozen=True)
class FusionRules:
    """The thresholds of fusion.

    Args:
        distance_km: (geo_precision, greatest distance in km) for precisions placed by
            coordinates; coarser precisions (3) compare admin1 instead.
        day_slack: days either side of a day-precision date (0: the same day only).
        week_days: half-width in days of a week-precision date's interval.
        compatible_sub_types: groups of sub-types that may describe the same event.
        confidence_cap: the highest confidence corroboration can give.
    """

    distance_km: tuple[tuple[int, float], ...] = ((1, 10.0), (2, 25.0))
    day_slack: int = 0
    week_days: int = 3
    compatible_sub_types: tuple[tuple[str, ...], ...] = COMPATIBLE_SUB_TYPES
    confidence_cap: float = CONFIDENCE_CAP

    def max_distance_km(self) -> float:
        """Return the largest distance any precision allows (the candidate search radius)."""
        return max((km for _, km in self.distance_km), default=0.0)


DEFAULT_RULES = FusionRules()


@dataclass(frozen=True)
class FusedEvent:
    """One cluster of reports and its reconciled row.

    Args:
        cluster_id: content hash of the earliest report; equals ``event.event_id``.
        event: the reconciled row, with the union of its members' sources.
        members: the event ids of the reports, in the canonical order.
    """

    cluster_id: str
    event: Event
    members: tuple[str, ...] = field(default=())


@dataclass(frozen=True)
class SearchWindow:
    """Where a report's compatible reports can be: the candidate query a store answers.

    Args:
        bbox: (min_lon, min_lat, max_lon, max_lat) around a placed report; None when the
            report is placed only by region (any coordinates in its country qualify).
    """

    event_type: str
    iso: str
    since: date
    until: date
    bbox: tuple[float, float, float, float] | None


# -- compatibility ------------------------------------------------------------------------------


def date_interval(event: Event, *, rules: FusionRules = DEFAULT_RULES) -> tuple[date, date] | None:
    """Return the days an event's date may stand for, by its time precision; None if undated."""
    d = event.event_date
    if d is None:
        return None
    precision = event.time_precision or 1
    if precision <= 1:
        slack = timedelta(days=rules.day_slack)
        return d - slack, d + slack
    if precision == 2:
        half = timedelta(days=rules.week_days)
        return d - half, d + half
    last = calendar.monthrange(d.year, d.month)[1]
    return d.replace(day=1), d.replace(day=last)


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km (haversine, mean Earth radius)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(a)))


def sub_types_compatible(a: str, b: str, *, rules: FusionRules = DEFAULT_RULES) -> bool:
    """Return True when two sub-event types may describe the same event."""
    return a == b or any(a in group and b in group for group in rules.compatible_sub_types)


def places_compatible(a: Event, b: Event, *, rules: FusionRules = DEFAULT_RULES) -> bool:
    """Return True when two reports' places are close enough for their geo precisions."""
    if a.iso is None or b.iso is None or a.iso != b.iso:
        return False
    limits = dict(rules.distance_km)
    coarser = max(a.geo_precision or 3, b.geo_precision or 3)
    placed = None not in (a.latitude, a.longitude, b.latitude, b.longitude)
    if coarser in limits and placed:
        assert a.latitude is not None and a.longitude is not None  # for mypy: checked above
        assert b.latitude is not None and b.longitude is not None
        return distance_km(a.latitude, a.longitude, b.latitude, b.longitude) <= limits[coarser]
    # A region-level report (or one without coordinates) matches within its admin1 only;
    # a country-level report (no admin1) is too vague to merge with anything.
    return (
        a.admin1 is not None
        and b.admin1 is not None
        and a.admin1.casefold() == (b.admin1.casefold())
    )


def _known(name: str | None, inter: int | None) -> str | None:
    # Only dictionary actors (they carry an inter code) can contradict each other: free-text
    # names ("gunmen", "attackers") are descriptions, not identities, and neither is ACLED's
    # "Unidentified Armed Group (X)": one outlet's unnamed attackers may be another's Al
    # Shabaab.
    if name is None or inter is None or name.casefold().startswith("unidentified"):
        return None
    return name.casefold()


def _same_or_missing(x: str | None, y: str | None) -> bool:
    return x is None or y is None or x == y


def actors_compatible(a: Event, b: Event) -> bool:
    """Return True unless the reports name different known actors (in either role order)."""
    a1, a2 = _known(a.actor1, a.inter1), _known(a.actor2, a.inter2)
    b1, b2 = _known(b.actor1, b.inter1), _known(b.actor2, b.inter2)
    straight = _same_or_missing(a1, b1) and _same_or_missing(a2, b2)
    # Who is actor 1 of a clash is the writer's choice: "A clashed with B" = "B fought A".
    # A swap needs one actor seen on both sides; else "SDF moved" and "the coalition moved"
    # (actor 2 missing in both) would pass as a swap of two different initiators.
    swapped = (
        _same_or_missing(a1, b2)
        and _same_or_missing(a2, b1)
        and ((a1 is not None and a1 == b2) or (a2 is not None and a2 == b1))
    )
    return straight or swapped


def document_of(event: Event) -> str | None:
    """Return the document that reported ``event`` (its first source's), None if unsourced."""
    return event.sources[0].document_id if event.sources else None


def _repeats(a: Event, b: Event) -> bool:
    """Two reports of one page that tell the same fact twice (a headline and its lead).

    Same day and precision, same named place and precision, and counts that do not differ:
    ACLED codes one event per type, location and day, so a page's two sentences about the
    same type of event in the same place on the same day are one event. Sub-types and actors
    are checked by ``compatible`` as for any pair.
    """
    return (
        a.event_date == b.event_date
        and a.time_precision == b.time_precision
        and a.location is not None
        and a.location == b.location
        and a.geo_precision == b.geo_precision
        and (a.fatalities is None or b.fatalities is None or a.fatalities == b.fatalities)
    )


def compatible(a: Event, b: Event, *, rules: FusionRules = DEFAULT_RULES) -> bool:
    """Return True when reports ``a`` and ``b`` may be the same event (a symmetric relation)."""
    if a.event_id == b.event_id:
        return True
    if a.modality != b.modality or a.event_type != b.event_type:
        return False
    if not sub_types_compatible(a.sub_event_type, b.sub_event_type, rules=rules):
        return False
    doc_a, doc_b = document_of(a), document_of(b)
    # One page tells of two events in two sentences unless it repeats itself (a headline and
    # its lead): otherwise different sentences are different events.
    if doc_a is not None and doc_a == doc_b and not _repeats(a, b):
        return False
    ia, ib = date_interval(a, rules=rules), date_interval(b, rules=rules)
    if ia is None or ib is None or ia[1] < ib[0] or ib[1] < ia[0]:
        return False
    return places_compatible(a, b, rules=rules) and actors_compatible(a, b)


def fusable(event: Event) -> bool:
    """Return True when ``event`` has what fusion needs: a date and a country."""
    return event.event_date is not None and event.iso is not None


def search_window(event: Event, *, rules: FusionRules = DEFAULT_RULES) -> SearchWindow | None:
    """Return where the reports compatible with ``event`` must lie; None when none can."""
    interval = date_interval(event, rules=rules)
    if interval is None or event.iso is None:
        return None
    pad = timedelta(days=MAX_DATE_SPREAD_DAYS)
    bbox = None
    limits = dict(rules.distance_km)
    if (
        (event.geo_precision or 3) in limits
        and event.latitude is not None
        and event.longitude is not None
    ):
        bbox = _bbox(event.latitude, event.longitude, rules.max_distance_km())
    return SearchWindow(
        event_type=event.event_type,
        iso=event.iso,
        since=interval[0] - pad,
        until=interval[1] + pad,
        bbox=bbox,
    )


def _bbox(lat: float, lon: float, km: float) -> tuple[float, float, float, float]:
    """A lon/lat box that holds every point within ``km`` of (lat, lon), a little padded."""
    dlat = km / 110.574 * 1.05
    coslat = max(math.cos(math.radians(lat)), 0.01)
    dlon = min(km / (111.320 * coslat) * 1.05, 180.0)
    return (
        max(lon - dlon, -180.0),
        max(lat - dlat, -90.0),
        min(lon + dlon, 180.0),
        min(lat + dlat, 90.0),
    )


def in_window(event: Event, window: SearchWindow) -> bool:
    """Return True when ``event`` is a candidate for ``window`` (the stores' semantics).

    A candidate has the window's event type and country and a date in it; when the window
    has a box, a candidate with coordinates and geo precision 1 or 2 must lie in the box
    (region-level and unplaced reports qualify wherever they are).
    """
    if event.event_type != window.event_type or event.iso != window.iso:
        return False
    if event.event_date is None or not window.since <= event.event_date <= window.until:
        return False
    if window.bbox is None or event.latitude is None or event.longitude is None:
        return True
    if event.geo_precision not in (1, 2):
        return True
    min_lon, min_lat, max_lon, max_lat = window.bbox
    return min_lon <= event.longitude <= max_lon and min_lat <= event.latitude <= max_lat


# -- clustering ---------------------------------------------------------------------------------


def canonical_key(event: Event) -> tuple[int, int, int, str, str]:
    """The order clusters are built in: most precise reports first, then date, then id.

    Precise reports found clusters and vaguer ones join them, so a month-level report never
    becomes the anchor that two different days' reports both attach to.
    """
    return (
        event.time_precision or 9,
        event.geo_precision or 9,
        event.event_date.toordinal() if event.event_date is not None else 0,
        event.event_date.isoformat() if event.event_date is not None else "",
        event.event_id,
    )


def components(events: Iterable[Event], *, rules: FusionRules = DEFAULT_RULES) -> list[list[Event]]:
    """Split reports into the connected components of the compatibility relation.

    Reports are blocked by (event type, country, modality) and swept in date order, so only
    reports whose intervals overlap are compared.
    """
    unique = {e.event_id: e for e in events}
    parent = {i: i for i in unique}

    def root(i: str) -> str:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    blocks: dict[tuple[str, str, str], list[tuple[date, date, Event]]] = {}
    for e in unique.values():
        interval = date_interval(e, rules=rules)
        if interval is None or e.iso is None:
            continue
        blocks.setdefault((e.event_type, e.iso, e.modality.value), []).append((*interval, e))
    for block in blocks.values():
        block.sort(key=lambda item: (item[0], item[2].event_id))
        active: list[tuple[date, date, Event]] = []
        for start, end, e in block:
            active = [a for a in active if a[1] >= start]
            for _, _, other in active:
                if compatible(e, other, rules=rules):
                    parent[root(e.event_id)] = root(other.event_id)
            active.append((start, end, e))
    grouped: dict[str, list[Event]] = {}
    for i in sorted(unique):
        grouped.setdefault(root(i), []).append(unique[i])
    return sorted(grouped.values(), key=lambda group: min(e.event_id for e in group))


def partition(events: Iterable[Event], *, rules: FusionRules = DEFAULT_RULES) -> list[list[Event]]:
    """Group reports into clusters: greedy complete linkage in the canonical order.

    Deterministic and order-free: the clusters depend on the set of reports only.
    """
    clusters: list[list[Event]] = []
    for component in components(events, rules=rules):
        built: list[list[Event]] = []
        for e in sorted(component, key=canonical_key):
            for cluster in built:
                if all(compatible(e, m, rules=rules) for m in cluster):
                    cluster.append(e)
                    break
            else:
                built.append([e])
        clusters.extend(built)
    return clusters


def fuse_events(events: Sequence[Event], *, rules: FusionRules = DEFAULT_RULES) -> list[FusedEvent]:
    """Fuse reports into one FusedEvent per cluster (singletons included), ordered by id.

    Args:
        events: per-document events (each with its own sources).
        rules: the thresholds (DEFAULT_RULES: docs/decisions/0011-fusion.md).
    """
    fused = [reconcile(cluster, rules=rules) for cluster in partition(events, rules=rules)]
    return sorted(fused, key=lambda f: f.cluster_id)


def assign(
    new_events: Sequence[Event],
    existing: Sequence[Event],
    *,
    rules: FusionRules = DEFAULT_RULES,
) -> list[FusedEvent]:
    """Fuse new reports into existing ones: the clusters of every component they touch.

    ``existing`` must hold every stored report connected to the new ones (the caller's
    candidate search closes it; see sitrep.fuse_store). Clusters of components the new
    reports do not touch are not returned: they do not change.
    """
    touched = {e.event_id for e in new_events}
    out: list[FusedEvent] = []
    for component in components([*existing, *new_events], rules=rules):
        if touched.isdisjoint(e.event_id for e in component):
            continue
        out.extend(fuse_events(component, rules=rules))
    return sorted(out, key=lambda f: f.cluster_id)


def cluster_id(members: Sequence[Event]) -> str:
    """Return a cluster's id: a content hash of its earliest report (a singleton keeps its id).

    Earliest = first published (undated last), then event id: stable whatever the order the
    reports arrived in.
    """
    if len(members) == 1:
        return members[0].event_id
    first = min(members, key=_first_report_key)
    return hash_id("cluster", first.event_id)


def _first_report_key(event: Event) -> tuple[bool, date, str]:
    published = [s.published for s in event.sources if s.published is not None]
    earliest = min(published) if published else date.max
    return (not published, earliest, event.event_id)


# -- reconciliation -----------------------------------------------------------------------------


def independence_key(source: Source) -> str:
    """Who a report's information comes from: the source it cites, else its publisher.

    Two outlets relaying the same monitor are one witness, not two.
    """
    from sitrep.stages.assemble import publisher

    if source.attribution:
        return "cited:" + source.attribution[0].casefold()
    host = publisher(source.url)
    return "publisher:" + host if host else "document:" + source.document_id


def corroborated_confidence(members: Sequence[Event], *, cap: float = CONFIDENCE_CAP) -> float:
    """Return 1 - Π(1 - c) over independent witnesses (each its best report), capped.

    Never below the best single report's confidence.
    """
    best: dict[str, float] = {}
    for e in members:
        keys = {independence_key(s) for s in e.sources} or {"event:" + e.event_id}
        for key in keys:
            best[key] = max(best.get(key, 0.0), e.confidence)
    missing = 1.0
    for c in best.values():
        missing *= 1.0 - min(max(c, 0.0), 1.0)
    combined = min(1.0 - missing, max(cap, max(e.confidence for e in members)))
    return round(max(combined, max(e.confidence for e in members)), 3)


def conservative_fatalities(members: Sequence[Event]) -> int | None:
    """ACLED's rule: the most conservative count among the reports that give one.

    Each publisher's latest report stands for it (an updated toll replaces its first one);
    the fused count is the lowest of those. None when no report gives a count.
    """
    latest: dict[str, tuple[date, str, int]] = {}
    for e in members:
        if e.fatalities is None:
            continue
        for key, when in _publications(e):
            seen = latest.get(key)
            if seen is None or (when, e.event_id) > seen[:2]:
                latest[key] = (when, e.event_id, e.fatalities)
    if not latest:
        return None
    return min(count for _, _, count in latest.values())


def _publications(event: Event) -> list[tuple[str, date]]:
    """(publisher, publication date) of each source of ``event``; the event itself if none."""
    from sitrep.stages.assemble import publisher

    if not event.sources:
        return [("event:" + event.event_id, date.min)]
    return [
        (publisher(s.url) or "document:" + s.document_id, s.published or date.min)
        for s in event.sources
    ]


def _specificity(e: Event) -> tuple[int, int, int, int]:
    # Known actors beat free text, two actors beat one.
    return (
        -int(e.inter1 is not None),
        -int(e.inter2 is not None),
        -int(e.actor1 is not None),
        -int(e.actor2 is not None),
    )


def _rank_in_group(sub_type: str, rules: FusionRules) -> int:
    return max(
        (group.index(sub_type) for group in rules.compatible_sub_types if sub_type in group),
        default=0,
    )


def union_sources(members: Sequence[Event]) -> tuple[Source, ...]:
    """Every source of every member, once each, first published first."""
    seen: dict[tuple[str, int, int], Source] = {}
    for e in members:
        for s in e.sources:
            seen.setdefault((s.document_id, s.start, s.end), s)
    return tuple(
        sorted(
            seen.values(),
            key=lambda s: (s.published is None, s.published or date.min, s.document_id, s.start),
        )
    )


def reconcile(members: Sequence[Event], *, rules: FusionRules = DEFAULT_RULES) -> FusedEvent:
    """Return the FusedEvent of one cluster (docs/decisions/0011-fusion.md, "Reconciliation").

    A single report is returned unchanged.
    """
    ordered = sorted(members, key=canonical_key)
    cid = cluster_id(ordered)
    if len(ordered) == 1:
        return FusedEvent(cluster_id=cid, event=ordered[0], members=(cid,))
    # Most precise date, then the date most reports give, then the earliest.
    day_votes = Counter(e.event_date for e in ordered)
    dated = min(
        ordered,
        key=lambda e: (
            e.time_precision or 9,
            -day_votes[e.event_date],
            e.event_date or date.max,
            e.event_id,
        ),
    )
    place_votes = Counter(e.location for e in ordered)
    placed = min(
        ordered,
        key=lambda e: (e.geo_precision or 9, -place_votes[e.location], e.event_id),
    )
    sub_votes = Counter(e.sub_event_type for e in ordered)
    sub_type = min(sub_votes, key=lambda s: (-sub_votes[s], -_rank_in_group(s, rules), s))
    typed = next(e for e in ordered if e.sub_event_type == sub_type)
    actors = min(ordered, key=lambda e: (_specificity(e), canonical_key(e)))
    from sitrep.stages.assemble import interaction_code

    chains = _unique(part for e in ordered for part in (e.source or "").split("; ") if part)
    event = replace(
        actors,
        event_id=cid,
        event_date=dated.event_date,
        time_precision=dated.time_precision,
        date_resolved_from=dated.date_resolved_from,
        year_from_reference=dated.year_from_reference,
        sub_event_type=sub_type,
        plover_type=typed.plover_type,
        cameo_code=typed.cameo_code,
        interaction=interaction_code(actors.inter1, actors.inter2),
        country=placed.country,
        iso=placed.iso,
        admin1=placed.admin1,
        admin2=placed.admin2,
        admin3=placed.admin3,
        location=placed.location,
        latitude=placed.latitude,
        longitude=placed.longitude,
        geo_precision=placed.geo_precision,
        geo_reason=placed.geo_reason,
        fatalities=conservative_fatalities(ordered),
        source="; ".join(chains) or None,
        notes=actors.notes,
        confidence=corroborated_confidence(ordered, cap=rules.confidence_cap),
        sources=union_sources(ordered),
    )
    return FusedEvent(cluster_id=cid, event=event, members=tuple(e.event_id for e in ordered))


def _unique(items: Iterable[str]) -> Iterator[str]:
    seen: set[str] = set()
    for item in items:
        if item not in seen:
            seen.add(item)
            yield item
