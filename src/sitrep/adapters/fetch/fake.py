"""An in-memory fetcher for tests: canned responses by URL, every request recorded."""

from __future__ import annotations

from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass

from sitrep.adapters.fetch.base import DropError, FetchError, Response, check_status


@dataclass(frozen=True)
class Request:
    """One request the fake received."""

    method: str
    url: str
    headers: tuple[tuple[str, str], ...] = ()
    body: bytes | None = None


class FakeFetcher:
    """Answers GETs from ``pages`` and POSTs from a queue; never touches the network.

    A URL not in ``pages`` answers 404 (a DropError). A page may be an exception, raised
    when fetched. POSTs answer 200 unless ``fail_posts`` queued errors or statuses.
    """

    def __init__(self, pages: Mapping[str, Response | FetchError] | None = None) -> None:
        self.pages: dict[str, Response | FetchError] = dict(pages or {})
        self.requests: list[Request] = []
        self.post_replies: deque[Response | FetchError] = deque()

    def add(
        self,
        url: str,
        body: bytes | str,
        *,
        status: int = 200,
        content_type: str = "text/html; charset=utf-8",
        headers: Mapping[str, str] | None = None,
    ) -> None:
        """Serve ``body`` at ``url``."""
        data = body.encode("utf-8") if isinstance(body, str) else body
        received = {
            "content-type": content_type,
            **{k.lower(): v for k, v in (headers or {}).items()},
        }
        self.pages[url] = Response(
            url=url, status=status, headers=tuple(received.items()), body=data
        )

    def fail(self, url: str, error: FetchError) -> None:
        """Raise ``error`` when ``url`` is fetched."""
        self.pages[url] = error

    def get(
        self,
        url: str,
        *,
        max_bytes: int,
        timeout: float,
        headers: Mapping[str, str] | None = None,
    ) -> Response:
        """Return the canned response for ``url``, or raise its error."""
        self.requests.append(Request("GET", url, tuple((headers or {}).items())))
        page = self.pages.get(url)
        if page is None:
            raise DropError(url, "HTTP 404")
        if isinstance(page, FetchError):
            raise page
        check_status(url, page.status, dict(page.headers))
        if len(page.body) > max_bytes:
            raise DropError(url, f"body larger than fetch.max_bytes={max_bytes:,}")
        return page

    def post(self, url: str, *, body: bytes, content_type: str, timeout: float) -> Response:
        """Record the POST; answer the next queued reply, else 200."""
        self.requests.append(Request("POST", url, (("content-type", content_type),), body))
        reply = self.post_replies.popleft() if self.post_replies else Response(url, 200)
        if isinstance(reply, FetchError):
            raise reply
        check_status(url, reply.status, dict(reply.headers))
        return reply

    def posts(self, url: str | None = None) -> list[bytes]:
        """Return the bodies POSTed (to ``url`` only, if given), in order."""
        return [
            r.body or b""
            for r in self.requests
            if r.method == "POST" and (url is None or r.url == url)
        ]
