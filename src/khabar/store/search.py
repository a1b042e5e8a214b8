"""Full-text search over articles and statements (SQLite FTS5, migration 0002_search).

The FTS tables hold folded text (:func:`khabar.arabic.fold`), and queries are
folded the same way, so letter variants (أ/ا, ة/ه, ى/ي, diacritics) match.
Folding does not unify a dropped long vowel (بوتن/بوتين): a query word that
names a known entity (:func:`khabar.resolve.alias_same` against the
``entity_variants`` table, the rule the resolver itself uses) is expanded to
every variant of that entity.

Hit offsets are found again in the article's folded text through
:func:`khabar.arabic.normalize`, whose map carries each folded character back
to ``articles.text``: every ``{start, end}`` returned is a half-open character
range of the cleaned text.
"""

from __future__ import annotations

import functools
import logging
import sqlite3
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from khabar.arabic import fold, normalize, strip_clitics, words
from khabar.model import Article

log = logging.getLogger(__name__)

SNIPPET_CHARS = 90  # characters of context on each side of the first hit in an article snippet
MAX_EXPANSIONS = 20  # most entity variants one query word is expanded to
_StatementRow = tuple[int, str, str]  # (attribution idx, speaker text, content text)


def _stems(folded: str) -> str:
    """Each folded word without its attached article or conjunction, space-joined."""
    return " ".join(_stem(folded[s:e]) for s, e in words(folded))


@functools.lru_cache(maxsize=1 << 17)
def _stem(word: str) -> str:
    """:func:`khabar.arabic.strip_clitics` cached by word form: indexing sees the same words again and again."""
    return strip_clitics(word)


def _index_one(conn: sqlite3.Connection, article_id: str, title: str, text: str,
               statements: Iterable[_StatementRow]) -> None:
    _unindex(conn, article_id)
    body = fold(text)
    head = fold(title)
    cur = conn.execute("INSERT INTO search_articles(article_id) VALUES (?)", (article_id,))
    conn.execute("INSERT INTO articles_fts(rowid, title, body, stems) VALUES (?,?,?,?)",
                 (cur.lastrowid, head, body, _stems(head + "\n" + body)))
    for idx, speaker, content in statements:
        cur = conn.execute("INSERT INTO search_statements(article_id, attribution_idx) VALUES (?,?)", (article_id, idx))
        sp, ct = fold(speaker), fold(content)
        conn.execute("INSERT INTO statements_fts(rowid, speaker, content, stems) VALUES (?,?,?,?)",
                     (cur.lastrowid, sp, ct, _stems(sp + "\n" + ct)))


def _unindex(conn: sqlite3.Connection, article_id: str) -> None:
    for key, fts in (("search_articles", "articles_fts"), ("search_statements", "statements_fts")):
        conn.execute(f"DELETE FROM {fts} WHERE rowid IN (SELECT id FROM {key} WHERE article_id = ?)", (article_id,))
        conn.execute(f"DELETE FROM {key} WHERE article_id = ?", (article_id,))


def index_articles(conn: sqlite3.Connection, articles: Iterable[Article]) -> int:
    """Index (or re-index) analysed articles and their attributions; returns how many articles.

    Runs inside the caller's transaction (the pipeline calls it in the batch
    transaction, after ``Store.insert_articles``); it never commits.
    """
    n = 0
    for a in articles:
        rows = [(i, a.span_text(at.speaker), a.span_text(at.content)) for i, at in enumerate(a.attributions)]
        _index_one(conn, a.id, a.title, a.text, rows)
        n += 1
    return n


