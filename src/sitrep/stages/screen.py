"""The screen stage: score every reader comment for abuse and queue it (ok / review / remove).

Only comments are screened, never the article: reporting of violence is not abuse, and the
body goes to the event extractors instead. The screener is English only, so comments of
documents in other languages are left unscreened (``Comment.screening`` None). A document
whose article gave no language (no body: a comments-only page) is judged by its comments.
See docs/decisions/0007-comments-and-moderation.md.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Self

from sitrep.errors import ConfigError
from sitrep.records import Comment, Decision, Document, Screening
from sitrep.screen import REMOVE_AT, REVIEW_AT, Screener
from sitrep.settings import Settings
from sitrep.stages.language import LanguageStage

# Worst first: the decision of a comment screened in windows is its worst window's.
_SEVERITY = {Decision.OK: 0, Decision.REVIEW: 1, Decision.REMOVE: 2}
_SPACE = re.compile(r"\s")


class ScreenStage:
    """Document → Document whose comments carry their ``screening``.

    Args:
        screener: a loaded screener (tests inject one); None loads the shipped model in setup().
        review_at / remove_at: the screener's thresholds (settings screen.review_at/remove_at).
        model_path: a ``model.npz`` to load instead of the shipped one.
        languages: document languages whose comments are screened (the model is English).
        batch_size: comments (or comment windows) per vectorised screening pass.
        window_chars: longer comments are screened in overlapping windows of this size,
            so that one huge comment cannot blow up the model's memory.
        max_chars: characters of one comment screened at most; a longer comment is screened
            on its start and goes to review at least, since the rest was not read.
    """

    name = "screen"
    requires: tuple[str, ...] = ("comments", "language")
    produces: tuple[str, ...] = ("comments",)

    def __init__(
        self,
        screener: Screener | None = None,
        *,
        review_at: float = REVIEW_AT,
        remove_at: float = REMOVE_AT,
        model_path: Path | None = None,
        languages: Sequence[str] = ("en",),
        batch_size: int = 256,
        window_chars: int = 4_000,
        max_chars: int = 20_000,
    ) -> None:
        if not 0.0 < review_at <= remove_at <= 1.0:
            raise ConfigError(
                "screen.review_at and screen.remove_at need 0 < review_at <= remove_at <= 1, "
                f"got {review_at} and {remove_at}"
            )
        if batch_size < 1 or window_chars < 100 or max_chars < window_chars:
            raise ConfigError(
                f"screen stage needs batch_size >= 1, window_chars >= 100 and "
                f"max_chars >= window_chars, got {batch_size}, {window_chars}, {max_chars}"
            )
        self.screener = screener
        self.review_at = review_at
        self.remove_at = remove_at
        self.model_path = model_path
        self.languages = frozenset(code.strip().lower() for code in languages if code.strip())
        self.batch_size = batch_size
        self.window_chars = window_chars
        self.max_chars = max_chars
        self._detector: LanguageStage | None = None

    @classmethod
    def from_settings(cls, settings: Settings) -> Self:
        """Build the stage from ``screen.*`` settings."""
        path = str(settings["screen.model_path"]).strip()
        return cls(
            review_at=float(settings["screen.review_at"]),
            remove_at=float(settings["screen.remove_at"]),
            model_path=Path(path) if path else None,
        )

    def setup(self) -> None:
        """Load the screening model once per process."""
        self._loaded()

    def _loaded(self) -> Screener:
        if self.screener is None:
            self.screener = Screener.load(
                self.model_path, review_at=self.review_at, remove_at=self.remove_at
            )
        return self.screener

    def __call__(self, batch: Sequence[Document]) -> list[Document]:
        """Screen the comments of every document of the batch in shared vectorised passes."""
        wanted = [self.wants(d) for d in batch]
        comments = [c for d, w in zip(batch, wanted, strict=True) if w for c in d.comments]
        screenings = iter(self.screen_comments(comments))
        out: list[Document] = []
        for document, want in zip(batch, wanted, strict=True):
            if not want:
                out.append(document)
                continue
            screened = tuple(replace(c, screening=next(screenings)) for c in document.comments)
            out.append(replace(document, comments=screened))
        return out

    def wants(self, document: Document) -> bool:
        """Return True when the document's comments are to be screened."""
        if not document.comments:
            return False
        language = document.language
        if language is None:
            # No article to tell the language (no body): the comments tell it instead.
            if self._detector is None:
                self._detector = LanguageStage()
            sample = " ".join(c.text for c in document.comments[:50])
            language = self._detector.detect(sample[: self._detector.max_chars]).language
        return (language or "").lower() in self.languages

    def screen_comments(self, comments: Sequence[Comment]) -> list[Screening]:
        """Screen comments (long ones in windows), ``batch_size`` texts per model pass."""
        screener = self._loaded()
        pieces: list[tuple[int, int, str]] = []  # (comment index, offset, text)
        for i, comment in enumerate(comments):
            head = comment.text[: self.max_chars]
            pieces.extend((i, offset, text) for offset, text in windows(head, self.window_chars))
        results: list[Screening] = []
        for start in range(0, len(pieces), self.batch_size):
            chunk = pieces[start : start + self.batch_size]
            results.extend(screener.screen_many(text for _, _, text in chunk))
        by_comment: list[list[tuple[int, Screening]]] = [[] for _ in comments]
        for (i, offset, _), screening in zip(pieces, results, strict=True):
            by_comment[i].append((offset, screening))
        return [
            merge(parts, cut=len(c.text) > self.max_chars)
            for c, parts in zip(comments, by_comment, strict=True)
        ]


def windows(text: str, size: int) -> list[tuple[int, str]]:
    """Cut ``text`` into windows of at most ``size`` characters, as (offset, text).

    Windows end at whitespace where they can and overlap by a tenth of ``size``, so that a
    word or a short phrase cut by one window is whole in the next.
    """
    if len(text) <= size:
        return [(0, text)]
    overlap = size // 10
    out: list[tuple[int, str]] = []
    start = 0
    while True:
        end = min(len(text), start + size)
        if end < len(text):
            # The last whitespace in the window's second half, if any.
            spaces = [m.start() for m in _SPACE.finditer(text, start + size // 2, end)]
            if spaces:
                end = spaces[-1]
        out.append((start, text[start:end]))
        if end >= len(text):
            return out
        start = max(end - overlap, start + 1)


def merge(parts: Sequence[tuple[int, Screening]], *, cut: bool = False) -> Screening:
    """Merge the screenings of one comment's windows: highest scores, all spans, worst decision.

    Args:
        parts: (window offset in the comment, screening of that window), at least one.
        cut: the comment was longer than what was screened: it goes to review at least.
    """
    if len(parts) == 1 and not cut:
        return parts[0][1]
    scores: dict[str, float] = {}
    spans: dict[tuple[str, int, int], str] = {}
    decision = Decision.REVIEW if cut else Decision.OK
    for offset, screening in parts:
        for label, value in screening.scores:
            scores[label] = max(value, scores.get(label, value))
        for label, start, end, text in screening.spans:
            # Overlapping windows find the same hit twice: keep one.
            spans.setdefault((label, start + offset, end + offset), text)
        if _SEVERITY[screening.decision] > _SEVERITY[decision]:
            decision = screening.decision
    return Screening(
        scores=tuple(scores.items()),
        spans=tuple(
            (label, start, end, text)
            for (label, start, end), text in sorted(spans.items(), key=lambda kv: kv[0][1:])
        ),
        decision=decision,
        model=parts[0][1].model,
    )
