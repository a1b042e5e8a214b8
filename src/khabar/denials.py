"""Readings of denial in claim statements: negation of a shared word, "no change", "alive and well".

A statement denies another when it negates a word the other asserts ("ولا
تأجيل" / "تأجيل الامتحانات"), or says no change where the other reports one
("لم يطرأ أي تغيير على الرسوم" / "رفع الرسوم"). A reply (:func:`is_reply`: a
short statement in a post-length text) is read more loosely, as posts answer
each other in few words: "normal", "continues", "in force" say no change, also
to a measure (منع، إيقاف); "alive and well" answers a death; a negation reaches
past "no decision to" and "no case recorded of", and a later, lower figure
corrects a rumour's. In news the same words are mostly about something else: a
negation counts only when most of the negating statement's words are the
other's, and only on a word written the same way
(:func:`khabar.claim_tokens.surface_token`), not on a shared root.
The statements are those :func:`khabar.claims.group_claims` compares (``Statement``: what is read of them).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from typing import Protocol

from khabar.arabic import fold, words
from khabar.claim_tokens import (
    on_concepts_change,
    spans_tokens,
    surface_token,
    tokens_of,
    word_token,
)
from khabar.cues import STATEMENT_NEGATORS
from khabar.model import POST_MAX_CHARS, Article
from khabar.spoken import NEGATORS as SPOKEN_NEGATORS


class Statement(Protocol):
    """What the readings need of a claim statement (:class:`khabar.claims._Statement`)."""

    article: Article
    start: int
    end: int
    stance: str
    tokens: frozenset[str]
    aliases: Mapping[str, str]  # a plain token an entity's mention elsewhere makes its @ref

    @property
    def text(self) -> str: ...

    @property
    def reply(self) -> bool: ...


REPLY_MAX_TOKENS = 20
# A post (no title) may answer at more length: an official account's statement of two or three sentences ("وزارة
# الكهرباء: الأنباء ... غير صحيحة، وما حصل هو خروج محطة تحويلية واحدة ..."). A titled brief that long is news.
POST_REPLY_MAX_TOKENS = 32


def is_reply(text_chars: int, n_tokens: int, titled: bool = False) -> bool:
    """Whether a statement of ``n_tokens`` topical tokens in a text of ``text_chars`` characters is a reply:
    a post or a headline alone, answering in few words (a post without a title in up to
    :data:`POST_REPLY_MAX_TOKENS`)."""
    return text_chars <= POST_MAX_CHARS and n_tokens <= (REPLY_MAX_TOKENS if titled else POST_REPLY_MAX_TOKENS)


_NEGATORS = frozenset(fold(w) for w in STATEMENT_NEGATORS) | SPOKEN_NEGATORS  # "مش صحيح"، "مفيش قرار"
# Spoken "there is no", in two words: "ما في أي تعديل على سعر ربطة الخبز" (one word, مافي, is a negator already)
_FI = frozenset(fold(w) for w in "في فيه فيش كاين كاينش فماش ثماش".split())  # Maghrebi "ما كاين"، Tunisian "ما فماش"
_MA_FI_RE = re.compile(r"(?<!\w)[وف]?ما (?:" + "|".join(sorted(_FI)) + r")(?!\w)")
_NEGATION_FILLERS = frozenset(fold(w) for w in "يتم تم يجر يجري يكن تكن يكون تكون يوجد توجد هناك أي أية".split()) \
    | frozenset(fold(w) for w in  # an intention negated is the act's negation: "لا يخطط لزيارة تركيا"، "لا تفكر في بيعه"
                "يخطط تخطط نخطط ينوي تنوي ننوي يعتزم تعتزم نعتزم يفكر تفكر نفكر يعتزمون ينوون يخططون في".split()) \
    | _FI | frozenset({fold("حتى")})  # "ما فماش حتى زيادة": spoken "there is not even"
# In a reply, "لا قرار برفع"، "لا نية لإلغاء": no decision, plan, forecast, notice or statement of it negates the
# doing ("لم يتم اتخاذ أي قرار بشأن الحد الأدنى"، "لا توقعات بتساقط ثلوج"، "لم يصدر أي تعميم بتعطيله"، "لم نتلق أي
# إشعار بتعليقها"، "لا خطط لإغلاقه"، "لم يدل بأي تصريح عن"، "لم يتم تحديد أعداد الحجاج"، "لا يوجد أي خطر تسونامي")
_REPLY_FILLERS = frozenset(fold(w) for w in "قرار نية خطة توجه اتجاه يتعرض تتعرض لأي بأي اتخاذ بشأن بخصوص توقعات "
                                             "توقع يصدر تصدر صدر تعميم تعليمات نتلق نتلقى يتلق تتلق إشعار إخطار خطط "
                                             "يدل تدل تصريح تصريحات عن تحديد يحدد تحدد خطر احتمال احتمالية إعلان بيان "
                                             # a qualifier after a record ("لم تسجل أي حالة مؤكدة بالحمى النزفية")
                                             "مؤكد مؤكدة جديد جديدة رسمي رسمية إضافي إضافية فعلي فعلية "
                                             # "لم يتقدم بأي استقالة"، "لم يقدم أي طلب": what was not submitted
                                             "يتقدم تتقدم يقدم تقدم "
                                             # "لا توجد أي جداول قطع مبرمجة": no schedule of cuts, no cut
                                             "جداول جدول برنامج برامج".split())
# "was not subjected to": what did not happen is the ل-word after the subject ("لم يتعرض أي حساب لاختراق")
_EXPOSED = frozenset(fold(w) for w in "يتعرض تتعرض".split())
# "no case recorded": what is negated is the case, not the recording ("لم يتم تسجيل أي وفيات"، "دون وقوع إصابات",
# "لم يحدث أي تسرب"، "لم يتم العثور على أي جثة")
_RECORD_FILLERS = frozenset(fold(w) for w in "تسجيل رصد وقوع حدوث وجود اعتماد إقرار إصدار العثور على".split())
_RECORD_TOKENS = frozenset(t for w in "تسجيل سجل رصد وقوع حدوث وجود اعتماد إقرار إصدار عملية حالة حالات يحدث يقع".split()
                           if (t := word_token(w)) is not None)
_CASE_TOKENS = frozenset(t for w in "إصابة إصابات حالة حالات".split() if (t := word_token(w)) is not None)
_WITHOUT = frozenset(fold(w) for w in "دون بدون".split())
_OR = frozenset(fold(w) for w in "أو او ولا".split())


# A reply whose first words negate ("لا تغيير"، "ما في أي تعديل"، "لم يطرأ أي تعديل").
_OPENS_NEGATED_RE = re.compile(r"\W*(?:\S+\s+){0,2}?[وف]?(?:لا|لم|لن|ليس|مافي|مفيش|ماكو|ما في|ما فيه|ما فيش)\s")


def _whole_word_re(words_: frozenset[str]) -> re.Pattern[str]:
    """One of ``words_`` as a whole word, with or without و / ف: the scan's own test, on a folded statement."""
    return re.compile(r"(?<!\w)[وف]?(?:" + "|".join(sorted(map(re.escape, words_), key=len, reverse=True)) + r")(?!\w)")


