"""The pipeline loop: order checks, per-record failure isolation, status handling."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any

import pytest

from sitrep.errors import ConfigError
from sitrep.pipeline import Pipeline
from sitrep.records import Document, DocumentStatus, Page


class ToDocument:
    name = "segment"
    requires: tuple[str, ...] = ()
    produces = ("segments",)

    def setup(self) -> None:
        pass

    def __call__(self, batch: Sequence[Any]) -> list[Any]:
        return [Document(id=p.id, origin=p.origin, text=p.text or "") for p in batch]


class Explode:
    """Fails on any document whose text contains 'boom'."""

    name = "explode"
    requires = ("segments",)
    produces = ("mentions",)

    def __init__(self) -> None:
        self.setups = 0

    def setup(self) -> None:
        self.setups += 1

    def __call__(self, batch: Sequence[Any]) -> list[Any]:
        for d in batch:
            if "boom" in d.text:
                raise ValueError(f"cannot handle {d.origin}")
        return [dataclasses.replace(d, language="en") for d in batch]


def pages(*texts: str) -> list[Page]:
    return [Page(origin=f"p{i}", text=t) for i, t in enumerate(texts)]


def test_a_bad_record_becomes_a_failure_and_the_rest_go_on() -> None:
    pipeline = Pipeline([ToDocument(), Explode()])
    result = pipeline.run(pages("fine", "boom here", "also fine"))
    ok = [d for d in result.documents if d.status is DocumentStatus.OK]
    failed = [d for d in result.documents if d.status is DocumentStatus.FAILED]
    assert [d.origin for d in ok] == ["p0", "p2"]
    assert all(d.language == "en" for d in ok)
    assert [d.origin for d in failed] == ["p1"]
    assert failed[0].status_reason is not None and "cannot handle p1" in failed[0].status_reason
    (failure,) = result.failures
    assert (failure.stage, failure.origin, failure.error) == ("explode", "p1", "ValueError")


def test_raise_errors_re_raises() -> None:
    pipeline = Pipeline([ToDocument(), Explode()], raise_errors=True)
    with pytest.raises(ValueError, match="cannot handle"):
        pipeline.run(pages("boom"))


def test_setup_runs_once_across_batches() -> None:
    stage = Explode()
    pipeline = Pipeline([ToDocument(), stage])
    pipeline.run(pages("a"))
    pipeline.run(pages("b"))
    assert stage.setups == 1


def test_stage_order_is_checked() -> None:
    class NeedsMentions(Explode):
        requires = ("mentions",)

    with pytest.raises(ConfigError, match="requires"):
        Pipeline([ToDocument(), NeedsMentions()])
    Pipeline([ToDocument(), Explode(), NeedsMentions()])


def test_non_pending_status_is_kept() -> None:
    class Unsupported(ToDocument):
        name = "language"

        def __call__(self, batch: Sequence[Any]) -> list[Any]:
            return [
                dataclasses.replace(d, status=DocumentStatus.UNSUPPORTED_LANGUAGE) for d in batch
            ]

    doc_stage = ToDocument()
    result = Pipeline([doc_stage, Unsupported()]).run(pages("bonjour"))
    assert result.documents[0].status is DocumentStatus.UNSUPPORTED_LANGUAGE


class Sleepy:
    """Spins (pure Python, so the alarm can interrupt it) on documents containing 'slow'."""

    name = "sleepy"
    requires = ("segments",)
    produces = ("mentions",)

    def setup(self) -> None:
        pass

    def __call__(self, batch: Sequence[Any]) -> list[Any]:
        import time

        for d in batch:
            if "slow" in d.text:
                end = time.monotonic() + 30
                while time.monotonic() < end:
                    pass
        return list(batch)


def test_a_record_past_its_time_budget_becomes_a_failure() -> None:
    pipeline = Pipeline([ToDocument(), Sleepy()], record_timeout=0.2)
    result = pipeline.run(pages("fine", "slow page", "also fine"))
    statuses = {d.origin: d.status for d in result.documents}
    assert statuses == {
        "p0": DocumentStatus.OK,
        "p1": DocumentStatus.FAILED,
        "p2": DocumentStatus.OK,
    }
    (failure,) = result.failures
    assert failure.error == "StageTimeout"
    assert "p1" in failure.message and "0.2 s" in failure.message
