"""``make bench``: speed and memory of the whole pipeline on SaudiNewsNet.

Streams ``../shared/data/saudinewsnet/dataset/*.zip`` through
:func:`khabar.pipeline.analyze_documents` into a fresh database in two calls,
as a desk would: all inputs but the last ``--tail`` (1,030) first, then the
tail as a separate analysis of the grown store (fresh store handle, fresh
worker pool). It writes, between per-variant markers in BENCHMARKS.md:
articles/s overall and per stage, peak RSS of the whole process tree (main
process plus worker processes, sampled), the time to add the tail, and the
time per 1,000 inputs as the store grows (a table, and a PNG plot when
matplotlib is installed). Speed is measured here, never in unit tests.
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import logging
import os
import platform
import resource
import shutil
import sqlite3
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from khabar import __version__
from khabar.ingest import iter_documents
from khabar.pipeline import RunSummary, analyze_documents
from khabar.scale import available_cores, local_mapper
from khabar.settings import Settings
from khabar.store import Store

log = logging.getLogger(__name__)

DEFAULT_DATA = Path("../shared/data/saudinewsnet/dataset")  # relative to the repo root, where make runs
QUICK_LIMIT = 3000
TAIL = 1030  # the last inputs, added to the grown store by a second analysis
# Per-article stages run in the workers: their seconds are summed over workers.
WORKER_STAGES = ("clean", "language", "sentences", "entities", "attribution")


def markers(variant: str) -> tuple[str, str]:
    """The BENCHMARKS.md markers around one variant's section ("quick", "full", "full-lexical", ...)."""
    return f"<!-- bench:{variant}:start -->", f"<!-- bench:{variant}:end -->"


class RssSampler:
    """Peak resident memory of this process and all its descendants, in MiB.

    A daemon thread sums the RSS of the process tree every ``interval``
    seconds (psutil, which dask.distributed already needs); without psutil it
    falls back to ``ru_maxrss`` of this process plus that of its largest
    finished child, a lower bound for the tree.
    """

    def __init__(self, interval: float = 0.2) -> None:
        self.interval = interval
        self.peak_mib = 0.0
        self.main_peak_mib = 0.0  # the main process alone (corpus state lives there); 0 without psutil
        self.method = "sampled sum over the process tree (psutil)"
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        try:
            import psutil
        except ImportError:
            self._proc = None
            self.method = "ru_maxrss of the main process + largest child (psutil missing)"
        else:
            self._proc = psutil.Process()

    def _sample(self) -> float:
        import psutil

        total = 0
        for p in [self._proc, *self._proc.children(recursive=True)]:
            try:
                rss = p.memory_info().rss
            except (psutil.NoSuchProcess, psutil.AccessDenied):
                continue
            total += rss
            if p is self._proc:
                self.main_peak_mib = max(self.main_peak_mib, rss / 2**20)
        return total / 2**20

    def _loop(self) -> None:
        while not self._stop.wait(self.interval):
            self.peak_mib = max(self.peak_mib, self._sample())

    def __enter__(self) -> RssSampler:
        if self._proc is not None:
            self.peak_mib = self._sample()
            self._thread = threading.Thread(target=self._loop, name="rss-sampler", daemon=True)
            self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._thread is not None:
            self._stop.set()
            self._thread.join()
        else:
            own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
            self.peak_mib = own + child


def count_inputs(zips: list[Path], settings: Settings) -> int:
    """Inputs (articles and unreadable items) in ``zips``: one cheap read-only pass."""
    return sum(1 for _ in iter_documents(zips, settings=settings.section("ingest")))


def _timed_run(docs: Iterable[Any], db: Path, settings: Settings, *, embed: bool, workers: int,
               done_before: int, marks: list[tuple[int, int, float, float]]) -> tuple[RunSummary, float]:
    """One analysis call on its own store handle and worker pool; appends (inputs, articles, wall, CPU) marks."""
    store = Store(db)
    count = done_before

    def progress(n: int) -> None:
        nonlocal count
        count += n
        marks.append((count, store.article_count(), time.perf_counter(), time.process_time()))

    t0 = time.perf_counter()
    with local_mapper(workers) as mapper:
        summary = analyze_documents(docs, store, settings, embed=embed, on_progress=progress, mapper=mapper)
    seconds = time.perf_counter() - t0
    store.close()
    return summary, seconds


