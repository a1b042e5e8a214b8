"""The web UI and JSON API over a hand-filled database file."""

from __future__ import annotations

import html as htmllib
import re
from pathlib import Path

import jsonschema
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from test_dossier import TEXT_B, at, fill_store, sub_schema

from khabar.dossier import STANCE_LABELS
from khabar.store import Store
from khabar.web.app import create_app


@pytest.fixture(scope="module")
def app(filled_db: Path) -> FastAPI:
    return create_app(filled_db)  # the store is not indexed for search: create_app indexes what is missing


@pytest.fixture
def client(app: FastAPI) -> TestClient:
    return TestClient(app)  # one per test: the language cookie does not leak between tests


def matrix_cells(page: str) -> dict[tuple[str, str], list[str]]:
    """``{(claim text, source): [stances]}`` read back from the rendered matrix table."""
    table = page[page.index('<table class="matrix">'): page.index("</table>")]
    sources = [htmllib.unescape(x) for x in re.findall(r'<th scope="col"><bdi>(.*?)</bdi></th>', table)]
    out = {}
    for row in re.findall(r"<tr>(.*?)</tr>", table, re.S)[1:]:
        claim = htmllib.unescape(re.search(r'<th scope="row" class="claim-text">(.*?)</th>', row).group(1))
        for src, td in zip(sources, re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)):
            out[(claim, src)] = re.findall(r'data-stance="(\w+)"', td)
    return out


def test_web_index_lists_stories_with_conflict_badge(client: TestClient) -> None:
    r = client.get("/")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert '<html lang="ar" dir="rtl">' in r.text
    items = re.findall(r'<li class="story-item".*?</li>', r.text, re.S)
    assert len(items) == 2
    s1 = next(i for i in items if "/story/S1" in i)
    s2 = next(i for i in items if "/story/S2" in i)
    assert "فتح المعبر يوم الأحد" in s1 and "badge conflict" in s1
    assert "badge conflict" not in s2
    assert "<bdi>3</bdi> مقال" in s1


def test_web_story_matrix_cells_have_stances(client: TestClient) -> None:
    r = client.get("/story/S1")
    assert r.status_code == 200
    cells = matrix_cells(r.text)
    assert cells[("المعبر سيفتح يوم الأحد", "الجيش")] == ["deny"]
    assert cells[("المعبر سيفتح يوم الأحد", "سامي الخطيب")] == ["assert"]
    assert cells[("الاتفاق صامد", "الجيش")] == []
    assert cells[("الاتفاق صامد", "سامي الخطيب")] == ["assert", "confirm"]
    # Colour plus a text label: the Arabic word is inside the coloured link.
    assert 'class="stance st-deny" data-stance="deny"' in r.text
    assert re.search(rf'data-stance="deny"[^>]*>{STANCE_LABELS["deny"]}</a>', r.text)


def test_web_story_cell_links_to_highlighted_evidence(client: TestClient) -> None:
    page = client.get("/story/S1").text
    s, e = at(TEXT_B, "يكون المعبر سيفتح يوم الأحد")
    href = f"/article/{'b' * 64}?hl={s}-{e}#hl"
    assert f'href="{href}"' in page
    art = client.get(href.split("#")[0])
    assert art.status_code == 200
    assert '<mark id="hl">يكون المعبر سيفتح يوم الأحد</mark>' in art.text


def test_web_story_folds_duplicates_and_lists_variants(client: TestClient) -> None:
    page = client.get("/story/S1").text
    details = re.search(r'<details class="copies">(.*?)</details>', page, re.S).group(1)
    assert f"/article/{'d' * 64}" in details and f"/article/{'a' * 64}" not in details
    assert "إعادة نشر لخبر وكالة" in details and "syndicated" not in details  # the relation in the page's language
    assert "syndicated wire" in client.get("/story/S1?lang=en").text
    assert "<bdi>الخطيب</bdi>، <bdi>سامي الخطيب</bdi>" in page


