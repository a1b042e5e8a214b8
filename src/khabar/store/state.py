"""Corpus-stage state and the embedding cache, stored as blobs.

State dicts may hold numpy arrays anywhere; they are written as an ``.npz``
archive whose ``__json__`` entry holds everything else, with each array
replaced by a ``{"__ndarray__": key}`` marker. No pickle: a database from a
stranger must not be able to run code.
"""

from __future__ import annotations

import io
import json
import sqlite3
from collections.abc import Iterator, MutableMapping
from typing import Any

import numpy as np


def encode_state(state: dict[str, Any]) -> bytes:
    arrays: dict[str, np.ndarray] = {}

    def strip(obj: Any) -> Any:
        if isinstance(obj, np.ndarray):
            key = f"a{len(arrays)}"
            arrays[key] = obj
            return {"__ndarray__": key}
        if isinstance(obj, dict):
            return {str(k): strip(v) for k, v in obj.items()}
        if isinstance(obj, (list, tuple)):
            return [strip(v) for v in obj]
        if isinstance(obj, set):
            return {"__set__": [strip(v) for v in sorted(obj, key=str)]}
        if isinstance(obj, np.generic):
            return obj.item()
        return obj

    doc = strip(state)
    buf = io.BytesIO()
    np.savez_compressed(buf, __json__=np.frombuffer(json.dumps(doc, ensure_ascii=False).encode(), dtype=np.uint8), **arrays)
    return buf.getvalue()


def decode_state(blob: bytes) -> dict[str, Any]:
    with np.load(io.BytesIO(blob), allow_pickle=False) as npz:
        arrays = {k: npz[k] for k in npz.files if k != "__json__"}
        doc = json.loads(npz["__json__"].tobytes().decode())

    def restore(obj: Any) -> Any:
        if isinstance(obj, dict):
            if set(obj) == {"__ndarray__"}:
                return arrays[obj["__ndarray__"]]
            if set(obj) == {"__set__"}:
                return {restore(v) for v in obj["__set__"]}
            return {k: restore(v) for k, v in obj.items()}
        if isinstance(obj, list):
            return [restore(v) for v in obj]
        return obj

    return restore(doc)


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
