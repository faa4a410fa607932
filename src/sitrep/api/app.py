"""The analyst's desk: a FastAPI app serving the REST API (/api/v1) and the web page (/).

Everything the desk shows comes from untrusted pages, so every response carries a strict
Content-Security-Policy and the page builds its DOM from text nodes only
(docs/decisions/0008-desk.md).
"""

from __future__ import annotations

import ipaddress
import time
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from urllib.parse import urlsplit

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from sitrep.adapters.store import open_store
from sitrep.adapters.store.base import Store
from sitrep.api.desk import Desk, PipelineFactory
from sitrep.api.queries import InvalidParameter
from sitrep.api.security import GuardOptions, WriteGuard
from sitrep.errors import ConfigError, StoreError
from sitrep.settings import Settings

API_PREFIX = "/api/v1"
STATIC_DIR = Path(__file__).parent / "static"
NATURAL_EARTH = "Made with Natural Earth"
_LOOPBACK_NAMES = ("localhost", "127.0.0.1", "[::1]", "::1")


def sitrep_version() -> str:
    """Return the installed sitrep version, or "unknown" in a bare source tree."""
    try:
        return version("sitrep")
    except PackageNotFoundError:
        return "unknown"


def content_security_policy(*, tiles_url: str | None = None) -> str:
    """Return the CSP header: same-origin everything, no inline script or style, no framing."""
    images = "'self' data:"
    if tiles_url:
        parts = urlsplit(tiles_url.replace("{s}", "a"))
        if parts.scheme in ("http", "https") and parts.hostname:
            host = tiles_url.split("/")[2].replace("{s}", "*")
            images += f" {parts.scheme}://{host}"
    return "; ".join(
        (
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            f"img-src {images}",
            "connect-src 'self'",
            "font-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        )
    )


class SecurityHeaders:
    """ASGI middleware: security headers on every response, the guards' refusals included."""

    def __init__(self, app: ASGIApp, *, csp: str) -> None:
        self.app = app
        self.headers = [
            (b"content-security-policy", csp.encode("ascii")),
            (b"x-content-type-options", b"nosniff"),
            (b"x-frame-options", b"DENY"),
            (b"referrer-policy", b"no-referrer"),
            (b"cross-origin-opener-policy", b"same-origin"),
            (b"cross-origin-resource-policy", b"same-origin"),
            (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
        ]
        self._names = frozenset(name for name, _ in self.headers)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message.setdefault("headers", [])
                message["headers"] = [
                    *(h for h in message["headers"] if h[0].lower() not in self._names),
                    *self.headers,
                ]
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _error(status: int, detail: str, parameter: str | None = None) -> JSONResponse:
    return JSONResponse({"detail": detail, "parameter": parameter}, status_code=status)


async def _invalid_parameter(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, InvalidParameter)
    return _error(400, str(exc), exc.parameter)


async def _config_error(request: Request, exc: Exception) -> Response:
    return _error(400, str(exc))


async def _store_error(request: Request, exc: Exception) -> Response:
    return _error(503, f"the database is unavailable: {exc}")


class ParameterHTTPError(StarletteHTTPException):
    """An HTTP error about one named parameter or body field (its name goes in the reply)."""

    def __init__(self, status_code: int, parameter: str, message: str) -> None:
        super().__init__(status_code=status_code, detail=f"{parameter}: {message}")
        self.parameter = parameter


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    return _error(exc.status_code, str(exc.detail), getattr(exc, "parameter", None))


async def _validation_error(request: Request, exc: Exception) -> Response:
    """Answer a malformed request with the parameter it names: 400 for query and path, 422 body."""
    assert isinstance(exc, RequestValidationError)
    errors = list(exc.errors())
    first = errors[0] if errors else {}
    loc = [str(p) for p in first.get("loc", ())]
    where = loc[0] if loc else "request"
    parameter = ".".join(loc[1:]) or where
    message = f"{parameter}: {first.get('msg', 'invalid')}"
    if len(errors) > 1:
        message += f" (and {len(errors) - 1} more)"
    status = 422 if where == "body" else 400
    return _error(status, message, parameter)


def build_app(
    store: Store,
    *,
    settings: Settings | None = None,
    tiles_url: str | None = None,
    tiles_attribution: str | None = None,
    pipeline_factory: PipelineFactory | None = None,
    allowed_hosts: Sequence[str] | None = None,
    close_store: bool = False,
    clock: Callable[[], float] = time.monotonic,
) -> FastAPI:
    """Return the desk app over an open store.

    Writes need ``serve.token`` as a bearer token (writes are refused while it is empty);
    ``serve.max_body_bytes`` and ``serve.rate_limit`` bound them: docs/decisions/0009-trust.md.

    Args:
        store: where events, documents and comments are read (and submitted pages saved).
        tiles_url: an online tile URL template ("https://{s}.tile.example/{z}/{x}/{y}.png");
            None keeps the map offline (country outlines only).
        pipeline_factory: builds the pipeline for POST /api/v1/pages (default:
            sitrep.process.build_pipeline); tests pass a fake.
        allowed_hosts: Host header values accepted (DNS-rebinding guard); None accepts any.
        close_store: close the store when the app shuts down.
        clock: monotonic seconds for the rate limiter (tests pass a fake).

    Raises:
        ConfigError: a ``serve.*`` setting is unusable (a token under 16 characters, ...).
    """
    settings = settings if settings is not None else Settings()
    guard = GuardOptions.from_settings(settings)
    desk = Desk(
        store=store,
        settings=settings,
        tiles_url=tiles_url or None,
        tiles_attribution=tiles_attribution,
        pipeline_factory=pipeline_factory,
    )

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        if close_store:
            store.close()

    app = FastAPI(
        title="sitrep desk",
        version=sitrep_version(),
        summary="Conflict events from news pages: events, documents, comments, moderation.",
        openapi_url=f"{API_PREFIX}/openapi.json",
        # The interactive docs load their scripts from a CDN, which the offline desk and
        # its CSP forbid; docs/api.md and the OpenAPI schema document the API.
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.desk = desk

    from sitrep.api.routes import comments, documents, events, info, pages

    for module in (events, documents, comments, pages, info):
        app.include_router(module.router, prefix=API_PREFIX)

    app.add_exception_handler(InvalidParameter, _invalid_parameter)
    app.add_exception_handler(ConfigError, _config_error)
    app.add_exception_handler(StoreError, _store_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)

    @app.get("/", include_in_schema=False)
    def index() -> FileResponse:
        return FileResponse(STATIC_DIR / "index.html", media_type="text/html; charset=utf-8")

    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    # Added first, so innermost: the host guard and the headers wrap the write guard's refusals.
    app.add_middleware(WriteGuard, options=guard, clock=clock)
    if allowed_hosts is not None:
        app.add_middleware(TrustedHostMiddleware, allowed_hosts=list(allowed_hosts))
    app.add_middleware(SecurityHeaders, csp=content_security_policy(tiles_url=desk.tiles_url))
    return app


def create_app(
    store_url: str,
    *,
    settings: Settings | None = None,
    tiles_url: str | None = None,
    tiles_attribution: str | None = None,
    pipeline_factory: PipelineFactory | None = None,
    allowed_hosts: Sequence[str] | None = None,
) -> FastAPI:
    """Open the store ``store_url`` names and return the desk app over it (closed on shutdown).

    Raises:
        ConfigError: the URL names no store this version supports, or a ``serve.*`` setting
            is unusable.
        StoreError: the database cannot be opened.
    """
    # Checked before the store is opened, so a bad setting leaves no connection behind.
    GuardOptions.from_settings(settings if settings is not None else Settings())
    store = open_store(store_url)
    return build_app(
        store,
        settings=settings,
        tiles_url=tiles_url,
        tiles_attribution=tiles_attribution,
        pipeline_factory=pipeline_factory,
        allowed_hosts=allowed_hosts,
        close_store=True,
    )


def loopback_hosts(host: str) -> list[str] | None:
    """Return the Host names to accept when serving on ``host``: loopback names, or None (any)."""
    try:
        loopback = ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        loopback = host == "localhost"
    return list(_LOOPBACK_NAMES) if loopback else None


def _optional_setting(settings: Settings, name: str) -> str | None:
    try:
        value = settings[name]
    except ConfigError:
        # The setting is added by the CLI's `serve` work; until then it is simply absent.
        return None
    return str(value) if value else None


def serve(settings: Settings, *, host: str = "127.0.0.1", port: int = 8000) -> None:
    """Serve the desk for ``settings["store.url"]`` with uvicorn until interrupted.

    On a loopback address only loopback Host headers are accepted (DNS-rebinding guard).
    """
    import uvicorn

    app = create_app(
        settings["store.url"],
        settings=settings,
        tiles_url=_optional_setting(settings, "serve.tiles_url"),
        tiles_attribution=_optional_setting(settings, "serve.tiles_attribution"),
        allowed_hosts=loopback_hosts(host),
    )
    uvicorn.run(app, host=host, port=port, log_level="info")
