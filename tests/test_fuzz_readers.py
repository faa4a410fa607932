"""Property fuzzing of the readers and the segmenter: any input gives a Page, a Failure or a
Document whose spans hold — never an exception out of a batch.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sitrep.errors import InputError
from sitrep.records import Document, Failure, Page
from sitrep.stages.read import KNOWN_SUFFIXES, decode_bytes, read_pages
from sitrep.stages.segment import segment_page

SUFFIXES = [*sorted(KNOWN_SUFFIXES), ".HTML", ".Txt", ".JSONL", ".xml", ".bin", ".csv", ""]
# FUZZ_EXAMPLES=20000 runs a soak (docs/reliability.md); CI runs the default.
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "200"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Bytes that look like pages more often than uniform bytes do: markup, charsets, BOMs,
# line ends, NULs, multibyte UTF-8, cp1256/cp1251 bytes.
_PIECES = st.sampled_from(
    [
        b"<html><head><meta charset='windows-1256'></head><body>",
        b"<meta http-equiv='Content-Type' content='text/html; charset=koi8-r'>",
        b"<meta charset=bogus-charset>",
        b"<p>",
        b"</p>",
        b"<div class='comment'><cite class='fn'>Ann</cite><p>Hi</p></div>",
        b"<li id='comment-7'>",
        b"<script>x</script>",
        b"\xef\xbb\xbf",
        b"\xff\xfe",
        b"\xfe\xff",
        b"\x00",
        b"\r\n",
        b"\n\n",
        b"\r",
        "Украина: обстрел\n".encode("cp1251"),
        "قصف على المدينة\n".encode("cp1256"),
        "日本語のテキスト".encode(),
        b'{"text": "a"}\n',
        b"Gunmen killed 3 people in the town on Monday, police said. ",
    ]
)
PAGE_BYTES = st.one_of(
    st.binary(max_size=400),
    st.lists(st.one_of(_PIECES, st.binary(max_size=12)), max_size=25).map(b"".join),
)


def check_page(page: Page) -> None:
    content = page.html if page.html is not None else page.text
    assert isinstance(content, str) and content.strip()
    if page.text is not None:
        assert "\r" not in page.text


def check_document(document: Document) -> None:
    """Every span points into the document's text, in order, without overlap."""
    at = 0
    for segment in document.segments:
        assert segment.start >= at
        assert document.text[segment.start : segment.end] == segment.text
        assert segment.text.strip() == segment.text and segment.text
        at = segment.end
    for comment in document.comments:
        assert document.text[comment.start : comment.end] == comment.text
        assert comment.reply_to is None or 0 <= comment.reply_to < comment.position


@FUZZ
@given(
    files=st.lists(st.tuples(st.sampled_from(SUFFIXES), PAGE_BYTES), min_size=1, max_size=5),
    max_bytes=st.sampled_from([50, 1_000, 20_000_000]),
)
def test_property_read_pages_never_raises_and_names_every_file(
    files: list[tuple[str, bytes]], max_bytes: int
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        paths = []
        for i, (suffix, data) in enumerate(files):
            path = Path(folder) / f"page{i}{suffix}"
            path.write_bytes(data)
            paths.append(path)
        # Named explicitly: every file is read, whatever its suffix.
        items = list(read_pages(paths, max_bytes=max_bytes, max_line_bytes=max_bytes))
        for path in paths:
            mine = [i for i in items if i.origin.split(":")[0] == str(path)]
            assert mine, path
            if path.suffix.lower() not in {".jsonl", ".ndjson"}:
                assert len(mine) == 1
            for item in mine:
                assert isinstance(item, Page | Failure)
                if isinstance(item, Failure):
                    assert item.stage == "read" and str(path) in item.message
                else:
                    check_page(item)
                    check_document(segment_page(item))
        assert len({i.origin for i in items}) == len(items)
        # A folder walk reads only known suffixes, and the same ones.
        walked = list(read_pages([folder], max_bytes=max_bytes, max_line_bytes=max_bytes))
        known = [p for p in paths if p.suffix.lower() in KNOWN_SUFFIXES]
        assert {i.origin.split(":")[0] for i in walked} == {str(p) for p in known}


_JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=6,
)
_FIELD_VALUES = st.one_of(
    _JSON_VALUES,
    st.sampled_from(
        ["2024-02-30", "20188-01-01", "2024-03-05T10:00:00Z", "2024-03-05", "yesterday", " "]
    ),
    st.text(min_size=1, max_size=60),
)
_RECORDS = st.dictionaries(
    st.sampled_from(["text", "html", "title", "url", "published", "date", "other"]),
    _FIELD_VALUES,
    max_size=5,
).map(lambda r: json.dumps(r).encode())
_LINES = st.one_of(
    _RECORDS,
    st.binary(max_size=60),
    st.text(max_size=60).map(str.encode),
    st.just(b""),
    st.just(b"   "),
    st.just(b"[1, 2]"),
    st.just(b'{"text": "x"'),
).map(lambda line: line.replace(b"\n", b" "))


