"""The concept table: words naming one thing read as one token, a user's file extends it, bad files say where."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from khabar.claim_tokens import concept_table, use_concepts, word_token
from khabar.cli import app
from khabar.concepts import ConceptFileError, bundled_concepts, parse_concepts, read_concepts
from khabar.stories import terms_of

runner = CliRunner()

# A Sudanese rumour calls the tuk-tuks ركشات, the traffic police's denial التكتك: the bundled table
# lists تكتك under توكتوك but not ركشة, so only a user's file brings the two posts together.
PAIR = [
    {"id": "r", "text": "يقولون الركشات رح تنمنع من بكرة 😳 والله ما ندري نمشي كيف",
     "source": "Facebook أخبار الخرطوم", "published": "2043-03-01T09:00:00"},
    {"id": "d", "text": "شرطة المرور: لا صحة لمنع التكتك من السير في شوارع الولاية",
     "source": "X @traffic_sd", "published": "2043-03-01T12:00:00"},
]
USER_FILE = "# my beat\nتوكتوك: ركشة ركشات  # Sudan\n"


@pytest.fixture(autouse=True)
def _bundled_table_after():
    yield
    use_concepts(None)  # the process-wide table back to the bundled one


def test_concepts_parse_groups_and_comments() -> None:
    groups = parse_concepts("# comment\n\nجواز: باسبور جوازات  # passport\n", "x.txt")
    assert [(g.head, g.words, g.source) for g in groups] == [("جواز", ("جواز", "باسبور", "جوازات"), "x.txt:3")]


@pytest.mark.parametrize("line", ["جواز باسبور", ": باسبور", "جواز:", "جواز السفر: باسبور"])
def test_concepts_a_bad_line_names_file_and_line(line: str) -> None:
    with pytest.raises(ConceptFileError, match=r"x\.txt:2"):
        parse_concepts(f"# ok\n{line}\n", "x.txt")


def test_concepts_a_word_under_two_heads_names_both_lines() -> None:
    groups = parse_concepts("جواز: باسبور\nتأشيرة: فيزا باسبور\n", "x.txt")
    with pytest.raises(ConceptFileError, match=r"x\.txt:2.*x\.txt:1"):
        concept_table(groups)


def test_concepts_missing_or_undecodable_file(tmp_path: Path) -> None:
    with pytest.raises(ConceptFileError, match="no such concept file"):
        read_concepts(tmp_path / "none.txt")
    bad = tmp_path / "bad.txt"
    bad.write_bytes("جواز: باسبور".encode("cp1256"))
    with pytest.raises(ConceptFileError, match="bad.txt"):
        read_concepts(bad)


def test_concepts_bundled_table_reads_two_names_as_one_token() -> None:
    assert len(bundled_concepts()) > 50
    assert word_token("الباسبور") == word_token("جواز") == word_token("بجواز")  # a bare ب before a listed word
    assert word_token("الموبايل") == word_token("الجوال")
    assert word_token("البندورة") == word_token("الطماطم")


@pytest.mark.parametrize("word, other", [
    ("لبنان", "الحليب"),  # لبن (milk) was left out: Lebanon is لبن + ان
    ("السيولة", "الفيضانات"),  # سيول (floods) left out: liquidity
    ("تذكر", "التذاكر"),  # a singular's stem is no key: تذكرة -> تذكر (remember)
    ("مظاهر", "المظاهرات"),
    ("الطيارين", "الطائرات"),
    ("يعيش", "الخبز"),  # عيش (bread in Egypt) left out: to live
])
def test_concepts_words_that_only_look_like_a_listed_one_stay_apart(word: str, other: str) -> None:
    assert word_token(word) != word_token(other)


def test_concepts_user_file_extends_and_clears_cached_tokens(tmp_path: Path) -> None:
    user = tmp_path / "beat.txt"
    user.write_text(USER_FILE, encoding="utf-8")
    assert word_token("الركشات") != word_token("التكتك")
    before = terms_of("الركشات", lemmas=True, pronouns=True)
    use_concepts(str(user))
    assert word_token("الركشات") == word_token("التكتك") == word_token("توكتوك")
    assert word_token("توكتوك") in terms_of("الركشات", lemmas=True, pronouns=True) != before  # the memo was cleared
    use_concepts(None)
    assert word_token("الركشات") != word_token("التكتك")


def _stories_and_denial(db: Path) -> tuple[set[str], bool]:
    con = sqlite3.connect(db)
    stories = {r[0] for r in con.execute("SELECT story_id FROM articles")}
    rows = con.execute("SELECT a.path, m.claim_id, m.stance FROM claim_members m JOIN articles a ON a.id = m.article_id").fetchall()
    con.close()
    rumour = {c for p, c, _ in rows if p.endswith(":1")}
    denied = {c for p, c, s in rows if p.endswith(":2") and s == "deny"}
    return stories, bool(rumour & denied)


def test_concepts_analyze_with_a_user_file_links_the_denial(tmp_path: Path) -> None:
    src = tmp_path / "posts.jsonl"
    src.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in PAIR), encoding="utf-8")
    user = tmp_path / "beat.txt"
    user.write_text(USER_FILE, encoding="utf-8")
    args = ["analyze", str(src), "--no-embeddings", "--workers", "1"]
    res = runner.invoke(app, [*args, "--db", str(tmp_path / "plain.db")])
    assert res.exit_code == 0, res.output
    stories, denied = _stories_and_denial(tmp_path / "plain.db")
    assert len(stories) == 2 and not denied
    res = runner.invoke(app, [*args, "--db", str(tmp_path / "user.db"), "--concepts", str(user)])
    assert res.exit_code == 0, res.output
    stories, denied = _stories_and_denial(tmp_path / "user.db")
    assert len(stories) == 1 and denied


def test_concepts_analyze_with_a_bad_file_stops_before_any_work(tmp_path: Path) -> None:
    src = tmp_path / "posts.jsonl"
    src.write_text(json.dumps(PAIR[0], ensure_ascii=False) + "\n", encoding="utf-8")
    bad = tmp_path / "beat.txt"
    bad.write_text("توكتوك: ركشة\nركشة بلا نقطتين\n", encoding="utf-8")
    res = runner.invoke(app, ["analyze", str(src), "--db", str(tmp_path / "k.db"), "--no-embeddings", "--workers", "1",
                              "--concepts", str(bad)])
    assert res.exit_code == 2
    assert "beat.txt:2" in res.output
    assert not (tmp_path / "k.db").exists()
