"""Dependency-parse helpers: a trigger's head, noun phrases, clauses, voice, agents, sources."""

from __future__ import annotations

from typing import Any

_ACTOR_LABELS = frozenset({"ORG", "NORP", "PERSON"})
# Prepositional phrases that place or time an actor are not part of its name.
_LOCATIVE_PREPS = frozenset(
    {
        "in",
        "near",
        "at",
        "outside",
        "around",
        "during",
        "after",
        "before",
        "across",
        "into",
        "inside",
        "along",
        "within",
    }
)
_SOURCE_VERBS = frozenset(
    {"say", "report", "tell", "reveal", "announce", "state", "add", "confirm", "claim", "accord"}
)
# Verbs of speaking of, judging or looking into an event: their subject did not do it
# ("Police are investigating the killing", "The governor condemned the attack"). The events
# they act on are told before (non_events.reaction_to_told_event adds verbs whose subject may
# have acted, "responded to the attack").
_REACTION_LEMMAS = frozenset(
    {"investigate", "probe", "condemn", "denounce", "describe", "witness", "blame", "mourn"}
    | {"decry", "criticise", "criticize", "term", "discuss", "examine", "inspect", "deplore"}
    | {"document", "regret", "recall"}
)
_CAUSE_MARKS = frozenset({"after", "because", "since", "following", "over", "against", "as"})


def _span_head(sent: Any, start: int, end: int) -> Any:
    """The syntactic head of a trigger's words: "device" of "improvised explosive device"."""
    first = _token_at(sent, start)
    if first is None:
        return None
    base = sent.start_char
    inside = [t for t in sent if start <= t.idx - base < end] or [first]
    ids = {t.i for t in inside}
    heads = [t for t in inside if t.head.i not in ids or t.head.i == t.i]
    head = heads[0] if len(heads) == 1 else first
    # "Mortar rounds fired by X", "IED attack": the phrase's head noun carries the event.
    if head.dep_ == "compound" and head.head.pos_ in {"NOUN", "PROPN"}:
        return head.head
    return head


def _token_at(sent: Any, char: int) -> Any:
    for token in sent:
        rel = token.idx - sent.start_char
        if rel <= char < rel + len(token.text) or rel >= char:
            return token
    return None


def _np(token: Any, *, no_conj: bool = False) -> str:
    """The text of a token's noun phrase (its subtree, without relative clauses)."""
    skip_deps = {"relcl", "acl", "punct", "cc"} | ({"conj"} if no_conj else set())
    words = [token]
    stack = [
        c
        for c in token.children
        if c.dep_ not in skip_deps and not (c.dep_ == "prep" and c.lower_ in _LOCATIVE_PREPS)
    ]
    while stack:
        child = stack.pop()
        words.append(child)
        stack.extend(c for c in child.children if c.dep_ not in {"relcl", "acl"})
    words.sort(key=lambda t: t.i)
    start, end = words[0].idx, words[-1].idx + len(words[-1].text)
    doc_text: str = token.doc.text
    return doc_text[start:end]


def _clause_span(verb: Any, token: Any) -> tuple[int, int]:
    """Sentence-relative character span of a clause without its subordinate clauses."""
    base = token.sent.start_char
    words = {t.i for t in verb.subtree}
    for child in verb.children:
        if child.dep_ in {"advcl", "relcl", "ccomp", "acl", "parataxis"}:
            sub = {t.i for t in child.subtree}
            if token.i not in sub:
                words -= sub
    kept = sorted(words)
    first, last = token.doc[kept[0]], token.doc[kept[-1]]
    return first.idx - base, last.idx + len(last.text) - base


def _looks_like_actor(token: Any) -> bool:
    """An unknown phrase is an actor only if its head is a named group (ORG/NORP/PERSON)."""
    if token.ent_type_ in _ACTOR_LABELS:
        return True
    return any(
        c.ent_type_ in {"ORG", "NORP"} and c.dep_ in {"compound", "amod"} for c in token.children
    )


def _shared_head(token: Any) -> list[str]:
    """Two names that share one head noun: "the Ogiek and Kipsigis communities" →
    ["Ogiek communities", "Kipsigis communities"]; [] when the phrase is no such pair."""
    if token.pos_ != "NOUN":
        return []
    for child in token.lefts:
        if child.dep_ not in {"nmod", "compound", "amod"} or child.pos_ != "PROPN":
            continue
        conj = [c for c in child.children if c.dep_ == "conj" and c.pos_ == "PROPN"]
        if conj:
            names = [
                " ".join([*(t.text for t in n.lefts if t.dep_ == "compound"), n.text])
                for n in (child, conj[0])
            ]
            return [f"{name} {token.text}" for name in names]
    return []


