"""Trigger words that tell no political-violence event (docs/decisions/0004, fifth session).

Each check is by word class and parse, never by one article's words: an accident, a natural or
medical death; a court's or the police's legal process about a crime; a violence word used in
a non-violent sense (its object says so) or inside a person's name; an arrest for an ordinary
offence. ACLED codes none of these.
"""

from __future__ import annotations

import re
from typing import Any

from sitrep.stages.events.lexicon import _Hit
from sitrep.stages.events.syntax import _REACTION_LEMMAS


def _words(text: str) -> list[str]:
    """A word class written as a block of words."""
    return text.split()


# -- accidents, disasters, illness ----------------------------------------------------------------
# A cause that is no one's act. "hit/struck by a car", "crashed", "earthquake", "died of cancer".
_ACCIDENT_RE = re.compile(
    r"\baccident(?:al|ally|s)?\b|\bcrash(?:ed|es|ing)?\b|\bcollisions?\b|\bcollided\b"
    r"|\b(?:earth)?quakes?\b|\btremors?\b|\bfloods?\b|\bflooding\b|\blandslides?\b|\bmudslides?\b"
    r"|\bhurricanes?\b|\bcyclones?\b|\btyphoons?\b|\btornado(?:es|s)?\b|\blightning\b"
    r"|\bdrown(?:ed|ing)\b|\boverdos(?:e|es|ed)\b|\belectrocuted\b|\bno foul play\b"
    r"|\bgas (?:leaks?|explosions?|cylinders?|blasts?)\b|\bleak(?:ed|ing|s)?\b"
    r"|\b(?:hit|struck|run over|knocked down|mowed down) by (?:a|an|the) (?:\w+ )?"
    r"(?:car|vehicle|truck|lorry|bus|train|van|motorbike|motorcycle|taxi|tractor)\b"
    r"|\b(?:tree|wall|roof|building|bridge|ceiling|crane)s? (?:fell|collapsed|came down)\b"
    r"|\bdied (?:of|from) (?!(?:[\w-]+ ){0,2}(?:wounds?|injur(?:y|ies)|gun|bullet|burns|stab))"
    r"|\b(?:illness|cancer|disease|heart attack|natural causes|complications)\b",
    re.I,
)
# A deliberate act or a weapon in the sentence keeps the event: "a car bomb", "crashed into a
# checkpoint after gunmen opened fire", "a vehicle hit an IED".
_DELIBERATE_RE = re.compile(
    r"\bbombs?\b|\bbomber\b|\bIEDs?\b|\bdevices?\b|\bexplosives?\b|\bgrenades?\b|\bmortars?\b"
    r"|\brockets?\b|\bmissiles?\b|\bshell(?:ing|ed|s)?\b|\battack(?:s|ed|er|ers|ing)?\b"
    r"|\bgunm[ae]n\b|\bassailants?\b|\bmilitants?\b|\bterror\w*\b|\bsuicide\b|\binsurgents?\b"
    r"|\brebels?\b|\bmurder\w*\b|\bstabb\w*\b|\bshot dead\b|\bopened fire\b|\bgunfire\b"
    r"|\bdeliberate(?:ly)?\b|\brammed\b|\bmob\b|\bclash\w*\b|\bprotest\w*\b|\briot\w*\b",
    re.I,
)
# Harm by a weapon: "died of gunshot wounds" is no accident unless the text says "accidental".
_WEAPON_RE = re.compile(r"\bgun ?shots?\b|\bbullets?\b|\bshot\b|\bmachetes?\b|\bknife\b", re.I)
_ACCIDENTAL_RE = re.compile(r"\baccidental(?:ly)?\b", re.I)
# The words an accident report uses for its harm: they tell the accident, not an attack.
_ACCIDENT_KINDS = frozenset({"attack", "Remote explosive/landmine/IED"})


def accident(text: str, hit: _Hit) -> bool:
    """True when a weak violence or explosion word tells an accident, disaster or illness.

    "Two people died in a gas explosion", "a boy was hit by a car and killed", "died of an
    overdose": harm with no one's act as its cause. Specific triggers (an air strike, a
    massacre) are never an accident; a weapon or an attacker in the sentence keeps the event.
    """
    if hit.trigger.kind not in _ACCIDENT_KINDS or not hit.trigger.weak:
        return False
    return tells_accident(text)


def tells_accident(text: str) -> bool:
    """True when a sentence gives an accident, disaster or illness as a cause, and no weapon
    or attacker."""
    if _ACCIDENT_RE.search(text) is None or _DELIBERATE_RE.search(text) is not None:
        return False
    return _ACCIDENTAL_RE.search(text) is not None or _WEAPON_RE.search(text) is None


