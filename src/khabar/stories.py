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

The story score is the mean cosine of the article's unit TF-IDF vector with
the story's members (average link, from the summed member vectors), mixed
(``link_mix``) with the mean of its ``link_top_k`` best cosines with single
members (among the ``link_members`` most recent), plus small entity and
embedding bonuses. The mix helps stories whose members cover different sides
of one event (baly2018: recall up, see BENCHMARKS.md). After a join, candidate stories whose
average-link similarity with the joined story reaches ``merge_threshold`` are
merged; the older id survives and the merge is recorded (:meth:`StoryIndex.events`).

Story ids are ``"S"`` + a zero-padded sequence in arrival order; they are
never renumbered, so a saved state plus more articles gives the same ids for
the old ones.
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
from khabar.settings import check_range, section_with_defaults

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
        story_id: the story the article is in after the add (a merge survivor
            when the add caused merges).
        is_new: True when the article started the story.
        score: best candidate score in [0, 1] (0.0 when no candidate).
        merged_into: the survivor when the story the article first joined was
            merged into an older one during this add (then equal to
            ``story_id``), else None.
        n_candidates: stories scored (bounded by ``k_index + k_embedding``).
        absorbed: ids of stories merged into ``story_id`` by this add; their
            articles now belong to ``story_id`` (see :meth:`StoryIndex.events`).
    """

    story_id: str
    is_new: bool
    score: float
    merged_into: str | None = None
    n_candidates: int = 0
    absorbed: tuple[str, ...] = ()


@dataclass(slots=True)
class _Member:
    article_id: str
    title: str
    lead_sentence: str
    terms: dict[str, int]
    vec: dict[str, float] | None = None  # unit TF-IDF vector at join time (not saved; rebuilt on demand)


@dataclass(slots=True)
class _Story:
    id: str
    terms: Counter[str] = field(default_factory=Counter)
    vec: dict[str, float] = field(default_factory=dict)  # sum of members' unit TF-IDF vectors
    n: int = 0  # members counted in ``vec``
    entities: Counter[str] = field(default_factory=Counter)
    n_emb: int = 0
    first: float | None = None
    last: float | None = None
    members: list[_Member] = field(default_factory=list)
    alive: bool = True


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
    """Incremental story clustering with bounded candidate retrieval and merges.

    Args:
        settings: the ``[stories]`` section (defaults fill missing keys).
    """

    def __init__(self, settings: dict[str, Any] | None = None) -> None:
        sec = section_with_defaults("stories", settings)
        c = check_range
        self.lead_sentences = int(c("stories.lead_sentences", sec["lead_sentences"], 0, 500))
        self.lead_chars = int(c("stories.lead_chars", sec["lead_chars"], 20, 100_000))
        self.title_weight = int(c("stories.title_weight", sec["title_weight"], 1, 10))
        self.max_query_terms = int(c("stories.max_query_terms", sec["max_query_terms"], 1, 1000))
        self.max_postings = int(c("stories.max_postings", sec["max_postings"], 1, 1_000_000))
        self.max_df_share = c("stories.max_df_share", sec["max_df_share"], 0.0, 1.0)
        self.max_story_terms = int(c("stories.max_story_terms", sec["max_story_terms"], 10, 1_000_000))
        self.k_index = int(c("stories.k_index", sec["k_index"], 0, 10_000))
        self.k_embedding = int(c("stories.k_embedding", sec["k_embedding"], 0, 10_000))
        self.embedding_window = int(c("stories.embedding_window", sec["embedding_window"], 1, 10_000_000))
        self.w_ent = c("stories.weight_entities", sec["weight_entities"], 0.0, 1.0)
        self.w_emb = c("stories.weight_embedding", sec["weight_embedding"], 0.0, 1.0)
        self.emb_floor = c("stories.embedding_floor", sec["embedding_floor"], -1.0, 0.99)
        self.threshold = c("stories.join_threshold", sec["join_threshold"], 0.0, 1.0)
        self.merge_threshold = c("stories.merge_threshold", sec["merge_threshold"], 0.0, 1.01)
        self.xl_cos = c("stories.crosslingual_min_cosine", sec["crosslingual_min_cosine"], -1.0, 1.0)
        self.xl_margin = c("stories.crosslingual_margin", sec["crosslingual_margin"], 0.0, 2.0)
        self.grace = c("stories.decay_grace_days", sec["decay_grace_days"], 0.0, 3650.0)
        self.half_life = c("stories.decay_half_life_days", sec["decay_half_life_days"], 0.01, 3650.0)
        self.link_mix = c("stories.link_mix", sec["link_mix"], 0.0, 1.0)
        self.link_top_k = int(c("stories.link_top_k", sec["link_top_k"], 1, 1000))
        self.link_members = int(c("stories.link_members", sec["link_members"], 1, 100_000))
        self._stories: list[_Story] = []
        self._by_id: dict[str, int] = {}
        self._assigned: dict[str, str] = {}  # article id -> the story id it was first given
        self._alias: dict[str, str] = {}  # merged story id -> the story it was merged into
        self._events: list[tuple[str, str, str]] = []
        self._df: Counter[str] = Counter()
        self._ent_df: Counter[str] = Counter()
        self._n_docs = 0
        self._postings: dict[str, list[int]] = {}
        self._ent_postings: dict[str, list[int]] = {}
        self._emb_sum: np.ndarray | None = None  # (capacity, dim) float32 sums of member embeddings
        self._centroids: np.ndarray | None = None  # same rows, L2-normalised (zero: no embedding)

    # -- helpers -------------------------------------------------------------

    def _idf(self, term: str, df: Counter[str]) -> float:
        return math.log((self._n_docs + 1) / (df.get(term, 0) + 0.5))

    def _article_terms(self, article: Article) -> tuple[Counter[str], str]:
        lead, first = lead_parts(article, sentences=self.lead_sentences, max_chars=self.lead_chars)
        counts = Counter(terms_of(lead))
        for t in terms_of(article.title):
            counts[t] += self.title_weight - 1
        return counts, first

    def _unit_vector(self, terms: Counter[str] | dict[str, int]) -> dict[str, float]:
        """Sublinear TF times IDF (counted over the articles seen so far), L2-normalised."""
        vec = {t: (1.0 + math.log(c)) * self._idf(t, self._df) for t, c in terms.items() if c > 0}
        norm = math.sqrt(sum(w * w for w in vec.values()))
        return {t: w / norm for t, w in vec.items()} if norm > 0 else {}

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

    def _decay(self, day: float | None, story: _Story) -> float:
        if day is None or story.first is None or story.last is None:
            return 1.0
        gap = max(0.0, story.first - day, day - story.last)
        return 0.5 ** (max(0.0, gap - self.grace) / self.half_life)

    def _live(self, s: int) -> int:
        """Row of the story that story row ``s`` lives on in (itself unless merged)."""
        while not self._stories[s].alive:
            s = self._by_id[self._alias[self._stories[s].id]]
        return s

    def _resolve(self, story_id: str) -> str:
        while story_id in self._alias:
            story_id = self._alias[story_id]
        return story_id

    # -- retrieval -----------------------------------------------------------

    def _candidates(self, vec: dict[str, float], entity_ids: set[str], emb: np.ndarray | None) -> list[int]:
        """Stories sharing the article's heaviest terms or its entities, plus embedding neighbours.

        Query terms are the ``max_query_terms`` heaviest of the article's TF-IDF
        vector among those seen before (a first-seen term has no postings) and
        in at most ``max_df_share`` of articles; each votes its weight for the
        ``max_postings`` most recent stories holding it.
        """
        votes: dict[int, float] = {}
        df_limit = max(10.0, self.max_df_share * self._n_docs)
        salient = sorted(
            (t for t in vec if 1 < self._df.get(t, 0) <= df_limit),
            key=lambda t: (-vec[t], t),
        )[: self.max_query_terms]
        for t in salient:
            w = vec[t]
            for s in self._postings.get(t, ())[-self.max_postings :]:
                votes[s] = votes.get(s, 0.0) + w
        for e in sorted(entity_ids):
            w = self._idf(e, self._ent_df)
            for s in self._ent_postings.get(e, ())[-self.max_postings :]:
                votes[s] = votes.get(s, 0.0) + w
        live: dict[int, float] = {}
        for s, v in votes.items():
            r = self._live(s)
            live[r] = max(live.get(r, 0.0), v)
        chosen = set(sorted(live, key=lambda s: (-live[s], -s))[: self.k_index])
        n = 0 if self._centroids is None else min(len(self._stories), self._centroids.shape[0])
        if emb is not None and self._centroids is not None and n and self.k_embedding:
            lo = max(0, n - self.embedding_window)  # numpy over the most recent stories only
            sims = self._centroids[lo:n] @ emb
            k = min(self.k_embedding, n - lo)
            top = np.argpartition(-sims, k - 1)[:k]
            chosen.update(self._live(lo + int(i)) for i in top if sims[i] > self.emb_floor)
        return sorted(chosen)

    def _score(
        self, s: int, vec: dict[str, float], entity_ids: set[str], emb: np.ndarray | None, day: float | None
    ) -> float:
        """Mean cosine of the article with the story's members, plus entity and embedding bonuses."""
        story = self._stories[s]
        sv = story.vec
        score = sum(w * sv.get(t, 0.0) for t, w in vec.items()) / max(1, story.n)
        if self.link_mix and story.members:
            score = (1.0 - self.link_mix) * score + self.link_mix * self._top_link(story, vec)
        if entity_ids and story.entities and self.w_ent:
            shared = sum(1 for e in entity_ids if e in story.entities)
            score += self.w_ent * shared / min(len(entity_ids), len(story.entities))
        if emb is not None and story.n_emb and self._centroids is not None and self.w_emb:
            cos = float(self._centroids[s] @ emb)
            score += self.w_emb * min(1.0, max(0.0, (cos - self.emb_floor) / (1.0 - self.emb_floor)))
        return min(1.0, score) * self._decay(day, story)

    def _member_vec(self, m: _Member) -> dict[str, float]:
        if m.vec is None:
            m.vec = self._unit_vector(m.terms)
        return m.vec

    def _top_link(self, story: _Story, vec: dict[str, float]) -> float:
        """Mean of the ``link_top_k`` highest cosines of the article with the story's
        ``link_members`` most recent members (k = 1: single link). Lets a diverse story
        take an article close to some of its members that its mean would dilute."""
        cos = []
        for m in story.members[-self.link_members :]:
            mv = self._member_vec(m)
            a, b = (vec, mv) if len(vec) <= len(mv) else (mv, vec)
            cos.append(sum(w * b.get(t, 0.0) for t, w in a.items()))
        top = sorted(cos, reverse=True)[: self.link_top_k]
        return sum(top) / len(top)

    def _story_similarity(self, a: int, b: int) -> float:
        """Average-link similarity of two stories: mean cosine over member pairs (terms only)."""
        sa, sb = self._stories[a], self._stories[b]
        if len(sa.vec) > len(sb.vec):
            sa, sb = sb, sa
        dot = sum(w * sb.vec.get(t, 0.0) for t, w in sa.vec.items())
        return dot / max(1, sa.n * sb.n)

    # -- public API ----------------------------------------------------------

    def add(self, article: Article, *, embedding: np.ndarray | None, entity_ids: set[str]) -> StoryAssignment:
        """Assign ``article`` to a story, updating the index.

        After a join, the other candidates the article scored at or above
        ``join_threshold`` are compared with the joined story; one whose average-link similarity
        reaches ``merge_threshold`` is merged, the older id surviving.

        Args:
            article: needs ``id``, ``title``, ``text``, ``published``.
            embedding: L2-normalised embedding of :func:`lead_parts`' lead, or
                None (an all-zero vector also counts as none).
            entity_ids: resolved entity ids found in the article.

        Returns:
            The assignment; an article id seen before gets its (current) story
            back (``is_new`` False, ``score`` 1.0) and changes nothing.
        """
        if article.id in self._assigned:
            return StoryAssignment(self._resolve(self._assigned[article.id]), False, 1.0)
        emb = None
        if embedding is not None:
            e = np.asarray(embedding, dtype=np.float32).ravel()
            norm = float(np.linalg.norm(e))
            emb = e / norm if norm > 0 else None
        terms, first = self._article_terms(article)
        self._n_docs += 1
        self._df.update(terms.keys())
        self._ent_df.update(sorted(entity_ids))  # sorted: state bytes reproducible across processes
        vec = self._unit_vector(terms)
        day = parse_days(article.published)
        cands = self._candidates(vec, entity_ids, emb)
        scores = {s: self._score(s, vec, entity_ids, emb, day) for s in cands}
        best = max(scores, key=lambda s: (scores[s], -s), default=-1)
        best_score = scores.get(best, 0.0)
        if (best < 0 or best_score < self.threshold) and emb is not None and self._foreign(article):
            best, best_score = self._crosslingual(emb, day, best, best_score)
        is_new = best < 0 or best_score < self.threshold
        if is_new:
            best = len(self._stories)
            story = _Story(id=f"S{best + 1:06d}")
            self._stories.append(story)
            self._by_id[story.id] = best
        self._join(best, article, terms, vec, first, entity_ids, emb, day)
        joined = self._stories[best].id
        self._assigned[article.id] = joined
        # Only stories the article itself comes close to are merge candidates (bounded work).
        near = [s for s in cands if s != best and scores[s] >= self.threshold]
        survivor, absorbed = self._merge_around(best, near, day)
        sid = self._stories[survivor].id
        merged_into = sid if sid != joined else None
        return StoryAssignment(sid, is_new, round(best_score, 4), merged_into, len(cands), tuple(absorbed))

    @staticmethod
    def _foreign(article: Article) -> bool:
        """A non-Arabic article: its terms barely meet the Arabic stories', so e5 decides."""
        return bool(article.language) and article.language != "ar"

    def _crosslingual(self, emb: np.ndarray, day: float | None, best: int, best_score: float) -> tuple[int, float]:
        """For a non-Arabic article that no story takes on terms:
        join the nearest story centroid if its e5 cosine is at least ``crosslingual_min_cosine``
        and beats the next story's by ``crosslingual_margin`` (e5 cosines are compressed, so
        the margin, not the level, is what separates topics)."""
        if self._centroids is None:
            return best, best_score
        n = min(len(self._stories), self._centroids.shape[0])
        lo = max(0, n - self.embedding_window)
        sims = (self._centroids[lo:n] @ emb).astype(np.float64)
        for i in range(n - lo):
            if not self._stories[lo + i].alive or not self._stories[lo + i].n_emb:
                sims[i] = -2.0
        if n - lo < 1:
            return best, best_score
        order = np.argsort(-sims)
        top = float(sims[order[0]])
        second = float(sims[order[1]]) if n - lo > 1 else -1.0
        s = lo + int(order[0])
        if top >= self.xl_cos and top - second >= self.xl_margin and self._decay(day, self._stories[s]) >= 0.5:
            return s, self.threshold
        return best, best_score

    def _merge_around(self, s: int, others: list[int], day: float | None) -> tuple[int, list[str]]:
        """Merge into ``s`` (or ``s`` into an older one) the candidates close enough to it."""
        absorbed: list[str] = []
        for o in sorted(others):
            o, s = self._live(o), self._live(s)
            if o == s or self.merge_threshold > 1.0:
                continue
            if self._story_similarity(s, o) * self._decay(day, self._stories[o]) < self.merge_threshold:
                continue
            keep, drop = min(s, o), max(s, o)
            self._merge(keep, drop)
            absorbed.append(self._stories[drop].id)
            s = keep
        return self._live(s), absorbed

    def _merge(self, keep: int, drop: int) -> None:
        k, d = self._stories[keep], self._stories[drop]
        for t in d.terms:
            if t not in k.terms:
                bisect.insort(self._postings.setdefault(t, []), keep)
        for e in d.entities:
            if e not in k.entities:
                bisect.insort(self._ent_postings.setdefault(e, []), keep)
        k.terms.update(d.terms)
        k.entities.update(d.entities)
        for t, w in d.vec.items():
            k.vec[t] = k.vec.get(t, 0.0) + w
        k.n += d.n
        self._prune(k)
        k.members.extend(d.members)
        for lo_hi in (d.first, d.last):
            if lo_hi is not None:
                k.first = lo_hi if k.first is None else min(k.first, lo_hi)
                k.last = lo_hi if k.last is None else max(k.last, lo_hi)
        if d.n_emb and self._emb_sum is not None:
            self._emb_sum[keep] += self._emb_sum[drop]
            k.n_emb += d.n_emb
            self._centroids[keep] = self._emb_sum[keep] / max(1e-12, float(np.linalg.norm(self._emb_sum[keep])))
            self._emb_sum[drop] = 0.0
            self._centroids[drop] = 0.0
        d.alive, d.terms, d.vec, d.entities, d.members = False, Counter(), {}, Counter(), []
        self._alias[d.id] = k.id
        self._events.append((d.id, "merged_into", k.id))

    def _prune(self, story: _Story) -> None:
        """Keep the ``max_story_terms`` heaviest terms of a story's vector (bounds memory and merge cost)."""
        if len(story.vec) > 2 * self.max_story_terms:
            top = sorted(story.vec.items(), key=lambda kv: (-kv[1], kv[0]))[: self.max_story_terms]
            story.vec = dict(top)

    def _join(
        self,
        s: int,
        article: Article,
        terms: Counter[str],
        vec: dict[str, float],
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
        for t, w in vec.items():
            story.vec[t] = story.vec.get(t, 0.0) + w
        story.n += 1
        self._prune(story)
        story.members.append(_Member(article.id, article.title.strip(), first, dict(terms),
                                     vec if self.link_mix else None))  # kept only if read: memory
        if day is not None:
            story.first = day if story.first is None else min(story.first, day)
            story.last = day if story.last is None else max(story.last, day)
        if emb is not None:
            self._ensure_rows(emb.shape[0])
            self._emb_sum[s] += emb
            story.n_emb += 1
            self._centroids[s] = self._emb_sum[s] / max(1e-12, float(np.linalg.norm(self._emb_sum[s])))

    def story_of(self, article_id: str) -> str | None:
        """The article's current story (merge survivors followed), or None if unknown."""
        sid = self._assigned.get(article_id)
        return None if sid is None else self._resolve(sid)

    def current(self, story_id: str) -> str:
        """The live story a (possibly merged) story id now is."""
        return self._resolve(story_id)

    def events(self) -> list[tuple[str, str, str]]:
        """Merges so far, oldest first: ``(story_id, "merged_into", survivor_id)``.

        The survivor is always the older (lower) id; the merged id is never
        reused, and :meth:`story_of` follows it to the survivor.
        """
        return list(self._events)

    def _central(self, story_id: str) -> _Member:
        story = self._stories[self._by_id[self._resolve(story_id)]]
        best, best_cos = story.members[0], -1.0
        for m in story.members:
            vec = self._unit_vector(m.terms)
            cos = sum(w * story.vec.get(t, 0.0) for t, w in vec.items())
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
        """Every live story, in id order, as :class:`khabar.model.Story`."""
        return [
            Story(s.id, self.label(s.id), self.summary(s.id), [m.article_id for m in s.members])
            for s in self._stories
            if s.alive
        ]

    def __len__(self) -> int:
        """Live stories (merged ones not counted)."""
        return sum(1 for s in self._stories if s.alive)

    # -- state ---------------------------------------------------------------

    def to_state(self) -> dict[str, Any]:
        """Plain JSON-able data plus ``emb_sums``: float32 ``(n_stories, dim)`` or None."""
        n = len(self._stories)
        return {
            "version": 2,
            "n_docs": self._n_docs,
            "df": dict(self._df),
            "ent_df": dict(self._ent_df),
            "assigned": dict(self._assigned),
            "events": [list(e) for e in self._events],
            "stories": [
                {
                    "id": s.id,
                    "alive": s.alive,
                    "terms": dict(s.terms),
                    "vec": dict(s.vec),
                    "n": s.n,
                    "entities": dict(s.entities),
                    "n_emb": s.n_emb,
                    "first": s.first,
                    "last": s.last,
                    # a member's vector is saved only when link scoring uses it: it holds the IDF of
                    # its join time, which a rebuild at load could not reproduce (replay must be exact)
                    "members": [[m.article_id, m.title, m.lead_sentence, m.terms]
                                + ([m.vec] if self.link_mix and m.vec is not None else []) for m in s.members],
                }
                for s in self._stories
            ],
            "emb_sums": None if self._emb_sum is None else self._emb_sum[:n].copy(),
        }

    @classmethod
    def from_state(cls, state: dict[str, Any], settings: dict[str, Any] | None = None) -> StoryIndex:
        """Rebuild from :meth:`to_state` output; postings and centroids are recomputed.

        A version-1 state (before merges) gets each story's vector rebuilt from
        its members' term counts.
        """
        idx = cls(settings)
        idx._n_docs = int(state["n_docs"])
        idx._df = Counter({k: int(v) for k, v in state["df"].items()})
        idx._ent_df = Counter({k: int(v) for k, v in state["ent_df"].items()})
        idx._assigned = dict(state["assigned"])
        idx._events = [(str(a), str(b), str(c)) for a, b, c in state.get("events", [])]
        idx._alias = {a: c for a, _, c in idx._events}
        for i, d in enumerate(state["stories"]):
            members = [_Member(a, t, f, {k: int(v) for k, v in tm.items()},
                               {k: float(v) for k, v in rest[0].items()} if rest else None)
                       for a, t, f, tm, *rest in d["members"]]
            story = _Story(
                id=d["id"],
                terms=Counter({k: int(v) for k, v in d["terms"].items()}),
                entities=Counter({k: int(v) for k, v in d["entities"].items()}),
                n_emb=int(d["n_emb"]),
                first=d["first"],
                last=d["last"],
                members=members,
                alive=bool(d.get("alive", True)),
            )
            if "vec" in d:
                story.vec, story.n = {k: float(v) for k, v in d["vec"].items()}, int(d["n"])
            else:
                for m in members:
                    for t, w in idx._unit_vector(m.terms).items():
                        story.vec[t] = story.vec.get(t, 0.0) + w
                story.n = len(members)
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
