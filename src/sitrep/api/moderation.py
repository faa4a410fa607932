"""The comment queue over the Store protocol: filters, keyset pages, decisions.

Screenings come with the stored comments and moderators' decisions from the store's own
table (docs/decisions/0007-comments-and-moderation.md); the API only reads them through
``Store.comments`` and writes through ``Store.save_moderation``.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass

from sitrep.adapters.store.base import (
    DECISION_RANK,
    CommentQuery,
    CommentRow,
    Moderation,
    Store,
    toxicity_of,
)
from sitrep.api.queries import Paged, SortKey, paginate

DECISIONS: tuple[str, ...] = ("ok", "review", "remove")

# The decision body's fields, in the order a store's message is searched for them.
_BODY_FIELDS = ("moderator", "note", "decision")


@dataclass(frozen=True)
class CommentFilter:
    """What the queue shows; ``None`` means "any".

    Args:
        status: the effective decision (the moderator's, else the screening's).
        machine: the screening's own decision.
        moderated: True for comments a moderator decided, False for the others.
        document_id: only this document's comments.
    """

    status: str | None = None
    machine: str | None = None
    moderated: bool | None = None
    document_id: str | None = None

    def store_query(self) -> CommentQuery:
        """Return the store's query for this filter (every page of it)."""
        return CommentQuery(
            status=self.status,
            machine=self.machine,
            moderated=self.moderated,
            document_id=self.document_id,
        )

    def fingerprint(self) -> str:
        """Return a short hash of the filter, bound into cursors so they cannot cross queries."""
        payload = json.dumps({"comments": asdict(self)}, sort_keys=True)
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:12]


def queue_keys(rows: Sequence[CommentRow]) -> list[SortKey]:
    """Return each row's key in the queue's order (worst first, as ``Store.comments``).

    A comment's key is its effective decision's rank, toxicity (highest first, unscreened
    last), document id and position, plus a repeat count so that two comments sharing a
    position keep distinct keys.
    """
    seen: Counter[tuple[str, int]] = Counter()
    keys: list[SortKey] = []
    for row in rows:
        toxicity = toxicity_of(row.screening)
        repeat = seen[(row.document_id, row.position)]
        seen[(row.document_id, row.position)] += 1
        keys.append(
            (
                DECISION_RANK[row.decision],
                toxicity is None,
                -float(toxicity) if toxicity is not None else 0.0,
                row.document_id,
                row.position,
                repeat,
            )
        )
    return keys


def page_comments(
    store: Store, comment_filter: CommentFilter, *, limit: int, cursor: str | None
) -> Paged[CommentRow]:
    """Return the page of the queue that follows ``cursor``, worst first.

    A keyset cursor, not an offset: a moderator deciding comments of page one (which takes
    them out of an ``undecided`` queue) never makes page two skip the comments after them.

    Raises:
        InvalidParameter: ``limit`` is out of range, or ``cursor`` is not one for this filter.
    """
    rows = store.comments(comment_filter.store_query())
    keyed = list(zip(queue_keys(rows), rows, strict=True))
    paged = paginate(
        keyed,
        key=lambda pair: pair[0],
        limit=limit,
        cursor=cursor,
        fingerprint=comment_filter.fingerprint(),
    )
    return Paged(
        items=[row for _, row in paged.items], total=paged.total, next_cursor=paged.next_cursor
    )


def moderations_of(store: Store, document_id: str) -> dict[int, Moderation]:
    """Return a document's moderators' decisions by comment position."""
    rows = store.comments(CommentQuery(document_id=document_id, moderated=True))
    return {row.position: row.moderation for row in rows if row.moderation is not None}


def field_named_in(message: str) -> str | None:
    """Return the decision body field a store's ConfigError message is about, if it names one."""
    for name in _BODY_FIELDS:
        if re.search(rf"\b{name}\b", message):
            return name
    return None
