"""Tests for the language stage: detection on headline + body, unsupported languages set aside."""

from __future__ import annotations

import json
import socket
from dataclasses import replace
from pathlib import Path

import pytest

from sitrep.records import Document, DocumentStatus, Page, Segment, SegmentKind
from sitrep.settings import Settings
from sitrep.stages.language import LanguageStage, article_text
from sitrep.stages.read import read_pages
from sitrep.stages.segment import build_document, segment_page
from sitrep.stages.segment_text import CommentPart, PageParts

ENGLISH = (
    "Gunmen attacked a police station in the north of the country on Tuesday, killing three "
    "officers, a police spokesman said."
)
FRENCH = (
    "Des hommes armés ont attaqué mardi un poste de police dans le nord du pays, tuant trois "
    "policiers, a indiqué un porte-parole."
)


def _document(
    body: str, *, comments: tuple[str, ...] = (), headline: str | None = None
) -> Document:
    parts = PageParts(
        headline=headline, body=(body,), comments=tuple(CommentPart(c) for c in comments)
    )
    return build_document(parts, document_id="d", origin="o")


@pytest.fixture(scope="module")
def stage() -> LanguageStage:
    stage = LanguageStage()
    stage.setup()
    return stage


def test_english_stays_pending(stage: LanguageStage) -> None:
    (document,) = stage([_document(ENGLISH)])
    assert document.language == "en" and document.language_score is not None
    assert document.language_score > 0.8
    assert document.status is DocumentStatus.PENDING and document.status_reason is None


def test_french_is_unsupported_with_reason(stage: LanguageStage) -> None:
    (document,) = stage([_document(FRENCH, headline="Attaque contre un poste de police")])
    assert document.language == "fr"
    assert document.status is DocumentStatus.UNSUPPORTED_LANGUAGE
    assert document.status_reason is not None
    assert document.status_reason.startswith("language 'fr' (score 0.")
    assert document.status_reason.endswith("is not supported; supported: en")


def test_comments_do_not_decide_the_language(stage: LanguageStage) -> None:
    comments = tuple([FRENCH] * 20)
    (document,) = stage([_document(ENGLISH, comments=comments)])
    assert document.language == "en" and document.status is DocumentStatus.PENDING


def test_article_text_is_headline_and_body_only() -> None:
    document = _document("Body.", comments=("Comment.",), headline="Head")
    assert article_text(document) == "Head Body."
    assert article_text(document, max_chars=3) == "Hea"


def test_documents_not_pending_pass_through(stage: LanguageStage) -> None:
    document = replace(_document(FRENCH), status=DocumentStatus.NO_BODY)
    assert stage([document]) == [document]


def test_supported_setting_accepts_other_languages(settings: Settings) -> None:
    stage = LanguageStage.from_settings(settings.replace(language__supported="en, fr"))
    stage.setup()
    (document,) = stage([_document(FRENCH)])
    assert stage.supported == ("en", "fr")
    assert document.language == "fr" and document.status is DocumentStatus.PENDING


def test_text_without_letters_has_no_language(stage: LanguageStage) -> None:
    document = Document(
        id="d", origin="o", text="12 34", segments=(Segment(SegmentKind.BODY, 0, 5, "12 34"),)
    )
    (out,) = stage([document])
    assert out.language is None and out.status is DocumentStatus.PENDING


def test_low_score_ascii_text_falls_back_to_english() -> None:
    stage = LanguageStage(min_score=1.01)  # every score is below the floor
    stage.setup()
    guess = stage.detect("Kani Yinmabin Sagaing Pale")
    assert guess.language == "en"
    assert stage.detect("Харків Київ Одеса").language != "en"


def test_detection_never_touches_the_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("language detection tried to use the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    stage = LanguageStage()
    stage.setup()
    assert stage.detect(ENGLISH).language == "en"


def test_stage_protocol() -> None:
    stage = LanguageStage()
    assert stage.name == "language" and "language" in stage.produces
    assert stage([]) == []


def test_golden_pages_language_and_status(stage: LanguageStage) -> None:
    root = Path(__file__).resolve().parents[1]
    checked = 0
    for expected_path in sorted((root / "tests" / "data" / "pages").glob("*.expected.json")):
        spec = json.loads(expected_path.read_text(encoding="utf-8"))
        if "language" not in spec:
            continue
        items = list(read_pages([root / spec["source"]]))
        if "line" in spec:
            items = [i for i in items if i.origin.endswith(f":{spec['line']}")]
        (page,) = items
        assert isinstance(page, Page)
        (document,) = stage([segment_page(page)])
        assert document.language == spec["language"], expected_path.name
        assert document.status.value == spec.get("status", "pending"), expected_path.name
        checked += 1
    assert checked >= 6
