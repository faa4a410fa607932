"""How many gold event places the gazetteer holds at all: the ceiling of "within 10 km".

    .venv/bin/python scripts/gazetteer_ceiling.py [GOLD.jsonl] [--sample tune|heldout]

For every gold event with coordinates and a location name, looks the name up in the default
layered gazetteer (packaged, plus geocode.index / overlay when set) as a place and as an
admin1 area, and counts the events for which some candidate of that name lies within 10 km
of the coded point. No extractor or geocoder can place more events within 10 km than this
(short of guessing a name the text does not give). Default gold: ACLED Kenya in shared/eval.

Also counts the events whose place the text itself gives: the gold location name is written
in the text (``location_written_in_text``, whatever the gazetteer), or a capitalised name of
one to three words in the text has a gazetteer entry within 25 km of the coded point. That
bounds the recall of event detection with place (the issue's "within 25 km or names the same
place"): an event whose place the note never names cannot match on place, whatever the
extractor does.
"""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path

from sitrep.adapters.gazetteer.base import Gazetteer
from sitrep.eval_match import EvalEvent, distance_km, gold_event
from sitrep.evaluate import load_gold, select
from sitrep.settings import load_settings
from sitrep.stages.geocode import build_gazetteer, gazetteer_options

ROOT = Path(__file__).resolve().parents[1]
ACLED = ROOT.parent / "shared" / "eval" / "acled-kenya-2007-2019.jsonl"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("gold", nargs="?", type=Path, default=ACLED)
    parser.add_argument("--sample", choices=("tune", "heldout"), default="heldout")
    args = parser.parse_args()
    gazetteer = build_gazetteer(**gazetteer_options(load_settings()))
    total = placed = held = in_text = written = 0
    for document in select(load_gold(args.gold), sample=args.sample):
        text = document.text or ""
        named: list[EvalEvent] | None = None  # gazetteer points of the text's names, once
        for gold in document.events:
            total += 1
            if not gold.has_coordinates or not gold.location:
                continue
            placed += 1
            if any((distance_km(p, gold) or 1e9) <= 10 for p in _points(gold.location, gazetteer)):
                held += 1
            if re.search(rf"(?i)\b{re.escape(gold.location)}\b", text):
                in_text += 1
                written += 1
                continue
            if named is None:
                runs = (m.split() for m in _NAME.findall(text))
                names = dict.fromkeys(" ".join(r[:n]) for r in runs for n in (1, 2, 3))
                named = [p for name in names for p in _points(name, gazetteer)]
            if any((distance_km(p, gold) or 1e9) <= 25 for p in named):
                in_text += 1
    print(
        json.dumps(
            {
                "gold": str(args.gold),
                "sample": args.sample,
                "gold_events": total,
                "with_coordinates_and_name": placed,
                "name_in_gazetteer_within_10km": held,
                "ceiling": round(held / total, 4) if total else None,
                "location_written_in_text": written,
                "place_given_by_text": in_text,
                "place_given_by_text_share": round(in_text / total, 4) if total else None,
            }
        )
    )


# A capitalised name of one to three words: "Kapedo", "Tana River", "Deir ez Zor".
_NAME = re.compile(r"\b(?=([A-Z][\w'’-]+(?: [A-Z][\w'’-]+){0,2}))")


def _points(name: str, gazetteer: Gazetteer) -> list[EvalEvent]:
    """The points of the gazetteer's places and admin areas called ``name``."""
    found = [*gazetteer.candidates(name), *gazetteer.admin_areas(name)]
    return [gold_event({"latitude": c.latitude, "longitude": c.longitude}) for c in found]


if __name__ == "__main__":
    main()
