"""The confidence calibration: the shipped map, its application in assembly, and its fitting."""

from __future__ import annotations

import importlib.util
import itertools
import json
import math
import random
import sys
from datetime import date
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from sitrep import calibration
from sitrep.calibration import (
    EVENT_TYPES,
    FEATURES,
    Calibration,
    features,
    logit,
    shipped,
    using,
)
from sitrep.errors import ModelError
from sitrep.records import Document, GeocodeResult, GeoReason, Mention, Place
from sitrep.stages.assemble import build_event
from tests.conftest import ROOT

RAWS = [i / 20 for i in range(21)]


def _load_fitting() -> ModuleType:
    """Import training/fit_calibration.py (a script, not a package) under its own name."""
    path = ROOT / "training" / "fit_calibration.py"
    spec = importlib.util.spec_from_file_location("fit_calibration", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses resolve their module by name
    spec.loader.exec_module(module)
    return module


fitting = _load_fitting()


def _strata() -> list[dict[str, float]]:
    """The feature values of every combination of the non-raw inputs, raw score left out."""
    out = []
    for event_type, geo, actor1, actor2, time in itertools.product(
        (*EVENT_TYPES, "Unknown type"), (None, 1, 2, 3), (None, "A"), (None, "B"), (None, 1, 2, 3)
    ):
        values = features(
            raw=0.5,
            event_type=event_type,
            geo_precision=geo,
            actor1=actor1,
            actor2=actor2,
            time_precision=time,
        )
        del values["raw_logit"]
        out.append(values)
    return out


def test_shipped_calibration_loads_with_known_features() -> None:
    loaded = shipped()
    assert set(loaded.weights) <= set(FEATURES)
    assert loaded.weights["raw_logit"] > 0, "the map must rise with the rule score"
    assert 0.0 <= loaded.floor < loaded.ceiling <= 1.0
    assert loaded.fitted["sample"] == "tune"


def test_shipped_calibration_is_monotonic_in_the_raw_score_and_within_0_1() -> None:
    loaded = shipped()
    for stratum in _strata():
        values = [loaded.probability(stratum | {"raw_logit": logit(r)}) for r in RAWS]
        assert all(0.0 <= v <= 1.0 for v in values)
        assert all(a <= b for a, b in itertools.pairwise(values)), stratum


def test_monotonic_check_can_fail() -> None:
    # A map that falls with the raw score is refused when loaded.
    data = shipped().to_dict()
    data["weights"]["raw_logit"] = -0.5
    with pytest.raises(ModelError, match="falls"):
        Calibration.from_dict(data)


def test_an_unplaced_event_scores_below_a_placed_one() -> None:
    loaded = shipped()
    unplaced, placed = (
        loaded.probability(
            features(
                raw=0.8,
                event_type="Battles",
                geo_precision=geo,
                actor1="A",
                actor2=None,
                time_precision=1,
            )
        )
        for geo in (None, 1)
    )
    assert unplaced < placed


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"model": "isotonic"}, "not 'logistic'"),
        ({"weights": {"colour": 1.0}}, "unknown features"),
        ({"intercept": "high"}, "malformed"),
        ({"floor": 0.9, "ceiling": 0.1}, "floor"),
    ],
)
def test_bad_calibration_data_is_refused(change: dict[str, object], message: str) -> None:
    data = shipped().to_dict() | change
    with pytest.raises(ModelError, match=message):
        Calibration.from_dict(data)


def test_load_reads_a_file_and_says_how_to_fix_a_missing_one(tmp_path: Path) -> None:
    path = tmp_path / "c.json"
    path.write_text(json.dumps(Calibration(0.0, {"raw_logit": 1.0}).to_dict()), "utf-8")
    assert calibration.load(path).probability({"raw_logit": 0.0}) == pytest.approx(0.5)
    with pytest.raises(ModelError, match="fit_calibration"):
        calibration.load(tmp_path / "missing.json")


def _mention(confidence: float) -> Mention:
    return Mention(
        document_id="d1",
        event_type="Battles",
        sub_event_type="Armed clash",
        sentence="Troops clashed with militants in Garissa on Monday.",
        start=0,
        end=51,
        trigger="clashed",
        event_date=date(2019, 3, 4),
        time_precision=1,
        confidence=confidence,
    )


