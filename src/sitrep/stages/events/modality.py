"""Whether a trigger tells an event: modality, negation, conditionals, history, background."""

from __future__ import annotations

import re
from datetime import date
from itertools import pairwise
from typing import Any

from sitrep.records import Modality
from sitrep.stages.events.lexicon import _Hit
from sitrep.stages.events.syntax import _clause_verb

# -- modality cues --------------------------------------------------------------------------------
_PLAN_LEMMAS = frozenset(
    [
        "prepare",
        "plan",
        "intend",
        "threaten",
        "vow",
        "pledge",
        "expect",
        "aim",
        "seek",
        "want",
        "promise",
        "warn",
        "propose",
        "consider",
        "schedule",
        "set",
        "mull",
        "call",
        "urge",
        "demand",
    ]
)
_FUTURE_AUX = frozenset(
    {"will", "would", "shall", "'ll", "could", "might", "may", "should", "must"}
)
_OPINION_RE = re.compile(
    r"\b(?:should|ought to|must|need to|needs to|I think|we think|in my view|in our view"
    r"|it is time)\b",
    re.I,
)
_CONDITIONAL_RE = re.compile(r"^\s*(?:if|unless|should|had|were)\b|\b(?:if|unless|in case)\b", re.I)
_DENIED_RE = re.compile(
    r"\bden(?:ied|ies|y|ying)\b|\brejected (?:the )?(?:claims?|reports?|allegations?)\b"
    r"|\bdismissed (?:the )?(?:claims?|reports?)\b",
    re.I,
)
# A claim that something happened ("the rebels claimed to have downed a jet"). A claim of
# responsibility is not one: it says who did an attack that happened, and "no claim of
# responsibility" says nobody has (docs/decisions/0004, fifth session): those stay occurred.
_CLAIMED_RE = re.compile(
    r"\bclaimed (?:that|to have)\b|\bclaimed (?:it|they|he|she)\b|\bclaims? (?:that|to have)\b"
    r"|\bin a claim\b",
    re.I,
)
_ESTIMATE_LEMMAS = frozenset(
    {"believe", "estimate", "think", "suspect", "fear", "assume", "presume"}
)
_HISTORY_RE = re.compile(
    r"\b(?:since \d{4}|in recent years|over the years|for years|in the past)\b", re.I
)
# A speech act of demonstrators is their demonstration, not a plan: "protesters demanded".
_SPEECH_LEMMAS = frozenset({"call", "urge", "demand"})
# A state that goes on ("have been holding", "remains") is background, not an event.
_STATIVE_LEMMAS = frozenset({"remain", "continue", "hold", "control", "occupy", "besiege"})
_BACKGROUND_DAYS = 30  # an old month-dated fact in a background clause is not this report's event


def _no_event_sentence(text: str) -> bool:
    stripped = text.strip()
    if stripped.endswith("?"):
        return True  # a question reports nothing
    return bool(re.match(r"^(?:if|unless|what if|why|how|should)\b", stripped, re.I))


