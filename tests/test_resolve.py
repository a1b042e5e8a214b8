"""Entity resolution: variant merging, hard negatives, scripts, registry ids."""

from __future__ import annotations

from pathlib import Path

import pytest

from khabar.eval.aliases import evaluate_aliases
from khabar.model import Article, Entity, Span
from khabar.resolve import EntityRegistry, _form_keys, _joined_latin_key, alias_same, entity_id, latin_key, name_tokens, transliterate

GOLD = Path(__file__).parent / "gold" / "aliases.tsv"
HELDOUT = Path(__file__).parent / "gold" / "aliases_heldout.tsv"


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("بوتين", "بوتن"),
        ("شي جين بينغ", "شي جين بينج"),
        ("ديمتري بيسكوف", "دميتري بيسكوف"),
        ("ترامب", "ترمب"),
        ("ماكرون", "ماكرن"),
        ("فلاديمير بوتين", "بوتين"),
        ("إيلون ماسك", "ماسك"),
        ("أولاف شولتز", "أولاف شولتس"),
        ("جوناثان برايس", "جوناثان برايز"),  # a foreign final s written س or ز
        ("ويليامز", "ويليامس"),
    ],
)
def test_resolve_merges_variants(a: str, b: str) -> None:
    assert alias_same(a, b)
    assert alias_same(b, a)


@pytest.mark.parametrize(
    ("a", "b", "type_"),
    [
        ("محمد", "أحمد", "PER"),
        ("عمر", "عمرو", "PER"),  # Omar and Amr: two names
        ("سلمان", "سليمان", "PER"),
        ("حسن", "حسين", "PER"),
        ("بوش", "بوتين", "PER"),
        ("علي", "عليا", "PER"),
        ("محمود", "محمد", "PER"),
        ("بوتين", "بوتان", "PER"),
        ("جو بايدن", "هانتر بايدن", "PER"),
        ("مصر", "مصراتة", "LOC"),
        ("غامبيا", "زامبيا", "LOC"),
        ("نزار", "نصار", "PER"),  # ز / س inside a name: two names (only a final ز reads as س)
    ],
)
def test_resolve_keeps_hard_negatives_apart(a: str, b: str, type_: str) -> None:
    assert not alias_same(a, b, type_)
    assert not alias_same(b, a, type_)


def test_resolve_latin_arabic() -> None:
    assert alias_same("Elon Musk", "إيلون ماسك")
    assert alias_same("SpaceX", "سبيس إكس", "ORG")
    assert not alias_same("Musk", "ترامب")
    assert transliterate("ماسك") == "Mask"
    assert latin_key("Putin") == latin_key("بوتين")


def _article(aid: str, text: str, mentions: list[tuple[str, str, int]], roles: list[tuple[str, int]] = ()) -> Article:
    """An article whose entities layer holds the n-th occurrence of each given surface form."""
    art = Article(id=aid, path=f"{aid}.txt", raw=text, text=text)

    def nth(form: str, n: int) -> int:
        pos = -1
        for _ in range(n + 1):
            pos = text.index(form, pos + 1)
        return pos

    art.add("entities", [Span(nth(f, n), nth(f, n) + len(f), label, "entities") for f, label, n in mentions])
    art.add("roles", [Span(nth(r, n), nth(r, n) + len(r), "ROLE", "entities") for r, n in roles])
    return art


def _refs(art: Article) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for s in art.spans("entities"):
        out.setdefault(art.span_text(s), set()).add(s.ref)
    return out


