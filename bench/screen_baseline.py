"""Frozen copy of sitrep.screen's featurisation and lexicon BEFORE the throughput work (2026-11).

The baseline of bench/screen_throughput.py: the per-text Counter TF-IDF, the per-row stacking and
``np.add.at`` heads of features.py, and lexicon.py's per-character folding with every rule run on
every text. Kept verbatim (less imports) so the before/after ratio is measured in one run; not
used by sitrep itself. ``baseline_screener()`` builds a Screener on these parts.
"""

from __future__ import annotations

import html
import json
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from sitrep.errors import ModelError

FloatArray = npt.NDArray[np.float32]
IntArray = npt.NDArray[np.int64]

# scikit-learn's default token_pattern.
_TOKEN = re.compile(r"(?u)\b\w\w+\b")
_WHITE_SPACES = re.compile(r"\s\s+")
_URL = re.compile(r"(?:https?://|www\.)\S+|\bURL\b")
# Tweet furniture that comments do not have: @handles, "RT", the "@USER" placeholder of OLID.
_HANDLE = re.compile(r"@\w+")
_RETWEET = re.compile(r"\bRT\b")
_HASH = re.compile(r"#(\w)")


def normalise_text(text: str) -> str:
    """Return the text as the learned model sees it: unescaped, lower-cased, no tweet furniture.

    Used as scikit-learn's ``preprocessor`` at training time and here at inference time, so the
    two stay identical by construction.
    """
    text = html.unescape(text)
    text = _URL.sub(" ", text)
    text = _HANDLE.sub(" ", text)
    text = _RETWEET.sub(" ", text)
    text = _HASH.sub(r"\1", text)
    return text.lower()


def word_ngrams(text: str, *, low: int = 1, high: int = 2) -> list[str]:
    """Return the word n-grams of a normalised text, in scikit-learn's order."""
    tokens = _TOKEN.findall(text)
    grams = list(tokens) if low == 1 else []
    start = max(low, 2)
    for n in range(start, min(high + 1, len(tokens) + 1)):
        grams.extend(" ".join(tokens[i : i + n]) for i in range(len(tokens) - n + 1))
    return grams


def char_wb_ngrams(text: str, *, low: int = 2, high: int = 5) -> list[str]:
    """Return the character n-grams inside word boundaries, padded with spaces (``char_wb``)."""
    text = _WHITE_SPACES.sub(" ", text)
    grams: list[str] = []
    for word in text.split():
        padded = f" {word} "
        length = len(padded)
        for n in range(low, high + 1):
            offset = 0
            grams.append(padded[offset : offset + n])
            while offset + n < length:
                offset += 1
                grams.append(padded[offset : offset + n])
            if offset == 0:  # a short word is counted once, as scikit-learn does
                break
    return grams


@dataclass(frozen=True)
class SparseRows:
    """A CSR matrix without scipy: row ``i`` is ``indices/data[indptr[i]:indptr[i+1]]``."""

    indptr: IntArray
    indices: IntArray
    data: FloatArray
    width: int

    def to_dense(self) -> FloatArray:
        """Return the rows as a dense matrix (for tests and small batches)."""
        rows = len(self.indptr) - 1
        dense = np.zeros((rows, self.width), dtype=np.float32)
        for row in range(rows):
            lo, hi = self.indptr[row], self.indptr[row + 1]
            dense[row, self.indices[lo:hi]] = self.data[lo:hi]
        return dense


@dataclass(frozen=True)
class TfidfSpace:
    """One fitted TF-IDF vectoriser: vocabulary, idf weights and the analyser that feeds them."""

    vocabulary: dict[str, int]
    idf: FloatArray
    analyser: Callable[[str], list[str]]
    sublinear_tf: bool = True

    def transform(self, texts: Sequence[str]) -> SparseRows:
        """Return the l2-normalised TF-IDF rows of already normalised texts."""
        indptr = [0]
        indices: list[int] = []
        data: list[float] = []
        for text in texts:
            counts = Counter(
                self.vocabulary[g] for g in self.analyser(text) if g in self.vocabulary
            )
            columns = np.fromiter(sorted(counts), dtype=np.int64, count=len(counts))
            tf = np.array([counts[c] for c in columns], dtype=np.float64)
            if self.sublinear_tf:
                tf = np.log(tf) + 1.0
            weights = tf * self.idf[columns].astype(np.float64)
            norm = float(np.sqrt(np.dot(weights, weights)))
            if norm > 0.0:
                weights /= norm
            indices.extend(columns.tolist())
            data.extend(weights.tolist())
            indptr.append(len(indices))
        return SparseRows(
            indptr=np.asarray(indptr, dtype=np.int64),
            indices=np.asarray(indices, dtype=np.int64),
            data=np.asarray(data, dtype=np.float32),
            width=len(self.idf),
        )


