"""Score attribution extraction against hand-annotated gold.

Gold: one JSON file per article, ``{"doc_id", "attributions": [{"speaker",
"speaker_kind", "cue", "content", "type", "stance", "nested_source"}]}``, where
speaker, cue and content are exact substrings of ``TEXT_DIR/DOC_ID.txt``
(the first occurrence is taken; ``speaker`` may be null). Predictions come from
:func:`khabar.attribution.find_attributions` on that text, with its own
sentence fallback and no entities.

A predicted and a gold attribution match when their contents' token F1 is at
least 0.5 and the predicted speaker overlaps the gold speaker (or both have
none); matching is one-to-one, best pairs first.
"""

from __future__ import annotations

import json
import logging
from collections import Counter
from pathlib import Path

from khabar.arabic import match_key
from khabar.attribution import find_attributions
from khabar.errors import KhabarError
from khabar.model import Article

log = logging.getLogger(__name__)

MIN_CONTENT_F1 = 0.5


def token_f1(a: str, b: str) -> float:
    """Bag-of-words F1 of two strings over :func:`match_key` tokens."""
    ta, tb = Counter(match_key(a).split()), Counter(match_key(b).split())
    common = sum((ta & tb).values())
    if not common:
        return 0.0
    p, r = common / sum(ta.values()), common / sum(tb.values())
    return 2 * p * r / (p + r)


def _gold_span(text: str, piece: str | None, source: str) -> tuple[int, int] | None:
    if not piece:
        return None
    i = text.find(piece)  # gold gives strings, not offsets: locate the annotated substring
    if i < 0:
        raise KhabarError(f"gold string not in text: {piece[:40]!r}", source=source, hint="gold strings must be exact substrings")
    return i, i + len(piece)


def _overlaps(a: tuple[int, int] | None, b: tuple[int, int] | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return a[0] < b[1] and b[0] < a[1]


def _prf(tp: int, n_pred: int, n_gold: int) -> tuple[float, float, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def evaluate_attributions(gold_dir: Path, text_dir: Path, *, settings: dict | None = None) -> dict:
    """Precision, recall and F1 of attributions, plus accuracies over matched pairs.

    Returns:
        ``precision``, ``recall``, ``f1`` (matched pairs), ``exact_content_f1``
        (contents equal character for character), and over matched pairs
        ``speaker_accuracy`` (same speaker text), ``speaker_kind_accuracy``, ``stance_accuracy``,
        ``type_accuracy``; ``n_docs``, ``n_gold``, ``n_pred``.
    """
    n_gold = n_pred = tp = exact = spk = kind = stance = typ = 0
    files = sorted(Path(gold_dir).glob("*.json"))
    for gf in files:
        gold = json.loads(gf.read_text(encoding="utf-8"))
        doc_id = gold["doc_id"]
        text = (Path(text_dir) / f"{doc_id}.txt").read_text(encoding="utf-8")
        art = Article(id=doc_id, path=str(gf), raw=text, text=text)
        find_attributions(art, settings=settings or {})
        preds = art.attributions
        golds = gold["attributions"]
        n_gold += len(golds)
        n_pred += len(preds)
        g_spans = [
            (_gold_span(text, g.get("content"), str(gf)), _gold_span(text, g.get("speaker"), str(gf))) for g in golds
        ]
        exact += len({(p.content.start, p.content.end) for p in preds} & {gs[0] for gs in g_spans if gs[0]})
        cands = []
        for pi, p in enumerate(preds):
            p_content = art.span_text(p.content)
            p_spk = (p.speaker.start, p.speaker.end) if p.speaker else None
            for gi, g in enumerate(golds):
                f1 = token_f1(p_content, g.get("content") or "")
                if f1 >= MIN_CONTENT_F1 and _overlaps(p_spk, g_spans[gi][1]):
                    cands.append((f1, pi, gi))
        used_p: set[int] = set()
        used_g: set[int] = set()
        for f1, pi, gi in sorted(cands, reverse=True):
            if pi in used_p or gi in used_g:
                continue
            used_p.add(pi)
            used_g.add(gi)
            tp += 1
            p, g = preds[pi], golds[gi]
            spk += int(art.span_text(p.speaker) == (g.get("speaker") or ""))
            kind += int(g.get("speaker_kind") in (None, p.speaker_kind))
            stance += int(p.stance == g.get("stance"))
            typ += int(p.kind == g.get("type"))
    prec, rec, f1 = _prf(tp, n_pred, n_gold)
    return {
        "n_docs": len(files),
        "n_gold": n_gold,
        "n_pred": n_pred,
        "precision": prec,
        "recall": rec,
        "f1": f1,
        "exact_content_f1": _prf(exact, n_pred, n_gold)[2],
        "speaker_accuracy": spk / tp if tp else 0.0,
        "speaker_kind_accuracy": kind / tp if tp else 0.0,
        "stance_accuracy": stance / tp if tp else 0.0,
        "type_accuracy": typ / tp if tp else 0.0,
    }
