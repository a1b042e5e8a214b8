"""The one place that turns store rows into the API's JSON.

The web pages, the ``/api`` routes, every export format and the CLI's story
view all read these dicts, so a field means the same thing everywhere. Every
``{text, start, end}`` object is a half-open character range of the article's
``cleaned_text`` with ``cleaned_text[start:end] == text``; removed boilerplate
is the exception and carries ``raw_start``/``raw_end`` into the decoded raw
input instead.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator, MutableMapping
from typing import Any

import khabar
from khabar.arabic import fold
from khabar.denials import counted_figures
from khabar.errors import KhabarError
from khabar.model import Article, Claim, Span
from khabar.settings import Settings
from khabar.store import Store
from khabar.store import aliases as alias_queries
from khabar.store import queries

TOP_ENTITIES = 15  # entities listed in a story dossier
LIST_ENTITIES = 4  # entities shown beside each story in the story list

# Display names, Arabic first: the UI and exports show a text label next to every colour.
STANCE_LABELS: dict[str, str] = {
    "assert": "يقول",
    "deny": "ينفي",
    "confirm": "يؤكد",
    "allege": "يزعم",
    "question": "يشكّك",
    "other": "أخرى",
}
KIND_LABELS: dict[str, str] = {
    "direct": "اقتباس مباشر",
    "indirect": "نقل غير مباشر",
    "according_to": "بحسب",
    "mixed": "مختلط",
}


_PLURAL = {"article": "articles", "story": "stories"}  # iter_export kind -> export object key


class UnknownIdError(KhabarError):
    """No story, article or entity has the requested id (the web answers 404)."""


def _span(text: str, start: int, end: int) -> dict[str, Any]:
    return {"text": text[start:end], "start": start, "end": end}


def _opt_span(text: str, span: Span | None) -> dict[str, Any] | None:
    return None if span is None else _span(text, span.start, span.end)


def evidence_sentence(text: str, sentences: list[tuple[int, int]], start: int, end: int) -> tuple[int, int]:
    """The sentence range(s) covering ``[start, end)`` of ``text``.

    Args:
        text: the article's cleaned text.
        sentences: sorted ``(start, end)`` sentence spans (the "sentences" layer).
        start: evidence start offset.
        end: evidence end offset (exclusive).

    Returns:
        ``(s, e)`` from the start of the sentence holding ``start`` to the end of the
        one holding ``end - 1``; ``(start, end)`` itself when no sentence covers it.
    """
    if not sentences:
        return start, end
    starts = [s for s, _ in sentences]
    i = bisect.bisect_right(starts, start) - 1
    j = bisect.bisect_right(starts, max(start, end - 1)) - 1
    s = sentences[i][0] if i >= 0 and sentences[i][1] > start else start
    e = sentences[j][1] if j >= 0 and sentences[j][1] >= end else end
    return min(s, start), min(max(e, end), len(text))


def article_json(store: Store, article: Article) -> dict[str, Any]:
    """An analysed article with its entities, attributions and removed boilerplate.

    ``path`` names the input file (``archive.zip!entry.json#3`` for archive entries
    and JSON array items). Entity and attribution offsets index ``cleaned_text``.
    """
    text = article.text
    ents = article.spans("entities")
    names = queries.entity_names(store, [s.ref for s in ents if s.ref])
    names.update(queries.entity_names(store, [a.speaker.ref for a in article.attributions if a.speaker and a.speaker.ref]))
    attributions = []
    for i, at in enumerate(article.attributions):
        speaker = None
        if at.speaker is not None:
            speaker = _span(text, at.speaker.start, at.speaker.end) | {
                "entity_id": at.speaker.ref, "canonical": names.get(at.speaker.ref or "")}
        attributions.append({
            "index": i,
            "speaker": speaker,
            "speaker_kind": at.speaker_kind,
            "cue": _span(text, at.cue.start, at.cue.end),
            "content": _span(text, at.content.start, at.content.end),
            "type": at.kind,
            "stance": at.stance,
            "nested_source": _opt_span(text, at.nested_source),
            "claim_id": at.claim_id,
        })
    return {
        "id": article.id,
        "path": article.path,
        "title": article.title,
        "source": article.source,
        "url": article.url,
        "published": article.published,
        "language": article.language,
        "cleaned_text": text,
        "story_id": article.story_id,
        "duplicate_of": article.duplicate_of,
        "entities": [
            _span(text, s.start, s.end) | {"type": s.label, "entity_id": s.ref, "canonical": names.get(s.ref or "")}
            for s in ents
        ],
        "attributions": attributions,
        "removed": [
            {"raw_start": b.raw_start, "raw_end": b.raw_end, "rule": b.rule, "text": article.raw[b.raw_start : b.raw_end]}
            for b in article.removed
        ],
    }


def load_article_json(store: Store, article_id: str) -> dict[str, Any]:
    """:func:`article_json` by id; raises UnknownIdError."""
    art = store.load_article(article_id)
    if art is None:
        raise UnknownIdError(f"no article with id {article_id!r}", hint="list stories with `khabar stories`")
    return article_json(store, art)


def story_json(store: Store, story_id: str, settings: Settings | None = None) -> dict[str, Any]:
    """A story dossier: articles, outlets, top entities, claims and the claim x source matrix.

    Each claim member carries ``text`` (its evidence span) and ``sentence`` (the
    sentence(s) around it), both ``{text, start, end}`` into that member's article.
    ``settings`` (default: :meth:`Settings.load`) are the caller's, so a server
    started with a config file builds its dossiers under that file's ``[claims]``.

    Raises:
        UnknownIdError: no story has this id.
    """
    from khabar.claims import claim_matrix  # written alongside; imported late to keep this module light
    from khabar.stories import parse_days

    row = store.story(story_id)
    if row is None and (written := story_id_of(story_id)) != story_id and (row := store.story(written)) is not None:
        story_id = written
    if row is None:
        raise missing_story(store, story_id)
    arts = queries.story_articles(store, story_id)
    claims = store.load_claims(story_id)
    member_ids = [m.article_id for c in claims for m in c.members]
    texts = queries.article_texts(store, member_ids)
    sents = queries.sentence_spans(store, member_ids)
    published = {aid: h.get("published") or None for aid, h in queries.article_headers(store, member_ids).items()}
    days = {aid: d for aid, p in published.items() if (d := parse_days(p or "")) is not None}  # UTC day numbers
    out_claims = []
    for c in claims:
        members = []
        for m in c.members:
            t = texts.get(m.article_id, "")
            s, e = evidence_sentence(t, sents.get(m.article_id, []), m.start, m.end)
            members.append({
                "article_id": m.article_id, "attribution_index": m.attribution_index, "stance": m.stance,
                "source": m.source, "source_entity": m.source_entity, "outlet": m.outlet,
                "start": m.start, "end": m.end, "text": t[m.start : m.end], "sentence": _span(t, s, e),
            })
        out_claims.append({"id": c.id, "text": c.text, "members": members, "first_seen": first_seen(c, published, days)})
    flat = [m | {"claim_id": c["id"], "claim_text": c["text"], "story_id": story_id} for c in out_claims for m in c["members"]]
    conflicts = contradictions(store, claims, texts, days, settings)
    return {
        "id": row["id"],
        "label": row["label"],
        "summary": row["summary"],
        "first_published": row["first_published"],
        "last_published": row["last_published"],
        # a denial of what another source affirms, or two accounts that conflict (12 dead / 30 dead)
        "contested": bool(conflicts) or bool(queries.contested_story_ids(store, [story_id])),
        "articles": [
            {k: a[k] for k in ("id", "title", "source", "published", "duplicate_of", "duplicate_relation")}
            for a in arts
        ],
        "outlets": sorted({a["source"] for a in arts if a["source"]}),
        "top_entities": queries.story_top_entities(store, story_id, TOP_ENTITIES),
        "claims": out_claims,
        "matrix": claim_matrix(claims),
        "denials": denials(flat),
        "contradictions": conflicts,
    }


def first_seen(claim: Claim, published: dict[str, str | None], days: dict[str, float]) -> dict[str, Any] | None:
    """Where and when a claim first appeared: its member published first (undated members last, then member order).

    ``published``: article id -> date as stored; ``days``: the dated ones as UTC day numbers (offsets applied).
    """
    if not claim.members:
        return None
    _, m = min(enumerate(claim.members),
               key=lambda km: (km[1].article_id not in days, days.get(km[1].article_id, 0.0), km[0]))
    return {"article_id": m.article_id, "outlet": m.outlet, "source": m.source, "published": published.get(m.article_id),
            "start": m.start, "end": m.end}


def missing_story(store: Store, story_id: str) -> UnknownIdError:
    """The error for a story id the store does not show: where a merged story's articles went, else a hint."""
    survivor = store.survivor_of(story_id)
    if survivor is not None:
        return UnknownIdError(f"story {story_id!r} was merged into {survivor}", hint=f"khabar story {survivor}")
    return UnknownIdError(f"no story with id {story_id!r}", hint="list stories with `khabar stories`")


