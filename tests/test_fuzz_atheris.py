"""A short libFuzzer run of fuzz/fuzz_readers.py (coverage-guided, 2,000 inputs).

Skipped only when atheris is not installed; CI installs it (docs/reliability.md).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

FUZZ = ROOT / "fuzz"
RUNS = 2_000


def test_atheris_target_survives_2000_inputs(tmp_path: Path) -> None:
    pytest.importorskip("atheris")
    corpus = tmp_path / "corpus"
    # A copy: libFuzzer writes what it finds into the first corpus folder.
    shutil.copytree(FUZZ / "seeds", corpus)
    seeds = len(list(corpus.iterdir()))
    assert seeds >= 5
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    done = subprocess.run(
        [
            sys.executable,
            str(FUZZ / "fuzz_readers.py"),
            f"-atheris_runs={RUNS}",
            "-seed=1",
            str(corpus),
        ],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    log = done.stdout + done.stderr
    assert done.returncode == 0, log[-4000:]
    assert f"Done {RUNS} " in log, log[-2000:]
    assert not list(tmp_path.glob("crash-*")), log[-4000:]
    # The run found new inputs, so it explored beyond the seeds.
    assert len(list(corpus.iterdir())) > seeds
