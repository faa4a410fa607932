"""GET /info: what the web page needs to know about this server."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends

from sitrep.api.desk import Desk, get_desk
from sitrep.api.schemas import InfoOut

router = APIRouter(tags=["info"])

API_VERSION = "v1"


@router.get("/info", response_model=InfoOut)
def info(desk: Annotated[Desk, Depends(get_desk)]) -> dict[str, Any]:
    """Return the server's version, store schema, map tiles, moderation abilities and writes."""
    from sitrep.api.app import sitrep_version

    return {
        "version": sitrep_version(),
        "api": API_VERSION,
        "schema_version": desk.store.schema_version(),
        "tiles_url": desk.tiles_url,
        "tiles_attribution": desk.tiles_attribution,
        # Every store keeps screenings and decisions (the Store protocol); deciding is a
        # write, so it also needs ``writes``.
        "moderation": True,
        "screening": True,
        "writes": bool(desk.settings["serve.token"]),
    }
