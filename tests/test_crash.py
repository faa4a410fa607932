"""Crash safety, for real: `sitrep process` and `sitrep serve` killed with SIGKILL mid-write.

After the kill the SQLite file passes `PRAGMA integrity_check`, every stored document is
whole (its rows equal a clean run's), a restart skips what was done and ends with the same
database as a run that was never interrupted, and every write the server acknowledged is
there. Slow: real pipeline, real processes.
"""

from __future__ import annotations

import http.client
import json
import os
import random
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from sitrep.adapters.store.base import fold
from tests.conftest import ROOT

# The CLI in this interpreter (no console script needed on a bare checkout).
SITREP = [sys.executable, "-c", "from sitrep.cli import main; main()"]
PUBLISHED = "2024-03-01"
TOKEN = "crash-test-token-0123456789"
# Tables whose rows are the result; `meta` holds the schema version, `moderation` people's.
SKIP_TABLES = frozenset({"meta", "moderation", "sqlite_sequence"})


def write_corpus(folder: Path, n: int, *, seed: int = 7) -> list[Path]:
    """Write ``n`` generated news pages (bench/corpus.py) as .txt files; return their paths."""
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        from corpus import make_corpus
    finally:
        sys.path.remove(str(ROOT / "bench"))
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i, page in enumerate(make_corpus(n, seed=seed)):
        path = folder / f"page{i:04d}.txt"
        path.write_text(page.text, encoding="utf-8")
        paths.append(path)
    return paths


def sitrep_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SITREP_")}
    env["PYTHONPATH"] = str(ROOT / "src")
    return env


def connect(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30)


def count(path: Path, table: str = "documents") -> int:
    """Rows in ``table`` (0 while the database or the table does not exist yet)."""
    if not path.exists():
        return 0
    try:
        with connect(path) as conn:
            return int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
    except sqlite3.OperationalError:
        return 0


def integrity(path: Path) -> str:
    """PRAGMA integrity_check and foreign_key_check; "ok" when both find nothing."""
    with sqlite3.connect(path) as conn:
        # The store's expression indexes call sitrep_fold: checking them needs the function
        # (the stock sqlite3 shell cannot run integrity_check on a sitrep database).
        conn.create_function("sitrep_fold", 1, fold, deterministic=True)
        result = conn.execute("PRAGMA integrity_check").fetchall()
        fk = conn.execute("PRAGMA foreign_key_check").fetchall()
    return "ok" if result == [("ok",)] and not fk else f"{result} {fk}"


def snapshot(path: Path, *, document_ids: set[str] | None = None) -> dict[str, list[str]]:
    """Every result table as sorted JSON rows (no rowids); only some documents' rows if asked."""
    tables: dict[str, list[str]] = {}
    with connect(path) as conn:
        names = [
            r[0]
            for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            if r[0] not in SKIP_TABLES
        ]
        for name in sorted(names):
            cursor = conn.execute(f'SELECT * FROM "{name}"')
            columns = [c[0] for c in cursor.description]
            rows = [dict(zip(columns, row, strict=True)) for row in cursor]
            if document_ids is not None:
                key = "id" if name == "documents" else "document_id"
                # Fused rows belong to clusters that span documents (0011-fusion.md): they
                # depend on which other pages are stored, so only whole runs compare them.
                if key not in columns or name.startswith("fused_"):
                    continue
                rows = [r for r in rows if r[key] in document_ids]
            tables[name] = sorted(json.dumps(r, sort_keys=True, default=str) for r in rows)
    return tables


def ids(path: Path, table: str, column: str) -> set[str]:
    with connect(path) as conn:
        return {r[0] for r in conn.execute(f"SELECT {column} FROM {table}")}


def process(pages: Path, db: Path) -> list[str]:
    return [*SITREP, "process", str(pages), "--published", PUBLISHED, "--db", f"sqlite:///{db}"]


def start(
    command: list[str], log: Path, env: dict[str, str] | None = None
) -> subprocess.Popen[bytes]:
    """Start ``command`` writing to ``log`` (a pipe nobody reads would fill and block it)."""
    with log.open("ab") as out:
        return subprocess.Popen(command, env=env or sitrep_env(), stdout=out, stderr=out)


