"""The actor dictionary: names in text → canonical ACLED-style actors.

The dictionary is data (``data/actors.json``) that users extend or override with their own
JSON or CSV file. It holds named actors (armed groups, state forces, coalitions), the
generic ACLED categories built for every country ("Police Forces of Kenya",
"Civilians (Syria)", "Unidentified Armed Group (Mali)") and ethnic militias.

Matching works on tokens through a trie built once: case-insensitive, except aliases
written in capitals ("IS", "SDF", "AA"), which match only in capitals so that the verb
"is" never becomes the Islamic State. The longest alias wins; a name used as a modifier
("US-led", "UK-based", "pro-Russian") is not an actor.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import pycountry

from sitrep.errors import ConfigError
from sitrep.records import Actor

INTER_CODES: Mapping[int, str] = {
    1: "State Forces",
    2: "Rebel Groups",
    3: "Political Militias",
    4: "Identity Militias",
    5: "Rioters",
    6: "Protesters",
    7: "Civilians",
    8: "External/Other Forces",
}

_TOKEN_RE = re.compile(r"\w+|[^\w\s]")
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "‐": "-", "‑": "-", "–": "-"})
# ACLED names carry the regime period: "Police Forces of Kenya (2013-)".
_PERIOD_RE = re.compile(r"\s*\((?:\d{4})?-?(?:\d{4})?-?\)\s*$")
_CAPS_RE = re.compile(r"^[A-Z0-9.\-/&' ]+$")
# A clan the dictionary lacks, named before its country is known ("Matan Clan Militia"): a
# template, so that the event's place names its country as it does for the generic actors.
_CLAN_MILITIA_RE = re.compile(r"^\S.* Clan Militia$")


@dataclass(frozen=True)
class ActorEntry:
    """One dictionary entry.

    Args:
        template: for generic entries, the name pattern with ``{country}``
            ("Police Forces of {country}"); the country comes from the article.
    """

    name: str
    inter: int
    country: str | None
    aliases: tuple[str, ...] = ()
    template: str | None = None

    @property
    def generic(self) -> bool:
        return self.template is not None


@dataclass(frozen=True)
class _Token:
    start: int
    end: int
    text: str
    key: str


@dataclass
class _Node:
    children: dict[str, _Node] = field(default_factory=dict)
    # (entry index, alias tokens when the alias is case-sensitive)
    values: list[tuple[int, tuple[str, ...] | None]] = field(default_factory=list)


def tokenize(text: str) -> list[_Token]:
    """Split text into word and punctuation tokens with their character offsets."""
    norm = text.translate(_APOSTROPHES)
    return [
        _Token(m.start(), m.end(), m.group(), m.group().lower()) for m in _TOKEN_RE.finditer(norm)
    ]


def strip_period(name: str) -> str:
    """Remove ACLED's regime-period suffix: "Military Forces of Kenya (2013-)" → "... Kenya"."""
    return _PERIOD_RE.sub("", name).strip()


