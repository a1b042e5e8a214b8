"""Features and training for the CRF named-entity tagger.

The tagger is a linear-chain CRF (python-crfsuite) trained on ANERcorp-style
data: one ``token TAG`` pair a line, BIO tags over PERS / LOC / ORG / MISC, a
blank line between sentences. ANERcorp keeps proclitics attached (``وبوتين``,
``لإسرائيل``), so features describe the token both as written and with its
likely proclitics removed; :mod:`khabar.entities` trims the span afterwards.

Features use the token sequence and one bundled table of distributional word
clusters (``data/ner_clusters.tsv.gz``, built by :func:`build_clusters` from
unlabelled SaudiNewsNet text: word -> cluster ids at three granularities), so a
name never seen in ANERcorp still shares features with names that appear in
the same contexts. A gazetteer (ANERGazet lists, one name a line) fires
``gaz=`` features; :func:`train_ner` writes it as a folded word table beside
the model (``data/ner_gazetteer.tsv.gz``), read back at tagging time. Document
features (:func:`document_features`) let each occurrence of a word see the
neighbours of its other occurrences in the article. An optional
auto-gazetteer (:mod:`khabar.ner_autogaz`, ``train_ner(autogaz=True)``) adds
the entity type a pass-1 model gives each word across SaudiNewsNet. Nothing
under ``../shared`` is needed at run time.
"""

from __future__ import annotations

import functools
import gzip
import itertools
import logging
import re
import sys
import time
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, NamedTuple

from khabar.arabic import WORD_RE, fold, strip_clitics
from khabar.errors import ModelMissingError
from khabar.memo import Generations
from khabar.ner_autogaz import AgazEntry, autogaz_features, load_autogaz
from khabar.ner_wordtype import WordTypeModel, crossfit_table, fit_model, wordtype_features

log = logging.getLogger(__name__)

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_TRAIN = REPO_ROOT.parent / "shared" / "data" / "anercorp" / "train.txt"
DEFAULT_MODEL = Path(__file__).resolve().parent / "data" / "ner.crfsuite"
DEFAULT_CLUSTERS = Path(__file__).resolve().parent / "data" / "ner_clusters.tsv.gz"
DEFAULT_GAZETTEER = Path(__file__).resolve().parent / "data" / "ner_gazetteer.tsv.gz"
DEFAULT_ANERGAZET = REPO_ROOT.parent / "shared" / "data" / "anergazet"
DEFAULT_SAUDINEWSNET = REPO_ROOT.parent / "shared" / "data" / "saudinewsnet" / "dataset"
DEFAULT_BALY = REPO_ROOT.parent / "shared" / "data" / "baly2018" / "claims"

# CRF hyper-parameters: L1 / L2 penalties, L-BFGS iterations, rare-feature cut.
DEFAULT_PARAMS: dict[str, float | int | bool] = {
    "c1": 0.02,
    "c2": 0.05,
    "max_iterations": 150,
    "feature.minfreq": 1,
    "feature.possible_transitions": True,
}

# Train the two-pass (stacked) tagger by default (see :func:`fit_stacked`):
# the shipped model is one (5-fold CV F1 0.764 against 0.756, model card).
DEFAULT_STACKED = True

# Auto-gazetteer features (khabar.ner_autogaz) read by pass 2 (or by the single
# model without stacking): 5-fold CV F1 0.770 against 0.764 two-pass (model card).
# Training with it tags all of SaudiNewsNet (about 7 min of CPU): small training
# runs (tests) pass autogaz=False.
DEFAULT_AUTOGAZ = True

# Word-type guesser (khabar.ner_wordtype) read by pass 2 (or by the single model
# without stacking): see the model card for its cross-validated effect.
DEFAULT_WORDTYPE = True

# Label scheme of the pass-2 model: "bioes" (single-token S-, last-token E-) or
# "bio". BIOES lets the CRF learn where names end, not only where they begin:
# 5-fold CV F1 0.7858 against 0.7796 with BIO, every fold up (model card). Tags
# are mapped back to BIO (:func:`to_bio`) as soon as the model has tagged.
DEFAULT_PASS2_SCHEME = "bioes"
TAG_SCHEMES = ("bio", "bioes")

# ANERcorp marks no article boundaries: runs of this many consecutive sentences
# stand in for documents in training and cross-validation (chosen by CV).
DEFAULT_DOC_SIZE = 20

# One proclitic letter (conjunction or preposition) and combinations of two.
_PROCLITICS = ("وب", "ول", "وك", "فب", "فل", "و", "ف", "ب", "ل", "ك")
_TOKEN_RE = re.compile(rf"{WORD_RE.pattern}|[^\s]", re.UNICODE)
_LATIN_RE = re.compile(r"[A-Za-z]")
_DIGIT_RE = re.compile(r"\d")

Sentence = list[tuple[str, str]]
NEIGHBOUR_FEATS = ("shape=", "pre=", "latin", "cap", "gaz=", "def", "ss2=", "c1=", "c2=", "sc2=")


