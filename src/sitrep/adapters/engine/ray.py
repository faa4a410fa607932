"""The Ray engine: the same stages as the local engine, run by Ray Data actors.

Each actor builds the pipeline once (models load once per worker) and maps batches of
pages; results come back to the driver, which stores them (the store is not shared with
workers). This is the only module that imports ``ray``, and it imports it late: Ray reads
some of the environment set here when it is first imported (docs/decisions/0013-engines.md).
"""

from __future__ import annotations

import logging
import os
import pickle
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import date
from typing import Any

from sitrep.errors import ConfigError
from sitrep.pipeline import BatchResult, Pipeline
from sitrep.records import Page

PipelineFactory = Callable[[dict[str, Any]], Pipeline]

# A closed loopback port: HTTP that Ray's processes try outside loopback goes here and fails
# at once (Ray's cloud-provider probe of 169.254.169.254 and metadata.google.internal).
DEAD_PROXY = "http://127.0.0.1:9"
LOOPBACK = "127.0.0.1,localhost,::1"

# Environment of a local Ray cluster started by the engine: no usage reporting, every
# process on the loopback address, no HTTP leaving the machine.
LOCAL_ENVIRONMENT: Mapping[str, str] = {
    # docs.ray.io/en/latest/cluster/usage-stats.html: "Set the environment variable
    # RAY_USAGE_STATS_ENABLED to 0".
    "RAY_USAGE_STATS_ENABLED": "0",
    "RAY_USAGE_STATS_PROMPT_ENABLED": "0",
    # With it off, ray._private.services.get_node_ip_address answers the loopback address
    # instead of asking the route to 8.8.8.8 and binding every process to eth0's address.
    "RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER": "0",
    # The dashboard's UsageStatsHead probes cloud metadata servers whatever
    # RAY_USAGE_STATS_ENABLED says (ray 2.60, usage_lib.get_cloud_from_metadata_requests);
    # Ray has no switch for it, so its HTTP goes to a dead loopback proxy. Ray's own gRPC
    # ignores these variables (RAY_grpc_enable_http_proxy defaults to 0).
    "http_proxy": DEAD_PROXY,
    "HTTP_PROXY": DEAD_PROXY,
    "https_proxy": DEAD_PROXY,
    "HTTPS_PROXY": DEAD_PROXY,
    "no_proxy": LOOPBACK,
    "NO_PROXY": LOOPBACK,
}

# Environment when joining an existing cluster: its operator owns its network settings.
REMOTE_ENVIRONMENT: Mapping[str, str] = {
    "RAY_USAGE_STATS_ENABLED": "0",
    "RAY_USAGE_STATS_PROMPT_ENABLED": "0",
}

_PAGE_COLUMNS = ("origin", "html", "text", "url", "published", "published_source")


def page_row(page: Page) -> dict[str, str | None]:
    """Return a page as a row of string columns (what Ray Data stores in Arrow)."""
    return {
        "origin": page.origin,
        "html": page.html,
        "text": page.text,
        "url": page.url,
        "published": page.published.isoformat() if page.published is not None else None,
        "published_source": page.published_source,
    }


def row_page(row: Mapping[str, Any]) -> Page:
    """Return the Page of a row made by ``page_row``."""
    published = row["published"]
    return Page(
        origin=row["origin"],
        html=row["html"],
        text=row["text"],
        url=row["url"],
        published=date.fromisoformat(published) if published is not None else None,
        published_source=row["published_source"],
    )


class PipelineActor:
    """Ray Data's callable class: builds the pipeline once per actor, maps a batch of pages.

    Args:
        factory: builds a Pipeline from a settings dict (a module-level function).
        values: the settings dict handed to the factory.
    """

    def __init__(self, factory: PipelineFactory, values: dict[str, Any]) -> None:
        self.pipeline = factory(values)
        self.pipeline.setup()

    def __call__(self, batch: Any) -> Any:
        """Map a pyarrow Table of page rows to a one-row Table holding the pickled result."""
        import pyarrow as pa  # type: ignore[import-untyped]

        pages = [row_page(row) for row in batch.to_pylist()]
        result = self.pipeline.run(pages)
        # Pickled: a BatchResult is a tree of frozen dataclasses that only this code reads.
        return pa.table({"result": pa.array([pickle.dumps(result)], type=pa.binary())})


