"""Event types by ACLED's definitions, recall words, and paragraph sources (decision 0004)."""

from __future__ import annotations

from datetime import date

import pytest

from sitrep.records import Mention
from sitrep.stages.dates import resolve_date
from sitrep.stages.events import EventsStage
from sitrep.stages.nlp import NlpStage
from tests.test_events import make_document, occurred, run

pytestmark = pytest.mark.slow

PUBLISHED = date(2024, 6, 20)


def mentions_of(nlp: NlpStage, events: EventsStage, paragraphs: list[str]) -> list[Mention]:
    return occurred(run(nlp, events, make_document(paragraphs, published=PUBLISHED)))


def name(actor: object) -> str | None:
    return getattr(actor, "name", None)


# (paragraphs, the one event's sub-event type, actor 1, actor 2)
TYPED = [
    # Unarmed people acting as a group: mob violence (Riots), not an armed group's attack.
    (
        ["On Monday, students attacked and beat a teacher at a school in Kisumu, Kenya."],
        "Mob violence",
        "Rioters (Kenya)",
        "Civilians (Kenya)",
    ),
    (
        ["On Monday, voters beat up a county official in Kitui, Kenya."],
        "Mob violence",
        "Rioters (Kenya)",
        "Civilians (Kenya)",
    ),
    # Two groups of supporters fighting: no armed side, both sides rioters.
    (
        ["On Monday, supporters of two rival candidates clashed in Kisumu, Kenya."],
        "Mob violence",
        "Rioters (Kenya)",
        "Rioters (Kenya)",
    ),
    # Communal fighting stays a battle of militias.
    (
        ["On Monday, herders from two villages clashed over grazing land in Wajir, Kenya."],
        "Armed clash",
        None,
        None,
    ),
    (
        [
            "On Monday, two herders were killed in violence between the Kalenjin and Maasais "
            "in Narok, Kenya."
        ],
        "Armed clash",
        "Kalenjin Ethnic Militia (Kenya)",
        "Maasai Ethnic Militia (Kenya)",
    ),
    # An attack whose victims are an armed force is a battle.
    (
        ["On Monday, two policemen were shot dead by unknown gunmen in Kiambu, Kenya."],
        "Armed clash",
        "Unidentified Armed Group (Kenya)",
        "Police Forces of Kenya",
    ),
    # Destructive demonstrations are riots, whatever verb form tells it.
    (
        ["On Monday, residents blocked the Nairobi-Nakuru highway in protest in Gilgil, Kenya."],
        "Violent demonstration",
        "Rioters (Kenya)",
        None,
    ),
    (
        [
            "On Monday, traders protested in Kisumu, Kenya.",
            "They were throwing stones at passing vehicles.",
        ],
        "Violent demonstration",
        "Rioters (Kenya)",
        None,
    ),
    # "Anti-riot police quelled the riots": the force intervened; nobody looted.
    (
        [
            "On Monday, students burned a section of the library in Kisii, Kenya.",
            "Anti-riot police quelled the riots.",
        ],
        "Violent demonstration",
        "Rioters (Kenya)",
        "Police Forces of Kenya",
    ),
    # Herders attacked are civilians; herders who raid are their community's militia.
    (
        ["On Monday, armed Pokot raiders shot dead two Turkana herders near Lodwar, Kenya."],
        "Attack",
        "Pokot Ethnic Militia (Kenya)",
        "Civilians (Kenya)",
    ),
    # A police officer attacked off duty is a civilian (ACLED).
    (
        ["On Monday, gunmen shot dead an off-duty police officer in Mombasa, Kenya."],
        "Attack",
        None,
        "Civilians (Kenya)",
    ),
    # Older notes' present tense: "protest violently", "stone a journalist".
    (
        ["On Monday, students protest violently against a new principal in Kisii, Kenya."],
        "Violent demonstration",
        "Rioters (Kenya)",
        None,
    ),
    # A takeover of a town by insurgents is territory changing hands.
    (
        ["Insurgents completed their takeover of Mocimboa da Praia in Mozambique on Monday."],
        "Non-state actor overtakes territory",
        None,
        None,
    ),
]


@pytest.mark.parametrize(("paragraphs", "sub", "actor1", "actor2"), TYPED)
def test_event_types_follow_acled_definitions(
    nlp: NlpStage,
    events: EventsStage,
    paragraphs: list[str],
    sub: str,
    actor1: str | None,
    actor2: str | None,
) -> None:
    found = mentions_of(nlp, events, paragraphs)
    assert [m.sub_event_type for m in found] == [sub]
    if actor1 is not None:
        assert name(found[0].actor1) == actor1
    if actor2 is not None:
        assert name(found[0].actor2) == actor2


PROTESTS = [
    "On Monday, hundreds of workers took to the streets of Mombasa, Kenya, over unpaid wages.",
    "On Monday, youth in Garissa, Kenya, held a march to call for a peaceful election.",
    "Students of a university in Narok, Kenya, protested for six days over fees.",
    "On Monday, protesters in Eldoret, Kenya, called for better roads.",
]


@pytest.mark.parametrize("text", PROTESTS)
def test_demonstrations_told_without_the_old_words(
    nlp: NlpStage, events: EventsStage, text: str
) -> None:
    found = mentions_of(nlp, events, [text])
    assert [m.sub_event_type for m in found] == ["Peaceful protest"]


def test_the_month_of_march_is_no_march(nlp: NlpStage, events: EventsStage) -> None:
    assert mentions_of(nlp, events, ["In March, the county approved a new budget."]) == []


def test_a_duration_is_no_date() -> None:
    when = resolve_date(
        "They protested for six days.", reference=PUBLISHED, date_texts=["six days"]
    )
    assert not when.vague
    when = resolve_date(
        "A 12-year-old boy was shot.", reference=PUBLISHED, date_texts=["12-year-old"]
    )
    assert not when.vague


def test_a_paragraph_relays_its_source_to_later_sentences(
    nlp: NlpStage, events: EventsStage
) -> None:
    found = mentions_of(
        nlp,
        events,
        [
            "On Monday, militants attacked an army post in Mandera, Kenya, according to the "
            "Kenya Red Cross. Kenyan troops later deployed armoured vehicles in the area.",
            "Separately, on Tuesday, traders protested over taxes in Garissa, Kenya.",
        ],
    )
    assert [m.attribution for m in found] == [
        ("Kenya Red Cross",),
        ("Kenya Red Cross",),
        (),
    ]


def test_a_deployment_faces_its_adversary(nlp: NlpStage, events: EventsStage) -> None:
    found = mentions_of(
        nlp,
        events,
        [
            "On Monday, Kenyan troops reinforced their positions around al-Shabaab's "
            "stronghold near Kolbio, Somalia."
        ],
    )
    assert [m.sub_event_type for m in found] == ["Change to group/activity"]
    assert name(found[0].actor2) == "Al Shabaab"
