"""Scaling: the local engine and the Ray engine with 1 and 2 workers, same corpus.

    .venv/bin/python bench/scaling.py [--pages 600] [--out bench/results/scaling.json]

Each configuration runs in its own subprocess (a fresh Ray cluster, a fresh process pool).
Timed: from the engine's start to its last result, so pool/cluster start and model loading
(once per worker) count; "first_result_s" shows how much of it that start-up is. Results are
stored in a SQLite store by the driver, as `sitrep process` does. Speed-ups are pages/s ratios
measured in the same run.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import make_corpus

CONFIGS = (("local", 1), ("local", 2), ("ray", 1), ("ray", 2))


def run(engine_name: str, workers: int, n: int) -> dict[str, float]:
    from sitrep.adapters.store import open_store
    from sitrep.process import build_pipeline, select_engine
    from sitrep.records import Page
    from sitrep.settings import Settings

    pages = [
        Page(origin=f"bench:{i}", text=p.text, published=date.fromisoformat(p.published))
        for i, p in enumerate(make_corpus(n))
    ]
    settings = Settings({"process.engine": engine_name, "process.workers": workers})
    size = settings["process.batch_size"]
    batches = [pages[i : i + size] for i in range(0, len(pages), size)]
    engine = select_engine(build_pipeline, settings)
    documents = events = 0
    first: float | None = None
    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(f"sqlite:///{tmp}/bench.db")
        t0 = time.perf_counter()
        for result in engine.map(batches):
            if first is None:
                first = time.perf_counter() - t0
            for f in result.failures:
                store.save_failure(f)
            for d in result.documents:
                store.save_document(d)
                documents += 1
                events += len(d.events)
        run_s = time.perf_counter() - t0
        store.close()
    return {
        "run_s": run_s,
        "first_result_s": first or 0.0,
        "pages_per_s": n / run_s,
        "documents": documents,
        "events": events,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pages", type=int, default=600)
    parser.add_argument("--out", default="bench/results/scaling.json")
    parser.add_argument("--child", nargs=2, metavar=("ENGINE", "WORKERS"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(run(args.child[0], int(args.child[1]), args.pages)))
        return
    results: dict[str, dict[str, float]] = {}
    for engine_name, workers in CONFIGS:
        key = f"{engine_name}_{workers}"
        out = subprocess.run(
            [
                sys.executable,
                __file__,
                "--pages",
                str(args.pages),
                "--child",
                engine_name,
                str(workers),
            ],
            check=True,
            capture_output=True,
            text=True,
        )
        results[key] = json.loads(out.stdout.strip().splitlines()[-1])
        print(key, json.dumps(results[key]), file=sys.stderr)

    def ratio(a: str, b: str) -> float:
        return results[a]["pages_per_s"] / results[b]["pages_per_s"]

    report = {
        "benchmark": "scaling",
        "pages": args.pages,
        "batch_size": 16,
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "load_average_after_runs": os.getloadavg(),
            "note": "2 cores shared with other jobs: a second worker can only win what the "
            "machine has free; figures include pool/cluster start and model loading",
        },
        "runs": results,
        "speedup": {
            "local_2_over_local_1": ratio("local_2", "local_1"),
            "ray_2_over_ray_1": ratio("ray_2", "ray_1"),
            "ray_1_over_local_1": ratio("ray_1", "local_1"),
            "ray_2_over_local_2": ratio("ray_2", "local_2"),
        },
        "same_output": len({(r["documents"], r["events"]) for r in results.values()}) == 1,
    }
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(report, indent=2) + "\n")
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