def accident_told_again(text: str, hits: list[_Hit]) -> bool:
    """True for a sentence that goes on telling an accident told before it.

    After "a gas explosion injured 37 people", "The explosion was heard across the city" and
    "None of the injured was in critical condition" add details to the accident: their words
    are all weak (explosion, injured, died) and name no weapon or attacker.
    """
    return all(h.trigger.weak for h in hits) and _DELIBERATE_RE.search(text) is None


# -- legal process -----------------------------------------------------------------------------
# A court's or prosecutor's act about a crime reports the process, not an event of that day:
# "charged with assault", "convicted of murder", "pleaded guilty to ...", "sentenced for ...".
# Not "accused X of attacking", "admitted carrying out the attack": in conflict reports they
# blame someone for an act that happened.
_LEGAL_LEMMAS = frozenset(
    {
        "charge",
        "convict",
        "plead",
        "sentence",
        "jail",
        "imprison",
        "arraign",
        "acquit",
        "exonerate",
        "indict",
        "prosecute",
    }
)
_GUILTY_LEMMAS = frozenset({"find", "declare"})  # "found guilty of"
# The path from the trigger up to the predicate goes through its complements only: the subject
# of "was convicted" ("a man who stabbed ...") or a clause beside it ("after a woman was
# stabbed") is the act itself, not the process.
_STOP_DEPS = frozenset({"nsubj", "nsubjpass", "relcl", "advcl", "ROOT", "parataxis"})


def legal_process(hit: _Hit) -> bool:
    """True when a legal-process predicate governs the trigger ("charged with assault")."""
    node = hit.token
    for _ in range(6):
        if node.dep_ in _STOP_DEPS or node.head.i == node.i:
            return False
        node = node.head
        if _legal(node):
            return True
    return False


def _legal(token: Any) -> bool:
    if token.lemma_ in _LEGAL_LEMMAS and token.pos_ in {"VERB", "NOUN", "AUX"}:
        return True
    if token.lemma_ == "charge" or token.lower_ in {"charges", "charge"}:
        return True
    return token.lemma_ in _GUILTY_LEMMAS and any(c.lower_ == "guilty" for c in token.children)


# -- arrests for ordinary crime ------------------------------------------------------------------
# ACLED codes an arrest only when it is of political or conflict significance: every Arrests
# event of the ACLED Kenya tune notes is of officials or politicians, members or suspects of an
# armed group, armed youths, or a mass arrest in a sweep; none is for theft, drink driving or
# drugs (docs/decisions/0004, fifth session). One weapon on a charge sheet ("carrying a
# concealed weapon") is an ordinary offence; weapons, plural, are a cache.
_OFFENCE_RE = re.compile(
    r"\btheft\b|\bthie(?:f|ves)\b|\bstol(?:e|en)\b|\bstealing\b|\bshoplift\w*|\bburglar\w*"
    r"|\brobber(?:y|ies)\b|\bdrugs?\b|\bnarcotics?\b|\bD[WU]I\b|\bOWI\b|\bdrunk(?:en)? driving\b"
    r"|\bdrink[- ]driving\b|\bimpaired driving\b|\bintoxicat\w*|\bfraud\w*|\bforgery\b"
    r"|\bembezzl\w*|\btrespass\w*|\bwarrants?\b|\bspeeding\b|\bvandalism\b|\bpossession of\b"
    r"|\bcharged with\b|\bon (?:\w+ ){0,3}charges?\b|\bcharges? of\b",
    re.I,
)
_POLITICAL_RE = re.compile(
    r"\bprotest\w*|\bdemonstrat\w*|\brall(?:y|ies)\b|\bactivists?\b|\bopposition\b|\bpart(?:y|ies)\b"
    r"|\bpoliticians?\b|\bgovernors?\b|\bsenators?\b|\bMPs?\b|\bministers?\b|\bmayors?\b"
    r"|\blawmakers?\b|\blegislators?\b|\bofficials?\b|\bjudges?\b|\bjustice\b|\bjournalists?\b"
    r"|\bleaders?\b|\bcommanders?\b|\bterror\w*|\bmilitants?\b|\bextremis\w*|\bjihad\w*"
    r"|\brebels?\b|\binsurgents?\b|\bmilitia\w*|\bIslamic State\b|\bShabaa?b\b|\barmed\b"
    r"|\bweapons\b|\bexplosives?\b|\bplot\w*|\bespionage\b|\bspy\b|\bspies\b"
    r"|\btreason\b|\bsedition\b|\bincitement\b|\bhate speech\b|\bcoup\b|\bseparatists?\b"
    r"|\bcorruption\b|\belection\w*|\bvot(?:e|ers?|ing)\b",
    re.I,
)
_MASS_ARREST = 10  # a sweep that arrests this many is an event of its own, whatever the charge


