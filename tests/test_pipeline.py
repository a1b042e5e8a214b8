"""End-to-end: files -> store, on self-written inputs and on the bundled example corpus."""

from __future__ import annotations

from pathlib import Path

import pytest

from khabar.errors import KhabarError
from khabar.pipeline import ARTICLE_STAGES, Stage, analyze, check_order
from khabar.settings import Settings
from khabar.store import Store

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "examples" / "corpus"

ARTICLE_A = """وزير النقل ينفي التوصل إلى اتفاق لإنهاء إضراب الميناء

نفى وزير النقل كمال العبيدي اليوم الثلاثاء التوصل إلى أي اتفاق مع نقابة عمال الميناء لإنهاء الإضراب.
وقال العبيدي للصحفيين: "لا يوجد أي اتفاق حتى الآن، والمفاوضات ما زالت مستمرة".
وأضاف أن الوزارة ستواصل الحوار مع النقابة خلال الأيام المقبلة.
"""

ARTICLE_B = """نقابة عمال الميناء: توصلنا إلى اتفاق مع وزارة النقل

أعلنت نقابة عمال الميناء اليوم الثلاثاء أنها توصلت إلى اتفاق مع وزارة النقل لإنهاء الإضراب المستمر منذ أسبوع.
وقال رئيس النقابة سالم الدوري إن الاتفاق يشمل زيادة الأجور بنسبة عشرة بالمئة.
"""


@pytest.fixture
def settings() -> Settings:
    return Settings.load()


def write_inputs(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "a.txt").write_text(ARTICLE_A, encoding="utf-8")
    (folder / "b.txt").write_text(ARTICLE_B, encoding="utf-8")
    (folder / "empty.txt").write_text("", encoding="utf-8")
    (folder / "binary.txt").write_bytes(b"\x00\x01\x02" * 200)


def test_stage_order_is_checked():
    check_order(ARTICLE_STAGES)
    late = Stage("needs_entities", lambda a, s: None, ("entities",), ())
    with pytest.raises(KhabarError, match="needs_entities"):
        check_order((late, *ARTICLE_STAGES))


def test_analyze_stores_articles_and_reports_bad_files(tmp_path, settings):
    write_inputs(tmp_path / "in")
    store = Store(tmp_path / "k.db")
    summary = analyze([tmp_path / "in"], store, settings, embed=False)
    assert summary.analysed == 2
    skipped = {Path(p).name for p, _ in summary.skipped}
    assert skipped == {"empty.txt", "binary.txt"}
    assert {Path(p["path"]).name for p in store.problems()} == skipped
    arts = list(store.iter_articles())
    assert all(a.story_id for a in arts)
    a = next(x for x in arts if "العبيدي" in x.text)
    assert a.title.startswith("وزير النقل")
    assert any(at.stance == "deny" for at in a.attributions)
    for at in a.attributions:
        rs, re_ = a.raw_range(at.content)
        assert a.raw[rs:re_] == a.span_text(at.content)


def test_reanalyzing_adds_nothing_twice_and_new_files_join(tmp_path, settings):
    write_inputs(tmp_path / "in")
    db = tmp_path / "k.db"
    with Store(db) as store:
        analyze([tmp_path / "in"], store, settings, embed=False)
        before = store.article_count()
        stories_before = {s["id"] for s in store.stories()}
    with Store(db) as store:
        again = analyze([tmp_path / "in"], store, settings, embed=False)
        assert again.analysed == 0 and again.unchanged == 2
        assert store.article_count() == before
        (tmp_path / "more").mkdir()
        (tmp_path / "more" / "c.txt").write_text(ARTICLE_B.replace("الثلاثاء", "الأربعاء") + "\nوتابع الدوري أن العمال سيعودون غدا.\n", encoding="utf-8")
        analyze([tmp_path / "more"], store, settings, embed=False)
        assert store.article_count() == before + 1
        assert stories_before <= {s["id"] for s in store.stories()}


