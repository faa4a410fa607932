"""Read HTML pages out of WARC and WARC.gz crawl files (Common Crawl News), record by record.

Only ``response`` records with status 200 and an HTML payload become pages; the others are
skipped and counted. A record that cannot be read becomes a ``Failure`` named
``FILE#OFFSET`` (the offset of the record, or of its gzip member, in the file) and reading
resumes at the next record boundary found after it. Memory stays flat whatever the file's
size: one record's payload (at most ``read.max_bytes``) is held at a time.
See docs/decisions/0012-ingestion.md.
"""

from __future__ import annotations

import codecs
import logging
import re
import zlib
from collections import Counter
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any

# warcio ships no type information (no py.typed): its objects are Any here and checked by use.
from warcio.archiveiterator import ArchiveIterator  # type: ignore[import-untyped]
from warcio.exceptions import ArchiveLoadFailed  # type: ignore[import-untyped]
from warcio.statusandheaders import (  # type: ignore[import-untyped]
    StatusAndHeadersParserException,
)

from sitrep.errors import InputError
from sitrep.records import Failure, Page

STAGE = "read"
WARC_SUFFIXES = (".warc", ".warc.gz")

log = logging.getLogger(__name__)

_GZIP_MAGIC = b"\x1f\x8b\x08"
_WARC_MAGIC = b"\nWARC/"
_SCAN_CHUNK = 1 << 16
_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
_HTML_SNIFF = re.compile(rb"^\s*(?:<!doctype\s+html|<html|<head|<body)", re.I)
_CHARSET = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9_.:-]{1,40})", re.I)
# What a broken record raises inside warcio: bad headers, bad gzip, a cut stream.
_RECORD_ERRORS = (
    ArchiveLoadFailed,
    StatusAndHeadersParserException,
    zlib.error,
    EOFError,
    ValueError,
)


def is_warc(path: Path) -> bool:
    """Return True when ``path`` is named like a WARC file (.warc, .warc.gz)."""
    return path.name.lower().endswith(WARC_SUFFIXES)


def read_warc(
    path: str | Path,
    *,
    published: date | None = None,
    published_source: str | None = None,
    max_bytes: int = 20_000_000,
    skipped: Counter[str] | None = None,
) -> Iterator[Page | Failure]:
    """Yield one Page per HTML response record of a WARC file, or a Failure per broken record.

    Args:
        path: a .warc or .warc.gz file (gzip members per record, as Common Crawl writes).
        published / published_source: the user's date, used only for records without a
            WARC-Date (the crawl date, a fallback the page's own HTML date overrides).
        max_bytes: largest payload read; a bigger one is a Failure.
        skipped: counts the records skipped, by reason ("not_response", "status",
            "not_html"); the file's totals are also logged at INFO.
    """
    path = Path(path)
    counts: Counter[str] = Counter() if skipped is None else skipped
    gzipped = path.name.lower().endswith(".gz")
    try:
        handle = path.open("rb")
    except OSError as e:
        origin = str(path)
        yield _failure(origin, type(e).__name__, f"{origin}: cannot read file: {e.strerror}")
        return
    pages = 0
    with handle:
        start: int | None = 0
        while start is not None:
            handle.seek(start)
            records = ArchiveIterator(handle)
            offset: int = start
            try:
                for record in records:
                    offset = records.offset
                    item = _page_of(
                        record,
                        path=path,
                        offset=offset,
                        published=published,
                        published_source=published_source,
                        max_bytes=max_bytes,
                        counts=counts,
                    )
                    if item is not None:
                        pages += isinstance(item, Page)
                        yield item
                start = None
            except _RECORD_ERRORS as e:
                # The iterator's offset is the start of the record it was reading.
                offset = max(offset, records.offset)
                origin = f"{path}#{offset}"
                yield _failure(
                    origin, "InputError", f"{origin}: unreadable WARC record: {_reason(e)}"
                )
                start = _next_boundary(handle, after=offset, gzipped=gzipped)
    log.info("%s: %d pages; skipped %s", path, pages, dict(counts) or "none")