def index_pending(conn: sqlite3.Connection, *, batch: int = 200) -> int:
    """Index every stored article that is not in the search index yet; returns how many.

    For databases written before migration 0002 or by a run that did not index.
    Commits every ``batch`` articles when no transaction is open.
    """
    total = 0
    while True:
        ids = [r[0] for r in conn.execute(
            "SELECT id FROM articles WHERE id NOT IN (SELECT article_id FROM search_articles) ORDER BY seq LIMIT ?",
            (batch,))]
        if not ids:
            return total
        own = not conn.in_transaction
        if own:
            conn.execute("BEGIN IMMEDIATE")
        try:
            for aid in ids:
                art = conn.execute("SELECT title, text FROM articles WHERE id = ?", (aid,)).fetchone()
                text = art[1]
                rows = [(r[0], text[r[1]:r[2]] if r[1] is not None else "", text[r[3]:r[4]]) for r in conn.execute(
                    "SELECT idx, speaker_start, speaker_end, content_start, content_end FROM attributions"
                    " WHERE article_id = ? ORDER BY idx", (aid,))]
                _index_one(conn, aid, art[0], text, rows)
        except BaseException:
            if own:
                conn.execute("ROLLBACK")
            raise
        if own:
            conn.execute("COMMIT")
        total += len(ids)
        log.info("search index: %d articles added", total)


# ---- queries ------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class QueryGroup:
    """One part of a query: any of ``alternatives`` (each a tuple of folded words, a phrase) must match."""

    alternatives: tuple[tuple[str, ...], ...]
    entity_ids: tuple[str, ...] = ()


class _VariantIndex:
    """Every entity variant, folded, with the lookups :func:`parse_query` needs.

    Built once per store content (see :func:`_variant_index`), not per query:
    exact runs are a dict lookup, and the fuzzy rule (``alias_same``) runs only
    on variants that share a retrieval key (:func:`khabar.resolve.alias_keys`)
    with the query run, so a query costs O(query), not O(entities).
    """

    def __init__(self, rows: Iterable[tuple[str, str, str]]) -> None:
        from khabar.resolve import alias_keys  # late: resolve pulls in the entity model code

        self.rows: list[tuple[str, str, str, tuple[str, ...], tuple[str, ...]]] = []
        self.exact: dict[tuple[str, ...], set[str]] = {}
        self.by_key: dict[int, list[int]] = {}
        self.by_entity: dict[str, list[int]] = {}
        for eid, typ, variant in rows:
            f = fold(variant)
            folded = tuple(f[s:e] for s, e in words(f))
            if not folded:
                continue
            key = tuple(strip_clitics(w) for w in folded)
            i = len(self.rows)
            self.rows.append((eid, typ, " ".join(key), folded, key))
            self.exact.setdefault(key, set()).add(eid)
            self.by_entity.setdefault(eid, []).append(i)
            for k in alias_keys(" ".join(key), query=False, person=typ == "PER"):
                self.by_key.setdefault(k, []).append(i)

    def match(self, run: tuple[str, ...]) -> set[str]:
        """Entities one of whose variants is ``run`` (folded, clitic-stripped words) or an alias of it."""
        from khabar.resolve import alias_keys, alias_same

        if run in self.exact:
            return set(self.exact[run])
        phrase, n = " ".join(run), len(run)
        cands = {i for k in alias_keys(phrase, query=True, person=False) for i in self.by_key.get(k, ())}
        return {self.rows[i][0] for i in sorted(cands)
                if abs(len(self.rows[i][4]) - n) <= 2 and alias_same(phrase, self.rows[i][2], self.rows[i][1])}

    def spellings(self, eid: str) -> Iterable[tuple[tuple[str, ...], tuple[str, ...]]]:
        """``(folded words, clitic-stripped words)`` of each variant of ``eid``, in stored order."""
        return ((self.rows[i][3], self.rows[i][4]) for i in self.by_entity.get(eid, ()))


_INDEXES: dict[tuple[Any, ...], _VariantIndex] = {}


def _variant_index(conn: sqlite3.Connection) -> _VariantIndex:
    """The variant index of this store's current entities, cached on what the store holds.

    Variants are only ever added, so (database file, variant count, last
    variant rowid, entity count) changes whenever the index would; a type
    change alone (which only affects fuzzy matches) shows at the next new variant.
    """
    path = next((r[2] for r in conn.execute("PRAGMA database_list") if r[1] == "main"), "")
    mark = conn.execute("SELECT COUNT(*), COALESCE(MAX(rowid), 0) FROM entity_variants").fetchone()
    n_entities = conn.execute("SELECT COUNT(*) FROM entities").fetchone()[0]
    key = (path, *mark, n_entities)
    index = _INDEXES.get(key) if path else None  # in-memory stores: no lasting name to key on
    if index is None:
        index = _VariantIndex(conn.execute(
            "SELECT v.entity_id, e.type, v.variant FROM entity_variants v JOIN entities e ON e.id = v.entity_id"
            " ORDER BY v.rowid"))
        if path:
            if len(_INDEXES) >= 4:  # a few stores at most in one process
                _INDEXES.pop(next(iter(_INDEXES)))
            _INDEXES[key] = index
    return index


