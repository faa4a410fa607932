"""GET /events, /events/{event_id} and /aggregates."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query

from sitrep.api.desk import Desk, get_desk
from sitrep.api.queries import (
    DEFAULT_LIMIT,
    MAX_LIMIT,
    MAX_QUERY_CHARS,
    EventFilter,
    GroupBy,
    find_buckets,
    find_page,
    parse_bbox,
    parse_modality,
)
from sitrep.api.schemas import AggregateOut, ErrorOut, EventList, EventOut
from sitrep.api.serialize import bucket_json, event_json
from sitrep.records import Modality

router = APIRouter(tags=["events"])

_ERRORS: dict[int | str, dict[str, Any]] = {400: {"model": ErrorOut}}
_MODALITY_HELP = (
    f"One of {', '.join(m.value for m in Modality)}, or 'all' for every one (default: occurred)."
)


def event_filter(
    since: Annotated[date | None, Query(description="Events on or after (YYYY-MM-DD).")] = None,
    until: Annotated[date | None, Query(description="Events on or before (YYYY-MM-DD).")] = None,
    country: Annotated[
        str | None, Query(description="Country name or ISO 3166-1 alpha-2 code, any case.")
    ] = None,
    admin1: Annotated[str | None, Query(description="First-level region, any case.")] = None,
    event_type: Annotated[
        list[str] | None,
        Query(description="ACLED event type, any case; repeat for any of several."),
    ] = None,
    sub_event_type: Annotated[
        list[str] | None,
        Query(description="ACLED sub-event type, any case; repeat for any of several."),
    ] = None,
    actor: Annotated[
        str | None, Query(description="Part of actor1, actor2 or an associated actor, any case.")
    ] = None,
    modality: Annotated[str | None, Query(description=_MODALITY_HELP)] = None,
    min_confidence: Annotated[
        float | None, Query(ge=0.0, le=1.0, description="Least confidence, 0 to 1.")
    ] = None,
    bbox: Annotated[
        str | None,
        Query(
            description="minlon,minlat,maxlon,maxlat (WGS 84); only placed events inside.",
            examples=["38.5,33.5,42.5,36.5"],
        ),
    ] = None,
    q: Annotated[
        str | None,
        Query(
            max_length=MAX_QUERY_CHARS,
            description="Text searched in notes and source sentences, any case.",
        ),
    ] = None,
    document_id: Annotated[
        str | None, Query(description="Only events this document reported.")
    ] = None,
) -> EventFilter:
    """Parse the event filters shared by /events and /aggregates."""
    return EventFilter(
        since=since,
        until=until,
        country=country or None,
        admin1=admin1 or None,
        event_types=tuple(t for t in event_type or () if t),
        sub_event_types=tuple(t for t in sub_event_type or () if t),
        actor=actor or None,
        modality=parse_modality(modality),
        min_confidence=min_confidence,
        bbox=parse_bbox(bbox) if bbox else None,
        q=q or None,
        document_id=document_id or None,
    )


Filter = Annotated[EventFilter, Depends(event_filter)]
DeskDep = Annotated[Desk, Depends(get_desk)]


@router.get("/events", response_model=EventList, responses=_ERRORS)
def list_events(
    desk: DeskDep,
    filters: Filter,
    limit: Annotated[
        int, Query(ge=1, le=MAX_LIMIT, description=f"Events per page, 1 to {MAX_LIMIT}.")
    ] = DEFAULT_LIMIT,
    cursor: Annotated[
        str | None, Query(description="The next_cursor of the previous page.")
    ] = None,
) -> dict[str, Any]:
    """List events, newest first (undated last), filtered, a page at a time."""
    page = find_page(desk.store, filters, limit=limit, cursor=cursor)
    return {
        "items": [event_json(e) for e in page.items],
        "total": page.total,
        "limit": limit,
        "next_cursor": page.next_cursor,
    }


@router.get(
    "/events/{event_id}",
    response_model=EventOut,
    responses={404: {"model": ErrorOut}},
)
def get_event(desk: DeskDep, event_id: str) -> dict[str, Any]:
    """Return one event with all its sources, each sentence cut into marked parts."""
    # Any modality: a link to an event must work whatever the list's default filter.
    for event in desk.store.events_by_id([event_id]):
        return event_json(event, parts=True)
    raise HTTPException(status_code=404, detail=f"no event with event_id {event_id!r}")


@router.get("/aggregates", response_model=AggregateOut, responses=_ERRORS)
def aggregates(
    desk: DeskDep,
    filters: Filter,
    by: Annotated[
        GroupBy, Query(description="Group by day, week (its Monday), event_type or admin1.")
    ],
) -> dict[str, Any]:
    """Count events and known fatalities per group, over the filtered events."""
    buckets = find_buckets(desk.store, filters, by=by)
    return {
        "by": by.value,
        "total_events": sum(b.events for b in buckets),
        "buckets": [bucket_json(b) for b in buckets],
    }