@FUZZ
@given(lines=st.lists(_LINES, max_size=12), max_line_bytes=st.sampled_from([40, 10_000]))
def test_property_jsonl_gives_one_item_per_non_blank_line(
    lines: list[bytes], max_line_bytes: int
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "export.jsonl"
        path.write_bytes(b"\n".join(lines))
        items = list(read_pages([path], max_line_bytes=max_line_bytes))
    expected = [
        f"{path}:{n}"
        for n, line in enumerate(lines, start=1)
        if line.strip() or len(line) > max_line_bytes
    ]
    if not expected:
        assert len(items) == 1 and isinstance(items[0], Failure)
        assert "empty" in items[0].message
        return
    assert [i.origin for i in items] == expected
    for item, line in zip(
        items, [ln for ln in lines if ln.strip() or len(ln) > max_line_bytes], strict=True
    ):
        if len(line) >= max_line_bytes:
            continue  # may be cut at the limit: either a page or a line-length failure
        if isinstance(item, Page):
            check_page(item)
            record = json.loads(line)
            assert isinstance(record, dict)
            assert item.text is not None or item.html is not None
        else:
            assert item.error == "InputError" and item.origin in item.message


_TAGS = st.sampled_from(
    [
        "<html><head><title>Strikes hit the town</title></head><body>",
        "</body></html>",
        "<article>",
        "</article>",
        "<p>",
        "</p>",
        "<br>",
        "<h1>",
        "</h1>",
        "<div class='comment'>",
        "<div class='comment-content'>",
        "<li class='comment' id='comment-12'>",
        "</li>",
        "<ol class='comment-list'>",
        "</ol>",
        "<div id='disqus_thread'><ul class='post-list'><li class='post'>",
        "<cite class='fn'>",
        "</cite>",
        "<time datetime='2024-03-01T10:00'>",
        "</time>",
        "</div>",
        "<figcaption>Photo: AFP</figcaption>",
        "<script>var a = '<p>';</script>",
        "<style>p{}</style>",
        "<!-- a comment -->",
        "<![CDATA[x]]>",
        "<meta name='date' content='2024-02-30'>",
        "<meta property='article:published_time' content='20188-01-01'>",
        "&amp;&#0;&#x110000;&nbsp;",
        "<svg><p>",
        "<table><tr><td>",
        "On February 30 troops shelled the town, killing 3, police said. ",
        "\u202e\u200b\ufeff",
        "<",
        ">",
    ]
)
HTML = st.lists(st.one_of(_TAGS, st.text(max_size=20)), max_size=60).map("".join)


@FUZZ
@given(
    html=HTML, max_comments=st.sampled_from([0, 1, 3, 5000]), url=st.none() | st.text(max_size=20)
)
def test_property_segment_page_on_random_html_keeps_spans(
    html: str, max_comments: int, url: str | None
) -> None:
    document = segment_page(Page(origin="fuzz.html", html=html, url=url), max_comments=max_comments)
    check_document(document)
    assert len(document.comments) <= max(max_comments, 0) or max_comments == 0


@FUZZ
@given(data=PAGE_BYTES, html=st.booleans())
def test_property_decode_bytes_gives_text_or_input_error(data: bytes, html: bool) -> None:
    try:
        text = decode_bytes(data, html=html)
    except InputError as e:
        assert "<bytes>" in str(e)
        return
    assert text.strip() and "\r" not in text
    page = Page(origin="fuzz", html=text) if html else Page(origin="fuzz", text=text)
    check_document(segment_page(page))


# -- regressions the fuzzing found -------------------------------------------------------------


def test_html_inside_svg_keeps_its_body_when_the_date_finder_breaks() -> None:
    # trafilatura's metadata step (htmldate) raised AssertionError on this tree, so the whole
    # page became a Failure; now it loses only its metadata.
    html = (
        "<svg><p><html><head><title>Strikes hit the town</title></head><body>"
        "<p>Gunmen killed three people in the town on Monday, police said in a statement.</p>"
    )
    document = segment_page(Page(origin="svg.html", html=html))
    check_document(document)
    assert "Gunmen killed three people" in document.text
    assert document.status.value == "pending"
