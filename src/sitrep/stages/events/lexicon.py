"""The trigger lexicon (data/event_lexicon.json) and the trigger hits it finds in a sentence."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Any

from sitrep.stages.events.syntax import _span_head

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


@dataclass(frozen=True)
class _Hit:
    trigger: Trigger
    start: int  # character offset in the sentence
    end: int
    token: Any  # the spaCy token at the trigger


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
