"""Document features, gazetteer tables and the cross-validation scorer of the NER recipe, on hand-written Arabic."""

from __future__ import annotations

from pathlib import Path

import pytest

from khabar.errors import ModelMissingError
from khabar.eval.ner import evaluate_ner
from khabar.ner_train import (
    document_features,
    group_documents,
    load_gazetteer_index,
    read_conll,
    sentence_features,
    train_ner,
    write_gazetteer_index,
)

# Written for these tests: a small cluster table (most frequent word first).
TABLE = {w: (str(i % 3), str(i % 7)) for i, w in enumerate(["في", "قال", "الرييس", "رييس", "امس", "مدينه", "ان", "الوضع"])}


def _doc_feats(feats: list[str]) -> set[str]:
    return {f for f in feats if f.startswith(("dL=", "dR=", "dLc=", "dRc=", "dn=", "ddef"))}


def test_ner_document_features_read_other_occurrences() -> None:
    doc = [["قال", "الرئيس", "نوربرت", "إن", "الوضع"], ["وأكد", "نوربرت", "أمس", "."]]
    feats = document_features(doc, clusters=TABLE)
    first, second = _doc_feats(feats[0][2]), _doc_feats(feats[1][1])
    # Each occurrence sees the other one's neighbours, never its own.
    assert "dL=اكد" in first and "dR=امس" in first and "dL=رييس" not in first
    assert "dL=رييس" in second and "dR=ان" in second and "dL=اكد" not in second
    assert "dn=1" in first and "dn=1" in second
    # A word seen once gets nothing from the document.
    assert _doc_feats(feats[0][4]) == set()


def test_ner_document_features_skip_short_and_common_words() -> None:
    doc = [["قال", "في", "حلب"], ["قال", "في", "حمص"]]
    feats = document_features(doc, clusters=TABLE)
    assert _doc_feats(feats[0][1]) == set()  # في: two letters
    assert _doc_feats(feats[0][0]) == set()  # قال ranks second in the table: among the commonest
    unranked = document_features(doc, clusters={})  # no table, no ranks: قال links its two sentences
    assert "dR=في" in unranked[0][0]
    plain = document_features(doc, clusters=TABLE, doc=False)
    assert plain == [sentence_features(s, clusters=TABLE) for s in doc]


def test_ner_document_features_mark_definite_elsewhere() -> None:
    doc = [["زار", "المعرض", "أمس"], ["افتتح", "معرض", "الكتاب"]]
    feats = document_features(doc, clusters={})
    assert "ddef" in feats[1][1]  # written with ال in the first sentence
    assert "ddef" not in feats[0][1]


def test_ner_group_documents_keeps_order_and_rejects_zero() -> None:
    sents = [[(str(k), "O")] for k in range(7)]
    docs = group_documents(sents, 3)
    assert [len(d) for d in docs] == [3, 3, 1]
    assert [s for d in docs for s in d] == sents
    with pytest.raises(ValueError, match=">= 1"):
        group_documents(sents, 0)


def test_ner_gazetteer_index_round_trip(tmp_path: Path) -> None:
    out = tmp_path / "gaz.tsv.gz"
    n = write_gazetteer_index({"Pers": {"نوربرت", "عمان"}, "Loc": {"عمان", "حلب"}}, out)
    assert n == 3
    gaz = load_gazetteer_index(str(out))
    assert gaz == {"Pers": {"نوربرت", "عمان"}, "Loc": {"عمان", "حلب"}}
    feats = sentence_features(["وعمان"], gazetteer=gaz, clusters={})[0]
    assert "gaz=Loc" in feats and "gaz=Pers" in feats  # found through the stem without و
    with pytest.raises(ModelMissingError, match="gazetteer"):
        load_gazetteer_index(str(tmp_path / "absent.tsv.gz"))


