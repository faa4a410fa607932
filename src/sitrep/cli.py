"""The command line: parse options, resolve settings, call the library. Nothing else."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any, TextIO

import click
from rich.console import Console

from sitrep.adapters.store import open_store
from sitrep.adapters.store.base import EventQuery, Store
from sitrep.errors import SitrepError
from sitrep.settings import SETTINGS, Settings, load_settings

FORMATS = ("table", "jsonl", "csv", "geojson")


def _parse_date(ctx: click.Context, param: click.Parameter, value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date in YYYY-MM-DD form") from None


db_option = click.option(
    "--db",
    "db",
    metavar="URL",
    default=None,
    help="Database URL, e.g. sqlite:///sitrep.db (default: setting store.url).",
)
config_option = click.option(
    "--config",
    "config",
    type=click.Path(dir_okay=False),
    default=None,
    help="Settings file (TOML); default ./sitrep.toml if present.",
)


def _settings(config: str | None, **overrides: Any) -> Settings:
    return load_settings(file=config, overrides=overrides)


@contextmanager
def _store(settings: Settings) -> Iterator[Store]:
    store = open_store(settings["store.url"])
    try:
        yield store
    finally:
        store.close()


class SitrepGroup(click.Group):
    """Turns SitrepError into a one-line message and exit status 2 instead of a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except SitrepError as e:
            click.echo(f"error: {e}", err=True)
            ctx.exit(2)


@click.group(cls=SitrepGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="sitrep")
def main() -> None:
    """sitrep: turn news pages into conflict-event data.

    Reads pages (text, HTML, JSON Lines), separates article from reader comments,
    extracts ACLED-style events with actors, place, date, fatalities and sources,
    and stores them in a local database. Settings: defaults < sitrep.toml <
    SITREP_* environment variables < command-line options (see `sitrep settings`).
    """


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=False))
@click.option(
    "--published",
    callback=_parse_date,
    metavar="YYYY-MM-DD",
    help="Publication date for pages that carry none; relative dates resolve against it.",
)
@db_option
@click.option("--json", "as_json", is_flag=True, help="Print each new event as a JSON line.")
@click.option("--workers", type=click.IntRange(min=1), default=None, help="Worker processes.")
@click.option("--model", default=None, help="spaCy pipeline to use (setting nlp.model).")
@click.option("--force", is_flag=True, help="Re-process pages that are already stored.")
@config_option
def process(
    paths: tuple[str, ...],
    published: date | None,
    db: str | None,
    as_json: bool,
    workers: int | None,
    model: str | None,
    force: bool,
    config: str | None,
) -> None:
    """Process pages in PATHS (files or folders) and store what they report.

    Plain text (.txt), HTML (.html) and JSON Lines (.jsonl: records with text or
    html, url, published) are read. Pages already stored are skipped unless
    --force. Bad pages are stored as failures (see `sitrep failures`); the run
    goes on. Prints a table of the events found, or JSON lines with --json.
    """
    from sitrep.export.table import render_table
    from sitrep.process import iter_events, process_paths

    settings = _settings(
        config, **{"store.url": db, "process.workers": workers, "nlp.model": model}
    )
    err = Console(stderr=True)
    with _store(settings) as store:
        if err.is_terminal:
            from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

            with Progress(
                SpinnerColumn(),
                TextColumn("[progress.description]{task.description}"),
                TextColumn("{task.completed} pages"),
                TimeElapsedColumn(),
                console=err,
                transient=True,
            ) as progress:
                task = progress.add_task("processing", total=None)
                summary = process_paths(
                    paths,
                    settings=settings,
                    store=store,
                    published=published,
                    force=force,
                    on_page=lambda n: progress.advance(task, n),
                )
        else:
            summary = process_paths(
                paths, settings=settings, store=store, published=published, force=force
            )
    events = list(iter_events(summary.events))
    if as_json:
        for event in events:
            click.echo(json.dumps(event.to_dict(), ensure_ascii=False))
    else:
        render_table(events, Console())
    statuses = ", ".join(f"{n} {s}" for s, n in sorted(summary.statuses.items())) or "none"
    err.print(
        f"{summary.pages} pages read: {statuses}; {summary.skipped} already stored; "
        f"{summary.failures} failures; {len(events)} events.",
        markup=False,
        highlight=False,
    )


