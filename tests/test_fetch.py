"""Fetchers: limits, the address guard, retry-later versus drop; against a local test server."""

from __future__ import annotations

import contextlib
import gzip
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from sitrep.adapters.fetch import (
    DropError,
    FakeFetcher,
    Fetcher,
    Response,
    RetryLaterError,
    WebFetcher,
    check_address,
)
from sitrep.adapters.fetch.base import check_status, parse_retry_after


class _Handler(BaseHTTPRequestHandler):
    """Routes of the test server; each path shows one behaviour."""

    def log_message(self, format: str, *args: object) -> None:  # quiet test output
        pass

    def _send(self, status: int, body: bytes, **headers: str) -> None:
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        path = self.path
        if path == "/page":
            self._send(200, b"<html>ok</html>", Content_Type="text/html; charset=utf-8")
        elif path == "/gzip":
            self._send(200, gzip.compress(b"<p>zipped</p>"), Content_Encoding="gzip")
        elif path == "/bomb":
            self._send(200, gzip.compress(b"\0" * 5_000_000), Content_Encoding="gzip")
        elif path == "/big":
            self._send(200, b"x" * 50_000)
        elif path.startswith("/hop/"):
            n = int(path.rsplit("/", 1)[1])
            self._send(302, b"", Location=f"/hop/{n - 1}" if n > 0 else "/page")
        elif path == "/busy":
            self._send(503, b"", Retry_After="7")
        elif path == "/limited":
            self._send(429, b"")
        elif path == "/gone":
            self._send(410, b"")
        elif path == "/etag":
            if self.headers.get("If-None-Match") == '"v1"':
                self._send(304, b"")
            else:
                self._send(200, b"<rss/>", ETag='"v1"')
        elif path == "/to-other":
            port = self.headers["Host"].rsplit(":", 1)[1]
            self._send(302, b"", Location=f"http://127.0.0.2:{port}/page")
        elif path == "/slow":
            time.sleep(1.5)
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                self._send(200, b"late")  # the client gave up long ago
        else:
            self._send(404, b"")

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", "0"))
        self.server.posted.append(self.rfile.read(length))  # type: ignore[attr-defined]
        self._send(204 if self.path == "/hook" else 400, b"")


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.posted = []  # type: ignore[attr-defined]
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()
    thread.join()


@pytest.fixture
def local() -> WebFetcher:
    # The test server is on loopback, which only allow_private lets a fetcher reach.
    return WebFetcher(allow_private=True, max_redirects=3)


def test_get_returns_body_and_headers(server: str, local: WebFetcher) -> None:
    response = local.get(f"{server}/page", max_bytes=1000, timeout=5)
    assert response.status == 200 and response.body == b"<html>ok</html>"
    assert response.media_type == "text/html" and response.url == f"{server}/page"


def test_gzip_bodies_are_decoded_and_bounded(server: str, local: WebFetcher) -> None:
    assert local.get(f"{server}/gzip", max_bytes=1000, timeout=5).body == b"<p>zipped</p>"
    with pytest.raises(DropError, match=r"fetch\.max_bytes"):
        local.get(f"{server}/bomb", max_bytes=100_000, timeout=5)


def test_body_over_max_bytes_is_dropped(server: str, local: WebFetcher) -> None:
    with pytest.raises(DropError, match=r"fetch\.max_bytes"):
        local.get(f"{server}/big", max_bytes=10_000, timeout=5)


def test_redirects_followed_up_to_the_limit(server: str, local: WebFetcher) -> None:
    response = local.get(f"{server}/hop/2", max_bytes=1000, timeout=5)
    assert response.url == f"{server}/page" and response.body == b"<html>ok</html>"
    with pytest.raises(DropError, match="redirects"):
        local.get(f"{server}/hop/5", max_bytes=1000, timeout=5)


@pytest.mark.parametrize(
    ("path", "kind"),
    [
        ("/busy", RetryLaterError),
        ("/limited", RetryLaterError),
        ("/gone", DropError),
        ("/nothing", DropError),
    ],
)
def test_statuses_are_retry_later_or_drop(
    server: str, local: WebFetcher, path: str, kind: type[Exception]
) -> None:
    with pytest.raises(kind):
        local.get(f"{server}{path}", max_bytes=1000, timeout=5)


def test_retry_after_is_read(server: str, local: WebFetcher) -> None:
    with pytest.raises(RetryLaterError) as caught:
        local.get(f"{server}/busy", max_bytes=1000, timeout=5)
    assert caught.value.retry_after == 7.0


def test_timeout_is_retry_later(server: str, local: WebFetcher) -> None:
    with pytest.raises(RetryLaterError, match="timed out"):
        local.get(f"{server}/slow", max_bytes=1000, timeout=0.3)


