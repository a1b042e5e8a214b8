"""Online story clustering: each new article joins the best story or starts one.

An article is represented by its *lead* (title + the first sentences of the
text, see :func:`lead_parts`): salient terms (folded, clitic-stripped words
from :func:`khabar.arabic.match_key`, stopwords dropped, title counted
``title_weight`` times; with ``lemma_terms``, a word the dictionary lists under another form
counts as that form, :mod:`khabar.lemmas`), its entity ids and an optional embedding of the lead.
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

Memory (issue #9): the index lives in the main process for a whole run, so
terms are ids into one vocabulary (``int32``), document frequencies an
``array``, members' term counts columnar arrays shared by all stories, story
vectors sparse numpy arrays (:class:`SparseVec`) and postings bare ints or
``array('i')``. Float sums keep the order of the dict-based version (insertion
order, Python ``sum``), so scores, joins and merges are bit-identical to it; the
saved state keeps the version-2 layout.
"""

from __future__ import annotations

import heapq
import math
import re
import sys
from array import array
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

import numpy as np

from khabar.arabic import fold, match_key, normalize, words
from khabar.authors import answering_keys, person_terms
from khabar.compact import Postings, SparseVec
from khabar.claim_tokens import act_token, on_concepts_change
from khabar.denials import says_steady
from khabar.lemmas import lemma_key
from khabar.memo import Generations
from khabar.model import POST_MAX_CHARS, Article, Story
from khabar.settings import check_range, section_with_defaults
from khabar.spoken import written
from khabar.stance import speaker_stance

# Function words, written plainly; folded and clitic-stripped below so they
# compare with match_key output.
_STOPWORDS_RAW = """
في من على إلى الى عن مع أن إن أنه إنه أنها انها كان كانت يكون تكون قد لقد لم لن لا ما ماذا هل
هذا هذه ذلك تلك هؤلاء الذي التي الذين اللذين اللتين اللواتي هو هي هم هن نحن أنا انت أنت
بعد قبل حتى خلال منذ عند عندما بين أمام ضد حول دون غير سوى كل بعض أي أو ثم بل لكن لكنه
قال قالت وقال وقالت أكد أكدت أضاف أضافت ذكر ذكرت أشار أشارت أوضح أوضحت يوم اليوم أمس الأحد الاثنين
الثلاثاء الأربعاء الخميس الجمعة السبت العام عام كما وفق وفقا حيث إذا اذا لدى فيه فيها به بها له لها
عليه عليها منه منها إليه إليها وذلك وهو وهي أيضا ايضا جدا تم يتم وقد كذلك فقط مثل ضمن عبر بشكل شكل
the a an of to in on for and or is are was were be by with from at as that this it its said says
ولا ولم لهذا لذلك بهذا يا جماعة سمعت إنو انو رح راح هيك اللي عم
"""
_STOPWORDS: frozenset[str] = frozenset(match_key(_STOPWORDS_RAW).split())

_SENT_RE = re.compile(r"(?:[^.!?؟\n]|(?<=\d)\.(?=\d))+[.!?؟]*")  # "بقوة 4.9 درجات": a decimal point ends nothing


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
class _Story:
    id: str
    tids: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int32))  # sorted term ids of members
    vec: SparseVec = field(default_factory=SparseVec)  # sum of members' unit TF-IDF vectors
    n: int = 0  # members counted in ``vec``
    entities: Counter[str] = field(default_factory=Counter)
    n_emb: int = 0
    first: float | None = None
    last: float | None = None
    members: array = field(default_factory=lambda: array("i"))  # member rows (see StoryIndex._m_*)
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


def terms_of(text: str, *, lemmas: bool = False, pronouns: bool = False) -> list[str]:
    """Salient terms of ``text``: match keys of its words, no stopwords or 1-letter words.

    With ``lemmas``, a word the dictionary lists under another form counts as
    that form's key (:func:`khabar.lemmas.lemma_key`): أسعار as سعر, الأطباء as طبيب;
    with ``pronouns`` too, a word with an attached pronoun the dictionary lacks
    counts as the word without it (لتأجيلها as تأجيل). That is for posts: a rumour
    and its two-line denial share few words. In news it merged more stories than it
    should (two days of SaudiNewsNet: 7 % fewer stories, squared story sizes +14 %;
    baly2018 fold 1 precision 0.86 -> 0.81).
    """
    if not lemmas:
        return [t for t in match_key(text).split() if len(t) > 1 and t not in _STOPWORDS]
    out: list[str] = []
    for a, b in words(text):
        w = text[a:b]
        memo = "\x00" + w if pronouns else w
        keys = _WORD_TERMS.get(memo)
        if keys is None:
            ww = written(w)  # spoken Arabic as written (:mod:`khabar.spoken`): بكرا -> غدا
            lk = lemma_key(ww, pronouns=pronouns) if ww else ""
            keys = tuple(t for t in ((lk,) if lk else match_key(ww).split()) if len(t) > 1 and t not in _STOPWORDS)
            if pronouns and keys and (tok := act_token(w)) and tok not in keys and len(tok) > 1 and tok not in _STOPWORDS:
                keys += (tok,)  # a post's verb meets the reply's verbal noun, a synonym its head (claim tokens)
            _WORD_TERMS.put(memo, keys)
        out += keys
    return out


