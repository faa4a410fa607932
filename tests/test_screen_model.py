"""Screener: scores, spans and decisions; news reporting stays ok, abuse is flagged."""

from __future__ import annotations

import dataclasses
import json
from importlib import resources
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sitrep.errors import ModelError
from sitrep.screen import LABELS, Decision, Screener, Screening

WORKED_EXAMPLE = (
    Path(__file__).resolve().parent.parent / "examples" / "coalition-strikes-deir-ezzor.txt"
)


def _data(name: str) -> Path:
    with resources.as_file(resources.files("sitrep") / "data" / "screen" / name) as path:
        return path


@pytest.fixture(scope="module")
def screener() -> Screener:
    return Screener.load()


@pytest.fixture(scope="module")
def probes() -> dict[str, list[str]]:
    return json.loads(_data("probes.json").read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def test_conflict_reporting_is_ok(screener: Screener, probes: dict[str, list[str]]) -> None:
    news = probes["news"]
    assert len(news) >= 30
    results = screener.screen_many(news)
    flagged = [(t, r.scores) for t, r in zip(news, results, strict=True) if r.decision != "ok"]
    assert flagged == []
    assert max(r.score("toxicity") for r in results) < 0.5


def test_abusive_comments_are_flagged(screener: Screener, probes: dict[str, list[str]]) -> None:
    results = screener.screen_many(probes["abusive"])
    missed = [t for t, r in zip(probes["abusive"], results, strict=True) if r.decision == "ok"]
    assert missed == []


def test_civil_comments_are_ok(screener: Screener, probes: dict[str, list[str]]) -> None:
    assert {r.decision for r in screener.screen_many(probes["civil"])} == {Decision.OK}


def test_screening_record_shape(screener: Screener) -> None:
    result = screener.screen("Shut up you f*cking moron.")
    assert isinstance(result, Screening)
    assert tuple(label for label, _ in result.scores) == LABELS
    assert all(0.0 <= score <= 1.0 for _, score in result.scores)
    assert result.decision in (Decision.REVIEW, Decision.REMOVE)
    assert ("obscene", 12, 19, "f*cking") in result.spans
    assert result.model.startswith("screen-tfidf-lr-") and "+lexicon-" in result.model
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.decision = Decision.OK  # type: ignore[misc]
    with pytest.raises(KeyError):
        result.score("nonsense")


def test_slur_and_threat_are_removed(screener: Screener) -> None:
    assert screener.screen("I will kill you tomorrow.").decision == "remove"
    assert screener.screen("go home you wetback").decision == "remove"
    assert screener.screen("I will kill you tomorrow.").score("threat") >= 0.9


def test_severe_toxicity_rule(screener: Screener) -> None:
    mild = screener.screen("That is a stupid idea.")
    severe = screener.screen("They should all be shot, the filthy kikes.")
    assert severe.score("severe_toxicity") >= 0.9 > mild.score("severe_toxicity")


def test_screen_many_equals_screen(screener: Screener) -> None:
    texts = ["Thanks for the report.", "f*ck off", "", "Hang them all."]
    assert screener.screen_many(texts) == [screener.screen(t) for t in texts]
    assert screener.screen_many([]) == []


def test_thresholds_move_decisions() -> None:
    text = "What a stupid, pathetic article."
    strict = Screener.load(review_at=0.05, remove_at=0.9)
    lenient = Screener.load(review_at=0.99, remove_at=0.999)
    assert strict.screen(text).decision != "ok"
    assert lenient.screen(text).decision == "ok"
    with pytest.raises(ValueError, match="review_at"):
        Screener.load(review_at=0.9, remove_at=0.5)


def test_missing_artifact_raises_model_error(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="train_screen"):
        Screener.load(tmp_path / "nothing.npz")


def test_artifact_is_compact_and_pickle_free() -> None:
    import numpy as np

    path = _data("model.npz")
    assert path.stat().st_size < 15_000_000
    with np.load(path, allow_pickle=False) as arrays:
        assert all(arrays[k].dtype != object for k in arrays.files)


def test_metrics_report_both_splits_and_news_rate() -> None:
    metrics = json.loads(_data("metrics.json").read_text(encoding="utf-8"))
    for split in ("validation_learned", "test_learned"):
        for head in ("toxicity", "insult", "identity_attack", "obscene"):
            assert {"roc_auc", "precision", "recall", "f1"} <= set(metrics[split][head])
    assert metrics["news_false_positive_rate"]["probes_news"] == 0.0
    assert metrics["news_false_positive_rate"]["heldout_news_sentences"] < 0.02


def _paragraphs() -> list[str]:
    text = WORKED_EXAMPLE.read_text(encoding="utf-8")
    return [p.strip() for p in text.split("\n\n") if p.strip()]


@pytest.mark.skipif(not WORKED_EXAMPLE.is_file(), reason="worked example not present")
def test_worked_example_body_ok_and_abusive_comments_flagged(screener: Screener) -> None:
    paragraphs = _paragraphs()
    results = dict(zip(paragraphs, screener.screen_many(paragraphs), strict=True))
    body_openings = ("On August 22", "The UK-based", "Local observers", "The US-led coalition and")
    body = [p for p in paragraphs if p.startswith(body_openings)]
    assert len(body) == 4
    assert all(results[p].decision == "ok" for p in body)
    assert all(results[p].score("toxicity") < 0.5 for p in body)
    for trigger in ("mother fuckers", "Fuck US", "israhellI", "f\u2019king", "Cuckold"):
        comment = next(p for p in paragraphs if trigger in p)
        assert results[comment].decision in ("review", "remove"), trigger
        assert any(
            trigger.split()[-1] in span[3] or span[3] in trigger for span in results[comment].spans
        )


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=300))
def test_any_text_gets_a_valid_screening(text: str) -> None:
    result = Screener.load().screen(text)
    assert all(0.0 <= score <= 1.0 for _, score in result.scores)
    assert result.decision in ("ok", "review", "remove")
    for _, start, end, span_text in result.spans:
        assert text[start:end] == span_text


def test_boost_moves_in_logit_space_and_max_is_the_old_rule() -> None:
    from sitrep.screen.model import boost

    assert boost(0.2, 0.0, 2.0) == 0.2
    assert boost(0.2, 0.95, None) == 0.95
    raised = boost(0.2, 0.95, 0.5)
    assert 0.2 < raised < 0.3  # logit(0.2) + 0.475
    assert boost(0.2, 0.95, 4.0) > raised
    assert 0.0 < boost(0.0, 0.95, 0.5) < 1e-5 and boost(1.0, 0.95, 0.5) <= 1.0


def test_learned_identity_blends_direct_head_with_the_chain() -> None:
    from sitrep.screen.model import learned_identity

    learned = {"toxicity": 0.8, "identity_attack": 0.1, "identity_given_toxic": 0.5}
    assert learned_identity(learned, 0.0) == 0.1
    assert learned_identity(learned, 1.0) == pytest.approx(0.4)
    assert learned_identity(learned, 0.5) == pytest.approx(0.25)
    assert learned_identity({"toxicity": 0.8, "identity_attack": 0.1}, 0.5) == 0.1


def test_shipped_combination_was_chosen_on_validation() -> None:
    metrics = json.loads(_data("metrics.json").read_text(encoding="utf-8"))
    chosen = metrics["validation_combination"]["chosen"]
    assert Screener.load().identity_blend == chosen["identity_blend"]
    assert Screener.load().lexicon_weight == chosen["lexicon_logit_weight"]
