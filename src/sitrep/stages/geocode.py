"""Geocode: resolve each mention's place phrase to coordinates and ACLED geo precision.

The named place when the gazetteer knows it (precision 1; "near X" 2); otherwise the
smallest larger area the text itself names (a town → 2, a province or "X countryside" →
3), never a guess. Candidates are ranked by the article's country focus, the admin1
areas the text names, distance to other places it names, and population; a preferred
name beats an alternate spelling. See docs/decisions/0003-geocoding.md.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from sitrep.adapters.gazetteer.base import Candidate, Gazetteer
from sitrep.placenames import AREA_FEATURES, NEAR_FEATURES, normalize_name, strip_feature_words
from sitrep.records import Document, DocumentStatus, GeocodeResult, GeoReason, Mention, Place

# Within this distance of another place the text names, a candidate is "nearby" (km).
NEAR_KM = 150.0
_FEATURE_BY_CODE = {"ADM1": "admin1", "PCLI": "country"}


@dataclass
class _Context:
    """What the rest of the text says about where: countries, admin1 areas, places."""

    country: str | None
    countries: set[str] = field(default_factory=set)
    areas: set[tuple[str, str]] = field(default_factory=set)  # (iso, admin1 key)
    points: list[tuple[float, float]] = field(default_factory=list)


def _distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 6371.0 * 2 * math.asin(min(1.0, math.sqrt(h)))


def _context(hints: Iterable[str], country: str | None, gazetteer: Gazetteer) -> _Context:
    ctx = _Context(country=country.upper() if country else None)
    for hint in hints:
        core, _ = strip_feature_words(hint)
        if not core:
            continue
        nation = gazetteer.country(core)
        if nation is not None:
            ctx.countries.add(nation.country_code)
            continue
        for area in gazetteer.admin_areas(core):
            ctx.areas.add((area.country_code, normalize_name(area.name)))
        ctx.points.extend((c.latitude, c.longitude) for c in gazetteer.candidates(core)[:3])
    return ctx


def _score(cand: Candidate, ctx: _Context) -> tuple[float, str]:
    """Rank a candidate; return the score and the reasons, for ``explain``."""
    score, why = 0.0, []
    if cand.is_main_name:
        score += 1.0
        why.append("preferred name")
    else:
        score += 0.6
        why.append(f"alternate name {cand.matched_name!r}")
    if ctx.country and cand.country_code == ctx.country:
        score += 2.0
        why.append("in the article's country")
    if cand.country_code in ctx.countries:
        score += 1.0
        why.append("in a country the text names")
    if cand.admin1 and (cand.country_code, normalize_name(cand.admin1)) in ctx.areas:
        score += 2.0
        why.append(f"in {cand.admin1}, which the text names")
    if ctx.points:
        nearest = min(_distance_km((cand.latitude, cand.longitude), p) for p in ctx.points)
        if 0 < nearest < NEAR_KM:
            score += 1.0 - nearest / (2 * NEAR_KM)
            why.append(f"{nearest:.0f} km from a place the text names")
    score += min(math.log10(cand.population + 1), 7.0) / 7.0
    why.append(f"population {cand.population:,}")
    return score, "; ".join(why)


def _ranked(cands: Sequence[Candidate], ctx: _Context) -> list[tuple[Candidate, float, str]]:
    scored = [(c, *_score(c, ctx)) for c in cands]
    scored.sort(key=lambda item: -item[1])
    return scored


def _place(cand: Candidate, *, precision: int) -> Place:
    return Place(
        location=cand.name,
        country=cand.country,
        iso=cand.country_code,
        admin1=cand.admin1,
        admin2=cand.admin2,
        admin3=None,
        latitude=cand.latitude,
        longitude=cand.longitude,
        geo_precision=precision,
        geonameid=cand.geonameid,
        feature=_FEATURE_BY_CODE.get(cand.feature_code, "city"),
    )


def _answer(
    ranked: list[tuple[Candidate, float, str]],
    *,
    precision: int,
    reason: GeoReason,
    query: str,
) -> GeocodeResult:
    best, _, why = ranked[0]
    return GeocodeResult(
        place=_place(best, precision=precision),
        reason=reason,
        query=query,
        candidates=len(ranked),
        note=why,
    )


def _area_beats_places(
    area: tuple[Candidate, float, str], place: tuple[Candidate, float, str]
) -> bool:
    """A bare "Texas": the state, unless the best place is the capital it is named after."""
    area_cand, town = area[0], place[0]
    named_after = town.country_code == area_cand.country_code and town.admin1 == area_cand.name
    return not named_after and area[1] > place[1]


def _resolve_phrase(
    phrase: str, *, primary: bool, ctx: _Context, gazetteer: Gazetteer
) -> GeocodeResult | None:
    """Resolve one phrase: the mention's own place (primary) or a larger area (a hint)."""
    core, feature = strip_feature_words(phrase)
    if not core:
        return None
    # "North Carolina", "Western Cape": a direction or feature word that is part of the name.
    whole = phrase.strip().removeprefix("the ").strip()
    if whole != core and (
        gazetteer.country(whole) or gazetteer.admin_areas(whole) or gazetteer.candidates(whole)
    ):
        core, feature = whole, None
    nation = gazetteer.country(core)
    if nation is not None:
        return GeocodeResult(
            place=_place(nation, precision=3),
            reason=GeoReason.COUNTRY,
            query=phrase,
            candidates=1,
            note="country only: the capital's coordinates, as ACLED codes country-level events",
        )
    areas = _ranked(gazetteer.admin_areas(core), ctx)
    places = _ranked(gazetteer.candidates(core), ctx)
    # "X countryside"/"X province" is the area; a bare larger-area hint also means the area
    # when an admin1 has that name, since the event lies somewhere in it, not at its capital.
    wants_area = feature in AREA_FEATURES or (not primary and feature != "city")
    if areas and (wants_area or not places or _area_beats_places(areas[0], places[0])):
        return _answer(areas, precision=3, reason=GeoReason.REGION, query=phrase)
    if not places:
        return None
    if primary and feature in NEAR_FEATURES:
        return _answer(places, precision=2, reason=GeoReason.NEAR, query=phrase)
    if primary and feature in AREA_FEATURES:
        return _answer(places, precision=2, reason=GeoReason.NEAR, query=phrase)
    if primary:
        return _answer(places, precision=1, reason=GeoReason.EXACT, query=phrase)
    return _answer(places, precision=2, reason=GeoReason.ENCLOSING, query=phrase)


