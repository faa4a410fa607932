"""RoleReader: a trigger's actor 1 / actor 2 read off the parse, through the actor dictionary."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from sitrep.actors import ActorDictionary
from sitrep.records import Actor
from sitrep.stages.events.context import _Context
from sitrep.stages.events.lexicon import _Hit
from sitrep.stages.events.syntax import (
    _REACTION_LEMMAS,
    _SOURCE_VERBS,
    _clause_span,
    _looks_like_actor,
    _np,
    _shared_head,
    _source_spans,
    _subtree_span,
    _victim_phrases,
)

# "the group", "the terrorists", "these highly experienced terrorists": a reference back to the
# last armed group named; a monitor or rights group is a source, not an actor.
_COREF_RE = re.compile(
    r"^(?:the|these|those|this|that)\s+(?:[\w-]+\s+){0,3}?"
    r"(?:group|terrorists?|terrorist group|terror group|jihadists?|jihadist group|militants?"
    r"|insurgents?|extremists?|militia|militias|fighters|rebels|organi[sz]ation|outfit|movement)$",
    re.I,
)
# Insurgent words point back to a rebel group, militia words to a militia (ACLED inter codes).
_REBEL_WORDS_RE = re.compile(
    r"\b(?:terrorists?|terror|jihadists?|jihadist|insurgents?|rebels?|extremists?|militants?)\b",
    re.I,
)
# A community or clan on a side of communal violence: "members of the Garre clan", "the
# Matan clans", "Ogiek community" — its militia in ACLED (decisions/0004, fourth session).
_COMMUNITY_RE = re.compile(
    r"^(?i:(?:some\s+|several\s+|\d+\s+)?(?:members|youths?|men)\s+(?:of|from)\s+)?"
    r"(?i:(?:the|a|rival|armed)\s+)*(?P<name>[A-Z][\w'-]+)\s+"
    r"(?P<noun>(?i:(?:sub-?)?clans?|clansmen|clan\s+militias?|communit(?:y|ies)|tribes?|tribesmen))$"
)
# Violence qualified by the kind of group that fought, naming none: "inter-clan fighting",
# "ethnic clashes", "communal violence" — ACLED's unidentified identity militia of that kind.
_COMMUNAL_KIND_RE = re.compile(
    r"\b(?:inter[- ]?)?(?P<kind>clans?|ethnic(?:ally)?|tribal|communal|community|communities)"
    r"(?:[- ](?:based|driven|related))?\s+$",
    re.I,
)
_COMMUNAL_TEMPLATES = {
    "clan": "Unidentified Clan Militia ({country})",
    "ethnic": "Unidentified Ethnic Militia ({country})",
    "tribal": "Unidentified Ethnic Militia ({country})",
    "communal": "Unidentified Communal Militia ({country})",
    "community": "Unidentified Communal Militia ({country})",
}
# The unnamed groups themselves as the subject of a clash: "the two communities clashed".
_UNNAMED_GROUPS = {"community": "communal", "clan": "clan", "tribe": "ethnic"}
_MILITIA_WORDS_RE = re.compile(r"\bmilitias?\b|\bmilitiamen\b", re.I)
_MEMBER_OF_RE = re.compile(
    r"^(?:the\s+|some\s+|several\s+|\d+\s+)?(?:fighters|members|militants|gunmen|insurgents"
    r"|combatants|elements|operatives|loyalists|jihadists|rebels|a fighter|a member)\s+of\s+(.+)$",
    re.I,
)
_SOURCE_GROUP_RE = re.compile(
    r"\b(?:monitor(?:ing)?|rights|watchdog|advocacy|aid|humanitarian|media|news|research|observatory)\b",
    re.I,
)
_CLAUSE_DEPS = frozenset(
    {"ROOT", "advcl", "ccomp", "xcomp", "conj", "relcl", "acl", "pcomp", "parataxis"}
)
_NONSTATE_ARMED = frozenset({2, 3, 4})
# "A device planted by X", "mortars fired by X": the verbs that tie a weapon to who used it.
_LAUNCH_LEMMAS = frozenset(
    {"fire", "plant", "launch", "carry", "conduct", "throw", "hurl", "detonate", "lay", "mount"}
)
_CASUALTY_LEMMAS = frozenset(
    {"kill", "wound", "injure", "hurt", "shoot", "abduct", "kidnap", "die"}
)
# Where a deployment or a reinforcement faces its adversary: "reinforced positions around X".
_TARGET_PREPS = frozenset({"against", "around", "facing", "targeting", "toward", "towards"})
# Verbs whose subject defended against the trigger's agent: "X repelled an attack by Y".
_DEFENCE_LEMMAS = frozenset(
    {"repel", "repulse", "foil", "thwart", "resist", "fend", "fight", "counter", "beat", "survive"}
)
_AFFILIATION_LEMMAS = frozenset(
    {"link", "affiliate", "belong", "associate", "suspect", "believe", "allege", "say", "connect"}
)


class RoleReader:
    """Reads the actors of a trigger off its sentence's parse, normalised through the actor
    dictionary ("the group"-style references resolved to the last armed group named)."""

    def __init__(self, actors: ActorDictionary) -> None:
        self.actors = actors

    def _actors_for(
        self, sent: Any, hit: _Hit, context: _Context
    ) -> tuple[Actor | None, Actor | None]:
        token = hit.token
        verb = token if token.pos_ in {"VERB", "AUX"} else None
        reaction = False
        if (
            verb is None
            and token.head.pos_ in {"VERB", "AUX"}
            and token.dep_ in {"dobj", "nsubj", "nsubjpass", "attr", "pobj", "conj", "appos"}
        ):
            verb = token.head if token.dep_ != "pobj" else token.head.head
            if verb.lemma_ in _REACTION_LEMMAS:
                # "Police are investigating the killing": who speaks of an event, probes
                # or condemns it did not do it.
                reaction = True
            if verb.pos_ not in {"VERB", "AUX"} or reaction:
                verb = None
        actor1 = actor2 = None
        if token.dep_ in {"nsubj", "nsubjpass"} and token.pos_ in {"NOUN", "PROPN"}:
            # "warplanes of the X conducted ...": the trigger phrase names the actor itself.
            own = self.actors.match(_np(token), country=context.country)
            if own is not None and token.dep_ == "nsubj":
                actor1 = own
        # "clashes between X and Y", "fighting between X and Y"
        for child in token.children:
            if child.dep_ == "prep" and child.lower_ == "between":
                objs = [c for c in child.children if c.dep_ == "pobj"]
                if objs:
                    first = objs[0]
                    shared = _shared_head(first)
                    if shared:
                        # "between the Ogiek and Kipsigis communities": one noun, two sides.
                        actor1, actor2 = (self._side(p, context) for p in shared)
                        return self._unnamed_sides(sent, hit, actor1, actor2, context)
                    actor1 = self._side(_np(first, no_conj=True), context)
                    conj = [c for c in first.children if c.dep_ == "conj"]
                    if conj:
                        actor2 = self._side(_np(conj[0]), context)
                    return self._unnamed_sides(sent, hit, actor1, actor2, context)
        # "an attack by X", "a device planted by X": the trigger's own agent acted.
        own_agent = None
        if hit.trigger.kind not in {"protest", "riot"}:
            own_agent = self._own_agent(token, context)
        if own_agent is None and token.lemma_ in _DEFENCE_LEMMAS:
            # "X repelled an attack by Y": Y attacked.
            for obj in (c for c in token.children if c.dep_ == "dobj"):
                own_agent = self._own_agent(obj, context)
        heads = [t for t in (verb, token) if t is not None]
        for head in heads:
            for child in head.children:
                dep = child.dep_
                if dep == "nsubj" and actor1 is None and child.i != token.i:
                    shared = _shared_head(child)
                    if shared:
                        # "Borana and Gabra militias clashed": both sides share the noun.
                        first, second = (self._side(p, context) for p in shared)
                        actor1 = first
                        if hit.trigger.kind == "clash" and actor2 is None:
                            actor2 = second
                        continue
                    actor1 = self._community(
                        _np(child, no_conj=True), context
                    ) or self._phrase_actor(_np(child, no_conj=True), context, token=child)
                    conj = [c for c in child.children if c.dep_ == "conj"]
                    if conj and actor2 is None:
                        # "X and Y fought": both sides are subjects.
                        actor2 = self._phrase_actor(_np(conj[0]), context, token=conj[0])
                elif dep == "agent" and actor1 is None:
                    objs = [c for c in child.children if c.dep_ == "pobj"]
                    if objs:
                        actor1 = self._phrase_actor(_np(objs[0]), context, token=objs[0])
                elif (dep == "nsubjpass" and actor2 is None and child.i != token.i) or (
                    dep == "dobj" and actor2 is None and child.i != token.i
                ):
                    actor2 = self._phrase_actor(_np(child), context, token=child)
                elif (
                    dep in {"poss", "amod", "compound", "nmod"} and head is token and actor1 is None
                ):
                    actor1 = self._modifier_actor(child, context)
                elif (
                    dep == "prep"
                    and child.lower_ in {"by", "of"}
                    and head is token
                    and actor1 is None
                ):
                    objs = [c for c in child.children if c.dep_ == "pobj"]
                    if objs and child.lower_ == "by":
                        actor1 = self._phrase_actor(_np(objs[0]), context)
                elif dep == "prep" and child.lower_ in {
                    "on",
                    "against",
                    "at",
                    "targeting",
                    "with",
                    "in",
                }:
                    objs = [c for c in child.children if c.dep_ == "pobj"]
                    if objs and actor2 is None:
                        found = self._phrase_actor(_np(objs[0]), context, strict=True)
                        if found is not None and child.lower_ != "in":
                            actor2 = found
                elif (
                    dep == "advcl"
                    and child.lemma_ in {"kill", "wound", "injure"}
                    and actor2 is None
                ):
                    # "shelled X, killing four civilians": the victims are acted on.
                    objs = [c for c in child.children if c.dep_ == "dobj"]
                    if objs:
                        actor2 = self._phrase_actor(
                            _np(objs[0], no_conj=True), context, strict=True
                        )
                elif dep in {"xcomp", "advcl"} and child.lower_ == "targeting":
                    objs = [c for c in child.children if c.dep_ == "dobj"]
                    if objs and actor2 is None:
                        actor2 = self._phrase_actor(_np(objs[0]), context)
        if actor2 is None:
            actor2 = self._faced(heads, context, skip=actor1)
        if own_agent is not None and (actor1 is None or actor1.name != own_agent.name):
            displaced, actor1 = actor1, own_agent
            if actor2 is not None and actor2.name == own_agent.name:
                actor2 = None
            if displaced is not None and actor2 is None and verb is not None:
                # "X repelled an attack by Y": X defended, the other side.
                actor2 = displaced if verb.lemma_ in _DEFENCE_LEMMAS else None
        if actor1 is None and actor2 is None and not reaction:
            actor1, actor2 = self._clause_actors(sent, hit, context)
        actor1, actor2 = self._unnamed_sides(sent, hit, actor1, actor2, context)
        return self._abroad(actor1, context), self._abroad(actor2, context)

    def _unnamed_sides(
        self,
        sent: Any,
        hit: _Hit,
        actor1: Actor | None,
        actor2: Actor | None,
        context: _Context,
    ) -> tuple[Actor | None, Actor | None]:
        """The sides of communal violence that names no group: "clan clashes", "ethnic
        fighting", "the two communities clashed" are fought by ACLED's unidentified clan,
        ethnic or communal militias; the people killed in them are no side."""
        token = hit.token
        kind = None
        qualified = _COMMUNAL_KIND_RE.search(sent.text[: hit.start])
        if qualified is not None and token.pos_ != "NOUN":
            qualified = None  # "the Garre clan attacked": the clan is a subject, not a kind
        if qualified is not None and hit.trigger.kind in {"clash", "attack"}:
            word = qualified["kind"].lower()
            kind = next(k for k in _COMMUNAL_TEMPLATES if word.startswith(k[:5]))
        if kind is None and hit.trigger.kind == "clash":
            for child in token.children:
                if (
                    child.dep_ == "nsubj"
                    and child.lemma_.lower() in _UNNAMED_GROUPS
                    and not any(c.pos_ == "PROPN" for c in child.subtree)
                ):
                    kind = _UNNAMED_GROUPS[child.lemma_.lower()]
        if kind is None:
            return actor1, actor2
        text = qualified.group(0).strip() if qualified is not None else ""
        generic = self.actors.generic(_COMMUNAL_TEMPLATES[kind], text=text, country=context.country)
        if actor1 is None or actor1.inter == 7:
            actor1 = generic
        if hit.trigger.kind == "clash" and (actor2 is None or actor2.inter == 7):
            actor2 = generic
        return actor1, actor2

    def _community(self, phrase: str, context: _Context) -> Actor | None:
        """The militia of a community or clan a phrase names ("members of the Garre clan",
        "Matan clans"): the dictionary's ethnic militia, else for a clan ACLED's
        "<Name> Clan Militia (<country>)"."""
        phrase = phrase.strip(" ,.;:")
        found = _COMMUNITY_RE.match(phrase)
        if found is None or self.actors.countries_in(found["name"]):
            return None
        militia = self.actors.match(f"{found['name']} militia", country=context.country)
        if militia is not None and militia.inter == 4 and self.actors.template_of(militia) is None:
            return replace(militia, text=phrase)
        if "clan" not in found["noun"].lower():
            return None
        # No country yet: the event's place names it, as for generic actors (geocode).
        template = f"{found['name']} Clan Militia ({{country}})"
        return self.actors.generic(template, text=phrase, country=context.country)

    def _side(self, phrase: str, context: _Context) -> Actor | None:
        """One side of "violence between X and Y": an actor, or a community's militia.

        A bare community name ("the Kalenjin", "Maasais") on a side of communal violence is
        that community's militia, as ACLED codes communal fighting (Identity militias).
        """
        actor = self._community(phrase, context) or self._phrase_actor(phrase, context)
        if actor is not None:
            return actor
        name = re.sub(r"^(?:the|ethnic)\s+", "", phrase.strip(), flags=re.I)
        name = re.sub(r"(?:s|\s+communit(?:y|ies))$", "", name)
        if not re.fullmatch(r"[A-Z][\w'-]+", name):
            return None
        militia = self.actors.match(f"{name} militia", country=context.country)
        if militia is None or militia.inter != 4 or self.actors.template_of(militia) is not None:
            return None
        return replace(militia, text=phrase)

    def _faced(
        self, heads: Sequence[Any], context: _Context, *, skip: Actor | None
    ) -> Actor | None:
        """The adversary an object phrase faces: "massed troops around X's stronghold",
        "deployed troops against X" — X is actor 2 (the target of the move)."""
        objects = [c for head in heads for c in head.children if c.dep_ in {"dobj", "attr"}]
        preps = [c for head in heads for c in head.children if c.dep_ == "prep"]
        preps += [c for obj in objects for c in obj.subtree if c.dep_ == "prep"]
        for prep in preps:
            if prep.lower_ not in _TARGET_PREPS:
                continue
            for obj in (c for c in prep.children if c.dep_ == "pobj"):
                actor = self._phrase_actor(_np(obj), context, strict=True)
                if actor is not None and (skip is None or actor.name != skip.name):
                    return self._abroad(actor, context)
        return None

    def _own_agent(self, token: Any, context: _Context) -> Actor | None:
        """The actor of a trigger noun's own "by X" ("an attack by X", "mortars fired by X")."""
        if token.pos_ not in {"NOUN", "PROPN"}:
            return None
        preps = [c for c in token.children if c.dep_ == "prep" and c.lower_ == "by"]
        for acl in token.children:
            if acl.dep_ == "acl" and acl.tag_ == "VBN" and acl.lemma_ in _LAUNCH_LEMMAS:
                preps += [c for c in acl.children if c.dep_ == "agent"]
        for prep in preps:
            for obj in (c for c in prep.children if c.dep_ == "pobj"):
                actor = self._phrase_actor(_np(obj), context, token=obj)
                if actor is not None and actor.inter != 7:
                    return actor
        return None

    def _clause_actors(
        self, sent: Any, hit: _Hit, context: _Context
    ) -> tuple[Actor | None, Actor | None]:
        """Actors of the trigger's clause, or of the clause it is subordinate to.

        "X killed nine soldiers when an IED struck their convoy": the IED's clause names no
        actor, so the governing clause's subject and object are read. An actor is never taken
        from a clause that neither holds nor governs the trigger (docs/decisions/0004).
        """
        token = hit.token
        inside = {t.i for t in token.subtree}
        node = token
        for _ in range(8):
            if node.pos_ in {"VERB", "AUX"} and node.dep_ in _CLAUSE_DEPS:
                break
            if node.head.i == node.i:
                break
            node = node.head
        for _ in range(3):
            subjects = [
                c
                for c in node.children
                if c.dep_ == "nsubj" and token.i not in {t.i for t in c.subtree}
            ]
            if node.lemma_ in _SOURCE_VERBS and node.i != token.i:
                subjects = []  # "..., residents said": a cited source, never an actor
            if subjects:
                actor1 = self._phrase_actor(
                    _np(subjects[0], no_conj=True), context, token=subjects[0]
                )
                if actor1 is not None:
                    objects = [c for c in node.children if c.dep_ == "dobj" and c.i not in inside]
                    actor2 = (
                        self._phrase_actor(_np(objects[0], no_conj=True), context, token=objects[0])
                        if objects
                        else None
                    )
                    return actor1, actor2
            if node.dep_ not in {"advcl", "xcomp", "conj"} or node.head.i == node.i:
                break
            node = node.head
        # No subject: named actors of the trigger's own clause (cited sources excluded),
        # those before the trigger acting, those after it acted on.
        clause = _clause_span(node, token)
        sources = _source_spans(sent)
        spans = [
            (s, a)
            for s, e, a in self.actors.find(sent.text, country=context.country)
            if clause[0] <= s < clause[1] and not any(s < se and ss < e for ss, se in sources)
        ]
        # "a herdsman was attacked and killed by cattle rustlers", "killed in an attack by X":
        # an actor in a "by" phrase acted, wherever it stands.
        base = sent.start_char
        agents = [
            _subtree_span(t, base)
            for t in sent
            if t.dep_ == "agent"
            or (
                t.lower_ == "by"
                and t.dep_ == "prep"
                and (t.head.tag_ == "VBN" or t.head.pos_ == "NOUN")
            )
        ]
        acting = [a for s, a in spans if any(start <= s < end for start, end in agents)]
        spans = [(s, a) for s, a in spans if not any(start <= s < end for start, end in agents)]
        before = [a for s, a in spans if s < hit.start]
        after = [a for s, a in spans if s >= hit.end]
        if acting:
            return acting[0], (after[0] if after else None)
        return (before[-1] if before else None), (after[0] if after else None)

    def _victims(self, sent: Any, actor1: Actor | None, context: _Context) -> Actor | None:
        """Who a violent sentence says was hurt: "three soldiers were killed" → the military.

        The victims are the passive subject of a casualty verb, the subject of "died" or of
        "were shot dead", or the noun a participle describes ("a police officer killed in ...").
        """
        for token in sent:
            # The small model sometimes tags "shot" a noun (lemma "shot").
            if token.lemma_ not in _CASUALTY_LEMMAS and token.lower_ != "shot":
                continue
            for child in _victim_phrases(token):
                actor = self._phrase_actor(_np(child, no_conj=True), context, strict=True)
                if actor is not None and (actor1 is None or actor.name != actor1.name):
                    return self._abroad(actor, context)
        return None

    def _abroad(self, actor: Actor | None, context: _Context) -> Actor | None:
        # ACLED: state forces acting outside their own country are "External/Other Forces" (8).
        if actor is None or actor.inter != 1 or actor.country is None or context.country is None:
            return actor
        if actor.country != context.country:
            return replace(actor, inter=8)
        return actor

    def _modifier_actor(self, token: Any, context: _Context) -> Actor | None:
        phrase = _np(token)
        actor = self.actors.match(phrase, country=context.country)
        if actor is not None:
            return actor
        # "Israeli airstrikes", "Russia's missiles": the country's military.
        countries = self.actors.countries_in(phrase)
        if countries:
            iso = countries[0][2]
            return self.actors.generic("Military Forces of {country}", text=phrase, country=iso)
        return None

    def _phrase_actor(
        self, phrase: str, context: _Context, *, strict: bool = False, token: Any = None
    ) -> Actor | None:
        """Normalise a noun phrase to an actor; None when it does not name one."""
        phrase = phrase.strip(" ,.;:")
        if not phrase:
            return None
        if _COREF_RE.match(phrase) and not _SOURCE_GROUP_RE.search(phrase):
            group = _referent(phrase, context.armed_groups)
            if group is not None:
                return replace(group, text=phrase)
        affiliated = self._affiliation(token, context) if token is not None else None
        if affiliated is not None:
            return affiliated
        # "Fighters of X", "members of X": the group is X.
        member_of = _MEMBER_OF_RE.match(phrase)
        if member_of is not None:
            group_actor = self.actors.match(member_of.group(1), country=context.country)
            if group_actor is not None and self.actors.template_of(group_actor) is None:
                return group_actor
        actor = self.actors.match(phrase, country=context.country)
        if actor is not None:
            return actor
        if strict or token is None or not _looks_like_actor(token):
            return None
        if token.ent_type_ == "PERSON":
            # ACLED names no individuals: a gunman called by name is his role's generic
            # actor ("Unidentified Armed Group (X)"), which the conventions supply.
            return None
        return _unknown_actor(phrase)

    def _affiliation(self, token: Any, context: _Context) -> Actor | None:
        """The named group a phrase's head is tied to: "suspects linked to X", "men believed to
        be X", "militants suspected to belong to X" are X."""
        for child in token.children:
            if child.dep_ != "acl" or child.lemma_ not in _AFFILIATION_LEMMAS:
                continue
            words = list(child.subtree)
            doc_text: str = token.doc.text
            text = doc_text[words[0].idx : words[-1].idx + len(words[-1].text)]
            actor = self.actors.match(text, country=context.country)
            if (
                actor is not None
                and actor.inter in _NONSTATE_ARMED
                and self.actors.template_of(actor) is None
            ):
                return actor
        return None


def _unknown_actor(phrase: str) -> Actor | None:
    """Keep an unknown phrase only if it looks like a named group (a capitalised name)."""
    words = [
        w
        for w in re.findall(r"[\w'’-]+", phrase)
        if w.lower() not in {"the", "a", "an", "of", "and"}
    ]
    if not words or len(words) > 8:
        return None
    capitalised = [w for w in words if w[0].isupper()]
    if len(capitalised) < max(1, len(words) // 2):
        return None
    name = re.sub(r"^(?:the|a|an)\s+", "", phrase.strip(), flags=re.I)
    return Actor(text=phrase, name=name, known=False)


def _referent(phrase: str, groups: Sequence[Actor]) -> Actor | None:
    """The armed group that "the militants" / "the militia" refers back to, most recent first."""
    if _REBEL_WORDS_RE.search(phrase):
        wanted: frozenset[int] = frozenset({2})
    elif _MILITIA_WORDS_RE.search(phrase):
        wanted = frozenset({3, 4})
    else:
        wanted = _NONSTATE_ARMED
    for group in groups:
        if group.inter in wanted:
            return group
    return groups[0] if groups else None
