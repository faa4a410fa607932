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
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any

from sitrep.actors import ActorDictionary
from sitrep.adapters.gazetteer.base import Candidate, Gazetteer
from sitrep.errors import ConfigError
from sitrep.placenames import (
    AREA_FEATURES,
    NATURAL_FEATURES,
    NEAR_FEATURES,
    SETTLEMENT_FEATURES,
    directed_name,
    is_generic,
    light_key,
    normalize_name,
    strip_feature_words,
)
from sitrep.records import (
    Actor,
    Document,
    DocumentStatus,
    GeocodeResult,
    GeoReason,
    Mention,
    Place,
)
from sitrep.settings import Settings

# Within this distance of another place the text names, a candidate is "nearby" (km).
NEAR_KM = 150.0
# Outside the article's country focus a place must have its country (or admin1 area) named
# by the text, or be this big and written exactly as the gazetteer's preferred name
# ("talks in Geneva"); a small namesake abroad never wins (docs/decisions/0003).
STRONG_POPULATION = 1_000_000
# A town this big whose spelling no other gazetteer place shares may answer outside the
# focus country: with no namesake there is nothing to confuse it with.
UNIQUE_POPULATION = 100_000
# With no country focus, a place this big may answer to any of its alternate names.
KNOWN_POPULATION = 15_000
# An alternate name this close to the main one (difflib ratio of the light keys) is a spelling
# of it ("Muranga", "Elgeyo Marakwet"), not another name ("Tigania" for Mihai Vodă).
SPELLING_RATIO = 0.8
_FEATURE_BY_CODE = {"ADM1": "admin1", "ADM2": "admin2", "ADM3": "admin3", "PCLI": "country"}
# GeoNames feature classes other than P and A: what kind of feature a Place is.
_FEATURE_BY_CLASS = {"H": "water", "T": "terrain", "L": "area", "S": "spot", "V": "area"}
# Linear features: GeoNames puts a river on its mouth, so its point says nothing about where
# along it an event happened; only a team's overlay may place one (docs/geocoding.md).
_LINEAR_CODES = ("STM", "CNL", "WAD", "RD", "RR", "TNL")
LIGHT, PHONETIC = "light", "phonetic"


@dataclass
class _Context:
    """What the rest of the text says about where: countries, admin1 areas, places."""

    country: str | None
    countries: set[str] = field(default_factory=set)
    areas: set[tuple[str, str]] = field(default_factory=set)  # (iso, admin1 key)
    points: list[tuple[float, float, str]] = field(default_factory=list)  # lat, lon, name
    # True when a hint names a place or area inside the focus country: the article's
    # geography is established there, so a namesake abroad is not the place meant.
    anchored: bool = False


def _distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 6371.0 * 2 * math.asin(min(1.0, math.sqrt(h)))


def _written_as(cands: Iterable[Candidate], core: str) -> list[Candidate]:
    """The candidates whose matched name has the light key of ``core`` (same spelling)."""
    light = light_key(core)
    return [c for c in cands if light_key(c.matched_name) == light]


def _context(
    hints: Iterable[str],
    country: str | None,
    gazetteer: Gazetteer,
    places: Iterable[str] = (),
) -> _Context:
    ctx = _Context(country=country.upper() if country else None)
    _add_article_places(ctx, places, gazetteer)
    for hint in hints:
        core, _ = strip_feature_words(hint)
        if not core or is_generic(core):
            continue
        nation = gazetteer.country(core)
        if nation is not None:
            ctx.countries.add(nation.country_code)
            continue
        # Only names written as the gazetteer writes them: a sound-alike abroad must not
        # pull candidates towards itself.
        areas = _written_as(gazetteer.admin_areas(core), core)
        for area in areas:
            ctx.areas.add((area.country_code, normalize_name(area.name)))
        towns = _written_as(gazetteer.candidates(core), core)
        ctx.points.extend((c.latitude, c.longitude, c.name) for c in towns[:3])
        ctx.anchored = ctx.anchored or any(c.country_code == ctx.country for c in areas + towns)
    # The text names the focus country itself ("Marsabit County, Kenya"): established there.
    ctx.anchored = ctx.anchored or (ctx.country is not None and ctx.country in ctx.countries)
    return ctx


def _add_article_places(ctx: _Context, places: Iterable[str], gazetteer: Gazetteer) -> None:
    """Other places the article names: a candidate near them is likelier (distance only).

    Only places written as the gazetteer writes them and inside the focus country (when
    there is one), the best-known of each name: a namesake abroad must not pull candidates.
    """
    for phrase in dict.fromkeys(places):
        core, feature = strip_feature_words(phrase)
        if not core or is_generic(core) or feature in NATURAL_FEATURES:
            continue
        if gazetteer.country(core) is not None:
            continue
        found = [
            c
            for c in _written_as(gazetteer.candidates(core), core)
            if ctx.country is None or c.country_code == ctx.country
        ]
        if found:
            ctx.points.append((found[0].latitude, found[0].longitude, found[0].name))


def _names_area(cand: Candidate, ctx: _Context) -> bool:
    return (
        bool(cand.admin1)
        and (
            cand.country_code,
            normalize_name(cand.admin1 or ""),
        )
        in ctx.areas
    )


