"""The reporting-verb lexicon and the word lists attribution reads, as data.

Every list here is written in display Arabic and compared through
:func:`khabar.arabic.fold`, so hamza and alef variants need not be listed.
A verb entry gives its inflected forms with the agreement each carries
(``(gender, number)``: ``m``/``f``/``x`` and ``s``/``p``; ``x`` = either), the
stance a speaker takes by using it, and which frames it accepts. Attribution
code derives all lookups from these tables; no reporting verb is hard-coded
elsewhere.
"""

from __future__ import annotations

from dataclasses import dataclass

from khabar.arabic import fold

Features = tuple[str, str]  # (gender m/f/x, number s/p)


@dataclass(frozen=True, slots=True)
class Verb:
    """One reporting verb: its forms and how it frames reported speech.

    Attributes:
        lemma: the 3rd person masculine singular past, as a display name.
        stance: the stance a speaker takes by this verb (see ``model.STANCES``).
        np_object: True when the content may be a bare noun phrase ("نفى التقرير").
        relay: True for verbs whose subject relays another source ("نقل عن").
        forms: folded form -> agreement features; passive forms map to ``("x", "x")``.
    """

    lemma: str
    stance: str
    np_object: bool
    relay: bool
    forms: dict[str, Features]


def _verb(
    past: str,
    present: str,
    stance: str = "assert",
    *,
    fem: str | None = None,
    plural: str | None = None,
    passive: tuple[str, ...] = (),
    np_object: bool = False,
    relay: bool = False,
    present_forms: bool = True,
) -> Verb:
    """Expand a regular paradigm; ``fem``/``plural`` override defective stems (نفى -> نفت، نفوا).

    ``present_forms=False`` keeps only the past: "وتابع" reports speech, while
    "ويتابع مجريات الحرب" (follows, monitors) almost never does.
    """
    stem = present[1:]  # يقول -> قول
    forms: dict[str, Features] = {
        past: ("m", "s"),
        fem or past + "ت": ("f", "s"),
        plural or past + "وا": ("x", "p"),
    }
    if present_forms:
        forms.update({present: ("m", "s"), "ت" + stem: ("f", "s"), "ي" + stem + "ون": ("x", "p")})
    folded = {fold(k): v for k, v in forms.items()}
    for p in passive:
        # without diacritics أُعلن reads as أعلن: keep only passives that stay distinct
        folded.setdefault(fold(p), ("x", "x"))
    return Verb(past, stance, np_object, relay, folded)


# lemma -> forms + default stance. Defective verbs (final ى) list fem/plural.
VERBS: tuple[Verb, ...] = (
    _verb("قال", "يقول", passive=("قيل",)),
    # أكد mostly "stressed" new information; it confirms only with confirming content (stance.py)
    _verb("أكد", "يؤكد", np_object=True, passive=("أُكد",)),
    _verb("أوضح", "يوضح"),
    _verb("نفى", "ينفي", "deny", fem="نفت", plural="نفوا", np_object=True),
    _verb("أشار", "يشير"),
    _verb("أعلن", "يعلن", np_object=True, passive=("أُعلن",)),
    _verb("اعتبر", "يعتبر"),
    _verb("رأى", "يرى", fem="رأت", plural="رأوا"),
    _verb("حذر", "يحذر"),
    _verb("زعم", "يزعم", "allege", passive=("زُعم",)),
    _verb("ادعى", "يدعي", "allege", fem="ادعت", plural="ادعوا"),
    _verb("صرح", "يصرح"),
    _verb("كشف", "يكشف", np_object=True),
    _verb("أضاف", "يضيف"),
    _verb("تابع", "يتابع", present_forms=False),
    _verb("استطرد", "يستطرد"),
    _verb("ختم", "يختم"),
    _verb("أردف", "يردف"),
    _verb("ذكر", "يذكر", passive=("ذُكر",)),
    _verb("أفاد", "يفيد", passive=("أُفيد",)),
    _verb("لفت", "يلفت"),
    _verb("شدد", "يشدد"),
    _verb("كتب", "يكتب"),
    # not np_object: "أقر مجلس الوزراء مشروع الموازنة" approves a bill; "أقر بأن"، "أقر بوجود" admits (PREFIX_OBJECT)
    _verb("أقر", "يقر", "confirm"),
    _verb("اعترف", "يعترف", "confirm"),
    _verb("صدق", "يصدق", "confirm"),
    _verb("كذب", "يكذب", "deny", np_object=True),
    _verb("رفض", "يرفض", "deny", np_object=True),
    _verb("دحض", "يدحض", "deny", np_object=True),
    _verb("فند", "يفند", "deny", np_object=True),  # "يفند الأخبار الزائفة حول ..."
    _verb("تساءل", "يتساءل", "question"),
    _verb("شكك", "يشكك", "question"),
    _verb("اتهم", "يتهم"),  # the speaker accuses: an assertion, not the reporter's doubt (CHARGE_VERBS)
    _verb("رجح", "يرجح"),
    _verb("أبلغ", "يبلغ"),
    _verb("أخبر", "يخبر"),
    _verb("دعا", "يدعو", "other", fem="دعت", plural="دعوا", np_object=True),
    _verb("طالب", "يطالب", "other", np_object=True),
    _verb("نقل", "ينقل", relay=True),
    # wishes, appeals and proposals: the speaker asks for something rather than asserting it
    _verb("أمل", "يأمل", "other"),
    _verb("تمنى", "يتمنى", "other", fem="تمنت", plural="تمنوا"),
    _verb("ناشد", "يناشد", "other", np_object=True),
    _verb("حث", "يحث", "other", np_object=True),
    _verb("اقترح", "يقترح", "other", np_object=True),
    _verb("طلب", "يطلب", "other"),
    _verb("وصف", "يصف", np_object=True),
    _verb("نوه", "ينوه"),
    _verb("توقع", "يتوقع"),
    _verb("أورد", "يورد"),
)