class ActorDictionary:
    """Canonical actors and their aliases, matched by a token trie built once."""

    def __init__(
        self,
        entries: Sequence[ActorEntry],
        *,
        countries: Mapping[str, tuple[str, ...]] | None = None,
        modifiers: Iterable[str] = (),
    ) -> None:
        self.entries: tuple[ActorEntry, ...] = tuple(entries)
        self._modifiers = frozenset(m.lower() for m in modifiers)
        self._root = _Node()
        self._by_name: dict[str, ActorEntry] = {}
        for index, entry in enumerate(self.entries):
            self._by_name.setdefault(entry.name.lower(), entry)
            for alias in (entry.name, *entry.aliases):
                self._insert(alias, index)
        self._countries = _Node()
        self._country_codes: list[str] = []
        for iso, names in (countries or {}).items():
            for name in names:
                self._insert_country(name, iso)

    def __len__(self) -> int:
        return len(self.entries)

    @classmethod
    def load(cls, extra: Path | None = None) -> ActorDictionary:
        """Load the shipped dictionary, with ``extra`` (JSON or CSV) merged over it.

        Raises:
            ConfigError: the extra file is missing or malformed.
        """
        entries, countries, modifiers = _shipped()
        if extra is not None:
            entries = _merge(entries, _read_extra(extra))
        return cls(entries, countries=countries, modifiers=modifiers)

    def lookup(self, name: str) -> ActorEntry | None:
        """Return the entry with this canonical name (ACLED period suffix ignored)."""
        return self._by_name.get(strip_period(name).lower())

    def find(self, text: str, *, country: str | None = None) -> list[tuple[int, int, Actor]]:
        """Return every actor named in ``text`` as (start, end, Actor), left to right.

        Args:
            country: ISO2 of the article's country, used to name generic actors
                ("police" → "Police Forces of Kenya") and to choose between namesakes.
        """
        return [(start, end, actor) for start, end, _, actor in self._find(text, country)]

    def match(self, text: str, *, country: str | None = None) -> Actor | None:
        """Return the actor a phrase names: a named actor before a generic one, a country's
        own alias ("KDF") before a bare generic word ("soldiers"), then the longest."""
        found = self._find(text, country)
        if not found:
            return None

        def rank(item: tuple[int, int, ActorEntry, Actor]) -> tuple[bool, bool, int]:
            start, end, entry, actor = item
            return self.template_of(actor) is None, entry.template is None, end - start

        return max(found, key=rank)[3]

    def _find(self, text: str, country: str | None) -> list[tuple[int, int, ActorEntry, Actor]]:
        tokens = tokenize(text)
        found: list[tuple[int, int, ActorEntry, Actor]] = []
        i = 0
        while i < len(tokens):
            hit = self._longest(tokens, i, self._root)
            if hit is None:
                i += 1
                continue
            end, values = hit
            if _is_modifier(tokens, i, end, self._modifiers):
                i = end
                continue
            entry = self._choose(values, country)
            span_text = text[tokens[i].start : tokens[end - 1].end]
            actor = self._actor(entry, span_text, country)
            found.append((tokens[i].start, tokens[end - 1].end, entry, actor))
            i = end
        return found

    def countries_in(self, text: str) -> list[tuple[int, int, str]]:
        """Return (start, end, ISO2) for every country name or demonym in ``text``."""
        tokens = tokenize(text)
        out: list[tuple[int, int, str]] = []
        i = 0
        while i < len(tokens):
            hit = self._longest(tokens, i, self._countries)
            if hit is None:
                i += 1
                continue
            end, values = hit
            if _is_modifier(tokens, i, end, self._modifiers):
                i = end
                continue
            iso = self._country_codes[values[0][0]]
            out.append((tokens[i].start, tokens[end - 1].end, iso))
            i = end
        return out

    def country_name(self, iso: str) -> str | None:
        """Return the ACLED name of a country ("Syria", "Democratic Republic of Congo")."""
        return _country_names().get(iso.upper(), (None, False))[0]

    # -- internals ------------------------------------------------------------------------

    def _insert(self, alias: str, index: int) -> None:
        tokens = tokenize(alias)
        if not tokens:
            return
        node = self._root
        for token in tokens:
            node = node.children.setdefault(token.key, _Node())
        sensitive = tuple(t.text for t in tokens) if _is_abbreviation(alias) else None
        value = (index, sensitive)
        if value not in node.values:
            node.values.append(value)

    def _insert_country(self, name: str, iso: str) -> None:
        tokens = tokenize(name)
        if not tokens:
            return
        node = self._countries
        for token in tokens:
            node = node.children.setdefault(token.key, _Node())
        sensitive = tuple(t.text for t in tokens) if _is_abbreviation(name) else None
        self._country_codes.append(iso)
        node.values.append((len(self._country_codes) - 1, sensitive))

    @staticmethod
    def _longest(
        tokens: Sequence[_Token], start: int, root: _Node
    ) -> tuple[int, list[tuple[int, tuple[str, ...] | None]]] | None:
        node = root
        best: tuple[int, list[tuple[int, tuple[str, ...] | None]]] | None = None
        j = start
        while j < len(tokens) and tokens[j].key in node.children:
            node = node.children[tokens[j].key]
            j += 1
            if node.values:
                surface = tuple(t.text for t in tokens[start:j])
                ok = [v for v in node.values if v[1] is None or v[1] == surface]
                if ok:
                    best = (j, ok)
        return best

    def _choose(
        self, values: Sequence[tuple[int, tuple[str, ...] | None]], country: str | None
    ) -> ActorEntry:
        candidates = [self.entries[v[0]] for v in values]
        if country is not None:
            for entry in candidates:
                if entry.country == country:
                    return entry
        # A case-sensitive hit (an abbreviation) is the more specific reading.
        for value in values:
            if value[1] is not None:
                return self.entries[value[0]]
        return candidates[0]

    def _actor(self, entry: ActorEntry, text: str, country: str | None) -> Actor:
        if entry.template is None:
            return Actor(
                text=text, name=entry.name, inter=entry.inter, country=entry.country, known=True
            )
        return self.generic(entry.template, text=text, country=country)

    def generic(self, template: str, *, text: str, country: str | None) -> Actor:
        """Return a generic actor ("Civilians ({country})") named for ``country`` (ISO2)."""
        inter = next((e.inter for e in self.entries if e.template == template), None)
        known = inter is not None
        if not known and _CLAN_MILITIA_RE.match(_drop_country(template)):
            inter = 4  # a clan's militia: an identity militia (ACLED)
        name = self.country_name(country) if country else None
        if name is None:
            return Actor(text=text, name=_drop_country(template), inter=inter, known=known)
        return Actor(
            text=text,
            name=_fill(template, country or "", name),
            inter=inter,
            country=country,
            known=known,
        )

    def template_of(self, actor: Actor) -> str | None:
        """Return the generic template an actor was built from, if any."""
        for entry in self.entries:
            if entry.template is None:
                continue
            if actor.name in {_drop_country(entry.template), entry.name}:
                return entry.template
            prefix, _, suffix = entry.template.partition("{country}")
            if actor.name.startswith(prefix) and actor.name.endswith(suffix):
                return entry.template
        if actor.inter == 4 and not actor.known and _CLAN_MILITIA_RE.match(actor.name):
            return actor.name + " ({country})"
        return None


