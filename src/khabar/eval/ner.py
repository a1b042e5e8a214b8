"""Cross-validated NER scores: entity-level micro precision / recall / F1.

Scoring follows CoNLL's ``conlleval``: an entity counts as correct only when
its span (first and last token) and its type both match; an ``I-`` tag that
does not continue an entity of the same type starts a new one.
"""

from __future__ import annotations

import logging
import random
import tempfile
from collections import Counter
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import NamedTuple

from khabar.errors import ModelMissingError
from khabar.ner_train import (
    DEFAULT_ANERGAZET,
    DEFAULT_CLUSTERS,
    DEFAULT_DOC_SIZE,
    DEFAULT_PASS2_SCHEME,
    DEFAULT_TRAIN,
    STACK_FEATURES,
    Pass1,
    Pass1Job,
    Sentence,
    add_autogaz,
    bio_spans,
    check_scheme,
    document_features,
    fit,
    fold_bounds,
    group_documents,
    load_clusters,
    load_gazetteer,
    load_gazetteer_index,
    propagate_entities,
    read_conll,
    run_pass1_job,
    to_bio,
)
from khabar.ner_wordtype import crossfit_table, fit_model, wordtype_features

log = logging.getLogger(__name__)


def _count(gold_tags: Sequence[str], pred_tags: Sequence[str], tp: Counter, pred_n: Counter, gold_n: Counter) -> None:
    gold = bio_spans(gold_tags)
    pred = bio_spans(pred_tags)
    for s in pred & gold:
        tp[s[2]] += 1
    for s in pred:
        pred_n[s[2]] += 1
    for s in gold:
        gold_n[s[2]] += 1


class FoldJob(NamedTuple):
    """One cross-validation fold for :func:`_run_fold` (picklable for the process pool)."""

    train: list[Sentence]
    test: list[Sentence]
    params: dict
    gaz_dir: str | None
    clusters_path: str
    doc_size: int
    p1_train: list[Pass1] | None = None  # a pass-2 model: pass-1 output of train ...
    p1_test: list[Pass1] | None = None  # ... and of test
    groups: tuple[str, ...] = STACK_FEATURES  # stacked feature groups read from pass 1
    agaz: tuple[list, dict] | None = None  # auto-gazetteer tables: per training sentence, for the held-out fold
    wordtype: bool = False  # the model reads the word-type guesser (fitted here on train alone)
    propagate: bool = False  # tags propagated through each document
    scheme: str = "bio"  # labels the scored model learns (khabar.ner_train.TAG_SCHEMES), its tags mapped back to BIO


def _run_fold(job: FoldJob) -> tuple[Counter, Counter, Counter, list[list[str]]]:
    """Train on one split, tag the held-out part; counts of (tp, predicted, gold) per type, and the tags."""
    import pycrfsuite

    from khabar.ner_train import stacked_features

    doc_size = job.doc_size
    agaz_train, agaz_test = job.agaz if job.agaz is not None else (None, None)
    gazetteer = load_gazetteer(Path(job.gaz_dir)) if job.gaz_dir else None
    guesses, guesser = None, None
    if job.wordtype:
        # The guesser also learns from the auto-gazetteer table that serves the held-out fold (built without it).
        guesses, guesser = crossfit_table(job.train, gazetteer, agaz_test), fit_model(job.train, gazetteer, agaz_test)
    clusters = load_clusters(job.clusters_path) if job.clusters_path else {}
    tp: Counter = Counter()
    pred_n: Counter = Counter()
    gold_n: Counter = Counter()
    tagged: list[list[str]] = []
    with tempfile.TemporaryDirectory() as tmp:
        model = Path(tmp) / "fold.crfsuite"
        fit(job.train, model, job.params, gazetteer, clusters, doc_size, job.p1_train, job.groups, agaz_train, guesses, job.scheme)
        tagger = pycrfsuite.Tagger()
        tagger.open(str(model))
        done = 0
        for docs in group_documents(job.test, doc_size or 1):
            words = [[t for t, _ in sent] for sent in docs]
            feats = document_features(words, gazetteer, clusters, doc=doc_size > 0)
            add_autogaz(feats, words, agaz_test)
            wordtype_features(feats, words, guesser)
            if job.p1_test is not None:
                feats = stacked_features(feats, words, job.p1_test[done : done + len(docs)], gazetteer, clusters, job.groups)
            done += len(docs)
            doc_tags = [to_bio(tagger.tag(xs)) for xs in feats]
            if job.propagate:
                doc_tags = propagate_entities(words, doc_tags)
            for sent, tags in zip(docs, doc_tags, strict=True):
                tagged.append(tags)
                _count([g for _, g in sent], tags, tp, pred_n, gold_n)
        tagger.close()
    return tp, pred_n, gold_n, tagged