# The quick check before the scan: a negator (in a reply also دون / بدون) anywhere in the statement
_NEGATOR_RE, _ANY_NEGATOR_RE = _whole_word_re(_NEGATORS), _whole_word_re(_NEGATORS | _WITHOUT)


def negated_tokens(st: Statement) -> frozenset[str]:
    """Topical tokens of the words a negator governs (:func:`_negated_spans`): a word's :func:`word_token`, or
    ``@ref`` inside an entity mention ("لم تسجل أي إصابة بالكوليرا": the disease is an entity)."""
    # most statements have no negation: spans_tokens then skips the article's entities
    toks = spans_tokens(st.article, st.start, st.end, [(a + st.start, b + st.start) for a, b in _negated_spans(st)])
    return frozenset(st.aliases.get(t, t) for t in toks) & st.tokens


def _negated_words(st: Statement) -> list[str]:
    """The written words of :func:`_negated_spans`."""
    text = st.article.text[st.start : st.end]
    return [text[a:b] for a, b in _negated_spans(st)]


def _negated_spans(st: Statement) -> list[tuple[int, int]]:
    """The written words a negator governs ("ولا تأجيل", "لم يتم تأجيل", "عدم وجود"); in a
    reply (:attr:`Statement.reply`) also past a plan or a record ("لا قرار برفع"، "لم يتم تسجيل أي
    إصابة"), and after "دون" ("دون إصابات"، "دون تسجيل أي وفيات")."""
    text = st.article.text[st.start : st.end]
    reply = st.reply
    folded = fold(text)
    if not (_ANY_NEGATOR_RE if reply else _NEGATOR_RE).search(folded) and not _MA_FI_RE.search(folded):
        return []  # most statements negate nothing: no word-by-word scan (a big story asks this of thousands)
    spans = words(text)
    raw = [text[a:b] for a, b in spans]
    ws = [fold(w) for w in raw]
    out: list[tuple[int, int]] = []  # offsets into the statement
    for k, w in enumerate(ws):
        bare = w[1:] if len(w) > 2 and w[0] in "وف" else w
        if w not in _NEGATORS and bare not in _NEGATORS and not (reply and (w in _WITHOUT or bare in _WITHOUT)) \
                and not (bare == "ما" and k + 1 < len(ws) and ws[k + 1] in _FI):
            continue  # in a reply "دون" negates too: "دون إصابات"، "دون تسجيل أي وفيات"; spoken "ما في" is "مافي"
        stop = k + 7 if reply else k + 4  # a reply: "لم يتم اتخاذ أي قرار بشأن الحد الأدنى"
        for m, (nxt, nxt_raw) in enumerate(zip(ws[k + 1 : stop], raw[k + 1 : stop]), start=k + 1):
            if nxt in _NEGATION_FILLERS or reply and (
                    nxt in _REPLY_FILLERS or nxt in _RECORD_FILLERS or word_token(nxt_raw) in _RECORD_TOKENS):
                continue
            tok = word_token(nxt_raw)  # the written word: its dictionary lemma is looked up as written
            if tok is None:
                if reply:
                    continue  # "وليس يوم 10": a reply's negation reaches past a word that names nothing
                break
            out.append(spans[m])
            if reply and any(x in _EXPOSED for x in ws[k + 1 : m]):
                # "لم يتعرض أي حساب لاختراق": what did not happen is the ل-word after the subject
                out += [spans[n] for n in range(m + 1, min(m + 3, len(ws)))
                        if ws[n][0] == "ل" and word_token(raw[n]) is not None][:1]
            elif reply and tok in _CASE_TOKENS and m + 1 < len(ws) and ws[m + 1][0] == "ب":
                out.append(spans[m + 1])  # "لم تسجل أي إصابة بالكوليرا": no case of the disease
            n = m + 1
            while n + 1 < len(ws) and ws[n] in _OR and word_token(raw[n + 1]) is not None:
                out.append(spans[n + 1])  # "لم يحدث أي اختراق أو تسريب"، "لا رسوم ولا ضرائب": each is negated
                n += 2
            break
    return out


