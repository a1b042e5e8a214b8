"""Browser tests: Playwright drives Debian's chromium against a live uvicorn server.

The server runs in a thread on 127.0.0.1 over a database filled by hand
(test_dossier.fill_store plus two articles written here); one test uploads a
file through the UI, which runs the real pipeline. Screenshots go to
``out/screenshots/``. Skipped, with the reason, when the ``playwright`` package
or ``/usr/bin/chromium`` is missing (``scripts/ci_browser_deps.sh`` installs it).
"""

from __future__ import annotations

import re
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_dossier import fill_store

from khabar.model import Article, Attribution, Entity, Span, Story
from khabar.settings import Settings
from khabar.store import Store

CHROMIUM = Path("/usr/bin/chromium")
SHOTS = Path(__file__).resolve().parents[1] / "out" / "screenshots"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--no-first-run", "--disable-sync"]

playwright_api = pytest.importorskip("playwright.sync_api", reason="pip package `playwright` is not installed")
if not CHROMIUM.exists():
    pytest.skip(f"{CHROMIUM} not found: run scripts/ci_browser_deps.sh (apt-get install chromium)",
                allow_module_level=True)

# Untrusted article text: if any of it ran, the page title would change and window.pwned be set.
HOSTILE = ("قال مصدر في الشركة إن الصفقة لم تكتمل <script>document.title='pwned';window.pwned=1</script> بعد.\n"
           "وأضاف أن الصورة <img src=x onerror=\"document.title='pwned';window.pwned=2\"> ليست للوزير.")
PUTIN = "قال الرئيس الروسي فلاديمير بوتين إن بلاده مستعدة للحوار بشأن تبادل الأسرى مع جيرانها."


def hand_articles() -> list[Article]:
    h = Article(id="h" * 64, path="h.txt", raw=HOSTILE, text=HOSTILE, title="صفقة <b>الشركة</b>", source="موقع المرصد",
                published="2024-06-01", story_id="S3")
    p = Article(id="p" * 64, path="p.txt", raw=PUTIN, text=PUTIN, title="بوتين والحوار", source="وكالة الرافد",
                published="2024-06-02", story_id="S4")
    s = PUTIN.index("فلاديمير بوتين")
    p.add("entities", [Span(s, s + len("فلاديمير بوتين"), "PER", "test", "EP")])
    c = PUTIN.index("بلاده")
    p.attributions = [Attribution(cue=Span(0, 3, "CUE"), content=Span(c, len(PUTIN) - 1, "CONTENT"),
                                  speaker=Span(4, s + len("فلاديمير بوتين"), "SPEAKER", "test", "EP"))]
    return [h, p]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    import uvicorn

    from khabar.web.app import create_app

    db = tmp_path_factory.mktemp("browser") / "khabar.db"
    with Store(db) as store:
        fill_store(store)
        with store.transaction():
            store.insert_articles(hand_articles(), run_id=None)
            store.save_entities([Entity("EP", "فلاديمير بوتين", "PER", {"فلاديمير بوتين", "بوتين"})])
            store.save_story(Story("S3", "صفقة الشركة"), run_id=None)
            store.save_story(Story("S4", "بوتين والحوار"), run_id=None)
    settings = Settings.load()
    settings.values["embeddings"]["enabled"] = False  # no model download, no embedder in tests
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(db, settings=settings), host="127.0.0.1", port=port,
                                           log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.time() + 20
    while not server.started and time.time() < deadline:
        time.sleep(0.05)
    assert server.started, "uvicorn did not start within 20 s"
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(10)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    SHOTS.mkdir(parents=True, exist_ok=True)
    with playwright_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser: object, base_url: str) -> Iterator[object]:
    ctx = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=base_url, locale="ar")
    pg = ctx.new_page()
    pg.dialogs = []
    pg.on("dialog", lambda d: (pg.dialogs.append(d.message), d.dismiss()))
    yield pg
    ctx.close()


