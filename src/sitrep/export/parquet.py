"""Parquet export of events (one row per event) and of their sources (one row per sentence).

Columns are typed: dates are date32, coordinates and confidence float64, codes and counts
nullable integers; a missing value is a null, never 0 or "". Rows are written in row groups
as they come, so a store of any size is exported in constant memory (``page_events`` reads
it a page at a time). Sources join events on ``event_id``.

Both files carry the attribution (generator, sources, GeoNames' CC BY credit) as schema
metadata under the keys of ``export.attribution.attribution`` (docs/decisions/0015).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.parquet as pq  # type: ignore[import-untyped]

from sitrep.adapters.store.base import DEFAULT_QUERY, EventQuery, Store
from sitrep.export.attribution import attribution
from sitrep.records import EVENT_FIELDS, Event, Source

EVENTS_SCHEMA = pa.schema(
    [
        pa.field("event_id", pa.string(), nullable=False),
        pa.field("event_date", pa.date32()),
        pa.field("time_precision", pa.int32()),
        pa.field("event_type", pa.string(), nullable=False),
        pa.field("sub_event_type", pa.string(), nullable=False),
        pa.field("actor1", pa.string()),
        pa.field("assoc_actor_1", pa.string()),
        pa.field("inter1", pa.int32()),
        pa.field("actor2", pa.string()),
        pa.field("assoc_actor_2", pa.string()),
        pa.field("inter2", pa.int32()),
        pa.field("interaction", pa.int32()),
        pa.field("country", pa.string()),
        pa.field("iso", pa.string()),
        pa.field("admin1", pa.string()),
        pa.field("admin2", pa.string()),
        pa.field("admin3", pa.string()),
        pa.field("location", pa.string()),
        pa.field("latitude", pa.float64()),
        pa.field("longitude", pa.float64()),
        pa.field("geo_precision", pa.int32()),
        pa.field("fatalities", pa.int64()),
        pa.field("source", pa.string()),
        pa.field("notes", pa.string()),
        pa.field("plover_type", pa.string()),
        pa.field("cameo_code", pa.string()),
        pa.field("modality", pa.string(), nullable=False),
        pa.field("confidence", pa.float64(), nullable=False),
        pa.field("date_resolved_from", pa.date32()),
        pa.field("year_from_reference", pa.bool_(), nullable=False),
        pa.field("geo_reason", pa.string()),
    ]
)

SOURCES_SCHEMA = pa.schema(
    [
        pa.field("event_id", pa.string(), nullable=False),
        pa.field("position", pa.int32(), nullable=False),  # order among the event's sources
        pa.field("document_id", pa.string(), nullable=False),
        pa.field("url", pa.string()),
        pa.field("published", pa.date32()),
        pa.field("section", pa.string(), nullable=False),
        pa.field("sentence", pa.string(), nullable=False),
        pa.field("start", pa.int64(), nullable=False),
        pa.field("end", pa.int64(), nullable=False),
        pa.field("attribution", pa.list_(pa.string()), nullable=False),
        pa.field("extractor", pa.string(), nullable=False),
    ]
)

ROW_GROUP_ROWS = 50_000
PAGE_EVENTS = 5_000


def event_row(event: Event) -> dict[str, Any]:
    """Return an event's Parquet row (dates as dates, enums as their values)."""
    row: dict[str, Any] = {name: getattr(event, name) for name in EVENT_FIELDS}
    row["modality"] = event.modality.value
    row["geo_reason"] = event.geo_reason.value if event.geo_reason is not None else None
    return row


def source_row(event_id: str, position: int, source: Source) -> dict[str, Any]:
    """Return the Parquet row of one source of an event."""
    return {
        "event_id": event_id,
        "position": position,
        "document_id": source.document_id,
        "url": source.url,
        "published": source.published,
        "section": source.section,
        "sentence": source.sentence,
        "start": source.start,
        "end": source.end,
        "attribution": list(source.attribution),
        "extractor": source.extractor,
    }


def with_attribution(schema: Any) -> Any:
    """Return ``schema`` with the attribution in its metadata (kept by every Parquet reader)."""
    return schema.with_metadata({**(schema.metadata or {}), **attribution()})


class _RowGroupWriter:
    """Buffers rows and writes them as row groups of one Parquet file."""

    def __init__(self, path: Path, schema: Any, *, rows_per_group: int) -> None:
        self.schema = with_attribution(schema)
        self.rows_per_group = rows_per_group
        self.rows: list[dict[str, Any]] = []
        self.written = 0
        self.writer = pq.ParquetWriter(str(path), self.schema, compression="zstd")

    def add(self, row: dict[str, Any]) -> None:
        self.rows.append(row)
        if len(self.rows) >= self.rows_per_group:
            self.flush()

    def flush(self) -> None:
        if self.rows:
            self.writer.write_table(pa.Table.from_pylist(self.rows, schema=self.schema))
            self.written += len(self.rows)
            self.rows = []

    def close(self) -> None:
        self.flush()
        self.writer.close()


def write_parquet(
    events: Iterable[Event],
    path: str | Path,
    *,
    sources_path: str | Path | None = None,
    rows_per_group: int = ROW_GROUP_ROWS,
) -> int:
    """Write events to a Parquet file (and their sources to another); return the event count.

    Args:
        events: any iterable; consumed once, never held in memory whole.
        path: the events file (created or replaced).
        sources_path: the sources file, one row per (event, source sentence); None for none.
        rows_per_group: rows buffered before a row group is written.
    """
    out = _RowGroupWriter(Path(path), EVENTS_SCHEMA, rows_per_group=rows_per_group)
    sources = (
        _RowGroupWriter(Path(sources_path), SOURCES_SCHEMA, rows_per_group=rows_per_group)
        if sources_path is not None
        else None
    )
    try:
        for event in events:
            out.add(event_row(event))
            if sources is not None:
                for position, source in enumerate(event.sources):
                    sources.add(source_row(event.event_id, position, source))
    finally:
        out.close()
        if sources is not None:
            sources.close()
    return out.written


def page_events(
    store: Store, query: EventQuery = DEFAULT_QUERY, *, page_size: int = PAGE_EVENTS
) -> Iterator[Event]:
    """Yield the events of ``query`` from ``store`` a page at a time (constant memory).

    The query's own limit and offset are honoured: pages are cut from that window.
    """
    if page_size < 1:
        raise ValueError(f"page_size must be 1 or more, not {page_size}")
    offset = query.offset
    left = query.limit
    while left is None or left > 0:
        size = page_size if left is None else min(page_size, left)
        page = store.events(replace(query, limit=size, offset=offset))
        yield from page
        if len(page) < size:
            return
        offset += len(page)
        if left is not None:
            left -= len(page)
