"""Engines: selection, the Ray engine's environment and row codec, Ray vs local results.

The Ray tests start a local Ray cluster (slow); they are skipped only when Ray is not
installed. This module never imports ray itself: RayEngine must be the first to, so that
Ray reads the loopback-only environment it sets (docs/decisions/0013-engines.md).
"""

from __future__ import annotations

import importlib.util
import json
import os
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from sitrep.adapters.engine.local import LocalEngine
from sitrep.adapters.engine.ray import (
    LOCAL_ENVIRONMENT,
    REMOTE_ENVIRONMENT,
    RayEngine,
    environment,
    page_row,
    row_page,
    windows,
)
from sitrep.cli import main
from sitrep.errors import ConfigError
from sitrep.pipeline import Pipeline
from sitrep.process import ProcessSummary, build_pipeline, select_engine
from sitrep.records import Document, Page
from sitrep.settings import Settings, load_settings
from tests.conftest import WORKED_EXAMPLE

HAS_RAY = importlib.util.find_spec("ray") is not None
needs_ray = pytest.mark.skipif(not HAS_RAY, reason="ray is not installed (the ray extra)")
# Ray Data warns about its own deprecated DataContext fields when it copies the context.
ray_warnings = pytest.mark.filterwarnings("ignore::DeprecationWarning:ray.*")


def _pages(n: int) -> list[Page]:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
    try:
        from corpus import make_corpus
    finally:
        sys.path.pop(0)
    return [
        Page(origin=f"bench:{i}", text=p.text, published=date.fromisoformat(p.published))
        for i, p in enumerate(make_corpus(n))
    ]


# -- selection and settings ------------------------------------------------------------------


def test_select_engine_follows_the_settings() -> None:
    local = select_engine(build_pipeline, Settings({"process.workers": 2}))
    assert isinstance(local, LocalEngine) and local.workers == 2
    ray = select_engine(
        build_pipeline,
        Settings({"process.engine": "ray", "process.workers": 3, "process.ray_address": "auto"}),
    )
    assert isinstance(ray, RayEngine)
    assert (ray.workers, ray.address) == (3, "auto")
    default = select_engine(build_pipeline, Settings({"process.engine": "ray"}))
    assert isinstance(default, RayEngine) and default.address is None
    with pytest.raises(ConfigError, match="local or ray"):
        select_engine(build_pipeline, Settings({"process.engine": "spark"}))


def test_engine_settings_come_from_the_environment() -> None:
    settings = load_settings(
        environ={"SITREP_PROCESS_ENGINE": "ray", "SITREP_PROCESS_RAY_ADDRESS": "ray://h:10001"}
    )
    assert (settings["process.engine"], settings["process.ray_address"]) == (
        "ray",
        "ray://h:10001",
    )


