"""Concurrency on one database file: the web UI reads while ``khabar analyze`` writes; two writers.

SQLite in WAL mode lets readers go on while a writer commits; the web app
opens one connection per request. ``analyze`` runs in a subprocess over the
crash-test corpus (240 articles, batches of 20), so its commits interleave
with the reads made here.
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from test_crash import N_ARTICLES, command, env, integrity, write_corpus

from khabar.store import Store
from khabar.store.state import decode_state
from khabar.web.app import create_app


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("conc")
    write_corpus(root / "all")
    for half in ("a", "b"):
        (root / half).mkdir()
    for i, f in enumerate(sorted((root / "all").glob("a*.txt"))):
        shutil.copy(f, root / ("a" if i % 2 == 0 else "b") / f.name)
    return root


def consistent(db: Path) -> list[str]:
    """What is wrong with a finished store: lost corpus state, stories without rows, bad pages."""
    wrong = []
    with sqlite3.connect(db) as conn:
        n = conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
        state = {name: decode_state(bytes(v)) for name, v in conn.execute("SELECT name, value FROM state")}
        orphans = conn.execute("SELECT COUNT(*) FROM articles a WHERE NOT EXISTS"
                               " (SELECT 1 FROM stories s WHERE s.id = a.story_id)").fetchone()[0]
        dup_seq = conn.execute("SELECT COUNT(*) - COUNT(DISTINCT seq) FROM articles").fetchone()[0]
    if len(state["stories"]["assigned"]) != n:
        wrong.append(f"story state knows {len(state['stories']['assigned'])} of {n} stored articles")
    if len(state["dedup"]["ids"]) != n:
        wrong.append(f"duplicate index knows {len(state['dedup']['ids'])} of {n} stored articles")
    if orphans:
        wrong.append(f"{orphans} articles point at a story that is not stored")
    if dup_seq:
        wrong.append(f"{dup_seq} articles share an arrival number")
    return wrong


def test_concurrency_web_serves_reads_while_analyze_writes(corpus: Path, tmp_path: Path) -> None:
    db = tmp_path / "k.db"
    Store(db).close()  # an empty, migrated store for the app to open
    client = TestClient(create_app(db))
    assert client.get("/api/stories").json()["total"] == 0
    proc = subprocess.Popen(command(corpus / "all", db), env=env(), stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)
    totals, slowest, pages, seen = [], 0.0, 0, set()
    try:
        while proc.poll() is None:
            t0 = time.monotonic()
            r = client.get("/api/stories", params={"limit": 500})
            assert r.status_code == 200, r.text
            totals.append(r.json()["total"])
            seen |= {s["id"] for s in r.json()["stories"]}
            page = client.get("/", params={"sort": "recent"})
            assert page.status_code == 200 and "story-item" in page.text or totals[-1] == 0
            pages += 1
            slowest = max(slowest, time.monotonic() - t0)
    finally:
        _, err = proc.communicate(timeout=120)
    assert proc.returncode == 3, err[-2000:]  # the corpus holds two bad files on purpose: "partial"
    assert pages >= 10, "too few reads while the analysis ran"
    with sqlite3.connect(db) as conn:  # a story a reader saw may since be merged, never lost
        kept = {r[0] for r in conn.execute("SELECT id FROM stories")}
    assert seen <= kept, f"a reader saw stories that are gone: {sorted(seen - kept)}"
    assert len(set(totals)) >= 3, f"reads did not see the batches arrive: {sorted(set(totals))}"
    assert slowest < 2.0, f"a read waited {slowest:.2f} s for the writer"
    final = client.get("/api/stories").json()["total"]
    assert final >= totals[-1] and final > 0
    assert integrity(db) == "ok" and consistent(db) == []


def test_concurrency_two_analyze_runs_keep_the_store_consistent(corpus: Path, tmp_path: Path) -> None:
    db = tmp_path / "k.db"
    procs = [subprocess.Popen(command(corpus / half, db), env=env(), stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, text=True) for half in ("a", "b")]
    errs = [p.communicate(timeout=180)[1] for p in procs]
    for p, err in zip(procs, errs):
        assert "Traceback" not in err and "Error:" not in err, err[-2000:]
        assert p.returncode == 0 or (p.returncode == 2 and "another" in err), err[-2000:]
    assert integrity(db) == "ok"
    for half, p in zip(("a", "b"), procs):
        if p.returncode:  # refused: the same command again must now work
            done = subprocess.run(command(corpus / half, db), env=env(), capture_output=True, text=True, timeout=180)
            assert done.returncode == 0, done.stderr[-2000:]
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0] == N_ARTICLES
    assert consistent(db) == []


def test_concurrency_same_files_twice_at_once(corpus: Path, tmp_path: Path) -> None:
    db = tmp_path / "k.db"
    procs = [subprocess.Popen(command(corpus / "a", db), env=env(), stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, text=True) for _ in range(2)]
    errs = [p.communicate(timeout=180)[1] for p in procs]
    for p, err in zip(procs, errs):
        assert "Traceback" not in err and "IntegrityError" not in err, err[-2000:]
        assert p.returncode == 0 or (p.returncode == 2 and "another" in err), err[-2000:]
    assert integrity(db) == "ok" and consistent(db) == []