def conversation_terms(author: str, text: str) -> list[str]:
    """One term per pair of accounts a post links, its author's and each it mentions ("@a|@b", in order).

    A question to a ministry ("@MOH_Oman هل صحيح ...", by @oman_citizen) and its answer
    ("@oman_citizen لا يوجد أي توجه ...", by @MOH_Oman) give the same term: a thread joins
    even when the answer words the matter otherwise. Posts by one account do not share it
    unless they address the same account.
    """
    mine = {h.lower() for h in _HANDLE_RE.findall(author)}
    mentioned = sorted({h.lower() for h in _HANDLE_RE.findall(text)} - mine)
    return [f"@{'|'.join(sorted((a, m)))}" for a in sorted(mine) for m in mentioned]


_HANDLE_RE = re.compile(r"@(\w{2,})", re.ASCII)
# Per written word, its story terms with lemmas (a bounded memo: news reuses its words).
_WORD_TERMS: Generations[str, tuple[str, ...]] = Generations(20_000)
on_concepts_change(_WORD_TERMS.clear)  # a post's terms read the concept table (act_token)


def _outside_attributions(article: Article) -> str:
    """The text of ``article`` with its attributions (speaker to content) blanked: what its author says."""
    text = list(article.text)
    for at in article.attributions:
        a, b = at.extent
        text[a:b] = " " * (b - a)
    return "".join(text)


