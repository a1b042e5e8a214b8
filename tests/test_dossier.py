"""Dossier serialisers over a store filled by hand (no pipeline stage runs here).

``fill_store`` builds two stories from self-written Arabic texts; test_export.py
and test_web.py import it so that the three files agree on one small corpus.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from khabar.dossier import (
    UnknownIdError,
    article_json,
    entity_json,
    evidence_sentence,
    export_document,
    stories_json,
    story_json,
)
from khabar.export import load_schema
from khabar.model import Article, Attribution, Claim, ClaimMember, Entity, OffsetMap, RemovedBlock, Span, Story
from khabar.store import Store

# Story S1: a crossing opens on Sunday (asserted by a minister, denied by the army).
TEXT_A = (
    "قال وزير الخارجية سامي الخطيب إن المعبر سيفتح يوم الأحد أمام المسافرين.\n"
    "وأضاف الخطيب أن الاتفاق مع الجانب الآخر صامد رغم الخروقات."
)
TEXT_B = (
    "نفى المتحدث باسم الجيش <script>alert(1)</script> أن يكون المعبر سيفتح يوم الأحد.\n"
    "وأكد سامي الخطيب في مؤتمر صحفي أن الاتفاق صامد."
)
# Story S2: a harvest report, asserted only.
TEXT_C = "قالت نقابة المزارعين إن محصول القمح هذا العام أكبر من العام الماضي بنحو 20 في المئة."

RAW_A = "الرئيسية > أخبار\n" + TEXT_A + "\nاشترك في النشرة"


def at(text: str, sub: str, nth: int = 0) -> tuple[int, int]:
    """Offsets of the nth occurrence of ``sub`` in a test text (fixture building only)."""
    starts = [m.start() for m in re.finditer(re.escape(sub), text)]
    s = starts[nth]
    return s, s + len(sub)


def sp(text: str, sub: str, label: str, ref: str | None = None, nth: int = 0) -> Span:
    s, e = at(text, sub, nth)
    return Span(s, e, label, "test", ref)


def sentences(text: str) -> list[Span]:
    return [Span(m.start(), m.end(), "SENT", "test") for m in re.finditer(r"[^\n]+", text)]


def make_articles() -> list[Article]:
    a = Article(id="a" * 64, path="feed.zip!a.json#0", raw=RAW_A, text=TEXT_A, title="المعبر يفتح الأحد",
                source="صحيفة الشروق", url="https://example.org/a", published="2024-03-01", language="ar",
                story_id="S1")
    off = RAW_A.index(TEXT_A)
    a.offsets = OffsetMap(((0, off, len(TEXT_A)),), len(TEXT_A), len(RAW_A))
    a.removed = [RemovedBlock(0, off - 1, "breadcrumb"), RemovedBlock(off + len(TEXT_A) + 1, len(RAW_A), "newsletter")]
    a.add("sentences", sentences(TEXT_A))
    a.add("entities", [sp(TEXT_A, "سامي الخطيب", "PER", "E1"), sp(TEXT_A, "الخطيب", "PER", "E1", nth=1),
                       sp(TEXT_A, "المعبر", "LOC", "E3")])
    a.attributions = [
        Attribution(cue=sp(TEXT_A, "قال", "CUE"), content=sp(TEXT_A, "المعبر سيفتح يوم الأحد أمام المسافرين", "CONTENT"),
                    kind="indirect", stance="assert", speaker=sp(TEXT_A, "وزير الخارجية سامي الخطيب", "SPEAKER", "E1"),
                    speaker_kind="person", claim_id="C1"),
        Attribution(cue=sp(TEXT_A, "وأضاف", "CUE"), content=sp(TEXT_A, "الاتفاق مع الجانب الآخر صامد رغم الخروقات", "CONTENT"),
                    kind="indirect", stance="assert", speaker=sp(TEXT_A, "الخطيب", "SPEAKER", "E1", nth=1),
                    speaker_kind="person", claim_id="C2"),
    ]
    b = Article(id="b" * 64, path="b.txt", raw=TEXT_B, text=TEXT_B, title="الجيش ينفي", source="قناة الغد",
                published="2024-03-02", language="ar", story_id="S1")
    b.add("sentences", sentences(TEXT_B))
    b.add("entities", [sp(TEXT_B, "سامي الخطيب", "PER", "E1"), sp(TEXT_B, "الجيش", "ORG", "E2")])
    b.attributions = [
        Attribution(cue=sp(TEXT_B, "نفى", "CUE"), content=sp(TEXT_B, "يكون المعبر سيفتح يوم الأحد", "CONTENT"),
                    kind="indirect", stance="deny", speaker=sp(TEXT_B, "المتحدث باسم الجيش", "SPEAKER", "E2"),
                    speaker_kind="organization", claim_id="C1"),
        Attribution(cue=sp(TEXT_B, "وأكد", "CUE"), content=sp(TEXT_B, "الاتفاق صامد", "CONTENT"), kind="indirect",
                    stance="confirm", speaker=sp(TEXT_B, "سامي الخطيب", "SPEAKER", "E1"), speaker_kind="person",
                    nested_source=None, claim_id="C2"),
    ]
    # A syndicated copy of A in another outlet.
    d = Article(id="d" * 64, path="d.txt", raw=TEXT_A, text=TEXT_A, title="المعبر يفتح الأحد", source="وكالة الأنباء",
                published="2024-03-01", language="ar", story_id="S1", duplicate_of=a.id)
    c = Article(id="c" * 64, path="c.txt", raw=TEXT_C, text=TEXT_C, title="محصول القمح", source="صحيفة الشروق",
                published="2024-05-10", language="ar", story_id="S2")
    c.add("sentences", sentences(TEXT_C))
    c.attributions = [Attribution(cue=sp(TEXT_C, "قالت", "CUE"),
                                  content=sp(TEXT_C, "محصول القمح هذا العام أكبر من العام الماضي بنحو 20 في المئة", "CONTENT"),
                                  kind="indirect", stance="assert", speaker=sp(TEXT_C, "نقابة المزارعين", "SPEAKER"),
                                  speaker_kind="organization", claim_id="C3")]
    return [a, b, d, c]


def member(art: Article, idx: int, source: str, entity: str | None) -> ClaimMember:
    t = art.attributions[idx]
    return ClaimMember(art.id, idx, t.stance, source, entity, art.source, t.content.start, t.content.end)


def fill_store(store: Store) -> dict[str, Article]:
    """Two stories: S1 (3 articles, one a duplicate; claim C1 asserted and denied), S2 (1 article)."""
    arts = make_articles()
    a, b, d, c = arts
    with store.transaction():
        store.insert_articles(arts, run_id=None)
        store.set_duplicate(d.id, a.id, "syndicated")
        store.save_entities([
            Entity("E1", "سامي الخطيب", "PER", {"سامي الخطيب", "الخطيب"}, "Sami al-Khatib", {"وزير الخارجية"}),
            Entity("E2", "الجيش", "ORG", {"الجيش"}),
            Entity("E3", "المعبر", "LOC", {"المعبر"}),
        ])
        store.save_story(Story("S1", "فتح المعبر يوم الأحد", "وزير يعلن فتح المعبر والجيش ينفي."), run_id=None)
        store.save_story(Story("S2", "محصول القمح", ""), run_id=None)
        store.replace_claims("S1", [
            Claim("C1", "S1", "المعبر سيفتح يوم الأحد",
                  [member(a, 0, "سامي الخطيب", "E1"), member(b, 0, "الجيش", "E2")]),
            Claim("C2", "S1", "الاتفاق صامد", [member(a, 1, "سامي الخطيب", "E1"), member(b, 1, "سامي الخطيب", "E1")]),
        ])
        store.replace_claims("S2", [Claim("C3", "S2", "محصول القمح أكبر", [member(c, 0, "نقابة المزارعين", None)])])
    return {x.id[0]: x for x in arts}


@pytest.fixture
def store() -> Store:
    s = Store(":memory:")
    fill_store(s)
    yield s
    s.close()


def sub_schema(name: str) -> dict[str, Any]:
    """Validate against one ``$defs`` entry of the export schema."""
    full = load_schema()
    return {"$schema": full["$schema"], "$defs": full["$defs"], "$ref": f"#/$defs/{name}"}


def check_spans(obj: Any, text: str) -> int:
    """Assert ``text[start:end] == obj["text"]`` for every span object under ``obj``; returns how many."""
    n = 0
    if isinstance(obj, dict):
        if {"text", "start", "end"} <= obj.keys():
            assert text[obj["start"] : obj["end"]] == obj["text"], obj
            n += 1
        for v in obj.values():
            if isinstance(v, (dict, list)):
                n += check_spans(v, text)
    elif isinstance(obj, list):
        n += sum(check_spans(v, text) for v in obj)
    return n


# ---- article_json -------------------------------------------------------------
def test_dossier_article_json_spans_and_names(store: Store) -> None:
    art = article_json(store, store.load_article("a" * 64))
    assert art["path"] == "feed.zip!a.json#0"
    assert [e["text"] for e in art["entities"]] == ["سامي الخطيب", "المعبر", "الخطيب"]
    assert {e["canonical"] for e in art["entities"] if e["entity_id"] == "E1"} == {"سامي الخطيب"}
    first = art["attributions"][0]
    assert first["speaker"]["text"] == "وزير الخارجية سامي الخطيب"
    assert first["speaker"]["canonical"] == "سامي الخطيب"
    assert (first["type"], first["stance"], first["claim_id"], first["cue"]["text"]) == ("indirect", "assert", "C1", "قال")
    assert check_spans(art["entities"] + art["attributions"], art["cleaned_text"]) == 3 + 2 * 3
    assert [r["rule"] for r in art["removed"]] == ["breadcrumb", "newsletter"]
    assert art["removed"][0]["text"] == "الرئيسية > أخبار"
    assert art["removed"][1]["text"] == "اشترك في النشرة"
    jsonschema.validate(art, sub_schema("article"))


def test_dossier_article_json_agentless_attribution(store: Store) -> None:
    art = store.load_article("c" * 64)
    art.attributions.append(Attribution(cue=Span(0, 4, "CUE"), content=Span(5, 20, "CONTENT"), speaker=None,
                                        nested_source=Span(5, 10, "SOURCE")))
    out = article_json(store, art)
    assert out["attributions"][1]["speaker"] is None
    assert out["attributions"][1]["nested_source"] == {"text": TEXT_C[5:10], "start": 5, "end": 10}
    jsonschema.validate(out, sub_schema("article"))


# ---- evidence_sentence --------------------------------------------------------
def test_dossier_evidence_sentence_cover() -> None:
    text = "جملة أولى. جملة ثانية طويلة. ثالثة."
    sents = [(0, 10), (11, 28), (29, 35)]
    assert evidence_sentence(text, sents, 16, 21) == (11, 28)
    assert evidence_sentence(text, sents, 5, 15) == (0, 28)  # evidence across two sentences
    assert evidence_sentence(text, sents, 10, 11) == (10, 11)  # the gap between sentences: itself
    assert evidence_sentence(text, [], 3, 7) == (3, 7)


# ---- story_json / stories_json ------------------------------------------------
def test_dossier_story_json_claims_and_matrix(store: Store) -> None:
    st = story_json(store, "S1")
    assert st["label"] == "فتح المعبر يوم الأحد"
    assert (st["first_published"], st["last_published"]) == ("2024-03-01", "2024-03-02")
    assert st["outlets"] == sorted(["صحيفة الشروق", "قناة الغد", "وكالة الأنباء"])
    dup = next(a for a in st["articles"] if a["id"] == "d" * 64)
    assert (dup["duplicate_of"], dup["duplicate_relation"]) == ("a" * 64, "syndicated")
    c1 = next(c for c in st["claims"] if c["id"] == "C1")
    assert [(m["source"], m["stance"]) for m in c1["members"]] == [("سامي الخطيب", "assert"), ("الجيش", "deny")]
    texts = {"a" * 64: TEXT_A, "b" * 64: TEXT_B}
    for c in st["claims"]:
        for m in c["members"]:
            t = texts[m["article_id"]]
            assert t[m["start"] : m["end"]] == m["text"]
            assert t[m["sentence"]["start"] : m["sentence"]["end"]] == m["sentence"]["text"]
            assert m["sentence"]["start"] <= m["start"] and m["end"] <= m["sentence"]["end"]
            assert "\n" not in m["sentence"]["text"]
    cells = {(c["claim_id"], c["source"]): c["stance"] for c in st["matrix"]["cells"]}
    assert cells[("C1", "الجيش")] == "deny"
    assert cells[("C1", "سامي الخطيب")] == "assert"
    assert st["contested"] is True
    top = {e["entity_id"]: e for e in st["top_entities"]}
    assert top["E1"]["mentions"] == 3 and top["E1"]["articles"] == 2
    assert top["E1"]["variants"] == ["الخطيب", "سامي الخطيب"]
    jsonschema.validate(st, sub_schema("story"))


def test_dossier_stories_json_contested_flag(store: Store) -> None:
    rows = {r["id"]: r for r in stories_json(store, 10, 0)}
    assert rows["S1"]["contested"] is True and rows["S2"]["contested"] is False
    assert (rows["S1"]["n_articles"], rows["S1"]["n_outlets"], rows["S1"]["n_claims"]) == (3, 3, 2)
    assert len(stories_json(store, 1, 0)) == 1
    assert [r["id"] for r in stories_json(store, 1, 1)] != [r["id"] for r in stories_json(store, 1, 0)]


def test_dossier_unknown_ids_raise(store: Store) -> None:
    with pytest.raises(UnknownIdError, match="S9"):
        story_json(store, "S9")
    with pytest.raises(UnknownIdError):
        entity_json(store, "E9")
    with pytest.raises(UnknownIdError):
        export_document(store, "S9")


# ---- entity_json --------------------------------------------------------------
def test_dossier_entity_json_statements(store: Store) -> None:
    e = entity_json(store, "E1")
    assert (e["canonical"], e["latin"], e["roles"]) == ("سامي الخطيب", "Sami al-Khatib", ["وزير الخارجية"])
    assert e["variants"] == ["الخطيب", "سامي الخطيب"]
    assert [s["id"] for s in e["stories"]] == ["S1"]
    got = [(s["article_id"][0], s["stance"], s["claim_id"]) for s in e["statements"]]
    assert got == [("a", "assert", "C1"), ("a", "assert", "C2"), ("b", "confirm", "C2")]
    assert e["statements"][2]["content"]["text"] == "الاتفاق صامد"
    assert e["statements"][2]["claim_text"] == "الاتفاق صامد"


# ---- export_document ----------------------------------------------------------
def test_dossier_export_document_validates_and_spans_hold(store: Store) -> None:
    doc = export_document(store)
    jsonschema.validate(doc, load_schema())
    assert [a["id"][0] for a in doc["articles"]] == ["a", "b", "d", "c"]
    assert {s["id"] for s in doc["stories"]} == {"S1", "S2"}
    by_id = {a["id"]: a["cleaned_text"] for a in doc["articles"]}
    n = sum(check_spans(a["entities"] + a["attributions"], a["cleaned_text"]) for a in doc["articles"])
    for s in doc["stories"]:
        for c in s["claims"]:
            for m in c["members"]:
                n += check_spans(m, by_id[m["article_id"]])
        for cell in s["matrix"]["cells"]:
            assert cell["start"] < cell["end"] <= len(by_id[cell["article_id"]])
    assert n > 20


def test_dossier_export_document_one_story(store: Store) -> None:
    doc = export_document(store, "S2")
    assert [a["id"] for a in doc["articles"]] == ["c" * 64]
    assert [s["id"] for s in doc["stories"]] == ["S2"]
    jsonschema.validate(doc, load_schema())


def test_dossier_schema_rejects_bad_stance(store: Store) -> None:
    doc = export_document(store, "S2")
    doc["articles"][0]["attributions"][0]["stance"] = "agrees"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(doc, load_schema())
    doc = export_document(store, "S2")
    del doc["stories"][0]["claims"][0]["members"][0]["sentence"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(doc, load_schema())


def test_dossier_first_seen_is_the_earliest_member_in_utc() -> None:
    from khabar.dossier import first_seen
    from khabar.stories import parse_days

    def m(aid: str, outlet: str) -> ClaimMember:
        return ClaimMember(article_id=aid, attribution_index=0, stance="assert", source="مصدر", source_entity=None,
                           outlet=outlet, start=0, end=5)

    claim = Claim("C", "S", "نص", [m("a", "الأفق"), m("b", "الصباح"), m("c", "المدار")])
    # 09:00 in Riyadh (+03:00) is 06:00 UTC: earlier than 07:00 UTC written with Z; an undated member comes last
    published = {"a": "2024-03-01T07:00:00Z", "b": "2024-03-01T09:00:00+03:00", "c": None}
    assert first_seen(claim, published, {a: d for a, p in published.items() if (d := parse_days(p or "")) is not None})["outlet"] == "الصباح"
    assert first_seen(claim, {"a": None, "b": None, "c": None}, {})["article_id"] == "a"  # no dates: member order
    assert first_seen(Claim("C", "S", "نص", []), {}, {}) is None


def test_dossier_a_denial_of_one_figure_does_not_deny_a_source_who_gave_another() -> None:
    from khabar.dossier import denials

    def member(source: str, stance: str, text: str) -> dict:
        return {"claim_id": "C1", "claim_text": "قتلى الانفجار", "story_id": "S1", "stance": stance, "source": source,
                "source_entity": None, "article_id": source, "start": 0, "end": len(text), "text": text}

    ms = [member("المحافظ", "assert", "قال المحافظ إن 30 شخصا قتلوا في الانفجار"),
          member("الوزير", "assert", "قال الوزير إن 12 شخصا قتلوا في الانفجار"),
          member("الشاهد", "assert", "قال شاهد إن الانفجار أوقع قتلى"),
          member("المحافظة", "deny", "لا صحة لما يتداول عن مقتل 30 شخصا في انفجار المصنع")]
    denied = sorted(p["denied"]["source"] for p in denials(ms))
    assert denied == sorted(["المحافظ", "الشاهد"])  # 12 is another account, not what was denied; no figure: denied


@pytest.mark.parametrize("typed, stored", [("s1", "S000001"), ("S0001", "S000001"), (" s000012 ", "S000012"),
                                           ("S000001", "S000001"), ("C1", "C1"), ("story", "story")])
def test_dossier_story_id_as_typed(typed: str, stored: str) -> None:
    from khabar.dossier import story_id_of

    assert story_id_of(typed) == stored


def test_dossier_a_merged_story_id_says_where_its_articles_went(tmp_path: Path) -> None:
    from khabar.dossier import UnknownIdError, story_json
    from khabar.store import Store

    with Store(tmp_path / "k.db") as st:
        st.add_story_event("S000002", "merged_into", "S000003", None)
        st.add_story_event("S000003", "merged_into", "S000001", None)  # merged again later
        with pytest.raises(UnknownIdError, match="merged into S000001"):
            story_json(st, "S000002")
        with pytest.raises(UnknownIdError, match="no story with id 'S000009'"):
            story_json(st, "S000009")
