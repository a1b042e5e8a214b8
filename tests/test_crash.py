"""Crash safety: ``khabar analyze`` killed at random points, then run again, ends with the same store.

A few hundred self-generated articles (plus a few bad files) are analysed by
``khabar analyze`` in a subprocess with ``KHABAR_STORE_BATCH_SIZE=20``. Each
round copies nothing: it starts from an empty database, SIGKILLs the process
at random moments (during start-up or just after a batch was committed,
when the next batch is being computed and written), checks
``PRAGMA integrity_check`` after every kill, then runs the same command to
completion and compares every table with an uninterrupted run's. Columns that
name a run (``run_id``, ``updated_run``) and the ``runs`` table are left out;
problems are compared as a set of (path, reason) with no duplicate within a run.

The corpus state is checkpointed, not saved with every batch; the runs here
use ``KHABAR_STORE_CHECKPOINT_SHARE=0.5`` so that most batches are committed
between checkpoints (a restart replays them), and one test kills the run
exactly there.

``KHABAR_CRASH_KILLS`` sets the number of kills (default 3; ``make stress``
uses 20) and ``KHABAR_CRASH_SEED`` the random seed.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from khabar.cli import EXIT_PARTIAL
from khabar.store.state import decode_state

N_ARTICLES = 240
BATCH = 20
CHECKPOINT_SHARE = 0.5  # checkpoints at 20, 40, 80, 160 articles and at the end: long stretches between
KILLS = int(os.environ.get("KHABAR_CRASH_KILLS", "3"))
SEED = int(os.environ.get("KHABAR_CRASH_SEED", str(random.randrange(1 << 30))))
RUN_COLUMNS = {"run_id", "updated_run"}  # differ by construction between runs
SKIP_TABLES = {"runs", "problems", "_migrations", "state"}  # state is compared decoded

PLACES = ["عمان", "الرباط", "تونس", "بيروت", "الدوحة", "مسقط", "الجزائر", "بغداد", "صنعاء", "الخرطوم", "طرابلس", "دمشق"]
TOPICS = ["المياه", "الكهرباء", "التعليم", "الصحة", "النقل", "الزراعة", "السياحة", "الإسكان", "الطاقة", "الموانئ"]
OUTLETS = ["وكالة الشرق", "صحيفة النهار", "موقع البوصلة", "إذاعة المدينة", "قناة الأفق", "جريدة الفجر"]
SPEAKERS = ["وزير المالية سالم العتيبي", "النائبة فاطمة الزين", "رئيس البلدية خالد الحربي", "المتحدث باسم الحكومة",
            "نقابة العمال", "الخبير الاقتصادي مراد السعدي"]
CUES = ["قال", "أكد", "نفى", "أعلن", "حذر"]
EXTRA = ["وشهدت المدينة احتجاجات محدودة أمام مقر المحافظة صباح اليوم.",
         "ولم يصدر أي تعليق من المعارضة حتى ساعة كتابة الخبر.",
         "ويأتي القرار بعد أسابيع من المفاوضات بين الحكومة والنقابات.",
         "وطالب سكان الأحياء الشعبية بنشر تفاصيل العقود كاملة.",
         "وأشار تقرير رسمي إلى تأخر المشاريع السابقة أكثر من عامين.",
         "وتوقع مراقبون أن يناقش البرلمان الملف في جلسته المقبلة."]


def write_corpus(folder: Path, n: int = N_ARTICLES, seed: int = 11) -> None:
    """``n`` short articles in 30 stories from 6 outlets, plus bad files the runs must skip each time."""
    rng = random.Random(seed)
    folder.mkdir(parents=True)
    for i in range(n):
        story = i % 30
        place, topic = PLACES[story % 12], TOPICS[(story * 7) % 10]
        outlet = OUTLETS[rng.randrange(6)]
        speaker, cue = rng.choice(SPEAKERS), rng.choice(CUES)
        lines = [f"قرار جديد بشأن {topic} في {place}",
                 f"{cue} {speaker} إن \"مشروع {topic} في {place} سيبدأ خلال {rng.randint(2, 9)} أشهر\".",
                 f"وأضاف أن الحكومة رصدت {rng.randint(10, 99)} مليون دينار للمشروع الذي يشمل {rng.randint(3, 40)} حيا.",
                 *rng.sample(EXTRA, 2),
                 f"وذكرت {outlet} أن السكان ينتظرون تحسين خدمات {topic} منذ {rng.randint(2, 15)} سنوات."]
        head = f"---\nsource: {outlet}\ndate: 2024-03-{1 + story % 28:02d}\n---\n"
        (folder / f"a{i:04d}.txt").write_text(head + "\n".join(lines) + "\n", encoding="utf-8")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "broken.json").write_text('[{"content": "نص"},\n{"content" "نص"}]', encoding="utf-8")


def command(corpus: Path, db: Path) -> list[str]:
    return [sys.executable, "-m", "khabar.cli", "analyze", str(corpus), "--db", str(db), "--no-embeddings",
            "--workers", "1"]


def env() -> dict[str, str]:
    return {**os.environ, "KHABAR_STORE_BATCH_SIZE": str(BATCH), "KHABAR_STORE_CHECKPOINT_SHARE": str(CHECKPOINT_SHARE),
            "COLUMNS": "200"}


def _default_sigint() -> None:
    """In the child before exec: SIGINT's default action (Python then installs its KeyboardInterrupt handler)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def run_to_end(corpus: Path, db: Path) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(command(corpus, db), env=env(), capture_output=True, text=True, timeout=300)
    assert done.returncode == EXIT_PARTIAL, done.stderr[-3000:]  # done, with the two bad files skipped
    assert "Traceback" not in done.stderr
    return done


