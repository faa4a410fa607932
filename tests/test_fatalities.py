"""Tests for sitrep.stages.fatalities: ACLED-style fatality counts from one sentence."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sitrep.numbers import parse_number
from sitrep.stages.fatalities import FatalityCount, extract_fatalities

COUNTS: list[tuple[str, int]] = [
    ("Two civilians were killed in the attack.", 2),
    ("The blast hit the market, killing 12.", 12),
    ("At least a dozen people died in the clashes.", 12),
    ("The death toll rose to 15 on Tuesday.", 15),
    ("The explosion left 3 dead and 5 injured.", 3),
    ("Five soldiers lost their lives in the ambush.", 5),
    ("Police recovered the bodies of 4 men.", 4),
    ("Fighting killed 1,200 people last year.", 1200),
    ("Between 10 and 15 people were killed.", 10),
    ("10 to 15 people were killed.", 10),
    ("10-15 people were killed.", 10),
    ("More than 20 people were killed.", 20),
    ("Dozens were killed in the raid.", 12),
    ("Scores of villagers were massacred.", 20),
    ("Hundreds of people died.", 100),
    ("The strike killed three soldiers and two civilians.", 5),
    ("Three soldiers and two civilians were killed.", 5),
    ("A police officer was killed by gunmen.", 1),
    ("On December 31 2019, a man and his 12-year-old son were killed by assailants.", 2),
    ("Gunmen killed a policeman in the market.", 1),
    ("Three gunmen killed two herders.", 2),
    ("In 2015, three people were shot dead.", 3),
    ("A guard was fatally stabbed outside the bank.", 1),
    ("Gunmen fatally shot two police officers in Garissa.", 2),
    ("The attack killed 5 people, including 3 children.", 5),
    ("At least 12 people, including three children, were killed.", 12),
    ("Two people were killed and two others died later in hospital.", 4),
    ("The attack killed four people and wounded 20.", 4),
    ("Gunmen attacked a village and three people were killed.", 3),
    ("Twenty-five soldiers were killed.", 25),
    ("The raid ended, killing at least 5 and wounding 10.", 5),
    ("Clashes have claimed the lives of 7 people.", 7),
    ("The attack claimed 30 lives.", 30),
    ("The fighting caused 12 deaths.", 12),
    ("Police shot dead three young men on a dumpsite.", 3),
    ("Two hundred and fifty people were killed.", 250),
]

NOT_FATALITIES = [
    "Five people were wounded in the attack.",
    "Police arrested 30 protesters in 2019.",
    "More than 1,000 ISIS fighters are hiding on the eastern bank.",
    "On August 22, warplanes struck several positions.",
    "Turnout rose by 30% and 40 people marched at 10 pm.",
    "Raiders stole hundreds of cattle.",
]


@pytest.mark.parametrize(("sentence", "expected"), COUNTS)
def test_counts(sentence: str, expected: int) -> None:
    result = extract_fatalities(sentence)
    assert result.count == expected
    assert result.known
    assert result.text


@pytest.mark.parametrize("sentence", NOT_FATALITIES)
def test_not_fatalities(sentence: str) -> None:
    assert extract_fatalities(sentence) == FatalityCount(count=None, known=False, text=None)


@pytest.mark.parametrize(
    "sentence",
    [
        "No one was killed in the attack.",
        "There were no casualties.",
        "Nobody died in the blast.",
        "The convoy passed without casualties.",
    ],
)
def test_explicit_zero(sentence: str) -> None:
    assert extract_fatalities(sentence).count == 0
    assert extract_fatalities(sentence).known


@pytest.mark.parametrize(
    "sentence",
    [
        "Several civilians were killed.",
        "Many people died in the fighting.",
        "Soldiers were killed.",
    ],
)
def test_unspecified_number_is_missing_by_default(sentence: str) -> None:
    result = extract_fatalities(sentence)
    assert (result.count, result.known) == (None, False)
    assert result.text is not None  # the death is reported, only the number is missing


def test_unspecified_number_can_be_coded() -> None:
    result = extract_fatalities("Several civilians were killed.", unspecified=3)
    assert (result.count, result.known) == (3, False)


def test_number_beats_zero_phrase() -> None:
    assert extract_fatalities("Two soldiers were killed but no civilians died.").count == 2


@pytest.mark.parametrize(
    ("text", "value"),
    [("1,200", 1200), ("twenty-five", 25), ("a dozen", 12), ("one thousand two hundred", 1200)],
)
def test_parse_number(text: str, value: int) -> None:
    assert parse_number(text) == value


def test_long_sentence_completes() -> None:
    # Guards against catastrophic regex backtracking (a hang); speed itself is for bench/.
    for sentence in ("killed " * 15000, "two " * 25000, "1," * 50000, "a man and " * 10000):
        assert extract_fatalities(sentence).count is None or extract_fatalities(sentence).known


_WORDS = st.sampled_from(
    [
        "killed", "killing", "died", "dead", "were", "was", "at", "least", "two", "12", "1,200",
        "and", "wounded", "between", "to", "-", "dozens", "no", "one", "people", "a", "the",
        "death", "toll", "rose", "bodies", "of", ",", "including", "others", "2019", "%",
    ]
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(words=st.lists(_WORDS, max_size=14), noise=st.text(max_size=20))
def test_fuzz_never_raises_and_never_negative(words: list[str], noise: str) -> None:
    result = extract_fatalities(" ".join(words) + noise)
    if result.count is not None:
        assert result.count >= 0
        assert result.known
    if result.known:
        assert result.text


@pytest.mark.parametrize(
    ("sentence", "count"),
    [
        ("Shelling killed one man, the regional prosecutor's office said.", 1),
        ("The blast killed two soldiers, a military source told reporters.", 2),
        ("Gunmen killed three farmers and a herder, residents reported.", 4),
    ],
)
def test_the_speaker_after_a_comma_is_not_a_victim_group(sentence: str, count: int) -> None:
    assert extract_fatalities(sentence).count == count
