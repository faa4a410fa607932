"""Rules found by the fusion check on written pages: intervening forces, places as actors."""

from __future__ import annotations

from datetime import date

import pytest

from sitrep.stages.events import EventsStage
from sitrep.stages.nlp import NlpStage
from tests.test_events import make_document, occurred, run

pytestmark = pytest.mark.slow

PUBLISHED = date(2023, 9, 1)


def test_the_force_that_intervened_is_actor2_not_what_the_protest_is_about(
    nlp: NlpStage, events: EventsStage
) -> None:
    text = (
        "Hundreds of protesters marched through Bunia on August 30 to demand the departure "
        "of UN peacekeepers, and police fired tear gas to disperse them."
    )
    found = occurred(run(nlp, events, make_document([text], published=PUBLISHED)))
    assert [m.sub_event_type for m in found] == ["Protest with intervention"]
    assert found[0].actor2 is not None and found[0].actor2.name.startswith("Police Forces")


def test_a_place_is_no_actor(nlp: NlpStage, events: EventsStage) -> None:
    text = "On 3 August 2023 Russian forces struck Sumy with missiles, killing two civilians."
    found = occurred(run(nlp, events, make_document([text], published=PUBLISHED)))
    assert found and all(m.actor2 is None or m.actor2.name.casefold() != "sumy" for m in found)
