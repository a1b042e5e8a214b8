"""The pipeline: files -> Article -> per-article stages -> corpus stages -> SQLite.

Per-article stages are pure functions of one article (clean, language,
sentences, entity mentions, attribution): they can run in worker processes.
Corpus stages (entity resolution, duplicates, stories, claims) see the stream in
arrival order and keep state in the store, so a later run adds to the same
stories. Each batch is written in one transaction: an interrupted run leaves
whole batches or nothing. The duplicate and story state is O(store) to encode,
so it is checkpointed geometrically (``[store] checkpoint_share``) and at the
end of each run, not with every batch; a run killed between checkpoints is
caught up on the next open by replaying the articles stored after the last
checkpoint (:class:`Analyzer`), giving the state of an uninterrupted run.
"""

from __future__ import annotations

import logging
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np

from khabar import attribution, entities, language, sentences
from khabar.aliases import configure_registry
from khabar.arabic import fold
from khabar.claim_tokens import use_concepts
from khabar.clean import clean
from khabar.dedup import DuplicateIndex
from khabar.embeddings import Embedder, NullEmbedder, make_embedder
from khabar.errors import KhabarError
from khabar.ingest import IngestProblem, RawDocument, article_id, iter_documents
from khabar.model import Article, Entity, RemovedBlock, Story
from khabar.resolve import EntityRegistry
from khabar.settings import Settings, check_range, section_with_defaults
from khabar.stories import StoryIndex, lead_parts
from khabar.store import Store
from khabar.store.aliases import merged_entity_ids, save_links
from khabar.store.search import index_articles
from khabar.translations import RELATION as TRANSLATION, TranslationFinder

REVISION = "revision"  # duplicate relation of an article whose input was analysed again with an edited text

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Stage:
    """A per-article stage: what it reads and what it adds, checked before a run."""

    name: str
    func: Callable[[Article, Settings], None]
    requires: tuple[str, ...]
    assigns: tuple[str, ...]


