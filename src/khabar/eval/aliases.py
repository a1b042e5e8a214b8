"""Pairwise scores of name-variant merging against a hand-labelled gold file.

The gold file is TSV, one pair a line: ``mention_a<TAB>mention_b<TAB>same|different``
and an optional fourth column with the entity type (PER when absent). Lines
starting with ``#`` and blank lines are skipped. A pair predicted "same" by
:func:`khabar.resolve.alias_same` is a positive; precision and recall are over
the gold "same" pairs.
"""

from __future__ import annotations

from pathlib import Path

from khabar.errors import KhabarError
from khabar.resolve import alias_same


def load_pairs(path: Path) -> list[tuple[str, str, bool, str]]:
    """``(a, b, same, type)`` rows of a gold file; raises KhabarError naming the bad line."""
    rows = []
    for n, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) not in (3, 4) or parts[2] not in ("same", "different"):
            raise KhabarError(f"line {n}: expected a<TAB>b<TAB>same|different[<TAB>TYPE]", source=str(path))
        rows.append((parts[0], parts[1], parts[2] == "same", parts[3] if len(parts) == 4 else "PER"))
    return rows


def evaluate_aliases(path: Path) -> dict:
    """Precision, recall and F1 of merge decisions on the gold pairs at ``path``.

    Returns:
        ``{"precision", "recall", "f1", "pairs", "positives", "errors": [(a, b, gold)]}``.
    """
    tp = fp = fn = 0
    errors = []
    rows = load_pairs(path)
    for a, b, gold, type_ in rows:
        pred = alias_same(a, b, type_)
        tp += pred and gold
        fp += pred and not gold
        fn += gold and not pred
        if pred != gold:
            errors.append((a, b, "same" if gold else "different"))
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {
        "precision": round(p, 4),
        "recall": round(r, 4),
        "f1": round(f, 4),
        "pairs": len(rows),
        "positives": sum(1 for row in rows if row[2]),
        "errors": errors,
    }