def _write_corpus(path: Path, repeats: int) -> None:
    # Written for this test: the same frames with different names, so a held-out fold is learnable.
    people = ["سامر", "باسل", "نادر", "رامي", "هاني", "وائل"]
    cities = ["حلب", "حمص", "درعا", "إدلب", "حماة", "طرطوس"]
    lines = []
    for k in range(repeats):
        p, c = people[k % 6], cities[(k * 5) % 6]
        lines += ["قال O", "السيد O", f"{p} B-PERS", "إن O", "الوضع O", "في O", f"{c} B-LOC", "هادئ O", ". O", ""]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_ner_evaluate_scores_chosen_folds(tmp_path: Path) -> None:
    data = tmp_path / "train.txt"
    _write_corpus(data, 24)
    assert len(read_conll(data)) == 24
    res = evaluate_ner(data, folds=4, workers=1, only=[1, 3], clusters_path="", gazetteer_dir="", doc_size=4,
                       max_iterations=30)
    assert [f["fold"] for f in res["per_fold"]] == [1, 3]
    assert sum(f["support"] for f in res["per_fold"]) == res["support"] == 2 * 6 * 2
    assert res["f1"] > 0.9  # names and cities sit in fixed frames
    assert "predictions" not in res
    kept = evaluate_ner(data, folds=4, workers=1, only=[1], clusters_path="", gazetteer_dir="", doc_size=4,
                        max_iterations=30, keep_predictions=True)
    held_out = read_conll(data)[6:12]  # fold 1 of 4 over 24 sentences
    tags = kept["predictions"][1]
    assert [len(t) for t in tags] == [len(s) for s in held_out]
    assert sum(t == g for ts, s in zip(tags, held_out) for t, (_, g) in zip(ts, s)) >= 0.9 * sum(len(s) for s in held_out)
    with pytest.raises(ValueError, match=r"\[0, 3\]"):
        evaluate_ner(data, folds=4, only=[4], gazetteer_dir="")
    with pytest.raises(ModelMissingError, match="ANERGazet"):  # the shipped recipe needs the lists: say so
        evaluate_ner(data, folds=4, gazetteer_dir=tmp_path / "no-such-folder")


def test_ner_train_writes_gazetteer_beside_model(tmp_path: Path) -> None:
    data = tmp_path / "train.txt"
    _write_corpus(data, 12)
    gaz_dir = tmp_path / "gaz"
    gaz_dir.mkdir()
    (gaz_dir / "PersGazetteer.txt").write_text("سامر\nباسل عادل\n", encoding="utf-8")
    (gaz_dir / "LocGazetteer.txt").write_text("حلب\n", encoding="utf-8")
    model = tmp_path / "m.crfsuite"
    info = train_ner(data, model, gazetteer_dir=str(gaz_dir), clusters_path="", doc_size=3, max_iterations=20, autogaz=False)
    assert model.is_file() and info["sentences"] == 12 and info["gazetteer_words"] == 4
    table = load_gazetteer_index(str(tmp_path / "m_gazetteer.tsv.gz"))
    assert table == {"Pers": {"سامر", "باسل", "عادل"}, "Loc": {"حلب"}}
    with pytest.raises(ModelMissingError, match="ANERGazet"):
        train_ner(data, model, gazetteer_dir=str(tmp_path / "empty"), clusters_path="", autogaz=False)


def _cluster_feats(feats: list[str]) -> set[str]:
    return {f for f in feats if f.startswith(("c0=", "c1=", "c=unk"))}


def test_ner_unknown_word_backs_off_to_its_form_without_proclitics(monkeypatch: pytest.MonkeyPatch) -> None:
    import khabar.ner_train as nt

    table = {"في": ("0", "1"), "لبنان": ("2", "5"), "الشركه": ("1", "4"), "بوتين": ("2", "6")}
    # Off (the shipped model's recipe): an unknown word is only unknown.
    assert _cluster_feats(sentence_features(["للبنان"], clusters=dict(table))[0]) == {"c=unk"}
    monkeypatch.setattr(nt, "CLUSTER_BACKOFF", True)
    # للبنان: لل leaves بنان (unknown), a single ل leaves لبنان (known).
    assert _cluster_feats(sentence_features(["للبنان"], clusters=table)[0]) == {"c=unk", "c0=2", "c1=5"}
    # وشركه: و leaves شركه, unknown, but الشركه is in the table.
    assert {"c0=1", "c1=4"} <= set(sentence_features(["وشركه"], clusters=table)[0])
    # A known word keeps its own ids and is not marked unknown.
    assert _cluster_feats(sentence_features(["بوتين"], clusters=table)[0]) == {"c0=2", "c1=6"}
    # Fewer than 3 letters left: no back-off (ولد is not و + لد).
    assert _cluster_feats(sentence_features(["ولد"], clusters={"لد": ("3", "3")})[0]) == {"c=unk"}
    # The neighbour's middle cluster in cluster bigrams uses the back-off too.
    assert "cb-1=1|5" in sentence_features(["في", "وللبنان"], clusters=table)[1]


