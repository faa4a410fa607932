"""Combining an article's mentions: one event per sentence, continuations, escalations, repeats."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from sitrep.records import Actor, Mention, Modality
from sitrep.stages.events.conventions import _VIOLENCE_TYPES, _force, _rename
from sitrep.stages.events.roles import _NONSTATE_ARMED
from sitrep.stages.events.subtypes import _government

_ADDITIVE_RE = re.compile(r"\b(?:also|other|another|more|additional|further)\b", re.I)
# "In a separate incident", not the verb ("police intervened to separate the groups").
_SEPARATE_RE = re.compile(
    r"\b(?:separately|(?:a|another) separate|elsewhere|in another|another (?:attack|incident)"
    r"|meanwhile)\b",
    re.I,
)


@dataclass(frozen=True)
class _Found:
    """A mention with how it relates to the article's previous event (docs/decisions/0004)."""

    mention: Mention
    continued: bool = False  # no date of its own: it goes on telling the previous event
    casualties_only: bool = False  # only a casualty word: details of the previous event
    own_place: bool = False  # the sentence names its own place
    back_reference: bool = False  # "the fighting", "the attack": the event named before
    definite: bool = False  # "the killing", "Sunday's attack" anywhere in the sentence
    new_area: bool = False  # the sentence names an area the article had not named before
    # Violence told as what a demonstration of the same sentence is about ("protested
    # against the rape of ...", "a protest over the killing of ..."): its cause, no event.
    cause: bool = False
    # "The protesters then blocked the road at X", "they lit bonfires", "the demonstration":
    # the crowd or demonstration told before, wherever the sentence says it went.
    crowd_reference: bool = False


# One demonstration told over several sentences is coded once, at its most severe:
# protesters who turn violent make a riot (ACLED), force against them an intervention.
_DEMONSTRATION_SEVERITY = {
    "Peaceful protest": 0,
    "Protest with intervention": 1,
    "Excessive force against protesters": 2,
    "Violent demonstration": 3,
    # A crowd's violence at a demonstration's place and day is the same occasion (ACLED: one
    # event); between a riot and a mob the type told first stands.
    "Mob violence": 3,
}


def _escalate(mention: Mention, mentions: list[Mention], *, own_place: bool) -> Mention | None:
    """Fold a demonstration mention into an earlier one of the same day and place.

    Returns the mention it was folded into, or None when it is a demonstration of its own
    (another day, or a place of its own: "smaller protests were held in X").
    """
    rank = _DEMONSTRATION_SEVERITY.get(mention.sub_event_type)
    if rank is None or mention.modality is not Modality.OCCURRED:
        return None
    for i, other in enumerate(mentions):
        other_rank = _DEMONSTRATION_SEVERITY.get(other.sub_event_type)
        if other_rank is None or other.event_date != mention.event_date:
            continue
        if other.modality is not Modality.OCCURRED:
            continue
        if (
            own_place
            and (mention.location_text or "").lower() != (other.location_text or "").lower()
        ):
            continue
        if rank > other_rank:
            mentions[i] = replace(
                other,
                event_type=mention.event_type,
                sub_event_type=mention.sub_event_type,
                actor1=_demonstrators(other.actor1, mention),
                actor2=other.actor2 or mention.actor2,
            )
        elif other.actor2 is None and _force(mention.actor2):
            # "Police dispersed the demonstrators" after a riot: the force that intervened
            # is the riot's actor 2 (ACLED), though the riot stays the more severe type.
            mentions[i] = replace(other, actor2=mention.actor2)
        return mentions[i]
    return None


def _demonstrators(actor: Actor | None, mention: Mention) -> Actor | None:
    if actor is None:
        return mention.actor1
    kind = "Rioters" if mention.event_type == "Riots" else "Protesters"
    if actor.inter in {5, 6}:
        return replace(actor, name=_rename(actor.name, kind), inter=5 if kind == "Rioters" else 6)
    return actor


