"""StoryIndex: joining, time decay, stable ids across saved state, bounded retrieval."""

from __future__ import annotations

import json

import numpy as np
import pytest

from khabar.errors import SettingsError
from khabar.model import Article
from khabar.stories import StoryIndex, lead_parts, parse_days, terms_of
from khabar.store.state import decode_state, encode_state


def art(aid: str, title: str, text: str, published: str = "") -> Article:
    return Article(id=aid, path=f"{aid}.txt", raw=text, text=text, title=title, published=published, language="ar")


PORT_1 = art(
    "p1",
    "حريق ضخم في ميناء العقبة يلتهم مستودعات الحبوب",
    "اندلع حريق ضخم فجر الثلاثاء في ميناء العقبة وأتى على ثلاثة مستودعات للحبوب. "
    "وقال الدفاع المدني إن فرق الإطفاء سيطرت على النيران بعد ست ساعات.",
    "2024-05-07",
)
PORT_2 = art(
    "p2",
    "السيطرة على حريق مستودعات الحبوب في ميناء العقبة",
    "أعلن الدفاع المدني السيطرة على الحريق الذي اندلع في مستودعات الحبوب بميناء العقبة. "
    "ولم تسجل إصابات بشرية بحسب بيان رسمي.",
    "2024-05-07T14:00:00",
)
# Same actor (the civil defence, Aqaba) a week later, a different event.
FLOOD = art(
    "f1",
    "الدفاع المدني ينقذ عائلات حاصرتها السيول في العقبة",
    "أنقذ الدفاع المدني عشر عائلات حاصرتها السيول في أحد أحياء العقبة. "
    "وقال الدفاع المدني إن الأمطار الغزيرة أغلقت الطرق المؤدية إلى الحي.",
    "2024-05-14",
)
SUMMIT = art(
    "s1",
    "قمة خليجية طارئة في الدوحة لبحث أمن الملاحة",
    "تعقد دول مجلس التعاون الخليجي قمة طارئة في الدوحة يوم الخميس. "
    "وتبحث القمة أمن الملاحة في البحر الأحمر.",
    "2024-05-08",
)


def test_stories_same_event_joins_and_other_event_starts_new() -> None:
    idx = StoryIndex()
    a = idx.add(PORT_1, embedding=None, entity_ids={"E:aqaba"})
    b = idx.add(PORT_2, embedding=None, entity_ids={"E:aqaba"})
    c = idx.add(SUMMIT, embedding=None, entity_ids={"E:doha"})
    assert a.is_new and a.story_id == "S000001"
    assert not b.is_new and b.story_id == "S000001" and b.score >= idx.threshold
    assert c.is_new and c.story_id == "S000002"
    assert idx.story_of("p2") == "S000001"


def test_stories_same_actor_a_week_later_does_not_join() -> None:
    idx = StoryIndex()
    idx.add(PORT_1, embedding=None, entity_ids={"E:aqaba", "E:civil_defence"})
    idx.add(PORT_2, embedding=None, entity_ids={"E:aqaba", "E:civil_defence"})
    d = idx.add(FLOOD, embedding=None, entity_ids={"E:aqaba", "E:civil_defence"})
    assert d.is_new and d.story_id == "S000002"
    # The decay is what keeps it apart: undated, the shared actors would pull it in.
    undated = StoryIndex()
    undated.add(art("u1", PORT_1.title, PORT_1.text), embedding=None, entity_ids={"E:aqaba", "E:civil_defence"})
    undated.add(art("u2", PORT_2.title, PORT_2.text), embedding=None, entity_ids={"E:aqaba", "E:civil_defence"})
    r = undated.add(art("u3", FLOOD.title, FLOOD.text), embedding=None, entity_ids={"E:aqaba", "E:civil_defence"})
    assert r.score > d.score


def test_stories_time_decay_separates_a_repeat_a_month_later() -> None:
    later = art("p3", PORT_2.title, PORT_2.text, "2024-06-10")
    undated = art("p4", PORT_2.title, PORT_2.text, "")
    idx = StoryIndex()
    idx.add(PORT_1, embedding=None, entity_ids=set())
    assert idx.add(later, embedding=None, entity_ids=set()).is_new
    # Unknown date: no decay, so the same text joins the first story.
    idx = StoryIndex()
    idx.add(PORT_1, embedding=None, entity_ids=set())
    joined = idx.add(undated, embedding=None, entity_ids=set())
    assert not joined.is_new and joined.story_id == "S000001"
    assert parse_days("2024-05-08") - parse_days("2024-05-07T12:00:00Z") == 0.5
    assert parse_days("") is None and parse_days("أمس") is None


