"""RSS 2.0, RSS 1.0 and Atom feeds: parse items, and keep what `sitrep watch` has seen.

Feeds are parsed with defusedxml (no entity expansion, no external entities or DTDs fetched:
a feed is untrusted input). The state — items seen per feed, HTTP validators, webhook
deliveries pending — is a JSON file written atomically; see docs/decisions/0012-ingestion.md.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from email.utils import parsedate_to_datetime
from html import escape
from pathlib import Path
from typing import Any
from urllib.parse import urljoin
from xml.etree.ElementTree import Element, ParseError, tostring

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from sitrep.errors import ConfigError, InputError
from sitrep.settings import Settings

ATOM = "{http://www.w3.org/2005/Atom}"
RSS1 = "{http://purl.org/rss/1.0/}"
RDF = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}"
CONTENT = "{http://purl.org/rss/1.0/modules/content/}"
DC = "{http://purl.org/dc/elements/1.1/}"

STATE_VERSION = 1
# Items remembered per feed beyond those the feed still lists: enough for feeds that rotate
# items out and back in, small enough that the state file stays small.
MAX_SEEN_PER_FEED = 2_000
# Event ids remembered as posted, so an event reported again by a later article is not
# posted twice.
MAX_POSTED = 20_000


class FeedError(InputError):
    """A feed document cannot be parsed."""


@dataclass(frozen=True)
class FeedItem:
    """One item (RSS) or entry (Atom) of a feed.

    Args:
        key: what identifies the item across polls: its guid/id, else its link, else a hash
            of its title and summary.
        link: the article's URL, absolute.
        published: the item's publication date (pubDate, dc:date, published, updated).
        summary: the description or Atom summary (HTML or text), as given.
        content: the full content (content:encoded, Atom content) as HTML, when given.
    """

    key: str
    title: str | None = None
    link: str | None = None
    published: date | None = None
    summary: str | None = None
    content: str | None = None


@dataclass(frozen=True)
class Feed:
    """A parsed feed: its title and items in document order."""

    title: str | None
    items: tuple[FeedItem, ...]


def parse_feed(data: bytes, *, url: str = "") -> Feed:
    """Parse an RSS 2.0, RSS 1.0 (RDF) or Atom document.

    Args:
        data: the feed's bytes (the XML declaration gives the encoding).
        url: the feed's URL: relative links resolve against it.

    Raises:
        FeedError: not XML, forbidden XML (entities, external references), or not a feed.
    """
    where = url or "feed"
    try:
        root = fromstring(data, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as e:
        raise FeedError(f"{where}: refused XML ({type(e).__name__}): not a feed") from e
    except ParseError as e:
        raise FeedError(f"{where}: not XML: {e}") from e
    if root.tag == "rss":
        channel = root.find("channel")
        if channel is None:
            raise FeedError(f"{where}: RSS without a <channel>")
        items = [_rss_item(i, base=url) for i in channel.findall("item")]
        return Feed(_text(channel.find("title")), tuple(items))
    if root.tag == f"{RDF}RDF":
        channel = root.find(f"{RSS1}channel")
        items = [_rss_item(i, base=url, ns=RSS1) for i in root.findall(f"{RSS1}item")]
        title = _text(channel.find(f"{RSS1}title")) if channel is not None else None
        return Feed(title, tuple(items))
    if root.tag == f"{ATOM}feed":
        entries = [_atom_entry(e, base=url) for e in root.findall(f"{ATOM}entry")]
        return Feed(_text(root.find(f"{ATOM}title")), tuple(entries))
    raise FeedError(f"{where}: root element <{_local(root.tag)}> is not rss, rdf:RDF or feed")


def _rss_item(item: Element, *, base: str, ns: str = "") -> FeedItem:
    title = _text(item.find(f"{ns}title"))
    link = _absolute(_text(item.find(f"{ns}link")), base=base)
    guid = _text(item.find("guid")) or item.get(f"{RDF}about")
    summary = _text(item.find(f"{ns}description"))
    when = _rfc822_date(_text(item.find("pubDate"))) or _iso_date(_text(item.find(f"{DC}date")))
    return FeedItem(
        key=guid or link or _hash_key(title, summary),
        title=title,
        link=link,
        published=when,
        summary=summary,
        content=_text(item.find(f"{CONTENT}encoded")),
    )


def _atom_entry(entry: Element, *, base: str) -> FeedItem:
    title = _text(entry.find(f"{ATOM}title"))
    link = _atom_link(entry, base=base)
    summary = _atom_text(entry.find(f"{ATOM}summary"))
    when = _iso_date(_text(entry.find(f"{ATOM}published"))) or _iso_date(
        _text(entry.find(f"{ATOM}updated"))
    )
    return FeedItem(
        key=_text(entry.find(f"{ATOM}id")) or link or _hash_key(title, summary),
        title=title,
        link=link,
        published=when,
        summary=summary,
        content=_atom_text(entry.find(f"{ATOM}content")),
    )


def _atom_link(entry: Element, *, base: str) -> str | None:
    links = entry.findall(f"{ATOM}link")
    # rel="alternate" is the article; a link without rel is alternate by the spec.
    for link in links:
        if link.get("rel", "alternate") == "alternate" and link.get("href"):
            return _absolute(link.get("href"), base=base)
    return None


def _atom_text(element: Element | None) -> str | None:
    """Return an Atom text construct as HTML (xhtml serialised, text escaped) or None."""
    if element is None:
        return None
    if element.get("src"):
        return None
    kind = element.get("type", "text")
    if kind == "xhtml":
        for node in element.iter():
            # Plain HTML tag names: the segmenter reads HTML, not namespaced XML.
            node.tag = _local(node.tag) if isinstance(node.tag, str) else node.tag
        parts = [tostring(child, encoding="unicode", method="html") for child in element]
        return "".join(parts).strip() or None
    text = _text(element)
    if text is None or kind in {"html", "text/html"}:
        return text
    # Plain text: paragraphs kept as HTML paragraphs so the segmenter sees them.
    paragraphs = [p.strip() for p in text.split("\n\n") if p.strip()]
    return "".join(f"<p>{escape(p)}</p>" for p in paragraphs) or None


def _text(element: Element | None) -> str | None:
    if element is None:
        return None
    text = "".join(element.itertext()).strip()
    return text or None


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _absolute(link: str | None, *, base: str) -> str | None:
    if link is None:
        return None
    link = link.strip()
    if not link:
        return None
    return urljoin(base, link) if base else link


def _hash_key(title: str | None, summary: str | None) -> str:
    digest = hashlib.sha256(f"{title or ''}\n{summary or ''}".encode()).hexdigest()
    return f"sha256:{digest[:32]}"


def _rfc822_date(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return parsedate_to_datetime(value).date()
    except (TypeError, ValueError, IndexError):
        # Feeds in the wild also put ISO dates in pubDate.
        return _iso_date(value)


def _iso_date(value: str | None) -> date | None:
    if value is None:
        return None
    text = value.strip().replace("Z", "+00:00")
    try:
        if len(text) <= 10:
            return date.fromisoformat(text)
        return datetime.fromisoformat(text).date()
    except ValueError:
        return None


# -- state -----------------------------------------------------------------------------------


@dataclass
class FeedMemory:
    """What the watcher remembers of one feed.

    Args:
        seen: item key -> when first handled (ISO time); handled items are never fetched again.
        attempts: item key -> polls whose fetch failed with a passing error.
        etag / last_modified: the feed's validators, sent back in a conditional GET.
    """

    seen: dict[str, str] = field(default_factory=dict)
    attempts: dict[str, int] = field(default_factory=dict)
    etag: str | None = None
    last_modified: str | None = None


@dataclass
class WatchState:
    """Everything `sitrep watch` keeps between polls and runs.

    Args:
        feeds: per feed URL, its memory.
        outbox: webhook payloads not delivered yet (oldest first), retried every poll.
        posted: event ids already posted (oldest first, at most MAX_POSTED).
    """

    feeds: dict[str, FeedMemory] = field(default_factory=dict)
    outbox: list[dict[str, Any]] = field(default_factory=list)
    posted: list[str] = field(default_factory=list)

    def feed(self, url: str) -> FeedMemory:
        """Return the memory of ``url``, new if the feed was never polled."""
        return self.feeds.setdefault(url, FeedMemory())

    def mark_seen(self, url: str, key: str) -> None:
        """Record an item as handled."""
        memory = self.feed(url)
        memory.seen.setdefault(key, datetime.now(UTC).isoformat(timespec="seconds"))
        memory.attempts.pop(key, None)

    def prune(self, url: str, *, keep: Iterator[str] | frozenset[str]) -> None:
        """Forget the oldest seen items of ``url`` beyond MAX_SEEN_PER_FEED, never ``keep``."""
        memory = self.feed(url)
        if len(memory.seen) <= MAX_SEEN_PER_FEED:
            return
        kept = frozenset(keep)
        # ISO times sort in time order; insertion order breaks ties.
        oldest = sorted((t, k) for k, t in memory.seen.items() if k not in kept)
        for _, key in oldest[: len(memory.seen) - MAX_SEEN_PER_FEED]:
            del memory.seen[key]

    def note_posted(self, event_id: str) -> None:
        """Record an event id as posted, forgetting the oldest beyond MAX_POSTED."""
        self.posted.append(event_id)
        del self.posted[:-MAX_POSTED]


def load_state(path: Path) -> WatchState:
    """Read the state file; a missing file is an empty state.

    Raises:
        ConfigError: the file exists but is not a state this version reads.
    """
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return WatchState()
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
        raise ConfigError(
            f"watch state {path} is unreadable ({e}); move it away to start afresh"
        ) from e
    if not isinstance(raw, dict) or raw.get("version") != STATE_VERSION:
        raise ConfigError(f"watch state {path} is not a version {STATE_VERSION} state file")
    feeds = {
        url: FeedMemory(
            seen={str(k): str(v) for k, v in _mapping(m.get("seen")).items()},
            attempts={str(k): int(v) for k, v in _mapping(m.get("attempts")).items()},
            etag=m.get("etag"),
            last_modified=m.get("last_modified"),
        )
        for url, m in _mapping(raw.get("feeds")).items()
    }
    outbox = [p for p in raw.get("outbox", []) if isinstance(p, dict)]
    posted = [str(i) for i in raw.get("posted", [])]
    return WatchState(feeds=feeds, outbox=outbox, posted=posted)


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, dict) else {}


def save_state(state: WatchState, path: Path) -> None:
    """Write the state file atomically (a crash leaves the old or the new file, whole)."""
    data = {
        "version": STATE_VERSION,
        "feeds": {
            url: {
                "seen": m.seen,
                "attempts": m.attempts,
                "etag": m.etag,
                "last_modified": m.last_modified,
            }
            for url, m in state.feeds.items()
        },
        "outbox": state.outbox,
        "posted": state.posted,
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(data, out, ensure_ascii=False)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def state_path(settings: Settings) -> Path:
    """Return where the watch state lives: watch.state_file, else DB.watch.json beside SQLite.

    Raises:
        ConfigError: watch.state_file is empty and the store is not a SQLite file.
    """
    explicit = settings["watch.state_file"]
    if explicit:
        return Path(explicit)
    url: str = settings["store.url"]
    prefix = "sqlite:///"
    if url.startswith(prefix) and url[len(prefix) :] not in {"", ":memory:"}:
        database = Path(url[len(prefix) :])
        return database.with_name(database.name + ".watch.json")
    raise ConfigError(
        f"set watch.state_file (SITREP_WATCH_STATE_FILE): the store {url!r} is not a SQLite "
        "file beside which the watch state could be kept"
    )