def integrity(db: Path) -> str:
    with sqlite3.connect(db, timeout=30) as conn:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]


def article_count(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1) as conn:
            return conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
    except sqlite3.OperationalError:  # not created or migrated yet, or busy
        return 0


def behind_checkpoint(db: Path) -> bool:
    """True when articles were committed after the last corpus-state checkpoint (a restart must replay them)."""
    if not db.exists():
        return False
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1) as conn:
            row = conn.execute("SELECT (SELECT MAX(seq) FROM articles), (SELECT MIN(upto_seq) FROM state)").fetchone()
    except sqlite3.OperationalError:
        return False
    return row[0] is not None and row[1] is not None and row[0] > row[1]


def snapshot(db: Path) -> dict[str, Any]:
    """Every table (and full-text index) as a multiset of rows, run columns left out."""
    out: dict[str, Any] = {}
    with sqlite3.connect(db) as conn:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        virtual = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE sql LIKE 'CREATE VIRTUAL TABLE%'")}
        shadow = {t for t in tables for v in virtual if t.startswith(v + "_")}
        for t in tables:
            if t in SKIP_TABLES or t in shadow or t.startswith("sqlite_"):
                continue
            cols = [r[1] for r in conn.execute(f'PRAGMA table_info("{t}")') if r[1] not in RUN_COLUMNS]
            select = ", ".join(f'"{c}"' for c in cols) + (", rowid" if t in virtual else "")
            out[t] = Counter(conn.execute(f'SELECT {select} FROM "{t}"').fetchall())
        out["state"] = {name: plain(decode_state(bytes(blob))) for name, blob in conn.execute("SELECT name, value FROM state")}
        problems = conn.execute("SELECT run_id, path, reason FROM problems").fetchall()
    per_run = Counter(problems)
    assert max(per_run.values(), default=1) == 1, f"a problem recorded twice in one run: {per_run.most_common(1)}"
    out["problems"] = {(p, r) for _, p, r in problems}
    return out


def plain(obj: Any) -> Any:
    """Decoded corpus state with arrays as nested lists, comparable with ``==``."""
    if isinstance(obj, np.ndarray):
        return ("ndarray", str(obj.dtype), obj.tolist())
    if isinstance(obj, dict):
        return {k: plain(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [plain(v) for v in obj]
    return obj


def first_difference(a: Any, b: Any, where: str = "") -> str:
    """The path to the first place two plain structures differ, with both values (shortened)."""
    if type(a) is not type(b):
        return f"{where}: {type(a).__name__} vs {type(b).__name__}"
    if isinstance(a, dict):
        for k in sorted(set(a) | set(b), key=str):
            if k not in a or k not in b:
                return f"{where}/{k}: only in {'reference' if k in a else 'resumed'}"
            if a[k] != b[k]:
                return first_difference(a[k], b[k], f"{where}/{k}")
    if isinstance(a, list) and len(a) == len(b):
        for i, (x, y) in enumerate(zip(a, b)):
            if x != y:
                return first_difference(x, y, f"{where}[{i}]")
    return f"{where}: {a!r:.200} vs {b!r:.200}"


def diff(a: dict[str, Any], b: dict[str, Any]) -> str:
    """A short account of how two snapshots differ (empty when equal)."""
    lines = []
    for t in sorted(set(a) | set(b)):
        if a.get(t) == b.get(t):
            continue
        if isinstance(a.get(t), Counter) and isinstance(b.get(t), Counter):
            only_a, only_b = a[t] - b[t], b[t] - a[t]
            lines.append(f"{t}: {sum(only_a.values())} rows only in the reference, {sum(only_b.values())} only after"
                         f" kills; e.g. {str(list(only_a)[:1]):.300} vs {str(list(only_b)[:1]):.300}")
        else:
            lines.append(f"{t}: {first_difference(a.get(t), b.get(t))}")
    return "\n".join(lines)


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any], float]:
    """The corpus, the snapshot of an uninterrupted run, and how long that run took (s)."""
    root = tmp_path_factory.mktemp("crash")
    write_corpus(root / "corpus")
    t0 = time.monotonic()
    done = run_to_end(root / "corpus", root / "reference.db")
    took = time.monotonic() - t0
    assert f"{N_ARTICLES} analysed" in done.stderr and "2 skipped" in done.stderr, done.stderr[-2000:]
    snap = snapshot(root / "reference.db")
    assert len(snap["articles"]) == N_ARTICLES and len(snap["claims"]) > 0
    assert snapshot(root / "reference.db") == snap  # the snapshot itself is stable
    return root / "corpus", snap, took