# folded form -> (Verb, features). Built once at import from the table above.
VERB_FORMS: dict[str, tuple[Verb, Features]] = {f: (v, feats) for v in VERBS for f, feats in v.forms.items()}

# Verbs whose content may be the object of a preposition: "أشار إلى احتمال ..."، "أعلن عن فتح ...".
PREP_OBJECT: dict[str, str] = {
    "أشار": fold("إلى"), "لفت": fold("إلى"), "أعلن": fold("عن"), "كشف": fold("عن"), "نوه": fold("إلى"), "دعا": fold("إلى"),
    "تساءل": fold("عن"), "شكك": fold("في"),
}
# Nouns of rumour: what a speaker so calls, it denies ("حذر من شائعات ..."، "لا تصدقوا الإشاعات حول ...").
RUMOUR_NOUNS = frozenset(fold(w) for w in "شائعة شائعات الشائعة الشائعات إشاعة إشاعات الإشاعة الإشاعات أكاذيب الأكاذيب".split())
# Verbs whose prepositional object is content only when it names rumours: "حذر من شائعات سحب الفئة"
# reports a denial, "حذر من الازدحام" no statement.
RUMOUR_PREP_OBJECT: dict[str, str] = {"حذر": fold("من")}
# Verbs whose content may open with the prefixed preposition بـ right after the speaker phrase, kept
# in the content as annotated: "أفادت الوكالة الأحد بعثور الجيش على ...".
PREFIX_OBJECT: dict[str, str] = {"أفاد": "ب", "أقر": "ب"}
# Verbs of PREP_OBJECT whose preposition may follow an addressee: "دعت الشامي الوزارة إلى نشر ..." (content:
# "نشر ...", as the gold annotates "دعا X إلى Y").
ADDRESSEE_PREP_VERBS = frozenset(("دعا", "حذر"))
# Verbs whose speaker is followed by the person or outlet told, before the content:
# "أبلغت المتحدثة إذاعة شمس بأن"، "أخبر الوزير الصحفيين أن" (the addressee is not the speaker).
ADDRESSEE_VERBS = frozenset(("أبلغ", "أخبر"))
# Plural nouns of an audience told or called on, after the speaker of an ADDRESSEE_VERBS or
# ADDRESSEE_PREP_VERBS verb ("أبلغ مسؤول الصحفيين أن"، "دعا الوزير المواطنين إلى").
ADDRESSEE_NOUNS = frozenset(
    fold(w) for w in "الصحفيين الصحافيين المراسلين الحضور المواطنين المواطنون الجمهور السكان الأهالي المسافرين".split()
)
# Verbs of accusing: "اتهمت الوزارة واشنطن بدعم التنظيم": the object (the accused) and the بـ phrase of
# the charge are the content; the charge word ends the subject.
CHARGE_VERBS = frozenset(("اتهم",))
# Words right before a verb form that make it a noun: "على أمل أن" (in the hope that), "في وصف".
NOUN_MAKERS = frozenset(fold(w) for w in "على وعلى في وفي من ومن مع ومع عن وعن بعد وبعد قبل حسب "
                        "رغم ورغم برغم الرغم".split())  # "رغم نفي الكرملين": a concession names a denial, makes none

