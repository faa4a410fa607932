"""One event per place and day: follow-up sentences, arrests, riots (docs/decisions/0004)."""

from __future__ import annotations

from datetime import date

import pytest

from sitrep.stages.dates import resolve_date
from sitrep.stages.events import EventsStage
from sitrep.stages.nlp import NlpStage
from tests.test_events import make_document, occurred, run

pytestmark = pytest.mark.slow

PUBLISHED = date(2024, 6, 20)


def subtypes(nlp: NlpStage, events: EventsStage, paragraphs: list[str]) -> list[str]:
    doc = make_document(paragraphs, published=PUBLISHED)
    return [m.sub_event_type for m in occurred(run(nlp, events, doc))]


ONE_OCCASION = [
    # (sentences, the one event's sub-event type)
    (
        [
            "On Monday, a local militia fired arrows at police in Nessuit, Kenya.",
            "Police then fired at the attackers, killing one.",
        ],
        "Armed clash",
    ),
    (
        [
            "On Monday, students rioted at the university in Kisumu, Kenya.",
            "Three of the students were injured.",
        ],
        "Violent demonstration",
    ),
    (
        [
            "On Monday, Kipsigi and Maasai militias clashed at Olpusimo, Kenya.",
            "Ten dwellings were torched.",
        ],
        "Armed clash",
    ),
    (
        [
            "On Monday, bandits attacked the village of Chemusto in Pokot, Kenya.",
            "In the ensuing gunfight, two of the bandits were killed by police reservists.",
        ],
        "Armed clash",
    ),
]


@pytest.mark.parametrize(("paragraphs", "expected"), ONE_OCCASION)
def test_follow_up_violence_is_the_same_event(
    nlp: NlpStage, events: EventsStage, paragraphs: list[str], expected: str
) -> None:
    assert subtypes(nlp, events, paragraphs) == [expected]


def test_a_mob_that_forms_is_a_new_event(nlp: NlpStage, events: EventsStage) -> None:
    found = subtypes(
        nlp,
        events,
        [
            "On Monday, a police officer shot dead a minibus driver in Kenyenya, Kenya.",
            "A mob formed and lynched the officer.",
        ],
    )
    assert found == ["Attack", "Mob violence"]


def test_one_violent_event_per_sentence(nlp: NlpStage, events: EventsStage) -> None:
    found = subtypes(
        nlp,
        events,
        ["On Monday, unknown gunmen shot and wounded two police reservists in Sipili, Kenya."],
    )
    assert len(found) == 1


def test_arrests_after_violence_are_its_aftermath(nlp: NlpStage, events: EventsStage) -> None:
    found = subtypes(
        nlp,
        events,
        [
            "On Monday, armed cattle rustlers shot and killed an elderly woman in Gathanji, Kenya.",
            "Four suspects have been arrested.",
        ],
    )
    assert found == ["Attack"]


def test_arrests_told_with_violence_are_part_of_it(nlp: NlpStage, events: EventsStage) -> None:
    found = subtypes(
        nlp,
        events,
        ["On Monday, herders in Garissa, Kenya, were detained and shot dead by Kenyan soldiers."],
    )
    assert "Arrests" not in found and len(found) == 1


@pytest.mark.parametrize(
    "sentence",
    [
        "On Monday, residents barricaded the road in Voi, Kenya, to protest against insecurity.",
        "On Monday, youths lit bonfires on the highway in Gilgil, Kenya, in protest at killings.",
        "On Monday, traders demonstrating against new taxes clashed with police in Voi, Kenya.",
        "On Monday, residents of Busia, Kenya, demonstrated violently against a police raid.",
    ],
)
def test_destructive_demonstrations_are_riots(
    nlp: NlpStage, events: EventsStage, sentence: str
) -> None:
    assert subtypes(nlp, events, [sentence]) == ["Violent demonstration"]


def test_an_ambush_on_civilians_is_an_attack(nlp: NlpStage, events: EventsStage) -> None:
    found = subtypes(
        nlp, events, ["On Monday, Al Shabaab gunmen ambushed a bus near Ijara, Kenya."]
    )
    assert found == ["Attack"]


def test_on_or_before_a_date_is_the_event_date() -> None:
    when = resolve_date(
        "On or before August 20th, a crowd clashed with police at the funeral of a driver "
        "killed on August 12th.",
        reference=date(2018, 8, 20),
    )
    assert when.date == date(2018, 8, 20)


def test_a_day_range_is_not_read_as_a_year() -> None:
    when = resolve_date(
        "On September 18th and 19th, a criminal gang attacked two villages.",
        reference=date(2018, 9, 18),
        date_texts=["September 18th and 19th"],
    )
    assert when.date == date(2018, 9, 18)
