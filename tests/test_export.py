"""Exports: JSON (schema-valid), JSONL, CSV matrix rows, Markdown, offline HTML, terminal text."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import jsonschema
import pytest
from test_dossier import TEXT_B, store, sub_schema  # noqa: F401 (store: the filled-store fixture, shared)

from khabar.dossier import STANCE_LABELS, UnknownIdError, export_document, story_json
from khabar.errors import KhabarError
from khabar.export import CSV_COLUMNS, export, load_schema, render_text
from khabar.store import Store


def run(store: Store, fmt: str, story_id: str | None = None) -> str:
    buf = io.StringIO()
    export(store, fmt, buf, story_id=story_id)  # type: ignore[arg-type]
    return buf.getvalue()


def test_export_json_validates_against_schema(store: Store, tmp_path: Path) -> None:
    out = tmp_path / "export.json"
    export(store, "json", out)
    doc = json.loads(out.read_text(encoding="utf-8"))
    jsonschema.validate(doc, load_schema())
    assert doc == export_document(store)  # the streamed file is the export object
    assert "المعبر" in out.read_text(encoding="utf-8")  # UTF-8, not \u escapes
    assert len(doc["articles"]) == 4 and len(doc["stories"]) == 2


def test_export_jsonl_articles_then_stories(store: Store) -> None:
    lines = [json.loads(x) for x in run(store, "jsonl", "S1").splitlines()]
    assert [x["kind"] for x in lines] == ["article"] * 3 + ["story"]
    for x in lines:
        jsonschema.validate(x, sub_schema(x["kind"]))
    assert lines[-1]["id"] == "S1"


def test_export_csv_one_row_per_matrix_cell(store: Store, tmp_path: Path) -> None:
    rows = list(csv.DictReader(io.StringIO(run(store, "csv"))))
    assert tuple(rows[0].keys()) == CSV_COLUMNS
    assert all(r["outlet"] and r["published"] for r in rows)  # who published each cell, and when
    export(store, "csv", tmp_path / "m.csv")
    assert (tmp_path / "m.csv").read_bytes().startswith(b"\xef\xbb\xbfstory_id,")  # a BOM for Excel
    n_cells = sum(len(story_json(store, s)["matrix"]["cells"]) for s in ("S1", "S2"))
    assert len(rows) == n_cells == 5
    deny = [r for r in rows if r["stance"] == "deny"]
    assert len(deny) == 1 and deny[0]["source"] == "الجيش" and deny[0]["claim_id"] == "C1"
    start, end = int(deny[0]["start"]), int(deny[0]["end"])
    assert TEXT_B[start:end] in deny[0]["evidence"]
    assert deny[0]["evidence"] == TEXT_B.splitlines()[0]  # the whole sentence holding the evidence


def test_export_markdown_who_asserts_and_denies(store: Store) -> None:
    md = run(store, "md", "S1")
    assert md.startswith("# فتح المعبر يوم الأحد\n")
    assert "تعارض" in md
    c1 = md[md.index("### 1."): md.index("### 2.")]
    assert f"**{STANCE_LABELS['deny']}** (deny): الجيش" in c1
    assert f"**{STANCE_LABELS['assert']}** (assert): سامي الخطيب" in c1
    assert "> يكون المعبر سيفتح يوم الأحد" in c1
    # the memo keeps the two things a fact-checker reads first, as the terminal and HTML dossiers do
    who = md[md.index("## من ينفي من"):]
    assert "- الجيش ينفي ما قاله سامي الخطيب" in who
    assert "من ينفي من:" in render_text(story_json(store, "S1")) and "الجيش ينفي ما قاله سامي الخطيب" in render_text(story_json(store, "S1"))


def test_export_markdown_escapes_untrusted_text(store: Store) -> None:
    from khabar.model import Story

    with store.transaction():
        store.save_story(Story("S2", "قمح *وفير* <img src=x>", ""), run_id=None)
    md = run(store, "md", "S2")
    assert md.splitlines()[0] == r"# قمح \*وفير\* \<img src=x\>"


def test_export_html_is_offline_and_escaped(store: Store) -> None:
    html = run(store, "html", "S1")
    assert '<html lang="ar" dir="rtl">' in html
    assert "<style>" in html and "Noto Naskh Arabic" in html
    assert "<script" not in html  # the article's <script> is escaped, and the file has no script
    assert "&lt;script&gt;" in html
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html)
    assert "<link" not in html
    # Every matrix cell links to evidence quoted in the same file.
    targets = re.findall(r'href="#([^"]+)"', html)
    assert len(targets) == 4
    for t in targets:
        assert f'id="{t}"' in html


def test_export_html_all_stories_has_contents(store: Store) -> None:
    html = run(store, "html")
    assert 'href="#story-1"' in html and 'href="#story-2"' in html
    assert "محصول القمح" in html and "فتح المعبر يوم الأحد" in html


def test_export_render_text_lists_stances(store: Store) -> None:
    text = render_text(story_json(store, "S1"))
    assert text.splitlines()[0] == "فتح المعبر يوم الأحد"
    assert f"[{STANCE_LABELS['deny']}] الجيش (قناة الغد): «يكون المعبر سيفتح يوم الأحد»" in text
    # one speaker reported by two outlets: each row names its outlet
    assert f"[{STANCE_LABELS['confirm']}] سامي الخطيب (قناة الغد): «الاتفاق صامد»" in text
    assert "سامي الخطيب (صحيفة الشروق): «الاتفاق مع الجانب الآخر صامد" in text
    # a page of one huge line: the terminal cuts its summary and quotations, at a word
    data = story_json(store, "S1")
    data["summary"] = "كلمة " * 5000
    data["claims"][0]["members"][0]["text"] = "جملة طويلة " * 2000
    long = render_text(data)
    assert max(len(line) for line in long.splitlines()) < 700 and "كلمة …" in long and "طويلة …" in long


def test_export_errors(store: Store) -> None:
    with pytest.raises(KhabarError, match="unknown export format"):
        export(store, "xml", io.StringIO())  # type: ignore[arg-type]
    for fmt in ("json", "csv", "html"):
        with pytest.raises(UnknownIdError):
            export(store, fmt, io.StringIO(), story_id="S9")  # type: ignore[arg-type]


def test_export_empty_store_json_is_valid() -> None:
    with Store(":memory:") as empty:
        doc = json.loads(run(empty, "json"))
        jsonschema.validate(doc, load_schema())
        assert doc["articles"] == [] and doc["stories"] == []
        assert run(empty, "csv").strip() == ",".join(CSV_COLUMNS)


@pytest.mark.parametrize("text, shown", [
    ("«الوضع تحت السيطرة»", "الوضع تحت السيطرة"),  # the memo's «» replace the marks around all of it
    ('الأهالي "يعيشون حالة قلق"', 'الأهالي "يعيشون حالة قلق"'),  # a quotation opened inside keeps its close
    ("لا تأجيل للامتحانات", "لا تأجيل للامتحانات"),
])
def test_export_terminal_memo_keeps_quotation_marks_it_did_not_add(text: str, shown: str) -> None:
    from khabar.export import _unquoted

    assert _unquoted(text) == shown