def ordinary_arrest(text: str, hit: _Hit) -> bool:
    """True for an arrest for an ordinary offence with no political or conflict link.

    "arrested on drug and theft charges", "arrested for drunk driving", "a theft suspect was
    apprehended". Not when the sentence names a political or armed side (activists, officials,
    militants, weapons) or counts a mass arrest.
    """
    if hit.trigger.kind != "arrest" or _OFFENCE_RE.search(text) is None:
        return False
    if _POLITICAL_RE.search(text) is not None:
        return False
    # A count of people, not an age, an hour or a date ("a 25-year-old", "11 p.m.").
    counts = [
        int(t.text.replace(",", ""))
        for t in hit.token.sent
        if t.ent_type_ == "CARDINAL" and t.text.replace(",", "").isdigit()
    ]
    return not any(n >= _MASS_ARREST for n in counts)


# -- violence words in a non-violent sense --------------------------------------------------------
# What an attack, fight, seizure or killing is done to tells its sense: "attacked the proposal",
# "battled the blaze", "captured four medals", "seized drugs", "killed the deal". Word classes:
# speech and policy, fire and illness, contests and prizes, goods.
_NON_VIOLENT_OBJECTS = frozenset(
    _words(
        """
    proposal plan bill law policy idea decision ruling remark comment statement speech claim
    report budget tax reform measure motion project deal treaty initiative programme program
    strategy legislation amendment nomination candidacy bid
    blaze fire flame wildfire bushfire inferno illness disease cancer virus infection addiction
    drought heat cold odds deadline traffic
    election vote race primary match game title championship tournament medal trophy cup award
    prize seat point goal record
    drug cocaine heroin marijuana cannabis narcotic methamphetamine cash money good contraband
    cigarette alcohol liquor haul consignment shipment document passport
    """
    )
)
# "beat" in a contest is a win: "narrowly beat her rival", "beat Argentina 21-14", "beat him in
# the primary". Not "voters beat up an official": the contest must be what the beating is in.
_CONTEST_WORDS = frozenset(
    _words(
        """
    election race primary poll vote ballot match game final league cup tournament championship
    contest competition
    """
    )
)
_WIN_ADVERBS = frozenset({"narrowly", "comfortably", "easily", "soundly", "handily"})
_SCORE_RE = re.compile(r"\b\d+\s*[-–]\s*\d+\b")
# "a shot at the title", "a long shot", "a flu shot": no gunfire.
_SHOT_AMODS = frozenset({"long", "booster", "flu", "parting", "big", "best", "good", "first"})
# "demonstrate against the ministry's officers" is a protest, whatever the parser's object.
_PROTEST_PREPS = frozenset({"against", "over", "outside", "at", "in", "near", "on", "for"})
_NAME_LABELS = frozenset({"PERSON", "GPE", "FAC"})


def non_violent_sense(text: str, hit: _Hit) -> bool:
    """True when a violence word is used in a non-violent sense or is part of a name.

    "Mary Battle" (a surname), "attacked the proposal", "battled the blaze", "captured four
    medals", "seized drugs", "kill off the tradition", "beat her rival in the election", "a
    shot at a career", "demonstrate good skills".
    """
    token = hit.token
    if text[hit.start : hit.end] == token.text and _in_name(token):
        return True  # one word of a person's or a place's name: "Jo Battle", "Battle Creek"
    kind = hit.trigger.kind
    if kind == "protest":
        # "demonstrate skills", "demonstrated that ...": to show, not to protest.
        children = list(token.children)
        return (
            token.lemma_ == "demonstrate"
            and any(c.dep_ in {"dobj", "ccomp"} for c in children)
            and not any(c.dep_ == "prep" and c.lower_ in _PROTEST_PREPS for c in children)
        )
    if kind not in {"attack", "clash", "territory"}:
        return False
    if token.lemma_ == "kill" and any(
        c.dep_ == "prt" and c.lower_ == "off" for c in token.children
    ):
        return True
    if token.lemma_ == "beat" and _won(token, text):
        return True
    if token.lower_ == "shot" and token.pos_ == "NOUN":
        if any(c.dep_ == "amod" and c.lower_ in _SHOT_AMODS for c in token.children):
            return True
        return any(
            c.dep_ == "prep" and c.lower_ == "at" and not _animate(c) for c in token.children
        )
    obj = _object(token)
    if obj is None or hit.start <= obj.idx - obj.sent.start_char < hit.end:
        return False  # "opened fire": the object is the trigger's own word
    return obj.lemma_.lower() in _NON_VIOLENT_OBJECTS


def _won(token: Any, text: str) -> bool:
    """True when "beat" tells a win in a contest, not a beating."""
    if any(c.dep_ == "prt" for c in token.children):
        return False  # "beat up", "beat back"
    if any(c.dep_ == "advmod" and c.lower_ in _WIN_ADVERBS for c in token.children):
        return True
    for prep in (c for c in token.children if c.dep_ == "prep"):
        if any(o.lemma_.lower() in _CONTEST_WORDS for o in prep.children if o.dep_ == "pobj"):
            return True
    return _SCORE_RE.search(text) is not None