def test_resolve_splits_an_organisation_span_that_runs_into_a_person() -> None:
    # The tagger glued the federation to its spokesman; "السعدي" alone is a person in the same article.
    text = "قال المتحدث باسم الاتحاد وائل السعدي إن العقد قانوني، وأضاف السعدي أن التحقيق سيثبت ذلك."
    art = _article("g1", text, [("الاتحاد وائل السعدي", "ORG", 0), ("السعدي", "PER", 1)])
    EntityRegistry().resolve_article(art)
    spans = {art.span_text(s): s for s in art.spans("entities")}
    assert spans["الاتحاد"].label == "ORG" and spans["وائل السعدي"].label == "PER"
    assert spans["وائل السعدي"].ref == spans["السعدي"].ref  # and the short form joins the full name
    assert "الاتحاد وائل السعدي" not in spans
    # Evidence from the registry: a person known from an earlier article, a title glued in front.
    reg = EntityRegistry()
    reg.resolve_article(_article("g2", "قال وزير الرياضة عمر الكبيسي إن الملعب جاهز.", [("عمر الكبيسي", "PER", 0)]))
    later = _article("g3", "وأعلن وزير الشباب والرياضة عمر الكبيسي افتتاح الملعب.", [("والرياضة عمر الكبيسي", "PER", 0)])
    reg.resolve_article(later)
    assert [later.span_text(s) for s in later.spans("entities")] == ["عمر الكبيسي"]  # the title fragment is dropped
    # After "باسم" a given name and a surname end the organisation: the spokeswoman's name, seen nowhere else.
    text = "وقالت المتحدثة باسم الاتحاد ريم العطار إن المجلس سيجتمع."
    art = _article("g4", text, [("الاتحاد ريم العطار", "ORG", 0)])
    EntityRegistry().resolve_article(art)
    assert {(art.span_text(s), s.label) for s in art.spans("entities")} == {("الاتحاد", "ORG"), ("ريم العطار", "PER")}
    text = "زار وفد من الاتحاد ريم العطار أمس."  # no "باسم", no other evidence: left as tagged
    art = _article("g5", text, [("الاتحاد ريم العطار", "ORG", 0)])
    EntityRegistry().resolve_article(art)
    assert [art.span_text(s) for s in art.spans("entities")] == ["الاتحاد ريم العطار"]


def test_resolve_keeps_a_name_that_only_ends_in_a_known_surname() -> None:
    # "الملك سعود" ends in a word the article uses alone as a person, but a name with ال is no given name.
    text = "تخرج في جامعة الملك سعود، وكان سعود قد زار الجامعة."
    art = _article("k1", text, [("جامعة الملك سعود", "ORG", 0), ("سعود", "PER", 1)])
    EntityRegistry().resolve_article(art)
    assert "جامعة الملك سعود" in {art.span_text(s) for s in art.spans("entities")}


def test_resolve_article_short_and_long_forms() -> None:
    text = "قال الرئيس الروسي فلاديمير بوتين إن بوتن لن يسافر، وقال جو بايدن إن هانتر بايدن بريء، ثم تحدث بايدن."
    art = _article(
        "a1",
        text,
        [("فلاديمير بوتين", "PER", 0), ("بوتن", "MISC", 0), ("جو بايدن", "PER", 0), ("هانتر بايدن", "PER", 0), ("بايدن", "PER", 2)],
        [("الرئيس الروسي", 0)],
    )
    reg = EntityRegistry()
    reg.resolve_article(art)
    refs = _refs(art)
    assert refs["فلاديمير بوتين"] == refs["بوتن"]
    assert refs["جو بايدن"] != refs["هانتر بايدن"]
    assert all(len(r) == 1 and None not in r for r in refs.values())
    putin = reg.get(next(iter(refs["بوتن"])))
    assert putin is not None and putin.type == "PER" and putin.canonical == "فلاديمير بوتين"
    assert putin.variants == {"فلاديمير بوتين", "بوتن"}
    assert putin.roles == {"الرئيس الروسي"}


