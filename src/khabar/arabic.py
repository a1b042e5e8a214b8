"""The only Arabic normalisation in khabar.

Display text stays as written. For matching (dedup, entity merging, claim
matching, search) a *folded* form is derived: alef variants -> ا, alef maqsura
-> ي, ta marbuta -> ه, hamza seats -> bare letter, diacritics and tatweel
removed, Arabic-Indic / Persian digits -> ASCII, Arabic and typographic
punctuation and quote marks -> ASCII, zero-width and bidi controls removed,
Latin lower-cased. :func:`normalize` also returns, for every folded character,
the index of the original character it came from, so a match found in the
folded form is a span in the display text.

Folding is idempotent: ``fold(fold(s)) == fold(s)``.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

# One table, character -> replacement ("" deletes).
_FOLD: dict[str, str] = {}
for _c in "أإآٱٲٳ":
    _FOLD[_c] = "ا"
_FOLD["ى"] = "ي"
_FOLD["ی"] = "ي"  # Persian yeh
_FOLD["ې"] = "ي"
_FOLD["ئ"] = "ي"
_FOLD["ؤ"] = "و"
_FOLD["ة"] = "ه"
_FOLD["ک"] = "ك"  # Persian kaf
_FOLD["ڤ"] = "ف"
_FOLD["پ"] = "ب"
_FOLD["چ"] = "ج"
_FOLD["گ"] = "ك"
# Diacritics (harakat, tanwin, shadda, sukun, superscript alef), Quranic marks, tatweel.
for _cp in list(range(0x064B, 0x0660)) + [0x0670, 0x0640] + list(range(0x06D6, 0x06EE)) + list(range(0x0610, 0x061B)):
    _FOLD[chr(_cp)] = ""
# Zero-width and bidi controls, BOM, soft hyphen.
for _cp in [0x200B, 0x200C, 0x200D, 0x200E, 0x200F, 0x061C, 0xFEFF, 0x00AD, *range(0x202A, 0x202F), *range(0x2066, 0x206A)]:
    _FOLD[chr(_cp)] = ""
for _i in range(10):
    _FOLD[chr(0x0660 + _i)] = str(_i)  # Arabic-Indic
    _FOLD[chr(0x06F0 + _i)] = str(_i)  # Persian
_FOLD.update(
    {
        "،": ",",
        "؛": ";",
        "؟": "?",
        "٪": "%",
        "٫": ".",
        "٬": ",",
        "“": '"',
        "”": '"',
        "„": '"',
        "‟": '"',
        "«": '"',
        "»": '"',
        "″": '"',
        "‘": "'",
        "’": "'",
        "‚": "'",
        "‛": "'",
        "′": "'",
        "–": "-",
        "—": "-",
        "‐": "-",
        "\u00a0": " ",
        "\u2009": " ",
        "\u202f": " ",
    }
)
_TRANS = str.maketrans(_FOLD)

ARABIC_LETTERS = "\u0621-\u064a\u0671-\u06d3\u06fa-\u06ff"
WORD_RE = re.compile(rf"[{ARABIC_LETTERS}\u064b-\u0652\u0670\u0640\w]+", re.UNICODE)
# An underscore joining Arabic letters joins a hashtag's words ("#وزارة_المالية"): :func:`words` and
# :func:`match_key` split there; an account handle ("@MOH_Saudi") stays one word.
_ARABIC_UNDERSCORE_RE = re.compile(r"[\u0621-\u064a]_|_[\u0621-\u064a]")
_WORD_NO_UNDERSCORE_RE = re.compile(r"(?:[^\W_]|[\u064b-\u0652\u0670\u0640])+", re.UNICODE)
_DIACRITICS_RE = re.compile("[\u064b-\u065f\u0670\u0640]")

# Proclitics that attach to a word: conjunctions, prepositions, the article.
_ARTICLE_PREFIXES = ("وبال", "وللم", "وال", "فال", "بال", "كال", "لل", "ال")
# Single-letter conjunctions, stripped only from longer words: ب/ل/ك begin too
# many names (بوتين، لافروف، كيري) to strip safely.
_CONJUNCTIONS = ("و", "ف")


@dataclass(frozen=True, slots=True)
class Normalized:
    """Folded text and, for each folded character, its index in the original."""

    text: str
    to_orig: tuple[int, ...]

    def orig_span(self, start: int, end: int) -> tuple[int, int]:
        """Original ``[start, end)`` covering folded ``[start, end)``."""
        if start >= end:
            pos = self.to_orig[start] if start < len(self.to_orig) else (self.to_orig[-1] + 1 if self.to_orig else 0)
            return pos, pos
        return self.to_orig[start], self.to_orig[end - 1] + 1


def fold(text: str) -> str:
    """Matching form of ``text`` (see module docstring). Idempotent."""
    return text.translate(_TRANS).lower()


def normalize(text: str) -> Normalized:
    """Fold ``text`` keeping a map from each folded character back to ``text``."""
    out: list[str] = []
    to_orig: list[int] = []
    for i, ch in enumerate(text):
        rep = _FOLD.get(ch, ch)
        for r in rep.lower() if rep else "":
            out.append(r)
            to_orig.append(i)
    return Normalized("".join(out), tuple(to_orig))


def strip_diacritics(text: str) -> str:
    return _DIACRITICS_RE.sub("", text)


def words(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of each word (Arabic or Latin letters and digits) in ``text``."""
    if "_" not in text:
        return [(m.start(), m.end()) for m in WORD_RE.finditer(text)]
    out: list[tuple[int, int]] = []
    for m in WORD_RE.finditer(text):
        if "_" in m.group() and _ARABIC_UNDERSCORE_RE.search(m.group()):
            out += [(w.start(), w.end()) for w in _WORD_NO_UNDERSCORE_RE.finditer(text, m.start(), m.end())]
        else:
            out.append((m.start(), m.end()))
    return out


