"""The events stage: sentences of the article body → ACLED-typed event mentions.

Per body sentence: find event triggers (a phrase lexicon), settle the sub-event type from
the trigger and the actors, read actor 1 / actor 2 off the dependency parse (normalised
through the actor dictionary, with "the group"-style references resolved to the last armed
group the article named), the modality (planned, claimed, denied, estimate), the date, the
fatalities, the cited sources and the place phrases. Rules and the confidence heuristic:
docs/decisions/0004-event-extraction.md. Comments and headlines never yield events.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any, Self

from sitrep.actors import ActorDictionary
from sitrep.records import Actor, Document, DocumentStatus, Mention, Modality, SegmentKind
from sitrep.settings import Settings
from sitrep.stages.attribution import extract_attribution
from sitrep.stages.dates import resolve_date
from sitrep.stages.fatalities import extract_fatalities
from sitrep.stages.locations import PlacePhrases, area_hints, find_places, headline_places
from sitrep.taxonomy import event_type_of

# -- the trigger lexicon -----------------------------------------------------------------------
# kind: a sub-event type, or a family settled by the actors ("attack", "clash", "territory",
# "riot", "protest", "arrest"). strength in [0, 1]: how surely the words alone mean an event.


@dataclass(frozen=True)
class Trigger:
    """One lexicon rule: a pattern, what it signals, and how strongly."""

    pattern: re.Pattern[str]
    kind: str
    strength: float
    weak: bool = False  # only used when no stronger trigger is in the sentence


def load_lexicon() -> tuple[Trigger, ...]:
    """Read the trigger lexicon shipped in ``data/event_lexicon.json``."""
    text = resources.files("sitrep").joinpath("data/event_lexicon.json").read_text(encoding="utf-8")
    rules = json.loads(text)["rules"]
    return tuple(
        Trigger(
            re.compile("|".join(rule["patterns"]), re.IGNORECASE),
            str(rule["kind"]),
            float(rule["strength"]),
            bool(rule.get("weak", False)),
        )
        for rule in rules
    )


TRIGGERS: tuple[Trigger, ...] = load_lexicon()

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
_CLAIMED_RE = re.compile(
    r"\bclaimed responsibility\b|\bclaim(?:s|ed)? (?:of )?responsibility\b"
    r"|\bclaimed (?:that|to have)\b|\bclaimed (?:it|they|he|she)\b|\bclaims? (?:that|to have)\b"
    r"|\bin a claim\b",
    re.I,
)
_ESTIMATE_LEMMAS = frozenset(
    {"believe", "estimate", "think", "suspect", "fear", "assume", "presume"}
)
_HISTORY_RE = re.compile(
    r"\b(?:since \d{4}|in recent years|over the years|for years|in the past)\b", re.I
)

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
_ADDITIVE_RE = re.compile(r"\b(?:also|other|another|more|additional|further)\b", re.I)
# "In a separate incident", not the verb ("police intervened to separate the groups").
_SEPARATE_RE = re.compile(
    r"\b(?:separately|(?:a|another) separate|elsewhere|in another|another (?:attack|incident)"
    r"|meanwhile)\b",
    re.I,
)
# Where the wounded were taken is not where the event happened.
_EVACUATION_RE = re.compile(
    r"\b(?:hospitals?|clinics?|health (?:centre|center)|(?:taken|rushed|evacuated|airlifted) to)\b",
    re.I,
)
_VIOLENCE_TYPES = frozenset({"Battles", "Explosions/Remote violence", "Violence against civilians"})
# A state that goes on ("have been holding", "remains") is background, not an event.
_STATIVE_LEMMAS = frozenset({"remain", "continue", "hold", "control", "occupy", "besiege"})
_BACKGROUND_DAYS = 30  # an old month-dated fact in a background clause is not this report's event

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
_ACTOR_LABELS = frozenset({"ORG", "NORP", "PERSON"})
_CLAUSE_DEPS = frozenset(
    {"ROOT", "advcl", "ccomp", "xcomp", "conj", "relcl", "acl", "pcomp", "parataxis"}
)
# Prepositional phrases that place or time an actor are not part of its name.
_LOCATIVE_PREPS = frozenset(
    {
        "in",
        "near",
        "at",
        "outside",
        "around",
        "during",
        "after",
        "before",
        "across",
        "into",
        "inside",
        "along",
        "within",
    }
)
_ARMED = frozenset({1, 2, 3, 4, 8})
_NONSTATE_ARMED = frozenset({2, 3, 4})
# Sub-event types whose target is civilians by ACLED's definition (Violence against civilians).
# Inter 1/8 actors that never intervene in a demonstration as a force.
_NOT_FORCES = frozenset({"Government of {country}", "Private Security Forces ({country})"})
# "A device planted by X", "mortars fired by X": the verbs that tie a weapon to who used it.
_LAUNCH_LEMMAS = frozenset(
    {"fire", "plant", "launch", "carry", "conduct", "throw", "hurl", "detonate", "lay", "mount"}
)
_CASUALTY_LEMMAS = frozenset(
    {"kill", "wound", "injure", "hurt", "shoot", "abduct", "kidnap", "die"}
)
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
# A speech act of demonstrators is their demonstration, not a plan: "protesters demanded".
_SPEECH_LEMMAS = frozenset({"call", "urge", "demand"})
# Where a deployment or a reinforcement faces its adversary: "reinforced positions around X".
_TARGET_PREPS = frozenset({"against", "around", "facing", "targeting", "toward", "towards"})
# Verbs whose subject defended against the trigger's agent: "X repelled an attack by Y".
_DEFENCE_LEMMAS = frozenset(
    {"repel", "repulse", "foil", "thwart", "resist", "fend", "fight", "counter", "beat", "survive"}
)
_AFFILIATION_LEMMAS = frozenset(
    {"link", "affiliate", "belong", "associate", "suspect", "believe", "allege", "say", "connect"}
)
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
_CIVILIAN_TARGETS = frozenset({"Attack", "Abduction/forced disappearance", "Sexual violence"})
# Explosive devices: a target ACLED always names (a force, else civilians).
_DEVICES = frozenset({"Grenade", "Remote explosive/landmine/IED", "Suicide bomb"})
_SOURCE_VERBS = frozenset(
    {"say", "report", "tell", "reveal", "announce", "state", "add", "confirm", "claim", "accord"}
)


@dataclass
class _Context:
    """What the article has established so far, sentence by sentence."""

    country: str | None
    country_names: tuple[str, ...]
    armed_groups: list[Actor] = field(default_factory=list)  # most recent first
    places: list[str] = field(default_factory=list)
    # The last sentence that named a place: a later sentence without one happened there.
    last_place: PlacePhrases | None = None
    attribution: tuple[str, ...] = ()
    paragraph_attribution: tuple[str, ...] = ()  # the sources the current paragraph relays
    previous: Mention | None = None  # the article's last event, which a sentence may continue

    def name_armed_group(self, actor: Actor) -> None:
        """Make ``actor`` the most recent armed group, for later "the group" references."""
        self.armed_groups = [actor, *(a for a in self.armed_groups if a.name != actor.name)]


@dataclass(frozen=True)
class _Found:
    """A mention with how it relates to the article's previous event (docs/decisions/0004)."""

    mention: Mention
    continued: bool = False  # no date of its own: it goes on telling the previous event
    casualties_only: bool = False  # only a casualty word: details of the previous event
    own_place: bool = False  # the sentence names its own place
    back_reference: bool = False  # "the fighting", "the attack": the event named before
    new_area: bool = False  # the sentence names an area the article had not named before
    # Violence told as what a demonstration of the same sentence is about ("protested
    # against the rape of ...", "a protest over the killing of ..."): its cause, no event.
    cause: bool = False
    # "The protesters then blocked the road at X", "they lit bonfires", "the demonstration":
    # the crowd or demonstration told before, wherever the sentence says it went.
    crowd_reference: bool = False


