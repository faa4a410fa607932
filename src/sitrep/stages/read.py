"""Read pages from files, folders and JSON Lines exports, decoding any charset.

Bad input never stops a run: each unusable file or line becomes a ``Failure`` naming it, and
reading goes on with the next one.
"""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import BinaryIO

from charset_normalizer import from_bytes

from sitrep.errors import InputError
from sitrep.records import Failure, Page
from sitrep.stages.read_warc import is_warc, read_warc

TEXT_SUFFIXES = frozenset({".txt", ".text", ".md"})
HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
JSONL_SUFFIXES = frozenset({".jsonl", ".ndjson"})
KNOWN_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | JSONL_SUFFIXES

STAGE = "read"

# A declared charset sits in the first few kilobytes of a page (HTML5 says 1024 bytes;
# real pages put long <script> blocks first, so look further).
_META_CHARSET = re.compile(
    rb"""<meta[^>]{0,400}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{1,40})""", re.I
)
_HTML_SNIFF = re.compile(rb"^\s*(?:<!doctype\s+html|<html|<head|<body|<\?xml[^>]*>\s*<html)", re.I)
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Control characters other than tab, newline, form feed and carriage return mark binary data.
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_MAX_CONTROL_RATIO = 0.01
# Share of UTF-16 code units whose high byte is NUL (ASCII: spaces, digits, punctuation)
# before BOM-less bytes are read as UTF-16.
_MIN_UTF16_NULS = 0.1


@dataclass(frozen=True)
class _Published:
    """A publication date and who gave it."""

    value: date | None
    source: str | None


def read_pages(
    paths: Sequence[str | Path],
    *,
    published: date | None = None,
    max_bytes: int = 20_000_000,
    max_line_bytes: int = 20_000_000,
) -> Iterator[Page | Failure]:
    """Yield one Page per file or JSON Lines record, or a Failure for each unusable one.

    Args:
        paths: files and folders; folders are walked recursively in sorted order, skipping
            hidden entries and files whose suffix is not a known page type.
        published: the user's publication date, used for pages that carry none of their own.
        max_bytes: largest file read (JSON Lines and WARC files are streamed and limited per
            line or record; WARC: stages/read_warc.py).
        max_line_bytes: largest JSON Lines record.
    """
    default = _Published(published, "user" if published is not None else None)
    for path in _walk(paths):
        if isinstance(path, Failure):
            yield path
            continue
        suffix = path.suffix.lower()
        if is_warc(path):
            yield from read_warc(
                path,
                published=default.value,
                published_source=default.source,
                max_bytes=max_bytes,
            )
        elif suffix in JSONL_SUFFIXES:
            yield from _read_jsonl(path, default=default, max_line_bytes=max_line_bytes)
        else:
            yield _read_file(path, default=default, max_bytes=max_bytes)


def _walk(paths: Sequence[str | Path]) -> Iterator[Path | Failure]:
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            yield from _walk_folder(path)
        elif path.is_file():
            yield path
        else:
            origin = str(path)
            yield _failure(origin, "FileNotFoundError", f"{origin}: no such file or folder")


def _walk_folder(folder: Path) -> Iterator[Path]:
    # Sorted names make a run deterministic: same folder, same order, same ids.
    try:
        entries = sorted(folder.iterdir(), key=lambda p: p.name)
    except OSError:
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        if entry.is_dir():
            yield from _walk_folder(entry)
        elif entry.is_file() and (entry.suffix.lower() in KNOWN_SUFFIXES or is_warc(entry)):
            yield entry


def _read_file(path: Path, *, default: _Published, max_bytes: int) -> Page | Failure:
    origin = str(path)
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise InputError(
                f"{origin}: file is {size:,} bytes, larger than read.max_bytes={max_bytes:,}; "
                "raise the setting to read it"
            )
        data = path.read_bytes()
        is_html = _is_html(path, data)
        content = decode_bytes(data, html=is_html, origin=origin)
    except InputError as e:
        return _failure(origin, type(e).__name__, str(e))
    except OSError as e:
        return _failure(origin, type(e).__name__, f"{origin}: cannot read file: {e.strerror}")
    if is_html:
        return Page(
            origin=origin, html=content, published=default.value, published_source=default.source
        )
    return Page(
        origin=origin, text=content, published=default.value, published_source=default.source
    )