def _source_spans(sent: Any, *, claims: bool = True) -> list[tuple[int, int]]:
    """Character spans (sentence-relative) of cited sources: "according to X", "X said".

    Args:
        claims: count "X claimed" as a source; False where a claim names the perpetrator
            ("Al Shabaab claimed responsibility").
    """
    spans: list[tuple[int, int]] = []
    base = sent.start_char
    verbs = _SOURCE_VERBS if claims else _SOURCE_VERBS - {"claim"}
    for token in sent:
        if token.lemma_ in _REACTION_LEMMAS and token.pos_ == "VERB":
            spans.extend(
                _subtree_span(child, base) for child in token.children if child.dep_ == "nsubj"
            )
            continue
        if token.lemma_ == "accord" or (
            token.lemma_ in verbs and token.dep_ in {"ROOT", "parataxis", "ccomp"}
        ):
            spans.extend(
                _subtree_span(child, base)
                for child in token.children
                if child.dep_ in {"nsubj", "prep"}
            )
    return spans


def _subtree_span(token: Any, base: int) -> tuple[int, int]:
    """The character span of a token's subtree, relative to ``base`` (the sentence's start)."""
    sub = list(token.subtree)
    return sub[0].idx - base, sub[-1].idx + len(sub[-1].text) - base


def _without_sources(sent: Any, *, claims: bool = True) -> str:
    """A sentence's text with its cited sources blanked out ("police said" is no actor)."""
    text: str = sent.text
    for start, end in _source_spans(sent, claims=claims):
        text = text[:start] + " " * (end - start) + text[end:]
    return text


def _victim_phrases(token: Any) -> list[Any]:
    """The phrases a casualty word names as its victims (see ``RoleReader._victims``)."""
    out = [c for c in token.children if c.dep_ == "nsubjpass"]
    if token.lemma_ == "die":
        out += [c for c in token.children if c.dep_ == "nsubj"]
    if token.dep_ in {"attr", "acomp", "oprd"}:
        # "Two policemen were ... shot dead": the small model hangs "shot" on "were".
        out += [c for c in token.head.children if c.dep_ in {"nsubj", "nsubjpass"}]
    if token.dep_ == "acl" and token.tag_ == "VBN":
        out.append(token.head)  # "a police officer killed in a shoot-out"
    if token.dep_ == "conj" and token.tag_ == "VBN":
        # "Two gunmen and a police officer killed": the participle's own subject.
        out += [c for c in token.head.children if c.dep_ in {"nsubj", "nsubjpass"}]
    return out


def _passive(token: Any) -> bool:
    """True when a verb is passive: "was burnt", "stalls destroyed by", "attacked and injured"."""
    if any(c.dep_ in {"auxpass", "agent"} for c in token.children):
        return True
    if token.tag_ == "VBN" and not any(c.dep_ == "aux" for c in token.children):
        if token.dep_ in {"acl", "amod", "oprd", "ccomp", "xcomp", "advcl"}:
            return True
        if token.dep_ == "conj":
            return _passive(token.head)
    return False


def _told_as_cause(token: Any) -> bool:
    """True when a verb sits in a phrase that says why or after what ("after X was killed",
    "protest against a campaign to destroy homes")."""
    return any(
        a.dep_ in {"mark", "prep"} and a.lower_ in _CAUSE_MARKS for a in (token, *token.ancestors)
    ) or any(c.dep_ == "mark" and c.lower_ in _CAUSE_MARKS for c in token.children)


def _agents(token: Any) -> list[Any]:
    """Who does what a trigger verb tells: its active subject or its passive "by" agent."""
    verbs = [token]
    if token.dep_ in {"conj", "xcomp"}:
        verbs.append(token.head)  # "attacked and injured", "tried to raid": its subject
    out: list[Any] = []
    for verb in verbs:
        if verb.pos_ not in {"VERB", "AUX"}:
            continue
        passive = _passive(verb)
        for child in verb.children:
            if child.dep_ == "nsubj" and not passive:
                out.append(child)
            elif child.dep_ == "agent":
                out += [c for c in child.children if c.dep_ == "pobj"]
    return out


def _clause_verb(token: Any) -> Any:
    """The verb of the clause a token belongs to (the token itself when it is one)."""
    node = token
    for _ in range(6):
        if node.pos_ in {"VERB", "AUX"}:
            return node
        if node.head.i == node.i:
            break
        node = node.head
    return None
