"""Records to the API's JSON (plain dicts shaped as sitrep.api.schemas says)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict
from enum import Enum
from typing import Any

from sitrep.adapters.store.base import DocumentSummary
from sitrep.api.highlight import highlight_sentence
from sitrep.api.moderation import ModerationDecision
from sitrep.api.queries import Bucket
from sitrep.records import Comment, Document, Event, Failure


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


def screening_json(screening: Any) -> dict[str, Any] | None:
    """Return a screening (sitrep.screen.Screening or alike) as JSON; None when absent."""
    if screening is None:
        return None
    decision = screening.decision
    return {
        "decision": decision.value if isinstance(decision, Enum) else str(decision),
        "scores": {str(label): float(score) for label, score in screening.scores},
        "spans": [
            {"label": str(label), "start": int(start), "end": int(end), "text": str(text)}
            for label, start, end, text in screening.spans
        ],
        "model": str(screening.model),
    }


def decision_json(decision: ModerationDecision | None) -> dict[str, Any] | None:
    """Return a moderation decision as JSON; None when absent."""
    if decision is None:
        return None
    return {
        "decision": decision.decision,
        "moderator": decision.moderator,
        "note": decision.note,
        "decided_at": decision.decided_at,
    }


def comment_json(
    document_id: str,
    comment: Comment,
    *,
    screenings: Mapping[int, Any],
    decisions: Mapping[int, ModerationDecision],
) -> dict[str, Any]:
    """Return a comment with its screening and decision (null when the store keeps none)."""
    return {
        "document_id": document_id,
        "position": comment.position,
        "text": comment.text,
        "start": comment.start,
        "end": comment.end,
        "author": comment.author,
        "reply_to": comment.reply_to,
        "timestamp": comment.timestamp,
        "screening": screening_json(screenings.get(comment.position)),
        "decision": decision_json(decisions.get(comment.position)),
    }


def document_json(
    document: Document,
    *,
    screenings: Mapping[int, Any],
    decisions: Mapping[int, ModerationDecision],
) -> dict[str, Any]:
    """Return a document with its text, segments, comments and events."""
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
            comment_json(d.id, c, screenings=screenings, decisions=decisions) for c in d.comments
        ],
        "events": [event_json(e) for e in d.events],
    }


def failure_json(failure: Failure) -> dict[str, Any]:
    """Return a failure as JSON."""
    return asdict(failure)
