"""Who a sentence cites: the chain of sources from the relaying outlet to the original source.

"X told AFP" gives ("AFP", "X"); "X said, citing local sources" gives ("X", "local sources");
"according to the Syrian Observatory for Human Rights (SOHR)" gives the full name, not "SOHR".
A sentence that refers back ("the group said", "the monitor also revealed", "he said") reuses
the attribution of earlier sentences (docs/decisions/0005-dates-fatalities-sources.md).
All patterns are bounded, so a pathological sentence cannot make them backtrack for long.
"""

from __future__ import annotations

import re

_NAME_WORD = r"[\w'’.&-]+"
# A source phrase: up to eight words, stopped by punctuation or a clause word.
_PHRASE = rf"{_NAME_WORD}(?:[ \t]+{_NAME_WORD}){{0,9}}"
_SAY = (
    r"(?:said|says|say|reported|reports|report|told|revealed|reveals|claimed|claims|stated|states"
    r"|announced|announces|added|adds|confirmed|confirms|noted|notes|wrote|writes|tweeted"
    r"|posted|believe|believes|believed|estimated|estimates|estimate|alleged|alleges|warned"
    r"|explained|insisted|observed|documented|recorded|quoted)"
)
_ACCORDING_RE = re.compile(rf"\baccording\s+to\s+(?P<src>{_PHRASE})", re.IGNORECASE)
_CITING_RE = re.compile(
    rf"\b(?:citing|quoting|cited\s+by|quoted\s+by|relayed\s+by|via)\s+(?P<src>{_PHRASE})",
    re.IGNORECASE,
)
_SAY_RE = re.compile(rf"\b(?P<verb>{_SAY})\b", re.IGNORECASE)
_TOLD_RE = re.compile(
    r"^\s+(?P<outlet>[A-Z][\w'’&.-]*(?:\s+(?:(?:of|the)\s+)?[A-Z][\w'’&.-]*){0,4})"
)
_INVERTED_RE = re.compile(rf"[,\"”]\s*(?:{_SAY})\s+(?P<src>{_PHRASE})", re.IGNORECASE)
_CUT_RE = re.compile(
    r"\s*(?:[,;:.!?()\[\]\"“”]|\s(?:that|who|which|on|in|at|during|after|before|when|while|as"
    r"|and\s+(?:the\s+)?(?:added|said)|late|early|last|this|yesterday|today|tonight|on"
    r"|adding|saying|citing|quoting|to|reported|said|told|also|has|had|have|was|were|is|are"
    r"|would|will|could|may)\b)"
)
_LEAD_WORDS = r"(?:the|a|an|some|its|their|his|her|one|two|several|other|according|to)"
_LEAD_RE = re.compile(rf"^(?:{_LEAD_WORDS}(?:\s+|$)){{1,6}}", re.IGNORECASE)
_ABBREVIATION_RE = re.compile(r"\s*\([A-Z][\w&.-]{0,15}\)\s*$")
_ADVERB_TAIL_RE = re.compile(
    r"(?:\s+(?:also|later|earlier|previously|has|have|had|reportedly|further|then|again|too"
    r"|separately|in\s+a\s+statement|on\s+\w+))+\s*$",
    re.IGNORECASE,
)
_SUBJECT_START_RE = re.compile(
    r"(?:^|[,;:.!?\"“”]|\b(?:that|and|but|while|as|when|after|because|so|who|which)\b)\s*"
    r"(?=[^,;:.!?\"“”]*$)",
    re.IGNORECASE,
)
_PRONOUNS = {"he", "she", "they", "it", "we", "i", "them", "this", "these"}
# Heads that refer back to a source named earlier when used as "the <head>".
_GENERIC_HEADS = {
    "group",
    "monitor",
    "watchdog",
    "organisation",
    "organization",
    "body",
    "agency",
    "outlet",
    "source",
    "sources",
    "statement",
    "report",
    "official",
    "officials",
    "spokesman",
    "spokeswoman",
    "spokesperson",
}
_NOT_SOURCES = {
    "responsibility",
    "lives",
    "life",
    "attack",
    "reports",
    "report",
    "there",
    "which",
    "who",
    "what",
    "police were",
}
_MAX_WORDS = 8
_MAX_SENTENCE = 5_000  # attribution sits near the verb: longer inputs are scanned in part


