"""Communal, ethnic and clan militias as ACLED names them (docs/decisions/0004, fourth
session: communal militias)."""

from __future__ import annotations

import pytest

from sitrep.actors import ActorDictionary
from sitrep.stages.events import EventsStage
from sitrep.stages.nlp import NlpStage
from tests.test_events import names, only

pytestmark = pytest.mark.slow


def test_one_actor_for_both_spellings() -> None:
    actors = ActorDictionary.load()
    for text in ("Kipsigis militia", "Kipsigi raiders", "Kipsigs herders"):
        actor = actors.match(text, country="KE")
        assert actor is not None and actor.name == "Kipsigi Ethnic Militia (Kenya)", text


def test_a_clan_militia_takes_its_country_later() -> None:
    actors = ActorDictionary.load()
    clan = actors.generic("Hodan Clan Militia ({country})", text="Hodan clan", country=None)
    assert (clan.name, clan.inter, clan.known) == ("Hodan Clan Militia", 4, False)
    template = actors.template_of(clan)
    assert template is not None
    assert actors.generic(template, text="", country="KE").name == "Hodan Clan Militia (Kenya)"


def test_two_communities_sharing_one_noun(nlp: NlpStage, events: EventsStage) -> None:
    mention = only(
        nlp,
        events,
        [
            "Fighting between the Kipsigis and Ogiek communities near Olenguruone, Kenya, "
            "killed three people on Monday."
        ],
    )
    assert mention.sub_event_type == "Armed clash"
    assert names(mention) == ("Kipsigi Ethnic Militia (Kenya)", "Ogiek Ethnic Militia (Kenya)")


def test_two_militias_sharing_one_noun_as_subject(nlp: NlpStage, events: EventsStage) -> None:
    mention = only(
        nlp,
        events,
        ["Turkana and Pokot militias clashed near Kapedo, Kenya, on Monday, leaving four dead."],
    )
    assert names(mention) == ("Turkana Ethnic Militia (Kenya)", "Pokot Ethnic Militia (Kenya)")


def test_members_of_a_clan_attack(nlp: NlpStage, events: EventsStage) -> None:
    mention = only(
        nlp,
        events,
        ["Members of the Degodia clan attacked Garre herders near Wajir, Kenya, on Monday."],
    )
    assert mention.sub_event_type == "Attack"
    assert names(mention) == ("Degodia Ethnic Militia (Kenya)", "Civilians (Kenya)")


def test_a_clan_the_dictionary_lacks(nlp: NlpStage, events: EventsStage) -> None:
    mention = only(
        nlp,
        events,
        [
            "Two men were killed on Monday in a clash between the Hodan and Warfa clans near "
            "Wajir, Kenya."
        ],
    )
    assert names(mention) == ("Hodan Clan Militia (Kenya)", "Warfa Clan Militia (Kenya)")


@pytest.mark.parametrize(
    ("sentence", "militia"),
    [
        ("Four people died on Monday in inter-clan fighting near Wajir, Kenya.", "Clan"),
        ("Six people were killed on Monday in ethnic clashes in Moyale, Kenya.", "Ethnic"),
        ("Two people died on Monday in communal clashes in Isiolo, Kenya.", "Communal"),
        ("The two communities clashed on Monday over a water point in Isiolo, Kenya.", "Communal"),
    ],
)
def test_unnamed_sides_of_communal_violence(
    nlp: NlpStage, events: EventsStage, sentence: str, militia: str
) -> None:
    mention = only(nlp, events, [sentence])
    assert mention.sub_event_type == "Armed clash"
    generic = f"Unidentified {militia} Militia (Kenya)"
    assert names(mention) == (generic, generic)
