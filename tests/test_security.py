"""The desk's write guard: bearer token, body size limit, rate limit, and the security headers."""

from __future__ import annotations

import asyncio
import hmac
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from sitrep.adapters.store import MemoryStore
from sitrep.api import build_app, create_app
from sitrep.api import security as security_module
from sitrep.api.app import serve
from sitrep.api.security import (
    GuardOptions,
    RateLimit,
    TokenBuckets,
    WriteGuard,
    check_token,
    parse_rate_limit,
)
from sitrep.errors import ConfigError
from sitrep.settings import Settings
from tests.test_api import fake_pipeline
from tests.test_api_fixtures import TOKEN, Client, desk_settings, fill

PAGE = {"text": "A page about a clash.", "published": "2024-03-02"}
DECISION_URL = "/api/v1/comments/doc-hostile/1/decision"
READS = (
    "/api/v1/events",
    "/api/v1/events/s1",
    "/api/v1/aggregates?by=day",
    "/api/v1/documents",
    "/api/v1/documents/doc-syria",
    "/api/v1/comments",
    "/api/v1/info",
    "/api/v1/openapi.json",
    "/",
    "/static/app.js",
)


class Clock:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def app_with(clock: Clock | None = None, **values: Any) -> Any:
    store = fill(MemoryStore())
    return build_app(
        store,
        settings=desk_settings(**values),
        pipeline_factory=fake_pipeline,
        **({"clock": clock} if clock is not None else {}),
    )


@pytest.fixture
def app() -> Any:
    return app_with()


def assert_headers(response: httpx.Response) -> None:
    assert "default-src 'self'" in response.headers["content-security-policy"]
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"


# -- token -----------------------------------------------------------------------------------


def test_writes_are_disabled_without_a_token_and_say_how_to_enable_them() -> None:
    store = fill(MemoryStore())
    client = Client(build_app(store, pipeline_factory=fake_pipeline), token=TOKEN)
    for url, body in (("/api/v1/pages", PAGE), (DECISION_URL, {"decision": "ok"})):
        response = client.post(url, json=body)
        assert response.status_code == 403, response.text
        assert "serve.token" in response.json()["detail"]
        assert_headers(response)
    assert store.documents() == fill(MemoryStore()).documents()  # nothing was written
    assert client.get("/api/v1/info").json()["writes"] is False


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": ""},
        {"Authorization": "Bearer"},
        {"Authorization": "Bearer "},
        {"Authorization": f"Basic {TOKEN}"},
        {"Authorization": TOKEN},
    ],
)
def test_a_missing_token_is_401_with_a_bearer_challenge(app: Any, headers: dict[str, str]) -> None:
    client = Client(app)
    for url in ("/api/v1/pages", DECISION_URL):
        response = client.post(url, json=PAGE, headers=headers)
        assert response.status_code == 401, response.text
        assert response.headers["www-authenticate"].startswith('Bearer realm="sitrep"')
        assert "invalid_token" not in response.headers["www-authenticate"]
        assert_headers(response)


@pytest.mark.parametrize(
    "sent", [TOKEN[:-1], TOKEN + "x", TOKEN.upper(), "x" * len(TOKEN), f"{TOKEN} {TOKEN}"]
)
def test_a_wrong_token_is_401_invalid_token(app: Any, sent: str) -> None:
    response = Client(app, token=sent).post("/api/v1/pages", json=PAGE)
    assert response.status_code == 401
    assert 'error="invalid_token"' in response.headers["www-authenticate"]
    assert response.json()["detail"] == "the bearer token is wrong"


def test_the_right_token_writes(app: Any) -> None:
    client = Client(app, token=TOKEN)
    assert client.get("/api/v1/info").json()["writes"] is True
    response = client.post("/api/v1/pages", json=PAGE)
    assert response.status_code == 201, response.text
    document_id = response.json()["document_id"]
    assert client.get(f"/api/v1/documents/{document_id}").status_code == 200
    # The scheme is case-insensitive (RFC 7235); the token is not.
    lower = Client(app).post(
        "/api/v1/pages", json=PAGE, headers={"authorization": f"bearer {TOKEN}"}
    )
    assert lower.status_code == 201


