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
from rich.text import Text

from sitrep.adapters.store import open_store
from sitrep.adapters.store.base import BBox, CommentQuery, CommentRow, EventQuery, Store
from sitrep.errors import SitrepError
from sitrep.records import Event
from sitrep.settings import SETTINGS, Settings, load_settings

FORMATS = ("table", "jsonl", "csv", "geojson", "parquet")


def _parse_date(ctx: click.Context, param: click.Parameter, value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date in YYYY-MM-DD form") from None


def _parse_bbox(ctx: click.Context, param: click.Parameter, value: str | None) -> BBox | None:
    if value is None:
        return None
    # The API's parser (imported here: the rest of the CLI never needs the web app).
    from sitrep.api.queries import InvalidParameter, parse_bbox

    try:
        return parse_bbox(value)
    except InvalidParameter as e:
        raise click.BadParameter(e.detail) from None


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
@click.option(
    "--engine",
    type=click.Choice(["local", "ray"]),
    default=None,
    help="local: this process or a process pool; ray: Ray Data actors (setting process.engine).",
)
@click.option(
    "--address",
    metavar="ADDRESS",
    default=None,
    help="Ray cluster to join with --engine ray (setting process.ray_address); default: a "
    "local one for the run.",
)
@click.option("--model", default=None, help="spaCy pipeline to use (setting nlp.model).")
@click.option("--force", is_flag=True, help="Re-process pages that are already stored.")
@config_option
def process(
    paths: tuple[str, ...],
    published: date | None,
    db: str | None,
    as_json: bool,
    workers: int | None,
    engine: str | None,
    address: str | None,
    model: str | None,
    force: bool,
    config: str | None,
) -> None:
    """Process pages in PATHS (files or folders) and store what they report.

    Plain text (.txt), HTML (.html), JSON Lines (.jsonl: records with text or
    html, url, published) and WARC crawls (.warc, .warc.gz) are read. Pages
    already stored are skipped unless --force. Bad pages are stored as failures
    (see `sitrep failures`); the run goes on. Prints a table of the events
    found, or JSON lines with --json.
    """
    from sitrep.export.table import render_table
    from sitrep.process import iter_events, process_paths

    settings = _settings(
        config,
        **{
            "store.url": db,
            "process.workers": workers,
            "process.engine": engine,
            "process.ray_address": address,
            "nlp.model": model,
        },
    )
    err = Console(stderr=True)

    def print_event(event: Event) -> None:
        click.echo(json.dumps(event.to_dict(), ensure_ascii=False))

    with _store(settings) as store:
        # --json streams each event as its page is stored, so memory stays flat on crawls;
        # the table needs them all, sorted, at the end.
        options: dict[str, Any] = {
            "settings": settings,
            "store": store,
            "published": published,
            "force": force,
            "on_event": print_event if as_json else None,
            "keep_events": not as_json,
        }
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
                    on_page=lambda n: progress.advance(task, n),
                    **options,
                )
        else:
            summary = process_paths(paths, **options)
    if not as_json:
        render_table(list(iter_events(summary.events)), Console())
    statuses = ", ".join(f"{n} {s}" for s, n in sorted(summary.statuses.items())) or "none"
    err.print(
        f"{summary.pages} pages read: {statuses}; {summary.skipped} already stored; "
        f"{summary.failures} failures; {summary.n_events} events.",
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
    help="Output format: table, jsonl, csv (ACLED columns), geojson or parquet (needs --output).",
)
@click.option("--since", callback=_parse_date, metavar="YYYY-MM-DD", help="Events on/after.")
@click.option("--until", callback=_parse_date, metavar="YYYY-MM-DD", help="Events on/before.")
@click.option("--country", default=None, help="Country name or ISO code.")
@click.option("--type", "event_type", default=None, help="Event type or sub-event type.")
@click.option("--actor", default=None, help="Actor name (part of actor1/actor2, any case).")
@click.option("--admin1", default=None, help="First-level region, any case.")
@click.option(
    "--min-confidence", type=click.FloatRange(0, 1), default=None, help="Least confidence, 0 to 1."
)
@click.option(
    "--bbox",
    callback=_parse_bbox,
    metavar="W,S,E,N",
    help="Only placed events inside minlon,minlat,maxlon,maxlat (WGS 84).",
)
@click.option("--text", "q", default=None, help="Text in the notes or a source sentence, any case.")
@click.option(
    "--modality",
    default="occurred",
    show_default=True,
    type=click.Choice(["occurred", "planned", "claimed", "denied", "estimate", "all"]),
    help="Only events with this modality; 'all' for every one.",
)
@click.option("--limit", type=click.IntRange(min=1), default=None, help="At most N events.")
@click.option(
    "--fused/--no-fused",
    default=True,
    show_default=True,
    help="One row per event with every page's report (--no-fused: one row per report).",
)
@click.option(
    "--output", "-o", type=click.File("w", encoding="utf-8"), default="-", help="Output file."
)
@click.option(
    "--sources",
    "sources_path",
    type=click.Path(dir_okay=False, writable=True),
    default=None,
    help="With --format parquet: also write the events' sources (one row per sentence) here.",
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
    admin1: str | None,
    min_confidence: float | None,
    bbox: BBox | None,
    q: str | None,
    modality: str,
    limit: int | None,
    fused: bool,
    output: TextIO,
    sources_path: str | None,
    config: str | None,
) -> None:
    """List and export stored events (only those that occurred, unless --modality).

    Reports of the same event from several pages are listed once, with all their sources
    (docs/decisions/0011-fusion.md); --no-fused lists each page's report.
    """
    if fmt == "parquet" and getattr(output, "name", "-") in ("-", "<stdout>"):
        raise click.UsageError("--format parquet writes a file: give --output FILE")
    if sources_path is not None and fmt != "parquet":
        raise click.UsageError("--sources goes with --format parquet")
    settings = _settings(config, **{"store.url": db})
    query = EventQuery(
        since=since,
        until=until,
        country=country,
        event_type=event_type,
        actor=actor,
        modality=None if modality == "all" else modality,
        limit=limit,
        fused=fused,
        # The desk's filters, evaluated by the store as for the API (docs/decisions/0014).
        admin1=admin1,
        min_confidence=min_confidence,
        bbox=bbox,
        q=q,
    )
    with _store(settings) as store:
        if fmt == "parquet":
            # click opens an --output file for writing lazily: never touched, it is never
            # created, and pyarrow writes the path itself.
            n = _write_parquet(store, query, output.name, sources_path)
            click.echo(f"{n} events written to {output.name}", err=True)
            return
        rows = store.events(query)
    write_events(rows, fmt, output)
    _note_attribution(fmt, output)


