"""Violence words that tell no political-violence event (docs/decisions/0004, fifth session)."""

from __future__ import annotations

import pytest

from sitrep.records import Modality
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


# -- a court's or prosecutor's process about a crime is no event ---------------------------------


@pytest.mark.parametrize(
    "sentence",
    [
        "A 30-year-old trader was charged with assault at a court in Nyeri, Kenya, on Monday.",
        "Two brothers were convicted of murder by the High Court in Meru, Kenya, on Thursday.",
        "The former guard pleaded guilty to the murder of a customer in Nakuru, Kenya, on Friday.",
        "A teacher was found guilty of raping a pupil by a court in Embu, Kenya, on Tuesday.",
        "A court in Kisii, Kenya, sentenced a man on Wednesday to ten years for attempted murder.",
    ],
)
def test_legal_process_is_no_event(nlp: NlpStage, events: EventsStage, sentence: str) -> None:
    assert occurred(run(nlp, events, make_document([sentence]))) == []


def test_the_act_of_the_accused_is_still_told(nlp: NlpStage, events: EventsStage) -> None:
    # The subject of "was charged" is not governed by it: the killing is an event.
    mention = only(
        nlp,
        events,
        [
            "Police officers shot dead a hawker in Nairobi, Kenya, on Monday;"
            " two of them were later charged."
        ],
    )
    assert mention.event_type == "Violence against civilians"


# -- an arrest for an ordinary offence is of no political significance (ACLED) -------------------


@pytest.mark.parametrize(
    "sentence",
    [
        "Police in Kitale, Kenya, arrested a 19-year-old man on Sunday on burglary charges.",
        "Officers arrested two women for drunk driving in Thika, Kenya, on Saturday night.",
        "A shoplifting suspect was apprehended at a supermarket in Nanyuki, Kenya, on Monday.",
    ],
)
def test_ordinary_crime_arrest_is_no_event(
    nlp: NlpStage, events: EventsStage, sentence: str
) -> None:
    assert occurred(run(nlp, events, make_document([sentence]))) == []


@pytest.mark.parametrize(
    "sentence",
    [
        # A political or armed side makes it an event, whatever the charge.
        "Police in Kisumu, Kenya, arrested an opposition MP on fraud charges on Tuesday.",
        # So does a mass arrest in a sweep.
        "Police arrested 45 people on drug charges in a sweep of Eastleigh, Nairobi, on Friday.",
    ],
)
def test_political_or_mass_arrest_is_an_event(
    nlp: NlpStage, events: EventsStage, sentence: str
) -> None:
    assert only(nlp, events, [sentence]).sub_event_type == "Arrests"


# -- violence words in a non-violent sense, or inside a name -------------------------------------


@pytest.mark.parametrize(
    "sentence",
    [
        "The senator fiercely attacked the governor's budget proposal in Nairobi on Monday.",
        "Forty firefighters battled a warehouse blaze in Mombasa, Kenya, on Tuesday night.",
        "Customs officers seized cocaine worth millions at the port of Mombasa, Kenya, on Friday.",
        "The sprinter captured three medals at the athletics championships in Eldoret, Kenya.",
        "The incumbent narrowly beat her rival in Kiambu, Kenya, on Tuesday.",
        "Villagers fought the dam project in a court in Lodwar, Kenya, on Monday.",
        "The council killed off the tradition of roadside markets in Kisumu, Kenya, on Monday.",
        "Pupils in Nakuru, Kenya, demonstrated their skills to visiting parents on Friday.",
        "Mourners in Nyeri, Kenya, remembered Grace Battle and her family on Sunday.",
    ],
)
def test_non_violent_sense_is_no_event(nlp: NlpStage, events: EventsStage, sentence: str) -> None:
    assert occurred(run(nlp, events, make_document([sentence]))) == []


@pytest.mark.parametrize(
    ("sentence", "event_type"),
    [
        # What the violence is done to decides: people and places keep the event.
        ("Gunmen attacked a police post in Lamu, Kenya, on Monday.", "Battles"),
        ("Voters beat up a polling official in Kitui, Kenya, on Tuesday.", "Riots"),
        ("Residents demonstrated against the eviction in Kibera, Nairobi, on Friday.", "Protests"),
        (
            "Soldiers opened fire on a crowd in Kisumu, Kenya, on Friday.",
            "Violence against civilians",
        ),
    ],
)
def test_violent_sense_is_kept(
    nlp: NlpStage, events: EventsStage, sentence: str, event_type: str
) -> None:
    assert only(nlp, events, [sentence]).event_type == event_type


# -- a claim of responsibility says who did it, not whether it happened --------------------------


def test_no_claim_of_responsibility_leaves_the_attack_occurred(
    nlp: NlpStage, events: EventsStage
) -> None:
    mentions = run(
        nlp,
        events,
        make_document(
            [
                "There was no immediate claim of responsibility for the bombing of a market"
                " in Gao, Mali, on Sunday."
            ]
        ),
    )
    assert mentions and all(m.modality is Modality.OCCURRED for m in mentions)


def test_a_claim_for_the_attack_told_before_is_no_new_event(
    nlp: NlpStage, events: EventsStage
) -> None:
    paragraph = (
        "A roadside bomb killed four soldiers near Mandera, Kenya, on Monday."
        " On Tuesday Al Shabaab claimed responsibility for the attack."
    )
    mentions = run(nlp, events, make_document([paragraph]))
    assert len(mentions) == 1, [(m.sub_event_type, m.modality) for m in mentions]
    mention = mentions[0]
    assert mention.sub_event_type == "Remote explosive/landmine/IED"
    assert mention.actor1 is not None and mention.actor1.name == "Al Shabaab"


# -- a reaction to an event told before is that event ---------------------------------------------


@pytest.mark.parametrize(
    "reaction",
    [
        "In Nairobi, the president condemned Monday's attack.",
        "A shopkeeper in Nairobi witnessed the shooting.",
    ],
)
def test_a_reaction_to_the_event_told_before_is_no_new_event(
    nlp: NlpStage, events: EventsStage, reaction: str
) -> None:
    paragraph = "Gunmen shot dead a district officer in Garissa, Kenya, on Monday. " + reaction
    mentions = occurred(run(nlp, events, make_document([paragraph])))
    assert [m.location_text for m in mentions] == ["Garissa"]
