"""Topical tokens of claim statements: the words two statements are compared on.

A word's token is a pure function of the written word: folded, clitic-stripped
(an ال written with a hamza is the word's own: إلغاء), its dictionary lemma where
simplemma lists it (:func:`khabar.lemmas.dictionary_lemma`: الأطباء / طبيب), lightly
stemmed, a synonym's head, and the root of a verb or verbal noun of a common
pattern (ستقفل / إقفال). Words of an entity mention become the entity's id
(:func:`topical_tokens`). Function words and claim talk ("reports", "false") are
no token. :func:`surface_token` is the same without the root step: what a
negation in news is compared on (:mod:`khabar.denials`).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable

from khabar.arabic import fold, match_key, strip_clitics, words
from khabar.concepts import (
    ConceptFileError,
    ConceptGroup,
    bundled_concepts,
    read_concepts,
)
from khabar.lemmas import dictionary_lemma
from khabar.model import POST_MAX_CHARS, Article
from khabar.spoken import written
from khabar.stance import NEGATIONS

# Function words and claim-talk
# nothing about which proposition a statement is about. Folded, clitic-stripped.
STOP = frozenset(
    match_key(
        "في من على الى عن مع ان إن انه إنه انها كان كانت كانا كانوا يكون تكون تكن هذا هذه ذلك تلك التي الذي الذين ما لا لم لن قد "
        "كل أي بين بينهما بينهم إجراء بعد قبل عند منذ حول خلال او أو ثم هو هي هم كما لكن اذا إذا لو عبر امس اليوم هناك هنا ايضا "
        "جدا تماما تماماً فقط غير صحيح صحيحة صحة عاجل خبر شائعة شائعات إشاعة يتداول متداول تداول لما كاذب كاذبة كاذبه معلومات المعلومات مزاعم المزاعم تقرير التقرير "
        "تقارير تقريرا الصحيفة صحيفة انباء الأنباء نشر نشرت قال وقال اكد نفى شيء أمور أخرى آخر "
        "أساس له لها عار عارية مزيف مزيفة ملفق ملفقة مفبرك مفبركة افتراء محض زائفة زائف ننفي مزور مزورة مختلق "
        "مختلقة يمت الحقيقة مجرد مغرضة مغلوطة مغلوط مضلل مضللة يشاع تداوله المتداول المتداولة يتم تم يجري وما "
        "حتى وهو وهي سيتم ستتم تمت هل بأن نفيدكم بشكل أمام يتعلق تتعلق نرجو يرجى زال تزال يزال مازال مازالت لأي بأي "
        "لهذا لهذه بهذا بهذه إنا وإنا إليه راجعون نهيب يهيب تهيب استقاء قنوات قنواتنا الرسمية الرسمي رسمية "
        # spoken-register particles of posts ("يا جماعة سمعت إنهم راح يقطعون ..."); not مش / مو, which negate
        "يا جماعة سمعت سمعنا يقولون يقولوا إنهم انهم إنو انو اللي الي راح رح حيكون هيك هيدا هاد هذي ترى عم"
    ).split()
) | NEGATIONS
# Words that name one thing ("بعد مغادرته منصبه" / "بعد ترك منصبه", "الباسبور" / "جواز السفر"): the
# concept table (:mod:`khabar.concepts`, ``data/concepts.txt`` and a user's file) makes each group one
# token, its head. Kept narrow: a word as frequent as "اتصال" would become a story-wide protagonist token
# and stop linking anything. Roots of one act: "لا صحة لإقفال المصارف" / "البنوك رح تسكر" (يغلق).
_ROOT_SYNONYMS = {"قفل": "غلق", "منع": "حظر"}  # "تمنع الموتوسيكلات" / "لا نية لحظر الدراجات النارية"
_SYNONYMS: dict[str, str] = {}
_SYNONYM_HEADS: frozenset[str] = frozenset()
_CONCEPTS_PATH: str | None = None  # the user file in use ("" or None: the bundled table alone)
_ON_CONCEPTS_CHANGE: list[Callable[[], None]] = []  # caches of other modules that hold tokens (on_concepts_change)
_SUFFIXES_LONG = ("ات", "ون", "ين", "ها", "هم", "ان")
_SUFFIXES_SHORT = ("ه", "ا", "ي")


def light_stem(tok: str) -> str:
    """A light suffix trim so plural and construct forms meet (اتصالات -> اتصال); expects a match_key word."""
    if len(tok) > 4:
        for s in _SUFFIXES_LONG:
            if tok.endswith(s):
                return tok[: -len(s)]
    if len(tok) > 3:
        for s in _SUFFIXES_SHORT:
            if tok.endswith(s):
                return tok[:-1]
    return tok


def topical_tokens(article: Article, start: int, end: int) -> frozenset[str]:
    """Topical tokens of ``article.text[start:end]``; words in an entity mention with a ``ref`` become ``@ref``."""
    return spans_tokens(article, start, end, [(s + start, e + start) for s, e in words(article.text[start:end])])


def spans_tokens(article: Article, start: int, end: int, spans: list[tuple[int, int]]) -> frozenset[str]:
    """Tokens of the words at ``spans`` (article offsets) inside ``article.text[start:end]``: a word's
    :func:`word_token`, or ``@ref`` when it lies in an entity mention with a ``ref``."""
    if not spans:
        return frozenset()
    ents = [e for e in article.spans("entities") if e.ref and e.start < end and start < e.end]
    # In a post a mention's words count too: the tagger, trained on news, bounds a name in a post otherwise than
    # in its reply ("أحمد سمير اتقطع في الرباط الصليبي" / "أحمد سمير ... في الرباط الصليبي": two entities each)
    post = len(article.text) <= POST_MAX_CHARS
    out: set[str] = set()
    for s, e in spans:
        ent = next((x for x in ents if x.start <= s and e <= x.end), None)
        if ent is not None:
            out.add("@" + str(ent.ref))
        if (ent is None or post) and (tok := word_token(article.text[s:e])) is not None:
            out.add(tok)
    return frozenset(out)


@functools.lru_cache(maxsize=1 << 17)
def word_token(word: str) -> str | None:
    """The topical token of one word outside entity mentions, None for a stop word; cached by word form.

    A pure function of the written word (its dictionary lemma, :func:`khabar.lemmas.dictionary_lemma`,
    where simplemma lists it, so الأطباء and طبيب meet; fold, clitics, light stem, synonyms; the
    root of a verb or verbal noun, :func:`_verb_noun_root`): the same words recur across a story's
    statements, and every member's tokens are computed again on the story's first regroup in each run.
    """
    return _token(word, roots=True)


@functools.lru_cache(maxsize=1 << 16)
def surface_token(word: str) -> str | None:
    """:func:`word_token` without the root step: what a negation in news is compared on (:func:`_negates`)."""
    return _token(word, roots=False)


def act_token(word: str) -> str | None:
    """The verb root or synonym head claims read ``word`` as, None when it is only the stemmed word.

    What a post's story terms add (:func:`khabar.stories.terms_of`): "تغلق المساجد" and
    "لا صحة لإغلاقها" share غلق, "اختفاء طائرة" and "فقدان أي طائرة" share فقد; the
    light stems are left out: a term per word more only dilutes the cosine of two posts.
    """
    tok = word_token(word)
    return tok if tok is not None and (tok != surface_token(word) or tok in _SYNONYM_HEADS) else None


def _token(word: str, *, roots: bool) -> str | None:
    word = written(word)  # spoken Arabic as written: بكرا -> غدا، هيقطع -> يقطع (:mod:`khabar.spoken`)
    if not word:
        return None
    if (hamza := _IMPERFECT_HAMZA_RE.match(word)) is not None:  # ستؤجل، يؤكد: the root's أ (تأجيل، تأكيد)
        word = word[: hamza.end() - 1] + "أ" + word[hamza.end() :]
    if (prep := _PREP_BEFORE_HAMZA_RE.match(word)) is not None:
        word = word[prep.end() - 1 :]  # لإغلاقها، بإلغاء: the preposition before a hamza-initial word is not the word's
    own_al = _OWN_AL_RE.match(word)
    if own_al:  # إلغاء، لإلغاء، الإلغاء: the ال is the word's own (the article has no hamza), so it stays
        word = word[own_al.end() - 2 :]
    folded = fold(word)
    bare = _bare_feminine(folded)
    tok = bare if own_al else strip_clitics(bare)
    if tok in STOP or len(tok) < 2 or (tok[0] in "وف" and tok[1:] in STOP):  # ولم, فلا, وتم
        return None
    if tok in _SYNONYMS:  # as written: the dictionary may list it under another notion (توقيف -> أوقف)
        return _SYNONYMS[tok]
    if (m := _PREPOSITION_RE.match(tok)) is not None and len(tok) - m.end() >= 4 and tok[m.end():] in _SYNONYMS:
        return _SYNONYMS[tok[m.end():]]  # بجواز السفر: strip_clitics keeps a bare ب / ل / ك (بيت, لبنان, كتاب)
    lem = dictionary_lemma(word)  # a plural meets its singular: الأطباء / طبيب, أسعار / سعر
    if lem is not None:
        lem = fold(lem) if own_al else strip_clitics(fold(lem))
        if lem not in STOP and len(lem) >= 2:
            tok = lem
    if tok in _SYNONYMS:
        return _SYNONYMS[tok]
    if len(tok) >= 5 and tok[0] in "يتن" and tok.endswith("وا"):
        tok = tok[:-2]  # the plural of a subjunctive or spoken imperfect: يقطعوا -> يقطع
    elif len(tok) >= 6 and tok[0] == "ا" and tok.endswith("وا"):
        tok = tok[:-2]  # the plural past of a derived form: انفصلوا -> انفصل (/ انفصال), اعتقلوا -> اعتقل
    # a feminine noun is no verb: نسبة، نهاية are not ن + سبه، ن + هاي; nor is one with a pronoun (حكومته)
    noun = word.endswith("ة") or bare != folded and bare.endswith("ه")
    root = _verb_noun_root(tok) if roots and not noun else None
    if root is None:
        tok = light_stem(tok)
        root = _SYNONYMS.get(tok) or (_verb_noun_root(tok) if roots and not noun else None)
    tok = root if root and root not in STOP else tok  # تغيير stays: غير is a stop word
    tok = _ROOT_SYNONYMS.get(tok, tok)
    return None if tok in STOP else tok


# A word written with أل / إل has its own ال (ألغى، إلغاء، ألف): the article is never written with a hamza.
_PREPOSITION_RE = re.compile(r"^[وف]?[بلك]")
_OWN_AL_RE = re.compile(r"^[وفبلك]{0,2}(?:ال)?[أإ]ل")
_PREP_BEFORE_HAMZA_RE = re.compile(r"^[وف]?[لبك][أإ]")
_IMPERFECT_HAMZA_RE = re.compile(r"^[وف]?س?[يتن]ؤ")
_WEAK_LAST = frozenset("ءاوىي")


def _verb_noun_root(tok: str) -> str | None:
    """The three root letters of a verb or verbal noun of a common pattern, None for any other word.

    A rumour says what will happen with a verb ("ستقفل الفروع"، "ستلغي الدعم") and the
    denial names it with the verbal noun ("لا صحة لإقفال الفروع"، "إلغاء الدعم غير
    مطروح"); simplemma's dictionary lists the two under different lemmas, or not at
    all. Patterns, on a folded word without clitics: the future س before an imperfect
    prefix; the imperfect prefix before a form V ت (تتوقف); forms VII and VIII (انسحاب / ينسحب،
    ارتفاع / يرتفع); four letters after ي ت ن (imperfect) or ا (form IV past: ألغى);
    إفعال (إقفال، إلغاء; إيقاف -> وقف; also the plural أفعال: أسعار -> سعر); تفعيل (تسريح، تأجيل); فعول
    (سقوط / يسقط، دخول / يدخل; also the plural فعول: رسوم -> رسم).
    A weak last letter (ء ا و ى ي) is written ي: ألغى، تلغي and إلغاء meet. Two
    nouns of one root meet too (إعلام، تعليم): the cost, within one story's claims.
    """
    if len(tok) >= 5 and tok[0] == "س" and tok[1] in "يتن":
        tok = tok[1:]
    if len(tok) == 5 and tok[0] in "يتن" and tok[1] == "ت":  # form V: تتوقف -> توقف, then as four letters
        tok = tok[1:]
    if len(tok) == 4 and tok[0] in "يتنا":
        core = tok[1:]
    elif len(tok) == 6 and tok[0] == "ا" and tok[4] == "ا" and (tok[2] == "ت" or tok[1] == "ن"):
        # forms VIII and VII: ارتفاع، اعتزال، انتشار -> رفع، عزل، نشر; انسحاب -> سحب
        core = tok[1] + tok[3] + tok[5] if tok[2] == "ت" else tok[2:4] + tok[5]
    elif len(tok) == 5 and tok[0] == "ت" and tok[3] == "ي":  # تفعيل before form VII: تنظيم -> نظم, not ت + ن
        core = tok[1:3] + tok[4]
    elif len(tok) == 5 and tok[0] in "يتن" and (tok[2] == "ت" or tok[1] == "ن" and tok[2] not in "اوي"):
        core = tok[1] + tok[3:] if tok[2] == "ت" else tok[2:]  # يرتفع -> رفع, ينسحب -> سحب
    elif len(tok) == 5 and tok[3] == ("ا" if tok[0] == "ا" else "ي") and tok[0] in "ات":
        core = tok[1:3] + tok[4]
        if tok[:2] == "اي":  # إيقاف، إيضاح: the root's و (يوقف، يوضح)
            core = "و" + core[1:]
    elif len(tok) == 5 and tok[0] == "ا" and (tok[2] == "ت" or tok[1] == "ن"):
        core = tok[1] + tok[3:] if tok[2] == "ت" else tok[2:]  # past of VIII and VII: ارتفع -> رفع, انسحب -> سحب
    elif len(tok) == 4 and tok[2] == "و" and tok[1] not in "اوي":
        core = tok[:2] + tok[3]  # فعول: سقوط / يسقط، دخول / يدخل، رسوم / رسم
    else:
        return None
    return core[:-1] + "ي" if core[-1] in _WEAK_LAST else core


_PRONOUNS_AFTER_T = ("تهما", "تهم", "تها", "ته")


def _bare_feminine(folded: str) -> str:
    """A noun in ة with a pronoun written as its bare form: حكومته -> حكومه, وفاتها -> وفاه, تصريحاته -> تصريحات.

    The pronoun turns ة into ت, so "زيارته" and "زيارة" would give different
    tokens and a denial ("ما يتم تداوله عن وفاته") would miss the rumour
    ("وفاة ..."). A stem of fewer than 3 letters before the ت is left alone
    (بيته, صوته); a root ت then lost (سكوته) is the accepted cost. (Whether an
    initial و is the word's own is :func:`khabar.arabic.strip_clitics`' call.)
    """
    for suffix in _PRONOUNS_AFTER_T:
        if folded.endswith(suffix):
            base = folded[: -len(suffix)]
            if base.endswith("ا") and len(base) >= 4:
                return base + "ت"  # a plural in ات: تصريحاته -> تصريحات
            return base + "ه" if len(base) >= 3 else folded
    return folded


def tokens_of(text: str) -> frozenset[str]:
    """Tokens of the space-separated words of ``text`` (word lists: the change words, the harm words)."""
    return frozenset(t for w in text.split() if (t := word_token(w)) is not None)


_PLURAL_ENDINGS = ("ات", "ون", "وا")


def concept_keys(word: str) -> frozenset[str]:
    """The forms :func:`_token` looks ``word`` up by in the concept table: folded, clitics stripped, light-stemmed."""
    keys = set()
    for w in {word, written(word) or word}:  # _token reads the spoken word as written first (بكرا -> غدا)
        k1 = strip_clitics(_bare_feminine(fold(w)))
        keys.add(k1)
        if k1.endswith(_PLURAL_ENDINGS) and len(stem := light_stem(k1)) >= 4:
            keys.add(stem)  # _token looks a plural or verb up by its light stem too; a singular's stem is
            # another word's (تذكرة -> تذكر "remember", سيارة -> سيار, بنزين -> بنز "Benz")
    return frozenset(k for k in keys if len(k) >= 2)


def concept_table(groups: list[ConceptGroup]) -> dict[str, str]:
    """Key -> head of ``groups``; a key under two heads is a :class:`ConceptFileError` naming both lines."""
    table: dict[str, str] = {}
    where: dict[str, str] = {}
    for g in groups:
        head = strip_clitics(_bare_feminine(fold(g.head)))
        for w in g.words:
            for k in concept_keys(w):
                if table.get(k, head) != head:
                    raise ConceptFileError(f"{g.source}: {w!r} reads as {k!r}, already under {table[k]!r} ({where[k]})")
                table[k], where[k] = head, g.source
    return table


def on_concepts_change(clear: Callable[[], None]) -> None:
    """Have :func:`use_concepts` call ``clear`` when the table changes: for a cache of another module holding tokens."""
    _ON_CONCEPTS_CHANGE.append(clear)


def use_concepts(path: str | None = None) -> None:
    """Read tokens through the bundled concept table and the user's file at ``path`` (None or "": none).

    Called at the start of every analysis with ``[claims] concepts_path``; a change of table
    clears the token caches here and those registered with :func:`on_concepts_change`.
    """
    global _SYNONYMS, _SYNONYM_HEADS, _CONCEPTS_PATH
    path = str(path or "").strip() or None
    if path == _CONCEPTS_PATH and _SYNONYMS:
        return
    groups = bundled_concepts() + (read_concepts(path) if path else [])
    _SYNONYMS = concept_table(groups)
    _SYNONYM_HEADS = frozenset(_SYNONYMS.values()) | frozenset(_ROOT_SYNONYMS.values())
    _CONCEPTS_PATH = path
    word_token.cache_clear()
    surface_token.cache_clear()
    for clear in _ON_CONCEPTS_CHANGE:
        clear()


use_concepts()