def _prf(tp: int, pred: int, gold: int) -> dict[str, float]:
    p = tp / pred if pred else 0.0
    r = tp / gold if gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4), "support": gold}


def evaluate_model(path: Path, settings: dict | None = None, *, doc_size: int = DEFAULT_DOC_SIZE) -> dict:
    """Entity-level micro and per-type scores of the bundled model, as analysis runs it, on ``path``.

    No training: every sentence is tagged by :func:`khabar.entities.tag_document`
    with ``settings`` (the ``[entities]`` section; None: the defaults, so two-pass
    and auto-gazetteer as shipped). A ``token TAG`` file marks no article
    boundaries, so runs of ``doc_size`` consecutive sentences stand in for the
    documents whose other occurrences inform each word (as in cross-validation).

    Returns:
        ``{"precision", "recall", "f1", "per_type", "sentences", "model"}``.
    """
    from khabar.entities import model_path, tag_document
    from khabar.settings import Settings

    sec = dict(Settings.load().section("entities")) if settings is None else dict(settings)
    sents = read_conll(Path(path))
    tp: Counter = Counter()
    pred_n: Counter = Counter()
    gold_n: Counter = Counter()
    for docs in group_documents(sents, max(1, doc_size)):
        tags = tag_document([[t for t, _ in sent] for sent in docs], settings=sec)
        for sent, pred in zip(docs, tags, strict=True):
            _count([g for _, g in sent], pred, tp, pred_n, gold_n)
    out = _prf(sum(tp.values()), sum(pred_n.values()), sum(gold_n.values()))
    out["per_type"] = {t: _prf(tp[t], pred_n[t], gold_n[t]) for t in sorted(gold_n)}
    out["sentences"] = len(sents)
    out["model"] = str(model_path(sec)) + (" + pass 2" if sec.get("stacked") else "")
    return out


