"""bench.py: how figures are computed and written (no timing is asserted here)."""

from __future__ import annotations

from pathlib import Path

import sqlite3

from khabar.bench import growth, keep_store, markers, render, write
from khabar.pipeline import RunSummary


def test_bench_growth_is_seconds_per_1000_inputs_over_windows() -> None:
    # (inputs done, articles in store, clock seconds)
    marks = [(0, 0, 10.0), (200, 190, 12.0), (400, 380, 14.0), (600, 570, 17.0), (800, 760, 21.0)]
    assert growth(marks, step=400) == [(380, 10.0), (760, 17.5)]
    assert growth(marks[:1], step=400) == []


def test_bench_write_replaces_only_its_own_variant(tmp_path: Path) -> None:
    path = tmp_path / "BENCHMARKS.md"
    path.write_text("# Benchmarks\n\n## NER eval\nF1 0.71\n", encoding="utf-8")
    start, end = markers("quick")
    write(f"{start}\nfirst\n{end}", path, "quick")
    write(f"{markers('full')[0]}\nfull run\n{markers('full')[1]}", path, "full")
    write(f"{start}\nsecond\n{end}", path, "quick")
    text = path.read_text(encoding="utf-8")
    assert "F1 0.71" in text and "full run" in text and "second" in text
    assert "first" not in text and text.count(start) == 1


def test_bench_render_reports_rates_from_the_summary() -> None:
    summary = RunSummary(analysed=1000, duplicates=10, timings={"entities": 20.0, "resolve": 4.0})
    result = {"inputs": 1030, "summary": summary, "seconds": 50.0, "tail_inputs": 30, "tail_analysed": 29,
              "tail_seconds": 1.5, "store_before_tail": 971, "peak_rss_mib": 812.4, "rss_method": "sampled",
              "db_mib": 40.0, "embed": False, "workers": 2, "per_1000": [(500, 40.0), (971, 42.5)]}
    md = render(result, "make bench", "full", Path("docs/bench_growth.png"))
    assert "| end to end | 20.0 articles/s (50 s wall" in md
    assert "| stage `entities` | 50 articles/s (20.0 s, worker CPU-seconds, summed) |" in md
    assert "| stage `resolve` | 250 articles/s (4.0 s, main-process CPU-seconds) |" in md
    assert "to a store of 971 | 1.5 s" in md and "| 971 | 42.5 | - |" in md
    assert md.startswith(markers("full")[0]) and md.endswith(markers("full")[1])


def test_bench_growth_on_the_cpu_clock_and_cpu_columns_in_the_report() -> None:
    # (inputs done, articles in store, wall seconds, main-process CPU seconds)
    marks = [(0, 0, 10.0, 1.0), (400, 380, 14.0, 3.0), (800, 760, 21.0, 4.0)]
    assert growth(marks, step=400, clock=3) == [(380, 5.0), (760, 2.5)]
    assert growth(marks, step=400) == [(380, 10.0), (760, 17.5)]
    result = {"inputs": 800, "summary": RunSummary(analysed=760), "seconds": 11.0, "tail_inputs": 30,
              "tail_analysed": 29, "tail_seconds": 1.5, "tail_cpu_seconds": 0.75, "store_before_tail": 760,
              "peak_rss_mib": 1.0, "rss_method": "sampled", "db_mib": 1.0, "embed": False, "workers": 2,
              "per_1000": growth(marks, step=400), "per_1000_cpu": growth(marks, step=400, clock=3)}
    md = render(result, "make bench", "full", None)
    assert "| 380 | 10.0 | 5.0 |" in md and "| 760 | 17.5 | 2.5 |" in md
    assert "0.8 CPU s in the main process" in md


def test_bench_keep_store_copies_committed_rows_from_the_wal(tmp_path: Path) -> None:
    db = tmp_path / "bench.db"
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("CREATE TABLE t (x)")
    conn.executemany("INSERT INTO t VALUES (?)", [(i,) for i in range(50)])  # still in bench.db-wal
    dest = tmp_path / "kept" / "full.db"
    dest.parent.mkdir()
    dest.write_bytes(b"old file")
    keep_store(db, dest)
    conn.close()
    with sqlite3.connect(dest) as kept:
        assert kept.execute("SELECT COUNT(*), SUM(x) FROM t").fetchone() == (50, sum(range(50)))


def test_bench_repeated_tail_calls_start_from_the_same_grown_store(tmp_path: Path) -> None:
    import json
    import zipfile

    from khabar.bench import run

    # Written for this test: eight short distinct articles in one SaudiNewsNet-style day zip.
    towns = ["حلب", "حمص", "درعا", "إدلب", "حماة", "طرطوس", "اللاذقية", "دمشق"]
    items = [{"title": f"افتتاح سوق جديد في {t}", "content": f"افتتحت بلدية {t} سوقا جديدا للخضار يوم {k + 1} من الشهر. "
              f"وقال رئيس البلدية إن السوق يضم {10 * (k + 2)} محلا.", "date_extracted": f"2015-07-2{k % 9}"}
             for k, t in enumerate(towns)]
    data = tmp_path / "days"
    data.mkdir()
    with zipfile.ZipFile(data / "2015-07-21.zip", "w") as zf:
        zf.writestr("2015-07-21.json", json.dumps(items, ensure_ascii=False))
    keep = tmp_path / "kept.db"
    result = run(data, None, embed=False, workers=1, tail=3, keep=keep, tail_repeats=3)
    assert result["inputs"] == 8 and result["tail_inputs"] == 3 and len(result["tail_calls"]) == 3
    assert result["tail_analysed"] == 3  # each call added the tail anew to a copy of the grown store
    assert round(result["tail_seconds"], 1) == sorted(result["tail_calls"])[1]  # the median call
    with sqlite3.connect(keep) as conn:
        assert conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0] == 8  # not 8 + 2 x 3
    md = render(result, "python -m khabar.bench --tail-repeats 3", "x", None)
    assert "median of 3 calls on copies of the grown store" in md
