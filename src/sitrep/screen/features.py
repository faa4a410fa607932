"""TF-IDF featurisation and linear heads in numpy: the inference half of training/train_screen.py.

The training script fits scikit-learn's ``TfidfVectorizer`` (word 1–2-grams and ``char_wb``
2–5-grams, sublinear tf, smooth idf, l2 norm) and ``LogisticRegression`` heads; the artifact keeps
only vocabularies, idf weights and coefficients, so inference needs neither scikit-learn nor
pickle. The n-gram functions here mirror scikit-learn's ``_word_ngrams`` and ``_char_wb_ngrams``
exactly; ``tests/test_screen_features.py`` checks the match whenever scikit-learn is installed.
"""

from __future__ import annotations

import html
import itertools
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import numpy.typing as npt

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
# Words whose n-gram columns are kept per TfidfSpace (a few MB at most).
_WORD_CACHE_MAX = 200_000


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
    """One fitted TF-IDF vectoriser: vocabulary, idf weights and the analyser that feeds them.

    Args:
        per_word: the analyser looks at one whitespace-separated word at a time (``char_wb``),
            so a text's n-grams are those of its words: their columns are cached per word,
            which is what makes inference fast (comments repeat their words).
    """

    vocabulary: dict[str, int]
    idf: FloatArray
    analyser: Callable[[str], list[str]]
    sublinear_tf: bool = True
    per_word: bool = False
    _word_columns: dict[str, list[int]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def columns(self, text: str) -> list[int]:
        """Return the vocabulary columns of a normalised text's n-grams, repeats included."""
        get = self.vocabulary.get
        if not self.per_word:
            return [c for c in map(get, self.analyser(text)) if c is not None]
        cache = self._word_columns
        if len(cache) > _WORD_CACHE_MAX:
            cache.clear()  # bounded memory on endless streams of new words
        out: list[int] = []
        for word in text.split():
            cached = cache.get(word)
            if cached is None:
                cached = [c for c in map(get, self.analyser(word)) if c is not None]
                cache[word] = cached
            out.extend(cached)
        return out

    def transform(self, texts: Sequence[str]) -> SparseRows:
        """Return the l2-normalised TF-IDF rows of already normalised texts, in one numpy pass."""
        per_text = [self.columns(t) for t in texts]
        n_rows = len(per_text)
        width = len(self.idf)
        lengths = np.fromiter(map(len, per_text), dtype=np.int64, count=n_rows)
        flat = np.fromiter(
            itertools.chain.from_iterable(per_text), dtype=np.int64, count=int(lengths.sum())
        )
        # One key per (row, column): unique() counts each n-gram per text and sorts the keys
        # by row, then column, the order of scikit-learn's CSR rows.
        keys, counts = np.unique(
            np.repeat(np.arange(n_rows, dtype=np.int64), lengths) * width + flat,
            return_counts=True,
        )
        rows, columns = np.divmod(keys, width)
        tf = counts.astype(np.float64)
        if self.sublinear_tf:
            tf = np.log(tf) + 1.0
        weights = tf * self.idf[columns].astype(np.float64)
        norms = np.sqrt(np.bincount(rows, weights=weights * weights, minlength=n_rows))
        row_norm = norms[rows]
        weights = np.divide(weights, row_norm, out=weights, where=row_norm > 0.0)
        indptr = np.zeros(n_rows + 1, dtype=np.int64)
        np.cumsum(np.bincount(rows, minlength=n_rows), out=indptr[1:])
        return SparseRows(
            indptr=indptr,
            indices=columns,
            data=weights.astype(np.float32),
            width=width,
        )


def stack_columns(parts: Sequence[SparseRows]) -> SparseRows:
    """Concatenate row-aligned sparse matrices side by side (scikit-learn's ``FeatureUnion``)."""
    n_rows = len(parts[0].indptr) - 1
    row_of: list[IntArray] = []
    indices: list[IntArray] = []
    offset = 0
    for part in parts:
        row_of.append(np.repeat(np.arange(n_rows, dtype=np.int64), np.diff(part.indptr)))
        indices.append(part.indices.astype(np.int64) + offset)
        offset += part.width
    rows = np.concatenate(row_of) if row_of else np.zeros(0, dtype=np.int64)
    # Stable by row: within a row the first part's columns, then the next part's.
    order = np.argsort(rows, kind="stable")
    indptr = np.zeros(n_rows + 1, dtype=np.int64)
    np.cumsum(np.bincount(rows, minlength=n_rows), out=indptr[1:])
    return SparseRows(
        indptr=indptr,
        indices=np.concatenate(indices)[order] if indices else np.zeros(0, dtype=np.int64),
        data=np.concatenate([p.data for p in parts])[order].astype(np.float32),
        width=offset,
    )


@dataclass(frozen=True)
class LinearHeads:
    """Logistic-regression heads sharing one feature space: ``sigmoid(X @ coef.T + intercept)``."""

    names: tuple[str, ...]
    coef: FloatArray  # (heads, features)
    intercept: FloatArray  # (heads,)

    @cached_property
    def _by_feature(self) -> FloatArray:
        # (features, heads), contiguous: gathering a row per stored value reads 16 bytes.
        return np.ascontiguousarray(self.coef.T)

    def predict(self, rows: SparseRows) -> FloatArray:
        """Return the probability of each head for each row, shape (rows, heads)."""
        return self.predict_parts([rows])

    def predict_parts(self, parts: Sequence[SparseRows]) -> FloatArray:
        """Return the probabilities for row-aligned parts laid side by side (no stacking)."""
        n_rows = len(parts[0].indptr) - 1
        logits = np.tile(self.intercept.astype(np.float64), (n_rows, 1))
        offset = 0
        for rows in parts:
            if len(rows.indices):
                # Each stored value times its column's coefficients, summed per row.
                coef = self._by_feature[rows.indices + offset].astype(np.float64)
                contrib = coef * rows.data[:, None]
                row_of = np.repeat(np.arange(n_rows), np.diff(rows.indptr))
                for head in range(logits.shape[1]):
                    logits[:, head] += np.bincount(
                        row_of, weights=contrib[:, head], minlength=n_rows
                    )
            offset += rows.width
        probs: FloatArray = (1.0 / (1.0 + np.exp(-logits))).astype(np.float32)
        return probs


def decode_lines(blob: npt.NDArray[np.uint8]) -> list[str]:
    """Return the newline-separated UTF-8 strings stored as a byte array in the artifact."""
    text = blob.tobytes().decode("utf-8")
    return text.split("\n") if text else []


def encode_lines(lines: Iterable[str]) -> npt.NDArray[np.uint8]:
    """Return strings as a newline-separated UTF-8 byte array (no pickle needed to load it)."""
    return np.frombuffer("\n".join(lines).encode("utf-8"), dtype=np.uint8).copy()
