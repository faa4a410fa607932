"""The actor dictionary: loading, extending, matching."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sitrep.actors import ActorDictionary, strip_period
from sitrep.errors import ConfigError


@pytest.fixture(scope="module")
def actors() -> ActorDictionary:
    return ActorDictionary.load()


def test_at_least_150_entries_with_valid_inter_codes(actors: ActorDictionary) -> None:
    assert len(actors) >= 150
    assert all(1 <= e.inter <= 8 for e in actors.entries)


@pytest.mark.parametrize(
    ("text", "name", "inter"),
    [
        ("ISIS", "Islamic State", 2),
        ("ISIL", "Islamic State", 2),
        ("Daesh", "Islamic State", 2),
        ("the Islamic State", "Islamic State", 2),
        ("warplanes of the US-led coalition", "Global Coalition Against Daesh", 8),
        ("Operation Inherent Resolve", "Global Coalition Against Daesh", 8),
        ("the US-backed Syrian Democratic Forces (SDF)", "Syrian Democratic Forces", 2),
        ("Syrian army", "Military Forces of Syria", 1),
        ("al-Shabaab militants", "Al Shabaab", 2),
        ("Boko Haram insurgents", "Boko Haram - Jamaatu Ahli is-Sunnah lid-Dawati wal-Jihad", 2),
        ("ISWAP", "Islamic State West Africa Province", 2),
        ("JNIM", "JNIM: Group for Support of Islam and Muslims", 2),
        ("Russian forces", "Military Forces of Russia", 1),
        ("the Tatmadaw", "Military Forces of Myanmar", 1),
        ("the Jalisco New Generation Cartel", "CJNG: Jalisco New Generation Cartel", 3),
        ("Houthi rebels", "Houthi Movement", 2),
        ("the Rapid Support Forces", "Rapid Support Forces", 2),
        ("M23 rebels", "M23: March 23 Movement", 2),
        ("Pakistani Taliban", "Tehrik-i-Taliban Pakistan", 2),
        ("Kenyan police", "Police Forces of Kenya", 1),
        ("Ugandan protesters", "Protesters (Uganda)", 6),
        ("the US military", "Military Forces of the United States", 1),
    ],
)
def test_match_normalises_aliases(
    actors: ActorDictionary, text: str, name: str, inter: int
) -> None:
    actor = actors.match(text)
    assert actor is not None
    assert (actor.name, actor.inter, actor.known) == (name, inter, True)


def test_abbreviations_match_only_in_capitals(actors: ActorDictionary) -> None:
    assert actors.find("It is what it is, as far as aa goes.") == []
    assert actors.match("IS fighters") is not None


def test_modifiers_are_not_actors(actors: ActorDictionary) -> None:
    names = [a.name for _, _, a in actors.find("the UK-based monitor said pro-Russian separatists")]
    assert names == []
    assert actors.countries_in("the UK-based monitor") == []


def test_generic_actors_take_the_article_country(actors: ActorDictionary) -> None:
    police = actors.match("police", country="KE")
    assert police is not None and police.name == "Police Forces of Kenya"
    assert police.country == "KE"
    civilians = actors.match("villagers")
    assert civilians is not None and civilians.name == "Civilians"
    drc = actors.match("soldiers", country="CD")
    assert drc is not None and drc.name == "Military Forces of the Democratic Republic of Congo"


def test_namesakes_are_chosen_by_country(actors: ActorDictionary) -> None:
    mali = actors.match("Fulani militia", country="ML")
    assert mali is not None and mali.name == "Fulani Ethnic Militia (Mali)"
    nigeria = actors.match("Fulani militia", country="NG")
    assert nigeria is not None and nigeria.name == "Fulani Ethnic Militia (Nigeria)"


def test_find_returns_spans_left_to_right(actors: ActorDictionary) -> None:
    text = "Al-Shabaab fighters clashed with Kenyan soldiers near Mandera."
    found = actors.find(text, country="KE")
    assert [text[s:e] for s, e, _ in found] == ["Al-Shabaab fighters", "Kenyan soldiers"]


def test_strip_period() -> None:
    assert strip_period("Police Forces of Kenya (2013-)") == "Police Forces of Kenya"
    assert strip_period("Military Forces of Kenya (2002-2013)") == "Military Forces of Kenya"


def test_lookup_ignores_acled_period(actors: ActorDictionary) -> None:
    entry = actors.lookup("Police Forces of Kenya (2013-)")
    assert entry is not None and entry.inter == 1


def test_extra_json_overrides_and_extends(tmp_path: Path) -> None:
    extra = tmp_path / "mine.json"
    extra.write_text(
        json.dumps(
            {
                "actors": [
                    {"name": "Islamic State", "inter": 2, "aliases": ["Tanzim al-Dawla"]},
                    {"name": "Local Defence Unit", "inter": 3, "country": "ng", "aliases": ["LDU"]},
                ]
            }
        ),
        encoding="utf-8",
    )
    actors = ActorDictionary.load(extra)
    found = actors.match("Tanzim al-Dawla")
    assert found is not None and found.name == "Islamic State"
    ldu = actors.match("the LDU")
    assert ldu is not None and (ldu.name, ldu.inter, ldu.country) == ("Local Defence Unit", 3, "NG")


def test_extra_csv(tmp_path: Path) -> None:
    extra = tmp_path / "mine.csv"
    extra.write_text("name,inter,country,aliases\nKieleweke,3,KE,Kieleweke group|Kieleweke\n")
    actors = ActorDictionary.load(extra)
    found = actors.match("members of the Kieleweke group")
    assert found is not None and found.name == "Kieleweke"


@pytest.mark.parametrize(
    ("content", "suffix"),
    [
        ("not json", ".json"),
        ('[{"name": "X", "inter": 9}]', ".json"),
        ("name,inter\nX,abc\n", ".csv"),
    ],
)
def test_bad_extra_files_raise_config_error(tmp_path: Path, content: str, suffix: str) -> None:
    extra = tmp_path / f"bad{suffix}"
    extra.write_text(content)
    with pytest.raises(ConfigError):
        ActorDictionary.load(extra)


def test_missing_extra_file_raises(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="does not exist"):
        ActorDictionary.load(tmp_path / "nope.json")


def test_matching_a_long_text_finds_every_actor(actors: ActorDictionary) -> None:
    # Speed is measured in bench/, not asserted here.
    text = "Russian forces shelled Kharkiv while Ukrainian troops repelled attacks. " * 200
    found = actors.find(text)
    assert len(found) == 400


_SHARED = ActorDictionary.load()


@given(st.text(max_size=300))
def test_find_spans_point_into_text(text: str) -> None:
    for start, end, actor in _SHARED.find(text):
        assert 0 <= start < end <= len(text)
        assert actor.text == text[start:end]


@pytest.mark.parametrize(
    ("text", "name", "inter"),
    [
        ("county askaris", "Police Forces of Kenya", 1),
        ("Kenya Police Reservists", "Police Forces of Kenya", 1),
        ("a KDF soldier", "Military Forces of Kenya", 1),
        ("cattle rustlers", "Unidentified Communal Militia (Kenya)", 4),
        ("unknown men", "Unidentified Armed Group (Kenya)", 3),
        ("Turkana herders", "Turkana Ethnic Militia (Kenya)", 4),
        ("private security guards", "Private Security Forces (Kenya)", 8),
    ],
)
def test_kenyan_names_in_acled_style(
    actors: ActorDictionary, text: str, name: str, inter: int
) -> None:
    actor = actors.match(text, country="KE")
    assert actor is not None and (actor.name, actor.inter) == (name, inter)


def test_a_countrys_own_alias_beats_a_bare_generic_word(actors: ActorDictionary) -> None:
    # "soldiers" alone is generic; "KDF" says whose soldiers, whatever the article's country.
    actor = actors.match("KDF soldiers", country="SO")
    assert actor is not None and actor.name == "Military Forces of Kenya"


@pytest.mark.parametrize(
    "name",
    [
        "Marsabit Communal Militia (Kenya)",
        "Kabasiran Clan Militia (Kenya)",
        "Kipsigi Ethnic Militia (Kenya)",
    ],
)
def test_acled_group_names_are_not_swallowed_by_generic_aliases(
    actors: ActorDictionary, name: str
) -> None:
    # ACLED names local groups "<place> Communal Militia": no generic alias may claim them.
    actor = actors.match(name, country="KE")
    assert actor is None or not actor.name.startswith("Unidentified")
