"""Translated republications: an article in one language that renders another article's text.

MinHash (:mod:`khabar.dedup`) sees no shared words between an Arabic wire and
its English or French machine translation, but the two share what survives
translation: the resolved entities (one id for إيلون ماسك and Elon Musk, see
:mod:`khabar.resolve`) and the numbers, *in the same order*. An independent
report of the same event in another language shares many of the same anchors
too, but tells them in its own order and picks its own subset; a translation
follows its source sentence by sentence.

So each article becomes its *anchor sequence* (entity ids and normalised
numbers in text order). Two articles in different languages are compared on
the anchors they share: there must be ``min_shared`` of them, covering
``min_coverage`` of the distinct anchors of the article with fewer (a
tagger finds more names in one language than the other, so anchors only one
side has are not held against a pair), and the shared anchors must come in
the same order: the longest common subsequence of the two sequences reduced
to shared anchors covers ``min_order_share`` of the shorter one. Candidates
are only the members of the article's own story in another language (the
story index brought them together; with embeddings off, a translation whose
names did not resolve across scripts may stay in a story of its own and is
then not found), so the cost is a few small LCS tables per article of a
multilingual story.

The likely original is the earlier published of the two, then the one stored first.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from khabar.arabic import fold
from khabar.model import Article
from khabar.settings import check_range, section_with_defaults

RELATION = "translation"
_NUMBER_RE = re.compile(r"[0-9٠-٩۰-۹]+(?:[,٬.٫][0-9٠-٩۰-۹]+)*")


@dataclass(frozen=True, slots=True)
class TranslationMatch:
    """``article_id`` renders ``of`` (the likely original) in another language; ``share`` is the ordered overlap."""

    article_id: str
    of: str
    share: float


def _number_key(raw: str) -> str | None:
    """``"n:3000"`` for 3,000 / ٣٬٠٠٠ / 3.000 (thousands groups), ``"n:2.5"`` for a decimal; None for one digit.

    One-digit numbers are dropped: they are as often spelled out in one
    language as written in digits in the other.
    """
    s = fold(raw)
    groups = re.split(r"[,.]", s)
    if len(groups) > 1 and all(len(g) == 3 for g in groups[1:]):
        s = "".join(groups)  # thousands separators, in either convention
    elif len(groups) == 2:
        s = f"{groups[0]}.{groups[1]}"
    else:
        s = groups[0]
    if "." not in s:
        s = s.lstrip("0") or "0"
    return None if len(s) < 2 else "n:" + s


def anchors(article: Article) -> list[str]:
    """The article's resolved entity ids and numbers, in text order (title first, then the text).

    Entities come from the ``entities`` layer (mentions with a ``ref``); a
    run of mentions of one entity counts once, since languages differ in how
    often they repeat a name.
    """
    found: list[tuple[int, str]] = [(s.start, "e:" + s.ref) for s in article.spans("entities") if s.ref]
    found += [(m.start(), key) for m in _NUMBER_RE.finditer(article.text) if (key := _number_key(m.group()))]
    found.sort()
    return _collapse(key for _, key in found)


def _collapse(seq: Iterable[str]) -> list[str]:
    out: list[str] = []
    for key in seq:
        if not out or out[-1] != key:
            out.append(key)
    return out


def compare(a: Sequence[str], b: Sequence[str]) -> tuple[int, float, float]:
    """``(shared, coverage, order)`` of two anchor sequences (see the module docstring).

    ``shared``: distinct anchors in both; ``coverage``: ``shared`` over the
    distinct anchors of the side with fewer; ``order``: :func:`ordered_share`
    of the two sequences reduced to the shared anchors.
    """
    sa, sb = set(a), set(b)
    both = sa & sb
    if not both:
        return 0, 0.0, 0.0
    ra = _collapse(k for k in a if k in both)
    rb = _collapse(k for k in b if k in both)
    return len(both), len(both) / min(len(sa), len(sb)), ordered_share(ra, rb)


def ordered_share(a: Sequence[str], b: Sequence[str]) -> float:
    """Longest common subsequence of ``a`` and ``b`` over the shorter length (0 when either is empty)."""
    if not a or not b:
        return 0.0
    prev = [0] * (len(b) + 1)
    for x in a:
        cur = [0]
        for j, y in enumerate(b):
            cur.append(prev[j] + 1 if x == y else max(prev[j + 1], cur[j]))
        prev = cur
    return prev[-1] / min(len(a), len(b))


class TranslationFinder:
    """Finds, for a new article, a member of its story that it translates or that translates it.

    Settings (``[translations]``): ``min_shared``, ``min_coverage``,
    ``min_order_share``, ``max_candidates`` (story members compared, most recent first).
    """

    def __init__(self, settings: dict[str, Any] | None = None) -> None:
        cfg = section_with_defaults("translations", settings)
        self.enabled = bool(cfg["enabled"])
        self.min_shared = int(check_range("translations.min_shared", cfg["min_shared"], 2, 1000))
        self.min_coverage = check_range("translations.min_coverage", float(cfg["min_coverage"]), 0.0, 1.0)
        self.min_order_share = check_range("translations.min_order_share", float(cfg["min_order_share"]), 0.0, 1.0)
        self.max_candidates = int(check_range("translations.max_candidates", cfg["max_candidates"], 1, 100_000))

    def match(self, article: Article, members: Iterable[Article]) -> TranslationMatch | None:
        """The best translation partner of ``article`` among ``members`` (its story, itself excluded), or None.

        Only members in another known language count. ``article`` is the copy
        unless the partner was published later (then the partner is the copy
        and the match says so through ``article_id``).
        """
        if not self.enabled or not article.language:
            return None
        foreign = [m for m in members if m.id != article.id and m.language and m.language != article.language
                   and not m.duplicate_of]
        if not foreign:  # the common case, a story in one language: no anchors computed
            return None
        mine = anchors(article)
        if len(set(mine)) < self.min_shared:
            return None
        best: tuple[float, Article] | None = None
        for other in foreign[-self.max_candidates:]:
            shared, coverage, order = compare(mine, anchors(other))
            if shared < self.min_shared or coverage < self.min_coverage or order < self.min_order_share:
                continue
            if best is None or order > best[0]:
                best = (order, other)
        if best is None:
            return None
        share, other = best
        if other.published and article.published and other.published > article.published:
            return TranslationMatch(other.id, article.id, round(share, 4))
        return TranslationMatch(article.id, other.id, round(share, 4))