def test_resolve_across_articles_and_ids_stable() -> None:
    def run() -> tuple[EntityRegistry, list[Article]]:
        reg = EntityRegistry()
        a1 = _article("a1", "صرح إيلون ماسك أمس بأن ماسك سيزور برلين.", [("إيلون ماسك", "PER", 0), ("ماسك", "PER", 1), ("برلين", "LOC", 0)])
        a2 = _article("a2", "وقال Elon Musk إن شركة سبيس إكس ستطلق صاروخا من ألمانيا.", [("Elon Musk", "PER", 0), ("سبيس إكس", "ORG", 0)])
        a3 = _article("a3", "نفى كيمبال ماسك الخبر.", [("كيمبال ماسك", "PER", 0)])
        for a in (a1, a2, a3):
            reg.resolve_article(a)
        return reg, [a1, a2, a3]

    reg, (a1, a2, a3) = run()
    musk = _refs(a1)["إيلون ماسك"]
    assert _refs(a1)["ماسك"] == musk == _refs(a2)["Elon Musk"]
    assert _refs(a3)["كيمبال ماسك"] != musk  # same family name, another first name
    ent = reg.get(next(iter(musk)))
    assert ent is not None and ent.latin == "Elon Musk" and "Elon Musk" in ent.variants
    reg2, arts2 = run()
    assert [e.id for e in reg.entities()] == [e.id for e in reg2.entities()]
    assert _refs(arts2[0]) == _refs(a1)
    assert ent.id == entity_id("PER", "إيلون ماسك")


def test_resolve_bare_surname_ambiguous_across_articles() -> None:
    reg = EntityRegistry.from_entities(
        [
            Entity(id="E1", canonical="جو بايدن", type="PER", variants={"جو بايدن"}),
            Entity(id="E2", canonical="هانتر بايدن", type="PER", variants={"هانتر بايدن"}),
            Entity(id="E3", canonical="بنيامين نتنياهو", type="PER", variants={"بنيامين نتنياهو"}),
        ]
    )
    art = _article("b1", "قال بايدن إن نتانياهو وافق.", [("بايدن", "PER", 0), ("نتانياهو", "PER", 0)])
    reg.resolve_article(art)
    refs = _refs(art)
    assert refs["نتانياهو"] == {"E3"}  # unambiguous bare surname joins, through a spelling variant
    assert refs["بايدن"].isdisjoint({"E1", "E2"})  # two known Bidens: kept apart
    assert "نتانياهو" in reg.get("E3").variants


def test_resolve_alias_gold_file() -> None:
    result = evaluate_aliases(GOLD)
    assert result["pairs"] >= 60
    assert result["precision"] >= 0.9 and result["recall"] >= 0.85, result["errors"]


def test_resolve_alias_heldout_file() -> None:
    # Written before the resolver was run on it, half hard negatives: the bar of issue 5.
    result = evaluate_aliases(HELDOUT)
    assert result["pairs"] >= 80
    assert 0.4 <= result["positives"] / result["pairs"] <= 0.6
    assert result["precision"] >= 0.95 and result["recall"] >= 0.85, result["errors"]


@pytest.mark.parametrize(
    ("a", "b", "type_"),
    [
        ("عبدالرحيم الشمري", "عبد الرحيم الشمري", "PER"),  # a compound given name joined or apart
        ("يعقوب داوود", "يعقوب داود", "PER"),  # a doubled waw
        ("سيلفيو دي لوكا", "دي لوكا", "PER"),  # a two-word surname without the given name
        ("سيلفيو دي لوكا", "لوكا", "PER"),
        ("جمهورية تشيلي", "تشيلي", "LOC"),  # a generic head
        ("المملكة الأردنية", "الأردنية", "LOC"),
        ("شركة نوكيا", "نوكيا", "ORG"),
        ("Benjamin Netanyahu", "بنيامين نتنياهو", "PER"),  # a given name Arabic spells by sound
        ("نيو تايمز غازيت", "نيو تايمز غازت", "ORG"),
        ("دار نشر النيل", "دور نشر النيل", "ORG"),  # a short token held in place by two equal ones
    ],
)
def test_resolve_merges_general_variants(a: str, b: str, type_: str) -> None:
    assert alias_same(a, b, type_)
    assert alias_same(b, a, type_)


@pytest.mark.parametrize(
    ("a", "b", "type_"),
    [
        ("عبدالرحيم الشمري", "عبد الكريم الشمري", "PER"),
        ("سيلفيو دي لوكا", "ماريو دي لوكا", "PER"),
        ("جمهورية تشيلي", "جمهورية تشاد", "LOC"),
        ("شركة نوكيا", "شركة سوني", "ORG"),
        ("Benjamin Netanyahu", "بنيامين غانتس", "PER"),
        ("Benjamin Netanyahu", "يائير نتنياهو", "PER"),
        ("دار نشر النيل", "دار نشر الفرات", "ORG"),
    ],
)
def test_resolve_general_rules_keep_others_apart(a: str, b: str, type_: str) -> None:
    assert not alias_same(a, b, type_)
    assert not alias_same(b, a, type_)


