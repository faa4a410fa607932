"""Watch feeds: poll them, process new items' articles, post matching new events to a webhook.

One poll, for each feed: a conditional GET of the feed; for each item not seen before, the
article (the item's own full content when it has enough text, else its page fetched); the
pages through the normal pipeline; the items marked seen; the state saved. Then the new
events that match the query go to the webhook. Faults that pass (timeouts, 5xx, 429) are
retried on later polls; lasting ones are stored as failures. Nothing a feed, a page or the
webhook does stops the loop. See docs/decisions/0012-ingestion.md.
"""

from __future__ import annotations

import json
import logging
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from typing import Any

from sitrep.adapters.fetch.base import DropError, Fetcher, FetchError, Response, RetryLaterError
from sitrep.adapters.store.base import DEFAULT_QUERY, EventQuery, Store, matches
from sitrep.errors import InputError
from sitrep.feeds import FeedError, FeedItem, WatchState, load_state, parse_feed, save_state
from sitrep.pipeline import Pipeline
from sitrep.process import build_pipeline, process_pages
from sitrep.records import Event, Failure, Page
from sitrep.settings import Settings
from sitrep.stages.read_warc import charset_of, decode_payload

STAGE = "watch"
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
WEBHOOK_CONTENT_TYPE = "application/json"

log = logging.getLogger(__name__)

_TAGS = re.compile(r"<[^>]*>")
_SPACES = re.compile(r"\s+")


@dataclass
class WatchSummary:
    """What the polls did, summed over all of them."""

    polls: int = 0
    feeds_failed: int = 0
    items_new: int = 0
    items_deferred: int = 0
    pages: int = 0
    skipped: int = 0
    failures: int = 0
    events: list[Event] = field(default_factory=list)
    matched: list[Event] = field(default_factory=list)
    posted: int = 0
    post_failures: int = 0
    pending_posts: int = 0


def watch(
    feeds: Sequence[str],
    *,
    store: Store,
    settings: Settings,
    fetcher: Fetcher,
    webhook: str | None = None,
    query: EventQuery = DEFAULT_QUERY,
    once: bool = False,
    state_file: Path | None = None,
    max_polls: int | None = None,
    sleep: Callable[[float], None] = time.sleep,
    on_poll: Callable[[WatchSummary], None] | None = None,
    factory: Callable[[dict[str, Any]], Pipeline] = build_pipeline,
) -> WatchSummary:
    """Poll ``feeds`` every watch.interval seconds (once with ``once``) and return the totals.

    Args:
        feeds: feed URLs (RSS 2.0, RSS 1.0 or Atom).
        store: where documents, events and failures go.
        settings: resolved settings (fetch.*, watch.*, and the pipeline's).
        fetcher: how pages are fetched and the webhook posted (tests pass a FakeFetcher).
        webhook: URL that each new event matching ``query`` is POSTed to as JSON.
        query: the saved filter new events must match to be posted (and counted as matched).
        once: poll once and return.
        state_file: where seen items are kept (default: ``feeds.state_path(settings)``).
        max_polls: stop after this many polls (None: forever, unless ``once``).
        sleep: waits between polls and webhook retries (tests pass a fake).
        on_poll: called with this poll's own summary after each poll.
        factory: builds the pipeline (tests inject fakes).
    """
    from sitrep.feeds import state_path

    path = state_file if state_file is not None else state_path(settings)
    state = load_state(path)
    total = WatchSummary()
    limit = 1 if once else max_polls
    while True:
        summary = poll(
            feeds,
            store=store,
            settings=settings,
            fetcher=fetcher,
            state=state,
            state_file=path,
            webhook=webhook,
            query=query,
            sleep=sleep,
            factory=factory,
        )
        # A bounded run returns its events; an endless one only counts them (flat memory).
        _add(total, summary, keep_events=limit is not None)
        if on_poll is not None:
            on_poll(summary)
        if limit is not None and total.polls >= limit:
            return total
        sleep(settings["watch.interval"])


