"""``sitrep eval``: run the pipeline over gold documents and score its events.

Gold files are JSON Lines: ``text`` (or ``html``), optional ``published`` (YYYY-MM-DD),
``id``, ``split`` ("tune"/"dev" or "heldout") and ``events`` (record-named fields, any
subset). The matching rules live in ``sitrep.eval_match``; what the figures mean is in
docs/evaluation.md.
"""

from __future__ import annotations

import dataclasses
import json
import math
import statistics
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from itertools import islice
from pathlib import Path
from typing import Any

from sitrep.errors import ConfigError, InputError
from sitrep.eval_match import (
    FIELD_KM,
    GEO_PRECISIONS,
    ActorNormaliser,
    EvalEvent,
    actors_agree,
    assign,
    battle_sides_swapped,
    dictionary_normaliser,
    distance_km,
    fatalities_agree,
    gold_event,
    predicted_event,
    same_place_name,
)
from sitrep.records import Page
from sitrep.settings import Settings

SAMPLES = ("tune", "heldout")
TUNE_PERCENT = 60
CALIBRATION_BINS = 10
EVAL_BATCH_SIZE = 64
MAX_ERRORS = 10
MISSED = "missed"
# The usual geoparsing tolerance: 161 km is 100 miles (Leidner; Gritta et al. 2018).
NEAR_KM = FIELD_KM
FAR_KM = 161.0
NO_PRECISION = "none"
SPURIOUS = "spurious"
# A gold line's own "split" wins over the hash rule; "dev" is the dev-gold name of "tune".
_SPLIT_NAMES = {"tune": "tune", "dev": "tune", "heldout": "heldout"}


@dataclass(frozen=True)
class GoldDocument:
    """One gold line: a page to run and the events a person coded from it."""

    origin: str
    text: str | None
    html: str | None
    published: date | None
    events: tuple[EvalEvent, ...]
    id: str | None = None
    split: str | None = None

    @property
    def content(self) -> str:
        return self.text if self.text is not None else self.html or ""


@dataclass(frozen=True)
class DocumentPrediction:
    """A gold document's events next to what the pipeline predicted for it."""

    gold: tuple[EvalEvent, ...]
    predicted: tuple[EvalEvent, ...]
    error: str | None = None  # "stage: ErrorClass: message" when the pipeline failed on it

    @property
    def failed(self) -> bool:
        return self.error is not None


@dataclass(frozen=True)
class Detection:
    """Detection figures of one matching rule."""

    matched: int
    precision: float | None
    recall: float | None
    f1: float | None


@dataclass(frozen=True)
class FieldScore:
    """Accuracy of one field over matched pairs where the gold gives that field."""

    field: str
    correct: int
    total: int
    accuracy: float | None


@dataclass(frozen=True)
class TypeScore:
    """Detection figures for one ACLED event type."""

    event_type: str
    gold: int
    predicted: int
    matched: int
    precision: float | None
    recall: float | None
    f1: float | None


@dataclass(frozen=True)
class ConfusionCell:
    """How often a gold value (sub-event type, geo precision) met a predicted one."""

    gold: str
    predicted: str
    count: int


@dataclass(frozen=True)
class CalibrationBin:
    """Predicted events whose confidence falls in [lower, upper) and how many matched."""

    lower: float
    upper: float
    count: int
    mean_confidence: float | None
    matched_rate: float | None


@dataclass(frozen=True)
class GeoDistances:
    """How far predicted coordinates fall from gold ones, over a set of gold events.

    An event whose prediction is missing or has no coordinates counts against both accuracies
    and is left out of the mean and median.
    """

    events: int
    located: int
    within_10km: int
    within_161km: int
    acc10: float | None
    acc161: float | None
    mean_km: float | None
    median_km: float | None


@dataclass(frozen=True)
class PrecisionShare:
    """How many matched pairs carry one geo precision ("1", "2", "3" or "none"), each side."""

    precision: str
    predicted: int
    predicted_share: float | None
    gold: int
    gold_share: float | None


@dataclass(frozen=True)
class GeoReport:
    """Geography of the events: distances, and ACLED geo precision against the gold's.

    ``matched``: gold events with coordinates that a prediction matched ignoring place (type,
    date and modality agree), so a wrong place is scored here instead of dropping the pair.
    ``all_gold``: every gold event with coordinates; one nothing matched is a miss.
    Precision shares, agreement and confusion are over the ``matched`` pairs.
    """

    matched: GeoDistances
    all_gold: GeoDistances
    precisions: tuple[PrecisionShare, ...]
    precision_agreed: int
    precision_total: int
    precision_agreement: float | None
    precision_confusion: tuple[ConfusionCell, ...]


