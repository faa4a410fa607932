"""resolve_place, country_focus and the geocode stage over a fake gazetteer (fast)."""

from __future__ import annotations

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
from sitrep.stages.geocode import GeocodeStage, country_focus, explain, resolve_place


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
        country={"SY": "Syria", "LB": "Lebanon", "LY": "Libya", "NG": "Nigeria"}.get(cc, cc),
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


@pytest.mark.parametrize(("focus", "iso"), [("LB", "LB"), ("LY", "LY"), (None, "LY")])
def test_ambiguous_name_follows_the_country_focus(
    gazetteer: FakeGazetteer, focus: str | None, iso: str
) -> None:
    result = resolve_place("Tripoli", country=focus, gazetteer=gazetteer)
    assert result.place is not None and result.place.iso == iso
    assert result.candidates == 2


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