def growth(marks: list[tuple], step: int = 1000, clock: int = 2) -> list[tuple[int, float]]:
    """``(articles in store, seconds per 1,000 inputs)`` over consecutive ~``step``-input windows.

    A mark is ``(inputs done, articles in store, wall clock[, main-process CPU clock])``;
    ``clock`` picks the clock (2: wall seconds, 3: CPU seconds of the main process).
    """
    out: list[tuple[int, float]] = []
    if not marks:
        return out
    last_n, last_t = marks[0][0], marks[0][clock]
    for m in marks[1:]:
        n, arts, t = m[0], m[1], m[clock]
        if n - last_n >= step:
            out.append((arts, (t - last_t) / (n - last_n) * 1000))
            last_n, last_t = n, t
    return out


def run(data: Path, limit: int | None, *, embed: bool, workers: int, tail: int = TAIL,
        keep: Path | None = None, tail_repeats: int = 1) -> dict[str, Any]:
    """Analyse ``limit`` inputs (all when None) in two calls; returns the figures for :func:`render`.

    ``keep``: copy the final store there (one self-contained file) before the
    temporary directory goes, e.g. for the web UI's load test.
    ``tail_repeats``: add the tail that many times, each to a fresh copy of the
    grown store, and report the median: one separate call varied by +-15 %
    between runs of the same code on this shared machine.
    """
    settings = Settings.load()
    zips = sorted(data.glob("*.zip"))
    if not zips:
        raise SystemExit(f"no SaudiNewsNet zips under {data}: the benchmark needs ../shared beside the repo")
    total = limit if limit else count_inputs(zips, settings)
    tail = min(tail, total // 2)
    docs: Iterator[Any] = iter_documents(zips, settings=settings.section("ingest"))
    docs = itertools.islice(docs, total)
    head_n = total - tail
    with tempfile.TemporaryDirectory() as tmp, RssSampler() as rss:
        db = Path(tmp) / "bench.db"
        marks: list[tuple[int, int, float, float]] = [(0, 0, time.perf_counter(), time.process_time())]
        head, head_s = _timed_run(itertools.islice(docs, head_n), db, settings, embed=embed, workers=workers,
                                  done_before=0, marks=marks)
        tail_docs = list(docs) if tail_repeats > 1 else docs
        grown = Path(tmp) / "grown.db"
        if tail_repeats > 1:
            keep_store(db, grown)  # outside the clocks
        tails: list[tuple[float, float]] = []  # (wall s, main-process CPU s) of each separate call
        for r in range(max(1, tail_repeats)):
            if r:
                for suffix in ("", "-wal", "-shm"):
                    Path(str(db) + suffix).unlink(missing_ok=True)
                shutil.copyfile(grown, db)
            tail_marks: list[tuple[int, int, float, float]] = [(head_n, marks[-1][1], time.perf_counter(),
                                                                time.process_time())]
            last, secs = _timed_run(tail_docs, db, settings, embed=embed, workers=workers, done_before=head_n,
                                    marks=tail_marks)
            tails.append((secs, tail_marks[-1][3] - tail_marks[0][3]))
        tail_s, tail_cpu = sorted(tails)[len(tails) // 2]  # the median call (upper median for an even count)
        db_mib = sum(p.stat().st_size for p in Path(tmp).glob("bench.db*")) / 2**20
        if keep is not None:
            keep_store(db, keep)
    summary = _combine(head, last)
    return {"inputs": total, "summary": summary, "seconds": head_s + tail_s, "head_seconds": head_s,
            "tail_inputs": tail, "tail_seconds": tail_s, "tail_analysed": last.analysed,
            "store_before_tail": tail_marks[0][1], "per_1000": growth(marks, step=_window(total)),
            "per_1000_cpu": growth(marks, step=_window(total), clock=3),
            "tail_cpu_seconds": tail_cpu, "tail_calls": [round(w, 1) for w, _ in tails],
            "peak_rss_mib": rss.peak_mib, "main_peak_rss_mib": rss.main_peak_mib, "rss_method": rss.method, "db_mib": db_mib, "embed": embed,
            "workers": workers}


def keep_store(db: Path, dest: Path) -> None:
    """Copy the SQLite database ``db`` to ``dest`` whole (WAL folded in), replacing ``dest``.

    ``VACUUM INTO`` writes a consistent single-file copy; a plain file copy
    could miss pages still in ``db-wal``.
    """
    dest = dest.resolve()
    dest.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(str(dest) + suffix).unlink(missing_ok=True)
    with sqlite3.connect(db) as conn:
        conn.execute("VACUUM INTO ?", (str(dest),))
    conn.close()
    log.info("kept the store at %s", dest)


def _window(total: int) -> int:
    """Inputs per row of the growth table: 1,000 for a full run, smaller for short runs (>= 1 batch)."""
    return max(200, min(1000, total // 10))


def _combine(a: RunSummary, b: RunSummary) -> RunSummary:
    out = RunSummary(analysed=a.analysed + b.analysed, unchanged=a.unchanged + b.unchanged,
                     duplicates=a.duplicates + b.duplicates, skipped=a.skipped + b.skipped,
                     stories_touched=a.stories_touched | b.stories_touched)
    for t in (a.timings, b.timings):
        for k, v in t.items():
            out.timings[k] = out.timings.get(k, 0.0) + v
    return out


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kib = int(next(ln for ln in Path("/proc/meminfo").read_text().splitlines() if ln.startswith("MemTotal")).split()[1])
        mem = f", {kib / 2**20:.0f} GiB RAM"
    except (OSError, StopIteration, ValueError):
        pass
    load = f", load average {os.getloadavg()[0]:.1f} at the end" if hasattr(os, "getloadavg") else ""
    return f"{cpu}, {available_cores()} cores{mem}{load}; Python {platform.python_version()}, khabar {__version__}"


def render(result: dict[str, Any], command: str, variant: str, plot: Path | None) -> str:
    s: RunSummary = result["summary"]
    n = max(s.analysed, 1)
    start, end = markers(variant)
    lines = [
        start,
        f"### Pipeline on SaudiNewsNet: {variant} ({dt.date.today().isoformat()})",
        "",
        f"Command: `{command}`  ",
        f"Machine: {machine()}  ",
        f"Inputs: {result['inputs']} read, {s.analysed} analysed, {s.unchanged} repeated, "
        f"{s.duplicates} near-duplicates, {len(s.skipped)} skipped (no text); "
        f"embeddings {'on' if result['embed'] else 'off'}; {result['workers']} worker process(es)",
        "",
        "| figure | value |",
        "| --- | --- |",
        f"| end to end | {s.analysed / result['seconds']:.1f} articles/s ({result['seconds']:.0f} s wall, both calls) |",
        f"| add the last {result['tail_inputs']} inputs ({result['tail_analysed']} new articles) to a store of "
        f"{result['store_before_tail']} | {result['tail_seconds']:.1f} s (a separate call: store opened, pool started)"
        + (f"; {result['tail_cpu_seconds']:.1f} CPU s in the main process" if "tail_cpu_seconds" in result else "")
        + (f"; median of {len(result['tail_calls'])} calls on copies of the grown store: "
           f"{' / '.join(f'{w:.1f}' for w in result['tail_calls'])} s |" if len(result.get("tail_calls", [])) > 1 else " |"),
        f"| peak RSS | {result['peak_rss_mib']:.0f} MiB ({result['rss_method']}); main process alone "
        f"{result.get('main_peak_rss_mib', 0):.0f} MiB |",
        f"| database size | {result['db_mib']:.0f} MiB |",
    ]
    for stage, secs in sorted(s.timings.items(), key=lambda kv: -kv[1]):
        where = "worker CPU-seconds, summed" if stage in WORKER_STAGES else "main-process CPU-seconds"
        lines.append(f"| stage `{stage}` | {n / secs:.0f} articles/s ({secs:.1f} s, {where}) |" if secs
                     else f"| stage `{stage}` | - |")
    if result["per_1000"]:
        lines += ["", "Time per 1,000 inputs as the store grows (first call, over windows of "
                  f"{_window(result['inputs'])} inputs; the separate call is in the table above):", "",
                  "| articles in store | s per 1,000 inputs | main-process CPU s per 1,000 inputs |",
                  "| --- | --- | --- |"]
        cpu = dict(result.get("per_1000_cpu", []))
        lines += [f"| {a} | {t:.1f} | {cpu[a]:.1f} |" if a in cpu else f"| {a} | {t:.1f} | - |"
                  for a, t in result["per_1000"]]
    if plot is not None:
        lines += ["", f"![time per 1,000 articles as the store grows]({plot.as_posix()})"]
    lines.append(end)
    return "\n".join(lines)


def plot_growth(result: dict[str, Any], path: Path, title: str) -> bool:
    """Write the growth curve as a PNG; False (logged) when matplotlib is not installed."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        log.warning("matplotlib is not installed: no plot written to %s", path)
        return False
    xs = [a for a, _ in result["per_1000"]]
    ys = [t for _, t in result["per_1000"]]
    fig, ax = plt.subplots(figsize=(7, 3.5), dpi=110)
    ax.plot(xs, ys, marker="o", ms=3, label="first call, per 1,000 inputs")
    per_1000_tail = result["tail_seconds"] / max(result["tail_inputs"], 1) * 1000
    ax.scatter([result["store_before_tail"]], [per_1000_tail], color="crimson", zorder=3,
               label=f"separate call: last {result['tail_inputs']} inputs")
    ax.set_xlabel("articles in the store")
    ax.set_ylabel("seconds per 1,000 inputs")
    ax.set_ylim(0, max([*ys, per_1000_tail]) * 1.15)
    ax.set_xlim(left=0)
    ax.set_title(title, fontsize=10)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path)
    plt.close(fig)
    return True


def write(markdown: str, path: Path, variant: str) -> None:
    """Replace this variant's section of ``path`` (other sections are kept), or append it."""
    start, end = markers(variant)
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n\n"
    if start in text and end in text:
        head, rest = text.split(start, 1)
        text = head + markdown + rest.split(end, 1)[1]
    else:
        text = text.rstrip() + "\n\n" + markdown + "\n"
    path.write_text(text, encoding="utf-8")


def _command(args: argparse.Namespace) -> tuple[str, str]:
    """``(command line, variant)`` for the report."""
    plain = not args.limit and not args.no_embeddings and args.workers is None and args.tail_repeats == 1
    if args.quick and plain:
        return "make bench-quick", "quick"
    if not args.quick and plain:
        return "make bench", "full"
    parts = ["python -m khabar.bench"]
    parts += ["--quick"] if args.quick else []
    parts += [f"--limit {args.limit}"] if args.limit else []
    parts += ["--no-embeddings"] if args.no_embeddings else []
    parts += [f"--workers {args.workers}"] if args.workers is not None else []
    parts += [f"--tail-repeats {args.tail_repeats}"] if args.tail_repeats > 1 else []
    size = "quick" if args.quick and not args.limit else (f"limit{args.limit}" if args.limit else "full")
    variant = size + ("-lexical" if args.no_embeddings else "") + (f"-w{args.workers}" if args.workers is not None else "")
    return " ".join(parts), variant


def main(argv: list[str] | None = None, *, out: Callable[[str], None] = print) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help=f"first {QUICK_LIMIT:,} inputs only")
    parser.add_argument("--limit", type=int, default=None, help="first N inputs only")
    parser.add_argument("--no-embeddings", action="store_true", help="lexical mode")
    parser.add_argument("--workers", type=int, default=None, help="worker processes (default: all cores; 1: in-process)")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--output", type=Path, default=Path("BENCHMARKS.md"))
    parser.add_argument("--keep", type=Path, default=None, metavar="PATH",
                        help="keep the final store at PATH (replaced if it exists), e.g. for the web load test")
    parser.add_argument("--tail-repeats", type=int, default=1, metavar="N",
                        help="add the last inputs N times, each to a fresh copy of the grown store; report the median")
    parser.add_argument("--plot", type=Path, default=None,
                        help="PNG of the growth curve (default docs/bench_growth.png for `make bench`, "
                             "docs/bench_growth_VARIANT.png otherwise)")
    args = parser.parse_args(argv)
    if args.limit is not None and args.limit < 2:
        parser.error("--limit must be >= 2")
    if args.workers is not None and args.workers < 1:
        parser.error("--workers must be >= 1")
    limit = args.limit or (QUICK_LIMIT if args.quick else None)
    workers = args.workers or available_cores()
    if args.tail_repeats < 1:
        parser.error("--tail-repeats must be >= 1")
    result = run(args.data, limit, embed=not args.no_embeddings, workers=workers, keep=args.keep,
                 tail_repeats=args.tail_repeats)
    cmd, variant = _command(args)
    plot = args.plot or Path("docs/bench_growth.png" if variant == "full" else f"docs/bench_growth_{variant}.png")
    made = plot_growth(result, plot, f"khabar, {variant}: seconds per 1,000 inputs as the store grows")
    md = render(result, cmd, variant, plot if made else None)
    write(md, args.output, variant)
    out(md)


if __name__ == "__main__":
    main()
