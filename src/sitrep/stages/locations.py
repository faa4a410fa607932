"""Place phrases of a sentence: the most specific place it names and the larger areas around it.

The geocoder resolves these strings; this module only reads them off the text. spaCy's
small model often labels transliterated village names as PERSON or ORG ("the town of
al-Qaryatayn"), so fixed phrase patterns come before entity labels. Demonyms are not places
(docs/decisions/0004-event-extraction.md).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sitrep.placenames import strip_feature_words
from sitrep.stages.nlp import WORD_LIST

# A proper name: capitalised words, with Arabic-style particles ("al-", "Deir ez-Zor").
_PARTICLE = (
    r"(?:al|el|ad|ag|as|ar|ash|an|at|az|ez|es|ed|ibn|bin|ben|abu|de|del|la|le|du|des|da|do|dos)"
)
# Written apart ("Ras al Ain", "Abu Kamal"), only particles that are no English word: "at",
# "an", "as", "do" before a name are the English words ("cameraman X at Bombi village").
_SPACED = r"(?:al|el|ash|ez|ibn|bin|ben|abu|de|del|la|le|du|des|da|dos)"
_PREFIX = rf"(?:{_PARTICLE}-|{_SPACED}\s)"
_WORD = rf"{_PREFIX}?[A-Z][\w'’]*(?:-(?:{_PARTICLE}-)?[\w'’]+)*"
_NAME = rf"{_WORD}(?:\s+{_PREFIX}?{_WORD})*"
_SETTLEMENT = (
    r"town|city|village|villages|hamlet|settlement|locality|township|neighbou?rhood|district|"
    r"suburb|camp|area|market|municipality|commune|sub-county|ward|estate|slum|port|island"
)
_AREA = (
    r"countryside|province|governorate|region|district|county|state|oblast|department|"
    r"prefecture|division|territory|municipality|sub-county|constituency|valley|desert|"
    r"border|region|raion|krai|emirate"
)
_DIRECTION = (
    r"(?:(?:north|south|east|west|central|northern|southern|eastern|western|"
    r"north-?eastern|north-?western|south-?eastern|south-?western|northeast|northwest|"
    r"southeast|southwest|north-?east|north-?west|south-?east|south-?west|rural|"
    r"upper|lower|greater|eastern-?most|western-?most)\s+)*"
)
_PLACE_OF_RE = re.compile(rf"\b(?:the\s+)?(?:{_SETTLEMENT})\s+of\s+({_NAME})")
_SETTLEMENT_WORD_RE = re.compile(rf"(?:the\s+)?({_SETTLEMENT})\b")
_AFTER_SETTLEMENT_RE = re.compile(rf"\s+(?i:{_SETTLEMENT})\b")
_AREA_RE = re.compile(rf"\b(?i:{_DIRECTION})({_NAME})\s+((?i:{_AREA}))\b")
_AREA_OF_RE = re.compile(
    rf"\b(?:province|governorate|region|state|county|oblast|district)\s+of\s+({_NAME})"
)
# "Gwoza local government area", "Pale township": an area small enough to be ACLED's location.
_LOCAL_AREA_RE = re.compile(rf"\b({_NAME})\s+(?:local government area|LGA|township|sub-county)\b")
_PREP_RE = re.compile(
    rf"\b(?:in|near|outside|at|around|from|into|on|towards?|across)\s+(?:the\s+)?({_NAME})"
)
_DIRECTION_WORDS = re.compile(rf"^(?i:{_DIRECTION})")
# People of a place: "residents of X", "X residents", "X villagers" name where they are.
_PEOPLE = (
    r"residents|villagers|locals|inhabitants|people|traders|youths|demonstrators|protesters|"
    r"protestors|farmers|herders|fishermen|workers|students|businessmen|squatters|"
    r"journalists|teachers|nurses|doctors|parents|pupils|motorists|vendors|hawkers|miners|"
    r"pastoralists|landowners|women|youth|elders|mothers|widows|operators|drivers|riders|"
    r"employees|lecturers|butchers|tenants"
)
_PEOPLE_OF_RE = re.compile(rf"\b(?i:{_PEOPLE})\s+(?:of|in|from)\s+(?:(?:an?|the)\s+)?({_NAME})")
# "a Wajir shop", "his Mombasa home": a town before a building is where the building stands.
_BUILDING_OF_RE = re.compile(
    rf"\b(?:an?|the|his|her|their|its)\s+(?:[a-z]+\s+)?({_NAME})\s+(?:shop|home|house|church|"
    r"mosque|hospital|market|hotel|bar|residence|compound|farm|office|offices)\b"
)
# "University of X", "X's General Hospital": an institution is in the town it is named for.
_INSTITUTION_OF_RE = re.compile(rf"\b(?:University|College|Polytechnic|Hospital)\s+of\s+({_NAME})")
_NAME_PEOPLE_RE = re.compile(rf"(?<![\w'’-])({_NAME})\s+(?:[a-z]+\s+){{0,3}}(?i:{_PEOPLE})\b")
# "Chakama town", "Kanuni Ward": a name with its settlement word after it.
_NAME_SETTLEMENT_RE = re.compile(
    rf"(?<![\w'’-])({_NAME})\s+(?i:town|village|city|estate|slum|ward|trading centre|township)\b"
)
# Words after a place name that start an institution or a group ("Embu University
# Students", "Mombasa Women"): the place is the name before them.
_INSTITUTION = frozenset(
    {
        "University",
        "Centre",
        "Center",
        "Institute",
        "Academy",
        "Church",
        "College",
        "School",
        "High",
        "Secondary",
        "Primary",
        "Hospital",
        "Technical",
        "Polytechnic",
        "Boys",
        "Girls",
        "Girls'",
        "National",
        "County",
        "Town",
        "City",
        "Village",
        "Ward",
        "Women",
        "Men",
        "Youth",
        "Youths",
        "Students",
        "Residents",
        "Traders",
        "Farmers",
        "Workers",
        "Market",
        "Governor",
        "Assembly",
        "Council",
        "Police",
    }
)
# Enclosing areas written after a place: "in X, Y, Z", "X (Y, Z)", "X in Y".
_ENCLOSING_RE = re.compile(rf"\s*(?:,|\(|\bin\b)\s*\b({_NAME})(?=\s*(?:[,.;:)]|$|\bin\b|[a-z]))")
# "the Eldoret-Kitale road": a road between two towns is placed at the first.
_ROAD_RE = re.compile(rf"(?<![\w'’-])({_WORD})-({_WORD})\s+(?i:road|highway)\b")
# A settlement word between two names: "Korogocho slum of Nairobi", "Quri area of Garba Tula".
_NAME_BEFORE_RE = re.compile(rf"(?<![\w'’-])({_NAME})\s+$")
_CALENDAR_WORDS = (
    "January February March April May June July August September October November December"
    " Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec"
    " Monday Tuesday Wednesday Thursday Friday Saturday Sunday"
)
_MONTHS = frozenset(_CALENDAR_WORDS.split())
# Words that a capitalised run may not swallow, e.g. in a title-case headline.
_STOP = frozenset(
    {
        "Of",
        "Ahead",
        "Against",
        "After",
        "As",
        "Amid",
        "For",
        "To",
        "The",
        "And",
        "With",
        "On",
        "In",
        "At",
        "By",
        "From",
        "Over",
        "Following",
        "Before",
        "Near",
        "During",
        "Under",
        "Into",
        "Says",
        "Said",
        "Kill",
        "Kills",
        "Killed",
        "Attack",
        "Attacks",
        "Strike",
        "Strikes",
        "Bombs",
        "A",
        "An",
        "New",
        "Fresh",
        "Day",
        "Week",
        "Dozens",
        "Is",
        "Are",
        "Was",
        "Were",
        "Be",
        "Has",
        "Have",
        # Counts and qualifiers before a group ("Five Kisumu journalists").
        "Two",
        "Three",
        "Four",
        "Five",
        "Six",
        "Seven",
        "Eight",
        "Nine",
        "Ten",
        "Hundreds",
        "Thousands",
        "Several",
        "Some",
        "Many",
        "Angry",
        "Irate",
        "Local",
    }
)
_NOT_PLACE_LABELS = frozenset({"NORP", "DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "PERCENT"})
# Streets, squares and buildings are inside the town the article has placed the event in; ACLED
# locates at the town, so they are not the sentence's place (docs/decisions/0004).
_STREET_WORDS = re.compile(
    r"\b(?i:Road|Street|St|Avenue|Ave|Square|Highway|Boulevard|Lane|Drive|Roundabout|Bridge"
    r"|Building|House|Hall|Stadium|Park|Market|Mall|Grounds?|Station|Campus)$"
)
_FEATURE_WORDS = re.compile(
    r"\b(?:River|Sea|Lake|Mountains?|Valley|Desert|Gulf|Ocean|Bank|Strip)\b"
)


@dataclass(frozen=True)
class PlacePhrases:
    """What a sentence says about where: the most specific place, then larger areas."""

    location_text: str | None
    hints: tuple[str, ...]
    # True when the place phrase is a place by its frame or its tag ("residents of X", "the
    # town of X", a GPE): a row may name it even when no gazetteer entry places it. False for
    # a person or organisation the tagger saw where a place could be: only the gazetteer
    # can confirm that guess.
    named: bool = False


def _trim(name: str) -> str:
    words = name.split()
    while words and words[0] in _STOP:
        words.pop(0)  # "In Kajiado sub-county" at a sentence start
    while words and words[-1] in _STOP:
        words.pop()
    cut = next((i for i, w in enumerate(words) if i > 0 and w in _STOP), len(words))
    return " ".join(words[:cut])


def area_hints(text: str, *, countries: Iterable[str] = ()) -> list[str]:
    """Larger areas named in ``text``: "Y countryside" then "Y", provinces, then countries."""
    hints: list[str] = []
    for m in _AREA_RE.finditer(text):
        name = _trim(_DIRECTION_WORDS.sub("", m.group(1)))
        if not name:
            continue
        hints.append(f"{name} {m.group(2).lower()}")
        hints.append(name)
    for m in _AREA_OF_RE.finditer(text):
        name = _trim(m.group(1))
        if name:
            hints.append(name)
    hints.extend(countries)
    return list(dict.fromkeys(hints))


def headline_places(headline: str) -> list[str]:
    """Place names a (title-case) headline gives after "in/near/at"."""
    out: list[str] = []
    for m in _PREP_RE.finditer(headline):
        name = _trim(_DIRECTION_WORDS.sub("", m.group(1)))
        if name:
            out.append(name)
    return out


def find_places(
    sent: Any,
    *,
    exclude: Sequence[tuple[int, int]] = (),
    countries: Sequence[str] = (),
) -> PlacePhrases:
    """Read the place phrases of a spaCy sentence Span.

    Args:
        exclude: character spans (relative to the sentence) that are not places, such as
            actor names ("Military Forces of Syria") and cited sources.
        countries: names of the countries the sentence mentions, added as the widest hints.
    """
    text: str = sent.text
    base: int = sent.start_char

    def excluded(start: int, end: int) -> bool:
        return any(start < e and s < end for s, e in exclude)

    hints = area_hints(text)
    hint_set = {h.lower() for h in hints}
    area_spans = [(m.start(1), m.end(0)) for m in _AREA_RE.finditer(text)]
    # Not NORP: the small model often calls a town used as a modifier a group ("Mombasa
    # demonstrators"); demonyms are kept out by their endings instead.
    not_places = [
        (e.start_char - base, e.end_char - base)
        for e in sent.ents
        if e.label_ in _NOT_PLACE_LABELS and e.label_ != "NORP"
    ]

    candidates: list[tuple[int, int, int, str]] = []  # (rank, start, end, phrase); low rank wins
    guesses: set[tuple[int, int]] = set()  # spans of person or organisation entities
    for m in _PLACE_OF_RE.finditer(text):
        if excluded(m.start(1), m.end(1)):
            continue
        before = _NAME_BEFORE_RE.search(text[: m.start()])
        name = _trim(before.group(1)) if before else ""
        if (
            before is not None
            and name
            and name not in _MONTHS
            and not excluded(before.start(1), before.end(1))
        ):
            # "Korogocho slum of Nairobi": the named settlement, inside the "of" place; its
            # settlement word stays ("Jerusalem village" is no province called Jerusalem).
            word = _SETTLEMENT_WORD_RE.match(text, m.start())
            phrase = f"{name} {word.group(1).lower()}" if word else name
            candidates.append((0, before.start(1), m.end(1), phrase))
            hints.insert(0, _trim(m.group(1)))
        else:
            candidates.append((0, m.start(), m.end(1), _trim_of(m.group(0))))
    local_spans = []
    for m in _LOCAL_AREA_RE.finditer(text):
        name = _trim(_DIRECTION_WORDS.sub("", m.group(1)))
        if name and not excluded(m.start(1), m.end(1)):
            candidates.append((1, m.start(), m.end(1), name))
            local_spans.append((m.start(1), m.end(0)))
    for ent in sent.ents:
        if ent.label_ in _NOT_PLACE_LABELS:
            continue
        start, end = ent.start_char - base, ent.end_char - base
        if excluded(start, end) or any(
            s <= start and end <= e for s, e in (*area_spans, *local_spans)
        ):
            continue
        if text[end : end + 1] == "-":
            continue  # "US-led", "UK-based": a modifier, not the event's place
        name, end = _entity_name(ent.text, start)
        if name.lower().startswith("the "):
            name, start = name[4:], start + 4
        town = _before_institution(name)
        if not town:
            continue  # "University of Eldoret": no place itself; the "of" frame gives one
        if town != name:
            # "Bungoma High School", "Kisumu Girls": the institution is in the town it is
            # named for, where ACLED places it; a guess for the gazetteer to confirm.
            name, end = town, start + len(town)
            ent_guess = True
        else:
            ent_guess = False
        if name.lower() in hint_set or name in countries or _STREET_WORDS.search(name):
            continue
        prep = ent.root.head.lower_ if ent.root.dep_ == "pobj" else ""
        if _origin(ent.root, prep):
            continue  # "the suspects are both from Quebec": where people come from
        is_gpe = ent.label_ in {"GPE", "LOC", "FAC"}
        if not is_gpe and prep not in _LOCATIVE:
            if ent.label_ == "PERSON" and _titled(ent):
                continue  # "President Uhuru Kenyatta", "Mr Paterson": a person
            if ent.label_ in {"PERSON", "ORG"} and ent.root.dep_ in {"dobj", "pobj"}:
                # The small model calls many towns a person or an organisation ("struck
                # Kharkiv", "the streets of El Fasher"): a last resort the gazetteer checks.
                candidates.append((4, start, end, name))
                guesses.add((start, end))
            continue
        # A place-like entity after "in/near/at" first; a person or group after "at" later.
        rank = 1 if prep in _LOCATIVE and is_gpe else 2
        if _FEATURE_WORDS.search(name):
            rank = 3  # rivers and valleys locate an event only roughly
        # "... an MP who was arrested in Kampala": where the person was, not the event.
        if any(t.dep_ == "relcl" for t in ent.root.ancestors):
            rank += 2
        candidates.append((rank, start, end, name))
        if ent_guess or (
            ent.label_ not in {"GPE", "LOC"}
            and not (prep in _IN_PLACE and not _INSTITUTION.intersection(name.split()))
        ):
            guesses.add((start, end))  # a building or a group, or a town: the gazetteer says
    taken = [(c[1], c[2]) for c in candidates]
    for rank, start, end, name, institution in _pattern_places(text):
        # "Ol Kalou": the tagger may call the first word an adjective, the last a name.
        last = start + name.rfind(" ") + 1
        proper = _proper_noun_at(sent, base + start) or _proper_noun_at(sent, base + last)
        if not proper and not _maybe_a_name(sent, base + start, text[end:]):
            continue  # "Several students", "Angry residents": capitalised, not a name
        tail = _ends_a_name(sent, text, start) or not proper or institution
        if (start, end) in guesses and rank == 1 and not tail:
            guesses.discard((start, end))  # "residents of X" says the entity X is a place
            # ... and ranks it as its frame does, above a place-like word elsewhere in the
            # sentence that no locative frames ("residents of X ... after Independence").
            candidates = [
                (min(c[0], rank), *c[1:]) if (c[1], c[2]) == (start, end) else c for c in candidates
            ]
        if excluded(start, end) or any(s < end and start < e for s, e in not_places):
            continue
        span = sent.doc.char_span(base + start, base + end, alignment_mode="expand")
        if span is not None and _origin(
            span.root, span.root.head.lower_ if span.root.dep_ == "pobj" else ""
        ):
            continue
        overlaps = [c for c in candidates if (c[1], c[2]) in taken and c[1] < end and start < c[2]]
        inner = [c for c in overlaps if start <= c[1] and c[2] <= end and c[2] - c[1] < end - start]
        if overlaps and (rank > 2 or len(inner) != len(overlaps) or _POSSESSIVE_RE.search(name)):
            continue  # "Mogadishu's airport": the tagged town, not the frame's longer run
        if name.lower() in hint_set or name in countries or _STREET_WORDS.search(name):
            continue
        if inner:
            # "residents of Ol Kalou" where the tagger saw only "Kalou": the frame's whole
            # name replaces the entity's part of it, at the better of their ranks.
            candidates = [c for c in candidates if c not in inner]
            rank = min(rank, *(c[0] for c in inner))
            was_guess = any((c[1], c[2]) in guesses for c in inner)
            tail = tail or (was_guess and rank > 1)
        candidates.append((rank, start, end, name))
        if tail:
            guesses.add((start, end))
    if not candidates:
        return PlacePhrases(None, tuple(dict.fromkeys([*hints, *countries])))
    candidates.sort()
    _, location_start, location_end, location = candidates[0]
    if _COMMUNITY_RE.match(text, location_end):
        guesses.add((location_start, location_end))  # "the Maasai community": a people
    # "Chakama town (Kilifi)": the areas after the place's settlement word enclose it too.
    word = _AFTER_SETTLEMENT_RE.match(text, location_end)
    enclosing = _enclosing(text, word.end() if word else location_end, countries)
    # The sentence's other places come after its areas: when the place itself is unknown,
    # ACLED codes the nearest place the report names ("coordinates for X used").
    own = _core_words(location)
    others = [c[3] for c in candidates[1:] if _core_words(c[3]) != own]
    return PlacePhrases(
        location,
        tuple(dict.fromkeys([*enclosing, *hints, *others, *countries])),
        named=(location_start, location_end) not in guesses,
    )


_LOCATIVE = frozenset({"in", "near", "at", "outside", "around", "into", "on"})
# After these a name is where something happened ("in Kinyu"); "at" and "on" also take
# buildings and dates.
_IN_PLACE = frozenset({"in", "near", "outside", "around"})
# "the X community", "X clan": X names a people (who may live anywhere), not a place.
_COMMUNITY_RE = re.compile(r"\s+(?:communit(?:y|ies)|clans?|tribes?|ethnic)\b")
# A capitalised word and "of"/"and"/"&" right before a name: the name ends a longer one.
_NAME_TAIL_RE = re.compile(r"[A-Z][\w'’]*\s+(?:of|and|&)\s+$")


def _entity_name(name: str, start: int) -> tuple[str, int]:
    """Cut an entity at a bracket or comma ("Kayole (Nairobi"): the rest encloses it."""
    cut = min((i for i in (name.find("("), name.find(",")) if i > 0), default=len(name))
    name = name[:cut].rstrip()
    return name, start + len(name)


def _pattern_places(text: str) -> list[tuple[int, int, int, str, bool]]:
    """Place names the tagger missed, read from their frame: "in X", "residents of X".

    Each with True when the name is only a guess for the gazetteer to confirm: read off an
    institution's ("students of Kisii University", "University of Eldoret": its town or its
    founder), a building's ("a Wajir shop") or a group's initials ("NASA").
    """
    found: list[tuple[int, int, int, str, bool]] = []
    patterns = (
        (1, _PEOPLE_OF_RE),
        (1, _NAME_SETTLEMENT_RE),
        (2, _NAME_PEOPLE_RE),
        (2, _PREP_RE),
        (2, _ROAD_RE),
        (3, _INSTITUTION_OF_RE),
        (3, _BUILDING_OF_RE),
    )
    for rank, pattern in patterns:
        for m in pattern.finditer(text):
            # "near Kismayo's port": the town, without the possessive.
            whole = _trim(_POSSESSIVE_END_RE.sub("", _DIRECTION_WORDS.sub("", m.group(1))))
            name = _before_institution(whole)
            if not name or name.split()[0] in _MONTHS or _is_demonym(name):
                continue
            start = m.start(1) + m.group(1).find(name)
            # Initials alone ("in NASA's stronghold") name a group more often than a place.
            guess = (
                name != whole
                or pattern in (_INSTITUTION_OF_RE, _BUILDING_OF_RE)
                or _ACRONYM_RE.fullmatch(name) is not None
            )
            found.append((rank, start, start + len(name), name, guess))
    return found


def _ends_a_name(sent: Any, text: str, start: int) -> bool:
    """True when the name at ``start`` ends a longer one ("... of Science and Technology")."""
    m = _NAME_TAIL_RE.search(text[:start])
    return m is not None and _proper_noun_at(sent, sent.start_char + m.start())


def _maybe_a_name(sent: Any, char: int, after: str) -> bool:
    """A capitalised word the tagger calls no proper noun may still be a town ("residents of
    Ol Kalou", "Eldoret residents"): anywhere but a sentence's first word, or there a
    singular noun or a word that is no English one right before a people word ("Githurai
    residents", not "Angry residents"). Only the gazetteer can confirm such a guess."""
    for token in sent:
        if token.idx <= char < token.idx + len(token.text):
            if token.i != sent.start:
                return True
            if _PEOPLE_AFTER_RE.match(after) is None:
                return False
            return token.tag_ == "NN" or not _english(token)
    return False


_WORDS: dict[int, frozenset[str]] = {}


def _english(token: Any) -> bool:
    """Is the token an English word (the model's lemma index, nlp.share_word_list)?

    True when no word list is available: without one, a capitalised first word stays
    no name, as before.
    """
    table = token.vocab.lookups.get_table(WORD_LIST, None)
    if table is None:
        return True
    words = _WORDS.get(id(table))
    if words is None:
        words = frozenset(w for pos in table.values() for w in pos)
        _WORDS[id(table)] = words
    return token.lower_ in words or token.lemma_.lower() in words


_PEOPLE_AFTER_RE = re.compile(rf"\s+(?i:{_PEOPLE})\b")


def _proper_noun_at(sent: Any, char: int) -> bool:
    """True when the token at document offset ``char`` is tagged a proper noun."""
    for token in sent:
        if token.idx <= char < token.idx + len(token.text):
            return bool(token.pos_ == "PROPN" or token.tag_ in ("NNP", "NNPS"))
    return False


def _before_institution(name: str) -> str:
    """The name before an institution word, an acronym or a possessive: "Embu University",
    "ODM Kisii" and "Nyeri KMTC" (a party, a college) are "Embu", "Kisii", "Nyeri";
    "Nairobi's Rift Valley Railways" is in Nairobi."""
    words = _BASED_RE.sub("", name).split()
    acronyms = len(words) > 1  # a lone "DRC" or "UAE" may be a country; the caller decides
    while acronyms and words and _ACRONYM_RE.fullmatch(words[0]):
        words.pop(0)
    cut = next(
        (
            i
            for i, w in enumerate(words)
            if w in _INSTITUTION or (acronyms and _ACRONYM_RE.fullmatch(w))
        ),
        len(words),
    )
    kept = words[:cut]
    owner = next((i for i, w in enumerate(kept) if _POSSESSIVE_END_RE.search(w)), None)
    if owner is not None and owner < len(kept) - 1:
        kept = [*kept[:owner], _POSSESSIVE_END_RE.sub("", kept[owner])]
    return " ".join(kept)


# "ODM", "KMTC", "NASA's": an organisation's initials, never a place's name.
_ACRONYM_RE = re.compile(r"[A-Z]{2,6}(?:['’]s)?")
# "Nairobi-based journalists": the town the group is based in.
_BASED_RE = re.compile(r"-based\b")


# "Kenyan", "Somalian", "Sudanese", "Turkish": a people, not a place.
_DEMONYM_RE = re.compile(r"(?:an|ese|ish)$")


_TITLES = frozenset(
    {"mr", "mrs", "ms", "miss", "dr", "president", "governor", "senator", "minister", "mp"}
    | {"chief", "general", "gen", "colonel", "col", "captain", "capt", "sheikh", "pastor"}
    | {"bishop", "ambassador", "judge", "justice", "prof", "professor", "sir", "lord", "king"}
    | {"queen", "prince", "princess", "mayor", "commissioner", "commander", "sergeant", "sgt"}
)


def _titled(ent: Any) -> bool:
    """True for a name written after a person's title ("President X", "Mr. Y")."""
    if ent.start == 0:
        return False
    before = ent.doc[ent.start - 1].lower_.rstrip(".")
    return before in _TITLES or ent.doc[ent.start].lower_.rstrip(".") in _TITLES


_ORIGIN_NOUNS = frozenset({"native", "natives", "citizen", "citizens", "national", "nationals"})


def _origin(root: Any, prep: str) -> bool:
    """True for a place told as where people come from, not where anything happened.

    "both are from Quebec", "a native of Mexico", "a Texas native"; not "fired from Gaza" or
    "fled from Aleppo", where the verb happened there too.
    """
    head = root.head
    if root.dep_ == "compound" and head.lower_ in _ORIGIN_NOUNS:
        return True
    if prep == "of":
        return str(head.head.lower_) in _ORIGIN_NOUNS
    if prep != "from":
        return False
    # "a suspect from Texas" may be where he was; "they are from Texas" only says whence.
    owner = head.head
    return bool(owner.pos_ == "PRON" or owner.lemma_ == "be")


def _is_demonym(name: str) -> bool:
    """ "Kenyan", "South Sudanese"; not "Ol Moran", a town whose last word ends alike."""
    words = name.split()
    return _DEMONYM_RE.search(name) is not None and (
        len(words) == 1 or (len(words) == 2 and _COMPASS_RE.fullmatch(words[0]) is not None)
    )


_POSSESSIVE_RE = re.compile(r"['’]s\b")
_POSSESSIVE_END_RE = re.compile(r"['’]s$")
_COMPASS_RE = re.compile(r"(?i)(?:north|south|east|west|central)(?:ern)?")


def _enclosing(text: str, end: int, countries: Sequence[str]) -> list[str]:
    """The areas written right after the place: "X, Homa Bay", "X (Starehe, Nairobi)"."""
    out: list[str] = []
    position = end
    while (m := _ENCLOSING_RE.match(text, position)) is not None:
        name = _trim(_DIRECTION_WORDS.sub("", m.group(1)))
        if not name or name.split()[0] in _MONTHS:
            break
        out.append(name)
        position = m.end(1)
    return [n for n in out if n not in countries] + [n for n in out if n in countries]


def _core_words(phrase: str) -> str:
    """The name without settlement words: "Jerusalem village" and "Jerusalem" are one place."""
    return strip_feature_words(phrase)[0].casefold()


def _trim_of(phrase: str) -> str:
    head, _, name = phrase.partition(" of ")
    return f"{head} of {_trim(name)}"
