"""SQL for variant confidence, Wikidata ids and the user's split / merge rules (migration 0007).

A split or a merge rewrites what is already stored in one transaction: the
entity rows, ``entity_variants`` and ``variant_links``, ``mentions``,
``attributions.speaker_entity`` and ``claim_members.source_entity`` (and its
``source`` name); nothing else is touched, so articles, claims and stories
survive. The rule is recorded in ``entity_rules`` and later analyses load it
into the resolver (:func:`khabar.aliases.configure_registry`). Forms are
compared by :func:`khabar.aliases.form_key` (folded, clitic-stripped words).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

from khabar.aliases import form_key
from khabar.arabic import is_arabic
from khabar.errors import KhabarError
from khabar.store import Store


class UnknownEntityError(KhabarError):
    """An entity id or a variant named by the user is not in the store."""


def save_links(store: Store, rows: Iterable[tuple[str, str, str, float]], wikidata: Mapping[str, str]) -> None:
    """Record ``(entity id, variant, how, confidence)`` rows and Wikidata ids. Call inside a transaction,
    after :meth:`Store.save_entities` (the rows reference stored entities)."""
    store.conn.executemany(
        "INSERT INTO variant_links(entity_id, variant, how, confidence) VALUES (?,?,?,?) ON CONFLICT(entity_id, variant)"
        " DO UPDATE SET how = excluded.how, confidence = excluded.confidence", list(rows))
    store.conn.executemany("UPDATE entities SET wikidata = ? WHERE id = ?", [(q, e) for e, q in sorted(wikidata.items())])


def load_rules(store: Store) -> list[dict[str, Any]]:
    """Every user rule, oldest first: ``{id, kind, entity_id, other_id, forms, created_at}``."""
    rows = store.conn.execute("SELECT * FROM entity_rules ORDER BY id")
    return [dict(r) | {"forms": json.loads(r["forms"])} for r in rows]


def merged_entity_ids(store: Store) -> dict[str, str]:
    """Entity ids a user merged away -> the id that holds them now (chains of merges followed)."""
    into = {r["other_id"]: r["entity_id"] for r in load_rules(store) if r["kind"] == "merge"}
    out = {}
    for old in into:
        new, seen = into[old], {old}
        while new in into and new not in seen:
            seen.add(new)
            new = into[new]
        out[old] = new
    return out


def _entity_row(store: Store, entity_id: str) -> dict[str, Any]:
    r = store.conn.execute("SELECT * FROM entities WHERE id = ?", (entity_id,)).fetchone()
    if r is None:
        merged = store.conn.execute("SELECT entity_id FROM entity_rules WHERE kind = 'merge' AND other_id = ?"
                                    " ORDER BY id DESC", (entity_id,)).fetchone()
        hint = f"it was merged into {merged[0]}" if merged else "`khabar entities list --query NAME` finds ids"
        raise UnknownEntityError(f"no entity with id {entity_id!r}", source=store.path, hint=hint)
    return dict(r)


def list_entities(store: Store, query: str = "", limit: int = 50) -> list[dict[str, Any]]:
    """Entities whose canonical name or a variant contains ``query`` (folded), most mentioned first.

    Returns ``{id, canonical, type, wikidata, mentions, variants}`` dicts (``variants``: a count).
    Reads every variant when ``query`` is given: for the CLI, not for the web's hot path.
    """
    c = store.conn
    ids: set[str] | None = None
    key = form_key(query) if query.strip() else ""
    if key:
        ids = {r[0] for r in c.execute("SELECT id, canonical FROM entities") if key in form_key(r[1])}
        ids |= {r[0] for r in c.execute("SELECT entity_id, variant FROM entity_variants") if key in form_key(r[1])}
    rows = c.execute(
        "SELECT e.id, e.canonical, e.type, e.wikidata,"
        " (SELECT COUNT(*) FROM mentions m WHERE m.entity_id = e.id) AS mentions,"
        " (SELECT COUNT(*) FROM entity_variants v WHERE v.entity_id = e.id) AS variants FROM entities e"
        " ORDER BY mentions DESC, e.id")
    out = [dict(r) for r in rows if ids is None or r["id"] in ids]
    return out[:limit]


def entity_detail(store: Store, entity_id: str) -> dict[str, Any]:
    """One entity for ``khabar entities show`` and the entity page.

    Returns ``{id, canonical, type, latin, wikidata, roles, variants: [{form, how, confidence, mentions}],
    n_mentions, n_articles, n_stories, n_statements, rules}``; ``how``/``confidence`` are None for
    variants stored before migration 0007.

    Raises:
        UnknownEntityError: no such entity (the hint names the survivor of a merge).
    """
    e = _entity_row(store, entity_id)
    e["roles"] = [r[0] for r in store.conn.execute("SELECT role FROM entity_roles WHERE entity_id = ? ORDER BY role",
                                                   (entity_id,))]
    e["variants"] = variant_details(store, entity_id)
    c = store.conn
    e["n_mentions"], e["n_articles"] = c.execute(
        "SELECT COUNT(*), COUNT(DISTINCT article_id) FROM mentions WHERE entity_id = ?", (entity_id,)).fetchone()
    e["n_stories"] = c.execute(
        "SELECT COUNT(DISTINCT a.story_id) FROM mentions m JOIN articles a ON a.id = m.article_id"
        " WHERE m.entity_id = ? AND a.story_id IS NOT NULL", (entity_id,)).fetchone()[0]
    e["n_statements"] = c.execute("SELECT COUNT(*) FROM attributions WHERE speaker_entity = ?", (entity_id,)).fetchone()[0]
    e["rules"] = [r for r in load_rules(store) if entity_id in (r["entity_id"], r["other_id"])]
    return e


def variant_details(store: Store, entity_id: str) -> list[dict[str, Any]]:
    """``[{form, how, confidence, mentions}]`` of an entity's variants, surest first, then most mentioned."""
    c = store.conn
    counts = Counter({r[0]: r[1] for r in c.execute(
        "SELECT text, COUNT(*) FROM mentions WHERE entity_id = ? GROUP BY text", (entity_id,))})
    rows = c.execute("SELECT v.variant, l.how, l.confidence FROM entity_variants v LEFT JOIN variant_links l"
                     " ON l.entity_id = v.entity_id AND l.variant = v.variant WHERE v.entity_id = ?", (entity_id,))
    by_form = _mentions_by_form(counts)
    out = [{"form": r[0], "how": r[1], "confidence": r[2], "mentions": by_form[r[0]]} for r in rows]
    return sorted(out, key=lambda v: (-(v["confidence"] if v["confidence"] is not None else -1), -v["mentions"], v["form"]))