def contradictions(store: Store, claims: list[Claim], texts: dict[str, str], days: dict[str, float],
                   settings: Settings | None = None) -> list[dict[str, Any]]:
    """Accounts of one claim that cannot both be true, with no denial word: a changed number, date, place,
    actor, a negation or an antonym (:mod:`khabar.contradictions`).

    Returns:
        ``{claim_id, claim_text, kinds, a, b, differences}`` per pair; ``a`` and ``b`` are
        ``{article_id, source, outlet, start, end, text}`` (offsets into that article's cleaned
        text), each difference ``{kind, a, b}`` with the ``{start, end, text}`` that differ on each
        side (None where a side has nothing, e.g. the negation is on one side only). ``days``: article
        id -> UTC day number of the dated member articles (pairs more than a day apart are not compared).
    """
    from khabar.contradictions import claim_member_contradictions

    cfg = (settings or Settings.load()).section("claims")
    candidates = [c for c in claims if len({m.source for m in c.members}) > 1]
    mentions = queries.mention_spans(store, {m.article_id for c in candidates for m in c.members})

    def side(m: Any) -> dict[str, Any]:
        t = texts.get(m.article_id, "")
        return {"article_id": m.article_id, "source": m.source, "outlet": m.outlet, "start": m.start, "end": m.end,
                "text": t[m.start : m.end]}

    def piece(aid: str, span: tuple[int, int] | None) -> dict[str, Any] | None:
        return None if span is None else {"start": span[0], "end": span[1], "text": texts.get(aid, "")[span[0] : span[1]]}

    out = []
    for c in candidates:
        for ma, mb, found in claim_member_contradictions(c, texts, mentions, days=days, settings=cfg):
            out.append({
                "claim_id": c.id, "claim_text": c.text, "kinds": sorted(found.kinds), "a": side(ma), "b": side(mb),
                "differences": [{"kind": d.kind, "a": piece(ma.article_id, d.a), "b": piece(mb.article_id, d.b)}
                                for d in found.differences],
            })
    return out


