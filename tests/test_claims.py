"""Claim grouping across two self-written articles of one story."""

from __future__ import annotations

from pathlib import Path

import pytest

from khabar.attribution import find_attributions
from khabar.claims import claim_matrix, group_claims
from khabar.model import Article, Span

A1 = (
    "وقال التقرير إن فارس وغسان كانا على اتصال منتظم منذ عام 2020.\n"
    "وقال المدير التنفيذي كريم عادل إن المحطة الشمسية في الواحة ستنتج خمسين ميغاواط من الكهرباء.\n"
    "وقال رئيس البلدية إن الطرق الجديدة ستفتح في الصيف المقبل أمام السيارات.\n"
)
A2 = (
    "وذكرت صحيفة الصباح أن محطة الواحة الشمسية ستنتج خمسين ميغاواط من الكهرباء سنويا.\n"
    "وقال المتحدث: “لم تكن هناك اتصالات بين فارس وغسان”.\n"
    "وأضاف: “هذه المعلومات كاذبة تماما”.\n"
)


def article(aid: str, text: str, source: str, names: dict[str, str]) -> Article:
    a = Article(id=aid, path=f"{aid}.txt", raw=text, text=text, source=source)
    spans = []
    for surface, ref in names.items():
        i = text.find(surface)
        while i >= 0:
            spans.append(Span(i, i + len(surface), "PER", "test", ref))
            i = text.find(surface, i + 1)
    a.add("entities", spans)
    find_attributions(a, settings={})
    return a


@pytest.fixture
def story() -> list[Article]:
    return [
        article("a1", A1, "الأفق", {"فارس": "E1", "غسان": "E2", "كريم عادل": "E3"}),
        article("a2", A2, "الصباح", {"فارس": "E1", "غسان": "E2"}),
    ]


def claim_of(claims, art: Article, needle: str):
    idx = next(i for i, at in enumerate(art.attributions) if needle in art.span_text(at.content))
    return next(c for c in claims if any(m.article_id == art.id and m.attribution_index == idx for m in c.members))


def test_claims_group_same_proposition_across_articles(story: list[Article]) -> None:
    claims = group_claims("S", story, entity_names={"E3": "كريم عادل"}, settings={"own_voice": False})
    power = claim_of(claims, story[0], "ميغاواط")
    assert claim_of(claims, story[1], "ميغاواط") is power
    assert {m.outlet for m in power.members} == {"الأفق", "الصباح"}
    karim = next(m for m in power.members if m.article_id == "a1")
    assert (karim.source, karim.source_entity) == ("كريم عادل", "E3")


def test_claims_link_denial_worded_differently(story: list[Article]) -> None:
    claims = group_claims("S", story, entity_names={}, settings={"own_voice": False})
    contact = claim_of(claims, story[0], "اتصال منتظم")
    denial = claim_of(claims, story[1], "لم تكن هناك")
    vague = claim_of(claims, story[1], "كاذبة")
    assert denial is contact and vague is contact
    stances = sorted(m.stance for m in contact.members)
    assert stances == ["assert", "deny", "deny"]
    assert contact.text == "فارس وغسان كانا على اتصال منتظم منذ عام 2020"  # the assertion, not a denial


def test_claims_keep_unrelated_statement_apart(story: list[Article]) -> None:
    claims = group_claims("S", story, entity_names={}, settings={"own_voice": False})
    roads = claim_of(claims, story[0], "الطرق")
    assert len(roads.members) == 1
    assert roads is not claim_of(claims, story[0], "ميغاواط")


def test_claims_ids_deterministic_and_written_back(story: list[Article]) -> None:
    first = group_claims("S", story, entity_names={}, settings={})
    again = group_claims("S", story, entity_names={}, settings={})
    assert [c.id for c in first] == [c.id for c in again]
    assert all(c.id.startswith("C") for c in first)
    other = group_claims("T", story, entity_names={}, settings={})
    assert {c.id for c in other}.isdisjoint({c.id for c in first})
    for art in story:
        for at in art.attributions:
            assert at.claim_id in {c.id for c in other}  # the latest grouping wrote its ids


def test_claims_own_voice_lead() -> None:
    text = "افتتحت البلدية حديقة عامة جديدة في حي النخيل.\nوقال العمدة إن الحديقة العامة في حي النخيل مفتوحة للجميع."
    a = Article(id="o", path="o.txt", raw=text, text=text, source="المدينة")
    find_attributions(a, settings={})
    claims = group_claims("S", [a], entity_names={}, settings={})
    own = [m for c in claims for m in c.members if m.attribution_index is None]
    assert len(own) == 1 and own[0].source == "المدينة"
    assert text[own[0].start : own[0].end] == "افتتحت البلدية حديقة عامة جديدة في حي النخيل"
    assert len(claims) == 1  # the mayor says the same thing about the park


def test_claim_matrix(story: list[Article]) -> None:
    claims = group_claims("S", story, entity_names={"E3": "كريم عادل"}, settings={"own_voice": False})
    m = claim_matrix(claims)
    assert [c["id"] for c in m["claims"]] == [c.id for c in claims]
    assert "كريم عادل" in m["sources"] and "المتحدث" in m["sources"]
    assert len(m["sources"]) == len(set(m["sources"]))
    cells = [c for c in m["cells"] if c["source"] == "المتحدث"]
    assert {c["stance"] for c in cells} == {"deny"}
    for c in m["cells"]:
        art = next(a for a in story if a.id == c["article_id"])
        assert 0 <= c["start"] < c["end"] <= len(art.text)


def test_claims_on_seeds(seeds_dir: Path) -> None:
    arts = []
    for p in sorted(seeds_dir.glob("*.txt")):
        text = p.read_text(encoding="utf-8")
        a = Article(id=p.stem, path=str(p), raw=text, text=text, source=p.stem[:3])
        find_attributions(a, settings={})
        arts.append(a)
    claims = group_claims("seed", arts, entity_names={}, settings={})
    both = [c for c in claims if len({m.article_id for m in c.members}) == 2]
    assert any({"assert", "deny"} <= {m.stance for m in c.members} for c in both)
