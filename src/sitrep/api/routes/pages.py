"""POST /pages: process one submitted page through the pipeline and store what it reports."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlsplit

from fastapi import APIRouter, Depends

from sitrep.api.app import ParameterHTTPError
from sitrep.api.desk import Desk, get_desk
from sitrep.api.schemas import ErrorOut, PageIn, PageResult
from sitrep.api.serialize import event_json, failure_json
from sitrep.records import Page

router = APIRouter(tags=["pages"])

DeskDep = Annotated[Desk, Depends(get_desk)]


def page_from(body: PageIn, *, max_bytes: int) -> Page:
    """Return the Page a request submits.

    Raises:
        ParameterHTTPError: 422 for a missing body or a non-http(s) url, 413 for a page too large.
    """
    if (body.text is None) == (body.html is None):
        raise ParameterHTTPError(422, "body", "send exactly one of text and html")
    content = body.text if body.text is not None else body.html
    assert content is not None
    if not content.strip():
        raise ParameterHTTPError(422, "body", "the page is empty")
    size = len(content.encode("utf-8"))
    if size > max_bytes:
        raise ParameterHTTPError(
            413, "body", f"the page is {size} bytes; the limit (read.max_bytes) is {max_bytes}"
        )
    if body.url is not None:
        parts = urlsplit(body.url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ParameterHTTPError(422, "url", "must be an http or https URL")
    return Page(
        origin=f"api:{body.url}" if body.url else "api",
        html=body.html,
        text=body.text,
        url=body.url,
        published=body.published,
        published_source="user" if body.published is not None else None,
    )


@router.post(
    "/pages",
    status_code=201,
    response_model=PageResult,
    responses={413: {"model": ErrorOut}, 415: {"model": ErrorOut}, 422: {"model": ErrorOut}},
)
def submit_page(desk: DeskDep, body: PageIn) -> dict[str, Any]:
    """Process a page (text or HTML) through the pipeline, store it, and return its events."""
    page = page_from(body, max_bytes=desk.settings["read.max_bytes"])
    with desk.pipeline_lock:
        result = desk.pipeline().run([page])
    for failure in result.failures:
        desk.store.save_failure(failure)
    for done in result.documents:
        desk.store.save_document(done)
    document = next((d for d in result.documents if d.id == page.id), None)
    return {
        "document_id": page.id,
        "status": document.status.value if document is not None else None,
        "status_reason": document.status_reason if document is not None else None,
        "events": [event_json(e) for e in document.events] if document is not None else [],
        "failures": [failure_json(f) for f in result.failures],
    }
