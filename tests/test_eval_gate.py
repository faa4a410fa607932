"""The quality gate: the pipeline's figures on eval/dev-gold.jsonl may not fall below their floors.

Floors live in eval/floors.json. Raising a floor is a commit of its own; lowering one is not
allowed (test_no_floor_was_lowered compares with the last committed floors).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from typing import Any

import pytest

from sitrep.evaluate import EvalReport, run_eval
from sitrep.settings import Settings
from tests.conftest import ROOT

DEV_GOLD = ROOT / "eval" / "dev-gold.jsonl"
FLOORS_PATH = ROOT / "eval" / "floors.json"
FLOORS_FILE = "eval/floors.json"


def read_floors(text: str) -> dict[str, dict[str, float]]:
    """Return {sample: {figure: floor}} from the floors file's text (comments dropped)."""
    data: dict[str, Any] = json.loads(text)
    return {k: v for k, v in data.items() if not k.startswith("_")}


FLOORS = read_floors(FLOORS_PATH.read_text(encoding="utf-8"))


def test_floors_are_fractions_for_known_samples() -> None:
    assert set(FLOORS) == {"tune", "heldout"}
    for figures in FLOORS.values():
        assert figures, "a sample with no floors gates nothing"
        assert all(0.0 <= v <= 1.0 for v in figures.values())


def test_no_floor_was_lowered() -> None:
    git = shutil.which("git")
    if git is None:
        pytest.skip("git is not installed")
    shown = subprocess.run(
        [git, "show", f"HEAD:{FLOORS_FILE}"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    if shown.returncode != 0:
        pytest.skip("eval/floors.json is not committed yet")
    committed = read_floors(shown.stdout)
    for sample, figures in committed.items():
        for name, floor in figures.items():
            assert name in FLOORS.get(sample, {}), f"floor {sample}.{name} was removed"
            assert FLOORS[sample][name] >= floor, f"floor {sample}.{name} was lowered"


@pytest.fixture(scope="module")
def reports() -> dict[str, EvalReport]:
    return {s: run_eval(DEV_GOLD, settings=Settings(), sample=s) for s in FLOORS}


@pytest.mark.slow
@pytest.mark.parametrize("sample", ["tune", "heldout"])
def test_figures_stay_above_their_floors(reports: dict[str, EvalReport], sample: str) -> None:
    report = reports[sample]
    assert report.failures == 0, report.errors
    figures = report.figures()
    low = {
        name: (round(figures.get(name, 0.0), 4), floor)
        for name, floor in FLOORS[sample].items()
        if figures.get(name, 0.0) < floor
    }
    assert not low, f"{sample}: figures below their floors (measured, floor): {low}"