def test_example_corpus_end_to_end(tmp_path, settings):
    store = Store(tmp_path / "k.db")
    summary = analyze([CORPUS], store, settings, embed=False)
    assert summary.analysed >= 12 and not summary.skipped
    stories = store.stories()
    assert len(stories) >= 3
    # at least one story has sources that disagree on one claim
    conflicts = 0
    for s in stories:
        for claim in store.load_claims(s["id"]):
            stances = {m.stance for m in claim.members}
            conflicts += bool({"assert", "confirm"} & stances and "deny" in stances)
    assert conflicts >= 1
    # a syndicated near-copy is marked as a duplicate of another article
    assert any(a.duplicate_of for a in store.iter_articles())
    # every article points at a live story (merged stories hand their articles on)
    live = {s["id"] for s in store.stories()}
    assert {a.story_id for a in store.iter_articles()} <= live
    assert all(store.story(sid)["merged_into"] is None for sid in live)
    # ad markers never survive cleaning
    assert not any("[ad_" in a.text for a in store.iter_articles())


def test_tweet_length_rumour_and_denial_are_analysed(tmp_path, settings):
    """Nothing assumes news-length input: two one-line posts become articles with attributions."""
    (tmp_path / "rumour.txt").write_text("عاجل: يتداول ناشطون أن المدارس ستغلق غدا بسبب العاصفة\n", encoding="utf-8")
    (tmp_path / "denial.txt").write_text("وزارة التعليم: لا صحة لما يتداول عن إغلاق المدارس غدا\n", encoding="utf-8")
    store = Store(tmp_path / "k.db")
    summary = analyze([tmp_path], store, settings, embed=False)
    assert summary.analysed == 2 and not summary.skipped


# ---- corpus-state checkpoints -------------------------------------------------

_CITIES = ["صفاقس", "سوسة", "قابس", "بنزرت", "نابل", "القيروان"]
_TOPICS = ["محطة تحلية المياه", "الطريق السريع", "المستشفى الجامعي", "شبكة الحافلات"]


