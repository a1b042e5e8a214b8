"""The NER word-type guesser: letters of unseen words, cross-fitting, the saved model and its features."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from khabar.errors import ModelMissingError
from khabar.ner_autogaz import AgazEntry
from khabar.ner_wordtype import (
    LABELS,
    WordTypeModel,
    crossfit_table,
    fit_model,
    load_wordtype,
    training_words,
    wordtype_features,
)

# Written for these tests: Slavic-style surnames (PERS), -ستان places (LOC), common words (O).
PERS = ["بتروف", "ايفانوف", "سميرنوف", "كوزلوف", "موروزوف", "فولكوف", "سوكولوف", "بوبوف", "ليبيديف", "نوفيكوف"]
LOC = ["كازاخستان", "اوزبكستان", "تركمانستان", "طاجيكستان", "قرغيزستان", "داغستان", "باكستان", "افغانستان"]
O_WORDS = ["قال", "في", "الي", "من", "علي", "ان", "الذي", "كان", "بعد", "عند", "امس", "اليوم", "الحكومه", "الوضع",
           "المدينه", "الشعب", "الاقتصاد", "الاسبوع", "الجديد", "الكبير"]


def _sents() -> list[list[tuple[str, str]]]:
    out = []
    for i, name in enumerate(PERS):
        place = LOC[i % len(LOC)]
        out.append([(O_WORDS[i % 20], "O"), (name, "B-PERS"), (O_WORDS[(i + 3) % 20], "O"), (place, "B-LOC"), (O_WORDS[(i + 7) % 20], "O")])
    return out


def test_wordtype_guesses_unseen_words_by_their_letters() -> None:
    model = fit_model(_sents())
    assert model.features("ميدفيديف")[0] == "chr=PERS"  # never seen: ends like the surnames
    assert model.features("ترانسستان")[0] == "chr=LOC"
    probs = model.probabilities("الحكومه")
    assert probs.shape == (len(LABELS),) and abs(float(probs.sum()) - 1) < 1e-6
    assert LABELS[int(np.argmax(probs))] == "O"


def test_wordtype_training_words_take_the_commonest_label_and_gazetteer_extras() -> None:
    sents = [[("بتروف", "B-PERS"), ("قال", "O")], [("بتروف", "B-PERS")], [("بتروف", "B-ORG"), ("حلب", "B-LOC")]]
    autogaz = {"موسكو": AgazEntry("LOC", 2, True), "حلب": AgazEntry("PERS", 0, True), "سامر": AgazEntry("ORG", 0, True)}
    words, labels, weights = training_words(sents, {"Loc": {"حلب", "دمشق"}, "Pers": {"سامر"}, "Misc": {"عيد"}}, autogaz)
    assert len(words) == len(set(words))
    got = dict(zip(words, zip(labels, weights, strict=True), strict=True))
    assert got["بتروف"] == ("PERS", 1.0) and got["حلب"] == ("LOC", 1.0)  # from the sentences, not doubled
    assert got["دمشق"] == ("LOC", 0.5) and got["سامر"] == ("PERS", 0.5)  # the hand-made list before the learnt one
    assert got["موسكو"] == ("LOC", 0.5)
    assert "عيد" not in got  # no such label


def test_wordtype_crossfit_never_guesses_a_word_with_its_own_label() -> None:
    # One LOC word whose letters nothing else shares: only its own label could make it LOC.
    sents = _sents() + [[("قال", "O"), ("زظثصض", "B-LOC")]]
    full = fit_model(sents)
    assert full.features("زظثصض")[0] == "chr=LOC"  # the run-time model has learnt the word itself
    table = crossfit_table(sents)
    assert set(table) == {w for s in sents for w, _ in s}
    assert table["زظثصض"][0] != "chr=LOC"
    assert table["كوزلوف"][0] == "chr=PERS"  # other surnames still teach the pattern


def test_wordtype_model_round_trips_through_npz(tmp_path: Path) -> None:
    model = fit_model(_sents())
    path = tmp_path / "m_wordtype.npz"
    assert model.save(path) > 0
    loaded = load_wordtype(str(path))
    for w in ["ميدفيديف", "ترانسستان", "الحكومه", "xyz"]:
        assert np.allclose(loaded.probabilities(w), model.probabilities(w), atol=2e-3)
        assert loaded.features(w) == model.features(w)
    with pytest.raises(ModelMissingError, match="word-type"):
        load_wordtype(str(tmp_path / "absent.npz"))


def test_wordtype_fits_two_labels_and_one() -> None:
    two = WordTypeModel.fit(["بتروف", "ايفانوف", "قال", "في"], ["PERS", "PERS", "O", "O"])
    assert two.features("سميرنوف")[0] == "chr=PERS" and two.features("قال")[0] == "chr=O"
    p = two.probabilities("قال")
    assert p[LABELS.index("LOC")] < 1e-6  # a label never seen is never guessed
    one = WordTypeModel.fit(["قال", "في"], ["O", "O"])
    assert one.features("بتروف")[0] == "chr=O"


def test_wordtype_features_mark_the_token_and_its_neighbours() -> None:
    table = {"بتروف": ("chr=PERS", "chrb=PERS|9", "chrE=9"), "قال": ("chr=O", "chrb=O|9", "chrE=0")}
    feats = [[["w=قال"], ["w=بتروف"], ["w=امس"]]]
    wordtype_features(feats, [["قال", "بتروف", "امس"]], table)
    assert feats[0][0] == ["w=قال", "chr=O", "chrb=O|9", "chrE=0", "+1:chr=PERS"]
    assert feats[0][1] == ["w=بتروف", "chr=PERS", "chrb=PERS|9", "chrE=9", "-1:chr=O"]
    assert feats[0][2] == ["w=امس", "-1:chr=PERS"]  # not in the table: only its neighbour speaks
    before = [[["a"]]]
    wordtype_features(before, [["قال"]], None)
    assert before == [[["a"]]]


def test_wordtype_inference_matches_scikit_learn_word_by_word_and_in_a_batch() -> None:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    from khabar.ner_wordtype import C, MIN_DF, char_ngrams

    words, labels, weights = training_words(_sents())
    model = WordTypeModel.fit(words, labels, weights)
    vec = TfidfVectorizer(analyzer=char_ngrams, sublinear_tf=True, min_df=MIN_DF if len(words) >= 50 else 1)
    clf = LogisticRegression(C=C, max_iter=500).fit(vec.fit_transform(words), labels, sample_weight=weights)
    probe = ["ميدفيديف", "ترانسستان", "الحكومه", "قال", "xyz", "بتروف"]
    want = clf.predict_proba(vec.transform(probe))
    order = [list(clf.classes_).index(label) for label in LABELS if label in clf.classes_]
    got = model.batch_probabilities(probe)
    assert np.allclose(got[:, [LABELS.index(c) for c in clf.classes_]], want, atol=1e-4)
    assert order and np.allclose(got.sum(axis=1), 1.0)
    for i, w in enumerate(probe):
        assert np.allclose(model.probabilities(w), got[i])



def test_wordtype_cache_refill_keeps_every_asked_word(monkeypatch: pytest.MonkeyPatch) -> None:
    import khabar.ner_wordtype as wt

    model = fit_model(_sents())
    monkeypatch.setattr(wt, "CACHE_WORDS", 4)
    first = model.table(["قال", "في", "بتروف"])
    # Two words cached, three new: the cache is full and cleared, and the cached ones must be guessed again.
    second = model.table(["قال", "في", "كازاخستان", "ميدفيديف", "امس"])
    assert set(second) == {"قال", "في", "كازاخستان", "ميدفيديف", "امس"}
    assert second["قال"] == first["قال"]
