"""UI labels in Arabic (the default) and English.

Only the interface is translated; article text, claims and names are shown as
written. The language comes from ``?lang=ar|en``, then the ``lang`` cookie.
Templates read labels as ``t.key``; a missing key fails the render (the
template environment is strict), so both tables must hold the same keys.
"""

from __future__ import annotations

from khabar.dossier import KIND_LABELS, STANCE_LABELS

LANGS: tuple[str, ...] = ("ar", "en")
DEFAULT_LANG = "ar"
COOKIE = "lang"

_AR: dict[str, str] = {
    "brand": "خبر", "tagline": "من قال ماذا، ومن ينفي", "stories": "القصص", "search": "بحث", "analyse": "تحليل مقالات",
    "other_lang": "English", "story": "القصة", "articles": "مقال", "articles_title": "المقالات", "outlets_n": "وسيلة إعلام", "claims_n": "ادعاء",
    "contested": "تعارض: نفي وتأكيد", "contested_title": "مصدر ينفي ادعاءً يؤكده مصدر آخر",
    "filter": "تصفية", "since": "من تاريخ", "until": "إلى تاريخ", "outlet": "وسيلة الإعلام", "entity": "الكيان",
    "any": "الكل", "sort": "الترتيب", "sort_size": "الأكبر", "sort_recent": "الأحدث", "apply": "تطبيق",
    "clear": "مسح التصفية", "prev": "السابق", "next": "التالي", "page_of": "من", "showing": "القصص",
    "no_stories": "لا قصص بعد. حلّل مقالات أولاً:", "no_match": "لا قصص تطابق التصفية.",
    "timeline": "الخط الزمني", "undated": "مقال بلا تاريخ", "matrix": "مصفوفة الادعاءات",
    "matrix_caption": "الادعاءات × المصادر (انقر خانة لترى الجملة في مقالها)", "claim": "الادعاء",
    "claims_evidence": "الادعاءات والأدلة", "in_context": "في سياق المقال", "no_claims": "لا ادعاءات مستخرجة لهذه القصة.",
    "matrix_shown": "ادعاءً يتحدث عنها أكثر المصادر معروضة هنا؛", "matrix_hidden": "ادعاءً آخر، لكل منها مصادر أقل، غير معروضة هنا ولا في قسم الأدلة.",
    "matrix_all": "اعرض كل الادعاءات",
    "who_denies": "من ينفي من", "denies": "ينفي ما قاله", "no_denials": "لا نفي متبادل.",
    "first_seen": "أول ظهور", "contradictions": "روايات متعارضة", "no_contradictions": "لا روايات متعارضة بلا نفي صريح.",
    "versus": "مقابل", "kind_number": "العدد", "kind_date": "التاريخ", "kind_place": "المكان", "kind_actor": "الفاعل",
    "kind_negation": "النفي", "kind_antonym": "التضاد",
    "entities": "الكيانات", "no_entities": "لا كيانات.", "variants": "الصيغ", "roles": "الصفات", "mentions": "إشارة",
    "copies": "نسخة مكررة", "copy": "نسخة", "copy_of": "نسخة من", "removed_n": "مقطع محذوف",
    "rel_exact": "نسخة مطابقة", "rel_near": "نسخة شبه مطابقة", "rel_syndicated": "إعادة نشر لخبر وكالة",
    "rel_translation": "ترجمة", "rel_revision": "نسخة سابقة من المقال نفسه",
    "file": "الملف", "attributions": "الأقوال المنسوبة", "no_attributions": "لا أقوال منسوبة.",
    "unnamed": "(غير مسمّى)", "quoting": "نقلاً عن", "removed": "ما حُذف عند التنظيف", "nothing_removed": "لم يُحذف شيء.",
    "evidence": "الجملة المستشهد بها", "statements": "التصريحات", "no_statements": "لا تصريحات منسوبة.",
    "denied_by": "من ينفي ما قاله", "they_deny": "ما ينفيه", "no_stories_entity": "لا قصص.",
    "search_placeholder": "اسم أو كلمة، مثل بوتين", "search_results": "نتائج البحث", "expanded": "بحثنا أيضاً عن",
    "no_results": "لا نتائج.", "results_articles": "مقالات", "results_statements": "تصريحات", "said": "قال",
    "upload_help": "ارفع ملفات (txt أو html أو json أو jsonl) أو أرشيف zip. الحد الأقصى",
    "upload": "ارفع وحلّل", "files": "الملفات", "job": "التحليل", "job_queued": "في الانتظار", "job_running": "جارٍ التحليل",
    "job_done": "اكتمل", "job_failed": "فشل", "inputs": "مدخلات", "processed": "عولج", "skipped": "تُخطّي",
    "analysed": "حُلّل", "duplicates": "مكررة", "unchanged": "موجودة من قبل", "stories_touched": "القصص المحدّثة",
    "error": "خطأ", "back": "العودة إلى القصص", "mb": "ميغابايت",
    "how_joined": "كيف انضمت", "confidence": "الثقة", "wikidata": "ويكي بيانات", "how_user": "حدّدها المستخدم",
    "how_first": "أول صيغة", "how_same_spelling": "الإملاء نفسه", "how_spelling": "تهجئة أخرى",
    "how_short_form": "صيغة مختصرة", "how_latin": "بالحروف اللاتينية", "how_other": "من سياق المقال",
    "how_unknown": "غير معروف",
}