def test_ner_build_clusters_places_rare_words_by_nearest_centroid(tmp_path: Path) -> None:
    from khabar.ner_train import build_clusters, load_clusters

    # Written for this test: a person frame and a place frame; نوربرت is rare
    # and outside the fitted vocabulary, but appears in the person frame.
    texts = []
    for k in range(12):
        name, city = ("سامر", "باسل", "نادر")[k % 3], ("حلب", "حمص", "درعا")[k % 3]
        texts.append(f"قال السيد {name} إن الوضع هادئ . وصل الوفد إلى مدينة {city} صباح اليوم .")
    texts.append("قال السيد نوربرت إن الوضع هادئ .")
    out = tmp_path / "clusters.tsv.gz"
    info = build_clusters(texts, out, vocab=30, contexts=12, dims=4, sizes=(2, 4), fit_vocab=18)
    table = load_clusters(str(out))
    assert info["words"] == len(table) == 19  # every distinct token: fewer than vocab
    assert list(table)[0] == "."  # most frequent first
    assert "نوربرت" in table and list(table).index("نوربرت") >= 18
    assert table["نوربرت"][0] == table["سامر"][0] == table["باسل"][0]
    assert table["حلب"][0] == table["حمص"][0] != table["سامر"][0]


def test_ner_cluster_corpus_reads_baly_articles_once_and_requires_them(tmp_path: Path) -> None:
    import json
    import zipfile

    from khabar.ner_train import _iter_baly2018, build_clusters_saudinewsnet

    claims = tmp_path / "claims"
    claims.mkdir()
    # Written for this test: two claim files sharing one article.
    (claims / "b.json").write_text(json.dumps({"article": ["وصل الوفد إلى حلب", ""]}), encoding="utf-8")
    (claims / "a.json").write_text(json.dumps({"article": ["قال السيد سامر", "وصل الوفد إلى حلب"]}), encoding="utf-8")
    assert list(_iter_baly2018(claims)) == ["قال السيد سامر", "وصل الوفد إلى حلب"]
    days = tmp_path / "days"
    days.mkdir()
    with zipfile.ZipFile(days / "2015-07-21.zip", "w") as zf:
        zf.writestr("d.json", json.dumps([{"content": "قال السيد باسل"}]))
    with pytest.raises(ModelMissingError, match="Baly"):
        build_clusters_saudinewsnet(days, tmp_path / "c.tsv.gz", baly_dir=tmp_path / "none")


# ---- two-pass (stacked) tagging ---------------------------------------------
def test_ner_stacked_features_carry_pass1_labels_across_the_document() -> None:
    from khabar.ner_train import STACK_FEATURES, STACK_GROUPS, stacked_features

    # Written for this test: pass 1 found كمال نوربرت in the first sentence and missed it in the second.
    doc = [["قال", "كمال", "نوربرت", "إن", "الوضع"], ["وأكد", "كمال", "نوربرت", "أمس"]]
    pass1 = [(["O", "B-PERS", "I-PERS", "O", "O"], [0.99, 0.95, 0.6, 0.99, 0.8]), (["O", "O", "O", "O"], [0.9, 0.55, 0.4, 0.99])]
    base = document_features(doc, clusters={})
    out = stacked_features(base, doc, pass1, clusters={}, groups=STACK_GROUPS)
    assert "conf" not in STACK_FEATURES and not any(f.startswith("p1m=") for f in stacked_features(base, doc, pass1, clusters={})[0][1])
    assert base == document_features(doc, clusters={})  # the pass-1 features are not changed in place
    missed, found = set(out[1][1]), set(out[0][1])
    assert {"p1=O", "p1-1=O", "p1+1=O", "dmaj=PERS", "dany=PERS", "dent=B-PERS"} <= missed
    assert "dent=I-PERS" in out[1][2] and "dent=I-PERS" not in out[1][3]
    # The found occurrence sees only the other one, which pass 1 left O: never its own label.
    assert {"p1=B-PERS", "p1+1=I-PERS", "dmaj=O", "p1m=B-PERS|3"} <= found
    assert not any(f.startswith(("dany=", "dent=")) for f in found)
    assert "p1m=I-PERS|0" not in out[0][2] and "p1m=I-PERS|1" in out[0][2]  # 0.6: above 0.5, below 0.7
    only_tag = stacked_features(base, doc, pass1, clusters={}, groups=("tag",))
    assert [len(a) - len(b) for a, b in zip(only_tag[1], base[1], strict=True)] == [1, 1, 1, 1]


