"""The CLI end to end on the bundled examples: process, events in every format, re-runs."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from sitrep.cli import main
from tests.conftest import EXAMPLES, WORKED_EXAMPLE

pytestmark = pytest.mark.slow


def run(*args: str) -> Result:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result


@pytest.fixture(scope="module")
def processed(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[str, Path, list[dict[str, object]]]:
    """The examples folder plus one bad file, processed once into a fresh database."""
    tmp = tmp_path_factory.mktemp("cli")
    pages = tmp / "pages"
    pages.mkdir()
    for f in EXAMPLES.iterdir():
        (pages / f.name).write_bytes(f.read_bytes())
    (pages / "broken.txt").write_bytes(b"\x00\x01\x02binary\x00garbage" * 10)
    db_path = tmp / "events.db"
    db = f"sqlite:///{db_path}"
    result = run("process", str(pages), "--published", "2018-08-23", "--db", db, "--json")
    assert result.exit_code == 0, result.output
    events = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
    return db, db_path, events


def test_worked_example_yields_the_airstrike(
    processed: tuple[str, Path, list[dict[str, object]]],
) -> None:
    from sitrep.actors import ActorDictionary

    _, _, events = processed
    actors = ActorDictionary.load()
    coalition, islamic_state = actors.match("US-led coalition"), actors.match("ISIS")
    assert coalition is not None and islamic_state is not None
    strikes = [
        e
        for e in events
        if e["sub_event_type"] == "Air/drone strike" and e["event_date"] == "2018-08-22"
    ]
    assert strikes, events
    strike = strikes[0]
    assert strike["event_type"] == "Explosions/Remote violence"
    assert strike["actor1"] == coalition.name
    assert strike["actor2"] == islamic_state.name
    assert strike["country"] == "Syria"
    assert "Deir" in str(strike["admin1"])
    assert isinstance(strike["latitude"], float) and isinstance(strike["longitude"], float)
    assert 32 < strike["latitude"] < 38 and 35 < strike["longitude"] < 43
    assert strike["date_resolved_from"] == "2018-08-23"
    assert strike["year_from_reference"] is True
    sources = strike["sources"]
    assert isinstance(sources, list) and sources
    text = WORKED_EXAMPLE.read_text(encoding="utf-8")
    assert "airstrikes" in sources[0]["sentence"]
    assert sources[0]["sentence"] in text


def test_no_event_comes_from_comments_or_plans(
    processed: tuple[str, Path, list[dict[str, object]]],
) -> None:
    db, _, events = processed
    text = WORKED_EXAMPLE.read_text(encoding="utf-8")
    comments_start = text.index("Question No 1")
    listed = json_lines(run("events", "--db", db, "--format", "jsonl", "--modality", "all"))
    for event in listed:
        for source in event["sources"]:  # type: ignore[union-attr]
            if source["sentence"] in text:
                assert text.index(source["sentence"]) < comments_start
    for event in events:
        sentence = event["sources"][0]["sentence"]  # type: ignore[index]
        if "preparing to launch" in sentence or "will mainly target" in sentence:
            assert event["modality"] != "occurred"


def json_lines(result: Result) -> list[dict[str, object]]:
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.stdout.splitlines() if line.strip()]


def test_events_export_formats(processed: tuple[str, Path, list[dict[str, object]]]) -> None:
    db, _, events = processed
    rows = json_lines(run("events", "--db", db, "--format", "jsonl"))
    # The examples report no event twice, so the fused listing is the run's occurred events.
    assert {r["event_id"] for r in rows} == {
        e["event_id"] for e in events if e["modality"] == "occurred"
    }
    assert all(r["modality"] == "occurred" for r in rows)

    out = run("events", "--db", db, "--format", "csv")
    assert out.exit_code == 0
    reader = csv.reader(io.StringIO(out.stdout))
    header = next(reader)
    acled_order = ["event_date", "event_type", "sub_event_type", "actor1", "actor2"]
    assert [h for h in header if h in acled_order] == acled_order
    assert header.index("latitude") < header.index("longitude") < header.index("fatalities")

    geo = json.loads(run("events", "--db", db, "--format", "geojson").stdout)
    assert geo["type"] == "FeatureCollection"
    for feature in geo["features"]:
        assert feature["type"] == "Feature"
        if feature["geometry"] is not None:
            lon, lat = feature["geometry"]["coordinates"]
            assert -180 <= lon <= 180 and -90 <= lat <= 90

    table = run("events", "--db", db)
    assert table.exit_code == 0 and "Air/drone strike" in table.stdout

    syria = json_lines(run("events", "--db", db, "--format", "jsonl", "--country", "SY"))
    assert syria and all(r["iso"] == "SY" for r in syria)
    none = json_lines(run("events", "--db", db, "--format", "jsonl", "--until", "1990-01-01"))
    assert none == []


def test_failures_and_unsupported_language_are_stored(
    processed: tuple[str, Path, list[dict[str, object]]],
) -> None:
    db, _, _ = processed
    failures = json_lines(run("failures", "--db", db))
    assert any(f["origin"].endswith("broken.txt") for f in failures)  # type: ignore[union-attr]
    docs = json_lines(run("documents", "--db", db))
    statuses = {d["status"] for d in docs}
    assert "unsupported_language" in statuses
    assert "ok" in statuses


def test_second_run_changes_nothing(
    processed: tuple[str, Path, list[dict[str, object]]],
) -> None:
    db, db_path, _ = processed

    def dump() -> list[str]:
        with sqlite3.connect(db_path) as conn:
            return list(conn.iterdump())

    before = dump()
    result = run("process", str(EXAMPLES), "--published", "2018-08-23", "--db", db, "--json")
    assert result.exit_code == 0
    assert result.stdout.strip() == ""
    assert dump() == before


def test_bad_options_give_clear_errors(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["process", str(tmp_path), "--published", "23/08/2018"])
    assert result.exit_code == 2
    assert "YYYY-MM-DD" in result.output
    result = CliRunner().invoke(main, ["events", "--db", "mysql://nope"])
    assert result.exit_code == 2
    assert "mysql://nope" in result.output


@pytest.mark.parametrize("command", [[], ["process"], ["events"], ["documents"], ["failures"]])
def test_help_is_complete(command: list[str]) -> None:
    result = CliRunner().invoke(main, [*command, "--help"])
    assert result.exit_code == 0
    assert "Usage:" in result.output
    assert "--help" in result.output