_EN: dict[str, str] = {
    "brand": "khabar", "tagline": "who said what, and who denies it", "stories": "Stories", "search": "Search",
    "analyse": "Analyse articles", "other_lang": "العربية", "story": "Story", "articles": "articles", "articles_title": "Articles",
    "outlets_n": "outlets", "claims_n": "claims", "contested": "Contested: denied and asserted",
    "contested_title": "one source denies a claim another source asserts", "filter": "Filter", "since": "From",
    "until": "To", "outlet": "Outlet", "entity": "Entity", "any": "Any", "sort": "Sort", "sort_size": "Largest",
    "sort_recent": "Most recent", "apply": "Apply", "clear": "Clear filters", "prev": "Previous", "next": "Next",
    "page_of": "of", "showing": "stories", "no_stories": "No stories yet. Analyse some articles first:",
    "no_match": "No story matches these filters.", "timeline": "Timeline", "undated": "undated articles",
    "matrix": "Claims matrix", "matrix_caption": "Claims × sources (click a cell to see the sentence in its article)",
    "claim": "Claim", "claims_evidence": "Claims and evidence", "in_context": "in the article",
    "no_claims": "No claims extracted for this story.",
    "matrix_shown": "claims most sources speak to are shown here;", "matrix_hidden": "more, each with fewer sources, are left out here and in the evidence section.",
    "matrix_all": "Show all claims", "who_denies": "Who denies whom", "denies": "denies what was said by",
    "first_seen": "First seen", "contradictions": "Conflicting accounts", "no_contradictions": "No conflicting accounts without an explicit denial.",
    "versus": "versus", "kind_number": "number", "kind_date": "date", "kind_place": "place", "kind_actor": "actor",
    "kind_negation": "negation", "kind_antonym": "antonym",
    "no_denials": "No denials.", "entities": "Entities", "no_entities": "No entities.", "variants": "Variants",
    "roles": "Roles", "mentions": "mentions", "copies": "duplicate copies", "copy": "copy", "copy_of": "copy of",
    "rel_exact": "exact copy", "rel_near": "near copy", "rel_syndicated": "syndicated wire", "rel_translation": "translation", "rel_revision": "earlier version",
    "removed_n": "removed blocks", "file": "File", "attributions": "Attributed statements",
    "no_attributions": "No attributed statements.", "unnamed": "(unnamed)", "quoting": "quoting",
    "removed": "Removed when cleaning", "nothing_removed": "Nothing was removed.", "evidence": "Evidence sentence",
    "statements": "Statements", "no_statements": "No attributed statements.", "denied_by": "Denied by",
    "they_deny": "Denies", "no_stories_entity": "No stories.", "search_placeholder": "a name or word, e.g. بوتين",
    "search_results": "Search results", "expanded": "Also searched for", "no_results": "No results.",
    "results_articles": "Articles", "results_statements": "Statements", "said": "said",
    "upload_help": "Upload files (txt, html, json, jsonl) or a zip archive. Limit", "upload": "Upload and analyse",
    "files": "Files", "job": "Analysis", "job_queued": "queued", "job_running": "running", "job_done": "done",
    "job_failed": "failed", "inputs": "inputs", "processed": "processed", "skipped": "skipped", "analysed": "analysed",
    "duplicates": "duplicates", "unchanged": "already stored", "stories_touched": "Stories updated", "error": "Error",
    "back": "Back to the stories", "mb": "MB",
    "how_joined": "How it joined", "confidence": "Confidence", "wikidata": "Wikidata", "how_user": "set by the user",
    "how_first": "first form", "how_same_spelling": "same spelling", "how_spelling": "spelling variant",
    "how_short_form": "short form", "how_latin": "Latin script", "how_other": "article context",
    "how_unknown": "unknown",
}

STANCE_LABELS_EN: dict[str, str] = {
    "assert": "asserts", "deny": "denies", "confirm": "confirms", "allege": "alleges", "question": "questions",
    "other": "other",
}
KIND_LABELS_EN: dict[str, str] = {
    "direct": "direct quote", "indirect": "indirect", "according_to": "according to", "mixed": "mixed",
}

LABELS: dict[str, dict[str, str]] = {"ar": _AR, "en": _EN}


def pick_lang(query: str | None, cookie: str | None) -> str:
    """``?lang=`` if valid, else the cookie if valid, else Arabic."""
    for cand in (query, cookie):
        if cand in LANGS:
            return cand
    return DEFAULT_LANG


def context(lang: str) -> dict[str, object]:
    """Template variables for ``lang``: ``t`` (labels), stance and kind labels, ``lang``, ``dir``."""
    en = lang == "en"
    return {
        "t": _EN if en else _AR,
        "stance_labels": STANCE_LABELS_EN if en else STANCE_LABELS,
        "kind_labels": KIND_LABELS_EN if en else KIND_LABELS,
        "lang": lang,
        "dir": "ltr" if en else "rtl",
    }