def test_the_token_is_compared_in_constant_time(app: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[bytes, bytes]] = []
    compare = hmac.compare_digest

    def spy(a: bytes, b: bytes) -> bool:
        calls.append((a, b))
        return compare(a, b)

    monkeypatch.setattr(security_module.hmac, "compare_digest", spy)
    assert Client(app, token="nope-nope-nope-nope").post("/api/v1/pages", json=PAGE).status_code
    assert calls == [(b"nope-nope-nope-nope", TOKEN.encode())]


def test_reads_stay_public(app: Any) -> None:
    client = Client(app)  # no token
    for url in READS:
        response = client.get(url)
        assert response.status_code == 200, (url, response.text)
        assert_headers(response)


def test_other_write_methods_need_the_token_too(app: Any) -> None:
    client = Client(app)
    for method in ("PUT", "PATCH", "DELETE"):
        assert client.request(method, "/api/v1/events/s1").status_code == 401
    # With the token (and JSON) they reach the router, which has no such route.
    authorized = Client(app, token=TOKEN)
    json_type = {"content-type": "application/json"}
    assert authorized.request("DELETE", "/api/v1/events/s1", headers=json_type).status_code == 405
    # A DELETE without a body needs no content type; one with a form body still does.
    assert authorized.request("DELETE", "/api/v1/events/s1").status_code == 405
    form = {"content-type": "application/x-www-form-urlencoded"}
    assert (
        authorized.request("DELETE", "/api/v1/events/s1", content="a=b", headers=form).status_code
        == 415
    )


def test_authentication_comes_before_the_content_type_check(app: Any) -> None:
    form = {"content-type": "application/x-www-form-urlencoded"}
    assert Client(app).post("/api/v1/pages", content="text=a", headers=form).status_code == 401
    authorized = Client(app, token=TOKEN)
    assert authorized.post("/api/v1/pages", content="text=a", headers=form).status_code == 415


@pytest.mark.parametrize("token", ["short", "x" * 15, "fifteen-chars!!"])
def test_a_short_token_is_refused_at_start(tmp_path: Path, token: str) -> None:
    settings = Settings({"serve.token": token})
    with pytest.raises(ConfigError, match="at least 16"):
        build_app(MemoryStore(), settings=settings)
    db = tmp_path / "never.db"
    with pytest.raises(ConfigError, match=r"serve\.token"):
        create_app(f"sqlite:///{db}", settings=settings)
    assert not db.exists()  # refused before the store was opened
    with pytest.raises(ConfigError, match=r"serve\.token"):
        serve(settings.replace(**{"store__url": f"sqlite:///{db}"}), port=1)


def test_check_token() -> None:
    assert check_token("") == ""
    assert check_token("y" * 16) == "y" * 16
    with pytest.raises(ConfigError):
        check_token("y" * 15)


@given(st.text(min_size=1, max_size=60).filter(lambda t: t.strip() != TOKEN))
def test_property_no_other_token_is_accepted(sent: str) -> None:
    options = GuardOptions(token=TOKEN, max_body_bytes=1000, rate_limit=None)
    guard = WriteGuard(_echo_app, options=options)
    header = f"Bearer {sent}".encode()
    status, _, _ = run_asgi(guard, method="POST", headers=[(b"authorization", header)])
    assert status in (401,)


# -- body size -------------------------------------------------------------------------------


def test_a_declared_body_over_the_limit_is_413_before_reading(app: Any) -> None:
    small = app_with(**{"serve.max_body_bytes": 100})
    response = Client(small, token=TOKEN).post("/api/v1/pages", json={"text": "x" * 200})
    assert response.status_code == 413
    assert response.json()["parameter"] == "body"
    assert "serve.max_body_bytes" in response.json()["detail"]
    assert_headers(response)
    # Under the limit the same app writes.
    assert Client(small, token=TOKEN).post("/api/v1/pages", json={"text": "ok"}).status_code == 201


