"""`watch`: feeds polled, new items processed once, matching new events posted; no network."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from sitrep.adapters.fetch import DropError, FakeFetcher, RetryLaterError
from sitrep.adapters.store.base import DEFAULT_QUERY, EventQuery
from sitrep.adapters.store.memory import MemoryStore
from sitrep.feeds import load_state
from sitrep.pipeline import Pipeline
from sitrep.records import Document, Event, Failure, Modality, Page, Source
from sitrep.settings import Settings
from sitrep.watch import watch
from tests.conftest import ROOT

FEED = "https://wire.example.com/world.rss"
HOOK = "https://hooks.example.com/sitrep"
_MARK = re.compile(r"EVENT\(([^,()]+),([^,()]+)\)")


class _MarkerStage:
    """Stands in for the pipeline: each EVENT(country,type) in a page is one event."""

    name = "segment"
    requires: tuple[str, ...] = ()
    produces: tuple[str, ...] = ("segments",)
    pages: list[Page] = []  # noqa: RUF012 - shared on purpose: tests read what was processed

    def setup(self) -> None:
        pass

    def __call__(self, batch: Sequence[Page]) -> list[Document]:
        _MarkerStage.pages.extend(batch)
        out = []
        for page in batch:
            text = page.html or page.text or ""
            events = tuple(
                _event(country, kind, document_id=page.id, url=page.url)
                for country, kind in _MARK.findall(text)
            )
            out.append(
                Document(id=page.id, origin=page.origin, text=text, url=page.url, events=events)
            )
        return out


def _event(country: str, kind: str, *, document_id: str, url: str | None) -> Event:
    return Event(
        event_id=f"ev-{country}-{kind}".lower(),
        event_date=date(2024, 3, 5),
        time_precision=1,
        event_type=kind,
        sub_event_type=kind,
        actor1="Unknown",
        assoc_actor_1=None,
        inter1=None,
        actor2=None,
        assoc_actor_2=None,
        inter2=None,
        interaction=None,
        country=country,
        iso=None,
        admin1=None,
        admin2=None,
        admin3=None,
        location=None,
        latitude=None,
        longitude=None,
        geo_precision=None,
        fatalities=None,
        source=None,
        notes=None,
        plover_type=None,
        cameo_code=None,
        modality=Modality.OCCURRED,
        confidence=0.9,
        date_resolved_from=None,
        year_from_reference=False,
        geo_reason=None,
        sources=(Source(document_id, url, None, "article", "s", 0, 1),),
    )


def _pipeline(values: dict[str, Any]) -> Pipeline:
    return Pipeline([_MarkerStage()])


def _rss(items: Sequence[tuple[str, str, str | None]]) -> str:
    """An RSS feed of (guid, link, content:encoded or None) items."""
    body = "".join(
        f"<item><title>T {guid}</title><guid>{guid}</guid><link>{link}</link>"
        f"<pubDate>Tue, 05 Mar 2024 09:30:00 +0000</pubDate><description>short</description>"
        + (f"<content:encoded><![CDATA[{content}]]></content:encoded>" if content else "")
        + "</item>"
        for guid, link, content in items
    )
    return (
        '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">'
        f"<channel><title>Wire</title>{body}</channel></rss>"
    )


def _article(marker: str) -> str:
    return f"<html><body><article><p>Report. {marker}</p></article></body></html>"


@pytest.fixture(autouse=True)
def _reset() -> None:
    _MarkerStage.pages = []


@pytest.fixture
def settings() -> Settings:
    return Settings({"watch.min_content_chars": 200, "watch.max_attempts": 2})


def _run(
    fetcher: FakeFetcher,
    store: MemoryStore,
    settings: Settings,
    state: Path,
    *,
    webhook: str | None = HOOK,
    query: EventQuery = DEFAULT_QUERY,
    sleeps: list[float] | None = None,
) -> Any:
    return watch(
        [FEED],
        store=store,
        settings=settings,
        fetcher=fetcher,
        webhook=webhook,
        query=query,
        once=True,
        state_file=state,
        sleep=(sleeps.append if sleeps is not None else lambda s: None),
        factory=_pipeline,
    )


def test_new_items_are_fetched_processed_and_posted_once(
    tmp_path: Path, settings: Settings
) -> None:
    fetcher = FakeFetcher()
    fetcher.add(
        FEED, _rss([("1", "https://wire.example.com/a", None)]), content_type="application/rss+xml"
    )
    fetcher.add("https://wire.example.com/a", _article("EVENT(Sudan,Battles)"))
    store, state = MemoryStore(), tmp_path / "state.json"

    first = _run(fetcher, store, settings, state)
    assert (
        first.items_new == 1
        and first.pages == 1
        and [e.event_id for e in first.matched] == ["ev-sudan-battles"]
    )
    (payload,) = [json.loads(b) for b in fetcher.posts(HOOK)]
    assert payload["type"] == "sitrep.event" and payload["feed"] == FEED
    assert (
        payload["event"]["country"] == "Sudan"
        and payload["event"]["event_id"] == "ev-sudan-battles"
    )
    (page,) = _MarkerStage.pages
    assert page.url == "https://wire.example.com/a" and page.published == date(2024, 3, 5)
    assert page.published_source == "record"
    assert store.has_document(page.id)

    # A second poll (a restart: state re-read from the file) neither refetches nor reposts.
    second = _run(fetcher, store, settings, state)
    assert (
        second.items_new == 0
        and second.pages == 0
        and fetcher.posts(HOOK) == [fetcher.posts(HOOK)[0]]
    )
    assert [r.url for r in fetcher.requests if r.method == "GET"].count(
        "https://wire.example.com/a"
    ) == 1


def test_full_content_in_the_feed_is_used_without_fetching(
    tmp_path: Path, settings: Settings
) -> None:
    long = "<p>" + "Long report text. " * 20 + "EVENT(Mali,Protests)</p>"
    fetcher = FakeFetcher()
    fetcher.add(FEED, _rss([("1", "https://wire.example.com/full", long)]))
    summary = _run(fetcher, MemoryStore(), settings, tmp_path / "s.json")
    assert summary.pages == 1 and [e.country for e in summary.matched] == ["Mali"]
    assert "https://wire.example.com/full" not in [r.url for r in fetcher.requests]
    (page,) = _MarkerStage.pages
    assert page.html is not None and "<h1>T 1</h1>" in page.html


def test_filter_decides_what_is_posted(tmp_path: Path, settings: Settings) -> None:
    fetcher = FakeFetcher()
    fetcher.add(
        FEED, _rss([("1", "https://w.example/a", None), ("2", "https://w.example/b", None)])
    )
    fetcher.add("https://w.example/a", _article("EVENT(Sudan,Battles)"))
    fetcher.add("https://w.example/b", _article("EVENT(Chad,Protests) EVENT(Sudan,Riots)"))
    summary = _run(
        fetcher, MemoryStore(), settings, tmp_path / "s.json", query=EventQuery(country="sudan")
    )
    assert len(summary.events) == 3
    posted = [json.loads(b)["event"]["event_id"] for b in fetcher.posts(HOOK)]
    assert posted == ["ev-sudan-battles", "ev-sudan-riots"]


def test_passing_faults_are_retried_then_given_up(tmp_path: Path, settings: Settings) -> None:
    fetcher = FakeFetcher()
    fetcher.add(FEED, _rss([("1", "https://w.example/slow", None)]))
    fetcher.fail("https://w.example/slow", RetryLaterError("https://w.example/slow", "HTTP 503"))
    store, state = MemoryStore(), tmp_path / "s.json"
    first = _run(fetcher, store, settings, state)
    assert first.items_deferred == 1 and first.pages == 0
    assert (
        load_state(state).feed(FEED).attempts == {"1": 1} and not load_state(state).feed(FEED).seen
    )
    # watch.max_attempts=2: the second failure gives up and keeps the feed's own summary.
    second = _run(fetcher, store, settings, state)
    assert second.pages == 1 and "1" in load_state(state).feed(FEED).seen
    (page,) = _MarkerStage.pages
    assert page.html is not None and "short" in page.html


def test_lasting_faults_are_failures_and_the_loop_goes_on(
    tmp_path: Path, settings: Settings
) -> None:
    other = "https://other.example/atom"
    fetcher = FakeFetcher()
    fetcher.add(FEED, b"<html>moved</html>")  # not a feed
    fetcher.add(other, _rss([("9", "https://other.example/x", None)]))
    fetcher.fail("https://other.example/x", DropError("https://other.example/x", "HTTP 403"))
    store = MemoryStore()
    summary = watch(
        [FEED, "https://gone.example/rss", other],
        store=store,
        settings=settings,
        fetcher=fetcher,
        once=True,
        state_file=tmp_path / "s.json",
        factory=_pipeline,
    )
    assert summary.feeds_failed == 2
    failures = {f.record_id: f for f in store.failures()}
    assert set(failures) >= {FEED, "https://gone.example/rss"}
    assert failures[FEED].stage == "watch" and "not rss" in failures[FEED].message
    # The item whose page is forbidden still has its summary processed.
    assert [p.origin for p in _MarkerStage.pages] == ["https://other.example/x"]


def test_item_without_page_or_text_is_a_failure(tmp_path: Path, settings: Settings) -> None:
    fetcher = FakeFetcher()
    fetcher.add(
        FEED,
        "<rss><channel><item><guid>g</guid><link>https://w.example/n</link></item></channel></rss>",
    )
    store = MemoryStore()
    summary = _run(fetcher, store, settings, tmp_path / "s.json")
    assert summary.failures == 1
    (failure,) = store.failures()
    assert isinstance(failure, Failure) and failure.record_id == "https://w.example/n"
    assert "404" in failure.message


def test_webhook_failures_never_stop_the_loop_and_are_retried(
    tmp_path: Path, settings: Settings
) -> None:
    fetcher = FakeFetcher()
    fetcher.add(FEED, _rss([("1", "https://w.example/a", None)]))
    fetcher.add("https://w.example/a", _article("EVENT(Sudan,Battles)"))
    down = [RetryLaterError(HOOK, "HTTP 503", retry_after=2.0)] * 4
    fetcher.post_replies.extend(down)
    store, state = MemoryStore(), tmp_path / "s.json"
    sleeps: list[float] = []
    first = _run(fetcher, store, settings, state, sleeps=sleeps)
    # 1 try + watch.webhook_retries=3, waits as Retry-After asks; the event waits in the outbox.
    assert first.posted == 0 and first.pending_posts == 1 and len(fetcher.posts(HOOK)) == 4
    assert sleeps == [2.0, 2.0, 2.0]
    second = _run(fetcher, store, settings, state)
    assert second.posted == 1 and second.pending_posts == 0
    assert load_state(state).posted == ["ev-sudan-battles"]


def test_webhook_refusing_an_event_drops_it(tmp_path: Path, settings: Settings) -> None:
    fetcher = FakeFetcher()
    fetcher.add(FEED, _rss([("1", "https://w.example/a", None)]))
    fetcher.add("https://w.example/a", _article("EVENT(Sudan,Battles)"))
    fetcher.post_replies.append(DropError(HOOK, "HTTP 400"))
    summary = _run(fetcher, MemoryStore(), settings, tmp_path / "s.json")
    assert summary.post_failures == 1 and summary.pending_posts == 0 and len(fetcher.posts()) == 1


def test_conditional_get_uses_the_feed_validators(tmp_path: Path, settings: Settings) -> None:
    fetcher = FakeFetcher()
    fetcher.add(
        FEED, _rss([]), headers={"ETag": '"v7"', "Last-Modified": "Tue, 05 Mar 2024 09:30:00 GMT"}
    )
    state = tmp_path / "s.json"
    _run(fetcher, MemoryStore(), settings, state)
    _run(fetcher, MemoryStore(), settings, state)
    sent = dict([r for r in fetcher.requests if r.url == FEED][-1].headers)
    assert sent == {"If-None-Match": '"v7"', "If-Modified-Since": "Tue, 05 Mar 2024 09:30:00 GMT"}


def test_loop_sleeps_the_interval_between_polls(tmp_path: Path) -> None:
    fetcher = FakeFetcher()
    fetcher.add(FEED, _rss([]))
    sleeps: list[float] = []
    summary = watch(
        [FEED],
        store=MemoryStore(),
        settings=Settings({"watch.interval": 42}),
        fetcher=fetcher,
        state_file=tmp_path / "s.json",
        max_polls=3,
        sleep=sleeps.append,
        factory=_pipeline,
    )
    assert summary.polls == 3 and sleeps == [42.0, 42.0]


def test_cli_watch_is_documented_and_refuses_memory_store_without_state_file() -> None:
    from sitrep.cli import main

    result = CliRunner().invoke(main, ["watch", "--once", "--db", "memory://", FEED])
    assert result.exit_code == 2 and "watch.state_file" in result.output
    reference = (ROOT / "docs" / "reference.md").read_text(encoding="utf-8")
    assert "`sitrep watch" in reference


@pytest.mark.slow
def test_real_pipeline_on_a_fetched_article(tmp_path: Path) -> None:
    article = (ROOT / "examples" / "kharkiv-missile-strike.html").read_text(encoding="utf-8")
    fetcher = FakeFetcher()
    fetcher.add(FEED, _rss([("k1", "https://wire.example.com/kharkiv", None)]))
    fetcher.add("https://wire.example.com/kharkiv", article)
    store = MemoryStore()
    summary = watch(
        [FEED],
        store=store,
        settings=Settings(),
        fetcher=fetcher,
        webhook=HOOK,
        query=EventQuery(country="Ukraine"),
        once=True,
        state_file=tmp_path / "s.json",
    )
    assert summary.pages == 1 and summary.events and summary.matched
    posted = [json.loads(b)["event"] for b in fetcher.posts(HOOK)]
    assert posted and all(e["country"] == "Ukraine" for e in posted)
    assert {e["event_id"] for e in posted} == {e.event_id for e in summary.matched}
