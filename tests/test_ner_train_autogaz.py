"""Auto-gazetteer counts, table, features and file round trip, on hand-written Arabic."""

from __future__ import annotations

from pathlib import Path

import pytest

from khabar.errors import ModelMissingError
from khabar.ner_autogaz import (
    AgazEntry,
    agaz_table,
    autogaz_features,
    count_tags,
    load_autogaz,
    merge_counts,
    split_document,
    write_autogaz,
)
from khabar.ner_train import fit, read_conll


# A fake pass-1 tagger written for these tests: نوربرت is a person wherever it
# stands, قرطبة a place only after في, everything else O.
def _fake_tagger(doc: list[list[str]]) -> list[list[str]]:
    out = []
    for toks in doc:
        tags = []
        for i, tok in enumerate(toks):
            if tok == "نوربرت":
                tags.append("B-PERS")
            elif tok == "فالدمان" and i > 0 and toks[i - 1] == "نوربرت":
                tags.append("I-PERS")
            elif tok == "قرطبة" and i > 0 and toks[i - 1] == "في":
                tags.append("B-LOC")
            else:
                tags.append("O")
        out.append(tags)
    return out


DOCS = [
    [["قال", "نوربرت", "فالدمان", "في", "قرطبة"], ["وصل", "نوربرت", "أمس"]],
    [["زار", "قرطبة", "نوربرت"], ["في", "قرطبة", "قال", "نوربرت", "فالدمان"]],
]


def test_ner_autogaz_counts_types_positions_and_untagged_occurrences() -> None:
    counts = count_tags(_fake_tagger, DOCS)
    # [occurrences, PERS, LOC, ORG, MISC, first-token]
    assert counts["نوربرت"] == [4, 4, 0, 0, 0, 4]
    assert counts["فالدمان"] == [2, 2, 0, 0, 0, 0]
    assert counts["قرطبه"] == [3, 0, 2, 0, 0, 2]  # folded ة -> ه; once untagged (after زار)
    assert counts["قال"][0] == 2 and sum(counts["قال"][1:5]) == 0
    twice = merge_counts([counts, counts])
    assert twice["قرطبه"] == [6, 0, 4, 0, 0, 4]


def test_ner_autogaz_table_keeps_frequent_dominant_words_only() -> None:
    counts = count_tags(_fake_tagger, DOCS)
    table = agaz_table(counts, min_count=2, min_share=0.6)
    assert table["نوربرت"] == AgazEntry("PERS", 2, True)
    assert table["فالدمان"] == AgazEntry("PERS", 2, False)  # always inside, never first
    assert table["قرطبه"].kind == "LOC" and table["قرطبه"].share_bin == 0  # 2 of 3: below the 0.7 edge
    assert "قال" not in table  # never tagged
    assert "قرطبه" not in agaz_table(counts, min_count=2, min_share=0.7)
    assert "فالدمان" not in agaz_table(counts, min_count=3, min_share=0.6)
    with pytest.raises(ValueError, match=r"\(0.0, 1.0\]"):
        agaz_table(counts, min_share=0.0)
    with pytest.raises(ValueError, match=">= 1"):
        agaz_table(counts, min_count=0)


def test_ner_autogaz_features_mark_token_stem_and_neighbours() -> None:
    table = {"نوربرت": AgazEntry("PERS", 2, True), "قرطبه": AgazEntry("LOC", 1, True)}
    toks = ["التقى", "بنوربرت", "في", "قرطبة"]
    feats = [[["bias"] for _ in toks]]
    autogaz_features(feats, [toks], table)
    row = feats[0]
    # بنوربرت is not in the table as written; its stem without ب is.
    assert {"agaz=PERS", "agazs=PERS|2", "agazp=B-PERS"} <= set(row[1])
    assert "+1:agaz=PERS" in row[0] and "-1:agaz=PERS" in row[2] and "+1:agaz=LOC" in row[2]
    assert "agaz=LOC" in row[3] and not any(f.startswith("agaz=") for f in row[0] + row[2])
    untouched = [[["bias"] for _ in toks]]
    autogaz_features(untouched, [toks], {})
    assert untouched == [[["bias"] for _ in toks]]


def test_ner_autogaz_split_document_at_stops_and_lines() -> None:
    sents = split_document("قال نوربرت: وصلنا. ثم غادر؟ نعم\nسطر ثان")
    assert sents == [["قال", "نوربرت", ":", "وصلنا", "."], ["ثم", "غادر", "؟"], ["نعم"], ["سطر", "ثان"]]


def test_ner_autogaz_table_round_trip_and_missing_file(tmp_path: Path) -> None:
    table = {"نوربرت": AgazEntry("PERS", 2, True), "الاوروبي": AgazEntry("ORG", 0, False)}
    out = tmp_path / "agaz.tsv.gz"
    assert write_autogaz(table, out) == 2
    assert load_autogaz(str(out)) == table
    with pytest.raises(ModelMissingError):
        load_autogaz(str(tmp_path / "absent.tsv.gz"))


def test_ner_fit_takes_one_autogaz_table_per_sentence(tmp_path: Path) -> None:
    pycrfsuite = pytest.importorskip("pycrfsuite")
    data = tmp_path / "train.txt"
    data.write_text("قال O\nنوربرت B-PERS\n\nزار O\nقرطبة B-LOC\n\n", encoding="utf-8")
    sents = read_conll(data)
    table = {"نوربرت": AgazEntry("PERS", 2, True)}
    with pytest.raises(ValueError, match="one table per sentence"):
        fit(sents, tmp_path / "m.crfsuite", clusters={}, autogaz=[table])
    fit(sents, tmp_path / "m.crfsuite", {"max_iterations": 5}, clusters={}, autogaz=[table, None])
    tagger = pycrfsuite.Tagger()
    tagger.open(str(tmp_path / "m.crfsuite"))
    attrs = {a for (a, _), _ in tagger.info().state_features.items()}
    tagger.close()
    assert "agaz=PERS" in attrs and "+1:agaz=PERS" in attrs


