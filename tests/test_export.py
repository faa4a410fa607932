"""Exports: ACLED-column CSV, GeoJSON, JSON Lines and the terminal table."""

from __future__ import annotations

import csv
import io
import json
import math
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console

from sitrep.export.csv import ACLED_COLUMNS, COLUMNS, SITREP_COLUMNS, iso_numeric, write_csv
from sitrep.export.geojson import write_geojson
from sitrep.export.jsonl import write_jsonl
from sitrep.export.table import render_table
from sitrep.records import Event, GeoReason, Modality
from tests.test_store_factories import HOSTILE, events, make_event, make_source

# ACLED's export columns, in ACLED's order (codebook 2023; acledR's acled_old_dummy).
ACLED_ORDER = [
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
    "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2",
    "interaction", "civilian_targeting", "iso", "region", "country", "admin1", "admin2",
    "admin3", "location", "latitude", "longitude", "geo_precision", "source", "source_scale",
    "notes", "fatalities", "tags", "timestamp",
]  # fmt: skip


CIVILIANS = "Civilian targeting"


def read_csv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


def csv_text(evs: list[Event], **options: Any) -> str:
    out = io.StringIO(newline="")
    write_csv(evs, out, **options)
    return out.getvalue()


# -- CSV -------------------------------------------------------------------------------------


def test_csv_header_is_acled_order_then_sitrep_columns() -> None:
    header = next(csv.reader(io.StringIO(csv_text([]))))
    assert header[: len(ACLED_ORDER)] == ACLED_ORDER
    assert tuple(header) == COLUMNS == ACLED_COLUMNS + SITREP_COLUMNS
    assert header[len(ACLED_ORDER) :] == [
        "plover_type", "cameo_code", "modality", "confidence", "date_resolved_from",
        "year_from_reference", "geo_reason", "source_urls", "source_sentences",
    ]  # fmt: skip


def test_csv_row_values() -> None:
    event = make_event(
        "e1",
        sources=(
            make_source("doc-a"),
            make_source("doc-b", start=1, url="https://other.example/b", sentence="Second."),
        ),
    )
    [row] = read_csv(csv_text([event]))
    assert row["event_id_cnty"] == "e1"
    assert row["event_date"] == "2018-08-22"
    assert row["year"] == "2018"
    assert row["disorder_type"] == "Political violence"
    assert row["iso"] == "760"
    assert row["country"] == "Syria"
    assert (row["latitude"], row["longitude"]) == ("34.45", "40.93")
    assert row["fatalities"] == "3"
    assert row["region"] == row["tags"] == row["timestamp"] == row["source_scale"] == ""
    assert row["civilian_targeting"] == ""
    assert row["modality"] == "occurred"
    assert row["year_from_reference"] == "true"
    assert row["geo_reason"] == "exact"
    assert row["source_urls"] == "https://news.example/doc-a https://other.example/b"
    assert row["source_sentences"].split("\n") == [event.sources[0].sentence, "Second."]


def test_csv_missing_values_are_empty_cells_not_zero() -> None:
    event = make_event(
        "e1",
        event_date=None,
        fatalities=None,
        latitude=None,
        longitude=None,
        iso=None,
        geo_reason=None,
        date_resolved_from=None,
        event_type="Not ACLED",
        sources=(),
    )
    [row] = read_csv(csv_text([event]))
    for column in ("event_date", "year", "fatalities", "latitude", "iso", "disorder_type"):
        assert row[column] == "", column
    assert row["source_urls"] == row["source_sentences"] == ""


@pytest.mark.parametrize(
    ("event_type", "sub_event_type", "inter2", "disorder", "targeting"),
    [
        ("Violence against civilians", "Attack", 7, "Political violence", CIVILIANS),
        ("Explosions/Remote violence", "Air/drone strike", 7, "Political violence", CIVILIANS),
        ("Explosions/Remote violence", "Air/drone strike", 2, "Political violence", ""),
        ("Battles", "Armed clash", 2, "Political violence", ""),
        ("Protests", "Peaceful protest", None, "Demonstrations", ""),
        ("Strategic developments", "Agreement", None, "Strategic developments", ""),
    ],
)  # fmt: skip
def test_csv_disorder_type_and_civilian_targeting(
    event_type: str, sub_event_type: str, inter2: int | None, disorder: str, targeting: str
) -> None:
    event = make_event("e1", event_type=event_type, sub_event_type=sub_event_type, inter2=inter2)
    [row] = read_csv(csv_text([event]))
    assert (row["disorder_type"], row["civilian_targeting"]) == (disorder, targeting)


def test_iso_numeric() -> None:
    assert iso_numeric("SY") == 760
    assert iso_numeric("AF") == 4  # ACLED writes no leading zeros
    assert iso_numeric("XK") is None  # Kosovo has no ISO 3166-1 code
    assert iso_numeric(None) is None


def test_csv_keeps_hostile_text_literal_and_can_defuse_formulas() -> None:
    event = make_event("e1", notes=HOSTILE, actor1='=HYPERLINK("http://x")')
    [row] = read_csv(csv_text([event]))
    assert row["notes"] == HOSTILE
    assert row["actor1"] == '=HYPERLINK("http://x")'
    [safe] = read_csv(csv_text([event], spreadsheet_safe=True))
    assert safe["actor1"] == '\'=HYPERLINK("http://x")'
    assert safe["longitude"] == "40.93"