# Active participles used as circumstantial cues ("، مشيرا إلى أن", "قائلة:", "مضيفين أن"):
# they have no subject of their own and report the speaker of the clause they hang on.
# lemma -> masculine singular accusative form; feminine (ة) and plural (ين) forms derive from it.
_PARTICIPLES: dict[str, str] = {
    "قال": "قائلا", "أكد": "مؤكدا", "أوضح": "موضحا", "نفى": "نافيا", "أشار": "مشيرا", "أعلن": "معلنا",
    "اعتبر": "معتبرا", "حذر": "محذرا", "أضاف": "مضيفا", "لفت": "لافتا", "شدد": "مشددا", "كشف": "كاشفا",
    "رجح": "مرجحا", "تساءل": "متسائلا", "اتهم": "متهما", "دعا": "داعيا", "طالب": "مطالبا", "ذكر": "ذاكرا",
    "أمل": "مؤملا", "تمنى": "متمنيا", "وصف": "واصفا", "اقترح": "مقترحا", "نوه": "منوها", "توقع": "متوقعا",
    "ناشد": "مناشدا", "أفاد": "مفيدا",
    "اعترف": "معترفا",
}


def _participle_forms() -> dict[str, tuple[Verb, Features]]:
    by_lemma = {v.lemma: v for v in VERBS}
    out: dict[str, tuple[Verb, Features]] = {}
    for lemma, masc in _PARTICIPLES.items():
        stem = masc[:-1]  # drop the accusative alef
        for form, feats in ((masc, ("m", "s")), (stem + "ة", ("f", "s")), (stem + "ين", ("x", "p")), (stem + "ون", ("x", "p"))):
            out[fold(form)] = (by_lemma[lemma], feats)
    return out


PARTICIPLE_FORMS: dict[str, tuple[Verb, Features]] = _participle_forms()
# Particles right before a verb that negate it: "لم يعلن" reports no speech.
NEGATORS = frozenset(fold(w) for w in "لم لا لن ولم ولا ولن ما".split())
# Words that negate the word they govern in a statement, as written (each user folds them its own way):
# claims (a denial that negates the claim's word) and contradictions (one account negated, the other not).
# "ما" (also "what", "that"), "غير" ("other than") and "دون" ("without") are too often something else.
STATEMENT_NEGATORS: tuple[str, ...] = tuple("لا لم لن ليس ليست لسنا ليسوا عدم".split())
# Impersonal report formulas with no speaker: "يذكر أن"، "يشار إلى أن" (the reporter's background).
IMPERSONAL = frozenset(fold(w) for w in "يذكر ويذكر يشار ويشار يُذكر ويُذكر".split())
# Words that open the main clause after an according-to phrase ("ووفقا للوزارة فهناك ...").
MAIN_CLAUSE_OPENERS = frozenset(fold(w) for w in "فهناك فإن فان فإنه فانه فإنها فقد فهو فهي فلا فلم فإن".split())

# Complementisers that open indirect content ("قال إن", "أشار إلى أن", "حذر من أن").
COMPLEMENTIZERS = frozenset(
    fold(w)
    for w in (
        "أن إن أنه إنه أنها إنها أنهم إنهم أنهما إنهما أننا إننا أنني إنني بأن بأنه بأنها بأنهم "
        "أنّ إنّ"
    ).split()
)
# Prepositions that may stand between a verb and its complementiser.
COMPLEMENTIZER_PREPS = frozenset(fold(w) for w in "إلى من".split())

