"""Mark the parts of a source sentence that an event was read from, for the event panel.

The stored event keeps canonical values (actor names, place, date), not the offsets of the
words they came from, so the parts are found again by searching the sentence for them:
a canonical name that the text spells differently ("ISIS" for "Islamic State") is not
marked. The answer is the sentence cut into parts, each with a kind or none, so that a
client renders text nodes only and never has to convert offsets between string encodings.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sitrep.records import Event, Source

# Most specific first: where two marks overlap, the earlier kind in this order wins.
KINDS: tuple[str, ...] = ("actor", "location", "date", "fatalities", "attribution")

_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
# Relative day words that name the event's day when it is the report's day or the one before.
_SAME_DAY = r"today|this\s+morning|this\s+afternoon|this\s+evening|tonight"
_DAY_BEFORE = r"yesterday|last\s+night"
_SHORTEST = 2  # shorter needles ("a", single letters) would mark noise
_ACRONYM = 5


@dataclass(frozen=True)
class Part:
    """A stretch of a sentence; ``kind`` is one of KINDS, or None for plain text."""

    text: str
    kind: str | None


def highlight_sentence(event: Event, source: Source) -> list[Part]:
    """Cut ``source.sentence`` into parts, marking the event's actors, place, date and more."""
    sentence = source.sentence
    marks: list[tuple[int, int, str]] = []
    for kind, patterns in _patterns(event, source):
        for pattern in patterns:
            marks.extend((m.start(), m.end(), kind) for m in pattern.finditer(sentence))
    return _cut(sentence, marks)


def _patterns(event: Event, source: Source) -> list[tuple[str, list[re.Pattern[str]]]]:
    actors = [
        *(_names(event.actor1)),
        *(_names(event.actor2)),
        *(_names(event.assoc_actor_1)),
        *(_names(event.assoc_actor_2)),
    ]
    places = [p for p in (event.location, event.admin2, event.admin1) if p]
    fatalities: list[str] = []
    try:
        # Imported lazily: a pure regex module, but the desk must still serve if it breaks.
        from sitrep.stages.fatalities import extract_fatalities
    except ImportError:  # pragma: no cover
        pass
    else:
        found = extract_fatalities(source.sentence).text
        if found:
            fatalities.append(found)
    return [
        ("actor", [_literal(a) for a in actors]),
        ("location", [_literal(p) for p in places]),
        ("date", _date_patterns(event.event_date, source.published)),
        ("fatalities", [_literal(f) for f in fatalities]),
        ("attribution", [_literal(a) for a in source.attribution]),
    ]


def _names(value: str | None) -> list[str]:
    """Split a cell that may list several names ("A; B") into names long enough to mark."""
    if not value:
        return []
    return [n.strip() for n in value.split(";") if len(n.strip()) >= _SHORTEST]


def _literal(text: str) -> re.Pattern[str]:
    # Word edges only where the needle starts/ends with a word character ("U.S." ends in ".").
    head = r"\b" if text[:1].isalnum() else ""
    tail = r"\b" if text[-1:].isalnum() else ""
    body = r"\s+".join(re.escape(w) for w in text.split())
    # Short acronyms keep their case: "IS" (the group) is not "is" (the verb).
    flags = 0 if text.isupper() and len(text) <= _ACRONYM else re.IGNORECASE
    return re.compile(f"{head}{body}{tail}", flags)


def _date_patterns(day: date | None, published: date | None) -> list[re.Pattern[str]]:
    if day is None:
        return []
    month = _MONTHS[day.month - 1]
    short = month[:3]
    months = rf"(?:{month}|{short}\.?)"
    patterns = [
        rf"\b{months}\s+{day.day}(?:st|nd|rd|th)?(?:,?\s+{day.year})?\b",
        rf"\b{day.day}(?:st|nd|rd|th)?\s+(?:of\s+)?{months}(?:,?\s+{day.year})?\b",
        rf"\b{day.isoformat()}\b",
        rf"\b(?:on\s+|last\s+)?{_WEEKDAYS[day.weekday()]}\b",
    ]
    if published is not None:
        if day == published:
            patterns.append(rf"\b(?:{_SAME_DAY})\b")
        elif (published - day).days == 1:
            patterns.append(rf"\b(?:{_DAY_BEFORE})\b")
    return [re.compile(p, re.IGNORECASE) for p in patterns]


def _cut(sentence: str, marks: Iterable[tuple[int, int, str]]) -> list[Part]:
    """Cut ``sentence`` at non-overlapping marks: longest first, then kind order."""
    rank = {k: i for i, k in enumerate(KINDS)}
    chosen: list[tuple[int, int, str]] = []
    for start, end, kind in sorted(marks, key=lambda m: (rank[m[2]], m[0] - m[1], m[0])):
        if end > start and all(end <= s or start >= e for s, e, _ in chosen):
            chosen.append((start, end, kind))
    parts: list[Part] = []
    at = 0
    for start, end, kind in sorted(chosen):
        if start > at:
            parts.append(Part(sentence[at:start], None))
        parts.append(Part(sentence[start:end], kind))
        at = end
    if at < len(sentence) or not parts:
        parts.append(Part(sentence[at:], None))
    return parts
