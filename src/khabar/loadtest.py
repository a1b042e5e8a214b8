"""``make loadtest``: throughput and latency of the web UI and JSON API under load, on loopback.

Starts ``khabar serve`` on a free loopback port in a subprocess (one uvicorn
process, as a desk runs it), warms it up, then drives it with ``concurrency``
keep-alive HTTP/1.1 connections (httpx on asyncio) through a seeded mix of
URLs drawn from the store itself: story list pages (sorted, paginated,
filtered by outlet, entity and dates), story dossiers, entity and article
pages, and the JSON twins of the list, the dossier and search. The run stops
at ``requests`` requests or ``duration`` seconds, whichever comes first, and
the server is stopped. It reports requests/s, p50/p95/p99/max latency and
errors per URL kind, plus the server's CPU milliseconds per request, and can
write that report between ``<!-- bench:VARIANT:start/end -->`` markers in
BENCHMARKS.md (the writer of :mod:`khabar.bench`).

Latency is wall-clock time from sending a request to reading its whole body,
measured by the client; the client and the server share the machine's cores,
so the server CPU time per request is given as well (it does not depend on
the load of other processes).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import logging
import math
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

from khabar.errors import KhabarError
from khabar.settings import Settings, check_range
from khabar.store import Store
from khabar.store import queries

log = logging.getLogger(__name__)

# URL kinds, in report order. "list*" and "story" are the pages of the 200 ms p95 goal (issue #9).
KINDS: tuple[str, ...] = ("list", "list_filter", "story", "story_big", "entity", "article", "api_stories", "api_story",
                          "api_search")
BIG_STORIES = 20  # the largest stories, requested as their own kind: random picks are mostly small
GOAL_KINDS: tuple[str, ...] = ("list", "list_filter", "story")


class LoadTestError(KhabarError):
    """The server did not start, or the store has nothing to request."""


@dataclass(frozen=True, slots=True)
class Target:
    """One planned request: its URL kind and path with query (no scheme or host)."""

    kind: str
    path: str


@dataclass(frozen=True, slots=True)
class Sample:
    """One answered (or failed) request: ``seconds`` is send-to-last-byte wall time."""

    kind: str
    status: int  # 0: no HTTP answer (connection error, timeout)
    seconds: float
    error: str = ""

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300 and not self.error


def percentile(values: Sequence[float], q: float) -> float:
    """The ``q``-th percentile of ``values``, interpolating linearly between closest ranks.

    This is Hyndman and Fan's type 7 (numpy's default): rank ``h = (n - 1) * q / 100``
    from 0, value ``v[floor h] + (h - floor h) * (v[floor h + 1] - v[floor h])`` of the
    sorted values. ``q = 0`` is the minimum, ``q = 100`` the maximum.

    Raises:
        ValueError: ``values`` is empty or ``q`` is outside [0, 100].
    """
    if not values:
        raise ValueError("percentile of no values")
    if not 0 <= q <= 100:
        raise ValueError(f"q must be in [0, 100], got {q}")
    v = sorted(values)
    h = (len(v) - 1) * q / 100
    lo = math.floor(h)
    hi = min(lo + 1, len(v) - 1)
    return v[lo] + (h - lo) * (v[hi] - v[lo])


# ---- the URL mix ------------------------------------------------------------------
@dataclass(frozen=True)
class Pool:
    """What the URL mix draws from, read once from the store."""

    story_ids: list[str]
    big_story_ids: list[str]  # the BIG_STORIES largest, by articles
    article_ids: list[str]
    entity_ids: list[str]
    outlets: list[str]
    days: list[str]  # YYYY-MM-DD days that have articles
    words: list[str]  # search queries: entity names


def read_pool(db: Path, *, sample: int, seed: int) -> Pool:
    """Sample ids from the store at ``db`` (at most ``sample`` of each, seeded)."""
    rng = random.Random(seed)
    with Store(db) as store:
        stories = queries.live_story_ids(store)
        big = [r["id"] for r in queries.story_rows(store, sort="size", limit=BIG_STORIES)[0]]
        articles = store.article_ids()
        ents = queries.frequent_entities(store, sample)
        outlets = [o["source"] for o in queries.outlets(store, sample)]
        days = queries.published_days(store)
    if not stories or not articles:
        raise LoadTestError("the store has no stories to request", source=str(db),
                            hint="analyse some articles first: khabar analyze FILES --db DB")

    def pick(xs: list[str]) -> list[str]:
        return rng.sample(xs, min(sample, len(xs)))

    return Pool(pick(stories), big, pick(articles), [e["entity_id"] for e in ents], outlets, days,
                [e["canonical"] for e in ents if e["canonical"].strip()])


def _list_path(prefix: str, rng: random.Random, pool: Pool, filtered: bool) -> str:
    params: dict[str, Any] = {}
    if not filtered:
        params["sort"] = rng.choice(("size", "recent"))
        if rng.random() < 0.3:
            params["offset"] = 50 * rng.randint(1, 10)
    else:
        have = (("outlet", pool.outlets), ("entity", pool.entity_ids), ("days", pool.days))
        choice = rng.choice([c for c, ok in have if ok] or ["none"])
        if choice == "outlet":
            params["outlet"] = rng.choice(pool.outlets)
        elif choice == "entity":
            params["entity"] = rng.choice(pool.entity_ids)
        elif choice == "days":
            a, b = sorted(rng.sample(pool.days, 2)) if len(pool.days) > 1 else (pool.days[0], pool.days[0])
            params |= {"since": a, "until": b}
        params["sort"] = rng.choice(("size", "recent"))
    return prefix + ("?" + urlencode(params) if params else "")


def make_target(kind: str, rng: random.Random, pool: Pool) -> Target:
    """One request of ``kind`` with ids drawn from ``pool``."""
    if kind in ("list", "list_filter"):
        return Target(kind, _list_path("/", rng, pool, kind == "list_filter"))
    if kind == "api_stories":
        return Target(kind, _list_path("/api/stories", rng, pool, rng.random() < 0.5))
    if kind == "story":
        return Target(kind, "/story/" + quote(rng.choice(pool.story_ids), safe=""))
    if kind == "story_big":
        return Target(kind, "/story/" + quote(rng.choice(pool.big_story_ids), safe=""))
    if kind == "api_story":
        return Target(kind, "/api/story/" + quote(rng.choice(pool.story_ids), safe=""))
    if kind == "article":
        return Target(kind, "/article/" + quote(rng.choice(pool.article_ids), safe=""))
    if kind == "entity":
        ids = pool.entity_ids or [""]
        return Target(kind, "/entity/" + quote(rng.choice(ids), safe=""))
    if kind == "api_search":
        return Target(kind, "/api/search?" + urlencode({"q": rng.choice(pool.words or ["خبر"]), "limit": 20}))
    raise ValueError(f"kind must be one of {', '.join(KINDS)}, got {kind!r}")


def plan(pool: Pool, n: int, weights: dict[str, float], seed: int) -> list[Target]:
    """``n`` requests, kinds drawn with ``weights`` (kinds with nothing to request are dropped)."""
    rng = random.Random(seed)
    usable = {k: w for k, w in weights.items() if w > 0 and (k != "entity" or pool.entity_ids)}
    if not usable:
        raise LoadTestError("no URL kind has a positive weight", hint="set [loadtest] weight_* in the config")
    kinds = rng.choices(list(usable), weights=list(usable.values()), k=n)
    return [make_target(k, rng, pool) for k in kinds]


# ---- running ----------------------------------------------------------------------
async def _drive(base_url: str, targets: list[Target], concurrency: int, duration: float,
                 timeout: float) -> tuple[list[Sample], float]:
    import httpx

    samples: list[Sample] = []
    it = iter(targets)
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=base_url, limits=limits, timeout=timeout) as client:
        start = time.perf_counter()
        deadline = start + duration

        async def worker() -> None:
            for t in it:  # shared iterator: each target is sent once
                if time.perf_counter() >= deadline:
                    return
                t0 = time.perf_counter()
                try:
                    r = await client.get(t.path)
                    samples.append(Sample(t.kind, r.status_code, time.perf_counter() - t0,
                                          "" if r.is_success else r.text[:200]))
                except httpx.HTTPError as exc:
                    samples.append(Sample(t.kind, 0, time.perf_counter() - t0, f"{type(exc).__name__}: {exc}"))

        await asyncio.gather(*(worker() for _ in range(concurrency)))
        return samples, time.perf_counter() - start


def run_load(base_url: str, targets: list[Target], *, concurrency: int, duration: float,
             timeout: float = 30.0) -> tuple[list[Sample], float]:
    """Send ``targets`` (in order, ``concurrency`` at a time) until done or ``duration`` s have passed.

    Returns:
        ``(samples, wall seconds of the run)``.
    """
    check_range("concurrency", concurrency, 1, 1024)
    check_range("duration", duration, 0.001, 86400)
    return asyncio.run(_drive(base_url, targets, concurrency, duration, timeout))


def summarise(samples: list[Sample], wall: float) -> dict[str, dict[str, Any]]:
    """Per URL kind (in :data:`KINDS` order) and ``"all"``: requests, errors, req/s and latency in ms.

    Returns:
        ``{kind: {requests, errors, rps, p50, p95, p99, max}}``; latencies in milliseconds over
        every sample of the kind (failed ones included: a slow error is still slow).
    """
    out: dict[str, dict[str, Any]] = {}
    groups = {k: [s for s in samples if s.kind == k] for k in KINDS}
    groups = {k: v for k, v in groups.items() if v} | {"all": samples}
    for kind, ss in groups.items():
        if not ss:
            continue
        ms = [s.seconds * 1000 for s in ss]
        out[kind] = {"requests": len(ss), "errors": sum(not s.ok for s in ss), "rps": len(ss) / wall if wall else 0.0,
                     "p50": percentile(ms, 50), "p95": percentile(ms, 95), "p99": percentile(ms, 99), "max": max(ms)}
    return out


def free_port() -> int:
    """A TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def serve(db: Path, *, startup_timeout: float = 300.0) -> Iterator[tuple[str, int]]:
    """Run ``khabar serve --db DB`` on a free loopback port; yields ``(base URL, server pid)``.

    Waits until the server answers (it indexes unindexed articles for search first);
    the server is terminated (then killed) on exit.

    Raises:
        LoadTestError: the server exited or did not answer within ``startup_timeout`` seconds.
    """
    import httpx

    port = free_port()
    cmd = [sys.executable, "-c", "from khabar.cli import app; app()", "serve", "--db", str(db), "--port", str(port),
           "--host", "127.0.0.1"]
    with tempfile.TemporaryFile() as errlog:
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=errlog)
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + startup_timeout
            while True:
                if proc.poll() is not None:
                    errlog.seek(0)
                    raise LoadTestError(f"the server exited with status {proc.returncode}: "
                                        f"{errlog.read()[-500:].decode(errors='replace')}", source=str(db))
                try:
                    if httpx.get(base + "/api/openapi.json", timeout=2).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                if time.monotonic() > deadline:
                    raise LoadTestError(f"the server did not answer within {startup_timeout:.0f} s", source=str(db))
                time.sleep(0.2)
            yield base, proc.pid
        finally:
            proc.terminate()
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def cpu_per_kind(base_url: str, targets: list[Target], pid: int, per_kind: int) -> dict[str, float]:
    """Server CPU milliseconds per request of each kind, one request at a time.

    Latency under load depends on whatever else the machine runs; the server's own CPU
    time does not. Sends up to ``per_kind`` requests of each kind from ``targets``
    sequentially and divides the server process's CPU time (10 ms clock ticks) by them.
    """
    import httpx

    out: dict[str, float] = {}
    with httpx.Client(base_url=base_url, timeout=60) as client:
        for kind in KINDS:
            batch = [t for t in targets if t.kind == kind][:per_kind]
            before = cpu_seconds(pid)
            if not batch or before is None:
                continue
            for t in batch:
                client.get(t.path)
            after = cpu_seconds(pid)
            if after is not None:
                out[kind] = (after - before) / len(batch) * 1000
    return out