def _list_row(r: dict[str, Any], contested: bool, top: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "id": r["id"], "label": r["label"], "summary": r["summary"],
        "first_published": r["first_published"], "last_published": r["last_published"],
        "n_articles": r["n_articles"], "n_outlets": r["n_outlets"], "n_claims": r["n_claims"],
        "contested": contested,
        "top_entities": [{k: e[k] for k in ("entity_id", "canonical", "type", "mentions")} for e in top],
    }


def stories_json(store: Store, limit: int = 50, offset: int = 0) -> list[dict[str, Any]]:
    """Story summaries for the list page, biggest first: counts, time span, top entities, ``contested``.

    ``contested`` is true when one claim of the story is denied by one source and
    asserted (or confirmed, alleged) by another.
    """
    return story_list_json(store, limit=limit, offset=offset)["stories"]


def story_list_json(store: Store, *, since: str | None = None, until: str | None = None, outlet: str | None = None,
                    entity: str | None = None, sort: str = "size", limit: int = 50, offset: int = 0,
                    memo: MutableMapping[str, tuple[bool, list[dict[str, Any]]]] | None = None) -> dict[str, Any]:
    """One page of the filtered story list: ``{total, limit, offset, sort, filters, stories}``.

    Filters are those of :func:`khabar.store.queries.story_rows` (``entity`` is an entity id);
    ``total`` counts every story matching them, for pagination. ``memo`` keeps each story's
    ``(contested, top entities)`` between calls while the store does not change (the web's
    read cache): the big stories head most filtered pages, and counting their mentions was
    most of a page's cost.

    Raises:
        KhabarError: ``limit < 1``, ``offset < 0`` or an unknown ``sort``.
    """
    if limit < 1 or offset < 0:
        raise KhabarError(f"limit must be >= 1 and offset >= 0, got limit={limit}, offset={offset}")
    if sort not in queries.STORY_SORTS:
        raise KhabarError(f"sort must be one of {', '.join(queries.STORY_SORTS)}, got {sort!r}")
    rows, total = queries.story_rows(store, since=since, until=until, outlet=outlet, entity_id=entity,
                                     sort=sort, limit=limit, offset=offset)
    memo = {} if memo is None else memo
    todo = [r["id"] for r in rows if r["id"] not in memo]
    if todo:
        contested = queries.contested_story_ids(store, todo)
        top = queries.stories_top_entities(store, todo, LIST_ENTITIES)  # one query for the page, not one per row
        for sid in todo:
            memo[sid] = (sid in contested, top.get(sid, []))
    return {
        "total": total, "limit": limit, "offset": offset, "sort": sort,
        "filters": {"since": since, "until": until, "outlet": outlet, "entity": entity},
        "stories": [_list_row(r, *memo[r["id"]]) for r in rows],
    }


