"""One event per place and day for one report (docs/decisions/0004, fourth session)."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from sitrep.records import Mention
from sitrep.stages.events import EventsStage
from sitrep.stages.nlp import NlpStage
from tests.test_events import make_document, occurred, run

pytestmark = pytest.mark.slow


def told(nlp: NlpStage, events: EventsStage, paragraphs: Sequence[str]) -> list[Mention]:
    return occurred(run(nlp, events, make_document(paragraphs)))


def only(nlp: NlpStage, events: EventsStage, paragraphs: Sequence[str]) -> Mention:
    mentions = told(nlp, events, paragraphs)
    assert len(mentions) == 1, [(m.sub_event_type, m.sentence) for m in mentions]
    return mentions[0]


# -- one sentence ---------------------------------------------------------------------------------


def test_the_crime_a_protest_is_about_is_no_event(nlp: NlpStage, events: EventsStage) -> None:
    mention = only(
        nlp,
        events,
        [
            "On Monday, parents in Nyeri, Kenya, marched to the police station to protest the rape "
            "of a pupil."
        ],
    )
    assert mention.sub_event_type == "Peaceful protest"


def test_demonstrators_who_attack_riot(nlp: NlpStage, events: EventsStage) -> None:
    mention = only(
        nlp,
        events,
        ["On Tuesday, angry demonstrators in Embu, Kenya, ambushed a county official."],
    )
    assert mention.sub_event_type == "Violent demonstration"


def test_a_riot_with_police_is_no_mob_beside_it(nlp: NlpStage, events: EventsStage) -> None:
    mention = only(
        nlp,
        events,
        ["On Friday, riots erupted in Nyeri, Kenya, as traders clashed with police over new fees."],
    )
    assert mention.sub_event_type == "Violent demonstration"
    assert mention.actor2 is not None and mention.actor2.name == "Police Forces of Kenya"


# -- several sentences ----------------------------------------------------------------------------


def test_the_crowd_told_before_is_the_same_demonstration(
    nlp: NlpStage, events: EventsStage
) -> None:
    mention = only(
        nlp,
        events,
        [
            "On Wednesday, students of a college in Meru, Kenya, held a demonstration over fees. "
            "The students then lit bonfires on the highway at Kianjai."
        ],
    )
    assert mention.sub_event_type == "Violent demonstration"


def test_a_force_that_kills_at_a_protest_is_excessive_force(
    nlp: NlpStage, events: EventsStage
) -> None:
    mention = only(
        nlp,
        events,
        [
            "On Monday, boda boda riders protested in Kisii, Kenya, over harassment. "
            "Police shot and killed one of the riders."
        ],
    )
    assert mention.sub_event_type == "Excessive force against protesters"
    assert mention.actor2 is not None and mention.actor2.name.startswith("Police Forces")


def test_live_fire_on_a_protest_against_the_police(nlp: NlpStage, events: EventsStage) -> None:
    mention = only(
        nlp,
        events,
        [
            "On Monday, residents of Bungoma, Kenya, protested against police brutality. "
            "Police responded with live fire."
        ],
    )
    assert mention.sub_event_type == "Excessive force against protesters"


def test_police_who_separate_the_sides_tell_the_same_clash(
    nlp: NlpStage, events: EventsStage
) -> None:
    mention = only(
        nlp,
        events,
        [
            "On Sunday, two clans clashed in Marsabit, Kenya. Four people were injured and "
            "police intervened to separate the groups."
        ],
    )
    assert mention.sub_event_type == "Armed clash"


def test_a_demonym_is_no_new_area(nlp: NlpStage, events: EventsStage) -> None:
    mention = only(
        nlp,
        events,
        [
            "On Sunday, Borana and Garre herders clashed in Moyale, Kenya. Armed Borana men "
            "descended on their Somali neighbours, killing two."
        ],
    )
    assert mention.sub_event_type == "Armed clash"


# -- what stays apart -----------------------------------------------------------------------------


def test_demonstrations_in_two_towns_stay_two(nlp: NlpStage, events: EventsStage) -> None:
    mentions = told(
        nlp,
        events,
        [
            "On Monday, traders protested in Nyeri, Kenya, over new market fees. "
            "On Monday, students demonstrated in Embu over the closure of their school."
        ],
    )
    assert len(mentions) == 2


def test_demonstrations_on_two_days_stay_two(nlp: NlpStage, events: EventsStage) -> None:
    mentions = told(
        nlp,
        events,
        [
            "On Monday, residents protested in Nyeri, Kenya, over water shortages. "
            "On Wednesday, the residents lit bonfires in Nyeri to protest again."
        ],
    )
    assert len(mentions) == 2


def test_a_crowds_violence_at_a_riot_is_the_riot(nlp: NlpStage, events: EventsStage) -> None:
    mention = only(
        nlp,
        events,
        [
            "On Thursday, residents of Kitale, Kenya, barricaded the main road to protest "
            "insecurity. A mob of residents then beat up a motorist who tried to pass."
        ],
    )
    assert mention.sub_event_type == "Violent demonstration"


# -- one event told again after another ------------------------------------------------------------


@pytest.mark.parametrize(
    ("paragraph", "place"),
    [
        (  # another sub-event type of the same event type, same place and day
            "Militants shelled a military camp near Mandera, Kenya, on Monday."
            " On Monday, students marched in Nairobi against fees."
            " In Mandera, a roadside bomb hit an army truck on Monday.",
            "Mandera",
        ),
        (  # the first telling has no place: "the killing ... in X" fills it
            "Gunmen shot dead a chief at a livestock market on Monday."
            " On Monday, students marched in Nairobi against fees."
            " The killing in Garissa, Kenya, was carried out by two gunmen on Monday.",
            "Garissa",
        ),
    ],
)
def test_an_event_told_again_after_another_is_one_event(
    nlp: NlpStage, events: EventsStage, paragraph: str, place: str
) -> None:
    mentions = occurred(run(nlp, events, make_document([paragraph])))
    violent = [m for m in mentions if m.event_type != "Protests"]
    assert [m.location_text for m in violent] == [place]


def test_an_event_with_no_place_found_is_not_another_place_event(
    nlp: NlpStage, events: EventsStage
) -> None:
    # Not a definite event noun: the placeless shooting may be another event (ACLED: one
    # event per place and day, and the parser may have missed the first one's place).
    paragraph = (
        "Gunmen shot dead a chief at a livestock market on Monday."
        " On Monday, students marched in Nairobi against fees."
        " Gunmen shot dead a trader in Garissa, Kenya, on Monday."
    )
    mentions = occurred(run(nlp, events, make_document([paragraph])))
    violent = [m for m in mentions if m.event_type != "Protests"]
    assert [m.location_text for m in violent] == [None, "Garissa"]


def test_a_dispersal_told_after_a_protest_is_its_intervention(
    nlp: NlpStage, events: EventsStage
) -> None:
    mentions = occurred(
        run(
            nlp,
            events,
            make_document(
                [
                    "Traders demonstrated in Nakuru, Kenya, on Monday against new fees. Police "
                    "used tear gas to disperse the protesters."
                ]
            ),
        )
    )
    assert [m.sub_event_type for m in mentions] == ["Protest with intervention"]