def stack_columns(parts: Sequence[SparseRows]) -> SparseRows:
    """Concatenate row-aligned sparse matrices side by side (scikit-learn's ``FeatureUnion``)."""
    rows = len(parts[0].indptr) - 1
    indptr = [0]
    indices: list[IntArray] = []
    data: list[FloatArray] = []
    for row in range(rows):
        offset = 0
        count = 0
        for part in parts:
            lo, hi = part.indptr[row], part.indptr[row + 1]
            indices.append(part.indices[lo:hi] + offset)
            data.append(part.data[lo:hi])
            offset += part.width
            count += int(hi - lo)
        indptr.append(indptr[-1] + count)
    return SparseRows(
        indptr=np.asarray(indptr, dtype=np.int64),
        indices=np.concatenate(indices) if indices else np.zeros(0, dtype=np.int64),
        data=np.concatenate(data) if data else np.zeros(0, dtype=np.float32),
        width=sum(p.width for p in parts),
    )


@dataclass(frozen=True)
class LinearHeads:
    """Logistic-regression heads sharing one feature space: ``sigmoid(X @ coef.T + intercept)``."""

    names: tuple[str, ...]
    coef: FloatArray  # (heads, features)
    intercept: FloatArray  # (heads,)

    def predict(self, rows: SparseRows) -> FloatArray:
        """Return the probability of each head for each row, shape (rows, heads)."""
        n_rows = len(rows.indptr) - 1
        logits = np.tile(self.intercept.astype(np.float64), (n_rows, 1))
        if len(rows.indices):
            # Each stored value times its column's coefficients, summed per row.
            contrib = self.coef[:, rows.indices].T.astype(np.float64) * rows.data[:, None]
            row_of = np.repeat(np.arange(n_rows), np.diff(rows.indptr))
            np.add.at(logits, row_of, contrib)
        probs: FloatArray = (1.0 / (1.0 + np.exp(-logits))).astype(np.float32)
        return probs


def decode_lines(blob: npt.NDArray[np.uint8]) -> list[str]:
    """Return the newline-separated UTF-8 strings stored as a byte array in the artifact."""
    text = blob.tobytes().decode("utf-8")
    return text.split("\n") if text else []


def encode_lines(lines: Iterable[str]) -> npt.NDArray[np.uint8]:
    """Return strings as a newline-separated UTF-8 byte array (no pickle needed to load it)."""
    return np.frombuffer("\n".join(lines).encode("utf-8"), dtype=np.uint8).copy()


SEVERITIES = ("low", "medium", "high")

_LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a",
                       "$": "s", "!": "i", "|": "i", "+": "t"})  # fmt: skip
_MASKS = "*#%"
_QUOTES = {"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'", "\u201c": '"', "\u201d": '"'}
# A token: letters, digits and the symbols people put inside words to dodge filters.
_LEX_TOKEN = re.compile(r"[a-z0-9@$*#%'_!|+]+")
_EDGE = "'_!|+*#%"
# Single characters spaced or dotted apart ("f u c k", "s.h.i.t"): joined before tokenising.
_SPACED = re.compile(r"(?<![a-z0-9@$*'])(?:[a-z@$*][ .\-_]){2,}[a-z@$*](?![a-z0-9@$*'])")
_SENTENCE_GAP = re.compile(r"[.!?;:\n]")
_BOUND_LEFT = r"(?<![a-z0-9*])"
_BOUND_RIGHT = r"(?![a-z0-9*])"


@dataclass(frozen=True)
class Hit:
    """One lexicon hit: its label, severity, the rule that fired and its span in the original."""

    label: str  # obscene | insult | identity_attack | threat
    severity: str  # low | medium | high
    start: int
    end: int
    text: str
    rule: str


@dataclass(frozen=True)
class NormalisedText:
    """Matching text plus, for each of its characters, the original span it came from."""

    text: str
    starts: tuple[int, ...]
    ends: tuple[int, ...]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Return the original (start, end) of the normalised slice ``[start:end]``."""
        return self.starts[start], self.ends[end - 1]


def _fold(text: str) -> tuple[str, list[int]]:
    """Lower-case, strip accents and unify quotes, keeping each output char's original index."""
    chars: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        char = _QUOTES.get(char, char)
        decomposed = unicodedata.normalize("NFKD", char)
        for piece in decomposed:
            if unicodedata.combining(piece):
                continue
            for lowered in piece.lower():
                chars.append(lowered)
                origin.append(index)
    return "".join(chars), origin