# Words of a change in amount or state ("ارتفاع سعر الخبز"، "رفع الأسعار"، "تعديل الرسوم"), and words
# that say the thing stayed as it was ("السعر ثابت"): "لم يتغير السعر" or "ثابت" answers any change.
_CHANGE_TOKENS = tokens_of(
    "تغير يتغير تتغير تغيرت تغيير ارتفاع ارتفع ترتفع يرتفع ارتفعت زيادة زاد يزيد تزيد رفع يرفع ترفع انخفاض انخفض "
    "ينخفض تنخفض خفض يخفض تخفض تخفيض تعديل يطرأ تطرأ خفضت زادت"
)
# Past forms whose token is not their verbal noun's ("ألغت" -> لغت, "إلغاء" -> لغي): "الإمارات ألغت تأشيرة الزيارة"
_PAST_MEASURES = "ألغت ألغيت أوقفت أغلقت منعت علقت عطلت تأجلت"
# A measure ("منع دخول المقيمين"، "إيقاف التجديد") is answered by "no change" too ("لا تغيير على إجراءات
# الدخول"), but a negated measure denies only that measure, not any change.
_MEASURE_TOKENS = tokens_of(
    "منع يمنع تمنع حظر يحظر فرض يفرض تفرض إيقاف يوقف توقف تعليق يعلق تعلق إغلاق يغلق تغلق إلغاء يلغي تلغي "
    "تعطيل يعطل تعطل تأجيل يؤجل تؤجل سحب يسحب تسحب نقل ينقل تنقل إفلاس أفلس يفلس إعفاء يعفي أعفى إقالة يقيل أقال "
    "تأخير تأخر يتأخر تتأخر بيع يبيع باع"  # "تأخير الرواتب" / "الصرف وفق التوقيتات المعتادة"؛ "بيع اللاعب" / "مستمر معنا"
    " استقالة استقالته استقال يستقيل"  # "الوزير قدم استقالته" / "الوزير يباشر مهامه بشكل اعتيادي"
    " اعتقال اعتقل اعتقلوا توقيف احتجاز احتجز"  # "اعتقال المحافظ" / "المحافظ يمارس مهامه بشكل طبيعي"
    " تجميد يجمد جمدت"  # "تجميد سحب الودائع" / "عمليات السحب تتم بشكل طبيعي"
    " ينقص تنقص إنقاص نقصان"  # "الصندوق غادي ينقص 20% من المعاشات" / "بنفس المبالغ المعتادة"
    # a state of closure ("المحطات مقفلة"، "المعبر مسكّر") / "تعمل بشكل طبيعي"; not مسكرة, read as سكر (sugar)
    " مغلق مغلقة مقفل مقفلة مقفول مسكر معطل معطلة متوقف متوقفة"
    " " + _PAST_MEASURES
) - _CHANGE_TOKENS - tokens_of("فلس")  # إفلاس's token is فلس's, the fils of a price ("940 فلسا للتر")
_STEADY_TOKENS = tokens_of("ثابت ثابتة ثابتا مستقر مستقرة")
# A reply opening with the change it announces ("تعديل سعر لتر البنزين ..."، "رفع الرسوم ..."): its "no change" is
# about the rest ("لم يطرأ أي تعديل" opens with the negation)
_ANNOUNCED_CHANGE_RE = re.compile(fold(r"\s*(?:تعديل|رفع|زيادة|خفض|تخفيض|تقرر) "))
# "في حال وجود أي ...": a change named only as a possibility (:data:`_REPLY_STEADY_RE`, :data:`_HYPOTHETICAL_RE`)
_IF_ANY = r"\b(?:في حال|حال) (?:وجود |صدور |حدوث )?(?:أي|اي|أية) "
# In a reply, "normal", "as usual", "continues", "in force" say no change too ("منسوب النيل طبيعي"، "التجديد مستمر")
_REPLY_STEADY_TOKENS = (tokens_of(
    "طبيعي طبيعية طبيعيا كالمعتاد معتاد اعتيادي عادي مستمر مستمرة مستمرا ساري سارية يبقى تبقى "
    "ستظل سيظل تظل يظل متواصل متواصلة متواصلا مفتوح مفتوحة مفتوحا منتظم منتظمة منتظما "
    "يواصل يباشر تباشر تثبيت استمرار يستمر تستمر") | _STEADY_TOKENS  # "المعبر مفتوح"، "الصادرات متواصلة"، "تقرر تثبيت سعر البنزين";
    # not يمارس: its token is مارس (March)
) - tokens_of("العيد نظمت")  # اعتيادي's token is العيد's (Eid), منتظم's is نظمت's: read as words (_REPLY_STEADY_RE)
# ... and so do these phrases ("باق دون تغيير")
_REPLY_STEADY_RE = re.compile(fold(
    r"(?:دون|بدون|من غير) (?:أي )?(?:تغيير|تعديل)"
    r"|(?:يعمل|تعمل|تعملان|يعملان|تعمل) (?:بكفاءة|بانتظام|كالمعتاد|بشكل (?:طبيعي|اعتيادي|عادي)|بصورة (?:طبيعية|اعتيادية)"
    r"|بكامل طاقت(?:ه|ها))"
    # "عودة التيار الكهربائي إلى جميع المناطق": a service restored answers its cut
    r"|\b(?:عودة|عاد|عادت) (?:التيار|الكهرباء|الخدمة|الخدمات|المياه|الإنترنت|الانترنت|البث|الاتصالات)\b"
    # "الامتحانات قائمة في موعدها"، "الإجازة قائمة كما هو معلن": it stands, as announced
    r"|\bقائمة?\b|في موعد(?:ه|ها|هما|هم)?\b|(?:كما|كيما|كيف ما) (?:هو|هي) (?:معلن|مقرر|مبرمج|مبرمجة)"
    r"|\bعلى (?:حاله|حالها|حالو|حالهم)\b"  # "سعر ربطة الخبز على حالو"
    r"|\b(?:ب|ك)?(?:ال)?(?:اعتيادي|اعتيادية|اعتياديا|منتظم|منتظمة|منتظما|بانتظام)\b"
    # "تتم بشكل طبيعي"، "تسير بصفة عادية"، "تجري بصورة اعتيادية": in a reply, whatever goes on so, goes on
    r"|\b(?:بشكل|بصورة|بصفة) (?:طبيعي|طبيعية|عادي|عادية|اعتيادي|اعتيادية|منتظم|منتظمة)\b"
    r"|في (?:التواريخ|المواعيد|الموعد|التاريخ) (?:المحدد|المقرر)"  # "ستجرى في التواريخ المحددة سلفا"
    r"|\bفي وقت(?:ه|ها|هم|و)\b"  # "الباك في وقتو": on time
    # "... وفي حال وجود أي تعليق سيتم الإعلان عنه": things are as they are; a change would be announced
    r"|" + _IF_ANY + r"\w+[^.؟!]{0,40}?\b(?:سيتم|سوف يتم|سيعلن|ستعلن|يعلن|يتم) "
    r"(?:الإعلان|الاعلان|إعلانه|اعلانه|إعلانها|اعلانها)"
    # a place at work answers its closure: "استقبل مطار بورتسودان اليوم 14 رحلة"، "يستقبل قسم الطوارئ المراجعين على
    # مدار 24 ساعة"، "الحركة تسير بانسيابية"
    r"|\b(?:يستقبل|تستقبل|استقبل|استقبلت)\b[^.،؛]{0,50}?\b(?:ال)?(?:مراجعين|مسافرين|مرضى|زوار|رحلات|رحلة|طلاب|طالبات"
    r"|زبائن|عملاء|مصلين|قادمين|مغادرين)\b"
    r"|\bبانسيابية\b|على مدار (?:الساعة|24 ساعة)"
    # "باقية كما هي" (باق is no token: باقات, bundles, reads the same)
    r"|\bباق(?:ية|ي)? (?:كما (?:هي|هو)|كيف ما (?:هي|هو)|كيما (?:هي|هو)|على (?:حاله|حالها))"))