@dataclass(frozen=True)
class EvalReport:
    """Every figure of one evaluation run; ``to_dict`` gives its JSON form."""

    gold: str
    sample: str | None
    limit: int | None
    documents: int
    negative_documents: int
    clean_negatives: int
    gold_events: int
    predicted_events: int
    matched: int
    failures: int
    precision: float | None
    recall: float | None
    f1: float | None
    any_place: Detection
    fields: tuple[FieldScore, ...]
    by_event_type: tuple[TypeScore, ...]
    confusion: tuple[ConfusionCell, ...]
    calibration: tuple[CalibrationBin, ...]
    brier: float | None
    geo: GeoReport
    errors: tuple[str, ...] = ()  # the first distinct pipeline failures, for debugging
    seconds: float = 0.0
    measured_on: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """Return the report as JSON-ready nested dicts and lists."""
        return dataclasses.asdict(self)

    def figures(self) -> dict[str, float]:
        """Return the headline figures by name (the keys of eval/floors.json)."""
        out: dict[str, float] = {}
        for name in ("precision", "recall", "f1"):
            value = getattr(self, name)
            if value is not None:
                out[name] = value
        for name in ("precision", "recall", "f1"):
            value = getattr(self.any_place, name)
            if value is not None:
                out[f"any_place.{name}"] = value
        if self.negative_documents:
            out["clean_negatives"] = self.clean_negatives / self.negative_documents
        for score in self.fields:
            if score.accuracy is not None:
                out[f"field.{score.field}"] = score.accuracy
        # Only fractions: a floor is a least value, which a distance in km is not.
        for prefix, view in (("geo", self.geo.matched), ("geo.all", self.geo.all_gold)):
            for name in ("acc10", "acc161"):
                value = getattr(view, name)
                if value is not None:
                    out[f"{prefix}.{name}"] = value
        if self.geo.precision_agreement is not None:
            out["geo.precision_agreement"] = self.geo.precision_agreement
        return out


# -- gold files -----------------------------------------------------------------------------------


def load_gold(path: Path) -> list[GoldDocument]:
    """Read a gold JSON Lines file.

    Raises:
        ConfigError: the file does not exist.
        InputError: a line is not a gold record (the message names the line).
    """
    if not path.is_file():
        raise ConfigError(f"gold file {path} does not exist")
    documents: list[GoldDocument] = []
    with path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, start=1):
            if line.strip():
                documents.append(_gold_document(line, origin=f"{path}:{number}"))
    return assign_splits(documents)


def assign_splits(documents: Sequence[GoldDocument]) -> list[GoldDocument]:
    """Give every line without its own split one by position: the first 60% tune, the rest
    held out (eval/README.md). Position, not a hash: the extractor was tuned on the first 60%
    of the ACLED Kenya lines, so only the last 40% is honestly held out.
    """
    cut = math.ceil(len(documents) * TUNE_PERCENT / 100)
    return [
        d if d.split is not None else dataclasses.replace(d, split="tune" if i < cut else "heldout")
        for i, d in enumerate(documents)
    ]


def _gold_document(line: str, *, origin: str) -> GoldDocument:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as e:
        raise InputError(f"{origin}: not valid JSON: {e}") from e
    if not isinstance(record, dict):
        raise InputError(f"{origin}: expected a JSON object")
    text, html = record.get("text"), record.get("html")
    if not isinstance(text, str) and not isinstance(html, str):
        raise InputError(f"{origin}: a gold record needs a 'text' or 'html' string")
    events = record.get("events")
    if not isinstance(events, list) or not all(isinstance(e, dict) for e in events):
        raise InputError(f"{origin}: 'events' must be a list of objects ([] for none)")
    # When any gold event names a modality, the document is scored on every modality and
    # the unnamed ones mean "occurred"; otherwise only occurred predictions are scored.
    default = "occurred" if any(e.get("modality") for e in events) else None
    split = record.get("split")
    if split is not None and split not in _SPLIT_NAMES:
        raise InputError(f"{origin}: split {split!r} is not one of {sorted(_SPLIT_NAMES)}")
    return GoldDocument(
        origin=origin,
        text=text if isinstance(text, str) else None,
        html=html if isinstance(html, str) else None,
        published=_published(record.get("published"), origin=origin),
        events=tuple(gold_event(e, modality=default) for e in events),
        id=str(record["id"]) if record.get("id") is not None else None,
        split=_SPLIT_NAMES[split] if split is not None else None,
    )


