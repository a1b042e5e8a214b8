"""`khabar eval posts`: pairs alone and mixed, with a pair that fails and a wrong file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from khabar.errors import KhabarError
from khabar.eval.posts import evaluate_posts

ROWS = [
    {"id": "a", "text": "تعليق الدراسة في جميع مدارس محافظة الجيزة الأسبوع المقبل", "source": "تويتر/@x", "published": "2026-12-01T08:00:00"},
    {"id": "a-reply", "text": "محافظة الجيزة: لا صحة لتعليق الدراسة بالمدارس", "source": "تويتر/@giza", "published": "2026-12-01T11:00:00"},
    # a reply about something else: not the rumour's story, nothing denied
    {"id": "b", "text": "رفع أسعار تذاكر القطارات إلى 50 جنيها الشهر المقبل", "source": "فيسبوك/y", "published": "2026-12-02T08:00:00"},
    {"id": "b-reply", "text": "افتتاح معرض الكتاب الدولي في موعده بمشاركة ألف ناشر", "source": "تويتر/@fair", "published": "2026-12-02T10:00:00"},
]


def _write(tmp_path: Path, rows: list[dict]) -> Path:
    path = tmp_path / "posts.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


def test_eval_posts_scores_pairs_alone_and_mixed(tmp_path: Path) -> None:
    res = evaluate_posts(_write(tmp_path, ROWS))
    assert res["pairs"] == 2
    assert res["alone.same_story"] == 0.5 and res["alone.denied"] == 0.5
    assert res["alone.failed"] == "b"
    assert res["mixed.denied"] == 0.5 and res["mixed.merged_stories"] == 0
    assert "mixed.same_story" not in evaluate_posts(_write(tmp_path, ROWS[:2]), mixed=False)


def test_eval_posts_odd_rows_name_the_file(tmp_path: Path) -> None:
    path = _write(tmp_path, ROWS[:3])
    with pytest.raises(KhabarError, match="posts.jsonl: 3 rows"):
        evaluate_posts(path)


def test_eval_posts_a_post_not_stored_fails_its_pair_without_stopping(tmp_path: Path) -> None:
    # a reply with no text is skipped by the analysis: its pair fails, the other pair is still scored
    rows = ROWS[:2] + [dict(ROWS[2]), dict(ROWS[3], text="   ")]
    res = evaluate_posts(_write(tmp_path, rows))
    assert res["alone.failed"] == "b" and res["alone.denied"] == 0.5 and res["mixed.denied"] == 0.5


def test_eval_posts_controls_count_a_reply_that_denies_what_it_must_not(tmp_path: Path) -> None:
    from khabar.eval.posts import evaluate_controls

    # as a control, the first pair (a real denial) is a false denial; the second (another matter) is not
    res = evaluate_controls(_write(tmp_path, ROWS))
    assert res["controls.pairs"] == 2 and res["controls.false_denials"] == 0.5 and res["controls.failed"] == "a"


def test_eval_posts_cli_reports_controls_beside_the_pairs(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from khabar.cli import app

    pairs = _write(tmp_path, ROWS[:2])
    controls = tmp_path / "controls.jsonl"
    controls.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in ROWS[2:]), encoding="utf-8")
    out = CliRunner().invoke(app, ["eval", "posts", str(pairs), "--no-mixed", "--controls", str(controls), "--json"])
    assert out.exit_code == 0, out.output
    res = json.loads(out.output)
    assert res["alone.denied"] == 1.0 and res["controls[controls.jsonl].false_denials"] == 0.0
