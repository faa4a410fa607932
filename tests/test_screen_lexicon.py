"""Lexicon rules: obfuscated profanity, coded slurs, threats, spans on the original text."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sitrep.screen.lexicon import Hit, Lexicon


@pytest.fixture(scope="module")
def lexicon() -> Lexicon:
    return Lexicon.load()


def _hits(lexicon: Lexicon, text: str) -> list[Hit]:
    return [h for h in lexicon.find(text) if h.severity != "low"]


@pytest.mark.parametrize(
    ("text", "trigger", "label"),
    [
        ("What the f*ck is this", "f*ck", "obscene"),
        ("the f**king government", "f**king", "obscene"),
        ("you f'king liars", "f'king", "obscene"),
        ("you f\u2019king liars", "f\u2019king", "obscene"),
        ("fuking clowns", "fuking", "obscene"),
        ("what a load of sh1t", "sh1t", "obscene"),
        ("total $hit show", "$hit", "obscene"),
        ("FUUUUCK this", "FUUUUCK", "obscene"),
        ("f.u.c.k them", "f.u.c.k", "obscene"),
        ("these mother fuckers again", "mother fuckers", "obscene"),
        ("a bunch of a$$holes", "a$$holes", "obscene"),
        ("shut up b1tch", "b1tch", "obscene"),
        ("typical libtard take", "libtard", "insult"),
        ("shut up cuck", "cuck", "insult"),
        ("defending this cuckold", "cuckold", "insult"),
        ("the Israhell lobby", "Israhell", "identity_attack"),
        ("their israhellI agenda", "israhellI", "identity_attack"),
        ("welcome to Amerikkka", "Amerikkka", "identity_attack"),
        ("Islamonazis everywhere", "Islamonazis", "identity_attack"),
        ("what a moron", "moron", "insult"),
    ],
)
def test_finds_obfuscated_triggers_with_original_spans(
    lexicon: Lexicon, text: str, trigger: str, label: str
) -> None:
    hits = _hits(lexicon, text)
    assert any(h.label == label for h in hits), hits
    hit = next(h for h in hits if h.label == label)
    assert (hit.start, hit.end) == (text.index(trigger), text.index(trigger) + len(trigger))
    assert text[hit.start : hit.end] == hit.text == trigger


@pytest.mark.parametrize(
    "text",
    [
        "Democrats and Republicans met in Washington.",
        "Israeli and Palestinian officials held talks.",
        "Add mustard to the sauce and assess the taste.",
        "The Shiite militia took the site of the old hospital.",
        "They sat on the bench by the beach.",
        "Russians, Americans and Ukrainians were at the summit.",
        "The Cocker spaniel won the show, as the assessor said.",
        "Liberals, libertarians and Liberia.",
        "The Scunthorpe and Penistone councils met.",
    ],
)
def test_ordinary_words_are_not_hits(lexicon: Lexicon, text: str) -> None:
    assert _hits(lexicon, text) == []


@pytest.mark.parametrize(
    "text",
    [
        "I will kill you",
        "I'm gonna kill you and your family",
        "Ill shoot you if you come back",
        "These traitors should be shot.",
        "They should all be hanged.",
        "Someone should hang him.",
        "Hang them all.",
        "kill yourself",
        "I hope you die slowly",
        "We know where you live.",
        "You will be killed.",
    ],
)
def test_threats_directed_at_people(lexicon: Lexicon, text: str) -> None:
    assert any(h.label == "threat" for h in _hits(lexicon, text)), lexicon.find(text)


@pytest.mark.parametrize(
    "text",
    [
        "Coalition strikes killed 12 fighters near the border.",
        "The militants threatened to kill the hostages unless a ransom was paid.",
        "Soldiers shot dead three gunmen who attacked the checkpoint.",
        "The court sentenced him to be hanged for the 2009 bombing.",
        "Two men were executed in the town square, residents said.",
        "We will beat them at the polls in November.",
        "We will execute the plan as agreed.",
        "The army vowed to hunt down the attackers.",
    ],
)
def test_reporting_violence_is_not_a_threat(lexicon: Lexicon, text: str) -> None:
    assert not any(h.label == "threat" for h in _hits(lexicon, text)), lexicon.find(text)


def test_quoted_threat_in_reporting_is_low(lexicon: Lexicon) -> None:
    text = "\u201cWe will kill all the infidels,\u201d the group said in a statement."
    threats = [h for h in lexicon.find(text) if h.label == "threat"]
    assert threats and all(h.severity == "low" for h in threats)
    assert threats[0].rule.endswith(":reported")


def test_unquoted_kill_all_is_incitement(lexicon: Lexicon) -> None:
    # docs/screen-model.md: an imperative "kill all the X" in a comment is flagged (medium).
    hits = [h for h in lexicon.find("Kill all the terrorists.") if h.label == "threat"]
    assert [h.severity for h in hits] == ["medium"]


def test_overlapping_hits_of_one_label_are_merged(lexicon: Lexicon) -> None:
    hits = lexicon.find("motherfuckers")
    assert len([h for h in hits if h.label == "obscene"]) == 1


def test_normalise_keeps_original_spans(lexicon: Lexicon) -> None:
    text = "Sh1t..F*CK, ok"
    norm = lexicon.normalise(text)
    assert norm.text == "shit . fuck , ok"
    start = norm.text.index("fuck")
    assert norm.span(start, start + 4) == (6, 10)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=120))
def test_spans_always_point_into_the_original(text: str) -> None:
    lexicon = Lexicon.load()
    for hit in lexicon.find(text):
        assert 0 <= hit.start < hit.end <= len(text)
        assert text[hit.start : hit.end] == hit.text


@settings(max_examples=100, deadline=None)
@given(
    st.sampled_from(["fuck", "shit", "bitch", "asshole", "moron"]),
    st.lists(st.sampled_from(["*", ".", "'"]), min_size=0, max_size=1),
    st.text(alphabet="abc ", max_size=10),
)
def test_profanity_found_inside_any_context(word: str, mask: list[str], context: str) -> None:
    lexicon = Lexicon.load()
    token = word if not mask or mask[0] != "*" else word[0] + "*" + word[2:]
    text = f"{context} {token} {context}"
    assert any(h.text == token for h in lexicon.find(text))


# ── the prefilter (cheap literal cues) must never change what is found ──────────────────

_PIECES = st.sampled_from(
    [
        "fuck", "f*ck", "fuuuck", "f u c k", "sh1t", "s.h.i.t", "moron", "libtard", "israhell",
        "amerikkka", "I will kill you", "we will execute the plan", "hang them", "they should",
        "be shot", "hope you die", "kys", "you're dead meat", "I know where you live", "the",
        "soldiers", "killed", "12", "fighters", "said", '"', "'", ",", ".", "!", " ", "\n", "é",
        "’", "mother", "fuckers", "ass", "assess", "hell", "nazi", "islamo", "rats", "demo",
    ]
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, max_size=25).map(" ".join) | st.text(max_size=80))
def test_prefilter_finds_exactly_what_every_rule_finds(text: str) -> None:
    fast = Lexicon.load()
    slow = Lexicon(fast.spec, prefilter=False)
    assert fast.find(text) == slow.find(text)


def test_threat_cues_cover_every_violent_slot_word(lexicon: Lexicon) -> None:
    cues = lexicon.spec["threat_cues"]
    for slot in ("V", "V2", "VPP"):
        for word in lexicon.spec["threat_slots"][slot].split("|"):
            assert any(cue in word for cue in cues), (slot, word)
    for rule in lexicon.spec["threats"]:
        pattern = rule["pattern"]
        uses_slot = any(f"{{{s}}}" in pattern for s in ("ACT", "V", "V2", "VPP"))
        assert uses_slot or any(cue in pattern for cue in cues), rule["name"]
