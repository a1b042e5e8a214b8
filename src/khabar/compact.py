"""Compact in-memory structures for the corpus indexes, which live for a whole run.

At 30,000 articles the story index held ~330 MiB as dicts of strings and
lists; these keep the same values in numpy arrays and ``array('i')`` (see
BENCHMARKS.md), with sums done in the same order so scores stay bit-identical.
"""

from __future__ import annotations

import bisect
from array import array
from collections.abc import Sequence
from typing import Any

import numpy as np


class SparseVec:
    """A sparse float vector over term ids, in insertion order (the order a dict would iterate).

    ``ids`` (int32) and ``w`` (float64) are in insertion order, so Python sums
    over them match the dict-based index bit for bit; a sorted copy of the ids
    and its permutation (built lazily) serve look-ups. 20 bytes a term instead
    of ~100 for a ``dict[str, float]``.
    """

    __slots__ = ("ids", "w", "_sorted", "_perm")

    def __init__(self, ids: np.ndarray | None = None, w: np.ndarray | None = None) -> None:
        self.ids = np.zeros(0, dtype=np.int32) if ids is None else ids
        self.w = np.zeros(0, dtype=np.float64) if w is None else w
        self._sorted: np.ndarray | None = None
        self._perm: np.ndarray | None = None

    def __len__(self) -> int:
        return int(self.ids.size)

    def _index(self, q: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """``(hit mask, position in ids)`` of each query id (position meaningless where no hit)."""
        if self._sorted is None:
            self._perm = np.argsort(self.ids, kind="stable").astype(np.int32)
            self._sorted = self.ids[self._perm]
        p = np.minimum(np.searchsorted(self._sorted, q), self._sorted.size - 1)
        return self._sorted[p] == q, self._perm[p]

    def get_many(self, q: np.ndarray) -> np.ndarray:
        """Weights of the ids ``q`` (0.0 where absent), in ``q``'s order."""
        if not self.ids.size:
            return np.zeros(q.size, dtype=np.float64)
        hit, pos = self._index(q)
        return np.where(hit, self.w[pos], 0.0)

    def dot(self, other: SparseVec) -> float:
        """``sum(w * self.get(t, 0.0) for t, w in other.items())``, summed in ``other``'s order."""
        if not other.ids.size:
            return 0
        return sum((other.w * self.get_many(other.ids)).tolist())

    def add(self, other: SparseVec) -> None:
        """``self[t] = self.get(t, 0.0) + w`` for ``other``'s items; new ids go last, in ``other``'s order."""
        if not other.ids.size:
            return
        if self.ids.size:
            hit, pos = self._index(other.ids)
            if hit.any():
                self.w[pos[hit]] += other.w[hit]
            new = ~hit
            self.ids = np.concatenate([self.ids, other.ids[new]])
            self.w = np.concatenate([self.w, other.w[new]])
        else:
            self.ids, self.w = other.ids.copy(), other.w.copy()
        self._sorted = self._perm = None

    def items(self, vocab: Sequence[str]) -> dict[str, float]:
        """As the dict the state stores: term -> weight, insertion order."""
        return dict(zip([vocab[t] for t in self.ids.tolist()], self.w.tolist(), strict=True))


class Postings:
    """Key (term id or entity id) -> ascending story rows holding it.

    Most keys are in one story: that row is stored as a bare int; more rows
    go in an ``array('i')`` (4 bytes a row, not a list's 36).
    """

    __slots__ = ("_d",)

    def __init__(self) -> None:
        self._d: dict[Any, int | array] = {}

    def insort(self, key: Any, row: int) -> None:
        """``bisect.insort`` of ``row`` into ``key``'s rows."""
        cur = self._d.get(key)
        if cur is None:
            self._d[key] = row
            return
        if isinstance(cur, int):
            cur = self._d[key] = array("i", (cur,))
        bisect.insort(cur, row)

    def append(self, key: Any, row: int) -> None:
        """Add ``row``, known to be after every row of ``key`` (loading)."""
        cur = self._d.get(key)
        if cur is None:
            self._d[key] = row
        elif isinstance(cur, int):
            self._d[key] = array("i", (cur, row))
        else:
            cur.append(row)

    def pop(self, key: Any) -> Sequence[int]:
        """Remove ``key``; its rows (ascending), empty when it had none."""
        cur = self._d.pop(key, None)
        if cur is None:
            return ()
        return (cur,) if isinstance(cur, int) else cur

    def recent(self, key: Any, n: int) -> Sequence[int]:
        """The last ``n`` rows of ``key`` (ascending)."""
        cur = self._d.get(key)
        if cur is None:
            return ()
        if isinstance(cur, int):
            return (cur,)
        return cur[-n:]
