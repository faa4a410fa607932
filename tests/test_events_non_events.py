"""Violence words that tell no political-violence event (docs/decisions/0004, fifth session)."""

from __future__ import annotations

import pytest

from sitrep.stages.events import EventsStage
from sitrep.stages.nlp import NlpStage
from tests.test_events import make_document, occurred, only, run

pytestmark = pytest.mark.slow


# -- accidents, disasters and illness are no one's act -------------------------------------------


@pytest.mark.parametrize(
    "paragraphs",
    [
        ["Three hikers were killed when a landslide buried a trail near Kisoro, Uganda."],
        ["A cyclist died on Friday after being hit by a delivery truck in Eldoret, Kenya."],
        ["A farmer was injured when an old barn roof collapsed near Nakuru, Kenya, on Tuesday."],
        ["A blast in a bakery in Mombasa, Kenya, injured six workers; a gas leak is blamed."],
        ["The retired judge died of cancer at his home in Kisumu, Kenya, on Wednesday."],
        [
            "Two people were killed on Saturday when their minibus crashed on a highway near"
            " Naivasha, Kenya.",
            "The driver died in hospital later.",
        ],
    ],
)
def test_accidental_harm_is_no_event(
    nlp: NlpStage, events: EventsStage, paragraphs: list[str]
) -> None:
    assert occurred(run(nlp, events, make_document(paragraphs))) == []


def test_an_accident_with_an_attacker_is_an_event(nlp: NlpStage, events: EventsStage) -> None:
    # A weapon or an attacker in the sentence keeps the event, whatever else crashed.
    mention = only(
        nlp,
        events,
        ["Gunmen killed two passengers after their bus crashed at a roadblock near Garissa."],
    )
    assert mention.event_type == "Violence against civilians"


def test_the_mob_after_an_accident_is_the_event(nlp: NlpStage, events: EventsStage) -> None:
    mention = only(
        nlp,
        events,
        [
            "Angry residents torched a lorry in Thika, Kenya, on Monday after it knocked down and"
            " killed a schoolgirl in a road accident."
        ],
    )
    assert mention.event_type == "Riots"
