"""Memory of WARC reading: resident memory must stay flat as records stream by.

    .venv/bin/python bench/warc_memory.py [--records 2000] [--out bench/results/warc_memory.json]

Writes a WARC.gz of N news-sized HTML responses (plus request and image records, as Common
Crawl News has), reads it with read_pages, and samples the resident set size (RSS) every 100
records. Flat means: the RSS after the last record is within a few MB of the RSS after the
first 10% — independent of N. Runs twice (N and 10×N) in subprocesses so each has its own
interpreter; reports both and the throughput.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _rss_mb() -> float:
    with open("/proc/self/statm", encoding="ascii") as f:
        pages = int(f.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 1e6


def write_crawl(path: Path, records: int) -> None:
    """Write ``records`` gzip-member WARC records: 1 of 3 an image, the rest HTML pages."""
    with path.open("wb") as out:
        for n in range(records):
            url = f"https://news.example/{n}"
            if n % 3 == 2:
                http = b"HTTP/1.1 200 OK\r\nContent-Type: image/jpeg\r\n\r\n" + b"\xff\xd8" * 5000
            else:
                filler = " ".join(hashlib.sha1(f"{n}-{i}".encode()).hexdigest() for i in range(300))
                body = (
                    f"<html><head><title>Story {n}</title></head><body><article>"
                    f"<h1>Story {n}</h1><p>{filler}</p></article></body></html>"
                ).encode()
                http = (
                    b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
                    + f"Content-Length: {len(body)}\r\n\r\n".encode()
                    + body
                )
            head = (
                f"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: {url}\r\n"
                f"WARC-Date: 2024-03-05T10:00:00Z\r\nWARC-Record-ID: <urn:uuid:{n:032x}>\r\n"
                f"Content-Type: application/http; msgtype=response\r\n"
                f"Content-Length: {len(http)}\r\n\r\n"
            ).encode()
            out.write(gzip.compress(head + http + b"\r\n\r\n", compresslevel=1, mtime=0))


def measure(path: Path) -> dict[str, object]:
    """Read the crawl, sampling RSS; return the samples and timings."""
    sys.path.insert(0, str(ROOT / "src"))
    from sitrep.records import Page
    from sitrep.stages.read import read_pages

    start = time.perf_counter()
    samples: list[tuple[int, float]] = [(0, _rss_mb())]
    pages = failures = 0
    chars = 0
    for n, item in enumerate(read_pages([path]), start=1):
        if isinstance(item, Page):
            pages += 1
            chars += len(item.html or "")
        else:
            failures += 1
        if n % 100 == 0:
            samples.append((n, _rss_mb()))
    seconds = time.perf_counter() - start
    samples.append((pages + failures, _rss_mb()))
    early = samples[max(1, len(samples) // 10)][1]
    return {
        "file_mb": round(path.stat().st_size / 1e6, 1),
        "pages": pages,
        "failures": failures,
        "seconds": round(seconds, 2),
        "pages_per_second": round(pages / seconds, 1),
        "rss_start_mb": round(samples[0][1], 1),
        "rss_after_10pct_mb": round(early, 1),
        "rss_end_mb": round(samples[-1][1], 1),
        "rss_growth_after_10pct_mb": round(samples[-1][1] - early, 1),
        "rss_max_sampled_mb": round(max(s for _, s in samples), 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=2000)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "warc_memory.json")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child is not None:
        print(json.dumps(measure(args.child)))
        return
    results: dict[str, object] = {
        "python": platform.python_version(),
        "machine": platform.machine(),
    }
    with tempfile.TemporaryDirectory() as tmp:
        for records in (args.records, 10 * args.records):
            path = Path(tmp) / f"crawl-{records}.warc.gz"
            write_crawl(path, records)
            run = subprocess.run(
                [sys.executable, __file__, "--child", str(path)],
                check=True,
                capture_output=True,
                text=True,
            )
            results[f"records_{records}"] = json.loads(run.stdout)
            path.unlink()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
