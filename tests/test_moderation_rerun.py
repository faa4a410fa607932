"""Moderators' decisions survive re-processing: process → moderate → process --force."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sitrep.adapters.store import SQLiteStore
from sitrep.adapters.store.base import CommentQuery
from sitrep.pipeline import Pipeline
from sitrep.process import process_paths
from sitrep.records import Decision
from sitrep.settings import Settings
from sitrep.stages.language import LanguageStage
from sitrep.stages.screen import ScreenStage
from sitrep.stages.segment import SegmentStage
from tests.conftest import WORKED_EXAMPLE


def comment_pipeline(values: dict[str, Any]) -> Pipeline:
    """The default pipeline up to screening: no spaCy, so the test stays fast."""
    settings = Settings(values)
    return Pipeline(
        [
            SegmentStage.from_settings(settings),
            LanguageStage.from_settings(settings),
            ScreenStage.from_settings(settings),
        ],
        raise_errors=True,
    )


def run(store: SQLiteStore, *, force: bool) -> None:
    process_paths(
        [WORKED_EXAMPLE], settings=Settings(), store=store, force=force, factory=comment_pipeline
    )


def test_a_decision_survives_a_forced_rerun(tmp_path: Path) -> None:
    db = tmp_path / "rerun.db"
    with SQLiteStore(db) as store:
        run(store, force=False)
        rows = store.comments()
        assert len(rows) == 6 and all(r.screening is not None for r in rows)
        [civil] = [r for r in rows if r.text.startswith("Question No 1")]
        [worst] = store.comments(CommentQuery(status="remove", limit=1))
        store.save_moderation(
            worst.document_id, worst.position, decision="ok", moderator="Ann", note="satire"
        )
        store.save_moderation(civil.document_id, civil.position, decision="remove")
        before = store.comments()
        # Wipe the machine screening, so that only a real re-run can bring it back.
        store._conn.execute("UPDATE comments SET decision = NULL")
        assert store.count_comments(CommentQuery(screened=True)) == 0
    with SQLiteStore(db) as store:
        run(store, force=True)
        after = store.comments()
        assert after == before
        moderated = {(r.position, r.decision) for r in store.comments(CommentQuery(moderated=True))}
        assert moderated == {(worst.position, Decision.OK), (civil.position, Decision.REMOVE)}
        document = store.get_document(worst.document_id)
        assert document is not None
        assert all(c.screening is not None for c in document.comments)
