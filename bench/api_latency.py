"""Desk API latency at a million events: p50/p95 of event lists and aggregates on SQLite.

    .venv/bin/python bench/api_latency.py [--events 1000000] [--db PATH] [--rebuild]
        [--requests 60] [--label current] [--out bench/results/api_latency.json]

The database (default artifacts/bench/api-1m.db, git-ignored, about 2.5 GB) is built once:
``SQLiteStore(path)`` creates the store's own schema, then documents, events, event_sources
and document_events rows go in by executemany, in one transaction, as save_document would
have written them (a document's events in order, every source citing a stored document, the
document that cites an event also listing it). A sidecar ``PATH.json`` records what was
built; a later run reuses the file when it matches and rebuilds it otherwise (or with
--rebuild). Reusing a file built by an older sitrep lets the store apply its new migrations
on open, which this script times.

The synthetic spread: 40 countries (skewed: the largest holds 20% of events, the 12th 3%),
8 admin1 regions each with coordinates around its centre, the 25 ACLED sub-event types
(skewed), 5 years of dates (0.5% undated), five modalities (~88% occurred), ~600 actors,
fatalities unknown for a third, 1-3 sources each. Every figure comes from requests sent in process
through httpx's ASGITransport to ``build_app`` (routing, validation, the store, JSON), never
a socket; each scenario's parameters rotate over countries, types and years so no two
consecutive requests are the same. Results go under ``runs[label]`` of the JSON file, so a
baseline and later runs sit side by side.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import math
import platform
import random
import sqlite3
import statistics
import sys
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from sitrep.adapters.store import SQLiteStore  # noqa: E402
from sitrep.adapters.store.migrations import LATEST_VERSION  # noqa: E402
from sitrep.api import build_app  # noqa: E402
from sitrep.records import EVENT_FIELDS  # noqa: E402
from sitrep.taxonomy import SUB_EVENT_TYPES  # noqa: E402

GENERATOR = "api-latency-v1"  # bump when the data below changes: old files are rebuilt
SEED = 20240601
EVENTS_PER_DOCUMENT = 10
FIRST_DAY = date(2019, 1, 1)
DAYS = 5 * 365 + 1  # 2019-01-01 .. 2023-12-31
YEARS = (2019, 2020, 2021, 2022, 2023)

# (country, ISO code, centre latitude, centre longitude)
COUNTRIES = [
    ("Syria", "SY", 35.0, 38.5),
    ("Ukraine", "UA", 49.0, 32.0),
    ("Yemen", "YE", 15.5, 47.5),
    ("Nigeria", "NG", 9.1, 8.7),
    ("Myanmar", "MM", 21.9, 95.9),
    ("Sudan", "SD", 15.5, 30.2),
    ("Democratic Republic of Congo", "CD", -2.9, 23.7),
    ("Somalia", "SO", 5.2, 46.2),
    ("Mali", "ML", 17.6, -4.0),
    ("Burkina Faso", "BF", 12.2, -1.6),
    ("Afghanistan", "AF", 33.9, 67.7),
    ("Iraq", "IQ", 33.2, 43.7),
    ("Ethiopia", "ET", 9.1, 40.5),
    ("Mexico", "MX", 23.6, -102.5),
    ("Colombia", "CO", 4.6, -74.3),
    ("Pakistan", "PK", 30.4, 69.3),
    ("India", "IN", 22.0, 79.0),
    ("Brazil", "BR", -14.2, -51.9),
    ("Cameroon", "CM", 7.4, 12.4),
    ("Niger", "NE", 17.6, 8.1),
    ("Libya", "LY", 26.3, 17.2),
    ("Lebanon", "LB", 33.9, 35.9),
    ("Palestine", "PS", 31.9, 35.2),
    ("Israel", "IL", 31.0, 34.9),
    ("South Sudan", "SS", 7.9, 30.0),
    ("Central African Republic", "CF", 6.6, 20.9),
    ("Mozambique", "MZ", -18.7, 35.5),
    ("Philippines", "PH", 12.9, 121.8),
    ("Bangladesh", "BD", 23.7, 90.4),
    ("Haiti", "HT", 18.97, -72.3),
    ("Venezuela", "VE", 6.4, -66.6),
    ("Chile", "CL", -35.7, -71.5),
    ("Kenya", "KE", -0.02, 37.9),
    ("Iran", "IR", 32.4, 53.7),
    ("Turkey", "TR", 39.0, 35.2),
    ("Azerbaijan", "AZ", 40.1, 47.6),
    ("Armenia", "AM", 40.1, 45.0),
    ("Tunisia", "TN", 34.0, 9.5),
    ("Chad", "TD", 15.5, 18.7),
    ("Burundi", "BI", -3.4, 29.9),
]
ADMIN1_PER_COUNTRY = 8
REGION_NAMES = ("North", "South", "East", "West", "Central", "Upper", "Lower", "Coastal")
SUB_TYPES = [(t, s) for t, subs in SUB_EVENT_TYPES.items() for s in subs]
MODALITIES = ("occurred", "planned", "claimed", "denied", "estimate")
MODALITY_WEIGHTS = (88, 4, 4, 2, 2)
ACTOR_KINDS = (
    "Military Forces of {c}",
    "Police Forces of {c}",
    "Rebel Group {n} ({c})",
    "Militia {n} ({c})",
    "Protesters ({c})",
    "Rioters ({c})",
    "Civilians ({c})",
    "Unidentified Armed Group ({c})",
)
INTER = {0: 1, 1: 1, 2: 2, 3: 3, 4: 6, 5: 5, 6: 7, 7: 3}
OUTLETS = ("Wire Agency", "Local Radio", "Daily Herald", "Monitoring Group", "Regional TV")


# -- the synthetic database ----------------------------------------------------------------


def _weights(n: int, skew: float) -> list[float]:
    """Zipf-like weights: a few heavy keys, a long tail."""
    return [1.0 / (k + 1) ** skew for k in range(n)]


def _event_id(i: int) -> str:
    return hashlib.blake2b(f"bench-event-{i}".encode(), digest_size=16).hexdigest()


def _document_id(d: int) -> str:
    return hashlib.blake2b(f"bench-doc-{d}".encode(), digest_size=16).hexdigest()


def _document_published(rng: random.Random) -> date:
    return FIRST_DAY + timedelta(days=rng.randrange(DAYS))


def generate(n_events: int, *, seed: int = SEED) -> Iterator[tuple[str, Any]]:
    """Yield ("document" | "event" | "source" | "document_event", row) in insert order."""
    rng = random.Random(seed)
    country_w = _weights(len(COUNTRIES), 0.9)
    type_w = _weights(len(SUB_TYPES), 0.6)
    rng.shuffle(type_w)
    n_documents = math.ceil(n_events / EVENTS_PER_DOCUMENT)
    published = [_document_published(rng) for _ in range(n_documents)]
    next_position = [0] * n_documents
    for d in range(n_documents):
        doc_id = _document_id(d)
        yield (
            "document",
            (
                doc_id,
                f"crawl/bench/{d:07d}.html",
                f"Synthetic page {d}. " * 8,
                f"https://news.example/{d:07d}",
                published[d].isoformat(),
                "html",
                f"Clashes and strikes reported, page {d}",
                "en",
                0.99,
                "ok",
                None,
            ),
        )
    index_of = {name: k for k, name in enumerate(EVENT_FIELDS)}
    for i in range(n_events):
        d = i // EVENTS_PER_DOCUMENT
        ci = rng.choices(range(len(COUNTRIES)), weights=country_w)[0]
        country, iso, lat0, lon0 = COUNTRIES[ci]
        a = rng.randrange(ADMIN1_PER_COUNTRY)
        admin1 = f"{REGION_NAMES[a]} {country}"
        alat = lat0 + (a % 3 - 1) * 1.5
        alon = lon0 + (a // 3 - 1) * 1.5
        event_type, sub_event_type = rng.choices(SUB_TYPES, weights=type_w)[0]
        undated = rng.random() < 0.005
        day = published[d] - timedelta(days=rng.randrange(7))
        if day < FIRST_DAY:
            day = FIRST_DAY
        k1, k2 = rng.randrange(len(ACTOR_KINDS)), rng.randrange(len(ACTOR_KINDS))
        actor1 = ACTOR_KINDS[k1].format(c=country, n=rng.randrange(8))
        actor2 = (
            ACTOR_KINDS[k2].format(c=country, n=rng.randrange(8)) if rng.random() < 0.7 else None
        )
        fatalities = None if rng.random() < 0.33 else int(rng.expovariate(0.3))
        placed = rng.random() < 0.95
        location = f"Town {rng.randrange(60)} of {admin1}"
        notes = (
            f"On {day.isoformat()}, {actor1} and {actor2 or 'unknown attackers'} clashed near "
            f"{location} ({sub_event_type.lower()})."
        )
        row: list[Any] = [None] * len(EVENT_FIELDS)
        values: dict[str, Any] = {
            "event_id": _event_id(i),
            "event_date": None if undated else day.isoformat(),
            "time_precision": 1,
            "event_type": event_type,
            "sub_event_type": sub_event_type,
            "actor1": actor1,
            "assoc_actor_1": None,
            "inter1": INTER[k1],
            "actor2": actor2,
            "assoc_actor_2": None,
            "inter2": INTER[k2] if actor2 is not None else None,
            "interaction": INTER[k1] * 10 + INTER[k2] if actor2 is not None else INTER[k1] * 10,
            "country": country,
            "iso": iso,
            "admin1": admin1,
            "admin2": f"District {rng.randrange(12)}",
            "admin3": None,
            "location": location,
            "latitude": round(alat + rng.gauss(0, 0.5), 4) if placed else None,
            "longitude": round(alon + rng.gauss(0, 0.5), 4) if placed else None,
            "geo_precision": rng.choice((1, 1, 2, 3)) if placed else None,
            "fatalities": fatalities,
            "source": rng.choice(OUTLETS),
            "notes": notes,
            "plover_type": "ASSAULT",
            "cameo_code": "19",
            "modality": rng.choices(MODALITIES, weights=MODALITY_WEIGHTS)[0],
            "confidence": round(rng.uniform(0.3, 1.0), 3),
            "date_resolved_from": None if undated else published[d].isoformat(),
            "year_from_reference": 0,
            "geo_reason": "exact" if placed else "not_found",
        }
        for name, value in values.items():
            row[index_of[name]] = value
        event_id = values["event_id"]
        yield "event", tuple(row)
        # 1-3 reports: the page that saved it, and maybe the next pages (shared events).
        reporters = [
            d,
            *(d + k for k in range(1, rng.choice((1, 1, 2, 2, 3))) if d + k < n_documents),
        ]
        for position, r in enumerate(reporters):
            sentence = (
                f"{rng.choice(OUTLETS)} said {actor1} attacked near {location}, "
                f"{'killing ' + str(fatalities) if fatalities else 'with no deaths reported'}."
            )
            start = 20 + position * 150
            yield (
                "source",
                (
                    event_id,
                    _document_id(r),
                    start,
                    start + len(sentence),
                    position,
                    f"https://news.example/{r:07d}",
                    published[r].isoformat(),
                    "article",
                    sentence,
                    json.dumps([rng.choice(OUTLETS)]),
                    "rules-0.3",
                ),
            )
            yield "document_event", (_document_id(r), next_position[r], event_id)
            next_position[r] += 1


_INSERTS = {
    "document": "INSERT INTO documents (id, origin, text, url, published, published_source, "
    "headline, language, language_score, status, status_reason) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    "event": f"INSERT INTO events ({', '.join(EVENT_FIELDS)}) "
    f"VALUES ({', '.join('?' for _ in EVENT_FIELDS)})",
    "source": 'INSERT INTO event_sources (event_id, document_id, "start", "end", position, '
    "url, published, section, sentence, attribution, extractor) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    "document_event": "INSERT INTO document_events (document_id, position, event_id) "
    "VALUES (?, ?, ?)",
}


def build_database(path: Path, n_events: int) -> dict[str, Any]:
    """Create ``path`` with the store's schema and fill it; return what was built."""
    path.parent.mkdir(parents=True, exist_ok=True)
    for stale in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        stale.unlink(missing_ok=True)
    started = time.perf_counter()
    SQLiteStore(path).close()  # the store's own schema, every migration applied
    conn = sqlite3.connect(path, isolation_level=None)
    from sitrep.adapters.store.base import fold

    # The expression indexes call sitrep_fold, as SQLiteStore registers it.
    conn.create_function("sitrep_fold", 1, fold, deterministic=True)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute("PRAGMA cache_size = -2000000")  # 2 GB: random-order keys into big B-trees
    conn.execute("PRAGMA foreign_keys = OFF")  # rows arrive parents first anyway
    # The folded copies the store keeps beside some fields (SQLite migration 5), filled as
    # save_document fills them, when the schema has them.
    columns = [r[1] for r in conn.execute("PRAGMA table_info(events)")]
    folds = [c for c in columns if c.endswith("_fold") and c.removesuffix("_fold") in EVENT_FIELDS]
    folded = [EVENT_FIELDS.index(c.removesuffix("_fold")) for c in folds]
    inserts = dict(_INSERTS)
    inserts["event"] = (
        f"INSERT INTO events ({', '.join((*EVENT_FIELDS, *folds))}) "
        f"VALUES ({', '.join('?' for _ in (*EVENT_FIELDS, *folds))})"
    )
    batches: dict[str, list[Any]] = {kind: [] for kind in _INSERTS}
    counts = dict.fromkeys(_INSERTS, 0)
    conn.execute("BEGIN")
    for kind, row in generate(n_events):
        if kind == "event" and folded:
            row = (*row, *(fold(row[i]) for i in folded))
        batch = batches[kind]
        batch.append(row)
        if len(batch) >= 50_000:
            conn.executemany(inserts[kind], batch)
            counts[kind] += len(batch)
            batch.clear()
    for kind, batch in batches.items():
        conn.executemany(inserts[kind], batch)
        counts[kind] += len(batch)
    conn.execute("COMMIT")
    conn.execute("ANALYZE")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    info = {
        "generator": GENERATOR,
        "seed": SEED,
        "events": n_events,
        "rows": counts,
        "schema_version_built": LATEST_VERSION,
        "build_s": round(time.perf_counter() - started, 1),
        "bytes": path.stat().st_size,
        "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    Path(f"{path}.json").write_text(json.dumps(info, indent=2) + "\n", encoding="utf-8")
    return info


def ensure_database(path: Path, n_events: int, *, rebuild: bool) -> dict[str, Any]:
    """Return the sidecar info of a matching database at ``path``, building it when needed."""
    sidecar = Path(f"{path}.json")
    if not rebuild and path.exists() and sidecar.exists():
        info: dict[str, Any] = json.loads(sidecar.read_text(encoding="utf-8"))
        if info.get("generator") == GENERATOR and info.get("events") == n_events:
            info["reused"] = True
            return info
    print(f"building {path} with {n_events:,} events ...", file=sys.stderr)
    info = build_database(path, n_events)
    info["reused"] = False
    print(f"built in {info['build_s']} s", file=sys.stderr)
    return info


# -- the requests --------------------------------------------------------------------------


def _year_range(year: int) -> dict[str, str]:
    return {"since": f"{year}-01-01", "until": f"{year}-12-31"}


def _bbox_around(k: int) -> str:
    _, _, lat, lon = COUNTRIES[k % 12]
    return f"{lon - 1.5},{lat - 1.5},{lon + 1.5},{lat + 1.5}"


def scenarios(n: int) -> dict[str, dict[str, Any]]:
    """Return each scenario's request list (path, params), its target and its budget."""
    rng = random.Random(7)
    main_types = list(SUB_EVENT_TYPES)

    def country(k: int) -> str:
        # The 12 largest countries, by name or ISO code (the API takes both).
        name, iso, _, _ = COUNTRIES[k % 12]
        return iso if k % 2 else name

    return {
        "events: country + event_type + year, limit 100": {
            "target": True,
            "requests": [
                (
                    "/api/v1/events",
                    {
                        "country": country(k),
                        "event_type": main_types[k % 3],
                        **_year_range(YEARS[k % 5]),
                        "limit": 100,
                    },
                )
                for k in range(n)
            ],
        },
        "events: bbox + min_confidence + event_type + year, limit 100": {
            "target": True,
            "requests": [
                (
                    "/api/v1/events",
                    {
                        "bbox": _bbox_around(k),
                        "min_confidence": round(0.6 + 0.05 * (k % 6), 2),
                        "event_type": main_types[k % 3],
                        **_year_range(YEARS[k % 5]),
                        "limit": 100,
                    },
                )
                for k in range(n)
            ],
        },
        "aggregates: by=day, country + year": {
            "target": True,
            "requests": [
                (
                    "/api/v1/aggregates",
                    {"by": "day", "country": country(k), **_year_range(YEARS[k % 5])},
                )
                for k in range(n)
            ],
        },
        "aggregates: by=event_type, country + year": {
            "target": True,
            "requests": [
                (
                    "/api/v1/aggregates",
                    {"by": "event_type", "country": country(k), **_year_range(YEARS[k % 5])},
                )
                for k in range(n)
            ],
        },
        # Informational: what the desk page asks on load, and the heavier filters.
        "events: no filter, first page of 500 (the desk's first load)": {
            "target": False,
            "requests": [("/api/v1/events", {"limit": 500}) for _ in range(n)],
        },
        "events: admin1 + sub_event_type x2, limit 100": {
            "target": False,
            "requests": [
                (
                    "/api/v1/events",
                    [
                        ("admin1", f"{REGION_NAMES[k % 8]} {COUNTRIES[k % 12][0]}".lower()),
                        ("sub_event_type", SUB_TYPES[k % 25][1]),
                        ("sub_event_type", SUB_TYPES[(k + 7) % 25][1]),
                        ("limit", 100),
                    ],
                )
                for k in range(n)
            ],
        },
        "events: q (text) + country, limit 100": {
            "target": False,
            "requests": [
                (
                    "/api/v1/events",
                    {"q": f"town {rng.randrange(60)} of", "country": country(k), "limit": 100},
                )
                for k in range(n)
            ],
        },
        "aggregates: by=week, no filter (whole database)": {
            "target": False,
            "requests": [("/api/v1/aggregates", {"by": "week"}) for _ in range(n)],
        },
        "aggregates: by=event_type, no filter (whole database)": {
            "target": False,
            "requests": [("/api/v1/aggregates", {"by": "event_type"}) for _ in range(n)],
        },
    }


def percentile(values: list[float], p: float) -> float:
    """Return the p-th percentile (nearest rank) of ``values``."""
    ordered = sorted(values)
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[rank - 1]


async def measure(
    client: httpx.AsyncClient, requests: list[tuple[str, Any]], *, budget_s: float, warmup: int
) -> dict[str, Any]:
    """Send the requests in turn; return latency percentiles (ms) and what came back."""
    for path, params in requests[:warmup]:
        (await client.get(path, params=params)).raise_for_status()
    times: list[float] = []
    items: list[int] = []
    started = time.perf_counter()
    for path, params in requests:
        t0 = time.perf_counter()
        response = await client.get(path, params=params)
        times.append((time.perf_counter() - t0) * 1000)
        response.raise_for_status()
        body = response.json()
        items.append(len(body.get("items", body.get("buckets", []))))
        if time.perf_counter() - started > budget_s and len(times) >= 2:
            break
    return {
        "requests": len(times),
        "p50_ms": round(percentile(times, 50), 1),
        "p95_ms": round(percentile(times, 95), 1),
        "max_ms": round(max(times), 1),
        "mean_ms": round(statistics.fmean(times), 1),
        "mean_rows_returned": round(statistics.fmean(items), 1),
    }


async def run_all(
    store: SQLiteStore, *, n: int, budget_s: float, only_targets: bool
) -> dict[str, Any]:
    app = build_app(store)
    transport = httpx.ASGITransport(app=app)
    results: dict[str, Any] = {}
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        for name, spec in scenarios(n).items():
            if only_targets and not spec["target"]:
                continue
            print(f"  {name} ...", file=sys.stderr, flush=True)
            # Targets always get every request; the others stop at the budget.
            budget = math.inf if spec["target"] else budget_s
            result = await measure(client, spec["requests"], budget_s=budget, warmup=2)
            result["target"] = spec["target"]
            if spec["target"]:
                result["under_100ms_p95"] = result["p95_ms"] < 100
            results[name] = result
            print(
                f"    p50 {result['p50_ms']} ms, p95 {result['p95_ms']} ms "
                f"({result['requests']} requests)",
                file=sys.stderr,
            )
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--db", type=Path, default=ROOT / "artifacts" / "bench" / "api-1m.db")
    parser.add_argument("--rebuild", action="store_true", help="Build the database again.")
    parser.add_argument("--requests", type=int, default=60, help="Requests per scenario.")
    parser.add_argument(
        "--budget-s", type=float, default=60.0, help="Time cap of each informational scenario."
    )
    parser.add_argument("--targets-only", action="store_true", help="Skip informational ones.")
    parser.add_argument("--label", default="current", help="Key of this run in the JSON.")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "api_latency.json")
    args = parser.parse_args()
    info = ensure_database(args.db, args.events, rebuild=args.rebuild)
    opened = time.perf_counter()
    with SQLiteStore(args.db) as store:
        open_s = time.perf_counter() - opened  # includes any migration a reused file lacked
        version = store.schema_version()
        results = asyncio.run(
            run_all(store, n=args.requests, budget_s=args.budget_s, only_targets=args.targets_only)
        )
    out: dict[str, Any] = {}
    if args.out.exists():
        out = json.loads(args.out.read_text(encoding="utf-8"))
    out["command"] = "python bench/api_latency.py --label LABEL"
    out["database"] = {k: v for k, v in info.items() if k != "reused"}
    out.setdefault("runs", {})[args.label] = {
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {
            "python": platform.python_version(),
            "sqlite": sqlite3.sqlite_version,
            "platform": platform.platform(),
            "processor": platform.processor() or platform.machine(),
        },
        "database_reused": info["reused"],
        "schema_version": version,
        "store_open_s": round(open_s, 2),
        "scenarios": results,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
