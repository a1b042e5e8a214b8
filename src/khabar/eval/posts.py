"""Score rumour posts and their replies: is each reply in the rumour's story, denying its claim?

The input is JSONL in ingest's post format (``id``, ``text``, ``source``,
``published``), rows in pairs: a rumour, then the reply that denies it (the
layout of ``tests/posts/rumours_and_replies.jsonl``). Two settings are scored:

* ``alone``: each pair in a store of its own (what a user checking one rumour sees);
* ``mixed``: all rows in one store, in file order (a day of posts: pairs must not
  merge with each other's stories, nor lose their link).

For each: the share of pairs whose two posts form one story (``same_story``), the
share where the reply is a member denying a claim the rumour is a member of
(``denied``), and, mixed only, the stories holding posts of more than one pair
(``merged_stories``).

:func:`evaluate_controls` scores the other side, pairs whose second post must *not*
deny the first's claim (``tests/posts/near_misses.jsonl``: the authority denies
another rumour of the day; ``tests/posts/confirming_replies.jsonl``): the share of
false denials, each pair alone.
"""

from __future__ import annotations

import json
import sqlite3
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from khabar.errors import KhabarError


def read_pairs(path: Path) -> list[tuple[dict, dict]]:
    """``(rumour, reply)`` rows of a posts JSONL file; an odd row count is an error naming the file."""
    rows = [json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines() if line.strip()]
    if len(rows) % 2:
        raise KhabarError(f"{path}: {len(rows)} rows; expected rumour / reply pairs (an even count)")
    return [(rows[k], rows[k + 1]) for k in range(0, len(rows), 2)]


def _outcome(db: Path, src: Path, rumour_row: int, reply_row: int) -> tuple[str, str, bool]:
    """(rumour's story, reply's story, whether the reply denies a claim of the rumour) in the store ``db``."""
    conn = sqlite3.connect(db)
    try:
        ids = {}
        for row in (rumour_row, reply_row):
            ids[row] = conn.execute("SELECT id, story_id FROM articles WHERE path = ?", (f"{src}:{row}",)).fetchone()
        members = conn.execute("SELECT claim_id, article_id, stance FROM claim_members").fetchall()
    finally:
        conn.close()
    if ids[rumour_row] is None or ids[reply_row] is None:  # skipped (the store's problems say why): a failure
        return f"(row {rumour_row} not stored)", f"(row {reply_row} not stored)", False
    (rumour_id, rumour_story), (reply_id, reply_story) = ids[rumour_row], ids[reply_row]
    claims = {c for c, a, _ in members if a == rumour_id}
    denials = {c for c, a, s in members if a == reply_id and s == "deny"}
    return rumour_story, reply_story, bool(claims & denials)


def _analyze(rows: list[dict], workdir: Path, name: str, *, embed: bool) -> tuple[Path, Path]:
    from khabar.pipeline import analyze
    from khabar.settings import Settings
    from khabar.store import Store

    src = workdir / f"{name}.jsonl"
    src.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    db = workdir / f"{name}.db"
    with Store(db) as store:
        analyze([src], store, Settings.load(), embed=embed)
    return src, db


def _alone(pairs: list[tuple[dict, dict]], work: Path, *, embed: bool) -> Iterator[tuple[dict, bool, bool]]:
    """For each pair analysed in a store of its own: its first row, whether its posts form one story, and
    whether the second denies a claim of the first."""
    for k, (first, second) in enumerate(pairs):
        src, db = _analyze([first, second], work, f"pair{k}", embed=embed)
        a, b, deny = _outcome(db, src, 1, 2)
        yield first, a == b, deny


def evaluate_posts(path: Path, *, embed: bool = False, mixed: bool = True) -> dict[str, Any]:
    """Shares of pairs kept together and denied, alone and (with ``mixed``) all in one store; failing pair ids."""
    pairs = read_pairs(path)
    out: dict[str, Any] = {"pairs": len(pairs)}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        together = denied = 0
        failed: list[str] = []
        for k, (rumour, one_story, deny) in enumerate(_alone(pairs, work, embed=embed)):
            together += one_story
            denied += one_story and deny
            if not (one_story and deny):
                failed.append(str(rumour.get("id", k)))
        out["alone.same_story"] = together / len(pairs) if pairs else 0.0
        out["alone.denied"] = denied / len(pairs) if pairs else 0.0
        out["alone.failed"] = ", ".join(failed)
        if mixed and pairs:
            rows = [r for pair in pairs for r in pair]
            src, db = _analyze(rows, work, "mixed", embed=embed)
            together = denied = 0
            story_pairs: dict[str, set[int]] = {}
            for k in range(len(pairs)):
                a, b, deny = _outcome(db, src, 2 * k + 1, 2 * k + 2)
                together += a == b
                denied += a == b and deny
                story_pairs.setdefault(a, set()).add(k)
                story_pairs.setdefault(b, set()).add(k)
            out["mixed.same_story"] = together / len(pairs)
            out["mixed.denied"] = denied / len(pairs)
            out["mixed.merged_stories"] = sum(1 for ks in story_pairs.values() if len(ks) > 1)
    return out


def evaluate_controls(path: Path, *, embed: bool = False) -> dict[str, Any]:
    """Pairs whose second post must not deny the first's claim, each alone: the share that does, and their ids."""
    pairs = read_pairs(path)
    with tempfile.TemporaryDirectory() as tmp:
        wrong = [str(first.get("id", k)) for k, (first, one_story, deny) in enumerate(_alone(pairs, Path(tmp), embed=embed))
                 if one_story and deny]
    return {"controls.pairs": len(pairs), "controls.false_denials": len(wrong) / len(pairs) if pairs else 0.0,
            "controls.failed": ", ".join(wrong)}
