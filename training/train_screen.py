"""Train sitrep's comment-screening model and export it for numpy-only inference.

    .venv/bin/python training/train_screen.py --data ../shared/eval --out src/sitrep/data/screen/

Reads (never copies) Davidson et al. 2017, OLID (Zampieri et al. 2019) and, as assumed-clean news
prose, the event-location sentences (Halterman, MIT); splits them with a fixed seed into train /
validation / held-out test (stratified); picks C per head on validation; refits on train +
validation; evaluates the exported artifact through sitrep.screen on the held-out test split and on
the hand-written probes; writes model.npz, metrics.json and fixture-predictions.json.
Needs scikit-learn (training only). See docs/screen-model.md.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import random
import sys
import time
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score, precision_score, recall_score, roc_auc_score
from sklearn.model_selection import train_test_split

from sitrep.screen.features import encode_lines, normalise_text
from sitrep.screen.lexicon import Lexicon
from sitrep.screen.model import Screener

SEED = 20250
HEADS = ("toxicity", "insult", "identity_attack", "obscene")
WORD_NGRAMS = (1, 2)
CHAR_NGRAMS = (2, 5)
WORD_MAX_FEATURES = 60_000
CHAR_MAX_FEATURES = 150_000
C_GRID = (2.0, 4.0, 8.0)
VERSION = "screen-tfidf-lr-1"


@dataclass
class Example:
    text: str
    source: str
    labels: dict[str, int] = field(default_factory=dict)


def read_davidson(path: Path) -> list[Example]:
    """Davidson et al. 2017: class 0 hate, 1 offensive, 2 neither."""
    out = []
    with path.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            cls = int(row["class"])
            labels = {
                "toxicity": int(cls in (0, 1)),
                # Hate speech at people is insulting too; docs/screen-model.md "insult".
                "insult": int(cls in (0, 1)),
                "identity_attack": int(cls == 0),
            }
            out.append(Example(row["tweet"], "davidson", labels))
    return out


def read_olid(path: Path) -> list[Example]:
    """OLID: subtask_a OFF/NOT, b TIN/UNT, c IND/GRP/OTH."""
    out = []
    # 24 lines of the public copy hold broken UTF-8; replace those bytes rather than drop rows.
    with path.open(encoding="utf-8", errors="replace", newline="") as f:
        for row in csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE):
            off = row["subtask_a"] == "OFF"
            labels = {
                "toxicity": int(off),
                "insult": int(off and row["subtask_b"] == "TIN" and row["subtask_c"] == "IND"),
                "identity_attack": int(off and row["subtask_c"] == "GRP"),
            }
            out.append(Example(row["tweet"], "olid", labels))
    return out


def read_news(path: Path) -> list[Example]:
    """Event-location news sentences: assumed non-abusive news prose (weak negatives)."""
    with zipfile.ZipFile(path) as z:
        name = next(n for n in z.namelist() if n.endswith(".jsonl") and "MACOSX" not in n)
        records = json.loads(z.read(name).decode("utf-8"))
    texts = sorted({r["text"].strip() for r in records if r.get("text", "").strip()})
    zero = {"toxicity": 0, "insult": 0, "identity_attack": 0}
    return [Example(t, "news", dict(zero)) for t in texts]


def read_tr_news_paragraphs(path: Path) -> list[str]:
    """TR-News article paragraphs (GPL-3.0): measured on only, never trained on."""
    root = ElementTree.parse(path).getroot()
    paragraphs: list[str] = []
    for article in root.iter("article"):
        text = article.findtext("text") or ""
        paragraphs.extend(p.strip() for p in text.split("\n") if len(p.strip()) > 20)
    return paragraphs


def add_obscene_labels(examples: Sequence[Example], lexicon: Lexicon) -> None:
    """Weak obscene labels: a medium/high obscene lexicon hit (the learned head generalises it)."""
    for ex in examples:
        hits = lexicon.find(ex.text)
        ex.labels["obscene"] = int(any(h.label == "obscene" and h.severity != "low" for h in hits))


def split(examples: list[Example]) -> tuple[list[Example], list[Example], list[Example]]:
    """Stratified train (64%) / validation (16%) / held-out test (20%) with a fixed seed."""
    keys = [f"{e.source}:{e.labels['toxicity']}:{e.labels['identity_attack']}" for e in examples]
    rest, test, rest_keys, _ = train_test_split(
        examples, keys, test_size=0.2, random_state=SEED, stratify=keys
    )
    train, valid = train_test_split(rest, test_size=0.2, random_state=SEED, stratify=rest_keys)
    return train, valid, test


def vectorisers() -> tuple[TfidfVectorizer, TfidfVectorizer]:
    common: dict[str, Any] = {"preprocessor": normalise_text, "sublinear_tf": True, "min_df": 2}
    word = TfidfVectorizer(
        analyzer="word", ngram_range=WORD_NGRAMS, max_features=WORD_MAX_FEATURES, **common
    )
    char = TfidfVectorizer(
        analyzer="char_wb", ngram_range=CHAR_NGRAMS, max_features=CHAR_MAX_FEATURES, **common
    )
    return word, char


def fit_features(
    texts: Sequence[str],
) -> tuple[TfidfVectorizer, TfidfVectorizer, sparse.csr_matrix]:
    word, char = vectorisers()
    x = sparse.hstack([word.fit_transform(texts), char.fit_transform(texts)]).tocsr()
    return word, char, x


def features(word: TfidfVectorizer, char: TfidfVectorizer, texts: Sequence[str]) -> Any:
    return sparse.hstack([word.transform(texts), char.transform(texts)]).tocsr()


def head_metrics(y: np.ndarray, p: np.ndarray, *, threshold: float = 0.5) -> dict[str, Any]:
    pred = (p >= threshold).astype(int)
    return {
        "n": len(y),
        "positives": int(y.sum()),
        "roc_auc": round(float(roc_auc_score(y, p)), 4) if 0 < y.sum() < len(y) else None,
        "threshold": threshold,
        "precision": round(float(precision_score(y, pred, zero_division=0)), 4),
        "recall": round(float(recall_score(y, pred, zero_division=0)), 4),
        "f1": round(float(f1_score(y, pred, zero_division=0)), 4),
    }


def best_f1_threshold(y: np.ndarray, p: np.ndarray) -> dict[str, float]:
    """The threshold (0.05 steps) with the best F1: information for choosing settings."""
    grid = np.round(np.arange(0.05, 1.0, 0.05), 2)
    scores = [f1_score(y, (p >= t).astype(int), zero_division=0) for t in grid]
    best = int(np.argmax(scores))
    return {"best_f1_threshold": float(grid[best]), "best_f1": round(float(scores[best]), 4)}


def fit_head(x: Any, y: np.ndarray, c: float) -> LogisticRegression:
    return LogisticRegression(C=c, solver="liblinear", max_iter=1000).fit(x, y)


def export(
    out: Path,
    word: TfidfVectorizer,
    char: TfidfVectorizer,
    models: dict[str, LogisticRegression],
    meta: dict[str, Any],
) -> Path:
    """Write vocabularies, idf and coefficients as a pickle-free .npz."""

    def vocab(v: TfidfVectorizer) -> list[str]:
        return [g for g, _ in sorted(v.vocabulary_.items(), key=lambda kv: kv[1])]

    coef = np.vstack([models[h].coef_[0] for h in HEADS]).astype(np.float32)
    intercept = np.array([models[h].intercept_[0] for h in HEADS], dtype=np.float32)
    path = out / "model.npz"
    np.savez_compressed(
        path,
        word_vocab=encode_lines(vocab(word)),
        word_idf=word.idf_.astype(np.float32),
        char_vocab=encode_lines(vocab(char)),
        char_idf=char.idf_.astype(np.float32),
        heads=encode_lines(HEADS),
        coef=coef,
        intercept=intercept,
        meta=np.frombuffer(json.dumps(meta).encode("utf-8"), dtype=np.uint8).copy(),
    )
    return path


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def flagged_rate(screenings: Sequence[Any]) -> float:
    return round(float(sum(s.decision != "ok" for s in screenings)) / max(len(screenings), 1), 4)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/eval"))
    parser.add_argument("--out", type=Path, default=Path("src/sitrep/data/screen"))
    args = parser.parse_args(argv)
    started = time.monotonic()
    random.seed(SEED)
    np.random.seed(SEED)

    files = {
        "davidson": args.data / "davidson-hate-offensive-dev.csv",
        "olid": args.data / "olid-training-v1.0.tsv",
        "news": args.data / "event-location-sentences.jsonl.zip",
    }
    lexicon = Lexicon.load(args.out / "lexicon.json")
    examples = read_davidson(files["davidson"]) + read_olid(files["olid"])
    examples += read_news(files["news"])
    add_obscene_labels(examples, lexicon)
    train, valid, test = split(examples)
    print(f"examples: train {len(train)}, validation {len(valid)}, test {len(test)}", flush=True)

    def labels(rows: Sequence[Example], head: str) -> np.ndarray:
        return np.array([r.labels[head] for r in rows])

    # 1. Fit on train, choose C per head on validation (ROC-AUC); test is never looked at here.
    word, char, x_train = fit_features([e.text for e in train])
    x_valid = features(word, char, [e.text for e in valid])
    chosen: dict[str, float] = {}
    validation: dict[str, Any] = {}
    for head in HEADS:
        best: tuple[float, float, np.ndarray] | None = None
        for c in C_GRID:
            p = fit_head(x_train, labels(train, head), c).predict_proba(x_valid)[:, 1]
            auc = float(roc_auc_score(labels(valid, head), p))
            if best is None or auc > best[0]:
                best = (auc, c, p)
        assert best is not None
        chosen[head] = best[1]
        validation[head] = (
            head_metrics(labels(valid, head), best[2])
            | best_f1_threshold(labels(valid, head), best[2])
            | {"C": best[1]}
        )
        print(f"validation {head}: {validation[head]}", flush=True)

    # 2. Refit on train + validation with the chosen C; export; evaluate the export on test.
    fit_rows = train + valid
    word, char, x_fit = fit_features([e.text for e in fit_rows])
    models = {h: fit_head(x_fit, labels(fit_rows, h), chosen[h]) for h in HEADS}
    meta = {
        "version": VERSION,
        "word_ngram_range": list(WORD_NGRAMS),
        "char_ngram_range": list(CHAR_NGRAMS),
        "sublinear_tf": True,
        "heads": list(HEADS),
        "C": chosen,
        "seed": SEED,
        "data_sha256": {k: sha256(v) for k, v in files.items()},
        "sklearn_features": {"word": len(word.vocabulary_), "char": len(char.vocabulary_)},
    }
    args.out.mkdir(parents=True, exist_ok=True)
    artifact = export(args.out, word, char, models, meta)
    screener = Screener(*_fresh_parts(artifact, args.out / "lexicon.json"))

    test_texts = [e.text for e in test]
    learned = screener.model.predict(test_texts)
    test_metrics = {h: head_metrics(labels(test, h), learned[h]) for h in HEADS}
    screenings = screener.screen_many(test_texts)
    combined = {
        h: head_metrics(labels(test, h), np.array([s.score(h) for s in screenings])) for h in HEADS
    }
    flagged = np.array([int(s.decision != "ok") for s in screenings])
    tox = labels(test, "toxicity")
    by_source = {}
    for source in ("davidson", "olid", "news"):
        mask = np.array([e.source == source for e in test])
        by_source[source] = {
            "n": int(mask.sum()),
            "flagged_rate": round(float(flagged[mask].mean()), 4),
            "toxicity_recall": round(float(recall_score(tox[mask], flagged[mask])), 4)
            if tox[mask].sum()
            else None,
        }

    probes = json.loads((args.out / "probes.json").read_text(encoding="utf-8"))
    probe_results = {}
    for kind in ("news", "abusive", "civil"):
        shots = screener.screen_many(probes[kind])
        probe_results[kind] = {
            "n": len(shots),
            "flagged_rate": flagged_rate(shots),
            "toxicity_at_or_above_0.5": sum(s.score("toxicity") >= 0.5 for s in shots),
            "max_toxicity": round(max(s.score("toxicity") for s in shots), 4),
        }
        print(f"probes {kind}: {probe_results[kind]}", flush=True)
    tr_news = read_tr_news_paragraphs(args.data / "tr-news-geoparsing.xml")
    tr_shots = screener.screen_many(tr_news)
    print(f"TR-News paragraphs flagged: {flagged_rate(tr_shots)} of {len(tr_news)}", flush=True)
    for kind, shots in (("news", probes["news"]), ("civil", probes["civil"])):
        for text, s in zip(shots, screener.screen_many(shots), strict=True):
            if s.decision != "ok":
                print(f"  false positive ({kind}): {s.decision} {s.scores} {text}")

    metrics = {
        "model": screener.version,
        "splits": {"train": len(train), "validation": len(valid), "test": len(test)},
        "label_counts": {
            h: {
                "train+validation": int(labels(fit_rows, h).sum()),
                "test": int(labels(test, h).sum()),
            }
            for h in HEADS
        },
        "validation_learned": validation,
        "test_learned": test_metrics,
        "test_combined_scores": combined,
        "test_decision_vs_toxicity": head_metrics(tox, flagged.astype(float))
        | {"by_source": by_source},
        "news_false_positive_rate": {
            "probes_news": probe_results["news"]["flagged_rate"],
            "heldout_news_sentences": by_source["news"]["flagged_rate"],
            "tr_news_paragraphs": flagged_rate(tr_shots),
            "tr_news_paragraphs_n": len(tr_news),
        },
        "probes": probe_results,
        "artifact_bytes": artifact.stat().st_size,
        "train_seconds": round(time.monotonic() - started, 1),
    }
    (args.out / "metrics.json").write_text(json.dumps(metrics, indent=1) + "\n", encoding="utf-8")

    # Training-time predictions (scikit-learn pipeline) on the probes, for the inference test.
    fixture_texts = probes["news"] + probes["abusive"] + probes["civil"]
    x_fix = features(word, char, fixture_texts)
    fixture = {
        "model": VERSION,
        "texts": fixture_texts,
        "predictions": {
            h: [round(float(v), 6) for v in models[h].predict_proba(x_fix)[:, 1]] for h in HEADS
        },
    }
    (args.out / "fixture-predictions.json").write_text(
        json.dumps(fixture, indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    print(
        json.dumps({k: metrics[k] for k in ("test_learned", "news_false_positive_rate")}, indent=1)
    )
    print(f"done in {metrics['train_seconds']} s; artifact {metrics['artifact_bytes']} bytes")
    return 0


def _fresh_parts(artifact: Path, lexicon_path: Path) -> tuple[Any, Lexicon]:
    # Not Screener.load: its per-process cache could hold an older artifact at the same path.
    from sitrep.screen.model import Model

    return Model.read(artifact), Lexicon.load(lexicon_path)


if __name__ == "__main__":
    sys.exit(main())