def test_stories_embeddings_join_cross_lingual_lead() -> None:
    english = Article(
        id="en1",
        path="en1.txt",
        raw="",
        text="Civil defence crews put out the blaze at the grain warehouses after six hours.",
        title="Fire destroys grain warehouses at Aqaba port",
        published="2024-05-07",
        language="en",
    )
    e_port = np.zeros(8, dtype=np.float32)
    e_port[0] = 1.0
    e_summit = np.zeros(8, dtype=np.float32)
    e_summit[1] = 1.0
    idx = StoryIndex()
    idx.add(PORT_1, embedding=e_port, entity_ids=set())
    idx.add(SUMMIT, embedding=e_summit, entity_ids=set())
    # No shared Arabic terms: only the embedding can place it.
    near_port = e_port * 0.99 + e_summit * 0.1
    r = idx.add(english, embedding=near_port / np.linalg.norm(near_port), entity_ids=set())
    assert r.story_id == "S000001" and not r.is_new
    # Without the embedding the same text starts a story of its own.
    idx2 = StoryIndex()
    idx2.add(PORT_1, embedding=e_port, entity_ids=set())
    assert idx2.add(english, embedding=None, entity_ids=set()).is_new


def test_stories_cross_lingual_join_needs_a_clear_margin_or_a_shared_entity() -> None:
    english = Article(id="en2", path="en2.txt", raw="", text="Fire at the grain warehouses.", title="Aqaba port fire",
                      published="2024-05-07", language="en")
    # e5-like compressed cosines: both stories lie near one common direction
    e_port = np.array([0.9, 0.436, 0, 0, 0, 0, 0, 0], dtype=np.float32)
    e_summit = np.array([0.9, 0, 0.436, 0, 0, 0, 0, 0], dtype=np.float32)
    # cosine 0.86 with the port story, 0.84 with the summit: a margin of 0.02, under the default 0.03
    close = np.array([0.85, 0.2179, 0.1720, 0.4477, 0, 0, 0, 0])
    assert abs(close @ e_port - 0.86) < 0.002 and abs(close @ e_summit - 0.84) < 0.002
    for entity_ids, joins in ((set(), False), ({"E:aqaba"}, True)):
        idx = StoryIndex()
        idx.add(PORT_1, embedding=e_port, entity_ids={"E:aqaba"})
        idx.add(SUMMIT, embedding=e_summit, entity_ids=set())
        r = idx.add(english, embedding=(close / np.linalg.norm(close)).astype(np.float32), entity_ids=entity_ids)
        assert (r.story_id == "S000001" and not r.is_new) is joins, entity_ids  # the shared entity lowers the margin


def _stream() -> list[Article]:
    return [PORT_1, SUMMIT, PORT_2, FLOOD]


def test_stories_ids_stable_after_state_round_trip() -> None:
    rng = np.random.default_rng(0)
    embs = {a.id: rng.normal(size=16).astype(np.float32) for a in _stream()}
    whole = StoryIndex()
    for a in _stream():
        whole.add(a, embedding=embs[a.id], entity_ids={"E:aqaba"} if "العقبة" in a.title else set())
    first = StoryIndex()
    for a in _stream()[:2]:
        first.add(a, embedding=embs[a.id], entity_ids={"E:aqaba"} if "العقبة" in a.title else set())
    state = decode_state(encode_state(first.to_state()))  # as a checkpoint stores it
    assert state["version"] == 3
    second = StoryIndex.from_state(state)
    for a in _stream()[2:]:
        second.add(a, embedding=embs[a.id], entity_ids={"E:aqaba"} if "العقبة" in a.title else set())
    assert [second.story_of(a.id) for a in _stream()] == [whole.story_of(a.id) for a in _stream()]
    assert second.to_state(compact=False)["stories"] == whole.to_state(compact=False)["stories"]
    # Re-adding a known article changes nothing and returns its story.
    again = second.add(PORT_2, embedding=None, entity_ids=set())
    assert again.story_id == whole.story_of("p2") and not again.is_new
    assert len(second) == len(whole)


def test_stories_label_and_summary_come_from_the_most_central_member() -> None:
    side = art(
        "p5",
        "أسعار الخبز مستقرة رغم حريق العقبة",
        "قالت وزارة الصناعة إن أسعار الخبز لن تتأثر بحريق مستودعات الحبوب في ميناء العقبة.",
        "2024-05-07",
    )
    idx = StoryIndex({"join_threshold": 0.1})
    for a in (side, PORT_1, PORT_2):
        idx.add(a, embedding=None, entity_ids=set())
    assert len(idx) == 1
    assert idx.label("S000001") in (PORT_1.title, PORT_2.title)
    assert idx.summary("S000001").startswith(("اندلع حريق", "أعلن الدفاع المدني"))
    (story,) = idx.stories()
    assert story.article_ids == ["p5", "p1", "p2"]


