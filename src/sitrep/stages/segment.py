"""The segment stage: cut a Page into headline, body, boilerplate and reader comments.

HTML goes through trafilatura (body, title, date) plus an lxml reader for comment markup
(author, position, reply nesting); plain text goes through ``segment_text``. Both end in the
same ``PageParts``, laid out as one ``Document.text`` that every span points into.
See docs/decisions/0002-segmentation.md.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Self

import trafilatura
from trafilatura.utils import load_html

from sitrep.records import Comment, Document, DocumentStatus, Page, Segment, SegmentKind
from sitrep.settings import Settings
from sitrep.stages.segment_text import CommentPart, PageParts, is_boilerplate, split_text

SEPARATOR = "\n\n"

_SPACE = re.compile(r"[ \t\f\v\u00a0\u200b]+")
_BLANK_LINES = re.compile(r"\n\s*\n+")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")
_BLOCK_TAG = re.compile(r"<(?:p|li|div|tr|br|h[1-6]|blockquote|section|article)\b", re.I)
# Above this many block tags trafilatura runs without its quadratic fallback extractor.
_MAX_FALLBACK_BLOCKS = 2_000


@dataclass(frozen=True)
class HtmlParts:
    """What an HTML page yields: its parts and the date its metadata gives."""

    parts: PageParts
    published: date | None


class SegmentStage:
    """Page → Document: headline, body, boilerplate and comments, with exact spans."""

    name = "segment"
    requires: tuple[str, ...] = ()
    produces: tuple[str, ...] = ("text", "headline", "segments", "comments", "published")

    def __init__(self, *, max_comments: int = 5000) -> None:
        self.max_comments = max_comments

    @classmethod
    def from_settings(cls, settings: Settings) -> Self:
        """Build the stage from ``segment.*`` settings."""
        return cls(max_comments=int(settings["segment.max_comments"]))

    def setup(self) -> None:
        """Nothing to load: trafilatura and lxml need no models."""

    def __call__(self, batch: Sequence[Page]) -> list[Document]:
        return [segment_page(page, max_comments=self.max_comments) for page in batch]


def segment_page(page: Page, *, max_comments: int = 5000) -> Document:
    """Segment one page into a Document; publication date: record > HTML metadata > user.

    The user's --published fills pages with no date of their own: docs/decisions/0001.
    """
    published, published_source = page.published, page.published_source
    if page.html is not None and page.html.strip():
        found = split_html(page.html, url=page.url, max_comments=max_comments)
        parts = found.parts
        if found.published is not None and published_source != "record":
            published, published_source = found.published, "html"
        if not parts.body and page.text is not None and page.text.strip():
            parts = split_text(page.text, max_comments=max_comments)
    else:
        parts = split_text(page.text or "", max_comments=max_comments)
    return build_document(
        parts,
        document_id=page.id,
        origin=page.origin,
        url=page.url,
        published=published,
        published_source=published_source,
    )


def build_document(
    parts: PageParts,
    *,
    document_id: str,
    origin: str,
    url: str | None = None,
    published: date | None = None,
    published_source: str | None = None,
) -> Document:
    """Lay parts out as headline, body, boilerplate, comments joined by blank lines."""
    chunks: list[str] = []
    segments: list[Segment] = []
    comments: list[Comment] = []
    length = 0

    def place(kind: SegmentKind, piece: str) -> Segment:
        nonlocal length
        if chunks:
            chunks.append(SEPARATOR)
            length += len(SEPARATOR)
        segment = Segment(kind=kind, start=length, end=length + len(piece), text=piece)
        chunks.append(piece)
        length += len(piece)
        segments.append(segment)
        return segment

    headline = _clean(parts.headline) if parts.headline else None
    if headline:
        place(SegmentKind.HEADLINE, headline)
    for paragraph in parts.body:
        if piece := _clean(paragraph):
            place(SegmentKind.BODY, piece)
    for furniture in parts.boilerplate:
        if piece := _clean(furniture):
            place(SegmentKind.BOILERPLATE, piece)
    for part in parts.comments:
        text = _clean(part.text)
        if not text:
            continue
        author = _clean(part.author) if part.author else None
        if author:
            place(SegmentKind.COMMENT_AUTHOR, author)
        segment = place(SegmentKind.COMMENT, text)
        reply_to = part.reply_to
        if reply_to is not None and not 0 <= reply_to < len(comments):
            reply_to = None
        comments.append(
            Comment(
                position=len(comments),
                text=text,
                start=segment.start,
                end=segment.end,
                author=author or None,
                reply_to=reply_to,
                timestamp=part.timestamp,
            )
        )
    has_body = any(s.kind is SegmentKind.BODY for s in segments)
    return Document(
        id=document_id,
        origin=origin,
        text="".join(chunks),
        url=url,
        published=published,
        published_source=published_source if published is not None else None,
        headline=headline or None,
        segments=tuple(segments),
        comments=tuple(comments),
        status=DocumentStatus.PENDING if has_body else DocumentStatus.NO_BODY,
        status_reason=None if has_body else "no article body found on the page",
    )


def _clean(text: str) -> str:
    """Collapse runs of spaces and blank lines, keeping single line breaks."""
    text = _SPACE.sub(" ", text)
    text = "\n".join(line.strip() for line in text.split("\n"))
    return _BLANK_LINES.sub("\n\n", text).strip()


# ── HTML ─────────────────────────────────────────────────────────────────────────────────


def split_html(html: str, *, url: str | None = None, max_comments: int = 5000) -> HtmlParts:
    """Cut an HTML page into parts: trafilatura for the article, lxml for comment markup."""
    extracted = _extract(html, url=url)
    title = _attr(extracted, "title")
    body_text = _attr(extracted, "text") or ""
    tree = _parse(html)
    comments = read_comments(tree, max_comments=max_comments) if tree is not None else []
    dropped = 0
    if len(comments) > max_comments:
        dropped = len(comments) - max_comments
        comments = comments[:max_comments]
    if not comments:
        comments = [
            CommentPart(text=line)
            for line in (_attr(extracted, "comments") or "").split("\n")
            if line.strip()
        ][:max_comments]
    comment_texts = {_clean(c.text) for c in comments}
    comment_lines = {line for c in comment_texts for line in c.split("\n")}
    body: list[str] = []
    boilerplate: list[str] = []
    for line in body_text.split("\n"):
        piece = _clean(line)
        if not piece or piece == title or piece in comment_lines:
            continue
        (boilerplate if is_boilerplate(piece) else body).append(piece)
    if tree is not None:
        seen = set(body) | set(boilerplate)
        boilerplate.extend(c for c in read_captions(tree) if c not in seen)
    return HtmlParts(
        parts=PageParts(
            headline=title,
            body=tuple(body),
            boilerplate=tuple(dict.fromkeys(boilerplate)),
            comments=tuple(comments),
            dropped_comments=dropped,
        ),
        published=_iso_date(_attr(extracted, "date")),
    )


def _extract(html: str, *, url: str | None) -> Any:
    """Run trafilatura; without metadata when its date finder breaks on the page's tree."""
    # trafilatura's fallback extractor (jusText) is quadratic in paragraphs: a page with
    # thousands of comments took a minute. Such pages skip the fallback (docs/reliability.md).
    fast = _count_blocks(html) > _MAX_FALLBACK_BLOCKS
    try:
        return trafilatura.bare_extraction(
            html,
            url=url,
            include_comments=True,
            with_metadata=True,
            include_tables=False,
            fast=fast,
        )
    except AssertionError:
        # htmldate's cleaner asserts that every element has a parent, which fails on some
        # malformed trees (an <html> inside <svg>); lose the metadata, not the page.
        # Found by tests/test_fuzz_readers.py; docs/reliability.md.
        return trafilatura.bare_extraction(
            html,
            url=url,
            include_comments=True,
            with_metadata=False,
            include_tables=False,
            fast=fast,
        )


