"""How ACLED coded the notes that match a pattern: the evidence behind a coding-convention rule.

    .venv/bin/python scripts/acled_coding.py --match REGEX [--exclude REGEX] [--before YEAR]
        [--fields event_type,sub_event_type,actor2] [--sample tune]
    .venv/bin/python scripts/acled_coding.py --fires NAME [--fields ...]
    .venv/bin/python scripts/acled_coding.py --match . --where "sub_event_type=Mob violence"
        --fields actor2

Reads ../shared/eval/acled-kenya-2007-2019.jsonl through sitrep's own split (tune by default:
rules are chosen on the tune part only; never pass --sample heldout to choose a rule). Prints,
for every note whose text matches --match (case-insensitive) and not --exclude, how many gold
events carry each combination of --fields (only events whose FIELD equals VALUE for every
--where FIELD=VALUE); with --before, notes published before that year and from it on apart.
With --fires, the notes are those on which a rule of the events stage fires instead: NAME is a
function or a method of a module of the ``sitrep.stages.events`` package (such as
``_demonstrators_violence``, a method, or ``_armed_victim_as_attacker``, a function) that
returned a true value while the stage read the note.
Quoted in docs/decisions/0004 and docs/quality.md.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import re
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sitrep.evaluate import GoldDocument, load_gold, select

GOLD = Path(__file__).resolve().parents[2] / "shared" / "eval" / "acled-kenya-2007-2019.jsonl"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--match", help="regular expression the note must match")
    parser.add_argument("--fires", help="an events-stage rule that must fire on the note")
    parser.add_argument("--exclude", help="regular expression the note must not match")
    parser.add_argument("--fields", default="event_type,sub_event_type,actor2")
    parser.add_argument("--before", type=int, help="split the notes at this publication year")
    parser.add_argument(
        "--where", action="append", default=[], help="FIELD=VALUE an event must have (repeatable)"
    )
    parser.add_argument("--sample", default="tune", choices=("tune", "heldout"))
    args = parser.parse_args()
    if (args.match is None) == (args.fires is None):
        parser.error("give one of --match and --fires")
    match = re.compile(args.match or "", re.IGNORECASE)
    fires = _rule_fires(args.fires) if args.fires else None
    exclude = re.compile(args.exclude, re.IGNORECASE) if args.exclude else None
    fields = args.fields.split(",")
    where = [tuple(condition.split("=", 1)) for condition in args.where]
    if any(len(condition) != 2 for condition in where):
        parser.error("--where takes FIELD=VALUE")
    counts: Counter[tuple[object, ...]] = Counter()
    notes = 0
    for document in select(load_gold(GOLD), sample=args.sample):
        text = document.text or ""
        if not match.search(text) or (exclude is not None and exclude.search(text)):
            continue
        if fires is not None and not fires(document):
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
            if any(str(getattr(event, field)) != value for field, value in where):
                continue
            counts[(*period, *(getattr(event, f) for f in fields))] += 1
    print(f"{notes} notes of the {args.sample} part match; events by {', '.join(fields)}:")
    for key, n in sorted(counts.items(), key=lambda item: (-item[1], str(item[0]))):
        print(f"{n:5d}  {' | '.join(str(k) for k in key)}")


def _rule_fires(name: str) -> Callable[[GoldDocument], bool]:
    """A test "does rule NAME fire while the events stage reads this note?"."""
    from sitrep.records import Document, Segment, SegmentKind
    from sitrep.stages import events
    from sitrep.stages.nlp import NlpStage

    modules = [
        importlib.import_module(f"{events.__name__}.{info.name}")
        for info in pkgutil.iter_modules(events.__path__)
    ]
    classes = [
        value
        for module in modules
        for value in vars(module).values()
        if isinstance(value, type) and value.__module__ == module.__name__
    ]
    # A method is patched on the (first) class that defines it; a function in every module
    # that imported it, since a call looks the name up in the calling module's globals.
    owners: list[Any] = [c for c in classes if name in vars(c)][:1]
    if owners:
        rule = getattr(owners[0], name)
    else:
        defining = [m for m in modules if getattr(m, name, None) is not None]
        if not defining:
            raise SystemExit(f"--fires: no function or method {name!r} in {events.__name__}")
        rule = getattr(defining[0], name)
        owners = [m for m in [events, *modules] if getattr(m, name, None) is rule]
    fired = [False]

    def recording(*args: Any, **kwargs: Any) -> Any:
        result = rule(*args, **kwargs)
        fired[0] = fired[0] or bool(result)
        return result

    for owner in owners:
        setattr(owner, name, recording)
    nlp, stage = NlpStage(), events.EventsStage()
    nlp.setup()
    stage.setup()

    def fires(gold: GoldDocument) -> bool:
        text = gold.text or ""
        segment = Segment(SegmentKind.BODY, 0, len(text), text)
        document = Document(
            id=gold.origin,
            origin=gold.origin,
            text=text,
            segments=(segment,),
            published=gold.published,
        )
        fired[0] = False
        stage(nlp([document]))
        return fired[0]

    return fires


if __name__ == "__main__":
    main()
