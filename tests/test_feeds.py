"""Feed parsing (RSS 2.0, RSS 1.0, Atom), hardened XML, and the watch state file."""

from __future__ import annotations

import contextlib
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sitrep.errors import ConfigError
from sitrep.feeds import (
    MAX_SEEN_PER_FEED,
    FeedError,
    WatchState,
    load_state,
    parse_feed,
    save_state,
    state_path,
)
from sitrep.settings import Settings
from tests.conftest import ROOT

FEEDS = ROOT / "tests" / "data" / "feeds"


def test_rss2_items() -> None:
    feed = parse_feed((FEEDS / "rss2.xml").read_bytes(), url="https://wire.example.com/world.rss")
    assert feed.title == "Example Wire — World"
    first, second, third = feed.items
    assert first.key == "wire-1001" and first.link == "https://wire.example.com/2024/03/05/market"
    assert (
        first.published == date(2024, 3, 5)
        and first.summary == "<p>Four civilians were killed.</p>"
    )
    assert first.content is None
    # A relative link resolves against the feed; no guid: the link is the key; dc:date read.
    assert second.link == "https://wire.example.com/2024/03/06/teachers" == second.key
    assert second.published == date(2024, 3, 6)
    assert second.content is not None and "teachers' march" in second.content
    # Neither guid nor link: a stable hash of title and summary.
    assert third.link is None and third.key.startswith("sha256:")
    again = parse_feed((FEEDS / "rss2.xml").read_bytes(), url="https://wire.example.com/world.rss")
    assert again.items[2].key == third.key


def test_atom_entries() -> None:
    feed = parse_feed((FEEDS / "atom.xml").read_bytes(), url="https://monitor.example.net/feed")
    assert feed.title == "Example Monitor"
    convoy, updated = feed.items
    assert convoy.key == "tag:monitor.example.net,2024:convoy"
    assert convoy.link == "https://monitor.example.net/convoy"  # the alternate, not the enclosure
    assert convoy.published == date(2024, 3, 7)  # published wins over updated
    assert convoy.summary == "<b>Two officers</b> were killed."
    assert convoy.content == "<div><p>Gunmen <em>ambushed</em> a convoy.</p></div>"
    assert updated.published == date(2024, 3, 9)
    assert updated.link == "https://monitor.example.net/updated"
    assert updated.content == "<p>First paragraph.</p><p>Second paragraph &amp; more.</p>"


def test_rss1_items() -> None:
    feed = parse_feed((FEEDS / "rss1.xml").read_bytes())
    (item,) = feed.items
    assert feed.title == "Old Style" and item.key == "https://old.example.org/a"
    assert item.published == date(2024, 2, 1)


@pytest.mark.parametrize("name", ["billion-laughs.xml", "external-entity.xml"])
def test_entity_tricks_are_refused(name: str) -> None:
    with pytest.raises(FeedError, match="refused XML"):
        parse_feed((FEEDS / name).read_bytes(), url="https://evil.example/feed")


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        (b"", "not XML"),
        (b"<html><body>not a feed</body></html>", "not rss"),
        (b"<rss version='2.0'></rss>", "without a <channel>"),
        (b"<rss><channel><item>", "not XML"),
    ],
)
def test_bad_feeds_fail_with_a_reason(data: bytes, fragment: str) -> None:
    with pytest.raises(FeedError, match=fragment):
        parse_feed(data, url="https://x.example/feed")


def test_bad_dates_are_missing_not_errors() -> None:
    data = (
        b"<rss><channel><item><guid>1</guid><pubDate>yesterday-ish</pubDate></item>"
        b"<item><guid>2</guid><pubDate>2024-03-05T10:00:00Z</pubDate></item></channel></rss>"
    )
    first, second = parse_feed(data).items
    assert first.published is None and second.published == date(2024, 3, 5)


@given(st.binary(max_size=300))
def test_any_bytes_parse_or_raise_feed_error(data: bytes) -> None:
    with contextlib.suppress(FeedError):
        parse_feed(data)


@given(st.text(max_size=80))
def test_any_item_text_round_trips(title: str) -> None:
    from xml.sax.saxutils import escape

    clean = "".join(c for c in title if c.isprintable()).strip()
    data = (
        f"<rss><channel><item><title>{escape(clean)}</title><guid>g</guid></item></channel></rss>"
    )
    (item,) = parse_feed(data.encode()).items
    assert item.title == (clean or None)


# -- state -----------------------------------------------------------------------------------


def test_state_round_trips_atomically(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "watch.json"
    state = WatchState()
    state.mark_seen("https://f.example/rss", "a")
    state.feed("https://f.example/rss").etag = '"v1"'
    state.feed("https://f.example/rss").attempts["b"] = 2
    state.outbox.append({"event": {"event_id": "e1"}})
    state.note_posted("e0")
    save_state(state, path)
    loaded = load_state(path)
    memory = loaded.feed("https://f.example/rss")
    assert set(memory.seen) == {"a"} and memory.etag == '"v1"' and memory.attempts == {"b": 2}
    assert loaded.outbox == [{"event": {"event_id": "e1"}}] and loaded.posted == ["e0"]
    assert [p.name for p in path.parent.iterdir()] == ["watch.json"]  # no temporary left


def test_missing_state_is_empty_and_broken_state_says_what_to_do(tmp_path: Path) -> None:
    assert load_state(tmp_path / "none.json").feeds == {}
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    with pytest.raises(ConfigError, match="move it away"):
        load_state(broken)
    other = tmp_path / "other.json"
    other.write_text('{"version": 99}', encoding="utf-8")
    with pytest.raises(ConfigError, match="version"):
        load_state(other)


def test_prune_keeps_current_items(tmp_path: Path) -> None:
    state = WatchState()
    url = "https://f.example/rss"
    for n in range(MAX_SEEN_PER_FEED + 50):
        state.feed(url).seen[f"k{n}"] = f"2024-01-01T00:{n // 60 % 60:02d}:{n % 60:02d}"
    state.prune(url, keep=frozenset({"k0"}))
    seen = state.feed(url).seen
    assert len(seen) == MAX_SEEN_PER_FEED and "k0" in seen and "k1" not in seen


def test_state_path_beside_sqlite_or_from_the_setting(tmp_path: Path) -> None:
    db = tmp_path / "x.db"
    assert state_path(Settings({"store.url": f"sqlite:///{db}"})) == tmp_path / "x.db.watch.json"
    own = tmp_path / "own.json"
    assert state_path(Settings({"store.url": "memory://", "watch.state_file": str(own)})) == own
    with pytest.raises(ConfigError, match=r"watch\.state_file"):
        state_path(Settings({"store.url": "memory://"}))