def kill(proc: subprocess.Popen[bytes]) -> None:
    """SIGKILL: no handler, no flush, no cleanup runs."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGKILL)
    proc.wait()


def wait_for(
    predicate: Any,
    *,
    timeout: float,
    proc: subprocess.Popen[bytes] | None = None,
    log: Path | None = None,
) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if proc is not None and proc.poll() is not None:
            out = log.read_text(errors="replace")[-3000:] if log is not None else ""
            raise AssertionError(f"the process ended first ({proc.returncode}): {out}")
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting")
        time.sleep(0.05)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("crash") / "pages"
    write_corpus(folder, 300)
    return folder


@pytest.fixture(scope="module")
def clean_db(corpus: Path) -> Path:
    db = corpus.parent / "clean.db"
    done = subprocess.run(
        process(corpus, db), env=sitrep_env(), capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    assert count(db) == 300
    return db


@pytest.mark.slow
def test_process_killed_mid_run_is_whole_and_resumes_to_the_clean_result(
    corpus: Path, clean_db: Path
) -> None:
    db = corpus.parent / "killed.db"
    log = corpus.parent / "killed.log"
    proc = start(process(corpus, db), log)
    try:
        wait_for(lambda: count(db) >= 40, timeout=600, proc=proc, log=log)
    finally:
        kill(proc)
    assert proc.returncode == -signal.SIGKILL

    assert integrity(db) == "ok"
    stored = ids(db, "documents", "id")
    assert 40 <= len(stored) < 300, "the kill came after the run had finished"
    # Each stored document is whole: its rows in every table equal the clean run's.
    assert snapshot(db, document_ids=stored) == snapshot(clean_db, document_ids=stored)

    resumed = subprocess.run(
        process(corpus, db), env=sitrep_env(), capture_output=True, text=True, check=False
    )
    assert resumed.returncode == 0, resumed.stdout[-2000:] + resumed.stderr[-2000:]
    assert f"{len(stored)} already stored" in resumed.stderr  # the summary line
    assert integrity(db) == "ok"
    assert ids(db, "documents", "id") == ids(clean_db, "documents", "id")
    assert ids(db, "events", "event_id") == ids(clean_db, "events", "event_id")
    assert snapshot(db) == snapshot(clean_db)


@pytest.mark.slow
def test_process_killed_many_times_loses_nothing(corpus: Path, clean_db: Path) -> None:
    """Kill a run again and again at random moments; every restart goes on where it stopped.

    CRASH_KILLS=25 makes it a soak (docs/reliability.md); CI kills three times.
    """
    kills = int(os.environ.get("CRASH_KILLS", "3"))
    rng = random.Random(kills)
    targets = sorted(rng.sample(range(5, 295), kills))
    db = corpus.parent / f"killed-{kills}-times.db"
    log = corpus.parent / f"killed-{kills}-times.log"
    stored = 0
    for target in targets:
        proc = start(process(corpus, db), log)
        try:
            wait_for(lambda t=target: count(db) >= t, timeout=600, proc=proc, log=log)
        finally:
            kill(proc)
        assert integrity(db) == "ok"
        now = ids(db, "documents", "id")
        assert len(now) >= stored  # nothing stored before was lost
        assert snapshot(db, document_ids=now) == snapshot(clean_db, document_ids=now)
        stored = len(now)
    done = subprocess.run(
        process(corpus, db), env=sitrep_env(), capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert snapshot(db) == snapshot(clean_db)


# -- serve -----------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def post(url: str, payload: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    request = urllib.request.Request(
        url,
        data=json.dumps(payload).encode(),
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {TOKEN}"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=120) as response:
        return response.status, json.loads(response.read())


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[subprocess.Popen[bytes], str, Path]]:
    db = tmp_path / "served.db"
    port = free_port()
    env = {**sitrep_env(), "SITREP_SERVE_TOKEN": TOKEN, "SITREP_SERVE_RATE_LIMIT": ""}
    log = tmp_path / "serve.log"
    proc = start([*SITREP, "serve", "--db", f"sqlite:///{db}", "--port", str(port)], log, env)
    base = f"http://127.0.0.1:{port}/api/v1"

    def up() -> bool:
        try:
            with urllib.request.urlopen(f"{base}/info", timeout=2) as r:
                return bool(r.status == 200)
        except (urllib.error.URLError, ConnectionError):
            return False

    try:
        wait_for(up, timeout=120, proc=proc, log=log)
        yield proc, base, db
    finally:
        kill(proc)


@pytest.mark.slow
def test_serve_killed_during_writes_keeps_every_acknowledged_page(
    server: tuple[subprocess.Popen[bytes], str, Path], tmp_path: Path
) -> None:
    proc, base, db = server
    pages = write_corpus(tmp_path / "pages", 60, seed=11)
    acknowledged: dict[str, set[str]] = {}
    lock = threading.Lock()
    stop = threading.Event()

    def writer(mine: list[Path]) -> None:
        for path in mine:
            if stop.is_set():
                return
            payload = {"text": path.read_text(encoding="utf-8"), "published": PUBLISHED}
            try:
                status, body = post(f"{base}/pages", payload)
            except (urllib.error.URLError, http.client.HTTPException, OSError):
                # The server died under this request, or while sending its answer
                # (IncompleteRead): either way the page was not acknowledged.
                return
            assert status == 201
            with lock:
                acknowledged[body["document_id"]] = {e["event_id"] for e in body["events"]}

    threads = [threading.Thread(target=writer, args=(pages[i::3],)) for i in range(3)]
    for t in threads:
        t.start()
    try:
        wait_for(lambda: len(acknowledged) >= 12, timeout=300, proc=proc)
    finally:
        kill(proc)  # while other writes are in flight
        stop.set()
        for t in threads:
            t.join(timeout=130)
    with lock:
        acked = dict(acknowledged)
    assert 12 <= len(acked) < len(pages)
    assert integrity(db) == "ok"
    stored = ids(db, "documents", "id")
    assert set(acked) <= stored
    with connect(db) as conn:
        for document_id, event_ids in acked.items():
            rows = conn.execute(
                "SELECT event_id FROM document_events WHERE document_id = ?", (document_id,)
            )
            assert {r[0] for r in rows} == event_ids
            assert (
                conn.execute(
                    "SELECT count(*) FROM segments WHERE document_id = ?", (document_id,)
                ).fetchone()[0]
                > 0
            )