def test_web_article_escapes_script_and_lists_removed(client: TestClient) -> None:
    r = client.get(f"/article/{'b' * 64}")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in r.text
    assert "<script>alert" not in r.text
    a = client.get(f"/article/{'a' * 64}").text
    assert "breadcrumb" in a and "الرئيسية &gt; أخبار" in a


def test_web_no_inline_script_and_security_headers(client: TestClient) -> None:
    for path in ("/", "/story/S1", f"/article/{'b' * 64}", "/entity/E1", "/api/stories", "/story/nope",
                 "/static/app.js", "/static/style.css"):
        r = client.get(path)
        csp = r.headers["content-security-policy"]
        assert "default-src 'self'" in csp and "'unsafe-inline'" not in csp, path
        assert r.headers["x-content-type-options"] == "nosniff", path
        if r.headers["content-type"].startswith("text/html"):
            assert not re.search(r"<script(?![^>]*\bsrc=)", r.text), path


def test_web_bad_highlight_is_400(client: TestClient) -> None:
    assert client.get(f"/article/{'b' * 64}?hl=5-2").status_code == 400
    assert client.get(f"/article/{'b' * 64}?hl=0-99999").status_code == 400
    assert client.get(f"/article/{'b' * 64}?hl=x").status_code == 400


def test_web_entity_page(client: TestClient) -> None:
    r = client.get("/entity/E1")
    assert r.status_code == 200
    assert "Sami al-Khatib" in r.text and "/story/S1" in r.text
    statements = r.text[r.text.index('class="members statements"'):]
    statements = statements[:statements.index("</ul>")]
    assert statements.count('class="stance st-') == 3
    # Who denies whom: the army denies what E1 said; E1 denies nobody.
    denied_by = r.text[r.text.index("من ينفي ما قاله"):]
    assert "<bdi>الجيش</bdi>" in denied_by and "المعبر سيفتح يوم الأحد" in denied_by
    assert "<bdi>الجيش</bdi>" not in r.text[r.text.index("ما ينفيه"):r.text.index("من ينفي ما قاله")]


def test_web_api_json_validates(client: TestClient) -> None:
    st = client.get("/api/story/S1").json()
    jsonschema.validate(st, sub_schema("story"))
    art = client.get(f"/api/article/{'a' * 64}").json()
    jsonschema.validate(art, sub_schema("article"))
    assert art["cleaned_text"][art["attributions"][0]["content"]["start"]:art["attributions"][0]["content"]["end"]] \
        == art["attributions"][0]["content"]["text"]
    page = client.get("/api/stories", params={"limit": 1}).json()
    rows = page["stories"]
    assert page["total"] == 2 and len(rows) == 1 and rows[0]["id"] == "S1" and rows[0]["contested"] is True
    ent = client.get("/api/entity/E2").json()
    assert [s["stance"] for s in ent["statements"]] == ["deny"]
    assert [(d["denier"]["source_entity"], d["denied"]["source_entity"]) for d in ent["denies"]] == [("E2", "E1")]
    assert ent["denied_by"] == []


def test_web_404_html_or_json(client: TestClient) -> None:
    for path in ("/api/story/S9", "/api/article/zzz", "/api/entity/E9", "/api/nothing"):
        r = client.get(path)
        assert r.status_code == 404 and r.headers["content-type"] == "application/json", path
        assert "error" in r.json()
    for path in ("/story/S9", "/article/zzz", "/entity/E9", "/nothing"):
        r = client.get(path)
        assert r.status_code == 404 and r.headers["content-type"].startswith("text/html"), path
        assert '<html lang="ar" dir="rtl">' in r.text
    r = client.get("/api/stories", params={"limit": 0})
    assert r.status_code == 422 and "limit" in r.json()["error"]


# ---- story list: filters, sort, pagination -----------------------------------------
def list_ids(client: TestClient, **params: object) -> list[str]:
    return [s["id"] for s in client.get("/api/stories", params=params).json()["stories"]]


