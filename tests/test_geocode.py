"""resolve_place, country_focus and the geocode stage over a fake gazetteer (fast)."""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

import pytest

from sitrep.adapters.gazetteer.base import Candidate
from sitrep.adapters.gazetteer.fake import FakeGazetteer
from sitrep.records import (
    Document,
    DocumentStatus,
    GeoReason,
    Mention,
    Segment,
    SegmentKind,
)
from sitrep.stages.geocode import (
    GeocodeStage,
    country_focus,
    explain,
    recountry_actors,
    resolve_place,
)


def _cand(
    name: str,
    cc: str,
    lat: float,
    lon: float,
    *,
    code: str = "PPL",
    admin1: str | None = None,
    population: int = 1000,
    matched: str | None = None,
) -> Candidate:
    return Candidate(
        geonameid=abs(hash((name, cc, code))) % 10**7,
        name=name,
        latitude=lat,
        longitude=lon,
        country_code=cc,
        country={"SY": "Syria", "LB": "Lebanon", "LY": "Libya", "NG": "Nigeria", "ML": "Mali"}.get(
            cc, cc
        ),
        admin1=admin1,
        admin2=None,
        feature_class="P" if code == "PPL" else "A",
        feature_code=code,
        population=population,
        matched_name=matched or name,
    )


@pytest.fixture
def gazetteer() -> FakeGazetteer:
    return FakeGazetteer(
        [
            _cand("Deir ez-Zor", "SY", 35.33, 40.14, admin1="Deir ez-Zor", population=271800),
            _cand("Deir ez-Zor", "SY", 35.10, 40.37, code="ADM1", admin1="Deir ez-Zor"),
            _cand("Ālbū Kamāl", "SY", 34.45, 40.92, admin1="Deir ez-Zor", population=57572),
            _cand("Ālbū Kamāl", "SY", 34.45, 40.92, admin1="Deir ez-Zor", matched="Abu Kamal"),
            _cand("Aleppo", "SY", 36.20, 37.16, admin1="Aleppo", population=1_600_000),
            _cand("Tripoli", "LY", 32.89, 13.19, admin1="Tripoli", population=1_300_000),
            _cand("Tripoli", "LB", 34.43, 35.84, admin1="Liban-Nord", population=229_398),
            _cand("Maiduguri", "NG", 11.85, 13.16, admin1="Borno", population=1_110_000),
            _cand("Syria", "SY", 33.51, 36.29, code="PCLI", population=22_000_000),
            _cand("Lebanon", "LB", 33.89, 35.50, code="PCLI", population=6_000_000),
            _cand("United States", "US", 38.9, -77.0, code="PCLI", matched="US"),
        ]
    )


def test_named_place_is_exact(gazetteer: FakeGazetteer) -> None:
    result = resolve_place("the town of Abu Kamal", gazetteer=gazetteer)
    assert result.reason is GeoReason.EXACT
    assert result.place is not None
    assert (result.place.location, result.place.iso, result.place.geo_precision) == (
        "Ālbū Kamāl",
        "SY",
        1,
    )
    assert (result.place.country, result.place.admin1) == ("Syria", "Deir ez-Zor")


def test_near_a_place_is_precision_two(gazetteer: FakeGazetteer) -> None:
    result = resolve_place("the outskirts of Aleppo", gazetteer=gazetteer)
    assert result.reason is GeoReason.NEAR
    assert result.place is not None and result.place.geo_precision == 2


def test_unknown_village_falls_back_to_the_named_countryside(gazetteer: FakeGazetteer) -> None:
    result = resolve_place(
        "the town of al-Baghuz",
        hints=("southeastern Deir Ezzor countryside", "Syria"),
        country="SY",
        gazetteer=gazetteer,
    )
    assert result.reason is GeoReason.REGION
    assert result.place is not None
    assert (result.place.location, result.place.feature, result.place.geo_precision) == (
        "Deir ez-Zor",
        "admin1",
        3,
    )
    assert result.query == "the town of al-Baghuz"


def test_unknown_village_in_a_named_town_is_enclosing(gazetteer: FakeGazetteer) -> None:
    result = resolve_place("Kawuri", hints=("Maiduguri",), gazetteer=gazetteer)
    assert result.reason is GeoReason.ENCLOSING
    assert result.place is not None
    assert (result.place.location, result.place.geo_precision) == ("Maiduguri", 2)


