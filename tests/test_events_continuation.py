"""Background states, continuing sentences and actor choice (docs/decisions/0004)."""

from __future__ import annotations

from datetime import date

import pytest

from sitrep.records import Modality
from sitrep.stages.events import EventsStage
from sitrep.stages.nlp import NlpStage
from tests.test_events import make_document, occurred, only, run

pytestmark = pytest.mark.slow


BACKGROUND = [
    "Idlib province has been a rebel bastion since government forces recaptured Aleppo in 2016.",
    "Tigray has been cut off since federal troops seized Mekelle in November 2020.",
    "Kenyan troops have been holding the border town since al-Shabaab fighters attacked it.",
    "Government forces have been besieging the city for weeks.",
    "The rebels still control the northern districts of the province.",
]


@pytest.mark.parametrize("sentence", BACKGROUND)
def test_background_states_are_not_events(
    nlp: NlpStage, events: EventsStage, sentence: str
) -> None:
    doc = make_document([sentence], published=date(2024, 6, 20))
    assert occurred(run(nlp, events, doc)) == []


def test_an_event_with_a_since_clause_elsewhere_is_kept(nlp: NlpStage, events: EventsStage) -> None:
    doc = make_document(
        ["Russian forces shelled Kherson on Monday, the heaviest attack since the city was freed."],
        published=date(2024, 6, 20),
    )
    mentions = occurred(run(nlp, events, doc))
    assert [m.sub_event_type for m in mentions][:1] == ["Shelling/artillery/missile attack"]


CASUALTY_FOLLOW_UPS = [
    # (lede, follow-up, fatalities of the one event)
    (
        "Al-Shabaab militants ambushed a Kenyan army convoy near Mandera on Monday, killing three "
        "soldiers.",
        "Five other soldiers were wounded and airlifted to a hospital in Nairobi.",
        3,
    ),
    (
        "Israeli airstrikes hit a house in Rafah on Sunday, killing six people.",
        "Two children were among the dead, medics said.",
        6,
    ),
    (
        "M23 rebels clashed with the Congolese army near Sake on Wednesday, killing four soldiers.",
        "Two rebels were also killed, the army said.",
        6,
    ),
]


@pytest.mark.parametrize(("lede", "follow_up", "fatalities"), CASUALTY_FOLLOW_UPS)
def test_casualty_sentences_continue_the_previous_event(
    nlp: NlpStage, events: EventsStage, lede: str, follow_up: str, fatalities: int
) -> None:
    mentions = occurred(run(nlp, events, make_document([lede, follow_up])))
    assert len(mentions) == 1
    assert mentions[0].fatalities == fatalities
    assert mentions[0].sentence == lede


def test_a_casualty_sentence_alone_is_still_an_event(nlp: NlpStage, events: EventsStage) -> None:
    doc = make_document(["Three people were killed in Kano, Nigeria, on Monday."])
    assert len(occurred(run(nlp, events, doc))) == 1


def test_a_dated_casualty_sentence_of_another_day_is_new(
    nlp: NlpStage, events: EventsStage
) -> None:
    doc = make_document(
        [
            "Russian forces shelled Kherson on Monday, killing two people.",
            "On Wednesday, three people were killed in Nikopol, officials said.",
        ],
        published=date(2024, 6, 20),
    )
    assert len(occurred(run(nlp, events, doc))) == 2


@pytest.mark.parametrize(
    ("sentence", "actor1"),
    [
        (
            "Fighters of the Islamic State West Africa Province killed five soldiers and two "
            "members of the Civilian Joint Task Force when a roadside bomb hit their truck "
            "near Bama, Nigeria.",
            "Islamic State West Africa Province",
        ),
        (
            "Members of al-Shabaab killed four police officers when an IED struck their vehicle "
            "in Lamu, Kenya, on Monday.",
            "Al Shabaab",
        ),
        (
            "Militants of the Houthi movement fired a missile at a tanker off Hodeidah on Friday.",
            "Houthi Movement",
        ),
    ],
)
def test_members_of_a_group_are_the_group(
    nlp: NlpStage, events: EventsStage, sentence: str, actor1: str
) -> None:
    mentions = occurred(run(nlp, events, make_document([sentence])))
    assert mentions and mentions[0].actor1 is not None
    assert mentions[0].actor1.name == actor1


