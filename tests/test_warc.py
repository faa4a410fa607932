"""WARC / WARC.gz reading: pages from response records, failures that name file and offset."""

from __future__ import annotations

import gzip
import hashlib
import io
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import ClassVar

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sitrep.adapters.store.memory import MemoryStore
from sitrep.pipeline import Pipeline
from sitrep.process import process_paths
from sitrep.records import Document, Failure, Page
from sitrep.settings import Settings
from sitrep.stages.read import read_pages
from sitrep.stages.read_warc import is_warc, read_warc
from tests.conftest import ROOT

SAMPLE = ROOT / "tests" / "data" / "warc" / "cc-news-sample.warc.gz"


@dataclass(frozen=True)
class Rec:
    """One record to write: a response unless ``kind`` says otherwise."""

    url: str
    body: bytes
    status: int = 200
    content_type: str | None = "text/html; charset=utf-8"
    kind: str = "response"
    date: str = "2024-03-05T10:00:00Z"


def html(n: int, extra: str = "") -> bytes:
    return (
        f"<html><head><title>Story {n}</title></head><body><article><h1>Story {n}</h1>"
        f"<p>Paragraph of story {n}. {extra}</p></article></body></html>"
    ).encode()


def build_warc(records: Sequence[Rec], *, gzipped: bool = True) -> bytes:
    """Return a WARC file's bytes, written by hand to the WARC 1.0 spec (not by warcio).

    One gzip member per record when gzipped, as Common Crawl writes; a warcinfo first.
    """
    out = io.BytesIO()
    blocks: list[tuple[str, str | None, str, bytes]] = [
        ("warcinfo", None, "2024-03-05T00:00:00Z", b"software: sitrep tests\r\n")
    ]
    for r in records:
        block = r.body
        if r.kind == "response":
            head = f"HTTP/1.1 {r.status} X\r\n"
            if r.content_type is not None:
                head += f"Content-Type: {r.content_type}\r\n"
            head += f"Content-Length: {len(r.body)}\r\n\r\n"
            block = head.encode("latin-1") + r.body
        blocks.append((r.kind, r.url, r.date, block))
    for n, (kind, url, when, block) in enumerate(blocks):
        headers = f"WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Record-ID: <urn:uuid:{n:032x}>\r\n"
        if url is not None:
            headers += f"WARC-Target-URI: {url}\r\n"
        if when:
            headers += f"WARC-Date: {when}\r\n"
        if kind == "response":
            headers += "Content-Type: application/http; msgtype=response\r\n"
        headers += f"Content-Length: {len(block)}\r\n\r\n"
        record = headers.encode("latin-1") + block + b"\r\n\r\n"
        out.write(gzip.compress(record, mtime=0) if gzipped else record)
    return out.getvalue()


def write_warc(path: Path, records: Sequence[Rec], *, gzipped: bool = True) -> Path:
    path.write_bytes(build_warc(records, gzipped=gzipped))
    return path


MIXED = [
    Rec("https://news.example/a", html(1)),
    Rec("https://news.example/logo.png", b"\x89PNG\r\n\x1a\n", content_type="image/png"),
    Rec("https://news.example/gone", html(2), status=404),
    Rec("https://news.example/meta", b"fetchTimeMs: 12", kind="metadata", content_type=None),
    Rec("https://news.example/b", html(3, "Café."), date="2024-03-06T23:59:59Z"),
]


@pytest.mark.parametrize("gzipped", [True, False])
def test_html_responses_become_pages_and_others_are_counted(tmp_path: Path, gzipped: bool) -> None:
    path = write_warc(tmp_path / ("c.warc.gz" if gzipped else "c.warc"), MIXED, gzipped=gzipped)
    skipped: Counter[str] = Counter()
    items = list(read_warc(path, skipped=skipped))
    assert all(isinstance(i, Page) for i in items)
    pages = [i for i in items if isinstance(i, Page)]
    assert [p.url for p in pages] == ["https://news.example/a", "https://news.example/b"]
    assert pages[1].html is not None and "Café." in pages[1].html
    # The crawl date is a fallback the page's own date overrides (not "record").
    assert pages[0].published == date(2024, 3, 5) and pages[0].published_source == "crawl"
    assert pages[1].published == date(2024, 3, 6)
    assert skipped == Counter({"not_response": 2, "status": 1, "not_html": 1})
    # Origins name the file and the record's offset; offsets grow and are distinct.
    offsets = [int(p.origin.rsplit("#", 1)[1]) for p in pages]
    assert all(p.origin.startswith(f"{path}#") for p in pages)
    assert 0 < offsets[0] < offsets[1] < path.stat().st_size


