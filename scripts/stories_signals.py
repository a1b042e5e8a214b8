"""Which pairwise text signal separates same-story pages best on baly2018 (issue #4)?

Offline analysis, not part of the package: for every scored article pair of
each fold (1-4) it computes candidate similarities and reports pair ROC AUC,
the BCubed F1 of an offline average-link clustering of the fold's scored
articles with the oracle cut (best for that fold: an upper bound) and with the
fair cut (the similarity level best on the other three folds), plus logistic
combinations fitted on three folds' pairs and scored on the fourth.

Signals (all TF-IDF: sublinear tf x log((N + 1) / (df + 0.5)), df over all the
fold's articles, distractors included; terms from :func:`khabar.stories.terms_of`):

- ``lead``: cosine of the clusterer's leads (title + text, 1,500 characters);
- ``full``: cosine of the whole cleaned texts;
- ``title_max`` / ``title_min``: cosine of one page's title with the other's text, both ways;
- ``rare2`` / ``rare3``: shared 2- and 3-grams of terms held by at most ``--rare-df``
  articles, counted, over sqrt of the smaller page's distinct n-grams;
- ``pass``: best cosine over pairs of term windows (``--window`` terms, half-overlapping);
- ``passlead_max`` / ``passlead_min``: best cosine of one page's windows with the other's lead, both ways;
- ``passlead_arrival``: the same, windows of the later page in the stream against the earlier
  page's lead only (what an online clusterer can afford: it never keeps members' windows).

Usage: ``.venv/bin/python scripts/stories_signals.py [--claims ../shared/data/baly2018/claims]``.
About 60 CPU seconds. Reads ``../shared``; copies nothing from it.
"""

from __future__ import annotations

import argparse
import math
from collections import Counter
from pathlib import Path

import numpy as np
import scipy.sparse as sp
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.spatial.distance import squareform
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score

from khabar.eval.stories import bcubed, load_stream
from khabar.stories import lead_parts, terms_of

FOLDS = ("1", "2", "3", "4")
COMBOS = {
    "LR lead+full": ["lead", "full"],
    "LR lead+passlead": ["lead", "passlead_max", "passlead_min"],
    "LR lead+full+pass+passlead": ["lead", "full", "pass", "passlead_max", "passlead_min"],
    "LR lead+passlead_arrival": ["lead", "passlead_arrival"],
}


def unit_rows(docs: list[list[str]], df: Counter[str], n: int, vocab: dict[str, int]) -> sp.csr_matrix:
    """L2-normalised TF-IDF rows of ``docs`` (terms outside ``vocab`` dropped)."""
    rows, cols, vals = [], [], []
    for r, d in enumerate(docs):
        for t, c in Counter(d).items():
            if t in vocab:
                rows.append(r)
                cols.append(vocab[t])
                vals.append((1 + math.log(c)) * math.log((n + 1) / (df[t] + 0.5)))
    m = sp.csr_matrix((vals, (rows, cols)), shape=(len(docs), len(vocab)))
    norm = np.sqrt(np.asarray(m.multiply(m).sum(1))).ravel()
    return sp.diags(1 / np.where(norm > 0, norm, 1.0)) @ m


