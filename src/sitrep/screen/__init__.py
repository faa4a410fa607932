"""Screening reader comments for abuse: a compact learned model plus lexicon rules, offline.

>>> screener = Screener.load()
>>> screener.screen("Thanks for the report.").decision
<Decision.OK: 'ok'>
"""

from __future__ import annotations

from sitrep.records import Decision, Screening
from sitrep.screen.lexicon import Hit, Lexicon
from sitrep.screen.model import LABELS, REMOVE_AT, REVIEW_AT, Model, Screener

__all__ = [
    "LABELS",
    "REMOVE_AT",
    "REVIEW_AT",
    "Decision",
    "Hit",
    "Lexicon",
    "Model",
    "Screener",
    "Screening",
]