def test_browser_story_list_dossier_and_matrix_cell(page: object) -> None:
    page.goto("/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    item = page.locator(".story-item", has_text="فتح المعبر يوم الأحد")
    assert item.locator(".badge.conflict").is_visible()
    page.screenshot(path=str(SHOTS / "stories.png"), full_page=True)
    item.locator("a.story-link").click()
    page.wait_for_url(re.compile(r"/story/S1$"))
    assert page.locator("svg.timeline circle").count() == 3
    page.screenshot(path=str(SHOTS / "dossier.png"), full_page=True)
    cell = page.locator('table.matrix a[data-stance="deny"]')
    assert cell.inner_text() == "ينفي"
    cell.click()
    page.wait_for_url(re.compile(r"/article/b{64}\?hl=\d+-\d+#hl$"))
    mark = page.locator("mark#hl")
    assert mark.inner_text() == "يكون المعبر سيفتح يوم الأحد"
    assert mark.is_visible() and mark.evaluate("m => m.parentElement.className") == "sent"
    assert "نفى المتحدث باسم الجيش" in page.locator("article.text mark.sent").inner_text()
    page.screenshot(path=str(SHOTS / "evidence.png"))


def test_browser_search_dropped_vowel(page: object) -> None:
    page.goto("/")
    page.fill('.searchbox input[name="q"]', "بوتن")
    page.press('.searchbox input[name="q"]', "Enter")
    page.wait_for_url(re.compile(r"/search\?q="))
    marks = page.locator(".result .snippet mark").all_inner_texts()
    assert any("بوتين" in m for m in marks) and "بوتن" not in " ".join(page.locator(".results").all_inner_texts())
    assert "بوتين" in page.locator(".expanded").inner_text()
    page.screenshot(path=str(SHOTS / "search.png"), full_page=True)


def test_browser_hostile_text_shown_not_run(page: object) -> None:
    page.goto(f"/article/{'h' * 64}")
    body = page.locator("article.text").inner_text()
    assert "<script>document.title='pwned'" in body and 'onerror="document.title' in body
    assert page.locator("article.text script, article.text img").count() == 0
    assert page.evaluate("window.pwned") is None
    assert "pwned" not in page.title() and page.dialogs == []
    assert "<b>الشركة</b>" in page.locator("h1").inner_text()  # the title is escaped too


def test_browser_english_switch(page: object) -> None:
    page.goto("/story/S1")
    page.click("a.lang")
    page.wait_for_url(re.compile(r"lang=en"))
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator('table.matrix a[data-stance="deny"]').inner_text() == "denies"
    page.goto("/")  # the cookie keeps English
    assert page.locator("h1").inner_text().startswith("Stories")


def test_browser_upload_analyses_and_shows_progress(page: object, tmp_path: Path) -> None:
    # The hostile text goes through the real pipeline this time: ingest, clean, store, index.
    f = tmp_path / "hostile-upload.txt"
    f.write_text("تسريب عن صفقة الموانئ\n\n" + HOSTILE.replace("الشركة", "شركة الموانئ") * 2, encoding="utf-8")
    page.goto("/analyse")
    page.set_input_files('input[name="files"]', str(f))
    page.click('form.upload button[type="submit"]')
    page.wait_for_url(re.compile(r"/jobs/[0-9a-f]{32}$"))
    # The page's own script polls /api/jobs/ID and sets data-state (a selector wait: the CSP forbids eval).
    page.locator('#job[data-state="done"], #job[data-state="failed"]').wait_for(timeout=45000)
    page.screenshot(path=str(SHOTS / "upload-done.png"))
    assert page.locator("#job").get_attribute("data-state") == "done", page.locator("#job-result").inner_text()
    assert page.locator("#job-progress").get_attribute("value") == page.locator("#job-progress").get_attribute("max")
    page.locator(".job-stories a").first.click()
    page.wait_for_url(re.compile(r"/story/"))
    page.locator(".articles a", has_text="تسريب").first.click()
    page.wait_for_url(re.compile(r"/article/"))
    assert "<script>" in page.locator("article.text").inner_text()
    assert page.evaluate("window.pwned") is None and "pwned" not in page.title() and page.dialogs == []