def _write_stream(folder: Path, n: int) -> None:
    """``n`` short reports in a few stories (cities x topics), some near-copies of others."""
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        city, topic = _CITIES[i % 6], _TOPICS[(i // 6) % 4]
        lines = [f"افتتاح {topic} في {city} الشهر المقبل",
                 f"قال محافظ {city} إن أشغال {topic} ستنتهي قبل نهاية العام.",
                 f"وأضاف أن كلفة المشروع بلغت {10 + i % 7} ملايين دينار.",
                 "ونفت النقابة الجهوية وجود أي تأخير في صرف الأجور."]
        if i % 5 == 4:  # a near-copy of the report six before it: same city and topic
            lines[2] = f"وأضاف أن كلفة المشروع بلغت {10 + (i - 6) % 7} ملايين دينار."
        head = f"---\nsource: مصدر {i % 3}\ndate: 2024-06-{1 + i // 6:02d}\n---\n"
        (folder / f"r{i:03d}.txt").write_text(head + "\n".join(lines) + "\n", encoding="utf-8")


def _snapshot(store: Store) -> dict[str, object]:
    """What corpus stages decide, comparable across stores: links, stories, claims, decoded state."""
    def rows(sql: str) -> list[tuple]:
        return sorted(tuple(r) for r in store.conn.execute(sql))

    def plain(x: object) -> object:
        if hasattr(x, "tolist"):
            return x.tolist()
        if isinstance(x, dict):
            return {k: plain(v) for k, v in x.items()}
        if isinstance(x, (list, tuple)):
            return [plain(v) for v in x]
        return x

    return {
        "articles": rows("SELECT id, seq, story_id, duplicate_of, duplicate_relation FROM articles"),
        "stories": rows("SELECT id, label, summary, merged_into FROM stories"),
        "claims": rows("SELECT id, story_id, text FROM claims"),
        "members": rows('SELECT claim_id, article_id, attribution_idx, stance, source, start, "end" FROM claim_members'),
        "entities": rows("SELECT id, canonical, type FROM entities"),
        "state": {n: plain(store.load_state(n)) for n in ("dedup", "stories")},
    }


def _stream_settings(share: float) -> Settings:
    s = Settings.load()
    s.values["store"]["batch_size"] = 4
    s.values["store"]["checkpoint_share"] = share
    return s


def test_pipeline_checkpoints_are_geometric_and_cover_the_store(tmp_path):
    _write_stream(tmp_path / "in", 24)
    with Store(tmp_path / "k.db") as store:
        saved: list[int] = []
        real = store.save_state

        def spy(name, state, *, upto_seq=None):
            if name == "stories":
                saved.append(store.max_seq())
            real(name, state, upto_seq=upto_seq)

        store.save_state = spy  # type: ignore[method-assign]
        analyze([tmp_path / "in"], store, _stream_settings(0.5), embed=False)
        # since the last save >= max(batch 4, half the store): at 4, 8, 16, then at the end (24)
        assert saved == [4, 8, 16, 24]
        assert store.state_upto("dedup") == store.state_upto("stories") == store.max_seq() == 24


def test_pipeline_run_killed_between_checkpoints_replays_to_the_same_state(tmp_path, monkeypatch):
    """Articles stored after the last checkpoint are replayed on open: same stories, claims and state."""
    _write_stream(tmp_path / "first", 22)
    _write_stream(tmp_path / "later", 30)  # r022.. r029 are new, the rest repeat
    settings = _stream_settings(0.5)
    with Store(tmp_path / "ref.db") as ref:
        analyze([tmp_path / "first"], ref, settings, embed=False)
        analyze([tmp_path / "later"], ref, settings, embed=False)
        want = _snapshot(ref)
    from khabar import pipeline

    with Store(tmp_path / "k.db") as store:
        with monkeypatch.context() as m:  # the run dies after its last batch, before the end checkpoint
            m.setattr(pipeline.Analyzer, "checkpoint", lambda self: None)
            analyze([tmp_path / "first"], store, settings, embed=False)
        assert store.state_upto("stories") == 16 < store.max_seq() == 22
        analyze([tmp_path / "later"], store, settings, embed=False)
        got = _snapshot(store)
    assert got["articles"] == want["articles"] and len(got["articles"]) == 30
    assert got == want


def test_pipeline_store_without_any_checkpoint_is_rebuilt_from_its_articles(tmp_path, monkeypatch):
    _write_stream(tmp_path / "in", 12)
    settings = _stream_settings(10.0)  # never mid-run
    with Store(tmp_path / "ref.db") as ref:
        analyze([tmp_path / "in"], ref, settings, embed=False)
        want = _snapshot(ref)
    from khabar import pipeline

    with Store(tmp_path / "k.db") as store:
        with monkeypatch.context() as m:
            m.setattr(pipeline.Analyzer, "checkpoint", lambda self: None)
            analyze([tmp_path / "in"], store, settings, embed=False)
        assert store.state_upto("stories") is None and store.load_state("stories") is None
        again = analyze([tmp_path / "in"], store, settings, embed=False)
        assert again.analysed == 0 and again.unchanged == 12
        assert store.state_upto("stories") == 12
        assert _snapshot(store) == want


def test_pipeline_entities_of_a_failed_batch_are_handed_back(tmp_path, monkeypatch):
    """The registry reports changed entities once; a batch whose transaction fails hands them back."""
    from khabar.ingest import iter_documents
    from khabar.pipeline import Analyzer, RunSummary, process_article

    _write_stream(tmp_path / "in", 8)
    settings = _stream_settings(10.0)
    docs = list(iter_documents([tmp_path / "in"], settings=settings.section("ingest")))
    arts = [process_article(d, settings) for d in docs]
    with Store(tmp_path / "k.db") as store:
        analyzer = Analyzer(store, settings, embed=False)
        calls = {"n": 0}
        real = store.replace_claims

        def fail_once(story_id, claims):
            calls["n"] += 1
            if calls["n"] == 1:
                raise KhabarError("disk full (test)")
            real(story_id, claims)

        monkeypatch.setattr(store, "replace_claims", fail_once)
        with pytest.raises(KhabarError):
            analyzer.add_batch(arts[:4], RunSummary(run_id=store.start_run(embed=False)))
        assert store.conn.execute("SELECT COUNT(*) FROM entities").fetchone()[0] == 0  # rolled back
        refs = {s.ref for a in arts[:4] for s in a.spans("entities") if s.ref}
        handed_back = {e.id for e in analyzer.registry.take_changed()}
        assert refs and handed_back == refs  # the next batch would save them
        monkeypatch.setattr(store, "replace_claims", real)
        analyzer.registry.mark_unsaved(analyzer.registry.get(r) for r in handed_back)
        with store.transaction():
            store.save_entities(analyzer.registry.take_changed())
        assert {r[0] for r in store.conn.execute("SELECT id FROM entities")} == refs


def _regroup_settings(small: int, growth: float) -> Settings:
    s = _stream_settings(10.0)
    s.values["scale"]["claims_regroup_small"] = small
    s.values["scale"]["claims_regroup_growth"] = growth
    return s


def _claims_of(store: Store) -> dict[str, object]:
    snap = _snapshot(store)
    links = sorted(tuple(r) for r in store.conn.execute("SELECT article_id, idx, claim_id FROM attributions"))
    return {"claims": snap["claims"], "members": snap["members"], "links": links}


def test_pipeline_lagging_claims_end_the_run_as_regrouping_every_batch_does(tmp_path):
    """Large stories' claims are regrouped when grown and at the run's end: the stored result is the same."""
    _write_stream(tmp_path / "in", 24)
    with Store(tmp_path / "eager.db") as store:
        analyze([tmp_path / "in"], store, _regroup_settings(10**6, 0.0), embed=False)
        want = _claims_of(store)
    assert want["claims"] and any(cid for _, _, cid in want["links"])
    with Store(tmp_path / "lazy.db") as store:
        analyze([tmp_path / "in"], store, _regroup_settings(1, 100.0), embed=False)
        assert _claims_of(store) == want
        assert store.claims_stale() == {}


def test_pipeline_claims_left_lagging_by_a_dead_run_are_regrouped_by_the_next(tmp_path):
    from khabar.ingest import iter_documents
    from khabar.pipeline import Analyzer, RunSummary, process_article

    _write_stream(tmp_path / "in", 24)
    with Store(tmp_path / "eager.db") as store:
        analyze([tmp_path / "in"], store, _regroup_settings(10**6, 0.0), embed=False)
        want = _claims_of(store)
    lazy = _regroup_settings(1, 100.0)
    docs = list(iter_documents([tmp_path / "in"], settings=lazy.section("ingest")))
    arts = [process_article(d, lazy) for d in docs]
    with Store(tmp_path / "lazy.db") as store:
        analyzer = Analyzer(store, lazy, embed=False)
        summary = RunSummary(run_id=store.start_run(embed=False))
        for i in range(0, len(arts), 4):
            analyzer.add_batch(arts[i : i + 4], summary)
        lagging = store.claims_stale()
        assert lagging and _claims_of(store) != want  # the run dies here, before its checkpoint
    with Store(tmp_path / "lazy.db") as store:
        summary = analyze([tmp_path / "in"], store, lazy, embed=False)  # nothing new to analyse
        assert summary.analysed == 0 and store.claims_stale() == {}
        assert _claims_of(store) == want


def test_analyze_reports_an_unexpected_error_with_its_file_and_goes_on(tmp_path, settings, monkeypatch):
    import khabar.pipeline as pipeline

    real = pipeline.process_article

    def broken_on_b(doc, *args, **kwargs):
        if Path(doc.path).name == "b.txt":
            raise KeyError("كيف")  # a bug met by one article, as the word-type cache's once was
        return real(doc, *args, **kwargs)

    monkeypatch.setattr(pipeline, "process_article", broken_on_b)
    write_inputs(tmp_path / "in")
    store = Store(tmp_path / "k.db")
    summary = analyze([tmp_path / "in"], store, settings, embed=False)
    assert summary.analysed == 1  # a.txt is stored
    reasons = {Path(p).name: r for p, r in summary.skipped}
    assert "internal error" in reasons["b.txt"] and "KeyError" in reasons["b.txt"]
    assert [Path(a.path).name for a in store.iter_articles()] == ["a.txt"]


def test_pipeline_first_batch_is_mapped_while_the_corpus_state_loads(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Loading a large store's state takes seconds: the first batch goes to the workers before it, not after.
    from khabar import pipeline

    order: list[str] = []
    submit, init = pipeline._submit, pipeline.Analyzer.__init__

    def recording_submit(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        order.append("map")
        return submit(*args, **kwargs)

    def recording_init(self, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
        order.append("state")
        init(self, *args, **kwargs)

    monkeypatch.setattr(pipeline, "_submit", recording_submit)
    monkeypatch.setattr(pipeline.Analyzer, "__init__", recording_init)
    for k in range(3):
        (tmp_path / f"a{k}.txt").write_text(f"خبر رقم {k}\nقال الوزير إن المدارس ستفتح غدا في المدينة رقم {k}.", encoding="utf-8")
    settings = Settings.load()
    settings.values["store"]["batch_size"] = 2
    with Store(tmp_path / "k.db") as store:
        summary = analyze(sorted(tmp_path.glob("a*.txt")), store, settings, embed=False)
    assert summary.analysed == 3 and order == ["map", "state", "map"]
    order.clear()
    with Store(tmp_path / "empty.db") as store:  # no input: the state still loads (lagging claims are regrouped)
        analyze([], store, settings, embed=False)
    assert order == ["state"]


def test_pipeline_a_text_over_max_article_chars_is_cut_at_a_line_end_and_maps_to_raw(settings):
    from khabar.ingest import RawDocument
    from khabar.pipeline import process_article

    para = "قال وزير الصحة إن عدد الإصابات تجاوز خمسة آلاف حالة في العاصمة وحدها خلال الأسبوع الماضي."
    raw = "عنوان الخبر\n" + "\n".join(f"{para} ({i})" for i in range(60))
    settings.values["clean"]["max_article_chars"] = 1000
    art = process_article(RawDocument("big.txt", raw, "عنوان الخبر"), settings)
    assert 500 <= len(art.text) <= 1000 and art.text.endswith(")")  # whole lines only
    assert art.removed[-1].rule == "too_long" and raw[art.removed[-1].raw_start:].lstrip().startswith(para)
    for span in [*art.spans("sentences"), *(at.content for at in art.attributions)]:
        a, b = art.offsets.to_raw(span.start, span.end)
        assert raw[a:b] == art.text[span.start:span.end]  # every span still points at its raw characters
    assert art.attributions  # the kept part is analysed as usual


def test_pipeline_a_headline_reporting_words_is_analysed_and_maps_to_raw(settings):
    from khabar.ingest import RawDocument
    from khabar.pipeline import process_article

    title = "الداخلية: لا صحة لما يتداول عن عمل تخريبي في مصنع حلب"
    body = "أكدت وزارة الداخلية السورية أن التحقيقات الأولية تشير إلى تسرب غاز في المصنع."
    txt = process_article(RawDocument("h.txt", f"{title}\n\n{body}", title), settings)  # the title line in the raw
    assert txt.text.startswith(title + "\n\n")
    [head] = [at for at in txt.attributions if at.content.end <= len(title)]
    assert (txt.span_text(head.speaker), head.stance) == ("الداخلية", "deny")
    a, b = txt.offsets.to_raw(head.content.start, head.content.end)
    assert txt.raw[a:b] == txt.span_text(head.content)  # the headline's evidence is its own raw characters
    assert not any(r.rule == "title_line" for r in txt.removed)
    js = process_article(RawDocument("h.json#0", body, title), settings)  # a JSON title: not in the raw at all
    assert js.text.startswith(title) and any(at.stance == "deny" for at in js.attributions)
    plain = process_article(RawDocument("p.json#0", body, "انفجار في مصنع للكيماويات في حلب"), settings)
    assert plain.text == js.text[len(title) + 2:]  # a title that reports no one's words stays out of the text
    settings.values["clean"]["reporting_headlines"] = False
    assert process_article(RawDocument("h.json#0", body, title), settings).text == plain.text


def test_a_wire_analysed_after_its_copies_becomes_their_original(tmp_path, settings):
    # Written for this test: an agency wire and two rewritten copies; the copies are analysed first, in another run
    body = ("أعلنت هيئة الطيران المدني استئناف الرحلات المباشرة بين الرياض ودمشق اعتبارا من الأسبوع المقبل بواقع "
            "اثنتي عشرة رحلة أسبوعيا. وأوضحت الهيئة أن القرار جاء بعد اكتمال الترتيبات الفنية مع الجانب السوري. "
            "وأضافت أن شركتين وطنيتين ستشغلان الخط في مرحلته الأولى على أن تنضم شركات أخرى لاحقا. "
            "وأشارت إلى أن الحجز متاح عبر مواقع الشركات وتطبيقاتها ومكاتب السفر المعتمدة في المدن الرئيسية. "
            "ويأتي القرار ضمن جهود تعزيز الربط الجوي بين البلدين بعد توقف دام سنوات. "
            "وقال مسؤول في الهيئة إن الأسعار ستعلن خلال أيام بعد استكمال المفاوضات مع الشركات المشغلة للخط. "
            "وتوقعت الهيئة أن يرتفع عدد الرحلات خلال موسم الصيف مع ازدياد الطلب على السفر بين البلدين.")
    wire = f"---\nsource: واس\ndate: 2025-03-09T10:15:00\n---\nاستئناف الرحلات بين الرياض ودمشق\n\nالرياض (واس) - {body}\n"
    first = f"---\nsource: عكاظ\ndate: 2025-03-09T11:40:00\n---\nعودة الرحلات إلى دمشق\n\nفي خطوة منتظرة، {body}\n"
    second = f"---\nsource: الرياض\ndate: 2025-03-09T13:30:00\n---\nرحلات دمشق تعود\n\n{body} تابعونا على تطبيقنا.\n"
    for name, text in (("okaz.txt", first), ("riyadh.txt", second), ("spa.txt", wire)):
        (tmp_path / name).write_text(text, encoding="utf-8")
    with Store(tmp_path / "k.db") as store:
        analyze([tmp_path / "okaz.txt", tmp_path / "riyadh.txt"], store, settings, embed=False)
        analyze([tmp_path / "spa.txt"], store, settings, embed=False)
        by_source = {a.source: a for a in store.iter_articles()}
        spa = by_source["واس"]
        assert spa.duplicate_of is None
        assert by_source["عكاظ"].duplicate_of == spa.id and by_source["الرياض"].duplicate_of == spa.id


def test_an_input_analysed_again_with_an_edited_text_replaces_its_earlier_version(tmp_path, settings):
    # Written for this test: a page re-scraped after the outlet corrected a figure (ست -> ثماني ساعات)
    body = ("وقال مراسل القناة إن المعمل توقف لمدة {n} ساعات يوم السبت بسبب نقص الوقود. "
            "وأوضح أن فرق الصيانة عملت طوال الليل لإعادة تشغيل المحطة في أسرع وقت ممكن. "
            "وأشار إلى أن مؤسسة الكهرباء لم تصدر أي بيان رسمي حول أسباب التوقف حتى الآن. "
            "ويعاني لبنان منذ سنوات من أزمة حادة في قطاع الكهرباء أدت إلى تقنين طويل في معظم المناطق. "
            "وتوقع خبراء أن تستمر الأزمة خلال الصيف مع ارتفاع الطلب على الطاقة في المدن الكبرى.")
    page = tmp_path / "plant.txt"
    page.write_text("---\nsource: المدن\ndate: 2025-05-05\n---\nتوقف معمل الزهراني\n\n" + body.format(n="ست") + "\n",
                    encoding="utf-8")
    with Store(tmp_path / "k.db") as store:
        analyze([page], store, settings, embed=False)
        page.write_text(page.read_text(encoding="utf-8").replace("ست ساعات", "ثماني ساعات"), encoding="utf-8")
        analyze([page], store, settings, embed=False)
        old, new = sorted(store.iter_articles(), key=lambda a: "ثماني" in a.text)
        assert new.duplicate_of is None and old.duplicate_of == new.id
        assert store.conn.execute("SELECT duplicate_relation FROM articles WHERE id = ?", (old.id,)).fetchone()[0] == "revision"
        members = {m.article_id for c in store.load_claims(new.story_id) for m in c.members}
        assert new.id in members and old.id not in members  # the earlier version's words are no one's any more