def _count_blocks(html: str) -> int:
    return sum(1 for _ in _BLOCK_TAG.finditer(html))


def _attr(extracted: Any, name: str) -> str | None:
    value = getattr(extracted, name, None) if extracted is not None else None
    return value if isinstance(value, str) and value.strip() else None


def _iso_date(value: str | None) -> date | None:
    match = _ISO_DATE.match(value or "")
    if match is None:
        return None
    try:
        return date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None


def _parse(html: str) -> Any:
    # trafilatura's loader: the same lxml parser and repairs its extractor uses.
    return load_html(html)


_CLASS = "concat(' ', normalize-space(@class), ' ')"
# Comment items: WordPress li.comment / #comment-N, Disqus li.post, and any element whose
# class names a single comment ("comment", "comment-item", "comment_entry", …).
_ITEM_XPATH = (
    f"//*[contains({_CLASS}, ' comment ') or contains({_CLASS}, ' comment-item ')"
    f" or contains({_CLASS}, ' comment-entry ') or contains({_CLASS}, ' comment_entry ')"
    f" or contains({_CLASS}, ' media-comment ') or contains({_CLASS}, ' single-comment ')"
    " or re:test(@id, '^(li-)?comment[-_]?\\d+$', 'i')"
    f" or (self::li and contains({_CLASS}, ' post ')"
    " and ancestor::*[@id='disqus_thread' or contains(@class, 'post-list')])]"
)
_NS = {"re": "http://exslt.org/regular-expressions"}
_AUTHOR_HINTS = ("comment-author", "author", "fn", "username", "user-name", "byline", "nick")
_TEXT_HINTS = (
    "comment-content",
    "comment-text",
    "comment_text",
    "commenttext",
    "post-message",
    "comment-body",
    "message",
    "content",
    "text",
    "body",
)
_CHROME_HINTS = ("reply", "meta", "vote", "actions", "footer", "share", "report", "author", "fn")
_NEVER_TEXT = {"script", "style", "form", "button", "noscript", "template"}


