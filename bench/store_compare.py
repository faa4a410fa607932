"""Store comparison: ingest rate and filtered-query latency, SQLite vs PostgreSQL, same run.

    .venv/bin/python bench/store_compare.py [--documents 2000] [--postgres-url URL]
        [--out bench/results/store.json]

Documents come from the tests' record builders (tests/test_store_factories.py): three events
each over eight countries, five event types and twelve actors, a tenth of them also reported
by the next document (shared events). Each store ingests them one save_document per document
(as the pipeline saves), then saves them all again (the idempotent re-run), then answers each
query 200 times. Without --postgres-url a throwaway durable server is started with
scripts/start-postgres.sh (fsync on) and stopped afterwards.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tests.test_store_factories import make_document, make_event, make_source  # noqa: E402

from sitrep.adapters.store import open_store  # noqa: E402
from sitrep.adapters.store.base import EventQuery, Store  # noqa: E402
from sitrep.records import Document  # noqa: E402

COUNTRIES = [
    ("Syria", "SY"),
    ("Ukraine", "UA"),
    ("Nigeria", "NG"),
    ("Kenya", "KE"),
    ("Yemen", "YE"),
    ("Sudan", "SD"),
    ("Myanmar", "MM"),
    ("Mali", "ML"),
]
TYPES = [
    ("Battles", "Armed clash"),
    ("Explosions/Remote violence", "Air/drone strike"),
    ("Violence against civilians", "Attack"),
    ("Protests", "Peaceful protest"),
    ("Riots", "Mob violence"),
]
ACTORS = [f"Military Forces of Country {i} ({2000 + i}-)" for i in range(12)]
QUERIES = {
    "country+type+dates, page of 50": EventQuery(
        country="Syria",
        event_type="battles",
        since=date(2019, 1, 1),
        until=date(2020, 12, 31),
        limit=50,
    ),
    "actor substring, page of 50": EventQuery(actor="country 7", limit=50),
    "newest page of 50 (no filter)": EventQuery(limit=50),
    "document's events": EventQuery(document_id="doc-01000"),
}


def build_documents(n: int) -> list[Document]:
    """Return ``n`` documents of three events each; every tenth shares one with the next."""
    docs: list[Document] = []
    for i in range(n):
        doc_id = f"doc-{i:05d}"
        events = []
        for j in range(3):
            k = i * 3 + j
            country, iso = COUNTRIES[k % len(COUNTRIES)]
            event_type, sub = TYPES[(k // 3) % len(TYPES)]
            events.append(
                make_event(
                    f"ev-{k:07d}",
                    event_date=date(2018, 1, 1) + timedelta(days=k % 1500),
                    country=country,
                    iso=iso,
                    event_type=event_type,
                    sub_event_type=sub,
                    actor1=ACTORS[k % len(ACTORS)],
                    actor2=ACTORS[(k * 7 + 3) % len(ACTORS)],
                    latitude=10 + (k % 40),
                    longitude=20 + (k % 50),
                    sources=(make_source(doc_id, start=j * 100, end=j * 100 + 80),),
                )
            )
        if i % 10 == 1:  # report the previous document's first event too
            shared = docs[-1].events[0]
            events.append(replace(shared, sources=(make_source(doc_id, start=900, end=980),)))
        docs.append(make_document(doc_id, *events, published=date(2018, 1, 1)))
    return docs


def measure(store: Store, docs: list[Document]) -> dict[str, object]:
    t0 = time.perf_counter()
    for d in docs:
        store.save_document(d)
    ingest_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    for d in docs:
        store.save_document(d)
    again_s = time.perf_counter() - t0
    queries: dict[str, object] = {}
    for name, query in QUERIES.items():
        found = store.events(query)  # warm
        times = []
        for _ in range(200):
            t = time.perf_counter()
            store.events(query)
            times.append((time.perf_counter() - t) * 1000)
        times.sort()
        queries[name] = {
            "rows": len(found),
            "matching": store.count_events(replace(query, limit=None)),
            "median_ms": round(statistics.median(times), 3),
            "p95_ms": round(times[int(len(times) * 0.95)], 3),
        }
    return {
        "documents": len(docs),
        "events": store.count_events(EventQuery(modality=None)),
        "ingest_s": round(ingest_s, 3),
        "ingest_docs_per_s": round(len(docs) / ingest_s, 1),
        "resave_s": round(again_s, 3),
        "resave_docs_per_s": round(len(docs) / again_s, 1),
        "queries": queries,
    }


def start_postgres() -> tuple[str, str]:
    workdir = tempfile.mkdtemp(prefix="sitrep-bench-pg-")
    result = subprocess.run(
        [str(ROOT / "scripts" / "start-postgres.sh")],
        env={**os.environ, "SITREP_PG_DIR": workdir},
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip().splitlines()[-1], workdir


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=2000)
    parser.add_argument("--postgres-url", default=os.environ.get("SITREP_BENCH_POSTGRES_URL"))
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "store.json")
    args = parser.parse_args()
    docs = build_documents(args.documents)
    results: dict[str, object] = {
        "command": " ".join(["python", "bench/store_compare.py", *sys.argv[1:]]),
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count()},
    }
    with tempfile.TemporaryDirectory() as tmp, open_store(f"sqlite:///{tmp}/bench.db") as s:
        results["sqlite"] = {"settings": "WAL, synchronous=NORMAL", **measure(s, docs)}
    url, workdir = (args.postgres_url, None) if args.postgres_url else start_postgres()
    try:
        with open_store(url) as s:
            version = s._conn.execute("SHOW server_version").fetchone()  # type: ignore[attr-defined]
            fsync = s._conn.execute("SHOW fsync").fetchone()  # type: ignore[attr-defined]
            info = f"PostgreSQL {version[0]}, fsync={fsync[0]}, loopback TCP"
            results["postgres"] = {"settings": info, **measure(s, docs)}
    finally:
        if workdir is not None:
            subprocess.run(
                [str(ROOT / "scripts" / "start-postgres.sh"), "--stop", workdir], check=False
            )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2) + "\n")
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
