"""The desk's web page in a real headless Chromium (Debian's /usr/bin/chromium via Playwright).

A database made from the example pages (screened by the real pipeline) plus a hostile
document is served by uvicorn, with a write token, on a free loopback port; the tests load
the page and check that map, timeline and table agree, that filters and the brush change
them together, that hostile text stays text, and that the comment queue shows screenings
and records decisions.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from sitrep.adapters.store import SQLiteStore
from sitrep.adapters.store.base import CommentQuery
from sitrep.api import build_app
from sitrep.records import Decision
from sitrep.settings import Settings
from tests.test_api_fixtures import (
    HOSTILE_COMMENT,
    HOSTILE_SENTENCE,
    SCRIPT,
    TOKEN,
    desk_documents,
    desk_settings,
)

CHROMIUM = Path("/usr/bin/chromium")
ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "artifacts"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

pytestmark = [
    pytest.mark.slow,
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason="needs Debian's chromium at /usr/bin/chromium (apt-get install chromium)",
    ),
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, SQLiteStore]]:
    """Serve a database of the example pages plus the hostile document; yield its base URL."""
    import uvicorn

    from sitrep.process import process_paths

    path = tmp_path_factory.mktemp("web") / "desk.db"
    store = SQLiteStore(path)
    process_paths(
        [ROOT / "examples"], settings=Settings(), store=store, published=date(2018, 8, 23)
    )
    store.save_document(desk_documents()[2])  # the hostile one
    port = free_port()
    app = build_app(store, settings=desk_settings())  # with a write token: decisions work
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("uvicorn did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}", store
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        store.close()


class Watch:
    """What the page did that it must not: dialogs, script errors, CSP violations."""

    def __init__(self) -> None:
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        self.console: list[str] = []

    def attach(self, page: Any) -> None:
        def on_dialog(dialog: Any) -> None:
            self.dialogs.append(dialog.message)
            dialog.dismiss()

        page.on("dialog", on_dialog)
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("console", lambda m: self.console.append(f"{m.type}: {m.text}"))

    def assert_clean(self) -> None:
        assert self.dialogs == []
        assert self.errors == []
        problems = [m for m in self.console if m.startswith("error") or "Security Policy" in m]
        assert problems == []


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def desk(server: tuple[str, SQLiteStore], browser: Any) -> Iterator[tuple[Any, Watch]]:
    url, _ = server
    context = browser.new_context(viewport={"width": 1400, "height": 1200})
    page = context.new_page()
    watch = Watch()
    watch.attach(page)
    page.goto(url + "/")
    page.wait_for_selector("body[data-ready=true]", timeout=20_000)
    try:
        yield page, watch
    finally:
        context.close()


def counts(page: Any) -> tuple[int, int, int]:
    """Return (points on the map, events on the timeline, rows in the table)."""
    page.wait_for_timeout(300)  # markercluster adds markers in chunks
    points = int(page.get_attribute("#map", "data-points"))
    timeline = int(page.get_attribute("#timeline", "data-total"))
    rows = int(page.get_attribute("#events-table", "data-rows"))
    return points, timeline, rows


def expected_counts(store: SQLiteStore, **where: Any) -> tuple[int, int, int]:
    events = [e for e in store.events() if all(getattr(e, k) == v for k, v in where.items())]
    placed = sum(e.latitude is not None and e.longitude is not None for e in events)
    dated = sum(e.event_date is not None for e in events)
    return placed, dated, len(events)


def test_map_timeline_and_table_agree(desk: tuple[Any, Watch], server: Any) -> None:
    page, watch = desk
    _, store = server
    expected = expected_counts(store)
    assert expected[2] >= 5  # the examples yield events
    assert counts(page) == expected
    assert page.locator("#events-table tbody tr").count() == expected[2]
    bars = page.locator("#timeline rect.bar")
    assert (
        sum(int(bars.nth(i).get_attribute("data-count")) for i in range(bars.count()))
        == (expected[1])
    )
    # Points are on the map, alone or in clusters whose counts add up.
    markers = page.locator("#map .ev-marker").count()
    clustered = sum(int(t) for t in page.locator("#map .ev-cluster span").all_inner_texts())
    assert markers + clustered == expected[0]
    assert "Made with Natural Earth" in page.inner_text("#map .leaflet-control-attribution")
    assert page.locator("#map path.leaflet-interactive, #map svg path").count() > 100  # countries
    watch.assert_clean()


def test_clicking_an_event_shows_its_sentence_marked(desk: tuple[Any, Watch]) -> None:
    page, watch = desk
    row = page.locator("#events-table tbody tr").first
    event_id = row.get_attribute("data-event-id")
    row.click()
    page.wait_for_selector(f"#panel[data-event-id='{event_id}']")
    sentence = page.inner_text("#panel .sentence")
    assert len(sentence) > 20
    assert page.locator("#panel .sentence mark").count() >= 1
    watch.assert_clean()


def test_type_filter_and_date_filter_change_every_view(
    desk: tuple[Any, Watch], server: Any
) -> None:
    page, watch = desk
    _, store = server
    all_counts = counts(page)
    chip = page.locator("#legend .chip", has_text="Explosions/Remote violence")
    chip.click()
    hidden = expected_counts(store, event_type="Explosions/Remote violence")
    assert hidden[2] > 0
    after = counts(page)
    assert after == tuple(a - h for a, h in zip(all_counts, hidden, strict=True))
    chip.click()
    assert counts(page) == all_counts

    page.fill("#f-since", "2024-01-01")
    page.dispatch_event("#f-since", "change")
    recent = [e for e in store.events() if e.event_date and e.event_date >= date(2024, 1, 1)]
    placed = sum(e.latitude is not None for e in recent)
    assert counts(page) == (placed, len(recent), len(recent))
    assert counts(page) != all_counts
    watch.assert_clean()


def test_brushing_the_timeline_filters_map_and_table(desk: tuple[Any, Watch]) -> None:
    page, watch = desk
    before = counts(page)
    box = page.locator("#timeline").bounding_box()
    # Drag across the right-most tenth: the most recent days.
    y = box["y"] + box["height"] / 2
    page.mouse.move(box["x"] + box["width"] * 0.9, y)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] - 2, y, steps=5)
    page.mouse.up()
    after = counts(page)
    assert page.input_value("#f-since") != ""
    assert 0 < after[2] < before[2]
    assert after[0] == after[1] == after[2]  # the brushed events are dated and placed
    page.dblclick("#timeline")
    assert counts(page) == before
    watch.assert_clean()


def test_hostile_text_is_shown_as_text(desk: tuple[Any, Watch], server: Any) -> None:
    from playwright.sync_api import expect

    page, watch = desk
    page.fill("#f-q", "onerror")
    # Locators, not wait_for_function: the page's CSP (rightly) refuses string evaluation.
    expect(page.locator("#events-table tbody tr")).to_have_count(1)
    page.locator("#events-table tbody tr").first.click()
    page.wait_for_selector("#panel[data-event-id='h1']")
    assert page.inner_text("#panel .sentence") == HOSTILE_SENTENCE
    assert page.locator("#panel script, #panel img, #events-table img").count() == 0
    # A javascript: URL is shown as text, never as a link.
    assert page.locator("#panel a").count() == 0
    assert "javascript:" in page.inner_text("#panel .cite")

    page.click("#tab-comments")
    page.wait_for_selector("#comments li.comment")
    texts = page.locator("#comments .comment-text").all_inner_texts()
    assert HOSTILE_COMMENT in texts
    assert page.locator("#comments img, #comments script").count() == 0
    headline = page.locator("#comments .doc").all_inner_texts()
    assert any(SCRIPT in h for h in headline)

    page.click("#tab-documents")
    page.wait_for_selector("#documents-table tbody tr")
    assert page.locator("a[href^='javascript']").count() == 0
    page.wait_for_timeout(300)
    assert page.locator("img[src='x']").count() == 0
    watch.assert_clean()


def comment_item(page: Any, document_id: str, position: int) -> Any:
    return page.locator(
        f"#comments li.comment[data-document-id='{document_id}'][data-position='{position}']"
    )


def open_queue(page: Any) -> None:
    page.click("#tab-comments")
    page.wait_for_selector("#comments li.comment")


def test_a_decision_recorded_in_the_page_persists(
    desk: tuple[Any, Watch], server: tuple[str, SQLiteStore]
) -> None:
    from playwright.sync_api import expect

    page, watch = desk
    _, store = server
    open_queue(page)
    assert page.is_hidden("#c-notice")  # the server takes writes
    page.fill("#c-moderator", "Mina")
    page.fill("#c-token", TOKEN)
    page.dispatch_event("#c-token", "change")
    item = comment_item(page, "doc-hostile", 0)
    expect(item).to_have_attribute("data-status", "ok")  # the screening's
    item.locator("button.d-review").click()
    expect(item.locator(".decision-result")).to_have_text("saved: review")
    expect(item).to_have_attribute("data-status", "review")
    expect(item.locator(".moderated")).to_contain_text("Mina")
    rows = store.comments(CommentQuery(document_id="doc-hostile", moderated=True))
    assert [(r.position, r.decision, r.moderation and r.moderation.moderator) for r in rows] == [
        (0, Decision.REVIEW, "Mina")
    ]

    page.reload()
    page.wait_for_selector("body[data-ready=true]", timeout=20_000)
    open_queue(page)
    item = comment_item(page, "doc-hostile", 0)
    expect(item).to_have_attribute("data-status", "review")
    expect(item.locator(".moderated .badge")).to_have_text("review")
    expect(item.locator(".machine .badge")).to_have_text("ok")  # the screening's stays
    watch.assert_clean()


def test_screened_abusive_comment_shows_its_decision_and_marked_trigger(
    desk: tuple[Any, Watch], server: tuple[str, SQLiteStore]
) -> None:
    from playwright.sync_api import expect

    page, watch = desk
    _, store = server
    # Screened by the real pipeline while the examples were processed.
    flagged = [
        row
        for row in store.comments(CommentQuery(moderated=False))
        if row.document_id != "doc-hostile"
        and row.screening is not None
        and row.screening.decision in (Decision.REMOVE, Decision.REVIEW)
        and row.screening.spans
    ]
    assert flagged, "the examples' comments were not screened"
    row = flagged[0]
    assert row.screening is not None
    label, _, _, trigger = row.screening.spans[0]
    open_queue(page)
    first = page.locator("#comments li.comment").first
    expect(first).to_have_attribute("data-status", "remove")  # worst first
    item = comment_item(page, row.document_id, row.position)
    expect(item.locator(".badge.status")).to_have_text(row.screening.decision.value)
    expect(item.locator(".machine .badge")).to_have_text(row.screening.decision.value)
    expect(item.locator(".machine .scores")).to_contain_text("toxicity")
    marks = item.locator(".comment-text mark.hl-abuse")
    expect(marks.first).to_have_text(trigger)
    expect(marks.first).to_have_attribute("data-label", label)
    assert marks.count() == len(row.screening.spans)
    assert item.locator(".comment-text").text_content() == row.text  # marks cut, never alter

    page.select_option("#c-status", "remove")
    expect(page.locator("#comments li.comment[data-status='remove']")).to_have_count(
        store.count_comments(CommentQuery(status="remove"))
    )
    expect(page.locator("#comments li.comment:not([data-status='remove'])")).to_have_count(0)
    watch.assert_clean()


def test_screenshot_artifact(desk: tuple[Any, Watch]) -> None:
    page, watch = desk
    page.locator("#events-table tbody tr").first.click()
    page.wait_for_selector("#panel[data-event-id]")
    ARTIFACTS.mkdir(exist_ok=True)
    target = ARTIFACTS / "desk.png"
    page.screenshot(path=str(target), full_page=True)
    assert target.stat().st_size > 10_000
    page.click("#tab-comments")
    page.wait_for_selector("#comments li.comment")
    page.screenshot(path=str(ARTIFACTS / "desk-comments.png"))
    watch.assert_clean()
