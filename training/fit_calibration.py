"""Fit the event-confidence calibration on the tuning parts of the gold data.

    .venv/bin/python training/fit_calibration.py

Runs the real pipeline (sitrep.evaluate.predict) with the calibration switched off over the
TUNE parts only — eval/dev-gold.jsonl's "dev" lines and the first 60% of the ACLED Kenya lines
(sitrep.evaluate.select(sample="tune")) — labels each scored predicted event 1 when the eval's
own assignment (sitrep.eval_match.assign) matched it to a gold event, fits an L2-regularised
logistic regression (numpy, Newton's method) and writes src/sitrep/data/calibration.json.
Held-out parts are never read. Re-run it whenever the pipeline's output changes; the held-out
figures are then measured with `sitrep eval --sample heldout`.
See docs/decisions/0016-calibration.md.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np

from sitrep.calibration import FEATURES, Calibration, features, using
from sitrep.eval_match import assign
from sitrep.evaluate import brier_score, calibrate, load_gold, predict, select
from sitrep.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
DEV_GOLD = ROOT / "eval" / "dev-gold.jsonl"
ACLED = ROOT.parent / "shared" / "eval" / "acled-kenya-2007-2019.jsonl"
OUT = ROOT / "src" / "sitrep" / "data" / "calibration.json"
SAMPLE = "tune"
# L2 strength as scikit-learn's C (loss sum + ||w||^2 / 2C); chosen with DEV_WEIGHT by grouped
# 5-fold cross-validation on the tune parts (decision 0016).
C = 1.0
# Each dev-gold event weighs as much as this many ACLED events: dev-gold is news prose like
# sitrep's real input but has ~100 scored events to ACLED's ~3,500 (decision 0016).
DEV_WEIGHT = 10.0
NEWTON_STEPS = 100
TOLERANCE = 1e-10
THRESHOLDS = (0.1, 0.2, 0.3, 0.5, 0.7)


@dataclass(frozen=True)
class Example:
    """One scored predicted event: its model inputs, its raw rule score and whether it matched."""

    values: dict[str, float]
    raw: float
    matched: bool
    part: str
    weight: float = 1.0


def collect(
    path: Path, *, part: str, weight: float, settings: Settings, sample: str = SAMPLE
) -> list[Example]:
    """Run the pipeline over one gold part with raw scores and label its predicted events.

    Args:
        part: a name for the part in reports ("dev-gold", "acled").
        weight: the sample weight of each of its events.
    """
    documents = select(load_gold(path), sample=sample)
    with using(None):
        predictions = predict(documents, settings=settings)
    examples = []
    for item in predictions:
        matched = {pair.predicted for pair in assign(item.predicted, item.gold)}
        for index, event in enumerate(item.predicted):
            raw = event.confidence if event.confidence is not None else 0.5
            values = features(
                raw=raw,
                event_type=event.event_type,
                geo_precision=event.geo_precision,
                actor1=event.actor1,
                actor2=event.actor2,
                time_precision=event.time_precision,
            )
            examples.append(Example(values, raw, index in matched, part, weight))
    return examples


def _newton(x: np.ndarray, y: np.ndarray, w: np.ndarray, penalty: np.ndarray) -> np.ndarray:
    """Minimise sum w*logloss + sum(penalty * beta^2)/2 by Newton's method; return beta."""
    beta = np.zeros(x.shape[1])
    for _ in range(NEWTON_STEPS):
        p = 1.0 / (1.0 + np.exp(-np.clip(x @ beta, -35.0, 35.0)))
        gradient = x.T @ (w * (p - y)) + penalty * beta
        hessian = (x * (w * p * (1.0 - p))[:, None]).T @ x + np.diag(penalty)
        step = np.linalg.solve(hessian, gradient)
        beta -= step
        if float(np.max(np.abs(step))) < TOLERANCE:
            break
    return beta


