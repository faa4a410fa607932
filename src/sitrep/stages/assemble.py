"""Turn a geocoded mention into an Event row with its Source."""

from __future__ import annotations

from dataclasses import replace
from urllib.parse import urlsplit

from sitrep.calibration import calibrate
from sitrep.records import Document, Event, GeocodeResult, Mention, Source, hash_id

# Bumped when extraction rules change in a way that changes rows; kept on every Source.
EXTRACTOR_VERSION = "sitrep-rules-0.1"

NOTES_MAX_CHARS = 1_000


def interaction_code(inter1: int | None, inter2: int | None) -> int | None:
    """ACLED's two-digit interaction code: the two inter codes, lower first (8 & 2 -> 28).

    One actor alone gives inter*10 (ACLED's "sole" interactions, e.g. 60 for protesters).
    """
    codes = sorted(c for c in (inter1, inter2) if c is not None)
    if not codes:
        return None
    if len(codes) == 1:
        return codes[0] * 10
    return codes[0] * 10 + codes[1]


def publisher(url: str | None) -> str | None:
    """The publisher named by a page's URL host ("www.example.com" -> "example.com")."""
    if not url:
        return None
    host = urlsplit(url).hostname
    if not host:
        return None
    return host.removeprefix("www.")


def event_id(document: Document, mention: Mention) -> str:
    """Content-hash id: the same sentence and reading of the same page gives the same id."""
    return hash_id(
        document.id,
        mention.start,
        mention.end,
        mention.sub_event_type,
        mention.actor1.name if mention.actor1 else None,
        mention.actor2.name if mention.actor2 else None,
        mention.location_text,
    )


def build_event(document: Document, mention: Mention, result: GeocodeResult) -> Event:
    """Build the Event row for ``mention`` placed by ``result``.

    Args:
        document: the document the mention came from (for url, date and id).
        mention: the extracted mention.
        result: the geocoder's answer; ``result.place`` None leaves the geography empty.

    ``confidence`` is the calibrated probability that the event is right (sitrep.calibration),
    mapped from the extractor's rule score (``mention.confidence``) and the row's own fields.
    """
    # Imported here so that the taxonomy module stays the single owner of the crosswalk.
    from sitrep.taxonomy import crosswalk

    plover, cameo = crosswalk(mention.event_type, mention.sub_event_type)
    place = result.place
    inter1 = mention.actor1.inter if mention.actor1 else None
    inter2 = mention.actor2.inter if mention.actor2 else None
    chain = tuple(a for a in (publisher(document.url), *mention.attribution) if a)
    source = Source(
        document_id=document.id,
        url=document.url,
        published=document.published,
        section="article",
        sentence=mention.sentence,
        start=mention.start,
        end=mention.end,
        attribution=mention.attribution,
        extractor=EXTRACTOR_VERSION,
    )
    event = Event(
        event_id=event_id(document, mention),
        event_date=mention.event_date,
        time_precision=mention.time_precision,
        event_type=mention.event_type,
        sub_event_type=mention.sub_event_type,
        actor1=mention.actor1.name if mention.actor1 else None,
        assoc_actor_1="; ".join(a.name for a in mention.assoc_actor_1) or None,
        inter1=inter1,
        actor2=mention.actor2.name if mention.actor2 else None,
        assoc_actor_2="; ".join(a.name for a in mention.assoc_actor_2) or None,
        inter2=inter2,
        interaction=interaction_code(inter1, inter2),
        country=place.country if place else None,
        iso=place.iso if place else None,
        admin1=place.admin1 if place else None,
        admin2=place.admin2 if place else None,
        admin3=place.admin3 if place else None,
        location=place.location if place else None,
        latitude=place.latitude if place else None,
        longitude=place.longitude if place else None,
        geo_precision=place.geo_precision if place else None,
        fatalities=mention.fatalities,
        source="; ".join(chain) or None,
        notes=mention.sentence[:NOTES_MAX_CHARS],
        plover_type=plover,
        cameo_code=cameo,
        modality=mention.modality,
        # The rule score for now: the calibration reads it with the row's other fields.
        confidence=round(mention.confidence, 3),
        date_resolved_from=mention.date_resolved_from,
        year_from_reference=mention.year_from_reference,
        geo_reason=result.reason,
        sources=(source,),
    )
    return replace(event, confidence=round(calibrate(event), 3))
