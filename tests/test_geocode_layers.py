"""Geocoding over the layered gazetteer (overlay, GeoNames index) and the CLI (fast: slices)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import pytest
from click.testing import CliRunner

from sitrep.adapters.gazetteer import download as download_module
from sitrep.adapters.gazetteer import packaged as packaged_module
from sitrep.adapters.gazetteer.base import Candidate
from sitrep.adapters.gazetteer.download import DownloadError
from sitrep.adapters.gazetteer.fake import FakeGazetteer
from sitrep.adapters.gazetteer.geonames_sqlite import GeoNamesSqliteGazetteer, import_geonames
from sitrep.adapters.gazetteer.layered import LayeredGazetteer
from sitrep.adapters.gazetteer.overlay import OverlayGazetteer
from sitrep.cli import main
from sitrep.records import Document, GeoReason, Mention, Segment, SegmentKind
from sitrep.settings import Settings
from sitrep.stages.geocode import (
    GeocodeStage,
    build_gazetteer,
    explain,
    explain_geocode,
    resolve_place,
)
from tests.conftest import ROOT
from tests.test_gazetteer_geonames import ALL_SLICES, SLICES, FakeFetcher


@pytest.fixture(scope="module")
def index_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("gn") / "geonames.sqlite"
    import_geonames(ALL_SLICES, path)
    return path


@pytest.fixture(scope="module")
def geonames(index_path: Path) -> GeoNamesSqliteGazetteer:
    return GeoNamesSqliteGazetteer(index_path)


@pytest.fixture(scope="module")
def layered(geonames: GeoNamesSqliteGazetteer) -> LayeredGazetteer:
    return LayeredGazetteer([OverlayGazetteer.from_file(SLICES / "overlay.csv"), geonames])


def test_overlay_area_is_searched_first_with_its_precision(layered: LayeredGazetteer) -> None:
    result = resolve_place(
        "the eastern bank of the Euphrates",
        hints=("Deir ez-Zor countryside",),
        country="SY",
        gazetteer=layered,
    )
    assert result.place is not None
    assert result.place.location == "Eastern bank of the Euphrates"
    assert (result.place.geo_precision, result.reason) == (3, GeoReason.REGION)
    assert result.place.feature == "bank" and result.place.geonameid is None
    assert "overlay" in (result.note or "")


def test_without_overlay_a_river_bank_goes_to_the_hints(geonames: GeoNamesSqliteGazetteer) -> None:
    result = resolve_place(
        "the eastern bank of the Euphrates",
        hints=("Deir ez-Zor countryside",),
        country="SY",
        gazetteer=geonames,
    )
    assert result.place is not None and result.place.feature == "admin1"
    assert result.reason is GeoReason.REGION
    # With nothing else, a river never answers: its GeoNames point is its mouth.
    alone = resolve_place("the Euphrates River", country="SY", gazetteer=geonames)
    assert alone.place is None and alone.reason is GeoReason.NOT_FOUND


def test_overlay_points_and_near(layered: LayeredGazetteer) -> None:
    exact = resolve_place("checkpoint seven", country="SY", gazetteer=layered)
    assert exact.place is not None and exact.place.location == "Checkpoint 7"
    assert (exact.place.geo_precision, exact.reason) == (1, GeoReason.EXACT)
    assert exact.place.admin2 == "Abu Kamal District"
    near = resolve_place("near CP7", country="SY", gazetteer=layered)
    assert near.place is not None and near.place.location == "Checkpoint 7"
    assert (near.place.geo_precision, near.reason) == (2, GeoReason.NEAR)
    hint = resolve_place("the area", hints=("Sousa camp",), country="SY", gazetteer=layered)
    assert hint.place is not None and hint.place.location == "Al-Susah camp"
    assert hint.reason is GeoReason.ENCLOSING and hint.place.geo_precision == 2


def test_a_river_is_never_a_village_of_the_same_name(geonames: GeoNamesSqliteGazetteer) -> None:
    result = resolve_place("the Jordan River", gazetteer=geonames)
    assert result.place is None  # not Jordan, Minnesota
    assert resolve_place("Jordan", gazetteer=geonames).place is not None  # the bare name is


@pytest.mark.parametrize("phrase", ["Lake Assad", "Assad lake", "the Assad lake"])
def test_a_lake_is_a_region_not_a_village(phrase: str, geonames: GeoNamesSqliteGazetteer) -> None:
    result = resolve_place(phrase, country="SY", gazetteer=geonames)
    assert result.place is not None
    assert result.place.location == "Buhayrat al Asad"
    assert (result.place.geo_precision, result.reason, result.place.feature) == (
        3,
        GeoReason.REGION,
        "water",
    )


def test_mountains_are_terrain_not_a_village(geonames: GeoNamesSqliteGazetteer) -> None:
    result = resolve_place("the Bishri mountains", country="SY", gazetteer=geonames)
    assert result.place is not None and result.place.location == "Jabal Bishri"
    assert result.place.feature == "terrain" and result.place.geo_precision == 3
    # The hints come first: a region the text names places the event better.
    hinted = resolve_place(
        "the Bishri mountains", hints=("Raqqa province",), country="SY", gazetteer=geonames
    )
    assert hinted.place is not None and hinted.place.location == "Ar Raqqah"


def test_a_district_is_the_admin2_area(geonames: GeoNamesSqliteGazetteer) -> None:
    district = resolve_place("Abu Kamal district", country="SY", gazetteer=geonames)
    assert district.place is not None and district.place.feature == "admin2"
    assert (district.place.geo_precision, district.reason) == (2, GeoReason.REGION)
    assert district.place.admin2 == "Abu Kamal District"
    town = resolve_place("Abu Kamal", country="SY", gazetteer=geonames)
    assert town.place is not None and town.place.feature == "city"
    assert (town.place.geo_precision, town.place.admin2) == (1, "Abu Kamal District")


def test_villages_get_the_admin_hierarchy(geonames: GeoNamesSqliteGazetteer) -> None:
    result = resolve_place("the village of al-Susah", country="SY", gazetteer=geonames)
    assert result.place is not None and result.reason is GeoReason.EXACT
    assert (result.place.admin1, result.place.admin2, result.place.admin3) == (
        "Deir ez-Zor",
        "Abu Kamal District",
        "Susah Subdistrict",
    )


def test_a_spot_is_a_point(geonames: GeoNamesSqliteGazetteer) -> None:
    result = resolve_place("Tabqa airbase", country="SY", gazetteer=geonames)
    assert result.place is not None and result.place.location == "Tabqa Airbase"
    assert (result.place.feature, result.place.geo_precision) == ("spot", 1)


def _town(name: str, lat: float, lon: float, population: int = 100) -> Candidate:
    return Candidate(
        geonameid=abs(hash((name, lat))) % 10**7,
        name=name,
        latitude=lat,
        longitude=lon,
        country_code="SY",
        country="Syria",
        admin1=None,
        admin2=None,
        feature_class="P",
        feature_code="PPL",
        population=population,
        matched_name=name,
    )


def test_distance_to_other_article_places_breaks_ties() -> None:
    gaz = FakeGazetteer(
        [
            _town("Tall Abyad", 36.0, 40.0, 200),
            _town("Tall Abyad", 33.0, 36.0, 100),
            _town("Kobane", 36.05, 40.2),
        ]
    )
    alone = resolve_place("Tall Abyad", country="SY", gazetteer=gaz)
    assert alone.place is not None and alone.place.latitude == 36.0  # bigger
    near = resolve_place("Tall Abyad", country="SY", places=("Kobane",), gazetteer=gaz)
    assert near.place is not None and near.place.latitude == 36.0
    assert "km from Kobane, which the text names" in (near.note or "")
    gaz2 = FakeGazetteer([*gaz._index["talabiad"], _town("Sasa", 33.1, 36.1)])
    south = resolve_place("Tall Abyad", country="SY", places=("Sasa",), gazetteer=gaz2)
    assert south.place is not None and south.place.latitude == 33.0


def _mention(location: str) -> Mention:
    return Mention(
        document_id="doc1",
        event_type="Battles",
        sub_event_type="Armed clash",
        sentence="Clashes.",
        start=0,
        end=8,
        trigger="clashes",
        location_text=location,
    )


def test_stage_uses_the_articles_other_places() -> None:
    gaz = FakeGazetteer(
        [
            _town("Tall Abyad", 36.0, 40.0, 200),
            _town("Tall Abyad", 33.0, 36.0, 100),
            _town("Sasa", 33.1, 36.1),
        ]
    )
    from sitrep.actors import ActorDictionary

    text = "Clashes\n\nClashes."
    doc = Document(
        id="doc1",
        origin="t",
        text=text,
        headline="Clashes",
        segments=(
            Segment(SegmentKind.HEADLINE, 0, 7, "Clashes"),
            Segment(SegmentKind.BODY, 9, len(text), "Clashes."),
        ),
        mentions=(_mention("Tall Abyad"), _mention("Sasa")),
    )
    out = GeocodeStage(gaz, actors=ActorDictionary.load())([doc])[0]
    assert [e.latitude for e in out.events] == [33.0, 33.1]


def test_explain_lists_features_overlay_and_tiers(layered: LayeredGazetteer) -> None:
    ranked = explain("Sousa camp", gazetteer=layered, country="SY")
    assert ranked[0][0].source == "overlay" and "overlay" in ranked[0][2]
    assert any("phonetic" in why for _, _, why in explain("Sousah", gazetteer=layered))
    report = explain_geocode("Lake Assad", gazetteer=layered, country="sy")
    assert report["country"] == "SY"
    assert report["candidates"][0]["feature"] == "water"
    assert report["result"]["place"]["location"] == "Buhayrat al Asad"
    json.dumps(report)


class _NoPackaged(FakeGazetteer):
    """Stands in for the packaged gazetteer (slow to build) in CLI and settings tests."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__([])

    def load(self) -> None:
        return None


