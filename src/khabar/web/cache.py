"""Whole-store read results memoised until the store changes (issue #9: the story list under load).

The story list and its filter menus aggregate over every article and mention
(frequent entities: a pass over all mentions, ~1 s at 31,030 articles), yet they
change only when an analysis commits. :class:`ReadCache` keeps one long-lived
read connection whose ``PRAGMA data_version`` moves whenever any other
connection commits (SQLite's documented change counter), so a cached result is
dropped at the first request after a write: never stale, no timer.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from pathlib import Path
from typing import Any, TypeVar

from khabar.store import Store
from khabar.store import queries

T = TypeVar("T")


class ReadCache:
    """Memoises ``compute()`` results by key for the current version of the store.

    Results are shared between requests: callers must treat them as read-only.
    Thread-safe (FastAPI runs sync routes in a thread pool); two threads missing
    the same key at once both compute it, which is harmless.
    """

    def __init__(self, db_path: Path, *, busy_timeout_ms: int, max_entries: int = 256) -> None:
        if max_entries < 1:
            raise ValueError(f"max_entries must be >= 1, got {max_entries}")
        self._probe = Store(db_path, busy_timeout_ms=busy_timeout_ms)
        self._lock = threading.Lock()
        self._version: int | None = None
        self._items: OrderedDict[Hashable, Any] = OrderedDict()
        self._max = max_entries
        self.hits = 0
        self.misses = 0

    def _current(self) -> int:
        with self._lock:
            version = queries.data_version(self._probe)
            if version != self._version:
                self._items.clear()
                self._version = version
            return version

    def get(self, key: Hashable, compute: Callable[[], T]) -> T:
        """The cached value of ``key``, or ``compute()`` stored under it (least recently used evicted)."""
        version = self._current()
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                self.hits += 1
                return self._items[key]  # type: ignore[no-any-return]
            self.misses += 1
        value = compute()
        with self._lock:
            if self._version == version:  # not if a write landed meanwhile
                self._items[key] = value
                while len(self._items) > self._max:
                    self._items.popitem(last=False)
        return value

    def close(self) -> None:
        self._probe.close()
