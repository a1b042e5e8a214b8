"""The web UI and JSON API over a hand-filled database file."""

from __future__ import annotations

import html as htmllib
import re
from pathlib import Path

import jsonschema
import pytest
from fastapi.testclient import TestClient
from test_dossier import TEXT_B, at, fill_store, sub_schema

from khabar.dossier import STANCE_LABELS
from khabar.store import Store
from khabar.web.app import create_app


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> TestClient:
    db = tmp_path_factory.mktemp("web") / "khabar.db"
    with Store(db) as s:
        fill_store(s)
    return TestClient(create_app(db))


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
    assert f'class="stance st-deny" data-stance="deny"' in r.text
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
    assert "syndicated" in details
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
    assert r.text.count('class="stance st-') == 3


def test_web_api_json_validates(client: TestClient) -> None:
    st = client.get("/api/story/S1").json()
    jsonschema.validate(st, sub_schema("story"))
    art = client.get(f"/api/article/{'a' * 64}").json()
    jsonschema.validate(art, sub_schema("article"))
    assert art["cleaned_text"][art["attributions"][0]["content"]["start"]:art["attributions"][0]["content"]["end"]] \
        == art["attributions"][0]["content"]["text"]
    rows = client.get("/api/stories", params={"limit": 1}).json()
    assert len(rows) == 1 and rows[0]["id"] == "S1" and rows[0]["contested"] is True
    ent = client.get("/api/entity/E2").json()
    assert [s["stance"] for s in ent["statements"]] == ["deny"]


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
