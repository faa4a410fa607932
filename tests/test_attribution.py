"""Tests for sitrep.stages.attribution: the chain of cited sources of one sentence."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sitrep.stages.attribution import extract_attribution

OBSERVATORY = ("Syrian Observatory for Human Rights",)

CASES: list[tuple[str, tuple[str, ...], tuple[str, ...]]] = [
    (
        "On August 22, warplanes conducted airstrikes on several positions in the town, "
        "according to the Syrian Observatory for Human Rights (SOHR).",
        (),
        OBSERVATORY,
    ),
    ("The UK-based monitoring group also revealed that troops reinforced positions.",
     OBSERVATORY, OBSERVATORY),
    ("The UK-based monitoring group also revealed that troops reinforced positions.", (), ()),
    ("Local observers believe that more than 1,000 fighters are hiding.", (),
     ("Local observers",)),
    ("The army is preparing an operation, according to various sources.", (),
     ("various sources",)),
    ("Three people were killed, the observatory said.", OBSERVATORY, OBSERVATORY),
    ("Three people were killed, the group added.", OBSERVATORY, OBSERVATORY),
    ("The ministry said three soldiers died.", OBSERVATORY, ("ministry",)),
    ("Security sources told AFP that five militants were killed.", (),
     ("AFP", "Security sources")),
    ("Witnesses said the police opened fire.", (), ("Witnesses",)),
    ("Residents told Reuters the town was shelled.", (), ("Reuters", "Residents")),
    ("A police spokesman said two officers were wounded.", (), ("police spokesman",)),
    (
        "The Syrian Observatory for Human Rights said, citing local sources, that 12 died.",
        (),
        ("Syrian Observatory for Human Rights", "local sources"),
    ),
    ("Activists reported that the town was shelled.", (), ("Activists",)),
    ("Warplanes struck the town on Monday.", OBSERVATORY, ()),
    ("Three people were reported killed in the attack.", (), ()),
    ("The group claimed responsibility for the attack.", (), ()),
    ("He said the attack killed five.", ("Reuters",), ("Reuters",)),
    ("Five were killed, said Rami Abdel Rahman, head of the monitor.", (),
     ("Rami Abdel Rahman",)),
    ("Human Rights Watch reported that 20 civilians died.", (), ("Human Rights Watch",)),
    ("The Kenya Defence Forces (KDF) said it killed 5 militants.", (),
     ("Kenya Defence Forces",)),
    ("Police said the suspects were shot dead.", (), ("Police",)),
    ("On Monday, gunmen killed five people, police said.", (), ("police",)),
    ("Gunmen killed five, the Kenya Red Cross said in a statement.", (), ("Kenya Red Cross",)),
    ("The rebels said they killed 10 soldiers, but the army said 2 died.", (),
     ("rebels", "army")),
]  # fmt: skip


@pytest.mark.parametrize(("sentence", "previous", "expected"), CASES)
def test_attribution(sentence: str, previous: tuple[str, ...], expected: tuple[str, ...]) -> None:
    assert extract_attribution(sentence, previous=previous) == expected


def test_no_source_gives_empty_tuple() -> None:
    assert extract_attribution("Warplanes struck the town.") == ()


def test_abbreviation_alone_is_kept() -> None:
    assert extract_attribution("SOHR said 12 fighters were killed.") == ("SOHR",)


@pytest.mark.parametrize(
    "sentence",
    [
        "said " * 20000,
        "according to " + "Aa " * 30000,
        "The group said, " * 6000,
        "x" * 100_000,
        "(" * 50_000 + "said",
    ],
)
def test_long_sentence_completes(sentence: str) -> None:
    # Guards against catastrophic regex backtracking (a hang); speed itself is for bench/.
    assert isinstance(extract_attribution(sentence, previous=OBSERVATORY), tuple)


_WORDS = st.sampled_from(
    [
        "according", "to", "the", "The", "group", "said", "told", "AFP", "citing", "local",
        "sources", ",", "(SOHR)", "Observatory", "he", "also", "revealed", "that", "were",
        "reported", "killed", "Police", "a", "spokesman",
    ]
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(words=st.lists(_WORDS, max_size=14), noise=st.text(max_size=20))
def test_fuzz_returns_clean_tuple(words: list[str], noise: str) -> None:
    result = extract_attribution(" ".join(words) + noise, previous=OBSERVATORY)
    assert isinstance(result, tuple)
    assert all(isinstance(source, str) and source.strip() == source and source for source in result)
    assert len({s.lower() for s in result}) == len(result)
    assert not any(source.lower().startswith("the ") for source in result)