@main.command()
@db_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default="table",
    show_default=True,
    help="Output format: table, jsonl, csv (ACLED columns) or geojson.",
)
@click.option("--since", callback=_parse_date, metavar="YYYY-MM-DD", help="Events on/after.")
@click.option("--until", callback=_parse_date, metavar="YYYY-MM-DD", help="Events on/before.")
@click.option("--country", default=None, help="Country name or ISO code.")
@click.option("--type", "event_type", default=None, help="Event type or sub-event type.")
@click.option("--actor", default=None, help="Actor name (part of actor1/actor2, any case).")
@click.option(
    "--modality",
    default="occurred",
    show_default=True,
    type=click.Choice(["occurred", "planned", "claimed", "denied", "estimate", "all"]),
    help="Only events with this modality; 'all' for every one.",
)
@click.option("--limit", type=click.IntRange(min=1), default=None, help="At most N events.")
@click.option(
    "--output", "-o", type=click.File("w", encoding="utf-8"), default="-", help="Output file."
)
@config_option
def events(
    db: str | None,
    fmt: str,
    since: date | None,
    until: date | None,
    country: str | None,
    event_type: str | None,
    actor: str | None,
    modality: str,
    limit: int | None,
    output: TextIO,
    config: str | None,
) -> None:
    """List and export stored events (only those that occurred, unless --modality)."""
    settings = _settings(config, **{"store.url": db})
    query = EventQuery(
        since=since,
        until=until,
        country=country,
        event_type=event_type,
        actor=actor,
        modality=None if modality == "all" else modality,
        limit=limit,
    )
    with _store(settings) as store:
        rows = store.events(query)
    write_events(rows, fmt, output)


def write_events(rows: list[Any], fmt: str, output: TextIO) -> None:
    """Write events in one of FORMATS."""
    from sitrep.export import csv as csv_export
    from sitrep.export import geojson, jsonl
    from sitrep.export.table import render_table

    if fmt == "jsonl":
        jsonl.write_jsonl(rows, output)
    elif fmt == "csv":
        csv_export.write_csv(rows, output)
    elif fmt == "geojson":
        geojson.write_geojson(rows, output)
    else:
        render_table(rows, Console(file=output) if output is not sys.stdout else Console())


@main.command()
@db_option
@config_option
def documents(db: str | None, config: str | None) -> None:
    """List stored documents with their language, status and counts, as JSON lines."""
    settings = _settings(config, **{"store.url": db})
    with _store(settings) as store:
        for d in store.documents():
            row = {k: getattr(d, k) for k in d.__dataclass_fields__}
            click.echo(json.dumps(row, ensure_ascii=False, default=str))


@main.command()
@db_option
@config_option
def failures(db: str | None, config: str | None) -> None:
    """List stored failures (record, stage, reason) as JSON lines."""
    settings = _settings(config, **{"store.url": db})
    with _store(settings) as store:
        for f in store.failures():
            row = {k: getattr(f, k) for k in f.__dataclass_fields__}
            click.echo(json.dumps(row, ensure_ascii=False))


@main.command()
@db_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option(
    "--port", type=click.IntRange(1, 65535), default=8000, show_default=True, help="TCP port."
)
@config_option
def serve(db: str | None, host: str, port: int, config: str | None) -> None:
    """Serve the REST API (/api/v1) and the analyst's web page (/) over the database."""
    from sitrep.api.app import serve as run_server

    settings = _settings(config, **{"store.url": db})
    run_server(settings, host=host, port=port)


@main.command("settings")
@config_option
def show_settings(config: str | None) -> None:
    """Show every setting: name, current value, environment variable and help."""
    settings = _settings(config)
    for s in SETTINGS:
        click.echo(f"{s.name} = {settings[s.name]!r}    [{s.env}]")
        click.echo(f"    {s.help}")
