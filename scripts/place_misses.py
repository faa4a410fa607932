"""Why found events miss their place: the count behind "named, not placed" (decision 0003).

    .venv/bin/python scripts/place_misses.py [--sample tune] [--limit N] [--show N]

Runs the pipeline over the ACLED Kenya gold (tune part by default; rules are chosen on it
only), pairs predicted with gold events ignoring place (as ``sitrep eval``'s place-blind
figures do) and sorts the pairs whose places do not agree: "wrong point" (the row has
coordinates, more than 25 km off and another name), "name, no point" (a name without
coordinates that is not the gold's) and "no place" (neither), each split by whether the note
writes the gold location at all. It also counts the rows put in a country that is not the
gold's (decision 0003, fourth session). --show prints that many misses.
"""

from __future__ import annotations

import argparse
import re
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
    written: Counter[str] = Counter()  # misses whose note writes the gold location
    countries: Counter[str] = Counter()
    shown = 0
    for document, prediction in zip(documents, predictions, strict=True):
        gold_countries = {g.country for g in prediction.gold}
        for event in prediction.predicted:
            where = (
                "no country"
                if event.country is None
                else "the gold's country"
                if event.country in gold_countries
                else "another country"
            )
            countries[where] += 1
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
            if gold.location and re.search(
                rf"(?i)\b{re.escape(gold.location)}\b", document.text or ""
            ):
                written[kind] += 1
            if shown < args.show:
                shown += 1
                print(
                    f"{kind}: {got.location!r} for {gold.location!r}: {(document.text or '')[:120]}"
                )
    total = sum(kinds.values())
    print(f"{total} events found ignoring place ({args.sample}, {len(documents)} notes):")
    for kind, n in kinds.most_common():
        note = f" ({written[kind]} with the gold location in the note)" if written[kind] else ""
        print(f"{n:6d}  {kind}{note}")
    print(f"{sum(countries.values())} predicted rows by country:")
    for where, n in countries.most_common():
        print(f"{n:6d}  {where}")


if __name__ == "__main__":
    main()
