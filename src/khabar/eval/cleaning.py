"""Evaluation of boilerplate removal: scraped-text gold, HTML extraction gold, speed.

Text gold (``evaluate_cleaning``), one JSON file per page (offsets only, never the text)::

    {"source": "baly2018/claims/R-10.json", "article_index": 0,
     "sha256": "<sha256 of that article text, UTF-8>", "body": [[start, end], ...]}

``body`` holds half-open code-point ranges of the real article body in the
source text, marked by hand. A page whose text no longer hashes to ``sha256``
is skipped and counted. Scores count non-whitespace characters only (kept
pieces are trimmed, gold ranges may include spaces), micro-averaged over all
pages, and per baly2018 fold (``baly2018/folds.txt``) so that rules written
while reading three folds can be scored on the fourth.

HTML gold (``evaluate_html_extraction``): self-written pages whose article body
lies between ``<!-- body:start -->`` and ``<!-- body:end -->``; the extracted
text (trafilatura, fallback when empty) is scored against the text of that
region as multisets of words, since extraction output is not an offset range
of the markup.

Speed (``bench_cleaning``): ingest + clean over the SaudiNewsNet day zips.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import time
from collections import Counter
from pathlib import Path

from khabar.clean import clean
from khabar.settings import Settings

log = logging.getLogger(__name__)

_BODY_RE = re.compile(r"<!--\s*body:start\s*-->(.*?)<!--\s*body:end\s*-->", re.S)


def _mask(text: str, ranges: list[tuple[int, int]]) -> set[int]:
    return {i for s, e in ranges for i in range(s, e) if not text[i].isspace()}


def _prf(tp: int, kept: int, gold: int) -> tuple[float, float, float]:
    p = tp / kept if kept else 0.0
    r = tp / gold if gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def _scores(tp: int, kept: int, gold: int) -> dict:
    p, r, f = _prf(tp, kept, gold)
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4)}


def fold_map(data_root: Path) -> dict[str, str]:
    """Claim id ("R-10") -> fold name ("1") from ``baly2018/folds.txt``; {} when absent."""
    path = Path(data_root) / "baly2018" / "folds.txt"
    if not path.exists():
        return {}
    out: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        name, _, ids = line.partition(":")
        for cid in ids.split():
            out[cid] = name.strip().rsplit("_", 1)[-1]
    return out


def evaluate_cleaning(gold_dir: Path, data_root: Path, *, settings: dict | None = None) -> dict:
    """Precision, recall and F1 of cleaned (kept) characters against gold bodies.

    Args:
        gold_dir: folder of gold JSON files (format in the module docstring).
        data_root: folder the gold ``source`` paths are relative to (``../shared/data``).
        settings: the ``[clean]`` section; defaults.toml when None.

    Returns:
        ``{"pages", "skipped", "precision", "recall", "f1", "folds", "per_page"}``;
        ``folds`` maps a fold name to its pages and micro scores; each per-page
        entry has its file, fold, precision, recall and f1.
    """
    sec = settings if settings is not None else Settings().section("clean")
    folds = fold_map(data_root)
    per_fold: dict[str, list[int]] = {}
    per_page: list[dict] = []
    skipped: list[str] = []
    for gf in sorted(Path(gold_dir).glob("*.json")):
        g = json.loads(gf.read_text(encoding="utf-8"))
        src = Path(data_root) / g["source"]
        try:
            text = json.loads(src.read_text(encoding="utf-8"))["article"][int(g["article_index"])]
        except (OSError, KeyError, IndexError, json.JSONDecodeError) as exc:
            log.warning("%s: source %s unreadable (%s); skipped", gf.name, src, exc)
            skipped.append(gf.name)
            continue
        if hashlib.sha256(text.encode("utf-8")).hexdigest() != g["sha256"]:
            log.warning("%s: source text changed (sha256 mismatch); skipped", gf.name)
            skipped.append(gf.name)
            continue
        result = clean(text, settings=sec)
        kept = _mask(text, [(rs, rs + ln) for _, rs, ln in result.offsets.segments])
        gold = _mask(text, [(int(s), int(e)) for s, e in g["body"]])
        hit = len(kept & gold)
        fold = folds.get(Path(g["source"]).stem, "?")
        acc = per_fold.setdefault(fold, [0, 0, 0, 0])
        for i, v in enumerate((1, hit, len(kept), len(gold))):
            acc[i] += v
        per_page.append({"file": gf.name, "fold": fold, **_scores(hit, len(kept), len(gold))})
    tp, kept_n, gold_n = (sum(a[i] for a in per_fold.values()) for i in (1, 2, 3))
    return {
        "pages": len(per_page),
        "skipped": len(skipped),
        **_scores(tp, kept_n, gold_n),
        "folds": {k: {"pages": a[0], **_scores(a[1], a[2], a[3])} for k, a in sorted(per_fold.items())},
        "per_page": per_page,
    }


def _words(text: str) -> Counter[str]:
    return Counter(re.findall(r"\w+", text))


def evaluate_html_extraction(html_dir: Path, *, settings: dict | None = None) -> dict:
    """Word-level P/R/F1 of HTML main-text extraction on hand-marked pages.

    Args:
        html_dir: folder of ``*.html`` pages, each with one marked body region.
        settings: the ``[clean]`` section for the "extraction + text cleaner"
            figure; defaults.toml when None.

    Returns:
        ``{"pages", "extraction": {precision, recall, f1}, "extraction_clean":
        {...}, "per_page": [...]}``: trafilatura (or the fallback) alone, and
        followed by :func:`khabar.clean.clean`, micro-averaged over words.
    """
    from khabar.ingest import RawDocument, _read_html, html_to_text

    sec = settings if settings is not None else Settings().section("clean")
    totals = {"extraction": [0, 0, 0], "extraction_clean": [0, 0, 0]}
    per_page: list[dict] = []
    for page in sorted(Path(html_dir).glob("*.html")):
        markup = page.read_text(encoding="utf-8")
        m = _BODY_RE.search(markup)
        if m is None:
            log.warning("%s: no body:start/body:end markers; skipped", page.name)
            continue
        gold = _words(html_to_text(m.group(1)))
        docs = [d for d in _read_html(markup, str(page), "utf-8") if isinstance(d, RawDocument)]
        raw = docs[0].raw if docs else ""
        row: dict = {"file": page.name}
        for key, text in (("extraction", raw), ("extraction_clean", clean(raw, settings=sec).text)):
            got = _words(text)
            hit = sum((got & gold).values())
            acc = totals[key]
            acc[0], acc[1], acc[2] = acc[0] + hit, acc[1] + sum(got.values()), acc[2] + sum(gold.values())
            row[key] = _scores(hit, sum(got.values()), sum(gold.values()))["f1"]
        per_page.append(row)
    return {"pages": len(per_page), **{k: _scores(*v) for k, v in totals.items()}, "per_page": per_page}


def bench_cleaning(limit: int = 5000, data_root: Path | None = None) -> dict:
    """Articles per second of ingest + clean over SaudiNewsNet (``make bench`` style).

    Args:
        limit: stop after this many articles (must be >= 1).
        data_root: ``../shared/data``; the folder beside the repository when None.

    Returns:
        ``{"articles", "seconds", "articles_per_s", "ingest_s", "clean_s", "chars"}``.

    Raises:
        ValueError: limit below 1, or no SaudiNewsNet zips under ``data_root``.
    """
    from khabar.ingest import RawDocument, iter_documents

    if limit < 1:
        raise ValueError(f"limit must be >= 1, got {limit}")
    root = Path(data_root) if data_root else Path(__file__).resolve().parents[3].parent / "shared" / "data"
    zips = sorted((root / "saudinewsnet" / "dataset").glob("*.zip"))
    if not zips:
        raise ValueError(f"no SaudiNewsNet zips under {root / 'saudinewsnet' / 'dataset'}")
    s = Settings()
    ingest_s, clean_s = s.section("ingest"), s.section("clean")
    n = chars = 0
    t_clean = 0.0
    t0 = time.perf_counter()
    for doc in iter_documents(zips, settings=ingest_s):
        if not isinstance(doc, RawDocument):
            continue
        t1 = time.perf_counter()
        clean(doc.raw, title=doc.title, settings=clean_s)
        t_clean += time.perf_counter() - t1
        n, chars = n + 1, chars + len(doc.raw)
        if n >= limit:
            break
    total = time.perf_counter() - t0
    return {
        "articles": n,
        "seconds": round(total, 3),
        "articles_per_s": round(n / total, 1) if total else 0.0,
        "ingest_s": round(total - t_clean, 3),
        "clean_s": round(t_clean, 3),
        "chars": chars,
    }