def test_ner_crossfit_tags_each_sentence_with_a_model_that_never_saw_it(monkeypatch: pytest.MonkeyPatch) -> None:
    import khabar.ner_train as nt

    sents = [[(f"كلمة{k}", "O")] for k in range(11)]
    seen: list[tuple[set[str], set[str]]] = []

    def fake_job(job: nt.Pass1Job) -> list[list[nt.Pass1]]:
        trained = {s[0][0] for s in job.train}
        tagged = {s[0][0] for b in job.tag for s in b}
        seen.append((trained, tagged))
        return [[([f"B-{len(job.train)}"], [1.0]) for _ in b] for b in job.tag]

    monkeypatch.setattr(nt, "run_pass1_job", fake_job)
    out = nt.crossfit_pass1(sents, folds=3, clusters_path="")
    assert len(out) == 11 and len(seen) == 3
    for trained, tagged in seen:
        assert not trained & tagged and trained | tagged == {s[0][0] for s in sents}
    assert [t[0][0] for t in out] == ["B-7"] * 4 + ["B-8"] * 3 + ["B-7"] * 4  # blocks 4 / 3 / 4, contiguous
    with pytest.raises(ValueError, match="at least 3"):
        nt.crossfit_pass1(sents[:2], folds=3, clusters_path="")


def test_ner_nested_cv_pass1_never_sees_the_tagged_block_or_held_out_fold(monkeypatch: pytest.MonkeyPatch) -> None:
    import khabar.eval.ner as ev

    blocks = [[[(f"ب{b}س{k}", "O")] for k in range(2)] for b in range(4)]
    calls: list[tuple[set[int], list[int]]] = []

    def fake_job(job):  # noqa: ANN001, ANN202
        trained = {int(s[0][0][1]) for s in job.train}
        tagged = [int(b[0][0][0][1]) for b in job.tag]
        calls.append((trained, tagged))
        return [[([str(sorted(trained))], [1.0]) for _ in b] for b in job.tag]

    monkeypatch.setattr(ev, "run_pass1_job", fake_job)
    got = ev._nested_pass1(blocks, [1], {}, None, "", 0, 1, None, "x", False, 0)
    assert sorted(got) == [(0, 1), (1, 0), (1, 1), (1, 2), (1, 3), (2, 1), (3, 1)]
    assert got[1, 1][0][0] == ["[0, 2, 3]"] and got[0, 1][0][0] == got[1, 0][0][0] == ["[2, 3]"]
    assert len(calls) == 4  # one model per pair {j, 1}, shared by (j, 1) and (1, j), plus the outer one
    for trained, tagged in calls:
        assert not trained & set(tagged)


def test_ner_evaluate_stacked_reports_both_passes(tmp_path: Path) -> None:
    data = tmp_path / "train.txt"
    _write_corpus(data, 24)
    res = evaluate_ner(data, folds=4, workers=1, only=[2], clusters_path="", gazetteer_dir="", doc_size=3,
                       max_iterations=30, stack=("tag", "doc", "ent"), cache_dir=tmp_path)
    assert res["f1"] > 0.9 and res["pass1"]["support"] == res["support"] == 12
    assert len(list(tmp_path.glob("ner_pass1_*.pkl"))) == 1
    guessed = evaluate_ner(data, folds=4, workers=1, only=[2], clusters_path="", gazetteer_dir="", doc_size=3,
                           max_iterations=30, stack=("tag", "doc", "ent"), cache_dir=tmp_path, wordtype=True)
    assert guessed["f1"] > 0.9 and guessed["pass1"] == res["pass1"]  # pass 1 does not read the guesser