def _who(m: dict[str, Any]) -> dict[str, Any]:
    return {k: m[k] for k in ("source", "source_entity", "article_id", "start", "end")}


def denials(members: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Who denies whom: for each claim, every (denier, affirmer) pair of distinct sources.

    Args:
        members: claim members with ``claim_id, claim_text, story_id, stance, source,
            source_entity, article_id, start, end`` (offsets into that article's cleaned text).

    Returns:
        ``{claim_id, claim_text, story_id, denier: {...}, denied: {...}}`` per pair, the first
        statement of each source standing for it; sources are one when they share an
        entity id or, without one, a folded name.
    """
    by_claim: dict[str, list[dict[str, Any]]] = {}
    for m in members:
        by_claim.setdefault(m["claim_id"], []).append(m)

    def key(m: dict[str, Any]) -> str:
        return m["source_entity"] or fold(m["source"])

    out = []
    for ms in by_claim.values():
        deny = {key(m): m for m in reversed(ms) if m["stance"] == "deny"}
        affirm = {key(m): m for m in reversed(ms) if m["stance"] in queries.AFFIRMING}
        for dk, d in deny.items():
            for ak, a in affirm.items():
                if dk != ak and not _other_figure(d.get("text") or "", a.get("text") or ""):
                    out.append({"claim_id": d["claim_id"], "claim_text": d["claim_text"], "story_id": d["story_id"],
                                "denier": _who(d), "denied": _who(a)})
    return out


_STORY_ID_RE = re.compile(r"[sS]0*(\d{1,9})")


def story_id_of(text: str) -> str:
    """A story id as typed ("s1", "S0001", "s000001") as khabar writes it ("S000001"); other text unchanged."""
    m = _STORY_ID_RE.fullmatch(text.strip())
    return f"S{int(m.group(1)):06d}" if m else text


def _other_figure(denial: str, statement: str) -> bool:
    """Whether ``statement`` gives another figure of what ``denial`` counts: "لا صحة لمقتل 30 شخصا" denies the
    source who said 30, not the one who said 12, though both sit in the claim (their numbers are a conflict of
    accounts, :mod:`khabar.contradictions`)."""
    fd = counted_figures(denial) if denial else {}
    if not fd:
        return False
    fs = counted_figures(statement)
    return any(u in fs and fd[u].isdisjoint(fs[u]) for u in fd)


def entity_json(store: Store, entity_id: str) -> dict[str, Any]:
    """An entity: variants, roles, stories mentioning it, statements it made, who it denies and who denies it.

    Raises:
        UnknownIdError: no entity has this id.
    """
    e = queries.entity(store, entity_id)
    if e is None:
        raise UnknownIdError(f"no entity with id {entity_id!r}")
    e["stories"] = queries.entity_stories(store, entity_id)
    e["statements"] = queries.entity_statements(store, entity_id)
    e["variant_links"] = alias_queries.variant_details(store, entity_id)  # how each variant joined, and how sure
    pairs = denials(queries.entity_claim_members(store, entity_id))
    e["denies"] = [p for p in pairs if p["denier"]["source_entity"] == entity_id]
    e["denied_by"] = [p for p in pairs if p["denied"]["source_entity"] == entity_id]
    return e


def iter_export(store: Store, story_id: str | None = None,
                settings: Settings | None = None) -> Iterator[tuple[str, dict[str, Any]]]:
    """``("article", dict)`` for each article, then ``("story", dict)`` for each story.

    Streams one article at a time, so exporting a large database does not hold it in
    memory. With ``story_id``, only that story and its articles. ``settings`` (default:
    :meth:`Settings.load`, read once) govern every dossier, as in :func:`story_json`.

    Raises:
        UnknownIdError: ``story_id`` is given and unknown.
    """
    settings = settings or Settings.load()
    if story_id is not None:
        story = story_json(store, story_id, settings)
        article_ids, story_ids = [a["id"] for a in story["articles"]], [story_id]
    else:
        article_ids, story_ids = store.article_ids(), queries.all_story_ids(store)
    for aid in article_ids:
        art = store.load_article(aid)
        if art is not None:
            yield "article", article_json(store, art)
    for sid in story_ids:
        yield "story", story if story_id is not None else story_json(store, sid, settings)


def export_document(store: Store, story_id: str | None = None, settings: Settings | None = None) -> dict[str, Any]:
    """The export object: every article and story (or one story and its articles).

    Validated by ``khabar/schema/export.schema.json``.

    Raises:
        UnknownIdError: ``story_id`` is given and unknown.
    """
    doc: dict[str, Any] = {"khabar_version": khabar.__version__, "articles": [], "stories": []}
    for kind, obj in iter_export(store, story_id, settings):
        doc[_PLURAL[kind]].append(obj)
    return doc


def search_json(store: Store, query: str, limit: int = 50) -> dict[str, Any]:
    """Full-text search: ``{query, groups, results}``.

    ``groups`` says how the folded query was read: one ``{alternatives, entity_ids}`` per
    part, ``alternatives`` being the phrases searched (entity variants included).
    ``results`` are those of :func:`khabar.store.search.search_groups`.

    Raises:
        KhabarError: ``limit`` outside [1, 1000].
    """
    from khabar.store import search

    if not 1 <= limit <= 1000:
        raise KhabarError(f"limit must be in [1, 1000], got {limit}")
    groups = search.parse_query(store.conn, query)
    return {
        "query": query,
        "groups": [{"alternatives": [" ".join(a) for a in g.alternatives], "entity_ids": list(g.entity_ids)}
                   for g in groups],
        "results": search.search_groups(store.conn, groups, limit),
    }
