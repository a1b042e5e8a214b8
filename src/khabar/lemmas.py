"""Dictionary lemmas of Arabic words: a plural meets its singular.

Match keys (:func:`khabar.arabic.match_key`) fold spellings and strip the
article, but leave a word's form alone: أسعار and سعر, الأطباء and طبيب,
الحكومية and الحكومي, لتسريح and تسريح are different keys. A long article
repeats its topic in many forms and survives that; a rumour post and the
two-line denial of it may share no key at all ("رفع سعر أسطوانة الغاز" / "لا
زيادة في أسعار أسطوانات البوتاجاز").

:func:`dictionary_lemma` looks the written word up in simplemma's Arabic
dictionary (MIT; loaded once per process on first use, ~33 MiB), and only
there: simplemma's guessing strategies also strip letters that are the word's
own (بيته -> يته), a dictionary entry does not. A word the dictionary lacks is
looked up once more without an attached conjunction or preposition (لتسريح ->
تسريح). Stories add a word's lemma key to its own (:func:`lemma_keys`; adding
gained recall on baly2018 where replacing lost precision, BENCHMARKS.md);
claims use the lemma as the word's token (:func:`khabar.claims.topical_tokens`).
Lookups happen in the main process, which clusters stories and groups claims.
"""

from __future__ import annotations

import re
from typing import Any

from khabar.arabic import match_key, strip_diacritics
from khabar.memo import Generations

# Raw Arabic words of three letters or more (shorter ones are particles).
_ARABIC_WORD = re.compile(r"[\u0621-\u063a\u0641-\u064a]{3,}")
# One attached letter the dictionary does not list before an indefinite noun: و ف ب ل ك.
_PROCLITICS = "وفبلك"
# The article and what attaches before it, longest first (as written, not folded).
_ARTICLES = ("وبال", "وال", "فال", "بال", "كال", "لل", "ال")
_MEMO: Generations[str, str] = Generations(20_000)
_lookup: Any = None


def dictionary_lemma(word: str) -> str | None:
    """simplemma's dictionary lemma of the written ``word``, else of ``word`` without its article
    (الرسوم -> رسوم) or, having none, one attached proclitic (و ف ب ل ك); None when the dictionary lists
    neither (see module docstring)."""
    global _lookup
    if _lookup is None:
        from simplemma.strategies import DictionaryLookupStrategy

        _lookup = DictionaryLookupStrategy()
    w = strip_diacritics(word)
    lemma = _lookup.get_lemma(w, "ar")
    if lemma is None:
        art = next((p for p in _ARTICLES if w.startswith(p) and len(w) - len(p) >= 3), None)
        if art is not None:
            lemma = _lookup.get_lemma(w[len(art) :], "ar")  # the dictionary lists رسوم, not always الرسوم
        elif len(w) > 4 and w[0] in _PROCLITICS:
            lemma = _lookup.get_lemma(w[1:], "ar")
    return lemma


def lemma_key(word: str) -> str:
    """Match key of ``word``'s dictionary lemma when it differs from the word's own key, else ""."""
    hit = _MEMO.get(word)
    if hit is None:
        lemma = dictionary_lemma(word)
        key = match_key(lemma) if lemma else ""
        hit = key if key and " " not in key and key != match_key(word) else ""
        _MEMO.put(word, hit)
    return hit


def lemma_keys(text: str) -> list[str]:
    """The differing lemma keys of ``text``'s Arabic words, in text order: what stories add to its terms."""
    return [k for k in map(lemma_key, _ARABIC_WORD.findall(strip_diacritics(text))) if k]
