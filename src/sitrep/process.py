"""The main job as a library call: pages in, documents, events and failures stored."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from itertools import islice
from pathlib import Path
from typing import Any

from sitrep.adapters.engine.local import LocalEngine
from sitrep.adapters.engine.ray import RayEngine
from sitrep.adapters.store.base import Store
from sitrep.errors import ConfigError
from sitrep.pipeline import Pipeline
from sitrep.records import Event, Failure, Page
from sitrep.settings import Settings


def build_pipeline(values: dict[str, Any], *, raise_errors: bool = False) -> Pipeline:
    """Build the default pipeline from a settings dict (module-level: workers import it)."""
    # Imported here: loading stage modules pulls in spaCy and trafilatura, which the
    # light commands (events, settings) never need.
    from sitrep.actors import ActorDictionary
    from sitrep.stages.events import EventsStage
    from sitrep.stages.geocode import GeocodeStage
    from sitrep.stages.language import LanguageStage
    from sitrep.stages.nlp import NlpStage
    from sitrep.stages.screen import ScreenStage
    from sitrep.stages.segment import SegmentStage

    settings = Settings(values)
    extra = settings["events.actors_file"]
    return Pipeline(
        [
            SegmentStage(max_comments=settings["segment.max_comments"]),
            LanguageStage(
                supported=tuple(
                    c.strip() for c in settings["language.supported"].split(",") if c.strip()
                ),
                min_score=settings["language.min_score"],
            ),
            # Before nlp: comments are screened even when the article fails a later stage.
            ScreenStage.from_settings(settings),
            NlpStage(
                settings["nlp.model"],
                batch_size=settings["nlp.batch_size"],
                max_chars=settings["nlp.max_chars"],
            ),
            EventsStage(actors=ActorDictionary.load(Path(extra) if extra else None)),
            GeocodeStage.from_settings(settings),
        ],
        raise_errors=raise_errors,
        record_timeout=settings["process.record_timeout"] or None,
    )


@dataclass
class ProcessSummary:
    """What a run did."""

    pages: int = 0
    skipped: int = 0
    failures: int = 0
    statuses: Counter[str] = field(default_factory=Counter)
    events: list[Event] = field(default_factory=list)  # empty unless keep_events
    n_events: int = 0
    clusters_touched: int = 0  # clusters of 2+ reports in the components fusion re-clustered


def _batches(items: Iterator[Page], size: int) -> Iterator[list[Page]]:
    while batch := list(islice(items, size)):
        yield batch


def process_paths(
    paths: Sequence[str | Path],
    *,
    settings: Settings,
    store: Store,
    published: date | None = None,
    force: bool = False,
    on_page: Callable[[int], None] | None = None,
    factory: Callable[[dict[str, Any]], Pipeline] = build_pipeline,
    on_event: Callable[[Event], None] | None = None,
    keep_events: bool = True,
) -> ProcessSummary:
    """Read pages from ``paths``, run the pipeline, store documents, events and failures.

    Args:
        paths: files and folders of pages.
        settings: resolved settings.
        store: where results go.
        published: publication date for pages that carry none of their own.
        force: re-process pages already stored (default: skip them, so re-runs are no-ops).
        on_page: called with the number of pages finished, for progress bars.
        factory: builds the pipeline from a settings dict (tests inject fakes).
        on_event: called with each stored event as its document is saved (streaming output).
        keep_events: also collect the events in ``ProcessSummary.events``; turn it off on
            crawls, where holding every event would make memory grow with the input.
    """
    from sitrep.stages.read import read_pages

    pages = read_pages(
        paths,
        published=published,
        max_bytes=settings["read.max_bytes"],
        max_line_bytes=settings["read.max_line_bytes"],
    )
    return process_pages(
        pages,
        settings=settings,
        store=store,
        force=force,
        on_page=on_page,
        factory=factory,
        on_event=on_event,
        keep_events=keep_events,
    )


def process_pages(
    pages: Iterable[Page | Failure],
    *,
    settings: Settings,
    store: Store,
    force: bool = False,
    on_page: Callable[[int], None] | None = None,
    factory: Callable[[dict[str, Any]], Pipeline] = build_pipeline,
    on_event: Callable[[Event], None] | None = None,
    keep_events: bool = True,
) -> ProcessSummary:
    """Run the pipeline over pages (read failures are stored as they come) and store results.

    Pages are consumed lazily, a batch at a time: an endless or huge iterator is fine.

    Args:
        pages: pages, and read failures to store as they are.
        settings / store / force / on_page / factory / on_event / keep_events: as for
            ``process_paths``.
    """
    from sitrep.fuse_store import fuse_documents

    summary = ProcessSummary()
    skipped: list[str] = []

    def pending() -> Iterator[Page]:
        for item in pages:
            summary.pages += 1
            if isinstance(item, Failure):
                store.save_failure(item)
                summary.failures += 1
                _tick(on_page, 1)
            elif not force and store.has_document(item.id):
                summary.skipped += 1
                skipped.append(item.id)
                _tick(on_page, 1)
            else:
                yield item

    engine = select_engine(factory, settings)
    for result in engine.map(_batches(pending(), settings["process.batch_size"])):
        for failure in result.failures:
            store.save_failure(failure)
        summary.failures += len(result.failures)
        for document in result.documents:
            store.save_document(document)
            summary.statuses[document.status.value] += 1
            summary.n_events += len(document.events)
            if keep_events:
                summary.events.extend(document.events)
            if on_event is not None:
                for event in document.events:
                    on_event(event)
        if result.documents:
            # Incremental fusion: the batch's reports join (or leave) clusters of the same
            # event from other pages: docs/decisions/0011-fusion.md.
            fused = fuse_documents(store, [d.id for d in result.documents])
            summary.clusters_touched += fused.clusters
        _tick(on_page, len(result.documents) + _unmatched(result))
    # A run killed between a save and its fusion pass left stored pages unfused; a re-run
    # skips them, so it fuses them here (a no-op for pages already fused).
    size = settings["process.batch_size"]
    for start in range(0, len(skipped), size):
        fuse_documents(store, skipped[start : start + size])
    return summary


def select_engine(
    factory: Callable[[dict[str, Any]], Pipeline], settings: Settings
) -> LocalEngine | RayEngine:
    """Return the engine that setting process.engine names (local or ray)."""
    name = settings["process.engine"]
    workers = settings["process.workers"]
    if name == "local":
        return LocalEngine(factory, settings.as_dict(), workers=workers)
    if name == "ray":
        # RayEngine imports Ray only when it runs: the local engine never needs Ray.
        return RayEngine(
            factory,
            settings.as_dict(),
            workers=workers,
            address=settings["process.ray_address"] or None,
        )
    raise ConfigError(f"process.engine must be local or ray, not {name!r}")


def _unmatched(result: Any) -> int:
    # Pages that failed before becoming Documents (segment stage) count as done too.
    doc_ids = {d.id for d in result.documents}
    return len({f.record_id for f in result.failures} - doc_ids)


def _tick(on_page: Callable[[int], None] | None, n: int) -> None:
    if on_page is not None and n:
        on_page(n)


def iter_events(events: Iterable[Event]) -> Iterator[Event]:
    """Events in a stable order for display: by date, then id."""
    return iter(sorted(events, key=lambda e: (e.event_date or date.min, e.event_id)))
