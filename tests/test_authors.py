"""A post's people as cross-script name keys: the person a rumour names answering from their own account."""

from __future__ import annotations

import pytest

from khabar.authors import author_words, in_first_person, name_terms


@pytest.mark.parametrize("source, words", [
    ("X @RimaKhouryOfficial", ["Rima", "Khoury"]),
    ("Facebook د. معتصم الفاضل", ["معتصم", "الفاضل"]),
    ("X @dr_moatasem_alfadil", ["moatasem", "alfadil"]),
    ("تويتر/@news_now", ["now"]),
    ("Facebook أخبار الإسكندرية", ["الإسكندرية"]),
])
def test_authors_name_words_of_a_source(source: str, words: list[str]) -> None:
    assert author_words(source) == words


def test_authors_name_keys_meet_across_scripts_and_need_two_words() -> None:
    assert name_terms(["ريما", "الخوري"]) == name_terms(["Rima", "Khoury"]) != []
    assert name_terms(["معتصم", "الفاضل"]) == name_terms(["moatasem", "alfadil"]) != []
    assert name_terms(["ريما", "الخوري"]) != name_terms(["ريما", "الحسن"])  # a first name alone is no one
    assert name_terms(["الإسكندرية"]) == []


@pytest.mark.parametrize("text, first", [
    ("أنا بخير والحمد لله", True),
    ("كل ما يُكتب عن انفصالي عن زوجي غير صحيح", True),
    ("الخبر المنتشر عن اعتقالي غير صحيح", True),
    ("لا صحة لما يتم تداوله عن الوضع الحالي", False),
    ("تنفي الوزارة ما تردد عن تأجيل الامتحانات", False),
    ("نفى انه استقال", False),
])
def test_authors_first_person(text: str, first: bool) -> None:
    assert in_first_person(text) is first


def test_authors_a_handle_in_one_word_meets_the_name_run_together() -> None:
    from khabar.authors import author_terms
    from khabar.model import Article

    post = Article(id="x", path="x", raw="", text="أنا كويسة والحمد لله", source="Instagram @yasminfouad")
    assert set(author_terms(post)) & set(name_terms(["ياسمين", "فؤاد"]))
    assert not set(author_terms(post)) & set(name_terms(["ياسمين", "عبد", "العزيز"]))
    # a short word inside a name does not break its pairs
    assert name_terms(["حسن", "ود", "الأمين"])[0] == name_terms(["حسن", "الأمين"])[0]
