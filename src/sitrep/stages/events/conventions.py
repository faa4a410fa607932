"""ACLED's conventions on the actors the parse gave: forces, victims, targets, actor order."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from sitrep.records import Actor
from sitrep.stages.events.context import _Context
from sitrep.stages.events.lexicon import _Hit
from sitrep.stages.events.roles import _NONSTATE_ARMED, RoleReader
from sitrep.stages.events.subtypes import (
    _ARMED,
    _EXCESSIVE_RE,
    _GROUP_RE,
    _INTERVENTION_RE,
    _MUTUAL_RE,
    _government,
    _has_force,
)
from sitrep.stages.events.syntax import _agents, _np, _passive, _told_as_cause, _without_sources
from sitrep.taxonomy import event_type_of

_VIOLENCE_TYPES = frozenset({"Battles", "Explosions/Remote violence", "Violence against civilians"})
# Inter 1/8 actors that never intervene in a demonstration as a force.
_NOT_FORCES = frozenset({"Government of {country}", "Private Security Forces ({country})"})
# A later sentence that blames someone names the perpetrator ("Al Shabaab is suspected").
_BLAME_RE = re.compile(
    r"\b(?:suspect(?:s|ed)?|believed|blam(?:e|ed|es)|accus(?:e|ed|es)|alleged(?:ly)?"
    r"|responsib(?:le|ility)|attributed|linked)\b",
    re.I,
)
# Attacks whose victims or target are a force: "killing two police", "attacks police
# station", "three guards were hacked to death". ACLED codes violence against an armed,
# organised side as a battle (Armed clash), not violence against civilians.
_FORCE_NOUNS = (
    r"(?:police(?:\s+(?:officers?|reservists?|members|constables?))?|policem[ae]n|"
    r"soldiers?|troops|(?:security\s+)?guards?|reservists?|rangers?"
    r"|(?:police|military|army|KDF)\s+(?:posts?|stations?|camps?|bases?|vehicles?|patrols?))"
)
_FORCE_TARGET_RES = (
    # The force is the object of the violence ("kill seven, including police officers").
    re.compile(
        r"\b(?:kill(?:ing|ed|s)?|injur(?:ing|es)|wound(?:ing|s)|including|attack(?:ed|s|ing)?"
        r"(?:\s+on)?|raid(?:ed|s|ing)?(?:\s+on)?|ambush(?:ed|es|ing)?|target(?:ed|ing|s)"
        r"|hostage)\s+(?:[\w'-]+\s+){0,4}?" + _FORCE_NOUNS + r"\b",
        re.I,
    ),
    # Counted or passive victims ("two police officers injured", "guards were hacked").
    re.compile(
        r"\b(?:\d+|an?|one|two|three|four|five|six|seven|eight|nine|ten|several)\s+"
        r"(?:[\w'-]+\s+)?" + _FORCE_NOUNS + r"\s+(?:(?:was|were|are|is|have been|has been)\s+)?"
        r"(?:killed|injured|wounded|shot|hacked|ambushed|attacked|dead)\b"
        r"|\b" + _FORCE_NOUNS + r"\s+(?:was|were|have been|has been)\s+"
        r"(?:killed|injured|wounded|shot|hacked|ambushed|attacked)\b",
        re.I,
    ),
)
# A force told as hurt, in the passive: "two police officers were killed", "are dead".
_FORCE_VICTIM_RE = re.compile(
    _FORCE_NOUNS + r"\s+(?:was|were|are|is|have been|has been|had been)\s+(?:\w+\s+)?"
    r"(?:killed|injured|wounded|shot|hacked|ambushed|attacked|dead)\b",
    re.I,
)
# A headline's passive without its auxiliary, the force first and no object after the verb:
# "Kenyan police reservist shot dead while patrolling" (not "Police shot dead two men").
_FORCE_VICTIM_HEADLINE_RE = re.compile(
    r"^\W*(?:[\w'-]+\s+){0,3}?" + _FORCE_NOUNS + r"\s+(?:shot dead|killed|wounded|injured|dead)"
    r"(?=\s*(?:$|[;,.]|\b(?:while|as|in|at|on|during|after|when|by|near)\b))",
    re.I,
)
# What a device hits that is a force's: "a KDF patrol", "a police vehicle", "the GSU camp".
_FORCE_KIT_RE = re.compile(
    r"\b(?:police|military|army|KDF|GSU|security|soldiers'?|officers'?|troops'?)\s+"
    r"(?:[\w'-]+\s+)?(?:vehicles?|patrols?|convoys?|trucks?|lorr(?:y|ies)|cars?|posts?|camps?"
    r"|stations?|bases?)\b",
    re.I,
)
# Sub-event types whose target is civilians by ACLED's definition (Violence against civilians).
_CIVILIAN_TARGETS = frozenset({"Attack", "Abduction/forced disappearance", "Sexual violence"})
# Explosive devices: a target ACLED always names (a force, else civilians).
_DEVICES = frozenset({"Grenade", "Remote explosive/landmine/IED", "Suicide bomb"})
_HERDERS_RE = re.compile(r"\b(?:herders|herdsmen|pastoralists)\b", re.IGNORECASE)
# Off duty: "an off-duty officer", "an officer shot dead at his home", "on her way home".
_OFF_DUTY_RE = re.compile(
    r"\boff[- ]duty\b|\bat (?:his|her|their) (?:home|house|residence)s?\b"
    r"|\bon (?:his|her|their) way home\b",
    re.IGNORECASE,
)
_PROTESTERS_RE = re.compile(r"\b(?:protesters|protestors|demonstrators|demonstrations?)\b", re.I)
# Verbs of demonstrators' violence or destruction (decision 0004, fourth session); "stormed"
# and "paralysed" are not among them: ACLED Kenya codes storming an office to demand a
# hearing, or paralysing business, as a peaceful protest as often as not.
_DESTRUCTION_LEMMAS = frozenset(
    {
        "burn",
        "destroy",
        "smash",
        "break",
        "vandalise",
        "vandalize",
        "loot",
        "rob",
        "attack",
        "assault",
        "beat",
        "injure",
        "stab",
        "hack",
        "stone",
    }
)


class ConventionalRoles(RoleReader):
    """The actors ACLED codes: the parse's reading, filled and corrected by its conventions
    (docs/decisions/0004)."""

    def _force_in(
        self, text: str, *, country: str | None, skip: Actor | None = None
    ) -> Actor | None:
        """The state force (police, military, named units) a text names, but ``skip``.

        With several, the one nearest an intervention word ("police fired tear gas"): in
        "protesters demanded the departure of UN peacekeepers, and police fired tear gas" the
        peacekeepers are what the protest is about, the police what intervened.
        """
        forces = [
            (start, end, actor)
            for start, end, actor in self.actors.find(text, country=country)
            if actor.inter in {1, 8}
            and not (skip is not None and actor.name == skip.name)
            and self.actors.template_of(actor) not in _NOT_FORCES
        ]
        if len(forces) <= 1:
            return forces[0][2] if forces else None
        # What a force does to a crowd: the force nearest it is the one that intervened.
        acts = [m.start() for r in (_INTERVENTION_RE, _EXCESSIVE_RE) for m in r.finditer(text)]
        if not acts:
            return forces[0][2]
        return min(forces, key=lambda f: min(abs(a - f[1]) for a in acts))[2]

    def _named_elsewhere(
        self, sub: str, actor1: Actor | None, actor2: Actor | None, sent: Any, context: _Context
    ) -> tuple[Actor | None, Actor | None]:
        """Actors the parse did not tie to the trigger but the report names (decision 0004).

        The force named in a demonstration's sentence ("clashed with police", "threw stones at
        police officers") is the one that intervened or was attacked: actor 2. A violent
        event with no perpetrator in the parse takes the armed actor its sentence names
        (cited sources excluded), else one a following sentence blames ("Al Shabaab is
        suspected", "the family accused the police"); unnamed gunmen become the named group
        the sentence or such a sentence ties them to ("gunmen believed to be al-Shabaab").
        """
        family = event_type_of(sub)
        if family in {"Protests", "Riots"}:
            if sub == "Protest with intervention":
                # ACLED: the intervening force, not what the protest is about ("demanded
                # the departure of UN peacekeepers, and police fired tear gas").
                actor2 = (
                    self._force_in(_without_sources(sent), country=context.country, skip=actor1)
                    or actor2
                )
            elif actor2 is None and sub != "Peaceful protest":
                actor2 = self._force_in(
                    _without_sources(sent), country=context.country, skip=actor1
                )
            return actor1, actor2
        if family not in _VIOLENCE_TYPES:
            return actor1, actor2
        if actor2 is None:
            actor2 = self._victims(sent, actor1, context)
        unidentified = (
            actor1 is not None
            and self.actors.template_of(actor1) == "Unidentified Armed Group ({country})"
        )
        if actor1 is not None and not unidentified and not (sub in _DEVICES and _force(actor1)):
            return actor1, actor2
        texts = [_without_sources(sent)]
        texts += [
            _without_sources(later, claims=False)
            for later in list(sent.doc.sents)
            if later.start >= sent.end and _BLAME_RE.search(later.text)
        ][:2]
        for text in texts:
            for _, _, actor in self.actors.find(text, country=context.country):
                if actor.inter not in _ARMED or (actor2 is not None and actor.name == actor2.name):
                    continue
                if sub != "Armed clash" and _armed_victim_as_attacker(actor, text):
                    # "an officer was shot dead at his home", "soldiers were killed when their
                    # truck hit a bomb": the one hurt; in a battle the hurt force is a side.
                    continue
                template = self.actors.template_of(actor)
                if template == "Government of {country}":
                    continue
                if unidentified and (template is not None or actor.inter not in _NONSTATE_ARMED):
                    # "gunmen believed to be al-Shabaab": only a named group is more precise.
                    continue
                if actor1 is not None and _force(actor1):
                    # "A police vehicle was hit by an IED ... Al Shabaab claimed it": the force
                    # read as subject stays actor 1 (ACLED writes either order), the group
                    # that planted the device is the other side.
                    if actor2 is None and actor.inter in _NONSTATE_ARMED:
                        return actor1, actor
                    continue
                return self._abroad(actor, context), actor2
        return actor1, actor2

    def _demonstrators_violence(self, sent: Any, context: _Context) -> bool:
        """True when a demonstration's sentence tells people destroying or hurting.

        ACLED codes a demonstration as violent when demonstrators engage in violence or
        property destruction. The act counts when its verb is active ("burned their ballot
        papers", "attacked and injured three teachers"), not told as what the protest is
        about ("after a man was burnt", "the assault of an activist", "stalls destroyed by
        officers", "following ... killed") and not done by a force or an armed group.
        """
        for token in sent:
            if token.lemma_ not in _DESTRUCTION_LEMMAS or token.pos_ != "VERB":
                continue
            particles = {c.lower_ for c in token.children if c.dep_ in {"prep", "prt"}}
            # "attacked and injured three protesters": a shared object hangs on the last verb
            verbs = [token, *(c for c in token.children if c.dep_ == "conj")]
            objects = [c for v in verbs for c in v.children if c.dep_ == "dobj"]
            if token.lemma_ == "break" and (
                "up" in particles or not ({"into"} & particles or objects)
            ):
                continue  # "to break up a demonstration" is the police's intervention
            if _passive(token) or _told_as_cause(token):
                continue
            if any(_PROTESTERS_RE.search(_np(o)) for o in objects):
                continue  # "injured two protesters": violence against the demonstration
            agents = _agents(token)
            if any(_lone_person(a) for a in agents):
                continue  # "a man in a car shot ...": one person's act, not the crowd's
            if any(a.pos_ == "PRON" for a in agents) and (
                context.previous is not None
                and _has_force(context.previous.actor1, context.previous.actor2)
            ):
                continue  # "They also attacked journalists": the force told before
            if any(
                a.inter in _ARMED
                for agent in agents
                for _, _, a in self.actors.find(_np(agent), country=context.country)
            ):
                continue
            return True
        return False

    def _force_target(
        self, text: str, actor1: Actor | None, context: _Context, *, kit: bool = False
    ) -> Actor | None:
        """The force an attack hit, when the sentence names one as its victims or target.

        ACLED codes an attack on police, soldiers or guards as an Armed clash with the force
        as a side; none when the attacker is itself a state force (its raids are its own).
        """
        if actor1 is not None and actor1.inter in {1, 8}:
            return None
        # kit: a device's target may be the force's vehicle, patrol or post it hit.
        for pattern in (*_FORCE_TARGET_RES, _FORCE_KIT_RE) if kit else _FORCE_TARGET_RES:
            for m in pattern.finditer(text):
                for _, _, actor in self.actors.find(m.group(0), country=context.country):
                    if actor.inter in {1, 8}:
                        return self._abroad(actor, context)
        return None

    def _conventional_actors(
        self,
        sub: str,
        actor1: Actor | None,
        actor2: Actor | None,
        context: _Context,
        trigger: str,
        *,
        kind: str = "",
        sentence: str = "",
    ) -> tuple[Actor | None, Actor | None]:
        """Fill and correct actors by ACLED's coding conventions (docs/decisions/0004).

        Protesters and rioters are actor 1 of their events even when unnamed; the target of
        violence against civilians is civilians; a perpetrator nobody names is an unidentified
        armed group; arrests are made by the police; a mob's unnamed victims are civilians.
        An actor inferred so, not named in the text, has empty ``text`` (see ``_stated``).
        """
        family = event_type_of(sub)

        def generic(template: str, text: str) -> Actor:
            return self.actors.generic(template, text=text, country=context.country)

        if family == "Protests" and sub != "Excessive force against protesters":
            if actor1 is None or actor1.inter in {5, 7}:
                actor1 = generic("Protesters ({country})", actor1.text if actor1 else trigger)
            if _government(actor2):
                actor2 = None  # what a protest is against is no side of it (ACLED)
        elif family == "Riots":
            if actor1 is None or actor1.inter in {6, 7}:
                actor1 = generic("Rioters ({country})", actor1.text if actor1 else trigger)
            if sub == "Mob violence" and (kind == "clash" or _MUTUAL_RE.search(sentence)):
                # Two groups fighting each other: ACLED codes both sides as rioters.
                if actor2 is None or actor2.inter in {5, 7}:
                    actor2 = generic("Rioters ({country})", actor2.text if actor2 else "")
            elif sub == "Mob violence" and (
                actor2 is None or not actor2.known or actor2.name.startswith("Unidentified")
            ):
                # ACLED: the people a mob beats or lynches are civilians, suspected robbers
                # or kidnappers too (290 of 293 tune mob violence rows with civilians or an
                # unidentified armed group as actor 2 are civilians: decision 0004).
                actor2 = generic("Civilians ({country})", actor2.text if actor2 else "")
        elif sub in _CIVILIAN_TARGETS or family == "Explosions/Remote violence":
            if actor1 is not None and actor1.inter == 7:
                # "A civilian was killed by ...": the civilian is the target, read as subject.
                actor2 = actor2 if actor2 is not None and actor2.inter == 7 else actor1
                actor1 = None
            if actor1 is None:
                actor1 = generic("Unidentified Armed Group ({country})", "")
            if sub in _CIVILIAN_TARGETS and (actor2 is None or actor2.inter != 7):
                # Violence against civilians targets civilians, whoever the text names.
                actor2 = generic("Civilians ({country})", actor2.text if actor2 else "")
            elif sub in _DEVICES and actor2 is None:
                # ACLED: a device that hit a force's vehicle or post is against that force;
                # one that hit a street, a bus, a bar is against civilians. A force read as
                # the subject ("a police vehicle was hit") was the target: the unnamed side
                # that planted it is the other.
                if _force(actor1):
                    actor2 = generic("Unidentified Armed Group ({country})", "")
                else:
                    actor2 = self._force_target(sentence, actor1, context, kit=True) or generic(
                        "Civilians ({country})", ""
                    )
        elif sub == "Armed clash" and actor1 is None and _force(actor2):
            # "Two police officers were killed in an ambush": the unnamed attackers of a force.
            actor1 = generic("Unidentified Armed Group ({country})", "")
        elif sub == "Arrests":
            if actor1 is not None and actor1.inter not in _ARMED:
                actor2, actor1 = actor2 or actor1, None  # "traders were arrested"
            if actor1 is None:
                actor1 = generic("Police Forces of {country}", "")
        return actor1, actor2


def _herders(actor: Actor | None) -> bool:
    """True for an ethnic militia named by its herders ("Turkana herders")."""
    return actor is not None and actor.inter == 4 and bool(_HERDERS_RE.search(actor.text))


def _off_duty(actor: Actor | None, text: str) -> bool:
    """True for a state force the sentence says was off duty ("an off-duty police officer")."""
    return actor is not None and actor.inter == 1 and _OFF_DUTY_RE.search(text) is not None


def _is_place(actor: Actor | None, places: Any) -> bool:
    """True for a free-text actor that is the sentence's place or one of its areas."""
    if actor is None or actor.known:
        return False
    named = {p.casefold() for p in (places.location_text, *places.hints) if p}
    return actor.text.casefold().removeprefix("the ") in named


def _riot_acted_on(hit: _Hit, actor1: Actor | None, actor2: Actor | None) -> bool:
    """True for a riot noun a state force acts on ("police dispersed the riot"): the force is
    the riot's actor 2, not a looter (ACLED: Looting/property destruction needs its actor)."""
    token = hit.token
    return (
        hit.trigger.kind == "riot"
        and token.pos_ == "NOUN"
        and token.dep_ in {"dobj", "pobj", "nsubjpass"}
        and actor1 is not None
        and actor1.inter in {1, 8}
        and actor2 is None
    )


def _armed_victim_as_attacker(actor1: Actor | None, text: str) -> bool:
    """True when the attack's actor 1 is a force the sentence counts among the hurt.

    "Two police officers are killed during an ambush", "Seven police members are dead
    following an attack", "Police reservist shot dead while on patrol": the clause subject
    the parse gave as actor 1 is the target (ACLED: an attack on a force is a battle).
    """
    if actor1 is None or actor1.inter not in {1, 8} or not actor1.text:
        return False
    at = text.find(actor1.text)
    if at < 0:
        return False
    return any(
        m.start() < at + len(actor1.text) and at < m.end()
        for pattern in (_FORCE_VICTIM_RE, _FORCE_VICTIM_HEADLINE_RE)
        for m in pattern.finditer(text)
    )


def _lone_person(token: Any) -> bool:
    """True for a singular person as a subject: "a man", "the pastor" (not "a group")."""
    return token.tag_ in {"NN", "NNP"} and _GROUP_RE.search(token.text) is None


def _order_actors(
    sub: str, actor1: Actor | None, actor2: Actor | None
) -> tuple[Actor | None, Actor | None]:
    """Apply ACLED's actor order conventions per sub-event type."""
    if event_type_of(sub) in {"Protests", "Riots"} and sub != "Mob violence":
        # The protesters or rioters are actor 1; the force that intervened is actor 2.
        if (
            actor2 is not None
            and actor2.inter in {5, 6, 7}
            and (actor1 is None or actor1.inter in {1, 8})
        ):
            actor1, actor2 = actor2, actor1
        elif actor1 is not None and actor1.inter in {1, 8} and actor2 is None:
            actor1, actor2 = None, actor1  # the force that intervened; protesters filled in later
        if actor1 is not None and actor1.inter == 7:
            kind = "Protesters" if sub.startswith("P") or sub.startswith("E") else "Rioters"
            actor1 = replace(
                actor1, name=_rename(actor1.name, kind), inter=6 if kind == "Protesters" else 5
            )
    if sub == "Mob violence" and actor1 is not None and actor1.inter == 7:
        actor1 = replace(actor1, name=_rename(actor1.name, "Rioters"), inter=5)
    if sub == "Attack" and actor2 is not None and actor2.inter in {5, 6} and actor1 is not None:
        actor2 = replace(actor2, name=_rename(actor2.name, "Civilians"), inter=7)
    return actor1, actor2


def _rename(name: str, kind: str) -> str:
    m = re.search(r"\(([^)]*)\)$", name)
    return f"{kind} ({m.group(1)})" if m else kind


def _force(actor: Actor | None) -> bool:
    """True for a state force (police, military, a force abroad)."""
    return actor is not None and actor.inter in {1, 8}