def test_country_only(gazetteer: FakeGazetteer) -> None:
    result = resolve_place("an unnamed village", hints=("Syria",), gazetteer=gazetteer)
    assert result.reason is GeoReason.COUNTRY
    assert result.place is not None
    assert (result.place.iso, result.place.geo_precision, result.place.feature) == (
        "SY",
        3,
        "country",
    )


def test_abstains_rather_than_guessing(gazetteer: FakeGazetteer) -> None:
    nothing = resolve_place("Xyzzyville", hints=("Plughshire",), gazetteer=gazetteer)
    assert nothing.reason is GeoReason.NOT_FOUND and nothing.place is None
    empty = resolve_place(None, gazetteer=gazetteer)
    assert empty.reason is GeoReason.NO_LOCATION and empty.place is None
    assert resolve_place("  ", hints=(), gazetteer=gazetteer).reason is GeoReason.NO_LOCATION


@pytest.mark.parametrize(
    ("focus", "iso", "candidates"), [("LB", "LB", 2), ("LY", "LY", 2), (None, "LY", 2)]
)
def test_ambiguous_name_follows_the_country_focus(
    gazetteer: FakeGazetteer, focus: str | None, iso: str, candidates: int
) -> None:
    result = resolve_place("Tripoli", country=focus, gazetteer=gazetteer)
    assert result.place is not None and result.place.iso == iso
    assert result.candidates == candidates


def test_admin1_hint_disambiguates(gazetteer: FakeGazetteer) -> None:
    result = resolve_place("Tripoli", hints=("North Lebanon", "Lebanon"), gazetteer=gazetteer)
    assert result.place is not None and result.place.iso == "LB"


def test_explain_ranks_with_reasons(gazetteer: FakeGazetteer) -> None:
    ranked = explain("Tripoli", country="LB", gazetteer=gazetteer)
    assert [c.country_code for c, _, _ in ranked] == ["LB", "LY"]
    assert ranked[0][1] > ranked[1][1]
    assert "article's country" in ranked[0][2]


def _document(headline: str, body: str, mentions: tuple[Mention, ...] = ()) -> Document:
    text = f"{headline}\n\n{body}"
    start = len(headline) + 2
    return Document(
        id="doc1",
        origin="test",
        text=text,
        headline=headline,
        segments=(
            Segment(SegmentKind.HEADLINE, 0, len(headline), headline),
            Segment(SegmentKind.BODY, start, len(text), body),
        ),
        mentions=mentions,
    )


def test_country_focus_counts_names_demonyms_and_places(gazetteer: FakeGazetteer) -> None:
    doc = _document(
        "US-led Coalition Bombs Positions In Deir Ezzor",
        "US-backed forces advanced, according to the Syrian Observatory. The US-led "
        "coalition struck near Abu Kamal.",
    )
    assert country_focus(doc, gazetteer) == "SY"
    assert (
        country_focus(_document("Talks in Lebanon", "Lebanese officials met."), gazetteer) == "LB"
    )
    assert country_focus(_document("Weather", "It rained."), gazetteer) is None


def _mention(location: str | None, hints: tuple[str, ...] = ()) -> Mention:
    return Mention(
        document_id="doc1",
        event_type="Explosions/Remote violence",
        sub_event_type="Air/drone strike",
        sentence="Warplanes struck.",
        start=0,
        end=17,
        trigger="struck",
        location_text=location,
        location_hints=hints,
    )


def test_stage_geocodes_pending_documents(gazetteer: FakeGazetteer) -> None:
    stage = GeocodeStage(gazetteer)
    assert (stage.name, stage.requires, stage.produces) == ("geocode", ("mentions",), ("events",))
    stage.setup()
    doc = _document(
        "Strikes in Syria",
        "Warplanes struck.",
        (_mention("Tripoli"), _mention("al-Baghuz", ("Deir Ezzor countryside",)), _mention(None)),
    )
    skipped = _document("x", "y", (_mention("Tripoli"),))
    skipped = Document(**{**skipped.__dict__, "status": DocumentStatus.NO_BODY})
    out = stage([doc, skipped])
    assert len(out) == 2 and out[1] is skipped
    events = out[0].events
    assert [e.iso for e in events] == ["LY", "SY", None]
    assert [e.geo_precision for e in events] == [1, 3, None]
    assert [e.geo_reason for e in events] == [
        GeoReason.EXACT,
        GeoReason.REGION,
        GeoReason.NO_LOCATION,
    ]
    assert events[1].location == "Deir ez-Zor" and events[1].admin1 == "Deir ez-Zor"