def _clean_stage(a: Article, s: Settings) -> None:
    cleaned = clean(a.raw, title=a.title, settings=s.section("clean"))
    a.text, a.offsets, a.removed = cleaned.text, cleaned.offsets, list(cleaned.removed)
    a.title = cleaned.title or a.title
    sec = section_with_defaults("clean", s.section("clean"))
    if sec["reporting_headlines"]:
        _keep_reporting_headline(a, s)
    limit = int(sec["max_article_chars"])
    if limit and len(a.text) > limit:  # attribution and claims grow faster than linearly in one text's length
        cut = a.text.rfind("\n", 0, limit)
        cut = len(a.text[: cut if cut >= limit // 2 else limit].rstrip())
        raw_cut = a.offsets.to_raw(cut, cut)[0] if a.offsets is not None else cut
        log.warning("%s: cleaned text of %d characters analysed up to %d ([clean] max_article_chars)", a.path,
                    len(a.text), cut)
        a.text = a.text[:cut]
        a.offsets = a.offsets.prefix(cut) if a.offsets is not None else None
        a.removed.append(RemovedBlock(raw_cut, len(a.raw), "too_long"))


def _keep_reporting_headline(a: Article, s: Settings) -> None:
    """Put a title that reports someone's words ("الداخلية: لا صحة لما يتداول عن عمل تخريبي"، "الكرملين ينفي
    تقرير ...") before the text, when the text does not start with it: a denial often stands in the headline
    alone, and the cleaner takes the title line out (a JSON title was never in the text). Its spans map to the
    title's line in the raw input when the input has it, else to the first copied character."""
    title = " ".join(a.title.split())
    if not title or len(title) > 300 or a.offsets is None or fold(a.text[: len(title) + 8]).startswith(fold(title)):
        return
    probe = Article(id=a.id, path=a.path, raw=title, text=title)
    attribution.find_attributions(probe, settings=s.section("attribution"))
    if not any(at.speaker is not None for at in probe.attributions):
        return
    at = a.raw.find(title)
    first_kept = a.offsets.segments[0][1] if a.offsets.segments else len(a.raw)
    exact = 0 <= at and at + len(title) <= first_kept  # the title line stands in the raw before the kept text
    a.text = title + "\n\n" + a.text
    a.offsets = a.offsets.after_heading(len(title) + 2, len(title), at if exact else None)
    if exact:  # the line is text again, not a removed block
        a.removed = [b for b in a.removed if not (b.raw_start <= at < b.raw_end and b.rule in ("title_line", "repeated_title"))]


def _language_stage(a: Article, s: Settings) -> None:
    a.language = language.detect_language(a.text or a.title)


def _sentence_stage(a: Article, s: Settings) -> None:
    a.add("sentences", sentences.split_sentences(a.text))


def _mention_stage(a: Article, s: Settings) -> None:
    entities.find_mentions(a, settings=s.section("entities"))


def _attribution_stage(a: Article, s: Settings) -> None:
    attribution.find_attributions(a, settings=s.section("attribution"))


ARTICLE_STAGES: tuple[Stage, ...] = (
    Stage("clean", _clean_stage, ("raw",), ("text",)),
    Stage("language", _language_stage, ("text",), ("language",)),
    Stage("sentences", _sentence_stage, ("text",), ("sentences",)),
    Stage("entities", _mention_stage, ("text", "sentences"), ("entities", "roles")),
    Stage("attribution", _attribution_stage, ("text", "sentences", "entities"), ("attributions",)),
)


def check_order(stages: Iterable[Stage]) -> None:
    """Raise KhabarError if a stage reads what no earlier stage assigns."""
    have = {"raw"}
    for st in stages:
        missing = [r for r in st.requires if r not in have]
        if missing:
            raise KhabarError(f"stage {st.name!r} requires {missing}, which no earlier stage assigns")
        have.update(st.assigns)


check_order(ARTICLE_STAGES)


def to_article(doc: RawDocument, aid: str | None = None) -> Article:
    """A new Article for ``doc``; ``aid`` is its :func:`article_id` when the caller already hashed it."""
    return Article(id=aid or article_id(doc), path=doc.path, raw=doc.raw, title=doc.title, source=doc.source,
                   url=doc.url, published=doc.published, author=doc.author, encoding=doc.encoding)


def process_article(doc: RawDocument, settings: Settings, timings: dict[str, float] | None = None, *,
                    aid: str | None = None) -> Article:
    """Run every per-article stage on one document. Pure: safe in a worker process.

    ``timings`` (CPU seconds of this thread per stage name) is added to when given, for ``make bench``;
    ``aid`` is the document's :func:`article_id` when already known (hashed once per input).
    """
    art = to_article(doc, aid)
    for st in ARTICLE_STAGES:
        t0 = time.thread_time()  # CPU seconds: comparable on a loaded machine, unlike wall time
        st.func(art, settings)
        if timings is not None:
            timings[st.name] = timings.get(st.name, 0.0) + time.thread_time() - t0
    return art


@dataclass
class RunSummary:
    run_id: int = 0
    analysed: int = 0
    unchanged: int = 0
    duplicates: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)
    stories_touched: set[str] = field(default_factory=set)
    timings: dict[str, float] = field(default_factory=dict)  # CPU seconds per stage

    def line(self) -> str:
        return (f"{self.analysed} analysed, {self.unchanged} already in the store, "
                f"{self.duplicates} near-duplicates, {len(self.skipped)} skipped, "
                f"{len(self.stories_touched)} stories updated")


class Analyzer:
    """Holds the corpus-stage state for one store across the batches of a run.

    Opening replays the articles stored after the last state checkpoint;
    :meth:`add_batch` saves a checkpoint when the articles added since the
    last one reach ``max(batch_size, checkpoint_share x articles stored)``
    (O(1) amortised per article), and :meth:`checkpoint` at the end of a run.
    """

    def __init__(self, store: Store, settings: Settings, *, embed: bool = True) -> None:
        self.store = store
        self.settings = settings
        self.registry = EntityRegistry.from_entities(store.load_entities())
        configure_registry(self.registry, store, settings.section("entities"))  # alias file and user rules
        use_concepts(section_with_defaults("claims", settings.section("claims"))["concepts_path"])  # bundled + user's
        dup_state = store.load_state("dedup")
        story_state = store.load_state("stories")
        st = settings.section("stories")
        self.dedup = DuplicateIndex.from_state(dup_state, st) if dup_state else DuplicateIndex(st)
        self.stories = StoryIndex.from_state(story_state, st) if story_state else StoryIndex(st)
        self._new_originals: list[tuple[str, str]] = []  # (article, relation): an earlier original found after its copies
        self._revisions: list[tuple[str, str]] = []  # (stored article, its edited version in this batch)
        for old, new in merged_entity_ids(store).items():
            self.stories.rename_entity(old, new)  # a user merge since the index was saved
        self.lead_sentences, self.lead_chars = int(st["lead_sentences"]), int(st["lead_chars"])
        emb = settings.section("embeddings")
        self.embedder = make_embedder(emb, cache=store.embeddings) if embed else NullEmbedder()
        self._skip_duplicates = bool(section_with_defaults("embeddings", emb).get("skip_duplicates", False))
        self.members = _StoryMembers(store, int(settings.get("scale", "story_cache_articles")))
        self.translations = TranslationFinder(settings.section("translations"))
        # Topical tokens of stored statements for claim regrouping: (article id, start, end) -> tokens.
        self._claim_tokens: dict[tuple[str, int, int], frozenset[str]] = {}
        self._claim_tokens_max = int(section_with_defaults("scale", settings.section("scale"))["claim_token_cache"])
        store_sec = section_with_defaults("store", settings.section("store"))
        self._share = float(check_range("store.checkpoint_share", store_sec["checkpoint_share"], 0.0, 10.0))
        self._min_since = int(store_sec["batch_size"])
        self._stored = store.article_count()
        self._since = self._replay(store.state_upto("dedup"), store.state_upto("stories"))
        # Claims of large stories are regrouped when the story has grown by a share, and at the
        # end of the run (checkpoint): regrouping a whole story at every batch made the time per
        # 1,000 articles grow with the store. Stories whose claims lag: id -> size when grouped.
        scale = section_with_defaults("scale", settings.section("scale"))
        self._regroup_small = int(check_range("scale.claims_regroup_small", scale["claims_regroup_small"], 0, 10**9))
        self._regroup_growth = float(check_range("scale.claims_regroup_growth", scale["claims_regroup_growth"], 0.0, 100.0))
        self._stale = store.claims_stale()

    def _replay(self, dedup_upto: int | None, stories_upto: int | None) -> int:
        """Bring the checkpointed corpus state up to the store: add what it does not cover, in arrival order.

        A checkpoint covers the articles up to its ``upto_seq``; those stored
        after it (a run killed between checkpoints) go through ``dedup.add`` and
        ``stories.add`` exactly as the run gave them: stored text and metadata,
        entity ids from the stored mentions, lead embeddings from the cache when
        their run embedded (else none). The state is then the one an
        uninterrupted run would hold. Returns the number of articles replayed.
        """
        start = min(dedup_upto or 0, stories_upto or 0)
        todo = self.store.articles_after(start)
        if not todo:
            return 0
        log.info("replaying %d articles stored after the last corpus-state checkpoint", len(todo))
        embedder: Embedder | NullEmbedder | None = None
        for aid, seq, embedded in todo:
            a = self.store.load_article(aid)
            if a is None:
                continue
            # The original whose vector the run gave a near-duplicate: dedup's answer when dedup is
            # replayed too, else the stored mark (both checkpoints are saved together).
            original = a.duplicate_of
            if seq > (dedup_upto or 0):
                original = a.duplicate_of if self._dedup(a) is not None else None
            if seq > (stories_upto or 0):
                vec = None
                if embedded:  # this run's embedder when it has one; else load the model for the replay only
                    embedder = embedder or (self.embedder if self.embedder.enabled else make_embedder(
                        self.settings.section("embeddings"), cache=self.store.embeddings))
                    vec = self._embed_leads([a], [original], embedder)[0]
                self.stories.add(a, embedding=vec, entity_ids=_entity_ids(a))
        self._new_originals.clear()  # their run re-pointed the copies in the store
        self._revisions.clear()  # ... and marked the earlier versions
        return len(todo)

    def _dedup(self, a: Article) -> str | None:
        """Add ``a`` to the duplicate index; for a near-duplicate set ``a.duplicate_of`` and return the relation."""
        match = self.dedup.add(a.id, a.text, published=a.published, source=a.source)
        if match is None:
            return None
        group = self.dedup.group(a.id)
        earlier = [m for m in group if m != a.id and self.store.article_path(m) == a.path] if a.path else []
        if earlier:
            # the same input analysed again after an edit (a re-scraped page): the new text is the article now, the
            # stored one its earlier version (:meth:`_mark_revisions`), left out of the story's claims
            self._revisions += [(old, a.id) for old in earlier]
            a.duplicate_of = None
            return None
        original = self.dedup.original_of(group)
        if original == a.id:
            # the wire analysed after its copies (earlier, or crediting the agency): it is the original, and the
            # copies already stored point to it (:meth:`_repoint_copies`)
            self._new_originals.append((a.id, match.relation))
            a.duplicate_of = None
            return None
        a.duplicate_of = original
        return match.relation

    def _mark_revisions(self, summary: RunSummary) -> None:
        """Mark each stored article re-analysed in this batch with an edited text as the earlier version of the new one."""
        for old, new in self._revisions:
            self.store.set_duplicate(old, new, REVISION)
            self.members.set_duplicate(old, new)
            summary.duplicates += 1
        self._revisions.clear()

    def _repoint_copies(self, by_id: dict[str, Article], relations: dict[str, str], summary: RunSummary) -> None:
        """Point the members of each group whose original arrived in this batch to it: in the batch and in the store."""
        for new, relation in self._new_originals:
            for m in self.dedup.group(new):
                if m == new:
                    continue
                if m in by_id:
                    by_id[m].duplicate_of = new
                    relations.setdefault(m, relation)
                else:
                    summary.duplicates += self.store.repoint_duplicate(m, new, relation)
                    self.members.set_duplicate(m, new)
        self._new_originals.clear()

    def _embed_leads(self, articles: list[Article], originals: list[str | None],
                     embedder: Embedder | NullEmbedder | None = None) -> list[np.ndarray]:
        """Lead embeddings of ``articles`` in one model call; a near-duplicate gets its original's.

        ``originals[i]`` is the original of a near-duplicate (dedup matched it),
        else None. With ``[embeddings] skip_duplicates`` a near-duplicate is
        given the vector of its original's lead (in this batch, or from the
        content-hash cache), not its own: the two are close (e5 cosine median
        0.97, min 0.82 over 54 SaudiNewsNet pairs) and the original's is already
        embedded, so the copy costs no model call (~115 CPU ms at 400 characters).
        Off by default: the story centroids move a little, and with the 0.2
        embedding bonus that moved 69 of 933 other articles' co-members on the
        first 1,000 SaudiNewsNet inputs. The batch and the replay call this with
        the same originals, so a replayed state equals an uninterrupted run's.
        """
        embedder = embedder or self.embedder
        in_batch = {a.id: a for a in articles}
        texts = []
        for a, orig in zip(articles, originals, strict=True):
            source = a
            if orig is not None and self._skip_duplicates and embedder.enabled:
                source = in_batch.get(orig) or self.store.load_article(orig) or a
            texts.append(self._lead(source))
        return list(embedder.embed(texts))

    def _lead(self, a: Article) -> str:
        """The text embedded for ``a``'s story assignment (title and lead), in a batch and in a replay alike."""
        return lead_parts(a, sentences=self.lead_sentences, max_chars=self.lead_chars)[0]

    def checkpoint(self) -> None:
        """End of a run: regroup the claims of every story whose claims lag, and save the duplicate
        and story state if articles were added since the last checkpoint."""
        if self._stale:
            from khabar.claims import group_claims  # late: claims depends on most stages

            names = self.registry.names()
            claim_settings = self.settings.section("claims")
            with self.store.transaction(), self.members.on_error_forget(), self._on_error_reload_stale():
                for sid in sorted(self._stale):
                    self._regroup(sid, self.members.load(sid), names, claim_settings, group_claims)
        if self._since:
            with self.store.transaction():
                self._save_state()

    def _claims_due(self, story_id: str, n_members: int, n_new: int) -> bool:
        """Whether a story's claims are regrouped in this batch (else at the run's end or when it has grown).

        A story of at most ``claims_regroup_small`` articles always is (cheap); a larger one
        when it holds ``1 + claims_regroup_growth`` times the articles it held when its claims
        were last grouped (amortised O(1) regroupings per article). A story not listed as
        lagging was grouped over the articles it had before this batch.
        """
        if n_members <= self._regroup_small:
            return True
        grouped = self._stale.get(story_id, n_members - n_new)
        return n_members >= grouped * (1.0 + self._regroup_growth)

    def _regroup(self, sid: str, members: list[Article], names: Any, claim_settings: dict[str, Any],
                 group_claims: Callable[..., list[Any]]) -> None:
        """Regroup ``sid``'s claims over ``members`` and store what changed; the story no longer lags. An article
        replaced by an edited version of itself (a revision) is left out: its words are no one's any more."""
        revised = self.store.revised_ids(sid) if members else set()
        members = [m for m in members if m.id not in revised]
        if members:
            before = [[at.claim_id for at in m.attributions] for m in members]
            claims = group_claims(sid, members, entity_names=names, settings=claim_settings,
                                  token_cache=self._claim_tokens)
            for m, ids in zip(members, before, strict=True):
                if [at.claim_id for at in m.attributions] != ids:  # only what regrouping changed
                    self.store.update_article_links(m)
            self.store.replace_claims(sid, claims)
        if self._stale.pop(sid, None) is not None:
            self.store.mark_claims_fresh(sid)

    @contextmanager
    def _on_error_reload_stale(self) -> Iterator[None]:
        """Read the lagging stories again from the store when a transaction fails: its writes were rolled back."""
        try:
            yield
        except BaseException:
            self._stale = self.store.claims_stale()
            raise

    def _save_state(self) -> None:
        self.store.save_state("dedup", self.dedup.to_state())
        self.store.save_state("stories", self.stories.to_state())
        self._since = 0

    @contextmanager
    def _on_error_unsaved(self, changed: list[Entity]) -> Iterator[None]:
        """Hand ``changed`` back to the registry when the batch fails: their save was rolled back."""
        try:
            yield
        except BaseException:
            self.registry.mark_unsaved(changed)
            raise

    def _mark_translations(self, members: list[Article], batch: dict[str, Article], summary: RunSummary) -> None:
        """Mark translated republications between this batch's articles and the rest of their story.

        MinHash cannot see a copy in another language; :mod:`khabar.translations`
        compares entity ids and numbers in order. The copy is the later one,
        which may be a stored member when the original arrives late.
        """
        for m in members:
            if m.id not in batch or m.duplicate_of:
                continue
            match = self.translations.match(m, members)
            if match is None:
                continue
            copy = next(x for x in members if x.id == match.article_id)
            copy.duplicate_of = match.of
            if copy.id in batch:
                batch[copy.id].duplicate_of = match.of
            self.store.set_duplicate(copy.id, match.of, TRANSLATION)
            summary.duplicates += 1
            log.info("%s renders %s in another language (ordered anchor share %.2f)", copy.id[:12], match.of[:12],
                     match.share)

    def add_batch(self, articles: list[Article], summary: RunSummary) -> None:
        """Corpus stages over a batch in arrival order, then one transaction."""
        from khabar.claims import group_claims  # late: claims depends on most stages

        timer = _Timer(summary.timings)
        articles.sort(key=lambda a: (a.published or "9999", a.path))
        with timer("resolve"):
            for a in articles:
                self.registry.resolve_article(a)
                attribution.link_speakers(a)
        relations: dict[str, str] = {}
        with timer("dedup"):  # before embedding: a near-duplicate borrows its original's vector
            for a in articles:
                relation = self._dedup(a)
                if relation is not None:
                    relations[a.id] = relation
                    summary.duplicates += 1
        with timer("embeddings"):
            vectors = self._embed_leads(articles, [a.duplicate_of if a.id in relations else None for a in articles])
        merges: list[tuple[str, str]] = []  # (retired story, survivor at the time)
        for i, a in enumerate(articles):
            vec = vectors[i]
            with timer("stories"):
                assignment = self.stories.add(a, embedding=vec, entity_ids=_entity_ids(a))
            merges.extend((old, assignment.story_id) for old in assignment.absorbed)
        for a in articles:  # a later article of the batch may have merged an earlier one's story
            a.story_id = self.stories.story_of(a.id)
        retired = {old for old, _ in merges}
        touched = {a.story_id for a in articles} | {self.stories.current(new) for _, new in merges}
        touched -= retired
        names = self.registry.names()  # a live view: no dict over every entity per batch
        changed = self.registry.take_changed()  # O(entities touched), not O(registry)
        by_id = {a.id: a for a in articles}
        claim_settings = self.settings.section("claims")
        with timer("claims+store"), self._on_error_unsaved(changed), self.store.transaction(), \
                self.members.on_error_forget(), self._on_error_reload_stale():
            self.store.insert_articles(articles, run_id=summary.run_id)
            index_articles(self.store.conn, articles)
            self.store.save_entities(changed)  # not all of them: O(batch), not O(store), per batch
            save_links(self.store, self.registry.variant_links(changed), self.registry.wikidata_of(changed))
            self._repoint_copies(by_id, relations, summary)
            self._mark_revisions(summary)
            for aid, relation in relations.items():
                self.store.set_duplicate(aid, by_id[aid].duplicate_of, relation)
            for old, new in merges:
                self.store.merge_story(old, self.stories.current(new), run_id=summary.run_id)
                self.members.forget(old)
                if self._stale.pop(old, None) is not None:
                    self.store.mark_claims_fresh(old)
            survivors = {self.stories.current(new) for _, new in merges}  # merge_story dropped their claims' half
            for sid in sorted(touched):
                self.store.save_story(Story(sid, *self.stories.headline(sid)),
                                      run_id=summary.run_id)
                members = self.members.load(sid)
                self._mark_translations(members, by_id, summary)
                n_new = sum(1 for m in members if m.id in by_id)
                if sid in survivors or self._claims_due(sid, len(members), n_new):
                    self._regroup(sid, members, names, claim_settings, group_claims)
                elif sid not in self._stale:
                    self._stale[sid] = len(members) - n_new
                    self.store.mark_claims_stale(sid, self._stale[sid])
            self._stored += len(articles)
            self._since += len(articles)
            # Geometric checkpoints: encoding the state is O(store), so it is done only when the
            # articles since the last one reach a share of the store: O(1) amortised per article.
            if self._since >= max(self._min_since, self._share * self._stored):
                self._save_state()
        if len(self._claim_tokens) > self._claim_tokens_max:  # bounded memory: start again
            self._claim_tokens.clear()
        summary.analysed += len(articles)
        summary.stories_touched |= touched


def _entity_ids(a: Article) -> set[str]:
    """Resolved entity ids of ``a``'s mentions: what :meth:`StoryIndex.add` matches stories on."""
    return {s.ref for s in a.spans("entities") if s.ref}


class _StoryMembers:
    """A story's articles as stored, with recently regrouped stories kept in memory.

    Claims are regrouped over a whole story each time it gains an article;
    loading every member from the store each batch costs O(story size) reads
    per batch. Members are kept (as loaded, so identical to a fresh load) for
    the most recently touched stories, at most ``max_articles`` articles in
    all (least recently used stories are dropped first); only new members are
    read. Order is the store's (published, arrival), read from an id-only query.
    """

    def __init__(self, store: Store, max_articles: int) -> None:
        self.store = store
        self.max_articles = max(0, max_articles)
        self._stories: OrderedDict[str, dict[str, Article]] = OrderedDict()
        self._size = 0

    def load(self, story_id: str) -> list[Article]:
        cached = self._stories.pop(story_id, {})
        self._size -= len(cached)
        ids = self.store.article_ids(story_id=story_id)
        loaded = self.store.load_articles([aid for aid in ids if aid not in cached])
        members = [art for aid in ids if (art := cached.get(aid) or loaded.get(aid)) is not None]
        if len(members) <= self.max_articles:
            self._stories[story_id] = {a.id: a for a in members}
            self._size += len(members)
            while self._size > self.max_articles:
                _, old = self._stories.popitem(last=False)
                self._size -= len(old)
        return members

    def forget(self, story_id: str) -> None:
        self._size -= len(self._stories.pop(story_id, {}))

    def set_duplicate(self, article_id: str, original_id: str) -> None:
        """Keep a cached member's duplicate mark as the store now has it (a late original re-points its copies)."""
        for members in self._stories.values():
            if article_id in members:
                members[article_id].duplicate_of = original_id

    @contextmanager
    def on_error_forget(self) -> Iterator[None]:
        """Drop the cache when the batch fails: its transaction is rolled back, the cache is not."""
        try:
            yield
        except BaseException:
            self._stories.clear()
            self._size = 0
            raise


class _Timer:
    """Context manager factory adding this thread's CPU seconds to ``timings[name]``.

    CPU, not wall time: the mapping thread and other processes sharing the
    cores do not inflate a stage's figure.
    """

    def __init__(self, timings: dict[str, float]) -> None:
        self.timings = timings

    @contextmanager
    def __call__(self, name: str) -> Iterator[None]:
        t0 = time.thread_time()
        try:
            yield
        finally:
            self.timings[name] = self.timings.get(name, 0.0) + time.thread_time() - t0


def iter_batches(docs: Iterable[RawDocument | IngestProblem], size: int) -> Iterator[list[RawDocument | IngestProblem]]:
    batch: list[RawDocument | IngestProblem] = []
    for d in docs:
        batch.append(d)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def analyze(paths: Iterable[str | Path], store: Store, settings: Settings | None = None, *,
            embed: bool = True, field_map: dict[str, str] | None = None,
            on_progress: Callable[[int], None] | None = None) -> RunSummary:
    """Analyse every input under ``paths`` into ``store``; bad inputs are recorded and skipped."""
    settings = settings or Settings.load()
    docs = iter_documents(paths, settings=settings.section("ingest"), field_map=field_map)
    return analyze_documents(docs, store, settings, embed=embed, on_progress=on_progress)


Mapper = Callable[[list[RawDocument], Settings], tuple[list["Article | IngestProblem"], dict[str, float]]]
Results = tuple[list["Article | IngestProblem"], dict[str, float]]


def process_documents(docs: list[RawDocument], settings: Settings, *,
                      ids: list[str] | None = None) -> Results:
    """Per-article stages over a list of documents, in order; a failure becomes an IngestProblem.

    A bad input (a :class:`KhabarError`) and an unexpected error alike cost
    that one article, named in the problem with the reason, never the batch.

    Top-level and pure so that ``scale.py`` can map it over worker processes
    or a Dask cluster; returns the results and seconds spent per stage.
    ``ids`` are the documents' :func:`article_id`, in order, when the caller
    already computed them (they are not hashed again).
    """
    if ids is not None and len(ids) != len(docs):
        raise ValueError(f"ids must match docs one to one: {len(ids)} ids for {len(docs)} documents")
    timings: dict[str, float] = {}
    min_chars = settings.get("ingest", "min_text_chars")
    out: list[Article | IngestProblem] = []
    for i, d in enumerate(docs):
        try:
            art = process_article(d, settings, timings, aid=ids[i] if ids is not None else None)
        except KhabarError as exc:
            out.append(IngestProblem(d.path, exc.reason))
            continue
        except Exception as exc:  # a bug met by one article: report it with the file, go on with the rest
            log.warning("internal error analysing %s", d.path, exc_info=True)
            out.append(IngestProblem(d.path, f"internal error in analysis ({type(exc).__name__}: {exc}); please report it"))
            continue
        if len(art.text.strip()) < min_chars:
            out.append(IngestProblem(d.path, f"empty after cleaning ({len(art.text.strip())} characters)"))
            continue
        out.append(art)
    return out, timings


def analyze_documents(docs: Iterable[RawDocument | IngestProblem], store: Store, settings: Settings, *,
                      embed: bool = True, on_progress: Callable[[int], None] | None = None,
                      mapper: Mapper | None = None) -> RunSummary:
    """Analyse a stream of documents in batches of ``[store] batch_size``, one transaction each.

    ``mapper`` runs the per-article stages over a batch (default: in this
    process, :func:`process_documents`); the corpus stages and all writes stay
    here, in arrival order. With a mapper that runs elsewhere (worker
    processes, Dask; not one whose ``in_process`` attribute is true) one
    batch is in flight: batch k+1 is mapped while this process runs the corpus
    stages of batch k; results and store are the same. A mapper with
    ``accepts_ids = True`` is given the article ids (``ids=``) so workers do not
    hash the inputs again. ``on_progress(n)`` is called after each batch with
    the number of inputs it held. The corpus state is checkpointed at the end
    of the run (see :class:`Analyzer`).
    """
    with store.writer_lock():  # corpus state is loaded, extended and saved by one run at a time
        return _analyze_locked(docs, store, settings, embed=embed, on_progress=on_progress, mapper=mapper)


@dataclass
class _Mapped:
    """A batch handed to the mapper: its size, ingest problems, and how to get its results."""

    size: int
    problems: list[IngestProblem]
    results: Callable[[], Results]


def _analyze_locked(docs: Iterable[RawDocument | IngestProblem], store: Store, settings: Settings, *,
                    embed: bool, on_progress: Callable[[int], None] | None, mapper: Mapper | None) -> RunSummary:
    mapper = mapper or process_documents
    summary = RunSummary(run_id=store.start_run(embed=embed))
    analyzer: Analyzer | None = None
    seen: set[str] = set()
    # In-process mapping gains nothing from a thread (one GIL): it runs when its batch is taken.
    in_process = mapper is process_documents or getattr(mapper, "in_process", False)
    pool = None if in_process else ThreadPoolExecutor(1, thread_name_prefix="khabar-map")
    pending: _Mapped | None = None
    try:
        for batch in iter_batches(docs, settings.get("store", "batch_size")):
            mapped = _submit(batch, store, settings, mapper, pool, seen, summary)
            if analyzer is None:  # the corpus state loads (seconds on a large store) while the workers map batch 1
                analyzer = Analyzer(store, settings, embed=embed)
            if pending is not None:
                _finish(pending, analyzer, store, summary, on_progress)
            pending = mapped
        if pending is not None:
            _finish(pending, analyzer, store, summary, on_progress)
    except BaseException:
        if pool is not None:  # do not wait for the batch in flight (Ctrl-C, a failed batch)
            pool.shutdown(wait=False, cancel_futures=True)
        raise
    if pool is not None:
        pool.shutdown(wait=True)
    if analyzer is None:  # no input: lagging claims are still regrouped at the end of the run
        analyzer = Analyzer(store, settings, embed=embed)
    analyzer.checkpoint()
    store.finish_run(summary.run_id, analysed=summary.analysed, skipped=len(summary.skipped),
                     duplicates=summary.duplicates, unchanged=summary.unchanged)
    return summary


def _submit(batch: list[RawDocument | IngestProblem], store: Store, settings: Settings, mapper: Mapper,
            pool: ThreadPoolExecutor | None, seen: set[str], summary: RunSummary) -> _Mapped:
    """Drop inputs already seen or stored, and start mapping the rest (in ``pool`` when given).

    Nothing is written here: problems are recorded by :func:`_finish`, in batch order.
    An input repeated in the batch in flight is caught by ``seen``, not by the store.
    """
    problems: list[IngestProblem] = []
    fresh: dict[str, RawDocument] = {}
    for d in batch:
        if isinstance(d, IngestProblem):
            problems.append(d)
            continue
        aid = article_id(d)
        if aid in seen:
            summary.unchanged += 1
            continue
        seen.add(aid)
        fresh[aid] = d
    known = store.known_ids(fresh)
    summary.unchanged += len(known)
    ids = [aid for aid in fresh if aid not in known]
    todo = [fresh[aid] for aid in ids]
    if not todo:
        return _Mapped(len(batch), problems, lambda: ([], {}))
    if mapper is process_documents or getattr(mapper, "accepts_ids", False):
        call = partial(mapper, todo, settings, ids=ids)
    else:
        call = partial(mapper, todo, settings)
    if pool is None:
        return _Mapped(len(batch), problems, call)
    return _Mapped(len(batch), problems, pool.submit(call).result)


def _finish(mapped: _Mapped, analyzer: Analyzer, store: Store, summary: RunSummary,
            on_progress: Callable[[int], None] | None) -> None:
    """Record a mapped batch's problems, run the corpus stages on its articles, report progress."""
    for p in mapped.problems:
        _skip(store, summary, p.path, p.reason)
    results, timings = mapped.results()
    for name, secs in timings.items():
        summary.timings[name] = summary.timings.get(name, 0.0) + secs
    articles: list[Article] = []
    for r in results:
        if isinstance(r, IngestProblem):
            _skip(store, summary, r.path, r.reason)
        else:
            articles.append(r)
    if articles:
        analyzer.add_batch(articles, summary)
    if on_progress:
        on_progress(mapped.size)


def _skip(store: Store, summary: RunSummary, path: str, reason: str) -> None:
    log.warning("skipped %s: %s", path, reason)
    summary.skipped.append((path, reason))
    store.record_problem(summary.run_id, path, reason)
