"""GET /comments (the moderation queue) and POST /comments/{document_id}/{position}/decision."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Query

from sitrep.adapters.store.base import CommentRow, UnknownCommentError
from sitrep.api.app import ParameterHTTPError
from sitrep.api.desk import Desk, get_desk
from sitrep.api.moderation import CommentFilter, field_named_in, page_comments
from sitrep.api.queries import DEFAULT_LIMIT, MAX_LIMIT
from sitrep.api.schemas import CommentList, DecisionIn, DecisionResult, ErrorOut
from sitrep.api.serialize import comment_json, moderation_json
from sitrep.errors import ConfigError
from sitrep.records import Comment

router = APIRouter(tags=["comments"])

DeskDep = Annotated[Desk, Depends(get_desk)]
Verdict = Literal["ok", "review", "remove"]


@router.get("/comments", response_model=CommentList, responses={400: {"model": ErrorOut}})
def list_comments(
    desk: DeskDep,
    document_id: Annotated[str | None, Query(description="Only this document's comments.")] = None,
    status: Annotated[
        Verdict | None,
        Query(
            description="Only comments whose effective decision is this (the moderator's, "
            "else the screening's): ok, review, remove."
        ),
    ] = None,
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
    """List reader comments worst first, with their screening and moderator's decision."""
    comment_filter = CommentFilter(
        status=status,
        machine=screening,
        moderated=False if undecided else None,
        document_id=document_id,
    )
    page = page_comments(desk.store, comment_filter, limit=limit, cursor=cursor)
    return {
        "items": [
            comment_json(row, comment=comment)
            for row, comment in zip(page.items, stored_comments(desk, page.items), strict=True)
        ],
        "total": page.total,
        "limit": limit,
        "next_cursor": page.next_cursor,
    }


def stored_comments(desk: Desk, rows: list[CommentRow]) -> list[Comment | None]:
    """Return the stored Comment of each row (its offsets and reply), None when it is gone.

    Reads each document of the page once.
    """
    by_document: dict[str, dict[int, Comment]] = {}
    found: list[Comment | None] = []
    for row in rows:
        if row.document_id not in by_document:
            document = desk.store.get_document(row.document_id)
            comments = document.comments if document is not None else ()
            # The first comment at a position wins, as the store's decisions key on it.
            by_document[row.document_id] = {c.position: c for c in reversed(comments)}
        found.append(by_document[row.document_id].get(row.position))
    return found


@router.post(
    "/comments/{document_id}/{position}/decision",
    status_code=201,
    response_model=DecisionResult,
    responses={404: {"model": ErrorOut}, 415: {"model": ErrorOut}, 422: {"model": ErrorOut}},
)
def decide(desk: DeskDep, document_id: str, position: int, body: DecisionIn) -> dict[str, Any]:
    """Record (or replace) a moderator's decision (ok, review, remove) on one comment."""
    try:
        saved = desk.store.save_moderation(
            document_id,
            position,
            decision=body.decision,
            moderator=body.moderator,
            note=body.note,
        )
    except UnknownCommentError as exc:
        raise HTTPException(status_code=404, detail=str(exc)) from None
    except ConfigError as exc:
        parameter = field_named_in(str(exc))
        if parameter is None:
            raise HTTPException(status_code=422, detail=str(exc)) from None
        raise ParameterHTTPError(422, parameter, str(exc)) from None
    return {"document_id": document_id, "position": position, "decision": moderation_json(saved)}
