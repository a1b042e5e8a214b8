"""Claim-vs-article stance on the Baly et al. (2018) Arabic corpus: a lexical baseline.

Each claim file holds ``claim``, ``article[]`` and ``stance[]`` (agree,
disagree, discuss, unrelated). The baseline reads overlap and denial wording:
an article sharing few of the claim's topical words is unrelated; one with a
denial cue within ``window`` words of a claim word disagrees; one sharing most
of them agrees; the rest discuss.
"""

from __future__ import annotations

import json
from pathlib import Path

from khabar.arabic import match_key
from khabar.eval.pairs import f1_table

LABELS: tuple[str, ...] = ("agree", "disagree", "discuss", "unrelated")
_STOP = frozenset(match_key("في من على الى إلى عن مع ان أن إن كان هذا هذه ذلك التي الذي ما لا لم قد و أو يوم").split())
_DENY_WORDS = frozenset(match_key("نفى ينفي نفت تنفي نفي تكذيب كذب ينفى شائعة شائعات إشاعة مزاعم زائف زائفة").split())


def _tokens(text: str) -> list[str]:
    return [t for t in match_key(text).split() if t not in _STOP and len(t) > 1]


def article_stance(claim: str, article: str, *, unrelated_below: float = 0.5, agree_above: float = 0.8, window: int = 12) -> str:
    """One of ``LABELS`` for ``article`` with respect to ``claim`` (see module docstring)."""
    ct = set(_tokens(claim))
    at = _tokens(article)
    if not ct or not at:
        return "unrelated"
    aset = set(at)
    overlap = len(ct & aset) / len(ct)
    if overlap < unrelated_below:
        return "unrelated"
    hits = [i for i, t in enumerate(at) if t in ct]
    for i, t in enumerate(at):
        if t in _DENY_WORDS and any(abs(i - h) <= window for h in hits):
            return "disagree"
    return "agree" if overlap >= agree_above else "discuss"


def _fold_ids(claims_dir: Path, folds: list[str] | None) -> set[str] | None:
    if not folds:
        return None
    path = Path(claims_dir).parent / "folds.txt"
    ids: set[str] = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        name, _, rest = line.partition(":")
        if name.strip() in folds:
            ids.update(rest.split())
    return ids


def evaluate_stance(claims_dir: Path, folds: list[str] | None = None, **params: float) -> dict:
    """Accuracy and macro-F1 (over the four labels) of :func:`article_stance` on ``claims_dir``.

    Args:
        claims_dir: folder of claim JSON files (``baly2018/claims``).
        folds: fold names from ``folds.txt`` beside it ("Fold_1"...); None = all files.
        params: thresholds passed to :func:`article_stance`.
    """
    keep = _fold_ids(Path(claims_dir), folds)
    gold: list[str] = []
    pred: list[str] = []
    for f in sorted(Path(claims_dir).glob("*.json")):
        if keep is not None and f.stem not in keep:
            continue
        data = json.loads(f.read_text(encoding="utf-8"))
        for art, st in zip(data["article"], data["stance"]):
            gold.append(st)
            pred.append(article_stance(data["claim"], art, **params))
    table = f1_table(gold, pred, LABELS)
    return {
        "n": len(gold),
        "accuracy": sum(g == p for g, p in zip(gold, pred)) / len(gold) if gold else 0.0,
        "macro_f1": sum(t["f1"] for t in table.values()) / len(LABELS),
        "per_class": table,
    }
