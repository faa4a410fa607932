"""The local engine: runs the pipeline in this process or in a pool of worker processes."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any

from sitrep.pipeline import BatchResult, Pipeline
from sitrep.records import Page

PipelineFactory = Callable[[dict[str, Any]], Pipeline]

# One pipeline per worker process, built once by the pool initializer so that models
# load once per worker, not once per batch.
_worker_pipeline: Pipeline | None = None


def _init_worker(factory: PipelineFactory, values: dict[str, Any]) -> None:
    global _worker_pipeline
    _worker_pipeline = factory(values)
    _worker_pipeline.setup()


def _run_in_worker(pages: Sequence[Page]) -> BatchResult:
    assert _worker_pipeline is not None, "worker initializer did not run"
    return _worker_pipeline.run(pages)


class LocalEngine:
    """Maps batches of pages to BatchResults, in order.

    Args:
        factory: builds a Pipeline from a settings dict (must be a module-level function,
            so that worker processes can import it).
        values: the settings dict handed to the factory.
        workers: 1 runs in this process; more starts a process pool.
    """

    def __init__(self, factory: PipelineFactory, values: dict[str, Any], *, workers: int = 1):
        self.factory = factory
        self.values = values
        self.workers = max(1, workers)

    def map(self, batches: Iterable[Sequence[Page]]) -> Iterator[BatchResult]:
        if self.workers == 1:
            pipeline = self.factory(self.values)
            pipeline.setup()
            for batch in batches:
                yield pipeline.run(batch)
            return
        with ProcessPoolExecutor(
            max_workers=self.workers,
            initializer=_init_worker,
            initargs=(self.factory, self.values),
        ) as pool:
            # Bounded in-flight work keeps memory constant on long inputs.
            pending: deque[Future[BatchResult]] = deque()
            for batch in batches:
                pending.append(pool.submit(_run_in_worker, batch))
                if len(pending) >= 2 * self.workers:
                    yield pending.popleft().result()
            while pending:
                yield pending.popleft().result()