def resolve_place(
    text: str | None,
    *,
    hints: Sequence[str] = (),
    country: str | None = None,
    gazetteer: Gazetteer,
) -> GeocodeResult:
    """Resolve a mention's place phrase to a Place, or abstain with the reason.

    Args:
        text: the most specific place phrase of the sentence ("the town of X"), or None.
        hints: larger areas the sentence or article names, most specific first.
        country: the ISO alpha-2 code the article is mostly about (``country_focus``).
        gazetteer: where names are looked up.
    """
    phrases = [p for p in (text, *hints) if p and p.strip()]
    if not phrases:
        return GeocodeResult(place=None, reason=GeoReason.NO_LOCATION, query=text)
    ctx = _context(hints, country, gazetteer)
    if text and text.strip():
        found = _resolve_phrase(text, primary=True, ctx=ctx, gazetteer=gazetteer)
        if found is not None:
            return found
    for hint in hints:
        found = _resolve_phrase(hint, primary=False, ctx=ctx, gazetteer=gazetteer)
        if found is not None:
            return replace(found, query=text or hint)
    return GeocodeResult(
        place=None,
        reason=GeoReason.NOT_FOUND,
        query=text,
        note="no gazetteer entry for the place or any larger area the text names",
    )


def explain(
    text: str, *, gazetteer: Gazetteer, hints: Sequence[str] = (), country: str | None = None
) -> list[tuple[Candidate, float, str]]:
    """Every candidate for ``text`` (places, admin1 areas, the country), best first, with why."""
    core, _ = strip_feature_words(text)
    ctx = _context(hints, country, gazetteer)
    cands = [*gazetteer.candidates(core), *gazetteer.admin_areas(core)]
    nation = gazetteer.country(core)
    if nation is not None:
        cands.append(nation)
    return _ranked(cands, ctx)


# Demonym endings tried against country names: "Syrian" → "Syria", "Iraqi" → "Iraq".
_DEMONYM_RULES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("ian", ("", "ia", "e", "y", "a")),
    ("ese", ("", "on", "a")),
    ("an", ("", "a", "istan")),
    ("ish", ("ey", "")),
    ("n", ("",)),
    ("i", ("", "ia")),
)
_WORD = r"[A-Z](?:[\w'’]|\.(?=\w))*"
_CAPITALISED = re.compile(rf"\b{_WORD}(?:[ -](?:(?:of|the|and|al|el)[ -])?{_WORD}){{0,3}}")
# "US-led", "UK-based": a foreign actor's origin, not where the story happens.
_ACTOR_MODIFIER = re.compile(r"^-(?:led|backed|based|made|funded|trained|allied|supported)\b")


