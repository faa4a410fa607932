"""Place-name keys that survive transliteration, and the feature words around a place name.

``normalize_name`` maps the many Latin spellings of one name to one key, so that
"Deir Ezzor", "Deir ez-Zor", "Dayr az Zawr" and "Dair az-Zaur" meet in the gazetteer index.
The key is a lookup key, never shown to users: it folds vowels to Arabic's three (a, i, u),
drops articles ("al-", assimilated "ez-Z"), apostrophes and doubled letters.
See docs/decisions/0003-geocoding.md.
"""

from __future__ import annotations

import operator
import re
import unicodedata
from functools import lru_cache

# Bumped whenever a rule below changes a key: the gazetteer's disk cache is keyed by it.
NORMALIZATION_VERSION = "2"

# Letters NFKD does not decompose into a base letter + mark.
_LETTERS = str.maketrans(
    {
        "ı": "i",
        "ø": "o",
        "Ø": "o",
        "ł": "l",
        "Ł": "l",
        "đ": "d",
        "Đ": "d",
        "ð": "d",
        "Ð": "d",
        "þ": "th",
        "ß": "ss",
        "æ": "ae",
        "Æ": "ae",
        "œ": "oe",
        "Œ": "oe",
        "ŋ": "ng",
        "ə": "a",
        "Ə": "a",
        "ǝ": "a",
        "ħ": "h",
        "Ħ": "h",
    }
)
# Hamza/ayn marks and apostrophes: transliterations keep or drop them at will.
_MARKS = {ord(ch): None for ch in "ʿʾʻʼʽ‘’`´'′\""}
_SPLIT = re.compile(r"[\W_]+")
# Arabic (and Hebrew/Persian-style) articles written as a separate word or with a hyphen.
_ARTICLES = frozenset(
    [
        "al",
        "el",
        "il",
        "ul",
        "ad",
        "ed",
        "ud",
        "ar",
        "er",
        "ur",
        "as",
        "es",
        "us",
        "ash",
        "esh",
        "ush",
        "az",
        "ez",
        "uz",
        "at",
        "et",
        "ut",
        "an",
        "en",
        "un",
        "ath",
        "adh",
    ]
)
_SUN_LETTERS = frozenset("dnrstz")
_DOUBLED = re.compile(r"(.)\1+")
# A callable, not the template r"\1": re expands a template on every match (slow in bulk).
_FIRST = operator.methodcaller("group", 1)
# Digraph folds (one left-to-right pass), then single letters: Arabic's three vowels.
_DIGRAPHS = {
    "dj": "j",
    "dh": "z",
    "th": "t",
    "ph": "f",
    "ck": "k",
    "ou": "u",
    "oo": "u",
    "ee": "i",
    "ay": "e",
    "ai": "e",
    "ei": "e",
    "ey": "e",
    "aw": "o",
    "au": "o",
    "ow": "o",
    "uw": "w",
}
_DIGRAPH = re.compile("|".join(_DIGRAPHS))
_LETTER_FOLDS = str.maketrans({"q": "k", "o": "u", "e": "i", "y": "i"})


def _strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.translate(_LETTERS))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _fold_digraph(match: re.Match[str]) -> str:
    return _DIGRAPHS[match.group()]


@lru_cache(maxsize=65_536)
def light_key(text: str) -> str:
    """Return the light lookup key of a place name ("" for no name): spelling, not sound.

    Casefolds, strips accents and ʿʾ‘’ marks, drops articles (al-, el-, ez-...; assimilated
    "Ezzor" → "zor") and joins the words, so "Deir ez-Zor" and "Deir Ezzor" meet while
    "Kona" and "Kone" stay apart. ``normalize_name`` folds this key further.
    """
    plain = text.casefold()
    if not plain.isascii():
        plain = _strip_accents(plain).casefold()
    tokens = _SPLIT.split(plain.translate(_MARKS))
    tokens = [t for t in tokens if t]
    if len(tokens) > 1 and tokens[0] in _ARTICLES:
        del tokens[0]
    kept = tokens[:1]
    for token in tokens[1:]:
        if token in _ARTICLES:
            continue
        # An article assimilated into the next word: "Ezzor" (ez-Zor), "Arraqqa".
        if (
            len(token) > 4
            and token[0] in "aeiu"
            and token[1] == token[2]
            and token[1] in _SUN_LETTERS
        ):
            token = token[2:]
        kept.append(token)
    return "".join(kept)


