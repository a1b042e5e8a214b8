"""Auto-gazetteer for the NER tagger: entity types learnt by tagging unlabelled news.

A name never seen in ANERcorp is often easy somewhere in a large unlabelled
corpus (after a title, beside a first name). A pass-1 model tags a sample of
SaudiNewsNet; for each folded word we count how often it occurs and how often
it is inside an entity of each type (PERS / LOC / ORG / MISC), and in which
position (first token or not). Words seen at least ``min_count`` times whose
commonest type covers at least ``min_share`` of *all* their occurrences go
into a table (``word<TAB>TYPE<TAB>share bin<TAB>B|I``) and fire ``agaz=``
features (:func:`autogaz_features`) on the token and its neighbours.

The table only holds words and types (statistics of SaudiNewsNet, no text).
In cross-validation it is cross-fitted: the model that tags the corpus for a
fold is trained without that fold (:func:`khabar.eval.ner.evaluate_ner` with
``autogaz=``); optionally ("nested") training sentences get a table from a
model that did not see them either (no better in CV, so training reads the
table of a model trained on all of it, as :func:`khabar.ner_train.train_ner`).
"""

from __future__ import annotations

import functools
import gzip
import itertools
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, NamedTuple

from khabar.arabic import fold
from khabar.errors import ModelMissingError

TYPES = ("PERS", "LOC", "ORG", "MISC")
DEFAULT_AUTOGAZ = Path(__file__).resolve().parent / "data" / "ner_autogaz.tsv.gz"
AGAZ_SAMPLE_EVERY = 10  # take every 10th SaudiNewsNet article (31,030 -> 3,103, about 1 M tokens)
AGAZ_MIN_COUNT = 3  # occurrences in the sample before a word's type is trusted
AGAZ_MIN_SHARE = 0.5  # share of all occurrences tagged with the commonest type
AGAZ_SHARE_BINS = (0.7, 0.9)  # share bin edges: bin 0 below 0.7, 1 below 0.9, 2 above
AGAZ_MAX_SENTENCE = 120  # tokens: longer runs without a full stop are cut
_SENT_END = frozenset(".!?؟")
_PARA_RE = re.compile(r"[^\n]+")

Counts = dict[str, list[int]]  # folded word -> [occurrences, PERS, LOC, ORG, MISC, first-token count]


class AgazEntry(NamedTuple):
    """One word of the table: its dominant type, the share bin, and whether it mostly begins an entity."""

    kind: str
    share_bin: int
    begins: bool


def split_document(text: str) -> list[list[str]]:
    """Token strings of ``text`` split into sentences at line breaks and . ! ? ؟ (as the tagger's training data)."""
    from khabar.ner_train import tokenize

    out: list[list[str]] = []
    for para in _PARA_RE.finditer(text):
        cur: list[str] = []
        for a, b in tokenize(text, para.start(), para.end()):
            cur.append(text[a:b])
            if text[a:b] in _SENT_END or len(cur) >= AGAZ_MAX_SENTENCE:
                out.append(cur)
                cur = []
        if cur:
            out.append(cur)
    return out


@functools.lru_cache(maxsize=2)
def saudinewsnet_sample(folder: str, every: int = AGAZ_SAMPLE_EVERY) -> tuple[tuple[tuple[str, ...], ...], ...]:
    """Every ``every``-th non-empty SaudiNewsNet article as sentences of tokens; cached per process.

    ``folder`` may also name a pickle of such documents (:func:`targeted_sample`).

    Raises:
        ModelMissingError: ``folder`` holds no day zips.
    """
    from khabar.ner_train import _iter_saudinewsnet

    if folder.endswith(".pkl"):
        import pickle

        return tuple(tuple(tuple(s) for s in d) for d in pickle.loads(Path(folder).read_bytes()))
    if every < 1:
        raise ValueError(f"every must be >= 1, got {every}")
    if not any(Path(folder).glob("*.zip")):
        raise ModelMissingError("no SaudiNewsNet zips to build the auto-gazetteer from", source=folder,
                                hint="put ../shared beside the repository")
    texts = (t for t in _iter_saudinewsnet(Path(folder)) if t.strip())
    return tuple(tuple(tuple(s) for s in split_document(t)) for t in itertools.islice(texts, 0, None, every))


