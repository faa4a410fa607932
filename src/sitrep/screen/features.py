"""TF-IDF featurisation and linear heads in numpy: the inference half of training/train_screen.py.

The training script fits scikit-learn's ``TfidfVectorizer`` (word 1–2-grams and ``char_wb``
2–5-grams, sublinear tf, smooth idf, l2 norm) and ``LogisticRegression`` heads; the artifact keeps
only vocabularies, idf weights and coefficients, so inference needs neither scikit-learn nor
pickle. The n-gram functions here mirror scikit-learn's ``_word_ngrams`` and ``_char_wb_ngrams``
exactly; ``tests/test_screen_features.py`` checks the match whenever scikit-learn is installed.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

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