# Words that end a speaker phrase after the verb: time, place and manner
# adverbials, audience phrases, prepositions.
SPEAKER_STOPS = frozenset(
    fold(w)
    for w in (
        "في خلال عبر بعد قبل أثناء عقب لدى أمام على عن من مع حول إلى "
        "اليوم أمس غدا يوم مساء صباح ليلة الليلة أيضا أيضاً كذلك مؤخرا سابقا لاحقا حاليا آنذاك حينها "
        "السبت الأحد الاثنين الإثنين الثلاثاء الأربعاء الخميس الجمعة "
        "للصحفيين للصحافيين للصحافة للإعلام لوسائل لوكالة لقناة لصحيفة لموقع لتلفزيون للتلفزيون "
        "لإذاعة لراديو لـ ل نقلا الذي التي الذين اللذان"
    ).split()
)
# Prepositions whose phrase may belong to an unnamed speaker ("مسؤولون في وزارة الصحة"،
# "المبعوث الأممي إلى اليمن") rather than be an adverbial ("في بيان").
SPEAKER_PREPS = frozenset(fold(w) for w in "في إلى من".split())
# Nouns of a speech event or occasion: a phrase "في مؤتمر", "في إشارة" after a speaker is an
# adverbial of the verb, not part of the speaker (with NOMINAL_CUES, DOCUMENT_HEADS, TIME_WORDS).
EVENT_NOUNS = frozenset(
    fold(w)
    for w in (
        "مؤتمر المؤتمر لقاء اللقاء اجتماع الاجتماع ندوة الندوة إشارة عملية خطاب الخطاب جلسة الجلسة "
        "حوار الحوار اتصال الاتصال مكالمة المكالمة تدوينة تصريحات التصريحات مداخلة حفل الحفل زيارة "
        "ختام افتتاح بداية نهاية سياق السياق معرض رد ردا إطار ظل وقت الوقت حين المقابل هذا هذه ذلك "
        "تلك أول آخر برنامج البرنامج مقابلة المقابلة حديث الحديث كلمة الكلمة تصريح التصريح منشور"
    ).split()
)
# Pronouns that open a circumstantial clause after a speaker ("كيري وهو يتكئ"، "ندى، وهي من طهران").
CLAUSE_PRONOUNS = frozenset(fold(w) for w in "وهو وهي وهم وهما".split())
# "أما X فأوضح": the topic particle whose noun phrase is the subject of the ف-verb after it.
TOPIC_PARTICLES = frozenset(fold(w) for w in "أما وأما".split())
# Words that only make up a time adverbial ("اليوم الجمعة").
TIME_WORDS = frozenset(
    fold(w)
    for w in (
        "اليوم أمس غدا يوم مساء صباح ليلة الليلة أيضا أيضاً كذلك مؤخرا سابقا لاحقا حاليا "
        "السبت الأحد الاثنين الإثنين الثلاثاء الأربعاء الخميس الجمعة الأسبوع الشهر الماضي الماضية المقبل "
        "آنذاك حينها حينذاك وقتها "
        "يناير فبراير مارس أبريل إبريل مايو يونيو يوليو أغسطس سبتمبر أكتوبر نوفمبر ديسمبر "
        "كانون شباط آذار نيسان أيار حزيران تموز آب أيلول تشرين"
    ).split()
)
# Prepositions of a fronted time adverbial before a sentence's verb ("وفي أغسطس الماضي سمحت").
FRONTED_PREPS = frozenset(fold(w) for w in "في وفي خلال وخلال منذ ومنذ".split())
# Two-word linkers that open a clause whose verb follows ("في حين تحدث الرئيس").
CLAUSE_LINKERS = frozenset((fold(a), fold(b)) for a, b in (("في", "حين"), ("وفي", "حين")))
# Nouns that open the content of a deny/confirm verb rather than its subject.
CONTENT_HEADS = frozenset(
    fold(w)
    for w in (
        "مزاعم المزاعم تقارير التقارير تقريرا الأنباء أنباء الاتهامات اتهامات ادعاءات "
        "الادعاءات صحة وجود ما إجراء خبرا أخبارا "
        # masdars a confirmation names ("أكدت الوزارة استمرار الدراسة"، "أكد المصرف عدم وجود أي نقص")
        "استمرار عدم ضرورة أهمية سلامة استقرار توفر توافر انتظام "
        "وقوع حدوث اعتقال توقيف"  # "نفى الخزرجي وقوع أي وفيات"، "نفت الشرطة اعتقال الصحفي"
    ).split()
)
# Words right before a verb that make its subject a pronoun (gender, number).
PRONOUN_SUBJECTS: dict[str, Features] = {
    fold(k): v
    for k, v in {
        "لكنه": ("m", "s"), "لكنها": ("f", "s"), "لكنهم": ("x", "p"), "ولكنه": ("m", "s"),
        "ولكنها": ("f", "s"), "وهو": ("m", "s"), "وهي": ("f", "s"), "هو": ("m", "s"),
        "هي": ("f", "s"), "وهم": ("x", "p"), "كان": ("m", "s"), "كانت": ("f", "s"),
        "كانوا": ("x", "p"), "وكان": ("m", "s"), "وكانت": ("f", "s"), "وكانوا": ("x", "p"),
        "إنه": ("m", "s"), "أنه": ("m", "s"), "إنها": ("f", "s"), "أنها": ("f", "s"),
    }.items()
}
# "كان" forms that open a pluperfect clause ("وكان المعبر أعلن"): not part of the subject.
KANA = frozenset(fold(w) for w in "كان كانت كانوا وكان وكانت وكانوا".split())
RELATIVES = frozenset(fold(w) for w in "الذي التي الذين والذي والتي والذين".split())
# Particles that may precede a clause-initial verb without being its subject.
CLAUSE_PARTICLES = frozenset(fold(w) for w in "ثم كما وكما فيما بينما حين حيث عندما قد وقد لقد إذ اذ".split())
# Quantifiers that open the object of a denial, never part of its subject: "نفى الاتحاد أي مخالفة",
# "نفت الشركة جميع الاتهامات", "رفض الوزير كل المزاعم"; so do demonstratives ("رفض الوزير هذا الاتهام").
OBJECT_OPENERS = frozenset(fold(w) for w in "أي أية كل كافة جميع هذا هذه هذان هاتان هؤلاء تلك ذلك".split())
# Words between a verb and its subject that belong to neither (أعلن فيه ماسك).
SKIP_AFTER_VERB = frozenset(fold(w) for w in "فيه فيها له لها أيضا أيضاً كذلك".split())
# "قوله إن": the relayed speaker's words, with the speaker's agreement.
RELAY_SAYING: dict[str, Features] = {
    fold(k): v
    for k, v in {"قوله": ("m", "s"), "قولها": ("f", "s"), "قولهم": ("x", "p"), "قولهما": ("x", "p"), "قول": ("x", "x")}.items()
}