def test_web_story_list_filters_and_sort(client: TestClient) -> None:
    assert list_ids(client) == ["S1", "S2"]  # size: S1 has 3 articles
    assert list_ids(client, sort="recent") == ["S2", "S1"]  # S2 is from May
    assert list_ids(client, since="2024-04-01") == ["S2"]
    assert list_ids(client, until="2024-03-01") == ["S1"]
    assert list_ids(client, since="2024-03-02", until="2024-03-02") == ["S1"]  # overlap, not containment
    assert list_ids(client, outlet="قناة الغد") == ["S1"]
    assert list_ids(client, outlet="صحيفة الشروق") == ["S1", "S2"]
    assert list_ids(client, entity="E2") == ["S1"]
    assert list_ids(client, entity="E2", since="2024-04-01") == []
    # Empty form fields are "no filter"; bad values are errors naming the field.
    assert list_ids(client, since="", outlet="", entity="") == ["S1", "S2"]
    r = client.get("/api/stories", params={"since": "March"})
    assert r.status_code == 400 and "since" in r.json()["error"]
    assert client.get("/api/stories", params={"sort": "alpha"}).status_code == 422


def test_web_story_list_page_pagination_and_entities(client: TestClient) -> None:
    page = client.get("/", params={"limit": 1}).text
    assert page.count('class="story-item"') == 1
    assert 'rel="next" href="/?sort=size&amp;limit=1&amp;offset=1"' in page and 'rel="prev"' not in page
    second = client.get("/", params={"limit": 1, "offset": 1}).text
    assert "/story/S2" in second and "/story/S1" not in second and 'rel="prev"' in second and 'rel="next"' not in second
    # Top entities link to the entity filter; the filter keeps the other parameters.
    item = re.search(r'<li class="story-item".*?</li>', client.get("/").text, re.S).group(0)
    assert 'href="/?entity=E1&amp;sort=size&amp;limit=50"' in item and "<bdi>سامي الخطيب</bdi>" in item
    filtered = client.get("/", params={"entity": "E2"}).text
    assert "/story/S1" in filtered and "/story/S2" not in filtered
    assert '<option value="E2" selected>' in filtered
    assert "لا قصص تطابق التصفية" in client.get("/", params={"since": "2030-01-01"}).text


# ---- dossier extras -------------------------------------------------------------
def test_web_story_timeline_svg(client: TestClient) -> None:
    page = client.get("/story/S1").text
    svg = re.search(r'<svg class="timeline".*?</svg>', page, re.S).group(0)
    assert len(re.findall(r"<circle ", svg)) == 3  # three dated articles
    assert svg.count('href="/article/') == 3
    assert len(re.findall(r'<circle [^>]*fill="#ffffff"', svg)) == 1  # the syndicated copy is hollow
    assert "2024-03-01" in svg and "2024-03-02" in svg
    assert "style=" not in svg and "<script" not in svg
    # Time runs right to left in Arabic: the later day sits further left.
    xs = {d: float(x) for x, d in re.findall(r'<text x="([\d.]+)"[^>]*direction="ltr">(\d{4}-\d\d-\d\d)</text>', svg)}
    assert xs["2024-03-02"] < xs["2024-03-01"]
    en = client.get("/story/S1", params={"lang": "en"}).text
    xs_en = {d: float(x) for x, d in re.findall(r'<text x="([\d.]+)"[^>]*direction="ltr">(\d{4}-\d\d-\d\d)</text>', en)}
    assert xs_en["2024-03-02"] > xs_en["2024-03-01"]


def test_web_story_denials_and_removed_link(client: TestClient) -> None:
    page = client.get("/story/S1").text
    den = re.search(r'<ul class="denials">(.*?)</ul>', page, re.S).group(1)
    assert re.search(r"<bdi>الجيش</bdi></strong> <span class=\"stance st-deny\">.*?<bdi>سامي الخطيب</bdi>", den)
    assert f'href="/article/{"a" * 64}#removed"><bdi>2</bdi>' in page
    st = client.get("/api/story/S1").json()
    assert [(d["denier"]["source"], d["denied"]["source"], d["claim_id"]) for d in st["denials"]] == \
        [("الجيش", "سامي الخطيب", "C1")]