def _modality(text: str, hit: _Hit, *, future: bool) -> Modality | None:
    """The modality of the event a trigger reports, or None when it reports no event."""
    token = hit.token
    ancestors = [token, *token.ancestors]
    for node in ancestors[:4]:
        for child in node.children:
            if child.dep_ == "neg":
                return None  # "did not attack", "no clashes"
        if node.dep_ == "neg":
            return None
    if any(c.dep_ == "det" and c.lower_ == "no" for c in token.children):
        return None
    if future:
        return Modality.PLANNED
    for node in ancestors[:5]:
        if node.lemma_ in _PLAN_LEMMAS and node.i != token.i:
            if (
                hit.trigger.kind == "protest"
                and node.lemma_ in _SPEECH_LEMMAS
                and token.dep_ == "nsubj"
                and token.head.i == node.i
                and node.tag_ in {"VBD", "VBN"}
                and not any(c.dep_ == "xcomp" for c in node.children)
            ):
                continue  # "Protesters called for his release": they demonstrated
            return Modality.PLANNED
        aux = {c.lower_ for c in node.children if c.dep_ in {"aux", "auxpass"}}
        if aux & _FUTURE_AUX:
            if aux & {"should", "must", "could", "might", "may", "would"}:
                return None  # opinion or hypothesis
            return Modality.PLANNED
        if node.lower_ == "going" and any(c.lower_ == "to" for c in node.children):
            return Modality.PLANNED
    before = text[: hit.start]
    if re.search(
        r"\b(?:will|is expected to|are expected to|plans? to|intends? to|preparing to|set to"
        r"|about to)\b",
        before,
        re.I,
    ) and not re.search(r"\b(?:killed|struck|attacked)\b", before, re.I):
        return Modality.PLANNED
    if _OPINION_RE.search(before) or _CONDITIONAL_RE.search(before):
        return None
    if _governs(_DENIED_RE, text, hit):
        return Modality.DENIED
    if _CLAIMED_RE.search(text) and not re.search(
        r"\bclaimed (?:the )?(?:\w+ )?lives\b", text, re.I
    ):
        return Modality.CLAIMED
    for below, node in pairwise(ancestors[:5]):
        if node.lemma_ in _ESTIMATE_LEMMAS and not _about_who_or_why(node, below):
            return Modality.ESTIMATE
    return Modality.OCCURRED


def _about_who_or_why(node: Any, below: Any) -> bool:
    """True when a belief word is about an actor or a told event, not whether it happened.

    "Gunmen believed to be al-Shabaab attacked a post" (the small model often makes "believed"
    the root): a reduced clause about who the actors are — the belief word right before "to
    be", with no auxiliary of its own. "The attack is believed to be retaliatory": the event
    is the belief's subject, told as a fact. "Militants are believed to have killed five"
    stays an estimate.
    """
    if below.dep_ in {"nsubj", "nsubjpass"}:
        return True
    doc = node.doc
    return (
        node.i + 2 < len(doc)
        and doc[node.i + 1].lower_ == "to"
        and doc[node.i + 2].lemma_ == "be"
        and not any(c.dep_ in {"aux", "auxpass"} for c in node.children)
    )


def _governs(pattern: re.Pattern[str], text: str, hit: _Hit) -> bool:
    """True when a cue matches a word above the trigger in the parse ("denied that ... killed"),
    not a word of another clause ("..., which said detainees had been denied access")."""
    above = {t.idx - t.sent.start_char for t in [hit.token, *hit.token.ancestors]}
    return any(m.start() in above for m in pattern.finditer(text))


def _background(hit: _Hit, when: Any, published: date | None) -> bool:
    """True when a trigger tells background, not an event of this report (decision 0004).

    A clause opened by "since" ("since the military seized power"), a state that goes on
    ("have been holding", "remains"), or a month-dated fact more than a month older than the
    report, told in a relative or subordinate clause.
    """
    token = hit.token
    chain = [token, *token.ancestors]
    for node in chain:
        if node.dep_ == "prep" and node.lower_ == "since":
            return True
        if any(c.dep_ == "mark" and c.lower_ == "since" for c in node.children):
            return True
    verb = _clause_verb(token)
    if verb is not None:
        aux = {c.lower_ for c in verb.children if c.dep_ in {"aux", "auxpass"}}
        if verb.tag_ == "VBG" and "been" in aux and aux & {"has", "have", "had"}:
            return True  # "have been holding", "has been fighting": a standing state
        held = verb.lemma_ == "hold" and token.head.i == verb.i and token.dep_ == "dobj"
        if verb.lemma_ in _STATIVE_LEMMAS and verb.tag_ in {"VBZ", "VBP"} and not held:
            # "remains", "control": the present state, not a happening; but residents who
            # "hold a protest" (a note's present tense) demonstrate.
            return True
    if (
        published is not None
        and when.date is not None
        and when.precision == 3
        and (published - when.date).days > _BACKGROUND_DAYS
    ):
        return any(n.dep_ in {"relcl", "acl", "advcl"} for n in chain) or (
            verb is not None and verb.tag_ in {"VBZ", "VBP"}
        )
    return False
