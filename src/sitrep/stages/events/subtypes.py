"""A trigger's sub-event type, from its kind, its sentence and its actors (ACLED's definitions)."""

from __future__ import annotations

import re

from sitrep.records import Actor
from sitrep.stages.events.lexicon import _demonstration_words, _Hit
from sitrep.stages.events.syntax import _agents, _np

_INTERVENTION_RE = re.compile(
    r"\btear ?gas\b|\bteargas\b|\bwater cannons?\b|\bdispers(?:e|ed|ing)\b|\brubber bullets\b"
    r"|\bbatons?\b|\bbroke up\b|\bbroken up\b|\barrest(?:ed|s)?\b|\bdetain(?:ed)?\b|\bcharged\b"
    r"|\bblocked (?:them|protesters)\b|\binterven(?:e|ed|es|ing|tion)\b|\btear-?gass(?:ed|ing)\b"
    r"|\bquell(?:ed|ing)?\b",
    re.IGNORECASE,
)
_EXCESSIVE_RE = re.compile(
    r"\blive (?:bullets|ammunition|rounds|fire)\b|\bopened fire\b"
    r"|\bfired (?:\w+ ){0,2}(?:on|at|into) (?:the )?(?:protesters|demonstrators|crowd)"
    r"|\bshot (?:dead )?(?:\w+ ){0,3}(?:protesters|demonstrators)|\bkill(?:ed|ing)\b|\bshot dead\b"
    r"|\bbeat(?:en|ing)?\b",
    re.IGNORECASE,
)
# "hurled stones at each other": two crowds fight one another (ACLED: mob violence,
# rioters on both sides).
_MUTUAL_RE = re.compile(r"\b(?:each other|one another)\b", re.I)
_RIVALS_RE = re.compile(
    r"\b(?:each other|one another|rivals?|rival (?:\w+ )?(?:camps|supporters|groups))\b", re.I
)
# Unarmed, unorganised sides of a fight: party factions, supporters, politicians, "two groups"
# (ACLED codes their clashes Mob violence: docs/decisions/0004, "clash, attack or mob").
_UNARMED_SIDES_RE = re.compile(
    r"\b(?:supporters|factions?|parties|party members|lawmakers|MCAs|politicians|aspirants"
    r"|delegates|(?:two|rival) groups|groups of \w+)\b",
    re.I,
)
_MOB_RE = re.compile(
    r"\bmob\b|\blynch|\bvigilante|\bangry (?:residents|villagers|youths|crowd)\b|\birate\b", re.I
)
_ARMED = frozenset({1, 2, 3, 4, 8})


def _government(actor: Actor | None) -> bool:
    """True for a state's government ("Government of Kenya"): a state actor, not a force."""
    return actor is not None and actor.name.startswith("Government of")


# A plural group of people acting together: "students", "a group of youth", "the crowd".
_GROUP_RE = re.compile(
    r"\b(?:\w+s|youth|group|crowd|public|people|mob)\b(?:\s+(?:of|in|from)\b.*)?$", re.I
)
# Communal fighting (clans, ethnic groups, herders, villages) is an armed clash of identity
# militias in ACLED, even when the text names no organised group.
_COMMUNAL_RE = re.compile(
    r"\b(?:clans?|inter-?clan|ethnic|tribal|inter-?tribal|tribes?|communal|communities"
    r"|inter-?communal|herders|herdsmen|pastoralists|villages|militias?|boundary|grazing"
    r"|pasture|cattle|livestock|rustl\w*|raiders|arrows)\b",
    re.I,
)
_RAIDERS_RE = re.compile(
    r"\b(?:herders|herdsmen|pastoralists|raiders|rustlers|bandits|militia\w*|gunmen|armed)\b",
    re.I,
)
_LEAD_NUMBER_RE = re.compile(r"^(?:the|some|several|many|hundreds of|dozens of)\s+", re.I)
_SINGULAR_RE = re.compile(r"^(?:a|an|one|his|her)\s+(?!group\b|crowd\b|mob\b)", re.I)


