"""Place phrases read off sentences: what the tagger finds and what only the frame shows."""

from __future__ import annotations

import pytest

from sitrep.stages.locations import PlacePhrases, find_places
from sitrep.stages.nlp import NlpStage

pytestmark = pytest.mark.slow


def places(nlp: NlpStage, text: str) -> PlacePhrases:
    doc = nlp._nlp(text)
    return find_places(next(iter(doc.sents)))


@pytest.mark.parametrize(
    ("text", "location", "hints"),
    [
        # Enclosing areas after the place, by comma or bracket, are its hints.
        ("Police shot a man in Kamukunji, Garissa, on Monday.", "Kamukunji", ("Garissa",)),
        ("Gunmen attacked a bus in Mwingi (Kitui, Kenya).", "Mwingi", ("Kitui", "Kenya")),
        # A settlement word between two names: the first is the place (its word kept), the
        # second encloses it.
        ("A mob stoned a man in Korail slum of Dhaka.", "Korail slum", ("Dhaka",)),
        # The tagger often misses a town used as a modifier of people.
        ("Garissa residents blocked the highway.", "Garissa", ()),
        ("Dozens of residents of Mwingi protested.", "Mwingi", ()),
        ("Bandits torched Chakama town overnight.", "Chakama", ()),
        # A sentence-initial "In" is not part of the name.
        ("In Kajiado sub-county, parents protested.", "Kajiado", ()),
        # The areas after a settlement word enclose the place too.
        ("Raiders hit Kapedo town (Turkana) and stole cattle.", "Kapedo", ("Turkana",)),
    ],
)
def test_place_and_enclosing_hints(
    nlp: NlpStage, text: str, location: str, hints: tuple[str, ...]
) -> None:
    found = places(nlp, text)
    assert found.location_text == location
    assert found.hints[: len(hints)] == hints


@pytest.mark.parametrize(
    "text",
    [
        "Kenyan residents protested on Monday.",  # a demonym
        "On Monday the crowd dispersed.",  # a weekday
        "In March the talks resumed.",  # a month
    ],
)
def test_no_place_from_demonyms_or_dates(nlp: NlpStage, text: str) -> None:
    assert places(nlp, text).location_text is None


def test_a_place_like_entity_beats_a_person_after_at(nlp: NlpStage) -> None:
    found = places(nlp, "A mob threw stones at Mudavadi during a rally at the grounds in Nairobi.")
    assert found.location_text == "Nairobi"


def test_other_places_of_the_sentence_are_fallback_hints(nlp: NlpStage) -> None:
    # An unknown village first, then the town the report also names: the town is a hint.
    found = places(nlp, "Residents of Kaprelach village marched to Kapenguria on Monday.")
    assert found.location_text == "Kaprelach"
    assert "Kapenguria" in found.hints


def test_a_road_between_two_towns_is_placed_at_the_first(nlp: NlpStage) -> None:
    found = places(nlp, "Drivers blocked the Eldoret-Kitale road over fees.")
    assert found.location_text == "Eldoret"


@pytest.mark.parametrize(
    "text",
    ["Several students were injured in the clash.", "Angry residents blocked the road."],
)
def test_a_capitalised_word_that_is_no_name_is_no_place(nlp: NlpStage, text: str) -> None:
    assert places(nlp, text).location_text is None


def test_a_town_tagged_as_a_person_or_group_is_a_last_resort(nlp: NlpStage) -> None:
    # The small model tags some towns PERSON/ORG; as the verb's object or after "of" they
    # are tried when nothing better names the place (the gazetteer then decides).
    found = places(nlp, "On 14 July 2023 Russian forces struck Kharkiv with missiles.")
    assert found.location_text == "Kharkiv"
    found = places(nlp, "Troops fought in the streets of El Fasher on Wednesday.")
    assert found.location_text == "El Fasher"


@pytest.mark.parametrize(
    ("text", "location"),
    [
        ("Residents of Kibundani staged a peaceful protest.", "Kibundani"),
        ("Gunmen attacked a civilian and injured him in Kinyu.", "Kinyu"),
        ("Bandits torched Chakama town overnight.", "Chakama"),
        # "at" before a name is the English word, not an Arabic particle ("Ras al Ain").
        ("Police beat a journalist and cameraman John Otieno at Bombi village.", "Bombi"),
    ],
)
def test_a_place_by_its_frame_is_named(nlp: NlpStage, text: str, location: str) -> None:
    # The frame says the name is a place: a row may name it even with no gazetteer entry.
    found = places(nlp, text)
    assert (found.location_text, found.named) == (location, True)