# Names written for the retrieval tests: variants, hard negatives, heads, both scripts.
_NAMES = [
    "بوتين", "بوتن", "فلاديمير بوتين", "فلاديمير بوتن", "Vladimir Putin", "Putin", "بوتان",
    "ترامب", "ترمب", "دونالد ترامب", "Donald Trump", "ماكرون", "ماكرن", "إيمانويل ماكرون",
    "ديمتري بيسكوف", "دميتري بيسكوف", "بيسكوف", "أولاف شولتز", "أولاف شولتس", "شولتز",
    "شي جين بينغ", "شي جين بينج", "إيلون ماسك", "ماسك", "Elon Musk", "كيمبال ماسك",
    "محمد بن سلمان", "بن سلمان", "سلمان", "سليمان", "محمد", "أحمد", "حسن", "حسين",
    "عبدالرحيم الشمري", "عبد الرحيم الشمري", "عبد الكريم الشمري", "الشمري",
    "سيلفيو دي لوكا", "دي لوكا", "لوكا", "ماريو دي لوكا", "جمهورية تشيلي", "تشيلي", "جمهورية تشاد",
    "المملكة العربية السعودية", "السعودية", "شركة نوكيا", "نوكيا", "Nokia", "شركة سوني",
    "SpaceX", "سبيس إكس", "Benjamin Netanyahu", "بنيامين نتنياهو", "نتنياهو", "نتانياهو",
    "يائير نتنياهو", "نيو تايمز غازيت", "نيو تايمز غازت", "دار نشر النيل", "دور نشر النيل",
    "وول ستريت جورنال", "وال ستريت جورنال", "جو بايدن", "هانتر بايدن", "بايدن", "Biden",
    "مصر", "مصراتة", "غامبيا", "زامبيا", "جوجل", "Google", "تسلا", "Tesla",
]  # fmt: skip


def _gold_pairs() -> list[tuple[str, str, str]]:
    pairs = []
    for path in (GOLD, HELDOUT):
        for line in path.read_text(encoding="utf-8").splitlines():
            cols = line.split("\t")
            if len(cols) >= 3 and not line.startswith("#") and cols[2] in ("same", "different"):
                pairs.append((cols[0], cols[1], cols[3] if len(cols) > 3 and cols[3] else "PER"))
    return pairs


@pytest.mark.parametrize("min_len", [4, 3])
def test_resolve_retrieval_keys_cover_every_alias_pair(min_len: int) -> None:
    # The registry compares a mention only with entities sharing a key: a pair
    # alias_same accepts must always share one, or resolution would change.
    settings = {"min_fuzzy_len": min_len, "vowel_drop_min_len": 5}
    pairs = [(a, b, t) for a in _NAMES for b in _NAMES for t in ("PER", "LOC", "ORG")] + _gold_pairs()
    accepted = rejected_by_keys = 0
    for a, b, t in pairs:
        shared = not _form_keys(a, True, False, min_len).isdisjoint(_form_keys(b, False, t == "PER", min_len))
        if alias_same(a, b, t, settings=settings):
            accepted += 1
            assert shared, (a, b, t)
        rejected_by_keys += not shared
    assert accepted >= 150
    assert rejected_by_keys >= len(pairs) // 2  # the keys do filter: most pairs never meet


class _ScanAllRegistry(EntityRegistry):
    """The registry before the retrieval index: every entity sharing a Latin key is a candidate."""

    def _candidates(self, forms: list[str]) -> list[Entity]:
        latin = {latin_key(t) for f in forms for t in (name_tokens(f)[-1], " ".join(name_tokens(f))) if name_tokens(f)}
        return [e for e in self.entities() if not latin.isdisjoint(self._latin_of(e.id))]


