"""The CLI through Typer's CliRunner: arguments, exit codes, one-line errors."""

from __future__ import annotations

import json

import jsonschema
from typer.testing import CliRunner

from khabar.cli import app
from khabar.export import load_schema
from khabar.store import Store

runner = CliRunner()

TEXT = """الحكومة تعلن خطة لدعم المزارعين

أعلنت وزارة الزراعة اليوم خطة لدعم المزارعين المتضررين من الجفاف بقيمة مئة مليون دينار.
وقال وزير الزراعة فؤاد الحكيم إن "الخطة تشمل تعويضات مباشرة لكل مزارع متضرر".
"""


def test_help_lists_commands():
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    for cmd in ("analyze", "stories", "story", "export", "serve", "eval", "train"):
        assert cmd in result.output


def test_analyze_then_stories_story_and_export(tmp_path):
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "bad.json").write_text('{"title": "x", ', encoding="utf-8")
    db = tmp_path / "k.db"
    result = runner.invoke(app, ["analyze", str(tmp_path), "--db", str(db), "--no-embeddings"])
    assert result.exit_code == 3, result.output  # bad.json skipped: "partial"
    assert "1 analysed" in result.output and "1 skipped" in result.output
    assert "bad.json" in result.output
    with Store(db) as store:
        (story_id,) = [s["id"] for s in store.stories()]
    listing = runner.invoke(app, ["stories", "--db", str(db)])
    assert listing.exit_code == 0 and story_id in listing.output
    shown = runner.invoke(app, ["story", story_id, "--db", str(db)])
    assert shown.exit_code == 0 and "الحكيم" in shown.output
    exported = runner.invoke(app, ["export", "--db", str(db), "--format", "json"])
    assert exported.exit_code == 0
    doc = json.loads(exported.output)
    jsonschema.validate(doc, load_schema())
    assert doc["articles"][0]["path"].endswith("a.txt")
    short = "s" + str(int(story_id[1:]))  # "s1", as `story` accepts it
    one = runner.invoke(app, ["export", "--db", str(db), "--format", "json", "--story", short])
    assert one.exit_code == 0, one.output
    assert [s["id"] for s in json.loads(one.output)["stories"]] == [story_id]
    assert runner.invoke(app, ["export", "--db", str(db), "--story", "S77"]).exit_code == 2


def test_unknown_story_is_one_line_error(tmp_path):
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    db = tmp_path / "k.db"
    runner.invoke(app, ["analyze", str(tmp_path / "a.txt"), "--db", str(db), "--no-embeddings"])
    result = runner.invoke(app, ["story", "S9999", "--db", str(db)])
    assert result.exit_code == 2
    assert "S9999" in result.output and "Traceback" not in result.output


def test_missing_database_says_what_to_do(tmp_path):
    result = runner.invoke(app, ["stories", "--db", str(tmp_path / "none.db")])
    assert result.exit_code == 2 and "khabar analyze" in result.output


def test_all_inputs_bad_exits_nonzero(tmp_path):
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    result = runner.invoke(app, ["analyze", str(tmp_path), "--db", str(tmp_path / "k.db"), "--no-embeddings"])
    assert result.exit_code == 1 and "empty.txt" in result.output


def test_bad_field_mapping_is_rejected(tmp_path):
    result = runner.invoke(app, ["analyze", str(tmp_path), "--db", str(tmp_path / "k.db"), "--field", "title"])
    assert result.exit_code != 0 and "NAME=SOURCE_FIELD" in result.output


