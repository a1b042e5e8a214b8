"""HTML pages: each renders the same dict its ``/api`` twin returns, plus view helpers."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse

from khabar import dossier
from khabar.store import queries
from khabar.web import i18n, matrix_view
from khabar.web.api import entity_page, filter_options, story_dossier, story_list
from khabar.web.deps import FiltersDep, LangDep, Limit, Offset, StoreDep, parse_hl, save_uploads

router = APIRouter(include_in_schema=False)


def render(request: Request, lang: str, name: str, **ctx: Any) -> HTMLResponse:
    """Render template ``name`` with the language's labels and a link to the other language."""
    other = "en" if lang == "ar" else "ar"
    switch = str(request.url.include_query_params(lang=other).replace(scheme="", netloc=""))
    env = request.app.state.env
    return HTMLResponse(env.get_template(name).render(switch_url=switch, **i18n.context(lang), **ctx))


@router.get("/", response_class=HTMLResponse)
def index(request: Request, store: StoreDep, lang: LangDep, filters: FiltersDep,
          limit: Limit = 50, offset: Offset = 0) -> HTMLResponse:
    page = story_list(request, store, filters, limit, offset)
    entity_name = queries.entity_names(store, [filters.entity]).get(filters.entity or "", filters.entity)

    def url(**change: Any) -> str:
        params = {k: v for k, v in (filters.as_kwargs() | {"limit": limit, "offset": offset} | change).items() if v}
        return str(request.url.replace_query_params(**params).replace(scheme="", netloc=""))

    options = filter_options(request, store)
    return render(request, lang, "index.html", page=page, url=url, entity_name=entity_name,
                  outlets=options["outlets"], entities=options["entities"])


@router.get("/story/{story_id}", response_class=HTMLResponse)
def story(request: Request, story_id: str, store: StoreDep, lang: LangDep,
          matrix: Annotated[str, Query(pattern="^(top|all)$", description="top: the claims most sources speak to; all")] = "top") -> HTMLResponse:
    def page() -> bytes:
        st = story_dossier(request, store, story_id)
        removed = queries.removed_counts(store, [a["id"] for a in st["articles"]])
        limit = 0 if matrix == "all" else int(request.app.state.web["matrix_claims"])
        view = matrix_view(st["matrix"], limit)
        # The evidence section lists the claims the matrix shows: a big story's other
        # hundreds of one-source claims made a 760 KB page (issue #9); ?matrix=all has them.
        shown = {c["id"] for c in view["claims"]}
        claims = [c for c in st["claims"] if c["id"] in shown] if view["hidden"] else st["claims"]
        return bytes(render(request, lang, "story.html", story={**st, "matrix": view, "claims": claims},
                            removed=removed).body)

    # The rendered page, until the store changes: a big dossier's matrix and evidence take
    # ~20 ms to render. Keyed on the query too, since the language switch link repeats it.
    key = ("story-page", story_id, matrix, lang, request.url.query)
    return HTMLResponse(request.app.state.cache.get(key, page))


@router.get("/article/{article_id}", response_class=HTMLResponse)
def article(request: Request, article_id: str, store: StoreDep, lang: LangDep,
            hl: Annotated[str | None, Query(description="START-END: evidence to highlight")] = None) -> HTMLResponse:
    art = dossier.load_article_json(store, article_id)
    span = parse_hl(hl, len(art["cleaned_text"]))
    sentence = None
    if span is not None:
        sents = queries.sentence_spans(store, [article_id]).get(article_id, [])
        sentence = dossier.evidence_sentence(art["cleaned_text"], sents, *span) if sents else None
    return render(request, lang, "article.html", article=art, hl=span, sentence=sentence)


@router.get("/entity/{entity_id}", response_class=HTMLResponse)
def entity(request: Request, entity_id: str, store: StoreDep, lang: LangDep) -> HTMLResponse:
    return render(request, lang, "entity.html", entity=entity_page(request, store, entity_id))


@router.get("/search", response_class=HTMLResponse)
def search(request: Request, store: StoreDep, lang: LangDep,
           q: Annotated[str, Query(max_length=500)] = "") -> HTMLResponse:
    found = dossier.search_json(store, q, int(request.app.state.web["search_limit"])) if q.strip() else None
    return render(request, lang, "search.html", q=q, found=found)


@router.get("/analyse", response_class=HTMLResponse)
def analyse_form(request: Request, lang: LangDep) -> HTMLResponse:
    return render(request, lang, "analyse.html", max_mb=int(request.app.state.web["max_upload_bytes"]) / 2**20)


@router.post("/analyse")
async def analyse_upload(request: Request, files: Annotated[list[UploadFile], File()]) -> RedirectResponse:
    web = request.app.state.web
    folder, paths = await save_uploads(files, int(web["max_upload_bytes"]), int(web["max_upload_files"]))
    job = request.app.state.jobs.submit(folder, paths)
    return RedirectResponse(f"/jobs/{job.id}", status_code=303)


@router.get("/jobs/{job_id}", response_class=HTMLResponse)
def job(request: Request, job_id: str, lang: LangDep) -> HTMLResponse:
    j = request.app.state.jobs.get(job_id)
    if j is None:
        raise dossier.UnknownIdError(f"no analysis job {job_id!r} (jobs are forgotten when the server restarts)")
    return render(request, lang, "job.html", job=j.to_json())
