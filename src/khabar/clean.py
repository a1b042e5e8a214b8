"""Boilerplate removal on already-scraped article text, with an offset map back to raw.

Scraped text keeps the page around the article: ad markers, a repeated title,
photo captions with a credit, "read more" teasers, share and copyright lines,
navigation menus run together on one line. Cleaning is line based: each raw
line is a block; a block is dropped whole by the first line rule that matches
it, or a leading (navigation, repeated title) or trailing (related links,
copyright) part of it is cut. The rules are data (the tables below and the
``[clean]`` section of defaults.toml); each dropped range is recorded as a
:class:`~khabar.model.RemovedBlock` with the rule's name.

Kept pieces are stripped of outer whitespace and joined with ``"\\n"``; the
:class:`~khabar.model.OffsetMap` records, for every kept piece, that
``text[cs:cs+ln] == raw[rs:rs+ln]``; the joining newlines are inserted
characters. This module is the only place that builds OffsetMaps.

Cleaning is conservative: a short line is dropped only when it matches a
rule, so short real sentences and quoted subheads stay. In the page head the
first content line is cut after the last piece of furniture (menu phrase,
page date, byline, repeated title); once the article has begun, a footer line
(copyright, related list, tags) drops every later line ("footer_zone").
:func:`restore` puts back the blocks of chosen rules. Rules were written
reading baly2018 folds 1-3 of the gold set and scored on fold 4 (see
``khabar.eval.cleaning``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import islice

from khabar.arabic import match_key
from khabar.model import POST_MAX_CHARS, OffsetMap, RemovedBlock

# ------------------------------------------------------------------ rule tables

# Whole-line rules: name -> pattern matched (re.search) against the stripped line.
# Each is checked only on lines of at most the word count given in LINE_RULE_MAX_WORDS
# (a setting name in [clean]) so a long real paragraph is never dropped by one phrase.
LINE_RULES: tuple[tuple[str, re.Pattern[str], str], ...] = (
    ("ad_marker", re.compile(r"^\[\s*ad_\d+\s*\]$|^(?:إعلان|اعلان|advertisement|Advertisement|ADVERTISEMENT)$"), "short_line_words"),
    ("empty_source_label", re.compile(r"^(?:المصادر|المصدر|مصادر|Sources?)\s*[:：]?$"), "short_line_words"),
    (
        "read_more",
        re.compile(r"^(?:اقرأ|إقرأ|اقرا|إقرا)\s+(?:المزيد|أيضا|أيضاً|ايضا|ايضاً)|للمشتركين فقط|^(?:Read more|Read also)\b", re.I),
        "read_more_max_words",
    ),
    (
        "photo_credit",
        re.compile(
            r"/\s*(?:أ\s*ف\s*ب|ا\s*ف\s*ب|أ\s*ب|رويترز|إ\s*ب\s*أ|الأناضول|غيتي|جيتي|AFP|Reuters|AP|EPA|Getty(?:\s+Images)?)"
            r"\s*\)?$|^(?:الصورة|صورة|Photo)\s*[:：(]"
            r"|(?:^|[.،,\s(])(?:تصوير|بعدسة|عدسة|Photo(?:graph)?(?:\s+by)?|Credit)\s*[:：]\s*[^.!?؟:،,]{2,40}\)?$",
            re.I,
        ),
        "caption_max_words",
    ),
    (
        "outlet_signature",
        re.compile(
            r"^[^.!?؟:«“\"]*?(?:\s(?:مع|و)\s*(?:وكالة|وكالات)\b[^.!?؟]*|وكالة فرانس برس|فرانس برس|وكالات|رويترز|أ\s*ف\s*ب)\s*\)?$"
        ),
        "signature_max_words",
    ),
    ("editor_credit", re.compile(r"^\(\s*(?:إعداد|تحرير|كتابة|ترجمة)[^)]*\)$"), "short_line_words"),
    # "الرئيسية > محليات > طقس": a page's path, not its text
    ("breadcrumb", re.compile(r"^(?:الرئيسية|الصفحة الرئيسية|Home)\s*[>»›/|]|^[^.!?؟>»›]{1,30}(?:\s[>»›]\s[^.!?؟>»›]{1,30}){2,}$"),
     "short_line_words"),
    (
        "site_notice",
        re.compile(r"مانع الإعلانات|AD Block|تسجيل الدخول|ملفات تعريف الارتباط|الكوكيز|\bcookies\b|سياسة الخصوصية", re.I),
        "notice_max_words",
    ),
    ("contact_block", re.compile(r"\b(?:Tel|Fax|Phone)\s*:|(?:هاتف|فاكس)\s*:|\w\s?@\s?\w[\w\s.-]*\.\s?(?:com|net|org)\b"), "notice_max_words"),
)

# Phrases of page furniture. FOOTER_PHRASES start the page's footer (copyright,
# related-article lists, tags, newsletter and comment forms): in a long line the
# part from the phrase on is cut ("tail_cut"), and once the article has begun,
# every later line is dropped too ("footer_zone"). LINE_PHRASES are weaker (site
# search help, login and share widgets): a short line holding one is dropped
# ("boilerplate"), a long line is kept. In the page head both kinds end the
# navigation run before the lead (see _head_cut).
FOOTER_PHRASES: tuple[str, ...] = (
    "إعادة استخدام هذا المحتوى", "جميع الحقوق محفوظة", "جميع حقوق النشر", "حقوق النشر محفوظة",
    "Copyright", "All rights reserved", "All Rights Reserved", "©",
    "مواضيع ذات صلة", "مقالات ذات صلة", "أخبار ذات صلة", "اخبار ذات صلة", "روابط ذات صلة", "تغطية ذات صلة",
    "مواضيع متعلقة", "الأخبار المتعلقة", "أخبار متعلقة", "اخبار متعلقة", "مواد متعلقة", "قد ينال إعجابك",
    "وقد يعجبك أيضا", "الأكثر قراءة", "الأكثر مشاهدة", "الأكثر مشاركة", "الأكثر تداولا", "الأكثر شهرة",
    "كلمات مفتاحية", "كلمات دال ة", "كلمات دالة", "الكلمات الدلالية", "الوسوم",
    "اشترك في نشرتن", "اشترك في النشرة", "إشترك في النشرة", "اشترك بنشرة", "إشترك في نشرة", "نشرتنا البريدية",
    "نشرتنا الاخباري", "نشرتنا الإخباري", "شارك تعليقك", "طباعة الرابط", "لا توجد تعليقات", "أضف تعليق",
    "اترك تعليق", "سيتم نشر تعليقك", "تم إرسال تعليقك", "لن يتم نشر بريدك", "Click here to view",
    "المزيد من قبل", "شبكتنا مواقع الشبكة", "الخبر التالي", "الخبر السابق", "الخبر التالى",
    "مختارات تاريخ", "تابعونا على", "تابعونا علي", "لايك لصفحتنا", "مع تحيات اسرة", "مع تحيات أسرة", "نشكر كل متابعينا",
)
LINE_PHRASES: tuple[str, ...] = (
    "ذات صلة", "ذات علاقة", "مواضيع ذات", "قسيمة اشتراك", "subscription form", "Newsletters", "عنوانك البريدي",
    "بريدك الإلكتروني", "بريدك الالكتروني", "البريد الالكتروني", "تسجيل الدخول", "User login", "كلمة السر",
    "كلمة المرور", "إسم المستخدم", "اسم المستخدم", "الاسم المستعار", "اسم المرسل", "Sign in", "Welcome !",
    "Powered by", "Main navigation", "Secondary navigation", "Accessibility links", "Search this site",
    "Search for :", "Search form", "Custom Search", "Please enable JavaScript", "تفعيل الJavaScript",
    "سياسة الخصوصية", "شروط الاستخدام", "ملفات تعريف الارتباط", "الكوكيز", "cookies", "مانع الإعلانات",
    "اختارت DW", "تخطي شريط التصفح", "وظيفة البحث", "نتيجة البحث", "استمارة البحث", "جاري التحميل",
    "جاري الت سجيل", "هل تريد الاشتراك", "اشترك الآن", "الرجاء إدخال", "أعد المحاولة", "الرجاء المحاولة",
    "البحث انطلاقا", "كلمة منقوصة", "شركاء خارجيين", "نضمن عرض هذا المحتوى", "هذا المحتوى تم نشره",
    "بحث عن كلمة", "بحث عن كل التعابير", "بحث عن إحدى", "تستبعد كلمة", "التعبير الدقيق", "تم تسجيلك",
    "حصل خطأ ما", "مسج ل مسبقا", "عزيزي المستخدم", "AD Block", "شكرا لتفهمك", "اختر حسابك",
    "آخر الأخبار وأبرزها", "تصفح عدد اليوم", "تواصل معنا", "حجم الخط", "شارك هذا",
    "شارك المقال", "مشاركة المقال", "شارك الخبر", "مشاركة الخبر", "انشر الخبر", "أرسل لصديق", "شارك بتقييم المحتوى", "Loading the player",
)

# Ends of navigation runs in the page head: cut up to the match.
HEAD_MARKERS: tuple[re.Pattern[str], ...] = (
    re.compile(r"عل\s?م الألمانية\s*/\s*أخبار\s*"),
    re.compile(r"خيارات أخرى\s*"),
    re.compile(r"\(\s*[^()]{0,30}(?:متابعات|وكالات)[^()]{0,10}\)"),  # "( مرآة سوريا - متابعات )"
    re.compile(r"\|\s*[A-Z][A-Za-z.&' ]*[A-Za-z](?=\s+[\u0600-\u06FF])"),  # "... | ASSOCIATED PRESS"
    re.compile(r"\bكتب\s*[:\-]\s*[^:.!?؟\n]{2,40}?\s:"),  # byline "كتب - NAME :"
    re.compile(r"\}\s*\}"),  # end of an unrendered template placeholder "{ { hday } }"
)
# A label of an inline widget opening a line of article text ("اقرأ أيضا :", "أخبار متعلقة").
INLINE_LABEL = re.compile(
    r"(?:(?:اقرأ|إقرأ|اقرا|إقرا|طالع|شاهد)\s+(?:أيضا|أيضاً|ايضا|ايضاً)|أخبار متعلقة|اخبار متعلقة|أخبار ذات صلة|ذات صلة)\s*:?\s*"
)
# A label line whose rest is shorter than this and ends no sentence is a teaser headline: removed whole.
TEASER_MAX_WORDS = 20
# A label alone on its line ("اقرأ أيضا:") lists at most this many headlines after it, each one line short of a sentence.
_TEASERS_UNDER_LABEL = 5
# Article's end: a Reuters-style editing credit, then nothing of the article follows.
TAIL_MARKERS: tuple[re.Pattern[str], ...] = (re.compile(r"\(\s*(?:إعداد|تحرير)\b[^)]{0,80}\)"),)
# A line opening a related-articles list (WordPress "Related" in Arabic).
RELATED_START = re.compile(r"^مرتبط\s")

_M = (
    "يناير|فبراير|مارس|أبريل|ابريل|إبريل|مايو|يونيو|يونيه|يوليو|يوليه|أغسطس|اغسطس|سبتمبر|أكتوبر|اكتوبر|نوفمبر|"
    "ديسمبر|كانون الثاني|شباط|آذار|اذار|نيسان|أيار|ايار|حزيران|تموز|آب|أيلول|ايلول|تشرين الأول|تشرين الاول|"
    "تشرين الثاني|كانون الأول|كانون الاول|محرم|صفر|ربيع الأول|ربيع الاول|ربيع الثاني|ربيع الآخر|جمادى الأولى|"
    "جمادى الاول|جمادى الآخرة|جمادى الثاني|رجب|شعبان|رمضان|شوال|ذو القعدة|ذو الحجة|January|February|March|"
    "April|May|June|July|August|September|October|November|December"
)
# Dates and times as scraped pages print them in the head (tokenised: "16 / 02 / 2017", "23 : 35").
_DATE = re.compile(
    rf"(?:\b\d{{1,4}}\s?[/.\-]\s?\d{{1,2}}\s?[/.\-]\s?\d{{2,4}}\b|\b\d{{1,2}}\s*(?:{_M})(?:\s*/\s*(?:{_M}))?\s*,?\s*\d{{4}}\b"
    rf"|(?:{_M})\s*\d{{1,2}}\s*,\s*\d{{4}}\b|\b\d{{1,2}}\s?:\s?\d{{2}}\b)"
    r"(?:\s*(?:[|\-–,:\[\]]|م(?=\s)|ه(?=\s)|هـ|AST|GMT|UTC|ص(?=\s)|مساء|صباحا|بتوقيت\s+\S+|\(\s*(?:مكة المكرمة|GMT[^)]*|محدثة[^)]*)\))(?=\s))*"
)
# A date preceded by one of these words is part of a sentence, not the page head.
_PROSE_BEFORE = frozenset("في منذ حتى يوم بتاريخ مطلع أواخر اواخر نهاية بداية خلال قبل بعد الى إلى و عام العام من".split())
_LATIN_RUN = re.compile(r"(?:[A-Za-z0-9.,'’&()|:/-]+\s+)+(?=[\u0600-\u06FF])")

_SENT_END = re.compile(r"[.!?؟…](?:\s*[\"”»'])?(?=\s)")
_WORD = re.compile(r"\S+")
_INITIAL = re.compile(r"(?:^|\s)\w\s?\.$")  # "م ." / "ع." : an initial, not a sentence end


def _trie(words: list[str]) -> str:
    """A regex source matching any of ``words``, factored by common prefixes.

    Python's ``re`` tries alternatives one by one at each position; a trie
    makes a miss cost one character test, which keeps cleaning fast.
    """
    tree: dict = {}
    for w in words:
        node = tree
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict) -> str:
        alts = [re.escape(ch) + emit(child) for ch, child in sorted(node.items()) if ch]
        optional = "" in node
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return f"(?:{body})?" if optional else body

    return emit(tree)


def _phrase_re(phrases: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(_trie(sorted({p.lower() for p in phrases})), re.I)


_FOOTER_RE = _phrase_re(FOOTER_PHRASES)
_LINE_RE = _phrase_re(LINE_PHRASES)
_ANY_RE = _phrase_re(FOOTER_PHRASES + LINE_PHRASES)


@dataclass(frozen=True, slots=True)
class Cleaned:
    """Cleaned text, its map back to raw, and what was dropped (raw ranges + rule)."""

    text: str
    offsets: OffsetMap
    removed: list[RemovedBlock] = field(default_factory=list)
    title: str = ""


def _nwords(s: str) -> int:
    return len(s.split())


def _lines(raw: str) -> list[tuple[int, int]]:
    """``(start, end)`` of each line's non-whitespace extent; blank lines omitted."""
    out: list[tuple[int, int]] = []
    pos = 0
    for line in raw.splitlines(keepends=True):
        body = line.rstrip("\r\n\u2028\u2029\x0b\x0c\x1c\x1d\x1e\x85")
        s, e = pos, pos + len(body)
        while s < e and raw[s].isspace():
            s += 1
        while e > s and raw[e - 1].isspace():
            e -= 1
        if e > s:
            out.append((s, e))
        pos += len(line)
    return out