def poll(
    feeds: Sequence[str],
    *,
    store: Store,
    settings: Settings,
    fetcher: Fetcher,
    state: WatchState,
    state_file: Path,
    webhook: str | None = None,
    query: EventQuery = DEFAULT_QUERY,
    sleep: Callable[[float], None] = time.sleep,
    factory: Callable[[dict[str, Any]], Pipeline] = build_pipeline,
) -> WatchSummary:
    """Poll every feed once, then deliver pending webhook posts; save the state as it goes."""
    summary = WatchSummary(polls=1)
    for url in feeds:
        _poll_feed(
            url,
            store=store,
            settings=settings,
            fetcher=fetcher,
            state=state,
            summary=summary,
            query=query,
            queue=webhook is not None,
            factory=factory,
        )
        save_state(state, state_file)
    if webhook is not None:
        _deliver(
            state, webhook=webhook, fetcher=fetcher, settings=settings, sleep=sleep, summary=summary
        )
        save_state(state, state_file)
    summary.pending_posts = len(state.outbox)
    return summary


def _poll_feed(
    url: str,
    *,
    store: Store,
    settings: Settings,
    fetcher: Fetcher,
    state: WatchState,
    summary: WatchSummary,
    query: EventQuery,
    queue: bool,
    factory: Callable[[dict[str, Any]], Pipeline],
) -> None:
    memory = state.feed(url)
    validators = {}
    if memory.etag is not None:
        validators["If-None-Match"] = memory.etag
    if memory.last_modified is not None:
        validators["If-Modified-Since"] = memory.last_modified
    try:
        response = fetcher.get(
            url,
            max_bytes=settings["fetch.max_bytes"],
            timeout=settings["fetch.timeout"],
            headers=validators,
        )
        if response.status == 304:
            return
        feed = parse_feed(response.body, url=response.url)
    except RetryLaterError as e:
        summary.feeds_failed += 1
        log.warning("feed %s: %s; retried next poll", url, e)
        return
    except (DropError, FeedError) as e:
        summary.feeds_failed += 1
        _store_failure(store, summary, origin=url, error=e)
        return
    memory.etag = response.header("etag")
    memory.last_modified = response.header("last-modified")
    new = [i for i in _unique(feed.items) if i.key not in memory.seen]
    summary.items_new += len(new)
    done: list[str] = []
    pages: list[Page | Failure] = []
    for item in new:
        page = _page_for(item, feed_url=url, fetcher=fetcher, settings=settings, state=state)
        if page is None:
            summary.items_deferred += 1
            continue
        pages.append(page)
        done.append(item.key)
    if pages:
        result = process_pages(pages, settings=settings, store=store, factory=factory)
        summary.pages += result.pages
        summary.skipped += result.skipped
        summary.failures += result.failures
        summary.events.extend(result.events)
        posted = set(state.posted) | {p["event"]["event_id"] for p in state.outbox}
        for event in result.events:
            if event.event_id in posted or not matches(event, query, document_ids=frozenset()):
                continue
            posted.add(event.event_id)
            summary.matched.append(event)
            if queue:
                state.outbox.append({"type": "sitrep.event", "feed": url, "event": event.to_dict()})
    # Marked only now: a crash before this point re-reads the items, and stored pages are
    # skipped by their content id.
    for key in done:
        state.mark_seen(url, key)
    state.prune(url, keep=frozenset(i.key for i in feed.items))


def _unique(items: Sequence[FeedItem]) -> list[FeedItem]:
    seen: set[str] = set()
    unique = []
    for item in items:
        if item.key not in seen:
            seen.add(item.key)
            unique.append(item)
    return unique


def _page_for(
    item: FeedItem, *, feed_url: str, fetcher: Fetcher, settings: Settings, state: WatchState
) -> Page | Failure | None:
    """Return the item's article as a Page, a Failure to store, or None to retry next poll."""
    origin = item.link or f"{feed_url}#{item.key}"
    if _text_length(item.content) >= settings["watch.min_content_chars"]:
        return _page_from_feed(item, origin=origin, html=item.content or "")
    if item.link is None:
        return _fallback(item, origin=origin, reason="the item has no link")
    try:
        response = fetcher.get(
            item.link, max_bytes=settings["fetch.max_bytes"], timeout=settings["fetch.timeout"]
        )
        html = _html_of(response, origin=origin)
    except RetryLaterError as e:
        memory = state.feed(feed_url)
        attempts = memory.attempts.get(item.key, 0) + 1
        memory.attempts[item.key] = attempts
        if attempts < settings["watch.max_attempts"]:
            log.info("item %s: %s; retried next poll (%d)", origin, e, attempts)
            return None
        return _fallback(item, origin=origin, reason=f"gave up after {attempts} polls: {e}")
    except (DropError, InputError) as e:
        return _fallback(item, origin=origin, reason=str(e))
    return Page(
        origin=origin,
        html=html,
        url=item.link,
        published=item.published,
        published_source="record" if item.published is not None else None,
    )


