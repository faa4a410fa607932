"""Shared fixtures: settings without a user file, temporary databases, example paths."""

from __future__ import annotations

from pathlib import Path

import pytest

from sitrep.settings import Settings

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
