"""Tests for sitrep.stages.dates: ACLED dates and time precision from one sentence."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sitrep.stages.dates import DateResolution, resolve_date

REF = date(2018, 8, 23)  # a Thursday

CASES: list[tuple[str, date, date | None, int | None]] = [
    ("On August 22, warplanes struck.", REF, date(2018, 8, 22), 1),
    ("On August 22, warplanes struck.", date(2018, 1, 5), date(2017, 8, 22), 1),
    ("On 22 August, strikes hit.", REF, date(2018, 8, 22), 1),
    ("On Sept 20th, a fight broke out.", REF, date(2017, 9, 20), 1),
    ("Militants attacked the post yesterday.", REF, date(2018, 8, 22), 1),
    ("Militants attacked the post last night.", REF, date(2018, 8, 22), 1),
    ("Gunmen attacked the village on Tuesday.", REF, date(2018, 8, 21), 1),
    ("Gunmen attacked the village on Thursday.", REF, REF, 1),
    ("Gunmen attacked the village last Thursday.", REF, date(2018, 8, 16), 1),
    ("Fighting broke out Tuesday night.", REF, date(2018, 8, 21), 1),
    ("Clashes erupted late on Monday.", REF, date(2018, 8, 20), 1),
    ("Protesters gathered this morning.", REF, REF, 1),
    ("Protesters gathered today.", REF, REF, 1),
    ("Two days ago, a bomb exploded.", REF, date(2018, 8, 21), 1),
    ("On 3 March 2021, troops attacked.", REF, date(2021, 3, 3), 1),
    ("On March 3, 2021, troops attacked.", REF, date(2021, 3, 3), 1),
    ("On 2021-03-03 troops attacked.", REF, date(2021, 3, 3), 1),
    ("On December 31 2019, a man was killed.", REF, date(2019, 12, 31), 1),
    ("Troops advanced last week.", REF, date(2018, 8, 16), 2),
    ("The SDF reinforced its positions over the last few days.", REF, date(2018, 8, 21), 2),
    ("In recent days, shelling intensified.", REF, date(2018, 8, 21), 2),
    ("Earlier this week, shelling intensified.", REF, date(2018, 8, 21), 2),
    ("At the weekend, protesters marched.", REF, date(2018, 8, 18), 2),
    ("Earlier this month, rebels seized the town.", REF, date(2018, 8, 15), 3),
    ("In March, rebels seized the town.", REF, date(2018, 3, 15), 3),
    ("In September, rebels seized the town.", REF, date(2017, 9, 15), 3),
    ("In March 2016, rebels seized the town.", REF, date(2016, 3, 15), 3),
    ("Last month, rebels seized the town.", REF, date(2018, 7, 15), 3),
    ("Three were killed on Monday after clashes that began last month.", REF, date(2018, 8, 20), 1),
    ("Clashes that began last month killed three people on Monday.", REF, date(2018, 8, 20), 1),
    ("Earlier this year, militants attacked the town on August 2.", REF, date(2018, 8, 2), 1),
    ("On August 22, 1,000 fighters were hiding.", REF, date(2018, 8, 22), 1),
    ("On February 29, strikes hit.", date(2018, 3, 1), date(2016, 2, 29), 1),
]

VAGUE = [
    "Earlier this year, the terrorists repelled two attacks.",
    "Last year the group attacked the base.",
    "In 2015 the group attacked the base.",
    "The group has fought the army for years.",
    "In recent years, attacks have multiplied.",
    "In the past, the town was held by rebels.",
    "Since the war began, thousands have died.",
]


@pytest.mark.parametrize(("sentence", "reference", "expected", "precision"), CASES)
def test_resolves_date_and_precision(
    sentence: str, reference: date, expected: date, precision: int
) -> None:
    result = resolve_date(sentence, reference=reference)
    assert (result.date, result.precision) == (expected, precision)
    assert result.explicit
    assert not result.vague


def test_year_from_reference_is_marked() -> None:
    result = resolve_date("On August 22, warplanes struck.", reference=REF)
    assert result.year_from_reference
    assert result.resolved_from == REF
    assert result.text == "August 22"


def test_explicit_year_does_not_use_reference() -> None:
    result = resolve_date("On 3 March 2021, troops attacked.", reference=REF)
    assert not result.year_from_reference
    assert result.resolved_from is None


@pytest.mark.parametrize("sentence", VAGUE)
def test_vague_expressions_give_no_date(sentence: str) -> None:
    result = resolve_date(sentence, reference=REF)
    assert result.vague
    assert result.explicit
    assert result.date is None
    assert result.precision is None


def test_future_is_vague_and_flagged() -> None:
    result = resolve_date("The army will launch an offensive next week.", reference=REF)
    assert (result.date, result.vague, result.future) == (None, True, True)


def test_no_expression() -> None:
    result = resolve_date("Warplanes struck the town.", reference=REF)
    assert result == DateResolution(None, None, None, None, False, False, False)


@pytest.mark.parametrize(
    "sentence",
    ["Militants attacked the post yesterday.", "On August 22, warplanes struck.", "Last week."],
)
def test_relative_without_reference_gives_no_date(sentence: str) -> None:
    result = resolve_date(sentence, reference=None)
    assert result.date is None
    assert result.resolved_from is None
    assert result.explicit


def test_absolute_without_reference_still_resolves() -> None:
    result = resolve_date("On 3 March 2021, troops attacked.", reference=None)
    assert result.date == date(2021, 3, 3)


@pytest.mark.parametrize(
    "sentence", ["On February 30, warplanes struck.", "On August 22, 20188, warplanes struck."]
)
def test_invalid_dates_give_no_date(sentence: str) -> None:
    result = resolve_date(sentence, reference=REF)
    assert result.date is None
    assert result.explicit


def test_date_texts_add_candidates_patterns_miss() -> None:
    result = resolve_date(
        "Fighting resumed on the 22nd of the month.",
        reference=REF,
        date_texts=("the 22nd of the month",),
    )
    assert result.explicit
    assert result.text == "the 22nd of the month"


@pytest.mark.parametrize("count", ["300+", "1,000", "45"])
def test_a_count_tagged_as_a_date_is_no_date(count: str) -> None:
    result = resolve_date(f"{count} gunmen raided the town.", reference=REF, date_texts=(count,))
    assert not result.explicit and not result.vague


@pytest.mark.parametrize(
    ("sentence", "span"),
    [
        ("He was jailed for 10 years for the attack.", "10 years"),
        ("A man aged 25 years.", "25 years"),
    ],
)
def test_a_span_or_an_age_is_no_day(sentence: str, span: str) -> None:
    assert resolve_date(sentence, reference=REF, date_texts=(span,)).date is None


def test_recently_inside_a_noun_phrase_dates_nothing() -> None:
    # "a recently passed bill" says when the bill passed; "recently attacked" stays vague.
    assert not resolve_date("They protested a recently passed media bill.", reference=REF).vague
    assert resolve_date("Gunmen recently attacked the village.", reference=REF).vague


def test_date_texts_not_in_sentence_are_ignored() -> None:
    result = resolve_date("Warplanes struck.", reference=REF, date_texts=("August 22",))
    assert not result.explicit


def test_long_sentence_completes() -> None:
    # Guards against catastrophic regex backtracking (a hang); speed itself is for bench/.
    assert resolve_date("On August 22, " * 7000, reference=REF).date == date(2018, 8, 22)
    resolve_date("on Monday " * 10000 + "x" * 1000, reference=REF)


_WORDS = st.sampled_from(
    [
        "on", "Monday", "August", "22", "2021", "last", "week", "earlier", "this", "month",
        "year", "yesterday", "in", "March", "29", "February", "30", "days", "recent", "the",
        "weekend", "killed", ",", "-", "03", "/", "since", "began", "few", "over", "ago", "two",
    ]
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(
    words=st.lists(_WORDS, max_size=12),
    noise=st.text(max_size=30),
    reference=st.dates(min_value=date(1950, 1, 1), max_value=date(2090, 12, 31)),
)
def test_fuzz_never_raises_and_is_consistent(words: list[str], noise: str, reference: date) -> None:
    sentence = " ".join(words) + noise
    result = resolve_date(sentence, reference=reference)
    if result.date is not None:
        assert result.precision in {1, 2, 3}
        assert not result.vague
    else:
        assert result.precision is None
    if result.resolved_from is not None:
        assert result.date is not None
        assert result.date <= reference
        assert reference - result.date < timedelta(days=4 * 366)
    if not result.explicit:
        assert result.text is None


@pytest.mark.parametrize(
    "sentence",
    ["A mob killed a man who had attacked a house the previous day.", "Two days later, he died."],
)
def test_anaphoric_expressions_give_no_date(sentence: str) -> None:
    result = resolve_date(sentence, reference=REF)
    assert result.explicit
    assert result.date is None