def test_eval_json_output_has_metric_keys(tmp_path):
    gold = tmp_path / "aliases.tsv"
    gold.write_text("بوتين\tبوتن\tsame\nبوتين\tبوش\tdifferent\n", encoding="utf-8")
    result = runner.invoke(app, ["eval", "aliases", str(gold), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert {"precision", "recall", "f1"} <= set(data)


def test_eval_pairs_json_has_metric_keys(tmp_path):
    csv = tmp_path / "pairs.csv"
    csv.write_text("s1,s2,stance\n"
                   "الوزير يعلن زيادة الأجور,الحكومة ترفع الأجور,agree\n"
                   "الوزير يعلن زيادة الأجور,الوزير ينفي زيادة الأجور,disagree\n", encoding="utf-8")
    result = runner.invoke(app, ["eval", "pairs", str(csv), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert {"precision", "recall", "f1", "macro_f1", "accuracy"} <= set(data)
    assert 0.0 <= data["f1"] <= 1.0


def test_cli_help_shows_settings_sections_literally() -> None:
    # rich reads "[web]" as markup and dropped it: "Bind address (default  host: ...)"
    out = runner.invoke(app, ["serve", "--help"], env={"COLUMNS": "200"}).output
    assert "[web] host" in out and "[web] port" in out


def test_cli_nothing_to_read_exits_1_and_a_typo_creates_no_store(tmp_path):
    (tmp_path / "empty").mkdir()
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "notes.md").write_text("# notes", encoding="utf-8")
    for folder in ("empty", "other"):  # nothing of a supported type: not a success
        res = runner.invoke(app, ["analyze", str(tmp_path / folder), "--db", str(tmp_path / f"{folder}.db"),
                                  "--no-embeddings", "--workers", "1"])
        assert res.exit_code == 1 and "nothing analysed" in res.output, res.output
    res = runner.invoke(app, ["analyze", str(tmp_path / "nope.txt"), "--db", str(tmp_path / "typo.db"),
                              "--no-embeddings", "--workers", "1"])
    assert res.exit_code == 1 and "nope.txt" in res.output and not (tmp_path / "typo.db").exists()


def test_cli_a_missing_path_beside_a_good_one_counts_as_skipped(tmp_path):
    good = tmp_path / "a.txt"
    good.write_text("وزارة الصحة تنفي\nنفت وزارة الصحة اليوم ما تداولته مواقع التواصل عن تأجيل العام الدراسي.",
                    encoding="utf-8")
    res = runner.invoke(app, ["analyze", str(tmp_path / "nope.txt"), str(good), "--db", str(tmp_path / "k.db"),
                              "--no-embeddings", "--workers", "1"])
    assert res.exit_code == 3, res.output
    flat = "".join(res.output.split())
    assert "1analysed" in flat and "1skipped" in flat and flat.count("nope.txt") == 1


def test_cli_an_unknown_field_name_is_refused(tmp_path):
    res = runner.invoke(app, ["analyze", str(tmp_path), "--db", str(tmp_path / "k.db"), "--field", "lead=body"])
    assert res.exit_code == 2 and "content" in res.output


def test_cli_text_names_the_article_text_in_a_field_mapping(tmp_path):
    import json
    import sqlite3

    src = tmp_path / "a.json"
    src.write_text(json.dumps([{"headline": "وزارة الصحة تنفي", "body": "نفت وزارة الصحة اليوم ما تداولته مواقع التواصل "
                                "عن تأجيل العام الدراسي."}], ensure_ascii=False), encoding="utf-8")
    db = tmp_path / "k.db"
    res = runner.invoke(app, ["analyze", str(src), "--db", str(db), "--no-embeddings", "--workers", "1",
                              "--field", "text=body", "--field", "title=headline"])
    assert res.exit_code == 0, res.output
    (text,) = sqlite3.connect(db).execute("SELECT text FROM articles").fetchone()
    assert "تأجيل العام الدراسي" in text


def test_cli_serve_on_a_busy_port_says_which_and_what_to_do(tmp_path):
    import socket

    good = tmp_path / "a.txt"
    good.write_text("وزارة الصحة تنفي\nنفت وزارة الصحة اليوم ما تداولته مواقع التواصل عن تأجيل العام الدراسي.",
                    encoding="utf-8")
    db = tmp_path / "k.db"
    assert runner.invoke(app, ["analyze", str(good), "--db", str(db), "--no-embeddings", "--workers", "1"]).exit_code == 0
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        res = runner.invoke(app, ["serve", "--db", str(db), "--host", "127.0.0.1", "--port", str(port)])
    assert res.exit_code == 2 and f"127.0.0.1:{port}" in res.output and "--port" in res.output