# An outage ("قطع الانترنت يومين") is answered by "works normally" too ("خدمات الإنترنت تعمل بشكل طبيعي").
_OUTAGE_TOKENS = tokens_of("قطع يقطع تقطع قطعت انقطاع ينقطع تنقطع انقطعت انطفاء طافية طافي")
_CHANGED = _CHANGE_TOKENS | _MEASURE_TOKENS | _OUTAGE_TOKENS
# Changes read as words, not tokens: a date brought forward ("تقديم موعد الاختبارات أسبوعين"; تقديم's token قدم is
# also "foot") and a bankruptcy (إفلاس's token is فلس's, the fils of a price).
_CHANGE_PHRASE_RE = re.compile(fold(r"\b(?:تقديم|تبكير|تقريب) (?:موعد|مواعيد|تاريخ|مواعد)"
                                    # a player's transfer ("وقّع للأهلي المصري 3 سنين") / "يواصل تدريباته مع الفريق"
                                    r"|\b(?:وقع|يوقع|توقيع|وقعت) (?:لل|مع |رسميا )"
                                    r"|\b(?:و|ب|ل)?(?:إفلاس|الإفلاس|أفلس|أفلست|يفلس|تفلس|مفلس|مفلسة)\b"))
# What "any decision to ..." names is not asserted: "وأي قرار بتعطيل الدوام يعلن عبر المنصات الرسمية".
_HYPOTHETICAL_RE = re.compile(fold(r"\bو?(?:أي|اي|أية) (?:قرار|قرارات|تعديل|تغيير|إجراء|مستجدات)\s+(?:ب|بشأن |حول |يخص )?(\w+)"
                                   # "وفي حال وجود أي تعليق سيتم الإعلان عنه": a suspension only if there is one
                                   r"|" + _IF_ANY + r"(\w+)"))
