"""Mention finding, proclitic trimming and role phrases on hand-written Arabic."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from khabar.entities import _proclitic_len, find_mentions, load_tagger, roles_for
from khabar.errors import ModelMissingError
from khabar.model import Article, Span
from khabar.ner_train import DEFAULT_MODEL, bio_spans, build_clusters, load_clusters, sentence_features, tokenize
from khabar.settings import Settings

# Written for these tests.
PARAGRAPH = (
    "قال الرئيس الروسي فلاديمير بوتين في موسكو يوم الثلاثاء إن بلاده مستعدة للحوار. "
    "وأعلنت منظمة الصحة العالمية أن الوضع في القاهرة مستقر. "
    "وقال المتحدث باسم الكرملين دميتري بيسكوف للصحفيين إن اللقاء مع وبوتين لم يتقرر بعد."
)

needs_model = pytest.mark.skipif(not DEFAULT_MODEL.is_file(), reason=f"NER model not built at {DEFAULT_MODEL}: run `make model`")


def _article(text: str, sentences: list[tuple[int, int]] | None = None) -> Article:
    art = Article(id="t1", path="test.txt", raw=text, text=text)
    if sentences:
        art.add("sentences", [Span(a, b, "SENT", "sentences") for a, b in sentences])
    return art


@pytest.fixture
def settings() -> dict:
    return Settings().section("entities")


@pytest.fixture
def tagged(settings: dict) -> Article:
    ends = [i + 1 for i, c in enumerate(PARAGRAPH) if c == "."]
    starts = [0] + [e + 1 for e in ends[:-1]]
    art = _article(PARAGRAPH, list(zip(starts, ends, strict=True)))
    find_mentions(art, settings=settings)
    return art


def _found(art: Article) -> set[tuple[str, str]]:
    return {(art.span_text(s), s.label) for s in art.spans("entities")}


@needs_model
def test_entities_finds_person_location_organisation(tagged: Article) -> None:
    found = _found(tagged)
    assert ("فلاديمير بوتين", "PER") in found
    assert ("القاهرة", "LOC") in found or ("موسكو", "LOC") in found
    assert any(label == "ORG" and "الصحة العالمية" in text for text, label in found)
    for s in tagged.spans("entities"):
        assert s.stage == "entities" and s.ref is None
        assert tagged.text[s.start : s.end].strip() == tagged.text[s.start : s.end]


@needs_model
def test_entities_roles_attach_to_persons(tagged: Article) -> None:
    roles = roles_for(tagged)
    by_name = {tagged.text[start : start + 30]: role for start, role in roles.items()}
    assert any(name.startswith("فلاديمير بوتين") and role == "الرئيس الروسي" for name, role in by_name.items())
    assert any(name.startswith("دميتري بيسكوف") and role == "المتحدث باسم الكرملين" for name, role in by_name.items())
    assert all(s.label == "ROLE" and s.ref is None for s in tagged.spans("roles"))


@needs_model
def test_entities_mention_excludes_proclitic(tagged: Article) -> None:
    pos = PARAGRAPH.index("وبوتين")
    spans = [s for s in tagged.spans("entities") if s.start <= pos + 1 < s.end]
    if spans:  # when the tagger finds it, the و stays outside the span
        assert spans[0].start == pos + 1
        assert tagged.span_text(spans[0]) == "بوتين"


def test_entities_proclitic_rules() -> None:
    seen = Counter({"بوتين": 2, "لبنان": 1})
    assert _proclitic_len("وبوتين", seen) == 1
    assert _proclitic_len("لبنان", seen) == 0  # a name beginning with ل
    assert _proclitic_len("بلبنان", seen) == 1  # ب + a word seen alone
    assert _proclitic_len("وليد", Counter()) == 0  # too short to hold و + name
    assert _proclitic_len("واشنطن", Counter()) == 0  # و + long vowel: a W- name
    assert _proclitic_len("فلاديمير", Counter()) == 0  # ف only on evidence
    assert _proclitic_len("وإسرائيل", Counter()) == 1
    assert _proclitic_len("للأمم", Counter()) == 0  # ل + ال: kept whole


@needs_model
def test_entities_latin_names(settings: dict) -> None:
    text = "التقى مؤسس شركة SpaceX رجل الأعمال Elon Musk في المؤتمر."
    art = _article(text)
    find_mentions(art, settings=settings)
    texts = {art.span_text(s) for s in art.spans("entities")}
    assert "Elon Musk" in texts and "SpaceX" in texts
    art2 = _article(text)
    find_mentions(art2, settings={**settings, "latin_rule": False})
    assert "Elon Musk" not in {art2.span_text(s) for s in art2.spans("entities")}


def test_entities_latin_rule_joins_particles_and_skips_sentence_capitals() -> None:
    from khabar.entities import _latin_mentions

    text = ("The port of Wadi al-Sahel was closed on Tuesday, officials said. Port sources blamed "
            "the storm.\nAccording to Leila de Souza of the Ministry of Ports, Northline Shipping will "
            "pay. Northline said nothing. At Wadi al-Sahel, The Harbour Times counted ships.")
    found = {text[s.start:s.end]: s.label for s in _latin_mentions(text, 0, len(text), [])}
    assert "Wadi al-Sahel" in found  # al- joins the name
    assert "Ministry of Ports" in found and "Leila de Souza" in found  # of / de join too
    assert found["Leila de Souza"] == "PER"
    assert "Tuesday" not in found and "The" not in found and "According" not in found
    assert "Port" not in found  # starts a sentence, never capitalised inside one
    assert "Northline" in found  # starts a sentence, but "Northline Shipping" shows it is a name
    assert "Harbour Times" in found and "At Wadi al-Sahel" not in found  # leading function words peeled
    taken = [(text.index("Northline Shipping"), text.index("Northline Shipping") + 18)]
    assert "Northline Shipping" not in {text[s.start:s.end] for s in _latin_mentions(text, 0, len(text), taken)}


@needs_model
def test_entities_negated_verb_opening_a_tagged_span_is_cut(settings: dict, monkeypatch: pytest.MonkeyPatch) -> None:
    """A tagger that reads "ولم ينف العبادي" as one name: the negator and its verb are cut from the span."""
    import khabar.entities as ent

    class GluedTagger:
        def tag(self, xs: list) -> list[str]:
            return ["B-PERS", "I-PERS", "I-PERS"] + ["O"] * (len(xs) - 3)

    monkeypatch.setattr(ent, "load_tagger", lambda path: GluedTagger())
    art = _article("ولم ينف العبادي وجود المسودة أمس.")
    find_mentions(art, settings={**settings, "stacked": False})
    assert [(art.span_text(s), s.label) for s in art.spans("entities")] == [("العبادي", "PER")]
    art = _article("قال العبادي إن المسودة قديمة.")  # no negator: the tagged span stays as it is
    find_mentions(art, settings={**settings, "stacked": False})
    assert [art.span_text(s) for s in art.spans("entities")] == ["قال العبادي إن"]


def test_entities_missing_model_raises(tmp_path: Path) -> None:
    missing = tmp_path / "nope.crfsuite"
    with pytest.raises(ModelMissingError) as err:
        find_mentions(_article("نص قصير."), settings={"model_path": str(missing)})
    assert str(missing) in str(err.value)
    assert "make model" in err.value.hint


@needs_model
def test_entities_model_cached_per_process() -> None:
    assert load_tagger(str(DEFAULT_MODEL)) is load_tagger(str(DEFAULT_MODEL))


def test_entities_tokenize_and_features_align() -> None:
    text = "قال «بوتين»، في موسكو."
    toks = tokenize(text)
    assert [text[a:b] for a, b in toks] == ["قال", "«", "بوتين", "»", "،", "في", "موسكو", "."]
    feats = sentence_features([text[a:b] for a, b in toks])
    assert len(feats) == len(toks)
    assert "w=بوتين" in feats[2] and "pre=ب" in feats[2] and "-1:pad" in feats[0]


def test_entities_bio_spans_conlleval() -> None:
    tags = ["B-PERS", "I-PERS", "O", "I-LOC", "B-ORG", "I-PERS", "B-LOC"]
    assert bio_spans(tags) == {(0, 2, "PERS"), (3, 4, "LOC"), (4, 5, "ORG"), (5, 6, "PERS"), (6, 7, "LOC")}


def test_entities_cluster_features_for_word_and_neighbours() -> None:
    table = {"بوتين": ("3", "17"), "قال": ("1", "5")}
    feats = sentence_features(["قال", "وبوتين", "أمس"], clusters=table)
    assert "c0=1" in feats[0] and "c1=5" in feats[0]
    assert "sc0=3" in feats[1] and "sc1=17" in feats[1]  # found through the stem without و
    assert "-1:c1=5" in feats[1]
    assert "c=unk" in feats[2] and "-2:c1=5" in feats[2]
    bare = sentence_features(["قال", "وبوتين", "أمس"], clusters={})
    assert not any(f.startswith(("c0=", "sc0=", "c=unk")) for tok in bare for f in tok)


def test_entities_build_clusters_groups_words_by_context(tmp_path: Path) -> None:
    # Written for this test: person names and city names in different frames.
    people = ["سامر", "باسل", "نادر", "رامي"]
    cities = ["حلب", "حمص", "دمشق", "درعا"]
    texts = []
    for k in range(30):
        p, c = people[k % 4], cities[(k * 3) % 4]
        texts.append(f"قال السيد {p} للصحفيين أمس إن الوضع هادئ في مدينة {c} اليوم .")
    out = tmp_path / "clusters.tsv.gz"
    info = build_clusters(texts, out, vocab=40, contexts=40, dims=4, sizes=(2, 3), seed=0)
    assert info["words"] <= 40 and info["sizes"] == [2, 3]
    table = load_clusters(str(out))
    assert {table[p][0] for p in people} & {table[c][0] for c in cities} == set()
    assert len({table[p][0] for p in people}) == 1
    assert all(len(ids) == 2 for ids in table.values())


def test_entities_missing_cluster_table_names_make_target(tmp_path: Path) -> None:
    with pytest.raises(ModelMissingError, match="cluster"):
        load_clusters(str(tmp_path / "absent.tsv.gz"))


@needs_model
def test_entities_missing_gazetteer_table_raises(tmp_path: Path, settings: dict) -> None:
    missing = tmp_path / "nope_gazetteer.tsv.gz"
    with pytest.raises(ModelMissingError, match="gazetteer") as err:
        find_mentions(_article("نص قصير."), settings={**settings, "gazetteer_path": str(missing)})
    assert str(missing) in str(err.value)


@needs_model
def test_entities_repeated_new_surname_found_twice(settings: dict) -> None:
    # Written for this test: a made-up surname, once after a title, once bare.
    text = "وقال الرئيس نوربرت تورفالدسن إن الاتفاق قريب. وأضاف تورفالدسن أن المحادثات ستستمر."
    ends = [i + 1 for i, c in enumerate(text) if c == "."]
    spans = list(zip([0, ends[0] + 1], ends, strict=True))
    with_doc, without = _article(text, spans), _article(text, spans)
    find_mentions(with_doc, settings=settings)
    find_mentions(without, settings={**settings, "doc_features": False})
    for art in (with_doc, without):
        assert all(art.span_text(s).strip() == art.span_text(s) for s in art.spans("entities"))
    bare = text.rindex("تورفالدسن")
    assert any(s.start == bare and s.label == "PER" for s in with_doc.spans("entities"))


def _stacked_model(tmp_path: Path) -> Path:
    from khabar.ner_train import train_ner

    # Written for this test: fixed frames, different names and towns.
    people = ["سامر", "باسل", "نادر", "رامي", "هاني", "وائل"]
    towns = ["حلب", "حمص", "درعا", "إدلب", "حماة", "طرطوس"]
    lines = []
    for k in range(18):
        lines += ["قال O", "السيد O", f"{people[k % 6]} B-PERS", "في O", f"{towns[(k * 5) % 6]} B-LOC", ". O", ""]
    data = tmp_path / "train.txt"
    data.write_text("\n".join(lines) + "\n", encoding="utf-8")
    model = tmp_path / "m.crfsuite"
    train_ner(data, model, gazetteer_dir="", doc_size=3, max_iterations=30, stack_folds=3, autogaz=False)
    return model


def test_entities_stacked_tags_with_both_passes_and_checks_the_pair(tmp_path: Path) -> None:
    from khabar.entities import load_pass2

    model = _stacked_model(tmp_path)
    cfg = {"model_path": str(model), "gazetteer": False, "stacked": True}
    art = _article("قال السيد رامي في حمص .")
    find_mentions(art, settings=cfg)
    assert _found(art) == {("رامي", "PER"), ("حمص", "LOC")}
    from khabar.entities import tag_document

    # Pass 2 learns BIOES (S-PERS for a one-word name); what analysis sees is BIO.
    tags = tag_document([["قال", "السيد", "رامي", "في", "حمص", "."]], settings=cfg)
    assert tags == [["O", "O", "B-PERS", "O", "B-LOC", "O"]]
    tagger2, groups = load_pass2(str(model))
    assert "S-PERS" in tagger2.labels()
    assert tagger2 is not load_tagger(str(model)) and set(groups) <= {"tag", "window", "doc", "ent", "conf"} and "tag" in groups
    # A pass-1 model that the pass-2 manifest does not name is refused, not silently paired.
    other = tmp_path / "other" / "m.crfsuite"
    other.parent.mkdir()
    other.write_bytes(model.read_bytes() + b"\0")
    for name in ("m_pass2.crfsuite", "m_pass2.json"):
        (other.parent / name).write_bytes((tmp_path / name).read_bytes())
    with pytest.raises(ModelMissingError, match="not trained on this pass-1"):
        find_mentions(_article("قال السيد رامي ."), settings={**cfg, "model_path": str(other)})
    (other.parent / "m_pass2.json").unlink()
    load_pass2.cache_clear()
    with pytest.raises(ModelMissingError, match="pass-2"):
        find_mentions(_article("قال السيد رامي ."), settings={**cfg, "model_path": str(other)})


def test_entities_stacked_pass2_reads_the_wordtype_guesser_its_manifest_names(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import json

    import khabar.entities as entities
    from khabar.ner_wordtype import WordTypeModel

    model = _stacked_model(tmp_path)
    assert json.loads((tmp_path / "m_pass2.json").read_text(encoding="utf-8"))["wordtype"] is True
    fed = []
    real = entities.wordtype_features
    monkeypatch.setattr(entities, "wordtype_features", lambda feats, words, source: (fed.append(source), real(feats, words, source)))
    art = _article("قال السيد رامي في حمص .")
    find_mentions(art, settings={"model_path": str(model), "gazetteer": False, "stacked": True})
    assert _found(art) == {("رامي", "PER"), ("حمص", "LOC")}
    assert len(fed) == 1 and isinstance(fed[0], WordTypeModel)
    # The pair without its guesser is refused, not run with features it never saw missing.
    other = tmp_path / "other" / "m.crfsuite"
    other.parent.mkdir()
    for name in ("m.crfsuite", "m_pass2.crfsuite", "m_pass2.json"):
        (other.parent / name).write_bytes((tmp_path / name).read_bytes())
    with pytest.raises(ModelMissingError, match="word-type"):
        find_mentions(_article("قال السيد رامي ."), settings={"model_path": str(other), "gazetteer": False, "stacked": True})


def test_eval_ner_folds_0_scores_the_bundled_model_as_configured(tmp_path) -> None:
    from typer.testing import CliRunner

    from khabar.cli import app
    from khabar.eval.ner import evaluate_model
    from khabar.settings import Settings

    gold = tmp_path / "gold.txt"
    gold.write_text(
        "قال O\nالرئيس O\nالأمريكي O\nدونالد B-PERS\nترامب I-PERS\nإن O\nالاتفاق O\nقريب O\n\n"
        "وصل O\nالوفد O\nإلى O\nالقاهرة B-LOC\nأمس O\n\n", encoding="utf-8")
    sec = dict(Settings.load().section("entities"))
    for stacked in (False, True):
        out = evaluate_model(gold, {**sec, "stacked": stacked})
        assert out["sentences"] == 2 and out["per_type"]["PERS"]["support"] == 1 and out["per_type"]["LOC"]["support"] == 1
        assert ("pass 2" in out["model"]) == stacked and 0.0 <= out["f1"] <= 1.0
    res = CliRunner().invoke(app, ["eval", "ner", str(gold), "--folds", "0", "--json"])
    assert res.exit_code == 0, res.output
    assert CliRunner().invoke(app, ["eval", "ner", str(gold), "--folds", "1"]).exit_code == 2


def test_entities_propagate_setting_spreads_a_tagged_name_through_the_article(monkeypatch: pytest.MonkeyPatch) -> None:
    import khabar.entities as entities

    calls = []
    real = entities.propagate_entities
    monkeypatch.setattr(entities, "propagate_entities", lambda words, tags: (calls.append(len(words)), real(words, tags))[1])
    entities.tag_document([["قال", "السيد", "رامي", "."], ["رامي", "زار", "حلب", "."]], settings={"gazetteer": False})
    assert calls == [2]  # on by default, over the whole document at once
    entities.tag_document([["قال", "السيد", "رامي", "."]], settings={"gazetteer": False, "propagate": False})
    assert calls == [2]
