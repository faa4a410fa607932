"""Armed clash, Attack or Mob violence by who fights whom: ACLED's definitions
(docs/decisions/0004, "Fourth session: clash, attack or mob")."""

from __future__ import annotations

import pytest

from sitrep.stages.events import EventsStage
from sitrep.stages.nlp import NlpStage
from tests.test_events import only

pytestmark = pytest.mark.slow


@pytest.mark.parametrize(
    "text",
    [
        "On Tuesday, two factions of a party clashed at a meeting in Kisii, Kenya.",
        "On Tuesday, county politicians clashed over a budget in Nyeri, Kenya.",
    ],
)
def test_unarmed_sides_that_clash_are_a_mob(nlp: NlpStage, events: EventsStage, text: str) -> None:
    mention = only(nlp, events, [text])
    assert mention.sub_event_type == "Mob violence"


def test_clan_fighters_that_clash_stay_a_battle(nlp: NlpStage, events: EventsStage) -> None:
    mention = only(
        nlp, events, ["On Tuesday, two groups of clan fighters clashed near Wajir, Kenya."]
    )
    assert mention.sub_event_type == "Armed clash"