@contextmanager
def environment(values: Mapping[str, str]) -> Iterator[None]:
    """Set environment variables for the block (Ray's processes copy them at start)."""
    saved = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


class RayEngine:
    """Maps batches of pages to BatchResults with Ray Data actors, in input order.

    Args:
        factory: builds a Pipeline from a settings dict (module-level, so actors import it).
        values: the settings dict handed to the factory.
        workers: actors, each with one CPU and its own models.
        address: a running cluster ("ray://host:10001", "host:6379", "auto"); None starts a
            local one on the loopback address for the run and stops it afterwards.
        window_pages: pages handed to Ray Data at a time; bounds the driver's memory on long
            inputs at the cost of loading models again for each window.
        object_store_mb: object store size of a local cluster (None: Ray's default).
    """

    def __init__(
        self,
        factory: PipelineFactory,
        values: dict[str, Any],
        *,
        workers: int = 1,
        address: str | None = None,
        window_pages: int = 4096,
        object_store_mb: int | None = None,
    ) -> None:
        if window_pages < 1:
            raise ConfigError(f"window_pages must be 1 or more, not {window_pages}")
        self.factory = factory
        self.values = values
        self.workers = max(1, workers)
        self.address = address or None
        self.window_pages = window_pages
        self.object_store_mb = object_store_mb

    def map(self, batches: Iterable[Sequence[Page]]) -> Iterator[BatchResult]:
        env = REMOTE_ENVIRONMENT if self.address else LOCAL_ENVIRONMENT
        with environment(env):
            ray = _import_ray()
            started = self._connect(ray)
            try:
                yield from self._map(batches)
            finally:
                if started:
                    ray.shutdown()

    def _connect(self, ray: Any) -> bool:
        """Start or join a cluster; return True when this call did (and must stop it)."""
        if ray.is_initialized():
            return False
        options: dict[str, Any] = {
            "include_dashboard": False,
            "logging_level": "WARNING",
            "log_to_driver": False,
            "configure_logging": False,
        }
        if self.address:
            ray.init(address=self.address, **options)
        else:
            object_store = self.object_store_mb * 1024 * 1024 if self.object_store_mb else None
            ray.init(
                address="local",
                num_cpus=self.workers,
                object_store_memory=object_store,
                _node_ip_address="127.0.0.1",
                **options,
            )
        return True

    def _map(self, batches: Iterable[Sequence[Page]]) -> Iterator[BatchResult]:
        import ray.data

        # Ray Data logs every dataset's plan and progress at INFO: noise on a CLI's stderr.
        logging.getLogger("ray.data").setLevel(logging.ERROR)
        context = ray.data.DataContext.get_current()
        context.enable_progress_bars = False
        context.execution_options.preserve_order = True
        for window in windows(batches, pages=self.window_pages):
            rows = [page_row(p) for batch in window for p in batch]
            dataset = ray.data.from_items(rows, override_num_blocks=len(window))
            results = dataset.map_batches(
                PipelineActor,
                fn_constructor_kwargs={"factory": self.factory, "values": self.values},
                batch_size=max(len(b) for b in window),
                batch_format="pyarrow",
                compute=ray.data.ActorPoolStrategy(size=self.workers),
                num_cpus=1,
            )
            for row in results.iter_rows():
                # Our own actors pickled it (PipelineActor.__call__).
                yield pickle.loads(row["result"])


def windows(batches: Iterable[Sequence[Page]], *, pages: int) -> Iterator[list[Sequence[Page]]]:
    """Group non-empty batches into lists holding at least ``pages`` pages (the last fewer)."""
    window: list[Sequence[Page]] = []
    count = 0
    for batch in batches:
        if not batch:
            continue
        window.append(batch)
        count += len(batch)
        if count >= pages:
            yield window
            window, count = [], 0
    if window:
        yield window


def _import_ray() -> Any:
    try:
        import ray
    except ImportError:
        raise ConfigError(
            "the ray engine needs Ray: pip install 'sitrep[ray]' (or 'ray[data]')"
        ) from None
    return ray