def _same_event(a: Mention, b: Mention, *, back_reference: bool = False) -> bool:
    """The same event told twice in one article: same event type, date and place, compatible
    actors. A sub-event type may differ ("the blast" after "a suicide car bomb"), not a
    demonstration's (``_escalate`` keeps its most severe type). A place or
    a date one telling lacks agrees with the other's only when the later one is a definite
    event noun ("the blast in X"): an event the parser found no place for may be another
    one ("missiles hit Odesa ... Earlier, artillery shelled Nikopol"). ACLED codes one event
    per place and day, so two named places or two dates stay two events (docs/decisions/0004,
    fifth session)."""
    if (a.event_type, a.modality) != (b.event_type, b.modality):
        return False
    if a.sub_event_type != b.sub_event_type and a.event_type in {"Protests", "Riots"}:
        # "Police used tear gas to disperse them" after a protest makes it one with an
        # intervention: _escalate keeps the more severe type, folding here would lose it.
        return False
    if not _agree(a.event_date, b.event_date, missing=back_reference):
        return False
    place_a, place_b = (a.location_text or "").lower(), (b.location_text or "").lower()
    if not _agree(place_a or None, place_b or None, missing=back_reference):
        return False
    return _compatible(a.actor1, b.actor1) and _compatible(a.actor2, b.actor2)


def _agree(a: object, b: object, *, missing: bool) -> bool:
    """Equal values; or, when ``missing``, one of them None."""
    return a == b or (missing and (a is None or b is None))


def _filled(event: Mention, again: Mention) -> Mention:
    """The event with the place or date it lacked, from a sentence that tells it again."""
    if event.location_text is None and again.location_text is not None:
        event = replace(
            event,
            location_text=again.location_text,
            location_hints=again.location_hints,
            location_named=again.location_named,
        )
    if event.event_date is None and again.event_date is not None:
        event = replace(
            event,
            event_date=again.event_date,
            time_precision=again.time_precision,
            date_text=again.date_text,
            date_resolved_from=again.date_resolved_from,
            year_from_reference=again.year_from_reference,
        )
    return event


def _stated(actor: Actor | None) -> Actor | None:
    """The actor when the text names it; None when it was only inferred by convention."""
    return actor if actor is not None and actor.text else None


def _compatible(a: Actor | None, b: Actor | None) -> bool:
    # An actor inferred by convention ("Unidentified Armed Group") agrees with any named one.
    a, b = _stated(a), _stated(b)
    return a is None or b is None or a.name == b.name


def _fold(found: _Found, previous: Mention) -> Mention | None:
    """The previous mention with a continuing sentence's details, or None when it is new."""
    mention = found.mention
    if mention.modality is not Modality.OCCURRED or previous.modality is not Modality.OCCURRED:
        return None
    if found.casualties_only:
        return _force_fought(replace(previous, **_merged_fatalities(previous, mention)), found)
    if not found.continued or mention.event_date != previous.event_date:
        return None
    if mention.sub_event_type == "Arrests" and previous.event_type in {"Protests", "Riots"}:
        # Arrests at a demonstration are its intervention (ACLED), not an event of their own.
        if previous.sub_event_type == "Peaceful protest":
            return replace(
                previous,
                sub_event_type="Protest with intervention",
                actor2=previous.actor2 or mention.actor1,
            )
        return previous
    same_kind = mention.sub_event_type == previous.sub_event_type
    violence = {mention.event_type, previous.event_type} <= _VIOLENCE_TYPES
    actors_agree = _compatible(mention.actor1, previous.actor1) and _compatible(
        mention.actor2, previous.actor2
    )
    # "The fighting began when X advanced": the sides may be named in either order.
    sides = {a.name for a in (previous.actor1, previous.actor2) if a is not None}
    named = {a.name for a in (_stated(mention.actor1), _stated(mention.actor2)) if a is not None}
    actors_agree = actors_agree or (found.back_reference and named <= sides)
    said1, said_before = _stated(mention.actor1), _stated(previous.actor1)
    told_on = (same_kind and (found.back_reference or not found.own_place) and actors_agree) or (
        violence
        and not found.own_place
        and said1 is not None
        and said_before is not None
        and said1.name == said_before.name
    )
    if not told_on and _same_occasion(found, previous):
        return _force_fought(_told_further(previous, mention, crowd=found.crowd_reference), found)
    if not told_on:
        return None
    folded = replace(
        previous,
        actor1=_stated(previous.actor1) or mention.actor1 or previous.actor1,
        actor2=_stated(previous.actor2) or mention.actor2 or previous.actor2,
        **_merged_fatalities(previous, mention),
    )
    return _force_fought(folded, found)


