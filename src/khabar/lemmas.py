"""Dictionary lemmas of Arabic words: a plural meets its singular.

Match keys (:func:`khabar.arabic.match_key`) fold spellings and strip the
article, but leave a word's form alone: أسعار and سعر, الأطباء and طبيب,
المدارس and مدرسة, لتسريح and تسريح are different keys. A long article repeats
its topic in many forms and survives that; a rumour post and the two-line
denial of it may share no key at all ("رفع سعر أسطوانة الغاز" / "لا زيادة في
أسعار أسطوانات البوتاجاز").

:func:`lemma_keys` gives, for each Arabic word of a text whose simplemma lemma
has another match key than the word, that lemma's key: added to the word's own
key, not put in its place (replacing keys with lemmas lost precision on
baly2018 stories, where simplemma's guesses for unknown words merge unrelated
terms; adding them gained recall, see BENCHMARKS.md). simplemma's Arabic
dictionary (MIT, ~33 MiB in memory) is loaded on the first call, in the process
that clusters stories; the per-word answers are kept in a bounded memo.
"""

from __future__ import annotations

import re

from khabar.arabic import match_key, strip_diacritics
from khabar.memo import Generations

# Raw Arabic words of three letters or more (shorter ones are particles).
_ARABIC_WORD = re.compile(r"[\u0621-\u063a\u0641-\u064a]{3,}")
_MEMO: Generations[str, str] = Generations(20_000)


def lemma_key(word: str) -> str:
    """Match key of ``word``'s simplemma lemma when it differs from the word's own key, else ""."""
    hit = _MEMO.get(word)
    if hit is None:
        import simplemma  # deferred: its dictionary is loaded by the first lemmatize call

        own = match_key(word)
        lem = match_key(simplemma.lemmatize(word, lang="ar"))
        hit = lem if lem and lem != own and " " not in lem else ""
        _MEMO.put(word, hit)
    return hit


def lemma_keys(text: str) -> list[str]:
    """The differing lemma keys of ``text``'s Arabic words, in text order (see module docstring)."""
    return [k for k in map(lemma_key, _ARABIC_WORD.findall(strip_diacritics(text))) if k]
