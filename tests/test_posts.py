"""Authorities denying rumours in short posts: each rumour and its reply, analysed alone.

``tests/posts/rumours_and_replies.jsonl`` holds 548 rumours, each followed by the
reply that denies it, written for these tests in the styles of X, Facebook and
WhatsApp posts and of site headlines (labels, hashtags, links, spoken register,
cue-last headlines, no-change denials, a clip "filmed elsewhere", a doctored
picture, a future verb answered by its verbal noun, a reply to a question
addressed to an account, "no deaths recorded", "no change to the procedures",
"alive and well", "no decision to raise", a fraudulent message, a manager
denying for his artist, "remains unchanged", "the dam is intact", "not detained",
"the machines work efficiently", "fine, no injuries"). Rounds ``posts9-`` to
``posts15-`` (12 each) were written fresh after the rounds before them passed, to
see how far the fixes carried: 7, 7, 5, 4, 8, 8 and 9 of 12 passed as written; 10,
11, 12, 11, 11, 11 and 11 after the fixes they led to. The whole
pipeline runs on each pair in a store of its own: the two posts must form one
story, and the reply must deny the claim the rumour makes.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from khabar.pipeline import analyze
from khabar.settings import Settings
from khabar.store import Store

POSTS = Path(__file__).parent / "posts" / "rumours_and_replies.jsonl"
ROWS = [json.loads(line) for line in POSTS.read_text(encoding="utf-8").splitlines() if line.strip()]
PAIRS = [(ROWS[k], ROWS[k + 1]) for k in range(0, len(ROWS), 2)]
# Known limits, each a strict xfail (a fix makes it fail, to be moved to the passing cases):
KNOWN_LIMITS = {
    # e5-small does not bring an English post and its Arabic denial together (cosine 0.880; the denial's
    # nearest Arabic post is at 0.901), and lexical mode has no shared word.
    "posts-r6": "cross-lingual pair",
    # "no tropical system in the Arabian Sea" answers "a cyclone hits Oman": no shared story term
    # (إعصار / حالة مدارية, عمان / العمانية)
    "posts9-r8": "denial in other words",
    "posts14-r5": "cross-lingual pair",  # an English post, as posts-r6
    # "وفاة شيخ الأزهر أحمد الطيب" / "فضيلة الإمام الأكبر بصحة جيدة": the reply names him by his title only
    "posts20-r3": "a person named by title",
    # "يصادق على قانون يمنع الحجاب" / "لم يعرض أي مشروع قانون يتعلق بالحجاب": the negation stops at "يعرض"
    "posts21-r10": "denial in other words",
    # "يقال إن الفنانة فيروز نقلت إلى المستشفى" / "ريما الرحباني: والدتي بخير": the reply names her as "my mother"
    "posts22-r5": "a person named by relation",
    # "إصابة 50 طالبا بالتسمم في مطعم جامعة القاهرة" / "رئيس جامعة القاهرة: 3 حالات اشتباه في تسمم": the university
    # is in the speaker, not the statement, which shares one word (تسمم) with the rumour
    "posts26-r9": "a reply sharing one word",
    # "تأجيل كأس العالم للأندية في المغرب" / "البطولة ستقام في موعدها": the reply names the cup "the tournament"
    "posts26-r10": "denial in other words",
    # "الأردن يغلق حدوده مع سوريا" / "مركز جابر الحدودي يعمل بشكل طبيعي": the crossing by its name
    "posts27-r5": "denial in other words",
    # "إيقاف صرف بطاقات التموين لمن يملك سيارة" / "لم يتم حذف أي مواطن من منظومة الدعم بسبب امتلاك سيارة"
    "posts28-r3": "denial in other words",
    # "اعتقال مغني الراب المغربي طوطو" / "لا وجود لأي إجراء توقيف في حق الفنان": the artist by his trade only
    "posts28-r11": "a person named by title",
    # Rounds posts29- to posts31- were written by a helper session that never read the code (varied dialects,
    # replies in other words by design); 9 of 36 passed as written, 22 after the fixes they led to. The rest:
    "posts29-r9": "denial in other words",  # إعصار / المنخفض المداري
    "posts29-r11": "denial in other words",  # الباقات / الخبز المدعم (Tunisian)
    "posts30-r2": "denial in other words",  # هتشيل من بطاقات التموين / حذف أي مستحق من منظومة الدعم
    # "يقيل مدرب العنابي" / "الجهاز الفني للمنتخب الوطني الأول مستمر في مهامه": one story, no shared claim word
    "posts30-r7": "a team by its nickname",
    "posts30-r8": "denial in other words",  # السمطة / حزام السلامة (Moroccan)
    "posts30-r12": "denial in other words",  # سقوط ضحايا / لا توجد أي خسائر بشرية
    "posts31-r2": "denial by the facts",  # extended to 3 weeks / the holiday's first and last days
    "posts31-r4": "denial in other words",  # توقف التحويلات / لا قيود على الحوالات
    "posts31-r5": "a company by two names",  # الميدل إيست / طيران الشرق الأوسط
    "posts31-r7": "a reply sharing one word",  # إغلاق معبر أرقين / حركة العبور بمنفذ أرقين طبيعية
    # Rounds posts32- and posts33-, written blind by another helper session after the fixes above: 13 of 24 as
    # written, 12 after the event-kind rule, 13 after reading past measures (posts32-r1 lost: its rumour's verb is spoken, اتأجلت, and its
    # cause, تسريب, is the only event it names). The rest:
    "posts32-r7": "a lower count of another disease",  # 15 إصابة بالكوليرا / حالتين من النزلات المعوية
    "posts32-r8": "denial by the facts",  # باع اللاعب / مرتبط بعقد حتى 2037
    "posts32-r10": "a corrected figure in other units",  # 50 ألف دينار / 5000 دج
    "posts33-r1": "a reply sharing few words",  # بتلغي اختبارات / تعقد في مواعيدها
    "posts33-r4": "denial in other words",  # السولار يرتفع / تثبيت سعر الديزل
    "posts33-r5": "denial by the facts",  # تتأخر لبعد العيد / تمويل الرواتب قبل العيد
    "posts33-r12": "denial by the facts",  # سيول على عدن / الأجواء صحو
    # Rounds posts34- and posts35-, written blind by a third helper session at the end of the session: 9 of 24 as
    # written, the same as the session's starting code; 10 after one fix (سيولة, liquidity, read as floods). The rest:
    "posts34-r2": "denial by the facts",  # البنزين بيزيد ريالين / the quarter's prices
    "posts34-r9": "a corrected figure",  # 500 دينار / 75 ديناراً, the fine named otherwise
    "posts34-r12": "denial in other words",  # يقصو الانترنت (Tunisian: cut) / قطع خدمة الإنترنت
    "posts35-r1": "denial by the facts",  # العيش هيبقى بجنيه / الخبز ثابت عند 20 قرشاً
    "posts35-r5": "denial in other words",  # إعصار / المنخفض المداري
    "posts35-r6": "a person named by title",  # اعتقال محافظ البصرة / المحافظ يمارس مهامه
    "posts35-r7": "denial by the facts",  # الدخول المدرسي يتأخر لأكتوبر / الدراسة يوم 8 شتنبر
    "posts35-r9": "a correction of scope",  # المحرق يومين / البسيتين 4 ساعات
    "posts35-r12": "denial by the facts",  # أول رمضان باكر / الغد المتمم لشعبان
    # Rounds blind18- and blind18b- (40 pairs each), written blind by two helper sessions of the sixteenth session
    # as real accounts deny (most with a denial word, a fifth or a quarter by the facts alone): 32 and 24 of 40 as
    # written; 39 and 34 after the rules they led to (a post's every sentence is a statement, "as usual" answers an
    # outage, a moved date or a priced rise, first-person and spoken denials, a steady or own-voice denial post
    # joins its rumour at the lower threshold), which also fixed 7 of the earlier rounds' limits. The rest:
    "blind18-r15": "denial by the facts",  # إعصار متجه لمسقط / الحالة المدارية تبعد أكثر من 1200 كم
    "blind18b-r11": "a coach by his title",  # إقالة مدرب نادي السد / إقالة المدير الفني: two stories (0.049)
    "blind18b-r26": "denial in other words",  # الواتساب بيصير مدفوع / فرض رسوم على تطبيقات المراسلة
    "blind18b-r35": "a rumour saying it stays",  # الكهرباء راح تبقى طافية / عودة التيار: بقي is a steady word
    "blind18b-r39": "denial by the facts",  # حريق وصل للبيوت / تمت السيطرة ولم تسجل أضرار في المنازل
    # Round blind18c- (40 pairs), a third helper's, written after the rules above: 21 of 40 as written (the
    # session's starting code 21 too), 32 after the rules it led to ("خبر الوفاة شائعة"، "ادعاءات باطلة"، "لا علاقة
    # لنا"، a reply's lone "غير صحيح." is a statement, one-line company replies survive cleaning, a denial post
    # joins at 0.08; 33 with the fixes of blind18d). The rest:
    "blind18c-r2": "denial by the facts",  # الرواتب بتنزل يوم ٢٠ / صرف الرواتب يوم ٢٧
    "blind18c-r10": "denial by the facts",  # فيضان جاي على درنة / the 48-hour forecast
    "blind18c-r12": "a coach by his name",  # الأهلي هيقيل المدرب / خوان مارتينيز يقود مران الفريق: 0.000
    "blind18c-r26": "a correction of scope",  # تسحب كل سيارات اللاندكروزر / the only recall is a software update
    "blind18c-r29": "denial by the facts",  # أمطار وسيول على الرياض / أجواء صحوة
    "blind18c-r33": "denial by the facts",  # الماتش بلا جمهور / tickets on sale, gates open at five
    "blind18c-r40": "a service by two names",  # بيوقف الحوالات الدولية / خدمة التحويل الدولي متاحة: 0.000
    # Round blind18d- (40 pairs), a fourth helper's, written after every rule above and scored before any fix:
    # 21 of 40 as written (the session's starting code 20); 23 after a post's mention words counting beside its
    # entity id and سبيطار, 24 after blind18e's fixes. Most of the rest are two stories (a quarter of the pairs)
    # or a denial by the facts:
    "blind18d-r2": "denial by the facts",  # وفاة وزير الصحة / the minister chaired a meeting this morning
    "blind18d-r5": "denial by the facts",  # زي موحد كحلي / الزي الوطني (الثوب والشماغ)
    "blind18d-r8": "denial by the facts",  # وقفت إصدار تصاريح العمرة / يتاح حجز مواعيد العمرة
    "blind18d-r13": "available named otherwise",  # الأنسولين قاطع / مخزون الأنسولين يكفي ثلاثة أشهر
    "blind18d-r20": "a service by two names",  # أوبر وكريم / تطبيقات نقل الركاب الذكية: 0.074
    "blind18d-r22": "a document by two names",  # الباسبور / جواز السفر: 0.000
    "blind18d-r23": "denial by the facts",  # مجلس الأمة أقر ضريبة / لا تخضع لأي رسوم أو ضرائب
    "blind18d-r26": "a corrected figure",  # الدهب لمليون ونص / سعر الغرام 1,120,000 ليرة: 0.033
    "blind18d-r28": "a correction of scope",  # انهيار بناية ٥ طوابق / انهار جدار خارجي دون إصابات
    "blind18d-r30": "denial by the facts",  # عاصفة رملية / طقس صحو
    "blind18d-r34": "a reply sharing one word",  # عفو ملكي عن ٣٠٠٠ سجين / صدور عفو عن أعداد من النزلاء: 0.045
    "blind18d-r35": "the person himself, unnamed",  # إيقاف الصحفي / "أنا في بيتي ولم يتم إيقافي"
    "blind18d-r37": "a tariff by two names",  # الكهربا بتزيد سعر الكيلو / تعرفة الكيلوواط: 0.041
    # Round blind18e- (40 pairs), a fifth helper's, written at the session's end: 29 of 40 as written (the
    # session's starting code 28); 31 after a denial reported in a post's quoted words ("والتي نفت"، "يفند"), تثبيت
    # as "unchanged" and the fils of a price no longer read as bankruptcy (إفلاس). The rest:
    "blind18e-r2": "denial by the facts",  # النتائج تطلع باجر / تعلن يوم 15 تموز
    "blind18e-r13": "a corrected schedule",  # ساعتين تشغيل مقابل ست ساعات قطع / أربع ساعات تجهيز مقابل ساعتين إطفاء
    "blind18e-r17": "a corrected figure",  # السحب 500 دينار في الشهر / السقف اليومي يبقى 1000 دينار
    "blind18e-r22": "denial by the facts",  # المطار يتبدل اسمو / يحتفظ بتسميته الحالية
    "blind18e-r26": "the reverse of an opening",  # المنفذ فتح / يبقى مغلقا: فتح is no change word
    "blind18e-r28": "a coach by his name",  # أقالت المدرب / المدرب خافيير مارتينيث يقود الفريق
    "blind18e-r31": "hospitalised is no harm word",  # نقلوه عالعناية المكثفة / في بيته وبصحة جيدة
    "blind18e-r39": "a corrected figure",  # 56 درجة / تتراوح بين 47 و49 درجة
}


def _case(pair: tuple[dict, dict]) -> object:
    rumour, _reply = pair
    reason = KNOWN_LIMITS.get(rumour["id"])
    marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
    return pytest.param(pair, id=rumour["id"], marks=marks)


def _pair_claims(pair: tuple[dict, dict], tmp_path: Path) -> tuple[bool, set[str], set[str]]:
    """The pair analysed alone: whether its posts form one story, the claims the rumour is a member of, and
    those the reply denies."""
    src = tmp_path / "pair.jsonl"
    src.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in pair) + "\n", encoding="utf-8")
    db = tmp_path / "k.db"
    with Store(db) as store:
        analyze([src], store, Settings.load(), embed=False)
    conn = sqlite3.connect(db)
    (rumour_id, rumour_story), (reply_id, reply_story) = (
        conn.execute("SELECT id, story_id FROM articles WHERE path = ?", (f"{src}:{n}",)).fetchone() for n in (1, 2))
    members = conn.execute("SELECT claim_id, article_id, stance FROM claim_members").fetchall()
    return (rumour_story == reply_story, {c for c, a, _ in members if a == rumour_id},
            {c for c, a, s in members if a == reply_id and s == "deny"})


@pytest.mark.parametrize("pair", [_case(p) for p in PAIRS])
def test_posts_reply_denies_the_rumour_in_one_story(pair: tuple[dict, dict], tmp_path: Path) -> None:
    one_story, rumour_claims, denied = _pair_claims(pair, tmp_path)
    assert one_story, "rumour and reply in two stories"
    assert rumour_claims & denied, "no denial of the rumour's claim"


def _rows(name: str) -> list[tuple[dict, dict]]:
    rows = [json.loads(line) for line in (POSTS.parent / name).read_text(encoding="utf-8").splitlines() if line.strip()]
    return [(rows[k], rows[k + 1]) for k in range(0, len(rows), 2)]


# Near misses, written blind by a helper session: the authority denies another rumour of the day, close to the
# first (same institution and place, 2-4 shared words). Still read as denying it (strict xfails):
NEAR_MISS_LIMITS = {
    "ctrl18e-r15": "an appointment is no kind",  # وقفت التصدير / لا صحة لتعيين رئيس جديد لمجلس الإدارة
    "nearmiss16-r1": "two measures of one kind",  # تعليق الدراسة / تأجيل الاختبارات: both stop
    "nearmiss16-r4": "the rumour names no event",  # رواتب تنزل قبل موعدها / اقتطاع من الرواتب
    "nearmiss16-r5": "a change of date is no kind",  # تسريب الامتحان / تغيير موعد الامتحان
    "nearmiss16-r10": "two ousters",  # طرد المدرب / استقالة الرئيس
    # a third helper's near misses, written after the rules above: 7 of 16 read as denials (6 with the session's
    # starting code), mostly another place of the same kind of event
    "nearmiss17-r6": "another place",  # رحلات بيروت / رحلات عمّان
    "nearmiss17-r8": "the rumour names no event",  # مخالفة حزام الأمان 100 دينار / سحب رخص الوافدين
    "nearmiss17-r10": "the rumour names no event",  # تصاريح حج الداخل تنفتح / رفع أسعار باقات الحج
    "nearmiss17-r13": "another place",  # أمطار على القاهرة / إعصار على الإسكندرية
    "nearmiss17-r14": "another place",  # إغلاق منفذ وجاجة / إغلاق منفذ المزيونة
    "nearmiss17-r15": "another place",  # اشتباكات بحي الميدان / تفجير في حي المزة
    "nearmiss17-r16": "the rumour names no event",  # دوام رمضان يبدأ 10 / تقديم موعد الاختبارات
}


@pytest.mark.parametrize("pair", [
    pytest.param(p, id=p[0]["id"], marks=[pytest.mark.xfail(strict=True, reason=NEAR_MISS_LIMITS[p[0]["id"]])]
                 if p[0]["id"] in NEAR_MISS_LIMITS else []) for p in _rows("near_misses.jsonl")])
def test_posts_a_denial_of_another_rumour_does_not_deny_this_one(pair: tuple[dict, dict], tmp_path: Path) -> None:
    _, rumour_claims, denied = _pair_claims(pair, tmp_path)
    assert not rumour_claims & denied


@pytest.mark.parametrize("pair", [pytest.param(p, id=p[0]["id"]) for p in _rows("confirming_replies.jsonl")])
def test_posts_a_confirming_reply_denies_nothing_of_the_rumour(pair: tuple[dict, dict], tmp_path: Path) -> None:
    # 76 pairs written blind by helper sessions: the authority confirms the rumour in its own words
    _, rumour_claims, denied = _pair_claims(pair, tmp_path)
    assert rumour_claims and not rumour_claims & denied


def _stored(rows: list[dict], tmp_path: Path) -> sqlite3.Connection:
    """``rows`` (posts) analysed into a store of their own: a connection to it."""
    src = tmp_path / "pair.jsonl"
    src.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8")
    db = tmp_path / "k.db"
    with Store(db) as store:
        analyze([src], store, Settings.load(), embed=False)
    return sqlite3.connect(db)


def test_posts_a_son_speaking_for_his_father_is_the_source_grouped_with_him(tmp_path: Path) -> None:
    # Written for this test: the son answers a rumour of his father's death; the matrix shows the son as the
    # source (not the father, whose name his speaker phrase holds), grouped with the father
    rows = [
        {"id": "r", "text": "وفاة الداعية عائض القرني إثر أزمة قلبية", "source": "واتساب", "published": "2028-06-02T08:00:00"},
        {"id": "d", "text": "نجل الشيخ عائض القرني: الوالد بخير ويتابع نشاطه، والخبر المنتشر كذب",
         "source": "تويتر/@son", "published": "2028-06-02T12:00:00"},
    ]
    members = _stored(rows, tmp_path).execute("SELECT source, source_group, stance FROM claim_members").fetchall()
    assert ("نجل الشيخ عائض القرني", "عائض القرني", "deny") in members


def test_posts_a_son_named_ibn_before_a_title_speaks_for_his_father_and_a_mourning_formula_is_no_claim(
        tmp_path: Path) -> None:
    # Written for this test: "ابن" opens names ("ابن كيران"), but before a title it is a son
    rows = [
        {"id": "r", "text": "إنا لله وإنا إليه راجعون. وفاة الفنان سامي الحلو قبل قليل إثر أزمة قلبية",
         "source": "X @akhbar", "published": "2028-06-02T08:00:00"},
        {"id": "d", "text": "ابن الفنان سامي الحلو: والدي بخير والحمد لله، ولا صحة لخبر وفاته",
         "source": "X @fan_news", "published": "2028-06-02T12:00:00"},
    ]
    conn = _stored(rows, tmp_path)
    members = conn.execute("SELECT source, source_group, stance FROM claim_members").fetchall()
    assert ("ابن الفنان سامي الحلو", "سامي الحلو", "deny") in members
    texts = [t for (t,) in conn.execute("SELECT text FROM claims")]
    assert not any("راجعون" in t for t in texts), texts