# According-to frames, as folded token sequences; the speaker follows.
ACCORDING_TO: tuple[tuple[str, ...], ...] = tuple(
    tuple(fold(w) for w in p.split())
    for p in (
        "بحسب", "وبحسب", "حسب", "وحسب", "حسبما", "وفقا", "ووفقا", "وفقاً", "ووفقاً", "طبقا", "وطبقا",
        "وفق", "ووفق", "نقلا عن", "ونقلا عن", "كما جاء في", "وكما جاء في", "كما ورد في", "وكما ورد في",
        "استنادا إلى", "واستنادا إلى",
    )
)
# ACCORDING_TO by first word, each list in ACCORDING_TO's order (first match wins): a dict look-up per token.
ACCORDING_TO_BY_FIRST: dict[str, tuple[tuple[str, ...], ...]] = {
    first: tuple(seq for seq in ACCORDING_TO if seq[0] == first) for first in dict.fromkeys(seq[0] for seq in ACCORDING_TO if seq)
}
# "على حد قوله": the speaker is the pronoun's antecedent.
AS_HE_PUT_IT: dict[str, Features] = {
    fold(k): v
    for k, v in {
        "قوله": ("m", "s"), "قولها": ("f", "s"), "قولهم": ("x", "p"),
        "تعبيره": ("m", "s"), "تعبيرها": ("f", "s"), "وصفه": ("m", "s"), "وصفها": ("f", "s"),
    }.items()
}
# Outlets a speaker talks to ("قال مسؤول للجزيرة نت إن"، "لسكاي نيوز"): names that are no media noun, folded.
AUDIENCE_OUTLETS = frozenset(fold(w) for w in (
    "الجزيرة العربية الحدث الأناضول سبوتنيك الشرق الأهرام الحياة النهار الوطن الرياض عكاظ سكاي فرانس بي سي "
    "الصحفيين الصحافيين الصحافة الإعلام الإعلاميين المراسلين التلفزيون الإذاعة"
).split())
# Nominal frames: "وفي تصريح لـ X، ..." -> X; noun cues.
NOMINAL_CUES = frozenset(fold(w) for w in "تصريح تصريحات بيان مقابلة حديث كلمة رسالة".split())

