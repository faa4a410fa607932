"""How many people a sentence says were killed, coded the way ACLED codes fatalities.

Rules (docs/decisions/0005-dates-fatalities-sources.md): a range gives its lower bound, "at least
N" / "more than N" give N, "dozens" 12, "hundreds" 100; victim groups joined in one phrase are
summed ("three soldiers and two civilians" = 5); of several separate counts the largest wins (a
toll repeats its parts), unless a later group is marked as additional ("two others died");
wounded, arrested or displaced people, ages, years and percentages are not fatalities.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sitrep.numbers import NUMBER, parse_number


@dataclass(frozen=True)
class FatalityCount:
    """The fatalities of one sentence.

    Args:
        count: the number killed; None when the sentence reports no killing or no number.
        known: True when the text gives a number (or says explicitly that nobody died).
        text: the words the count was read from, or the death phrase when no number was given.
    """

    count: int | None
    known: bool
    text: str | None


_NONE = FatalityCount(count=None, known=False, text=None)

_QUALIFIER = (
    r"(?:at\s+least|either|more\s+than|over|nearly|almost|about|around|approximately|roughly|some"
    r"|up\s+to|as\s+many\s+as|an\s+estimated|a\s+total\s+of|no\s+fewer\s+than|no\s+less\s+than"
    r"|close\s+to|upwards\s+of|in\s+excess\s+of)"
)
# A quantity: "at least 12", "between 10 and 15", "10-15", "10 to 15", "ten or eleven".
_QUANTITY = (
    rf"(?:{_QUALIFIER}\s+)?(?:between\s+(?P<lo>{NUMBER})\s+and\s+{NUMBER}"
    rf"|(?P<n>{NUMBER})(?:\s*[-–—]\s*{NUMBER}|\s+(?:to|or)\s+{NUMBER})?)"
)
_QUANTITY_RE = re.compile(_QUANTITY, re.IGNORECASE)

# Determiners that make a singular victim group count as one ("a policeman and his son").
_SINGULAR_DET = r"(?:a|an|one|the|his|her|their|its|another)"
_NOT_A_GROUP = (
    r"(?!(?:number|few|lot|group|handful|series|string|spate|wave|couple|total|host|range|"
    r"result|day|week|month|year|time|while|way|attack|strike|bomb|blast|clash)\b)"
)
_GROUP_RE = re.compile(
    rf"^(?:(?:the|these|those|all|all\s+the|all\s+of\s+the)\s+)?(?:(?P<q>{_QUANTITY})|(?P<det>{_SINGULAR_DET})(?=\s+{_NOT_A_GROUP}\w))"
    r"(?P<rest>(?:[\s-]+[\w'’.-]+){0,5}?)"
    r"(?=\s+(?:in|on|at|near|during|inside|outside|across|around|from|by|when|while|as|after"
    r"|before|with|within|including|who|whom|whose|which|that|and|or)\b|\s*[,;:.()]|\s*$)",
    re.IGNORECASE,
)

_CUE_RE = re.compile(
    r"\b(?P<cue>"
    r"(?:shot|shoots?|stabbed|stabs?|hacked|hacks?|beaten|beats?|burned|burnt|burns?|bludgeoned"
    r"|stoned|crushed)\s+(?:dead|to\s+death)|gun(?:ned|s)?\s+down"
    r"|fatally\s+(?:shot|shoots?|shooting|stabbed|stabs?|stabbing|wounded|wounding|injured"
    r"|injuring|hit|struck|beaten|beat|attacked|attacking)"
    r"|killed|slain|murdered|executed|massacred|beheaded|lynched|lynch(?:es)?|assassinated|KIA"
    r"|killing|kills|kill|claim(?:ed|ing|s)?\s+the\s+lives\s+of|(?:claim|cost|took|taking)"
    r"(?:ed|ing|s)?\s+the\s+lives?\s+of"
    r"|died|dies|dead|perished|lost\s+(?:their|his|her)\s+li(?:ves|fe)"
    r"|(?:death|casualty)\s+toll|bodies\s+of|remains\s+of"
    r"|deaths?|fatalit(?:y|ies)|bodies|corpses|lives)\b",
    re.IGNORECASE,
)

_ZERO_RE = re.compile(
    r"\b(?:no\s+(?:one|body)|nobody|none|no\s+(?:people|civilians|soldiers|lives))"
    r"\s+(?:\w+\s+){0,2}?(?:was|were|has\s+been|have\s+been|had\s+been|got)?\s*"
    r"(?:killed|hurt|harmed|injured|wounded|died|dead|lost)\b"
    r"|\bno\s+(?:\w+\s+)?(?:casualties|deaths|fatalities|injuries|loss\s+of\s+life)\b"
    r"|\bwithout\s+(?:any\s+)?(?:casualties|loss\s+of\s+life|fatalities)\b"
    r"|\b(?:no|zero)\s+(?:one\s+)?(?:killed|dead)\b",
    re.IGNORECASE,
)

_AUX = (
    r"(?:were|was|are|is|be|been|being|have|has|had|got|get|reportedly|also|all|allegedly|later"
    r"|subsequently|reported|believed|feared|confirmed|found|now|then|initially|eventually"
    r"|both|each|instantly|immediately|mostly)"
)
_TRAILING_AUX_RE = re.compile(rf"(?:\s+{_AUX}\b)+\s*$", re.IGNORECASE)
_SINGULAR_AUX_RE = re.compile(r"\b(?:was|has\s+been|is)(?:\s+\w+)?\s*$", re.IGNORECASE)
_LEFT_LEAD_RE = re.compile(r"^.*\b(?:left|leaving|leaves|leave|with)\s+", re.IGNORECASE)
_CLAUSE_RE = re.compile(
    r"[.;:!?()\"“”]|\b(?:who|whom|which|that|after|when|while|but|because|as|where|since|until"
    r"|before|although|though|whereas|if|killing|killed|killed|said|says|say|reported|according"
    r"|following)\b",
    re.IGNORECASE,
)
_RIGHT_STOP_RE = re.compile(
    r"[.;:!?()\"“”]|\b(?:who|whom|which|that|after|when|while|but|because|since|until|before"
    r"|although|though|whereas|if|said|says|according|told|reported|wounding|injuring|wounded"
    r"|injured)\b",
    re.IGNORECASE,
)
_REPORTING_RE = re.compile(r"said|says|according|told|reported", re.IGNORECASE)
_JOIN_RE = re.compile(r"\s*,?\s+and\s+|\s*,\s+|(?<!\d),(?!\d)", re.IGNORECASE)
# "between 10 and 15", "two hundred and fifty": an "and" inside a number joins no groups.
_NUMBER_AND_RE = re.compile(
    rf"\bbetween\s+{NUMBER}\s+(and)\s|\b(?:hundred|thousand)\s+(and)\s", re.IGNORECASE
)
_INCLUDING_RE = re.compile(
    r"^\s*(?:including|among\s+them|among\s+whom|most\s+of\s+them|many\s+of\s+them|mostly)\b",
    re.IGNORECASE,
)
# Numbers that count something else: injured, arrested, durations, distances, money, times.
_OTHER_COUNT_RE = re.compile(
    r"^\s*(?:[\w'’-]+\s+){0,2}?(?:wounded|injured|hurt|arrested|detained|abducted|kidnapped"
    r"|displaced|missing|captured|rescued|evacuated|hospitali[sz]ed)\b"
    r"|^\s*(?:years?|months?|weeks?|days?|hours?|minutes?|km|kilometres|kilometers|miles|metres"
    r"|meters|per\s*cent|percent|am|pm|a\.m\.|p\.m\.|o'clock|times|dollars|shillings|euros"
    r"|houses|homes|vehicles|cattle|goats|sheep|camels|cows)\b",
    re.IGNORECASE,
)
_MONTH_BEFORE_RE = re.compile(
    r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s*$", re.IGNORECASE
)
_ADDITIONAL_RE = re.compile(r"\b(?:others?|another|more|further|additional)\b", re.IGNORECASE)
_ACTIVE_NEXT_RE = re.compile(
    rf"^\s*(?:{_QUANTITY}|{_SINGULAR_DET}\s+\w|[A-Z]\w+\s|\w+\s+(?:civilians|people|soldiers"
    r"|men|women|children|fighters|militants|officers|policemen|troops|members|residents"
    r"|villagers|herders|farmers|students|worshippers|passengers|protesters|demonstrators))",
)
_MAX_WINDOW = 200
_MAX_CHUNKS = 8


@dataclass(frozen=True)
class _Group:
    count: int | None
    start: int
    end: int
    additional: bool


def extract_fatalities(sentence: str, *, unspecified: int | None = None) -> FatalityCount:
    """Return how many people the sentence says were killed.

    Args:
        sentence: one sentence of reporting.
        unspecified: the count to code when deaths are reported without a number ("several
            were killed"); None (the default) leaves the count missing. ACLED codes such
            reports with a small default (see docs/decisions/0005).
    """
    groups: list[_Group] = []
    cue_text: str | None = None
    for cue in _CUE_RE.finditer(sentence):
        found = _groups_for_cue(sentence, cue)
        if found is None:
            continue
        if cue_text is None:
            cue_text = _phrase(sentence, cue.start(), cue.end())
        groups.extend(found)
    counted = _merge(groups)
    if counted:
        total = _combine(counted)
        start = min(g.start for g in counted)
        end = max(g.end for g in counted)
        # A victim group can be empty text ("... was killed" with no subject): then the
        # death phrase itself is the evidence.
        text = sentence[start:end].strip() or cue_text or sentence.strip()
        return FatalityCount(count=total, known=True, text=text)
    zero = _ZERO_RE.search(sentence)
    if zero:
        return FatalityCount(count=0, known=True, text=zero.group(0))
    if cue_text is not None:
        return FatalityCount(count=unspecified, known=False, text=cue_text)
    return _NONE


def _groups_for_cue(sentence: str, cue: re.Match[str]) -> list[_Group] | None:
    """Return the victim groups a death cue governs ([] if unnumbered), or None if it is no cue."""
    word = cue.group("cue").lower()
    after = sentence[cue.end() : cue.end() + _MAX_WINDOW]
    before = sentence[max(0, cue.start() - _MAX_WINDOW) : cue.start()]
    offset_before = max(0, cue.start() - _MAX_WINDOW)
    if word in {"death", "deaths", "fatality", "fatalities", "bodies", "corpses", "lives"}:
        return _adjacent_quantity(sentence, cue, before, offset_before)
    if word.endswith("toll"):
        return _toll(after, cue.end())
    if word in {"killing", "kills", "kill"} or word.startswith(("claim", "cost", "took", "taking")):
        return _right_groups(after, cue.end())
    if word.startswith(("bodies", "remains")):
        return _right_groups(after, cue.end())
    if not word.endswith(("died", "dies", "dead", "perished", "life", "lives", "kia")) or (
        word.endswith("dead") and " " in word
    ):
        aux_before = re.search(
            r"\b(?:were|was|been|being|be|are|is|got|get)\s+(?:\w+\s+)?$", before
        )
        if not aux_before and _ACTIVE_NEXT_RE.match(after):
            return _right_groups(after, cue.end())
    return _left_groups(before, offset_before, singular=bool(_SINGULAR_AUX_RE.search(before)))


def _left_groups(before: str, offset: int, *, singular: bool) -> list[_Group]:
    """Read the victim groups just before a passive or intransitive death cue."""
    clauses = list(_CLAUSE_RE.finditer(before))
    start = clauses[-1].end() if clauses else 0
    segment = before[start:]
    trimmed = _TRAILING_AUX_RE.sub("", segment)
    lead = _LEFT_LEAD_RE.match(trimmed)
    base = start + (lead.end() if lead else 0)
    text = trimmed[lead.end() :] if lead else trimmed
    groups = _chunks_backward(text, offset + base)
    if not groups and singular:
        zero = re.search(r"\b(?:no\s+one|nobody|none|no\s+\w+)\s*$", text, re.IGNORECASE)
        if zero is None:
            return [
                _Group(count=1, start=offset + start, end=offset + len(before), additional=False)
            ]
    return groups


def _mask_number_and(text: str) -> str:
    """Return text with the "and" of number phrases masked (same length, so offsets hold)."""
    masked = list(text)
    for match in _NUMBER_AND_RE.finditer(text):
        for group in (1, 2):
            if match.start(group) >= 0:
                masked[match.start(group)] = "&"
    return "".join(masked)


def _chunks_backward(text: str, offset: int) -> list[_Group]:
    """Split "A, B and C" and read groups from the end while each chunk is a victim group."""
    text = text.rstrip(" ,")
    pieces: list[tuple[int, int]] = []
    last = 0
    for sep in _JOIN_RE.finditer(_mask_number_and(text)):
        pieces.append((last, sep.start()))
        last = sep.end()
        if len(pieces) > _MAX_CHUNKS:
            pieces.pop(0)
    pieces.append((last, len(text)))
    groups: list[_Group] = []
    for lo, hi in reversed(pieces):
        chunk = text[lo:hi]
        if _INCLUDING_RE.match(chunk):
            groups.clear()  # "12 people, including three children": the subset is not added
            continue
        group = _read_group(chunk, offset + lo, whole=True)
        if group is None:
            break
        groups.append(group)
    groups.reverse()
    return groups


def _right_groups(after: str, offset: int) -> list[_Group]:
    """Read the victim groups just after an active death cue ("killing three and two others")."""
    stop = _RIGHT_STOP_RE.search(after)
    text = after[: stop.start()] if stop else after
    if stop and _REPORTING_RE.match(stop.group()):
        # "killing one man, the regional prosecutor's office said": the chunk before the
        # reporting verb is the speaker, not a second victim group.
        text = text[: text.rfind(",")] if "," in text else text
    groups: list[_Group] = []
    position = 0
    for index, sep in enumerate([*_JOIN_RE.finditer(_mask_number_and(text)), None]):
        end = sep.start() if sep else len(text)
        chunk = text[position:end]
        if index and _INCLUDING_RE.match(chunk):
            break
        group = _read_group(chunk, offset + position, whole=False)
        if group is None or index >= _MAX_CHUNKS:
            break
        groups.append(group)
        if sep is None:
            break
        position = sep.end()
    return groups


def _read_group(chunk: str, offset: int, *, whole: bool) -> _Group | None:
    """Read one victim group ("at least 12 people", "a policeman"), or None if it is not one."""
    stripped = chunk.lstrip()
    lead = len(chunk) - len(stripped)
    match = _GROUP_RE.match(stripped)
    if match is None:
        return None
    if whole and stripped[match.end() :].strip():
        return None
    rest = match.group("rest") or ""
    if _OTHER_COUNT_RE.match(rest):
        return None
    start = offset + lead
    end = start + match.end()
    additional = bool(_ADDITIONAL_RE.search(stripped[: match.end()]))
    if match.group("q"):
        value = _quantity_value(match.group("q"))
        if value is None:
            return None
        return _Group(count=value, start=start, end=end, additional=additional)
    head = rest.split()[-1] if rest.split() else ""
    if not head or (head.lower().endswith("s") and not head.lower().endswith("ss")):
        return _Group(count=None, start=start, end=end, additional=additional)
    return _Group(count=1, start=start, end=end, additional=additional)


def _adjacent_quantity(
    sentence: str, cue: re.Match[str], before: str, offset: int
) -> list[_Group] | None:
    """Read "12 deaths", "four civilian fatalities", "claimed 30 lives", "the bodies"."""
    match = re.search(rf"({_QUANTITY})\s+(?:[\w-]+\s+)?$", before, re.IGNORECASE)
    word = cue.group("cue").lower()
    if word == "lives":
        verb = re.search(r"\b(?:claim|cost|took|take|taking|claiming|costing)\w*\s+", before)
        if verb is None or match is None:
            return None
    if match is None or _MONTH_BEFORE_RE.search(before[: match.start()]):
        return [] if word != "lives" else None
    value = _quantity_value(match.group(1))
    if value is None:
        return []
    return [_Group(count=value, start=offset + match.start(), end=cue.end(), additional=False)]


def _toll(after: str, offset: int) -> list[_Group]:
    """Read "the death toll rose to 15"."""
    stop = _RIGHT_STOP_RE.search(after)
    text = after[: stop.start()] if stop else after
    match = re.search(
        rf"^\s*(?:[\w']+\s+){{0,5}}?(?:to|at|of|reached|hit|is|was|now)\s+({_QUANTITY})",
        text,
        re.IGNORECASE,
    )
    if match is None:
        return []
    value = _quantity_value(match.group(1))
    if value is None:
        return []
    return [_Group(count=value, start=offset, end=offset + match.end(), additional=False)]


def _quantity_value(text: str) -> int | None:
    """Return the conservative value of a quantity: the lower bound of a range."""
    match = _QUANTITY_RE.match(text.strip())
    if match is None:
        return None
    number = match.group("lo") or match.group("n")
    return parse_number(number) if number else None


def _merge(groups: list[_Group]) -> list[_Group]:
    """Keep the numbered groups, dropping any read twice through two cues."""
    seen: set[tuple[int, int]] = set()
    out: list[_Group] = []
    for group in sorted(groups, key=lambda g: (g.start, -g.end)):
        if group.count is None:
            continue
        if any(s <= group.start < e for s, e in seen):
            continue
        seen.add((group.start, group.end))
        out.append(group)
    return out


def _combine(groups: list[_Group]) -> int:
    """Sum groups of one phrase; of separate phrases keep the largest, plus any "others"."""
    phrases: list[list[_Group]] = []
    for group in groups:
        if phrases and group.start - phrases[-1][-1].end <= 6:
            phrases[-1].append(group)
        else:
            phrases.append([group])
    best = 0
    extra = 0
    for index, phrase in enumerate(phrases):
        total = sum(g.count or 0 for g in phrase)
        if index and phrase[0].additional:
            extra += total
        else:
            best = max(best, total)
    return best + extra


def _phrase(sentence: str, start: int, end: int) -> str:
    """Return a short window of words around a cue, for the record."""
    lo = sentence.rfind(" ", 0, max(0, start - 30)) + 1
    hi = sentence.find(" ", min(len(sentence), end + 30))
    return sentence[lo : hi if hi != -1 else len(sentence)].strip()
