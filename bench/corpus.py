"""Generate a reproducible corpus of realistic news pages (report + reader comments).

Pages are assembled from sentence templates in several reporting styles, filled with
places, actors and dates from small lists; a fixed seed makes every run identical.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

PLACES = [
    ("Maiduguri", "Borno State", "Nigeria"),
    ("Gao", "Gao region", "Mali"),
    ("Kharkiv", "Kharkiv oblast", "Ukraine"),
    ("Idlib", "Idlib province", "Syria"),
    ("Mosul", "Nineveh province", "Iraq"),
    ("Mogadishu", "Banaadir region", "Somalia"),
    ("Goma", "North Kivu province", "Democratic Republic of the Congo"),
    ("El Fasher", "North Darfur", "Sudan"),
    ("Monywa", "Sagaing region", "Myanmar"),
    ("Culiacan", "Sinaloa state", "Mexico"),
    ("Nairobi", "Nairobi county", "Kenya"),
    ("Kandahar", "Kandahar province", "Afghanistan"),
]
PAIRS = [
    ("Nigerian troops", "Boko Haram fighters"),
    ("Malian soldiers", "JNIM militants"),
    ("Russian forces", "Ukrainian positions"),
    ("Syrian government forces", "Hayat Tahrir al-Sham"),
    ("Iraqi security forces", "Islamic State militants"),
    ("Somali troops", "al-Shabaab fighters"),
    ("M23 rebels", "Congolese army units"),
    ("the Rapid Support Forces", "Sudanese army soldiers"),
    ("the Myanmar military", "People's Defence Force fighters"),
    ("Mexican soldiers", "Sinaloa Cartel gunmen"),
]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
NUMBERS = ["two", "three", "five", "seven", "12", "at least 15", "more than 20", "a dozen"]

EVENT_TEMPLATES = [
    "On {day}, {a} clashed with {b} near {place} in {region}, killing {n} people, "
    "according to local officials.",
    "{A} launched airstrikes on {b} positions in {place} on {day}, the army said.",
    "At least {n} civilians were killed when a roadside bomb struck a minibus outside "
    "{place} on {day}, police said.",
    "{A} shelled residential areas of {place} overnight on {day}, wounding {n} residents, "
    "the regional governor said.",
    "Gunmen abducted {n} villagers from a farm near {place} on {day}, residents told reporters.",
    "Hundreds of protesters marched through {place} on {day} to demand the release of "
    "detained activists; police fired tear gas to disperse them.",
    "{A} recaptured the town of {place} from {b} on {day} after two days of fighting, "
    "a military spokesman said.",
    "Security forces arrested {n} suspected members of {b} in {region} on {day}.",
]
CONTEXT_TEMPLATES = [
    "The region has seen repeated violence since the conflict began.",
    "Analysts say the government's strategy has failed to restore security.",
    "Aid agencies warned that the humanitarian situation is deteriorating.",
    "{A} have been accused of abuses by rights groups in the past.",
    "Officials are expected to hold talks next week in the capital.",
    "Thousands of families have fled to camps on the outskirts of {place}.",
    "The ministry did not respond to a request for comment.",
]
COMMENTS = [
    "Why does nobody talk about this? The media is silent as always.",
    "These people are idiots and deserve what they get.",
    "Praying for the families of the victims.",
    "Same story every year, nothing ever changes.",
    "You clearly have no idea what you are talking about, go read a book.",
    "Where is the UN when you need them?",
]
AUTHORS = ["John Smith", "Observer77", "Maria K", "Realist", "Ahmed", "Peter B."]


@dataclass(frozen=True)
class BenchPage:
    """One generated page."""

    text: str
    published: str


def make_corpus(n: int, *, seed: int = 7) -> list[BenchPage]:
    """Return ``n`` pages (headline, 4–8 report paragraphs, 0–6 comments)."""
    rng = random.Random(seed)
    pages = []
    for i in range(n):
        place, region, country = rng.choice(PLACES)
        a, b = rng.choice(PAIRS)
        fill = {
            "place": place,
            "region": region,
            "country": country,
            "a": a,
            "A": a[0].upper() + a[1:],
            "b": b,
            "day": rng.choice(DAYS),
            "n": rng.choice(NUMBERS),
        }
        headline = f"Violence flares in {region} as {a} and {b} fight for {place}"
        paragraphs = []
        for _ in range(rng.randint(4, 8)):
            pool = EVENT_TEMPLATES if rng.random() < 0.45 else CONTEXT_TEMPLATES
            fill["day"] = rng.choice(DAYS)
            fill["n"] = rng.choice(NUMBERS)
            paragraphs.append(rng.choice(pool).format(**fill))
        comments = []
        for _ in range(rng.randint(0, 6)):
            comments.append(f"{rng.choice(AUTHORS)}\n\n{rng.choice(COMMENTS)}")
        text = "\n\n".join([headline, *paragraphs, *comments]) + "\n"
        pages.append(BenchPage(text=text, published=f"2024-{(i % 12) + 1:02d}-15"))
    return pages