def _mentions_by_form(counts: Counter[str]) -> Counter[str]:
    """Mentions per form, a mention's text read as the resolver reads it (:func:`khabar.resolve.surface`).

    One pass over the distinct texts: a frequent entity has thousands of mentions and
    dozens of variants, and matching each variant against every text cost ~12 ms a page.
    """
    from khabar.resolve import surface

    out: Counter[str] = Counter()
    for text, n in counts.items():
        out[surface(text)] += n
    return out


def _free_id(store: Store, base: str) -> str:
    taken = {r[0] for r in store.conn.execute("SELECT id FROM entities WHERE id = ? OR id LIKE ?", (base, base + "-%"))}
    taken |= {r[0] for r in store.conn.execute("SELECT other_id FROM entity_rules")}
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"


def _pick_canonical(forms: Iterable[str], counts: Mapping[str, int]) -> str:
    """The resolver's choice (:func:`khabar.resolve.canonical_form`) among ``forms``, by their mention ``counts``."""
    from khabar.resolve import canonical_form

    return canonical_form(Counter({f: counts.get(f, 0) for f in forms}))


def split_entity(store: Store, entity_id: str, form: str) -> dict[str, Any]:
    """Move the mentions of ``entity_id`` written ``form`` (any spelling with its :func:`form_key`) to a new entity.

    Returns ``{new_id, forms, mentions, statements}`` (what moved).

    Raises:
        UnknownEntityError: unknown id, or no variant of it is written ``form``, or every one is.
    """
    from khabar.resolve import entity_id as make_id
    from khabar.resolve import surface, transliterate

    ent = _entity_row(store, entity_id)
    c = store.conn
    variants = [r[0] for r in c.execute("SELECT variant FROM entity_variants WHERE entity_id = ? ORDER BY variant",
                                        (entity_id,))]
    key = form_key(form)
    moved = [v for v in variants if form_key(v) == key]
    if not moved:
        raise UnknownEntityError(f"entity {entity_id} has no variant written {form!r}", source=store.path,
                                 hint="its variants: " + "، ".join(variants))
    kept = [v for v in variants if v not in moved]
    if not kept:
        raise UnknownEntityError(f"every variant of {entity_id} is written {form!r}: nothing would be left",
                                 source=store.path, hint="split off another form, or merge instead")
    mentions = c.execute('SELECT rowid, article_id, start, "end", text FROM mentions WHERE entity_id = ?',
                         (entity_id,)).fetchall()
    counts = Counter(surface(m["text"]) for m in mentions)
    canonical = _pick_canonical(moved, counts)
    new_id = _free_id(store, make_id(ent["type"], canonical))
    moving = [m for m in mentions if form_key(m["text"]) == key]
    speakers = _moved_speakers(store, entity_id, mentions, {m["rowid"] for m in moving})
    old_canonical = ent["canonical"] if form_key(ent["canonical"]) != key else _pick_canonical(kept, counts)
    latin = canonical if not is_arabic(canonical, 0.01) else transliterate(canonical)
    with store.transaction():
        c.execute("INSERT INTO entities(id, canonical, type, latin) VALUES (?,?,?,?)", (new_id, canonical, ent["type"], latin))
        c.executemany("DELETE FROM entity_variants WHERE entity_id = ? AND variant = ?", [(entity_id, v) for v in moved])
        c.executemany("INSERT INTO entity_variants(entity_id, variant) VALUES (?,?)", [(new_id, v) for v in moved])
        c.executemany("DELETE FROM variant_links WHERE entity_id = ? AND variant = ?", [(entity_id, v) for v in moved])
        c.executemany("INSERT INTO variant_links VALUES (?,?,'user',1.0)", [(new_id, v) for v in moved])
        c.executemany("UPDATE mentions SET entity_id = ? WHERE rowid = ?", [(new_id, m["rowid"]) for m in moving])
        c.executemany("UPDATE attributions SET speaker_entity = ? WHERE id = ?", [(new_id, i) for i, _, _ in speakers])
        c.executemany("UPDATE claim_members SET source_entity = ?, source = ? WHERE source_entity = ? AND article_id = ?"
                      " AND attribution_idx = ?", [(new_id, canonical, entity_id, a, idx) for _, a, idx in speakers])
        c.execute("UPDATE entities SET canonical = ? WHERE id = ?", (old_canonical, entity_id))
        c.execute("UPDATE claim_members SET source = ? WHERE source_entity = ?", (old_canonical, entity_id))
        _record(store, "split", entity_id, new_id, moved)
    return {"new_id": new_id, "canonical": canonical, "forms": moved, "mentions": len(moving), "statements": len(speakers)}


