"""``make bench``: speed and memory of the whole pipeline on SaudiNewsNet.

Streams ``../shared/data/saudinewsnet/dataset/*.zip`` through
:func:`khabar.pipeline.analyze_documents` into a fresh database and writes
the figures between the ``bench`` markers of BENCHMARKS.md: articles/s overall
and per stage, peak RSS, and the time per 1,000 articles as the store grows
(the curve must stay flat). Speed is measured here, never in unit tests.
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import platform
import resource
import tempfile
import time
from pathlib import Path

from khabar import __version__
from khabar.ingest import iter_documents
from khabar.pipeline import analyze_documents
from khabar.settings import Settings
from khabar.store import Store

DEFAULT_DATA = Path("../shared/data/saudinewsnet/dataset")  # relative to the repo root, where make runs
START, END = "<!-- bench:start -->", "<!-- bench:end -->"


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run(data: Path, limit: int | None, embed: bool) -> dict:
    settings = Settings.load()
    zips = sorted(data.glob("*.zip"))
    if not zips:
        raise SystemExit(f"no SaudiNewsNet zips under {data}: the benchmark needs ../shared beside the repo")
    docs = iter_documents(zips, settings=settings.section("ingest"))
    if limit:
        docs = itertools.islice(docs, limit)
    marks: list[tuple[int, float]] = [(0, time.perf_counter())]
    count = 0

    def progress(n: int) -> None:
        nonlocal count
        count += n
        marks.append((count, time.perf_counter()))

    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "bench.db")
        t0 = time.perf_counter()
        summary = analyze_documents(docs, store, settings, embed=embed, on_progress=progress)
        total = time.perf_counter() - t0
        store.close()
    per_1000 = []
    next_mark = 1000
    last_n, last_t = marks[0]
    for n, t in marks[1:]:
        if n >= next_mark:
            per_1000.append((n, (t - last_t) / (n - last_n) * 1000))
            last_n, last_t = n, t
            next_mark = n + 1000
    return {"inputs": count, "summary": summary, "seconds": total, "per_1000": per_1000,
            "peak_rss_mib": peak_rss_mib(), "embed": embed}


def render(result: dict, command: str) -> str:
    s = result["summary"]
    n = max(s.analysed, 1)
    lines = [
        START,
        f"### Pipeline on SaudiNewsNet ({dt.date.today().isoformat()})",
        "",
        f"Command: `{command}`  ",
        f"Machine: {platform.machine()}, {_cores()} cores, Python {platform.python_version()}, khabar {__version__}  ",
        f"Inputs: {result['inputs']} articles read, {s.analysed} analysed, {s.unchanged} repeated, "
        f"{s.duplicates} near-duplicates, {len(s.skipped)} skipped; embeddings {'on' if result['embed'] else 'off'}",
        "",
        "| figure | value |",
        "| --- | --- |",
        f"| end to end | {s.analysed / result['seconds']:.1f} articles/s ({result['seconds']:.0f} s) |",
        f"| peak RSS | {result['peak_rss_mib']:.0f} MiB |",
    ]
    for stage, secs in sorted(s.timings.items(), key=lambda kv: -kv[1]):
        lines.append(f"| stage `{stage}` | {n / secs:.0f} articles/s ({secs:.1f} s) |" if secs else f"| stage `{stage}` | - |")
    if result["per_1000"]:
        lines += ["", "Time per 1,000 articles as the store grows:", "", "| articles in store | s per 1,000 |", "| --- | --- |"]
        lines += [f"| {n} | {t:.1f} |" for n, t in result["per_1000"]]
    lines.append(END)
    return "\n".join(lines)


def _cores() -> int:
    import os

    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def write(markdown: str, path: Path) -> None:
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n\n"
    if START in text and END in text:
        head, rest = text.split(START, 1)
        text = head + markdown + rest.split(END, 1)[1]
    else:
        text = text.rstrip() + "\n\n" + markdown + "\n"
    path.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="first 3,000 articles only")
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--no-embeddings", action="store_true")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--output", type=Path, default=Path("BENCHMARKS.md"))
    args = parser.parse_args(argv)
    limit = 3000 if args.quick and not args.limit else args.limit
    result = run(args.data, limit, embed=not args.no_embeddings)
    cmd = "make bench-quick" if args.quick else "make bench"
    if args.limit or args.no_embeddings:
        cmd = "python -m khabar.bench" + (f" --limit {args.limit}" if args.limit else "") + (" --no-embeddings" if args.no_embeddings else "")
    md = render(result, cmd)
    write(md, args.output)
    print(md)  # noqa: T201 - a script's report


if __name__ == "__main__":
    main()