# A word is "known" to the frequency table when it is in it; a remainder ranked past this is rare enough
# that the whole word is the likelier reading (لايه in ولاية, سايل in وسائل, ايل in وائل).
ROOT_LETTER_RARE_RANK = 20_000
_RANKS_FILE = "ner_clusters.tsv.gz"  # SaudiNewsNet's 50,000 commonest folded words, most frequent first


@functools.lru_cache(maxsize=1)
def word_ranks() -> dict[str, int]:
    """Folded word -> frequency rank (0 = commonest) in SaudiNewsNet, from the bundled word-cluster table.

    The table (``khabar/data/ner_clusters.tsv.gz``, built by ``khabar.ner_train.build_clusters``)
    lists words most frequent first. Empty when the file is missing: :func:`root_initial` then
    answers False and :func:`strip_clitics` strips as it did without a lexicon.
    """
    import gzip
    from importlib import resources

    ref = resources.files("khabar").joinpath("data", _RANKS_FILE)
    if not ref.is_file():
        return {}
    with ref.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as fh:
        return {line.split("\t", 1)[0]: i for i, line in enumerate(fh)}


@functools.lru_cache(maxsize=1)
def _root_initial_words() -> frozenset[str]:
    """The table's words whose initial و/ف is their own (see :func:`root_initial`), computed once.

    Only this set is kept (a few thousand words), not the 50,000 ranks: every
    process that strips clitics holds it, and the store-wide run is near its
    memory bar.
    """
    ranks = word_ranks()
    out = frozenset(
        w for w in ranks
        if len(w) >= 2 and w[0] in _CONJUNCTIONS and ranks.get(w[1:], ROOT_LETTER_RARE_RANK) >= ROOT_LETTER_RARE_RANK
    )
    word_ranks.cache_clear()  # the ranks themselves are not needed any more
    return out


def root_initial(word: str) -> bool:
    """Whether the و or ف opening a folded word is its own letter, not a conjunction.

    True when the word is in the frequency table (:func:`word_ranks`) and without
    that letter is not, or is rare: وزاره (زاره unknown), وثايق, ولايه, فلسطين, فرنسا.
    False for واضاف, ويقول, ووقف, وقال (the remainder is a common word) and for words
    the table does not know. Counting the whole word against its remainder would
    not do: sentence-initial "وأضاف" is 40 times commoner than "أضاف".
    """
    return len(word) >= 2 and word[0] in _CONJUNCTIONS and word in _root_initial_words()


def strip_clitics(word: str, *, min_stem: int = 2, lexicon: bool = True) -> str:
    """Remove an attached article cluster (ال، وال، بال، لل ...) or a conjunction و/ف.

    Expects a folded word. Keeps at least ``min_stem`` letters after an article
    and at least 4 after a bare conjunction, so names are not eaten; with
    ``lexicon``, a و/ف that :func:`root_initial` finds to be the word's own letter
    stays (وزارة is not و + زارة). ``lexicon=False`` is the older rule the NER
    models were trained with.
    """
    for p in _ARTICLE_PREFIXES:
        if word.startswith(p) and len(word) - len(p) >= min_stem:
            return word[len(p) :]
    for p in _CONJUNCTIONS:
        if word.startswith(p) and len(word) - len(p) >= 4 and not (lexicon and root_initial(word)):
            return word[len(p) :]
    return word


def match_key(text: str) -> str:
    """Folded, clitic-stripped, space-joined words: the key for comparing phrases."""
    folded = fold(text)
    found = WORD_RE.findall(folded)
    if "_" in folded:
        found = [p for w in found for p in (w.split("_") if _ARABIC_UNDERSCORE_RE.search(w) else (w,)) if p]
    return " ".join(map(_stripped, found))


@functools.lru_cache(maxsize=1 << 15)
def _stripped(word: str) -> str:
    """:func:`strip_clitics` of one folded word, cached: match keys are taken of whole articles, whose words repeat."""
    return strip_clitics(word)


def is_arabic(text: str, threshold: float = 0.5) -> bool:
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return False
    ar = sum(1 for c in letters if "\u0600" <= c <= "\u06ff" or "\u0750" <= c <= "\u077f")
    return ar / len(letters) >= threshold
