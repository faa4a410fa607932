"""Records to the API's JSON (plain dicts shaped as sitrep.api.schemas says)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict
from datetime import UTC
from typing import Any

from sitrep.adapters.store.base import (
    CommentRow,
    DocumentSummary,
    Moderation,
    effective_decision,
)
from sitrep.api.highlight import highlight_sentence
from sitrep.api.queries import Bucket
from sitrep.records import Comment, Document, Event, Failure, Screening


def event_json(event: Event, *, parts: bool = False) -> dict[str, Any]:
    """Return an event as JSON; with ``parts``, each source sentence cut into marked parts."""
    out = event.to_dict()
    if parts:
        for source_out, source in zip(out["sources"], event.sources, strict=True):
            source_out["parts"] = [asdict(p) for p in highlight_sentence(event, source)]
    return out


def bucket_json(bucket: Bucket) -> dict[str, Any]:
    """Return an aggregate bucket as JSON."""
    return asdict(bucket)


def summary_json(summary: DocumentSummary) -> dict[str, Any]:
    """Return a document summary as JSON."""
    out = asdict(summary)
    out["published"] = summary.published.isoformat() if summary.published else None
    out["status"] = summary.status.value
    return out


def screening_json(screening: Screening | None) -> dict[str, Any] | None:
    """Return a comment's screening as JSON; None when it was not screened."""
    if screening is None:
        return None
    return {
        "decision": screening.decision.value,
        "scores": dict(screening.scores),
        "spans": [
            {"label": label, "start": start, "end": end, "text": text}
            for label, start, end, text in screening.spans
        ],
        "model": screening.model,
    }


def moderation_json(moderation: Moderation | None) -> dict[str, Any] | None:
    """Return a moderator's decision as JSON (time as ISO 8601 UTC); None when absent."""
    if moderation is None:
        return None
    return {
        "decision": moderation.decision.value,
        "moderator": moderation.moderator,
        "note": moderation.note,
        "decided_at": moderation.decided_at.astimezone(UTC).isoformat(),
    }


def comment_json(row: CommentRow, *, comment: Comment | None) -> dict[str, Any]:
    """Return a queue row as JSON, with the stored comment's offsets, reply and time.

    Args:
        comment: the document's comment at ``row.position``; None when it is gone (its
            offsets, reply and timestamp are then null).
    """
    return {
        "document_id": row.document_id,
        "position": row.position,
        "text": row.text,
        "start": comment.start if comment is not None else None,
        "end": comment.end if comment is not None else None,
        "author": row.author,
        "reply_to": comment.reply_to if comment is not None else None,
        "timestamp": comment.timestamp if comment is not None else None,
        "status": row.decision.value if row.decision is not None else None,
        "screening": screening_json(row.screening),
        "decision": moderation_json(row.moderation),
    }


def comment_row(document_id: str, comment: Comment, moderation: Moderation | None) -> CommentRow:
    """Return a stored comment as a queue row (its effective decision worked out)."""
    return CommentRow(
        document_id=document_id,
        position=comment.position,
        author=comment.author,
        text=comment.text,
        screening=comment.screening,
        moderation=moderation,
        decision=effective_decision(comment.screening, moderation),
    )


def document_json(document: Document, *, moderations: Mapping[int, Moderation]) -> dict[str, Any]:
    """Return a document with its text, segments, comments (screened, decided) and events.

    Args:
        moderations: the moderators' decisions on its comments, by position.
    """
    d = document
    return {
        "id": d.id,
        "origin": d.origin,
        "url": d.url,
        "published": d.published.isoformat() if d.published else None,
        "published_source": d.published_source,
        "headline": d.headline,
        "language": d.language,
        "language_score": d.language_score,
        "status": d.status.value,
        "status_reason": d.status_reason,
        "text": d.text,
        "segments": [
            {"kind": s.kind.value, "start": s.start, "end": s.end, "text": s.text}
            for s in d.segments
        ],
        "comments": [
            comment_json(comment_row(d.id, c, moderations.get(c.position)), comment=c)
            for c in d.comments
        ],
        "events": [event_json(e) for e in d.events],
    }


def failure_json(failure: Failure) -> dict[str, Any]:
    """Return a failure as JSON."""
    return asdict(failure)
