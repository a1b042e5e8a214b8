"""Claim regrouping per batch: the faster linking and vague-denial steps equal the plain ones, and
``Store.replace_claims`` rewrites only the claims that changed."""

from __future__ import annotations

import random

import pytest

from khabar.claims import _attach_vague, _idf_weights, _link_groups, _overlap, _Statement, _UnionFind
from khabar.model import Article, Claim, ClaimMember, Story
from khabar.store import Store


def _link_groups_plain(uf: _UnionFind, edges: list[tuple[float, int, int]], min_share: float) -> None:
    """The pair-by-pair version (every cross pair looked up), the reference the indexed one must equal."""
    similar = {(i, j) for _, i, j in edges}
    members: dict[int, list[int]] = {}
    for _, i, j in sorted(edges, key=lambda e: (-e[0], e[1], e[2])):
        ri, rj = uf.find(i), uf.find(j)
        if ri == rj:
            continue
        gi, gj = members.get(ri, [ri]), members.get(rj, [rj])
        linked = sum(1 for x in gi for y in gj if (min(x, y), max(x, y)) in similar)
        if linked < min_share * len(gi) * len(gj):
            continue
        uf.union(ri, rj)
        root = uf.find(ri)
        members[root] = gi + gj
        members.pop(ri if root != ri else rj, None)


def _groups(uf: _UnionFind, n: int) -> list[int]:
    return [uf.find(i) for i in range(n)]


@pytest.mark.parametrize("seed", range(12))
def test_claims_link_groups_equal_pairwise_reference(seed: int) -> None:
    rng = random.Random(seed)
    n = rng.randint(5, 60)
    pairs = {(min(a, b), max(a, b)) for a, b in ((rng.randrange(n), rng.randrange(n)) for _ in range(n * 3)) if a != b}
    edges = [(round(rng.uniform(0.5, 1.0), 2), i, j) for i, j in sorted(pairs)]  # ties in score on purpose
    for share in (0.0, 0.2, 0.5, 1.0):
        fast, plain = _UnionFind(n), _UnionFind(n)
        _link_groups(fast, edges, share)
        _link_groups_plain(plain, edges, share)
        assert _groups(fast, n) == _groups(plain, n)
    assert len(set(_groups(fast, n))) < n  # share 1.0 still joins the strongest pairs


def _stmt(article: Article, start: int, stance: str) -> _Statement:
    return _Statement(article, 0, start, start + 3, stance, "س", None, frozenset({"x"}))


def test_claims_vague_denial_joins_nearest_earlier_denial_of_its_article() -> None:
    a = Article(id="a", path="a.txt", raw="ن" * 90, text="ن" * 90)
    b = Article(id="b", path="b.txt", raw="ن" * 90, text="ن" * 90)
    stmts = [_stmt(a, 0, "assert"), _stmt(b, 5, "deny"), _stmt(a, 10, "deny"), _stmt(a, 20, "assert"),
             _stmt(a, 30, "deny"), _stmt(b, 40, "deny"), _stmt(a, 50, "deny"), _stmt(b, 1, "deny")]
    vague = [False, False, False, False, True, True, True, True]
    uf = _UnionFind(len(stmts))
    _attach_vague(stmts, vague, uf, frozenset())
    assert uf.find(4) == uf.find(2)  # a's earlier denial at 10, though an assertion (20) is nearer
    assert uf.find(6) == uf.find(2)  # another vague one in a: the same non-vague denial, never a vague one
    assert uf.find(5) == uf.find(1)  # b's: b's own denial, not a's
    assert uf.find(7) == 7  # nothing earlier in b, and every other statement is by the same source: alone
    assert uf.find(0) == 0 and uf.find(3) == 3


def test_claims_vague_denial_opening_a_post_joins_another_sources_statement_sharing_its_word() -> None:
    a = Article(id="a", path="a.txt", raw="ن" * 90, text="ن" * 90)
    b = Article(id="b", path="b.txt", raw="ن" * 90, text="ن" * 90)
    rumour = _Statement(a, 0, 0, 3, "assert", "حساب", None, frozenset({"اعتقال", "مطار"}))
    other = _Statement(a, 1, 10, 13, "assert", "حساب", None, frozenset({"مطار", "سفر"}))
    denial = _Statement(b, 0, 0, 3, "deny", "محامي", None, frozenset({"اعتقال", "موكل"}))
    uf = _UnionFind(3)
    _attach_vague([rumour, other, denial], [False, False, True], uf, frozenset())
    assert uf.find(2) == uf.find(0) and uf.find(1) == 1  # the statement that shares "اعتقال"
    uf = _UnionFind(3)
    _attach_vague([rumour, other, denial], [False, False, True], uf, frozenset({"اعتقال"}))
    assert uf.find(2) == 2  # a word the whole story uses links nothing


