"""Contradictions without a denial verb, on hand-written statement pairs (news and tweet length)."""

from __future__ import annotations

import pytest

from khabar.contradictions import StatementText, compare, find_contradictions


def st(i: str, text: str, offset: int = 0, entities: tuple = ()) -> StatementText:
    return StatementText(i, text, offset, entities)


def span_text(s: StatementText, span: tuple[int, int]) -> str:
    return s.text[span[0] - s.offset : span[1] - s.offset]


def test_contradictions_negation() -> None:
    a = st("a", "توقفت المفاوضات بين الوفدين في العاصمة مساء الأحد")
    b = st("b", "لم تتوقف المفاوضات بين الوفدين في العاصمة مساء الأحد")
    c = compare(a, b)
    assert c is not None and "negation" in c.kinds
    d = next(x for x in c.differences if x.kind == "negation")
    assert d.a is None and span_text(b, d.b) == "لم"


def test_contradictions_stop_vs_continue_antonym() -> None:
    a = st("a", "أعلنت الشركة توقف الإنتاج في المصنع الشمالي")
    b = st("b", "أعلنت الشركة استمرار الإنتاج في المصنع الشمالي")
    c = compare(a, b)
    assert c is not None and "antonym" in c.kinds
    d = next(x for x in c.differences if x.kind == "antonym")
    assert span_text(a, d.a) == "توقف" and span_text(b, d.b) == "استمرار"


def test_contradictions_changed_number_with_offsets() -> None:
    a = st("a", "قتل 12 شخصا في انفجار سيارة مفخخة قرب السوق", offset=100)
    b = st("b", "قتل 30 شخصا في انفجار سيارة مفخخة قرب السوق", offset=7)
    c = compare(a, b)
    assert c is not None and c.kinds == {"number"}
    (d,) = c.differences
    assert d.a == (104, 106) and span_text(b, d.b) == "30"


def test_contradictions_changed_date() -> None:
    a = st("a", "يزور الوزير مدينة الساحل يوم الاثنين لافتتاح الميناء الجديد")
    b = st("b", "يزور الوزير مدينة الساحل يوم الخميس لافتتاح الميناء الجديد")
    c = compare(a, b)
    assert c is not None and "date" in c.kinds
    d = next(x for x in c.differences if x.kind == "date")
    assert span_text(a, d.a) == "الاثنين" and span_text(b, d.b) == "الخميس"


def test_contradictions_changed_place_without_entities() -> None:
    c = compare(st("a", "وقع الزلزال في طرابلس صباح اليوم وتضررت عشرات المنازل"),
                st("b", "وقع الزلزال في بنغازي صباح اليوم وتضررت عشرات المنازل"))
    assert c is not None and c.kinds == {"place"}


def test_contradictions_changed_actor_from_entity_spans() -> None:
    ta = "استقبل سالم الأحمر وفد الاتحاد في مقر الوزارة"
    tb = "استقبل نادر الحسن وفد الاتحاد في مقر الوزارة"
    a = st("a", ta, entities=((7, 17, "PER", "E1"),))
    b = st("b", tb, entities=((7, 17, "PER", "E2"),))
    c = compare(a, b)
    assert c is not None and c.kinds == {"actor"}
    assert span_text(a, c.differences[0].a) == "سالم الأحمر"
    # the same person under the same id is no contradiction
    same = st("b", tb, entities=((7, 17, "PER", "E1"),))
    assert compare(a, same) is None


def test_contradictions_paraphrase_and_unrelated_are_not_reported() -> None:
    a = st("a", "افتتح الوزير المستشفى الجديد في المدينة")
    para = st("b", "افتتح الوزير رسميا المستشفى الجديد في المدينة")
    other = st("c", "ارتفعت أسعار القمح في الأسواق العالمية")
    assert compare(a, para) is None
    assert compare(a, other) is None
    assert find_contradictions([a, para, other]) == []


def test_contradictions_tweet_length() -> None:
    rumour = st("t1", "عاجل: إغلاق جسر الملك غدا")
    official = st("t2", "لا إغلاق لجسر الملك غدا")
    found = find_contradictions([rumour, official])
    assert len(found) == 1 and "negation" in found[0].kinds


def test_contradictions_rejects_bad_threshold() -> None:
    with pytest.raises(ValueError, match=r"\[0.0, 1.0\]"):
        compare(st("a", "س"), st("b", "ص"), min_overlap=1.5)


