"""Guards on the desk's writes: a bearer token, a body size limit and a per-client rate limit.

Reads stay public; anything that is not GET, HEAD or OPTIONS is a write. The checks run in
this order, each answering before the request body is read: writes disabled (403), token
missing or wrong (401), too many writes from this client (429), a body that is not JSON
(415), a body too large (413).
See docs/decisions/0009-trust.md.
"""

from __future__ import annotations

import hmac
import json
import math
import re
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from sitrep.errors import ConfigError
from sitrep.settings import Settings

MIN_TOKEN_CHARS = 16
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_RATE = re.compile(r"^\s*(\d+)\s*/\s*(second|minute|hour)s?\s*$", re.I)
_PERIODS = {"second": 1.0, "minute": 60.0, "hour": 3600.0}
# Idle clients are forgotten beyond this many, oldest first, so a flood of addresses
# cannot grow the table without bound.
MAX_CLIENTS = 10_000
_REALM = 'Bearer realm="sitrep"'


@dataclass(frozen=True)
class RateLimit:
    """At most ``requests`` per ``period`` seconds, refilled evenly (a token bucket)."""

    requests: int
    period: float

    @property
    def per_second(self) -> float:
        return self.requests / self.period


def parse_rate_limit(text: str) -> RateLimit | None:
    """Parse "30/minute" (second, minute or hour); "" or "0/..." means no limit.

    Raises:
        ConfigError: the text is not N/second, N/minute or N/hour.
    """
    if not text.strip():
        return None
    match = _RATE.match(text)
    if match is None:
        raise ConfigError(
            f"serve.rate_limit: {text!r} is not a rate; write N/second, N/minute or N/hour "
            "(e.g. 30/minute), or leave it empty for no limit"
        )
    requests = int(match[1])
    if requests == 0:
        return None
    return RateLimit(requests=requests, period=_PERIODS[match[2].lower()])


def check_token(token: str) -> str:
    """Return ``token`` if it may guard writes ("" disables writes).

    Raises:
        ConfigError: the token is shorter than MIN_TOKEN_CHARS.
    """
    if token and len(token) < MIN_TOKEN_CHARS:
        raise ConfigError(
            f"serve.token is {len(token)} characters; use at least {MIN_TOKEN_CHARS} "
            "(e.g. python -c 'import secrets; print(secrets.token_urlsafe(32))'), "
            "or leave it empty to disable writes"
        )
    return token


class TokenBuckets:
    """Per-client token buckets in memory (one process; a restart forgets them).

    Args:
        limit: the rate each client gets; a burst of ``limit.requests`` is allowed.
        clock: seconds, monotonic (tests pass a fake).
    """

    def __init__(
        self,
        limit: RateLimit,
        *,
        clock: Callable[[], float] = time.monotonic,
        max_clients: int = MAX_CLIENTS,
    ) -> None:
        self.limit = limit
        self.clock = clock
        self.max_clients = max_clients
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()
        self._lock = threading.Lock()

    def take(self, client: str) -> float:
        """Take one token for ``client``: return 0.0 if allowed, else seconds until one is."""
        now = self.clock()
        capacity = float(self.limit.requests)
        with self._lock:
            tokens, last = self._buckets.pop(client, (capacity, now))
            tokens = min(capacity, tokens + (now - last) * self.limit.per_second)
            wait = 0.0
            if tokens >= 1.0:
                tokens -= 1.0
            else:
                wait = (1.0 - tokens) / self.limit.per_second
            self._buckets[client] = (tokens, now)
            while len(self._buckets) > self.max_clients:
                self._buckets.popitem(last=False)
        return wait


@dataclass(frozen=True)
class GuardOptions:
    """What the write guard enforces (``token`` "" disables writes)."""

    token: str
    max_body_bytes: int
    rate_limit: RateLimit | None

    @classmethod
    def from_settings(cls, settings: Settings) -> GuardOptions:
        """Read ``serve.token``, ``serve.max_body_bytes`` and ``serve.rate_limit``.

        Raises:
            ConfigError: a short token, a limit below 1 byte, or an unreadable rate.
        """
        max_body = int(settings["serve.max_body_bytes"])
        if max_body < 1:
            raise ConfigError(f"serve.max_body_bytes must be 1 or more, not {max_body}")
        return cls(
            token=check_token(str(settings["serve.token"])),
            max_body_bytes=max_body,
            rate_limit=parse_rate_limit(str(settings["serve.rate_limit"])),
        )


class BodyTooLarge(Exception):
    """The request body passed the limit while it was being read."""


