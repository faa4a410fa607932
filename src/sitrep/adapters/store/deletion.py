"""Deleting a document with everything derived from it: the report and the re-fusion plan.

Every store's ``delete_document`` follows the same steps in one transaction
(docs/decisions/0015-data-rights.md):

1. find the document's reports (its events and the events whose sources cite it), the
   clusters they are in, and every stored report connected to them (``component``);
2. delete the document, its segments, comments, moderators' decisions, failures, the source
   rows citing it, and each of its events left with no source and no document;
3. re-fuse what is left of that component, connected anew (a shared event lost a source, so
   its compatibilities may change), replacing every cluster it touched.

Clusters depend only on the set of reports (docs/decisions/0011-fusion.md), so the result is
the store a rebuild would give, and processing the page again restores what was deleted.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass

from sitrep.errors import StoreError
from sitrep.fuse import DEFAULT_RULES, FusionRules, SearchWindow, compatible, search_window
from sitrep.records import Event


class UnknownDocumentError(StoreError):
    """A deletion names a document the store does not hold."""


def unknown_document(document_id: str) -> UnknownDocumentError:
    """Return the error for deleting a document the store does not hold."""
    return UnknownDocumentError(
        f"no document with id {document_id!r}; list the stored ones with `sitrep documents`"
    )


@dataclass(frozen=True)
class DeletionReport:
    """What ``Store.delete_document`` removed, by kind.

    Args:
        documents: 1, or 0 when only failures were stored under the id.
        sources: source rows that cited the document (on its events or any other).
        events: events deleted, left with no source and no document.
        events_kept: the document's events kept because another document reports them too.
        clusters_removed: clusters gone: the re-fusion of the reports the document's were
            connected to no longer forms them (a cluster left with one report is not stored).
        clusters_rebuilt: clusters that re-fusion stored (their sources no longer cite it).
    """

    document_id: str
    documents: int
    segments: int
    comments: int
    moderation: int
    failures: int
    sources: int
    events: int
    events_kept: int
    clusters_removed: int
    clusters_rebuilt: int

    def to_dict(self) -> dict[str, str | int]:
        """Return the report as a JSON-ready dict."""
        return asdict(self)


def component(
    candidates: Callable[[SearchWindow], list[Event]],
    seeds: Iterable[Event],
    *,
    rules: FusionRules = DEFAULT_RULES,
) -> dict[str, Event]:
    """Return ``seeds`` and every stored report linked to them by a chain of compatible ones.

    The one connected-component search: ``sitrep.fuse_store.connected`` calls it with
    ``Store.candidate_events``; a store deleting a document passes a search that reads inside
    its own write transaction. It lives here because fuse_store imports the stores.

    Args:
        candidates: the reports in a window (``Store.candidate_events``' answer).
    """
    found = {e.event_id: e for e in seeds}
    frontier = list(found.values())
    while frontier:
        event = frontier.pop()
        window = search_window(event, rules=rules)
        if window is None:
            continue
        for candidate in candidates(window):
            if candidate.event_id in found or not compatible(event, candidate, rules=rules):
                continue
            found[candidate.event_id] = candidate
            frontier.append(candidate)
    return found
