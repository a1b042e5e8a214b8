"""Claim grouping must not depend on which label NER gave a name, nor on whether it tagged every occurrence.

A two-pass tagger relabels names (ORG -> PER) and tags more of their
occurrences; a clitic form ("ونادر") is often left untagged. The claims of a
story must stay the same. Self-written texts; hand-placed entity mentions.
"""

from __future__ import annotations

import re

import pytest

from khabar.arabic import fold
from khabar.attribution import find_attributions
from khabar.claims import _mention_aliases, group_claims
from khabar.model import Article, Claim, Span

# One story, two outlets. "ونادر" (with the conjunction) is never tagged: a
# tagger that tokenises on spaces leaves it a plain word, as it did "وماسك".
STORY_A = (
    "وقالت صحيفة الأفق إن نادر وسليم كانا على اتصال منتظم منذ عام 2019.\n"
    "وقالت الصحيفة إن نادر باع أسهمه في شركة الميناء الشهر الماضي.\n"
    "وقالت الصحيفة إن سليم سيفتتح المصنع الجديد في الربيع المقبل.\n"
)
STORY_B = (
    "وقال المتحدث باسم سليم: “لم تكن هناك اتصالات بين سليم ونادر”.\n"
    "وقال مستشار نادر إن نادر باع الأسهم لتسديد ديون الشركة.\n"
    "وذكرت الصحيفة أن سليم ونادر حضرا معا حفل افتتاح المصنع في الربيع.\n"
)
NAMES = {"E1": "سليم حداد", "E2": "نادر منصور"}


def _article(aid: str, text: str, source: str, labels: dict[str, str], tag_clitic: bool = False) -> Article:
    """``text`` with every whole-word "سليم" / "نادر" tagged: surface -> label from ``labels``.

    With ``tag_clitic`` the mention of "ونادر" covers the whole word, as a
    tagger that splits clitics would give it.
    """
    a = Article(id=aid, path=f"{aid}.txt", raw=text, text=text, source=source)
    spans = []
    for surface, ref in (("سليم", "E1"), ("نادر", "E2")):
        prefix = "و?" if tag_clitic else ""
        for m in re.finditer(rf"(?<![\w]){prefix}{surface}(?![\w])", text):
            spans.append(Span(m.start(), m.end(), labels[surface], "test", ref))
    a.add("entities", sorted(spans, key=lambda s: s.start))
    find_attributions(a, settings={})
    return a


def _story(labels_a: dict[str, str], labels_b: dict[str, str], tag_clitic: bool = False) -> list[Article]:
    return [
        _article("a", STORY_A, "الأفق", labels_a, tag_clitic),
        _article("b", STORY_B, "الصباح", labels_b, tag_clitic),
    ]


def _claim_with(claims: list[Claim], arts: list[Article], needle: str) -> Claim:
    for c in claims:
        for m in c.members:
            art = next(a for a in arts if a.id == m.article_id)
            if needle in art.text[m.start : m.end]:
                return c
    raise AssertionError(f"no claim member holds {needle!r}: {[c.text for c in claims]}")


def _partition(claims: list[Claim]) -> set[frozenset[tuple[str, int, int]]]:
    """The grouping as a set of member sets: independent of claim ids and order."""
    return {frozenset((m.article_id, m.start, m.end) for m in c.members) for c in claims}


PER = {"سليم": "PER", "نادر": "PER"}
ORG = {"سليم": "PER", "نادر": "ORG"}


def test_claims_denial_with_untagged_clitic_name_joins_its_claim() -> None:
    arts = _story(ORG, PER)  # نادر tagged ORG in one outlet, PER in the other
    claims = group_claims("S", arts, entity_names=NAMES, settings={"own_voice": False})
    contact = _claim_with(claims, arts, "اتصال منتظم")
    assert _claim_with(claims, arts, "لم تكن هناك اتصالات") is contact
    assert sorted(m.stance for m in contact.members) == ["assert", "deny"]


def test_claims_untagged_name_does_not_bridge_unrelated_statements() -> None:
    # the denial and the opening ceremony share "سليم" and an untagged "ونادر" only:
    # the protagonists, not a proposition
    arts = _story(ORG, PER)
    claims = group_claims("S", arts, entity_names=NAMES, settings={"own_voice": False})
    ceremony = _claim_with(claims, arts, "حفل افتتاح")
    assert ceremony is not _claim_with(claims, arts, "لم تكن هناك اتصالات")
    assert ceremony is not _claim_with(claims, arts, "اتصال منتظم")


@pytest.mark.parametrize(
    ("labels_a", "labels_b", "tag_clitic"),
    [(ORG, ORG, False), (PER, PER, False), (PER, ORG, False), (ORG, PER, True), (PER, PER, True)],
)
def test_claims_grouping_same_whatever_the_labels_and_tagged_occurrences(
    labels_a: dict[str, str], labels_b: dict[str, str], tag_clitic: bool
) -> None:
    reference = _story(ORG, PER)
    expected = _partition(group_claims("S", reference, entity_names=NAMES, settings={"own_voice": False}))
    arts = _story(labels_a, labels_b, tag_clitic)
    got = _partition(group_claims("S", arts, entity_names=NAMES, settings={"own_voice": False}))
    assert got == expected


def test_claims_mention_aliases_skip_ambiguous_short_and_multiword_forms() -> None:
    text = "قال علي حسن إن حسن وصل. ورد حسن آخر. وقال عمر إن منى سافرت. وأكد سامر عادل ذلك."
    a = Article(id="x", path="x.txt", raw=text, text=text, source="الأفق")
    spans = []
    for surface, ref, nth in (("علي حسن", "E1", 0), ("حسن", "E1", 1), ("حسن", "E2", 2), ("عمر", "E3", 0),
                              ("منى", "E4", 0), ("سامر عادل", "E5", 0)):
        starts = [m.start() for m in re.finditer(surface, text)]
        spans.append(Span(starts[nth], starts[nth] + len(surface), "PER", "test", ref))
    a.add("entities", sorted(spans, key=lambda s: s.start))
    aliases = _mention_aliases([a], 3)
    assert "حسن" not in aliases  # two entities use the form: left a plain word
    assert aliases == {fold("عمر"): "@E3", fold("منى"): "@E4"}  # "سامر عادل" spans two words: no one-word alias
    assert _mention_aliases([a], 4) == {}  # "عمر", "منى": shorter than 4 letters
