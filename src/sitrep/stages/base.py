"""The stage protocol: a named, batch-mapping callable that declares what it needs and makes."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol, runtime_checkable


@runtime_checkable
class Stage(Protocol):
    """One pipeline step.

    A stage loads its models once in ``setup()`` and maps a batch of records to a batch of
    records of the same length and order (the callable-class shape Ray's ``map_batches`` wants).
    ``requires``/``produces`` name Document fields, checked when a pipeline is assembled.
    """

    name: str
    requires: tuple[str, ...]
    produces: tuple[str, ...]

    def setup(self) -> None:
        """Load models and data; called once per process before the first batch."""

    def __call__(self, batch: Sequence[Any]) -> list[Any]:
        """Map a batch of records to new records."""
        ...