# -- the country focus, key tiers and hints (decision 0003) -----------------------------------


@pytest.fixture
def world() -> FakeGazetteer:
    """Namesakes in several countries, and areas of a focus country without the small place."""
    return FakeGazetteer(
        [
            _cand("Kona", "US", 19.6, -155.9, admin1="Hawaii", population=40_000),
            _cand("Kona", "JP", 35.0, 137.0, admin1="Gifu", population=90_000),
            _cand("Mopti", "ML", 14.5, -4.2, code="ADM1", admin1="Mopti", population=2_000_000),
            _cand("Mopti", "ML", 14.49, -4.19, admin1="Mopti", population=120_000),
            _cand("Sevare", "ML", 14.53, -4.1, admin1="Mopti", population=30_000),
            _cand("Mali", "ML", 12.65, -8.0, code="PCLI", population=20_000_000),
            _cand("United States", "US", 38.9, -77.0, code="PCLI", population=330_000_000),
            _cand("Ontario", "CA", 50.0, -85.0, code="ADM1", admin1="Ontario", population=10**7),
            _cand("Lagos", "NG", 6.45, 3.39, admin1="Lagos", population=9_000_000),
            _cand("Kanni", "IN", 10.0, 77.0, admin1="Kerala", population=5_000),
            _cand("Kerala", "IN", 10.5, 76.5, code="ADM1", admin1="Kerala", population=10**7),
            _cand("Cannes", "FR", 43.55, 7.01, admin1="PACA", population=74_000),
            _cand("Kani", "CI", 8.48, -6.6, admin1="Woroba", population=11_000),
            _cand("Kanie", "CI", 8.0, -6.0, admin1="Woroba", population=50_000),
            _cand("North Horr", "KE", 3.32, 37.07, admin1="Marsabit", population=5_000),
            _cand("Horr", "IR", 31.0, 48.0, admin1="Khuzestan", population=9_000),
            _cand("Mandera", "KE", 3.94, 41.86, admin1="Mandera", population=114_718),
            _cand("Moi", "NO", 58.46, 6.55, admin1="Rogaland", population=1_926),
            _cand("Nairobi", "KE", -1.28, 36.82, admin1="Nairobi", population=2_750_000),
            _cand("Pangani", "TZ", -5.43, 38.98, admin1="Tanga", population=8_343),
        ]
    )


def test_namesake_abroad_loses_to_the_focus_countrys_region(world: FakeGazetteer) -> None:
    # An unknown village in a region the article names: the region, never a namesake abroad.
    result = resolve_place(
        "the village of Kona", hints=("Mopti region", "Mali"), country="ML", gazetteer=world
    )
    assert result.reason is GeoReason.REGION
    assert result.place is not None
    assert (result.place.iso, result.place.feature, result.place.geo_precision) == (
        "ML",
        "admin1",
        3,
    )


def test_place_abroad_needs_its_country_named(world: FakeGazetteer) -> None:
    hints = ("Mopti region", "United States")
    result = resolve_place("Kona", hints=hints, country="ML", gazetteer=world)
    assert result.place is not None and result.place.iso == "US"
    # A city of millions abroad is a strong enough signal on its own.
    lagos = resolve_place("Lagos", hints=("Mopti region",), country="ML", gazetteer=world)
    assert lagos.place is not None and lagos.place.iso == "NG"


def test_region_abroad_is_never_a_fallback(world: FakeGazetteer) -> None:
    result = resolve_place("Smallville", hints=("Ontario",), country="US", gazetteer=world)
    assert result.place is None and result.reason is GeoReason.NOT_FOUND


def test_unanchored_focus_still_allows_a_preferred_name_abroad(world: FakeGazetteer) -> None:
    # Nothing in the text is placed inside the focus country: the focus may be wrong.
    result = resolve_place("Kona", country="ML", gazetteer=world)
    assert result.place is not None and result.place.iso in {"US", "JP"}


