"""The eval harness: matching rules, scoring and gold files, on synthetic events (no model)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sitrep.errors import ConfigError, InputError
from sitrep.eval_match import (
    EvalEvent,
    actors_agree,
    assign,
    dates_agree,
    dictionary_normaliser,
    distance_km,
    fatalities_agree,
    gold_event,
    match_score,
    places_agree,
    plain_normaliser,
    predicted_event,
    strip_actor_period,
)
from sitrep.evaluate import (
    DocumentPrediction,
    EvalReport,
    brier_score,
    calibrate,
    format_report,
    geography,
    load_gold,
    run_eval,
    score,
    select,
    split_of,
)
from sitrep.pipeline import Pipeline
from sitrep.records import Document, Event, GeoReason, Modality, Page
from sitrep.settings import Settings

D = date(2021, 3, 14)
# Nairobi and Thika are ~40 km apart; Nairobi CBD and Westlands ~3 km.
NAIROBI = (-1.2864, 36.8172)
WESTLANDS = (-1.2676, 36.8108)
THIKA = (-1.0333, 37.0693)
MOMBASA = (-4.0435, 39.6682)  # ~440 km from Nairobi


def ev(**kw: Any) -> EvalEvent:
    base: dict[str, Any] = {
        "event_type": "Battles",
        "sub_event_type": "Armed clash",
        "event_date": D,
        "time_precision": 1,
        "location": "Nairobi",
        "country": "Kenya",
        "latitude": NAIROBI[0],
        "longitude": NAIROBI[1],
    }
    base.update(kw)
    return EvalEvent(**base)


# -- dates ----------------------------------------------------------------------------------------


def test_dates_agree_on_the_same_day_only_at_day_precision() -> None:
    assert dates_agree(ev(), ev())
    assert not dates_agree(ev(event_date=D + timedelta(days=1)), ev())


def test_week_precision_allows_seven_days_either_way() -> None:
    assert dates_agree(ev(event_date=D - timedelta(days=7), time_precision=2), ev())
    assert not dates_agree(ev(event_date=D + timedelta(days=8), time_precision=2), ev())


def test_month_precision_needs_the_same_month() -> None:
    assert dates_agree(ev(event_date=date(2021, 3, 1), time_precision=3), ev())
    assert not dates_agree(ev(event_date=date(2021, 4, 1), time_precision=3), ev())


def test_gold_precision_widens_the_window_too() -> None:
    assert dates_agree(ev(event_date=date(2021, 3, 30)), ev(time_precision=3))


def test_missing_dates() -> None:
    assert dates_agree(ev(), ev(event_date=None))
    assert not dates_agree(ev(event_date=None), ev())


# -- places ---------------------------------------------------------------------------------------


def test_distance_is_great_circle_km() -> None:
    km = distance_km(ev(), ev(latitude=THIKA[0], longitude=THIKA[1]))
    assert km is not None and 35 < km < 45
    assert distance_km(ev(latitude=None), ev()) is None


def test_places_within_25_km_agree() -> None:
    assert places_agree(ev(latitude=WESTLANDS[0], longitude=WESTLANDS[1], location="X"), ev())
    assert not places_agree(ev(latitude=THIKA[0], longitude=THIKA[1], location="Thika"), ev())


def test_places_agree_by_name_across_spellings() -> None:
    pred = ev(location="Deir ez-Zor", country="Syria", latitude=None, longitude=None)
    gold = ev(location="Dayr az Zawr", country="Syria", latitude=None, longitude=None)
    assert places_agree(pred, gold)


def test_same_name_in_another_country_is_another_place() -> None:
    pred = ev(location="Tripoli", country="Libya", latitude=None, longitude=None)
    gold = ev(location="Tripoli", country="Lebanon", latitude=None, longitude=None)
    assert not places_agree(pred, gold)


def test_gold_without_place_accepts_any_place_and_missing_prediction_fails() -> None:
    assert places_agree(ev(), ev(location=None, latitude=None, longitude=None))
    assert not places_agree(ev(location=None, latitude=None, longitude=None), ev())


# -- matching -------------------------------------------------------------------------------------


def test_type_must_agree_unless_type_blind() -> None:
    pred = ev(event_type="Riots", sub_event_type="Mob violence")
    assert match_score(pred, ev()) is None
    assert match_score(pred, ev(), check_type=False) is not None


def test_modality_is_compared_only_when_gold_lists_it() -> None:
    assert match_score(ev(modality="planned"), ev()) is not None
    assert match_score(ev(modality="planned"), ev(modality="occurred")) is None
    assert match_score(ev(modality="planned"), ev(modality="planned")) is not None


def test_assignment_is_one_to_one_and_prefers_the_better_fit() -> None:
    gold = [ev(sub_event_type="Armed clash")]
    predicted = [ev(sub_event_type="Government regains territory"), ev()]
    pairs = assign(predicted, gold)
    assert [(p.predicted, p.gold) for p in pairs] == [(1, 0)]


def test_assignment_prefers_the_nearer_date_and_place() -> None:
    gold = [ev(), ev(event_date=D + timedelta(days=3), time_precision=2)]
    predicted = [ev(event_date=D + timedelta(days=3), time_precision=2), ev()]
    pairs = assign(predicted, gold)
    assert {(p.predicted, p.gold) for p in pairs} == {(1, 0), (0, 1)}


@given(
    st.lists(st.integers(0, 5), max_size=6),
    st.lists(st.integers(0, 5), max_size=6),
)
def test_assignment_never_reuses_an_event(pred_days: list[int], gold_days: list[int]) -> None:
    predicted = [ev(event_date=D + timedelta(days=d), time_precision=2) for d in pred_days]
    gold = [ev(event_date=D + timedelta(days=d)) for d in gold_days]
    pairs = assign(predicted, gold)
    assert len({p.predicted for p in pairs}) == len(pairs) == len({p.gold for p in pairs})
    assert len(pairs) == min(len(predicted), len(gold))


# -- fields ---------------------------------------------------------------------------------------


def test_acled_actor_names_are_normalised() -> None:
    assert strip_actor_period("Police Forces of Kenya (2013-)") == "Police Forces of Kenya"
    assert strip_actor_period("Military Forces of Kenya (2002-2013)") == "Military Forces of Kenya"
    assert strip_actor_period("Rioters (Kenya)") == "Rioters (Kenya)"
    normalise = dictionary_normaliser()
    assert actors_agree(
        "Police Forces of Kenya", "Police Forces of Kenya (2013-)", normalise=normalise
    )
    assert actors_agree("Rioters (Kenya)", "Rioters (Kenya)", normalise=normalise)
    assert not actors_agree("Rioters (Kenya)", "Protesters (Kenya)", normalise=normalise)
    assert not actors_agree(None, "Civilians (Kenya)", normalise=normalise)


def test_fatalities_unknown_equals_acled_zero() -> None:
    assert fatalities_agree(None, 0)
    assert fatalities_agree(3, 3)
    assert not fatalities_agree(None, 2)


def test_gold_event_reads_empty_strings_as_missing() -> None:
    gold = gold_event({"actor2": "", "fatalities": "", "latitude": "x", "event_date": "2020-01-02"})
    assert gold.actor2 is None and gold.fatalities is None and gold.latitude is None
    assert gold.event_date == date(2020, 1, 2)


def _event(**kw: Any) -> Event:
    base: dict[str, Any] = {
        "event_id": "e1",
        "event_date": D,
        "time_precision": 1,
        "event_type": "Battles",
        "sub_event_type": "Armed clash",
        "actor1": "Al Shabaab",
        "assoc_actor_1": None,
        "inter1": 2,
        "actor2": "Military Forces of Kenya",
        "assoc_actor_2": None,
        "inter2": 1,
        "interaction": 12,
        "country": "Kenya",
        "iso": "KE",
        "admin1": "Nairobi",
        "admin2": None,
        "admin3": None,
        "location": "Nairobi",
        "latitude": NAIROBI[0],
        "longitude": NAIROBI[1],
        "geo_precision": 1,
        "fatalities": None,
        "source": None,
        "notes": None,
        "plover_type": "ASSAULT",
        "cameo_code": "19",
        "modality": Modality.OCCURRED,
        "confidence": 0.8,
        "date_resolved_from": None,
        "year_from_reference": False,
        "geo_reason": GeoReason.EXACT,
    }
    base.update(kw)
    return Event(**base)


def test_predicted_event_reads_an_event_row() -> None:
    pred = predicted_event(_event())
    assert pred.modality == "occurred" and pred.confidence == 0.8 and pred.has_coordinates


# -- scoring --------------------------------------------------------------------------------------


def _score(items: Sequence[DocumentPrediction]) -> EvalReport:
    return score(items, normalise=plain_normaliser)


def test_precision_recall_f1_are_micro_over_documents() -> None:
    items = [
        DocumentPrediction((ev(),), (ev(confidence=0.9),)),  # hit
        DocumentPrediction((ev(),), ()),  # miss
        DocumentPrediction((), (ev(confidence=0.2),)),  # spurious on a negative
        DocumentPrediction((), ()),  # clean negative
    ]
    report = _score(items)
    assert (report.gold_events, report.predicted_events, report.matched) == (2, 2, 1)
    assert report.precision == 0.5 and report.recall == 0.5 and report.f1 == 0.5
    assert (report.negative_documents, report.clean_negatives) == (2, 1)
    assert report.figures()["clean_negatives"] == 0.5


def test_no_predictions_gives_no_precision() -> None:
    report = _score([DocumentPrediction((ev(),), ())])
    assert report.precision is None and report.recall == 0.0 and report.f1 is None


def test_field_accuracy_counts_only_fields_the_gold_gives() -> None:
    gold = ev(actor1="Police Forces of Kenya (2013-)", actor2=None, fatalities=0)
    pred = ev(
        actor1="Police Forces of Kenya",
        actor2="Civilians (Kenya)",
        sub_event_type="Government regains territory",
        latitude=WESTLANDS[0],
        longitude=WESTLANDS[1],
    )
    fields = {f.field: f for f in _score([DocumentPrediction((gold,), (pred,))]).fields}
    assert fields["actor1"].accuracy == 1.0
    assert fields["actor2"].total == 0 and fields["actor2"].accuracy is None
    assert fields["sub_event_type"].accuracy == 0.0
    assert fields["location"].accuracy == 1.0  # ~2 km
    assert fields["fatalities"].accuracy == 1.0
    assert fields["event_date"].accuracy == 1.0


def test_confusion_shows_type_errors_missed_and_spurious() -> None:
    riot = ev(event_type="Riots", sub_event_type="Mob violence")
    far = ev(
        event_type="Protests",
        sub_event_type="Peaceful protest",
        latitude=THIKA[0],
        longitude=THIKA[1],
        location="Thika",
    )
    items = [DocumentPrediction((ev(), ev(event_date=D + timedelta(days=40))), (riot, far))]
    report = _score(items)
    cells = {(c.gold, c.predicted): c.count for c in report.confusion}
    assert cells == {
        ("Armed clash", "Mob violence"): 1,
        ("Armed clash", "missed"): 1,
        ("spurious", "Peaceful protest"): 1,
    }
    assert report.matched == 0
    fields = {f.field: f for f in report.fields}
    assert fields["event_type"].accuracy == 0.0 and fields["event_type"].total == 1
    by_type = {t.event_type: t for t in report.by_event_type}
    assert by_type["Battles"].recall == 0.0 and by_type["Riots"].precision == 0.0


def test_calibration_bins_and_brier() -> None:
    outcomes = [(0.95, True), (0.91, False), (0.05, False)]
    bins = calibrate(outcomes)
    assert len(bins) == 10
    assert bins[9].count == 2 and bins[9].matched_rate == 0.5
    assert bins[9].mean_confidence == pytest.approx(0.93)
    assert bins[0].count == 1 and bins[5].count == 0 and bins[5].mean_confidence is None
    assert brier_score(outcomes) == pytest.approx((0.05**2 + 0.91**2 + 0.05**2) / 3)
    assert calibrate([]) == () and brier_score([]) is None
    assert calibrate([(1.0, True)])[9].count == 1


def test_report_round_trips_through_json() -> None:
    report = _score([DocumentPrediction((ev(),), (ev(confidence=0.7),))])
    data = json.loads(format_report(report, as_json=True))
    assert data["matched"] == 1 and data["calibration"][7]["count"] == 1
    text = format_report(report, as_json=False)
    assert "precision 100.0%" in text and "Brier" in text


# -- gold files, splits, run_eval ------------------------------------------------------------------


def _write(tmp_path: Path, records: Sequence[dict[str, Any]]) -> Path:
    path = tmp_path / "gold.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def test_load_gold_reads_records_and_names_bad_lines(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        [
            {"text": "a", "published": "2021-03-14", "events": [{"event_type": "Battles"}]},
            {"html": "<p>b</p>", "events": [], "split": "heldout"},
        ],
    )
    docs = load_gold(path)
    assert docs[0].published == D and docs[0].events[0].event_type == "Battles"
    assert docs[1].html == "<p>b</p>" and docs[1].split == "heldout"
    assert docs[0].origin.endswith("gold.jsonl:1")
    bad = _write(tmp_path, [{"text": "a"}])
    with pytest.raises(InputError, match=r"gold.jsonl:1.*events"):
        load_gold(bad)
    with pytest.raises(ConfigError):
        load_gold(tmp_path / "missing.jsonl")


def test_modality_listed_makes_other_gold_events_occurred(tmp_path: Path) -> None:
    path = _write(
        tmp_path, [{"text": "a", "events": [{"modality": "planned"}, {"event_type": "Riots"}]}]
    )
    events = load_gold(path)[0].events
    assert [e.modality for e in events] == ["planned", "occurred"]


def test_split_rule_is_positional_sixty_forty(tmp_path: Path) -> None:
    path = _write(tmp_path, [{"text": f"report number {i}", "events": []} for i in range(2000)])
    docs = load_gold(path)
    assert [split_of(d) for d in docs] == ["tune"] * 1200 + ["heldout"] * 800
    assert len(select(docs, sample="tune", limit=10)) == 10
    assert len(select(docs, sample="heldout")) == 800
    with pytest.raises(ConfigError):
        select(docs, sample="test")


def test_a_lines_own_split_wins(tmp_path: Path) -> None:
    records = [{"text": f"t{i}", "events": [], "split": "dev"} for i in range(50)]
    docs = load_gold(_write(tmp_path, records))
    assert {split_of(d) for d in docs} == {"tune"}


class _FakeEvents:
    """A stage that turns each page into a document with one clash if the text says so."""

    name = "fake"
    requires: tuple[str, ...] = ()
    produces: tuple[str, ...] = ("events",)

    def setup(self) -> None:
        pass

    def __call__(self, batch: Sequence[Page]) -> list[Document]:
        out = []
        for page in batch:
            text = page.text or ""
            if "boom" in text:
                raise ValueError("cannot read this page")
            events = (_event(),) if "clash" in text else ()
            if "plan" in text:
                events = (_event(modality=Modality.PLANNED),)
            out.append(Document(id=page.id, origin=page.origin, text=text, events=events))
        return out


def _fake_pipeline(values: dict[str, Any], *, raise_errors: bool = False) -> Pipeline:
    return Pipeline([_FakeEvents()])


def test_run_eval_runs_the_pipeline_and_scores(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sitrep.process.build_pipeline", _fake_pipeline)
    gold = {"event_type": "Battles", "event_date": "2021-03-14", "location": "Nairobi"}
    path = _write(
        tmp_path,
        [
            {"text": "a clash", "events": [gold]},
            {"text": "a plan", "events": []},  # planned: not scored as occurred
            {"text": "boom", "events": [gold]},
            {"text": "a plan too", "events": [{**gold, "modality": "planned"}]},
        ],
    )
    report = run_eval(path, settings=Settings())
    assert report.documents == 4 and report.failures == 1
    assert report.errors == ("fake: ValueError: cannot read this page",)
    assert (report.gold_events, report.predicted_events, report.matched) == (3, 2, 2)
    assert report.clean_negatives == 1
    assert run_eval(path, settings=Settings(), limit=1).documents == 1


def test_place_blind_figures_separate_geocoding_errors() -> None:
    wrong_place = ev(latitude=THIKA[0], longitude=THIKA[1], location="Thika", confidence=0.6)
    report = _score([DocumentPrediction((ev(),), (wrong_place,))])
    assert report.matched == 0 and report.any_place.matched == 1
    assert report.any_place.recall == 1.0
    assert report.figures()["any_place.f1"] == 1.0
    assert "ignoring place" in format_report(report, as_json=False)


# -- geography ------------------------------------------------------------------------------------


def at(place: tuple[float, float], **kw: Any) -> EvalEvent:
    return ev(latitude=place[0], longitude=place[1], **kw)


def test_gold_and_predicted_events_carry_geo_precision() -> None:
    assert gold_event({"geo_precision": 2}).geo_precision == 2
    assert gold_event({"geo_precision": "3"}).geo_precision == 3
    assert gold_event({"geo_precision": ""}).geo_precision is None
    assert gold_event({"geo_precision": 7}).geo_precision is None
    assert predicted_event(_event(geo_precision=2)).geo_precision == 2


def test_geography_scores_distances_over_matched_and_all_gold() -> None:
    pairs: list[tuple[EvalEvent | None, EvalEvent]] = [
        (at(WESTLANDS), ev()),  # ~2 km
        (at(THIKA), ev()),  # ~40 km
        (at(MOMBASA), ev()),  # ~440 km
        (ev(latitude=None, longitude=None), ev()),  # matched, not located
        (None, ev()),  # nothing matched
        (at(THIKA), ev(latitude=None, longitude=None)),  # gold without coordinates: skipped
    ]
    geo = geography(pairs)
    m, a = geo.matched, geo.all_gold
    assert (m.events, m.located, m.within_10km, m.within_161km) == (4, 3, 1, 2)
    assert m.acc10 == 0.25 and m.acc161 == 0.5
    assert (a.events, a.located, a.within_10km, a.within_161km) == (5, 3, 1, 2)
    assert a.acc10 == pytest.approx(0.2) and a.acc161 == pytest.approx(0.4)
    assert m.median_km is not None and 35 < m.median_km < 45
    assert m.mean_km is not None and 150 < m.mean_km < 170  # (2 + 40 + 440) / 3
    assert a.mean_km == m.mean_km


def test_geography_with_no_gold_coordinates_gives_no_figures() -> None:
    geo = geography([(ev(), ev(latitude=None, longitude=None)), (None, ev(latitude=None))])
    assert geo.matched.events == 0 and geo.all_gold.events == 0
    assert geo.matched.acc10 is None and geo.all_gold.mean_km is None
    assert geo.precision_agreement is None
    assert all(s.predicted_share is None for s in geo.precisions)


def test_geo_precision_agreement_counts_only_gold_that_gives_one() -> None:
    pairs: list[tuple[EvalEvent | None, EvalEvent]] = [
        (ev(geo_precision=1), ev(geo_precision=1)),  # right
        (ev(geo_precision=1), ev(geo_precision=2)),  # wrong
        (ev(geo_precision=None), ev(geo_precision=3)),  # no precision predicted: wrong
        (ev(geo_precision=2), ev(geo_precision=None)),  # gold gives none: not graded
        (None, ev(geo_precision=1)),  # unmatched: not graded
    ]
    geo = geography(pairs)
    assert (geo.precision_agreed, geo.precision_total) == (1, 3)
    assert geo.precision_agreement == pytest.approx(1 / 3)
    shares = {s.precision: s for s in geo.precisions}
    assert [s.precision for s in geo.precisions] == ["1", "2", "3", "none"]
    assert (shares["1"].predicted, shares["2"].predicted, shares["none"].predicted) == (2, 1, 1)
    assert shares["1"].predicted_share == 0.5
    assert (shares["1"].gold, shares["2"].gold, shares["3"].gold, shares["none"].gold) == (
        1,
        1,
        1,
        1,
    )
    cells = {(c.gold, c.predicted): c.count for c in geo.precision_confusion}
    assert cells == {("1", "1"): 1, ("2", "1"): 1, ("3", "none"): 1}


def test_wrong_place_is_scored_by_geography_not_dropped() -> None:
    # Thika is ~40 km off: the strict matching drops the pair, the geography keeps it.
    wrong = at(THIKA, location="Thika", geo_precision=1)
    near = at(WESTLANDS, geo_precision=2)
    items = [
        DocumentPrediction((ev(geo_precision=1),), (wrong,)),
        DocumentPrediction((ev(geo_precision=1),), (near,)),
        DocumentPrediction((ev(event_type="Riots", geo_precision=1),), ()),  # missed
    ]
    report = _score(items)
    assert report.matched == 1 and report.any_place.matched == 2
    figures = report.figures()
    assert figures["geo.acc10"] == 0.5 and figures["geo.acc161"] == 1.0
    assert figures["geo.all.acc10"] == pytest.approx(1 / 3)
    assert figures["geo.all.acc161"] == pytest.approx(2 / 3)
    assert figures["geo.precision_agreement"] == 0.5


def test_figures_leave_out_geography_without_gold_coordinates() -> None:
    gold = ev(latitude=None, longitude=None)
    report = _score([DocumentPrediction((gold,), (ev(),))])
    assert not any(name.startswith("geo") for name in report.figures())


def test_report_formats_geography_as_text_and_json() -> None:
    report = _score([DocumentPrediction((ev(geo_precision=1),), (at(WESTLANDS, geo_precision=1),))])
    data = json.loads(format_report(report, as_json=True))
    assert data["geo"]["matched"]["acc10"] == 1.0
    assert data["geo"]["all_gold"]["events"] == 1
    assert data["geo"]["precision_agreement"] == 1.0
    text = format_report(report, as_json=False)
    assert "geography" in text and "geo precision right 100.0%" in text
    assert "matched ignoring place" in text and "all gold (unmatched = miss)" in text


@given(
    st.lists(
        st.one_of(st.none(), st.floats(-1.0, 1.0, allow_nan=False)),
        max_size=12,
    )
)
def test_all_gold_view_never_beats_the_matched_view(offsets: list[float | None]) -> None:
    pairs: list[tuple[EvalEvent | None, EvalEvent]] = [
        (None if d is None else ev(latitude=NAIROBI[0] + d), ev()) for d in offsets
    ]
    geo = geography(pairs)
    m, a = geo.matched, geo.all_gold
    assert a.events == len(offsets) and m.events == sum(d is not None for d in offsets)
    assert m.within_10km == a.within_10km <= a.within_161km == m.within_161km
    if m.acc10 is not None and a.acc10 is not None and m.acc161 is not None:
        assert a.acc10 <= m.acc10 <= m.acc161
    if m.median_km is not None and m.mean_km is not None:
        assert 0 <= m.median_km <= 112 and 0 <= m.mean_km <= 112  # 1° of latitude ≈ 111 km


def test_battle_sides_may_be_in_either_order_other_events_not() -> None:
    # ACLED: actor 1 and actor 2 imply no direction; in a battle either side may come first.
    army, shabaab = "Military Forces of Kenya (2013-)", "Al Shabaab"
    gold = ev(event_type="Battles", sub_event_type="Armed clash", actor1=army, actor2=shabaab)
    swapped = ev(event_type="Battles", sub_event_type="Armed clash", actor1=shabaab, actor2=army)
    fields = {f.field: f for f in _score([DocumentPrediction((gold,), (swapped,))]).fields}
    assert fields["actor1"].accuracy == 1.0 and fields["actor2"].accuracy == 1.0
    # Violence against civilians: the order is the meaning (civilians are actor 2).
    attack = {"event_type": "Violence against civilians", "sub_event_type": "Attack"}
    gold_vac = ev(**attack, actor1=shabaab, actor2="Civilians (Kenya)")
    swapped_vac = ev(**attack, actor1="Civilians (Kenya)", actor2=shabaab)
    fields = {f.field: f for f in _score([DocumentPrediction((gold_vac,), (swapped_vac,))]).fields}
    assert fields["actor1"].accuracy == 0.0 and fields["actor2"].accuracy == 0.0