def evaluate_ner(
    path: Path = DEFAULT_TRAIN,
    folds: int = 5,
    *,
    shuffle: bool = False,
    seed: int = 0,
    workers: int = 2,
    only: Sequence[int] | None = None,
    stack: Sequence[str] | None = None,
    pass2_params: dict | None = None,
    cache_dir: Path | None = None,
    autogaz: dict | None = None,
    keep_predictions: bool = False,
    wordtype: bool = False,
    propagate: bool = False,
    scheme: str | None = None,
    **params: object,
) -> dict:
    """K-fold cross-validated entity-level micro scores of the CRF recipe on ``path``.

    By default folds are contiguous blocks of sentences (as scikit-learn's
    ``KFold`` without shuffling). ANERcorp is ordered by article, so a fold then
    holds whole articles and a name is less often seen in training only because
    its own article was split; this is the stricter estimate for new articles.
    ``shuffle=True`` deals sentences to folds at random (``seed``), the usual
    but more optimistic protocol.

    Args:
        path: ``token TAG`` BIO file.
        folds: number of folds, at least 2.
        shuffle: deal sentences to folds at random instead of in order.
        seed: the shuffle's seed.
        workers: processes training folds in parallel.
        only: score just these folds (0-based), for quick screening; None: all.
        **params: crfsuite options; ``gazetteer_dir`` the ANERGazet folder for gazetteer
            features (default ``../shared/data/anergazet``, as ``khabar train ner``; "" for none);
            ``clusters_path`` names a word-cluster table ("" for none; default
            the bundled one); ``doc_size`` sentences form one document for
            document features (0: none; default :data:`DEFAULT_DOC_SIZE`).
        stack: score the two-pass tagger with these pass-2 feature groups (see
            :data:`khabar.ner_train.STACK_FEATURES`); None: pass 1 alone. Pass 1's
            labels on each training block of pass 2 come from a model trained
            without that block *and* without the held-out fold (nested
            cross-fitting over the other ``folds - 1`` contiguous blocks).
        pass2_params: crfsuite options of pass 2 only, over ``params``.
        cache_dir: keep pass-1 outputs there (a pickle per recipe), so pass-2
            variants need not retrain pass 1; also the auto-gazetteer counts.
        autogaz: add auto-gazetteer features (:mod:`khabar.ner_autogaz`), cross-fitted:
            the SaudiNewsNet sample is tagged by a pass-1 model trained without
            the held-out fold (its table serves the held-out fold), and with
            ``"nested": True`` (default) each training block ``j`` gets the
            table of a model trained without ``j`` and the held-out fold. Keys:
            ``min_count``, ``min_share`` (:func:`~khabar.ner_autogaz.agaz_table`),
            ``every`` (sample step), ``corpus`` (SaudiNewsNet folder or a
            :func:`~khabar.ner_autogaz.targeted_sample` pickle), ``nested``, and
            with ``stack`` ``pass1`` (default True; False: pass 1 is the plain
            recipe and only pass 2 reads the tables). None: no such features.
        wordtype: the scored model (pass 2 with ``stack``, else the only one) reads
            the word-type guesser (:mod:`khabar.ner_wordtype`): cross-fitted
            guesses on the training folds, a guesser fitted on them for the
            held-out fold, as :func:`khabar.ner_train.train_ner` ships it.
        propagate: the scored model's tags go through
            :func:`khabar.ner_train.propagate_entities` per document, as
            ``[entities] propagate`` does at run time.
        scheme: labels the scored model learns (:data:`khabar.ner_train.TAG_SCHEMES`); None:
            :data:`khabar.ner_train.DEFAULT_PASS2_SCHEME` for pass 2 with ``stack`` (as shipped),
            BIO for a single pass. Pass 1 always learns BIO.
        keep_predictions: also return ``"predictions"``: fold -> the tags of
            each of its sentences, in fold order, for error analysis.

    Returns:
        ``{"precision", "recall", "f1", "per_type": {type: {...}}, "per_fold": [{...}],
        "folds", "split", "sentences"}``; per-fold entries carry ``fold``. With
        ``stack``, also ``"pass1"``: the same micro scores of pass 1 on the
        same folds.
    """
    if folds < 2:
        raise ValueError(f"folds must be >= 2, got {folds}")
    gaz_dir = params.pop("gazetteer_dir", DEFAULT_ANERGAZET)  # the shipped recipe; "" or None: without
    if gaz_dir and not Path(gaz_dir).is_dir():
        raise ModelMissingError("no ANERGazet lists for the gazetteer features of the shipped recipe",
                                source=str(gaz_dir), hint="put ../shared beside the repository, or pass gazetteer_dir=\"\"")
    clusters_path = str(params.pop("clusters_path", DEFAULT_CLUSTERS) or "")
    doc_size = int(params.pop("doc_size", DEFAULT_DOC_SIZE))  # type: ignore[call-overload]
    picked = list(range(folds)) if only is None else sorted(set(only))
    check_scheme(scheme or "bio")
    if any(not 0 <= k < folds for k in picked):
        raise ValueError(f"only must name folds in [0, {folds - 1}], got {only}")
    sents = read_conll(Path(path))
    if shuffle:
        random.Random(seed).shuffle(sents)
    n = len(sents)
    bounds = fold_bounds(n, folds)
    gaz = str(gaz_dir) if gaz_dir else None
    jobs = [
        FoldJob(sents[: bounds[k]] + sents[bounds[k + 1] :], sents[bounds[k] : bounds[k + 1]], dict(params), gaz, clusters_path, doc_size,
                wordtype=wordtype, propagate=propagate, scheme=scheme or (DEFAULT_PASS2_SCHEME if stack is not None else "bio"))
        for k in picked
    ]
    agaz = None
    if autogaz is not None:
        blocks = [sents[bounds[k] : bounds[k + 1]] for k in range(folds)]
        agaz, agaz_tables = _crossfit_autogaz(blocks, picked, dict(params), gaz, clusters_path, doc_size, workers, cache_dir, str(path),
                                              shuffle, seed, autogaz)
        jobs = [job._replace(agaz=agaz[k]) for k, job in zip(picked, jobs, strict=True)]
    base = None
    if stack is not None:
        blocks = [sents[bounds[k] : bounds[k + 1]] for k in range(folds)]
        in_pass1 = agaz is not None and bool((autogaz or {}).get("pass1", True))
        p1 = _nested_pass1(blocks, picked, dict(params), gaz, clusters_path, doc_size, workers, cache_dir, str(path), shuffle, seed,
                           (agaz_tables, dict(autogaz or {})) if in_pass1 else None)
        base = Counter(), Counter(), Counter()
        for k in picked:
            for sent, (tags, _) in zip(blocks[k], p1[k, k], strict=True):
                _count([g for _, g in sent], tags, *base)
        jobs = [
            job._replace(params={**params, **(pass2_params or {})}, p1_train=[x for j in range(folds) if j != k for x in p1[j, k]],
                         p1_test=p1[k, k], groups=tuple(stack))
            for k, job in zip(picked, jobs, strict=True)
        ]
    tp: Counter = Counter()
    pred_n: Counter = Counter()
    gold_n: Counter = Counter()
    per_fold = []
    predictions: dict[int, list[list[str]]] = {}
    with ProcessPoolExecutor(max_workers=max(1, workers)) as pool:
        for k, (a, b, c, tags) in zip(picked, pool.map(_run_fold, jobs), strict=True):
            if keep_predictions:
                predictions[k] = tags
            tp.update(a)
            pred_n.update(b)
            gold_n.update(c)
            per_fold.append({"fold": k, **_prf(sum(a.values()), sum(b.values()), sum(c.values()))})
    out = _prf(sum(tp.values()), sum(pred_n.values()), sum(gold_n.values()))
    out["per_type"] = {t: _prf(tp[t], pred_n[t], gold_n[t]) for t in sorted(gold_n)}
    out["per_fold"] = per_fold
    out["folds"] = folds
    out["split"] = "shuffled" if shuffle else "contiguous"
    out["sentences"] = n
    if keep_predictions:
        out["predictions"] = predictions
    if base is not None:
        out["pass1"] = _prf(sum(base[0].values()), sum(base[1].values()), sum(base[2].values()))
    return out