_I = r"(?:أنا|انا|إني|اني)"  # the writer answering for themselves ("أنا كويس"، "أنا الآن في منزلي")
# A death or injury is answered by "alive", "well", "unharmed" ("الشيخ على قيد الحياة"، "لم يصب بأذى").
_HARM_TOKENS = tokens_of("وفاة توفي توفيت مات ماتت اتوفى اتوفت مقتل قتل قتلت اغتيال اغتيل مصرع موت إصابة أصيب أصيبت تدهور حرجة غيبوبة "
                          "انهيار انهار يلتهم تلتهم التهم دمار دمر تدمير احترق احتراق صعبة "
                          "اختراق اخترق انسرق انسرقت تهكير انهكر")  # "حريق يلتهم السوق" / "السوق لم يتضرر"؛
# "البنك انسرق" / "الحسابات آمنة وسليمة"
UNHARMED_RE = re.compile(fold(r"على قيد الحياة|\bبخير\b|\bراه(?:و|ي) لاباس\b|صحة جيدة|لم يصب بأذى|لم يصب بأي أذى|لم يتعرض لأي|\bسليمة?\b"
                                # spoken: "أنا كويس"، "عايش"، "حي يرزق"، "بصحة كويسة"
                                r"|\b" + _I + r" (?:كويس|كويسة|منيح|منيحة|تمام|زين|زينة|مليح|مليحة|لاباس)\b"
                                r"|\bعايشة?\b|حي يرزق|بصحة (?:كويسة|طيبة|ممتازة|تمام)"
                                r"|\bآمنة?\b"  # "سد الموصل آمن" / "انهيار سد الموصل"
                                r"|لم (?:يتضرر|تتضرر)"
                                r"|حالت(?:ه|ها) (?:الصحية )?(?:مستقرة|جيدة|مطمئنة)"))  # "حالته الصحية مستقرة" / "وفاة"
# A person said to be arrested answers from home: "أنا الآن في منزلي بين أهلي"، "آني بالبيت".
FREE_RE = re.compile(fold(r"\b" + _I + r" (?:الآن |الان |حاليا |هسه |الحين |هلق )?(?:في |ف|ب|بين |وسط |مع )"
                          r"(?:منزلي|بيتي|البيت|داري|الدار|أهلي|عائلتي|أسرتي|مكتبي)\b"))  # Mauritanian "انا فداري"
# A death told by its formula ("انتقل إلى رحمة الله"، "في ذمة الله"، "وافته المنية"): no harm word, the same news.
_DEATH_RE = re.compile(fold(r"انتقل (?:إلى|الى) (?:رحمة الله|جوار ربه|الرفيق الأعلى)|انتقلت (?:إلى|الى) رحمة الله"
                            r"|في ذمة الله|وافته المنية|وافتها المنية|فارق الحياة|فارقت الحياة|توفاه الله|توفاها الله"))
# A shortage is answered by "available" ("نفاد الأكسجين" / "الأكسجين متوفر").
_SHORTAGE_TOKENS = tokens_of("نفاد نفد ينفد تنفد نقص شح شحة انقطاع انعدام")
_AVAILABLE_TOKENS = tokens_of("متوفر متوفرة متوفرا متوافر متوافرة متاح متاحة")
CHANGE_OR_STEADY = _CHANGED | _REPLY_STEADY_TOKENS | _HARM_TOKENS | _SHORTAGE_TOKENS | _AVAILABLE_TOKENS \
    | tokens_of("قيد الحياة بخير بصحة جيدة يصب بأذى أذى يتعرض")
