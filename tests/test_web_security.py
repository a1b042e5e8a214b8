"""Hostile requests against the web app: malformed, oversized, injected; 4xx answers, never 500.

The app runs over a hand-filled store (``filled_db`` in conftest: ``test_dossier.fill_store``) with
``raise_server_exceptions=False``, so an unhandled error shows as the 500 a
browser would get. SQL and FTS5 injection strings go through every search and
filter parameter; afterwards the store must be unchanged.
"""

from __future__ import annotations

import io
import os
import sqlite3
import tempfile
import time
import zipfile
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from khabar.settings import Settings
from khabar.store import Store
from khabar.web.app import create_app

INJECTIONS = [
    "' OR 1=1 --", "\" OR \"\"=\"", "'; DROP TABLE articles; --", "S1' UNION SELECT sql FROM sqlite_master --",
    "%", "_", "\\", "\x00", "*", "\"", "\"unterminated", "NEAR(المعبر الأحد)", "المعبر OR", "AND", "^المعبر",
    "title:المعبر", "{title body}: x", "(((", ")", "-المعبر", "+", "المعبر*", "a:b:c", "\u202eالمعبر", "ـــ",
    "<script>alert(1)</script>", "../../etc/passwd", "%00", "1e999", "-1", "9" * 400,
]
BAD_IDS = ["../../etc/passwd", "..%2F..%2Fetc%2Fpasswd", "' OR 1=1 --", "S1;DROP TABLE stories", "%00", "٣", "x" * 5000,
           "<img src=x onerror=alert(1)>", "S1%0d%0aSet-Cookie:x=1"]


@pytest.fixture(scope="module")
def db(filled_db: Path) -> Path:
    return filled_db


@pytest.fixture(scope="module")
def app(db: Path) -> FastAPI:
    settings = Settings.load()
    settings.values["web"]["max_upload_bytes"] = 200_000
    return create_app(db, settings=settings)


@pytest.fixture
def client(app: FastAPI) -> TestClient:
    return TestClient(app, raise_server_exceptions=False)


def counts(db: Path) -> dict[str, int]:
    with sqlite3.connect(db) as conn:
        return {t: conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
                for t in ("articles", "stories", "claims", "entities", "attributions")}


def no_500(r: Any, what: str) -> None:
    assert r.status_code < 500, f"{what}: {r.status_code} {r.text[:300]}"


def test_web_security_injection_strings_in_search_and_filters(client: TestClient, db: Path) -> None:
    before = counts(db)
    for s in INJECTIONS:
        for path in ("/search", "/api/search"):
            r = client.get(path, params={"q": s})
            no_500(r, f"{path}?q={s!r}")
            assert r.status_code in (200, 422), (path, s, r.status_code)
        for key in ("outlet", "entity", "since", "until", "sort", "limit", "offset", "lang"):
            for path in ("/", "/api/stories"):
                r = client.get(path, params={key: s})
                no_500(r, f"{path}?{key}={s!r}")
    assert counts(db) == before
    # The query is data, not syntax: quoting characters around a real word still find it.
    for s in ("\"المعبر", "المعبر'", "المعبر*", "(المعبر", "المعبر)", "{المعبر}", "^المعبر"):
        r = client.get("/api/search", params={"q": s})
        assert r.status_code == 200 and r.json()["results"], s
    # A filter value that would be true for every row in SQL matches nothing.
    assert client.get("/api/stories", params={"outlet": "' OR 1=1 --"}).json()["total"] == 0


def test_web_security_bad_ids_are_404_or_400(client: TestClient) -> None:
    for bad in BAD_IDS:
        for prefix in ("/story/", "/article/", "/entity/", "/jobs/", "/api/story/", "/api/article/", "/api/entity/",
                       "/api/jobs/"):
            r = client.get(prefix + bad)
            no_500(r, prefix + bad)
            assert 400 <= r.status_code < 500, (prefix, bad, r.status_code)
    r = client.get("/static/../../../../etc/passwd")
    assert r.status_code == 404 and "root:" not in r.text


def test_web_security_bad_numbers_and_ranges(client: TestClient) -> None:
    article = client.get("/api/story/S1").json()["articles"][0]["id"]
    for hl in ("1-", "-1-5", "a-b", "5-3", "99999999999999999999999-1", "0-99999999", "1--2", "١-٢", " ", "-" * 10000):
        r = client.get(f"/article/{article}", params={"hl": hl})
        no_500(r, f"hl={hl!r}")
    for params in ({"limit": "-1"}, {"limit": "0"}, {"limit": "abc"}, {"limit": str(10**30)}, {"offset": "-5"},
                   {"offset": str(10**30)}, {"limit": "1e3"}, {"since": "2024-02-30"}, {"until": "9999-99-99"},
                   {"since": "2024-03-01T00:00"}, {"sort": ""}, {"limit": "1", "offset": str(2**63)}):
        for path in ("/", "/api/stories"):
            r = client.get(path, params=params)
            no_500(r, f"{path} {params}")
    assert client.get("/api/search", params={"q": "x", "limit": "100000"}).status_code == 422


def test_web_security_huge_query_strings_and_headers(client: TestClient) -> None:
    big = "المعبر " * 1500  # ~55 KB of URL-encoded query string (the test client's URL limit is 64 KB)
    for path in ("/search", "/api/search"):
        r = client.get(path, params={"q": big})
        assert r.status_code == 422, (path, r.status_code)
    for key in ("outlet", "entity", "since", "lang"):
        no_500(client.get("/", params={key: big}), f"huge {key}")
    r = client.get("/api/stories", params=[("outlet", "x")] * 2000)
    no_500(r, "repeated parameters")
    r = client.get("/", headers={"Cookie": "khabar_lang=" + "x" * 8000, "Accept-Language": "ar," * 2000})
    assert r.status_code == 200