@lru_cache(maxsize=65_536)
def normalize_name(text: str) -> str:
    """Return the phonetic (transliteration-proof) lookup key of a place name ("" for none).

    The light key (``light_key``) with digraphs folded (dh→z, th→t, ou→u, ay/ai/ei→e,
    aw/au→o) and letters (q→k, o→u, e→i, y→i), a final vowel's "h" dropped and doubled
    letters collapsed. Scripts other than Latin pass through casefolded and joined, so an
    Arabic name still matches itself. Aggressive on purpose: a fallback behind the light key.
    """
    return phonetic_key(light_key(text))


def phonetic_key(key: str) -> str:
    """Fold a light key to the phonetic key (``normalize_name`` without the light step)."""
    if not key.isascii():
        return _DOUBLED.sub(_FIRST, key)
    # Folding can make a new digraph ("ae" -> "ai"); fold to a fixed point so the key of a
    # key is itself.
    while True:
        folded = _fold(key)
        if folded == key:
            return key
        key = folded


def _fold(key: str) -> str:
    key = _DOUBLED.sub(_FIRST, _DIGRAPH.sub(_fold_digraph, key).translate(_LETTER_FOLDS))
    if len(key) > 2 and key[-1] == "h" and key[-2] in "aiu":
        key = key[:-1]
    return key


# Feature words: what kind of place a phrase names. Longest phrases first.
_NEAR_PREFIXES = (
    "on the outskirts of",
    "in the vicinity of",
    "the outskirts of",
    "outskirts of",
    "the vicinity of",
    "vicinity of",
    "near",
    "nearby",
    "close to",
    "outside",
    "around",
    "west of",
    "east of",
    "north of",
    "south of",
)
# "the X of": the kind of place named after "of". Longer phrases are tried first.
_OF_WORDS = (
    "town",
    "village",
    "villages",
    "city",
    "district",
    "sub-district",
    "province",
    "governorate",
    "region",
    "state",
    "county",
    "township",
    "municipality",
    "prefecture",
    "department",
    "commune",
    "oblast",
    "locality",
    "camp",
    # Parts of a town or district: the event is in X ("the area of X", "Y slum of X").
    "area",
    "neighbourhood",
    "neighborhood",
    "suburb",
    "estate",
    "slum",
    "ward",
    "sub-county",
    "constituency",
    "settlement",
    "hamlet",
    "port",
)
_RIVER_PREFIXES = (
    "the eastern bank of",
    "the western bank of",
    "the northern bank of",
    "the southern bank of",
    "the east bank of",
    "the west bank of",
    "the banks of",
    "the bank of",
    "banks of",
    "bank of",
)
_SETTLEMENT_PREFIXES = (
    *_RIVER_PREFIXES,
    *(f"the {word} of" for word in _OF_WORDS),
    *(f"{word} of" for word in _OF_WORDS),
    "the",
)
# Suffix as written → the feature word reported (always letters only). Multi-word first.
_SUFFIXES: tuple[tuple[str, str], ...] = (
    ("local government area", "lga"),
    ("sub-district", "subdistrict"),
    ("sub district", "subdistrict"),
    ("countryside", "countryside"),
    ("province", "province"),
    ("governorate", "governorate"),
    ("subdistrict", "subdistrict"),
    ("district", "district"),
    ("region", "region"),
    ("state", "state"),
    ("county", "county"),
    ("oblast", "oblast"),
    ("raion", "district"),
    ("department", "department"),
    ("prefecture", "prefecture"),
    ("municipality", "municipality"),
    ("township", "township"),
    ("commune", "commune"),
    ("division", "division"),
    ("locality", "locality"),
    ("lga", "lga"),
    ("sub-county", "subcounty"),
    ("subcounty", "subcounty"),
    ("constituency", "constituency"),
    ("ward", "ward"),
    ("estate", "estate"),
    ("slum", "slum"),
    ("area", "area"),
    # "Isiolo South", "Kitui East": a constituency or part of the named area (a whole name
    # such as "Nairobi West" that the gazetteer knows is tried first by the geocoder).
    ("north", "area"),
    ("south", "area"),
    ("east", "area"),
    ("west", "area"),
    ("central", "area"),
    ("outskirts", "outskirts"),
    ("city", "city"),
    ("town", "town"),
    ("village", "village"),
    ("camp", "camp"),
    ("river", "river"),
    ("valley", "valley"),
    ("lake", "lake"),
    ("mountains", "mountains"),
    ("desert", "desert"),
)
_DIRECTIONS = re.compile(
    r"^(?:(?:north|south|east|west)(?:-?(?:east|west))?(?:ern)?|central|rural|upper|lower|greater)"
    r"\s+",
    re.IGNORECASE,
)
_PREFIX_WORDS = {
    "the outskirts of": "outskirts",
    "outskirts of": "outskirts",
    "on the outskirts of": "outskirts",
}


