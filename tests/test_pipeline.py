"""End-to-end: files -> store, on self-written inputs and on the bundled example corpus."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from khabar.errors import KhabarError
from khabar.pipeline import ARTICLE_STAGES, Stage, analyze, check_order
from khabar.settings import Settings
from khabar.store import Store

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "examples" / "corpus"

ARTICLE_A = """وزير النقل ينفي التوصل إلى اتفاق لإنهاء إضراب الميناء

نفى وزير النقل كمال العبيدي اليوم الثلاثاء التوصل إلى أي اتفاق مع نقابة عمال الميناء لإنهاء الإضراب.
وقال العبيدي للصحفيين: "لا يوجد أي اتفاق حتى الآن، والمفاوضات ما زالت مستمرة".
وأضاف أن الوزارة ستواصل الحوار مع النقابة خلال الأيام المقبلة.
"""

ARTICLE_B = """نقابة عمال الميناء: توصلنا إلى اتفاق مع وزارة النقل

أعلنت نقابة عمال الميناء اليوم الثلاثاء أنها توصلت إلى اتفاق مع وزارة النقل لإنهاء الإضراب المستمر منذ أسبوع.
وقال رئيس النقابة سالم الدوري إن الاتفاق يشمل زيادة الأجور بنسبة عشرة بالمئة.
"""


@pytest.fixture
def settings() -> Settings:
    return Settings.load()


def write_inputs(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "a.txt").write_text(ARTICLE_A, encoding="utf-8")
    (folder / "b.txt").write_text(ARTICLE_B, encoding="utf-8")
    (folder / "empty.txt").write_text("", encoding="utf-8")
    (folder / "binary.txt").write_bytes(b"\x00\x01\x02" * 200)


def test_stage_order_is_checked():
    check_order(ARTICLE_STAGES)
    late = Stage("needs_entities", lambda a, s: None, ("entities",), ())
    with pytest.raises(KhabarError, match="needs_entities"):
        check_order((late, *ARTICLE_STAGES))


def test_analyze_stores_articles_and_reports_bad_files(tmp_path, settings):
    write_inputs(tmp_path / "in")
    store = Store(tmp_path / "k.db")
    summary = analyze([tmp_path / "in"], store, settings, embed=False)
    assert summary.analysed == 2
    skipped = {Path(p).name for p, _ in summary.skipped}
    assert skipped == {"empty.txt", "binary.txt"}
    assert {Path(p["path"]).name for p in store.problems()} == skipped
    arts = list(store.iter_articles())
    assert all(a.story_id for a in arts)
    a = next(x for x in arts if "العبيدي" in x.text)
    assert a.title.startswith("وزير النقل")
    assert any(at.stance == "deny" for at in a.attributions)
    for at in a.attributions:
        rs, re_ = a.raw_range(at.content)
        assert a.raw[rs:re_] == a.span_text(at.content)


def test_reanalyzing_adds_nothing_twice_and_new_files_join(tmp_path, settings):
    write_inputs(tmp_path / "in")
    db = tmp_path / "k.db"
    with Store(db) as store:
        analyze([tmp_path / "in"], store, settings, embed=False)
        before = store.article_count()
        stories_before = {s["id"] for s in store.stories()}
    with Store(db) as store:
        again = analyze([tmp_path / "in"], store, settings, embed=False)
        assert again.analysed == 0 and again.unchanged == 2
        assert store.article_count() == before
        (tmp_path / "more").mkdir()
        (tmp_path / "more" / "c.txt").write_text(ARTICLE_B.replace("الثلاثاء", "الأربعاء") + "\nوتابع الدوري أن العمال سيعودون غدا.\n", encoding="utf-8")
        analyze([tmp_path / "more"], store, settings, embed=False)
        assert store.article_count() == before + 1
        assert stories_before <= {s["id"] for s in store.stories()}


def test_example_corpus_end_to_end(tmp_path, settings):
    store = Store(tmp_path / "k.db")
    summary = analyze([CORPUS], store, settings, embed=False)
    assert summary.analysed >= 12 and not summary.skipped
    stories = store.stories()
    assert len(stories) >= 3
    # at least one story has sources that disagree on one claim
    conflicts = 0
    for s in stories:
        for claim in store.load_claims(s["id"]):
            stances = {m.stance for m in claim.members}
            conflicts += bool({"assert", "confirm"} & stances and "deny" in stances)
    assert conflicts >= 1
    # a syndicated near-copy is marked as a duplicate of another article
    assert any(a.duplicate_of for a in store.iter_articles())
    # every article points at a live story (merged stories hand their articles on)
    live = {s["id"] for s in store.stories()}
    assert {a.story_id for a in store.iter_articles()} <= live
    assert all(store.story(sid)["merged_into"] is None for sid in live)
    # ad markers never survive cleaning
    assert not any("[ad_" in a.text for a in store.iter_articles())


def test_tweet_length_rumour_and_denial_are_analysed(tmp_path, settings):
    """Nothing assumes news-length input: two one-line posts become articles with attributions."""
    (tmp_path / "rumour.txt").write_text("عاجل: يتداول ناشطون أن المدارس ستغلق غدا بسبب العاصفة\n", encoding="utf-8")
    (tmp_path / "denial.txt").write_text("وزارة التعليم: لا صحة لما يتداول عن إغلاق المدارس غدا\n", encoding="utf-8")
    store = Store(tmp_path / "k.db")
    summary = analyze([tmp_path], store, settings, embed=False)
    assert summary.analysed == 2 and not summary.skipped
