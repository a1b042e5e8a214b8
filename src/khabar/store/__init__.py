"""The SQLite store: the only place in khabar that speaks SQL.

Writes (:meth:`Store.save_articles`, :meth:`Store.save_story_results`) run in
one transaction per batch, so an interrupted run leaves either the whole batch
or none of it. Reads return plain dicts and model objects for the CLI, web UI
and exports, which are thin views over the same data.
"""

from __future__ import annotations

import fcntl
import json
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from khabar.errors import StoreError
from khabar.model import (
    Article,
    Attribution,
    Claim,
    ClaimMember,
    Entity,
    OffsetMap,
    RemovedBlock,
    Span,
    Story,
)
from khabar.store.db import connect
from khabar.store.state import EmbeddingCache, decode_state, encode_state

_SPAN_LAYERS_SKIPPED = {"entities"}  # stored in `mentions` instead
_LOAD_CHUNK = 500  # article ids per IN (...) query of load_articles


class Store:
    """A khabar database. ``Store(":memory:")`` for tests."""

    def __init__(self, path: str | Path = "khabar.db", *, busy_timeout_ms: int = 30000) -> None:
        self.path = str(path)
        self.conn = connect(path, busy_timeout_ms=busy_timeout_ms)
        self.embeddings = EmbeddingCache(self.conn)

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """``BEGIN IMMEDIATE`` ... ``COMMIT``; rolls back on any exception."""
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.conn
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    @contextmanager
    def writer_lock(self) -> Iterator[None]:
        """One analysis per database at a time, for the whole run.

        An exclusive ``flock`` on ``DB.lock``: the OS drops it when the process
        dies (SIGKILL included), so a crash never leaves a stale lock.

        Raises:
            StoreError: another process holds the lock.
        """
        if self.path == ":memory:":
            yield
            return
        with open(self.path + ".lock", "a+") as fh:
            try:
                fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise StoreError("another khabar analyze is writing to this database", source=self.path,
                                 hint="wait for it to finish, or use another --db") from None
            yield

    # ---- runs and problems -------------------------------------------------
    def start_run(self, *, embed: bool | None = None) -> int:
        """Record a new run; ``embed`` says whether it embeds leads (replay of its articles needs it)."""
        cur = self.conn.execute("INSERT INTO runs(started_at, embed) VALUES (datetime('now'), ?)",
                                (None if embed is None else int(embed),))
        return int(cur.lastrowid)

    def finish_run(self, run_id: int, *, analysed: int, skipped: int, duplicates: int, unchanged: int) -> None:
        self.conn.execute(
            "UPDATE runs SET finished_at = datetime('now'), analysed = ?, skipped = ?, duplicates = ?, unchanged = ? WHERE id = ?",
            (analysed, skipped, duplicates, unchanged, run_id),
        )

    def record_problem(self, run_id: int | None, path: str, reason: str) -> None:
        self.conn.execute("INSERT INTO problems(run_id, path, reason) VALUES (?, ?, ?)", (run_id, path, reason))

    def problems(self, run_id: int | None = None) -> list[dict[str, Any]]:
        sql = "SELECT run_id, path, reason FROM problems"
        rows = self.conn.execute(sql + (" WHERE run_id = ?" if run_id else "") + " ORDER BY id", (run_id,) if run_id else ())
        return [dict(r) for r in rows]

    # ---- articles ----------------------------------------------------------
    def known_ids(self, ids: Iterable[str]) -> set[str]:
        ids = list(ids)
        found: set[str] = set()
        for i in range(0, len(ids), 500):
            chunk = ids[i : i + 500]
            q = ",".join("?" * len(chunk))
            found.update(r[0] for r in self.conn.execute(f"SELECT id FROM articles WHERE id IN ({q})", chunk))
        return found

    def article_count(self) -> int:
        return self.conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0]

    def max_seq(self) -> int:
        """The arrival number of the last stored article (0 when none)."""
        return self.conn.execute("SELECT COALESCE(MAX(seq), 0) FROM articles").fetchone()[0]

    def articles_after(self, seq: int) -> list[tuple[str, int, bool]]:
        """``(article id, seq, its run embedded leads)`` of every article stored after ``seq``, in arrival order.

        What a checkpointed corpus state does not cover yet (see :meth:`save_state`).
        """
        rows = self.conn.execute(
            "SELECT a.id, a.seq, COALESCE(r.embed, 0) FROM articles a LEFT JOIN runs r ON r.id = a.run_id"
            " WHERE a.seq > ? ORDER BY a.seq", (seq,))
        return [(r[0], int(r[1]), bool(r[2])) for r in rows]

    def insert_articles(self, articles: list[Article], *, run_id: int | None) -> None:
        """Write analysed articles with all their layers, ``seq`` in list order. Call inside :meth:`transaction`."""
        c = self.conn
        seq = self.max_seq()
        for a in articles:
            seq += 1
            offsets = a.offsets or OffsetMap.identity(len(a.text))
            c.execute(
                "INSERT INTO articles(id, seq, path, source, url, published, title, author, language, encoding, raw, text,"
                " offsets, story_id, duplicate_of, run_id) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (a.id, seq, a.path, a.source, a.url, a.published, a.title, a.author, a.language, a.encoding, a.raw,
                 a.text, json.dumps(offsets.to_json()), a.story_id, a.duplicate_of, run_id),
            )
            c.executemany(
                "INSERT INTO removed_blocks(article_id, raw_start, raw_end, rule) VALUES (?,?,?,?)",
                [(a.id, b.raw_start, b.raw_end, b.rule) for b in a.removed],
            )
            c.executemany(
                'INSERT INTO spans(article_id, layer, start, "end", label, ref) VALUES (?,?,?,?,?,?)',
                [(a.id, layer, s.start, s.end, s.label, s.ref)
                 for layer, spans in a.layers.items() if layer not in _SPAN_LAYERS_SKIPPED for s in spans],
            )
            c.executemany(
                'INSERT INTO mentions(article_id, start, "end", type, entity_id, text) VALUES (?,?,?,?,?,?)',
                [(a.id, s.start, s.end, s.label, s.ref, a.text[s.start : s.end]) for s in a.spans("entities")],
            )
            self._insert_attributions(a)

    def _insert_attributions(self, a: Article) -> None:
        def pair(s: Span | None) -> tuple[int | None, int | None]:
            return (s.start, s.end) if s else (None, None)

        self.conn.execute("DELETE FROM attributions WHERE article_id = ?", (a.id,))
        rows = []
        for i, at in enumerate(a.attributions):
            rows.append((a.id, i, at.kind, at.stance, at.speaker_kind, *pair(at.speaker),
                         at.speaker.ref if at.speaker else None, at.cue.start, at.cue.end,
                         at.content.start, at.content.end, *pair(at.nested_source), at.claim_id))
        self.conn.executemany(
            "INSERT INTO attributions(article_id, idx, kind, stance, speaker_kind, speaker_start, speaker_end,"
            " speaker_entity, cue_start, cue_end, content_start, content_end, nested_start, nested_end, claim_id)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            rows,
        )

    def update_article_links(self, article: Article) -> None:
        """Rewrite the parts of an article that regrouping claims changes: its story and claim ids (not its
        duplicate mark, which :meth:`set_duplicate` and :meth:`repoint_duplicate` keep: a cached copy of the
        article may predate a late original's re-pointing)."""
        self.conn.execute("UPDATE articles SET story_id = ? WHERE id = ?", (article.story_id, article.id))
        self._insert_attributions(article)

    def set_duplicate(self, article_id: str, original_id: str, relation: str) -> None:
        self.conn.execute("UPDATE articles SET duplicate_of = ?, duplicate_relation = ? WHERE id = ?",
                          (original_id, relation, article_id))

    def article_path(self, article_id: str) -> str | None:
        """The input path an article was read from (None for an unknown id)."""
        row = self.conn.execute("SELECT path FROM articles WHERE id = ?", (article_id,)).fetchone()
        return row[0] if row else None

    def revised_ids(self, story_id: str) -> set[str]:
        """Articles of a story replaced by an edited version of the same input (duplicate relation "revision")."""
        return {r[0] for r in self.conn.execute(
            "SELECT id FROM articles WHERE story_id = ? AND duplicate_relation = 'revision'", (story_id,))}

    def repoint_duplicate(self, article_id: str, original_id: str, relation: str) -> int:
        """Make a stored article a copy of ``original_id`` (keeping its relation when it was a copy already); 1 when
        it was stored as an original until now, else 0."""
        row = self.conn.execute("SELECT duplicate_of FROM articles WHERE id = ?", (article_id,)).fetchone()
        if row is None:
            return 0
        self.conn.execute("UPDATE articles SET duplicate_of = ?, duplicate_relation = COALESCE(duplicate_relation, ?) "
                          "WHERE id = ?", (original_id, relation, article_id))
        return int(row[0] is None)

    def load_article(self, article_id: str) -> Article | None:
        return self.load_articles([article_id]).get(article_id)

    def load_articles(self, article_ids: list[str]) -> dict[str, Article]:
        """The stored articles of ``article_ids`` (unknown ids left out), five queries per 500 ids.

        Regrouping a story's claims loads all its members: one query per table for all of
        them, not five per article (21,000 member loads in the add-1,000 bench call).
        """
        out: dict[str, Article] = {}
        ids = list(dict.fromkeys(article_ids))
        for k in range(0, len(ids), _LOAD_CHUNK):
            out.update(self._load_chunk(ids[k : k + _LOAD_CHUNK]))
        return out

    def _load_chunk(self, ids: list[str]) -> dict[str, Article]:
        marks = ",".join("?" * len(ids))
        out: dict[str, Article] = {}
        for r in self.conn.execute(f"SELECT * FROM articles WHERE id IN ({marks})", ids):
            out[r["id"]] = Article(
                id=r["id"], path=r["path"], raw=r["raw"], text=r["text"], title=r["title"], source=r["source"],
                url=r["url"], published=r["published"], author=r["author"], language=r["language"],
                encoding=r["encoding"], story_id=r["story_id"], duplicate_of=r["duplicate_of"],
                offsets=OffsetMap.from_json(json.loads(r["offsets"]), len(r["text"]), len(r["raw"])),
            )
        if not out:
            return out
        cur = self.conn.cursor()
        cur.row_factory = None  # plain tuples: most of the cost is per row (a story's members hold ~30 spans each)
        for aid, *block in cur.execute(f"SELECT article_id, raw_start, raw_end, rule FROM removed_blocks "
                                       f"WHERE article_id IN ({marks}) ORDER BY article_id, raw_start", ids):
            out[aid].removed.append(RemovedBlock(*block))
        for aid, start, end, label, layer, ref in cur.execute(
                f"SELECT article_id, start, end, label, layer, ref FROM spans WHERE article_id IN ({marks}) "
                f"ORDER BY article_id, layer, start", ids):
            out[aid].layers.setdefault(layer, []).append(Span(start, end, label, layer, ref))
        for a in out.values():
            a.layers["entities"] = []
        for aid, start, end, typ, eid in cur.execute(
                f"SELECT article_id, start, end, type, entity_id FROM mentions WHERE article_id IN ({marks}) "
                f"ORDER BY article_id, start", ids):
            out[aid].layers["entities"].append(Span(start, end, typ, "entities", eid))
        for t in self.conn.execute(
                f"SELECT * FROM attributions WHERE article_id IN ({marks}) ORDER BY article_id, idx", ids):
            sp = (Span(t["speaker_start"], t["speaker_end"], "SPEAKER", "attribution", t["speaker_entity"])
                  if t["speaker_start"] is not None else None)
            ns = (Span(t["nested_start"], t["nested_end"], "SOURCE", "attribution")
                  if t["nested_start"] is not None else None)
            out[t["article_id"]].attributions.append(Attribution(
                cue=Span(t["cue_start"], t["cue_end"], "CUE", "attribution"),
                content=Span(t["content_start"], t["content_end"], "CONTENT", "attribution"),
                kind=t["kind"], stance=t["stance"], speaker=sp, speaker_kind=t["speaker_kind"],
                nested_source=ns, claim_id=t["claim_id"]))
        return out

    def article_ids(self, *, story_id: str | None = None) -> list[str]:
        if story_id is None:
            return [r[0] for r in self.conn.execute("SELECT id FROM articles ORDER BY seq")]
        return [r[0] for r in self.conn.execute("SELECT id FROM articles WHERE story_id = ? ORDER BY published, seq", (story_id,))]

    def iter_articles(self, *, story_id: str | None = None) -> Iterator[Article]:
        for aid in self.article_ids(story_id=story_id):
            art = self.load_article(aid)
            if art is not None:
                yield art

    # ---- entities ----------------------------------------------------------
    def load_entities(self) -> list[Entity]:
        ents = {r["id"]: Entity(r["id"], r["canonical"], r["type"], set(), r["latin"], set())
                for r in self.conn.execute("SELECT * FROM entities")}
        for r in self.conn.execute("SELECT * FROM entity_variants"):
            ents[r["entity_id"]].variants.add(r["variant"])
        for r in self.conn.execute("SELECT * FROM entity_roles"):
            ents[r["entity_id"]].roles.add(r["role"])
        return list(ents.values())

    def save_entities(self, entities: Iterable[Entity]) -> None:
        for e in entities:
            self.conn.execute(
                "INSERT INTO entities(id, canonical, type, latin) VALUES (?,?,?,?) ON CONFLICT(id) DO UPDATE SET"
                " canonical = excluded.canonical, type = excluded.type, latin = excluded.latin",
                (e.id, e.canonical, e.type, e.latin),
            )
            self.conn.executemany("INSERT OR IGNORE INTO entity_variants VALUES (?, ?)", [(e.id, v) for v in sorted(e.variants)])
            self.conn.executemany("INSERT OR IGNORE INTO entity_roles VALUES (?, ?)", [(e.id, r) for r in sorted(e.roles)])

    # ---- stories and claims ------------------------------------------------
    def save_story(self, story: Story, *, run_id: int | None) -> None:
        span = self.conn.execute(
            "SELECT MIN(NULLIF(published, '')), MAX(NULLIF(published, '')), COUNT(*), COUNT(DISTINCT NULLIF(source, ''))"
            " FROM articles WHERE story_id = ?", (story.id,)
        ).fetchone()
        exists = self.conn.execute("SELECT 1 FROM stories WHERE id = ?", (story.id,)).fetchone()
        # The counts are kept by triggers (migration 0008) once the row exists; a row written
        # after its articles takes them here.
        self.conn.execute(
            "INSERT INTO stories(id, label, summary, first_published, last_published, updated_run, n_articles, n_outlets,"
            " n_claims) VALUES (?,?,?,?,?,?,?,?, (SELECT COUNT(*) FROM claims WHERE story_id = ?))"
            " ON CONFLICT(id) DO UPDATE SET label = excluded.label, summary = excluded.summary,"
            " first_published = excluded.first_published, last_published = excluded.last_published,"
            " updated_run = excluded.updated_run, n_articles = excluded.n_articles, n_outlets = excluded.n_outlets,"
            " n_claims = excluded.n_claims",
            (story.id, story.label, story.summary, span[0] or "", span[1] or "", run_id, span[2], span[3], story.id),
        )
        if not exists:
            self.add_story_event(story.id, "created", "", run_id)

    def merge_story(self, retired: str, survivor: str, *, run_id: int | None) -> None:
        """Move ``retired``'s articles to ``survivor``; drop its claims, keep its row as a pointer."""
        self.conn.execute("UPDATE articles SET story_id = ? WHERE story_id = ?", (survivor, retired))
        self.conn.execute("DELETE FROM claims WHERE story_id = ?", (retired,))
        self.conn.execute("UPDATE stories SET merged_into = ? WHERE id = ?", (survivor, retired))
        self.conn.execute("UPDATE stories SET merged_into = ? WHERE merged_into = ?", (survivor, retired))
        self.add_story_event(retired, "merged_into", survivor, run_id)
        self.add_story_event(survivor, "absorbed", retired, run_id)

    def add_story_event(self, story_id: str, event: str, detail: str, run_id: int | None) -> None:
        self.conn.execute("INSERT INTO story_events(story_id, event, detail, run_id) VALUES (?,?,?,?)",
                          (story_id, event, detail, run_id))

    def replace_claims(self, story_id: str, claims: list[Claim]) -> None:
        """Make ``claims`` the story's claims, rewriting only those whose text or members changed.

        Claims are recomputed per story each time it grows, and most keep their
        id, text and members (ids are stable): rewriting all of them cost
        O(story) writes per batch. A claim is deleted and inserted again (its
        members with it, in order) when it is new or differs; claims gone from
        the story are deleted. The stored content equals a whole rewrite's;
        only SQLite rowids across claims differ, and members are read in
        ``rowid`` order within their claim only.
        """
        c = self.conn
        old: dict[str, tuple[str, list[tuple[Any, ...]]]] = {
            r[0]: (r[1], []) for r in c.execute("SELECT id, text FROM claims WHERE story_id = ?", (story_id,))}
        for r in c.execute(
            'SELECT m.claim_id, m.article_id, m.attribution_idx, m.stance, m.source, m.source_entity, m.outlet,'
            ' m.start, m."end", m.source_group FROM claims c JOIN claim_members m ON m.claim_id = c.id'
            " WHERE c.story_id = ? ORDER BY m.claim_id, m.rowid", (story_id,)):
            old[r[0]][1].append(tuple(r[1:]))
        written: list[str] = []
        for cl in claims:
            rows = [(m.article_id, m.attribution_index, m.stance, m.source, m.source_entity, m.outlet, m.start, m.end,
                     m.source_group) for m in cl.members]
            prev = old.pop(cl.id, None)
            if prev is not None and prev[0] == cl.text and prev[1] == rows:
                continue
            if prev is not None:
                c.execute("DELETE FROM claims WHERE id = ?", (cl.id,))
            c.execute("INSERT INTO claims(id, story_id, text) VALUES (?,?,?)", (cl.id, story_id, cl.text))
            c.executemany(
                'INSERT INTO claim_members(claim_id, article_id, attribution_idx, stance, source, source_entity, outlet,'
                ' start, "end", source_group) VALUES (?,?,?,?,?,?,?,?,?,?)', [(cl.id, *r) for r in rows])
            written.append(cl.id)
        c.executemany("DELETE FROM claims WHERE id = ?", [(cid,) for cid in old])
        c.executemany(
            "UPDATE claims SET first_published = COALESCE((SELECT MIN(NULLIF(a.published, '')) FROM claim_members m"
            " JOIN articles a ON a.id = m.article_id WHERE m.claim_id = claims.id), '') WHERE id = ?",
            [(cid,) for cid in written],
        )

    def mark_claims_stale(self, story_id: str, n_grouped: int) -> None:
        """Record that ``story_id``'s claims were last grouped over ``n_grouped`` articles (an older count is kept)."""
        self.conn.execute("INSERT OR IGNORE INTO claims_stale(story_id, n_grouped) VALUES (?, ?)", (story_id, n_grouped))

    def claims_stale(self) -> dict[str, int]:
        """Stories whose claims lag their articles: ``{story id: article count at the last regrouping}``."""
        return dict(self.conn.execute("SELECT story_id, n_grouped FROM claims_stale"))

    def mark_claims_fresh(self, story_id: str) -> None:
        self.conn.execute("DELETE FROM claims_stale WHERE story_id = ?", (story_id,))

    def load_claims(self, story_id: str) -> list[Claim]:
        claims = {r[0]: Claim(r[0], story_id, r[1]) for r in self.conn.execute(
            "SELECT id, text FROM claims WHERE story_id = ? ORDER BY first_published, id", (story_id,))}
        # One query for all members (a big story has hundreds of claims), in rowid order per claim.
        for r in self.conn.execute(
                'SELECT m.claim_id, m.article_id, m.attribution_idx, m.stance, m.source, m.source_entity, m.outlet,'
                ' m.start, m."end", m.source_group FROM claims c JOIN claim_members m ON m.claim_id = c.id'
                " WHERE c.story_id = ? ORDER BY m.claim_id, m.rowid", (story_id,)):
            claims[r[0]].members.append(ClaimMember(*r[1:]))
        return list(claims.values())

    def stories(self, *, limit: int = 1000, offset: int = 0) -> list[dict[str, Any]]:
        rows = self.conn.execute(
            "SELECT s.* FROM stories s WHERE s.n_articles > 0"
            " ORDER BY s.n_articles DESC, s.last_published DESC, s.id LIMIT ? OFFSET ?",
            (limit, offset),
        )
        return [dict(r) for r in rows]

    def story(self, story_id: str) -> dict[str, Any] | None:
        r = self.conn.execute("SELECT * FROM stories WHERE id = ?", (story_id,)).fetchone()
        return dict(r) if r else None

    def survivor_of(self, story_id: str) -> str | None:
        """The live story a merged story's articles went to (following merges of merges), None when ``story_id``
        was never merged: a user holding an old id is told where its articles are."""
        current, seen = story_id, {story_id}
        while True:
            r = self.conn.execute("SELECT detail FROM story_events WHERE story_id = ? AND event = 'merged_into' "
                                  "ORDER BY rowid DESC LIMIT 1", (current,)).fetchone()
            if r is None or not r[0] or r[0] in seen:
                return None if current == story_id else current
            current = r[0]
            seen.add(current)

    # ---- corpus-stage state ------------------------------------------------
    def load_state(self, name: str) -> dict[str, Any] | None:
        r = self.conn.execute("SELECT value FROM state WHERE name = ?", (name,)).fetchone()
        return decode_state(bytes(r[0])) if r else None

    def state_upto(self, name: str) -> int | None:
        """The last ``articles.seq`` the saved state ``name`` covers.

        None when there is no such state. A state saved without ``upto_seq``
        (before migration 0005, when state was saved with every batch) covers
        every stored article: :meth:`max_seq` is returned.
        """
        r = self.conn.execute("SELECT upto_seq FROM state WHERE name = ?", (name,)).fetchone()
        if r is None:
            return None
        return self.max_seq() if r[0] is None else int(r[0])

    def save_state(self, name: str, state: dict[str, Any], *, upto_seq: int | None = None) -> None:
        """Save corpus state ``name`` as a checkpoint covering articles up to ``upto_seq`` (default: all stored)."""
        upto = self.max_seq() if upto_seq is None else int(upto_seq)
        self.conn.execute("INSERT OR REPLACE INTO state(name, value, upto_seq) VALUES (?, ?, ?)",
                          (name, encode_state(state), upto))
