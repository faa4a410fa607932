"""How many gold event places the gazetteer holds at all: the ceiling of "within 10 km".

    .venv/bin/python scripts/gazetteer_ceiling.py [GOLD.jsonl] [--sample tune|heldout]

For every gold event with coordinates and a location name, looks the name up in the default
layered gazetteer (packaged, plus geocode.index / overlay when set) as a place and as an
admin1 area, and counts the events for which some candidate of that name lies within 10 km
of the coded point. No extractor or geocoder can place more events within 10 km than this
(short of guessing a name the text does not give). Default gold: ACLED Kenya in shared/eval.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from sitrep.eval_match import distance_km, gold_event
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
    total = placed = held = 0
    for document in select(load_gold(args.gold), sample=args.sample):
        for gold in document.events:
            total += 1
            if not gold.has_coordinates or not gold.location:
                continue
            placed += 1
            found = [*gazetteer.candidates(gold.location), *gazetteer.admin_areas(gold.location)]
            points = (gold_event({"latitude": c.latitude, "longitude": c.longitude}) for c in found)
            if any((distance_km(p, gold) or 1e9) <= 10 for p in points):
                held += 1
    print(
        json.dumps(
            {
                "gold": str(args.gold),
                "sample": args.sample,
                "gold_events": total,
                "with_coordinates_and_name": placed,
                "name_in_gazetteer_within_10km": held,
                "ceiling": round(held / total, 4) if total else None,
            }
        )
    )


if __name__ == "__main__":
    main()
