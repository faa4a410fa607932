"""Calibrated event confidence: P(a predicted event matches a gold event), from the rule score.

The extractor's rule score (``stages/events/stage.py``, decision 0004) orders events but its value
means little: events scored 0.8 matched ACLED gold about 40% of the time. A small logistic
model maps that raw score and a few facts known when the event is assembled (geocoded, geo
precision, which actors are named, time precision, event type) to the probability that the
event matches a gold event under the rules of ``sitrep eval``. It is fitted on tuning data by
``training/fit_calibration.py`` and shipped as ``data/calibration.json``; applying it needs no
library. Why this model and what it measures: docs/decisions/0016-calibration.md.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from sitrep.errors import ModelError
from sitrep.records import Event

# The rule score is clamped before its log-odds are taken (the extractor keeps it in [0.05, 0.99]).
RAW_EPSILON = 0.01
# ACLED's event types; Battles is the reference level (weight 0).
EVENT_TYPES = (
    "Battles",
    "Explosions/Remote violence",
    "Protests",
    "Riots",
    "Strategic developments",
    "Violence against civilians",
)
FEATURES = (
    "raw_logit",
    "not_geocoded",
    "geo_precision_2",
    "geo_precision_3",
    "actor1_named",
    "actor2_named",
    "time_precision_2",
    "time_precision_3",
    *(f"type:{t}" for t in EVENT_TYPES[1:]),
)


def logit(p: float) -> float:
    """Log-odds of ``p`` clamped to [RAW_EPSILON, 1 - RAW_EPSILON]."""
    p = min(max(p, RAW_EPSILON), 1.0 - RAW_EPSILON)
    return math.log(p / (1.0 - p))


def features(
    *,
    raw: float,
    event_type: str | None,
    geo_precision: int | None,
    actor1: str | None,
    actor2: str | None,
    time_precision: int | None,
) -> dict[str, float]:
    """Return the model's inputs for one event, by name (absent indicators are 0).

    Args:
        raw: the extractor's rule score in [0, 1].
        geo_precision: ACLED geo precision of the placed event; None when it was not placed.
        time_precision: 1 day, 2 week, 3 month; None (undated) counts as a day.
    """
    out = {
        "raw_logit": logit(raw),
        "not_geocoded": float(geo_precision is None),
        "geo_precision_2": float(geo_precision == 2),
        "geo_precision_3": float(geo_precision == 3),
        "actor1_named": float(actor1 is not None),
        "actor2_named": float(actor2 is not None),
        "time_precision_2": float(time_precision == 2),
        "time_precision_3": float(time_precision == 3),
    }
    for name in EVENT_TYPES[1:]:
        out[f"type:{name}"] = float(event_type == name)
    return out


def event_features(event: Event) -> dict[str, float]:
    """Return the model's inputs for an Event whose ``confidence`` is still the raw score."""
    return features(
        raw=event.confidence,
        event_type=event.event_type,
        geo_precision=event.geo_precision,
        actor1=event.actor1,
        actor2=event.actor2,
        time_precision=event.time_precision,
    )


@dataclass(frozen=True)
class Calibration:
    """A fitted logistic map from features to P(match), clipped to [floor, ceiling].

    Args:
        intercept: the log-odds of a match when every feature is 0.
        weights: feature name -> weight; names missing here weigh 0.
        floor, ceiling: the least and greatest probability given (never 0 or 1: a score
            is never certain).
        fitted: what it was fitted on and how well (written by the fitting script).
    """

    intercept: float
    weights: Mapping[str, float]
    floor: float = 0.01
    ceiling: float = 0.99
    fitted: Mapping[str, Any] = field(default_factory=dict)

    def probability(self, values: Mapping[str, float]) -> float:
        """Return the calibrated probability for the named feature values."""
        z = self.intercept + sum(w * values.get(name, 0.0) for name, w in self.weights.items())
        # Split by sign so exp never overflows on extreme log-odds.
        p = 1.0 / (1.0 + math.exp(-z)) if z >= 0 else math.exp(z) / (1.0 + math.exp(z))
        return min(max(p, self.floor), self.ceiling)

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form read by ``from_dict``."""
        return {
            "model": "logistic",
            "intercept": self.intercept,
            "weights": dict(self.weights),
            "floor": self.floor,
            "ceiling": self.ceiling,
            "fitted": dict(self.fitted),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Calibration:
        """Read a calibration from its JSON form.

        Raises:
            ModelError: the data is not a logistic calibration over known features, or its
                raw-score weight is negative (the map must rise with the raw score).
        """
        try:
            if data["model"] != "logistic":
                raise ModelError(f"calibration model {data['model']!r} is not 'logistic'")
            weights = {str(k): float(v) for k, v in data["weights"].items()}
            calibration = cls(
                intercept=float(data["intercept"]),
                weights=weights,
                floor=float(data.get("floor", 0.01)),
                ceiling=float(data.get("ceiling", 0.99)),
                fitted=dict(data.get("fitted", {})),
            )
        except (KeyError, TypeError, ValueError, AttributeError) as e:
            raise ModelError(f"calibration data is malformed ({e!r}); rerun {_FIT}") from e
        unknown = sorted(set(weights) - set(FEATURES))
        if unknown:
            raise ModelError(f"calibration names unknown features {unknown}; rerun {_FIT}")
        if weights.get("raw_logit", 0.0) < 0:
            raise ModelError(f"calibration falls as the raw score rises; rerun {_FIT}")
        if not 0.0 <= calibration.floor <= calibration.ceiling <= 1.0:
            raise ModelError(f"calibration floor/ceiling are not within [0, 1]; rerun {_FIT}")
        return calibration


_FIT = ".venv/bin/python training/fit_calibration.py"
_ACTIVE: ContextVar[Calibration | str | None] = ContextVar("calibration", default="shipped")


def load(path: Path | None = None) -> Calibration:
    """Read a calibration JSON file (None: the one shipped in ``sitrep/data``).

    Raises:
        ModelError: the file is missing or malformed.
    """
    try:
        if path is None:
            text = (resources.files("sitrep") / "data" / "calibration.json").read_text("utf-8")
        else:
            text = path.read_text(encoding="utf-8")
        data = json.loads(text)
    except (OSError, json.JSONDecodeError) as e:
        raise ModelError(f"cannot read the confidence calibration: {e}; rerun {_FIT}") from e
    if not isinstance(data, dict):
        raise ModelError(f"the confidence calibration is not a JSON object; rerun {_FIT}")
    return Calibration.from_dict(data)


@lru_cache(maxsize=1)
def shipped() -> Calibration:
    """Return the shipped calibration, read once."""
    return load()


def active() -> Calibration | None:
    """Return the calibration events get now: the shipped one unless ``using`` says otherwise."""
    chosen = _ACTIVE.get()
    return shipped() if isinstance(chosen, str) else chosen


@contextmanager
def using(calibration: Calibration | None) -> Iterator[None]:
    """Apply ``calibration`` to events built inside the block; None keeps the raw rule score.

    The fitting script runs the pipeline with None to see the raw scores it maps.
    """
    token = _ACTIVE.set(calibration)
    try:
        yield
    finally:
        _ACTIVE.reset(token)


def calibrate(event: Event) -> float:
    """Return the calibrated confidence of an Event whose ``confidence`` is the raw score."""
    calibration = active()
    if calibration is None:
        return event.confidence
    return calibration.probability(event_features(event))