def _story() -> list[Article]:
    texts = [
        ("s1", "قال فلاديمير بوتين إن بوتن لن يسافر، ورد دونالد ترامب.", [("فلاديمير بوتين", "PER", 0), ("بوتن", "PER", 0), ("دونالد ترامب", "PER", 0)]),
        ("s2", "وصل ترمب إلى الرياض، وقال Vladimir Putin كلاما آخر.", [("ترمب", "PER", 0), ("الرياض", "LOC", 0), ("Vladimir Putin", "PER", 0)]),
        ("s3", "أعلنت شركة نوكيا أن Nokia تتوسع في الرياض.", [("شركة نوكيا", "ORG", 0), ("Nokia", "ORG", 0), ("الرياض", "LOC", 0)]),
        ("s4", "التقى أولاف شولتس بالرئيس ديمتري بيسكوف في مدينة الرياض.", [("أولاف شولتس", "PER", 0), ("ديمتري بيسكوف", "PER", 0), ("مدينة الرياض", "LOC", 0)]),
        ("s5", "قال أولاف شولتز إن دميتري بيسكوف أخطأ، ورد بيسكوف.", [("أولاف شولتز", "PER", 0), ("دميتري بيسكوف", "PER", 0), ("بيسكوف", "PER", 1)]),
        ("s6", "قال بايدن ثم قال جو بايدن وهانتر بايدن شيئا.", [("بايدن", "PER", 0), ("جو بايدن", "PER", 0), ("هانتر بايدن", "PER", 0)]),
        ("s7", "قال بايدن إن الرياض بعيدة.", [("بايدن", "PER", 0), ("الرياض", "LOC", 0)]),
        ("s8", "قال بايدن مرة أخرى.", [("بايدن", "PER", 0)]),
    ]
    return [_article(aid, text, mentions) for aid, text, mentions in texts]


def test_resolve_index_gives_the_same_entities_as_a_full_scan() -> None:
    fast, slow = EntityRegistry(), _ScanAllRegistry()
    fast_arts, slow_arts = _story(), _story()
    for a, b in zip(fast_arts, slow_arts, strict=True):
        fast.resolve_article(a)
        slow.resolve_article(b)
        assert a.spans("entities") == b.spans("entities")
    state = [(e.id, e.canonical, e.type, e.latin, e.variants, e.roles) for e in fast.entities()]
    assert state == [(e.id, e.canonical, e.type, e.latin, e.variants, e.roles) for e in slow.entities()]
    putin = _refs(fast_arts[0])["بوتن"]
    assert _refs(fast_arts[1])["Vladimir Putin"] == putin
    assert _refs(fast_arts[4])["دميتري بيسكوف"] == _refs(fast_arts[3])["ديمتري بيسكوف"]
    assert _refs(fast_arts[2])["شركة نوكيا"] == _refs(fast_arts[2])["Nokia"]


def test_resolve_ambiguous_bare_name_gets_one_entity_not_one_per_mention() -> None:
    # بايدن matches two known people: it joins neither, but its repeats share one
    # entity (numbered past the ids taken) instead of minting one each.
    base = entity_id("PER", "بايدن")
    reg = EntityRegistry.from_entities(
        [
            Entity(id="E1", canonical="جو بايدن", type="PER", variants={"جو بايدن"}),
            Entity(id="E2", canonical="هانتر بايدن", type="PER", variants={"هانتر بايدن"}),
            Entity(id=base, canonical="آشلي بايدن", type="PER", variants={"آشلي بايدن"}),
            Entity(id=f"{base}-3", canonical="فاليري بايدن", type="PER", variants={"فاليري بايدن"}),
        ]
    )
    ids = []
    for i in range(3):
        art = _article(f"b{i}", "قال بايدن كلاما.", [("بايدن", "PER", 0)])
        reg.resolve_article(art)
        ids.append(art.spans("entities")[0].ref)
    assert ids == [f"{base}-2"] * 3  # the smallest free suffix, then joined
    assert len(reg) == 5
    assert all("بايدن" not in reg.get(i).variants for i in ("E1", "E2", base, f"{base}-3"))