def _is_html(path: Path, data: bytes) -> bool:
    suffix = path.suffix.lower()
    if suffix in HTML_SUFFIXES:
        return True
    if suffix in TEXT_SUFFIXES:
        return False
    # An explicitly named file of unknown type: look at its first bytes.
    return _HTML_SNIFF.match(data[:1024].lstrip(codecs.BOM_UTF8)) is not None


def decode_bytes(data: bytes, *, html: bool = False, origin: str = "<bytes>") -> str:
    """Decode page bytes: BOM, then BOM-less UTF-16, the declared HTML charset, UTF-8, a guess.

    Raises:
        InputError: the data is empty, or binary rather than text.
    """
    if not data.strip():
        raise InputError(f"{origin}: file is empty")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            decoded = data.decode(encoding, errors="replace")
            return _check_text(decoded.lstrip("\ufeff"), origin=origin)
    if b"\x00" in data:
        utf16 = _decode_utf16(data)
        if utf16 is None:
            raise InputError(f"{origin}: binary data (NUL bytes), not a text or HTML page")
        return _check_text(utf16, origin=origin)
    text: str | None = _decode_declared(data) if html else None
    if text is None:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = _decode_guess(data)
    return _check_text(text, origin=origin)


def _decode_utf16(data: bytes) -> str | None:
    """Decode UTF-16 written without a BOM, told by its NUL bytes all on one side of the pairs.

    Most text in UTF-16 has a NUL in every ASCII character's pair (spaces and digits at
    least, even in Arabic or Cyrillic), always the high byte; binary data has NULs anywhere.
    """
    if len(data) % 2:
        return None
    pairs = len(data) // 2
    even, odd = data[0::2].count(0), data[1::2].count(0)
    if odd >= _MIN_UTF16_NULS * pairs and even == 0:
        encoding = "utf-16-le"
    elif even >= _MIN_UTF16_NULS * pairs and odd == 0:
        encoding = "utf-16-be"
    else:
        return None
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        return None


def _decode_declared(data: bytes) -> str | None:
    match = _META_CHARSET.search(data[:16384])
    if match is None:
        return None
    name = match.group(1).decode("ascii", errors="ignore").lower()
    try:
        codecs.lookup(name)
    except LookupError:
        return None
    # Pages declaring latin-1 are nearly always cp1252 (the WHATWG encoding spec maps them).
    if name in {"iso-8859-1", "latin-1", "latin1", "us-ascii", "ascii"}:
        name = "cp1252"
    try:
        return data.decode(name)
    except UnicodeDecodeError:
        return None


def _decode_guess(data: bytes) -> str:
    best = from_bytes(data[:1_000_000]).best()
    if best is not None and best.encoding:
        try:
            return data.decode(best.encoding, errors="replace")
        except LookupError:
            pass
    return data.decode("cp1252", errors="replace")


def _check_text(text: str, *, origin: str) -> str:
    if not text.strip():
        raise InputError(f"{origin}: file is empty")
    sample = text[:100_000]
    if len(_CONTROL.findall(sample)) > _MAX_CONTROL_RATIO * len(sample):
        raise InputError(f"{origin}: binary data (control characters), not a text or HTML page")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _read_jsonl(
    path: Path, *, default: _Published, max_line_bytes: int
) -> Iterator[Page | Failure]:
    try:
        handle = path.open("rb")
    except OSError as e:
        yield _failure(str(path), type(e).__name__, f"{path}: cannot read file: {e.strerror}")
        return
    with handle:
        empty = True
        for number, line in _lines(handle, max_line_bytes=max_line_bytes):
            origin = f"{path}:{number}"
            if line is None:
                yield _failure(
                    origin,
                    "InputError",
                    f"{origin}: line longer than read.max_line_bytes={max_line_bytes:,}; "
                    "raise the setting to read it",
                )
                empty = False
                continue
            if not line.strip():
                continue
            empty = False
            try:
                yield _page_from_line(line, origin=origin, default=default)
            except InputError as e:
                yield _failure(origin, type(e).__name__, str(e))
        if empty:
            yield _failure(str(path), "InputError", f"{path}: file is empty")