def test_light_key_beats_phonetic_and_note_says_which(world: FakeGazetteer) -> None:
    result = resolve_place("Kani", country="CI", gazetteer=world)
    assert result.place is not None and result.place.location == "Kani"
    assert result.note is not None and "light key" in result.note


def test_phonetic_key_only_within_the_focus_country(world: FakeGazetteer) -> None:
    # "Kanni" sounds like "Kani": accepted in India only when the article is about India.
    inside = resolve_place("Kani", hints=("Kerala",), country="IN", gazetteer=world)
    assert inside.place is not None and inside.place.location == "Kanni"
    assert inside.note is not None and "phonetic key" in inside.note
    assert resolve_place("Cane", country="ML", gazetteer=world).place is None
    # Sound-alikes abroad (Kani, Kanie, Kanni, Cannes) lose to the region the text names.
    abroad = resolve_place("Kanne", hints=("Mopti region",), country="ML", gazetteer=world)
    assert abroad.reason is GeoReason.REGION
    assert abroad.place is not None and abroad.place.iso == "ML"


@pytest.mark.parametrize("phrase", ["the area", "the Niger River", "the eastern bank of the river"])
def test_no_place_of_its_own_inherits_the_articles_place(world: FakeGazetteer, phrase: str) -> None:
    # The country comes first in the hints, but a town the article named beats it.
    result = resolve_place(phrase, hints=("Mali", "Sevare", "Mopti region"), gazetteer=world)
    assert result.reason is GeoReason.ENCLOSING
    assert result.place is not None and result.place.location == "Sevare"


def test_unknown_named_place_prefers_the_region_to_another_town(world: FakeGazetteer) -> None:
    hints = ("Mali", "Sevare", "Mopti region")
    result = resolve_place("Dialloube township", hints=hints, country="ML", gazetteer=world)
    assert result.reason is GeoReason.REGION
    assert result.place is not None and result.place.feature == "admin1"


def test_country_fallback_prefers_the_focus_country(world: FakeGazetteer) -> None:
    result = resolve_place("Xyz", hints=("United States", "Mali"), country="ML", gazetteer=world)
    assert result.reason is GeoReason.COUNTRY
    assert result.place is not None and result.place.iso == "ML"


def test_sound_alikes_do_not_vote_for_the_country_focus(world: FakeGazetteer) -> None:
    doc = _document("Fighting", "Clashes were reported.", (_mention("Cane"), _mention("Kona")))
    assert country_focus(doc, world) in {"US", "JP"}  # "Kona" is spelled as written
    only_sound = _document("Fighting", "Clashes.", (_mention("Kanne"),))
    assert country_focus(only_sound, world) is None


# -- generic local actors take the place's country --------------------------------------------


def test_stage_recountries_generic_local_actors(world: FakeGazetteer) -> None:
    from sitrep.actors import ActorDictionary

    actors = ActorDictionary.load()
    military = actors.generic("Military Forces of {country}", text="Russian forces", country="RU")
    civilians = actors.generic("Civilians ({country})", text="civilians", country="RU")
    police = actors.generic("Police Forces of {country}", text="police", country="FR")
    mention = replace(
        _mention("Mopti", ("Mali",)), actor1=military, actor2=civilians, assoc_actor_2=(police,)
    )
    stage = GeocodeStage(world, actors=actors)
    event = stage([_document("Strike in Mali", "A strike.", (mention,))])[0].events[0]
    assert event.iso == "ML"
    assert event.actor1 == military.name  # armed forces may operate abroad
    assert event.actor2 == "Civilians (Mali)"
    assert event.assoc_actor_2 == "Police Forces of Mali"


def test_recountry_leaves_unplaced_and_same_country_mentions(world: FakeGazetteer) -> None:
    from sitrep.actors import ActorDictionary

    actors = ActorDictionary.load()
    civilians = actors.generic("Civilians ({country})", text="civilians", country="ML")
    mention = replace(_mention("Mopti"), actor2=civilians)
    assert recountry_actors(mention, None, actors) is mention
    placed = resolve_place("Mopti", country="ML", gazetteer=world).place
    assert recountry_actors(mention, placed, actors) is mention


