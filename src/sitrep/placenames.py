"""Place-name keys that survive transliteration, and the feature words around a place name.

``normalize_name`` maps the many Latin spellings of one name to one key, so that
"Deir Ezzor", "Deir ez-Zor", "Dayr az Zawr" and "Dair az-Zaur" meet in the gazetteer index.
The key is a lookup key, never shown to users: it folds vowels to Arabic's three (a, i, u),
drops articles ("al-", assimilated "ez-Z"), apostrophes and doubled letters.
See docs/decisions/0003-geocoding.md.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

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
def normalize_name(text: str) -> str:
    """Return the transliteration-proof lookup key of a place name ("" for no name).

    Casefolds, strips accents and ʿʾ‘’ marks, drops articles (al-, el-, ez-...), joins the
    words, folds digraphs (dh→z, th→t, ou→u, ay/ai/ei→e, aw/au→o) and letters (q→k, o→u,
    e→i, y→i), drops a final vowel's "h" and collapses doubled letters. Scripts other than
    Latin pass through casefolded and joined, so an Arabic name still matches itself.
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
    key = "".join(kept)
    if not key.isascii():
        return _DOUBLED.sub(r"\1", key)
    # Folding can make a new digraph ("ae" -> "ai"); fold to a fixed point so the key of a
    # key is itself.
    while True:
        folded = _fold(key)
        if folded == key:
            return key
        key = folded


def _fold(key: str) -> str:
    key = _DOUBLED.sub(r"\1", _DIGRAPH.sub(_fold_digraph, key).translate(_LETTER_FOLDS))
    if len(key) > 2 and key[-1] == "h" and key[-2] in "aiu":
        key = key[:-1]
    return key


# Feature words: what kind of place a phrase names. Longest phrases first.
_NEAR_PREFIXES = (
    "the outskirts of",
    "outskirts of",
    "the vicinity of",
    "vicinity of",
    "on the outskirts of",
    "in the vicinity of",
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
_SETTLEMENT_PREFIXES = (
    "the town of",
    "the village of",
    "the city of",
    "the villages of",
    "the district of",
    "the province of",
    "the governorate of",
    "the region of",
    "the state of",
    "the county of",
    "town of",
    "village of",
    "city of",
    "district of",
    "province of",
    "governorate of",
    "region of",
    "state of",
    "county of",
    "the",
)
_SUFFIXES = (
    "countryside",
    "province",
    "governorate",
    "district",
    "region",
    "state",
    "county",
    "oblast",
    "department",
    "prefecture",
    "division",
    "area",
    "outskirts",
    "city",
    "town",
    "village",
    "camp",
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
    words = prefix.split()
    if "of" in words and len(words) >= 2:
        return words[-2]
    return words[-1]


def strip_feature_words(text: str) -> tuple[str, str | None]:
    """Split "the town of X" / "southeastern X countryside" into ("X", the feature word).

    The feature word returned is the most telling one found: a proximity word ("near",
    "outskirts", "outside"...) before an area word ("countryside", "province"...) before a
    settlement word ("town", "village"). None when the phrase is a bare name.
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
        direction = _DIRECTIONS.match(core)
        if direction and len(core) > direction.end():
            core = core[direction.end() :].strip()
            changed = True
        lowered = core.casefold()
        for suffix in _SUFFIXES:
            if lowered.endswith(" " + suffix) and len(core) > len(suffix) + 1:
                found.append(suffix)
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
    "area",
)


def _most_telling(found: list[str]) -> str | None:
    for group in (_PROXIMITY, _AREA_WORDS):
        for word in found:
            if word in group:
                return word
    return found[0] if found else None


# Feature words that mean "an area around/including the name", not the named point.
AREA_FEATURES = frozenset({"countryside", *_AREA_WORDS})
NEAR_FEATURES = frozenset(_PROXIMITY)