def extract_attribution(sentence: str, *, previous: tuple[str, ...] = ()) -> tuple[str, ...]:
    """Return the chain of sources the sentence cites, outermost (relaying) source first.

    Args:
        sentence: one sentence of reporting.
        previous: the attribution established by earlier sentences, reused when this one
            refers back to it ("the group said").
    """
    text = sentence if len(sentence) <= _MAX_SENTENCE else sentence[:_MAX_SENTENCE]
    chain: list[str] = []
    for match in _ACCORDING_RE.finditer(text):
        _add(chain, _resolve(_clean(match.group("src")), previous))
    for match in _INVERTED_RE.finditer(text):
        _add(chain, _resolve(_clean(match.group("src")), previous))
    for match in _SAY_RE.finditer(text):
        _add(chain, _subject_sources(text, match, previous))
    for match in _CITING_RE.finditer(text):
        _add(chain, (_clean(match.group("src")),))
    return tuple(chain)


def _subject_sources(text: str, match: re.Match[str], previous: tuple[str, ...]) -> tuple[str, ...]:
    """Return the sources of "X said" / "X told AFP" (outlet first), or () if none."""
    verb = match.group("verb").lower()
    before = text[max(0, match.start() - 200) : match.start()]
    if re.search(r"\b(?:were|was|is|are|be|been|being|the|a|an|widely|as)\s*$", before, re.I):
        return ()  # "were reported killed", "the reported attack": not a citation
    after = text[match.end() : match.end() + 80]
    if verb.startswith("claim") and re.match(r"\s+(?:responsibility|the\s+lives)", after, re.I):
        return ()
    start = list(_SUBJECT_START_RE.finditer(before))
    subject = before[start[-1].end() :] if start else before
    subject = _ADVERB_TAIL_RE.sub("", subject).strip()
    if not subject or len(subject.split()) > _MAX_WORDS + 2:
        return ()
    sources = _resolve(_clean(subject, cut=False), previous)
    if not sources:
        return ()
    if verb == "told":
        outlet = _TOLD_RE.match(after)
        if outlet and outlet.group("outlet").split()[0] not in {"The", "A", "An"}:
            return (outlet.group("outlet").strip(), *sources)
    return sources


def _clean(phrase: str, *, cut: bool = True) -> str:
    """Trim a source phrase: stop at a clause word, drop "the" and a trailing "(ABBR)"."""
    if cut:
        stop = _CUT_RE.search(phrase)
        if stop is not None:
            phrase = phrase[: stop.start()]
    phrase = _ABBREVIATION_RE.sub("", phrase.strip())
    phrase = re.sub(r"\s*\([^)]{0,40}\)", "", phrase)
    phrase = _LEAD_RE.sub("", phrase.strip())
    words = phrase.split()
    return " ".join(words[:_MAX_WORDS]).strip(" ,'\"’”")


def _resolve(phrase: str, previous: tuple[str, ...]) -> tuple[str, ...]:
    """Return previous for a back-reference ("the group", "he"), else the phrase itself."""
    if not phrase or phrase.lower() in _NOT_SOURCES:
        return ()
    words = phrase.lower().split()
    if words[0] in _PRONOUNS and len(words) == 1:
        return previous
    if not any(ch.isalpha() for ch in phrase) or any(ch.isdigit() for ch in phrase):
        return ()
    head = words[-1]
    lowercase = phrase == phrase.lower() or all(w[:1].islower() or "-" in w for w in phrase.split())
    if previous and lowercase and (head in _GENERIC_HEADS or _names_head(previous, head)):
        return previous
    if (
        lowercase
        and head in _GENERIC_HEADS - {"sources", "officials", "spokesman"}
        and len(words) <= 3
    ):
        return previous
    return (phrase,)


def _names_head(previous: tuple[str, ...], head: str) -> bool:
    """True when an earlier source's name contains the head ("the observatory" → SOHR)."""
    return any(head in name.lower().split() for name in previous)


def _add(chain: list[str], sources: tuple[str, ...]) -> None:
    for source in sources:
        if source and source.lower() not in (s.lower() for s in chain):
            chain.append(source)
