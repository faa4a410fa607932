"""A desk database built from records, hostile text included; an in-process client (no tests)."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import date
from typing import Any

import httpx

from sitrep.adapters.store.base import Store
from sitrep.records import Comment, Decision, Document, Event, Modality, Screening
from sitrep.settings import Settings
from tests.test_store_factories import make_document, make_event, make_source

SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
HOSTILE_SENTENCE = f"Gunmen {SCRIPT} attacked Hostile Town {IMG} on March 9, killing 2 people."
HOSTILE_COMMENT = f"{SCRIPT} you people {IMG} are idiots"
JAVASCRIPT_URL = "javascript:alert(document.domain)"


def event(event_id: str, document_id: str, **overrides: Any) -> Event:
    """An event reported by ``document_id``, with one source."""
    sentence = overrides.pop("sentence", None)
    source_fields: dict[str, Any] = {"published": overrides.get("event_date")}
    if sentence is not None:
        source_fields.update(sentence=sentence, start=0, end=len(sentence))
    url = overrides.pop("url", f"https://news.example/{document_id}")
    source = make_source(document_id, url=url, **source_fields)
    return make_event(event_id, sources=(source,), **overrides)


def desk_documents() -> list[Document]:
    """Three documents, twelve events: types, places, dates, modalities and hostile text."""
    syria = [
        event(
            "s1",
            "doc-syria",
            event_date=date(2024, 3, 1),
            fatalities=3,
            sentence="On March 1, warplanes of the US-led coalition struck Islamic State "
            "positions in Riverside Village, killing 3 fighters, according to the "
            "Monitoring group.",
            actor1="US-led coalition",
            actor2="Islamic State",
            location="Riverside Village",
        ),
        event("s2", "doc-syria", event_date=date(2024, 3, 1), fatalities=None, confidence=0.4),
        event(
            "s3",
            "doc-syria",
            event_date=date(2024, 3, 4),
            event_type="Battles",
            sub_event_type="Armed clash",
            fatalities=10,
            admin1="Aleppo",
            location="Hilltown",
            latitude=36.2,
            longitude=37.15,
            notes="Heavy clashes around the citadel.",
        ),
        event(
            "s4",
            "doc-syria",
            event_date=date(2024, 3, 5),
            event_type="Strategic developments",
            sub_event_type="Headquarters or base established",
            modality=Modality.PLANNED,
            fatalities=None,
        ),
    ]
    ukraine = [
        event(
            f"u{i}",
            "doc-ukraine",
            event_date=date(2024, 3, 2 + i),
            event_type="Explosions/Remote violence",
            sub_event_type="Shelling/artillery/missile attack",
            actor1="Military Forces of Russia",
            actor2="Civilians (Ukraine)",
            country="Ukraine",
            iso="UA",
            admin1="Kharkiv",
            admin2=None,
            location="Kharkiv",
            latitude=49.99,
            longitude=36.23,
            fatalities=i,
            confidence=0.5 + i / 10,
        )
        for i in range(1, 5)
    ]
    ukraine.append(
        event(
            "u9",
            "doc-ukraine",
            event_date=None,
            event_type="Battles",
            sub_event_type="Armed clash",
            country="Ukraine",
            iso="UA",
            admin1=None,
            location=None,
            latitude=None,
            longitude=None,
            fatalities=None,
        )
    )
    hostile = [
        event(
            "h1",
            "doc-hostile",
            event_date=date(2024, 3, 9),
            event_type="Violence against civilians",
            sub_event_type="Attack",
            actor1=f"Gunmen {SCRIPT}",
            actor2=None,
            country="Nigeria",
            iso="NG",
            admin1="Borno",
            location=f"Hostile Town {IMG}",
            latitude=11.85,
            longitude=13.16,
            fatalities=2,
            notes=f"Notes with {IMG}",
            sentence=HOSTILE_SENTENCE,
            url=JAVASCRIPT_URL,
        ),
        event(
            "h2",
            "doc-hostile",
            event_date=date(2024, 3, 10),
            event_type="Protests",
            sub_event_type="Peaceful protest",
            actor1="Protesters (Nigeria)",
            actor2=None,
            country="Nigeria",
            iso="NG",
            admin1="Borno",
            location="Maiduguri",
            latitude=11.83,
            longitude=13.15,
            fatalities=None,
            url=JAVASCRIPT_URL,
        ),
    ]
    # Screened as the screen stage would; doc-syria's one comment stays unscreened.
    comments = (
        Comment(
            position=0,
            text="Thanks for the report.",
            start=30,
            end=52,
            author="Ann",
            screening=screening(Decision.OK, 0.1),
        ),
        Comment(
            position=1,
            text=HOSTILE_COMMENT,
            start=53,
            end=100,
            author=IMG,
            reply_to=0,
            screening=screening(Decision.REMOVE, 0.9, spans=(INSULT,)),
        ),
        Comment(
            position=2,
            text="Stay safe ☮ 👍🏽 all",
            start=101,
            end=120,
            author=None,
            screening=screening(Decision.OK, 0.05),
        ),
    )
    return [
        make_document("doc-syria", *syria, published=date(2024, 3, 2), headline="Strikes"),
        make_document(
            "doc-ukraine",
            *ukraine,
            published=date(2024, 3, 7),
            headline="Shelling",
            comments=(),
        ),
        make_document(
            "doc-hostile",
            *hostile,
            published=date(2024, 3, 10),
            headline=f"Hostile {SCRIPT}",
            url=JAVASCRIPT_URL,
            comments=comments,
        ),
    ]


def fill(store: Store, documents: list[Document] | None = None) -> Store:
    """Save the desk documents into ``store`` and return it."""
    for document in documents if documents is not None else desk_documents():
        store.save_document(document)
    return store


def screening(
    decision: Decision, toxicity: float, *, spans: tuple[tuple[str, int, int, str], ...] = ()
) -> Screening:
    """A screening as the screen stage makes it: ``decision`` at ``toxicity``, with ``spans``."""
    scores = (("toxicity", toxicity), ("insult", 0.5))
    return Screening(scores=scores, spans=spans, decision=decision, model="test-model")


# Where the hostile comment's insult is (code points of HOSTILE_COMMENT).
INSULT_START = HOSTILE_COMMENT.index("idiots")
INSULT = ("insult", INSULT_START, INSULT_START + len("idiots"), "idiots")


# The desk's write token in tests; writes are refused (403) on an app built without one.
TOKEN = "test-token-0123456789abcdef"


def desk_settings(**values: Any) -> Settings:
    """Default settings with the test write token and no rate limit, plus ``values``."""
    return Settings({"serve.token": TOKEN, "serve.rate_limit": "", **values})


class Client:
    """A synchronous face over httpx.AsyncClient on the app's ASGI interface (no sockets).

    Args:
        token: sent as ``Authorization: Bearer`` on every request unless a call sets its own.
    """

    def __init__(self, app: Any, *, host: str = "testserver", token: str | None = None) -> None:
        self.app = app
        self.base_url = f"http://{host}"
        self.token = token

    def request(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        if self.token is not None:
            headers = dict(kwargs.pop("headers", None) or {})
            if not any(k.lower() == "authorization" for k in headers):
                headers["Authorization"] = f"Bearer {self.token}"
            kwargs["headers"] = headers

        async def send() -> httpx.Response:
            transport = httpx.ASGITransport(app=self.app)
            async with httpx.AsyncClient(transport=transport, base_url=self.base_url) as client:
                return await client.request(method, url, **kwargs)

        return asyncio.run(send())

    def get(self, url: str, **kwargs: Any) -> httpx.Response:
        return self.request("GET", url, **kwargs)

    def post(self, url: str, **kwargs: Any) -> httpx.Response:
        return self.request("POST", url, **kwargs)


def without_events(document: Document) -> Document:
    return replace(document, events=())
