"""Train sitrep's comment-screening model and export it for numpy-only inference.

    .venv/bin/python training/train_screen.py --data ../shared/eval --out src/sitrep/data/screen/

Reads (never copies) Davidson et al. 2017, OLID (Zampieri et al. 2019) and, as assumed-clean news
prose, the event-location sentences (Halterman, MIT); splits them with a fixed seed into train /
validation / held-out test (stratified); picks C per head, the identity blend and the lexicon
weights on validation; refits on train + validation; evaluates the exported artifact through
sitrep.screen on the held-out test split and on the hand-written probes; writes model.npz,
metrics.json and fixture-predictions.json (probes.json is only read).
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
from sitrep.screen.model import BOOSTED, Screener, boost, learned_identity

SEED = 20250
HEADS = ("toxicity", "insult", "identity_attack", "obscene", "identity_given_toxic")
# The heads that are screening scores themselves (identity_given_toxic only feeds identity_attack).
SCORED = HEADS[:4]
WORD_NGRAMS = (1, 2)
CHAR_NGRAMS = (2, 5)
WORD_MAX_FEATURES = 60_000
CHAR_MAX_FEATURES = 150_000
# C per head, chosen on validation. identity_attack has few positives and likes stronger
# regularisation (validation AUC rose from C 2 to C 0.5); docs/screen-model.md.
C_GRID = {
    "toxicity": (2.0, 4.0, 8.0),
    "insult": (2.0, 4.0, 8.0),
    "identity_attack": (0.25, 0.5, 1.0, 2.0),
    "obscene": (1.0, 2.0, 4.0),
    "identity_given_toxic": (0.5, 1.0, 2.0, 4.0),
}
# Heads whose features are scaled by naive-Bayes log-count ratios before the regression
# (NB-LR, Wang & Manning 2012); the scaling folds into the exported coefficients.
NB_HEADS = frozenset({"obscene"})
IDENTITY_BLENDS = (0.0, 0.5, 1.0)
LEXICON_WEIGHTS = (0.0, 0.5, 1.0, 2.0, 4.0)
VERSION = "screen-tfidf-lr-2"


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
    """Obscene labels: human where the data has them, the lexicon's weak label elsewhere.

    ``obscene_lexicon`` is the weak label (a medium/high obscene hit). ``obscene``, what the head
    learns: Davidson's human judgement alone (hate or offensive vs neither: its offensive class
    is mostly profanity, and where annotators said "neither" despite a swear word they are
    trusted); OLID ``OFF`` (its guidelines count profanity as offensive) or a lexicon hit; news
    sentences, the lexicon (almost never).
    """
    for ex in examples:
        hits = lexicon.find(ex.text)
        weak = int(any(h.label == "obscene" and h.severity != "low" for h in hits))
        ex.labels["obscene_lexicon"] = weak
        if ex.source == "davidson":
            ex.labels["obscene"] = ex.labels["toxicity"]
        elif ex.source == "olid":
            ex.labels["obscene"] = max(ex.labels["toxicity"], weak)
        else:
            ex.labels["obscene"] = weak
        # The chain's second factor: among toxic rows, is it aimed at a group?
        ex.labels["identity_given_toxic"] = ex.labels["identity_attack"]


def head_rows(rows: Sequence[Example], head: str) -> np.ndarray:
    """Which rows a head trains and is validated on: all, or the toxic ones for the chain."""
    if head == "identity_given_toxic":
        return np.array([bool(r.labels["toxicity"]) for r in rows])
    return np.ones(len(rows), dtype=bool)


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


@dataclass(frozen=True)
class Head:
    """One fitted linear head on the raw TF-IDF features (any NB scaling folded in)."""

    coef: np.ndarray
    intercept: float

    def predict(self, x: Any) -> np.ndarray:
        """Probabilities for TF-IDF rows (scipy), independent of sitrep's numpy inference."""
        z = np.asarray(x @ self.coef).ravel() + self.intercept
        return np.asarray(1.0 / (1.0 + np.exp(-z)))


def nb_ratio(x: Any, y: np.ndarray, alpha: float = 1.0) -> np.ndarray:
    """Naive-Bayes log-count ratio of each feature between positive and negative rows."""
    pos = alpha + np.asarray(x[y == 1].sum(axis=0)).ravel()
    neg = alpha + np.asarray(x[y == 0].sum(axis=0)).ravel()
    return np.asarray(np.log((pos / pos.sum()) / (neg / neg.sum())))


def fit_head(x: Any, y: np.ndarray, c: float, *, nb: bool = False) -> Head:
    """Fit an L2 logistic regression; with ``nb`` on NB-scaled features, folded back."""
    if not nb:
        model = LogisticRegression(C=c, solver="liblinear", max_iter=1000).fit(x, y)
        return Head(model.coef_[0].copy(), float(model.intercept_[0]))
    ratio = nb_ratio(x, y)
    model = LogisticRegression(C=c, solver="liblinear", max_iter=1000)
    model.fit(sparse.csr_matrix(x.multiply(ratio)), y)
    # (x * r) . w = x . (r * w): the scaled model is a plain linear head on x.
    return Head(model.coef_[0] * ratio, float(model.intercept_[0]))


def lexicon_scores(lexicon: Lexicon, texts: Sequence[str]) -> dict[str, np.ndarray]:
    """The strongest lexicon severity score per text for each boosted label (0 without a hit)."""
    severity = lexicon.severity_scores
    out = {label: np.zeros(len(texts)) for label in BOOSTED}
    for i, text in enumerate(texts):
        for hit in lexicon.find(text):
            if hit.label in out:
                out[hit.label][i] = max(out[hit.label][i], severity[hit.severity])
    return out