def _write_corpus(folder: Path, text: str) -> None:
    import json
    import zipfile

    folder.mkdir()
    with zipfile.ZipFile(folder / "2015-01-01.zip", "w") as zf:
        zf.writestr("day.json", json.dumps([{"content": text}, {"content": ""}], ensure_ascii=False))


def test_ner_autogaz_job_counts_only_what_its_training_block_taught(tmp_path: Path) -> None:
    pytest.importorskip("pycrfsuite")
    from khabar.ner_autogaz import AgazJob, run_agaz_job

    # Block 0 names a person, block 1 a place; the unlabelled article holds both.
    block0 = [[("قال", "O"), ("نوربرت", "B-PERS"), ("أمس", "O")]] * 6
    block1 = [[("زار", "O"), ("قرطبة", "B-LOC"), ("أمس", "O")]] * 6
    corpus = tmp_path / "snn"
    _write_corpus(corpus, "قال نوربرت أمس. زار قرطبة أمس.\n" * 3)
    tables = [agaz_table(run_agaz_job(AgazJob(train, {"max_iterations": 30}, None, "", 0, str(corpus), 1)), 2, 0.5)
              for train in (block0 + block1, block1, block0)]
    full, without0, without1 = tables
    assert full["نوربرت"].kind == "PERS" and full["قرطبه"].kind == "LOC"
    # A table from a model that never saw a block holds nothing that block alone taught.
    assert without0 and all(e.kind != "PERS" for e in without0.values())
    assert without1 and all(e.kind != "LOC" for e in without1.values())


def test_ner_entities_autogaz_path_defaults_beside_the_model(tmp_path: Path) -> None:
    from khabar.entities import autogaz_path

    assert autogaz_path({"model_path": str(tmp_path / "m.crfsuite")}) == tmp_path / "m_autogaz.tsv.gz"
    assert autogaz_path({"model_path": "", "autogaz_path": str(tmp_path / "x.tsv.gz")}) == tmp_path / "x.tsv.gz"
    assert autogaz_path({}).name == "ner_autogaz.tsv.gz"


def test_ner_autogaz_targeted_sample_caps_sentences_per_word(tmp_path: Path) -> None:
    from khabar.ner_autogaz import saudinewsnet_sample, targeted_sample

    corpus = tmp_path / "snn"
    _write_corpus(corpus, "قال نوربرت أمس. زار قرطبة أمس. قال نوربرت ثانية. لا شيء هنا.")
    docs = targeted_sample(str(corpus), {"نوربرت", "قرطبه", "امس"}, per_word=1, ranks={"امس": 0})
    # One sentence for نوربرت, one for قرطبة; امس is among the commonest words and draws none.
    assert docs == [[["قال", "نوربرت", "أمس", "."], ["زار", "قرطبة", "أمس", "."]]]
    assert len(saudinewsnet_sample(str(corpus))) == 1  # every 10th article from the first: the empty one is skipped


def test_ner_find_mentions_reads_the_autogaz_table_beside_the_model(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import khabar.entities as ent
    from khabar.model import Article
    from khabar.settings import Settings

    text = "قال نوربرت أمس."
    seen: list[list[str]] = []

    class SpyTagger:  # records the features it is given, tags nothing
        def tag(self, xs: list[list[str]]) -> list[str]:
            seen.extend(xs)
            return ["O"] * len(xs)

    monkeypatch.setattr(ent, "load_tagger", lambda path: SpyTagger())
    model = tmp_path / "m.crfsuite"
    settings = {**Settings().section("entities"), "model_path": str(model), "stacked": False, "autogaz": True}
    with pytest.raises(ModelMissingError, match="auto-gazetteer"):
        ent.find_mentions(Article(id="a", path="a.txt", raw=text, text=text), settings=settings)
    write_autogaz({"نوربرت": AgazEntry("PERS", 2, True)}, tmp_path / "m_autogaz.tsv.gz")
    ent.find_mentions(Article(id="a", path="a.txt", raw=text, text=text), settings=settings)
    assert "agaz=PERS" in seen[1] and "-1:agaz=PERS" in seen[2]
    seen.clear()
    ent.find_mentions(Article(id="a", path="a.txt", raw=text, text=text), settings={**settings, "autogaz": False})
    assert not any(f.startswith("agaz") for xs in seen for f in xs)


def test_ner_pass2_manifest_decides_autogaz_when_stacked(tmp_path: Path) -> None:
    import json

    from khabar.entities import pass2_manifest, pass2_uses_autogaz, pass2_uses_wordtype

    model = tmp_path / "m.crfsuite"
    assert pass2_uses_autogaz(str(model)) is False  # no manifest: no table
    pass2_manifest.cache_clear()  # read once per process, as the models
    (tmp_path / "m_pass2.json").write_text(json.dumps({"version": 1, "autogaz": True, "wordtype": True}), encoding="utf-8")
    other = tmp_path / "n.crfsuite"
    (tmp_path / "n_pass2.json").write_text(json.dumps({"version": 1}), encoding="utf-8")
    assert pass2_uses_autogaz(str(model)) is True and pass2_uses_autogaz(str(other)) is False
    assert pass2_uses_wordtype(str(model)) is True and pass2_uses_wordtype(str(other)) is False