def test_ner_train_stacked_writes_pass2_and_manifest(tmp_path: Path) -> None:
    import json

    from khabar.ner_train import file_digest, pass2_paths, wordtype_path

    data = tmp_path / "train.txt"
    _write_corpus(data, 12)
    model = tmp_path / "m.crfsuite"
    info = train_ner(data, model, gazetteer_dir="", clusters_path="", doc_size=3, max_iterations=20, stack_folds=3, autogaz=False)
    model2, manifest = pass2_paths(model)
    assert info["pass2"] == str(model2) and model2.is_file()
    meta = json.loads(manifest.read_text(encoding="utf-8"))
    assert meta["pass1_sha256"] == file_digest(model) and meta["folds"] == 3
    assert meta["wordtype"] is True and wordtype_path(model).is_file()  # pass 2 reads the guesser by default
    train_ner(data, model, gazetteer_dir="", clusters_path="", doc_size=3, max_iterations=20, stack_folds=0, autogaz=False,
              wordtype=False)
    assert not model2.exists() and not manifest.exists()  # a stale pass 2 is not left beside a new pass 1
    assert not wordtype_path(model).exists()  # nor a guesser the new model was not trained with


def test_ner_propagate_entities_tags_other_occurrences_in_the_document() -> None:
    from khabar.ner_train import propagate_entities

    # Written for this test: the tagger found the name once and missed it twice.
    sents = [["قال", "فلاديمير", "بوتين", "امس"], ["وبوتين", "زار", "فلاديمير", "بوتين", "."], ["ان", "قال", "بوتين", "نائب"]]
    tags = [["O", "B-PERS", "I-PERS", "O"], ["O", "O", "O", "O", "O"], ["O", "O", "O", "I-ORG"]]
    out = propagate_entities(sents, tags)
    assert out[0] == tags[0]  # what was tagged stays
    assert out[1] == ["O", "O", "B-PERS", "I-PERS", "O"]  # the longest string first; the lone بوتين was never tagged alone
    assert out[2] == tags[2]  # not inside a run that continues an entity
    alone = propagate_entities([["قال", "رامي"], ["ورامي", "زار", "في"]], [["O", "B-PERS"], ["O", "O", "B-LOC"]])
    assert alone[1] == ["B-PERS", "O", "B-LOC"]  # proclitic و: same stem
    short = propagate_entities([["زار", "في"], ["في", "امس"]], [["O", "B-LOC"], ["O", "O"]])
    assert short[1] == ["O", "O"]  # strings of fewer than three letters are not spread
    assert tags[1] == ["O"] * 5  # the input is not changed


def test_ner_propagate_entities_unifies_types_and_skips_strings_mostly_left_untagged() -> None:
    from khabar.ner_train import PROPAGATE_MAX_UNTAGGED, propagate_entities

    # Written for this test: الجزيرة tagged ORG twice and LOC once in one article.
    sents = [["قالت", "الجزيرة", "امس"], ["ان", "الجزيرة", "نشرت"], ["مراسل", "الجزيرة", "في", "غزة"]]
    tags = [["O", "B-ORG", "O"], ["O", "B-ORG", "O"], ["O", "B-LOC", "O", "B-LOC"]]
    out = propagate_entities(sents, tags)
    assert out[2] == ["O", "B-ORG", "O", "B-LOC"]  # the minority type gives way; غزة is another string
    tie = propagate_entities([["الجزيرة", "و", "الجزيرة"]], [["B-ORG", "O", "B-LOC"]])
    assert tie[0] == ["B-ORG", "O", "B-LOC"]  # no majority: each keeps its own type
    # A common word the tagger took for a place once and left alone many times is not spread.
    many = 1 + PROPAGATE_MAX_UNTAGGED
    words = [["زار", "مدينة"]] + [["في", "مدينة", "كبيرة"]] * many
    spread = propagate_entities(words, [["O", "B-LOC"]] + [["O", "O", "O"]] * many)
    assert all(row == ["O", "O", "O"] for row in spread[1:])
    few = propagate_entities(words[:-1], [["O", "B-LOC"]] + [["O", "O", "O"]] * (many - 1))
    assert all(row == ["O", "B-LOC", "O"] for row in few[1:])  # at the limit it still spreads


def test_ner_bioes_marks_single_and_last_tokens_and_maps_back_to_the_same_entities() -> None:
    from khabar.ner_train import bio_spans, scheme_labels, to_bio, to_bioes

    bio = ["B-PERS", "I-PERS", "O", "B-LOC", "B-LOC", "I-LOC", "I-LOC", "O", "I-ORG", "I-ORG", "I-MISC", "B-ORG"]
    assert to_bioes(bio) == ["B-PERS", "E-PERS", "O", "S-LOC", "B-LOC", "I-LOC", "E-LOC", "O",
                             "B-ORG", "E-ORG", "S-MISC", "S-ORG"]  # an I- that continues nothing begins an entity, as in conlleval
    assert bio_spans(to_bio(to_bioes(bio))) == bio_spans(bio)
    assert to_bio(bio) == bio and scheme_labels(bio, "bio") == bio
    with pytest.raises(ValueError, match="unknown tag scheme"):
        scheme_labels(bio, "bilou")