def _denied_text(article: Article) -> str:
    """What a post denies: its contents read as a denial or saying things are as they were, else its own words
    when they deny ("ننفي ما تم تداوله عن إقالة المدير الفني"); "" when it denies nothing."""
    contents = [(at.stance, article.span_text(at.content)) for at in article.attributions]
    denied = " ".join(text for stance, text in contents if stance == "deny" or says_steady(text))
    if not denied:
        own = _outside_attributions(article)
        denied = own if speaker_stance("", own) == "deny" or says_steady(own) else ""
    return denied


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
        self.lemma_terms = bool(sec["lemma_terms"])
        self.max_query_terms = int(c("stories.max_query_terms", sec["max_query_terms"], 1, 1000))
        self.max_postings = int(c("stories.max_postings", sec["max_postings"], 1, 1_000_000))
        self.max_df_share = c("stories.max_df_share", sec["max_df_share"], 0.0, 1.0)
        self.max_story_terms = int(c("stories.max_story_terms", sec["max_story_terms"], 10, 1_000_000))
        self.k_index = int(c("stories.k_index", sec["k_index"], 0, 10_000))
        self.k_embedding = int(c("stories.k_embedding", sec["k_embedding"], 0, 10_000))
        self.embedding_window = int(c("stories.embedding_window", sec["embedding_window"], 1, 10_000_000))
        self.w_ent = c("stories.weight_entities", sec["weight_entities"], 0.0, 1.0)
        self.w_author = c("stories.weight_author", sec["weight_author"], 0.0, 1.0)
        self.w_emb = c("stories.weight_embedding", sec["weight_embedding"], 0.0, 1.0)
        self.emb_floor = c("stories.embedding_floor", sec["embedding_floor"], -1.0, 0.99)
        self.threshold = c("stories.join_threshold", sec["join_threshold"], 0.0, 1.0)
        self.denial_threshold = c("stories.denial_post_join_threshold", sec["denial_post_join_threshold"], 0.0, 1.0)
        self.merge_threshold = c("stories.merge_threshold", sec["merge_threshold"], 0.0, 1.01)
        self.xl_cos = c("stories.crosslingual_min_cosine", sec["crosslingual_min_cosine"], -1.0, 1.0)
        self.xl_margin = c("stories.crosslingual_margin", sec["crosslingual_margin"], 0.0, 2.0)
        self.grace = c("stories.decay_grace_days", sec["decay_grace_days"], 0.0, 3650.0)
        self.half_life = c("stories.decay_half_life_days", sec["decay_half_life_days"], 0.01, 3650.0)
        self.link_mix = c("stories.link_mix", sec["link_mix"], 0.0, 1.0)
        self.link_top_k = int(c("stories.link_top_k", sec["link_top_k"], 1, 1000))
        self.link_members = int(c("stories.link_members", sec["link_members"], 1, 100_000))
        self.passage_mix = c("stories.passage_mix", sec["passage_mix"], 0.0, 1.0)
        self.passage_terms = int(c("stories.passage_terms", sec["passage_terms"], 5, 10_000))
        self.passage_candidates = int(c("stories.passage_candidates", sec["passage_candidates"], 1, 10_000))
        # IDF prior: as if `idf_prior_docs` earlier articles had been seen, each content term in `idf_prior_df` of them.
        self.prior_docs = c("stories.idf_prior_docs", sec["idf_prior_docs"], 0.0, 1e9)
        self.prior_df = c("stories.idf_prior_df", sec["idf_prior_df"], 0.0, 1e9)
        self._stories: list[_Story] = []
        self._by_id: dict[str, int] = {}
        self._assigned: dict[str, str] = {}  # article id -> the story id it was first given
        self._alias: dict[str, str] = {}  # merged story id -> the story it was merged into
        self._events: list[tuple[str, str, str]] = []
        self._vocab: dict[str, int] = {}  # term -> id, ids in first-seen order
        self._terms: list[str] = []  # id -> term
        self._df = array("i")  # id -> articles holding the term
        self._ent_df: Counter[str] = Counter()
        self._n_docs = 0
        self._postings = Postings()  # term id -> story rows
        self._ent_postings = Postings()  # entity id -> story rows
        # Members, columnar (row m: one article in a story): id, title, first lead sentence, and its
        # term counts as ids/counts in _m_tids/_m_cnts[_m_off[m]:_m_off[m + 1]] (Counter order).
        self._m_aid: list[str] = []
        self._m_title: list[str] = []
        self._m_lead: list[str] = []
        self._m_off = array("q", (0,))
        self._m_tids = array("i")
        self._m_cnts = array("i")
        self._m_vec: dict[int, SparseVec] = {}  # unit vector at join time, kept only when link_mix reads it
        self._emb_sum: np.ndarray | None = None  # (capacity, dim) float32 sums of member embeddings
        self._centroids: np.ndarray | None = None  # same rows, L2-normalised (zero: no embedding)

    # -- helpers -------------------------------------------------------------

    def _idf(self, df: int) -> float:
        """IDF of a term or entity held by ``df`` of the articles seen so far.

        With the prior (:attr:`prior_docs`, :attr:`prior_df`): in a store of a
        few articles every shared term looks common, so a rumour and its denial,
        which share their content words, would score low; the prior counts as
        earlier articles in which no content word is common. Past a few hundred
        articles the store's own counts decide.
        """
        docs, offset = self._idf_parts()
        return math.log(docs / (df + offset))

    def _idf_parts(self) -> tuple[float, float]:
        """IDF = log(docs / (df + offset)): the two constants, prior included, shared by the scalar and numpy paths."""
        return self._n_docs + 1 + self.prior_docs, 0.5 + self.prior_df

    def _term_id(self, term: str) -> int:
        tid = self._vocab.get(term)
        if tid is None:
            tid = self._vocab[term] = len(self._terms)
            self._terms.append(term)
            self._df.append(0)
        return tid

    def _denies_into(self, article: Article, s: int) -> bool:
        """Whether ``article`` is a post that denies something (an attribution read as a denial, or one saying
        things are as they were, :func:`khabar.denials.says_steady`: "أسعار الخبز ثابتة دون تغيير") with a word of
        what it denies in story ``s``: an authority's answer to a rumour often words the matter otherwise ("لا صحة
        لوقف تأشيرات الزيارة" / "وقف إصدار سمات الزيارة"), so it joins at ``denial_post_join_threshold``. Its
        speaker and cue do not count: "وزارة المالية تنفي ..." shares them with any of the ministry's stories."""
        if len(article.text) > POST_MAX_CHARS:
            return False
        denied = _denied_text(article)
        ids = [self._vocab[t] for t in terms_of(denied, lemmas=self.lemma_terms, pronouns=True) if t in self._vocab]
        return bool(ids) and bool(np.isin(np.array(ids, dtype=np.int32), self._stories[s].tids).any())

    def _article_terms(self, article: Article) -> tuple[Counter[str], str]:
        lead, first = lead_parts(article, sentences=self.lead_sentences, max_chars=self.lead_chars)
        post = len(article.text) <= POST_MAX_CHARS  # see terms_of's ``pronouns``
        counts = Counter(terms_of(lead, lemmas=self.lemma_terms, pronouns=post))
        for t in terms_of(article.title, lemmas=self.lemma_terms, pronouns=post):
            counts[t] += self.title_weight - 1
        if post:
            counts.update(conversation_terms(article.source, article.text))
        return counts, first

    @staticmethod
    def _people_of_post(article: Article) -> tuple[set[str], frozenset[str], str]:
        """A post's people as name keys (:mod:`khabar.authors`), counted with its entities: the people it names,
        and, when it denies in the first person, its author ("كل ما يكتب عن انفصالي غير صحيح" by
        @RimaKhouryOfficial shares ريما الخوري with the rumour that names her; a story naming the author also
        gets ``weight_author``); and when it denies speaking of a relative ("الوالد بخير" by @fahad_b_alfahad),
        the author's family name key (a story naming someone of that family gets ``weight_author``). As entities,
        not terms: a key added to every post's term vector would dilute its cosine with a reply that names no one."""
        if len(article.text) > POST_MAX_CHARS:
            return set(), frozenset(), ""
        author, family = answering_keys(article)
        if (author or family) and not _denied_text(article):
            author, family = frozenset(), ""
        return set(person_terms(article)), author, family

    def _unit(self, tids: Iterable[int], cnts: Iterable[int]) -> SparseVec:
        """Sublinear TF times IDF (counted over the articles seen so far), L2-normalised, in term order."""
        (n1, pdf), df, log = self._idf_parts(), self._df, math.log
        ids: list[int] = []
        ws: list[float] = []
        for t, c in zip(tids, cnts, strict=True):
            if c > 0:
                ids.append(t)
                ws.append((1.0 + log(c)) * log(n1 / (df[t] + pdf)))
        norm = math.sqrt(sum(w * w for w in ws))
        if not norm > 0:
            return SparseVec()
        return SparseVec(np.array(ids, dtype=np.int32), np.array([w / norm for w in ws], dtype=np.float64))

    def _vec_from(self, d: dict[str, float]) -> SparseVec:
        """A saved ``{term: weight}`` vector (insertion order kept)."""
        return SparseVec(np.array([self._term_id(t) for t in d], dtype=np.int32),
                          np.array([float(w) for w in d.values()], dtype=np.float64))

    def _add_member(self, aid: str, title: str, lead: str, tids: list[int], cnts: list[int]) -> int:
        m = len(self._m_aid)
        self._m_aid.append(sys.intern(aid))
        self._m_title.append(title)
        self._m_lead.append(lead)
        self._m_tids.extend(tids)
        self._m_cnts.extend(cnts)
        self._m_off.append(len(self._m_tids))
        return m

    def _m_terms(self, m: int) -> tuple[list[int], list[int]]:
        """Member ``m``'s term ids and counts, in its Counter's order."""
        a, b = self._m_off[m], self._m_off[m + 1]
        return self._m_tids[a:b].tolist(), self._m_cnts[a:b].tolist()

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

    def _candidates(self, vec: SparseVec, entity_ids: set[str], emb: np.ndarray | None) -> list[int]:
        """Stories sharing the article's heaviest terms or its entities, plus embedding neighbours.

        Query terms are the ``max_query_terms`` heaviest of the article's TF-IDF
        vector among those seen before (a first-seen term has no postings) and
        in at most ``max_df_share`` of articles; each votes its weight for the
        ``max_postings`` most recent stories holding it.
        """
        votes: dict[int, float] = {}
        df_limit = max(10.0, self.max_df_share * self._n_docs)
        df, terms = self._df, self._terms
        salient = sorted(
            ((t, w) for t, w in zip(vec.ids.tolist(), vec.w.tolist(), strict=True) if 1 < df[t] <= df_limit),
            key=lambda tw: (-tw[1], terms[tw[0]]),
        )[: self.max_query_terms]
        for t, w in salient:
            for s in self._postings.recent(t, self.max_postings):
                votes[s] = votes.get(s, 0.0) + w
        for e in sorted(entity_ids):
            w = self._idf(self._ent_df.get(e, 0))
            for s in self._ent_postings.recent(e, self.max_postings):
                votes[s] = votes.get(s, 0.0) + w
        live: dict[int, float] = {}
        for s, v in votes.items():
            r = self._live(s)
            live[r] = max(live.get(r, 0.0), v)
        chosen = set(heapq.nsmallest(self.k_index, live, key=lambda s: (-live[s], -s)))  # the same as sorting all
        n = 0 if self._centroids is None else min(len(self._stories), self._centroids.shape[0])
        if emb is not None and self._centroids is not None and n and self.k_embedding:
            lo = max(0, n - self.embedding_window)  # numpy over the most recent stories only
            sims = self._centroids[lo:n] @ emb
            k = min(self.k_embedding, n - lo)
            top = np.argpartition(-sims, k - 1)[:k]
            chosen.update(self._live(lo + int(i)) for i in top if sims[i] > self.emb_floor)
        return sorted(chosen)

    def _score(
        self, s: int, vec: SparseVec, entity_ids: set[str], emb: np.ndarray | None, day: float | None,
        passage: float | None = None,
    ) -> float:
        """Mean cosine of the article with the story's members, plus entity and embedding bonuses."""
        story = self._stories[s]
        score = story.vec.dot(vec) / max(1, story.n)
        if self.link_mix and story.members:
            score = (1.0 - self.link_mix) * score + self.link_mix * self._top_link(story, vec)
        if passage is not None:  # a shared paragraph lifts the score; windows that match nothing do not lower it
            score = max(score, (1.0 - self.passage_mix) * score + self.passage_mix * passage)
        if entity_ids and story.entities and self.w_ent:
            shared = sum(1 for e in entity_ids if e in story.entities)
            score += self.w_ent * shared / min(len(entity_ids), len(story.entities))
        if emb is not None and story.n_emb and self._centroids is not None and self.w_emb:
            cos = float(self._centroids[s] @ emb)
            score += self.w_emb * min(1.0, max(0.0, (cos - self.emb_floor) / (1.0 - self.emb_floor)))
        return min(1.0, score) * self._decay(day, story)

    def _member_vec(self, m: int) -> SparseVec:
        mv = self._m_vec.get(m)
        if mv is None:
            mv = self._m_vec[m] = self._unit(*self._m_terms(m))
        return mv

    def _top_link(self, story: _Story, vec: SparseVec) -> float:
        """Mean of the ``link_top_k`` highest cosines of the article with the story's
        ``link_members`` most recent members (k = 1: single link). Lets a diverse story
        take an article close to some of its members that its mean would dilute."""
        cos = []
        for m in story.members[-self.link_members :]:
            mv = self._member_vec(m)
            a, b = (vec, mv) if len(vec) <= len(mv) else (mv, vec)
            cos.append(b.dot(a))
        top = sorted(cos, reverse=True)[: self.link_top_k]
        return sum(top) / len(top)

    def _passage_scores(self, cands: list[int], text: str) -> dict[int, float]:
        """Best cosine of a ``passage_terms``-term window of ``text`` with the lead of one of each story's recent members.

        Two reports of one event often share one paragraph, not their leads: a
        survey that reaches the event in its fifth paragraph, a wire that opens
        on the reaction. Windows half overlap; terms no earlier article held
        are left out (they match nothing).
        """
        df = self._df
        known = [t for t in (self._vocab.get(w) for w in terms_of(text, lemmas=self.lemma_terms)) if t is not None and df[t] > 0]
        members = [(s, m) for s in cands for m in self._stories[s].members[-self.link_members :]]
        if not known or not members:
            return {}
        local = np.unique(np.array(known, dtype=np.int64))  # the article's terms, as columns of a small dense matrix
        col = np.searchsorted(local, np.array(known, dtype=np.int64))
        size, step = self.passage_terms, max(1, self.passage_terms // 2)
        starts = range(0, max(1, len(known) - size + step), step)
        # Each window's (window, column) pairs, counted.
        pairs = np.concatenate([r * local.size + col[i : i + size] for r, i in enumerate(starts)])
        keys, counts = np.unique(pairs, return_counts=True)
        rows, cols = np.divmod(keys, local.size)
        windows = np.zeros((len(starts), local.size))
        windows[rows, cols] = self._unit_rows(rows, local[cols], counts, len(starts))
        # The members' lead vectors at today's IDF, from their stored term counts (none is kept).
        rows, flat_ids, flat_w = self._member_units([m for _, m in members])
        pos = np.minimum(np.searchsorted(local, flat_ids), local.size - 1)
        hit = local[pos] == flat_ids
        leads = np.zeros((len(members), local.size))
        leads[rows[hit], pos[hit]] = flat_w[hit]  # a member's lead terms the article lacks add nothing to a cosine
        best = (windows @ leads.T).max(axis=0)
        out: dict[int, float] = {}
        for (s, _), b in zip(members, best.tolist(), strict=True):
            out[s] = max(out.get(s, 0.0), b)
        return out

    def _member_units(self, members: list[int]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """``(row, term id, weight)`` of every stored term of each member row, ``row`` its index in ``members``:
        their lead vectors as :meth:`_unit` gives them at today's IDF, vectorised."""
        off = self._m_off
        spans = [np.arange(off[m], off[m + 1]) for m in members]
        at = np.concatenate(spans)
        rows = np.repeat(np.arange(len(members)), [x.size for x in spans])
        ids = np.frombuffer(self._m_tids, dtype=np.int32)[at].astype(np.int64)
        return rows, ids, self._unit_rows(rows, ids, np.frombuffer(self._m_cnts, dtype=np.int32)[at], len(members))

    def _unit_rows(self, rows: np.ndarray, ids: np.ndarray, counts: np.ndarray, n_rows: int) -> np.ndarray:
        """Weights of (row, term id, count) triples as :meth:`_unit` gives them, vectorised: sublinear TF times
        today's IDF, each row L2-normalised."""
        docs, offset = self._idf_parts()
        w = (1.0 + np.log(np.maximum(counts.astype(np.float64), 1.0))) * np.log(
            docs / (np.frombuffer(self._df, dtype=np.int32)[ids] + offset))
        return w / np.maximum(np.sqrt(np.bincount(rows, weights=w * w, minlength=n_rows)), 1e-12)[rows]

    def _story_similarity(self, a: int, b: int) -> float:
        """Average-link similarity of two stories: mean cosine over member pairs (terms only)."""
        sa, sb = self._stories[a], self._stories[b]
        if len(sa.vec) > len(sb.vec):
            sa, sb = sb, sa
        dot = sb.vec.dot(sa.vec)
        return dot / max(1, sa.n * sb.n)

    # -- public API ----------------------------------------------------------

    def rename_entity(self, old: str, new: str) -> int:
        """Count entity ``old`` as ``new`` from now on (a user merged the two); returns the stories touched.

        The index keeps the entity ids of its members: without this, a story
        holding the merged-away id would no longer share its entity with new
        articles, which carry the surviving id.
        """
        if old == new:
            return 0
        rows = list(self._ent_postings.pop(old))
        for s in rows:
            ents = self._stories[s].entities
            n = ents.pop(old, 0)
            if new not in ents:
                self._ent_postings.insort(sys.intern(new), s)
            ents[sys.intern(new)] += n
        if old in self._ent_df:
            self._ent_df[sys.intern(new)] += self._ent_df.pop(old)
        return len(rows)

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
        people, author, family = self._people_of_post(article)
        entity_ids = entity_ids | people | author | ({family} if family else set())
        self._n_docs += 1
        tids = [self._term_id(t) for t in terms]  # new terms get ids in first-seen order, as df's keys
        cnts = list(terms.values())
        for t in tids:
            self._df[t] += 1
        self._ent_df.update(sorted(sys.intern(e) for e in entity_ids))  # sorted: reproducible state bytes
        vec = self._unit(tids, cnts)
        day = parse_days(article.published)
        cands = self._candidates(vec, entity_ids, emb)
        scores = {s: self._score(s, vec, entity_ids, emb, day) for s in cands}
        if self.passage_mix and cands:
            # Windows are compared with the best few candidates only: the rest keep their score.
            top = heapq.nsmallest(self.passage_candidates, scores, key=lambda s: (-scores[s], s))
            passages = self._passage_scores(top, article.text)
            scores.update({s: self._score(s, vec, entity_ids, emb, day, p) for s, p in passages.items()})
        answered = set()  # stories naming the author of a first-person denial: "كل اللي اتقال ده كلام فاضي"
        if (author or family) and self.w_author:  # the person the story names (or a relative) answering
            for s in scores:
                ents = self._stories[s].entities
                if not author.isdisjoint(ents) or family in ents:
                    decay = self._decay(day, self._stories[s])
                    scores[s] += self.w_author * decay
                    if decay >= 0.5:
                        answered.add(s)
        best = max(scores, key=lambda s: (scores[s], -s), default=-1)
        best_score = scores.get(best, 0.0)
        if (best < 0 or best_score < self.threshold) and emb is not None and self._foreign(article):
            best, best_score = self._crosslingual(emb, day, best, best_score, entity_ids)
        is_new = best < 0 or best_score < self.threshold and best not in answered and not (
            best_score >= self.denial_threshold and self._denies_into(article, best))
        if is_new:
            best = len(self._stories)
            story = _Story(id=f"S{best + 1:06d}")
            self._stories.append(story)
            self._by_id[story.id] = best
        self._join(best, article, tids, cnts, vec, first, entity_ids, emb, day)
        joined = self._stories[best].id
        self._assigned[sys.intern(article.id)] = joined
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

    def _crosslingual(self, emb: np.ndarray, day: float | None, best: int, best_score: float,
                      entity_ids: set[str]) -> tuple[int, float]:
        """For a non-Arabic article that no story takes on terms:
        join the nearest story centroid if its e5 cosine is at least ``crosslingual_min_cosine``
        and beats the next story's by ``crosslingual_margin`` (e5 cosines are compressed, so
        the margin, not the level, is what separates topics). When the article and that story
        name one resolved entity (the resolver links "Mansour al-Dabbagh" to "منصور الدباغ"),
        a third of the margin is enough: the shared name is evidence the cosine lacks."""
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
        shares = any(e in self._stories[s].entities for e in entity_ids)
        margin = self.xl_margin / 3 if shares else self.xl_margin
        if top >= self.xl_cos and top - second >= margin and self._decay(day, self._stories[s]) >= 0.5:
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

    def _add_tids(self, s: int, tids: np.ndarray) -> None:
        """Post story row ``s`` under the sorted unique ``tids`` it does not hold yet."""
        story = self._stories[s]
        new = np.setdiff1d(tids, story.tids, assume_unique=True) if story.tids.size else tids
        for t in new.tolist():
            self._postings.insort(t, s)
        if new.size:
            story.tids = np.union1d(story.tids, new).astype(np.int32)

    def _merge(self, keep: int, drop: int) -> None:
        k, d = self._stories[keep], self._stories[drop]
        self._add_tids(keep, d.tids)
        for e in d.entities:
            if e not in k.entities:
                self._ent_postings.insort(e, keep)
        k.entities.update(d.entities)
        k.vec.add(d.vec)
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
        d.alive, d.tids, d.vec, d.entities, d.members = (
            False, np.zeros(0, dtype=np.int32), SparseVec(), Counter(), array("i"))
        self._alias[d.id] = k.id
        self._events.append((d.id, "merged_into", k.id))

    def _prune(self, story: _Story) -> None:
        """Keep the ``max_story_terms`` heaviest terms of a story's vector (bounds memory and merge cost)."""
        if len(story.vec) > 2 * self.max_story_terms:
            terms = self._terms
            top = sorted(zip(story.vec.ids.tolist(), story.vec.w.tolist(), strict=True),
                         key=lambda kv: (-kv[1], terms[kv[0]]))[: self.max_story_terms]
            story.vec = SparseVec(np.array([t for t, _ in top], dtype=np.int32),
                                   np.array([w for _, w in top], dtype=np.float64))

    def _join(
        self,
        s: int,
        article: Article,
        tids: list[int],
        cnts: list[int],
        vec: SparseVec,
        first: str,
        entity_ids: set[str],
        emb: np.ndarray | None,
        day: float | None,
    ) -> None:
        story = self._stories[s]
        self._add_tids(s, np.unique(np.array(tids, dtype=np.int32)))
        for e in entity_ids:
            if e not in story.entities:
                self._ent_postings.insort(sys.intern(e), s)
        story.entities.update(sys.intern(e) for e in entity_ids)
        story.vec.add(vec)
        story.n += 1
        self._prune(story)
        m = self._add_member(article.id, article.title.strip(), first, tids, cnts)
        if self.link_mix:  # kept only if read: memory
            self._m_vec[m] = vec
        story.members.append(m)
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

    def _central(self, story_id: str) -> int:
        """Member row closest to the story's term centroid (the first on ties).

        Every member's TF-IDF unit vector against the centroid in numpy, at once: the
        label of each story an article joins is asked for at every batch, and a big
        story's members one by one cost more than its claims' pair scoring.
        """
        story = self._stories[self._by_id[self._resolve(story_id)]]
        members = story.members
        if len(members) == 1:
            return members[0]
        rows, ids, w = self._member_units(members)
        cos = np.bincount(rows, w * story.vec.get_many(ids), minlength=len(members)).tolist()
        best = 0
        for k in range(1, len(members)):
            if cos[k] > cos[best] + 1e-12:
                best = k
        return members[best]

    def label(self, story_id: str) -> str:
        """Title of the member closest to the story's term centroid. Raises KeyError."""
        return self.headline(story_id)[0]

    def summary(self, story_id: str) -> str:
        """First lead sentence of the most central member. Raises KeyError."""
        return self.headline(story_id)[1]

    def headline(self, story_id: str) -> tuple[str, str]:
        """``(label, summary)`` from one search for the most central member (it walks every member)."""
        m = self._central(story_id)
        return self._m_title[m] or self._m_lead[m], self._m_lead[m]

    def stories(self) -> list[Story]:
        """Every live story, in id order, as :class:`khabar.model.Story`."""
        return [
            Story(s.id, *self.headline(s.id), [self._m_aid[m] for m in s.members])
            for s in self._stories
            if s.alive
        ]

    def __len__(self) -> int:
        """Live stories (merged ones not counted)."""
        return sum(1 for s in self._stories if s.alive)

    # -- state ---------------------------------------------------------------

    def _member_terms(self, m: int) -> dict[str, int]:
        tids, cnts = self._m_terms(m)
        vocab = self._terms
        return dict(zip([vocab[t] for t in tids], cnts, strict=True))

    def to_state(self, *, compact: bool = True) -> dict[str, Any]:
        """The index as plain data: JSON-able values and numpy arrays (``khabar.store.state``).

        Version 3 (``compact``, the default) is columnar: the vocabulary once,
        term ids, counts and weights as int32/float64 arrays with offsets, so a
        checkpoint neither builds a dict per member nor a JSON text of every
        term (at 30,000 articles version 2 was ~160 MiB of JSON). Version 2
        (``compact=False``) is the dict layout of earlier releases; both load.
        """
        return self._state_v3() if compact else self._state_v2()

    def _state_v3(self) -> dict[str, Any]:
        n = len(self._stories)
        rows = np.array([m for s in self._stories for m in s.members], dtype=np.int64)
        off = np.array(self._m_off, dtype=np.int64)
        starts, lens = off[rows], off[rows + 1] - off[rows]
        ends = np.cumsum(lens)
        # Positions of each member's terms in the columns, members in story order.
        pos = np.arange(int(ends[-1]) if ends.size else 0, dtype=np.int64) - np.repeat(ends - lens - starts, lens)
        vrows = [i for i, m in enumerate(rows.tolist()) if self.link_mix and m in self._m_vec]
        vecs = [self._m_vec[int(rows[i])] for i in vrows]
        svecs = [s.vec for s in self._stories]
        return {
            "version": 3,
            "n_docs": self._n_docs,
            "vocab": list(self._terms),
            "df": np.array(self._df, dtype=np.int32),
            "ent_df": dict(self._ent_df),
            "assigned": dict(self._assigned),
            "events": [list(e) for e in self._events],
            "stories": {
                "id": [s.id for s in self._stories],
                "alive": [s.alive for s in self._stories],
                "n": [s.n for s in self._stories],
                "entities": [dict(s.entities) for s in self._stories],
                "n_emb": [s.n_emb for s in self._stories],
                "first": [s.first for s in self._stories],
                "last": [s.last for s in self._stories],
                "member_off": np.cumsum([0] + [len(s.members) for s in self._stories]).astype(np.int64),
                "vec_off": np.cumsum([0] + [len(v) for v in svecs]).astype(np.int64),
                "vec_ids": np.concatenate([v.ids for v in svecs] or [np.zeros(0, np.int32)]).astype(np.int32),
                "vec_w": np.concatenate([v.w for v in svecs] or [np.zeros(0)]).astype(np.float64),
            },
            "members": {  # in story order
                "article_id": [self._m_aid[m] for m in rows.tolist()],
                "title": [self._m_title[m] for m in rows.tolist()],
                "lead": [self._m_lead[m] for m in rows.tolist()],
                "term_off": np.concatenate([[0], ends]).astype(np.int64),
                "term_ids": np.array(self._m_tids, dtype=np.int32)[pos],
                "term_counts": np.array(self._m_cnts, dtype=np.int32)[pos],
                # unit vectors at join time, saved only when link scoring reads them (replay must be exact)
                "vec_rows": np.array(vrows, dtype=np.int64),
                "vec_off": np.cumsum([0] + [len(v) for v in vecs]).astype(np.int64),
                "vec_ids": np.concatenate([v.ids for v in vecs] or [np.zeros(0, np.int32)]).astype(np.int32),
                "vec_w": np.concatenate([v.w for v in vecs] or [np.zeros(0)]).astype(np.float64),
            },
            "emb_sums": None if self._emb_sum is None else self._emb_sum[:n].copy(),
        }

    def _state_v2(self) -> dict[str, Any]:
        n = len(self._stories)
        vocab = self._terms
        stories = []
        for s in self._stories:
            members = [self._member_terms(m) for m in s.members]
            terms: dict[str, int] = {}
            for mt in members:
                for t, c in mt.items():
                    terms[t] = terms.get(t, 0) + c
            stories.append({
                "id": s.id,
                "alive": s.alive,
                "terms": terms,
                "vec": s.vec.items(vocab),
                "n": s.n,
                "entities": dict(s.entities),
                "n_emb": s.n_emb,
                "first": s.first,
                "last": s.last,
                # a member's vector is saved only when link scoring uses it: it holds the IDF of
                # its join time, which a rebuild at load could not reproduce (replay must be exact)
                "members": [[self._m_aid[m], self._m_title[m], self._m_lead[m], mt]
                            + ([self._m_vec[m].items(vocab)] if self.link_mix and m in self._m_vec else [])
                            for m, mt in zip(s.members, members, strict=True)],
            })
        return {
            "version": 2,
            "n_docs": self._n_docs,
            "df": {vocab[t]: c for t, c in enumerate(self._df) if c},
            "ent_df": dict(self._ent_df),
            "assigned": dict(self._assigned),
            "events": [list(e) for e in self._events],
            "stories": stories,
            "emb_sums": None if self._emb_sum is None else self._emb_sum[:n].copy(),
        }

    @classmethod
    def from_state(cls, state: dict[str, Any], settings: dict[str, Any] | None = None) -> StoryIndex:
        """Rebuild from :meth:`to_state` output (version 3, or 2 and 1 of earlier releases).

        Postings and centroids are recomputed. A version-1 state (before
        merges) gets each story's vector rebuilt from its members' term counts.
        Strings are interned: JSON decoding makes one copy of an id per occurrence.
        """
        idx = cls(settings)
        idx._n_docs = int(state["n_docs"])
        if int(state.get("version", 1)) >= 3:
            idx._load_v3(state)
        else:
            idx._load_v2(state)
        sums = state.get("emb_sums")
        if sums is not None and len(idx._stories):
            sums = np.asarray(sums, dtype=np.float32)
            idx._ensure_rows(sums.shape[1])
            idx._emb_sum[: sums.shape[0]] = sums
            norms = np.linalg.norm(sums, axis=1, keepdims=True)
            idx._centroids[: sums.shape[0]] = np.where(norms > 0, sums / np.maximum(norms, 1e-12), 0.0)
        return idx

    def _load_common(self, state: dict[str, Any]) -> None:
        intern = sys.intern
        self._ent_df = Counter({intern(k): int(v) for k, v in state["ent_df"].items()})
        self._assigned = {intern(a): intern(sid) for a, sid in state["assigned"].items()}
        self._events = [(intern(str(a)), str(b), intern(str(c))) for a, b, c in state.get("events", [])]
        self._alias = {a: c for a, _, c in self._events}

    def _load_v3(self, state: dict[str, Any]) -> None:
        intern = sys.intern
        self._terms = list(state["vocab"])
        self._vocab = {t: i for i, t in enumerate(self._terms)}
        self._df = array("i", np.asarray(state["df"], dtype=np.int32).tolist())
        self._load_common(state)
        mem, st = state["members"], state["stories"]
        self._m_aid = [intern(a) for a in mem["article_id"]]
        self._m_title, self._m_lead = list(mem["title"]), list(mem["lead"])
        term_off = np.asarray(mem["term_off"], dtype=np.int64)
        term_ids = np.asarray(mem["term_ids"], dtype=np.int32)
        self._m_off = array("q", term_off.tolist())
        self._m_tids = array("i", term_ids.tolist())
        self._m_cnts = array("i", np.asarray(mem["term_counts"], dtype=np.int32).tolist())
        voff, vids, vw = (np.asarray(mem[k]) for k in ("vec_off", "vec_ids", "vec_w"))
        for j, m in enumerate(np.asarray(mem["vec_rows"], dtype=np.int64).tolist()):
            a, b = int(voff[j]), int(voff[j + 1])
            self._m_vec[m] = SparseVec(vids[a:b].astype(np.int32), vw[a:b].astype(np.float64))
        moff = np.asarray(st["member_off"], dtype=np.int64).tolist()
        soff = np.asarray(st["vec_off"], dtype=np.int64).tolist()
        sids, sw = np.asarray(st["vec_ids"], dtype=np.int32), np.asarray(st["vec_w"], dtype=np.float64)
        for i, sid in enumerate(st["id"]):
            story = _Story(
                id=intern(sid),
                vec=SparseVec(sids[soff[i] : soff[i + 1]].copy(), sw[soff[i] : soff[i + 1]].copy()),
                n=int(st["n"][i]),
                entities=Counter({intern(k): int(v) for k, v in st["entities"][i].items()}),
                n_emb=int(st["n_emb"][i]),
                first=st["first"][i],
                last=st["last"][i],
                members=array("i", range(moff[i], moff[i + 1])),
                alive=bool(st["alive"][i]),
            )
            lo, hi = int(term_off[moff[i]]), int(term_off[moff[i + 1]])
            story.tids = np.unique(term_ids[lo:hi])
            self._stories.append(story)
            self._by_id[story.id] = i
            for t in story.tids.tolist():
                self._postings.append(t, i)
            for e in story.entities:
                self._ent_postings.append(e, i)

    def _load_v2(self, state: dict[str, Any]) -> None:
        """Version 2 (and 1): the dict layout, one dict of term counts per member."""
        intern = sys.intern
        idx = self
        for k, v in state["df"].items():
            idx._df[idx._term_id(k)] = int(v)
        idx._load_common(state)
        for i, d in enumerate(state["stories"]):
            story = _Story(
                id=intern(d["id"]),
                entities=Counter({intern(k): int(v) for k, v in d["entities"].items()}),
                n_emb=int(d["n_emb"]),
                first=d["first"],
                last=d["last"],
                alive=bool(d.get("alive", True)),
            )
            for a, t, f, tm, *rest in d["members"]:
                m = idx._add_member(a, t, f, [idx._term_id(k) for k in tm], [int(v) for v in tm.values()])
                if rest:
                    idx._m_vec[m] = idx._vec_from(rest[0])
                story.members.append(m)
            if "vec" in d:
                story.vec, story.n = idx._vec_from(d["vec"]), int(d["n"])
            else:
                for m in story.members:
                    story.vec.add(idx._unit(*idx._m_terms(m)))
                story.n = len(story.members)
            tids = [idx._term_id(t) for t in d["terms"]]
            story.tids = np.unique(np.array(tids, dtype=np.int32))
            idx._stories.append(story)
            idx._by_id[story.id] = i
            for t in tids:
                idx._postings.append(t, i)
            for e in story.entities:
                idx._ent_postings.append(e, i)