@dataclass(frozen=True)
class _Hit:
    trigger: Trigger
    start: int  # character offset in the sentence
    end: int
    token: Any  # the spaCy token at the trigger


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
            force = self._force_in(text, country=context.country, skip=mention.actor1)
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
        force = self._force_in(text, country=country)
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
        for hit in hits:
            modality = _modality(text, hit, future=when.future)
            if modality is None:
                continue
            if _background(hit, when, document.published):
                continue  # a standing state or an old fact told as background
            actor1, actor2 = self._actors_for(sent, hit, context)
            # "Russian forces struck Kharkiv": a place the sentence names is no actor; the
            # victims the sentence names are ("killing two civilians").
            if _is_place(actor1, places):
                actor1 = None
            if _is_place(actor2, places):
                actor2 = self._victims(sent, actor1, context)
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
                victims = self._victims(sent, actor1, context)
                if victims is not None and victims.inter in _ARMED:
                    actor2 = victims
            if hit.trigger.kind == "attack" and (actor2 is None or actor2.inter == 7):
                actor2 = self._force_target(text, actor1, context) or actor2
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
            sub = self._sub_event_type(hit, text, actor1, actor2)
            if sub == "Peaceful protest" and self._demonstrators_violence(sent, context):
                # "Voters burned ballot papers in protest": demonstrators who destroy or hurt
                # riot (ACLED's violent demonstration), whatever word names the protest.
                sub = "Violent demonstration"
            if sub is None or sub in by_type:
                continue
            actor1, actor2 = _order_actors(sub, actor1, actor2)
            actor1, actor2 = self._named_elsewhere(sub, actor1, actor2, sent, context)
            actor1, actor2 = self._conventional_actors(
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
            elif previous is not None:
                # No date of its own: the sentence goes on telling the article's last event
                # and takes its date and time precision (docs/decisions/0004).
                continued = True
                event_date, precision = previous.event_date, previous.time_precision
                date_text, resolved_from = previous.date_text, previous.date_resolved_from
                year_from_reference = previous.year_from_reference
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
                new_area=any(h not in context.places and h not in countries for h in places.hints),
                cause=event_type_of(sub) in _VIOLENCE_TYPES and _protest_cause(hit, hits),
                crowd_reference=_CROWD_REFERENCE_RE.match(text) is not None
                or _definite_demonstration(hit),
            )
        return _one_event_per_sentence(list(by_type.values()))

    # -- actors -----------------------------------------------------------------------------------

    def _actors_for(
        self, sent: Any, hit: _Hit, context: _Context
    ) -> tuple[Actor | None, Actor | None]:
        token = hit.token
        verb = token if token.pos_ in {"VERB", "AUX"} else None
        if (
            verb is None
            and token.head.pos_ in {"VERB", "AUX"}
            and token.dep_ in {"dobj", "nsubj", "nsubjpass", "attr", "pobj", "conj", "appos"}
        ):
            verb = token.head if token.dep_ != "pobj" else token.head.head
            if verb.pos_ not in {"VERB", "AUX"}:
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
        if actor1 is None and actor2 is None:
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
        before = [a for s, a in spans if s < hit.start]
        after = [a for s, a in spans if s >= hit.end]
        return (before[-1] if before else None), (after[0] if after else None)

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
        elif family == "Riots":
            if actor1 is None or actor1.inter in {6, 7}:
                actor1 = generic("Rioters ({country})", actor1.text if actor1 else trigger)
            if sub == "Mob violence" and (kind == "clash" or _MUTUAL_RE.search(sentence)):
                # Two groups fighting each other: ACLED codes both sides as rioters.
                if actor2 is None or actor2.inter in {5, 7}:
                    actor2 = generic("Rioters ({country})", actor2.text if actor2 else "")
            elif sub == "Mob violence" and (actor2 is None or not actor2.known):
                # ACLED: the people a mob beats or lynches are civilians.
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

    def _sub_event_type(
        self, hit: _Hit, text: str, actor1: Actor | None, actor2: Actor | None
    ) -> str | None:
        kind = hit.trigger.kind
        inter1 = actor1.inter if actor1 else None
        inter2 = actor2.inter if actor2 else None
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
            if inter1 in {1, 8} or (
                actor1 is not None and actor1.name.startswith("Military Forces")
            ):
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


