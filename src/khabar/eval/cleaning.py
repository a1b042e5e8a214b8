"""Character-level evaluation of boilerplate removal against hand-marked article bodies.

Gold format, one JSON file per page (never the text itself, only offsets)::

    {"source": "baly2018/claims/R-10.json", "article_index": 0,
     "sha256": "<sha256 of that article text, UTF-8>", "body": [[start, end], ...]}

``body`` holds half-open code-point ranges of the real article body in the
source text. A page whose text no longer hashes to ``sha256`` is skipped and
counted. Scores count non-whitespace characters only (kept pieces are trimmed,
gold ranges may include spaces), micro-averaged over all pages.
"""

from __future__ import annotations

import hashlib
import json
import logging
from pathlib import Path

from khabar.clean import clean
from khabar.settings import Settings

log = logging.getLogger(__name__)


def _mask(text: str, ranges: list[tuple[int, int]]) -> set[int]:
    return {i for s, e in ranges for i in range(s, e) if not text[i].isspace()}


def _prf(tp: int, kept: int, gold: int) -> tuple[float, float, float]:
    p = tp / kept if kept else 0.0
    r = tp / gold if gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def evaluate_cleaning(gold_dir: Path, data_root: Path, *, settings: dict | None = None) -> dict:
    """Precision, recall and F1 of cleaned (kept) characters against gold bodies.

    Args:
        gold_dir: folder of gold JSON files (format in the module docstring).
        data_root: folder the gold ``source`` paths are relative to (``../shared/data``).
        settings: the ``[clean]`` section; defaults.toml when None.

    Returns:
        ``{"pages", "skipped", "precision", "recall", "f1", "per_page": [...]}``;
        each per-page entry has its file, precision, recall and f1.
    """
    sec = settings if settings is not None else Settings().section("clean")
    tp = kept_n = gold_n = 0
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
        tp, kept_n, gold_n = tp + hit, kept_n + len(kept), gold_n + len(gold)
        p, r, f = _prf(hit, len(kept), len(gold))
        per_page.append({"file": gf.name, "precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4)})
    p, r, f = _prf(tp, kept_n, gold_n)
    return {
        "pages": len(per_page),
        "skipped": len(skipped),
        "precision": round(p, 4),
        "recall": round(r, 4),
        "f1": round(f, 4),
        "per_page": per_page,
    }