def test_stage_from_settings_resolves_the_cache_dir(tmp_path: Path) -> None:
    from sitrep.settings import Settings

    stage = GeocodeStage.from_settings(
        Settings({"geocode.cache_dir": "", "geocode.min_population": 15000}),
        environ={"XDG_CACHE_HOME": str(tmp_path)},
    )
    assert stage.min_population == 15000
    if sys.platform not in {"win32", "darwin"}:
        assert stage.cache_dir == tmp_path / "sitrep"
    explicit = GeocodeStage.from_settings(Settings({"geocode.cache_dir": str(tmp_path)}))
    assert explicit.cache_dir == tmp_path


def test_no_focus_never_takes_a_sound_alike(world: FakeGazetteer) -> None:
    # No country and no known place in the text: "Kanne" is no town anywhere, so abstain
    # rather than pick Cannes, Kani or Kanie; a name spelled as written still answers.
    assert resolve_place("Kanne", gazetteer=world).place is None
    spelled = resolve_place("Cannes", gazetteer=world)
    assert spelled.place is not None and spelled.place.iso == "FR"


def test_an_admin_area_outvotes_a_namesake_town_for_the_focus(world: FakeGazetteer) -> None:
    # "Kona (Mopti)": Mopti is a region of Mali, Kona a town in Japan and the US; the area
    # says more about where the story is than a town's namesakes abroad.
    doc = replace(
        _document("Clash", "Gunmen attacked Kona (Mopti)."),
        mentions=(_mention("Kona", ("Mopti",)),),
    )
    assert country_focus(doc, world) == "ML"


def test_naming_the_focus_country_anchors_the_article(world: FakeGazetteer) -> None:
    # "Kona, Mali": the text names the focus country, so a namesake abroad is not meant.
    result = resolve_place("Kona", hints=("Mali",), country="ML", gazetteer=world)
    assert result.place is not None and result.place.iso == "ML"


def test_a_settlement_is_never_the_admin_area_of_its_name(world: FakeGazetteer) -> None:
    # "Kerala village": a village called Kerala, not the state of Kerala (nor its centroid).
    result = resolve_place("Kerala village", country="IN", gazetteer=world)
    assert result.place is None or result.place.feature != "admin1"
    assert resolve_place("Kerala", country="IN", gazetteer=world).place is not None


def test_a_sentence_with_no_place_takes_the_articles_place(world: FakeGazetteer) -> None:
    from types import SimpleNamespace

    def ent(text: str, label: str) -> SimpleNamespace:
        return SimpleNamespace(text=text, label_=label)

    # "Gunmen shot two herders. The attack happened in Sevare, Mali.": the event sentence
    # names nothing; the article's town, not its country, is the event's place.
    parsed = SimpleNamespace(ents=[ent("Mali", "GPE"), ent("Sevare", "GPE")])
    doc = replace(
        _document("Attack", "Gunmen shot two herders. The attack happened in Sevare, Mali."),
        mentions=(_mention(None),),
    )
    doc = replace(doc, nlp_doc=((doc.segments[1], parsed),))
    event = GeocodeStage(world)([doc])[0].events[0]
    assert event.location == "Sevare" and event.iso == "ML"
    assert event.geo_reason is GeoReason.EXACT


def test_a_demonym_counts_less_than_a_place_for_the_focus(world: FakeGazetteer) -> None:
    # "Residents of Kona protested against a Malian company": the story is where Kona is,
    # not in Mali, where the company comes from.
    doc = replace(
        _document("Protest", "Residents of Kona protested against a Malian company."),
        mentions=(_mention("Kona"),),
    )
    assert country_focus(doc, world) in {"US", "JP"}


def test_a_force_with_no_country_takes_the_places(world: FakeGazetteer) -> None:
    from sitrep.actors import ActorDictionary

    actors = ActorDictionary.load()
    # "Soldiers opened fire in Mopti": no country named anywhere but the place's.
    soldiers = actors.generic("Military Forces of {country}", text="soldiers", country=None)
    assert soldiers.country is None
    mention = replace(_mention("Mopti"), actor1=soldiers)
    placed = resolve_place("Mopti", country="ML", gazetteer=world).place
    assert recountry_actors(mention, placed, actors).actor1 == actors.generic(
        "Military Forces of {country}", text="soldiers", country="ML"
    )