# -- helpers ---------------------------------------------------------------------------------------


def _find_triggers(sent: Any) -> list[_Hit]:
    """Trigger hits of a sentence, strong before weak, without overlaps."""
    text: str = sent.text
    hits: list[_Hit] = []
    taken: list[tuple[int, int]] = []
    for trigger in TRIGGERS:
        for m in trigger.pattern.finditer(text):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            token = _span_head(sent, m.start(), m.end())
            if token is None:
                continue
            hits.append(_Hit(trigger, m.start(), m.end(), token))
            taken.append((m.start(), m.end()))
    kinds = {h.trigger.kind for h in hits}
    strong = [h for h in hits if not h.trigger.weak]
    if strong:
        hits = strong
    # A protest sentence's arrests, tear gas and stones belong to the protest or riot.
    if "riot" in kinds:
        hits = [h for h in hits if h.trigger.kind not in {"protest", "arrest"}]
    elif "protest" in kinds:
        hits = [h for h in hits if h.trigger.kind != "arrest"]
    # What was intercepted or defused did not strike.
    if "Disrupted weapons use" in kinds:
        hits = [
            h
            for h in hits
            if h.trigger.kind
            not in {
                "Air/drone strike",
                "Shelling/artillery/missile attack",
                "Remote explosive/landmine/IED",
                "Grenade",
            }
            or not _governed_by(h.token, {"Disrupted weapons use"}, hits)
        ]
    # An air strike or shelling that kills is one event, not also an "attack".
    explosive = {
        "Air/drone strike",
        "Shelling/artillery/missile attack",
        "Suicide bomb",
        "Remote explosive/landmine/IED",
        "Grenade",
        "Chemical weapon",
    }
    if kinds & explosive:
        hits = [
            h for h in hits if h.trigger.kind not in {"attack", "clash"} or h.trigger.strength > 0.7
        ]
    hits.sort(key=lambda h: -h.trigger.strength)
    return hits


