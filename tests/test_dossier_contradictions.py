"""Conflicting accounts without a denial word, end to end: analysed articles -> story dossier -> web page."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from khabar.dossier import story_json
from khabar.export import load_schema
from khabar.pipeline import analyze
from khabar.settings import Settings
from khabar.store import Store

# Two outlets, one event, two casualty figures; neither denies the other.
FIRST = ("غرق 14 شخصا في انقلاب عبارة بنهر الفرات\n"
         "قال الدفاع المدني إن 14 شخصا غرقوا في انقلاب عبارة تقل ركابا في نهر الفرات قرب مدينة الرقة مساء الخميس.\n")
SECOND = ("غرق 40 شخصا في انقلاب عبارة بنهر الفرات\n"
          "قال مدير مستشفى الرقة الوطني إن 40 شخصا غرقوا في انقلاب عبارة تقل ركابا في نهر الفرات قرب مدينة الرقة مساء الخميس.\n")


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Store:
    folder = tmp_path_factory.mktemp("contra")
    (folder / "first.txt").write_text(FIRST, encoding="utf-8")
    (folder / "second.txt").write_text(SECOND, encoding="utf-8")
    s = Store(folder / "k.db")
    analyze([folder], s, Settings.load(), embed=False)
    return s


def test_dossier_reports_a_changed_number_with_the_spans_that_differ(store: Store) -> None:
    story = max(store.stories(), key=lambda s: s["n_articles"])
    assert story["n_articles"] == 2
    d = story_json(store, story["id"])
    found = [c for c in d["contradictions"] if "number" in c["kinds"]]
    assert len(found) == 1, d["contradictions"]
    c = found[0]
    assert {c["a"]["source"], c["b"]["source"]} == {"الدفاع المدني", "مدير مستشفى الرقة الوطني"}
    figures = set()
    for side in ("a", "b"):
        text = store.load_article(c[side]["article_id"]).text
        assert text[c[side]["start"] : c[side]["end"]] == c[side]["text"]
        diff = next(x[side] for x in c["differences"] if x["kind"] == "number")
        assert text[diff["start"] : diff["end"]] == diff["text"]
        figures.add(diff["text"])
    assert figures == {"14", "40"}
    assert d["contested"]  # two accounts of one toll: contested, whether or not anyone denies
    sub = {**load_schema()["$defs"]["story"], "$defs": load_schema()["$defs"]}
    jsonschema.validate(d, sub)


def test_dossier_page_shows_conflicting_accounts(store: Store, tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    from khabar.web.app import create_app

    story = max(store.stories(), key=lambda s: s["n_articles"])
    client = TestClient(create_app(Path(store.path)))
    html = client.get(f"/story/{story['id']}").text
    part = html[html.index('class="contradictions"'):]
    assert "<mark>14</mark>" in part and "<mark>40</mark>" in part
    assert "Conflicting accounts" in client.get(f"/story/{story['id']}?lang=en").text


def test_terminal_dossier_lists_conflicting_accounts(store: Store) -> None:
    from khabar.export import render_text

    story = max(store.stories(), key=lambda s: s["n_articles"])
    text = render_text(story_json(store, story["id"]))
    part = text[text.index("روايات متعارضة"):]
    assert "14 / 40" in part or "40 / 14" in part
    assert "أول ظهور" in text


def test_server_and_terminal_use_their_config_for_conflicting_accounts(store: Store, tmp_path: Path) -> None:
    """A config that turns the comparison off (``contradiction_max_members = 0``) governs the web dossier, `khabar story` and `khabar export`."""
    from fastapi.testclient import TestClient
    from typer.testing import CliRunner

    from khabar.cli import app
    from khabar.web.app import create_app

    story = max(store.stories(), key=lambda s: s["n_articles"])
    config = tmp_path / "off.toml"
    config.write_text("[claims]\ncontradiction_max_members = 0\n", encoding="utf-8")
    url = f"/api/story/{story['id']}"
    assert TestClient(create_app(Path(store.path))).get(url).json()["contradictions"]
    off = TestClient(create_app(Path(store.path), settings=Settings.load(config))).get(url).json()
    assert off["contradictions"] == [] and off["claims"]
    runner = CliRunner()
    on = runner.invoke(app, ["story", story["id"], "--db", str(store.path)])
    assert on.exit_code == 0 and "روايات متعارضة" in on.output
    res = runner.invoke(app, ["story", story["id"], "--db", str(store.path), "--config", str(config)])
    assert res.exit_code == 0 and "روايات متعارضة" not in res.output, res.output
    exported = {}
    for name, extra in (("on", []), ("off", ["--config", str(config)])):
        out = tmp_path / f"{name}.json"
        res = runner.invoke(app, ["export", "--db", str(store.path), "--story", story["id"], "-o", str(out), *extra])
        assert res.exit_code == 0, res.output
        exported[name] = json.loads(out.read_text(encoding="utf-8"))["stories"][0]["contradictions"]
    assert exported["on"] and exported["off"] == []
