"""Read-only queries for the dossier views (web pages, JSON API, exports).

Kept apart from :class:`khabar.store.Store` so the views can ask narrow
questions (titles only, counts, one entity) without loading whole articles.
Every function takes a :class:`Store` or a bare ``sqlite3.Connection`` and
returns plain dicts; offsets are character offsets into ``articles.text``.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from khabar.store import Store

# Stances that put a claim forward; a claim with one of these and a "deny" is contested.
_AFFIRMING = ("assert", "confirm", "allege")
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


def entity_names(db: Store | sqlite3.Connection, ids: Iterable[str]) -> dict[str, str]:
    """``{entity id: canonical name}``; unknown ids are absent."""
    out: dict[str, str] = {}
    for q, chunk in _in_chunks(i for i in ids if i):
        out.update((r[0], r[1]) for r in _conn(db).execute(f"SELECT id, canonical FROM entities WHERE id IN ({q})", chunk))
    return out


def entity(db: Store | sqlite3.Connection, entity_id: str) -> dict[str, Any] | None:
    """One entity with sorted ``variants`` and ``roles``, or None when unknown."""
    c = _conn(db)
    r = c.execute("SELECT id, canonical, type, latin FROM entities WHERE id = ?", (entity_id,)).fetchone()
    if r is None:
        return None
    e = dict(r)
    e["variants"] = [x[0] for x in c.execute("SELECT variant FROM entity_variants WHERE entity_id = ? ORDER BY variant", (entity_id,))]
    e["roles"] = [x[0] for x in c.execute("SELECT role FROM entity_roles WHERE entity_id = ? ORDER BY role", (entity_id,))]
    e["mentions"] = c.execute("SELECT COUNT(*) FROM mentions WHERE entity_id = ?", (entity_id,)).fetchone()[0]
    return e


def story_top_entities(db: Store | sqlite3.Connection, story_id: str, limit: int) -> list[dict[str, Any]]:
    """Entities most mentioned in a story: ``{entity_id, canonical, type, mentions, articles, variants}``."""
    c = _conn(db)
    rows = c.execute(
        "SELECT e.id AS entity_id, e.canonical, e.type, COUNT(*) AS mentions, COUNT(DISTINCT m.article_id) AS articles"
        " FROM mentions m JOIN articles a ON a.id = m.article_id JOIN entities e ON e.id = m.entity_id"
        " WHERE a.story_id = ? GROUP BY e.id ORDER BY mentions DESC, e.canonical LIMIT ?",
        (story_id, limit),
    )
    out = [dict(r) for r in rows]
    for e in out:
        e["variants"] = [x[0] for x in c.execute(
            "SELECT variant FROM entity_variants WHERE entity_id = ? ORDER BY variant", (e["entity_id"],))]
    return out


def entity_stories(db: Store | sqlite3.Connection, entity_id: str) -> list[dict[str, Any]]:
    """Stories mentioning an entity: ``{id, label, mentions}``, most mentions first."""
    rows = _conn(db).execute(
        "SELECT s.id, s.label, COUNT(*) AS mentions FROM mentions m JOIN articles a ON a.id = m.article_id"
        " JOIN stories s ON s.id = a.story_id WHERE m.entity_id = ? GROUP BY s.id ORDER BY mentions DESC, s.id",
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
    aff = ",".join("?" * len(_AFFIRMING))
    sql = (
        "SELECT DISTINCT c.story_id FROM claims c"
        " WHERE EXISTS (SELECT 1 FROM claim_members m WHERE m.claim_id = c.id AND m.stance = 'deny')"
        f" AND EXISTS (SELECT 1 FROM claim_members m WHERE m.claim_id = c.id AND m.stance IN ({aff}))"
    )
    if story_ids is None:
        return {r[0] for r in _conn(db).execute(sql, _AFFIRMING)}
    out: set[str] = set()
    for q, chunk in _in_chunks(story_ids):
        out.update(r[0] for r in _conn(db).execute(sql + f" AND c.story_id IN ({q})", (*_AFFIRMING, *chunk)))
    return out