def test_offsets_point_at_the_records(tmp_path: Path) -> None:
    path = write_warc(tmp_path / "c.warc.gz", MIXED)
    data = path.read_bytes()
    for page in read_warc(path):
        assert isinstance(page, Page)
        offset = int(page.origin.rsplit("#", 1)[1])
        # Each offset starts a gzip member holding that record (what CC indexes point at).
        member = gzip.GzipFile(fileobj=io.BytesIO(data[offset:])).read(4096)
        assert member.startswith(b"WARC/1.") and str(page.url).encode() in member


def test_charset_from_http_header_is_used(tmp_path: Path) -> None:
    body = "<html><body><p>Обстріл Харкова триває.</p></body></html>".encode("cp1251")
    path = write_warc(
        tmp_path / "c.warc.gz",
        [Rec("https://x.example/ua", body, content_type="text/html; charset=windows-1251")],
    )
    (page,) = list(read_warc(path))
    assert isinstance(page, Page) and page.html is not None and "Харкова" in page.html


def test_corrupt_record_is_a_failure_and_reading_goes_on(tmp_path: Path) -> None:
    records = [Rec(f"https://news.example/{i}", html(i)) for i in range(6)]
    data = bytearray(build_warc(records))
    good = write_warc(tmp_path / "good.warc.gz", records)
    offsets = [int(p.origin.rsplit("#", 1)[1]) for p in read_warc(good)]
    # Scramble the middle of the third record's gzip member.
    start, end = offsets[2], offsets[3]
    middle = (start + end) // 2
    data[middle : middle + 16] = b"\x00" * 16
    path = tmp_path / "bad.warc.gz"
    path.write_bytes(bytes(data))
    items = list(read_warc(path))
    failures = [i for i in items if isinstance(i, Failure)]
    pages = [i for i in items if isinstance(i, Page)]
    assert len(failures) == 1
    assert failures[0].origin == f"{path}#{start}" and failures[0].record_id == failures[0].origin
    assert failures[0].stage == "read" and "unreadable WARC record" in failures[0].message
    assert [p.url for p in pages] == [r.url for i, r in enumerate(records) if i != 2]


def test_garbage_between_uncompressed_records_is_skipped(tmp_path: Path) -> None:
    records = [Rec(f"https://news.example/{i}", html(i)) for i in range(3)]
    good = write_warc(tmp_path / "good.warc", records, gzipped=False)
    offsets = [int(p.origin.rsplit("#", 1)[1]) for p in read_warc(good)]
    data = good.read_bytes()
    # Break the second record's header line: the reader resyncs on the next "WARC/" line.
    broken = data[: offsets[1]] + b"XXXX" + data[offsets[1] + 4 :]
    path = tmp_path / "bad.warc"
    path.write_bytes(broken)
    items = list(read_warc(path))
    assert [type(i).__name__ for i in items] == ["Page", "Failure", "Page"]
    assert items[1].origin == f"{path}#{offsets[1]}"


def test_truncated_file_fails_its_last_record(tmp_path: Path) -> None:
    # Digests do not compress: the last record's gzip member is longer than the cut.
    extra = "".join(hashlib.sha256(str(i).encode()).hexdigest() for i in range(60))
    records = [Rec(f"https://news.example/{i}", html(i, extra)) for i in range(3)]
    path = tmp_path / "cut.warc.gz"
    path.write_bytes(build_warc(records)[:-300])
    items = list(read_warc(path))
    assert [type(i).__name__ for i in items] == ["Page", "Page", "Failure"]
    assert isinstance(items[2], Failure) and items[2].origin.startswith(f"{path}#")
    assert "truncated" in items[2].message


def test_payload_over_max_bytes_fails_and_next_record_is_read(tmp_path: Path) -> None:
    path = write_warc(
        tmp_path / "c.warc.gz",
        [Rec("https://x.example/big", html(1, "y" * 5000)), Rec("https://x.example/s", html(2))],
    )
    items = list(read_warc(path, max_bytes=1000))
    assert isinstance(items[0], Failure) and "read.max_bytes" in items[0].message
    assert isinstance(items[1], Page) and items[1].url == "https://x.example/s"


def test_not_a_warc_is_one_failure(tmp_path: Path) -> None:
    path = tmp_path / "fake.warc.gz"
    path.write_bytes(gzip.compress(b"<html>not a warc</html>"))
    items = list(read_warc(path))
    assert len(items) == 1 and isinstance(items[0], Failure)