def _trim(raw: str, s: int, e: int) -> tuple[int, int]:
    while s < e and raw[s].isspace():
        s += 1
    while e > s and raw[e - 1].isspace():
        e -= 1
    return s, e


def _line_rule(line: str, settings: dict) -> str:
    """Name of the first whole-line rule matching ``line``, or ""."""
    n = _nwords(line)
    for name, pattern, limit in LINE_RULES:
        if n <= int(settings[limit]) and pattern.search(line):
            return name
    if RELATED_START.search(line):
        return "related_list"
    if n <= int(settings["short_line_words"]) and _ANY_RE.search(line) and not _prose(line, n):
        return "boilerplate"
    return ""


_CLAUSE_BREAK = re.compile(r"\w[.،,؛!؟?]\s+\w")


def _prose(line: str, n_words: int) -> bool:
    """Whether a line holding a furniture phrase is a message of its own: a post or a company's reply of two
    clauses ("خدمة التحويل متاحة لأكثر من 200 دولة. لأي استفسار تواصل معنا عبر المحادثة") is content, where a
    menu ("الرئيسية أخبار تواصل معنا") is not."""
    return n_words >= 12 and _CLAUSE_BREAK.search(line) is not None


_DIGIT_DOT = re.compile(r"\d\s?\.\s?\d")


