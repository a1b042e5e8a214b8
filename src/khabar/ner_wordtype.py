"""Word-type guesser for the NER tagger: what a word's letters say about its entity type.

Two thirds of the names the tagger misses contain a word it never saw in
training (model card, sixth-session error analysis). Their letters still
carry a signal the CRF's fixed 1-4 letter affixes see only in part: the
letter patterns of transliterated foreign names (غوركا، سابليير، -سكي،
-وف), of Arabic given names, of place names (-ستان، -يا). A multinomial
logistic regression over the character 2- to 5-grams of a folded word and
of its stem (TF-IDF, sublinear counts) learns them from the words of the
training sentences (each word's commonest label: O, PERS, LOC, ORG, MISC),
the ANERGazet lists and the auto-gazetteer (names a tagger found in
SaudiNewsNet, :mod:`khabar.ner_autogaz`); its guess becomes features of the pass-2 CRF
(:func:`wordtype_features`): ``chr=T`` (the likeliest label), ``chrb=T|b``
(with its probability bin) and ``chrE=b`` (how unlikely O is), and
``-1:chr=T`` / ``+1:chr=T`` from the neighbours.

Training sentences must not read guesses about their own words from a
model that learnt those words' labels, or the CRF learns to trust the guess
more than it deserves on new words. :func:`crossfit_table` therefore splits
the training vocabulary into five groups by a hash of the word and guesses
each group with a model fitted on the other four; at run time the model
fitted on every word (:class:`WordTypeModel`, shipped as
``ner_wordtype.npz``) guesses any word. Inference is a few numpy lines, no
scikit-learn, cached per word.
"""

from __future__ import annotations

import functools
import zlib
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import numpy as np

from khabar.arabic import fold
from khabar.errors import ModelMissingError
from khabar.memo import Generations
from khabar.ner_autogaz import AgazEntry

LABELS = ("O", "PERS", "LOC", "ORG", "MISC")  # O first: its probability is the entity-likeness feature
NGRAMS = (2, 5)  # character n-gram lengths, inclusive
C = 5.0  # inverse L2 strength of the logistic regression
MIN_DF = 2  # an n-gram must occur in this many training words
GAZ_WEIGHT = 0.5  # sample weight of an ANERGazet word absent from the training sentences
CROSSFIT_GROUPS = 5
CACHE_WORDS = 50_000  # words per generation (two kept: khabar.memo), per process; values are shared tuples (~10 MiB)
PROB_BINS = ((0.9, "9"), (0.7, "7"), (0.5, "5"))  # probability of the likeliest label -> bin ("3" below)
O_BINS = ((0.1, "9"), (0.3, "7"), (0.5, "5"), (0.7, "3"))  # probability of O -> entity-likeness bin ("0" above)
DEFAULT_WORDTYPE = Path(__file__).resolve().parent / "data" / "ner_wordtype.npz"
_GAZ_LABELS = {"Pers": "PERS", "Loc": "LOC", "Org": "ORG"}

Table = Mapping[str, tuple[str, ...]]  # folded word -> its features


def char_ngrams(folded: str) -> list[str]:
    """Character n-grams of ``<word>`` and ``S<stem>``, each padded with a space (scikit-learn's ``char_wb`` style)."""
    from khabar.ner_train import _stem

    out: list[str] = []
    lo, hi = NGRAMS
    for form in (f"<{folded}>", f"S<{_stem(folded)[1]}>"):
        padded = f" {form} "
        for n in range(lo, hi + 1):
            out.extend(padded[i : i + n] for i in range(len(padded) - n + 1))
    return out


def _features(probs: np.ndarray) -> tuple[str, ...]:
    j = int(np.argmax(probs))
    p = float(probs[j])
    pbin = next((b for edge, b in PROB_BINS if p >= edge), "3")
    p_o = float(probs[0])
    obin = next((b for edge, b in O_BINS if p_o < edge), "0")
    return _feature_tuple(j, pbin, obin)


@functools.lru_cache(maxsize=None)
def _feature_tuple(label_index: int, pbin: str, obin: str) -> tuple[str, ...]:
    """One shared tuple per (label, bins): a few dozen exist, so the per-word cache holds references only."""
    label = LABELS[label_index]
    return (f"chr={label}", f"chrb={label}|{pbin}", f"chrE={obin}")