def tokenize(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """``(start, end)`` offsets of tokens in ``text[start:end]``: words, then single punctuation marks.

    Matches ANERcorp's tokenisation closely enough: words keep their attached
    clitics, each punctuation character is a token of its own.
    """
    end = len(text) if end is None else end
    return [(m.start(), m.end()) for m in _TOKEN_RE.finditer(text, start, end)]


def read_conll(path: Path) -> list[Sentence]:
    """Sentences of ``(token, tag)`` from a ``token TAG`` file; lines with no token are skipped."""
    sents: list[Sentence] = []
    cur: Sentence = []
    with Path(path).open(encoding="utf-8") as fh:
        for line in fh:
            parts = line.split()
            if not line.strip():
                if cur:
                    sents.append(cur)
                cur = []
                continue
            if len(parts) < 2:
                continue  # ANERcorp has a few lines holding a tag but no token
            cur.append((parts[0], parts[-1]))
    if cur:
        sents.append(cur)
    return sents


def _shape(word: str) -> str:
    out = []
    for ch in word:
        if ch.isdigit():
            c = "d"
        elif "A" <= ch <= "Z":
            c = "X"
        elif "a" <= ch <= "z":
            c = "x"
        elif "\u0600" <= ch <= "\u06ff":
            c = "a"
        else:
            c = ch
        if not out or out[-1] != c:
            out.append(c)
    return "".join(out)


@functools.lru_cache(maxsize=1 << 15)
def _stem(folded: str) -> tuple[str, str]:
    """``(proclitic, stem)``: the article cluster or a one/two-letter proclitic removed.

    Only a guess (``بوتين`` loses a ب too); the CRF weighs it against the raw form. Cached: propagation
    and the auto-gazetteer stem every token of every document again (~8 % of tagging CPU before).
    """
    stripped = strip_clitics(folded, lexicon=False)  # the rule the shipped models were trained with
    if stripped != folded:
        return folded[: len(folded) - len(stripped)], stripped
    for p in _PROCLITICS:
        if folded.startswith(p) and len(folded) - len(p) >= 3:
            return p, folded[len(p) :]
    return "", folded


def _token_feats(tok: str, gazetteer: dict[str, set[str]] | None, clusters: dict[str, tuple[str, ...]] | None = None) -> list[str]:
    f = fold(tok)
    pre, stem = _stem(f)
    feats = [
        "w=" + f,
        "stem=" + stem,
        "pre=" + pre,
        "shape=" + _shape(tok),
        "len=" + str(min(len(f), 10)),
    ]
    for n in (1, 2, 3):
        if len(stem) > n:
            feats.append(f"sp{n}={stem[:n]}")
            feats.append(f"ss{n}={stem[-n:]}")
    if len(f) > 4:
        feats.append("p4=" + f[:4])
        feats.append("s4=" + f[-4:])
    if _LATIN_RE.search(tok):
        feats.append("latin")
        if tok[:1].isupper():
            feats.append("cap")
    if _DIGIT_RE.search(tok):
        feats.append("digit")
    if not any(ch.isalnum() for ch in tok):
        feats.append("punct")
    if stem.startswith("ال") or f.startswith("ال"):
        feats.append("def")
    if clusters:
        ids = clusters.get(f)
        if ids is not None:
            feats.extend(f"c{k}={c}" for k, c in enumerate(ids))
        else:
            feats.append("c=unk")
            back = _backoff_form(f, clusters) if CLUSTER_BACKOFF else None
            if back is not None:
                feats.extend(f"c{k}={c}" for k, c in enumerate(clusters[back]))
        if stem != f:
            sids = clusters.get(stem)
            if sids is not None:
                feats.extend(f"sc{k}={c}" for k, c in enumerate(sids))
    if clusters:
        ranks = _ranks(clusters)
        rank = ranks.get(f, ranks.get(stem, -1))
        if rank >= 0:
            feats.append("fb=" + str(next(k for k, top in enumerate(FREQ_BANDS) if rank < top)))
    if gazetteer:
        for kind, names in gazetteer.items():
            if f in names or stem in names:
                feats.append("gaz=" + kind)
    return feats


# Frequency bands over the cluster table's rank (the table is written most
# frequent first): a word among the 1,000 commonest of SaudiNewsNet, the 5,000...
FREQ_BANDS = (1_000, 5_000, 20_000, 50_000, 1 << 62)
_RANK_CACHES: dict[int, tuple[dict[str, tuple[str, ...]], dict[str, int]]] = {}


def _ranks(clusters: dict[str, tuple[str, ...]]) -> dict[str, int]:
    """Word -> frequency rank (0 = commonest) of a cluster table, cached per table."""
    entry = _RANK_CACHES.get(id(clusters))
    if entry is None or entry[0] is not clusters:
        if len(_RANK_CACHES) >= 4:
            _RANK_CACHES.pop(next(iter(_RANK_CACHES)))
        entry = _RANK_CACHES[id(clusters)] = (clusters, {w: i for i, w in enumerate(clusters)})
    return entry[1]


# Look a word missing from the cluster table up again without its proclitics
# (لإسرائيل -> اسرائيل). Off in the shipped model: on, 5-fold CV F1 went from
# 0.7559 to 0.7578 only, and the retrained model changed the seed story's
# claims (tests/test_claims_seeds.py); see the model card. Training and tagging
# must use the same value: set it, retrain (`make model`), ship both.
CLUSTER_BACKOFF = False
# Prefixes peeled, longest first, for the back-off lookup: article clusters,
# then one or two proclitic letters (ANERcorp writes لإسرائيل، وبوتين).
_BACKOFF_PREFIXES = tuple(sorted({"وبال", "وللم", "وال", "فال", "بال", "كال", "لل", "ال", *_PROCLITICS}, key=len, reverse=True))


def _backoff_form(folded: str, clusters: dict[str, tuple[str, ...]]) -> str | None:
    """A form of an unknown ``folded`` token that the cluster table knows: prefixes peeled, ال tried; None if none.

    The remainder keeps at least 3 letters, so short words are not mapped to
    an unrelated one.
    """
    for p in _BACKOFF_PREFIXES:
        if folded.startswith(p) and len(folded) - len(p) >= 3:
            rest = folded[len(p) :]
            for cand in (rest, "ال" + rest):
                if cand in clusters:
                    return cand
    return None


def _mid_cluster(clusters: dict[str, tuple[str, ...]], folded: str, stem: str) -> str:
    """The middle-granularity cluster id of a token (or of its stem), "u" when unknown."""
    ids = clusters.get(folded) or clusters.get(stem)
    if not ids and CLUSTER_BACKOFF and clusters:
        back = _backoff_form(folded, clusters)
        ids = clusters[back] if back is not None else None
    return ids[min(1, len(ids) - 1)] if ids else "u"


@functools.lru_cache(maxsize=4)
def load_clusters(path: str = str(DEFAULT_CLUSTERS)) -> dict[str, tuple[str, ...]]:
    """Word -> cluster ids (coarse to fine) from a gzip TSV ``word<TAB>id<TAB>id...``, cached per process.

    Raises:
        ModelMissingError: the file is absent; the hint names the rebuild.
    """
    table: dict[str, tuple[str, ...]] = {}
    for line in _table_lines(path, "NER word-cluster table", "khabar.ner_train.build_clusters_saudinewsnet() "
                             "(needs ../shared), then `make model`"):
        parts = line.split("\t")
        if len(parts) >= 2:
            table[parts[0]] = tuple(parts[1:])
    return table


def _table_lines(path: str, what: str, rebuild: str) -> Iterator[str]:
    """Lines (newline cut) of a bundled gzip table; a missing file is a ModelMissingError naming ``rebuild``."""
    if not Path(path).is_file():
        raise ModelMissingError(f"{what} not found", source=path,
                                hint=f"it ships in src/khabar/data; rebuild it with {rebuild}")
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            yield line.rstrip("\n")


class _TokenInfo(NamedTuple):
    """What :func:`sentence_features` needs of one token, independent of its neighbours."""

    own: tuple[str, ...]  # :func:`_token_feats`
    stem: str
    mid: str  # :func:`_mid_cluster`
    neighbour: tuple[tuple[str, ...], ...]  # as seen from offsets -2, -1, +1, +2, prefixed "d:"
    doc_key: str  # the stem when the token takes part in document features, else ""
    definite: bool  # written with the article ال


# Token -> _TokenInfo, per cluster table and gazetteer (both held, so their ids
# are not reused). Features are a pure function of the
# token string and the table, and news repeats its words: tagging spent most of
# its time rebuilding the same strings.
_INFO_CACHES: dict[tuple[int, int], tuple[dict[str, tuple[str, ...]], dict[str, set[str]] | None, Generations[str, _TokenInfo]]] = {}
_INFO_MAX_TOKENS = 20_000  # per generation, per table (two kept: khabar.memo): 40k interned infos, ~70 MiB per worker
_INFO_MAX_TABLES = 4


def _token_info(tok: str, gazetteer: dict[str, set[str]] | None, clusters: dict[str, tuple[str, ...]]) -> _TokenInfo:
    key = (id(clusters), id(gazetteer))
    entry = _INFO_CACHES.get(key)
    if entry is None or entry[0] is not clusters or entry[1] is not gazetteer:
        if len(_INFO_CACHES) >= _INFO_MAX_TABLES:
            _INFO_CACHES.pop(next(iter(_INFO_CACHES)))
        entry = _INFO_CACHES[key] = (clusters, gazetteer, Generations(_INFO_MAX_TOKENS))
    cache = entry[2]
    info = cache.get(tok)
    if info is None:
        info = _make_info(tok, gazetteer, clusters)
        cache.put(tok, info)
    return info


def _make_info(tok: str, gazetteer: dict[str, set[str]] | None, clusters: dict[str, tuple[str, ...]]) -> _TokenInfo:
    # Interned: most feature strings ("suf1=ه", "-1:len=4") recur across words, so the cached infos share
    # them (measured 3,958 -> 1,709 bytes per cached token), and the cache holds twice the words.
    own = tuple(map(sys.intern, _token_feats(tok, gazetteer, clusters)))
    f = fold(tok)
    stem = _stem(f)[1]
    near = [x for x in own if x.startswith(NEIGHBOUR_FEATS)]
    neighbour = tuple((f"{d}:stem={stem}", *(sys.intern(f"{d}:{x}") for x in near)) for d in (-2, -1, 1, 2))
    rank = _ranks(clusters).get(stem, 1 << 30) if clusters else 1 << 30
    doc_ok = len(stem) >= DOC_MIN_LETTERS and rank >= DOC_SKIP_TOP and any("\u0621" <= ch <= "\u064a" for ch in stem)
    return _TokenInfo(own, stem, _mid_cluster(clusters, f, stem), neighbour, stem if doc_ok else "", "def" in own)


def sentence_features(tokens: Sequence[str], gazetteer: dict[str, set[str]] | None = None, clusters: dict[str, tuple[str, ...]] | None = None) -> list[list[str]]:
    """CRF feature strings for each token: its own features and those of a ±2 window.

    ``clusters`` None means the bundled table (:data:`DEFAULT_CLUSTERS`); pass
    ``{}`` for no cluster features. No document features: see
    :func:`document_features`.
    """
    if clusters is None:
        clusters = load_clusters()
    return _window_features([_token_info(t, gazetteer, clusters) for t in tokens])


# Document features: a stem shorter than this, or among the commonest words of
# the cluster table, takes no part (function words would link everything).
DOC_MIN_LETTERS = 3
DOC_SKIP_TOP = 300
DOC_MAX_PLACES = 30  # other occurrences read per token


def document_features(
    sentences: Sequence[Sequence[str]],
    gazetteer: dict[str, set[str]] | None = None,
    clusters: dict[str, tuple[str, ...]] | None = None,
    *,
    doc: bool = True,
) -> list[list[list[str]]]:
    """:func:`sentence_features` for each sentence of one document, plus what the document says of each word.

    A name seen once in a new article is often easy elsewhere in it: after a
    title (الرئيس بوتين), beside a first name. For each content word (stem of
    at least :data:`DOC_MIN_LETTERS` letters, not among the :data:`DOC_SKIP_TOP`
    commonest) the tokens next to its *other* occurrences in the document are
    added: ``dL=``/``dR=`` (their stems), ``dLc=``/``dRc=`` (their middle
    cluster), ``ddef`` (written elsewhere with ال), and ``dn=`` (how many other
    occurrences, 1, 2 or 3+). Needs no first tagging pass.

    Args:
        sentences: the document's sentences, each a list of token strings.
        gazetteer, clusters: as :func:`sentence_features`.
        doc: False gives plain :func:`sentence_features` for every sentence.

    Returns:
        One feature list per token, per sentence.
    """
    if clusters is None:
        clusters = load_clusters()
    infos = [[_token_info(t, gazetteer, clusters) for t in toks] for toks in sentences]
    out = [_window_features(row) for row in infos]
    if not doc:
        return out
    places: dict[str, list[tuple[int, int]]] = {}
    for si, row in enumerate(infos):
        for ti, info in enumerate(row):
            if info.doc_key:
                places.setdefault(info.doc_key, []).append((si, ti))
    for where in places.values():
        if len(where) < 2:
            continue
        contexts = []
        for si, ti in where[: DOC_MAX_PLACES + 1]:
            row = infos[si]
            ctx = ["ddef"] if row[ti].definite else []
            if ti > 0:
                ctx += ["dL=" + row[ti - 1].stem, "dLc=" + row[ti - 1].mid]
            if ti + 1 < len(row):
                ctx += ["dR=" + row[ti + 1].stem, "dRc=" + row[ti + 1].mid]
            contexts.append(ctx)
        band = "dn=" + str(min(len(where) - 1, 3))
        for k, (si, ti) in enumerate(where):
            extra = {x for m, ctx in enumerate(contexts) if m != k for x in ctx}
            out[si][ti].append(band)
            out[si][ti].extend(sorted(extra))
    return out


def group_documents(sents: Sequence[Sentence], size: int) -> list[list[Sentence]]:
    """Consecutive runs of ``size`` sentences, the stand-in for articles in ANERcorp (which marks none)."""
    if size < 1:
        raise ValueError(f"size must be >= 1, got {size}")
    return [list(sents[k : k + size]) for k in range(0, len(sents), size)]


def _window_features(infos: Sequence[_TokenInfo]) -> list[list[str]]:
    own = [x.own for x in infos]
    stems = [x.stem for x in infos]
    mid = [x.mid for x in infos]
    out: list[list[str]] = []
    n = len(infos)
    for i in range(n):
        feats = ["bias", *own[i]]
        for k, d in enumerate((-2, -1, 1, 2)):
            j = i + d
            if 0 <= j < n:
                feats.extend(infos[j].neighbour[k])  # f"{d}:stem=...", then f"{d}:{feat}" of NEIGHBOUR_FEATS
            else:
                feats.append(f"{d}:pad")
        if i > 0:
            feats.append(f"bi-1={stems[i - 1]}|{stems[i]}")
            feats.append(f"cb-1={mid[i - 1]}|{mid[i]}")
        if i + 1 < n:
            feats.append(f"bi+1={stems[i]}|{stems[i + 1]}")
            feats.append(f"cb+1={mid[i]}|{mid[i + 1]}")
        if 0 < i < n - 1:
            feats.append(f"cb~={mid[i - 1]}|{mid[i + 1]}")
        out.append(feats)
    return out


def bio_spans(tags: Sequence[str]) -> set[tuple[int, int, str]]:
    """``(first, last_exclusive, type)`` token spans of the entities in a BIO tag sequence.

    As CoNLL's ``conlleval``: an ``I-`` tag that does not continue an entity of
    the same type starts a new one.
    """
    spans: set[tuple[int, int, str]] = set()
    start, kind = -1, ""
    for i, tag in enumerate([*tags, "O"]):
        pre, _, typ = tag.partition("-")
        if start >= 0 and not (pre == "I" and typ == kind):
            spans.add((start, i, kind))
            start, kind = -1, ""
        if pre == "B" or (pre == "I" and start < 0):
            start, kind = i, typ
    return spans


def to_bioes(tags: Sequence[str]) -> list[str]:
    """BIO tags -> BIOES: an entity of one token is ``S-``, the last token of a longer one ``E-``.

    Read as :func:`bio_spans` reads BIO, so ``to_bio(to_bioes(t))`` gives the same entities as ``t``.
    """
    out = []
    for i, tag in enumerate(tags):
        if tag == "O":
            out.append(tag)
            continue
        kind = tag[2:]
        goes_on = i + 1 < len(tags) and tags[i + 1] == f"I-{kind}"
        first = tag.startswith("B-") or i == 0 or tags[i - 1][2:] != kind or tags[i - 1] == "O"
        out.append(("B-" if goes_on else "S-") + kind if first else ("I-" if goes_on else "E-") + kind)
    return out


def to_bio(tags: Sequence[str]) -> list[str]:
    """BIOES tags (or BIO, unchanged) -> BIO: ``S-`` becomes ``B-``, ``E-`` becomes ``I-``."""
    return [f"B-{t[2:]}" if t.startswith("S-") else f"I-{t[2:]}" if t.startswith("E-") else t for t in tags]


def check_scheme(scheme: str) -> str:
    """``scheme`` if it is one of :data:`TAG_SCHEMES`; else ValueError, before any training starts."""
    if scheme not in TAG_SCHEMES:
        raise ValueError(f"unknown tag scheme {scheme!r}; expected one of {', '.join(TAG_SCHEMES)}")
    return scheme


def scheme_labels(tags: Sequence[str], scheme: str) -> list[str]:
    """BIO ``tags`` as a model of label ``scheme`` (:data:`TAG_SCHEMES`) is trained on them."""
    return to_bioes(tags) if check_scheme(scheme) == "bioes" else list(tags)


PROPAGATE_MAX_TOKENS = 4  # entity strings longer than this are not looked for elsewhere in the document
PROPAGATE_MIN_LETTERS = 3  # letters of a string's stems before its other occurrences are tagged
PROPAGATE_MAX_UNTAGGED = 3  # untagged occurrences per tagged one beyond which a string is not propagated


def propagate_entities(sentences: Sequence[Sequence[str]], tags: Sequence[Sequence[str]]) -> list[list[str]]:
    """One sense per document: a string the tagger tagged somewhere gets one type, and its untagged occurrences too.

    Strings (by stems without proclitics, up to :data:`PROPAGATE_MAX_TOKENS`
    tokens) tagged somewhere in the document are looked for, longest first,
    in runs of O tokens not followed by an ``I-`` tag, and tagged with the
    string's commonest type; unless the tagger left the string untagged more
    than :data:`PROPAGATE_MAX_UNTAGGED` times for each time it tagged it (then
    the tagged occurrence is the likelier mistake). Then every tagged
    occurrence of a string takes the string's commonest type when that type
    outnumbers its own (``الجزيرة`` an ORG four times and a LOC once). A news
    article names its subject many times and the CRF misses or mistypes some
    of them (a name at a sentence start, after an unusual verb). Measured on
    cross-validation predictions of the two-pass tagger (model card).
    """
    stems = [[_stem(fold(w))[1] for w in toks] for toks in sentences]
    kinds = _string_types(stems, tags)
    untagged: Counter = Counter()
    for st, tg in zip(stems, tags, strict=True):
        for n in range(1, PROPAGATE_MAX_TOKENS + 1):
            for i in range(len(st) - n + 1):
                key = tuple(st[i : i + n])
                if key in kinds and all(t == "O" for t in tg[i : i + n]):
                    untagged[key] += 1
    out: list[list[str]] = []
    for st, tg in zip(stems, tags, strict=True):
        new = list(tg)
        i = 0
        while i < len(new):
            for n in range(PROPAGATE_MAX_TOKENS, 0, -1):
                key = tuple(st[i : i + n])
                if (len(key) == n and key in kinds and all(t == "O" for t in new[i : i + n])
                        and sum(len(k) for k in key) >= PROPAGATE_MIN_LETTERS
                        and untagged[key] <= PROPAGATE_MAX_UNTAGGED * sum(kinds[key].values())
                        and (i + n >= len(new) or not new[i + n].startswith("I-"))):
                    new[i : i + n] = _bio_run(kinds[key].most_common(1)[0][0], n)
                    i += n
                    break
            else:
                i += 1
        out.append(new)
    kinds = _string_types(stems, out, max_tokens=None)
    for st, new in zip(stems, out, strict=True):
        for i, j, kind in bio_spans(new):
            counts = kinds[tuple(st[i:j])]
            best, votes = counts.most_common(1)[0]
            if votes > counts[kind]:
                new[i:j] = _bio_run(best, j - i)
    return out


def _bio_run(kind: str, n: int) -> list[str]:
    """The tags of one ``n``-token entity of type ``kind``: ``B-kind``, then ``I-kind``."""
    return ["B-" + kind] + ["I-" + kind] * (n - 1)


def _string_types(stems: Sequence[Sequence[str]], tags: Sequence[Sequence[str]], max_tokens: int | None = PROPAGATE_MAX_TOKENS,
                  ) -> dict[tuple[str, ...], Counter]:
    """How often each entity string (its stems) is tagged with each type in the document."""
    kinds: dict[tuple[str, ...], Counter] = {}
    for st, tg in zip(stems, tags, strict=True):
        for i, j, kind in bio_spans(tg):
            if max_tokens is None or j - i <= max_tokens:
                kinds.setdefault(tuple(st[i:j]), Counter())[kind] += 1
    return kinds


def load_gazetteer(folder: Path) -> dict[str, set[str]]:
    """Folded single-word entries of ANERGazet-style lists (``PersGazetteer.txt`` -> ``Pers``)."""
    gaz: dict[str, set[str]] = {}
    for p in sorted(Path(folder).glob("*Gazetteer.txt")):
        kind = p.name.removesuffix("Gazetteer.txt")
        words = {fold(w) for line in p.read_text(encoding="utf-8").splitlines() for w in line.split() if len(w) > 1}
        gaz[kind] = words
    return gaz


def write_gazetteer_index(gazetteer: dict[str, set[str]], out_path: Path = DEFAULT_GAZETTEER) -> int:
    """Write ``gazetteer`` as the gzip TSV the tagger reads at run time (``word<TAB>Kind,Kind``); returns words written.

    The model's ``gaz=`` features need the same lists when tagging, so the
    folded word list ships beside the model (see the model card for licence).
    """
    kinds: dict[str, list[str]] = {}
    for kind in sorted(gazetteer):
        for w in gazetteer[kind]:
            kinds.setdefault(w, []).append(kind)
    out_path = Path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    with gzip.open(out_path, "wt", encoding="utf-8", compresslevel=9) as fh:
        for w in sorted(kinds):
            fh.write(w + "\t" + ",".join(kinds[w]) + "\n")
    load_gazetteer_index.cache_clear()
    return len(kinds)


@functools.lru_cache(maxsize=4)
def load_gazetteer_index(path: str = str(DEFAULT_GAZETTEER)) -> dict[str, set[str]]:
    """Kind -> folded words, from a table written by :func:`write_gazetteer_index`; cached per process.

    Raises:
        ModelMissingError: the file is absent; the hint names the rebuild.
    """
    gaz: dict[str, set[str]] = {}
    for line in _table_lines(path, "NER gazetteer table", "`khabar train ner` (needs ../shared/data/anergazet)"):
        word, _, kinds = line.partition("\t")
        for kind in kinds.split(","):
            if word and kind:
                gaz.setdefault(kind, set()).add(word)
    return gaz


# One auto-gazetteer table for every sentence, or one per sentence (cross-fitted), or none.
AgazTables = dict[str, AgazEntry] | Sequence[dict[str, AgazEntry] | None] | None
# Word-type guesses: a cross-fitted table (training) or the fitted model (tagging), or none.
WordTypeSource = Mapping[str, tuple[str, ...]] | WordTypeModel | None


def fit(
    sents: Iterable[Sentence],
    out_path: Path,
    params: dict | None = None,
    gazetteer: dict[str, set[str]] | None = None,
    clusters: dict[str, tuple[str, ...]] | None = None,
    doc_size: int = DEFAULT_DOC_SIZE,
    pass1: Sequence[Pass1] | None = None,
    groups: Sequence[str] | None = None,
    autogaz: AgazTables = None,
    wordtype: WordTypeSource = None,
    scheme: str = "bio",
) -> int:
    """Train a CRF on ``sents`` and write it to ``out_path``; returns the number of sentences.

    ``doc_size`` consecutive sentences form one document for
    :func:`document_features` (0: no document features). With ``pass1`` (one
    entry per sentence of ``sents``: pass-1 tags from a model that never saw
    that sentence, see :func:`crossfit_pass1`) the model is a pass-2 one, with
    :func:`stacked_features` of the ``groups`` named. ``autogaz`` adds
    :func:`khabar.ner_autogaz.autogaz_features`: one table for all sentences,
    or one per sentence (cross-fitted tables, from models that did not see it).
    ``wordtype`` adds :func:`khabar.ner_wordtype.wordtype_features` from a
    cross-fitted table (:func:`khabar.ner_wordtype.crossfit_table`).
    ``scheme`` names the labels the model learns (:func:`scheme_labels`); its
    tags go back to BIO through :func:`to_bio`.
    """
    import pycrfsuite

    sents = list(sents)
    if pass1 is not None and len(pass1) != len(sents):
        raise ValueError(f"pass1 must give one entry per sentence: {len(pass1)} for {len(sents)}")
    if isinstance(autogaz, list | tuple) and len(autogaz) != len(sents):
        raise ValueError(f"autogaz must give one table per sentence: {len(autogaz)} for {len(sents)}")
    trainer = pycrfsuite.Trainer(verbose=False)
    count = 0
    for docs in group_documents(sents, doc_size or 1):
        words = [[t for t, _ in sent] for sent in docs]
        feats = document_features(words, gazetteer, clusters, doc=doc_size > 0)
        add_autogaz(feats, words, autogaz, count)
        wordtype_features(feats, words, wordtype)
        if pass1 is not None:
            feats = stacked_features(feats, words, pass1[count : count + len(docs)], gazetteer, clusters,
                                     STACK_FEATURES if groups is None else groups)
        for sent, xs in zip(docs, feats, strict=True):
            trainer.append(xs, scheme_labels([tag for _, tag in sent], scheme))
            count += 1
    trainer.select("lbfgs")
    trainer.set_params({**DEFAULT_PARAMS, **(params or {})})
    out_path.parent.mkdir(parents=True, exist_ok=True)
    trainer.train(str(out_path))
    return count


def add_autogaz(feats: list[list[list[str]]], words: Sequence[Sequence[str]], autogaz: AgazTables, first: int = 0) -> None:
    """:func:`khabar.ner_autogaz.autogaz_features` in place: one table, or ``autogaz[first + i]`` for sentence ``i``."""
    if not autogaz:
        return
    if isinstance(autogaz, dict):
        autogaz_features(feats, words, autogaz)
        return
    for i, (row, toks) in enumerate(zip(feats, words, strict=True)):
        autogaz_features([row], [toks], autogaz[first + i])


def train_ner(train_path: Path = DEFAULT_TRAIN, out_path: Path = DEFAULT_MODEL, **params: object) -> dict:
    """Train the NER model used by :func:`khabar.entities.find_mentions`.

    Args:
        train_path: ``token TAG`` BIO file (default ``../shared/data/anercorp/train.txt``).
        out_path: where the crfsuite model is written (default ``src/khabar/data/ner.crfsuite``).
        **params: crfsuite options overriding :data:`DEFAULT_PARAMS`; ``gazetteer_dir``
            (a folder of ``*Gazetteer.txt``, default ``../shared/data/anergazet``;
            "" for none) adds gazetteer features and writes their table beside
            the model as ``<model stem>_gazetteer.tsv.gz``; ``clusters_path``
            names the word-cluster table (default the bundled one; "" for none);
            ``doc_size`` sentences form one document (see :func:`fit`);
            ``stack_folds`` cross-fitting folds for the pass-2 model (0: pass 1
            only, and a stale pass-2 file beside ``out_path`` is removed;
            default :data:`STACK_FOLDS` when :data:`DEFAULT_STACKED`);
            ``workers`` processes for the cross-fitting; ``autogaz`` (default
            :data:`DEFAULT_AUTOGAZ`) adds auto-gazetteer features
            (:mod:`khabar.ner_autogaz`): a plain pass-1 model trained on all
            the data tags every SaudiNewsNet article under ``autogaz_corpus``
            (default ``../shared/data/saudinewsnet/dataset``, about 10 M tokens,
            5 min of CPU) and the table it yields is written beside the model
            as ``<model stem>_autogaz.tsv.gz``; with stacking pass 2 reads it,
            without, the (single) model does; ``wordtype`` (default
            :data:`DEFAULT_WORDTYPE`) adds the word-type guesser's features
            (:mod:`khabar.ner_wordtype`) to the same model, and writes the
            guesser beside it as ``<model stem>_wordtype.npz``; ``pass2_scheme``
            (default :data:`DEFAULT_PASS2_SCHEME`) the labels pass 2 learns.

    Returns:
        ``{"sentences", "tokens", "seconds", "out", "bytes", "gazetteer_words", "autogaz_words"}``,
        and with stacking those of :func:`fit_stacked`.

    Raises:
        ModelMissingError: ``gazetteer_dir`` holds no ``*Gazetteer.txt``.
    """
    gaz_dir = params.pop("gazetteer_dir", DEFAULT_ANERGAZET)
    gazetteer = None
    gaz_words = 0
    if gaz_dir:
        if not any(Path(str(gaz_dir)).glob("*Gazetteer.txt")):
            raise ModelMissingError("no ANERGazet lists to train gazetteer features", source=str(gaz_dir), hint='put ../shared beside the repository, or pass gazetteer_dir=""')
        gazetteer = load_gazetteer(Path(str(gaz_dir)))
        gaz_words = write_gazetteer_index(gazetteer, Path(out_path).with_name(Path(out_path).stem + "_gazetteer.tsv.gz"))
    cpath = params.pop("clusters_path", DEFAULT_CLUSTERS)
    clusters = load_clusters(str(cpath)) if cpath else {}
    doc_size = int(params.pop("doc_size", DEFAULT_DOC_SIZE))  # type: ignore[call-overload]
    stack_folds = int(params.pop("stack_folds", STACK_FOLDS if DEFAULT_STACKED else 0))  # type: ignore[call-overload]
    workers = int(params.pop("workers", 1))  # type: ignore[call-overload]
    use_agaz = bool(params.pop("autogaz", DEFAULT_AUTOGAZ))
    use_wordtype = bool(params.pop("wordtype", DEFAULT_WORDTYPE))
    corpus = str(params.pop("autogaz_corpus", DEFAULT_SAUDINEWSNET))
    scheme = check_scheme(str(params.pop("pass2_scheme", DEFAULT_PASS2_SCHEME)))
    sents = read_conll(Path(train_path))
    t0 = time.perf_counter()
    agaz_path = Path(out_path).with_name(Path(out_path).stem + "_autogaz.tsv.gz")
    agaz_path.unlink(missing_ok=True)  # a table beside a model trained without one would be read in vain
    stacked: dict = {}
    if stack_folds:
        stacked = fit_stacked(sents, Path(out_path), dict(params), gazetteer, str(cpath or ""), doc_size, folds=stack_folds, workers=workers,
                              autogaz_corpus=corpus if use_agaz else None, wordtype=use_wordtype, scheme=scheme)
        n = len(sents)
    else:
        table = None
        if use_agaz:
            from khabar.ner_autogaz import (
                AgazJob,
                agaz_table,
                run_agaz_job,
                write_autogaz,
            )

            table = agaz_table(run_agaz_job(AgazJob(sents, dict(params), gazetteer, str(cpath or ""), doc_size, corpus, 1)))
            write_autogaz(table, agaz_path)
        guesses = _wordtype_guesses(sents, Path(out_path), gazetteer, table, use_wordtype)
        n = fit(sents, Path(out_path), dict(params), gazetteer, clusters, doc_size, autogaz=table, wordtype=guesses)
        for stale in pass2_paths(Path(out_path)):
            stale.unlink(missing_ok=True)  # a pass-2 model trained on another pass 1 must not be used with this one
    agaz_words = len(load_autogaz(str(agaz_path))) if agaz_path.is_file() else 0
    secs = time.perf_counter() - t0
    log.info("trained NER on %d sentences in %.1f s -> %s", n, secs, out_path)
    return {
        **stacked,
        "sentences": n,
        "tokens": sum(len(s) for s in sents),
        "seconds": round(secs, 1),
        "out": str(out_path),
        "bytes": Path(out_path).stat().st_size,
        "gazetteer_words": gaz_words,
        "autogaz_words": agaz_words,
    }


def _iter_saudinewsnet(folder: Path) -> Iterable[str]:
    """``content`` of every article in the SaudiNewsNet day zips under ``folder``."""
    import json
    import zipfile

    for zpath in sorted(Path(folder).glob("*.zip")):
        with zipfile.ZipFile(zpath) as zf:
            for name in zf.namelist():
                for art in json.loads(zf.read(name)):
                    yield art.get("content") or ""


def build_clusters(
    texts: Iterable[str],
    out_path: Path = DEFAULT_CLUSTERS,
    *,
    vocab: int = 50_000,
    contexts: int = 10_000,
    dims: int = 150,
    sizes: Sequence[int] = (64, 256, 1024),
    seed: int = 0,
    fit_vocab: int | None = None,
) -> dict:
    """Learn distributional word clusters from unlabelled text and write the table the tagger reads.

    Each of the ``vocab`` most frequent folded tokens is described by positive
    PMI with the ``contexts`` most frequent tokens at offsets -2, -1, +1, +2
    (context counts smoothed by ^0.75), reduced to ``dims`` dimensions by
    truncated SVD, length-normalised, and clustered by mini-batch k-means once
    per size in ``sizes`` (coarse to fine). Only words and cluster numbers are
    written: no text of the corpus.

    ``fit_vocab`` (default: all of ``vocab``) limits the SVD and k-means fit
    to that many most frequent words; the rarer ones are projected with the
    same SVD and given their nearest centroid. Their counts are too small to
    shape clusters (fitting on 150,000 words lost 0.01 CV F1 against 50,000),
    yet a rare name still gets the cluster of the frequent words it resembles.

    Returns:
        ``{"words", "tokens", "sizes", "seconds", "out", "bytes"}``.
    """
    import numpy as np
    import scipy.sparse as sp
    from sklearn.cluster import MiniBatchKMeans
    from sklearn.decomposition import TruncatedSVD

    t0 = time.perf_counter()
    docs = [[fold(text[a:b]) for a, b in tokenize(text)] for text in texts]
    counts: dict[str, int] = {}
    for doc in docs:
        for w in doc:
            counts[w] = counts.get(w, 0) + 1
    words_ = sorted(counts, key=lambda w: (-counts[w], w))[:vocab]
    index = {w: i for i, w in enumerate(words_)}
    rows, cols = [], []
    for doc in docs:
        ids = np.fromiter((index.get(w, -1) for w in doc), dtype=np.int64, count=len(doc))
        for slot, d in enumerate((-2, -1, 1, 2)):
            a, b = (ids[:-d], ids[d:]) if d > 0 else (ids[-d:], ids[:d])
            keep = (a >= 0) & (b >= 0) & (b < contexts)
            rows.append(a[keep])
            cols.append(b[keep] + slot * contexts)
    r, c = np.concatenate(rows), np.concatenate(cols)
    co = sp.coo_matrix((np.ones(len(r), dtype=np.float64), (r, c)), shape=(len(words_), 4 * contexts)).tocsr().tocoo()
    total = co.data.sum()
    row_sum = np.bincount(co.row, weights=co.data, minlength=co.shape[0])
    col_sum = np.bincount(co.col, weights=co.data, minlength=co.shape[1]) ** 0.75
    col_sum = col_sum / col_sum.sum() * total
    pmi = np.log(co.data * total / (row_sum[co.row] * col_sum[co.col]))
    pos = pmi > 0
    ppmi = sp.csr_matrix((pmi[pos], (co.row[pos], co.col[pos])), shape=co.shape)
    n_fit = min(fit_vocab or len(words_), len(words_))
    svd = TruncatedSVD(dims, random_state=seed)
    vecs = svd.fit(ppmi[:n_fit]).transform(ppmi) if n_fit < len(words_) else svd.fit_transform(ppmi)
    vecs /= np.linalg.norm(vecs, axis=1, keepdims=True) + 1e-9
    labels = []
    for k in sizes:
        km = MiniBatchKMeans(k, random_state=seed, batch_size=4096, n_init=1).fit(vecs[:n_fit])
        labels.append(np.concatenate([km.labels_, km.predict(vecs[n_fit:])]) if n_fit < len(words_) else km.labels_)
    out_path = Path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    with gzip.open(out_path, "wt", encoding="utf-8", compresslevel=9) as fh:
        for i, w in enumerate(words_):
            fh.write(w + "\t" + "\t".join(str(lab[i]) for lab in labels) + "\n")
    load_clusters.cache_clear()
    secs = time.perf_counter() - t0
    log.info("clustered %d words from %d tokens in %.0f s -> %s", len(words_), sum(map(len, docs)), secs, out_path)
    return {
        "words": len(words_),
        "tokens": sum(map(len, docs)),
        "sizes": list(sizes),
        "seconds": round(secs, 1),
        "out": str(out_path),
        "bytes": out_path.stat().st_size,
    }


def _iter_baly2018(folder: Path) -> Iterable[str]:
    """Each distinct scraped article of the Baly et al. (2018) claim files under ``folder``, in file-name order."""
    import json

    seen: set[str] = set()
    for path in sorted(Path(folder).glob("*.json")):
        for text in json.loads(path.read_text(encoding="utf-8")).get("article", []):
            if text and text not in seen:
                seen.add(text)
                yield text


def build_clusters_saudinewsnet(
    folder: Path = DEFAULT_SAUDINEWSNET,
    out_path: Path = DEFAULT_CLUSTERS,
    *,
    baly_dir: Path | None = None,
    vocab: int = 50_000,
    fit_vocab: int | None = None,
    **kwargs: Any,
) -> dict:
    """:func:`build_clusters` over SaudiNewsNet, optionally followed by the Baly 2018 articles.

    The defaults rebuild the shipped table (50,000 words, SaudiNewsNet only).
    The larger table measured in the model card is
    ``baly_dir=DEFAULT_BALY, vocab=200_000, fit_vocab=50_000``.

    Args:
        folder: SaudiNewsNet day zips (``../shared/data/saudinewsnet/dataset``).
        out_path: the table to write.
        baly_dir: e.g. :data:`DEFAULT_BALY` (``../shared/data/baly2018/claims``,
            3.1 M more tokens of older, Syria-era news); None: SaudiNewsNet only.
        vocab, fit_vocab, **kwargs: as :func:`build_clusters`.
    """
    if not any(Path(folder).glob("*.zip")):
        raise ModelMissingError("no SaudiNewsNet zips to learn word clusters from", source=str(folder), hint="put ../shared beside the repository")
    texts: Iterable[str] = _iter_saudinewsnet(Path(folder))
    if baly_dir is not None:
        if not any(Path(baly_dir).glob("*.json")):
            raise ModelMissingError("no Baly 2018 claim files to learn word clusters from", source=str(baly_dir), hint="put ../shared beside the repository, or pass baly_dir=None")
        texts = itertools.chain(texts, _iter_baly2018(Path(baly_dir)))
    return build_clusters(texts, out_path, vocab=vocab, fit_vocab=fit_vocab, **kwargs)


# ---- two-pass (stacked) tagging ---------------------------------------------
# Krishnan & Manning (2006): a second CRF sees the first one's output, so an
# entity found in one sentence lends its type to other occurrences of the same
# word or string in the document, and each token sees its neighbours' labels.

# Pass-2 feature groups: the token's pass-1 label, its neighbours' (-2..+2),
# the majority pass-1 type of other occurrences of its stem in the document,
# the type of pass-1 entity strings found elsewhere in the document, and
# (not in the default) the pass-1 marginal of the token's label, binned: with
# it, F1 on CV folds 1 + 3 was 0.777 against 0.780 without (model card).
STACK_GROUPS = ("tag", "window", "doc", "ent", "conf")
STACK_FEATURES = ("tag", "window", "doc", "ent")
STACK_FOLDS = 5  # contiguous cross-fitting folds giving pass 1's labels on pass 2's training data
STACK_MAX_ENTITY = 6  # tokens: longer pass-1 entity strings are not looked for elsewhere
STACK_MIN_LETTERS = 3  # stems shorter than this take no part in the document majority
CONF_BINS = (0.5, 0.7, 0.9, 0.97)  # marginal probability of the pass-1 label: bin edges
STACK_VERSION = 1  # bump when the pass-2 features change; written in the manifest beside the model

Pass1 = tuple[list[str], list[float]]  # one sentence: pass-1 tags and each tag's marginal probability


def pass1_tags(tagger: Any, feats: Sequence[Sequence[str]], *, marginals: bool = True) -> Pass1:
    """Tags of one sentence by ``tagger`` (a pycrfsuite.Tagger) and the marginal of each chosen tag.

    ``marginals=False`` skips the marginals (1.0 each): the ``conf`` pass-2
    feature is then uninformative, so use it only when that group is off.
    """
    tags = tagger.tag(feats)
    if not marginals:
        return tags, [1.0] * len(tags)
    return tags, [tagger.marginal(t, i) for i, t in enumerate(tags)]


def _majority(kinds: Iterable[str]) -> str:
    counts: dict[str, int] = {}
    for k in kinds:
        counts[k] = counts.get(k, 0) + 1
    return min(counts, key=lambda k: (-counts[k], k)) if counts else ""


def stacked_features(
    feats: Sequence[Sequence[Sequence[str]]],
    sentences: Sequence[Sequence[str]],
    pass1: Sequence[Pass1],
    gazetteer: dict[str, set[str]] | None = None,
    clusters: dict[str, tuple[str, ...]] | None = None,
    groups: Sequence[str] = STACK_FEATURES,
) -> list[list[list[str]]]:
    """Pass-2 features of one document: ``feats`` (pass 1's) plus what pass 1 said.

    Args:
        feats: pass-1 features of each token of each sentence (:func:`document_features`).
        sentences: the same document's token strings.
        pass1: per sentence, pass-1 tags and marginals (:func:`pass1_tags`).
        gazetteer, clusters: as :func:`sentence_features` (stems come from the same cache).
        groups: which of :data:`STACK_GROUPS` to add (default :data:`STACK_FEATURES`).

    Returns:
        New feature lists (``feats`` is not changed). Document groups read only
        *other* occurrences: a token's own pass-1 label is the ``tag`` group's.
    """
    if clusters is None:
        clusters = load_clusters()
    want = set(groups)
    stems = [[_token_info(t, gazetteer, clusters).stem for t in toks] for toks in sentences]
    kinds = [[t.partition("-")[2] or "O" for t in tags] for tags, _ in pass1]
    out = [[list(x) for x in sent] for sent in feats]
    for si, (tags, conf) in enumerate(pass1):
        row = out[si]
        for i, tag in enumerate(tags):
            if "tag" in want:
                row[i].append("p1=" + tag)
            if "window" in want:
                row[i].extend(f"p1{d:+d}={tags[i + d]}" for d in (-2, -1, 1, 2) if 0 <= i + d < len(tags))
            if "conf" in want:
                row[i].append(f"p1m={tag}|{sum(conf[i] >= b for b in CONF_BINS)}")
    if "doc" in want:
        places: dict[str, list[tuple[int, int]]] = {}
        for si, row_stems in enumerate(stems):
            for ti, st in enumerate(row_stems):
                if len(st) >= STACK_MIN_LETTERS and any(ch.isalpha() for ch in st):
                    places.setdefault(st, []).append((si, ti))
        for where in places.values():
            if len(where) < 2:
                continue
            seen = [kinds[si][ti] for si, ti in where[: DOC_MAX_PLACES + 1]]
            for k, (si, ti) in enumerate(where):
                others = [x for m, x in enumerate(seen) if m != k] or [seen[0]]
                out[si][ti].append("dmaj=" + _majority(others))
                out[si][ti].extend(sorted({"dany=" + x for x in others if x != "O"}))
    if "ent" in want:
        _entity_string_features(out, stems, pass1)
    return out


def _entity_string_features(out: list[list[list[str]]], stems: list[list[str]], pass1: Sequence[Pass1]) -> None:
    """Mark tokens that begin (``dent=B-T``) or continue (``dent=I-T``) a string tagged T by pass 1 elsewhere in the document."""
    ents: dict[tuple[str, ...], list[tuple[int, int, str]]] = {}
    for si, (tags, _) in enumerate(pass1):
        for i, j, kind in bio_spans(tags):
            if j - i <= STACK_MAX_ENTITY:
                ents.setdefault(tuple(stems[si][i:j]), []).append((si, i, kind))
    if not ents:
        return
    lengths: dict[str, set[int]] = {}
    for key in ents:
        lengths.setdefault(key[0], set()).add(len(key))
    for si, row in enumerate(stems):
        for i, st in enumerate(row):
            for n in sorted(lengths.get(st, ()), reverse=True):
                key = tuple(row[i : i + n])
                found = ents.get(key) if len(key) == n else None
                kinds = [k for s2, i2, k in found or () if (s2, i2) != (si, i)]
                if kinds:
                    kind = _majority(kinds)
                    out[si][i].append("dent=B-" + kind)
                    out[si][i].extend([f"dentn={min(len(kinds), 3)}"])
                    for t in range(i + 1, i + n):
                        out[si][t].append("dent=I-" + kind)
                    break


def tag_pass1(tagger: Any, sents: Sequence[Sequence[str]], gazetteer: dict[str, set[str]] | None,
              clusters: dict[str, tuple[str, ...]], doc_size: int = DEFAULT_DOC_SIZE, *, marginals: bool = True,
              autogaz: dict[str, AgazEntry] | None = None) -> list[Pass1]:
    """:func:`pass1_tags` of each sentence (token strings), documents of ``doc_size`` consecutive sentences as in :func:`fit`.

    ``autogaz``: the auto-gazetteer table the pass-1 model reads, if any.
    """
    out: list[Pass1] = []
    for docs in group_documents(list(sents), doc_size or 1):
        feats = document_features(docs, gazetteer, clusters, doc=doc_size > 0)
        add_autogaz(feats, docs, autogaz)
        out.extend(pass1_tags(tagger, xs, marginals=marginals) for xs in feats)
    return out


class Pass1Job(NamedTuple):
    """One pass-1 model to train (on ``train``) and the sentence blocks it tags (none of them in ``train``)."""

    train: list[Sentence]
    tag: list[list[Sentence]]
    params: dict
    gazetteer: dict[str, set[str]] | None
    clusters_path: str  # "" for no cluster table
    doc_size: int
    autogaz: tuple[AgazTables, dict[str, AgazEntry] | None] | None = None  # tables of train's sentences, of the tagged blocks


def run_pass1_job(job: Pass1Job) -> list[list[Pass1]]:
    """Train ``job``'s pass-1 model in a temporary file and tag each of its blocks; a process-pool worker."""
    import tempfile

    import pycrfsuite

    clusters = load_clusters(job.clusters_path) if job.clusters_path else {}
    with tempfile.TemporaryDirectory() as tmp:
        model = Path(tmp) / "pass1.crfsuite"
        agaz_train, agaz_tag = job.autogaz or (None, None)
        fit(job.train, model, job.params, job.gazetteer, clusters, job.doc_size, autogaz=agaz_train)
        tagger = pycrfsuite.Tagger()
        tagger.open(str(model))
        try:
            return [tag_pass1(tagger, [[t for t, _ in s] for s in block], job.gazetteer, clusters, job.doc_size, autogaz=agaz_tag)
                    for block in job.tag]
        finally:
            tagger.close()


def fold_bounds(n: int, folds: int) -> list[int]:
    """Start of each of ``folds`` contiguous blocks of ``n`` items, and ``n`` last (as scikit-learn's KFold)."""
    if folds < 2:
        raise ValueError(f"folds must be >= 2, got {folds}")
    return [round(k * n / folds) for k in range(folds + 1)]


def crossfit_pass1(sents: Sequence[Sentence], folds: int = STACK_FOLDS, params: dict | None = None,
                   gazetteer: dict[str, set[str]] | None = None, clusters_path: str = str(DEFAULT_CLUSTERS),
                   doc_size: int = DEFAULT_DOC_SIZE, *, workers: int = 1) -> list[Pass1]:
    """Pass-1 tags for every sentence of ``sents`` from a model that never saw it: the training labels of pass 2.

    ``folds`` contiguous blocks; each is tagged by a pass-1 model trained on
    the others (``folds`` trainings on ``(folds - 1) / folds`` of the data),
    so pass 2 learns how far to trust pass 1 on unseen text, as at run time.

    Returns:
        One :data:`Pass1` per sentence, in order.
    """
    from concurrent.futures import ProcessPoolExecutor

    sents = list(sents)
    if len(sents) < folds:
        raise ValueError(f"cross-fitting needs at least {folds} sentences, got {len(sents)}")
    b = fold_bounds(len(sents), folds)
    jobs = [Pass1Job(sents[: b[k]] + sents[b[k + 1] :], [sents[b[k] : b[k + 1]]], dict(params or {}), gazetteer, clusters_path, doc_size)
            for k in range(folds)]
    if workers > 1:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            results = list(pool.map(run_pass1_job, jobs))
    else:
        results = [run_pass1_job(j) for j in jobs]
    return [p for res in results for p in res[0]]


def wordtype_path(model: Path) -> Path:
    """The word-type guesser beside ``model``: ``ner.crfsuite`` -> ``ner_wordtype.npz``."""
    model = Path(model)
    return model.with_name(model.stem + "_wordtype.npz")


def _wordtype_guesses(sents: Sequence[Sentence], model: Path, gazetteer: dict[str, set[str]] | None,
                      autogaz: dict[str, AgazEntry] | None, on: bool) -> dict[str, tuple[str, ...]] | None:
    """With ``on``: write the run-time word-type guesser beside ``model`` and return the cross-fitted guesses its
    training reads. Without: remove a guesser an earlier training left there (the new model would not read it)."""
    if not on:
        wordtype_path(model).unlink(missing_ok=True)
        return None
    fit_model(sents, gazetteer, autogaz).save(wordtype_path(model))
    return crossfit_table(sents, gazetteer, autogaz)


def pass2_paths(model: Path) -> tuple[Path, Path]:
    """The pass-2 model and its manifest beside pass-1 ``model``: ``ner.crfsuite`` -> ``ner_pass2.crfsuite``, ``ner_pass2.json``."""
    model = Path(model)
    return model.with_name(model.stem + "_pass2.crfsuite"), model.with_name(model.stem + "_pass2.json")


def file_digest(path: Path) -> str:
    """SHA-256 (hex) of a file: ties a pass-2 model to the pass-1 model whose labels it was trained on."""
    import hashlib

    h = hashlib.sha256()
    with Path(path).open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def fit_stacked(sents: Sequence[Sentence], out_path: Path, params: dict | None = None, gazetteer: dict[str, set[str]] | None = None,
                clusters_path: str = str(DEFAULT_CLUSTERS), doc_size: int = DEFAULT_DOC_SIZE, *, folds: int = STACK_FOLDS,
                groups: Sequence[str] = STACK_FEATURES, workers: int = 1, autogaz_corpus: str | None = None,
                wordtype: bool = False, scheme: str = DEFAULT_PASS2_SCHEME) -> dict:
    """Train pass 1 on all of ``sents`` (``out_path``), cross-fit its labels, train pass 2 beside it.

    Writes the pass-2 model and a JSON manifest (:func:`pass2_paths`) naming
    :data:`STACK_VERSION`, the feature groups, ``doc_size`` and the SHA-256 of
    the pass-1 file, which :func:`khabar.entities.find_mentions` checks before
    using the pair. With ``autogaz_corpus`` (SaudiNewsNet day zips) pass 1
    tags that corpus, the auto-gazetteer table it yields is written beside the
    model (``<model stem>_autogaz.tsv.gz``) and pass 2 reads it (pass 1 does
    not: the recipe measured in the model card); the manifest says so. With
    ``wordtype`` pass 2 also reads the word-type guesser (:mod:`khabar.ner_wordtype`):
    cross-fitted guesses in training, and the model fitted on every word,
    written beside the model (``<model stem>_wordtype.npz``), at run time.
    Pass 2 learns labels of ``scheme`` (pass 1 keeps BIO); the manifest names it.

    Returns:
        ``{"pass2", "manifest", "pass1_seconds", "crossfit_seconds", "pass2_seconds"}``, and ``"autogaz_seconds"``.
    """
    import json

    from khabar.ner_autogaz import (
        agaz_table,
        saudinewsnet_sample,
        tag_counts,
        write_autogaz,
    )

    clusters = load_clusters(clusters_path) if clusters_path else {}
    sents = list(sents)
    t0 = time.perf_counter()
    fit(sents, Path(out_path), params, gazetteer, clusters, doc_size)
    t1 = time.perf_counter()
    table = None
    if autogaz_corpus:
        docs = saudinewsnet_sample(str(autogaz_corpus), 1)
        table = agaz_table(tag_counts(Path(out_path), docs, gazetteer, clusters, doc_size > 0))
        write_autogaz(table, Path(out_path).with_name(Path(out_path).stem + "_autogaz.tsv.gz"))
        saudinewsnet_sample.cache_clear()
    ta = time.perf_counter()
    p1 = crossfit_pass1(sents, folds, params, gazetteer, clusters_path, doc_size, workers=workers)
    t2 = time.perf_counter()
    model2, manifest = pass2_paths(Path(out_path))
    guesses = _wordtype_guesses(sents, Path(out_path), gazetteer, table, wordtype)
    fit(sents, model2, params, gazetteer, clusters, doc_size, p1, groups, table, guesses, scheme)
    t3 = time.perf_counter()
    info = {"version": STACK_VERSION, "groups": list(groups), "folds": folds, "doc_size": doc_size, "autogaz": table is not None,
            "wordtype": wordtype, "scheme": scheme, "pass1": Path(out_path).name, "pass1_sha256": file_digest(Path(out_path))}
    manifest.write_text(json.dumps(info, indent=1) + "\n", encoding="utf-8")
    return {"pass2": str(model2), "manifest": str(manifest), "pass1_seconds": round(t1 - t0, 1), "autogaz_seconds": round(ta - t1, 1),
            "crossfit_seconds": round(t2 - ta, 1), "pass2_seconds": round(t3 - t2, 1)}
