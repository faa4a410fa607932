"""sitrep's comment screener vs alt-profanity-check, per label, on held-out human-labelled tweets.

    .venv/bin/pip install --no-deps "alt-profanity-check==1.7.2"   # matches scikit-learn 1.7.2
    .venv/bin/python bench/screen_compare.py [--data ../shared/eval] [--split test|validation] \
        [--out bench/results/screen_compare.json]

The rows are the held-out test split of training/train_screen.py (same readers, same fixed seed,
same stratification), so sitrep never trained on them and no choice was made on them; with
``--split validation`` the validation split instead (a dev figure: training chose C, the identity
blend and the lexicon weights on it, and the shipped model is refit on it too, so sitrep's
validation AUCs here are optimistic). Only the Davidson and OLID rows are scored
(the assumed-clean news sentences have no human labels). Both systems score the same texts in the
same run; the ROC AUC of each label is reported for sitrep's combined score (learned head +
lexicon, what the moderation queue sees), sitrep's learned head alone, and alt-profanity-check's
single probability. Needs scikit-learn (for the split and the AUC) and alt-profanity-check.

Caveat printed into the result: alt-profanity-check was trained on Davidson et al.'s data among
others, so its Davidson figures may include tweets it saw in training (an advantage to it).
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.metrics import roc_auc_score

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "training"))
from train_screen import (  # noqa: E402
    Example,
    add_obscene_labels,
    read_davidson,
    read_news,
    read_olid,
    split,
)

from sitrep.screen import Lexicon, Screener  # noqa: E402


def labelled_rows(data: Path, which: str = "test") -> list[tuple[Example, int | None]]:
    """Davidson and OLID rows of one train_screen split, with Davidson's class (else None)."""
    davidson = read_davidson(data / "davidson-hate-offensive-dev.csv")
    examples = davidson + read_olid(data / "olid-training-v1.0.tsv")
    examples += read_news(data / "event-location-sentences.jsonl.zip")
    add_obscene_labels(examples, Lexicon.load())
    davidson_class = {id(e): _class_of(e) for e in davidson}
    _, valid, test = split(examples)
    rows = {"test": test, "validation": valid}[which]
    return [(e, davidson_class.get(id(e))) for e in rows if e.source in ("davidson", "olid")]


def _class_of(example: Example) -> int:
    if example.labels["identity_attack"]:
        return 0
    return 1 if example.labels["toxicity"] else 2


def auc(y: Sequence[int], score: Sequence[float]) -> float | None:
    """ROC AUC rounded to 4 places; None when the labels have one class only."""
    labels = np.asarray(y)
    if labels.min() == labels.max():
        return None
    return round(float(roc_auc_score(labels, np.asarray(score))), 4)