def test_web_article_highlights_sentence_and_evidence(client: TestClient) -> None:
    s, e = at(TEXT_B, "يكون المعبر سيفتح يوم الأحد")
    page = client.get(f"/article/{'b' * 64}", params={"hl": f"{s}-{e}"}).text
    page = page[page.index('<article class="text"'):]
    sent = re.search(r'<mark class="sent">.*?<mark id="hl">.*?</mark>.*?</mark>', page, re.S)
    # The evidence sentence is the whole first line of TEXT_B, escaped, with the evidence inside.
    inner = sent.group(0)
    assert '<mark id="hl">يكون المعبر سيفتح يوم الأحد</mark>' in inner
    assert htmllib.unescape(re.sub(r"</?mark[^>]*>", "", inner)) == TEXT_B.split("\n")[0]
    assert "نفى المتحدث" in inner and "وأكد" not in inner


def test_web_removed_blocks_viewable(client: TestClient) -> None:
    page = client.get(f"/article/{'a' * 64}").text
    removed = page[page.index('id="removed"'):]
    assert removed.count("<details>") == 2 and "اشترك في النشرة" in removed


# ---- language -----------------------------------------------------------------------
def test_web_english_labels_by_query_then_cookie(tmp_path: Path) -> None:
    db = tmp_path / "k.db"
    with Store(db) as s:
        fill_store(s)
    c = TestClient(create_app(db))
    ar = c.get("/story/S1")
    assert '<html lang="ar" dir="rtl">' in ar.text and "مصفوفة الادعاءات" in ar.text
    en = c.get("/story/S1", params={"lang": "en"})
    assert '<html lang="en" dir="ltr">' in en.text and "Claims matrix" in en.text and ">denies</a>" in en.text
    assert "lang=en" in en.headers["set-cookie"]
    # The cookie keeps English on the next page; article text is still shown as written.
    again = c.get(f"/article/{'b' * 64}")
    assert '<html lang="en" dir="ltr">' in again.text and "Attributed statements" in again.text
    assert "نفى المتحدث باسم الجيش" in again.text
    assert '<html lang="ar" dir="rtl">' in c.get("/", params={"lang": "ar"}).text
    assert '<html lang="ar"' in c.get("/", params={"lang": "xx"}).text  # unknown: the cookie (now ar)


def test_web_label_tables_match() -> None:
    from khabar.web.i18n import LABELS

    assert LABELS["ar"].keys() == LABELS["en"].keys()
    assert all(LABELS["en"][k] != LABELS["ar"][k] for k in LABELS["ar"] if k not in ("brand",))


# ---- search ---------------------------------------------------------------------------
def test_web_search_page_and_api(client: TestClient) -> None:
    r = client.get("/api/search", params={"q": "الخطيب"})
    body = r.json()
    assert body["groups"][0]["entity_ids"] == ["E1"]
    assert "سامي الخطيب" in body["groups"][0]["alternatives"]
    arts = {x["article_id"][0] for x in body["results"] if x["kind"] == "article"}
    assert arts == {"a", "b", "d"}
    page = client.get("/search", params={"q": "المعبر"}).text
    assert page.count('<li class="result">') >= 3
    assert "<mark>المعبر</mark>" in page
    assert client.get("/api/search", params={"q": ""}).status_code == 422
    assert "لا نتائج" in client.get("/search", params={"q": "طائرة"}).text


# ---- upload -------------------------------------------------------------------------
def test_web_upload_rejects_big_odd_and_empty(tmp_path: Path) -> None:
    from khabar.settings import Settings

    settings = Settings.load()
    settings.values["web"]["max_upload_bytes"] = 2000
    db = tmp_path / "u.db"
    c = TestClient(create_app(db, settings=settings))
    big = {"files": ("big.txt", ("خبر " * 1000).encode(), "text/plain")}
    r = c.post("/api/analyse", files=big)
    assert r.status_code == 413 and "max_upload_bytes" in r.json()["error"]
    r = c.post("/analyse", files=big)
    assert r.status_code == 413 and r.headers["content-type"].startswith("text/html")
    r = c.post("/api/analyse", files={"files": ("x.exe", b"MZ", "application/octet-stream")})
    assert r.status_code == 400 and "unsupported" in r.json()["error"]
    assert c.post("/api/analyse").status_code == 422
    assert c.get("/api/jobs/nope").status_code == 404
    assert "multipart/form-data" in c.get("/analyse").text