def test_contradictions_same_facts_written_differently_are_not_reported() -> None:
    pairs = [
        ("أغلق المؤشر أمس عند 136.12 نقطة بعد جلسة هادئة", "أغلق المؤشر اليوم عند بـ136,12 نقطة بعد جلسة هادئة"),  # relative day, decimal comma
        ("استقبل الملك سلمان بن عبد العزيز الوزير في قصر السلام", "استقبل الملك سلمان بن عبدالعزيز آل سعود الوزير في قصر السلام"),
        ("جهزت اللجنة فريقا يضم ألف موظف لتسجيل الناخبين", "جهزت اللجنة فريقا يضم 1000 موظف لتسجيل الناخبين"),
        ("أكد الوزير أن أمن البلدين كل لا يتجزأ وأن التعاون مستمر", "أكد الوزير أن أمن البلدين واحد وأن التعاون مستمر"),
    ]
    for x, y in pairs:
        assert compare(st("a", x), st("b", y)) is None, (x, y)


def test_contradictions_ordinals_mark_two_events() -> None:
    a = st("a", "وصلت الطائرة الإغاثية الرابعة إلى مطار عدن محملة بـ 10 أطنان من الأدوية")
    b = st("b", "وصلت الطائرة الإغاثية الخامسة إلى مطار عدن محملة بـ 12 طنا من الأدوية")
    assert compare(a, b) is None
    c = compare(st("a", a.text.replace("الرابعة", "الخامسة")), b)  # the same flight: the load differs
    assert c is not None and c.kinds == {"number"}


def test_contradictions_one_speaker_quoted_differently_by_two_outlets() -> None:
    from khabar.contradictions import claim_member_contradictions
    from khabar.model import Claim, ClaimMember

    texts = {"a": "مركز الزلزال كان على عمق 10 كيلومترات قبالة السواحل", "b": "مركز الزلزال كان على عمق 25 كيلومترات قبالة السواحل"}

    def member(aid: str, outlet: str) -> ClaimMember:
        return ClaimMember(article_id=aid, attribution_index=0, stance="assert", source="المعهد الوطني",
                           source_entity="E1", outlet=outlet, start=0, end=len(texts[aid]))

    two_outlets = Claim("C1", "S1", texts["a"], [member("a", "هسبريس"), member("b", "اليوم 24")])
    assert [set(c.kinds) for _, _, c in claim_member_contradictions(two_outlets, texts, {})] == [{"number"}]
    one_outlet = Claim("C1", "S1", texts["a"], [member("a", "هسبريس"), member("b", "هسبريس")])
    assert claim_member_contradictions(one_outlet, texts, {}) == []  # one outlet's own update is not a conflict


def test_contradictions_two_tolls_of_one_event_conflict_however_worded() -> None:
    from khabar.contradictions import claim_member_contradictions
    from khabar.model import Claim, ClaimMember

    texts = {
        "a": "لقي 12 شخصا حتفهم وأصيب أكثر من 30 آخرين في الحريق الذي اندلع فجر اليوم في السوق القديم",
        "b": "ارتفعت حصيلة ضحايا حريق السوق إلى 17 قتيلا بحسب مصدر طبي",
        "c": "قضى 12 قتيلا في حريق السوق القديم",
    }

    def member(aid: str, source: str, outlet: str) -> ClaimMember:
        return ClaimMember(article_id=aid, attribution_index=0, stance="assert", source=source,
                           source_entity=None, outlet=outlet, start=0, end=len(texts[aid]))

    claim = Claim("C1", "S1", texts["a"], [member("a", "الدفاع المدني", "الأفق"), member("b", "مصدر طبي", "المرصد"),
                                          member("c", "الشرطة", "الميزان")])
    found = {(ma.article_id, mb.article_id): c for ma, mb, c in claim_member_contradictions(claim, texts, {})}
    assert set(found) == {("a", "b"), ("b", "c")}  # 12 / 17 and 17 / 12; the two twelves agree
    d = found[("a", "b")].differences[0]
    assert d.kind == "number" and texts["a"][d.a[0]:d.a[1]] == "12" and texts["b"][d.b[0]:d.b[1]] == "17"


def test_contradictions_a_negator_with_wa_is_the_same_negation() -> None:
    from khabar.contradictions import StatementText, compare

    a = StatementText("a", "جميع سكان الحي بخير، ولم نسجل أي حالة غرق في حي الميناء")
    b = StatementText("b", "لم نسجل أي حالة غرق في حي الميناء وجميع سكان الحي بخير")
    assert compare(a, b) is None  # both say no one drowned
    d, e = StatementText("d", "ولم تتوقف المحادثات بين الطرفين"), StatementText("e", "توقفت المحادثات بين الطرفين")
    found = compare(d, e)
    assert found is not None and "negation" in found.kinds
