"""Atheris (libFuzzer) target for the page readers and the segmenter.

The first input byte picks the path, the rest is the page:
0 a .txt file, 1 a .html file, 2 a .jsonl export, 3 a file of unknown type (sniffed).
Each file goes through read_pages, and every Page through segment_page; the target fails on
any exception they raise and on any Document whose spans do not point into its text.

    .venv/bin/python fuzz/fuzz_readers.py -atheris_runs=200000 fuzz/seeds_copy/

(pass a copy of fuzz/seeds/: libFuzzer writes the inputs it finds into the first folder).
See fuzz/README.md and docs/reliability.md.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import atheris

# Heavy dependencies first, outside the instrumentation: only sitrep's code is instrumented.
import charset_normalizer  # noqa: F401
import lxml.html  # noqa: F401
import trafilatura  # noqa: F401

with atheris.instrument_imports(include=["sitrep"]):
    from sitrep.records import Document, Failure, Page
    from sitrep.stages.read import read_pages
    from sitrep.stages.segment import segment_page

SUFFIXES = (".txt", ".html", ".jsonl", ".dat")
# Small limits keep each input fast and reach the size checks.
MAX_BYTES = 64_000
_FOLDER = Path(tempfile.mkdtemp(prefix="sitrep-fuzz-"))


def check_document(document: Document) -> None:
    """Fail unless every segment and comment span points into the document's text, in order."""
    at = 0
    for segment in document.segments:
        if segment.start < at or document.text[segment.start : segment.end] != segment.text:
            raise AssertionError(f"segment span broken: {segment!r}")
        at = segment.end
    for comment in document.comments:
        if document.text[comment.start : comment.end] != comment.text:
            raise AssertionError(f"comment span broken: {comment!r}")


def test_one_input(data: bytes) -> None:
    """Read ``data`` as one file of the kind its first byte picks; segment every page."""
    if not data:
        return
    path = _FOLDER / f"page{SUFFIXES[data[0] % len(SUFFIXES)]}"
    path.write_bytes(data[1:])
    items = list(read_pages([path], max_bytes=MAX_BYTES, max_line_bytes=MAX_BYTES))
    if not items:
        raise AssertionError("read_pages yielded nothing for a file")
    for item in items:
        if isinstance(item, Failure):
            if str(path) not in item.message:
                raise AssertionError(f"failure does not name its file: {item!r}")
            continue
        check_document(segment_page(item, max_comments=50))
    assert all(isinstance(i, Page | Failure) for i in items)


def main(argv: list[str]) -> None:
    """Run the fuzzer with libFuzzer's command line (``-atheris_runs=N``, corpus folders)."""
    atheris.Setup(argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main(sys.argv)