def _demonstration_words(text: str) -> bool:
    """True when a sentence tells a demonstration or a riot (a protest or riot trigger)."""
    return any(t.kind in {"protest", "riot"} and t.pattern.search(text) for t in TRIGGERS)


def _governed_by(token: Any, kinds: set[str], hits: Sequence[_Hit]) -> bool:
    anchors = {h.token.i for h in hits if h.trigger.kind in kinds}
    node = token
    for _ in range(4):
        if node.i in anchors:
            return True
        if node.head.i == node.i:
            break
        node = node.head
    return False


def _span_head(sent: Any, start: int, end: int) -> Any:
    """The syntactic head of a trigger's words: "device" of "improvised explosive device"."""
    first = _token_at(sent, start)
    if first is None:
        return None
    base = sent.start_char
    inside = [t for t in sent if start <= t.idx - base < end] or [first]
    ids = {t.i for t in inside}
    heads = [t for t in inside if t.head.i not in ids or t.head.i == t.i]
    head = heads[0] if len(heads) == 1 else first
    # "Mortar rounds fired by X", "IED attack": the phrase's head noun carries the event.
    if head.dep_ == "compound" and head.head.pos_ in {"NOUN", "PROPN"}:
        return head.head
    return head


def _token_at(sent: Any, char: int) -> Any:
    for token in sent:
        rel = token.idx - sent.start_char
        if rel <= char < rel + len(token.text) or rel >= char:
            return token
    return None


def _np(token: Any, *, no_conj: bool = False) -> str:
    """The text of a token's noun phrase (its subtree, without relative clauses)."""
    skip_deps = {"relcl", "acl", "punct", "cc"} | ({"conj"} if no_conj else set())
    words = [token]
    stack = [
        c
        for c in token.children
        if c.dep_ not in skip_deps and not (c.dep_ == "prep" and c.lower_ in _LOCATIVE_PREPS)
    ]
    while stack:
        child = stack.pop()
        words.append(child)
        stack.extend(c for c in child.children if c.dep_ not in {"relcl", "acl"})
    words.sort(key=lambda t: t.i)
    start, end = words[0].idx, words[-1].idx + len(words[-1].text)
    doc_text: str = token.doc.text
    return doc_text[start:end]


def _clause_span(verb: Any, token: Any) -> tuple[int, int]:
    """Sentence-relative character span of a clause without its subordinate clauses."""
    base = token.sent.start_char
    words = {t.i for t in verb.subtree}
    for child in verb.children:
        if child.dep_ in {"advcl", "relcl", "ccomp", "acl", "parataxis"}:
            sub = {t.i for t in child.subtree}
            if token.i not in sub:
                words -= sub
    kept = sorted(words)
    first, last = token.doc[kept[0]], token.doc[kept[-1]]
    return first.idx - base, last.idx + len(last.text) - base


def _looks_like_actor(token: Any) -> bool:
    """An unknown phrase is an actor only if its head is a named group (ORG/NORP/PERSON)."""
    if token.ent_type_ in _ACTOR_LABELS:
        return True
    return any(
        c.ent_type_ in {"ORG", "NORP"} and c.dep_ in {"compound", "amod"} for c in token.children
    )