class WordTypeModel:
    """The fitted guesser: n-gram vocabulary, IDF weights, one weight row per label.

    ``features(folded_word)`` is what the tagger reads; results are cached per
    word (the vocabulary of news repeats).
    """

    def __init__(self, vocab: Sequence[str], idf: np.ndarray, coef: np.ndarray, intercept: np.ndarray) -> None:
        if coef.shape != (len(LABELS), len(vocab)) or idf.shape != (len(vocab),) or intercept.shape != (len(LABELS),):
            raise ValueError(f"inconsistent word-type model: {coef.shape}, {idf.shape}, {intercept.shape}, {len(vocab)} n-grams")
        self.index = {g: i for i, g in enumerate(vocab)}
        self.idf = idf.astype(np.float32)
        self.coef = coef.astype(np.float32)
        self.intercept = intercept.astype(np.float32)
        self._cache: Generations[str, tuple[str, ...]] = Generations(CACHE_WORDS)

    @classmethod
    def fit(cls, words: Sequence[str], labels: Sequence[str], weights: Sequence[float] | None = None) -> WordTypeModel:
        """Fit on folded ``words`` and their ``labels`` (from :data:`LABELS`)."""
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression

        vec = TfidfVectorizer(analyzer=char_ngrams, sublinear_tf=True, min_df=MIN_DF if len(words) >= 50 else 1)
        x = vec.fit_transform(words)
        coef = np.zeros((len(LABELS), x.shape[1]), dtype=np.float32)
        intercept = np.full(len(LABELS), -30.0, dtype=np.float32)  # a label absent from training is never guessed
        classes = sorted(set(labels))
        if len(classes) == 1:
            intercept[LABELS.index(classes[0])] = 0.0
        else:
            clf = LogisticRegression(C=C, max_iter=500).fit(x, labels, sample_weight=weights)
            w, b = clf.coef_, clf.intercept_
            if len(clf.classes_) == 2:  # one score s: softmax over (-s/2, s/2) is the fitted sigmoid
                w, b = np.vstack([-w / 2, w / 2]), np.array([-b[0] / 2, b[0] / 2])
            for row, label in enumerate(clf.classes_):
                coef[LABELS.index(label)] = w[row]
                intercept[LABELS.index(label)] = b[row]
        vocab = [""] * len(vec.vocabulary_)
        for g, i in vec.vocabulary_.items():
            vocab[i] = g
        return cls(vocab, vec.idf_, coef, intercept)

    def probabilities(self, folded: str) -> np.ndarray:
        """Probability of each of :data:`LABELS` for one folded word."""
        return self.batch_probabilities([folded])[0]

    def batch_probabilities(self, words: Sequence[str]) -> np.ndarray:
        """Probabilities ``(len(words), len(LABELS))``, in one pass over all their n-grams.

        Per word: TF-IDF of its known n-grams (1 + log count, L2-normalised, as
        scikit-learn's ``sublinear_tf``), then the linear scores and a softmax.
        One vectorised pass, because numpy's per-call cost dominated word by word.
        """
        idx_parts: list[list[int]] = []
        tf_parts: list[list[int]] = []
        for w in words:
            counts = Counter(i for g in char_ngrams(w) if (i := self.index.get(g)) is not None)
            idx_parts.append(list(counts))
            tf_parts.append(list(counts.values()))
        lengths = np.array([len(p) for p in idx_parts], dtype=np.int64)
        scores = np.tile(self.intercept.astype(np.float64), (len(words), 1))
        if lengths.sum():
            idx = np.fromiter((i for p in idx_parts for i in p), dtype=np.int64, count=int(lengths.sum()))
            vals = (1.0 + np.log(np.fromiter((c for p in tf_parts for c in p), dtype=np.float64, count=len(idx)))) * self.idf[idx]
            owner = np.repeat(np.arange(len(words)), lengths)
            norms = np.sqrt(np.bincount(owner, weights=vals * vals, minlength=len(words)))
            vals /= norms[owner]
            contrib = self.coef[:, idx].T.astype(np.float64) * vals[:, None]  # (n-grams, labels)
            for k in range(len(LABELS)):
                scores[:, k] += np.bincount(owner, weights=contrib[:, k], minlength=len(words))
        scores = np.exp(scores - scores.max(axis=1, keepdims=True))
        return scores / scores.sum(axis=1, keepdims=True)

    def features(self, folded: str) -> tuple[str, ...]:
        """The guess for one folded word, as tagger features (cached)."""
        return self.table([folded])[folded]

    def table(self, words: Iterable[str]) -> dict[str, tuple[str, ...]]:
        """Features of each folded word in ``words``; words not seen before are guessed together, then cached."""
        out: dict[str, tuple[str, ...]] = {}
        todo: list[str] = []
        for w in dict.fromkeys(words):
            hit = self._cache.get(w)
            if hit is None:
                todo.append(w)
            else:
                out[w] = hit
        if todo:
            for w, probs in zip(todo, self.batch_probabilities(todo), strict=True):
                out[w] = _features(probs)
                self._cache.put(w, out[w])
        return out

    def save(self, path: Path = DEFAULT_WORDTYPE) -> int:
        """Write the model as a compressed ``.npz`` (no pickles); returns its size in bytes."""
        vocab = [""] * len(self.index)
        for g, i in self.index.items():
            vocab[i] = g
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as fh:
            np.savez_compressed(fh, vocab=np.array(vocab), idf=self.idf.astype(np.float16), coef=self.coef.astype(np.float16),
                                intercept=self.intercept, labels=np.array(LABELS))
        load_wordtype.cache_clear()
        return path.stat().st_size


