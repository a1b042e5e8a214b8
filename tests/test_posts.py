"""Authorities denying rumours in short posts: each rumour and its reply, analysed alone.

``tests/posts/rumours_and_replies.jsonl`` holds 24 rumours, each followed by the
reply that denies it, written for these tests in the styles of X, Facebook and
WhatsApp posts and of site headlines (labels, hashtags, links, spoken register,
cue-last headlines, no-change denials, a clip "filmed elsewhere"). The whole
pipeline runs on each pair in a store of its own: the two posts must form one
story, and the reply must deny the claim the rumour makes.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from khabar.pipeline import analyze
from khabar.settings import Settings
from khabar.store import Store

POSTS = Path(__file__).parent / "posts" / "rumours_and_replies.jsonl"
ROWS = [json.loads(line) for line in POSTS.read_text(encoding="utf-8").splitlines() if line.strip()]
PAIRS = [(ROWS[k], ROWS[k + 1]) for k in range(0, len(ROWS), 2)]
# e5-small does not bring an English post and its Arabic denial together (cosine 0.880; the denial's
# nearest Arabic post is at 0.901), and lexical mode has no shared word: a known limit.
CROSS_LINGUAL = {"posts-r6"}


def _case(pair: tuple[dict, dict]) -> object:
    rumour, _reply = pair
    marks = [pytest.mark.xfail(strict=True, reason="cross-lingual pair")] if rumour["id"] in CROSS_LINGUAL else []
    return pytest.param(pair, id=rumour["id"], marks=marks)


@pytest.mark.parametrize("pair", [_case(p) for p in PAIRS])
def test_posts_reply_denies_the_rumour_in_one_story(pair: tuple[dict, dict], tmp_path: Path) -> None:
    src = tmp_path / "pair.jsonl"
    src.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in pair) + "\n", encoding="utf-8")
    db = tmp_path / "k.db"
    with Store(db) as store:
        analyze([src], store, Settings.load(), embed=False)
    conn = sqlite3.connect(db)
    story = dict(conn.execute("SELECT path, story_id FROM articles").fetchall())
    rumour_id, reply_id = (conn.execute("SELECT id FROM articles WHERE path = ?", (f"{src}:{n}",)).fetchone()[0] for n in (1, 2))
    assert story[f"{src}:1"] == story[f"{src}:2"], "rumour and reply in two stories"
    members = conn.execute("SELECT claim_id, article_id, stance FROM claim_members").fetchall()
    rumour_claims = {c for c, a, _ in members if a == rumour_id}
    denials = {c for c, a, s in members if a == reply_id and s == "deny"}
    assert rumour_claims & denials, f"no denial of the rumour's claim: {members}"