# Kinds of event a rumour reports and a reply denies. A denial naming an event of one kind ("لا صحة لوجود نقص في
# البنزين") does not answer a statement naming events of other kinds only ("البنزين هيزيد جنيهين"): the ministry
# denies another rumour of the day. "Change" words are no kind: "لا تغيير" answers a rise and a closure alike.
_ACT_KINDS = {
    "stop": "تعليق تعطيل وقف إيقاف توقف إغلاق إقفال منع حظر إلغاء تأجيل تأخير تأخر يتأخر تتأخر تجميد "
            "مغلق مقفل مقفول مسكر معطل متوقف " + _PAST_MEASURES,
    "rise": "رفع زيادة يزيد تزيد زاد ارتفاع غلاء فرض",  # not تحريك: its token is حركة's (traffic)
    "fall": "خفض تخفيض انخفاض خفضت استقطاع اقتطاع",  # a deduction from salaries is no delay of them
    "shortage": "نقص نفاد شح انقطاع قطع انعدام",
    "death": "وفاة توفي موت مات ماتت اتوفى اتوفت مقتل قتل اغتيال",
    "arrest": "اعتقال قبض توقيف احتجاز سجن حبس وقف",  # توقيفه reads as وقف
    "ouster": "إقالة استقالة طرد عزل",
    "leak": "تسريب",
    "issue": "طباعة طرح",
    # not إعصار (its token is عصر, afternoon), سيول (سيولة, liquidity), منخفض (low) nor عاصفة (عاصفة الحزم)
    "weather": "أمطار مطر ثلوج",
}
# A price or fine with an amount ("سعر ربطة الخبز رح يصير 1000 ليرة"، "الغرامة بتصير 3000 درهم") reports a rise.
# "سعر ربطة الخبز رح يصير دينار": a price becoming one unit of money names its amount too.
_PRICE_FIGURE_RE = re.compile(fold(r"\b(?:ال)?(?:سعر|أسعار|ثمن|غرامة|غرامات|مخالفة|رسوم|تعرفة)\b[^.؟!]{0,60}?"
                                   r"(?:\d+\s*|\b(?:يصير|تصير|بيصير|بتصير|صار|صارت|يصبح|تصبح|سيصبح|ستصبح) )"
                                   r"(?:%|(?:ألف |مليون )?(?:ليرة|درهم|دينار|ريال|جنيه|دولار|فلس|قرش|مليم|دج))"
                                   # "صار سعر ربطة الخبز 5000": a price that became a figure
                                   r"|\b(?:صار|صارت|يصير|تصير|بيصير|بتصير|أصبح|أصبحت|سيصبح|ستصبح) (?:ال)?(?:سعر|ثمن|رسوم|تعرفة)"
                                   r"\b[^.؟!]{0,40}?\d"
                                   # "السكر راح يولي بـ 200 دينار" (Maghrebi يولي: becomes): a good at a new price
                                   r"|\b(?:يولي|تولي|ولى|ولات|يصير|تصير|بيصير|بتصير) (?:ب|بـ)\s?\d+\s*"
                                   r"(?:ألف |مليون )?(?:ليرة|درهم|دينار|ريال|جنيه|دولار|دج)"))
_KINDS_OF: dict[str, frozenset[str]] = {}
for _kind, _ws in _ACT_KINDS.items():
    for _t in tokens_of(_ws):
        _KINDS_OF[_t] = _KINDS_OF.get(_t, frozenset()) | {_kind}


def act_kinds(tokens: frozenset[str]) -> frozenset[str]:
    """The kinds of event (:data:`_ACT_KINDS`) a statement's tokens name."""
    return frozenset(k for t in tokens if t in _KINDS_OF for k in _KINDS_OF[t])


def acts_conflict(a: Statement, b: Statement) -> bool:
    """Whether ``a`` and ``b`` both name events and share no kind of event: a denial of one is no answer to the
    other ("القبض على المطرب كريم عادل غير صحيح" / "وفاة المطرب حسام الشاذلي")."""
    ka, kb = _kinds(a), _kinds(b)
    return bool(ka) and bool(kb) and not ka & kb


def _kinds(st: Statement) -> frozenset[str]:
    return _text_kinds(st.text, st.tokens)


@functools.lru_cache(maxsize=1 << 14)
def _text_kinds(text: str, tokens: frozenset[str]) -> frozenset[str]:
    """:func:`act_kinds`, and a rise for a price with an amount; cached: a big story's vague denials ask it of
    every statement sharing a word."""
    kinds, folded = act_kinds(tokens), fold(text)
    kinds |= {"death"} if _DEATH_RE.search(folded) else frozenset()
    return kinds | {"rise"} if _PRICE_FIGURE_RE.search(folded) else kinds


NO_CHANGE_MAX_TOKENS = 8  # a no-change denial names little more than what did not change


def negated_of(negated: dict[int, frozenset[str]], *pairs: tuple[int, Statement]) -> None:
    """Fill ``negated`` (statement index -> :func:`negated_tokens`) for the statements not in it yet."""
    for i, st in pairs:
        if i not in negated:
            negated[i] = negated_tokens(st)


def verb_forms(tok: str) -> tuple[str, ...]:
    """A token and, for 4+ letters after an imperfect prefix ي/ت/ن, the token without it
    (تسحب -> سحب, يتغير -> تغير): enough to see that "لم يتم سحب" negates "تسحب"."""
    return (tok, tok[1:]) if len(tok) >= 4 and tok[0] in "يتن" else (tok,)


