"""Full-text search (store/search.py) over hand-built articles: folding, clitics, entity variants, offsets."""

from __future__ import annotations

import re

import pytest

from khabar.model import Article, Attribution, Entity, Span
from khabar.store import Store
from khabar.store.search import index_articles, index_pending, parse_query, search

# Self-written texts. P1 names the president with a long vowel (بوتين), with tatweel and a
# kasra in one spelling; P2 is about something else; P3 says "وبوتين" with a clitic.
P1 = "قال الرئيس الروسي فلاديمير بوتين إن المحادثات ستُستأنف. وأكد بـوتِين أن الوفد جاهز."
P2 = "أعلنت وزارة الزراعة أن محصول القمح تضاعف هذا العام في السهول الشمالية."
P3 = "اجتمع الوزير وبوتين في موسكو لمناقشة اتفاق الطاقة الجديد."


def at(text: str, sub: str, nth: int = 0) -> tuple[int, int]:
    s = [m.start() for m in re.finditer(re.escape(sub), text)][nth]
    return s, s + len(sub)


def article(aid: str, text: str, title: str = "", source: str = "وكالة الرافد") -> Article:
    return Article(id=aid * 64, path=f"{aid}.txt", raw=text, text=text, title=title, source=source,
                   published="2024-02-01", story_id="S" + aid)


def make() -> list[Article]:
    a1 = article("1", P1, "بوتين والمحادثات")
    s, e = at(P1, "المحادثات ستُستأنف")
    a1.attributions = [Attribution(cue=Span(0, 3, "CUE"), content=Span(s, e, "CONTENT"), stance="assert",
                                   speaker=Span(*at(P1, "الرئيس الروسي فلاديمير بوتين"), "SPEAKER", "E1"))]
    a2 = article("2", P2, "القمح")
    s, e = at(P2, "محصول القمح تضاعف هذا العام")
    a2.attributions = [Attribution(cue=Span(*at(P2, "أعلنت"), "CUE"), content=Span(s, e, "CONTENT"), stance="assert",
                                   speaker=Span(*at(P2, "وزارة الزراعة"), "SPEAKER"))]
    a3 = article("3", P3, "لقاء موسكو")
    return [a1, a2, a3]


@pytest.fixture
def store() -> Store:
    s = Store(":memory:")
    arts = make()
    with s.transaction():
        s.insert_articles(arts, run_id=None)
        index_articles(s.conn, arts)
    yield s
    s.close()


def add_putin(store: Store, variants: set[str]) -> None:
    with store.transaction():
        store.save_entities([Entity("E1", "فلاديمير بوتين", "PER", variants)])


def ids(results: list[dict], kind: str = "article") -> list[str]:
    return [r["article_id"][0] for r in results if r["kind"] == kind]


def test_search_folds_letters_and_diacritics(store: Store) -> None:
    # The query spells hamza, ta marbuta and a diacritic differently from the text.
    assert ids(search(store.conn, "وزاره الزراعة")) == ["2"]
    assert ids(search(store.conn, "المَحادثات")) == ["1"]
    assert ids(search(store.conn, "السهول الجنوبية")) == []  # every word must match


def test_search_strips_clitics(store: Store) -> None:
    # "بوتين" alone finds "وبوتين" in P3 through the stems column.
    assert set(ids(search(store.conn, "بوتين"))) == {"1", "3"}
    assert ids(search(store.conn, "والقمح")) == ["2"]


def test_search_hits_are_offsets_into_cleaned_text(store: Store) -> None:
    res = [r for r in search(store.conn, "بوتين") if r["article_id"] == "1" * 64 and r["kind"] == "article"][0]
    got = [P1[h["start"]:h["end"]] for h in res["hits"]]
    assert got == ["بوتين", "بـوتِين"]  # tatweel and kasra kept: the range is of the display text
    snip = res["snippet"]
    assert P1[snip["start"]:snip["end"]] == snip["text"]
    assert all(snip["start"] <= h["start"] and h["end"] <= snip["end"] for h in res["hits"])


def test_search_dropped_vowel_found_through_entity_variants(store: Store) -> None:
    # Folding alone does not unify بوتن/بوتين ...
    assert search(store.conn, "بوتن") == []
    # ... a known entity does: the query word is read as its name and expanded to every variant.
    add_putin(store, {"فلاديمير بوتين", "بوتين"})
    res = search(store.conn, "بوتن")
    assert set(ids(res)) == {"1", "3"}
    a1 = next(r for r in res if r["kind"] == "article" and r["article_id"] == "1" * 64)
    assert "بوتين" in [P1[h["start"]:h["end"]] for h in a1["hits"]]
    groups = parse_query(store.conn, "بوتن")
    assert groups[0].entity_ids == ("E1",)
    assert ("فلاديمير", "بوتين") in groups[0].alternatives


