"""The fetcher that goes on the web: http.client with address, size, redirect and time limits.

Every connection goes to an address checked by ``check_address`` after name resolution, so
a feed cannot point sitrep at loopback, private or link-local hosts, not even through a
redirect or a name that resolves differently the second time (the checked address is the one
connected to). Proxies from the environment are not used.
"""

from __future__ import annotations

import http.client
import socket
import ssl
import time
import zlib
from collections.abc import Mapping
from typing import Any
from urllib.parse import urljoin, urlsplit

from sitrep.adapters.fetch.base import (
    DropError,
    Response,
    RetryLaterError,
    check_address,
    check_status,
)

REDIRECTS = frozenset({301, 302, 303, 307, 308})
_CHUNK = 1 << 16


class WebFetcher:
    """Fetches over HTTP(S) with the limits of the fetch.* settings.

    Args:
        allow_private: also connect to loopback, private and link-local addresses (gets only;
            a webhook is the operator's own choice and may be local).
        max_redirects: most redirects followed by ``get``.
        user_agent: the User-Agent header.
    """

    def __init__(
        self, *, allow_private: bool = False, max_redirects: int = 5, user_agent: str = "sitrep"
    ) -> None:
        self.allow_private = allow_private
        self.max_redirects = max_redirects
        self.user_agent = user_agent
        self._tls = ssl.create_default_context()

    def get(
        self,
        url: str,
        *,
        max_bytes: int,
        timeout: float,
        headers: Mapping[str, str] | None = None,
    ) -> Response:
        """Return the response to GET ``url``, following at most ``max_redirects`` redirects."""
        deadline = time.monotonic() + timeout
        current = url
        for _ in range(self.max_redirects + 1):
            status, received, body, location = self._request(
                "GET",
                current,
                body=None,
                headers=dict(headers or {}),
                max_bytes=max_bytes,
                deadline=deadline,
                allow_private=self.allow_private,
            )
            if status in REDIRECTS and location is not None:
                current = urljoin(current, location)
                continue
            check_status(current, status, received)
            return Response(url=current, status=status, headers=tuple(received.items()), body=body)
        raise DropError(url, f"more than fetch.max_redirects={self.max_redirects} redirects")

    def post(self, url: str, *, body: bytes, content_type: str, timeout: float) -> Response:
        """Return the response to POST ``body`` to ``url``; a redirect is a DropError."""
        status, received, data, _ = self._request(
            "POST",
            url,
            body=body,
            headers={"Content-Type": content_type},
            max_bytes=1_000_000,
            deadline=time.monotonic() + timeout,
            allow_private=True,
        )
        if status in REDIRECTS:
            raise DropError(url, f"HTTP {status}: webhooks are not redirected")
        check_status(url, status, received)
        return Response(url=url, status=status, headers=tuple(received.items()), body=data)

    def _request(
        self,
        method: str,
        url: str,
        *,
        body: bytes | None,
        headers: dict[str, str],
        max_bytes: int,
        deadline: float,
        allow_private: bool,
    ) -> tuple[int, dict[str, str], bytes, str | None]:
        """Make one request; return (status, lower-cased headers, body, Location)."""
        parts = urlsplit(url)
        if parts.scheme not in {"http", "https"} or not parts.hostname:
            raise DropError(url, "only http:// and https:// URLs are fetched")
        try:
            port = parts.port or (443 if parts.scheme == "https" else 80)
        except ValueError:
            raise DropError(url, "bad port") from None
        connection = _connection(
            parts.scheme,
            parts.hostname,
            port,
            timeout=_left(deadline, url),
            tls=self._tls,
            guard=lambda address: check_address(address, allow_private=allow_private, url=url),
        )
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        sent = {
            "User-Agent": self.user_agent,
            "Accept-Encoding": "gzip, deflate",
            "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
            **headers,
        }
        try:
            connection.request(method, target, body=body, headers=sent)
            response = connection.getresponse()
            received = {k.lower(): v for k, v in response.getheaders()}
            if response.status in REDIRECTS or response.status >= 300:
                return response.status, received, b"", received.get("location")
            data = _read_body(
                response,
                encoding=received.get("content-encoding", "").strip().lower(),
                max_bytes=max_bytes,
                deadline=deadline,
                url=url,
            )
            return response.status, received, data, None
        except TimeoutError:
            raise RetryLaterError(url, "timed out") from None
        except ssl.SSLCertVerificationError as e:
            raise DropError(url, f"TLS certificate refused: {e.verify_message}") from None
        except (http.client.HTTPException, ssl.SSLError, ConnectionError) as e:
            raise RetryLaterError(url, f"connection failed: {type(e).__name__}") from None
        except OSError as e:
            raise RetryLaterError(url, f"network error: {e.strerror or e}") from None
        finally:
            connection.close()