def _sub_event_type(hit: _Hit, text: str, actor1: Actor | None, actor2: Actor | None) -> str | None:
    kind = hit.trigger.kind
    inter1 = actor1.inter if actor1 else None
    inter2 = actor2.inter if actor2 else None
    if _government(actor2):
        inter2 = None  # officials attacked are civilians to ACLED, not an armed side
    if kind == "protest":
        if (
            _EXCESSIVE_RE.search(text)
            and _INTERVENTION_RE.search(text) is None
            and _has_force(actor1, actor2)
        ):
            return "Excessive force against protesters"
        if (
            _EXCESSIVE_RE.search(text)
            and _has_force(actor1, actor2)
            and re.search(r"\bkill|\blive\b|\bshot\b", text, re.I)
        ):
            return "Excessive force against protesters"
        if _INTERVENTION_RE.search(text):
            return "Protest with intervention"
        return "Peaceful protest"
    if kind == "riot":
        if _MUTUAL_RE.search(text) and not _has_force(actor1, actor2) and actor1 is not None:
            return "Mob violence"
        if _MOB_RE.search(text) or (inter2 == 7 and inter1 in {None, 5, 7}):
            return "Mob violence"
        if inter1 in _ARMED:
            return "Looting/property destruction"
        return "Violent demonstration"
    if kind == "clash":
        sides = {inter1, inter2}
        if _RIVALS_RE.search(text) and not sides & _ARMED and _COMMUNAL_RE.search(text) is None:
            # Rival supporters fighting each other, at a rally too: mob violence (ACLED).
            return "Mob violence"
        if 6 in sides or _demonstration_words(text):
            # Demonstrators who clash (with police, with others) riot (ACLED).
            return "Violent demonstration"
        if (
            _UNARMED_SIDES_RE.search(text)
            and not sides & _ARMED
            and _COMMUNAL_RE.search(text) is None
        ):
            # Factions, supporters, politicians, "two groups" fighting: no armed
            # organised side, so mob violence even when nobody is named as an actor.
            return "Mob violence"
        if sides & {5, 7} and sides & {1, 8}:
            return "Violent demonstration"  # unarmed people fighting a force: a riot
        if sides & {5, 7} and not sides & _ARMED and _COMMUNAL_RE.search(text) is None:
            # Supporters, youths, villagers fighting one another: no armed organised
            # side, so ACLED codes mob violence, not a battle.
            return "Mob violence"
        return "Armed clash"
    if kind == "territory":
        if inter1 in {1, 8} or (actor1 is not None and actor1.name.startswith("Military Forces")):
            return "Government regains territory"
        return "Non-state actor overtakes territory"
    if kind == "arrest":
        return "Arrests"
    if kind == "attack":
        if inter1 == 5 or _MOB_RE.search(text) or _crowd(actor1, hit):
            return "Mob violence"
        if inter2 in {6} and inter1 in {1, 8}:
            return "Excessive force against protesters"
        if inter2 in _ARMED and inter1 in _ARMED | {None}:
            return "Armed clash"
        if inter1 in _ARMED and inter2 in _ARMED:
            return "Armed clash"
        return "Attack"
    return kind


def _has_force(actor1: Actor | None, actor2: Actor | None) -> bool:
    return any(a is not None and a.inter in {1, 8} for a in (actor1, actor2)) or actor1 is None


def _crowd(actor: Actor | None, hit: _Hit) -> bool:
    """True when unarmed people act as a group: "students attacked", "killed by residents".

    ACLED: violence by an unorganised group of people against others is mob violence
    (Riots), not an armed group's attack on civilians. The group must be the one acting in
    the trigger's own clause (its active subject or its passive agent), not the victims read
    as a subject ("ten people were killed and four injured in a raid"); herders and raiders
    who attack are their community's militia (decision 0004), never a mob.
    """
    if actor is None or actor.inter != 7 or not actor.text:
        return False
    words = _LEAD_NUMBER_RE.sub("", actor.text.strip())
    if _GROUP_RE.search(words) is None or _SINGULAR_RE.match(words):
        return False
    if _RAIDERS_RE.search(words):
        return False
    if any(actor.text in _np(agent, no_conj=True) for agent in _agents(hit.token)):
        return True
    return _just_before(actor.text, hit)


def _just_before(phrase: str, hit: _Hit) -> bool:
    """True when a phrase is written just before a trigger verb, no verb between them.

    "Residents of X attack and kill a man": the small model may tag the verb a noun; the
    group written right before it, with no other verb or preposition between, still acts.
    """
    sent = hit.token.sent
    text: str = sent.text
    at = text.rfind(phrase, 0, hit.start)
    if at < 0:
        return False
    between = [t for t in sent if at + len(phrase) <= t.idx - sent.start_char < hit.start]
    if between and between[-1].pos_ in {"DET", "ADP", "ADJ", "NUM"}:
        return False  # "in a raid", "a cattle raid": a noun, not the group's verb
    return not any(t.pos_ in {"VERB", "AUX"} for t in between)