def test_resolve_place_tagged_with_several_types_stays_one_entity_per_type() -> None:
    # The first split seen in news: the person محمد رياض took the bare form
    # الرياض in his article, so every later bare الرياض was spelt like two
    # entities and each mention became a new one.
    reg = EntityRegistry.from_entities(
        [
            Entity(id="E1", canonical="الرياض", type="LOC", variants={"الرياض"}),
            Entity(id="E2", canonical="محمد رياض", type="PER", variants={"محمد رياض", "الرياض"}),
        ]
    )
    arts = []
    for i in range(4):
        arts.append(_article(f"l{i}", "عاد الوزير إلى الرياض.", [("الرياض", "LOC", 0)]))
        arts.append(_article(f"o{i}", "نشرت صحيفة ما أن الرياض ستستضيف القمة.", [("الرياض", "ORG", 0)]))
    for a in arts:
        reg.resolve_article(a)
    by_label: dict[str, set[str]] = {}
    for a in arts:
        s = a.spans("entities")[0]
        by_label.setdefault(s.label, set()).add(s.ref)
    assert by_label["LOC"] == {"E1"}  # every place mention: the place
    assert len(by_label["ORG"]) == 1 and "E2" not in by_label["ORG"]  # one entity for the ORG tag, not the person
    assert len(reg) <= 3  # one entity per type at most, not one per mention


def test_resolve_bare_name_shared_by_two_long_names_of_one_type_gets_one_entity() -> None:
    # الله is a variant of two different MISC names (as the tagger left them in
    # news): bare mentions are ambiguous between them, so they share one entity
    # of their own; no long name absorbs them.
    reg = EntityRegistry.from_entities(
        [
            Entity(id="E1", canonical="آية الله", type="MISC", variants={"آية الله", "الله"}),
            Entity(id="E2", canonical="حسن نصر الله", type="MISC", variants={"حسن نصر الله", "الله"}),
        ]
    )
    arts = [_article(f"m{i}", "والحمد لله، توكلنا على الله.", [("الله", "MISC", 0)]) for i in range(3)]
    for a in arts:
        reg.resolve_article(a)
    bare = set().union(*(_refs(a)["الله"] for a in arts))
    assert len(bare) == 1 and bare.isdisjoint({"E1", "E2"})
    assert reg.get(next(iter(bare))).variants == {"الله"}
    assert len(reg) == 3


def test_resolve_two_people_sharing_a_surname_stay_apart() -> None:
    reg = EntityRegistry()
    a1 = _article("p1", "قال بشار الأسد إن الأسد لن يرحل.", [("بشار الأسد", "PER", 0), ("الأسد", "PER", 1)])
    a2 = _article("p2", "حكم حافظ الأسد طويلا، وقيل إن الأسد كان حذرا.", [("حافظ الأسد", "PER", 0), ("الأسد", "PER", 1)])
    rest = [_article(f"p{i}", "رد الأسد على الرسالة.", [("الأسد", "PER", 0)]) for i in range(3, 6)]
    for a in (a1, a2, *rest):
        reg.resolve_article(a)
    bashar, hafez = _refs(a1)["بشار الأسد"], _refs(a2)["حافظ الأسد"]
    assert bashar != hafez
    assert _refs(a1)["الأسد"] == bashar and _refs(a2)["الأسد"] == hafez  # inside one article: the full name
    bare = set().union(*(_refs(a)["الأسد"] for a in rest))
    assert len(bare) == 1 and bare.isdisjoint(bashar | hafez)  # across articles: neither person


def test_resolve_bare_surname_with_one_known_person_joins_it_over_other_types() -> None:
    # A club spelt like the surname does not make a lone person's surname ambiguous.
    reg = EntityRegistry.from_entities(
        [
            Entity(id="E1", canonical="الأسد", type="ORG", variants={"الأسد"}),
            Entity(id="E2", canonical="بشار الأسد", type="PER", variants={"بشار الأسد", "الأسد"}),
        ]
    )
    a1 = _article("q1", "وأضاف الأسد أن الحرب طويلة.", [("الأسد", "PER", 0)])
    a2 = _article("q2", "خسر فريق الأسد مباراته.", [("الأسد", "ORG", 0)])
    for a in (a1, a2):
        reg.resolve_article(a)
    assert _refs(a1)["الأسد"] == {"E2"}  # its own type first
    assert _refs(a2)["الأسد"] == {"E1"}  # the club stays the club
    assert len(reg) == 2


