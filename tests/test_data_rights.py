"""Data rights: exports carry their attribution; `sitrep delete` and DELETE /documents/{id}.

The store contract of deletion is tests/test_store_deletion.py; this file covers the formats,
the command and the route (docs/decisions/0015-data-rights.md).
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from sitrep.adapters.store import MemoryStore, SQLiteStore
from sitrep.api import build_app
from sitrep.cli import main
from sitrep.export import attribution as attribution_module
from sitrep.export.attribution import GEONAMES, attribution, attribution_text, sidecar_path
from sitrep.export.csv import COLUMNS
from sitrep.export.geojson import write_geojson
from sitrep.fuse_store import fuse_documents
from sitrep.records import Event
from tests.test_api import fake_pipeline
from tests.test_api_fixtures import TOKEN, Client, desk_settings, fill
from tests.test_store_factories import make_document, make_event, make_source

JSON_TYPE = {"content-type": "application/json"}


def report(event_id: str, doc: str, **overrides: Any) -> Event:
    source = make_source(doc, url=f"https://{doc}.example/a", attribution=("Monitor",))
    return make_event(event_id, sources=(source,), **overrides)


def two_pages(tmp_path: Path) -> str:
    """A SQLite database with two pages reporting one strike, fused; return its URL."""
    with SQLiteStore(tmp_path / "rights.db") as store:
        store.save_document(make_document("one", report("a", "one")))
        store.save_document(make_document("two", report("b", "two", fatalities=1)))
        fuse_documents(store, ["one", "two"])
    return f"sqlite:///{tmp_path / 'rights.db'}"


def run(*args: str, **kwargs: Any) -> Any:
    return CliRunner().invoke(main, list(args), catch_exceptions=False, **kwargs)


# -- attribution --------------------------------------------------------------------------------


def test_attribution_names_the_generator_the_sources_and_geonames() -> None:
    found = attribution()
    assert found["places"] == (
        "Place names and coordinates: GeoNames (CC BY 4.0), https://www.geonames.org"
    )
    assert found["generator"].startswith("sitrep ")
    assert "sources" in found["sources"]
    text = attribution_text("csv")
    assert GEONAMES in text and "source_urls" in text and found["generator"] in text


def test_geojson_collection_has_the_attribution_and_features_keep_sources() -> None:
    out = io.StringIO()
    write_geojson([report("a", "one"), report("b", "two")], out)
    doc = json.loads(out.getvalue())
    assert doc["attribution"] == attribution()
    sources = [f["properties"]["sources"] for f in doc["features"]]
    assert [[s["url"] for s in found] for found in sources] == [
        ["https://one.example/a"],
        ["https://two.example/a"],
    ]
    assert sources[0][0]["attribution"] == ["Monitor"]


def test_geojson_export_of_a_fused_event_keeps_every_page(tmp_path: Path) -> None:
    db = two_pages(tmp_path)
    result = run("events", "--db", db, "--format", "geojson")
    doc = json.loads(result.stdout)
    assert doc["attribution"]["places"] == GEONAMES
    [feature] = doc["features"]
    assert {s["document_id"] for s in feature["properties"]["sources"]} == {"one", "two"}


def test_parquet_files_carry_the_attribution_in_their_schema(tmp_path: Path) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    db = two_pages(tmp_path)
    events, sources = tmp_path / "e.parquet", tmp_path / "s.parquet"
    result = run(
        "events", "--db", db, "--format", "parquet", "-o", str(events), "--sources", str(sources)
    )
    assert result.exit_code == 0, result.output
    for path in (events, sources):
        metadata = pq.read_schema(path).metadata
        assert metadata[b"places"].decode() == GEONAMES
        assert metadata[b"generator"].decode() == attribution()["generator"]
    table = pq.read_table(events)
    assert table.column("source").to_pylist() == ["Example News"]
    assert sorted(pq.read_table(sources).column("document_id").to_pylist()) == ["one", "two"]
    assert not sidecar_path(events).exists()  # Parquet carries it inside


def test_csv_to_a_file_gets_a_sidecar_and_keeps_acled_columns(tmp_path: Path) -> None:
    db = two_pages(tmp_path)
    out = tmp_path / "events.csv"
    result = run("events", "--db", db, "--format", "csv", "-o", str(out))
    assert result.exit_code == 0, result.output
    with out.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    assert tuple(rows[0]) == COLUMNS  # nothing added to the file: ACLED parsers still read it
    [row] = [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]
    assert row["source"] == "Example News"
    assert row["source_urls"].split() == ["https://one.example/a", "https://two.example/a"]
    sidecar = tmp_path / "events.csv.ATTRIBUTION.txt"
    assert sidecar.read_text(encoding="utf-8") == attribution_text("csv")
    assert str(sidecar) in result.stderr


def test_csv_to_stdout_notes_the_attribution_on_stderr(tmp_path: Path) -> None:
    db = two_pages(tmp_path)
    result = run("events", "--db", db, "--format", "csv")
    assert result.stdout.splitlines()[0] == ",".join(COLUMNS)
    assert GEONAMES in result.stderr
    assert GEONAMES not in result.stdout


def test_jsonl_stays_pure_events_with_a_sidecar_for_files(tmp_path: Path) -> None:
    db = two_pages(tmp_path)
    piped = run("events", "--db", db, "--format", "jsonl")
    assert piped.stderr == ""
    assert [json.loads(line)["sources"][0]["url"] for line in piped.stdout.splitlines()] == [
        "https://one.example/a"
    ]
    out = tmp_path / "events.jsonl"
    run("events", "--db", db, "--format", "jsonl", "-o", str(out))
    assert all("event_id" in json.loads(line) for line in out.read_text().splitlines())
    assert sidecar_path(out).read_text(encoding="utf-8") == attribution_text("jsonl")


def test_version_falls_back_to_unknown(monkeypatch: pytest.MonkeyPatch) -> None:
    def missing(name: str) -> str:
        raise attribution_module.PackageNotFoundError(name)

    monkeypatch.setattr(attribution_module, "version", missing)
    assert attribution()["generator"] == "sitrep unknown"


# -- sitrep delete ------------------------------------------------------------------------------


def test_cli_delete_with_yes_prints_the_counts(tmp_path: Path) -> None:
    db = two_pages(tmp_path)
    result = run("delete", "two", "--db", db, "--yes")
    assert result.exit_code == 0, result.output
    [line] = result.stdout.splitlines()
    report_ = json.loads(line)
    assert report_["document_id"] == "two"
    assert (report_["documents"], report_["events"], report_["clusters_removed"]) == (1, 1, 1)
    listed = run("documents", "--db", db)
    assert [json.loads(x)["id"] for x in listed.stdout.splitlines()] == ["one"]


def test_cli_delete_asks_on_a_terminal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import sitrep.cli

    db = two_pages(tmp_path)
    monkeypatch.setattr(sitrep.cli, "_on_terminal", lambda: True)
    refused = run("delete", "two", "--db", db, input="n\n")
    assert refused.exit_code == 1 and "Delete 1 document(s)" in refused.output
    with SQLiteStore(tmp_path / "rights.db") as store:
        assert store.has_document("two")
    accepted = run("delete", "two", "one", "two", "--db", db, input="y\n")
    assert accepted.exit_code == 0, accepted.output
    assert [json.loads(x)["document_id"] for x in accepted.stdout.splitlines()[1:]] == [
        "two",
        "one",
    ]


def test_cli_delete_off_a_terminal_needs_yes(tmp_path: Path) -> None:
    db = two_pages(tmp_path)
    result = run("delete", "two", "--db", db)
    assert result.exit_code == 2 and "--yes" in result.output
    with SQLiteStore(tmp_path / "rights.db") as store:
        assert store.has_document("two")


def test_cli_delete_of_an_unknown_id_deletes_nothing(tmp_path: Path) -> None:
    db = two_pages(tmp_path)
    result = run("delete", "two", "nope", "--db", db, "--yes")
    assert result.exit_code == 2
    assert "'nope'" in result.stderr and result.stdout == ""
    with SQLiteStore(tmp_path / "rights.db") as store:
        assert store.has_document("two")


# -- DELETE /api/v1/documents/{document_id} ------------------------------------------------------


@pytest.fixture
def app() -> Any:
    return build_app(fill(MemoryStore()), settings=desk_settings(), pipeline_factory=fake_pipeline)


def test_api_delete_needs_the_token(app: Any) -> None:
    response = Client(app).request("DELETE", "/api/v1/documents/doc-syria", headers=JSON_TYPE)
    assert response.status_code == 401
    assert Client(app).get("/api/v1/documents/doc-syria").status_code == 200


def test_api_delete_removes_the_document_and_reports_counts(app: Any) -> None:
    client = Client(app, token=TOKEN)
    before = client.get("/api/v1/documents/doc-syria").json()
    response = client.request("DELETE", "/api/v1/documents/doc-syria", headers=JSON_TYPE)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["document_id"] == "doc-syria" and body["documents"] == 1
    assert body["segments"] == len(before["segments"])
    assert body["comments"] == len(before["comments"])
    assert body["events"] + body["events_kept"] == len(before["events"])
    assert client.get("/api/v1/documents/doc-syria").status_code == 404
    events = client.get("/api/v1/events?document_id=doc-syria").json()
    assert events["items"] == []


def test_api_delete_of_an_unknown_document_is_404(app: Any) -> None:
    client = Client(app, token=TOKEN)
    response = client.request("DELETE", "/api/v1/documents/nope", headers=JSON_TYPE)
    assert response.status_code == 404
    assert "'nope'" in response.json()["detail"]