def test_stories_lead_skips_repeated_title() -> None:
    a = art("t", "انقطاع الكهرباء في بيروت", "انقطاع الكهرباء في بيروت\nعادت الكهرباء مساء. وقال مسؤول إن العطل فني. جملة ثالثة.")
    lead, first = lead_parts(a, sentences=2, max_chars=600)
    assert lead == "انقطاع الكهرباء في بيروت عادت الكهرباء مساء. وقال مسؤول إن العطل فني."
    assert first == "عادت الكهرباء مساء."


def test_stories_summary_sentence_keeps_its_decimal_figure() -> None:
    a = art("q", "هزة أرضية", "الحسيمة - سجلت هزة أرضية بقوة 4.9 درجات على سلم ريختر. وقال المعهد إن العمق 10 كيلومترات.")
    assert lead_parts(a, sentences=1)[1] == "الحسيمة - سجلت هزة أرضية بقوة 4.9 درجات على سلم ريختر."


def test_stories_retrieval_stays_bounded_with_many_stories() -> None:
    rng = np.random.default_rng(1)
    idx = StoryIndex({"k_index": 4, "k_embedding": 3, "join_threshold": 0.99})
    places = ["حلب", "حمص", "درعا", "إدلب", "الرقة", "حماة", "طرطوس", "اللاذقية"]
    worst = 0
    for i in range(300):
        # Every article shares "غزة" and "قصف"; each also has its own made-up words.
        place = places[i % len(places)]
        title = f"قصف على غزة ومدينة {place} رقم{i} كلمة{i * 7}"
        e = rng.normal(size=8).astype(np.float32)
        r = idx.add(art(f"a{i}", title, f"تفاصيل الحدث رقم{i} في {place}."), embedding=e, entity_ids={"E:gaza"})
        worst = max(worst, r.n_candidates)
    assert len(idx) == 300
    assert 0 < worst <= 4 + 3


def test_stories_bridging_article_merges_two_stories_older_id_survives() -> None:
    # m1 and m2 share "مستودعات الحبوب" (0.21 with lemma terms): a join threshold of 0.25 keeps them apart.
    idx = StoryIndex({"join_threshold": 0.25, "merge_threshold": 0.1})
    a = idx.add(art("m1", "حريق في ميناء العقبة", "اندلع حريق في مستودعات الحبوب بميناء العقبة."), embedding=None, entity_ids=set())
    b = idx.add(art("m2", "إطفاء مستودعات الحبوب", "سيطرت فرق الدفاع المدني على النيران بعد ست ساعات."), embedding=None, entity_ids=set())
    assert a.story_id == "S000001" and b.is_new and b.story_id == "S000002" and idx.events() == []
    bridge = art(
        "m3",
        "حريق مستودعات الحبوب في ميناء العقبة",
        "سيطرت فرق الدفاع المدني على النيران التي اندلعت في مستودعات الحبوب بميناء العقبة بعد ست ساعات.",
    )
    r = idx.add(bridge, embedding=None, entity_ids=set())
    assert r.story_id == "S000001" and "S000002" in r.absorbed
    assert idx.events() == [("S000002", "merged_into", "S000001")]
    assert idx.story_of("m2") == "S000001" and len(idx) == 1
    (merged,) = idx.stories()
    assert merged.id == "S000001" and sorted(merged.article_ids) == ["m1", "m2", "m3"]
    again = StoryIndex.from_state(idx.to_state(), {"join_threshold": 0.25, "merge_threshold": 0.1})
    assert again.story_of("m2") == "S000001" and again.events() == idx.events()
    # Merging off (> 1): the bridge joins one story and the other stays.
    off = StoryIndex({"join_threshold": 0.25, "merge_threshold": 1.01})
    for x in (art("m1", "حريق في ميناء العقبة", "اندلع حريق في مستودعات الحبوب بميناء العقبة."),
              art("m2", "إطفاء مستودعات الحبوب", "سيطرت فرق الدفاع المدني على النيران بعد ست ساعات."), bridge):
        off.add(x, embedding=None, entity_ids=set())
    assert len(off) == 2 and off.events() == []