def compare(rows: list[tuple[Example, int | None]]) -> dict[str, Any]:
    """Score every row with both systems and compute the per-label AUCs."""
    from profanity_check import predict_prob

    texts = [e.text for e, _ in rows]
    screener = Screener.load()
    t0 = time.perf_counter()
    screenings = screener.screen_many(texts)
    sitrep_s = time.perf_counter() - t0
    learned = screener.model.predict(texts)
    t0 = time.perf_counter()
    baseline = [float(p) for p in predict_prob(texts)]
    baseline_s = time.perf_counter() - t0

    def combined(label: str) -> list[float]:
        return [s.score(label) or 0.0 for s in screenings]

    # Each task: (name, sitrep label, which rows, gold of a row).
    is_davidson = [c is not None for _, c in rows]
    tasks: list[tuple[str, str, list[bool], list[int], str]] = [
        (
            "toxicity",
            "toxicity",
            [True] * len(rows),
            [e.labels["toxicity"] for e, _ in rows],
            "abusive (Davidson hate or offensive, OLID OFF) vs neither / NOT; Davidson + OLID",
        ),
        (
            "toxicity_davidson",
            "toxicity",
            is_davidson,
            [e.labels["toxicity"] for e, _ in rows],
            "Davidson only: hate or offensive vs neither",
        ),
        (
            "toxicity_olid",
            "toxicity",
            [not d for d in is_davidson],
            [e.labels["toxicity"] for e, _ in rows],
            "OLID only: OFF vs NOT",
        ),
        (
            "insult",
            "insult",
            [True] * len(rows),
            [e.labels["insult"] for e, _ in rows],
            "OLID OFF+TIN+IND or Davidson hate/offensive vs the rest; Davidson + OLID",
        ),
        (
            "identity_attack",
            "identity_attack",
            [True] * len(rows),
            [e.labels["identity_attack"] for e, _ in rows],
            "Davidson hate speech or OLID OFF targeted at a group vs the rest; Davidson + OLID",
        ),
        (
            "identity_attack_davidson",
            "identity_attack",
            is_davidson,
            [e.labels["identity_attack"] for e, _ in rows],
            "Davidson only: hate speech vs offensive or neither",
        ),
        (
            "obscene_human",
            "obscene",
            is_davidson,
            [int(c in (0, 1)) for _, c in rows],
            "profanity, human labels: Davidson 'offensive language' or 'hate speech' vs "
            "'neither'; Davidson's offensive class is mostly profane tweets",
        ),
        (
            "obscene_human_offensive_only",
            "obscene",
            [c in (1, 2) for _, c in rows],
            [int(c == 1) for _, c in rows],
            "profanity, human labels: Davidson 'offensive language' vs 'neither' (hate rows "
            "left out), the definition of the previous run",
        ),
        (
            "obscene_olid",
            "obscene",
            [not d for d in is_davidson],
            [e.labels["toxicity"] for e, _ in rows],
            "profanity or offence, human labels: OLID OFF vs NOT (OLID's guidelines count "
            "profanity as offensive)",
        ),
        (
            "obscene_lexicon",
            "obscene",
            [True] * len(rows),
            [e.labels["obscene_lexicon"] for e, _ in rows],
            "profanity, WEAK labels (a medium/high obscene hit of sitrep's own lexicon); "
            "agreement with the lexicon, not human judgement; Davidson + OLID",
        ),
    ]
    results: dict[str, Any] = {}
    for name, label, mask, gold, definition in tasks:
        idx = [i for i, m in enumerate(mask) if m]
        y = [gold[i] for i in idx]
        results[name] = {
            "definition": definition,
            "sitrep_score": label,
            "n": len(idx),
            "positives": int(sum(y)),
            "auc_sitrep": auc(y, [combined(label)[i] for i in idx]),
            "auc_sitrep_learned_head": auc(y, [float(learned[label][i]) for i in idx]),
            "auc_alt_profanity_check": auc(y, [baseline[i] for i in idx]),
        }
    return {
        "labels": results,
        "seconds": {
            "sitrep_screen_many": round(sitrep_s, 2),
            "alt_profanity_check": round(baseline_s, 2),
        },
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "eval")
    parser.add_argument("--split", choices=("test", "validation"), default="test")
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args(argv)
    from importlib.metadata import version

    suffix = "" if args.split == "test" else "_validation"
    out = args.out or ROOT / f"bench/results/screen_compare{suffix}.json"
    rows = labelled_rows(args.data, args.split)
    kind = (
        "held-out test split (never trained on, no choice made on it)"
        if args.split == "test"
        else "validation split (DEV figures: choices were made on it and the shipped model is "
        "refit on it)"
    )
    result = {
        "command": "python bench/screen_compare.py"
        + ("" if args.split == "test" else " --split validation"),
        "data": f"{kind} of training/train_screen.py (seed 20250): Davidson et al. "
        "2017 and OLID (Zampieri et al. 2019) rows only",
        "rows": len(rows),
        "sitrep": Screener.load().version,
        "alt_profanity_check": version("alt-profanity-check"),
        "scikit_learn": version("scikit-learn"),
        "python": platform.python_version(),
        "caveat": "alt-profanity-check's training data includes Davidson et al.'s tweets, so "
        "its Davidson figures may be on tweets it was trained on; sitrep never saw these rows",
    } | compare(rows)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    for name, r in result["labels"].items():
        print(
            f"{name:26s} n={r['n']:5d} pos={r['positives']:5d}  sitrep {r['auc_sitrep']}  "
            f"learned {r['auc_sitrep_learned_head']}  alt-profanity-check "
            f"{r['auc_alt_profanity_check']}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
