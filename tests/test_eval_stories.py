"""`khabar eval stories` on a small self-written claims folder in the baly2018 layout."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from khabar.eval import stories as ev

# Two stories told by three pages each, with one spelling of the Russian president per page, and a distractor.
CLAIMS = {
    "R-1": [
        ("بوتين يلتقي أردوغان في سوتشي\nالتقى الرئيس الروسي فلاديمير بوتين نظيره التركي رجب طيب أردوغان في سوتشي "
         "لبحث ملف إدلب وخطوط التماس شمال سوريا.", "agree"),
        ("قمة سوتشي\nبحث بوتن وأردوغان في منتجع سوتشي ملف إدلب ووقف إطلاق النار شمال سوريا.", "discuss"),
        ("لقاء في سوتشي\nقال الكرملين إن فلاديمير بوتين استقبل أردوغان في سوتشي وناقشا إدلب.", "agree"),
        ("أسعار القمح\nارتفعت أسعار القمح في الأسواق العالمية بسبب الجفاف في أستراليا.", "unrelated"),
    ],
    "V-2": [
        ("فيضانات في جدة\nغمرت مياه الأمطار شوارع جدة وأغلقت الأنفاق وعلقت الدراسة في المدارس.", "agree"),
        ("أمطار جدة\nأعلن الدفاع المدني في جدة إغلاق الأنفاق بعد الأمطار الغزيرة وتعليق الدراسة.", "agree"),
        ("سيول جدة\nتسببت السيول في جدة بإغلاق الأنفاق وتعليق الدراسة يوم الأربعاء.", "disagree"),
    ],
}


@pytest.fixture()
def claims_dir(tmp_path: Path) -> Path:
    root = tmp_path / "baly"
    (root / "claims").mkdir(parents=True)
    for cid, pages in CLAIMS.items():
        body = {"id": cid, "claim": "", "fact": "", "article": [p for p, _ in pages], "url": [""] * len(pages),
                "stance": [s for _, s in pages], "rationale": [""] * len(pages)}
        (root / "claims" / f"{cid}.json").write_text(json.dumps(body, ensure_ascii=False), encoding="utf-8")
    (root / "folds.txt").write_text("Fold_1: R-1\nFold_2: V-2\n", encoding="utf-8")
    return root / "claims"


def test_eval_stories_bcubed_counts_scored_articles_only() -> None:
    perfect = ev.bcubed(["a", "a", "b", "z"], ["x", "x", "y", None])
    assert perfect["precision"] == perfect["recall"] == perfect["f1"] == 1.0
    split = ev.bcubed(["a", "b", "c"], ["x", "x", "x"])
    assert split["precision"] == 1.0 and split["recall"] == pytest.approx(1 / 3, abs=1e-4)


def test_eval_stories_entity_layer_resolves_spellings_and_is_cached(claims_dir: Path, tmp_path: Path) -> None:
    stream = ev.load_stream(claims_dir, folds=["1"])
    cache = tmp_path / "cache"
    ids = ev.entity_stream(stream, cache, workers=1)
    by_id = {a.id: e for (a, _), e in zip(stream, ids, strict=True)}
    putin = by_id["R-1#0"] & by_id["R-1#1"]  # بوتين / بوتن: one entity across pages
    assert putin, by_id
    assert len(list(cache.glob("story_entities_*.json"))) == 1
    assert ev.entity_stream(stream, cache, workers=1) == ids  # read back from the cache


def test_eval_stories_with_entities_scores_the_whole_stream(claims_dir: Path, tmp_path: Path) -> None:
    out = ev.evaluate_stories(claims_dir, embed=False, entities=True, cache_dir=tmp_path / "cache")
    assert out["n_articles"] == 6  # the distractor is in the stream, not scored
    assert 0.0 < out["f1"] <= 1.0 and 0.0 < out["precision"] <= 1.0 and 0.0 < out["recall"] <= 1.0