def test_search_exact_variant_expands_to_other_variants(store: Store) -> None:
    # A variant the texts never use ("قيصر الكرملين") still finds them through its entity.
    add_putin(store, {"بوتين", "قيصر الكرملين"})
    assert set(ids(search(store.conn, "قيصر الكرملين"))) == {"1", "3"}
    assert search(store.conn, "قيصر الشمال") == []


def test_search_statements_with_stance_and_speaker(store: Store) -> None:
    res = [r for r in search(store.conn, "القمح") if r["kind"] == "statement"]
    assert len(res) == 1
    r = res[0]
    assert (r["attribution_index"], r["stance"], r["speaker"]) == (0, "assert", "وزارة الزراعة")
    assert P2[r["snippet"]["start"]:r["snippet"]["end"]] == "محصول القمح تضاعف هذا العام"
    assert [P2[h["start"]:h["end"]] for h in r["hits"]] == ["القمح"]
    # Speakers are searchable too.
    assert ids(search(store.conn, "الرئيس الروسي"), "statement") == ["1"]


def test_search_index_pending_and_reindex() -> None:
    with Store(":memory:") as s:
        arts = make()
        with s.transaction():
            s.insert_articles(arts, run_id=None)
        assert search(s.conn, "القمح") == []
        assert index_pending(s.conn) == 3
        assert index_pending(s.conn) == 0
        assert ids(search(s.conn, "القمح")) == ["2"]
        with s.transaction():
            index_articles(s.conn, arts[1:2])  # re-indexing replaces, never duplicates
        assert len([r for r in search(s.conn, "القمح") if r["kind"] == "article"]) == 1
        assert s.conn.execute("SELECT COUNT(*) FROM statements_fts").fetchone()[0] == 2


def test_search_query_syntax_is_inert(store: Store) -> None:
    for q in ('"', 'القمح" OR "بوتين', "NEAR(القمح", "*", "القمح AND", "  "):
        res = search(store.conn, q)
        assert all(r["article_id"] != "1" * 64 or "بوتين" in q for r in res), q
    assert search(store.conn, "") == []
    with pytest.raises(ValueError, match=r"\[1, 1000\]"):
        search(store.conn, "القمح", limit=0)


def test_search_variant_index_follows_new_entities(store: Store) -> None:
    # The variant index is cached per store content: a query before the entity exists expands nothing,
    # the same query after it is saved (and after a new variant) sees it.
    assert parse_query(store.conn, "بوتن")[0].entity_ids == ()
    add_putin(store, {"فلاديمير بوتين"})
    assert parse_query(store.conn, "بوتن")[0].entity_ids == ("E1",)
    add_putin(store, {"فلاديمير بوتين", "بوتينا"})
    alts = {" ".join(a) for a in parse_query(store.conn, "بوتن")[0].alternatives}
    assert "بوتينا" in alts


def test_search_variant_index_cached_per_file_store_content(tmp_path) -> None:
    from khabar.store.search import _variant_index

    with Store(tmp_path / "k.db") as s:
        add_putin(s, {"فلاديمير بوتين"})
        first = _variant_index(s.conn)
        assert _variant_index(s.conn) is first  # nothing changed: built once
        with s.transaction():
            s.save_entities([Entity("E2", "شي جين بينغ", "PER", {"شي جين بينغ"})])
        assert _variant_index(s.conn) is not first
        assert parse_query(s.conn, "شي جين بينج")[0].entity_ids == ("E2",)


def test_search_index_is_rebuilt_when_a_migration_empties_it(tmp_path) -> None:
    """Migration 0012 changed how words are stemmed in the index: opening an older store re-indexes it."""
    path = tmp_path / "k.db"
    with Store(path) as s:
        arts = make()
        with s.transaction():
            s.insert_articles(arts, run_id=None)
            index_articles(s.conn, arts)
        # as a store written before 0012: its index holds the old stems ("زاره" for وزارة) and 0012 is pending
        s.conn.execute("UPDATE articles_fts SET stems = replace(stems, 'وزاره', 'زاره')")
        s.conn.execute("DELETE FROM _migrations WHERE name = '0012_search_restem'")
    with Store(path) as s:
        assert ids(search(s.conn, "الوزارة")) == ["2"]  # re-indexed on opening: وزارة and الوزارة meet
        assert s.conn.execute("SELECT COUNT(*) FROM search_articles").fetchone()[0] == 3
        assert s.conn.execute("SELECT COUNT(*) FROM statements_fts").fetchone()[0] == 2
