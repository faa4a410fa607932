"""The fetcher protocol, its response record and the two kinds of fetch error.

A fetch either returns a ``Response`` (2xx, or 304 to a conditional request) or raises:
``RetryLaterError`` for faults that pass (timeouts, refused or reset connections, 5xx, 408,
429) and ``DropError`` for those that will not (other 4xx, a refused address, a body over the
limit, a bad URL). Callers retry the first kind on a later poll and store the second as a
Failure. See docs/decisions/0012-ingestion.md.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Protocol, runtime_checkable

from sitrep.errors import SitrepError

# Statuses that mean "not now" rather than "never".
RETRY_STATUSES = frozenset({408, 425, 429, 500, 502, 503, 504})
# Longest Retry-After honoured: a server cannot park a poll loop for days.
MAX_RETRY_AFTER = 3600.0


class FetchError(SitrepError):
    """A URL could not be fetched."""

    def __init__(self, url: str, message: str) -> None:
        super().__init__(f"{url}: {message}")
        self.url = url


class RetryLaterError(FetchError):
    """A passing fault (timeout, connection, 5xx, 429): try the URL again later."""

    def __init__(self, url: str, message: str, *, retry_after: float | None = None) -> None:
        super().__init__(url, message)
        self.retry_after = retry_after


class DropError(FetchError):
    """A lasting fault (4xx, refused address, too large, bad URL): do not try again."""


@dataclass(frozen=True)
class Response:
    """A successful response.

    Args:
        url: the URL that answered, after redirects.
        status: the HTTP status (2xx, or 304 to a conditional request).
        headers: (lower-cased name, value) pairs in the order received.
        body: the decoded (not content-encoded) body, at most the caller's max_bytes.
    """

    url: str
    status: int
    headers: tuple[tuple[str, str], ...] = ()
    body: bytes = b""

    def header(self, name: str) -> str | None:
        """Return the first value of a header (any case), or None."""
        wanted = name.lower()
        return next((v for k, v in self.headers if k == wanted), None)

    @property
    def media_type(self) -> str | None:
        """The Content-Type without parameters, lower-cased; None when absent."""
        value = self.header("content-type")
        if value is None:
            return None
        media = value.split(";", 1)[0].strip().lower()
        return media or None


@runtime_checkable
class Fetcher(Protocol):
    """Gets pages and posts webhooks."""

    def get(
        self,
        url: str,
        *,
        max_bytes: int,
        timeout: float,
        headers: Mapping[str, str] | None = None,
    ) -> Response:
        """Return the response to GET ``url`` (redirects followed).

        Raises:
            RetryLaterError: a passing fault.
            DropError: a lasting fault.
        """
        ...

    def post(self, url: str, *, body: bytes, content_type: str, timeout: float) -> Response:
        """Return the response to POST ``body`` to ``url`` (no redirects followed).

        Raises:
            RetryLaterError: a passing fault.
            DropError: a lasting fault.
        """
        ...


def check_status(url: str, status: int, headers: Mapping[str, str]) -> None:
    """Raise the fetch error a non-success status means; return for 2xx and 304.

    Args:
        headers: lower-cased response headers (Retry-After is read from them).
    """
    if 200 <= status < 300 or status == 304:
        return
    if status in RETRY_STATUSES or 500 <= status < 600:
        raise RetryLaterError(
            url, f"HTTP {status}; try later", retry_after=parse_retry_after(headers)
        )
    raise DropError(url, f"HTTP {status}")


def parse_retry_after(headers: Mapping[str, str]) -> float | None:
    """Return the seconds a Retry-After header asks for (capped), or None."""
    value = headers.get("retry-after")
    if value is None:
        return None
    value = value.strip()
    if value.isdigit():
        return min(float(value), MAX_RETRY_AFTER)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return min(max((when - datetime.now(UTC)).total_seconds(), 0.0), MAX_RETRY_AFTER)


def check_address(address: str, *, allow_private: bool, url: str = "") -> None:
    """Raise DropError unless ``address`` (an IP) is a public unicast address.

    Loopback, private, link-local, shared, reserved, multicast and unspecified addresses are
    refused unless ``allow_private``: a feed must not make sitrep reach its own machine, its
    network or a cloud metadata service.
    """
    if allow_private:
        return
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        raise DropError(url or address, f"{address!r} is not an IP address") from None
    if isinstance(ip, ipaddress.IPv6Address):
        # An IPv4 address wrapped in IPv6 reaches the IPv4 host: judge that one.
        ip = ip.ipv4_mapped or ip.sixtofour or ip
    if not ip.is_global or ip.is_multicast:
        raise DropError(
            url or address,
            f"address {ip} is loopback, private, link-local or reserved; set "
            "fetch.allow_private to fetch from it",
        )
