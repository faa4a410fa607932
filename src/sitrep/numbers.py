"""Numbers as news text writes them: digits ("1,200"), words ("twenty-five"), vague ("dozens").

The regex ``NUMBER`` finds one number; ``parse_number`` turns its text into an int. Vague
quantities follow ACLED's conservative coding (docs/decisions/0005-dates-fatalities-sources.md).
"""

from __future__ import annotations

import re

UNITS: dict[str, int] = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
}

TENS: dict[str, int] = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}

SCALES: dict[str, int] = {"hundred": 100, "thousand": 1_000, "million": 1_000_000}

# ACLED codes "tens" as 10, "dozens" as 12, "hundreds" as 100 (ACLED, "Fatalities" FAQ); the
# others extend the same lower-bound reading.
VAGUE: dict[str, int] = {
    "a dozen": 12,
    "dozen": 12,
    "dozens": 12,
    "tens": 10,
    "a score": 20,
    "scores": 20,
    "hundreds": 100,
    "thousands": 1_000,
    "a couple": 2,
    "a couple of": 2,
    "a pair of": 2,
}

_UNIT = "|".join(sorted(UNITS, key=len, reverse=True))
_TEN = "|".join(TENS)
_SCALE = "|".join(SCALES)
_BASE = rf"(?:(?:{_TEN})(?:[- ](?:{_UNIT}))?|(?:{_UNIT}))"
_WORD_NUMBER = rf"{_BASE}(?:\s+(?:{_SCALE})(?:\s+(?:and\s+)?{_BASE})?){{0,3}}"
_DIGITS = r"\d{1,3}(?:,\d{3})+|\d{1,7}"
_VAGUE = (
    r"a\s+dozen|a\s+couple(?:\s+of)?|a\s+pair\s+of|a\s+score|dozens|dozen|tens|scores|hundreds"
    r"|thousands"
)

#: One number: digits, number words or a vague quantity word. Case-insensitive; word-bounded.
# An age ("12-year-old") or a duration ("five-day") is not a count of people.
_NOT_A_COUNT = r"(?!-(?:years?|months?|weeks?|days?|hours?|minutes?)\b)"
NUMBER = (
    rf"(?:(?<![\w.,])(?:{_DIGITS})(?![\w%]|[.,]\d){_NOT_A_COUNT}"
    rf"|\b(?:{_VAGUE}|{_WORD_NUMBER})\b(?!-[a-z]))"
)
NUMBER_RE = re.compile(NUMBER, re.IGNORECASE)


def parse_number(text: str) -> int | None:
    """Return the value of one number as ``NUMBER`` matched it, or None if it is not one."""
    words = " ".join(text.lower().replace("-", " ").split())
    if not words:
        return None
    if words in VAGUE:
        return VAGUE[words]
    digits = words.replace(",", "")
    if digits.isdigit():
        return int(digits)
    total = 0
    current = 0
    for word in words.split():
        if word == "and":
            continue
        if word in UNITS:
            current += UNITS[word]
        elif word in TENS:
            current += TENS[word]
        elif word in SCALES:
            current = max(current, 1) * SCALES[word]
            if SCALES[word] >= 1_000:
                total += current
                current = 0
        else:
            return None
    return total + current
