"""The JSON API: one route per page (same data), plus uploads and their status.

Every ``{text, start, end}`` object is a half-open range of its article's
``cleaned_text``. Errors are ``{"error", "status"}`` with the HTTP status.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Query, Request, UploadFile
from fastapi.responses import JSONResponse

from khabar import dossier
from khabar.store import Store, queries
from khabar.web.cache import ReadCache
from khabar.web.deps import FiltersDep, Limit, Offset, StoreDep, StoryFilters, save_uploads

router = APIRouter(prefix="/api", tags=["api"])
FILTER_OPTIONS = 100  # outlets and entities offered as story-list filters


@router.get("/stories", summary="Story list (filtered, sorted, paginated)")
def api_stories(request: Request, store: StoreDep, filters: FiltersDep, limit: Limit = 50,
                offset: Offset = 0) -> dict[str, Any]:
    """``{total, limit, offset, sort, filters, stories}``; each story has counts, time span,
    top entities and ``contested`` (one source denies what another asserts)."""
    return story_list(request, store, filters, limit, offset)


@router.get("/filters", summary="Outlets and entities offered as story-list filters")
def api_filters(request: Request, store: StoreDep) -> dict[str, Any]:
    """``{outlets: [{source, n_articles}], entities: [{entity_id, canonical, type, n_stories}]}``."""
    return filter_options(request, store)


def story_list(request: Request, store: Store, filters: StoryFilters, limit: int, offset: int) -> dict[str, Any]:
    """:func:`khabar.dossier.story_list_json`, memoised until the store changes (read-only result)."""
    key = ("stories", *filters.as_kwargs().items(), limit, offset)
    memo = request.app.state.cache.get(("story-rows",), dict)  # per-story decorations, for this version of the store
    return request.app.state.cache.get(key, lambda: dossier.story_list_json(
        store, **filters.as_kwargs(), limit=limit, offset=offset, memo=memo))


def filter_options(request: Request, store: Store) -> dict[str, Any]:
    """Outlets and frequent entities for the story-list filters, memoised until the store changes."""
    return cached_filter_options(request.app.state.cache, store)


def cached_filter_options(cache: ReadCache, store: Store) -> dict[str, Any]:
    """:func:`filter_options` from ``cache`` (a pass over every mention: ~0.5 s at 30k articles)."""
    return cache.get(("filters", FILTER_OPTIONS), lambda: {
        "outlets": queries.outlets(store, FILTER_OPTIONS), "entities": queries.frequent_entities(store, FILTER_OPTIONS)})


def story_dossier(request: Request, store: Store, story_id: str) -> dict[str, Any]:
    """:func:`khabar.dossier.story_json`, memoised until the store changes (read-only result).

    A desk reads the same few big stories over and over, and a big dossier costs
    ~20 ms of CPU to assemble (hundreds of claims with their evidence sentences).
    """
    return request.app.state.cache.get(("story", story_id), lambda: dossier.story_json(store, story_id, request.app.state.settings))


def entity_page(request: Request, store: Store, entity_id: str) -> dict[str, Any]:
    """:func:`khabar.dossier.entity_json`, memoised until the store changes (read-only result)."""
    return request.app.state.cache.get(("entity", entity_id), lambda: dossier.entity_json(store, entity_id))


@router.get("/story/{story_id}", summary="Story dossier")
def api_story(request: Request, story_id: str, store: StoreDep) -> dict[str, Any]:
    """Articles, outlets, top entities, claims with evidence sentences, the claims x sources matrix
    and who denies whom (the ``story`` object of the export schema)."""
    return story_dossier(request, store, story_id)


@router.get("/article/{article_id}", summary="Analysed article")
def api_article(article_id: str, store: StoreDep) -> dict[str, Any]:
    """Cleaned text, entities, attributions and removed boilerplate (the export's ``article``)."""
    return dossier.load_article_json(store, article_id)


@router.get("/entity/{entity_id}", summary="Entity page")
def api_entity(request: Request, entity_id: str, store: StoreDep) -> dict[str, Any]:
    """Variants, roles, stories, statements with stance, ``denies`` and ``denied_by``."""
    return entity_page(request, store, entity_id)


@router.get("/search", summary="Full-text search over articles and statements")
def api_search(store: StoreDep, q: Annotated[str, Query(min_length=1, max_length=500, description="query words")],
               limit: Annotated[int, Query(ge=1, le=1000)] = 50) -> dict[str, Any]:
    """Arabic-folded search; names of known entities also match their other spellings."""
    return dossier.search_json(store, q, limit)


@router.post("/analyse", status_code=202, summary="Upload files or a zip and analyse them in the background")
async def api_analyse(request: Request, files: Annotated[list[UploadFile], File(description="txt, html, json,"
                      " jsonl, rss, atom, xml or zip files")]) -> JSONResponse:
    """Starts an analysis; poll ``/api/jobs/{id}`` (also in the ``Location`` header)."""
    web = request.app.state.web
    folder, paths = await save_uploads(files, int(web["max_upload_bytes"]), int(web["max_upload_files"]))
    job = request.app.state.jobs.submit(folder, paths)
    return JSONResponse(job.to_json(), status_code=202, headers={"Location": f"/api/jobs/{job.id}"})


@router.get("/jobs/{job_id}", summary="Progress of an upload's analysis")
def api_job(job_id: str, request: Request) -> dict[str, Any]:
    """``{id, state (queued|running|done|failed), files, total, processed, summary, error}``."""
    job = request.app.state.jobs.get(job_id)
    if job is None:
        raise dossier.UnknownIdError(f"no analysis job {job_id!r} (jobs are forgotten when the server restarts)")
    return job.to_json()


@router.get("/check", summary="Check a claim: stored claims that support or refute a pasted text")
def api_check(request: Request, store: StoreDep,
              q: Annotated[str, Query(min_length=1, max_length=5000, description="the claim to check (cut to"
                                      " [retrieve] max_query_chars, ~1,000 characters)")],
              limit: Annotated[int, Query(ge=1, le=200)] = 20) -> dict[str, Any]:
    """Stored claims closest in meaning to ``q`` (:func:`khabar.retrieve.check_claim`).

    ``{query, truncated, methods, notes, vectors, results}``; each result has the claim, its
    story, ``score`` / ``cosine`` / ``overlap``, ``relation`` (supports, refutes or related:
    how the stored claim bears on ``q``), a ``summary`` of distinct sources asserting and
    denying and whether a named entity speaks, and ``members`` grouped by stance, most
    accountable voice first, each with ``evidence {article_id, start, end}`` into the
    article's cleaned text. Retrieval by meaning needs claim vectors (``khabar index
    claims``) and ``[embeddings] enabled``; otherwise it is lexical. A blank ``q`` is a 400.
    """
    from khabar.embeddings import make_embedder
    from khabar.retrieve import CheckError, check_claim
    from khabar.web.deps import BadRequestError

    if not q.strip():
        raise BadRequestError("q must contain the text of a claim")
    settings = request.app.state.settings
    embedder = getattr(request.app.state, "check_embedder", None)  # one model per app, made on first use
    if embedder is None:
        embedder = make_embedder(settings.section("embeddings"))
        request.app.state.check_embedder = embedder
    try:
        return check_claim(store, q, embedder=embedder, limit=limit, settings=settings.section("retrieve"))
    except CheckError as exc:
        raise BadRequestError(exc.reason) from exc