def test_actor1_is_not_taken_from_a_cited_source(nlp: NlpStage, events: EventsStage) -> None:
    doc = make_document(
        ["An explosion hit a bus in Mogadishu, Somalia, on Monday, according to police."]
    )
    for m in occurred(run(nlp, events, doc)):
        assert m.actor1 is None or "Police" not in m.actor1.name
        assert m.actor2 is None or "Police" not in m.actor2.name


def test_the_insurgents_are_the_rebel_group_not_the_militia(
    nlp: NlpStage, events: EventsStage
) -> None:
    doc = make_document(
        [
            "Boko Haram fighters attacked Civilian JTF members in Konduga, Nigeria, on Monday.",
            "On Tuesday the insurgents attacked a military base in Bama.",
        ]
    )
    mentions = occurred(run(nlp, events, doc))
    second = [m for m in mentions if "Tuesday" in m.sentence]
    assert second and second[0].actor1 is not None
    assert second[0].actor1.name.startswith("Boko Haram")


@pytest.mark.parametrize(
    ("sentence", "country"),
    [
        ("Junta troops torched homes in Sagaing Region, Myanmar, on Monday.", "Myanmar"),
        ("The junta bombed a school in Kayah State, Myanmar, on Sunday.", "Myanmar"),
        ("Government troops shelled rebel positions near Goma, Congo, on Friday.", "Congo"),
        ("Security forces raided a camp in Baluchistan, Pakistan, on Monday.", "Pakistan"),
    ],
)
def test_junta_and_government_troops_are_the_state_military(
    nlp: NlpStage, events: EventsStage, sentence: str, country: str
) -> None:
    mentions = occurred(run(nlp, events, make_document([sentence])))
    assert mentions and mentions[0].actor1 is not None
    assert mentions[0].actor1.name.startswith("Military Forces of")
    assert country in mentions[0].actor1.name


def test_a_continuing_sentence_inherits_the_date_and_is_the_same_clash(
    nlp: NlpStage, events: EventsStage
) -> None:
    doc = make_document(
        [
            "Houthi fighters clashed with government forces near Marib, Yemen, on Saturday.",
            "The fighting began at dawn when Houthi units advanced on the district of Sirwah.",
        ],
        published=date(2024, 6, 20),
    )
    mentions = occurred(run(nlp, events, doc))
    assert len(mentions) == 1
    assert mentions[0].event_date == date(2024, 6, 15)
    assert mentions[0].time_precision == 1


def test_an_undated_other_event_takes_the_previous_date(nlp: NlpStage, events: EventsStage) -> None:
    doc = make_document(
        [
            "Russian forces shelled Kherson on Monday, killing two people.",
            "Ukrainian drones struck an oil depot in Belgorod region.",
        ],
        published=date(2024, 6, 20),
    )
    mentions = occurred(run(nlp, events, doc))
    assert [m.event_date for m in mentions] == [date(2024, 6, 17), date(2024, 6, 17)]
    assert all(m.time_precision == 1 for m in mentions)


def test_earlier_on_a_weekday_is_that_weekday(nlp: NlpStage, events: EventsStage) -> None:
    doc = make_document(
        [
            "Russian missiles hit Odesa on Tuesday night, killing three people.",
            "Earlier on Tuesday, Russian artillery shelled the town of Nikopol.",
        ],
        published=date(2024, 6, 20),
    )
    mentions = occurred(run(nlp, events, doc))
    assert len(mentions) == 2
    assert mentions[1].event_date == date(2024, 6, 18)


