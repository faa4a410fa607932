"""Older ACLED-style phrasings of attacks on forces and of protests turning violent (0004)."""

from __future__ import annotations

from datetime import date

import pytest

from sitrep.stages.events import EventsStage
from sitrep.stages.nlp import NlpStage
from tests.test_events import make_document, occurred, only, run

pytestmark = pytest.mark.slow

PUBLISHED = date(2024, 6, 20)


# (paragraph, expected sub-event type, expected actor 2 or None for "any")
CASES = [
    # The victims include a force: a battle with it, not violence against civilians.
    (
        "On Monday, gunmen attacked a lorry near Garsen, Kenya, killing four, "
        "including police officers.",
        "Armed clash",
        "Police Forces of Kenya",
    ),
    (
        "On Monday, four guards were hacked to death by unknown assailants in Eldoret, Kenya.",
        "Armed clash",
        "Private Security Forces (Kenya)",
    ),
    # Protests told as turning violent are riots.
    (
        "On Monday, a protest by traders in Kisii, Kenya became chaotic.",
        "Violent demonstration",
        None,
    ),
    (
        "On Monday, a protest in Embu, Kenya turned chaotic.",
        "Violent demonstration",
        None,
    ),
]


@pytest.mark.parametrize(("text", "sub", "actor2"), CASES)
def test_older_phrasings(
    nlp: NlpStage, events: EventsStage, text: str, sub: str, actor2: str | None
) -> None:
    found = occurred(run(nlp, events, make_document([text], published=PUBLISHED)))
    assert [m.sub_event_type for m in found] == [sub]
    if actor2 is not None:
        assert found[0].actor2 is not None and found[0].actor2.name == actor2


def test_force_raiding_is_not_its_own_victim(nlp: NlpStage, events: EventsStage) -> None:
    text = "On Monday, police shot dead two robbers in Thika, Kenya."
    found = occurred(run(nlp, events, make_document([text], published=PUBLISHED)))
    assert all(m.actor2 is None or m.actor2.inter != 1 for m in found)


@pytest.mark.parametrize(
    ("sentence", "sub_event_type"),
    [
        # Older notes are written as headlines, in the present tense.
        ("Villagers lynch a suspected thief in Kitui, Kenya.", "Mob violence"),
        ("Gunmen shoot two traders dead in Wajir, Kenya.", "Attack"),
        ("Youths torch a police post in Kisii, Kenya.", "Violent demonstration"),
        ("Residents hold a demonstration in Voi, Kenya, over water shortages.", "Peaceful protest"),
    ],
)
def test_headline_present_tense(
    nlp: NlpStage, events: EventsStage, sentence: str, sub_event_type: str
) -> None:
    assert only(nlp, events, [sentence]).sub_event_type == sub_event_type