def fit(examples: Sequence[Example], *, c: float = C) -> Calibration:
    """Fit the logistic calibration to labelled examples (intercept not penalised).

    A feature that never varies gets weight 0. Should the raw score's weight come out negative
    (the map would fall as the rule score rises), it is refitted without the raw score.

    Raises:
        ValueError: no examples, or only one label among them.
    """
    labels = {e.matched for e in examples}
    if len(labels) < 2:
        raise ValueError("calibration needs matched and unmatched events to fit")
    names = [n for n in FEATURES if len({e.values.get(n, 0.0) for e in examples}) > 1]
    coefficients = _fit_named(examples, names, c=c)
    if coefficients.get("raw_logit", 0.0) < 0:
        names.remove("raw_logit")
        coefficients = _fit_named(examples, names, c=c)
    intercept = coefficients.pop("")
    weights = {n: round(coefficients.get(n, 0.0), 6) for n in FEATURES}
    return Calibration(intercept=round(intercept, 6), weights=weights)


def _fit_named(examples: Sequence[Example], names: Sequence[str], *, c: float) -> dict[str, float]:
    x = np.array([[1.0, *(e.values.get(n, 0.0) for n in names)] for e in examples])
    y = np.array([float(e.matched) for e in examples])
    w = np.array([e.weight for e in examples])
    penalty = np.array([0.0, *([1.0 / c] * len(names))])
    beta = _newton(x, y, w, penalty)
    return {"": float(beta[0]), **{n: float(b) for n, b in zip(names, beta[1:], strict=True)}}


def part_summary(examples: Sequence[Example], calibration: Calibration) -> dict[str, object]:
    """Brier score and calibration bins, raw and calibrated, of one part's examples."""
    raw = [(e.raw, e.matched) for e in examples]
    calibrated = [(calibration.probability(e.values), e.matched) for e in examples]
    return {
        "events": len(examples),
        "matched": sum(e.matched for e in examples),
        "brier_raw": _round(brier_score(raw)),
        "brier_calibrated": _round(brier_score(calibrated)),
        "bins_raw": _bins(raw),
        "bins_calibrated": _bins(calibrated),
        "kept_by_min_confidence": {
            str(t): _kept(calibrated, t, total_matched=sum(e.matched for e in examples))
            for t in THRESHOLDS
        },
    }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def _bins(outcomes: Sequence[tuple[float, bool]]) -> list[list[object]]:
    return [
        [f"{b.lower:.1f}-{b.upper:.1f}", b.count, _round(b.mean_confidence), _round(b.matched_rate)]
        for b in calibrate(outcomes)
        if b.count
    ]


def _kept(
    outcomes: Sequence[tuple[float, bool]], threshold: float, *, total_matched: int
) -> dict[str, float | int | None]:
    """What ``events.min_confidence = threshold`` keeps: events, matched share, precision."""
    kept = [ok for p, ok in outcomes if p >= threshold]
    hits = sum(kept)
    return {
        "events": len(kept),
        "matched_kept": _round(hits / total_matched) if total_matched else None,
        "precision": _round(hits / len(kept)) if kept else None,
    }


def main(argv: Sequence[str] | None = None) -> int:
    """Collect the tune parts, fit, write the calibration JSON and print the tune figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dev-gold", type=Path, default=DEV_GOLD)
    parser.add_argument("--acled", type=Path, default=ACLED)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    settings = Settings()
    parts = {
        "dev-gold": collect(args.dev_gold, part="dev-gold", weight=DEV_WEIGHT, settings=settings),
        "acled": collect(args.acled, part="acled", weight=1.0, settings=settings),
    }
    examples = [e for part in parts.values() for e in part]
    fitted = fit(examples)
    report = {name: part_summary(part, fitted) for name, part in parts.items()}
    calibration = Calibration(
        intercept=fitted.intercept,
        weights=fitted.weights,
        floor=fitted.floor,
        ceiling=fitted.ceiling,
        fitted={
            "_comment": "Written by training/fit_calibration.py; figures are on the tune parts "
            "it was fitted on (dev figures, not held-out).",
            "date": date.today().isoformat(),
            "sample": SAMPLE,
            "data": {"dev-gold": "eval/dev-gold.jsonl", "acled": "acled-kenya-2007-2019.jsonl"},
            "weights": {"dev-gold": DEV_WEIGHT, "acled": 1.0},
            "C": C,
            "tune": {
                name: {k: v for k, v in s.items() if k in ("events", "matched", "brier_raw")}
                | {"brier_calibrated": s["brier_calibrated"]}
                for name, s in report.items()
            },
        },
    )
    args.out.write_text(
        json.dumps(calibration.to_dict(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    print(json.dumps(report, indent=1))
    print(
        f"wrote {args.out} from {len(examples)} tune events in "
        f"{time.perf_counter() - started:.0f} s",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
