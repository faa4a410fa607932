"""`sitrep comments` and `sitrep moderate`: the moderation queue from the command line."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from sitrep.adapters.store import SQLiteStore
from sitrep.cli import main
from sitrep.records import Decision, Screening
from tests.conftest import WORKED_EXAMPLE
from tests.test_moderation_store import comment, queue_document

# Markup, a terminal escape (set red; clear screen) and a C1 control character.
NASTY = "[bold red]boo[/] \x1b[31mred\x1b[2J \x9b6n end"


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def json_lines(result: Result) -> list[dict[str, object]]:
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.stdout.splitlines() if line.strip()]


@pytest.fixture
def db(tmp_path: Path) -> str:
    """A store holding the four-comment queue document and one hostile comment."""
    path = tmp_path / "queue.db"
    nasty = Screening((("toxicity", 0.6),), (("insult", 0, 3, NASTY[:3]),), Decision.REVIEW, "m")
    hostile = replace(queue_document("doc-h"), comments=(comment(0, NASTY, nasty, author=NASTY),))
    with SQLiteStore(path) as store:
        store.save_document(queue_document("doc-a"))
        store.save_document(hostile)
    return f"sqlite:///{path}"


def test_jsonl_lists_the_queue_worst_first(db: str) -> None:
    rows = json_lines(run("comments", "--db", db, "--format", "jsonl"))
    assert [(r["document_id"], r["position"], r["decision"]) for r in rows] == [
        ("doc-a", 2, "remove"),
        ("doc-a", 1, "review"),  # toxicity 0.7
        ("doc-h", 0, "review"),  # toxicity 0.6
        ("doc-a", 0, "ok"),
        ("doc-a", 3, None),
    ]
    assert rows[0]["screening"]["spans"] == [  # type: ignore[index]
        {"label": "threat", "start": 0, "end": 3, "text": "Die"}
    ]


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("--status", "review"), [("doc-a", 1), ("doc-h", 0)]),
        (("--status", "all", "--document", "doc-h"), [("doc-h", 0)]),
        (("--limit", "1"), [("doc-a", 2)]),
    ],
)
def test_filters(db: str, args: tuple[str, ...], expected: list[tuple[str, int]]) -> None:
    rows = json_lines(run("comments", "--db", db, "--format", "jsonl", *args))
    assert [(r["document_id"], r["position"]) for r in rows] == expected


def test_moderate_records_a_decision_the_queue_shows(db: str) -> None:
    out = run(
        "moderate",
        "doc-a",
        "2",
        "--decision",
        "ok",
        "--moderator",
        "Ann",
        "--note",
        "satire",
        "--db",
        db,
    )
    assert out.exit_code == 0, out.output
    assert out.stdout.startswith("ok: comment 2 of document doc-a")
    [row] = json_lines(
        run(
            "comments",
            "--db",
            db,
            "--format",
            "jsonl",
            "--document",
            "doc-a",
            "--status",
            "ok",
            "--limit",
            "1",
        )
    )
    assert row["position"] == 2 and row["decision"] == "ok"
    moderation = row["moderation"]
    assert isinstance(moderation, dict)
    assert (moderation["decision"], moderation["moderator"], moderation["note"]) == (
        "ok",
        "Ann",
        "satire",
    )
    assert row["screening"]["decision"] == "remove"  # type: ignore[index]
    table = run("comments", "--db", db, "--status", "ok")
    assert "machine: remove" in table.stdout and "by Ann" in table.stdout


def test_moderating_a_missing_comment_exits_2_naming_it(db: str) -> None:
    out = CliRunner().invoke(main, ["moderate", "doc-a", "7", "--decision", "ok", "--db", db])
    assert out.exit_code == 2
    assert "position 7 of document 'doc-a'" in out.output


def test_a_decision_that_is_not_one_is_a_usage_error(db: str) -> None:
    out = CliRunner().invoke(main, ["moderate", "doc-a", "0", "--decision", "delete", "--db", db])
    assert out.exit_code == 2
    assert "'delete' is not one of" in out.output


def test_csv_has_one_column_per_score_and_the_text(db: str) -> None:
    out = run("comments", "--db", db, "--format", "csv")
    assert out.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(out.stdout)))
    assert len(rows) == 5
    assert rows[0]["toxicity"] == "0.95" and rows[0]["spans"] == "threat:0-3:Die"
    assert rows[2]["text"] == NASTY  # data exports keep the text as it is
    assert rows[4]["decision"] == "" and rows[4]["machine_decision"] == ""


def test_table_prints_page_text_literally_and_defuses_controls(db: str) -> None:
    wide = {"COLUMNS": "300"}
    out = CliRunner().invoke(main, ["comments", "--db", db, "--document", "doc-h"], env=wide)
    assert out.exit_code == 0
    assert "[bold red]boo[/]" in out.stdout
    assert "\x1b" not in out.stdout and "\x9b" not in out.stdout
    assert "\\x1b[31mred" in out.stdout and "\\x9b6n" in out.stdout


def test_an_empty_queue_says_so(tmp_path: Path) -> None:
    out = run("comments", "--db", f"sqlite:///{tmp_path / 'empty.db'}")
    assert out.exit_code == 0 and "No comments." in out.stdout


@pytest.mark.slow
def test_process_moderate_reprocess_keeps_the_decision(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'e2e.db'}"
    example = str(WORKED_EXAMPLE)
    assert run("process", example, "--published", "2018-08-23", "--db", db).exit_code == 0
    rows = json_lines(run("comments", "--db", db, "--format", "jsonl"))
    decisions = {str(r["text"])[:20]: r["decision"] for r in rows}
    assert len(rows) == 6
    assert decisions["Question No 1, why t"] == "ok"
    assert list(decisions.values()).count("ok") == 1
    worst = rows[0]
    assert worst["decision"] == "remove"
    doc_id, position = str(worst["document_id"]), str(worst["position"])
    assert run("moderate", doc_id, position, "--decision", "review", "--db", db).exit_code == 0
    forced = run("process", example, "--published", "2018-08-23", "--db", db, "--force")
    assert forced.exit_code == 0
    again = json_lines(run("comments", "--db", db, "--format", "jsonl", "--status", "review"))
    [kept] = [r for r in again if r["moderation"] is not None]
    assert (kept["document_id"], kept["position"]) == (doc_id, worst["position"])
    assert kept["screening"]["decision"] == "remove"  # type: ignore[index]