def identity_scores(p: dict[str, np.ndarray], blend: float) -> np.ndarray:
    """The learned identity probability of every row, as sitrep.screen combines it."""
    return np.array(
        [
            learned_identity({h: float(p[h][i]) for h in HEADS}, blend)
            for i in range(len(p["identity_attack"]))
        ]
    )


def choose_combination(
    valid: Sequence[Example], p: dict[str, np.ndarray], lexical: dict[str, np.ndarray]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Pick the identity blend and each boosted label's lexicon weight by validation ROC AUC.

    Only rows with human labels (Davidson, OLID) count: the news sentences' labels are assumed.
    """
    human = np.array([e.source in ("davidson", "olid") for e in valid])

    def auc_of(label: str, score: np.ndarray) -> float:
        y = np.array([e.labels[label] for e in valid])[human]
        return float(roc_auc_score(y, score[human]))

    blends = {b: identity_scores(p, b) for b in IDENTITY_BLENDS}
    blend_auc = {b: auc_of("identity_attack", s) for b, s in blends.items()}
    blend = max(IDENTITY_BLENDS, key=lambda b: (blend_auc[b], -b))
    learned = {"identity_attack": blends[blend], "obscene": p["obscene"]}
    weights: dict[str, float | None] = {}
    table: dict[str, Any] = {
        "identity_blend_auc": {str(b): round(a, 4) for b, a in blend_auc.items()}
    }
    for label in BOOSTED:
        options: list[float | None] = [None, *LEXICON_WEIGHTS]
        scores = {
            str(w): auc_of(
                label,
                np.array(
                    [
                        boost(float(q), float(x), w)
                        for q, x in zip(learned[label], lexical[label], strict=True)
                    ]
                ),
            )
            for w in options
        }
        # Ties go to the smaller weight; "None" (max) only when strictly better.
        best = max(LEXICON_WEIGHTS, key=lambda w: (scores[str(w)], -w))
        weights[label] = None if scores["None"] > scores[str(best)] else best
        table[f"{label}_lexicon_weight_auc"] = {
            ("max" if k == "None" else k): round(v, 4) for k, v in scores.items()
        }
    return {"identity_blend": blend, "lexicon_logit_weight": weights}, table


def export(
    out: Path,
    word: TfidfVectorizer,
    char: TfidfVectorizer,
    models: dict[str, Head],
    meta: dict[str, Any],
) -> Path:
    """Write vocabularies, idf and coefficients as a pickle-free .npz."""

    def vocab(v: TfidfVectorizer) -> list[str]:
        return [g for g, _ in sorted(v.vocabulary_.items(), key=lambda kv: kv[1])]

    coef = np.vstack([models[h].coef for h in HEADS]).astype(np.float32)
    intercept = np.array([models[h].intercept for h in HEADS], dtype=np.float32)
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
    valid_p: dict[str, np.ndarray] = {}
    for head in HEADS:
        rows_t, rows_v = head_rows(train, head), head_rows(valid, head)
        y_t, y_v = labels(train, head)[rows_t], labels(valid, head)[rows_v]
        best: tuple[float, float, np.ndarray] | None = None
        for c in C_GRID[head]:
            p = fit_head(x_train[rows_t], y_t, c, nb=head in NB_HEADS).predict(x_valid)
            auc = float(roc_auc_score(y_v, p[rows_v]))
            if best is None or auc > best[0]:
                best = (auc, c, p)
        assert best is not None
        chosen[head] = best[1]
        valid_p[head] = best[2]
        validation[head] = (
            head_metrics(y_v, best[2][rows_v])
            | best_f1_threshold(y_v, best[2][rows_v])
            | {"C": best[1], "rows": "toxic rows only" if not rows_v.all() else "all"}
        )
        print(f"validation {head}: {validation[head]}", flush=True)
    combine, combine_table = choose_combination(
        valid, valid_p, lexicon_scores(lexicon, [e.text for e in valid])
    )
    print(f"validation combination: {combine} {combine_table}", flush=True)

    # 2. Refit on train + validation with the chosen C; export; evaluate the export on test.
    fit_rows = train + valid
    word, char, x_fit = fit_features([e.text for e in fit_rows])
    models = {}
    for h in HEADS:
        rows = head_rows(fit_rows, h)
        models[h] = fit_head(x_fit[rows], labels(fit_rows, h)[rows], chosen[h], nb=h in NB_HEADS)
    meta = {
        "version": VERSION,
        "word_ngram_range": list(WORD_NGRAMS),
        "char_ngram_range": list(CHAR_NGRAMS),
        "sublinear_tf": True,
        "heads": list(HEADS),
        "C": chosen,
        "nb_heads": sorted(NB_HEADS),
        "combine": combine,
        "seed": SEED,
        "data_sha256": {k: sha256(v) for k, v in files.items()},
        "sklearn_features": {"word": len(word.vocabulary_), "char": len(char.vocabulary_)},
    }
    args.out.mkdir(parents=True, exist_ok=True)
    artifact = export(args.out, word, char, models, meta)
    screener = Screener(*_fresh_parts(artifact, args.out / "lexicon.json"))

    test_texts = [e.text for e in test]
    learned = screener.model.predict(test_texts)
    test_metrics = {}
    for h in HEADS:
        rows = head_rows(test, h)
        test_metrics[h] = head_metrics(labels(test, h)[rows], learned[h][rows])
    screenings = screener.screen_many(test_texts)
    combined = {
        h: head_metrics(labels(test, h), np.array([s.score(h) for s in screenings])) for h in SCORED
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
            for h in (*SCORED, "obscene_lexicon")
        },
        "validation_learned": validation,
        "validation_combination": {"chosen": combine} | combine_table,
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
        "predictions": {h: [round(float(v), 6) for v in models[h].predict(x_fix)] for h in HEADS},
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
