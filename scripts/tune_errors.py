"""Where the extractor and ACLED disagree on the tune part: the counts behind decision 0004.

    .venv/bin/python scripts/tune_errors.py [--sample tune] [--top N] [--show FIELD]

Runs the pipeline over the ACLED Kenya gold (tune part by default; rules are chosen on it
only) and prints: the notes for which sitrep gives more events than ACLED coded (and how many
extra), the notes it gives none for; and, on events paired ignoring type and place (as
``sitrep eval``'s place-blind figures pair them), the most frequent event-type confusions and
actor1/actor2 mismatches ("gold <- predicted"), battles compared order-blind as in the eval.
--show type|actor1|actor2 prints every pair of that kind with its note.
"""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path

from sitrep.eval_match import actors_agree, assign, battle_sides_swapped, dictionary_normaliser
from sitrep.evaluate import load_gold, predict, select
from sitrep.settings import load_settings

GOLD = Path(__file__).resolve().parents[2] / "shared" / "eval" / "acled-kenya-2007-2019.jsonl"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sample", default="tune", choices=("tune", "heldout"))
    parser.add_argument("--top", type=int, default=15)
    parser.add_argument("--show", choices=("type", "actor1", "actor2"))
    args = parser.parse_args()
    documents = select(load_gold(GOLD), sample=args.sample)
    predictions = predict(documents, settings=load_settings())
    normalise = dictionary_normaliser()
    notes: Counter[str] = Counter()
    pairs: dict[str, Counter[str]] = {k: Counter() for k in ("type", "actor1", "actor2")}
    for document, prediction in zip(documents, predictions, strict=True):
        got, gold = prediction.predicted, prediction.gold
        if len(got) > len(gold):
            notes["notes with more events than ACLED coded"] += 1
            notes["extra events"] += len(got) - len(gold)
        if gold and not got:
            notes["notes with no event though ACLED coded one"] += 1
        for pair in assign(got, gold, check_type=False, check_place=False):
            p, g = got[pair.predicted], gold[pair.gold]
            text = (document.text or "")[:200].replace("\n", " ")
            if g.event_type != p.event_type:
                found = f"{g.event_type}/{g.sub_event_type} <- {p.event_type}/{p.sub_event_type}"
                _count(pairs["type"], found, text, args.show == "type")
                continue
            swapped = battle_sides_swapped(p, g, normalise=normalise)
            for field in ("actor1", "actor2"):
                want, have = getattr(g, field), getattr(p, field)
                if want and not swapped and not actors_agree(have, want, normalise=normalise):
                    _count(pairs[field], f"{want!r} <- {have!r}", text, args.show == field)
    print(f"{len(documents)} notes ({args.sample}):")
    for what, n in notes.items():
        print(f"{n:6d}  {what}")
    for field, counter in pairs.items():
        print(f"{sum(counter.values())} {field} mismatches on pairs matched ignoring place; top:")
        for what, n in counter.most_common(args.top):
            print(f"{n:6d}  {what}")


def _count(counter: Counter[str], key: str, text: str, show: bool) -> None:
    counter[key] += 1
    if show:
        print(f"{key}: {text}")


if __name__ == "__main__":
    main()