# A story with two sides (the fire; bread prices after it) and an article about the second side only.
BREAD = art(
    "b1",
    "أسعار الخبز مستقرة رغم حريق مستودعات الحبوب في العقبة",
    "قالت وزارة الصناعة إن أسعار الخبز لن ترتفع بعد حريق مستودعات الحبوب في ميناء العقبة، "
    "وإن مخزون القمح يكفي ستة أشهر.",
    "2024-05-07",
)
WHEAT = art(
    "w1",
    "وزارة الصناعة: مخزون القمح يكفي ستة أشهر وأسعار الخبز لن ترتفع",
    "طمأنت وزارة الصناعة المواطنين بأن مخزون القمح يكفي ستة أشهر وأن أسعار الخبز لن ترتفع.",
    "2024-05-08",
)


def _two_sided_story_state() -> dict:
    idx = StoryIndex({"join_threshold": 0.1, "merge_threshold": 1.01})
    assert idx.add(PORT_1, embedding=None, entity_ids=set()).story_id == "S000001"
    assert idx.add(BREAD, embedding=None, entity_ids=set()).story_id == "S000001"
    return idx.to_state(compact=False)


def test_stories_top_link_joins_article_close_to_one_member_that_the_mean_dilutes() -> None:
    state = _two_sided_story_state()
    mean = StoryIndex.from_state(state, {"join_threshold": 0.45, "link_mix": 0.0})
    top = StoryIndex.from_state(state, {"join_threshold": 0.45, "link_mix": 1.0, "link_top_k": 1})
    r_mean = mean.add(WHEAT, embedding=None, entity_ids=set())
    r_top = top.add(WHEAT, embedding=None, entity_ids=set())
    assert r_mean.is_new and r_mean.story_id == "S000002"
    assert not r_top.is_new and r_top.story_id == "S000001"
    # Top-k over both members (k = 2) is the mean of the two cosines again: no join.
    both = StoryIndex.from_state(state, {"join_threshold": 0.45, "link_mix": 1.0, "link_top_k": 2})
    r_both = both.add(WHEAT, embedding=None, entity_ids=set())
    assert r_both.is_new
    assert r_mean.score < r_top.score
    # Only the most recent member is looked at: the port member alone does not take the article.
    old = StoryIndex.from_state(
        {**state, "stories": [{**state["stories"][0], "members": state["stories"][0]["members"][::-1]}]},
        {"join_threshold": 0.45, "link_mix": 1.0, "link_top_k": 1, "link_members": 1},
    )
    assert old.add(WHEAT, embedding=None, entity_ids=set()).is_new


def test_stories_top_link_settings_checked_at_the_door() -> None:
    for bad in ({"link_mix": 1.5}, {"link_top_k": 0}, {"link_members": 0}):
        with pytest.raises(SettingsError, match=r"must be in \["):
            StoryIndex(bad)


# -- compact structures (issue #9): same results as the dict-based index ----------------------------

def test_stories_sparse_vector_matches_dict_arithmetic_bit_for_bit() -> None:
    from khabar.compact import SparseVec

    rng = np.random.default_rng(7)
    story: dict[int, float] = {}
    vec = SparseVec()
    for _ in range(30):  # joins of article vectors with overlapping, unordered term ids
        ids = rng.choice(400, size=int(rng.integers(1, 60)), replace=False).astype(np.int32)
        w = rng.random(ids.size)
        art_vec = SparseVec(ids, w)
        expected = sum(float(x) * story.get(int(t), 0.0) for t, x in zip(ids, w))
        assert vec.dot(art_vec) == expected  # same order of float additions, not merely close
        for t, x in zip(ids.tolist(), w.tolist()):
            story[t] = story.get(t, 0.0) + x
        vec.add(art_vec)
    vocab = [f"t{i}" for i in range(400)]
    assert list(vec.items(vocab).items()) == [(f"t{t}", x) for t, x in story.items()]  # insertion order kept


def test_stories_postings_keep_sorted_rows_bare_or_in_arrays() -> None:
    from khabar.compact import Postings

    p = Postings()
    for row in (7, 3, 9, 1):
        p.insort("k", row)
    p.insort("solo", 5)
    p.append("loaded", 2)
    p.append("loaded", 4)
    assert list(p.recent("k", 10)) == [1, 3, 7, 9] and list(p.recent("k", 2)) == [7, 9]
    assert list(p.recent("solo", 3)) == [5] and list(p.recent("loaded", 5)) == [2, 4]
    assert list(p.recent("absent", 3)) == []


