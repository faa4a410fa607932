"""ACLED's actor conventions in the events stage (docs/decisions/0004, 2026-11-26)."""

from __future__ import annotations

import pytest

from sitrep.stages.events import EventsStage
from sitrep.stages.nlp import NlpStage
from tests.test_events import names, only

pytestmark = pytest.mark.slow


def test_unnamed_perpetrator_and_civilian_victim(nlp: NlpStage, events: EventsStage) -> None:
    mention = only(nlp, events, ["A teacher was shot dead in Garissa, Kenya, on Monday."])
    assert mention.sub_event_type == "Attack"
    assert names(mention) == ("Unidentified Armed Group (Kenya)", "Civilians (Kenya)")
    assert mention.actor1 is not None and mention.actor1.text == ""  # inferred, not named


def test_the_target_of_violence_against_civilians_is_civilians(
    nlp: NlpStage, events: EventsStage
) -> None:
    mention = only(
        nlp, events, ["Police officers shot and killed a boda boda rider in Kisumu, Kenya."]
    )
    assert names(mention) == ("Police Forces of Kenya", "Civilians (Kenya)")


def test_an_inferred_actor_does_not_split_one_attack_in_two(
    nlp: NlpStage, events: EventsStage
) -> None:
    mention = only(
        nlp,
        events,
        [
            "On 20 May two police officers shot and killed a woman in Nairobi, Kenya. "
            "The reason for the attack is not known."
        ],
    )
    assert names(mention) == ("Police Forces of Kenya", "Civilians (Kenya)")


def test_a_mob_attacks_civilians(nlp: NlpStage, events: EventsStage) -> None:
    mention = only(nlp, events, ["A mob lynched a suspected thief in Kisumu, Kenya, on Monday."])
    assert mention.sub_event_type == "Mob violence"
    assert names(mention) == ("Rioters (Kenya)", "Civilians (Kenya)")


def test_an_intervention_told_in_the_next_sentence(nlp: NlpStage, events: EventsStage) -> None:
    mention = only(
        nlp,
        events,
        [
            "Traders protested in Nairobi, Kenya, on Monday over new market fees. "
            "Police used tear gas to disperse them."
        ],
    )
    assert mention.sub_event_type == "Protest with intervention"
    assert names(mention) == ("Protesters (Kenya)", "Police Forces of Kenya")


def test_a_protest_without_intervention_has_no_actor2(nlp: NlpStage, events: EventsStage) -> None:
    mention = only(
        nlp, events, ["Nurses protested in Nairobi, Kenya, on Monday over unpaid allowances."]
    )
    assert names(mention) == ("Protesters (Kenya)", None)


def test_arrests_are_made_by_the_police_and_suspects_belong_to_their_group(
    nlp: NlpStage, events: EventsStage
) -> None:
    mention = only(
        nlp,
        events,
        ["Security agents arrested five suspects linked to Al Shabaab in Mombasa, Kenya."],
    )
    assert mention.sub_event_type == "Arrests"
    assert mention.actor2 is not None and mention.actor2.name == "Al Shabaab"


def test_an_attack_by_x_was_repelled_by_y(nlp: NlpStage, events: EventsStage) -> None:
    mention = only(
        nlp,
        events,
        ["Kenyan troops repelled an attack by Al Shabaab fighters on a base in Lamu on Sunday."],
    )
    assert names(mention) == ("Al Shabaab", "Military Forces of Kenya")


def test_a_perpetrator_blamed_in_a_later_sentence(nlp: NlpStage, events: EventsStage) -> None:
    mention = only(
        nlp,
        events,
        [
            "A roadside bomb exploded in Mandera, Kenya, on Friday, killing three people. "
            "Authorities suspect Al Shabaab."
        ],
    )
    assert mention.sub_event_type == "Remote explosive/landmine/IED"
    assert names(mention)[0] == "Al Shabaab"


def test_a_later_sentence_that_blames_nobody_names_no_perpetrator(
    nlp: NlpStage, events: EventsStage
) -> None:
    mention = only(
        nlp,
        events,
        [
            "A roadside bomb exploded in Mandera, Kenya, on Friday, killing three people. "
            "Al Shabaab fighters were seen in Somalia last year."
        ],
    )
    assert names(mention)[0] == "Unidentified Armed Group (Kenya)"


