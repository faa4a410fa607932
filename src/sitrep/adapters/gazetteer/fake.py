"""An in-memory gazetteer for tests of other stages: it knows only what it is given."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from sitrep.adapters.gazetteer.base import Candidate
from sitrep.placenames import normalize_name

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
        found = self._index.get(normalize_name(name), [])
        seen: set[tuple[int | None, str, str]] = set()
        out: list[Candidate] = []
        for cand in found:
            ident = (cand.geonameid, cand.name, cand.feature_code)
            if ident in seen or (country is not None and cand.country_code != country):
                continue
            seen.add(ident)
            out.append(cand)
        return out

    def candidates(self, name: str, *, country: str | None = None) -> list[Candidate]:
        """Populated places (feature class "P") matching ``name``."""
        return [c for c in self._lookup(name, country) if c.feature_class == "P"]

    def admin_areas(self, name: str, *, country: str | None = None) -> list[Candidate]:
        """ADM1 areas matching ``name``."""
        return [c for c in self._lookup(name, country) if c.feature_code == "ADM1"]

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