def _v2_state_written_by_the_dict_index() -> dict:
    """A version-2 state as the dict-based index wrote it (one merged story, one story without "vec")."""
    port = {"حريق": 2, "ميناء": 1, "العقب": 1, "مستودع": 1}
    port2 = {"حريق": 1, "مستودع": 1, "حبوب": 1}
    summit = {"قمه": 2, "خليج": 1, "دوحه": 1}
    return {
        "version": 2, "n_docs": 3,
        "df": {"حريق": 2, "ميناء": 1, "العقب": 1, "مستودع": 2, "حبوب": 1, "قمه": 1, "خليج": 1, "دوحه": 1},
        "ent_df": {"E:aqaba": 2, "E:doha": 1},
        "assigned": {"p1": "S000001", "p2": "S000002", "s1": "S000003"},
        "events": [["S000002", "merged_into", "S000001"]],
        "stories": [
            {"id": "S000001", "alive": True, "terms": {"حريق": 3, "ميناء": 1, "العقب": 1, "مستودع": 2, "حبوب": 1},
             "vec": {"حريق": 0.9, "ميناء": 0.5, "العقب": 0.4, "مستودع": 0.6, "حبوب": 0.3}, "n": 2,
             "entities": {"E:aqaba": 2}, "n_emb": 0, "first": 738000.0, "last": 738000.5,
             "members": [["p1", "حريق في ميناء العقبة", "اندلع حريق.", port],
                         ["p2", "السيطرة على الحريق", "أعلن الدفاع المدني.", port2]]},
            {"id": "S000002", "alive": False, "terms": {}, "vec": {}, "n": 0, "entities": {}, "n_emb": 0,
             "first": None, "last": None, "members": []},
            {"id": "S000003", "alive": True, "terms": summit, "entities": {"E:doha": 1}, "n_emb": 0,
             "first": None, "last": None, "members": [["s1", "قمة خليجية في الدوحة", "تعقد القمة.", summit]]},
        ],
        "emb_sums": None,
    }


def test_stories_state_of_the_dict_index_still_loads_and_round_trips() -> None:
    state = _v2_state_written_by_the_dict_index()
    idx = StoryIndex.from_state(json.loads(json.dumps(state)))
    assert idx.story_of("p2") == "S000001" and idx.current("S000002") == "S000001"
    assert [s.id for s in idx.stories()] == ["S000001", "S000003"]
    assert idx.stories()[0].article_ids == ["p1", "p2"]
    assert idx.summary("S000003") == "تعقد القمة."
    back = idx.to_state(compact=False)
    for key in ("n_docs", "df", "ent_df", "assigned", "events"):
        assert back[key] == state[key], key
    assert [s["terms"] for s in back["stories"]] == [s["terms"] for s in state["stories"]]
    assert [s["members"] for s in back["stories"]] == [s["members"] for s in state["stories"]]
    assert back["stories"][0]["vec"] == state["stories"][0]["vec"]
    assert back["stories"][2]["n"] == 1 and back["stories"][2]["vec"]  # the story without "vec": rebuilt
    # The loaded postings retrieve the old stories: a new fire article joins S000001.
    new = art("p3", "حريق مستودع ميناء العقبة", "حريق في مستودع الحبوب بميناء العقبة.")
    assert idx.add(new, embedding=None, entity_ids={"E:aqaba"}).story_id == "S000001"


def test_stories_compact_state_round_trips_to_the_same_index() -> None:
    """Version 3 (columnar) and version 2 (dicts) load to the same index, with link vectors and merges."""
    settings = {"join_threshold": 0.1, "merge_threshold": 0.1, "link_mix": 0.5}
    idx = StoryIndex(settings)
    for a in [*_stream(), BREAD]:
        idx.add(a, embedding=None, entity_ids={"E:aqaba"} if "العقبة" in a.title else set())
    v2 = idx.to_state(compact=False)
    v3 = decode_state(encode_state(idx.to_state()))
    assert v3["df"].dtype == np.int32 and isinstance(v3["stories"]["vec_w"], np.ndarray)
    assert len(v3["members"]["vec_rows"]) == len(_stream()) + 1  # every member's join-time vector kept
    from_v3, from_v2 = StoryIndex.from_state(v3, settings), StoryIndex.from_state(v2, settings)
    assert from_v3.to_state(compact=False) == from_v2.to_state(compact=False) == v2
    want = idx.add(WHEAT, embedding=None, entity_ids=set())
    assert from_v3.add(WHEAT, embedding=None, entity_ids=set()) == want
    assert from_v2.add(WHEAT, embedding=None, entity_ids=set()) == want
    assert from_v3.to_state(compact=False) == idx.to_state(compact=False)


