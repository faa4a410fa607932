"""EventsStage: a parsed document's body sentences → event mentions, sentence by sentence."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any, Self

from sitrep.actors import ActorDictionary
from sitrep.records import Document, DocumentStatus, Mention, Modality, SegmentKind
from sitrep.settings import Settings
from sitrep.stages.attribution import extract_attribution
from sitrep.stages.dates import resolve_date
from sitrep.stages.events import non_events
from sitrep.stages.events.context import _Context
from sitrep.stages.events.conventions import (
    _VIOLENCE_TYPES,
    ConventionalRoles,
    _armed_victim_as_attacker,
    _force,
    _herders,
    _is_place,
    _off_duty,
    _order_actors,
    _riot_acted_on,
)
from sitrep.stages.events.lexicon import _find_triggers, _Hit
from sitrep.stages.events.merge import _SEPARATE_RE, _add, _Found, _one_event_per_sentence, _stated
from sitrep.stages.events.modality import _HISTORY_RE, _background, _modality, _no_event_sentence
from sitrep.stages.events.roles import _NONSTATE_ARMED
from sitrep.stages.events.subtypes import _ARMED, _EXCESSIVE_RE, _INTERVENTION_RE, _sub_event_type
from sitrep.stages.events.syntax import _source_spans, _told_as_cause, _without_sources
from sitrep.stages.fatalities import extract_fatalities
from sitrep.stages.locations import area_hints, find_places, headline_places
from sitrep.taxonomy import event_type_of

# -- how a sentence relates to the article's previous event (docs/decisions/0004) ---------------
# Leading qualifiers of a date entity: "Earlier on Tuesday" is dated by "on Tuesday".
_QUALIFIER_RE = re.compile(r"^(?:earlier|later|early|late)\s+(?=on\b|in\b|that\b|this\b)", re.I)
_SAME_DAY_RE = re.compile(
    r"\b(?:on |during |later )?(?:the same (?:day|night|date|morning|afternoon|evening)"
    r"|that (?:same )?(?:day|night|morning|afternoon|evening))\b",
    re.I,
)
# Words that only count victims: a sentence whose every trigger is one of them adds details to
# the event told before ("Four other soldiers were wounded"), it is not a new event.
_CASUALTY_RE = re.compile(
    r"^(?:kill(?:ed)?|died|dead|wounded|injur(?:ed|ing|ies)|hurt|shot)$", re.I
)
# Where the wounded were taken is not where the event happened.
_EVACUATION_RE = re.compile(
    r"\b(?:hospitals?|clinics?|health (?:centre|center)|(?:taken|rushed|evacuated|airlifted) to)\b",
    re.I,
)


class EventsStage:
    """Document → Document with ``mentions`` from the body sentences."""

    name = "events"
    requires: tuple[str, ...] = ("nlp_doc", "segments", "published")
    produces: tuple[str, ...] = ("mentions",)

    def __init__(
        self, *, actors: ActorDictionary | None = None, actors_file: Path | None = None
    ) -> None:
        """Args:
        actors: the actor dictionary; loaded in setup() when None.
        actors_file: a user dictionary merged over the shipped one (when ``actors`` is None).
        """
        self._actors = actors
        self._actors_file = actors_file
        self._roles: ConventionalRoles | None = None

    @classmethod
    def from_settings(cls, settings: Settings) -> Self:
        """Build the stage from ``events.*`` settings."""
        path = str(settings["events.actors_file"]).strip()
        return cls(actors_file=Path(path) if path else None)

    def setup(self) -> None:
        """Load the actor dictionary once."""
        if self._actors is None:
            self._actors = ActorDictionary.load(self._actors_file)

    @property
    def actors(self) -> ActorDictionary:
        if self._actors is None:
            self.setup()
        assert self._actors is not None
        return self._actors

    @property
    def roles(self) -> ConventionalRoles:
        """The reader of actor 1 / actor 2 over the actor dictionary, made on first use."""
        if self._roles is None:
            self._roles = ConventionalRoles(self.actors)
        return self._roles

    def __call__(self, batch: Sequence[Document]) -> list[Document]:
        out = []
        for document in batch:
            if document.status is not DocumentStatus.PENDING or document.nlp_doc is None:
                out.append(document)
                continue
            out.append(replace(document, mentions=tuple(self.extract_mentions(document))))
        return out

    # -- per document ---------------------------------------------------------------------------

    def extract_mentions(self, document: Document) -> list[Mention]:
        """Return the event mentions of a parsed document's body, de-duplicated."""
        context = self._context(document)
        mentions: list[Mention] = []
        for segment, doc in document.nlp_doc:
            if segment.kind is not SegmentKind.BODY:
                continue
            context.paragraph_attribution = ()
            first = len(mentions)
            for sent in doc.sents:
                found = self._sentence_mentions(document, segment.start, sent, context)
                for item in found:
                    context.previous = _add(item, mentions, context.previous)
                    if context.lede is None and item.mention.modality is Modality.OCCURRED:
                        context.lede = context.previous
                if not found and context.previous is not None:
                    context.previous = self._intervened(
                        sent.text, context.previous, mentions, country=context.country
                    )
            self._force_of_report(doc, mentions, first, context)
        return mentions

    def _force_of_report(
        self, doc: Any, mentions: list[Mention], first: int, context: _Context
    ) -> None:
        """Give a violent demonstration with no actor 2 the force its paragraph names.

        ACLED codes the police a report names beside a violent demonstration as its actor 2,
        in whatever sentence ("Students rioted ... Police fired tear gas and made arrests."):
        253 of the 276 tune events of notes naming the police (docs/decisions/0004).
        """
        text: str | None = None  # the paragraph without its sources, read only when needed
        for index in range(first, len(mentions)):
            mention = mentions[index]
            if (
                mention.sub_event_type != "Violent demonstration"
                or mention.actor2 is not None
                or mention.modality is not Modality.OCCURRED
            ):
                continue
            if text is None:
                text = " ".join(_without_sources(sent) for sent in doc.sents)
            force = self.roles._force_in(text, country=context.country, skip=mention.actor1)
            if force is None:
                continue
            mentions[index] = replace(mention, actor2=force)
            if context.previous is mention:
                context.previous = mentions[index]

    def _intervened(
        self, text: str, previous: Mention, mentions: list[Mention], *, country: str | None
    ) -> Mention:
        """Fold "Police used tear gas to disperse them" into the demonstration told before.

        ACLED codes the force that intervened as actor 2 of the demonstration, and the
        intervention settles the sub-event type (docs/decisions/0004). Returns the article's
        previous event, updated when this sentence told its intervention.
        """
        if previous.event_type not in {"Protests", "Riots"}:
            return previous
        if previous.actor2 is not None and not (
            previous.sub_event_type == "Peaceful protest" and _force(previous.actor2)
        ):
            # A peaceful protest's force may be only what it was against ("protested
            # against police brutality"): the intervention still settles the type.
            return previous
        if previous.modality is not Modality.OCCURRED:
            return previous
        if _INTERVENTION_RE.search(text) is None and _EXCESSIVE_RE.search(text) is None:
            return previous
        force = self.roles._force_in(text, country=country)
        if force is None:
            return previous
        sub = previous.sub_event_type
        if sub == "Peaceful protest":
            excessive = _EXCESSIVE_RE.search(text) and re.search(
                r"\bkill|\blive\b|\bshot\b", text, re.I
            )
            sub = "Excessive force against protesters" if excessive else "Protest with intervention"
        updated = replace(previous, actor2=force, sub_event_type=sub, event_type=event_type_of(sub))
        index = next((i for i, m in enumerate(mentions) if m is previous), None)
        if index is None:
            return previous
        mentions[index] = updated
        return updated

    def _context(self, document: Document) -> _Context:
        counts: dict[str, int] = {}
        first: dict[str, int] = {}
        texts = [document.headline or ""] + [s.text for s in document.body_segments()]
        for position, (_, _, iso) in enumerate(
            c for text in texts for c in self.actors.countries_in(text)
        ):
            counts[iso] = counts.get(iso, 0) + 1
            first.setdefault(iso, position)
        if not counts:
            # No country named: the home country of the first named state force or militia
            # ("the IDF" → IL, "Pokot raiders" → KE). Not a rebel group's (inter 2): they
            # fight across borders (Al Shabaab in Kenya, ISWAP in Niger), so their home says
            # nothing about whose police or civilians these are; the event's place decides.
            for text in texts:
                for _, _, actor in self.actors.find(text):
                    if (
                        actor.country
                        and actor.inter != 2
                        and self.actors.template_of(actor) is None
                    ):
                        counts[actor.country] = 1
                        first[actor.country] = 0
                        break
                if counts:
                    break
        country = min(counts, key=lambda c: (-counts[c], first[c])) if counts else None
        names = tuple(n for n in (self.actors.country_name(c) for c in counts) if n)
        context = _Context(country=country, country_names=names)
        if document.headline:
            context.places.extend(area_hints(document.headline))
            context.places.extend(headline_places(document.headline))
        return context

    # -- per sentence -------------------------------------------------------------------------

    def _sentence_mentions(
        self, document: Document, offset: int, sent: Any, context: _Context
    ) -> list[_Found]:
        text: str = sent.text
        actors_here = self.actors.find(text, country=context.country)
        attribution = extract_attribution(text, previous=context.attribution)
        if attribution:
            context.attribution = attribution
            context.paragraph_attribution = attribution
        else:
            # A paragraph that cites a source relays it in its following sentences too
            # ("... according to the ministry. Troops were also deployed ...").
            attribution = context.paragraph_attribution
        source_spans = _source_spans(sent)
        sentence_countries = [
            n
            for n in (self.actors.country_name(iso) for _, _, iso in self.actors.countries_in(text))
            if n
        ]
        places = find_places(
            sent,
            exclude=[(s, e) for s, e, a in actors_here if a.known] + source_spans,
            countries=list(dict.fromkeys(sentence_countries)),
        )
        hits = [] if _no_event_sentence(text) else _find_triggers(sent)
        found: list[_Found] = []
        if hits:
            found = self._build(document, offset, sent, hits, context, places, attribution)
        elif non_events.tells_accident(text):
            context.accident = True  # "The car left the road and hit a tree."
        # Update what the article has established, after this sentence's own events; the
        # group that acted (actor 1) is the one a later "the militants" most likely means.
        named = [a for _, _, a in actors_here]
        named += [f.mention.actor1 for f in found if f.mention.actor1 is not None]
        for actor in named:
            if (
                actor.inter in _NONSTATE_ARMED
                and actor.known
                and self.actors.template_of(actor) is None
            ):
                context.name_armed_group(actor)
        if places.location_text:
            context.last_place = places
        here = [p for p in (places.location_text, *places.hints) if p]
        context.places = list(dict.fromkeys([*here, *context.places]))
        return found

    def _build(
        self,
        document: Document,
        offset: int,
        sent: Any,
        hits: list[_Hit],
        context: _Context,
        places: Any,
        attribution: tuple[str, ...],
    ) -> list[_Found]:
        text: str = sent.text
        # "Earlier on Tuesday": the day is the date; "earlier" only orders it before the lede.
        date_texts = [_QUALIFIER_RE.sub("", e.text) for e in sent.ents if e.label_ == "DATE"]
        when = resolve_date(text, reference=document.published, date_texts=date_texts)
        previous = context.previous
        same_day = previous is not None and _SAME_DAY_RE.search(text) is not None
        if (when.vague and not same_day) or _HISTORY_RE.search(text):
            return []  # history, not an event of this report (docs/decisions/0004)
        own_date = bool(when.explicit and when.date is not None)
        fatalities = extract_fatalities(text)
        # No place of its own: the sentence happened where the last one that named a place did.
        own = places if places.location_text or context.last_place is None else context.last_place
        location_text, location_named = own.location_text, own.named
        hints = list(places.hints)
        for place in context.places:
            if place not in hints and place != location_text:
                hints.append(place)
        casualty_words = all(_CASUALTY_RE.match(text[h.start : h.end]) for h in hits)
        # A country the sentence names ("their Somali counterparts") is no new area of its own.
        countries = {self.actors.country_name(iso) for _, _, iso in self.actors.countries_in(text)}
        by_type: dict[str, _Found] = {}
        # No one's act: an accident, a disaster, an illness, and what the next sentences add
        # to it (docs/decisions/0004, fifth session).
        if context.accident and non_events.accident_told_again(text, hits):
            return []
        accidents = [h for h in hits if non_events.accident(text, h)]
        context.accident = bool(accidents) or context.accident
        hits = [h for h in hits if h not in accidents]
        # "charged with assault", "convicted of murder": the legal process, not an event.
        hits = [h for h in hits if not non_events.legal_process(h)]
        # An arrest for theft, drink driving or drugs is of no political significance (ACLED).
        hits = [h for h in hits if not non_events.ordinary_arrest(text, h)]
        # "attacked the proposal", "battled the blaze", a surname "Battle": no violence.
        hits = [h for h in hits if not non_events.non_violent_sense(text, h)]
        if previous is not None and previous.event_type in _VIOLENCE_TYPES:
            # "X claimed responsibility for the attack": who did the attack told before.
            hits = [h for h in hits if not non_events.claim_for_told_event(h)]
            # "The White House condemned the attack": a reaction to the event told before.
            hits = [h for h in hits if not non_events.reaction_to_told_event(h)]
        for hit in hits:
            modality = _modality(text, hit, future=when.future)
            if modality is None:
                continue
            if _background(hit, when, document.published):
                continue  # a standing state or an old fact told as background
            actor1, actor2 = self.roles._actors_for(sent, hit, context)
            # "Russian forces struck Kharkiv": a place the sentence names is no actor; the
            # victims the sentence names are ("killing two civilians").
            if _is_place(actor1, places):
                actor1 = None
            if _is_place(actor2, places):
                actor2 = self.roles._victims(sent, actor1, context)
            if _riot_acted_on(hit, actor1, actor2):
                # "Police quelled the riots": the force intervened, the rioters are unnamed.
                actor1, actor2 = None, actor1
            if hit.trigger.kind == "attack" and _armed_victim_as_attacker(actor1, text):
                # "Two police officers are killed during an ambush": the force the sentence
                # says was hurt is the target, not the attacker (read as the clause subject).
                actor1, actor2 = None, actor1 if actor2 is None else actor2
            if actor2 is None and hit.trigger.kind == "attack":
                # "Two policemen were shot dead by gunmen": an attack on an armed force is a
                # battle (ACLED), so its victims settle the type.
                victims = self.roles._victims(sent, actor1, context)
                if victims is not None and victims.inter in _ARMED:
                    actor2 = victims
            if hit.trigger.kind == "attack" and (actor2 is None or actor2.inter == 7):
                actor2 = self.roles._force_target(text, actor1, context) or actor2
            if hit.trigger.kind == "attack" and (_herders(actor2) or _off_duty(actor2, text)):
                # "Raiders shot dead two Turkana herders": herders attacked are civilians
                # (ACLED); herders who raid or fight are their community's militia. So is a
                # police officer or soldier attacked off duty.
                assert actor2 is not None
                actor2 = self.actors.generic(
                    "Civilians ({country})",
                    text=actor2.text,
                    country=actor2.country or context.country,
                )
            sub = _sub_event_type(hit, text, actor1, actor2)
            if sub == "Peaceful protest" and self.roles._demonstrators_violence(sent, context):
                # "Voters burned ballot papers in protest": demonstrators who destroy or hurt
                # riot (ACLED's violent demonstration), whatever word names the protest.
                sub = "Violent demonstration"
            if sub is None or sub in by_type:
                continue
            actor1, actor2 = _order_actors(sub, actor1, actor2)
            actor1, actor2 = self.roles._named_elsewhere(sub, actor1, actor2, sent, context)
            actor1, actor2 = self.roles._conventional_actors(
                sub,
                actor1,
                actor2,
                context,
                text[hit.start : hit.end],
                kind=hit.trigger.kind,
                sentence=text,
            )
            event_date: date | None
            continued = False
            if own_date and not same_day:
                event_date, precision = when.date, when.precision
                date_text, resolved_from = when.text, when.resolved_from
                year_from_reference = when.year_from_reference
            elif (dated_by := _dated_by(previous, context.lede, event_type_of(sub))) is not None:
                # No date of its own: the sentence goes on telling the article's last event
                # and takes its date and time precision (docs/decisions/0004); not a planned
                # or claimed event's, nor an older event's told in passing: the story's own.
                continued = True
                event_date, precision = dated_by.event_date, dated_by.time_precision
                date_text, resolved_from = dated_by.date_text, dated_by.date_resolved_from
                year_from_reference = dated_by.year_from_reference
            else:
                # No date in the sentence: the report's own date, ACLED precision 2 (about a week).
                event_date, precision = document.published, (2 if document.published else None)
                date_text, resolved_from, year_from_reference = None, document.published, False
            mention = Mention(
                document_id=document.id,
                event_type=event_type_of(sub),
                sub_event_type=sub,
                sentence=text,
                start=offset + sent.start_char,
                end=offset + sent.end_char,
                trigger=text[hit.start : hit.end],
                actor1=actor1,
                actor2=actor2,
                location_text=location_text,
                location_hints=tuple(hints),
                location_named=location_named,
                event_date=event_date,
                time_precision=precision,
                date_text=date_text,
                date_resolved_from=resolved_from,
                year_from_reference=year_from_reference,
                fatalities=fatalities.count if not by_type else None,
                fatalities_known=fatalities.known if not by_type else False,
                modality=modality,
                attribution=attribution,
            )
            mention = replace(
                mention,
                confidence=_confidence(
                    hit,
                    mention,
                    place_in_sentence=places.location_text is not None,
                    date_explicit=own_date,
                ),
            )
            by_type[sub] = _Found(
                mention,
                continued=continued or same_day,
                casualties_only=(
                    casualty_words
                    and all(_victim_form(h) for h in hits)
                    and (actor1 is None or not actor1.text or actor1.inter == 7)
                    and previous is not None
                    and (continued or same_day or event_date == previous.event_date)
                    and _SEPARATE_RE.search(text) is None
                    and (
                        places.location_text is None
                        or places.location_text == previous.location_text
                        or _EVACUATION_RE.search(text) is not None
                    )
                ),
                own_place=places.location_text is not None,
                back_reference=_back_reference(hit),
                definite=non_events.definite(hit.token),
                new_area=any(h not in context.places and h not in countries for h in places.hints),
                cause=event_type_of(sub) in _VIOLENCE_TYPES and _protest_cause(hit, hits),
                crowd_reference=_CROWD_REFERENCE_RE.match(text) is not None
                or _definite_demonstration(hit),
            )
        if by_type:
            context.accident = False  # the article moved on to an event
        return _one_event_per_sentence(list(by_type.values()))