def cpu_seconds(pid: int) -> float | None:
    """User + system CPU seconds of process ``pid`` so far (None where /proc is missing)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


# ---- the report -------------------------------------------------------------------
def render(result: dict[str, Any], *, command: str, variant: str, machine: str) -> str:
    """The markdown section for BENCHMARKS.md (between this variant's markers)."""
    from khabar.bench import markers

    start, end = markers(variant)
    stats, target = result["stats"], result["goal_ms"]
    tot = stats["all"]
    cpu = result.get("server_cpu_s")
    cpu_txt = f"{cpu / max(tot['requests'], 1) * 1000:.1f} ms per request ({cpu:.1f} s)" if cpu is not None else "n/a"
    goal = [k for k in GOAL_KINDS if k in stats]
    worst = max((stats[k]["p95"] for k in goal), default=float("nan"))
    verdict = "met" if goal and worst < target else "NOT met"
    lines = [
        start,
        f"### Web load test: {variant} ({result.get('date') or dt.date.today().isoformat()})",
        "",
        f"Command: `{command}`  ",
        f"Machine: {machine}  ",
        f"Store: {result['store']}  ",
        f"Load: `khabar serve` (one uvicorn process) on 127.0.0.1; httpx/asyncio client in another process, "
        f"{result['concurrency']} keep-alive connections, {result['warmup']} warm-up requests not counted; "
        f"bounded by {result['max_requests']} requests or {result['duration']:.0f} s; seed {result['seed']}  ",
        f"Result: {tot['requests']} requests in {result['wall']:.1f} s = **{tot['rps']:.1f} req/s**, "
        f"**{tot['errors']} errors**; server CPU {cpu_txt}; client CPU {result['client_cpu_s']:.1f} s.  ",
        f"Goal (issue #9): story list and dossier p95 < {target:.0f} ms: **{verdict}** (worst p95 {worst:.0f} ms).",
        "",
        "| URL kind | requests | errors | req/s | p50 ms | p95 ms | p99 ms | max ms | server CPU ms/req |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    cpu_ms = result.get("cpu_ms") or {}
    for kind in (*KINDS, "all"):
        if kind in stats:
            s = stats[kind]
            name = "**all**" if kind == "all" else f"`{kind}`"
            lines.append(f"| {name} | {s['requests']} | {s['errors']} | {s['rps']:.1f} | {s['p50']:.1f} | "
                         f"{s['p95']:.1f} | {s['p99']:.1f} | {s['max']:.1f} | "
                         + (f"{cpu_ms[kind]:.1f} |" if kind in cpu_ms else "- |"))
    if cpu_ms:
        lines += ["", f"Server CPU ms/req: after the load, up to {result.get('cpu_pass', 0)} requests of each kind"
                  " one at a time, the server process's CPU time (10 ms ticks) over their number; unlike latency it does not"
                  " depend on what else the machine runs."]
    lines += ["", "URL kinds: " + "; ".join(f"`{k}` {KIND_HELP[k]}" for k in KINDS if k in stats) + "."]
    if result.get("failures"):
        lines += ["", "First failures: " + "; ".join(f"`{f}`" for f in result["failures"])]
    lines.append(end)
    return "\n".join(lines)


KIND_HELP: dict[str, str] = {
    "list": "`/` sorted by size or recency, some pages further on",
    "list_filter": "`/` filtered by outlet, entity or a date range",
    "story": "`/story/ID` dossier page of a random story",
    "story_big": f"`/story/ID` of one of the {BIG_STORIES} largest stories",
    "entity": "`/entity/ID` of a frequent entity",
    "article": "`/article/ID` of a random article",
    "api_stories": "`/api/stories` plain or filtered",
    "api_story": "`/api/story/ID`",
    "api_search": "`/api/search?q=` an entity name",
}


def store_description(db: Path) -> str:
    """``N articles, M stories (X MiB, FILE)`` for the report."""
    with Store(db) as store:
        n_art = store.article_count()
        n_st = len(queries.live_story_ids(store))
    return f"{n_art:,} articles, {n_st:,} stories ({db.stat().st_size / 2**20:.0f} MiB, `{db.name}`)"


def load_test(db: Path, *, requests: int, duration: float, concurrency: int, warmup: int, seed: int,
              settings: Settings) -> dict[str, Any]:
    """Serve ``db``, warm up, run the bounded load, stop the server; the raw result for :func:`render`."""
    sec = settings.section("loadtest")
    weights = {k: float(sec[f"weight_{k}"]) for k in KINDS}
    pool = read_pool(db, sample=int(sec["pool_size"]), seed=seed)
    targets = plan(pool, requests, weights, seed)
    warm = plan(pool, warmup, weights, seed + 1) if warmup else []
    with serve(db, startup_timeout=float(sec["startup_timeout_s"])) as (base, pid):
        if warm:
            run_load(base, warm, concurrency=concurrency, duration=duration, timeout=float(sec["timeout_s"]))
        cpu0, client0 = cpu_seconds(pid), time.process_time()
        samples, wall = run_load(base, targets, concurrency=concurrency, duration=duration,
                                 timeout=float(sec["timeout_s"]))
        cpu1, client1 = cpu_seconds(pid), time.process_time()
        per_kind = cpu_per_kind(base, targets, pid, int(sec["cpu_pass_requests"]))
    failures = [f"{s.kind} {s.status} {s.error[:80]}" for s in samples if not s.ok][:5]
    return {
        "stats": summarise(samples, wall), "wall": wall, "concurrency": concurrency, "warmup": len(warm),
        "max_requests": requests, "duration": duration, "seed": seed, "store": store_description(db),
        "server_cpu_s": None if cpu0 is None or cpu1 is None else cpu1 - cpu0, "client_cpu_s": client1 - client0,
        "goal_ms": float(sec["goal_p95_ms"]), "failures": failures,
        "cpu_ms": per_kind, "cpu_pass": int(sec["cpu_pass_requests"]),
    }


def main(argv: list[str] | None = None, *, out: Callable[[str], None] = print) -> int:
    """CLI: ``python -m khabar.loadtest --db PATH [...]``; exit status 1 when any request failed."""
    sec = Settings.load().section("loadtest")
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--db", type=Path, required=True, help="the khabar database to serve")
    p.add_argument("--requests", type=int, default=int(sec["requests"]), help="most requests sent (after warm-up)")
    p.add_argument("--duration", type=float, default=float(sec["duration_s"]), help="most seconds of load")
    p.add_argument("--concurrency", type=int, default=int(sec["concurrency"]), help="connections in flight")
    p.add_argument("--warmup", type=int, default=int(sec["warmup"]), help="requests sent first, not counted")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--write", type=Path, default=None, help="write the report into this BENCHMARKS.md")
    p.add_argument("--variant", default="load", help="section name in BENCHMARKS.md (markers bench:VARIANT)")
    args = p.parse_args(argv)
    if not args.db.is_file():
        p.error(f"--db {args.db}: no such file")
    for name, lo in (("requests", 1), ("concurrency", 1), ("warmup", 0)):
        if getattr(args, name) < lo:
            p.error(f"--{name} must be >= {lo}")
    if args.duration <= 0:
        p.error("--duration must be > 0")
    from khabar.bench import machine, write

    result = load_test(args.db, requests=args.requests, duration=args.duration, concurrency=args.concurrency,
                       warmup=args.warmup, seed=args.seed, settings=Settings.load())
    env = " ".join(f"{k}={v}" for k, v in sorted(os.environ.items()) if k.startswith("KHABAR_LOADTEST_"))
    cmd = (f"{env + ' ' if env else ''}python -m khabar.loadtest --db {args.db.name} --requests {args.requests}"
           f" --duration {args.duration:g} --concurrency {args.concurrency}")
    md = render(result, command=cmd, variant=args.variant, machine=machine())
    if args.write:
        write(md, args.write, args.variant)
    out(md)
    return 1 if result["stats"]["all"]["errors"] else 0


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)  # one line per request otherwise
    sys.exit(main())
