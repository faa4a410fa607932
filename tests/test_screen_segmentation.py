"""Line gold of flattened pages: it parses, it matches the pages, and the segmenter keeps its level.

The figures themselves come from bench/segmentation_eval.py (docs/comments.md); these tests
guard the gold files and stop a rule change from silently losing ground.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _eval_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "segmentation_eval", ROOT / "bench" / "segmentation_eval.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("segmentation_eval", module)
    spec.loader.exec_module(module)
    return module


EVAL = _eval_module()


def _source_of(name: str) -> Path:
    (source,) = [
        p
        for p in (ROOT / "tests/data/pages" / f"{name}.txt", ROOT / "examples" / f"{name}.txt")
        if p.is_file()
    ]
    return source


@pytest.mark.parametrize("path", sorted(EVAL.DEV.glob("*.gold.txt")), ids=lambda p: p.name)
def test_dev_gold_is_the_page_itself(path: Path) -> None:
    page = EVAL.read_gold(path)
    source = _source_of(page.name).read_text(encoding="utf-8")
    assert page.text.rstrip("\n") == source.rstrip("\n")
    assert {"headline", "body"} <= set(page.labels)


def test_gold_only_dev_pages_are_many_and_varied() -> None:
    # lines-2: written 2026-11-25 as dev pages (tuned on), in many comment-system styles.
    pages = EVAL.load(EVAL.DEV_2)
    assert len(pages) >= 20
    with_comments = [p for p in pages if "comment" in p.labels]
    assert len(with_comments) >= 15
    assert len(pages) - len(with_comments) >= 5
    assert all(p.labels[0] == "headline" and "body" in p.labels for p in pages)
    # Some threads have no author lines at all: the layout and register have to find them.
    assert sum("author" not in p.labels for p in with_comments) >= 2
    assert {p.name for p in EVAL.load_dev()} >= {p.name for p in pages}


def test_there_are_enough_heldout_pages_with_comments_and_without() -> None:
    pages = EVAL.load(EVAL.HELDOUT)
    assert len(pages) >= 8
    assert sum("comment" in p.labels for p in pages) >= 7
    assert any("comment" not in p.labels for p in pages)


def test_second_heldout_set_is_varied_and_blind() -> None:
    pages = EVAL.load(EVAL.HELDOUT_2)
    assert len(pages) >= 12
    with_comments = [p for p in pages if "comment" in p.labels]
    assert len(with_comments) >= 10 and len(with_comments) < len(pages)
    # 5 to 30 comments a page: counted as author lines, or comment blocks where there are none.
    for page in with_comments:
        authors = page.labels.count("author") or page.labels.count("comment")
        assert 5 <= authors <= 30, page.name
    # Its misses stay out of the written figures unless asked for.
    assert "--show-heldout-2-misses" in EVAL.__doc__


def test_bad_gold_lines_are_refused(tmp_path: Path) -> None:
    bad = tmp_path / "x.gold.txt"
    bad.write_text("H| Title\n\nQ| what is this\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"x\.gold\.txt:3"):
        EVAL.read_gold(bad)


def test_a_wrong_label_is_counted_as_a_miss() -> None:
    page = EVAL.read_gold(EVAL.DEV / "saada-reply-chain.gold.txt")
    flipped = tuple("comment" if label == "body" else label for label in page.labels)
    result = EVAL.score([EVAL.GoldPage(page.name, page.text, flipped)])
    assert result["comment_lines_found"] <= 0.5 and len(result["misses"]) == 4


def test_dev_pages_meet_the_targets() -> None:
    result = EVAL.score(EVAL.load_dev())
    assert result["comment_lines_found"] >= 0.95
    assert result["body_lines_kept"] >= 0.98


def test_heldout_1_pages_meet_the_targets() -> None:
    # Blind first run 0.871 / 1.0; tuned on from 2026-11-25 (docs/comments.md), so a dev figure.
    result = EVAL.score(EVAL.load(EVAL.HELDOUT))
    assert result["body_lines_kept"] >= 0.98
    assert result["comment_lines_found"] >= 0.95


def test_heldout_2_pages_do_not_lose_ground() -> None:
    # Never tuned on: only its totals are read (0.859 comment lines found, 1.0 body lines kept
    # on 2026-11-25, before and after the heldout-1 rules; 1.0 / 1.0 after the lines-2 rules,
    # measured blind, docs/comments.md §3). A failure here means a rule change lost ground;
    # fix it from dev pages, not from this set's misses.
    result = EVAL.score(EVAL.load(EVAL.HELDOUT_2))
    assert result["body_lines_kept"] >= 0.98
    assert result["comment_lines_found"] >= 0.95


def test_every_gold_body_line_screens_ok() -> None:
    from sitrep.screen import Decision, Screener

    lines = [
        line
        for page in EVAL.load_dev() + EVAL.load(EVAL.HELDOUT)
        for label, line in zip(page.labels, page.text.split("\n"), strict=False)
        if label in ("headline", "body")
    ]
    assert len(lines) >= 100
    screened = Screener.load().screen_many(lines)
    flagged = [(s.decision, line) for s, line in zip(screened, lines, strict=True)]
    assert [f for f in flagged if f[0] != Decision.OK] == []