class WriteGuard:
    """ASGI middleware: token, rate limit and body size for writes; body size for all requests.

    Args:
        clock: for the rate limiter (tests pass a fake).
    """

    def __init__(
        self,
        app: ASGIApp,
        *,
        options: GuardOptions,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.app = app
        self.options = options
        self.buckets = (
            TokenBuckets(options.rate_limit, clock=clock)
            if options.rate_limit is not None
            else None
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        refusal = self._refusal(scope)
        if refusal is not None:
            status, detail, headers = refusal
            await _reply(send, status, detail, headers=headers)
            return
        declared = _content_length(scope)
        limit = self.options.max_body_bytes
        if declared is not None and declared > limit:
            await _reply(send, 413, _too_large(limit), parameter="body")
            return
        if scope["method"] in SAFE_METHODS and declared is None:
            await self.app(scope, receive, send)
            return
        # Read the body here, counting as it streams, so the app never sees a partial one and
        # a client that lies about (or omits) Content-Length still stops at the limit.
        try:
            chunks = await _read_body(receive, limit=limit)
        except BodyTooLarge:
            await _reply(send, 413, _too_large(limit), parameter="body")
            return
        await self.app(scope, _replay(chunks, receive), send)

    def _refusal(self, scope: Scope) -> tuple[int, str, list[tuple[bytes, bytes]]] | None:
        if scope["method"] in SAFE_METHODS:
            return None
        token = self.options.token
        if not token:
            return (
                403,
                "writes are disabled on this server: set serve.token (SITREP_SERVE_TOKEN, "
                f"at least {MIN_TOKEN_CHARS} characters) and send it as "
                "'Authorization: Bearer TOKEN'",
                [],
            )
        sent = _bearer(scope)
        if sent is None:
            return 401, "this write needs 'Authorization: Bearer TOKEN'", [_challenge()]
        if not hmac.compare_digest(sent.encode("utf-8"), token.encode("utf-8")):
            return 401, "the bearer token is wrong", [_challenge('error="invalid_token"')]
        if self.buckets is not None:
            wait = self.buckets.take(_client(scope))
            if wait > 0:
                retry = str(max(1, math.ceil(wait)))
                return (
                    429,
                    f"too many writes from this client (serve.rate_limit); retry in {retry} s",
                    [(b"retry-after", retry.encode("ascii"))],
                )
        if not _sends_json(scope) and not _bodiless_delete(scope):
            # A cross-site form can only send form or plain-text bodies; JSON needs a CORS
            # preflight that this server never grants. A DELETE carries no body, and no form
            # can send one cross-site without a preflight either.
            return 415, "send the request body as application/json", []
        return None


def _too_large(limit: int) -> str:
    return f"body: the request body is over serve.max_body_bytes={limit:,} bytes"


def _challenge(extra: str = "") -> tuple[bytes, bytes]:
    value = f"{_REALM}, {extra}" if extra else _REALM
    return b"www-authenticate", value.encode("ascii")


def _header(scope: Scope, name: bytes) -> bytes | None:
    for key, value in scope.get("headers", []):
        if key.lower() == name:
            return bytes(value)
    return None


def _bodiless_delete(scope: Scope) -> bool:
    if scope.get("method") != "DELETE" or _header(scope, b"transfer-encoding") is not None:
        return False
    length = _header(scope, b"content-length")
    return length is None or length.strip() in (b"", b"0")


def _sends_json(scope: Scope) -> bool:
    raw = _header(scope, b"content-type")
    return raw is not None and raw.split(b";", 1)[0].strip().lower() == b"application/json"


def _bearer(scope: Scope) -> str | None:
    raw = _header(scope, b"authorization")
    if raw is None:
        return None
    scheme, _, credentials = raw.decode("latin-1").strip().partition(" ")
    if scheme.lower() != "bearer" or not credentials.strip():
        return None
    return credentials.strip()


def _content_length(scope: Scope) -> int | None:
    raw = _header(scope, b"content-length")
    if raw is None:
        return None
    try:
        return int(raw)
    except ValueError:
        # Unparseable: treat as unknown and count the bytes as they come.
        return None


def _client(scope: Scope) -> str:
    # The peer address, never X-Forwarded-For (any client can write that header): behind a
    # proxy every client shares the proxy's bucket, docs/decisions/0009-trust.md.
    client = scope.get("client")
    return str(client[0]) if client else "unknown"


async def _read_body(receive: Receive, *, limit: int) -> list[Message]:
    messages: list[Message] = []
    size = 0
    while True:
        message = await receive()
        messages.append(message)
        if message["type"] != "http.request":
            return messages
        size += len(message.get("body", b""))
        if size > limit:
            raise BodyTooLarge
        if not message.get("more_body", False):
            return messages


def _replay(messages: list[Message], receive: Receive) -> Receive:
    pending = list(messages)

    async def replayed() -> Message:
        if pending:
            return pending.pop(0)
        return await receive()

    return replayed


async def _reply(
    send: Send,
    status: int,
    detail: str,
    *,
    parameter: str | None = None,
    headers: list[tuple[bytes, bytes]] | None = None,
) -> None:
    body = json.dumps({"detail": detail, "parameter": parameter}).encode("utf-8")
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode("ascii")),
                *(headers or []),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
