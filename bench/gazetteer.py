"""Gazetteer import, lookup and geocoding speed and memory: the packaged default and a big dump.

    .venv/bin/python bench/gazetteer.py [--rows 2000000] [--out bench/results/gazetteer.json]

1. Writes a synthetic dump of ``--rows`` lines in GeoNames' allCountries layout (19 tab-separated
   columns; classes P, A, H, T, S, L in GeoNames' proportions roughly; 0–4 alternate names a row;
   names of random syllables, seeded) — generated, never committed.
2. Imports it with ``sitrep.adapters.gazetteer.geonames_sqlite.import_geonames`` in a child
   process: wall time, CPU time and the child's peak resident memory.
3. Opens the index in another child and times ``candidates`` on 5,000 names drawn from the dump
   (median, p95, mean) and the open itself, with the child's resident memory after.
4. Geocodes a fixed list of real place phrases with ``resolve_place`` over the packaged default
   (built once into a temporary cache, then loaded warm as a user's second run does) and over
   the layered default + imported index: places/s and resident memory added.

Each measurement runs in its own interpreter so memory figures do not mix. The baseline for
the ratios is the packaged default measured in the same run.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_CLASSES = [("P", "PPL")] * 60 + [("A", "ADM3")] * 8 + [("H", "STM")] * 12
_CLASSES += [("T", "MT")] * 10 + [("S", "SCH")] * 6 + [("L", "AREA")] * 2 + [("H", "LK")] * 2
_SYLLABLES = [c + v for c in "bdfghjklmnprstvwyz" for v in ("a", "e", "i", "o", "u", "ai", "ou")]
_COUNTRIES = ["SY", "IQ", "YE", "NG", "ML", "SO", "SD", "CD", "ET", "UA", "MM", "CO", "KE", "AF"]
PHRASES = [
    "Aleppo",
    "the town of Deir ez-Zor",
    "Mosul",
    "Raqqa countryside",
    "Idlib province",
    "near Homs",
    "Maiduguri",
    "Borno State",
    "Mogadishu",
    "Lower Shabelle region",
    "Garissa",
    "Mandera county",
    "Kharkiv oblast",
    "Bakhmut",
    "Sagaing region",
    "Mopti",
    "Goma",
    "North Kivu",
    "Kandahar",
    "Cauca department",
]


def _name(rng: random.Random) -> str:
    words = [
        "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 4))).capitalize()
        for _ in range(rng.choice((1, 1, 1, 2)))
    ]
    return " ".join(words)


def write_dump(path: Path, rows: int, seed: int = 7) -> list[str]:
    """Write ``rows`` allCountries-format lines; return a sample of names for lookups."""
    rng = random.Random(seed)
    sample: list[str] = []
    with path.open("w", encoding="utf-8") as out:
        for gid in range(1, rows + 1):
            name = _name(rng)
            alternates = ",".join(_name(rng) for _ in range(rng.randint(0, 4)))
            fclass, fcode = rng.choice(_CLASSES)
            cc = rng.choice(_COUNTRIES)
            pop = rng.choice((0, 0, 0, rng.randint(50, 200_000)))
            lat, lon = rng.uniform(-35, 55), rng.uniform(-80, 110)
            out.write(
                f"{gid}\t{name}\t{name}\t{alternates}\t{lat:.5f}\t{lon:.5f}\t{fclass}\t{fcode}"
                f"\t{cc}\t\t{rng.randint(1, 20):02d}\t{rng.randint(1, 300)}\t\t\t{pop}\t\t0"
                "\tAsia/Damascus\t2024-01-01\n"
            )
            if gid % max(1, rows // 5_000) == 0:
                sample.append(name)
    return sample


def _child(code: str, *args: str) -> dict[str, object]:
    """Run ``code`` in a fresh interpreter; it prints one JSON object; add its peak RSS."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-c", code, *args], check=True, capture_output=True, text=True, cwd=ROOT
    )
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    result: dict[str, object] = json.loads(out.stdout.strip().splitlines()[-1])
    result["child_wall_s"] = round(wall, 2)
    result["child_cpu_s"] = round(
        (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), 2
    )
    return result


