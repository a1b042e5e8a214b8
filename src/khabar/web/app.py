"""The FastAPI app: HTML pages and a JSON API, both thin views over :mod:`khabar.dossier`.

Each request opens its own :class:`Store` (SQLite in WAL mode), so the UI can
read while an analysis writes. Every response carries a Content-Security-Policy
that allows only same-origin resources and no inline script; article text is
rendered through autoescaping templates.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from khabar import dossier
from khabar.errors import KhabarError
from khabar.settings import Settings
from khabar.store import Store
from khabar.web import STATIC_DIR, template_env

log = logging.getLogger(__name__)

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
PAGE_LIMIT_MAX = 500  # most stories one list request returns


class BadRequestError(KhabarError):
    """A query parameter is malformed or out of range (HTTP 400)."""


def _parse_hl(hl: str | None, text_length: int) -> tuple[int, int] | None:
    """``"START-END"`` (cleaned-text offsets, half-open) to a tuple; raises BadRequestError."""
    if not hl:
        return None
    try:
        a, b = (int(x) for x in hl.split("-", 1))
    except ValueError as exc:
        raise BadRequestError(f"hl must be START-END (two integers), got {hl!r}") from exc
    if not 0 <= a <= b <= text_length:
        raise BadRequestError(f"hl must satisfy 0 <= START <= END <= {text_length}, got {hl!r}")
    return a, b


def get_store(request: Request) -> Iterator[Store]:
    """One store per request (closed after it), so no connection is shared between threads."""
    store = Store(request.app.state.db_path, busy_timeout_ms=request.app.state.busy_timeout_ms)
    try:
        yield store
    finally:
        store.close()


# Module level: with postponed annotations FastAPI resolves these names in module globals.
StoreDep = Annotated[Store, Depends(get_store)]
Limit = Annotated[int, Query(ge=1, le=PAGE_LIMIT_MAX)]
Offset = Annotated[int, Query(ge=0)]


def create_app(db_path: Path, *, settings: Settings | None = None) -> FastAPI:
    """Build the web app over the database at ``db_path``.

    Routes: ``/`` (stories), ``/story/{id}``, ``/article/{id}?hl=START-END``,
    ``/entity/{id}``, and the same data as JSON under ``/api/stories``,
    ``/api/story/{id}``, ``/api/article/{id}``, ``/api/entity/{id}``.

    Raises:
        StoreError: the database cannot be opened or migrated.
    """
    settings = settings or Settings.load()
    busy_ms = int(settings.get("store", "busy_timeout_ms"))
    Store(db_path, busy_timeout_ms=busy_ms).close()  # fail now, not on the first request
    env = template_env()
    app = FastAPI(title="khabar", docs_url=None, redoc_url=None, openapi_url="/api/openapi.json")
    app.mount("/static", StaticFiles(directory=str(STATIC_DIR)), name="static")

    app.state.db_path = db_path
    app.state.busy_timeout_ms = busy_ms

    def page(name: str, status_code: int = 200, **ctx: Any) -> HTMLResponse:
        return HTMLResponse(env.get_template(name).render(**ctx), status_code=status_code)

    @app.middleware("http")
    async def security_headers(request: Request, call_next: Any) -> Response:
        response = await call_next(request)
        response.headers["Content-Security-Policy"] = CSP
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        return response

    def error(request: Request, status: int, message: str) -> Response:
        if request.url.path.startswith("/api/"):
            return JSONResponse({"error": message, "status": status}, status_code=status)
        return page("error.html", status, status=status, message=message)

    @app.exception_handler(dossier.UnknownIdError)
    async def unknown_id(request: Request, exc: dossier.UnknownIdError) -> Response:
        return error(request, 404, exc.reason)

    @app.exception_handler(BadRequestError)
    async def bad_request(request: Request, exc: BadRequestError) -> Response:
        return error(request, 400, exc.reason)

    @app.exception_handler(KhabarError)
    async def khabar_error(request: Request, exc: KhabarError) -> Response:
        log.error("%s: %s", request.url.path, exc)
        return error(request, 500, exc.reason + (f" ({exc.hint})" if exc.hint else ""))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        return error(request, exc.status_code, str(exc.detail))

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        msg = "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors())
        return error(request, 422, msg)

    # ---- JSON API ----------------------------------------------------------
    @app.get("/api/stories")
    def api_stories(store: StoreDep, limit: Limit = 50, offset: Offset = 0) -> list[dict[str, Any]]:
        return dossier.stories_json(store, limit, offset)

    @app.get("/api/story/{story_id}")
    def api_story(story_id: str, store: StoreDep) -> dict[str, Any]:
        return dossier.story_json(store, story_id)

    @app.get("/api/article/{article_id}")
    def api_article(article_id: str, store: StoreDep) -> dict[str, Any]:
        return dossier.load_article_json(store, article_id)

    @app.get("/api/entity/{entity_id}")
    def api_entity(entity_id: str, store: StoreDep) -> dict[str, Any]:
        return dossier.entity_json(store, entity_id)

    # ---- HTML pages --------------------------------------------------------
    @app.get("/", response_class=HTMLResponse)
    def index(store: StoreDep, limit: Limit = 50, offset: Offset = 0) -> HTMLResponse:
        return page("index.html", stories=dossier.stories_json(store, limit, offset), limit=limit, offset=offset)

    @app.get("/story/{story_id}", response_class=HTMLResponse)
    def story(story_id: str, store: StoreDep) -> HTMLResponse:
        return page("story.html", story=dossier.story_json(store, story_id))

    @app.get("/article/{article_id}", response_class=HTMLResponse)
    def article(article_id: str, store: StoreDep, hl: str | None = None) -> HTMLResponse:
        art = dossier.load_article_json(store, article_id)
        return page("article.html", article=art, hl=_parse_hl(hl, len(art["cleaned_text"])))

    @app.get("/entity/{entity_id}", response_class=HTMLResponse)
    def entity(entity_id: str, store: StoreDep) -> HTMLResponse:
        return page("entity.html", entity=dossier.entity_json(store, entity_id))

    return app