def _store_with_story() -> Store:
    s = Store(":memory:")
    with s.transaction():
        arts = []
        for aid, day in (("a1", "2024-01-02"), ("a2", "2024-01-01")):
            text = "قال الوزير إن الاتفاق قريب. ونفت الوزارة ذلك."
            arts.append(Article(id=aid, path=f"{aid}.txt", raw=text, text=text, published=day, source="س"))
        s.insert_articles(arts, run_id=None)
        s.save_story(Story("S1"), run_id=None)
    return s


def _claim(cid: str, text: str, *members: tuple[str, int]) -> Claim:
    return Claim(cid, "S1", text, [ClaimMember(aid, None, "assert", "س", None, "س", start, start + 5)
                                   for aid, start in members])


def _rows(s: Store) -> list[tuple]:
    return [tuple(r) for r in s.conn.execute(
        "SELECT c.id, c.text, c.first_published, m.rowid, m.article_id, m.start FROM claims c"
        " JOIN claim_members m ON m.claim_id = c.id ORDER BY c.id, m.rowid")]


def test_store_replace_claims_rewrites_only_changed_claims() -> None:
    s = _store_with_story()
    with s.transaction():
        s.replace_claims("S1", [_claim("C1", "الاتفاق قريب", ("a1", 0), ("a2", 0)), _claim("C2", "نفي", ("a1", 20))])
    first = _rows(s)
    assert [(r[0], r[2]) for r in first] == [("C1", "2024-01-01")] * 2 + [("C2", "2024-01-02")]
    with s.transaction():  # C1 unchanged, C2 gains a member, C3 new
        s.replace_claims("S1", [_claim("C1", "الاتفاق قريب", ("a1", 0), ("a2", 0)),
                                _claim("C2", "نفي", ("a1", 20), ("a2", 20)), _claim("C3", "جديد", ("a2", 30))])
    second = _rows(s)
    assert second[:2] == first[:2]  # untouched: same rows, same rowids
    assert [(r[0], r[4], r[5]) for r in second[2:]] == [("C2", "a1", 20), ("C2", "a2", 20), ("C3", "a2", 30)]
    assert second[2][2] == "2024-01-01"  # rewritten: its date recomputed from the new member
    before = s.conn.total_changes
    with s.transaction():  # the same claims again: nothing is written
        s.replace_claims("S1", [_claim("C1", "الاتفاق قريب", ("a1", 0), ("a2", 0)),
                                _claim("C2", "نفي", ("a1", 20), ("a2", 20)), _claim("C3", "جديد", ("a2", 30))])
    assert s.conn.total_changes == before and _rows(s) == second
    with s.transaction():  # C1's text changes, C2 and C3 are gone
        s.replace_claims("S1", [_claim("C1", "الاتفاق وشيك", ("a1", 0), ("a2", 0))])
    assert [(r[0], r[1]) for r in _rows(s)] == [("C1", "الاتفاق وشيك")] * 2
    assert s.load_claims("S1")[0].members == _claim("C1", "", ("a1", 0), ("a2", 0)).members
    assert s.conn.execute("SELECT COUNT(*) FROM claim_members").fetchone()[0] == 2  # no orphans


def test_claims_overlap_score_does_not_depend_on_set_order() -> None:
    """0.1 + 0.2 + 0.3 is 0.6000000000000001 in one order and 0.6 in another: a float sum over a set of
    strings gives a score that changes with the process's hash seed, and can tip a pair across the threshold.
    The weights are integers, whose sums are exact in any order."""
    idf = _idf_weights({"ا1": 9, "ب2": 7, "ج3": 5, "د4": 1}, 10)
    assert all(isinstance(w, int) for w in idf.values())
    a = frozenset({"ا1", "ب2", "ج3"})
    wa = sum(idf[t] for t in sorted(a))
    for b in (a, a | {"د4"}, frozenset(sorted(a, reverse=True))):
        assert _overlap(a, b, idf, frozenset(), 2, wa, wa) == 1.0
        assert _overlap(a, b, idf, frozenset(), 2) == 1.0  # weights summed by the function itself
    assert _overlap(a, frozenset({"ا1", "د4"}), idf, frozenset(), 2) == 0.0  # one shared token: below min_shared
