"""GeoNames SQLite index, overlay, layered gazetteer and download, on small slices (fast)."""

from __future__ import annotations

import json
import sqlite3
import urllib.error
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sitrep.adapters.gazetteer import download as download_module
from sitrep.adapters.gazetteer.base import Candidate, Gazetteer
from sitrep.adapters.gazetteer.download import (
    BASE_URL,
    DownloadError,
    UrllibFetcher,
    download_geonames,
    download_urls,
)
from sitrep.adapters.gazetteer.fake import FakeGazetteer
from sitrep.adapters.gazetteer.geonames_sqlite import (
    GeoNamesSqliteGazetteer,
    _kind_of,
    import_geonames,
)
from sitrep.adapters.gazetteer.layered import LayeredGazetteer
from sitrep.adapters.gazetteer.overlay import OverlayGazetteer, parse_entry, read_overlay
from sitrep.errors import ConfigError, InputError
from tests.conftest import ROOT

SLICES = ROOT / "tests" / "data" / "geonames"
ALL_SLICES = [
    SLICES / name
    for name in (
        "SY.txt",
        "UA.txt",
        "US.txt",
        "alternateNamesV2.txt",
        "admin1CodesASCII.txt",
        "admin2Codes.txt",
    )
]


@pytest.fixture(scope="module")
def index_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("gn") / "geonames.sqlite"
    import_geonames(ALL_SLICES, path)
    return path


@pytest.fixture(scope="module")
def geonames(index_path: Path) -> GeoNamesSqliteGazetteer:
    return GeoNamesSqliteGazetteer(index_path)


def test_import_reports_what_it_read(tmp_path: Path) -> None:
    report = import_geonames(ALL_SLICES, tmp_path / "g.sqlite")
    assert report.features == 27  # 19 SY + 6 UA + 2 US; the broken line is skipped
    assert report.skipped_lines == 1
    assert report.admin_codes == 12
    assert [f.split(" ")[1] for f in report.files] == [
        "(features)",
        "(features)",
        "(features)",
        "(alternates)",
        "(admin1)",
        "(admin2)",
    ]
    assert report.bytes == (tmp_path / "g.sqlite").stat().st_size
    assert not list(tmp_path.glob("*.tmp"))


def test_import_keeps_only_the_classes_asked(tmp_path: Path) -> None:
    report = import_geonames([SLICES / "SY.txt"], tmp_path / "p.sqlite", classes="P")
    gaz = GeoNamesSqliteGazetteer(tmp_path / "p.sqlite")
    assert report.features == 9
    assert gaz.features("Lake Assad") == []
    assert gaz.admin_areas("Deir ez-Zor") == []


def test_import_reads_zip_files_as_geonames_ships_them(tmp_path: Path) -> None:
    archive = tmp_path / "SY.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.write(SLICES / "SY.txt", "SY.txt")
        zf.writestr("readme.txt", "GeoNames readme\n")
    report = import_geonames([archive], tmp_path / "z.sqlite")
    assert report.features == 19
    assert GeoNamesSqliteGazetteer(tmp_path / "z.sqlite").candidates("Abu Kamal")


def test_import_refuses_what_is_not_geonames(tmp_path: Path) -> None:
    bad = tmp_path / "notes.txt"
    bad.write_text("just some text\n", encoding="utf-8")
    with pytest.raises(InputError, match="not a GeoNames file"):
        import_geonames([bad], tmp_path / "x.sqlite")
    with pytest.raises(InputError, match="does not exist"):
        import_geonames([tmp_path / "missing.txt"], tmp_path / "x.sqlite")
    assert not (tmp_path / "x.sqlite").exists()


def test_file_kinds_are_read_from_the_lines() -> None:
    assert _kind_of("\t".join(["1"] * 19)) == "features"
    assert _kind_of("1\t2\ten\tName\t1\t\t\t\t\t") == "alternates"
    assert _kind_of("SY.07\tDeir ez-Zor\tDeir ez-Zor\t170792") == "admin1"
    assert _kind_of("SY.07.SY0703\tAbu Kamal\tAbu Kamal\t1") == "admin2"
    assert _kind_of("ISO 639-3\tISO 639-2\tISO 639-1\tLanguage Name") == ""


def test_lookups_fill_the_admin_hierarchy(geonames: GeoNamesSqliteGazetteer) -> None:
    (village,) = geonames.candidates("Al-Susah")
    assert village.name == "As Susah"
    assert (village.admin1, village.admin2, village.admin3) == (
        "Deir ez-Zor",
        "Abu Kamal District",
        "Susah Subdistrict",
    )
    assert village.country == "Syria" and village.source == "geonames"


