"""Fusion rules (sitrep.fuse): compatibility, clustering, reconciliation; pure, no store."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from sitrep.fuse import (
    compatible,
    corroborated_confidence,
    date_interval,
    fuse_events,
    in_window,
    partition,
    search_window,
)
from sitrep.records import Event
from tests.test_store_factories import make_event, make_source

# Two points 5.6 km apart, one 40 km away.
HERE = (34.45, 40.93)
NEAR = (34.50, 40.93)
FAR = (34.81, 40.93)


def report(event_id: str, doc: str, **overrides: object) -> Event:
    """A report of the default strike by document ``doc`` (its own publisher)."""
    source = make_source(doc, url=f"https://{doc}.example/a", attribution=())
    return make_event(event_id, sources=(source,), **overrides)


def clusters(events: list[Event]) -> set[frozenset[str]]:
    return {frozenset(f.members) for f in fuse_events(events)}


# -- compatibility ------------------------------------------------------------------------------


def test_two_outlets_same_strike_are_compatible() -> None:
    a = report("a", "one")
    b = report("b", "two", latitude=NEAR[0], longitude=NEAR[1], fatalities=5)
    assert compatible(a, b) and compatible(b, a)


def test_different_day_place_type_or_actor_are_not() -> None:
    a = report("a", "one")
    assert not compatible(a, report("b", "two", event_date=date(2018, 8, 23)))
    assert not compatible(a, report("b", "two", latitude=FAR[0], longitude=FAR[1]))
    assert not compatible(a, report("b", "two", event_type="Battles", sub_event_type="Armed clash"))
    assert not compatible(a, report("b", "two", sub_event_type="Suicide bomb"))
    assert not compatible(a, report("b", "two", actor1="Military Forces of Iraq", inter1=1))
    assert not compatible(a, report("b", "two", modality="planned"))


def test_compatible_sub_types_and_swapped_or_missing_actors() -> None:
    a = report("a", "one")
    assert compatible(a, report("b", "two", sub_event_type="Shelling/artillery/missile attack"))
    assert compatible(a, report("b", "two", actor1=None, inter1=None))
    # Free text (no inter code) never contradicts a known actor.
    assert compatible(a, report("b", "two", actor1="warplanes", inter1=None))
    swapped = report("b", "two", actor1=a.actor2, inter1=a.inter2, actor2=a.actor1, inter2=a.inter1)
    assert compatible(a, swapped)
    # Two different initiators with no target are no swap of each other.
    alone = replace(a, actor2=None, inter2=None)
    other = report(
        "b", "two", actor1="Syrian Democratic Forces", inter1=2, actor2=None, inter2=None
    )
    assert a.actor1 != other.actor1
    assert not compatible(alone, other)
    # A one-sided swap still fuses: "A clashed with B" and "B attacked" (no target named).
    assert compatible(a, report("b", "two", actor1=a.actor2, inter1=a.inter2, actor2=None))


def test_distance_follows_the_coarser_geo_precision() -> None:
    # 20 km apart: too far at precision 1 (10 km), near enough at precision 2 (25 km).
    a = report("a", "one")
    b = report("b", "two", latitude=34.63, longitude=40.93)
    assert not compatible(a, b)
    assert compatible(a, replace(b, geo_precision=2))
    # Precision 3 compares admin1, whatever the distance; no admin1 never merges.
    region = report("c", "three", latitude=35.3, longitude=40.1, geo_precision=3)
    assert compatible(a, region)
    assert not compatible(a, replace(region, admin1="Raqqa"))
    assert not compatible(replace(a, admin1=None), replace(region, admin1=None))


def test_week_and_month_precision_widen_the_date() -> None:
    a = report("a", "one")
    week = report("b", "two", event_date=date(2018, 8, 20), time_precision=2)
    month = report("c", "three", event_date=date(2018, 8, 1), time_precision=3)
    assert date_interval(week) == (date(2018, 8, 17), date(2018, 8, 23))
    assert compatible(a, week) and compatible(a, month)
    assert not compatible(a, replace(month, event_date=date(2018, 9, 1)))


def test_same_document_merges_only_identical_reports() -> None:
    a = report("a", "one")
    repeat = report("b", "one", latitude=a.latitude)
    assert compatible(a, repeat)
    assert not compatible(a, replace(repeat, fatalities=9))
    assert not compatible(a, replace(repeat, location="Other Village"))


def test_undated_or_unplaced_reports_never_merge() -> None:
    a = report("a", "one")
    assert not compatible(a, report("b", "two", event_date=None))
    assert not compatible(a, report("b", "two", iso=None))


# -- clustering ---------------------------------------------------------------------------------


def test_complete_linkage_keeps_two_days_apart_even_through_a_month_report() -> None:
    day1 = report("a", "one")
    day2 = report("b", "two", event_date=date(2018, 8, 23))
    month = report("c", "three", event_date=date(2018, 8, 15), time_precision=3)
    found = clusters([day1, day2, month])
    assert frozenset({"a", "b"}) not in found
    assert len(found) == 2


@settings(max_examples=60, deadline=None)
@given(st.permutations(range(6)))
def test_clusters_do_not_depend_on_order(order: list[int]) -> None:
    pool = [
        report("a", "one"),
        report("b", "two", latitude=NEAR[0], longitude=NEAR[1]),
        report("c", "three", event_date=date(2018, 8, 15), time_precision=3),
        report("d", "four", event_date=date(2018, 8, 23)),
        report("e", "five", latitude=FAR[0], longitude=FAR[1]),
        report("f", "one", sub_event_type="Shelling/artillery/missile attack"),
    ]
    assert clusters([pool[i] for i in order]) == clusters(pool)


# -- reconciliation -----------------------------------------------------------------------------


def test_reconciled_row_takes_the_most_precise_and_keeps_every_source() -> None:
    vague = report(
        "a",
        "one",
        geo_precision=3,
        location="Deir-ez-Zor",
        latitude=35.3,
        longitude=40.1,
        time_precision=2,
        fatalities=7,
        actor1=None,
        inter1=None,
        confidence=0.5,
    )
    precise = report("b", "two", fatalities=3, confidence=0.6)
    [fused] = fuse_events([vague, precise])
    e = fused.event
    assert set(fused.members) == {"a", "b"}
    assert e.event_id == fused.cluster_id not in {"a", "b"}
    assert (e.location, e.geo_precision, e.time_precision) == ("Riverside Village", 1, 1)
    assert e.actor1 == precise.actor1
    assert e.fatalities == 3  # ACLED: the most conservative count
    assert {s.document_id for s in e.sources} == {"one", "two"}
    assert e.confidence == 0.8  # 1 - 0.5 * 0.4


def test_an_updated_toll_replaces_the_same_publishers_first_report() -> None:
    first = report("a", "one", fatalities=2)
    later_source = make_source(
        "one-b", url="https://one.example/b", published=date(2018, 8, 25), attribution=()
    )
    update = make_event("b", sources=(later_source,), fatalities=11)
    other = report("c", "two", fatalities=9)
    [fused] = fuse_events([first, update, other])
    assert fused.event.fatalities == 9


def test_outlets_relaying_one_monitor_are_one_witness() -> None:
    relay = [
        make_event(i, confidence=0.5, sources=(make_source(i, url=f"https://{i}.example/x"),))
        for i in ("a", "b", "c")
    ]
    assert corroborated_confidence(relay) == 0.5
    independent = [replace(e, sources=(replace(e.sources[0], attribution=()),)) for e in relay]
    assert corroborated_confidence(independent) == 0.875


def test_cluster_id_is_stable_and_a_singleton_keeps_its_id() -> None:
    a, b = report("a", "one"), report("b", "two")
    assert fuse_events([a, b])[0].cluster_id == fuse_events([b, a])[0].cluster_id
    assert [f.cluster_id for f in fuse_events([report("z", "x", iso=None)])] == ["z"]
    assert partition([]) == []


def test_search_window_holds_every_compatible_report() -> None:
    a = report("a", "one")
    window = search_window(a)
    assert window is not None
    for other in (
        report("b", "two", latitude=NEAR[0], longitude=NEAR[1], geo_precision=2),
        report("c", "three", event_date=date(2018, 8, 31), time_precision=3, geo_precision=3),
    ):
        assert compatible(a, other) and in_window(other, window)
    assert not in_window(report("d", "four", latitude=FAR[0], longitude=FAR[1]), window)


def test_an_unidentified_group_never_contradicts_a_named_one() -> None:
    # One outlet's unnamed attackers may be another's named group (ACLED's placeholder name).
    a = report("a", "one")
    unnamed = report("b", "two", actor1="Unidentified Armed Group (Syria)", inter1=3)
    assert compatible(a, unnamed) and compatible(unnamed, a)
    named = report("c", "three", actor1="Military Forces of Iraq", inter1=1)
    assert not compatible(a, named)
