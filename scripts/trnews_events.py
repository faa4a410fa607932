"""Events the default pipeline extracts from the TR-News articles (real news prose, 2016-17).

    .venv/bin/python scripts/trnews_events.py --out events.jsonl [--summary] [--no-dates]

Reads ../shared/eval/tr-news-geoparsing.xml or --corpus (a geoparsing corpus: no event labels; dev
data for auditing by hand, never tuned on silently). Each article (title, blank line, text) goes
through the pipeline `sitrep process` builds, default settings. The corpus gives each
article's download date (<dltime>), used as the publication date ("crawl") unless
--no-dates. Writes one JSON line per event to --out; --summary prints counts.
"""

from __future__ import annotations

import argparse
import json
import re
import xml.etree.ElementTree as ET
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

import dateparser

from sitrep.process import build_pipeline
from sitrep.records import Event, Page
from sitrep.settings import Settings

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "eval" / "tr-news-geoparsing.xml"


def parse_dltime(text: str) -> date | None:
    """The date of a <dltime> ("2016-12-19 16:55 ET", "Dec 17, 2016 11:08 AM CT", ...)."""
    if iso := re.match(r"\d{4}-\d{2}-\d{2}", text):
        return date.fromisoformat(iso.group())
    # dateparser misreads US zone abbreviations it lacks (CT, MT) and "|"
    cleaned = re.sub(r"\b[ECMP][SD]?T\b|\|", " ", text)
    parsed = dateparser.parse(cleaned, settings={"REQUIRE_PARTS": ["day", "month", "year"]})
    return parsed.date() if parsed else None


def read_articles(*, dated: bool, corpus: Path = CORPUS) -> list[tuple[str, str, Page]]:
    """(docid, title, page) for each TR-News article."""
    articles = []
    for art in ET.parse(corpus).getroot().iter("article"):
        title = (art.findtext("title") or "").strip()
        body = (art.findtext("text") or "").strip()
        dltime = (art.findtext("dltime") or "").strip()
        published = parse_dltime(dltime) if dated and dltime else None
        page = Page(
            origin=f"trnews:{art.get('docid')}",
            text=f"{title}\n\n{body}",
            url=(art.findtext("url") or "").strip() or None,
            published=published,
            published_source="crawl" if published else None,
        )
        articles.append((art.get("docid") or "", title, page))
    return articles


def event_row(docid: str, title: str, event: Event) -> dict[str, Any]:
    """The audit fields of one event."""
    source = event.sources[0] if event.sources else None
    return {
        "docid": docid,
        "title": title,
        "sentence": source.sentence if source else None,
        "start": source.start if source else None,
        "event_type": event.event_type,
        "sub_event_type": event.sub_event_type,
        "actor1": event.actor1,
        "actor2": event.actor2,
        "location": event.location,
        "country": event.country,
        "latitude": event.latitude,
        "longitude": event.longitude,
        "event_date": event.event_date.isoformat() if event.event_date else None,
        "fatalities": event.fatalities,
        "modality": event.modality.value,
        "confidence": round(event.confidence, 3),
        "attribution": list(source.attribution) if source else [],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True, help="JSON Lines file to write")
    parser.add_argument("--summary", action="store_true", help="print counts")
    parser.add_argument("--no-dates", action="store_true", help="give no publication date")
    parser.add_argument("--corpus", type=Path, default=CORPUS, help="the TR-News XML file")
    args = parser.parse_args()

    articles = read_articles(dated=not args.no_dates, corpus=args.corpus)
    pipeline = build_pipeline(Settings().as_dict())
    by_id = {page.id: (docid, title) for docid, title, page in articles}
    rows: list[dict[str, Any]] = []
    failures: Counter[str] = Counter()
    for start in range(0, len(articles), 16):
        result = pipeline.run([page for _, _, page in articles[start : start + 16]])
        failures.update(f"{f.stage}: {f.error}" for f in result.failures)
        for document in result.documents:
            docid, title = by_id[document.id]
            rows.extend(event_row(docid, title, e) for e in document.events)
    rows.sort(key=lambda r: (r["docid"], r["start"] or 0))
    with args.out.open("w", encoding="utf-8") as out:
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")

    if args.summary:
        with_events = len({r["docid"] for r in rows})
        print(f"articles {len(articles)}, with >=1 event {with_events}")
        print(f"failures {failures.total()}", dict(failures))
        print(f"events {len(rows)}")
        print("by modality:", dict(Counter(r["modality"] for r in rows).most_common()))
        print("by event_type:", dict(Counter(r["event_type"] for r in rows).most_common()))
        occurred = Counter(r["event_type"] for r in rows if r["modality"] == "occurred")
        print("occurred by event_type:", dict(occurred.most_common()))


if __name__ == "__main__":
    main()
