"""A readable terminal table of events (rich).

Every cell is a ``rich.text.Text``, which rich never parses for markup: page text such as
"[bold]x[/]" prints literally instead of restyling (or breaking) the table.
"""

from __future__ import annotations

from collections.abc import Iterable

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from sitrep.records import Event

_MISSING = Text("–", style="dim")
# Below this width the table drops what a reader can do without (the event type, implied by
# the sub-type; admin1) rather than cutting names to a few letters or dropping columns.
_COMPACT_BELOW = 120
_DATE_WIDTH = 11  # "2018-08-22*"
_DEATHS_WIDTH = 6
_CONF_WIDTH = 5
_GAP = 3  # padding, divider, padding between two columns
# type, actors, location, source: the least each needs, and its share of the rest.
_MIN_WIDTHS = (16, 12, 10, 8)
_SHARES = (0.25, 0.33, 0.24, 0.18)


def render_table(events: Iterable[Event], console: Console, *, title: str | None = None) -> int:
    """Print events as a table on ``console``; return how many rows it has.

    Below 120 columns the table is compact: sub-type without its event type, no admin1 and
    no confidence column (exports carry everything).
    """
    compact = console.width < _COMPACT_BELOW
    table = Table(title=title, box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
    # Fixed widths that add up to the console's: left to itself, rich measures the longest
    # word of each cell and, when those do not fit, crops whole words off the right edge.
    fixed = _DATE_WIDTH + _DEATHS_WIDTH + (0 if compact else _CONF_WIDTH)
    gaps = _GAP * (6 if compact else 7)
    # "› " before the sub-type needs two more characters in the full table.
    minimums = _MIN_WIDTHS if compact else (_MIN_WIDTHS[0] + 2, *_MIN_WIDTHS[1:])
    extra = max(0, console.width - fixed - gaps - sum(minimums))
    kind, actors, location, source = (
        m + int(extra * share) for m, share in zip(minimums, _SHARES, strict=True)
    )
    table.add_column("date", width=_DATE_WIDTH, no_wrap=True)
    # "fold" breaks a word longer than its column ("Shelling/artillery/missile attack").
    table.add_column("sub-type" if compact else "type › sub-type", width=kind, overflow="fold")
    table.add_column("actor1 → actor2", width=actors, overflow="fold")
    table.add_column("location", width=location, overflow="fold")
    table.add_column("deaths", width=_DEATHS_WIDTH, justify="right", no_wrap=True)
    if not compact:
        table.add_column("conf.", width=_CONF_WIDTH, justify="right", no_wrap=True)
    table.add_column("source", width=source, overflow="fold")
    n = 0
    for event in events:
        cells = event_cells(event, compact=compact)
        table.add_row(*(cells[:5] + cells[6:] if compact else cells))
        n += 1
    if n == 0:
        console.print(Text("No events.", style="dim"))
        return 0
    console.print(table)
    return n


def event_cells(event: Event, *, compact: bool = False) -> tuple[Text, ...]:
    """Return the table cells of an event, as plain (markup-free) Text."""
    e = event
    date = _text(e.event_date.isoformat() if e.event_date is not None else None)
    if e.year_from_reference and e.event_date is not None:
        # The year came from the publication date, not the text: say so.
        date.append("*", style="yellow")
    if compact:
        kind = Text(e.sub_event_type)
    else:
        # The sub-type on a line of its own, so that it never wraps mid-name.
        kind = Text(e.event_type)
        kind.append("\n› ", style="dim")
        kind.append(e.sub_event_type)
    actors = _text(e.actor1)
    if e.actor2 is not None:
        actors.append(" → ", style="dim")
        actors.append(e.actor2)
    where = [p for p in ((None if compact else e.admin1), e.country) if p]
    location = _text(e.location)
    if where:
        location.append(f" ({', '.join(where)})", style="dim")
    deaths = _text(str(e.fatalities) if e.fatalities is not None else None)
    confidence = Text(f"{e.confidence:.2f}")
    return (date, kind, actors, location, deaths, confidence, _text(source_label(e)))


def source_label(event: Event) -> str | None:
    """Return who reported the event: its source field, else its first source's chain or url."""
    if event.source:
        return event.source
    for source in event.sources:
        if source.attribution:
            return " › ".join(source.attribution)
        if source.url:
            return source.url
    return None


def _text(value: str | None) -> Text:
    return Text(value) if value is not None else _MISSING.copy()
