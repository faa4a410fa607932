"""Actor 2 of demonstrations and of crowds' fights (docs/decisions/0004)."""

from __future__ import annotations

from datetime import date

import pytest

from sitrep.stages.events import EventsStage
from sitrep.stages.nlp import NlpStage
from tests.test_events import make_document, occurred, run

pytestmark = pytest.mark.slow

PUBLISHED = date(2024, 6, 20)


def summary(nlp: NlpStage, events: EventsStage, text: str) -> list[tuple[str, str | None]]:
    """(sub-event type, actor 2 name) of each occurred event of a one-paragraph text."""
    doc = make_document([text], published=PUBLISHED)
    return [
        (m.sub_event_type, m.actor2.name if m.actor2 else None)
        for m in occurred(run(nlp, events, doc))
    ]


CASES = [
    # A force dispersing a riot told before: actor 2 of the riot, which stays a riot.
    (
        "On Monday, traders blocked the main road in Eldoret, Kenya with burning tyres. "
        "Police officers used teargas to disperse the demonstrators.",
        [("Violent demonstration", "Police Forces of Kenya")],
    ),
    # Further violence naming the force that fought the rioters.
    (
        "On Monday, youths barricaded the highway in Kericho, Kenya with rocks. "
        "Police dispersed them, and one police officer was stabbed with a knife.",
        [("Violent demonstration", "Police Forces of Kenya")],
    ),
    # "intervened" and "teargassed" are interventions.
    (
        "On Monday, farmers held a demonstration in Nyeri, Kenya over maize prices. "
        "Police intervened.",
        [("Protest with intervention", "Police Forces of Kenya")],
    ),
    (
        "On Monday, police teargassed nurses who were protesting in Nyeri, Kenya.",
        [("Protest with intervention", "Police Forces of Kenya")],
    ),
    # Two crowds fighting one another: mob violence, rioters on both sides.
    (
        "On Monday, supporters of the two aspirants threw stones at each other in Nyeri, Kenya.",
        [("Mob violence", "Rioters (Kenya)")],
    ),
    (
        "On Monday, supporters of two rival candidates clashed at a rally in Nyeri, Kenya.",
        [("Mob violence", "Rioters (Kenya)")],
    ),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_actor2_by_acled_conventions(
    nlp: NlpStage, events: EventsStage, text: str, expected: list[tuple[str, str | None]]
) -> None:
    assert summary(nlp, events, text) == expected


def test_stones_at_police_stay_a_riot(nlp: NlpStage, events: EventsStage) -> None:
    text = "On Monday, protesters threw stones at police in Nyeri, Kenya."
    assert summary(nlp, events, text) == [("Violent demonstration", "Police Forces of Kenya")]
