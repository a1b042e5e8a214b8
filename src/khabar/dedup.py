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

Candidates come from a MinHash LSH at a low threshold, so containment of a
short copy in a long page is still checked; every estimate comes from the
signatures (128 permutations: standard error about 0.09). Signatures are
datasketch's; the band tables are our own compact ones (:class:`_BandIndex`),
with datasketch's band split, so candidates are the same as ``MinHashLSH``'s.

Memory (issue #9): the index lives in the main process for a whole run, so
per-article data is columnar: signatures in one ``uint32`` matrix (datasketch's
affine32 and legacy schemes give 32-bit values), band keys as 64-bit hashes in
sorted numpy arrays, sizes and flags in ``array``s, ids interned.
"""

from __future__ import annotations

import functools
import hashlib
import inspect
import re
import sys
from array import array
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


_U32_MAX = 0xFFFFFFFF


class _BandIndex:
    """LSH band tables: which earlier rows share a band of the signature with a query.

    ``MinHashLSH`` keeps, per band, a dict from the band's bytes to a set of
    keys (about 10 KiB per article at 37 bands, measured). Here a band is a 64-bit
    ``hash((band, bytes))`` and all bands live in two sorted numpy arrays
    (key, row): 12 bytes per article and band. Recent inserts wait in a small
    dict and are merged in (a linear merge) when they reach ``1/8`` of the
    sorted part: O(1) amortised copies per insert. Python's hash is salted per process, but the tables
    are rebuilt from the signatures at load, never saved; a 64-bit collision
    (about 2**-64 per pair) only adds a candidate, which is then scored.

    Args:
        hashranges: ``(start, end)`` of each band in a signature (datasketch's split).
    """

    def __init__(self, hashranges: list[tuple[int, int]]) -> None:
        self.hashranges = [(int(a), int(b)) for a, b in hashranges]
        self._keys = np.zeros(0, dtype=np.int64)
        self._rows = np.zeros(0, dtype=np.int32)
        self._pending: dict[int, int | list[int]] = {}
        self._n_pending = 0

    def _band_keys(self, sig: np.ndarray) -> list[int]:
        return [hash((i, sig[a:b].tobytes())) for i, (a, b) in enumerate(self.hashranges)]

    def insert(self, row: int, sig: np.ndarray) -> None:
        """Add signature ``sig`` (uint32) as ``row``."""
        pend = self._pending
        for k in self._band_keys(sig):
            old = pend.get(k)
            if old is None:
                pend[k] = row
            elif isinstance(old, int):
                pend[k] = [old, row]
            else:
                old.append(row)
        self._n_pending += len(self.hashranges)
        if self._n_pending >= max(4096, self._keys.size // 8):
            self._flush()

    def _flush(self) -> None:
        ks: list[int] = []
        rs: list[int] = []
        for k, v in self._pending.items():
            if isinstance(v, int):
                ks.append(k)
                rs.append(v)
            else:
                ks.extend([k] * len(v))
                rs.extend(v)
        pk = np.array(ks, dtype=np.int64)
        order = np.argsort(pk, kind="stable")
        pk, pr = pk[order], np.array(rs, dtype=np.int32)[order]
        at = np.searchsorted(self._keys, pk, side="right")  # a linear merge, not a re-sort
        self._keys, self._rows = np.insert(self._keys, at, pk), np.insert(self._rows, at, pr)
        self._pending, self._n_pending = {}, 0

    def query(self, sig: np.ndarray) -> set[int]:
        """Rows sharing at least one band with ``sig``."""
        q = self._band_keys(sig)
        found: set[int] = set()
        if self._keys.size:
            qa = np.array(q, dtype=np.int64)
            lo = np.searchsorted(self._keys, qa, side="left")
            hi = np.searchsorted(self._keys, qa, side="right")
            for i in np.flatnonzero(hi > lo):
                found.update(self._rows[lo[i] : hi[i]].tolist())
        for k in q:
            v = self._pending.get(k)
            if v is not None:
                found.update((v,) if isinstance(v, int) else v)
        return found


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
        # datasketch's band split for this threshold (an empty MinHashLSH is cheap); its tables are ours.
        self._bands = _BandIndex(MinHashLSH(threshold=self.lsh_threshold, num_perm=self.num_perm).hashranges)
        self._ids: list[str] = []
        self._pos: dict[str, int] = {}
        self._sigs = np.zeros((0, self.num_perm), dtype=np.uint32)  # row i: article i's signature
        self._has_sig = bytearray()  # 0: too short for a signature (matched only when exact)
        self._sizes = array("i")  # shingle counts
        self._published: list[str] = []
        self._sources: list[str] = []
        self._agency = bytearray()
        self._exact: dict[bytes, str] = {}  # sha256 digest of the folded words -> first id
        self._matches: dict[str, DuplicateMatch] = {}
        self._parent: dict[str, str] = {}  # union-find over duplicate groups (ids never linked: absent)
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
        article_id = sys.intern(article_id)
        folded = fold(text)
        toks, shingles = self._shingles(folded)
        digest = hashlib.sha256(" ".join(toks).encode()).digest()
        match: DuplicateMatch | None = None
        if digest in self._exact:
            match = DuplicateMatch(self._exact[digest], 1.0, "exact", 1.0)
        sig: np.ndarray | None = None
        if len(shingles) >= self.min_shingles:
            sig = self._signature(self._minhash(shingles).hashvalues)
            if match is None:
                match = self._best(sig, len(shingles))
        self._exact.setdefault(digest, article_id)
        self._append(article_id, sig, len(shingles), published, source, _AGENCY_RE.search(folded) is not None)
        if match is not None:
            self._matches[article_id] = match
            self._union(match.of, article_id)
        return match

    @staticmethod
    def _signature(hashvalues: np.ndarray) -> np.ndarray:
        """MinHash values as uint32 (the schemes we use give 32-bit values; checked, not assumed)."""
        if hashvalues.size and int(hashvalues.max()) > _U32_MAX:
            raise ValueError("MinHash values exceed 32 bits: use datasketch's affine32 or legacy scheme")
        return hashvalues.astype(np.uint32)

    def _append(self, aid: str, sig: np.ndarray | None, size: int, published: str, source: str,
                agency: bool) -> None:
        """Store one article's row (and its bands when it has a signature)."""
        row = len(self._ids)
        if row >= self._sigs.shape[0]:  # grow geometrically: O(1) amortised copies
            grown = np.zeros((max(64, 2 * row), self.num_perm), dtype=np.uint32)
            grown[:row] = self._sigs[:row]
            self._sigs = grown
        if sig is not None:
            self._sigs[row] = sig
            self._bands.insert(row, sig)
        self._has_sig.append(sig is not None)
        self._pos[aid] = row
        self._ids.append(aid)
        self._sizes.append(size)
        self._published.append(sys.intern(published))
        self._sources.append(sys.intern(source))
        self._agency.append(agency)

    def _best(self, sig: np.ndarray, size: int) -> DuplicateMatch | None:
        best: DuplicateMatch | None = None
        for i in self._bands.query(sig):
            cand = self._ids[i]
            j = float(np.count_nonzero(self._sigs[i] == sig)) / self.num_perm
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
        parent = self._parent
        while parent.get(a, a) != a:
            parent[a] = parent.get(parent[a], parent[a])
            a = parent[a]
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
        """Plain data: lists, dicts and one uint64 array ``(n, num_perm)`` (version 1, unchanged)."""
        n = len(self._ids)
        return {
            "version": 1,
            "num_perm": self.num_perm,
            "shingle_words": self.k,
            "ids": list(self._ids),
            "signatures": self._sigs[:n].astype(np.uint64),
            "has_signature": [bool(h) for h in self._has_sig],
            "sizes": self._sizes.tolist(),
            "published": list(self._published),
            "sources": list(self._sources),
            "agency": [bool(a) for a in self._agency],
            "exact": {d.hex(): a for d, a in self._exact.items()},
            "matches": {a: [m.of, m.jaccard, m.relation, m.containment] for a, m in self._matches.items()},
        }

    @classmethod
    def from_state(cls, state: dict[str, Any], settings: dict[str, Any] | None = None) -> DuplicateIndex:
        """Rebuild an index from :meth:`to_state` output (LSH bands are recomputed)."""
        sec = dict(settings or {})
        sec["dup_num_perm"] = int(state["num_perm"])
        sec["dup_shingle_words"] = int(state["shingle_words"])
        idx = cls(sec)
        sigs = np.asarray(state["signatures"])
        n = len(state["ids"])
        idx._sigs = np.zeros((max(64, n), idx.num_perm), dtype=np.uint32)
        for i, aid in enumerate(state["ids"]):
            sig = idx._signature(sigs[i]) if state["has_signature"][i] else None
            idx._append(str(aid), sig, int(state["sizes"][i]), str(state["published"][i]),
                        str(state["sources"][i]), bool(state["agency"][i]))
        intern = sys.intern
        idx._exact = {bytes.fromhex(d): intern(a) for d, a in state["exact"].items()}
        for aid, (of, j, rel, cont) in state["matches"].items():
            aid, of = intern(aid), intern(of)
            idx._matches[aid] = DuplicateMatch(of, float(j), intern(str(rel)), float(cont))
            idx._union(of, aid)
        return idx