def _one_event_per_sentence(found: list[_Found]) -> list[_Found]:
    """One violent event per sentence, and no arrests beside it (docs/decisions/0004).

    Two violence words of one sentence ("shot and wounded two police reservists", "police
    fired at the attackers, killing one") tell one event of one place and day, as ACLED codes
    it; the reading that names the most actors is kept (the first on a tie). Arrests told with
    the violence ("detained and beaten by soldiers") are part of it, not a strategic development.
    """
    demonstrations = [f for f in found if f.mention.event_type in {"Protests", "Riots"}]
    if demonstrations:
        # The crime a demonstration is about is its cause, not an event of the day.
        found = [f for f in found if not f.cause]
        found = _demonstrators_attack(found)
    violent = [f for f in found if _violent(f.mention)]
    if not violent:
        return found
    # A mob's violence is one event: "students attacked and killed a man" (mob violence);
    # a battle told in the same sentence outranks it.
    battle = any(f.mention.event_type == "Battles" for f in violent)
    best = max(
        violent,
        key=lambda f: (
            _stated_count(f.mention),
            f.mention.sub_event_type == "Mob violence" and not battle,
            -violent.index(f),
        ),
    )
    # A rally where a mob fought is the mob's occasion, not a demonstration of its own.
    mob = best.mention.sub_event_type == "Mob violence"
    riot = next((f for f in found if f.mention.sub_event_type == "Violent demonstration"), None)
    if (
        mob
        and riot is not None
        and riot.mention.modality is best.mention.modality
        and not _crowds_fight(best.mention)
    ):
        # "Students engaged in a violent demonstration ... destroyed property": the
        # demonstrators' violence is the violent demonstration, not a mob of its own (ACLED:
        # one event, Riots at its most specific); crowds fighting each other stay a mob.
        best, mob = riot, False
    return [
        f
        for f in found
        if f is best
        or (
            not _violent(f.mention)
            and f.mention.sub_event_type != "Arrests"
            and not (mob and f.mention.event_type in {"Protests", "Riots"})
        )
    ]


def _crowds_fight(mention: Mention) -> bool:
    """True for a mob whose other side is rioters too ("supporters fought each other")."""
    return mention.actor2 is not None and mention.actor2.inter == 5


def _demonstrators_attack(found: list[_Found]) -> list[_Found]:
    """Demonstrators who attack in the sentence that tells their demonstration riot.

    "Angry demonstrators ambushed an official": one Violent demonstration (ACLED: the
    demonstrators' violence makes the demonstration a riot), not an attack beside a protest.
    """
    demonstration = next((f for f in found if f.mention.event_type == "Protests"), None)
    attack = next(
        (
            f
            for f in found
            if f.mention.event_type in _VIOLENCE_TYPES
            and f.mention.actor1 is not None
            and f.mention.actor1.inter in {5, 6}
        ),
        None,
    )
    if demonstration is None or attack is None:
        return found
    if demonstration.mention.modality is not attack.mention.modality:
        return found
    riot = demonstration.mention
    actor1 = riot.actor1
    if actor1 is not None and actor1.inter in {5, 6}:
        actor1 = replace(actor1, name=_rename(actor1.name, "Rioters"), inter=5)
    riot = replace(
        riot,
        event_type="Riots",
        sub_event_type="Violent demonstration",
        actor1=actor1,
        actor2=riot.actor2 or attack.mention.actor2,
        **_merged_fatalities(riot, attack.mention),
    )
    return [replace(f, mention=riot) if f is demonstration else f for f in found if f is not attack]


