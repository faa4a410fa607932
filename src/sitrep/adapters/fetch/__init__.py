"""Fetchers: get web pages and post webhooks, telling passing faults from lasting ones."""

from __future__ import annotations

from sitrep.adapters.fetch.base import (
    DropError,
    Fetcher,
    FetchError,
    Response,
    RetryLaterError,
    check_address,
)
from sitrep.adapters.fetch.fake import FakeFetcher
from sitrep.adapters.fetch.web import WebFetcher

__all__ = [
    "DropError",
    "FakeFetcher",
    "FetchError",
    "Fetcher",
    "Response",
    "RetryLaterError",
    "WebFetcher",
    "check_address",
]
