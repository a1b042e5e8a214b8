"""Exact and near-duplicate articles, and syndicated copies of one wire text.

Texts are compared in the folded form of :func:`khabar.arabic.fold` (so
hamza seats, ta marbuta, diacritics, punctuation and digit scripts do not
matter), as sets of 3-word shingles. Word shingles rather than 5-character
ones: Arabic fuses clitics onto words, so character grams spanning word
boundaries mostly re-encode the same words, cost ~5x more hashes per text, and
make two different reports of one event (which share names and set phrases
letter by letter) look more alike than they are; three words keep set phrases
such as "الرئيس السوري بشار" from dominating while one changed word breaks
only three shingles.

Relations, from strongest:

* ``exact``: the folded word sequences are identical (sha256).
* ``near``: estimated Jaccard >= ``dup_near_jaccard``: the same article,
  lightly edited.
* ``syndicated``: Jaccard >= ``dup_syndicated_jaccard``, or most of the
  shorter text's shingles are in the other (containment >=
  ``dup_syndicated_containment``): a republished wire story with its own lead,
  headline or trailer.

Candidates come from a MinHash LSH (datasketch) at a low threshold, so
containment of a short copy in a long page is still checked; every estimate
comes from the signatures (128 permutations: standard error about 0.09).
"""

from __future__ import annotations

import functools
import hashlib
import inspect
import re
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
from datasketch import MinHash, MinHashLSH

from khabar.arabic import fold, words
from khabar.settings import check_range, section_with_defaults

Relation = Literal["exact", "near", "syndicated"]

# Agency credits in folded text: "وكاله الانباء ...", "(ا ف ب)", "رويترز", ...
_AGENCY_RE = re.compile(
    r"وكاله\s+\S+|\bا\s*\.?\s*ف\s*\.?\s*ب\b|رويترز|اسوشيتد\s+برس|\bد\s*\.?\s*ب\s*\.?\s*ا\b"
    r"|\bafp\b|\breuters\b|associated press|\bdpa\b"
)

_SEED = 1  # MinHash permutation seed: fixed so signatures in a saved state stay comparable
# datasketch >= 2.0 asks for the hashing scheme when signatures are reloaded; pin it.
_MH_ARGS: dict[str, str] = {"scheme": "affine32"} if "scheme" in inspect.signature(MinHash).parameters else {}


@functools.lru_cache(maxsize=4)
def _permutations(num_perm: int) -> Any:
    """The seeded permutation parameters, drawn once: MinHash() would redraw them for every
    signature (4 of the 10 s of reopening a 30k-article index), always to the same values."""
    return MinHash(num_perm=num_perm, seed=_SEED, **_MH_ARGS).permutations


@dataclass(frozen=True, slots=True)
class DuplicateMatch:
    """The earlier article that ``add`` found the new one to duplicate.

    Args:
        of: id of the earlier article.
        jaccard: estimated Jaccard of the shingle sets (1.0 for exact).
        relation: "exact", "near" or "syndicated".
        containment: estimated share of the shorter text's shingles in the other.
    """

    of: str
    jaccard: float
    relation: str
    containment: float = 1.0


def names_agency(text: str) -> bool:
    """True when ``text`` credits a news agency (وكالة ...، أ ف ب، رويترز ...)."""
    return _AGENCY_RE.search(fold(text)) is not None


