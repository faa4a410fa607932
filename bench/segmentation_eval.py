"""Line-level accuracy of the plain-text segmenter: comment lines found, body lines kept.

    .venv/bin/python bench/segmentation_eval.py [--out bench/results/segmentation.json]

Gold, three splits:

- ``dev``: ``tests/data/pages/lines/*.gold.txt``, the flattened golden pages the rules were
  written against, and ``tests/data/pages/lines-2/*.gold.txt``, gold-only pages in many
  comment-system styles added on 2026-11-25 (tuned on);
- ``heldout-1``: ``tests/data/segmentation-heldout/*.gold.txt``, written blind and first measured
  on 2026-11-25; rules were tuned on its misses from that date, so it is a dev figure since;
- ``heldout-2``: ``tests/data/segmentation-heldout-2/*.gold.txt``, written on 2026-11-25 before
  that tuning and never tuned on. Only its totals are printed and its misses are left out of the
  JSON (``--show-heldout-2-misses`` prints them: whoever reads them must retire the set).

Each file is the page, one line per line, each non-blank line
prefixed with its label (H headline, B body, X boilerplate, A author, C comment, M thread
chrome) and ``| ``; see tests/data/segmentation-heldout/README.md.

Each page is cut by ``sitrep.stages.segment_text.split_text`` and every output piece is located
back in the page (in page order, first unclaimed occurrence), so every page line gets the label
of the piece that covers most of its characters — or "dropped" when nothing covers it.
Reported per split: comment lines found (gold C labelled comment), body lines kept (gold B
labelled body), author lines found, comment lines leaked into the body, body lines lost to
comments, furniture (X, M) kept out of body and comments, and every miss with its line. When
``/work/shared/eval`` is present, also how many TR-News articles (real news, no comments) lose
body text to comments.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sitrep.stages.segment_text import split_text

ROOT = Path(__file__).resolve().parents[1]
TR_NEWS = ROOT.parent / "shared" / "eval" / "tr-news-geoparsing.xml"  # real news, no comments
DEV = ROOT / "tests" / "data" / "pages" / "lines"
# Gold-only dev pages: the page is the gold file with its prefixes removed.
DEV_2 = ROOT / "tests" / "data" / "pages" / "lines-2"
HELDOUT = ROOT / "tests" / "data" / "segmentation-heldout"
HELDOUT_2 = ROOT / "tests" / "data" / "segmentation-heldout-2"
TUNED_FROM = "2026-11-25"  # heldout-1's misses were read, and rules tuned on them, from this date
CODES = {
    "H": "headline",
    "B": "body",
    "X": "boilerplate",
    "A": "author",
    "C": "comment",
    "M": "chrome",
}


@dataclass(frozen=True)
class GoldPage:
    """A flattened page and the gold label of each of its lines (None for blank lines)."""

    name: str
    text: str
    labels: tuple[str | None, ...]


def read_gold(path: Path) -> GoldPage:
    """Parse a ``*.gold.txt`` file into the page text and its line labels."""
    lines: list[str] = []
    labels: list[str | None] = []
    for number, raw in enumerate(path.read_text(encoding="utf-8").split("\n"), 1):
        if not raw.strip():
            lines.append("")
            labels.append(None)
            continue
        code, sep, line = raw.partition("| ")
        if not sep or code not in CODES:
            raise ValueError(f"{path}:{number}: expected 'CODE| text', got {raw[:40]!r}")
        lines.append(line)
        labels.append(CODES[code])
    while lines and not lines[-1]:
        lines.pop()
        labels.pop()
    return GoldPage(path.name.removesuffix(".gold.txt"), "\n".join(lines) + "\n", tuple(labels))


def predicted_labels(text: str) -> list[str | None]:
    """Label each line of ``text`` by what split_text made of it (None for blank lines)."""
    parts = split_text(text)
    owner: list[str | None] = [None] * len(text)
    cursors: Counter[str] = Counter()

    def claim(fragment: str | None, label: str) -> None:
        for piece in (fragment or "").split("\n"):
            piece = piece.strip()
            if not piece:
                continue
            start = _unclaimed(text, piece, owner, cursors[label])
            if start is None:
                start = _unclaimed(text, piece, owner, 0)
            if start is None:
                continue
            for i in range(start, start + len(piece)):
                if owner[i] is None:
                    owner[i] = label
            cursors[label] = start + len(piece)

    # Longest pieces first, so that a short one ("Reply") cannot take a comment's place.
    for comment in parts.comments:
        claim(comment.text, "comment")
    for block in parts.body:
        claim(block, "body")
    claim(parts.headline, "headline")
    for block in parts.boilerplate:
        claim(block, "boilerplate")
    for comment in parts.comments:
        claim(comment.author, "author")
        claim(comment.timestamp, "chrome")

    out: list[str | None] = []
    position = 0
    for line in text.split("\n"):
        span = range(position, position + len(line))
        position += len(line) + 1
        if not line.strip():
            out.append(None)
            continue
        votes = Counter(owner[i] for i in span if not text[i].isspace())
        votes.pop(None, None)
        out.append(votes.most_common(1)[0][0] if votes else "dropped")
    return out[: len(text.rstrip("\n").split("\n"))]


def _unclaimed(text: str, piece: str, owner: list[str | None], start: int) -> int | None:
    """First occurrence of ``piece`` at or after ``start`` that is not already fully claimed.

    An occurrence that is a whole line wins over one inside a longer line, so that a short
    piece ("16:05") is not credited to a line that merely contains it ("Updated 16:05 BST").
    """
    fallback: int | None = None
    at = text.find(piece, start)
    while at >= 0:
        if any(owner[i] is None for i in range(at, at + len(piece))):
            if _whole_line(text, at, at + len(piece)):
                return at
            if fallback is None:
                fallback = at
        at = text.find(piece, at + 1)
    return fallback


def _whole_line(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] is a line of text, give or take surrounding spaces."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    return not text[line_start:start].strip() and not text[end:line_end].strip()


def score(pages: Sequence[GoldPage]) -> dict[str, Any]:
    """Confusion counts and the headline rates over a set of pages."""
    confusion: Counter[tuple[str, str]] = Counter()
    misses: list[dict[str, str]] = []
    for page in pages:
        predicted = predicted_labels(page.text)
        lines = page.text.split("\n")
        for gold, got, line in zip(page.labels, predicted, lines, strict=False):
            if gold is None:
                continue
            got = got or "dropped"
            confusion[(gold, got)] += 1
            furniture_ok = gold in ("boilerplate", "chrome") and got not in ("body", "comment")
            author_ok = gold == "author" and got == "author"
            if gold != got and not furniture_ok and not author_ok:
                misses.append({"page": page.name, "gold": gold, "got": got, "line": line[:100]})

    def total(gold: str) -> int:
        return sum(n for (g, _), n in confusion.items() if g == gold)

    def rate(gold: str, wanted: set[str]) -> float | None:
        n = total(gold)
        hit = sum(c for (g, p), c in confusion.items() if g == gold and p in wanted)
        return round(hit / n, 4) if n else None

    return {
        "pages": len(pages),
        "lines": {label: total(label) for label in CODES.values()},
        "comment_lines_found": rate("comment", {"comment"}),
        "body_lines_kept": rate("body", {"body"}),
        "author_lines_found": rate("author", {"author"}),
        "comment_lines_in_body": rate("comment", {"body", "headline"}),
        "body_lines_lost_to_comments": rate("body", {"comment", "author"}),
        "furniture_kept_out_of_text": _furniture(confusion),
        "confusion": {f"{g}->{p}": n for (g, p), n in sorted(confusion.items())},
        "misses": misses,
    }


def _furniture(confusion: Counter[tuple[str, str]]) -> float | None:
    n = sum(c for (g, _), c in confusion.items() if g in ("boilerplate", "chrome"))
    bad = sum(
        c
        for (g, p), c in confusion.items()
        if g in ("boilerplate", "chrome") and p in ("body", "comment")
    )
    return round(1 - bad / n, 4) if n else None


def load(folder: Path) -> list[GoldPage]:
    """Every gold page of a folder, by name."""
    return [read_gold(p) for p in sorted(folder.glob("*.gold.txt"))]


def load_dev() -> list[GoldPage]:
    """The dev pages: the golden pages' gold and the gold-only pages of ``lines-2``."""
    return load(DEV) + load(DEV_2)


