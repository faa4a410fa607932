"""docs/api.md documents every route and parameter of the OpenAPI schema, and nothing else."""

from __future__ import annotations

import re
from pathlib import Path

from sitrep.adapters.store import MemoryStore
from sitrep.api import build_app

DOC = Path(__file__).resolve().parent.parent / "docs" / "api.md"
_ROUTE = re.compile(r"^### (GET|POST|PUT|PATCH|DELETE) (/\S+)$", re.MULTILINE)
_PARAMETER = re.compile(r"^\| `([a-z0-9_]+)` \|", re.MULTILINE)


def documented() -> dict[tuple[str, str], set[str]]:
    """Return {(method, path): parameter names} from docs/api.md."""
    text = DOC.read_text(encoding="utf-8")
    routes: dict[tuple[str, str], set[str]] = {}
    matches = list(_ROUTE.finditer(text))
    for i, match in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(text)
        section = text[match.end() : end]
        routes[(match.group(1).lower(), match.group(2))] = set(_PARAMETER.findall(section))
    return routes


def schema_routes() -> dict[tuple[str, str], set[str]]:
    schema = build_app(MemoryStore()).openapi()
    routes: dict[tuple[str, str], set[str]] = {}
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            routes[(method, path)] = {p["name"] for p in operation.get("parameters", [])}
    return routes


def test_every_route_is_documented_and_no_other() -> None:
    docs = documented()
    docs.pop(("get", "/api/v1/openapi.json"))  # served by FastAPI, not part of its own schema
    assert set(docs) == set(schema_routes())


def test_every_parameter_is_documented_and_no_other() -> None:
    docs = documented()
    for route, parameters in schema_routes().items():
        assert docs[route] == parameters, route


def test_documented_event_fields_are_the_records() -> None:
    from sitrep.records import EVENT_FIELDS, SOURCE_FIELDS

    text = DOC.read_text(encoding="utf-8")
    for name in (*EVENT_FIELDS, *SOURCE_FIELDS):
        assert name in text, name