def _violent(mention: Mention) -> bool:
    """Political violence, or a mob's violence (which ACLED types as a riot)."""
    return mention.event_type in _VIOLENCE_TYPES or mention.sub_event_type == "Mob violence"


def _stated_count(mention: Mention) -> int:
    return sum(_stated(a) is not None for a in (mention.actor1, mention.actor2))


def _follow_up_arrest(mention: Mention, mentions: Sequence[Mention]) -> bool:
    """True for arrests told after the report's violence ("Four suspects have been arrested").

    ACLED codes arrests as a strategic development only when they are an event of their own
    (mass or political arrests); the arrest of suspects after an attack, a clash or a riot is
    the aftermath of that event, whatever day it is dated (docs/decisions/0004).
    """
    if mention.sub_event_type != "Arrests":
        return False
    return any(
        m.event_type in _VIOLENCE_TYPES | {"Riots"} and m.modality is Modality.OCCURRED
        for m in mentions
    )


def _same_occasion(found: _Found, previous: Mention) -> bool:
    """True when an undated sentence tells more of the violence of the previous event's place
    and day ("Police then fired at the attackers, killing one"; "Houses were also torched").

    ACLED codes one event per location and day: a violent sentence that names no other place
    and says nothing of a separate incident is the same event, whatever its own trigger
    suggests (docs/decisions/0004). A demonstration after violence, or one told after another
    demonstration, is left to the other rules.
    """
    mention = found.mention
    if _SEPARATE_RE.search(mention.sentence):
        return False
    if found.new_area:
        return False  # "... struck an oil depot in Belgorod region": somewhere else
    if (
        found.own_place
        and (mention.location_text or "").lower() != (previous.location_text or "").lower()
    ):
        return False
    if mention.sub_event_type == "Mob violence":
        return False  # a mob that forms is a new actor, a new event
    violent = _VIOLENCE_TYPES | {"Riots"}
    if previous.event_type in _VIOLENCE_TYPES:
        return mention.event_type in violent
    if previous.event_type == "Riots":
        return mention.event_type in _VIOLENCE_TYPES
    if previous.event_type == "Protests" and mention.event_type in _VIOLENCE_TYPES:
        # Violence at a demonstration's place and day by the force that policed it, by the
        # crowd, or by nobody named ("Two were wounded") is the demonstration's (ACLED: one
        # event); an armed group the sentence names acted on its own.
        attacker = _stated(mention.actor1)
        return attacker is None or attacker.inter in {1, 5, 6, 7, 8}
    return False


def _told_further(previous: Mention, mention: Mention, *, crowd: bool = False) -> Mention:
    """The previous event with what a further sentence adds: a fight back makes an attack a
    clash (the target was armed), and its casualties count."""
    event = replace(previous, **_merged_fatalities(previous, mention))
    if previous.sub_event_type == "Violent demonstration" and previous.actor2 is None:
        # "Police dispersed them ... an officer was stabbed": the force that fought the
        # rioters, either side of the further violence, is the riot's actor 2 (ACLED).
        force = next((a for a in (mention.actor1, mention.actor2) if _force(_stated(a))), None)
        if force is not None:
            event = replace(event, actor2=force)
    if previous.event_type == "Protests":
        # Force used against the demonstrators makes excessive force; their own violence a
        # riot (ACLED's precedence: the most severe type of the one event).
        force = _stated(mention.actor1)
        if force is None and crowd and mention.event_type in _VIOLENCE_TYPES:
            # "They beat up two teachers", "the students then stoned a car": the crowd told
            # before did it, so the demonstration was violent.
            force = previous.actor1
        if _force(force):
            return replace(
                event,
                sub_event_type="Excessive force against protesters",
                event_type="Protests",
                actor2=previous.actor2 if _force(previous.actor2) else force,
            )
        if force is not None:
            return replace(
                event,
                sub_event_type="Violent demonstration",
                event_type="Riots",
                actor1=_demonstrators(previous.actor1, replace(mention, event_type="Riots")),
                actor2=previous.actor2 or mention.actor2,
            )
        return event
    attacker = _stated(previous.actor1)
    if (
        previous.sub_event_type == "Attack"
        and mention.sub_event_type == "Armed clash"
        and (attacker is None or attacker.inter not in {1, 8})
    ):
        # The target fought back ("In the ensuing gunfight ..."): a battle, not one-sided.
        sides = [_stated(mention.actor1), _stated(mention.actor2)]
        other = next(
            (a for a in sides if a is not None and (attacker is None or a.name != attacker.name)),
            None,
        )
        event = replace(
            event,
            sub_event_type="Armed clash",
            event_type="Battles",
            actor2=other if other is not None and other.inter != 7 else None,
        )
    return event


