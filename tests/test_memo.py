"""khabar.memo.Generations: a bounded per-word memo that keeps the words in use."""

from __future__ import annotations

import pytest

from khabar.memo import Generations


def test_generations_keep_what_is_used_and_drop_what_is_not() -> None:
    memo: Generations[str, int] = Generations(3)
    for i, w in enumerate("abc"):
        memo.put(w, i)
    memo.put("d", 3)  # young was full: a, b, c become the old generation
    assert memo.get("a") == 0  # a hit in the old generation is copied back to the young one
    memo.put("e", 4)  # young (d, a, e) is full now
    memo.put("f", 5)  # the turn: b and c, not used since the last one, are dropped
    assert memo.get("b") is None and memo.get("c") is None
    assert memo.get("a") == 0 and memo.get("d") == 3 and memo.get("f") == 5
    assert len(memo) <= 2 * 3


def test_generations_stay_bounded_on_a_stream_of_new_keys() -> None:
    memo: Generations[int, int] = Generations(100)
    for k in range(10_000):
        memo.put(k, k)
        memo.get(0)  # one hot key
    assert len(memo) <= 200
    assert memo.get(0) == 0 and 9_999 in memo and 0 in memo and 5_000 not in memo


def test_generations_reject_a_size_below_one() -> None:
    with pytest.raises(ValueError):
        Generations(0)