def _sentence_ends(raw: str, s: int, e: int) -> list[int]:
    """Raw indices just after each sentence end in ``[s, e)``.

    Not ends: an initial ("م .") and a dot between digits ("01 . 02 . 2017", "3 . 5").
    """
    return [
        x.end()
        for x in _SENT_END.finditer(raw, s, e)
        if not _INITIAL.search(raw, s, x.start() + 1) and not _DIGIT_DOT.match(raw, max(s, x.start() - 2), x.start() + 3)
    ]


def _tail_cut(raw: str, s: int, e: int) -> tuple[int, bool]:
    """Where the page footer starts in line ``[s, e)`` (``e`` when none).

    Cuts back to just after the last sentence end before the first footer
    phrase, so author initials and agency tags glued to the footer go with it;
    an editing credit "( إعداد ... )" is cut from its own start. The flag says
    whether real text precedes the cut.
    """
    starts = [m.start() for m in (_FOOTER_RE.search(raw, s, e),) if m]
    credit = [m.start() for pat in TAIL_MARKERS if (m := pat.search(raw, s, e))]
    if credit and (not starts or min(credit) <= starts[0]):
        cut = min(credit)
        return cut, bool(raw[s:cut].strip())
    if not starts:
        return e, False
    ends = _sentence_ends(raw, s, starts[0] + 1)
    return (ends[-1], True) if ends else (starts[0], False)