def test_a_joined_article_is_split_when_the_joined_name_is_unknown() -> None:
    gaz = FakeGazetteer([_cand("El Wak", "KE", 2.81, 40.93, population=60_000)])
    result = resolve_place("Elwak", country="KE", gazetteer=gaz)
    assert result.place is not None and result.place.location == "El Wak"
    # A name that exists as written is never split ("Eldoret" is not "El Doret").
    gaz = FakeGazetteer(
        [
            _cand("Eldoret", "KE", 0.52, 35.27, population=475_000),
            _cand("El Doret", "KE", 3.0, 38.0, population=500),
        ]
    )
    found = resolve_place("Eldoret", country="KE", gazetteer=gaz)
    assert found.place is not None and found.place.location == "Eldoret"


def test_a_page_address_gives_the_country_when_the_text_names_none(world: FakeGazetteer) -> None:
    from sitrep.stages.geocode import url_country

    assert url_country("https://www.nation.example.ml/news/1", world) == "ML"
    assert url_country("https://news.example.com/x", world) is None
    assert url_country("https://startup.io/x", world) is None  # .io is sold to anyone
    assert url_country("not a url", world) is None
    # "Gunmen attacked Kona": Kona is in Japan and the US; a Malian outlet's page says Mali
    # focus, so a namesake abroad needs its country named and the event stays unplaced
    # rather than going to Hawaii.
    doc = replace(
        _document("Attack", "Gunmen attacked Kona."),
        mentions=(_mention("Kona", ("Mopti",)),),
        url="https://journal.example.ml/a",
    )
    event = GeocodeStage(world)([doc])[0].events[0]
    assert event.iso == "ML"


def test_the_feeds_country_is_the_last_resort() -> None:
    gaz = FakeGazetteer(
        [
            _cand("Kanni", "IN", 10.0, 77.0, admin1="Kerala", population=5_000),
            _cand("Kani", "CI", 8.48, -6.6, admin1="Woroba", population=11_000),
            _cand("India", "IN", 28.6, 77.2, code="PCLI", population=10**9),
        ]
    )
    doc = replace(_document("Attack", "Gunmen attacked Kanny."), mentions=(_mention("Kanny"),))
    # "Kanny" is nobody's spelling: with nothing saying where, no sound-alike answers; told
    # the feed is Indian, the sound-alike inside India does.
    assert GeocodeStage(gaz)([doc])[0].events[0].iso is None
    assert GeocodeStage(gaz, country="in")([doc])[0].events[0].location == "Kanni"


def test_an_unknown_feed_country_is_a_config_error(world: FakeGazetteer) -> None:
    from sitrep.errors import ConfigError

    with pytest.raises(ConfigError, match=r"geocode\.country 'XQ'"):
        GeocodeStage(world, country="XQ").setup()


def test_a_region_is_placed_at_its_capital_when_the_capital_bears_its_name(
    world: FakeGazetteer,
) -> None:
    # ACLED codes a province-level event at the provincial capital (precision 3).
    mopti = resolve_place("Mopti region", country="ML", gazetteer=world)
    assert mopti.reason is GeoReason.REGION and mopti.place is not None
    assert (mopti.place.latitude, mopti.place.longitude, mopti.place.geo_precision) == (
        14.49,
        -4.19,
        3,
    )
    assert mopti.note is not None and "capital Mopti" in mopti.note
    # No town named after Kerala: the area keeps its own point.
    kerala = resolve_place("Kerala state", country="IN", gazetteer=world)
    assert kerala.place is not None and (kerala.place.latitude, kerala.place.longitude) == (
        10.5,
        76.5,
    )


def test_a_demonym_is_no_place() -> None:
    # "Malian shelling hit Sevare": the tagger may call "Malian" a place, and a village may
    # bear that name; it is a people, and the sentence's town answers.
    gaz = FakeGazetteer(
        [
            _cand("Malian", "ML", 12.0, -5.0, population=800),
            _cand("Sevare", "ML", 14.53, -4.1, population=30_000),
            _cand("Mali", "ML", 12.65, -8.0, code="PCLI", population=20_000_000),
        ]
    )
    result = resolve_place("Malian", hints=("Sevare",), country="ML", gazetteer=gaz)
    assert result.place is not None and result.place.location == "Sevare"


