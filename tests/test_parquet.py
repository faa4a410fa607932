"""Parquet export: typed columns, row groups, round trip against Event.to_dict, paging, CLI."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sitrep.adapters.store import open_store
from sitrep.adapters.store.base import DEFAULT_QUERY, EventQuery
from sitrep.adapters.store.memory import MemoryStore
from sitrep.cli import main
from sitrep.records import EVENT_FIELDS, SOURCE_FIELDS, Event
from tests.test_store_factories import events, make_document, make_event, make_source

pa = pytest.importorskip("pyarrow", reason="the parquet extra (pyarrow) is not installed")
pq = pytest.importorskip("pyarrow.parquet")

from sitrep.export.parquet import (  # noqa: E402 - needs pyarrow, checked above
    EVENTS_SCHEMA,
    SOURCES_SCHEMA,
    page_events,
    write_parquet,
)


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def read_back(path: Path, sources: Path) -> tuple[list[dict[str, Any]], dict[str, list[Any]]]:
    """Return event rows and each event's source rows, in to_dict's shapes."""
    rows = [{k: _plain(v) for k, v in r.items()} for r in pq.read_table(path).to_pylist()]
    by_event: dict[str, list[Any]] = {}
    source_rows = pq.read_table(sources).to_pylist()
    for r in sorted(source_rows, key=lambda r: (r["event_id"], r["position"])):
        by_event.setdefault(r["event_id"], []).append({k: _plain(r[k]) for k in SOURCE_FIELDS})
    return rows, by_event


def test_schemas_name_every_record_field() -> None:
    assert tuple(EVENTS_SCHEMA.names) == EVENT_FIELDS
    assert set(SOURCE_FIELDS) <= set(SOURCES_SCHEMA.names)


def test_columns_are_typed(tmp_path: Path) -> None:
    undated = make_event("e2", event_date=None, fatalities=None, latitude=None, inter2=None)
    write_parquet([make_event("e1"), undated], tmp_path / "e.parquet", sources_path=tmp_path / "s")
    table = pq.read_table(tmp_path / "e.parquet")
    assert table.schema.field("event_date").type == pa.date32()
    assert table.schema.field("latitude").type == pa.float64()
    assert table.schema.field("fatalities").type == pa.int64()
    assert table.schema.field("year_from_reference").type == pa.bool_()
    assert table.column("event_date").to_pylist() == [date(2018, 8, 22), None]
    # Missing is null, never 0 or "".
    assert table.column("fatalities").to_pylist() == [3, None]
    assert table.column("inter2").to_pylist() == [2, None]
    assert table.column("modality").to_pylist() == ["occurred", "occurred"]
    sources = pq.read_table(tmp_path / "s")
    assert sources.schema.field("attribution").type == pa.list_(pa.string())
    assert sources.column("attribution").to_pylist() == [["Monitoring group"]] * 2


def test_sources_keep_every_sentence_in_order(tmp_path: Path) -> None:
    event = make_event(
        "e1", sources=(make_source("doc-b", start=5), make_source("doc-a", attribution=()))
    )
    write_parquet([event], tmp_path / "e", sources_path=tmp_path / "s")
    rows = pq.read_table(tmp_path / "s").to_pylist()
    assert [(r["position"], r["document_id"], r["attribution"]) for r in rows] == [
        (0, "doc-b", ["Monitoring group"]),
        (1, "doc-a", []),
    ]
    assert rows[0]["published"] == date(2018, 8, 24)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(evs=st.lists(events, max_size=6, unique_by=lambda e: e.event_id))
def test_round_trip_equals_to_dict(tmp_path: Path, evs: list[Event]) -> None:
    n = write_parquet(evs, tmp_path / "e.parquet", sources_path=tmp_path / "s.parquet")
    assert n == len(evs)
    rows, sources = read_back(tmp_path / "e.parquet", tmp_path / "s.parquet")
    for event, row in zip(evs, rows, strict=True):
        expected = event.to_dict()
        assert sources.get(event.event_id, []) == expected.pop("sources")
        assert row == expected


def test_rows_are_written_in_row_groups(tmp_path: Path) -> None:
    evs = [make_event(f"e{i:03d}") for i in range(25)]
    write_parquet(evs, tmp_path / "e.parquet", sources_path=tmp_path / "s", rows_per_group=10)
    meta = pq.ParquetFile(tmp_path / "e.parquet").metadata
    assert (meta.num_rows, meta.num_row_groups) == (25, 3)
    assert pq.ParquetFile(tmp_path / "s").metadata.num_row_groups == 3


def test_empty_export_is_a_valid_file(tmp_path: Path) -> None:
    assert write_parquet([], tmp_path / "e.parquet") == 0
    table = pq.read_table(tmp_path / "e.parquet")
    assert table.num_rows == 0 and table.schema.equals(EVENTS_SCHEMA)


class CountingStore(MemoryStore):
    """A MemoryStore that records the limit of every events() call."""

    def __init__(self) -> None:
        super().__init__()
        self.limits: list[int | None] = []

    def events(self, query: EventQuery = DEFAULT_QUERY) -> list[Event]:
        self.limits.append(query.limit)
        return super().events(query)


def _store_with(n: int) -> CountingStore:
    store = CountingStore()
    for i in range(n):
        event = make_event(f"e{i:03d}", event_date=date(2020, 1, 1 + i % 28))
        store.save_document(make_document(f"doc-{i}", event))
    return store


def test_page_events_reads_a_page_at_a_time() -> None:
    store = _store_with(23)
    everything = store.events()
    store.limits.clear()
    assert list(page_events(store, page_size=5)) == everything
    assert store.limits and all(limit is not None and limit <= 5 for limit in store.limits)


@pytest.mark.parametrize(("limit", "offset"), [(None, 0), (7, 0), (7, 4), (None, 20), (3, 30)])
def test_page_events_honours_the_query_window(limit: int | None, offset: int) -> None:
    store = _store_with(23)
    query = EventQuery(limit=limit, offset=offset)
    assert list(page_events(store, query, page_size=4)) == store.events(query)


def test_page_events_rejects_a_bad_page_size() -> None:
    with pytest.raises(ValueError, match="page_size"):
        list(page_events(MemoryStore(), page_size=0))


# -- CLI -------------------------------------------------------------------------------------


def _sqlite_with_events(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'p.db'}"
    with open_store(url) as store:
        store.save_document(make_document("doc-a", make_event("e1")))
        store.save_document(
            make_document("doc-b", replace(make_event("e2"), country="Ukraine", iso="UA"))
        )
    return url


def test_cli_writes_events_and_sources(tmp_path: Path) -> None:
    url = _sqlite_with_events(tmp_path)
    out, src = tmp_path / "events.parquet", tmp_path / "sources.parquet"
    args = ["events", "--db", url, "--format", "parquet", "-o", str(out), "--sources", str(src)]
    result = CliRunner().invoke(main, [*args, "--country", "UA"])
    assert result.exit_code == 0, result.output
    assert pq.read_table(out).column("event_id").to_pylist() == ["e2"]
    assert pq.read_table(src).column("event_id").to_pylist() == ["e2"]


def test_cli_parquet_needs_an_output_file(tmp_path: Path) -> None:
    url = _sqlite_with_events(tmp_path)
    result = CliRunner().invoke(main, ["events", "--db", url, "--format", "parquet"])
    assert result.exit_code == 2 and "--output" in result.output
    sources = ["--sources", str(tmp_path / "s.parquet")]
    result = CliRunner().invoke(main, ["events", "--db", url, "--format", "csv", *sources])
    assert result.exit_code == 2 and "--format parquet" in result.output
    assert not (tmp_path / "s.parquet").exists()