# ---- OpenAPI ---------------------------------------------------------------------------
def test_web_openapi_documents_every_api_route(client: TestClient) -> None:
    spec = client.get("/api/openapi.json").json()
    assert spec["openapi"].startswith("3.")
    paths = spec["paths"]
    want = {"/api/stories": "get", "/api/filters": "get", "/api/story/{story_id}": "get",
            "/api/article/{article_id}": "get", "/api/entity/{entity_id}": "get", "/api/search": "get",
            "/api/analyse": "post", "/api/jobs/{job_id}": "get", "/api/check": "get"}
    assert set(paths) == set(want)  # pages are not in the API schema
    for path, method in want.items():
        op = paths[path][method]
        assert op.get("summary") and op.get("description"), path
    params = {p["name"]: p for p in paths["/api/stories"]["get"]["parameters"]}
    assert {"since", "until", "outlet", "entity", "sort", "limit", "offset"} <= params.keys()
    assert all(params[n].get("description") for n in ("since", "until", "outlet", "entity", "sort"))
    body = paths["/api/analyse"]["post"]["requestBody"]["content"]
    assert "multipart/form-data" in body
    # Every route of the API router is in the schema.
    from khabar.web.api import router

    assert {r.path for r in router.routes} == set(want)


# ---- load (issue #9): cached story list, batched queries ------------------------------------
def test_web_story_list_cache_is_dropped_after_a_write(tmp_path: Path) -> None:
    from khabar.model import Story

    db = tmp_path / "khabar.db"
    with Store(db) as s:
        fill_store(s)
    app = create_app(db)
    client = TestClient(app)
    assert client.get("/api/stories").json()["total"] == 2
    assert client.get("/api/stories").json()["total"] == 2
    assert app.state.cache.hits >= 1  # the second list came from the cache
    with Store(db) as s, s.transaction():  # another connection writes: S2's article moves to a new story S3
        s.save_story(Story("S3", "قصة جديدة", ""), run_id=None)
        s.conn.execute("UPDATE articles SET story_id = 'S3' WHERE story_id = 'S2'")
    ids = [x["id"] for x in client.get("/api/stories").json()["stories"]]
    assert ids == ["S1", "S3"]
    assert "/story/S3" in client.get("/").text



def test_web_dossier_and_entity_pages_cached_until_a_write(tmp_path: Path) -> None:
    db = tmp_path / "khabar.db"
    with Store(db) as s:
        fill_store(s)
    app = create_app(db)
    client = TestClient(app)
    first = client.get("/api/story/S1").json()
    hits = app.state.cache.hits
    assert client.get("/api/story/S1").json() == first and "المعبر سيفتح يوم الأحد" in client.get("/story/S1").text
    client.get("/api/entity/E1")
    client.get("/entity/E1")
    assert app.state.cache.hits >= hits + 3  # the second dossier, its HTML twin and the entity page's twin
    with Store(db) as s, s.transaction():  # another connection rewrites a claim's wording
        s.conn.execute("UPDATE claims SET text = 'المعبر سيبقى مغلقا' WHERE id = 'C1'")
    assert "المعبر سيبقى مغلقا" in {c["text"] for c in client.get("/api/story/S1").json()["claims"]}
    assert "المعبر سيبقى مغلقا" in client.get("/story/S1").text
    assert client.get("/api/story/nope").status_code == 404