def _page_of(
    record: Any,
    *,
    path: Path,
    offset: int,
    published: date | None,
    published_source: str | None,
    max_bytes: int,
    counts: Counter[str],
) -> Page | Failure | None:
    """Return the record's Page, a Failure, or None for a record that is not a page."""
    origin = f"{path}#{offset}"
    if record.rec_type != "response" or record.http_headers is None:
        counts["not_response"] += 1
        return None
    status = record.http_headers.get_statuscode()
    if status != "200":
        counts["status"] += 1
        return None
    content_type = record.http_headers.get_header("Content-Type") or ""
    media = content_type.split(";", 1)[0].strip().lower()
    if media and media not in _HTML_TYPES:
        counts["not_html"] += 1
        return None
    stream = record.content_stream()
    data: bytes = stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        return _failure(
            origin,
            "InputError",
            f"{origin}: payload is larger than read.max_bytes={max_bytes:,}; "
            "raise the setting to read it",
        )
    if record.raw_stream.limit > 0:
        # The file ended inside the record: its payload is cut short.
        return _failure(
            origin,
            "InputError",
            f"{origin}: truncated WARC record ({record.raw_stream.limit:,} bytes missing)",
        )
    if not media and _HTML_SNIFF.match(data[:1024]) is None:
        counts["not_html"] += 1
        return None
    try:
        html = decode_payload(data, charset=charset_of(content_type), origin=origin)
    except InputError as e:
        return _failure(origin, "InputError", str(e))
    crawled = _warc_date(record.rec_headers.get_header("WARC-Date"))
    return Page(
        origin=origin,
        html=html,
        url=record.rec_headers.get_header("WARC-Target-URI") or None,
        published=crawled if crawled is not None else published,
        published_source="crawl" if crawled is not None else published_source,
    )


def decode_payload(data: bytes, *, charset: str | None, origin: str) -> str:
    """Decode an HTML payload: a BOM, else the HTTP header's charset, else read.decode_bytes.

    Raises:
        InputError: the payload is empty or binary.
    """
    from sitrep.stages.read import decode_bytes

    if charset is not None and not data.startswith((codecs.BOM_UTF8, b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode(charset)
        except UnicodeDecodeError:
            text = None
        if text is not None and "\x00" not in text:
            if not text.strip():
                raise InputError(f"{origin}: payload is empty")
            return text.replace("\r\n", "\n").replace("\r", "\n")
    return decode_bytes(data, html=True, origin=origin)


def charset_of(content_type: str) -> str | None:
    """Return the codec a Content-Type's charset names (latin-1 read as cp1252), or None."""
    match = _CHARSET.search(content_type)
    if match is None:
        return None
    name = match.group(1).lower()
    try:
        codecs.lookup(name)
    except LookupError:
        return None
    # Pages labelled latin-1 are nearly always cp1252 (the WHATWG encoding spec maps them).
    return "cp1252" if name in {"iso-8859-1", "latin-1", "latin1", "us-ascii", "ascii"} else name


def _warc_date(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value.strip().replace("Z", "+00:00")).date()
    except ValueError:
        return None


def _next_boundary(handle: IO[bytes], *, after: int, gzipped: bool) -> int | None:
    """Return the offset of the next record start after ``after``, or None at the end."""
    magic = _GZIP_MAGIC if gzipped else _WARC_MAGIC
    position = after + 1
    handle.seek(position)
    tail = b""
    while chunk := handle.read(_SCAN_CHUNK):
        window = tail + chunk
        found = window.find(magic)
        if found >= 0:
            start = position - len(tail) + found
            return start if gzipped else start + 1
        # Keep a magic's length of bytes: a magic may straddle two chunks.
        tail = window[-(len(magic) - 1) :]
        position += len(chunk)
    return None


def _reason(error: Exception) -> str:
    text = str(error).strip().splitlines()
    detail = text[0][:200] if text else ""
    return f"{type(error).__name__}: {detail}" if detail else type(error).__name__


def _failure(origin: str, error: str, message: str) -> Failure:
    return Failure(stage=STAGE, record_id=origin, origin=origin, error=error, message=message)