def _word_spans(raw: str, s: int, e: int, limit: int | None = None) -> list[tuple[int, int, str]]:
    """``(start, end, word)`` of the first ``limit`` (all when None) words of ``raw[s:e]``."""
    return [(m.start(), m.end(), m.group()) for m in islice(_WORD.finditer(raw, s, e), limit)]


def _repeat_cuts(words: list[tuple[int, int, str]], source: list[str], same_line: bool, settings: dict) -> list[int]:
    """Raw ends of runs that repeat the page's opening words (its title) in this line.

    ``source`` is the first line's opening words; a run is a stretch of
    ``repeated_prefix_words``-grams found in it, at least ``repeat_min_words``
    long (shorter echoes are a lead quoting its title), or as long as the title
    when the page opens "TITLE - SITE" / "TITLE | SITE". In the first line
    itself a gram counts only from its second occurrence on.
    """
    n, min_run = int(settings["repeated_prefix_words"]), int(settings["repeat_min_words"])
    sep = next((i for i, w in enumerate(source) if w in ("-", "|", "–")), 0)
    if sep >= n:  # "TITLE - SITE ...": a title shorter than min_run still counts when repeated whole
        min_run = min(min_run, sep)
    grams = {tuple(source[i : i + n]) for i in range(len(source) - n + 1)}
    seen: set[tuple[str, ...]] = set()
    hits: list[int] = []
    for i in range(len(words) - n + 1):
        g = tuple(w for _, _, w in words[i : i + n])
        if g in grams and (not same_line or g in seen):
            hits.append(i)
        seen.add(g)
    cuts: list[int] = []
    start = 0
    opening = tuple(source[:n])
    for k, i in enumerate(hits):
        if k == 0 or i != hits[k - 1] + 1:
            start = i
        # in a line after the title, a repeated title opens the line or opens with the title's first words:
        # "رفع أسعار الوقود بنسبة 10 في المئة" deep in the lead "عمّان (بترا) - أعلن وزير المالية ... رفع أسعار
        # الوقود" is the headline's news, not the page's title
        if (k + 1 == len(hits) or hits[k + 1] != i + 1) and i - start + n >= min_run \
                and (same_line or start <= min_run or tuple(w for _, _, w in words[start : start + n]) == opening):
            cuts.append(words[i + n - 1][1])
    return cuts


