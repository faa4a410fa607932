"""Comment screening: learned TF-IDF heads plus lexicon rules, combined into scores and a decision.

How each score is made (learned head, lexicon rule or a combination) is set out in
docs/screen-model.md; the thresholds below are documented there too.
"""

from __future__ import annotations

import json
import math
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from sitrep.errors import ModelError
from sitrep.records import Decision, Screening
from sitrep.screen.features import (
    FloatArray,
    LinearHeads,
    TfidfSpace,
    char_wb_ngrams,
    decode_lines,
    normalise_text,
    word_ngrams,
)
from sitrep.screen.lexicon import Hit, Lexicon

ARTIFACT = "model.npz"
LABELS = ("toxicity", "severe_toxicity", "obscene", "threat", "insult", "identity_attack")
REVIEW_AT = 0.5
REMOVE_AT = 0.85
# Scores whose lexicon hits move the learned probability in logit space (weights chosen on
# validation by training/train_screen.py, kept in the artifact's metadata); the others take the
# maximum of the two: docs/screen-model.md, "What is learned and what is a rule".
BOOSTED = ("identity_attack", "obscene")
_EPS = 1e-6


def learned_identity(learned: dict[str, float], blend: float) -> float:
    """Return the learned identity-attack probability: the direct head, or a blend with the chain.

    The chain is P(toxic) x P(aimed at a group | toxic), from the ``identity_given_toxic`` head
    (trained on toxic rows only); ``blend`` is the chain's share, 0 for the direct head alone.
    """
    direct = learned["identity_attack"]
    if blend <= 0.0 or "identity_given_toxic" not in learned:
        return direct
    chain = learned["toxicity"] * learned["identity_given_toxic"]
    return (1.0 - blend) * direct + blend * chain


def boost(probability: float, lexical: float, weight: float | None) -> float:
    """Raise a learned probability by a lexicon score: ``sigmoid(logit(p) + weight * lexical)``.

    ``weight`` None keeps the older rule, ``max(p, lexical)``.
    """
    if weight is None:
        return max(probability, lexical)
    if lexical <= 0.0 or weight == 0.0:
        return probability
    p = min(max(probability, _EPS), 1.0 - _EPS)
    return float(1.0 / (1.0 + math.exp(-(math.log(p / (1.0 - p)) + weight * lexical))))


@dataclass(frozen=True)
class Model:
    """The learned part: two TF-IDF spaces feeding linear heads."""

    word: TfidfSpace
    char: TfidfSpace
    heads: LinearHeads
    version: str
    meta: dict[str, Any]

    @classmethod
    def read(cls, path: Path | None = None) -> Model:
        """Read the exported artifact (``.npz``; no pickle)."""
        try:
            if path is None:
                with resources.as_file(
                    resources.files("sitrep") / "data" / "screen" / ARTIFACT
                ) as shipped:
                    return cls._from_arrays(dict(np.load(shipped, allow_pickle=False)))
            return cls._from_arrays(dict(np.load(path, allow_pickle=False)))
        except (OSError, ValueError, KeyError, zipfile.BadZipFile) as e:
            raise ModelError(
                f"cannot load the screening model ({e}); rebuild it with "
                "training/train_screen.py or reinstall sitrep"
            ) from e

    @classmethod
    def _from_arrays(cls, arrays: dict[str, Any]) -> Model:
        meta = json.loads(arrays["meta"].tobytes().decode("utf-8"))
        word_low, word_high = meta["word_ngram_range"]
        char_low, char_high = meta["char_ngram_range"]
        word = TfidfSpace(
            vocabulary={g: i for i, g in enumerate(decode_lines(arrays["word_vocab"]))},
            idf=arrays["word_idf"],
            analyser=lambda t: word_ngrams(t, low=word_low, high=word_high),
            sublinear_tf=bool(meta["sublinear_tf"]),
        )
        char = TfidfSpace(
            vocabulary={g: i for i, g in enumerate(decode_lines(arrays["char_vocab"]))},
            idf=arrays["char_idf"],
            analyser=lambda t: char_wb_ngrams(t, low=char_low, high=char_high),
            sublinear_tf=bool(meta["sublinear_tf"]),
            per_word=True,  # char_wb pads each word apart: its n-grams are per word
        )
        heads = LinearHeads(
            names=tuple(decode_lines(arrays["heads"])),
            coef=arrays["coef"],
            intercept=arrays["intercept"],
        )
        if heads.coef.shape != (len(heads.names), len(word.idf) + len(char.idf)):
            raise ValueError(f"coefficient shape {heads.coef.shape} does not fit the vocabularies")
        return cls(word=word, char=char, heads=heads, version=str(meta["version"]), meta=meta)

    def predict(self, texts: Sequence[str]) -> dict[str, FloatArray]:
        """Return each learned head's probabilities for raw texts."""
        normalised = [normalise_text(t) for t in texts]
        word = self.word.transform(normalised)
        char = self.char.transform(normalised)
        # The heads are linear: each space's rows against its own slice of the coefficients.
        probs = self.heads.predict_parts([word, char])
        return {name: probs[:, i] for i, name in enumerate(self.heads.names)}


