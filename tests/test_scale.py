"""scale.py: the parallel engines must write exactly what an in-process run writes.

The corpus is a dozen self-written articles (three events, several outlets, one
republished copy) analysed without embeddings in batches of five, so the
corpus stages also carry state across batches.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from khabar.errors import KhabarError
from khabar.ingest import RawDocument, iter_documents
from khabar.pipeline import analyze_documents, process_documents
from khabar.scale import LocalMapper, dask_mapper, local_mapper, merge_results, split_chunks
from khabar.settings import Settings
from khabar.store import Store

WATER = ("أعلنت وزارة المياه يوم الأحد عن مشروع جديد لتحلية مياه البحر في مدينة جدة. "
         "وقال وزير المياه خالد العتيبي إن المشروع سيوفر مليون متر مكعب يوميا بحلول عام 2018. "
         "وأضاف العتيبي أن الشركات المحلية ستشارك في التنفيذ.")
FOOTBALL = ("قال مدرب نادي الهلال سامي الدوسري إن الفريق جاهز لمواجهة النصر في نهائي الكأس. "
            "وأكد الدوسري أن اللاعبين المصابين عادوا إلى التدريبات هذا الأسبوع. "
            "ويلتقي الفريقان يوم الجمعة في ملعب الملك فهد بالرياض.")
WEATHER = ("حذرت هيئة الأرصاد الجوية من موجة حر شديدة تضرب المنطقة الشرقية خلال الأيام المقبلة. "
           "وقال المتحدث باسم الهيئة حسين القحطاني إن درجات الحرارة قد تتجاوز خمسين درجة مئوية. "
           "ودعت الهيئة السكان إلى تجنب الخروج وقت الظهيرة.")

ARTICLES: list[dict[str, str]] = [
    {"source": "الرياض", "date": "2015-07-21", "title": "مشروع لتحلية المياه في جدة", "content": WATER},
    {"source": "عكاظ", "date": "2015-07-21", "title": "الهلال جاهز للنهائي", "content": FOOTBALL},
    {"source": "اليوم", "date": "2015-07-21", "title": "موجة حر في الشرقية", "content": WEATHER},
    {"source": "المدينة", "date": "2015-07-21", "title": "مشروع جديد لتحلية المياه",  # a republished copy
     "content": WATER + " ويأتي المشروع ضمن خطة الوزارة للأعوام المقبلة."},
    {"source": "الوطن", "date": "2015-07-22", "title": "وزير المياه ينفي تأخر المشروع",
     "content": ("نفى وزير المياه خالد العتيبي يوم الاثنين أن يكون مشروع تحلية المياه في جدة قد تأخر. "
                 "وقال العتيبي في مؤتمر صحفي إن الأعمال تسير وفق الجدول المحدد. "
                 "وكانت صحف محلية قد ذكرت أن المشروع متعثر منذ أشهر.")},
    {"source": "الجزيرة", "date": "2015-07-22", "title": "النصر يستعد للنهائي",
     "content": ("قال مدرب نادي النصر فهد المطيري إن فريقه يحترم الهلال لكنه يسعى إلى الفوز بالكأس. "
                 "وأوضح المطيري أن المباراة ستكون صعبة على الفريقين. "
                 "وتقام المباراة النهائية يوم الجمعة في الرياض.")},
    {"source": "سبق", "date": "2015-07-22", "title": "الأرصاد تحذر من الحر",
     "content": ("قالت هيئة الأرصاد الجوية إن موجة الحر ستستمر حتى نهاية الأسبوع في المنطقة الشرقية. "
                 "وأكد حسين القحطاني أن الرطوبة سترتفع على السواحل. "
                 "ونصحت الهيئة بشرب كميات كافية من الماء.")},
    {"source": "الاقتصادية", "date": "2015-07-22", "title": "تكلفة مشروع التحلية",
     "content": ("ذكرت مصادر في وزارة المياه أن تكلفة مشروع التحلية في جدة تبلغ ثلاثة مليارات ريال. "
                 "وقال مسؤول في الوزارة إن التمويل متوفر بالكامل. "
                 "ولم يعلق الوزير خالد العتيبي على هذه الأرقام.")},
    {"source": "الحياة", "date": "2015-07-23", "title": "الهلال والنصر في النهائي",
     "content": ("يلتقي الهلال والنصر يوم الجمعة في نهائي الكأس على ملعب الملك فهد. "
                 "وقال سامي الدوسري إن الجماهير ستصنع الفارق في المدرجات. "
                 "ونفى المطيري وجود خلافات داخل فريق النصر.")},
    {"source": "الشرق", "date": "2015-07-23", "title": "الحرارة تتجاوز خمسين درجة",
     "content": ("سجلت مدينة الدمام أمس درجة حرارة بلغت تسعا وأربعين درجة مئوية. "
                 "وقال حسين القحطاني إن الذروة متوقعة يوم الأربعاء. "
                 "وأعلنت المدارس الصيفية تقليص ساعات الدوام.")},
    {"source": "مكة", "date": "2015-07-23", "title": "وزير المياه يزور موقع المشروع",
     "content": ("زار وزير المياه خالد العتيبي موقع مشروع التحلية في جدة يوم الثلاثاء. "
                 "وأكد العتيبي أن المرحلة الأولى ستنتهي قبل نهاية العام. "
                 "وقال مدير المشروع إن نسبة الإنجاز بلغت أربعين في المئة.")},
    {"source": "البلاد", "date": "2015-07-23", "title": "جماهير الهلال تحجز التذاكر",
     "content": ("نفدت تذاكر نهائي الكأس بين الهلال والنصر خلال ساعات من طرحها. "
                 "وقال مسؤول في الاتحاد السعودي لكرة القدم إن الملعب سيمتلئ بالكامل. "
                 "ودعا الاتحاد الجماهير إلى الحضور مبكرا.")},
]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("scale")
    path = folder / "day.json"
    path.write_text(json.dumps(ARTICLES, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def settings() -> Settings:
    values = Settings.load().values
    values["store"]["batch_size"] = 5  # several batches: corpus state crosses batch boundaries
    values["scale"]["min_parallel_batch"] = 0  # even small batches go to the workers
    return Settings(values)


def _run(corpus: Path, settings: Settings, mapper: Any = None) -> dict[str, Any]:
    store = Store(":memory:")
    docs = iter_documents([corpus], settings=settings.section("ingest"))
    summary = analyze_documents(docs, store, settings, embed=False, mapper=mapper)
    snap = _snapshot(store)
    snap["timings"] = sorted(summary.timings)
    store.close()
    return snap


def _snapshot(store: Store) -> dict[str, Any]:
    """Everything a run writes, as plain comparable values (run ids left out)."""
    arts = []
    for a in store.iter_articles():
        arts.append({
            "id": a.id, "text": a.text, "title": a.title, "story": a.story_id, "dup": a.duplicate_of,
            "layers": {k: [(s.start, s.end, s.label, s.ref) for s in v] for k, v in sorted(a.layers.items())},
            "attributions": [(t.kind, t.stance, t.speaker_kind, t.speaker and (t.speaker.start, t.speaker.end, t.speaker.ref),
                              (t.cue.start, t.cue.end), (t.content.start, t.content.end), t.claim_id)
                             for t in a.attributions],
        })
    stories = [(s["id"], s["label"], s["n_articles"], s["n_claims"]) for s in store.stories()]
    claims = {s[0]: [(c.id, c.text, [(m.article_id, m.attribution_index, m.stance, m.source, m.start, m.end)
                                     for m in c.members]) for c in store.load_claims(s[0])] for s in stories}
    entities = sorted((e.id, e.canonical, e.type, sorted(e.variants)) for e in store.load_entities())
    return {"articles": arts, "stories": stories, "claims": claims, "entities": entities}


@pytest.fixture(scope="module")
def in_process(corpus: Path, settings: Settings) -> dict[str, Any]:
    snap = _run(corpus, settings)
    # The comparison is only worth something if the corpus exercises every table.
    assert len(snap["articles"]) == len(ARTICLES)
    assert sum(len(a["layers"].get("entities", [])) for a in snap["articles"]) > 0
    assert sum(len(a["attributions"]) for a in snap["articles"]) > 0
    assert len(snap["stories"]) >= 2
    assert any(snap["claims"].values())
    return snap


def test_scale_local_pool_writes_the_same_store(corpus: Path, settings: Settings, in_process: dict[str, Any]) -> None:
    with local_mapper(2) as mapper:
        got = _run(corpus, settings, mapper)
        assert mapper._pool is not None  # the batches really went to worker processes
    assert got == in_process


def test_scale_dask_local_cluster_writes_the_same_store(corpus: Path, settings: Settings,
                                                       in_process: dict[str, Any]) -> None:
    distributed = pytest.importorskip("dask.distributed", reason="dask[distributed] is an optional dependency")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                                  silence_logs=40) as cluster, dask_mapper(cluster.scheduler_address) as mapper:
        got = _run(corpus, settings, mapper)
    assert got == in_process


def test_scale_split_chunks_keeps_order_and_covers_everything() -> None:
    items = list(range(11))
    chunks = split_chunks(items, 4)
    assert [len(c) for c in chunks] == [3, 3, 3, 2]
    assert [x for c in chunks for x in c] == items
    assert split_chunks(items[:2], 8) == [[0], [1]]
    assert split_chunks([], 3) == []
    with pytest.raises(ValueError, match=">= 1"):
        split_chunks(items, 0)


def test_scale_merge_results_adds_stage_seconds() -> None:
    merged = merge_results([(["a"], {"clean": 1.0, "entities": 2.0}), (["b", "c"], {"clean": 0.5})])
    assert merged == (["a", "b", "c"], {"clean": 1.5, "entities": 2.0})


def test_scale_small_batch_runs_in_process(corpus: Path) -> None:
    settings = Settings.load()  # min_parallel_batch from defaults.toml
    docs = list(iter_documents([corpus], settings=settings.section("ingest")))[:3]
    mapper = LocalMapper(2)
    results, timings = mapper(docs, settings)
    assert mapper._pool is None  # three articles are not worth starting a pool
    assert [r.id for r in results] == [r.id for r in process_documents(docs, settings)[0]]
    assert "entities" in timings


def test_scale_rejects_bad_arguments() -> None:
    with pytest.raises(KhabarError, match="workers must be >= 1"):
        local_mapper(0)
    with pytest.raises(KhabarError, match="scheduler"):
        dask_mapper("")


def test_scale_cli_dask_engine_needs_a_scheduler(corpus: Path, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from khabar.cli import app

    result = CliRunner().invoke(app, ["analyze", str(corpus), "--db", str(tmp_path / "k.db"), "--engine", "dask"])
    assert result.exit_code == 2
    assert "--scheduler" in result.output
    assert not (tmp_path / "k.db").exists()  # refused before the store is created


def test_scale_cli_workers_one_analyses_in_process(corpus: Path, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from khabar.cli import app

    db = tmp_path / "k.db"
    result = CliRunner().invoke(app, ["analyze", str(corpus), "--db", str(db), "--no-embeddings", "--workers", "1"])
    assert result.exit_code == 0, result.output
    with Store(db) as store:
        assert store.article_count() == len(ARTICLES)


def test_scale_ids_given_by_the_caller_are_used_not_rehashed() -> None:
    from khabar.ingest import article_id

    docs = [RawDocument(path=f"d{i}.txt", raw=f"قال الوزير إن المشروع رقم {i} سيكتمل في الصيف المقبل بعد تأخير طويل.")
            for i in range(3)]
    settings = Settings.load()
    results, _ = process_documents(docs, settings)
    assert [r.id for r in results] == [article_id(d) for d in docs]
    results, _ = LocalMapper(1)(docs, settings, ids=["x0", "x1", "x2"])
    assert [r.id for r in results] == ["x0", "x1", "x2"]
    with pytest.raises(ValueError, match="ids must match docs"):
        process_documents(docs, settings, ids=["x0"])
    assert LocalMapper(1).in_process and not LocalMapper(2).in_process


def test_scale_cli_unreachable_scheduler_fails_before_creating_a_store(corpus: Path, tmp_path: Path) -> None:
    import socket

    import dask.config
    from typer.testing import CliRunner

    from khabar.cli import app

    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    db = tmp_path / "k.db"
    with dask.config.set({"distributed.comm.timeouts.connect": "1s"}):
        res = CliRunner().invoke(app, ["analyze", str(corpus), "--db", str(db), "--no-embeddings", "--engine", "dask",
                                       "--scheduler", f"tcp://127.0.0.1:{port}"])
    assert res.exit_code == 2 and "scheduler" in res.output
    assert not db.exists()
