"""The load generator: percentile math, summaries, the BENCHMARKS.md section, and one real run."""

from __future__ import annotations

import random
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from khabar.bench import write
from khabar.loadtest import (
    KINDS, Pool, Sample, load_test, make_target, percentile, plan, read_pool, render, summarise,
)
from khabar.settings import Settings


def test_loadtest_percentile_interpolates_between_ranks() -> None:
    assert percentile([40.0, 10.0, 30.0, 20.0], 50) == pytest.approx(25.0)  # unsorted input
    assert percentile([10.0, 20.0, 30.0, 40.0], 0) == 10.0
    assert percentile([10.0, 20.0, 30.0, 40.0], 100) == 40.0
    assert percentile([10.0, 20.0, 30.0, 40.0], 25) == pytest.approx(17.5)
    assert percentile([float(i) for i in range(1, 101)], 95) == pytest.approx(95.05)
    assert percentile([float(i) for i in range(1, 101)], 99) == pytest.approx(99.01)
    assert percentile([7.0], 99) == 7.0


def test_loadtest_percentile_rejects_bad_input() -> None:
    with pytest.raises(ValueError, match="no values"):
        percentile([], 50)
    with pytest.raises(ValueError, match=r"\[0, 100\]"):
        percentile([1.0], 101)


def test_loadtest_summarise_counts_errors_and_rates_per_kind() -> None:
    samples = [Sample("story", 200, s / 1000) for s in (10, 20, 30, 40)]
    samples += [Sample("list", 500, 0.1, "boom"), Sample("list", 0, 0.3, "ConnectError"), Sample("list", 200, 0.2)]
    out = summarise(samples, wall=2.0)
    assert list(out) == ["list", "story", "all"]  # KINDS order, then the total
    assert out["story"] == {"requests": 4, "errors": 0, "rps": 2.0, "p50": pytest.approx(25.0),
                            "p95": pytest.approx(38.5), "p99": pytest.approx(39.7), "max": pytest.approx(40.0)}
    assert out["list"]["errors"] == 2 and out["list"]["p50"] == pytest.approx(200.0)
    assert out["all"]["requests"] == 7 and out["all"]["errors"] == 2 and out["all"]["rps"] == 3.5


def _result(story_ms: float) -> dict:
    samples = [Sample("list", 200, 0.05), Sample("story", 200, story_ms / 1000), Sample("api_search", 200, 0.9)]
    return {"stats": summarise(samples, 1.5), "wall": 1.5, "concurrency": 3, "warmup": 5, "max_requests": 3,
            "duration": 10.0, "seed": 7, "store": "3 articles, 2 stories", "server_cpu_s": 0.3, "client_cpu_s": 0.1,
            "goal_ms": 200.0, "failures": [], "date": "2026-01-02", "cpu_ms": {"story": 4.5}, "cpu_pass": 30}


def test_loadtest_render_table_and_goal_verdict() -> None:
    md = render(_result(120.0), command="python -m khabar.loadtest --db x.db", variant="load-t", machine="m")
    lines = md.splitlines()
    assert lines[0] == "<!-- bench:load-t:start -->" and lines[-1] == "<!-- bench:load-t:end -->"
    assert "### Web load test: load-t (2026-01-02)" in md
    assert "| `story` | 1 | 0 | 0.7 | 120.0 | 120.0 | 120.0 | 120.0 | 4.5 |" in lines
    assert "| `list` | 1 | 0 | 0.7 | 50.0 | 50.0 | 50.0 | 50.0 | - |" in lines
    assert "| **all** | 3 | 0 | 2.0 |" in md
    assert "server CPU 100.0 ms per request" in md
    assert "**met** (worst p95 120 ms)" in md  # api_search is slow but not a goal page
    slow = render(_result(250.0), command="c", variant="load-t", machine="m")
    assert "**NOT met** (worst p95 250 ms)" in slow


def test_loadtest_report_replaces_its_section_only(tmp_path: Path) -> None:
    path = tmp_path / "BENCHMARKS.md"
    path.write_text("# Benchmarks\n\n<!-- bench:quick:start -->\nkeep me\n<!-- bench:quick:end -->\n", encoding="utf-8")
    write(render(_result(120.0), command="c", variant="load", machine="m"), path, "load")
    write(render(_result(250.0), command="c", variant="load", machine="m"), path, "load")
    text = path.read_text(encoding="utf-8")
    assert "keep me" in text and text.count("<!-- bench:load:start -->") == 1
    assert "worst p95 250 ms" in text and "worst p95 120 ms" not in text


def test_loadtest_plan_is_seeded_and_follows_weights() -> None:
    pool = Pool(["S1", "S2"], ["S1"], ["a" * 64], ["E1"], ["وكالة"], ["2015-07-21", "2015-07-22"], ["سامي الخطيب"])
    weights = {k: 0.0 for k in KINDS} | {"story": 1.0, "list_filter": 1.0}
    a, b = plan(pool, 200, weights, seed=3), plan(pool, 200, weights, seed=3)
    assert a == b and a != plan(pool, 200, weights, seed=4)
    assert {t.kind for t in a} == {"story", "list_filter"}
    for t in a:
        if t.kind == "story":
            assert t.path in ("/story/S1", "/story/S2")
        else:
            q = parse_qs(urlsplit(t.path).query)
            assert q["sort"][0] in ("size", "recent") and (q.keys() & {"outlet", "entity", "since"})
            if "since" in q:
                assert q["since"][0] <= q["until"][0]
    search = make_target("api_search", random.Random(0), pool)
    assert parse_qs(urlsplit(search.path).query)["q"] == ["سامي الخطيب"]
    with pytest.raises(ValueError, match="kind must be one of"):
        make_target("nope", random.Random(0), pool)


def test_loadtest_pool_reads_the_store(filled_db: Path) -> None:
    pool = read_pool(filled_db, sample=10, seed=0)
    assert sorted(pool.story_ids) == ["S1", "S2"] and pool.big_story_ids[0] == "S1"  # S1 has 3 articles
    assert len(pool.article_ids) == 4 and set(pool.entity_ids) == {"E1", "E2", "E3"}
    assert all(len(d) == 10 for d in pool.days)


def test_loadtest_real_server_answers_every_kind_without_errors(filled_db: Path) -> None:
    result = load_test(filled_db, requests=45, duration=30.0, concurrency=3, warmup=5, seed=1, settings=Settings.load())
    stats = result["stats"]
    assert stats["all"]["requests"] == 45 and stats["all"]["errors"] == 0, result["failures"]
    assert {"list", "list_filter", "story", "api_story"} <= stats.keys()
    assert stats["all"]["p50"] <= stats["all"]["p95"] <= stats["all"]["p99"] <= stats["all"]["max"]
    assert result["server_cpu_s"] is None or result["server_cpu_s"] > 0
    assert result["store"].startswith("4 articles, 2 stories")
    assert set(result["cpu_ms"]) <= set(KINDS) and "story" in result["cpu_ms"]
