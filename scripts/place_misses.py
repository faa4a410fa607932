"""Why found events miss their place: the count behind "named, not placed" (decision 0003).

    .venv/bin/python scripts/place_misses.py [--sample tune] [--limit N] [--show N]

Runs the pipeline over the ACLED Kenya gold (tune part by default; rules are chosen on it
only), pairs predicted with gold events ignoring place (as ``sitrep eval``'s place-blind
figures do) and sorts the pairs whose places do not agree: "wrong point" (the row has
coordinates, more than 25 km off and another name), "name, no point" (a name without
coordinates that is not the gold's) and "no place" (neither). --show prints that many misses.
"""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path

from sitrep.eval_match import assign, places_agree
from sitrep.evaluate import load_gold, predict, select
from sitrep.settings import load_settings

GOLD = Path(__file__).resolve().parents[2] / "shared" / "eval" / "acled-kenya-2007-2019.jsonl"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sample", default="tune", choices=("tune", "heldout"))
    parser.add_argument("--limit", type=int)
    parser.add_argument("--show", type=int, default=0)
    args = parser.parse_args()
    documents = select(load_gold(GOLD), sample=args.sample, limit=args.limit)
    predictions = predict(documents, settings=load_settings())
    kinds: Counter[str] = Counter()
    shown = 0
    for document, prediction in zip(documents, predictions, strict=True):
        for pair in assign(prediction.predicted, prediction.gold, check_place=False):
            got, gold = prediction.predicted[pair.predicted], prediction.gold[pair.gold]
            if places_agree(got, gold):
                kinds["place agrees"] += 1
                continue
            kind = (
                "wrong point"
                if got.has_coordinates
                else "name, no point"
                if got.location
                else "no place"
            )
            kinds[kind] += 1
            if shown < args.show:
                shown += 1
                print(
                    f"{kind}: {got.location!r} for {gold.location!r}: {(document.text or '')[:120]}"
                )
    total = sum(kinds.values())
    print(f"{total} events found ignoring place ({args.sample}, {len(documents)} notes):")
    for kind, n in kinds.most_common():
        print(f"{n:6d}  {kind}")


if __name__ == "__main__":
    main()