@functools.lru_cache(maxsize=4)
def load_wordtype(path: str = str(DEFAULT_WORDTYPE)) -> WordTypeModel:
    """The model written by :meth:`WordTypeModel.save`, cached per process.

    Raises:
        ModelMissingError: the file is absent or not such a model.
    """
    if not Path(path).is_file():
        raise ModelMissingError("no NER word-type model", source=path, hint="`khabar train ner` writes it beside the NER model")
    with np.load(path, allow_pickle=False) as data:
        if tuple(str(x) for x in data["labels"]) != LABELS:
            raise ModelMissingError("the NER word-type model has other labels", source=path, hint="retrain with `khabar train ner`")
        return WordTypeModel([str(g) for g in data["vocab"]], data["idf"].astype(np.float32), data["coef"].astype(np.float32),
                             data["intercept"].astype(np.float32))


def training_words(sents: Iterable[Sequence[tuple[str, str]]], gazetteer: Mapping[str, set[str]] | None = None,
                   autogaz: Mapping[str, AgazEntry] | None = None) -> tuple[list[str], list[str], list[float]]:
    """Folded words of ``sents`` with their commonest label (BIO prefix dropped), then ANERGazet words not among them,
    then auto-gazetteer words (:mod:`khabar.ner_autogaz`: names a tagger found in unlabelled news) not among either.

    Returns words, labels and sample weights (1 for a training word, :data:`GAZ_WEIGHT` for the others).
    """
    return _training_words(sents, gazetteer, autogaz)[:3]


def _training_words(sents: Iterable[Sequence[tuple[str, str]]], gazetteer: Mapping[str, set[str]] | None,
                    autogaz: Mapping[str, AgazEntry] | None) -> tuple[list[str], list[str], list[float], int]:
    """:func:`training_words`, and how many of the words come from ``sents`` (they come first)."""
    seen: dict[str, Counter] = {}
    for sent in sents:
        for tok, tag in sent:
            seen.setdefault(fold(tok), Counter())["O" if tag == "O" else tag[2:]] += 1
    words = sorted(seen)
    labels = [max(sorted(seen[w].items()), key=lambda kv: kv[1])[0] for w in words]
    weights = [1.0] * len(words)
    for kind in sorted(gazetteer or {}):
        label = _GAZ_LABELS.get(kind)
        if label is None:
            continue
        extra = sorted(w for w in (gazetteer or {})[kind] if w not in seen)
        words += extra
        labels += [label] * len(extra)
        weights += [GAZ_WEIGHT] * len(extra)
    if autogaz:
        have = set(words)
        extra = sorted(w for w in autogaz if w not in have)
        words += extra
        labels += [autogaz[w].kind for w in extra]
        weights += [GAZ_WEIGHT] * len(extra)
    return words, labels, weights, len(seen)


def _group(word: str) -> int:
    return zlib.crc32(word.encode("utf-8")) % CROSSFIT_GROUPS


def crossfit_table(sents: Sequence[Sequence[tuple[str, str]]], gazetteer: Mapping[str, set[str]] | None = None,
                   autogaz: Mapping[str, AgazEntry] | None = None) -> dict[str, tuple[str, ...]]:
    """Features of every word of ``sents``, each from a model fitted without that word (see the module docstring).

    The gazetteer and auto-gazetteer words (:func:`training_words`) train every one of the models.
    """
    words, labels, weights, n_train = _training_words(sents, gazetteer, autogaz)
    table: dict[str, tuple[str, ...]] = {}
    for g in range(CROSSFIT_GROUPS):
        keep = [i for i in range(len(words)) if i >= n_train or _group(words[i]) != g]
        model = WordTypeModel.fit([words[i] for i in keep], [labels[i] for i in keep], [weights[i] for i in keep])
        table.update(model.table(words[i] for i in range(n_train) if _group(words[i]) == g))
    return table


def fit_model(sents: Iterable[Sequence[tuple[str, str]]], gazetteer: Mapping[str, set[str]] | None = None,
              autogaz: Mapping[str, AgazEntry] | None = None) -> WordTypeModel:
    """The run-time model: fitted on every word of ``sents``, the gazetteer and the auto-gazetteer."""
    words, labels, weights = training_words(sents, gazetteer, autogaz)
    return WordTypeModel.fit(words, labels, weights)


def wordtype_features(feats: list[list[list[str]]], sentences: Sequence[Sequence[str]],
                      source: Table | WordTypeModel | None) -> None:
    """Append the guesser's features to ``feats`` (one list per token per sentence), in place.

    ``source`` is a cross-fitted table (training) or the model (tagging); a
    word missing from a table gets nothing. Neighbours at -1 / +1 add their
    ``chr=`` feature with the offset.
    """
    if source is None:
        return
    # A model guesses the document's words together, in one vectorised pass.
    table = source.table(fold(t) for toks in sentences for t in toks) if isinstance(source, WordTypeModel) else source
    for row, toks in zip(feats, sentences, strict=True):
        guesses = [table.get(fold(t), ()) for t in toks]
        for i, g in enumerate(guesses):
            row[i].extend(g)
            if i > 0 and guesses[i - 1]:
                row[i].append("-1:" + guesses[i - 1][0])
            if i + 1 < len(guesses) and guesses[i + 1]:
                row[i].append("+1:" + guesses[i + 1][0])
