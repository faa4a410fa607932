"""An in-memory gazetteer for tests of other stages: it knows only what it is given."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from sitrep.adapters.gazetteer.base import Candidate
from sitrep.placenames import light_key, normalize_name

_COUNTRY_CODES = frozenset({"PCLI", "PCL", "PCLD", "PCLF", "PCLS", "TERR"})


class FakeGazetteer:
    """Gazetteer over a fixed list of candidates (places, ADM1 areas and countries).

    A candidate's ``name`` and ``matched_name`` are both indexed, so a test can give an
    alternate spelling by listing the same place twice with another ``matched_name``.
    """

    def __init__(self, candidates: Sequence[Candidate]) -> None:
        self._index: dict[str, list[Candidate]] = {}
        for cand in candidates:
            for label in {cand.name, cand.matched_name}:
                self._index.setdefault(normalize_name(label), []).append(
                    replace(cand, matched_name=label)
                )

    def _lookup(self, name: str, country: str | None) -> list[Candidate]:
        light = light_key(name)
        best: dict[tuple[int | None, str, str], tuple[tuple[bool, bool], Candidate]] = {}
        for cand in self._index.get(normalize_name(name), []):
            if country is not None and cand.country_code != country:
                continue
            # Report the label written like the query (light key) first, then the preferred
            # name, as the packaged gazetteer does.
            ident = (cand.geonameid, cand.name, cand.feature_code)
            rank = (light_key(cand.matched_name) == light, cand.is_main_name)
            if ident not in best or rank > best[ident][0]:
                best[ident] = (rank, cand)
        return [cand for _, cand in best.values()]

    def candidates(self, name: str, *, country: str | None = None) -> list[Candidate]:
        """Populated places (feature class "P") matching ``name``."""
        return [c for c in self._lookup(name, country) if c.feature_class == "P"]

    def admin_areas(self, name: str, *, country: str | None = None) -> list[Candidate]:
        """ADM1 areas matching ``name``."""
        return [c for c in self._lookup(name, country) if c.feature_code == "ADM1"]

    def features(self, name: str, *, country: str | None = None) -> list[Candidate]:
        """Candidates that are neither populated places, ADM1 areas nor countries."""
        return [
            c
            for c in self._lookup(name, country)
            if c.feature_class != "P"
            and c.feature_code != "ADM1"
            and c.feature_code not in _COUNTRY_CODES
        ]

    def country(self, name: str) -> Candidate | None:
        """The country matching ``name``, if one was given."""
        for cand in self._lookup(name, None):
            if cand.feature_code in _COUNTRY_CODES:
                return cand
        return None

    def country_by_code(self, iso: str) -> Candidate | None:
        """The country with code ``iso``, if one was given."""
        for cands in self._index.values():
            for cand in cands:
                if cand.feature_code in _COUNTRY_CODES and cand.country_code == iso.upper():
                    return cand
        return None
