"""Event types by who acts and who is hurt (docs/decisions/0004, fourth session)."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from sitrep.records import Mention
from sitrep.stages.events import EventsStage
from sitrep.stages.nlp import NlpStage
from tests.test_events import make_document, occurred, run

pytestmark = pytest.mark.slow


def only(nlp: NlpStage, events: EventsStage, paragraphs: Sequence[str]) -> Mention:
    mentions = occurred(run(nlp, events, make_document(paragraphs)))
    assert len(mentions) == 1, [m.sub_event_type for m in mentions]
    return mentions[0]


# -- a crowd acts only when it is the one doing what the trigger tells ----------------------------


def test_a_crowd_named_as_the_passive_agent_is_a_mob(nlp: NlpStage, events: EventsStage) -> None:
    mention = only(
        nlp,
        events,
        ["A suspected thief was beaten to death by villagers in Kakamega, Kenya, on Sunday."],
    )
    assert mention.sub_event_type == "Mob violence"
    assert mention.actor1 is not None and mention.actor1.name == "Rioters (Kenya)"


def test_victims_counted_in_a_raid_are_no_mob(nlp: NlpStage, events: EventsStage) -> None:
    mention = only(
        nlp,
        events,
        [
            "Eight people were killed and five injured in a cattle raid in Turkana, Kenya, "
            "on Monday."
        ],
    )
    assert mention.sub_event_type == "Attack"


def test_a_crowd_written_just_before_a_misread_verb_acts(
    nlp: NlpStage, events: EventsStage
) -> None:
    # The small model reads "attack" here as a noun ("Gikomba attack"); the group written
    # right before it, no verb between, is still the one attacking.
    mention = only(
        nlp,
        events,
        ["Traders of Gikomba attack and kill a man they accused of theft in Nairobi, Kenya."],
    )
    assert mention.sub_event_type == "Mob violence"