def _published(value: Any, *, origin: str) -> date | None:
    if value in (None, ""):
        return None
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError as e:
        raise InputError(f"{origin}: published {value!r} is not YYYY-MM-DD") from e


def split_of(document: GoldDocument) -> str:
    """Return "tune" or "heldout": the line's own split, else the one ``load_gold`` assigned by
    position; a document built by hand with neither counts as "tune" (never held out by accident).
    """
    return document.split if document.split is not None else "tune"


def select(
    documents: Sequence[GoldDocument], *, sample: str | None = None, limit: int | None = None
) -> list[GoldDocument]:
    """Return the documents of ``sample`` (None: all), the first ``limit`` of them.

    Raises:
        ConfigError: an unknown sample name or a negative limit.
    """
    if sample is not None and sample not in SAMPLES:
        raise ConfigError(f"sample {sample!r} is not one of {', '.join(SAMPLES)}")
    if limit is not None and limit < 0:
        raise ConfigError(f"limit must be 0 or more, not {limit}")
    chosen = (d for d in documents if sample is None or split_of(d) == sample)
    return list(islice(chosen, limit))


# -- running the pipeline --------------------------------------------------------------------------


def _batches(items: Sequence[GoldDocument], size: int) -> Iterator[Sequence[GoldDocument]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def predict(documents: Sequence[GoldDocument], *, settings: Settings) -> list[DocumentPrediction]:
    """Run the real pipeline over gold documents; return predictions in the same order."""
    from sitrep.process import build_pipeline

    pipeline = build_pipeline(settings.as_dict())
    pipeline.setup()
    min_confidence = settings["events.min_confidence"]
    out: list[DocumentPrediction] = []
    for batch in _batches(documents, EVAL_BATCH_SIZE):
        pages = [
            Page(
                origin=d.origin,
                text=d.text,
                html=d.html,
                published=d.published,
                published_source="record" if d.published else None,
            )
            for d in batch
        ]
        result = pipeline.run(pages)
        by_origin = {doc.origin: doc for doc in result.documents}
        failed = {f.origin: f"{f.stage}: {f.error}: {f.message}"[:500] for f in result.failures}
        for gold in batch:
            document = by_origin.get(gold.origin)
            every_modality = any(e.modality is not None for e in gold.events)
            events = () if document is None else document.events
            predicted = tuple(
                predicted_event(e)
                for e in events
                if e.confidence >= min_confidence
                and (every_modality or e.modality.value == "occurred")
            )
            out.append(DocumentPrediction(gold.events, predicted, error=failed.get(gold.origin)))
    return out


# -- scoring ---------------------------------------------------------------------------------------


def _ratio(num: int, den: int) -> float | None:
    return num / den if den else None


def _f1(precision: float | None, recall: float | None) -> float | None:
    if precision is None or recall is None:
        return None
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


class _Tally:
    """Counts of right answers per compared field."""

    def __init__(self) -> None:
        self.correct: Counter[str] = Counter()
        self.total: Counter[str] = Counter()

    def add(self, name: str, ok: bool) -> None:
        self.total[name] += 1
        self.correct[name] += int(ok)

    def scores(self, names: Sequence[str]) -> tuple[FieldScore, ...]:
        return tuple(
            FieldScore(n, self.correct[n], self.total[n], _ratio(self.correct[n], self.total[n]))
            for n in names
        )


FIELDS = (
    "event_type",
    "sub_event_type",
    "actor1",
    "actor2",
    "event_date",
    "location",
    "fatalities",
)


def _score_pair(
    pred: EvalEvent, gold: EvalEvent, tally: _Tally, *, normalise: ActorNormaliser
) -> None:
    if gold.sub_event_type is not None:
        tally.add("sub_event_type", pred.sub_event_type == gold.sub_event_type)
    a1, a2 = pred.actor1, pred.actor2
    if battle_sides_swapped(pred, gold, normalise=normalise):
        a1, a2 = a2, a1
    if gold.actor1 is not None:
        tally.add("actor1", actors_agree(a1, gold.actor1, normalise=normalise))
    if gold.actor2 is not None:
        tally.add("actor2", actors_agree(a2, gold.actor2, normalise=normalise))
    if gold.event_date is not None:
        tally.add("event_date", pred.event_date == gold.event_date)
    if gold.has_coordinates:
        distance = distance_km(pred, gold)
        tally.add("location", distance is not None and distance <= FIELD_KM)
    elif gold.location is not None:
        tally.add("location", same_place_name(pred, gold))
    if gold.fatalities is not None:
        tally.add("fatalities", fatalities_agree(pred.fatalities, gold.fatalities))


def score(
    predictions: Sequence[DocumentPrediction],
    *,
    normalise: ActorNormaliser,
    gold: str = "",
    sample: str | None = None,
    limit: int | None = None,
    seconds: float = 0.0,
) -> EvalReport:
    """Score predictions against gold, document by document (micro-averaged).

    Args:
        normalise: maps an actor name to its canonical comparison key.
    """
    tally = _Tally()
    confusion: Counter[tuple[str, str]] = Counter()
    type_gold: Counter[str] = Counter()
    type_pred: Counter[str] = Counter()
    type_matched: Counter[str] = Counter()
    calibration: list[tuple[float, bool]] = []
    geo_pairs: list[tuple[EvalEvent | None, EvalEvent]] = []
    matched = n_gold = n_pred = negatives = clean = any_place = 0
    for item in predictions:
        n_gold += len(item.gold)
        n_pred += len(item.predicted)
        if not item.gold:
            negatives += 1
            clean += int(not item.predicted)
        pairs = assign(item.predicted, item.gold)
        matched += len(pairs)
        blind = {
            p.gold: item.predicted[p.predicted]
            for p in assign(item.predicted, item.gold, check_place=False)
        }
        any_place += len(blind)
        geo_pairs.extend((blind.get(index), g) for index, g in enumerate(item.gold))
        matched_pred = {p.predicted for p in pairs}
        for pair in pairs:
            _score_pair(
                item.predicted[pair.predicted], item.gold[pair.gold], tally, normalise=normalise
            )
            type_matched[item.gold[pair.gold].event_type or MISSED] += 1
        type_gold.update(g.event_type or MISSED for g in item.gold)
        type_pred.update(p.event_type or SPURIOUS for p in item.predicted)
        for index, pred in enumerate(item.predicted):
            if pred.confidence is not None:
                calibration.append((pred.confidence, index in matched_pred))
        # Type-blind matching: which gold events found a predicted event at the right
        # place and time, whatever its type — so type confusions show up.
        loose = assign(item.predicted, item.gold, check_type=False)
        for pair in loose:
            pred, gold_item = item.predicted[pair.predicted], item.gold[pair.gold]
            tally.add("event_type", pred.event_type == gold_item.event_type)
            confusion[(gold_item.sub_event_type or "?", pred.sub_event_type or "?")] += 1
        loose_gold = {p.gold for p in loose}
        loose_pred = {p.predicted for p in loose}
        for index, gold_item in enumerate(item.gold):
            if index not in loose_gold:
                confusion[(gold_item.sub_event_type or "?", MISSED)] += 1
        for index, pred in enumerate(item.predicted):
            if index not in loose_pred:
                confusion[(SPURIOUS, pred.sub_event_type or "?")] += 1
    precision = _ratio(matched, n_pred)
    recall = _ratio(matched, n_gold)
    blind_p, blind_r = _ratio(any_place, n_pred), _ratio(any_place, n_gold)
    return EvalReport(
        gold=gold,
        sample=sample,
        limit=limit,
        documents=len(predictions),
        negative_documents=negatives,
        clean_negatives=clean,
        gold_events=n_gold,
        predicted_events=n_pred,
        matched=matched,
        failures=sum(item.failed for item in predictions),
        precision=precision,
        recall=recall,
        f1=_f1(precision, recall),
        any_place=Detection(any_place, blind_p, blind_r, _f1(blind_p, blind_r)),
        fields=tally.scores(FIELDS),
        by_event_type=_type_scores(type_gold, type_pred, type_matched),
        confusion=tuple(
            ConfusionCell(g, p, n)
            for (g, p), n in sorted(confusion.items(), key=lambda kv: (-kv[1], kv[0]))
        ),
        calibration=calibrate(calibration),
        brier=brier_score(calibration),
        geo=geography(geo_pairs),
        errors=tuple(dict.fromkeys(i.error for i in predictions if i.error is not None))[
            :MAX_ERRORS
        ],
        seconds=round(seconds, 2),
        measured_on=date.today().isoformat(),
    )


def geography(pairs: Sequence[tuple[EvalEvent | None, EvalEvent]]) -> GeoReport:
    """Score where events were placed: distances and geo precision (see ``GeoReport``).

    Args:
        pairs: every gold event with the prediction matched to it ignoring place, or None;
            gold events without coordinates are skipped.
    """
    located = [(pred, gold) for pred, gold in pairs if gold.has_coordinates]
    matched = [(pred, gold) for pred, gold in located if pred is not None]
    predicted_labels = Counter(_precision_label(pred) for pred, _ in matched)
    gold_labels = Counter(_precision_label(gold) for _, gold in matched)
    graded = [(pred, gold) for pred, gold in matched if gold.geo_precision is not None]
    agreed = sum(pred.geo_precision == gold.geo_precision for pred, gold in graded)
    confusion = Counter((_precision_label(gold), _precision_label(pred)) for pred, gold in graded)
    return GeoReport(
        matched=_distances(matched),
        all_gold=_distances(located),
        precisions=tuple(
            PrecisionShare(
                label,
                predicted_labels[label],
                _ratio(predicted_labels[label], len(matched)),
                gold_labels[label],
                _ratio(gold_labels[label], len(matched)),
            )
            for label in (*map(str, GEO_PRECISIONS), NO_PRECISION)
        ),
        precision_agreed=agreed,
        precision_total=len(graded),
        precision_agreement=_ratio(agreed, len(graded)),
        precision_confusion=tuple(
            ConfusionCell(g, p, n) for (g, p), n in sorted(confusion.items())
        ),
    )


def _precision_label(event: EvalEvent) -> str:
    return str(event.geo_precision) if event.geo_precision is not None else NO_PRECISION


def _distances(pairs: Sequence[tuple[EvalEvent | None, EvalEvent]]) -> GeoDistances:
    errors = [
        km
        for pred, gold in pairs
        if pred is not None and (km := distance_km(pred, gold)) is not None
    ]
    near = sum(km <= NEAR_KM for km in errors)
    far = sum(km <= FAR_KM for km in errors)
    return GeoDistances(
        events=len(pairs),
        located=len(errors),
        within_10km=near,
        within_161km=far,
        acc10=_ratio(near, len(pairs)),
        acc161=_ratio(far, len(pairs)),
        mean_km=statistics.fmean(errors) if errors else None,
        median_km=statistics.median(errors) if errors else None,
    )


def _type_scores(
    gold: Counter[str], predicted: Counter[str], matched: Counter[str]
) -> tuple[TypeScore, ...]:
    out = []
    for event_type in sorted(set(gold) | set(predicted)):
        precision = _ratio(matched[event_type], predicted[event_type])
        recall = _ratio(matched[event_type], gold[event_type])
        out.append(
            TypeScore(
                event_type,
                gold[event_type],
                predicted[event_type],
                matched[event_type],
                precision,
                recall,
                _f1(precision, recall),
            )
        )
    return tuple(out)


def calibrate(
    outcomes: Sequence[tuple[float, bool]], *, bins: int = CALIBRATION_BINS
) -> tuple[CalibrationBin, ...]:
    """Return ``bins`` equal-width confidence bins: mean confidence vs fraction matched."""
    if not outcomes:
        return ()
    grouped: list[list[tuple[float, bool]]] = [[] for _ in range(bins)]
    for confidence, ok in outcomes:
        index = min(bins - 1, max(0, int(confidence * bins)))
        grouped[index].append((confidence, ok))
    out = []
    for index, group in enumerate(grouped):
        mean = sum(c for c, _ in group) / len(group) if group else None
        rate = sum(ok for _, ok in group) / len(group) if group else None
        out.append(CalibrationBin(index / bins, (index + 1) / bins, len(group), mean, rate))
    return tuple(out)


def brier_score(outcomes: Sequence[tuple[float, bool]]) -> float | None:
    """Mean squared gap between confidence and outcome (1 matched, 0 not); None if empty."""
    if not outcomes:
        return None
    return sum((c - float(ok)) ** 2 for c, ok in outcomes) / len(outcomes)


# -- the command's library calls -------------------------------------------------------------------


def run_eval(
    gold_path: Path,
    *,
    settings: Settings,
    limit: int | None = None,
    sample: str | None = None,
) -> EvalReport:
    """Run the pipeline over a gold file and score it.

    Args:
        gold_path: a gold JSON Lines file.
        settings: resolved settings (the pipeline is built from them).
        limit: score only the first ``limit`` documents (of the sample).
        sample: "tune", "heldout" or None for every document (the split rule: ``split_of``).
    """
    documents = select(load_gold(gold_path), sample=sample, limit=limit)
    started = time.perf_counter()
    predictions = predict(documents, settings=settings)
    return score(
        predictions,
        normalise=dictionary_normaliser(),
        gold=str(gold_path),
        sample=sample,
        limit=limit,
        seconds=time.perf_counter() - started,
    )


def _pct(value: float | None) -> str:
    return "   –  " if value is None else f"{100 * value:5.1f}%"


def format_report(report: EvalReport, *, as_json: bool) -> str:
    """Render a report as indented JSON or as plain-text tables."""
    if as_json:
        return json.dumps(report.to_dict(), indent=2, ensure_ascii=False)
    sample = report.sample or "all"
    lines = [
        f"gold {report.gold} (sample {sample}"
        + (f", limit {report.limit}" if report.limit is not None else "")
        + f"), {report.seconds:.1f} s, {report.measured_on}",
        f"documents {report.documents}  failures {report.failures}  "
        f"gold events {report.gold_events}  predicted {report.predicted_events}  "
        f"matched {report.matched}",
        f"precision {_pct(report.precision)}  recall {_pct(report.recall)}  F1 {_pct(report.f1)}",
        f"ignoring place: precision {_pct(report.any_place.precision)}  "
        f"recall {_pct(report.any_place.recall)}  F1 {_pct(report.any_place.f1)}",
    ]
    lines += [f"  failure: {error}" for error in report.errors]
    if report.negative_documents:
        lines.append(
            f"documents without events {report.negative_documents}, "
            f"of which yielded none {report.clean_negatives}"
        )
    lines += ["", "field accuracy on matched pairs"]
    lines += [f"  {f.field:<16} {_pct(f.accuracy)}  ({f.correct}/{f.total})" for f in report.fields]
    lines += ["", f"  {'event type':<28} {'gold':>5} {'pred':>5} {'match':>5}   P       R       F1"]
    lines += [
        f"  {t.event_type:<28} {t.gold:>5} {t.predicted:>5} {t.matched:>5}  "
        f"{_pct(t.precision)} {_pct(t.recall)} {_pct(t.f1)}"
        for t in report.by_event_type
    ]
    lines += ["", "sub-event confusion (gold → predicted, type-blind matching)"]
    lines += [f"  {c.count:>5}  {c.gold} → {c.predicted}" for c in report.confusion]
    if report.calibration:
        lines += ["", "calibration (confidence bin: events, mean confidence, matched)"]
        lines += [
            f"  [{b.lower:.1f}, {b.upper:.1f})  {b.count:>5}  "
            f"{_pct(b.mean_confidence)}  {_pct(b.matched_rate)}"
            for b in report.calibration
            if b.count
        ]
        lines.append(f"  Brier score {report.brier:.3f}" if report.brier is not None else "")
    lines += _format_geo(report.geo)
    return "\n".join(line for line in lines).rstrip() + "\n"


def _km(value: float | None) -> str:
    return "–" if value is None else f"{value:,.1f} km"


def _format_geo(geo: GeoReport) -> list[str]:
    lines = ["", "geography (gold events with coordinates)"]
    views = (
        ("matched ignoring place", geo.matched),
        ("all gold (unmatched = miss)", geo.all_gold),
    )
    for name, view in views:
        lines.append(
            f"  {name:<28} {view.events:>5} events, {view.located:>5} placed  "
            f"≤10 km {_pct(view.acc10)}  ≤161 km {_pct(view.acc161)}  "
            f"mean {_km(view.mean_km)}  median {_km(view.median_km)}"
        )
    lines.append(
        f"  geo precision right {_pct(geo.precision_agreement)}  "
        f"({geo.precision_agreed}/{geo.precision_total} matched pairs whose gold gives one)"
    )
    lines.append(f"  {'geo precision':<14} {'predicted':>15} {'gold':>15}")
    lines += [
        f"  {s.precision:<14} {s.predicted:>7} {_pct(s.predicted_share)} "
        f"{s.gold:>7} {_pct(s.gold_share)}"
        for s in geo.precisions
    ]
    if geo.precision_confusion:
        lines.append("  geo precision confusion (gold → predicted)")
        lines += [f"  {c.count:>5}  {c.gold} → {c.predicted}" for c in geo.precision_confusion]
    return lines