# Written for this test: a daily roundup that reaches the port fire after six paragraphs of other news.
ROUNDUP_PARAGRAPHS = [
    "افتتح وزير التربية والتعليم مدرسة جديدة في مدينة الكرك تتسع لستمئة طالب وطالبة، وقال إن الوزارة تخطط لبناء عشرين مدرسة أخرى في المحافظات الجنوبية خلال العامين المقبلين لتخفيف الاكتظاظ في الصفوف.",
    "وفي الرياضة، فاز نادي الفيصلي على نظيره الوحدات بهدفين مقابل هدف في مباراة القمة التي أقيمت على ستاد عمان الدولي أمام أكثر من عشرين ألف متفرج، ليتصدر جدول ترتيب الدوري الممتاز بفارق ثلاث نقاط.",
    "وعلى الصعيد الاقتصادي، ارتفعت أسعار الذهب في الأسواق المحلية بنسبة اثنين في المئة مدفوعة بارتفاع الطلب قبل موسم الأعراس، فيما استقرت أسعار الخضار والفواكه في السوق المركزي للأسبوع الثالث.",
    "وأعلنت دائرة الأرصاد الجوية أن درجات الحرارة ستنخفض نهاية الأسبوع مع فرصة لهطول زخات متفرقة من المطر على المرتفعات الشمالية، ودعت السائقين إلى الحذر بسبب الضباب الكثيف في ساعات الصباح الباكر.",
    "وفي الثقافة، انطلقت فعاليات معرض الكتاب السنوي بمشاركة أكثر من ثلاثمئة دار نشر من ثلاثين دولة، ويستمر المعرض عشرة أيام تتخللها ندوات شعرية وأمسيات موسيقية وحفلات توقيع لروايات جديدة.",
    "وقالت وزارة الصحة إن حملة التطعيم ضد الحصبة شملت مئة ألف طفل في شهرها الأول، وإن الفرق الطبية ستزور القرى النائية في البادية الشرقية الأسبوع المقبل لاستكمال الحملة قبل بداية فصل الشتاء.",
    "وفي العقبة، اندلع حريق ضخم فجر الثلاثاء في ميناء العقبة وأتى على ثلاثة مستودعات للحبوب، وقال الدفاع المدني إن فرق الإطفاء سيطرت على النيران بعد ست ساعات.",
]
ROUNDUP = art("r1", "أبرز أخبار المحافظات: مدرسة في الكرك وحريق في العقبة", "\n".join(ROUNDUP_PARAGRAPHS), "2024-05-07T18:00:00")


OTHER_NEWS = [
    art("o1", "البنك المركزي يثبت أسعار الفائدة", "قرر البنك المركزي تثبيت أسعار الفائدة الرئيسية دون تغيير للشهر الرابع على التوالي بسبب تباطؤ التضخم.", "2024-05-06"),
    art("o2", "إطلاق قمر صناعي للاتصالات", "أطلقت وكالة الفضاء قمرا صناعيا جديدا للاتصالات من قاعدة في المحيط الهادئ لتحسين خدمات الإنترنت في الأرياف.", "2024-05-06"),
    art("o3", "مهرجان للتمور في الواحة", "يشارك مئتا مزارع في مهرجان التمور السنوي في الواحة لعرض أصناف نادرة وبيعها للزوار والتجار.", "2024-05-06"),
    art("o4", "انقطاع المياه عن أحياء العاصمة", "أعلنت سلطة المياه انقطاع الضخ عن عشرة أحياء في العاصمة يومين لإجراء صيانة طارئة على الخط الناقل.", "2024-05-06"),
]


def test_stories_a_shared_paragraph_lifts_a_roundup_into_the_story_its_lead_misses() -> None:
    got = {}
    for mix in (0.0, 0.3):
        idx = StoryIndex({"passage_mix": mix, "lead_chars": 600})  # the roundup's lead: its first three paragraphs
        for a in (*OTHER_NEWS, PORT_1):
            idx.add(a, embedding=None, entity_ids=set())
        got[mix] = idx.add(ROUNDUP, embedding=None, entity_ids=set()), idx.story_of("p1")
    (off, port_off), (on, port_on) = got[0.0], got[0.3]
    assert off.story_id != port_off  # its lead (education, football, gold prices ...) is far from the fire, though its title names it
    assert on.story_id == port_on and not on.is_new  # the last paragraph is the fire's report