def test_a_rebel_groups_home_is_not_the_countrys_police(nlp: NlpStage, events: EventsStage) -> None:
    # Al Shabaab fights in Kenya too: with no country named, "police" stay countryless for the
    # geocode stage to name by the event's place, not "Police Forces of Somalia".
    mention = only(nlp, events, ["Police kill an al Shabaab recruiter during a shootout."])
    assert names(mention) == ("Police Forces", "Al Shabaab")


def test_a_militias_home_still_names_the_country(nlp: NlpStage, events: EventsStage) -> None:
    mention = only(nlp, events, ["Pokot raiders shot dead two herders and drove away 300 goats."])
    assert mention.actor2 is not None and mention.actor2.name == "Civilians (Kenya)"


def test_the_pipeline_names_the_civilians_by_the_place() -> None:
    from datetime import date

    from sitrep.process import build_pipeline
    from sitrep.records import Page

    pipeline = build_pipeline({})
    pipeline.setup()
    text = "Boko Haram insurgents killed 12 villagers in an attack on Mafa village in Borno State."
    [document] = pipeline.run([Page(origin="t", text=text, published=date(2024, 6, 20))]).documents
    [event] = [e for e in document.events if e.modality.value == "occurred"]
    assert (event.iso, event.actor2) == ("NG", "Civilians (Nigeria)")


def test_a_mobs_victims_are_civilians_even_as_suspected_robbers(
    nlp: NlpStage, events: EventsStage
) -> None:
    mention = only(nlp, events, ["A mob lynched three suspected robbers in Kisumu, Kenya."])
    assert mention.sub_event_type == "Mob violence"
    assert names(mention) == ("Rioters (Kenya)", "Civilians (Kenya)")


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "Police shot dead two suspected kidnappers in Kitengela, Kenya, on Monday.",
            ("Police Forces of Kenya", "Unidentified Armed Group (Kenya)"),
        ),
        (
            "The Kenyan Defence Force killed five militants in Lamu, Kenya, on Monday.",
            ("Military Forces of Kenya", "Unidentified Armed Group (Kenya)"),
        ),
    ],
)
def test_kidnappers_are_armed_and_a_defence_force_is_the_military(
    nlp: NlpStage, events: EventsStage, sentence: str, expected: tuple[str, str]
) -> None:
    mention = only(nlp, events, [sentence])
    assert mention.sub_event_type == "Armed clash"
    assert names(mention) == expected


def test_a_person_named_as_the_attacker_is_no_actor_name(
    nlp: NlpStage, events: EventsStage
) -> None:
    # ACLED names no individuals: the role's generic actor, not the gunman's name.
    mention = only(
        nlp, events, ["Police said Omar Farah fatally shot a diplomat in Izmir, Turkey."]
    )
    assert names(mention) == ("Unidentified Armed Group (Turkey)", "Civilians (Turkey)")


@pytest.mark.parametrize(
    "sentence",
    [
        "Police are investigating the killing of a trader in Malindi, Kenya, on Monday.",
        "The governor condemned the attack on a church in Jos, Nigeria, on Sunday.",
    ],
)
def test_who_investigates_or_condemns_an_event_did_not_do_it(
    nlp: NlpStage, events: EventsStage, sentence: str
) -> None:
    mention = only(nlp, events, [sentence])
    assert mention.actor1 is not None
    assert mention.actor1.name.startswith("Unidentified Armed Group")


@pytest.mark.parametrize(
    ("sentence", "actor1"),
    [
        (
            "A herdsman was attacked and killed by cattle rustlers in Isiolo, Kenya, on Monday.",
            "Unidentified Communal Militia (Kenya)",
        ),
        (
            "A teacher was shot and wounded by police in Embu, Kenya, on Monday.",
            "Police Forces of Kenya",
        ),
    ],
)
def test_the_agent_of_a_conjoined_passive_acted(
    nlp: NlpStage, events: EventsStage, sentence: str, actor1: str
) -> None:
    mention = only(nlp, events, [sentence])
    assert mention.sub_event_type == "Attack"
    assert names(mention) == (actor1, "Civilians (Kenya)")


def test_one_security_guard_is_private_security(nlp: NlpStage, events: EventsStage) -> None:
    mention = only(
        nlp, events, ["One security guard was killed when gunmen raided a bank in Eldoret, Kenya."]
    )
    assert mention.sub_event_type == "Armed clash"
    assert mention.actor2 is not None
    assert mention.actor2.name == "Private Security Forces (Kenya)"
