"""Screenshot of a dossier of the example corpus into docs/dossier.png (for the README).

Usage: .venv/bin/python scripts/screenshot.py [STORY_ID] [OUT.png]
Needs Debian's chromium (scripts/ci_browser_deps.sh) and the playwright package;
analyses examples/corpus into a temporary database and serves it on loopback.
"""

import socket
import sys
import tempfile
import threading
import time
from pathlib import Path

import uvicorn
from playwright.sync_api import sync_playwright

from khabar.pipeline import analyze
from khabar.settings import Settings
from khabar.store import Store
from khabar.web.app import create_app

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]


def main() -> None:
    db = Path(tempfile.mkdtemp()) / "examples.db"
    settings = Settings.load()
    with Store(db) as store:
        print(analyze(["examples/corpus"], store, settings).line())
        story_id = (sys.argv[1] if len(sys.argv) > 1 else "") or store.stories(limit=1)[0]["id"]
    out = sys.argv[2] if len(sys.argv) > 2 else "docs/dossier.png"
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    server = uvicorn.Server(uvicorn.Config(create_app(db, settings=settings), host="127.0.0.1", port=port,
                                           log_level="warning"))
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1500, "height": 1250})
        page.goto(f"http://127.0.0.1:{port}/story/{story_id}")
        page.screenshot(path=out)
        browser.close()
    server.should_exit = True
    print(f"wrote {out} (story {story_id})")


if __name__ == "__main__":
    main()