def fold_signals(claims: Path, fold: str, window: int, rare_df: int) -> tuple[list[str], dict[str, np.ndarray]]:
    """Gold labels of the fold's scored articles (stream order) and one square matrix per signal."""
    stream = load_stream(claims, seed=0, folds=[fold])
    n = len(stream)
    lead = [terms_of(lead_parts(a, sentences=50, max_chars=1500)[0]) for a, _ in stream]
    full = [terms_of(a.text) for a, _ in stream]
    df_l = Counter(t for d in lead for t in set(d))
    df_f = Counter(t for d in full for t in set(d))
    vocab = {t: i for i, t in enumerate(df_f | df_l)}
    scored = [i for i, (_, g) in enumerate(stream) if g is not None]
    gold = [stream[i][1] for i in scored]
    lm = unit_rows([lead[i] for i in scored], df_l, n, vocab)
    fm = unit_rows([full[i] for i in scored], df_f, n, vocab)
    tm = unit_rows([terms_of(stream[i][0].title) for i in scored], df_f, n, vocab)
    out: dict[str, np.ndarray] = {"lead": (lm @ lm.T).toarray(), "full": (fm @ fm.T).toarray()}
    tf = (tm @ fm.T).toarray()
    out["title_max"], out["title_min"] = np.maximum(tf, tf.T), np.minimum(tf, tf.T)
    for k in (2, 3):
        grams = [{" ".join(d[j : j + k]) for j in range(len(d) - k + 1)} for d in full]
        dfg = Counter(g for s in grams for g in s)
        post: dict[str, list[int]] = {}
        for a, i in enumerate(scored):
            for g in grams[i]:
                if dfg[g] <= rare_df:
                    post.setdefault(g, []).append(a)
        shared = np.zeros((len(scored), len(scored)))
        for rows in post.values():
            shared[np.ix_(rows, rows)] += 1
        sizes = np.array([max(1, len(grams[i])) for i in scored], dtype=float)
        out[f"rare{k}"] = shared / np.sqrt(np.minimum.outer(sizes, sizes))
    step = max(1, window // 2)
    wins, owner = [], []
    for a, i in enumerate(scored):
        for s0 in list(range(0, max(1, len(full[i]) - step), step))[: 2400 // step]:
            wins.append(full[i][s0 : s0 + window])
            owner.append(a)
    wm = unit_rows(wins, df_f, n, vocab)
    bounds = np.r_[0, np.flatnonzero(np.diff(owner)) + 1]
    ww = (wm @ wm.T).toarray().astype(np.float32)
    out["pass"] = np.maximum.reduceat(np.maximum.reduceat(ww, bounds, axis=0), bounds, axis=1).astype(float)
    wl = np.maximum.reduceat((wm @ lm.T).toarray(), bounds, axis=0)  # [windows of a, lead of b]
    out["passlead_max"], out["passlead_min"] = np.maximum(wl, wl.T), np.minimum(wl, wl.T)
    later = np.tril(np.ones_like(wl, dtype=bool), -1)  # row after column in the stream
    arr = np.where(later, wl, 0.0)
    out["passlead_arrival"] = arr + arr.T
    for m in out.values():
        np.fill_diagonal(m, 0.0)
    return gold, out


def upper(m: np.ndarray, gold: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Upper-triangle values of ``m`` and whether each pair shares its gold story."""
    g = np.array(gold)
    iu = np.triu_indices(len(g), 1)
    return m[iu], (g[:, None] == g[None, :])[iu]


def f1_curve(m: np.ndarray, gold: list[str], levels: np.ndarray) -> np.ndarray:
    """BCubed F1 of average-link clusters cut at each similarity level."""
    top = float(m.max()) + 1e-9
    d = top - (m + m.T) / 2
    np.fill_diagonal(d, 0.0)
    z = linkage(squareform(d, checks=False), method="average")
    return np.array([bcubed([str(c) for c in fcluster(z, top - t, "distance")], gold)["f1"] for t in levels])


def report(name: str, mats: dict[str, np.ndarray], golds: dict[str, list[str]]) -> str:
    """One table row: per fold AUC, oracle and fair average-link F1; means last."""
    vals = np.concatenate([upper(mats[f], golds[f])[0] for f in FOLDS])
    levels = np.unique(np.quantile(vals, np.linspace(0.80, 0.9995, 120)))
    curves = {f: f1_curve(mats[f], golds[f], levels) for f in FOLDS}
    auc, orc, fair = [], [], []
    for f in FOLDS:
        auc.append(roc_auc_score(*upper(mats[f], golds[f])[::-1]))
        orc.append(curves[f].max())
        others = np.mean([curves[o] for o in FOLDS if o != f], axis=0)
        fair.append(curves[f][int(others.argmax())])
    cells = [" ".join(f"{x:.3f}" for x in v) + f" ({np.mean(v):.3f})" for v in (auc, orc, fair)]
    return f"| {name} | " + " | ".join(cells) + " |"


def combined(names: list[str], mats: dict[str, dict[str, np.ndarray]], golds: dict[str, list[str]]) -> dict:
    """Logistic-regression scores over ``names``, fitted on three folds' pairs, per test fold."""
    out = {}
    for f in FOLDS:
        train = [o for o in FOLDS if o != f]
        x = np.column_stack([np.concatenate([upper(mats[o][k], golds[o])[0] for o in train]) for k in names])
        y = np.concatenate([upper(mats[o][names[0]], golds[o])[1] for o in train])
        lr = LogisticRegression(max_iter=2000).fit(x, y)
        size = len(golds[f])
        m = lr.decision_function(np.column_stack([mats[f][k].ravel() for k in names])).reshape(size, size)
        m = (m + m.T) / 2
        np.fill_diagonal(m, m.min())
        out[f] = m - m.min()
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--claims", type=Path, default=Path("../shared/data/baly2018/claims"))
    ap.add_argument("--window", type=int, default=40, help="terms per passage window")
    ap.add_argument("--rare-df", type=int, default=10, help="an n-gram held by at most this many articles is rare")
    args = ap.parse_args()
    golds, mats = {}, {}
    for f in FOLDS:
        golds[f], mats[f] = fold_signals(args.claims, f, args.window, args.rare_df)
    print("| signal | pair AUC folds 1-4 (mean) | avg-link F1, oracle cut | avg-link F1, fair cut |")
    print("| --- | --- | --- | --- |")
    for name in mats["1"]:
        print(report(name, {f: mats[f][name] for f in FOLDS}, golds), flush=True)
    for name, keys in COMBOS.items():
        print(report(name, combined(keys, mats, golds), golds), flush=True)


if __name__ == "__main__":
    main()
