"""The gazetteer protocol: where names of places are looked up, and what a candidate is."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, runtime_checkable


@dataclass(frozen=True, slots=True)
class Candidate:
    """One gazetteer entry that a name may refer to.

    Args:
        geonameid: the GeoNames id (None for entries not from GeoNames).
        name: the gazetteer's preferred name.
        country_code / country: ISO 3166-1 alpha-2 code and English country name.
        admin1 / admin2: names of the enclosing first/second-level administrative areas.
        feature_class / feature_code: GeoNames codes ("P"/"PPL" a populated place,
            "A"/"ADM1" a first-level area, "A"/"PCLI" a country).
        population: inhabitants (0 when unknown; used only to rank).
        matched_name: the gazetteer name that matched the query (main or alternate).
        admin3: name of the enclosing third-level area (GeoNames index only).
        precision: the ACLED geo precision the entry itself assigns (a team overlay entry:
            1 a point, 2 a small area, 3 a large one); None for gazetteer entries, whose
            precision the geocoder decides.
        source: which gazetteer the entry comes from ("overlay", "geonames", "packaged").
    """

    geonameid: int | None
    name: str
    latitude: float
    longitude: float
    country_code: str
    country: str
    admin1: str | None
    admin2: str | None
    feature_class: str
    feature_code: str
    population: int
    matched_name: str
    admin3: str | None = None
    precision: int | None = None
    source: str = "packaged"

    @property
    def is_main_name(self) -> bool:
        """True when the query matched the preferred name, not an alternate spelling."""
        return self.matched_name == self.name


def country_candidate(
    iso: str,
    geonameid: int | None,
    name: str,
    latitude: float,
    longitude: float,
    population: int | None,
    *,
    source: str = "packaged",
) -> Candidate:
    """A country as a candidate (at its capital's point, as ACLED codes country-level events)."""
    return Candidate(
        geonameid=geonameid,
        name=name,
        latitude=latitude,
        longitude=longitude,
        country_code=iso,
        country=name,
        admin1=None,
        admin2=None,
        feature_class="A",
        feature_code="PCLI",
        population=population or 0,
        matched_name=name,
        source=source,
    )


@runtime_checkable
class Gazetteer(Protocol):
    """Looks place names up; every method normalises the name (sitrep.placenames)."""

    def candidates(self, name: str, *, country: str | None = None) -> list[Candidate]:
        """Populated places matching ``name`` (in ``country``, an ISO alpha-2 code, if given)."""
        ...

    def admin_areas(self, name: str, *, country: str | None = None) -> list[Candidate]:
        """First-level administrative areas (feature_code "ADM1") matching ``name``."""
        ...

    def features(self, name: str, *, country: str | None = None) -> list[Candidate]:
        """Everything else matching ``name``: lower admin areas (ADM2...), water (H), terrain
        (T), areas (L), spots (S) and a team's overlay areas; [] when the gazetteer has none."""
        ...

    def country(self, name: str) -> Candidate | None:
        """The country called ``name`` ("Syria", "Syrian Arab Republic"); demonyms do not match."""
        ...

    def country_by_code(self, iso: str) -> Candidate | None:
        """The country with ISO 3166-1 alpha-2 code ``iso``."""
        ...