def _note_attribution(fmt: str, output: TextIO) -> None:
    """Give CSV and JSON Lines their attribution: a sidecar file, or for CSV on stdout a note on
    stderr (docs/decisions/0015-data-rights.md); GeoJSON and Parquet carry it inside."""
    from sitrep.export.attribution import attribution_note, write_sidecar

    if fmt not in ("csv", "jsonl"):
        return
    name = getattr(output, "name", "-")
    if name in ("-", "<stdout>"):
        # JSON Lines on stdout stays pure events: a pipe's reader may merge stderr into it.
        if fmt == "csv":
            click.echo(attribution_note(), err=True)
        return
    click.echo(f"attribution written to {write_sidecar(name, fmt)}", err=True)


def _write_parquet(store: Store, query: EventQuery, path: str, sources: str | None) -> int:
    """Export events page by page (constant memory) to Parquet; return how many."""
    try:
        from sitrep.export import parquet
    except ImportError as e:
        if e.name != "pyarrow":
            raise
        raise SitrepError("--format parquet needs pyarrow: pip install 'sitrep[parquet]'") from None
    return parquet.write_parquet(parquet.page_events(store, query), path, sources_path=sources)


@main.command()
@db_option
@click.option("--rebuild", is_flag=True, help="Drop every cluster and recompute all from scratch.")
@config_option
def fuse(db: str | None, rebuild: bool, config: str | None) -> None:
    """Fuse stored reports of the same event into clusters (docs/decisions/0011-fusion.md).

    `sitrep process` fuses each batch as it stores it; this command brings a database up to
    date (one filled before fusion existed), or with --rebuild recomputes every cluster.
    Both give the same clusters.
    """
    from sitrep.fuse_store import fuse_documents, rebuild_clusters

    settings = _settings(config, **{"store.url": db})
    with _store(settings) as store:
        if rebuild:
            report = rebuild_clusters(store)
        else:
            report = fuse_documents(store, [d.id for d in store.documents()])
    click.echo(
        f"{report.events} reports: {report.clusters} events reported by several pages "
        f"({report.merged} reports merged)."
    )


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