def test_missing_file_is_a_failure(tmp_path: Path) -> None:
    (failure,) = list(read_warc(tmp_path / "nope.warc.gz"))
    assert isinstance(failure, Failure) and "cannot read" in failure.message


def test_user_date_only_when_the_record_has_none(tmp_path: Path) -> None:
    path = write_warc(tmp_path / "c.warc.gz", [Rec("https://x.example/a", html(1), date="")])
    (page,) = list(read_warc(path, published=date(2020, 1, 2), published_source="user"))
    assert isinstance(page, Page)
    assert page.published == date(2020, 1, 2) and page.published_source == "user"


def test_read_pages_dispatches_warc_files_and_walks_folders(tmp_path: Path) -> None:
    folder = tmp_path / "crawl"
    folder.mkdir()
    write_warc(folder / "a.warc.gz", MIXED)
    write_warc(folder / "b.warc", MIXED[:1], gzipped=False)
    (folder / "c.gz").write_bytes(gzip.compress(b"not a crawl"))
    origins = [i.origin for i in read_pages([folder])]
    assert [o.split("#")[0].rsplit("/", 1)[1] for o in origins] == ["a.warc.gz"] * 2 + ["b.warc"]
    assert is_warc(Path("X.WARC.GZ")) and not is_warc(Path("x.gz"))


def test_committed_sample_reads() -> None:
    items = list(read_pages([SAMPLE]))
    pages = [i for i in items if isinstance(i, Page)]
    assert len(pages) == 3 and not [i for i in items if isinstance(i, Failure)]
    assert all(p.url and p.url.startswith("https://") for p in pages)


# -- resumable: a re-run skips stored pages by their content id ------------------------------


class _CountingStage:
    name = "segment"
    requires: tuple[str, ...] = ()
    produces: tuple[str, ...] = ("segments",)
    seen: ClassVar[list[str]] = []

    def setup(self) -> None:
        pass

    def __call__(self, batch: Sequence[Page]) -> list[Document]:
        _CountingStage.seen.extend(p.origin for p in batch)
        return [Document(id=p.id, origin=p.origin, text=p.html or "", url=p.url) for p in batch]


def _counting_pipeline(values: dict[str, object]) -> Pipeline:
    return Pipeline([_CountingStage()])


def test_rerun_skips_what_is_done(tmp_path: Path) -> None:
    records = [Rec(f"https://news.example/{i}", html(i)) for i in range(5)]
    path = write_warc(tmp_path / "c.warc.gz", records)
    store = MemoryStore()
    _CountingStage.seen = []
    first = process_paths([path], settings=Settings(), store=store, factory=_counting_pipeline)
    assert first.pages == 5 and first.skipped == 0 and len(_CountingStage.seen) == 5
    # A run stopped half-way and restarted: the crawl grew, the old records are skipped.
    more = [*records, Rec("https://news.example/new", html(99))]
    write_warc(path, more)
    second = process_paths([path], settings=Settings(), store=store, factory=_counting_pipeline)
    assert second.skipped == 5 and len(_CountingStage.seen) == 6
    assert _CountingStage.seen[-1].startswith(f"{path}#")


# -- fuzz: any bytes give pages or failures, never an exception ------------------------------


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(cut=st.integers(min_value=0, max_value=4000), noise=st.binary(max_size=64))
def test_damaged_warc_never_raises(tmp_path: Path, cut: int, noise: bytes) -> None:
    data = build_warc([Rec(f"https://n.example/{i}", html(i)) for i in range(4)])
    cut = min(cut, len(data))
    damaged = data[:cut] + noise + data[cut + len(noise) :]
    for name in ("f.warc.gz", "f.warc"):
        path = tmp_path / name
        path.write_bytes(damaged)
        items = list(read_warc(path))
        assert all(isinstance(i, Page | Failure) for i in items)
        assert len(items) <= 8


@pytest.mark.slow
def test_cli_processes_a_crawl_and_a_rerun_skips_it(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from sitrep.cli import main

    db = f"sqlite:///{tmp_path / 'crawl.db'}"
    first = CliRunner().invoke(main, ["process", str(SAMPLE), "--db", db, "--json"])
    assert first.exit_code == 0, first.output
    assert "3 pages read: 3 ok; 0 already stored; 0 failures" in first.stderr
    events = [line for line in first.stdout.splitlines() if line.startswith("{")]
    assert events
    again = CliRunner().invoke(main, ["process", str(SAMPLE), "--db", db])
    assert "3 already stored" in again.stderr
