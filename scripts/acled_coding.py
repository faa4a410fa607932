"""How ACLED coded the notes that match a pattern: the evidence behind a coding-convention rule.

    .venv/bin/python scripts/acled_coding.py --match REGEX [--exclude REGEX] [--before YEAR]
        [--fields event_type,sub_event_type,actor2] [--sample tune]

Reads ../shared/eval/acled-kenya-2007-2019.jsonl through sitrep's own split (tune by default:
rules are chosen on the tune part only; never pass --sample heldout to choose a rule). Prints,
for every note whose text matches --match (case-insensitive) and not --exclude, how many gold
events carry each combination of --fields; with --before, notes published before that year
and from it on apart. Quoted in docs/decisions/0004 and docs/quality.md.
"""

from __future__ import annotations

import argparse
import re
from collections import Counter
from pathlib import Path

from sitrep.evaluate import load_gold, select

GOLD = Path(__file__).resolve().parents[2] / "shared" / "eval" / "acled-kenya-2007-2019.jsonl"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--match", required=True, help="regular expression the note must match")
    parser.add_argument("--exclude", help="regular expression the note must not match")
    parser.add_argument("--fields", default="event_type,sub_event_type,actor2")
    parser.add_argument("--before", type=int, help="split the notes at this publication year")
    parser.add_argument("--sample", default="tune", choices=("tune", "heldout"))
    args = parser.parse_args()
    match = re.compile(args.match, re.IGNORECASE)
    exclude = re.compile(args.exclude, re.IGNORECASE) if args.exclude else None
    fields = args.fields.split(",")
    counts: Counter[tuple[object, ...]] = Counter()
    notes = 0
    for document in select(load_gold(GOLD), sample=args.sample):
        text = document.text or ""
        if not match.search(text) or (exclude is not None and exclude.search(text)):
            continue
        notes += 1
        period: tuple[object, ...] = ()
        if args.before is not None and document.published is not None:
            period = (
                f"before {args.before}"
                if document.published.year < args.before
                else f"{args.before} on",
            )
        for event in document.events:
            counts[(*period, *(getattr(event, f) for f in fields))] += 1
    print(f"{notes} notes of the {args.sample} part match; events by {', '.join(fields)}:")
    for key, n in sorted(counts.items(), key=lambda item: (-item[1], str(item[0]))):
        print(f"{n:5d}  {' | '.join(str(k) for k in key)}")


if __name__ == "__main__":
    main()
