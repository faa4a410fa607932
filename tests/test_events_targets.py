"""Actor 2 where the text names no object: ACLED's targets (docs/decisions/0004, 2026-12-08)."""

from __future__ import annotations

import pytest

from sitrep.stages.events import EventsStage
from sitrep.stages.nlp import NlpStage
from tests.test_events import names, only

pytestmark = pytest.mark.slow


def test_a_device_with_no_force_in_its_way_targets_civilians(
    nlp: NlpStage, events: EventsStage
) -> None:
    mention = only(nlp, events, ["On Friday, an IED went off beside a road in Wajir, Kenya."])
    assert mention.sub_event_type == "Remote explosive/landmine/IED"
    assert names(mention) == ("Unidentified Armed Group (Kenya)", "Civilians (Kenya)")


def test_a_device_that_hit_a_force_patrol_targets_the_force(
    nlp: NlpStage, events: EventsStage
) -> None:
    mention = only(
        nlp,
        events,
        ["On Friday, Al Shabaab militants planted an IED that hit a KDF patrol in Lamu, Kenya."],
    )
    assert mention.event_type == "Explosions/Remote violence"
    assert names(mention) == ("Al Shabaab", "Military Forces of Kenya")


def test_a_force_hit_by_a_device_has_the_planters_as_other_side(
    nlp: NlpStage, events: EventsStage
) -> None:
    mention = only(
        nlp, events, ["On Friday, a police truck was damaged by a landmine in Mandera, Kenya."]
    )
    assert names(mention) == ("Police Forces of Kenya", "Unidentified Armed Group (Kenya)")


def test_a_force_hit_by_a_device_a_named_group_planted(nlp: NlpStage, events: EventsStage) -> None:
    text = (
        "On Friday, a police truck was damaged by a landmine in Mandera, Kenya. "
        "Al Shabaab militants are suspected."
    )
    mention = only(nlp, events, [text])
    assert names(mention) == ("Police Forces of Kenya", "Al Shabaab")


def test_a_violent_demonstration_takes_the_force_a_later_sentence_names(
    nlp: NlpStage, events: EventsStage
) -> None:
    text = (
        "On Monday, hawkers rioted in Nakuru, Kenya, over new market fees. "
        "Police tried to calm the crowd."
    )
    mention = only(nlp, events, [text])
    assert mention.sub_event_type == "Violent demonstration"
    assert names(mention)[1] == "Police Forces of Kenya"
