"""Online story clustering: each new article joins the best story or starts one.

An article is represented by its *lead* (title + the first sentences of the
text, see :func:`lead_parts`): salient terms (folded, clitic-stripped words
from :func:`khabar.arabic.match_key`, stopwords dropped, title counted
``title_weight`` times), its entity ids and an optional embedding of the lead.
A story keeps the summed term counts, an entity counter, the running sum of
member embeddings and the date range of its members.

Only a bounded set of candidate stories is scored: the top ``k_index`` by an
inverted index over salient terms and entity ids (each scanning at most the
``max_postings`` most recent stories per key) plus the top ``k_embedding``
story centroids by cosine. The score is a weighted mean of TF-IDF cosine
(IDF counted incrementally over the articles seen), entity overlap and
rescaled embedding cosine (components missing on either side drop out and the
weights renormalise), times a time decay on the gap in days between the
article and the story's date range (unknown dates: no decay). The best story
at or above ``join_threshold`` is joined.

Story ids are ``"S"`` + a zero-padded sequence in arrival order; they are
never renumbered and stories are never merged, so a saved state plus more
articles gives the same ids for the old ones.
"""

from __future__ import annotations

import bisect
import math
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

import numpy as np

from khabar.arabic import fold, match_key, normalize
from khabar.model import Article, Story
from khabar.settings import Settings, check_range

# Function words, written plainly; folded and clitic-stripped below so they
# compare with match_key output.
_STOPWORDS_RAW = """
في من على إلى الى عن مع أن إن أنه إنه أنها انها كان كانت يكون تكون قد لقد لم لن لا ما ماذا هل
هذا هذه ذلك تلك هؤلاء الذي التي الذين اللذين اللتين اللواتي هو هي هم هن نحن أنا انت أنت
بعد قبل حتى خلال منذ عند عندما بين أمام ضد حول دون غير سوى كل بعض أي أو ثم بل لكن لكنه
قال قالت وقال وقالت أكد أكدت أضاف أضافت ذكر ذكرت أشار أشارت أوضح أوضحت يوم اليوم أمس الأحد الاثنين
الثلاثاء الأربعاء الخميس الجمعة السبت العام عام كما وفق وفقا حيث إذا اذا لدى فيه فيها به بها له لها
عليه عليها منه منها إليه إليها وذلك وهو وهي أيضا ايضا جدا تم يتم وقد كذلك فقط مثل ضمن عبر
the a an of to in on for and or is are was were be by with from at as that this it its said says
"""
_STOPWORDS: frozenset[str] = frozenset(match_key(_STOPWORDS_RAW).split())

_SENT_RE = re.compile(r"[^.!?؟\n]+[.!?؟]*")


@dataclass(frozen=True, slots=True)
class StoryAssignment:
    """Where :meth:`StoryIndex.add` put an article.

    Args:
        story_id: the story joined or started.
        is_new: True when the article started the story.
        score: best candidate score in [0, 1] (0.0 when no candidate).
        merged_into: reserved for story merges (never set: stories are not merged).
        n_candidates: stories scored (bounded by ``k_index + k_embedding``).
    """

    story_id: str
    is_new: bool
    score: float
    merged_into: str | None = None
    n_candidates: int = 0


@dataclass(slots=True)
class _Member:
    article_id: str
    title: str
    lead_sentence: str
    terms: dict[str, int]


@dataclass(slots=True)
class _Story:
    id: str
    terms: Counter[str] = field(default_factory=Counter)
    entities: Counter[str] = field(default_factory=Counter)
    n_emb: int = 0
    first: float | None = None
    last: float | None = None
    members: list[_Member] = field(default_factory=list)


