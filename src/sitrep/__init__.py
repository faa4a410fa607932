"""sitrep: conflict events from news pages, as data.

The library is the product; the CLI is a thin layer over these names.
"""

from sitrep.adapters.store import open_store
from sitrep.adapters.store.base import EventQuery, Store
from sitrep.errors import (
    ConfigError,
    InputError,
    ModelError,
    SitrepError,
    StageError,
    StoreError,
)
from sitrep.pipeline import BatchResult, Pipeline
from sitrep.process import ProcessSummary, build_pipeline, process_paths
from sitrep.records import (
    Actor,
    Comment,
    Document,
    DocumentStatus,
    Event,
    Failure,
    GeocodeResult,
    GeoReason,
    Mention,
    Modality,
    Page,
    Place,
    Segment,
    SegmentKind,
    Source,
)
from sitrep.settings import SETTINGS, Settings, load_settings

__all__ = [
    "SETTINGS",
    "Actor",
    "BatchResult",
    "Comment",
    "ConfigError",
    "Document",
    "DocumentStatus",
    "Event",
    "EventQuery",
    "Failure",
    "GeoReason",
    "GeocodeResult",
    "InputError",
    "Mention",
    "Modality",
    "ModelError",
    "Page",
    "Pipeline",
    "Place",
    "ProcessSummary",
    "Segment",
    "SegmentKind",
    "Settings",
    "SitrepError",
    "Source",
    "StageError",
    "Store",
    "StoreError",
    "build_pipeline",
    "load_settings",
    "open_store",
    "process_paths",
]