def _moved_speakers(store: Store, entity_id: str, mentions: list[Any], moving: set[int]) -> list[tuple[int, str, int]]:
    """``(attribution id, article id, idx)`` of statements whose speaker is a moving mention.

    The speaker span was linked (:func:`khabar.attribution.link_speakers`) to
    the last mention of the entity inside it, so that mention decides.
    """
    by_article: dict[str, list[Any]] = {}
    for m in mentions:
        by_article.setdefault(m["article_id"], []).append(m)
    out = []
    for t in store.conn.execute("SELECT id, article_id, idx, speaker_start, speaker_end FROM attributions"
                                " WHERE speaker_entity = ? AND speaker_start IS NOT NULL", (entity_id,)):
        inside = [m for m in by_article.get(t["article_id"], [])
                  if m["start"] < t["speaker_end"] and t["speaker_start"] < m["end"]]
        if inside and max(inside, key=lambda m: m["start"])["rowid"] in moving:
            out.append((t["id"], t["article_id"], t["idx"]))
    return out


def merge_entities(store: Store, entity_id: str, other_id: str) -> dict[str, Any]:
    """Fold entity ``other_id`` into ``entity_id``: its variants, roles, mentions and statements move; its row goes.

    Returns ``{forms, mentions, statements}`` (what moved).

    Raises:
        UnknownEntityError: either id is unknown, or they are the same.
    """
    ent, other = _entity_row(store, entity_id), _entity_row(store, other_id)
    if entity_id == other_id:
        raise UnknownEntityError(f"cannot merge {entity_id} with itself", source=store.path)
    c = store.conn
    forms = [r[0] for r in c.execute("SELECT variant FROM entity_variants WHERE entity_id = ? ORDER BY variant", (other_id,))]
    own = {r[0] for r in c.execute("SELECT variant FROM entity_variants WHERE entity_id = ?", (entity_id,))}
    with store.transaction():
        c.executemany("INSERT OR IGNORE INTO entity_variants(entity_id, variant) VALUES (?,?)", [(entity_id, f) for f in forms])
        c.executemany("INSERT OR IGNORE INTO variant_links VALUES (?,?,'user',1.0)", [(entity_id, f) for f in forms if f not in own])
        c.execute("INSERT OR IGNORE INTO entity_roles SELECT ?, role FROM entity_roles WHERE entity_id = ?", (entity_id, other_id))
        n_mentions = c.execute("UPDATE mentions SET entity_id = ? WHERE entity_id = ?", (entity_id, other_id)).rowcount
        n_statements = c.execute("UPDATE attributions SET speaker_entity = ? WHERE speaker_entity = ?",
                                 (entity_id, other_id)).rowcount
        c.execute("UPDATE claim_members SET source_entity = ?, source = ? WHERE source_entity = ?",
                  (entity_id, ent["canonical"], other_id))
        if not ent["wikidata"] and other["wikidata"]:
            c.execute("UPDATE entities SET wikidata = ? WHERE id = ?", (other["wikidata"], entity_id))
        _record(store, "merge", entity_id, other_id, forms)
        c.execute("DELETE FROM entities WHERE id = ?", (other_id,))
    return {"forms": forms, "mentions": n_mentions, "statements": n_statements}


def _record(store: Store, kind: str, entity_id: str, other_id: str, forms: list[str]) -> None:
    store.conn.execute("INSERT INTO entity_rules(kind, entity_id, other_id, forms, created_at)"
                       " VALUES (?,?,?,?, datetime('now'))", (kind, entity_id, other_id, json.dumps(forms, ensure_ascii=False)))
