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
    ("خاوتي هاد الهدرة كذب، راني في التربص مع المنتخب", True),  # راني: "I am" in Algeria
    ("آني زين والحمد لله وبالبيت هسه", True),  # آني: "I" in Iraq
    ("الأغاني الجديدة نزلت", False),
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


def test_authors_a_mention_tagged_a_word_too_long_still_meets_the_handle() -> None:
    from khabar.authors import author_terms, person_terms
    from khabar.model import Article, Span

    text = "بيقولوا الفنان شريف منصور اتنقل العناية المركزة"
    rumour = Article(id="r", path="r", raw=text, text=text, source="Facebook فن")
    start = text.index("شريف")
    rumour.add("entities", [Span(start, text.index(" العناية"), "PER")])  # "شريف منصور اتنقل"
    reply = Article(id="d", path="d", raw="", text="أنا كويس والحمد لله", source="Instagram @sherifmansour.official")
    assert set(author_terms(reply)) & set(person_terms(rumour))
    other = Article(id="o", path="o", raw="", text="أنا كويس", source="Instagram @sherifhamdy")
    assert not set(author_terms(other)) & set(person_terms(rumour))


def test_authors_a_country_code_after_a_handle_is_no_part_of_the_name() -> None:
    from khabar.authors import author_terms
    from khabar.model import Article

    post = Article(id="x", path="x", raw="", text="أنا في البيت", source="X @bufahad_kw")
    assert set(author_terms(post)) & set(name_terms(["بو", "فهد"]))
    assert not set(author_terms(post)) & set(name_terms(["بو", "خالد"]))


def test_authors_a_handle_with_the_article_inside_meets_the_name() -> None:
    from khabar.authors import author_terms
    from khabar.model import Article

    post = Article(id="x", path="x", raw="", text="أنا بخير", source="Instagram @tamerelsherif")
    assert set(author_terms(post)) & set(name_terms(["تامر", "الشريف"]))
    assert not set(author_terms(post)) & set(name_terms(["تامر", "حسني"]))


def test_authors_a_relative_answers_with_the_family_name() -> None:
    from khabar.authors import family_key, person_terms, speaks_of_kin
    from khabar.model import Article, Span

    text = "وفاة الفنان بدر الفهد قبل قليل"
    rumour = Article(id="r", path="r", raw=text, text=text, source="X @news")
    rumour.add("entities", [Span(text.index("بدر"), text.index(" قبل"), "PER")])
    assert family_key(author_words("X @fahad_b_alfahad")) in person_terms(rumour)
    assert family_key(author_words("Facebook منى الفهد")) in person_terms(rumour)
    assert family_key(author_words("Facebook منى الحداد")) not in person_terms(rumour)
    assert family_key(author_words("X @fahad")) == ""  # one word: no family name to tell
    assert speaks_of_kin("الوالد بخير ولله الحمد") and speaks_of_kin("أبوي بخير وقاعد جنبي")
    assert not speaks_of_kin("وزارة الصحة: الوضع الصحي مستقر")