# Speaker kinds by head word (the first word of the speaker phrase, clitics stripped).
MEDIA_HEADS = frozenset(
    fold(w)
    for w in (
        "صحيفة جريدة وكالة قناة موقع مجلة شبكة إذاعة تلفزيون التلفزيون الصحيفة الجريدة الوكالة "
        "القناة الموقع المجلة الشبكة صحف الصحف وسائل رويترز بلومبرغ بلومبيرغ "
        "مراسل المراسل مراسلة المراسلة مراسلو مراسلي محطة المحطة نشرة صحيفتا سانا واس"
    ).split()
)
DOCUMENT_HEADS = frozenset(
    fold(w)
    for w in (
        "تقرير تقريرا التقرير تقارير التقارير بيان البيان كتاب الكتاب مقال المقال مقالة دراسة الدراسة "
        "وثيقة الوثيقة وثائق الوثائق رسالة الرسالة مذكرة المذكرة تحقيق التحقيق استطلاع الاستطلاع "
        "استراتيجية الاستراتيجية إستراتيجية سجلات السجلات أرقام الأرقام إحصاءات الإحصاءات إحصائيات "
        "بيانات البيانات نتائج النتائج تغريدة التغريدة منشور المنشور قرار القرار"
    ).split()
)
ANONYMOUS_HEADS = frozenset(
    fold(w)
    for w in (
        "مصادر المصادر مصدر المصدر مسؤول مسؤولون مسؤولين المسؤولون المسؤولين مسؤولان المسؤولان "
        "مسؤولة شخص أشخاص أشخاصا "
        "دبلوماسي دبلوماسيون دبلوماسيين مطلعون مراقبون محللون خبراء شهود مقربون "
        "شاهد الشاهد شهود آخر أخرى آخرون آخرين ذات مغرد مغردون المغردون المغردين ناشط ناشطون الناشطون "
        "ناشطين الناشطين المنتقدون منتقدون معارضون المعارضون سكان السكان أهالي الأهالي متابعون "
        "عدد مواطنون المواطنون مسعفون عمال"
    ).split()
)
ORGANIZATION_HEADS = frozenset(
    fold(w)
    for w in (
        "الكرملين الحكومة حكومة وزارة الوزارة البيت الجيش جيش الشرطة الحزب حزب فريق الفريق حملة الحملة "
        "الرئاسة مكتب المكتب التحالف الأمم المنظمة منظمة لجنة اللجنة مجلس المجلس الإدارة إدارة "
        "السلطات سلطات الخارجية الشركة شركة البنك بنك المرصد مرصد الهيئة هيئة الصندوق صندوق الأركان "
        "الدفاع الداخلية المعارضة الائتلاف ائتلاف الجماعة جماعة المؤسسة مؤسسة الجامعة جامعة المحكمة "
        "محكمة النيابة الأمانة أمانة البلدية بلدية الاتحاد اتحاد النادي نادي القيادة قيادة "
        "البرلمان الكونغرس الحرس قوات القوات تنظيم التنظيم حركة الحركة الدفاع المدني البنتاغون "
        "الناتو المفوضية مفوضية الاستخبارات المخابرات جهاز الجهاز مديرية المديرية "
        "نقابة النقابة جمعية الجمعية رابطة الرابطة مستشفى المستشفى سفارة السفارة قنصلية القنصلية مصرف المصرف الأمن "
        # bodies that speak in posts and headlines: "محافظة الجيزة: ...", "سلطة المياه تنفي", "دائرة الأرصاد"
        "سلطة السلطة محافظة المحافظة دائرة الدائرة شرطة مصلحة المصلحة ديوان الديوان إمارة غرفة الغرفة "
        # "المركز الوطني للأرصاد: ..."، "منصة تحقق: ..."، "شعبة الذهب: ..."، "الأرصاد العمانية: ..."
        "مركز المركز منصة المنصة شعبة الشعبة أرصاد الأرصاد معهد المعهد مطارات"
    ).split()
)
# A person's camp speaking, not the person: "فريق ترامب", "حملة كلينتون", "محامو المتهم".
# The phrase is its own source (an organisation), grouped with the person it names.
ENTOURAGE_HEADS = frozenset(
    fold(w)
    for w in (
        "فريق الفريق حملة الحملة مكتب المكتب محامي المحامي محامو محامون المحامون مستشارو مساعدو "
        "أنصار الأنصار مؤيدو عائلة العائلة أسرة الأسرة ذوو ذوي مقربون المقربون"
    ).split()
)
# Two-word heads of a camp: "مدير أعمال الفنانة"، "مدير مكتب الوزير".
ENTOURAGE_PHRASES = frozenset(fold(p) for p in ("مدير أعمال", "مديرة أعمال", "مدير مكتب", "مديرة مكتب"))
PERSON_HEADS = frozenset(
    fold(w)
    for w in (
        "المتحدث المتحدثة الناطق الناطقة الرئيس رئيس وزير الوزير وزيرة مدير المدير السفير "
        "الأمين المستشار النائب الزعيم الملياردير المواطن مواطن المواطنة الشيخ الجنرال اللواء العقيد "
        "العميد الدكتور د المهندس الأمير الملك الملكة القائد قائد المدرب الخبير خبير الناشط الكاتب "
        "الباحث الأستاذ البروفيسور المحامي الطبيب القاضي المدعي الحاكم حاكم حاكما المرشد المبعوث "
        "مبعوث المندوب نائب ناطق متحدث المعتقل العقيد الرائد المقدم النقيب الملازم السيناتور "
        "رجل سيدة الفنان اللاعب المحلل الأسير الضابط ضابط عمدة العمدة محافظ المحافظ أمير"
    ).split()
)
# Countries and capitals: speaking for their governments ("أعلنت روسيا"، "نفت طهران").
PLACE_HEADS = frozenset(
    fold(w)
    for w in (
        "روسيا سوريا تونس تركيا إيران مصر ليبيا فرنسا ألمانيا بريطانيا إسرائيل قطر الكويت عمان "
        "الأردن لبنان اليمن العراق السعودية المملكة الإمارات البحرين السودان الجزائر المغرب الصين "
        "اليابان الهند باكستان أمريكا أميركا الولايات كوريا أوكرانيا واشنطن موسكو دمشق طهران أنقرة "
        "بكين الرياض القاهرة بغداد بيروت باريس لندن برلين الدوحة أبوظبي عمّان"
    ).split()
)
QUANTIFIERS = frozenset(fold(w) for w in "عدة بعض أحد إحدى ثلاثة أربعة عدد".split())
# Broken plurals treated as plural subjects for agreement.
PLURAL_HEADS = frozenset(
    fold(w)
    for w in (
        "مصادر المصادر أشخاص خبراء الخبراء شهود مسؤولون مسؤولين المسؤولون المسؤولين دبلوماسيون "
        "مصدران مسؤولان المسؤولان حاكما "
        "مطلعون مراقبون محللون مقربون المتظاهرون النواب الوزراء القادة سكان السكان"
    ).split()
)