def parse_days(published: str) -> float | None:
    """Days since 0001-01-01 (UTC, fractional) of an ISO 8601 date, or None if unknown."""
    if not published:
        return None
    try:
        dt = datetime.fromisoformat(published.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if dt.tzinfo is not None:
        dt = dt.astimezone(timezone.utc).replace(tzinfo=None)
    return dt.toordinal() + (dt.hour * 3600 + dt.minute * 60 + dt.second) / 86400.0


def lead_parts(article: Article, *, sentences: int = 2, max_chars: int = 600) -> tuple[str, str]:
    """``(lead, first_sentence)``: title plus the first ``sentences`` sentences of the text.

    A text that begins by repeating its title (common after scraping) is read
    from after the title. The lead is cut to ``max_chars`` characters; the
    same string is what the pipeline should embed.
    """
    title = article.title.strip()
    body = article.text.lstrip()
    if title:
        ft = fold(title)
        nb = normalize(body[: len(title) * 2 + 16])
        if ft and nb.text.startswith(ft):
            body = body[nb.to_orig[len(ft) - 1] + 1 :]
    sents: list[str] = []
    for m in _SENT_RE.finditer(body):
        s = m.group().strip()
        if len(s) > 1:
            sents.append(s)
            if len(sents) >= sentences:
                break
    first = sents[0] if sents else title
    lead = " ".join([title, *sents]).strip()
    return lead[:max_chars], first


def terms_of(text: str) -> list[str]:
    """Salient terms of ``text``: match keys of its words, no stopwords or 1-letter words."""
    return [t for t in match_key(text).split() if len(t) > 1 and t not in _STOPWORDS]


class StoryIndex:
    """Incremental story clustering with bounded candidate retrieval.

    Args:
        settings: the ``[stories]`` section (defaults fill missing keys).
    """

    def __init__(self, settings: dict[str, Any] | None = None) -> None:
        sec = Settings().section("stories")
        if settings:
            sec.update(settings)
        c = check_range
        self.lead_sentences = int(c("stories.lead_sentences", sec["lead_sentences"], 0, 50))
        self.lead_chars = int(c("stories.lead_chars", sec["lead_chars"], 20, 100_000))
        self.title_weight = int(c("stories.title_weight", sec["title_weight"], 1, 10))
        self.max_query_terms = int(c("stories.max_query_terms", sec["max_query_terms"], 1, 1000))
        self.max_postings = int(c("stories.max_postings", sec["max_postings"], 1, 1_000_000))
        self.max_df_share = c("stories.max_df_share", sec["max_df_share"], 0.0, 1.0)
        self.k_index = int(c("stories.k_index", sec["k_index"], 0, 10_000))
        self.k_embedding = int(c("stories.k_embedding", sec["k_embedding"], 0, 10_000))
        self.w_tfidf = c("stories.weight_tfidf", sec["weight_tfidf"], 0.0, 1.0)
        self.w_ent = c("stories.weight_entities", sec["weight_entities"], 0.0, 1.0)
        self.w_emb = c("stories.weight_embedding", sec["weight_embedding"], 0.0, 1.0)
        self.emb_floor = c("stories.embedding_floor", sec["embedding_floor"], -1.0, 0.99)
        self.threshold = c("stories.join_threshold", sec["join_threshold"], 0.0, 1.0)
        self.grace = c("stories.decay_grace_days", sec["decay_grace_days"], 0.0, 3650.0)
        self.half_life = c("stories.decay_half_life_days", sec["decay_half_life_days"], 0.01, 3650.0)
        self._stories: list[_Story] = []
        self._by_id: dict[str, int] = {}
        self._assigned: dict[str, str] = {}
        self._df: Counter[str] = Counter()
        self._ent_df: Counter[str] = Counter()
        self._n_docs = 0
        self._postings: dict[str, list[int]] = {}
        self._ent_postings: dict[str, list[int]] = {}
        self._emb_sum: np.ndarray | None = None  # (capacity, dim) float32 sums of member embeddings
        self._centroids: np.ndarray | None = None  # same rows, L2-normalised (zero: no embedding)

    # -- helpers -------------------------------------------------------------

    def _idf(self, term: str, df: Counter[str]) -> float:
        return math.log((self._n_docs + 1) / (df.get(term, 0) + 1)) + 1.0

    def _article_terms(self, article: Article) -> tuple[Counter[str], str]:
        lead, first = lead_parts(article, sentences=self.lead_sentences, max_chars=self.lead_chars)
        counts = Counter(terms_of(lead))
        for t in terms_of(article.title):
            counts[t] += self.title_weight - 1
        return counts, first

    def _ensure_rows(self, dim: int) -> None:
        n = len(self._stories)
        if self._emb_sum is None:
            self._emb_sum = np.zeros((max(16, n), dim), dtype=np.float32)
            self._centroids = np.zeros_like(self._emb_sum)
        elif self._emb_sum.shape[0] < n:
            cap = max(n, 2 * self._emb_sum.shape[0])
            grown = np.zeros((cap, dim), dtype=np.float32)
            grown[: self._emb_sum.shape[0]] = self._emb_sum
            self._emb_sum = grown
            cent = np.zeros_like(grown)
            cent[: self._centroids.shape[0]] = self._centroids
            self._centroids = cent

    def _cosine(self, a: dict[str, float], story: _Story) -> float:
        num = 0.0
        for t, w in a.items():
            c = story.terms.get(t)
            if c:
                num += w * c * self._idf(t, self._df)
        if num == 0.0:
            return 0.0
        na = math.sqrt(sum(w * w for w in a.values()))
        nb = math.sqrt(sum((c * self._idf(t, self._df)) ** 2 for t, c in story.terms.items()))
        return num / (na * nb)

    def _decay(self, day: float | None, story: _Story) -> float:
        if day is None or story.first is None or story.last is None:
            return 1.0
        gap = max(0.0, story.first - day, day - story.last)
        return 0.5 ** (max(0.0, gap - self.grace) / self.half_life)

    # -- retrieval -----------------------------------------------------------

    def _candidates(self, terms: Counter[str], entity_ids: set[str], emb: np.ndarray | None) -> list[int]:
        votes: dict[int, float] = {}
        df_limit = max(10.0, self.max_df_share * self._n_docs)
        salient = sorted(
            (t for t in terms if self._df.get(t, 0) <= df_limit),
            key=lambda t: (-self._idf(t, self._df), t),
        )[: self.max_query_terms]
        for t in salient:
            w = self._idf(t, self._df)
            for s in self._postings.get(t, ())[-self.max_postings :]:
                votes[s] = votes.get(s, 0.0) + w
        for e in sorted(entity_ids):
            w = self._idf(e, self._ent_df)
            for s in self._ent_postings.get(e, ())[-self.max_postings :]:
                votes[s] = votes.get(s, 0.0) + w
        ranked = sorted(votes, key=lambda s: (-votes[s], -s))[: self.k_index]
        chosen = set(ranked)
        n = 0 if self._centroids is None else min(len(self._stories), self._centroids.shape[0])
        if emb is not None and self._centroids is not None and n and self.k_embedding:
            sims = self._centroids[:n] @ emb
            k = min(self.k_embedding, n)
            top = np.argpartition(-sims, k - 1)[:k]
            chosen.update(int(i) for i in top if sims[i] > self.emb_floor)
        return sorted(chosen)

    def _score(
        self, s: int, vec: dict[str, float], entity_ids: set[str], emb: np.ndarray | None, day: float | None
    ) -> float:
        story = self._stories[s]
        parts = [(self.w_tfidf, self._cosine(vec, story))] if vec else []
        if entity_ids:
            shared = sum(1 for e in entity_ids if e in story.entities)
            parts.append((self.w_ent, shared / min(len(entity_ids), max(1, len(story.entities)))))
        if emb is not None and story.n_emb and self._centroids is not None:
            cos = float(self._centroids[s] @ emb)
            parts.append((self.w_emb, min(1.0, max(0.0, (cos - self.emb_floor) / (1.0 - self.emb_floor)))))
        total = sum(w for w, _ in parts)
        if total <= 0.0:
            return 0.0
        return sum(w * x for w, x in parts) / total * self._decay(day, story)

    # -- public API ----------------------------------------------------------

    def add(self, article: Article, *, embedding: np.ndarray | None, entity_ids: set[str]) -> StoryAssignment:
        """Assign ``article`` to a story, updating the index.

        Args:
            article: needs ``id``, ``title``, ``text``, ``published``.
            embedding: L2-normalised embedding of :func:`lead_parts`' lead, or
                None (an all-zero vector also counts as none).
            entity_ids: resolved entity ids found in the article.

        Returns:
            The assignment; an article id seen before gets its old story back
            (``is_new`` False, ``score`` 1.0) and changes nothing.
        """
        if article.id in self._assigned:
            return StoryAssignment(self._assigned[article.id], False, 1.0)
        emb = None
        if embedding is not None:
            e = np.asarray(embedding, dtype=np.float32).ravel()
            norm = float(np.linalg.norm(e))
            emb = e / norm if norm > 0 else None
        terms, first = self._article_terms(article)
        self._n_docs += 1
        self._df.update(terms.keys())
        self._ent_df.update(entity_ids)
        vec = {t: c * self._idf(t, self._df) for t, c in terms.items()}
        day = parse_days(article.published)
        cands = self._candidates(terms, entity_ids, emb)
        best, best_score = -1, 0.0
        for s in cands:
            sc = self._score(s, vec, entity_ids, emb, day)
            if sc > best_score:
                best, best_score = s, sc
        is_new = best < 0 or best_score < self.threshold
        if is_new:
            best = len(self._stories)
            story = _Story(id=f"S{best + 1:06d}")
            self._stories.append(story)
            self._by_id[story.id] = best
        self._join(best, article, terms, first, entity_ids, emb, day)
        sid = self._stories[best].id
        self._assigned[article.id] = sid
        return StoryAssignment(sid, is_new, round(best_score, 4), None, len(cands))

    def _join(
        self,
        s: int,
        article: Article,
        terms: Counter[str],
        first: str,
        entity_ids: set[str],
        emb: np.ndarray | None,
        day: float | None,
    ) -> None:
        story = self._stories[s]
        for t in terms:
            if t not in story.terms:
                bisect.insort(self._postings.setdefault(t, []), s)
        for e in entity_ids:
            if e not in story.entities:
                bisect.insort(self._ent_postings.setdefault(e, []), s)
        story.terms.update(terms)
        story.entities.update(entity_ids)
        story.members.append(_Member(article.id, article.title.strip(), first, dict(terms)))
        if day is not None:
            story.first = day if story.first is None else min(story.first, day)
            story.last = day if story.last is None else max(story.last, day)
        if emb is not None:
            self._ensure_rows(emb.shape[0])
            self._emb_sum[s] += emb
            story.n_emb += 1
            self._centroids[s] = self._emb_sum[s] / max(1e-12, float(np.linalg.norm(self._emb_sum[s])))

    def story_of(self, article_id: str) -> str | None:
        return self._assigned.get(article_id)

    def _central(self, story_id: str) -> _Member:
        story = self._stories[self._by_id[story_id]]
        best, best_cos = story.members[0], -1.0
        for m in story.members:
            vec = {t: c * self._idf(t, self._df) for t, c in m.terms.items()}
            cos = self._cosine(vec, story) if vec else 0.0
            if cos > best_cos + 1e-12:
                best, best_cos = m, cos
        return best

    def label(self, story_id: str) -> str:
        """Title of the member closest to the story's term centroid. Raises KeyError."""
        m = self._central(story_id)
        return m.title or m.lead_sentence

    def summary(self, story_id: str) -> str:
        """First lead sentence of the most central member. Raises KeyError."""
        return self._central(story_id).lead_sentence

    def stories(self) -> list[Story]:
        """Every story, in id order, as :class:`khabar.model.Story`."""
        return [
            Story(s.id, self.label(s.id), self.summary(s.id), [m.article_id for m in s.members])
            for s in self._stories
        ]

    def __len__(self) -> int:
        return len(self._stories)

    # -- state ---------------------------------------------------------------

    def to_state(self) -> dict[str, Any]:
        """Plain JSON-able data plus ``emb_sums``: float32 ``(n_stories, dim)`` or None."""
        n = len(self._stories)
        return {
            "version": 1,
            "n_docs": self._n_docs,
            "df": dict(self._df),
            "ent_df": dict(self._ent_df),
            "assigned": dict(self._assigned),
            "stories": [
                {
                    "id": s.id,
                    "terms": dict(s.terms),
                    "entities": dict(s.entities),
                    "n_emb": s.n_emb,
                    "first": s.first,
                    "last": s.last,
                    "members": [[m.article_id, m.title, m.lead_sentence, m.terms] for m in s.members],
                }
                for s in self._stories
            ],
            "emb_sums": None if self._emb_sum is None else self._emb_sum[:n].copy(),
        }

    @classmethod
    def from_state(cls, state: dict[str, Any], settings: dict[str, Any] | None = None) -> StoryIndex:
        """Rebuild from :meth:`to_state` output; postings and centroids are recomputed."""
        idx = cls(settings)
        idx._n_docs = int(state["n_docs"])
        idx._df = Counter({k: int(v) for k, v in state["df"].items()})
        idx._ent_df = Counter({k: int(v) for k, v in state["ent_df"].items()})
        idx._assigned = dict(state["assigned"])
        for i, d in enumerate(state["stories"]):
            story = _Story(
                id=d["id"],
                terms=Counter({k: int(v) for k, v in d["terms"].items()}),
                entities=Counter({k: int(v) for k, v in d["entities"].items()}),
                n_emb=int(d["n_emb"]),
                first=d["first"],
                last=d["last"],
                members=[_Member(a, t, f, {k: int(v) for k, v in tm.items()}) for a, t, f, tm in d["members"]],
            )
            idx._stories.append(story)
            idx._by_id[story.id] = i
            for t in story.terms:
                idx._postings.setdefault(t, []).append(i)
            for e in story.entities:
                idx._ent_postings.setdefault(e, []).append(i)
        sums = state.get("emb_sums")
        if sums is not None and len(idx._stories):
            sums = np.asarray(sums, dtype=np.float32)
            idx._ensure_rows(sums.shape[1])
            idx._emb_sum[: sums.shape[0]] = sums
            norms = np.linalg.norm(sums, axis=1, keepdims=True)
            idx._centroids[: sums.shape[0]] = np.where(norms > 0, sums / np.maximum(norms, 1e-12), 0.0)
        return idx