def _html_of(response: Response, *, origin: str) -> str:
    """Decode a fetched article; refuse what is not HTML."""
    media = response.media_type
    if media is not None and media not in HTML_TYPES:
        raise DropError(origin, f"not an HTML page ({media})")
    charset = charset_of(response.header("content-type") or "")
    return decode_payload(response.body, charset=charset, origin=origin)


def _fallback(item: FeedItem, *, origin: str, reason: str) -> Page | Failure:
    """Use the item's own text when its page cannot be had; else a Failure saying why."""
    own = item.content or item.summary
    if own is not None and _text_length(own) > 0:
        log.info("item %s: %s; using the feed's own text", origin, reason)
        return _page_from_feed(item, origin=origin, html=own)
    return Failure(
        stage=STAGE,
        record_id=origin,
        origin=origin,
        error="FetchError",
        message=f"{origin}: {reason}",
    )


def _page_from_feed(item: FeedItem, *, origin: str, html: str) -> Page:
    title = f"<h1>{escape(item.title)}</h1>" if item.title else ""
    head = f"<title>{escape(item.title)}</title>" if item.title else ""
    document = f"<html><head>{head}</head><body><article>{title}{html}</article></body></html>"
    return Page(
        origin=origin,
        html=document,
        url=item.link,
        published=item.published,
        published_source="record" if item.published is not None else None,
    )


def _text_length(html: str | None) -> int:
    """Characters of text in an HTML fragment (tags dropped), for the full-content test."""
    if not html:
        return 0
    return len(_SPACES.sub(" ", _TAGS.sub(" ", html)).strip())


def _deliver(
    state: WatchState,
    *,
    webhook: str,
    fetcher: Fetcher,
    settings: Settings,
    sleep: Callable[[float], None],
    summary: WatchSummary,
) -> None:
    """POST the outbox, oldest first; stop at the first payload the webhook will not take."""
    while state.outbox:
        payload = state.outbox[0]
        body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
        outcome = _post(webhook, body, fetcher=fetcher, settings=settings, sleep=sleep)
        if outcome == "retry":
            summary.post_failures += 1
            return
        state.outbox.pop(0)
        if outcome == "sent":
            summary.posted += 1
            state.note_posted(payload["event"]["event_id"])
        else:
            summary.post_failures += 1


def _post(
    webhook: str,
    body: bytes,
    *,
    fetcher: Fetcher,
    settings: Settings,
    sleep: Callable[[float], None],
) -> str:
    """POST one payload with retries: "sent", "retry" (try next poll) or "dropped"."""
    tries = 1 + max(0, settings["watch.webhook_retries"])
    for attempt in range(tries):
        try:
            fetcher.post(
                webhook,
                body=body,
                content_type=WEBHOOK_CONTENT_TYPE,
                timeout=settings["fetch.timeout"],
            )
            return "sent"
        except RetryLaterError as e:
            log.warning("webhook %s: %s (try %d of %d)", webhook, e, attempt + 1, tries)
            if attempt + 1 < tries:
                sleep(e.retry_after if e.retry_after is not None else float(2**attempt))
        except DropError as e:
            # The webhook refuses this payload (4xx): retrying the same body cannot help.
            log.error("webhook %s refused an event: %s", webhook, e)
            return "dropped"
    return "retry"


def _store_failure(
    store: Store, summary: WatchSummary, *, origin: str, error: FetchError | InputError
) -> None:
    summary.failures += 1
    store.save_failure(
        Failure(
            stage=STAGE,
            record_id=origin,
            origin=origin,
            error=type(error).__name__,
            message=str(error),
        )
    )


def _add(total: WatchSummary, poll: WatchSummary, *, keep_events: bool) -> None:
    total.polls += poll.polls
    total.feeds_failed += poll.feeds_failed
    total.items_new += poll.items_new
    total.items_deferred += poll.items_deferred
    total.pages += poll.pages
    total.skipped += poll.skipped
    total.failures += poll.failures
    if keep_events:
        total.events.extend(poll.events)
        total.matched.extend(poll.matched)
    total.posted += poll.posted
    total.post_failures += poll.post_failures
    total.pending_posts = poll.pending_posts