def test_resolve_loaded_entity_recounts_its_canonical_form() -> None:
    # A stored canonical form was chosen with counts the store does not keep:
    # the first new mention recounts over all variants (each counted once).
    reg = EntityRegistry.from_entities(
        [Entity(id="E1", canonical="بوتن", type="PER", variants={"بوتن", "بوتين", "فلاديمير بوتين"})]
    )
    art = _article("p1", "قال بوتين ذلك.", [("بوتين", "PER", 0)])
    reg.resolve_article(art)
    assert art.spans("entities")[0].ref == "E1"
    assert reg.get("E1").canonical == "فلاديمير بوتين"
    art2 = _article("p2", "قال بوتين ثم بوتين ثم بوتين.", [("بوتين", "PER", 0), ("بوتين", "PER", 1), ("بوتين", "PER", 2)])
    reg.resolve_article(art2)
    assert reg.get("E1").canonical == "فلاديمير بوتين"  # a full form outranks a frequent bare one
    assert reg.get("E1").latin == "Fladimir Butin"


@pytest.mark.parametrize(
    "name",
    ["فلاديمير بوتين", "عبد الله", "سام مادي", "دي ميستورا", "أبو علي 2015", "إيلون Musk", "آية ياسين", "نيو تايمز غازيت"],
)
def test_resolve_joined_latin_key_equals_the_key_of_the_whole_name(name: str) -> None:
    # The index builds a whole name's Latin key from its tokens' keys; it must be latin_key's exactly.
    toks = tuple(name_tokens(name))
    assert _joined_latin_key(toks) == latin_key(" ".join(toks))


def test_resolve_take_changed_reports_only_new_or_changed_entities() -> None:
    reg = EntityRegistry.from_entities([Entity("PER-old", "سلمان العودة", "PER", variants={"سلمان العودة"})])
    assert reg.take_changed() == []  # loading is not a change
    art = _article("c1", "قال إيلون ماسك إن شركة تسلا بخير.", [("إيلون ماسك", "PER", 0), ("تسلا", "ORG", 0)])
    reg.resolve_article(art)
    first = reg.take_changed()
    assert sorted(e.canonical for e in first) == ["إيلون ماسك", "تسلا"]
    assert [e.id for e in first] == sorted(e.id for e in first)
    assert reg.take_changed() == []  # the record is cleared by taking it
    reg.resolve_article(_article("c2", "وأكد إيلون ماسك ذلك.", [("إيلون ماسك", "PER", 0)]))
    assert reg.take_changed() == []  # a mention of a known spelling changes nothing stored
    reg.resolve_article(_article("c3", "وقال ماسك أمس.", [("ماسك", "PER", 0)]))
    grown = reg.take_changed()
    assert [e.canonical for e in grown] == ["إيلون ماسك"] and "ماسك" in grown[0].variants
    reg.mark_unsaved(grown)  # a rolled-back save: reported again
    assert [e.id for e in reg.take_changed()] == [grown[0].id]


def test_resolve_names_view_follows_canonical_forms() -> None:
    reg = EntityRegistry()
    names = reg.names()
    art = _article("d1", "قال بوتن إن بوتن لن يسافر.", [("بوتن", "PER", 0), ("بوتن", "PER", 1)])
    reg.resolve_article(art)
    eid = next(iter(_refs(art)["بوتن"]))
    assert names[eid] == "بوتن" and names.get("PER-missing") is None and len(names) == 1
    reg.resolve_article(_article("d2", "قال فلاديمير بوتين وفلاديمير بوتين وفلاديمير بوتين ذلك.",
                                 [("فلاديمير بوتين", "PER", 0), ("فلاديمير بوتين", "PER", 1), ("فلاديمير بوتين", "PER", 2)]))
    assert names[eid] == reg.get(eid).canonical == "فلاديمير بوتين"  # a live view, not a copy