def targeted_vocab(sents: Sequence[Sentence]) -> set[str]:
    """Folded words and stems of 3+ letters in ``sents``: what :func:`evaluate_recipe`'s SaudiNewsNet sample is drawn for.

    Words only, never labels, so drawing the sample for the whole file lets no
    held-out label into training.
    """
    from khabar.arabic import fold
    from khabar.ner_train import _stem

    vocab = set()
    for sent in sents:
        for tok, _ in sent:
            folded = fold(tok)
            vocab.update(w for w in (folded, _stem(folded)[1]) if len(w) >= 3)
    return vocab


def evaluate_recipe(path: Path = DEFAULT_TRAIN, folds: int = 5, *, workers: int = 2, cache_dir: Path | None = None,
                    corpus: Path | None = None, per_word: int = 10, **params: object) -> dict:
    """K-fold CV of the recipe ``khabar train ner`` ships, the figure issue 5's bar is about.

    Two passes (:data:`~khabar.ner_train.STACK_FEATURES`, nested cross-fitting),
    pass 2 reading the auto-gazetteer and the word-type guesser and learning
    :data:`~khabar.ner_train.DEFAULT_PASS2_SCHEME` labels, tags propagated per
    document. The auto-gazetteer of each fold is counted on a *targeted*
    SaudiNewsNet sample (:func:`khabar.ner_autogaz.targeted_sample`: at most
    ``per_word`` sentences for each word of :func:`targeted_vocab`), a capped
    stand-in for the whole-corpus table the shipped model reads, since tagging
    all of SaudiNewsNet once per fold model would cost ~5 CPU min each.

    Args:
        path, folds, workers, **params: as :func:`evaluate_ner`.
        cache_dir: keep the sample, pass-1 outputs and auto-gazetteer counts there
            (a rerun then takes about half the time); None: a temporary folder.
        corpus: SaudiNewsNet day zips (default ``../shared/data/saudinewsnet/dataset``).

    Raises:
        ModelMissingError: ``corpus`` holds no day zips.
    """
    import hashlib
    import pickle

    from khabar.ner_autogaz import targeted_sample
    from khabar.ner_train import DEFAULT_SAUDINEWSNET, DEFAULT_WORDTYPE, _ranks

    corpus = Path(corpus or DEFAULT_SAUDINEWSNET)
    if not any(corpus.glob("*.zip")):
        raise ModelMissingError("no SaudiNewsNet day zips for the auto-gazetteer of the shipped NER recipe", source=str(corpus),
                                hint="put ../shared beside the repository, or use --single-pass")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(cache_dir) if cache_dir else Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        clusters_path = str(params.get("clusters_path", DEFAULT_CLUSTERS) or "")
        key = hashlib.sha256(Path(path).read_bytes() + repr((str(corpus.resolve()), per_word, clusters_path)).encode()).hexdigest()[:16]
        sample = folder / f"ner_target_{key}.pkl"
        if not sample.is_file():
            ranks = _ranks(load_clusters(clusters_path)) if clusters_path else {}
            docs = targeted_sample(str(corpus), targeted_vocab(read_conll(Path(path))), per_word, ranks=ranks)
            sample.write_bytes(pickle.dumps(docs))
        out = evaluate_ner(path, folds, workers=workers, cache_dir=folder, stack=STACK_FEATURES,
                           autogaz={"nested": False, "corpus": str(sample), "pass1": False}, wordtype=DEFAULT_WORDTYPE,
                           propagate=True, **params)
    out["recipe"] = "shipped: two passes, auto-gazetteer (targeted sample), word-type guesser, BIOES pass 2, propagation"
    return out