def test_ner_stacked_pass2_learns_bioes_and_names_it_in_its_manifest(tmp_path: Path) -> None:
    import json

    import pycrfsuite

    from khabar.ner_train import pass2_paths

    data = tmp_path / "train.txt"
    _write_corpus(data, 12)
    model = tmp_path / "m.crfsuite"
    train_ner(data, model, gazetteer_dir="", clusters_path="", doc_size=3, max_iterations=20, stack_folds=3, autogaz=False)
    model2, manifest = pass2_paths(model)
    assert json.loads(manifest.read_text(encoding="utf-8"))["scheme"] == "bioes"
    labels = {}
    for path in (model, model2):
        tagger = pycrfsuite.Tagger()
        tagger.open(str(path))
        labels[path] = {label[:2] for label in tagger.labels()}
        tagger.close()
    assert "S-" in labels[model2] and "S-" not in labels[model] and "E-" not in labels[model]  # pass 1 keeps BIO
    train_ner(data, model, gazetteer_dir="", clusters_path="", doc_size=3, max_iterations=20, stack_folds=3, autogaz=False,
              pass2_scheme="bio")
    assert json.loads(manifest.read_text(encoding="utf-8"))["scheme"] == "bio"
    with pytest.raises(ValueError, match="unknown tag scheme"):
        train_ner(data, model, gazetteer_dir="", clusters_path="", doc_size=3, stack_folds=3, autogaz=False, pass2_scheme="io")


def test_ner_evaluate_recipe_runs_the_shipped_recipe_and_keeps_its_sample(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import json
    import pickle
    import zipfile

    from typer.testing import CliRunner

    import khabar.eval.ner as ner_eval
    from khabar.cli import app

    data = tmp_path / "train.txt"
    _write_corpus(data, 12)
    corpus = tmp_path / "snn"
    corpus.mkdir()
    with zipfile.ZipFile(corpus / "2015-01-01.zip", "w") as zf:  # written for this test: unlabelled text with the names
        zf.writestr("day.json", json.dumps([{"content": "قال السيد سامر إن الوضع في حلب هادئ. زار رامي حمص."}], ensure_ascii=False))
    seen = {}
    real = ner_eval.evaluate_ner
    monkeypatch.setattr(ner_eval, "evaluate_ner", lambda *a, **kw: (seen.update(kw), real(*a, **kw))[1])
    cache = tmp_path / "cache"
    out = ner_eval.evaluate_recipe(data, 3, workers=1, cache_dir=cache, corpus=corpus, gazetteer_dir="", clusters_path="",
                                   doc_size=3, max_iterations=20)
    assert out["f1"] > 0.9 and "pass1" in out and out["recipe"].startswith("shipped")
    assert seen["stack"] and seen["wordtype"] is True and seen["propagate"] is True and seen["autogaz"]["pass1"] is False
    sample = list(cache.glob("ner_target_*.pkl"))
    assert len(sample) == 1 and seen["autogaz"]["corpus"] == str(sample[0])  # the targeted sample is drawn once and kept
    assert "سامر" in {t for doc in pickle.loads(sample[0].read_bytes()) for s in doc for t in s}
    with pytest.raises(ModelMissingError, match="SaudiNewsNet"):
        ner_eval.evaluate_recipe(data, 3, corpus=tmp_path / "none")
    # The CLI's CV is the shipped recipe unless --single-pass.
    calls = []
    monkeypatch.setattr(ner_eval, "evaluate_recipe", lambda *a, **kw: calls.append("recipe") or {"f1": 0.5})
    monkeypatch.setattr(ner_eval, "evaluate_ner", lambda *a, **kw: calls.append("single") or {"f1": 0.4})
    assert CliRunner().invoke(app, ["eval", "ner", str(data), "--json"]).exit_code == 0
    assert CliRunner().invoke(app, ["eval", "ner", str(data), "--single-pass", "--json"]).exit_code == 0
    assert calls == ["recipe", "single"]
