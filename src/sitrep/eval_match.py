"""The matching rules of ``sitrep eval``: when a predicted event is a gold event.

A predicted event matches a gold event of the same document when the event types agree,
the dates agree (exact, or inside the wider time-precision window of the two: 1 same day,
2 within 7 days, 3 same month) and the places agree (within 25 km when both have
coordinates, or the same place name in the same country; any place when the gold gives
none). Pairs are assigned one to one, greedily, best score first. The rules and their
reasons: docs/evaluation.md.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

from sitrep.records import Event

MATCH_KM = 25.0
FIELD_KM = 10.0
WEEK_DAYS = 7
GEO_PRECISIONS = (1, 2, 3)
EARTH_RADIUS_KM = 6371.0088

# ACLED's regime period after an actor name: "Police Forces of Kenya (2013-)".
_PERIOD_RE = re.compile(r"\s*\(\s*\d{4}\s*-\s*(?:\d{4})?\s*\)\s*$")


@dataclass(frozen=True)
class EvalEvent:
    """The fields of an event that evaluation compares, gold or predicted alike."""

    event_type: str | None = None
    sub_event_type: str | None = None
    event_date: date | None = None
    time_precision: int | None = None
    location: str | None = None
    country: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    geo_precision: int | None = None
    actor1: str | None = None
    actor2: str | None = None
    fatalities: int | None = None
    modality: str | None = None
    confidence: float | None = None

    @property
    def has_coordinates(self) -> bool:
        return self.latitude is not None and self.longitude is not None

    @property
    def has_place(self) -> bool:
        return self.has_coordinates or bool(self.location)


@dataclass(frozen=True)
class Pair:
    """One assigned (predicted, gold) pair, by their indices in the document's lists."""

    predicted: int
    gold: int
    score: float


def _text(value: Any) -> str | None:
    # Gold files write missing values as "" (ACLED's CSV habit) or null.
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _number(value: Any) -> float | None:
    if value is None or isinstance(value, bool) or (isinstance(value, str) and not value.strip()):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def _integer(value: Any) -> int | None:
    number = _number(value)
    return int(number) if number is not None else None


def _date(value: Any) -> date | None:
    text = _text(value)
    if text is None:
        return None
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        return None


def _geo_precision(value: Any) -> int | None:
    # Only ACLED's three codes mean anything; another number is a coding slip, not a precision.
    number = _integer(value)
    return number if number in GEO_PRECISIONS else None


def gold_event(fields: Mapping[str, Any], *, modality: str | None = None) -> EvalEvent:
    """Read one gold event from its record-named fields (any subset; "" means missing).

    Args:
        modality: the modality to assume when the event lists none (None: not compared).
    """
    return EvalEvent(
        event_type=_text(fields.get("event_type")),
        sub_event_type=_text(fields.get("sub_event_type")),
        event_date=_date(fields.get("event_date")),
        time_precision=_integer(fields.get("time_precision")),
        location=_text(fields.get("location")),
        country=_text(fields.get("country")),
        latitude=_number(fields.get("latitude")),
        longitude=_number(fields.get("longitude")),
        geo_precision=_geo_precision(fields.get("geo_precision")),
        actor1=_text(fields.get("actor1")),
        actor2=_text(fields.get("actor2")),
        fatalities=_integer(fields.get("fatalities")),
        modality=_text(fields.get("modality")) or modality,
        confidence=None,
    )


def predicted_event(event: Event) -> EvalEvent:
    """Read the compared fields off a pipeline Event."""
    return EvalEvent(
        event_type=event.event_type,
        sub_event_type=event.sub_event_type,
        event_date=event.event_date,
        time_precision=event.time_precision,
        location=event.location,
        country=event.country,
        latitude=event.latitude,
        longitude=event.longitude,
        geo_precision=event.geo_precision,
        actor1=event.actor1,
        actor2=event.actor2,
        fatalities=event.fatalities,
        modality=event.modality.value,
        confidence=event.confidence,
    )


def distance_km(a: EvalEvent, b: EvalEvent) -> float | None:
    """Great-circle distance between two events' coordinates; None when one has none."""
    if a.latitude is None or a.longitude is None or b.latitude is None or b.longitude is None:
        return None
    lat1, lon1, lat2, lon2 = map(math.radians, (a.latitude, a.longitude, b.latitude, b.longitude))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


@lru_cache(maxsize=65_536)
def place_key(name: str) -> str:
    """Return the comparison key of a place name (transliteration-proof where possible)."""
    try:
        # Imported lazily: the geocoding helpers are optional for the matching rules.
        from sitrep.placenames import normalize_name, strip_feature_words
    except ImportError:
        return " ".join(name.casefold().split())
    core, _ = strip_feature_words(name)
    return normalize_name(core or name)


def same_place_name(predicted: EvalEvent, gold: EvalEvent) -> bool:
    """True when both name a place, the names meet, and the countries do not disagree."""
    if not predicted.location or not gold.location:
        return False
    if place_key(predicted.location) != place_key(gold.location):
        return False
    if predicted.country and gold.country:
        # "Tripoli" in Lebanon is not "Tripoli" in Libya.
        return predicted.country.casefold() == gold.country.casefold()
    return True


def places_agree(predicted: EvalEvent, gold: EvalEvent, *, km: float = MATCH_KM) -> bool:
    """True when the predicted place is the gold place (or the gold gives no place)."""
    if not gold.has_place:
        return True
    distance = distance_km(predicted, gold)
    if distance is not None and distance <= km:
        return True
    return same_place_name(predicted, gold)


def date_window(precision: int | None) -> int:
    """Return the time-precision code whose window applies (1 day, 2 week, 3 month)."""
    return precision if precision in (1, 2, 3) else 1


