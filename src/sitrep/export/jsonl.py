"""JSON Lines export: one ``Event.to_dict()`` object per line."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import TextIO

from sitrep.records import Event

# Characters JSON leaves raw but Python's str.splitlines (and JavaScript, for the last two)
# treat as line breaks; escaped, a record can never be split across "lines".
_LINE_BREAKS = str.maketrans({"\x85": "\\u0085", "\u2028": "\\u2028", "\u2029": "\\u2029"})


def write_jsonl(events: Iterable[Event], out: TextIO) -> int:
    """Write one JSON object per event to ``out``; return how many were written."""
    n = 0
    for event in events:
        # ensure_ascii=False keeps place and actor names readable; the stream encodes them.
        line = json.dumps(event.to_dict(), ensure_ascii=False, allow_nan=False)
        out.write(line.translate(_LINE_BREAKS))
        out.write("\n")
        n += 1
    return n