def warm_variant_index(conn: sqlite3.Connection) -> None:
    """Build (and cache) the variant index of the store behind ``conn`` now, before the first search."""
    _variant_index(conn)


def parse_query(conn: sqlite3.Connection, query: str) -> list[QueryGroup]:
    """Fold ``query`` into word groups, expanding names of known entities to all their variants.

    A run of query words matches an entity when its words equal a variant's words
    (after folding and clitic stripping) or when :func:`khabar.resolve.alias_same`
    says they may name it (بوتن ~ فلاديمير بوتين). Longest runs are tried first.
    """
    f = fold(query)
    qwords = [f[s:e] for s, e in words(f)]
    keys = [strip_clitics(w) for w in qwords]
    variants = _variant_index(conn) if qwords else None
    groups: list[QueryGroup] = []
    i = 0
    while i < len(qwords):
        matched: list[str] = []
        span = 1
        for n in range(min(4, len(qwords) - i), 0, -1):
            hits = variants.match(tuple(keys[i : i + n])) if variants else set()
            if hits:
                matched, span = sorted(hits), n
                break
        alts: dict[tuple[str, ...], None] = {tuple(qwords[i : i + span]): None, tuple(keys[i : i + span]): None}
        for eid in matched:
            for folded, key in variants.spellings(eid) if variants else ():
                if len(alts) >= MAX_EXPANSIONS:
                    break
                alts[folded] = None
                alts[key] = None
        groups.append(QueryGroup(tuple(alts), tuple(matched)))
        i += span
    return groups


def _fts_query(groups: list[QueryGroup]) -> str:
    """The FTS5 MATCH expression: groups AND-ed, alternatives OR-ed, each a quoted phrase."""
    def phrase(ws: tuple[str, ...]) -> str:
        return '"' + " ".join(w.replace('"', '""') for w in ws) + '"'

    return " AND ".join("(" + " OR ".join(phrase(a) for a in g.alternatives) + ")" for g in groups)


def _hits(text: str, groups: list[QueryGroup], base: int = 0) -> list[tuple[int, int]]:
    """Ranges of ``text`` (shifted by ``base``) where any alternative of any group occurs, by word."""
    norm = normalize(text)
    ws = words(norm.text)
    toks = [norm.text[s:e] for s, e in ws]
    stems = [strip_clitics(t) for t in toks]
    # Positions by word (as written and as stem): an alternative is checked only where its
    # first word occurs. A name with dozens of spellings scanned every position of a long
    # article once per spelling (250 ms of CPU per search for a frequent name at 30k articles).
    starts: dict[str, list[int]] = defaultdict(list)
    for i, (tok, stem) in enumerate(zip(toks, stems)):
        starts[tok].append(i)
        if stem != tok:
            starts[stem].append(i)
    found: set[tuple[int, int]] = set()
    for g in groups:
        for alt in g.alternatives:
            n = len(alt)
            for i in starts.get(alt[0], ()):
                if i + n <= len(toks) and all(alt[k] in (toks[i + k], stems[i + k]) for k in range(1, n)):
                    s, e = norm.orig_span(ws[i][0], ws[i + n - 1][1])
                    found.add((s + base, e + base))
    return sorted(found)


def _snippet_hits(text: str, groups: list[QueryGroup], prefix: int = 4000) -> list[tuple[int, int]]:
    """:func:`_hits` of an article as far as its snippet needs them: the first hit and those after it.

    Normalising a whole long article for every result cost most of a search; the
    snippet is the window around the first hit, so when that hit lies early, the
    text's first ``prefix`` characters hold every hit the snippet can show (hits
    within ``SNIPPET_CHARS`` plus a word of it). Otherwise the whole text is read.
    """
    if len(text) > prefix:
        hits = _hits(text[:prefix], groups)
        if hits and hits[0][1] + SNIPPET_CHARS + 200 <= prefix:
            return hits
    return _hits(text, groups)