def _date_cuts(raw: str, s: int, e: int) -> list[int]:
    """Raw ends of page-head dates and times in ``[s, e)`` (dates inside prose skipped)."""
    out = []
    for m in _DATE.finditer(raw, s, e):
        before = raw[max(s, m.start() - 12) : m.start()].split()
        if before and before[-1] in _PROSE_BEFORE:
            continue
        out.append(m.end())
    return out


def _head_cut(raw: str, s: int, e: int, source: list[str], same_line: bool, settings: dict) -> int:
    """Raw index where the article starts in the page's first content line (``e``: none).

    The head of a scraped page runs site name, menus, title, dates, bylines and
    widgets into the lead. Candidate lead starts: after a navigation-end marker
    (HEAD_MARKERS), after a furniture phrase, after a page-head date or time,
    after a repetition of the title (the first line's opening words). The
    latest candidate within the first ``head_max_words`` words that still
    leaves ``lead_min_words`` words is taken, then a Latin photo credit right
    after it ("Anadolu Agency via Getty Images") is skipped. When the latest
    candidate leaves fewer words and they hold a furniture phrase or no
    sentence end (or the cut was a marker or phrase), the whole line is page
    head and ``e`` is returned.
    """
    lead_min, head_max = int(settings["lead_min_words"]), int(settings["head_max_words"])
    words = _word_spans(raw, s, e, head_max + lead_min)
    if not words:
        return s
    limit = words[min(len(words), head_max) - 1][1]
    cands = [m.end() for pat in HEAD_MARKERS for m in pat.finditer(raw, s, limit)]
    # a furniture phrase after two or more sentences ends the article's first paragraph, not the page head
    # ("... من الأسبوع المقبل. وأوضحت الهيئة ... تابعونا على تطبيقنا"): the tail cut takes it, not a head cut
    cands += [m.end() for m in _ANY_RE.finditer(raw, s, limit) if len(_SENT_END.findall(raw, s, m.start())) < 2]
    furniture = bool(cands)  # a marker or phrase (not only a date or the title) was seen
    cands += _date_cuts(raw, s, limit)
    cands += _repeat_cuts(words, source, same_line, settings)
    cands = [c for c in cands if s < c <= limit]
    if not cands:
        return s
    last = max(cands)
    rest = raw[last:e]
    if _nwords(rest) < lead_min and (furniture or not _SENT_END.search(rest + " ")):
        return e
    if len(words) == head_max + lead_min:  # a long line: lead_min words surely follow any head cut
        latest = limit
    else:
        latest = words[-lead_min][0] if len(words) >= lead_min else s
    ok = [c for c in cands if c <= latest]
    if not ok:
        return s
    cut = max(ok)
    m = _LATIN_RUN.match(raw, cut + (len(raw[cut:e]) - len(raw[cut:e].lstrip())))
    return m.end() if m and m.end() <= latest else cut