def count_tags(tag_doc: Any, docs: Iterable[Sequence[Sequence[str]]]) -> Counts:
    """Occurrences and entity types of every folded word, as ``tag_doc`` (one document's sentences -> tags) sees them."""
    counts: Counts = {}
    for doc in docs:
        for toks, tags in zip(doc, tag_doc(doc), strict=True):
            for tok, tag in zip(toks, tags, strict=True):
                row = counts.get(fw := fold(tok))
                if row is None:
                    row = counts[fw] = [0, 0, 0, 0, 0, 0]
                row[0] += 1
                pre, _, kind = tag.partition("-")
                if kind in TYPES:
                    row[1 + TYPES.index(kind)] += 1
                    row[5] += pre == "B"
    return counts


def merge_counts(parts: Iterable[Counts]) -> Counts:
    """Sum of several :func:`count_tags` results (the same corpus tagged by several models is not meant here)."""
    out: Counts = {}
    for part in parts:
        for w, row in part.items():
            cur = out.setdefault(w, [0] * 6)
            for i, v in enumerate(row):
                cur[i] += v
    return out


def agaz_table(counts: Counts, min_count: int = AGAZ_MIN_COUNT, min_share: float = AGAZ_MIN_SHARE) -> dict[str, AgazEntry]:
    """Words whose commonest entity type covers at least ``min_share`` of their ``min_count``+ occurrences.

    Args:
        counts: from :func:`count_tags`.
        min_count: occurrences needed, at least 1.
        min_share: in (0, 1]; the share is over all occurrences, tagged or not.
    """
    if min_count < 1:
        raise ValueError(f"min_count must be >= 1, got {min_count}")
    if not 0.0 < min_share <= 1.0:
        raise ValueError(f"min_share must be in (0.0, 1.0], got {min_share}")
    table: dict[str, AgazEntry] = {}
    for w, row in counts.items():
        if row[0] < min_count:
            continue
        k = max(range(4), key=lambda i: (row[1 + i], -i))
        share = row[1 + k] / row[0]
        if share >= min_share:
            tagged = sum(row[1:5])
            table[w] = AgazEntry(TYPES[k], sum(share >= b for b in AGAZ_SHARE_BINS), 2 * row[5] >= tagged)
    return table


def autogaz_features(feats: list[list[list[str]]], sentences: Sequence[Sequence[str]], table: dict[str, AgazEntry] | None) -> None:
    """Append ``agaz=`` features to ``feats`` (one list per token per sentence), in place.

    A token found in ``table`` (as folded, else its stem without proclitics)
    gets ``agaz=T``, ``agazs=T|bin`` (share bin) and ``agazp=B-T`` or
    ``I-T`` (whether it mostly begins an entity); its neighbours at -1 / +1
    get ``-1:agaz=T`` / ``+1:agaz=T``. Nothing is added with no table.
    """
    if not table:
        return
    from khabar.ner_train import _stem

    for row, toks in zip(feats, sentences, strict=True):
        hits: list[AgazEntry | None] = []
        for tok in toks:
            f = fold(tok)
            hit = table.get(f)
            if hit is None:
                stem = _stem(f)[1]
                hit = table.get(stem) if stem != f else None
            hits.append(hit)
        for i, hit in enumerate(hits):
            if hit is not None:
                row[i] += [f"agaz={hit.kind}", f"agazs={hit.kind}|{hit.share_bin}", f"agazp={'B' if hit.begins else 'I'}-{hit.kind}"]
            if i > 0 and (left := hits[i - 1]) is not None:
                row[i].append(f"-1:agaz={left.kind}")
            if i + 1 < len(hits) and (right := hits[i + 1]) is not None:
                row[i].append(f"+1:agaz={right.kind}")


