import sqlite3

import numpy as np
import pytest

from khabar.errors import StoreError
from khabar.model import Article, Attribution, Claim, ClaimMember, Entity, OffsetMap, RemovedBlock, Span, Story
from khabar.store import Store
from khabar.store.db import migration_files
from khabar.store.state import decode_state, encode_state


def make_article(aid="a1", story="S0001"):
    raw = "[ad_1]\nنفى الكرملين التقرير. وقال بيسكوف إن المعلومات كاذبة."
    text = raw[7:]
    a = Article(id=aid, path=f"{aid}.txt", raw=raw, text=text, title="الكرملين ينفي", source="وكالة",
                offsets=OffsetMap(((0, 7, len(text)),), len(text), len(raw)), story_id=story,
                removed=[RemovedBlock(0, 6, "ad_marker")])
    dot = text.index(".") + 1
    org, per, cue = text.index("الكرملين"), text.index("بيسكوف"), text.index("وقال")
    a.add("sentences", [Span(0, dot, "SENT", "sentences"), Span(dot + 1, len(text), "SENT", "sentences")])
    a.add("entities", [Span(org, org + 8, "ORG", "entities", "E1"), Span(per, per + 6, "PER", "entities", "E2")])
    a.attributions.append(Attribution(cue=Span(cue, cue + 4, "CUE"), content=Span(per + 10, len(text) - 1, "CONTENT"),
                                      kind="indirect", stance="deny", speaker=Span(per, per + 6, "SPEAKER", ref="E2"),
                                      speaker_kind="person"))
    return a


def test_migrations_recorded_once(tmp_path):
    db = tmp_path / "k.db"
    Store(db).close()
    s = Store(db)
    names = [r[0] for r in s.conn.execute("SELECT name FROM _migrations")]
    assert names == [n for n, _ in migration_files()]
    assert s.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_article_round_trip_keeps_layers_offsets_and_attributions():
    s = Store(":memory:")
    a = make_article()
    with s.transaction():
        s.insert_articles([a], run_id=None)
    b = s.load_article("a1")
    assert b.text == a.text and b.raw == a.raw
    assert b.offsets == a.offsets
    assert b.removed == a.removed
    assert [(x.start, x.end, x.ref) for x in b.spans("entities")] == [(4, 12, "E1"), (27, 33, "E2")]
    assert b.attributions[0].stance == "deny"
    assert b.span_text(b.attributions[0].speaker) == "بيسكوف"
    rs, re_ = b.raw_range(b.attributions[0].speaker)
    assert b.raw[rs:re_] == "بيسكوف"


def test_load_articles_gives_each_article_as_it_was_stored_and_leaves_out_unknown_ids(monkeypatch):
    import khabar.store as store_mod

    monkeypatch.setattr(store_mod, "_LOAD_CHUNK", 2)  # three articles: two chunks
    s = Store(":memory:")
    arts = [make_article(f"a{k}") for k in range(3)]
    arts[1].layers.pop("sentences")  # articles differ in their layers
    arts[2].attributions.clear()
    arts[2].removed = []
    with s.transaction():
        s.insert_articles(arts, run_id=None)
    got = s.load_articles(["a2", "nope", "a0", "a1", "a0"])
    assert sorted(got) == ["a0", "a1", "a2"]
    for a in arts:
        b = got[a.id]
        assert (b.text, b.offsets, b.removed) == (a.text, a.offsets, a.removed)
        assert [(t.cue.start, t.content.end, t.stance, t.speaker.ref) for t in b.attributions] == \
            [(t.cue.start, t.content.end, t.stance, t.speaker.ref) for t in a.attributions]
        assert {k: [(x.start, x.end, x.label, x.ref) for x in v] for k, v in b.layers.items()} == \
            {k: [(x.start, x.end, x.label, x.ref) for x in v] for k, v in a.layers.items()}
    assert s.load_articles([]) == {} and s.load_article("nope") is None


def test_transaction_rolls_back_whole_batch():
    s = Store(":memory:")
    with pytest.raises(sqlite3.IntegrityError):
        with s.transaction():
            s.insert_articles([make_article("a1")], run_id=None)
            s.insert_articles([make_article("a1")], run_id=None)  # duplicate primary key
    assert s.article_count() == 0


def test_stories_claims_and_entities():
    s = Store(":memory:")
    with s.transaction():
        s.insert_articles([make_article("a1"), make_article("a2")], run_id=None)
        s.save_entities([Entity("E2", "دميتري بيسكوف", "PER", {"بيسكوف", "ديمتري بيسكوف"}, "Dmitry Peskov", {"المتحدث باسم الكرملين"})])
        s.save_story(Story("S0001", "الكرملين ينفي", "نفى الكرملين التقرير."), run_id=None)
        s.replace_claims("S0001", [Claim("C1", "S0001", "المعلومات كاذبة", [
            ClaimMember("a1", 0, "deny", "دميتري بيسكوف", "E2", "وكالة", 36, 50)])])
    rows = s.stories()
    assert rows[0]["id"] == "S0001" and rows[0]["n_articles"] == 2 and rows[0]["n_claims"] == 1
    (e,) = s.load_entities()
    assert e.variants == {"بيسكوف", "ديمتري بيسكوف"} and e.roles == {"المتحدث باسم الكرملين"}
    (c,) = s.load_claims("S0001")
    assert c.members[0].stance == "deny"
    with s.transaction():
        s.replace_claims("S0001", [])
    assert s.load_claims("S0001") == []
    assert [r[0] for r in s.conn.execute("SELECT event FROM story_events")] == ["created"]