def test_the_guard_never_reads_a_body_it_refuses_by_its_length() -> None:
    options = GuardOptions(token=TOKEN, max_body_bytes=100, rate_limit=None)
    guard = WriteGuard(_echo_app, options=options)
    reads: list[int] = []

    async def receive() -> dict[str, Any]:
        reads.append(1)
        return {"type": "http.request", "body": b"x" * 50, "more_body": True}

    status, _, body = run_asgi(
        guard,
        method="POST",
        headers=[
            (b"authorization", f"Bearer {TOKEN}".encode()),
            (b"content-type", b"application/json"),
            (b"content-length", b"10000000000"),
        ],
        receive=receive,
    )
    assert status == 413
    assert reads == []
    assert b"serve.max_body_bytes" in body


def test_a_streamed_body_is_counted_and_stopped_at_the_limit() -> None:
    options = GuardOptions(token=TOKEN, max_body_bytes=1000, rate_limit=None)
    guard = WriteGuard(_echo_app, options=options)
    chunks = 0

    async def receive() -> dict[str, Any]:
        nonlocal chunks
        chunks += 1
        return {"type": "http.request", "body": b"y" * 300, "more_body": True}  # endless

    headers = [
        (b"authorization", f"Bearer {TOKEN}".encode()),
        (b"content-type", b"application/json"),
    ]
    status, _, _ = run_asgi(guard, method="POST", headers=headers, receive=receive)
    assert status == 413
    assert chunks == 4  # 1,200 bytes read, then refused: never the whole (endless) body
    # A body that lies about its length is counted all the same.
    lying = [*headers, (b"content-length", b"10")]
    chunks = 0
    assert run_asgi(guard, method="POST", headers=lying, receive=receive)[0] == 413


def test_a_streamed_body_under_the_limit_reaches_the_app_whole(app: Any) -> None:
    async def pieces() -> AsyncIterator[bytes]:
        yield b'{"text": "A page '
        yield b'in pieces."}'

    response = Client(app, token=TOKEN).post(
        "/api/v1/pages", content=pieces(), headers={"content-type": "application/json"}
    )
    assert response.status_code == 201, response.text
    stored = Client(app).get(f"/api/v1/documents/{response.json()['document_id']}").json()
    assert stored["id"] == response.json()["document_id"]


def test_a_get_with_a_huge_declared_body_is_413_too(app: Any) -> None:
    small = app_with(**{"serve.max_body_bytes": 10})
    response = Client(small).request("GET", "/api/v1/events", content=b"z" * 100)
    assert response.status_code == 413


# -- rate limit ------------------------------------------------------------------------------


def test_writes_over_the_rate_are_429_with_retry_after() -> None:
    clock = Clock()
    client = Client(app_with(clock, **{"serve.rate_limit": "3/minute"}), token=TOKEN)
    statuses = [client.post("/api/v1/pages", json=PAGE).status_code for _ in range(4)]
    assert statuses == [201, 201, 201, 429]
    refused = client.post("/api/v1/pages", json=PAGE)
    assert refused.status_code == 429
    assert refused.headers["retry-after"] == "20"  # one token every 20 s
    assert "serve.rate_limit" in refused.json()["detail"]
    assert_headers(refused)
    clock.now += 19
    assert client.post("/api/v1/pages", json=PAGE).headers["retry-after"] == "1"
    clock.now += 1
    assert client.post("/api/v1/pages", json=PAGE).status_code == 201
    # Reads are never limited.
    assert all(client.get("/api/v1/events").status_code == 200 for _ in range(10))