def dates_agree(predicted: EvalEvent, gold: EvalEvent) -> bool:
    """True when the dates agree within the wider time-precision window of the two."""
    if gold.event_date is None:
        return True
    if predicted.event_date is None:
        return False
    window = max(date_window(predicted.time_precision), date_window(gold.time_precision))
    if window == 3:
        return (predicted.event_date.year, predicted.event_date.month) == (
            gold.event_date.year,
            gold.event_date.month,
        )
    days = abs((predicted.event_date - gold.event_date).days)
    return days == 0 if window == 1 else days <= WEEK_DAYS


def modalities_agree(predicted: EvalEvent, gold: EvalEvent) -> bool:
    """True when the gold lists no modality or both list the same one."""
    return gold.modality is None or (predicted.modality or "occurred") == gold.modality


def match_score(
    predicted: EvalEvent,
    gold: EvalEvent,
    *,
    check_type: bool = True,
    check_place: bool = True,
) -> float | None:
    """Return how well a predicted event fits a gold event, or None when they cannot match.

    Args:
        check_type: require the event types to agree (False gives the type-blind matching
            used for the confusion table and event-type accuracy).
        check_place: require the places to agree (False gives the place-blind figures that
            tell extraction errors from geocoding errors).
    """
    if check_type and predicted.event_type != gold.event_type:
        return None
    if not (dates_agree(predicted, gold) and modalities_agree(predicted, gold)):
        return None
    if check_place and not places_agree(predicted, gold):
        return None
    score = 4.0
    if predicted.event_type == gold.event_type:
        score += 2.0
    if gold.sub_event_type is not None and predicted.sub_event_type == gold.sub_event_type:
        score += 1.0
    if gold.event_date is not None and predicted.event_date is not None:
        days = abs((predicted.event_date - gold.event_date).days)
        score += 1.0 - min(days, 31) / 31
    distance = distance_km(predicted, gold)
    if distance is not None:
        score += 1.0 - min(distance, MATCH_KM) / MATCH_KM
    elif same_place_name(predicted, gold):
        score += 1.0
    return score


def assign(
    predicted: Sequence[EvalEvent],
    gold: Sequence[EvalEvent],
    *,
    check_type: bool = True,
    check_place: bool = True,
) -> list[Pair]:
    """Pair predicted with gold events one to one, greedily by score (ties: earliest first)."""
    candidates: list[Pair] = []
    for p, pred in enumerate(predicted):
        for g, gold_item in enumerate(gold):
            score = match_score(pred, gold_item, check_type=check_type, check_place=check_place)
            if score is not None:
                candidates.append(Pair(p, g, score))
    candidates.sort(key=lambda pair: (-pair.score, pair.gold, pair.predicted))
    used_p: set[int] = set()
    used_g: set[int] = set()
    pairs: list[Pair] = []
    for pair in candidates:
        if pair.predicted in used_p or pair.gold in used_g:
            continue
        used_p.add(pair.predicted)
        used_g.add(pair.gold)
        pairs.append(pair)
    return sorted(pairs, key=lambda pair: pair.gold)


def strip_actor_period(name: str) -> str:
    """Remove ACLED's regime period: "Police Forces of Kenya (2013-)" → "...of Kenya"."""
    return _PERIOD_RE.sub("", name).strip()


ActorNormaliser = Callable[[str], str]


def dictionary_normaliser() -> ActorNormaliser:
    """Return a normaliser mapping an actor name to its canonical name via the dictionary."""
    from sitrep.actors import ActorDictionary

    dictionary = ActorDictionary.load()

    @lru_cache(maxsize=65_536)
    def normalise(name: str) -> str:
        plain = strip_actor_period(name)
        entry = dictionary.lookup(plain)
        if entry is not None:
            return entry.name.casefold()
        actor = dictionary.match(plain)
        if actor is not None:
            return actor.name.casefold()
        return " ".join(plain.casefold().split())

    return normalise


def plain_normaliser(name: str) -> str:
    """Normalise an actor name without a dictionary: period stripped, case and spaces folded."""
    return " ".join(strip_actor_period(name).casefold().split())


def actors_agree(predicted: str | None, gold: str | None, *, normalise: ActorNormaliser) -> bool:
    """True when both name the same canonical actor (gold None is not scored by callers)."""
    if predicted is None or gold is None:
        return predicted is None and gold is None
    return normalise(predicted) == normalise(gold)


def battle_sides_swapped(
    predicted: EvalEvent, gold: EvalEvent, *, normalise: ActorNormaliser
) -> bool:
    """True when a battle's two sides are the gold's, written in the other order.

    ACLED: "Actor 1 and Actor 2 do not imply directionality (e.g. attacker or defender)" —
    in a battle both sides fight, and coders list them in either order; sitrep writes the
    initiator first. Elsewhere the order means something (civilians are always actor 2).
    """
    if gold.event_type != "Battles" or predicted.event_type != "Battles":
        return False
    if None in (predicted.actor1, predicted.actor2, gold.actor1, gold.actor2):
        return False
    straight = actors_agree(predicted.actor1, gold.actor1, normalise=normalise) and actors_agree(
        predicted.actor2, gold.actor2, normalise=normalise
    )
    crossed = actors_agree(predicted.actor1, gold.actor2, normalise=normalise) and actors_agree(
        predicted.actor2, gold.actor1, normalise=normalise
    )
    return crossed and not straight


def fatalities_agree(predicted: int | None, gold: int | None) -> bool:
    """True when the counts are equal; an unknown prediction equals a gold 0.

    ACLED writes 0 when a report gives no fatalities, where sitrep writes None.
    """
    return (predicted or 0) == (gold or 0)