def clean(raw: str, *, title: str = "", settings: dict) -> Cleaned:
    """Drop boilerplate from ``raw`` and map the result back to it.

    Args:
        raw: decoded input text (``Article.raw``).
        title: the article's title if known; top lines equal to it are dropped
            unless they read as a sentence (ending in ".").
        settings: the ``[clean]`` settings section.

    Returns:
        Cleaned with ``text``, an OffsetMap (clean -> raw code-point offsets),
        the removed raw ranges with rule names, and the title.
    """
    title_key = match_key(title) if title.strip() else ""
    keep: list[tuple[int, int]] = []
    removed: list[RemovedBlock] = []
    seen_top: set[str] = set()
    lines = _lines(raw)
    source = [w for _, _, w in _word_spans(raw, *lines[0])][: int(settings["title_source_words"])] if lines else []
    in_footer = False
    teasers = 0  # headlines still expected under a bare related-articles label
    kept_words = 0  # the footer zone opens only once this many article words were kept
    footer_after = int(settings["footer_after_words"])
    for idx, (s, e) in enumerate(lines):
        if in_footer:
            removed.append(RemovedBlock(s, e, "footer_zone"))
            continue
        cut, after_sentence = _tail_cut(raw, s, e)
        first_cut = (s, e, cut)
        if after_sentence and keep:  # past the head: a real sentence with a footer glued on
            removed.append(RemovedBlock(cut, e, "tail_cut"))
            s, e = _trim(raw, s, cut)
            in_footer = kept_words >= footer_after
        if teasers and _nwords(raw[s:e]) < TEASER_MAX_WORDS and not _SENT_END.search(raw[s:e].rstrip() + " ") \
                and not _line_rule(raw[s:e], settings):
            teasers -= 1  # a headline listed under a bare "اقرأ أيضا:" line
            removed.append(RemovedBlock(s, e, "related_teaser"))
            continue
        teasers = 0
        if keep and (m := INLINE_LABEL.match(raw, s, e)):
            rest = raw[m.end() : e]
            if _nwords(rest) < TEASER_MAX_WORDS and not _SENT_END.search(rest.rstrip() + " "):
                removed.append(RemovedBlock(s, e, "related_teaser"))  # "اقرأ أيضا: الجيش: لا صحة لأنباء ..."
                teasers = _TEASERS_UNDER_LABEL if not rest.strip() else 0  # the label alone: its headlines follow
                continue  # a linked headline of another article: never a statement of this one
            if _nwords(rest) >= int(settings["lead_min_words"]):
                removed.append(RemovedBlock(s, m.end(), "inline_label"))  # the label glued onto a paragraph
                s = m.end()
        line = raw[s:e]
        rule = _line_rule(line, settings)
        key = match_key(line) if not rule and not keep else ""
        if key:
            if key in seen_top:
                rule = "repeated_title"
            elif key == title_key and not _SENT_END.search(line + " "):
                rule = "title_line"
            seen_top.add(key)
        if rule:
            removed.append(RemovedBlock(s, e, rule))
            if kept_words >= footer_after and (rule == "related_list" or _FOOTER_RE.search(line)):
                in_footer = True
            continue
        cut_any = False
        if not keep:
            head = _head_cut(raw, s, e, source, idx == 0, settings)
            if head > s:
                removed.append(RemovedBlock(s, head, "head_cut"))
                s, e = _trim(raw, head, e)
                cut_any = True
        cut = first_cut[2] if first_cut[:2] == (s, e) else _tail_cut(raw, s, e)[0]
        if cut < e:
            removed.append(RemovedBlock(cut, e, "tail_cut"))
            s, e = _trim(raw, s, cut)
            cut_any = True
            n_here = _nwords(raw[s:e])
            in_footer = kept_words + n_here >= footer_after
        if cut_any and e > s and (rule := _line_rule(raw[s:e], settings)):
            removed.append(RemovedBlock(s, e, rule))
            continue
        if e > s:
            keep.append((s, e))
            kept_words += _nwords(raw[s:e])
    if not keep:  # a one-line post (tweet, headline-only item): its title is its text; a caption needs a page
        lone = next((b for b in removed if b.rule == "title_line"), None) or (
            removed[0] if len(lines) == 1 and len(removed) == 1 and removed[0].rule == "photo_credit" else None) or (
            # a company's one-line reply holding a furniture phrase ("... لأي استفسار تواصل معنا عبر المحادثة")
            _whole(removed, lines) if len(lines) == 1 and _nwords(raw) >= int(settings["lead_min_words"])
            and len(raw.strip()) <= POST_MAX_CHARS else None)
        if lone is not None:
            removed.remove(lone)
            keep.append((lone.raw_start, lone.raw_end))
    text, offsets = _join(raw, keep)
    removed.sort(key=lambda b: (b.raw_start, b.raw_end))
    return Cleaned(text, offsets, removed, title.strip())