def _dated_by(previous: Mention | None, lede: Mention | None, event_type: str) -> Mention | None:
    """The event whose date a sentence with no date of its own takes.

    The article's last event, when it occurred. Not an event planned, threatened or claimed:
    then the article's first occurred event (None when there is none: the report's own date).
    Not an older event of another type told in passing either, when this sentence's event is
    of the first event's type: after "Kurdish militants claimed the Dec. 10 bombings" in a
    report of a shooting on Dec. 19, "the assassination ..." returns to the story's own day.
    """
    if previous is None:
        return None
    if previous.modality is not Modality.OCCURRED:
        return lede
    if (
        lede is not None
        and previous.event_date is not None
        and lede.event_date is not None
        and previous.event_date < lede.event_date
        and previous.event_type != event_type == lede.event_type
    ):
        return lede
    return previous


def _victim_form(hit: _Hit) -> bool:
    """True for a casualty word that names victims, not an act: "were wounded", "among the dead"."""
    token = hit.token
    if token.dep_ in {"pobj", "amod", "acomp", "attr", "conj"}:
        return True
    if any(c.dep_ == "agent" for c in token.children):
        return False  # "killed by gunmen" names who did it
    return any(c.dep_ == "auxpass" for c in token.children) or token.tag_ == "VBN"