@pytest.fixture
def no_packaged(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(packaged_module, "PackagedGazetteer", _NoPackaged)


@pytest.mark.usefixtures("no_packaged")
def test_from_settings_builds_the_layers(index_path: Path, tmp_path: Path) -> None:
    settings = Settings(
        {
            "geocode.index": str(index_path),
            "geocode.overlay": str(SLICES / "overlay.json"),
            "geocode.cache_dir": str(tmp_path),
        }
    )
    stage = GeocodeStage.from_settings(settings)
    assert (stage.index, stage.overlay) == (index_path, SLICES / "overlay.json")
    stage.setup()
    assert isinstance(stage.gazetteer, LayeredGazetteer)
    sources: Sequence[str] = [type(layer).__name__ for layer in stage.gazetteer.layers]
    assert sources == ["OverlayGazetteer", "GeoNamesSqliteGazetteer", "_NoPackaged"]
    assert isinstance(build_gazetteer(cache_dir=tmp_path), _NoPackaged)  # no layers: packaged


def test_cli_gazetteer_import_and_geocode(
    tmp_path: Path, no_packaged: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    runner = CliRunner()
    index = tmp_path / "idx.sqlite"
    result = runner.invoke(
        main, ["gazetteer", "import", *map(str, ALL_SLICES), "--index", str(index)]
    )
    assert result.exit_code == 0, result.output
    assert "27 features" in result.output and index.is_file()
    config = tmp_path / "sitrep.toml"
    config.write_text(
        f'[geocode]\nindex = "{index}"\noverlay = "{SLICES / "overlay.csv"}"\n'
        f'cache_dir = "{tmp_path}"\n',
        encoding="utf-8",
    )
    shown = runner.invoke(
        main,
        [
            "geocode",
            "Abu Kamal",
            "--country",
            "SY",
            "--hint",
            "Deir ez-Zor",
            "--config",
            str(config),
        ],
    )
    assert shown.exit_code == 0, shown.output
    assert "choice: Abu Kamal" in shown.output and "precision 1" in shown.output
    assert "in Deir ez-Zor, which the text names" in shown.output
    as_json = runner.invoke(main, ["geocode", "CP7", "--json", "--config", str(config)])
    assert json.loads(as_json.output)["result"]["place"]["feature"] == "checkpoint"
    none = runner.invoke(main, ["geocode", "Atlantis", "--config", str(config)])
    assert "choice: none (not_found)" in none.output


def test_cli_gazetteer_download(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(download_module, "UrllibFetcher", FakeFetcher)
    runner = CliRunner()
    result = runner.invoke(main, ["gazetteer", "download", "SY", "--dest", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "SY.zip").is_file() and (tmp_path / "admin2Codes.txt").is_file()

    class Failing(FakeFetcher):
        def __init__(self) -> None:
            super().__init__(
                {f"{download_module.BASE_URL}SY.zip": DownloadError("503", retry=True)}
            )

    monkeypatch.setattr(download_module, "UrllibFetcher", Failing)
    assert (
        runner.invoke(main, ["gazetteer", "download", "SY", "--dest", str(tmp_path)]).exit_code
        == 75
    )
    assert runner.invoke(main, ["gazetteer", "download", "Syria"]).exit_code == 2


def test_gazetteer_subcommands_are_documented() -> None:
    import click

    reference = (ROOT / "docs" / "reference.md").read_text(encoding="utf-8")
    group = main.commands["gazetteer"]
    assert isinstance(group, click.Group)
    for name, command in group.commands.items():
        assert f"`sitrep gazetteer {name}" in reference
        for param in command.params:
            if isinstance(param, click.Option):
                assert all(o in reference for o in param.opts if o.startswith("--"))
    assert (ROOT / "docs" / "geocoding.md").is_file()
