"""Tests for the segment stage: HTML pages, document layout, dates, golden pages."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sitrep.records import Document, DocumentStatus, Page, SegmentKind
from sitrep.settings import Settings
from sitrep.stages.read import read_pages
from sitrep.stages.segment import SegmentStage, build_document, segment_page, split_html
from sitrep.stages.segment_text import CommentPart, PageParts

ROOT = Path(__file__).resolve().parents[1]
PAGES = ROOT / "tests" / "data" / "pages"
GOLDEN = sorted(PAGES.glob("*.expected.json"))


def _kinds(document: Document, kind: SegmentKind) -> list[str]:
    return [s.text for s in document.segments if s.kind is kind]


def _assert_spans(document: Document) -> None:
    for segment in document.segments:
        assert document.text[segment.start : segment.end] == segment.text
    for comment in document.comments:
        assert document.text[comment.start : comment.end] == comment.text


def test_build_document_lays_out_parts_in_order() -> None:
    parts = PageParts(
        headline="Head",
        body=("Body one.", "  Body   two. "),
        boilerplate=("Photo: X",),
        comments=(CommentPart("First!", author="Ann"), CommentPart("Reply", reply_to=0)),
    )
    document = build_document(parts, document_id="d1", origin="o")
    assert document.text == "Head\n\nBody one.\n\nBody two.\n\nPhoto: X\n\nAnn\n\nFirst!\n\nReply"
    assert [s.kind.value for s in document.segments] == [
        "headline",
        "body",
        "body",
        "boilerplate",
        "comment_author",
        "comment",
        "comment",
    ]
    assert [(c.position, c.author, c.reply_to) for c in document.comments] == [
        (0, "Ann", None),
        (1, None, 0),
    ]
    _assert_spans(document)
    assert document.status is DocumentStatus.PENDING and document.headline == "Head"


def test_build_document_without_body_is_no_body() -> None:
    document = build_document(
        PageParts(headline="Only a title", body=()), document_id="d", origin="o"
    )
    assert document.status is DocumentStatus.NO_BODY and document.status_reason


def test_build_document_drops_forward_reply_to() -> None:
    parts = PageParts(headline=None, body=("b",), comments=(CommentPart("x", reply_to=3),))
    assert build_document(parts, document_id="d", origin="o").comments[0].reply_to is None


_WP = """<html><head><title>T</title>
<meta property="article:published_time" content="2023-11-02T08:00:00Z"></head><body>
<article><h1>Troops clash with rebels near the border</h1>
<div class="entry-content">
<p>Government troops clashed with rebels near the border town on Wednesday, killing six
fighters, the army said in a statement released in the capital.</p>
<p>The fighting lasted several hours and forced hundreds of families to flee their homes,
according to local officials who spoke to reporters on Thursday.</p>
<p>Talks between the two sides are expected to resume in Nairobi next month, diplomats said.</p>
</div></article>
<div id="comments"><ol class="commentlist">
<li class="comment depth-1" id="comment-1"><div class="comment-author vcard">
<cite class="fn">Ann Smith</cite> <span class="says">says:</span></div>
<div class="comment-meta"><a href="#">November 2, 2023 at 9:00 am</a></div>
<p>Nobody cares about this war, sadly.</p>
<div class="reply"><a href="#">Reply</a></div>
<ul class="children"><li class="comment depth-2" id="comment-2">
<div class="comment-author vcard"><cite class="fn">Bob</cite></div>
<p>I care. My family is from there.</p></li></ul>
</li></ol></div></body></html>"""


def test_split_html_wordpress_comments_with_nesting() -> None:
    found = split_html(_WP)
    parts = found.parts
    assert parts.headline == "Troops clash with rebels near the border"
    assert len(parts.body) == 3 and parts.body[0].startswith("Government troops clashed")
    assert [(c.author, c.reply_to) for c in parts.comments] == [("Ann Smith", None), ("Bob", 0)]
    assert parts.comments[0].text == "Nobody cares about this war, sadly."
    assert parts.comments[1].text == "I care. My family is from there."
    assert found.published == date(2023, 11, 2)


def test_html_date_fills_only_pages_without_one() -> None:
    from_html = segment_page(Page(origin="a.html", html=_WP))
    assert from_html.published == date(2023, 11, 2) and from_html.published_source == "html"
    given = segment_page(
        Page(origin="a.html", html=_WP, published=date(2023, 1, 1), published_source="record")
    )
    assert given.published == date(2023, 1, 1) and given.published_source == "record"


def test_comment_text_never_in_body() -> None:
    document = segment_page(Page(origin="a.html", html=_WP))
    body = " ".join(_kinds(document, SegmentKind.BODY))
    assert "Nobody cares" not in body and "My family" not in body
    _assert_spans(document)


def test_generic_comment_markup() -> None:
    html = _WP.split('<div id="comments">')[0] + (
        '<section class="user-comments"><div class="comment-item"><span class="username">'
        'zed</span><div class="comment-text">Where is the UN?</div></div>'
        '<div class="comment-item"><span class="username">amy</span>'
        '<div class="comment-text">Tragic.</div></div></section></body></html>'
    )
    parts = split_html(html).parts
    assert [(c.author, c.text) for c in parts.comments] == [
        ("zed", "Where is the UN?"),
        ("amy", "Tragic."),
    ]


def test_empty_html_is_no_body() -> None:
    document = segment_page(Page(origin="x.html", html="<html><body></body></html>"))
    assert document.status is DocumentStatus.NO_BODY


def test_html_falls_back_to_text_when_record_has_both() -> None:
    page = Page(origin="r", html="<html><body></body></html>", text="Head line here\n\nBody text.")
    document = segment_page(page)
    assert _kinds(document, SegmentKind.BODY) == ["Body text."]


def test_stage_protocol_and_settings() -> None:
    stage = SegmentStage.from_settings(Settings().replace(segment__max_comments=7))
    assert stage.name == "segment" and stage.max_comments == 7
    stage.setup()
    pages = [Page(origin="a", text="Head line here\n\nBody."), Page(origin="b", html=_WP)]
    documents = stage(pages)
    assert [d.origin for d in documents] == ["a", "b"]
    assert [d.id for d in documents] == [p.id for p in pages]


def test_max_comments_applies_to_html() -> None:
    items = "".join(
        f'<li class="comment" id="comment-{i}"><cite class="fn">U{i}</cite><p>c{i}</p></li>'
        for i in range(50)
    )
    html = (
        _WP.split('<div id="comments">')[0] + f'<ol class="commentlist">{items}</ol></body></html>'
    )
    document = segment_page(Page(origin="x", html=html), max_comments=5)
    assert len(document.comments) == 5


# ── golden pages ─────────────────────────────────────────────────────────────────────────


def _golden_document(spec: dict[str, Any], expected_path: Path) -> Document:
    name = expected_path.name.removesuffix(".expected.json")
    source = ROOT / spec["source"] if "source" in spec else _sibling(expected_path, name)
    items = list(read_pages([source]))
    if "line" in spec:
        items = [i for i in items if i.origin.endswith(f":{spec['line']}")]
    (page,) = items
    assert isinstance(page, Page), page
    return segment_page(page)


def _sibling(expected_path: Path, name: str) -> Path:
    (source,) = [p for p in expected_path.parent.glob(f"{name}.*") if p != expected_path]
    return source


@pytest.mark.parametrize("expected_path", GOLDEN, ids=lambda p: p.name.split(".")[0])
def test_golden_page(expected_path: Path) -> None:
    spec = json.loads(expected_path.read_text(encoding="utf-8"))
    document = _golden_document(spec, expected_path)
    _assert_spans(document)
    body = "\n\n".join(_kinds(document, SegmentKind.BODY))
    boilerplate = _kinds(document, SegmentKind.BOILERPLATE)
    if "headline" in spec:
        assert document.headline == spec["headline"]
    if "headline_startswith" in spec:
        assert document.headline is not None
        assert document.headline.startswith(spec["headline_startswith"])
    if "published" in spec:
        expected = date.fromisoformat(spec["published"]) if spec["published"] else None
        assert document.published == expected
    if "published_source" in spec:
        assert document.published_source == spec["published_source"]
    if "url" in spec:
        assert document.url == spec["url"]
    for fragment in spec.get("body_contains", []):
        assert fragment in body, fragment
    for fragment in spec.get("body_excludes", []):
        assert fragment not in body, fragment
    if "body_ends_with" in spec:
        assert body.endswith(spec["body_ends_with"])
    for fragment in spec.get("boilerplate_contains", []):
        assert any(fragment in b for b in boilerplate), fragment
    authors = _kinds(document, SegmentKind.COMMENT_AUTHOR)
    for author in spec.get("comment_authors", []):
        assert author in authors
    if "comments" in spec:
        assert len(document.comments) == len(spec["comments"])
        for comment, want in zip(document.comments, spec["comments"], strict=True):
            _assert_comment(comment, want)
    if "comments_min" in spec:
        assert len(document.comments) >= spec["comments_min"]
    for want in spec.get("comments_contain", []):
        assert any(_matches(c, want) for c in document.comments), want


def _matches(comment: Any, want: dict[str, Any]) -> bool:
    return comment.author == want.get("author") and want["contains"] in comment.text


def _assert_comment(comment: Any, want: dict[str, Any]) -> None:
    assert comment.author == want.get("author")
    assert want["contains"] in comment.text
    if "reply_to" in want:
        assert comment.reply_to == want["reply_to"]
    if "timestamp" in want:
        assert comment.timestamp == want["timestamp"]


def test_there_are_enough_golden_pages() -> None:
    text_pages = [p for p in PAGES.glob("*.txt")]
    assert len(text_pages) >= 4 and len(GOLDEN) >= 10


_TAGS = st.sampled_from(
    [
        "<p>",
        "</p>",
        "<div class='comment'>",
        "</div>",
        "<li class='post'>",
        "<h1>",
        "</h1>",
        "<cite class='fn'>",
        "</cite>",
        "<html><body>",
        "</body></html>",
        "<figcaption>",
        "On Monday troops shelled the town, killing 3, police said. ",
        "Why?! ",
        "&amp;",
        "<",
    ]
)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(_TAGS, st.text(max_size=15)), max_size=40).map("".join))
def test_property_arbitrary_html_never_raises(html: str) -> None:
    document = segment_page(Page(origin="fuzz.html", html=html))
    _assert_spans(document)
