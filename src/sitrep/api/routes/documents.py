"""GET /documents and /documents/{document_id}; DELETE /documents/{document_id}."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query

from sitrep.adapters.store.base import summary_sort_key
from sitrep.adapters.store.deletion import UnknownDocumentError
from sitrep.api.desk import Desk, get_desk
from sitrep.api.moderation import moderations_of
from sitrep.api.queries import DEFAULT_LIMIT, MAX_LIMIT, paginate
from sitrep.api.schemas import DeletionOut, DocumentList, DocumentOut, ErrorOut
from sitrep.api.serialize import document_json, summary_json

router = APIRouter(tags=["documents"])

DeskDep = Annotated[Desk, Depends(get_desk)]
_DOCUMENTS_FINGERPRINT = "documents"


@router.get("/documents", response_model=DocumentList, responses={400: {"model": ErrorOut}})
def list_documents(
    desk: DeskDep,
    limit: Annotated[
        int, Query(ge=1, le=MAX_LIMIT, description=f"Documents per page, 1 to {MAX_LIMIT}.")
    ] = DEFAULT_LIMIT,
    cursor: Annotated[
        str | None, Query(description="The next_cursor of the previous page.")
    ] = None,
) -> dict[str, Any]:
    """List stored documents without their text, newest publication first (undated last)."""
    page = paginate(
        desk.store.documents(),
        key=summary_sort_key,
        limit=limit,
        cursor=cursor,
        fingerprint=_DOCUMENTS_FINGERPRINT,
    )
    return {
        "items": [summary_json(s) for s in page.items],
        "total": page.total,
        "limit": limit,
        "next_cursor": page.next_cursor,
    }


@router.get(
    "/documents/{document_id}",
    response_model=DocumentOut,
    responses={404: {"model": ErrorOut}},
)
def get_document(desk: DeskDep, document_id: str) -> dict[str, Any]:
    """Return a document with its text, segments, comments (screened, decided) and events."""
    document = desk.store.get_document(document_id)
    if document is None:
        raise HTTPException(status_code=404, detail=f"no document with id {document_id!r}")
    return document_json(document, moderations=moderations_of(desk.store, document_id))


@router.delete(
    "/documents/{document_id}",
    response_model=DeletionOut,
    responses={404: {"model": ErrorOut}, 415: {"model": ErrorOut}},
)
def delete_document(desk: DeskDep, document_id: str) -> dict[str, Any]:
    """Delete a document and everything derived from it; reply with what was removed."""
    try:
        report = desk.store.delete_document(document_id)
    except UnknownDocumentError as exc:
        raise HTTPException(status_code=404, detail=str(exc)) from None
    return report.to_dict()
