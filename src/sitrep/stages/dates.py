"""When a sentence says its event happened, as an ACLED date with time precision.

Regexes find the date expressions (spaCy DATE entities may be passed as extra candidates);
dateparser reads absolute dates; the rules around it are sitrep's
(docs/decisions/0005-dates-fatalities-sources.md): a report describes the past, so a date without
a year is the latest such date not after the reference; a bare weekday is the latest such day on or
before the reference (news style writes "on Tuesday" for the day of publication); "last week" and
"in recent days" are precision 2, "earlier this month" and "in March" precision 3; "earlier this
year", "for years", a year alone or the future are vague: no date.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

import dateparser


@dataclass(frozen=True)
class DateResolution:
    """The date of one sentence's event.

    Args:
        date: the resolved date, or None (no expression, vague, invalid, or no reference).
        precision: ACLED time precision: 1 day, 2 week, 3 month; None when date is None.
        text: the date expression as written, or None when there was none.
        resolved_from: the reference date the expression was resolved against, if one was used.
        year_from_reference: True when the year came from the reference, not the text.
        vague: True when the expression is too vague (or future) for an ACLED event date.
        explicit: True when the sentence holds a date expression at all.
        future: True when the expression points after the reference ("tomorrow", "next week").
    """

    date: dt.date | None
    precision: int | None
    text: str | None
    resolved_from: dt.date | None
    year_from_reference: bool
    vague: bool
    explicit: bool
    future: bool = False


NO_DATE = DateResolution(
    date=None,
    precision=None,
    text=None,
    resolved_from=None,
    year_from_reference=False,
    vague=False,
    explicit=False,
)

_MONTHS: dict[str, int] = {}
for _number in range(1, 13):
    _MONTHS[calendar.month_name[_number].lower()] = _number
    _MONTHS[calendar.month_abbr[_number].lower()] = _number
_MONTHS["sept"] = 9

_WEEKDAYS: dict[str, int] = {calendar.day_name[i].lower(): i for i in range(7)}
for _index in range(7):
    _WEEKDAYS[calendar.day_abbr[_index].lower()] = _index

_MONTH = (
    r"(?:january|february|march|april|may|june|july|august|september|october|november|december"
    r"|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)\.?"
)
_WEEKDAY = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_YEAR = r"(?:1[89]\d\d|2[01]\d\d)"
_PART = r"(?:morning|afternoon|evening|night|dawn|midnight)"

# Each pattern: (kind, regex). Kinds are handled in _resolve_match. Order matters within the
# same start position: longer, more specific patterns first.
_PATTERNS: tuple[tuple[str, str], ...] = (
    ("iso", rf"\b(?P<y>{_YEAR})-(?P<m>0?[1-9]|1[0-2])-(?P<d>[0-3]?\d)\b"),
    (
        "mdy",
        rf"\b(?P<month>{_MONTH})\s+(?P<d>{_DAY})(?:\s*,\s*|\s+)(?P<y>\d{{4,}})\b(?!\s*(?:people|%))",
    ),
    ("dmy", rf"\b(?P<d>{_DAY})\s+(?:of\s+)?(?P<month>{_MONTH})\s*,?\s+(?P<y>\d{{4,}})\b"),
    ("md", rf"\b(?P<month>{_MONTH})\s+(?P<d>{_DAY})\b(?![\d:])"),
    ("dm", rf"\b(?P<d>{_DAY})\s+(?:of\s+)?(?P<month>{_MONTH})\b"),
    ("numeric", r"\b(?P<d>[0-3]?\d)/(?P<m>[01]?\d)(?:/(?P<y>\d{2}|\d{4}))?\b"),
    (
        "future",
        r"\b(?:tomorrow|next\s+(?:week|month|year|" + _WEEKDAY + r")|in\s+the\s+coming"
        r"\s+(?:days|weeks|months)|later\s+this\s+(?:week|month|year)|this\s+coming\s+\w+)\b",
    ),
    (
        "vague",
        r"\b(?:earlier\s+this\s+year|this\s+year|last\s+year|previous\s+year|past\s+year"
        r"|in\s+recent\s+(?:years|months|weeks)|in\s+the\s+past(?:\s+(?:few\s+)?"
        r"(?:years|months|weeks|decades?))?|for\s+(?:years|decades|months|weeks)"
        r"|over\s+the\s+(?:past|last)\s+(?:few\s+|several\s+|two\s+|three\s+)?(?:years|months|weeks)"
        r"|since\s+the\s+(?:start|beginning|outbreak)\s+of\s+the\s+\w+"
        r"|since\s+the\s+(?:war|conflict|fighting|uprising|crisis|revolution)\s+(?:began|started)"
        r"|in\s+the\s+(?:late|early|mid)\s*-?\s*\d{4}s|in\s+the\s+\d{4}s"
        r"|(?:at\s+the\s+)?(?:start|beginning|end)\s+of\s+the\s+year|(?<!\ba\s)(?<!\bthe\s)(?<!\bits\s)recently"
        r"|in\s+the\s+past"
        r"|long\s+ago|years\s+ago|months\s+ago|once"
        r"|(?:in|since|during|by|until|of)\s+(?:early\s+|late\s+|mid-?)?"
        + _YEAR
        + r"(?!\s*[-/]\d))\b",
    ),
    (
        "weekend",
        r"\b(?:(?:at|over|during)\s+the\s+weekend|this\s+(?:past\s+)?weekend"
        r"|last\s+weekend)\b",
    ),
    (
        "few_days",
        r"\b(?:over|in|during)\s+the\s+(?:last|past)\s+(?:few|several|couple\s+of|two"
        r"|three)\s+days|in\s+recent\s+days|(?:a\s+)?few\s+days\s+ago"
        # "a recently passed bill": when the bill passed, not when the event happened.
        r"|(?<!\ba\s)(?<!\bthe\s)(?<!\bits\s)recently\b|earlier\s+this"
        r"\s+week|this\s+week",
    ),
    ("last_week", r"\b(?:last|past)\s+week|(?:a|one)\s+week\s+ago\b"),
    ("weeks_ago", r"\b(?P<n>two|three|\d)\s+weeks\s+ago\b"),
    ("this_month", r"\b(?:earlier|late|early)\s+(?:this|the)\s+month|this\s+month\b"),
    ("last_month", r"\b(?:last|past)\s+month|(?:a|one)\s+month\s+ago\b"),
    ("days_ago", r"\b(?P<n>two|three|four|five|six|\d)\s+days\s+(?:ago|earlier)\b"),
    # "the previous day" / "the day before" count from another event, not from publication.
    (
        "anaphoric",
        r"\b(?:the\s+)?(?:previous|preceding|following|next)\s+(?:day|night|week|month)"
        r"|the\s+(?:day|night|week)\s+(?:before|after)|(?:a|two|three|\d+)\s+days?\s+later\b",
    ),
    ("yesterday", r"\b(?:yesterday|last\s+night|overnight)\b"),
    (
        "today",
        rf"\b(?:today|tonight|earlier\s+today|this\s+{_PART}|(?:early|late)\s+today)\b",
    ),
    (
        "weekday",
        rf"\b(?:(?:on|late|early|last)\s+)?(?:(?:late|early)\s+on\s+)?(?P<wd>{_WEEKDAY})"
        rf"(?:'s)?(?:\s+{_PART})?\b",
    ),
    (
        "month",
        rf"\b(?:in|during|since|by|until|of|early|late|mid-?)\s+(?P<month>{_MONTH})"
        rf"(?:\s*,?\s+(?P<y>{_YEAR}))?\b(?!\s+\d)",
    ),
)
_PATTERN_RES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(regex, re.IGNORECASE)) for kind, regex in _PATTERNS
)
# An expression governed by these words dates a background fact, not the sentence's event
# ("killed on Monday after clashes that began last month").
# "On or before September 3rd" is the event's own (approximate) date, not a background one.
_BACKGROUND_RE = re.compile(
    r"\b(?<!\bor\s)(?:began|begun|started|erupted|broke\s+out|since|until|till|ended|ago"
    r"|earlier|before|previous|prior)\s+(?:\w+\s+){0,1}$",
    re.IGNORECASE,
)
# A bare number that cannot be a year of reporting: "300+", "1,000".
_COUNT_RE = re.compile(r"^(?!(?:1[89]|20)\d\d\b)\d[\d,.]*\+?$")
# A long span with digits and no "ago" ("jailed for 10 years", "20 months"): no day, however
# dateparser would read it; vague, as "two years" is.
_LONG_SPAN_RE = re.compile(
    r"^(?:about|over|nearly|almost|some|more\s+than|up\s+to)?\s*\d+\s+(?:weeks?|months?|years?)$",
    re.IGNORECASE,
)
# A DATE entity that only measures time ("six days", "48 hours", "five-month", "12-year-old")
# dates nothing.
_DURATION_RE = re.compile(
    r"^(?:for\s+|about\s+|over\s+|nearly\s+|almost\s+)?(?:the\s+)?(?:\d+|one|two|three|four"
    r"|five|six|seven|eight|nine|ten|several|a\s+few|few|a\s+couple\s+of)\s+(?:hours?|days?"
    r"|nights?)(?:\s+long)?$"
    r"|^(?:a\s+|the\s+|his\s+|her\s+|their\s+)?\w+-(?:hour|day|week|month|year)s?(?:-old|-long)?$",
    re.IGNORECASE,
)
# Words that make a DATE entity without digits a piece of history ("two years ago").
_HISTORY_WORDS_RE = re.compile(
    r"\b(?:years?|decades?|months?|weeks?|ago|past|previous|last|earlier|centur(?:y|ies)|era"
    r"|since|season|term|future|next|coming|tomorrow)\b",
    re.IGNORECASE,
)
_DAY_KINDS = frozenset({"iso", "mdy", "dmy", "md", "dm"})  # a day of a named month
_WORD_NUMBERS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6}
_MAX_CANDIDATES = 64  # a sentence's event date is among its first expressions
_FEW_DAYS = 2  # "in recent days": two days before the reference (decision 0005)
_MID_MONTH = 15  # a month-precision date is coded to the middle of the month (decision 0005)


@dataclass(frozen=True)
class _Candidate:
    kind: str
    start: int
    end: int
    match: re.Match[str] | None
    text: str


def resolve_date(
    sentence: str, *, reference: date | None, date_texts: Sequence[str] = ()
) -> DateResolution:
    """Return the date of the event the sentence reports, resolved against the reference date.

    Args:
        sentence: one sentence of reporting.
        reference: the publication date (or None; then relative expressions give no date).
        date_texts: DATE entity strings (spaCy) to consider besides sitrep's own patterns.
    """
    candidates = _find_candidates(sentence, date_texts)
    if not candidates:
        return NO_DATE
    resolutions = [(c, _resolve(c, reference)) for c in candidates[:_MAX_CANDIDATES]]
    dated = [(c, r) for c, r in resolutions if not r.vague and not r.future]
    foreground = [
        (c, r)
        for c, r in dated
        if not _BACKGROUND_RE.search(sentence[max(0, c.start - 40) : c.start])
    ]
    for pool in (foreground, dated, resolutions):
        if pool:
            return pool[0][1]
    return NO_DATE  # pragma: no cover - resolutions is never empty here


def _find_candidates(sentence: str, date_texts: Sequence[str]) -> list[_Candidate]:
    """Return the non-overlapping date expressions of a sentence, in order of position."""
    found: list[_Candidate] = []
    for kind, regex in _PATTERN_RES:
        for match in regex.finditer(sentence):
            found.append(_Candidate(kind, match.start(), match.end(), match, match.group(0)))
    for text in date_texts:
        if _DURATION_RE.match(text.strip()):
            continue  # "for six days" says how long, not when
        if _COUNT_RE.match(text.strip()):
            continue  # "300+ gunmen" (tagged DATE by the small model): a count, no year
        position = sentence.find(text) if text else -1
        if position >= 0 and re.search(r"\baged\s*$", sentence[:position], re.I):
            continue  # "a man aged 25 years": an age
        if position >= 0:
            found.append(_Candidate("entity", position, position + len(text), None, text))
    # At one position sitrep's own day patterns beat a longer entity: "September 18th and
    # 19th" is September 18th, not a date dateparser reads "19th" of as the year.
    days = {c.start for c in found if c.kind in _DAY_KINDS}
    found.sort(key=lambda c: (c.start, c.kind == "entity" and c.start in days, c.start - c.end))
    chosen: list[_Candidate] = []
    covered = 0  # sorted by start: a candidate overlaps a chosen one iff it starts before this
    for candidate in found:
        if candidate.start < covered:
            continue
        chosen.append(candidate)
        covered = candidate.end
    return chosen


def _resolve(candidate: _Candidate, reference: date | None) -> DateResolution:
    """Resolve one expression; never raises on an impossible date."""
    text = candidate.text.strip()
    match = candidate.match
    kind = candidate.kind
    if kind == "vague":
        return _vague(text)
    if kind == "future":
        return _vague(text, future=True)
    if match is None:
        return _resolve_entity(text, reference)
    if kind in {"iso", "mdy", "dmy", "numeric"} and match.group("y"):
        return _absolute(text, match, reference)
    if kind in {"md", "dm", "numeric"}:
        return _month_day(text, match, reference)
    if kind == "month":
        return _month(text, match, reference)
    if reference is None or kind == "anaphoric":
        return _unresolved(text)
    return _relative(kind, text, match, reference)


def _absolute(text: str, match: re.Match[str], reference: date | None) -> DateResolution:
    """A date with its year: read it with dateparser, validate it ourselves."""
    year = int(match.group("y"))
    if len(match.group("y")) == 2:
        year += 2000
    month = _month_number(match)
    day = _day_number(match.group("d"))
    if month is None or not _valid(year, month, day):
        return _invalid(text)
    parsed = dateparser.parse(
        f"{year:04d}-{month:02d}-{day:02d}", settings={"DATE_ORDER": "YMD", "STRICT_PARSING": True}
    )
    if parsed is None:
        return _invalid(text)
    return DateResolution(
        date=parsed.date(),
        precision=1,
        text=text,
        resolved_from=None,
        year_from_reference=False,
        vague=False,
        explicit=True,
    )


def _month_day(text: str, match: re.Match[str], reference: date | None) -> DateResolution:
    """A date without a year: the latest such date not after the reference."""
    month = _month_number(match)
    day = _day_number(match.group("d"))
    if month is None or not 1 <= day <= 31:
        return _invalid(text)
    if reference is None:
        return _unresolved(text)
    for year in (reference.year, reference.year - 1, reference.year - 2, reference.year - 3):
        # Feb 29 is valid only in leap years: step back until the date exists.
        if _valid(year, month, day) and date(year, month, day) <= reference:
            return DateResolution(
                date=date(year, month, day),
                precision=1,
                text=text,
                resolved_from=reference,
                year_from_reference=True,
                vague=False,
                explicit=True,
            )
        if not _valid(year, month, day) and not (month == 2 and day == 29):
            return _invalid(text)
    return _invalid(text)


def _month(text: str, match: re.Match[str], reference: date | None) -> DateResolution:
    """ "in March" (precision 3): the middle of the latest such month not after the reference."""
    month = _month_number(match)
    if month is None:
        return _invalid(text)
    if match.group("y"):
        year = int(match.group("y"))
        day = _MID_MONTH
        if reference is not None and (year, month) == (reference.year, reference.month):
            day = min(_MID_MONTH, reference.day)
        return _dated(date(year, month, day), 3, text, None, from_reference=False)
    if reference is None:
        return _unresolved(text)
    year = reference.year if month <= reference.month else reference.year - 1
    day = _MID_MONTH
    if (year, month) == (reference.year, reference.month):
        day = min(_MID_MONTH, reference.day)
    return _dated(date(year, month, day), 3, text, reference, from_reference=True)


def _relative(kind: str, text: str, match: re.Match[str], reference: date) -> DateResolution:
    """Relative expressions: yesterday, on Tuesday, last week, earlier this month."""
    if kind == "today":
        return _dated(reference, 1, text, reference)
    if kind == "yesterday":
        return _dated(reference - timedelta(days=1), 1, text, reference)
    if kind == "days_ago":
        days = _count(match.group("n"))
        return _dated(reference - timedelta(days=days), 1, text, reference)
    if kind == "weekday":
        weekday = _WEEKDAYS[match.group("wd").lower()]
        back = (reference.weekday() - weekday) % 7
        if back == 0 and text.lower().startswith("last"):
            back = 7  # "last Tuesday" said on a Tuesday is a week ago
        return _dated(reference - timedelta(days=back), 1, text, reference)
    if kind == "weekend":
        back = (reference.weekday() - calendar.SATURDAY) % 7
        if text.lower().startswith("last") and back < 2:
            back += 7
        return _dated(reference - timedelta(days=back), 2, text, reference)
    if kind == "few_days":
        return _dated(reference - timedelta(days=_FEW_DAYS), 2, text, reference)
    if kind == "last_week":
        return _dated(reference - timedelta(days=7), 2, text, reference)
    if kind == "weeks_ago":
        weeks = _count(match.group("n"))
        return _dated(reference - timedelta(weeks=weeks), 2, text, reference)
    if kind == "this_month":
        day = max(1, min(_MID_MONTH, reference.day - 1))
        return _dated(reference.replace(day=day), 3, text, reference)
    if kind == "last_month":
        previous = reference.replace(day=1) - timedelta(days=1)
        return _dated(previous.replace(day=_MID_MONTH), 3, text, reference)
    return _unresolved(text)  # pragma: no cover - every kind is handled above


def _resolve_entity(text: str, reference: date | None) -> DateResolution:
    """A DATE entity none of sitrep's patterns knew: let dateparser read it, day precision only."""
    if not re.search(r"\d", text) and _HISTORY_WORDS_RE.search(text) is None:
        # "the better part of the day", "that night": no date of its own, and no sign of
        # history either; the sentence goes on telling the event before (decision 0004).
        return _unresolved(text)
    if reference is None or not re.search(r"\d", text) or _LONG_SPAN_RE.match(text):
        return _vague(text)
    settings: dict[str, object] = {
        "RELATIVE_BASE": dt.datetime.combine(reference, dt.time()),
        "PREFER_DATES_FROM": "past",
        "REQUIRE_PARTS": ["day", "month"],
    }
    try:
        parsed = dateparser.parse(text, settings=settings)
    except (ValueError, OverflowError):  # dateparser raises these on some impossible dates
        return _invalid(text)
    if parsed is None:
        return _vague(text)
    resolved: date | None = parsed.date()
    has_year = re.search(r"\b\d{4}\b", text) is not None
    if resolved is not None and not has_year and resolved > reference:
        resolved = _minus_year(resolved)
    if resolved is None:
        return _invalid(text)
    return _dated(resolved, 1, text, None if has_year else reference, from_reference=not has_year)