_RSS = """
def rss_mb():
    with open('/proc/self/status') as f:
        for line in f:
            if line.startswith('VmRSS:'):
                return int(line.split()[1]) / 1024
def peak_mb():
    with open('/proc/self/status') as f:
        for line in f:
            if line.startswith('VmHWM:'):
                return int(line.split()[1]) / 1024
"""

_IMPORT = (
    _RSS
    + """
import json, sys, time
from sitrep.adapters.gazetteer.geonames_sqlite import import_geonames
t = time.perf_counter()
report = import_geonames([sys.argv[1]], sys.argv[2])
print(json.dumps({"seconds": round(time.perf_counter() - t, 2), "features": report.features,
    "names": report.names, "index_mb": round(report.bytes / 1e6, 1), "peak_rss_mb": peak_mb()}))
"""
)

_LOOKUP = (
    _RSS
    + """
import json, statistics, sys, time
base = rss_mb()
from sitrep.adapters.gazetteer.geonames_sqlite import GeoNamesSqliteGazetteer
names = json.load(open(sys.argv[2]))
t = time.perf_counter()
gaz = GeoNamesSqliteGazetteer(sys.argv[1])
gaz.candidates(names[0])
opened = time.perf_counter() - t
times = []
for name in names:
    t = time.perf_counter(); gaz.candidates(name); times.append(time.perf_counter() - t)
times.sort()
print(json.dumps({"open_s": round(opened, 4), "lookups": len(times),
    "median_ms": round(statistics.median(times) * 1000, 3),
    "p95_ms": round(times[int(0.95 * len(times))] * 1000, 3),
    "mean_ms": round(statistics.fmean(times) * 1000, 3),
    "rss_added_mb": round(rss_mb() - base, 1)}))
"""
)

_GEOCODE = (
    _RSS
    + """
import json, sys, time
base = rss_mb()
from sitrep.stages.geocode import build_gazetteer, resolve_place
index = sys.argv[2] or None
t = time.perf_counter()
gaz = build_gazetteer(index=index, cache_dir=sys.argv[1])
loaded = time.perf_counter() - t
after_load = rss_mb()
phrases = json.loads(sys.argv[3])
rounds, found = 50, 0
t = time.perf_counter()
for _ in range(rounds):
    for phrase in phrases:
        found += resolve_place(phrase, gazetteer=gaz).place is not None
spent = time.perf_counter() - t
print(json.dumps({"load_s": round(loaded, 3), "rss_added_mb": round(after_load - base, 1),
    "places_per_s": round(rounds * len(phrases) / spent, 1),
    "resolved_share": round(found / (rounds * len(phrases)), 3)}))
"""
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=2_000_000)
    parser.add_argument("--out", type=Path, default=ROOT / "bench/results/gazetteer.json")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        dump, index, cache = work / "allCountries.txt", work / "geonames.sqlite", work / "cache"
        started = time.perf_counter()
        sample = write_dump(dump, args.rows)
        written = time.perf_counter() - started
        (work / "sample.json").write_text(json.dumps(sample))
        imported = _child(_IMPORT, str(dump), str(index))
        lookup = _child(_LOOKUP, str(index), str(work / "sample.json"))
        phrases = json.dumps(PHRASES)
        _child(_GEOCODE, str(cache), "", phrases)  # builds the packaged cache (first run)
        packaged = _child(_GEOCODE, str(cache), "", phrases)
        layered = _child(_GEOCODE, str(cache), str(index), phrases)
        result = {
            "benchmark": "gazetteer",
            "rows": args.rows,
            "dump_mb": round(dump.stat().st_size / 1e6, 1),
            "dump_written_s": round(written, 1),
            "import": imported,
            "lookup_imported_index": lookup,
            "geocode_packaged_default": packaged,
            "geocode_with_imported_index": layered,
            "ratios_vs_packaged": {
                "places_per_s": round(
                    float(layered["places_per_s"]) / float(packaged["places_per_s"]), 3
                ),
                "rss_added": round(
                    float(layered["rss_added_mb"]) / max(float(packaged["rss_added_mb"]), 0.1), 3
                ),
            },
            "machine": {
                "python": platform.python_version(),
                "cpus": os.cpu_count(),
                "load_average_at_end": os.getloadavg(),
            },
            "measured_on": time.strftime("%Y-%m-%d"),
        }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