def kill_at_random(proc: subprocess.Popen[str], db: Path, rng: random.Random, wall: float) -> bool:
    """SIGKILL ``proc`` at a random moment; False when it finished first.

    One kill in five lands anywhere in the first ``wall`` seconds (start-up, migration,
    the first batch); the others wait for the next committed batch and then kill within
    the following 0.6 s, while the next batch is being computed or written.
    """
    if rng.random() < 0.2:
        deadline = time.monotonic() + rng.uniform(0.05, wall)
        while time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.01)
    else:
        start = article_count(db)
        limit = time.monotonic() + wall * 3
        while proc.poll() is None and article_count(db) <= start and time.monotonic() < limit:
            time.sleep(0.02)
        deadline = time.monotonic() + rng.uniform(0.0, 0.6)
        while time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.005)
    if proc.poll() is not None:
        return False
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    return True


def test_crash_sigkill_then_rerun_gives_the_same_store(reference: tuple[Path, dict[str, Any], float],
                                                        tmp_path: Path) -> None:
    corpus, want, wall = reference
    rng = random.Random(SEED)
    kills, rounds = 0, 0
    while kills < KILLS:
        rounds += 1
        db = tmp_path / f"round{rounds}.db"
        round_kills = 0
        while kills < KILLS and round_kills < 6:  # at most 6 kills per database, then finish it
            proc = subprocess.Popen(command(corpus, db), env=env(), stdout=subprocess.DEVNULL,
                                    stderr=subprocess.DEVNULL, text=True)
            if not kill_at_random(proc, db, rng, wall):
                break
            kills, round_kills = kills + 1, round_kills + 1
            if db.exists():
                assert integrity(db) == "ok", f"seed {SEED}: integrity after kill {kills}"
        run_to_end(corpus, db)
        assert integrity(db) == "ok"
        got = snapshot(db)
        assert got == want, f"seed {SEED}, round {rounds} ({round_kills} kills):\n{diff(want, got)}"
        assert rounds < 3 * KILLS + 3, "the runs keep finishing before they can be killed"


def test_crash_ctrl_c_stops_cleanly_and_says_how_to_resume(reference: tuple[Path, dict[str, Any], float],
                                                          tmp_path: Path) -> None:
    corpus, want, wall = reference
    db = tmp_path / "int.db"
    # the child gets SIGINT's default action back: a runner that starts the suite in
    # the background (bash `cmd &` without job control) hands every child an ignored SIGINT
    proc = subprocess.Popen(command(corpus, db), env=env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            preexec_fn=_default_sigint)
    limit = time.monotonic() + wall * 3
    while proc.poll() is None and article_count(db) == 0 and time.monotonic() < limit:
        time.sleep(0.02)
    time.sleep(0.1)
    assert proc.poll() is None, "finished before it could be interrupted"
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err[-2000:]
    assert "Traceback" not in err
    stored = article_count(db)
    assert 0 < stored < N_ARTICLES
    assert f"interrupted: {stored} articles stored; run the same command again to resume" in " ".join(err.split())
    assert integrity(db) == "ok"
    done = run_to_end(corpus, db)
    assert f"{stored} already in the store" in done.stderr
    assert snapshot(db) == want


def test_crash_kill_between_checkpoints_replays_to_the_same_store(reference: tuple[Path, dict[str, Any], float],
                                                                   tmp_path: Path) -> None:
    """SIGKILL while batches are stored beyond the last checkpoint; the rerun replays them."""
    corpus, want, wall = reference
    db = tmp_path / "between.db"
    landed = False
    for _ in range(3):  # a checkpoint may commit between the look and the kill: look again
        proc = subprocess.Popen(command(corpus, db), env=env(), stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL, text=True)
        limit = time.monotonic() + wall * 3
        while proc.poll() is None and not behind_checkpoint(db) and time.monotonic() < limit:
            time.sleep(0.01)
        if proc.poll() is not None:
            break
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        assert integrity(db) == "ok"
        if behind_checkpoint(db):
            landed = True
            break
    assert landed, "the run never stored a batch beyond its last checkpoint before it was killed"
    run_to_end(corpus, db)
    assert not behind_checkpoint(db)
    got = snapshot(db)
    assert got == want, diff(want, got)