def _dated(
    value: date, precision: int, text: str, reference: date | None, *, from_reference: bool = False
) -> DateResolution:
    return DateResolution(
        date=value,
        precision=precision,
        text=text,
        resolved_from=reference,
        year_from_reference=from_reference,
        vague=False,
        explicit=True,
    )


def _vague(text: str, *, future: bool = False) -> DateResolution:
    return DateResolution(
        date=None,
        precision=None,
        text=text,
        resolved_from=None,
        year_from_reference=False,
        vague=True,
        explicit=True,
        future=future,
    )


def _unresolved(text: str) -> DateResolution:
    """A relative expression with no reference to resolve it against: no date, never today."""
    return DateResolution(
        date=None,
        precision=None,
        text=text,
        resolved_from=None,
        year_from_reference=False,
        vague=False,
        explicit=True,
    )


_invalid = _unresolved  # an impossible date ("February 30") is kept as text, without a date


def _month_number(match: re.Match[str]) -> int | None:
    groups = match.groupdict()
    if groups.get("month"):
        return _MONTHS.get(groups["month"].lower().rstrip("."))
    if groups.get("m"):
        value = int(groups["m"])
        return value if 1 <= value <= 12 else None
    return None


def _day_number(text: str) -> int:
    return int(re.sub(r"\D", "", text) or 0)


def _valid(year: int, month: int, day: int) -> bool:
    return 1 <= year <= 9999 and 1 <= month <= 12 and 1 <= day <= _days_in(year, month)


def _days_in(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def _minus_year(value: date) -> date | None:
    try:
        return value.replace(year=value.year - 1)
    except ValueError:  # Feb 29 has no counterpart the year before
        return None


def _count(word: str) -> int:
    return _WORD_NUMBERS.get(word.lower()) or int(word)