def _is_abbreviation(alias: str) -> bool:
    letters = [c for c in alias if c.isalpha()]
    return bool(letters) and len(letters) <= 6 and _CAPS_RE.match(alias) is not None


def _is_modifier(tokens: Sequence[_Token], start: int, end: int, modifiers: frozenset[str]) -> bool:
    # "US-led coalition", "UK-based monitor": the name qualifies the noun that follows.
    if end + 1 < len(tokens) and tokens[end].key == "-" and tokens[end + 1].key in modifiers:
        return True
    # "pro-Russian separatists", "anti-Houthi forces": a stance, not the actor itself.
    return start >= 2 and tokens[start - 1].key == "-" and tokens[start - 2].key in {"pro", "anti"}


def _drop_country(template: str) -> str:
    return template.replace(" of {country}", "").replace(" ({country})", "").strip()


def _fill(template: str, iso: str, name: str) -> str:
    with_article = ("the " + name) if iso in _articled() else name
    return template.replace("of {country}", "of " + with_article).replace("{country}", name)


@lru_cache(maxsize=1)
def _raw() -> dict[str, Any]:
    text = resources.files("sitrep").joinpath("data/actors.json").read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


@lru_cache(maxsize=1)
def _articled() -> frozenset[str]:
    return frozenset(iso for iso, c in _raw()["countries"].items() if c.get("article"))


@lru_cache(maxsize=1)
def _country_names() -> dict[str, tuple[str, bool]]:
    """ISO2 → (ACLED country name, from the shipped table)."""
    names: dict[str, tuple[str, bool]] = {}
    for c in pycountry.countries:
        name = getattr(c, "common_name", None) or c.name
        if "," in name:  # "Congo, The Democratic Republic of the": needs an override
            continue
        names[c.alpha_2] = (name, False)
    names["XK"] = ("Kosovo", False)
    for iso, info in _raw()["countries"].items():
        if "name" in info:
            names[iso] = (info["name"], True)
    return names


