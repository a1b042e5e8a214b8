"""Stories on real-shaped input: the seeds form one story, alone and inside examples/corpus;
the English port article joins the Arabic port story through its embedding.

Articles go through the per-article stages and entity resolution as in the
pipeline, then straight into a :class:`StoryIndex` (no store), so merges are seen.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from khabar.embeddings import make_embedder
from khabar.ingest import RawDocument, iter_documents
from khabar.model import Article
from khabar.pipeline import process_article
from khabar.resolve import EntityRegistry
from khabar.settings import Settings
from khabar.stories import StoryIndex, lead_parts

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT.parent / "shared" / "seeds"
CORPUS = ROOT / "examples" / "corpus"


def _articles(paths: list[Path], settings: Settings) -> list[Article]:
    docs = [d for d in iter_documents(paths, settings=settings.section("ingest")) if isinstance(d, RawDocument)]
    return [process_article(d, settings) for d in docs]


def _cluster(articles: list[Article], settings: Settings) -> StoryIndex:
    registry = EntityRegistry()
    st = settings.section("stories")
    idx = StoryIndex(st)
    embedder = make_embedder(settings.section("embeddings"))
    leads = [lead_parts(a, sentences=int(st["lead_sentences"]), max_chars=int(st["lead_chars"]))[0] for a in articles]
    vectors = embedder.embed(leads)
    for a, v in zip(articles, vectors, strict=True):
        registry.resolve_article(a)
        idx.add(a, embedding=v, entity_ids={s.ref for s in a.spans("entities") if s.ref})
    return idx


@pytest.fixture(scope="module")
def corpus() -> tuple[Settings, list[Article]]:
    settings = Settings.load()
    return settings, _articles([CORPUS], settings)


def test_stories_corpus_english_port_article_joins_arabic_story(corpus) -> None:
    settings, articles = corpus
    idx = _cluster(articles, settings)
    english = [a for a in articles if a.language == "en" or not any("\u0600" <= ch <= "\u06ff" for ch in a.title)]
    assert len(english) == 1
    port = [a for a in articles if "رأس الغيم" in a.text]
    assert len(port) >= 4
    port_stories = {idx.story_of(a.id) for a in port}
    assert len(port_stories) == 1
    assert idx.story_of(english[0].id) in port_stories
    # The other stories of the corpus (drought, football) stay apart from the port.
    assert len(idx) >= 3



def test_stories_corpus_drought_reports_days_apart_stay_one_story(corpus) -> None:
    settings, articles = corpus
    idx = _cluster(sorted(articles, key=lambda a: (a.published or "9999", a.path)), settings)  # a batch's order
    drought = [a for a in articles if "وادي الحمراء" in a.text]
    assert len(drought) == 5 and len({a.published[:10] for a in drought}) >= 4  # five reports over eight days
    assert len({idx.story_of(a.id) for a in drought}) == 1
    football = [a for a in articles if "الاتحاد الوطني لكرة القدم" in a.text]
    assert not {idx.story_of(a.id) for a in drought} & {idx.story_of(a.id) for a in football}


def test_stories_corpus_seeds_form_one_story_alone_and_in_the_corpus(corpus) -> None:
    if not SEEDS.is_dir():
        pytest.skip(f"../shared/seeds not found at {SEEDS}: this test needs the shared folder beside the repo")
    settings, articles = corpus
    seeds = _articles([SEEDS], settings)
    assert len(seeds) == 2
    alone = _cluster(seeds, settings)
    assert len(alone) == 1
    both = _cluster(articles + seeds, settings)
    assert both.story_of(seeds[0].id) == both.story_of(seeds[1].id)
    # and no corpus article joins the seed story
    assert all(both.story_of(a.id) != both.story_of(seeds[0].id) for a in articles)
