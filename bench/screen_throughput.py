"""Comment-screening throughput on one core: today's Screener vs the pre-optimisation code.

    taskset -c 0 .venv/bin/python bench/screen_throughput.py [--comments 5000] [--repeats 5] \
        [--data ../shared/eval] [--out bench/results/screen_throughput.json]

Comments: half the held-out Davidson test tweets of training/train_screen.py (fixed seed), half
reader comments assembled from bench/corpus.py's COMMENTS and the sentences below (1–4 sentences,
some replies, some abusive or obfuscated), shuffled with a fixed seed. Both screeners run on the
same texts in the same process, alternately, ``--repeats`` times; the best run of each counts.
The baseline is bench/screen_baseline.py, a frozen copy of the code before the throughput work,
on the same shipped model. BLAS/OpenMP threads are pinned to 1 before numpy loads; run under
``taskset -c 0`` for one core (the script records the CPU affinity it saw). Rates are given by
wall clock and by process CPU time (the latter is steadier on a shared machine). The two
screeners' outputs are compared: learned probabilities and whole Screenings must agree.
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

import argparse  # noqa: E402
import json  # noqa: E402
import platform  # noqa: E402
import random  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from collections.abc import Sequence  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

import numpy as np  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "training"))
from corpus import AUTHORS, COMMENTS  # noqa: E402
from screen_baseline import baseline_screener  # noqa: E402

from sitrep.screen import Screener  # noqa: E402

SEED = 11
MORE_SENTENCES = [
    "Great reporting, thank you for covering this when nobody else does.",
    "The government has been lying about the numbers for months.",
    "I lived in that town for ten years and it breaks my heart to read this.",
    "Both sides are guilty, but only one side has an air force.",
    "Stop spreading propaganda, this never happened the way you describe it.",
    "How many more civilians have to die before the world pays attention?",
    "Source? Because the ministry said something completely different yesterday.",
    "What a load of sh1t, you people will believe anything.",
    "Shut up you f*cking moron, nobody asked for your opinion.",
    "These politicians are a bunch of useless clowns.",
    "God bless the families, stay strong.",
    "Anyone who supports this deserves to be locked up.",
    "lol the usual suspects again..",
    "Correction: the bridge was hit on Tuesday, not Monday.",
    "The article fails to mention who started the shelling in the first place.",
    "I hope the negotiations in Geneva finally lead somewhere this time.",
    "Another day, another massacre, and the UN will 'express concern' as always!!!",
    "You're an idiot if you think sanctions will change anything.",
    "My cousin works for an aid group there; the roads have been closed for weeks.",
    "F U C K this war and everyone who profits from it.",
]


def davidson_test_texts(data: Path) -> list[str]:
    """The Davidson tweets of train_screen's held-out test split (needs scikit-learn)."""
    from train_screen import read_davidson, read_news, read_olid, split

    examples = read_davidson(data / "davidson-hate-offensive-dev.csv")
    examples += read_olid(data / "olid-training-v1.0.tsv")
    examples += read_news(data / "event-location-sentences.jsonl.zip")
    _, _, test = split(examples)
    return [e.text for e in test if e.source == "davidson"]


def reader_comments(n: int, *, seed: int = SEED) -> list[str]:
    """``n`` reader comments of 1–4 sentences, some addressed to another reader."""
    rng = random.Random(seed)
    pool = list(COMMENTS) + MORE_SENTENCES
    out = []
    for _ in range(n):
        text = " ".join(rng.choice(pool) for _ in range(rng.choice((1, 1, 2, 2, 3, 4))))
        if rng.random() < 0.2:
            text = f"@{rng.choice(AUTHORS).split()[0]} {text}"
        out.append(text)
    return out


def workload(data: Path, n: int) -> list[str]:
    """Half Davidson test tweets, half generated reader comments, shuffled with a fixed seed."""
    rng = random.Random(SEED)
    tweets = davidson_test_texts(data)
    half = min(n // 2, len(tweets))
    texts = rng.sample(tweets, half) + reader_comments(n - half)
    rng.shuffle(texts)
    return texts


def timed(screener: Any, texts: Sequence[str]) -> tuple[float, float]:
    """(wall seconds, process CPU seconds) of one screen_many pass."""
    wall, cpu = time.perf_counter(), time.process_time()
    screener.screen_many(texts)
    return time.perf_counter() - wall, time.process_time() - cpu


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--comments", type=int, default=5000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "eval")
    parser.add_argument("--out", type=Path, default=ROOT / "bench/results/screen_throughput.json")
    args = parser.parse_args(argv)

    texts = workload(args.data, args.comments)
    current, baseline = Screener.load(), baseline_screener()
    # Warm both (model load, regex compilation, the per-word cache's first fill is timed:
    # the warm-up uses other texts so the timed runs do not start from a full cache).
    warm = reader_comments(200, seed=SEED + 1)
    current.screen_many(warm)
    baseline.screen_many(warm)

    new_probs, old_probs = current.model.predict(texts), baseline.model.predict(texts)
    max_diff = max(float(np.abs(new_probs[k] - old_probs[k]).max()) for k in new_probs)
    pairs = zip(current.screen_many(texts), baseline.screen_many(texts), strict=True)
    same = sum(a == b for a, b in pairs)

    runs: dict[str, list[tuple[float, float]]] = {"current": [], "baseline": []}
    for _ in range(args.repeats):
        runs["baseline"].append(timed(baseline, texts))
        runs["current"].append(timed(current, texts))
    summary = {}
    for name, times in runs.items():
        walls, cpus = [w for w, _ in times], [c for _, c in times]
        summary[name] = {
            "comments_per_s_wall_best": round(len(texts) / min(walls)),
            "comments_per_s_wall_median": round(len(texts) / statistics.median(walls)),
            "comments_per_s_cpu_best": round(len(texts) / min(cpus)),
            "ms_per_comment_cpu_best": round(1000 * min(cpus) / len(texts), 3),
        }
    result = {
        "command": "taskset -c 0 .venv/bin/python bench/screen_throughput.py",
        "comments": len(texts),
        "mean_chars": round(sum(map(len, texts)) / len(texts), 1),
        "repeats": args.repeats,
        "cpu_affinity": sorted(os.sched_getaffinity(0))
        if hasattr(os, "sched_getaffinity")
        else None,
        "threads": {v: os.environ[v] for v in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS")},
        "python": platform.python_version(),
        "numpy": np.__version__,
        "model": current.version,
        "identical": {
            "max_learned_probability_difference": max_diff,
            "screenings_equal": same,
            "of": len(texts),
        },
        "current": summary["current"],
        "baseline_before_optimisation": summary["baseline"],
        "speedup_cpu_best": round(
            summary["current"]["comments_per_s_cpu_best"]
            / summary["baseline"]["comments_per_s_cpu_best"],
            2,
        ),
        "speedup_wall_best": round(
            summary["current"]["comments_per_s_wall_best"]
            / summary["baseline"]["comments_per_s_wall_best"],
            2,
        ),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