def _feature_of(prefix: str) -> str:
    if prefix in _PREFIX_WORDS:
        return _PREFIX_WORDS[prefix]
    if prefix in {"the vicinity of", "vicinity of", "in the vicinity of", "nearby", "close to"}:
        return "near"
    if prefix in _RIVER_PREFIXES:
        return "river"
    words = prefix.split()
    if "of" in words and len(words) >= 2:
        return words[-2].replace("-", "")
    return words[-1]


_NAMED_DIRECTION = re.compile(
    r"\b((?:(?:North|South|East|West)(?:-?(?:[Ee]ast|[Ww]est))?(?:ern)?|Central|Upper|Lower"
    r"|Greater)\s+)+$"
)


def directed_name(text: str, core: str) -> str | None:
    """The core with the capitalised direction words written before it, or None.

    "the town of North Horr" strips to "Horr"; "North Horr" may be a town's whole name
    (decision 0003), which the geocoder tries before the stripped core.
    """
    at = text.rfind(core)
    if at <= 0:
        return None
    m = _NAMED_DIRECTION.search(text[:at])
    return f"{m.group(0)}{core}" if m else None


def strip_feature_words(text: str, *, directions: bool = True) -> tuple[str, str | None]:
    """Split "the town of X" / "southeastern X countryside" into ("X", the feature word).

    The feature word returned is the most telling one found: a proximity word ("near",
    "outskirts", "outside"...) before an area word ("countryside", "province", "township"...)
    before a settlement word ("town", "village"). None when the phrase is a bare name.
    directions: also drop leading direction words ("North Kivu province" -> "Kivu"); False
    keeps them, for names in which they tell one area from another ("North Kivu").
    """
    core = " ".join(text.split()).strip(" ,.;:()[]\"'")
    found: list[str] = []
    changed = True
    while changed and core:
        changed = False
        lowered = core.casefold()
        for prefix in (*_NEAR_PREFIXES, *_SETTLEMENT_PREFIXES):
            if lowered.startswith(prefix + " ") and len(core) > len(prefix) + 1:
                if prefix != "the":
                    found.append(_feature_of(prefix))
                core = core[len(prefix) + 1 :].strip()
                changed = True
                break
        direction = _DIRECTIONS.match(core) if directions else None
        if direction and len(core) > direction.end():
            core = core[direction.end() :].strip()
            changed = True
        lowered = core.casefold()
        for suffix, feature in _SUFFIXES:
            if lowered.endswith(" " + suffix) and len(core) > len(suffix) + 1:
                found.append(feature)
                core = core[: -len(suffix) - 1].strip(" ,")
                changed = True
                break
    return core, _most_telling(found)


_PROXIMITY = ("near", "outskirts", "outside", "around", "west", "east", "north", "south")
_AREA_WORDS = (
    "countryside",
    "province",
    "governorate",
    "region",
    "state",
    "county",
    "oblast",
    "department",
    "prefecture",
    "division",
    "district",
    "subdistrict",
    "lga",
    "township",
    "municipality",
    "commune",
    "locality",
    "area",
    "subcounty",
    "constituency",
    "ward",
)
_NATURAL_WORDS = ("river", "valley", "lake", "mountains", "desert")


def _most_telling(found: list[str]) -> str | None:
    for group in (_NATURAL_WORDS, _PROXIMITY, _AREA_WORDS):
        for word in found:
            if word in group:
                return word
    return found[0] if found else None


# Feature words that mean "an area around/including the name", not the named point.
AREA_FEATURES = frozenset({"countryside", *_AREA_WORDS})
NEAR_FEATURES = frozenset(_PROXIMITY)
# A river, valley or lake is no settlement: "the Jordan River" is not the country, and an
# event there is placed by the larger areas the text names (docs/decisions/0003).
NATURAL_FEATURES = frozenset(_NATURAL_WORDS)
# "the village of X", "X town": a settlement, never an admin area of the same name.
SETTLEMENT_FEATURES = frozenset(
    {"village", "villages", "town", "city", "hamlet", "settlement", "camp", "slum", "estate"}
    | {"neighbourhood", "neighborhood", "suburb", "port"}
)
# Words that are never a place name by themselves ("the area", "the town", "the region").
GENERIC_WORDS = frozenset(
    {word for word, _ in _SUFFIXES}
    | set(_OF_WORDS)
    | {"place", "places", "scene", "site", "spot", "vicinity", "frontline", "front", "border"}
)


def is_generic(core: str) -> bool:
    """True when a stripped phrase is only a feature word ("area", "town"), not a name."""
    return core.casefold().removeprefix("the ").strip() in GENERIC_WORDS