def _shared_head(token: Any) -> list[str]:
    """Two names that share one head noun: "the Ogiek and Kipsigis communities" →
    ["Ogiek communities", "Kipsigis communities"]; [] when the phrase is no such pair."""
    if token.pos_ != "NOUN":
        return []
    for child in token.lefts:
        if child.dep_ not in {"nmod", "compound", "amod"} or child.pos_ != "PROPN":
            continue
        conj = [c for c in child.children if c.dep_ == "conj" and c.pos_ == "PROPN"]
        if conj:
            names = [
                " ".join([*(t.text for t in n.lefts if t.dep_ == "compound"), n.text])
                for n in (child, conj[0])
            ]
            return [f"{name} {token.text}" for name in names]
    return []


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


def _source_spans(sent: Any, *, claims: bool = True) -> list[tuple[int, int]]:
    """Character spans (sentence-relative) of cited sources: "according to X", "X said".

    Args:
        claims: count "X claimed" as a source; False where a claim names the perpetrator
            ("Al Shabaab claimed responsibility").
    """
    spans = []
    base = sent.start_char
    verbs = _SOURCE_VERBS if claims else _SOURCE_VERBS - {"claim"}
    for token in sent:
        if token.lemma_ == "accord" or (
            token.lemma_ in verbs and token.dep_ in {"ROOT", "parataxis", "ccomp"}
        ):
            for child in token.children:
                if child.dep_ in {"nsubj", "prep"}:
                    sub = list(child.subtree)
                    spans.append((sub[0].idx - base, sub[-1].idx + len(sub[-1].text) - base))
    return spans


def _without_sources(sent: Any, *, claims: bool = True) -> str:
    """A sentence's text with its cited sources blanked out ("police said" is no actor)."""
    text: str = sent.text
    for start, end in _source_spans(sent, claims=claims):
        text = text[:start] + " " * (end - start) + text[end:]
    return text


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
    for node in ancestors[1:5]:
        if node.lemma_ in _ESTIMATE_LEMMAS:
            return Modality.ESTIMATE
    return Modality.OCCURRED


def _governs(pattern: re.Pattern[str], text: str, hit: _Hit) -> bool:
    """True when a cue matches a word above the trigger in the parse ("denied that ... killed"),
    not a word of another clause ("..., which said detainees had been denied access")."""
    above = {t.idx - t.sent.start_char for t in [hit.token, *hit.token.ancestors]}
    return any(m.start() in above for m in pattern.finditer(text))


_HERDERS_RE = re.compile(r"\b(?:herders|herdsmen|pastoralists)\b", re.IGNORECASE)


def _herders(actor: Actor | None) -> bool:
    """True for an ethnic militia named by its herders ("Turkana herders")."""
    return actor is not None and actor.inter == 4 and bool(_HERDERS_RE.search(actor.text))


_OFF_DUTY_RE = re.compile(r"\boff[- ]duty\b", re.IGNORECASE)


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


def _victim_phrases(token: Any) -> list[Any]:
    """The phrases a casualty word names as its victims (see ``EventsStage._victims``)."""
    out = [c for c in token.children if c.dep_ == "nsubjpass"]
    if token.lemma_ == "die":
        out += [c for c in token.children if c.dep_ == "nsubj"]
    if token.dep_ in {"attr", "acomp", "oprd"}:
        # "Two policemen were ... shot dead": the small model hangs "shot" on "were".
        out += [c for c in token.head.children if c.dep_ in {"nsubj", "nsubjpass"}]
    if token.dep_ == "acl" and token.tag_ == "VBN":
        out.append(token.head)  # "a police officer killed in a shoot-out"
    if token.dep_ == "conj" and token.tag_ == "VBN":
        # "Two gunmen and a police officer killed": the participle's own subject.
        out += [c for c in token.head.children if c.dep_ in {"nsubj", "nsubjpass"}]
    return out


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


def _passive(token: Any) -> bool:
    """True when a verb is passive: "was burnt", "stalls destroyed by", "attacked and injured"."""
    if any(c.dep_ in {"auxpass", "agent"} for c in token.children):
        return True
    if token.tag_ == "VBN" and not any(c.dep_ == "aux" for c in token.children):
        if token.dep_ in {"acl", "amod", "oprd", "ccomp", "xcomp", "advcl"}:
            return True
        if token.dep_ == "conj":
            return _passive(token.head)
    return False


