"""Spoken Arabic read as written Arabic: the words rumours are told in.

A rumour travels in the spoken Arabic of its country ("البنوك رح تسكر بكرا"،
"هتشيل الدعم عن العيش"، "النت هيقطع يوم الجمعة") and the authority answers in
the written standard ("لا صحة لإقفال المصارف غدا"، "لا صحة لقطع خدمات الإنترنت").
Claims (:mod:`khabar.claim_tokens`) and story terms (:func:`khabar.stories.terms_of`)
compare words, so each written word first goes through :func:`written`:

* a table of common spoken words by their written equivalent (بكرة -> غدا،
  يسكر -> يغلق، النت -> الإنترنت، العيش -> الخبز، البنوك -> المصارف، البنزين ->
  الوقود, where the posts' word and the statements' differ); spoken fillers
  ("الحين"، "خلاص"، "والله") become nothing;
* the prefixes of spoken verbs, cut when simplemma's dictionary lists what
  remains and not the word: the Egyptian future ه / ح and the progressive ب
  before an imperfect (هيقطع -> يقطع، بيقولوا -> يقولوا), and the Egyptian
  passive ات (اتلغى -> تلغى). A written word the dictionary lists (بيروت، هيئة،
  اتفاق) is never cut.

The table is the project's own, written for posts of the Gulf, the Levant,
Egypt, Iraq and the Maghreb; it is small on purpose (a word that is also a
common written word with another meaning, like سكر "sugar", is listed only in
its verb forms). News rarely uses these words, so written text passes through
unchanged.
"""

from __future__ import annotations

import functools

from khabar.arabic import fold, strip_clitics, strip_diacritics
from khabar.lemmas import listed

# Spoken word (as written in posts) -> its written equivalent; "" for a filler that names nothing. A spoken
# verb becomes the verbal noun a denial uses ("البنوك رح تسكر" / "لا صحة لإغلاق المصارف"): claims read both
# through their root, story terms meet only the written form.
_TABLE_RAW: dict[str, str] = {
    **dict.fromkeys("بكرة بكرا بكره باكر باجر باچر غدوة غدوه".split(), "غدا"),  # Gulf and Iraq باجر, Tunisia غدوة
    **dict.fromkeys("يسكر تسكر يسكرون يسكروا سكروا سكرت يسكّر تسكّر سكّروا بيسكر بتسكر يتسكر بيتسكر تتسكر".split(),
                    "إغلاق"),
    **dict.fromkeys("يقفل تقفل قفلوا يقفلون يقفلوا قفلوه قفلوها سكروه سكروها".split(), "إغلاق"),
    **dict.fromkeys("يسدو يسدوا سدو سدوا غيسدو تسدو".split(), "إغلاق"),  # Maghrebi "غادي يسدو المساجد" (not سد, a dam)
    **dict.fromkeys("اتأجل اتأجلت اتأجلوا اتأجلو اتاجل اتاجلت".split(), "تأجيل"),  # Egyptian passive: "الامتحانات اتأجلت"
    **dict.fromkeys("اتلغت اتلغوا اتلغو".split(), "إلغاء"),  # "الرحلات اتلغت" (the cut تلغت is no word; اتلغى -> تلغى is)
    **dict.fromkeys("انحبس انحبست انسجن انسجنت انمسك انمسكت مسكوه مسكوها".split(), "اعتقال"),  # "انحبس بعد ما مسكوه بالمطار"
    **dict.fromkeys("يطلع تطلع يطلعون طلعوا".split(), "خروج"),
    **dict.fromkeys("يشيل تشيل شال شالوا يشيلون".split(), "إلغاء"),
    **dict.fromkeys("الجاي الجاية الجايه جاي".split(), "القادم"),
    **dict.fromkeys("السمانة سمانة السمانه".split(), "الأسبوع"),  # Maghrebi
    **dict.fromkeys("النت نت".split(), "الإنترنت"),
    **dict.fromkeys("البنوك بنوك البنك بنك".split(), "المصارف"),  # the word of speech; statements write مصرف
    **dict.fromkeys("المولات مولات المول مول".split(), "المراكز"),  # "المراكز التجارية"
    **dict.fromkeys("البنزين بنزين المحروقات محروقات".split(), "الوقود"),  # "البنزين رح يغلى" / "أسعار الوقود"
    **dict.fromkeys("العيش عيش".split(), "الخبز"),
    **dict.fromkeys("البوطا بوطا البوطة بوطة".split(), "البوتان"),  # Moroccan: "ثمن البوطا" / "غاز البوتان"
    **dict.fromkeys("سبيطار السبيطار صبيطار الصبيطار".split(), "المستشفى"),  # Maghrebi: "سبيطار مصطفى باشا"
    **dict.fromkeys("الكهربا كهربا الضو ضو الستاغ".split(), "الكهرباء"),  # Tunisian الضو (light), الستاغ (STEG)
    # Levantine المي، Gulf الموية (not مية: "مية جنيه" is a hundred, "في المية" per cent; not مي, a name)
    **dict.fromkeys("المي الموية موية".split(), "المياه"),
    **dict.fromkeys("الموبايل موبايل التليفون تليفون".split(), "الهاتف"),
    **dict.fromkeys("فلوس مصاري".split(), "أموال"),
    **dict.fromkeys("موتوسيكل موتوسيكلات موتسيكل موتسيكلات".split(), "الدراجات"),  # "الدراجات النارية"
    **dict.fromkeys("الحين هلأ هلق هسه هسا دلوقتي دحين توا خلاص والله شفت شفنا بعيني انشروها انشروا "
                    "عشان علشان كده هيك هاي هادي هاد بدي بدنا يبغى ايش شو ليش واحد حدا يأكد يأكدلي "
                    # Maghrebi: "قالو بلي ..."، "كاش واحد عندو خبر؟"، "ما كاين والو"، "راهو"، "واش صحيح"
                    "بلي كاش والو عندو راهو راهي راهم شكون واش".split(), ""),
}
_TABLE: dict[str, str] = {strip_clitics(fold(k)): v for k, v in _TABLE_RAW.items()}
# Spoken negators ("مش صحيح"، "ماكو رواتب"، "مفيش دراسة"), for :mod:`khabar.denials`.
NEGATORS: frozenset[str] = frozenset(fold(w) for w in
                                     "مش مو مب ماكو مافي مفيش مافيش ماكاينش مكاينش ماكاين مكاين ماحد مابيش مافماش".split())


