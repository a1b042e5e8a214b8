"""Entity resolution: variant merging, hard negatives, scripts, registry ids."""

from __future__ import annotations

from pathlib import Path

import pytest

from khabar.eval.aliases import evaluate_aliases
from khabar.model import Article, Entity, Span
from khabar.resolve import EntityRegistry, alias_same, entity_id, latin_key, transliterate

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