@pytest.mark.parametrize(
    ("text", "location"),
    [
        # A building, the tail of a longer name, a people: only the gazetteer could confirm.
        (
            "Police officers stormed the Mathemba Secondary School and beat students.",
            "Mathemba",  # the school's town, if the gazetteer knows it
        ),
        (
            "Masinde Muliro University of Science and Technology students held a demonstration.",
            "Technology",
        ),
        ("Members of the Maasai community protested along the highway.", "Maasai"),
    ],
)
def test_a_guessed_place_is_not_named(nlp: NlpStage, text: str, location: str) -> None:
    found = places(nlp, text)
    assert (found.location_text, found.named) == (location, False)


def test_a_place_by_its_frame_outranks_a_tagged_word_with_no_locative(nlp: NlpStage) -> None:
    # The tagger calls the village a person and "Independence" a place; "residents of X"
    # says where the protest was, "since Independence" says when.
    found = places(
        nlp,
        "Residents of Mugumo marched to demand land they say was taken from them "
        "soon after Independence.",
    )
    assert found.location_text == "Mugumo"


@pytest.mark.parametrize(
    ("text", "location", "named"),
    [
        # The tagger calls "Ol" an adjective and tags "Kalou" alone: the frame's whole name.
        ("Dozens of residents of Ol Kalou blocked a road.", "Ol Kalou", True),
        # A town whose last word ends like a demonym ("-an") is still a town.
        ("Farmers in Ol Moran protested the evictions.", "Ol Moran", True),
        # A capitalised first word right before a people word, tagged a common noun.
        ("Eldoret residents protested the killings.", "Eldoret", False),
        # A possessive is no part of the name.
        ("Shells landed near Kismayo's port on Sunday.", "Kismayo", True),
        # Women, youth, elders of a town name it as residents do.
        ("Bondo Women marched against the closure of the market.", "Bondo", True),
        # A first word tagged an adjective that is no English word ("Angry residents" is).
        ("Kawangware residents lynched a suspected thief.", "Kawangware", False),
        # Drivers, operators, employees of a town; a town before a building (a guess).
        ("Kitale drivers blocked the highway over fuel prices.", "Kitale", True),
        ("Gunmen robbed a Garissa shop at night.", "Garissa", False),
        ("Students of Kapsabet Boys High School burned a dormitory.", "Kapsabet", False),
        # A party's or college's initials are no part of the town's name; "X-based" is X.
        ("Kitui ODM youths marched to the tallying centre.", "Kitui", False),
        ("Students of Meru KMTC protested the fee increase.", "Meru", True),
        ("Three Nakuru-based journalists were beaten by police.", "Nakuru", False),
        # A count before the town is no part of its name.
        ("Nine Garissa teachers were beaten by a crowd.", "Garissa", True),
        ("Pupils of a Kitui school rioted over exams.", "Kitui", True),
        # An institution is in the town it is named for: a guess the gazetteer confirms.
        ("Students of Kakamega High School burned a dormitory.", "Kakamega", False),
        ("Lecturers of the University of Eldoret went on strike over pay.", "Eldoret", False),
    ],
)
def test_towns_of_groups_and_institutions(
    nlp: NlpStage, text: str, location: str, named: bool
) -> None:
    found = places(nlp, text)
    assert (found.location_text, found.named) == (location, named)


def test_a_place_in_a_relative_clause_about_a_person_is_not_the_events(nlp: NlpStage) -> None:
    found = places(
        nlp,
        "Dozens of traders gathered at Eldoret's main market to demand the release of a "
        "trader who was arrested in Kisumu.",
    )
    assert found.location_text == "Eldoret"
    assert "Kisumu" in found.hints


@pytest.mark.parametrize(
    ("text", "location"),
    [
        ("The two suspects are both from Manitoba, police said.", None),
        ("Ortiz, a native of Honduras, was stabbed in Dallas on Friday.", "Dallas"),
        ("Rockets fired from Gaza hit Sderot on Monday.", "Gaza"),
    ],
)
def test_where_people_come_from_is_no_place_of_the_event(
    nlp: NlpStage, text: str, location: str | None
) -> None:
    found = places(nlp, text)
    assert found.location_text == location
    assert "Honduras" not in found.hints


def test_a_titled_person_is_no_place(nlp: NlpStage) -> None:
    found = places(
        nlp, "Rival camps clashed in Garissa at a rally led by President Uhuru Kenyatta."
    )
    assert found.location_text == "Garissa"
    assert not any("Kenyatta" in hint for hint in found.hints)
