"""Dictionary lemmas of Arabic words: a plural meets its singular.

Match keys (:func:`khabar.arabic.match_key`) fold spellings and strip the
article, but leave a word's form alone: أسعار and سعر, الأطباء and طبيب,
الحكومية and الحكومي, الرسوم and رسوم are different keys. A long article
repeats its topic in many forms and survives that; a rumour post and the
two-line denial of it may share no key at all ("رفع سعر أسطوانة الغاز" / "لا
زيادة في أسعار أسطوانات البوتاجاز").

:func:`dictionary_lemma` looks the written word up in simplemma's Arabic
dictionary (MIT), and only there: simplemma's guessing strategies also strip
letters that are the word's own (بيته -> يته), a dictionary entry does not. A
word the dictionary lacks is looked up once more without its article
(الرسوم -> رسوم) or an attached conjunction or preposition (لتسريح -> تسريح).
Stories take a word's lemma key in place of its own (:func:`lemma_key`);
claims use the lemma as the word's token (:func:`khabar.claim_tokens.topical_tokens`).

Memory (issue #9): simplemma holds the dictionary as a dict of 297,000 byte
strings (~33 MiB) in the main process, which is near its bar. :class:`_Table`
keeps its entries as sorted 64-bit hashes of the word with an index into the
distinct lemmas (a few MiB), built once and simplemma's copy dropped.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left

from khabar.arabic import match_key, strip_diacritics

# One attached letter the dictionary does not list before an indefinite noun: و ف ب ل ك.
_PROCLITICS = "وفبلك"
# Attached pronouns, longest first, and the letters that end one.
_PRONOUNS = ("هما", "كما", "هم", "ها", "كم", "نا", "ه")
_PRONOUN_LETTERS = "هاكي"
# The article and what attaches before it, longest first (as written, not folded).
_ARTICLES = ("وبال", "وال", "فال", "بال", "كال", "لل", "ال")


class _Table:
    """simplemma's Arabic dictionary, compact: word hash -> lemma (see module docstring)."""

    def __init__(self) -> None:
        from simplemma.strategies.dictionaries import DefaultDictionaryFactory

        import numpy as np

        entries = DefaultDictionaryFactory(cache_max_size=1).get_dictionary("ar")  # a private copy, dropped below
        lemma_ids: dict[str, int] = {}
        hashes, ids = array("q"), array("i")
        for word, lemma in entries.items():  # words listed as their own lemma too: "listed" stops the fallbacks
            hashes.append(hash(word))
            ids.append(lemma_ids.setdefault(lemma, len(lemma_ids)))
        del entries
        order = np.argsort(np.frombuffer(hashes, dtype=np.int64), kind="stable")
        self.hashes = array("q", np.frombuffer(hashes, dtype=np.int64)[order].tobytes())
        self.ids = array("i", np.frombuffer(ids, dtype=np.int32)[order].tobytes())
        self.lemmas = tuple(lemma_ids)

    def get(self, word: str) -> str | None:
        h = hash(word)
        i = bisect_left(self.hashes, h)
        if i < len(self.hashes) and self.hashes[i] == h:
            return self.lemmas[self.ids[i]]
        return None


_table: _Table | None = None


def _lookup(word: str) -> str | None:
    global _table
    if _table is None:
        _table = _Table()
    return _table.get(word)


def listed(word: str) -> bool:
    """Whether simplemma's dictionary lists ``word`` as written (diacritics aside)."""
    return _lookup(strip_diacritics(word)) is not None


def dictionary_lemma(word: str, *, pronouns: bool = True) -> str | None:
    """simplemma's dictionary lemma of the written ``word``, else of ``word`` without its article
    (الرسوم -> رسوم) or, having none, one attached proclitic (و ف ب ل ك), else without an attached
    pronoun (لتأجيلها -> تأجيل, حياته -> حياة); None when the dictionary gives no other form for
    any of them (see module docstring)."""
    w = strip_diacritics(word)
    lemma = _listed_lemma(w)
    if lemma is None and pronouns:
        for suffix in _PRONOUNS:
            stem = w[: -len(suffix)]
            if w.endswith(suffix) and len(stem) >= 3:
                # the ة before a pronoun is written ت: حياته -> حياة
                three = len(stem) == 3  # بيته، صوته: a three-letter stem keeps its ت
                lemma = (None if three or stem[-1] != "ت" else _listed_lemma(stem[:-1] + "ة")) or _listed_lemma(stem)
                break
    return lemma


def _listed_lemma(w: str) -> str | None:
    lemma = _lookup(w)
    if lemma is None:
        art = next((p for p in _ARTICLES if w.startswith(p) and len(w) - len(p) >= 3), None)
        if art is not None:
            lemma = _lookup(w[len(art) :])
        elif len(w) > 4 and w[0] in _PROCLITICS:
            lemma = _lookup(w[1:])
        elif len(w) == 4 and w[0] in _PROCLITICS and (w[-1] not in _PRONOUN_LETTERS or _lookup(w[:-1]) is None):
            # برفع -> رفع, بدعم -> دعم; but بيته is بيت + ه (a listed word before a pronoun letter), not ب + يته
            lemma = _lookup(w[1:])
    return lemma


def lemma_key(word: str, *, pronouns: bool = False) -> str:
    """Match key of ``word``'s dictionary lemma when it differs from the word's own key, else ""
    (callers memoise per word: :func:`khabar.stories.terms_of`)."""
    lemma = dictionary_lemma(word, pronouns=pronouns)
    key = match_key(lemma) if lemma else ""
    return key if key and " " not in key and key != match_key(word) else ""