def _window(text: str, hit: tuple[int, int] | None, width: int) -> tuple[int, int]:
    """A snippet range around ``hit``, widened to whitespace."""
    if hit is None:
        return 0, min(len(text), 2 * width)
    s, e = max(0, hit[0] - width), min(len(text), hit[1] + width)
    while s > 0 and not text[s - 1].isspace():
        s -= 1
    while e < len(text) and not text[e].isspace():
        e += 1
    return s, e


def search(conn: sqlite3.Connection, query: str, limit: int = 20) -> list[dict[str, Any]]:
    """Articles and statements matching every word of ``query``, best first (bm25).

    The query is folded and expanded by :func:`parse_query`; see :func:`search_groups`.
    """
    return search_groups(conn, parse_query(conn, query), limit)


def search_groups(conn: sqlite3.Connection, groups: list[QueryGroup], limit: int = 20) -> list[dict[str, Any]]:
    """Articles and statements matching every group of a parsed query, best first (bm25).

    Returns at most ``limit`` articles and ``limit`` statements, as dicts::

        {kind: "article" | "statement", article_id, attribution_index (None for articles),
         title, source, published, story_id, stance, speaker, rank,
         snippet: {text, start, end}, hits: [{start, end}, ...]}

    ``snippet`` and ``hits`` are half-open ranges of the article's cleaned text; a
    statement's snippet is its content span. An empty query returns [].

    Raises:
        ValueError: ``limit`` is not in [1, 1000].
    """
    if not 1 <= limit <= 1000:
        raise ValueError(f"limit must be in [1, 1000], got {limit}")
    if not groups:
        return []
    match = _fts_query(groups)
    out: list[dict[str, Any]] = []
    rows = conn.execute(
        "SELECT k.article_id, bm25(articles_fts, 4.0, 1.0, 0.5) AS rank, a.title, a.source, a.published, a.story_id,"
        " a.text FROM articles_fts JOIN search_articles k ON k.id = articles_fts.rowid"
        " JOIN articles a ON a.id = k.article_id WHERE articles_fts MATCH ? ORDER BY rank LIMIT ?",
        (match, limit),
    )
    for r in rows:
        text = r["text"]
        hits = _snippet_hits(text, groups)
        s, e = _window(text, hits[0] if hits else None, SNIPPET_CHARS)
        out.append(_result("article", r, None, None, None, text, s, e, [h for h in hits if s <= h[0] and h[1] <= e]))
    rows = conn.execute(
        "SELECT k.article_id, k.attribution_idx, bm25(statements_fts, 2.0, 1.0, 0.5) AS rank, a.title, a.source,"
        " a.published, a.story_id, a.text, t.stance, t.speaker_start, t.speaker_end, t.content_start, t.content_end"
        " FROM statements_fts JOIN search_statements k ON k.id = statements_fts.rowid"
        " JOIN articles a ON a.id = k.article_id"
        " JOIN attributions t ON t.article_id = k.article_id AND t.idx = k.attribution_idx"
        " WHERE statements_fts MATCH ? ORDER BY rank LIMIT ?",
        (match, limit),
    )
    for r in rows:
        text = r["text"]
        s, e = r["content_start"], r["content_end"]
        speaker = text[r["speaker_start"]:r["speaker_end"]] if r["speaker_start"] is not None else ""
        hits = _hits(text[s:e], groups, base=s)
        out.append(_result("statement", r, r["attribution_idx"], r["stance"], speaker, text, s, e, hits))
    out.sort(key=lambda x: x["rank"])
    return out


def _result(kind: str, r: sqlite3.Row, idx: int | None, stance: str | None, speaker: str | None,
            text: str, s: int, e: int, hits: list[tuple[int, int]]) -> dict[str, Any]:
    return {
        "kind": kind, "article_id": r["article_id"], "attribution_index": idx, "title": r["title"],
        "source": r["source"], "published": r["published"], "story_id": r["story_id"], "stance": stance,
        "speaker": speaker, "rank": float(r["rank"]),
        "snippet": {"text": text[s:e], "start": s, "end": e},
        "hits": [{"start": a, "end": b} for a, b in hits],
    }