def says_no_change(a: Statement, b: Statement, negated: dict[int, frozenset[str]], ia: int, ib: int) -> bool:
    """Whether ``a`` says no change ("لم يتغير"، "ثابت"، "لم يطرأ أي تغيير") where ``b`` reports one; a
    reply (:attr:`Statement.reply`) also with "normal" / "continues" words, against a measure (منع، إيقاف)
    as well as a change, saying something is available where ``b`` reports a shortage, or saying someone
    is alive and well where ``b`` reports a death or an injury."""
    negated_of(negated, (ia, a), (ib, b))
    reply = a.reply
    if reply and b.reply and (a.article.published or "") < (b.article.published or ""):
        return False  # a post answers an earlier one: "الكهرباء راح تبقى طافية" does not answer the later "عودة التيار"
    a_says, b_says = a.tokens - negated[ia], b.tokens - negated[ib]  # what each asserts, its negated words aside
    fa, fb = (fold(a.text), fold(b.text)) if reply else ("", "")  # the phrase readings below are a reply's only
    if reply:
        a_says -= _hypothetical_tokens(a.text)
    steady_words, changed = (_REPLY_STEADY_TOKENS, _CHANGED) if reply else (_STEADY_TOKENS, _CHANGE_TOKENS)
    opens_negated = reply and bool(negated[ia] & _CHANGE_TOKENS) and _OPENS_NEGATED_RE.match(fa) is not None
    steady = (negated[ia] & _CHANGE_TOKENS or (a.tokens & steady_words and not a_says & changed)
              or (reply and bool(_REPLY_STEADY_RE.search(fa)))) \
        and not (reply and (_ANNOUNCED_CHANGE_RE.match(fa) or act_kinds(a_says) & act_kinds(b_says) and not opens_negated))
    # (a reply opening with the negated change says no change whatever it adds: "ما في أي تعديل على سعر ربطة الخبز
    # ... وأي فرن بيبيع بسعر زيادة بلغوا عنه")
    # (a reply announcing a change keeps the rest as it was: "تعديل سعر البنزين الممتاز ليصبح 120 فلسا ... مع بقاء
    # أسعار بقية المنتجات دون تغيير" confirms the rise; so does one asserting a change of the kind the other
    # reports anywhere: "لجنة التسعير تقرر رفع سعر البنزين ... ويظل سعر الأسطوانة دون تغيير" / "البنزين هيزيد")
    # what ``b`` says changed and ``a`` does not also assert: "لا تغيير على قرار منع الشاحنات" keeps the ban
    b_changed = b_says & changed - a_says or (reply and _CHANGE_PHRASE_RE.search(fb) and not _CHANGE_PHRASE_RE.search(fa)) \
        or (reply and "rise" in _kinds(b) and ("rise" not in _kinds(a) or opens_negated))  # a price with an amount
    if steady and b_changed and not b.tokens & steady_words:
        return True
    if reply and b_says & _SHORTAGE_TOKENS and not a_says & _SHORTAGE_TOKENS \
            and a.tokens & _AVAILABLE_TOKENS and not b.tokens & _AVAILABLE_TOKENS:
        return True  # "الأكسجين متوفر" answers "نفاد الأكسجين"
    if reply and "arrest" in _kinds(b) and "arrest" not in _kinds(a) and FREE_RE.search(fa):
        return True  # "أنا الآن في منزلي" answers "توقيف الوزير السابق ... في المطار"
    return reply and bool(b_says & _HARM_TOKENS or _DEATH_RE.search(fb)) and not a_says & _HARM_TOKENS \
        and bool(UNHARMED_RE.search(fa)) and not UNHARMED_RE.search(fb)


def says_steady(text: str) -> bool:
    """Whether a reply's words say things are as they were: "normal", "continues", "no change", "alive and
    well", "available" ("أسعار الخبز المدعوم ثابتة دون تغيير"). An authority answers a rumour so as often as
    with a denial word; :class:`khabar.stories.StoryIndex` lets such a post join its rumour's story as a denial."""
    folded = fold(text)
    toks = {t for a, b in words(text) if (t := word_token(text[a:b])) is not None}
    return bool(toks & (_REPLY_STEADY_TOKENS | _AVAILABLE_TOKENS)) or bool(_REPLY_STEADY_RE.search(folded)) \
        or bool(UNHARMED_RE.search(folded)) or bool(FREE_RE.search(folded))


@functools.lru_cache(maxsize=1 << 12)
def _hypothetical_tokens(text: str) -> frozenset[str]:
    """Tokens a reply names only as a possible decision ("أي قرار بتعطيل الدوام يعلن عبر المنصات الرسمية")."""
    return frozenset(t for m in _HYPOTHETICAL_RE.finditer(fold(text))
                     if (t := word_token(m.group(1) or m.group(2))) is not None)


on_concepts_change(_hypothetical_tokens.cache_clear)


def negating_pairs(stmts: list[Statement], negated: dict[int, frozenset[str]], i: int, j: int) -> list[tuple[int, int]]:
    """``(denial, other)`` for each of ``i``, ``j`` that is an assertion negating a word the two share
    which the other does not negate ("لا يوجد أي تسرب إشعاعي" / "تسرب إشعاعي من المحطة"), or correcting
    the other's figure (:func:`changes_figure`)."""
    negated_of(negated, (i, stmts[i]), (j, stmts[j]))
    shared = stmts[i].tokens & stmts[j].tokens
    return [(d, o) for d, o in ((i, j), (j, i)) if stmts[d].stance == "assert" and (
        negated[d] & shared and not negated[o] & shared or changes_figure(stmts[d], stmts[o]))]


def _negates_surface(a: Statement, b: Statement) -> bool:
    """Whether a word ``a`` negates is one of ``b``'s written the same way (:func:`surface_token`): in news,
    "عبوات لم تنفجر" does not negate "تفجير عبوة" though the two share a root (two days of SaudiNewsNet: about
    50 false denials from roots)."""
    mine = {f for w in _negated_words(a) if (t := surface_token(w)) is not None for f in verb_forms(t)}
    return bool(mine) and any(f in mine for x, y in words(b.text) if (t := surface_token(b.text[x:y])) for f in verb_forms(t))


