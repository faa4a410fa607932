"""The nlp stage: loading the model, parsing body segments only."""

from __future__ import annotations

from datetime import date

import pytest

from sitrep.errors import ModelError
from sitrep.records import Document, DocumentStatus, Segment, SegmentKind
from sitrep.stages.nlp import NlpStage


def _document(status: DocumentStatus = DocumentStatus.PENDING) -> Document:
    head = "Clashes in the north"
    body = "Fighting broke out on Monday. Two soldiers died."
    comment = "Terrible news from the front."
    text = f"{head}\n\n{body}\n\n{comment}"
    b = text.index(body)
    c = text.index(comment)
    return Document(
        id="d1",
        origin="t",
        text=text,
        published=date(2024, 1, 2),
        segments=(
            Segment(SegmentKind.HEADLINE, 0, len(head), head),
            Segment(SegmentKind.BODY, b, b + len(body), body),
            Segment(SegmentKind.COMMENT, c, c + len(comment), comment),
        ),
        status=status,
    )


def test_missing_model_raises_model_error_saying_how_to_install() -> None:
    stage = NlpStage("no_such_model_xyz")
    with pytest.raises(ModelError, match="spacy download no_such_model_xyz"):
        stage.setup()


def test_max_chars_cuts_at_a_segment() -> None:
    stage = NlpStage(max_chars=10)
    segments = stage.segments_to_parse(_document())
    assert len(segments) == 1 and len(segments[0].text) == 10


@pytest.mark.slow
def test_parses_body_segments_only_with_offsets_into_document_text() -> None:
    stage = NlpStage()
    stage.setup()
    document = _document()
    [out] = stage([document])
    assert len(out.nlp_doc) == 1
    segment, doc = out.nlp_doc[0]
    assert segment.kind is SegmentKind.BODY
    sentences = list(doc.sents)
    assert len(sentences) == 2
    for sent in sentences:
        start = segment.start + sent.start_char
        assert out.text[start : start + len(sent.text)] == sent.text


@pytest.mark.slow
def test_skips_documents_that_are_not_pending() -> None:
    stage = NlpStage()
    document = _document(DocumentStatus.NO_BODY)
    [out] = stage([document])
    assert out.nlp_doc is None