def _country_of_word(word: str, gazetteer: Gazetteer) -> str | None:
    nation = gazetteer.country(word)
    if nation is not None:
        return nation.country_code
    for suffix, endings in _DEMONYM_RULES:
        if word.endswith(suffix) and len(word) > len(suffix) + 2:
            stem = word[: -len(suffix)]
            for ending in endings:
                nation = gazetteer.country(stem + ending)
                if nation is not None:
                    return nation.country_code
    return None


def _body_text(document: Document) -> str:
    return "\n".join(s.text for s in document.body_segments())


def _count_countries(text: str, weight: int, gazetteer: Gazetteer, counts: Counter[str]) -> None:
    for match in _CAPITALISED.finditer(text):
        if _ACTOR_MODIFIER.match(text[match.end() : match.end() + 12]):
            continue
        words = match.group().split()
        # Longest run first ("United Kingdom"), then each word ("Syrian Observatory").
        iso = _country_of_word(match.group(), gazetteer)
        if iso is None and len(words) > 1:
            for word in words:
                iso = _country_of_word(word.strip(".’'"), gazetteer)
                if iso is not None:
                    break
        if iso is not None:
            counts[iso] += weight


def _place_phrases(document: Document) -> list[str]:
    phrases: list[str] = []
    for mention in document.mentions:
        if mention.location_text:
            phrases.append(mention.location_text)
        phrases.extend(mention.location_hints)
    for _, doc in document.nlp_doc or ():
        phrases.extend(e.text for e in getattr(doc, "ents", ()) if e.label_ in {"GPE", "LOC"})
    return phrases


def country_focus(document: Document, gazetteer: Gazetteer) -> str | None:
    """The ISO alpha-2 code of the country the article is mostly about, or None.

    Counts country names and demonyms ("Syrian") in the headline (double weight) and body,
    skipping actor origins ("US-led"), plus the countries of the places the text names.
    """
    counts: Counter[str] = Counter()
    _count_countries(document.headline or "", 2, gazetteer, counts)
    _count_countries(_body_text(document), 1, gazetteer, counts)
    for phrase in dict.fromkeys(_place_phrases(document)):
        core, _ = strip_feature_words(phrase)
        if not core or gazetteer.country(core) is not None:
            continue  # countries were counted above
        areas = gazetteer.admin_areas(core)
        places = [c for c in gazetteer.candidates(core) if c.is_main_name]
        best = areas[:1] or places[:1]
        if best:
            counts[best[0].country_code] += 1
    if not counts:
        return None
    return counts.most_common(1)[0][0]


class GeocodeStage:
    """Document → Document with ``events``: each mention geocoded and built into an Event."""

    name = "geocode"
    requires: tuple[str, ...] = ("mentions",)
    produces: tuple[str, ...] = ("events",)

    def __init__(self, gazetteer: Gazetteer | None = None, *, min_population: int = 500) -> None:
        self.gazetteer = gazetteer
        self.min_population = min_population

    def setup(self) -> None:
        """Load the packaged GeoNames gazetteer unless one was injected."""
        if self.gazetteer is None:
            from sitrep.adapters.gazetteer.packaged import PackagedGazetteer

            packaged = PackagedGazetteer(min_population=self.min_population)
            packaged.load()
            self.gazetteer = packaged

    def geocode(self, document: Document) -> Document:
        """Geocode one document's mentions into events."""
        from sitrep.stages.assemble import build_event

        if document.status is not DocumentStatus.PENDING or not document.mentions:
            return document
        if self.gazetteer is None:
            self.setup()
        gazetteer = self.gazetteer
        assert gazetteer is not None  # set by setup()
        focus = country_focus(document, gazetteer)
        events = tuple(
            build_event(document, mention, self.resolve(mention, focus, gazetteer))
            for mention in document.mentions
        )
        return replace(document, events=events)

    @staticmethod
    def resolve(mention: Mention, focus: str | None, gazetteer: Gazetteer) -> GeocodeResult:
        """Resolve one mention's place with the article's country focus."""
        return resolve_place(
            mention.location_text,
            hints=mention.location_hints,
            country=focus,
            gazetteer=gazetteer,
        )

    def __call__(self, batch: Sequence[Any]) -> list[Any]:
        """Geocode a batch of documents (same length and order)."""
        return [self.geocode(document) for document in batch]
