"""GET /comments (the moderation queue) and POST /comments/{document_id}/{position}/decision."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Query
from fastapi.responses import JSONResponse

from sitrep.adapters.store.base import summary_sort_key
from sitrep.api.desk import Desk, get_desk
from sitrep.api.moderation import (
    ModerationDecision,
    can_save_decisions,
    decisions_of,
    screenings_of,
)
from sitrep.api.queries import DEFAULT_LIMIT, MAX_LIMIT, SortKey, paginate
from sitrep.api.schemas import CommentList, DecisionIn, DecisionResult, ErrorOut
from sitrep.api.serialize import comment_json, decision_json

router = APIRouter(tags=["comments"])

DeskDep = Annotated[Desk, Depends(get_desk)]
Verdict = Literal["ok", "review", "remove"]


@router.get("/comments", response_model=CommentList, responses={400: {"model": ErrorOut}})
def list_comments(
    desk: DeskDep,
    document_id: Annotated[str | None, Query(description="Only this document's comments.")] = None,
    screening: Annotated[
        Verdict | None,
        Query(description="Only comments the screening put in this queue (ok, review, remove)."),
    ] = None,
    undecided: Annotated[
        bool, Query(description="Only comments no moderator has decided on yet.")
    ] = False,
    limit: Annotated[
        int, Query(ge=1, le=MAX_LIMIT, description=f"Comments per page, 1 to {MAX_LIMIT}.")
    ] = DEFAULT_LIMIT,
    cursor: Annotated[
        str | None, Query(description="The next_cursor of the previous page.")
    ] = None,
) -> dict[str, Any]:
    """List reader comments, newest document first, in page order, with screening and decision."""
    rows: list[tuple[SortKey, dict[str, Any]]] = []
    summaries = desk.store.documents()
    if document_id is not None:
        summaries = [s for s in summaries if s.id == document_id]
    for summary in summaries:
        if summary.n_comments == 0:
            continue
        document = desk.store.get_document(summary.id)
        if document is None:  # deleted since the listing
            continue
        screenings = screenings_of(desk.store, document.id)
        decisions = decisions_of(desk.store, document.id)
        for ordinal, comment in enumerate(document.comments):
            row = comment_json(document.id, comment, screenings=screenings, decisions=decisions)
            if screening is not None and (row["screening"] or {}).get("decision") != screening:
                continue
            if undecided and row["decision"] is not None:
                continue
            rows.append(((*summary_sort_key(summary), ordinal), row))
    fingerprint = f"comments:{document_id}:{screening}:{undecided}"
    page = paginate(rows, key=lambda r: r[0], limit=limit, cursor=cursor, fingerprint=fingerprint)
    return {
        "items": [row for _, row in page.items],
        "total": page.total,
        "limit": limit,
        "next_cursor": page.next_cursor,
    }


@router.post(
    "/comments/{document_id}/{position}/decision",
    status_code=201,
    response_model=DecisionResult,
    responses={
        404: {"model": ErrorOut},
        415: {"model": ErrorOut},
        422: {"model": ErrorOut},
        501: {"model": ErrorOut, "description": "The store cannot keep decisions."},
    },
)
def decide(
    desk: DeskDep, document_id: str, position: int, body: DecisionIn
) -> dict[str, Any] | JSONResponse:
    """Record a moderator's decision (ok, review, remove) on one comment."""
    document = desk.store.get_document(document_id)
    if document is None:
        raise HTTPException(status_code=404, detail=f"no document with id {document_id!r}")
    if not any(c.position == position for c in document.comments):
        raise HTTPException(
            status_code=404, detail=f"document {document_id!r} has no comment at {position}"
        )
    if not can_save_decisions(desk.store):
        return JSONResponse(
            {
                "detail": "this store cannot keep moderation decisions yet "
                "(it has no save_moderation); the queue is read-only",
                "parameter": None,
            },
            status_code=501,
        )
    decision = ModerationDecision(
        document_id=document_id,
        position=position,
        decision=body.decision,
        moderator=body.moderator,
        note=body.note,
        decided_at=datetime.now(UTC).isoformat(timespec="seconds"),
    )
    desk.store.save_moderation(decision)  # type: ignore[attr-defined]
    return {"document_id": document_id, "position": position, "decision": decision_json(decision)}
