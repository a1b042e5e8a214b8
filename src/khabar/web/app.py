"""The FastAPI app: HTML pages and a JSON API, both thin views over :mod:`khabar.dossier`.

Each request opens its own :class:`Store` (SQLite in WAL mode), so the UI can
read while an analysis writes. Every response carries a Content-Security-Policy
that allows only same-origin resources and no inline script; article text is
rendered through autoescaping templates. Pages are in :mod:`khabar.web.pages`,
JSON routes in :mod:`khabar.web.api`; every page has a JSON twin.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from khabar import dossier
from khabar.errors import KhabarError
from khabar.settings import Settings
from khabar.store import Store
from khabar.store.search import index_pending
from khabar.web import STATIC_DIR, i18n, template_env
from khabar.web.cache import ReadCache
from khabar.web.deps import BadRequestError, PayloadTooLargeError
from khabar.web.jobs import JobRunner

log = logging.getLogger(__name__)

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
UPLOAD_PATHS = ("/analyse", "/api/analyse")


def create_app(db_path: Path, *, settings: Settings | None = None) -> FastAPI:
    """Build the web app over the database at ``db_path``.

    Pages: ``/`` (stories; ``since``, ``until``, ``outlet``, ``entity``, ``sort``, ``limit``,
    ``offset``), ``/story/{id}``, ``/article/{id}?hl=START-END``, ``/entity/{id}``,
    ``/search?q=``, ``/analyse`` (upload form), ``/jobs/{id}`` (progress). JSON: the same
    under ``/api/...`` plus ``/api/filters``, ``POST /api/analyse`` and ``/api/jobs/{id}``;
    the schema is at ``/api/openapi.json``. ``?lang=en`` switches the labels to English
    (remembered in a cookie). Articles not yet in the search index are indexed here.

    Raises:
        StoreError: the database cannot be opened or migrated.
    """
    from khabar.web import api, pages  # late: the routers import this module's siblings

    settings = settings or Settings.load()
    web = settings.section("web")
    busy_ms = int(settings.get("store", "busy_timeout_ms"))
    with Store(db_path, busy_timeout_ms=busy_ms) as store:  # fail now, not on the first request
        added = index_pending(store.conn)
    if added:
        log.info("indexed %d articles for search", added)
    app = FastAPI(title="khabar", version=_version(), docs_url=None, redoc_url=None, openapi_url="/api/openapi.json",
                  description="Arabic news dossiers: stories, claims x sources, entities, search. Offsets are"
                              " character offsets into an article's cleaned_text, half-open.")
    app.mount("/static", StaticFiles(directory=str(STATIC_DIR)), name="static")
    app.state.db_path = db_path
    app.state.busy_timeout_ms = busy_ms
    app.state.settings = settings
    app.state.web = web
    app.state.env = template_env()
    app.state.jobs = JobRunner(db_path, settings)
    app.state.cache = ReadCache(db_path, busy_timeout_ms=busy_ms, max_entries=int(web["cache_entries"]))
    app.include_router(api.router)
    app.include_router(pages.router)
    _install_handlers(app, int(web["max_upload_bytes"]))
    threading.Thread(target=_warm, args=(db_path, busy_ms, app.state.cache), name="khabar-warm", daemon=True).start()
    return app


def _warm(db_path: Path, busy_ms: int, cache: ReadCache) -> None:
    """Build what the first requests would otherwise wait for, in the background.

    Search's entity-variant index (~5 s at 30k articles) and the story list's filter
    menus (a pass over every mention) are built on first use and kept until the store
    changes; building them at start-up spares the first reader that wait. A failure
    here only logs: the request that needs them builds them again.
    """
    from khabar.store.search import warm_variant_index
    from khabar.web.api import cached_filter_options

    try:
        with Store(db_path, busy_timeout_ms=busy_ms) as store:
            warm_variant_index(store.conn)
            cached_filter_options(cache, store)
    except Exception:  # noqa: BLE001 - a warm-up must never take the server down
        log.warning("warm-up of the search index and filter menus failed", exc_info=True)


def _version() -> str:
    import khabar

    return khabar.__version__


def render_error(request: Request, status: int, message: str) -> Response:
    """The one error renderer: JSON under ``/api/``, else an HTML page in the request's language."""
    if request.url.path.startswith("/api/"):
        return JSONResponse({"error": message, "status": status}, status_code=status)
    lang = i18n.pick_lang(request.query_params.get("lang"), request.cookies.get(i18n.COOKIE))
    env = request.app.state.env
    body = env.get_template("error.html").render(status=status, message=message, switch_url="/", **i18n.context(lang))
    return HTMLResponse(body, status_code=status)


def _install_handlers(app: FastAPI, max_upload: int) -> None:
    @app.middleware("http")
    async def guard(request: Request, call_next: Any) -> Response:
        if request.method == "POST" and request.url.path in UPLOAD_PATHS:
            length = request.headers.get("content-length")
            if length is None or not length.isdigit():
                response = render_error(request, 411, "uploads need a Content-Length header")
            elif int(length) > max_upload:
                response = render_error(request, 413, f"upload of {int(length)} bytes is over the limit of"
                                                      f" {max_upload} bytes ([web] max_upload_bytes)")
            else:
                response = await call_next(request)
        else:
            response = await call_next(request)
        response.headers["Content-Security-Policy"] = CSP
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        lang = request.query_params.get("lang")
        if lang in i18n.LANGS and lang != request.cookies.get(i18n.COOKIE):
            response.set_cookie(i18n.COOKIE, lang, max_age=365 * 86400, samesite="lax", httponly=True)
        return response

    @app.exception_handler(dossier.UnknownIdError)
    async def unknown_id(request: Request, exc: dossier.UnknownIdError) -> Response:
        return render_error(request, 404, exc.reason)

    @app.exception_handler(BadRequestError)
    async def bad_request(request: Request, exc: BadRequestError) -> Response:
        return render_error(request, 400, exc.reason)

    @app.exception_handler(PayloadTooLargeError)
    async def too_large(request: Request, exc: PayloadTooLargeError) -> Response:
        return render_error(request, 413, exc.reason)

    @app.exception_handler(KhabarError)
    async def khabar_error(request: Request, exc: KhabarError) -> Response:
        log.error("%s: %s", request.url.path, exc)
        return render_error(request, 500, exc.reason + (f" ({exc.hint})" if exc.hint else ""))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        return render_error(request, exc.status_code, str(exc.detail))

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        msg = "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors())
        return render_error(request, 422, msg)