def test_web_security_methods_not_allowed(client: TestClient) -> None:
    for method, path in (("PUT", "/api/stories"), ("DELETE", "/api/story/S1"), ("POST", "/api/stories"),
                         ("PATCH", "/story/S1"), ("DELETE", "/api/jobs/x")):
        r = client.request(method, path)
        assert r.status_code == 405, (method, path, r.status_code)


def test_web_security_bad_uploads_are_4xx(client: TestClient) -> None:
    cases = [
        ("no body", {"headers": {"Content-Type": "multipart/form-data; boundary=x", "Content-Length": "0"}}),
        ("no boundary", {"content": b"--x\r\n", "headers": {"Content-Type": "multipart/form-data"}}),
        ("garbage multipart", {"content": b"--x\r\nContent-Disposition: form-data; name=files\r\n\r\nabc",
                               "headers": {"Content-Type": "multipart/form-data; boundary=x"}}),
        ("json body", {"json": {"files": ["a.txt"]}}),
        ("text body", {"content": "قال الوزير".encode(), "headers": {"Content-Type": "text/plain"}}),
        ("form not files", {"data": {"files": "a.txt"}}),
        ("odd suffix", {"files": {"files": ("x.exe", b"MZ", "application/octet-stream")}}),
        ("no suffix", {"files": {"files": ("README", b"text", "text/plain")}}),
        ("too big", {"files": {"files": ("big.txt", b"a" * 300_000, "text/plain")}}),
        ("bad length", {"content": b"x", "headers": {"Content-Type": "multipart/form-data; boundary=x",
                                                    "Content-Length": "abc"}}),
    ]
    for path in ("/api/analyse", "/analyse"):
        for what, kw in cases:
            r = client.post(path, **kw)
            no_500(r, f"{path} {what}")
            assert 400 <= r.status_code < 500, (path, what, r.status_code, r.text[:200])


def test_web_security_zip_upload_with_escaping_entries(tmp_path: Path) -> None:
    db = tmp_path / "up.db"
    Store(db).close()
    settings = Settings.load()
    settings.values["embeddings"]["enabled"] = False
    client = TestClient(create_app(db, settings=settings), raise_server_exceptions=False)
    body = "قال وزير النقل إن \"الطريق الجديد يفتح الشهر المقبل\" وأضاف أن الكلفة مليون دينار."
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("ok.txt", "طريق جديد\n" + body)
        zf.writestr("../../khabar-escape-test.txt", body + " ١")
        zf.writestr("/tmp/khabar-escape-abs.txt", body + " ٢")
        link = zipfile.ZipInfo("link.txt")
        link.external_attr = 0o120777 << 16
        zf.writestr(link, "/etc/passwd")
    tmp = Path(tempfile.gettempdir())
    before = set(os.listdir(tmp.parent)) | set(os.listdir(tmp))
    r = client.post("/api/analyse", files={"files": ("../../up\x00load.zip", buf.getvalue(), "application/zip")})
    assert r.status_code == 202, r.text
    job = r.json()["id"]
    for _ in range(600):
        state = client.get(f"/api/jobs/{job}").json()
        if state["state"] in ("done", "failed"):
            break
        time.sleep(0.05)
    assert state["state"] == "done", state
    skipped = {s["path"]: s["reason"] for s in state["summary"]["skipped"]}
    assert state["summary"]["analysed"] == 1
    assert any("../" in p and "refused" in why for p, why in skipped.items()), skipped
    assert any("absolute" in why for why in skipped.values()), skipped
    assert (set(os.listdir(tmp.parent)) | set(os.listdir(tmp))) - before == set()
    assert not (tmp / "khabar-escape-abs.txt").exists() and not (tmp.parent / "khabar-escape-test.txt").exists()
    with sqlite3.connect(db) as conn:
        paths = [p for (p,) in conn.execute("SELECT path FROM articles")]
        raws = [t for (t,) in conn.execute("SELECT raw FROM articles")]
    assert len(paths) == 1 and paths[0].endswith("!ok.txt") and "/" not in paths[0].split("!")[0].rsplit("/", 1)[-1]
    assert not any("root:" in t for t in raws)


def test_web_security_server_binds_to_loopback_by_default(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import uvicorn

    from khabar.cli import app

    assert Settings.load().get("web", "host") == "127.0.0.1"
    runner = CliRunner()
    assert "127.0.0.1" in runner.invoke(app, ["serve", "--help"]).output
    seen: dict[str, Any] = {}
    monkeypatch.setattr(uvicorn, "run", lambda asgi, **kw: seen.update(kw))
    result = runner.invoke(app, ["serve", "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert seen["host"] == "127.0.0.1"


def test_web_security_headers_on_errors_too(client: TestClient) -> None:
    for path in ("/story/nope", "/api/search?q=", "/api/stories?limit=-1"):
        r = client.get(path)
        assert 400 <= r.status_code < 500
        assert "script-src 'self'" in r.headers["content-security-policy"]
        assert r.headers["x-content-type-options"] == "nosniff"
    r = client.get("/story/<script>alert(1)</script>")
    assert "<script>alert(1)</script>" not in r.text