@lru_cache(maxsize=1)
def _shipped() -> tuple[tuple[ActorEntry, ...], dict[str, tuple[str, ...]], tuple[str, ...]]:
    data = _raw()
    entries = [_entry(item, "data/actors.json") for item in data["actors"]]
    countries: dict[str, tuple[str, ...]] = {}
    for iso, (name, _) in _country_names().items():
        info = data["countries"].get(iso, {})
        demonyms = tuple(info.get("demonyms", ()))
        names = (name, *demonyms)
        pyc = pycountry.countries.get(alpha_2=iso)
        if pyc is not None and "," not in pyc.name and pyc.name != name:
            names = (*names, pyc.name)
        countries[iso] = names
        entries.extend(_country_entries(iso, name, demonyms, info, data["generic"]))
    for template in data["generic"]:
        entries.append(
            ActorEntry(
                name=_drop_country(template["template"]),
                inter=int(template["inter"]),
                country=None,
                aliases=tuple(template.get("bare", ())),
                template=template["template"],
            )
        )
    for iso, groups in data["ethnic_militias"].items():
        country = _country_names()[iso][0]
        for group in groups:
            # A group is a name, or {"name": ACLED's spelling, "aliases": other spellings}
            # ("Kipsigi", written "Kipsigis" in the press): one actor for all of them.
            if isinstance(group, str):
                group = {"name": group}
            spellings = (group["name"], *group.get("aliases", ()))
            entries.append(
                ActorEntry(
                    name=f"{group['name']} Ethnic Militia ({country})",
                    inter=4,
                    country=iso,
                    aliases=tuple(
                        f"{spelling} {noun}"
                        for spelling in spellings
                        for noun in (
                            "militia",
                            "militias",
                            "militiamen",
                            "raiders",
                            "gunmen",
                            "warriors",
                            "bandits",
                            "fighters",
                            "attackers",
                            "ethnic militia",
                            "community militia",
                            # "Turkana herders raided...": ACLED codes the ethnic militia.
                            "herders",
                            "herdsmen",
                            "pastoralists",
                            "morans",
                            "tribesmen",
                            "clansmen",
                        )
                    ),
                )
            )
    return tuple(entries), countries, tuple(data.get("modifiers", ()))


def _country_entries(
    iso: str,
    name: str,
    demonyms: Sequence[str],
    info: Mapping[str, Any],
    generic: Sequence[Mapping[str, Any]],
) -> list[ActorEntry]:
    out = []
    for template in generic:
        aliases: list[str] = []
        for pattern in template["aliases"]:
            if "{demonym}" in pattern:
                aliases.extend(pattern.replace("{demonym}", d) for d in demonyms)
            else:
                aliases.append(pattern.replace("{name}", name))
        if template["template"].startswith("Military Forces"):
            aliases.extend(info.get("aliases", ()))
        if template["template"].startswith("Police Forces"):
            aliases.extend(info.get("police_aliases", ()))
        out.append(
            ActorEntry(
                name=_fill(template["template"], iso, name),
                inter=int(template["inter"]),
                country=iso,
                aliases=tuple(dict.fromkeys(aliases)),
            )
        )
    return out


def _entry(item: Mapping[str, Any], where: str) -> ActorEntry:
    try:
        name = str(item["name"]).strip()
        inter = int(item["inter"])
    except (KeyError, TypeError, ValueError) as e:
        raise ConfigError(f"{where}: actor entry {item!r} needs a name and an inter code") from e
    if not name or inter not in INTER_CODES:
        raise ConfigError(f"{where}: actor {name!r} has inter {inter}; use 1..8")
    aliases = item.get("aliases") or ()
    if isinstance(aliases, str):
        aliases = [a for a in aliases.split("|") if a.strip()]
    country = item.get("country") or None
    return ActorEntry(
        name=name,
        inter=inter,
        country=str(country).upper() if country else None,
        aliases=tuple(str(a).strip() for a in aliases),
    )


def _read_extra(path: Path) -> list[ActorEntry]:
    if not path.is_file():
        raise ConfigError(f"actor file {path} does not exist (setting events.actors_file)")
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise ConfigError(f"actor file {path} cannot be read as UTF-8: {e}") from e
    if path.suffix.lower() == ".csv":
        return [_entry(row, str(path)) for row in csv.DictReader(text.splitlines())]
    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        raise ConfigError(f"actor file {path} is not valid JSON: {e}") from e
    items = data.get("actors", []) if isinstance(data, dict) else data
    if not isinstance(items, list):
        raise ConfigError(f"actor file {path}: expected a list of actors or {{'actors': [...]}}")
    return [_entry(item, str(path)) for item in items]


def _merge(base: Sequence[ActorEntry], extra: Sequence[ActorEntry]) -> tuple[ActorEntry, ...]:
    """Entries of ``extra`` override same-named shipped ones (their aliases are added)."""
    merged = list(base)
    index = {e.name.lower(): i for i, e in enumerate(merged)}
    for entry in extra:
        i = index.get(entry.name.lower())
        if i is None:
            index[entry.name.lower()] = len(merged)
            # Put user entries first so that they win ties on a shared alias.
            merged.append(entry)
            continue
        old = merged[i]
        merged[i] = replace(
            old,
            inter=entry.inter,
            country=entry.country or old.country,
            aliases=tuple(dict.fromkeys((*old.aliases, *entry.aliases))),
        )
    user_names = {e.name.lower() for e in extra}
    return tuple(sorted(merged, key=lambda e: e.name.lower() not in user_names))
