"""Read-only queries for the dossier views (web pages, JSON API, exports).

Kept apart from :class:`khabar.store.Store` so the views can ask narrow
questions (titles only, counts, one entity) without loading whole articles.
Every function takes a :class:`Store` or a bare ``sqlite3.Connection`` and
returns plain dicts; offsets are character offsets into ``articles.text``.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from khabar.store import Store

# Stances that put a claim forward; a claim with one of these and a "deny" is contested.
AFFIRMING = ("assert", "confirm", "allege")
_CHUNK = 500  # SQLite host-parameter batches


def _conn(db: Store | sqlite3.Connection) -> sqlite3.Connection:
    return db if isinstance(db, sqlite3.Connection) else db.conn


def _in_chunks(ids: Iterable[str]) -> Iterable[tuple[str, list[str]]]:
    ids = list(dict.fromkeys(ids))
    for i in range(0, len(ids), _CHUNK):
        chunk = ids[i : i + _CHUNK]
        yield ",".join("?" * len(chunk)), chunk


def all_story_ids(db: Store | sqlite3.Connection) -> list[str]:
    """Every story id, oldest first (by first publication date, then id)."""
    rows = _conn(db).execute("SELECT id FROM stories ORDER BY first_published, id")
    return [r[0] for r in rows]


def story_count(db: Store | sqlite3.Connection) -> int:
    """Number of stories that hold at least one article."""
    return _conn(db).execute("SELECT COUNT(DISTINCT story_id) FROM articles WHERE story_id IS NOT NULL").fetchone()[0]


def story_articles(db: Store | sqlite3.Connection, story_id: str) -> list[dict[str, Any]]:
    """Article headers of a story (no text), by publication date then arrival order."""
    rows = _conn(db).execute(
        "SELECT id, path, title, source, url, published, duplicate_of, duplicate_relation FROM articles"
        " WHERE story_id = ? ORDER BY published, seq",
        (story_id,),
    )
    return [dict(r) for r in rows]


def article_headers(db: Store | sqlite3.Connection, ids: Iterable[str]) -> dict[str, dict[str, Any]]:
    """``{id: {id, title, source, published, story_id}}`` for the given article ids."""
    out: dict[str, dict[str, Any]] = {}
    for q, chunk in _in_chunks(ids):
        for r in _conn(db).execute(
            f"SELECT id, title, source, published, story_id FROM articles WHERE id IN ({q})", chunk
        ):
            out[r["id"]] = dict(r)
    return out


def article_texts(db: Store | sqlite3.Connection, ids: Iterable[str]) -> dict[str, str]:
    """``{id: cleaned text}`` for the given article ids."""
    out: dict[str, str] = {}
    for q, chunk in _in_chunks(ids):
        out.update((r[0], r[1]) for r in _conn(db).execute(f"SELECT id, text FROM articles WHERE id IN ({q})", chunk))
    return out


def sentence_spans(db: Store | sqlite3.Connection, ids: Iterable[str]) -> dict[str, list[tuple[int, int]]]:
    """``{article id: [(start, end), ...]}`` of the "sentences" layer, sorted by start."""
    out: dict[str, list[tuple[int, int]]] = {}
    for q, chunk in _in_chunks(ids):
        for r in _conn(db).execute(
            f'SELECT article_id, start, "end" FROM spans WHERE layer = \'sentences\' AND article_id IN ({q})'
            " ORDER BY article_id, start",
            chunk,
        ):
            out.setdefault(r[0], []).append((r[1], r[2]))
    return out


def mention_spans(db: Store | sqlite3.Connection, ids: Iterable[str]) -> dict[str, list[tuple[int, int, str, str | None]]]:
    """``{article id: [(start, end, type, entity id), ...]}`` of the entity mentions, sorted by start."""
    out: dict[str, list[tuple[int, int, str, str | None]]] = {}
    for q, chunk in _in_chunks(ids):
        for r in _conn(db).execute(
            f'SELECT article_id, start, "end", type, entity_id FROM mentions WHERE article_id IN ({q}) ORDER BY article_id, start',
            chunk,
        ):
            out.setdefault(r[0], []).append((r[1], r[2], r[3], r[4]))
    return out


def entity_names(db: Store | sqlite3.Connection, ids: Iterable[str]) -> dict[str, str]:
    """``{entity id: canonical name}``; unknown ids are absent."""
    out: dict[str, str] = {}
    for q, chunk in _in_chunks(i for i in ids if i):
        out.update((r[0], r[1]) for r in _conn(db).execute(f"SELECT id, canonical FROM entities WHERE id IN ({q})", chunk))
    return out


def entity(db: Store | sqlite3.Connection, entity_id: str) -> dict[str, Any] | None:
    """One entity with sorted ``variants`` and ``roles``, or None when unknown.

    ``wikidata`` is the id the user's alias file gave it, else None.
    """
    c = _conn(db)
    r = c.execute("SELECT id, canonical, type, latin, wikidata FROM entities WHERE id = ?", (entity_id,)).fetchone()
    if r is None:
        return None
    e = dict(r)
    e["variants"] = [x[0] for x in c.execute("SELECT variant FROM entity_variants WHERE entity_id = ? ORDER BY variant", (entity_id,))]
    e["roles"] = [x[0] for x in c.execute("SELECT role FROM entity_roles WHERE entity_id = ? ORDER BY role", (entity_id,))]
    e["mentions"] = c.execute("SELECT COUNT(*) FROM mentions WHERE entity_id = ?", (entity_id,)).fetchone()[0]
    return e


def story_top_entities(db: Store | sqlite3.Connection, story_id: str, limit: int) -> list[dict[str, Any]]:
    """Entities most mentioned in a story: ``{entity_id, canonical, type, mentions, articles, variants, roles}``."""
    c = _conn(db)
    rows = c.execute(
        "SELECT e.id AS entity_id, e.canonical, e.type, COUNT(*) AS mentions, COUNT(DISTINCT m.article_id) AS articles"
        " FROM mentions m JOIN articles a ON a.id = m.article_id JOIN entities e ON e.id = m.entity_id"
        " WHERE a.story_id = ? GROUP BY e.id ORDER BY mentions DESC, e.canonical, e.id LIMIT ?",
        (story_id, limit),
    )
    out = [dict(r) for r in rows]
    for e in out:
        e["variants"] = [x[0] for x in c.execute(
            "SELECT variant FROM entity_variants WHERE entity_id = ? ORDER BY variant", (e["entity_id"],))]
        e["roles"] = [x[0] for x in c.execute(
            "SELECT role FROM entity_roles WHERE entity_id = ? ORDER BY role LIMIT 5", (e["entity_id"],))]
    return out


def entity_stories(db: Store | sqlite3.Connection, entity_id: str) -> list[dict[str, Any]]:
    """Stories mentioning an entity: ``{id, label, mentions}``, most mentions first."""
    rows = _conn(db).execute(
        "WITH n AS (SELECT a.story_id, COUNT(*) AS mentions FROM mentions m JOIN articles a ON a.id = m.article_id"
        " WHERE m.entity_id = ? AND a.story_id IS NOT NULL GROUP BY a.story_id)"
        " SELECT s.id, s.label, n.mentions FROM n JOIN stories s ON s.id = n.story_id ORDER BY n.mentions DESC, s.id",
        (entity_id,),
    )
    return [dict(r) for r in rows]


def entity_statements(db: Store | sqlite3.Connection, entity_id: str) -> list[dict[str, Any]]:
    """Attributions whose speaker resolved to ``entity_id``, with the content text.

    Returns dicts ``{article_id, attribution_index, title, outlet, published, story_id,
    kind, stance, claim_id, claim_text, content: {text, start, end}}``, oldest first.
    """
    rows = _conn(db).execute(
        "SELECT t.article_id, t.idx, t.kind, t.stance, t.claim_id, t.content_start, t.content_end,"
        " a.title, a.source, a.published, a.story_id, a.text, c.text AS claim_text"
        " FROM attributions t JOIN articles a ON a.id = t.article_id LEFT JOIN claims c ON c.id = t.claim_id"
        " WHERE t.speaker_entity = ? ORDER BY a.published, a.seq, t.idx",
        (entity_id,),
    )
    return [
        {
            "article_id": r["article_id"], "attribution_index": r["idx"], "title": r["title"], "outlet": r["source"],
            "published": r["published"], "story_id": r["story_id"], "kind": r["kind"], "stance": r["stance"],
            "claim_id": r["claim_id"], "claim_text": r["claim_text"],
            "content": {"text": r["text"][r["content_start"] : r["content_end"]],
                        "start": r["content_start"], "end": r["content_end"]},
        }
        for r in rows
    ]


def contested_story_ids(db: Store | sqlite3.Connection, story_ids: Iterable[str] | None = None) -> set[str]:
    """Stories with a claim that one member denies and another asserts, confirms or alleges."""
    aff = ",".join("?" * len(AFFIRMING))
    sql = (
        "SELECT DISTINCT c.story_id FROM claims c"
        " WHERE EXISTS (SELECT 1 FROM claim_members m WHERE m.claim_id = c.id AND m.stance = 'deny')"
        f" AND EXISTS (SELECT 1 FROM claim_members m WHERE m.claim_id = c.id AND m.stance IN ({aff}))"
    )
    if story_ids is None:
        return {r[0] for r in _conn(db).execute(sql, AFFIRMING)}
    out: set[str] = set()
    for q, chunk in _in_chunks(story_ids):
        out.update(r[0] for r in _conn(db).execute(sql + f" AND c.story_id IN ({q})", (*AFFIRMING, *chunk)))
    return out


# ---- story list -----------------------------------------------------------------
STORY_SORTS: tuple[str, ...] = ("size", "recent")
_ORDER = {
    "size": "s.n_articles DESC, s.last_published DESC, s.id",
    "recent": "s.last_published DESC, s.n_articles DESC, s.id",
}


def story_rows(db: Store | sqlite3.Connection, *, since: str | None = None, until: str | None = None,
               outlet: str | None = None, entity_id: str | None = None, sort: str = "size",
               limit: int = 50, offset: int = 0) -> tuple[list[dict[str, Any]], int]:
    """One page of the story list and the number of stories matching the filters.

    Args:
        since: ``YYYY-MM-DD``; keep stories whose last article is on or after this day.
        until: ``YYYY-MM-DD``; keep stories whose first article is on or before this day.
            Undated stories are dropped by either date filter.
        outlet: keep stories with an article from this outlet (exact ``articles.source``).
        entity_id: keep stories with a mention of this entity.
        sort: ``size`` (most articles first) or ``recent`` (latest article first).
        limit: rows per page; offset: rows skipped.

    Returns:
        ``(rows, total)``; rows carry ``id, label, summary, first_published, last_published,
        n_articles, n_outlets, n_claims``.

    Raises:
        ValueError: unknown ``sort``.
    """
    if sort not in _ORDER:
        raise ValueError(f"sort must be one of {', '.join(STORY_SORTS)}, got {sort!r}")
    where, args = [], []
    if since:
        where.append("substr(s.last_published, 1, 10) >= ? AND s.last_published != ''")
        args.append(since)
    if until:
        where.append("substr(s.first_published, 1, 10) <= ? AND s.first_published != ''")
        args.append(until)
    if outlet:  # one index range (articles_source_story), not a probe per story
        where.append("s.id IN (SELECT x.story_id FROM articles x WHERE x.source = ?)")
        args.append(outlet)
    if entity_id:  # the entity's mentions once (mentions_entity, articles_id_story), for page and total
        ids = [r[0] for r in _conn(db).execute(
            "SELECT DISTINCT x.story_id FROM mentions m JOIN articles x ON x.id = m.article_id"
            " WHERE m.entity_id = ? AND x.story_id IS NOT NULL", (entity_id,))]
        where.append("s.id IN (SELECT value FROM json_each(?))")
        args.append(json.dumps(ids))
    cond = (" AND " + " AND ".join(where)) if where else ""
    # The counts live on the story row (triggers of migration 0008): the page is read in the
    # order of an index (stories_by_size / stories_by_recent) and stops at its LIMIT; the
    # total is a count over the same index. No aggregation of articles per request.
    c = _conn(db)
    rows = [dict(r) for r in c.execute(
        "SELECT s.id, s.label, s.summary, s.first_published, s.last_published, s.n_articles, s.n_outlets,"
        f" s.n_claims FROM stories s WHERE s.n_articles > 0{cond} ORDER BY {_ORDER[sort]} LIMIT ? OFFSET ?",
        (*args, limit, offset))]
    total = c.execute(f"SELECT COUNT(*) FROM stories s WHERE s.n_articles > 0{cond}", args).fetchone()[0]
    return rows, total


def outlets(db: Store | sqlite3.Connection, limit: int = 200) -> list[dict[str, Any]]:
    """Outlets with their article counts, most articles first: ``{source, n_articles}``."""
    rows = _conn(db).execute(
        "SELECT source, COUNT(*) AS n_articles FROM articles WHERE source != '' GROUP BY source"
        " ORDER BY n_articles DESC, source LIMIT ?", (limit,))
    return [dict(r) for r in rows]


def frequent_entities(db: Store | sqlite3.Connection, limit: int = 100) -> list[dict[str, Any]]:
    """Entities in the most stories: ``{entity_id, canonical, type, n_stories}``.

    Reads only the covering indexes mentions(entity_id, article_id) and articles(id, story_id)
    (0006); still a pass over every mention, so the web app caches it (:mod:`khabar.web.cache`).
    """
    rows = _conn(db).execute(
        "WITH n AS (SELECT m.entity_id, COUNT(DISTINCT a.story_id) AS n_stories"
        " FROM mentions m JOIN articles a ON a.id = m.article_id"
        " WHERE a.story_id IS NOT NULL AND m.entity_id IS NOT NULL GROUP BY m.entity_id)"
        " SELECT e.id AS entity_id, e.canonical, e.type, n.n_stories FROM n JOIN entities e ON e.id = n.entity_id"
        " ORDER BY n.n_stories DESC, e.canonical LIMIT ?", (limit,))
    return [dict(r) for r in rows]


def stories_top_entities(db: Store | sqlite3.Connection, story_ids: Iterable[str],
                         limit: int) -> dict[str, list[dict[str, Any]]]:
    """:func:`story_top_entities` of many stories in one query, without ``variants``, ``roles`` and ``articles``.

    Mentions are counted per (story, entity) from the covering indexes first and joined to
    the entities only then: the list's biggest stories hold most mentions of the store.

    Returns ``{story id: [{entity_id, canonical, type, mentions}, ...]}``, each list ordered
    as :func:`story_top_entities` orders it; stories without entities are absent.
    """
    out: dict[str, list[dict[str, Any]]] = {}
    for q, chunk in _in_chunks(story_ids):
        rows = _conn(db).execute(
            "WITH g AS (SELECT a.story_id, m.entity_id, COUNT(*) AS mentions FROM articles a"
            " JOIN mentions m ON m.article_id = a.id"
            f" WHERE a.story_id IN ({q}) AND m.entity_id IS NOT NULL GROUP BY a.story_id, m.entity_id),"
            " r AS (SELECT g.story_id, e.id AS entity_id, e.canonical, e.type, g.mentions, ROW_NUMBER() OVER"
            " (PARTITION BY g.story_id ORDER BY g.mentions DESC, e.canonical, e.id) AS rank"
            " FROM g JOIN entities e ON e.id = g.entity_id)"
            " SELECT story_id, entity_id, canonical, type, mentions FROM r WHERE rank <= ? ORDER BY story_id, rank",
            (*chunk, limit))
        for r in rows:
            d = dict(r)
            out.setdefault(d.pop("story_id"), []).append(d)
    return out


def removed_counts(db: Store | sqlite3.Connection, ids: Iterable[str]) -> dict[str, int]:
    """``{article id: number of removed boilerplate blocks}`` (absent: none)."""
    out: dict[str, int] = {}
    for q, chunk in _in_chunks(ids):
        out.update((r[0], r[1]) for r in _conn(db).execute(
            f"SELECT article_id, COUNT(*) FROM removed_blocks WHERE article_id IN ({q}) GROUP BY article_id", chunk))
    return out


def entity_claim_members(db: Store | sqlite3.Connection, entity_id: str) -> list[dict[str, Any]]:
    """Every member of every claim in which ``entity_id`` is a source, with the claim's text and story.

    Returns ``{claim_id, claim_text, story_id, article_id, stance, source, source_entity, outlet, start, end}``.
    """
    rows = _conn(db).execute(
        'SELECT m.claim_id, c.text AS claim_text, c.story_id, m.article_id, m.stance, m.source, m.source_entity,'
        ' m.outlet, m.start, m."end" FROM claim_members m JOIN claims c ON c.id = m.claim_id'
        " WHERE m.claim_id IN (SELECT claim_id FROM claim_members WHERE source_entity = ?)"
        " ORDER BY c.first_published, m.claim_id, m.rowid",
        (entity_id,),
    )
    return [dict(r) for r in rows]


def live_story_ids(db: Store | sqlite3.Connection) -> list[str]:
    """Ids of the stories that hold at least one article (merged-away stories hold none), sorted."""
    rows = _conn(db).execute("SELECT DISTINCT story_id FROM articles WHERE story_id IS NOT NULL ORDER BY story_id")
    return [r[0] for r in rows]


def published_days(db: Store | sqlite3.Connection) -> list[str]:
    """Distinct ``YYYY-MM-DD`` days on which stored articles were published, oldest first."""
    rows = _conn(db).execute("SELECT DISTINCT substr(published, 1, 10) FROM articles WHERE published != '' ORDER BY 1")
    return [r[0] for r in rows if r[0]]


def data_version(db: Store | sqlite3.Connection) -> int:
    """SQLite's change counter of this connection: it moves when another connection commits.

    Comparable only between calls on the same connection (``PRAGMA data_version``).
    """
    return int(_conn(db).execute("PRAGMA data_version").fetchone()[0])