def test_a_region_named_with_its_feature_word_finds_its_capital() -> None:
    gaz = FakeGazetteer(
        [
            _cand("Belgorod Oblast", "RU", 50.7, 37.4, code="ADM1", admin1="Belgorod Oblast"),
            _cand("Belgorod", "RU", 50.60, 36.58, admin1="Belgorod Oblast", population=345_000),
            _cand("Russia", "RU", 55.75, 37.62, code="PCLI", population=10**8),
        ]
    )
    result = resolve_place("Belgorod Oblast", country="RU", gazetteer=gaz)
    assert result.reason is GeoReason.REGION and result.place is not None
    assert (result.place.latitude, result.place.longitude, result.place.geo_precision) == (
        50.60,
        36.58,
        3,
    )


# -- a named place the gazetteer lacks (decision 0003) -----------------------------------------


def test_an_unknown_named_place_is_named_without_a_point(world: FakeGazetteer) -> None:
    result = resolve_place("the village of Xyzzy", country="ML", gazetteer=world, unplaced=True)
    assert result.reason is GeoReason.NOT_FOUND
    assert result.place is not None
    assert (result.place.location, result.place.iso, result.place.country) == (
        "Xyzzy",
        "ML",
        "Mali",
    )
    assert (result.place.latitude, result.place.longitude, result.place.geo_precision) == (
        None,
        None,
        None,
    )
    # A guess (a person or group the tagger saw) is never shown as a place.
    guess = resolve_place("Xyzzy", country="ML", gazetteer=world)
    assert guess.place is None and guess.reason is GeoReason.NOT_FOUND


def test_an_enclosing_region_still_beats_the_bare_name(world: FakeGazetteer) -> None:
    hints = ("Mopti region", "Mali")
    result = resolve_place("Xyzzy", hints=hints, country="ML", gazetteer=world, unplaced=True)
    assert result.reason is GeoReason.REGION and result.place is not None
    assert result.place.latitude is not None


def test_an_unplaced_name_known_abroad_falls_back_to_the_named_country(
    world: FakeGazetteer,
) -> None:
    # "Kanni in Mali" when the gazetteer knows only India's Kanni: perhaps a misreading, so
    # the country the text names answers, as for any unknown place.
    hints = ("Mali",)
    result = resolve_place("Kanni", hints=hints, country="ML", gazetteer=world, unplaced=True)
    assert result.reason is GeoReason.COUNTRY
    assert result.place is not None and result.place.iso == "ML"


def test_a_country_or_demonym_is_never_an_unplaced_town(world: FakeGazetteer) -> None:
    result = resolve_place("Malian", hints=("Mali",), gazetteer=world, unplaced=True)
    assert result.reason is GeoReason.COUNTRY
    assert result.place is not None and result.place.location != "Malian"


def test_stage_names_an_unplaced_mention_and_its_local_actors(world: FakeGazetteer) -> None:
    from sitrep.actors import ActorDictionary

    actors = ActorDictionary.load()
    protesters = actors.generic("Protesters ({country})", text="residents", country=None)
    mention = replace(_mention("Xyzzy", ("Mali",)), actor1=protesters, location_named=True)
    stage = GeocodeStage(world, actors=actors)
    event = stage([_document("Protest", "Residents of Xyzzy protested.", (mention,))])[0].events[0]
    assert (event.location, event.iso, event.latitude) == ("Xyzzy", "ML", None)
    assert event.geo_reason is GeoReason.NOT_FOUND
    assert event.actor1 == "Protesters (Mali)"


def test_a_unique_sizeable_town_answers_outside_the_focus() -> None:
    # "A US strike near Kismayo": the article is anchored in the US, but no other place bears
    # the name, so the town is the one meant; a small town or a shared name still needs its
    # country named.
    gazetteer = FakeGazetteer(
        [
            _cand("United States", "US", 38.9, -77.0, code="PCLI", population=330_000_000),
            _cand("Kismayo", "SO", -0.36, 42.55, population=234_852),
            _cand("Jilib", "SO", 0.49, 42.77, population=50_000),
            _cand("Marka", "SO", 1.71, 44.77, population=230_000),
            _cand("Marka", "ML", 14.0, -4.0, population=2_000),
        ]
    )
    hints = ("United States",)

    def iso(name: str) -> str | None:
        result = resolve_place(name, hints=hints, country="US", gazetteer=gazetteer)
        return result.place.iso if result.place is not None else None

    assert iso("Kismayo") == "SO"
    assert iso("Jilib") == "US"  # small: the country the text names, as before
    assert iso("Marka") == "US"  # a namesake elsewhere: as before


