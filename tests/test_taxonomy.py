"""The ACLED taxonomy and its PLOVER/CAMEO crosswalk."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from sitrep import taxonomy
from sitrep.errors import ConfigError

CAMEO2PLOVER = Path("/work/shared/eval/cameo2plover-2021.txt")


def test_six_event_types_and_25_sub_event_types() -> None:
    assert len(taxonomy.EVENT_TYPES) == 6
    assert sum(len(s) for s in taxonomy.SUB_EVENT_TYPES.values()) == 25
    assert set(taxonomy.SUB_EVENT_TYPES) == set(taxonomy.EVENT_TYPES)


@pytest.mark.parametrize(
    ("event_type", "sub_event_type"),
    [
        ("Explosions/Remote violence", "Shelling/artillery/missile attack"),
        ("Explosions/Remote violence", "Remote explosive/landmine/IED"),
        ("Violence against civilians", "Abduction/forced disappearance"),
        ("Strategic developments", "Headquarters or base established"),
        ("Battles", "Non-state actor overtakes territory"),
    ],
)
def test_exact_acled_spelling(event_type: str, sub_event_type: str) -> None:
    assert taxonomy.is_valid(event_type, sub_event_type)
    assert taxonomy.event_type_of(sub_event_type) == event_type


def test_every_pair_has_a_crosswalk_entry() -> None:
    pairs = {(t, s) for t, subs in taxonomy.SUB_EVENT_TYPES.items() for s in subs}
    assert pairs == set(taxonomy.CROSSWALK)


def test_crosswalk_air_strike() -> None:
    assert taxonomy.crosswalk("Explosions/Remote violence", "Air/drone strike") == (
        "ASSAULT",
        "19",
    )
    assert taxonomy.crosswalk("Protests", "Peaceful protest") == ("PROTEST", "14")
    assert taxonomy.crosswalk("Strategic developments", "Other") == (None, None)


def test_crosswalk_rejects_unknown_pair() -> None:
    with pytest.raises(ConfigError):
        taxonomy.crosswalk("Battles", "Air/drone strike")


def test_disorder_types() -> None:
    assert taxonomy.disorder_type("Battles") == "Political violence"
    assert taxonomy.disorder_type("Riots") == "Demonstrations"
    assert taxonomy.disorder_type("Strategic developments") == "Strategic developments"
    assert (
        taxonomy.disorder_type("Protests", "Excessive force against protesters")
        == "Political violence"
    )
    with pytest.raises(ConfigError):
        taxonomy.disorder_type("War")


@pytest.mark.skipif(not CAMEO2PLOVER.is_file(), reason="PLOVER reference table not present")
def test_crosswalk_agrees_with_plover_table() -> None:
    table: dict[str, str] = {}
    for line in CAMEO2PLOVER.read_text(encoding="utf-8").splitlines():
        m = re.match(r"^(\d{2,4}):\s*([A-Z]+)", line)
        if m:
            table.setdefault(m.group(1), m.group(2))
    for pair, entry in taxonomy.CROSSWALK.items():
        if entry.cameo_code is None:
            assert entry.plover_type is None
            continue
        assert table[entry.cameo_code] == entry.plover_type, pair