def _join_spaced(folded: str, origin: list[int]) -> tuple[str, list[int]]:
    """Drop the separators of letters spaced or dotted apart ("f.u.c.k" -> "fuck")."""
    drop: set[int] = set()
    for match in _SPACED.finditer(folded):
        drop.update(i for i in range(match.start(), match.end()) if folded[i] in " .-_")
    if not drop:
        return folded, origin
    kept = [i for i in range(len(folded)) if i not in drop]
    return "".join(folded[i] for i in kept), [origin[i] for i in kept]


def _word_regex(word: str) -> str:
    """Return a regex for a lexicon word: a letter may be stretched ("fuuuck"), a space dropped.

    A single letter matches once or three and more times, a doubled one twice or more, so that
    stretching is caught while "asses" does not match "assess".
    """
    parts = []
    for run in re.finditer(r"(.)\1*", word):
        char, length = run.group(1), len(run.group())
        if char == " ":
            parts.append("[ ]?")
        elif length == 1:
            parts.append(f"(?:{re.escape(char)}|{re.escape(char)}{{3,}})")
        else:
            parts.append(f"{re.escape(char)}{{{length},}}")
    return "".join(parts)


@dataclass(frozen=True)
class _Rule:
    label: str
    severity: str
    name: str
    regex: re.Pattern[str]