# -- alternate names with no focus, a place its areas contradict (2026-12-08) -----------------


@pytest.fixture
def namesakes() -> FakeGazetteer:
    """A small village abroad listed under another village's name, and a big town's exonym."""
    return FakeGazetteer(
        [
            _cand("Vilnova", "RO", 44.4, 25.8, admin1="Giurgiu", population=2_000, matched="Tarka"),
            _cand("Kobani", "SY", 36.89, 38.35, admin1="Aleppo", population=45_000),
            _cand("Kobani", "SY", 36.89, 38.35, admin1="Aleppo", population=45_000, matched="Ayn"),
            _cand("Clacton-on-Sea", "GB", 51.79, 1.15, population=50_000, matched="Clacton"),
            _cand("Marsa", "TZ", -5.4, 38.9, admin1="Tanga", population=8_000),
            _cand("Nyeru", "KE", -1.28, 36.82, admin1="Nyeru", population=4_000_000),
            _cand(
                "Nyeru Area",
                "KE",
                -1.28,
                36.82,
                code="ADM1",
                admin1="Nyeru Area",
                population=4_000_000,
                matched="Nyeru",
            ),
        ]
    )


def test_no_focus_never_takes_a_villages_alternate_name(namesakes: FakeGazetteer) -> None:
    # "Tarka" is one of the names GeoNames lists for a Romanian village: with nothing in the
    # text saying which country, that is no evidence; the name stays unplaced.
    assert resolve_place("Tarka", gazetteer=namesakes).place is None
    # A town is known by its other names, and a short form of a name is that name.
    ayn = resolve_place("Ayn", gazetteer=namesakes)
    assert ayn.place is not None and ayn.place.location == "Kobani"
    clacton = resolve_place("Clacton", gazetteer=namesakes)
    assert clacton.place is not None and clacton.place.iso == "GB"


def test_the_areas_around_a_place_overrule_its_namesake_abroad(namesakes: FakeGazetteer) -> None:
    # "Marsa (Nyeru)": Nyeru is a city of Kenya (and its region); Tanzania's Marsa is not meant.
    result = resolve_place("Marsa", hints=("Nyeru",), gazetteer=namesakes)
    assert result.place is not None and result.place.iso == "KE"
    alone = resolve_place("Marsa", gazetteer=namesakes)
    assert alone.place is not None and alone.place.iso == "TZ"


def test_a_big_town_outvotes_a_villages_namesake_for_the_focus(namesakes: FakeGazetteer) -> None:
    doc = replace(
        _document("Shooting", "Police shot two men in Marsa (Nyeru)."),
        mentions=(_mention("Marsa", ("Nyeru",)),),
    )
    assert country_focus(doc, namesakes) == "KE"


def test_a_direction_word_that_is_part_of_the_name_is_kept(world: FakeGazetteer) -> None:
    # "the town of North Horr" strips to "Horr", an Iranian village; the whole name is a
    # Kenyan town, tried first. A direction word that names no place still falls away.
    town = resolve_place("the town of North Horr", gazetteer=world)
    assert town.place is not None and (town.place.iso, town.place.location) == (
        "KE",
        "North Horr",
    )
    north = resolve_place("northern Mopti region", country="ML", gazetteer=world)
    assert north.place is not None and north.place.feature == "admin1"


def test_a_namesake_abroad_moves_a_village_but_not_a_bigger_town(world: FakeGazetteer) -> None:
    # "Pangani (Nairobi)": the areas around put a village in Kenya, not Tanzania. "in
    # Mandera ... at Moi stadium": a village of 2,000 in Norway does not move the town.
    town = resolve_place("Mandera", hints=("Moi",), gazetteer=world)
    assert town.place is not None and town.place.iso == "KE"
    village = resolve_place("Pangani", hints=("Nairobi",), gazetteer=world)
    assert village.place is not None and village.place.iso == "KE"