def _told_as_cause(token: Any) -> bool:
    """True when a verb sits in a phrase that says why or after what ("after X was killed",
    "protest against a campaign to destroy homes")."""
    return any(
        a.dep_ in {"mark", "prep"} and a.lower_ in _CAUSE_MARKS for a in (token, *token.ancestors)
    ) or any(c.dep_ == "mark" and c.lower_ in _CAUSE_MARKS for c in token.children)


def _lone_person(token: Any) -> bool:
    """True for a singular person as a subject: "a man", "the pastor" (not "a group")."""
    return token.tag_ in {"NN", "NNP"} and _GROUP_RE.search(token.text) is None


_PROTESTERS_RE = re.compile(r"\b(?:protesters|protestors|demonstrators|demonstrations?)\b", re.I)
_CAUSE_MARKS = frozenset({"after", "because", "since", "following", "over", "against", "as"})
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


def _agents(token: Any) -> list[Any]:
    """Who does what a trigger verb tells: its active subject or its passive "by" agent."""
    verbs = [token]
    if token.dep_ in {"conj", "xcomp"}:
        verbs.append(token.head)  # "attacked and injured", "tried to raid": its subject
    out: list[Any] = []
    for verb in verbs:
        if verb.pos_ not in {"VERB", "AUX"}:
            continue
        passive = _passive(verb)
        for child in verb.children:
            if child.dep_ == "nsubj" and not passive:
                out.append(child)
            elif child.dep_ == "agent":
                out += [c for c in child.children if c.dep_ == "pobj"]
    return out


_RAIDERS_RE = re.compile(
    r"\b(?:herders|herdsmen|pastoralists|raiders|rustlers|bandits|militia\w*|gunmen|armed)\b",
    re.I,
)
_LEAD_NUMBER_RE = re.compile(r"^(?:the|some|several|many|hundreds of|dozens of)\s+", re.I)
_SINGULAR_RE = re.compile(r"^(?:a|an|one|his|her)\s+(?!group\b|crowd\b|mob\b)", re.I)


def _has_force(actor1: Actor | None, actor2: Actor | None) -> bool:
    return any(a is not None and a.inter in {1, 8} for a in (actor1, actor2)) or actor1 is None


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


def _force(actor: Actor | None) -> bool:
    """True for a state force (police, military, a force abroad)."""
    return actor is not None and actor.inter in {1, 8}


def _demonstrators(actor: Actor | None, mention: Mention) -> Actor | None:
    if actor is None:
        return mention.actor1
    kind = "Rioters" if mention.event_type == "Riots" else "Protesters"
    if actor.inter in {5, 6}:
        return replace(actor, name=_rename(actor.name, kind), inter=5 if kind == "Rioters" else 6)
    return actor


def _same_event(a: Mention, b: Mention) -> bool:
    """The same event told twice in one article: same type, date, place, compatible actors."""
    if (a.sub_event_type, a.event_date, a.modality) != (b.sub_event_type, b.event_date, b.modality):
        return False
    if (a.location_text or "").lower() != (b.location_text or "").lower():
        return False
    return _compatible(a.actor1, b.actor1) and _compatible(a.actor2, b.actor2)


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


def _clause_verb(token: Any) -> Any:
    """The verb of the clause a token belongs to (the token itself when it is one)."""
    node = token
    for _ in range(6):
        if node.pos_ in {"VERB", "AUX"}:
            return node
        if node.head.i == node.i:
            break
        node = node.head
    return None


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
        if verb.lemma_ in _STATIVE_LEMMAS and verb.tag_ in {"VBZ", "VBP"}:
            return True  # "remains", "control": the present state, not a happening
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
        return replace(previous, **_merged_fatalities(previous, mention))
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
        return _told_further(previous, mention)
    if not told_on:
        return None
    return replace(
        previous,
        actor1=_stated(previous.actor1) or mention.actor1 or previous.actor1,
        actor2=_stated(previous.actor2) or mention.actor2 or previous.actor2,
        **_merged_fatalities(previous, mention),
    )


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


def _told_further(previous: Mention, mention: Mention) -> Mention:
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
    for other in mentions:
        if _same_event(mention, other):
            return other
    # "The protesters then blocked the road at X": the crowd told before, one event.
    own_place = found.own_place and not found.crowd_reference
    folded_into = _escalate(mention, mentions, own_place=own_place)
    if folded_into is not None:
        return folded_into
    mentions.append(mention)
    return mention
