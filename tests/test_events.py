"""The events stage on sentences in the styles of real conflict reporting."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import pytest

from sitrep.records import Document, Mention, Modality, Segment, SegmentKind
from sitrep.stages.events import EventsStage
from sitrep.stages.nlp import NlpStage
from tests.conftest import WORKED_EXAMPLE

pytestmark = pytest.mark.slow

EXAMPLE = WORKED_EXAMPLE  # the repository copy: always present, so the test never skips


def make_document(
    paragraphs: Sequence[str],
    *,
    headline: str | None = None,
    published: date | None = date(2024, 6, 20),
    comments: Sequence[str] = (),
) -> Document:
    """A document with one BODY segment per paragraph (and COMMENT segments)."""
    text = ""
    segments: list[Segment] = []
    if headline:
        text = headline + "\n\n"
        segments.append(Segment(SegmentKind.HEADLINE, 0, len(headline), headline))
    for kind, items in ((SegmentKind.BODY, paragraphs), (SegmentKind.COMMENT, comments)):
        for paragraph in items:
            start = len(text)
            text += paragraph + "\n\n"
            segments.append(Segment(kind, start, start + len(paragraph), paragraph))
    return Document(
        id="doc",
        origin="test",
        text=text,
        headline=headline,
        segments=tuple(segments),
        published=published,
    )


def run(nlp: NlpStage, events: EventsStage, document: Document) -> list[Mention]:
    [out] = events(nlp([document]))
    return list(out.mentions)


def occurred(mentions: Sequence[Mention]) -> list[Mention]:
    return [m for m in mentions if m.modality is Modality.OCCURRED]


def only(nlp: NlpStage, events: EventsStage, paragraphs: Sequence[str]) -> Mention:
    """The one event that occurred in a document of ``paragraphs`` (fails if not one)."""
    mentions = occurred(run(nlp, events, make_document(paragraphs)))
    assert len(mentions) == 1, [m.sub_event_type for m in mentions]
    return mentions[0]


def names(mention: Mention) -> tuple[str | None, str | None]:
    """Actor 1 and actor 2 by their dictionary names."""
    return (
        mention.actor1.name if mention.actor1 else None,
        mention.actor2.name if mention.actor2 else None,
    )


# (sentence, sub-event type, actor1 name or None, actor2 name or None)
POSITIVE = [
    # Syria
    (
        "Russian warplanes struck rebel positions in Idlib province on Monday.",
        "Air/drone strike",
        "Military Forces of Russia",
        None,
    ),
    (
        "Turkish drones targeted SDF positions near Qamishli on Sunday.",
        "Air/drone strike",
        "Military Forces of Turkey",
        "Syrian Democratic Forces",
    ),
    (
        "Syrian government forces shelled the town of Kafr Nabl on Tuesday.",
        "Shelling/artillery/missile attack",
        "Military Forces of Syria",
        None,
    ),
    (
        "HTS fighters clashed with Syrian army troops near Saraqib on Wednesday.",
        "Armed clash",
        "Hayat Tahrir al-Sham",
        "Military Forces of Syria",
    ),
    # Nigeria
    (
        "Boko Haram insurgents killed 12 villagers in an attack on Mafa village in Borno State.",
        "Attack",
        "Boko Haram - Jamaatu Ahli is-Sunnah lid-Dawati wal-Jihad",
        # No country named and a rebel group's home says none: the geocode stage names the
        # civilians by the place, Borno (test_events_actors: the pipeline gives Nigeria).
        "Civilians",
    ),
    (
        "Gunmen abducted 30 students from a school in Kaduna State, Nigeria, on Thursday.",
        "Abduction/forced disappearance",
        "Unidentified Armed Group (Nigeria)",
        "Civilians (Nigeria)",
    ),
    (
        "An improvised explosive device killed four soldiers near Damboa, Nigeria, on Friday.",
        "Remote explosive/landmine/IED",
        None,
        None,
    ),
    (
        "ISWAP fighters overran a military base in Marte, Borno, on Saturday.",
        "Non-state actor overtakes territory",
        "Islamic State West Africa Province",
        None,
    ),
    # Ukraine
    (
        "Russian forces shelled Kharkiv overnight, killing three civilians, officials said.",
        "Shelling/artillery/missile attack",
        "Military Forces of Russia",
        None,
    ),
    (
        "A Russian missile hit an apartment block in Dnipro on Saturday.",
        "Shelling/artillery/missile attack",
        "Military Forces of Russia",
        None,
    ),
    (
        "Ukrainian troops recaptured the village of Robotyne in Zaporizhzhia region on Monday.",
        "Government regains territory",
        "Military Forces of Ukraine",
        None,
    ),
    (
        "Ukrainian air defences shot down 20 Russian drones over Kyiv on Tuesday night.",
        "Disrupted weapons use",
        None,
        None,
    ),
    # Sahel
    (
        "JNIM militants ambushed a Malian army convoy near Boni in central Mali on Tuesday.",
        "Armed clash",
        "JNIM: Group for Support of Islam and Muslims",
        "Military Forces of Mali",
    ),
    (
        "Suspected jihadists kidnapped a village chief in northern Burkina Faso last week.",
        "Abduction/forced disappearance",
        None,
        None,
    ),
    (
        "A suicide bomber blew himself up at a market in Gao, Mali, on Friday.",
        "Suicide bomb",
        None,
        None,
    ),
    # Myanmar
    (
        "Junta jets bombed a village in Sagaing Region, Myanmar, on Tuesday, killing 11 people.",
        "Air/drone strike",
        "Military Forces of Myanmar",
        None,
    ),
    (
        "The Arakan Army seized a military outpost in Rakhine State on Sunday.",
        "Non-state actor overtakes territory",
        "AA: Arakan Army",
        None,
    ),
    # Kenya protests
    (
        "Police fired tear gas to disperse protesters in Nairobi, Kenya, on Tuesday.",
        "Protest with intervention",
        "Protesters (Kenya)",
        "Police Forces of Kenya",
    ),
    (
        "Hundreds of traders protested peacefully in Mombasa on Monday against new taxes in Kenya.",
        "Peaceful protest",
        "Protesters (Kenya)",
        None,
    ),
    (
        "Rioters torched a police station in Kisumu, Kenya, on Thursday.",
        "Violent demonstration",
        "Rioters (Kenya)",
        None,
    ),
    (
        "A mob lynched a suspected thief in Kakamega, Kenya, on Sunday.",
        "Mob violence",
        "Rioters (Kenya)",
        None,
    ),
    (
        "Police arrested 15 suspects in Eastleigh, Kenya, on Friday.",
        "Arrests",
        "Police Forces of Kenya",
        None,
    ),
    # Mexico cartels
    (
        "Gunmen of the Jalisco New Generation Cartel clashed with the Sinaloa Cartel in Zacatecas.",
        "Armed clash",
        None,
        "Sinaloa Cartel",
    ),
    (
        "Members of the Sinaloa Cartel killed five people at a bar in Culiacan, Mexico, on Friday.",
        "Attack",
        "Sinaloa Cartel",
        None,
    ),
    # Somalia
    (
        "Al-Shabaab militants attacked an AMISOM base in Lower Shabelle on Monday.",
        "Armed clash",
        "Al Shabaab",
        "ATMIS: African Union Transition Mission in Somalia",
    ),
    (
        "A roadside bomb struck a Somali army vehicle near Mogadishu on Wednesday.",
        "Remote explosive/landmine/IED",
        None,
        None,
    ),
    (
        "US forces conducted an airstrike against al-Shabaab near Jilib, Somalia, on Sunday.",
        "Air/drone strike",
        "Military Forces of the United States",
        "Al Shabaab",
    ),
    # Yemen / Israel / Sudan / DRC / Colombia / Afghanistan
    (
        "Houthi rebels fired a ballistic missile at Marib city on Monday.",
        "Shelling/artillery/missile attack",
        "Houthi Movement",
        None,
    ),
    (
        "Israeli airstrikes hit a house in Rafah on Sunday.",
        "Air/drone strike",
        "Military Forces of Israel",
        None,
    ),
    (
        "The Rapid Support Forces and the Sudanese army fought in Khartoum on Saturday.",
        "Armed clash",
        "Rapid Support Forces",
        None,
    ),
    (
        "M23 rebels clashed with the Congolese army near Sake on Wednesday.",
        "Armed clash",
        "M23: March 23 Movement",
        "Military Forces of the Democratic Republic of Congo",
    ),
    (
        "ELN guerrillas kidnapped two soldiers in Arauca, Colombia, on Friday.",
        "Abduction/forced disappearance",
        "ELN: National Liberation Army",
        None,
    ),
    (
        "The Taliban and the National Resistance Front signed a ceasefire agreement on Monday.",
        "Agreement",
        "Taliban",
        None,
    ),
    (
        "Militants threw a grenade at a police post in Srinagar, India, on Monday.",
        "Grenade",
        None,
        None,
    ),
]


@pytest.mark.parametrize(("sentence", "sub", "actor1", "actor2"), POSITIVE)
def test_positive_sentences(
    nlp: NlpStage,
    events: EventsStage,
    sentence: str,
    sub: str,
    actor1: str | None,
    actor2: str | None,
) -> None:
    mentions = occurred(run(nlp, events, make_document([sentence])))
    assert mentions, f"no event from {sentence!r}"
    best = mentions[0]
    assert best.sub_event_type == sub
    if actor1 is not None:
        assert best.actor1 is not None and best.actor1.name == actor1
    if actor2 is not None:
        assert best.actor2 is not None and best.actor2.name == actor2


NEGATIVE = [
    # opinion
    "The government should stop bombing civilians in Gaza.",
    "In my view, the army must attack the rebels before the rains come.",
    # plans and threats
    "The army is preparing to launch an offensive on Raqqa next month.",
    "Al-Shabaab threatened to attack Kenyan towns if troops are not withdrawn.",
    "The rebels will attack the capital, a spokesman warned.",
    # history
    "Earlier this year, the militants managed to repel two attacks by government forces.",
    "In the past, Boko Haram has abducted hundreds of schoolgirls.",
    # estimates
    "Analysts believe that more than 5,000 fighters are hiding in the mountains.",
    "More than 2,000 JNIM fighters are estimated to operate in the region.",
    # questions and conditionals
    "Why did the army not attack the camp?",
    "If the ceasefire collapses, fighting could resume in Tigray.",
    # negation
    "No clashes were reported in the city on Sunday.",
]


@pytest.mark.parametrize("sentence", NEGATIVE)
def test_negative_sentences_yield_no_occurred_event(
    nlp: NlpStage, events: EventsStage, sentence: str
) -> None:
    assert occurred(run(nlp, events, make_document([sentence]))) == []


def test_planned_is_marked_planned(nlp: NlpStage, events: EventsStage) -> None:
    mentions = run(nlp, events, make_document(["The rebels will attack the capital next week."]))
    assert all(m.modality is Modality.PLANNED for m in mentions)


def test_claimed_responsibility(nlp: NlpStage, events: EventsStage) -> None:
    # A claim of responsibility says who did it, not whether it happened (0004, fifth session).
    doc = make_document(
        ["Islamic State claimed responsibility for the bombing of a checkpoint in Kirkuk, Iraq."]
    )
    mentions = run(nlp, events, doc)
    assert mentions and mentions[0].modality is Modality.OCCURRED


def test_claimed_to_have_done_it(nlp: NlpStage, events: EventsStage) -> None:
    doc = make_document(["The rebels claimed to have shot down an army helicopter near Goma."])
    mentions = run(nlp, events, doc)
    assert mentions and all(m.modality is Modality.CLAIMED for m in mentions)


def test_denied(nlp: NlpStage, events: EventsStage) -> None:
    doc = make_document(["The army denied that its soldiers killed civilians in Tillaberi, Niger."])
    mentions = run(nlp, events, doc)
    assert mentions and all(m.modality is Modality.DENIED for m in mentions)


@pytest.mark.parametrize(
    "sentence",
    [
        # The small model often makes the belief word the root of the sentence.
        "Gunmen believed to be Al Shabaab fighters raided a police camp in Garissa, Kenya.",
        "A device suspected to be a landmine exploded under a bus near Mandera, Kenya.",
        "The raid on Kapedo, Kenya, on Monday is believed to be a revenge attack.",
    ],
)
def test_a_belief_about_who_or_why_is_no_estimate(
    nlp: NlpStage, events: EventsStage, sentence: str
) -> None:
    assert occurred(run(nlp, events, make_document([sentence])))


def test_a_belief_that_it_happened_is_an_estimate(nlp: NlpStage, events: EventsStage) -> None:
    doc = make_document(["Militants are believed to have killed five villagers in Lamu, Kenya."])
    mentions = run(nlp, events, doc)
    assert mentions and all(m.modality is Modality.ESTIMATE for m in mentions)


def test_coreference_to_last_armed_group(nlp: NlpStage, events: EventsStage) -> None:
    doc = make_document(
        [
            "Al-Shabaab has been active in the region for a decade.",
            "On Monday the militants attacked a police station in Mandera, Kenya.",
        ]
    )
    mentions = occurred(run(nlp, events, doc))
    assert mentions[0].actor1 is not None and mentions[0].actor1.name == "Al Shabaab"


def test_monitoring_group_is_a_source_not_an_actor(nlp: NlpStage, events: EventsStage) -> None:
    doc = make_document(
        [
            "Islamic State fighters attacked a checkpoint in Deir Ezzor, Syria, on Monday.",
            "The monitoring group said the group shelled a village on Tuesday.",
        ]
    )
    mentions = occurred(run(nlp, events, doc))
    assert all(m.actor1 is None or "monitor" not in m.actor1.text.lower() for m in mentions)


def test_location_inherited_and_dates_defaulted(nlp: NlpStage, events: EventsStage) -> None:
    # Arrests told after a protest are its intervention, not an event of their own, and a
    # sentence without a date continues the previous event's date (docs/decisions/0004).
    doc = make_document(
        [
            "Police fired tear gas at protesters in the town of Eldoret, Kenya, on June 18.",
            "Officers also arrested 30 people.",
        ],
        published=date(2024, 6, 19),
    )
    mentions = occurred(run(nlp, events, doc))
    assert len(mentions) == 1
    assert mentions[0].event_date == date(2024, 6, 18)
    assert mentions[0].time_precision == 1
    assert mentions[0].location_text == "the town of Eldoret"
    assert mentions[0].sub_event_type == "Protest with intervention"
    doc = make_document(
        [
            "The government signed a peace agreement with herders in the village of Kuru in "
            "Plateau State, Nigeria, on June 18.",
            "Police arrested 30 suspects.",
        ],
        published=date(2024, 6, 19),
    )
    arrests = [m for m in occurred(run(nlp, events, doc)) if m.sub_event_type == "Arrests"]
    assert arrests and arrests[0].location_text == "the village of Kuru"
    assert arrests[0].event_date == date(2024, 6, 18) and arrests[0].time_precision == 1
    lone = occurred(run(nlp, events, make_document(["Police arrested 30 suspects in Jos."])))
    assert lone[0].event_date == date(2024, 6, 20) and lone[0].time_precision == 2
    assert lone[0].date_resolved_from == date(2024, 6, 20)


def test_duplicate_reports_collapse(nlp: NlpStage, events: EventsStage) -> None:
    doc = make_document(
        [
            "Russian forces shelled Kherson on Monday.",
            "Russian forces shelled Kherson on Monday, officials said.",
        ],
        published=date(2024, 6, 19),
    )
    mentions = occurred(run(nlp, events, doc))
    assert len([m for m in mentions if m.sub_event_type.startswith("Shelling")]) == 1


def test_comments_never_yield_mentions(nlp: NlpStage, events: EventsStage) -> None:
    doc = make_document(
        ["The council met on Monday to discuss the budget."],
        comments=["Russian warplanes bombed Aleppo yesterday, I saw it."],
    )
    assert run(nlp, events, doc) == []


def test_spans_point_into_document_text(nlp: NlpStage, events: EventsStage) -> None:
    doc = make_document(
        [
            "Opening paragraph about nothing.",
            "Gunmen killed three farmers in Plateau State, Nigeria.",
        ]
    )
    for m in run(nlp, events, doc):
        assert doc.text[m.start : m.end] == m.sentence
        assert 0.0 <= m.confidence <= 1.0


def test_worked_example(nlp: NlpStage, events: EventsStage) -> None:
    raw = EXAMPLE.read_text(encoding="utf-8").split("\n\n")
    doc = make_document(
        [p.strip() for p in raw[2:6]], headline=raw[0].strip(), published=date(2018, 8, 23)
    )
    mentions = run(nlp, events, doc)
    strikes = [m for m in mentions if m.sub_event_type == "Air/drone strike"]
    assert strikes
    strike = strikes[0]
    assert strike.event_type == "Explosions/Remote violence"
    assert strike.event_date == date(2018, 8, 22)
    assert strike.modality is Modality.OCCURRED
    assert strike.actor1 is not None and strike.actor1.name == "Global Coalition Against Daesh"
    assert strike.actor2 is not None and strike.actor2.name == "Islamic State"
    assert strike.location_text is not None and "Baghuz" in strike.location_text
    assert any("Deir Ezzor" in h and "countryside" in h for h in strike.location_hints)
    assert strike.attribution == ("Syrian Observatory for Human Rights",)
    for m in occurred(mentions):
        assert "preparing" not in m.sentence
        assert "hiding" not in m.sentence
        assert "Earlier this year" not in m.sentence
