"""Dictionary lemmas: plurals meet singulars, a word's own letters stay."""

from __future__ import annotations

from khabar.lemmas import dictionary_lemma, lemma_key


def test_lemmas_plural_and_nisba_forms_meet_their_singular() -> None:
    assert dictionary_lemma("الأطباء") == dictionary_lemma("طبيب") == "طبيب"
    assert dictionary_lemma("أسعار") == "سعر" and dictionary_lemma("الحكومية") == dictionary_lemma("الحكومي")


def test_lemmas_an_attached_proclitic_is_dropped_only_when_the_dictionary_lacks_the_word() -> None:
    assert dictionary_lemma("لتسريح") == "تسريح" and dictionary_lemma("والأطباء") == "طبيب"
    assert dictionary_lemma("وزارة") == "وزارة"  # listed: its و is its own, not a conjunction
    # simplemma's guessing strategies read بيته as ب + يته; the dictionary alone gives nothing
    assert dictionary_lemma("بيته") is None


def test_lemmas_lemma_keys_list_only_lemmas_that_differ_from_the_word() -> None:
    assert lemma_key("أسعار") == "سعر"
    assert lemma_key("سعر") == ""  # the lemma is the word itself
    assert lemma_key("الرسوم") == "رسم"  # looked up without its article



def test_lemmas_a_four_letter_word_keeps_its_first_letter() -> None:
    # ب + يته: the dictionary lists يته, so four-letter words are looked up whole only
    assert dictionary_lemma("بيته") is None and dictionary_lemma("لقطع") is None