def _own_name(cand: Candidate) -> bool:
    """Is the matched name this place's own, not one of the many names GeoNames lists for it?

    Its main name, a spelling of it ("Elgeyo Marakwet" for Elegeyo-Marakwet) or words of it
    ("Pokot" for West Pokot). Not "Tigania" for a Romanian village or "Ingo" for Finland's
    Ingå. Callers decide from what size any listed name will do ("Mikindani" for Mtwara).
    """
    if cand.is_main_name:
        return True
    written, main = _words(cand.matched_name), _words(cand.name)
    if any(main[i : i + len(written)] == written for i in range(len(main))):
        return True  # a short form: "Clacton" for Clacton-on-Sea, "Pokot" for West Pokot
    return SequenceMatcher(None, "".join(written), "".join(main)).ratio() >= SPELLING_RATIO


def _words(name: str) -> list[str]:
    return [light_key(w) for w in re.split(r"[\s\-‐]+", name) if light_key(w)]


def _in_scope(cand: Candidate, ctx: _Context, *, tier: str, primary: bool) -> bool:
    """May this candidate answer, given the article's country focus? (decision 0003).

    With no focus (the text names no country and no place the gazetteer knows by that
    spelling), only names spelled as written. Outside the focus country: never a
    sound-alike; never a region as a fallback (a hint); otherwise only when the text names
    its country or admin1 area, or the name is the gazetteer's preferred one and either a
    big city or the text has placed nothing inside the focus country (the focus may then
    be wrong).
    """
    if ctx.country is None:
        # Nothing in the text says which country: only a name spelled as the gazetteer
        # writes it may answer, never a sound-alike ("Likoni" is not Gabon's "Lékoni"); and
        # a village only by its own name, not by one of the many alternate spellings GeoNames
        # lists ("Tigania" for a Romanian village, "Ingo" for Finland's Ingå); a town is
        # known by its other names too ("Kobane", "Margao").
        return tier == LIGHT and (_own_name(cand) or cand.population >= KNOWN_POPULATION)
    if cand.country_code == ctx.country:
        return True
    if tier == PHONETIC:
        return False
    if cand.country_code in ctx.countries:
        return True
    if cand.feature_code == "ADM1" and not primary:
        return False  # a hint naming a region abroad does not make it the fallback
    if _names_area(cand, ctx):
        return True
    return cand.is_main_name and (cand.population >= STRONG_POPULATION or not ctx.anchored)


def _admissible(
    cands: Sequence[Candidate], core: str, ctx: _Context, *, primary: bool
) -> tuple[list[Candidate], str]:
    """The candidates that may answer, and the key tier they matched on.

    Names written the same way (light key) first; sound-alikes (phonetic key) only when no
    such name is in scope.
    """
    written = _written_as(cands, core)
    light = [c for c in written if _in_scope(c, ctx, tier=LIGHT, primary=primary)]
    if light:
        return light, LIGHT
    towns = [c for c in written if c.feature_class == "P"]
    if (
        primary
        and towns
        and len({c.country_code for c in towns}) == 1
        and max(c.population for c in towns) >= UNIQUE_POPULATION
    ):
        # "Israeli jets struck Khan Younis": a sizeable town whose name no other place in
        # the world bears is that town, whatever country the article is mostly about; there
        # is no namesake to confuse it with (decision 0003).
        return towns, LIGHT
    return [c for c in cands if _in_scope(c, ctx, tier=PHONETIC, primary=primary)], PHONETIC


def _score(cand: Candidate, ctx: _Context, tier: str = LIGHT) -> tuple[float, str]:
    """Rank a candidate; return the score and the reasons, for ``explain``."""
    score, why = 0.0, []
    if tier == LIGHT:
        score += 1.0
        why.append("light key match (spelled as written)")
    else:
        why.append("phonetic key match (a sound-alike spelling)")
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
    if _names_area(cand, ctx):
        score += 2.0
        why.append(f"in {cand.admin1}, which the text names")
    if ctx.points:
        nearest, label = min(
            (_distance_km((cand.latitude, cand.longitude), p[:2]), p[2]) for p in ctx.points
        )
        if 0 < nearest < NEAR_KM:
            score += 1.0 - nearest / (2 * NEAR_KM)
            why.append(f"{nearest:.0f} km from {label}, which the text names")
    if cand.source == "overlay":
        score += 3.0
        why.append(f"the team's overlay ({cand.feature_code}, precision {cand.precision})")
    elif cand.feature_class not in ("P", "A"):
        why.append(f"a {_FEATURE_BY_CLASS.get(cand.feature_class, 'feature')} feature")
    score += min(math.log10(cand.population + 1), 7.0) / 7.0
    why.append(f"population {cand.population:,}")
    return score, "; ".join(why)


def _ranked(
    cands: Sequence[Candidate], ctx: _Context, tier: str = LIGHT
) -> list[tuple[Candidate, float, str]]:
    scored = [(c, *_score(c, ctx, tier)) for c in cands]
    scored.sort(key=lambda item: -item[1])
    return scored


def _feature_name(cand: Candidate) -> str:
    if cand.source == "overlay":
        return cand.feature_code  # the team's own word: "camp", "front", "checkpoint"
    if cand.feature_code in _FEATURE_BY_CODE:
        return _FEATURE_BY_CODE[cand.feature_code]
    return _FEATURE_BY_CLASS.get(cand.feature_class, "city")


