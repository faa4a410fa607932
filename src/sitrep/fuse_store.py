"""Fusion against a store: the incremental pass after each saved batch, and the full rebuild.

Incremental fusion gives the clusters a rebuild would (docs/decisions/0011-fusion.md): the
clusters of a set of reports depend only on the connected component of the compatibility
relation each report is in, so a pass re-clusters exactly the components the batch touches,
found by candidate searches (type, country, date window, box) rather than a full scan.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

from sitrep.adapters.store.base import EventQuery, Store
from sitrep.adapters.store.deletion import component
from sitrep.fuse import (
    DEFAULT_RULES,
    FusedEvent,
    FusionRules,
    fuse_events,
)
from sitrep.records import Event


@dataclass(frozen=True)
class FusionReport:
    """What a fusion pass did.

    Args:
        events: per-document events re-clustered (the touched components).
        clusters: clusters of two or more reports among them, after the pass.
        merged: reports that are in such a cluster.
    """

    events: int
    clusters: int
    merged: int


def connected(
    store: Store, seeds: Sequence[Event], *, rules: FusionRules = DEFAULT_RULES
) -> dict[str, Event]:
    """Return ``seeds`` and every stored report linked to them by a chain of compatible ones."""
    return component(store.candidate_events, seeds, rules=rules)


def fuse_documents(
    store: Store,
    document_ids: Collection[str],
    *,
    rules: FusionRules = DEFAULT_RULES,
) -> FusionReport:
    """Re-cluster what saving ``document_ids`` may have changed; call after saving them.

    Seeds are the documents' stored events and the surviving members of every cluster that
    cited them (a re-processed page may have dropped or changed its reports).
    """
    seeds: dict[str, Event] = {}
    for document_id in sorted(set(document_ids)):
        for event in store.events(EventQuery(document_id=document_id, modality=None)):
            seeds[event.event_id] = event
    affected = store.clusters(document_ids=document_ids, event_ids=seeds.keys())
    members = {m for c in affected for m in c.members} - seeds.keys()
    for event in store.events_by_id(members):
        seeds[event.event_id] = event
    component = connected(store, list(seeds.values()), rules=rules)
    fused = fuse_events(list(component.values()), rules=rules)
    store.replace_clusters(
        fused, events=component.keys(), clusters=[c.cluster_id for c in affected]
    )
    return _report(len(component), fused)


def rebuild_clusters(store: Store, *, rules: FusionRules = DEFAULT_RULES) -> FusionReport:
    """Recompute every cluster from scratch (``sitrep fuse --rebuild``)."""
    events = store.events(EventQuery(modality=None))
    fused = fuse_events(events, rules=rules)
    store.clear_clusters()
    store.replace_clusters(fused, events=[e.event_id for e in events])
    return _report(len(events), fused)


def _report(n: int, fused: Sequence[FusedEvent]) -> FusionReport:
    multi = [f for f in fused if len(f.members) > 1]
    return FusionReport(events=n, clusters=len(multi), merged=sum(len(f.members) for f in multi))
