"""Several gazetteers behind one protocol: a team's overlay, a GeoNames index, the packaged one.

Every layer is asked; answers are merged, one candidate per GeoNames id, and an earlier
layer's version of a place wins (the full index knows admin2 names the packaged one lacks).
Overlay entries (no GeoNames id) are always kept, first: the geocoder answers them before
anything else (docs/geocoding.md).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from sitrep.adapters.gazetteer.base import Candidate, Gazetteer
from sitrep.placenames import light_key


def _merge(name: str, answers: Sequence[list[Candidate]]) -> list[Candidate]:
    """Candidates of all layers, one per GeoNames id, earlier layers first."""
    light = light_key(name)
    merged: list[Candidate] = []
    where: dict[int, int] = {}
    for found in answers:
        for cand in found:
            if cand.geonameid is None:
                merged.append(cand)
                continue
            at = where.get(cand.geonameid)
            if at is None:
                where[cand.geonameid] = len(merged)
                merged.append(cand)
            elif (
                light_key(cand.matched_name) == light
                and light_key(merged[at].matched_name) != light
            ):
                # Same place, but this layer knows it by the spelling the text used.
                merged[at] = cand
    return merged


class LayeredGazetteer:
    """Ask ``layers`` in order (overlay, GeoNames index, packaged) and merge their answers.

    Args:
        layers: gazetteers, the most trusted first.
    """

    def __init__(self, layers: Sequence[Gazetteer]) -> None:
        if not layers:
            raise ValueError("a layered gazetteer needs at least one layer")
        self.layers = tuple(layers)

    def _ask(self, name: str, method: Callable[[Gazetteer], list[Candidate]]) -> list[Candidate]:
        return _merge(name, [method(layer) for layer in self.layers])

    def candidates(self, name: str, *, country: str | None = None) -> list[Candidate]:
        """Populated places of every layer."""
        return self._ask(name, lambda g: g.candidates(name, country=country))

    def admin_areas(self, name: str, *, country: str | None = None) -> list[Candidate]:
        """ADM1 areas of every layer."""
        return self._ask(name, lambda g: g.admin_areas(name, country=country))

    def features(self, name: str, *, country: str | None = None) -> list[Candidate]:
        """Other features (overlay areas, lower admin areas, water, terrain, spots)."""
        return self._ask(name, lambda g: g.features(name, country=country))

    def country(self, name: str) -> Candidate | None:
        """The first layer's answer."""
        for layer in self.layers:
            found = layer.country(name)
            if found is not None:
                return found
        return None

    def country_by_code(self, iso: str) -> Candidate | None:
        """The first layer's answer."""
        for layer in self.layers:
            found = layer.country_by_code(iso)
            if found is not None:
                return found
        return None
