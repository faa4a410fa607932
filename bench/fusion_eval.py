"""Measure fusion: pairwise merge precision/recall, written to bench/results/fusion.json.

1. The real pipeline on tests/data/fusion/pages.jsonl (35 hand-written pages: 11 events told
   by 2-4 outlets in different words, 7 near-miss distractors), fused incrementally batch by
   batch as `sitrep process` does; scored against tests/data/fusion/gold.json by page pairs
   (two pages are merged when any of their events share a cluster) and by event pairs.
2. ACLED's own coding (../shared/eval/acled-kenya-2007-2019.jsonl, when present): every gold
   row is a separate event, so any merge between rows is a false merge; the false-merge rate
   is reported over all rows and over the "near pairs" (same date, type and admin1).

Usage: .venv/bin/python bench/fusion_eval.py [--batch-size N] [--skip-acled]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from datetime import date
from itertools import combinations
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGES = ROOT / "tests" / "data" / "fusion" / "pages.jsonl"
GOLD = ROOT / "tests" / "data" / "fusion" / "gold.json"
ACLED = ROOT.parent / "shared" / "eval" / "acled-kenya-2007-2019.jsonl"
OUT = ROOT / "bench" / "results" / "fusion.json"


def prf(tp: int, predicted: int, gold: int) -> dict[str, float | int | None]:
    """Precision, recall, F1 of pairwise decisions."""
    p = tp / predicted if predicted else None
    r = tp / gold if gold else None
    f = 2 * p * r / (p + r) if p is not None and r is not None and p + r else None
    return {
        "true_pairs": tp,
        "predicted_pairs": predicted,
        "gold_pairs": gold,
        "precision": round(p, 4) if p is not None else None,
        "recall": round(r, 4) if r is not None else None,
        "f1": round(f, 4) if f is not None else None,
    }


def score_pages(batch_size: int) -> dict[str, object]:
    """Run the pipeline on the fusion pages and score the merges."""
    from sitrep.adapters.store import SQLiteStore
    from sitrep.adapters.store.base import EventQuery
    from sitrep.fuse_store import rebuild_clusters
    from sitrep.process import process_paths
    from sitrep.settings import Settings

    gold: dict[str, str] = json.loads(GOLD.read_text(encoding="utf-8"))["pages"]
    settings = Settings({"process.batch_size": batch_size, "process.workers": 1})
    store = SQLiteStore(":memory:")
    started = time.perf_counter()
    process_paths([PAGES], settings=settings, store=store)
    elapsed = time.perf_counter() - started
    events = store.events(EventQuery(modality=None))
    cluster_of = {m: c.cluster_id for c in store.clusters() for m in c.members}
    incremental = {(c.cluster_id, c.members) for c in store.clusters()}
    fused_rows = store.count_events(EventQuery(modality=None, fused=True))
    rebuild_clusters(store)
    same_as_rebuild = incremental == {(c.cluster_id, c.members) for c in store.clusters()}

    page_of = {e.event_id: e.sources[0].url for e in events if e.sources}
    clusters_of_page: dict[str, set[str]] = {}
    for e in events:
        url = page_of.get(e.event_id)
        if url in gold:
            clusters_of_page.setdefault(url, set()).add(cluster_of.get(e.event_id, e.event_id))
    # Page pairs: merged when any of their events share a cluster.
    urls = sorted(gold)
    tp = pred = gold_pairs = 0
    false_merges: list[list[str]] = []
    missed: list[list[str]] = []
    for a, b in combinations(urls, 2):
        same_gold = gold[a] == gold[b]
        merged = bool(clusters_of_page.get(a, set()) & clusters_of_page.get(b, set()))
        gold_pairs += same_gold
        pred += merged
        tp += same_gold and merged
        if merged and not same_gold:
            false_merges.append([a, b])
        if same_gold and not merged:
            missed.append([a, b])
    # Event pairs from different pages (every event of a page stands for its page's event).
    scored = [e for e in events if page_of.get(e.event_id) in gold]
    etp = epred = egold = 0
    for x, y in combinations(scored, 2):
        ux, uy = page_of[x.event_id], page_of[y.event_id]
        if ux == uy:
            continue
        same_gold = gold[ux] == gold[uy]
        merged = cluster_of.get(x.event_id, x.event_id) == cluster_of.get(y.event_id, y.event_id)
        egold += same_gold
        epred += merged
        etp += same_gold and merged
    pages_with_events = len(clusters_of_page)
    return {
        "pages": len(gold),
        "gold_events": len(set(gold.values())),
        "pages_with_events": pages_with_events,
        "events_extracted": len(events),
        "fused_rows": fused_rows,
        "clusters_of_2_or_more": len(incremental),
        "incremental_equals_rebuild": same_as_rebuild,
        "seconds": round(elapsed, 2),
        "page_pairs": prf(tp, pred, gold_pairs),
        "event_pairs": prf(etp, epred, egold),
        "false_merges": false_merges,
        "missed_merges": missed,
    }


def acled_events(path: Path) -> list[object]:
    """ACLED gold rows as Events; each note is a document, each row a separate event."""
    from sitrep.records import Event, GeoReason, Modality, Source, hash_id

    rows = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines()):
        record = json.loads(line)
        doc = hash_id("acled-note", n)
        for i, g in enumerate(record["events"]):
            actor1 = g.get("actor1") or None
            actor2 = g.get("actor2") or None
            # ACLED actor names are canonical: mark them known (any inter code does).
            rows.append(
                Event(
                    event_id=hash_id(doc, i),
                    event_date=date.fromisoformat(g["event_date"]),
                    time_precision=g.get("time_precision"),
                    event_type=g["event_type"],
                    sub_event_type=g["sub_event_type"],
                    actor1=actor1,
                    assoc_actor_1=g.get("assoc_actor_1") or None,
                    inter1=1 if actor1 else None,
                    actor2=actor2,
                    assoc_actor_2=g.get("assoc_actor_2") or None,
                    inter2=1 if actor2 else None,
                    interaction=None,
                    country=g.get("country"),
                    iso="KE",
                    admin1=g.get("admin1") or None,
                    admin2=g.get("admin2") or None,
                    admin3=None,
                    location=g.get("location"),
                    latitude=g.get("latitude"),
                    longitude=g.get("longitude"),
                    geo_precision=g.get("geo_precision"),
                    fatalities=g.get("fatalities"),
                    source=None,
                    notes=record["text"][:200],
                    plover_type=None,
                    cameo_code=None,
                    modality=Modality.OCCURRED,
                    confidence=0.5,
                    date_resolved_from=None,
                    year_from_reference=False,
                    geo_reason=GeoReason.EXACT,
                    sources=(
                        Source(
                            document_id=doc,
                            url=f"https://acled.example/{n}",
                            published=date.fromisoformat(record["published"]),
                            section="article",
                            sentence=record["text"][:200],
                            start=0,
                            end=len(record["text"]),
                        ),
                    ),
                )
            )
    return rows


def score_acled(path: Path) -> dict[str, object]:
    """Fuse ACLED's separately coded rows: every merge is a false merge."""
    from sitrep.fuse import fuse_events
    from sitrep.records import Event

    events = [e for e in acled_events(path) if isinstance(e, Event)]
    started = time.perf_counter()
    fused = fuse_events(events)
    elapsed = time.perf_counter() - started
    multi = [f for f in fused if len(f.members) > 1]
    merged_rows = sum(len(f.members) for f in multi)
    merged_pairs = sum(len(f.members) * (len(f.members) - 1) // 2 for f in multi)
    near: Counter[tuple[object, ...]] = Counter(
        (e.event_date, e.event_type, e.admin1) for e in events
    )
    near_pairs = sum(n * (n - 1) // 2 for n in near.values())
    by_type = Counter(
        next(e.event_type for e in events if e.event_id == f.members[0]) for f in multi
    )
    return {
        "rows": len(events),
        "fused_rows": len(fused),
        "clusters_of_2_or_more": len(multi),
        "rows_falsely_merged": merged_rows,
        "false_merge_rate_rows": round(merged_rows / len(events), 4),
        "false_merged_pairs": merged_pairs,
        "near_pairs_same_date_type_admin1": near_pairs,
        "false_merge_rate_near_pairs": round(merged_pairs / near_pairs, 4) if near_pairs else None,
        "false_merges_by_event_type": dict(by_type.most_common()),
        "seconds": round(elapsed, 2),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batch-size", type=int, default=4, help="Pages per fusion batch.")
    parser.add_argument("--skip-acled", action="store_true", help="Only the written pages.")
    args = parser.parse_args(argv)
    result: dict[str, object] = {"written_pages": score_pages(args.batch_size)}
    if ACLED.exists() and not args.skip_acled:
        result["acled_kenya_gold_rows"] = score_acled(ACLED)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    json.dump(result, sys.stdout, indent=2, ensure_ascii=False)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