def test_alternate_names_file_adds_spellings(geonames: GeoNamesSqliteGazetteer) -> None:
    (city,) = geonames.candidates("Dayr al-Zur")  # only in alternateNamesV2.txt
    assert city.name == "Deir ez-Zor" and city.matched_name == "Dayr al-Zur"
    assert geonames.candidates("ABK") == []  # an IATA code is not a name
    assert geonames.candidates("دير الزور") == []  # other scripts are not indexed


def test_spelling_variants_meet_and_the_written_one_is_reported(
    geonames: GeoNamesSqliteGazetteer,
) -> None:
    for spelling in ("Deir Ezzor", "Deir al-Zour", "Dair az-Zaur", "Dayr az Zawr"):
        (city,) = geonames.candidates(spelling)
        assert city.geonameid == 170794
    assert geonames.candidates("Kharkov")[0].matched_name == "Kharkov"


def test_feature_classes_are_kept_apart(geonames: GeoNamesSqliteGazetteer) -> None:
    assert [c.feature_code for c in geonames.admin_areas("Deir ez-Zor province")] == ["ADM1"]
    assert [c.feature_code for c in geonames.features("Abu Kamal District")] == ["ADM2"]
    assert [c.feature_class for c in geonames.features("Lake Assad")] == ["H"]
    assert [c.feature_code for c in geonames.features("Tabqa Airbase")] == ["AIRB"]
    assert geonames.candidates("Lake Assad") == []
    assert {c.feature_class for c in geonames.candidates("Deir ez-Zor")} == {"P"}


def test_countries_match_main_and_english_names_only(geonames: GeoNamesSqliteGazetteer) -> None:
    syria = geonames.country("Syrian Arab Republic")
    assert syria is not None and syria.country_code == "SY"
    # On the capital, as ACLED places country-level events.
    assert (syria.latitude, syria.longitude) == (33.5102, 36.29128)
    assert geonames.country("Siria") is None  # a foreign spelling in the dump's column
    assert geonames.country("Syrian") is None
    ukraine = geonames.country_by_code("ua")
    assert ukraine is not None and ukraine.name == "Ukraine"
    assert geonames.country_by_code("FR") is None


def test_index_loads_fast_and_refuses_other_files(index_path: Path, tmp_path: Path) -> None:
    import time

    started = time.perf_counter()
    GeoNamesSqliteGazetteer(index_path).close()
    assert time.perf_counter() - started < 0.5
    with pytest.raises(ConfigError, match="gazetteer import"):
        GeoNamesSqliteGazetteer(tmp_path / "none.sqlite")
    other = tmp_path / "other.sqlite"
    sqlite3.connect(other).executescript("CREATE TABLE meta(name, value);").close()
    with pytest.raises(ConfigError, match="re-"):
        GeoNamesSqliteGazetteer(other)


def test_every_gazetteer_implements_the_protocol(geonames: GeoNamesSqliteGazetteer) -> None:
    overlay = OverlayGazetteer.from_file(SLICES / "overlay.csv")
    layered = LayeredGazetteer([overlay, geonames, FakeGazetteer([])])
    for gaz in (geonames, overlay, layered, FakeGazetteer([])):
        assert isinstance(gaz, Gazetteer)


@settings(max_examples=200, deadline=None)
@given(text=st.text(max_size=40))
def test_any_query_is_safe(geonames: GeoNamesSqliteGazetteer, text: str) -> None:
    for found in (
        geonames.candidates(text),
        geonames.admin_areas(text),
        geonames.features(text),
    ):
        assert all(isinstance(c, Candidate) for c in found)
    geonames.country(text)


# --- overlay --------------------------------------------------------------------------


def test_overlay_csv_and_json_read_the_same_entries() -> None:
    csv_entries = read_overlay(SLICES / "overlay.csv")
    json_entries = read_overlay(SLICES / "overlay.json")
    assert [e.name for e in csv_entries][:2] == [e.name for e in json_entries]
    bank, checkpoint, camp, front = csv_entries
    assert (bank.latitude, bank.longitude, bank.precision) == (34.95, 40.6, 3)  # bbox centre
    assert (checkpoint.precision, checkpoint.feature) == (1, "checkpoint")
    assert camp.precision == 2 and camp.radius_km == 2.0  # an area by default
    assert front.latitude == pytest.approx(50.05) and front.longitude == pytest.approx(36.5)