def test_cli_passes_engine_and_address(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    seen: list[Settings] = []

    def fake_process_paths(paths: Any, *, settings: Settings, **kw: Any) -> ProcessSummary:
        seen.append(settings)
        return ProcessSummary()

    monkeypatch.setattr("sitrep.process.process_paths", fake_process_paths)
    db = f"sqlite:///{tmp_path / 'x.db'}"
    args = ["process", str(tmp_path), "--db", db, "--engine", "ray", "--address", "auto"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert (seen[0]["process.engine"], seen[0]["process.ray_address"]) == ("ray", "auto")
    result = CliRunner().invoke(main, ["process", str(tmp_path), "--engine", "spark"])
    assert result.exit_code == 2 and "spark" in result.output


# -- the Ray engine without Ray --------------------------------------------------------------


def test_ray_engine_without_ray_says_how_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "ray", None)  # import ray now raises ImportError
    engine = RayEngine(build_pipeline, {}, workers=1)
    with pytest.raises(ConfigError, match=r"sitrep\[ray\]"):
        list(engine.map([[Page(origin="a", text="x")]]))
    # The environment set for Ray is given back even when the run fails.
    assert all(os.environ.get(k) != v for k, v in LOCAL_ENVIRONMENT.items() if "proxy" in k)


def test_ray_engine_rejects_an_empty_window() -> None:
    with pytest.raises(ConfigError, match="window_pages"):
        RayEngine(build_pipeline, {}, window_pages=0)


def test_local_environment_keeps_ray_on_loopback() -> None:
    assert LOCAL_ENVIRONMENT["RAY_USAGE_STATS_ENABLED"] == "0"
    assert LOCAL_ENVIRONMENT["RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER"] == "0"
    for key in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY"):
        assert LOCAL_ENVIRONMENT[key].startswith("http://127.0.0.1:")
    assert "127.0.0.1" in LOCAL_ENVIRONMENT["no_proxy"].split(",")
    # Joining a cluster must not reroute the driver's traffic to it.
    assert not any("proxy" in k for k in REMOTE_ENVIRONMENT)


def test_environment_is_restored(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SITREP_TEST_KEEP", "before")
    monkeypatch.delenv("SITREP_TEST_NEW", raising=False)
    with environment({"SITREP_TEST_KEEP": "during", "SITREP_TEST_NEW": "x"}):
        assert os.environ["SITREP_TEST_KEEP"] == "during"
        assert os.environ["SITREP_TEST_NEW"] == "x"
    assert os.environ["SITREP_TEST_KEEP"] == "before"
    assert "SITREP_TEST_NEW" not in os.environ


def test_windows_group_batches_by_pages() -> None:
    batches = [["a"] * 3, [], ["b"] * 3, ["c"] * 2, ["d"]]
    grouped = list(windows(batches, pages=5))  # type: ignore[arg-type]
    assert [[len(b) for b in w] for w in grouped] == [[3, 3], [2, 1]]
    assert list(windows([], pages=5)) == []


@given(
    st.builds(
        Page,
        origin=st.text(max_size=20),
        html=st.none() | st.text(max_size=40),
        text=st.none() | st.text(max_size=40),
        url=st.none() | st.text(max_size=20),
        published=st.none() | st.dates(),
        published_source=st.none() | st.sampled_from(["record", "user", "html"]),
    )
)
def test_page_rows_round_trip(page: Page) -> None:
    row = page_row(page)
    assert all(v is None or isinstance(v, str) for v in row.values())
    assert row_page(row) == page


# -- the Ray engine with Ray (slow) ----------------------------------------------------------


class ProbeStage:
    """Turns each page into a Document whose text says where and how its worker runs."""

    name = "probe"
    requires: tuple[str, ...] = ()
    produces: tuple[str, ...] = ("text",)

    def setup(self) -> None:
        self.pid = os.getpid()

    def __call__(self, batch: Sequence[Page]) -> list[Document]:
        import urllib.request

        import ray

        facts = {
            "node_ip": ray.util.get_node_ip_address(),
            "proxies": urllib.request.getproxies(),
            "pid": self.pid,
        }
        return [Document(id=p.id, origin=p.origin, text=json.dumps(facts)) for p in batch]


def probe_pipeline(values: dict[str, Any]) -> Pipeline:
    return Pipeline([ProbeStage()])


def _by_id(results: Any) -> list[Document]:
    return sorted((d for r in results for d in r.documents), key=lambda d: d.id)


@pytest.mark.slow
@needs_ray
@ray_warnings
def test_ray_runs_on_loopback_with_models_once_per_actor() -> None:
    pages = [Page(origin=f"p{i}", text=f"page {i}") for i in range(12)]
    batches = [pages[i : i + 3] for i in range(0, 12, 3)]
    engine = RayEngine(probe_pipeline, {}, workers=2, object_store_mb=100)
    results = list(engine.map(batches))
    # In input order, one result per batch.
    assert [[d.origin for d in r.documents] for r in results] == [
        [p.origin for p in b] for b in batches
    ]
    facts = [json.loads(d.text) for d in _by_id(results)]
    assert {f["node_ip"] for f in facts} == {"127.0.0.1"}
    assert {f["proxies"]["http"] for f in facts} == {LOCAL_ENVIRONMENT["http_proxy"]}
    # Two actors, each built its pipeline once for all its batches.
    assert 1 <= len({f["pid"] for f in facts}) <= 2
    # The driver's environment is given back after the run.
    assert os.environ.get("http_proxy") != LOCAL_ENVIRONMENT["http_proxy"]


@pytest.mark.slow
@needs_ray
@ray_warnings
def test_ray_engine_matches_the_local_engine() -> None:
    pages = [*_pages(10), Page(origin=str(WORKED_EXAMPLE), text=WORKED_EXAMPLE.read_text())]
    pages.append(Page(origin="empty", text=""))
    batches = [pages[i : i + 4] for i in range(0, len(pages), 4)]
    values = Settings().as_dict()
    local = list(LocalEngine(build_pipeline, values, workers=1).map(batches))
    ray = list(RayEngine(build_pipeline, values, workers=2, object_store_mb=200).map(batches))
    ray_docs, local_docs = _by_id(ray), _by_id(local)
    assert ray_docs == local_docs
    assert sum(len(d.events) for d in ray_docs) > 10
    assert [f for r in ray for f in r.failures] == [f for r in local for f in r.failures]