def test_conditional_get_answers_304(server: str, local: WebFetcher) -> None:
    first = local.get(f"{server}/etag", max_bytes=1000, timeout=5)
    assert first.header("ETag") == '"v1"'
    again = local.get(
        f"{server}/etag", max_bytes=1000, timeout=5, headers={"If-None-Match": '"v1"'}
    )
    assert again.status == 304 and again.body == b""


def test_post_to_webhook(server: str) -> None:
    fetcher = WebFetcher()  # webhooks may be local even when pages may not
    assert (
        fetcher.post(
            f"{server}/hook", body=b'{"a":1}', content_type="application/json", timeout=5
        ).status
        == 204
    )
    with pytest.raises(DropError, match="400"):
        fetcher.post(f"{server}/other", body=b"{}", content_type="application/json", timeout=5)


def test_loopback_is_refused_by_default(server: str) -> None:
    with pytest.raises(DropError, match=r"fetch\.allow_private"):
        WebFetcher().get(f"{server}/page", max_bytes=1000, timeout=5)
    with pytest.raises(DropError, match=r"fetch\.allow_private"):
        WebFetcher().get("http://localhost:9/page", max_bytes=1000, timeout=5)


def test_every_redirect_hop_is_checked(server: str, monkeypatch: pytest.MonkeyPatch) -> None:
    # Stand-in guard: 127.0.0.1 plays a public host, 127.0.0.2 the private one behind it.
    checked: list[str] = []

    def guard(address: str, *, allow_private: bool, url: str = "") -> None:
        checked.append(address)
        if address == "127.0.0.2":
            raise DropError(url, "private address; set fetch.allow_private")

    monkeypatch.setattr("sitrep.adapters.fetch.web.check_address", guard)
    with pytest.raises(DropError, match="private"):
        WebFetcher().get(f"{server}/to-other", max_bytes=1000, timeout=5)
    assert checked == ["127.0.0.1", "127.0.0.2"]


@pytest.mark.parametrize(
    "url", ["ftp://x.example/file", "file:///etc/passwd", "http:///nohost", "gopher://x"]
)
def test_only_http_urls(url: str) -> None:
    with pytest.raises(DropError, match="http"):
        WebFetcher(allow_private=True).get(url, max_bytes=1000, timeout=5)


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.1.2.3",
        "172.16.0.1",
        "192.168.1.1",
        "169.254.169.254",
        "100.64.0.1",
        "0.0.0.0",
        "224.0.0.1",
        "::1",
        "fe80::1",
        "fc00::1",
        "::ffff:127.0.0.1",
        "2002:7f00:1::",
    ],
)
def test_private_addresses_are_refused(address: str) -> None:
    with pytest.raises(DropError, match=r"fetch\.allow_private"):
        check_address(address, allow_private=False)
    check_address(address, allow_private=True)


@pytest.mark.parametrize("address", ["93.184.216.34", "2606:4700::6810:84e5", "8.8.8.8"])
def test_public_addresses_pass(address: str) -> None:
    check_address(address, allow_private=False)


def test_check_status_and_retry_after() -> None:
    check_status("u", 204, {})
    check_status("u", 304, {})
    with pytest.raises(RetryLaterError):
        check_status("u", 502, {})
    with pytest.raises(DropError):
        check_status("u", 403, {})
    assert parse_retry_after({"retry-after": "99999"}) == 3600.0
    assert parse_retry_after({"retry-after": "soon"}) is None
    assert parse_retry_after({"retry-after": "Wed, 21 Oct 2015 07:28:00 GMT"}) == 0.0


def test_fake_fetcher_is_a_fetcher() -> None:
    fake = FakeFetcher()
    assert isinstance(fake, Fetcher) and isinstance(WebFetcher(), Fetcher)
    fake.add("https://x.example/a", "<p>a</p>")
    fake.fail("https://x.example/b", RetryLaterError("https://x.example/b", "timed out"))
    assert fake.get("https://x.example/a", max_bytes=100, timeout=1).body == b"<p>a</p>"
    with pytest.raises(RetryLaterError):
        fake.get("https://x.example/b", max_bytes=100, timeout=1)
    with pytest.raises(DropError, match="404"):
        fake.get("https://x.example/c", max_bytes=100, timeout=1)
    with pytest.raises(DropError, match="max_bytes"):
        fake.get("https://x.example/a", max_bytes=3, timeout=1)
    fake.post_replies.append(Response("h", 500))
    with pytest.raises(RetryLaterError):
        fake.post("https://hook.example/", body=b"1", content_type="application/json", timeout=1)
    fake.post("https://hook.example/", body=b"2", content_type="application/json", timeout=1)
    assert fake.posts() == [b"1", b"2"]
    assert [r.method for r in fake.requests] == ["GET", "GET", "GET", "GET", "POST", "POST"]
