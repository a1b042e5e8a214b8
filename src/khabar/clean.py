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
rule, so short real sentences and quoted subheads stay.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from khabar.arabic import match_key
from khabar.model import OffsetMap, RemovedBlock

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
            r"\s*\)?$|^(?:الصورة|صورة|Photo)\s*[:：(]",
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
)

# Phrases of page furniture. A short line holding one is dropped ("boilerplate");
# in a long line the part from the phrase on is cut ("tail_cut").
BOILERPLATE_PHRASES: tuple[str, ...] = (
    "إعادة استخدام هذا المحتوى", "جميع الحقوق محفوظة", "جميع حقوق النشر", "حقوق النشر محفوظة",
    "Copyright", "All rights reserved", "©",
    "ذات صلة", "ذات علاقة", "الأكثر قراءة", "الأكثر مشاهدة", "الأكثر مشاركة", "الأكثر تداولا",
    "كلمات مفتاحية", "كلمات دال ة", "كلمات دالة", "الوسوم", "مواضيع ذات", "مواد متعلقة", "قد ينال إعجابك",
    "شارك تعليقك", "طباعة الرابط", "شارك هذا", "شارك المقال", "مشاركة المقال", "أرسل لصديق",
    "تابعنا على", "تابعونا على", "اشترك في نشرتن", "اشترك في النشرة", "نشرتنا البريدية", "نشرتنا الاخباري",
    "نشرتنا الإخباري", "قسيمة اشتراك", "subscription form", "Newsletters", "عنوانك البريدي",
    "بريدك الإلكتروني", "البريد الالكتروني", "تسجيل الدخول", "User login", "كلمة السر",
    "Powered by", "Main navigation", "Secondary navigation", "Accessibility links", "Search this site",
    "Custom Search", "Please enable JavaScript", "لا توجد تعليقات", "أضف تعليق", "اترك تعليق",
    "سياسة الخصوصية", "شروط الاستخدام", "ملفات تعريف الارتباط", "الكوكيز", "cookies",
    "اختارت DW", "تخطي شريط التصفح", "وظيفة البحث", "نتيجة البحث", "استمارة البحث", "جاري التحميل",
    "مواقع التواصل", "مختارات تاريخ", "اخبار ذات", "أخبار ذات", "آخر الأخبار وأبرزها", "المزيد من قبل",
    "شبكتنا مواقع الشبكة", "الخبر التالي", "الخبر السابق", "تصفح عدد اليوم",
)

# Ends of navigation runs at the start of a page's first line: cut up to the match.
HEAD_MARKERS: tuple[re.Pattern[str], ...] = (
    re.compile(r"عل\s?م الألمانية\s*/\s*أخبار\s*"),
    re.compile(r"خيارات أخرى\s*"),
)

_SENT_END = re.compile(r"[.!?؟…](?:\s*[\"”»'])?(?=\s)")
_WORD = re.compile(r"\S+")
_INITIAL = re.compile(r"(?:^|\s)\w\s?\.$")  # "م ." / "ع." : an initial, not a sentence end
_BOILER_RE = re.compile("|".join(re.escape(p) for p in sorted(BOILERPLATE_PHRASES, key=len, reverse=True)), re.I)


@dataclass(frozen=True, slots=True)
class Cleaned:
    """Cleaned text, its map back to raw, and what was dropped (raw ranges + rule)."""

    text: str
    offsets: OffsetMap
    removed: list[RemovedBlock] = field(default_factory=list)
    title: str = ""


def _nwords(s: str) -> int:
    return len(_WORD.findall(s))


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
    if n <= int(settings["short_line_words"]) and _BOILER_RE.search(line):
        return "boilerplate"
    return ""


def _tail_cut(raw: str, s: int, e: int) -> tuple[int, bool]:
    """Where trailing page furniture starts in line ``[s, e)`` (``e`` when none).

    Cuts back to just after the last sentence end before the first boilerplate
    phrase, so author initials and agency tags glued to the footer go with it.
    The flag says whether such a sentence end was found (real text precedes).
    """
    m = _BOILER_RE.search(raw, s, e)
    if not m:
        return e, False
    ends = [x.end() for x in _SENT_END.finditer(raw, s, m.start() + 1) if not _INITIAL.search(raw, s, x.start() + 1)]
    return (ends[-1], True) if ends else (m.start(), False)


def _head_cut(raw: str, s: int, e: int, prefix_words: int) -> int:
    """Raw index where the article starts in a first line that begins with page furniture.

    Two signals: a navigation-end marker (HEAD_MARKERS), and the line's first
    ``prefix_words`` words recurring later in it (site title, menus, then the
    title again before the lead): the cut goes after the last repetition.
    """
    cut = s
    for pat in HEAD_MARKERS:
        m = pat.search(raw, s, e)
        if m:
            cut = max(cut, m.end())
    words = list(_WORD.finditer(raw, s, e))
    if len(words) > 2 * prefix_words:
        head = [w.group() for w in words[:prefix_words]]
        for i in range(len(words) - prefix_words, prefix_words - 1, -1):
            if [w.group() for w in words[i : i + prefix_words]] == head:
                j = 0  # extend the repeated run as far as it matches the line's start
                while i + j < len(words) and words[i + j].group() == words[j].group():
                    j += 1
                if i + j < len(words):
                    cut = max(cut, words[i + j].start())
                break
    return cut


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
    prefix_words = int(settings["repeated_prefix_words"])
    title_key = match_key(title) if title.strip() else ""
    keep: list[tuple[int, int]] = []
    removed: list[RemovedBlock] = []
    seen_top: set[str] = set()
    lines = _lines(raw)
    for idx, (s, e) in enumerate(lines):
        line = raw[s:e]
        cut, after_sentence = _tail_cut(raw, s, e)
        if after_sentence and keep:  # past the head: a real sentence with a footer glued on
            removed.append(RemovedBlock(cut, e, "tail_cut"))
            s, e = _trim(raw, s, cut)
            line = raw[s:e]
        rule = _line_rule(line, settings)
        key = match_key(line)
        if not rule and not keep and key:
            if key in seen_top:
                rule = "repeated_title"
            elif key == title_key and not _SENT_END.search(line + " "):
                rule = "title_line"
            seen_top.add(key)
        if rule:
            removed.append(RemovedBlock(s, e, rule))
            continue
        if not keep and idx <= 1:
            head = _head_cut(raw, s, e, prefix_words)
            if head > s:
                removed.append(RemovedBlock(s, head, "head_cut"))
                s, e = _trim(raw, head, e)
        cut, _ = _tail_cut(raw, s, e)
        if cut < e:
            removed.append(RemovedBlock(cut, e, "tail_cut"))
            s, e = _trim(raw, s, cut)
            if e > s and (rule := _line_rule(raw[s:e], settings)):
                removed.append(RemovedBlock(s, e, rule))
                continue
        if e > s:
            keep.append((s, e))
    segments: list[tuple[int, int, int]] = []
    parts: list[str] = []
    pos = 0
    for s, e in keep:
        if parts:
            parts.append("\n")
            pos += 1
        segments.append((pos, s, e - s))
        parts.append(raw[s:e])
        pos += e - s
    text = "".join(parts)
    removed.sort(key=lambda b: (b.raw_start, b.raw_end))
    return Cleaned(text, OffsetMap(tuple(segments), len(text), len(raw)), removed, title.strip())
