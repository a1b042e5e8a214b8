"""Request dependencies shared by the pages and the JSON API: store, language, filters, uploads."""

from __future__ import annotations

import re
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, Query, Request, UploadFile

from khabar.errors import KhabarError
from khabar.store import Store
from khabar.web import i18n
from khabar.web.jobs import UPLOAD_SUFFIXES, safe_name

PAGE_LIMIT_MAX = 500  # most stories one list request returns
OFFSET_MAX = 2**31 - 1  # larger offsets overflow SQLite's INTEGER binding (was an HTTP 500)
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_CHUNK = 1 << 20  # bytes read at a time from an upload


class BadRequestError(KhabarError):
    """A query parameter or form field is malformed or out of range (HTTP 400)."""


class PayloadTooLargeError(KhabarError):
    """An upload is over ``[web] max_upload_bytes`` (HTTP 413)."""


class StorySort(str, Enum):
    size = "size"
    recent = "recent"


def get_store(request: Request) -> Iterator[Store]:
    """One store per request (closed after it), so no connection is shared between threads."""
    store = Store(request.app.state.db_path, busy_timeout_ms=request.app.state.busy_timeout_ms)
    try:
        yield store
    finally:
        store.close()


def get_lang(request: Request,
             lang: Annotated[str | None, Query(description="UI language: ar (default) or en; kept in a cookie")] = None,
             ) -> str:
    return i18n.pick_lang(lang, request.cookies.get(i18n.COOKIE))


# Module level: with postponed annotations FastAPI resolves these names in module globals.
StoreDep = Annotated[Store, Depends(get_store)]
LangDep = Annotated[str, Depends(get_lang)]
Limit = Annotated[int, Query(ge=1, le=PAGE_LIMIT_MAX, description="rows per page")]
Offset = Annotated[int, Query(ge=0, le=OFFSET_MAX, description="rows skipped")]


@dataclass(frozen=True)
class StoryFilters:
    """Story-list filters; empty form fields count as absent."""

    since: str | None
    until: str | None
    outlet: str | None
    entity: str | None
    sort: str

    def as_kwargs(self) -> dict[str, Any]:
        return {"since": self.since, "until": self.until, "outlet": self.outlet, "entity": self.entity, "sort": self.sort}


def _day(name: str, value: str | None) -> str | None:
    if not value:
        return None
    if not _DAY.match(value):
        raise BadRequestError(f"{name} must be a day YYYY-MM-DD, got {value!r}")
    return value


def story_filters(
    since: Annotated[str | None, Query(description="YYYY-MM-DD: stories with an article on or after this day")] = None,
    until: Annotated[str | None, Query(description="YYYY-MM-DD: stories with an article on or before this day")] = None,
    outlet: Annotated[str | None, Query(description="stories with an article from this outlet")] = None,
    entity: Annotated[str | None, Query(description="stories mentioning this entity id")] = None,
    sort: Annotated[StorySort, Query(description="size: most articles first; recent: latest article first")]
    = StorySort.size,
) -> StoryFilters:
    return StoryFilters(_day("since", since), _day("until", until), outlet or None, entity or None, sort.value)


FiltersDep = Annotated[StoryFilters, Depends(story_filters)]


def parse_hl(hl: str | None, text_length: int) -> tuple[int, int] | None:
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


async def save_uploads(files: list[UploadFile], max_bytes: int, max_files: int) -> tuple[Path, list[Path]]:
    """Write uploaded files into a new temporary folder; the caller owns (and removes) it.

    Raises:
        BadRequestError: no file, too many files, or a suffix khabar cannot read.
        PayloadTooLargeError: the files together exceed ``max_bytes``.
    """
    files = [f for f in files if f.filename]
    if not files:
        raise BadRequestError("choose at least one file to analyse")
    if len(files) > max_files:
        raise BadRequestError(f"at most {max_files} files per upload ([web] max_upload_files), got {len(files)}")
    for f in files:
        if Path(f.filename or "").suffix.lower() not in UPLOAD_SUFFIXES:
            raise BadRequestError(f"{f.filename}: unsupported file type; expected {' '.join(UPLOAD_SUFFIXES)}")
    folder = Path(tempfile.mkdtemp(prefix="khabar-upload-"))
    paths, total = [], 0
    try:
        for i, f in enumerate(files):
            name = safe_name(f.filename or "", i)
            while (folder / name).exists():
                name = f"{i}-{name}"
            path = folder / name
            with open(path, "wb") as out:
                while chunk := await f.read(_CHUNK):
                    total += len(chunk)
                    if total > max_bytes:
                        raise PayloadTooLargeError(f"upload is over the limit of {max_bytes} bytes ([web] max_upload_bytes)")
                    out.write(chunk)
            paths.append(path)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return folder, paths