def test_stories_a_rumour_and_its_denial_join_in_a_store_of_two_posts() -> None:
    # Written for this test: two short posts that share their content words. In a store this small every shared
    # word has the highest document frequency, so without the IDF prior it weighs least and the posts score below
    # the join threshold (they join still, at the lower threshold of a post denying, or saying "continues").
    rumour = art("r1", "", "عاجل: مصادر تؤكد إغلاق جميع المدارس في الرياض غدا بسبب الأمطار الغزيرة", "2026-11-20")
    denial = art("d1", "", "نفت وزارة التعليم ما تم تداوله عن إغلاق المدارس في الرياض غدا، مؤكدة أن الدراسة مستمرة.", "2026-11-20")
    idx = StoryIndex()
    assert idx.prior_docs > 0 and idx.prior_df > 0  # on by default
    idx.add(rumour, embedding=None, entity_ids=set())
    joined = idx.add(denial, embedding=None, entity_ids=set())
    assert not joined.is_new and joined.score >= idx.threshold
    bare = StoryIndex({"idf_prior_docs": 0, "idf_prior_df": 0})
    bare.add(rumour, embedding=None, entity_ids=set())
    without = bare.add(denial, embedding=None, entity_ids=set())
    assert without.score < bare.threshold <= joined.score
    # The prior does not glue different events: a summit after the port fire still starts its own story.
    other = StoryIndex()
    other.add(PORT_1, embedding=None, entity_ids=set())
    assert other.add(SUMMIT, embedding=None, entity_ids=set()).is_new


def test_stories_lemma_terms_join_a_denial_that_shares_only_lemmas_with_its_rumour() -> None:
    # Written for this test: the rumour says أسعار / أسطوانات / الغاز, the denial سعر / أسطوانة / البوتاجاز;
    # no match key is shared but the lemmas سعر and أسطوانة are.
    rumour = art("r1", "", "مصادر: زيادة أسعار أسطوانات الغاز إلى 150 جنيها من الأحد", "2026-12-01")
    denial = art("d1", "", "وزارة البترول تنفي رفع سعر أسطوانة البوتاجاز", "2026-12-01")
    assert "سعر" in terms_of(rumour.text, lemmas=True) and "سعر" not in terms_of(rumour.text)
    idx = StoryIndex()
    assert idx.lemma_terms  # on by default
    idx.add(rumour, embedding=None, entity_ids=set())
    assert not idx.add(denial, embedding=None, entity_ids=set()).is_new
    bare = StoryIndex({"lemma_terms": False})
    bare.add(rumour, embedding=None, entity_ids=set())
    assert bare.add(denial, embedding=None, entity_ids=set()).is_new
    # Lemmas do not glue different events: the summit after the port fire still starts its own story.
    other = StoryIndex()
    other.add(PORT_1, embedding=None, entity_ids=set())
    assert other.add(SUMMIT, embedding=None, entity_ids=set()).is_new


def test_stories_a_posts_terms_add_the_verb_root_and_synonym_head_claims_read() -> None:
    from khabar.stories import terms_of

    # Written for this test: the rumour's verb (تغلق) and the reply's verbal noun (لإغلاقها) share غلق,
    # اختفاء and فقدان share فقد; in news the terms stay match keys and lemmas only.
    rumour, reply = "عاجل: تغلق جميع المساجد لمدة أسبوع", "المساجد مفتوحة ولا صحة لإغلاقها"
    assert "غلق" in set(terms_of(rumour, lemmas=True, pronouns=True)) & set(terms_of(reply, lemmas=True, pronouns=True))
    assert "فقد" in set(terms_of("اختفاء طائرة", lemmas=True, pronouns=True)) & set(
        terms_of("لا صحة لفقدان أي طائرة", lemmas=True, pronouns=True))
    assert "غلق" not in terms_of(rumour, lemmas=True)
    assert "ظيم" not in terms_of("هيئة تنظيم الكهرباء", lemmas=True, pronouns=True)  # light stems add nothing
    idx = StoryIndex()
    idx.add(art("r1", "", rumour, "2026-12-01"), embedding=None, entity_ids=set())
    assert not idx.add(art("d1", "", reply, "2026-12-01"), embedding=None, entity_ids=set()).is_new


def test_stories_a_question_to_an_account_and_its_answer_share_a_thread_term() -> None:
    from khabar.stories import conversation_terms

    # Written for this test: the citizen asks the ministry, the ministry answers the citizen in other words
    q = conversation_terms("تويتر/@oman_citizen", "@MOH_Oman هل صحيح أنه سيتم فرض الكمامة؟")
    assert q == conversation_terms("تويتر/@MOH_Oman", "@oman_citizen لا يوجد أي توجه لإلزامية الكمامة")
    assert not set(q) & set(conversation_terms("تويتر/@MOH_Oman", "@other_user المراكز الصحية تعمل"))
    assert conversation_terms("واتساب", "@MOH_Oman هل صحيح؟") == []  # no author account, no thread
    idx = StoryIndex()
    ask = art("q1", "", "@MOH_Oman هل صحيح أنه سيتم فرض الكمامة في جميع الأماكن العامة ابتداء من الأحد؟", "2026-12-01")
    ask.source = "تويتر/@oman_citizen"
    answer = art("a1", "", "@oman_citizen لا يوجد أي توجه حاليا لإلزامية الكمامة في الأماكن العامة، ونرجو استقاء الأخبار من "
                 "المصادر الرسمية",
                 "2026-12-01")
    answer.source = "تويتر/@MOH_Oman"
    idx.add(ask, embedding=None, entity_ids=set())
    assert not idx.add(answer, embedding=None, entity_ids=set()).is_new