class DuplicateIndex:
    """Incremental duplicate finder; state is plain data (``to_state``).

    Args:
        settings: the ``[stories]`` section (defaults fill missing keys).
    """

    def __init__(self, settings: dict[str, Any] | None = None) -> None:
        sec = section_with_defaults("stories", settings)
        self.num_perm = int(check_range("stories.dup_num_perm", sec["dup_num_perm"], 16, 1024))
        self.k = int(check_range("stories.dup_shingle_words", sec["dup_shingle_words"], 1, 10))
        self.min_shingles = int(check_range("stories.dup_min_shingles", sec["dup_min_shingles"], 1, 10_000))
        self.lsh_threshold = check_range("stories.dup_lsh_threshold", sec["dup_lsh_threshold"], 0.05, 1.0)
        self.near = check_range("stories.dup_near_jaccard", sec["dup_near_jaccard"], 0.0, 1.0)
        self.synd_j = check_range("stories.dup_syndicated_jaccard", sec["dup_syndicated_jaccard"], 0.0, 1.0)
        self.synd_c = check_range(
            "stories.dup_syndicated_containment", sec["dup_syndicated_containment"], 0.0, 1.0
        )
        self._lsh = MinHashLSH(threshold=self.lsh_threshold, num_perm=self.num_perm)
        self._ids: list[str] = []
        self._pos: dict[str, int] = {}
        self._sigs: list[np.ndarray] = []  # uint64 hashvalues, or empty for short texts
        self._sizes: list[int] = []
        self._published: list[str] = []
        self._sources: list[str] = []
        self._agency: list[bool] = []
        self._exact: dict[str, str] = {}
        self._matches: dict[str, DuplicateMatch] = {}
        self._parent: dict[str, str] = {}  # union-find over duplicate groups
        self._members: dict[str, list[str]] = {}  # root -> its group's ids (roots of groups > 1 only)

    # -- shingling -----------------------------------------------------------

    def _shingles(self, folded: str) -> tuple[list[str], set[bytes]]:
        toks = [folded[s:e] for s, e in words(folded)]
        if len(toks) < self.k:
            return toks, {" ".join(toks).encode()} if toks else set()
        return toks, {" ".join(toks[i : i + self.k]).encode() for i in range(len(toks) - self.k + 1)}

    def _minhash(self, shingles: set[bytes]) -> MinHash:
        m = MinHash(num_perm=self.num_perm, seed=_SEED, permutations=_permutations(self.num_perm), **_MH_ARGS)
        m.update_batch(sorted(shingles))
        return m

    # -- public API ----------------------------------------------------------

    def add(self, article_id: str, text: str, *, published: str = "", source: str = "") -> DuplicateMatch | None:
        """Index ``text`` and return the earlier article it duplicates, if any.

        Adding an id twice changes nothing and returns the first answer again.

        Args:
            article_id: unique id (``Article.id``).
            text: the cleaned text (title included if the caller wants titles compared).
            published: ISO 8601 date or "" (used by :meth:`original_of`).
            source: the outlet.
        """
        if article_id in self._pos:
            return self._matches.get(article_id)
        folded = fold(text)
        toks, shingles = self._shingles(folded)
        digest = hashlib.sha256(" ".join(toks).encode()).hexdigest()
        match: DuplicateMatch | None = None
        if digest in self._exact:
            match = DuplicateMatch(self._exact[digest], 1.0, "exact", 1.0)
        sig = np.zeros(0, dtype=np.uint64)
        if len(shingles) >= self.min_shingles:
            mh = self._minhash(shingles)
            sig = mh.hashvalues.astype(np.uint64)
            if match is None:
                match = self._best(mh, len(shingles))
            self._lsh.insert(article_id, mh, check_duplication=False)
        self._exact.setdefault(digest, article_id)
        self._pos[article_id] = len(self._ids)
        self._ids.append(article_id)
        self._sigs.append(sig)
        self._sizes.append(len(shingles))
        self._published.append(published)
        self._sources.append(source)
        self._agency.append(_AGENCY_RE.search(folded) is not None)
        self._parent[article_id] = article_id
        if match is not None:
            self._matches[article_id] = match
            self._union(match.of, article_id)
        return match

    def _best(self, mh: MinHash, size: int) -> DuplicateMatch | None:
        best: DuplicateMatch | None = None
        for cand in self._lsh.query(mh):
            i = self._pos[cand]
            j = float(np.count_nonzero(self._sigs[i] == mh.hashvalues)) / self.num_perm
            other = self._sizes[i]
            inter = j * (size + other) / (1.0 + j)
            cont = min(1.0, inter / max(1, min(size, other)))
            if j >= self.near:
                rel = "near"
            elif j >= self.synd_j or cont >= self.synd_c:
                rel = "syndicated"
            else:
                continue
            m = DuplicateMatch(cand, round(j, 4), rel, round(cont, 4))
            if best is None or (m.jaccard, -i) > (best.jaccard, -self._pos[best.of]):
                best = m
        return best

    def match_of(self, article_id: str) -> DuplicateMatch | None:
        """The match ``add`` returned for ``article_id`` (None if none or unknown)."""
        return self._matches.get(article_id)

    def _find(self, a: str) -> str:
        while self._parent[a] != a:
            self._parent[a] = self._parent[self._parent[a]]
            a = self._parent[a]
        return a

    def _union(self, a: str, b: str) -> None:
        ra, rb = self._find(a), self._find(b)
        if ra != rb:
            # The root is the earlier arrival, so group ids are stable.
            if self._pos[ra] > self._pos[rb]:
                ra, rb = rb, ra
            self._parent[rb] = ra
            self._members[ra] = self._members.get(ra, [ra]) + self._members.pop(rb, [rb])

    def group(self, article_id: str) -> list[str]:
        """All articles linked to ``article_id`` by duplicate matches, in arrival order."""
        root = self._find(article_id)
        return sorted(self._members.get(root, [root]), key=self._pos.__getitem__)  # O(group), not O(index)

    def original_of(self, group: list[str]) -> str:
        """The likely original of a duplicate group.

        The earliest ``published`` wins; among equal or unknown dates (unknown
        sorts last), a text crediting an agency (the wire copy); then arrival order.

        Raises:
            KeyError: an id was never added.
        """
        if not group:
            raise ValueError("original_of needs a non-empty group")

        def key(aid: str) -> tuple[int, str, bool, int]:
            i = self._pos[aid]
            pub = self._published[i]
            return (0 if pub else 1, pub, not self._agency[i], i)

        return min(group, key=key)

    def __len__(self) -> int:
        return len(self._ids)

    # -- state ---------------------------------------------------------------

    def to_state(self) -> dict[str, Any]:
        """Plain data: lists, dicts and one uint64 array ``(n, num_perm)``."""
        sigs = np.zeros((len(self._ids), self.num_perm), dtype=np.uint64)
        has_sig = []
        for i, s in enumerate(self._sigs):
            has_sig.append(bool(s.size))
            if s.size:
                sigs[i] = s
        return {
            "version": 1,
            "num_perm": self.num_perm,
            "shingle_words": self.k,
            "ids": list(self._ids),
            "signatures": sigs,
            "has_signature": has_sig,
            "sizes": list(self._sizes),
            "published": list(self._published),
            "sources": list(self._sources),
            "agency": list(self._agency),
            "exact": dict(self._exact),
            "matches": {a: [m.of, m.jaccard, m.relation, m.containment] for a, m in self._matches.items()},
        }

    @classmethod
    def from_state(cls, state: dict[str, Any], settings: dict[str, Any] | None = None) -> DuplicateIndex:
        """Rebuild an index from :meth:`to_state` output (LSH bands are recomputed)."""
        sec = dict(settings or {})
        sec["dup_num_perm"] = int(state["num_perm"])
        sec["dup_shingle_words"] = int(state["shingle_words"])
        idx = cls(sec)
        sigs = np.asarray(state["signatures"], dtype=np.uint64)
        for i, aid in enumerate(state["ids"]):
            sig = sigs[i] if state["has_signature"][i] else np.zeros(0, dtype=np.uint64)
            if sig.size:
                mh = MinHash(num_perm=idx.num_perm, seed=_SEED, hashvalues=sig,
                             permutations=_permutations(idx.num_perm), **_MH_ARGS)
                idx._lsh.insert(aid, mh, check_duplication=False)
            idx._pos[aid] = i
            idx._ids.append(aid)
            idx._sigs.append(sig)
            idx._sizes.append(int(state["sizes"][i]))
            idx._published.append(str(state["published"][i]))
            idx._sources.append(str(state["sources"][i]))
            idx._agency.append(bool(state["agency"][i]))
            idx._parent[aid] = aid
        idx._exact = dict(state["exact"])
        for aid, (of, j, rel, cont) in state["matches"].items():
            idx._matches[aid] = DuplicateMatch(of, float(j), str(rel), float(cont))
            idx._union(of, aid)
        return idx