def figures(text: str) -> dict[str, frozenset[str]]:
    """Unit token -> the numbers written before it ("بقوة 7 درجات" -> {درج: {7}}; "30%" -> {%: {30}})."""
    out: dict[str, set[str]] = {}
    for m in _FIGURE_RE.finditer(fold(text)):  # fold: ٣ -> 3, ٪ -> %
        unit = "%" if m.group(2) else word_token(m.group(3) or "")
        if unit is not None:
            num = m.group(1)  # "2,000" is two thousand; "3,5" and "3٫5" are three and a half
            num = num.replace(",", "") if _THOUSANDS_RE.fullmatch(num) else num.replace(",", ".").replace("٫", ".")
            if num.count(".") <= 1:
                out.setdefault(unit, set()).add(num)
    return {u: frozenset(v) for u, v in out.items()}


_FIGURE_RE = re.compile(r"(\d+(?:[.,٫]\d+)*)\s*(?:(%)|(\w{2,}))")
_THOUSANDS_RE = re.compile(r"\d{1,3}(?:,\d{3})+")


def changes_figure(a: Statement, b: Statement) -> bool:
    """Whether reply ``a``, later than reply ``b``, gives a lower figure of a unit ``b`` counts in ("بلغت 3.1
    درجات" / "هزة بقوة 7 درجات"): an authority correcting a rumour's figure denies it. Posts only: in news
    a later figure is an update, which :mod:`khabar.contradictions` reports as a changed number."""
    if not (a.reply and b.reply) or (a.article.published or "") <= (b.article.published or ""):
        return False
    fa, fb = _people_as_one(figures(a.text)), _people_as_one(figures(b.text))
    # lower only: a rumour inflates ("200 حالة تسمم" / "4 حالات فقط"); a higher toll is an update
    return any(u in fb and max(map(float, fa[u])) < min(map(float, fb[u])) for u in fa)


# Counts of people are one unit when a reply corrects a rumour: "إصابة 50 طالبا" / "3 حالات اشتباه".
_PEOPLE_UNITS = tokens_of("طالب طالبا طلاب طالبة طالبات تلميذ تلاميذ شخص شخصا أشخاص مواطن مواطنا مواطنين مريض مرضى "
                          "طفل طفلا أطفال حاج حجاج عامل عاملا عمال مصاب مصابا مصابين قتيل قتيلا قتلى ضحية ضحايا "
                          "حالة حالات إصابة إصابات وفاة وفيات")


def counted_figures(text: str) -> dict[str, frozenset[str]]:
    """:func:`figures` of ``text`` with every count of people under one unit ("30 شخصا", "12 قتيلا")."""
    return _people_as_one(figures(text))


def _people_as_one(figs: dict[str, frozenset[str]]) -> dict[str, frozenset[str]]:
    """``figs`` with every count of people under one unit, "people"."""
    people = frozenset(n for u, ns in figs.items() if u in _PEOPLE_UNITS for n in ns)
    out = {u: ns for u, ns in figs.items() if u not in _PEOPLE_UNITS}
    return {**out, "people": people} if people else out


def negates(a: Statement, b: Statement, negated: dict[int, frozenset[str]], ia: int, ib: int) -> bool:
    """Whether ``a`` negates a word it shares with ``b`` that ``b`` does not negate ("لا تأجيل" / "تأجيل"),
    says no change ("لم يتغير"، "ثابت") where ``b`` reports one ("ارتفاع سعر ربطة الخبز"), or, a later
    reply, corrects its figure (:func:`changes_figure`)."""
    if changes_figure(a, b):
        return True
    negated_of(negated, (ia, a), (ib, b))
    if negated[ia]:  # most statements negate nothing: the pair loop of a big story asks this of every pair
        shared = a.tokens & b.tokens
        if negated[ia] & shared and not negated[ib] & shared and (a.reply or _negates_in_news(a, b, shared)):
            return True
        # "لم يتم سحب" / "تسحب": the negated word and the other's verb differ by an imperfect prefix
        if (mine := negated[ia] - shared):
            theirs = {f for t in b.tokens - negated[ib] for f in verb_forms(t)}
            if any(f in theirs for t in mine for f in verb_forms(t)) and (a.reply or _negates_in_news(a, b, shared)):
                return True
    return says_no_change(a, b, negated, ia, ib)


# In news, a negation denies another statement only when nearly all its words are the other's: "لم يتم تأجيل
# الامتحانات" / "تأجيل الامتحانات". A negation among other words is most often about something else: on two
# days of SaudiNewsNet, labelled by hand, about 1 in 25 of those denials were right (BENCHMARKS.md).
NEWS_NEGATION_MIN_SHARE = 0.75


def _negates_in_news(a: Statement, b: Statement, shared: frozenset[str]) -> bool:
    """Whether the negation of ``a`` (not a reply) counts against ``b``: most of ``a``'s tokens are ``b``'s
    and the negated word is written as in ``b`` (:func:`_negates_surface`)."""
    return len(shared) >= NEWS_NEGATION_MIN_SHARE * len(a.tokens) and _negates_surface(a, b)