@lru_cache(maxsize=4)
def _load_parts(path: Path | None) -> tuple[Model, Lexicon]:
    lexicon_path = None
    if path is not None and (path.parent / "lexicon.json").is_file():
        lexicon_path = path.parent / "lexicon.json"
    return Model.read(path), Lexicon.load(lexicon_path)


class Screener:
    """Scores reader comments and puts each in the moderation queue (ok / review / remove)."""

    def __init__(
        self,
        model: Model,
        lexicon: Lexicon,
        *,
        review_at: float = REVIEW_AT,
        remove_at: float = REMOVE_AT,
    ) -> None:
        """Combine a learned model and a lexicon.

        Args:
            review_at: toxicity, identity_attack or threat at or above this → "review"; so does
                any lexicon hit of medium or high severity.
            remove_at: toxicity or severe_toxicity at or above this → "remove"; so does any
                high-severity identity-attack or threat hit.
        """
        if not 0.0 < review_at <= remove_at <= 1.0:
            raise ValueError(f"need 0 < review_at <= remove_at <= 1, got {review_at}, {remove_at}")
        self.model = model
        self.lexicon = lexicon
        self.review_at = review_at
        self.remove_at = remove_at
        self.version = f"{model.version}+lexicon-{lexicon.version}"
        combine = model.meta.get("combine", {})
        self.identity_blend = float(combine.get("identity_blend", 0.0))
        weights = combine.get("lexicon_logit_weight", {})
        self.lexicon_weight: dict[str, float | None] = {
            label: (None if weights.get(label) is None else float(weights[label]))
            for label in BOOSTED
        }

    @classmethod
    def load(
        cls,
        path: Path | None = None,
        *,
        review_at: float = REVIEW_AT,
        remove_at: float = REMOVE_AT,
    ) -> Screener:
        """Load the shipped artifact (or ``path``, a ``model.npz``) once per process.

        A ``lexicon.json`` beside ``path`` is used instead of the shipped lexicon.
        """
        model, lexicon = _load_parts(path)
        return cls(model, lexicon, review_at=review_at, remove_at=remove_at)

    def screen(self, text: str) -> Screening:
        """Screen one comment."""
        return self.screen_many([text])[0]

    def screen_many(self, texts: Iterable[str]) -> list[Screening]:
        """Screen comments in one vectorised pass of the learned model."""
        batch = list(texts)
        if not batch:
            return []
        learned = self.model.predict(batch)
        return [
            self._combine({k: float(v[i]) for k, v in learned.items()}, self.lexicon.find(text))
            for i, text in enumerate(batch)
        ]

    def _combine(self, learned: dict[str, float], hits: Sequence[Hit]) -> Screening:
        """Merge learned probabilities and lexicon hits into scores and a decision."""
        severity = self.lexicon.severity_scores
        lexical = {label: 0.0 for label in ("obscene", "insult", "identity_attack", "threat")}
        for hit in hits:
            lexical[hit.label] = max(lexical[hit.label], severity[hit.severity])
        toxicity = max(learned["toxicity"], *lexical.values())
        insult = max(learned["insult"], lexical["insult"])
        identity = boost(
            learned_identity(learned, self.identity_blend),
            lexical["identity_attack"],
            self.lexicon_weight["identity_attack"],
        )
        obscene = boost(learned["obscene"], lexical["obscene"], self.lexicon_weight["obscene"])
        threat = lexical["threat"]
        # severe = hateful, threatening, or a profane insult: docs/screen-model.md
        counted_threat = threat if threat >= severity["medium"] else 0.0
        severe = max(min(toxicity, identity), counted_threat, min(toxicity, obscene, insult))
        scores = {
            "toxicity": toxicity,
            "severe_toxicity": severe,
            "obscene": obscene,
            "threat": threat,
            "insult": insult,
            "identity_attack": identity,
        }
        return Screening(
            scores=tuple((label, round(scores[label], 4)) for label in LABELS),
            spans=tuple((h.label, h.start, h.end, h.text) for h in hits),
            decision=self._decide(scores, hits),
            model=self.version,
        )

    def _decide(self, scores: dict[str, float], hits: Sequence[Hit]) -> Decision:
        grave = any(h.severity == "high" and h.label in ("identity_attack", "threat") for h in hits)
        if grave or max(scores["toxicity"], scores["severe_toxicity"]) >= self.remove_at:
            return Decision.REMOVE
        flagged = any(h.severity in ("medium", "high") for h in hits)
        top = max(scores["toxicity"], scores["identity_attack"], scores["threat"])
        if flagged or top >= self.review_at:
            return Decision.REVIEW
        return Decision.OK