def _lines(handle: BinaryIO, *, max_line_bytes: int) -> Iterator[tuple[int, bytes | None]]:
    """Yield (line number, bytes) with None for a line over the limit, never holding more."""
    number = 0
    while True:
        line = handle.readline(max_line_bytes + 1)
        if not line:
            return
        number += 1
        if len(line) > max_line_bytes and not line.endswith(b"\n"):
            # Skip the rest of the oversized line in bounded chunks.
            while line and not line.endswith(b"\n"):
                line = handle.readline(1 << 20)
            yield number, None
            continue
        yield number, line


def _page_from_line(line: bytes, *, origin: str, default: _Published) -> Page:
    try:
        record = json.loads(line.decode("utf-8-sig"))
    except UnicodeDecodeError as e:
        raise InputError(f"{origin}: not UTF-8 (JSON Lines must be UTF-8): {e.reason}") from e
    except json.JSONDecodeError as e:
        raise InputError(f"{origin}: invalid JSON: {e.msg} at column {e.colno}") from e
    if not isinstance(record, dict):
        raise InputError(f"{origin}: a record must be a JSON object, not {type(record).__name__}")
    text = _string_field(record, "text", origin=origin)
    html = _string_field(record, "html", origin=origin)
    if text is None and html is None:
        raise InputError(f"{origin}: record has no 'text' or 'html' (keys: {sorted(record)})")
    title = _string_field(record, "title", origin=origin)
    if text is not None and title is not None and not text.lstrip().startswith(title.strip()):
        # Scrapers often keep the title apart; put it where a headline goes.
        text = f"{title.strip()}\n\n{text}"
    url = _string_field(record, "url", origin=origin)
    own = _record_date(record, origin=origin)
    when = _Published(own, "record") if own is not None else default
    return Page(
        origin=origin,
        html=html,
        text=text.replace("\r\n", "\n").replace("\r", "\n") if text is not None else None,
        url=url,
        published=when.value,
        published_source=when.source,
    )


def _string_field(record: Mapping[str, object], key: str, *, origin: str) -> str | None:
    value = record.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise InputError(f"{origin}: field {key!r} must be a string, not {type(value).__name__}")
    return value if value.strip() else None


def _record_date(record: Mapping[str, object], *, origin: str) -> date | None:
    for key in ("published", "date"):
        value = record.get(key)
        if value is None or value == "":
            continue
        if not isinstance(value, str):
            raise InputError(
                f"{origin}: field {key!r} must be an ISO date string, not {type(value).__name__}"
            )
        return parse_iso_date(value, origin=f"{origin}: field {key!r}")
    return None


def parse_iso_date(value: str, *, origin: str = "date") -> date:
    """Parse an ISO 8601 date or datetime ("2024-03-05", "2024-03-05T10:00:00Z") to a date.

    Raises:
        InputError: the value is not an ISO date.
    """
    text = value.strip()
    try:
        if len(text) <= 10:
            return date.fromisoformat(text)
        return datetime.fromisoformat(text).date()
    except ValueError as e:
        raise InputError(
            f"{origin}: {value!r} is not an ISO date (expected YYYY-MM-DD or an ISO datetime)"
        ) from e


def _failure(origin: str, error: str, message: str) -> Failure:
    return Failure(stage=STAGE, record_id=origin, origin=origin, error=error, message=message)