def _force_fought(event: Mention, found: _Found) -> Mention:
    """An armed group's attack as a battle when a further sentence tells a force fighting or
    hit in it: "Police responded, killing two of the attackers", "Four police officers
    killed", "The bandits clashed with police reservists". ACLED codes both as an Armed clash
    with the force as the other side. A force that only speaks of the event ("police are
    investigating the killing") or comes later ("launched an operation") is no side."""
    mention = found.mention
    attacker = _stated(event.actor1)
    if (
        event.sub_event_type != "Attack"
        or attacker is None
        or attacker.inter not in _NONSTATE_ARMED
        or mention.event_type not in _VIOLENCE_TYPES
        or found.back_reference
        or found.definite
        or not _FIGHT_RE.search(mention.trigger)
    ):
        return event
    sentence = mention.sentence.casefold()
    sides = (_stated(mention.actor1), _stated(mention.actor2), _stated(event.actor2))
    force = next(
        (
            a
            for a in sides
            if a is not None
            and _security_force(a)
            and a.name != attacker.name
            and a.text.casefold() in sentence  # named by this sentence, not inferred
        ),
        None,
    )
    if force is None:
        return event
    return replace(event, sub_event_type="Armed clash", event_type="Battles", actor2=force)


# Words of fighting or of its casualties, not of an operation or an inquiry.
_FIGHT_RE = re.compile(
    r"\b(?:kill|shot|shoot|fire|fought|fight|clash|engag|repuls|exchang|gunfight|battl|wound"
    r"|injur|dead|died)",
    re.I,
)


def _security_force(actor: Actor) -> bool:
    """Police or military of a state: not its government, not private guards."""
    return actor.inter == 1 and not _government(actor)


def _merged_fatalities(previous: Mention, mention: Mention) -> dict[str, Any]:
    """Fatality fields after adding a continuing sentence's count to the previous event's."""
    if mention.fatalities is None:
        return {}
    if previous.fatalities is None:
        return {"fatalities": mention.fatalities, "fatalities_known": mention.fatalities_known}
    if _ADDITIVE_RE.search(mention.sentence):
        # "Two resistance fighters were also killed": more dead on top of those counted.
        return {"fatalities": previous.fatalities + mention.fatalities}
    return {"fatalities": max(previous.fatalities, mention.fatalities)}


def _add(found: _Found, mentions: list[Mention], previous: Mention | None) -> Mention | None:
    """Add a sentence's mention to the article's list, folding continuations; return the
    article's event that a following sentence would continue."""
    mention = found.mention
    if previous is not None:
        folded = _fold(found, previous)
        if folded is not None:
            index = next((i for i, m in enumerate(mentions) if m is previous), None)
            if index is not None:
                mentions[index] = folded
                return folded
    if found.casualties_only:
        return previous
    if _follow_up_arrest(mention, mentions):
        return previous
    for i, other in enumerate(mentions):
        if _same_event(mention, other, back_reference=found.back_reference):
            mentions[i] = _filled(other, mention)
            return mentions[i]
    # "The protesters then blocked the road at X": the crowd told before, one event.
    own_place = found.own_place and not found.crowd_reference
    folded_into = _escalate(mention, mentions, own_place=own_place)
    if folded_into is not None:
        return folded_into
    mentions.append(mention)
    return mention
