"""Gazetteers: the in-memory fake (fast) and the packaged GeoNames one (slow: ~15 s to load)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from sitrep.adapters.gazetteer.base import Candidate, Gazetteer
from sitrep.adapters.gazetteer.fake import FakeGazetteer
from sitrep.adapters.gazetteer.packaged import PackagedGazetteer


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
    assert fake.candidates("Dayr az Zawr")[0].is_main_name  # the preferred name wins
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


@pytest.fixture(scope="module")
def packaged() -> Iterator[PackagedGazetteer]:
    gazetteer = PackagedGazetteer()
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