def test_state_round_trip_without_pickle():
    state = {"centroids": np.arange(6, dtype=np.float32).reshape(2, 3), "ids": ["S1", "S2"],
             "nested": {"x": np.ones(2)}, "tags": {"a", "b"}}
    back = decode_state(encode_state(state))
    assert np.array_equal(back["centroids"], state["centroids"]) and back["centroids"].dtype == np.float32
    assert back["ids"] == ["S1", "S2"] and back["tags"] == {"a", "b"}
    assert np.array_equal(back["nested"]["x"], np.ones(2))


def test_embedding_cache_mapping():
    s = Store(":memory:")
    s.embeddings["h"] = np.ones(3, dtype=np.float32).tobytes()
    assert "h" in s.embeddings and len(s.embeddings) == 1
    assert np.frombuffer(s.embeddings["h"], dtype=np.float32).tolist() == [1.0, 1.0, 1.0]


def test_not_a_database_is_a_clear_error(tmp_path):
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError, match="bad.db"):
        Store(bad)


def test_merge_story_moves_articles_and_keeps_a_pointer():
    s = Store(":memory:")
    with s.transaction():
        s.insert_articles([make_article("a1", "S000001"), make_article("a2", "S000002")], run_id=None)
        s.save_story(Story("S000001", "one"), run_id=None)
        s.save_story(Story("S000002", "two"), run_id=None)
        s.replace_claims("S000002", [Claim("C2", "S000002", "x", [ClaimMember("a2", 0, "deny", "x", None, "o", 0, 3)])])
        s.merge_story("S000002", "S000001", run_id=None)
    assert set(s.article_ids(story_id="S000001")) == {"a1", "a2"}
    assert s.load_claims("S000002") == []
    assert s.story("S000002")["merged_into"] == "S000001"
    assert [r["id"] for r in s.stories()] == ["S000001"]
    events = {(r[0], r[1], r[2]) for r in s.conn.execute("SELECT story_id, event, detail FROM story_events")}
    assert ("S000002", "merged_into", "S000001") in events


def test_two_connections_migrating_one_new_database_apply_each_migration_once(tmp_path):
    import threading

    errors = []
    for k in range(25):  # the journal-mode race hit about one new file in ten before it was retried
        db = tmp_path / f"race{k}.db"

        def open_it(db=db):
            try:
                Store(db).close()
            except Exception as exc:  # noqa: BLE001 - the test reports any failure
                errors.append(exc)

        threads = [threading.Thread(target=open_it) for _ in range(6)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert errors == []
        with Store(db) as s:
            names = [r[0] for r in s.conn.execute("SELECT name FROM _migrations")]
        assert len(names) == len(set(names)) == len(migration_files())


def test_state_checkpoint_records_the_articles_it_covers():
    s = Store(":memory:")
    lexical, embedded = s.start_run(embed=False), s.start_run(embed=True)
    assert s.state_upto("stories") is None and s.max_seq() == 0
    with s.transaction():
        s.insert_articles([make_article("a1"), make_article("a2")], run_id=lexical)
        s.save_state("stories", {"n": 2})
        s.insert_articles([make_article("a3")], run_id=embedded)
    assert s.state_upto("stories") == 2 and s.max_seq() == 3
    assert s.articles_after(2) == [("a3", 3, True)]
    assert s.articles_after(0) == [("a1", 1, False), ("a2", 2, False), ("a3", 3, True)]
    s.save_state("stories", {"n": 1}, upto_seq=1)
    assert s.state_upto("stories") == 1 and s.load_state("stories") == {"n": 1}


def test_state_saved_before_checkpoints_covers_every_article():
    """A state row from before migration 0005 (upto_seq NULL) was saved with every batch: nothing to replay."""
    s = Store(":memory:")
    with s.transaction():
        s.insert_articles([make_article("a1"), make_article("a2")], run_id=None)
    s.conn.execute("INSERT INTO state(name, value) VALUES ('dedup', ?)", (encode_state({"ids": ["a1", "a2"]}),))
    assert s.state_upto("dedup") == 2
    assert s.articles_after(s.state_upto("dedup")) == []
    assert s.articles_after(1) == [("a2", 2, False)]  # a run with no embed record replays lexically


def test_story_counts_follow_articles_and_claims_whatever_moves_them():
    """The list reads n_articles / n_outlets / n_claims from the story row (migration 0008's triggers)."""
    s = Store(":memory:")

    def counts(sid):
        r = s.story(sid)
        return r["n_articles"], r["n_outlets"], r["n_claims"]

    with s.transaction():
        a1, a2, a3 = make_article("a1", "S1"), make_article("a2", "S1"), make_article("a3", "S2")
        a2.source = "صحيفة أخرى"
        s.insert_articles([a1, a2], run_id=None)
        s.save_story(Story("S1", "one"), run_id=None)  # written after its articles: takes their counts
        s.save_story(Story("S2", "two"), run_id=None)
        s.insert_articles([a3], run_id=None)  # written before: the trigger counts it
        s.replace_claims("S1", [Claim("C1", "S1", "x", [ClaimMember("a1", 0, "deny", "x", None, "o", 0, 3)]),
                                Claim("C2", "S1", "y", [ClaimMember("a2", 0, "assert", "y", None, "o", 0, 3)])])
    assert counts("S1") == (2, 2, 2) and counts("S2") == (1, 1, 0)
    with s.transaction():
        s.replace_claims("S1", [Claim("C1", "S1", "x", [ClaimMember("a1", 0, "deny", "x", None, "o", 0, 3)])])
        a2.story_id = "S2"
        s.update_article_links(a2)
    assert counts("S1") == (1, 1, 1) and counts("S2") == (2, 2, 0)
    with s.transaction():
        s.merge_story("S1", "S2", run_id=None)
    assert counts("S1") == (0, 0, 0) and counts("S2") == (3, 2, 0)
    assert [r["id"] for r in s.stories()] == ["S2"]
