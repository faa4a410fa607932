"""Pipeline(stages).run(pages): a plain loop over stages with per-record error isolation."""

from __future__ import annotations

import dataclasses
import signal
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from types import FrameType
from typing import Any

from sitrep.errors import ConfigError, SitrepError
from sitrep.records import Document, DocumentStatus, Failure, Page
from sitrep.stages.base import Stage


@dataclass(frozen=True)
class BatchResult:
    """What one batch produced: documents (failed ones included, marked) and failures."""

    documents: tuple[Document, ...]
    failures: tuple[Failure, ...]


class StageTimeout(SitrepError):
    """A stage ran past its time budget on a batch or a record."""


@contextmanager
def _deadline(seconds: float | None, what: str) -> Iterator[None]:
    """Raise StageTimeout in this thread after ``seconds``.

    SIGALRM only exists in a process's main thread (the CLI and the local engine's workers);
    elsewhere (Ray actors, API threads) no deadline applies: docs/reliability.md. A signal
    interrupts Python code, not a long call inside a C extension, which ends first.
    """
    usable = (
        seconds is not None
        and seconds > 0
        and hasattr(signal, "SIGALRM")
        and threading.current_thread() is threading.main_thread()
    )
    if not usable or seconds is None:
        yield
        return

    def expire(signum: int, frame: FrameType | None) -> None:
        raise StageTimeout(f"{what} took longer than {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _record_id(record: Any) -> tuple[str, str]:
    if isinstance(record, Page | Document):
        return record.id, record.origin
    return "unknown", "unknown"


class Pipeline:
    """Runs stages in order over a batch; a record that a stage fails on becomes a Failure.

    Args:
        stages: the stages, first one taking Pages, the rest Documents.
        raise_errors: re-raise instead of recording failures (for tests and debugging).
        record_timeout: seconds a stage may spend per record (a batch gets that times its
            size); a record past it becomes a Failure and the run goes on. None: no limit.
    """

    def __init__(
        self,
        stages: Sequence[Stage],
        *,
        raise_errors: bool = False,
        record_timeout: float | None = None,
    ) -> None:
        self.stages = tuple(stages)
        self.raise_errors = raise_errors
        self.record_timeout = record_timeout
        self._ready = False
        self._check_order()

    def _check_order(self) -> None:
        # spaCy-style: each stage's needs must be produced by an earlier stage (or be
        # a field every Document has from segmentation).
        available = {"page", "text", "segments", "comments", "headline", "published"}
        for stage in self.stages:
            missing = [r for r in stage.requires if r not in available]
            if missing:
                raise ConfigError(
                    f"stage {stage.name!r} requires {missing} but no earlier stage produces "
                    f"it; order: {[s.name for s in self.stages]}"
                )
            available.update(stage.produces)

    def setup(self) -> None:
        """Load every stage's models once."""
        if not self._ready:
            for stage in self.stages:
                stage.setup()
            self._ready = True

    def run(self, pages: Sequence[Page]) -> BatchResult:
        """Run all stages over ``pages``; never raises for a bad record unless raise_errors."""
        self.setup()
        records: list[Any] = list(pages)
        failures: list[Failure] = []
        finished: list[Document] = []
        for stage in self.stages:
            if not records:
                break
            records, failed = self._run_stage(stage, records, failures)
            finished.extend(failed)
        documents: list[Document] = []
        for record in records:
            if isinstance(record, Document):
                if record.status is DocumentStatus.PENDING:
                    record = dataclasses.replace(record, status=DocumentStatus.OK)
                documents.append(dataclasses.replace(record, nlp_doc=None))
        return BatchResult(tuple(documents + finished), tuple(failures))

    def _run_stage(
        self, stage: Stage, records: list[Any], failures: list[Failure]
    ) -> tuple[list[Any], list[Document]]:
        budget = self.record_timeout * len(records) if self.record_timeout else None
        try:
            with _deadline(budget, f"stage {stage.name!r} on a batch of {len(records)}"):
                out = stage(records)
            if len(out) != len(records):
                raise RuntimeError(
                    f"stage {stage.name!r} returned {len(out)} records for {len(records)}"
                )
            return list(out), []
        except Exception:
            if self.raise_errors:
                raise
        # The batch failed: run record by record so one bad page cannot sink the others.
        kept: list[Any] = []
        failed_docs: list[Document] = []
        for record in records:
            # Any stage bug on one record must not stop the run: it becomes a Failure.
            try:
                with _deadline(
                    self.record_timeout,
                    f"stage {stage.name!r} on record {_record_id(record)[1]}",
                ):
                    kept.extend(stage([record]))
            except Exception as e:
                record_id, origin = _record_id(record)
                failures.append(
                    Failure(
                        stage=stage.name,
                        record_id=record_id,
                        origin=origin,
                        error=type(e).__name__,
                        message=str(e)[:2_000] or type(e).__name__,
                    )
                )
                if isinstance(record, Document):
                    failed_docs.append(
                        dataclasses.replace(
                            record,
                            status=DocumentStatus.FAILED,
                            status_reason=f"{stage.name}: {type(e).__name__}: {e}"[:2_000],
                            nlp_doc=None,
                        )
                    )
        return kept, failed_docs
