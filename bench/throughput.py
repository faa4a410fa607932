"""Throughput and peak memory: sitrep's whole pipeline vs plain spaCy nlp.pipe, same texts.

    .venv/bin/python bench/throughput.py [--pages 2000] [--out bench/results/throughput.json]

Each mode runs in its own subprocess so that peak memory (ru_maxrss) is its own; model
loading is timed apart from processing. The result is a JSON file with both figures and
their ratio, measured in the same run.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import make_corpus


def run_baseline(n: int) -> dict[str, float]:
    import spacy

    from sitrep.settings import Settings

    pages = make_corpus(n)
    t0 = time.perf_counter()
    nlp = spacy.load(Settings()["nlp.model"])
    load_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    for _ in nlp.pipe((p.text for p in pages), batch_size=32):
        pass
    return {"load_s": load_s, "run_s": time.perf_counter() - t0}


def run_sitrep(n: int) -> dict[str, float]:
    from sitrep.adapters.store import open_store
    from sitrep.process import build_pipeline
    from sitrep.records import Page
    from sitrep.settings import Settings

    pages = [
        Page(origin=f"bench:{i}", text=p.text, published=date.fromisoformat(p.published))
        for i, p in enumerate(make_corpus(n))
    ]
    settings = Settings()
    t0 = time.perf_counter()
    pipeline = build_pipeline(settings.as_dict())
    pipeline.setup()
    load_s = time.perf_counter() - t0
    events = 0
    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(f"sqlite:///{tmp}/bench.db")
        t0 = time.perf_counter()
        size = settings["process.batch_size"]
        for i in range(0, len(pages), size):
            result = pipeline.run(pages[i : i + size])
            for f in result.failures:
                store.save_failure(f)
            for d in result.documents:
                store.save_document(d)
                events += len(d.events)
        run_s = time.perf_counter() - t0
        store.close()
    return {"load_s": load_s, "run_s": run_s, "events": events}


def child(mode: str, n: int) -> None:
    result = run_baseline(n) if mode == "baseline" else run_sitrep(n)
    result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(result))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pages", type=int, default=2000)
    parser.add_argument("--out", default="bench/results/throughput.json")
    parser.add_argument("--child", choices=["baseline", "sitrep"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.pages)
        return
    results = {}
    for mode in ("baseline", "sitrep"):
        out = subprocess.run(
            [sys.executable, __file__, "--child", mode, "--pages", str(args.pages)],
            check=True,
            capture_output=True,
            text=True,
        )
        results[mode] = json.loads(out.stdout.strip().splitlines()[-1])
        results[mode]["pages_per_s"] = args.pages / results[mode]["run_s"]
    report = {
        "benchmark": "throughput",
        "pages": args.pages,
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "baseline": results["baseline"],
        "sitrep": results["sitrep"],
        "speed_ratio_sitrep_over_baseline": results["sitrep"]["pages_per_s"]
        / results["baseline"]["pages_per_s"],
        "memory_ratio_sitrep_over_baseline": results["sitrep"]["peak_rss_mb"]
        / results["baseline"]["peak_rss_mb"],
    }
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(report, indent=2) + "\n")
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