def test_each_client_address_has_its_own_bucket() -> None:
    clock = Clock()
    app = app_with(clock, **{"serve.rate_limit": "1/hour"})

    def post_from(address: str) -> int:
        async def go() -> int:
            transport = httpx.ASGITransport(app=app, client=(address, 5000))
            async with httpx.AsyncClient(transport=transport, base_url="http://t") as c:
                r = await c.post(
                    "/api/v1/pages", json=PAGE, headers={"Authorization": f"Bearer {TOKEN}"}
                )
                return r.status_code

        return asyncio.run(go())

    assert post_from("10.0.0.1") == 201
    assert post_from("10.0.0.1") == 429
    assert post_from("10.0.0.2") == 201


def test_unauthenticated_writes_do_not_spend_the_bucket() -> None:
    app = app_with(Clock(), **{"serve.rate_limit": "1/hour"})
    assert all(Client(app).post("/api/v1/pages", json=PAGE).status_code == 401 for _ in range(5))
    assert Client(app, token=TOKEN).post("/api/v1/pages", json=PAGE).status_code == 201


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("30/minute", RateLimit(30, 60.0)),
        (" 5 / Second ", RateLimit(5, 1.0)),
        ("100/hours", RateLimit(100, 3600.0)),
        ("", None),
        ("0/minute", None),
    ],
)
def test_parse_rate_limit(text: str, expected: RateLimit | None) -> None:
    assert parse_rate_limit(text) == expected


@pytest.mark.parametrize("text", ["30", "x/minute", "30/day", "-1/minute", "30 per minute"])
def test_an_unreadable_rate_is_refused_at_start(text: str) -> None:
    with pytest.raises(ConfigError, match=r"serve\.rate_limit"):
        parse_rate_limit(text)
    with pytest.raises(ConfigError, match=r"serve\.rate_limit"):
        build_app(MemoryStore(), settings=desk_settings(**{"serve.rate_limit": text}))


def test_a_body_limit_below_one_byte_is_refused() -> None:
    with pytest.raises(ConfigError, match=r"serve\.max_body_bytes"):
        build_app(MemoryStore(), settings=desk_settings(**{"serve.max_body_bytes": 0}))


def test_buckets_refill_evenly_and_forget_the_oldest_clients() -> None:
    clock = Clock()
    buckets = TokenBuckets(RateLimit(2, 10.0), clock=clock, max_clients=3)
    assert [buckets.take("a") for _ in range(3)] == [0.0, 0.0, pytest.approx(5.0)]
    clock.now += 2.5
    assert buckets.take("a") == pytest.approx(2.5)
    for name in ("b", "c", "d"):
        buckets.take(name)
    assert len(buckets._buckets) == 3 and "a" not in buckets._buckets
    assert buckets.take("a") == 0.0  # forgotten: a full bucket again


def test_defaults_are_the_documented_ones() -> None:
    options = GuardOptions.from_settings(Settings())
    assert options == GuardOptions(
        token="", max_body_bytes=5_000_000, rate_limit=RateLimit(30, 60.0)
    )


# -- helpers ---------------------------------------------------------------------------------


async def _echo_app(scope: Any, receive: Any, send: Any) -> None:
    body = b""
    while True:
        message = await receive()
        body += message.get("body", b"")
        if not message.get("more_body"):
            break
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": body})


def run_asgi(
    app: Any,
    *,
    method: str,
    headers: list[tuple[bytes, bytes]],
    receive: Any = None,
) -> tuple[int, list[tuple[bytes, bytes]], bytes]:
    """Call an ASGI app once; return status, headers and body."""
    sent: list[dict[str, Any]] = []

    async def default_receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"{}", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "method": method,
        "path": "/api/v1/pages",
        "headers": [(b"content-type", b"application/json"), *headers]
        if not any(k == b"content-type" for k, _ in headers)
        else headers,
        "client": ("127.0.0.1", 1234),
    }
    asyncio.run(app(scope, receive or default_receive, send))
    start = sent[0]
    body = b"".join(m.get("body", b"") for m in sent[1:])
    return int(start["status"]), list(start["headers"]), body