class Lexicon:
    """The compiled lexicon: word lists, variant patterns, coded-slur splicing and threat rules."""

    def __init__(self, spec: dict[str, Any]) -> None:
        """Compile a lexicon specification (the JSON of ``lexicon.json``)."""
        self.spec = spec
        self.version: str = str(spec["version"])
        self.severity_scores: dict[str, float] = {
            k: float(v) for k, v in spec["severity_scores"].items()
        }
        self._not_words = frozenset(spec.get("not_words", ()))

    @classmethod
    def load(cls, path: Path | None = None) -> Lexicon:
        """Load the shipped lexicon, or the one at ``path``."""
        try:
            if path is None:
                raw = (resources.files("sitrep") / "data" / "screen" / "lexicon.json").read_text(
                    encoding="utf-8"
                )
            else:
                raw = path.read_text(encoding="utf-8")
            return cls(json.loads(raw))
        except (OSError, ValueError, KeyError) as e:
            raise ModelError(
                f"cannot load the screening lexicon ({e}); reinstall sitrep or pass a valid path"
            ) from e

    @cached_property
    def _word_rules(self) -> tuple[_Rule, ...]:
        rules = []
        for group in self.spec["words"]:
            words = sorted(group["words"], key=len, reverse=True)
            suffixes = sorted(group["suffixes"], key=len, reverse=True)
            body = "|".join(_word_regex(w) for w in words)
            ending = f"(?:{'|'.join(map(re.escape, suffixes))})?" if suffixes else ""
            pattern = f"{_BOUND_LEFT}(?:{body}){ending}{_BOUND_RIGHT}"
            name = f"words:{group['label']}:{group['severity']}"
            rules.append(_Rule(group["label"], group["severity"], name, re.compile(pattern)))
        for item in self.spec["patterns"]:
            pattern = f"{_BOUND_LEFT}(?:{item['pattern']}){_BOUND_RIGHT}"
            rules.append(_Rule(item["label"], item["severity"], item["name"], re.compile(pattern)))
        return tuple(rules)

    @cached_property
    def _threat_rules(self) -> tuple[_Rule, ...]:
        slots = dict(self.spec["threat_slots"])
        slots["ACT"] = "(?:(?:{V}) (?:{T})|(?:{V2}) (?:{TP}))".format(**slots)
        rules = []
        for item in self.spec["threats"]:
            pattern = item["pattern"]
            for key, value in slots.items():
                pattern = pattern.replace("{" + key + "}", value)
            rules.append(_Rule("threat", item["severity"], item["name"], re.compile(pattern)))
        return tuple(rules)

    @cached_property
    def _splice(self) -> tuple[re.Pattern[str], dict[str, str]]:
        spec = self.spec["splice"]
        insults = "|".join(sorted(map(re.escape, spec["insults"]), key=len, reverse=True))
        endings = "|".join(sorted(map(re.escape, spec["endings"]), key=len, reverse=True))
        label_of: dict[str, str] = {}
        prefixes: set[str] = set()
        for label, groups in spec["groups"].items():
            for group in groups:
                for k in range(spec["min_prefix"], len(group) + 1):
                    prefixes.add(group[:k])
                    label_of.setdefault(group[:k], label)
        # Shorter stems only where they are the usual clipped forms ("lib" of "liberal").
        for prefix, label in spec.get("short_prefixes", {}).items():
            prefixes.add(prefix)
            label_of.setdefault(prefix, label)
        body = "|".join(sorted(map(re.escape, prefixes), key=len, reverse=True))
        splice = rf"(?P<prefix>{body})(?:o)?(?P<insult>{insults})(?:{endings})"
        pattern = f"{_BOUND_LEFT}{splice}{_BOUND_RIGHT}"
        return re.compile(pattern), label_of

    @cached_property
    def _group_words(self) -> tuple[str, ...]:
        groups = self.spec["splice"]["groups"]
        return tuple(sorted({g for names in groups.values() for g in names}, key=len))

    @cached_property
    def _mask_forms(self) -> tuple[str, ...]:
        forms: list[str] = []
        for group in self.spec["words"]:
            for word in group["words"]:
                if " " in word:
                    continue
                forms.append(word)
                forms.extend(word + s for s in group["suffixes"])
        return tuple(forms)

    @cached_property
    def reporting(self) -> re.Pattern[str]:
        """The regex of reporting words that mark a threat as reported speech."""
        return re.compile(self.spec["reporting"])

    def normalise(self, text: str) -> NormalisedText:
        """Return the matching form of ``text`` with the original span of every character."""
        folded, origin = _fold(text)
        folded, origin = _join_spaced(folded, origin)
        out: list[str] = []
        starts: list[int] = []
        ends: list[int] = []
        previous_end: int | None = None
        for match in _LEX_TOKEN.finditer(folded):
            lo, hi = match.start(), match.end()
            while lo < hi and folded[lo] in _EDGE:
                lo += 1
            while hi > lo and folded[hi - 1] in _EDGE:
                hi -= 1
            if lo == hi:
                continue
            chars, char_origin = self._normalise_token(folded[lo:hi], origin[lo:hi])
            if not chars:
                continue
            if previous_end is not None:
                gap = folded[previous_end:lo]
                sep = " . " if _SENTENCE_GAP.search(gap) else " , " if "," in gap else " "
                anchor = origin[previous_end - 1]
                out.append(sep)
                starts.extend([anchor] * len(sep))
                ends.extend([anchor + 1] * len(sep))
            out.append(chars)
            starts.extend(char_origin)
            ends.extend(i + 1 for i in char_origin)
            previous_end = hi
        return NormalisedText("".join(out), tuple(starts), tuple(ends))

    def _normalise_token(self, token: str, origin: Sequence[int]) -> tuple[str, list[int]]:
        """Undo leetspeak, masks and inserted apostrophes in one token."""
        if not any("a" <= c <= "z" for c in token):
            kept = [(c, o) for c, o in zip(token, origin, strict=True) if c.isdigit()]
            return "".join(c for c, _ in kept), [o for _, o in kept]
        mapped = token.translate(_LEET)
        kept = [(c, o) for c, o in zip(mapped, origin, strict=True) if c not in "'_"]
        chars = "".join("*" if c in _MASKS else c for c, _ in kept)
        char_origin = [o for _, o in kept]
        if "*" in chars:
            resolved = self._resolve_mask(chars)
            if resolved is not None:
                # The resolved word stands for the whole masked token.
                return resolved, [char_origin[0]] * (len(resolved) - 1) + [char_origin[-1]]
        return chars, char_origin

    def _resolve_mask(self, token: str) -> str | None:
        """Return the lexicon word a masked token ("f*ck", "c**t") stands for, if exactly one."""
        if sum(c.isalpha() for c in token) < 2:
            return None
        pattern = re.sub(
            r"\*+",
            lambda m: f"[a-z]{{1,{len(m.group()) + 1}}}",
            re.escape(token).replace(r"\*", "*"),
        )
        regex = re.compile(pattern)
        found = [form for form in self._mask_forms if regex.fullmatch(form)]
        return found[0] if found else None

    def find(self, text: str) -> tuple[Hit, ...]:
        """Return the lexicon hits of ``text``, spans in the original text, overlaps merged."""
        norm = self.normalise(text)
        hits = list(self._find_words(text, norm))
        hits.extend(self._find_splices(text, norm))
        hits.extend(self._find_threats(text, norm))
        return _merge(hits)

    def _find_words(self, text: str, norm: NormalisedText) -> Iterator[Hit]:
        for rule in self._word_rules:
            for match in rule.regex.finditer(norm.text):
                if match.group().replace(" ", "") in self._not_words:
                    continue
                start, end = norm.span(match.start(), match.end())
                yield Hit(rule.label, rule.severity, start, end, text[start:end], rule.name)

    def _find_splices(self, text: str, norm: NormalisedText) -> Iterator[Hit]:
        regex, label_of = self._splice
        for match in regex.finditer(norm.text):
            word = match.group()
            # A group's own name with an ordinary ending ("democrats") is not a coded slur.
            if any(word.startswith(g) and len(word) - len(g) <= 3 for g in self._group_words):
                continue
            label = label_of[match.group("prefix")]
            severity = "high" if label == "identity_attack" else "medium"
            start, end = norm.span(match.start(), match.end())
            name = f"splice:{match.group('prefix')}+{match.group('insult')}"
            yield Hit(label, severity, start, end, text[start:end], name)

    def _find_threats(self, text: str, norm: NormalisedText) -> Iterator[Hit]:
        for rule in self._threat_rules:
            for match in rule.regex.finditer(norm.text):
                lo, hi = match.start(), match.end()
                while lo < hi and norm.text[lo] in " .,":
                    lo += 1
                start, end = norm.span(lo, hi)
                severity = rule.severity
                name = rule.name
                if self._is_reported(text, start, end):
                    # Quoted threats in reporting ("'we will kill them all,' the group said")
                    # are kept as evidence but do not count: docs/screen-model.md, "threat".
                    severity, name = "low", name + ":reported"
                yield Hit("threat", severity, start, end, text[start:end], name)

    def _is_reported(self, text: str, start: int, end: int) -> bool:
        """Whether a span sits inside quotation marks in a sentence that reports speech."""
        line_start = text.rfind("\n", 0, start) + 1
        line_end = text.find("\n", end)
        line = text[line_start : None if line_end < 0 else line_end]
        before = text[line_start:start]
        opened = before.count("\u201c") > before.count("\u201d") or before.count('"') % 2 == 1
        return opened and self.reporting.search(line.lower()) is not None


