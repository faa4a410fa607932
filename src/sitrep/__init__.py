"""sitrep: conflict events from news pages, as data.

The library is the product; the CLI is a thin layer over these names.
"""

from sitrep.adapters.store import open_store
from sitrep.adapters.store.base import (
    BBox,
    Bucket,
    CommentQuery,
    CommentRow,
    EventQuery,
    Moderation,
    Store,
    UnknownCommentError,
)
from sitrep.adapters.store.deletion import DeletionReport, UnknownDocumentError
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
    Decision,
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
    Screening,
    Segment,
    SegmentKind,
    Source,
)
from sitrep.settings import SETTINGS, Settings, load_settings

__all__ = [
    "SETTINGS",
    "Actor",
    "BBox",
    "BatchResult",
    "Bucket",
    "Comment",
    "CommentQuery",
    "CommentRow",
    "ConfigError",
    "Decision",
    "DeletionReport",
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
    "Moderation",
    "Page",
    "Pipeline",
    "Place",
    "ProcessSummary",
    "Screening",
    "Segment",
    "SegmentKind",
    "Settings",
    "SitrepError",
    "Source",
    "StageError",
    "Store",
    "StoreError",
    "UnknownCommentError",
    "UnknownDocumentError",
    "build_pipeline",
    "load_settings",
    "open_store",
    "process_paths",
]