def test_stories_spoken_particles_of_posts_are_no_terms() -> None:
    from khabar.stories import terms_of

    # "يا جماعة ... رح" would be a post's rarest, heaviest terms and pull unrelated posts together
    terms = terms_of("يا جماعة سمعت إنو رح يرتفع سعر البنزين ولا حدا قال لهذا السبب", lemmas=True)
    assert not {"يا", "جماعه", "سمعت", "انو", "رح", "ولا", "لهذا"} & set(terms)
    assert {"وقود", "سعر"} <= set(terms)  # petrol read as fuel (khabar.spoken)


def _post(aid: str, text: str, published: str) -> Article:
    from khabar.attribution import find_attributions

    a = Article(id=aid, path=f"{aid}.txt", raw=text, text=text, title="", published=published, language="ar")
    find_attributions(a, settings={})
    return a


def test_stories_a_denial_post_joins_its_rumour_at_the_lower_threshold() -> None:
    # Written for this test: the spoken rumour and the traffic department's denial share few story terms
    rumour = _post("r", "عاجل: بيقولوا رخص القيادة للأجانب هتتوقف من أول الشهر الجاي في كل المحافظات بسبب الزحمة، حد عنده تأكيد؟",
                   "2027-03-01T10:00:00")
    denial = _post("d", "الإدارة العامة للمرور: لا صحة لما يتم تداوله بشأن وقف رخص القيادة للمقيمين، والخدمات تقدم كالمعتاد "
                   "عبر المنصة الإلكترونية", "2027-03-01T13:00:00")
    idx = StoryIndex()
    idx.add(rumour, embedding=None, entity_ids=set())
    joined = idx.add(denial, embedding=None, entity_ids=set())
    assert not joined.is_new and idx.denial_threshold <= joined.score < idx.threshold
    strict = StoryIndex({"denial_post_join_threshold": 0.15})
    strict.add(rumour, embedding=None, entity_ids=set())
    assert strict.add(denial, embedding=None, entity_ids=set()).is_new


def test_stories_a_post_saying_things_are_unchanged_joins_as_a_denial() -> None:
    # Written for this test: the ministry answers with no denial word, only "prices unchanged"; a post of the
    # ministry on another matter, at a like score, says nothing is unchanged and stays apart
    rumour = _post("r", "سعر ربطة الخبز رح يصير دينار من أول الشهر 😡 شو بدنا نوكل؟", "2037-03-01T10:00:00")
    steady = _post("s", "وزارة الصناعة والتجارة والتموين: أسعار الخبز المدعوم ثابتة دون تغيير، ويستمر بيعه بالأسعار "
                   "المحددة في جميع المخابز بالمملكة، وتدعو المواطنين إلى استقاء المعلومات من مصادرها الرسمية.",
                   "2037-03-01T13:00:00")
    other = _post("o", "وزارة الصناعة والتجارة والتموين: حملة رقابية على المخابز للتأكد من وزن ربطة الخبز ونظافة "
                  "الأفران في المحافظات", "2037-03-01T13:00:00")
    for reply, joins in ((steady, True), (other, False)):
        idx = StoryIndex()
        idx.add(rumour, embedding=None, entity_ids=set())
        got = idx.add(reply, embedding=None, entity_ids=set())
        assert idx.denial_threshold <= got.score < idx.threshold, (reply.id, got.score)
        assert got.is_new is not joins, reply.id


def test_stories_a_denial_post_sharing_only_its_speaker_and_cue_stays_apart() -> None:
    # Written for this test: the ministry denies a transfer fee; its earlier post announced a bonus. Speaker and
    # cue words ("وزارة المالية تنفي") are all the two share: no lower threshold for that
    bonus = _post("b", "وزارة المالية: صرف منحة 3000 ريال لكل موظف حكومي بمناسبة العيد الوطني خلال أيام", "2027-03-01T10:00:00")
    denial = _post("d", "وزارة المالية تنفي فرض رسوم على تحويلات العمالة الوافدة إلى الخارج", "2027-03-01T13:00:00")
    idx = StoryIndex()
    idx.add(bonus, embedding=None, entity_ids=set())
    apart = idx.add(denial, embedding=None, entity_ids=set())
    assert apart.is_new and idx.denial_threshold <= apart.score < idx.threshold