@main.command("eval")
@click.argument("gold", type=click.Path(exists=True, dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.option(
    "--sample",
    type=click.Choice(["tune", "heldout"]),
    default=None,
    help="Score only the tuning or the held-out part (eval/README.md); default both.",
)
@click.option("--limit", type=click.IntRange(min=1), default=None, help="First N documents.")
@config_option
def evaluate(
    gold: str, as_json: bool, sample: str | None, limit: int | None, config: str | None
) -> None:
    """Score the pipeline against GOLD (JSON Lines of texts with human-coded events).

    Reports event detection precision/recall/F1, per-field accuracy on matched
    events, a sub-event confusion table and confidence calibration; the matching
    rules are in docs/evaluation.md.
    """
    from pathlib import Path

    from sitrep.evaluate import format_report, run_eval

    settings = _settings(config)
    report = run_eval(Path(gold), settings=settings, sample=sample, limit=limit)
    click.echo(format_report(report, as_json=as_json))


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


@main.command()
@click.argument("feeds", nargs=-1, required=True, metavar="FEED_URL...")
@click.option(
    "--interval",
    type=click.FloatRange(min=1),
    default=None,
    metavar="S",
    help="Seconds between polls (setting watch.interval).",
)
@click.option("--once", is_flag=True, help="Poll once and exit.")
@click.option("--webhook", metavar="URL", default=None, help="POST new matching events here.")
@click.option("--filter-country", default=None, help="Only post events in this country.")
@click.option("--filter-type", default=None, help="Only post events of this (sub-)event type.")
@click.option("--filter-actor", default=None, help="Only post events naming this actor.")
@db_option
@config_option
def watch(
    feeds: tuple[str, ...],
    interval: float | None,
    once: bool,
    webhook: str | None,
    filter_country: str | None,
    filter_type: str | None,
    filter_actor: str | None,
    db: str | None,
    config: str | None,
) -> None:
    """Poll RSS/Atom FEED_URLs, process new items' articles, and report new events.

    Each poll fetches the feeds, processes the article of every item not seen
    before (the item's full content when the feed carries it, else its page),
    and prints the new events that match the filters as JSON lines; with
    --webhook each is also POSTed there as JSON. Items seen are remembered in
    a state file (setting watch.state_file), so a restarted watch goes on where
    it stopped. Ctrl-C stops it.
    """
    from sitrep.adapters.fetch.web import WebFetcher
    from sitrep.watch import WatchSummary
    from sitrep.watch import watch as run_watch

    settings = _settings(config, **{"store.url": db, "watch.interval": interval})
    fetcher = WebFetcher(
        allow_private=settings["fetch.allow_private"],
        max_redirects=settings["fetch.max_redirects"],
        user_agent=settings["fetch.user_agent"],
    )
    query = EventQuery(country=filter_country, event_type=filter_type, actor=filter_actor)
    err = Console(stderr=True)

    def report(poll: WatchSummary) -> None:
        for event in poll.matched:
            click.echo(json.dumps(event.to_dict(), ensure_ascii=False))
        err.print(
            f"poll: {poll.items_new} new items, {poll.pages} pages read "
            f"({poll.skipped} already stored), {poll.failures} failures, "
            f"{len(poll.events)} events, {len(poll.matched)} matching; "
            f"webhook: {poll.posted} posted, {poll.pending_posts} pending.",
            markup=False,
            highlight=False,
        )

    with _store(settings) as store:
        try:
            run_watch(
                feeds,
                store=store,
                settings=settings,
                fetcher=fetcher,
                webhook=webhook,
                query=query,
                once=once,
                on_poll=report,
            )
        except KeyboardInterrupt:
            err.print("stopped.", markup=False, highlight=False)


@main.group(context_settings={"help_option_names": ["-h", "--help"]})
def gazetteer() -> None:
    """Build the full GeoNames index (villages, rivers, districts) for offline geocoding."""


@gazetteer.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option(
    "--index",
    "index",
    type=click.Path(dir_okay=False),
    default=None,
    help="SQLite index to write (default: setting geocode.index, else ./geonames.sqlite).",
)
@click.option(
    "--classes",
    default="PAHTLS",
    show_default=True,
    help="GeoNames feature classes to keep (P places, A areas, H water, T terrain, L, S spots).",
)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=None,
    help="Processes parsing lines while one writes (default: the CPUs, at most 8).",
)
@config_option
def gazetteer_import(
    paths: tuple[str, ...],
    index: str | None,
    classes: str,
    workers: int | None,
    config: str | None,
) -> None:
    """Import GeoNames files in PATHS into a SQLite index (replacing it).

    Reads allCountries.txt or per-country dumps (SY.txt, also .zip), alternateNamesV2.txt,
    admin1CodesASCII.txt and admin2Codes.txt, streaming. Point geocode.index at the result.
    """
    from sitrep.adapters.gazetteer.geonames_sqlite import import_geonames

    settings = _settings(config)
    target = index or str(settings["geocode.index"]).strip() or "geonames.sqlite"
    report = import_geonames(
        list(paths),
        target,
        classes=classes,
        progress=lambda label: click.echo(f"reading {label}", err=True),
        workers=workers,
    )
    click.echo(
        f"{report.path}: {report.features:,} features, {report.names:,} names, "
        f"{report.admin_codes:,} admin codes, {report.skipped_lines:,} lines skipped; "
        f"{report.bytes / 1e6:.1f} MB in {report.seconds:.1f} s"
    )


@gazetteer.command("download")
@click.argument("countries", nargs=-1, required=True)
@click.option(
    "--dest",
    type=click.Path(file_okay=False),
    default="geonames",
    show_default=True,
    help="Folder to write the files into.",
)
@click.option(
    "--alternate-names", is_flag=True, help="Also fetch the countries' alternate-name files."
)
@click.option(
    "--timeout", type=click.FloatRange(min=1), default=60.0, show_default=True, help="Seconds."
)
def gazetteer_download(
    countries: tuple[str, ...], dest: str, alternate_names: bool, timeout: float
) -> None:
    """Fetch GeoNames dumps for COUNTRIES (ISO codes such as SY UA, or allCountries).

    Also fetches admin1CodesASCII.txt and admin2Codes.txt. Exit status 75 when the
    failure may pass (retry later), 2 when it will not.
    """
    from sitrep.adapters.gazetteer.download import DownloadError, download_geonames

    try:
        done = download_geonames(
            list(countries),
            dest,
            alternate_names=alternate_names,
            timeout=timeout,
            progress=lambda url: click.echo(f"fetching {url}", err=True),
        )
    except DownloadError as e:
        click.echo(f"error: {e}", err=True)
        sys.exit(75 if e.retry else 2)
    for item in done:
        click.echo(f"{item.path}\t{item.bytes:,} bytes")
    click.echo(f"next: sitrep gazetteer import {dest}/*.zip {dest}/*.txt --index PATH", err=True)


@main.command("geocode")
@click.argument("text")
@click.option("--country", metavar="ISO", default=None, help="The article's country focus.")
@click.option("--hint", "hints", multiple=True, help="A larger area the text names (repeatable).")
@click.option(
    "--place", "places", multiple=True, help="Another place the article names (repeatable)."
)
@click.option("--json", "as_json", is_flag=True, help="Print candidates and choice as JSON.")
@config_option
def geocode(
    text: str,
    country: str | None,
    hints: tuple[str, ...],
    places: tuple[str, ...],
    as_json: bool,
    config: str | None,
) -> None:
    """Show how TEXT is geocoded: every candidate with its score and why, then the choice."""
    from sitrep.stages.geocode import explain_geocode

    report = explain_geocode(
        text, settings=_settings(config), country=country, hints=hints, places=places
    )
    if as_json:
        click.echo(json.dumps(report, ensure_ascii=False, indent=2))
        return
    for cand in report["candidates"]:
        where = ", ".join(x for x in (cand["admin2"], cand["admin1"], cand["country"]) if x)
        click.echo(
            f"{cand['score']:6.2f}  {cand['name']} ({cand['feature']}; {where}) "
            f"[{cand['source']}]\n        {cand['why']}"
        )
    result = report["result"]
    place = result["place"]
    if place is None:
        click.echo(f"choice: none ({result['reason']}): {result['note']}")
    else:
        click.echo(
            f"choice: {place['location']} ({place['latitude']}, {place['longitude']}), "
            f"precision {place['geo_precision']}, {result['reason']}: {result['note']}"
        )


def _on_terminal() -> bool:
    return sys.stdin.isatty()


@main.command()
@click.argument("document_ids", metavar="DOCUMENT_ID...", nargs=-1, required=True)
@db_option
@click.option("--yes", "-y", is_flag=True, help="Delete without asking (needed off a terminal).")
@config_option
def delete(document_ids: tuple[str, ...], db: str | None, yes: bool, config: str | None) -> None:
    """Delete documents and everything derived from them; print what went, as JSON lines.

    Removes each document's segments, comments, moderators' decisions, failures, the sources
    citing it and the events left with no source, and re-fuses the clusters its reports were
    in; an event another page reports too stays with that page's sources. Processing the page
    again brings it back (docs/decisions/0015-data-rights.md).
    """
    from sitrep.adapters.store.deletion import unknown_document

    wanted = list(dict.fromkeys(document_ids))
    settings = _settings(config, **{"store.url": db})
    with _store(settings) as store:
        failed = {f.record_id for f in store.failures()}
        for document_id in wanted:
            # Checked first: one unknown id deletes nothing.
            if not store.has_document(document_id) and document_id not in failed:
                raise unknown_document(document_id)
        if not yes:
            if not _on_terminal():
                raise click.UsageError("not on a terminal: add --yes to delete without asking")
            click.confirm(
                f"Delete {len(wanted)} document(s) and everything derived from them?",
                abort=True,
            )
        for document_id in wanted:
            report = store.delete_document(document_id)
            click.echo(json.dumps(report.to_dict(), ensure_ascii=False))


@main.command("settings")
@config_option
def show_settings(config: str | None) -> None:
    """Show every setting: name, current value, environment variable and help."""
    settings = _settings(config)
    for s in SETTINGS:
        click.echo(f"{s.name} = {settings[s.name]!r}    [{s.env}]")
        click.echo(f"    {s.help}")


@main.command()
@db_option
@click.option(
    "--status",
    type=click.Choice(["ok", "review", "remove", "all"]),
    default="all",
    show_default=True,
    help="Only comments with this effective decision (the moderator's, else the screening's).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "jsonl", "csv"]),
    default="table",
    show_default=True,
    help="Output format: table, jsonl (screening and moderation nested) or csv (flat).",
)
@click.option("--document", "document_id", metavar="ID", default=None, help="One document only.")
@click.option("--limit", type=click.IntRange(min=1), default=None, help="At most N comments.")
@config_option
def comments(
    db: str | None,
    status: str,
    fmt: str,
    document_id: str | None,
    limit: int | None,
    config: str | None,
) -> None:
    """List the comment moderation queue, worst first.

    Each comment shows its effective decision (a moderator's when there is one, else the
    screening's), its scores, the words that triggered the screening and the moderator's
    decision. Comments of non-English pages are not screened (decision "–").
    """
    settings = _settings(config, **{"store.url": db})
    query = CommentQuery(
        status=None if status == "all" else status, document_id=document_id, limit=limit
    )
    with _store(settings) as store:
        rows = store.comments(query)
    if fmt == "jsonl":
        for row in rows:
            click.echo(json.dumps(row.to_dict(), ensure_ascii=False))
    elif fmt == "csv":
        _write_comments_csv(rows, sys.stdout)
    else:
        _render_comments(rows, Console())


@main.command()
@click.argument("document_id")
@click.argument("position", type=click.IntRange(min=0))
@click.option(
    "--decision",
    type=click.Choice(["ok", "review", "remove"]),
    required=True,
    help="The moderator's decision; it overrides the screening's and survives re-runs.",
)
@click.option("--moderator", metavar="NAME", default=None, help="Who decided.")
@click.option("--note", metavar="TEXT", default=None, help="Why (kept with the decision).")
@db_option
@config_option
def moderate(
    document_id: str,
    position: int,
    decision: str,
    moderator: str | None,
    note: str | None,
    db: str | None,
    config: str | None,
) -> None:
    """Record a moderator's decision on comment POSITION of document DOCUMENT_ID.

    A later decision on the same comment replaces it; re-processing the page never does.
    """
    settings = _settings(config, **{"store.url": db})
    with _store(settings) as store:
        record = store.save_moderation(
            document_id, position, decision=decision, moderator=moderator, note=note
        )
    click.echo(
        f"{record.decision.value}: comment {position} of document {document_id} "
        f"(decided {record.decided_at.isoformat(timespec='seconds')})"
    )


# -- comment queue output --------------------------------------------------------------------

# C0/C1 control characters but newline and tab: a comment must not drive the terminal.
_CONTROL = dict.fromkeys([*range(0x00, 0x09), *range(0x0B, 0x20), *range(0x7F, 0xA0)])


def _plain(value: str | None, *, limit: int | None = None) -> Text:
    """Return page text as a rich Text (never parsed as markup), control characters shown."""
    if value is None:
        return Text("–", style="dim")
    shown = "".join(f"\\x{ord(ch):02x}" if ord(ch) in _CONTROL else ch for ch in value)
    if limit is not None and len(shown) > limit:
        shown = shown[: limit - 1] + "…"
    return Text(shown)


def _render_comments(rows: list[CommentRow], console: Console) -> None:
    """Print queue rows as a table: decision, toxicity, triggers, where, author, text."""
    from rich import box
    from rich.table import Table

    if not rows:
        console.print(Text("No comments.", style="dim"))
        return
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
    table.add_column("decision", no_wrap=True)
    table.add_column("tox.", justify="right", no_wrap=True)
    table.add_column("triggers", overflow="fold", ratio=2, min_width=16)
    # The whole id, unbroken: it is what `sitrep moderate` takes.
    table.add_column("document #", no_wrap=True)
    table.add_column("author", overflow="fold", ratio=1, max_width=16)
    table.add_column("comment", overflow="fold", ratio=4, min_width=20)
    for row in rows:
        s, m = row.screening, row.moderation
        decision = _plain(row.decision.value if row.decision is not None else None)
        if m is not None:
            machine = s.decision.value if s is not None else "–"
            decision.append(f"\nmachine: {machine}", style="dim")
            if m.moderator is not None:
                decision.append("\nby ", style="dim").append(_plain(m.moderator, limit=16))
        toxicity = next((v for label, v in (s.scores if s else ()) if label == "toxicity"), None)
        triggers = Text()
        for label, _, _, text in s.spans if s is not None else ():
            if triggers:
                triggers.append("\n")
            triggers.append(f"{label} ", style="dim").append(_plain(text, limit=40))
        where = _plain(row.document_id).append(f" #{row.position}", style="dim")
        table.add_row(
            decision,
            _plain(f"{toxicity:.2f}" if toxicity is not None else None),
            triggers,
            where,
            _plain(row.author, limit=40),
            _plain(row.text, limit=300),
        )
    console.print(table)


def _write_comments_csv(rows: list[CommentRow], output: TextIO) -> None:
    """Write queue rows as CSV: one column per score, spans as label:start-end:text lines."""
    import csv

    from sitrep.screen import LABELS

    writer = csv.writer(output, lineterminator="\n")
    writer.writerow(
        [
            "document_id",
            "position",
            "decision",
            "machine_decision",
            *LABELS,
            "spans",
            "model",
            "moderator_decision",
            "moderator",
            "note",
            "decided_at",
            "author",
            "text",
        ]
    )
    for row in rows:
        s, m = row.screening, row.moderation
        scores = dict(s.scores) if s is not None else {}
        spans = "\n".join(f"{lb}:{a}-{b}:{t}" for lb, a, b, t in (s.spans if s else ()))
        writer.writerow(
            [
                row.document_id,
                row.position,
                row.decision.value if row.decision is not None else "",
                s.decision.value if s is not None else "",
                *(scores.get(label, "") for label in LABELS),
                spans,
                s.model if s is not None else "",
                m.decision.value if m is not None else "",
                (m.moderator or "") if m is not None else "",
                (m.note or "") if m is not None else "",
                m.decided_at.isoformat() if m is not None else "",
                row.author or "",
                row.text,
            ]
        )