def _crossfit_autogaz(blocks: list[list[Sentence]], picked: list[int], params: dict, gaz_dir: str | None, clusters_path: str,
                      doc_size: int, workers: int, cache_dir: Path | None, path: str, shuffle: bool, seed: int,
                      opts: dict) -> tuple[dict[int, tuple[list, dict]], dict[frozenset, dict]]:
    """Cross-fitted auto-gazetteer tables: fold ``k`` -> (one table per training sentence, the held-out fold's table).

    The held-out fold's table comes from a model trained on all other blocks;
    a training block ``j``'s from one trained without ``j`` and ``k`` when
    ``opts["nested"]`` (default), else the held-out fold's table too. Also
    returns every table by the set of blocks its tagging model left out.
    """
    import hashlib
    import pickle

    from khabar.ner_autogaz import (
        AGAZ_MIN_COUNT,
        AGAZ_MIN_SHARE,
        AGAZ_SAMPLE_EVERY,
        AgazJob,
        agaz_table,
        run_agaz_job,
    )
    from khabar.ner_train import DEFAULT_SAUDINEWSNET

    nested = bool(opts.get("nested", True))
    every = int(opts.get("every", AGAZ_SAMPLE_EVERY))
    corpus = str(opts.get("corpus", DEFAULT_SAUDINEWSNET))
    gazetteer = load_gazetteer(Path(gaz_dir)) if gaz_dir else None
    want = sorted({frozenset((k,)) for k in picked} | ({frozenset((j, k)) for k in picked for j in range(len(blocks)) if j != k} if nested else set()),
                  key=lambda w: (len(w), sorted(w)))
    base = repr((path, len(blocks), shuffle, seed, sorted(params.items()), gaz_dir, clusters_path, doc_size, [len(b) for b in blocks], corpus, every))

    def cache_file(w: frozenset) -> Path | None:
        key = hashlib.sha256((base + repr(sorted(w))).encode()).hexdigest()[:16]
        return Path(cache_dir) / f"ner_agaz_{key}.pkl" if cache_dir else None

    counts = {}
    for w in want:
        f = cache_file(w)
        if f is not None and f.is_file():
            counts[w] = pickle.loads(f.read_bytes())
    todo = [w for w in want if w not in counts]
    jobs = [AgazJob([s for b, blk in enumerate(blocks) if b not in w for s in blk], params, gazetteer, clusters_path, doc_size, corpus, every)
            for w in todo]
    if workers > 1 and len(jobs) > 1:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            results = list(pool.map(run_agaz_job, jobs))
    else:
        results = [run_agaz_job(j) for j in jobs]
    for w, res in zip(todo, results, strict=True):
        counts[w] = res
        f = cache_file(w)
        if f is not None:
            f.parent.mkdir(parents=True, exist_ok=True)
            f.write_bytes(pickle.dumps(res))
    k_min, share = int(opts.get("min_count", AGAZ_MIN_COUNT)), float(opts.get("min_share", AGAZ_MIN_SHARE))
    tables = {w: agaz_table(c, k_min, share) for w, c in counts.items()}
    out = {}
    for k in picked:
        test = tables[frozenset((k,))]
        train = [tables[frozenset((j, k))] if nested else test for j in range(len(blocks)) if j != k for _ in blocks[j]]
        out[k] = (train, test)
    return out, tables