def _whole(removed: list[RemovedBlock], lines: list[tuple[int, int]]) -> RemovedBlock | None:
    """The one line of a post, removed whole as page furniture (a phrase rule or the page-head cut), as a
    block to restore; None when it went in pieces or by another rule."""
    (s, e), = lines
    if len(removed) == 1 and removed[0].rule in ("boilerplate", "head_cut") \
            and (removed[0].raw_start, removed[0].raw_end) == (s, e):
        return removed[0]
    return None


def _join(raw: str, ranges: list[tuple[int, int]] | list[list[int]]) -> tuple[str, OffsetMap]:
    """Kept raw ranges joined by "\n", and the OffsetMap back to ``raw``: the one place it is built."""
    segments: list[tuple[int, int, int]] = []
    parts: list[str] = []
    pos = 0
    for s, e in ranges:
        if parts:
            parts.append("\n")
            pos += 1
        segments.append((pos, s, e - s))
        parts.append(raw[s:e])
        pos += e - s
    text = "".join(parts)
    return text, OffsetMap(tuple(segments), len(text), len(raw))


def restore(raw: str, cleaned: Cleaned, rules: set[str]) -> Cleaned:
    """Undo the removals made by ``rules``: the kept text plus those blocks, in raw order.

    Kept pieces and restored blocks are merged where only spaces or tabs
    separate them in ``raw`` (a head cut put back in front of its lead), and
    joined with ``"\\n"`` otherwise, as :func:`clean` joins kept lines. Blocks
    removed by other rules stay removed.

    Args:
        raw: the text ``cleaned`` was made from.
        cleaned: the result of :func:`clean` on ``raw``.
        rules: rule names to undo ("head_cut", "footer_zone", ...).

    Returns:
        A new Cleaned whose OffsetMap again maps every piece back to ``raw``.
    """
    ranges = [(rs, rs + ln) for _, rs, ln in cleaned.offsets.segments]
    ranges += [(b.raw_start, b.raw_end) for b in cleaned.removed if b.rule in rules]
    merged: list[list[int]] = []
    for s, e in sorted(ranges):
        s, e = _trim(raw, s, e)
        if e <= s:
            continue
        if merged and (s <= merged[-1][1] or not raw[merged[-1][1] : s].strip(" \t\u00a0")):
            merged[-1][1] = max(merged[-1][1], e)
        else:
            merged.append([s, e])
    text, offsets = _join(raw, merged)
    left = [b for b in cleaned.removed if b.rule not in rules]
    return Cleaned(text, offsets, left, cleaned.title)
