"""Lexicon rules: profanity, insults, slurs (coded ones too) and threats, seen through obfuscation.

Text is normalised for matching (case, accents, leetspeak, masks such as ``f*ck``, letters spaced
or dotted apart, apostrophes dropped, repeated letters) while every normalised character keeps the
span of the original characters it came from, so each hit reports a span of the ORIGINAL text.
The rules themselves live in ``sitrep/data/screen/lexicon.json``; see docs/screen-model.md.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import Any

from sitrep.errors import ModelError

SEVERITIES = ("low", "medium", "high")

_LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a",
                       "$": "s", "!": "i", "|": "i", "+": "t"})  # fmt: skip
_MASKS = "*#%"
_QUOTES = {"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'", "\u201c": '"', "\u201d": '"'}
# A token: letters, digits and the symbols people put inside words to dodge filters.
_TOKEN = re.compile(r"[a-z0-9@$*#%'_!|+]+")
_EDGE = "'_!|+*#%"
# Single characters spaced or dotted apart ("f u c k", "s.h.i.t"): joined before tokenising.
_SPACED = re.compile(r"(?<![a-z0-9@$*'])(?:[a-z@$*][ .\-_]){2,}[a-z@$*](?![a-z0-9@$*'])")
_SENTENCE_GAP = re.compile(r"[.!?;:\n]")
_BOUND_LEFT = r"(?<![a-z0-9*])"
_BOUND_RIGHT = r"(?![a-z0-9*])"
_RUNS = re.compile(r"(.)\1+")


def _skeleton(text: str) -> str:
    """Spaces dropped, runs of one character squeezed to one: "fuuu ck" -> "fuck".

    A lexicon word can only match where the text's skeleton contains the word's skeleton
    (stretched letters and optional spaces are all a word pattern allows), so this is a
    cheap test that lets most comments skip most word rules.
    """
    return _RUNS.sub(r"\1", text.replace(" ", ""))


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
    """Matching text plus, for each of its characters, the original index it starts at.

    Every normalised character ends one past the original character it starts at (a resolved
    mask's last letter stands on the mask's last character), so starts alone give the spans.
    """

    text: str
    starts: tuple[int, ...]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Return the original (start, end) of the normalised slice ``[start:end]``."""
        return self.starts[start], self.starts[end - 1] + 1


def _fold(text: str) -> tuple[str, list[int]]:
    """Lower-case, strip accents and unify quotes, keeping each output char's original index."""
    if text.isascii():
        # The common case, one character for one: no accents, no curly quotes.
        return text.lower().replace("`", "'"), list(range(len(text)))
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
    # Skeletons one of which the text's skeleton must contain for the rule to match at all;
    # None: the rule is always run.
    cues: tuple[str, ...] | None = None


class Lexicon:
    """The compiled lexicon: word lists, variant patterns, coded-slur splicing and threat rules."""

    def __init__(self, spec: dict[str, Any], *, prefilter: bool = True) -> None:
        """Compile a lexicon specification (the JSON of ``lexicon.json``).

        Args:
            prefilter: skip the rules whose literal cues a text lacks (same hits, faster);
                False runs every rule on every text (the reference the tests compare with).
        """
        self.spec = spec
        self.prefilter = prefilter
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
            cues = tuple(sorted({_skeleton(w) for w in words}))
            rules.append(_Rule(group["label"], group["severity"], name, re.compile(pattern), cues))
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
        previous_end: int | None = None
        for match in _TOKEN.finditer(folded):
            lo, hi = match.start(), match.end()
            while lo < hi and folded[lo] in _EDGE:
                lo += 1
            while hi > lo and folded[hi - 1] in _EDGE:
                hi -= 1
            if lo == hi:
                continue
            token = folded[lo:hi]
            if token.isalpha():
                # Plain letters (the usual token): nothing to undo.
                chars, char_origin = token, origin[lo:hi]
            else:
                chars, char_origin = self._normalise_token(token, origin[lo:hi])
            if not chars:
                continue
            if previous_end is not None:
                gap = folded[previous_end:lo]
                anchor = origin[previous_end - 1]
                if gap == " ":  # the usual gap, decided without a regex
                    out.append(" ")
                    starts.append(anchor)
                else:
                    sep = " . " if _SENTENCE_GAP.search(gap) else " , " if "," in gap else " "
                    out.append(sep)
                    starts.extend([anchor] * len(sep))
            out.append(chars)
            starts.extend(char_origin)
            previous_end = hi
        return NormalisedText("".join(out), tuple(starts))

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

    @cached_property
    def _threat_cues(self) -> tuple[str, ...] | None:
        cues = self.spec.get("threat_cues")
        return None if cues is None or not self.prefilter else tuple(cues)

    @cached_property
    def _splice_cues(self) -> tuple[str, ...]:
        # The splice regex holds its insult morphemes literally.
        return tuple(self.spec["splice"]["insults"])

    def find(self, text: str) -> tuple[Hit, ...]:
        """Return the lexicon hits of ``text``, spans in the original text, overlaps merged."""
        norm = self.normalise(text)
        if not norm.text:
            return ()
        hits = list(self._find_words(text, norm))
        if not self.prefilter or any(cue in norm.text for cue in self._splice_cues):
            hits.extend(self._find_splices(text, norm))
        cues = self._threat_cues
        if cues is None or any(cue in norm.text for cue in cues):
            hits.extend(self._find_threats(text, norm))
        return _merge(hits) if hits else ()

    def _find_words(self, text: str, norm: NormalisedText) -> Iterator[Hit]:
        skeleton = _skeleton(norm.text)
        for rule in self._word_rules:
            if (
                self.prefilter
                and rule.cues is not None
                and not any(cue in skeleton for cue in rule.cues)
            ):
                continue
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