# Headline attribution "X: ..." ("الصحة: لا إصابات جديدة"): a speaker phrase, a colon, what it says.
# Ministries are named by their field alone in such headlines.
MINISTRY_FIELDS = frozenset(
    fold(w)
    for w in (
        "الصحة التعليم الداخلية الخارجية الدفاع العدل المالية الاقتصاد التجارة الإسكان البيئة الطاقة "
        "النقل الزراعة الإعلام الثقافة السياحة الأوقاف العمل الرياضة الشباب الاتصالات الكهرباء المياه"
    ).split()
)
# Words before a colon that label the text, not a speaker ("عاجل:", "بالفيديو:", "المصدر:").
COLON_LABELS = frozenset(
    fold(w)
    for w in (
        "عاجل خاص حصري حصريا فيديو بالفيديو صور بالصور شاهد شاهدوا تحديث مباشر اقرأ أيضا المصدر المصادر "
        "ملاحظة تنويه رأي تحليل إنفوجراف انفوجراف إنفوغراف كتب بقلم الكاتب المحرر تحرير التاريخ الموضوع "
        "السؤال الجواب سؤال جواب العنوان الوسوم كلمات شارك تابعونا المزيد اضغط هنا تفاصيل التفاصيل "
        "ملخص الخلاصة مصدر تصوير الصورة صورة ترجمة إعداد متابعة رسميا هام مهم تنبيه تحذير rt"
    ).split()
)
# Collective nouns whose "من" phrase says who they are ("فريق من الباحثين"، "مجموعة من الخبراء"، "وفد من النقابة").
COLLECTIVE_HEADS = frozenset(fold(w) for w in "فريق مجموعة وفد طاقم جماعة نخبة عدد".split())