def _merge(hits: list[Hit]) -> tuple[Hit, ...]:
    """Keep, among overlapping hits of one label, the most severe and then the longest."""
    rank = {s: i for i, s in enumerate(SEVERITIES)}
    ordered = sorted(hits, key=lambda h: (-rank[h.severity], -(h.end - h.start), h.start))
    kept: list[Hit] = []
    for hit in ordered:
        if any(k.label == hit.label and k.start < hit.end and hit.start < k.end for k in kept):
            continue
        kept.append(hit)
    return tuple(sorted(kept, key=lambda h: (h.start, h.end, h.label)))


def baseline_screener() -> Any:
    """A Screener whose model and lexicon are the frozen copies above (same shipped artifact)."""
    from sitrep.screen.model import Model, Screener

    shipped = Model.read()
    meta = shipped.meta
    word_low, word_high = meta["word_ngram_range"]
    char_low, char_high = meta["char_ngram_range"]
    model = Model(
        word=TfidfSpace(  # type: ignore[arg-type]
            vocabulary=shipped.word.vocabulary,
            idf=shipped.word.idf,
            analyser=lambda t: word_ngrams(t, low=word_low, high=word_high),
        ),
        char=TfidfSpace(  # type: ignore[arg-type]
            vocabulary=shipped.char.vocabulary,
            idf=shipped.char.idf,
            analyser=lambda t: char_wb_ngrams(t, low=char_low, high=char_high),
        ),
        heads=LinearHeads(  # type: ignore[arg-type]
            names=shipped.heads.names, coef=shipped.heads.coef, intercept=shipped.heads.intercept
        ),
        version=shipped.version,
        meta=meta,
    )
    model_predict = _baseline_predict(model)
    object.__setattr__(model, "predict", model_predict)
    return Screener(model, Lexicon.load())  # type: ignore[arg-type]


def _baseline_predict(model: Any) -> Callable[[Sequence[str]], dict[str, Any]]:
    def predict(texts: Sequence[str]) -> dict[str, Any]:
        normalised = [normalise_text(t) for t in texts]
        rows = stack_columns([model.word.transform(normalised), model.char.transform(normalised)])
        probs = model.heads.predict(rows)
        return {name: probs[:, i] for i, name in enumerate(model.heads.names)}

    return predict