def write_autogaz(table: dict[str, AgazEntry], out_path: Path = DEFAULT_AUTOGAZ) -> int:
    """Write ``table`` as the gzip TSV read at tagging time (``word<TAB>TYPE<TAB>bin<TAB>B|I``); returns words written."""
    out_path = Path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    with gzip.open(out_path, "wt", encoding="utf-8", compresslevel=9) as fh:
        for w in sorted(table):
            e = table[w]
            fh.write(f"{w}\t{e.kind}\t{e.share_bin}\t{'B' if e.begins else 'I'}\n")
    load_autogaz.cache_clear()
    return len(table)


@functools.lru_cache(maxsize=4)
def load_autogaz(path: str = str(DEFAULT_AUTOGAZ)) -> dict[str, AgazEntry]:
    """The table written by :func:`write_autogaz`, cached per process.

    Raises:
        ModelMissingError: the file is absent; the hint names the rebuild.
    """
    from khabar.ner_train import _table_lines

    table: dict[str, AgazEntry] = {}
    for line in _table_lines(path, "NER auto-gazetteer table", "`khabar train ner` (needs ../shared/data/saudinewsnet)"):
        parts = line.split("\t")
        if len(parts) == 4 and parts[1] in TYPES:
            table[parts[0]] = AgazEntry(parts[1], int(parts[2]), parts[3] == "B")
    return table


class AgazJob(NamedTuple):
    """One tagging model to train (on ``train``) and the SaudiNewsNet sample it tags, for cross-fitted tables."""

    train: list[Any]  # sentences of (token, tag)
    params: dict
    gazetteer: dict[str, set[str]] | None
    clusters_path: str  # "" for no cluster table
    doc_size: int
    corpus: str  # SaudiNewsNet day-zip folder
    every: int  # sample every n-th article


def run_agaz_job(job: AgazJob) -> Counts:
    """Train ``job``'s pass-1 model in a temporary file, tag the sample, count (:func:`count_tags`); a pool worker."""
    import tempfile

    from khabar.ner_train import fit, load_clusters

    clusters = load_clusters(job.clusters_path) if job.clusters_path else {}
    docs = saudinewsnet_sample(job.corpus, job.every)
    with tempfile.TemporaryDirectory() as tmp:
        model = Path(tmp) / "agaz.crfsuite"
        fit(job.train, model, job.params, job.gazetteer, clusters, job.doc_size)
        return tag_counts(model, docs, job.gazetteer, clusters, job.doc_size > 0)


def tag_counts(model: Path, docs: Iterable[Sequence[Sequence[str]]], gazetteer: dict[str, set[str]] | None,
               clusters: dict[str, tuple[str, ...]], doc: bool = True) -> Counts:
    """:func:`count_tags` of ``docs`` (each one article's sentences) tagged by the pass-1 CRF at ``model``."""
    import pycrfsuite

    from khabar.ner_train import document_features

    tagger = pycrfsuite.Tagger()
    tagger.open(str(model))
    try:
        return count_tags(lambda d: [tagger.tag(xs) for xs in document_features(d, gazetteer, clusters, doc=doc)], docs)
    finally:
        tagger.close()


def targeted_sample(folder: str, vocab: set[str], per_word: int = 10, skip_top: int = 1_000,
                    ranks: dict[str, int] | None = None) -> list[list[list[str]]]:
    """SaudiNewsNet sentences holding the words of ``vocab``: at most ``per_word`` for each, grouped by article.

    Tagging the whole corpus once per cross-fitted model costs about 300 s of
    CPU; the table only matters for the words a model will meet, so for a
    known word list (the training file's, in cross-validation) this gives the
    same counts capped at ``per_word`` occurrences, for a fraction of the
    tagging. Words ranked in the ``skip_top`` commonest (``ranks``: the
    cluster table's order) are not targets: they fill every sentence.
    """
    from khabar.ner_train import _iter_saudinewsnet

    ranks = ranks or {}
    need = {w: per_word for w in vocab if ranks.get(w, 1 << 30) >= skip_top}
    out: list[list[list[str]]] = []
    for text in _iter_saudinewsnet(Path(folder)):
        doc = []
        for sent in split_document(text):
            hits = [f for f in {fold(t) for t in sent} if need.get(f, 0) > 0]
            if hits:
                for f in hits:
                    need[f] -= 1
                doc.append(sent)
        if doc:
            out.append(doc)
    return out
