"""The numpy featurisation must reproduce scikit-learn's, and the artifact its training output."""

from __future__ import annotations

import importlib.util
import json
from importlib import resources

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sitrep.screen.features import (
    LinearHeads,
    SparseRows,
    TfidfSpace,
    char_wb_ngrams,
    decode_lines,
    encode_lines,
    normalise_text,
    stack_columns,
    word_ngrams,
)
from sitrep.screen.model import Model


def _has_sklearn() -> bool:
    try:
        return importlib.util.find_spec("sklearn") is not None
    except (ImportError, ValueError):
        return False


# The numpy featurisation is checked against scikit-learn where it is installed (training venv).
needs_sklearn = pytest.mark.skipif(not _has_sklearn(), reason="scikit-learn is for training only")

SAMPLES = [
    "Coalition airstrikes killed 12 fighters near the border, the monitor said.",
    "You are a f*cking idiot!!! RT @someone: lol &amp; more http://t.co/x",
    "  spaced\tout \n\n text  with   gaps ",
    "Ünïcödé naïve café — “quotes” and ‘ticks’ 💥",
    "a",
    "",
    "#hashtag @USER URL go home",
]


def _fixture() -> dict[str, object]:
    path = resources.files("sitrep") / "data" / "screen" / "fixture-predictions.json"
    return json.loads(path.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def test_normalise_text_removes_tweet_furniture() -> None:
    text = normalise_text("RT @someone: Go HOME &amp; stay #Out http://x.y/z URL")
    assert "someone" not in text and "http" not in text and "url" not in text
    assert "go home & stay out" in text


def test_word_ngrams_unigrams_then_bigrams() -> None:
    assert word_ngrams("the big dog") == ["the", "big", "dog", "the big", "big dog"]


def test_char_wb_ngrams_pads_words_and_counts_short_words_once() -> None:
    grams = char_wb_ngrams("ab", low=2, high=5)
    assert grams == [" a", "ab", "b ", " ab", "ab ", " ab "]
    assert char_wb_ngrams("a", low=4, high=5) == [" a "]


def test_encode_decode_lines_round_trip() -> None:
    lines = ["a b", "ç", " x "]
    assert decode_lines(encode_lines(lines)) == lines
    assert decode_lines(encode_lines([])) == []


def test_stack_columns_offsets_the_second_part() -> None:
    left = SparseRows(np.array([0, 1, 1]), np.array([0]), np.array([1.0], np.float32), 2)
    right = SparseRows(np.array([0, 1, 2]), np.array([1, 0]), np.array([2.0, 3.0], np.float32), 3)
    dense = stack_columns([left, right]).to_dense()
    assert dense.tolist() == [[1.0, 0.0, 0.0, 2.0, 0.0], [0.0, 0.0, 3.0, 0.0, 0.0]]


def test_linear_heads_is_a_logistic_regression() -> None:
    heads = LinearHeads(("a",), np.array([[2.0, -1.0]], np.float32), np.array([0.5], np.float32))
    rows = SparseRows(np.array([0, 2, 2]), np.array([0, 1]), np.array([1.0, 1.0], np.float32), 2)
    probs = heads.predict(rows)
    assert probs[0, 0] == pytest.approx(1 / (1 + np.exp(-1.5)), rel=1e-6)
    assert probs[1, 0] == pytest.approx(1 / (1 + np.exp(-0.5)), rel=1e-6)


@needs_sklearn
@pytest.mark.parametrize("text", SAMPLES)
def test_analysers_match_sklearn(text: str) -> None:
    from sklearn.feature_extraction.text import TfidfVectorizer as vectoriser

    word = vectoriser(analyzer="word", ngram_range=(1, 2), preprocessor=normalise_text)
    char = vectoriser(analyzer="char_wb", ngram_range=(2, 5), preprocessor=normalise_text)
    normalised = normalise_text(text)
    assert word.build_analyzer()(text) == word_ngrams(normalised)
    assert char.build_analyzer()(text) == char_wb_ngrams(normalised)


@needs_sklearn
@settings(max_examples=150, deadline=None)
@given(st.text(max_size=80))
def test_analysers_match_sklearn_on_any_text(text: str) -> None:
    from sklearn.feature_extraction.text import TfidfVectorizer

    char = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), preprocessor=str)
    word = TfidfVectorizer(analyzer="word", ngram_range=(1, 2), preprocessor=str)
    assert char.build_analyzer()(text) == char_wb_ngrams(text)
    assert word.build_analyzer()(text) == word_ngrams(text)


@needs_sklearn
def test_tfidf_matches_sklearn() -> None:
    from sklearn.feature_extraction.text import TfidfVectorizer as vectoriser

    corpus = SAMPLES * 2 + ["another text about the border", "more text, more text"]
    for analyzer, ngrams, analyse in (
        ("word", (1, 2), word_ngrams),
        ("char_wb", (2, 5), char_wb_ngrams),
    ):
        fitted = vectoriser(
            analyzer=analyzer, ngram_range=ngrams, preprocessor=normalise_text, sublinear_tf=True
        ).fit(corpus)
        space = TfidfSpace(
            vocabulary=dict(fitted.vocabulary_),
            idf=fitted.idf_.astype(np.float32),
            analyser=analyse,
        )
        expected = fitted.transform(SAMPLES).toarray()
        got = space.transform([normalise_text(t) for t in SAMPLES]).to_dense()
        np.testing.assert_allclose(got, expected, atol=1e-6)


def test_shipped_model_reproduces_training_predictions() -> None:
    fixture = _fixture()
    texts = fixture["texts"]
    assert isinstance(texts, list) and len(texts) >= 50
    predicted = Model.read().predict(texts)
    expected = fixture["predictions"]
    assert isinstance(expected, dict)
    for head, values in expected.items():
        np.testing.assert_allclose(predicted[head], np.array(values), atol=1e-4, err_msg=head)


def test_per_word_char_space_matches_whole_text_analysis() -> None:
    model = Model.read()
    whole = TfidfSpace(
        vocabulary=model.char.vocabulary, idf=model.char.idf, analyser=model.char.analyser
    )
    texts = [normalise_text(t) for t in [*SAMPLES, "again again again", "spaced\u2003out\xa0x"]]
    assert model.char.per_word and not whole.per_word
    for _ in range(2):  # the second pass reads the per-word cache
        fast, slow = model.char.transform(texts), whole.transform(texts)
        np.testing.assert_array_equal(fast.indptr, slow.indptr)
        np.testing.assert_array_equal(fast.indices, slow.indices)
        np.testing.assert_allclose(fast.data, slow.data, atol=1e-7)


def test_heads_on_parts_equal_heads_on_stacked_rows() -> None:
    model = Model.read()
    texts = [normalise_text(t) for t in SAMPLES]
    word, char = model.word.transform(texts), model.char.transform(texts)
    stacked = model.heads.predict(stack_columns([word, char]))
    np.testing.assert_allclose(model.heads.predict_parts([word, char]), stacked, atol=1e-6)
