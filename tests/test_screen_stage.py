"""The screen stage: comments (never the article) screened in batches, English only."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sitrep.errors import ConfigError
from sitrep.pipeline import Pipeline
from sitrep.process import build_pipeline
from sitrep.records import (
    Comment,
    Decision,
    Document,
    DocumentStatus,
    Page,
    Screening,
    SegmentKind,
)
from sitrep.screen import Screener
from sitrep.settings import Settings
from sitrep.stages.language import LanguageStage
from sitrep.stages.screen import ScreenStage, merge, windows
from sitrep.stages.segment import SegmentStage, segment_page
from tests.conftest import WORKED_EXAMPLE


class SpyScreener(Screener):
    """The real screener, recording every text it is given and every batch size."""

    def __init__(self, base: Screener) -> None:
        super().__init__(
            base.model, base.lexicon, review_at=base.review_at, remove_at=base.remove_at
        )
        self.texts: list[str] = []
        self.batches: list[int] = []

    def screen_many(self, texts: Iterable[str]) -> list[Screening]:
        batch = list(texts)
        self.texts.extend(batch)
        self.batches.append(len(batch))
        return super().screen_many(batch)


@pytest.fixture(scope="module")
def screener() -> Screener:
    return Screener.load()


@pytest.fixture
def spy(screener: Screener) -> SpyScreener:
    return SpyScreener(screener)


@pytest.fixture(scope="module")
def example() -> Document:
    """The worked example, segmented and language-tagged (no spaCy)."""
    page = Page(origin=str(WORKED_EXAMPLE), text=WORKED_EXAMPLE.read_text(encoding="utf-8"))
    [document] = LanguageStage()([segment_page(page)])
    assert document.language == "en" and len(document.comments) == 6
    return document


def comment(position: int, text: str) -> Comment:
    return Comment(position=position, text=text, start=0, end=len(text))


def doc(doc_id: str, *texts: str, language: str | None = "en", **kw: Any) -> Document:
    comments = tuple(comment(i, t) for i, t in enumerate(texts))
    return Document(id=doc_id, origin=doc_id, text="", language=language, comments=comments, **kw)


def decision_of(document: Document, needle: str) -> Decision:
    [found] = [c for c in document.comments if needle in c.text]
    assert found.screening is not None
    return found.screening.decision


# -- the worked example -------------------------------------------------------------------


def test_worked_example_screens_comments_and_never_the_article(
    example: Document, spy: SpyScreener
) -> None:
    [out] = ScreenStage(spy)([example])
    article = [
        s.text for s in example.segments if s.kind in (SegmentKind.BODY, SegmentKind.HEADLINE)
    ]
    assert article and spy.texts == [c.text for c in example.comments]
    for paragraph in article:
        assert all(paragraph not in text for text in spy.texts)
    assert all(c.screening is not None for c in out.comments)
    # Everything but the comments is untouched.
    assert replace(out, comments=example.comments) == example


@pytest.mark.parametrize("needle", ["mother fuckers", "Fuck US", "israhellI", "f’king", "Cuckold"])
def test_worked_example_abusive_comments_are_queued(
    example: Document, screener: Screener, needle: str
) -> None:
    [out] = ScreenStage(screener)([example])
    assert decision_of(out, needle) in (Decision.REVIEW, Decision.REMOVE)


def test_worked_example_civil_question_is_ok(example: Document, screener: Screener) -> None:
    [out] = ScreenStage(screener)([example])
    assert decision_of(out, "Question No 1") is Decision.OK


def test_worked_example_spans_point_into_the_comment(example: Document, screener: Screener) -> None:
    [out] = ScreenStage(screener)([example])
    spans = [(c, span) for c in out.comments if c.screening for span in c.screening.spans]
    assert len(spans) >= 5
    for c, (_, start, end, text) in spans:
        assert c.text[start:end] == text


# -- which documents ----------------------------------------------------------------------


def test_documents_without_comments_pass_through_unchanged(spy: SpyScreener) -> None:
    plain = doc("a", status=DocumentStatus.PENDING)
    assert ScreenStage(spy)([plain]) == [plain]
    assert spy.texts == []


def test_other_languages_stay_unscreened(spy: SpyScreener) -> None:
    french = doc(
        "fr", "Vous êtes un idiot.", language="fr", status=DocumentStatus.UNSUPPORTED_LANGUAGE
    )
    [out] = ScreenStage(spy)([french])
    assert out == french and out.comments[0].screening is None
    assert spy.texts == []


def test_a_page_with_no_body_is_judged_by_its_comments(spy: SpyScreener) -> None:
    english = doc(
        "en",
        "Shut up, you are a complete moron and everybody here knows it.",
        "Thanks for the report, it was very useful to understand what happened.",
        language=None,
        status=DocumentStatus.NO_BODY,
    )
    french = doc(
        "fr",
        "Merci pour cet article, il explique très bien la situation dans la région.",
        language=None,
        status=DocumentStatus.NO_BODY,
    )
    out_en, out_fr = ScreenStage(spy)([english, french])
    assert [c.screening.decision for c in out_en.comments if c.screening] == [
        Decision.REVIEW,
        Decision.OK,
    ]
    assert out_fr.comments[0].screening is None


def test_one_batch_screens_all_documents_in_chunks(spy: SpyScreener) -> None:
    batch = [doc("a", "one", "two", "three"), doc("b"), doc("c", "four", "five")]
    chunked = ScreenStage(spy, batch_size=2)(batch)
    assert spy.batches == [2, 2, 1]
    whole = ScreenStage(spy)(batch)
    assert spy.batches[-1] == 5
    assert chunked == whole
    assert [len(d.comments) for d in whole] == [3, 0, 2]
    assert whole[1] is batch[1]


# -- settings and thresholds --------------------------------------------------------------


def test_settings_reach_the_screener(example: Document) -> None:
    strict = ScreenStage.from_settings(Settings({"screen.review_at": 0.2}))
    [out] = strict([example])
    # The civil comment scores about 0.3: below the default 0.5, above 0.2.
    assert decision_of(out, "Question No 1") is Decision.REVIEW


@pytest.mark.parametrize(("review_at", "remove_at"), [(0.9, 0.5), (0.0, 0.5), (0.5, 1.5)])
def test_bad_thresholds_are_config_errors(review_at: float, remove_at: float) -> None:
    with pytest.raises(ConfigError, match=r"screen\.review_at"):
        ScreenStage(review_at=review_at, remove_at=remove_at)


def test_a_missing_model_path_fails_at_setup(tmp_path: Any) -> None:
    from sitrep.errors import ModelError

    stage = ScreenStage.from_settings(
        Settings({"screen.model_path": str(tmp_path / "missing.npz")})
    )
    with pytest.raises(ModelError):
        stage.setup()


def test_default_pipeline_screens_after_language_and_before_nlp() -> None:
    names = [s.name for s in build_pipeline(Settings().as_dict()).stages]
    assert names.index("language") < names.index("screen") < names.index("nlp")


def test_comments_stay_screened_when_a_later_stage_fails(screener: Screener) -> None:
    class Boom:
        name = "boom"
        requires: tuple[str, ...] = ()
        produces: tuple[str, ...] = ()

        def setup(self) -> None:
            pass

        def __call__(self, batch: Sequence[Document]) -> list[Document]:
            raise RuntimeError("later stage broke")

    page = Page(origin="p", text=WORKED_EXAMPLE.read_text(encoding="utf-8"))
    pipeline = Pipeline([SegmentStage(), LanguageStage(), ScreenStage(screener), Boom()])
    result = pipeline.run([page])
    [document] = result.documents
    assert document.status is DocumentStatus.FAILED
    assert all(c.screening is not None for c in document.comments)


# -- long comments ------------------------------------------------------------------------

CIVIL = "The council met on Tuesday to discuss the new bridge and the budget. "


def test_abuse_at_the_end_of_a_long_comment_is_found_at_its_offset(
    screener: Screener,
) -> None:
    text = CIVIL * 40 + "Shut up you f*cking moron."
    stage = ScreenStage(screener, window_chars=1000, max_chars=10_000)
    [out] = stage([doc("long", text)])
    screening = out.comments[0].screening
    assert screening is not None and screening.decision is not Decision.OK
    assert {span[3] for span in screening.spans} >= {"f*cking", "moron"}
    for _, start, end, found in screening.spans:
        assert text[start:end] == found
    # Each span once, although windows overlap.
    assert len(screening.spans) == len(set(screening.spans))


def test_a_comment_longer_than_max_chars_goes_to_review(spy: SpyScreener) -> None:
    text = CIVIL * 40
    stage = ScreenStage(spy, window_chars=500, max_chars=1000)
    [out] = stage([doc("cut", text)])
    assert out.comments[0].screening is not None
    assert out.comments[0].screening.decision is Decision.REVIEW
    assert sum(len(t) for t in spy.texts) < 1200  # only the start was screened
    [whole] = ScreenStage(spy)([doc("whole", text)])
    assert whole.comments[0].screening is not None
    assert whole.comments[0].screening.decision is Decision.OK


@given(text=st.text(alphabet=st.sampled_from("ab \n"), max_size=2000), size=st.integers(100, 400))
def test_windows_cover_the_text_within_their_size(text: str, size: int) -> None:
    parts = windows(text, size)
    assert parts[0][0] == 0
    covered = 0
    for offset, piece in parts:
        assert text[offset : offset + len(piece)] == piece
        assert len(piece) <= size
        assert offset <= covered  # no gap
        covered = max(covered, offset + len(piece))
    assert covered == len(text)


def test_merge_takes_highest_scores_and_worst_decision() -> None:
    a = Screening((("toxicity", 0.2), ("threat", 0.9)), (("threat", 1, 3, "xy"),), Decision.OK, "m")
    b = Screening((("toxicity", 0.7), ("threat", 0.1)), (), Decision.REVIEW, "m")
    merged = merge([(0, a), (10, b)])
    assert merged.scores == (("toxicity", 0.7), ("threat", 0.9))
    assert merged.spans == (("threat", 1, 3, "xy"),)
    assert merged.decision is Decision.REVIEW
    assert merge([(0, a)]) is a