def _left(deadline: float, url: str) -> float:
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise RetryLaterError(url, "timed out")
    return remaining


def _read_body(
    response: http.client.HTTPResponse,
    *,
    encoding: str,
    max_bytes: int,
    deadline: float,
    url: str,
) -> bytes:
    """Read and decode the body in chunks, never holding more than ``max_bytes`` of it."""
    if encoding in {"gzip", "x-gzip"}:
        inflate: Any = zlib.decompressobj(16 + zlib.MAX_WBITS)
    elif encoding == "deflate":
        inflate = zlib.decompressobj()
    elif encoding in {"", "identity"}:
        inflate = None
    else:
        raise DropError(url, f"unsupported Content-Encoding {encoding!r}")
    parts: list[bytes] = []
    size = 0
    while chunk := response.read(_CHUNK):
        _left(deadline, url)
        if inflate is not None:
            try:
                # max_length bounds what a small compressed bomb can expand to.
                chunk = inflate.decompress(chunk, max_bytes + 1 - size)
            except zlib.error as e:
                raise DropError(url, f"bad {encoding} body: {e}") from None
        size += len(chunk)
        if size > max_bytes:
            raise DropError(url, f"body larger than fetch.max_bytes={max_bytes:,}")
        parts.append(chunk)
    return b"".join(parts)


def _connection(
    scheme: str,
    host: str,
    port: int,
    *,
    timeout: float,
    tls: ssl.SSLContext,
    guard: Any,
) -> http.client.HTTPConnection:
    """Return a connection whose socket only ever goes to addresses ``guard`` accepts."""

    def connect(
        address: tuple[str, int], timeout: float | None = None, source: Any = None
    ) -> socket.socket:
        return _guarded_socket(address[0], address[1], timeout=timeout, guard=guard)

    connection: http.client.HTTPConnection
    if scheme == "https":
        connection = http.client.HTTPSConnection(host, port, timeout=timeout, context=tls)
    else:
        connection = http.client.HTTPConnection(host, port, timeout=timeout)
    # http.client opens its socket through this attribute; HTTPS wraps the result in TLS
    # with the host name, so certificates are still checked against the name.
    connection._create_connection = connect  # type: ignore[attr-defined]
    return connection


def _guarded_socket(host: str, port: int, *, timeout: float | None, guard: Any) -> socket.socket:
    """Resolve ``host``, keep the addresses ``guard`` accepts, connect to the first that answers."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as e:
        raise RetryLaterError(host, f"cannot resolve host: {e.strerror}") from None
    refused: DropError | None = None
    error: OSError | None = None
    for family, kind, proto, _, sockaddr in infos:
        try:
            guard(str(sockaddr[0]))
        except DropError as e:
            refused = e
            continue
        sock = socket.socket(family, kind, proto)
        sock.settimeout(timeout)
        try:
            sock.connect(sockaddr)
        except OSError as e:
            sock.close()
            error = e
            continue
        return sock
    if error is not None:
        raise error
    if refused is not None:
        raise refused
    raise RetryLaterError(host, "host resolves to no address")