def read_comments(tree: Any, *, max_comments: int = 5000) -> list[CommentPart]:
    """Read reader comments from comment markup, in page order, with author and nesting."""
    candidates = tree.xpath(_ITEM_XPATH, namespaces=_NS)
    items = [c for c in candidates if not _is_container(c)]
    keep = set(items)
    index: dict[Any, int] = {}
    comments: list[CommentPart] = []
    for item in items:
        # Count one past the limit so the caller knows some were dropped, then stop.
        if len(comments) > max_comments:
            break
        text = _comment_text(item, keep)
        if not text:
            continue
        parent = _parent_item(item, keep)
        reply_to = index.get(parent) if parent is not None else None
        index[item] = len(comments)
        comments.append(
            CommentPart(
                text=text,
                author=_find_text(item, keep, _AUTHOR_HINTS, tags=("cite", "b")),
                timestamp=_timestamp(item, keep),
                reply_to=reply_to,
            )
        )
    return comments


def _is_container(element: Any) -> bool:
    """A list of comments or a wrapper around one comment item is not a comment itself."""
    tag = element.tag if isinstance(element.tag, str) else ""
    return tag in {"ol", "ul", "section"}


def _parent_item(element: Any, keep: set[Any]) -> Any:
    for ancestor in element.iterancestors():
        if ancestor in keep:
            return ancestor
    return None


def _own(element: Any, keep: set[Any]) -> Iterable[Any]:
    """The element's descendants, skipping nested comment items (replies)."""
    stack = list(reversed(list(element)))
    while stack:
        node = stack.pop()
        if node in keep or not isinstance(node.tag, str):
            continue
        yield node
        stack.extend(reversed(list(node)))


def _classes(node: Any) -> str:
    return f"{node.get('class', '')} {node.get('id', '')}".lower()


def _find_text(
    item: Any, keep: set[Any], hints: Sequence[str], *, tags: Sequence[str] = ()
) -> str | None:
    nodes = list(_own(item, keep))
    for hint in hints:
        for node in nodes:
            named = hint in _classes(node).split() or node.get("itemprop") == hint
            if named and (text := _clean(node.text_content())):
                return _strip_says(text)
    for node in nodes:
        if node.tag in tags and (text := _clean(node.text_content())):
            return _strip_says(text)
    return None


def _strip_says(author: str) -> str:
    return re.sub(r"\s+(?:says|said|wrote)\s*:?\s*$", "", author, flags=re.I).strip()


def _timestamp(item: Any, keep: set[Any]) -> str | None:
    for node in _own(item, keep):
        if node.tag == "time":
            value = node.get("datetime") or _clean(node.text_content())
            if value:
                return str(value)
        if "time-ago" in _classes(node) or "timestamp" in _classes(node):
            value = node.get("title") or _clean(node.text_content())
            if value:
                return str(value)
    return None


def _comment_text(item: Any, keep: set[Any]) -> str:
    nodes = list(_own(item, keep))
    for hint in _TEXT_HINTS:
        for node in nodes:
            names = _classes(node).split()
            if hint in names or any(n.startswith(hint + "-") and hint != "comment" for n in names):
                text = _paragraphs(node, keep)
                if text:
                    return text
    return _paragraphs(item, keep, skip_chrome=True)


def _paragraphs(node: Any, keep: set[Any], *, skip_chrome: bool = False) -> str:
    """Text of a node with one line per block element, leaving out replies and chrome."""
    lines: list[str] = []
    current: list[str] = []

    def walk(element: Any) -> None:
        if element in keep and element is not node:
            return
        if not isinstance(element.tag, str) or element.tag in _NEVER_TEXT:
            if element.tail:
                current.append(element.tail)
            return
        if (
            skip_chrome
            and element is not node
            and any(
                h in _classes(element).split() or any(h in c for c in _classes(element).split())
                for h in _CHROME_HINTS
            )
        ):
            if element.tail:
                current.append(element.tail)
            return
        block = element.tag in {"p", "div", "li", "br", "blockquote", "article", "section"}
        if block:
            _flush(lines, current)
        if element.text:
            current.append(element.text)
        for child in element:
            walk(child)
        if block:
            _flush(lines, current)
        if element.tail and element is not node:
            current.append(element.tail)

    walk(node)
    _flush(lines, current)
    return "\n".join(lines)


def _flush(lines: list[str], current: list[str]) -> None:
    text = _clean("".join(current)).replace("\n", " ")
    if text:
        lines.append(text)
    current.clear()


def read_captions(tree: Any) -> list[str]:
    """Captions and credits of images: figcaption and elements classed caption/credit."""
    found: list[str] = []
    taken: set[Any] = set()
    xpath = (
        "//figcaption | //*[contains(@class, 'caption') or contains(@class, 'credit')"
        " or contains(@class, 'share') or contains(@class, 'social')]"
    )
    for node in tree.xpath(xpath):
        if any(a in taken for a in node.iterancestors()):
            continue
        taken.add(node)
        # Join text nodes with spaces: share bars are lists of bare words.
        text = " ".join(_clean(" ".join(node.itertext())).split())
        if text and len(text) < 600 and text not in found:
            found.append(text)
    return found