@settings(max_examples=50, deadline=None)
@given(evs=st.lists(events, max_size=4))
def test_csv_has_one_full_row_per_event(evs: list[Event]) -> None:
    rows = read_csv(csv_text(evs))
    assert [r["event_id_cnty"] for r in rows] == [e.event_id for e in evs]
    assert all(len(r) == len(COLUMNS) and None not in r for r in rows)
    assert [r["notes"] for r in rows] == [e.notes or "" for e in evs]


# -- GeoJSON ---------------------------------------------------------------------------------


def assert_valid_feature_collection(doc: Any) -> None:
    """Check the RFC 7946 structure sitrep writes: Features with Point or null geometry."""
    assert doc["type"] == "FeatureCollection"
    assert isinstance(doc["features"], list)
    for feature in doc["features"]:
        assert feature["type"] == "Feature"
        assert isinstance(feature["properties"], dict)
        geometry = feature["geometry"]
        if geometry is None:
            continue
        assert geometry["type"] == "Point"
        lon, lat = geometry["coordinates"]
        assert -180 <= lon <= 180 and -90 <= lat <= 90
        assert all(isinstance(c, int | float) and math.isfinite(c) for c in (lon, lat))


def test_geojson_points_are_lon_lat_and_unplaced_events_have_null_geometry() -> None:
    placed = make_event("e1", latitude=34.45, longitude=40.93)
    unplaced = make_event("e2", latitude=None, longitude=None, geo_reason=GeoReason.NOT_FOUND)
    out = io.StringIO()
    assert write_geojson([placed, unplaced], out) == 2
    doc = json.loads(out.getvalue())
    assert_valid_feature_collection(doc)
    first, second = doc["features"]
    assert first["geometry"] == {"type": "Point", "coordinates": [40.93, 34.45]}
    assert first["properties"] == placed.to_dict()
    assert first["id"] == "e1"
    assert second["geometry"] is None


def test_geojson_of_nothing_is_an_empty_collection() -> None:
    out = io.StringIO()
    write_geojson([], out)
    doc = json.loads(out.getvalue())
    # The attribution foreign member is tested in tests/test_data_rights.py.
    assert {k: v for k, v in doc.items() if k != "attribution"} == {
        "type": "FeatureCollection",
        "features": [],
    }


@settings(max_examples=50, deadline=None)
@given(evs=st.lists(events, max_size=4))
def test_geojson_is_always_valid(evs: list[Event]) -> None:
    out = io.StringIO()
    write_geojson(evs, out)
    doc = json.loads(out.getvalue())
    assert_valid_feature_collection(doc)
    assert [f["properties"] for f in doc["features"]] == [e.to_dict() for e in evs]


# -- JSON Lines ------------------------------------------------------------------------------


@settings(max_examples=50, deadline=None)
@given(evs=st.lists(events, max_size=4))
def test_jsonl_is_one_event_dict_per_line(evs: list[Event]) -> None:
    out = io.StringIO()
    assert write_jsonl(evs, out) == len(evs)
    lines = out.getvalue().splitlines()
    assert [json.loads(line) for line in lines] == [e.to_dict() for e in evs]


def test_jsonl_keeps_unicode_readable() -> None:
    out = io.StringIO()
    write_jsonl([make_event("e1", location="Дер-ез-Зор")], out)
    assert "Дер-ез-Зор" in out.getvalue()


# -- table -----------------------------------------------------------------------------------


def render(evs: list[Event], *, width: int = 200) -> str:
    console = Console(record=True, width=width, color_system=None, file=io.StringIO())
    render_table(evs, console)
    return console.export_text()


def test_table_shows_the_event() -> None:
    text = render([make_event("e1", modality=Modality.OCCURRED)])
    for expected in (
        "2018-08-22",
        "Explosions/Remote violence",
        "› Air/drone strike",
        "Islamic State (Syria)",
        "Riverside Village",
        "(Deir-ez-Zor,",
        "0.80",
        "Example News",
    ):
        assert expected in text


def test_table_prints_markup_in_page_text_literally() -> None:
    markup = "[bold red]x[/] [link=http://evil]y[/link]"
    text = render([make_event("e1", actor1=markup, location="[/]", source=None, notes=markup)])
    assert "[bold red]x[/]" in text
    assert "[link=http://evil]y[/link]" in text
    assert "[/]" in text


def test_table_of_nothing_says_so() -> None:
    assert "No events." in render([])


def test_table_shows_missing_values_as_a_dash() -> None:
    event = make_event("e1", event_date=None, fatalities=None, actor1=None, source=None,
                       sources=(make_source(attribution=(), url=None),))  # fmt: skip
    assert "–" in render([event])


def test_event_date_year_from_reference_is_marked() -> None:
    assert "2018-08-22*" in render([make_event("e1", year_from_reference=True)])
    assert "2018-08-22*" not in render([make_event("e1", year_from_reference=False)])


@pytest.mark.parametrize("width", [80, 100, 120, 160])
def test_table_fits_the_terminal_without_losing_words(width: int) -> None:
    source = "Example News agency of the world"
    event = make_event("e1", source=source, sub_event_type="Shelling/artillery/missile attack")
    text = render([event], width=width)
    assert max(len(line) for line in text.splitlines()) <= width
    words = text.split()
    for word in ("Example", "News", "agency", "world", "Riverside", "Military", "(Syria)"):
        assert word in words, (width, word)
    assert "Air/drone strike" in render([make_event("e1")], width=width)
