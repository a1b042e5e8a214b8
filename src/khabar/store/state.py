"""Corpus-stage state and the embedding cache, stored as blobs.

State dicts may hold numpy arrays anywhere; they are written as an ``.npz``
archive whose ``__json__`` entry holds everything else, with each array
replaced by a ``{"__ndarray__": key}`` marker. No pickle: a database from a
stranger must not be able to run code.

State is checkpointed when the store has grown by a share since the last save
(see ``khabar.pipeline.Analyzer``), and its encoding cost grows with the corpus: the JSON is built by the C encoder (a ``default``
hook replaces arrays, sets and numpy scalars) and deflated at level 1 into a
``__jsonz__`` entry; arrays are stored uncompressed (MinHash signatures and
embedding sums are close to random bytes, deflating them costs time for
nothing). Blobs written with the older ``__json__`` entry still decode.
"""

from __future__ import annotations

import io
import json
import sqlite3
import zlib
from collections.abc import Iterator, MutableMapping
from typing import Any

import numpy as np


def encode_state(state: dict[str, Any]) -> bytes:
    """Encode ``state`` (JSON-able data, numpy arrays anywhere, sets) as an ``.npz`` blob."""
    arrays: dict[str, np.ndarray] = {}

    def default(obj: Any) -> Any:
        if isinstance(obj, np.ndarray):
            key = f"a{len(arrays)}"
            arrays[key] = obj
            return {"__ndarray__": key}
        if isinstance(obj, (set, frozenset)):
            return {"__set__": sorted(obj, key=str)}
        if isinstance(obj, np.generic):
            return obj.item()
        raise TypeError(f"cannot store {type(obj).__name__} in corpus state")

    try:
        text = json.dumps(state, ensure_ascii=False, default=default, separators=(",", ":"))
    except TypeError:  # e.g. non-string dict keys: walk it in Python, as before
        arrays.clear()
        text = json.dumps(_strip(state, arrays), ensure_ascii=False, separators=(",", ":"))
    packed = np.frombuffer(zlib.compress(text.encode(), _JSON_LEVEL), dtype=np.uint8)
    buf = io.BytesIO()
    np.savez(buf, __jsonz__=packed, **arrays)
    return buf.getvalue()


_JSON_LEVEL = 1  # zlib level for the JSON part: ~4x smaller, 4x faster than level 6


def _strip(obj: Any, arrays: dict[str, np.ndarray]) -> Any:
    """Python-side replacement of arrays, sets and keys, for states the C encoder refuses."""
    if isinstance(obj, np.ndarray):
        key = f"a{len(arrays)}"
        arrays[key] = obj
        return {"__ndarray__": key}
    if isinstance(obj, dict):
        return {str(k): _strip(v, arrays) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_strip(v, arrays) for v in obj]
    if isinstance(obj, (set, frozenset)):
        return {"__set__": [_strip(v, arrays) for v in sorted(obj, key=str)]}
    if isinstance(obj, np.generic):
        return obj.item()
    return obj


def decode_state(blob: bytes) -> dict[str, Any]:
    """Inverse of :func:`encode_state`; markers are replaced while the C parser runs (``object_hook``)."""
    with np.load(io.BytesIO(blob), allow_pickle=False) as npz:
        arrays = {k: npz[k] for k in npz.files if k not in ("__json__", "__jsonz__")}
        if "__jsonz__" in npz.files:
            text = zlib.decompress(npz["__jsonz__"].tobytes()).decode()
        else:  # written before the __jsonz__ entry
            text = npz["__json__"].tobytes().decode()

    def hook(obj: dict[str, Any]) -> Any:
        if len(obj) == 1:
            if "__ndarray__" in obj:
                return arrays[obj["__ndarray__"]]
            if "__set__" in obj:
                return set(obj["__set__"])
        return obj

    return json.loads(text, object_hook=hook)


class EmbeddingCache(MutableMapping[str, bytes]):
    """The ``embeddings`` table as a mapping from text hash to float32 bytes."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def __getitem__(self, key: str) -> bytes:
        row = self.conn.execute("SELECT vector FROM embeddings WHERE hash = ?", (key,)).fetchone()
        if row is None:
            raise KeyError(key)
        return bytes(row[0])

    def __setitem__(self, key: str, value: bytes) -> None:
        self.conn.execute("INSERT OR REPLACE INTO embeddings(hash, vector) VALUES (?, ?)", (key, value))

    def __delitem__(self, key: str) -> None:
        self.conn.execute("DELETE FROM embeddings WHERE hash = ?", (key,))

    def __iter__(self) -> Iterator[str]:
        return (r[0] for r in self.conn.execute("SELECT hash FROM embeddings"))

    def __len__(self) -> int:
        return self.conn.execute("SELECT COUNT(*) FROM embeddings").fetchone()[0]
