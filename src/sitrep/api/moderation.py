"""The comment queue: moderation decisions and screenings, read through optional store methods.

The Store protocol keeps neither yet. A store that offers these methods (duck-typed, so the
API works with every store today) lights up the matching parts of the API:

- ``save_moderation(decision: ModerationDecision) -> None``
- ``moderation_decisions(document_id: str) -> Mapping[int, ModerationDecision]`` by position
- ``comment_screenings(document_id: str) -> Mapping[int, Screening-like]`` by position, where
  a screening has ``decision`` (str enum), ``scores`` ((label, score), ...), ``spans``
  ((label, start, end, text), ...) and ``model`` (sitrep.screen.Screening).

Without them the API answers 501 to a decision and null for ``screening`` and ``decision``:
docs/decisions/0008-desk.md.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

from sitrep.adapters.store.base import Store

DECISIONS: tuple[str, ...] = ("ok", "review", "remove")


@dataclass(frozen=True)
class ModerationDecision:
    """A moderator's decision on one comment of one document.

    Args:
        position: the comment's ``Comment.position`` in its document.
        decided_at: ISO 8601 UTC time the decision was made.
    """

    document_id: str
    position: int
    decision: str
    moderator: str
    note: str | None
    decided_at: str


@runtime_checkable
class ModerationStore(Protocol):
    """A store that keeps moderation decisions."""

    def save_moderation(self, decision: ModerationDecision) -> None: ...

    def moderation_decisions(self, document_id: str) -> Mapping[int, ModerationDecision]: ...


@runtime_checkable
class ScreeningStore(Protocol):
    """A store that keeps comment screenings."""

    def comment_screenings(self, document_id: str) -> Mapping[int, Any]: ...


def can_save_decisions(store: Store) -> bool:
    """Return True when ``store`` can keep moderation decisions."""
    return callable(getattr(store, "save_moderation", None))


def decisions_of(store: Store, document_id: str) -> Mapping[int, ModerationDecision]:
    """Return a document's decisions by comment position (empty when the store keeps none)."""
    if isinstance(store, ModerationStore):
        return store.moderation_decisions(document_id)
    return {}


def screenings_of(store: Store, document_id: str) -> Mapping[int, Any]:
    """Return a document's comment screenings by position (empty when the store keeps none)."""
    if isinstance(store, ScreeningStore):
        return store.comment_screenings(document_id)
    return {}


def has_screenings(store: Store) -> bool:
    """Return True when ``store`` keeps comment screenings."""
    return isinstance(store, ScreeningStore)
