"""The events stage: sentences of the article body → ACLED-typed event mentions.

Per body sentence: find event triggers (a phrase lexicon), settle the sub-event type from
the trigger and the actors, read actor 1 / actor 2 off the dependency parse (normalised
through the actor dictionary, with "the group"-style references resolved to the last armed
group the article named), the modality (planned, claimed, denied, estimate), the date, the
fatalities, the cited sources and the place phrases. Rules and the confidence heuristic:
docs/decisions/0004-event-extraction.md. Comments and headlines never yield events.

Modules, each importing only those above it:
    syntax.py       dependency-parse helpers (noun phrases, clauses, heads, voice, sources)
    lexicon.py      the trigger lexicon and a sentence's trigger hits
    modality.py     whether a trigger tells an event: modality, conditionals, background
    non_events.py   trigger words that tell no event: accidents, legal process, other senses
    subtypes.py     the sub-event type from the trigger, its sentence and its actors
    context.py      what the article has established so far
    roles.py        RoleReader: actor 1 / actor 2 read off the parse
    conventions.py  ConventionalRoles: ACLED's actor conventions over that reading
    merge.py        combining an article's mentions into events
    stage.py        EventsStage: document → mentions, sentence by sentence
"""

from __future__ import annotations

from sitrep.stages.events.lexicon import TRIGGERS, Trigger, load_lexicon
from sitrep.stages.events.stage import EventsStage

__all__ = ["TRIGGERS", "EventsStage", "Trigger", "load_lexicon"]