def test_web_story_list_top_entities_batched_like_single(tmp_path: Path) -> None:
    from khabar.store import queries

    with Store(tmp_path / "k.db") as s:
        fill_store(s)
        batched = queries.stories_top_entities(s, ["S1", "S2", "nope"], 2)
        for sid in ("S1", "S2"):
            single = [{k: v for k, v in e.items() if k not in ("variants", "articles", "roles")}
                      for e in queries.story_top_entities(s, sid, 2)]
            assert batched.get(sid, []) == single
        assert "nope" not in batched and len(batched["S1"]) == 2
        # Filters count all of a story's articles, and the total survives a page past the end.
        rows, total = queries.story_rows(s, outlet="قناة الغد", limit=1, offset=5)
        assert rows == [] and total == 1
        rows, total = queries.story_rows(s, entity_id="E1")
        assert [r["id"] for r in rows] == ["S1"] and rows[0]["n_articles"] == 3 and total == 1


def test_web_matrix_view_keeps_claims_most_sources_speak_to() -> None:
    from khabar.web import matrix_view

    def cell(claim: str, source: str, stance: str = "assert") -> dict:
        return {"claim_id": claim, "source": source, "stance": stance, "article_id": "a", "start": 0, "end": 1}

    matrix = {
        "claims": [{"id": c, "text": c} for c in ("C1", "C2", "C3", "C4")],
        "sources": ["وزارة الصحة", "نقابة الأطباء", "صحيفة الغد", "مدون"],
        "cells": [cell("C1", "مدون"),
                  cell("C2", "وزارة الصحة"), cell("C2", "نقابة الأطباء"),
                  cell("C3", "صحيفة الغد"), cell("C3", "وزارة الصحة", "deny"),
                  cell("C4", "صحيفة الغد")],
    }
    view = matrix_view(matrix, 2)
    # two sources each; C3 is contested (asserted and denied) so it ranks first among equals, order kept on the page
    assert [c["id"] for c in view["claims"]] == ["C2", "C3"] and view["hidden"] == 2
    assert view["sources"] == ["وزارة الصحة", "نقابة الأطباء", "صحيفة الغد"]  # "مدون" speaks only to hidden C1
    assert {c["claim_id"] for c in view["cells"]} == {"C2", "C3"}
    assert matrix_view(matrix, 1)["claims"] == [{"id": "C3", "text": "C3"}]
    assert matrix_view(matrix, 0)["claims"] == matrix["claims"] and matrix_view(matrix, 0)["hidden"] == 0


def test_web_story_matrix_param_checked(client: TestClient) -> None:
    sid = client.get("/api/stories").json()["stories"][0]["id"]
    assert client.get(f"/story/{sid}", params={"matrix": "all"}).status_code == 200
    assert client.get(f"/story/{sid}", params={"matrix": "<x>"}).status_code == 422


def test_web_story_page_lists_only_the_matrix_claims_until_all_asked(filled_db: Path) -> None:
    from khabar.settings import Settings

    settings = Settings.load()
    settings.values["web"]["matrix_claims"] = 1
    c = TestClient(create_app(filled_db, settings=settings))
    top = c.get("/story/S1").text
    # C1 has more sources than C2: only C1 in the matrix and in the evidence section, and a link to all
    assert top.count('<section class="claim">') == 1 and "المعبر سيفتح يوم الأحد" in top
    assert "الاتفاق صامد" not in top and 'href="?matrix=all"' in top
    every = c.get("/story/S1", params={"matrix": "all"}).text
    assert every.count('<section class="claim">') == 2 and "الاتفاق صامد" in every


def test_web_start_up_warms_the_search_index_and_filter_menus(tmp_path: Path) -> None:
    import threading

    from khabar.store import search

    db = tmp_path / "warm.db"
    with Store(db) as s:
        fill_store(s)
    search._INDEXES.clear()
    app = create_app(db)
    for t in threading.enumerate():
        if t.name == "khabar-warm":
            t.join(30)
    assert any(key[0] == str(db) for key in search._INDEXES)  # built before any search
    hits = app.state.cache.hits
    TestClient(app).get("/")
    assert app.state.cache.hits == hits + 1  # the first page found its filter menus ready (the page itself: misses)
