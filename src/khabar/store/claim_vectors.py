"""Reads and writes of "check a claim" (:mod:`khabar.retrieve`): claim vectors, candidate claims, members.

``claim_vectors`` (migration 0011) holds one float32 vector per claim with the
hash of the text it was made from; :func:`claim_vectors` reads them all into
one matrix, cached per store state, for brute-force cosine.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from typing import Any

import numpy as np

_VECTORS: dict[tuple[Any, ...], tuple[list[str], np.ndarray]] = {}


def _db_path(conn: sqlite3.Connection) -> str:
    return next((r[2] for r in conn.execute("PRAGMA database_list") if r[1] == "main"), "")


def claim_vectors(conn: sqlite3.Connection, dim: int) -> tuple[list[str], np.ndarray]:
    """Every stored claim vector: ``(claim ids, float32 matrix (n, dim))``, cached per store state.

    The cache key is (database file, row count, largest rowid): adding,
    replacing (new rowid) or deleting (count) a vector changes it. In-memory
    stores are read each time. At most 2 stores are cached per process.
    """
    path = _db_path(conn)
    n, top = conn.execute("SELECT COUNT(*), COALESCE(MAX(rowid), 0) FROM claim_vectors").fetchone()
    key = (path, n, top, dim)
    if path and key in _VECTORS:
        return _VECTORS[key]
    ids: list[str] = []
    blobs: list[bytes] = []
    for cid, blob in conn.execute("SELECT claim_id, vector FROM claim_vectors"):
        if len(blob) == 4 * dim:
            ids.append(cid)
            blobs.append(blob)
    mat = np.frombuffer(b"".join(blobs), dtype=np.float32).reshape(len(ids), dim) if ids else np.zeros((0, dim), np.float32)
    if path:
        for stale in [k for k in _VECTORS if k[0] == path]:
            del _VECTORS[stale]
        if len(_VECTORS) >= 2:
            _VECTORS.pop(next(iter(_VECTORS)))
        _VECTORS[key] = (ids, mat)
    return ids, mat


def save_vectors(conn: sqlite3.Connection, rows: list[tuple[str, str, bytes]]) -> None:
    conn.executemany("INSERT OR REPLACE INTO claim_vectors(claim_id, text_hash, vector) VALUES (?,?,?)", rows)


def lexical_claims(conn: sqlite3.Connection, terms: list[str], n: int) -> list[str]:
    """Claim ids of the best ``n`` statements (bm25) matching any of ``terms``, best first, distinct."""
    if not terms or n <= 0:
        return []
    match = " OR ".join('"' + t.replace('"', '""') + '"' for t in terms)
    rows = conn.execute(
        "SELECT t.claim_id FROM statements_fts JOIN search_statements k ON k.id = statements_fts.rowid"
        " JOIN attributions t ON t.article_id = k.article_id AND t.idx = k.attribution_idx"
        " WHERE statements_fts MATCH ? ORDER BY bm25(statements_fts, 2.0, 1.0, 0.5) LIMIT ?", (match, n))
    return list(dict.fromkeys(r[0] for r in rows if r[0]))


def claim_rows(conn: sqlite3.Connection, ids: list[str]) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for i in range(0, len(ids), 500):
        chunk = ids[i : i + 500]
        q = ",".join("?" * len(chunk))
        for r in conn.execute(
                f"SELECT c.id, c.story_id, c.text, c.first_published, v.text_hash, v.vector FROM claims c"
                f" LEFT JOIN claim_vectors v ON v.claim_id = c.id WHERE c.id IN ({q})", chunk):
            out[r[0]] = {"id": r[0], "story_id": r[1], "text": r[2], "first_published": r[3], "hash": r[4], "vector": r[5]}
    return out


def claim_members(conn: sqlite3.Connection, claim_id: str) -> list[dict[str, Any]]:
    """Members of one claim with their article's date and title and the evidence text (SQLite substr is 1-based)."""
    rows = conn.execute(
        'SELECT m.article_id, m.attribution_idx, m.stance, m.source, m.source_entity, m.source_group, m.outlet,'
        ' m.start, m."end", a.published, a.title, substr(a.text, m.start + 1, m."end" - m.start) AS content'
        " FROM claim_members m JOIN articles a ON a.id = m.article_id WHERE m.claim_id = ? ORDER BY m.rowid",
        (claim_id,))
    return [dict(r) for r in rows]


def claims_to_index(conn: sqlite3.Connection) -> Iterable[tuple[str, str, str | None]]:
    return conn.execute("SELECT c.id, c.text, v.text_hash FROM claims c LEFT JOIN claim_vectors v ON v.claim_id = c.id"
                        " ORDER BY c.rowid")