def _in_name(token: Any) -> bool:
    """True for a capitalised proper noun inside a name: tagged PERSON/GPE/FAC, or after a
    capitalised first name the tagger missed ("Jo Battle")."""
    if token.pos_ != "PROPN" or not token.text[:1].isupper() or token.is_sent_start:
        return False
    if token.text.isupper():
        return False  # an acronym: "IED"
    if token.ent_type_ in _NAME_LABELS:
        return True
    before = token.nbor(-1)
    return before.pos_ == "PROPN" and before.text[:1].isupper() and not before.is_sent_start


def _object(token: Any) -> Any:
    """What a verb acts on: its direct object, or its passive subject."""
    if token.pos_ != "VERB":
        return None
    for child in token.children:
        if child.dep_ == "dobj":
            return child
    if any(c.dep_ == "auxpass" for c in token.children):
        return next((c for c in token.children if c.dep_ == "nsubjpass"), None)
    return None


def _animate(prep: Any) -> bool:
    """True when "at X" names people or a place: "a shot at the crowd", "at the police"."""
    objects = [c for c in prep.children if c.dep_ == "pobj"]
    return any(
        o.ent_type_ or o.pos_ in {"PROPN", "PRON"} or o.lemma_ not in _ABSTRACT for o in objects
    )


_ABSTRACT = frozenset(
    _words(
        """
    career title job presidency glory chance record championship office nomination fame redemption
    gold medal victory win promotion success
    """
    )
)


# -- a claim of responsibility for an attack told before ----------------------------------------
_CLAIM_NOUNS = frozenset({"responsibility", "credit", "blame"})
_DEFINITE = frozenset({"the", "this", "that", "these", "those"})


def claim_for_told_event(hit: _Hit) -> bool:
    """True for "X claimed responsibility for the attack": the attack told before, not a new one.

    The claim names who did it (the roles read it as the earlier event's actor); only an
    event the claim itself tells ("claimed responsibility for Saturday's bombings in X")
    is new.
    """
    token = hit.token
    prep = token.head
    if token.dep_ != "pobj" or prep.lower_ != "for" or prep.head.lemma_ not in _CLAIM_NOUNS:
        return False
    return any(c.dep_ == "det" and c.lower_ in _DEFINITE for c in token.children)


# -- a reaction to, or a report of, an event told before -------------------------------------------
# Verbs of reacting to, judging, speaking of, inquiring into or seeing an event: what they act on
# is an event already told ("condemned the attack", "described the killing of X as ...").
_TOLD_EVENT_LEMMAS = _REACTION_LEMMAS | frozenset(
    _words(
        """
    slam call term label brand characterise characterize lament commemorate mark remember
    react respond review watch film see
    """
    )
)
# Verbs that report speech: "said the attack was an attempt to ..." speaks of the event.
_SAY_LEMMAS = frozenset(_words("say tell add state note insist believe think"))


def reaction_to_told_event(hit: _Hit) -> bool:
    """True for a definite event noun that a reaction or a report is about.

    "The White House condemned the assassination", "the president described the killing of the envoy
    as ...", "a doctor witnessed the attack", "The attack, condemned by the UN, was ...",
    "leaders said the attack in X was an attempt to ...": the event told before, not a new one.
    The noun must be definite ("the", "this", a possessive: "Sunday's explosion"); the verb
    must act on it (its object, or the subject of a passive or of "was ..." under "said").
    """
    token = hit.token
    if token.pos_ not in {"NOUN", "VERB"} or not definite(token):
        return False
    if any(c.dep_ == "acl" and c.lemma_ in _TOLD_EVENT_LEMMAS for c in token.children):
        return True  # "The attack, condemned by the White House, ..."
    head = token.head
    if token.dep_ == "pobj":
        head = head.head  # "reacted to the attack", "an inquiry into the killing"
    if token.dep_ in {"dobj", "nsubjpass", "pobj"} and head.lemma_ in _TOLD_EVENT_LEMMAS:
        return True
    # "X said the attack in Y was an attempt to ...": the subject of a copula under speech.
    return (
        token.dep_ == "nsubj"
        and head.lemma_ == "be"
        and head.dep_ == "ccomp"
        and head.head.lemma_ in _SAY_LEMMAS
    )


def definite(token: Any) -> bool:
    """True for "the attack", "this killing", "Sunday's explosion", "the envoy's assassination"."""
    return any(
        (c.dep_ == "det" and c.lower_ in _DEFINITE) or c.dep_ == "poss" for c in token.children
    )