def test_overlay_finds_names_and_aliases_with_or_without_the() -> None:
    overlay = OverlayGazetteer.from_file(SLICES / "overlay.csv")
    (bank,) = overlay.features("the east bank of the Euphrates")
    assert bank.name == "Eastern bank of the Euphrates" and bank.precision == 3
    assert bank.source == "overlay" and bank.feature_class == "H"
    assert overlay.features("CP7")[0].name == "Checkpoint 7"
    assert overlay.features("CP7", country="UA") == []
    assert overlay.candidates("CP7") == []  # a checkpoint is a spot, not a populated place
    assert overlay.country("Syria") is None


@pytest.mark.parametrize(
    ("record", "message"),
    [
        ({"country": "SY", "latitude": 1, "longitude": 1}, "'name' is required"),
        ({"name": "X", "country": "Syria", "latitude": 1, "longitude": 1}, "alpha-2"),
        ({"name": "X", "country": "SY"}, "latitude and longitude"),
        ({"name": "X", "country": "SY", "latitude": 95, "longitude": 1}, "out of range"),
        ({"name": "X", "country": "SY", "latitude": 1, "longitude": 1, "precision": 4}, "1, 2"),
        ({"name": "X", "country": "SY", "polygon": [[1, 2], [3, 4]]}, "3 \\[lon, lat\\]"),
        ({"name": "X", "country": "SY", "bbox": "a,b,c,d"}, "numbers"),
    ],
)
def test_overlay_errors_name_the_record(record: dict[str, object], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        parse_entry(record, "team.csv line 2")


def test_overlay_file_errors(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot be read"):
        read_overlay(tmp_path / "missing.csv")
    bad = tmp_path / "bad.json"
    bad.write_text("{", encoding="utf-8")
    with pytest.raises(ConfigError, match="not valid JSON"):
        read_overlay(bad)
    bad.write_text(json.dumps({"places": "x"}), encoding="utf-8")
    with pytest.raises(ConfigError, match="list of objects"):
        read_overlay(bad)


# --- layered --------------------------------------------------------------------------


def _packaged_like(name: str, geonameid: int, matched: str) -> Candidate:
    return Candidate(
        geonameid=geonameid,
        name=name,
        latitude=35.3,
        longitude=40.1,
        country_code="SY",
        country="Syria",
        admin1="Deir ez-Zor",
        admin2=None,
        feature_class="P",
        feature_code="PPL",
        population=1,
        matched_name=matched,
    )


def test_layered_merges_one_candidate_per_place(geonames: GeoNamesSqliteGazetteer) -> None:
    packaged = FakeGazetteer(
        [
            _packaged_like("Deir ez-Zor", 170794, "Deir ez-Zor"),
            _packaged_like("Mo Hasan", 99, "Mo Hasan"),
        ]
    )
    layered = LayeredGazetteer(
        [OverlayGazetteer.from_file(SLICES / "overlay.csv"), geonames, packaged]
    )
    (city,) = layered.candidates("Deir ez-Zor")
    assert city.source == "geonames" and city.admin2 == "Deir ez-Zor District"
    assert [c.name for c in layered.candidates("Mo Hasan")] == ["Mo Hasan"]  # packaged only
    assert layered.features("CP7")[0].source == "overlay"
    syria = layered.country("Syria")
    assert syria is not None and syria.source == "geonames"
    with pytest.raises(ValueError, match="at least one"):
        LayeredGazetteer([])


# --- download -------------------------------------------------------------------------


class FakeFetcher:
    """Serves files from the slices folder; records what was asked."""

    def __init__(self, fail: dict[str, DownloadError] | None = None) -> None:
        self.urls: list[str] = []
        self.fail = fail or {}

    def fetch(self, url: str, dest: Path, *, max_bytes: int, timeout: float) -> int:
        self.urls.append(url)
        if url in self.fail:
            raise self.fail[url]
        name = url.rsplit("/", 1)[1]
        if name.endswith(".zip"):
            with zipfile.ZipFile(dest, "w") as zf:
                zf.write(SLICES / name.replace(".zip", ".txt"), name.replace(".zip", ".txt"))
        else:
            dest.write_bytes((SLICES / name).read_bytes())
        return dest.stat().st_size


def test_download_fetches_the_country_and_admin_files(tmp_path: Path) -> None:
    fetcher = FakeFetcher()
    done = download_geonames(["sy", "UA"], tmp_path / "dl", fetcher=fetcher)
    assert fetcher.urls == [
        f"{BASE_URL}SY.zip",
        f"{BASE_URL}UA.zip",
        f"{BASE_URL}admin1CodesASCII.txt",
        f"{BASE_URL}admin2Codes.txt",
    ]
    report = import_geonames([d.path for d in done], tmp_path / "g.sqlite")
    assert report.features == 25 and report.admin_codes == 12


def test_download_urls_for_alternate_names_and_bad_codes() -> None:
    urls = download_urls(["SY", "allCountries"], alternate_names=True)
    assert f"{BASE_URL}alternatenames/SY.zip" in urls
    assert f"{BASE_URL}alternateNamesV2.zip" in urls
    with pytest.raises(DownloadError) as caught:
        download_urls(["Syria"])
    assert caught.value.retry is False


def test_download_passes_on_whether_to_retry(tmp_path: Path) -> None:
    url = f"{BASE_URL}SY.zip"
    fetcher = FakeFetcher({url: DownloadError("HTTP 503 (retry later)", retry=True)})
    with pytest.raises(DownloadError) as caught:
        download_geonames(["SY"], tmp_path, fetcher=fetcher)
    assert caught.value.retry is True


class _Response:
    def __init__(self, body: bytes, length: str | None = None) -> None:
        self.body, self.headers = body, {"Content-Length": length} if length else {}

    def __enter__(self) -> _Response:
        return self

    def __exit__(self, *args: object) -> None:
        return None

    def read(self, size: int) -> bytes:
        chunk, self.body = self.body[:size], self.body[size:]
        return chunk


def test_urllib_fetcher_limits_size_and_classifies_errors(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dest = tmp_path / "f.zip"
    answers: list[object] = [
        _Response(b"x" * 10),
        _Response(b"x" * 10, length="10"),
        _Response(b"x" * 100),
        urllib.error.HTTPError("u", 404, "Not Found", {}, None),  # type: ignore[arg-type]
        urllib.error.HTTPError("u", 503, "Unavailable", {}, None),  # type: ignore[arg-type]
        urllib.error.URLError("timed out"),
    ]

    def urlopen(request: object, timeout: float) -> object:
        answer = answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer

    monkeypatch.setattr(download_module.urllib.request, "urlopen", urlopen)
    fetcher = UrllibFetcher()
    assert fetcher.fetch("https://example.org/f.zip", dest, max_bytes=50, timeout=1) == 10
    assert dest.read_bytes() == b"x" * 10
    outcomes = []
    for _ in range(5):
        with pytest.raises(DownloadError) as caught:
            fetcher.fetch(
                "https://example.org/f.zip", dest, max_bytes=5 if not outcomes else 50, timeout=1
            )
        outcomes.append(caught.value.retry)
    assert outcomes == [False, False, False, True, True]
    assert not list(tmp_path.glob("*.part"))


@pytest.mark.slow
def test_parallel_import_builds_the_same_index_as_serial(tmp_path: Path) -> None:
    # More lines than one chunk, a malformed line among them: workers change nothing but speed.
    dump = tmp_path / "XX.txt"
    with dump.open("w", encoding="utf-8") as out:
        for gid in range(1, 45_001):
            # Letters only: GeoNames alternates with digits are not names (decision 0003).
            name = "Kafr " + "".join("abcdefghij"[int(d)] for d in str(gid)).capitalize()
            out.write(
                f"{gid}\t{name}\t{name}\tAl {name},{name}x\t{gid % 30}.5\t{gid % 40}.25\tP\tPPL"
                f"\tSY\t\t01\t\t\t\t{gid}\t\t0\tAsia/Damascus\t2024-01-01\n"
            )
            if gid == 30_000:
                out.write("not a geonames line\n")
    serial = import_geonames([dump], tmp_path / "serial.sqlite", workers=1)
    parallel = import_geonames([dump], tmp_path / "parallel.sqlite", workers=2)
    assert (serial.features, serial.names, serial.skipped_lines) == (45_000, 90_000, 1)
    assert (parallel.features, parallel.names, parallel.skipped_lines) == (
        serial.features,
        serial.names,
        serial.skipped_lines,
    )
    query = "SELECT key, light, id, label, kind FROM names ORDER BY id, key, light"
    rows = [
        sqlite3.connect(tmp_path / f).execute(query).fetchall()
        for f in ("serial.sqlite", "parallel.sqlite")
    ]
    assert rows[0] == rows[1]