@functools.lru_cache(maxsize=1 << 15)
def written(word: str) -> str:
    """The written equivalent of a spoken ``word`` (as written, clitics and all), ``""`` for a spoken filler,
    else ``word`` itself."""
    key = strip_clitics(fold(word))
    if key in _TABLE:
        return _TABLE[key]
    w = strip_diacritics(word)
    # هيقطع، حيقطع، بيقولوا: the spoken future or progressive before an imperfect; اتلغى -> تلغى: the Egyptian
    # passive, read as form V (its root is the verb's); هالشهر -> الشهر: the demonstrative ها
    cut = w[1:] if len(w) >= 5 and ((w[0] in "هحب" and w[1] in "يتن") or w.startswith(("ات", "هال"))) else ""
    if cut and not listed(w) and (listed(cut) or strip_clitics(fold(cut)) in _TABLE):  # the dictionary last: news words
        return _TABLE.get(strip_clitics(fold(cut)), cut)
    # عالعناية، عالبيت: على before the article, written as one word
    if len(w) >= 7 and w.startswith("عال") and not listed(w) and listed(w[3:]):
        return "ال" + w[3:]
    # يقطعو، بيقولو: the spoken plural imperfect ends in و where the written one has وا (يقطعوا)
    # (not after a cut prefix: بيكاسو, Picasso, would read as يكاسوا; nor ن-: ناشطو)
    if len(w) >= 5 and w[0] in "يت" and w.endswith("و") and not listed(w) and listed(w[:-1]) \
            and listed(w[:-1] + "ون"):  # a verb with a written plural (يقطعون)
        return _TABLE.get(strip_clitics(fold(w[:-1])), w + "ا")  # تسكرو: the table's تسكر
    return word