def _nested_pass1(blocks: list[list[Sentence]], picked: list[int], params: dict, gaz_dir: str | None, clusters_path: str,
                  doc_size: int, workers: int, cache_dir: Path | None, path: str, shuffle: bool, seed: int,
                  agaz: tuple[dict[frozenset, dict], dict] | None = None) -> dict[tuple[int, int], list[Pass1]]:
    """Pass-1 outputs for stacked CV: ``(j, k)`` -> block ``j`` tagged by a model trained without blocks ``j`` and ``k``.

    ``(k, k)`` is the held-out fold ``k`` tagged by the model trained on all
    other blocks (what pass 2 sees at test time). One model trained without
    ``{j, k}`` serves both ``(j, k)`` and ``(k, j)``: 10 + 5 pass-1 trainings
    for 5 folds instead of 5 x 5. With ``agaz`` (tables by the blocks their
    tagging model left out, and the options of :func:`evaluate_ner`'s
    ``autogaz``) pass 1 reads auto-gazetteer features: the model without
    ``{j, k}`` reads the table built without ``{j, k}`` in training and
    tagging; the one without ``k`` as in single-pass CV (``nested``).
    """
    import hashlib
    import pickle

    gazetteer = load_gazetteer(Path(gaz_dir)) if gaz_dir else None
    key = hashlib.sha256(repr((path, len(blocks), shuffle, seed, sorted(params.items()), gaz_dir, clusters_path, doc_size,
                                [len(b) for b in blocks], *([] if agaz is None else [sorted(agaz[1].items())]))).encode()).hexdigest()[:16]
    cache = Path(cache_dir) / f"ner_pass1_{key}.pkl" if cache_dir else None
    got: dict[tuple[int, int], list[Pass1]] = {}
    if cache is not None and cache.is_file():
        got = pickle.loads(cache.read_bytes())
    want = {frozenset((j, k)) for k in picked for j in range(len(blocks))}
    todo = sorted((sorted(w) for w in want if not all((x, min(w) + max(w) - x) in got for x in w)), key=lambda w: (len(w), w))
    jobs = [Pass1Job([s for b, blk in enumerate(blocks) if b not in w for s in blk], [blocks[x] for x in w], params, gazetteer,
                     clusters_path, doc_size, _pass1_tables(blocks, w, agaz)) for w in todo]
    if workers > 1:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            results = list(pool.map(run_pass1_job, jobs))
    else:
        results = [run_pass1_job(j) for j in jobs]
    for w, res in zip(todo, results, strict=True):
        for x, tagged in zip(w, res, strict=True):
            got[x, w[-1] + w[0] - x] = tagged
    if cache is not None and todo:
        cache.parent.mkdir(parents=True, exist_ok=True)
        cache.write_bytes(pickle.dumps(got))
    return got


