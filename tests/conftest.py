"""Shared fixtures: settings without a user file, temporary databases, example paths."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from sitrep.settings import Settings

if TYPE_CHECKING:
    from sitrep.stages.events import EventsStage
    from sitrep.stages.nlp import NlpStage

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
WORKED_EXAMPLE = EXAMPLES / "coalition-strikes-deir-ezzor.txt"


@pytest.fixture
def settings() -> Settings:
    """Default settings, independent of any sitrep.toml or SITREP_* variable."""
    return Settings()


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'test.db'}"


@pytest.fixture(autouse=True)
def _no_user_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    # Tests must not see the developer's own SITREP_* variables.
    import os

    for key in list(os.environ):
        if key.startswith("SITREP_"):
            monkeypatch.delenv(key)


@pytest.fixture(scope="session")
def nlp() -> NlpStage:
    """The default spaCy stage, loaded once for the whole run (events and places tests)."""
    from sitrep.stages.nlp import NlpStage

    stage = NlpStage()
    stage.setup()
    return stage


@pytest.fixture(scope="session")
def events() -> EventsStage:
    """The events stage with the shipped lexicon and actor dictionary, loaded once."""
    from sitrep.stages.events import EventsStage

    stage = EventsStage()
    stage.setup()
    return stage