def _place(cand: Candidate, *, precision: int) -> Place:
    return Place(
        location=cand.name,
        country=cand.country,
        iso=cand.country_code,
        admin1=cand.admin1,
        admin2=cand.admin2,
        admin3=cand.admin3,
        latitude=cand.latitude,
        longitude=cand.longitude,
        geo_precision=precision,
        geonameid=cand.geonameid,
        feature=_feature_name(cand),
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


def _at_capital(
    result: GeocodeResult, areas: list[tuple[Candidate, float, str]], gazetteer: Gazetteer
) -> GeocodeResult:
    """Put a region answer on the area's capital when the capital bears its name.

    ACLED codes an event known only to its province at the provincial capital (precision 3),
    not at a centroid, which may lie in empty desert. Capitals are known here only by name
    (Idlib in Idlib, Garissa in Garissa): other areas keep their centroid.
    """
    area = areas[0][0]
    if result.place is None or area.feature_code != "ADM1":
        return result
    # "Belgorod Oblast" → the town "Belgorod" in it; "Garissa" → "Garissa".
    core = strip_feature_words(area.name)[0] or area.name
    key, area_key = light_key(core), light_key(area.name)
    towns = [
        c
        for c in gazetteer.candidates(core, country=area.country_code)
        if light_key(c.name) == key and c.admin1 is not None and light_key(c.admin1) == area_key
    ]
    if not towns:
        return result
    town = max(towns, key=lambda c: c.population)
    place = replace(result.place, latitude=town.latitude, longitude=town.longitude)
    note = f"{result.note}; at its capital {town.name}, as ACLED codes a region"
    return replace(result, place=place, note=note)


def _area_beats_places(
    area: tuple[Candidate, float, str], place: tuple[Candidate, float, str]
) -> bool:
    """A bare "Texas": the state, unless the best place is the capital it is named after."""
    area_cand, town = area[0], place[0]
    named_after = town.country_code == area_cand.country_code and town.admin1 == area_cand.name
    return not named_after and area[1] > place[1]


def _known_whole(whole: str, ctx: _Context, gazetteer: Gazetteer) -> bool:
    """Is the phrase with its direction/feature word a name itself ("North Carolina")?"""
    if gazetteer.country(whole) is not None:
        return True
    found = [*gazetteer.admin_areas(whole), *gazetteer.candidates(whole)]
    return any(_in_scope(c, ctx, tier=LIGHT, primary=True) for c in _written_as(found, whole))


def _without_the(text: str) -> str:
    text = " ".join(text.split())
    return text[4:] if text[:4].casefold() == "the " else text


def _from_overlay(
    phrase: str,
    core: str,
    feature: str | None,
    *,
    primary: bool,
    ctx: _Context,
    gazetteer: Gazetteer,
) -> GeocodeResult | None:
    """A team's overlay entry named by the whole phrase or its core, with its own precision.

    Searched before the gazetteer: "the eastern bank of the Euphrates" drawn by the team is
    that area, whatever GeoNames knows (docs/geocoding.md).
    """
    for probe, near in ((_without_the(phrase), False), (core, feature in NEAR_FEATURES)):
        light = light_key(_without_the(probe))
        if not light:
            continue
        found = [
            c
            for c in (*gazetteer.candidates(probe), *gazetteer.features(probe))
            if c.precision is not None and light_key(_without_the(c.matched_name)) == light
        ]
        if not found:
            continue
        ranked = _ranked(found, ctx)
        precision = ranked[0][0].precision or 1
        if near or not primary:
            precision = max(precision, 2)  # "near the camp" / a hint: part of, not the point
        reason = {1: GeoReason.EXACT, 2: GeoReason.NEAR, 3: GeoReason.REGION}[precision]
        if not primary:
            reason = GeoReason.REGION if precision == 3 else GeoReason.ENCLOSING
        return _answer(ranked, precision=precision, reason=reason, query=phrase)
    return None


def _from_features(
    core: str, *, natural: bool, ctx: _Context, gazetteer: Gazetteer, query: str
) -> GeocodeResult | None:
    """A feature that is no populated place: a lower admin area, spot, mountain, lake, area.

    A spot (camp, airbase) is a point (precision 1); an ADM2/ADM3 area is part of a region
    (2); terrain, water and areas are regions (3). Rivers and other linear features never
    answer: their GeoNames point is the mouth. With ``natural`` (the phrase said "river",
    "lake", "mountains"...) only natural features may answer, never an admin area or spot.
    """
    cands, tier = _admissible(gazetteer.features(core), core, ctx, primary=True)
    cands = [
        c
        for c in cands
        if c.precision is None
        and not c.feature_code.startswith(_LINEAR_CODES)
        and (c.feature_class in "HTLUV" if natural else True)
    ]
    if not cands:
        return None
    ranked = _ranked(cands, ctx, tier)
    best = ranked[0][0]
    if best.feature_class == "S":
        return _answer(ranked, precision=1, reason=GeoReason.EXACT, query=query)
    return _answer(
        ranked,
        precision=2 if best.feature_class == "A" else 3,
        reason=GeoReason.REGION,
        query=query,
    )


def _resolve_phrase(
    phrase: str, *, primary: bool, ctx: _Context, gazetteer: Gazetteer
) -> GeocodeResult | None:
    """Resolve one phrase: the mention's own place (primary) or a larger area (a hint)."""
    core, feature = strip_feature_words(phrase)
    overlay = _from_overlay(phrase, core, feature, primary=primary, ctx=ctx, gazetteer=gazetteer)
    if overlay is not None:
        return overlay
    if not core or is_generic(core):
        return None  # "the area", "the town": the article's places decide
    whole = _without_the(phrase.strip())
    if whole != core and _known_whole(whole, ctx, gazetteer):
        core, feature = whole, None
    directed = directed_name(phrase, core)
    if directed is not None and _known_whole(directed, ctx, gazetteer):
        core = directed  # "the town of North Horr": the town, not a "Horr" abroad
    if feature in NATURAL_FEATURES:
        # A river is no settlement ("the Jordan River" is not the country, nor a village
        # called Jordan): the hints place it; resolve_place tries the feature itself last.
        return None
    if gazetteer.country(core) is None and _country_of_word(core, gazetteer) is not None:
        return None  # "Ukrainian" (tagged a place by the small model): a people, not a place
    nation = gazetteer.country(core)
    if nation is not None:
        return GeocodeResult(
            place=_place(nation, precision=3),
            reason=GeoReason.COUNTRY,
            query=phrase,
            candidates=1,
            note="country only: the capital's coordinates, as ACLED codes country-level events",
        )
    area_cands, area_tier = _admissible(gazetteer.admin_areas(core), core, ctx, primary=primary)
    place_cands, place_tier = _admissible(gazetteer.candidates(core), core, ctx, primary=primary)
    split = _article_split(core)
    if not area_cands and not place_cands and split is not None:
        # "Elwak" is "El Wak" written as one word: the gazetteer keys drop the article.
        core = split
        area_cands, area_tier = _admissible(gazetteer.admin_areas(core), core, ctx, primary=primary)
        place_cands, place_tier = _admissible(
            gazetteer.candidates(core), core, ctx, primary=primary
        )
    areas = _ranked(area_cands, ctx, area_tier)
    places = _ranked(place_cands, ctx, place_tier)
    # "X countryside"/"X province" is the area; a bare larger-area hint also means the area
    # when an admin1 has that name, since the event lies somewhere in it, not at its capital.
    wants_area = feature in AREA_FEATURES or (not primary and feature != "city")
    settlement = feature in SETTLEMENT_FEATURES
    if (
        areas
        and not settlement
        and (wants_area or not places or _area_beats_places(areas[0], places[0]))
    ):
        return _at_capital(
            _answer(areas, precision=3, reason=GeoReason.REGION, query=phrase), areas, gazetteer
        )
    if feature in AREA_FEATURES and feature != "countryside":
        # "X district": the district (an ADM2/ADM3 area, named "X District" or "X") before
        # its namesake town.
        for probe in dict.fromkeys((whole, core)):
            lower = _from_features(probe, natural=False, ctx=ctx, gazetteer=gazetteer, query=phrase)
            if (
                lower is not None
                and lower.place is not None
                and lower.place.feature
                in (
                    "admin2",
                    "admin3",
                )
            ):
                return lower
    if not places:
        if primary:
            return _from_features(core, natural=False, ctx=ctx, gazetteer=gazetteer, query=phrase)
        return None
    if primary and feature in NEAR_FEATURES:
        return _answer(places, precision=2, reason=GeoReason.NEAR, query=phrase)
    if primary and feature in AREA_FEATURES:
        return _answer(places, precision=2, reason=GeoReason.NEAR, query=phrase)
    if primary:
        return _answer(places, precision=1, reason=GeoReason.EXACT, query=phrase)
    return _answer(places, precision=2, reason=GeoReason.ENCLOSING, query=phrase)


_JOINED_ARTICLE = re.compile(r"^(al|el|ad|ar|as|ash|az|an|at|ed|er|es|ez)([a-z]{3,})$", re.I)


def _unplaced(
    text: str, named: str | None, ctx: _Context, gazetteer: Gazetteer
) -> GeocodeResult | None:
    """A named place the gazetteer lacks, with no region to stand in: its name, no point.

    "residents of Kibundani protested": the row says Kibundani rather than a country's capital
    hundreds of kilometres away, or nothing at all; it has no coordinates and no geo
    precision, so maps and box queries leave it out and an analyst can find it by name
    (decision 0003). The country is the article's focus, else the country the text names
    (``named``). A name the gazetteer knows only in another country may be a misreading: with
    a country the text names, None (the caller answers with that country, as before); with
    none, the name without a country.
    """
    core, _ = strip_feature_words(text)
    iso = ctx.country or named
    elsewhere = any(c.country_code != iso for c in _written_as(gazetteer.candidates(core), core))
    if elsewhere and named is not None:
        return None
    country = gazetteer.country_by_code(iso) if iso and not elsewhere else None
    place = Place(
        location=core,
        country=country.country if country is not None else None,
        iso=country.country_code if country is not None else None,
        admin1=None,
        admin2=None,
        admin3=None,
        latitude=None,
        longitude=None,
        geo_precision=None,
        feature="unplaced",
    )
    return GeocodeResult(
        place=place,
        reason=GeoReason.NOT_FOUND,
        query=text,
        note="no gazetteer entry for the place or a region enclosing it: named, not placed",
    )


def _article_split(core: str) -> str | None:
    """ "Elwak" → "El wak", "Alqaim" → "Al qaim": a one-word name whose article is joined."""
    found = _JOINED_ARTICLE.match(core)
    return f"{found.group(1)} {found.group(2)}" if found else None


def _names_a_place(text: str) -> bool:
    """True when the phrase is a proper name ("Hlegu township"), not "the area" or a river."""
    core, feature = strip_feature_words(text)
    return bool(core) and not is_generic(core) and feature not in NATURAL_FEATURES


def _resolve_hints(
    hints: Sequence[str], ctx: _Context, gazetteer: Gazetteer
) -> list[tuple[str, GeocodeResult]]:
    return [
        (hint, found)
        for hint in dict.fromkeys(h for h in hints if h and h.strip())
        if (found := _resolve_phrase(hint, primary=False, ctx=ctx, gazetteer=gazetteer))
    ]


def _contradicted(
    place: Place, resolved: Sequence[tuple[str, GeocodeResult]], gazetteer: Gazetteer
) -> bool:
    """Do the sentence's other places put it in another country than ``place``?

    "X (Y, Z)", "X in Y county": when the areas and towns around a place all lie in one
    country and none in the place's, the place found is a namesake abroad — unless it is the
    bigger name: a village of 2,000 abroad that shares a name with a stadium ("clashed at Moi
    stadium") does not move a town of 100,000 ("in Mandera").
    """
    around = [
        f.place
        for _, f in resolved
        if f.place is not None and f.place.iso and f.reason is not GeoReason.COUNTRY
    ]
    named = {f.place.iso for _, f in resolved if f.place is not None and f.place.iso}
    if not around or place.iso in named:
        return False
    size = _population(place, gazetteer)
    return any(_population(other, gazetteer) >= size for other in around)


def _population(place: Place, gazetteer: Gazetteer) -> float:
    """A place's population, an area's counted as unbounded (it holds its towns)."""
    if place.feature in {"admin1", "admin2", "admin3", "country"} or place.geonameid is None:
        return math.inf
    return max(
        (
            c.population
            for c in gazetteer.candidates(place.location)
            if c.geonameid == place.geonameid
        ),
        default=0,
    )


# Parts of a town: "Sofia slum" is no capital city of millions, whatever areas are around it.
_TOWN_PARTS = frozenset(
    {"village", "villages", "hamlet", "camp", "slum", "estate", "neighbourhood", "neighborhood"}
    | {"suburb", "ward"}
)


def _stands_alone(text: str, gazetteer: Gazetteer) -> bool:
    """A city of millions named bare ("Lagos") is that city, whatever else the text names."""
    core, feature = strip_feature_words(text)
    if feature in _TOWN_PARTS:
        return False
    return any(
        c.is_main_name and c.population >= STRONG_POPULATION
        for c in _written_as(gazetteer.candidates(core), core)
    )


def resolve_place(
    text: str | None,
    *,
    hints: Sequence[str] = (),
    country: str | None = None,
    places: Sequence[str] = (),
    gazetteer: Gazetteer,
    unplaced: bool = False,
) -> GeocodeResult:
    """Resolve a mention's place phrase to a Place, or abstain with the reason.

    A place found abroad while the hints all resolve in another country is a namesake and
    is dropped ("Pangani (Starehe, Nairobi)"), unless it is a city of millions named bare.
    When the phrase itself is not found (or is "the area", a river), the hints are walked in
    order: a region or town the text names beats any country. For an unknown named place
    ("Hlegu township") a region beats a town: another town the article named is elsewhere,
    the region encloses both. A country comes last, the focus country first.

    Args:
        text: the most specific place phrase of the sentence ("the town of X"), or None.
        hints: larger areas the sentence or article names, most specific first.
        country: the ISO alpha-2 code the article is mostly about (``country_focus``).
        places: other places the article names (other mentions' phrases): candidates near
            them score higher, nothing more.
        gazetteer: where names are looked up.
        unplaced: the phrase is a place's name by its frame or tag: when neither it nor a
            region enclosing it is found, answer with the name and no point (``_unplaced``)
            instead of the country.
    """
    phrases = [p for p in (text, *hints) if p and p.strip()]
    if not phrases:
        return GeocodeResult(place=None, reason=GeoReason.NO_LOCATION, query=text)
    ctx = _context(hints, country, gazetteer, places)
    named = False
    resolved: list[tuple[str, GeocodeResult]] | None = None
    if text and text.strip():
        found = _resolve_phrase(text, primary=True, ctx=ctx, gazetteer=gazetteer)
        if found is not None and found.place is not None and hints:
            resolved = _resolve_hints(hints, ctx, gazetteer)
            if _contradicted(found.place, resolved, gazetteer) and not _stands_alone(
                text, gazetteer
            ):
                found = None  # "Pangani (Starehe, Nairobi)" is not Tanzania's Pangani
        if found is not None:
            return found
        named = _names_a_place(text)
    if resolved is None:
        resolved = _resolve_hints(hints, ctx, gazetteer)
    passes: tuple[tuple[GeoReason, ...], ...] = (
        ((GeoReason.REGION,), (GeoReason.ENCLOSING,))
        if named
        else ((GeoReason.REGION, GeoReason.ENCLOSING),)
    )
    for wanted in passes:
        for hint, found in resolved:
            if found.reason in wanted:
                return replace(found, query=text or hint, note=f"from {hint!r}: {found.note}")
    if text and text.strip():
        # A lake, mountain range or valley the text names and no town or region places:
        # the feature itself, as a region (never a village of the same name).
        core, feature = strip_feature_words(text)
        if core and not is_generic(core) and feature in NATURAL_FEATURES:
            natural = _from_features(
                core, natural=True, ctx=ctx, gazetteer=gazetteer, query=text
            ) or _from_features(
                _without_the(text), natural=True, ctx=ctx, gazetteer=gazetteer, query=text
            )
            if natural is not None:
                return natural
    nations = [(h, f) for h, f in resolved if f.reason is GeoReason.COUNTRY]
    nations.sort(key=lambda item: item[1].place is None or item[1].place.iso != ctx.country)
    if (
        unplaced
        and named
        and text
        and _country_of_word(strip_feature_words(text)[0], gazetteer) is None
    ):
        nation = nations[0][1].place if nations else None
        found = _unplaced(text, nation.iso if nation else None, ctx, gazetteer)
        if found is not None:
            return found
    if nations:
        hint, found = nations[0]
        return replace(found, query=text or hint, note=f"from {hint!r}: {found.note}")
    return GeocodeResult(
        place=None,
        reason=GeoReason.NOT_FOUND,
        query=text,
        note="no gazetteer entry for the place or any larger area the text names",
    )


def explain(
    text: str,
    *,
    gazetteer: Gazetteer,
    hints: Sequence[str] = (),
    country: str | None = None,
    places: Sequence[str] = (),
) -> list[tuple[Candidate, float, str]]:
    """Every candidate for ``text`` (overlay entries, places, areas, features, the country),
    best first, with its score and why; the key tier is per candidate."""
    core, _ = strip_feature_words(text)
    ctx = _context(hints, country, gazetteer, places)
    seen: set[tuple[int | None, str, float, float]] = set()
    cands: list[Candidate] = []
    for probe in dict.fromkeys((_without_the(text), core)):
        found = [
            *gazetteer.candidates(probe),
            *gazetteer.admin_areas(probe),
            *gazetteer.features(probe),
        ]
        nation = gazetteer.country(probe)
        if nation is not None:
            found.append(nation)
        for cand in found:
            ident = (cand.geonameid, cand.name, cand.latitude, cand.longitude)
            if ident not in seen:
                seen.add(ident)
                cands.append(cand)
    light = {light_key(_without_the(text)), light_key(core)}
    scored = [
        (
            c,
            *_score(
                c, ctx, LIGHT if light_key(_without_the(c.matched_name)) in light else PHONETIC
            ),
        )
        for c in cands
    ]
    scored.sort(key=lambda item: -item[1])
    return scored


def explain_geocode(
    text: str,
    *,
    settings: Settings | None = None,
    gazetteer: Gazetteer | None = None,
    country: str | None = None,
    hints: Sequence[str] = (),
    places: Sequence[str] = (),
) -> dict[str, Any]:
    """``explain`` and ``resolve_place`` for one phrase, as JSON-ready data (``sitrep geocode``).

    Args:
        settings: builds the layered gazetteer (``geocode.*``) when ``gazetteer`` is None.
    """
    if gazetteer is None:
        gazetteer = build_gazetteer(**gazetteer_options(settings or Settings()))
    iso = country.upper() if country else None
    ranked = explain(text, gazetteer=gazetteer, hints=hints, country=iso, places=places)
    result = resolve_place(text, hints=hints, country=iso, places=places, gazetteer=gazetteer)
    return {
        "query": text,
        "country": iso,
        "hints": list(hints),
        "places": list(places),
        "candidates": [
            {
                "name": cand.name,
                "matched_name": cand.matched_name,
                "geonameid": cand.geonameid,
                "latitude": cand.latitude,
                "longitude": cand.longitude,
                "country": cand.country,
                "iso": cand.country_code,
                "admin1": cand.admin1,
                "admin2": cand.admin2,
                "admin3": cand.admin3,
                "feature": _feature_name(cand),
                "feature_code": cand.feature_code,
                "population": cand.population,
                "source": cand.source,
                "score": round(score, 3),
                "why": why,
            }
            for cand, score, why in ranked
        ],
        "result": {
            "reason": result.reason.value,
            "note": result.note,
            "place": None if result.place is None else asdict(result.place),
        },
    }


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


def _country_of_word(word: str, gazetteer: Gazetteer) -> tuple[str, int] | None:
    """The country a word names and its vote: 2 for the name, 1 for a demonym.

    A demonym counts half: it often says where an actor is from ("a Chinese company", "an
    Italian volunteer"), not where the story happens.
    """
    nation = gazetteer.country(word)
    if nation is not None:
        return nation.country_code, 2
    for suffix, endings in _DEMONYM_RULES:
        if word.endswith(suffix) and len(word) > len(suffix) + 2:
            stem = word[: -len(suffix)]
            for ending in endings:
                nation = gazetteer.country(stem + ending)
                if nation is not None:
                    return nation.country_code, 1
    return None


def _body_text(document: Document) -> str:
    return "\n".join(s.text for s in document.body_segments())


def _count_countries(text: str, weight: int, gazetteer: Gazetteer, counts: Counter[str]) -> None:
    for match in _CAPITALISED.finditer(text):
        if _ACTOR_MODIFIER.match(text[match.end() : match.end() + 12]):
            continue
        words = match.group().split()
        # Longest run first ("United Kingdom"), then each word ("Syrian Observatory").
        found = _country_of_word(match.group(), gazetteer)
        if found is None and len(words) > 1:
            for word in words:
                found = _country_of_word(word.strip(".’'"), gazetteer)
                if found is not None:
                    break
        if found is not None:
            counts[found[0]] += weight * found[1]


def _place_phrases(document: Document) -> list[str]:
    phrases: list[str] = []
    for mention in document.mentions:
        if mention.location_text:
            phrases.append(mention.location_text)
        phrases.extend(mention.location_hints)
    phrases.extend(_article_places(document))
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
        if is_generic(core):
            continue
        # Spelled as written only: a sound-alike abroad must not vote for its country.
        # Another place's name for a small area is no evidence ("Fora" is listed for Farah).
        areas = [
            a
            for a in _written_as(gazetteer.admin_areas(core), core)
            if _own_name(a) or a.population >= UNIQUE_POPULATION
        ]
        places = [c for c in _written_as(gazetteer.candidates(core), core) if c.is_main_name]
        # An admin area says more about the country than a town does: "Pangani (Nairobi)" is
        # in Kenya, though a town called Pangani lies in Tanzania.
        votes: Counter[str] = Counter()
        if areas:
            # A big area known by another name ("Mikindani" for Mtwara) votes as a town does.
            votes[areas[0].country_code] = 4 if areas[0].is_main_name else 2
        if places:
            # A big town outvotes a village's namesake: "Pangani (Starehe, Nairobi)".
            big = places[0].population >= UNIQUE_POPULATION
            votes[places[0].country_code] = max(votes[places[0].country_code], 3 if big else 2)
        if votes:
            iso, vote = votes.most_common(1)[0]
            counts[iso] += vote
    if not counts:
        return None
    return counts.most_common(1)[0][0]


# Country-code domains sold for other uses (.io, .tv, .ai...): no country for the story.
_GENERIC_CCTLDS = frozenset(
    {"io", "co", "tv", "me", "ai", "fm", "ws", "cc", "to", "am", "gg", "nu", "sh", "ac", "la"}
)


def url_country(url: str | None, gazetteer: Gazetteer) -> str | None:
    """The country of a page address's country-code domain ("nation.co.ke" → KE), or None.

    Used only when the text names no country: a national outlet mostly reports its country.
    """
    if not url:
        return None
    from urllib.parse import urlsplit

    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        return None
    tld = host.rsplit(".", 1)[-1].casefold()
    if len(tld) != 2 or not tld.isalpha() or tld in _GENERIC_CCTLDS:
        return None
    iso = "GB" if tld == "uk" else tld.upper()
    return iso if gazetteer.country_by_code(iso) is not None else None


# Generic actors that belong to where the event happens (ACLED names them for the event's
# country). Not "Military Forces of X" or "Government of X": those act abroad.
LOCAL_ACTOR_TEMPLATES = frozenset(
    {
        "Civilians ({country})",
        "Protesters ({country})",
        "Rioters ({country})",
        "Police Forces of {country}",
        "Unidentified Armed Group ({country})",
    }
)


def recountry_actors(mention: Mention, place: Place | None, actors: ActorDictionary) -> Mention:
    """Name generic local actors (civilians, protesters, police...) for the place's country.

    "Forces of country A struck a building in a city of country B, killing 4 civilians":
    the civilians are B's, whatever country the sentence named first.
    """
    if place is None or place.iso is None:
        return mention
    iso = place.iso

    def local(actor: Actor | None) -> Actor | None:
        if actor is None or actor.country == iso:
            return actor
        template = actors.template_of(actor)
        if template is None:
            return actor
        # A force with no country at all ("soldiers", and the text names no country) is
        # the event place's; one with a country keeps it unless it is a local template.
        if actor.country is not None and template not in LOCAL_ACTOR_TEMPLATES:
            return actor
        return actors.generic(template, text=actor.text, country=iso)

    changes: dict[str, Any] = {
        "actor1": local(mention.actor1),
        "actor2": local(mention.actor2),
        "assoc_actor_1": tuple(local(a) or a for a in mention.assoc_actor_1),
        "assoc_actor_2": tuple(local(a) or a for a in mention.assoc_actor_2),
    }
    if all(getattr(mention, k) == v for k, v in changes.items()):
        return mention
    return replace(mention, **changes)


def _article_places(document: Document) -> list[str]:
    """Places the article body names (tagged GPE/LOC), in order, for mentions with none."""
    found: list[str] = []
    for _, doc in document.nlp_doc or ():
        found.extend(e.text for e in getattr(doc, "ents", ()) if e.label_ in {"GPE", "LOC"})
    return list(dict.fromkeys(found))


def _from_article(
    article: Sequence[str], focus: str | None, gazetteer: Gazetteer, *, places: Sequence[str]
) -> GeocodeResult:
    """The first place the article names that resolves, for an event sentence with no place.

    "Police shot a man on Tuesday. The shooting happened in Eldoret.": the article's place is
    the event's, as an analyst would read it. Countries are left to the country fallback: a
    place named anywhere in the text must be a town or an area to stand in for the event's.
    """
    for phrase in article:
        core, _ = strip_feature_words(phrase)
        if not core or gazetteer.country(core) is not None:
            continue
        found = resolve_place(phrase, country=focus, places=places, gazetteer=gazetteer)
        if found.place is not None and found.reason is not GeoReason.COUNTRY:
            return replace(found, note=f"from the article's place {phrase!r}: {found.note}")
    countries = [p for p in article if gazetteer.country(strip_feature_words(p)[0]) is not None]
    if countries:
        found = resolve_place(None, hints=countries, country=focus, gazetteer=gazetteer)
        if found.place is not None:
            return replace(found, note=f"from the article's country: {found.note}")
    return GeocodeResult(place=None, reason=GeoReason.NO_LOCATION, query=None)


def build_gazetteer(
    *,
    overlay: str | Path | None = None,
    index: str | Path | None = None,
    min_population: int = 500,
    cache_dir: str | Path | None = None,
) -> Gazetteer:
    """The layered gazetteer: a team's overlay, then a GeoNames index, then the packaged one.

    Args:
        overlay: a CSV/JSON overlay file (``geocode.overlay``), or None.
        index: a SQLite index from ``sitrep gazetteer import`` (``geocode.index``), or None.
        min_population / cache_dir: the packaged gazetteer's options.

    Raises:
        ConfigError: the overlay or index file is missing or invalid.
    """
    from sitrep.adapters.gazetteer.geonames_sqlite import GeoNamesSqliteGazetteer
    from sitrep.adapters.gazetteer.layered import LayeredGazetteer
    from sitrep.adapters.gazetteer.overlay import OverlayGazetteer
    from sitrep.adapters.gazetteer.packaged import PackagedGazetteer

    layers: list[Gazetteer] = []
    if overlay is not None:
        layers.append(OverlayGazetteer.from_file(overlay))
    if index is not None:
        layers.append(GeoNamesSqliteGazetteer(index))
    packaged = PackagedGazetteer(min_population=min_population, cache_dir=cache_dir)
    packaged.load()
    if not layers:
        return packaged
    return LayeredGazetteer([*layers, packaged])


def _optional_path(value: object) -> Path | None:
    text = str(value).strip()
    return Path(text).expanduser() if text else None


def gazetteer_options(
    settings: Settings, *, environ: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """``build_gazetteer``'s keyword arguments from ``geocode.*`` settings."""
    from sitrep.adapters.gazetteer.packaged import user_cache_dir

    return {
        "overlay": _optional_path(settings["geocode.overlay"]),
        "index": _optional_path(settings["geocode.index"]),
        "min_population": int(settings["geocode.min_population"]),
        "cache_dir": _optional_path(settings["geocode.cache_dir"]) or user_cache_dir(environ),
    }


class GeocodeStage:
    """Document → Document with ``events``: each mention geocoded and built into an Event.

    Args:
        gazetteer: where names are looked up; None builds the layered one in setup
            (``build_gazetteer``: overlay, GeoNames index, packaged).
        min_population: the packaged gazetteer's smallest populated place.
        cache_dir: where the packaged gazetteer caches its built index (resolved by the
            caller, e.g. ``user_cache_dir()`` for an empty ``geocode.cache_dir``); None
            builds it in memory.
        actors: the actor dictionary used to re-country generic actors; None loads the
            shipped one in setup.
        overlay: a team's overlay file (``geocode.overlay``), searched first.
        index: a GeoNames SQLite index (``geocode.index``), searched before the packaged one.
        country: the country to assume when a page names none and its address gives none
            (``geocode.country``, ISO alpha-2).
    """

    name = "geocode"
    requires: tuple[str, ...] = ("mentions",)
    produces: tuple[str, ...] = ("events",)

    def __init__(
        self,
        gazetteer: Gazetteer | None = None,
        *,
        min_population: int = 500,
        cache_dir: str | Path | None = None,
        actors: ActorDictionary | None = None,
        overlay: str | Path | None = None,
        index: str | Path | None = None,
        country: str | None = None,
    ) -> None:
        self.gazetteer = gazetteer
        self.country = country.strip().upper() or None if country else None
        self.min_population = min_population
        self.cache_dir = Path(cache_dir) if cache_dir is not None else None
        self.actors = actors
        self.overlay = Path(overlay) if overlay is not None else None
        self.index = Path(index) if index is not None else None

    @classmethod
    def from_settings(
        cls, settings: Settings, *, environ: Mapping[str, str] | None = None
    ) -> GeocodeStage:
        """Build the stage from ``geocode.*`` settings (for callers: reads no file).

        Args:
            environ: resolves an empty ``geocode.cache_dir`` to the user cache folder
                (``os.environ`` when None).
        """
        country = str(settings["geocode.country"]).strip()
        return cls(**gazetteer_options(settings, environ=environ), country=country or None)

    def setup(self) -> None:
        """Load the (layered) gazetteer and the actor dictionary unless injected."""
        if self.gazetteer is None:
            self.gazetteer = build_gazetteer(
                overlay=self.overlay,
                index=self.index,
                min_population=self.min_population,
                cache_dir=self.cache_dir,
            )
        if self.actors is None:
            self.actors = ActorDictionary.load()
        if self.country is not None and self.gazetteer.country_by_code(self.country) is None:
            raise ConfigError(
                f"geocode.country {self.country!r} is not an ISO 3166 alpha-2 country code "
                "the gazetteer knows (e.g. KE, SY, NG)"
            )

    def geocode(self, document: Document) -> Document:
        """Geocode one document's mentions into events."""
        from sitrep.stages.assemble import build_event

        if document.status is not DocumentStatus.PENDING or not document.mentions:
            return document
        if self.gazetteer is None or self.actors is None:
            self.setup()
        gazetteer, actors = self.gazetteer, self.actors
        assert gazetteer is not None and actors is not None  # set by setup()
        focus = (
            country_focus(document, gazetteer)
            or url_country(document.url, gazetteer)
            or self.country
        )
        named = [m.location_text for m in document.mentions if m.location_text]
        events = []
        for mention in document.mentions:
            own = light_key(strip_feature_words(mention.location_text or "")[0])
            others = [p for p in named if light_key(strip_feature_words(p)[0]) != own]
            result = self.resolve(mention, focus, gazetteer, places=others)
            if result.reason is GeoReason.NO_LOCATION:
                result = _from_article(_article_places(document), focus, gazetteer, places=others)
            mention = recountry_actors(mention, result.place, actors)
            events.append(build_event(document, mention, result))
        return replace(document, events=tuple(events))

    @staticmethod
    def resolve(
        mention: Mention,
        focus: str | None,
        gazetteer: Gazetteer,
        *,
        places: Sequence[str] = (),
    ) -> GeocodeResult:
        """Resolve one mention's place with the article's country focus and other places."""
        return resolve_place(
            mention.location_text,
            hints=mention.location_hints,
            country=focus,
            places=places,
            gazetteer=gazetteer,
            unplaced=mention.location_named,
        )

    def __call__(self, batch: Sequence[Any]) -> list[Any]:
        """Geocode a batch of documents (same length and order)."""
        return [self.geocode(document) for document in batch]
