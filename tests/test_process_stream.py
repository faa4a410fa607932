"""process_pages can stream events instead of holding them (flat memory on crawls)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sitrep.adapters.store.memory import MemoryStore
from sitrep.pipeline import Pipeline
from sitrep.process import process_pages
from sitrep.records import Document, Event, Page
from sitrep.settings import Settings
from tests.test_store_factories import make_event


class OneEventPerPage:
    """Turns each page into a document with one event of its own."""

    name = "segment"
    requires: tuple[str, ...] = ()
    produces = ("segments", "events")

    def setup(self) -> None:
        pass

    def __call__(self, batch: Sequence[Any]) -> list[Any]:
        return [
            Document(
                id=p.id,
                origin=p.origin,
                text=p.text or "",
                events=(make_event(f"e-{p.origin}"),),
            )
            for p in batch
        ]


def _factory(values: dict[str, Any]) -> Pipeline:
    return Pipeline([OneEventPerPage()])


def _pages(n: int) -> list[Page]:
    return [Page(origin=f"p{i}", text=f"page {i}") for i in range(n)]


def test_streaming_hands_every_event_over_and_keeps_none() -> None:
    streamed: list[Event] = []
    summary = process_pages(
        _pages(40),
        settings=Settings(),
        store=MemoryStore(),
        factory=_factory,
        on_event=streamed.append,
        keep_events=False,
    )
    assert summary.events == []
    assert summary.n_events == 40
    assert sorted(e.event_id for e in streamed) == sorted(f"e-p{i}" for i in range(40))


def test_default_keeps_the_events_for_the_table() -> None:
    summary = process_pages(_pages(3), settings=Settings(), store=MemoryStore(), factory=_factory)
    assert summary.n_events == 3
    assert [e.event_id for e in summary.events] == ["e-p0", "e-p1", "e-p2"]
