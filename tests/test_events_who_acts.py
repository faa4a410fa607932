"""Event types by who acts and who is hurt (docs/decisions/0004, fourth session)."""

from __future__ import annotations

import pytest

from sitrep.stages.events import EventsStage
from sitrep.stages.nlp import NlpStage
from tests.test_events import only

pytestmark = pytest.mark.slow


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


# -- demonstrators who destroy or hurt riot -----------------------------------------------------


def test_demonstrators_burning_ballot_papers_riot(nlp: NlpStage, events: EventsStage) -> None:
    mention = only(
        nlp,
        events,
        ["Angry voters burned ballot papers in Bungoma, Kenya, on Tuesday to protest the delays."],
    )
    assert mention.sub_event_type == "Violent demonstration"
    assert mention.actor1 is not None and mention.actor1.name == "Rioters (Kenya)"


def test_what_a_protest_is_about_is_no_violence_of_its_own(
    nlp: NlpStage, events: EventsStage
) -> None:
    mention = only(
        nlp,
        events,
        [
            "Traders protested in Eldoret, Kenya, on Friday after their kiosks were destroyed "
            "in a night fire."
        ],
    )
    assert mention.sub_event_type == "Peaceful protest"


def test_violence_against_demonstrators_is_not_theirs(nlp: NlpStage, events: EventsStage) -> None:
    mention = only(
        nlp,
        events,
        [
            "During a demonstration in Kisumu, Kenya, on Monday a group of men attacked and "
            "injured three protesters."
        ],
    )
    assert mention.event_type == "Protests"


# -- a force told as hurt is the target, not the attacker --------------------------------------


def test_police_killed_in_an_ambush_are_its_target(nlp: NlpStage, events: EventsStage) -> None:
    mention = only(
        nlp,
        events,
        [
            "Three Kenyan police officers were killed during an ambush near Garissa, Kenya, "
            "on Friday."
        ],
    )
    assert mention.sub_event_type == "Armed clash"
    assert mention.actor2 is not None and mention.actor2.name == "Police Forces of Kenya"
    assert mention.actor1 is not None and mention.actor1.name == "Unidentified Armed Group (Kenya)"


def test_a_headline_force_shot_dead_is_the_victim(nlp: NlpStage, events: EventsStage) -> None:
    mention = only(
        nlp, events, ["Kenyan police constable shot dead while on patrol in Isiolo, Kenya."]
    )
    assert mention.event_type == "Battles"
    assert mention.actor2 is not None and mention.actor2.name == "Police Forces of Kenya"


def test_police_who_shoot_a_civilian_still_attack(nlp: NlpStage, events: EventsStage) -> None:
    mention = only(
        nlp, events, ["A police officer shot and killed a hawker in Eldoret, Kenya, on Monday."]
    )
    assert mention.sub_event_type == "Attack"


@pytest.mark.parametrize(
    ("sentence", "sub_event_type", "actor2"),
    [
        # An officer attacked at home is off duty: civilians (ACLED).
        (
            "A police officer was shot dead at his home in Kitale, Kenya, on Monday.",
            "Attack",
            "Civilians (Kenya)",
        ),
        # Officials attacked are civilians, not an armed side.
        (
            "Gunmen shot dead two county government officials in Wajir, Kenya, on Monday.",
            "Attack",
            "Civilians (Kenya)",
        ),
        # What a protest is against is no side of it.
        (
            "Traders protested against the county government in Kisumu, Kenya, on Monday.",
            "Peaceful protest",
            None,
        ),
    ],
)
def test_officers_at_home_officials_and_protest_targets(
    nlp: NlpStage, events: EventsStage, sentence: str, sub_event_type: str, actor2: str | None
) -> None:
    mention = only(nlp, events, [sentence])
    assert mention.sub_event_type == sub_event_type
    assert (mention.actor2.name if mention.actor2 else None) == actor2