def news_without_comments(path: Path) -> dict[str, Any] | None:
    """How many real news articles (TR-News, no comments) lose body text to comments.

    Each article is its title and its paragraphs, one block each; any comment found is text
    lost from the body. None when the file is not there (it lives outside the repository).
    """
    if not path.is_file():
        return None
    import xml.etree.ElementTree as ET

    articles = ET.parse(path).getroot().findall("article")
    losing: list[str] = []
    lost_chars = 0
    total_chars = 0
    for article in articles:
        title = (article.findtext("title") or "").strip()
        body = [p.strip() for p in (article.findtext("text") or "").split("\n") if p.strip()]
        total_chars += sum(len(p) for p in body)
        parts = split_text("\n\n".join([title, *body]))
        lost = sum(len(c.text) for c in parts.comments)
        if lost:
            losing.append(article.get("docid", "?"))
            lost_chars += lost
    return {
        "articles": len(articles),
        "articles_losing_body_to_comments": len(losing),
        "body_chars_lost": lost_chars,
        "body_chars": total_chars,
        "losing": losing,
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "bench/results/segmentation.json")
    parser.add_argument(
        "--dev-only",
        action="store_true",
        help="score dev and heldout-1 (the tuning data) only, print, write nothing",
    )
    parser.add_argument(
        "--show-heldout-2-misses",
        action="store_true",
        help="also print and store heldout-2's misses (it is then no longer held out)",
    )
    args = parser.parse_args(argv)
    if args.dev_only:
        _print("dev", score(load_dev()))
        _print("heldout-1", score(load(HELDOUT)))
        print("tr-news", news_without_comments(TR_NEWS))
        return 0
    blind = score(load(HELDOUT_2))
    if not args.show_heldout_2_misses:
        blind = {k: v for k, v in blind.items() if k != "misses"} | {
            "misses": f"{len(blind['misses'])} (not shown: the set is never tuned on)"
        }
    result = {
        "command": "python bench/segmentation_eval.py",
        "segmenter": "sitrep.stages.segment_text.split_text (rules)",
        "targets": {"comment_lines_found": 0.95, "body_lines_kept": 0.98},
        "protocol": "dev and heldout-1 are tuning data (heldout-1 was blind until its first run "
        f"and has been tuned on since {TUNED_FROM}); heldout-2 was written on {TUNED_FROM} "
        "before that tuning, is never tuned on, and only its totals are looked at",
        "dev": score(load_dev()) | {"gold": f"{DEV.relative_to(ROOT)}, {DEV_2.relative_to(ROOT)}"},
        "heldout-1": score(load(HELDOUT))
        | {
            "gold": str(HELDOUT.relative_to(ROOT)),
            "label": f"heldout-1 (tuned on from {TUNED_FROM})",
        },
        "heldout-2": blind
        | {"gold": str(HELDOUT_2.relative_to(ROOT)), "label": "heldout-2 (never tuned on)"},
        "tr-news": news_without_comments(TR_NEWS),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    for split in ("dev", "heldout-1", "heldout-2"):
        _print(result[split].get("label", split), result[split])
    print("tr-news (no comments)", result["tr-news"])
    return 0


def _print(split: str, r: dict[str, Any]) -> None:
    print(
        f"{split} pages {r['pages']:2d}  comment lines found {r['comment_lines_found']}  "
        f"body lines kept {r['body_lines_kept']}  authors {r['author_lines_found']}  "
        f"comment->body {r['comment_lines_in_body']}  "
        f"furniture out {r['furniture_kept_out_of_text']}"
    )
    for miss in r["misses"] if isinstance(r["misses"], list) else ():
        print(f"   {miss['page']}: {miss['gold']} -> {miss['got']}: {miss['line']}")


if __name__ == "__main__":
    sys.exit(main())