def _back_reference(hit: _Hit) -> bool:
    """True for a definite event noun that names an event told before ("the fighting")."""
    token = hit.token
    if token.pos_ not in {"NOUN", "VERB"} or token.dep_ not in {"nsubj", "nsubjpass", "dobj"}:
        return False
    return any(c.dep_ == "det" and c.lower_ in {"the", "this", "that"} for c in token.children)


# A sentence that starts by naming the crowd or demonstration told before.
_CROWD_REFERENCE_RE = re.compile(
    r"\W*(?:they\b(?! also)|(?:the|these|those)\s+(?:[\w-]+\s+){0,2}?"
    r"(?:protesters|protestors|demonstrators|rioters|students|youths?|residents|crowds?|mob"
    r"|traders|workers|marchers|demonstrations?|protests?|riots?|march)\b(?!\s+spread))",
    re.I,
)


def _definite_demonstration(hit: _Hit) -> bool:
    """True for "the demonstration" / "the protest": a demonstration told before."""
    token = hit.token
    return (
        hit.trigger.kind in {"protest", "riot"}
        and token.pos_ == "NOUN"
        and any(c.dep_ == "det" and c.lower_ in {"the", "this", "that"} for c in token.children)
    )


def _protest_cause(hit: _Hit, hits: Sequence[_Hit]) -> bool:
    """True when violence is what a demonstration told before it in the sentence is about.

    "Students protested against the rape of a classmate", "residents demonstrated over the
    killing of a man": the crime is the protest's cause, not an event of that day (ACLED
    codes the protest). The violence must come after the demonstration word, inside its
    phrase or a phrase that says why ("after", "over", "against", "following").
    """
    token = hit.token
    for other in hits:
        if other.trigger.kind not in {"protest", "riot"} or other.start >= hit.start:
            continue
        if token.i in {t.i for t in other.token.subtree} or _told_as_cause(token):
            return True
    return False


def _confidence(
    hit: _Hit, mention: Mention, *, place_in_sentence: bool, date_explicit: bool
) -> float:
    """A documented heuristic in [0, 1] (docs/decisions/0004-event-extraction.md)."""
    score = 0.5 * hit.trigger.strength
    # An actor inferred by convention adds nothing: the text did not name it.
    actor1, actor2 = _stated(mention.actor1), _stated(mention.actor2)
    if actor1 is not None:
        score += 0.15 if actor1.known else 0.07
    if actor2 is not None:
        score += 0.08 if actor2.known else 0.04
    if place_in_sentence:
        score += 0.12
    elif mention.location_text is not None:
        score += 0.05
    if date_explicit:
        score += 0.1
    if mention.modality is not Modality.OCCURRED:
        score *= 0.6
    return round(min(max(score, 0.05), 0.99), 3)
