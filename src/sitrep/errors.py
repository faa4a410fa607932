"""sitrep's exceptions.

SitrepError
├── ConfigError          a setting or URL is wrong (the message says which and how to fix it)
├── InputError           one input record is unusable (empty, binary, bad JSON, too large)
├── StageError           a stage failed on one record (wraps the cause, names the record)
├── StoreError           the database refused an operation
└── ModelError           a model or data package is missing or broken
"""

from __future__ import annotations


class SitrepError(Exception):
    """Base class of every error sitrep raises on purpose."""


class ConfigError(SitrepError):
    """A setting, URL or option is invalid."""


class InputError(SitrepError):
    """One input record cannot be read; the run goes on without it."""


class StageError(SitrepError):
    """A stage failed on one record."""

    def __init__(self, stage: str, record_id: str, message: str) -> None:
        super().__init__(f"stage {stage!r} failed on record {record_id}: {message}")
        self.stage = stage
        self.record_id = record_id


class StoreError(SitrepError):
    """The store could not complete an operation."""


class ModelError(SitrepError):
    """A model or data package cannot be loaded."""
