"""What the routes share: the store, settings, map options and the lazily built pipeline."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from fastapi import Request

from sitrep.adapters.store.base import Store
from sitrep.pipeline import Pipeline
from sitrep.settings import Settings

PipelineFactory = Callable[[dict[str, Any]], Pipeline]


@dataclass
class Desk:
    """The app's shared state (one per app, on ``app.state.desk``)."""

    store: Store
    settings: Settings
    tiles_url: str | None = None
    tiles_attribution: str | None = None
    pipeline_factory: PipelineFactory | None = None
    _pipeline: Pipeline | None = field(default=None, repr=False)
    # Pipelines hold models that are not thread-safe: one page at a time.
    pipeline_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def pipeline(self) -> Pipeline:
        """Return the pipeline, building it (and loading its models) on first use.

        Call with ``pipeline_lock`` held.
        """
        if self._pipeline is None:
            factory = self.pipeline_factory
            if factory is None:
                # Imported here: building the pipeline pulls in spaCy, which reading never needs.
                from sitrep.process import build_pipeline

                factory = build_pipeline
            self._pipeline = factory(self.settings.as_dict())
        return self._pipeline


def get_desk(request: Request) -> Desk:
    """Return the app's Desk (a FastAPI dependency)."""
    desk: Desk = request.app.state.desk
    return desk