def _pass1_tables(blocks: list[list[Sentence]], left_out: list[int], agaz: tuple[dict[frozenset, dict], dict] | None) -> tuple | None:
    """Auto-gazetteer tables of a nested pass-1 job leaving out ``left_out``: (per training sentence, for the tagged blocks)."""
    if agaz is None:
        return None
    tables, opts = agaz
    own = tables[frozenset(left_out)]
    if len(left_out) > 1 or not opts.get("nested", True):
        return own, own
    k = left_out[0]
    return [tables[frozenset((j, k))] for j, blk in enumerate(blocks) if j != k for _ in blk], own


def bench_ner(limit: int = 1000, data: Path | None = None, *, settings: dict | None = None) -> dict:
    """Tagging speed of :func:`khabar.entities.find_mentions` on SaudiNewsNet articles, on one core.

    Articles are wrapped as :class:`~khabar.model.Article` with ``text`` = the
    raw ``content`` (no cleaning, no sentence layer: each article is tagged as
    one sequence, the slowest case). The model, cluster and gazetteer tables
    are loaded before the clock starts.

    Args:
        limit: number of articles (the first ``limit`` in day order), at least 1.
        data: folder of SaudiNewsNet day zips (default ``../shared/data/saudinewsnet/dataset``).
        settings: the ``[entities]`` section (default: defaults.toml).

    Returns:
        ``{"articles", "tokens", "mentions", "seconds", "tokens_per_s"}``.
    """
    import itertools
    import time

    from khabar.entities import find_mentions, gazetteer_path, load_tagger, model_path
    from khabar.model import Article, OffsetMap
    from khabar.ner_train import DEFAULT_SAUDINEWSNET, _iter_saudinewsnet, tokenize
    from khabar.settings import Settings

    if limit < 1:
        raise ValueError(f"limit must be >= 1, got {limit}")
    cfg = settings if settings is not None else Settings().section("entities")
    texts = [t for t in itertools.islice(_iter_saudinewsnet(Path(data or DEFAULT_SAUDINEWSNET)), limit) if t.strip()]
    load_tagger(str(model_path(cfg)))
    load_clusters()
    if cfg.get("gazetteer", True):
        load_gazetteer_index(str(gazetteer_path(cfg)))
    articles = [Article(id=str(i), path=f"saudinewsnet#{i}", raw=t, text=t, offsets=OffsetMap.identity(len(t))) for i, t in enumerate(texts)]
    tokens = sum(len(tokenize(t)) for t in texts)
    t0 = time.perf_counter()
    for art in articles:
        find_mentions(art, settings=cfg)
    secs = time.perf_counter() - t0
    mentions = sum(len(a.spans("entities")) for a in articles)
    return {"articles": len(articles), "tokens": tokens, "mentions": mentions, "seconds": round(secs, 2), "tokens_per_s": round(tokens / secs)}