def test_one_protest_over_several_sentences(nlp: NlpStage, events: EventsStage) -> None:
    doc = make_document(
        [
            "Police fired tear gas at protesters in Lagos, Nigeria, on Monday.",
            "Demonstrators blocked roads near Allen Avenue and chanted slogans before officers "
            "charged them.",
            "Police arrested at least 40 people, a rights group said.",
            "Smaller protests were held in Abuja on the same day.",
        ],
        published=date(2024, 6, 20),
    )
    mentions = occurred(run(nlp, events, doc))
    assert [m.location_text for m in mentions] == ["Lagos", "Abuja"]
    # Blocking roads is destructive activity: ACLED codes the demonstration as a riot.
    assert mentions[0].sub_event_type == "Violent demonstration"
    assert mentions[1].event_date == mentions[0].event_date == date(2024, 6, 17)


def test_denial_in_a_relative_clause_does_not_deny_the_event(
    nlp: NlpStage, events: EventsStage
) -> None:
    doc = make_document(
        [
            "Police arrested 12 activists in Harare, Zimbabwe, on Monday, according to a lawyers' "
            "group, which said the detainees had been denied access to counsel."
        ]
    )
    mentions = run(nlp, events, doc)
    assert mentions and mentions[0].modality is Modality.OCCURRED


@pytest.mark.parametrize(
    "further",
    [
        "The bandits later clashed with police reservists.",
        "Three police officers and a reservist were killed.",
    ],
)
def test_a_force_fighting_or_hit_in_a_further_sentence_makes_a_battle(
    nlp: NlpStage, events: EventsStage, further: str
) -> None:
    mention = only(
        nlp, events, [f"Bandits raided a village in Mandera, Kenya, on Monday. {further}"]
    )
    assert mention.sub_event_type == "Armed clash"
    assert mention.actor2 is not None and mention.actor2.name == "Police Forces of Kenya"


def test_a_force_that_only_speaks_of_the_attack_is_no_side(
    nlp: NlpStage, events: EventsStage
) -> None:
    mention = only(
        nlp,
        events,
        [
            "Bandits shot dead a trader in Mandera, Kenya, on Monday. Police are still "
            "investigating the killing."
        ],
    )
    assert mention.sub_event_type == "Attack"


def test_violence_by_the_crowd_told_before_makes_the_protest_violent(
    nlp: NlpStage, events: EventsStage
) -> None:
    mention = only(
        nlp,
        events,
        [
            "Students of a secondary school in Eldoret, Kenya, protested on Monday against "
            "their principal. They beat up two teachers."
        ],
    )
    assert mention.sub_event_type == "Violent demonstration"


# -- a sentence with no date of its own takes the story's date, not an aside's -------------------


def test_an_undated_sentence_after_an_older_event_told_in_passing_takes_the_story_date(
    nlp: NlpStage, events: EventsStage
) -> None:
    paragraph = (
        "Gunmen shot dead a district commissioner in Garissa, Kenya, on Friday."
        " Al Shabaab had claimed responsibility for a bus bombing in Mandera on 3 June."
        " The killing of the commissioner in Garissa was carried out by two gunmen on a motorbike."
    )
    mentions = occurred(run(nlp, events, make_document([paragraph])))
    dates = {m.sub_event_type: m.event_date for m in mentions}
    assert dates == {"Attack": date(2024, 6, 14), "Remote explosive/landmine/IED": date(2024, 6, 3)}


def test_an_undated_sentence_after_a_claimed_event_takes_the_report_date(
    nlp: NlpStage, events: EventsStage
) -> None:
    paragraph = (
        "The rebels claimed to have shot down an army helicopter near Kidal, Mali, on 3 June."
        " Gunmen shot dead a teacher in Gao."
    )
    mentions = occurred(run(nlp, events, make_document([paragraph])))
    assert [(m.location_text, m.event_date, m.time_precision) for m in mentions] == [
        ("Gao", date(2024, 6, 20), 2)
    ]
