"""Idempotence: the same pages, processed twice, in any order, in one run or two, give the same
database — the same document ids, event ids and event rows (slow: the real pipeline).
"""

from __future__ import annotations

import random
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from sitrep.adapters.store import SQLiteStore
from sitrep.pipeline import Pipeline
from sitrep.process import build_pipeline, process_paths
from sitrep.settings import Settings
from tests.conftest import EXAMPLES
from tests.test_crash import ids, snapshot, write_corpus

PUBLISHED = date(2024, 3, 1)


class SharedPipeline:
    """Builds the real pipeline once; every run reuses it, so state kept between batches shows."""

    def __init__(self) -> None:
        self.pipeline: Pipeline | None = None

    def __call__(self, values: dict[str, Any]) -> Pipeline:
        if self.pipeline is None:
            self.pipeline = build_pipeline(values)
        return self.pipeline


@pytest.fixture(scope="module")
def factory() -> SharedPipeline:
    return SharedPipeline()


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    folder = tmp_path_factory.mktemp("idem")
    found = write_corpus(folder / "pages", 10, seed=3)
    # Real pages too: HTML with comment markup and a text page with reader comments.
    found += sorted(p for p in EXAMPLES.iterdir() if p.suffix in {".html", ".txt"})
    return found


def run(
    db: Path,
    batches: list[list[Path]],
    factory: SharedPipeline,
    *,
    force: bool = False,
    batch_size: int = 16,
) -> Path:
    settings = Settings({"process.batch_size": batch_size})
    with SQLiteStore(db) as store:
        for paths in batches:
            process_paths(
                paths,
                settings=settings,
                store=store,
                published=PUBLISHED,
                force=force,
                factory=factory,
            )
    return db


@pytest.mark.slow
def test_same_pages_any_order_any_runs_same_database(
    pages: list[Path], factory: SharedPipeline, tmp_path: Path
) -> None:
    rng = random.Random(20240301)
    reference = run(tmp_path / "once.db", [pages], factory)
    expected = snapshot(reference)
    assert ids(reference, "events", "event_id"), "the pages gave no events: nothing is compared"

    def shuffled() -> list[Path]:
        order = list(pages)
        rng.shuffle(order)
        return order

    half = shuffled()[: len(pages) // 2]
    variants = {
        # Every page twice in one run, shuffled (duplicates share a batch).
        "twice-in-one-run": run(tmp_path / "a.db", [shuffled() + shuffled()], factory),
        # Two runs, the second skipping what the first stored.
        "two-runs": run(tmp_path / "b.db", [half, shuffled()], factory),
        # Two runs, the second re-processing everything (--force).
        "forced-rerun": run(tmp_path / "c.db", [shuffled(), shuffled()], factory, force=True),
        # Batches of one and of three: batching must not change results.
        "batch-of-one": run(tmp_path / "d.db", [shuffled()], factory, batch_size=1),
        "batch-of-three": run(tmp_path / "e.db", [shuffled()], factory, batch_size=3),
    }
    for name, db in variants.items():
        assert ids(db, "documents", "id") == ids(reference, "documents", "id"), name
        assert ids(db, "events", "event_id") == ids(reference, "events", "event_id"), name
        got = snapshot(db)
        for table in expected:
            assert got[table] == expected[table], (name, table)