def _result(placed: bool) -> GeocodeResult:
    place = Place("Garissa", "Kenya", "KE", "Garissa", None, None, -0.45, 39.65, 1)
    if placed:
        return GeocodeResult(place, GeoReason.EXACT)
    return GeocodeResult(None, GeoReason.NOT_FOUND)


def test_build_event_calibrates_and_using_none_keeps_the_rule_score() -> None:
    document = Document(id="d1", origin="test", text="…")
    event = build_event(document, _mention(0.7), _result(True))
    with using(None):
        raw = build_event(document, _mention(0.7), _result(True))
    assert raw.confidence == 0.7
    expected = shipped().probability(calibration.event_features(raw))
    assert event.confidence == pytest.approx(expected, abs=5e-4)
    assert event.confidence != raw.confidence
    unplaced = build_event(document, _mention(0.7), _result(False))
    assert unplaced.confidence < event.confidence


def test_using_applies_a_given_calibration() -> None:
    document = Document(id="d1", origin="test", text="…")
    flat = Calibration(intercept=0.0, weights={})
    with using(flat):
        assert build_event(document, _mention(0.9), _result(True)).confidence == 0.5


# -- fitting -------------------------------------------------------------------------------------


def _synthetic(n: int, *, raw_weight: float, seed: int = 7) -> list[Any]:
    """Events whose match follows a known logistic law of the raw score and geocoding."""
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        raw = rng.uniform(0.05, 0.95)
        geocoded = rng.random() < 0.6
        values = features(
            raw=raw,
            event_type="Protests" if rng.random() < 0.5 else "Battles",
            geo_precision=1 if geocoded else None,
            actor1="A",
            actor2=None,
            time_precision=1,
        )
        z = -0.5 + raw_weight * values["raw_logit"] - 3.0 * values["not_geocoded"]
        matched = rng.random() < 1.0 / (1.0 + math.exp(-z))
        out.append(fitting.Example(values, raw, matched, "synthetic"))
    return out


def test_fit_recovers_a_known_law() -> None:
    fitted = fitting.fit(_synthetic(4000, raw_weight=1.5), c=100.0)
    assert fitted.weights["raw_logit"] == pytest.approx(1.5, abs=0.25)
    assert fitted.weights["not_geocoded"] == pytest.approx(-3.0, abs=0.5)
    assert fitted.intercept == pytest.approx(-0.5, abs=0.3)
    # Features that never vary in the data get no weight; unrelated ones get little.
    assert fitted.weights["geo_precision_3"] == 0.0
    assert abs(fitted.weights["type:Protests"]) < 0.3


def test_fit_never_lets_the_map_fall_with_the_raw_score() -> None:
    fitted = fitting.fit(_synthetic(2000, raw_weight=-1.0), c=100.0)
    assert fitted.weights["raw_logit"] == 0.0
    Calibration.from_dict(fitted.to_dict())  # loads: not refused as falling


def test_fit_needs_both_labels() -> None:
    examples = [e for e in _synthetic(200, raw_weight=1.0) if e.matched]
    with pytest.raises(ValueError, match="matched and unmatched"):
        fitting.fit(examples)


def test_fit_matches_scikit_learn_where_installed() -> None:
    sklearn = pytest.importorskip("sklearn.linear_model", reason="scikit-learn is for training")
    examples = _synthetic(1500, raw_weight=1.0, seed=11)
    fitted = fitting.fit(examples, c=1.0)
    names = [n for n in FEATURES if fitted.weights[n] != 0.0]
    x = [[e.values[n] for n in names] for e in examples]
    y = [e.matched for e in examples]
    reference = sklearn.LogisticRegression(C=1.0, tol=1e-10, max_iter=10_000).fit(x, y)
    for name, weight in zip(names, reference.coef_[0], strict=True):
        assert fitted.weights[name] == pytest.approx(weight, abs=1e-3)
    assert fitted.intercept == pytest.approx(reference.intercept_[0], abs=1e-3)


def test_part_summary_counts_what_min_confidence_keeps() -> None:
    examples = _synthetic(300, raw_weight=1.5)
    fitted = fitting.fit(examples)
    summary = fitting.part_summary(examples, fitted)
    assert summary["events"] == 300
    assert summary["brier_calibrated"] <= summary["brier_raw"]
    kept = summary["kept_by_min_confidence"]
    assert kept["0.1"]["events"] >= kept["0.5"]["events"] >= kept["0.7"]["events"]
