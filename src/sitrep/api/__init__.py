"""The analyst's desk: REST API (/api/v1) and web page (/) over a store."""

from __future__ import annotations

from sitrep.api.app import build_app, create_app, serve

__all__ = ["build_app", "create_app", "serve"]
